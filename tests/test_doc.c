/* test_doc.c: the document's edits, z-order, nesting, snapping, and undo/redo without limit. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "tap.h"

#define P(x, y) { (int32_t)((x) * RASTER_ONE), (int32_t)((y) * RASTER_ONE) }

static struct doc_shape *rect(enum doc_shape_op op, double x0, double y0, double x1, double y1)
{
	raster_pt pts[4] = { P(x0, y0), P(x1, y0), P(x1, y1), P(x0, y1) };
	raster_ring ring = { pts, 4 };

	return doc_shape_polygon(op, &ring, 1, NULL);
}

/* A summary of the document's state: ids bottom to top with class, parent and shape count. */
static void state(const struct doc *d, char *buf, size_t n)
{
	size_t i, o = 0;

	buf[0] = '\0';
	for (i = 0; i < d->ninst && o < n; i++)
		o += (size_t)snprintf(buf + o, n - o, "%u:%u:%u:%zu ", d->inst[i]->id, d->inst[i]->class_id,
		    d->inst[i]->parent, d->inst[i]->nshapes);
	if (o < n)
		snprintf(buf + o, n - o, "[%s]", d->review);
}

int main(void)
{
	struct doc *d;
	char *cause = NULL, s0[512], s1[512], states[64][512];
	raster_rect dirty;
	uint16_t a, b, c;
	raster_pt q;
	int i, ok;

	tap_ok(doc_new(0, 10, &cause) == NULL && cause, "a zero-width document is refused");
	free(cause);
	cause = NULL;
	d = doc_new(100, 80, NULL);
	tap_ok(d && d->ninst == 0 && !strcmp(d->review, "todo"), "a new document is empty, review todo");

	/* Called before tap_ok: the order in which its arguments are evaluated is unspecified. */
	ok = doc_add_instance(d, 1, 0, DOC_OVER, rect(DOC_ADD, 10, 10, 30, 30), &a, &dirty, NULL) == 0;
	tap_ok(ok && a == 1 && dirty.x0 == 10 && dirty.y0 == 10 && dirty.x1 == 30 && dirty.y1 == 30,
	    "an instance over: id 1, dirty is its box (%d,%d)-(%d,%d)", dirty.x0, dirty.y0, dirty.x1, dirty.y1);
	tap_ok(doc_add_instance(d, 2, 0, DOC_OVER, rect(DOC_ADD, 20, 20, 50, 50), &b, NULL, NULL) == 0 &&
	    b == 2 && doc_z_index(d, b) == 1, "a second instance goes on top");
	tap_ok(doc_add_instance(d, 3, 0, DOC_BEHIND, rect(DOC_ADD, 0, 0, 100, 80), &c, NULL, NULL) == 0 &&
	    c == 3 && doc_z_index(d, c) == 0, "drawing behind puts it at the bottom");
	tap_ok(doc_add_instance(d, 0, 0, DOC_OVER, rect(DOC_ADD, 0, 0, 5, 5), NULL, NULL, &cause) == -1 &&
	    cause && d->ninst == 3, "class 0 is refused and changes nothing: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(doc_add_instance(d, 1, 0, DOC_OVER, rect(DOC_CUT, 0, 0, 5, 5), NULL, NULL, &cause) == -1,
	    "a new instance cannot start with a cut");
	free(cause);
	cause = NULL;
	tap_ok(doc_add_shape(d, a, rect(DOC_CUT, 12, 12, 18, 18), &dirty, NULL) == 0 &&
	    doc_instance(d, a)->nshapes == 2 && doc_instance(d, a)->ncuts == 1 && dirty.x1 == 30,
	    "a cut joins the instance; its box is the instance's");
	tap_ok(doc_set_parent(d, b, a, NULL) == 0 && doc_instance(d, b)->parent == a, "nesting: #2 is part of #1");
	tap_ok(doc_set_parent(d, a, b, &cause) == -1 && cause, "a cycle is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(doc_set_parent(d, a, a, &cause) == -1, "an instance is not its own parent");
	free(cause);
	cause = NULL;
	tap_ok(doc_set_parent(d, a, 99, &cause) == -1, "an unknown parent is refused");
	free(cause);
	cause = NULL;
	tap_ok(doc_move(d, a, 2, &dirty, NULL) == 0 && doc_z_index(d, a) == 2 && doc_z_index(d, b) == 1,
	    "raise #1 to the top");
	tap_ok(doc_set_class(d, c, 7, &dirty, NULL) == 0 && doc_instance(d, c)->class_id == 7 &&
	    dirty.x1 == 100 && dirty.y1 == 80, "change class; dirty is the whole instance");
	tap_ok(doc_set_review(d, "done", NULL) == 0 && !strcmp(d->review, "done"), "review state");

	/* Undo everything, step by step, then redo it all: every intermediate state returns. */
	state(d, s1, sizeof(s1));
	i = 0;
	state(d, states[i++], sizeof(states[0]));
	while (doc_undo(d, NULL))
		state(d, states[i++], sizeof(states[0]));
	tap_ok(d->ninst == 0 && !strcmp(d->review, "todo") && i == 9, "undo back to the empty document (%d states)", i);
	ok = 1;
	while (i > 1) {
		--i;
		tap_ok(doc_redo(d, NULL) == 1, "redo step");
		state(d, s0, sizeof(s0));
		ok &= !strcmp(s0, states[i - 1]);
	}
	tap_ok(ok, "every redo reproduces the state before its undo");
	state(d, s0, sizeof(s0));
	tap_ok(!strcmp(s0, s1) && doc_redo(d, NULL) == 0, "redo ends at the latest state: %s", s0);
	tap_ok(doc_undo(d, NULL) == 1 && doc_undo(d, NULL) == 1 &&
	    doc_add_instance(d, 4, 0, DOC_OVER, rect(DOC_ADD, 60, 60, 70, 70), NULL, NULL, NULL) == 0 &&
	    doc_redo(d, NULL) == 0, "a new edit after undo drops the redo branch");
	tap_ok(doc_delete_instance(d, a, &dirty, NULL) == 0 && !doc_instance(d, a) &&
	    doc_undo(d, NULL) == 1 && doc_instance(d, a) && doc_instance(d, a)->nshapes == 2,
	    "delete and undo restores the instance with its shapes");
	tap_ok(doc_remove_shape(d, a, 1, NULL, NULL) == 0 && doc_instance(d, a)->ncuts == 0 &&
	    doc_remove_shape(d, a, 0, NULL, NULL) == 0 && !doc_instance(d, a),
	    "removing the last shape removes the instance");
	tap_ok(doc_undo(d, NULL) && doc_undo(d, NULL) && doc_instance(d, a)->nshapes == 2, "and undo brings both back");
	tap_ok(doc_replace_shape(d, a, 0, rect(DOC_ADD, 5, 5, 35, 35), &dirty, NULL) == 0 &&
	    dirty.x0 == 5 && dirty.x1 == 35, "replacing a shape (a vertex edit) dirties old and new");

	/* No fixed limit: thousands of steps, all undoable. */
	for (i = 0; i < 5000; i++)
		if (doc_move(d, a, (size_t)(i % 3), NULL, NULL) != 0)
			break;
	for (ok = 0; doc_undo(d, NULL); ok++)
		;
	tap_ok(i == 5000 && ok >= 5000 && d->ninst == 0, "5000 edits undo all the way (%d steps)", ok);

	/* Snapping. */
	doc_free(d);
	d = doc_new(100, 100, NULL);
	(void)doc_add_instance(d, 1, 0, DOC_OVER, rect(DOC_ADD, 10, 10, 40, 40), NULL, NULL, NULL);
	tap_ok(doc_snap(d, (raster_pt)P(11, 9.5), 3 * RASTER_ONE, &q) == DOC_SNAP_VERTEX &&
	    q.x == 10 * RASTER_ONE && q.y == 10 * RASTER_ONE, "a point near a corner snaps exactly onto it");
	tap_ok(doc_snap(d, (raster_pt)P(25, 11.25), 3 * RASTER_ONE, &q) == DOC_SNAP_EDGE &&
	    q.x == 25 * RASTER_ONE && q.y == 10 * RASTER_ONE, "a point near an edge lands on the edge");
	tap_ok(doc_snap(d, (raster_pt)P(25, 25), 3 * RASTER_ONE, &q) == DOC_SNAP_NONE &&
	    q.x == 25 * RASTER_ONE, "a point far from everything stays put");
	tap_ok(doc_snap(d, (raster_pt)P(1.7, 50), 3 * RASTER_ONE, &q) == DOC_SNAP_EDGE && q.x == 0 &&
	    q.y == 50 * RASTER_ONE, "the image's border snaps, so outlines can end exactly on it");
	tap_ok(doc_snap(d, (raster_pt)P(98.5, 99), 3 * RASTER_ONE, &q) == DOC_SNAP_VERTEX &&
	    q.x == 100 * RASTER_ONE && q.y == 100 * RASTER_ONE, "and so do its corners");
	tap_ok(doc_snap(d, (raster_pt)P(14, 11), 5 * RASTER_ONE, &q) == DOC_SNAP_VERTEX,
	    "vertices win over a nearer edge");
	{
		raster_pt path[2] = { P(60, 60), P(80, 60) };
		struct doc_shape *s = doc_shape_stroke(DOC_ADD, path, 2, 4 * RASTER_ONE, NULL);

		tap_ok(s && s->bounds.x0 == 58 && s->bounds.x1 == 82, "a stroke's bounds include its width");
		(void)doc_add_instance(d, 2, 0, DOC_OVER, s, NULL, NULL, NULL);
		tap_ok(doc_snap(d, (raster_pt)P(70, 61), 2 * RASTER_ONE, &q) == DOC_SNAP_EDGE && q.y == 60 * RASTER_ONE,
		    "snapping to a stroke's path");
	}
	{
		uint16_t who = 99, ids[2];

		ids[0] = d->inst[0]->id;
		ids[1] = d->inst[1]->id;
		tap_ok(doc_snap_at(d, (raster_pt)P(11, 9.5), 3 * RASTER_ONE, &q, &who) == DOC_SNAP_VERTEX && who == ids[0],
		    "doc_snap_at names the instance of a vertex (#%u)", who);
		tap_ok(doc_snap_at(d, (raster_pt)P(70, 61), 2 * RASTER_ONE, &q, &who) == DOC_SNAP_EDGE && who == ids[1],
		    "and of an edge (#%u)", who);
		tap_ok(doc_snap_at(d, (raster_pt)P(1.7, 50), 3 * RASTER_ONE, &q, &who) == DOC_SNAP_EDGE && who == 0 &&
		    doc_snap_at(d, (raster_pt)P(98.5, 99), 3 * RASTER_ONE, &q, &who) == DOC_SNAP_VERTEX && who == 0,
		    "0 for the image's border and corners");
	}
	tap_ok(doc_shape_stroke(DOC_ADD, NULL, 0, 256, &cause) == NULL && cause, "an empty stroke is refused");
	free(cause);
	cause = NULL;
	{
		raster_pt far[3] = { P(0, 0), { RASTER_COORD_MAX, 0 }, { 0, -RASTER_COORD_MAX - 1 } };
		raster_ring r = { far, 3 };

		tap_ok(doc_shape_polygon(DOC_ADD, &r, 1, &cause) == NULL && cause, "out-of-range vertices are refused");
		free(cause);
	}
	doc_free(d);
	return tap_done();
}
