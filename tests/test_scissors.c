/* test_scissors.c: edge-following outlines on synthetic images with known answers: between two
 * points on a clean step edge the path keeps to the edge even when the straight segment leaves
 * it; it stays within its band; on a flat image it is the straight segment; a diagonal edge is
 * followed too; the simplification keeps the ends and the corners; ends outside are refused. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scissors.h"
#include "tap.h"
#include "xalloc.h"

static struct img *image(int w, int h)
{
	struct img *im = xcalloc(1, sizeof(*im));

	im->w = im->src_w = w;
	im->h = im->src_h = h;
	im->rgb = xcalloc((size_t)w * h, 3);
	im->chans = 3;
	im->orientation = 1;
	return im;
}

static void put(struct img *im, int x, int y, int v)
{
	memset(im->rgb + ((size_t)y * im->w + x) * 3, v, 3);
}

static void release(struct img *im)
{
	free(im->rgb);
	free(im);
}

static int steps_ok(const struct scissors_pt *p, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (abs(p[i].x - p[i - 1].x) > 1 || abs(p[i].y - p[i - 1].y) > 1 || (p[i].x == p[i - 1].x && p[i].y == p[i - 1].y))
			return 0;
	return 1;
}

int main(void)
{
	struct img *im = image(100, 100);
	struct scissors_pt *p = NULL;
	size_t n = 0, i, on = 0, far = 0;
	char *cause = NULL;
	int x, y, ok, maxdev = 0;

	/* A step edge between columns 49 and 50 (the Sobel strength is highest on both). */
	for (y = 0; y < 100; y++)
		for (x = 0; x < 100; x++)
			put(im, x, y, x < 50 ? 40 : 210);
	/* From (46, 10) to (53, 90): the straight segment crosses the edge; the path goes to it
	 * and keeps to it. */
	ok = scissors_path(im, 46, 10, 53, 90, scissors_band(80), &p, &n, &cause) == 0;
	tap_ok(ok && n > 0 && p[0].x == 46 && p[0].y == 10 && p[n - 1].x == 53 && p[n - 1].y == 90, "a path from end to end");
	tap_ok(ok && steps_ok(p, n), "of 8-connected steps");
	for (i = 0; i < n; i++) {
		if (p[i].y >= 16 && p[i].y <= 84 && (p[i].x < 49 || p[i].x > 50))
			far++;
		if (p[i].x == 49 || p[i].x == 50)
			on++;
	}
	tap_ok(ok && far == 0 && on >= 70, "it follows the step edge: %zu of %zu points on it, %zu off it in the middle", on, n, far);
	free(p);

	/* The band: a path never goes farther from the segment than the band, even for a
	 * strong edge just beyond it. Edge at column 49/50; segment along column 44: band 3 keeps
	 * off it, band 8 reaches it. */
	ok = scissors_path(im, 44, 10, 44, 90, 3, &p, &n, NULL) == 0;
	for (i = 0; ok && i < n; i++)
		maxdev = abs(p[i].x - 44) > maxdev ? abs(p[i].x - 44) : maxdev;
	tap_ok(ok && maxdev <= 3, "within the band (%d px from the segment at most)", maxdev);
	free(p);
	ok = scissors_path(im, 44, 10, 44, 90, 8, &p, &n, NULL) == 0;
	for (i = 0, on = 0; ok && i < n; i++)
		on += p[i].x == 49;
	tap_ok(ok && on > 50, "a wider band reaches the edge (%zu points on it)", on);
	free(p);

	/* Flat: the straight line. */
	memset(im->rgb, 100, (size_t)100 * 100 * 3);
	ok = scissors_path(im, 10, 20, 70, 20, 8, &p, &n, NULL) == 0;
	tap_ok(ok && n == 61 && steps_ok(p, n), "on a flat image: the straight segment (%zu points)", n);
	for (i = 0, far = 0; ok && i < n; i++)
		far += p[i].y != 20;
	tap_ok(ok && far == 0, "all on its row");
	n = scissors_simplify(p, n, 0.5);
	tap_ok(n == 2 && p[0].x == 10 && p[1].x == 70, "simplified: its two ends (%zu)", n);
	free(p);

	/* A diagonal edge: bright where x > y. */
	for (y = 0; y < 100; y++)
		for (x = 0; x < 100; x++)
			put(im, x, y, x > y ? 220 : 30);
	ok = scissors_path(im, 10, 14, 90, 86, scissors_band(80), &p, &n, NULL) == 0;
	for (i = 0, far = 0; ok && i < n; i++)
		if (p[i].y > 20 && p[i].y < 80 && abs(p[i].x - p[i].y) > 1)
			far++;
	tap_ok(ok && far == 0, "a diagonal edge is followed (%zu points off it)", far);
	free(p);

	/* A corner: simplification keeps it. */
	{
		struct scissors_pt c[21];

		for (i = 0; i <= 10; i++) {
			c[i].x = (int)i;
			c[i].y = 0;
			c[10 + i].x = 10;
			c[10 + i].y = (int)i;
		}
		n = scissors_simplify(c, 21, 0.5);
		tap_ok(n == 3 && c[1].x == 10 && c[1].y == 0, "simplified: an L keeps its corner (%zu)", n);
	}

	ok = scissors_path(im, -1, 0, 5, 5, 6, &p, &n, &cause) == -1;
	tap_ok(ok && cause && !p, "an end outside is refused: %s", cause ? cause : "");
	free(cause);
	release(im);
	return tap_done();
}
