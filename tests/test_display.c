/* test_display.c: the display interface. The scene's shared parts: marks and the cursor ring
 * in RGB and RGBA, clipped; the source rectangle a view shows (every screen pixel inside its
 * destination maps to the image point view_to_image gives, every one outside to no image).
 * Then the half-block display through the interface, writing to a pipe that this test reads
 * as a terminal would: the first frame decodes to view_render's pixels plus the marks, the same
 * scene again sends nothing, a mark sends its cell, invalidate sends the same bytes again, the
 * wipe, a view of the wrong size refused, the table of displays. (The sixel display through
 * the interface: test_display_sixel.) */
#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display.h"
#include "img.h"
#include "sbuf.h"
#include "tap.h"
#include "view.h"

/* ---- marks and the ring ----------------------------------------------------------------- */

static void test_marks(void)
{
	enum { W = 12, H = 8 };
	uint8_t rgb[W * H * 3], rgba[W * H * 4];
	const uint8_t red[3] = { 255, 0, 0 }, blue[3] = { 0, 0, 255 };
	struct display_marks m = { 0 };
	int x, y, ok = 1, n = 0;

	memset(rgb, 7, sizeof(rgb));
	memset(rgba, 0, sizeof(rgba));
	/* A diagonal from (1.5, 1.5) to (5.5, 5.5): the pixels (1,1) .. (5,5). */
	display_marks_line(&m, 1.5, 1.5, 5.5, 5.5, red);
	/* A dot of radius 1 at the corner: only its on-canvas quarter. */
	display_marks_dot(&m, 11, 0, 1, blue);
	tap_ok(m.n == 2 && m.v[0].kind == DISPLAY_MARK_LINE && m.v[1].kind == DISPLAY_MARK_DOT, "two marks listed");
	display_marks_draw(m.v, m.n, rgb, W, H, 3);
	display_marks_draw(m.v, m.n, rgba, W, H, 4);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			const uint8_t *p = rgb + 3 * (y * W + x), *q = rgba + 4 * (y * W + x);
			int line = x == y && x >= 1 && x <= 5, dot = x >= 10 && y <= 1;
			const uint8_t *want = line ? red : dot ? blue : NULL;

			if (want ? memcmp(p, want, 3) || memcmp(q, want, 3) || q[3] != 255 :
			    p[0] != 7 || p[1] != 7 || p[2] != 7 || q[3] != 0)
				ok = 0;
			n += want != NULL;
		}
	tap_ok(ok && n == 9, "a line's pixels and a clipped dot, in RGB and opaque in RGBA; nothing else (%d)", n);

	/* Off the canvas altogether: nothing, and no crash. */
	m.n = 0;
	display_marks_line(&m, -1e9, -5, 1e9, -5, red);
	display_marks_dot(&m, -100, 300, 3, red);
	memset(rgb, 7, sizeof(rgb));
	display_marks_draw(m.v, m.n, rgb, W, H, 3);
	for (x = 0, ok = 1; x < W * H * 3; x++)
		ok &= rgb[x] == 7;
	tap_ok(ok, "marks off the canvas draw nothing");
	display_marks_free(&m);
	tap_ok(m.v == NULL && m.n == 0, "freed marks are empty");
}

static void test_ring(void)
{
	enum { W = 40, H = 60 };
	static uint8_t px[W * H * 3];
	double sx = 15, sy = 30; /* the centre of cell (1, 1) of 10x20 cells */
	int x, y, white = 0, black = 0, ok = 1;

	memset(px, 100, sizeof(px));
	display_ring_draw(sx, sy, 10, 20, px, W, H, 3);
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			const uint8_t *p = px + 3 * (y * W + x);
			/* Square distance of the pixel's centre from the point; the ring's radius 3.5. */
			double d = fmax(fabs(x + 0.5 - sx), fabs(y + 0.5 - sy));

			if (!memcmp(p, display_ring_rgb[0], 3)) {
				white++;
				ok &= d > 3 && d <= 4;
			} else if (!memcmp(p, display_ring_rgb[1], 3)) {
				black++;
				ok &= d > 4 && d <= 5;
			} else {
				ok &= p[0] == 100 && (d <= 3 || d > 5);
			}
		}
	tap_ok(ok && white == 8 * 8 - 6 * 6 && black == 10 * 10 - 8 * 8,
	    "the ring: white at 3.5 pixels from the point, black around it, the point's pixels left (%d, %d)", white,
	    black);
}

