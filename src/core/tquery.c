/* tquery.c: the terminal-query burst's replies, parsed a byte at a time, and the decisions
 * taken from them (sixel or blocks, the cell size). */
#include "config.h"

#include "tquery.h"

#include <string.h>

enum {
	ST_GROUND,
	ST_ESC,
	ST_CSI,
	ST_APC,     /* ESC _ ... : an application program command (kitty's reply) */
	ST_APC_ESC, /* an ESC inside it: ST (ESC \\) follows */
};

/* A cell is a few dozen pixels; anything past this is a confused reply or ioctl. */
#define MAX_CELL 512

void tquery_init(struct tquery_parser *p)
{
	memset(p, 0, sizeof(*p));
	p->state = ST_GROUND;
}

static void csi_start(struct tquery_parser *p)
{
	p->state = ST_CSI;
	p->marker = 0;
	p->bad = 0;
	p->nparams = 0;
	p->open = 0;
	p->cur = 0;
	p->has4 = 0;
	memset(p->params, 0, sizeof(p->params));
}

/* Ends the parameter in progress (an empty one is 0, as the default of ECMA-48). */
static void param_end(struct tquery_parser *p)
{
	/* DA1 can list many features; 4 is looked for in all of them, not just the stored ones. */
	if (p->nparams > 0 && p->cur == 4)
		p->has4 = 1;
	if (p->nparams < TQUERY_MAX_PARAMS)
		p->params[p->nparams] = p->cur;
	if (p->nparams < 1000)
		p->nparams++;
	p->cur = 0;
	p->open = 0;
}

static int as_int(unsigned v) { return (int)v; }

static void dispatch(struct tquery_parser *p, unsigned char final)
{
	struct tquery_reply *r = &p->reply;
	const unsigned *a = p->params;
	int n = p->nparams;

	if (p->bad)
		return;
	if (final == 'c' && p->marker == '?') {
		r->da1 = 1;
		r->da1_sixel = p->has4;
		r->da1_class = n >= 1 ? as_int(a[0]) : 0;
	} else if (final == 'S' && p->marker == '?' && n >= 3 && a[1] == 0) {
		/* Status 0 is success; 1-3 are errors whose numbers mean nothing. */
		if (a[0] == 1 && a[2] > 0)
			r->colour_regs = as_int(a[2]);
		else if (a[0] == 2 && n >= 4 && a[2] > 0 && a[3] > 0) {
			r->geom_w = as_int(a[2]);
			r->geom_h = as_int(a[3]);
		}
	} else if (final == 't' && p->marker == 0 && n >= 3 && a[0] == 6 && a[1] > 0 && a[2] > 0) {
		r->cell_h = as_int(a[1]);
		r->cell_w = as_int(a[2]);
	}
}

size_t tquery_feed(struct tquery_parser *p, const void *buf, size_t n)
{
	const unsigned char *s = buf;
	size_t i;

	for (i = 0; i < n && !p->reply.da1; i++) {
		unsigned char c = s[i];

		switch (p->state) {
		case ST_GROUND:
			if (c == 0x1b)
				p->state = ST_ESC;
			break;
		case ST_ESC:
			if (c == '[') {
				csi_start(p);
			} else if (c == '_') {
				p->state = ST_APC;
				p->napc = 0;
				p->apc[0] = '\0';
			} else if (c != 0x1b)
				p->state = ST_GROUND;
			break;
		case ST_CSI:
			if (c >= '0' && c <= '9') {
				p->cur = p->cur * 10 + (unsigned)(c - '0');
				if (p->cur > TQUERY_MAX_VALUE)
					p->cur = TQUERY_MAX_VALUE;
				p->open = 1;
			} else if (c == ';') {
				param_end(p);
				p->open = 1; /* the next one exists, even if empty */
			} else if (c == ':') {
				p->bad = 1;
			} else if (c >= '<' && c <= '?') {
				/* A marker belongs before every parameter; elsewhere it is not a reply. */
				if (p->marker || p->nparams > 0 || p->open)
					p->bad = 1;
				else
					p->marker = (char)c;
			} else if (c >= 0x20 && c <= 0x2f) {
				p->bad = 1; /* intermediates: DECRPM and friends, never our replies */
			} else if (c >= 0x40 && c <= 0x7e) {
				if (p->open || p->nparams > 0)
					param_end(p);
				dispatch(p, c);
				p->state = ST_GROUND;
			} else if (c == 0x1b) {
				p->state = ST_ESC;
			} else if (c == 0x18 || c == 0x1a || c >= 0x80) {
				p->state = ST_GROUND; /* CAN, SUB, or not a 7-bit reply at all */
			}
			/* other C0 controls are executed inside a sequence by terminals: skipped */
			break;
		case ST_APC:
			if (c == 0x1b) {
				p->state = ST_APC_ESC;
			} else if (c == 0x18 || c == 0x1a) {
				p->state = ST_GROUND;
			} else if (p->napc + 1 < (int)sizeof(p->apc)) {
				p->apc[p->napc++] = (char)c;
				p->apc[p->napc] = '\0';
			}
			break;
		case ST_APC_ESC:
			if (c == '\\') {
				/* "Gi=31;OK", or "Gi=31;ENOTSUP:..." from a terminal that knows the
				 * protocol but not this format: only OK counts. */
				if (!strncmp(p->apc, "Gi=31;OK", 8) || !strncmp(p->apc, "Gi=31,", 6))
					p->reply.kitty = strstr(p->apc, ";OK") != NULL;
				p->state = ST_GROUND;
			} else if (c == '[') {
				csi_start(p);
			} else {
				p->state = ST_GROUND;
			}
			break;
		}
	}
	return i;
}

