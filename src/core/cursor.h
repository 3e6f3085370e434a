/* cursor.h: the annotator's cursor, a cell of the image area, and its arithmetic with the view:
 * the image point under it, moving it (the view pans when it reaches an edge), zooming about it,
 * and keeping it on its image point when the view or the area changes. No drawing here, so it
 * is tested without a terminal. The cursor moves by cells: vertex precision grows with zoom. */
#ifndef PXL_CURSOR_H
#define PXL_CURSOR_H

#include "view.h"

struct cursor {
	int cx, cy;          /* the cell, in the image area; kept inside it */
	int cols, rows;      /* the image area, in cells */
	int cell_w, cell_h;  /* screen pixels per cell: 1x2 in half blocks, the font's in sixel */
};

/* The centre of the cursor's cell, in screen pixels of the area. */
void cursor_screen(const struct cursor *c, double *sx, double *sy);
/* The image point under the centre of the cursor's cell. */
void cursor_point(const struct cursor *c, const struct view *v, double *ix, double *iy);
/* Snapping's reach: a cell and a half (its height), in image pixels. */
double cursor_snap_radius(const struct cursor *c, const struct view *v);
/* Puts the cursor on the cell showing image point (ix, iy), or as near as the area allows. */
void cursor_keep(struct cursor *c, const struct view *v, double ix, double iy);
/* The cell in the middle of the area. */
void cursor_centre(struct cursor *c);
/* Back inside the area after it shrank. */
void cursor_clamp(struct cursor *c);
/* A new area of cols x rows cells of cell_w x cell_h pixels: the view gets the new size
 * (when view is not NULL) and the cursor stays on its image point. */
void cursor_resize(struct cursor *c, struct view *v, int cols, int rows, int cell_w, int cell_h);
/* Moves by cells; reaching an edge pans the view, so the cursor can travel the whole image. */
void cursor_move(struct cursor *c, struct view *v, int dx, int dy);
/* One zoom step in (in) or out about the cursor's point. Steps land on powers of two (1x, 2x,
 * 4x...) whatever the fit zoom is, so "8x" is the same on every image. */
void cursor_zoom(struct cursor *c, struct view *v, int in);
/* The view centred on the cursor's point, the cursor in the middle. */
void cursor_centre_view(struct cursor *c, struct view *v);
/* The whole image in the area; the cursor stays on its point. */
void cursor_fit(struct cursor *c, struct view *v);

#endif
