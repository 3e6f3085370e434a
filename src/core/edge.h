/* edge.h: snapping a vertex to the picture's own edges. Near a point, the direction across the
 * strongest edge comes from the colour structure tensor (Di Zenzo's: the gradients of the three
 * channels together, so an edge between two colours of one brightness counts); along that
 * line, within reach, the vertex goes to the middle of the strongest rise of the colour, to a
 * fraction of a pixel. Only a few pixels around the point are read, so it is cheap enough to
 * show where each vertex would go before it is placed. */
#ifndef PXL_EDGE_H
#define PXL_EDGE_H

#include "img.h"

#define EDGE_MAX_REACH 16      /* pixels: a longer reach is cut to this */
#define EDGE_MIN_STRENGTH 6.0  /* the weakest edge taken: a step of about 12 grey levels */

struct edge_hit {
	double x, y;      /* the point on the edge, image coordinates */
	double moved;     /* how far it is from the point asked about, in pixels */
	double strength;  /* the colour's rise across the edge there, levels per pixel */
};

/* The strongest edge of im crossing the line through (ix, iy) across the edges there, within
 * reach pixels of it (at most EDGE_MAX_REACH) and at least min_strength strong. 1 and *out
 * when there is one; 0 (and *out untouched) in a flat area or when none is in reach. */
int edge_snap(const struct img *im, double ix, double iy, double reach, double min_strength,
    struct edge_hit *out) __attribute__((nonnull));

#endif
