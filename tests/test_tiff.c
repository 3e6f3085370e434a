/* test_tiff.c: TIFF decoding of every kind pxlabel reads (8 and 16 bits; grey, RGB, RGBA, grey
 * with alpha, palette, packed; striped and tiled, contiguous and planar; no compression, LZW,
 * deflate, PackBits and JPEG; both byte orders; the first page of several; the eight
 * orientations), each written here through libtiff's encoder beside a PNG copy of the same
 * upright pixels written through libpng: both must decode alike. Then the decode that shrinks
 * while it reads against img_scale of the full image, the 16-bit default window, and the memory
 * a 16-bit grey image takes. */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>
#include <tiffio.h>

#include "img.h"
#include "tap.h"
#include "view.h"
#include "xalloc.h"

#define W 67
#define H 45
#define UNSPEC 99 /* EXTRASAMPLE_UNSPECIFIED is 0 */

struct kind {
	const char *name;
	int bps, spp, photo;
	int extra;       /* 0, or the EXTRASAMPLE_ kind of the last sample (UNSPEC for 0) */
	int planar;      /* PLANARCONFIG_SEPARATE, else contiguous */
	int tile;        /* tile side (16, 32), 0: strips */
	int comp;        /* COMPRESSION_ */
	int orientation; /* 0: no tag */
	int big;         /* big-endian file */
	int pages;       /* > 1: a multi-page file, pages after the first differ */
	int predictor;
};

static unsigned rnd_state = 12345;

static unsigned rnd(void)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) & 0x7fff;
}

static int host_little(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one;
}

/* Bytes of a stored row. */
static size_t row_bytes(const struct kind *k)
{
	return ((size_t)W * (size_t)k->spp * (size_t)k->bps + 7) / 8;
}

/* Smooth pictures with a little noise (JPEG must stay close), in a narrow band at 16 bits;
 * alpha runs from transparent to opaque across; palette indices cycle through the palette. */
static uint8_t *make_pixels(const struct kind *k, unsigned salt)
{
	size_t rb = row_bytes(k);
	uint8_t *px = xcalloc(rb * H, 1);
	int x, y, c;

	for (y = 0; y < H; y++) {
		for (x = 0; x < W; x++) {
			for (c = 0; c < k->spp; c++) {
				int is_alpha = k->extra && c == k->spp - 1;
				unsigned v;

				if (k->bps < 8 || k->photo == PHOTOMETRIC_PALETTE) {
					unsigned n = 1u << k->bps, idx = (unsigned)(x / 3 + y / 2 + salt) % n;
					size_t bit = (size_t)x * k->bps;

					if (k->bps >= 8) {
						if (k->bps == 8)
							px[y * rb + x] = (uint8_t)idx;
						else
							((uint16_t *)(void *)(px + y * rb))[x] = (uint16_t)idx;
					} else {
						px[y * rb + (bit >> 3)] |= (uint8_t)(idx << (8 - k->bps - (bit & 7)));
					}
					continue;
				}
				if (is_alpha)
					v = (unsigned)(x * 255 / (W - 1));
				else if (k->comp == COMPRESSION_JPEG) /* no edges for the DCT to blur */
					v = (unsigned)(x * 2 + y + c * 30);
				else
					v = (unsigned)((x * 3 + y * 2 + c * 60 + salt * 40) % 200 + rnd() % 12);
				if (k->bps == 8) {
					px[y * rb + (size_t)x * k->spp + c] = (uint8_t)v;
				} else {
					uint16_t *r = (uint16_t *)(void *)(px + y * rb);

					/* 16 bits: a band of about 3000 values over 2000, alpha over all of them */
					r[(size_t)x * k->spp + c] = (uint16_t)(is_alpha ? v * 257 : 2000 + v * 14 + rnd() % 14);
				}
			}
		}
	}
	return px;
}

static void palette_of(int n, uint16_t *r, uint16_t *g, uint16_t *b, uint8_t (*pal8)[3])
{
	int i;

	for (i = 0; i < n; i++) {
		pal8[i][0] = (uint8_t)(i * 37 + 11);
		pal8[i][1] = (uint8_t)(255 - i * 53);
		pal8[i][2] = (uint8_t)(i * 101 + 7);
		r[i] = (uint16_t)(pal8[i][0] * 257);
		g[i] = (uint16_t)(pal8[i][1] * 257);
		b[i] = (uint16_t)(pal8[i][2] * 257);
	}
}

