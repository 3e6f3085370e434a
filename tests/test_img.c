/* test_img.c: the image type: limits, fitting, the exact area-averaging scaler and the eight
 * EXIF orientations, at 8 and 16 bits; the 16-bit default window (percentiles) and mapping. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "img.h"
#include "xalloc.h"
#include "tap.h"

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static unsigned sample(const struct img *im, size_t i)
{
	return im->rgb ? im->rgb[i] : im->px16[i];
}

/* Brute force: the exact average of the source area under destination pixel (x, y), computed
 * as a rational with the source upsampled by dw x dh. */
static int ref_scale_ok(const struct img *s, const struct img *d)
{
	int x, y, c, n = s->chans;

	for (y = 0; y < d->h; y++) {
		for (x = 0; x < d->w; x++) {
			for (c = 0; c < n; c++) {
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
						sum += ox * oy * sample(s, ((size_t)sy * s->w + sx) * n + c);
						area += ox * oy;
					}
				}
				if (sample(d, ((size_t)y * d->w + x) * n + c) != (sum + area / 2) / area)
					return 0;
			}
		}
	}
	return 1;
}

/* Pixel (x, y) of the stored image is painted with a value that says where it was. */
static int dw_of(int o, int sw, int sh) { return o >= 5 ? sh : sw; }
static int dh_of(int o, int sw, int sh) { return o >= 5 ? sw : sh; }

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
	for (ok = 1, i = 0; i < 200 && ok; i++) {
		int sw = 1 + (int)(rnd() % 40), sh = 1 + (int)(rnd() % 40), chans = i % 2 ? 3 : 1;
		int dw = 1 + (int)(rnd() % 30), dh = 1 + (int)(rnd() % 30);
		struct img *s = img_new16(sw, sh, chans, NULL), *d;
		size_t k;

		for (k = 0; k < (size_t)sw * sh * chans; k++)
			s->px16[k] = (uint16_t)rnd();
		s->win_lo = 17;
		s->win_hi = 4000;
		d = img_scale(s, dw, dh);
		ok = d && d->px16 && !d->rgb && d->chans == chans && d->w == dw && d->h == dh && ref_scale_ok(s, d) &&
		    d->win_lo == 17 && d->win_hi == 4000;
		if (!ok)
			tap_diag("16-bit scale %dx%d -> %dx%d differs from the exact average", sw, sh, dw, dh);
		img_free(s);
		img_free(d);
	}
	tap_ok(ok, "16-bit grey and RGB: img_scale is the exact average too, window kept (200 sizes)");
	/* A big image to a small one row by row: the shrinker alone, as a decoder feeds it. */
	{
		struct img *s = img_new16(1000, 700, 1, NULL), *d = img_new16(37, 23, 1, NULL), *e;
		struct img_shrink *sh;
		size_t k;

		for (k = 0; k < 1000u * 700; k++)
			s->px16[k] = (uint16_t)(rnd() >> 16);
		sh = img_shrink_new(1000, 700, d);
		for (k = 0; k < 700; k++)
			img_shrink_row(sh, s->px16 + k * 1000);
		img_shrink_free(sh);
		e = img_scale(s, 37, 23);
		tap_ok(ref_scale_ok(s, d) && !memcmp(d->px16, e->px16, 37 * 23 * 2),
		    "img_shrink fed 700 rows of 1000 gives the exact 37x23 average");
		img_free(s);
		img_free(d);
		img_free(e);
	}

	/* The default window: the samples of ranks n*0.005 and n-1-n*0.005, against a sort. */
	for (ok = 1, i = 0; i < 50 && ok; i++) {
		size_t n = 1 + rnd() % (i < 10 ? 50 : 20000), k;
		uint16_t *v = malloc(n * sizeof(*v));
		uint32_t *hist = calloc(65536, sizeof(*hist));
		unsigned base = rnd() % 60000, span = 1 + rnd() % 5000;
		int lo, hi, want_lo, want_hi;

		for (k = 0; k < n; k++) {
			v[k] = (uint16_t)(base + rnd() % span);
			hist[v[k]]++;
		}
		qsort(v, n, sizeof(*v), cmp_u16);
		img_window_from_hist(hist, n, &lo, &hi);
		want_lo = v[n * 5 / 1000];
		want_hi = v[n - 1 - n * 5 / 1000];
		if (want_hi == want_lo) {
			want_lo = v[0] - 1;
			want_hi = v[0] + 1;
		}
		ok = lo == want_lo && hi == want_hi;
		if (!ok)
			tap_diag("%zu samples: window %d..%d, want %d..%d", n, lo, hi, want_lo, want_hi);
		free(v);
		free(hist);
	}
	tap_ok(ok, "the default window is the 0.5th..99.5th percentile (50 random sets, sorted for reference)");
	{
		struct img *flat = img_new16(10, 10, 1, NULL), *band = img_new16(100, 100, 1, NULL);
		size_t k;

		for (k = 0; k < 100; k++)
			flat->px16[k] = 500;
		img_window_auto(flat);
		tap_ok(flat->win_lo == 499 && flat->win_hi == 501 && img_window8(500, flat->win_lo, flat->win_hi) == 128,
		    "a flat image: window %d..%d, shown mid-grey", flat->win_lo, flat->win_hi);
		/* 99.2% of the pixels in 1000..1099, 0.4% far below and 0.4% far above */
		for (k = 0; k < 10000; k++)
			band->px16[k] = (uint16_t)(k < 40 ? 3 : k >= 9960 ? 65000 : 1000 + k % 100);
		img_window_auto(band);
		tap_ok(band->win_lo == 1000 && band->win_hi == 1099,
		    "outliers under 0.5%% at each end do not widen the window: %d..%d", band->win_lo, band->win_hi);
		img_free(flat);
		img_free(band);
	}
	{
		int monotonic = 1, v;

		for (v = 1; v < 70000; v++)
			monotonic &= img_window8(v, 1000, 3000) >= img_window8(v - 1, 1000, 3000);
		tap_ok(monotonic && img_window8(0, 1000, 3000) == 0 && img_window8(1000, 1000, 3000) == 0 &&
		    img_window8(3000, 1000, 3000) == 255 && img_window8(65535, 1000, 3000) == 255 &&
		    img_window8(2000, 1000, 3000) == 128 && img_window8(1004, 1000, 3000) == 1 &&
		    img_window8(1003, 1000, 3000) == 0 && img_window8(5, -100, 100) == 134,
		    "window mapping: lo and below black, hi and above white, linear and rounded between");
	}
	{
		struct img *g = img_new16(3, 2, 1, NULL), *c = img_new16(2, 1, 3, NULL), *g8, *c8;
		static const uint16_t gv[6] = { 0, 1000, 1500, 2000, 2001, 65535 };
		static const uint16_t cv[6] = { 1000, 1500, 2000, 0, 1250, 65535 };

		memcpy(g->px16, gv, sizeof(gv));
		memcpy(c->px16, cv, sizeof(cv));
		g8 = img_to_rgb8(g, 1000, 2000);
		c8 = img_to_rgb8(c, 1000, 2000);
		tap_ok(g8 && g8->rgb[0] == 0 && g8->rgb[3] == 0 && g8->rgb[6] == 128 && g8->rgb[7] == 128 && g8->rgb[8] == 128 &&
		    g8->rgb[9] == 255 && g8->rgb[15] == 255 && c8 && c8->rgb[0] == 0 && c8->rgb[1] == 128 && c8->rgb[2] == 255 &&
		    c8->rgb[3] == 0 && c8->rgb[4] == 64 && c8->rgb[5] == 255,
		    "img_to_rgb8: grey to equal channels, RGB channel by channel, through the window");
		img_free(g);
		img_free(c);
		img_free(g8);
		img_free(c8);
	}

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
			/* The alpha plane moves with the pixels: stored (x, y) holds 16 y + x. */
			im->alpha = xmalloc((size_t)sw * sh);
			for (int a = 0; a < sw * sh; a++)
				im->alpha[a] = (uint8_t)(a / sw * 16 + a % sw);
			img_orient(im, t[k].o);
			{
				int same_a = im->alpha != NULL;

				for (int a = 0; same_a && a < dw_of(t[k].o, sw, sh) * dh_of(t[k].o, sw, sh); a++)
					same_a = im->alpha[a] == im->rgb[a * 3 + 1] * 16 + im->rgb[a * 3];
				tap_ok(same_a, "orientation %d moves the alpha plane with the pixels", t[k].o);
			}
			dw = t[k].o >= 5 ? sh : sw;
			dh = t[k].o >= 5 ? sw : sh;
			tap_ok(im->w == dw && im->h == dh && im->orientation == t[k].o &&
			    at(im, t[k].tl_x * (dw - 1), t[k].tl_y * (dh - 1), 0, 0) &&
			    at(im, t[k].tr_x * (dw - 1), t[k].tr_y * (dh - 1), sw - 1, 0),
			    "orientation %d puts the stored corners where EXIF says", t[k].o);
			/* The same at 16 bits, grey and RGB: the 8-bit image's moves, sample for sample. */
			{
				int chans, ok16 = 1;

				for (chans = 1; chans <= 3; chans += 2) {
					struct img *s16 = img_new16(sw, sh, chans, NULL), *ref = coords_image(sw, sh);
					int x, y, c;

					for (y = 0; y < sh; y++)
						for (x = 0; x < sw; x++)
							for (c = 0; c < chans; c++)
								s16->px16[((size_t)y * sw + x) * chans + c] = (uint16_t)(1000 * (c + 1) + y * 16 + x);
					img_orient(s16, t[k].o);
					img_orient(ref, t[k].o);
					ok16 &= s16->w == dw && s16->h == dh && !s16->rgb;
					for (y = 0; ok16 && y < dh; y++)
						for (x = 0; x < dw; x++)
							for (c = 0; c < chans; c++) {
								const uint8_t *p = ref->rgb + ((size_t)y * dw + x) * 3;

								ok16 &= s16->px16[((size_t)y * dw + x) * chans + c] ==
								    1000 * (c + 1) + p[1] * 16 + p[0];
							}
					img_free(s16);
					img_free(ref);
				}
				tap_ok(ok16, "orientation %d moves 16-bit grey and RGB samples as 8-bit pixels", t[k].o);
			}
			img_free(im);
		}
	}
	return tap_done();
}