/* ---- the source rectangle ------------------------------------------------------------- */

/* For screen points across (and beyond) the area: inside the destination exactly when the
 * image is there, and mapped to the same image point the view gives. */
static int source_agrees(const struct display_scene *sc, const struct display_source *src)
{
	const struct view *v = sc->view;
	double lscale = (double)src->img->w / v->img_w;
	int i, j;

	for (j = 0; j <= 40; j++)
		for (i = 0; i <= 40; i++) {
			double sx = (i + 0.37) * v->scr_w / 40.0, sy = (j + 0.61) * v->scr_h / 40.0, ix, iy, lx, ly;
			int in_img, in_dst;

			if (sx >= v->scr_w || sy >= v->scr_h)
				continue;
			view_to_image(v, sx, sy, &ix, &iy);
			in_img = ix >= 0 && iy >= 0 && ix < v->img_w && iy < v->img_h;
			in_dst = src->w > 0 && sx >= src->dst_x && sy >= src->dst_y && sx < src->dst_x + src->dst_w &&
			    sy < src->dst_y + src->dst_h;
			if (in_img != in_dst)
				return 0;
			if (!in_dst)
				continue;
			lx = src->x + (sx - src->dst_x) * src->w / src->dst_w;
			ly = src->y + (sy - src->dst_y) * src->h / src->dst_h;
			if (fabs(lx - ix * lscale) > 1e-6 || fabs(ly - iy * lscale) > 1e-6)
				return 0;
		}
	return 1;
}

static void test_source(void)
{
	struct img *im = img_new(400, 300, NULL);
	struct display_scene sc = { 0 };
	struct display_source src;
	struct pyr p;
	struct view v;
	int k, ok = 1;

	memset(im->rgb, 50, (size_t)400 * 300 * 3);
	pyr_build(&p, im);
	view_init(&v, 400, 300, 200, 100, 1, 2);
	sc.pyr = &p;
	sc.view = &v;
	/* Fit: a third of the image a screen pixel, so the level halved once (200x150), all of it,
	 * centred across 133.3 pixels. */
	display_scene_source(&sc, &src);
	tap_ok(src.level == 1 && src.img == p.level[1] && src.x == 0 && src.y == 0 && fabs(src.w - 200) < 1e-9 &&
	    fabs(src.h - 150) < 1e-9, "at fit: pyramid level 1, the whole image (%.1f x %.1f)", src.w, src.h);
	tap_ok(fabs(src.dst_w - 400 / 3.0) < 1e-9 && fabs(src.dst_h - 100) < 1e-9 &&
	    fabs(src.dst_x - (200 - 400 / 3.0) / 2) < 1e-9 && fabs(src.dst_y) < 1e-9 && source_agrees(&sc, &src),
	    "at fit: centred, %.2f x %.2f at (%.2f, %.2f)", src.dst_w, src.dst_h, src.dst_x, src.dst_y);
	/* 4x about a point: level 0, 50 x 25 image pixels over the whole area. */
	view_zoom_at(&v, 12, 60, 40);
	display_scene_source(&sc, &src);
	tap_ok(src.level == 0 && src.img == im && fabs(src.w - 50) < 1e-9 && fabs(src.h - 25) < 1e-9 &&
	    fabs(src.dst_w - 200) < 1e-9 && fabs(src.dst_h - 100) < 1e-9 && source_agrees(&sc, &src),
	    "at 4x: level 0, a 50x25 rectangle over the whole area");
	/* Pans and zooms at random, over the edges too. */
	srand(7);
	for (k = 0; k < 500 && ok; k++) {
		view_init(&v, 400, 300, 200, 100, 1, 2);
		view_zoom_at(&v, pow(2, rand() % 9), rand() % 200, rand() % 100);
		view_pan(&v, rand() % 401 - 200, rand() % 201 - 100);
		display_scene_source(&sc, &src);
		ok = source_agrees(&sc, &src) && src.x >= 0 && src.y >= 0 && src.x + src.w <= src.img->w + 1e-9 &&
		    src.y + src.h <= src.img->h + 1e-9;
	}
	tap_ok(ok, "500 random views: the rectangle inside its level, each screen point where the view puts it");
	/* Nothing of the image in view. */
	v.cx = -1000;
	display_scene_source(&sc, &src);
	tap_ok(src.w == 0 && source_agrees(&sc, &src), "the image out of view: an empty rectangle");
	pyr_free(&p);
	img_free(im);
}

