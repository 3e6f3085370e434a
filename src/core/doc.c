/* doc.c: the annotation document and its undo history. */
#include "config.h"

#include "doc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

/* An edit, as the instance it touched before and after (NULL: absent), with its z-index; or a
 * review change. Snapshots share shapes with the document by reference. */
struct doc_step {
	uint16_t id;
	struct doc_instance *before, *after;
	size_t before_z, after_z;
	char *review_before, *review_after; /* both set for a review step */
	struct doc_note note_before, note_after;
};

static void note_free(struct doc_note *n)
{
	free(n->comment);
	free(n->by);
	memset(n, 0, sizeof(*n));
}

static struct doc_note note_copy(const struct doc_note *n)
{
	struct doc_note c = { NULL, NULL, 0 };

	if (n) {
		c.comment = n->comment ? xstrdup(n->comment) : NULL;
		c.by = n->by ? xstrdup(n->by) : NULL;
		c.time = n->time;
	}
	return c;
}

raster_rect doc_rect_union(raster_rect a, raster_rect b)
{
	if (doc_rect_empty(a))
		return b;
	if (doc_rect_empty(b))
		return a;
	a.x0 = a.x0 < b.x0 ? a.x0 : b.x0;
	a.y0 = a.y0 < b.y0 ? a.y0 : b.y0;
	a.x1 = a.x1 > b.x1 ? a.x1 : b.x1;
	a.y1 = a.y1 > b.y1 ? a.y1 : b.y1;
	return a;
}

raster_rect doc_rect_intersect(raster_rect a, raster_rect b)
{
	a.x0 = a.x0 > b.x0 ? a.x0 : b.x0;
	a.y0 = a.y0 > b.y0 ? a.y0 : b.y0;
	a.x1 = a.x1 < b.x1 ? a.x1 : b.x1;
	a.y1 = a.y1 < b.y1 ? a.y1 : b.y1;
	if (doc_rect_empty(a))
		a.x0 = a.y0 = a.x1 = a.y1 = 0;
	return a;
}

int doc_rect_empty(raster_rect r) { return r.x0 >= r.x1 || r.y0 >= r.y1; }

static const raster_rect no_rect = { 0, 0, 0, 0 };

struct doc *doc_new(int w, int h, char **cause)
{
	struct doc *d;

	if (w <= 0 || h <= 0 || w > RASTER_COORD_MAX_PX || h > RASTER_COORD_MAX_PX) {
		err_set(cause, "impossible image size %dx%d for a document", w, h);
		return NULL;
	}
	d = xcalloc(1, sizeof(*d));
	d->w = w;
	d->h = h;
	d->review = xstrdup("todo");
	return d;
}

static void shape_free(struct doc_shape *s)
{
	size_t i;

	for (i = 0; i < s->nrings; i++)
		free(s->rings[i].pts);
	free(s->rings);
	free(s->path);
	free(s);
}

void doc_shape_unref(struct doc_shape *s)
{
	if (s && --s->refs == 0)
		shape_free(s);
}

struct doc_shape *doc_shape_polygon(enum doc_shape_op op, const raster_ring *rings, size_t nrings,
    char **cause)
{
	struct doc_shape *s;
	size_t i, total = 0;

	if (nrings == 0) {
		err_set(cause, "an outline needs at least one ring");
		return NULL;
	}
	for (i = 0; i < nrings; i++) {
		if (rings[i].n < 3) {
			err_set(cause, "an outline needs at least 3 vertices, not %zu", rings[i].n);
			return NULL;
		}
		total += rings[i].n;
		if (total > RASTER_MAX_VERTICES) {
			err_set(cause, "an outline of more than %zu vertices", RASTER_MAX_VERTICES);
			return NULL;
		}
	}
	for (i = 0; i < nrings; i++) {
		size_t k;

		for (k = 0; k < rings[i].n; k++) {
			raster_pt p = rings[i].pts[k];

			if (p.x < -RASTER_COORD_MAX || p.x > RASTER_COORD_MAX || p.y < -RASTER_COORD_MAX ||
			    p.y > RASTER_COORD_MAX) {
				err_set(cause, "a vertex lies too far outside the image");
				return NULL;
			}
		}
	}
	s = xcalloc(1, sizeof(*s));
	s->kind = DOC_POLYGON;
	s->op = op;
	s->refs = 1;
	s->nrings = nrings;
	s->rings = xcalloc(nrings, sizeof(*s->rings));
	for (i = 0; i < nrings; i++) {
		s->rings[i].n = rings[i].n;
		s->rings[i].pts = xreallocarray(NULL, rings[i].n, sizeof(raster_pt));
		memcpy(s->rings[i].pts, rings[i].pts, rings[i].n * sizeof(raster_pt));
	}
	s->bounds = raster_bounds_rings(s->rings, s->nrings);
	return s;
}

