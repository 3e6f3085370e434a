/* imgdec_tiff.c: TIFF through libtiff. Grey, RGB (with or without alpha) and palette at 8 and
 * 16 bits (grey and RGB signed or not), packed grey and palette at 1, 2 and 4 bits; striped or tiled, contiguous or planar;
 * any codec libtiff was built with (none, LZW, deflate, JPEG, PackBits...); the first page of a
 * multi-page file; the Orientation tag applied as EXIF's is. Other kinds (CMYK, YCbCr without
 * JPEG, old-style JPEG) go through libtiff's RGBA reader at 8 bits.
 *
 * Rows are decoded in file order (a strip's scanlines, or a row of tiles at a time), so when the
 * caller only needs a fitted size they are area-averaged as they come (img_shrink), as vips
 * does, and the full image is never held. libtiff's errors come back into *cause through
 * per-file handlers (threads may decode at once); nothing of libtiff's reaches stderr. */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <tiffio.h>

#include "err.h"
#include "imgdec.h"
#include "xalloc.h"

/* The largest tile a file may declare beyond the image's own size: tiles of small images are
 * bigger than the image (tiffcp makes 256x256 ones), a hostile file's are not a gigapixel. */
#define TIFF_TILE_SLACK_PIXELS (1u << 22)

struct terr {
	const char *path;
	char msg[256]; /* libtiff's first error, one line */
};

__attribute__((format(printf, 4, 0)))
static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	/* libtiff's row counter before the first row of a strip, in its read errors */
	static const char unset_row[] = " at scanline 4294967295";
	struct terr *e = user;
	size_t n = strlen(e->path);
	char *p;

	(void)tif;
	(void)module; /* a function's or the file's name: our message names the file already */
	if (e->msg[0])
		return 1;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	if (!strncmp(e->msg, e->path, n) && !strncmp(e->msg + n, ": ", 2))
		memmove(e->msg, e->msg + n + 2, strlen(e->msg + n + 2) + 1);
	if ((p = strstr(e->msg, unset_row)))
		memmove(p, p + sizeof(unset_row) - 1, strlen(p + sizeof(unset_row) - 1) + 1);
	for (p = e->msg; *p; p++)
		if (*p == '\n' || *p == '\r' || *p == '\t')
			*p = ' ';
	return 1;
}

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
	/* Unknown tags and odd but readable fields: a viewer shows these files, so do we. */
	(void)tif;
	(void)user;
	(void)module;
	(void)fmt;
	(void)ap;
	return 1;
}

/* libtiff's global handlers print to stderr. Every handle here has its own, which take
 * precedence; the global ones are silenced too, for anything reported outside a handle. */
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void quiet_globals(void)
{
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
}

/* I/O on the caller's FILE, which stays open (close does nothing). */
static tmsize_t io_read(thandle_t h, void *buf, tmsize_t n)
{
	return n < 0 ? -1 : (tmsize_t)fread(buf, 1, (size_t)n, (FILE *)h);
}

static tmsize_t io_write(thandle_t h, void *buf, tmsize_t n)
{
	(void)h;
	(void)buf;
	(void)n;
	return -1;
}

static toff_t io_seek(thandle_t h, toff_t off, int whence)
{
	FILE *fp = h;

	if (off > (toff_t)INT64_MAX || fseeko(fp, (off_t)off, whence) != 0)
		return (toff_t)-1;
	return (toff_t)ftello(fp);
}

static int io_close(thandle_t h)
{
	(void)h;
	return 0;
}

static toff_t io_size(thandle_t h)
{
	struct stat st;

	return fstat(fileno((FILE *)h), &st) == 0 ? (toff_t)st.st_size : 0;
}

static int io_map(thandle_t h, void **base, toff_t *size)
{
	(void)h;
	(void)base;
	(void)size;
	return 0;
}

static void io_unmap(thandle_t h, void *base, toff_t size)
{
	(void)h;
	(void)base;
	(void)size;
}

