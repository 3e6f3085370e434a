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
	opts->keep16 = 0;
	opts->alpha_black = 0;
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
	im->chans = 3;
	im->src_w = w;
	im->src_h = h;
	im->orientation = 1;
	im->rgb = xcalloc((size_t)w * (size_t)h, 3);
	return im;
}

struct img *img_new16(int w, int h, int chans, char **cause)
{
	struct img *im;

	if (w <= 0 || h <= 0 || (chans != 1 && chans != 3) ||
	    (uint64_t)w * (uint64_t)h > SIZE_MAX / 2 / (size_t)chans) {
		err_set(cause, "impossible image size %dx%d", w, h);
		return NULL;
	}
	im = xcalloc(1, sizeof(*im));
	im->w = w;
	im->h = h;
	im->chans = chans;
	im->win_lo = 0;
	im->win_hi = 65535;
	im->src_w = w;
	im->src_h = h;
	im->orientation = 1;
	im->px16 = xcalloc((size_t)w * (size_t)h * (size_t)chans, sizeof(uint16_t));
	return im;
}

void img_free(struct img *im)
{
	if (!im)
		return;
	free(im->rgb);
	free(im->alpha);
	free(im->px16);
	free(im);
}

enum kind { KIND_NONE, KIND_JPEG, KIND_PNG, KIND_TIFF };

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
	/* Classic TIFF (42) and BigTIFF (43), either byte order. */
	else if (got >= 4 && ((magic[0] == 'I' && magic[1] == 'I' && (magic[2] == 42 || magic[2] == 43) && magic[3] == 0) ||
	    (magic[0] == 'M' && magic[1] == 'M' && magic[2] == 0 && (magic[3] == 42 || magic[3] == 43))))
		*kind = KIND_TIFF;
	else {
		err_set(cause, "%s: unsupported image format (pxlabel reads PNG, JPEG and TIFF)", path);
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
	switch (kind) {
	case KIND_JPEG:
		im = imgdec_jpeg(fp, path, opts, cause);
		break;
	case KIND_TIFF:
		im = imgdec_tiff(fp, path, opts, cause);
		break;
	default:
		im = imgdec_png(fp, path, opts, cause);
		break;
	}
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
	info->tiff = kind == KIND_TIFF;
	info->bits = 8;
	switch (kind) {
	case KIND_JPEG:
		rc = imgdec_jpeg_probe(fp, path, lim, info, cause);
		break;
	case KIND_TIFF:
		rc = imgdec_tiff_probe(fp, path, lim, info, cause);
		break;
	default:
		rc = imgdec_png_probe(fp, path, lim, info, cause);
		break;
	}
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
	return (size_t)sy * (size_t)sw + (size_t)sx;
}

/* The loop for one pixel size, so that the copy is a constant-size move. */
#define ORIENT_LOOP(PS) \
	for (y = 0; y < dh; y++) \
		for (x = 0; x < dw; x++, d += (PS)) \
			memcpy(d, src + orient_src(orientation, x, y, sw, sh) * (PS), (PS))

void img_orient(struct img *im, int orientation)
{
	int sw = im->w, sh = im->h, dw, dh, x, y;
	size_t ps = im->rgb ? 3 : (size_t)im->chans * 2;
	const uint8_t *src = im->rgb ? im->rgb : (const uint8_t *)im->px16;
	uint8_t *dst, *d;

	if (orientation < 2 || orientation > 8)
		return;
	dw = orientation >= 5 ? sh : sw;
	dh = orientation >= 5 ? sw : sh;
	dst = xmalloc((size_t)dw * (size_t)dh * ps);
	d = dst;
	switch (ps) {
	case 2: ORIENT_LOOP(2); break;
	case 3: ORIENT_LOOP(3); break;
	default: ORIENT_LOOP(6); break;
	}
	if (im->alpha) {
		uint8_t *a = xmalloc((size_t)dw * (size_t)dh);

		src = im->alpha;
		d = a;
		ORIENT_LOOP(1);
		free(im->alpha);
		im->alpha = a;
		src = im->rgb ? im->rgb : (const uint8_t *)im->px16;
	}
	if (im->rgb) {
		free(im->rgb);
		im->rgb = dst;
	} else {
		free(im->px16);
		im->px16 = (uint16_t *)(void *)dst;
	}
	im->w = dw;
	im->h = dh;
	if (orientation >= 5) {
		int t = im->src_w;

		im->src_w = im->src_h;
		im->src_h = t;
	}
	im->orientation = orientation;
}

void img_drop_opaque_alpha(struct img *im)
{
	size_t i, n = (size_t)im->w * (size_t)im->h;

	if (!im->alpha)
		return;
	for (i = 0; i < n; i++)
		if (im->alpha[i] != 255)
			return;
	free(im->alpha);
	im->alpha = NULL;
}

/* What pixel i shows over black, from what it shows over the checkerboard: rgb = (c a + g (255 -
 * a)) / 255 over the checker's grey g, and c a / 255 is what black shows. */
