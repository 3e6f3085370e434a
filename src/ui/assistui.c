/* assistui.c: the assist tools on the screen (see assistui.h): the preview, its keys, and the
 * work polled from the loop's idle time. */
#include "config.h"

#include "assistui.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chrome.h"
#include "region.h"
#include "scissors.h"
#include "ui.h"
#include "wand.h"
#include "xalloc.h"

#define GAPS_MAX 4096 /* unlabeled regions the jump goes through, largest first */
#define TOL_STEP 4

enum preview_kind { PREVIEW_NONE, PREVIEW_WAND };

struct assistui {
	enum preview_kind kind;
	struct region region;      /* what Enter applies */
	raster_ring *rings;        /* its outline, for the marks */
	size_t nrings;
	int wand_x, wand_y, tol;   /* the wand's seed and tolerance */

	int scissors;              /* edge-following outlines on */
	struct {                   /* the last path worked out, for the frames that show it */
		int fx, fy, tx, ty;
		uint64_t image;
		raster_pt *pts;        /* the vertices between the ends, pixel centres */
		size_t n;
		int valid;
	} wire;

	size_t gap_next;           /* the unlabeled region the next jump goes to */
	uint64_t gap_edits;        /* the document's edit count when the list was last walked */
};

/* Drawn in colours frame.c keeps exact: a vertex's cyan, the eraser's red. */
static const uint8_t preview_rgb[3] = { 0, 255, 255 };
static const uint8_t preview_cut_rgb[3] = { 255, 60, 60 };

void assistui_init(struct ui *u)
{
	u->assist = xcalloc(1, sizeof(*u->assist));
	u->assist->tol = WAND_TOL_DEFAULT;
}

static void drop_preview(struct assistui *a)
{
	region_free(&a->region);
	raster_rings_free(a->rings, a->nrings);
	a->rings = NULL;
	a->nrings = 0;
	a->kind = PREVIEW_NONE;
}

void assistui_free(struct ui *u)
{
	if (!u->assist)
		return;
	drop_preview(u->assist);
	free(u->assist->wire.pts);
	free(u->assist);
	u->assist = NULL;
}

void assistui_image_changed(struct ui *u)
{
	struct assistui *a = u->assist;

	if (!a)
		return;
	drop_preview(a);
	a->gap_next = 0;
	a->wire.valid = 0;
}

/* The vertices between from and to that follow the strongest edge (none when scissors are
 * off, the ends are in one pixel, or the segment is too long to search): borrowed until the
 * next call. */
static const raster_pt *wire(struct ui *u, raster_pt from, raster_pt to, size_t *n)
{
	struct assistui *a = u->assist;
	struct scissors_pt *p = NULL;
	size_t np = 0, i;
	int fx = (int)floor((double)from.x / RASTER_ONE), fy = (int)floor((double)from.y / RASTER_ONE);
	int tx = (int)floor((double)to.x / RASTER_ONE), ty = (int)floor((double)to.y / RASTER_ONE);
	const struct img *im = u->s->im;

	*n = 0;
	if (!a->scissors || !im)
		return NULL;
	fx = fx < 0 ? 0 : fx >= im->w ? im->w - 1 : fx;
	fy = fy < 0 ? 0 : fy >= im->h ? im->h - 1 : fy;
	tx = tx < 0 ? 0 : tx >= im->w ? im->w - 1 : tx;
	ty = ty < 0 ? 0 : ty >= im->h ? im->h - 1 : ty;
	if (a->wire.valid && a->wire.fx == fx && a->wire.fy == fy && a->wire.tx == tx && a->wire.ty == ty &&
	    a->wire.image == u->opened) {
		*n = a->wire.n;
		return a->wire.pts;
	}
	free(a->wire.pts);
	a->wire.pts = NULL;
	a->wire.n = 0;
	a->wire.valid = 1;
	a->wire.fx = fx;
	a->wire.fy = fy;
	a->wire.tx = tx;
	a->wire.ty = ty;
	a->wire.image = u->opened;
	if (scissors_path(im, fx, fy, tx, ty, scissors_band(hypot(tx - fx, ty - fy)), &p, &np, NULL) != 0)
		return NULL;
	/* Within half a pixel of the path: the outline keeps to the edge's pixels, not to every
	 * step of their staircase. */
	np = scissors_simplify(p, np, 0.5);
	if (np > 2) {
		a->wire.pts = xreallocarray(NULL, np - 2, sizeof(*a->wire.pts));
		for (i = 1; i + 1 < np; i++)
			a->wire.pts[i - 1] = raster_pt_from_double(p[i].x + 0.5, p[i].y + 0.5);
		a->wire.n = np - 2;
	}
	free(p);
	*n = a->wire.n;
	return a->wire.pts;
}