struct doc_shape *doc_shape_stroke(enum doc_shape_op op, const raster_pt *path, size_t n,
    int32_t width, char **cause)
{
	struct doc_shape *s;
	size_t k;

	if (n == 0 || n > RASTER_MAX_VERTICES) {
		err_set(cause, "a stroke needs 1 to %zu points, not %zu", RASTER_MAX_VERTICES, n);
		return NULL;
	}
	if (width <= 0 || width > RASTER_COORD_MAX) {
		err_set(cause, "a stroke needs a positive width");
		return NULL;
	}
	for (k = 0; k < n; k++) {
		if (path[k].x < -RASTER_COORD_MAX || path[k].x > RASTER_COORD_MAX ||
		    path[k].y < -RASTER_COORD_MAX || path[k].y > RASTER_COORD_MAX) {
			err_set(cause, "a stroke point lies too far outside the image");
			return NULL;
		}
	}
	s = xcalloc(1, sizeof(*s));
	s->kind = DOC_STROKE;
	s->op = op;
	s->refs = 1;
	s->npath = n;
	s->path = xreallocarray(NULL, n, sizeof(raster_pt));
	memcpy(s->path, path, n * sizeof(raster_pt));
	s->width = width;
	s->bounds = raster_bounds_stroke(s->path, n, width);
	return s;
}

static void instance_free(struct doc_instance *in)
{
	size_t i;

	if (!in)
		return;
	for (i = 0; i < in->nshapes; i++)
		doc_shape_unref(in->shapes[i]);
	free(in->shapes);
	free(in);
}

static void instance_update(struct doc_instance *in)
{
	size_t i;

	in->bounds = no_rect;
	in->ncuts = 0;
	for (i = 0; i < in->nshapes; i++) {
		if (in->shapes[i]->op == DOC_CUT)
			in->ncuts++;
		else
			in->bounds = doc_rect_union(in->bounds, in->shapes[i]->bounds);
	}
}

static struct doc_instance *instance_copy(const struct doc_instance *in)
{
	struct doc_instance *c;
	size_t i;

	if (!in)
		return NULL;
	c = xmalloc(sizeof(*c));
	*c = *in;
	c->shapes = xreallocarray(NULL, in->nshapes ? in->nshapes : 1, sizeof(*c->shapes));
	for (i = 0; i < in->nshapes; i++) {
		c->shapes[i] = in->shapes[i];
		c->shapes[i]->refs++;
	}
	return c;
}

static void step_free(struct doc_step *s)
{
	instance_free(s->before);
	instance_free(s->after);
	free(s->review_before);
	free(s->review_after);
	note_free(&s->note_before);
	note_free(&s->note_after);
}

static void steps_clear(struct doc_step *steps, size_t *n)
{
	size_t i;

	for (i = 0; i < *n; i++)
		step_free(&steps[i]);
	*n = 0;
}

void doc_clear_history(struct doc *d)
{
	steps_clear(d->undo, &d->nundo);
	steps_clear(d->redo, &d->nredo);
}

