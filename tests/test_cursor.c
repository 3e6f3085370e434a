/* test_cursor.c: the cursor's arithmetic with the view, with no terminal: the image point of a
 * cell, moving and panning at the edges, zoom steps about the cursor, keeping the cursor on its
 * point through a resize, centring and fitting. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cursor.h"
#include "tap.h"

static int near(double a, double b, double tol)
{
	return fabs(a - b) <= tol;
}

/* The cell the cursor is on holds its point (on the screen; a point on the image's far border
 * may be on the area's far edge, and then it is on the last cell). */
static int shows(const struct cursor *c, const struct view *v)
{
	double ix, iy, sx, sy;
	int x, y;

	cursor_point(c, v, &ix, &iy);
	view_to_screen(v, ix, iy, &sx, &sy);
	if (sx < -1e-9 || sy < -1e-9 || sx > c->cols * c->cell_w + 1e-9 || sy > c->rows * c->cell_h + 1e-9)
		return 0;
	x = (int)floor(sx / c->cell_w);
	y = (int)floor(sy / c->cell_h);
	x = x < 0 ? 0 : x >= c->cols ? c->cols - 1 : x;
	y = y < 0 ? 0 : y >= c->rows ? c->rows - 1 : y;
	return x == c->cx && y == c->cy;
}

/* coffee.png (600x400) in tmux at 120x40 with the panel: an image area of 91x39 cells. */
static void coffee(struct cursor *c, struct view *v)
{
	memset(c, 0, sizeof(*c));
	c->cell_w = 1;
	c->cell_h = 2;
	view_init(v, 600, 400, 91, 78, 1, 2);
	cursor_resize(c, v, 91, 39, 1, 2);
	cursor_centre(c);
}

/* The bugs of issue 16, each as it was met. */
static void coffee_bugs(void)
{
	struct cursor c;
	struct view v;
	double ix, iy, jx, jy, fit;
	int i;

	/* A: + + (0.5x), 60h 25k, then - and - (fit): the cursor went to (3, -51), above the image. */
	coffee(&c, &v);
	fit = v.zoom;
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 1);
	cursor_move(&c, &v, -60, 0);
	cursor_move(&c, &v, 0, -25);
	cursor_point(&c, &v, &ix, &iy);
	cursor_zoom(&c, &v, 0);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == 0.25 && jx == ix && jy == iy && shows(&c, &v), "A: zooming out to 0.25x keeps the point (%g,%g)", ix, iy);
	cursor_zoom(&c, &v, 0);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == fit && jx == ix && jy == iy && shows(&c, &v), "A: and out to fit too (%g,%g)", jx, jy);
	/* A, from another start: + 10h - moved the cursor by 40 pixels. */
	coffee(&c, &v);
	cursor_zoom(&c, &v, 1);
	cursor_move(&c, &v, -10, 0);
	cursor_point(&c, &v, &ix, &iy);
	cursor_zoom(&c, &v, 0);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == fit && jx == ix && jy == iy && shows(&c, &v), "A: + 10h - keeps (%g,%g)", ix, iy);

	/* B: . at fit zoom jumped to the image's centre. */
	coffee(&c, &v);
	cursor_move(&c, &v, -10, 0);
	cursor_point(&c, &v, &ix, &iy);
	cursor_centre_view(&c, &v);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(jx == ix && jy == iy && ix < 300 - 60 && shows(&c, &v), "B: . at fit keeps the point (%g,%g)", jx, jy);

	/* C: z in the middle of an outline: at 2x (202.98,59.88) became (201,54). */
	coffee(&c, &v);
	for (i = 0; i < 4; i++)
		cursor_zoom(&c, &v, 1);
	cursor_move(&c, &v, -195, -141);
	cursor_point(&c, &v, &ix, &iy);
	cursor_fit(&c, &v);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(v.zoom == fit && jx == ix && jy == iy && shows(&c, &v), "C: z at 2x keeps the point (%.2f,%.2f)", ix, iy);
	cursor_zoom(&c, &v, 1);
	cursor_point(&c, &v, &jx, &jy);
	tap_ok(jx == ix && jy == iy && shows(&c, &v), "C: and a zoom in after it");

	/* D: the cursor left the image: (-11,-11) at 0.5x. */
	coffee(&c, &v);
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 1);
	cursor_move(&c, &v, -1000, -1000);
	cursor_point(&c, &v, &ix, &iy);
	tap_ok(ix >= 0 && iy >= 0 && ix < 2 && iy < 4 && shows(&c, &v), "D: it stops at the top left corner, inside (%g,%g)", ix, iy);
	cursor_move(&c, &v, 5000, 5000);
	cursor_point(&c, &v, &ix, &iy);
	tap_ok(ix <= 600 && iy <= 400 && ix > 598 && iy > 396 && shows(&c, &v), "D: and at the bottom right (%g,%g)", ix, iy);
	cursor_pan(&c, &v, -100000, -100000);
	cursor_point(&c, &v, &ix, &iy);
	tap_ok(ix >= 0 && iy >= 0 && shows(&c, &v), "D: a pan brings it along, inside (%g,%g)", ix, iy);
}