/* ---- half blocks through the interface -------------------------------------------------- */

/* A terminal of truecolor cells, each two pixels (the glyph's halves). */
struct term {
	int cols, rows;
	uint8_t *px; /* cols x 2*rows */
	int row, col, srow, scol;
	uint8_t fg[3], bg[3];
	int ncells; /* cells written */
};

static void cell(struct term *t, const uint8_t *top, const uint8_t *bottom)
{
	if (t->row < t->rows && t->col < t->cols) {
		memcpy(t->px + 3 * ((size_t)(2 * t->row) * t->cols + t->col), top, 3);
		memcpy(t->px + 3 * ((size_t)(2 * t->row + 1) * t->cols + t->col), bottom, 3);
	}
	t->col++;
	t->ncells++;
}

/* Plays what the display wrote; -1 on a sequence it would not send. */
static int term_play(struct term *t, const char *p, size_t n)
{
	const char *end = p + n;

	while (p < end) {
		if (p[0] == 27 && p[1] == '7') {
			t->srow = t->row;
			t->scol = t->col;
			p += 2;
		} else if (p[0] == 27 && p[1] == '8') {
			t->row = t->srow;
			t->col = t->scol;
			p += 2;
		} else if (p[0] == 27 && p[1] == '[') {
			int a[16], na = 0;
			char *q = (char *)p + 2;

			while (na < 16) {
				a[na++] = (int)strtol(q, &q, 10);
				if (*q != ';')
					break;
				q++;
			}
			if (*q == 'H') {
				t->row = a[0] - 1;
				t->col = (na > 1 ? a[1] : 1) - 1;
			} else if (*q == 'C') {
				t->col += a[0] > 0 ? a[0] : 1;
			} else if (*q == 'm') {
				int i;

				for (i = 0; i < na; i++) {
					if ((a[i] == 38 || a[i] == 48) && i + 4 < na && a[i + 1] == 2) {
						uint8_t *c = a[i] == 38 ? t->fg : t->bg;

						c[0] = (uint8_t)a[i + 2];
						c[1] = (uint8_t)a[i + 3];
						c[2] = (uint8_t)a[i + 4];
						i += 4;
					} else if (a[i] != 0) {
						return -1;
					}
				}
			} else {
				return -1;
			}
			p = q + 1;
		} else if (p[0] == ' ') {
			cell(t, t->bg, t->bg);
			p++;
		} else if (!strncmp(p, "\xe2\x96\x80", 3)) {
			cell(t, t->fg, t->bg);
			p += 3;
		} else if (!strncmp(p, "\xe2\x96\x84", 3)) {
			cell(t, t->bg, t->fg);
			p += 3;
		} else if (!strncmp(p, "\xe2\x96\x88", 3)) {
			cell(t, t->fg, t->fg);
			p += 3;
		} else {
			return -1;
		}
	}
	return 0;
}