void doc_free(struct doc *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->ninst; i++)
		instance_free(d->inst[i]);
	free(d->inst);
	doc_clear_history(d);
	free(d->undo);
	free(d->redo);
	free(d->review);
	note_free(&d->note);
	free(d);
}

int doc_z_index(const struct doc *d, uint16_t id)
{
	size_t i;

	for (i = 0; i < d->ninst; i++)
		if (d->inst[i]->id == id)
			return (int)i;
	return -1;
}

struct doc_instance *doc_instance(const struct doc *d, uint16_t id)
{
	int z = doc_z_index(d, id);

	return z < 0 ? NULL : d->inst[z];
}

/* Removes the live instance id (if any), then inserts in (if not NULL, taken) at z. Returns
 * the pixels that may change. */
static raster_rect put(struct doc *d, uint16_t id, struct doc_instance *in, size_t z)
{
	raster_rect dirty = no_rect;
	int old = doc_z_index(d, id);

	if (old >= 0) {
		dirty = d->inst[old]->bounds;
		instance_free(d->inst[old]);
		memmove(d->inst + old, d->inst + old + 1, (d->ninst - (size_t)old - 1) * sizeof(*d->inst));
		d->ninst--;
	}
	if (in) {
		if (z > d->ninst)
			z = d->ninst;
		if (d->ninst == d->capinst) {
			d->capinst = d->capinst ? d->capinst * 2 : 16;
			d->inst = xreallocarray(d->inst, d->capinst, sizeof(*d->inst));
		}
		memmove(d->inst + z + 1, d->inst + z, (d->ninst - z) * sizeof(*d->inst));
		d->inst[z] = in;
		d->ninst++;
		dirty = doc_rect_union(dirty, in->bounds);
	}
	d->edits++;
	return doc_rect_intersect(dirty, (raster_rect){ 0, 0, d->w, d->h });
}

static void push(struct doc_step **stack, size_t *n, size_t *cap, struct doc_step s)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		*stack = xreallocarray(*stack, *cap, sizeof(**stack));
	}
	(*stack)[(*n)++] = s;
}

/* Makes in (taken; NULL deletes) the new state of instance id at z-index z, as one undo step. */
static void commit(struct doc *d, uint16_t id, struct doc_instance *in, size_t z, raster_rect *dirty)
{
	struct doc_step s;
	int old = doc_z_index(d, id);
	raster_rect r;

	memset(&s, 0, sizeof(s));
	s.id = id;
	s.before = old >= 0 ? instance_copy(d->inst[old]) : NULL;
	s.before_z = old >= 0 ? (size_t)old : 0;
	if (in)
		instance_update(in);
	s.after = instance_copy(in);
	s.after_z = z;
	r = put(d, id, in, z);
	if (dirty)
		*dirty = r;
	steps_clear(d->redo, &d->nredo);
	push(&d->undo, &d->nundo, &d->capundo, s);
}

static int check_class(int class_id, char **cause)
{
	if (class_id < 1 || class_id > DOC_MAX_CLASS)
		return err_set(cause, "class id %d is outside 1..%d", class_id, DOC_MAX_CLASS);
	return 0;
}

static uint16_t new_id(const struct doc *d)
{
	unsigned max = 0, id;
	size_t i;
	uint8_t *used;

	for (i = 0; i < d->ninst; i++)
		if (d->inst[i]->id > max)
			max = d->inst[i]->id;
	if (max < DOC_MAX_INSTANCES)
		return (uint16_t)(max + 1);
	/* Ids ran out at the top: take the lowest free one. */
	used = xcalloc(DOC_MAX_INSTANCES + 1, 1);
	for (i = 0; i < d->ninst; i++)
		used[d->inst[i]->id] = 1;
	for (id = 1; id <= DOC_MAX_INSTANCES && used[id]; id++)
		;
	free(used);
	return id <= DOC_MAX_INSTANCES ? (uint16_t)id : 0;
}