static TIFF *open_tiff(FILE *fp, const char *path, struct terr *e)
{
	TIFFOpenOptions *o;
	TIFF *tif;
	toff_t size = io_size(fp);

	pthread_once(&quiet_once, quiet_globals);
	e->path = path;
	e->msg[0] = '\0';
	o = TIFFOpenOptionsAlloc();
	if (!o)
		return NULL;
	TIFFOpenOptionsSetErrorHandlerExtR(o, on_error, e);
	TIFFOpenOptionsSetWarningHandlerExtR(o, on_warning, e);
	/* Whatever libtiff itself allocates (directory arrays, a compressed strip) comes from the
	 * file's bytes: a claim far beyond them is a hostile file, refused before the allocation. */
	TIFFOpenOptionsSetMaxSingleMemAlloc(o, (tmsize_t)(size + (64u << 20)));
	/* "O": strip and tile offsets are read when needed, not as one array the file declares. */
	tif = TIFFClientOpenExt(path, "rO", (thandle_t)fp, io_read, io_write, io_seek, io_close, io_size,
	    io_map, io_unmap, o);
	TIFFOpenOptionsFree(o);
	return tif;
}

static int fail_tiff(char **cause, const char *path, const struct terr *e, const char *what)
{
	return err_set(cause, "%s: corrupt or unsupported TIFF: %s", path, e->msg[0] ? e->msg : what);
}

static int orientation_of(TIFF *tif)
{
	uint16_t o = 1;

	if (!TIFFGetFieldDefaulted(tif, TIFFTAG_ORIENTATION, &o) || o < 1 || o > 8)
		return 1;
	return o;
}

int imgdec_tiff_probe(FILE *fp, const char *path, const struct img_limits *lim, struct img_info *info,
    char **cause)
{
	struct terr e;
	TIFF *tif = open_tiff(fp, path, &e);
	uint32_t w = 0, h = 0;
	uint16_t bps = 1;
	int o, rc = -1;

	if (!tif)
		return fail_tiff(cause, path, &e, "cannot read the header");
	if (!TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) || !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h)) {
		fail_tiff(cause, path, &e, "no image size");
		goto out;
	}
	if (img_check_limits(lim, path, w, h, cause) != 0)
		goto out;
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	o = orientation_of(tif);
	info->orientation = o;
	info->bits = bps;
	info->w = (int)(o >= 5 ? h : w);
	info->h = (int)(o >= 5 ? w : h);
	rc = 0;
out:
	TIFFClose(tif);
	return rc;
}

/* What the file holds and what its rows become. */
struct tdec {
	TIFF *tif;
	uint32_t w, h;
	uint16_t bps, spp;
	int ncol;      /* colour samples: 1 (grey or a palette index) or 3 (RGB) */
	int alpha;     /* 0: none; else the sample after the colour ones is alpha, */
	int assoc;     /* premultiplied (associated) when 1 */
	int palette, invert;
	unsigned flip; /* signed samples: the sign bit flipped makes them unsigned, in order */
	uint16_t *cmap[3];
	int cmap16;    /* the colour map's values are 16-bit (old writers put 8-bit ones) */
	int out16;     /* rows come out as 16-bit samples, nout a pixel; else as 8-bit RGB */
	int nout;
	uint32_t *hist; /* 16-bit: every sample that comes out, at full resolution */
	struct img *im;
	struct img_shrink *shrink;
	void *outrow;  /* a converted row on its way to the shrinker */
	uint8_t *arow; /* the row's opacities, when the image keeps them (8-bit, full size) */
	int black;     /* transparency over black (img_load_opts.alpha_black), not the checkerboard */
};

/* Transparency over the checkerboard the PNG decoder uses. */
static unsigned checker(uint32_t x, uint32_t y) { return img_checker((int)(x & 0xffff), (int)(y & 0xffff)); }

static uint8_t over8(unsigned c, unsigned a, unsigned bg, int assoc)
{
	unsigned v = assoc ? c + (bg * (255 - a) + 127) / 255 : (c * a + bg * (255 - a) + 127) / 255;

	return (uint8_t)(v > 255 ? 255 : v);
}

