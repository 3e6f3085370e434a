/* region.c: pixel sets over their bounding box, their outlines, and the unlabeled gaps of an
 * instance mask (see region.h). */
#include "config.h"

#include "region.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

void region_free(struct region *r)
{
	free(r->mask);
	memset(r, 0, sizeof(*r));
}

void region_from_mask(struct region *r, const uint8_t *mask, int w, int h, size_t stride)
{
	raster_rect b = raster_bounds_mask(mask, w, h, stride);
	int x, y, x0 = b.x0, y0 = b.y0;

	region_free(r);
	if (b.x1 <= b.x0)
		return;
	r->x0 = x0;
	r->y0 = y0;
	r->w = b.x1 - b.x0;
	r->h = b.y1 - b.y0;
	r->mask = xcalloc((size_t)r->w * r->h, 1);
	for (y = 0; y < r->h; y++)
		for (x = 0; x < r->w; x++)
			if (mask[(size_t)(y + y0) * stride + x + x0]) {
				r->mask[(size_t)y * r->w + x] = 1;
				r->npx++;
			}
}

int region_has(const struct region *r, int x, int y)
{
	x -= r->x0;
	y -= r->y0;
	return r->mask && x >= 0 && y >= 0 && x < r->w && y < r->h && r->mask[(size_t)y * r->w + x];
}

void region_merge(struct region *a, const struct region *b, int value)
{
	struct region n = { 0 };
	int x, y;

	if (!b->mask || !b->npx)
		return;
	if (!a->mask || !a->npx) {
		if (!value)
			return;
		n.x0 = b->x0;
		n.y0 = b->y0;
		n.w = b->w;
		n.h = b->h;
	} else {
		int x1 = a->x0 + a->w, y1 = a->y0 + a->h;

		n.x0 = a->x0;
		n.y0 = a->y0;
		if (value) {
			n.x0 = b->x0 < n.x0 ? b->x0 : n.x0;
			n.y0 = b->y0 < n.y0 ? b->y0 : n.y0;
			x1 = b->x0 + b->w > x1 ? b->x0 + b->w : x1;
			y1 = b->y0 + b->h > y1 ? b->y0 + b->h : y1;
		}
		n.w = x1 - n.x0;
		n.h = y1 - n.y0;
	}
	n.mask = xcalloc((size_t)n.w * n.h, 1);
	for (y = 0; y < n.h; y++)
		for (x = 0; x < n.w; x++) {
			int ix = x + n.x0, iy = y + n.y0, in = region_has(a, ix, iy);

			if (region_has(b, ix, iy))
				in = value;
			if (in) {
				n.mask[(size_t)y * n.w + x] = 1;
				n.npx++;
			}
		}
	region_free(a);
	*a = n;
}

int region_rings(const struct region *r, raster_ring **rings, size_t *nrings, char **cause)
{
	size_t i, k;

	*rings = NULL;
	*nrings = 0;
	if (!r->mask || !r->npx)
		return 0;
	if (raster_trace(r->mask, r->w, r->h, (size_t)r->w, rings, nrings, cause) != 0)
		return -1;
	for (i = 0; i < *nrings; i++)
		for (k = 0; k < (*rings)[i].n; k++) {
			(*rings)[i].pts[k].x += r->x0 * RASTER_ONE;
			(*rings)[i].pts[k].y += r->y0 * RASTER_ONE;
		}
	return 0;
}

/* ---- the unlabeled gaps ------------------------------------------------------------------ */

struct run {
	int y, x0, x1;
	size_t parent;
};

static size_t find(struct run *runs, size_t i)
{
	while (runs[i].parent != i) {
		runs[i].parent = runs[runs[i].parent].parent;
		i = runs[i].parent;
	}
	return i;
}

struct acc {
	uint64_t npx;
	double sx, sy;
	int bx0, by0, bx1, by1;
	double best;
	int x, y;
	size_t root;
};

static int gap_order(const void *pa, const void *pb)
{
	const struct region_gap *a = pa, *b = pb;

	if (a->npx != b->npx)
		return a->npx > b->npx ? -1 : 1;
	if (a->by0 != b->by0)
		return a->by0 < b->by0 ? -1 : 1;
	return (a->bx0 > b->bx0) - (a->bx0 < b->bx0);
}