int doc_add_instance(struct doc *d, int class_id, uint16_t parent, enum doc_place place,
    struct doc_shape *shape, uint16_t *id_out, raster_rect *dirty, char **cause)
{
	struct doc_instance *in;
	uint16_t id;

	if (check_class(class_id, cause) != 0)
		goto fail;
	if (shape->op != DOC_ADD) {
		err_set(cause, "a new instance starts with an added shape, not a cut");
		goto fail;
	}
	if (parent && !doc_instance(d, parent)) {
		err_set(cause, "no instance #%u to be the parent", parent);
		goto fail;
	}
	id = d->ninst >= DOC_MAX_INSTANCES ? 0 : new_id(d);
	if (!id) {
		err_set(cause, "an image holds at most %d instances", DOC_MAX_INSTANCES);
		goto fail;
	}
	in = xcalloc(1, sizeof(*in));
	in->id = id;
	in->class_id = (uint8_t)class_id;
	in->parent = parent;
	in->shapes = xmalloc(sizeof(*in->shapes));
	in->shapes[0] = shape;
	in->nshapes = 1;
	commit(d, id, in, place == DOC_OVER ? d->ninst : 0, dirty);
	if (id_out)
		*id_out = id;
	return 0;
fail:
	doc_shape_unref(shape);
	return -1;
}

/* A working copy of instance id for an edit, or NULL with *cause. */
static struct doc_instance *edit_copy(const struct doc *d, uint16_t id, int *z, char **cause)
{
	*z = doc_z_index(d, id);
	if (*z < 0) {
		err_set(cause, "no instance #%u", id);
		return NULL;
	}
	return instance_copy(d->inst[*z]);
}

int doc_add_shape(struct doc *d, uint16_t id, struct doc_shape *shape, raster_rect *dirty,
    char **cause)
{
	struct doc_instance *in;
	int z;

	in = edit_copy(d, id, &z, cause);
	if (!in)
		goto fail;
	if (in->nshapes >= DOC_MAX_SHAPES) {
		err_set(cause, "instance #%u already has %d shapes", id, DOC_MAX_SHAPES);
		instance_free(in);
		goto fail;
	}
	in->shapes = xreallocarray(in->shapes, in->nshapes + 1, sizeof(*in->shapes));
	in->shapes[in->nshapes++] = shape;
	/* A cut changes pixels only where it overlaps; the instance's own bounds do not grow. */
	commit(d, id, in, (size_t)z, dirty);
	return 0;
fail:
	doc_shape_unref(shape);
	return -1;
}

int doc_replace_shape(struct doc *d, uint16_t id, size_t index, struct doc_shape *shape,
    raster_rect *dirty, char **cause)
{
	struct doc_instance *in;
	raster_rect r;
	int z;

	in = edit_copy(d, id, &z, cause);
	if (!in)
		goto fail;
	if (index >= in->nshapes) {
		err_set(cause, "instance #%u has no shape %zu", id, index);
		instance_free(in);
		goto fail;
	}
	r = doc_rect_union(in->shapes[index]->bounds, shape->bounds);
	doc_shape_unref(in->shapes[index]);
	in->shapes[index] = shape;
	commit(d, id, in, (size_t)z, dirty);
	if (dirty)
		*dirty = doc_rect_union(*dirty, doc_rect_intersect(r, (raster_rect){ 0, 0, d->w, d->h }));
	return 0;
fail:
	doc_shape_unref(shape);
	return -1;
}

int doc_remove_shape(struct doc *d, uint16_t id, size_t index, raster_rect *dirty, char **cause)
{
	struct doc_instance *in;
	int z;

	in = edit_copy(d, id, &z, cause);
	if (!in)
		return -1;
	if (index >= in->nshapes) {
		instance_free(in);
		return err_set(cause, "instance #%u has no shape %zu", id, index);
	}
	if (in->nshapes == 1) {
		/* An instance with no shape would be invisible but still counted: delete it. */
		instance_free(in);
		commit(d, id, NULL, 0, dirty);
		return 0;
	}
	doc_shape_unref(in->shapes[index]);
	memmove(in->shapes + index, in->shapes + index + 1, (in->nshapes - index - 1) * sizeof(*in->shapes));
	in->nshapes--;
	commit(d, id, in, (size_t)z, dirty);
	return 0;
}