static uint16_t over16(uint64_t c, uint64_t a, uint64_t bg, int assoc)
{
	uint64_t v = assoc ? c + (bg * (65535 - a) + 32767) / 65535 : (c * a + bg * (65535 - a) + 32767) / 65535;

	return (uint16_t)(v > 65535 ? 65535 : v);
}

static uint8_t cmap8(const struct tdec *d, int c, unsigned i)
{
	unsigned v = d->cmap[c][i];

	return (uint8_t)(d->cmap16 ? (v + 128) / 257 : v);
}

/* One row as the file holds it (contiguous samples) to what the image keeps. */
static void convert_row(const struct tdec *d, const uint8_t *in, uint32_t y, void *outp)
{
	uint32_t x, w = d->w;
	int c, n = d->ncol, spp = d->spp;

	if (d->bps == 16 && d->out16) {
		const uint16_t *s = (const uint16_t *)(const void *)in;
		uint16_t *o = outp;

		if (!d->alpha && !d->invert && !d->flip && spp == n) {
			memcpy(o, s, (size_t)w * (size_t)n * 2);
		} else {
			for (x = 0; x < w; x++, s += spp, o += n) {
				unsigned bg = d->black ? 0 : checker(x, y) * 257;

				for (c = 0; c < n; c++) {
					unsigned v = d->invert ? 65535u - (s[c] ^ d->flip) : s[c] ^ d->flip;

					o[c] = d->alpha ? over16(v, s[n] ^ d->flip, bg, d->assoc) : (uint16_t)v;
				}
			}
		}
	} else if (d->bps == 16 || d->bps == 8) {
		uint8_t *o = outp;

		if (d->bps == 8 && !d->alpha && !d->invert && !d->flip && !d->palette && spp == 3 && n == 3) {
			memcpy(o, in, (size_t)w * 3);
		} else {
			for (x = 0; x < w; x++, o += 3) {
				unsigned v[4] = { 0 }, a = 255, bg = d->black ? 0 : checker(x, y);

				for (c = 0; c < n + (d->alpha ? 1 : 0); c++) {
					unsigned s = (d->bps == 8 ? in[(size_t)x * spp + c]
								  : ((const uint16_t *)(const void *)in)[(size_t)x * spp + c]) ^ d->flip;

					/* 16 to 8 bits rounded, as libpng's scaling does */
					v[c] = d->palette || d->bps == 8 ? s : (s + 128) / 257;
				}
				if (d->palette) {
					for (c = 0; c < 3; c++)
						o[c] = cmap8(d, c, v[0]);
					continue;
				}
				if (d->alpha) {
					a = v[n];
					if (d->arow)
						d->arow[x] = (uint8_t)a;
				}
				for (c = 0; c < n; c++) {
					if (d->invert)
						v[c] = 255 - v[c];
					if (d->alpha)
						v[c] = over8(v[c], a, bg, d->assoc);
				}
				o[0] = (uint8_t)v[0];
				o[1] = (uint8_t)v[n == 3 ? 1 : 0];
				o[2] = (uint8_t)v[n == 3 ? 2 : 0];
			}
		}
	} else {
		/* 1, 2 or 4 bits, one sample a pixel, first pixel in the high bits. */
		uint8_t *o = outp;
		unsigned bits = d->bps, mask = (1u << bits) - 1;

		for (x = 0; x < w; x++, o += 3) {
			size_t bit = (size_t)x * bits;
			unsigned v = (in[bit >> 3] >> (8 - bits - (bit & 7))) & mask;

			if (d->palette) {
				for (c = 0; c < 3; c++)
					o[c] = cmap8(d, c, v);
			} else {
				v = v * 255 / mask;
				o[0] = o[1] = o[2] = (uint8_t)(d->invert ? 255 - v : v);
			}
		}
	}
	if (d->hist) {
		const uint16_t *o = outp;
		size_t i, k = (size_t)w * (size_t)d->nout;

		for (i = 0; i < k; i++)
			d->hist[o[i]]++;
	}
}

