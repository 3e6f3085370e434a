/* test_session.c: the annotator's rules driven with no terminal, on small images made here:
 * edits (new, add, cut, over, behind, an outline that holds no pixel refused), undo and redo
 * across images, a failed save, a locked image, custom file suffixes and the done count after
 * a restart, autosave and masks on idle with times passed in, drafts and resume, the next
 * image with unlabeled pixels, and instance edits; and what a killed session leaves (issue
 * 15): masks older than the outlines or missing are rebuilt on open, a failed mask write is
 * kept for the exit and leaves the two old masks, a dead session's lock is taken over with a
 * word, and the lock is touched while held and given up when someone else took it. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "afile.h"
#include "lock.h"
#include "pngio.h"
#include "session.h"
#include "sidecar.h"
#include "tap.h"
#include "xalloc.h"

#define W 40
#define H 30

static char root[] = "/tmp/pxl-session-XXXXXX";
static char msg[256];

__attribute__((format(printf, 1, 2)))
static char *path(const char *fmt, ...)
{
	va_list ap;
	char *rel, *p;

	va_start(ap, fmt);
	if (vasprintf(&rel, fmt, ap) < 0)
		abort();
	va_end(ap);
	p = xasprintf("%s/%s", root, rel);
	free(rel);
	return p;
}

static int exists(const char *p)
{
	return access(p, F_OK) == 0;
}

static void make_image(const char *p)
{
	uint8_t rgb[W * H * 3];
	size_t i;

	for (i = 0; i < sizeof(rgb); i++)
		rgb[i] = (uint8_t)(i * 7);
	if (pngio_write_rgb8(p, rgb, W, H, NULL) != 0)
		abort();
}

static void write_text(const char *p, const char *text)
{
	if (afile_write(p, text, strlen(text), NULL) != 0)
		abort();
}

/* The message the session set last, "" when none. */
static const char *said(struct session *s)
{
	if (!session_take_message(s, msg, sizeof(msg)))
		msg[0] = '\0';
	return msg;
}

/* The rectangle (x0, y0)-(x1, y1) in pixels, as four vertices. */
static void rect(struct session *s, double x0, double y0, double x1, double y1)
{
	(void)session_add_vertex(s, raster_pt_from_double(x0, y0));
	(void)session_add_vertex(s, raster_pt_from_double(x1, y0));
	(void)session_add_vertex(s, raster_pt_from_double(x1, y1));
	(void)session_add_vertex(s, raster_pt_from_double(x0, y1));
}

static uint16_t mask_at(const char *p, int x, int y)
{
	struct img_limits lim;
	uint16_t *v = NULL, r;
	int w, h;

	img_limits_default(&lim);
	if (pngio_read_values(p, &lim, &v, &w, &h, NULL) != 0)
		return 0xffff;
	r = v[y * w + x];
	free(v);
	return r;
}

static size_t instances_on_disk(const char *sidecar)
{
	struct doc *d = NULL;
	size_t n;

	if (sidecar_load(sidecar, &d, NULL, NULL) != 0)
		return (size_t)-1;
	n = d->ninst;
	doc_free(d);
	return n;
}

static struct session *open_session(char **images, size_t n, const char *key)
{
	struct session_opts o;
	char *state = path("state");
	struct session *s;

	memset(&o, 0, sizeof(o));
	o.resume_key = key;
	o.state_dir = state;
	img_limits_default(&o.limits);
	s = session_new(images, n, &o);
	free(state);
	return s;
}

