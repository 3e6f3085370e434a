/* app.c: the annotator's event loop and state. */
#include "config.h"

#include "app.h"

#include <curses.h>
#include <term.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "cfg.h"
#include "compose.h"
#include "doc.h"
#include "err.h"
#include "imgarea.h"
#include "item.h"
#include "keys.h"
#include "lock.h"
#include "paths.h"
#include "sixelout.h"
#include "tty.h"
#include "view.h"
#include "xalloc.h"

#define PANEL_W 28
#define MASK_IDLE_S 1.5
#define ZOOM_STEP 2.0
#define FAST_STEP 8

enum draw_mode { MODE_NEW, MODE_ADD, MODE_ERASE };

/* Documents of images left during this session, with their undo history, so that coming back
 * to an image (N then B) can still undo. Kept only while the sidecar on disk is the one this
 * session wrote. */
#define KEPT_DOCS 8

struct kept {
	char *image;     /* owned */
	struct doc *doc; /* owned, with its history */
	struct stat st;  /* the sidecar as this session left it */
};

struct app {
	char **images;
	size_t nimages, cur;
	uint8_t *done;     /* per image: its review state is "done" */
	size_t ndone;
	const char *resume_key;

	/* The current image. */
	struct item it;
	int have_item;
	char *open_error;  /* why the document could not be opened: read-only */
	struct lock lock;  /* this image is ours to edit */
	char *save_error;  /* why the last save failed; shown until a save succeeds */
	char *unsaved;     /* images whose edits could not be saved, for the exit message */
	char *notice;      /* shown once the first image is open (config warnings) */
	struct kept kept[KEPT_DOCS];
	size_t nkept;
	struct img *im;
	struct pyr pyr;
	struct compose comp;
	struct view view;
	uint8_t class_rgb[256][3];

	struct cfg_user user;
	struct keys *keys;
	struct imgarea area;
	uint8_t *frame;
	size_t frame_cap;
	int term_cols, term_rows, panel;
	const char *display;  /* "sixel" or "blocks", for the status line */
	int cell_fixed;       /* sixel: the cell size came from --cell, not the window */
	int colours;          /* sixel: the palette's size (the terminal's colour registers) */
	uint64_t opened;      /* counts images opened: part of the sixel palette's key */

	int cx, cy; /* cursor cell in the image area */
	raster_pt *pts;
	size_t npts, cappts;
	int pen;    /* freehand: the outline follows the cursor */
	enum draw_mode mode;
	int behind, snap;
	size_t class_idx;
	uint16_t selected;
	enum view_overlay overlay;
	int opacity, unlabeled;
	int help, help_top;
	int count, class_pick;
	int mouse_down, mouse_x, mouse_y, mouse_dragged;
	char msg[256];

	uint64_t saved_edits;
	int masks_dirty;
	double last_edit;
	int quit;
};

static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

__attribute__((format(printf, 2, 3)))
static void say(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
}

static void say_cause(struct app *a, char *cause)
{
	say(a, "%s", cause ? cause : "error");
	free(cause);
}

/* ---- files ------------------------------------------------------------------------------ */

static void save_masks(struct app *a)
{
	char *cause = NULL;

	if (!a->have_item || !a->it.doc || !a->masks_dirty)
		return;
	if (item_write_masks(&a->it, &a->comp, &cause) != 0)
		say_cause(a, cause);
	else
		a->masks_dirty = 0;
}

/* The sidecar after every finished edit: it is the source of truth, small, and written
 * atomically, so a dropped connection loses nothing. */
static void autosave(struct app *a)
{
	char *cause = NULL;

	if (!a->have_item || !a->it.doc || a->it.doc->edits == a->saved_edits)
		return;
	if (item_save(&a->it, &cause) != 0) {
		/* Shown in the status line until a save succeeds, and again on the way out. */
		free(a->save_error);
		a->save_error = cause;
		say(a, "NOT SAVED: %s", cause ? cause : "error");
		return;
	}
	free(a->save_error);
	a->save_error = NULL;
	a->saved_edits = a->it.doc->edits;
	a->masks_dirty = 1;
	a->last_edit = now();
}

static char *state_file(const char *name)
{
	const char *s = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	if (s && s[0] == '/')
		return xasprintf("%s/pxlabel/%s", s, name);
	if (home && home[0] == '/')
		return xasprintf("%s/.local/state/pxlabel/%s", home, name);
	return NULL;
}

static char *state_path(void) { return state_file("resume"); }

/* An outline still being drawn when the connection drops is kept in the state folder (it is
 * not an edit yet, so not in the sidecar), and comes back when that image is opened again. */
static void draft_save(const struct app *a)
{
	char *path = state_file("draft");
	struct sbuf out;
	size_t i;

	if (!path || !a->npts || !a->im)
		goto out;
	sbuf_init(&out);
	sbuf_printf(&out, "%s\n", a->images[a->cur]);
	for (i = 0; i < a->npts; i++)
		sbuf_printf(&out, "%ld %ld\n", (long)a->pts[i].x, (long)a->pts[i].y);
	(void)afile_write(path, out.data, out.len, NULL);
	sbuf_free(&out);
out:
	free(path);
}

static void draft_restore(struct app *a)
{
	char *path = state_file("draft"), line[PATH_MAX + 2];
	FILE *fp = path ? fopen(path, "r") : NULL;
	long x, y;

	if (!fp)
		goto out;
	if (fgets(line, sizeof(line), fp) && (line[strcspn(line, "\n")] = '\0', !strcmp(line, a->images[a->cur]))) {
		a->npts = 0;
		while (a->npts < 100000 && fscanf(fp, "%ld %ld", &x, &y) == 2) {
			if (a->npts == a->cappts) {
				a->cappts = a->cappts ? a->cappts * 2 : 64;
				a->pts = xreallocarray(a->pts, a->cappts, sizeof(*a->pts));
			}
			a->pts[a->npts].x = (int32_t)x;
			a->pts[a->npts++].y = (int32_t)y;
		}
		if (a->npts)
			say(a, "the outline you were drawing when the connection dropped is back (Esc drops it)");
		fclose(fp);
		unlink(path);
		goto out;
	}
	fclose(fp);
out:
	free(path);
}

/* The last image opened from a folder, so the next session starts there. Best effort: a
 * failure here must not stop anyone labeling. */
static void resume_save(const struct app *a)
{
	char *path = state_path(), *dir, *slash, line[PATH_MAX * 2 + 4];
	struct sbuf out;
	FILE *fp;

	if (!path || !a->resume_key)
		goto out;
	dir = xstrdup(path);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(dir, 0755);
		*slash = '/';
	}
	free(dir);
	sbuf_init(&out);
	sbuf_printf(&out, "%s\t%s\n", a->resume_key, a->images[a->cur]);
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		size_t n = strlen(a->resume_key);

		if (!strncmp(line, a->resume_key, n) && line[n] == '\t')
			continue;
		if (out.len < 1 << 20)
			sbuf_adds(&out, line);
	}
	if (fp)
		fclose(fp);
	(void)afile_write(path, out.data, out.len, NULL);
	sbuf_free(&out);
out:
	free(path);
}

static size_t resume_find(char **images, size_t n, const char *key)
{
	char *path = state_path(), line[PATH_MAX * 2 + 4];
	size_t i, found = 0;
	FILE *fp;

	if (!path || !key)
		goto out;
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		size_t k = strlen(key);

		if (strncmp(line, key, k) || line[k] != '\t')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < n; i++)
			if (!strcmp(images[i], line + k + 1))
				found = i;
	}
	if (fp)
		fclose(fp);
out:
	free(path);
	return found;
}

/* Whether an image's sidecar says review "done", for the progress count: only the head of the
 * file is read (pxlabel writes "review" before the outlines), so a data set of thousands of
 * images starts at once. */
static int sidecar_done(const char *image)
{
	char *path = paths_derived(image, paths_default_suffixes.sidecar), head[4096];
	size_t n = 0;
	FILE *fp = fopen(path, "r");

	free(path);
	if (!fp)
		return 0;
	n = fread(head, 1, sizeof(head) - 1, fp);
	fclose(fp);
	head[n] = '\0';
	return strstr(head, "\"review\": \"done\"") != NULL;
}

static void count_done(struct app *a)
{
	size_t i;

	a->done = xcalloc(a->nimages, 1);
	a->ndone = 0;
	for (i = 0; i < a->nimages; i++) {
		a->done[i] = (uint8_t)sidecar_done(a->images[i]);
		a->ndone += a->done[i];
	}
}

static void kept_drop(struct app *a, size_t i)
{
	free(a->kept[i].image);
	doc_free(a->kept[i].doc);
	memmove(a->kept + i, a->kept + i + 1, (a->nkept - i - 1) * sizeof(*a->kept));
	a->nkept--;
}

