/* session.c: the annotator's rules, with no terminal (see session.h). The UI turns keys into
 * these calls and shows what they report; everything that decides what an edit means, when
 * files are written and which image comes next is here. */
#include "config.h"

#include "session.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "edge.h"
#include "paths.h"
#include "queue.h"
#include "sbuf.h"
#include "sidecar.h"
#include "xalloc.h"

#define MAX_DRAFT 100000       /* vertices read back from a draft */
#define MAX_RESUME_BYTES (1 << 20) /* the resume file keeps the most recent folders up to this */

static void slivers_all(struct session *s);

__attribute__((format(printf, 2, 3)))
static void say(struct session *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->msg, sizeof(s->msg), fmt, ap);
	va_end(ap);
	s->msg_set = 1;
}

/* A message after another one set in the same step (opening an image can take over a lock,
 * rebuild the masks and restore a draft): both are told, the first one first, rather than the
 * last one alone. */
__attribute__((format(printf, 2, 3)))
static void say_also(struct session *s, const char *fmt, ...)
{
	size_t n = s->msg_set ? strlen(s->msg) : 0;
	va_list ap;

	if (n + 3 > sizeof(s->msg))
		return; /* full: the first one stays whole */
	if (n) {
		memcpy(s->msg + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(s->msg + n, sizeof(s->msg) - n, fmt, ap);
	va_end(ap);
	s->msg_set = 1;
}

static void say_cause(struct session *s, char *cause)
{
	say(s, "%s", cause ? cause : "error");
	free(cause);
}

int session_take_message(struct session *s, char *buf, size_t n)
{
	if (!s->msg_set)
		return 0;
	snprintf(buf, n, "%s", s->msg);
	s->msg_set = 0;
	return 1;
}

/* ---- the review state --------------------------------------------------------------------- */

int session_review_done(const char *review)
{
	return review && (!strcmp(review, "done") || !strcmp(review, "accepted") || !strcmp(review, "approved"));
}

/* Whose files image i is labelled into: the person's own when the image is shared, else NULL
 * (the data set's). */
static const char *person_of(const struct session *s, size_t i)
{
	return s->person && s->shared && s->shared[i] ? s->person : NULL;
}

/* The folder part of an image path ("." for none), new. */
static char *folder_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	return slash == path ? xstrdup("/") : xasprintf("%.*s", (int)(slash - path), path);
}

/* Each image's review state from its sidecar, found with the suffix its pxlabel.ini gives. The
 * data set is read once a folder (images come sorted, a folder's together). */
static void count_done(struct session *s)
{
	struct dataset ds;
	char *folder = NULL, *suffix = NULL, review[40];
	size_t i;

	s->done = xcalloc(s->nimages ? s->nimages : 1, 1);
	s->ndone = 0;
	for (i = 0; i < s->nimages; i++) {
		char *here = folder_of(s->images[i]), *side;

		if (!folder || strcmp(folder, here)) {
			free(folder);
			free(suffix);
			folder = here;
			here = NULL;
			if (dataset_load(s->images[i], &ds, NULL) == 0) {
				suffix = xstrdup(ds.sidecar_suffix);
				dataset_free(&ds);
			} else {
				suffix = NULL; /* its pxlabel.ini is broken: none of these opens anyway */
			}
		}
		free(here);
		if (!suffix)
			continue;
		if (person_of(s, i)) {
			char *own = xasprintf(".%s%s", s->person, suffix);

			side = paths_derived(s->images[i], own);
			free(own);
		} else {
			side = paths_derived(s->images[i], suffix);
		}
		if (sidecar_peek_review(side, review, sizeof(review)) == 0 && session_review_done(review)) {
			s->done[i] = 1;
			s->ndone++;
		}
		free(side);
	}
	free(folder);
	free(suffix);
}

static void done_update(struct session *s)
{
	int now_done = s->it.doc && session_review_done(s->it.doc->review);

	if (s->done[s->cur] != now_done) {
		s->ndone = now_done ? s->ndone + 1 : s->ndone - 1;
		s->done[s->cur] = (uint8_t)now_done;
	}
}

/* ---- saving ------------------------------------------------------------------------------- */

static void save_masks(struct session *s)
{
	char *cause = NULL;

	if (!s->have_item || !s->it.doc || !s->masks_dirty)
		return;
	if (item_write_masks(&s->it, &s->comp, &cause) != 0) {
		/* Kept for the way out like a failed sidecar: both masks stay as they were (they are
		 * replaced together), and the next open rebuilds them from the sidecar. */
		free(s->mask_error);
		s->mask_error = xstrdup(cause ? cause : "write failed");
		say_also(s, "MASKS NOT WRITTEN: %s", s->mask_error);
		free(cause);
	} else {
		s->masks_dirty = 0;
		free(s->mask_error);
		s->mask_error = NULL;
	}
}

/* The sidecar after every finished edit: it is the source of truth, small, and written
 * atomically, so a dropped connection loses nothing. The masks follow when the user is idle. */
static void autosave(struct session *s)
{
	char *cause = NULL;

	/* open_error: read-only, or the lock was taken over meanwhile, and the sidecar on disk is
	 * someone else's work now. */
	if (!s->have_item || !s->it.doc || s->open_error || s->it.doc->edits == s->saved_edits)
		return;
	if (item_save(&s->it, &cause) != 0) {
		/* Kept until a save succeeds, and told again on the way out. */
		free(s->save_error);
		s->save_error = cause;
		say(s, "NOT SAVED: %s", cause ? cause : "error");
		return;
	}
	free(s->save_error);
	s->save_error = NULL;
	s->saved_edits = s->it.doc->edits;
	s->masks_dirty = 1;
	s->last_save = s->now;
}

/* Another host judges our lock by its silence (doc/locking.md), so it is touched every
 * LOCK_REFRESH_SECONDS, idle or not. Returns 1 when the lock turned out to be someone else's:
 * the image is read-only from then on. */
static int lock_keep(struct session *s, double now)
{
	char *holder = NULL;
	int lost = 0;

	if (!s->lock.path || now - s->lock_touched <= LOCK_REFRESH_SECONDS)
		return 0;
	s->lock_touched = now;
	if (lock_refresh(&s->lock, &holder, NULL) == 1 && !s->open_error) {
		s->open_error = xasprintf("the lock was taken over by %s", holder ? holder : "another annotator");
		say(s, "read-only: %s", s->open_error);
		/* The sidecar is the new holder's now: masks of ours written after it would look
		 * up to date while showing other outlines. Its next open rebuilds any stale ones. */
		s->masks_dirty = 0;
		lost = 1;
	}
	free(holder);
	return lost;
}

void session_set_time(struct session *s, double now)
{
	s->now = now;
	/* Keys can come faster than the idle ticks for minutes (a held key, a drag). */
	(void)lock_keep(s, now);
}

int session_tick(struct session *s, double now)
{
	int changed;

	s->now = now;
	changed = lock_keep(s, now);
	if (!s->masks_dirty || now - s->last_save <= SESSION_MASK_IDLE)
		return changed;
	save_masks(s);
	return 1;
}

int session_unsaved_edits(const struct session *s)
{
	return s->it.doc && s->it.doc->edits != s->saved_edits;
}

/* ---- the state folder: drafts and where a folder's work stopped ---------------------------- */

/* A file of the state folder, the folder made when it is missing; NULL when there is none. */
static char *state_file(const struct session *s, const char *name)
{
	char *dir, *slash;

	if (!s->state_dir)
		return NULL;
	dir = xstrdup(s->state_dir);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(dir, 0755);
		*slash = '/';
	}
	(void)mkdir(dir, 0755);
	free(dir);
	return xasprintf("%s/%s", s->state_dir, name);
}