static void test_edits(void)
{
	char *a = path("set/a.png"), *b = path("set/b.png"), *images[2] = { a, b };
	char *side = path("set/a.pxl.json"), *labels = path("set/a.labels.png"), *lockp = path("set/a.pxl.lock");
	struct session *s;
	uint16_t first;

	s = open_session(images, 2, NULL);
	tap_ok(session_goto(s, 0) == 0 && s->im && !s->open_error, "the first image opens for editing");
	tap_ok(exists(lockp), "its lock is taken");
	tap_ok(s->it.doc && s->it.doc->ninst == 0, "with an empty document");
	tap_ok(session_class(s) && session_class(s)->id == 3, "the current class is pxlabel.ini's first (thing, 3)");

	/* Times: the sidecar at once, the masks after SESSION_MASK_IDLE seconds of quiet. */
	session_set_time(s, 100);
	rect(s, 10, 10, 20, 20);
	tap_ok(s->npts == 4, "four vertices in progress");
	tap_ok(session_close_outline(s) == 0 && s->selected == 1, "closing the outline makes instance #1, selected");
	tap_ok(!strcmp(said(s), "new instance #1 (100 px)"), "and says so: %s", msg);
	tap_ok(s->npts == 0 && s->comp.inst_pixels[1] == 100, "10x10 pixel centres, the outline cleared");
	tap_ok(exists(side) && instances_on_disk(side) == 1 && !session_unsaved_edits(s), "the sidecar is written at once");
	tap_ok(!exists(labels) && s->masks_dirty, "the masks wait");
	tap_ok(session_tick(s, 101) == 0 && !exists(labels), "one second later the masks still wait");
	tap_ok(session_tick(s, 101.6) == 1 && exists(labels) && !s->masks_dirty, "after 1.5 s of quiet the masks are written");
	tap_ok(mask_at(labels, 10, 10) == 3 && mask_at(labels, 9, 10) == 0 && mask_at(labels, 19, 19) == 3 &&
	    mask_at(labels, 20, 19) == 0, "the labels mask holds the class on the pixel centres inside");
	tap_ok(session_tick(s, 200) == 0, "nothing more to do when idle");

	/* Add to and cut from the selected instance. */
	s->mode = SESSION_ADD;
	rect(s, 20, 10, 25, 20);
	tap_ok(session_close_outline(s) == 0 && s->comp.inst_pixels[1] == 150 && !strcmp(said(s), "added to #1 (150 px)"),
	    "add: %s", msg);
	s->mode = SESSION_CUT;
	rect(s, 12, 12, 14, 14);
	tap_ok(session_close_outline(s) == 0 && s->comp.inst_pixels[1] == 146 && !strcmp(said(s), "cut from #1 (146 px)"),
	    "cut: %s", msg);
	tap_ok(session_instance_at(s, 12.5, 12.5) == 0 && session_instance_at(s, 11.5, 11.5) == 1, "the cut pixels are free");
	s->selected = 0;
	rect(s, 0, 0, 5, 5);
	tap_ok(session_close_outline(s) != 0 && strstr(said(s), "select an instance first") && s->npts == 4,
	    "adding or cutting with nothing selected is refused, the outline kept: %s", msg);
	session_cancel(s);
	tap_ok(s->npts == 0, "Esc drops the outline");

	/* Over and behind. */
	s->mode = SESSION_NEW;
	tap_ok(session_class_key(s, 'y') && session_class(s)->id == 5, "a class's key makes it current");
	rect(s, 15, 15, 30, 25);
	tap_ok(session_close_outline(s) == 0 && s->selected == 2, "instance #2 over #1");
	tap_ok(session_instance_at(s, 16.5, 16.5) == 2, "over: it takes the overlap");
	s->behind = 1;
	rect(s, 5, 5, 35, 28);
	tap_ok(session_close_outline(s) == 0 && s->selected == 3, "instance #3 behind");
	tap_ok(session_instance_at(s, 16.5, 16.5) == 2 && session_instance_at(s, 11.5, 11.5) == 1 &&
	    session_instance_at(s, 6.5, 6.5) == 3, "behind: it only takes the pixels nobody had");
	tap_ok(doc_z_index(s->it.doc, 3) == 0, "and it is at the bottom of the z-order");
	s->behind = 0;

	/* An outline that holds no pixel centre, and one of too few vertices. */
	first = (uint16_t)s->it.doc->ninst;
	(void)session_add_vertex(s, raster_pt_from_double(36.6, 2.6));
	(void)session_add_vertex(s, raster_pt_from_double(36.9, 2.6));
	(void)session_add_vertex(s, raster_pt_from_double(36.9, 2.9));
	tap_ok(session_close_outline(s) != 0 && strstr(said(s), "holds no pixel centre"), "an empty outline is refused: %s",
	    msg);
	tap_ok(s->it.doc->ninst == first && s->selected == 0 && s->npts == 0, "it adds nothing");
	tap_ok(instances_on_disk(side) == first, "nor on disk");
	(void)session_add_vertex(s, raster_pt_from_double(1, 1));
	(void)session_add_vertex(s, raster_pt_from_double(1, 1));
	(void)session_add_vertex(s, raster_pt_from_double(8, 1));
	tap_ok(s->npts == 2, "a vertex equal to the last is not added twice");
	{
		/* A scissors path and the vertex after it are one step, for Backspace and for u. */
		raster_pt via[3] = { raster_pt_from_double(8, 1), raster_pt_from_double(9, 2), raster_pt_from_double(10, 3) };

		tap_ok(session_place_path(s, via, 3, 11.0, 4.0, 0.0) == 0 && s->npts == 5,
		    "a path of 3 (its first the last vertex) and a vertex: 3 more vertices");
		session_drop_vertex(s);
		tap_ok(s->npts == 2 && s->pts[1].x == raster_pt_from_double(8, 1).x, "Backspace takes the path back with its vertex");
		(void)session_place_path(s, via, 3, 11.0, 4.0, 0.0);
		(void)session_add_vertex(s, raster_pt_from_double(12, 9));
		session_drop_vertex(s);
		tap_ok(s->npts == 5, "a plain vertex after it goes alone");
		tap_ok(session_undo(s) == 1 && s->npts == 2, "u, too, takes the path back whole");
	}
	tap_ok(session_close_outline(s) != 0 && strstr(said(s), "3 vertices"), "two vertices are not an outline: %s", msg);
	session_cancel(s);

	/* A region from a tool: a square with a square hole, the outline in progress untouched. */
	{
		raster_pt outer[4], hole[4];
		raster_ring rings[2] = { { outer, 4 }, { hole, 4 } };
		int k;

		for (k = 0; k < 4; k++) {
			outer[k] = raster_pt_from_double(k == 1 || k == 2 ? 39 : 33, k >= 2 ? 29 : 23);
			hole[3 - k] = raster_pt_from_double(k == 1 || k == 2 ? 37 : 35, k >= 2 ? 27 : 25);
		}
		(void)session_add_vertex(s, raster_pt_from_double(1, 1));
		tap_ok(session_apply_rings(s, rings, 2) == 0 && s->selected == 4 && s->comp.inst_pixels[4] == 32 &&
		    s->npts == 1, "a region with a hole from a tool: 36 - 4 pixels, the outline kept");
		session_cancel(s);
		tap_ok(session_undo(s) == 1 && s->it.doc->ninst == 3, "and undone like any edit");
	}

	/* Undo and redo, and the vertex undo first. */
	(void)session_add_vertex(s, raster_pt_from_double(1, 1));
	tap_ok(session_undo(s) == 1 && s->npts == 0 && s->it.doc->ninst == 3, "u drops the vertex in progress first");
	tap_ok(session_undo(s) == 1 && s->it.doc->ninst == 2 && !strcmp(said(s), "undone"), "then undoes an edit");
	tap_ok(instances_on_disk(side) == 2, "which reaches the sidecar");
	tap_ok(session_redo(s) == 1 && s->it.doc->ninst == 3 && !strcmp(said(s), "redone"), "redo");
	tap_ok(session_undo(s) == 1 && s->it.doc->ninst == 2, "undone again");
	(void)session_add_vertex(s, raster_pt_from_double(1, 1));
	tap_ok(session_redo(s) == 0 && s->it.doc->ninst == 2 && s->npts == 1 && strstr(said(s), "outline is in progress"),
	    "redo with an outline in progress brings back no edit under it: %s", msg);
	session_cancel(s);
	tap_ok(session_redo(s) == 1 && s->it.doc->ninst == 3, "redone once it is dropped");

	/* Snapping to a vertex in reach. */
	{
		enum doc_snap_kind kind;
		raster_pt p = session_snap(s, 10.3, 10.2, 1.0, &kind);

		tap_ok(kind == DOC_SNAP_VERTEX && p.x == 10 * RASTER_ONE && p.y == 10 * RASTER_ONE,
		    "a point near a vertex snaps onto it");
		s->snap = 0;
		p = session_snap(s, 10.3, 10.2, 1.0, &kind);
		tap_ok(kind == DOC_SNAP_NONE && p.x == raster_pt_from_double(10.3, 10.2).x, "not with snapping off");
		s->snap = 1;
	}

	/* Instance edits. */
	s->selected = 1;
	tap_ok(session_edit_instance(s, SESSION_RAISE, 0) == 0 && doc_z_index(s->it.doc, 1) == 2, "raise #1 to the top");
	tap_ok(session_instance_at(s, 16.5, 16.5) == 1, "so it takes the overlap with #2");
	tap_ok(session_edit_instance(s, SESSION_LOWER, 0) == 0 && doc_z_index(s->it.doc, 1) == 1, "lower it again");
	tap_ok(session_edit_instance(s, SESSION_SET_CLASS, 0) == 0 && doc_instance(s->it.doc, 1)->class_id == 5,
	    "change its class to the current one");
	tap_ok(session_edit_instance(s, SESSION_SET_PARENT, 1) != 0 && strstr(said(s), "put the cursor on"),
	    "an instance cannot be part of itself");
	tap_ok(session_edit_instance(s, SESSION_SET_PARENT, 3) == 0 && doc_instance(s->it.doc, 1)->parent == 3 &&
	    !strcmp(said(s), "#1 is now part of #3"), "part of #3");
	tap_ok(session_edit_instance(s, SESSION_CLEAR_PARENT, 0) == 0 && doc_instance(s->it.doc, 1)->parent == 0,
	    "and no longer");
	session_select_step(s, 1);
	tap_ok(s->selected == 2, "] selects the next one up");
	session_select_at(s, 6.5, 6.5);
	tap_ok(s->selected == 3 && !strncmp(said(s), "selected #3: ", 13) && strstr(msg, " px"),
	    "g selects the one under a point, and says which: %s", msg);
	session_select_at(s, 39.5, 0.5);
	tap_ok(s->selected == 0 && strstr(said(s), "no instance"), "and none on a free pixel");
	s->selected = 2;
	tap_ok(session_edit_instance(s, SESSION_DELETE, 0) == 0 && !doc_instance(s->it.doc, 2) && s->selected == 0 &&
	    !strcmp(said(s), "deleted #2 (u undoes)"), "delete");
	tap_ok(session_edit_instance(s, SESSION_DELETE, 0) != 0 && strstr(said(s), "no instance selected"),
	    "with nothing selected, nothing to edit");
	tap_ok(session_undo(s) == 1 && doc_instance(s->it.doc, 2), "undo brings it back");
	rect(s, 36, 1, 39, 4);
	tap_ok(session_close_outline(s) == 0 && s->it.doc->ninst == 4, "a fourth instance before leaving");

	/* Undo after leaving the image and coming back (N then B). */
	tap_ok(session_step(s, -1) < 0 && strstr(said(s), "first image"), "no image before the first");
	(void)session_add_vertex(s, raster_pt_from_double(1, 1));
	tap_ok(session_step(s, 1) < 0 && strstr(said(s), "outline is in progress"), "an outline in progress holds N back");
	session_cancel(s);
	tap_ok(session_step(s, 1) == 1 && session_goto(s, 1) == 0 && s->cur == 1, "N: the second image");
	tap_ok(!exists(lockp), "the first image's lock is released");
	tap_ok(mask_at(labels, 16, 16) == 5, "and its masks were written on the way out");
	tap_ok(session_step(s, 1) < 0 && strstr(said(s), "last image"), "no image after the last");
	tap_ok(session_goto(s, 0) == 0 && s->it.doc->ninst == 4, "B: back to the first");
	tap_ok(session_undo(s) == 1 && s->it.doc->ninst == 3, "u still undoes what was done before leaving");
	tap_ok(instances_on_disk(side) == 3, "and that reaches the disk");
	tap_ok(session_redo(s) == 1 && s->it.doc->ninst == 4, "redo too");

	/* Someone else writes the sidecar meanwhile: the history is not for that file any more. */
	tap_ok(session_goto(s, 1) == 0, "away again");
	{
		struct doc *d = NULL;

		if (sidecar_load(side, &d, NULL, NULL) == 0) {
			(void)doc_set_review(d, "rejected", NULL);
			(void)sidecar_save(side, d, "a.png", NULL, 0, NULL);
			doc_free(d);
		}
	}
	tap_ok(session_goto(s, 0) == 0 && !strcmp(s->it.doc->review, "rejected"), "back: the file as changed");
	tap_ok(session_undo(s) == 0 && !strcmp(said(s), "nothing to undo"), "and no undo of another's file");
	session_free(s);
	tap_ok(!exists(lockp), "freeing the session releases the lock");
	free(a);
	free(b);
	free(side);
	free(labels);
	free(lockp);
}

