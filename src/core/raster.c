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
	raster_rect bounds;
	uint64_t *keys, *keys_tmp; /* sort scratch, ne each */
	/* The live edges, one array per field, kept in increasing order of first pixel (xs), so
	 * that the step is a plain loop over arrays, four edges at a time, and the runs of a row
	 * are positions in them. Each array has cap slots: room for every edge, rounded up to
	 * a multiple of 4, and one more group of 4 whose last slot holds the clip's right side. */
	int32_t *t, *r, *dy, *st, *sr, *xs, *dir, *yend;
	size_t n, cap;
	int32_t *ps, *pe; /* runs: from the edge at ps to the one at pe, cap each */
	int pairs;        /* the runs are from edge 0 to 1, 2 to 3, and so on */
	void *block;      /* all of the above */
};

#define SENTINEL(job) ((job)->cap - 1)

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

/* Sorts keys by their high 32 bits, all below 1 << 32 - no more than needed; the low halves
 * (indices) come out in order too. Insertion for a few keys, else LSD radix, 8 bits a pass:
 * a polygon's edge table costs a few hundred operations, not a qsort. */
static void sort_keys(uint64_t *k, uint64_t *tmp, size_t n, uint32_t maxhi)
{
	uint64_t *src = k, *dst = tmp;

	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			uint64_t v = k[i];
			size_t j = i;

			for (; j > 0 && k[j - 1] > v; j--)
				k[j] = k[j - 1];
			k[j] = v;
		}
		return;
	}
	for (int shift = 32; shift < 64 && maxhi >> (shift - 32); shift += 8) {
		size_t cnt[256] = { 0 }, sum = 0;

		for (size_t i = 0; i < n; i++)
			cnt[(src[i] >> shift) & 255]++;
		for (int d = 0; d < 256; d++) {
			size_t c = cnt[d];

			cnt[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[cnt[(src[i] >> shift) & 255]++] = src[i];
		src = dst;
		dst = src == k ? tmp : k;
	}
	if (src != k)
		memcpy(k, src, n * sizeof *k);
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
    struct edge *draft)
{
	const raster_rect c = job->clip;
	size_t ne = 0;

	for (size_t k = 0; k < nrings; k++) {
		const raster_pt *pts = rings[k].pts;
		size_t n = rings[k].n;

		for (size_t i = 0; i < n; i++) {
			raster_pt a = pts[i], b = pts[i + 1 == n ? 0 : i + 1];
			struct edge *e = &draft[ne];
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
			/* rows relative to the clip's first: non-negative, below 2^23 */
			job->keys[ne] = (uint64_t)(uint32_t)(e->ytop - c.y0) << 32 | (uint32_t)ne;
			ne++;
		}
	}
	sort_keys(job->keys, job->keys_tmp, ne, (uint32_t)(c.y1 - c.y0));
	for (size_t i = 0; i < ne; i++)
		job->et[i] = draft[(uint32_t)job->keys[i]];
	job->ne = ne;
}

/* ceil(t / RASTER_ONE), without shifting a negative number */
static inline int32_t first_px(int32_t t)
{
	return (int32_t)(((uint32_t)t + (RASTER_ONE - 1) + 0x80000000u) / RASTER_ONE) -
	    (int32_t)(0x80000000u / RASTER_ONE);
}

static inline void live_move(struct fill_job *j, size_t to, size_t from)
{
	j->t[to] = j->t[from], j->r[to] = j->r[from], j->dy[to] = j->dy[from];
	j->st[to] = j->st[from], j->sr[to] = j->sr[from], j->xs[to] = j->xs[from];
	j->dir[to] = j->dir[from], j->yend[to] = j->yend[from];
}

/* Slots past the live edges, up to the next multiple of 4, are stepped and compared too: keep
 * them still, and right of any live edge (whose first pixel is within +-2^22) so that they never
 * look out of order. */
#define PAD_T (1 << 30)

static void live_pad(struct fill_job *j)
{
	for (size_t k = j->n; k % 4; k++) {
		j->r[k] = j->st[k] = j->sr[k] = 0;
		j->dy[k] = 1;
		j->t[k] = PAD_T;
		j->xs[k] = first_px(PAD_T);
	}
}

static inline int live_sorted(const int32_t *xs, size_t n)
{
	int unsorted = 0;

	for (size_t k = 1; k < n; k++)
		unsorted |= xs[k] < xs[k - 1];
	return !unsorted;
}

/* Puts the live edges in increasing xs. They keep their order from row to row except where
 * they cross, so insertion sort is nearly linear; when it is not, a full sort and a permute. */
static void live_sort(struct fill_job *j)
{
	size_t n = j->n, moves = 0, budget = 2 * n + 32;
	int32_t *fields[8], *tmp;

	for (size_t i = 1; i < n; i++) {
		size_t at = j->cap - 2; /* a free slot of the sentinel group */
		size_t k = i;

		if (j->xs[i] >= j->xs[i - 1])
			continue;
		live_move(j, at, i);
		for (; k > 0 && j->xs[k - 1] > j->xs[at]; k--)
			live_move(j, k, k - 1);
		live_move(j, k, at);
		moves += i - k;
		if (moves > budget)
			goto full;
	}
	return;
full:
	for (size_t k = 0; k < n; k++)
		j->keys[k] = sort_key(j->xs[k], k);
	qsort(j->keys, n, sizeof *j->keys, cmp_u64);
	tmp = (int32_t *)j->keys_tmp;
	fields[0] = j->t, fields[1] = j->r, fields[2] = j->dy, fields[3] = j->st;
	fields[4] = j->sr, fields[5] = j->xs, fields[6] = j->dir, fields[7] = j->yend;
	for (int f = 0; f < 8; f++) {
		for (size_t k = 0; k < n; k++)
			tmp[k] = fields[f][(uint32_t)j->keys[k]];
		memcpy(fields[f], tmp, n * sizeof *tmp);
	}
}

/* The runs of a row as pairs of positions, from the winding along the live edges; valid on
 * every row on which their order holds. An open end runs to the clip's right side (the
 * sentinel), as edges right of the clip were dropped. */
static size_t make_runs(struct fill_job *j)
{
	size_t np = 0;
	int wind = 0;

	for (size_t k = 0; k < j->n; k++) {
		int was = wind;

		wind += j->dir[k];
		if (!was && wind)
			j->ps[np] = (int32_t)k;
		else if (was && !wind)
			j->pe[np++] = (int32_t)k;
	}
	if (wind)
		j->pe[np++] = (int32_t)SENTINEL(j);
	/* the common case, each run between two neighbours, goes without ps and pe */
	j->pairs = np * 2 == j->n;
	for (size_t p = 0; p < np && j->pairs; p++)
		j->pairs = j->ps[p] == (int32_t)(2 * p) && j->pe[p] == (int32_t)(2 * p + 1);
	return np;
}

/* GCC and Clang vector extensions: four edges per step on any x86-64 (SSE2) or arm64. */
typedef int32_t v4si __attribute__((vector_size(16)));
typedef uint32_t v4su __attribute__((vector_size(16)));

/* Steps every live edge to the next row; returns whether their order broke. Within a group of
 * four the order is checked against the group shifted by one lane; across groups, one by one. */
static inline int step_edges(size_t n, int32_t *restrict tp, int32_t *restrict rp,
    const int32_t *restrict dyp, const int32_t *restrict stp, const int32_t *restrict srp,
    int32_t *restrict xsp)
{
	v4si bad = { 0, 0, 0, 0 };
	uint64_t half[2];
	int unsorted = 0;

	for (size_t k = 0; k < n; k += 4) {
		v4si t, r, dy, st, sr, carry, x;

		memcpy(&t, tp + k, sizeof t);
		memcpy(&r, rp + k, sizeof r);
		memcpy(&dy, dyp + k, sizeof dy);
		memcpy(&st, stp + k, sizeof st);
		memcpy(&sr, srp + k, sizeof sr);
		r -= sr;
		carry = r < 0; /* -1 where the remainder went negative */
		r += dy & carry;
		t += st - carry;
		memcpy(tp + k, &t, sizeof t);
		memcpy(rp + k, &r, sizeof r);
		x = (v4si)(((v4su)t + (RASTER_ONE - 1) + 0x80000000u) / RASTER_ONE) -
		    (int32_t)(0x80000000u / RASTER_ONE);
		memcpy(xsp + k, &x, sizeof x);
		bad |= x < __builtin_shufflevector(x, x, 0, 0, 1, 2);
	}
	for (size_t k = 4; k < n; k += 4)
		unsorted |= xsp[k] < xsp[k - 1];
	memcpy(half, &bad, sizeof half);
	return unsorted | ((half[0] | half[1]) != 0);
}

static inline void live_load(struct fill_job *j, size_t k, const struct edge *e)
{
	j->t[k] = e->t, j->r[k] = e->r, j->dy[k] = e->dy, j->st[k] = e->st;
	j->sr[k] = e->sr, j->dir[k] = e->dir, j->yend[k] = e->yend;
	j->xs[k] = first_px(e->t);
}

/* Drops the edges that ended before row y, takes in those starting on it, and returns whether
 * the runs must be worked out again. Most events are a vertex where one edge of a ring hands
 * over to the next in the same direction: the new edge takes the old one's slot, which nearly
 * always keeps the order, so nothing moves and the runs stay. *event becomes the next event. */
static inline int live_event(struct fill_job *j, size_t *next, int y, int *event)
{
	const struct edge *et = j->et;
	int32_t *const yend = j->yend;
	size_t n = j->n, keep = 0, k, nx = *next, ne = j->ne;
	int changed = 0, dead = 0, ev = INT_MAX;

	for (k = 0; k < n; k++) {
		if (yend[k] > y) {
			ev = yend[k] < ev ? yend[k] : ev;
			continue;
		}
		if (nx == ne || et[nx].ytop != y) {
			dead = 1;
			continue;
		}
		changed |= j->dir[k] != et[nx].dir;
		live_load(j, k, &et[nx++]);
		ev = yend[k] < ev ? yend[k] : ev;
	}
	if (dead) {
		for (k = 0; k < n; k++)
			if (yend[k] > y)
				live_move(j, keep++, k);
		n = keep;
	}
	for (; nx < ne && et[nx].ytop == y; nx++, n++) {
		live_load(j, n, &et[nx]);
		ev = yend[n] < ev ? yend[n] : ev;
	}
	if (nx < ne && et[nx].ytop < ev)
		ev = et[nx].ytop;
	*event = ev;
	*next = nx;
	if (n != j->n || dead) {
		j->n = n;
		live_pad(j);
		changed = 1;
	}
	if (!live_sorted(j->xs, n)) {
		live_sort(j);
		changed = 1;
	}
	return changed;
}

/* Emits one run clipped to [cx0, cx1); with join, a run touching the pending one (edges tied
 * on a pixel) extends it, so that the callback never sees two runs touch. */
#define EMIT_RUN(s_, e_)                                                                           \
	do {                                                                                       \
		int s = (s_) < cx0 ? cx0 : (s_), e = (e_) > cx1 ? cx1 : (e_);                      \
                                                                                                   \
		if (s >= e)                                                                        \
			break;                                                                     \
		if (!join) {                                                                       \
			fn(ctx, y, s, e);                                                          \
			break;                                                                     \
		}                                                                                  \
		if (s == e0) {                                                                     \
			e0 = e;                                                                    \
			break;                                                                     \
		}                                                                                  \
		if (e0 != INT_MIN)                                                                 \
			fn(ctx, y, s0, e0);                                                        \
		s0 = s, e0 = e;                                                                    \
	} while (0)

/* Inlined into each caller so that the span callback becomes a direct call (a memset for the
 * u8 conveniences) instead of an indirect call per span; join is 0 where touching or empty runs
 * are harmless. Between events (an edge starting or ending) edges only move, so the runs are
 * worked out only at events and where edges cross. The arrays are read through locals: a span
 * callback may write anywhere, as far as the compiler knows, but not into a local whose
 * address was never taken. */
static inline __attribute__((always_inline)) void scan_edges(struct fill_job *j,
    raster_span_fn fn, void *ctx, int join)
{
	int32_t *const t = j->t, *const r = j->r, *const xs = j->xs;
	const int32_t *const dy = j->dy, *const st = j->st, *const sr = j->sr;
	const int32_t *const ps = j->ps, *const pe = j->pe;
	const int cx0 = j->clip.x0, cx1 = j->clip.x1;
	size_t next = 0, nruns = 0, n = 0;
	int y, event, unsorted = 0, pairs = 0;
	/* Without join, and with every crossing within the clip's columns, runs go out as they
	 * are: in order, maybe empty (two edges on one pixel), which a memset takes in its stride. */
	const int inside = !join && j->bounds.x0 >= cx0 && j->bounds.x1 <= cx1;

	if (!j->ne)
		return;
	j->n = 0;
	xs[SENTINEL(j)] = cx1;
	y = event = j->et[0].ytop;
	for (;;) {
		int s0 = 0, e0 = INT_MIN;

		if (y == event) {
			if (live_event(j, &next, y, &event)) {
				nruns = make_runs(j);
				pairs = j->pairs;
			}
			n = j->n;
			if (!n) {
				if (next == j->ne)
					break;
				y = event;
				continue;
			}
		} else if (unsorted) {
			live_sort(j);
			nruns = make_runs(j);
			pairs = j->pairs;
		}

		if (pairs && inside)
			for (size_t k = 0; k < n; k += 2)
				fn(ctx, y, xs[k], xs[k + 1]);
		else if (pairs)
			for (size_t k = 0; k < n; k += 2)
				EMIT_RUN(xs[k], xs[k + 1]);
		else
			for (size_t p = 0; p < nruns; p++)
				EMIT_RUN(xs[ps[p]], xs[pe[p]]);
		if (join && e0 != INT_MIN)
			fn(ctx, y, s0, e0);

		y++;
		unsorted = step_edges(n, t, r, dy, st, sr, xs);
	}
}

#undef EMIT_RUN

/* Checks the input, then builds the edge table in job (the caller frees job->block). Returns 1
 * when there is something to scan, 0 when nothing can be inside the clip, -1 on bad input. */
static int prepare_fill(struct fill_job *job, const raster_ring *rings, size_t nrings,
    raster_rect clip, char **cause)
{
	size_t total = 0, cap;
	int32_t *p;

	job->block = NULL;
	job->ne = 0;
	if (check_rings(rings, nrings, &total, cause) == -1)
		return -1;
	job->bounds = raster_bounds_rings(rings, nrings);
	job->clip = rect_intersect(clip, job->bounds);
	if (rect_empty(job->clip) || total == 0)
		return 0;
	/* One block, every part 16-byte aligned: 10 int32 arrays of cap (8 fields, 2 for runs),
	 * 2 arrays of keys, the edge table. The fields are free until the scan, so they first hold
	 * the unsorted edge table (8 int32 an edge). */
	cap = (total + 3) / 4 * 4 + 4;
	job->cap = cap;
	job->block = xmalloc(10 * sizeof(int32_t) * cap +
	    total * (2 * sizeof(uint64_t) + sizeof(struct edge)));
	p = job->block;
	job->t = p, job->r = p + cap, job->dy = p + 2 * cap, job->st = p + 3 * cap;
	job->sr = p + 4 * cap, job->xs = p + 5 * cap, job->dir = p + 6 * cap, job->yend = p + 7 * cap;
	job->ps = p + 8 * cap, job->pe = p + 9 * cap;
	job->keys = (uint64_t *)(p + 10 * cap);
	job->keys_tmp = job->keys + total;
	job->et = (struct edge *)(job->keys_tmp + total);
	build_edges(job, rings, nrings, (struct edge *)job->t);
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
		scan_edges(&job, fn, ctx, 1);
	free(job.block);
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
		scan_edges(&job, span_u8, &t, 0);
	free(job.block);
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