/* An outline still being drawn when the session ends by a signal; it comes back when that
 * image is opened again. Best effort, as everything in the state folder. */
static void draft_save(const struct session *s)
{
	struct sbuf out;
	char *path;
	size_t i;

	if (!s->npts || !s->im)
		return;
	path = state_file(s, "draft");
	if (!path)
		return;
	sbuf_init(&out);
	sbuf_printf(&out, "%s\n", s->images[s->cur]);
	for (i = 0; i < s->npts; i++)
		sbuf_printf(&out, "%ld %ld\n", (long)s->pts[i].x, (long)s->pts[i].y);
	(void)afile_write(path, out.data, out.len, NULL);
	sbuf_free(&out);
	free(path);
}

static void add_point(struct session *s, raster_pt p)
{
	if (s->npts == s->cappts) {
		s->cappts = s->cappts ? s->cappts * 2 : 64;
		s->pts = xreallocarray(s->pts, s->cappts, sizeof(*s->pts));
		s->pt_joined = xreallocarray(s->pt_joined, s->cappts, 1);
	}
	s->pt_joined[s->npts] = 0;
	s->pts[s->npts++] = p;
}

static void draft_restore(struct session *s)
{
	char *path = s->state_dir ? xasprintf("%s/draft", s->state_dir) : NULL, line[PATH_MAX + 2];
	FILE *fp = path ? fopen(path, "r") : NULL;
	long x, y;

	if (!fp)
		goto out;
	if (fgets(line, sizeof(line), fp) && (line[strcspn(line, "\n")] = '\0', !strcmp(line, s->images[s->cur]))) {
		s->npts = 0;
		while (s->npts < MAX_DRAFT && fscanf(fp, "%ld %ld", &x, &y) == 2) {
			raster_pt p = { (int32_t)x, (int32_t)y };

			add_point(s, p);
		}
		if (s->npts)
			say_also(s, "the outline you were drawing when pxlabel last stopped is back (Esc drops it)");
		fclose(fp);
		unlink(path);
		goto out;
	}
	fclose(fp);
out:
	free(path);
}

/* The last image opened from a folder, so the next session starts there: a line "KEY\tIMAGE"
 * a folder, the newest first. */
static void resume_save(const struct session *s)
{
	char *path, line[PATH_MAX * 2 + 4];
	size_t n;
	struct sbuf out;
	FILE *fp;

	if (!s->resume_key)
		return;
	path = state_file(s, "resume");
	if (!path)
		return;
	n = strlen(s->resume_key);
	sbuf_init(&out);
	sbuf_printf(&out, "%s\t%s\n", s->resume_key, s->images[s->cur]);
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		if (!strncmp(line, s->resume_key, n) && line[n] == '\t')
			continue;
		if (out.len < MAX_RESUME_BYTES)
			sbuf_adds(&out, line);
	}
	if (fp)
		fclose(fp);
	(void)afile_write(path, out.data, out.len, NULL);
	sbuf_free(&out);
	free(path);
}

size_t session_resume_index(const struct session *s)
{
	char *path, line[PATH_MAX * 2 + 4];
	size_t i, k, found = 0;
	FILE *fp;

	if (!s->resume_key || !s->state_dir)
		return 0;
	path = xasprintf("%s/resume", s->state_dir);
	k = strlen(s->resume_key);
	fp = fopen(path, "r");
	while (fp && fgets(line, sizeof(line), fp)) {
		if (strncmp(line, s->resume_key, k) || line[k] != '\t')
			continue;
		line[strcspn(line, "\n")] = '\0';
		for (i = 0; i < s->nimages; i++)
			if (!strcmp(s->images[i], line + k + 1))
				found = i;
	}
	if (fp)
		fclose(fp);
	free(path);
	return found;
}

/* ---- documents kept for undo after coming back ---------------------------------------------- */

