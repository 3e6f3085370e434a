/* scissors.h: edge-following outlines (intelligent scissors, live-wire): the path from one
 * pixel to another that follows the strongest image edge, as a shortest path over the pixels
 * (8-connected) where crossing a pixel costs less the stronger the edge through it (Sobel
 * gradient of the brightness, scaled by the strongest in reach). The search stays within a
 * band around the straight segment, so its work follows the band, never the image, and a
 * stronger edge far away cannot pull the path off the one the user is tracing.
 *
 * Like the wand it reads the original pixels, not the view's curve. */
#ifndef PXL_SCISSORS_H
#define PXL_SCISSORS_H

#include <stddef.h>

#include "img.h"

#define SCISSORS_BAND_MIN 6   /* the band's half width, in pixels, at least */
#define SCISSORS_BAND_MAX 48  /* and at most */
#define SCISSORS_MAX_LEN 4096 /* longer segments are not searched (the caller draws straight) */

struct scissors_pt {
	int x, y; /* a pixel */
};

/* The band's half width for a segment of length len: a third of it, within the limits. */
int scissors_band(double len);

/* The path of pixels from (x0, y0) to (x1, y1) (both included, each step to one of the 8
 * neighbours) within band pixels of the straight segment between their centres. *path (the
 * caller frees it) gets *n points. -1 with *cause when an end lies outside the image or the
 * segment is longer than SCISSORS_MAX_LEN. */
int scissors_path(const struct img *im, int x0, int y0, int x1, int y1, int band,
    struct scissors_pt **path, size_t *n, char **cause) __attribute__((warn_unused_result));

/* Keeps the points of path that a polyline through them needs to stay within tol pixels of
 * every point (Douglas-Peucker), the ends always; in place, returns the new count. */
size_t scissors_simplify(struct scissors_pt *path, size_t n, double tol);

#endif
