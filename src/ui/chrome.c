/* chrome.c: the annotator's text on screen: layout, status line, side panel and help, through
 * ncurses (see chrome.h). It shows the session's state; it changes none of it. */
#include "config.h"

#include "chrome.h"

#include "assistui.h"

#include <curses.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "paths.h"
#include "text.h"

/* Every string chrome writes may repeat text from a file (a file name, a class name, a
 * message quoting a label): it reaches the terminal through text_vis, never raw. */
static void put_text(int y, int x, const char *str, int n)
{
	char vis[TEXT_VIS_SIZE(1024)];

	if (n <= 0)
		return;
	mvaddnstr(y, x, text_vis(vis, str, 1024, 0), n);
}

__attribute__((format(printf, 4, 5))) static void put_textf(int y, int x, int n, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	put_text(y, x, buf, n);
}

void chrome_say(struct ui *u, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
}

void chrome_take_message(struct ui *u)
{
	(void)session_take_message(u->s, u->msg, sizeof(u->msg));
}

void chrome_layout(struct ui *u)
{
	int rows = LINES, cols = COLS, panel = u->panel && cols >= UI_PANEL_MIN ? UI_PANEL_W : 0;
	int acols = cols - panel - (panel ? 1 : 0), arows = rows - 1;

	if (acols < 1)
		acols = 0;
	if (arows < 1)
		arows = 0;
	if (rows != u->term_rows || cols != u->term_cols || acols != u->area.cols || arows != u->area.rows) {
		int cw = u->area.cell_w, ch = u->area.cell_h;

		u->term_rows = rows;
		u->term_cols = cols;
		/* Pixels are not text: an image that moves or shrinks is wiped first. */
		(void)display_wipe(&u->area, cols, rows);
		display_place(&u->area, 0, 0, acols, arows);
		cursor_resize(&u->cur, u->s->im ? &u->view : NULL, acols, arows, cw, ch);
		clearok(curscr, TRUE);
	}
	cursor_clamp(&u->cur);
}

static const char *mode_name(const struct session *s)
{
	if (s->pen)
		return "pen";
	return s->mode == SESSION_ADD ? "add" : s->mode == SESSION_CUT ? "erase" : "new";
}

/* What the next vertex snaps to, said before it is placed: " snap" when snapping is on,
 * " edges" when snapping to the picture's edges is, then the target in reach (": edge of #3"). */
static const char *snapping(const struct ui *u, char *buf, size_t n)
{
	struct session_snap sn;
	char what[64];
	double ix, iy;

	if (!u->s->snap && !u->s->edge_snap)
		return "";
	cursor_point(&u->cur, &u->view, &ix, &iy);
	session_snap_find(u->s, ix, iy, cursor_snap_radius(&u->cur, &u->view), &sn);
	session_snap_describe(&sn, what, sizeof(what));
	snprintf(buf, n, "%s%s%s%s", u->s->snap ? " snap" : "", u->s->edge_snap ? " edges" : "", what[0] ? ": " : "", what);
	return buf;
}

