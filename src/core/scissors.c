/* scissors.c: the live-wire path (see scissors.h): Dijkstra with a binary heap over the
 * pixels of a band around the segment, integer costs. */
#include "config.h"

#include "scissors.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

/* A step costs its length (10 straight, 14 diagonal) times the cost of the pixel it enters:
 * SCISSORS_FLOOR on the strongest edge in reach, SCISSORS_FLOOR + 255 where it is flat. The
 * floor keeps a path along an edge from wandering for no gain. */
#define SCISSORS_FLOOR 8

int scissors_band(double len)
{
	int b = (int)ceil(len / 3);

	return b < SCISSORS_BAND_MIN ? SCISSORS_BAND_MIN : b > SCISSORS_BAND_MAX ? SCISSORS_BAND_MAX : b;
}

static int grey(const struct img *im, int x, int y)
{
	size_t i;

	x = x < 0 ? 0 : x >= im->w ? im->w - 1 : x;
	y = y < 0 ? 0 : y >= im->h ? im->h - 1 : y;
	i = (size_t)y * im->w + x;
	if (im->rgb)
		return (im->rgb[i * 3] + im->rgb[i * 3 + 1] + im->rgb[i * 3 + 2]) * 256 / 3;
	if (im->chans == 1)
		return im->px16[i];
	return (im->px16[i * 3] + im->px16[i * 3 + 1] + im->px16[i * 3 + 2]) / 3;
}

struct heap {
	uint64_t *v; /* cost << 32 | node */
	size_t n, cap;
};

