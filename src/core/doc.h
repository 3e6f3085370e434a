/* doc.h: the annotation document, the source of truth that masks are derived from.
 *
 * Instances are objects: a class, an optional parent instance (the wheel of car #2) and a place
 * in the z-order. An instance's region is the union of its added shapes minus the union of its
 * cut shapes; each pixel belongs to the top-most instance whose region covers it (compose.h).
 * Shapes are polygons (one or more rings, non-zero winding: drawn outlines, freehand outlines,
 * pixel-edge outlines) or brush strokes (a path and a width), in raster.h's fixed point.
 *
 * Every edit is one undoable step, without a fixed limit. Shapes are immutable and shared by
 * reference count between the live document and the undo history, so a step costs a copy of
 * one instance's shape pointers, not of its vertices. Each edit reports the pixel rectangle
 * whose masks it may change, so only that rectangle is recomposed. */
#ifndef PXL_DOC_H
#define PXL_DOC_H

#include <stddef.h>
#include <stdint.h>

#include "raster.h"

#define DOC_MAX_INSTANCES 65535 /* ids fit the 16-bit instance mask */
#define DOC_MAX_CLASS 255       /* class ids fit the 8-bit class mask */
#define DOC_MAX_SHAPES 100000   /* per instance */

enum doc_shape_kind { DOC_POLYGON, DOC_STROKE };
enum doc_shape_op { DOC_ADD, DOC_CUT };
enum doc_place { DOC_OVER, DOC_BEHIND };

struct doc_shape {
	enum doc_shape_kind kind;
	enum doc_shape_op op;
	raster_ring *rings; /* DOC_POLYGON: owned, each ring's pts owned */
	size_t nrings;
	raster_pt *path;    /* DOC_STROKE: owned */
	size_t npath;
	int32_t width;      /* DOC_STROKE: 1/RASTER_ONE pixel */
	raster_rect bounds; /* pixels it can cover */
	int refs;
};

struct doc_instance {
	uint16_t id;        /* 1..65535: the value in the instance mask */
	uint8_t class_id;   /* 1..255: the value in the class mask */
	uint16_t parent;    /* 0, or the id of the instance this one is part of */
	struct doc_shape **shapes; /* owned array; each shape shared by reference */
	size_t nshapes;
	int ncuts;          /* how many shapes are DOC_CUT */
	raster_rect bounds; /* union of the added shapes' bounds */
};

struct doc_step; /* one undoable edit, private to doc.c */

#define DOC_MAX_COMMENT 1000 /* bytes of a review comment (UTF-8) */
#define DOC_MAX_REVIEWER 64  /* bytes of a reviewer's name */

/* What goes with a review state: all optional (NULL / 0 when the sidecar has none). */
struct doc_note {
	char *comment; /* owned: why an image was rejected, UTF-8 */
	char *by;      /* owned: who set the state */
	int64_t time;  /* when, seconds since the epoch */
};

struct doc {
	int w, h;                    /* the image's upright size in pixels */
	struct doc_instance **inst;  /* z-order: inst[0] at the bottom, inst[ninst - 1] on top */
	size_t ninst, capinst;
	struct doc_step *undo, *redo; /* stacks (arrays), most recent last */
	size_t nundo, capundo, nredo, capredo;
	uint64_t edits;              /* counts every change, undo and redo included: autosave
	                                compares it with the count at the last save */
	char *review;                /* review state ("todo", "done", ...); owned, never NULL */
	struct doc_note note;        /* who set the state, when, and the reviewer's comment */
};

/* A new, empty document for a w x h image. NULL with *cause on an impossible size. */
struct doc *doc_new(int w, int h, char **cause);
void doc_free(struct doc *d);

/* Shapes. The constructors copy the points; the new shape has one reference, which the edit
 * functions below take over (or drop on failure). */
struct doc_shape *doc_shape_polygon(enum doc_shape_op op, const raster_ring *rings, size_t nrings,
    char **cause);
