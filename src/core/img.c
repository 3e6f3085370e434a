/* img.c: the image type, its limits, orientation and area-averaging scaler; img_load picks the
 * decoder from the file's first bytes. */
#include "config.h"

#include "img.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "imgdec.h"
#include "xalloc.h"

void img_limits_default(struct img_limits *lim)
{
	lim->max_pixels = IMG_DEFAULT_MAX_PIXELS;
	lim->max_side = IMG_DEFAULT_MAX_SIDE;
	lim->max_file_bytes = IMG_DEFAULT_MAX_FILE_BYTES;
}

void img_load_opts_default(struct img_load_opts *opts)
{
	img_limits_default(&opts->limits);
	opts->fit_w = 0;
	opts->fit_h = 0;
}

int img_check_limits(const struct img_limits *lim, const char *path, uint64_t w, uint64_t h,
    char **cause)
{
	if (w == 0 || h == 0)
		return err_set(cause, "%s: image has no pixels (%llux%llu)", path,
		    (unsigned long long)w, (unsigned long long)h);
	if (w > lim->max_side || h > lim->max_side)
		return err_set(cause, "%s: image is %llux%llu, larger than the limit of %u pixels a side",
		    path, (unsigned long long)w, (unsigned long long)h, lim->max_side);
	if (w * h > lim->max_pixels) {
		if (lim->max_pixels < 100000)
			return err_set(cause, "%s: image is %llux%llu (%llu pixels), over the limit of %llu pixels", path,
			    (unsigned long long)w, (unsigned long long)h, (unsigned long long)(w * h),
			    (unsigned long long)lim->max_pixels);
		return err_set(cause, "%s: image is %llux%llu (%.1f megapixels), over the limit of %.1f megapixels",
		    path, (unsigned long long)w, (unsigned long long)h, (double)(w * h) / 1e6,
		    (double)lim->max_pixels / 1e6);
	}
	return 0;
}

struct img *img_new(int w, int h, char **cause)
{
	struct img *im;

	if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > SIZE_MAX / 3) {
		err_set(cause, "impossible image size %dx%d", w, h);
		return NULL;
	}
	im = xcalloc(1, sizeof(*im));
	im->w = w;
	im->h = h;
	im->src_w = w;
	im->src_h = h;
	im->orientation = 1;
	im->rgb = xcalloc((size_t)w * (size_t)h, 3);
	return im;
}

void img_free(struct img *im)
{
	if (!im)
		return;
	free(im->rgb);
	free(im);
}

enum kind { KIND_NONE, KIND_JPEG, KIND_PNG };