/* What the display wrote to the pipe since the last call. */
static size_t drain(int fd, struct sbuf *b)
{
	char buf[4096];
	ssize_t k;

	b->len = 0;
	while ((k = read(fd, buf, sizeof(buf))) > 0)
		sbuf_add(b, buf, (size_t)k);
	return b->len;
}

static void test_blocks(void)
{
	enum { COLS = 16, ROWS = 6, X0 = 3, Y0 = 2 };
	struct display_config cfg = { 0 };
	struct display d;
	struct display_scene sc = { 0 };
	struct display_marks m = { 0 };
	struct term t = { COLS + X0, ROWS + Y0, NULL, 0, 0, 0, 0, { 0 }, { 0 }, 0 };
	uint8_t *want = malloc((size_t)COLS * 2 * ROWS * 3);
	const uint8_t green[3] = { 0, 250, 0 };
	struct img *im = img_new(16, 12, NULL);
	struct sbuf out, first;
	struct pyr p;
	struct view v;
	char *cause = NULL;
	int fds[2], x, y, ok;
	unsigned long long before;

	sbuf_init(&out);
	sbuf_init(&first);
	t.px = calloc((size_t)(COLS + X0) * 2 * (ROWS + Y0), 3);
	for (y = 0; y < 12; y++)
		for (x = 0; x < 16; x++) {
			uint8_t *q = im->rgb + 3 * (y * 16 + x);

			q[0] = (uint8_t)(x * 16);
			q[1] = (uint8_t)(y * 20);
			q[2] = (uint8_t)((x ^ y) * 9);
		}
	pyr_build(&p, im);
	if (pipe(fds) != 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0) {
		tap_ok(0, "a pipe");
		return;
	}
	tap_ok(display_find("blocks") && display_find("sixel") && !display_find("kitty ") && !display_find(""),
	    "the displays by name: blocks, sixel");
	cfg.fd = fds[1];
	cfg.mode = COLOUR_TRUECOLOR;
	tap_ok(display_open(&d, display_find("blocks"), &cfg, &cause) == 0 && !strcmp(display_name(&d), "blocks") &&
	    !display_has(&d, DISPLAY_OWN_CURSOR) && !display_has(&d, DISPLAY_FONT_CELLS) && d.cell_w == 1 &&
	    d.cell_h == 2, "blocks: open, named, cells of 1x2 pixels, the terminal's cursor");
	display_set_cell(&d, 10, 20);
	tap_ok(d.cell_w == 1 && d.cell_h == 2, "blocks: a font's cell size changes nothing");
	display_place(&d, X0, Y0, COLS, ROWS);
	view_init(&v, 16, 12, COLS, 2 * ROWS, 1, 2);
	sc.pyr = &p;
	sc.view = &v;
	sc.cursor = 1;
	sc.cursor_col = 2;
	sc.cursor_row = 1;
	tap_ok(display_wipe(&d, COLS + X0, ROWS + Y0) == 0 && drain(fds[0], &out) == 0, "nothing drawn: nothing to wipe");

	/* The first frame: every cell, between DECSC and DECRC, decoding to view_render's pixels. */
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0;
	tap_ok(ok, "the first frame (%zu bytes)", out.len);
	sbuf_add(&first, out.data, out.len);
	tap_ok(!strncmp(out.data, "\0337", 2) && !strncmp(out.data + out.len - 6, "\033[0m\0338", 6) &&
	    display_bytes(&d) == out.len, "saved and restored around it, every byte counted");
	ok = term_play(&t, out.data, out.len) == 0 && t.row == 0 && t.col == 0;
	view_render(&v, &p, NULL, want);
	/* The cursor's cell: the half holding its point (the cell's centre, (2.5, 3)) in a loud
	 * colour, besides the terminal's cursor. */
	display_cursor_mark(2.5, 3, want, COLS, 2 * ROWS, 3);
	for (y = 0; y < 2 * ROWS; y++)
		ok &= !memcmp(t.px + 3 * ((size_t)(2 * Y0 + y) * (COLS + X0) + X0), want + 3 * (size_t)y * COLS,
		    3 * COLS);
	tap_ok(ok, "it shows view_render's pixels at the area's place; the cursor is back");
	{
		const uint8_t *c = t.px + 3 * ((size_t)(2 * Y0 + 3) * (COLS + X0) + X0 + 2);
		int loud = 0, k;

		for (k = 0; k < 3; k++)
			loud |= !memcmp(c, display_loud_rgb[k], 3);
		tap_ok(loud, "the lower half of the cursor's cell (2, 1) is loud: %d,%d,%d", c[0], c[1], c[2]);
	}
	{
		struct display_scene e = sc;
		double cx, cy;

		display_cursor_point(&e, 10, 20, &cx, &cy);
		tap_ok(cx == 25 && cy == 30, "a cursor without its point: the cell's centre");
		e.cursor_exact = 1;
		e.cursor_x = 21.75;
		e.cursor_y = 38.5;
		display_cursor_point(&e, 10, 20, &cx, &cy);
		tap_ok(cx == 21.75 && cy == 38.5, "with its point: the point (a zoom left it off the centre)");
	}

	tap_ok(display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) == 0 && display_bytes(&d) == first.len,
	    "the same scene again: nothing sent");

	/* A mark on one pixel: that cell alone. */
	display_marks_dot(&m, 9, 7, 0, green);
	sc.marks = m.v;
	sc.nmarks = m.n;
	memcpy(want + 3 * (7 * COLS + 9), green, 3);
	t.ncells = 0;
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && term_play(&t, out.data, out.len) == 0;
	tap_ok(ok && t.ncells == 1, "a mark: its cell alone (%zu bytes)", out.len);
	for (y = 0; y < 2 * ROWS; y++)
		ok &= !memcmp(t.px + 3 * ((size_t)(2 * Y0 + y) * (COLS + X0) + X0), want + 3 * (size_t)y * COLS,
		    3 * COLS);
	tap_ok(ok, "the mark shows, the rest is as it was");

	/* Invalidated: everything again, as the first time. */
	sc.nmarks = 0;
	display_invalidate(&d);
	tap_ok(display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) == first.len &&
	    !memcmp(out.data, first.data, first.len), "after invalidate: the first frame's bytes again");

	/* The wipe: ncurses repaints blocks, so nothing is written; once. */
	before = display_bytes(&d);
	tap_ok(display_wipe(&d, COLS + X0, ROWS + Y0) == 1 && drain(fds[0], &out) == 0 && display_bytes(&d) == before,
	    "a wipe after drawing: repaint, nothing written");
	tap_ok(display_wipe(&d, COLS + X0, ROWS + Y0) == 0, "a second wipe: nothing was on screen");
	tap_ok(display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) == first.len, "after a wipe: the whole area");

	/* A view that does not fit the area. */
	view_init(&v, 16, 12, COLS, 2 * ROWS + 2, 1, 2);
	ok = display_draw(&d, &sc, &cause) == -1 && cause && strstr(cause, "16x14") && drain(fds[0], &out) == 0;
	tap_ok(ok, "a view of another size: refused (%s)", cause ? cause : "");
	free(cause);
	cause = NULL;

	/* No cells: nothing. */
	display_place(&d, 0, 0, 0, 5);
	tap_ok(display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) == 0, "an area of no cells: nothing");

	display_close(&d);
	display_marks_free(&m);
	close(fds[0]);
	close(fds[1]);
	pyr_free(&p);
	img_free(im);
	sbuf_free(&out);
	sbuf_free(&first);
	free(t.px);
	free(want);
}

int main(void)
{
	test_marks();
	test_ring();
	test_source();
	test_blocks();
	return tap_done();
}
