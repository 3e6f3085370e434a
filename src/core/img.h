/* img.h: decoded images (8-bit RGB, or 16-bit grey or RGB for the view, upright) and the limits
 * that guard decoding. Every consumer (preview, annotator, masks) sees the image as every viewer
 * shows it: the EXIF orientation is already applied, so mask pixel (x, y) is image pixel (x, y)
 * on screen.
 *
 * A 16-bit image keeps its values (microscopy, medical and remote-sensing data often use a
 * narrow band of them): only callers that ask for it (img_load_opts.keep16) get one, and they
 * map it to the screen through a window (img_window8). Everyone else gets 8-bit RGB. */
#ifndef PXL_IMG_H
#define PXL_IMG_H

#include <stdint.h>
#include <stddef.h>

struct img {
	int w, h;        /* size of the pixels, in pixels */
	uint8_t *rgb;    /* 8-bit images: owned; w * h * 3 bytes, rows packed, top row first.
	                    NULL for a 16-bit image */
	uint16_t *px16;  /* 16-bit images: owned; w * h * chans samples in host order, rows packed,
	                    top row first. NULL for an 8-bit image */
	int chans;       /* samples a pixel: 3 for rgb; 1 (grey) or 3 (RGB) for px16 */
	int win_lo, win_hi; /* 16-bit images: the default window, the 0.5th and 99.5th percentiles
	                       of the full-resolution samples (lo < hi; set by the decoder) */
	int value_offset; /* 16-bit images: a sample minus this is the value in the file (32768
	                     for signed samples, kept with the sign bit flipped so they sort) */
	int src_w, src_h; /* the full upright size of the image in its file (w, h may be smaller
	                     when the decoder scaled down for a preview) */
	int orientation; /* the EXIF orientation (1..8) that was applied */
	uint8_t *alpha;  /* 8-bit images with transparency: owned; w * h opacities, the rgb being
	                    those pixels over the checkerboard. NULL when every pixel is opaque */
};

/* Checked against the file's header before any pixel buffer is allocated. */
struct img_limits {
	uint64_t max_pixels;     /* width * height */
	uint32_t max_side;       /* width and height each */
	uint64_t max_file_bytes; /* size of the file on disk */
};

struct img_load_opts {
	struct img_limits limits;
	/* When not 0: the caller will fit the image into fit_w x fit_h pixels, so the decoder may
	 * decode at a reduced scale (libjpeg's DCT scaling) as long as it does not go below that
	 * fitted size. 0, 0 asks for full resolution. */
	int fit_w, fit_h;
	/* 1: a 16-bit PNG or TIFF stays 16-bit (px16), grey at 2 bytes a pixel. 0: every image
	 * comes as 8-bit RGB. */
	int keep16;
	/* 1: transparent PNG pixels are laid over black (a mask: transparent is nothing), not over
	 * the checkerboard the annotator shows. */
	int alpha_black;
};

#define IMG_DEFAULT_MAX_PIXELS (1ULL << 28)     /* 268 megapixels */
#define IMG_DEFAULT_MAX_SIDE 65535U
#define IMG_DEFAULT_MAX_FILE_BYTES (2ULL << 30) /* 2 GiB */

void img_limits_default(struct img_limits *lim);
void img_load_opts_default(struct img_load_opts *opts);

/* Checks w x h against lim; on failure fills *cause with a message naming path. */
int img_check_limits(const struct img_limits *lim, const char *path, uint64_t w, uint64_t h,
    char **cause);

/* A new 8-bit RGB image of w x h, zero-filled; NULL (with *cause) when the size is impossible. */
struct img *img_new(int w, int h, char **cause);
/* A new 16-bit image of w x h with chans (1 or 3) samples a pixel, zero-filled, window 0..65535. */
struct img *img_new16(int w, int h, int chans, char **cause);
void img_free(struct img *im);

/* The picture as the assist tools should see it: a new 8-bit image of im's pixels over the
 * flat colour bg, not over the checkerboard the annotator shows (a transparent background is
 * one flat region, not squares). NULL when im has no alpha plane. */
