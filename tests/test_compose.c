/* test_compose.c: masks from the document. Against a brute-force reference (per instance: its
 * added shapes filled, its cut shapes cleared; per pixel: the top-most covering instance), after
 * every step of random edit, undo and redo sequences recomposed only in the dirty rectangle.
 * Also: drawing behind shares the border exactly, nesting, counts. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "tap.h"

#define W 97
#define H 71

static uint32_t rng = 2024;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static int32_t rcoord(int max) { return (int32_t)(rnd() % (uint32_t)((max + 20) * RASTER_ONE)) - 10 * RASTER_ONE; }

static struct doc_shape *random_shape(enum doc_shape_op op)
{
	raster_pt pts[12];
	size_t n = 3 + rnd() % 9, i;

	if (rnd() % 4 == 0) {
		for (i = 0; i < n; i++) {
			pts[i].x = rcoord(W);
			pts[i].y = rcoord(H);
		}
		return doc_shape_stroke(op, pts, n, (int32_t)(1 + rnd() % (8 * RASTER_ONE)), NULL);
	} else {
		raster_ring r = { pts, n };
		int32_t cx = rcoord(W), cy = rcoord(H), rad = (int32_t)(RASTER_ONE * (3 + rnd() % 30));

		for (i = 0; i < n; i++) {
			pts[i].x = cx + (int32_t)(rnd() % (uint32_t)(2 * rad)) - rad;
			pts[i].y = cy + (int32_t)(rnd() % (uint32_t)(2 * rad)) - rad;
		}
		return doc_shape_polygon(op, &r, 1, NULL);
	}
}

static uint8_t *scratch_mask;

static void set_span(void *ctx, int y, int x0, int x1)
{
	memset(scratch_mask + (size_t)y * W + x0, *(uint8_t *)ctx, (size_t)(x1 - x0));
}

/* An instance's whole region on the full-image scratch_mask, written independently of
 * compose.c: its added shapes filled, then its cut shapes cleared. */
static void reference_region(const struct doc_instance *in)
{
	raster_rect all = { 0, 0, W, H };
	size_t k;

	memset(scratch_mask, 0, W * H);
	for (k = 0; k < in->nshapes; k++) {
		const struct doc_shape *s = in->shapes[k];
		uint8_t v = s->op == DOC_ADD;

		if (v != 1)
			continue;
		if (s->kind == DOC_POLYGON)
			(void)!raster_fill_rings(s->rings, s->nrings, all, set_span, &v, NULL);
		else
			(void)!raster_fill_stroke(s->path, s->npath, s->width, all, set_span, &v, NULL);
	}
	for (k = 0; k < in->nshapes; k++) {
		const struct doc_shape *s = in->shapes[k];
		uint8_t v = 0;

		if (s->op != DOC_CUT)
			continue;
		if (s->kind == DOC_POLYGON)
			(void)!raster_fill_rings(s->rings, s->nrings, all, set_span, &v, NULL);
		else
			(void)!raster_fill_stroke(s->path, s->npath, s->width, all, set_span, &v, NULL);
	}
}

/* The reference composition: bottom to top, each instance's whole region, then painted. */
static void reference(const struct doc *d, uint16_t *ids)
{
	size_t i;
	int p;

	memset(ids, 0, sizeof(uint16_t) * W * H);
	scratch_mask = malloc(W * H);
	for (i = 0; i < d->ninst; i++) {
		reference_region(d->inst[i]);
		for (p = 0; p < W * H; p++)
			if (scratch_mask[p])
				ids[p] = d->inst[i]->id;
	}
	free(scratch_mask);
}

struct region_check {
	raster_rect clip;
	uint8_t hits[W * H];
	int outside, ordered; /* spans outside clip; whether rows and runs came in order */
	int last_y, last_x1;
};

static void region_span(void *ctx, int y, int x0, int x1)
{
	struct region_check *rc = ctx;
	int x;

	if (x0 >= x1 || y < rc->clip.y0 || y >= rc->clip.y1 || x0 < rc->clip.x0 || x1 > rc->clip.x1) {
		rc->outside++;
		return;
	}
	if (y < rc->last_y || (y == rc->last_y && x0 <= rc->last_x1))
		rc->ordered = 0;
	rc->last_y = y;
	rc->last_x1 = x1;
	for (x = x0; x < x1; x++)
		if (rc->hits[y * W + x] < 255)
			rc->hits[y * W + x]++;
}

