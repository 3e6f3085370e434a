/* display_sixel.c: the sixel display: the scene rendered to the terminal's pixels, a palette
 * for the view chosen from the colours it can show, cell-level diffing against the frame last
 * sent, the rectangles to send, and their encoding with that palette. */
#include "config.h"

#include "display_sixel.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "raster.h"
#include "sixelout.h"
#include "xalloc.h"

/* More rectangles than this in one update are not worth their headers: one around all. */
#define MAX_RECTS 256

struct display_sixel {
	int cell_w, cell_h, colours, max_w, max_h;
	int cols, rows;
	uint8_t *shown;   /* the frame the terminal has (valid only when valid is set) */
	uint8_t *frame;   /* the display's: the scene in pixels */
	uint8_t *dirty;   /* per cell, scratch */
	int valid;
	struct sixelout_enc *enc;
	uint64_t key;
	struct display_sixel_rect rects[MAX_RECTS];
};

struct display_sixel *display_sixel_new(int cell_w, int cell_h, int colours, int max_w, int max_h)
{
	struct display_sixel *s = xcalloc(1, sizeof(*s));

	s->cell_w = cell_w > 0 ? cell_w : 1;
	s->cell_h = cell_h > 0 ? cell_h : 1;
	s->colours = colours;
	s->max_w = max_w;
	s->max_h = max_h;
	return s;
}

void display_sixel_set_cell(struct display_sixel *s, int cell_w, int cell_h)
{
	s->cell_w = cell_w > 0 ? cell_w : 1;
	s->cell_h = cell_h > 0 ? cell_h : 1;
	s->valid = 0;
}

void display_sixel_free(struct display_sixel *s)
{
	if (!s)
		return;
	sixelout_enc_free(s->enc);
	free(s->shown);
	free(s->frame);
	free(s->dirty);
	free(s);
}

void display_sixel_resize(struct display_sixel *s, int cols, int rows)
{
	size_t ncells, npx;

	s->cols = cols > 0 ? cols : 0;
	s->rows = rows > 0 ? rows : 0;
	ncells = (size_t)(s->cols > 0 ? s->cols : 1) * (size_t)(s->rows > 0 ? s->rows : 1);
	npx = ncells * (size_t)s->cell_w * (size_t)s->cell_h;
	s->shown = xreallocarray(s->shown, npx, 3);
	s->frame = xreallocarray(s->frame, npx, 3);
	s->dirty = xreallocarray(s->dirty, ncells, 1);
	s->valid = 0;
}

void display_sixel_invalidate(struct display_sixel *s) { s->valid = 0; }

uint64_t display_sixel_palette_key(const struct display_sixel *s) { return s->enc ? s->key : 0; }

int display_sixel_set_palette(struct display_sixel *s, uint64_t key, const uint8_t *rgb, size_t npx,
    const uint8_t *fixed, int nfixed, char **cause)
{
	struct sixelout_enc *e;

	if (npx < 1 || npx > (size_t)1 << 30)
		return err_set(cause, "sixel palette: %zu pixels", npx);
	/* One row of pixels: the palette looks at colours, not at where they are. */
	e = sixelout_enc_new_fixed(rgb, (int)npx, 1, npx * 3, s->colours, fixed, nfixed, cause);
	if (!e)
		return -1;
	sixelout_enc_free(s->enc);
	s->enc = e;
	s->key = key;
	/* Every pixel on screen may map to another entry now. */
	s->valid = 0;
	return 0;
}

/* ---- rectangles ---------------------------------------------------------------------- */

static long rect_area(const struct display_sixel_rect *r) { return (long)r->w * r->h; }

static struct display_sixel_rect rect_union(const struct display_sixel_rect *a, const struct display_sixel_rect *b)
{
	struct display_sixel_rect u;
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;