/* After a counted jump past the view the cursor has room around it: it is not on the area's
 * edge, and there is image beyond it. */
static void scrolloff(void)
{
	struct cursor c;
	struct view v;
	double ix, iy;
	int mx, my;

	coffee(&c, &v);
	cursor_margin(&c, &mx, &my);
	tap_ok(mx == 12 && my == 6, "the margin in 91x39 cells: 12 columns, 6 rows");
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 1);
	cursor_zoom(&c, &v, 1);
	cursor_move(&c, &v, 60, 0);
	tap_ok(c.cx == 90 - mx, "a jump right past the view: %d cells to the right edge", 90 - c.cx);
	cursor_move(&c, &v, 0, 40);
	tap_ok(c.cy == 38 - my, "a jump down past it: %d rows to the bottom", 38 - c.cy);
	cursor_move(&c, &v, -200, -100);
	tap_ok(c.cx == mx && c.cy == my, "and back up left: (%d, %d)", c.cx, c.cy);
	cursor_move(&c, &v, 3, 2);
	tap_ok(c.cx == mx + 3 && c.cy == my + 2, "inside the margin the view stays");
	/* At the image's border there is nothing beyond to show: the cursor may reach the edge. */
	cursor_move(&c, &v, -10000, 0);
	cursor_point(&c, &v, &ix, &iy);
	tap_ok(ix < 1 && c.cx == 0 && v.cx - 91 / 2.0 / v.zoom > -1, "at the left border: column 0, the view not past it");
	/* Resizing keeps the point, and the margin. */
	cursor_move(&c, &v, 40, 0);
	cursor_point(&c, &v, &ix, &iy);
	cursor_resize(&c, &v, 30, 39, 1, 2);
	cursor_margin(&c, &mx, &my);
	{
		double jx, jy;

		cursor_point(&c, &v, &jx, &jy);
		tap_ok(jx == ix && jy == iy && c.cx >= mx && c.cx <= 29 - mx && shows(&c, &v),
		    "a narrower area keeps the point, with the margin (cell %d of 30)", c.cx);
	}
}

/* Any sequence of moves, zooms, pans, resizes and clicks keeps the point inside the image and
 * on the cursor's cell; after a move the margin holds wherever the image goes on. */