static void draw_status(struct ui *u)
{
	const struct session *s = u->s;
	const struct dataset_class *cls = session_class(s);
	char coord[64], buf[512], done[48], pending[48], target[96], slivers[48] = "", win[48], tool[160];
	double ix, iy, z = u->view.zoom;
	int n, plen;

	snprintf(done, sizeof(done), " (%zu done)", s->ndone);
	if (s->nslivers)
		snprintf(slivers, sizeof(slivers), ", %zu sliver%s (v)", s->nslivers, s->nslivers == 1 ? "" : "s");
	cursor_point(&u->cur, &u->view, &ix, &iy);
	if (z >= 2)
		snprintf(coord, sizeof(coord), "(%.2f, %.2f)", ix, iy);
	else
		snprintf(coord, sizeof(coord), "(%d, %d)", (int)floor(ix), (int)floor(iy));
	/* What matters most comes first, so a narrow terminal cuts the least useful end: the
	 * unsaved marker, the image, then a message (until the next key) or the view's state. */
	n = snprintf(buf, sizeof(buf), " %s%s %zu/%zu%s%s | ", session_unsaved_edits(s) ? "* " : "",
	    paths_base(s->images[s->cur]), s->cur + 1, s->nimages, s->nimages > 1 ? done : "",
	    s->open_error ? " READ-ONLY" : "");
	view_window_describe(&u->view, s->im, win, sizeof(win));
	/* A tool's preview says what Enter will do before anything else. */
	assistui_status(u, tool, sizeof(tool));
	n += snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", tool);
	if (u->msg[0])
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", u->msg);
	else
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%.3gx | %s | %s | %s %s%s | %.0f%% labeled%s%s | %s%s%s", z,
		    coord, cls ? cls->name : "-", mode_name(s), s->behind ? "behind" : "over",
		    snapping(u, target, sizeof(target)), 100 * session_labeled_fraction(s),
		    u->unlabeled ? ", unlabeled shown" : "", slivers, win[0] ? win : "", win[0] ? " | " : "", u->display);
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	if (s->save_error) {
		/* Nothing else matters while work is not reaching the disk. */
		attron(A_BOLD);
		snprintf(buf, sizeof(buf), " NOT SAVED: %s", s->save_error);
	} else if (u->msg[0]) {
		attron(A_BOLD);
	}
	/* Input in progress (a prompt, a count) goes at the right end, as vim's showcmd, and the
	 * status gives it room instead of being written over. */
	pending[0] = '\0';
	if (u->class_pick)
		snprintf(pending, sizeof(pending), " class? (its key, Esc) ");
	else if (u->counting)
		snprintf(pending, sizeof(pending), u->count ? " count %d " : " count _ ", u->count);
	plen = (int)strlen(pending);
	if (plen >= COLS)
		plen = 0;
	put_text(LINES - 1, 0, buf, COLS - plen);
	attroff(A_REVERSE | A_BOLD);
	if (plen) {
		attron(A_BOLD);
		mvaddstr(LINES - 1, COLS - plen, pending);
		attroff(A_BOLD);
	}
}

void chrome_loading(const char *image, int w, int h)
{
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	put_textf(LINES - 1, 0, COLS, " %s: loading %dx%d...", paths_base(image), w, h);
	attroff(A_REVERSE);
	refresh();
}

static short class_pair(const struct ui *u, int id)
{
	/* Pairs 16.. hold the class colours as backgrounds, for the swatches. */
	const uint8_t *c = u->s->class_rgb[id];
	short pair = (short)(16 + id), col;

	if (!has_colors() || COLOR_PAIRS <= pair)
		return 0;
	if (COLORS >= (1 << 24)) {
		/* A direct-colour terminal takes RGB itself as the colour number. */
		init_extended_pair(pair, COLOR_BLACK, c[0] << 16 | c[1] << 8 | c[2]);
		return pair;
	}
	col = COLORS >= 256 ? colour_to256(c[0], c[1], c[2]) : (short)(colour_to16(c[0], c[1], c[2]) % (COLORS > 0 ? COLORS : 8));
	init_pair(pair, COLOR_BLACK, col);
	return pair;
}

/* name in width columns: whole (padded with spaces), or cut with an ellipsis. Columns are
 * counted as UTF-8 characters: class names are checked UTF-8 without controls. */
static void fit_name(char *out, size_t n, const char *name, int width)
{
	const char *dots = MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : ".";
	size_t i, len = 0, cut = 0;
	int cols = 0;

	for (i = 0; name[i]; i++)
		if (((unsigned char)name[i] & 0xc0) != 0x80 && ++cols == width)
			cut = i; /* where the last column's character starts */
	if (cols > width) {
		/* The last column goes to the ellipsis. */
		len = (size_t)snprintf(out, n, "%.*s%s", (int)cut, name, dots);
		cols = width;
	} else {
		len = (size_t)snprintf(out, n, "%s", name);
	}
	for (; cols < width && len + 1 < n; cols++)
		out[len++] = ' ';
	out[len < n ? len : n - 1] = '\0';
}