	u.x = a->x < b->x ? a->x : b->x;
	u.y = a->y < b->y ? a->y : b->y;
	u.w = x1 - u.x;
	u.h = y1 - u.y;
	return u;
}

/* The cells one rectangle for both covers beyond the two: what merging them wastes. */
static long merge_waste(const struct display_sixel_rect *a, const struct display_sixel_rect *b)
{
	struct display_sixel_rect u = rect_union(a, b);

	return rect_area(&u) - rect_area(a) - rect_area(b);
}

static size_t one_around_all(const uint8_t *dirty, int cols, int rows, struct display_sixel_rect *r)
{
	raster_rect b = raster_bounds_mask(dirty, cols, rows, (size_t)cols);

	if (b.x1 <= b.x0)
		return 0;
	r->x = b.x0;
	r->y = b.y0;
	r->w = b.x1 - b.x0;
	r->h = b.y1 - b.y0;
	return 1;
}

size_t display_sixel_rects(const uint8_t *dirty, int cols, int rows, struct display_sixel_rect *r, size_t max)
{
	size_t n = 0, i, j;
	int x, y;

	if (max < 1 || cols < 1 || rows < 1)
		return 0;
	/* Runs of each row (gaps of a few clean cells joined), each grown into the rectangle
	 * above it when that wastes little: a slanted line becomes a staircase. */
	for (y = 0; y < rows; y++) {
		const uint8_t *row = dirty + (size_t)y * cols;

		for (x = 0; x < cols;) {
			struct display_sixel_rect run;
			long best = -1;
			size_t at = 0;
			int end, next;

			if (!row[x]) {
				x++;
				continue;
			}
			for (end = x + 1; end < cols && row[end]; end++)
				;
			for (;;) {
				for (next = end; next < cols && !row[next]; next++)
					;
				if (next >= cols || next - end > DISPLAY_SIXEL_RECT_COST)
					break;
				for (end = next + 1; end < cols && row[end]; end++)
					;
			}
			run.x = x;
			run.y = y;
			run.w = end - x;
			run.h = 1;
			x = end;
			for (i = 0; i < n; i++) {
				long waste;

				if (r[i].y + r[i].h < y)
					continue; /* ends above the row before: not touching */
				waste = merge_waste(&r[i], &run);
				if (waste <= DISPLAY_SIXEL_RECT_COST && (best < 0 || waste < best)) {
					best = waste;
					at = i;
				}
			}
			if (best >= 0) {
				r[at] = rect_union(&r[at], &run);
			} else {
				if (n == max)
					return one_around_all(dirty, cols, rows, r);
				r[n++] = run;
			}
		}
	}
	/* Then pairs, cheapest first, while a merge saves a header's worth. */
	for (;;) {
		long best = DISPLAY_SIXEL_RECT_COST + 1;
		size_t bi = 0, bj = 0;

		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++) {
				long waste = merge_waste(&r[i], &r[j]);

				if (waste < best) {
					best = waste;
					bi = i;
					bj = j;
				}
			}
		if (best > DISPLAY_SIXEL_RECT_COST)
			break;
		r[bi] = rect_union(&r[bi], &r[bj]);
		r[bj] = r[--n];
	}
	return n;
}

/* ---- drawing ------------------------------------------------------------------------- */

static void mark_dirty(struct display_sixel *s, const uint8_t *px)
{
	size_t stride = (size_t)s->cols * s->cell_w * 3, cell_bytes = (size_t)s->cell_w * 3;
	int cx, cy, py;

	if (!s->valid) {
		memset(s->dirty, 1, (size_t)s->cols * s->rows);
		return;
	}
	memset(s->dirty, 0, (size_t)s->cols * s->rows);
	for (cy = 0; cy < s->rows; cy++) {
		uint8_t *d = s->dirty + (size_t)cy * s->cols;

		for (py = cy * s->cell_h; py < (cy + 1) * s->cell_h; py++) {
			const uint8_t *a = px + (size_t)py * stride, *b = s->shown + (size_t)py * stride;

			for (cx = 0; cx < s->cols; cx++)
				if (!d[cx] && memcmp(a + cx * cell_bytes, b + cx * cell_bytes, cell_bytes))
					d[cx] = 1;
		}
	}
}