enum tquery_cell_source tquery_cell_size(const struct tquery_reply *r, int cols, int rows,
    int xpixel, int ypixel, int *cell_w, int *cell_h)
{
	/* xterm reports the window with its borders (484x316 for 80x24 cells of 6x13): integer
	 * division drops them. Fewer than 2x4 pixels a cell means the numbers are not real. */
	if (cols > 0 && rows > 0 && xpixel >= 2 * cols && ypixel >= 4 * rows &&
	    xpixel / cols <= MAX_CELL && ypixel / rows <= MAX_CELL) {
		*cell_w = xpixel / cols;
		*cell_h = ypixel / rows;
		return TQUERY_CELL_WINSIZE;
	}
	if (r && r->cell_w >= 2 && r->cell_h >= 4 && r->cell_w <= MAX_CELL && r->cell_h <= MAX_CELL) {
		*cell_w = r->cell_w;
		*cell_h = r->cell_h;
		return TQUERY_CELL_CSI16T;
	}
	if (r && cols > 0 && rows > 0 && r->geom_w >= 2 * cols && r->geom_h >= 4 * rows &&
	    r->geom_w / cols <= MAX_CELL && r->geom_h / rows <= MAX_CELL) {
		*cell_w = r->geom_w / cols;
		*cell_h = r->geom_h / rows;
		return TQUERY_CELL_GEOMETRY;
	}
	*cell_w = 10;
	*cell_h = 20;
	return TQUERY_CELL_DEFAULT;
}

const char *tquery_cell_source_name(enum tquery_cell_source s)
{
	switch (s) {
	case TQUERY_CELL_WINSIZE:
		return "TIOCGWINSZ";
	case TQUERY_CELL_CSI16T:
		return "CSI 16 t";
	case TQUERY_CELL_GEOMETRY:
		return "XTSMGRAPHICS";
	case TQUERY_CELL_DEFAULT:
		break;
	}
	return "default";
}

int tquery_display_parse(const char *s)
{
	if (!s)
		return -1;
	if (!strcmp(s, "auto"))
		return TQUERY_DISPLAY_AUTO;
	if (!strcmp(s, "sixel"))
		return TQUERY_DISPLAY_SIXEL;
	if (!strcmp(s, "blocks"))
		return TQUERY_DISPLAY_BLOCKS;
	if (!strcmp(s, "kitty"))
		return TQUERY_DISPLAY_KITTY;
	return -1;
}

int tquery_worth_asking(enum tquery_display want, const char *term)
{
	if (want == TQUERY_DISPLAY_BLOCKS)
		return 0;
	return term && *term && strcmp(term, "dumb") != 0;
}

/* Terminals whose every build draws sixel: only trusted when DA1 did not come in time. */
static int term_always_sixel(const char *term)
{
	static const char *const names[] = { "foot", "mlterm", "yaft", "contour", "wezterm" };
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(term, names[i], strlen(names[i])))
			return 1;
	return 0;
}

int tquery_decide(enum tquery_display want, const struct tquery_reply *r, const char *term,
    const char *tmux)
{
	if (want == TQUERY_DISPLAY_SIXEL)
		return 1;
	if (want == TQUERY_DISPLAY_BLOCKS)
		return 0;
	if (!term || !*term || !strcmp(term, "dumb"))
		return 0;
	if (r && r->da1)
		return r->da1_sixel;
	if (tmux && *tmux)
		return 0;
	return term_always_sixel(term);
}

enum tquery_display tquery_choose(enum tquery_display want, const struct tquery_reply *r, const char *term,
    const char *tmux, const char **why)
{
	int in_tmux = tmux && *tmux;

	*why = NULL;
	if (want == TQUERY_DISPLAY_KITTY) {
		if (!in_tmux)
			return TQUERY_DISPLAY_KITTY;
		*why = "in tmux";
		return TQUERY_DISPLAY_BLOCKS;
	}
	if (want == TQUERY_DISPLAY_AUTO && !in_tmux && r && r->kitty && term && *term && strcmp(term, "dumb") != 0)
		return TQUERY_DISPLAY_KITTY;
	if (tquery_decide(want, r, term, tmux))
		return TQUERY_DISPLAY_SIXEL;
	if (want == TQUERY_DISPLAY_AUTO && in_tmux)
		*why = "in tmux";
	return TQUERY_DISPLAY_BLOCKS;
}

int tquery_in_mux(const char *term, const char *tmux)
{
	return (tmux && *tmux) || (term && !strncmp(term, "screen", 6));
}
