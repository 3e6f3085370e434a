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

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "err.h"
#include "xalloc.h"

#define HALF (RASTER_ONE / 2)

_Static_assert(RASTER_ONE == 256, "the scan's vector code divides by shifting 8 bits");

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

/* Only edges that cross a row's centre line matter; an edge crosses rows [row(top), row(bottom))
 * with row(v) the first row whose centre is at or below v. A ring splits into chains: maximal
 * runs of such edges going the same way, stored top to bottom. Edges in between that cross no
 * row keep row() unchanged, so each edge of a chain starts on the row where the one before it
 * ended, and a chain needs one slot in the scan from its first row to its last: where an edge
 * ends, the next one takes its slot (the usual event, and nearly free). */
struct cedge {
	raster_pt a, b; /* top, bottom */
};

struct chain {
	int32_t row;        /* the first row visited: its top's row, or the clip's first row */
	int32_t dir;        /* +1 going down, -1 going up: what it adds to the winding */
	uint32_t first, end; /* its edges, cedges[first] to cedges[end - 1] */
};

/* An edge's crossing with the centre line of the current row, in units, is x = num / dy exactly.
 * The scan keeps t = ceil(x - HALF) as t = (num + r) / dy with 0 <= r < dy; the edge's first
 * pixel is then ceil(t / RASTER_ONE), since nested ceilings of exact quotients compose. All of
 * it fits in int32: |t| < 2^30 within the limits, and an edge crossing two rows or more has
 * dy > RASTER_ONE, so its step per row, RASTER_ONE * dx / dy, is below |dx| <= 2^30.
 * The live slots are kept in increasing order of first pixel (xs), one array per field, so
 * the step is a plain loop over arrays, four slots at a time, and the runs of a row are pairs
 * of positions. Each array has cap entries: the most slots, rounded up to a multiple of 4,
 * and a spare group of 4 (scratch for sorting). */
struct slots {
	int32_t *t, *r, *dy, *st, *sr, *xs; /* stepped every row */
	int32_t *yend, *dir, *cur, *end;    /* the edge's last row + 1, and where it is in its chain */
};

struct fill_job {
	raster_rect clip;   /* the clip within the bounds: rows and columns to visit */
	raster_rect bounds;
	struct cedge *ce;
	struct chain *ch;   /* sorted by row */
	size_t nch;
	uint64_t *keys;     /* sort scratch, 2 * nch */
	struct slots s;
	size_t n, cap;
	int32_t *ps, *pe;   /* runs: from the slot at ps to the one at pe */
	void *block;        /* all of the above */
};

/* Checks the rings' sizes, without reading a vertex, and counts the vertices. */
static int check_ring_sizes(const raster_ring *rings, size_t nrings, size_t *total, char **cause)
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
	}
	*total = sum;
	return 0;
}

static inline int32_t row_of(int32_t y) { return (int32_t)first_centre_at_or_after(y); }

/* Checks every vertex against the limits, and in the same pass finds the bounds (as
 * raster_bounds_rings) and each vertex's row (see struct cedge), in ring order. */