/* Leaving an image: its document and history stay in memory (the oldest of KEPT_DOCS goes). */
static void keep_doc(struct app *a)
{
	struct doc *d = a->have_item ? a->it.doc : NULL;
	struct stat st;

	if (!d || a->open_error || d->edits != a->saved_edits || (!d->nundo && !d->nredo) ||
	    stat(a->it.sidecar, &st) != 0)
		return;
	if (a->nkept == KEPT_DOCS)
		kept_drop(a, 0);
	a->kept[a->nkept].image = xstrdup(a->images[a->cur]);
	a->kept[a->nkept].doc = d;
	a->kept[a->nkept++].st = st;
	a->it.doc = NULL;
}

/* Coming back: the kept document replaces the one just read, if nobody changed the file. */
static void reuse_doc(struct app *a)
{
	struct stat st;
	size_t i;

	for (i = 0; i < a->nkept && strcmp(a->kept[i].image, a->images[a->cur]); i++)
		;
	if (i == a->nkept)
		return;
	if (stat(a->it.sidecar, &st) == 0 && st.st_ino == a->kept[i].st.st_ino && st.st_size == a->kept[i].st.st_size &&
	    st.st_mtim.tv_sec == a->kept[i].st.st_mtim.tv_sec && st.st_mtim.tv_nsec == a->kept[i].st.st_mtim.tv_nsec &&
	    a->it.doc && a->it.doc->w == a->kept[i].doc->w && a->it.doc->h == a->kept[i].doc->h) {
		doc_free(a->it.doc);
		a->it.doc = a->kept[i].doc;
		a->kept[i].doc = NULL;
	}
	kept_drop(a, i);
}

static void close_image(struct app *a)
{
	autosave(a);
	save_masks(a);
	if (a->have_item && a->it.doc && a->it.doc->edits != a->saved_edits) {
		char *line = xasprintf("%s%s: edits not saved: %s\n", a->unsaved ? a->unsaved : "", a->it.image,
		    a->save_error ? a->save_error : "unknown error");

		free(a->unsaved);
		a->unsaved = line;
	}
	free(a->save_error);
	a->save_error = NULL;
	lock_release(&a->lock);
	keep_doc(a);
	if (a->have_item)
		item_close(&a->it);
	a->have_item = 0;
	free(a->open_error);
	a->open_error = NULL;
	pyr_free(&a->pyr);
	img_free(a->im);
	a->im = NULL;
	compose_free(&a->comp);
	a->npts = 0;
	a->pen = 0;
	a->selected = 0;
	/* The eraser and "add to" act on the selected instance, which was this image's. */
	a->mode = MODE_NEW;
}

static void set_class_colours(struct app *a)
{
	struct pngio_rgb pal[256];
	int i;

	(void)item_palette(&a->it, pal);
	for (i = 0; i < 256; i++) {
		a->class_rgb[i][0] = pal[i].r;
		a->class_rgb[i][1] = pal[i].g;
		a->class_rgb[i][2] = pal[i].b;
	}
}

static void loading_line(struct app *a, int w, int h)
{
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	mvprintw(LINES - 1, 0, " %s: loading %dx%d...", paths_base(a->images[a->cur]), w, h);
	attroff(A_REVERSE);
	refresh();
}

/* A big JPEG first shows from a DCT-scaled decode (a few times faster), then the full image
 * replaces it; the screen never waits blank for the full decode. */
static void show_preview(struct app *a, const struct img_load_opts *full)
{
	struct img_load_opts opts = *full;
	struct view_overlay_opts o = { 0 };
	struct img_info info;
	struct img *pv;
	struct pyr p;
	struct view v;

	opts.fit_w = a->area.cols * a->area.cell_w;
	opts.fit_h = a->area.rows * a->area.cell_h;
	if (opts.fit_w < 1 || opts.fit_h < 1)
		return;
	if (img_probe_info(a->images[a->cur], &opts.limits, &info, NULL) != 0)
		return;
	/* Only a JPEG decodes smaller for less work: a PNG or TIFF preview would cost as much as
	 * the image itself, so the status line only says what is coming. */
	if (!info.jpeg) {
		if ((uint64_t)info.w * info.h > (4u << 20))
			loading_line(a, info.w, info.h);
		return;
	}
	pv = img_load(a->images[a->cur], &opts, NULL);
	if (!pv)
		return;
	if (pv->w < pv->src_w && (uint64_t)pv->src_w * pv->src_h > (4u << 20)) {
		pyr_build(&p, pv);
		view_init(&v, pv->src_w, pv->src_h, opts.fit_w, opts.fit_h, a->area.cell_w, a->area.cell_h);
		o.mode = VIEW_OVERLAY_OFF;
		view_render(&v, &p, &o, a->frame);
		/* Sixel: a palette of the preview's own, under a key no view has. */
		(void)imgarea_set_palette(&a->area, 1, a->frame, (size_t)opts.fit_w * opts.fit_h, NULL, 0, NULL);
		loading_line(a, pv->src_w, pv->src_h);
		imgarea_draw(&a->area, a->frame, STDOUT_FILENO);
		pyr_free(&p);
	}
	img_free(pv);
}

static int open_image(struct app *a, size_t index)
{
	struct img_load_opts opts;
	char *cause = NULL;
	int scr_w, scr_h;

	close_image(a);
	a->cur = index;
	img_load_opts_default(&opts);
	if (a->user.max_pixels)
		opts.limits.max_pixels = a->user.max_pixels;
	if (a->user.max_file_size)
		opts.limits.max_file_bytes = a->user.max_file_size;
	opts.keep16 = 1; /* shown through a window (view.h), at 2 bytes a pixel when grey */
	show_preview(a, &opts);
	a->im = img_load(a->images[index], &opts, &cause);
	if (!a->im) {
		say_cause(a, cause);
		return -1;
	}
	if (item_open(&a->it, a->images[index], &opts.limits, 0, &cause) != 0) {
		/* A broken sidecar (or pxlabel.ini) must never be overwritten by an empty document:
		 * show the image, refuse edits, say why. */
		a->open_error = cause;
		cause = NULL;
		memset(&a->it, 0, sizeof(a->it));
		if (cfg_dataset_load(a->images[index], &a->it.ds, NULL) != 0)
			cfg_dataset_defaults(&a->it.ds);
		a->it.image = xstrdup(a->images[index]);
		a->it.sidecar = paths_derived(a->images[index], a->it.ds.sidecar_suffix);
		a->it.labels = paths_derived(a->images[index], a->it.ds.labels_suffix);
		a->it.instances = paths_derived(a->images[index], a->it.ds.instances_suffix);
		say(a, "read-only: %s", a->open_error);
	} else if (a->it.doc && (a->it.doc->w != a->im->w || a->it.doc->h != a->im->h)) {
		a->open_error = xasprintf("%s is for a %dx%d image, this one is %dx%d", a->it.sidecar,
		    a->it.doc->w, a->it.doc->h, a->im->w, a->im->h);
		doc_free(a->it.doc);
		a->it.doc = NULL;
		say(a, "read-only: %s", a->open_error);
	} else {
		char *holder = NULL, *dir = paths_derived(a->images[index], ""), *slash;

		a->msg[0] = '\0';
		slash = strrchr(dir, '/');
		if (slash)
			slash[slash == dir ? 1 : 0] = '\0';
		/* Found out now, not after an hour of work that could not be saved. */
		if (access(slash ? dir : ".", W_OK) != 0) {
			a->open_error = xasprintf("cannot write in %s: nothing could be saved", slash ? dir : ".");
		} else {
			int l = lock_take(&a->lock, a->it.sidecar, &holder, &cause);

			if (l == 1)
				a->open_error = xasprintf("being edited by %s", holder);
			else if (l < 0)
				a->open_error = cause, cause = NULL;
		}
		free(holder);
		free(dir);
		if (a->open_error) {
			say(a, "read-only: %s", a->open_error);
		} else {
			char *conflict = item_class_conflicts(&a->it);

			reuse_doc(a);

			if (conflict)
				say(a, "%s", conflict);
			free(conflict);
		}
	}
	a->have_item = 1;
	/* An empty document from the start, so snapping (to the image's border) works for the
	 * first outline too; it is written only once it holds an edit. */
	if (!a->it.doc && !a->open_error)
		a->it.doc = doc_new(a->im->w, a->im->h, NULL);
	if (compose_init(&a->comp, a->im->w, a->im->h, &cause) != 0) {
		say_cause(a, cause);
		return -1;
	}
	if (a->it.doc && compose_all(&a->comp, a->it.doc, &cause) != 0)
		say_cause(a, cause);
	a->saved_edits = a->it.doc ? a->it.doc->edits : 0;
	a->masks_dirty = 0;
	pyr_build(&a->pyr, a->im);
	set_class_colours(a);
	if (a->class_idx >= a->it.ds.nclasses)
		a->class_idx = 0;
	scr_w = a->area.cols > 0 ? a->area.cols * a->area.cell_w : 1;
	scr_h = a->area.rows > 0 ? a->area.rows * a->area.cell_h : 1;
	view_init(&a->view, a->im->w, a->im->h, scr_w, scr_h, a->area.cell_w, a->area.cell_h);
	a->opened++;
	a->view.brightness = 0;
	a->cx = a->area.cols / 2;
	a->cy = a->area.rows / 2;
	imgarea_invalidate(&a->area);
	resume_save(a);
	if (!a->open_error)
		draft_restore(a);
	return 0;
}