int doc_delete_instance(struct doc *d, uint16_t id, raster_rect *dirty, char **cause)
{
	if (!doc_instance(d, id))
		return err_set(cause, "no instance #%u", id);
	/* Its parts keep their parent id, so undoing the delete restores the nesting for free; a
	 * parent that is not there reads as none (the sidecar writes 0 for it). */
	commit(d, id, NULL, 0, dirty);
	return 0;
}

int doc_set_class(struct doc *d, uint16_t id, int class_id, raster_rect *dirty, char **cause)
{
	struct doc_instance *in;
	int z;

	if (check_class(class_id, cause) != 0)
		return -1;
	in = edit_copy(d, id, &z, cause);
	if (!in)
		return -1;
	in->class_id = (uint8_t)class_id;
	commit(d, id, in, (size_t)z, dirty);
	return 0;
}

int doc_set_parent(struct doc *d, uint16_t id, uint16_t parent, char **cause)
{
	struct doc_instance *in, *p;
	unsigned hops = 0;
	int z;

	if (parent) {
		if (parent == id)
			return err_set(cause, "instance #%u cannot be its own parent", id);
		/* Walk up from the new parent: meeting id would close a cycle. */
		for (p = doc_instance(d, parent); p; p = p->parent ? doc_instance(d, p->parent) : NULL) {
			if (p->id == id || ++hops > DOC_MAX_INSTANCES)
				return err_set(cause, "#%u is already part of #%u: that would be a cycle", parent, id);
		}
		if (!doc_instance(d, parent))
			return err_set(cause, "no instance #%u to be the parent", parent);
	}
	in = edit_copy(d, id, &z, cause);
	if (!in)
		return -1;
	in->parent = parent;
	commit(d, id, in, (size_t)z, NULL);
	return 0;
}

int doc_move(struct doc *d, uint16_t id, size_t index, raster_rect *dirty, char **cause)
{
	struct doc_instance *in;
	int z;

	in = edit_copy(d, id, &z, cause);
	if (!in)
		return -1;
	if (index >= d->ninst)
		index = d->ninst - 1;
	commit(d, id, in, index, dirty);
	return 0;
}

int doc_note_check(const char *s, size_t max, const char *what, char **cause)
{
	const unsigned char *p;

	if (!s)
		return 0;
	if (strlen(s) > max)
		return err_set(cause, "a %s is at most %zu bytes", what, max);
	/* Well-formed UTF-8 without controls: the note is shown on a status line. */
	for (p = (const unsigned char *)s; *p;) {
		size_t len, k;
		uint32_t cp;

		if (*p < 0x20 || *p == 0x7f)
			return err_set(cause, "a %s has a control character", what);
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			len = 2, cp = *p & 0x1f;
		else if (*p >= 0xe0 && *p <= 0xef)
			len = 3, cp = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf4)
			len = 4, cp = *p & 0x07;
		else
			return err_set(cause, "a %s is not valid UTF-8", what);
		for (k = 1; k < len; k++) {
			if ((p[k] & 0xc0) != 0x80)
				return err_set(cause, "a %s is not valid UTF-8", what);
			cp = cp << 6 | (p[k] & 0x3f);
		}
		if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp < 0xa0))
			return err_set(cause, "a %s is not valid UTF-8", what);
		p += len;
	}
	return 0;
}

int doc_set_review(struct doc *d, const char *state, char **cause)
{
	return doc_set_review_note(d, state, NULL, cause);
}

