/* test_display_sixel.c: the sixel display. The rectangles chosen for changed cells (every changed
 * cell covered, few clean ones, a staircase for a slanted line); what an update writes, decoded
 * with libsixel and pasted where its cursor position puts it, against the frame it was given;
 * register numbers that stay the same from patch to patch; pieces within the terminal's
 * largest sixel. Then the display through the interface (display.h): a scene decodes to
 * view_render's pixels with the marks and the cursor ring, exact in their colours; a cursor
 * step sends the two cells; the palette's key kept by a pan, changed by a zoom, the curve,
 * the overlay or another image; a preview's own palette; the wipe with spaces; a new font. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#pragma push_macro("PACKAGE_VERSION")
#undef PACKAGE_VERSION
#include <sixel.h>
#undef PACKAGE_VERSION
#pragma pop_macro("PACKAGE_VERSION")

#include "display_sixel.h"
#include "img.h"
#include "tap.h"
#include "view.h"

#define CW 10
#define CH 20

/* ---- rectangles ---------------------------------------------------------------------- */

static int covers(const struct display_sixel_rect *r, size_t n, int x, int y)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (x >= r[i].x && x < r[i].x + r[i].w && y >= r[i].y && y < r[i].y + r[i].h)
			return 1;
	return 0;
}

/* Every dirty cell covered, every rectangle inside the grid; *area gets the cells sent. */
static int check_cover(const uint8_t *d, int cols, int rows, const struct display_sixel_rect *r, size_t n, long *area)
{
	int x, y;
	size_t i;

	*area = 0;
	for (i = 0; i < n; i++) {
		if (r[i].x < 0 || r[i].y < 0 || r[i].w < 1 || r[i].h < 1 || r[i].x + r[i].w > cols || r[i].y + r[i].h > rows)
			return 0;
		*area += (long)r[i].w * r[i].h;
	}
	for (y = 0; y < rows; y++)
		for (x = 0; x < cols; x++)
			if (d[y * cols + x] && !covers(r, n, x, y))
				return 0;
	return 1;
}

static void test_rects(void)
{
	enum { COLS = 131, ROWS = 47 };
	static uint8_t d[COLS * ROWS];
	struct display_sixel_rect r[256];
	size_t n;
	long area;
	int i, ok = 1;
	unsigned seed = 12345;

	memset(d, 0, sizeof(d));
	n = display_sixel_rects(d, COLS, ROWS, r, 256);
	tap_ok(n == 0, "nothing changed: no rectangle");

	d[10 * COLS + 20] = 1;
	n = display_sixel_rects(d, COLS, ROWS, r, 256);
	tap_ok(n == 1 && r[0].x == 20 && r[0].y == 10 && r[0].w == 1 && r[0].h == 1, "one cell: that cell");

	d[10 * COLS + 21] = 1;
	d[11 * COLS + 21] = 1;
	n = display_sixel_rects(d, COLS, ROWS, r, 256);
	tap_ok(n == 1 && r[0].w == 2 && r[0].h == 2, "three cells in an L: their 2x2 box");

	/* Two cursor positions far apart: two small rectangles, not the box around both. */
	memset(d, 0, sizeof(d));
	d[5 * COLS + 5] = d[40 * COLS + 120] = 1;
	n = display_sixel_rects(d, COLS, ROWS, r, 256);
	tap_ok(n == 2 && check_cover(d, COLS, ROWS, r, n, &area) && area == 2, "two far cells: two rectangles of one cell");

	/* A slanted line across the screen: a staircase covering few clean cells. */
	memset(d, 0, sizeof(d));
	for (i = 0; i < 120; i++)
		d[(i * 46 / 119) * COLS + i + 5] = 1;
	n = display_sixel_rects(d, COLS, ROWS, r, 256);
	ok = check_cover(d, COLS, ROWS, r, n, &area);
	tap_ok(ok && area < 4 * 120 && n > 1, "a slanted line of 120 cells: %zu rectangles, %ld cells (not the %d of its box)",
	    n, area, 120 * 47);

	/* A full screen: one rectangle. */
	memset(d, 1, sizeof(d));
	n = display_sixel_rects(d, COLS, ROWS, r, 256);
	tap_ok(n == 1 && r[0].x == 0 && r[0].y == 0 && r[0].w == COLS && r[0].h == ROWS, "everything changed: one rectangle");

	/* Random scatter, and too few slots: still every cell covered. */
	for (i = 0; i < 20 && ok; i++) {
		int k;

		memset(d, 0, sizeof(d));
		for (k = 0; k < 1 + (int)(seed % 300); k++) {
			seed = seed * 1103515245u + 12345u;
			d[(seed >> 8) % (COLS * ROWS)] = 1;
		}
		n = display_sixel_rects(d, COLS, ROWS, r, 256);
		ok = check_cover(d, COLS, ROWS, r, n, &area);
		if (ok) {
			n = display_sixel_rects(d, COLS, ROWS, r, 3);
			ok = n <= 3 && check_cover(d, COLS, ROWS, r, n, &area);
		}
	}
	tap_ok(ok, "random scatters: every changed cell covered, with 256 slots and with 3");
}

