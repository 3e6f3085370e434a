/* sliver.c: small stray parts of instances (see sliver.h). Runs of one id, row by row, joined
 * with the runs above them that they touch (union-find), so the memory follows the runs, not
 * the pixels: a whole 50-megapixel image is one pass over its instance mask. */
#include "config.h"

#include "sliver.h"

#include <stdlib.h>

#include "xalloc.h"

struct run {
	int x0, x1;     /* [x0, x1) */
	uint32_t part;  /* its part (union-find) */
};

struct part {
	uint32_t parent;
	uint16_t id;
	uint8_t open;   /* reaches a side of the window inside the image: maybe big */
	uint8_t meets;  /* has a pixel in the rectangle asked about */
	uint64_t pixels;
	int fx, fy;     /* its first pixel in row order */
	raster_rect b;
};

static uint32_t root(struct part *p, uint32_t i)
{
	uint32_t r = i;

	while (p[r].parent != r)
		r = p[r].parent;
	while (p[i].parent != r) {
		uint32_t next = p[i].parent;

		p[i].parent = r;
		i = next;
	}
	return r;
}

static void join(struct part *p, uint32_t a, uint32_t b)
{
	a = root(p, a);
	b = root(p, b);
	if (a == b)
		return;
	if (p[b].fy < p[a].fy || (p[b].fy == p[a].fy && p[b].fx < p[a].fx)) {
		uint32_t t = a;

		a = b;
		b = t;
	}
	p[b].parent = a;
	p[a].pixels += p[b].pixels;
	p[a].open |= p[b].open;
	p[a].meets |= p[b].meets;
	p[a].b.x0 = p[b].b.x0 < p[a].b.x0 ? p[b].b.x0 : p[a].b.x0;
	p[a].b.y0 = p[b].b.y0 < p[a].b.y0 ? p[b].b.y0 : p[a].b.y0;
	p[a].b.x1 = p[b].b.x1 > p[a].b.x1 ? p[b].b.x1 : p[a].b.x1;
	p[a].b.y1 = p[b].b.y1 > p[a].b.y1 ? p[b].b.y1 : p[a].b.y1;
}

static int by_first_pixel(const void *a, const void *b)
{
	const struct sliver *p = a, *q = b;

	if (p->y != q->y)
		return p->y < q->y ? -1 : 1;
	return p->x < q->x ? -1 : p->x > q->x;
}

size_t sliver_find(const uint16_t *ids, int w, int h, const uint64_t *inst_pixels, raster_rect r,
    uint32_t max_pixels, struct sliver **list, size_t *n, size_t *cap)
{
	struct run *prev, *cur, *t;
	struct part *parts = NULL;
	size_t nparts = 0, capparts = 0, first = *n, i;
	int wx0, wy0, wx1, wy1, x, y, nprev = 0, ncur;
	int64_t m = max_pixels;

	r.x0 = r.x0 < 0 ? 0 : r.x0;
	r.y0 = r.y0 < 0 ? 0 : r.y0;
	r.x1 = r.x1 > w ? w : r.x1;
	r.y1 = r.y1 > h ? h : r.y1;
	if (max_pixels == 0 || r.x0 >= r.x1 || r.y0 >= r.y1)
		return 0;
	/* A part that meets r and reaches max_pixels beyond it holds at least max_pixels: the
	 * window r grown by that much decides every small one. */
	wx0 = (int)(r.x0 - m < 0 ? 0 : r.x0 - m);
	wy0 = (int)(r.y0 - m < 0 ? 0 : r.y0 - m);
	wx1 = (int)(r.x1 + m > w ? w : r.x1 + m);
	wy1 = (int)(r.y1 + m > h ? h : r.y1 + m);
	prev = xreallocarray(NULL, (size_t)(wx1 - wx0), sizeof(*prev));
	cur = xreallocarray(NULL, (size_t)(wx1 - wx0), sizeof(*cur));
	for (y = wy0; y < wy1; y++) {
		const uint16_t *row = ids + (size_t)y * w;
		int j = 0;

		ncur = 0;
		for (x = wx0; x < wx1;) {
			uint16_t id = row[x];
			struct part *p;
			int x0 = x, k;

			if (!id) {
				x++;
				continue;
			}
			while (x < wx1 && row[x] == id)
				x++;
			if (nparts == capparts) {
				capparts = capparts ? 2 * capparts : 256;
				parts = xreallocarray(parts, capparts, sizeof(*parts));
			}
			p = &parts[nparts];
			p->parent = (uint32_t)nparts;
			p->id = id;
			p->pixels = (uint64_t)(x - x0);
			p->fx = x0;
			p->fy = y;
			p->b.x0 = x0;
			p->b.x1 = x;
			p->b.y0 = y;
			p->b.y1 = y + 1;
			p->open = (x0 == wx0 && wx0 > 0) || (x == wx1 && wx1 < w) || (y == wy0 && wy0 > 0) ||
			    (y == wy1 - 1 && wy1 < h);
			p->meets = y >= r.y0 && y < r.y1 && x0 < r.x1 && x > r.x0;
			cur[ncur].x0 = x0;
			cur[ncur].x1 = x;
			cur[ncur].part = (uint32_t)nparts++;
			/* The runs above that share a side with this one (4-connected). */
			while (j < nprev && prev[j].x1 <= x0)
				j++;
			for (k = j; k < nprev && prev[k].x0 < x; k++)
				if (parts[prev[k].part].id == id)
					join(parts, cur[ncur].part, prev[k].part);
			ncur++;
		}
		t = prev;
		prev = cur;
		cur = t;
		nprev = ncur;
	}
	for (i = 0; i < nparts; i++) {
		struct part *p = &parts[i];
		struct sliver *s;

		if (p->parent != i || !p->meets || p->open || p->pixels >= max_pixels || inst_pixels[p->id] <= p->pixels)
			continue;
		if (*n == *cap) {
			*cap = *cap ? 2 * *cap : 16;
			*list = xreallocarray(*list, *cap, sizeof(**list));
		}
		s = &(*list)[(*n)++];
		s->inst = p->id;
		s->pixels = (uint32_t)p->pixels;
		s->x = p->fx;
		s->y = p->fy;
		s->bounds = p->b;
	}
	if (*n - first > 1)
		qsort(*list + first, *n - first, sizeof(**list), by_first_pixel);
	free(parts);
	free(prev);
	free(cur);
	return *n - first;
}