static void test_failed_save(void)
{
	char *a = path("set/a.png"), *b = path("set/b.png"), *images[2] = { a, b }, *bside = path("set/b.pxl.json");
	struct session *s = open_session(images, 2, NULL);

	tap_ok(session_goto(s, 1) == 0 && !s->open_error, "b.png opens");
	/* Even root cannot rename a file over a folder. */
	mkdir(bside, 0755);
	rect(s, 2, 2, 8, 8);
	tap_ok(session_close_outline(s) == 0 && s->it.doc->ninst == 1, "an edit is made in memory");
	tap_ok(s->save_error && strstr(s->save_error, "b.pxl.json"), "a failed save is kept to be shown until one succeeds: %s",
	    s->save_error ? s->save_error : "");
	tap_ok(session_unsaved_edits(s), "the edits count as unsaved");
	rmdir(bside);
	rect(s, 10, 2, 18, 8);
	tap_ok(session_close_outline(s) == 0 && !s->save_error && !session_unsaved_edits(s) &&
	    instances_on_disk(bside) == 2, "the next save that succeeds writes everything and clears the error");
	tap_ok(session_undo(s) == 1 && session_undo(s) == 1 && instances_on_disk(bside) == 0, "undone to nothing");
	unlink(bside);
	mkdir(bside, 0755);
	tap_ok(session_redo(s) == 1 && s->save_error, "a save fails again");
	(void)session_goto(s, 0);
	tap_ok(session_unsaved(s) && strstr(session_unsaved(s), "b.png: edits not saved: "),
	    "leaving the image keeps it for the exit message: %s", session_unsaved(s) ? session_unsaved(s) : "");
	tap_ok(!s->save_error, "the next image starts without a save error");
	session_free(s);
	rmdir(bside);
	unlink(bside);
	free(a);
	free(b);
	free(bside);
}

static void test_locked(void)
{
	char *c = path("locked/c.png"), *images[1] = { c }, *side = path("locked/c.pxl.json"), *holder = NULL;
	struct session *s;
	struct lock other;

	tap_ok(lock_take(&other, side, &holder, NULL) == 0, "another annotator holds c.png");
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && s->im && s->open_error && strstr(s->open_error, "being edited by"),
	    "the session opens it read-only");
	tap_ok(!strncmp(said(s), "read-only: being edited by ", 27) && strstr(msg, "pid"), "and tells who: %s", msg);
	tap_ok(session_add_vertex(s, raster_pt_from_double(1, 1)) != 0 && s->npts == 0 &&
	    strstr(said(s), "read-only"), "no vertex is placed");
	tap_ok(session_toggle_done(s) != 0 && !exists(side), "nor is it marked done, and nothing is written");
	session_free(s);
	tap_ok(access(other.path, F_OK) == 0, "the other annotator's lock stays");
	lock_release(&other);

	/* A sidecar that cannot be read is never overwritten. */
	write_text(side, "{\"format\": \"pxlabel\", broken");
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && s->open_error && strstr(said(s), "read-only: "), "a broken sidecar: %s", msg);
	rect(s, 1, 1, 9, 9);
	tap_ok(session_close_outline(s) != 0, "no edit");
	session_free(s);
	{
		FILE *fp = fopen(side, "r");
		char buf[64] = "";

		if (fp) {
			(void)!fgets(buf, sizeof(buf), fp);
			fclose(fp);
		}
		tap_ok(!strcmp(buf, "{\"format\": \"pxlabel\", broken"), "and the file is untouched");
	}
	unlink(side);

	/* A folder that cannot be written (not for root, who writes anywhere). */
	if (geteuid() != 0) {
		char *dir = path("locked");

		chmod(dir, 0555);
		s = open_session(images, 1, NULL);
		tap_ok(session_goto(s, 0) == 0 && s->open_error && strstr(s->open_error, "cannot write in"),
		    "a read-only folder opens read-only: %s", s->open_error ? s->open_error : "");
		session_free(s);
		chmod(dir, 0755);
		free(dir);
	} else {
		tap_ok(1, "# SKIP a read-only folder: running as root");
	}

	/* An image that cannot be decoded. */
	{
		char *bad = path("locked/bad.png"), *list[2] = { bad, c };

		write_text(bad, "\x89PNG\r\n\x1a\nnot really");
		s = open_session(list, 2, NULL);
		tap_ok(session_goto(s, 0) != 0 && !s->im && strstr(said(s), "bad.png"), "an image that cannot be read: %s", msg);
		tap_ok(session_add_vertex(s, raster_pt_from_double(1, 1)) != 0 && s->npts == 0, "no vertex goes on it");
		tap_ok(session_close_outline(s) != 0 && session_toggle_done(s) != 0 && session_undo(s) == 0 &&
		    session_instance_at(s, 1, 1) == 0, "and nothing else changes");
		tap_ok(session_step(s, 1) == 1, "the next image is one step away");
		tap_ok(session_goto(s, 1) == 0 && s->im, "and opens");
		session_free(s);
		free(bad);
	}
	free(c);
	free(side);
}

/* pxlabel.ini names other files; the done count after a restart reads those (issue 10, item 8). */
static void test_suffixes(void)
{
	char *ini = path("custom/pxlabel.ini"), *p = path("custom/p.png"), *q = path("custom/q.png"), *images[2] = { p, q };
	char *side = path("custom/p.ann.json"), *labels = path("custom/p.cls.png"), *inst = path("custom/p.ids.png");
	char *dflt = path("custom/p.pxl.json");
	struct session *s;

	write_text(ini, "[pxlabel]\nsidecar_suffix = .ann.json\nlabels_suffix = .cls.png\ninstances_suffix = .ids.png\n");
	s = open_session(images, 2, NULL);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error && s->ndone == 0, "an image of a data set with its own suffixes");
	session_set_time(s, 10);
	rect(s, 4, 4, 14, 14);
	tap_ok(session_close_outline(s) == 0 && exists(side) && !exists(dflt), "the outlines go to NAME.ann.json");
	tap_ok(session_toggle_done(s) == 0 && s->ndone == 1 && s->done[0] && !strcmp(said(s), "review: done"),
	    "D marks it done and counts it");
	tap_ok(session_undo(s) == 1 && s->ndone == 0, "undoing D takes it off the count");
	tap_ok(session_redo(s) == 1 && s->ndone == 1, "redo puts it back");
	tap_ok(session_tick(s, 12) == 1 && exists(labels) && exists(inst), "the masks get pxlabel.ini's names");
	tap_ok(mask_at(inst, 4, 4) == 1 && mask_at(inst, 3, 4) == 0, "and the instance mask its ids");
	session_free(s);
	s = open_session(images, 2, NULL);
	tap_ok(s->ndone == 1 && s->done[0] && !s->done[1], "after a restart the done image is counted");
	session_free(s);
	free(ini);
	free(p);
	free(q);
	free(side);
	free(labels);
	free(inst);
	free(dflt);
}

