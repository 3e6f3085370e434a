/* kgp.h: the kitty graphics protocol's commands as bytes, with no terminal in here: pixels
 * compressed with zlib (o=z), in base64, in chunks of KGP_CHUNK; placements of source
 * rectangles scaled over whole cells; deletion by id. And the arithmetic of placing a view:
 * kitty scales a placement's source rectangle (whole pixels) to end on a cell boundary, so a
 * view whose pixels fall between cells is cut into a few placements that come out at the
 * view's scale to within a rounding (kgp_axis). Tested without a terminal (tests/test_kgp.c). */
#ifndef PXL_KGP_H
#define PXL_KGP_H

#include <stddef.h>
#include <stdint.h>

#include "sbuf.h"

/* Base64 bytes a command carries at most (the protocol's limit). */
#define KGP_CHUNK 4096
/* The largest side kitty accepts for an image. */
#define KGP_MAX_SIDE 10000

/* Appends a transmission of the w x h pixels at px (bpp 3: RGB, f=24; 4: RGBA, f=32), rows
 * stride bytes apart, as image id: zlib-compressed, base64, chunked, quiet (q=2: kitty answers
 * nothing, which would reach the keyboard's input otherwise). extra: more keys for the first
 * command, such as "a=T,p=1,C=1,z=3" to show it at the cursor at once (NULL: a=t, only
 * transmit). Returns the bytes appended, -1 with *cause when zlib fails or the size is wrong. */
long kgp_transmit(struct sbuf *out, uint32_t id, const uint8_t *px, int w, int h, int bpp, size_t stride,
    const char *extra, char **cause);

/* One placement of an image: its source rectangle (pixels of the image) shown from screen cell
 * (col, row), 0-based, plus (X, Y) pixels into that cell, scaled to end on the boundary of
 * cells c x r (0: at the source's own size), at z-index z. */
struct kgp_place {
	uint32_t id, pid;
	int x, y, w, h;
	int col, row, X, Y, c, r;
	int z;
};

/* Appends the cursor's move to (row, col) and the placement command (C=1: the cursor stays). */
void kgp_put(struct sbuf *out, const struct kgp_place *p);
/* Appends the deletion of image id's placement pid (pid 0: all of its placements); with
 * free_data, the image itself too (d=I). */
void kgp_delete(struct sbuf *out, uint32_t id, uint32_t pid, int free_data);

/* A stretch of one axis of a placement: the source pixels src0..src1 (end excluded) over the
 * screen pixels scr0..scr1, where scr1 is on a cell boundary. main: from an exact start to a
 * boundary where a source pixel starts (to the nearest screen pixel); the others cover a
 * partial pixel at the start (the head) or what the source's end leaves of its last cell. */
struct kgp_seg {
	int src0, src1;
	int scr0, scr1;
	int main;
};

/* Stretches an axis is cut into at most: a head, two main ones, the rest. */
#define KGP_MAX_SEG 4

/* Cuts one axis: the screen shows source coordinate u at screen pixel (u - o) * z (the pixel
 * x shows floor(o + (x + 0.5) / z)); the source has n pixels, and pad more after them that
 * may fill the rest of the cell where the n end (the image's next pixels, or background);
 * the screen pixels a..b (continuous, a >= 0) are to be covered, in cells of cell pixels. Fills at most KGP_MAX_SEG
 * stretches, each to go above the ones before it, and returns how many (0: nothing of the
 * source is in a..b). */
int kgp_axis(double o, double z, int n, int pad, double a, double b, int cell, struct kgp_seg seg[KGP_MAX_SEG]);

/* A placement for stretches sx (the ix-th of its axis) and sy (the iy-th), at z-index
 * zbase + ix + iy: a later stretch goes above an earlier one where they overlap. */
void kgp_place_of(const struct kgp_seg *sx, int ix, const struct kgp_seg *sy, int iy, int cell_w, int cell_h,
    int zbase, struct kgp_place *p);

/* The graphics query: a 1x1 image sent with a=q, which kitty answers "OK" and stores nowhere. */
#define KGP_QUERY_ID 31
#define KGP_QUERY "\033_Gi=31,s=1,v=1,a=q,t=d,f=24;AAAA\033\\"

#endif