/* Opens path and tells its format by its first bytes, checking the file against the limits. */
static FILE *open_image(const char *path, const struct img_limits *lim, enum kind *kind, char **cause)
{
	static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	unsigned char magic[8];
	struct stat st;
	size_t got;
	FILE *fp;

	*kind = KIND_NONE;
	fp = fopen(path, "rb");
	if (!fp) {
		err_set(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &st) != 0) {
		err_set(cause, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err_set(cause, "%s: is a directory, not an image", path);
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > lim->max_file_bytes) {
		err_set(cause, "%s: file is %llu bytes, over the limit of %llu", path,
		    (unsigned long long)st.st_size, (unsigned long long)lim->max_file_bytes);
		goto fail;
	}
	got = fread(magic, 1, sizeof(magic), fp);
	if (got == 0) {
		err_set(cause, "%s: empty file, not an image", path);
		goto fail;
	}
	rewind(fp);
	if (got >= 3 && magic[0] == 0xff && magic[1] == 0xd8 && magic[2] == 0xff)
		*kind = KIND_JPEG;
	else if (got == sizeof(png_sig) && memcmp(magic, png_sig, sizeof(png_sig)) == 0)
		*kind = KIND_PNG;
	else {
		err_set(cause, "%s: unsupported image format (pxlabel reads PNG and JPEG)", path);
		goto fail;
	}
	return fp;
fail:
	fclose(fp);
	return NULL;
}

struct img *img_load(const char *path, const struct img_load_opts *opts, char **cause)
{
	struct img *im;
	enum kind kind;
	FILE *fp = open_image(path, &opts->limits, &kind, cause);

	if (!fp)
		return NULL;
	im = kind == KIND_JPEG ? imgdec_jpeg(fp, path, opts, cause) : imgdec_png(fp, path, opts, cause);
	fclose(fp);
	return im;
}

int img_probe_info(const char *path, const struct img_limits *lim, struct img_info *info, char **cause)
{
	enum kind kind;
	FILE *fp = open_image(path, lim, &kind, cause);
	int rc;

	if (!fp)
		return -1;
	info->jpeg = kind == KIND_JPEG;
	rc = kind == KIND_JPEG ? imgdec_jpeg_probe(fp, path, lim, info, cause)
			       : imgdec_png_probe(fp, path, lim, info, cause);
	fclose(fp);
	return rc;
}

int img_probe(const char *path, const struct img_limits *lim, int *w, int *h, char **cause)
{
	struct img_info info;

	if (img_probe_info(path, lim, &info, cause) != 0)
		return -1;
	*w = info.w;
	*h = info.h;
	return 0;
}

/* Where upright pixel (x, y) of an image stored as sw x sh comes from, for each orientation. */
static size_t orient_src(int o, int x, int y, int sw, int sh)
{
	int sx, sy;

	switch (o) {
	case 2: sx = sw - 1 - x; sy = y; break;
	case 3: sx = sw - 1 - x; sy = sh - 1 - y; break;
	case 4: sx = x; sy = sh - 1 - y; break;
	case 5: sx = y; sy = x; break;
	case 6: sx = y; sy = sh - 1 - x; break;
	case 7: sx = sw - 1 - y; sy = sh - 1 - x; break;
	case 8: sx = sw - 1 - y; sy = x; break;
	default: sx = x; sy = y; break;
	}
	return ((size_t)sy * (size_t)sw + (size_t)sx) * 3;
}

void img_orient(struct img *im, int orientation)
{
	int sw = im->w, sh = im->h, dw, dh, x, y;
	uint8_t *dst, *d;

	if (orientation < 2 || orientation > 8)
		return;
	dw = orientation >= 5 ? sh : sw;
	dh = orientation >= 5 ? sw : sh;
	dst = xmalloc((size_t)dw * (size_t)dh * 3);
	d = dst;
	for (y = 0; y < dh; y++) {
		for (x = 0; x < dw; x++) {
			const uint8_t *s = im->rgb + orient_src(orientation, x, y, sw, sh);

			*d++ = s[0];
			*d++ = s[1];
			*d++ = s[2];
		}
	}
	free(im->rgb);
	im->rgb = dst;
	im->w = dw;
	im->h = dh;
	if (orientation >= 5) {
		int t = im->src_w;

		im->src_w = im->src_h;
		im->src_h = t;
	}
	im->orientation = orientation;
}

void img_fit(int sw, int sh, int bw, int bh, int *w, int *h)
{
	/* Compare sw/sh with bw/bh without rounding error: the binding side fills the box. */
	if ((uint64_t)sw * (uint64_t)bh >= (uint64_t)bw * (uint64_t)sh) {
		*w = bw;
		*h = (int)(((uint64_t)sh * (uint64_t)bw + (uint64_t)sw / 2) / (uint64_t)sw);
	} else {
		*h = bh;
		*w = (int)(((uint64_t)sw * (uint64_t)bh + (uint64_t)sh / 2) / (uint64_t)sh);
	}
	if (*w < 1)
		*w = 1;
	if (*h < 1)
		*h = 1;
}

/* Weights of the source samples that each destination sample covers, with source pixel i
 * spanning [i*dn, (i+1)*dn) and destination pixel j spanning [j*sn, (j+1)*sn): integers, so the
 * average is exact. Weights of one destination sample sum to sn. */
struct taps {
	int *first;  /* per destination: first source index */
	int *count;  /* per destination: number of source samples */
	uint32_t *w; /* per destination: count weights, at offset[j] */
	int *offset;
};

static void taps_make(struct taps *t, int sn, int dn)
{
	int j, total = 0;

	t->first = xmalloc(sizeof(int) * (size_t)dn);
	t->count = xmalloc(sizeof(int) * (size_t)dn);
	t->offset = xmalloc(sizeof(int) * (size_t)dn);
	for (j = 0; j < dn; j++) {
		uint64_t lo = (uint64_t)j * (uint64_t)sn, hi = lo + (uint64_t)sn;
		int i0 = (int)(lo / (uint64_t)dn), i1 = (int)((hi + (uint64_t)dn - 1) / (uint64_t)dn);

		t->first[j] = i0;
		t->count[j] = i1 - i0;
		t->offset[j] = total;
		total += i1 - i0;
	}
	t->w = xmalloc(sizeof(uint32_t) * (size_t)total);
	for (j = 0; j < dn; j++) {
		uint64_t lo = (uint64_t)j * (uint64_t)sn, hi = lo + (uint64_t)sn;
		int k;

		for (k = 0; k < t->count[j]; k++) {
			uint64_t a = (uint64_t)(t->first[j] + k) * (uint64_t)dn, b = a + (uint64_t)dn;

			if (a < lo)
				a = lo;
			if (b > hi)
				b = hi;
			t->w[t->offset[j] + k] = (uint32_t)(b - a);
		}
	}
}

static void taps_free(struct taps *t)
{
	free(t->first);
	free(t->count);
	free(t->offset);
	free(t->w);
}

struct img *img_scale(const struct img *src, int dw, int dh)
{
	struct taps tx, ty;
	uint32_t *row; /* one source row reduced horizontally: dw * 3 sums of weight sw */
	uint64_t *acc; /* dw * 3 sums of weight sw * sh */
	struct img *dst;
	uint64_t total;
	int x, y, k, c;

	dst = img_new(dw, dh, NULL);
	if (!dst)
		return NULL;
	dst->src_w = src->src_w;
	dst->src_h = src->src_h;
	dst->orientation = src->orientation;
	taps_make(&tx, src->w, dw);
	taps_make(&ty, src->h, dh);
	row = xmalloc(sizeof(*row) * (size_t)dw * 3);
	acc = xmalloc(sizeof(*acc) * (size_t)dw * 3);
	total = (uint64_t)src->w * (uint64_t)src->h;
	for (y = 0; y < dh; y++) {
		memset(acc, 0, sizeof(*acc) * (size_t)dw * 3);
		for (k = 0; k < ty.count[y]; k++) {
			const uint8_t *s = src->rgb + (size_t)(ty.first[y] + k) * (size_t)src->w * 3;
			uint32_t wy = ty.w[ty.offset[y] + k];

			for (x = 0; x < dw; x++) {
				const uint32_t *wx = tx.w + tx.offset[x];
				const uint8_t *p = s + (size_t)tx.first[x] * 3;
				uint32_t r = 0, g = 0, b = 0;
				int n;

				for (n = 0; n < tx.count[x]; n++, p += 3) {
					r += wx[n] * p[0];
					g += wx[n] * p[1];
					b += wx[n] * p[2];
				}
				row[x * 3] = r;
				row[x * 3 + 1] = g;
				row[x * 3 + 2] = b;
			}
			for (x = 0; x < dw * 3; x++)
				acc[x] += (uint64_t)row[x] * wy;
		}
		for (x = 0; x < dw; x++)
			for (c = 0; c < 3; c++)
				dst->rgb[((size_t)y * (size_t)dw + (size_t)x) * 3 + (size_t)c] =
				    (uint8_t)((acc[x * 3 + c] + total / 2) / total);
	}
	free(row);
	free(acc);
	taps_free(&tx);
	taps_free(&ty);
	return dst;
}
