/* region.h: a set of pixels that an assist tool made (a magic wand's flood, a superpixel, a
 * model's mask, an unlabeled gap), kept as a byte mask over its bounding box so that its cost
 * follows the region, not the image; and the way every such set becomes an outline: the
 * pixel-edge rings of raster_trace, which fill back to exactly these pixels (holes kept).
 *
 * Also the search for the unlabeled regions of an image (the gaps between instances), largest
 * first, for the annotator's jump to the next one. */
#ifndef PXL_REGION_H
#define PXL_REGION_H

#include <stddef.h>
#include <stdint.h>

#include "raster.h"

struct region {
	int x0, y0, w, h;   /* the box in image pixels; w == 0: empty */
	uint8_t *mask;      /* owned, w * h bytes, nonzero = in */
	uint64_t npx;       /* pixels in */
};

void region_free(struct region *r);
/* Sets r to the nonzero pixels of a full w x h mask (rows stride bytes apart), boxed tightly;
 * empty when there is none. */
void region_from_mask(struct region *r, const uint8_t *mask, int w, int h, size_t stride);
/* Whether pixel (x, y) of the image is in r. */
int region_has(const struct region *r, int x, int y);
/* Adds (value 1) or removes (0) the pixels of b to or from a, growing a's box as needed. */
void region_merge(struct region *a, const struct region *b, int value);
/* The pixel-edge outline of r in image coordinates (raster_trace's rings moved to the box):
 * filled under the pixel rule it gives exactly r's pixels. *rings belongs to the caller
 * (raster_rings_free); none for an empty region. */
int region_rings(const struct region *r, raster_ring **rings, size_t *nrings, char **cause)
    __attribute__((warn_unused_result));

/* The unlabeled regions of an instance mask (w x h, 0 = unlabeled): its 4-connected parts of
 * zeros, largest first (ties: the top-most, then left-most first). Each gives its size and the
 * pixel nearest its centre of mass that lies in it, to centre a view on. */
struct region_gap {
	uint64_t npx;
	int x, y;           /* a pixel of the gap, near its middle */
	int bx0, by0, bx1, by1; /* its box, half open */
};
/* Fills *gaps (the caller frees it) with at most max gaps, the largest; *ngaps their count.
 * Work and memory follow the image (one pass, union-find over runs). */
int region_find_gaps(const uint16_t *ids, int w, int h, size_t max, struct region_gap **gaps,
    size_t *ngaps, char **cause) __attribute__((warn_unused_result));

#endif