/* The next row of the stored image, y in order from 0. */
static void emit(struct tdec *d, const uint8_t *native, uint32_t y)
{
	struct img *im = d->im;
	size_t rowlen = (size_t)d->w * (size_t)d->nout;

	if (d->shrink) {
		convert_row(d, native, y, d->outrow);
		img_shrink_row(d->shrink, d->outrow);
	} else if (im->rgb) {
		d->arow = im->alpha ? im->alpha + (size_t)y * d->w : NULL;
		convert_row(d, native, y, im->rgb + (size_t)y * rowlen);
	} else {
		convert_row(d, native, y, im->px16 + (size_t)y * rowlen);
	}
}

/* Interleaves row r of each plane's band into one contiguous row. */
static void interleave(const struct tdec *d, uint8_t *const *planes, uint32_t r, uint8_t *row)
{
	uint32_t x;
	int p, spp = d->spp;

	for (p = 0; p < spp; p++) {
		if (d->bps == 8) {
			const uint8_t *s = planes[p] + (size_t)r * d->w;

			for (x = 0; x < d->w; x++)
				row[(size_t)x * spp + p] = s[x];
		} else {
			const uint16_t *s = (const uint16_t *)(const void *)planes[p] + (size_t)r * d->w;
			uint16_t *o = (uint16_t *)(void *)row;

			for (x = 0; x < d->w; x++)
				o[(size_t)x * spp + p] = s[x];
		}
	}
}

/* Every row, decoded in the file's order: scanlines of contiguous strips, a band of strips
 * (one a plane) for planar strips, a band of tiles (one a plane when planar) for tiles. */
static int read_rows(struct tdec *d, const char *path, const struct terr *e, char **cause)
{
	TIFF *tif = d->tif;
	uint16_t planar = PLANARCONFIG_CONTIG;
	int separate, nplanes, p, rc = -1;
	uint64_t line = (uint64_t)d->w * d->spp * d->bps, bytes_px = d->bps / 8;
	size_t linebytes = (size_t)((line + 7) / 8);
	uint8_t *row = NULL, *tile = NULL, *planes[8] = { NULL };
	uint32_t y;

	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	separate = planar == PLANARCONFIG_SEPARATE && d->spp > 1;
	nplanes = separate ? d->spp : 1;
	row = xmalloc(linebytes);
	if (!TIFFIsTiled(tif) && !separate) {
		if ((uint64_t)TIFFScanlineSize64(tif) > linebytes) {
			fail_tiff(cause, path, e, "scanline size does not match the image");
			goto out;
		}
		for (y = 0; y < d->h; y++) {
			if (TIFFReadScanline(tif, row, y, 0) < 0) {
				err_set(cause, "%s: corrupt or truncated TIFF: %s", path,
				    e->msg[0] ? e->msg : "cannot read a row");
				goto out;
			}
			emit(d, row, y);
		}
	} else {
		/* Bands of rows: th (tiles) or rows-per-strip, each plane apart when planar. */
		uint32_t tw = d->w, th = 0, y0, x0, r;
		uint64_t plane_line = separate ? (uint64_t)d->w * bytes_px : linebytes, blk;

		if (TIFFIsTiled(tif)) {
			TIFFGetField(tif, TIFFTAG_TILEWIDTH, &tw);
			TIFFGetField(tif, TIFFTAG_TILELENGTH, &th);
			blk = (uint64_t)TIFFTileSize64(tif);
		} else {
			TIFFGetFieldDefaulted(tif, TIFFTAG_ROWSPERSTRIP, &th);
			if (th == 0 || th > d->h)
				th = d->h;
			blk = (uint64_t)TIFFStripSize64(tif);
		}
		if (blk == 0 || blk > (uint64_t)th * tw * (separate ? bytes_px : (uint64_t)d->spp * 2) + 16) {
			fail_tiff(cause, path, e, "tile or strip size does not match the image");
			goto out;
		}
		if (th > d->h)
			th = d->h; /* a band holds no more rows than the image */
		tile = TIFFIsTiled(tif) ? xmalloc((size_t)blk) : NULL;
		for (p = 0; p < nplanes; p++)
			planes[p] = xmalloc((size_t)(plane_line * th) + 16);
		for (y0 = 0; y0 < d->h; y0 += th) {
			uint32_t rows = d->h - y0 < th ? d->h - y0 : th;

			for (p = 0; p < nplanes; p++) {
				if (!TIFFIsTiled(tif)) {
					uint32_t strip = TIFFComputeStrip(tif, y0, (uint16_t)p);

					if (TIFFReadEncodedStrip(tif, strip, planes[p], (tmsize_t)(plane_line * rows)) < 0)
						goto read_error;
					continue;
				}
				for (x0 = 0; x0 < d->w; x0 += tw) {
					uint32_t cols = d->w - x0 < tw ? d->w - x0 : tw;
					uint64_t tline = separate ? (uint64_t)tw * bytes_px : ((uint64_t)tw * d->spp * d->bps + 7) / 8;
					uint64_t off = separate ? (uint64_t)x0 * bytes_px : (uint64_t)x0 * d->spp * d->bps / 8;
					uint64_t len = separate ? (uint64_t)cols * bytes_px : ((uint64_t)cols * d->spp * d->bps + 7) / 8;

					if (TIFFReadTile(tif, tile, x0, y0, 0, (uint16_t)p) < 0)
						goto read_error;
					for (r = 0; r < rows; r++)
						memcpy(planes[p] + r * plane_line + off, tile + r * tline, (size_t)len);
				}
			}
			for (r = 0; r < rows; r++) {
				if (separate) {
					interleave(d, planes, r, row);
					emit(d, row, y0 + r);
				} else {
					emit(d, planes[0] + r * plane_line, y0 + r);
				}
			}
		}
	}
	rc = 0;
	goto out;
read_error:
	err_set(cause, "%s: corrupt or truncated TIFF: %s", path, e->msg[0] ? e->msg : "cannot read a tile or strip");
out:
	free(row);
	free(tile);
	for (p = 0; p < nplanes; p++)
		free(planes[p]);
	return rc;
}

