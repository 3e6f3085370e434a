/* cursor.c: the cursor's cell and the view (see cursor.h). */
#include "config.h"

#include "cursor.h"

#include <math.h>

void cursor_screen(const struct cursor *c, double *sx, double *sy)
{
	*sx = (c->cx + 0.5) * c->cell_w;
	*sy = (c->cy + 0.5) * c->cell_h;
}

void cursor_point(const struct cursor *c, const struct view *v, double *ix, double *iy)
{
	double sx, sy;

	cursor_screen(c, &sx, &sy);
	view_to_image(v, sx, sy, ix, iy);
}

double cursor_snap_radius(const struct cursor *c, const struct view *v)
{
	return 1.5 * c->cell_h / v->zoom;
}

static int clamp(int x, int n)
{
	return x < 0 ? 0 : x >= n ? n - 1 : x;
}

void cursor_clamp(struct cursor *c)
{
	if (c->cx >= c->cols)
		c->cx = c->cols > 0 ? c->cols - 1 : 0;
	if (c->cy >= c->rows)
		c->cy = c->rows > 0 ? c->rows - 1 : 0;
}

void cursor_keep(struct cursor *c, const struct view *v, double ix, double iy)
{
	double sx, sy;

	view_to_screen(v, ix, iy, &sx, &sy);
	c->cx = clamp((int)floor(sx / c->cell_w), c->cols);
	c->cy = clamp((int)floor(sy / c->cell_h), c->rows);
	/* An area of no cells (a terminal one row tall) leaves -1 above. */
	if (c->cx < 0)
		c->cx = 0;
	if (c->cy < 0)
		c->cy = 0;
}

void cursor_centre(struct cursor *c)
{
	c->cx = c->cols / 2;
	c->cy = c->rows / 2;
}

void cursor_resize(struct cursor *c, struct view *v, int cols, int rows, int cell_w, int cell_h)
{
	int had = v && c->cols > 0 && c->rows > 0;
	double ix = 0, iy = 0;

	c->cell_w = cell_w;
	c->cell_h = cell_h;
	if (had)
		cursor_point(c, v, &ix, &iy);
	c->cols = cols;
	c->rows = rows;
	if (v)
		view_resize(v, cols > 0 ? cols * cell_w : 1, rows > 0 ? rows * cell_h : 1);
	/* The cursor stays on its image point through a resize or the panel folding. */
	if (had && cols > 0 && rows > 0)
		cursor_keep(c, v, ix, iy);
	cursor_clamp(c);
}

void cursor_move(struct cursor *c, struct view *v, int dx, int dy)
{
	int nx = c->cx + dx, ny = c->cy + dy, cw = c->cell_w, ch = c->cell_h;
	double px = 0, py = 0;

	if (nx < 0)
		px = (double)cw * nx;
	else if (nx >= c->cols)
		px = (double)cw * (nx - (c->cols - 1));
	if (ny < 0)
		py = (double)ch * ny;
	else if (ny >= c->rows)
		py = (double)ch * (ny - (c->rows - 1));
	if (px || py) {
		double ix, iy, sx, sy;

		cursor_point(c, v, &ix, &iy);
		view_pan(v, px, py);
		/* The cursor stays on the same image point where the view could not move. */
		view_to_screen(v, ix + (double)cw * dx / v->zoom, iy + (double)ch * dy / v->zoom, &sx, &sy);
		nx = (int)floor(sx / cw);
		ny = (int)floor(sy / ch);
	}
	c->cx = clamp(nx, c->cols);
	c->cy = clamp(ny, c->rows);
}

void cursor_zoom(struct cursor *c, struct view *v, int in)
{
	double sx, sy, z = v->zoom, target = pow(2, in ? floor(log2(z) + 1e-9) + 1 : ceil(log2(z) - 1e-9) - 1);

	cursor_screen(c, &sx, &sy);
	view_zoom_at(v, target / z, sx, sy);
}

void cursor_centre_view(struct cursor *c, struct view *v)
{
	double ix, iy;

	cursor_point(c, v, &ix, &iy);
	v->cx = ix;
	v->cy = iy;
	view_clamp(v);
	cursor_centre(c);
}

void cursor_fit(struct cursor *c, struct view *v)
{
	double ix, iy;

	cursor_point(c, v, &ix, &iy);
	view_fit(v);
	cursor_keep(c, v, ix, iy);
}
