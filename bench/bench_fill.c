/* bench_fill.c: polygon fill speed against its physical limit, and the input for the OpenCV peer.
 *
 * Fills 2000 random star-shaped (concave) polygons into a 6000x4000 byte mask, and times memset
 * alone over exactly the same spans: what any fill must at least do. Best of 7 each, in turns.
 * Prints the ratio (target <= 1.15). Writes the polygons, and optionally our final mask and every polygon's spans,
 * for bench_fill_cv2.py:
 *   bench_fill POLYS_OUT [MASK_OUT [SPANS_OUT]]
 * SPANS_OUT is int32 little-endian: per polygon its span count, then y, x0, x1 per span.
 * Also times the fill with a callback that does nothing (scan_ms): the work besides the memsets,
 * which adds to memset_ms rather than hiding under it. The fill prefetches rows ahead (see
 * PREFETCH_ROWS in raster.c); so that its ratio does not hide behind a naive baseline, memset is
 * also timed with a like hint, two spans ahead (memset_prefetch_ms): a limit no fill reaches, as
 * it needs the spans known in advance.
 * Output lines are "name value"; ratios have no unit, times are in milliseconds. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "raster.h"

#define W 6000
#define H 4000
#define NPOLY 2000
#define REPS 7

struct span {
	int y, x0, x1;
	uint8_t value;
};

struct spans {
	struct span *v;
	size_t n, cap;
	uint8_t value;
	size_t first[NPOLY + 1]; /* polygon p's spans are v[first[p]] to v[first[p + 1] - 1] */
};

static uint64_t rng_state = 42;

static double rng_unit(void) /* splitmix64, fixed seed: every run fills the same polygons */
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void count_span(void *ctx, int y, int x0, int x1)
{
	(void)y;
	*(uint64_t *)ctx += (uint64_t)(x1 - x0);
}

static void collect(void *ctx, int y, int x0, int x1)
{
	struct spans *s = ctx;

	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 1 << 16;
		s->v = realloc(s->v, s->cap * sizeof *s->v);
		if (!s->v) {
			perror("bench_fill");
			exit(1);
		}
	}
	s->v[s->n].y = y;
	s->v[s->n].x0 = x0;
	s->v[s->n].x1 = x1;
	s->v[s->n].value = s->value;
	s->n++;
}