/* One rule for "done", and the count read from the sidecars' heads. */
static void test_review(void)
{
	char *r[5], *side;
	struct session *s;
	struct doc *d;
	int i;

	tap_ok(session_review_done("done") && session_review_done("accepted"), "done and accepted are done");
	tap_ok(!session_review_done("todo") && !session_review_done("rejected") && !session_review_done(NULL),
	    "todo, rejected and none are not");
	for (i = 0; i < 5; i++) {
		r[i] = path("review/r%d.png", i);
		make_image(r[i]);
	}
	/* r0: accepted by a reviewer, written by pxlabel. */
	side = path("review/r0.pxl.json");
	d = doc_new(W, H, NULL);
	(void)doc_set_review(d, "accepted", NULL);
	(void)sidecar_save(side, d, "r0.png", NULL, 0, NULL);
	doc_free(d);
	free(side);
	/* r1: by hand, the review last; r2: escaped; r3: "review" as a value before the key. */
	side = path("review/r1.pxl.json");
	write_text(side, "{\"format\":\"pxlabel\",\"version\":1,\"image\":{\"file\":\"r1.png\",\"width\":40,\"height\":30},"
	    "\"instances\":[],\"review\"  :  \"done\"}");
	free(side);
	side = path("review/r2.pxl.json");
	write_text(side, "{\"format\":\"pxlabel\",\"version\":1,\"review\":\"d\\u006fne\",\"image\":{\"file\":\"r2.png\","
	    "\"width\":40,\"height\":30},\"instances\":[]}");
	free(side);
	side = path("review/r3.pxl.json");
	write_text(side, "{\"format\":\"pxlabel\",\"version\":1,\"image\":{\"file\":\"review\", \"width\":40,"
	    "\"height\":30},\"review\":\"todo\",\"instances\":[]}");
	free(side);
	s = open_session(r, 5, NULL);
	tap_ok(s->done[0] && s->done[1] && s->done[2] && !s->done[3] && !s->done[4] && s->ndone == 3,
	    "accepted, a review key anywhere, an escaped one count; a value \"review\" does not (%zu done)", s->ndone);
	tap_ok(session_goto(s, 0) == 0 && session_toggle_done(s) == 0 && !strcmp(s->it.doc->review, "todo") &&
	    s->ndone == 2, "D on an accepted image takes it back to todo");
	session_free(s);
	for (i = 0; i < 5; i++)
		free(r[i]);
}

static void test_drafts(void)
{
	char *a = path("set/a.png"), *b = path("set/b.png"), *images[2] = { a, b }, *draft = path("state/draft");
	char *resume = path("state/resume");
	struct session *s;

	s = open_session(images, 2, "/the/folder");
	tap_ok(session_resume_index(s) == 0, "a folder never opened starts at its first image");
	tap_ok(session_goto(s, 1) == 0, "the second image");
	tap_ok(exists(resume), "the resume point is written");
	(void)session_add_vertex(s, raster_pt_from_double(3, 3));
	(void)session_add_vertex(s, raster_pt_from_double(9.5, 3.25));
	session_end(s, 1);
	tap_ok(exists(draft), "ending by a signal keeps the outline in progress as a draft");
	session_free(s);

	s = open_session(images, 2, "/the/folder");
	tap_ok(session_resume_index(s) == 1, "the next session resumes at the image left");
	tap_ok(session_goto(s, 1) == 0 && s->npts == 2 && s->pts[1].x == raster_pt_from_double(9.5, 3.25).x,
	    "the draft comes back");
	tap_ok(strstr(said(s), "outline you were drawing") != NULL, "with a word: %s", msg);
	tap_ok(!exists(draft), "and is used once");
	session_end(s, 0);
	tap_ok(!exists(draft), "a quit keeps no draft");
	session_free(s);

	s = open_session(images, 2, "/another/folder");
	tap_ok(session_resume_index(s) == 0, "another folder has its own resume point");
	session_free(s);

	/* One image named, no resume point, a state folder never made: the draft still goes. */
	{
		struct session_opts o;
		char *fresh = path("fresh/state"), *fresh_draft = path("fresh/state/draft");

		memset(&o, 0, sizeof(o));
		o.state_dir = fresh;
		img_limits_default(&o.limits);
		s = session_new(images, 1, &o);
		(void)session_goto(s, 0);
		(void)session_add_vertex(s, raster_pt_from_double(3, 3));
		session_end(s, 1);
		session_free(s);
		tap_ok(exists(fresh_draft), "a draft makes the state folder it needs");
		s = session_new(images, 1, &o);
		tap_ok(session_goto(s, 0) == 0 && s->npts == 1 && !exists(fresh_draft), "and comes back from it");
		session_free(s);
		free(fresh);
		free(fresh_draft);
	}
	s = open_session(images, 2, NULL);
	tap_ok(session_resume_index(s) == 0, "no folder, no resume");
	session_free(s);
	free(a);
	free(b);
	free(draft);
	free(resume);
}

static void test_unlabeled(void)
{
	char *u[3], *images[3];
	struct session *s;
	int i;

	for (i = 0; i < 3; i++) {
		images[i] = u[i] = path("unl/u%d.png", i);
		make_image(u[i]);
	}
	s = open_session(images, 3, NULL);
	for (i = 0; i < 2; i++) {
		tap_ok(session_goto(s, (size_t)i) == 0, "u%d.png opens", i);
		rect(s, 0, 0, W, H);
		tap_ok(session_close_outline(s) == 0 && session_labeled_fraction(s) == 1.0, "and is labeled whole");
	}
	tap_ok(session_goto(s, 0) == 0 && session_find_unlabeled(s) == 2, "from u0: the next unlabeled is u2 (no sidecar)");
	tap_ok(session_goto(s, 2) == 0 && session_labeled_fraction(s) == 0.0, "u2 has nothing yet");
	tap_ok(session_find_unlabeled(s) < 0 && strstr(said(s), "fully labeled"), "from u2 every other image is done: %s",
	    msg);
	rect(s, 0, 0, W, H / 2);
	tap_ok(session_close_outline(s) == 0 && session_goto(s, 0) == 0 && session_find_unlabeled(s) == 2,
	    "u2 half labeled is found again");
	session_free(s);
	for (i = 0; i < 3; i++)
		free(u[i]);
}

/* ---- what a killed or starved session leaves (issue 15) ------------------------------------- */

/* Whether the masks on disk are what the sidecar composes to, pixel for pixel (tests/maskcheck
 * does the same for the shell tests). */
static int masks_match(const char *image)
{
	struct img_limits lim;
	struct compose c;
	struct item it;
	uint16_t *cls = NULL, *ids = NULL;
	int w = 0, h = 0, w2 = 0, h2 = 0, same = 0;
	size_t p;

	img_limits_default(&lim);
	if (item_open(&it, image, &lim, 0, NULL) != 0)
		return 0;
	if (it.doc && compose_init(&c, it.doc->w, it.doc->h, NULL) == 0) {
		if (compose_all(&c, it.doc, NULL) == 0 && pngio_read_values(it.labels, &lim, &cls, &w, &h, NULL) == 0 &&
		    pngio_read_values(it.instances, &lim, &ids, &w2, &h2, NULL) == 0 && w == c.w && h == c.h &&
		    w2 == c.w && h2 == c.h) {
			for (same = 1, p = 0; same && p < (size_t)w * h; p++)
				same = cls[p] == c.cls[p] && ids[p] == c.ids[p];
		}
		compose_free(&c);
	}
	free(cls);
	free(ids);
	item_close(&it);
	return same;
}

/* A whole file, new (NULL when it cannot be read). */
static char *slurp(const char *p, size_t *len)
{
	FILE *fp = fopen(p, "rb");
	char *buf = NULL;
	long n;

	if (!fp)
		return NULL;
	if (fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 && fseek(fp, 0, SEEK_SET) == 0) {
		buf = xmalloc((size_t)n + 1);
		*len = fread(buf, 1, (size_t)n, fp);
		buf[*len] = '\0';
	}
	fclose(fp);
	return buf;
}

