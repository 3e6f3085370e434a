/* pngio.c: reading photos and masks and writing masks with libpng. */
#include "config.h"

#include "pngio.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

#include "afile.h"
#include "err.h"
#include "imgdec.h"
#include "xalloc.h"

struct perr {
	char msg[256];
	volatile int err; /* errno then: a write that failed says why (a full disk) */
};

static void on_error(png_structp png, png_const_charp msg)
{
	struct perr *e = png_get_error_ptr(png);

	e->err = errno;
	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	/* Bad ancillary chunks (an iCCP profile libpng dislikes) do not stop a viewer either. */
	(void)png;
	(void)msg;
}

/* libpng allocates a chunk's stated length before reading it: a 98-byte file whose eXIf chunk
 * claims 1.7 GB got 1.7 GB. No block libpng needs for an image within our limits (a row is at
 * most 65535 pixels of 8 bytes) comes near this, so a larger request is refused: a chunk then
 * gives libpng's "out of memory" (skipped, or an error naming the file), never the allocation. */
#define PNGIO_MAX_BLOCK ((png_alloc_size_t)64 << 20)

static png_voidp capped_malloc(png_structp png, png_alloc_size_t n)
{
	(void)png;
	return n > PNGIO_MAX_BLOCK ? NULL : malloc(n);
}

static void capped_free(png_structp png, png_voidp p)
{
	(void)png;
	free(p);
}

static png_structp new_reader(struct perr *perr)
{
	return png_create_read_struct_2(PNG_LIBPNG_VER_STRING, perr, on_error, on_warning, NULL, capped_malloc,
	    capped_free);
}

/* Transparent pixels are laid over a checkerboard, as image editors show them, so that what
 * is and is not there stays visible under the overlay; over black when black (a mask read as a
 * picture: transparent is nothing). */
static void composite(uint8_t *dst, uint8_t *alpha, const uint8_t *rgba, int w, int y, int black)
{
	int x;

	for (x = 0; x < w; x++, rgba += 4, dst += 3) {
		unsigned a = rgba[3], bg = black ? 0 : img_checker(x, y), c;

		for (c = 0; c < 3; c++)
			dst[c] = (uint8_t)((rgba[c] * a + bg * (255 - a) + 127) / 255);
		if (alpha)
			alpha[x] = (uint8_t)a;
	}
}

static uint8_t *alpha_row(const struct img *im, png_uint_32 y)
{
	return im->alpha ? im->alpha + (size_t)y * (size_t)im->w : NULL;
}

/* The same at 16 bits, for n samples a pixel (grey or RGB) plus alpha. */
static void composite16(uint16_t *dst, const uint16_t *px, int n, int w, int y, int black)
{
	int x, c;

	for (x = 0; x < w; x++, px += n + 1, dst += n) {
		uint64_t a = px[n], bg = black ? 0 : img_checker(x, y) * 257;

		for (c = 0; c < n; c++)
			dst[c] = (uint16_t)((px[c] * a + bg * (65535 - a) + 32767) / 65535);
	}
}

static int host_is_little_endian(void)
{
	const uint16_t one = 1;

	return *(const uint8_t *)&one == 1;
}

struct img *imgdec_png(FILE *fp, const char *path, const struct img_load_opts *opts, char **cause)
{
	png_structp png = NULL;
	png_infop info = NULL;
	struct perr perr;
	struct img *volatile im = NULL;
	uint8_t *volatile rgba = NULL;
	png_bytep *volatile rows = NULL;
	png_uint_32 w, h, y;
	int depth, ctype, interlace, channels, passes, pass;
	png_uint_32 nexif = 0;
	png_bytep exif = NULL;
	int wide;