static void cup(struct sbuf *out, int row, int col)
{
	sbuf_adds(out, "\033[");
	sbuf_addu(out, (unsigned)row + 1);
	sbuf_addc(out, ';');
	sbuf_addu(out, (unsigned)col + 1);
	sbuf_addc(out, 'H');
}

int display_sixel_update(struct display_sixel *s, const uint8_t *px, int x0, int y0, struct sbuf *out,
    char **cause)
{
	size_t stride = (size_t)s->cols * s->cell_w * 3, n, i;
	int tile_cols = s->cols, tile_rows = s->rows, images = 0;

	if (s->cols < 1 || s->rows < 1)
		return 0;
	if (!s->enc && display_sixel_set_palette(s, 0, px, (size_t)s->cols * s->cell_w * s->rows * s->cell_h,
	    NULL, 0, cause) != 0)
		return -1;
	/* A terminal's largest sixel bounds each piece. */
	if (s->max_w >= s->cell_w && s->max_w / s->cell_w < tile_cols)
		tile_cols = s->max_w / s->cell_w;
	if (s->max_h >= s->cell_h && s->max_h / s->cell_h < tile_rows)
		tile_rows = s->max_h / s->cell_h;
	mark_dirty(s, px);
	n = display_sixel_rects(s->dirty, s->cols, s->rows, s->rects, MAX_RECTS);
	for (i = 0; i < n; i++) {
		const struct display_sixel_rect *r = &s->rects[i];
		int tx, ty, py;

		for (ty = r->y; ty < r->y + r->h; ty += tile_rows)
			for (tx = r->x; tx < r->x + r->w; tx += tile_cols) {
				int tw = r->x + r->w - tx < tile_cols ? r->x + r->w - tx : tile_cols;
				int th = r->y + r->h - ty < tile_rows ? r->y + r->h - ty : tile_rows;
				size_t off = (size_t)ty * s->cell_h * stride + (size_t)tx * s->cell_w * 3;
				int hpx = th * s->cell_h;

				/* Sixel draws bands of 6 pixel rows: a band that reaches into the row below
				 * the area (the status line) moves the cursor past the screen's last row
				 * and scrolls it, whenever rows * cell_h is not a multiple of 6. So the
				 * area's last few pixel rows are left out instead. */
				if (ty + th == s->rows && hpx >= 6)
					hpx -= hpx % 6;
				cup(out, y0 + ty, x0 + tx);
				if (sixelout_enc_encode_shared(s->enc, px + off, tw * s->cell_w, hpx,
				    stride, out, cause) != 0) {
					s->valid = 0;
					return -1;
				}
				for (py = 0; py < th * s->cell_h; py++)
					memcpy(s->shown + off + (size_t)py * stride, px + off + (size_t)py * stride,
					    (size_t)tw * s->cell_w * 3);
				images++;
			}
	}
	s->valid = 1;
	return images;
}

/* ---- the display --------------------------------------------------------------------- */

uint64_t display_sixel_scene_key(const struct display_scene *s)
{
	uint64_t h = 1469598103934665603u, z;
	int64_t v[10];
	size_t i, k;

	memcpy(&z, &s->view->zoom, sizeof(z));
	v[0] = (int64_t)s->serial;
	v[1] = (int64_t)z;
	v[2] = s->view->brightness;
	v[3] = s->view->contrast;
	v[4] = s->view->gamma10;
	v[5] = s->overlay.mode;
	v[6] = s->overlay.opacity;
	v[7] = s->overlay.highlight_unlabeled;
	v[8] = s->view->win_lo; /* a 16-bit image's window */
	v[9] = s->view->win_hi;
	for (i = 0; i < 10; i++)
		for (k = 0; k < 8; k++)
			h = (h ^ (uint8_t)((uint64_t)v[i] >> (8 * k))) * 1099511628211u;
	return h | (uint64_t)1 << 63;
}

