/* pngio.h: PNG files through libpng: the masks pxlabel writes (palette and 16-bit grey, written
 * atomically) and reading masks back exactly as stored. Photos are read by img_load. */
#ifndef PXL_PNGIO_H
#define PXL_PNGIO_H

#include <stdint.h>
#include <stdio.h>

#include "img.h"

struct pngio_rgb {
	uint8_t r, g, b;
};

/* 8-bit palette PNG: value v shows as palette[v]; npalette entries (1..256). */
int pngio_write_palette8(const char *path, const uint8_t *px, int w, int h,
    const struct pngio_rgb *palette, int npalette, char **cause);
/* The same of map[ids[i]]: a mask drawn from the instance mask with no 8-bit copy made. */
int pngio_write_palette8_mapped(const char *path, const uint16_t *ids, const uint8_t map[65536], int w,
    int h, const struct pngio_rgb *palette, int npalette, char **cause);
/* 16-bit greyscale PNG. */
int pngio_write_gray16(const char *path, const uint16_t *px, int w, int h, char **cause);
/* 8-bit greyscale PNG. */
int pngio_write_gray8(const char *path, const uint8_t *px, int w, int h, char **cause);
/* 8-bit RGB PNG. */
int pngio_write_rgb8(const char *path, const uint8_t *rgb, int w, int h, char **cause);

/* The same two encoders into fp, an afile's that the caller opened and commits: several files
 * replaced together (afile_commit_all). path names the file in messages. */
int pngio_put_palette8(FILE *fp, const char *path, const uint8_t *px, int w, int h,
    const struct pngio_rgb *palette, int npalette, char **cause);
int pngio_put_gray16(FILE *fp, const char *path, const uint16_t *px, int w, int h, char **cause);

/* Reads a greyscale or palette PNG's stored values, unconverted (palette indices, grey levels up
 * to 16 bits) into a new array of w * h values. Fails on colour PNGs. */
int pngio_read_values(const char *path, const struct img_limits *lim, uint16_t **values,
    int *w, int *h, char **cause);

#endif
