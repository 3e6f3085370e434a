/* test_agree.c: agree's counts against a brute-force reference on random masks (every pair of
 * segments overlapped pixel by pixel, matches by IoU > 0.5 checked pair by pair), and the
 * cases whose answer is known: identical annotations agree fully, disjoint ones not at all. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agree.h"
#include "tap.h"

#define W 37
#define H 29
#define NPX (W * H)

static unsigned long long rng_state = 88172645463325252ULL;

static unsigned rnd(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)(rng_state % n);
}

/* Instances painted over each other (rectangles and discs), class by instance. */
static void paint(uint8_t *cls, uint16_t *ids, int ninst, int nclass, int first_id)
{
	int k, x, y;

	memset(cls, 0, NPX);
	memset(ids, 0, NPX * sizeof(*ids));
	for (k = 0; k < ninst; k++) {
		int x0 = (int)rnd(W), y0 = (int)rnd(H), w = 1 + (int)rnd(W / 2), h = 1 + (int)rnd(H / 2);
		int disc = (int)rnd(2), c = 1 + (int)rnd((unsigned)nclass);
		uint16_t id = (uint16_t)(first_id + k);

		for (y = y0; y < y0 + h && y < H; y++)
			for (x = x0; x < x0 + w && x < W; x++) {
				double dx = (x - x0 - w / 2.0) / (w / 2.0), dy = (y - y0 - h / 2.0) / (h / 2.0);

				if (disc && dx * dx + dy * dy > 1)
					continue;
				cls[y * W + x] = (uint8_t)c;
				ids[y * W + x] = id;
			}
	}
}

/* B from A: some instances moved a little, some dropped, some relabelled, a few new ones. */
static void perturb(const uint8_t *ca, const uint16_t *ia, uint8_t *cb, uint16_t *ib, int nclass)
{
	uint8_t extra_c[NPX];
	uint16_t extra_i[NPX];
	int dx = (int)rnd(3) - 1, dy = (int)rnd(3) - 1, x, y, p;
	uint16_t drop = (uint16_t)(1 + rnd(12)), relabel = (uint16_t)(1 + rnd(12));

	memset(cb, 0, NPX);
	memset(ib, 0, NPX * sizeof(*ib));
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			int sx = x - dx, sy = y - dy;
			uint16_t id;

			if (sx < 0 || sy < 0 || sx >= W || sy >= H)
				continue;
			id = ia[sy * W + sx];
			/* Odd ids move, even ones stay. */
			if (!(id & 1))
				id = ia[y * W + x], sx = x, sy = y;
			if (!id || id == drop)
				continue;
			ib[y * W + x] = (uint16_t)(id + 100); /* B's ids are its own */
			cb[y * W + x] = id == relabel ? (uint8_t)(1 + (ca[sy * W + sx] % nclass)) : ca[sy * W + sx];
		}
	paint(extra_c, extra_i, 2, nclass, 500);
	for (p = 0; p < NPX; p++)
		if (extra_i[p] && rnd(4) == 0) {
			cb[p] = extra_c[p];
			ib[p] = extra_i[p];
		}
}

/* The reference: every definition followed literally. A segment's class is that of its first
 * pixel in row order. */
