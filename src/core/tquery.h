/* tquery.h: what to ask a terminal before drawing sixel images, how to read its answers, and
 * what to decide from them. Pure: the bytes go out and come in through the UI (ui/sixelout.c);
 * here they are only built and parsed, so every reply a terminal might send can be tested and
 * fuzzed without one. */
#ifndef PXL_TQUERY_H
#define PXL_TQUERY_H

#include <stddef.h>

/* The burst, written in one go. Terminals answer in order, so primary device attributes
 * (CSI c), which every terminal answers, goes last: once its reply is in, nothing else is
 * coming. XTSMGRAPHICS asks the colour registers (?1) and the largest sixel (?2); CSI 16 t
 * the cell size in pixels; the kitty graphics query (an APC that terminals without the
 * protocol ignore) a 1x1 image that is checked and never stored (kgp.h's KGP_QUERY). */
#define TQUERY_BURST "\033[?1;1;0S\033[?2;1;0S\033[16t\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\\033[c"
#define TQUERY_BURST_LEN (sizeof(TQUERY_BURST) - 1)
/* The same without the kitty query, inside tmux or GNU screen: kitty's images cannot be shown
 * there anyway, and both take an APC as a title (tmux 3.3 set the pane's title to the query). */
#define TQUERY_BURST_MUX "\033[?1;1;0S\033[?2;1;0S\033[16t\033[c"
#define TQUERY_BURST_MUX_LEN (sizeof(TQUERY_BURST_MUX) - 1)

/* Whether a multiplexer stands between us and the terminal: $TMUX set, or a TERM of screen's. */
int tquery_in_mux(const char *term, const char *tmux);

/* Parameters kept per sequence and their largest value; more are counted but not stored, and
 * larger values are clamped, so the state stays a fixed size whatever arrives. */
#define TQUERY_MAX_PARAMS 16
#define TQUERY_MAX_VALUE 65535u

/* What the replies said; 0 where nothing (or nothing believable) came. */
struct tquery_reply {
	int da1;             /* 1 once the primary device attributes reply arrived */
	int da1_sixel;       /* that reply listed 4 (sixel graphics) */
	int da1_class;       /* its first parameter: 1, 62, 63, 64, 65... */
	int colour_regs;     /* XTSMGRAPHICS ?1;0;N S: the sixel colour registers */
	int geom_w, geom_h;  /* XTSMGRAPHICS ?2;0;W;H S: the largest sixel, in pixels */
	int cell_w, cell_h;  /* CSI 6;H;W t: one cell, in pixels */
	int kitty;           /* APC G i=31;OK: the kitty graphics protocol */
};

/* The parser: a small state machine after ECMA-48's CSI syntax. Anything that is not a reply
 * it knows (keys typed meanwhile, other sequences, line noise) is skipped. */
struct tquery_parser {
	struct tquery_reply reply;
	int state;
	char marker;         /* the private marker ('?', '>', '=', '<') or 0 */
	int bad;             /* this sequence has intermediates or sub-parameters: not ours */
	int nparams;         /* parameters finished, possibly more than stored (capped at 1000) */
	int open;            /* a parameter is being read: a digit or ';' came since the last one */
	unsigned cur;        /* its value so far */
	int has4;            /* a parameter after the first was 4 (for DA1, whatever its length) */
	unsigned params[TQUERY_MAX_PARAMS];
	char apc[16];        /* the start of an APC string (the kitty reply), NUL-terminated */
	int napc;
};

void tquery_init(struct tquery_parser *p);
/* Feeds n bytes of what the terminal sent, cut anywhere. Returns how many were consumed: all n,
 * or fewer when the DA1 reply ended inside the chunk (the rest is what came after it, such as
 * keys typed ahead, and is the caller's). Once p->reply.da1 is set, further feeding consumes
 * nothing. */
size_t tquery_feed(struct tquery_parser *p, const void *buf, size_t n);

/* Where the cell size came from. */
enum tquery_cell_source {
	TQUERY_CELL_WINSIZE,  /* TIOCGWINSZ's pixel size divided by the cells */
	TQUERY_CELL_CSI16T,   /* the terminal's CSI 6;H;W t */
	TQUERY_CELL_GEOMETRY, /* XTSMGRAPHICS geometry divided by the cells */
	TQUERY_CELL_DEFAULT,  /* 10x20, a guess */
};

/* One cell's size in pixels. cols, rows, xpixel, ypixel are TIOCGWINSZ's ws_col, ws_row,
 * ws_xpixel, ws_ypixel (0 when unknown); r may be NULL. */
enum tquery_cell_source tquery_cell_size(const struct tquery_reply *r, int cols, int rows,
    int xpixel, int ypixel, int *cell_w, int *cell_h);
const char *tquery_cell_source_name(enum tquery_cell_source s);

enum tquery_display {
	TQUERY_DISPLAY_AUTO,
	TQUERY_DISPLAY_SIXEL,
	TQUERY_DISPLAY_BLOCKS,
	TQUERY_DISPLAY_KITTY,
};

/* Parses "auto", "sixel", "blocks", "kitty"; -1 when unknown. */
int tquery_display_parse(const char *s);

/* Whether asking is worth it at all: not for TERM unset, empty or "dumb", which would show the
 * burst as text, nor when the user chose blocks. */
int tquery_worth_asking(enum tquery_display want, const char *term);

/* 1 for sixel, 0 for blocks. An explicit choice wins. Otherwise the DA1 reply decides: sixel
 * when it lists 4. Inside tmux ($TMUX set) that is the same rule, and it is the right one:
 * tmux answers DA1 itself, with 4 only when it was built with native sixel, and it does not
 * pass our sixel through otherwise. When no DA1 reply came (a slow link), a $TERM naming a
 * terminal that always has sixel still gets it, but never inside tmux or screen. r may be
 * NULL (nothing asked). */
int tquery_decide(enum tquery_display want, const struct tquery_reply *r, const char *term,
    const char *tmux);

/* The display to use: kitty, sixel or blocks (never auto). An explicit choice wins, except
 * kitty inside tmux, which passes neither the query nor the images on (placeholders and
 * passthrough are not done): blocks, and *why says "in tmux". In auto, kitty graphics when the
 * terminal answered the query, outside tmux; then tquery_decide's sixel or blocks, with *why
 * "in tmux" when tmux is why it is blocks. *why is NULL when there is nothing to say. */
enum tquery_display tquery_choose(enum tquery_display want, const struct tquery_reply *r, const char *term,
    const char *tmux, const char **why);

#endif