static int check_vertices(const raster_ring *rings, size_t nrings, int32_t *rows,
    raster_rect *bounds, char **cause)
{
	int32_t x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN;

	for (size_t k = 0; k < nrings; k++) {
		const raster_pt *p = rings[k].pts;

		for (size_t i = 0; i < rings[k].n; i++) {
			if (!coord_ok(p[i]))
				return err_set(cause,
				    "raster: ring %zu vertex %zu (%.2f, %.2f) is beyond the %d pixel limit", k, i,
				    p[i].x / (double)RASTER_ONE, p[i].y / (double)RASTER_ONE,
				    RASTER_COORD_MAX_PX);
			x0 = p[i].x < x0 ? p[i].x : x0;
			x1 = p[i].x > x1 ? p[i].x : x1;
			y0 = p[i].y < y0 ? p[i].y : y0;
			y1 = p[i].y > y1 ? p[i].y : y1;
			*rows++ = row_of(p[i].y);
		}
	}
	bounds->x0 = (int)first_centre_at_or_after(x0);
	bounds->y0 = (int)first_centre_at_or_after(y0);
	bounds->x1 = (int)first_centre_at_or_after(x1);
	bounds->y1 = (int)first_centre_at_or_after(y1);
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

static void sort_keys(uint64_t *k, size_t n)
{
	if (n > 48) {
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

/* Splits the rings into chains (see struct cedge), keeping those that reach the clip's rows,
 * sorted by their first visited row. */
static void build_chains(struct fill_job *j, const raster_ring *rings, size_t nrings,
    const int32_t *rows)
{
	const raster_rect c = j->clip;
	size_t ne = 0, nch = 0, keep = 0;

	for (size_t k = 0; k < nrings; rows += rings[k].n, k++) {
		const raster_pt *p = rings[k].pts;
		size_t n = rings[k].n, i0 = n, first = ne, v;
		int32_t r0, r1;
		int d, last = 0, dir = 0;

		/* start at an edge going the other way from the one before it: a chain's first */
		for (v = n, r1 = rows[0]; v-- > 0 && !last; r1 = r0) {
			r0 = rows[v];
			last = (r1 > r0) - (r1 < r0);
		}
		for (v = 0, r0 = rows[0]; v < n && i0 == n; v++, r0 = r1) {
			r1 = rows[v + 1 == n ? 0 : v + 1];
			d = (r1 > r0) - (r1 < r0);
			if (d && d != last)
				i0 = v;
			last = d ? d : last;
		}
		if (i0 == n)
			continue; /* crosses no row at all */
		for (size_t i = 0, v0 = i0; i < n; i++, v0 = v0 + 1 == n ? 0 : v0 + 1) {
			size_t w = v0 + 1 == n ? 0 : v0 + 1;

			r0 = rows[v0];
			r1 = rows[w];
			d = (r1 > r0) - (r1 < r0);
			if (!d)
				continue;
			if (d != dir) {
				if (dir)
					j->ch[nch++] = (struct chain){ 0, dir, (uint32_t)first, (uint32_t)ne };
				dir = d;
				first = ne;
			}
			j->ce[ne].a = p[d > 0 ? v0 : w];
			j->ce[ne].b = p[d > 0 ? w : v0];
			ne++;
		}
		j->ch[nch++] = (struct chain){ 0, dir, (uint32_t)first, (uint32_t)ne };
	}

	/* chains going up were stored bottom first: turn them round; keep those in the clip */
	for (size_t i = 0; i < nch; i++) {
		struct chain ch = j->ch[i];
		int32_t top, bottom;

		if (ch.dir < 0)
			for (uint32_t a = ch.first, b = ch.end - 1; a < b; a++, b--) {
				struct cedge e = j->ce[a];
				j->ce[a] = j->ce[b];
				j->ce[b] = e;
			}
		top = row_of(j->ce[ch.first].a.y);
		bottom = row_of(j->ce[ch.end - 1].b.y);
		if (bottom <= c.y0 || top >= c.y1)
			continue;
		ch.row = top > c.y0 ? top : c.y0;
		j->keys[keep] = (uint64_t)(uint32_t)(ch.row - c.y0) << 32 | (uint32_t)i;
		j->ch[i] = ch;
		keep++;
	}
	sort_keys(j->keys, keep);
	/* the sorted chains go after the unsorted ones, then move down */
	for (size_t i = 0; i < keep; i++)
		j->ch[nch + i] = j->ch[(uint32_t)j->keys[i]];
	memmove(j->ch, j->ch + nch, keep * sizeof *j->ch);
	j->nch = keep;
}

/* ceil(t / RASTER_ONE), without shifting a negative number */
static inline int32_t first_px(int32_t t)
{
	return (int32_t)(((uint32_t)t + (RASTER_ONE - 1) + 0x80000000u) / RASTER_ONE) -
	    (int32_t)(0x80000000u / RASTER_ONE);
}

/* Puts edge e in slot k with its state on row y, which it crosses. An edge wholly left of the
 * clip counts for every clipped pixel and one wholly right of it for none: as vertical edges
 * on the clip's sides they give the same pixels and cost nothing per row. */
static inline void slot_load(const struct slots s, raster_rect c, size_t k, const struct cedge *e,
    int32_t y)
{
	raster_pt a = e->a, b = e->b;
	int32_t yend = row_of(b.y), xl, xr;

	s.yend[k] = yend < c.y1 ? yend : c.y1;
	xl = (int32_t)first_centre_at_or_after(a.x < b.x ? a.x : b.x);
	xr = (int32_t)first_centre_at_or_after(a.x < b.x ? b.x : a.x);
	if (xr <= c.x0 || xl >= c.x1) {
		s.t[k] = (xr <= c.x0 ? c.x0 : c.x1) * RASTER_ONE;
		s.r[k] = s.st[k] = s.sr[k] = 0;
		s.dy[k] = 1;
	} else {
		int64_t dx = (int64_t)b.x - a.x, dy = (int64_t)b.y - a.y;
		/* x - HALF = num / dy on the centre line of row y */
		int64_t num = ((int64_t)y * RASTER_ONE + HALF - a.y) * dx + (a.x - HALF) * dy;
		/* The quotients come from one floating-point division, within 2^-20 of the truth
		 * (|quotient| < 2^31, relative error near 2^-51), so truncated they are at most 2 off:
		 * the exact remainders settle them, without branches in the usual case. An integer
		 * division would cost several times as much, twice per edge. */
		double inv = 1.0 / (double)dy;
		int64_t t = (int64_t)((double)num * inv), r = t * dy - num, m;

		for (int i = 0; i < 2; i++) { /* t = ceil(num / dy): 0 <= r < dy */
			m = -(int64_t)(r < 0);
			t -= m, r += dy & m;
			m = -(int64_t)(r >= dy);
			t += m, r -= dy & m;
		}
		while (r < 0 || r >= dy) /* never, unless the bound above is wrong */
			r < 0 ? (t++, r += dy) : (t--, r -= dy);
		s.t[k] = (int32_t)t;
		s.r[k] = (int32_t)r;
		s.dy[k] = (int32_t)dy;
		s.st[k] = s.sr[k] = 0;
		if (yend - y > 1) { /* else never stepped, and the step might not fit */
			int64_t st = (int64_t)((double)(dx * RASTER_ONE) * inv), sr = dx * RASTER_ONE - st * dy;

			for (int i = 0; i < 2; i++) { /* st = floor(256 dx / dy): 0 <= sr < dy */
				m = -(int64_t)(sr < 0);
				st += m, sr += dy & m;
				m = -(int64_t)(sr >= dy);
				st -= m, sr -= dy & m;
			}
			while (sr < 0 || sr >= dy)
				sr < 0 ? (st--, sr += dy) : (st++, sr -= dy);
			s.st[k] = (int32_t)st;
			s.sr[k] = (int32_t)sr;
		}
	}
	s.xs[k] = first_px(s.t[k]);
}

static inline void slot_move(const struct slots s, size_t to, size_t from)
{
	s.t[to] = s.t[from], s.r[to] = s.r[from], s.dy[to] = s.dy[from], s.st[to] = s.st[from];
	s.sr[to] = s.sr[from], s.xs[to] = s.xs[from], s.yend[to] = s.yend[from];
	s.dir[to] = s.dir[from], s.cur[to] = s.cur[from], s.end[to] = s.end[from];
}

/* Slots past the live ones, up to the next multiple of 4, are stepped and compared too: keep
 * them still, and right of any live slot (whose first pixel is within +-2^22) so that they
 * never look out of order. */
#define PAD_T (1 << 30)

static void slots_pad(const struct slots s, size_t n)
{
	for (size_t k = n; k % 4; k++) {
		s.r[k] = s.st[k] = s.sr[k] = 0;
		s.dy[k] = 1;
		s.t[k] = PAD_T;
		s.xs[k] = first_px(PAD_T);
	}
}

static inline int slots_sorted(const int32_t *xs, size_t n)
{
	int unsorted = 0;

	for (size_t k = 1; k < n; k++)
		unsorted |= xs[k] < xs[k - 1];
	return !unsorted;
}

/* Puts the live slots in increasing xs. They keep their order from row to row except where
 * edges cross, so insertion sort is nearly linear; when it is not, a full sort and a permute. */
static void slots_sort(const struct fill_job *j)
{
	const struct slots s = j->s;
	size_t n = j->n, moves = 0, budget = 2 * n + 32, at = j->cap - 1; /* a spare slot */
	int32_t *fields[10], *tmp;

	for (size_t i = 1; i < n; i++) {
		size_t k = i;

		if (s.xs[i] >= s.xs[i - 1])
			continue;
		slot_move(s, at, i);
		for (; k > 0 && s.xs[k - 1] > s.xs[at]; k--)
			slot_move(s, k, k - 1);
		slot_move(s, k, at);
		moves += i - k;
		if (moves > budget)
			goto full;
	}
	return;
full:
	for (size_t k = 0; k < n; k++)
		j->keys[k] = sort_key(s.xs[k], k);
	qsort(j->keys, n, sizeof *j->keys, cmp_u64);
	tmp = (int32_t *)(j->keys + n); /* keys has room for 2 * nch >= 2 * n */
	fields[0] = s.t, fields[1] = s.r, fields[2] = s.dy, fields[3] = s.st, fields[4] = s.sr;
	fields[5] = s.xs, fields[6] = s.yend, fields[7] = s.dir, fields[8] = s.cur, fields[9] = s.end;
	for (int f = 0; f < 10; f++) {
		for (size_t k = 0; k < n; k++)
			tmp[k] = fields[f][(uint32_t)j->keys[k]];
		memcpy(fields[f], tmp, n * sizeof *tmp);
	}
}

/* The runs of a row as pairs of slots, from the winding along them; valid on every row on which
 * their order and directions hold. Every crossing edge is live (those outside the clip's
 * columns as vertical edges on its sides), so the winding always comes back to 0. Returns the
 * number of runs, and sets *pairs when they simply go from slot 0 to 1, 2 to 3 and so on. */
static size_t make_runs(const int32_t *dir, size_t n, int32_t *restrict ps, int32_t *restrict pe,
    int *pairs)
{
	size_t np = 0;
	int wind = 0, simple = 1;

	for (size_t k = 0; k < n; k++) {
		int was = wind;

		wind += dir[k];
		if (!was && wind)
			ps[np] = (int32_t)k;
		else if (was && !wind)
			pe[np++] = (int32_t)k;
	}
	for (size_t p = 0; p < np; p++)
		simple &= (ps[p] == (int32_t)(2 * p)) & (pe[p] == (int32_t)(2 * p + 1));
	*pairs = simple && np * 2 == n;
	return np;
}

/* At row y: moves each slot whose edge ended on to the next edge of its chain, drops the slots
 * of finished chains, takes in the chains starting here, and sets *event to the next row where
 * this must happen again. Returns whether the runs must be worked out again: not when edges
 * merely handed over, as they keep their direction. */
static int slots_event(struct fill_job *j, size_t *next, int32_t y, int32_t *event)
{
	const struct slots s = j->s;
	const raster_rect c = j->clip;
	const struct cedge *const ce = j->ce;
	const struct chain *const ch = j->ch;
	const size_t nch = j->nch;
	size_t n = j->n, k, nx = *next;
	int32_t ev = INT32_MAX;
	int dead = 0, changed = 0;

	for (k = 0; k < n; k++) {
		if (s.yend[k] <= y) {
			if (s.cur[k] + 1 == s.end[k] || y >= c.y1) {
				dead = 1;
				continue;
			}
			s.cur[k]++;
			slot_load(s, c, k, &ce[s.cur[k]], y);
		}
		ev = s.yend[k] < ev ? s.yend[k] : ev;
	}
	if (dead) {
		size_t keep = 0;

		for (k = 0; k < n; k++)
			if (s.yend[k] > y)
				slot_move(s, keep++, k);
		n = keep;
		changed = 1;
	}
	for (; nx < nch && ch[nx].row == y; nx++, n++) {
		uint32_t e = ch[nx].first;

		/* a chain reaching above the clip starts with the edge on its first row */
		while (row_of(ce[e].b.y) <= y)
			e++;
		s.dir[n] = ch[nx].dir;
		s.cur[n] = (int32_t)e;
		s.end[n] = (int32_t)ch[nx].end;
		slot_load(s, c, n, &ce[e], y);
		ev = s.yend[n] < ev ? s.yend[n] : ev;
		changed = 1;
	}
	if (nx < nch && ch[nx].row < ev)
		ev = ch[nx].row;
	*event = ev;
	*next = nx;
	if (changed) {
		j->n = n;
		slots_pad(s, n);
	}
	return changed;
}

/* A byte-mask fill prefetches, for writing, the pixels at this row's crossings PREFETCH_ROWS
 * rows below: rows are a stride apart, a pattern the hardware prefetchers do not follow, and
 * edges move little in a few rows. The fill is bound by fetching the mask's lines, not by
 * arithmetic: without this, 2000 polygons into 6000x4000 took 1.2x as long (bench_fill). */
#define PREFETCH_ROWS 4

#ifdef __SSE2__
/* Steps every live slot to the next row, four at a time; returns whether their order broke,
 * found by comparing each group with itself shifted by one slot, the first slot with the last
 * of the group before. */
static inline int step_slots(size_t n, const struct slots s)
{
	/* first_px() four at a time; the shift by 8 is the division by RASTER_ONE */
	const __m128i round = _mm_set1_epi32(INT32_MIN + RASTER_ONE - 1);
	const __m128i unbias = _mm_set1_epi32((int)(0x80000000u / RASTER_ONE));
	__m128i prev = _mm_set1_epi32(INT32_MIN), bad = _mm_setzero_si128();

	for (size_t k = 0; k < n; k += 4) {
		__m128i t = _mm_loadu_si128((const __m128i *)(s.t + k));
		__m128i r = _mm_loadu_si128((const __m128i *)(s.r + k));
		__m128i dy = _mm_loadu_si128((const __m128i *)(s.dy + k));
		__m128i st = _mm_loadu_si128((const __m128i *)(s.st + k));
		__m128i sr = _mm_loadu_si128((const __m128i *)(s.sr + k));
		__m128i carry, x;

		r = _mm_sub_epi32(r, sr);
		carry = _mm_srai_epi32(r, 31); /* -1 where the remainder went negative */
		r = _mm_add_epi32(r, _mm_and_si128(dy, carry));
		t = _mm_sub_epi32(_mm_add_epi32(t, st), carry);
		_mm_storeu_si128((__m128i *)(s.t + k), t);
		_mm_storeu_si128((__m128i *)(s.r + k), r);
		x = _mm_sub_epi32(_mm_srli_epi32(_mm_add_epi32(t, round), 8), unbias);
		_mm_storeu_si128((__m128i *)(s.xs + k), x);
		bad = _mm_or_si128(bad, _mm_cmplt_epi32(x,
		    _mm_or_si128(_mm_slli_si128(x, 4), _mm_srli_si128(prev, 12))));
		prev = x;
	}
	return _mm_movemask_epi8(bad) != 0;
}

/* The usual stretch of a byte-mask fill: up to 16 live slots, runs between neighbours. Runs
 * rows from y, whose crossings are in xs, until the next event (after y) or until the order
 * breaks (then *unsorted), and returns the row reached, whose state is stepped and stored
 * back. With clip, crossings are clamped to the clip's columns for the memsets only:
 * clamping keeps the order, so pairs stay pairs. */
static inline __attribute__((always_inline)) int32_t fast_rows(const struct slots s, size_t n,
    int32_t y, int32_t event, uint8_t *mask, size_t stride, uint8_t value, int clip,
    raster_rect c, int *unsorted)
{
	const __m128i round = _mm_set1_epi32(INT32_MIN + RASTER_ONE - 1);
	const __m128i unbias = _mm_set1_epi32((int)(0x80000000u / RASTER_ONE));
	const size_t ng = (n + 3) / 4;
	__m128i t[4], r[4], dy[4], st[4], sr[4];
	int32_t x[16], lo = c.x0, hi = c.x1;
	size_t g;

	for (g = 0; g < ng; g++) {
		t[g] = _mm_loadu_si128((const __m128i *)(s.t + 4 * g));
		r[g] = _mm_loadu_si128((const __m128i *)(s.r + 4 * g));
		dy[g] = _mm_loadu_si128((const __m128i *)(s.dy + 4 * g));
		st[g] = _mm_loadu_si128((const __m128i *)(s.st + 4 * g));
		sr[g] = _mm_loadu_si128((const __m128i *)(s.sr + 4 * g));
	}
	memcpy(x, s.xs, 4 * ng * sizeof *x);
	for (;;) {
		uint8_t *row = mask + (size_t)y * stride;
		int32_t ya = y + PREFETCH_ROWS < c.y1 ? y + PREFETCH_ROWS : y;
		const uint8_t *ahead = mask + (size_t)ya * stride;
		__m128i prev = _mm_set1_epi32(INT32_MIN), bad = _mm_setzero_si128();

		for (size_t k = 0; k < n; k += 2) {
			int32_t a = x[k], b = x[k + 1];

			if (clip) {
				a = a < lo ? lo : a > hi ? hi : a;
				b = b < lo ? lo : b > hi ? hi : b;
			}
			__builtin_prefetch(ahead + a, 1, 3);
			__builtin_prefetch(ahead + b - (b > a), 1, 3);
			memset(row + a, value, (size_t)(b - a));
		}
		y++;
		for (g = 0; g < ng; g++) {
			__m128i carry, xv;

			r[g] = _mm_sub_epi32(r[g], sr[g]);
			carry = _mm_srai_epi32(r[g], 31);
			r[g] = _mm_add_epi32(r[g], _mm_and_si128(dy[g], carry));
			t[g] = _mm_sub_epi32(_mm_add_epi32(t[g], st[g]), carry);
			xv = _mm_sub_epi32(_mm_srli_epi32(_mm_add_epi32(t[g], round), 8), unbias);
			bad = _mm_or_si128(bad, _mm_cmplt_epi32(xv,
			    _mm_or_si128(_mm_slli_si128(xv, 4), _mm_srli_si128(prev, 12))));
			prev = xv;
			_mm_storeu_si128((__m128i *)(x + 4 * g), xv);
		}
		if (_mm_movemask_epi8(bad)) {
			*unsorted = 1;
			break;
		}
		if (y == event)
			break;
	}
	for (g = 0; g < ng; g++) {
		_mm_storeu_si128((__m128i *)(s.t + 4 * g), t[g]);
		_mm_storeu_si128((__m128i *)(s.r + 4 * g), r[g]);
	}
	memcpy(s.xs, x, 4 * ng * sizeof *x);
	return y;
}
#define HAVE_FAST_ROWS 1
#else
static inline int step_slots(size_t n, const struct slots s)
{
	int unsorted = 0;

	for (size_t k = 0; k < n; k++) {
		int32_t rr = s.r[k] - s.sr[k], carry = -(int32_t)(rr < 0);

		s.r[k] = rr + (s.dy[k] & carry);
		s.t[k] += s.st[k] - carry;
		s.xs[k] = first_px(s.t[k]);
		unsorted |= k && s.xs[k] < s.xs[k - 1];
	}
	return unsorted;
}
#endif

/* One scan, inlined into each caller with u8 a constant: 1 sets the pixels of a byte mask with
 * memset, 0 calls fn. A byte mask takes runs that touch or are empty (edges sharing a pixel),
 * so with every crossing within the clip's columns it gets them as they are; fn gets them
 * clipped, the empty ones left out and those that touch joined. The runs are worked out again
 * only at events that change them and where edges cross. */
static inline __attribute__((always_inline)) void scan_chains(struct fill_job *j,
    raster_span_fn fn, void *ctx, int u8, uint8_t *mask, size_t stride, uint8_t value)
{
	const struct slots s = j->s;
	const int32_t *const xs = s.xs, *const ps = j->ps, *const pe = j->pe;
	const int cx0 = j->clip.x0, cx1 = j->clip.x1;
	const int inside = u8 && j->bounds.x0 >= cx0 && j->bounds.x1 <= cx1;
	size_t next = 0, nruns = 0, n = 0;
	int32_t y, event;
	int unsorted = 0, pairs = 0;

	if (!j->nch)
		return;
	j->n = 0;
	y = event = j->ch[0].row;
	for (;;) {
		uint8_t *row = u8 ? mask + (size_t)y * stride : NULL;
		int s0 = 0, e0 = INT_MIN; /* the run waiting to be joined, for fn */

		if (y == event || unsorted) {
			int changed = 0;

			if (y == event) {
				changed = slots_event(j, &next, y, &event);
				n = j->n;
				if (!n) {
					if (next == j->nch)
						break;
					y = event;
					continue;
				}
				unsorted = !slots_sorted(xs, n);
			}
			if (unsorted) {
				slots_sort(j);
				unsorted = 0;
				changed = 1;
			}
			if (changed)
				nruns = make_runs(s.dir, n, j->ps, j->pe, &pairs);
		}
#ifdef HAVE_FAST_ROWS
		if (u8 && pairs && n <= 16) {
			y = inside ? fast_rows(s, n, y, event, mask, stride, value, 0, j->clip, &unsorted)
				   : fast_rows(s, n, y, event, mask, stride, value, 1, j->clip, &unsorted);
			continue;
		}
#endif

#define RUN(s_, e_)                                                                                \
	do {                                                                                       \
		int a = (s_) < cx0 ? cx0 : (s_), b = (e_) > cx1 ? cx1 : (e_);                      \
                                                                                                   \
		if (a >= b)                                                                        \
			break;                                                                     \
		if (u8)                                                                            \
			memset(row + a, value, (size_t)(b - a));                                   \
		else if (a == e0)                                                                  \
			e0 = b;                                                                    \
		else {                                                                             \
			if (e0 != INT_MIN)                                                         \
				fn(ctx, y, s0, e0);                                                \
			s0 = a, e0 = b;                                                            \
		}                                                                                  \
	} while (0)

		if (u8 && y + PREFETCH_ROWS < j->clip.y1) /* see PREFETCH_ROWS */
			for (size_t k = 0; k < n; k++) {
				int xx = xs[k] < cx0 ? cx0 : xs[k] >= cx1 ? cx1 - 1 : xs[k];

				__builtin_prefetch(row + PREFETCH_ROWS * stride + xx, 1, 3);
			}
		if (pairs && inside)
			for (size_t k = 0; k < n; k += 2)
				memset(row + xs[k], value, (size_t)(xs[k + 1] - xs[k]));
		else if (pairs)
			for (size_t k = 0; k < n; k += 2)
				RUN(xs[k], xs[k + 1]);
		else
			for (size_t p = 0; p < nruns; p++)
				RUN(xs[ps[p]], xs[pe[p]]);
		if (!u8 && e0 != INT_MIN)
			fn(ctx, y, s0, e0);
#undef RUN

		y++;
		unsorted = step_slots(n, s);
	}
}

/* Checks the input, then splits it into chains in job (the caller frees job->block). Returns 1
 * when there is something to scan, 0 when nothing can be inside the clip, -1 on bad input. */
static int prepare_fill(struct fill_job *job, const raster_ring *rings, size_t nrings,
    raster_rect clip, char **cause)
{
	size_t total = 0, cap, nchmax;
	int32_t *p;

	job->block = NULL;
	job->nch = 0;
	if (check_ring_sizes(rings, nrings, &total, cause) == -1)
		return -1;
	if (total == 0)
		return 0;
	/* A ring of n edges has at most n chains: nchmax = total, and twice that for the sorted
	 * copy. One block, 16-byte aligned parts: 12 int32 arrays of cap (10 fields, 2 for runs),
	 * 2 * nchmax keys, 2 * nchmax chains, total edges. */
	nchmax = total;
	cap = (nchmax + 3) / 4 * 4 + 4;
	job->cap = cap;
	job->block = xmalloc(12 * sizeof(int32_t) * cap + nchmax * 2 * sizeof(uint64_t) +
	    nchmax * 2 * sizeof(struct chain) + total * sizeof(struct cedge));
	p = job->block;
	job->s.t = p, job->s.r = p + cap, job->s.dy = p + 2 * cap, job->s.st = p + 3 * cap;
	job->s.sr = p + 4 * cap, job->s.xs = p + 5 * cap, job->s.yend = p + 6 * cap;
	job->s.dir = p + 7 * cap, job->s.cur = p + 8 * cap, job->s.end = p + 9 * cap;
	job->ps = p + 10 * cap, job->pe = p + 11 * cap;
	job->keys = (uint64_t *)(p + 12 * cap);
	job->ch = (struct chain *)(job->keys + 2 * nchmax);
	job->ce = (struct cedge *)(job->ch + 2 * nchmax);
	/* the slots are free until the scan: they hold the vertices' rows meanwhile */
	if (check_vertices(rings, nrings, job->s.t, &job->bounds, cause) == -1)
		return -1;
	job->clip = rect_intersect(clip, job->bounds);
	if (rect_empty(job->clip))
		return 0;
	build_chains(job, rings, nrings, job->s.t);
	return job->nch > 0;
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
		scan_chains(&job, fn, ctx, 0, NULL, 0, 0);
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
	struct fill_job job;
	int rc;

	if (check_mask(mask, w, h, stride, cause) == -1)
		return -1;
	rc = prepare_fill(&job, rings, nrings, clip, cause);
	if (rc == 1)
		scan_chains(&job, NULL, NULL, 1, mask, stride, value);
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

raster_rect raster_bounds_mask(const uint8_t *m, int w, int h, size_t stride)
{
	raster_rect r = { w, h, 0, 0 };
	int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (m[(size_t)y * stride + x]) {
				r.x0 = x < r.x0 ? x : r.x0;
				r.x1 = x + 1 > r.x1 ? x + 1 : r.x1;
				r.y0 = y < r.y0 ? y : r.y0;
				r.y1 = y + 1;
			}
	if (r.x1 == 0)
		r.x0 = r.y0 = 0;
	return r;
}