/* compose_region alone, the pixel rule of an instance that masks, imports and exports share:
 * random instances of added and cut shapes, random clips, against reference_region. */
static void test_region(void)
{
	static struct region_check rc;
	struct compose_scratch scratch = { NULL, 0 };
	int inst, bad = 0, with_cuts = 0, p;

	scratch_mask = malloc(W * H);
	for (inst = 0; inst < 300; inst++) {
		struct doc *d = doc_new(W, H, NULL);
		const struct doc_instance *in;
		uint16_t id;
		int n = (int)(rnd() % 4), k, clips;

		(void)doc_add_instance(d, 1, 0, DOC_OVER, random_shape(DOC_ADD), &id, NULL, NULL);
		for (k = 0; k < n; k++)
			(void)doc_add_shape(d, id, random_shape(rnd() % 2 ? DOC_ADD : DOC_CUT), NULL, NULL);
		in = doc_instance(d, id);
		with_cuts += in->ncuts > 0;
		reference_region(in);
		for (clips = 0; clips < 4; clips++) {
			memset(&rc, 0, sizeof(rc));
			rc.ordered = 1;
			rc.last_y = -1;
			if (clips == 0) {
				rc.clip = (raster_rect){ 0, 0, W, H };
			} else {
				rc.clip.x0 = (int)(rnd() % W);
				rc.clip.y0 = (int)(rnd() % H);
				rc.clip.x1 = rc.clip.x0 + (int)(rnd() % W);
				rc.clip.y1 = rc.clip.y0 + (int)(rnd() % H);
				if (rc.clip.x1 > W)
					rc.clip.x1 = W;
				if (rc.clip.y1 > H)
					rc.clip.y1 = H;
			}
			if (compose_region(in, rc.clip, region_span, &rc, &scratch, NULL) != 0) {
				bad++;
				continue;
			}
			for (p = 0; p < W * H; p++) {
				int x = p % W, y = p / W;
				int want = scratch_mask[p] && x >= rc.clip.x0 && x < rc.clip.x1 && y >= rc.clip.y0 &&
				    y < rc.clip.y1;

				/* With cuts the spans are the region's runs, each pixel once, in order. */
				if ((rc.hits[p] != 0) != want || (in->ncuts && rc.hits[p] > 1))
					break;
			}
			if (p < W * H || rc.outside || (in->ncuts && !rc.ordered)) {
				if (bad++ < 5)
					tap_diag("instance %d clip %d: compose_region differs from the reference", inst, clips);
			}
		}
		doc_free(d);
	}
	compose_scratch_free(&scratch);
	free(scratch_mask);
	tap_ok(bad == 0 && with_cuts > 50, "compose_region: %d instances (%d with cuts) in 4 clips each equal the reference",
	    inst, with_cuts);
}

static int matches(const struct compose *c, const struct doc *d, const uint16_t *ref)
{
	uint64_t counts[65536], classes[256];
	int p;

	memset(counts, 0, sizeof(counts));
	memset(classes, 0, sizeof(classes));
	for (p = 0; p < W * H; p++) {
		const struct doc_instance *in = ref[p] ? doc_instance(d, ref[p]) : NULL;

		if (c->ids[p] != ref[p] || c->cls[p] != (in ? in->class_id : 0))
			return 0;
		counts[c->ids[p]]++;
		classes[c->cls[p]]++;
	}
	for (p = 0; p < 65536; p++)
		if (counts[p] != c->inst_pixels[p])
			return 0;
	return memcmp(classes, c->class_pixels, sizeof(classes)) == 0;
}

static uint16_t pick(const struct doc *d)
{
	return d->ninst ? d->inst[rnd() % d->ninst]->id : 0;
}