/* ---- updates --------------------------------------------------------------------------- */

/* A terminal's pixels: sixel images pasted at the cell a CUP before them named. */
struct screen {
	int w, h;
	uint8_t *px;
	int images, max_reg, max_img_w, max_img_h;
	long cells_sent;
};

static int paste(struct screen *s, const char *p, size_t n, int row, int col)
{
	unsigned char *pixels = NULL, *palette = NULL;
	int w = 0, h = 0, ncolors = 0, x, y;

	if (SIXEL_FAILED(sixel_decode_raw((unsigned char *)p, (int)n, &pixels, &w, &h, &palette, &ncolors, NULL)))
		return -1;
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int X = col * CW + x, Y = row * CH + y;

			if (X < s->w && Y < s->h)
				memcpy(s->px + 3 * ((size_t)Y * s->w + X), palette + 3 * pixels[(size_t)y * w + x], 3);
		}
	s->images++;
	s->max_img_w = w > s->max_img_w ? w : s->max_img_w;
	s->max_img_h = h > s->max_img_h ? h : s->max_img_h;
	s->cells_sent += (long)(w / CW) * (h / CH);
	free(pixels);
	free(palette);
	return 0;
}

/* Plays the bytes of one update onto s: CUP, then DCS ... ST. -1 on anything else. */
static int play(struct screen *s, const struct sbuf *b)
{
	const char *p = b->data, *end = b->data + b->len;
	int row = 0, col = 0;

	while (p < end) {
		const char *st;

		if (p[0] == 27 && p[1] == '[') {
			if (sscanf(p, "\033[%d;%dH", &row, &col) != 2)
				return -1;
			row--;
			col--;
			p = strchr(p, 'H') + 1;
		} else if (p[0] == 27 && p[1] == 'P') {
			const char *q;

			st = strstr(p, "\033\\");
			if (!st)
				return -1;
			for (q = p; (q = memchr(q, '#', (size_t)(st - q))) != NULL; q++) {
				int reg = atoi(q + 1);

				s->max_reg = reg > s->max_reg ? reg : s->max_reg;
			}
			if (paste(s, p, (size_t)(st + 2 - p), row, col) != 0)
				return -1;
			p = st + 2;
		} else {
			return -1;
		}
	}
	return 0;
}

/* The worst channel difference between the screen and the frame over the area. */
/* Over all but the area's last 5 pixel rows: an image that reaches the bottom ends with its
 * last whole 6-pixel sixel band (a band into the status line would scroll the screen), so up
 * to 5 rows there may stay as they were. */
static int max_diff(const struct screen *s, const uint8_t *frame)
{
	size_t i, n = (size_t)s->w * (size_t)(s->h > 5 ? s->h - 5 : s->h) * 3;
	int worst = 0;

	for (i = 0; i < n; i++) {
		int d = abs((int)s->px[i] - (int)frame[i]);

		worst = d > worst ? d : worst;
	}
	return worst;
}

/* A frame of few colours (so the palette is exact, and decoded values differ only by the
 * percent rounding of sixel colours): stripes and a disc. */
