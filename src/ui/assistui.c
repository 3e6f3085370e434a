/* assistui.c: the assist tools on the screen (see assistui.h): the preview, its keys, and the
 * work polled from the loop's idle time. */
#include "config.h"

#include "assistui.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "chrome.h"
#include "model.h"
#include "region.h"
#include "scissors.h"
#include "slic.h"
#include "ui.h"
#include "wand.h"
#include "xalloc.h"

#define GAPS_MAX 4096 /* unlabeled regions the jump goes through, largest first */
#define TOL_STEP 4

enum preview_kind { PREVIEW_NONE, PREVIEW_WAND, PREVIEW_SUPERPIXELS, PREVIEW_MODEL };

/* Superpixel sizes the size key goes through: about this many pixels each. */
static const int sp_sizes[] = { 400, 900, 1600, 3600, 6400 };
#define NSP_SIZES (sizeof(sp_sizes) / sizeof(sp_sizes[0]))
#define SP_COMPACTNESS 10.0

/* Superpixels computed beside the loop: the thread reads the image (which stays open: a
 * change of image stops and joins it first) and writes only the job. */
struct sp_job {
	const struct img *im;
	struct slic_params params;
	struct slic_ctl ctl;
	struct slic result;
	char *cause;
	atomic_int finished;
	int rc;
};

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

	/* Superpixels of the open image: computed (or from the cache), or being computed. */
	struct slic sp;
	int sp_size;               /* into sp_sizes */
	int sp_show;               /* their boundaries over the view */
	int sp_pick;               /* the superpixel under the cursor goes into the preview when ready */
	struct sp_job *job;
	pthread_t thread;
	int job_shown;             /* the progress last drawn */

	/* The model command: its points (kept while its preview is up, for more) and its job. */
	char *model_cmd;           /* owned, or NULL: none configured */
	double model_timeout;
	struct model_point mpts[MODEL_MAX_POINTS];
	size_t nmpts;
	struct model_job mjob;

	size_t gap_next;           /* the unlabeled region the next jump goes to */
	uint64_t gap_edits;        /* the document's edit count when the list was last walked */
};

static int show_region(struct ui *u, enum preview_kind kind);

/* Drawn in colours frame.c keeps exact: a vertex's cyan, the eraser's red. */
static const uint8_t preview_rgb[3] = { 0, 255, 255 };
static const uint8_t preview_cut_rgb[3] = { 255, 60, 60 };

static double clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void assistui_init(struct ui *u, const char *model_command, double model_timeout)
{
	u->assist = xcalloc(1, sizeof(*u->assist));
	u->assist->tol = WAND_TOL_DEFAULT;
	u->assist->sp_size = 2;
	u->assist->model_cmd = model_command && *model_command ? xstrdup(model_command) : NULL;
	u->assist->model_timeout = model_timeout > 0 ? model_timeout : MODEL_TIMEOUT_DEFAULT;
}

/* Stops a computation and waits for it (a pass at most). */
static void sp_stop(struct assistui *a)
{
	if (!a->job)
		return;
	atomic_store(&a->job->ctl.stop, 1);
	pthread_join(a->thread, NULL);
	slic_free(&a->job->result);
	free(a->job->cause);
	free(a->job);
	a->job = NULL;
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
	model_kill(&u->assist->mjob);
	free(u->assist->model_cmd);
	sp_stop(u->assist);
	slic_free(&u->assist->sp);
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
	model_kill(&a->mjob);
	a->nmpts = 0;
	sp_stop(a);
	slic_free(&a->sp);
	a->sp_pick = 0;
	a->gap_next = 0;
	a->wire.valid = 0;
}

/* ---- superpixels ------------------------------------------------------------------------- */

static void sp_params(const struct ui *u, struct slic_params *p)
{
	const struct img *im = u->s->im;
	double n = (double)im->w * im->h / sp_sizes[u->assist->sp_size];

	p->nseg = n < 1 ? 1 : n > SLIC_MAX_SEGMENTS ? SLIC_MAX_SEGMENTS : (int)n;
	p->compactness = SP_COMPACTNESS;
}

static void *sp_thread(void *arg)
{
	struct sp_job *j = arg;

	j->rc = slic_compute(j->im, &j->params, &j->ctl, &j->result, &j->cause);
	atomic_store(&j->finished, 1);
	return NULL;
}