static void brute(const uint8_t *ca, const uint16_t *ia, const uint8_t *cb, const uint16_t *ib,
    const uint16_t *map_a, const uint16_t *map_b, size_t nclasses, struct agree_counts *out)
{
	static uint16_t sa[NPX], sb[NPX];
	static uint16_t class_a[65536], class_b[65536];
	size_t na = 0, nb = 0, i, j, c;
	int p;

	memset(out, 0, nclasses * sizeof(*out));
	for (c = 1; c < nclasses; c++)
		for (p = 0; p < NPX; p++) {
			int in_a = map_a[ca[p]] == c, in_b = map_b[cb[p]] == c;

			out[c].inter += in_a && in_b;
			out[c].uni += in_a || in_b;
		}
	for (p = 0; p < NPX; p++) {
		for (i = 0; i < na && sa[i] != ia[p]; i++)
			;
		if (ia[p] && i == na) {
			sa[na++] = ia[p];
			class_a[ia[p]] = map_a[ca[p]];
		}
		for (j = 0; j < nb && sb[j] != ib[p]; j++)
			;
		if (ib[p] && j == nb) {
			sb[nb++] = ib[p];
			class_b[ib[p]] = map_b[cb[p]];
		}
	}
	{
		int matched_a[NPX] = { 0 }, matched_b[NPX] = { 0 };

		for (i = 0; i < na; i++)
			for (j = 0; j < nb; j++) {
				uint64_t inter = 0, uni = 0;

				if (!class_a[sa[i]] || class_a[sa[i]] != class_b[sb[j]])
					continue;
				for (p = 0; p < NPX; p++) {
					inter += ia[p] == sa[i] && ib[p] == sb[j];
					uni += ia[p] == sa[i] || ib[p] == sb[j];
				}
				if ((double)inter / (double)uni > 0.5) {
					if (matched_a[i] || matched_b[j])
						tap_diag("a segment matched twice: IoU > 0.5 should not allow it");
					matched_a[i] = matched_b[j] = 1;
					out[class_a[sa[i]]].tp++;
					out[class_a[sa[i]]].iou_sum += (double)inter / (double)uni;
				}
			}
		for (i = 0; i < na; i++)
			if (class_a[sa[i]] && !matched_a[i])
				out[class_a[sa[i]]].fn++;
		for (j = 0; j < nb; j++)
			if (class_b[sb[j]] && !matched_b[j])
				out[class_b[sb[j]]].fp++;
	}
}

static int same_counts(const struct agree_counts *x, const struct agree_counts *y, size_t n)
{
	size_t c;

	for (c = 0; c < n; c++)
		if (x[c].inter != y[c].inter || x[c].uni != y[c].uni || x[c].tp != y[c].tp || x[c].fp != y[c].fp ||
		    x[c].fn != y[c].fn || fabs(x[c].iou_sum - y[c].iou_sum) > 1e-12) {
			tap_diag("class %zu: inter %llu/%llu uni %llu/%llu tp %llu/%llu fp %llu/%llu fn %llu/%llu iou %g/%g", c,
			    (unsigned long long)x[c].inter, (unsigned long long)y[c].inter, (unsigned long long)x[c].uni,
			    (unsigned long long)y[c].uni, (unsigned long long)x[c].tp, (unsigned long long)y[c].tp,
			    (unsigned long long)x[c].fp, (unsigned long long)y[c].fp, (unsigned long long)x[c].fn,
			    (unsigned long long)y[c].fn, x[c].iou_sum, y[c].iou_sum);
			return 0;
		}
	return 1;
}

static void identity(uint16_t *map, int nclass)
{
	int i;

	for (i = 0; i < 256; i++)
		map[i] = (uint16_t)(i <= nclass ? i : 0);
}

static void test_random(void)
{
	static uint8_t ca[NPX], cb[NPX];
	static uint16_t ia[NPX], ib[NPX];
	struct agree_scratch s = { 0 };
	struct agree_counts got[8], want[8], total_got[8], total_want[8];
	uint16_t map_a[256], map_b[256];
	struct agree_masks a = { W, H, ca, ia }, b = { W, H, cb, ib };
	int round, bad = 0, matches = 0, k;
	char *cause = NULL;

	memset(total_got, 0, sizeof(total_got));
	memset(total_want, 0, sizeof(total_want));
	for (round = 0; round < 300; round++) {
		int nclass = 1 + (int)rnd(4);

		identity(map_a, nclass);
		identity(map_b, nclass);
		/* Some rounds: B names its classes otherwise (ids shifted), the map undoes it. */
		if (round % 3 == 1) {
			int p;

			for (k = 1; k <= nclass; k++)
				map_b[k + 10] = (uint16_t)k, map_b[k] = 0;
			paint(ca, ia, 3 + (int)rnd(10), nclass, 1);
			perturb(ca, ia, cb, ib, nclass);
			for (p = 0; p < NPX; p++)
				if (cb[p])
					cb[p] = (uint8_t)(cb[p] + 10);
		} else {
			paint(ca, ia, 3 + (int)rnd(10), nclass, 1);
			perturb(ca, ia, cb, ib, nclass);
		}
		memset(got, 0, sizeof(got));
		if (agree_image(&a, &b, map_a, map_b, 8, got, &s, &cause) != 0) {
			tap_diag("%s", cause);
			free(cause);
			cause = NULL;
			bad++;
			continue;
		}
		brute(ca, ia, cb, ib, map_a, map_b, 8, want);
		if (!same_counts(got, want, 8))
			bad++;
		for (k = 0; k < 8; k++) {
			matches += (int)want[k].tp;
			agree_add(&total_got[k], &got[k]);
			agree_add(&total_want[k], &want[k]);
		}
	}
	tap_ok(bad == 0, "300 random pairs of annotations: the counts equal the brute-force reference's (%d differ)", bad);
	tap_ok(matches > 300 && total_want[1].fp > 0 && total_want[1].fn > 0,
	    "the random cases have matches (%d), false positives and false negatives", matches);
	tap_ok(same_counts(total_got, total_want, 8), "the counts add up over images as the reference's do");
	agree_scratch_free(&s);
}

