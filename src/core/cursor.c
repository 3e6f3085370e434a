/* cursor.c: the cursor's image point, its cell and the view that follows it (see cursor.h). */
#include "config.h"

#include "cursor.h"

#include <math.h>

static int clamp(int x, int n)
{
	return x < 0 ? 0 : x >= n ? n - 1 : x;
}

/* The cells along one axis whose centres are inside the image [0, img] (the border counts):
 * [*lo, *hi]. 0 when there is none (a one-pixel-wide image at a fit zoom far below 1). */
static int inside_cells(double vc, double zoom, int scr, int cell, int img, long *lo, long *hi)
{
	double s0 = (0 - vc) * zoom + scr / 2.0, s1 = (img - vc) * zoom + scr / 2.0;
	double a = ceil(s0 / cell - 0.5 - 1e-9), b = floor(s1 / cell - 0.5 + 1e-9);

	if (a > b || a > 1e9 || b < -1e9)
		return 0;
	*lo = a < -1e9 ? -1000000000L : (long)a;
	*hi = b > 1e9 ? 1000000000L : (long)b;
	return 1;
}

/* The image coordinate of cell k's centre along one axis, its cell clamped to those whose
 * centres are inside the image; the image's middle when none is. */
static double cell_coord(double vc, double zoom, int scr, int cell, int img, long k)
{
	long lo, hi;

	if (!inside_cells(vc, zoom, scr, cell, img, &lo, &hi))
		return img / 2.0;
	k = k < lo ? lo : k > hi ? hi : k;
	return vc + ((k + 0.5) * cell - scr / 2.0) / zoom;
}

static double cell_x(const struct cursor *c, const struct view *v, long k)
{
	return cell_coord(v->cx, v->zoom, v->scr_w, c->cell_w, v->img_w, k);
}

static double cell_y(const struct cursor *c, const struct view *v, long k)
{
	return cell_coord(v->cy, v->zoom, v->scr_h, c->cell_h, v->img_h, k);
}

void cursor_point(const struct cursor *c, const struct view *v, double *ix, double *iy)
{
	if (c->placed) {
		*ix = c->ix;
		*iy = c->iy;
	} else {
		*ix = cell_x(c, v, c->cx);
		*iy = cell_y(c, v, c->cy);
	}
}

/* A point from the cell, when there is none yet (an image was just opened). */
static void settle(struct cursor *c, const struct view *v)
{
	if (c->placed)
		return;
	cursor_point(c, v, &c->ix, &c->iy);
	c->placed = 1;
}

/* The cell (and screen position) from the point. */
static void sync(struct cursor *c, const struct view *v)
{
	view_to_screen(v, c->ix, c->iy, &c->sx, &c->sy);
	c->cx = clamp((int)fmax(-1, fmin(floor(c->sx / c->cell_w), 1e6)), c->cols);
	c->cy = clamp((int)fmax(-1, fmin(floor(c->sy / c->cell_h), 1e6)), c->rows);
	/* An area of no cells (a terminal one row tall) leaves -1 above. */
	if (c->cx < 0)
		c->cx = 0;
	if (c->cy < 0)
		c->cy = 0;
}

void cursor_screen(const struct cursor *c, double *sx, double *sy)
{
	if (c->placed) {
		*sx = c->sx;
		*sy = c->sy;
	} else {
		*sx = (c->cx + 0.5) * c->cell_w;
		*sy = (c->cy + 0.5) * c->cell_h;
	}
}

double cursor_snap_radius(const struct cursor *c, const struct view *v)
{
	return 1.5 * c->cell_h / v->zoom;
}

void cursor_margin(const struct cursor *c, int *mx, int *my)
{
	*mx = c->cols / 5 < CURSOR_MARGIN_COLS ? c->cols / 5 : CURSOR_MARGIN_COLS;
	*my = c->rows / 5 < CURSOR_MARGIN_ROWS ? c->rows / 5 : CURSOR_MARGIN_ROWS;
}

/* How far to pan along one axis (screen pixels, whole cells) so that the point at s has margin
 * pixels of image before and after it inside [0, scr), or all the image there is that way. */
static double follow_axis(double s, double b0, double b1, int scr, double margin, int cell)
{
	double before = fmin(margin, s - b0), after = fmin(margin, b1 - s);

	if (s < before)
		return -ceil((before - s) / cell - 1e-9) * cell;
	if (scr - s < after)
		return ceil((after - (scr - s)) / cell - 1e-9) * cell;
	return 0;
}

/* The view follows the point: pans by whole cells (the point keeps its place in its cell)
 * until the margin is kept, as far as the view may go. */
