/* compose.c: the pixels of an instance (compose_region, the one place "adds minus cuts" is
 * worked out), and the painter's algorithm over the z-order, clipped to the dirty rectangle. */
#include "config.h"

#include "compose.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

int compose_init(struct compose *c, int w, int h, char **cause)
{
	memset(c, 0, sizeof(*c));
	if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > SIZE_MAX / 4)
		return err_set(cause, "impossible mask size %dx%d", w, h);
	c->w = w;
	c->h = h;
	c->cls = xcalloc((size_t)w * h, 1);
	c->ids = xcalloc((size_t)w * h, sizeof(uint16_t));
	c->inst_pixels = xcalloc(65536, sizeof(uint64_t));
	c->inst_pixels[0] = (uint64_t)w * h;
	c->class_pixels[0] = (uint64_t)w * h;
	return 0;
}

void compose_free(struct compose *c)
{
	free(c->cls);
	free(c->ids);
	free(c->inst_pixels);
	compose_scratch_free(&c->scratch);
	memset(c, 0, sizeof(*c));
}

void compose_scratch_free(struct compose_scratch *scratch)
{
	free(scratch->buf);
	scratch->buf = NULL;
	scratch->cap = 0;
}

int compose_shape(const struct doc_shape *s, raster_rect clip, raster_span_fn fn, void *ctx,
    char **cause)
{
	/* Skipped by its bounds, a shape far from clip costs no edge sort. */
	clip = doc_rect_intersect(clip, s->bounds);
	if (doc_rect_empty(clip))
		return 0;
	if (s->kind == DOC_POLYGON)
		return raster_fill_rings(s->rings, s->nrings, clip, fn, ctx, cause);
	return raster_fill_stroke(s->path, s->npath, s->width, clip, fn, ctx, cause);
}

#ifndef NDEBUG
/* What compose_region relies on from doc.c: ncuts counts the cut shapes (none means the adds
 * can go straight to fn) and bounds holds every added shape (nothing outside it is filled). */
static int instance_consistent(const struct doc_instance *in)
{
	size_t i;
	int cuts = 0;

	for (i = 0; i < in->nshapes; i++) {
		const struct doc_shape *s = in->shapes[i];

		if (s->op == DOC_CUT)
			cuts++;
		else if (!doc_rect_empty(s->bounds) &&
		    (s->bounds.x0 < in->bounds.x0 || s->bounds.y0 < in->bounds.y0 || s->bounds.x1 > in->bounds.x1 ||
		        s->bounds.y1 > in->bounds.y1))
			return 0;
	}
	return cuts == in->ncuts;
}
#endif

struct mark {
	uint8_t *buf;
	raster_rect box; /* buf's rectangle, box.x1 - box.x0 bytes a row */
	uint8_t value;
};

static void mark_span(void *ctx, int y, int x0, int x1)
{
	struct mark *m = ctx;
	int bw = m->box.x1 - m->box.x0;

	memset(m->buf + (size_t)(y - m->box.y0) * (size_t)bw + (size_t)(x0 - m->box.x0), m->value,
	    (size_t)(x1 - x0));
}

int compose_region(const struct doc_instance *in, raster_rect clip, raster_span_fn fn, void *ctx,
    struct compose_scratch *scratch, char **cause)
{
	raster_rect box = doc_rect_intersect(in->bounds, clip);
	struct mark m;
	size_t i, bw, bh, need;
	int y;

	if (doc_rect_empty(box))
		return 0;
	assert(instance_consistent(in));
	if (in->ncuts == 0) {
		/* Only added shapes: their union is the region, spans may go straight to fn. */
		for (i = 0; i < in->nshapes; i++)
			if (compose_shape(in->shapes[i], box, fn, ctx, cause) != 0)
				return -1;
		return 0;
	}
	/* Added minus cut needs the region first: shapes in any order give the same result, so
	 * mark the adds, then clear the cuts. */
	bw = (size_t)(box.x1 - box.x0);
	bh = (size_t)(box.y1 - box.y0);
	need = bw * bh;
	if (need > scratch->cap) {
		free(scratch->buf);
		scratch->buf = xmalloc(need);
		scratch->cap = need;
	}
	memset(scratch->buf, 0, need);
	m.buf = scratch->buf;
	m.box = box;
	for (i = 0; i < in->nshapes; i++) {
		if (in->shapes[i]->op != DOC_ADD)
			continue;
		m.value = 1;
		if (compose_shape(in->shapes[i], box, mark_span, &m, cause) != 0)
			return -1;
	}
	for (i = 0; i < in->nshapes; i++) {
		if (in->shapes[i]->op != DOC_CUT)
			continue;
		m.value = 0;
		if (compose_shape(in->shapes[i], box, mark_span, &m, cause) != 0)
			return -1;
	}
	for (y = box.y0; y < box.y1; y++) {
		const uint8_t *row = m.buf + (size_t)(y - box.y0) * bw, *end = row + bw, *p = row, *q;

		while (p < end && (p = memchr(p, 1, (size_t)(end - p))) != NULL) {
			q = memchr(p, 0, (size_t)(end - p));
			if (!q)
				q = end;
			fn(ctx, y, box.x0 + (int)(p - row), box.x0 + (int)(q - row));
			p = q;
		}
	}
	return 0;
}