static void kept_drop(struct session *s, size_t i)
{
	free(s->kept[i].image);
	doc_free(s->kept[i].doc);
	memmove(s->kept + i, s->kept + i + 1, (s->nkept - i - 1) * sizeof(*s->kept));
	s->nkept--;
}

/* Leaving an image: its document and history stay in memory (the oldest of SESSION_KEPT_DOCS
 * goes), while the sidecar on disk is the one this session wrote. */
static void keep_doc(struct session *s)
{
	struct doc *d = s->have_item ? s->it.doc : NULL;
	struct stat st;

	if (!d || s->open_error || d->edits != s->saved_edits || (!d->nundo && !d->nredo) ||
	    stat(s->it.sidecar, &st) != 0)
		return;
	if (s->nkept == SESSION_KEPT_DOCS)
		kept_drop(s, 0);
	s->kept[s->nkept].image = xstrdup(s->images[s->cur]);
	s->kept[s->nkept].doc = d;
	s->kept[s->nkept++].st = st;
	s->it.doc = NULL;
}

/* Coming back: the kept document replaces the one just read, if nobody changed the file. */
static void reuse_doc(struct session *s)
{
	struct session_kept *k;
	struct stat st;
	size_t i;

	for (i = 0; i < s->nkept && strcmp(s->kept[i].image, s->images[s->cur]); i++)
		;
	if (i == s->nkept)
		return;
	k = &s->kept[i];
	if (stat(s->it.sidecar, &st) == 0 && st.st_ino == k->st.st_ino && st.st_size == k->st.st_size &&
	    st.st_mtim.tv_sec == k->st.st_mtim.tv_sec && st.st_mtim.tv_nsec == k->st.st_mtim.tv_nsec &&
	    s->it.doc && s->it.doc->w == k->doc->w && s->it.doc->h == k->doc->h) {
		doc_free(s->it.doc);
		s->it.doc = k->doc;
		k->doc = NULL;
	}
	kept_drop(s, i);
}

/* ---- opening and closing images --------------------------------------------------------------- */

static void close_image(struct session *s)
{
	autosave(s);
	save_masks(s);
	if (s->have_item && session_unsaved_edits(s)) {
		char *line = xasprintf("%s%s: edits not saved: %s\n", s->unsaved ? s->unsaved : "", s->it.image,
		    s->save_error ? s->save_error : "unknown error");

		free(s->unsaved);
		s->unsaved = line;
	}
	if (s->have_item && s->mask_error) {
		char *line = xasprintf("%s%s: masks not written (the next start rebuilds them): %s\n",
		    s->unsaved ? s->unsaved : "", s->it.image, s->mask_error);

		free(s->unsaved);
		s->unsaved = line;
	}
	free(s->save_error);
	s->save_error = NULL;
	free(s->mask_error);
	s->mask_error = NULL;
	lock_release(&s->lock);
	keep_doc(s);
	if (s->have_item)
		item_close(&s->it);
	s->have_item = 0;
	free(s->open_error);
	s->open_error = NULL;
	img_free(s->im);
	s->im = NULL;
	img_free(s->im_flat);
	s->im_flat = NULL;
	compose_free(&s->comp);
	s->nslivers = 0;
	s->sliver_news = 0;
	s->review_auto = 0;
	s->npts = 0;
	s->pen = 0;
	s->selected = 0;
	/* Adding to or cutting from act on the selected instance, which was this image's. */
	s->mode = SESSION_NEW;
}

static void set_class_colours(struct session *s)
{
	struct pngio_rgb pal[256];
	int i;

	(void)item_palette(&s->it, pal);
	for (i = 0; i < 256; i++) {
		s->class_rgb[i][0] = pal[i].r;
		s->class_rgb[i][1] = pal[i].g;
		s->class_rgb[i][2] = pal[i].b;
	}
}

/* A sidecar (or pxlabel.ini) that cannot be read: the image is shown and nothing may overwrite
 * that file, so the item holds paths and classes but no document. */
static void open_unreadable(struct session *s, char *cause)
{
	const char *image = s->images[s->cur];

	s->open_error = cause;
	memset(&s->it, 0, sizeof(s->it));
	if (dataset_load(image, &s->it.ds, NULL) != 0)
		dataset_defaults(&s->it.ds);
	if (person_of(s, s->cur))
		queue_personal(&s->it.ds, person_of(s, s->cur));
	s->it.image = xstrdup(image);
	s->it.sidecar = paths_derived(image, s->it.ds.sidecar_suffix);
	s->it.labels = paths_derived(image, s->it.ds.labels_suffix);
	s->it.instances = paths_derived(image, s->it.ds.instances_suffix);
}

/* The folder can be written and nobody else holds the image: found out now, not after an hour
 * of work that could not be saved. Sets open_error otherwise. */
static void take_lock(struct session *s)
{
	char *holder = NULL, *cause = NULL, *dir = folder_of(s->images[s->cur]);
	int l;

	if (access(dir, W_OK) != 0) {
		s->open_error = xasprintf("cannot write in %s: nothing could be saved", dir);
	} else {
		l = lock_take(&s->lock, s->it.sidecar, &holder, &cause);
		if (l == 1)
			s->open_error = xasprintf("being edited by %s", holder);
		else if (l < 0)
			s->open_error = cause;
	}
	free(holder);
	free(dir);
}