	perr.msg[0] = '\0';
	png = new_reader(&perr);
	if (!png) {
		err_set(cause, "%s: cannot start the PNG decoder", path);
		return NULL;
	}
	info = png_create_info_struct(png);
	if (!info) {
		err_set(cause, "%s: cannot start the PNG decoder", path);
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		err_set(cause, "%s: corrupt or unsupported PNG: %s", path, perr.msg);
		img_free(im);
		im = NULL;
		goto out;
	}
	png_init_io(png, fp);
	/* The size is checked against our limits right after the header, before anything is
	 * allocated; libpng's own limit (a million a side) stays, so the message is ours. */
	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
	if (img_check_limits(&opts->limits, path, w, h, cause) != 0)
		goto out;
	/* A 16-bit PNG kept for the view: grey stays grey, at two bytes a sample in host order. */
	wide = opts->keep16 && depth == 16;
	png_set_expand(png);
	if (wide) {
		if (host_is_little_endian())
			png_set_swap(png);
	} else {
		png_set_scale_16(png);
		if (!(ctype & PNG_COLOR_MASK_COLOR))
			png_set_gray_to_rgb(png);
	}
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	channels = png_get_channels(png, info);
	if (wide) {
		int n = ctype & PNG_COLOR_MASK_COLOR ? 3 : 1;

		if ((channels != n && channels != n + 1) ||
		    png_get_rowbytes(png, info) != (size_t)w * (size_t)channels * 2) {
			err_set(cause, "%s: unsupported PNG layout", path);
			goto out;
		}
		im = img_new16((int)w, (int)h, n, cause);
		if (!im)
			goto out;
		if (channels == n) {
			rows = xmalloc(sizeof(png_bytep) * h);
			for (y = 0; y < h; y++)
				rows[y] = (png_bytep)(im->px16 + (size_t)y * w * (size_t)n);
			png_read_image(png, rows);
		} else {
			/* With alpha: all of it when interlaced (passes revisit rows), else a row. */
			size_t rowlen = (size_t)w * (size_t)channels * 2;

			rgba = xmalloc(rowlen * (passes > 1 ? h : 1));
			for (pass = 0; pass < passes; pass++) {
				for (y = 0; y < h; y++) {
					uint8_t *r = rgba + (passes > 1 ? rowlen * y : 0);

					png_read_row(png, r, NULL);
					if (pass == passes - 1)
						composite16(im->px16 + (size_t)y * w * (size_t)n, (const uint16_t *)(void *)r, n,
						    (int)w, (int)y, opts->alpha_black);
				}
			}
		}
	} else if ((channels != 3 && channels != 4) || png_get_rowbytes(png, info) != (size_t)w * (size_t)channels) {
		err_set(cause, "%s: unsupported PNG layout", path);
		goto out;
	} else if (!(im = img_new((int)w, (int)h, cause))) {
		goto out;
	} else if (channels == 3) {
		rows = xmalloc(sizeof(png_bytep) * h);
		for (y = 0; y < h; y++)
			rows[y] = im->rgb + (size_t)y * w * 3;
		png_read_image(png, rows);
	} else {
		/* Interlaced passes revisit every row, so RGBA must be kept whole; otherwise one row. */
		size_t nrows = passes > 1 ? h : 1;

		/* The opacities too, for the tools that must not see the checkerboard (img_flatten). */
		if (!opts->alpha_black)
			im->alpha = xmalloc((size_t)w * h);

		rgba = xmalloc((size_t)w * 4 * nrows);
		if (passes > 1) {
			rows = xmalloc(sizeof(png_bytep) * h);
			for (y = 0; y < h; y++)
				rows[y] = rgba + (size_t)y * w * 4;
			png_read_image(png, rows);
			for (y = 0; y < h; y++)
				composite(im->rgb + (size_t)y * w * 3, alpha_row(im, y), rows[y], (int)w, (int)y, opts->alpha_black);
		} else {
			for (pass = 0; pass < passes; pass++) {
				for (y = 0; y < h; y++) {
					png_read_row(png, rgba, NULL);
					composite(im->rgb + (size_t)y * w * 3, alpha_row(im, y), rgba, (int)w, (int)y, opts->alpha_black);
				}
			}
		}
	}
	/* eXIf may follow the image data; a file cut short before IEND is truncated all the same. */
	png_read_end(png, info);
	img_drop_opaque_alpha(im);
	if (png_get_eXIf_1(png, info, &nexif, &exif) && exif && nexif > 0)
		img_orient(im, imgdec_exif_orientation(exif, nexif));
	img_window_auto(im);
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	free(rows);
	free(rgba);
	return im;
}

int imgdec_png_probe(FILE *fp, const char *path, const struct img_limits *lim, struct img_info *ii,
    char **cause)
{
	png_structp png;
	png_infop info = NULL;
	struct perr perr;
	volatile int rc = -1;
	png_uint_32 w, h, nexif = 0;
	png_bytep exif = NULL;
	volatile int o = 1;

	perr.msg[0] = '\0';
	png = new_reader(&perr);
	if (!png || !(info = png_create_info_struct(png))) {
		err_set(cause, "%s: cannot start the PNG decoder", path);
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		err_set(cause, "%s: corrupt or unsupported PNG: %s", path, perr.msg);
		goto out;
	}
	png_init_io(png, fp);
	png_read_info(png, info);
	w = png_get_image_width(png, info);
	h = png_get_image_height(png, info);
	if (img_check_limits(lim, path, w, h, cause) != 0)
		goto out;
	/* Only an eXIf before the image data is seen here; one after it would need a full read. */
	if (png_get_eXIf_1(png, info, &nexif, &exif) && exif && nexif > 0)
		o = imgdec_exif_orientation(exif, nexif);
	ii->orientation = o;
	ii->bits = png_get_bit_depth(png, info);
	ii->w = (int)(o >= 5 ? h : w);
	ii->h = (int)(o >= 5 ? w : h);
	rc = 0;
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	return rc;
}

