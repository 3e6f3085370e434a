/* sixelarea.c: the sixel image area: cell-level diffing against the frame last sent, the
 * rectangles to send, and their encoding with the view's palette. */
#include "config.h"

#include "sixelarea.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "sixelout.h"
#include "xalloc.h"

/* More rectangles than this in one update are not worth their headers: one around all. */
#define MAX_RECTS 256

struct sixelarea {
	int cell_w, cell_h, colours, max_w, max_h;
	int cols, rows;
	uint8_t *shown;   /* the frame the terminal has (valid only when valid is set) */
	uint8_t *dirty;   /* per cell, scratch */
	int valid;
	struct sixelout_enc *enc;
	uint64_t key;
	struct sixelarea_rect rects[MAX_RECTS];
};

struct sixelarea *sixelarea_new(int cell_w, int cell_h, int colours, int max_w, int max_h)
{
	struct sixelarea *s = xcalloc(1, sizeof(*s));

	s->cell_w = cell_w > 0 ? cell_w : 1;
	s->cell_h = cell_h > 0 ? cell_h : 1;
	s->colours = colours;
	s->max_w = max_w;
	s->max_h = max_h;
	return s;
}

void sixelarea_set_cell(struct sixelarea *s, int cell_w, int cell_h)
{
	s->cell_w = cell_w > 0 ? cell_w : 1;
	s->cell_h = cell_h > 0 ? cell_h : 1;
	s->valid = 0;
}

void sixelarea_free(struct sixelarea *s)
{
	if (!s)
		return;
	sixelout_enc_free(s->enc);
	free(s->shown);
	free(s->dirty);
	free(s);
}

void sixelarea_resize(struct sixelarea *s, int cols, int rows)
{
	size_t ncells, npx;

	s->cols = cols > 0 ? cols : 0;
	s->rows = rows > 0 ? rows : 0;
	ncells = (size_t)(s->cols > 0 ? s->cols : 1) * (size_t)(s->rows > 0 ? s->rows : 1);
	npx = ncells * (size_t)s->cell_w * (size_t)s->cell_h;
	s->shown = xreallocarray(s->shown, npx, 3);
	s->dirty = xreallocarray(s->dirty, ncells, 1);
	s->valid = 0;
}

void sixelarea_invalidate(struct sixelarea *s) { s->valid = 0; }

uint64_t sixelarea_palette_key(const struct sixelarea *s) { return s->enc ? s->key : 0; }

int sixelarea_set_palette(struct sixelarea *s, uint64_t key, const uint8_t *rgb, size_t npx,
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

static long rect_area(const struct sixelarea_rect *r) { return (long)r->w * r->h; }

static struct sixelarea_rect rect_union(const struct sixelarea_rect *a, const struct sixelarea_rect *b)
{
	struct sixelarea_rect u;
	int x1 = a->x + a->w > b->x + b->w ? a->x + a->w : b->x + b->w;
	int y1 = a->y + a->h > b->y + b->h ? a->y + a->h : b->y + b->h;

	u.x = a->x < b->x ? a->x : b->x;
	u.y = a->y < b->y ? a->y : b->y;
	u.w = x1 - u.x;
	u.h = y1 - u.y;
	return u;
}

/* The cells one rectangle for both covers beyond the two: what merging them wastes. */
static long merge_waste(const struct sixelarea_rect *a, const struct sixelarea_rect *b)
{
	struct sixelarea_rect u = rect_union(a, b);

	return rect_area(&u) - rect_area(a) - rect_area(b);
}

static size_t one_around_all(const uint8_t *dirty, int cols, int rows, struct sixelarea_rect *r)
{
	int x, y, x0 = cols, y0 = rows, x1 = -1, y1 = -1;

	for (y = 0; y < rows; y++)
		for (x = 0; x < cols; x++)
			if (dirty[(size_t)y * cols + x]) {
				x0 = x < x0 ? x : x0;
				x1 = x > x1 ? x : x1;
				y0 = y < y0 ? y : y0;
				y1 = y > y1 ? y : y1;
			}
	if (x1 < 0)
		return 0;
	r->x = x0;
	r->y = y0;
	r->w = x1 - x0 + 1;
	r->h = y1 - y0 + 1;
	return 1;
}

size_t sixelarea_rects(const uint8_t *dirty, int cols, int rows, struct sixelarea_rect *r, size_t max)
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
			struct sixelarea_rect run;
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
				if (next >= cols || next - end > SIXELAREA_RECT_COST)
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
				if (waste <= SIXELAREA_RECT_COST && (best < 0 || waste < best)) {
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
		long best = SIXELAREA_RECT_COST + 1;
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
		if (best > SIXELAREA_RECT_COST)
			break;
		r[bi] = rect_union(&r[bi], &r[bj]);
		r[bj] = r[--n];
	}
	return n;
}

/* ---- drawing ------------------------------------------------------------------------- */

static void mark_dirty(struct sixelarea *s, const uint8_t *px)
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

int sixelarea_update(struct sixelarea *s, const uint8_t *px, int x0, int y0, struct sbuf *out,
    char **cause)
{
	size_t stride = (size_t)s->cols * s->cell_w * 3, n, i;
	int tile_cols = s->cols, tile_rows = s->rows, images = 0;

	if (s->cols < 1 || s->rows < 1)
		return 0;
	if (!s->enc && sixelarea_set_palette(s, 0, px, (size_t)s->cols * s->cell_w * s->rows * s->cell_h,
	    NULL, 0, cause) != 0)
		return -1;
	/* A terminal's largest sixel bounds each piece. */
	if (s->max_w >= s->cell_w && s->max_w / s->cell_w < tile_cols)
		tile_cols = s->max_w / s->cell_w;
	if (s->max_h >= s->cell_h && s->max_h / s->cell_h < tile_rows)
		tile_rows = s->max_h / s->cell_h;
	mark_dirty(s, px);
	n = sixelarea_rects(s->dirty, s->cols, s->rows, s->rects, MAX_RECTS);
	for (i = 0; i < n; i++) {
		const struct sixelarea_rect *r = &s->rects[i];
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
