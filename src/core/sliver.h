/* sliver.h: small stray parts of instances. An outline drawn behind the others only takes the
 * pixels nobody has, and so can fill thin gaps between objects far from where it was meant to
 * go: islands of a few pixels that nobody sees until a polygon count. A sliver is a part of an
 * instance's pixels in the instance mask (4-connected, as pixel-edge outlines and COCO
 * polygons separate them) smaller than a size, in an instance that has other pixels. They are
 * found in a rectangle (where an edit changed the masks) or in the whole image, reading only
 * the instance mask. */
#ifndef PXL_SLIVER_H
#define PXL_SLIVER_H

#include <stddef.h>
#include <stdint.h>

#include "raster.h"

#define SLIVER_DEFAULT_PIXELS 20 /* pxlabel.ini's sliver_pixels when it does not say */

struct sliver {
	uint16_t inst;      /* the instance it is a part of */
	uint32_t pixels;
	int x, y;           /* its first pixel, in row order */
	raster_rect bounds;
};

/* The slivers of the w x h instance mask ids (inst_pixels: pixels per instance id, 65536 of
 * them) that meet rectangle r and hold fewer than max_pixels pixels, appended to *list (*n of
 * *cap; a NULL list is fine), in row order of their first pixel. Only r and max_pixels
 * around it are read. max_pixels 0 finds none. Returns how many were added. */
size_t sliver_find(const uint16_t *ids, int w, int h, const uint64_t *inst_pixels, raster_rect r,
    uint32_t max_pixels, struct sliver **list, size_t *n, size_t *cap);

#endif