static void test_known(void)
{
	static uint8_t ca[NPX], cb[NPX];
	static uint16_t ia[NPX], ib[NPX];
	struct agree_scratch s = { 0 };
	struct agree_counts c[4];
	struct agree_score sc;
	struct agree_mean m;
	uint16_t map[256];
	struct agree_masks a = { W, H, ca, ia }, b = { W, H, cb, ib }, small = { W - 1, H, cb, ib };
	char *cause = NULL;
	int p, ok = 1, k;

	identity(map, 3);
	paint(ca, ia, 8, 3, 1);
	memset(c, 0, sizeof(c));
	tap_ok(agree_image(&a, &a, map, map, 4, c, &s, &cause) == 0, "an annotation against itself");
	for (k = 1; k < 4; k++) {
		agree_score(&c[k], &sc);
		if (c[k].uni && (!sc.has_iou || sc.iou != 1.0 || !sc.has_pq || sc.pq != 1.0 || sc.sq != 1.0 || sc.rq != 1.0 ||
		    c[k].fp || c[k].fn))
			ok = 0;
	}
	agree_mean(c, 4, &m);
	tap_ok(ok && m.n_iou > 0 && m.iou == 1.0 && m.pq == 1.0, "identical annotations: IoU 1 and PQ 1 in every class");

	/* B: the same shapes moved off each other entirely (A on the left half, B on the right). */
	memset(ca, 0, NPX);
	memset(ia, 0, sizeof(ia));
	memset(cb, 0, NPX);
	memset(ib, 0, sizeof(ib));
	for (p = 0; p < NPX; p++) {
		int x = p % W, y = p / W;

		if (x < W / 2) {
			ca[p] = (uint8_t)(1 + y % 3);
			ia[p] = (uint16_t)(1 + y / 4);
		} else {
			cb[p] = (uint8_t)(1 + y % 3);
			ib[p] = (uint16_t)(1 + y / 4);
		}
	}
	memset(c, 0, sizeof(c));
	tap_ok(agree_image(&a, &b, map, map, 4, c, &s, &cause) == 0, "disjoint annotations");
	agree_mean(c, 4, &m);
	tap_ok(m.n_iou == 3 && m.iou == 0.0 && m.n_pq == 3 && m.pq == 0.0 && c[1].tp == 0 && c[1].fn > 0 && c[1].fp == c[1].fn,
	    "disjoint annotations: IoU 0 and PQ 0, every segment unmatched on both sides");

	/* Unlabeled against everything: a side with nothing is all false negatives. */
	memset(c, 0, sizeof(c));
	memset(cb, 0, NPX);
	memset(ib, 0, sizeof(ib));
	tap_ok(agree_image(&a, &b, map, map, 4, c, &s, &cause) == 0 && c[1].fn > 0 && c[1].tp == 0 && c[1].fp == 0 &&
	    c[1].inter == 0 && c[0].uni == 0, "an empty side: A's segments are false negatives; unlabeled counts nowhere");

	p = agree_image(&a, &small, map, map, 4, c, &s, &cause);
	tap_ok(p == -1 && cause && strstr(cause, "different sizes"), "two sizes are an error: %s", cause ? cause : "(none)");
	free(cause);
	cause = NULL;
	map[7] = 9;
	tap_ok(agree_image(&a, &b, map, map, 4, c, &s, &cause) == -1 && cause, "a map outside the classes is an error");
	free(cause);
	agree_scratch_free(&s);

	/* Exactly half: IoU 0.5 is not a match (over 0.5 is). */
	{
		struct agree_counts h = { 0 };
		uint8_t c1[4] = { 1, 1, 0, 0 }, c2[4] = { 0, 1, 1, 0 };
		uint16_t i1[4] = { 1, 1, 0, 0 }, i2[4] = { 0, 1, 1, 0 }, i3[4] = { 1, 1, 1, 0 };
		uint8_t c3[4] = { 1, 1, 1, 0 };
		struct agree_masks x = { 4, 1, c1, i1 }, y = { 4, 1, c2, i2 }, z = { 4, 1, c3, i3 };
		struct agree_counts hz[2] = { { 0 }, { 0 } };
		struct agree_counts hh[2] = { { 0 }, { 0 } };

		(void)h;
		identity(map, 1);
		tap_ok(agree_image(&x, &y, map, map, 2, hh, &s, &cause) == 0 && hh[1].tp == 0 && hh[1].fp == 1 && hh[1].fn == 1,
		    "IoU 1/3: no match");
		tap_ok(agree_image(&x, &z, map, map, 2, hz, &s, &cause) == 0 && hz[1].tp == 1 && fabs(hz[1].iou_sum - 2.0 / 3) < 1e-15,
		    "IoU 2/3: a match, its IoU summed");
		agree_scratch_free(&s);
	}
	{
		struct agree_counts e = { 0 };

		agree_score(&e, &sc);
		tap_ok(!sc.has_iou && !sc.has_pq, "nothing to measure: no IoU, no PQ");
		e.fp = 2;
		agree_score(&e, &sc);
		tap_ok(sc.has_pq && sc.pq == 0 && sc.sq == 0 && sc.rq == 0, "only false positives: PQ 0, SQ 0 (no matches)");
	}
}

