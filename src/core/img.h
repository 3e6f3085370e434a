/* img.h: decoded images (8-bit RGB, upright) and the limits that guard decoding.
 * Every consumer (preview, annotator, masks) sees the image as every viewer shows it: the EXIF
 * orientation is already applied, so mask pixel (x, y) is image pixel (x, y) on screen. */
#ifndef PXL_IMG_H
#define PXL_IMG_H

#include <stdint.h>
#include <stddef.h>

struct img {
	int w, h;        /* size of rgb, in pixels */
	uint8_t *rgb;    /* owned; w * h * 3 bytes, rows packed, top row first */
	int src_w, src_h; /* the full upright size of the image in its file (w, h may be smaller
	                     when the decoder scaled down for a preview) */
	int orientation; /* the EXIF orientation (1..8) that was applied */
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
};

#define IMG_DEFAULT_MAX_PIXELS (1ULL << 28)     /* 268 megapixels */
#define IMG_DEFAULT_MAX_SIDE 65535U
#define IMG_DEFAULT_MAX_FILE_BYTES (2ULL << 30) /* 2 GiB */

void img_limits_default(struct img_limits *lim);
void img_load_opts_default(struct img_load_opts *opts);

/* Checks w x h against lim; on failure fills *cause with a message naming path. */
int img_check_limits(const struct img_limits *lim, const char *path, uint64_t w, uint64_t h,
    char **cause);

/* A new image of w x h, zero-filled; NULL (with *cause) when the size is impossible. */
struct img *img_new(int w, int h, char **cause);
void img_free(struct img *im);

/* Decodes a PNG or JPEG (told apart by content, not by name). Returns a new image the caller
 * frees, or NULL with *cause "PATH: reason". */
struct img *img_load(const char *path, const struct img_load_opts *opts, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));

/* What a header tells without decoding a pixel. */
struct img_info {
	int w, h;        /* the upright size */
	int orientation; /* the EXIF orientation (1..8) a decode will apply; for a PNG, only an eXIf
	                    chunk before the image data is seen */
	int jpeg;        /* 1 for a JPEG, 0 for a PNG */
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

/* Applies an EXIF orientation (1..8) so the pixels come out upright. Replaces im->rgb. */
void img_orient(struct img *im, int orientation);

/* A new image of dw x dh made by exact area averaging (box filter) of src; also enlarges, as
 * nearest neighbour. */
struct img *img_scale(const struct img *src, int dw, int dh);

/* The largest w x h with the aspect of sw x sh that fits in bw x bh (at least 1 x 1). */
void img_fit(int sw, int sh, int bw, int bh, int *w, int *h);

#endif