#define SAMPLE_SIDE 256 /* the whole image, fitted into this many pixels, for the palette */

static int has_colour(const uint8_t (*c)[3], int n, const uint8_t *rgb)
{
	int i;

	for (i = 0; i < n; i++)
		if (!memcmp(c[i], rgb, 3))
			return 1;
	return 0;
}

/* A palette for the view when its key changed, from the colours the view can show: the frame
 * (every other pixel each way; s->frame holds the image and masks, not yet the marks), the
 * whole image through the same curve and overlay (for pans), and that image under the likely
 * classes' fill at the overlay's opacity (for outlines closed later); the scene's exact colours,
 * the cursor ring's and the likely classes' own exactly. A preview gets one of its own. */
static int scene_palette(struct display_sixel *s, const struct display_scene *sc, char **cause)
{
	const struct view *sv = sc->view;
	uint64_t key = display_sixel_scene_key(sc);
	uint8_t *fixed, *px, *fit, *plain = NULL;
	struct view v;
	double z;
	/* Few registers go to the photo, not to fills that may never be drawn. */
	size_t n = 0, nfit, i, ntints = 0, maxtints = s->colours >= 128 ? DISPLAY_LIKELY : s->colours >= 64 ? 4 :
	    s->colours >= 32 ? 2 : 1;
	int fw, fh, x, y, k, nfixed = 0, r;

	if (sc->preview)
		return display_sixel_set_palette(s, 1, s->frame, (size_t)sv->scr_w * sv->scr_h, NULL, 0, cause);
	if (display_sixel_palette_key(s) == key)
		return 0;
	z = fmin(1.0, fmin((double)SAMPLE_SIDE / sv->img_w, (double)SAMPLE_SIDE / sv->img_h));
	fw = (int)fmax(1, floor(sv->img_w * z));
	fh = (int)fmax(1, floor(sv->img_h * z));
	nfit = (size_t)fw * fh;
	px = xreallocarray(NULL, (size_t)((sv->scr_w + 1) / 2) * ((sv->scr_h + 1) / 2) + nfit * (1 + DISPLAY_LIKELY), 3);
	for (y = 0; y < sv->scr_h; y += 2)
		for (x = 0; x < sv->scr_w; x += 2, n++)
			memcpy(px + 3 * n, s->frame + ((size_t)y * sv->scr_w + x) * 3, 3);
	view_init(&v, sv->img_w, sv->img_h, fw, fh, 1, 1);
	memcpy(v.lut, sv->lut, sizeof(v.lut));
	v.win_lo = sv->win_lo;
	v.win_hi = sv->win_hi;
	fit = px + 3 * n;
	view_render(&v, sc->pyr, &sc->overlay, fit);
	n += nfit;
	fixed = xreallocarray(NULL, 2 + (size_t)(sc->nexact > 0 ? sc->nexact : 0) + DISPLAY_LIKELY, 3);
	/* The ring goes on every frame: its colours first, unless the scene has them already. */
	for (k = 0; k < 2; k++)
		if (!has_colour(sc->exact, sc->nexact, display_ring_rgb[k]))
			memcpy(fixed + 3 * nfixed++, display_ring_rgb[k], 3);
	for (k = 0; k < sc->nexact; k++)
		memcpy(fixed + 3 * nfixed++, sc->exact[k], 3);
	if (sc->overlay.mode != VIEW_OVERLAY_OFF && sc->nlikely > 0) {
		struct view_overlay_opts off = sc->overlay;

		off.mode = VIEW_OVERLAY_OFF;
		plain = xreallocarray(NULL, nfit, 3);
		view_render(&v, sc->pyr, &off, plain);
		for (k = 0; k < sc->nlikely && ntints < maxtints; k++) {
			const uint8_t *col = sc->likely[k];

			memcpy(fixed + 3 * nfixed++, col, 3);
			ntints++;
			if (sc->overlay.mode != VIEW_OVERLAY_FILLED)
				continue;
			for (i = 0; i < nfit; i++) {
				memcpy(px + 3 * (n + i), plain + 3 * i, 3);
				view_blend(px + 3 * (n + i), col, sc->overlay.opacity);
			}
			n += nfit;
		}
	}
	r = display_sixel_set_palette(s, key, px, n, fixed, nfixed, cause);
	free(fixed);
	free(plain);
	free(px);
	return r;
}