const raster_pt *assistui_wire(struct ui *u, raster_pt from, raster_pt to, size_t *n)
{
	return wire(u, from, to, n);
}

/* A vertex with scissors on: the path's vertices first, then the vertex where it would go. */
static int scissors_vertex(struct ui *u)
{
	struct session *s = u->s;
	struct session_snap sn;
	const raster_pt *mid;
	double ix, iy, r;
	size_t n, i;

	if (!u->assist->scissors || s->npts == 0)
		return 0;
	cursor_point(&u->cur, &u->view, &ix, &iy);
	r = cursor_snap_radius(&u->cur, &u->view);
	session_snap_find(s, ix, iy, r, &sn);
	mid = wire(u, s->pts[s->npts - 1], sn.at, &n);
	for (i = 0; i < n; i++)
		if (session_add_vertex(s, mid[i]) != 0)
			return 1;
	(void)session_place_vertex(s, ix, iy, r);
	return 1;
}

/* The region became the preview: its outline is traced once, for every frame that shows it. */
static int show_region(struct ui *u, enum preview_kind kind)
{
	struct assistui *a = u->assist;
	char *cause = NULL;

	raster_rings_free(a->rings, a->nrings);
	a->rings = NULL;
	a->nrings = 0;
	if (region_rings(&a->region, &a->rings, &a->nrings, &cause) != 0) {
		chrome_say(u, "%s", cause ? cause : "cannot trace the region");
		free(cause);
		drop_preview(a);
		return -1;
	}
	a->kind = kind;
	return 0;
}

static void wand_run(struct ui *u)
{
	struct assistui *a = u->assist;
	char *cause = NULL;

	if (wand_select(u->s->im, a->wand_x, a->wand_y, a->tol, &a->region, &cause) != 0) {
		chrome_say(u, "%s", cause ? cause : "wand failed");
		free(cause);
		drop_preview(a);
		return;
	}
	(void)show_region(u, PREVIEW_WAND);
}

static void wand_at_cursor(struct ui *u)
{
	struct assistui *a = u->assist;
	double ix, iy;

	if (u->s->npts > 0) {
		chrome_say(u, "an outline is in progress (Enter closes it, Esc cancels)");
		return;
	}
	cursor_point(&u->cur, &u->view, &ix, &iy);
	a->wand_x = (int)floor(ix);
	a->wand_y = (int)floor(iy);
	wand_run(u);
}

static void tolerance(struct ui *u, int step)
{
	struct assistui *a = u->assist;
	int t = a->tol + step;

	if (a->kind != PREVIEW_WAND) {
		chrome_say(u, "the tolerance is the wand's: %d (%s starts one)", a->tol, keys_describe(u->keys, ACT_WAND));
		return;
	}
	a->tol = t < 0 ? 0 : t > WAND_TOL_MAX ? WAND_TOL_MAX : t;
	wand_run(u);
}

static void accept(struct ui *u)
{
	struct assistui *a = u->assist;
	if (session_apply_rings(u->s, a->rings, a->nrings) == 0)
		drop_preview(a);
	/* Refused (nothing selected to add to, read-only): the session says why and the preview
	 * stays, so the user can select an instance and press Enter again. */
}

/* The next unlabeled region, largest first: the cursor goes to a pixel near its middle and
 * the view centres on it. The walk starts over after an edit. */