static void heap_push(struct heap *h, uint64_t e)
{
	size_t i;

	if (h->n == h->cap) {
		h->cap = h->cap ? 2 * h->cap : 1024;
		h->v = xreallocarray(h->v, h->cap, sizeof(*h->v));
	}
	i = h->n++;
	while (i > 0 && h->v[(i - 1) / 2] > e) {
		h->v[i] = h->v[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h->v[i] = e;
}

static uint64_t heap_pop(struct heap *h)
{
	uint64_t top = h->v[0], last = h->v[--h->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && h->v[c + 1] < h->v[c])
			c++;
		if (h->v[c] >= last)
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n)
		h->v[i] = last;
	return top;
}

int scissors_path(const struct img *im, int x0, int y0, int x1, int y1, int band,
    struct scissors_pt **path, size_t *n, char **cause)
{
	static const int dx[8] = { 1, -1, 0, 0, 1, 1, -1, -1 }, dy[8] = { 0, 0, 1, -1, 1, -1, 1, -1 };
	static const int len[8] = { 10, 10, 10, 10, 14, 14, 14, 14 };
	double sx = x1 - x0, sy = y1 - y0, slen = sqrt(sx * sx + sy * sy);
	int bx0, by0, bx1, by1, bw, bh, x, y, gmax = 1, found = 0;
	uint8_t *in = NULL, *cost = NULL, *done = NULL;
	uint32_t *dist = NULL, *from = NULL;
	int *grad = NULL;
	struct heap h = { 0 };
	size_t k, cnt, start, goal;
	int rc = -1;

	*path = NULL;
	*n = 0;
	if (x0 < 0 || y0 < 0 || x1 < 0 || y1 < 0 || x0 >= im->w || x1 >= im->w || y0 >= im->h || y1 >= im->h)
		return err_set(cause, "a scissors end lies outside the image");
	if (slen > SCISSORS_MAX_LEN)
		return err_set(cause, "a segment of %.0f px is too long to follow an edge (at most %d)", slen, SCISSORS_MAX_LEN);
	band = band < 1 ? 1 : band;
	bx0 = (x0 < x1 ? x0 : x1) - band;
	by0 = (y0 < y1 ? y0 : y1) - band;
	bx1 = (x0 > x1 ? x0 : x1) + band + 1;
	by1 = (y0 > y1 ? y0 : y1) + band + 1;
	bx0 = bx0 < 0 ? 0 : bx0;
	by0 = by0 < 0 ? 0 : by0;
	bx1 = bx1 > im->w ? im->w : bx1;
	by1 = by1 > im->h ? im->h : by1;
	bw = bx1 - bx0;
	bh = by1 - by0;
	cnt = (size_t)bw * bh;
	in = xcalloc(cnt, 1);
	grad = xcalloc(cnt, sizeof(*grad));
	/* The band: pixels within band of the segment (a capsule), and their edge strength. */
	for (y = 0; y < bh; y++)
		for (x = 0; x < bw; x++) {
			double px = bx0 + x - x0, py = by0 + y - y0, t = slen > 0 ? (px * sx + py * sy) / (slen * slen) : 0, ex, ey;
			int ix = bx0 + x, iy = by0 + y, gx, gy;

			t = t < 0 ? 0 : t > 1 ? 1 : t;
			ex = px - t * sx;
			ey = py - t * sy;
			if (ex * ex + ey * ey > (double)band * band)
				continue;
			in[(size_t)y * bw + x] = 1;
			gx = grey(im, ix + 1, iy - 1) + 2 * grey(im, ix + 1, iy) + grey(im, ix + 1, iy + 1) -
			    grey(im, ix - 1, iy - 1) - 2 * grey(im, ix - 1, iy) - grey(im, ix - 1, iy + 1);
			gy = grey(im, ix - 1, iy + 1) + 2 * grey(im, ix, iy + 1) + grey(im, ix + 1, iy + 1) -
			    grey(im, ix - 1, iy - 1) - 2 * grey(im, ix, iy - 1) - grey(im, ix + 1, iy - 1);
			grad[(size_t)y * bw + x] = (int)sqrt((double)gx * gx + (double)gy * gy);
			if (grad[(size_t)y * bw + x] > gmax)
				gmax = grad[(size_t)y * bw + x];
		}
	cost = xmalloc(cnt);
	for (k = 0; k < cnt; k++)
		cost[k] = (uint8_t)(255 - (int)((int64_t)grad[k] * 255 / gmax));
	dist = xmalloc(cnt * sizeof(*dist));
	from = xmalloc(cnt * sizeof(*from));
	done = xcalloc(cnt, 1);
	memset(dist, 0xff, cnt * sizeof(*dist));
	start = (size_t)(y0 - by0) * bw + (x0 - bx0);
	goal = (size_t)(y1 - by0) * bw + (x1 - bx0);
	dist[start] = 0;
	from[start] = (uint32_t)start;
	heap_push(&h, start);
	while (h.n) {
		uint64_t e = heap_pop(&h);
		size_t v = (size_t)(e & 0xffffffffu);
		int vx, vy, d;

		if (done[v])
			continue;
		done[v] = 1;
		if (v == goal) {
			found = 1;
			break;
		}
		vx = (int)(v % bw);
		vy = (int)(v / bw);
		for (d = 0; d < 8; d++) {
			int nx = vx + dx[d], ny = vy + dy[d];
			size_t w;
			uint32_t nd;

			if (nx < 0 || ny < 0 || nx >= bw || ny >= bh)
				continue;
			w = (size_t)ny * bw + nx;
			if (!in[w] || done[w])
				continue;
			nd = dist[v] + (uint32_t)len[d] * (SCISSORS_FLOOR + cost[w]);
			if (nd < dist[w]) {
				dist[w] = nd;
				from[w] = (uint32_t)v;
				heap_push(&h, (uint64_t)nd << 32 | w);
			}
		}
	}
	if (!found) {
		err_set(cause, "no path within the band");
		goto out;
	}
	for (cnt = 1, k = goal; k != start; k = from[k])
		cnt++;
	*path = xcalloc(cnt, sizeof(**path));
	*n = cnt;
	for (k = goal; cnt > 0; k = from[k]) {
		cnt--;
		(*path)[cnt].x = (int)(k % bw) + bx0;
		(*path)[cnt].y = (int)(k / bw) + by0;
		if (k == start)
			break;
	}
	rc = 0;
out:
	free(in);
	free(grad);
	free(cost);
	free(dist);
	free(from);
	free(done);
	free(h.v);
	return rc;
}

/* The farthest point of p between a and b from the chord a-b is kept when it is beyond tol,
 * and both halves are looked at again: with a stack of our own, not recursion, since a path
 * may be long. */
static void dp(const struct scissors_pt *p, size_t n, double tol, uint8_t *keep)
{
	size_t *stack = xmalloc(2 * n * sizeof(*stack)), top = 0;

	stack[top++] = 0;
	stack[top++] = n - 1;
	while (top) {
		size_t b = stack[--top], a = stack[--top], i, at = a;
		double vx = p[b].x - p[a].x, vy = p[b].y - p[a].y, l = sqrt(vx * vx + vy * vy), best = -1;

		if (b <= a + 1)
			continue;
		for (i = a + 1; i < b; i++) {
			double wx = p[i].x - p[a].x, wy = p[i].y - p[a].y;
			double d = l > 0 ? fabs(vx * wy - vy * wx) / l : sqrt(wx * wx + wy * wy);

			if (d > best) {
				best = d;
				at = i;
			}
		}
		if (best > tol) {
			keep[at] = 1;
			stack[top++] = a;
			stack[top++] = at;
			stack[top++] = at;
			stack[top++] = b;
		}
	}
	free(stack);
}

size_t scissors_simplify(struct scissors_pt *path, size_t n, double tol)
{
	uint8_t *keep;
	size_t i, m = 0;

	if (n < 3)
		return n;
	keep = xcalloc(n, 1);
	keep[0] = keep[n - 1] = 1;
	dp(path, n, tol, keep);
	for (i = 0; i < n; i++)
		if (keep[i])
			path[m++] = path[i];
	free(keep);
	return m;
}
