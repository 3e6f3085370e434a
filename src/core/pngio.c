/* pngio.c: reading photos and masks with libpng; writing masks (8-bit ones without it). */
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
#include "rledeflate.h"
#include "sbuf.h"
#include "xalloc.h"

struct perr {
	char msg[256];
};

static void on_error(png_structp png, png_const_charp msg)
{
	struct perr *e = png_get_error_ptr(png);

	snprintf(e->msg, sizeof(e->msg), "%s", msg);
	png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg)
{
	/* Bad ancillary chunks (an iCCP profile libpng dislikes) do not stop a viewer either. */
	(void)png;
	(void)msg;
}

/* Transparent pixels are laid over a checkerboard, as image editors show them, so that what
 * is and is not there stays visible under the overlay. */
static void composite(uint8_t *dst, const uint8_t *rgba, int w, int y)
{
	int x;

	for (x = 0; x < w; x++, rgba += 4, dst += 3) {
		unsigned a = rgba[3], bg = (((x >> 3) ^ (y >> 3)) & 1) ? 153 : 102, c;

		for (c = 0; c < 3; c++)
			dst[c] = (uint8_t)((rgba[c] * a + bg * (255 - a) + 127) / 255);
	}
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

	perr.msg[0] = '\0';
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &perr, on_error, on_warning);
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
	png_set_expand(png);
	png_set_scale_16(png);
	if (!(ctype & PNG_COLOR_MASK_COLOR))
		png_set_gray_to_rgb(png);
	passes = png_set_interlace_handling(png);
	png_read_update_info(png, info);
	channels = png_get_channels(png, info);
	if ((channels != 3 && channels != 4) || png_get_rowbytes(png, info) != (size_t)w * (size_t)channels) {
		err_set(cause, "%s: unsupported PNG layout", path);
		goto out;
	}
	im = img_new((int)w, (int)h, cause);
	if (!im)
		goto out;
	if (channels == 3) {
		rows = xmalloc(sizeof(png_bytep) * h);
		for (y = 0; y < h; y++)
			rows[y] = im->rgb + (size_t)y * w * 3;
		png_read_image(png, rows);
	} else {
		/* Interlaced passes revisit every row, so RGBA must be kept whole; otherwise one row. */
		size_t nrows = passes > 1 ? h : 1;

		rgba = xmalloc((size_t)w * 4 * nrows);
		if (passes > 1) {
			rows = xmalloc(sizeof(png_bytep) * h);
			for (y = 0; y < h; y++)
				rows[y] = rgba + (size_t)y * w * 4;
			png_read_image(png, rows);
			for (y = 0; y < h; y++)
				composite(im->rgb + (size_t)y * w * 3, rows[y], (int)w, (int)y);
		} else {
			for (pass = 0; pass < passes; pass++) {
				for (y = 0; y < h; y++) {
					png_read_row(png, rgba, NULL);
					composite(im->rgb + (size_t)y * w * 3, rgba, (int)w, (int)y);
				}
			}
		}
	}
	/* eXIf may follow the image data; a file cut short before IEND is truncated all the same. */
	png_read_end(png, info);
	if (png_get_eXIf_1(png, info, &nexif, &exif) && exif && nexif > 0)
		img_orient(im, imgdec_exif_orientation(exif, nexif));
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
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &perr, on_error, on_warning);
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
	ii->w = (int)(o >= 5 ? h : w);
	ii->h = (int)(o >= 5 ? w : h);
	rc = 0;
out:
	png_destroy_read_struct(&png, info ? &info : NULL, NULL);
	return rc;
}

/* The libpng writer: rows come from px. */
enum wkind { W_GRAY16, W_RGB8 }; /* 8-bit masks: write_mask8 */

