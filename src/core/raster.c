/* raster.c: exact scanline fill of polygons and strokes, and pixel-edge tracing.
 *
 * Fill: an edge crosses the rows whose centre line y = cy satisfies ytop <= cy < ybottom, and on
 * such a row it counts for the pixels whose centre is at or right of the crossing. Both halves of
 * that convention are what puts a centre lying on an edge on the edge's right and below it, which
 * is the top-left rule (see raster.h). Per row, each edge reduces to one integer: the first pixel
 * it counts for, ceil(num / den) with num, den exact integers, stepped from row to row with a
 * quotient and a remainder (a DDA with no rounding at all). */
#include "config.h"

#include "raster.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

#define HALF (RASTER_ONE / 2)

/* b > 0; C division truncates, these round the quotient down and up. */
static inline int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

static inline int64_t ceil_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if (a % b != 0 && a > 0)
		q++;
	return q;
}

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

/* First pixel index whose centre is at or right of (at or below) coordinate v. */
static inline int64_t first_centre_at_or_after(int64_t v) { return ceil_div(v - HALF, RASTER_ONE); }

raster_pt raster_pt_from_double(double x, double y)
{
	raster_pt p;
	double v[2] = { x, y };
	int32_t out[2];

	for (int k = 0; k < 2; k++) {
		double f = floor(v[k] * RASTER_ONE + 0.5);

		if (!(f >= INT32_MIN)) /* also NaN */
			out[k] = INT32_MIN;
		else if (f > INT32_MAX)
			out[k] = INT32_MAX;
		else
			out[k] = (int32_t)f;
	}
	p.x = out[0];
	p.y = out[1];
	return p;
}

static inline int coord_ok(raster_pt p)
{
	return p.x >= -RASTER_COORD_MAX && p.x <= RASTER_COORD_MAX && p.y >= -RASTER_COORD_MAX &&
	    p.y <= RASTER_COORD_MAX;
}

static inline raster_rect rect_intersect(raster_rect a, raster_rect b)
{
	raster_rect r;

	r.x0 = a.x0 > b.x0 ? a.x0 : b.x0;
	r.y0 = a.y0 > b.y0 ? a.y0 : b.y0;
	r.x1 = a.x1 < b.x1 ? a.x1 : b.x1;
	r.y1 = a.y1 < b.y1 ? a.y1 : b.y1;
	return r;
}

static inline int rect_empty(raster_rect r) { return r.x0 >= r.x1 || r.y0 >= r.y1; }

/* ---- polygon fill ---- */

/* An edge's crossing with the centre line of the current row, in units, is x = num / dy exactly.
 * The scan keeps t = ceil(x - HALF) as t = (num + r) / dy with 0 <= r < dy; the edge's first
 * pixel is then ceil(t / RASTER_ONE), since nested ceilings of exact quotients compose. All of
 * it fits in int32: |t| < 2^30 within the limits, and an edge crossing two rows or more has
 * dy > RASTER_ONE, so its step per row, RASTER_ONE * dx / dy, is below |dx| <= 2^30. */
struct edge {
	int32_t ytop, yend; /* rows [ytop, yend), clipped */
	int32_t t, r, dy;   /* the state at row ytop */
	int32_t st, sr;     /* per row: t += st, r -= sr, and a carry when r goes negative */
	int32_t dir;        /* +1 going down, -1 going up: what it adds to the winding */
};

struct fill_job {
	struct edge *et;  /* sorted by ytop */
	size_t ne;
	raster_rect clip; /* the clip within the bounds: rows and columns to visit */
	uint64_t *keys;   /* scratch for sorting, ne of them */
	int32_t *mem;     /* scratch for the scan, 11 * ne */
};