int doc_set_review_note(struct doc *d, const char *state, const struct doc_note *note, char **cause)
{
	struct doc_step s;
	size_t n = strlen(state);

	if (n == 0 || n > 32)
		return err_set(cause, "a review state is 1 to 32 characters");
	if (note && (doc_note_check(note->comment, DOC_MAX_COMMENT, "review comment", cause) != 0 ||
	    doc_note_check(note->by, DOC_MAX_REVIEWER, "reviewer's name", cause) != 0))
		return -1;
	memset(&s, 0, sizeof(s));
	s.review_before = d->review;
	s.review_after = xstrdup(state);
	s.note_before = d->note;
	s.note_after = note_copy(note);
	d->review = xstrdup(state);
	d->note = note_copy(note);
	d->edits++;
	steps_clear(d->redo, &d->nredo);
	push(&d->undo, &d->nundo, &d->capundo, s);
	return 0;
}

/* Moves the top step of from onto to, bringing the document to its before (undo) or after
 * (redo) state. */
static int travel(struct doc *d, struct doc_step *from, size_t *nfrom, struct doc_step **to,
    size_t *nto, size_t *capto, int backwards, raster_rect *dirty)
{
	struct doc_step s;
	raster_rect r = no_rect;

	if (*nfrom == 0)
		return 0;
	s = from[--*nfrom];
	if (s.review_before) {
		free(d->review);
		d->review = xstrdup(backwards ? s.review_before : s.review_after);
		note_free(&d->note);
		d->note = note_copy(backwards ? &s.note_before : &s.note_after);
		d->edits++;
	} else {
		struct doc_instance *target = backwards ? s.before : s.after;

		r = put(d, s.id, instance_copy(target), backwards ? s.before_z : s.after_z);
	}
	push(to, nto, capto, s);
	if (dirty)
		*dirty = r;
	return 1;
}

int doc_undo(struct doc *d, raster_rect *dirty)
{
	return travel(d, d->undo, &d->nundo, &d->redo, &d->nredo, &d->capredo, 1, dirty);
}

int doc_redo(struct doc *d, raster_rect *dirty)
{
	return travel(d, d->redo, &d->nredo, &d->undo, &d->nundo, &d->capundo, 0, dirty);
}

int doc_load_instance(struct doc *d, uint16_t id, int class_id, uint16_t parent,
    struct doc_shape **shapes, size_t nshapes, char **cause)
{
	struct doc_instance *in;
	size_t i;

	if (id == 0 || doc_instance(d, id)) {
		err_set(cause, id ? "instance #%u appears twice" : "instance id 0 is reserved for none", id);
		goto fail;
	}
	if (check_class(class_id, cause) != 0)
		goto fail;
	if (nshapes == 0 || nshapes > DOC_MAX_SHAPES) {
		err_set(cause, "instance #%u has %zu shapes (1 to %d allowed)", id, nshapes, DOC_MAX_SHAPES);
		goto fail;
	}
	in = xcalloc(1, sizeof(*in));
	in->id = id;
	in->class_id = (uint8_t)class_id;
	in->parent = parent;
	in->shapes = xreallocarray(NULL, nshapes, sizeof(*in->shapes));
	memcpy(in->shapes, shapes, nshapes * sizeof(*shapes));
	in->nshapes = nshapes;
	instance_update(in);
	put(d, id, in, d->ninst);
	return 0;
fail:
	for (i = 0; i < nshapes; i++)
		doc_shape_unref(shapes[i]);
	return -1;
}

/* Squared distance from p to segment ab, and the nearest point on it (doubles: snapping to an
 * edge rounds to the grid anyway; vertices, which must be exact, are compared in integers). */
static double seg_nearest(raster_pt p, raster_pt a, raster_pt b, raster_pt *q)
{
	double dx = (double)b.x - a.x, dy = (double)b.y - a.y, len2 = dx * dx + dy * dy, t = 0, qx, qy;

	if (len2 > 0) {
		t = (((double)p.x - a.x) * dx + ((double)p.y - a.y) * dy) / len2;
		t = t < 0 ? 0 : t > 1 ? 1 : t;
	}
	qx = floor(a.x + t * dx + 0.5);
	qy = floor(a.y + t * dy + 0.5);
	q->x = (int32_t)qx;
	q->y = (int32_t)qy;
	return (qx - p.x) * (qx - p.x) + (qy - p.y) * (qy - p.y);
}