struct paint {
	struct compose *c;
	uint16_t id;
	uint8_t cls;
};

static void paint_span(void *ctx, int y, int x0, int x1)
{
	struct paint *p = ctx;
	size_t o = (size_t)y * (size_t)p->c->w;
	int x;

	memset(p->c->cls + o + x0, p->cls, (size_t)(x1 - x0));
	for (x = x0; x < x1; x++)
		p->c->ids[o + (size_t)x] = p->id;
}

/* Adds (sign +1) or removes (-1) the rectangle's pixels from the counts. Masks are long runs
 * of one value, so runs are counted, not pixels: this pass was a fifth of an export's time. */
static void count_rect(struct compose *c, raster_rect r, int sign)
{
	int x, y;

	for (y = r.y0; y < r.y1; y++) {
		const uint16_t *ids = c->ids + (size_t)y * c->w;
		const uint8_t *cls = c->cls + (size_t)y * c->w;

		for (x = r.x0; x < r.x1;) {
			uint16_t id = ids[x];
			uint8_t k = cls[x];
			int x1 = x + 1;
			uint64_t n;

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
			{
				/* Four pixels a step while both masks hold the run's values. */
				uint64_t id4 = 0x0001000100010001ull * id, v;
				uint32_t k4 = 0x01010101u * k, u;

				while (x1 + 4 <= r.x1) {
					memcpy(&v, ids + x1, 8);
					memcpy(&u, cls + x1, 4);
					if (v != id4 || u != k4)
						break;
					x1 += 4;
				}
			}
#endif
			while (x1 < r.x1 && ids[x1] == id && cls[x1] == k)
				x1++;
			n = (uint64_t)(x1 - x);
			if (sign > 0) {
				c->inst_pixels[id] += n;
				c->class_pixels[k] += n;
			} else {
				c->inst_pixels[id] -= n;
				c->class_pixels[k] -= n;
			}
			x = x1;
		}
	}
}

static int paint_instance(struct compose *c, const struct doc_instance *in, raster_rect r,
    char **cause)
{
	struct paint p = { c, in->id, in->class_id };

	/* Most instances miss an edit's rectangle: they are passed over here, without a call. */
	if (in->bounds.x0 >= r.x1 || r.x0 >= in->bounds.x1 || in->bounds.y0 >= r.y1 || r.y0 >= in->bounds.y1)
		return 0;
	return compose_region(in, r, paint_span, &p, &c->scratch, cause);
}

int compose_rect(struct compose *c, const struct doc *d, raster_rect r, char **cause)
{
	size_t i;
	int y;

	r = doc_rect_intersect(r, (raster_rect){ 0, 0, c->w, c->h });
	if (doc_rect_empty(r))
		return 0;
	if (r.x0 == 0 && r.y0 == 0 && r.x1 == c->w && r.y1 == c->h) {
		/* Everything is recounted anyway. */
		memset(c->inst_pixels, 0, 65536 * sizeof(uint64_t));
		memset(c->class_pixels, 0, sizeof(c->class_pixels));
	} else {
		count_rect(c, r, -1);
	}
	for (y = r.y0; y < r.y1; y++) {
		size_t o = (size_t)y * (size_t)c->w + (size_t)r.x0;

		memset(c->cls + o, 0, (size_t)(r.x1 - r.x0));
		memset(c->ids + o, 0, (size_t)(r.x1 - r.x0) * sizeof(uint16_t));
	}
	for (i = 0; i < d->ninst; i++) {
		if (paint_instance(c, d->inst[i], r, cause) != 0) {
			count_rect(c, r, +1);
			return -1;
		}
	}
	count_rect(c, r, +1);
	return 0;
}

int compose_all(struct compose *c, const struct doc *d, char **cause)
{
	return compose_rect(c, d, (raster_rect){ 0, 0, c->w, c->h }, cause);
}
