/* test_edge.c: snapping to the picture's edges on synthetic images: a step edge between two
 * pixel columns is found on their border to a small fraction of a pixel, along the line across
 * it (the other coordinate kept); rows, diagonals, a colour edge of one brightness, noise, the
 * stronger of two edges; nothing in a flat area, for a weak step, beyond the reach or at the
 * picture's own border. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "edge.h"
#include "tap.h"
#include "xalloc.h"

#define W 40
#define H 40

static struct img *image(void)
{
	struct img *im = xcalloc(1, sizeof(*im));

	im->w = im->src_w = W;
	im->h = im->src_h = H;
	im->rgb = xcalloc((size_t)W * H, 3);
	im->orientation = 1;
	return im;
}

static void put(struct img *im, int x, int y, int r, int g, int b)
{
	uint8_t *p = im->rgb + ((size_t)y * W + x) * 3;

	p[0] = (uint8_t)r;
	p[1] = (uint8_t)g;
	p[2] = (uint8_t)b;
}

static void release(struct img *im)
{
	free(im->rgb);
	free(im);
}

int main(void)
{
	struct img *im = image();
	struct edge_hit e;
	unsigned seed = 7;
	int x, y, ok;

	/* Columns 0-19 at 50, 20-39 at 200: the edge is the line x = 20. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			put(im, x, y, x < 20 ? 50 : 200, x < 20 ? 50 : 200, x < 20 ? 50 : 200);
	ok = edge_snap(im, 17.3, 12.6, 4, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x - 20) < 0.02 && fabs(e.y - 12.6) < 1e-6, "a step edge from its left: (%.3f, %.3f)", e.x, e.y);
	tap_ok(ok && fabs(e.moved - 2.7) < 0.02 && fabs(e.strength - 75) < 1, "moved %.2f px, a rise of %.0f levels a pixel",
	    e.moved, e.strength);
	ok = edge_snap(im, 22.9, 5, 4, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x - 20) < 0.02 && fabs(e.y - 5) < 1e-6, "and from its right: (%.3f, %.3f)", e.x, e.y);
	ok = edge_snap(im, 20.0, 30.25, 4, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x - 20) < 0.02 && e.moved < 0.02, "on it already, it stays");
	tap_ok(!edge_snap(im, 14, 12, 4, EDGE_MIN_STRENGTH, &e), "6 px away with a reach of 4: nothing");
	tap_ok(edge_snap(im, 14, 12, 8, EDGE_MIN_STRENGTH, &e) && fabs(e.x - 20) < 0.02, "with a reach of 8 it is found");
	tap_ok(!edge_snap(im, 1, 1, 3, EDGE_MIN_STRENGTH, &e), "the picture's own border is no edge");

	/* Rows: 0-9 dark, 10- bright. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			put(im, x, y, y < 10 ? 20 : 120, y < 10 ? 20 : 120, y < 10 ? 20 : 120);
	ok = edge_snap(im, 7.2, 11.8, 3, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.y - 10) < 0.02 && fabs(e.x - 7.2) < 1e-6, "a horizontal edge: (%.3f, %.3f)", e.x, e.y);

	/* A diagonal: pixel (i, j) is bright when i + j >= 40, so the centres on either side of the
	 * staircase have x + y = 40 and 41; across it the point moves along (1, 1) to the line
	 * between them, x + y = 40.5. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			put(im, x, y, x + y >= 40 ? 220 : 30, x + y >= 40 ? 220 : 30, x + y >= 40 ? 220 : 30);
	ok = edge_snap(im, 18, 19, 4, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x + e.y - 40.5) < 0.15 && fabs((e.x - 18) - (e.y - 19)) < 0.05,
	    "a diagonal edge, reached across it: (%.3f, %.3f)", e.x, e.y);

	/* A colour edge of one brightness: red against blue-green. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			put(im, x, y, x < 25 ? 160 : 40, x < 25 ? 60 : 100, x < 25 ? 40 : 170);
	ok = edge_snap(im, 23.6, 20, 3, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x - 25) < 0.02, "an edge between two colours: x = %.3f", e.x);

	/* Flat, and weak. */
	memset(im->rgb, 90, (size_t)W * H * 3);
	tap_ok(!edge_snap(im, 20, 20, 5, EDGE_MIN_STRENGTH, &e), "a flat area: nothing");
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			put(im, x, y, x < 20 ? 90 : 98, x < 20 ? 90 : 98, x < 20 ? 90 : 98);
	tap_ok(!edge_snap(im, 19, 20, 5, EDGE_MIN_STRENGTH, &e), "a step of 8 levels is too weak");

	/* Noise of +-6 levels on a step of 100: still within a tenth of a pixel. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			int v = (x < 20 ? 80 : 180) + (int)((seed = seed * 1103515245u + 12345u) >> 16) % 13 - 6;

			put(im, x, y, v, v, v);
		}
	ok = edge_snap(im, 18.1, 20.4, 4, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x - 20) < 0.1 && fabs(e.y - 20.4) < 0.3, "with noise: (%.3f, %.3f)", e.x, e.y);

	/* Two edges in reach: a weak one at x = 16 (30 levels), a strong one at x = 21 (150). */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			int v = x < 16 ? 40 : x < 21 ? 70 : 220;

			put(im, x, y, v, v, v);
		}
	ok = edge_snap(im, 17.5, 9, 5, EDGE_MIN_STRENGTH, &e);
	tap_ok(ok && fabs(e.x - 21) < 0.02, "of two edges the strongest: x = %.3f", e.x);
	release(im);
	return tap_done();
}