int session_goto(struct session *s, size_t index)
{
	char *cause = NULL;

	if (index >= s->nimages)
		return -1;
	close_image(s);
	s->cur = index;
	s->im = img_load(s->images[index], &s->load, &cause);
	if (!s->im) {
		say_cause(s, cause);
		return -1;
	}
	if (s->im->alpha) {
		uint8_t bg[3];

		img_unused_colour(s->im, bg);
		s->im_flat = img_flatten(s->im, bg);
	}
	if (item_open_as(&s->it, s->images[index], &s->load.limits, 0, person_of(s, index), &cause) != 0) {
		open_unreadable(s, cause);
	} else if (s->it.doc && (s->it.doc->w != s->im->w || s->it.doc->h != s->im->h)) {
		s->open_error = xasprintf("%s is for a %dx%d image, this one is %dx%d", s->it.sidecar,
		    s->it.doc->w, s->it.doc->h, s->im->w, s->im->h);
		doc_free(s->it.doc);
		s->it.doc = NULL;
	} else {
		/* Whatever was said about the image left is old news now. */
		say(s, "%s", "");
		take_lock(s);
		if (!s->open_error) {
			char *conflict = item_class_conflicts(&s->it);

			reuse_doc(s);
			s->lock_touched = s->now;
			if (s->lock.took_over)
				say(s, "%s", s->lock.took_over);
			if (conflict)
				say_also(s, "%s", conflict);
			free(conflict);
		}
	}
	if (s->open_error)
		say(s, "read-only: %s", s->open_error);
	else if (s->it.doc && s->it.doc->note.comment && !strcmp(s->it.doc->review, "rejected"))
		/* The annotator is told why before fixing; the reviewer sees what was said. */
		say(s, "rejected%s%s: %s", s->it.doc->note.by ? " by " : "",
		    s->it.doc->note.by ? s->it.doc->note.by : "", s->it.doc->note.comment);
	s->have_item = 1;
	/* An empty document from the start, so snapping (to the image's border) works for the
	 * first outline too; it is written only once it holds an edit. */
	if (!s->it.doc && !s->open_error)
		s->it.doc = doc_new(s->im->w, s->im->h, NULL);
	s->saved_edits = s->it.doc ? s->it.doc->edits : 0;
	s->masks_dirty = 0;
	if (compose_init(&s->comp, s->im->w, s->im->h, &cause) != 0) {
		say_cause(s, cause);
		close_image(s);
		return -1;
	}
	if (s->it.doc && compose_all(&s->comp, s->it.doc, &cause) != 0) {
		say_cause(s, cause);
	} else if (!s->open_error) {
		/* Masks older than the sidecar (a session killed before they were written) or missing
		 * are rebuilt now: whoever reads NAME.labels.png must never train on stale masks. */
		char *stale = item_masks_stale(&s->it);

		if (stale) {
			/* The masks are beside the sidecar: their folder goes without saying. */
			size_t dir = (size_t)(paths_base(s->it.sidecar) - s->it.sidecar);
			const char *why = strncmp(stale, s->it.sidecar, dir) ? stale : stale + dir;

			s->masks_dirty = 1;
			save_masks(s);
			if (!s->mask_error)
				say_also(s, "masks rebuilt: %s", why);
			free(stale);
		}
	}
	slivers_all(s);
	set_class_colours(s);
	if (s->class_idx >= s->it.ds.nclasses)
		s->class_idx = 0;
	resume_save(s);
	if (!s->open_error)
		draft_restore(s);
	return 0;
}

long session_step(struct session *s, int dir)
{
	if (s->npts) {
		say(s, "an outline is in progress: Enter closes it, Esc drops it");
		return -1;
	}
	if (dir > 0 && s->cur + 1 < s->nimages)
		return (long)s->cur + 1;
	if (dir < 0 && s->cur > 0)
		return (long)s->cur - 1;
	say(s, dir > 0 ? "this is the last image" : "this is the first image");
	return -1;
}

static int has_unlabeled(const char *image, const char *person)
{
	struct img_limits lim;
	struct compose c;
	struct item it;
	int yes = 1;

	img_limits_default(&lim);
	if (item_open_as(&it, image, &lim, 0, person, NULL) != 0)
		return 0;
	if (it.doc && compose_init(&c, it.doc->w, it.doc->h, NULL) == 0) {
		if (compose_all(&c, it.doc, NULL) == 0)
			yes = c.class_pixels[0] > 0;
		compose_free(&c);
	}
	item_close(&it);
	return yes;
}

long session_find_unlabeled(struct session *s)
{
	size_t k;

	for (k = 1; k < s->nimages; k++) {
		size_t i = (s->cur + k) % s->nimages;

		if (has_unlabeled(s->images[i], person_of(s, i)))
			return (long)i;
	}
	say(s, "every other image is fully labeled");
	return -1;
}

struct session *session_new(char **images, size_t nimages, const struct session_opts *opts)
{
	struct session *s = xcalloc(1, sizeof(*s));
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");

	s->images = images;
	s->nimages = nimages;
	s->snap = 1;
	s->resume_key = opts->resume_key ? xstrdup(opts->resume_key) : NULL;
	s->person = opts->person;
	s->shared = opts->shared;
	if (opts->state_dir)
		s->state_dir = xstrdup(opts->state_dir);
	else if (xdg && xdg[0] == '/')
		s->state_dir = xasprintf("%s/pxlabel", xdg);
	else if (home && home[0] == '/')
		s->state_dir = xasprintf("%s/.local/state/pxlabel", home);
	img_load_opts_default(&s->load);
	s->load.limits = opts->limits;
	s->load.keep16 = 1; /* shown through a window (view.h), at 2 bytes a pixel when grey */
	count_done(s);
	return s;
}

void session_end(struct session *s, int keep_draft)
{
	if (keep_draft)
		draft_save(s);
	close_image(s);
}

const char *session_unsaved(const struct session *s)
{
	return s->unsaved;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	close_image(s);
	while (s->nkept)
		kept_drop(s, s->nkept - 1);
	free(s->unsaved);
	free(s->slivers);
	free(s->pts);
	free(s->pt_joined);
	free(s->done);
	free(s->resume_key);
	free(s->state_dir);
	free(s);
}

/* ---- edits -------------------------------------------------------------------------------- */

