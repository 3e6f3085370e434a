/* test_session.c: the annotator's rules driven with no terminal, on small images made here:
 * edits (new, add, cut, over, behind, an outline that holds no pixel refused), undo and redo
 * across images, a failed save, a locked image, custom file suffixes and the done count after
 * a restart, autosave and masks on idle with times passed in, drafts and resume, the next
 * image with unlabeled pixels, and instance edits. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	tap_ok(s->selected == 3, "g selects the one under a point");
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
	mkdir((p = path("verdict")), 0755);
	free(p);

	test_edits();
	test_failed_save();
	test_locked();
	test_suffixes();
	test_review();
	test_drafts();
	test_unlabeled();
	test_verdicts();
	{
		char *cmd = xasprintf("rm -rf '%s'", root);

		if (system(cmd) != 0)
			tap_diag("could not remove %s", root);
		free(cmd);
	}
	return tap_done();
}