static void draw_panel(struct ui *u)
{
	const struct session *s = u->s;
	const struct doc *d = s->it.doc;
	int x = COLS - UI_PANEL_W, y = 0, rows = LINES - 1, i, first, shown;
	size_t k;
	char name[4 * UI_PANEL_W], line[4 * UI_PANEL_W + 48];

	if (!u->panel || COLS < UI_PANEL_MIN)
		return;
	mvvline(0, x - 1, ACS_VLINE, rows);
	for (y = 0; y < rows; y++)
		mvhline(y, x, ' ', UI_PANEL_W);
	y = 0;
	attron(A_BOLD);
	mvaddstr(y++, x, "CLASSES");
	attroff(A_BOLD);
	for (k = 0; k < s->it.ds.nclasses && y < rows / 2; k++, y++) {
		const struct dataset_class *c = &s->it.ds.classes[k];
		short pair = class_pair(u, c->id);

		fit_name(name, sizeof(name), c->name, UI_PANEL_W - 6);
		snprintf(line, sizeof(line), "%c%c %s", k == s->class_idx ? '>' : ' ', c->key ? c->key : ' ', name);
		if (k == s->class_idx)
			attron(A_BOLD);
		put_text(y, x, line, (int)sizeof(line));
		attroff(A_BOLD);
		if (pair)
			attron(COLOR_PAIR(pair));
		else
			attron(A_REVERSE);
		mvaddstr(y, x + UI_PANEL_W - 2, "  ");
		attroff(COLOR_PAIR(pair) | A_REVERSE);
	}
	y++;
	attron(A_BOLD);
	mvaddstr(y++, x, "INSTANCES (top first)");
	attroff(A_BOLD);
	if (!d || d->ninst == 0) {
		mvaddstr(y, x, " none yet");
		return;
	}
	/* The selected instance stays in the list's window. */
	shown = rows - y;
	first = 0;
	for (i = (int)d->ninst - 1; i >= 0; i--)
		if (d->inst[i]->id == s->selected && (int)d->ninst - 1 - i >= shown)
			first = (int)d->ninst - i - shown;
	for (i = (int)d->ninst - 1 - first; i >= 0 && y < rows; i--, y++) {
		const struct doc_instance *in = d->inst[i];
		char head[16], tail[32], buf[32];
		short pair = class_pair(u, in->class_id);
		int room;

		/* The name gets what the id and the pixel count leave of the line. */
		snprintf(head, sizeof(head), "%c#%-4u%s", in->id == s->selected ? '>' : ' ', in->id,
		    in->parent && doc_instance(d, in->parent) ? "^" : " ");
		snprintf(tail, sizeof(tail), " %llupx", (unsigned long long)s->comp.inst_pixels[in->id]);
		room = UI_PANEL_W - 1 - (int)strlen(head) - (int)strlen(tail);
		fit_name(name, sizeof(name), item_class_name(&s->it, in->class_id, buf, sizeof(buf)), room > 1 ? room : 1);
		snprintf(line, sizeof(line), "%s%s%s", head, name, tail);
		if (pair)
			attron(COLOR_PAIR(pair));
		mvaddch(y, x, ' ');
		attroff(COLOR_PAIR(pair));
		if (in->id == s->selected)
			attron(A_BOLD | A_REVERSE);
		put_text(y, x + 1, line, (int)sizeof(line));
		attroff(A_BOLD | A_REVERSE);
	}
}

