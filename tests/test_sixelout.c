/* test_sixelout.c: the sixel encoder, checked by decoding what it wrote with libsixel's own
 * decoder: exact sizes, exact pixels for images of few colours, PSNR for photos, and the same
 * pixels when a rectangle is encoded again with the view's palette. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#pragma push_macro("PACKAGE_VERSION")
#undef PACKAGE_VERSION
#include <sixel.h>
#undef PACKAGE_VERSION
#pragma pop_macro("PACKAGE_VERSION")

#include "img.h"
#include "sbuf.h"
#include "sixelout.h"
#include "tap.h"

/* The bundled photo, found from $TESTS_DATA (tests/data of the source tree, as make check
 * sets it) or from the top of the source tree. */
static char sample[4096];

static void find_sample(void)
{
	const char *d = getenv("TESTS_DATA");

	snprintf(sample, sizeof(sample), "%s/../../data/chelsea.png", d ? d : "tests/data");
}

/* Sixel colours are percentages: what an 8-bit channel value becomes through one, with
 * libsixel's rounding both ways (255 -> 100% -> 255, 200 -> 78% -> 199). */
static uint8_t via_percent(uint8_t v)
{
	int pc = (v * 100 + 127) / 255;

	return (uint8_t)((pc * 255 + 50) / 100);
}

static int same_via_percent(const uint8_t *decoded, const uint8_t *orig, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (decoded[i] != via_percent(orig[i])) {
			tap_diag("byte %zu: %d, want %d (from %d)", i, decoded[i], via_percent(orig[i]), orig[i]);
			return 0;
		}
	return 1;
}

/* The decoded picture as RGB, NULL when the bytes do not decode. */
static uint8_t *decode(const struct sbuf *b, int *w, int *h)
{
	unsigned char *pixels = NULL, *palette = NULL;
	uint8_t *rgb;
	int ncolors = 0;
	size_t i, n;

	if (SIXEL_FAILED(sixel_decode_raw((unsigned char *)b->data, (int)b->len, &pixels, w, h,
	        &palette, &ncolors, NULL)))
		return NULL;
	n = (size_t)*w * *h;
	rgb = malloc(n * 3);
	for (i = 0; i < n; i++)
		memcpy(rgb + 3 * i, palette + 3 * pixels[i], 3);
	free(pixels);
	free(palette);
	return rgb;
}

static double psnr(const uint8_t *a, const uint8_t *b, size_t n)
{
	double se = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double d = (double)a[i] - b[i];

		se += d * d;
	}
	if (se == 0)
		return 99.0;
	return 10 * log10(255.0 * 255.0 / (se / (double)n));
}

/* Encodes im whole with a fresh encoder of max colours; checks size; returns the decoded RGB. */
static uint8_t *roundtrip(const struct img *im, int max, size_t *bytes, int *ncol)
{
	struct sixelout_enc *e;
	struct sbuf b;
	char *cause = NULL;
	uint8_t *rgb = NULL;
	int w = 0, h = 0;

	sbuf_init(&b);
	e = sixelout_enc_new(im->rgb, im->w, im->h, (size_t)im->w * 3, max, &cause);
	if (!e) {
		tap_diag("%s", cause);
		free(cause);
		return NULL;
	}
	sixelout_enc_palette(e, ncol);
	if (sixelout_enc_rect(e, im, 0, 0, im->w, im->h, &b, &cause) == 0) {
		rgb = decode(&b, &w, &h);
		if (rgb && (w != im->w || h != im->h)) {
			tap_diag("decoded %dx%d, want %dx%d", w, h, im->w, im->h);
			free(rgb);
			rgb = NULL;
		}
	}
	*bytes = b.len;
	sixelout_enc_free(e);
	sbuf_free(&b);
	return rgb;
}

static void fill(struct img *im, int x0, int y0, int x1, int y1, uint8_t r, uint8_t g, uint8_t b)
{
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++) {
			uint8_t *p = im->rgb + ((size_t)y * im->w + x) * 3;

			p[0] = r;
			p[1] = g;
			p[2] = b;
		}
}

static void test_flat(void)
{
	static const int sizes[][2] = { { 1, 1 }, { 1, 7 }, { 5, 5 }, { 37, 23 }, { 64, 13 }, { 3, 6 }, { 100, 61 } };
	size_t i, bytes;
	int ncol;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int w = sizes[i][0], h = sizes[i][1];
		struct img *im = img_new(w, h, NULL);
		uint8_t *out;

		/* Pure white and the primaries are where libsixel's 5-bit buckets show (248). */
		fill(im, 0, 0, w, h, 255, 255, 255);
		fill(im, 0, 0, w / 2, h / 2, 255, 0, 0);
		fill(im, w / 2, h / 2, w, h, 0, 0, 0);
		fill(im, 0, h / 2, w / 3, h, 12, 200, 99);
		out = roundtrip(im, 256, &bytes, &ncol);
		tap_ok(out && same_via_percent(out, im->rgb, (size_t)w * h * 3),
		    "%dx%d of four flat colours (white 255 among them): exact size and pixels (%zu bytes)", w, h, bytes);
		free(out);
		img_free(im);
	}
}

