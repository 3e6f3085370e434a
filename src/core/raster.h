/* raster.h: the pixel rule made exact. Fills polygons and brush strokes into pixel spans, and
 * turns a set of pixels back into a pixel-edge outline that fills to exactly that set.
 *
 * The rule (doc/coordinates.md): pixel (i, j) is the square [i, i+1) x [j, j+1);
 * it belongs to a shape when its centre (i + 0.5, j + 0.5) is inside under non-zero winding.
 * A centre exactly on an edge is inside on a left edge or a horizontal top edge and outside on a
 * right or bottom edge. Equivalently, a centre is judged at (cx + e, cy + e*e) for an infinitely
 * small e > 0, which never lies on an edge: so winding numbers simply add up, and shapes that
 * share edges (same vertices, opposite directions) partition the pixels with no gap and no overlap.
 *
 * Vertices are fixed point, RASTER_ONE units per pixel, so every inside test is integer arithmetic.
 * y grows downwards (image rows). All functions are reentrant; none keeps state between calls,
 * and none keeps a pointer it was given beyond the call. Scratch memory comes from xmalloc, so
 * running out of it exits as everywhere else in pxlabel. */
#ifndef PXL_RASTER_H
#define PXL_RASTER_H

#include <stddef.h>
#include <stdint.h>

#define RASTER_ONE 256 /* fixed-point units per pixel */

/* Coordinates, stroke widths and trace sizes are limited to +-RASTER_COORD_MAX_PX pixels
 * (2^29 units): differences then stay below 2^30, products of two differences below 2^61
 * (int64) and squared distances times squared lengths below 2^120 (__int128). */
#define RASTER_COORD_MAX_PX (1 << 21)
#define RASTER_COORD_MAX ((int32_t)RASTER_COORD_MAX_PX * RASTER_ONE)
/* Total vertices in one call. A fill needs scratch of about 112 bytes a vertex, a stroke 56. */
#define RASTER_MAX_VERTICES ((size_t)1 << 22)

typedef struct {
	int32_t x, y; /* 1/RASTER_ONE pixel */
} raster_pt;

/* Closed implicitly: the last point joins the first. */
typedef struct {
	raster_pt *pts;
	size_t n;
} raster_ring;

/* Pixel rectangle, half open: [x0, x1) x [y0, y1). Empty when x0 >= x1 or y0 >= y1. */
typedef struct {
	int x0, y0, x1, y1;
} raster_rect;

/* Called once per maximal horizontal run [x0, x1) of inside pixels within the clip rect: rows in
 * increasing y, runs in increasing x, runs of one row never touching. */
typedef void (*raster_span_fn)(void *ctx, int y, int x0, int x1);

/* Rounds to the nearest 1/RASTER_ONE, halves upwards (floor(v * 256 + 0.5), the same under any
 * translation). NaN and values beyond int32 saturate, so the fill calls reject them. */
raster_pt raster_pt_from_double(double x, double y);

/* Fills one shape made of nrings rings under non-zero winding: a ring of opposite orientation
 * inside another cuts a hole. Orientation does not change which pixels are filled. Every ring
 * needs at least 3 vertices; nrings == 0 is the empty shape. Calls fn (not NULL) with ctx for
 * the inside pixels within clip; the work is in proportion to the clipped rows and the edges
 * crossing them, not the whole shape. Returns 0, or -1 with *cause set (bad ring, coordinate out
 * of range, too many vertices) before any call of fn. */
int raster_fill_rings(const raster_ring *rings, size_t nrings, raster_rect clip, raster_span_fn fn,
    void *ctx, char **cause) __attribute__((warn_unused_result));

/* Fills a brush stroke: the pixels whose centre lies within width / 2 of the polyline (distance
 * <= width / 2, exact), so segments have round caps and round joins; n == 1 is a round dot.
 * width is in 1/RASTER_ONE pixel, 0 <= width <= RASTER_COORD_MAX; width 0 takes exactly the
 * centres on the path. Returns 0, or -1 with *cause set before any call of fn. */
int raster_fill_stroke(const raster_pt *path, size_t n, int32_t width, raster_rect clip,
    raster_span_fn fn, void *ctx, char **cause) __attribute__((warn_unused_result));

/* The smallest pixel rect that can hold an inside pixel (not necessarily tight for concave
 * shapes); empty for no vertices. Valid for coordinates within the limits above. */
raster_rect raster_bounds_rings(const raster_ring *rings, size_t nrings);
raster_rect raster_bounds_stroke(const raster_pt *path, size_t n, int32_t width);
/* The bounds of the nonzero bytes of a w x h grid (rows stride bytes apart); empty (all 0) when
 * there are none. */
raster_rect raster_bounds_mask(const uint8_t *m, int w, int h, size_t stride);

/* Pixel-edge outline of the nonzero pixels of mask (w x h bytes, rows stride bytes apart): rings
 * along pixel borders, vertices at pixel corners (multiples of RASTER_ONE), no two consecutive
 * edges collinear, outer boundaries clockwise on screen (positive shoelace area with y down) and
 * holes anticlockwise. Pixels touching only at a corner get separate rings. Filling all the rings
 * as one shape gives back exactly the nonzero pixels (a very noisy mask may give more vertices
 * than RASTER_MAX_VERTICES, which the fill then refuses). On success *rings_out (NULL when there
 * are none) belongs to the caller, to release with raster_rings_free; each ring's pts is a
 * malloc'd block of its own, so a ring can be taken out and freed with free(). */
int raster_trace(const uint8_t *mask, int w, int h, size_t stride, raster_ring **rings_out,
    size_t *nrings_out, char **cause) __attribute__((warn_unused_result));

/* Frees each ring's pts, then the array. NULL is fine. */
void raster_rings_free(raster_ring *rings, size_t nrings);

/* Conveniences: set the inside pixels of a w x h byte mask (rows stride bytes apart) to value. */
int raster_fill_rings_u8(uint8_t *mask, int w, int h, size_t stride, const raster_ring *rings,
    size_t nrings, uint8_t value, char **cause) __attribute__((warn_unused_result));
int raster_fill_stroke_u8(uint8_t *mask, int w, int h, size_t stride, const raster_pt *path,
    size_t n, int32_t width, uint8_t value, char **cause) __attribute__((warn_unused_result));

#endif