static void random_walk(void)
{
	struct cursor c;
	struct view v;
	unsigned seed = 12345;
	int i, bad_inside = 0, bad_cell = 0, bad_margin = 0;

	coffee(&c, &v);
	for (i = 0; i < 20000; i++) {
		double ix, iy, sx, sy, bx0, by0, bx1, by1;
		int op, mx, my, moved = 0;

		seed = seed * 1103515245u + 12345u;
		op = (int)(seed >> 16) % 10;
		seed = seed * 1103515245u + 12345u;
		switch (op) {
		case 0: case 1: case 2:
			cursor_move(&c, &v, (int)(seed >> 16) % 301 - 150, 0);
			moved = 1;
			break;
		case 3:
			cursor_move(&c, &v, 0, (int)(seed >> 16) % 121 - 60);
			moved = 1;
			break;
		case 4: cursor_zoom(&c, &v, (seed >> 16) & 1); break;
		case 5: if (((seed >> 16) & 7) == 0) cursor_fit(&c, &v); else cursor_centre_view(&c, &v); break;
		case 6: cursor_pan(&c, &v, (int)(seed >> 16) % 201 - 100, (int)(seed >> 8) % 201 - 100); break;
		case 7:
			if (((seed >> 16) & 15) == 0)
				cursor_resize(&c, &v, 10 + (int)(seed >> 20) % 150, 5 + (int)(seed >> 8) % 60, 1, 2);
			break;
		case 8: cursor_set_cell(&c, &v, (int)(seed >> 16) % c.cols, (int)(seed >> 8) % c.rows); break;
		default:
			cursor_zoom_at(&c, &v, (seed >> 16) & 1 ? 2.0 : 0.5, (int)(seed >> 18) % v.scr_w + 0.5,
			    (int)(seed >> 8) % v.scr_h + 0.5);
			break;
		}
		cursor_point(&c, &v, &ix, &iy);
		if (ix < 0 || iy < 0 || ix > 600 || iy > 400)
			bad_inside++;
		if (!shows(&c, &v) || c.cx < 0 || c.cy < 0 || c.cx >= c.cols || c.cy >= c.rows) {
			if (!bad_cell++)
				fprintf(stderr, "# op %d: point (%g,%g) cell %d,%d of %dx%d zoom %g\n", op, ix, iy, c.cx, c.cy, c.cols, c.rows, v.zoom);
		}
		if (!moved)
			continue;
		cursor_margin(&c, &mx, &my);
		view_to_screen(&v, ix, iy, &sx, &sy);
		view_to_screen(&v, 0, 0, &bx0, &by0);
		view_to_screen(&v, 600, 400, &bx1, &by1);
		if (sx < fmin(mx, sx - bx0) - 1e-6 || v.scr_w - sx < fmin(mx, bx1 - sx) - 1e-6 ||
		    sy < fmin(2.0 * my, sy - by0) - 1e-6 || v.scr_h - sy < fmin(2.0 * my, by1 - sy) - 1e-6)
			bad_margin++;
	}
	tap_ok(bad_inside == 0, "20000 random steps: the point always inside the image (%d outside)", bad_inside);
	tap_ok(bad_cell == 0, "the cursor's cell always holds its point (%d not)", bad_cell);
	tap_ok(bad_margin == 0, "after every move the margin, where the image goes on (%d without)", bad_margin);
}

int main(void)
{
	struct cursor c = { .cell_w = 1, .cell_h = 2 };
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
	/* The view follows with a margin (scrolloff): the cursor stays 12 cells from the right
	 * edge (it stayed on the edge before the margin). */
	tap_ok(v.zoom == 4.0 && c.cx == 63 - 12 && near(jx - ix, 1.0, 1e-9), "at the margin four cells pan one image pixel at 4x");
	cursor_move(&c, &v, 1000, 0);
	cursor_point(&c, &v, &ix, &iy);
	/* It stops at the image's border (it went on past it, bug D, with the view's centre on
	 * the edge); the border needs no margin beyond it. */
	tap_ok(ix == 64 && c.cx == 63 && near(v.cx, 56, 0.25), "a long move stops on the image's border, on the area's last cell");

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

	coffee_bugs();
	scrolloff();
	random_walk();
	return tap_done();
}