static void next_gap(struct ui *u)
{
	struct assistui *a = u->assist;
	struct session *s = u->s;
	struct region_gap *g = NULL;
	size_t n = 0, i;
	char *cause = NULL;

	if (!s->comp.ids) {
		chrome_say(u, "no masks for this image");
		return;
	}
	if (s->it.doc && s->it.doc->edits != a->gap_edits) {
		a->gap_edits = s->it.doc->edits;
		a->gap_next = 0;
	}
	if (region_find_gaps(s->comp.ids, s->comp.w, s->comp.h, GAPS_MAX, &g, &n, &cause) != 0) {
		chrome_say(u, "%s", cause ? cause : "error");
		free(cause);
		return;
	}
	if (n == 0) {
		chrome_say(u, "every pixel of this image is labeled (%s: the next image with unlabeled pixels)",
		    keys_describe(u->keys, ACT_NEXT_UNLABELED));
		free(g);
		return;
	}
	i = a->gap_next % n;
	a->gap_next = i + 1;
	cursor_keep(&u->cur, &u->view, g[i].x + 0.5, g[i].y + 0.5);
	cursor_centre_view(&u->cur, &u->view);
	chrome_say(u, "unlabeled region %zu of %zu%s: %llu px, %dx%d", i + 1, n, n == GAPS_MAX ? "+" : "",
	    (unsigned long long)g[i].npx, g[i].bx1 - g[i].bx0, g[i].by1 - g[i].by0);
	free(g);
}

int assistui_action(struct ui *u, enum action act)
{
	struct assistui *a = u->assist;

	switch (act) {
	case ACT_WAND: wand_at_cursor(u); return 1;
	case ACT_TOL_UP: tolerance(u, TOL_STEP); return 1;
	case ACT_TOL_DOWN: tolerance(u, -TOL_STEP); return 1;
	case ACT_GAP_NEXT: next_gap(u); return 1;
	case ACT_SCISSORS:
		a->scissors = !a->scissors;
		chrome_say(u, a->scissors ? "edge-following outlines: the segment to the cursor follows the strongest edge "
		    "(%s: straight again)" : "straight segments again (%s: follow edges)", keys_describe(u->keys, ACT_SCISSORS));
		return 1;
	case ACT_VERTEX: return scissors_vertex(u);
	case ACT_CLOSE:
		if (a->kind == PREVIEW_NONE)
			return 0;
		accept(u);
		return 1;
	case ACT_CANCEL:
		if (a->kind == PREVIEW_NONE)
			return 0;
		drop_preview(a);
		chrome_say(u, "dropped");
		return 1;
	default:
		return 0;
	}
}

int assistui_idle(struct ui *u)
{
	(void)u;
	return 0;
}

int assistui_busy(const struct ui *u)
{
	(void)u;
	return 0;
}

void assistui_marks(struct ui *u)
{
	struct assistui *a = u->assist;
	const uint8_t *rgb = u->s->mode == SESSION_CUT ? preview_cut_rgb : preview_rgb;
	size_t i, k;

	if (!a || a->kind == PREVIEW_NONE)
		return;
	for (i = 0; i < a->nrings; i++) {
		const raster_ring *r = &a->rings[i];
		double px, py, sx, sy;

		view_to_screen(&u->view, (double)r->pts[r->n - 1].x / RASTER_ONE, (double)r->pts[r->n - 1].y / RASTER_ONE, &px, &py);
		for (k = 0; k < r->n; k++) {
			view_to_screen(&u->view, (double)r->pts[k].x / RASTER_ONE, (double)r->pts[k].y / RASTER_ONE, &sx, &sy);
			/* Edges wholly off the area cost nothing to skip. */
			if (!((px < 0 && sx < 0) || (py < 0 && sy < 0) || (px >= u->view.scr_w && sx >= u->view.scr_w) ||
			    (py >= u->view.scr_h && sy >= u->view.scr_h)))
				display_marks_line(&u->marks, px, py, sx, sy, rgb);
			px = sx;
			py = sy;
		}
	}
}

void assistui_status(const struct ui *u, char *buf, size_t n)
{
	const struct assistui *a = u->assist;
	const char *mode = u->s->mode == SESSION_CUT ? "cut" : u->s->mode == SESSION_ADD ? "add" : "new";

	char down[32], up[32];

	buf[0] = '\0';
	if (!a)
		return;
	/* keys_describe's buffer is its own until the next call. */
	snprintf(down, sizeof(down), "%s", keys_describe(u->keys, ACT_TOL_DOWN));
	snprintf(up, sizeof(up), "%s", keys_describe(u->keys, ACT_TOL_UP));
	if (a->kind == PREVIEW_WAND)
		snprintf(buf, n, "wand %llu px, tolerance %d (%s/%s), Enter: %s, Esc | ", (unsigned long long)a->region.npx,
		    a->tol, down, up, mode);
	else if (a->scissors)
		snprintf(buf, n, "following edges | ");
}