int main(int argc, char **argv)
{
	static double xs[NPOLY][80], ys[NPOLY][80];
	static raster_pt pts[NPOLY][80];
	static raster_ring rings[NPOLY];
	uint8_t *mask = malloc((size_t)W * H);
	static struct spans sp;
	raster_rect all = { 0, 0, W, H };
	double fill_ms = 1e30, memset_ms = 1e30, memset_pf_ms = 1e30, scan_ms = 1e30, t;
	uint64_t pixels = 0, counted = 0;
	char *cause = NULL;
	FILE *f;

	if (argc < 2 || !mask) {
		fprintf(stderr, "usage: bench_fill POLYS_OUT [MASK_OUT]\n");
		return 2;
	}
	for (int p = 0; p < NPOLY; p++) {
		int n = 3 + (int)(rng_unit() * 78);
		double cx = rng_unit() * W, cy = rng_unit() * H, r = 20 + rng_unit() * 580, ang[80];

		for (int i = 0; i < n; i++)
			ang[i] = rng_unit() * 2 * M_PI;
		qsort(ang, (size_t)n, sizeof *ang, cmp_double);
		for (int i = 0; i < n; i++) {
			double ri = r * (0.35 + 0.65 * rng_unit());

			xs[p][i] = cx + ri * cos(ang[i]);
			ys[p][i] = cy + ri * sin(ang[i]);
			pts[p][i] = raster_pt_from_double(xs[p][i], ys[p][i]);
		}
		rings[p].pts = pts[p];
		rings[p].n = (size_t)n;
	}

	/* the spans, for memset alone */
	for (int p = 0; p < NPOLY; p++) {
		sp.first[p] = sp.n;
		sp.value = (uint8_t)(p % 255 + 1);
		if (raster_fill_rings(&rings[p], 1, all, collect, &sp, &cause) != 0) {
			fprintf(stderr, "bench_fill: %s\n", cause);
			return 1;
		}
	}
	sp.first[NPOLY] = sp.n;
	for (size_t i = 0; i < sp.n; i++)
		pixels += (uint64_t)(sp.v[i].x1 - sp.v[i].x0);
	memset(mask, 0, (size_t)W * H);

	for (int rep = 0; rep < REPS; rep++) {
		t = now_ms();
		for (int p = 0; p < NPOLY; p++)
			if (raster_fill_rings(&rings[p], 1, all, count_span, &counted, &cause) != 0) {
				fprintf(stderr, "bench_fill: %s\n", cause);
				return 1;
			}
		t = now_ms() - t;
		if (t < scan_ms)
			scan_ms = t;
	}
	/* memset and fill take turns, so that each finds the mask as the other left it */
	for (int rep = 0; rep < REPS; rep++) {
		t = now_ms();
		for (size_t i = 0; i < sp.n; i++)
			memset(mask + (size_t)sp.v[i].y * W + sp.v[i].x0, sp.v[i].value,
			    (size_t)(sp.v[i].x1 - sp.v[i].x0));
		t = now_ms() - t;
		if (t < memset_ms)
			memset_ms = t;

		t = now_ms();
		for (size_t i = 0; i < sp.n; i++) {
			if (i + 2 < sp.n) {
				const struct span *a = &sp.v[i + 2];

				__builtin_prefetch(mask + (size_t)a->y * W + a->x0, 1, 3);
				__builtin_prefetch(mask + (size_t)a->y * W + a->x1 - 1, 1, 3);
			}
			memset(mask + (size_t)sp.v[i].y * W + sp.v[i].x0, sp.v[i].value,
			    (size_t)(sp.v[i].x1 - sp.v[i].x0));
		}
		t = now_ms() - t;
		if (t < memset_pf_ms)
			memset_pf_ms = t;

		t = now_ms();
		for (int p = 0; p < NPOLY; p++)
			if (raster_fill_rings_u8(mask, W, H, W, &rings[p], 1, (uint8_t)(p % 255 + 1),
				&cause) != 0) {
				fprintf(stderr, "bench_fill: %s\n", cause);
				return 1;
			}
		t = now_ms() - t;
		if (t < fill_ms)
			fill_ms = t;
	}
	if (counted != REPS * pixels) {
		fprintf(stderr, "bench_fill: the callback saw %llu pixels, not %d x %llu\n",
		    (unsigned long long)counted, REPS, (unsigned long long)pixels);
		return 1;
	}

	printf("polygons %d\nmask %dx%d\npixels_painted %llu\nspans %zu\n", NPOLY, W, H,
	    (unsigned long long)pixels, sp.n);
	printf("fill_ms %.1f\nmemset_ms %.1f\nmemset_prefetch_ms %.1f\nscan_ms %.1f\n", fill_ms,
	    memset_ms, memset_pf_ms, scan_ms);
	printf("fill_vs_memset %.3f\nfill_vs_memset_prefetch %.3f\n", fill_ms / memset_ms,
	    fill_ms / memset_pf_ms);

	/* text: a header with our times, then per polygon "value n x y x y ..." */
	if (!(f = fopen(argv[1], "w"))) {
		perror(argv[1]);
		return 1;
	}
	fprintf(f, "pxlabel-bench-polys 1 %d %d %d %.3f %.3f\n", W, H, NPOLY, fill_ms, memset_ms);
	for (int p = 0; p < NPOLY; p++) {
		fprintf(f, "%d %zu", p % 255 + 1, rings[p].n);
		for (size_t i = 0; i < rings[p].n; i++)
			fprintf(f, " %.17g %.17g", xs[p][i], ys[p][i]);
		fprintf(f, "\n");
	}
	if (fclose(f) != 0) {
		perror(argv[1]);
		return 1;
	}
	if (argc > 2) {
		if (!(f = fopen(argv[2], "wb")) || fwrite(mask, 1, (size_t)W * H, f) != (size_t)W * H ||
		    fclose(f) != 0) {
			perror(argv[2]);
			return 1;
		}
	}
	if (argc > 3) {
		if (!(f = fopen(argv[3], "wb"))) {
			perror(argv[3]);
			return 1;
		}
		for (int p = 0; p < NPOLY; p++) {
			int32_t cnt = (int32_t)(sp.first[p + 1] - sp.first[p]);

			fwrite(&cnt, sizeof cnt, 1, f);
			for (size_t i = sp.first[p]; i < sp.first[p + 1]; i++) {
				int32_t v[3] = { sp.v[i].y, sp.v[i].x0, sp.v[i].x1 };

				fwrite(v, sizeof v, 1, f);
			}
		}
		if (ferror(f) || fclose(f) != 0) {
			perror(argv[3]);
			return 1;
		}
	}
	free(sp.v);
	free(mask);
	return 0;
}