/* Whether file p holds exactly the bytes of copy (a copy taken earlier with slurp). */
static int same_bytes(const char *p, const char *copy, size_t len)
{
	size_t n = 0;
	char *now = slurp(p, &n);
	int same = now && copy && n == len && !memcmp(now, copy, len);

	free(now);
	return same;
}

static struct timespec mtime_of(const char *p)
{
	struct stat st;
	struct timespec none = { 0, 0 };

	return stat(p, &st) == 0 ? st.st_mtim : none;
}

/* Moves p's mtime secs seconds into the past (negative: the future). */
static void age(const char *p, long secs)
{
	struct timespec t[2];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= secs;
	t[1] = t[0];
	if (utimensat(AT_FDCWD, p, t, 0) != 0)
		abort();
}

/* Files in folder dir whose name begins with prefix (temporaries: ".NAME."). */
static int count_prefixed(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += !strncmp(e->d_name, prefix, strlen(prefix));
	if (d)
		closedir(d);
	return n;
}

/* A sidecar of n squares (class 1) for a W x H image, as another session would write it. */
static void squares_sidecar(const char *p, const char *image, int n)
{
	char *json = xasprintf("{\"format\": \"pxlabel\", \"version\": 1, \"image\": {\"file\": \"%s\", \"width\": %d, "
	    "\"height\": %d}, \"instances\": [", image, W, H), *more;
	int i;

	for (i = 0; i < n; i++) {
		more = xasprintf("%s%s{\"id\": %d, \"class\": 1, \"shapes\": [{\"op\": \"add\", \"type\": \"polygon\", "
		    "\"rings\": [[[%d,2],[%d,2],[%d,12],[%d,12]]]}]}", json, i ? ", " : "", i + 1, 2 + 4 * i, 8 + 4 * i,
		    8 + 4 * i, 2 + 4 * i);
		free(json);
		json = more;
	}
	more = xasprintf("%s]}\n", json);
	write_text(p, more);
	free(json);
	free(more);
}

static void test_stale_masks(void)
{
	char *m = path("crash/m.png"), *images[1] = { m }, *side = path("crash/m.pxl.json");
	char *labels = path("crash/m.labels.png"), *inst = path("crash/m.instances.png"), *holder = NULL;
	struct timespec before, after;
	struct session *s;
	struct lock other;

	s = open_session(images, 1, NULL);
	session_set_time(s, 10);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error, "m.png opens");
	rect(s, 2, 2, 12, 12);
	tap_ok(session_close_outline(s) == 0 && session_tick(s, 12) == 1 && exists(labels), "an outline, its masks written");
	session_free(s);
	tap_ok(masks_match(m), "the masks match the sidecar");

	/* Up to date: opening again rebuilds nothing and says nothing about masks. */
	before = mtime_of(labels);
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && !strstr(said(s), "masks"), "masks up to date: nothing said about them (%s)", msg);
	after = mtime_of(labels);
	tap_ok(before.tv_sec == after.tv_sec && before.tv_nsec == after.tv_nsec && !s->masks_dirty,
	    "and nothing rewritten");
	session_free(s);

	/* A session killed between the sidecar's write and the masks': the sidecar has two squares
	 * now and is newer than the masks, which still show one. */
	squares_sidecar(side, "m.png", 2);
	age(labels, 30);
	age(inst, 30);
	tap_ok(!masks_match(m), "a sidecar newer than its masks, which lag it");
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error, "the image opens");
	tap_ok(!strcmp(said(s), "masks rebuilt: m.labels.png: older than m.pxl.json"), "and says the masks were rebuilt: %s",
	    msg);
	tap_ok(masks_match(m) && !s->masks_dirty && !s->mask_error, "the masks on disk are the sidecar's now");
	session_free(s);

	/* A mask missing (a kill after the first of the two renames of an old pxlabel, or removed by
	 * hand). */
	unlink(inst);
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && strstr(said(s), "masks rebuilt: m.instances.png: missing") == msg,
	    "a missing mask is rebuilt on open: %s", msg);
	tap_ok(masks_match(m), "and matches the sidecar");
	session_free(s);

	/* Read-only (someone else holds the image): not ours to write; their session rebuilds. */
	squares_sidecar(side, "m.png", 3);
	age(labels, 30);
	age(inst, 30);
	before = mtime_of(labels);
	tap_ok(lock_take(&other, side, &holder, NULL) == 0, "another annotator holds m.png");
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && s->open_error && !strstr(said(s), "masks rebuilt"),
	    "opened read-only, the stale masks are left alone: %s", msg);
	after = mtime_of(labels);
	tap_ok(before.tv_sec == after.tv_sec && before.tv_nsec == after.tv_nsec && !masks_match(m), "untouched");
	session_free(s);
	lock_release(&other);
	free(holder);
	free(m);
	free(side);
	free(labels);
	free(inst);
}

/* A mask write that fails: on a full disk (RLIMIT_FSIZE fails every write past a few bytes
 * with EFBIG, as ENOSPC would, with no file system to fill), and a mask that cannot be replaced
 * (a folder in its place: not even root renames a file over one). */
static void test_failed_masks(void)
{
	char *f = path("crash/f.png"), *images[1] = { f }, *side = path("crash/f.pxl.json"), *dir = path("crash");
	char *labels = path("crash/f.labels.png"), *inst = path("crash/f.instances.png"), *old_l, *old_i;
	size_t nl = 0, ni = 0;
	struct rlimit was, tiny;
	struct session *s;
	int rc;

	s = open_session(images, 1, NULL);
	session_set_time(s, 10);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error, "f.png opens");
	rect(s, 2, 2, 12, 12);
	tap_ok(session_close_outline(s) == 0 && session_tick(s, 12) == 1 && masks_match(f), "one square, masks written");
	old_l = slurp(labels, &nl);
	old_i = slurp(inst, &ni);
	session_set_time(s, 20);
	rect(s, 20, 2, 30, 12);
	tap_ok(session_close_outline(s) == 0 && instances_on_disk(side) == 2 && s->masks_dirty,
	    "a second square: the sidecar is written, the masks wait");
	(void)said(s);

	getrlimit(RLIMIT_FSIZE, &was);
	tiny = was;
	tiny.rlim_cur = 16;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &tiny) != 0)
		abort();
	rc = session_tick(s, 22);
	tap_ok(rc == 1 && s->mask_error && strstr(s->mask_error, "f.labels.png: write failed"),
	    "the disk is full when the masks follow: the error is kept (%s)", s->mask_error ? s->mask_error : "");
	tap_ok(strstr(said(s), "MASKS NOT WRITTEN: ") == msg, "and told: %s", msg);
	session_end(s, 0);
	if (setrlimit(RLIMIT_FSIZE, &was) != 0)
		abort();
	signal(SIGXFSZ, SIG_DFL);
	tap_ok(session_unsaved(s) && strstr(session_unsaved(s), "f.png: masks not written (the next start rebuilds them): ") &&
	    strstr(session_unsaved(s), "f.labels.png: write failed: File too large"),
	    "it is in the lines told on the way out, which make the exit status 1: %s",
	    session_unsaved(s) ? session_unsaved(s) : "(none)");
	tap_ok(same_bytes(labels, old_l, nl) && same_bytes(inst, old_i, ni),
	    "both masks are the old ones, byte for byte: they agree with each other");
	tap_ok(count_prefixed(dir, ".f.") == 0, "no temporary is left beside them");
	tap_ok(instances_on_disk(side) == 2, "the outlines are whole");
	session_free(s);

	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && strstr(said(s), "masks rebuilt: f.labels.png: older than f.pxl.json") == msg,
	    "with room again, the next start rebuilds them: %s", msg);
	tap_ok(masks_match(f), "from the sidecar");

	/* The labels mask cannot be replaced: the instances mask is not replaced either. */
	free(old_i);
	old_i = slurp(inst, &ni);
	unlink(labels);
	mkdir(labels, 0755);
	session_set_time(s, 30);
	rect(s, 2, 20, 12, 28);
	rc = session_close_outline(s) == 0 && session_tick(s, 32) == 1;
	tap_ok(rc && s->mask_error && strstr(s->mask_error, "f.labels.png: cannot replace it"),
	    "a folder where the labels mask goes: %s", s->mask_error ? s->mask_error : "");
	tap_ok(same_bytes(inst, old_i, ni), "the instances mask stays the old one");
	session_end(s, 0);
	tap_ok(session_unsaved(s) && strstr(session_unsaved(s), "masks not written") &&
	    strstr(session_unsaved(s), "f.labels.png: cannot replace it: Is a directory"), "and it is told on the way out");
	session_free(s);
	rmdir(labels);
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && strstr(said(s), "masks rebuilt: f.labels.png: missing") == msg &&
	    masks_match(f), "then rebuilt on the next open: %s", msg);
	tap_ok(!session_unsaved(s), "a clean session has nothing to tell");
	session_free(s);
	free(old_l);
	free(old_i);
	free(f);
	free(side);
	free(dir);
	free(labels);
	free(inst);
}