/* The kinds read here; 0 sends the file to libtiff's RGBA reader. */
static int own_kind(struct tdec *d, int keep16)
{
	TIFF *tif = d->tif;
	uint16_t photo, fmt = SAMPLEFORMAT_UINT, comp = COMPRESSION_NONE, planar = PLANARCONFIG_CONTIG;
	uint16_t nextra = 0, *extra = NULL;

	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLEFORMAT, &fmt);
	TIFFGetFieldDefaulted(tif, TIFFTAG_COMPRESSION, &comp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_PLANARCONFIG, &planar);
	TIFFGetFieldDefaulted(tif, TIFFTAG_EXTRASAMPLES, &nextra, &extra);
	if (!TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo))
		photo = d->spp >= 3 ? PHOTOMETRIC_RGB : PHOTOMETRIC_MINISBLACK;
	if (fmt != SAMPLEFORMAT_UINT && fmt != SAMPLEFORMAT_VOID && fmt != SAMPLEFORMAT_INT)
		return 0;
	if (photo == PHOTOMETRIC_YCBCR && comp == COMPRESSION_JPEG) {
		/* libjpeg converts to RGB (and undoes the chroma subsampling) itself. */
		if (!TIFFSetField(tif, TIFFTAG_JPEGCOLORMODE, JPEGCOLORMODE_RGB))
			return 0;
		photo = PHOTOMETRIC_RGB;
	}
	switch (photo) {
	case PHOTOMETRIC_MINISBLACK:
	case PHOTOMETRIC_MINISWHITE:
		d->ncol = 1;
		d->invert = photo == PHOTOMETRIC_MINISWHITE;
		break;
	case PHOTOMETRIC_RGB:
		d->ncol = 3;
		break;
	case PHOTOMETRIC_PALETTE:
		d->ncol = 1;
		d->palette = 1;
		if (!TIFFGetField(tif, TIFFTAG_COLORMAP, &d->cmap[0], &d->cmap[1], &d->cmap[2]))
			return 0;
		break;
	default:
		return 0;
	}
	if (d->spp < d->ncol || d->spp > 8)
		return 0;
	if (d->bps != 8 && d->bps != 16 && !(d->ncol == 1 && d->spp == 1 && (d->bps == 1 || d->bps == 2 || d->bps == 4)))
		return 0;
	if (d->bps < 8 && planar == PLANARCONFIG_SEPARATE && d->spp > 1)
		return 0;
	if (fmt == SAMPLEFORMAT_INT) {
		if (d->palette || d->bps < 8)
			return 0;
		d->flip = d->bps == 16 ? 0x8000 : 0x80;
	}
	/* The first extra sample, when it is alpha; others (and unspecified ones) are skipped. */
	if (d->spp > d->ncol && nextra > 0 && extra &&
	    (extra[0] == EXTRASAMPLE_ASSOCALPHA || extra[0] == EXTRASAMPLE_UNASSALPHA) && !d->palette) {
		d->alpha = 1;
		d->assoc = extra[0] == EXTRASAMPLE_ASSOCALPHA;
	}
	if (d->palette) {
		size_t i, n = (size_t)1 << d->bps;

		for (i = 0; i < n && !d->cmap16; i++)
			d->cmap16 = d->cmap[0][i] > 255 || d->cmap[1][i] > 255 || d->cmap[2][i] > 255;
	}
	d->out16 = keep16 && d->bps == 16 && !d->palette;
	d->nout = d->out16 ? d->ncol : 3;
	return 1;
}

