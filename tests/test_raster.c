/* test_raster.c: the pixel rule, checked against brute force.
 * Fills are compared with an independent winding-number function evaluated at every pixel centre,
 * strokes with an exact squared-distance test, traced outlines with the masks they came from.
 * The PRNG seeds are fixed, so a failure reproduces; each check prints its case on failure. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raster.h"
#include "tap.h"

#define ONE RASTER_ONE

/* ---- helpers ---- */

static uint64_t rng_state;

static void rng_seed(uint64_t s) { rng_state = s * 0x9E3779B97F4A7C15ull + 1; }

static uint64_t rng_next(void) /* splitmix64 */
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ull);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* uniform in [lo, hi] */
static int64_t rng_range(int64_t lo, int64_t hi)
{
	return lo + (int64_t)(rng_next() % (uint64_t)(hi - lo + 1));
}

static double rng_unit(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }

/* Independent reference: the winding number at (cx, cy) by the stated rule, straight from the
 * definition. An edge counts when cy is in [top, bottom) and the centre is at or right of it. */
static int ref_winding(const raster_ring *rings, size_t nrings, int64_t cx, int64_t cy)
{
	int wind = 0;

	for (size_t k = 0; k < nrings; k++)
		for (size_t i = 0; i < rings[k].n; i++) {
			raster_pt a = rings[k].pts[i], b = rings[k].pts[(i + 1) % rings[k].n];
			int dir = 1;
			__int128 side;

			if (a.y == b.y)
				continue;
			if (a.y > b.y) {
				raster_pt t = a;
				a = b;
				b = t;
				dir = -1;
			}
			if (cy < a.y || cy >= b.y)
				continue;
			/* cross product of the edge (upwards-oriented) with the centre: >= 0 is "at or right" */
			side = (__int128)(cx - a.x) * (b.y - a.y) - (__int128)(cy - a.y) * (b.x - a.x);
			if (side >= 0)
				wind += dir;
		}
	return wind;
}

static int ref_inside(const raster_ring *rings, size_t nrings, int i, int j)
{
	return ref_winding(rings, nrings, (int64_t)i * ONE + ONE / 2, (int64_t)j * ONE + ONE / 2) != 0;
}

/* Exact distance test written the other way round from raster.c: |P - A|^2 minus the squared
 * projection, rather than a cross product. */
static int ref_near_segment(int64_t px, int64_t py, raster_pt a, raster_pt b, int64_t w)
{
	int64_t ux = px - a.x, uy = py - a.y, dx = (int64_t)b.x - a.x, dy = (int64_t)b.y - a.y;
	__int128 den = (__int128)dx * dx + (__int128)dy * dy;
	__int128 t = (__int128)ux * dx + (__int128)uy * dy;
	__int128 w2 = (__int128)w * w;

	if (den == 0 || t <= 0)
		return 4 * ((__int128)ux * ux + (__int128)uy * uy) <= w2;
	if (t >= den) {
		__int128 vx = px - b.x, vy = py - b.y;

		return 4 * (vx * vx + vy * vy) <= w2;
	}
	return 4 * (((__int128)ux * ux + (__int128)uy * uy) * den - t * t) <= w2 * den;
}

static int ref_in_stroke(const raster_pt *p, size_t n, int64_t w, int i, int j)
{
	int64_t px = (int64_t)i * ONE + ONE / 2, py = (int64_t)j * ONE + ONE / 2;

	if (n == 1)
		return ref_near_segment(px, py, p[0], p[0], w);
	for (size_t k = 0; k + 1 < n; k++)
		if (ref_near_segment(px, py, p[k], p[k + 1], w))
			return 1;
	return 0;
}

/* Collects spans into a grid of counts and checks the callback contract on the way. */
struct grid {
	raster_rect area;
	uint8_t *cnt;
	raster_rect clip; /* spans must lie within */
	int last_y, last_x1;
	long bad, spans;
};

static void grid_init(struct grid *g, raster_rect area)
{
	g->area = area;
	g->cnt = calloc((size_t)(area.x1 - area.x0) * (size_t)(area.y1 - area.y0) + 1, 1);
	g->bad = g->spans = 0;
}

static void grid_begin(struct grid *g, raster_rect clip)
{
	g->clip = clip;
	g->last_y = INT32_MIN;
	g->last_x1 = INT32_MIN;
}

static void grid_clear(struct grid *g)
{
	memset(g->cnt, 0, (size_t)(g->area.x1 - g->area.x0) * (size_t)(g->area.y1 - g->area.y0));
}

static int grid_at(const struct grid *g, int x, int y)
{
	if (x < g->area.x0 || x >= g->area.x1 || y < g->area.y0 || y >= g->area.y1)
		return 0;
	return g->cnt[(size_t)(y - g->area.y0) * (size_t)(g->area.x1 - g->area.x0) + (size_t)(x - g->area.x0)];
}

static void grid_span(void *ctx, int y, int x0, int x1)
{
	struct grid *g = ctx;

	g->spans++;
	if (x0 >= x1 || y < g->clip.y0 || y >= g->clip.y1 || x0 < g->clip.x0 || x1 > g->clip.x1)
		g->bad++;
	if (y < g->last_y || (y == g->last_y && x0 <= g->last_x1))
		g->bad++; /* out of order, or touching the previous run */
	g->last_y = y;
	g->last_x1 = x1;
	for (int x = x0; x < x1; x++) {
		if (x < g->area.x0 || x >= g->area.x1 || y < g->area.y0 || y >= g->area.y1) {
			g->bad++;
			continue;
		}
		g->cnt[(size_t)(y - g->area.y0) * (size_t)(g->area.x1 - g->area.x0) + (size_t)(x - g->area.x0)]++;
	}
}

static raster_rect grow(raster_rect r, int by)
{
	raster_rect o = { r.x0 - by, r.y0 - by, r.x1 + by, r.y1 + by };

	return o;
}

static int fill_into(struct grid *g, const raster_ring *rings, size_t nrings, raster_rect clip)
{
	char *cause = NULL;
	int rc;

	grid_begin(g, clip);
	rc = raster_fill_rings(rings, nrings, clip, grid_span, g, &cause);
	if (rc != 0) {
		tap_diag("unexpected failure: %s", cause ? cause : "(no cause)");
		free(cause);
	}
	return rc;
}

static void dump_rings(const raster_ring *rings, size_t nrings)
{
	for (size_t k = 0; k < nrings; k++) {
		printf("# ring %zu:", k);
		for (size_t i = 0; i < rings[k].n; i++)
			printf(" (%d,%d)", rings[k].pts[i].x, rings[k].pts[i].y);
		printf("\n");
	}
}

static raster_pt P(double x, double y) { return raster_pt_from_double(x, y); }

/* Fills rings with a clip of generous size and lists the inside pixels as "x,y " text. */
static char *fill_list(raster_pt *pts, size_t n)
{
	raster_ring r = { pts, n };
	raster_rect area = { -4, -4, 12, 12 };
	struct grid g;
	char *s = calloc(1024, 1);
	size_t len = 0;

	grid_init(&g, area);
	if (fill_into(&g, &r, 1, area) == 0)
		for (int y = area.y0; y < area.y1; y++)
			for (int x = area.x0; x < area.x1; x++)
				if (grid_at(&g, x, y))
					len += (size_t)snprintf(s + len, 1024 - len, "%d,%d ", x, y);
	if (g.bad)
		len += (size_t)snprintf(s + len, 1024 - len, "BAD");
	free(g.cnt);
	return s;
}