int main(void)
{
	static uint16_t ref[W * H];
	struct compose c, fresh;
	struct doc *d;
	int step, seq, bad = 0, steps = 0;

	for (seq = 0; seq < 40; seq++) {
		d = doc_new(W, H, NULL);
		compose_init(&c, W, H, NULL);
		for (step = 0; step < 60; step++) {
			raster_rect dirty = { 0, 0, 0, 0 };
			uint16_t id = pick(d);
			int r = (int)(rnd() % 12), done = 0;

			if (r < 3 || !id)
				done = doc_add_instance(d, 1 + (int)(rnd() % 5), 0, rnd() % 2 ? DOC_OVER : DOC_BEHIND,
				    random_shape(DOC_ADD), NULL, &dirty, NULL) == 0;
			else if (r == 3)
				done = doc_add_shape(d, id, random_shape(DOC_ADD), &dirty, NULL) == 0;
			else if (r == 4)
				done = doc_add_shape(d, id, random_shape(DOC_CUT), &dirty, NULL) == 0;
			else if (r == 5)
				done = doc_move(d, id, rnd() % (d->ninst + 1), &dirty, NULL) == 0;
			else if (r == 6)
				done = doc_set_class(d, id, 1 + (int)(rnd() % 5), &dirty, NULL) == 0;
			else if (r == 7)
				done = doc_delete_instance(d, id, &dirty, NULL) == 0;
			else if (r == 8)
				done = doc_remove_shape(d, id, rnd() % doc_instance(d, id)->nshapes, &dirty, NULL) == 0;
			else if (r == 9)
				done = doc_replace_shape(d, id, rnd() % doc_instance(d, id)->nshapes,
				    random_shape(rnd() % 3 ? DOC_ADD : DOC_CUT), &dirty, NULL) == 0;
			else if (r == 10)
				done = doc_undo(d, &dirty);
			else
				done = doc_redo(d, &dirty);
			if (!done)
				continue;
			steps++;
			if (compose_rect(&c, d, dirty, NULL) != 0) {
				bad++;
				continue;
			}
			reference(d, ref);
			if (!matches(&c, d, ref)) {
				if (bad++ < 5)
					tap_diag("sequence %d step %d (op %d): masks differ from the reference", seq, step, r);
			}
		}
		compose_init(&fresh, W, H, NULL);
		compose_all(&fresh, d, NULL);
		if (memcmp(fresh.ids, c.ids, sizeof(uint16_t) * W * H) || memcmp(fresh.cls, c.cls, W * H))
			bad++;
		compose_free(&fresh);
		compose_free(&c);
		doc_free(d);
	}
	tap_ok(bad == 0, "%d random edits, undos and redos: incremental masks and counts equal the reference", steps);

	/* Behind shares the border: a square, then a bigger square drawn behind it. */
	{
		raster_pt a[4] = { { 2560, 2560 }, { 7680, 2560 }, { 7680, 7680 }, { 2560, 7680 } };
		raster_pt b[4] = { { 1280 + 64, 1280 + 32 }, { 15000, 1300 }, { 15000, 12000 }, { 1300, 12000 } };
		raster_ring ra = { a, 4 }, rb = { b, 4 };
		uint16_t ia, ib;
		int p, gap = 0, steal = 0;

		d = doc_new(W, H, NULL);
		compose_init(&c, W, H, NULL);
		(void)doc_add_instance(d, 1, 0, DOC_OVER, doc_shape_polygon(DOC_ADD, &ra, 1, NULL), &ia, NULL, NULL);
		(void)doc_add_instance(d, 2, 0, DOC_BEHIND, doc_shape_polygon(DOC_ADD, &rb, 1, NULL), &ib, NULL, NULL);
		compose_all(&c, d, NULL);
		for (p = 0; p < W * H; p++) {
			int x = p % W, y = p / W, in_a = x >= 10 && x < 30 && y >= 10 && y < 30;

			steal += in_a && c.ids[p] != ia;
			gap += !in_a && x >= 6 && x < 58 && y >= 6 && y < 46 && c.ids[p] != ib;
		}
		tap_ok(steal == 0 && gap == 0, "drawn behind: the front keeps every pixel, the back fills the rest, no gap");
		tap_ok(c.inst_pixels[ia] == 400 && c.class_pixels[1] == 400 &&
		    c.inst_pixels[ia] + c.inst_pixels[ib] + c.inst_pixels[0] == W * H, "pixel counts add up");
		compose_free(&c);
		doc_free(d);
	}
	tap_ok(compose_init(&c, 0, 5, NULL) == -1, "an empty mask is refused");
	test_region();
	return tap_done();
}