static int check_rings(const raster_ring *rings, size_t nrings, size_t *total, char **cause)
{
	size_t sum = 0;

	if (nrings && !rings)
		return err_set(cause, "raster: no ring array for %zu rings", nrings);
	for (size_t k = 0; k < nrings; k++) {
		const raster_ring *rg = &rings[k];

		if (rg->n < 3)
			return err_set(cause, "raster: ring %zu has %zu vertices, at least 3 are needed", k,
			    rg->n);
		if (!rg->pts)
			return err_set(cause, "raster: ring %zu has no vertex array", k);
		if (rg->n > RASTER_MAX_VERTICES - sum)
			return err_set(cause, "raster: more than %zu vertices in one shape",
			    RASTER_MAX_VERTICES);
		sum += rg->n;
		for (size_t i = 0; i < rg->n; i++)
			if (!coord_ok(rg->pts[i]))
				return err_set(cause,
				    "raster: ring %zu vertex %zu (%.2f, %.2f) is beyond the %d pixel limit", k, i,
				    rg->pts[i].x / (double)RASTER_ONE, rg->pts[i].y / (double)RASTER_ONE,
				    RASTER_COORD_MAX_PX);
	}
	*total = sum;
	return 0;
}

raster_rect raster_bounds_rings(const raster_ring *rings, size_t nrings)
{
	raster_rect r = { 0, 0, 0, 0 };
	int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;

	for (size_t k = 0; k < nrings; k++)
		for (size_t i = 0; i < rings[k].n; i++) {
			raster_pt p = rings[k].pts[i];

			x0 = min64(x0, p.x);
			y0 = min64(y0, p.y);
			x1 = max64(x1, p.x);
			y1 = max64(y1, p.y);
		}
	if (x0 > x1)
		return r;
	/* A centre on the right-most or bottom-most line is judged just beyond it: outside. */
	r.x0 = (int)first_centre_at_or_after(x0);
	r.y0 = (int)first_centre_at_or_after(y0);
	r.x1 = (int)first_centre_at_or_after(x1);
	r.y1 = (int)first_centre_at_or_after(y1);
	return r;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Sorts small arrays by insertion, others with qsort. */
static void sort_keys(uint64_t *k, size_t n)
{
	if (n > 24) {
		qsort(k, n, sizeof *k, cmp_u64);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		uint64_t v = k[i];
		size_t j = i;

		for (; j > 0 && k[j - 1] > v; j--)
			k[j] = k[j - 1];
		k[j] = v;
	}
}

/* Key for sorting by a signed 32-bit value, then by index. */
static inline uint64_t sort_key(int32_t v, size_t idx)
{
	return (uint64_t)((uint32_t)v ^ 0x80000000u) << 32 | (uint32_t)idx;
}

/* Builds the edge table of the edges that matter inside clip, each with its exact state at its
 * first visited row. Edges never crossing a row centre, wholly above or below the clip, or wholly
 * right of it are dropped; edges wholly left of it count for every clipped pixel, so they become
 * vertical edges on its left border and cost nothing per row. */
static void build_edges(struct fill_job *job, const raster_ring *rings, size_t nrings,
    struct edge *tmp)
{
	const raster_rect c = job->clip;
	size_t ne = 0;

	for (size_t k = 0; k < nrings; k++) {
		const raster_pt *pts = rings[k].pts;
		size_t n = rings[k].n;

		for (size_t i = 0; i < n; i++) {
			raster_pt a = pts[i], b = pts[i + 1 == n ? 0 : i + 1];
			struct edge *e = &tmp[ne];
			int64_t ytop, yend, dx, dy, num, t;

			if (a.y == b.y)
				continue; /* horizontal edges never cross a row */
			e->dir = 1;
			if (a.y > b.y) {
				raster_pt s = a;
				a = b;
				b = s;
				e->dir = -1;
			}
			ytop = max64(first_centre_at_or_after(a.y), c.y0);
			yend = min64(first_centre_at_or_after(b.y), c.y1);
			if (ytop >= yend || first_centre_at_or_after(min64(a.x, b.x)) >= c.x1)
				continue;
			e->ytop = (int32_t)ytop;
			e->yend = (int32_t)yend;
			if (first_centre_at_or_after(max64(a.x, b.x)) <= c.x0) {
				e->t = c.x0 * RASTER_ONE;
				e->r = 0;
				e->dy = 1;
				e->st = e->sr = 0;
			} else {
				dx = (int64_t)b.x - a.x;
				dy = (int64_t)b.y - a.y;
				/* x - HALF = num / dy on the centre line of row ytop */
				num = (ytop * RASTER_ONE + HALF - a.y) * dx + (a.x - HALF) * dy;
				t = ceil_div(num, dy);
				e->t = (int32_t)t;
				e->r = (int32_t)(t * dy - num);
				e->dy = (int32_t)dy;
				e->st = e->sr = 0;
				if (yend - ytop > 1) { /* else never stepped, and the step might not fit */
					int64_t st = floor_div(dx * RASTER_ONE, dy);

					e->st = (int32_t)st;
					e->sr = (int32_t)(dx * RASTER_ONE - st * dy);
				}
			}
			job->keys[ne] = sort_key(e->ytop, ne);
			ne++;
		}
	}
	sort_keys(job->keys, ne);
	for (size_t i = 0; i < ne; i++)
		job->et[i] = tmp[(uint32_t)job->keys[i]];
	job->ne = ne;
}

/* Puts ord in increasing xs. Edges keep their order from row to row except where they cross,
 * so insertion sort is nearly linear; many crossings fall back to a full sort. */
static void sort_order(int32_t *ord, const int32_t *xs, size_t n, uint64_t *keys)
{
	size_t moves = 0, budget = 2 * n + 32;

	for (size_t i = 1; i < n; i++) {
		int32_t e = ord[i], x = xs[e];
		size_t j = i;

		for (; j > 0 && xs[ord[j - 1]] > x; j--)
			ord[j] = ord[j - 1];
		ord[j] = e;
		moves += i - j;
		if (moves > budget) {
			for (size_t k = 0; k < n; k++)
				keys[k] = sort_key(xs[ord[k]], (size_t)ord[k]);
			sort_keys(keys, n);
			for (size_t k = 0; k < n; k++)
				ord[k] = (int32_t)(uint32_t)keys[k];
			return;
		}
	}
}

/* The runs of a row as pairs of edges, from the winding along ord; valid for every row on which
 * that order still holds. pe = -1: up to the clip's right side (edges right of it were dropped). */
static size_t make_runs(const int32_t *ord, const int32_t *dir, size_t n, int32_t *ps, int32_t *pe)
{
	size_t np = 0;
	int wind = 0;

	for (size_t k = 0; k < n; k++) {
		int32_t e = ord[k];
		int was = wind;

		wind += dir[e];
		if (!was && wind)
			ps[np] = e;
		else if (was && !wind)
			pe[np++] = e;
	}
	if (wind)
		pe[np++] = -1;
	return np;
}

/* ceil(t / RASTER_ONE) without shifting a negative number */
static inline int32_t first_px(int32_t t)
{
	return (int32_t)(((uint32_t)t + (RASTER_ONE - 1) + 0x80000000u) / RASTER_ONE) -
	    (int32_t)(0x80000000u / RASTER_ONE);
}

static inline void step_edges(size_t n, int32_t *restrict t, int32_t *restrict r,
    const int32_t *restrict dy, const int32_t *restrict st, const int32_t *restrict sr,
    int32_t *restrict xs)
{
	for (size_t k = 0; k < n; k++) {
		int32_t rr = r[k] - sr[k], carry = -(int32_t)(rr < 0);

		r[k] = rr + (dy[k] & carry);
		t[k] += st[k] - carry;
		xs[k] = first_px(t[k]);
	}
}

/* Inlined into each caller so that the span callback becomes a direct call (a memset for the
 * u8 conveniences) instead of an indirect call per span.
 * Between events (an edge starting or ending) the live edges only move; the runs, as pairs of
 * edges, are recomputed only at events and when two edges swap places. */
static inline __attribute__((always_inline)) void scan_edges(struct fill_job *job,
    raster_span_fn fn, void *ctx)
{
	const size_t ne = job->ne;
	const struct edge *et = job->et;
	int32_t *t = job->mem, *r = t + ne, *dy = r + ne, *st = dy + ne, *sr = st + ne, *dir = sr + ne;
	int32_t *yend = dir + ne, *xs = yend + ne, *ord = xs + ne, *ps = ord + ne, *pe = ps + ne;
	const int cx0 = job->clip.x0, cx1 = job->clip.x1;
	size_t n = 0, next = 0, nruns = 0;
	int y, event;

	if (!ne)
		return;
	y = event = et[0].ytop;
	for (;;) {
		if (y == event) {
			size_t keep = 0, m = 0;

			/* drop the edges that ended, keeping the order of the others (pe: old -> new) */
			for (size_t k = 0; k < n; k++) {
				if (yend[k] <= y) {
					pe[k] = -1;
					continue;
				}
				t[keep] = t[k], r[keep] = r[k], dy[keep] = dy[k], st[keep] = st[k];
				sr[keep] = sr[k], dir[keep] = dir[k], yend[keep] = yend[k], xs[keep] = xs[k];
				pe[k] = (int32_t)keep++;
			}
			for (size_t k = 0; k < n; k++)
				if (pe[ord[k]] >= 0)
					ord[m++] = pe[ord[k]];
			n = keep;
			for (; next < ne && et[next].ytop == y; next++, n++) {
				const struct edge *e = &et[next];

				t[n] = e->t, r[n] = e->r, dy[n] = e->dy, st[n] = e->st, sr[n] = e->sr;
				dir[n] = e->dir, yend[n] = e->yend, xs[n] = first_px(e->t);
				ord[m++] = (int32_t)n;
			}
			if (!n) {
				if (next == ne)
					break;
				y = event = et[next].ytop;
				continue;
			}
			event = next < ne ? et[next].ytop : INT_MAX;
			for (size_t k = 0; k < n; k++)
				if (yend[k] < event)
					event = yend[k];
			sort_order(ord, xs, n, job->keys);
			nruns = make_runs(ord, dir, n, ps, pe);
		} else {
			int unsorted = 0;

			for (size_t k = 1; k < n; k++)
				unsorted |= xs[ord[k]] < xs[ord[k - 1]];
			if (unsorted) {
				sort_order(ord, xs, n, job->keys);
				nruns = make_runs(ord, dir, n, ps, pe);
			}
		}

		/* runs in order; ties between edges can make two runs touch: join them */
		{
			int have = 0, s0 = 0, e0 = 0;

			for (size_t p = 0; p < nruns; p++) {
				int s = xs[ps[p]], e = pe[p] < 0 ? cx1 : xs[pe[p]];

				if (s < cx0)
					s = cx0;
				if (e > cx1)
					e = cx1;
				if (s >= e)
					continue;
				if (have && s <= e0) {
					e0 = e > e0 ? e : e0;
					continue;
				}
				if (have)
					fn(ctx, y, s0, e0);
				s0 = s, e0 = e, have = 1;
			}
			if (have)
				fn(ctx, y, s0, e0);
		}

		y++;
		step_edges(n, t, r, dy, st, sr, xs);
	}
}

/* Checks the input, then builds the edge table in job (the caller frees job->keys). Returns 1 when
 * there is something to scan, 0 when nothing can be inside the clip, -1 on bad input. */
static int prepare_fill(struct fill_job *job, const raster_ring *rings, size_t nrings,
    raster_rect clip, char **cause)
{
	size_t total = 0;

	job->keys = NULL;
	job->ne = 0;
	if (check_rings(rings, nrings, &total, cause) == -1)
		return -1;
	job->clip = rect_intersect(clip, raster_bounds_rings(rings, nrings));
	if (rect_empty(job->clip) || total == 0)
		return 0;
	/* One block: sort keys, the edge table, then the scan's 11 arrays of int32, a space that
	 * first holds the unsorted draft of the edge table (8 int32 an edge). */
	job->keys = xreallocarray(NULL, total, sizeof *job->keys + sizeof *job->et + 12 * sizeof(int32_t));
	job->et = (struct edge *)(job->keys + total);
	job->mem = (int32_t *)(job->et + total);
	build_edges(job, rings, nrings, (struct edge *)job->mem);
	return job->ne > 0;
}

int raster_fill_rings(const raster_ring *rings, size_t nrings, raster_rect clip, raster_span_fn fn,
    void *ctx, char **cause)
{
	struct fill_job job;
	int rc;

	if (!fn)
		return err_set(cause, "raster: no span callback");
	rc = prepare_fill(&job, rings, nrings, clip, cause);
	if (rc == 1)
		scan_edges(&job, fn, ctx);
	free(job.keys);
	return rc == -1 ? -1 : 0;
}

struct u8_target {
	uint8_t *mask;
	size_t stride;
	uint8_t value;
};

static void span_u8(void *ctx, int y, int x0, int x1)
{
	struct u8_target *t = ctx;

	memset(t->mask + (size_t)y * t->stride + x0, t->value, (size_t)(x1 - x0));
}

static int check_mask(const uint8_t *mask, int w, int h, size_t stride, char **cause)
{
	if (w < 0 || h < 0 || w > RASTER_COORD_MAX_PX || h > RASTER_COORD_MAX_PX)
		return err_set(cause, "raster: mask size %dx%d is out of range", w, h);
	if (stride < (size_t)w)
		return err_set(cause, "raster: mask stride %zu is less than its width %d", stride, w);
	if (!mask && w && h)
		return err_set(cause, "raster: no mask");
	return 0;
}

int raster_fill_rings_u8(uint8_t *mask, int w, int h, size_t stride, const raster_ring *rings,
    size_t nrings, uint8_t value, char **cause)
{
	raster_rect clip = { 0, 0, w, h };
	struct u8_target t = { mask, stride, value };
	struct fill_job job;
	int rc;

	if (check_mask(mask, w, h, stride, cause) == -1)
		return -1;
	rc = prepare_fill(&job, rings, nrings, clip, cause);
	if (rc == 1)
		scan_edges(&job, span_u8, &t);
	free(job.keys);
	return rc == -1 ? -1 : 0;
}

/* ---- strokes ---- */

struct seg {
	int32_t ax, ay, bx, by;
	int32_t ytop, yend; /* rows the capsule can reach, clipped */
};

struct ival {
	int lo, hi; /* inclusive */
};

static inline int64_t sq64(int64_t v) { return v * v; }

/* Exact: is the centre (px, py), relative to a, within w / 2 of segment a + t * (dx, dy)? */
static int capsule_has(int64_t px, int64_t py, int64_t dx, int64_t dy, int64_t w)
{
	__int128 w2 = (__int128)w * w;
	int64_t dot = px * dx + py * dy, l2 = dx * dx + dy * dy;

	if (dot <= 0)
		return 4 * ((__int128)sq64(px) + sq64(py)) <= w2;
	if (dot >= l2)
		return 4 * ((__int128)sq64(px - dx) + sq64(py - dy)) <= w2;
	{
		__int128 cross = (__int128)px * dy - (__int128)py * dx;

		return 4 * cross * cross <= w2 * l2;
	}
}

static inline void widen(double *lo, double *hi, double a, double b)
{
	if (a < *lo)
		*lo = a;
	if (b > *hi)
		*hi = b;
}

/* The pixels of row y within the clip columns [cx0, cx1) whose centre is in the capsule of s:
 * a floating-point estimate, widened a little, then both ends settled by exact tests. The
 * capsule is convex, so its centres on a row are one run. Returns 0 when there are none. */
static int capsule_row(const struct seg *s, int64_t w, int y, int cx0, int cx1, struct ival *out)
{
	const double eps = 0.5; /* units; float error here is below 1e-6 units */
	const int64_t dx = (int64_t)s->bx - s->ax, dy = (int64_t)s->by - s->ay;
	const int64_t py = (int64_t)y * RASTER_ONE + HALF - s->ay; /* row, relative to a */
	const int64_t w2 = w * w;
	double lo = INFINITY, hi = -INFINITY; /* x relative to a */
	int64_t ilo, ihi;

	/* round caps: the discs at a and at b */
	if (2 * llabs(py) <= w) {
		double h = sqrt((double)(w2 - 4 * py * py)) / 2;

		widen(&lo, &hi, -h, h);
	}
	if (2 * llabs(py - dy) <= w) {
		double h = sqrt((double)(w2 - 4 * (py - dy) * (py - dy))) / 2;

		widen(&lo, &hi, (double)dx - h, (double)dx + h);
	}
	/* the body: within w / 2 of the line, and projecting inside the segment */
	if (dx || dy) {
		double a0 = -INFINITY, a1 = INFINITY, b0 = -INFINITY, b1 = INFINITY;
		int64_t l2 = dx * dx + dy * dy;
		int body = 1;

		if (dy == 0) {
			body = 2 * llabs(py) <= w;
		} else {
			double c = (double)(py * dx), rl = (double)w * 0.5 * sqrt((double)l2);

			a0 = (c - rl) / (double)dy;
			a1 = (c + rl) / (double)dy;
			if (a0 > a1) {
				double t = a0;
				a0 = a1;
				a1 = t;
			}
		}
		if (dx == 0) {
			body = body && py * dy >= 0 && py * dy <= l2;
		} else {
			b0 = (double)(-py * dy) / (double)dx;
			b1 = (double)(l2 - py * dy) / (double)dx;
			if (b0 > b1) {
				double t = b0;
				b0 = b1;
				b1 = t;
			}
		}
		if (body) {
			double l = (a0 > b0 ? a0 : b0) - eps, h = (a1 < b1 ? a1 : b1) + eps;

			if (l <= h)
				widen(&lo, &hi, l, h);
		}
	}
	if (!(lo <= hi))
		return 0;
	{
		/* to pixel indices, clamped to the clip before any conversion to integer */
		double fl = ceil(((double)s->ax + lo - eps - HALF) / RASTER_ONE);
		double fh = floor(((double)s->ax + hi + eps - HALF) / RASTER_ONE);

		if (fl > cx1 - 1 || fh < cx0)
			return 0;
		ilo = fl < cx0 ? cx0 : (int64_t)fl;
		ihi = fh > cx1 - 1 ? cx1 - 1 : (int64_t)fh;
	}
#define HAS(i) capsule_has((int64_t)(i) * RASTER_ONE + HALF - s->ax, py, dx, dy, w)
	while (ilo <= ihi && !HAS(ilo))
		ilo++;
	if (ilo > ihi)
		return 0;
	while (!HAS(ihi))
		ihi--;
	/* never taken when the estimate holds; they keep the result exact if it did not */
	while (ilo > cx0 && HAS(ilo - 1))
		ilo--;
	while (ihi < cx1 - 1 && HAS(ihi + 1))
		ihi++;
#undef HAS
	out->lo = (int)ilo;
	out->hi = (int)ihi;
	return 1;
}

raster_rect raster_bounds_stroke(const raster_pt *path, size_t n, int32_t width)
{
	raster_rect r = { 0, 0, 0, 0 };
	int64_t x0 = INT64_MAX, y0 = INT64_MAX, x1 = INT64_MIN, y1 = INT64_MIN;
	int64_t w = width < 0 ? 0 : width;

	for (size_t i = 0; i < n; i++) {
		x0 = min64(x0, path[i].x);
		y0 = min64(y0, path[i].y);
		x1 = max64(x1, path[i].x);
		y1 = max64(y1, path[i].y);
	}
	if (x0 > x1)
		return r;
	/* centre c in reach when 2c >= 2 * min - w and 2c <= 2 * max + w; c = 256 i + 128 */
	r.x0 = (int)ceil_div(2 * x0 - w - RASTER_ONE, 2 * RASTER_ONE);
	r.y0 = (int)ceil_div(2 * y0 - w - RASTER_ONE, 2 * RASTER_ONE);
	r.x1 = (int)floor_div(2 * x1 + w - RASTER_ONE, 2 * RASTER_ONE) + 1;
	r.y1 = (int)floor_div(2 * y1 + w - RASTER_ONE, 2 * RASTER_ONE) + 1;
	return r;
}

static int cmp_seg_ytop(const void *a, const void *b)
{
	const struct seg *sa = a, *sb = b;

	return (sa->ytop > sb->ytop) - (sa->ytop < sb->ytop);
}

static int cmp_ival(const void *a, const void *b)
{
	const struct ival *ia = a, *ib = b;

	return (ia->lo > ib->lo) - (ia->lo < ib->lo);
}

static void sort_ivals(struct ival *v, size_t n)
{
	if (n > 16) {
		qsort(v, n, sizeof *v, cmp_ival);
		return;
	}
	for (size_t i = 1; i < n; i++) {
		struct ival t = v[i];
		size_t j = i;

		while (j > 0 && v[j - 1].lo > t.lo) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = t;
	}
}

static inline __attribute__((always_inline)) int stroke_core(const raster_pt *path, size_t n,
    int32_t width, raster_rect clip, raster_span_fn fn, void *ctx, char **cause)
{
	struct seg *segs = NULL, *act;
	struct ival *iv;
	size_t nseg = 0, next = 0, nact = 0, nsegmax;
	raster_rect c;
	int64_t w = width;
	int y, rc = -1;

	if (n == 0 || !path) {
		err_set(cause, "raster: a stroke needs at least one point");
		goto out;
	}
	if (n > RASTER_MAX_VERTICES) {
		err_set(cause, "raster: more than %zu points in one stroke", RASTER_MAX_VERTICES);
		goto out;
	}
	if (width < 0 || width > RASTER_COORD_MAX) {
		err_set(cause, "raster: stroke width %.2f is out of range", width / (double)RASTER_ONE);
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		if (!coord_ok(path[i])) {
			err_set(cause, "raster: stroke point %zu (%.2f, %.2f) is beyond the %d pixel limit",
			    i, path[i].x / (double)RASTER_ONE, path[i].y / (double)RASTER_ONE,
			    RASTER_COORD_MAX_PX);
			goto out;
		}
	rc = 0;
	c = rect_intersect(clip, raster_bounds_stroke(path, n, width));
	if (rect_empty(c))
		goto out;

	nsegmax = n > 1 ? n - 1 : 1;
	/* one block: segment table, active segments, row intervals */
	segs = xreallocarray(NULL, nsegmax, 2 * sizeof *segs + sizeof *iv);
	act = segs + nsegmax;
	iv = (struct ival *)(act + nsegmax);
	for (size_t i = 0; i < nsegmax; i++) {
		raster_pt a = path[i], b = path[n > 1 ? i + 1 : i];
		raster_pt ab[2] = { a, b };
		struct seg *s = &segs[nseg];
		raster_rect sb = rect_intersect(c, raster_bounds_stroke(ab, 2, width));

		if (rect_empty(sb))
			continue;
		s->ax = a.x;
		s->ay = a.y;
		s->bx = b.x;
		s->by = b.y;
		s->ytop = sb.y0;
		s->yend = sb.y1;
		nseg++;
	}
	if (!nseg)
		goto out;
	qsort(segs, nseg, sizeof *segs, cmp_seg_ytop);

	y = segs[0].ytop;
	for (;;) {
		size_t niv = 0, k, keep;

		while (next < nseg && segs[next].ytop == y)
			act[nact++] = segs[next++];
		for (k = 0; k < nact; k++)
			niv += (size_t)capsule_row(&act[k], w, y, c.x0, c.x1, &iv[niv]);
		sort_ivals(iv, niv);
		for (k = 0; k < niv;) {
			int lo = iv[k].lo, hi = iv[k].hi;

			for (k++; k < niv && iv[k].lo <= hi + 1; k++)
				if (iv[k].hi > hi)
					hi = iv[k].hi;
			fn(ctx, y, lo, hi + 1);
		}

		y++;
		for (k = keep = 0; k < nact; k++)
			if (act[k].yend > y)
				act[keep++] = act[k];
		nact = keep;
		if (!nact) {
			if (next == nseg)
				break;
			y = segs[next].ytop;
		}
	}
out:
	free(segs);
	return rc;
}

int raster_fill_stroke(const raster_pt *path, size_t n, int32_t width, raster_rect clip,
    raster_span_fn fn, void *ctx, char **cause)
{
	if (!fn)
		return err_set(cause, "raster: no span callback");
	return stroke_core(path, n, width, clip, fn, ctx, cause);
}

int raster_fill_stroke_u8(uint8_t *mask, int w, int h, size_t stride, const raster_pt *path,
    size_t n, int32_t width, uint8_t value, char **cause)
{
	raster_rect clip = { 0, 0, w, h };
	struct u8_target t = { mask, stride, value };

	if (check_mask(mask, w, h, stride, cause) == -1)
		return -1;
	return stroke_core(path, n, width, clip, span_u8, &t, cause);
}

/* ---- pixel-edge tracing ---- */

enum { RIGHT, DOWN, LEFT, UP }; /* clockwise on screen: a right turn is +1 */

struct tracer {
	const uint8_t *mask;
	int w, h;
	size_t stride;
	uint8_t *seen; /* one bit per top edge (the top of pixel x, y), the edges rings start from */
};

static inline int px_in(const struct tracer *t, int x, int y)
{
	return x >= 0 && y >= 0 && x < t->w && y < t->h && t->mask[(size_t)y * t->stride + x];
}

/* Boundary edges run with the inside on their right. Where two inside pixels touch only at a
 * corner, the right turn is taken first, which keeps them in separate rings. */
static int next_dir(const struct tracer *t, int vx, int vy, int d)
{
	int nw = px_in(t, vx - 1, vy - 1), ne = px_in(t, vx, vy - 1);
	int sw = px_in(t, vx - 1, vy), se = px_in(t, vx, vy);
	int out[4];

	out[RIGHT] = se && !ne;
	out[DOWN] = sw && !se;
	out[LEFT] = nw && !sw;
	out[UP] = ne && !nw;
	if (out[(d + 1) & 3])
		return (d + 1) & 3;
	if (out[d])
		return d;
	return (d + 3) & 3;
}

int raster_trace(const uint8_t *mask, int w, int h, size_t stride, raster_ring **rings_out,
    size_t *nrings_out, char **cause)
{
	static const int step_x[4] = { 1, 0, -1, 0 }, step_y[4] = { 0, 1, 0, -1 };
	struct tracer t = { mask, w, h, stride, NULL };
	raster_ring *rings = NULL;
	raster_pt *buf = NULL;
	size_t nrings = 0, cap = 0, bufcap = 0;
	int success = 0;

	if (!rings_out || !nrings_out)
		return err_set(cause, "raster: nowhere to put the traced rings");
	*rings_out = NULL;
	*nrings_out = 0;
	if (check_mask(mask, w, h, stride, cause) == -1)
		goto out;
	if (!w || !h) {
		success = 1;
		goto out;
	}
	t.seen = xcalloc(((size_t)w * (size_t)h + 7) / 8, 1);
	for (int y = 0; y < h; y++) {
		const uint8_t *row = mask + (size_t)y * stride, *above = y ? row - stride : NULL;

		for (int x = 0; x < w; x++) {
			size_t bit = (size_t)y * (size_t)w + (size_t)x, n = 0;
			int vx = x, vy = y, d = RIGHT;

			if (!row[x] || (above && above[x]) || (t.seen[bit / 8] & (1u << (bit % 8))))
				continue;
			do {
				if (d == RIGHT) {
					size_t b = (size_t)vy * (size_t)w + (size_t)vx;

					t.seen[b / 8] |= (uint8_t)(1u << (b % 8));
				}
				vx += step_x[d];
				vy += step_y[d];
				{
					int nd = next_dir(&t, vx, vy, d);

					if (nd != d) {
						if (n == bufcap) {
							bufcap = bufcap ? 2 * bufcap : 64;
							buf = xreallocarray(buf, bufcap, sizeof *buf);
						}
						buf[n].x = vx * RASTER_ONE;
						buf[n].y = vy * RASTER_ONE;
						n++;
					}
					d = nd;
				}
			} while (vx != x || vy != y || d != RIGHT);
			if (nrings == cap) {
				cap = cap ? 2 * cap : 16;
				rings = xreallocarray(rings, cap, sizeof *rings);
			}
			rings[nrings].pts = xreallocarray(NULL, n, sizeof *buf);
			memcpy(rings[nrings].pts, buf, n * sizeof *buf);
			rings[nrings].n = n;
			nrings++;
		}
	}
	success = 1;
out:
	free(t.seen);
	free(buf);
	if (!success) {
		raster_rings_free(rings, nrings);
		return -1;
	}
	*rings_out = rings;
	*nrings_out = nrings;
	return 0;
}

void raster_rings_free(raster_ring *rings, size_t nrings)
{
	if (!rings)
		return;
	for (size_t k = 0; k < nrings; k++)
		free(rings[k].pts);
	free(rings);
}