struct doc_shape *doc_shape_stroke(enum doc_shape_op op, const raster_pt *path, size_t n,
    int32_t width, char **cause);
void doc_shape_unref(struct doc_shape *s);

/* Lookups; NULL / -1 when there is no such instance. */
struct doc_instance *doc_instance(const struct doc *d, uint16_t id);
int doc_z_index(const struct doc *d, uint16_t id);

/* Edits. Each is one undo step; each sets *dirty (may be NULL) to the pixels whose masks may
 * change. Return 0, or -1 with *cause and the document unchanged. */
int doc_add_instance(struct doc *d, int class_id, uint16_t parent, enum doc_place place,
    struct doc_shape *shape, uint16_t *id_out, raster_rect *dirty, char **cause);
/* Adds (DOC_ADD) to or cuts (DOC_CUT) from an existing instance, by the shape's op. */
int doc_add_shape(struct doc *d, uint16_t id, struct doc_shape *shape, raster_rect *dirty,
    char **cause);
int doc_replace_shape(struct doc *d, uint16_t id, size_t index, struct doc_shape *shape,
    raster_rect *dirty, char **cause);
int doc_remove_shape(struct doc *d, uint16_t id, size_t index, raster_rect *dirty, char **cause);
int doc_delete_instance(struct doc *d, uint16_t id, raster_rect *dirty, char **cause);
int doc_set_class(struct doc *d, uint16_t id, int class_id, raster_rect *dirty, char **cause);
/* Parent 0 clears it. Refuses cycles and unknown parents. */
int doc_set_parent(struct doc *d, uint16_t id, uint16_t parent, char **cause);
/* Moves the instance to z-index index (0 = bottom), clamped. */
int doc_move(struct doc *d, uint16_t id, size_t index, raster_rect *dirty, char **cause);
int doc_set_review(struct doc *d, const char *state, char **cause);
/* The state with its note (copied; note may be NULL for none), one undo step with it. Refuses a
 * comment or name over its limit, with control characters or invalid UTF-8. */
int doc_set_review_note(struct doc *d, const char *state, const struct doc_note *note, char **cause);
/* 0 when s (may be NULL) is fit for a note field of at most max bytes, else -1 with *cause. */
int doc_note_check(const char *s, size_t max, const char *what, char **cause);

/* Undo and redo: 1 when done (with *dirty), 0 when there is nothing to undo or redo. */
int doc_undo(struct doc *d, raster_rect *dirty);
int doc_redo(struct doc *d, raster_rect *dirty);

/* Loading: inserts an instance on top with the given id (no undo step), taking the shapes.
 * For sidecar and import code that rebuilds a document. */
int doc_load_instance(struct doc *d, uint16_t id, int class_id, uint16_t parent,
    struct doc_shape **shapes, size_t nshapes, char **cause);
/* Forgets the undo and redo history (after loading). */
void doc_clear_history(struct doc *d);

enum doc_snap_kind { DOC_SNAP_NONE, DOC_SNAP_VERTEX, DOC_SNAP_EDGE };
/* The nearest existing vertex (or image corner) within radius of p (1/RASTER_ONE units), else
 * the nearest point on an existing polygon edge, stroke path or the image's border within
 * radius, rounded to the fixed-point grid; vertices win over edges so outlines share their
 * corners exactly. Returns the kind and sets *out (p itself for DOC_SNAP_NONE). */
enum doc_snap_kind doc_snap(const struct doc *d, raster_pt p, int32_t radius, raster_pt *out);
/* The same, and *inst (may be NULL) the instance whose vertex or edge it is: 0 for the image's
 * corners and border (and for DOC_SNAP_NONE). */
enum doc_snap_kind doc_snap_at(const struct doc *d, raster_pt p, int32_t radius, raster_pt *out,
    uint16_t *inst);

/* Rect helpers used throughout. */
raster_rect doc_rect_union(raster_rect a, raster_rect b);
raster_rect doc_rect_intersect(raster_rect a, raster_rect b);
int doc_rect_empty(raster_rect r);

#endif