enum doc_snap_kind doc_snap(const struct doc *d, raster_pt p, int32_t radius, raster_pt *out)
{
	return doc_snap_at(d, p, radius, out, NULL);
}

enum doc_snap_kind doc_snap_at(const struct doc *d, raster_pt p, int32_t radius, raster_pt *out,
    uint16_t *inst)
{
	int64_t r2 = (int64_t)radius * radius, best_v = INT64_MAX;
	double best_e = (double)r2 + 1;
	raster_pt bv = p, be = p;
	uint16_t iv = 0, ie = 0;
	size_t i, s, k, j;

	for (i = 0; i < d->ninst; i++) {
		const struct doc_instance *in = d->inst[i];

		for (s = 0; s < in->nshapes; s++) {
			const struct doc_shape *sh = in->shapes[s];
			raster_rect b = sh->bounds;
			int32_t pxx = p.x / RASTER_ONE, pxy = p.y / RASTER_ONE, rp = radius / RASTER_ONE + 2;

			/* Far-away shapes are skipped by their bounds: placing a vertex stays cheap with
			 * hundreds of instances. */
			if (pxx < b.x0 - rp || pxx > b.x1 + rp || pxy < b.y0 - rp || pxy > b.y1 + rp)
				continue;
			for (j = 0; j < (sh->kind == DOC_POLYGON ? sh->nrings : 1); j++) {
				const raster_pt *pts = sh->kind == DOC_POLYGON ? sh->rings[j].pts : sh->path;
				size_t n = sh->kind == DOC_POLYGON ? sh->rings[j].n : sh->npath;

				for (k = 0; k < n; k++) {
					int64_t dx = (int64_t)pts[k].x - p.x, dy = (int64_t)pts[k].y - p.y;
					int64_t d2 = dx * dx + dy * dy;
					raster_pt q;
					double e2;

					if (d2 <= r2 && d2 < best_v) {
						best_v = d2;
						bv = pts[k];
						iv = in->id;
					}
					if (sh->kind == DOC_STROKE && k + 1 == n)
						break;
					e2 = seg_nearest(p, pts[k], pts[(k + 1) % n], &q);
					if (e2 <= (double)r2 && e2 < best_e) {
						best_e = e2;
						be = q;
						ie = in->id;
					}
				}
			}
		}
	}
	/* The image's border snaps too: objects that run off the picture end exactly on its edge,
	 * which the cursor could not otherwise reach when the image fills the screen. */
	{
		raster_pt c[4] = { { 0, 0 }, { d->w * RASTER_ONE, 0 }, { d->w * RASTER_ONE, d->h * RASTER_ONE },
			{ 0, d->h * RASTER_ONE } };

		for (k = 0; k < 4; k++) {
			int64_t dx = (int64_t)c[k].x - p.x, dy = (int64_t)c[k].y - p.y, d2 = dx * dx + dy * dy;
			raster_pt q;
			double e2;

			if (d2 <= r2 && d2 < best_v) {
				best_v = d2;
				bv = c[k];
				iv = 0;
			}
			e2 = seg_nearest(p, c[k], c[(k + 1) % 4], &q);
			if (e2 <= (double)r2 && e2 < best_e) {
				best_e = e2;
				be = q;
				ie = 0;
			}
		}
	}
	if (best_v != INT64_MAX) {
		*out = bv;
		if (inst)
			*inst = iv;
		return DOC_SNAP_VERTEX;
	}
	if (inst)
		*inst = ie;
	if (best_e <= (double)r2) {
		*out = be;
		return DOC_SNAP_EDGE;
	}
	*out = p;
	return DOC_SNAP_NONE;
}