/* Superpixels for the open image at the size chosen: from the cache when it has them, else
 * computed beside the loop. 1 when they are ready now. */
static int sp_ensure(struct ui *u)
{
	struct assistui *a = u->assist;
	struct session *s = u->s;
	struct slic_params p;
	struct slic_key key;
	char *path;

	sp_params(u, &p);
	if (a->sp.labels && a->sp.params.nseg == p.nseg)
		return 1;
	if (a->job) {
		if (a->job->params.nseg == p.nseg)
			return 0;
		sp_stop(a);
	}
	slic_free(&a->sp);
	path = slic_cache_path(s->state_dir, s->images[s->cur]);
	if (path && slic_key_make(s->images[s->cur], session_tool_image(s), &p, &key, NULL) == 0 &&
	    slic_cache_load(path, &key, &a->sp, NULL) == 0) {
		free(path);
		chrome_say(u, "%d superpixel%s of about %d px (from the cache)", a->sp.nlabels, a->sp.nlabels == 1 ? "" : "s",
		    sp_sizes[a->sp_size]);
		return 1;
	}
	free(path);
	a->job = xcalloc(1, sizeof(*a->job));
	a->job->im = session_tool_image(s);
	a->job->params = p;
	atomic_init(&a->job->ctl.progress, 0);
	atomic_init(&a->job->ctl.stop, 0);
	atomic_init(&a->job->finished, 0);
	if (pthread_create(&a->thread, NULL, sp_thread, a->job) != 0) {
		free(a->job);
		a->job = NULL;
		chrome_say(u, "cannot start computing superpixels");
		return 0;
	}
	a->job_shown = -1;
	return 0;
}

/* A finished computation: its superpixels are kept, and written to the cache. */
static void sp_collect(struct ui *u)
{
	struct assistui *a = u->assist;
	struct session *s = u->s;
	struct sp_job *j = a->job;
	struct slic_key key;
	char *path, *cause = NULL;

	pthread_join(a->thread, NULL);
	a->job = NULL;
	if (j->rc != 0) {
		chrome_say(u, "superpixels: %s", j->cause ? j->cause : "failed");
		a->sp_pick = 0;
		goto out;
	}
	a->sp = j->result;
	memset(&j->result, 0, sizeof(j->result));
	path = slic_cache_path(s->state_dir, s->images[s->cur]);
	if (path && (slic_key_make(s->images[s->cur], session_tool_image(s), &a->sp.params, &key, &cause) != 0 ||
	    slic_cache_save(path, &key, &a->sp, &cause) != 0))
		chrome_say(u, "%d superpixel%s (not cached: %s)", a->sp.nlabels, a->sp.nlabels == 1 ? "" : "s",
		    cause ? cause : "?");
	else
		chrome_say(u, "%d superpixel%s of about %d px", a->sp.nlabels, a->sp.nlabels == 1 ? "" : "s",
		    sp_sizes[a->sp_size]);
	free(cause);
	free(path);
out:
	slic_free(&j->result);
	free(j->cause);
	free(j);
}

/* The superpixel under the cursor in or out of the preview. */
static void sp_pick(struct ui *u)
{
	struct assistui *a = u->assist;
	struct region one = { 0 };
	double ix, iy;
	int x, y, l, bx0, by0, bx1 = -1, by1 = -1;
	size_t i;

	a->sp_pick = 0;
	cursor_point(&u->cur, &u->view, &ix, &iy);
	x = (int)floor(ix);
	y = (int)floor(iy);
	if (x < 0 || y < 0 || x >= a->sp.w || y >= a->sp.h)
		return;
	l = slic_label(&a->sp, x, y);
	bx0 = a->sp.w;
	by0 = a->sp.h;
	for (i = 0; i < (size_t)a->sp.w * a->sp.h; i++)
		if (a->sp.labels[i] == l) {
			int px = (int)(i % a->sp.w), py = (int)(i / a->sp.w);

			bx0 = px < bx0 ? px : bx0;
			bx1 = px > bx1 ? px : bx1;
			by0 = py < by0 ? py : by0;
			by1 = py > by1 ? py : by1;
		}
	one.x0 = bx0;
	one.y0 = by0;
	one.w = bx1 - bx0 + 1;
	one.h = by1 - by0 + 1;
	one.mask = xcalloc((size_t)one.w * one.h, 1);
	for (y = by0; y <= by1; y++)
		for (x = bx0; x <= bx1; x++)
			if (slic_label(&a->sp, x, y) == l) {
				one.mask[(size_t)(y - by0) * one.w + (x - bx0)] = 1;
				one.npx++;
			}
	if (a->kind != PREVIEW_SUPERPIXELS)
		drop_preview(a);
	/* Picked again: out of the preview. */
	region_merge(&a->region, &one, !region_has(&a->region, (int)floor(ix), (int)floor(iy)));
	region_free(&one);
	if (!a->region.npx) {
		drop_preview(a);
		return;
	}
	(void)show_region(u, PREVIEW_SUPERPIXELS);
}