/* The other kinds, through libtiff's RGBA reader (8 bits, premultiplied alpha), whole. */
static struct img *read_rgba(struct tdec *d, const char *path, struct terr *e, char **cause)
{
	TIFFRGBAImage ri;
	char emsg[1024] = "";
	uint32_t *raster = NULL;
	struct img *im = NULL;
	size_t i, n = (size_t)d->w * d->h;
	int begun = 0;

	if (!TIFFRGBAImageOK(d->tif, emsg) || !TIFFRGBAImageBegin(&ri, d->tif, 0, emsg)) {
		err_set(cause, "%s: unsupported TIFF: %s", path, emsg[0] ? emsg : e->msg);
		goto out;
	}
	begun = 1;
	/* As stored: the orientation is applied afterwards, the same way for every kind. */
	ri.req_orientation = ri.orientation;
	if (n > SIZE_MAX / 4) {
		err_set(cause, "%s: image too large", path);
		goto out;
	}
	raster = xmalloc(n * 4);
	if (!TIFFRGBAImageGet(&ri, raster, d->w, d->h)) {
		err_set(cause, "%s: corrupt or truncated TIFF: %s", path, e->msg[0] ? e->msg : "cannot read the pixels");
		goto out;
	}
	if (!(im = img_new((int)d->w, (int)d->h, cause)))
		goto out;
	if (!d->black)
		im->alpha = xmalloc(n); /* dropped after when all of it is opaque */
	for (i = 0; i < n; i++) {
		uint32_t px = raster[i], a = TIFFGetA(px);
		uint32_t bg = d->black ? 0 : checker((uint32_t)(i % d->w), (uint32_t)(i / d->w));

		if (im->alpha)
			im->alpha[i] = (uint8_t)a;

		im->rgb[3 * i] = over8(TIFFGetR(px), a, bg, 1);
		im->rgb[3 * i + 1] = over8(TIFFGetG(px), a, bg, 1);
		im->rgb[3 * i + 2] = over8(TIFFGetB(px), a, bg, 1);
	}
out:
	if (begun)
		TIFFRGBAImageEnd(&ri);
	free(raster);
	return im;
}

struct img *imgdec_tiff(FILE *fp, const char *path, const struct img_load_opts *opts, char **cause)
{
	struct terr e;
	struct tdec d;
	struct img *im = NULL;
	int o, up_w, up_h, dw, dh;
	uint64_t nsamples;