/* ---- geometry ------------------------------------------------------------------------- */

/* The centre of the cursor's cell in screen pixels, and the image point there. */
static void cursor_screen(const struct app *a, double *sx, double *sy)
{
	*sx = (a->cx + 0.5) * a->area.cell_w;
	*sy = (a->cy + 0.5) * a->area.cell_h;
}

static void cursor_point(const struct app *a, double *ix, double *iy)
{
	double sx, sy;

	cursor_screen(a, &sx, &sy);
	view_to_image(&a->view, sx, sy, ix, iy);
}

static raster_pt cursor_pt(const struct app *a, enum doc_snap_kind *kind)
{
	double ix, iy;
	raster_pt p, q;

	cursor_point(a, &ix, &iy);
	p = raster_pt_from_double(ix, iy);
	if (kind)
		*kind = DOC_SNAP_NONE;
	if (a->snap && a->it.doc) {
		/* One and a half cells (their height), in image units. */
		double r = 1.5 * a->area.cell_h / a->view.zoom;
		enum doc_snap_kind k = doc_snap(a->it.doc, p, (int32_t)(r * RASTER_ONE), &q);

		if (k != DOC_SNAP_NONE) {
			p = q;
			if (kind)
				*kind = k;
		}
	}
	return p;
}

/* Puts the cursor back on the image point (ix, iy) after the view changed, or as near as the
 * area allows. */
static void keep_cursor(struct app *a, double ix, double iy)
{
	double sx, sy;
	int cx, cy;

	view_to_screen(&a->view, ix, iy, &sx, &sy);
	cx = (int)floor(sx / a->area.cell_w);
	cy = (int)floor(sy / a->area.cell_h);
	a->cx = cx < 0 ? 0 : cx >= a->area.cols ? a->area.cols - 1 : cx;
	a->cy = cy < 0 ? 0 : cy >= a->area.rows ? a->area.rows - 1 : cy;
	/* An area of no cells (a terminal one row tall) leaves -1 above. */
	if (a->cx < 0)
		a->cx = 0;
	if (a->cy < 0)
		a->cy = 0;
}

static void layout(struct app *a)
{
	int rows = LINES, cols = COLS, panel = a->panel && cols >= 60 ? PANEL_W : 0;
	int acols = cols - panel - (panel ? 1 : 0), arows = rows - 1;

	if (acols < 1)
		acols = 0;
	if (arows < 1)
		arows = 0;
	if (rows != a->term_rows || cols != a->term_cols || acols != a->area.cols || arows != a->area.rows) {
		int cw = a->area.cell_w, ch = a->area.cell_h, had = a->im && a->area.cols > 0 && a->area.rows > 0;
		double ix = 0, iy = 0;

		a->term_rows = rows;
		a->term_cols = cols;
		/* Sixel pixels are not text: an image that moves or shrinks is wiped first. */
		(void)imgarea_wipe(&a->area, STDOUT_FILENO, cols, rows);
		imgarea_resize(&a->area, 0, 0, acols, arows);
		if (had)
			cursor_point(a, &ix, &iy);
		if (a->im)
			view_resize(&a->view, acols > 0 ? acols * cw : 1, arows > 0 ? arows * ch : 1);
		/* The cursor stays on its image point through a resize or the panel folding. */
		if (had && acols > 0 && arows > 0)
			keep_cursor(a, ix, iy);
		a->frame_cap = (size_t)(acols > 0 ? acols * cw : 1) * (size_t)(arows > 0 ? arows * ch : 1) * 3;
		a->frame = xreallocarray(a->frame, a->frame_cap, 1);
		clearok(curscr, TRUE);
	}
	if (a->cx >= a->area.cols)
		a->cx = a->area.cols > 0 ? a->area.cols - 1 : 0;
	if (a->cy >= a->area.rows)
		a->cy = a->area.rows > 0 ? a->area.rows - 1 : 0;
}

/* ---- drawing -------------------------------------------------------------------------- */

static void put_px(struct app *a, int x, int y, const uint8_t *rgb)
{
	if (x < 0 || y < 0 || x >= a->view.scr_w || y >= a->view.scr_h)
		return;
	memcpy(a->frame + ((size_t)y * a->view.scr_w + x) * 3, rgb, 3);
}

static void line_px(struct app *a, double x0, double y0, double x1, double y1, const uint8_t *rgb)
{
	double dx = x1 - x0, dy = y1 - y0, n = fmax(fabs(dx), fabs(dy));
	int i, steps;

	/* Long lines far off screen are clipped by skipping: the frame is small. */
	if (n > 1e5)
		n = 1e5;
	steps = (int)ceil(n);
	for (i = 0; i <= steps; i++) {
		double t = steps ? (double)i / steps : 0;

		put_px(a, (int)floor(x0 + dx * t), (int)floor(y0 + dy * t), rgb);
	}
}

/* The colours the annotator draws with (outlines in progress, markers); in sixel mode they are
 * entries of the palette exactly, the first ones first when the terminal has few registers. */
static const uint8_t ui_colours[][3] = {
	{ 255, 255, 255 }, /* the cursor (sixel), the selected instance's outline */
	{ 0, 0, 0 },       /* around the cursor (sixel) */
	{ 255, 230, 0 },   /* an edge */
	{ 0, 255, 255 },   /* a vertex */
	{ 255, 140, 0 },   /* the band from the last vertex to the cursor */
	{ 255, 0, 255 },   /* the snap target */
	{ 255, 60, 60 },   /* an edge in erase mode */
};
#define NUI_COLOURS (sizeof(ui_colours) / sizeof(ui_colours[0]))

/* A square of side 2r+1 centred on pixel (x, y): a single pixel in blocks, bigger in the
 * smaller pixels of sixel. */
static void dot_px(struct app *a, int x, int y, int r, const uint8_t *rgb)
{
	int i, j;

	for (j = -r; j <= r; j++)
		for (i = -r; i <= r; i++)
			put_px(a, x + i, y + j, rgb);
}

/* Sixel has no text cursor over the image (a block would hide the pixels that matter): a ring
 * around the cursor's point, white inside black, leaving the pixels at the point visible. */
static void draw_cursor_marker(struct app *a)
{
	double sx, sy, r;
	int x, y, x0, y0, x1, y1, small = a->area.cell_w < a->area.cell_h ? a->area.cell_w : a->area.cell_h;

	cursor_screen(a, &sx, &sy);
	r = small / 2.0 - 1.5; /* the white ring's distance from the point, pixel centres */
	if (r < 2.5)
		r = 2.5;
	x0 = (int)floor(sx - r - 1.5);
	x1 = (int)ceil(sx + r + 1.5);
	y0 = (int)floor(sy - r - 1.5);
	y1 = (int)ceil(sy + r + 1.5);
	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++) {
			double d = fmax(fabs(x + 0.5 - sx), fabs(y + 0.5 - sy));

			if (d > r - 0.5 && d <= r + 0.5)
				put_px(a, x, y, ui_colours[0]);
			else if (d > r + 0.5 && d <= r + 1.5)
				put_px(a, x, y, ui_colours[1]);
		}
}

static void draw_outline_in_progress(struct app *a)
{
	const uint8_t *edge = ui_colours[2], *band = ui_colours[4], *vert = ui_colours[3];
	const uint8_t *snapc = ui_colours[5], *cut = ui_colours[6];
	const uint8_t *ec = a->mode == MODE_ERASE ? cut : edge;
	enum doc_snap_kind kind;
	raster_pt c = cursor_pt(a, &kind);
	double sx, sy, px = 0, py = 0, cxs, cys;
	int big = a->area.cell_w > 2; /* sixel: markers of a few pixels */
	size_t i;

	for (i = 0; i < a->npts; i++) {
		view_to_screen(&a->view, (double)a->pts[i].x / RASTER_ONE, (double)a->pts[i].y / RASTER_ONE, &sx, &sy);
		if (i > 0)
			line_px(a, px, py, sx, sy, ec);
		px = sx;
		py = sy;
	}
	view_to_screen(&a->view, (double)c.x / RASTER_ONE, (double)c.y / RASTER_ONE, &cxs, &cys);
	if (a->npts > 0) {
		line_px(a, px, py, cxs, cys, band);
		for (i = 0; i < a->npts; i++) {
			view_to_screen(&a->view, (double)a->pts[i].x / RASTER_ONE, (double)a->pts[i].y / RASTER_ONE, &sx, &sy);
			dot_px(a, (int)floor(sx), (int)floor(sy), big, vert);
		}
	}
	/* The snap target, shown before the vertex is placed. */
	if (kind != DOC_SNAP_NONE)
		dot_px(a, (int)floor(cxs), (int)floor(cys), big, snapc);
}

/* ---- the sixel palette ----------------------------------------------------------------- */

/* What the palette depends on: the image, the zoom, the display curve and the overlay. A pan or
 * an edit keeps it, so only the changed rectangles go out again. */
