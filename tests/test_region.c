/* test_region.c: pixel sets over their box: from a mask, merged in and cut out, and the
 * unlabeled gaps of an instance mask, largest first, each with a pixel of its own near its
 * middle (also for a gap shaped like a C, whose centre of mass lies outside it). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "region.h"
#include "tap.h"
#include "xalloc.h"

#define W 40
#define H 30

int main(void)
{
	uint16_t *ids = xcalloc((size_t)W * H, sizeof(*ids));
	uint8_t m[W * H];
	struct region a = { 0 }, b = { 0 };
	struct region_gap *g = NULL;
	size_t n = 0;
	int x, y;

	memset(m, 0, sizeof(m));
	for (y = 5; y < 10; y++)
		for (x = 3; x < 7; x++)
			m[y * W + x] = 1;
	region_from_mask(&a, m, W, H, W);
	tap_ok(a.x0 == 3 && a.y0 == 5 && a.w == 4 && a.h == 5 && a.npx == 20, "from a mask: boxed tightly");
	memset(m, 0, sizeof(m));
	for (y = 8; y < 12; y++)
		for (x = 5; x < 9; x++)
			m[y * W + x] = 1;
	region_from_mask(&b, m, W, H, W);
	region_merge(&a, &b, 1);
	tap_ok(a.x0 == 3 && a.y0 == 5 && a.w == 6 && a.h == 7 && a.npx == 20 + 16 - 4, "merged: the union (%llu)",
	    (unsigned long long)a.npx);
	region_merge(&a, &b, 0);
	tap_ok(a.npx == 20 - 4 && !region_has(&a, 5, 8) && region_has(&a, 4, 8), "cut: the difference (%llu)",
	    (unsigned long long)a.npx);

	/* Everything labeled but: a 10x10 gap, a 3x3 one, and a C-shaped one. */
	for (x = 0; x < W * H; x++)
		ids[x] = 1;
	for (y = 2; y < 12; y++)
		for (x = 2; x < 12; x++)
			ids[y * W + x] = 0;
	for (y = 20; y < 23; y++)
		for (x = 2; x < 5; x++)
			ids[y * W + x] = 0;
	for (y = 15; y < 28; y++)
		for (x = 20; x < 35; x++)
			if (y < 17 || y >= 26 || x < 22)
				ids[y * W + x] = 0;
	x = region_find_gaps(ids, W, H, 10, &g, &n, NULL);
	tap_ok(x == 0 && n == 3, "three gaps (%zu)", n);
	tap_ok(n == 3 && g[1].npx == 15 * 13 - 13 * 9 && g[0].npx == 100 && g[2].npx == 9,
	    "largest first: %llu, %llu, %llu", n ? (unsigned long long)g[0].npx : 0ULL, n > 1 ? (unsigned long long)g[1].npx : 0ULL,
	    n > 2 ? (unsigned long long)g[2].npx : 0ULL);
	tap_ok(n == 3 && ids[g[0].y * W + g[0].x] == 0 && ids[g[1].y * W + g[1].x] == 0 && ids[g[2].y * W + g[2].x] == 0,
	    "each point lies in its gap, the C's too (%d, %d)", n > 1 ? g[1].x : -1, n > 1 ? g[1].y : -1);
	tap_ok(n == 3 && g[0].x >= 6 && g[0].x <= 7 && g[0].y >= 6 && g[0].y <= 7, "the square's point is its middle (%d, %d)",
	    n ? g[0].x : -1, n ? g[0].y : -1);
	tap_ok(n == 3 && g[1].bx0 == 20 && g[1].bx1 == 35 && g[1].by0 == 15 && g[1].by1 == 28, "and the C's box");
	free(g);
	tap_ok(region_find_gaps(ids, W, H, 1, &g, &n, NULL) == 0 && n == 1 && g[0].npx == 100, "at most max: the largest");
	free(g);
	for (x = 0; x < W * H; x++)
		ids[x] = 1;
	tap_ok(region_find_gaps(ids, W, H, 10, &g, &n, NULL) == 0 && n == 0, "fully labeled: none");
	free(g);

	region_free(&a);
	region_free(&b);
	free(ids);
	return tap_done();
}