static int write_png(const char *path, const void *px, int w, int h, enum wkind kind, char **cause)
{
	png_structp png = NULL;
	png_infop info = NULL;
	struct perr perr;
	struct afile af;
	volatile int ok = 0, opened = 0;
	uint8_t *volatile row16 = NULL;
	size_t bpp = kind == W_GRAY16 ? 2 : 3;
	int y;

	if (w <= 0 || h <= 0 || w > 0x7fffffff / 3)
		return err_set(cause, "%s: impossible mask size %dx%d", path, w, h);
	if (afile_open(&af, path, cause) != 0)
		return -1;
	opened = 1;
	perr.msg[0] = '\0';
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &perr, on_error, on_warning);
	if (!png || !(info = png_create_info_struct(png))) {
		err_set(cause, "%s: cannot start the PNG encoder", path);
		goto out;
	}
	if (setjmp(png_jmpbuf(png))) {
		err_set(cause, "%s: PNG encoding failed: %s", path, perr.msg);
		goto out;
	}
	png_init_io(png, af.fp);
	/* Masks are long runs of one value: fast deflate with no filter is both small and quick,
	 * which matters because the annotator saves after every edit. */
	png_set_compression_level(png, 1);
	/* Run-length deflate: as small as the default for masks, at a fraction of the time. */
	if (kind != W_RGB8)
		png_set_compression_strategy(png, 3 /* Z_RLE */);
	png_set_filter(png, 0, PNG_ALL_FILTERS);
	if (kind == W_GRAY16)
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 16, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
		    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	else
		png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	if (kind == W_GRAY16)
		row16 = xmalloc((size_t)w * 2);
	for (y = 0; y < h; y++) {
		const uint8_t *src = (const uint8_t *)px + (size_t)y * (size_t)w * bpp;

		if (kind == W_GRAY16) {
			/* PNG is big-endian whatever the host is. */
			const uint16_t *s16 = (const uint16_t *)src;
			int x;

			for (x = 0; x < w; x++) {
				row16[2 * x] = (uint8_t)(s16[x] >> 8);
				row16[2 * x + 1] = (uint8_t)s16[x];
			}
			png_write_row(png, row16);
		} else {
			png_write_row(png, src);
		}
	}
	png_write_end(png, info);
	ok = 1;
out:
	png_destroy_write_struct(&png, info ? &info : NULL);
	free(row16);
	if (opened) {
		if (ok)
			return afile_commit(&af, cause);
		afile_abort(&af);
	}
	return -1;
}

/* ---- 8-bit masks without libpng ---------------------------------------------------------- */

static uint32_t crc_table[256];

static uint32_t crc32_update(uint32_t crc, const uint8_t *p, size_t n)
{
	if (!crc_table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
			crc_table[i] = c;
		}
	}
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static int put_chunk(FILE *fp, const char *type, const void *data, size_t n)
{
	uint8_t head[8], tail[4];
	uint32_t crc;

	put32(head, (uint32_t)n);
	memcpy(head + 4, type, 4);
	crc = crc32_update(0, head + 4, 4);
	crc = crc32_update(crc, data, n);
	put32(tail, crc);
	return fwrite(head, 1, 8, fp) == 8 && fwrite(data, 1, n, fp) == n && fwrite(tail, 1, 4, fp) == 4 ? 0 : -1;
}

/* IDAT chunks go out whenever this much compressed data is waiting: memory stays small
 * whatever the image's size. */
#define IDAT_BYTES (1 << 16)

/* The first index from x on where ids holds another id than id; four at a time where a
 * 64-bit load can compare them. */
static size_t id_run_end(const uint16_t *ids, size_t x, size_t n, uint16_t id)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
	uint64_t pattern = 0x0001000100010001ull * id, v;

	while (x + 4 <= n) {
		memcpy(&v, ids + x, 8);
		v ^= pattern;
		if (v)
			return x + (size_t)(__builtin_ctzll(v) >> 4);
		x += 4;
	}
#endif
	while (x < n && ids[x] == id)
		x++;
	return x;
}

/* One row of map[ids[i]] as runs: a run of one id is a run of one value. */
static void mapped_row(struct rledeflate *z, const uint16_t *ids, const uint8_t *map, int w)
{
	size_t x = 0, e, n = (size_t)w;

	while (x < n) {
		e = id_run_end(ids, x + 1, n, ids[x]);
		rledeflate_run(z, map[ids[x]], e - x);
		x = e;
	}
}