static void draw_help(struct ui *u)
{
	int w = COLS - 4 < 100 ? COLS - 4 : 100, h = LINES - 3, y, row = 0;
	int x0 = (COLS - w) / 2, y0 = 1;
	enum action act;

	if (w < 20 || h < 3) {
		mvaddnstr(0, 0, "terminal too small for help (Esc)", COLS);
		return;
	}
	for (y = 0; y < h; y++)
		mvhline(y0 + y, x0, ' ', w);
	attron(A_BOLD);
	mvaddnstr(y0, x0 + 1, "pxlabel keys (j/k, Space/PgDn, PgUp, g/G scroll; Esc, q or ? closes)", w - 2);
	attroff(A_BOLD);
	for (act = ACT_NONE + 1; act < ACT_COUNT; act++) {
		char line[160];

		/* The reviewer's keys, outside review. */
		if (!keys_describe(u->keys, act)[0])
			continue;
		if (row++ < u->help_top)
			continue;
		if (row - u->help_top + 1 >= h)
			break;
		snprintf(line, sizeof(line), "%-16.16s %s", keys_describe(u->keys, act), keys_action_help(act));
		mvaddnstr(y0 + 1 + row - u->help_top, x0 + 1, line, w - 2);
	}
	if (row - u->help_top + 1 < h)
		mvaddnstr(y0 + 1 + row - u->help_top + 1, x0 + 1,
		    session_class_digits(u->s) ? "classes have the digits here: ' then digits is a count ('5l); "
		    "mouse: click = vertex, drag = pan/pen, wheel = zoom" : "digits: a count (5l); "
		    "mouse: click = vertex, drag = pan/pen, wheel = zoom", w - 2);
}

int chrome_help_key(struct ui *u, int ch)
{
	/* draw_help shows LINES - 5 rows of the keys (those bound here), a blank line and the
	 * mouse's line. */
	int page = LINES - 5 > 1 ? LINES - 5 : 1, rows = 0, last, top = u->help_top;
	enum action act;

	for (act = ACT_NONE + 1; act < ACT_COUNT; act++)
		rows += keys_describe(u->keys, act)[0] != '\0';
	last = rows + 2 - page;

	switch (ch) {
	case 'j': case KEY_DOWN: top++; break;
	case 'k': case KEY_UP: top--; break;
	case ' ': case KEY_NPAGE: top += page; break;
	case KEY_PPAGE: top -= page; break;
	case 'g': case KEY_HOME: top = 0; break;
	case 'G': case KEY_END: top = last; break;
	default: return 0;
	}
	u->help_top = top > last ? last : top;
	if (u->help_top < 0)
		u->help_top = 0;
	return 1;
}

/* The image could not be opened: say so where it would be, keep the way on open. */
static void draw_not_opened(struct ui *u)
{
	const struct session *s = u->s;

	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	put_textf(LINES - 1, 0, COLS, " %s %zu/%zu | not opened | N next, B previous, q quit", paths_base(s->images[s->cur]),
	    s->cur + 1, s->nimages);
	attroff(A_REVERSE);
	put_text(1, 1, u->msg, COLS - 2);
}

/* A screen of text alone: the image goes first (blocks too, since ncurses believes those cells
 * blank and would not write the text's spaces there). */
static int text_only(struct ui *u)
{
	curs_set(0);
	if (display_wipe(&u->area, COLS, LINES))
		clearok(curscr, TRUE);
	refresh();
	return 0;
}

int chrome_draw(struct ui *u)
{
	erase();
	if (u->area.cols < 1 || u->area.rows < 1) {
		mvaddnstr(0, 0, "pxlabel: terminal too small", COLS);
		refresh();
		return 0;
	}
	if (!u->s->im) {
		draw_not_opened(u);
		return text_only(u);
	}
	draw_status(u);
	draw_panel(u);
	if (u->help) {
		draw_help(u);
		return text_only(u);
	}
	/* In sixel the cursor is drawn into the image (a ring, by the display). */
	curs_set(display_has(&u->area, DISPLAY_OWN_CURSOR) ? 0 : 1);
	move(u->area.y0 + u->cur.cy, u->area.x0 + u->cur.cx);
	refresh();
	return 1;
}