/* Sample p of pixel x in a stored row (bps 8 or 16), as a pointer to its bytes. */
static const uint8_t *sample_at(const struct kind *k, const uint8_t *row, int x, int p)
{
	return row + ((size_t)x * k->spp + (size_t)p) * (size_t)(k->bps / 8);
}

static int write_page(TIFF *t, const struct kind *k, const uint8_t *px, int page)
{
	size_t rb = row_bytes(k), bs = (size_t)k->bps / 8;
	int planes = k->planar == PLANARCONFIG_SEPARATE ? k->spp : 1, p, x, y;
	uint16_t r[256], g[256], b[256];
	uint8_t pal8[256][3];

	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, W);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, H);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, k->bps);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, k->spp);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, k->planar == PLANARCONFIG_SEPARATE ? PLANARCONFIG_SEPARATE
										  : PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_COMPRESSION, k->comp);
	if (k->comp == COMPRESSION_JPEG && k->spp == 3) {
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_YCBCR);
		TIFFSetField(t, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB);
	} else {
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, k->photo);
	}
	if (k->comp == COMPRESSION_JPEG)
		TIFFSetField(t, TIFFTAG_JPEGQUALITY, 95);
	if (k->predictor)
		TIFFSetField(t, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
	if (k->extra) {
		uint16_t e = (uint16_t)(k->extra == UNSPEC ? EXTRASAMPLE_UNSPECIFIED : k->extra);

		TIFFSetField(t, TIFFTAG_EXTRASAMPLES, 1, &e);
	}
	if (k->photo == PHOTOMETRIC_PALETTE) {
		palette_of(1 << k->bps, r, g, b, pal8);
		TIFFSetField(t, TIFFTAG_COLORMAP, r, g, b);
	}
	if (k->orientation)
		TIFFSetField(t, TIFFTAG_ORIENTATION, k->orientation);
	if (k->pages > 1) {
		TIFFSetField(t, TIFFTAG_SUBFILETYPE, FILETYPE_PAGE);
		TIFFSetField(t, TIFFTAG_PAGENUMBER, page, k->pages);
	}
	if (k->tile) {
		size_t tb;
		uint8_t *tile;
		int tx, ty;

		TIFFSetField(t, TIFFTAG_TILEWIDTH, k->tile);
		TIFFSetField(t, TIFFTAG_TILELENGTH, k->tile);
		tb = (size_t)TIFFTileSize(t);
		tile = xmalloc(tb);
		for (p = 0; p < planes; p++) {
			for (ty = 0; ty < H; ty += k->tile) {
				for (tx = 0; tx < W; tx += k->tile) {
					memset(tile, 0, tb);
					for (y = ty; y < ty + k->tile && y < H; y++) {
						for (x = tx; x < tx + k->tile && x < W; x++) {
							const uint8_t *row = px + (size_t)y * rb;
							size_t at = (size_t)(y - ty) * k->tile + (size_t)(x - tx);

							if (planes > 1)
								memcpy(tile + at * bs, sample_at(k, row, x, p), bs);
							else
								memcpy(tile + at * bs * k->spp, sample_at(k, row, x, 0), bs * k->spp);
						}
					}
					if (TIFFWriteTile(t, tile, (uint32_t)tx, (uint32_t)ty, 0, (uint16_t)p) < 0) {
						free(tile);
						return -1;
					}
				}
			}
		}
		free(tile);
	} else {
		uint8_t *row = xmalloc(rb);

		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, k->comp == COMPRESSION_JPEG ? 16 : 7);
		for (p = 0; p < planes; p++) {
			for (y = 0; y < H; y++) {
				const uint8_t *src = px + (size_t)y * rb;

				if (planes > 1) {
					for (x = 0; x < W; x++)
						memcpy(row + (size_t)x * bs, sample_at(k, src, x, p), bs);
				} else {
					memcpy(row, src, rb);
				}
				if (TIFFWriteScanline(t, row, (uint32_t)y, (uint16_t)p) < 0) {
					free(row);
					return -1;
				}
			}
		}
		free(row);
	}
	return TIFFWriteDirectory(t) ? 0 : -1;
}

