/* rle.h: COCO run-length encoding of a binary mask.
 *
 * COCO reads a mask column by column (pixel (x, y) is element x * h + y) and stores the lengths
 * of alternating runs, starting with a run of zeros (0 when the first pixel is set). Two forms
 * are in use: the plain list of counts ("uncompressed RLE", mostly for iscrowd annotations) and
 * pycocotools' compressed string, where each count (from the fourth on, as the difference from
 * the count two places back) is written in groups of 5 bits, lowest first, as the characters
 * 48..111: bit 0x20 says another group follows, and bit 0x10 of the last group is the sign.
 *
 * Every count read from a file is checked against the mask's size before anything is allocated
 * for it: counts add up to at most w * h. */
#ifndef PXL_RLE_H
#define PXL_RLE_H

#include <stddef.h>
#include <stdint.h>

#include "raster.h"

/* w * h at most this (the counts are 32-bit in pycocotools). */
#define RLE_MAX_PIXELS ((uint64_t)UINT32_MAX)

struct rle {
	int w, h;
	uint32_t *counts; /* owned */
	size_t n;
};

/* The pixels of a w x h row-major map equal to value, looked for only inside box (every pixel
 * outside it counts as unset, so box can be the value's bounding box). */
int rle_encode_u16(const uint16_t *px, int w, int h, uint16_t value, raster_rect box,
    struct rle *out, char **cause) __attribute__((warn_unused_result));
/* The nonzero pixels of a w x h row-major byte mask. */
int rle_encode_u8(const uint8_t *mask, int w, int h, struct rle *out, char **cause)
    __attribute__((warn_unused_result));

/* Checks counts (they may add up to less than w * h: the rest is unset, as pycocotools reads
 * it) and copies them into out. */
int rle_from_counts(const uint32_t *counts, size_t n, int w, int h, struct rle *out, char **cause)
    __attribute__((warn_unused_result));
/* Sets the pixels of a w x h row-major byte mask (cleared first) to 1 where the RLE has them. */
void rle_decode(const struct rle *r, uint8_t *mask);

/* The compressed string (a new NUL-terminated string the caller frees). */
char *rle_to_string(const struct rle *r) __attribute__((warn_unused_result));
/* Reads len bytes of a compressed string; every character, count and sum is checked. */
int rle_from_string(const char *s, size_t len, int w, int h, struct rle *out, char **cause)
    __attribute__((warn_unused_result));

/* Set pixels, and the tightest pixel rectangle holding them (empty when there are none). */
uint64_t rle_area(const struct rle *r);
raster_rect rle_bounds(const struct rle *r);

void rle_free(struct rle *r);

#endif