static int dsixel_create(struct display *d, const struct display_config *cfg, char **cause)
{
	struct display_sixel *s = display_sixel_new(cfg->cell_w, cfg->cell_h, cfg->colours, cfg->max_w, cfg->max_h);

	(void)cause;
	d->impl = s;
	d->cell_w = s->cell_w;
	d->cell_h = s->cell_h;
	return 0;
}

static void dsixel_free(struct display *d) { display_sixel_free(d->impl); }

static void dsixel_set_cell(struct display *d) { display_sixel_set_cell(d->impl, d->cell_w, d->cell_h); }

static void dsixel_place(struct display *d) { display_sixel_resize(d->impl, d->cols, d->rows); }

static void dsixel_invalidate(struct display *d) { display_sixel_invalidate(d->impl); }

/* Erasing with ED or EL leaves sixel pixels in some terminals: spaces over every cell. */
static void dsixel_wipe(struct display *d, int cols, int rows, struct sbuf *out)
{
	int x, y;

	(void)d;
	sbuf_adds(out, "\0337\033[0m");
	for (y = 0; y < rows; y++) {
		sbuf_adds(out, "\033[");
		sbuf_addu(out, (unsigned)y + 1);
		sbuf_adds(out, "H");
		/* Not the bottom-right cell: writing there may scroll some terminals. */
		for (x = 0; x < (y == rows - 1 ? cols - 1 : cols); x++)
			sbuf_addc(out, ' ');
	}
	sbuf_adds(out, "\0338");
}

/* The rectangles that changed, between DECSC and DECRC (the terminal moves the cursor after an
 * image in its own way; DECRC puts it back where ncurses left it). */
static int dsixel_draw(struct display *d, const struct display_scene *sc, struct sbuf *out, char **cause)
{
	struct display_sixel *s = d->impl;
	int w = sc->view->scr_w, h = sc->view->scr_h, r, n;
	char *why = NULL;

	view_render(sc->view, sc->pyr, &sc->overlay, s->frame);
	r = scene_palette(s, sc, cause);
	display_marks_draw(sc->marks, sc->nmarks, s->frame, w, h, 3);
	if (sc->cursor) {
		double cx, cy;

		display_cursor_point(sc, s->cell_w, s->cell_h, &cx, &cy);
		display_ring_draw(cx, cy, s->cell_w, s->cell_h, s->frame, w, h, 3);
	}
	sbuf_adds(out, "\0337");
	n = display_sixel_update(s, s->frame, d->x0, d->y0, out, &why);
	free(why); /* a libsixel failure: the area stays invalid and is tried again next time */
	if (n <= 0) {
		out->len = 0;
		return r;
	}
	sbuf_adds(out, "\0338");
	return r;
}

const struct display_ops display_sixel_ops = {
	.name = "sixel",
	.flags = DISPLAY_OWN_CURSOR | DISPLAY_FONT_CELLS,
	.create = dsixel_create,
	.free = dsixel_free,
	.set_cell = dsixel_set_cell,
	.place = dsixel_place,
	.invalidate = dsixel_invalidate,
	.wipe = dsixel_wipe,
	.draw = dsixel_draw,
};