int region_find_gaps(const uint16_t *ids, int w, int h, size_t max, struct region_gap **gaps,
    size_t *ngaps, char **cause)
{
	struct run *runs = NULL;
	struct acc *acc = NULL;
	size_t nruns = 0, cap = 0, prev0 = 0, prev1 = 0, i, nroots = 0, *slot = NULL;
	int x, y;

	*gaps = NULL;
	*ngaps = 0;
	if (w <= 0 || h <= 0)
		return err_set(cause, "no image");
	for (y = 0; y < h; y++) {
		const uint16_t *row = ids + (size_t)y * w;
		size_t cur0 = nruns, p = prev0;

		for (x = 0; x < w;) {
			int x0;

			if (row[x]) {
				x++;
				continue;
			}
			x0 = x;
			while (x < w && !row[x])
				x++;
			if (nruns == cap) {
				cap = cap ? 2 * cap : 1024;
				runs = xreallocarray(runs, cap, sizeof(*runs));
			}
			runs[nruns].y = y;
			runs[nruns].x0 = x0;
			runs[nruns].x1 = x;
			runs[nruns].parent = nruns;
			/* The runs of the row above that overlap this one (4-connected: they share a
			 * column) are one gap with it. */
			while (p < prev1 && runs[p].x1 <= x0)
				p++;
			for (size_t q = p; q < prev1 && runs[q].x0 < x; q++) {
				size_t a = find(runs, q), b = find(runs, nruns);

				if (a != b)
					runs[a > b ? a : b].parent = a < b ? a : b;
			}
			nruns++;
		}
		prev0 = cur0;
		prev1 = nruns;
	}
	if (!nruns)
		goto done;
	slot = xmalloc(nruns * sizeof(*slot));
	for (i = 0; i < nruns; i++) {
		size_t r = find(runs, i);

		if (r == i) {
			slot[i] = nroots++;
		} else {
			slot[i] = slot[r]; /* roots come before their members: the lower index wins */
		}
	}
	acc = xcalloc(nroots, sizeof(*acc));
	for (i = 0; i < nruns; i++) {
		struct acc *g = &acc[slot[i]];
		uint64_t n = (uint64_t)(runs[i].x1 - runs[i].x0);

		if (!g->npx) {
			g->bx0 = runs[i].x0;
			g->by0 = runs[i].y;
			g->bx1 = runs[i].x1;
			g->by1 = runs[i].y + 1;
		}
		g->npx += n;
		g->sx += (double)n * (runs[i].x0 + runs[i].x1) / 2.0;
		g->sy += (double)n * (runs[i].y + 0.5);
		g->bx0 = runs[i].x0 < g->bx0 ? runs[i].x0 : g->bx0;
		g->bx1 = runs[i].x1 > g->bx1 ? runs[i].x1 : g->bx1;
		g->by1 = runs[i].y + 1;
		g->best = -1;
	}
	/* The pixel of each gap nearest its centre of mass: a concave gap's centre may lie outside. */
	for (i = 0; i < nruns; i++) {
		struct acc *g = &acc[slot[i]];
		double cx = g->sx / g->npx, cy = g->sy / g->npx, px, d;
		int xi = (int)cx;

		xi = xi < runs[i].x0 ? runs[i].x0 : xi >= runs[i].x1 ? runs[i].x1 - 1 : xi;
		px = xi + 0.5;
		d = (px - cx) * (px - cx) + (runs[i].y + 0.5 - cy) * (runs[i].y + 0.5 - cy);
		if (g->best < 0 || d < g->best) {
			g->best = d;
			g->x = xi;
			g->y = runs[i].y;
		}
	}
	*gaps = xcalloc(nroots, sizeof(**gaps));
	for (i = 0; i < nroots; i++) {
		(*gaps)[i].npx = acc[i].npx;
		(*gaps)[i].x = acc[i].x;
		(*gaps)[i].y = acc[i].y;
		(*gaps)[i].bx0 = acc[i].bx0;
		(*gaps)[i].by0 = acc[i].by0;
		(*gaps)[i].bx1 = acc[i].bx1;
		(*gaps)[i].by1 = acc[i].by1;
	}
	if (nroots > 1) /* qsort's base must not be NULL, even for nothing */
		qsort(*gaps, nroots, sizeof(**gaps), gap_order);
	*ngaps = nroots < max ? nroots : max;
done:
	free(runs);
	free(acc);
	free(slot);
	return 0;
}
