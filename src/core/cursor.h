/* cursor.h: the annotator's cursor and its arithmetic with the view. The cursor is an image
 * point (sub-pixel: where the next vertex goes) shown on the cell of the image area that holds
 * it. The point stays put through zoom, fit, centring and resize; only a move changes it, and a
 * move goes by cells (to the centre of the cell it lands on), so vertex precision grows with
 * zoom. The point never leaves the image: a move stops on the last cell whose centre is inside.
 * The view follows the cursor with a margin (vim's scrolloff): after a move there are a few
 * cells of image around it, where the image goes on. No drawing here, so it is tested without
 * a terminal. */
#ifndef PXL_CURSOR_H
#define PXL_CURSOR_H

#include "view.h"

#define CURSOR_MARGIN_COLS 12 /* the most cells kept between the cursor and the area's side */
#define CURSOR_MARGIN_ROWS 6  /* and its top or bottom (half the columns: cells are 1:2) */

struct cursor {
	int cx, cy;          /* the cell showing the point, in the image area; kept inside it */
	int cols, rows;      /* the image area, in cells */
	int cell_w, cell_h;  /* screen pixels per cell: 1x2 in half blocks, the font's in sixel */
	double ix, iy;       /* the point, in image coordinates; valid when placed */
	int placed;          /* 0: no point yet, the centre of cell (cx, cy) is taken when needed */
	double sx, sy;       /* the point in screen pixels of the area, as of the last call */
};

/* The point in screen pixels of the area (the sixel cursor ring goes around it). */
void cursor_screen(const struct cursor *c, double *sx, double *sy);
/* The cursor's image point: where a vertex placed now goes, before snapping. */
void cursor_point(const struct cursor *c, const struct view *v, double *ix, double *iy);
/* Snapping's reach: a cell and a half (its height), in image pixels. */
double cursor_snap_radius(const struct cursor *c, const struct view *v);
/* The margin the view keeps around the cursor, in cells: a fifth of the area, at most
 * CURSOR_MARGIN_COLS x CURSOR_MARGIN_ROWS. */
void cursor_margin(const struct cursor *c, int *mx, int *my);
/* Puts the point on image point (ix, iy) (clamped into the image) and the view around it. */
void cursor_keep(struct cursor *c, struct view *v, double ix, double iy);
/* The cell in the middle of the area; the point is taken from it at the next call with a view
 * (an image was just opened). */
void cursor_centre(struct cursor *c);
/* The cell back inside the area after it shrank. */
void cursor_clamp(struct cursor *c);
/* A new area of cols x rows cells of cell_w x cell_h pixels: the view gets the new size
 * (when view is not NULL) and the cursor keeps its point. */
void cursor_resize(struct cursor *c, struct view *v, int cols, int rows, int cell_w, int cell_h);
/* Moves by cells (a counted jump is one call), stopping at the image's border; the view
 * follows with the margin. */
void cursor_move(struct cursor *c, struct view *v, int dx, int dy);
/* The point at the centre of cell (cx, cy) of the area (a click), clamped into the image. */
void cursor_set_cell(struct cursor *c, struct view *v, int cx, int cy);
/* One zoom step in (in) or out about the cursor's point. Steps land on powers of two (1x, 2x,
 * 4x...) whatever the fit zoom is, so "8x" is the same on every image. */
void cursor_zoom(struct cursor *c, struct view *v, int in);
/* Zoom by factor about screen pixel (sx, sy) (the mouse wheel); the cursor keeps its point
 * when it stays in the area, else goes to the cell at (sx, sy). */
void cursor_zoom_at(struct cursor *c, struct view *v, double factor, double sx, double sy);
/* Pans the view by screen pixels; the cursor keeps its point when it stays in the area, else
 * goes to the nearest cell that is. */
void cursor_pan(struct cursor *c, struct view *v, double dsx, double dsy);
/* The view centred on the cursor's point (as far as the view may go); the point stays. */
void cursor_centre_view(struct cursor *c, struct view *v);
/* The whole image in the area; the cursor keeps its point. */
void cursor_fit(struct cursor *c, struct view *v);

#endif
