/* test_wand.c: the magic wand on synthetic images with known answers: a flat disc on a
 * gradient gives that disc exactly (and its outline fills back to it), a ring keeps its hole,
 * the tolerance decides how far the flood goes, 4-connectivity stops at a diagonal touch, a
 * 16-bit image is compared in its own values, a point outside is refused. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "raster.h"
#include "wand.h"
#include "tap.h"
#include "xalloc.h"

#define W 120
#define H 90

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

static void put(struct img *im, int x, int y, int r, int g, int b)
{
	uint8_t *p = im->rgb + ((size_t)y * im->w + x) * 3;

	p[0] = (uint8_t)r;
	p[1] = (uint8_t)g;
	p[2] = (uint8_t)b;
}

static void release(struct img *im)
{
	free(im->rgb);
	free(im->px16);
	free(im);
}

static int in_disc(int x, int y, double cx, double cy, double r)
{
	double dx = x + 0.5 - cx, dy = y + 0.5 - cy;

	return dx * dx + dy * dy <= r * r;
}

/* The region equals want (W x H) pixel for pixel, and so do its rings filled. */
static int same(const struct region *r, const uint8_t *want, int w, int h, int *rings_same)
{
	uint8_t *fill = xcalloc((size_t)w * h, 1);
	raster_ring *rings = NULL;
	size_t n = 0;
	int x, y, ok = 1;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (!region_has(r, x, y) != !want[(size_t)y * w + x])
				ok = 0;
	*rings_same = 0;
	if (region_rings(r, &rings, &n, NULL) == 0 && raster_fill_rings_u8(fill, w, h, (size_t)w, rings, n, 1, NULL) == 0) {
		*rings_same = 1;
		for (y = 0; y < h; y++)
			for (x = 0; x < w; x++)
				if (!fill[(size_t)y * w + x] != !want[(size_t)y * w + x])
					*rings_same = 0;
	}
	raster_rings_free(rings, n);
	free(fill);
	return ok;
}