/* The common writer: rows come from px, or with map (W_PALETTE8 only) from map[ids[i]] with px
 * the 16-bit ids. */
enum wkind { W_PALETTE8, W_GRAY8, W_GRAY16, W_RGB8 };

/* Encodes into fp; path names the file in messages. */
static int encode_png(FILE *fp, const char *path, const void *px, const uint8_t *map, int w, int h,
    enum wkind kind, const struct pngio_rgb *palette, int npalette, char **cause)
{
	png_structp png = NULL;
	png_infop info = NULL;
	struct perr perr;
	volatile int ok = 0;
	uint8_t *volatile rowbuf = NULL;
	size_t bpp = kind == W_GRAY16 || map ? 2 : kind == W_RGB8 ? 3 : 1;
	int y;

	if (w <= 0 || h <= 0 || w > 0x7fffffff / 3)
		return err_set(cause, "%s: impossible mask size %dx%d", path, w, h);
	perr.msg[0] = '\0';
	perr.err = 0;
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &perr, on_error, on_warning);
	if (!png || !(info = png_create_info_struct(png))) {
		err_set(cause, "%s: cannot start the PNG encoder", path);
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		if (ferror(fp) && perr.err)
			err_set(cause, "%s: write failed: %s", path, strerror(perr.err));
		else
			err_set(cause, "%s: PNG encoding failed: %s", path, perr.msg);
		goto out;
	}
	png_init_io(png, fp);
	/* Masks are long runs of one value: fast deflate with no filter is both small and quick,
	 * which matters because the annotator saves after every edit. */
	png_set_compression_level(png, 1);
	/* Run-length deflate: as small as the default for masks, at a fraction of the time. */
	if (kind != W_RGB8)
		png_set_compression_strategy(png, 3 /* Z_RLE */);
	png_set_filter(png, 0, kind == W_PALETTE8 ? PNG_FILTER_NONE : PNG_ALL_FILTERS);
	switch (kind) {
	case W_PALETTE8: {
		png_color pal[256];
		int i;

		if (npalette < 1 || npalette > 256) {
			err_set(cause, "%s: palette of %d colours", path, npalette);
			goto out;
		}
		for (i = 0; i < npalette; i++) {
			pal[i].red = palette[i].r;
			pal[i].green = palette[i].g;
			pal[i].blue = palette[i].b;
		}
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_PALETTE,
		    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
		png_set_PLTE(png, info, pal, npalette);
		break;
	}
	case W_GRAY8:
	case W_GRAY16:
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, kind == W_GRAY16 ? 16 : 8,
		    PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		    PNG_FILTER_TYPE_DEFAULT);
		break;
	case W_RGB8:
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
		    PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
		break;
	}
	png_write_info(png, info);
	if (kind == W_GRAY16 || map)
		rowbuf = xmalloc((size_t)w * bpp);
	for (y = 0; y < h; y++) {
		const uint8_t *src = (const uint8_t *)px + (size_t)y * (size_t)w * bpp;

		if (map) {
			const uint16_t *ids = (const uint16_t *)src;
			uint8_t *row = rowbuf; /* not volatile: the loop keeps it in a register */
			int x;

			for (x = 0; x < w; x++)
				row[x] = map[ids[x]];
			png_write_row(png, row);
		} else if (kind == W_GRAY16) {
			/* PNG is big-endian whatever the host is. */
			const uint16_t *s16 = (const uint16_t *)src;
			int x;

			for (x = 0; x < w; x++) {
				rowbuf[2 * x] = (uint8_t)(s16[x] >> 8);
				rowbuf[2 * x + 1] = (uint8_t)s16[x];
			}
			png_write_row(png, rowbuf);
		} else {
			png_write_row(png, src);
		}
	}
	png_write_end(png, info);
	ok = 1;
out:
	png_destroy_write_struct(&png, info ? &info : NULL);
	free(rowbuf);
	return ok ? 0 : -1;
}

static int write_png(const char *path, const void *px, const uint8_t *map, int w, int h,
    enum wkind kind, const struct pngio_rgb *palette, int npalette, char **cause)
{
	struct afile af;

	if (w <= 0 || h <= 0 || w > 0x7fffffff / 3)
		return err_set(cause, "%s: impossible mask size %dx%d", path, w, h);
	if (afile_open(&af, path, cause) != 0)
		return -1;
	if (encode_png(af.fp, path, px, map, w, h, kind, palette, npalette, cause) != 0) {
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af, cause);
}