/* The document may change: refused on a read-only image; a document made if there is none. */
static int editable(struct session *s)
{
	char *cause = NULL;

	if (!s->im)
		return 0;
	if (s->open_error) {
		say(s, "read-only: %s", s->open_error);
		return 0;
	}
	if (!s->it.doc) {
		s->it.doc = doc_new(s->im->w, s->im->h, &cause);
		if (!s->it.doc) {
			say_cause(s, cause);
			return 0;
		}
		s->saved_edits = 0;
	}
	return 1;
}

/* ---- the review state of edited work ------------------------------------------------------- */

/* The marker of the review change made with an edit is stale once a step of another edit sits
 * at its depth (it was undone, and something else done since). */
static void review_forget_stale(struct session *s)
{
	if (s->review_auto && s->it.doc->nundo < s->review_auto)
		s->review_auto = 0;
}

/* Before an edit of the document: an image done (or accepted) is not any more, its review says
 * it changed after review. One step of the document's history of its own, which undo and redo
 * take together with the edit that follows it. */
static void review_before_edit(struct session *s)
{
	struct doc *d = s->it.doc;

	s->review_note = 0;
	review_forget_stale(s);
	if (!session_review_done(d->review))
		return;
	snprintf(s->review_was, sizeof(s->review_was), "%s", d->review);
	if (doc_set_review(d, SESSION_REVIEW_CHANGED, NULL) != 0)
		return;
	s->review_auto = d->nundo;
	s->review_note = 1;
	done_update(s);
}

/* The edit did not happen after all: nor does the review change. */
static void review_edit_failed(struct session *s)
{
	if (s->review_auto && s->it.doc->nundo == s->review_auto) {
		(void)doc_undo(s->it.doc, NULL);
		s->review_auto = 0;
		done_update(s);
	}
	s->review_note = 0;
}

/* ---- slivers ------------------------------------------------------------------------------ */

static void slivers_all(struct session *s)
{
	raster_rect all = { 0, 0, s->comp.w, s->comp.h };

	s->nslivers = 0;
	s->sliver_next = 0;
	s->sliver_news = 0;
	if (s->comp.ids)
		(void)sliver_find(s->comp.ids, s->comp.w, s->comp.h, s->comp.inst_pixels, all, s->it.ds.sliver_pixels,
		    &s->slivers, &s->nslivers, &s->capslivers);
}

static int sliver_known(const struct sliver *v, size_t n, const struct sliver *x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i].inst == x->inst && v[i].x == x->x && v[i].y == x->y && v[i].pixels == x->pixels)
			return 1;
	return 0;
}

/* After an edit that changed the masks in dirty: the slivers there found again, and the new
 * ones counted for the message. Parts of the edited instance elsewhere count too (adding a
 * big part makes an old small one a stray), and so do the pieces just outside dirty that an
 * edit inside it cut apart. */
static void slivers_update(struct session *s, raster_rect dirty)
{
	const struct doc_instance *in = s->it.doc ? doc_instance(s->it.doc, s->selected) : NULL;
	struct sliver *old;
	size_t nold = s->nslivers, i, k, found;
	raster_rect r = dirty;

	if (in && !doc_rect_empty(in->bounds))
		r = doc_rect_union(r, in->bounds);
	s->sliver_news = 0;
	memset(s->sliver_inst, 0, sizeof(s->sliver_inst));
	if (doc_rect_empty(r) || !s->comp.ids)
		return;
	r.x0--;
	r.y0--;
	r.x1++;
	r.y1++;
	old = nold ? xreallocarray(NULL, nold, sizeof(*old)) : NULL;
	if (nold)
		memcpy(old, s->slivers, nold * sizeof(*old));
	/* Those the edit may have changed go; so do those whose instance is gone or has no other
	 * part now. */
	for (i = k = 0; i < nold; i++) {
		const struct sliver *v = &s->slivers[i];
		uint64_t px = s->comp.inst_pixels[v->inst];

		if (!doc_rect_empty(doc_rect_intersect(v->bounds, r)) || px == 0 || px <= v->pixels)
			continue;
		s->slivers[k++] = *v;
	}
	s->nslivers = k;
	found = sliver_find(s->comp.ids, s->comp.w, s->comp.h, s->comp.inst_pixels, r, s->it.ds.sliver_pixels,
	    &s->slivers, &s->nslivers, &s->capslivers);
	for (i = s->nslivers - found; i < s->nslivers; i++) {
		size_t j;

		if (sliver_known(old, nold, &s->slivers[i]))
			continue;
		for (j = 0; j < sizeof(s->sliver_inst) / sizeof(s->sliver_inst[0]); j++)
			if (j >= s->sliver_news || s->sliver_inst[j] == s->slivers[i].inst)
				break;
		if (j < sizeof(s->sliver_inst) / sizeof(s->sliver_inst[0]) && j >= s->sliver_news)
			s->sliver_inst[j] = s->slivers[i].inst;
		s->sliver_news++;
	}
	s->sliver_next = 0;
	free(old);
}

/* The new slivers of the last edit, added to its message. */
static void say_slivers(struct session *s);

/* What the last edit did besides itself, added to its message: a review it changed, slivers. */
static void say_edit_notes(struct session *s)
{
	if (s->review_note) {
		char was[sizeof(s->msg)];

		snprintf(was, sizeof(was), "%s", s->msg_set ? s->msg : "");
		say(s, "%s%sthis image was %s: its review is now %s (D marks it done again)", was, was[0] ? "; " : "",
		    s->review_was, SESSION_REVIEW_CHANGED);
		s->review_note = 0;
	}
	say_slivers(s);
}

