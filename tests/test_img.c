/* test_img.c: the image type: limits, fitting, the exact area-averaging scaler and the eight
 * EXIF orientations. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "img.h"
#include "tap.h"

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Brute force: the exact average of the source area under destination pixel (x, y), computed
 * as a rational with the source upsampled by dw x dh. */
static int ref_scale_ok(const struct img *s, const struct img *d)
{
	int x, y, c;

	for (y = 0; y < d->h; y++) {
		for (x = 0; x < d->w; x++) {
			for (c = 0; c < 3; c++) {
				uint64_t sum = 0, area = 0;
				uint64_t x0 = (uint64_t)x * s->w, x1 = x0 + s->w; /* in units of 1/dw */
				uint64_t y0 = (uint64_t)y * s->h, y1 = y0 + s->h;
				int sx, sy;

				for (sy = 0; sy < s->h; sy++) {
					uint64_t a = (uint64_t)sy * d->h, b = a + d->h, oy;

					if (b <= y0 || a >= y1)
						continue;
					oy = (b < y1 ? b : y1) - (a > y0 ? a : y0);
					for (sx = 0; sx < s->w; sx++) {
						uint64_t e = (uint64_t)sx * d->w, f = e + d->w, ox;

						if (f <= x0 || e >= x1)
							continue;
						ox = (f < x1 ? f : x1) - (e > x0 ? e : x0);
						sum += ox * oy * s->rgb[((size_t)sy * s->w + sx) * 3 + c];
						area += ox * oy;
					}
				}
				if (d->rgb[((size_t)y * d->w + x) * 3 + c] != (sum + area / 2) / area)
					return 0;
			}
		}
	}
	return 1;
}

/* Pixel (x, y) of the stored image is painted with a value that says where it was. */
static struct img *coords_image(int w, int h)
{
	struct img *im = img_new(w, h, NULL);
	int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint8_t *p = im->rgb + ((size_t)y * w + x) * 3;

			p[0] = (uint8_t)x;
			p[1] = (uint8_t)y;
			p[2] = 7;
		}
	return im;
}

static int at(const struct img *im, int x, int y, int sx, int sy)
{
	const uint8_t *p = im->rgb + ((size_t)y * im->w + x) * 3;

	return p[0] == sx && p[1] == sy;
}

int main(void)
{
	struct img_limits lim;
	char *cause = NULL;
	struct img *im;
	int i, w, h, ok;

	img_limits_default(&lim);
	tap_ok(img_check_limits(&lim, "a.png", 1000, 1000, NULL) == 0, "1000x1000 within default limits");
	tap_ok(img_check_limits(&lim, "a.png", 70000, 10, &cause) == -1 && cause && strstr(cause, "a.png"),
	    "a side over the limit is refused, naming the file: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	lim.max_pixels = 100;
	tap_ok(img_check_limits(&lim, "b.jpg", 11, 10, &cause) == -1 && strstr(cause, "over the limit of 100 pixels"),
	    "pixel count over a configured limit is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	lim.max_pixels = 1000000;
	tap_ok(img_check_limits(&lim, "d.png", 2000, 1000, &cause) == -1 && strstr(cause, "(2.0 megapixels), over the limit of 1.0 megapixels"),
	    "large limits are told in megapixels: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(img_check_limits(&lim, "c.png", 0, 10, &cause) == -1, "zero width refused");
	free(cause);
	cause = NULL;
	tap_ok(img_new(-1, 5, &cause) == NULL && cause, "img_new refuses a negative size");
	free(cause);

	img_fit(6000, 4000, 200, 100, &w, &h);
	tap_ok(w == 150 && h == 100, "fit 6000x4000 into 200x100: %dx%d", w, h);
	img_fit(4000, 6000, 200, 100, &w, &h);
	tap_ok(w == 67 && h == 100, "fit portrait: %dx%d", w, h);
	img_fit(10, 1, 5, 100, &w, &h);
	tap_ok(w == 5 && h == 1, "fit a thin strip never gives 0: %dx%d", w, h);
	img_fit(451, 300, 60, 40, &w, &h);
	tap_ok(w == 60 && h == 40, "fit chelsea into 60x40: %dx%d", w, h);

	ok = 1;
	for (i = 0; i < 200 && ok; i++) {
		int sw = 1 + (int)(rnd() % 40), sh = 1 + (int)(rnd() % 40);
		int dw = 1 + (int)(rnd() % 30), dh = 1 + (int)(rnd() % 30);
		struct img *s = img_new(sw, sh, NULL), *d;
		size_t k;

		for (k = 0; k < (size_t)sw * sh * 3; k++)
			s->rgb[k] = (uint8_t)rnd();
		d = img_scale(s, dw, dh);
		ok = d && d->w == dw && d->h == dh && ref_scale_ok(s, d);
		if (!ok)
			tap_diag("scale %dx%d -> %dx%d differs from the exact average", sw, sh, dw, dh);
		img_free(s);
		img_free(d);
	}
	tap_ok(ok, "img_scale equals the exact area average (200 random sizes, down and up)");

	/* The EXIF orientation table: where stored corners must appear on screen. */
	{
		static const struct {
			int o;
			int tl_x, tl_y; /* where stored top-left lands (0 = left/top, 1 = right/bottom) */
			int tr_x, tr_y; /* where stored top-right lands */
		} t[] = {
			{ 1, 0, 0, 1, 0 }, { 2, 1, 0, 0, 0 }, { 3, 1, 1, 0, 1 }, { 4, 0, 1, 1, 1 },
			{ 5, 0, 0, 0, 1 }, { 6, 1, 0, 1, 1 }, { 7, 1, 1, 1, 0 }, { 8, 0, 1, 0, 0 },
		};
		size_t k;

		for (k = 0; k < sizeof(t) / sizeof(t[0]); k++) {
			int sw = 5, sh = 3, dw, dh;

			im = coords_image(sw, sh);
			img_orient(im, t[k].o);
			dw = t[k].o >= 5 ? sh : sw;
			dh = t[k].o >= 5 ? sw : sh;
			tap_ok(im->w == dw && im->h == dh && im->orientation == t[k].o &&
			    at(im, t[k].tl_x * (dw - 1), t[k].tl_y * (dh - 1), 0, 0) &&
			    at(im, t[k].tr_x * (dw - 1), t[k].tr_y * (dh - 1), sw - 1, 0),
			    "orientation %d puts the stored corners where EXIF says", t[k].o);
			img_free(im);
		}
	}
	return tap_done();
}