/* The lock of a session that ended without releasing it (killed) is taken over with a word
 * saying whose it was; stale masks found then are told after it, not instead of it. */
static void test_takeover(void)
{
	char *t = path("crash/t.png"), *images[1] = { t }, *side = path("crash/t.pxl.json");
	char *lockp = path("crash/t.pxl.lock"), *text, *expect;
	struct session *s;
	size_t len = 0;
	pid_t pid;
	int st = -1;

	squares_sidecar(side, "t.png", 1); /* and no masks yet */
	pid = fork();
	if (pid == 0) {
		struct lock l;
		char *holder = NULL;
		int rc = lock_take(&l, side, &holder, NULL);

		/* The parent's strings the child no longer points at would be leaks to valgrind,
		 * whose exit status would then not be this one's. */
		free(t);
		free(side);
		free(lockp);
		free(holder);
		_exit(rc == 0 ? 0 : 1);
	}
	tap_ok(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 && exists(lockp),
	    "a process took t.png's lock and ended without releasing it");
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error, "the image opens editable");
	expect = xasprintf("(pid %ld, since ", (long)pid);
	tap_ok(!strncmp(said(s), "took over the lock of ", 22) && strstr(msg, expect) &&
	    strstr(msg, "), whose session ended; masks rebuilt: t.labels.png: missing"),
	    "the takeover is told, whose lock and since when, then the masks rebuilt: %s", msg);
	free(expect);
	text = slurp(lockp, &len);
	expect = xasprintf(" %ld ", (long)getpid());
	tap_ok(text && strstr(text, expect) && strchr(text, '\n') > strstr(text, expect), "the lock names this process now");
	free(expect);
	free(text);
	session_free(s);
	{
		char *dir = path("crash");

		tap_ok(!exists(lockp) && count_prefixed(dir, ".t.") == 0,
		    "and is released, with no guard or temporary left in the folder");
		free(dir);
	}
	s = open_session(images, 1, NULL);
	tap_ok(session_goto(s, 0) == 0 && !strstr(said(s), "took over"), "a lock released properly is not taken over: %s",
	    msg);
	session_free(s);
	free(t);
	free(side);
	free(lockp);
}

/* session_tick touches the lock every LOCK_REFRESH_SECONDS (the times are passed in), keys alone
 * too; a lock found to be someone else's makes the image read-only, and nothing more is written
 * over the new holder's files. */
static void test_refresh(void)
{
	char *r = path("crash/r.png"), *images[1] = { r }, *side = path("crash/r.pxl.json");
	char *lockp = path("crash/r.pxl.lock"), *labels = path("crash/r.labels.png"), *theirs, *lock_text;
	struct session *s;
	size_t n = 0, nl = 0;
	long old;
	int rc;

	s = open_session(images, 1, NULL);
	session_set_time(s, 1000);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error && exists(lockp), "r.png opens at t = 1000 s, locked");
	age(lockp, 3600);
	old = mtime_of(lockp).tv_sec;
	tap_ok(session_tick(s, 1000 + LOCK_REFRESH_SECONDS - 1) == 0 && mtime_of(lockp).tv_sec == old,
	    "idle for %d s: the lock is not touched yet", LOCK_REFRESH_SECONDS - 1);
	tap_ok(session_tick(s, 1000 + LOCK_REFRESH_SECONDS + 1) == 0 && mtime_of(lockp).tv_sec > old + 3000,
	    "after LOCK_REFRESH_SECONDS it is touched");
	age(lockp, 3600);
	old = mtime_of(lockp).tv_sec; /* again: a second may have passed since the first age() */
	session_set_time(s, 1061 + 30);
	tap_ok(mtime_of(lockp).tv_sec == old, "a key 30 s later does not touch it");
	session_set_time(s, 1061 + LOCK_REFRESH_SECONDS + 1);
	tap_ok(mtime_of(lockp).tv_sec > old + 3000, "keys with no idle moment between them touch it too");

	/* Taken over meanwhile (our host was suspended past LOCK_SILENCE_SECONDS, say), just after
	 * an edit of ours whose masks have not followed yet. */
	session_set_time(s, 1130);
	rect(s, 2, 2, 12, 12);
	tap_ok(session_close_outline(s) == 0 && s->masks_dirty && !exists(labels), "an edit: the sidecar written, not the masks");
	write_text(lockp, "bob@elsewhere 4242 2026-03-02 10:42\nsince 1772444520\nrefresh 60\n");
	squares_sidecar(side, "r.png", 3);
	theirs = slurp(side, &n);
	lock_text = slurp(lockp, &nl);
	tap_ok(session_tick(s, 1131) == 0 && !s->open_error, "before the next refresh is due nothing is noticed");
	rc = session_tick(s, 1122 + LOCK_REFRESH_SECONDS + 1);
	tap_ok(rc == 1 && s->open_error &&
	    strstr(s->open_error, "the lock was taken over by bob@elsewhere (pid 4242, since 2026-03-02 10:42"),
	    "the next refresh finds the lock taken over: %s", s->open_error ? s->open_error : "");
	tap_ok(!exists(labels) && !s->masks_dirty, "the masks of the edit before are not written over the new holder's");
	tap_ok(!strncmp(said(s), "read-only: the lock was taken over by bob@elsewhere", 51), "and says so: %s", msg);
	rect(s, 20, 2, 30, 12);
	tap_ok(session_close_outline(s) != 0 && strstr(said(s), "read-only"), "an edit is refused from then on");
	session_cancel(s);
	tap_ok(session_tick(s, 1300) == 0 && !exists(labels), "nor later");
	session_free(s);
	tap_ok(same_bytes(side, theirs, n) && same_bytes(lockp, lock_text, nl),
	    "closing leaves their sidecar and their lock as they are");
	unlink(lockp);
	free(theirs);
	free(lock_text);

	/* The first key after a long suspend finds the lock taken over before its edit is saved: the
	 * clock is told (and the lock checked) ahead of the key, as the event loop does. */
	s = open_session(images, 1, NULL);
	session_set_time(s, 5000);
	tap_ok(session_goto(s, 0) == 0 && !s->open_error, "r.png opened again, by a session that is then suspended");
	write_text(lockp, "bob@elsewhere 4242 2026-03-02 10:42\nsince 1772444520\nrefresh 60\n");
	squares_sidecar(side, "r.png", 2);
	theirs = slurp(side, &n);
	session_set_time(s, 5000 + LOCK_SILENCE_SECONDS + 60);
	rect(s, 20, 2, 30, 12);
	tap_ok(s->open_error && session_close_outline(s) != 0 && same_bytes(side, theirs, n),
	    "woken, its first edit is refused and the new holder's sidecar stays");
	session_free(s);
	unlink(lockp);
	free(theirs);
	free(r);
	free(side);
	free(lockp);
	free(labels);
}

/* A reviewer's verdicts: the record saved with the state, the rejection's comment told when the
 * image opens again, approved counted as done, a refused comment changes nothing. */