static void say_slivers(struct session *s)
{
	char list[64] = "", was[sizeof(s->msg)];
	size_t j, n = 0, shown = sizeof(s->sliver_inst) / sizeof(s->sliver_inst[0]);

	if (!s->sliver_news)
		return;
	for (j = 0; j < shown && j < s->sliver_news; j++) {
		size_t k;

		for (k = 0; k < j && s->sliver_inst[k] != s->sliver_inst[j]; k++)
			;
		if (k < j || !s->sliver_inst[j])
			continue;
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s#%u", n ? ", " : "", s->sliver_inst[j]);
		if (n >= sizeof(list))
			break;
	}
	snprintf(was, sizeof(was), "%s", s->msg_set ? s->msg : "");
	say(s, "%s%s%zu new part%s under %u px in %s: v goes to them", was, was[0] ? "; " : "", s->sliver_news,
	    s->sliver_news == 1 ? "" : "s", s->it.ds.sliver_pixels, list);
	s->sliver_news = 0;
	memset(s->sliver_inst, 0, sizeof(s->sliver_inst));
}

int session_next_sliver(struct session *s, double *ix, double *iy)
{
	const struct sliver *v;

	if (!s->im || !s->nslivers) {
		say(s, "no part of an instance under %u px here", s->have_item ? s->it.ds.sliver_pixels : 0);
		return -1;
	}
	if (s->sliver_next >= s->nslivers)
		s->sliver_next = 0;
	v = &s->slivers[s->sliver_next++];
	*ix = v->x + 0.5;
	*iy = v->y + 0.5;
	s->selected = v->inst;
	say(s, "part %zu of %zu under %u px: #%u, %u px at (%d, %d) (e erases it from #%u)", s->sliver_next, s->nslivers,
	    s->it.ds.sliver_pixels, v->inst, v->pixels, v->x, v->y, v->inst);
	return 0;
}

/* After every change of the document: the masks in memory in the changed rectangle, the
 * slivers there, then the sidecar. */
static void edited(struct session *s, raster_rect dirty)
{
	char *cause = NULL;

	if (compose_rect(&s->comp, s->it.doc, dirty, &cause) != 0)
		say_cause(s, cause);
	else
		slivers_update(s, dirty);
	autosave(s);
}

static void add_vertex(struct session *s, raster_pt p)
{
	if (s->npts && s->pts[s->npts - 1].x == p.x && s->pts[s->npts - 1].y == p.y)
		return;
	add_point(s, p);
}

int session_add_vertex(struct session *s, raster_pt p)
{
	if (!s->im)
		return -1;
	if (s->open_error) {
		(void)editable(s);
		return -1;
	}
	add_vertex(s, p);
	return 0;
}

/* The pen is not refused on a read-only image: closing its outline is. */
void session_toggle_pen(struct session *s, raster_pt at)
{
	s->pen = !s->pen;
	if (s->pen)
		add_vertex(s, at);
	say(s, s->pen ? "pen down: move to draw, f lifts, Enter closes" : "pen up");
}

void session_pen_to(struct session *s, raster_pt p)
{
	if (s->pen)
		add_vertex(s, p);
}

void session_drop_vertex(struct session *s)
{
	while (s->npts && s->pt_joined[s->npts - 1])
		s->npts--;
	if (s->npts)
		s->npts--;
}

void session_cancel(struct session *s)
{
	s->npts = 0;
	s->pen = 0;
}

const struct dataset_class *session_class(const struct session *s)
{
	return s->it.ds.nclasses ? &s->it.ds.classes[s->class_idx] : NULL;
}

/* A region applied by the mode: a new instance of the current class (over or behind), or a shape
 * added to or cut from the selected instance. -1: refused, nothing changed; 0: applied; 1:
 * applied and taken back, a new instance that holds no pixel. */
static int apply(struct session *s, const raster_ring *rings, size_t nrings)
{
	const struct dataset_class *cls = session_class(s);
	struct doc_shape *shape;
	raster_rect dirty, back;
	char *cause = NULL;
	uint16_t id = 0;
	int rc;

	if (!editable(s))
		return -1;
	if (s->mode != SESSION_NEW && !doc_instance(s->it.doc, s->selected)) {
		say(s, "select an instance first (g, or [ and ]) to add to or cut from it");
		return -1;
	}
	shape = doc_shape_polygon(s->mode == SESSION_CUT ? DOC_CUT : DOC_ADD, rings, nrings, &cause);
	if (!shape) {
		say_cause(s, cause);
		return -1;
	}
	review_before_edit(s);
	if (s->mode == SESSION_NEW) {
		rc = doc_add_instance(s->it.doc, cls ? cls->id : 1, 0, s->behind ? DOC_BEHIND : DOC_OVER, shape, &id,
		    &dirty, &cause);
		if (rc == 0)
			s->selected = id;
	} else {
		rc = doc_add_shape(s->it.doc, s->selected, shape, &dirty, &cause);
	}
	if (rc != 0) {
		review_edit_failed(s);
		say_cause(s, cause);
		return -1;
	}
	/* Composed once, here: a new instance's pixel count decides whether it stays. */
	edited(s, dirty);
	if (s->mode == SESSION_NEW && !s->comp.inst_pixels[id]) {
		/* An instance that holds no pixel would be counted everywhere and seen nowhere. */
		if (doc_undo(s->it.doc, &back))
			edited(s, back);
		review_edit_failed(s);
		s->selected = 0;
		say(s, "that outline holds no pixel centre: nothing added (zoom in for small things)");
		return 1;
	}
	say(s, "%s #%u (%llu px)", s->mode == SESSION_NEW ? "new instance" : s->mode == SESSION_ADD ? "added to" :
	    "cut from", s->selected, (unsigned long long)s->comp.inst_pixels[s->selected]);
	say_edit_notes(s);
	return 0;
}