struct img *img_flatten(const struct img *im, const uint8_t bg[3]);
/* A colour for img_flatten that the image's opaque pixels keep away from: of the eight corners
 * of the RGB cube, black first, the one with the fewest opaque pixels near it, so that a black
 * icon on transparency is not flattened into its background. */
void img_unused_colour(const struct img *im, uint8_t bg[3]);
/* Frees im's alpha plane when every pixel is opaque (a decoder keeps it as it reads). */
void img_drop_opaque_alpha(struct img *im);
/* The checkerboard's grey at (x, y) that transparent pixels are laid over. */
static inline unsigned img_checker(int x, int y) { return (((x >> 3) ^ (y >> 3)) & 1) ? 153 : 102; }

/* Decodes a PNG, JPEG or TIFF (told apart by content, not by name). Returns a new image the
 * caller frees, or NULL with *cause "PATH: reason". */
struct img *img_load(const char *path, const struct img_load_opts *opts, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* What a header tells without decoding a pixel. */
struct img_info {
	int w, h;        /* the upright size */
	int orientation; /* the EXIF orientation (1..8) a decode will apply; for a PNG, only an eXIf
	                    chunk before the image data is seen */
	int jpeg;        /* 1 for a JPEG, 0 for a PNG or a TIFF */
	int tiff;        /* 1 for a TIFF */
	int bits;        /* bits per sample as stored: 8, or 16 for a 16-bit PNG or TIFF (1, 2, 4
	                    for packed grey or palette) */
};

/* The upright size of an image from its header alone (no pixels decoded), within limits. */
int img_probe(const char *path, const struct img_limits *lim, int *w, int *h, char **cause)
    __attribute__((nonnull(1, 2, 3, 4), warn_unused_result));
/* The same, with the format and the orientation. */
int img_probe_info(const char *path, const struct img_limits *lim, struct img_info *info, char **cause)
    __attribute__((nonnull(1, 2, 3), warn_unused_result));

/* Encodes im as a baseline JPEG (4:2:0 below quality 90, else 4:4:4) and replaces path with it
 * atomically, durable as afile_set_durable says. Returns 0, or -1 with *cause naming path. */
int img_save_jpeg(const struct img *im, const char *path, int quality, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* Applies an EXIF orientation (1..8) so the pixels come out upright. Replaces the pixels. */
void img_orient(struct img *im, int orientation);

/* A new image of dw x dh made by exact area averaging (box filter) of src; also enlarges, as
 * nearest neighbour. The same kind as src (8-bit RGB or 16-bit), window kept. */
struct img *img_scale(const struct img *src, int dw, int dh);

/* Area averaging fed one source row at a time, so that a decoder can shrink while it decodes
 * and never hold the full image: the rows of an sw x sh image, top first, each in dst's kind
 * (3 bytes a pixel for 8-bit RGB, chans samples for 16-bit), fill dst exactly as img_scale
 * would. dst is borrowed and complete after the sh-th row. */
struct img_shrink;
struct img_shrink *img_shrink_new(int sw, int sh, struct img *dst);
void img_shrink_row(struct img_shrink *s, const void *row);
void img_shrink_free(struct img_shrink *s);

/* The default window from a histogram of n samples (hist[v] = how many are v): from the 0.5th
 * to the 99.5th percentile; v-1..v+1 when both are one value v, which then shows mid-grey. */
void img_window_from_hist(const uint32_t hist[65536], uint64_t n, int *lo, int *hi);
/* Sets im's default window from its own samples (16-bit images only). */
void img_window_auto(struct img *im);

/* A 16-bit sample through the window [lo, hi] to 0..255: lo and below black, hi and above
 * white, linear and rounded between. */
static inline uint8_t img_window8(int v, int lo, int hi)
{
	if (v <= lo)
		return 0;
	if (v >= hi)
		return 255;
	return (uint8_t)(((v - lo) * 255 + (hi - lo) / 2) / (hi - lo));
}

/* A new 8-bit RGB image of a 16-bit one through the window [lo, hi] (a copy of an 8-bit one). */
struct img *img_to_rgb8(const struct img *im, int lo, int hi);

/* The largest w x h with the aspect of sw x sh that fits in bw x bh (at least 1 x 1). */
void img_fit(int sw, int sh, int bw, int bh, int *w, int *h);

#endif