static void test_verdicts(void)
{
	char *a = path("verdict/a.png"), *b = path("verdict/b.png"), *images[2] = { a, b };
	char *side = path("verdict/a.pxl.json"), *bad = xasprintf("no%cescape", 27);
	struct session *s;
	struct doc *d = NULL;

	make_image(a);
	make_image(b);
	s = open_session(images, 2, NULL);
	(void)session_goto(s, 0);
	(void)said(s);
	tap_ok(session_review(s, "rejected", "la roue d\xc3\xa9" "borde", "ana", 1796200000) == 0 &&
	    !strcmp(said(s), "review: rejected"), "a rejection with a comment");
	tap_ok(sidecar_load(side, &d, NULL, NULL) == 0 && !strcmp(d->review, "rejected") && d->note.comment &&
	    !strcmp(d->note.comment, "la roue d\xc3\xa9" "borde") && !strcmp(d->note.by, "ana") &&
	    d->note.time == 1796200000, "is on disk at once, with reviewer and time");
	doc_free(d);
	d = NULL;
	tap_ok(session_review(s, "rejected", bad, "ana", 1) == -1 && strstr(said(s), "control") &&
	    !strcmp(session_review_comment(s), "la roue d\xc3\xa9" "borde"), "a comment with an escape is refused, the old one kept");
	(void)session_goto(s, 1);
	(void)session_goto(s, 0);
	tap_ok(!strcmp(said(s), "rejected by ana: la roue d\xc3\xa9" "borde"), "opening a rejected image tells why: %s", msg);
	tap_ok(s->ndone == 0 && session_review(s, "approved", NULL, "bo", 2) == 0 && s->ndone == 1 &&
	    !session_review_comment(s), "approved counts as done, and has no comment to show");
	tap_ok(session_toggle_done(s) == 0 && !strcmp(s->it.doc->review, "todo") && s->ndone == 0,
	    "D on an approved image takes it back to todo");
	session_free(s);
	free(a);
	free(b);
	free(side);
	free(bad);
}

/* Counts and class keys on the digits: a data set whose classes use digits gives them the
 * digits, and counts start with the count key; one whose classes use none keeps digits for
 * counts. */
static void test_digits(void)
{
	char *p = path("digits"), *ini = path("digits/pxlabel.ini"), *img = path("digits/d.png");
	char *a = path("set/a.png"), *images[2] = { img, a };
	struct session *s;

	mkdir(p, 0755);
	write_text(ini, "[class cup]\nid = 1\nkey = 1\n\n[class saucer]\nid = 2\nkey = 2\n\n"
	    "[class spoon]\nid = 3\nkey = 3\n\n[class table]\nid = 4\nkey = 4\n");
	make_image(img);
	s = open_session(images, 2, NULL);
	tap_ok(session_goto(s, 0) == 0 && session_class_digits(s), "classes cup, saucer, spoon, table on 1-4");
	tap_ok(session_digit(s, '3', 0) == SESSION_DIGIT_CLASS, "3 picks a class (spoon), it is no count");
	tap_ok(session_class_key(s, '3') && !strcmp(session_class(s)->name, "spoon"), "and it is spoon");
	tap_ok(session_digit(s, '7', 0) == SESSION_DIGIT_NONE && session_digit(s, '0', 0) == SESSION_DIGIT_NONE,
	    "7 and 0 are neither: bare digits are never counts beside digit classes");
	tap_ok(session_digit(s, '3', 1) == SESSION_DIGIT_COUNT && session_digit(s, '0', 1) == SESSION_DIGIT_COUNT,
	    "after the count key every digit is part of the count");
	tap_ok(session_digit(s, 'x', 0) == SESSION_DIGIT_NONE, "a letter is no digit");
	tap_ok(session_goto(s, 1) == 0 && !session_class_digits(s), "a data set with letter keys (t, y)");
	tap_ok(session_digit(s, '3', 0) == SESSION_DIGIT_COUNT && session_digit(s, '0', 0) == SESSION_DIGIT_NONE &&
	    session_digit(s, '0', 1) == SESSION_DIGIT_COUNT, "digits are counts there; 0 only goes on with one");
	session_free(s);
	free(p);
	free(ini);
	free(img);
	free(a);
}