static uint64_t palette_key(const struct app *a)
{
	uint64_t h = 1469598103934665603u, z;
	int64_t v[8];
	size_t i, k;

	memcpy(&z, &a->view.zoom, sizeof(z));
	v[0] = (int64_t)a->opened;
	v[1] = (int64_t)z;
	v[2] = a->view.brightness;
	v[3] = a->view.contrast;
	v[4] = a->view.gamma10;
	v[5] = a->overlay;
	v[6] = a->opacity;
	v[7] = a->unlabeled;
	for (i = 0; i < 8; i++)
		for (k = 0; k < 8; k++)
			h = (h ^ (uint8_t)((uint64_t)v[i] >> (8 * k))) * 1099511628211u;
	return h | (uint64_t)1 << 63; /* never 0 (none) nor 1 (a preview) */
}

#define SAMPLE_SIDE 256 /* the whole image, fitted into this many pixels, for the palette */
#define SAMPLE_TINTS 8  /* classes whose overlay colours the palette prepares for (256 colours) */

/* Sixel: a palette for the view when its key changed, from the colours the view can show: the
 * frame (every other pixel each way), the whole image through the same curve and overlay (for
 * pans), and that image under the first classes' fill at the overlay's opacity (for outlines
 * closed later); the UI's colours and the classes' own exactly. */
static void sixel_palette(struct app *a, const struct view_overlay_opts *o)
{
	uint64_t key = palette_key(a);
	uint8_t fixed[(NUI_COLOURS + SAMPLE_TINTS) * 3], *px, *fit, *plain = NULL;
	struct view v;
	double z;
	/* Few registers go to the photo, not to fills that may never be drawn. */
	size_t n = 0, nfit, i, k, ntints = 0, maxtints = a->colours >= 128 ? SAMPLE_TINTS : a->colours >= 64 ? 4 :
	    a->colours >= 32 ? 2 : 1;
	int fw, fh, x, y, nfixed = (int)NUI_COLOURS;
	char *cause = NULL;

	if (!a->area.sixel || imgarea_palette_key(&a->area) == key)
		return;
	z = fmin(1.0, fmin((double)SAMPLE_SIDE / a->im->w, (double)SAMPLE_SIDE / a->im->h));
	fw = (int)fmax(1, floor(a->im->w * z));
	fh = (int)fmax(1, floor(a->im->h * z));
	nfit = (size_t)fw * fh;
	px = xreallocarray(NULL, (size_t)((a->view.scr_w + 1) / 2) * ((a->view.scr_h + 1) / 2) +
	    nfit * (1 + SAMPLE_TINTS), 3);
	for (y = 0; y < a->view.scr_h; y += 2)
		for (x = 0; x < a->view.scr_w; x += 2, n++)
			memcpy(px + 3 * n, a->frame + ((size_t)y * a->view.scr_w + x) * 3, 3);
	view_init(&v, a->im->w, a->im->h, fw, fh, 1, 1);
	memcpy(v.lut, a->view.lut, sizeof(v.lut));
	fit = px + 3 * n;
	view_render(&v, &a->pyr, o, fit);
	n += nfit;
	memcpy(fixed, ui_colours, sizeof(ui_colours));
	if (o->mode != VIEW_OVERLAY_OFF && a->it.ds.nclasses) {
		struct view_overlay_opts off = *o;

		off.mode = VIEW_OVERLAY_OFF;
		plain = xreallocarray(NULL, nfit, 3);
		view_render(&v, &a->pyr, &off, plain);
		/* The current class first: the next outline is most likely of it. */
		for (k = 0; k < a->it.ds.nclasses && ntints < maxtints; k++) {
			size_t c = (a->class_idx + k) % a->it.ds.nclasses;
			const uint8_t *col = a->class_rgb[a->it.ds.classes[c].id];

			memcpy(fixed + 3 * nfixed++, col, 3);
			ntints++;
			if (o->mode != VIEW_OVERLAY_FILLED)
				continue;
			for (i = 0; i < nfit; i++) {
				memcpy(px + 3 * (n + i), plain + 3 * i, 3);
				view_blend(px + 3 * (n + i), col, o->opacity);
			}
			n += nfit;
		}
	}
	if (imgarea_set_palette(&a->area, key, px, n, fixed, nfixed, &cause) != 0)
		say_cause(a, cause);
	free(plain);
	free(px);
}

static const char *mode_name(const struct app *a)
{
	if (a->pen)
		return "pen";
	return a->mode == MODE_ADD ? "add" : a->mode == MODE_ERASE ? "erase" : "new";
}

static double labeled_fraction(const struct app *a)
{
	uint64_t total = (uint64_t)a->comp.w * a->comp.h;

	return total ? 1.0 - (double)a->comp.class_pixels[0] / (double)total : 0;
}

static const struct cfg_class *current_class(const struct app *a)
{
	return a->it.ds.nclasses ? &a->it.ds.classes[a->class_idx] : NULL;
}

static void draw_status(struct app *a)
{
	const struct cfg_class *cls = current_class(a);
	char coord[64], buf[512], done[48], win[48];
	double ix, iy, z = a->view.zoom;
	int n;

	snprintf(done, sizeof(done), " (%zu done)", a->ndone);
	cursor_point(a, &ix, &iy);
	if (z >= 2)
		snprintf(coord, sizeof(coord), "(%.2f, %.2f)", ix, iy);
	else
		snprintf(coord, sizeof(coord), "(%d, %d)", (int)floor(ix), (int)floor(iy));
	view_window_describe(&a->view, a->im, win, sizeof(win));
	/* What matters most comes first, so a narrow terminal cuts the least useful end: the
	 * unsaved marker, the image, then a message (until the next key) or the view's state. */
	n = snprintf(buf, sizeof(buf), " %s%s %zu/%zu%s%s | ",
	    a->it.doc && a->it.doc->edits != a->saved_edits ? "* " : "", paths_base(a->images[a->cur]),
	    a->cur + 1, a->nimages, a->nimages > 1 ? done : "", a->open_error ? " READ-ONLY" : "");
	if (a->msg[0])
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%s", a->msg);
	else
		snprintf(buf + n, sizeof(buf) - (size_t)n, "%.3gx | %s | %s | %s %s%s | %.0f%% labeled | %s%s%s", z,
		    coord, cls ? cls->name : "-", mode_name(a), a->behind ? "behind" : "over", a->snap ? " snap" : "",
		    100 * labeled_fraction(a), win[0] ? win : "", win[0] ? " | " : "", a->display);
	attron(A_REVERSE);
	mvhline(LINES - 1, 0, ' ', COLS);
	if (a->save_error) {
		/* Nothing else matters while work is not reaching the disk. */
		attron(A_BOLD);
		snprintf(buf, sizeof(buf), " NOT SAVED: %s", a->save_error);
	} else if (a->msg[0]) {
		attron(A_BOLD);
	}
	mvaddnstr(LINES - 1, 0, buf, COLS);
	attroff(A_REVERSE | A_BOLD);
	if (a->class_pick) {
		attron(A_BOLD);
		mvaddstr(LINES - 1, 0, " class? ");
		attroff(A_BOLD);
	}
}

static short class_pair(const struct app *a, int id)
{
	/* Pairs 16.. hold the class colours as backgrounds, for the swatches. */
	const uint8_t *c = a->class_rgb[id];
	short pair = (short)(16 + id), col;

	if (!has_colors() || COLOR_PAIRS <= pair)
		return 0;
	if (COLORS >= (1 << 24)) {
		/* A direct-colour terminal takes RGB itself as the colour number. */
		init_extended_pair(pair, COLOR_BLACK, c[0] << 16 | c[1] << 8 | c[2]);
		return pair;
	}
	col = COLORS >= 256 ? colour_to256(c[0], c[1], c[2]) : (short)(colour_to16(c[0], c[1], c[2]) % (COLORS > 0 ? COLORS : 8));
	init_pair(pair, COLOR_BLACK, col);
	return pair;
}