/* ---- the model command -------------------------------------------------------------------- */

/* A point at the cursor (1 includes, 0 excludes), and the command run again with all of them. */
static void model_point(struct ui *u, int label)
{
	struct assistui *a = u->assist;
	struct session *s = u->s;
	char *cause = NULL;
	double ix, iy;

	if (!a->model_cmd) {
		chrome_say(u, "no model command: [assist] command in config.ini, or --assist-command (doc/assist.md)");
		return;
	}
	if (s->npts > 0) {
		chrome_say(u, "an outline is in progress (Enter closes it, Esc cancels)");
		return;
	}
	/* A new object unless its preview (or its run) is still up. */
	if (a->kind != PREVIEW_MODEL && !a->mjob.pid)
		a->nmpts = 0;
	if (!label && a->nmpts == 0) {
		chrome_say(u, "%s first: a point on the object", keys_describe(u->keys, ACT_MODEL));
		return;
	}
	if (a->nmpts == MODEL_MAX_POINTS) {
		chrome_say(u, "at most %d points", MODEL_MAX_POINTS);
		return;
	}
	cursor_point(&u->cur, &u->view, &ix, &iy);
	a->mpts[a->nmpts].x = ix;
	a->mpts[a->nmpts].y = iy;
	a->mpts[a->nmpts].label = label;
	a->nmpts++;
	model_kill(&a->mjob);
	if (model_start(a->model_cmd, s->images[s->cur], s->im->w, s->im->h, a->mpts, a->nmpts, NULL, clock_now(),
	    a->model_timeout, &a->mjob, &cause) != 0) {
		chrome_say(u, "model: %s", cause ? cause : "cannot start");
		free(cause);
		a->nmpts--;
	}
}

static int model_idle(struct ui *u)
{
	struct assistui *a = u->assist;
	struct region r = { 0 };
	char *cause = NULL;
	static int shown = -1;
	int secs;

	if (!a->mjob.pid)
		return 0;
	switch (model_poll(&a->mjob, clock_now(), &r, &cause)) {
	case MODEL_RUNNING:
		/* The status line counts the seconds. */
		secs = (int)(clock_now() - a->mjob.started);
		if (secs != shown) {
			shown = secs;
			return 1;
		}
		return 0;
	case MODEL_DONE:
		if (!r.npx) {
			chrome_say(u, "the model found nothing there");
			region_free(&r);
			if (a->kind == PREVIEW_MODEL)
				drop_preview(a);
			return 1;
		}
		if (a->kind != PREVIEW_MODEL)
			drop_preview(a);
		region_free(&a->region);
		a->region = r;
		(void)show_region(u, PREVIEW_MODEL);
		return 1;
	case MODEL_FAILED:
		chrome_say(u, "model: %s", cause ? cause : "failed");
		free(cause);
		a->nmpts -= a->nmpts > 0;
		return 1;
	}
	return 0;
}