int session_close_outline(struct session *s)
{
	raster_ring ring = { s->pts, s->npts };
	int rc;

	if (s->open_error) {
		say(s, "read-only: %s", s->open_error);
		return -1;
	}
	if (s->npts < 3) {
		say(s, "an outline needs 3 vertices (Space places one)");
		return -1;
	}
	rc = apply(s, &ring, 1);
	if (rc >= 0) {
		s->npts = 0;
		s->pen = 0;
	}
	return rc == 0 ? 0 : -1;
}

int session_apply_rings(struct session *s, const raster_ring *rings, size_t nrings)
{
	return apply(s, rings, nrings) == 0 ? 0 : -1;
}

void session_snap_find(const struct session *s, double ix, double iy, double radius, struct session_snap *out)
{
	raster_pt q;

	memset(out, 0, sizeof(*out));
	out->at = raster_pt_from_double(ix, iy);
	if (s->snap && s->it.doc) {
		out->kind = doc_snap_at(s->it.doc, out->at, (int32_t)(radius * RASTER_ONE), &q, &out->inst);
		if (out->kind != DOC_SNAP_NONE)
			out->at = q;
	}
	if (out->kind == DOC_SNAP_NONE && s->edge_snap && s->im) {
		double reach = radius / 1.5;
		struct edge_hit e;

		reach = reach < 2 ? 2 : reach > SESSION_EDGE_REACH ? SESSION_EDGE_REACH : reach;
		if (edge_snap(session_tool_image(s), ix, iy, reach, EDGE_MIN_STRENGTH, &e)) {
			out->at = raster_pt_from_double(e.x, e.y);
			out->image_edge = 1;
			out->moved = e.moved;
		}
	}
}

int session_place_vertex(struct session *s, double ix, double iy, double radius)
{
	struct session_snap sn;
	size_t had = s->npts;

	session_snap_find(s, ix, iy, radius, &sn);
	if (session_add_vertex(s, sn.at) != 0)
		return -1;
	if (sn.image_edge && s->npts > had)
		say(s, "vertex %zu on an edge of the picture (moved %.1f px)", s->npts, sn.moved);
	return 0;
}

const struct img *session_tool_image(const struct session *s)
{
	return s->im_flat ? s->im_flat : s->im;
}

/* Marks the vertices from had on as one step. */
static void join_from(struct session *s, size_t had)
{
	size_t i;

	for (i = had + 1; i < s->npts; i++)
		s->pt_joined[i] = 1;
}

int session_add_path(struct session *s, const raster_pt *via, size_t n)
{
	size_t had = s->npts, i;
	int rc = 0;

	for (i = 0; i < n && rc == 0; i++)
		rc = session_add_vertex(s, via[i]);
	join_from(s, had);
	return rc;
}

int session_place_path(struct session *s, const raster_pt *via, size_t n, double ix, double iy, double radius)
{
	size_t had = s->npts;
	int rc = session_add_path(s, via, n);

	if (rc == 0)
		rc = session_place_vertex(s, ix, iy, radius);
	join_from(s, had);
	return rc;
}

void session_snap_describe(const struct session_snap *sn, char *buf, size_t n)
{
	if (sn->image_edge)
		snprintf(buf, n, "image edge %.1f px", sn->moved);
	else if (sn->kind == DOC_SNAP_NONE)
		snprintf(buf, n, "%s", "");
	else if (sn->inst)
		snprintf(buf, n, "%s of #%u", sn->kind == DOC_SNAP_VERTEX ? "vertex" : "edge", sn->inst);
	else
		snprintf(buf, n, "image %s", sn->kind == DOC_SNAP_VERTEX ? "corner" : "border");
}

raster_pt session_snap(const struct session *s, double ix, double iy, double radius, enum doc_snap_kind *kind)
{
	struct session_snap sn;

	session_snap_find(s, ix, iy, radius, &sn);
	if (kind)
		*kind = sn.kind;
	return sn.at;
}

/* One step back (redo 0) or forward through the document's history. */
static int travel(struct session *s, int redo)
{
	raster_rect dirty;

	if (s->it.doc && !s->open_error && (redo ? doc_redo : doc_undo)(s->it.doc, &dirty)) {
		/* The review change made with an edit goes back and forth with it: undoing the edit
		 * leaves the change on top, redoing the change brings the edit next. */
		if (s->review_auto && s->it.doc->nundo == s->review_auto) {
			raster_rect more = { 0, 0, 0, 0 };

			if (redo ? doc_redo(s->it.doc, &more) : doc_undo(s->it.doc, &more))
				dirty = doc_rect_union(dirty, more);
		}
		edited(s, dirty);
		done_update(s);
		/* Back or forth to a state the user has seen: its slivers were said then. */
		say(s, redo ? "redone" : "undone");
		return 1;
	}
	say(s, redo ? "nothing to redo" : "nothing to undo");
	return 0;
}

int session_undo(struct session *s)
{
	if (s->npts) {
		session_drop_vertex(s);
		return 1;
	}
	return travel(s, 0);
}

int session_redo(struct session *s)
{
	/* Redo would bring back an edit under the outline being drawn, not its vertex. */
	if (s->npts) {
		say(s, "an outline is in progress: Enter closes it, Esc drops it");
		return 0;
	}
	return travel(s, 1);
}

uint16_t session_instance_at(const struct session *s, double ix, double iy)
{
	if (!s->im || ix < 0 || iy < 0 || ix >= s->comp.w || iy >= s->comp.h)
		return 0;
	return s->comp.ids[(size_t)(int)iy * s->comp.w + (size_t)(int)ix];
}