static void draw_panel(struct app *a)
{
	int x = COLS - PANEL_W, y = 0, rows = LINES - 1, i, first, shown;
	size_t k;
	char line[PANEL_W + 1];

	if (!a->panel || COLS < 60)
		return;
	mvvline(0, x - 1, ACS_VLINE, rows);
	for (y = 0; y < rows; y++)
		mvhline(y, x, ' ', PANEL_W);
	y = 0;
	attron(A_BOLD);
	mvaddstr(y++, x, "CLASSES");
	attroff(A_BOLD);
	for (k = 0; k < a->it.ds.nclasses && y < rows / 2; k++, y++) {
		const struct cfg_class *c = &a->it.ds.classes[k];
		short pair = class_pair(a, c->id);

		snprintf(line, sizeof(line), "%c%c %-20.20s", k == a->class_idx ? '>' : ' ', c->key ? c->key : ' ', c->name);
		if (k == a->class_idx)
			attron(A_BOLD);
		mvaddnstr(y, x, line, PANEL_W - 3);
		attroff(A_BOLD);
		if (pair)
			attron(COLOR_PAIR(pair));
		else
			attron(A_REVERSE);
		mvaddstr(y, x + PANEL_W - 2, "  ");
		attroff(COLOR_PAIR(pair) | A_REVERSE);
	}
	y++;
	attron(A_BOLD);
	mvaddstr(y++, x, "INSTANCES (top first)");
	attroff(A_BOLD);
	if (!a->it.doc || a->it.doc->ninst == 0) {
		mvaddstr(y, x, " none yet");
		return;
	}
	shown = rows - y;
	first = 0;
	for (i = (int)a->it.doc->ninst - 1; i >= 0; i--)
		if (a->it.doc->inst[i]->id == a->selected && (int)a->it.doc->ninst - 1 - i >= shown)
			first = (int)a->it.doc->ninst - i - shown;
	for (i = (int)a->it.doc->ninst - 1 - first; i >= 0 && y < rows; i--, y++) {
		const struct doc_instance *in = a->it.doc->inst[i];
		char name[32], buf[32];
		short pair = class_pair(a, in->class_id);

		snprintf(name, sizeof(name), "%s", item_class_name(&a->it, in->class_id, buf, sizeof(buf)));
		snprintf(line, sizeof(line), "%c#%-4u%s%-9.9s%7llupx", in->id == a->selected ? '>' : ' ', in->id,
		    in->parent && doc_instance(a->it.doc, in->parent) ? "^" : " ", name,
		    (unsigned long long)a->comp.inst_pixels[in->id]);
		if (pair)
			attron(COLOR_PAIR(pair));
		mvaddch(y, x, ' ');
		attroff(COLOR_PAIR(pair));
		if (in->id == a->selected)
			attron(A_BOLD | A_REVERSE);
		mvaddnstr(y, x + 1, line, PANEL_W - 1);
		attroff(A_BOLD | A_REVERSE);
	}
}

static void draw_help(struct app *a)
{
	int w = COLS - 4 < 100 ? COLS - 4 : 100, h = LINES - 3, y, row = 0;
	int x0 = (COLS - w) / 2, y0 = 1;
	enum action act;

	if (w < 20 || h < 3) {
		mvaddnstr(0, 0, "terminal too small for help (Esc)", COLS);
		return;
	}
	for (y = 0; y < h; y++)
		mvhline(y0 + y, x0, ' ', w);
	attron(A_BOLD);
	mvaddnstr(y0, x0 + 1, "pxlabel keys (j/k scroll, Esc or ? closes)", w - 2);
	attroff(A_BOLD);
	for (act = ACT_NONE + 1; act < ACT_COUNT; act++) {
		char line[160];

		if (row++ < a->help_top)
			continue;
		if (row - a->help_top + 1 >= h)
			break;
		snprintf(line, sizeof(line), "%-16.16s %s", keys_describe(a->keys, act), keys_action_help(act));
		mvaddnstr(y0 + 1 + row - a->help_top, x0 + 1, line, w - 2);
	}
	if (row - a->help_top + 1 < h)
		mvaddnstr(y0 + 1 + row - a->help_top + 1, x0 + 1,
		    "digits: a count (5l); mouse: click = vertex, drag = pan/pen, wheel = zoom", w - 2);
}

static void draw(struct app *a)
{
	struct view_overlay_opts o;

	layout(a);
	erase();
	if (a->area.cols < 1 || a->area.rows < 1) {
		mvaddnstr(0, 0, "pxlabel: terminal too small", COLS);
		refresh();
		return;
	}
	if (!a->im) {
		/* The image could not be opened: say so where it would be, keep the way on open. */
		attron(A_REVERSE);
		mvhline(LINES - 1, 0, ' ', COLS);
		mvprintw(LINES - 1, 0, " %s %zu/%zu | not opened | N next, B previous, q quit", paths_base(a->images[a->cur]),
		    a->cur + 1, a->nimages);
		attroff(A_REVERSE);
		mvaddnstr(1, 1, a->msg, COLS - 2);
		curs_set(0);
		if (imgarea_wipe(&a->area, STDOUT_FILENO, COLS, LINES))
			clearok(curscr, TRUE);
		refresh();
		return;
	}
	draw_status(a);
	draw_panel(a);
	if (a->help) {
		draw_help(a);
		curs_set(0);
		/* The help goes over the image: the image goes first (blocks too, since ncurses
		 * believes those cells blank and would not write the help's spaces there). */
		if (imgarea_wipe(&a->area, STDOUT_FILENO, COLS, LINES))
			clearok(curscr, TRUE);
		refresh();
		return;
	}
	/* In sixel the cursor is drawn into the image (draw_cursor_marker). */
	curs_set(a->area.sixel ? 0 : 1);
	move(a->area.y0 + a->cy, a->area.x0 + a->cx);
	refresh();
	if (!a->im)
		return;
	o.masks = &a->comp;
	o.class_rgb = (const uint8_t(*)[3])a->class_rgb;
	o.mode = a->overlay;
	o.opacity = a->opacity;
	o.highlight_unlabeled = a->unlabeled;
	o.selected = a->selected;
	view_render(&a->view, &a->pyr, &o, a->frame);
	sixel_palette(a, &o);
	draw_outline_in_progress(a);
	if (a->area.sixel)
		draw_cursor_marker(a);
	imgarea_draw(&a->area, a->frame, STDOUT_FILENO);
}

/* ---- editing -------------------------------------------------------------------------- */

static int editable(struct app *a)
{
	if (a->open_error) {
		say(a, "read-only: %s", a->open_error);
		return 0;
	}
	if (!a->it.doc) {
		char *cause = NULL;

		a->it.doc = doc_new(a->im->w, a->im->h, &cause);
		if (!a->it.doc) {
			say_cause(a, cause);
			return 0;
		}
		a->saved_edits = 0;
	}
	return 1;
}

static void edited(struct app *a, raster_rect dirty)
{
	char *cause = NULL;

	if (compose_rect(&a->comp, a->it.doc, dirty, &cause) != 0)
		say_cause(a, cause);
	autosave(a);
}

static void add_vertex(struct app *a, raster_pt p)
{
	if (a->npts && a->pts[a->npts - 1].x == p.x && a->pts[a->npts - 1].y == p.y)
		return;
	if (a->npts == a->cappts) {
		a->cappts = a->cappts ? a->cappts * 2 : 64;
		a->pts = xreallocarray(a->pts, a->cappts, sizeof(*a->pts));
	}
	a->pts[a->npts++] = p;
}

static void close_outline(struct app *a)
{
	const struct cfg_class *cls = current_class(a);
	struct doc_shape *s;
	raster_ring ring;
	raster_rect dirty;
	char *cause = NULL;
	uint16_t id;
	int rc;

	if (a->open_error) {
		say(a, "read-only: %s", a->open_error);
		return;
	}
	if (a->npts < 3) {
		say(a, "an outline needs 3 vertices (Space places one)");
		return;
	}
	if (!editable(a))
		return;
	if (a->mode != MODE_NEW && !doc_instance(a->it.doc, a->selected)) {
		say(a, "select an instance first (g, or [ and ]) to add to or cut from it");
		return;
	}
	ring.pts = a->pts;
	ring.n = a->npts;
	s = doc_shape_polygon(a->mode == MODE_ERASE ? DOC_CUT : DOC_ADD, &ring, 1, &cause);
	if (!s) {
		say_cause(a, cause);
		return;
	}
	if (a->mode == MODE_NEW) {
		rc = doc_add_instance(a->it.doc, cls ? cls->id : 1, 0, a->behind ? DOC_BEHIND : DOC_OVER, s, &id, &dirty, &cause);
		if (rc == 0)
			a->selected = id;
	} else {
		rc = doc_add_shape(a->it.doc, a->selected, s, &dirty, &cause);
	}
	if (rc != 0) {
		say_cause(a, cause);
		return;
	}
	a->npts = 0;
	a->pen = 0;
	/* Composed once, here: a new instance's pixel count decides whether it stays. */
	edited(a, dirty);
	if (a->mode == MODE_NEW && !a->comp.inst_pixels[id]) {
		/* An instance that holds no pixel would be counted everywhere and seen nowhere. */
		raster_rect back;

		if (doc_undo(a->it.doc, &back))
			edited(a, back);
		a->selected = 0;
		say(a, "that outline holds no pixel centre: nothing added (zoom in for small things)");
		return;
	}
	say(a, "%s #%u (%llu px)", a->mode == MODE_NEW ? "new instance" : a->mode == MODE_ADD ? "added to" : "cut from",
	    a->selected, (unsigned long long)a->comp.inst_pixels[a->selected]);
}

static uint16_t instance_under_cursor(const struct app *a)
{
	double ix, iy;

	cursor_point(a, &ix, &iy);
	if (ix < 0 || iy < 0 || ix >= a->comp.w || iy >= a->comp.h)
		return 0;
	return a->comp.ids[(size_t)(int)iy * a->comp.w + (size_t)(int)ix];
}

static void select_step(struct app *a, int dir)
{
	int z, n;

	if (!a->it.doc || a->it.doc->ninst == 0)
		return;
	n = (int)a->it.doc->ninst;
	z = doc_z_index(a->it.doc, a->selected);
	z = z < 0 ? (dir > 0 ? 0 : n - 1) : (z + dir + n) % n;
	a->selected = a->it.doc->inst[z]->id;
}