/* What the next vertex snaps to, in words for the status line. */
static void test_snap_words(void)
{
	char *a = path("snapw/a.png"), *dir = path("snapw"), *images[1] = { a };
	struct session_snap sn;
	struct session *s;
	char words[64];
	uint16_t id;

	mkdir(dir, 0755);
	make_image(a);
	s = open_session(images, 1, NULL);
	(void)session_goto(s, 0);
	rect(s, 5, 5, 20, 20);
	(void)session_close_outline(s);
	id = s->selected;
	session_snap_find(s, 5.5, 5.25, 2, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(sn.kind == DOC_SNAP_VERTEX && sn.inst == id && sn.at.x == 5 * RASTER_ONE && !strcmp(words, "vertex of #1"),
	    "near a corner of #1: \"%s\"", words);
	session_snap_find(s, 12, 5.75, 2, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(sn.kind == DOC_SNAP_EDGE && sn.at.y == 5 * RASTER_ONE && !strcmp(words, "edge of #1"), "near its side: \"%s\"", words);
	session_snap_find(s, 30, 0.5, 2, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(sn.kind == DOC_SNAP_EDGE && sn.at.y == 0 && !strcmp(words, "image border"), "near the top: \"%s\"", words);
	session_snap_find(s, 39.5, 29.5, 2, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(sn.kind == DOC_SNAP_VERTEX && !strcmp(words, "image corner"), "near the corner: \"%s\"", words);
	session_snap_find(s, 30, 15, 2, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(sn.kind == DOC_SNAP_NONE && !words[0] && sn.at.x == 30 * RASTER_ONE, "far from all: nothing");
	s->snap = 0;
	session_snap_find(s, 5.5, 5.25, 2, &sn);
	tap_ok(sn.kind == DOC_SNAP_NONE, "snapping off: nothing");
	session_free(s);
	free(a);
	free(dir);
}

/* Edge snapping: with nothing of the outlines in reach a vertex goes onto the picture's edge
 * and says so; an outline in reach wins. */
static void test_edge_snap(void)
{
	char *a = path("edges/a.png"), *dir = path("edges"), *images[1] = { a };
	uint8_t rgb[W * H * 3];
	struct session_snap sn;
	struct session *s;
	char words[64];
	int x, y;

	mkdir(dir, 0755);
	/* Dark left of x = 15, bright from it. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			memset(rgb + (y * W + x) * 3, x < 15 ? 40 : 200, 3);
	if (pngio_write_rgb8(a, rgb, W, H, NULL) != 0)
		abort();
	s = open_session(images, 1, NULL);
	(void)session_goto(s, 0);
	session_snap_find(s, 13.5, 10.5, 3, &sn);
	tap_ok(!sn.image_edge && sn.at.x == (int32_t)(13.5 * RASTER_ONE), "edge snapping is off at first");
	s->edge_snap = 1;
	session_snap_find(s, 13.5, 10.5, 3, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(sn.image_edge && abs(sn.at.x - 15 * RASTER_ONE) <= 4 && sn.at.y == (int32_t)(10.5 * RASTER_ONE) &&
	    !strcmp(words, "image edge 1.5 px"), "on, a point 1.5 px off goes onto the edge: \"%s\"", words);
	session_snap_find(s, 9.5, 10.5, 3, &sn);
	tap_ok(!sn.image_edge, "beyond a cell (reach 2 px here) it stays");
	tap_ok(session_place_vertex(s, 13.5, 10.5, 3) == 0 && s->npts == 1 && abs(s->pts[0].x - 15 * RASTER_ONE) <= 4 &&
	    strstr(said(s), "on an edge of the picture (moved 1.5 px)"), "placed there, and told: %s", msg);
	(void)session_place_vertex(s, 13.5, 20.5, 3);
	(void)session_place_vertex(s, 5.5, 20.5, 3);
	(void)session_close_outline(s);
	session_snap_find(s, 14.5, 15, 3, &sn);
	session_snap_describe(&sn, words, sizeof(words));
	tap_ok(!sn.image_edge && sn.kind == DOC_SNAP_EDGE && !strcmp(words, "edge of #1"), "an outline in reach wins: \"%s\"", words);
	session_free(s);
	free(a);
	free(dir);
}

/* Slivers: an outline drawn behind fills a hole in another instance; the edit says it left a
 * new small part, v's call goes to it, undo takes it away. */
static void test_slivers(void)
{
	char *a = path("sliv/a.png"), *dir = path("sliv"), *images[1] = { a };
	struct session *s;
	double ix = -1, iy = -1;
	uint16_t big;

	mkdir(dir, 0755);
	make_image(a);
	s = open_session(images, 1, NULL);
	(void)session_goto(s, 0);
	tap_ok(s->it.ds.sliver_pixels == SLIVER_DEFAULT_PIXELS && s->nslivers == 0, "no slivers in a new image");
	tap_ok(session_next_sliver(s, &ix, &iy) == -1 && strstr(said(s), "no part of an instance under 20 px"),
	    "v with none: %s", msg);
	rect(s, 5, 5, 20, 20);
	(void)session_close_outline(s);
	s->mode = SESSION_CUT;
	rect(s, 10, 10, 12, 12);
	tap_ok(session_close_outline(s) == 0 && s->nslivers == 0 && !strstr(said(s), "new part"), "a hole cut in #1: %s", msg);
	s->mode = SESSION_NEW;
	s->behind = 1;
	rect(s, 0, 0, W, H);
	tap_ok(session_close_outline(s) == 0 && s->nslivers == 1, "drawn behind, the background fills the hole");
	big = s->selected;
	tap_ok(strstr(said(s), "new instance #2") && strstr(msg, "; 1 new part under 20 px in #2: v goes to them"),
	    "and the edit says so: %s", msg);
	s->selected = 0;
	tap_ok(session_next_sliver(s, &ix, &iy) == 0 && ix == 10.5 && iy == 10.5 && s->selected == big &&
	    strstr(said(s), "part 1 of 1 under 20 px: #2, 4 px at (10, 10)"), "v goes to it and selects #2: %s", msg);
	s->mode = SESSION_CUT;
	s->behind = 0;
	rect(s, 9, 9, 13, 13);
	tap_ok(session_close_outline(s) == 0 && s->nslivers == 0, "cut away, it is gone: %s", said(s));
	tap_ok(session_undo(s) && s->nslivers == 1 && !strcmp(said(s), "undone"),
	    "undo brings it back (a state seen before: not said again)");
	tap_ok(session_undo(s) && s->nslivers == 0, "undoing the background: none");
	session_free(s);
	free(a);
	free(dir);
}

/* Editing an image marked done says so, and its review shows it changed after review; undo
 * takes the change back with the edit. */
static void test_review_changed(void)
{
	char *a = path("revc/a.png"), *dir = path("revc"), *images[1] = { a };
	struct session *s;

	mkdir(dir, 0755);
	make_image(a);
	s = open_session(images, 1, NULL);
	(void)session_goto(s, 0);
	rect(s, 2, 2, 10, 10);
	(void)session_close_outline(s);
	tap_ok(session_toggle_done(s) == 0 && !strcmp(s->it.doc->review, "done") && s->ndone == 1, "marked done");
	rect(s, 12, 12, 20, 20);
	tap_ok(session_close_outline(s) == 0 && !strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED) && s->ndone == 0,
	    "an edit after it: the review is \"changed\", the image no longer done");
	tap_ok(!strcmp(said(s), "new instance #2 (64 px); this image was done: its review is now changed (D marks it done again)"),
	    "and the edit says so: %s", msg);
	tap_ok(session_undo(s) && s->it.doc->ninst == 1 && !strcmp(s->it.doc->review, "done") && s->ndone == 1,
	    "one undo takes the edit and the review change back");
	tap_ok(session_redo(s) && s->it.doc->ninst == 2 && !strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED) && s->ndone == 0,
	    "one redo brings both");
	rect(s, 22, 2, 30, 10);
	tap_ok(session_close_outline(s) == 0 && !strstr(said(s), "was done"), "a second edit says nothing more: %s", msg);
	tap_ok(session_undo(s) && s->it.doc->ninst == 2 && !strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED),
	    "undoing it leaves the change of the first");
	tap_ok(session_undo(s) && s->it.doc->ninst == 1 && !strcmp(s->it.doc->review, "done"), "undoing the first: done again");
	s->selected = s->it.doc->inst[0]->id;
	tap_ok(session_edit_instance(s, SESSION_DELETE, 0) == 0 && !strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED) &&
	    strstr(said(s), "this image was done"), "deleting an instance is an edit too: %s", msg);
	tap_ok(session_toggle_done(s) == 0 && !strcmp(s->it.doc->review, "done") && s->ndone == 1, "D: done again");
	(void)doc_set_review(s->it.doc, "accepted", NULL);
	rect(s, 12, 12, 20, 20);
	tap_ok(session_close_outline(s) == 0 && !strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED) &&
	    strstr(said(s), "this image was accepted: its review is now changed"), "an accepted image too: %s", msg);
	session_free(s);
	s = open_session(images, 1, NULL);
	(void)session_goto(s, 0);
	tap_ok(!strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED), "the sidecar keeps it");
	s->mode = SESSION_ADD;
	s->selected = 0;
	rect(s, 0, 0, 4, 4);
	tap_ok(session_close_outline(s) != 0 && !strcmp(s->it.doc->review, SESSION_REVIEW_CHANGED), "a refused edit changes nothing");
	s->mode = SESSION_NEW;
	session_cancel(s);
	(void)session_toggle_done(s);
	(void)session_add_vertex(s, raster_pt_from_double(36.6, 2.6));
	(void)session_add_vertex(s, raster_pt_from_double(36.9, 2.6));
	(void)session_add_vertex(s, raster_pt_from_double(36.9, 2.9));
	tap_ok(session_close_outline(s) != 0 && !strcmp(s->it.doc->review, "done") && s->ndone == 1,
	    "nor does an outline that holds no pixel: still done");
	session_free(s);
	free(a);
	free(dir);
}

int main(void)
{
	char *p;

	if (!mkdtemp(root))
		return 99;
	unsetenv("XDG_STATE_HOME");
	setenv("HOME", root, 1);
	setenv("XDG_CONFIG_HOME", root, 1);
	afile_set_durable(0);
	p = path("set");
	mkdir(p, 0755);
	free(p);
	p = path("set/pxlabel.ini");
	write_text(p, "[class thing]\nid = 3\ncolor = #ff0000\nkey = t\n\n[class other]\nid = 5\ncolor = #00ff00\nkey = y\n");
	free(p);
	p = path("set/a.png");
	make_image(p);
	free(p);
	p = path("set/b.png");
	make_image(p);
	free(p);
	mkdir((p = path("locked")), 0755);
	free(p);
	make_image((p = path("locked/c.png")));
	free(p);
	mkdir((p = path("custom")), 0755);
	free(p);
	make_image((p = path("custom/p.png")));
	free(p);
	make_image((p = path("custom/q.png")));
	free(p);
	mkdir((p = path("review")), 0755);
	free(p);
	mkdir((p = path("unl")), 0755);
	free(p);
	mkdir((p = path("crash")), 0755);
	free(p);
	make_image((p = path("crash/m.png")));
	free(p);
	make_image((p = path("crash/f.png")));
	free(p);
	make_image((p = path("crash/t.png")));
	free(p);
	make_image((p = path("crash/r.png")));
	free(p);
	mkdir((p = path("verdict")), 0755);
	free(p);

	test_edits();
	test_failed_save();
	test_locked();
	test_suffixes();
	test_review();
	test_drafts();
	test_unlabeled();
	test_stale_masks();
	test_failed_masks();
	test_takeover();
	test_refresh();
	test_verdicts();
	test_digits();
	test_snap_words();
	test_edge_snap();
	test_slivers();
	test_review_changed();
	{
		char *cmd = xasprintf("rm -rf '%s'", root);

		if (system(cmd) != 0)
			tap_diag("could not remove %s", root);
		free(cmd);
	}
	return tap_done();
}