	memset(&d, 0, sizeof(d));
	d.black = opts->alpha_black;
	d.tif = open_tiff(fp, path, &e);
	if (!d.tif) {
		fail_tiff(cause, path, &e, "cannot read the header");
		return NULL;
	}
	if (!TIFFGetField(d.tif, TIFFTAG_IMAGEWIDTH, &d.w) || !TIFFGetField(d.tif, TIFFTAG_IMAGELENGTH, &d.h)) {
		fail_tiff(cause, path, &e, "no image size");
		goto out;
	}
	if (img_check_limits(&opts->limits, path, d.w, d.h, cause) != 0)
		goto out;
	TIFFGetFieldDefaulted(d.tif, TIFFTAG_BITSPERSAMPLE, &d.bps);
	TIFFGetFieldDefaulted(d.tif, TIFFTAG_SAMPLESPERPIXEL, &d.spp);
	if (TIFFIsTiled(d.tif)) {
		uint32_t tw = 0, th = 0;

		TIFFGetField(d.tif, TIFFTAG_TILEWIDTH, &tw);
		TIFFGetField(d.tif, TIFFTAG_TILELENGTH, &th);
		if (tw == 0 || th == 0 || tw % 16 || th % 16) {
			err_set(cause, "%s: corrupt TIFF: tiles of %ux%u (TIFF wants multiples of 16)", path, tw, th);
			goto out;
		}
		if ((uint64_t)tw * th > (uint64_t)d.w * d.h * 4 + TIFF_TILE_SLACK_PIXELS) {
			err_set(cause, "%s: corrupt TIFF: tiles of %ux%u for a %ux%u image", path, tw, th, d.w, d.h);
			goto out;
		}
	}
	o = orientation_of(d.tif);
	up_w = (int)(o >= 5 ? d.h : d.w);
	up_h = (int)(o >= 5 ? d.w : d.h);
	if (!own_kind(&d, opts->keep16)) {
		im = read_rgba(&d, path, &e, cause);
		if (im && opts->fit_w > 0 && opts->fit_h > 0) {
			int fw, fh;

			img_fit(up_w, up_h, opts->fit_w, opts->fit_h, &fw, &fh);
			if (fw < up_w) {
				struct img *small = img_scale(im, o >= 5 ? fh : fw, o >= 5 ? fw : fh);

				img_free(im);
				im = small;
			}
		}
		goto done;
	}

	/* The stored size to decode into: all of it, or the fitted size when that is smaller. */
	dw = (int)d.w;
	dh = (int)d.h;
	if (opts->fit_w > 0 && opts->fit_h > 0) {
		int fw, fh;

		img_fit(up_w, up_h, opts->fit_w, opts->fit_h, &fw, &fh);
		if (fw < up_w || fh < up_h) {
			dw = o >= 5 ? fh : fw;
			dh = o >= 5 ? fw : fh;
		}
	}
	im = d.out16 ? img_new16(dw, dh, d.nout, cause) : img_new(dw, dh, cause);
	if (!im)
		goto out;
	d.im = im;
	if (dw != (int)d.w || dh != (int)d.h) {
		d.shrink = img_shrink_new((int)d.w, (int)d.h, im);
		d.outrow = xreallocarray(NULL, (size_t)d.w * (size_t)d.nout, d.out16 ? 2 : 1);
	} else if (d.alpha && !d.out16 && !d.palette && !opts->alpha_black)
		im->alpha = xmalloc((size_t)d.w * d.h); /* for the tools: img_flatten */
	if (d.out16)
		d.hist = xcalloc(65536, sizeof(*d.hist));
	if (read_rows(&d, path, &e, cause) != 0) {
		img_free(im);
		im = NULL;
		goto out;
	}
	if (d.out16) {
		nsamples = (uint64_t)d.w * d.h * (uint64_t)d.nout;
		img_window_from_hist(d.hist, nsamples, &im->win_lo, &im->win_hi);
		im->value_offset = d.flip ? 32768 : 0;
	}
done:
	if (im) {
		img_drop_opaque_alpha(im);
		im->src_w = (int)d.w;
		im->src_h = (int)d.h;
		img_orient(im, o);
	}
out:
	img_shrink_free(d.shrink);
	free(d.outrow);
	free(d.hist);
	TIFFClose(d.tif);
	return im;
}