static void sp_action(struct ui *u, enum action act)
{
	struct assistui *a = u->assist;

	if (u->s->npts > 0) {
		chrome_say(u, "an outline is in progress (Enter closes it, Esc cancels)");
		return;
	}
	switch (act) {
	case ACT_SP_SHOW:
		a->sp_show = !a->sp_show;
		if (a->sp_show && !sp_ensure(u))
			chrome_say(u, "computing superpixels...");
		break;
	case ACT_SP_PICK:
		if (sp_ensure(u))
			sp_pick(u);
		else {
			a->sp_pick = 1;
			chrome_say(u, "computing superpixels... (the one under the cursor is picked when ready)");
		}
		break;
	case ACT_SP_SIZE:
		a->sp_size = (a->sp_size + 1) % (int)NSP_SIZES;
		if (a->kind == PREVIEW_SUPERPIXELS)
			drop_preview(a);
		chrome_say(u, "superpixels of about %d px", sp_sizes[a->sp_size]);
		if (a->sp_show)
			(void)sp_ensure(u);
		break;
	default:
		break;
	}
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
	const struct img *im = session_tool_image(u->s);

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

/* A vertex with scissors on: the path's vertices first, then the vertex where it would go, as
 * one step that Backspace takes back whole. */
static int scissors_vertex(struct ui *u)
{
	struct session *s = u->s;
	struct session_snap sn;
	const raster_pt *mid;
	double ix, iy, r;
	size_t n;

	if (!u->assist->scissors || s->npts == 0)
		return 0;
	cursor_point(&u->cur, &u->view, &ix, &iy);
	r = cursor_snap_radius(&u->cur, &u->view);
	session_snap_find(s, ix, iy, r, &sn);
	mid = wire(u, s->pts[s->npts - 1], sn.at, &n);
	(void)session_place_path(s, mid, n, ix, iy, r);
	return 1;
}

/* With scissors on, the side that closes the outline follows the edge too: the path from the
 * last vertex back to the first, without its two ends (the vertices themselves). */
static void close_along_edge(struct ui *u)
{
	struct session *s = u->s;
	const raster_pt *mid;
	size_t n;

	if (!u->assist->scissors || s->npts < 3)
		return;
	mid = wire(u, s->pts[s->npts - 1], s->pts[0], &n);
	if (n > 2)
		(void)session_add_path(s, mid + 1, n - 2);
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

	if (wand_select(session_tool_image(u->s), a->wand_x, a->wand_y, a->tol, &a->region, &cause) != 0) {
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
	case ACT_SP_SHOW: case ACT_SP_PICK: case ACT_SP_SIZE: sp_action(u, act); return 1;
	case ACT_MODEL: model_point(u, 1); return 1;
	case ACT_MODEL_EXCLUDE: model_point(u, 0); return 1;
	case ACT_SCISSORS:
		a->scissors = !a->scissors;
		chrome_say(u, a->scissors ? "edge-following outlines: the segment to the cursor follows the strongest edge "
		    "(%s: straight again)" : "straight segments again (%s: follow edges)", keys_describe(u->keys, ACT_SCISSORS));
		return 1;
	case ACT_VERTEX: return scissors_vertex(u);
	case ACT_CLOSE:
		/* An outline begun (a click) while a preview is up: Enter closes the outline. */
		if (a->kind == PREVIEW_NONE || u->s->npts > 0) {
			close_along_edge(u);
			return 0;
		}
		accept(u);
		return 1;
	case ACT_CANCEL:
		if (a->mjob.pid) {
			model_kill(&a->mjob);
			a->nmpts -= a->nmpts > 0;
			chrome_say(u, "model stopped");
			return 1;
		}
		if (a->job) {
			sp_stop(a);
			a->sp_pick = a->sp_show = 0;
			chrome_say(u, "superpixels stopped");
			return 1;
		}
		if (a->kind == PREVIEW_NONE || u->s->npts > 0)
			return 0;
		drop_preview(a);
		a->nmpts = 0;
		chrome_say(u, "dropped");
		return 1;
	default:
		return 0;
	}
}

int assistui_idle(struct ui *u)
{
	struct assistui *a = u->assist;
	int redraw = model_idle(u);

	if (a->job) {
		int pr = atomic_load(&a->job->ctl.progress) * 100 / SLIC_PROGRESS_END;

		if (atomic_load(&a->job->finished)) {
			sp_collect(u);
			if (a->sp_pick && a->sp.labels)
				sp_pick(u);
			redraw = 1;
		} else if (pr != a->job_shown) {
			a->job_shown = pr;
			redraw = 1;
		}
	}
	return redraw;
}

int assistui_previewing(const struct ui *u)
{
	return u->assist && u->assist->kind != PREVIEW_NONE;
}

int assistui_busy(const struct ui *u)
{
	return u->assist && (u->assist->job || u->assist->mjob.pid);
}

/* The superpixels' boundaries: a dot on each screen pixel whose image pixel's label differs
 * from the one right of it or below it on screen. */
static void sp_marks(struct ui *u)
{
	static const uint8_t rgb[3] = { 255, 230, 0 }; /* frame.c's edge yellow, kept exact */
	const struct slic *sp = &u->assist->sp;
	int sx, sy, W = u->view.scr_w, H = u->view.scr_h;
	int *col = xmalloc((size_t)(W + 1) * sizeof(*col)), *prev = xmalloc((size_t)(W + 1) * sizeof(*prev));
	int *cur = xmalloc((size_t)(W + 1) * sizeof(*cur));
	double ix, iy;

	for (sx = 0; sx <= W; sx++) {
		view_to_image(&u->view, sx + 0.5, 0.5, &ix, &iy);
		col[sx] = (int)floor(ix);
	}
	for (sy = 0; sy < H; sy++) {
		int y;

		view_to_image(&u->view, 0.5, sy + 0.5, &ix, &iy);
		y = (int)floor(iy);
		for (sx = 0; sx < W; sx++) {
			int x = col[sx];

			cur[sx] = x >= 0 && y >= 0 && x < sp->w && y < sp->h ? slic_label(sp, x, y) : -1;
		}
		for (sx = 0; sx < W; sx++)
			if (cur[sx] >= 0 && ((sx + 1 < W && cur[sx + 1] >= 0 && cur[sx + 1] != cur[sx]) ||
			    (sy > 0 && prev[sx] >= 0 && prev[sx] != cur[sx])))
				display_marks_dot(&u->marks, sx, sy, 0, rgb);
		memcpy(prev, cur, (size_t)W * sizeof(*cur));
	}
	free(col);
	free(prev);
	free(cur);
}

void assistui_marks(struct ui *u)
{
	struct assistui *a = u->assist;
	const uint8_t *rgb = u->s->mode == SESSION_CUT ? preview_cut_rgb : preview_rgb;
	size_t i, k;

	if (!a)
		return;
	if (a->sp_show && a->sp.labels)
		sp_marks(u);
	/* The model's points: the include ones in the preview's colour, the others in red. */
	for (i = 0; i < a->nmpts; i++) {
		double sx, sy;

		view_to_screen(&u->view, a->mpts[i].x, a->mpts[i].y, &sx, &sy);
		display_marks_dot(&u->marks, (int)floor(sx), (int)floor(sy), u->area.cell_w > 2 ? 2 : 0,
		    a->mpts[i].label ? preview_rgb : preview_cut_rgb);
	}
	if (a->kind == PREVIEW_NONE)
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
	snprintf(down, sizeof(down), "%s", keys_describe(u->keys, a->kind == PREVIEW_MODEL ? ACT_MODEL : ACT_TOL_DOWN));
	snprintf(up, sizeof(up), "%s", keys_describe(u->keys, a->kind == PREVIEW_MODEL ? ACT_MODEL_EXCLUDE : ACT_TOL_UP));
	if (a->kind == PREVIEW_WAND)
		snprintf(buf, n, "wand %llu px, tolerance %d (%s/%s), Enter: %s, Esc | ", (unsigned long long)a->region.npx,
		    a->tol, down, up, mode);
	else if (a->mjob.pid)
		snprintf(buf, n, "model running, %.0f s (Esc stops) | ", clock_now() - a->mjob.started);
	else if (a->kind == PREVIEW_MODEL)
		snprintf(buf, n, "model %llu px, %zu point%s (%s/%s adds), Enter: %s, Esc | ", (unsigned long long)a->region.npx,
		    a->nmpts, a->nmpts == 1 ? "" : "s", down, up, mode);
	else if (a->kind == PREVIEW_SUPERPIXELS)
		snprintf(buf, n, "superpixels %llu px (%s picks), Enter: %s, Esc | ", (unsigned long long)a->region.npx,
		    keys_describe(u->keys, ACT_SP_PICK), mode);
	else if (a->job)
		snprintf(buf, n, "superpixels %d%% (Esc stops) | ", atomic_load(&a->job->ctl.progress) * 100 / SLIC_PROGRESS_END);
	else if (a->scissors)
		snprintf(buf, n, "following edges | ");
}