int main(void)
{
	struct img *im = image(W, H);
	uint8_t *want = xcalloc((size_t)W * H, 1);
	struct region r = { 0 };
	char *cause = NULL;
	int x, y, rs, ok;
	uint64_t n = 0;

	/* A flat disc (200, 40, 40) on a gradient that never comes within 30 of it. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			if (in_disc(x, y, 60, 45, 25.3)) {
				put(im, x, y, 200, 40, 40);
				want[(size_t)y * W + x] = 1;
				n++;
			} else {
				put(im, x, y, x, 100 + y, 150);
			}
		}
	ok = wand_select(im, 60, 45, WAND_TOL_DEFAULT, &r, &cause) == 0;
	tap_ok(ok && same(&r, want, W, H, &rs) && r.npx == n, "a wand on a flat disc gives the disc exactly (%llu px)",
	    (unsigned long long)r.npx);
	tap_ok(rs, "and its pixel-edge outline fills back to the disc");
	tap_ok(r.x0 == 35 && r.w == 50 && r.y0 == 20 && r.h == 50, "its box is the disc's: %d+%d, %d+%d", r.x0, r.w, r.y0, r.h);

	/* A hole: a flat square inside the disc of another colour. */
	for (y = 40; y < 50; y++)
		for (x = 55; x < 65; x++) {
			put(im, x, y, 0, 0, 255);
			want[(size_t)y * W + x] = 0;
		}
	ok = wand_select(im, 40, 45, WAND_TOL_DEFAULT, &r, NULL) == 0;
	tap_ok(ok && same(&r, want, W, H, &rs) && rs && r.npx == n - 100, "a ring keeps its hole, in the outline too");
	{
		raster_ring *rings = NULL;
		size_t nr = 0;

		ok = region_rings(&r, &rings, &nr, NULL) == 0;
		tap_ok(ok && nr == 2, "two rings: the rim and the hole (%zu)", nr);
		raster_rings_free(rings, nr);
	}

	/* Tolerance: the gradient's pixels differ by 1 a step, so tolerance 5 from (5, 5) takes the
	 * pixels within 5 levels in every channel. */
	ok = wand_select(im, 5, 5, 5, &r, NULL) == 0;
	{
		int good = ok;

		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++) {
				int expect = !in_disc(x, y, 60, 45, 25.3) && abs(x - 5) <= 5 && abs(y - 5) <= 5;

				if (region_has(&r, x, y) != expect)
					good = 0;
			}
		tap_ok(good && r.npx == 121, "tolerance 5 on a gradient takes an 11x11 square (%llu px)", (unsigned long long)r.npx);
	}
	ok = wand_select(im, 5, 5, 0, &r, NULL) == 0;
	tap_ok(ok && r.npx == 1, "tolerance 0 on a gradient takes the pixel alone");

	/* 4-connected: two squares touching at a corner are two regions. */
	release(im);
	im = image(10, 10);
	for (y = 0; y < 10; y++)
		for (x = 0; x < 10; x++)
			put(im, x, y, ((x < 5) == (y < 5)) ? 255 : 0, 0, 0);
	ok = wand_select(im, 1, 1, 10, &r, NULL) == 0;
	tap_ok(ok && r.npx == 25 && !region_has(&r, 7, 7), "a diagonal touch does not connect (%llu px)", (unsigned long long)r.npx);

	/* 16-bit grey: values 1000 and 1000 + 20*257 are apart at tolerance 19, together at 20. */
	release(im);
	im = xcalloc(1, sizeof(*im));
	im->w = im->h = im->src_w = im->src_h = 8;
	im->chans = 1;
	im->px16 = xcalloc(64, sizeof(uint16_t));
	for (x = 0; x < 64; x++)
		im->px16[x] = x % 8 < 4 ? 1000 : 1000 + 20 * 257;
	ok = wand_select(im, 0, 0, 19, &r, NULL) == 0;
	tap_ok(ok && r.npx == 32, "16 bits: apart at tolerance 19 (%llu)", (unsigned long long)r.npx);
	ok = wand_select(im, 0, 0, 20, &r, NULL) == 0;
	tap_ok(ok && r.npx == 64, "16 bits: together at tolerance 20 (%llu)", (unsigned long long)r.npx);
	/* With a default window of 1000..2020 (a narrow band), 255 is the window's width: 20 levels
	 * apart are together at tolerance 5 (5 * 1020 / 255 = 20), apart at 4. */
	for (x = 0; x < 64; x++)
		im->px16[x] = x % 8 < 4 ? 1000 : 1020;
	im->win_lo = 1000;
	im->win_hi = 2020;
	ok = wand_select(im, 0, 0, 4, &r, NULL) == 0;
	tap_ok(ok && r.npx == 32, "16 bits, a narrow window: apart at tolerance 4 (%llu)", (unsigned long long)r.npx);
	ok = wand_select(im, 0, 0, 5, &r, NULL) == 0;
	tap_ok(ok && r.npx == 64, "and together at 5, a share of the window (%llu)", (unsigned long long)r.npx);

	free(cause);
	cause = NULL;
	ok = wand_select(im, 8, 0, 20, &r, &cause) == -1;
	tap_ok(ok && cause && r.npx == 0, "a point outside: %s", cause ? cause : "");
	free(cause);

	for (int dark = 0; dark < 2; dark++) {
		/* A cut-out: an opaque disc (red, then black) on a transparent background, decoded over
		 * the checkerboard. Flattened over a colour the disc keeps away from (the tools' view),
		 * the background is one region, not 8x8 squares, and the disc stays apart from it. */
		struct img *cut = image(W, H), *flat;
		uint64_t bg = 0;
		uint8_t under[3];

		cut->alpha = xcalloc((size_t)W * H, 1);
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++) {
				int in = in_disc(x, y, 60, 45, 25.3);
				unsigned g = img_checker(x, y);

				cut->alpha[(size_t)y * W + x] = in ? 255 : 0;
				if (in)
					put(cut, x, y, dark ? 0 : 200, dark ? 0 : 40, dark ? 0 : 40);
				else
					put(cut, x, y, (int)g, (int)g, (int)g), bg++;
			}
		ok = wand_select(cut, 0, 0, WAND_TOL_DEFAULT, &r, NULL) == 0;
		tap_ok(ok && r.npx == 64, "over the checkerboard the wand takes one square (%llu px)", (unsigned long long)r.npx);
		img_unused_colour(cut, under);
		tap_ok(dark ? under[0] | under[1] | under[2] : !(under[0] | under[1] | under[2]),
		    "%s disc: flattened over %d,%d,%d", dark ? "a black" : "a red", under[0], under[1], under[2]);
		flat = img_flatten(cut, under);
		ok = flat && wand_select(flat, 0, 0, 0, &r, NULL) == 0;
		tap_ok(ok && r.npx == bg, "flattened, the whole transparent background even at tolerance 0 (%llu of %llu px)",
		    (unsigned long long)r.npx, (unsigned long long)bg);
		ok = flat && wand_select(flat, 60, 45, WAND_TOL_DEFAULT, &r, NULL) == 0;
		tap_ok(ok && r.npx == (uint64_t)W * H - bg, "and the disc stays the disc (%llu px)", (unsigned long long)r.npx);
		img_free(flat);
		free(cut->alpha);
		release(cut);
	}

	region_free(&r);
	release(im);
	free(want);
	return tap_done();
}