int pngio_put_palette8(FILE *fp, const char *path, const uint8_t *px, int w, int h,
    const struct pngio_rgb *palette, int npalette, char **cause)
{
	return encode_png(fp, path, px, NULL, w, h, W_PALETTE8, palette, npalette, cause);
}

int pngio_put_gray16(FILE *fp, const char *path, const uint16_t *px, int w, int h, char **cause)
{
	return encode_png(fp, path, px, NULL, w, h, W_GRAY16, NULL, 0, cause);
}

int pngio_write_palette8(const char *path, const uint8_t *px, int w, int h,
    const struct pngio_rgb *palette, int npalette, char **cause)
{
	return write_png(path, px, NULL, w, h, W_PALETTE8, palette, npalette, cause);
}

int pngio_write_palette8_mapped(const char *path, const uint16_t *ids, const uint8_t map[65536], int w,
    int h, const struct pngio_rgb *palette, int npalette, char **cause)
{
	return write_png(path, ids, map, w, h, W_PALETTE8, palette, npalette, cause);
}

int pngio_write_gray16(const char *path, const uint16_t *px, int w, int h, char **cause)
{
	return write_png(path, px, NULL, w, h, W_GRAY16, NULL, 0, cause);
}

int pngio_write_gray8(const char *path, const uint8_t *px, int w, int h, char **cause)
{
	return write_png(path, px, NULL, w, h, W_GRAY8, NULL, 0, cause);
}

int pngio_write_rgb8(const char *path, const uint8_t *rgb, int w, int h, char **cause)
{
	return write_png(path, rgb, NULL, w, h, W_RGB8, NULL, 0, cause);
}

int pngio_read_values(const char *path, const struct img_limits *lim, uint16_t **values,
    int *wp, int *hp, char **cause)
{
	png_structp png = NULL;
	png_infop info = NULL;
	struct perr perr;
	uint16_t *volatile out = NULL;
	uint8_t *volatile row = NULL;
	volatile int ok = 0;
	png_uint_32 w, h, y, x;
	int depth, ctype, interlace, passes, pass;
	FILE *fp;

	*values = NULL;
	fp = fopen(path, "rb");
	if (!fp)
		return err_set(cause, "%s: %s", path, strerror(errno));
	perr.msg[0] = '\0';
	png = new_reader(&perr);
	if (!png || !(info = png_create_info_struct(png))) {
		err_set(cause, "%s: cannot start the PNG decoder", path);
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		err_set(cause, "%s: not a readable PNG: %s", path, perr.msg);
		goto out;
	}
	png_init_io(png, fp);
	png_read_info(png, info);
	png_get_IHDR(png, info, &w, &h, &depth, &ctype, &interlace, NULL, NULL);
	if (img_check_limits(lim, path, w, h, cause) != 0)
		goto out;
	if (ctype != PNG_COLOR_TYPE_GRAY && ctype != PNG_COLOR_TYPE_PALETTE) {
		err_set(cause, "%s: a mask must be a greyscale or palette PNG", path);
		goto out;
	}
	if (depth < 8)
		png_set_packing(png);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	out = xmalloc(sizeof(uint16_t) * (size_t)w * (size_t)h);
	row = xmalloc((size_t)w * 2);
	memset(out, 0, sizeof(uint16_t) * (size_t)w * (size_t)h);
	for (pass = 0; pass < passes; pass++) {
		for (y = 0; y < h; y++) {
			uint16_t *dst = out + (size_t)y * w;

			/* Later passes of an interlaced file only fill in their own columns: start
			 * from what is there. A plain file's rows come whole: no copy (a fifth of
			 * the time agree spends reading masks). */
			if (passes == 1) {
				/* nothing there to keep */
			} else if (depth == 16) {
				for (x = 0; x < w; x++) {
					row[2 * x] = (uint8_t)(dst[x] >> 8);
					row[2 * x + 1] = (uint8_t)dst[x];
				}
			} else {
				for (x = 0; x < w; x++)
					row[x] = (uint8_t)dst[x];
			}
			png_read_row(png, row, NULL);
			if (depth == 16) {
				for (x = 0; x < w; x++)
					dst[x] = (uint16_t)(row[2 * x] << 8 | row[2 * x + 1]);
			} else {
				for (x = 0; x < w; x++)
					dst[x] = row[x];
			}
		}
	}
	png_read_end(png, NULL);
	*values = out;
	*wp = (int)w;
	*hp = (int)h;
	out = NULL;
	ok = 1;
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	fclose(fp);
	free(out);
	free(row);
	return ok ? 0 : -1;
}