static void reverse(raster_pt *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		raster_pt t = p[i];
		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

/* Expects the same pixels in both orientations. */
static void check_fill(const char *what, raster_pt *pts, size_t n, const char *want)
{
	char *got = fill_list(pts, n);

	tap_ok(strcmp(got, want) == 0, "%s: got [%s] want [%s]", what, got, want);
	free(got);
	reverse(pts, n);
	got = fill_list(pts, n);
	tap_ok(strcmp(got, want) == 0, "%s, reversed: got [%s]", what, got);
	free(got);
}

/* ---- hand-made cases: the tie rule ---- */

static void test_ties(void)
{
	{
		/* corners on pixel centres: left and top edges take their centres, right and bottom not */
		raster_pt sq[] = { P(0.5, 0.5), P(2.5, 0.5), P(2.5, 2.5), P(0.5, 2.5) };
		check_fill("square on centres", sq, 4, "0,0 1,0 0,1 1,1 ");
	}
	{
		/* a unit square exactly on one centre takes that pixel only */
		raster_pt sq[] = { P(1.5, 1.5), P(2.5, 1.5), P(2.5, 2.5), P(1.5, 2.5) };
		check_fill("unit square on centres", sq, 4, "1,1 ");
	}
	{
		/* the square on pixel corners is exactly its pixels */
		raster_pt sq[] = { P(1, 1), P(3, 1), P(3, 2), P(1, 2) };
		check_fill("square on corners", sq, 4, "1,1 2,1 ");
	}
	{
		/* a diagonal through centres, interior below-left: a right edge, its centres out */
		raster_pt t[] = { P(0.5, 0.5), P(4.5, 4.5), P(0.5, 4.5) };
		check_fill("lower triangle", t, 3, "0,1 0,2 1,2 0,3 1,3 2,3 ");
	}
	{
		/* the same diagonal, interior above-right: a left edge, its centres in */
		raster_pt t[] = { P(0.5, 0.5), P(4.5, 0.5), P(4.5, 4.5) };
		check_fill("upper triangle", t, 3,
		    "0,0 1,0 2,0 3,0 1,1 2,1 3,1 2,2 3,2 3,3 ");
	}
	{
		/* horizontal edges through centres: the top row taken, the bottom row not */
		raster_pt r[] = { P(0.2, 1.5), P(3.7, 1.5), P(3.7, 3.5), P(0.2, 3.5) };
		check_fill("horizontal edges on centres", r, 4, "0,1 1,1 2,1 3,1 0,2 1,2 2,2 3,2 ");
	}
	{
		/* apex on a centre: on the left edge and the right edge at once, judged just right: out */
		raster_pt t[] = { P(2.5, 0.5), P(4.5, 2.5), P(0.5, 2.5) };
		check_fill("apex on a centre", t, 3, "1,1 2,1 ");
	}
	{
		/* bottom apex on a centre: the row ends there, so it is out too */
		raster_pt t[] = { P(0.5, 0.5), P(4.5, 0.5), P(2.5, 2.5) };
		check_fill("bottom apex on a centre", t, 3, "0,0 1,0 2,0 3,0 1,1 2,1 ");
	}
	{
		/* thin sliver with the centre on its left edge: taken, the right-edge twin not */
		raster_pt l[] = { P(1.5, 0), P(1.75, 0), P(1.75, 3), P(1.5, 3) };
		raster_pt r[] = { P(1.25, 0), P(1.5, 0), P(1.5, 3), P(1.25, 3) };
		check_fill("sliver, centre on left edge", l, 4, "1,0 1,1 1,2 ");
		check_fill("sliver, centre on right edge", r, 4, "");
	}
	{
		/* a ring wound twice is inside once; a figure eight is inside in both lobes */
		raster_pt twice[] = { P(0, 0), P(2, 0), P(2, 1), P(0, 1), P(0, 0), P(2, 0), P(2, 1), P(0, 1) };
		raster_pt eight[] = { P(0, 0), P(2, 2), P(2, 0), P(0, 2) };
		check_fill("wound twice", twice, 8, "0,0 1,0 ");
		check_fill("bow tie", eight, 4, "1,0 1,1 ");
	}
	{
		/* a hole: the inner ring wound the other way cancels the outer */
		raster_pt outer[] = { P(0, 0), P(4, 0), P(4, 4), P(0, 4) };
		raster_pt inner[] = { P(1, 1), P(1, 3), P(3, 3), P(3, 1) };
		raster_ring rings[2] = { { outer, 4 }, { inner, 4 } };
		raster_rect area = { -1, -1, 6, 6 };
		struct grid g;
		int n = 0, hole = 0;

		grid_init(&g, area);
		fill_into(&g, rings, 2, area);
		for (int y = 0; y < 4; y++)
			for (int x = 0; x < 4; x++) {
				n += grid_at(&g, x, y);
				hole += (x == 1 || x == 2) && (y == 1 || y == 2) && grid_at(&g, x, y);
			}
		tap_ok(n == 12 && hole == 0 && !g.bad, "square with a hole: %d pixels, %d in the hole", n, hole);
		free(g.cnt);
	}
	{
		/* four squares meeting at a pixel centre: that pixel belongs to the bottom-right one */
		raster_pt c = P(2.5, 2.5);
		raster_pt sq[4][4] = {
			{ P(0.5, 0.5), P(2.5, 0.5), c, P(0.5, 2.5) },
			{ P(2.5, 0.5), P(4.5, 0.5), P(4.5, 2.5), c },
			{ P(0.5, 2.5), c, P(2.5, 4.5), P(0.5, 4.5) },
			{ c, P(4.5, 2.5), P(4.5, 4.5), P(2.5, 4.5) },
		};
		char *got = fill_list(sq[3], 4);

		tap_ok(strcmp(got, "2,2 3,2 2,3 3,3 ") == 0, "bottom-right square takes the shared centre: [%s]", got);
		free(got);
		got = fill_list(sq[0], 4);
		tap_ok(strcmp(got, "0,0 1,0 0,1 1,1 ") == 0, "top-left square: [%s]", got);
		free(got);
	}
}

/* ---- random polygons against the reference ---- */

static int32_t rand_coord(int64_t lo_px, int64_t span_px, int mode)
{
	int64_t v;

	switch (mode) {
	case 0: /* anywhere, sub-pixel */
		v = rng_range(lo_px * ONE, (lo_px + span_px) * ONE);
		break;
	case 1: /* pixel centres: ties everywhere */
		v = rng_range(lo_px, lo_px + span_px) * ONE + ONE / 2;
		break;
	case 2: /* pixel corners */
		v = rng_range(lo_px, lo_px + span_px) * ONE;
		break;
	default: /* half pixels: centres and corners, and edges through both */
		v = rng_range(2 * lo_px, 2 * (lo_px + span_px)) * (ONE / 2);
		break;
	}
	return (int32_t)v;
}

static void make_star(raster_pt *p, size_t n, double cx, double cy, double rmin, double rmax, int ccw,
    int snap)
{
	double *ang = malloc(n * sizeof *ang);

	for (size_t i = 0; i < n; i++)
		ang[i] = rng_unit() * 6.283185307179586;
	for (size_t i = 1; i < n; i++) /* insertion sort */
		for (size_t j = i; j > 0 && ang[j - 1] > ang[j]; j--) {
			double t = ang[j];
			ang[j] = ang[j - 1];
			ang[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		double r = rmin + (rmax - rmin) * rng_unit(), a = ccw ? -ang[i] : ang[i];
		double x = cx + r * __builtin_cos(a), y = cy + r * __builtin_sin(a);

		if (snap == 1) { /* nearest pixel centre */
			x = __builtin_floor(x) + 0.5;
			y = __builtin_floor(y) + 0.5;
		} else if (snap == 2) {
			x = __builtin_floor(x * 2 + 0.5) / 2;
			y = __builtin_floor(y * 2 + 0.5) / 2;
		}
		p[i] = raster_pt_from_double(x, y);
	}
	free(ang);
}

/* Compares a fill with the reference on every pixel of bounds grown by 2 (so the bounds are
 * checked too). Returns the number of disagreements; adds to *pixels the pixels compared. */
static long compare_with_ref(const raster_ring *rings, size_t nrings, long *pixels, long *inside)
{
	raster_rect b = raster_bounds_rings(rings, nrings), area = grow(b, 2);
	struct grid g;
	long bad = 0;

	grid_init(&g, area);
	if (fill_into(&g, rings, nrings, area) != 0)
		bad++;
	for (int y = area.y0; y < area.y1; y++)
		for (int x = area.x0; x < area.x1; x++) {
			int got = grid_at(&g, x, y), want = ref_inside(rings, nrings, x, y);

			*pixels += 1;
			*inside += want;
			if (got != want)
				bad++;
			if (want && (x < b.x0 || x >= b.x1 || y < b.y0 || y >= b.y1))
				bad++; /* outside the bounds */
		}
	bad += g.bad;
	free(g.cnt);
	return bad;
}

static void test_random_polygons(void)
{
	enum { CASES = 6000 };
	raster_pt pool[4 * 64];
	long pixels = 0, inside = 0, disagree = 0, failed_cases = 0, nverts = 0;

	rng_seed(1);
	for (int c = 0; c < CASES; c++) {
		raster_ring rings[4];
		size_t nrings = 1, used = 0;
		int kind = (int)rng_range(0, 5), mode = (int)rng_range(0, 4);
		int64_t span = (int64_t[]){ 6, 12, 24, 48, 70 }[rng_range(0, 4)];
		int64_t lo = rng_range(-40, 40);
		long bad;

		switch (kind) {
		case 0: /* random vertices: concave, self-intersecting */
		case 1:
			nrings = kind == 0 ? 1 : (size_t)rng_range(2, 4);
			for (size_t k = 0; k < nrings; k++) {
				size_t n = (size_t)rng_range(3, span < 30 ? 60 : 24);

				rings[k].pts = pool + used;
				rings[k].n = n;
				for (size_t i = 0; i < n; i++) {
					int m = mode == 4 ? (int)rng_range(0, 3) : mode;

					pool[used + i].x = rand_coord(lo, span, m);
					pool[used + i].y = rand_coord(lo, span, m);
				}
				used += n;
			}
			break;
		case 2: /* star-shaped (simple), and a hole the other way round */
		case 3: {
			double cx = (double)lo + span / 2.0, cy = (double)lo + span / 2.0;
			size_t n = (size_t)rng_range(3, 60);
			int snap = mode > 2 ? 0 : mode;

			rings[0].pts = pool;
			rings[0].n = n;
			make_star(pool, n, cx, cy, span * 0.2, span * 0.5, (int)rng_range(0, 1), snap);
			used = n;
			if (kind == 3) {
				size_t m = (size_t)rng_range(3, 30);

				rings[1].pts = pool + used;
				rings[1].n = m;
				make_star(pool + used, m, cx, cy, 0, span * 0.2, 0, snap);
				/* the hole runs against the outer ring */
				{
					int64_t a = 0;

					for (size_t i = 0; i < n; i++)
						a += (int64_t)pool[i].x * pool[(i + 1) % n].y -
						    (int64_t)pool[(i + 1) % n].x * pool[i].y;
					{
						int64_t h = 0;

						for (size_t i = 0; i < m; i++)
							h += (int64_t)pool[used + i].x * pool[used + (i + 1) % m].y -
							    (int64_t)pool[used + (i + 1) % m].x * pool[used + i].y;
						if ((a > 0) == (h > 0))
							reverse(pool + used, m);
					}
				}
				used += m;
				nrings = 2;
			}
			break;
		}
		case 4: /* axis-aligned rectangles overlapping, some reversed */
			nrings = (size_t)rng_range(1, 4);
			for (size_t k = 0; k < nrings; k++) {
				int32_t x0 = rand_coord(lo, span, mode % 4), x1 = rand_coord(lo, span, mode % 4);
				int32_t y0 = rand_coord(lo, span, mode % 4), y1 = rand_coord(lo, span, mode % 4);
				raster_pt *p = pool + used;

				p[0].x = x0, p[0].y = y0;
				p[1].x = x1, p[1].y = y0;
				p[2].x = x1, p[2].y = y1;
				p[3].x = x0, p[3].y = y1;
				if (rng_range(0, 1))
					reverse(p, 4);
				rings[k].pts = p;
				rings[k].n = 4;
				used += 4;
			}
			break;
		default: /* triangles, slivers and repeated points */
			nrings = (size_t)rng_range(1, 3);
			for (size_t k = 0; k < nrings; k++) {
				raster_pt *p = pool + used;
				size_t n = (size_t)rng_range(3, 6);

				for (size_t i = 0; i < n; i++) {
					p[i].x = rand_coord(lo, span, mode % 4);
					p[i].y = rand_coord(lo, span, mode % 4);
					if (i && rng_range(0, 3) == 0)
						p[i] = p[i - 1];
				}
				rings[k].pts = p;
				rings[k].n = n;
				used += n;
			}
			break;
		}
		nverts += (long)used;
		bad = compare_with_ref(rings, nrings, &pixels, &inside);
		if (bad) {
			if (failed_cases++ < 3) {
				tap_diag("case %d (kind %d, mode %d): %ld disagreements", c, kind, mode, bad);
				dump_rings(rings, nrings);
			}
			disagree += bad;
		}
	}
	tap_diag("random polygons: %d cases, %ld vertices, %ld pixel centres compared, %ld inside",
	    CASES, nverts, pixels, inside);
	tap_ok(disagree == 0, "random polygons vs reference winding: %ld disagreements in %ld cases",
	    disagree, failed_cases);
}

/* Invariances: reversing every ring, rotating the start vertex, and shifting by whole pixels
 * give the same (shifted) pixels. */
static void test_invariance(void)
{
	raster_pt a[40], b[40];
	long bad = 0;

	rng_seed(2);
	for (int c = 0; c < 500; c++) {
		size_t n = (size_t)rng_range(3, 40);
		int mode = (int)rng_range(0, 3), sx = (int)rng_range(-50, 50), sy = (int)rng_range(-50, 50);
		size_t rot = (size_t)rng_range(0, (int64_t)n - 1);
		raster_ring ra = { a, n }, rb = { b, n };
		raster_rect area, sh;
		struct grid ga, gb;

		for (size_t i = 0; i < n; i++) {
			a[i].x = rand_coord(0, 30, mode);
			a[i].y = rand_coord(0, 30, mode);
		}
		area = grow(raster_bounds_rings(&ra, 1), 1);
		for (size_t i = 0; i < n; i++) {
			b[i].x = a[(n - 1 - (i + rot) % n)].x + sx * ONE;
			b[i].y = a[(n - 1 - (i + rot) % n)].y + sy * ONE;
		}
		sh.x0 = area.x0 + sx, sh.x1 = area.x1 + sx, sh.y0 = area.y0 + sy, sh.y1 = area.y1 + sy;
		grid_init(&ga, area);
		grid_init(&gb, sh);
		fill_into(&ga, &ra, 1, area);
		fill_into(&gb, &rb, 1, sh);
		for (int y = area.y0; y < area.y1; y++)
			for (int x = area.x0; x < area.x1; x++)
				bad += grid_at(&ga, x, y) != grid_at(&gb, x + sx, y + sy);
		bad += ga.bad + gb.bad;
		free(ga.cnt);
		free(gb.cnt);
	}
	tap_ok(bad == 0, "reversed, rotated and shifted polygons fill the same pixels (%ld differences)", bad);
}

/* ---- partitions ---- */

struct partition_stats {
	long covered, twice, gaps, stray;
};

/* cnt holds how many cells claimed each pixel; uni the fill of the union's outline. */
static void partition_check(const struct grid *cnt, const struct grid *uni, struct partition_stats *st)
{
	for (int y = cnt->area.y0; y < cnt->area.y1; y++)
		for (int x = cnt->area.x0; x < cnt->area.x1; x++) {
			int c = grid_at(cnt, x, y), u = grid_at(uni, x, y);

			if (u && c == 1)
				st->covered++;
			else if (c > 1)
				st->twice++;
			else if (u && c == 0)
				st->gaps++;
			else if (!u && c)
				st->stray++;
		}
}

static void test_grid_partition(void)
{
	enum { G = 12, W = 1200, H = 900 };
	raster_rect area = { -2, -2, W + 2, H + 2 };
	struct grid cnt, uni;
	raster_pt v[G + 1][G + 1], outline[4 * G];
	long cells = 0;

	grid_init(&cnt, area);
	grid_init(&uni, area);
	for (int mode = 0; mode < 3; mode++) {
		struct partition_stats st = { 0, 0, 0, 0 };

		for (int seed = 0; seed < 3; seed++) {
			size_t no = 0;

			rng_seed(100 + (uint64_t)(mode * 10 + seed));
			for (int j = 0; j <= G; j++)
				for (int i = 0; i <= G; i++) {
					double x = i * (double)W / G + (rng_unit() - 0.5) * 60;
					double y = j * (double)H / G + (rng_unit() - 0.5) * 45;

					if (mode == 1) { /* on pixel centres */
						x = __builtin_floor(x) + 0.5;
						y = __builtin_floor(y) + 0.5;
					} else if (mode == 2) { /* on a coarse half-pixel lattice */
						x = __builtin_floor(x / 8) * 8 + 0.5;
						y = __builtin_floor(y / 8) * 8 + 0.5;
					}
					v[j][i] = raster_pt_from_double(x, y);
				}
			grid_clear(&cnt);
			grid_clear(&uni);
			for (int j = 0; j < G; j++)
				for (int i = 0; i < G; i++) {
					raster_pt q[4] = { v[j][i], v[j][i + 1], v[j + 1][i + 1], v[j + 1][i] };
					raster_ring r = { q, 4 };

					fill_into(&cnt, &r, 1, area);
					cells++;
				}
			for (int i = 0; i < G; i++)
				outline[no++] = v[0][i];
			for (int j = 0; j < G; j++)
				outline[no++] = v[j][G];
			for (int i = G; i > 0; i--)
				outline[no++] = v[G][i];
			for (int j = G; j > 0; j--)
				outline[no++] = v[j][0];
			{
				raster_ring r = { outline, no };

				fill_into(&uni, &r, 1, area);
			}
			partition_check(&cnt, &uni, &st);
		}
		tap_diag("jittered %dx%d grid at %dx%d (%s), 3 seeds: %ld pixels claimed once, %ld twice, %ld gaps, %ld stray",
		    G, G, W, H, mode == 0 ? "sub-pixel vertices" : mode == 1 ? "vertices on centres" : "vertices on a coarse centre lattice",
		    st.covered, st.twice, st.gaps, st.stray);
		tap_ok(st.twice == 0 && st.gaps == 0 && st.stray == 0 && st.covered > 0 && !cnt.bad && !uni.bad,
		    "grid partition (mode %d): no pixel twice, no gap", mode);
	}
	(void)cells;
	free(cnt.cnt);
	free(uni.cnt);
}

static int64_t orient(raster_pt a, raster_pt b, raster_pt c)
{
	return ((int64_t)b.x - a.x) * ((int64_t)c.y - a.y) - ((int64_t)b.y - a.y) * ((int64_t)c.x - a.x);
}

static int cmp_pt(const void *pa, const void *pb)
{
	const raster_pt *a = pa, *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return (a->y > b->y) - (a->y < b->y);
}

/* Andrew's monotone chain; collinear points dropped. Returns the hull size. */
static size_t convex_hull(raster_pt *pts, size_t n, raster_pt *hull)
{
	size_t k = 0;

	qsort(pts, n, sizeof *pts, cmp_pt);
	for (size_t i = 0; i < n; i++) {
		while (k >= 2 && orient(hull[k - 2], hull[k - 1], pts[i]) <= 0)
			k--;
		hull[k++] = pts[i];
	}
	for (size_t i = n - 1, t = k + 1; i-- > 0;) {
		while (k >= t && orient(hull[k - 2], hull[k - 1], pts[i]) <= 0)
			k--;
		hull[k++] = pts[i];
	}
	return k - 1;
}

/* Random triangulations: the hull of random points fanned, then the other points inserted one
 * by one, each splitting the triangle it lies strictly inside into three. */
static void test_triangulation_partition(void)
{
	enum { NPTS = 300 };
	raster_rect area = { -2, -2, 420, 320 };
	struct grid cnt, uni;
	struct partition_stats st = { 0, 0, 0, 0 };
	static raster_pt pts[NPTS], hull[NPTS + 1], tri[3 * NPTS][3];
	long ntri_total = 0;

	grid_init(&cnt, area);
	grid_init(&uni, area);
	for (int round = 0; round < 24; round++) {
		int mode = round % 4;
		size_t nh, ntri = 0;

		rng_seed(200 + (uint64_t)round);
		for (size_t i = 0; i < NPTS; i++) {
			if (mode == 3) { /* a coarse lattice of centres: collinear points and ties galore */
				pts[i].x = (int32_t)(rng_range(0, 40) * 10 * ONE + ONE / 2);
				pts[i].y = (int32_t)(rng_range(0, 30) * 10 * ONE + ONE / 2);
			} else {
				pts[i].x = rand_coord(0, 410, mode);
				pts[i].y = rand_coord(0, 310, mode);
			}
		}
		nh = convex_hull(pts, NPTS, hull);
		for (size_t i = 1; i + 1 < nh; i++) {
			tri[ntri][0] = hull[0];
			tri[ntri][1] = hull[i];
			tri[ntri][2] = hull[i + 1];
			ntri++;
		}
		for (size_t i = 0; i < NPTS; i++)
			for (size_t t = 0; t < ntri; t++) {
				raster_pt a = tri[t][0], b = tri[t][1], c = tri[t][2], p = pts[i];

				if (orient(a, b, p) > 0 && orient(b, c, p) > 0 && orient(c, a, p) > 0) {
					tri[t][2] = p;
					tri[ntri][0] = b, tri[ntri][1] = c, tri[ntri][2] = p;
					ntri++;
					tri[ntri][0] = c, tri[ntri][1] = a, tri[ntri][2] = p;
					ntri++;
					break;
				}
			}
		grid_clear(&cnt);
		grid_clear(&uni);
		for (size_t t = 0; t < ntri; t++) {
			raster_ring r = { tri[t], 3 };

			fill_into(&cnt, &r, 1, area);
		}
		{
			raster_ring r = { hull, nh };

			fill_into(&uni, &r, 1, area);
		}
		partition_check(&cnt, &uni, &st);
		ntri_total += (long)ntri;
	}
	tap_diag("random triangulations: 24 rounds, %ld triangles: %ld pixels claimed once, %ld twice, %ld gaps, %ld stray",
	    ntri_total, st.covered, st.twice, st.gaps, st.stray);
	tap_ok(st.twice == 0 && st.gaps == 0 && st.stray == 0 && st.covered > 0 && !cnt.bad && !uni.bad,
	    "triangulation partition: no pixel twice, no gap");
	free(cnt.cnt);
	free(uni.cnt);
}

/* ---- strokes ---- */

static int fill_stroke_into(struct grid *g, const raster_pt *p, size_t n, int32_t w, raster_rect clip)
{
	char *cause = NULL;
	int rc;

	grid_begin(g, clip);
	rc = raster_fill_stroke(p, n, w, clip, grid_span, g, &cause);
	if (rc != 0) {
		tap_diag("unexpected stroke failure: %s", cause ? cause : "(no cause)");
		free(cause);
	}
	return rc;
}

static int count_stroke(const raster_pt *p, size_t n, int32_t w)
{
	raster_rect area = { -10, -10, 20, 20 };
	struct grid g;
	int total = 0;

	grid_init(&g, area);
	fill_stroke_into(&g, p, n, w, area);
	for (int y = area.y0; y < area.y1; y++)
		for (int x = area.x0; x < area.x1; x++)
			total += grid_at(&g, x, y);
	if (g.bad)
		total = -1;
	free(g.cnt);
	return total;
}

static void test_strokes(void)
{
	long pixels = 0, inside = 0, bad = 0, failed_cases = 0;

	{
		raster_pt dot = P(2.5, 2.5), corner = P(2, 2);
		raster_pt seg[2] = { P(0.5, 2.5), P(4.5, 2.5) };

		tap_ok(count_stroke(&dot, 1, 2 * ONE) == 5, "dot of width 2 on a centre: centre and 4 neighbours");
		tap_ok(count_stroke(&dot, 1, 0) == 1, "dot of width 0 on a centre: that pixel");
		tap_ok(count_stroke(&corner, 1, 0) == 0, "dot of width 0 on a corner: nothing");
		tap_ok(count_stroke(&corner, 1, ONE) == 0, "dot of width 1 on a corner: nothing (corners are 0.707 away)");
		tap_ok(count_stroke(&corner, 1, 363) == 4, "dot of width 1.42 on a corner: 4 pixels");
		tap_ok(count_stroke(seg, 2, 2 * ONE) == 17, "segment on a centre row, width 2: 7 + 5 + 5 (distance 1 counts)");
		tap_ok(count_stroke(seg, 2, 2 * ONE - 1) == 5, "same, width 2 - 1/256: only its own row");
	}

	rng_seed(3);
	for (int c = 0; c < 4000; c++) {
		raster_pt p[10];
		size_t n = (size_t)rng_range(1, 8);
		int mode = (int)rng_range(0, 4);
		int32_t w;
		raster_rect b, area;
		struct grid g;
		long cb = 0;

		switch (rng_range(0, 3)) {
		case 0:
			w = (int32_t)rng_range(0, 16 * ONE);
			break;
		case 1:
			w = (int32_t)rng_range(0, 12) * ONE; /* whole pixels, odd and even */
			break;
		case 2:
			w = (int32_t)rng_range(0, 24) * (ONE / 2);
			break;
		default:
			w = ONE;
			break;
		}
		for (size_t i = 0; i < n; i++) {
			int m = mode == 4 ? (int)rng_range(0, 3) : mode;

			p[i].x = rand_coord(-5, 30, m);
			p[i].y = rand_coord(-5, 30, m);
			if (i && rng_range(0, 5) == 0)
				p[i] = p[i - 1];
		}
		b = raster_bounds_stroke(p, n, w);
		area = grow(b, 2);
		grid_init(&g, area);
		fill_stroke_into(&g, p, n, w, area);
		for (int y = area.y0; y < area.y1; y++)
			for (int x = area.x0; x < area.x1; x++) {
				int want = ref_in_stroke(p, n, w, x, y);

				pixels++;
				inside += want;
				cb += grid_at(&g, x, y) != want;
				cb += want && (x < b.x0 || x >= b.x1 || y < b.y0 || y >= b.y1);
			}
		cb += g.bad;
		if (cb && failed_cases++ < 3) {
			tap_diag("stroke case %d: %ld disagreements, width %d, points:", c, cb, w);
			for (size_t i = 0; i < n; i++)
				tap_diag("  (%d, %d)", p[i].x, p[i].y);
		}
		bad += cb;
		free(g.cnt);
	}
	tap_diag("random strokes: 4000 cases, %ld pixel centres compared, %ld inside", pixels, inside);
	tap_ok(bad == 0, "random strokes vs exact distance: %ld disagreements in %ld cases", bad, failed_cases);
}

/* ---- tracing ---- */

struct trace_stats {
	long masks, rings, verts, bad_fill, bad_shape;
};

/* Traces mask, fills the rings back, and checks the outline's shape. */
static void trace_roundtrip(const uint8_t *mask, int w, int h, size_t stride, struct trace_stats *st,
    const char *what)
{
	raster_ring *rings = NULL;
	size_t nrings = 0;
	char *cause = NULL;
	uint8_t *back = calloc((size_t)w * (size_t)h + 1, 1);
	long diff = 0, shape = 0, count = 0;
	int64_t area2 = 0;

	st->masks++;
	if (raster_trace(mask, w, h, stride, &rings, &nrings, &cause) != 0) {
		tap_diag("%s: trace failed: %s", what, cause);
		free(cause);
		st->bad_fill++;
		free(back);
		return;
	}
	if (raster_fill_rings_u8(back, w, h, (size_t)w, rings, nrings, 1, &cause) != 0) {
		tap_diag("%s: fill failed: %s", what, cause);
		free(cause);
		diff++;
	}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int m = mask[(size_t)y * stride + (size_t)x] != 0;

			count += m;
			diff += m != back[(size_t)y * (size_t)w + (size_t)x];
		}
	for (size_t k = 0; k < nrings; k++) {
		const raster_ring *r = &rings[k];
		int64_t a = 0;

		st->verts += (long)r->n;
		if (r->n < 4 || r->n % 2)
			shape++;
		for (size_t i = 0; i < r->n; i++) {
			raster_pt p0 = r->pts[(i + r->n - 1) % r->n], p1 = r->pts[i], p2 = r->pts[(i + 1) % r->n];
			int horiz_in = p0.y == p1.y, horiz_out = p1.y == p2.y;

			if (p1.x % ONE || p1.y % ONE)
				shape++; /* not on a pixel corner */
			if ((p0.x != p1.x) == (p0.y != p1.y))
				shape++; /* not axis-aligned, or zero length */
			if (horiz_in == horiz_out)
				shape++; /* collinear with its neighbours */
			a += (int64_t)p1.x / ONE * (p2.y / ONE) - (int64_t)p2.x / ONE * (p1.y / ONE);
		}
		if (a == 0)
			shape++;
		area2 += a;
	}
	if (area2 != 2 * count)
		shape++; /* outer rings clockwise on screen, holes the other way */
	if (diff || shape)
		tap_diag("%s (%dx%d): %ld pixels differ, %ld shape faults", what, w, h, diff, shape);
	st->rings += (long)nrings;
	st->bad_fill += diff;
	st->bad_shape += shape;
	raster_rings_free(rings, nrings);
	free(back);
}

static void test_trace(void)
{
	struct trace_stats st = { 0, 0, 0, 0, 0 };
	uint8_t *m = malloc(80 * 80 * 2);
	char what[64];

	rng_seed(4);
	/* noise of several densities, with padding bytes that must be ignored */
	for (int c = 0; c < 300; c++) {
		int w = (int)rng_range(1, 64), h = (int)rng_range(1, 48);
		size_t stride = (size_t)w + (size_t)rng_range(0, 5);
		int density = (int)rng_range(1, 9);

		memset(m, 0xff, stride * (size_t)h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				m[(size_t)y * stride + (size_t)x] = rng_range(0, 9) < density ? (uint8_t)rng_range(1, 255) : 0;
		snprintf(what, sizeof what, "noise %d", c);
		trace_roundtrip(m, w, h, stride, &st, what);
	}
	/* blobs with holes */
	for (int c = 0; c < 100; c++) {
		int w = 80, h = 60;

		memset(m, 0, (size_t)w * (size_t)h);
		for (int k = 0; k < 12; k++) {
			int cx = (int)rng_range(0, w), cy = (int)rng_range(0, h), r = (int)rng_range(1, 15);
			uint8_t v = k % 3 == 2 ? 0 : 1; /* every third disc cuts a hole */

			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
						m[y * w + x] = v;
		}
		snprintf(what, sizeof what, "blobs %d", c);
		trace_roundtrip(m, w, h, (size_t)w, &st, what);
	}
	{
		/* checkerboard: every contact diagonal, so one ring per pixel */
		struct trace_stats cs = { 0, 0, 0, 0, 0 };

		for (int y = 0; y < 8; y++)
			for (int x = 0; x < 8; x++)
				m[y * 8 + x] = (x + y) % 2;
		trace_roundtrip(m, 8, 8, 8, &cs, "checkerboard");
		tap_ok(cs.rings == 32 && cs.verts == 128 && !cs.bad_fill && !cs.bad_shape,
		    "checkerboard 8x8: %ld rings, %ld vertices (pixels touching at corners stay apart)", cs.rings, cs.verts);
		st.masks += cs.masks, st.rings += cs.rings, st.verts += cs.verts;
		st.bad_fill += cs.bad_fill, st.bad_shape += cs.bad_shape;
	}
	{
		/* a diagonal ring of pixels around a hole: holes touching the outside at corners */
		static const char *pic[] = { "..#..", ".#.#.", "#...#", ".#.#.", "..#.." };
		struct trace_stats ds = { 0, 0, 0, 0, 0 };

		for (int y = 0; y < 5; y++)
			for (int x = 0; x < 5; x++)
				m[y * 5 + x] = pic[y][x] == '#';
		trace_roundtrip(m, 5, 5, 5, &ds, "diamond");
		tap_ok(!ds.bad_fill && !ds.bad_shape && ds.rings == 8, "diamond of diagonal pixels: %ld rings", ds.rings);
	}
	{
		/* full image, empty image, single pixels in every corner, a frame along the border */
		struct trace_stats fs = { 0, 0, 0, 0, 0 };

		memset(m, 1, 30 * 20);
		trace_roundtrip(m, 30, 20, 30, &fs, "full");
		tap_ok(fs.rings == 1 && fs.verts == 4, "full image: one ring of 4 vertices");
		memset(m, 0, 30 * 20);
		trace_roundtrip(m, 30, 20, 30, &fs, "empty");
		tap_ok(fs.rings == 1, "empty image: no ring");
		m[0] = m[29] = m[19 * 30] = m[19 * 30 + 29] = 1;
		trace_roundtrip(m, 30, 20, 30, &fs, "corners");
		tap_ok(fs.rings == 5, "four corner pixels: four rings");
		for (int y = 0; y < 20; y++)
			for (int x = 0; x < 30; x++)
				m[y * 30 + x] = x == 0 || y == 0 || x == 29 || y == 19;
		trace_roundtrip(m, 30, 20, 30, &fs, "frame");
		tap_ok(fs.rings == 7, "border frame: an outer ring and a hole");
		m[0] = 1;
		trace_roundtrip(m, 1, 1, 1, &fs, "1x1");
		st.masks += fs.masks, st.rings += fs.rings, st.verts += fs.verts;
		st.bad_fill += fs.bad_fill, st.bad_shape += fs.bad_shape;
	}
	tap_diag("traced %ld masks into %ld rings, %ld vertices", st.masks, st.rings, st.verts);
	tap_ok(st.bad_fill == 0, "traced outlines fill back to the same pixels (%ld differ)", st.bad_fill);
	tap_ok(st.bad_shape == 0,
	    "outlines: corners on pixel corners, no collinear vertices, outer clockwise, holes anticlockwise (%ld faults)",
	    st.bad_shape);
	free(m);
}

/* ---- clip ---- */

static void test_clip(void)
{
	long bad = 0, spans_full = 0, spans_clip = 0;
	raster_pt pts[3 * 50];

	rng_seed(5);
	for (int c = 0; c < 600; c++) {
		size_t nrings = (size_t)rng_range(1, 3), used = 0;
		raster_ring rings[3];
		raster_rect b, full, clip;
		struct grid gf, gc;
		int stroke = c % 4 == 3;
		int32_t w = (int32_t)rng_range(0, 12 * ONE);

		for (size_t k = 0; k < nrings; k++) {
			size_t n = (size_t)rng_range(3, 50);

			rings[k].pts = pts + used;
			rings[k].n = n;
			for (size_t i = 0; i < n; i++) {
				pts[used + i].x = rand_coord(-20, 120, (int)rng_range(0, 3));
				pts[used + i].y = rand_coord(-20, 120, (int)rng_range(0, 3));
			}
			used += n;
		}
		b = stroke ? raster_bounds_stroke(pts, used, w) : raster_bounds_rings(rings, nrings);
		full = grow(b, 3);
		clip.x0 = (int)rng_range(full.x0 - 5, full.x1);
		clip.x1 = (int)rng_range(clip.x0, full.x1 + 5);
		clip.y0 = (int)rng_range(full.y0 - 5, full.y1);
		clip.y1 = (int)rng_range(clip.y0, full.y1 + 5);
		grid_init(&gf, full);
		grid_init(&gc, full);
		if (stroke) {
			fill_stroke_into(&gf, pts, used, w, full);
			fill_stroke_into(&gc, pts, used, w, clip);
		} else {
			fill_into(&gf, rings, nrings, full);
			fill_into(&gc, rings, nrings, clip);
		}
		for (int y = full.y0; y < full.y1; y++)
			for (int x = full.x0; x < full.x1; x++) {
				int in = x >= clip.x0 && x < clip.x1 && y >= clip.y0 && y < clip.y1;

				bad += grid_at(&gc, x, y) != (in ? grid_at(&gf, x, y) : 0);
			}
		bad += gf.bad + gc.bad;
		spans_full += gf.spans;
		spans_clip += gc.spans;
		free(gf.cnt);
		free(gc.cnt);
	}
	tap_diag("clip: 600 cases, %ld spans unclipped, %ld clipped", spans_full, spans_clip);
	tap_ok(bad == 0, "clipped fills and strokes are the unclipped ones cut to the clip (%ld differences)", bad);
}

/* ---- the u8 conveniences ---- */

/* Fills into a byte mask with padding and a background, against the span callback. */
static void test_u8(void)
{
	enum { W = 64, H = 48, STRIDE = 70 };
	static uint8_t mask[H * STRIDE], want[H * STRIDE];
	raster_pt pts[3 * 60];
	long bad = 0, painted = 0;

	rng_seed(6);
	for (int c = 0; c < 1500; c++) {
		size_t nrings = (size_t)rng_range(1, 3), used = 0;
		raster_ring rings[3];
		raster_rect clip = { 0, 0, W, H };
		struct grid g;
		uint8_t v = (uint8_t)rng_range(1, 255);
		int stroke = c % 5 == 4, rc;
		int32_t w = (int32_t)rng_range(0, 10 * ONE);
		/* some shapes well inside the mask (the direct memset path), some across its sides */
		int64_t lo = c % 2 ? 4 : -20, span = c % 2 ? 50 : 100;

		for (size_t k = 0; k < nrings; k++) {
			size_t n = (size_t)rng_range(3, 60);

			rings[k].pts = pts + used;
			rings[k].n = n;
			if (rng_range(0, 1))
				make_star(pts + used, n, lo + span / 2.0, lo / 2.0 + span / 3.0, 2, span / 2.0,
				    (int)rng_range(0, 1), (int)rng_range(0, 2));
			else
				for (size_t i = 0; i < n; i++) {
					pts[used + i].x = rand_coord(lo, span, (int)rng_range(0, 3));
					pts[used + i].y = rand_coord(lo / 2, span * 2 / 3, (int)rng_range(0, 3));
				}
			used += n;
		}
		for (size_t i = 0; i < sizeof mask; i++)
			mask[i] = want[i] = (uint8_t)(i * 7);
		grid_init(&g, clip);
		if (stroke) {
			fill_stroke_into(&g, pts, used, w, clip);
			rc = raster_fill_stroke_u8(mask, W, H, STRIDE, pts, used, w, v, NULL);
		} else {
			fill_into(&g, rings, nrings, clip);
			rc = raster_fill_rings_u8(mask, W, H, STRIDE, rings, nrings, v, NULL);
		}
		bad += rc != 0;
		for (int y = 0; y < H; y++)
			for (int x = 0; x < W; x++)
				if (grid_at(&g, x, y)) {
					want[y * STRIDE + x] = v;
					painted++;
				}
		bad += memcmp(mask, want, sizeof mask) != 0;
		bad += g.bad;
		free(g.cnt);
	}
	tap_ok(bad == 0, "u8 fills and strokes set exactly the callback's pixels, padding untouched (%ld faults, %ld pixels)",
	    bad, painted);
}

/* ---- hostile and extreme input ---- */

static void noop_span(void *ctx, int y, int x0, int x1)
{
	(void)y;
	(void)x0;
	(void)x1;
	(*(long *)ctx)++;
}

static int fails_cleanly(int rc, char *cause, long spans, const char *what)
{
	int ok = rc == -1 && cause && *cause && !strchr(cause, '\n') && spans == 0;

	tap_ok(ok, "%s: -1 with \"%s\"", what, cause ? cause : "(none)");
	free(cause);
	return ok;
}

/* The cause is read after the call: in one expression the order would be unspecified. */
#define FAILS(what, call, nspans) \
	do { \
		cause = NULL; \
		rc = (call); \
		fails_cleanly(rc, cause, (nspans), (what)); \
	} while (0)

/* Checks, on every 9973rd row, that each span starts and ends where the reference changes. */
struct sampled {
	const raster_ring *rings;
	size_t nrings;
	long rows, spans, bad;
};

static void sampled_span(void *ctx, int y, int x0, int x1)
{
	struct sampled *sm = ctx;

	if (y % 9973)
		return;
	sm->spans++;
	sm->bad += !ref_inside(sm->rings, sm->nrings, x0, y) || ref_inside(sm->rings, sm->nrings, x0 - 1, y);
	sm->bad += !ref_inside(sm->rings, sm->nrings, x1 - 1, y) || ref_inside(sm->rings, sm->nrings, x1, y);
}

static void test_huge_shape(void)
{
	raster_pt star[40];
	raster_ring r = { star, 40 };
	raster_rect everything = { -RASTER_COORD_MAX_PX - 5, -RASTER_COORD_MAX_PX - 5, RASTER_COORD_MAX_PX + 5,
		RASTER_COORD_MAX_PX + 5 };
	struct sampled sm = { &r, 1, 0, 0, 0 };
	int rc;

	rng_seed(7);
	make_star(star, 40, 0, 0, RASTER_COORD_MAX_PX * 0.3, RASTER_COORD_MAX_PX * 0.99, 0, 0);
	rc = raster_fill_rings(&r, 1, everything, sampled_span, &sm, NULL);
	tap_ok(rc == 0 && sm.bad == 0 && sm.spans > 100,
	    "star 4 million pixels across: %ld sampled spans start and end where the reference says (%ld faults)",
	    sm.spans, sm.bad);
}

static void test_hostile(void)
{
	raster_rect clip = { -100, -100, 100, 100 };
	raster_pt tri[3] = { P(0, 0), P(10, 0), P(0, 10) };
	raster_pt far[3] = { P(0, 0), P(4194304, 0), P(0, 10) };
	raster_ring r;
	char *cause;
	int rc;
	long spans = 0;
	uint8_t mask[16];
	raster_ring *rings;
	size_t nrings;

	r.pts = far, r.n = 3;
	FAILS("coordinate beyond 2^21 px", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	r.pts = tri, r.n = 0;
	FAILS("ring of 0 vertices", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	r.n = 1;
	FAILS("ring of 1 vertex", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	r.n = 2;
	FAILS("ring of 2 vertices", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	r.pts = NULL, r.n = 3;
	FAILS("ring without points", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	FAILS("no ring array", raster_fill_rings(NULL, 2, clip, noop_span, &spans, &cause), spans);
	r.pts = tri, r.n = RASTER_MAX_VERTICES + 1; /* never read: the count is checked first */
	FAILS("too many vertices", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	{
		raster_pt nan[3] = { raster_pt_from_double(0.0 / 0.0, 0), P(1e300, -1e300), P(0, 5) };

		r.pts = nan, r.n = 3;
		FAILS("NaN and 1e300", raster_fill_rings(&r, 1, clip, noop_span, &spans, &cause), spans);
	}
	r.pts = far, r.n = 3;
	tap_ok(raster_fill_rings(&r, 1, clip, noop_span, &spans, NULL) == -1 && spans == 0, "NULL cause: -1, no crash");
	r.pts = tri, r.n = 3;
	tap_ok(raster_fill_rings(&r, 0, clip, noop_span, &spans, NULL) == 0 && spans == 0, "no rings: the empty shape");
	tap_ok(raster_fill_rings(&r, 1, (raster_rect){ 5, 5, 5, 50 }, noop_span, &spans, NULL) == 0 && spans == 0,
	    "empty clip: nothing");
	FAILS("no callback", raster_fill_rings(&r, 1, clip, NULL, NULL, &cause), spans);

	FAILS("stroke of 0 points", raster_fill_stroke(tri, 0, ONE, clip, noop_span, &spans, &cause), spans);
	FAILS("negative width", raster_fill_stroke(tri, 3, -1, clip, noop_span, &spans, &cause), spans);
	FAILS("huge width", raster_fill_stroke(tri, 3, INT32_MAX, clip, noop_span, &spans, &cause), spans);
	FAILS("stroke beyond the limit", raster_fill_stroke(far, 3, ONE, clip, noop_span, &spans, &cause), spans);
	tap_ok(raster_fill_stroke(far, 3, ONE, clip, noop_span, &spans, NULL) == -1, "stroke, NULL cause");

	FAILS("trace of negative width", raster_trace(mask, -1, 4, 4, &rings, &nrings, &cause), 0);
	FAILS("trace with stride < width", raster_trace(mask, 4, 4, 3, &rings, &nrings, &cause), 0);
	FAILS("trace of no mask", raster_trace(NULL, 4, 4, 4, &rings, &nrings, &cause), 0);
	FAILS("trace with no output", raster_trace(mask, 4, 4, 4, NULL, &nrings, &cause), 0);
	FAILS("u8 fill with stride < width", raster_fill_rings_u8(mask, 4, 4, 2, &r, 1, 1, &cause), 0);
	tap_ok(raster_trace(mask, 0, 0, 0, &rings, &nrings, NULL) == 0 && nrings == 0 && !rings, "trace of 0x0: no rings");

	{
		/* extreme but valid: edges spanning the whole range, checked in windows far from any vertex */
		const int32_t M = RASTER_COORD_MAX;
		raster_pt big[5] = { { -M, -M }, { M, -M + 1 }, { M - 3, M }, { 7, 3 }, { -M + 1, M - 5 } };
		raster_ring rb = { big, 5 };
		long diff = 0, in = 0;

		for (int k = 0; k < 6; k++) {
			int cx = (int)rng_range(-RASTER_COORD_MAX_PX, RASTER_COORD_MAX_PX - 40);
			int cy = (int)rng_range(-RASTER_COORD_MAX_PX, RASTER_COORD_MAX_PX - 40);
			raster_rect win = { cx, cy, cx + 40, cy + 40 };
			struct grid g;

			if (k == 0)
				win = (raster_rect){ -20, -20, 20, 20 };
			if (k == 1)
				win = (raster_rect){ RASTER_COORD_MAX_PX - 40, -RASTER_COORD_MAX_PX, RASTER_COORD_MAX_PX, -RASTER_COORD_MAX_PX + 40 };
			grid_init(&g, win);
			fill_into(&g, &rb, 1, win);
			for (int y = win.y0; y < win.y1; y++)
				for (int x = win.x0; x < win.x1; x++) {
					in += ref_inside(&rb, 1, x, y);
					diff += grid_at(&g, x, y) != ref_inside(&rb, 1, x, y);
				}
			diff += g.bad;
			free(g.cnt);
		}
		tap_ok(diff == 0, "polygon spanning the whole coordinate range: exact in far windows (%ld differ, %ld inside)",
		    diff, in);
	}
	{
		const int32_t M = RASTER_COORD_MAX;
		raster_pt path[3] = { { -M, -M + 77 }, { M, M - 1000 }, { 3, -M } };
		long diff = 0, in = 0;

		for (int k = 0; k < 4; k++) {
			int32_t w = k < 2 ? RASTER_COORD_MAX : 5 * ONE + k;
			/* windows on the path, where the boundary is */
			double t = rng_unit();
			int cx = (int)((-M + t * 2.0 * M) / ONE), cy = (int)((-M + 77 + t * (2.0 * M - 1077)) / ONE);
			raster_rect win = { cx - 20 + (k == 1 ? RASTER_COORD_MAX_PX / 2 : 0), cy - 20, 0, 0 };
			struct grid g;

			win.x1 = win.x0 + 40, win.y1 = win.y0 + 40;
			grid_init(&g, win);
			fill_stroke_into(&g, path, 3, w, win);
			for (int y = win.y0; y < win.y1; y++)
				for (int x = win.x0; x < win.x1; x++) {
					int want = ref_in_stroke(path, 3, w, x, y);

					in += want;
					diff += grid_at(&g, x, y) != want;
				}
			diff += g.bad;
			free(g.cnt);
		}
		tap_ok(diff == 0, "stroke across the whole coordinate range, widest brush: exact (%ld differ, %ld inside)",
		    diff, in);
	}
}

/* raster_bounds_mask against the bounds of random masks found the slow way. */
static void test_bounds_mask(void)
{
	uint8_t m[12 * 9];
	raster_rect r;
	int t, x, y, bad = 0;

	memset(m, 0, sizeof(m));
	r = raster_bounds_mask(m, 10, 9, 12);
	tap_ok(r.x0 == 0 && r.y0 == 0 && r.x1 == 0 && r.y1 == 0, "bounds of an empty mask: empty");
	srand(7);
	for (t = 0; t < 500; t++) {
		int x0 = 10, y0 = 9, x1 = 0, y1 = 0;

		for (y = 0; y < 9; y++)
			for (x = 0; x < 12; x++)
				m[y * 12 + x] = rand() % 40 == 0;
		for (y = 0; y < 9; y++)
			for (x = 0; x < 10; x++)
				if (m[y * 12 + x]) {
					x0 = x < x0 ? x : x0;
					y0 = y < y0 ? y : y0;
					x1 = x + 1 > x1 ? x + 1 : x1;
					y1 = y + 1 > y1 ? y + 1 : y1;
				}
		if (x1 == 0)
			x0 = y0 = 0;
		r = raster_bounds_mask(m, 10, 9, 12);
		bad += r.x0 != x0 || r.y0 != y0 || r.x1 != x1 || r.y1 != y1;
	}
	tap_ok(bad == 0, "bounds of 500 random masks (10 of 12 columns read) as found pixel by pixel (%d wrong)", bad);
}

int main(void)
{
	test_ties();
	test_random_polygons();
	test_invariance();
	test_grid_partition();
	test_triangulation_partition();
	test_strokes();
	test_trace();
	test_clip();
	test_u8();
	test_huge_shape();
	test_hostile();
	test_bounds_mask();
	return tap_done();
}
