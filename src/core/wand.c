/* wand.c: the magic wand (see wand.h): a scanline flood from the pixel clicked. */
#include "config.h"

#include "wand.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

struct span {
	int y, x0, x1; /* a run of this row to look above and below, half open */
};

/* Pixels seen, a bit each, in chunks of a row allocated when first touched: the memory and
 * the zeroing follow the region (a wide image's rows are not touched end to end). */
#define CHUNK_PX 1024

struct flood {
	const struct img *im;
	int ref[3], tol, chans;
	uint8_t **seen;         /* [y * cpr + x / CHUNK_PX], NULL until touched */
	size_t cpr;             /* chunks a row */
	struct span *stack;
	size_t n, cap;
	int bx0, by0, bx1, by1; /* the box so far, half open */
};

static int similar(const struct flood *f, int x, int y)
{
	size_t i = (size_t)y * f->im->w + x;
	int c;

	if (f->im->rgb) {
		const uint8_t *p = f->im->rgb + i * 3;

		for (c = 0; c < 3; c++)
			if (abs((int)p[c] - f->ref[c]) > f->tol)
				return 0;
		return 1;
	}
	for (c = 0; c < f->chans; c++)
		if (abs((int)f->im->px16[i * f->chans + c] - f->ref[c]) > f->tol)
			return 0;
	return 1;
}

static int seen(const struct flood *f, int x, int y)
{
	const uint8_t *c = f->seen[(size_t)y * f->cpr + (size_t)x / CHUNK_PX];
	int b = x % CHUNK_PX;

	return c && (c[b >> 3] >> (b & 7) & 1);
}

static void mark(struct flood *f, int x, int y)
{
	uint8_t **c = &f->seen[(size_t)y * f->cpr + (size_t)x / CHUNK_PX];
	int b = x % CHUNK_PX;

	if (!*c)
		*c = xcalloc(CHUNK_PX / 8, 1);
	(*c)[b >> 3] |= (uint8_t)(1u << (b & 7));
}

/* Takes the run through (x, y), marks it, records it for its neighbours rows. */
static void take_run(struct flood *f, int x, int y)
{
	int x0 = x, x1 = x + 1, w = f->im->w;

	while (x0 > 0 && !seen(f, x0 - 1, y) && similar(f, x0 - 1, y))
		x0--;
	while (x1 < w && !seen(f, x1, y) && similar(f, x1, y))
		x1++;
	for (x = x0; x < x1; x++)
		mark(f, x, y);
	f->bx0 = x0 < f->bx0 ? x0 : f->bx0;
	f->bx1 = x1 > f->bx1 ? x1 : f->bx1;
	f->by0 = y < f->by0 ? y : f->by0;
	f->by1 = y + 1 > f->by1 ? y + 1 : f->by1;
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 256;
		f->stack = xreallocarray(f->stack, f->cap, sizeof(*f->stack));
	}
	f->stack[f->n].y = y;
	f->stack[f->n].x0 = x0;
	f->stack[f->n].x1 = x1;
	f->n++;
}

static void scan_row(struct flood *f, int y, int x0, int x1)
{
	int x;

	if (y < 0 || y >= f->im->h)
		return;
	for (x = x0; x < x1; x++)
		if (!seen(f, x, y) && similar(f, x, y))
			take_run(f, x, y);
}

int wand_select(const struct img *im, int x, int y, int tol, struct region *out, char **cause)
{
	struct flood f;
	int c, rx, ry;

	region_free(out);
	if (x < 0 || y < 0 || x >= im->w || y >= im->h)
		return err_set(cause, "the wand's point (%d, %d) is outside the image", x, y);
	tol = tol < 0 ? 0 : tol > WAND_TOL_MAX ? WAND_TOL_MAX : tol;
	memset(&f, 0, sizeof(f));
	f.im = im;
	f.chans = im->rgb ? 3 : im->chans;
	/* 16 bits: the tolerance is a share of the image's default window (its 0.5th to 99.5th
	 * percentiles, a property of the file, not of the view), so that 24 means as much on a
	 * narrow band of values as on an 8-bit photo. */
	if (im->rgb)
		f.tol = tol;
	else if (im->win_hi > im->win_lo)
		f.tol = (int)(((int64_t)tol * (im->win_hi - im->win_lo) + 127) / 255);
	else
		f.tol = tol * 257;
	for (c = 0; c < f.chans; c++)
		f.ref[c] = im->rgb ? im->rgb[((size_t)y * im->w + x) * 3 + c] : im->px16[((size_t)y * im->w + x) * f.chans + c];
	f.cpr = ((size_t)im->w + CHUNK_PX - 1) / CHUNK_PX;
	/* calloc: the pages of rows never reached are never zeroed. */
	f.seen = xcalloc((size_t)im->h * f.cpr, sizeof(*f.seen));
	f.bx0 = x;
	f.by0 = y;
	f.bx1 = x + 1;
	f.by1 = y + 1;
	take_run(&f, x, y);
	while (f.n > 0) {
		struct span s = f.stack[--f.n];

		scan_row(&f, s.y - 1, s.x0, s.x1);
		scan_row(&f, s.y + 1, s.x0, s.x1);
	}
	out->x0 = f.bx0;
	out->y0 = f.by0;
	out->w = f.bx1 - f.bx0;
	out->h = f.by1 - f.by0;
	out->mask = xcalloc((size_t)out->w * out->h, 1);
	for (ry = 0; ry < out->h; ry++)
		for (rx = 0; rx < out->w; rx++)
			if (seen(&f, rx + f.bx0, ry + f.by0)) {
				out->mask[(size_t)ry * out->w + rx] = 1;
				out->npx++;
			}
	for (ry = out->y0; ry < out->y0 + out->h; ry++)
		for (rx = 0; rx < (int)f.cpr; rx++)
			free(f.seen[(size_t)ry * f.cpr + rx]);
	free(f.seen);
	free(f.stack);
	return 0;
}