static void paint(uint8_t *f, int w, int h, int shift)
{
	static const uint8_t cols[6][3] = { { 20, 40, 60 }, { 200, 30, 30 }, { 30, 200, 30 },
		{ 30, 30, 200 }, { 240, 240, 240 }, { 128, 128, 0 } };
	int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			int k = ((x + shift) / 37 + y / 23) % 4;
			long dx = x - w / 2, dy = y - h / 2;

			if (dx * dx + dy * dy < 40 * 40)
				k = 4;
			memcpy(f + 3 * ((size_t)y * w + x), cols[k], 3);
		}
}

static void test_updates(void)
{
	enum { COLS = 40, ROWS = 12 };
	int w = COLS * CW, h = ROWS * CH, n, k;
	size_t npx = (size_t)w * h;
	uint8_t *frame = malloc(npx * 3);
	struct screen scr = { w, h, calloc(npx, 3), 0, 0, 0, 0, 0 };
	struct display_sixel *a = display_sixel_new(CW, CH, 256, 0, 0);
	/* A magenta marker: magenta is 255 -> 100% -> 255, exact through sixel's percent. */
	struct sbuf out;
	char *cause = NULL;
	const uint8_t marker[3] = { 255, 0, 255 };
	uint8_t *p;

	sbuf_init(&out);
	display_sixel_resize(a, COLS, ROWS);
	paint(frame, w, h, 0);
	tap_ok(display_sixel_palette_key(a) == 0, "no palette before the first update");
	/* The frame's colours and a marker's, as the annotator sets them. */
	tap_ok(display_sixel_set_palette(a, 7, frame, npx, marker, 1, &cause) == 0 && display_sixel_palette_key(a) == 7,
	    "a palette for a key");
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	k = n == 1 && play(&scr, &out) == 0 && scr.max_img_w == w && scr.max_img_h == h;
	tap_ok(k, "the first update is the whole area, one %dx%d image (%zu bytes)", scr.max_img_w, scr.max_img_h, out.len);
	tap_ok(max_diff(&scr, frame) <= 2, "it decodes to the frame (colours within sixel's percent rounding)");
	out.len = 0;
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	tap_ok(n == 0 && out.len == 0, "the same frame again: nothing sent");

	/* A marker of a few pixels in one cell: one cell goes out. */
	for (k = 0; k < 5; k++)
		memcpy(frame + 3 * ((size_t)(5 * CH + 7) * w + 13 * CW + 2 + k), marker, 3);
	out.len = 0;
	scr.images = 0;
	scr.cells_sent = 0;
	scr.max_reg = 0;
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	tap_ok(n == 1 && play(&scr, &out) == 0 && scr.cells_sent == 1, "a change inside one cell: that cell only (%zu bytes)",
	    out.len);
	tap_ok(max_diff(&scr, frame) <= 2, "the patch lands where it belongs");
	tap_ok(!memcmp(scr.px + 3 * ((size_t)(5 * CH + 7) * w + 13 * CW + 4), marker, 3), "the marker's pixels are on screen, exact");
	tap_ok(scr.max_reg < 256, "register numbers stay below the palette size (%d)", scr.max_reg);

	/* The same colour in two patches has the same register: shared-register terminals. */
	{
		struct sbuf o2;
		char *p1, *p2;

		sbuf_init(&o2);
		memcpy(frame + 3 * ((size_t)(1 * CH + 1) * w + 1 * CW + 1), marker, 3);
		n = display_sixel_update(a, frame, 0, 0, &o2, &cause);
		p1 = strstr(out.data, ";2;100;0;100");
		p2 = strstr(o2.data, ";2;100;0;100");
		while (p1 && p1 > out.data && p1[-1] != '#')
			p1--;
		while (p2 && p2 > o2.data && p2[-1] != '#')
			p2--;
		tap_ok(n == 1 && p1 && p2 && atoi(p1) == atoi(p2), "a colour keeps its register from patch to patch (#%d)",
		    p1 ? atoi(p1) : -1);
		play(&scr, &o2);
		sbuf_free(&o2);
	}

	/* Shifted stripes: most cells change; the screen still equals the frame. */
	paint(frame, w, h, 5);
	out.len = 0;
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	tap_ok(n >= 1 && play(&scr, &out) == 0 && max_diff(&scr, frame) <= 2, "a pan-like change: %d images, the screen is the frame", n);

	/* Invalidated: everything again. */
	display_sixel_invalidate(a);
	out.len = 0;
	scr.cells_sent = 0;
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	tap_ok(n == 1 && play(&scr, &out) == 0 && scr.cells_sent == COLS * ROWS, "after invalidate: the whole area");

	/* A new palette: kept under its key, and the next update resends everything. */
	tap_ok(display_sixel_set_palette(a, 42, frame, npx, marker, 1, &cause) == 0 && display_sixel_palette_key(a) == 42,
	    "a palette for another key");
	out.len = 0;
	scr.cells_sent = 0;
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	tap_ok(n == 1 && play(&scr, &out) == 0 && scr.cells_sent == COLS * ROWS, "a new palette redraws the whole area");
	display_sixel_free(a);

	/* The terminal's largest sixel: pieces within it, together the whole. */
	a = display_sixel_new(CW, CH, 256, 150, 100);
	display_sixel_resize(a, COLS, ROWS);
	memset(scr.px, 0, npx * 3);
	scr.max_img_w = scr.max_img_h = 0;
	scr.images = 0;
	out.len = 0;
	n = display_sixel_update(a, frame, 0, 0, &out, &cause);
	k = play(&scr, &out) == 0;
	tap_ok(n == 9 && k && scr.max_img_w <= 150 && scr.max_img_h <= 100 && max_diff(&scr, frame) <= 2,
	    "at most 150x100 pixels a sixel: %d pieces of at most %dx%d, the whole area", n, scr.max_img_w, scr.max_img_h);
	display_sixel_free(a);

	/* 13-pixel cells, as xterm's default font: 3 rows are 39 pixels, whose last sixel band would
	 * end at 42, in the status line, and scroll the screen. The image stops at 36. */
	{
		int h13 = 3 * 13;
		uint8_t *f13 = calloc((size_t)5 * CW * h13, 3);
		struct screen s13 = { 5 * CW, h13, calloc((size_t)5 * CW * h13, 3), 0, 0, 0, 0, 0 };

		a = display_sixel_new(CW, 13, 16, 0, 0);
		display_sixel_resize(a, 5, 3);
		memset(f13, 200, (size_t)5 * CW * h13 * 3);
		out.len = 0;
		n = display_sixel_update(a, f13, 0, 0, &out, &cause);
		k = play(&s13, &out) == 0;
		tap_ok(n == 1 && k && s13.max_img_h == 36, "an area of 39 pixel rows is drawn 36 tall, no band past it (%d)",
		    s13.max_img_h);
		display_sixel_free(a);
		free(f13);
		free(s13.px);
	}

	/* Offsets: the area's origin goes into the cursor positions. */
	a = display_sixel_new(CW, CH, 16, 0, 0);
	display_sixel_resize(a, 3, 2);
	p = calloc((size_t)3 * CW * 2 * CH, 3);
	out.len = 0;
	n = display_sixel_update(a, p, 7, 4, &out, &cause);
	tap_ok(n == 1 && !strncmp(out.data, "\033[5;8H\033P", 8), "the origin (7, 4) is cell (8, 5) for CUP");
	free(p);
	display_sixel_free(a);

	free(cause);
	sbuf_free(&out);
	free(frame);
	free(scr.px);
}