static void test_exact_256(void)
{
	struct img *im = img_new(64, 48, NULL);
	uint8_t *out;
	size_t bytes, i;
	int ncol;

	/* 256 different colours, none on the 5-bit grid. */
	for (i = 0; i < (size_t)im->w * im->h; i++) {
		int c = (int)(i % 256);

		im->rgb[3 * i] = (uint8_t)(c * 7 + 3);
		im->rgb[3 * i + 1] = (uint8_t)(255 - c);
		im->rgb[3 * i + 2] = (uint8_t)((c * 13) ^ 0x55);
	}
	out = roundtrip(im, 256, &bytes, &ncol);
	tap_ok(out && ncol == 256 && same_via_percent(out, im->rgb, (size_t)im->w * im->h * 3),
	    "256 distinct off-grid colours come back exactly (to the 1%% sixel allows)");
	free(out);
	out = roundtrip(im, 16, &bytes, &ncol);
	tap_ok(out && ncol <= 16, "with 16 registers the palette has %d colours", ncol);
	free(out);
	img_free(im);
}

static void test_gradient(void)
{
	struct img *im = img_new(320, 200, NULL);
	uint8_t *out;
	size_t bytes;
	int x, y, ncol;
	double q;

	for (y = 0; y < im->h; y++)
		for (x = 0; x < im->w; x++) {
			uint8_t *p = im->rgb + ((size_t)y * im->w + x) * 3;

			p[0] = (uint8_t)(x * 255 / (im->w - 1));
			p[1] = (uint8_t)(y * 255 / (im->h - 1));
			p[2] = (uint8_t)(255 - (x + y) * 255 / (im->w + im->h - 2));
		}
	out = roundtrip(im, 256, &bytes, &ncol);
	q = out ? psnr(out, im->rgb, (size_t)im->w * im->h * 3) : 0;
	tap_ok(out && q > 30.0, "a 3-channel gradient: PSNR %.2f dB > 30 (%zu bytes, %d colours)", q, bytes, ncol);
	free(out);
	img_free(im);
}

static int sbuf_write(char *data, int size, void *priv)
{
	sbuf_add(priv, data, (size_t)size);
	return 0;
}

/* libsixel's own quantizer on the same pixels, for comparison. */
static double libsixel_psnr(const struct img *im, int max, size_t *bytes, int *white)
{
	sixel_dither_t *d = NULL;
	sixel_output_t *o = NULL;
	struct sbuf b;
	uint8_t *copy, *out;
	int w, h;
	double q = 0;

	sbuf_init(&b);
	copy = malloc((size_t)im->w * im->h * 3);
	memcpy(copy, im->rgb, (size_t)im->w * im->h * 3);
	sixel_dither_new(&d, max, NULL);
	sixel_dither_initialize(d, copy, im->w, im->h, SIXEL_PIXELFORMAT_RGB888, SIXEL_LARGE_AUTO,
	    SIXEL_REP_AUTO, SIXEL_QUALITY_AUTO);
	sixel_dither_set_diffusion_type(d, SIXEL_DIFFUSE_NONE);
	sixel_output_new(&o, sbuf_write, &b, NULL);
	sixel_encode(copy, im->w, im->h, 8, d, o);
	out = decode(&b, &w, &h);
	if (out) {
		q = psnr(out, im->rgb, (size_t)im->w * im->h * 3);
		*white = out[0];
	}
	*bytes = b.len;
	free(out);
	free(copy);
	sbuf_free(&b);
	sixel_output_unref(o);
	sixel_dither_unref(d);
	return q;
}

static void test_white_libsixel(void)
{
	struct img *im = img_new(40, 30, NULL);
	size_t bytes;
	int white = -1;

	fill(im, 0, 0, 40, 30, 255, 255, 255);
	fill(im, 20, 0, 40, 30, 255, 0, 0);
	libsixel_psnr(im, 256, &bytes, &white);
	tap_diag("libsixel's own palette turns white 255 into %d", white);
	tap_ok(white >= 0, "libsixel's own quantizer measured");
	img_free(im);
}

