/* agree.c: agreement counts of two annotations (see agree.h). One pass over the four masks in
 * runs of equal pixels (masks are mostly long runs, so the counting follows the runs, not the
 * pixels): class pixels per side and in common, pixels per segment, and the overlap of each
 * pair of segments in a small hash table. Matching is then a walk over the pairs: IoU > 0.5
 * makes a match unique, so no assignment problem is solved. */
#include "config.h"

#include "agree.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

#define NIDS 65536
#define PAIRS_MIN 1024 /* the pair table's size to begin with: a power of two */

static void scratch_init(struct agree_scratch *s)
{
	if (s->area_a)
		return;
	s->area_a = xcalloc(NIDS, sizeof(*s->area_a));
	s->area_b = xcalloc(NIDS, sizeof(*s->area_b));
	s->class_a = xcalloc(NIDS, sizeof(*s->class_a));
	s->class_b = xcalloc(NIDS, sizeof(*s->class_b));
	s->seen_a = xcalloc(NIDS, sizeof(*s->seen_a));
	s->seen_b = xcalloc(NIDS, sizeof(*s->seen_b));
	s->match_a = xcalloc(NIDS, sizeof(*s->match_a));
	s->match_b = xcalloc(NIDS, sizeof(*s->match_b));
	s->cap = PAIRS_MIN;
	s->keys = xcalloc(s->cap, sizeof(*s->keys));
	s->overlap = xcalloc(s->cap, sizeof(*s->overlap));
}

void agree_scratch_free(struct agree_scratch *s)
{
	free(s->area_a);
	free(s->area_b);
	free(s->class_a);
	free(s->class_b);
	free(s->seen_a);
	free(s->seen_b);
	free(s->match_a);
	free(s->match_b);
	free(s->keys);
	free(s->overlap);
	memset(s, 0, sizeof(*s));
}

static size_t slot_of(uint32_t key, size_t cap)
{
	/* Fibonacci hashing: the ids are small and close together, the product spreads them. */
	return (size_t)(((uint64_t)key * 0x9e3779b97f4a7c15ULL) >> 32) & (cap - 1);
}

static void pair_put(struct agree_scratch *s, uint32_t key, uint64_t n);

static void pair_grow(struct agree_scratch *s)
{
	uint32_t *keys = s->keys;
	uint64_t *overlap = s->overlap;
	size_t cap = s->cap, i;

	s->cap = cap * 2;
	s->keys = xcalloc(s->cap, sizeof(*s->keys));
	s->overlap = xcalloc(s->cap, sizeof(*s->overlap));
	s->used = 0;
	for (i = 0; i < cap; i++)
		if (keys[i])
			pair_put(s, keys[i], overlap[i]);
	free(keys);
	free(overlap);
}

/* key is never 0: both ids are. */
static void pair_put(struct agree_scratch *s, uint32_t key, uint64_t n)
{
	size_t i;

	if (2 * (s->used + 1) > s->cap)
		pair_grow(s);
	for (i = slot_of(key, s->cap); s->keys[i] && s->keys[i] != key; i = (i + 1) & (s->cap - 1))
		;
	if (!s->keys[i]) {
		s->keys[i] = key;
		s->used++;
	}
	s->overlap[i] += n;
}

/* One run of n pixels that are alike on both sides. */
static inline void count_run(struct agree_scratch *s, const uint16_t *map_a, const uint16_t *map_b,
    uint8_t ca, uint8_t cb, uint16_t ia, uint16_t ib, uint64_t n)
{
	uint16_t la = map_a[ca], lb = map_b[cb];

	s->pix_a[la] += n;
	s->pix_b[lb] += n;
	if (la == lb)
		s->inter[la] += n;
	if (ia) {
		if (!s->area_a[ia]) {
			s->class_a[ia] = la;
			s->seen_a[s->nseen_a++] = ia;
		}
		s->area_a[ia] += n;
	}
	if (ib) {
		if (!s->area_b[ib]) {
			s->class_b[ib] = lb;
			s->seen_b[s->nseen_b++] = ib;
		}
		s->area_b[ib] += n;
	}
	if (ia && ib)
		pair_put(s, (uint32_t)ia << 16 | ib, n);
}