/* What was selected, in words: its number, class and size (and what it is part of). */
static void say_selected(struct session *s)
{
	const struct doc_instance *in = s->it.doc ? doc_instance(s->it.doc, s->selected) : NULL;
	const struct dataset_class *c = in ? dataset_class_by_id(&s->it.ds, in->class_id) : NULL;
	char part[32] = "";

	if (!in)
		return;
	if (in->parent)
		snprintf(part, sizeof(part), ", part of #%u", in->parent);
	if (c)
		say(s, "selected #%u: %s, %llu px%s", in->id, c->name, (unsigned long long)s->comp.inst_pixels[in->id], part);
	else
		say(s, "selected #%u: class %d, %llu px%s", in->id, in->class_id,
		    (unsigned long long)s->comp.inst_pixels[in->id], part);
}

void session_select_at(struct session *s, double ix, double iy)
{
	s->selected = session_instance_at(s, ix, iy);
	if (!s->selected)
		say(s, "no instance under the cursor");
	else
		say_selected(s);
}

void session_select_step(struct session *s, int dir)
{
	int z, n;

	if (!s->it.doc || s->it.doc->ninst == 0)
		return;
	n = (int)s->it.doc->ninst;
	z = doc_z_index(s->it.doc, s->selected);
	z = z < 0 ? (dir > 0 ? 0 : n - 1) : (z + dir + n) % n;
	s->selected = s->it.doc->inst[z]->id;
	say_selected(s);
}

int session_edit_instance(struct session *s, enum session_edit op, uint16_t parent)
{
	raster_rect dirty = { 0, 0, 0, 0 };
	const struct dataset_class *cls = session_class(s);
	char *cause = NULL;
	int rc = 0, z;

	if (!s->it.doc || !doc_instance(s->it.doc, s->selected)) {
		say(s, "no instance selected (g selects the one under the cursor)");
		return -1;
	}
	if (!editable(s))
		return -1;
	if (op == SESSION_SET_PARENT && (!parent || parent == s->selected)) {
		say(s, "put the cursor on the instance #%u is part of", s->selected);
		return -1;
	}
	review_before_edit(s);
	z = doc_z_index(s->it.doc, s->selected);
	switch (op) {
	case SESSION_RAISE:
		rc = doc_move(s->it.doc, s->selected, (size_t)z + 1, &dirty, &cause);
		break;
	case SESSION_LOWER:
		rc = doc_move(s->it.doc, s->selected, z > 0 ? (size_t)z - 1 : 0, &dirty, &cause);
		break;
	case SESSION_DELETE:
		rc = doc_delete_instance(s->it.doc, s->selected, &dirty, &cause);
		if (rc == 0)
			say(s, "deleted #%u (u undoes)", s->selected);
		s->selected = 0;
		break;
	case SESSION_SET_CLASS:
		rc = doc_set_class(s->it.doc, s->selected, cls ? cls->id : 1, &dirty, &cause);
		break;
	case SESSION_SET_PARENT:
		rc = doc_set_parent(s->it.doc, s->selected, parent, &cause);
		if (rc == 0)
			say(s, "#%u is now part of #%u", s->selected, parent);
		break;
	case SESSION_CLEAR_PARENT:
		rc = doc_set_parent(s->it.doc, s->selected, 0, &cause);
		break;
	}
	if (rc != 0) {
		review_edit_failed(s);
		say_cause(s, cause);
		return -1;
	}
	edited(s, dirty);
	say_edit_notes(s);
	return 0;
}

void session_class_step(struct session *s, int dir)
{
	size_t n = s->it.ds.nclasses;

	if (n)
		s->class_idx = (s->class_idx + (dir > 0 ? 1 : n - 1)) % n;
}

int session_class_key(struct session *s, int key)
{
	const struct dataset_class *c = key > 0 && key < 127 ? dataset_class_by_key(&s->it.ds, key) : NULL;

	if (!c)
		return 0;
	s->class_idx = (size_t)(c - s->it.ds.classes);
	return 1;
}

int session_class_digits(const struct session *s)
{
	int ch;

	for (ch = '0'; ch <= '9' && s->have_item; ch++)
		if (dataset_class_by_key(&s->it.ds, ch))
			return 1;
	return 0;
}

enum session_digit session_digit(const struct session *s, int ch, int counting)
{
	if (ch < '0' || ch > '9')
		return SESSION_DIGIT_NONE;
	if (counting)
		return SESSION_DIGIT_COUNT;
	if (s->have_item && dataset_class_by_key(&s->it.ds, ch))
		return SESSION_DIGIT_CLASS;
	/* One meaning for bare digits in a data set: were "5" a count beside a class on "1",
	 * "15l" would pick a class and move five. */
	return !session_class_digits(s) && ch != '0' ? SESSION_DIGIT_COUNT : SESSION_DIGIT_NONE;
}

/* The review state set as one edit, said on the status line, counted, saved. */
static int set_review(struct session *s, const char *state, const struct doc_note *note)
{
	char *cause = NULL;
	int rc = -1;

	if (doc_set_review_note(s->it.doc, state, note, &cause) != 0) {
		say_cause(s, cause);
	} else {
		say(s, "review: %s", s->it.doc->review);
		done_update(s);
		rc = 0;
	}
	autosave(s);
	return rc;
}

int session_toggle_done(struct session *s)
{
	if (!editable(s))
		return -1;
	review_forget_stale(s);
	return set_review(s, session_review_done(s->it.doc->review) ? "todo" : "done", NULL);
}

int session_review(struct session *s, const char *state, const char *comment, const char *reviewer,
    int64_t when)
{
	struct doc_note note = { (char *)comment, (char *)reviewer, when };

	if (!editable(s))
		return -1;
	return set_review(s, state, &note);
}

const char *session_review_comment(const struct session *s)
{
	if (!s->it.doc || strcmp(s->it.doc->review, "rejected"))
		return NULL;
	return s->it.doc->note.comment;
}

double session_labeled_fraction(const struct session *s)
{
	uint64_t total = (uint64_t)s->comp.w * s->comp.h;

	return total ? 1.0 - (double)s->comp.class_pixels[0] / (double)total : 0;
}