/* 8-bit palette (palette != NULL) or grey mask PNGs, the files the annotator saves after each
 * edit and exports write by the thousand: pixel i is px[i], or map[ids[i]] when px is NULL.
 * Written here rather than through libpng so that the deflate stream comes from rledeflate:
 * the symbols libpng's zlib chose with Z_RLE and no filter, at a fraction of the time. */
static int write_mask8(const char *path, const uint8_t *px, const uint16_t *ids, const uint8_t *map, int w,
    int h, const struct pngio_rgb *palette, int npalette, char **cause)
{
	static const uint8_t signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	uint8_t ihdr[13], plte[3 * 256];
	struct rledeflate z;
	struct sbuf idat;
	struct afile af;
	int y, i, ok;

	if (w <= 0 || h <= 0 || w > 0x7fffffff / 3)
		return err_set(cause, "%s: impossible mask size %dx%d", path, w, h);
	if (palette && (npalette < 1 || npalette > 256))
		return err_set(cause, "%s: palette of %d colours", path, npalette);
	if (afile_open(&af, path, cause) != 0)
		return -1;
	put32(ihdr, (uint32_t)w);
	put32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;                 /* bit depth */
	ihdr[9] = palette ? 3 : 0;   /* colour type: palette or grey */
	ihdr[10] = ihdr[11] = ihdr[12] = 0; /* deflate, the one filter method, no interlace */
	ok = fwrite(signature, 1, 8, af.fp) == 8 && put_chunk(af.fp, "IHDR", ihdr, 13) == 0;
	if (ok && palette) {
		for (i = 0; i < npalette; i++) {
			plte[3 * i] = palette[i].r;
			plte[3 * i + 1] = palette[i].g;
			plte[3 * i + 2] = palette[i].b;
		}
		ok = put_chunk(af.fp, "PLTE", plte, (size_t)npalette * 3) == 0;
	}
	sbuf_init(&idat);
	rledeflate_init(&z, &idat);
	for (y = 0; ok && y < h; y++) {
		rledeflate_run(&z, 0, 1); /* filter type None */
		if (px)
			rledeflate_write(&z, px + (size_t)y * (size_t)w, (size_t)w);
		else
			mapped_row(&z, ids + (size_t)y * (size_t)w, map, w);
		if (idat.len >= IDAT_BYTES) {
			ok = put_chunk(af.fp, "IDAT", idat.data, idat.len) == 0;
			idat.len = 0;
		}
	}
	if (ok) {
		rledeflate_finish(&z);
		ok = put_chunk(af.fp, "IDAT", idat.data, idat.len) == 0 && put_chunk(af.fp, "IEND", "", 0) == 0;
	} else {
		rledeflate_free(&z);
	}
	sbuf_free(&idat);
	if (!ok) {
		err_set(cause, "%s: write failed: %s", path, strerror(errno));
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af, cause);
}

int pngio_write_palette8(const char *path, const uint8_t *px, int w, int h,
    const struct pngio_rgb *palette, int npalette, char **cause)
{
	return write_mask8(path, px, NULL, NULL, w, h, palette, npalette, cause);
}

int pngio_write_palette8_mapped(const char *path, const uint16_t *ids, const uint8_t map[65536], int w, int h,
    const struct pngio_rgb *palette, int npalette, char **cause)
{
	return write_mask8(path, NULL, ids, map, w, h, palette, npalette, cause);
}

int pngio_write_gray16(const char *path, const uint16_t *px, int w, int h, char **cause)
{
	return write_png(path, px, w, h, W_GRAY16, cause);
}

int pngio_write_gray8(const char *path, const uint8_t *px, int w, int h, char **cause)
{
	return write_mask8(path, px, NULL, NULL, w, h, NULL, 0, cause);
}

int pngio_write_rgb8(const char *path, const uint8_t *rgb, int w, int h, char **cause)
{
	return write_png(path, rgb, w, h, W_RGB8, cause);
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
	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &perr, on_error, on_warning);
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

			/* Later passes only fill in their own columns: start from what is there. */
			if (depth == 16) {
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