int agree_image(const struct agree_masks *a, const struct agree_masks *b, const uint16_t map_a[256],
    const uint16_t map_b[256], size_t nclasses, struct agree_counts *counts, struct agree_scratch *s,
    char **cause)
{
	size_t n, i, start, k;

	if (a->w != b->w || a->h != b->h)
		return err_set(cause, "the two annotations have different sizes: %dx%d and %dx%d", a->w, a->h, b->w, b->h);
	if (nclasses > AGREE_MAX_CLASSES)
		return err_set(cause, "more than %d classes to compare", AGREE_MAX_CLASSES - 1);
	for (i = 0; i < 256; i++)
		if (map_a[i] >= nclasses || map_b[i] >= nclasses)
			return err_set(cause, "class id %zu maps outside the %zu classes", i, nclasses);
	scratch_init(s);
	memset(s->pix_a, 0, nclasses * sizeof(s->pix_a[0]));
	memset(s->pix_b, 0, nclasses * sizeof(s->pix_b[0]));
	memset(s->inter, 0, nclasses * sizeof(s->inter[0]));
	n = (size_t)a->w * (size_t)a->h;
	for (start = 0; start < n; start = i) {
		uint8_t ca = a->cls[start], cb = b->cls[start];
		uint16_t ia = a->ids[start], ib = b->ids[start];

		for (i = start + 1; i < n && a->ids[i] == ia && b->ids[i] == ib && a->cls[i] == ca && b->cls[i] == cb; i++)
			;
		count_run(s, map_a, map_b, ca, cb, ia, ib, i - start);
	}
	for (k = 1; k < nclasses; k++) {
		counts[k].inter += s->inter[k];
		counts[k].uni += s->pix_a[k] + s->pix_b[k] - s->inter[k];
	}
	/* The matches: IoU > 0.5 pairs a segment with at most one other, so each pair of the table
	 * is decided alone. Summed in A's order of first pixels, not the table's, so that the sum
	 * does not hang on the hash. */
	for (k = 0; k < s->cap; k++) {
		uint16_t ia = (uint16_t)(s->keys[k] >> 16), ib = (uint16_t)(s->keys[k] & 0xffff);
		uint64_t ov = s->overlap[k], u;

		if (!s->keys[k] || !s->class_a[ia] || s->class_a[ia] != s->class_b[ib])
			continue;
		u = s->area_a[ia] + s->area_b[ib] - ov;
		if (2 * ov > u) { /* IoU > 0.5, in integers */
			s->match_a[ia] = (uint32_t)k + 1;
			s->match_b[ib] = 1;
		}
	}
	for (i = 0; i < s->nseen_a; i++) {
		uint16_t ia = s->seen_a[i], la = s->class_a[ia];

		if (la && s->match_a[ia]) {
			size_t slot = s->match_a[ia] - 1;
			uint16_t ib = (uint16_t)(s->keys[slot] & 0xffff);
			uint64_t ov = s->overlap[slot];

			counts[la].tp++;
			counts[la].iou_sum += (double)ov / (double)(s->area_a[ia] + s->area_b[ib] - ov);
		} else if (la) {
			counts[la].fn++;
		}
	}
	for (i = 0; i < s->nseen_b; i++) {
		uint16_t ib = s->seen_b[i];

		if (s->class_b[ib] && !s->match_b[ib])
			counts[s->class_b[ib]].fp++;
	}
	/* Ready for the next image: only what this one touched. */
	for (i = 0; i < s->nseen_a; i++) {
		s->area_a[s->seen_a[i]] = 0;
		s->class_a[s->seen_a[i]] = 0;
		s->match_a[s->seen_a[i]] = 0;
	}
	for (i = 0; i < s->nseen_b; i++) {
		s->area_b[s->seen_b[i]] = 0;
		s->class_b[s->seen_b[i]] = 0;
		s->match_b[s->seen_b[i]] = 0;
	}
	s->nseen_a = s->nseen_b = 0;
	/* The table is walked whole for each image: one image with a great many pairs must not
	 * leave every image after it a large table to clear and walk. */
	if (s->cap > PAIRS_MIN && s->used * 8 < s->cap) {
		size_t cap = PAIRS_MIN;

		while (cap < 4 * s->used)
			cap *= 2;
		free(s->keys);
		free(s->overlap);
		s->cap = cap;
		s->keys = xcalloc(s->cap, sizeof(*s->keys));
		s->overlap = xcalloc(s->cap, sizeof(*s->overlap));
	} else {
		memset(s->keys, 0, s->cap * sizeof(*s->keys));
		memset(s->overlap, 0, s->cap * sizeof(*s->overlap));
	}
	s->used = 0;
	return 0;
}

void agree_add(struct agree_counts *to, const struct agree_counts *c)
{
	to->inter += c->inter;
	to->uni += c->uni;
	to->iou_sum += c->iou_sum;
	to->tp += c->tp;
	to->fp += c->fp;
	to->fn += c->fn;
}

void agree_score(const struct agree_counts *c, struct agree_score *out)
{
	double denom = (double)c->tp + 0.5 * (double)c->fp + 0.5 * (double)c->fn;

	memset(out, 0, sizeof(*out));
	if (c->uni) {
		out->has_iou = 1;
		out->iou = (double)c->inter / (double)c->uni;
	}
	if (denom > 0) {
		out->has_pq = 1;
		out->pq = c->iou_sum / denom;
		out->sq = c->tp ? c->iou_sum / (double)c->tp : 0.0;
		out->rq = (double)c->tp / denom;
	}
}

void agree_mean(const struct agree_counts *c, size_t n, struct agree_mean *out)
{
	struct agree_score sc;
	size_t k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < n; k++) {
		agree_score(&c[k], &sc);
		if (sc.has_iou) {
			out->n_iou++;
			out->iou += sc.iou;
		}
		if (sc.has_pq) {
			out->n_pq++;
			out->pq += sc.pq;
			out->sq += sc.sq;
			out->rq += sc.rq;
		}
	}
	if (out->n_iou)
		out->iou /= (double)out->n_iou;
	if (out->n_pq) {
		out->pq /= (double)out->n_pq;
		out->sq /= (double)out->n_pq;
		out->rq /= (double)out->n_pq;
	}
}
