/* imgdec.h: the per-format decoders behind img_load. Each takes an open file positioned at 0
 * and returns an upright image (8-bit RGB, or 16-bit with its default window set when
 * opts->keep16 asks and the file is 16-bit), or NULL with *cause naming path. */
#ifndef PXL_IMGDEC_H
#define PXL_IMGDEC_H

#include <stdio.h>

#include "img.h"

struct img *imgdec_jpeg(FILE *fp, const char *path, const struct img_load_opts *opts, char **cause);
struct img *imgdec_png(FILE *fp, const char *path, const struct img_load_opts *opts, char **cause);
struct img *imgdec_tiff(FILE *fp, const char *path, const struct img_load_opts *opts, char **cause);

/* Header-only probes: the upright size and the orientation, nothing decoded. */
int imgdec_jpeg_probe(FILE *fp, const char *path, const struct img_limits *lim, struct img_info *info,
    char **cause);
int imgdec_png_probe(FILE *fp, const char *path, const struct img_limits *lim, struct img_info *info,
    char **cause);
int imgdec_tiff_probe(FILE *fp, const char *path, const struct img_limits *lim, struct img_info *info,
    char **cause);

/* The EXIF orientation (1..8) held in data (a TIFF/EXIF block, with or without the "Exif\0\0"
 * header); 1 when there is none or it is unreadable. */
int imgdec_exif_orientation(const unsigned char *data, size_t len);

#endif
