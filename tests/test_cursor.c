/* test_cursor.c: the cursor's arithmetic with the view, with no terminal: the image point of a
 * cell, moving and panning at the edges, zoom steps about the cursor, keeping the cursor on its
 * point through a resize, centring and fitting. */
#include "config.h"

#include <math.h>

#include "cursor.h"
#include "tap.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

int main(void)
{
	struct cursor c = { 0, 0, 0, 0, 1, 2 };
	struct view v;
	double ix, iy, jx, jy;
	int i;

	/* The screen test's layout: a 64x43 image in 64x22 half-block cells shows at zoom 1, and
	 * the centre of cell (c, r) is the image point (c + 0.5, 2r + 0.5). */
	view_init(&v, 64, 43, 64, 44, 1, 2);
	cursor_resize(&c, &v, 64, 22, 1, 2);
	tap_ok(v.zoom == 1.0 && c.cols == 64 && c.rows == 22, "fit zoom 1 in 64x22 cells");
	cursor_move(&c, &v, -100, -100);
	cursor_point(&c, &v, &ix, &iy);
	tap_ok(c.cx == 0 && c.cy == 0 && ix == 0.5 && iy == 0.5, "the cursor stops at the corner at fit zoom");
	cursor_move(&c, &v, 10, 5);
	cursor_point(&c, &v, &ix, &iy);
	tap_ok(ix == 10.5 && iy == 10.5, "cell (10, 5) shows the pixel centre (10.5, 10.5)");
	cursor_screen(&c, &ix, &iy);
	tap_ok(ix == 10.5 && iy == 11, "its screen point is the cell's centre");
	tap_ok(cursor_snap_radius(&c, &v) == 3.0, "snapping reaches a cell and a half: 3 image pixels at 1x");

	/* Zoom steps are powers of two about the cursor's point. */
	cursor_point(&c, &v, &ix, &iy);
	cursor_zoom(&c, &v, 1);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == 2.0 && near(ix, jx, 1e-9) && near(iy, jy, 1e-9), "zoom in: 2x, the point under the cursor kept");
	for (i = 0; i < 10; i++)
		cursor_zoom(&c, &v, 1);
	tap_ok(v.zoom == VIEW_MAX_ZOOM, "zoom stops at %gx", VIEW_MAX_ZOOM);
	for (i = 0; i < 10; i++)
		cursor_zoom(&c, &v, 0);
	tap_ok(v.zoom == 1.0, "and out at fit");
	view_init(&v, 100, 100, 70, 70, 1, 1);
	tap_ok(near(v.zoom, 0.7, 1e-12), "a fit zoom of 0.7");
	cursor_resize(&c, &v, 70, 70, 1, 1);
	cursor_zoom(&c, &v, 1);
	tap_ok(v.zoom == 1.0, "zooming in from 0.7 lands on 1x");
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 0);
	tap_ok(v.zoom == 1.0, "out again from 2x: 1x");

	/* At 4x, reaching the right edge pans: the cursor stays at the edge, the point moves on. */
	view_init(&v, 64, 43, 64, 44, 1, 2);
	c.cx = c.cy = 0;
	c.cols = 0;
	cursor_resize(&c, &v, 64, 22, 1, 2);
	cursor_centre(&c);
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 1);
	cursor_move(&c, &v, 100, 0);
	cursor_point(&c, &v, &ix, &iy);
	cursor_move(&c, &v, 4, 0);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == 4.0 && c.cx == 63 && near(jx - ix, 1.0, 1e-9), "at the edge four cells pan one image pixel at 4x");
	cursor_move(&c, &v, 1000, 0);
	tap_ok(v.cx == 64 && c.cx == 63, "panning stops with the view's centre on the image's edge");

	/* A resize (or the panel folding) keeps the cursor on its image point. */
	cursor_move(&c, &v, -20, 3);
	cursor_point(&c, &v, &ix, &iy);
	cursor_resize(&c, &v, 40, 22, 1, 2);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(c.cols == 40 && v.scr_w == 40 && near(ix, jx, 0.5 / v.zoom) && near(iy, jy, 1.0 / v.zoom),
	    "a narrower area keeps the cursor on its point (%.2f,%.2f -> %.2f,%.2f)", ix, iy, jx, jy);
	cursor_resize(&c, &v, 10, 3, 1, 2);
	tap_ok(c.cx < 10 && c.cy < 3, "a tiny area keeps the cursor inside");
	cursor_resize(&c, &v, 0, 0, 1, 2);
	tap_ok(c.cx == 0 && c.cy == 0, "an area of no cells leaves the cursor at 0, 0");

	/* Centring and fitting. */
	view_init(&v, 64, 43, 64, 44, 1, 2);
	c.cols = 0;
	cursor_resize(&c, &v, 64, 22, 1, 2);
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 1);
	c.cx = 5;
	c.cy = 3;
	cursor_point(&c, &v, &ix, &iy);
	cursor_centre_view(&c, &v);
	tap_ok(c.cx == 32 && c.cy == 11 && near(v.cx, ix, 1e-9) && near(v.cy, iy, 1e-9), "centring: the view on the point");
	cursor_point(&c, &v, &ix, &iy);
	cursor_fit(&c, &v);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == 1.0 && near(ix, jx, 0.5) && near(iy, jy, 1.0), "fit: the whole image, the cursor on its point");
	return tap_done();
}