static void test_photo(void)
{
	struct img_load_opts opts;
	struct img *src, *im;
	char *cause = NULL;
	uint8_t *out;
	size_t bytes, lbytes;
	int ncol, white;
	double q, lq;

	img_load_opts_default(&opts);
	src = img_load(sample, &opts, &cause);
	if (!tap_ok(src != NULL, "the sample photo loads")) {
		tap_diag("%s", cause);
		free(cause);
		return;
	}
	im = img_scale(src, 400, 266);
	out = roundtrip(im, 256, &bytes, &ncol);
	q = out ? psnr(out, im->rgb, (size_t)im->w * im->h * 3) : 0;
	lq = libsixel_psnr(im, 256, &lbytes, &white);
	tap_ok(out && q > 32.0, "chelsea at 400x266, 256 colours: PSNR %.2f dB > 32 (%zu bytes)", q, bytes);
	tap_ok(q >= lq, "no worse than libsixel's own palette without dithering (%.2f dB, %zu bytes)", lq, lbytes);
	free(out);
	out = roundtrip(im, 16, &bytes, &ncol);
	q = out ? psnr(out, im->rgb, (size_t)im->w * im->h * 3) : 0;
	tap_ok(out && q > 22.0 && ncol <= 16, "16 colours: PSNR %.2f dB > 22 (%zu bytes)", q, bytes);
	free(out);
	img_free(im);
	img_free(src);
}

/* The view's palette reused: a rectangle encoded on its own decodes to exactly the pixels the
 * whole image had there, and defines only the colours it uses. */
static void test_rect_reuse(void)
{
	struct img_load_opts opts;
	struct img *src, *im;
	struct sixelout_enc *e;
	struct sbuf whole, part;
	char *cause = NULL;
	uint8_t *full = NULL, *sub = NULL;
	int w, h, sw, sh, ok, x, y, n, defs = 0;
	const int rx = 37, ry = 26, rw = 60, rh = 40; /* cell-sized: 6x13 cells of xterm */
	const char *p;

	img_load_opts_default(&opts);
	src = img_load(sample, &opts, &cause);
	if (!src) {
		tap_ok(0, "sample loads: %s", cause);
		free(cause);
		return;
	}
	im = img_scale(src, 300, 200);
	sbuf_init(&whole);
	sbuf_init(&part);
	e = sixelout_enc_new(im->rgb, im->w, im->h, (size_t)im->w * 3, 256, &cause);
	ok = e && sixelout_enc_rect(e, im, 0, 0, im->w, im->h, &whole, &cause) == 0 &&
	    sixelout_enc_rect(e, im, rx, ry, rw, rh, &part, &cause) == 0;
	if (ok) {
		full = decode(&whole, &w, &h);
		sub = decode(&part, &sw, &sh);
	}
	ok = ok && full && sub && sw == rw && sh == rh;
	for (y = 0; ok && y < rh; y++)
		for (x = 0; x < rw; x++)
			if (memcmp(sub + 3 * ((size_t)y * rw + x), full + 3 * ((size_t)(y + ry) * w + x + rx), 3))
				ok = 0;
	tap_ok(ok, "a %dx%d rectangle encoded alone decodes to the same pixels as in the whole", rw, rh);
	for (p = part.data; ok && (p = strstr(p, ";2;")) != NULL; p++)
		defs++;
	sixelout_enc_palette(e, &n);
	tap_ok(ok && defs > 0 && defs < n, "it defines %d of the %d palette colours (%zu bytes, whole %zu)",
	    defs, n, part.len, whole.len);
	sbuf_free(&part);
	sbuf_init(&part);
	ok = e && sixelout_enc_rect(e, im, -10, -10, 5, 5, &part, &cause) == 0 && part.len == 0 &&
	    sixelout_enc_rect(e, im, im->w - 2, im->h - 3, 50, 50, &part, &cause) == 0;
	free(sub);
	sub = ok ? decode(&part, &sw, &sh) : NULL;
	tap_ok(sub && sw == 2 && sh == 3, "rectangles are clipped to the image (nothing when outside)");
	tap_ok(whole.len > 4 && !memcmp(whole.data, "\033P", 2) && !memcmp(whole.data + whole.len - 2, "\033\\", 2),
	    "the output is one DCS ... ST, 7-bit");
	free(full);
	free(sub);
	sixelout_enc_free(e);
	sbuf_free(&whole);
	sbuf_free(&part);
	img_free(im);
	img_free(src);
}

int main(void)
{
	find_sample();
	test_flat();
	test_exact_256();
	test_gradient();
	test_white_libsixel();
	test_photo();
	test_rect_reuse();
	return tap_done();
}