static int write_tiff(const char *path, const struct kind *k, const uint8_t *px)
{
	TIFF *t = TIFFOpen(path, k->big ? "wb" : "wl");
	int page, rc = 0;

	if (!t)
		return -1;
	for (page = 0; page < (k->pages > 1 ? k->pages : 1) && rc == 0; page++) {
		uint8_t *other = NULL;

		if (page > 0)
			other = make_pixels(k, (unsigned)page * 7);
		rc = write_page(t, k, page ? other : px, page);
		free(other);
	}
	TIFFClose(t);
	return rc;
}

/* A PNG of w x h rows (packed, 16-bit samples in host order), with pal for palette PNGs. */
static int write_png(const char *path, int w, int h, int depth, int ctype, const uint8_t *px, size_t rb,
    const uint8_t (*pal)[3], int npal)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	FILE *fp = fopen(path, "wb");
	int y;

	if (!fp)
		return -1;
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, ctype, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (pal) {
		png_color c[256];
		int i;

		for (i = 0; i < npal; i++) {
			c[i].red = pal[i][0];
			c[i].green = pal[i][1];
			c[i].blue = pal[i][2];
		}
		png_set_PLTE(png, info, c, npal);
	}
	png_write_info(png, info);
	if (depth == 16 && host_little())
		png_set_swap(png);
	for (y = 0; y < h; y++)
		png_write_row(png, px + (size_t)y * rb);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return fclose(fp);
}

/* The upright picture of a stored one under an orientation (1..8), pixels of ps bytes. */
static uint8_t *upright(const uint8_t *st, int w, int h, int o, size_t ps, int *uw, int *uh)
{
	int x, y, dw = o >= 5 ? h : w, dh = o >= 5 ? w : h;
	uint8_t *out = xmalloc((size_t)dw * dh * ps);

	for (y = 0; y < dh; y++) {
		for (x = 0; x < dw; x++) {
			int sx, sy;

			switch (o) {
			case 2: sx = w - 1 - x; sy = y; break;          /* mirrored left-right */
			case 3: sx = w - 1 - x; sy = h - 1 - y; break;  /* turned 180 */
			case 4: sx = x; sy = h - 1 - y; break;          /* mirrored top-bottom */
			case 5: sx = y; sy = x; break;                  /* transposed */
			case 6: sx = y; sy = h - 1 - x; break;          /* turned 90 clockwise to view */
			case 7: sx = w - 1 - y; sy = h - 1 - x; break;  /* transversed */
			case 8: sx = w - 1 - y; sy = x; break;          /* turned 90 anticlockwise to view */
			default: sx = x; sy = y; break;
			}
			memcpy(out + ((size_t)y * dw + x) * ps, st + ((size_t)sy * w + sx) * ps, ps);
		}
	}
	*uw = dw;
	*uh = dh;
	return out;
}

/* The PNG holding what the TIFF of kind k and pixels px shows. */
static int write_png_copy(const char *path, const struct kind *k, const uint8_t *px)
{
	size_t rb = row_bytes(k), bs = (size_t)k->bps / 8;
	uint16_t r[256], g[256], b[256];
	uint8_t pal8[256][3], *conv = NULL, *up = NULL;
	int ctype, depth = k->bps, rc, uw = W, uh = H, x, y, c;
	const uint8_t *rows = px;

	if (k->photo == PHOTOMETRIC_PALETTE) {
		palette_of(1 << k->bps, r, g, b, pal8);
		return write_png(path, W, H, k->bps, PNG_COLOR_TYPE_PALETTE, px, rb, (const uint8_t(*)[3])pal8, 1 << k->bps);
	}
	if (k->photo == PHOTOMETRIC_MINISWHITE) {
		/* 8 bits: the PNG holds what min-is-white means */
		conv = xmalloc(rb * H);
		for (x = 0; x < (int)(rb * H); x++)
			conv[x] = (uint8_t)(255 - px[x]);
		rows = conv;
	}
	if (k->photo == PHOTOMETRIC_RGB)
		ctype = k->extra ? PNG_COLOR_TYPE_RGBA : PNG_COLOR_TYPE_RGB;
	else
		ctype = k->extra ? PNG_COLOR_TYPE_GRAY_ALPHA : PNG_COLOR_TYPE_GRAY;
	if (k->extra == UNSPEC) {
		/* not alpha: the PNG is the colour samples alone */
		int n = k->spp - 1;

		conv = xmalloc((size_t)W * H * (size_t)n * bs);
		for (y = 0; y < H; y++)
			for (x = 0; x < W; x++)
				for (c = 0; c < n; c++)
					memcpy(conv + (((size_t)y * W + x) * n + c) * bs, sample_at(k, px + y * rb, x, c), bs);
		rows = conv;
		rb = (size_t)W * n * bs;
		ctype = n == 3 ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_GRAY;
	}
	if (k->orientation > 1 && k->bps >= 8) {
		size_t ps = rb / W;

		up = upright(rows, W, H, k->orientation, ps, &uw, &uh);
		rows = up;
		rb = (size_t)uw * ps;
	}
	rc = write_png(path, uw, uh, depth, ctype, rows, rb, NULL, 0);
	free(conv);
	free(up);
	return rc;
}