/* ---- the display ---------------------------------------------------------------------- */

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

/* Plays an update of the display: DECSC, CUPs and sixels, DECRC. */
static int play_display(struct screen *s, const struct sbuf *b)
{
	struct sbuf mid;
	int r;

	if (b->len < 4 || strncmp(b->data, "\0337", 2) || strncmp(b->data + b->len - 2, "\0338", 2))
		return -1;
	sbuf_init(&mid);
	sbuf_add(&mid, b->data + 2, b->len - 4);
	r = play(s, &mid);
	sbuf_free(&mid);
	return r;
}

/* What the area should show: the view, the marks, the ring at the cursor's cell. */
static void expect(const struct display_scene *sc, int cw, int ch, uint8_t *f)
{
	int w = sc->view->scr_w, h = sc->view->scr_h;

	view_render(sc->view, sc->pyr, &sc->overlay, f);
	display_marks_draw(sc->marks, sc->nmarks, f, w, h, 3);
	display_ring_draw((sc->cursor_col + 0.5) * cw, (sc->cursor_row + 0.5) * ch, cw, ch, f, w, h, 3);
}

static void test_display(void)
{
	enum { COLS = 8, ROWS = 3, W = COLS * CW, H = ROWS * CH };
	static const uint8_t exact[2][3] = { { 255, 255, 255 }, { 255, 0, 255 } };
	struct display_config cfg = { 0 };
	struct display d;
	struct display_scene sc = { 0 };
	struct display_marks m = { 0 };
	struct img *im = img_new(60, 40, NULL);
	uint8_t *want = malloc((size_t)W * H * 3);
	struct screen scr = { W, H, calloc((size_t)W * H, 3), 0, 0, 0, 0, 0 };
	struct sbuf out;
	struct pyr p;
	struct view v;
	char *cause = NULL;
	int fds[2], ok, k, spaces = 0;
	uint64_t key, key2;

	sbuf_init(&out);
	/* Checks of six colours, 5x7 image pixels each: every pan or zoom changes cells. */
	for (k = 0; k < 60 * 40; k++) {
		static const uint8_t six[6][3] = { { 20, 40, 60 }, { 200, 30, 30 }, { 30, 200, 30 }, { 30, 30, 200 },
			{ 240, 240, 240 }, { 128, 128, 0 } };

		memcpy(im->rgb + 3 * k, six[(k % 60 / 5 + k / 60 / 7) % 6], 3);
	}
	pyr_build(&p, im);
	if (pipe(fds) != 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0) {
		tap_ok(0, "a pipe");
		return;
	}
	cfg.fd = fds[1];
	cfg.cell_w = CW;
	cfg.cell_h = CH;
	cfg.colours = 256;
	tap_ok(display_open(&d, display_find("sixel"), &cfg, &cause) == 0 && !strcmp(display_name(&d), "sixel") &&
	    display_has(&d, DISPLAY_OWN_CURSOR) && display_has(&d, DISPLAY_FONT_CELLS) && d.cell_w == CW && d.cell_h == CH,
	    "sixel: open, named, its own cursor, cells of the font's pixels");
	display_place(&d, 0, 0, COLS, ROWS);
	view_init(&v, 60, 40, W, H, CW, CH);
	sc.pyr = &p;
	sc.view = &v;
	sc.serial = 3;
	sc.exact = exact;
	sc.nexact = 2;
	sc.cursor = 1;
	sc.cursor_col = 2;
	sc.cursor_row = 1;
	display_marks_line(&m, 3.5, 50.5, 70.5, 8.5, exact[1]);
	sc.marks = m.v;
	sc.nmarks = m.n;

	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && display_bytes(&d) == out.len;
	tap_ok(ok, "the first frame (%zu bytes, all counted)", out.len);
	expect(&sc, CW, CH, want);
	ok = play_display(&scr, &out) == 0 && scr.images == 1 && scr.cells_sent == COLS * ROWS;
	tap_ok(ok && max_diff(&scr, want) <= 2, "the whole area in one image: view_render, the marks, the ring");
	k = (int)(1.5 * CH - 3.5 - 0.5) * W + (int)(2.5 * CW); /* a pixel of the ring's white, above the point */
	tap_ok(!memcmp(want + 3 * k, display_ring_rgb[0], 3) && !memcmp(scr.px + 3 * k, display_ring_rgb[0], 3),
	    "the ring is white on screen, exact");
	ok = 0;
	for (k = 0; k < W * H; k++)
		ok += !memcmp(want + 3 * k, exact[1], 3) && !memcmp(scr.px + 3 * k, exact[1], 3);
	tap_ok(ok > 60, "the mark's magenta on screen, exact (%d pixels)", ok);
	key = display_sixel_palette_key(d.impl);
	tap_ok(key == display_sixel_scene_key(&sc) && key > 1, "a palette under the scene's key");

	/* One cell right: the old cell and the new one. */
	sc.cursor_col = 3;
	scr.images = 0;
	scr.cells_sent = 0;
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && play_display(&scr, &out) == 0;
	expect(&sc, CW, CH, want);
	tap_ok(ok && scr.cells_sent == 2 && max_diff(&scr, want) <= 2, "a cursor step: two cells (%zu bytes)", out.len);
	tap_ok(display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) == 0, "the same scene again: nothing");

	/* The palette's key: a pan keeps it (the palette was made for the whole image), the rest
	 * change it. */
	view_zoom_at(&v, 2, 40, 30);
	key2 = display_sixel_scene_key(&sc);
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && play_display(&scr, &out) == 0;
	tap_ok(ok && key2 != key && display_sixel_palette_key(d.impl) == key2, "a zoom: another key, a new palette");
	view_pan(&v, 7, 3);
	tap_ok(display_sixel_scene_key(&sc) == key2, "a pan keeps the palette's key");
	scr.images = 0;
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && play_display(&scr, &out) == 0;
	expect(&sc, CW, CH, want);
	tap_ok(ok && display_sixel_palette_key(d.impl) == key2 && max_diff(&scr, want) <= 2,
	    "a pan: the same palette, the panned view on screen");
	view_init(&v, 60, 40, W, H, CW, CH);
	ok = display_sixel_scene_key(&sc) == key;
	v.brightness = 10;
	ok &= display_sixel_scene_key(&sc) != key;
	v.brightness = 0;
	sc.overlay.mode = VIEW_OVERLAY_OUTLINE;
	ok &= display_sixel_scene_key(&sc) != key;
	sc.overlay.mode = VIEW_OVERLAY_FILLED;
	sc.overlay.opacity = 75;
	ok &= display_sixel_scene_key(&sc) != key;
	sc.overlay.opacity = 0;
	sc.serial = 4;
	ok &= display_sixel_scene_key(&sc) != key;
	sc.serial = 3;
	tap_ok(ok && display_sixel_scene_key(&sc) == key, "the curve, the overlay, another image: another key");

	/* A preview: a palette of its own, and the next scene makes its own again. */
	sc.preview = 1;
	sc.cursor = 0;
	sc.nmarks = 0;
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && display_sixel_palette_key(d.impl) == 1;
	sc.preview = 0;
	tap_ok(ok && display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 &&
	    display_sixel_palette_key(d.impl) == key, "a preview has a palette of its own (key 1), the view its own again");

	/* The wipe: spaces over the screen but its last cell, then ncurses repaints. */
	tap_ok(display_wipe(&d, 20, 6) == 1 && drain(fds[0], &out) > 0 && !strstr(out.data, "\033P"),
	    "a wipe after drawing: written, no image");
	for (k = 0; k < (int)out.len; k++)
		spaces += out.data[k] == ' ';
	tap_ok(spaces == 20 * 6 - 1 && !strncmp(out.data, "\0337\033[0m\033[1H", 9) &&
	    !strncmp(out.data + out.len - 2, "\0338", 2), "%d spaces, from the top row on, the cursor restored", spaces);
	tap_ok(display_wipe(&d, 20, 6) == 0 && drain(fds[0], &out) == 0, "a second wipe: nothing on screen, nothing sent");

	/* A new font: cells of 12x24, the area placed again, drawn whole in the new pixels. */
	display_set_cell(&d, 12, 24);
	display_place(&d, 0, 0, COLS, ROWS);
	view_init(&v, 60, 40, COLS * 12, ROWS * 24, 12, 24);
	scr.max_img_w = scr.max_img_h = 0;
	ok = display_draw(&d, &sc, &cause) == 0 && drain(fds[0], &out) > 0 && play_display(&scr, &out) == 0;
	tap_ok(ok && d.cell_w == 12 && scr.max_img_w == COLS * 12 && scr.max_img_h == ROWS * 24,
	    "a new font: one image of %dx%d", scr.max_img_w, scr.max_img_h);

	display_close(&d);
	display_marks_free(&m);
	close(fds[0]);
	close(fds[1]);
	pyr_free(&p);
	img_free(im);
	sbuf_free(&out);
	free(want);
	free(scr.px);
	free(cause);
}

int main(void)
{
	test_rects();
	test_updates();
	test_display();
	return tap_done();
}