static void instance_edit(struct app *a, enum action act)
{
	raster_rect dirty = { 0, 0, 0, 0 };
	char *cause = NULL;
	int rc = 0, z;
	uint16_t under;

	if (!a->it.doc || !doc_instance(a->it.doc, a->selected)) {
		say(a, "no instance selected (g selects the one under the cursor)");
		return;
	}
	if (!editable(a))
		return;
	z = doc_z_index(a->it.doc, a->selected);
	switch (act) {
	case ACT_RAISE:
		rc = doc_move(a->it.doc, a->selected, (size_t)z + 1, &dirty, &cause);
		break;
	case ACT_LOWER:
		rc = doc_move(a->it.doc, a->selected, z > 0 ? (size_t)z - 1 : 0, &dirty, &cause);
		break;
	case ACT_DELETE:
		rc = doc_delete_instance(a->it.doc, a->selected, &dirty, &cause);
		if (rc == 0)
			say(a, "deleted #%u (u undoes)", a->selected);
		a->selected = 0;
		break;
	case ACT_SET_CLASS:
		rc = doc_set_class(a->it.doc, a->selected, current_class(a) ? current_class(a)->id : 1, &dirty, &cause);
		break;
	case ACT_SET_PARENT:
		under = instance_under_cursor(a);
		if (!under || under == a->selected) {
			say(a, "put the cursor on the instance #%u is part of", a->selected);
			return;
		}
		rc = doc_set_parent(a->it.doc, a->selected, under, &cause);
		if (rc == 0)
			say(a, "#%u is now part of #%u", a->selected, under);
		break;
	case ACT_CLEAR_PARENT:
		rc = doc_set_parent(a->it.doc, a->selected, 0, &cause);
		break;
	default:
		return;
	}
	if (rc != 0) {
		say_cause(a, cause);
		return;
	}
	edited(a, dirty);
}

/* ---- moving --------------------------------------------------------------------------- */

static void after_move(struct app *a)
{
	if (a->pen)
		add_vertex(a, cursor_pt(a, NULL));
}

static void move_cursor(struct app *a, int dx, int dy)
{
	int nx = a->cx + dx, ny = a->cy + dy, cw = a->area.cell_w, ch = a->area.cell_h;
	double px = 0, py = 0;

	/* Reaching the edge pans the view, so the cursor can travel the whole image. */
	if (nx < 0)
		px = (double)cw * nx;
	else if (nx >= a->area.cols)
		px = (double)cw * (nx - (a->area.cols - 1));
	if (ny < 0)
		py = (double)ch * ny;
	else if (ny >= a->area.rows)
		py = (double)ch * (ny - (a->area.rows - 1));
	if (px || py) {
		double ix, iy, sx, sy;

		cursor_point(a, &ix, &iy);
		view_pan(&a->view, px, py);
		/* The cursor stays on the same image point where the view could not move. */
		view_to_screen(&a->view, ix + (double)cw * dx / a->view.zoom, iy + (double)ch * dy / a->view.zoom, &sx, &sy);
		nx = (int)floor(sx / cw);
		ny = (int)floor(sy / ch);
	}
	a->cx = nx < 0 ? 0 : nx >= a->area.cols ? a->area.cols - 1 : nx;
	a->cy = ny < 0 ? 0 : ny >= a->area.rows ? a->area.rows - 1 : ny;
	after_move(a);
}

/* Zoom steps land on powers of two (1x, 2x, 4x, 8x...) whatever the fit zoom is, so "8x" means
 * one image pixel a cell wide in half blocks, the same on every image. */
static void zoom(struct app *a, int in)
{
	double sx, sy, z = a->view.zoom, target = pow(2, in ? floor(log2(z) + 1e-9) + 1 : ceil(log2(z) - 1e-9) - 1);

	cursor_screen(a, &sx, &sy);
	view_zoom_at(&a->view, target / z, sx, sy);
}

/* A quarter of the area's width or height. */
static void pan(struct app *a, int dx, int dy)
{
	view_pan(&a->view, dx * (a->view.scr_w / 4.0), dy * (a->view.scr_h / 4.0));
}

/* ---- images --------------------------------------------------------------------------- */

static int has_unlabeled(struct app *a, size_t i)
{
	struct img_limits lim;
	struct compose c;
	struct item it;
	int w, h, yes = 1;

	img_limits_default(&lim);
	if (item_open(&it, a->images[i], &lim, 0, NULL) != 0)
		return 0;
	if (it.doc) {
		w = it.doc->w;
		h = it.doc->h;
		if (compose_init(&c, w, h, NULL) == 0) {
			if (compose_all(&c, it.doc, NULL) == 0)
				yes = c.class_pixels[0] > 0;
			compose_free(&c);
		}
	}
	item_close(&it);
	return yes;
}

static void goto_image(struct app *a, size_t i)
{
	if (i >= a->nimages)
		return;
	if (open_image(a, i) != 0)
		return;
}

static void next_unlabeled(struct app *a)
{
	size_t k;

	for (k = 1; k < a->nimages; k++) {
		size_t i = (a->cur + k) % a->nimages;

		if (has_unlabeled(a, i)) {
			goto_image(a, i);
			return;
		}
	}
	say(a, "every other image is fully labeled");
}

/* ---- input ---------------------------------------------------------------------------- */

/* Sixel after a resize: a new font changes the pixels of a cell, whether or not the count of
 * cells changes. The window's pixel size from the kernel tells (when it is what the cell size
 * came from); the next layout then starts over. */