static void follow(struct cursor *c, struct view *v)
{
	double sx, sy, bx0, by0, bx1, by1, dx, dy;
	int mx, my;

	if (c->cols > 0 && c->rows > 0) {
		cursor_margin(c, &mx, &my);
		view_to_screen(v, c->ix, c->iy, &sx, &sy);
		view_to_screen(v, 0, 0, &bx0, &by0);
		view_to_screen(v, v->img_w, v->img_h, &bx1, &by1);
		dx = follow_axis(sx, bx0, bx1, v->scr_w, (double)mx * c->cell_w, c->cell_w);
		dy = follow_axis(sy, by0, by1, v->scr_h, (double)my * c->cell_h, c->cell_h);
		if (dx != 0 || dy != 0)
			view_pan(v, dx, dy);
	}
	sync(c, v);
}

static void clamp_point(const struct view *v, double *ix, double *iy)
{
	*ix = *ix < 0 ? 0 : *ix > v->img_w ? v->img_w : *ix;
	*iy = *iy < 0 ? 0 : *iy > v->img_h ? v->img_h : *iy;
}

void cursor_keep(struct cursor *c, struct view *v, double ix, double iy)
{
	clamp_point(v, &ix, &iy);
	c->ix = ix;
	c->iy = iy;
	c->placed = 1;
	follow(c, v);
}

void cursor_centre(struct cursor *c)
{
	c->cx = c->cols / 2;
	c->cy = c->rows / 2;
	c->placed = 0;
}

void cursor_clamp(struct cursor *c)
{
	if (c->cx >= c->cols)
		c->cx = c->cols > 0 ? c->cols - 1 : 0;
	if (c->cy >= c->rows)
		c->cy = c->rows > 0 ? c->rows - 1 : 0;
}

void cursor_resize(struct cursor *c, struct view *v, int cols, int rows, int cell_w, int cell_h)
{
	if (v && c->cols > 0 && c->rows > 0)
		settle(c, v);
	c->cell_w = cell_w;
	c->cell_h = cell_h;
	c->cols = cols;
	c->rows = rows;
	if (v)
		view_resize(v, cols > 0 ? cols * cell_w : 1, rows > 0 ? rows * cell_h : 1);
	/* The cursor keeps its image point through a resize or the panel folding; the view
	 * moves to keep it in sight. */
	if (v && c->placed)
		follow(c, v);
	cursor_clamp(c);
}

void cursor_move(struct cursor *c, struct view *v, int dx, int dy)
{
	settle(c, v);
	sync(c, v);
	/* Only the axis moved along goes to a cell's centre: a step down keeps the column's
	 * sub-cell place that a zoom left. */
	if (dx)
		c->ix = cell_x(c, v, (long)c->cx + dx);
	if (dy)
		c->iy = cell_y(c, v, (long)c->cy + dy);
	clamp_point(v, &c->ix, &c->iy);
	follow(c, v);
}

void cursor_set_cell(struct cursor *c, struct view *v, int cx, int cy)
{
	c->ix = cell_x(c, v, cx);
	c->iy = cell_y(c, v, cy);
	clamp_point(v, &c->ix, &c->iy);
	c->placed = 1;
	sync(c, v);
}

void cursor_zoom(struct cursor *c, struct view *v, int in)
{
	double z = v->zoom, target = pow(2, in ? floor(log2(z) + 1e-9) + 1 : ceil(log2(z) - 1e-9) - 1);

	settle(c, v);
	sync(c, v);
	view_zoom_at(v, target / z, c->sx, c->sy);
	follow(c, v);
}

/* Is the point on a cell of the area? */
static int in_area(const struct cursor *c, const struct view *v)
{
	double sx, sy;

	view_to_screen(v, c->ix, c->iy, &sx, &sy);
	return sx >= 0 && sy >= 0 && sx < (double)c->cols * c->cell_w && sy < (double)c->rows * c->cell_h;
}

void cursor_zoom_at(struct cursor *c, struct view *v, double factor, double sx, double sy)
{
	settle(c, v);
	view_zoom_at(v, factor, sx, sy);
	if (!in_area(c, v))
		cursor_set_cell(c, v, (int)floor(sx / c->cell_w), (int)floor(sy / c->cell_h));
	sync(c, v);
}

void cursor_pan(struct cursor *c, struct view *v, double dsx, double dsy)
{
	settle(c, v);
	view_pan(v, dsx, dsy);
	if (!in_area(c, v)) {
		double sx, sy;

		view_to_screen(v, c->ix, c->iy, &sx, &sy);
		cursor_set_cell(c, v, clamp((int)fmax(-1, fmin(floor(sx / c->cell_w), 1e6)), c->cols),
		    clamp((int)fmax(-1, fmin(floor(sy / c->cell_h), 1e6)), c->rows));
	}
	sync(c, v);
}

void cursor_centre_view(struct cursor *c, struct view *v)
{
	settle(c, v);
	v->cx = c->ix;
	v->cy = c->iy;
	view_clamp(v);
	sync(c, v);
}

void cursor_fit(struct cursor *c, struct view *v)
{
	settle(c, v);
	view_fit(v);
	sync(c, v);
}