/* Many segments and overlaps: the table grows, and the answer does not change. */
static void test_many(void)
{
	enum { BW = 512, BH = 256 };
	uint8_t *ca = calloc(BW * BH, 1), *cb = calloc(BW * BH, 1);
	uint16_t *ia = calloc(BW * BH, 2), *ib = calloc(BW * BH, 2);
	struct agree_scratch s = { 0 };
	struct agree_counts c[3] = { { 0 } };
	uint16_t map[256];
	struct agree_masks a = { BW, BH, ca, ia }, b = { BW, BH, cb, ib };
	char *cause = NULL;
	int p;

	identity(map, 2);
	/* A: 4x4 tiles, 8192 segments; B: the same tiles shifted by one pixel right. */
	for (p = 0; p < BW * BH; p++) {
		int x = p % BW, y = p / BW, xs = x - 1;

		ca[p] = (uint8_t)(1 + ((x / 4 + y / 4) & 1));
		ia[p] = (uint16_t)(1 + (y / 4) * (BW / 4) + x / 4);
		if (xs >= 0) {
			cb[p] = (uint8_t)(1 + ((xs / 4 + y / 4) & 1));
			ib[p] = (uint16_t)(1 + (y / 4) * (BW / 4) + xs / 4);
		}
	}
	p = agree_image(&a, &b, map, map, 3, c, &s, &cause);
	tap_ok(p == 0 && s.cap >= 2 * 8192, "8192 segments: the pair table grew (to %zu)", s.cap);
	/* Each tile overlaps its shifted self in 12 pixels of 20: IoU 0.6, a match (the last
	 * column's, cut by the border, 12 of 16). */
	tap_ok(c[1].tp + c[2].tp == 8192 && c[1].fp + c[2].fp == 0 && c[1].fn + c[2].fn == 0,
	    "every shifted tile matches its own: %llu matches", (unsigned long long)(c[1].tp + c[2].tp));
	/* Then a small image (the first 16 pixels as 8x2: four tiles, each shifted by one, each
	 * a match): the table shrinks back, and still counts right. */
	{
		struct agree_masks sa = { 8, 2, ca, ia }, sb = { 8, 2, cb, ib };
		struct agree_counts sc[3] = { { 0 } };

		p = agree_image(&sa, &sb, map, map, 3, sc, &s, &cause);
		tap_ok(p == 0 && s.cap <= 4096 && sc[1].tp + sc[2].tp == 4 && sc[1].fn + sc[2].fn == 0 && sc[1].fp + sc[2].fp == 0,
		    "a small image after it: the table shrank (to %zu), the counts right", s.cap);
	}
	agree_scratch_free(&s);
	free(ca);
	free(cb);
	free(ia);
	free(ib);
}

int main(void)
{
	test_random();
	test_known();
	test_many();
	return tap_done();
}