static void sixel_cells(struct app *a)
{
	struct winsize ws;
	int cw, ch;

	if (!a->area.sixel || a->cell_fixed || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
		return;
	if (tquery_cell_size(NULL, ws.ws_col, ws.ws_row, ws.ws_xpixel, ws.ws_ypixel, &cw, &ch) != TQUERY_CELL_WINSIZE)
		return;
	if (cw == a->area.cell_w && ch == a->area.cell_h)
		return;
	imgarea_set_cell(&a->area, cw, ch);
	a->term_cols = -1;
}

/* What still makes sense when the current image could not be opened. */
static int works_without_image(enum action act)
{
	switch (act) {
	case ACT_NEXT_IMAGE: case ACT_PREV_IMAGE: case ACT_NEXT_UNLABELED: case ACT_HELP: case ACT_REDRAW:
	case ACT_QUIT: case ACT_PANEL: case ACT_CANCEL:
		return 1;
	default:
		return 0;
	}
}

static void do_action(struct app *a, enum action act, int n)
{
	raster_rect dirty;
	int i;

	if (!a->im && !works_without_image(act)) {
		say(a, "%s could not be opened (N: next image, q: quit)", paths_base(a->images[a->cur]));
		return;
	}
	switch (act) {
	case ACT_LEFT: move_cursor(a, -n, 0); break;
	case ACT_RIGHT: move_cursor(a, n, 0); break;
	case ACT_UP: move_cursor(a, 0, -n); break;
	case ACT_DOWN: move_cursor(a, 0, n); break;
	case ACT_LEFT_FAST: move_cursor(a, -FAST_STEP * n, 0); break;
	case ACT_RIGHT_FAST: move_cursor(a, FAST_STEP * n, 0); break;
	case ACT_UP_FAST: move_cursor(a, 0, -FAST_STEP * n); break;
	case ACT_DOWN_FAST: move_cursor(a, 0, FAST_STEP * n); break;
	case ACT_PAN_LEFT: pan(a, -n, 0); break;
	case ACT_PAN_RIGHT: pan(a, n, 0); break;
	case ACT_PAN_UP: pan(a, 0, -n); break;
	case ACT_PAN_DOWN: pan(a, 0, n); break;
	case ACT_CENTER: {
		double ix, iy;

		cursor_point(a, &ix, &iy);
		a->view.cx = ix;
		a->view.cy = iy;
		view_clamp(&a->view);
		a->cx = a->area.cols / 2;
		a->cy = a->area.rows / 2;
		break;
	}
	case ACT_ZOOM_IN:
		for (i = 0; i < n; i++)
			zoom(a, 1);
		break;
	case ACT_ZOOM_OUT:
		for (i = 0; i < n; i++)
			zoom(a, 0);
		break;
	case ACT_ZOOM_FIT: {
		double ix, iy;

		cursor_point(a, &ix, &iy);
		view_fit(&a->view);
		keep_cursor(a, ix, iy);
		break;
	}
	case ACT_VERTEX:
		if (a->open_error) {
			editable(a);
			break;
		}
		add_vertex(a, cursor_pt(a, NULL));
		break;
	case ACT_CLOSE: close_outline(a); break;
	case ACT_UNDO_VERTEX:
		if (a->npts)
			a->npts--;
		break;
	case ACT_CANCEL:
		a->npts = 0;
		a->pen = 0;
		a->msg[0] = '\0';
		break;
	case ACT_FREEHAND:
		a->pen = !a->pen;
		if (a->pen)
			add_vertex(a, cursor_pt(a, NULL));
		say(a, a->pen ? "pen down: move to draw, f lifts, Enter closes" : "pen up");
		break;
	case ACT_MODE_NEW: a->mode = MODE_NEW; break;
	case ACT_MODE_ADD: a->mode = MODE_ADD; break;
	case ACT_MODE_ERASE: a->mode = MODE_ERASE; break;
	case ACT_BEHIND: a->behind = !a->behind; break;
	case ACT_SNAP: a->snap = !a->snap; break;
	case ACT_UNDO:
		if (a->npts) {
			a->npts--;
		} else if (a->it.doc && !a->open_error && doc_undo(a->it.doc, &dirty)) {
			edited(a, dirty);
			say(a, "undone");
		} else {
			say(a, "nothing to undo");
		}
		break;
	case ACT_REDO:
		if (a->it.doc && !a->open_error && doc_redo(a->it.doc, &dirty)) {
			edited(a, dirty);
			say(a, "redone");
		} else {
			say(a, "nothing to redo");
		}
		break;
	case ACT_CLASS_PICK: a->class_pick = 1; break;
	case ACT_CLASS_NEXT:
		if (a->it.ds.nclasses)
			a->class_idx = (a->class_idx + 1) % a->it.ds.nclasses;
		break;
	case ACT_CLASS_PREV:
		if (a->it.ds.nclasses)
			a->class_idx = (a->class_idx + a->it.ds.nclasses - 1) % a->it.ds.nclasses;
		break;
	case ACT_SELECT_UNDER:
		a->selected = instance_under_cursor(a);
		if (!a->selected)
			say(a, "no instance under the cursor");
		break;
	case ACT_SELECT_NEXT: select_step(a, 1); break;
	case ACT_SELECT_PREV: select_step(a, -1); break;
	case ACT_RAISE: case ACT_LOWER: case ACT_DELETE: case ACT_SET_CLASS: case ACT_SET_PARENT:
	case ACT_CLEAR_PARENT:
		instance_edit(a, act);
		break;
	case ACT_OVERLAY: a->overlay = (a->overlay + 1) % 3; break;
	case ACT_OPACITY: a->opacity = a->opacity >= 100 ? 25 : a->opacity + 25; break;
	case ACT_UNLABELED: a->unlabeled = !a->unlabeled; break;
	case ACT_BRIGHT_UP: case ACT_BRIGHT_DOWN:
		a->view.brightness += (act == ACT_BRIGHT_UP ? 10 : -10) * n;
		a->view.brightness = a->view.brightness > 100 ? 100 : a->view.brightness < -100 ? -100 : a->view.brightness;
		view_update_lut(&a->view);
		break;
	case ACT_CONTRAST_UP: case ACT_CONTRAST_DOWN:
		a->view.contrast += (act == ACT_CONTRAST_UP ? 10 : -10) * n;
		a->view.contrast = a->view.contrast > 100 ? 100 : a->view.contrast < -100 ? -100 : a->view.contrast;
		view_update_lut(&a->view);
		break;
	case ACT_GAMMA_UP: case ACT_GAMMA_DOWN:
		a->view.gamma10 += (act == ACT_GAMMA_UP ? 1 : -1) * n;
		a->view.gamma10 = a->view.gamma10 > 30 ? 30 : a->view.gamma10 < 3 ? 3 : a->view.gamma10;
		view_update_lut(&a->view);
		break;
	case ACT_VIEW_RESET:
		a->view.brightness = a->view.contrast = 0;
		a->view.gamma10 = 10;
		view_update_lut(&a->view);
		break;
	case ACT_NEXT_IMAGE:
		if (a->npts) {
			say(a, "an outline is in progress: Enter closes it, Esc drops it");
			break;
		}
		if (a->cur + 1 < a->nimages)
			goto_image(a, a->cur + 1);
		else
			say(a, "this is the last image");
		break;
	case ACT_PREV_IMAGE:
		if (a->npts) {
			say(a, "an outline is in progress: Enter closes it, Esc drops it");
			break;
		}
		if (a->cur > 0)
			goto_image(a, a->cur - 1);
		else
			say(a, "this is the first image");
		break;
	case ACT_NEXT_UNLABELED: next_unlabeled(a); break;
	case ACT_DONE:
		if (editable(a)) {
			char *cause = NULL;

			if (doc_set_review(a->it.doc, strcmp(a->it.doc->review, "done") ? "done" : "todo", &cause) != 0) {
				say_cause(a, cause);
			} else {
				int now_done = !strcmp(a->it.doc->review, "done");

				say(a, "review: %s", a->it.doc->review);
				if (a->done && a->done[a->cur] != now_done) {
					a->ndone = now_done ? a->ndone + 1 : a->ndone - 1;
					a->done[a->cur] = (uint8_t)now_done;
				}
			}
			autosave(a);
		}
		break;
	case ACT_PANEL: a->panel = !a->panel; break;
	case ACT_HELP: a->help = !a->help; a->help_top = 0; break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		imgarea_invalidate(&a->area);
		break;
	case ACT_QUIT: a->quit = 1; break;
	case ACT_NONE: case ACT_COUNT: break;
	}
}

static void on_mouse(struct app *a)
{
	MEVENT ev;
	int inside, cx, cy;

	if (getmouse(&ev) != OK)
		return;
	cx = ev.x - a->area.x0;
	cy = ev.y - a->area.y0;
	inside = cx >= 0 && cy >= 0 && cx < a->area.cols && cy < a->area.rows;
	if (ev.bstate & BUTTON4_PRESSED) {
		if (inside)
			view_zoom_at(&a->view, ZOOM_STEP, (cx + 0.5) * a->area.cell_w, (cy + 0.5) * a->area.cell_h);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		if (inside)
			view_zoom_at(&a->view, 1 / ZOOM_STEP, (cx + 0.5) * a->area.cell_w, (cy + 0.5) * a->area.cell_h);
		return;
	}
#endif
	if (ev.bstate & (BUTTON3_PRESSED | BUTTON3_CLICKED)) {
		close_outline(a);
		return;
	}
	if (ev.bstate & BUTTON1_PRESSED) {
		a->mouse_down = 1;
		a->mouse_dragged = 0;
		a->mouse_x = ev.x;
		a->mouse_y = ev.y;
		if (inside) {
			a->cx = cx;
			a->cy = cy;
		}
		return;
	}
	if (ev.bstate & REPORT_MOUSE_POSITION) {
		if (a->mouse_down && (ev.x != a->mouse_x || ev.y != a->mouse_y)) {
			a->mouse_dragged = 1;
			if (a->pen) {
				/* The pen follows the mouse. */
				if (inside) {
					a->cx = cx;
					a->cy = cy;
					after_move(a);
				}
			} else {
				view_pan(&a->view, (double)a->area.cell_w * (a->mouse_x - ev.x),
				    (double)a->area.cell_h * (a->mouse_y - ev.y));
			}
			a->mouse_x = ev.x;
			a->mouse_y = ev.y;
		}
		return;
	}
	if (ev.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED)) {
		int click = (ev.bstate & BUTTON1_CLICKED) || (a->mouse_down && !a->mouse_dragged);

		a->mouse_down = 0;
		if (click && inside) {
			a->cx = cx;
			a->cy = cy;
			do_action(a, ACT_VERTEX, 1);
		}
	}
}

static void on_key(struct app *a, int ch)
{
	enum action act;
	int n;

	if (a->help) {
		if (ch == 'j' || ch == KEY_DOWN)
			a->help_top += a->help_top < ACT_COUNT - 3 ? 1 : 0;
		else if ((ch == 'k' || ch == KEY_UP) && a->help_top > 0)
			a->help_top--;
		else if (ch == 27 || ch == '?' || ch == 'q' || ch == KEY_F(1))
			a->help = 0;
		return;
	}
	if (ch == KEY_MOUSE) {
		if (a->im) {
			a->msg[0] = '\0';
			on_mouse(a);
		}
		return;
	}
	if (ch == KEY_RESIZE) {
		sixel_cells(a);
		imgarea_invalidate(&a->area);
		return;
	}
	if (a->class_pick) {
		const struct cfg_class *c = ch > 0 && ch < 127 ? cfg_class_by_key(&a->it.ds, ch) : NULL;

		a->class_pick = 0;
		if (c)
			a->class_idx = (size_t)(c - a->it.ds.classes);
		else if (ch != 27)
			say(a, "no class has the key %s", keys_name(ch));
		return;
	}
	/* A count: digits before an action repeat it ("5l"). 0 only continues a count. */
	if ((ch >= '1' && ch <= '9') || (ch == '0' && a->count > 0)) {
		if (a->count < 10000)
			a->count = a->count * 10 + (ch - '0');
		return;
	}
	n = a->count > 0 ? a->count : 1;
	a->count = 0;
	act = keys_action(a->keys, ch);
	if (act == ACT_NONE) {
		/* A class's own key selects it when nothing else is bound to that key. */
		const struct cfg_class *c = ch > 0 && ch < 127 ? cfg_class_by_key(&a->it.ds, ch) : NULL;

		if (c)
			a->class_idx = (size_t)(c - a->it.ds.classes);
		else
			say(a, "%s does nothing here (? lists the keys)", keys_name(ch));
		return;
	}
	if (act != ACT_CANCEL && act != ACT_HELP)
		a->msg[0] = '\0';
	do_action(a, act, n);
}