static struct img *load(const char *path, int keep16, int fit_w, int fit_h, char **cause)
{
	struct img_load_opts o;

	img_load_opts_default(&o);
	o.keep16 = keep16;
	o.fit_w = fit_w;
	o.fit_h = fit_h;
	return img_load(path, &o, cause);
}

static size_t nsamples(const struct img *im)
{
	return (size_t)im->w * im->h * (size_t)im->chans;
}

/* Largest difference of two images of one kind; -1 when they differ in size or kind. */
static int maxdiff(const struct img *a, const struct img *b, double *mean)
{
	size_t i, n;
	int m = 0;
	double s = 0;

	if (!a || !b || a->w != b->w || a->h != b->h || !a->rgb != !b->rgb || a->chans != b->chans)
		return -1;
	n = nsamples(a);
	for (i = 0; i < n; i++) {
		int d = a->rgb ? abs(a->rgb[i] - b->rgb[i]) : abs(a->px16[i] - b->px16[i]);

		m = d > m ? d : m;
		s += d;
	}
	if (mean)
		*mean = s / (double)n;
	return m;
}

static size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

int main(void)
{
	static const struct kind kinds[] = {
		{ "grey 8", 8, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "grey 16", 16, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "grey 16 big-endian, tiled, deflate", 16, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 32, COMPRESSION_ADOBE_DEFLATE, 0, 1, 0, 0 },
		{ "grey 16, LZW with predictor", 16, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 0, COMPRESSION_LZW, 0, 0, 0, 1 },
		{ "grey 16 with an unspecified extra sample", 16, 2, PHOTOMETRIC_MINISBLACK, UNSPEC, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "min-is-white 8", 8, 1, PHOTOMETRIC_MINISWHITE, 0, 0, 0, COMPRESSION_PACKBITS, 0, 0, 0, 0 },
		{ "grey 4", 4, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "bilevel 1", 1, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 0, COMPRESSION_PACKBITS, 0, 0, 0, 0 },
		{ "grey and alpha 8", 8, 2, PHOTOMETRIC_MINISBLACK, EXTRASAMPLE_UNASSALPHA, 0, 0, COMPRESSION_LZW, 0, 0, 0, 0 },
		{ "RGB 8", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "RGB 8, LZW", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_LZW, 0, 0, 0, 0 },
		{ "RGB 8, deflate", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_ADOBE_DEFLATE, 0, 0, 0, 0 },
		{ "RGB 8, PackBits", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_PACKBITS, 0, 0, 0, 0 },
		{ "RGB 8, JPEG", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_JPEG, 0, 0, 0, 0 },
		{ "RGB 8 tiled", 8, 3, PHOTOMETRIC_RGB, 0, 0, 16, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "RGB 8 tiled, LZW", 8, 3, PHOTOMETRIC_RGB, 0, 0, 32, COMPRESSION_LZW, 0, 0, 0, 0 },
		{ "RGB 8 tiled, deflate", 8, 3, PHOTOMETRIC_RGB, 0, 0, 16, COMPRESSION_ADOBE_DEFLATE, 0, 0, 0, 0 },
		{ "RGB 8 tiled, PackBits", 8, 3, PHOTOMETRIC_RGB, 0, 0, 16, COMPRESSION_PACKBITS, 0, 0, 0, 0 },
		{ "RGB 8 tiled, JPEG", 8, 3, PHOTOMETRIC_RGB, 0, 0, 16, COMPRESSION_JPEG, 0, 0, 0, 0 },
		{ "grey 8 tiled, JPEG", 8, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 16, COMPRESSION_JPEG, 0, 0, 0, 0 },
		{ "RGB 8 planar", 8, 3, PHOTOMETRIC_RGB, 0, PLANARCONFIG_SEPARATE, 0, COMPRESSION_LZW, 0, 0, 0, 0 },
		{ "RGB 8 planar tiled", 8, 3, PHOTOMETRIC_RGB, 0, PLANARCONFIG_SEPARATE, 16, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "RGB 16", 16, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "RGB 16 big-endian tiled, LZW", 16, 3, PHOTOMETRIC_RGB, 0, 0, 16, COMPRESSION_LZW, 0, 1, 0, 0 },
		{ "RGB 16 planar tiled, deflate", 16, 3, PHOTOMETRIC_RGB, 0, PLANARCONFIG_SEPARATE, 32, COMPRESSION_ADOBE_DEFLATE, 0, 0, 0, 0 },
		{ "RGBA 8", 8, 4, PHOTOMETRIC_RGB, EXTRASAMPLE_UNASSALPHA, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "RGBA 8 tiled, deflate", 8, 4, PHOTOMETRIC_RGB, EXTRASAMPLE_UNASSALPHA, 0, 16, COMPRESSION_ADOBE_DEFLATE, 0, 0, 0, 0 },
		{ "RGBA 16", 16, 4, PHOTOMETRIC_RGB, EXTRASAMPLE_UNASSALPHA, 0, 0, COMPRESSION_LZW, 0, 0, 0, 0 },
		{ "palette 8", 8, 1, PHOTOMETRIC_PALETTE, 0, 0, 0, COMPRESSION_LZW, 0, 0, 0, 0 },
		{ "palette 8 tiled", 8, 1, PHOTOMETRIC_PALETTE, 0, 0, 16, COMPRESSION_PACKBITS, 0, 0, 0, 0 },
		{ "palette 4", 4, 1, PHOTOMETRIC_PALETTE, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "palette 2", 2, 1, PHOTOMETRIC_PALETTE, 0, 0, 0, COMPRESSION_ADOBE_DEFLATE, 0, 0, 0, 0 },
		{ "palette 1", 1, 1, PHOTOMETRIC_PALETTE, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 },
		{ "RGB 8, 3 pages", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_LZW, 0, 0, 3, 0 },
		{ "grey 16 tiled, 2 pages", 16, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 16, COMPRESSION_ADOBE_DEFLATE, 0, 0, 2, 0 },
		{ "RGB 8 orientation 2", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 2, 0, 0, 0 },
		{ "RGB 8 orientation 3", 8, 3, PHOTOMETRIC_RGB, 0, 0, 16, COMPRESSION_LZW, 3, 0, 0, 0 },
		{ "RGB 8 orientation 4", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 4, 0, 0, 0 },
		{ "RGB 8 orientation 5", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 5, 0, 0, 0 },
		{ "RGB 8 orientation 6", 8, 3, PHOTOMETRIC_RGB, 0, 0, 32, COMPRESSION_ADOBE_DEFLATE, 6, 0, 0, 0 },
		{ "RGB 8 orientation 7", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 7, 0, 0, 0 },
		{ "RGB 8 orientation 8", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_PACKBITS, 8, 0, 0, 0 },
		{ "grey 16 orientation 6", 16, 1, PHOTOMETRIC_MINISBLACK, 0, 0, 16, COMPRESSION_LZW, 6, 0, 0, 0 },
		/* (not with alpha: the checkerboard is laid in stored coordinates) */
		{ "RGB 16 orientation 8", 16, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 8, 0, 0, 0 },
	};
	char dir[] = "/tmp/pxl-tiff-XXXXXX", *cause = NULL;
	size_t i;

	if (!mkdtemp(dir)) {
		tap_ok(0, "a temporary folder");
		return tap_done();
	}
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct kind *k = &kinds[i];
		char *tif = xasprintf("%s/%zu.tif", dir, i), *png = xasprintf("%s/%zu.png", dir, i);
		uint8_t *px = make_pixels(k, 0);
		struct img *t8 = NULL, *p8 = NULL, *t16 = NULL, *p16 = NULL, *small = NULL, *ref = NULL;
		int lossy = k->comp == COMPRESSION_JPEG, d8, d16, fw, fh, ok;
		double mean = 0;

		if (write_tiff(tif, k, px) != 0 || write_png_copy(png, k, px) != 0) {
			tap_ok(0, "%s: writing the TIFF and its PNG copy", k->name);
			goto next;
		}
		cause = NULL;
		t8 = load(tif, 0, 0, 0, &cause);
		p8 = load(png, 0, 0, 0, NULL);
		d8 = maxdiff(t8, p8, &mean);
		if (lossy)
			tap_ok(t8 && d8 >= 0 && mean < 2.5, "%s: decodes close to the PNG copy (mean diff %.2f)", k->name, mean);
		else
			tap_ok(t8 && d8 == 0, "%s: decodes as its PNG copy (8-bit RGB)%s%s", k->name, cause ? ": " : "",
			    cause ? cause : "");
		free(cause);
		cause = NULL;
		t16 = load(tif, 1, 0, 0, &cause);
		p16 = load(png, 1, 0, 0, NULL);
		d16 = maxdiff(t16, p16, NULL);
		if (k->bps == 16) {
			tap_ok(t16 && t16->px16 && !t16->rgb && t16->chans == (k->photo == PHOTOMETRIC_RGB ? 3 : 1) &&
			    d16 == 0 && t16->win_lo == p16->win_lo && t16->win_hi == p16->win_hi,
			    "%s: kept at 16 bits, samples and window as the PNG's (%d..%d)", k->name,
			    t16 ? t16->win_lo : -1, t16 ? t16->win_hi : -1);
		} else if (!lossy) {
			tap_ok(t16 && t16->rgb && d16 == 0, "%s: 8-bit RGB when 16 bits are welcome too", k->name);
		}
		free(cause);
		cause = NULL;
		/* Shrunk while decoding = the full decode averaged, exactly, window included. */
		if (t16) {
			small = load(tif, 1, 20, 14, &cause);
			img_fit(t16->w, t16->h, 20, 14, &fw, &fh);
			ref = img_scale(t16, fw, fh);
			ok = small && ref && maxdiff(small, ref, NULL) == 0 && small->src_w == t16->w && small->src_h == t16->h;
			if (ok && small->px16)
				ok = small->win_lo == t16->win_lo && small->win_hi == t16->win_hi;
			tap_ok(ok, "%s: decoded into %dx%d as the full image averaged (%dx%d of %dx%d)", k->name, fw, fh,
			    small ? small->w : 0, small ? small->h : 0, small ? small->src_w : 0, small ? small->src_h : 0);
			free(cause);
			cause = NULL;
		}
		/* What a header says: the upright size, the orientation and the depth. */
		{
			struct img_info info;
			struct img_limits lim;
			int rc;

			img_limits_default(&lim);
			/* Probed before tap_ok: the order its arguments are evaluated in is not C's to say. */
			memset(&info, 0, sizeof(info));
			rc = img_probe_info(tif, &lim, &info, NULL);
			tap_ok(rc == 0 && info.tiff && !info.jpeg && info.bits == k->bps &&
			    info.orientation == (k->orientation ? k->orientation : 1) && t8 && info.w == t8->w && info.h == t8->h,
			    "%s: the probe tells TIFF, %d bits, orientation %d, %dx%d", k->name, info.bits, info.orientation,
			    info.w, info.h);
		}
next:
		img_free(t8);
		img_free(p8);
		img_free(t16);
		img_free(p16);
		img_free(small);
		img_free(ref);
		free(px);
		if (!getenv("KEEP")) {
			unlink(tif);
			unlink(png);
		}
		free(tif);
		free(png);
	}

	/* Associated (premultiplied) alpha over the checkerboard: within rounding of the PNG. */
	{
		struct kind k = { "RGBA 8 associated", 8, 4, PHOTOMETRIC_RGB, EXTRASAMPLE_ASSOCALPHA, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 };
		char *tif = xasprintf("%s/assoc.tif", dir), *png = xasprintf("%s/assoc.png", dir);
		uint8_t *px = make_pixels(&k, 0), *pre = xmalloc(row_bytes(&k) * H);
		struct img *a, *b;
		size_t n;

		for (n = 0; n < (size_t)W * H; n++) {
			int c;

			for (c = 0; c < 3; c++)
				pre[4 * n + c] = (uint8_t)((px[4 * n + c] * px[4 * n + 3] + 127) / 255);
			pre[4 * n + 3] = px[4 * n + 3];
		}
		k.extra = EXTRASAMPLE_UNASSALPHA;
		write_png_copy(png, &k, px);
		k.extra = EXTRASAMPLE_ASSOCALPHA;
		write_tiff(tif, &k, pre);
		a = load(tif, 0, 0, 0, NULL);
		b = load(png, 0, 0, 0, NULL);
		tap_ok(a && b && maxdiff(a, b, NULL) >= 0 && maxdiff(a, b, NULL) <= 1,
		    "associated alpha: over the checkerboard as the PNG's unassociated alpha (max diff %d)", maxdiff(a, b, NULL));
		tap_ok(a && b && a->alpha && b->alpha && !memcmp(a->alpha, b->alpha, (size_t)W * H),
		    "and the TIFF keeps its opacities, as the PNG does (for the tools: img_flatten)");
		{
			struct img *fa = a ? img_flatten(a, (const uint8_t[3]){ 0, 0, 0 }) : NULL, *fb = b ? img_flatten(b, (const uint8_t[3]){ 0, 0, 0 }) : NULL;
			int md = fa && fb ? maxdiff(fa, fb, NULL) : -1;

			tap_ok(md >= 0 && md <= 2, "both over black alike (max diff %d)", md);
			img_free(fa);
			img_free(fb);
		}
		img_free(a);
		img_free(b);
		unlink(tif);
		unlink(png);
		free(tif);
		free(png);
		free(px);
		free(pre);
	}

	/* A 16-bit grey image takes 2 bytes a pixel, and its pyramid is 16-bit too (a third more). */
	{
		char *tif = xasprintf("%s/big16.tif", dir);
		TIFF *t = TIFFOpen(tif, "w");
		uint16_t *row = xmalloc(2048 * 2);
		size_t before, after8, after16, after_pyr;
		struct img *im;
		struct pyr pyr;
		int x, y, levels16 = 1;

		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 2048);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, 1024);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 32);
		for (y = 0; y < 1024; y++) {
			for (x = 0; x < 2048; x++)
				row[x] = (uint16_t)(1000 + ((x ^ y) & 1023));
			TIFFWriteScanline(t, row, (uint32_t)y, 0);
		}
		TIFFClose(t);
		free(row);
		before = heap_in_use();
		im = load(tif, 0, 0, 0, NULL);
		after8 = heap_in_use();
		img_free(im);
		before = heap_in_use();
		im = load(tif, 1, 0, 0, NULL);
		after16 = heap_in_use();
		tap_ok(im && im->px16 && !im->rgb && after16 - before < 2048u * 1024 * 2 + 65536,
		    "a 2048x1024 16-bit grey image holds %.2f bytes a pixel (8-bit RGB: %.2f)",
		    (double)(after16 - before) / (2048.0 * 1024), (double)(after8 - before) / (2048.0 * 1024));
		pyr_build(&pyr, im);
		after_pyr = heap_in_use();
		for (x = 1; x < pyr.nlevels; x++)
			levels16 = levels16 && pyr.level[x]->px16 && !pyr.level[x]->rgb;
		tap_ok(levels16 && pyr.nlevels > 3 && after_pyr - after16 < 2048u * 1024 * 2 / 3 + 65536,
		    "its pyramid is 16-bit and costs %.2f bytes a pixel more", (double)(after_pyr - after16) / (2048.0 * 1024));
		tap_ok(im && im->win_lo >= 1000 && im->win_lo <= 1010 && im->win_hi >= 2013 && im->win_hi <= 2023,
		    "its default window spans the band of values, 0.5%% clipped each end (%d..%d of 1000..2023)",
		    im ? im->win_lo : 0, im ? im->win_hi : 0);
		pyr_free(&pyr);
		img_free(im);
		unlink(tif);
		free(tif);
	}

	/* A kind read through libtiff's RGBA reader: CMYK ink, 8 bits, with an orientation. */
	{
		char *tif = xasprintf("%s/cmyk.tif", dir);
		TIFF *t = TIFFOpen(tif, "w");
		uint8_t row[4 * 4];
		struct img *im;
		int x, y, ok = 1;

		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 4);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, 2);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 8);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 4);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_SEPARATED);
		TIFFSetField(t, TIFFTAG_INKSET, INKSET_CMYK);
		TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
		TIFFSetField(t, TIFFTAG_ORIENTATION, 6);
		for (y = 0; y < 2; y++) {
			/* row 0: no ink, cyan, magenta, black; row 1: yellow, half black, all, cyan+yellow */
			static const uint8_t inks[2][16] = {
				{ 0, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 255 },
				{ 0, 0, 255, 0, 0, 0, 0, 128, 255, 255, 255, 255, 255, 0, 255, 0 },
			};

			memcpy(row, inks[y], sizeof(row));
			TIFFWriteScanline(t, row, (uint32_t)y, 0);
		}
		TIFFClose(t);
		im = load(tif, 1, 0, 0, &cause);
		/* upright (orientation 6): 2 wide, 4 tall; upright (x, y) is stored (y, 1 - x) */
		if (im && im->rgb && im->w == 2 && im->h == 4) {
			static const uint8_t want[2][4][3] = {
				{ { 255, 255, 255 }, { 0, 255, 255 }, { 255, 0, 255 }, { 0, 0, 0 } },
				{ { 255, 255, 0 }, { 127, 127, 127 }, { 0, 0, 0 }, { 0, 255, 0 } },
			};

			for (y = 0; y < 4; y++)
				for (x = 0; x < 2; x++)
					ok &= abs(im->rgb[(y * 2 + x) * 3] - want[1 - x][y][0]) <= 1 &&
					    abs(im->rgb[(y * 2 + x) * 3 + 1] - want[1 - x][y][1]) <= 1 &&
					    abs(im->rgb[(y * 2 + x) * 3 + 2] - want[1 - x][y][2]) <= 1;
		} else {
			ok = 0;
		}
		tap_ok(ok, "CMYK through libtiff's RGBA reader, orientation applied%s%s", cause ? ": " : "", cause ? cause : "");
		free(cause);
		cause = NULL;
		img_free(im);
		unlink(tif);
		free(tif);
	}

	/* Signed 16-bit grey (CT-like values around 0): kept in order, the status giving the file's values. */
	{
		char *tif = xasprintf("%s/signed.tif", dir), *png = xasprintf("%s/signed.png", dir);
		TIFF *t = TIFFOpen(tif, "w");
		int16_t row[W];
		uint16_t *shifted = xmalloc((size_t)W * H * 2);
		struct img *a, *b, *a8, *b8;
		struct view v;
		char buf[64];
		int x, y, ok;

		TIFFSetField(t, TIFFTAG_IMAGEWIDTH, W);
		TIFFSetField(t, TIFFTAG_IMAGELENGTH, H);
		TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 16);
		TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
		TIFFSetField(t, TIFFTAG_SAMPLEFORMAT, SAMPLEFORMAT_INT);
		TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISBLACK);
		TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 8);
		for (y = 0; y < H; y++) {
			for (x = 0; x < W; x++) {
				row[x] = (int16_t)(-1000 + x * 30 + y);
				shifted[y * W + x] = (uint16_t)(row[x] + 32768);
			}
			TIFFWriteScanline(t, row, (uint32_t)y, 0);
		}
		TIFFClose(t);
		write_png(png, W, H, 16, PNG_COLOR_TYPE_GRAY, (const uint8_t *)shifted, (size_t)W * 2, NULL, 0);
		a = load(tif, 1, 0, 0, NULL);
		b = load(png, 1, 0, 0, NULL);
		a8 = load(tif, 0, 0, 0, NULL);
		b8 = load(png, 0, 0, 0, NULL);
		ok = a && b && maxdiff(a, b, NULL) == 0 && a->value_offset == 32768 && a->win_lo == b->win_lo;
		tap_ok(ok && maxdiff(a8, b8, NULL) == 0, "signed 16-bit samples are kept in order (the sign bit flipped), at 16 bits and at 8");
		if (ok) {
			view_init(&v, W, H, W, H, 1, 1);
			view_window_describe(&v, a, buf, sizeof(buf));
			tap_ok(!strcmp(buf, "W -985..1009"), "the window is told in the file's values: %s", buf);
		}
		img_free(a);
		img_free(b);
		img_free(a8);
		img_free(b8);
		free(shifted);
		unlink(tif);
		unlink(png);
		free(tif);
		free(png);
	}

	/* A TIFF whose name says PNG. */
	{
		char *tif = xasprintf("%s/named.png", dir);
		struct kind k = { "RGB 8", 8, 3, PHOTOMETRIC_RGB, 0, 0, 0, COMPRESSION_NONE, 0, 0, 0, 0 };
		uint8_t *px = make_pixels(&k, 0);
		struct img *im;

		write_tiff(tif, &k, px);
		im = load(tif, 0, 0, 0, NULL);
		tap_ok(im && im->w == W && !memcmp(im->rgb, px, (size_t)W * H * 3), "a TIFF is known by its content, not its name");
		img_free(im);
		unlink(tif);
		free(tif);
		free(px);
	}
	rmdir(dir);
	return tap_done();
}