static void over_black_px(const struct img *im, size_t i, int x, int y, int out[3])
{
	int a = im->alpha[i], g = (int)img_checker(x, y) * (255 - a), c;

	for (c = 0; c < 3; c++) {
		int v = ((int)im->rgb[i * 3 + c] * 255 - g + 127) / 255;

		out[c] = v < 0 ? 0 : v > 255 ? 255 : v;
	}
}

struct img *img_flatten(const struct img *im, const uint8_t bg[3])
{
	struct img *out;
	size_t i, n;
	int x, y;

	if (!im->alpha || !im->rgb)
		return NULL;
	out = xcalloc(1, sizeof(*out));
	*out = *im;
	out->alpha = NULL;
	n = (size_t)im->w * (size_t)im->h;
	out->rgb = xmalloc(n * 3);
	for (y = 0, i = 0; y < im->h; y++)
		for (x = 0; x < im->w; x++, i++) {
			int v[3], c, a = im->alpha[i];

			over_black_px(im, i, x, y, v);
			for (c = 0; c < 3; c++) {
				int o = v[c] + (bg[c] * (255 - a) + 127) / 255;

				out->rgb[i * 3 + c] = (uint8_t)(o > 255 ? 255 : o);
			}
		}
	return out;
}

void img_unused_colour(const struct img *im, uint8_t bg[3])
{
	uint64_t near[8] = { 0 };
	size_t i;
	int x, y, k, best = 0;

	bg[0] = bg[1] = bg[2] = 0;
	if (!im->alpha || !im->rgb)
		return;
	for (y = 0, i = 0; y < im->h; y++)
		for (x = 0; x < im->w; x++, i++) {
			int v[3], a = im->alpha[i];

			if (a < 128)
				continue;
			over_black_px(im, i, x, y, v);
			/* Near a corner: every channel of the straight colour within 64 of it. */
			for (k = 0; k < 8; k++) {
				int c, in = 1;

				for (c = 0; c < 3 && in; c++) {
					int straight = v[c] * 255 / a, corner = (k >> c) & 1 ? 255 : 0;

					in = abs(straight - corner) <= 64;
				}
				near[k] += (uint64_t)in;
			}
		}
	for (k = 1; k < 8; k++)
		if (near[k] < near[best])
			best = k;
	for (k = 0; k < 3; k++)
		bg[k] = (best >> k) & 1 ? 255 : 0;
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

struct img_shrink {
	struct img *dst;
	int sw, sh, n;   /* n: samples a pixel */
	struct taps tx, ty;
	int y;           /* the next source row */
	int nring;       /* destination rows open at once, at most */
	uint64_t *row;   /* one source row reduced horizontally: dw * n sums of weight sw */
	uint64_t *acc;   /* nring rows of dw * n sums of weight sw * sh, row j at j % nring */
	uint64_t total;
};

struct img_shrink *img_shrink_new(int sw, int sh, struct img *dst)
{
	struct img_shrink *s = xcalloc(1, sizeof(*s));
	size_t rowlen;

	s->dst = dst;
	s->sw = sw;
	s->sh = sh;
	s->n = dst->chans;
	taps_make(&s->tx, sw, dst->w);
	taps_make(&s->ty, sh, dst->h);
	/* Source row y spans [y*dh, (y+1)*dh), destination row j [j*sh, (j+1)*sh): one source row
	 * meets at most ceil(dh/sh) + 1 destination rows. */
	s->nring = (dst->h + sh - 1) / sh + 1;
	if (s->nring > dst->h)
		s->nring = dst->h;
	rowlen = (size_t)dst->w * (size_t)s->n;
	s->row = xreallocarray(NULL, rowlen, sizeof(*s->row));
	s->acc = xcalloc(rowlen * (size_t)s->nring, sizeof(*s->acc));
	s->total = (uint64_t)sw * (uint64_t)sh;
	return s;
}

void img_shrink_row(struct img_shrink *s, const void *row)
{
	struct img *d = s->dst;
	size_t rowlen = (size_t)d->w * (size_t)s->n;
	int x, k, n = s->n, y = s->y, j, jfirst, jlast;

	if (y >= s->sh)
		return;
	s->y++;
	for (x = 0; x < d->w; x++) {
		const uint32_t *wx = s->tx.w + s->tx.offset[x];
		uint64_t *out = s->row + (size_t)x * (size_t)n;

		if (d->rgb) {
			const uint8_t *p = (const uint8_t *)row + (size_t)s->tx.first[x] * 3;
			uint32_t r = 0, g = 0, b = 0;

			for (k = 0; k < s->tx.count[x]; k++, p += 3) {
				r += wx[k] * p[0];
				g += wx[k] * p[1];
				b += wx[k] * p[2];
			}
			out[0] = r;
			out[1] = g;
			out[2] = b;
		} else if (n == 1) {
			const uint16_t *p = (const uint16_t *)row + s->tx.first[x];
			uint64_t v = 0;

			for (k = 0; k < s->tx.count[x]; k++)
				v += (uint64_t)wx[k] * p[k];
			out[0] = v;
		} else {
			const uint16_t *p = (const uint16_t *)row + (size_t)s->tx.first[x] * 3;
			uint64_t r = 0, g = 0, b = 0;

			for (k = 0; k < s->tx.count[x]; k++, p += 3) {
				r += (uint64_t)wx[k] * p[0];
				g += (uint64_t)wx[k] * p[1];
				b += (uint64_t)wx[k] * p[2];
			}
			out[0] = r;
			out[1] = g;
			out[2] = b;
		}
	}
	jfirst = (int)((uint64_t)y * (uint64_t)d->h / (uint64_t)s->sh);
	jlast = (int)(((uint64_t)(y + 1) * (uint64_t)d->h + (uint64_t)s->sh - 1) / (uint64_t)s->sh) - 1;
	if (jlast >= d->h)
		jlast = d->h - 1;
	for (j = jfirst; j <= jlast; j++) {
		uint64_t *acc = s->acc + (size_t)(j % s->nring) * rowlen;
		uint64_t wy = s->ty.w[s->ty.offset[j] + (y - s->ty.first[j])];
		size_t i;

		for (i = 0; i < rowlen; i++)
			acc[i] += s->row[i] * wy;
		if (y != s->ty.first[j] + s->ty.count[j] - 1)
			continue;
		/* Row j has all its source rows: out it goes, and its sums start again at 0. */
		if (d->rgb) {
			uint8_t *o = d->rgb + (size_t)j * rowlen;

			for (i = 0; i < rowlen; i++)
				o[i] = (uint8_t)((acc[i] + s->total / 2) / s->total);
		} else {
			uint16_t *o = d->px16 + (size_t)j * rowlen;

			for (i = 0; i < rowlen; i++)
				o[i] = (uint16_t)((acc[i] + s->total / 2) / s->total);
		}
		memset(acc, 0, rowlen * sizeof(*acc));
	}
}

void img_shrink_free(struct img_shrink *s)
{
	if (!s)
		return;
	taps_free(&s->tx);
	taps_free(&s->ty);
	free(s->row);
	free(s->acc);
	free(s);
}

struct img *img_scale(const struct img *src, int dw, int dh)
{
	struct img_shrink *s;
	struct img *dst;
	size_t rowlen = (size_t)src->w * (size_t)src->chans;
	int y;

	dst = src->rgb ? img_new(dw, dh, NULL) : img_new16(dw, dh, src->chans, NULL);
	if (!dst)
		return NULL;
	dst->src_w = src->src_w;
	dst->src_h = src->src_h;
	dst->orientation = src->orientation;
	dst->win_lo = src->win_lo;
	dst->win_hi = src->win_hi;
	dst->value_offset = src->value_offset;
	s = img_shrink_new(src->w, src->h, dst);
	for (y = 0; y < src->h; y++) {
		if (src->rgb)
			img_shrink_row(s, src->rgb + (size_t)y * rowlen);
		else
			img_shrink_row(s, src->px16 + (size_t)y * rowlen);
	}
	img_shrink_free(s);
	return dst;
}

void img_window_from_hist(const uint32_t hist[65536], uint64_t n, int *lo, int *hi)
{
	/* The samples of ranks k and n-1-k in sorted order, k the 0.5% of n. */
	uint64_t k = n * 5 / 1000, cum = 0;
	int v, l = -1, h = -1;

	if (n == 0) {
		*lo = 0;
		*hi = 65535;
		return;
	}
	for (v = 0; v < 65536; v++) {
		cum += hist[v];
		if (l < 0 && cum > k)
			l = v;
		if (cum > n - 1 - k) {
			h = v;
			break;
		}
	}
	if (l < 0 || h < 0) /* a histogram that holds fewer than n samples */
		l = h = 0;
	if (h <= l) {
		/* (Nearly) one value: it shows mid-grey, neither lost in black nor in white. */
		*lo = l - 1;
		*hi = l + 1;
		return;
	}
	*lo = l;
	*hi = h;
}

void img_window_auto(struct img *im)
{
	uint32_t *hist;
	size_t i, n;

	if (!im->px16)
		return;
	n = (size_t)im->w * (size_t)im->h * (size_t)im->chans;
	hist = xcalloc(65536, sizeof(*hist));
	for (i = 0; i < n; i++)
		hist[im->px16[i]]++;
	img_window_from_hist(hist, n, &im->win_lo, &im->win_hi);
	free(hist);
}

struct img *img_to_rgb8(const struct img *im, int lo, int hi)
{
	struct img *out = img_new(im->w, im->h, NULL);
	size_t i, n = (size_t)im->w * (size_t)im->h;

	if (!out)
		return NULL;
	out->src_w = im->src_w;
	out->src_h = im->src_h;
	out->orientation = im->orientation;
	if (im->rgb) {
		memcpy(out->rgb, im->rgb, n * 3);
	} else if (im->chans == 1) {
		for (i = 0; i < n; i++)
			out->rgb[3 * i] = out->rgb[3 * i + 1] = out->rgb[3 * i + 2] = img_window8(im->px16[i], lo, hi);
	} else {
		for (i = 0; i < n * 3; i++)
			out->rgb[i] = img_window8(im->px16[i], lo, hi);
	}
	return out;
}