/* ---- setup ---------------------------------------------------------------------------- */

static struct app *the_app;

/* Out of memory: the terminal must come back usable even then. */
static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

/* ncurses on $TERM; a server often lacks the terminfo entry of a new terminal (alacritty, foot,
 * kitty), so fall back to xterm's, which they all follow, rather than refuse to start. */
static SCREEN *open_terminal(char *note, size_t n)
{
	const char *term = getenv("TERM");
	const char *fallback = term && (strstr(term, "256") || strstr(term, "direct") || strstr(term, "kitty") ||
	    strstr(term, "alacritty") || strstr(term, "foot") || strstr(term, "wezterm")) ? "xterm-256color" : "xterm";
	SCREEN *scr;
	int err = 0;

	if (term && *term && setupterm(term, STDOUT_FILENO, &err) == OK) {
		int addressable = tigetstr("cup") && tigetstr("cup") != (char *)-1;

		del_curterm(cur_term);
		if (!addressable) {
			fprintf(stderr, "pxlabel: the terminal '%s' cannot move its cursor; the annotator needs one that can\n", term);
			return NULL;
		}
		scr = newterm(term, stdout, stdin);
		if (scr)
			return scr;
	}
	scr = newterm(fallback, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "pxlabel: no terminfo entry for '%s' or %s (install ncurses-term, or set TERM)\n",
		    term ? term : "", fallback);
		return NULL;
	}
	snprintf(note, n, "no terminfo for TERM=%s: using %s", term ? term : "", fallback);
	return scr;
}

/* Config warnings come before any image is open, which would clear a message: keep them for
 * the first screen. */
static void warn_line(const char *msg, void *ctx)
{
	struct app *a = ctx;
	char *n = xasprintf("%s%s%s", a->notice ? a->notice : "", a->notice ? "; " : "", msg);

	free(a->notice);
	a->notice = n;
}

/* Keys typed while the terminal was being asked, after its last reply, back into ncurses'
 * input: bytes one by one, escape sequences as the keys they are (they were typed before
 * keypad mode, so arrows come as CSI or SS3 either way), other sequences dropped. */
static void unget_typeahead(const unsigned char *p, size_t n)
{
	int keys[64];
	size_t i = 0, nk = 0;

	while (i < n && nk < sizeof(keys) / sizeof(keys[0])) {
		char seq[32];
		size_t j = i + 2, len;
		int code;

		if (p[i] != 27 || i + 2 > n || (p[i + 1] != '[' && p[i + 1] != 'O')) {
			keys[nk++] = p[i++];
			continue;
		}
		if (p[i + 1] == '[')
			while (j < n && p[j] >= 0x20 && p[j] < 0x40)
				j++;
		if (j >= n) /* cut short: the rest is lost */
			break;
		len = j + 1 - i;
		if (len >= sizeof(seq)) {
			i = j + 1;
			continue;
		}
		memcpy(seq, p + i, len);
		seq[len] = '\0';
		code = key_defined(seq);
		if (code <= 0 && len == 3) { /* the other cursor-key mode's form */
			seq[1] = seq[1] == '[' ? 'O' : '[';
			code = key_defined(seq);
		}
		if (code > 0)
			keys[nk++] = code;
		i = j + 1;
	}
	while (nk > 0)
		ungetch(keys[--nk]);
}

int app_run(char **images, size_t nimages, const char *resume_key, const struct app_opts *opts)
{
	struct sixelout_probe probe;
	struct sigaction sa;
	struct app a;
	char *cause = NULL;
	int status = 0, mode, fast_errors = 0, want, cell_w, cell_h, redraw = 1;
	SCREEN *scr;

	memset(&a, 0, sizeof(a));
	a.images = images;
	a.nimages = nimages;
	a.resume_key = resume_key;
	a.snap = 1;
	a.panel = 1;
	a.opacity = 50;
	if (cfg_user_load(&a.user, &cause) != 0) {
		fprintf(stderr, "pxlabel: %s\n", cause);
		free(cause);
		return 1;
	}
	a.overlay = a.user.overlay == CFG_OVERLAY_OUTLINE ? VIEW_OVERLAY_OUTLINE :
	    a.user.overlay == CFG_OVERLAY_OFF ? VIEW_OVERLAY_OFF : VIEW_OVERLAY_FILLED;
	a.opacity = a.user.opacity;
	mode = opts && opts->colours >= 0 ? opts->colours : a.user.colors >= 0 ? a.user.colors : (int)tty_colour_mode();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "pxlabel: the annotator needs a terminal (for a preview in a pipe: pxlabel render)\n");
		cfg_user_free(&a.user);
		return 1;
	}
	/* Sixel or blocks, asked before curses starts: the command line, else config.ini's
	 * [display] mode, else the terminal's answer. A terminal that cannot be asked is blocks. */
	want = opts && opts->display >= 0 ? opts->display : a.user.display == CFG_DISPLAY_SIXEL ? TQUERY_DISPLAY_SIXEL :
	    a.user.display == CFG_DISPLAY_BLOCKS ? TQUERY_DISPLAY_BLOCKS : TQUERY_DISPLAY_AUTO;
	(void)sixelout_probe((enum tquery_display)want, opts && opts->query_timeout >= 0 ? opts->query_timeout :
	    SIXELOUT_TIMEOUT_MS, &probe, &cause);
	free(cause);
	cause = NULL;
	cell_w = opts && opts->cell_w > 0 ? opts->cell_w : probe.cell_w;
	cell_h = opts && opts->cell_h > 0 ? opts->cell_h : probe.cell_h;
	a.cell_fixed = (opts && opts->cell_w > 0) || probe.cell_source != TQUERY_CELL_WINSIZE;
	a.colours = probe.colours;
	a.display = probe.sixel ? "sixel" : "blocks";
	scr = open_terminal(a.msg, sizeof(a.msg));
	if (!scr) {
		cfg_user_free(&a.user);
		return 1;
	}
	the_app = &a;
	xalloc_set_oom_hook(restore_terminal);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	idlok(stdscr, FALSE);
	scrollok(stdscr, FALSE);
	set_escdelay(100); /* Esc alone vs. the start of an arrow key, over SSH */
	timeout(250);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	if (!opts || !opts->no_mouse) {
		mousemask(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION, NULL);
		mouseinterval(0);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	a.keys = keys_new(&a.user, warn_line, &a);
	if (probe.npending)
		unget_typeahead(probe.pending, probe.npending);
	imgarea_init(&a.area, (enum colour_mode)mode);
	if (probe.sixel)
		imgarea_init_sixel(&a.area, cell_w, cell_h, probe.colours, probe.reply.geom_w, probe.reply.geom_h);
	/* Two levels in 255 cannot be seen, and merging them saves about a fifth of the bytes of
	 * a truecolor screen. */
	a.area.tolerance = 2;
	count_done(&a);
	layout(&a);
	goto_image(&a, resume_find(images, nimages, resume_key));
	if (a.notice && !a.msg[0])
		say(&a, "%s", a.notice);
	free(a.notice);
	a.notice = NULL;

	while (!a.quit && !got_signal) {
		double t0;
		int ch;

		/* A frame only after something happened: an idle timeout must not render and diff
		 * a whole image area four times a second. */
		if (redraw)
			draw(&a);
		redraw = 0;
		t0 = now();
		ch = getch();
		if (got_signal)
			break;
		if (ch == ERR) {
			/* Idle: the masks catch up with the sidecar. A terminal that went away shows up
			 * here as input that keeps failing. */
			if (a.masks_dirty && now() - a.last_edit > MASK_IDLE_S) {
				save_masks(&a);
				redraw = 1;
			}
			/* A timeout takes 250 ms; input that fails at once, again and again, is a
			 * terminal that went away without a SIGHUP reaching us. */
			if (now() - t0 < 0.05) {
				if (++fast_errors > 100) {
					got_signal = SIGHUP;
					break;
				}
			} else {
				fast_errors = 0;
			}
			continue;
		}
		on_key(&a, ch);
		redraw = 1;
	}
	/* Quit, hang-up or termination: the work goes to disk before anything else. */
	if (got_signal)
		draft_save(&a);
	close_image(&a);
	if (got_signal == SIGHUP || got_signal == SIGTERM)
		status = 128 + got_signal;
	if (got_signal != SIGHUP) {
		erase();
		refresh();
	}
	endwin();
	delscreen(scr);
	if (a.unsaved) {
		/* The screen is gone: this is where unsaved work must be told. */
		fprintf(stderr, "pxlabel: %s", a.unsaved);
		free(a.unsaved);
		if (!status)
			status = 1;
	}
	keys_free(a.keys);
	imgarea_free(&a.area);
	free(a.frame);
	free(a.pts);
	free(a.done);
	while (a.nkept)
		kept_drop(&a, a.nkept - 1);
	cfg_user_free(&a.user);
	the_app = NULL;
	return status;
}
