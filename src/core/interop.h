/* interop.h: what the format modules (labelme, coco, voc, cityscapes) share.
 *
 * Imports: a foreign file gives, per image, objects (a class name each) and their shapes in the
 * order a painter would draw them, later over earlier. interop_build_doc turns that into a
 * document whose masks are exactly the painter's result under pxlabel's pixel rule.
 * Exports: outlines of exact masks (pixel-edge rings), and the checks every reader of a foreign
 * file needs (JSON with line and column, paths that must stay inside the data set, warnings). */
#ifndef PXL_INTEROP_H
#define PXL_INTEROP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "dataset.h"
#include "doc.h"
#include "raster.h"

#define INTEROP_MAX_WARNINGS 20 /* kept per file; the rest are counted */

struct interop_warnings {
	char **v; /* owned */
	size_t n;
	size_t dropped;
};

void interop_warn(struct interop_warnings *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void interop_warnings_free(struct interop_warnings *w);

/* Warns about each key of obj not in known (NULL-terminated): "FILE: WHERE: unknown field". */
void interop_warn_unknown(struct interop_warnings *w, const char *file, const char *where, json_t *obj,
    const char *const *known);

/* Reads a JSON file of at most max_bytes. Errors: "FILE:LINE:COLUMN: what". */
json_t *interop_load_json(const char *path, uint64_t max_bytes, char **cause)
    __attribute__((warn_unused_result));

/* root joined with rel, when rel stays inside root: rel must be relative, and no ".." may climb
 * above root. Backslashes count as folder separators (files written on Windows). A new string,
 * or NULL with *cause naming what and where. */
char *interop_path_inside(const char *root, const char *rel, const char *what, char **cause)
    __attribute__((warn_unused_result));

/* The folder part of path ("." when none); a new string. */
char *interop_dirname(const char *path);

/* Path of to relative to the folder from (both absolute or both relative to one place), e.g.
 * "../img/cat.jpg"; a new string. */
char *interop_relpath(const char *from_dir, const char *to);

/* ---- imports ---------------------------------------------------------------------------- */

struct interop_object {
	char *label;  /* owned: the class name */
	char *parent; /* owned, may be NULL: the parent class's name (COCO supercategory) */
	int want_id;  /* a class id to prefer when the class is added (COCO category id), or 0 */
	int behind;   /* 1: goes below every object that is not behind (COCO crowd regions) */
};

struct interop_piece {
	size_t object;            /* index into objects */
	struct doc_shape *shape;  /* owned reference */
};

/* One image's annotations as read from a foreign file. */
struct interop_image {
	char *image;              /* owned: the image file, as found */
	int w, h;                 /* as the file states them, 0 when it does not */
	struct interop_object *objects;
	size_t nobjects, capobjects;
	struct interop_piece *pieces; /* in drawing order: later ones lie over earlier ones */
	size_t npieces, cappieces;
	struct interop_warnings warnings;
};

/* Appends an object (copying the strings); returns its index. */
size_t interop_add_object(struct interop_image *im, const char *label, const char *parent,
    int want_id, int behind);
/* Appends a piece, taking the shape's reference. */
void interop_add_piece(struct interop_image *im, size_t object, struct doc_shape *shape);
void interop_image_free(struct interop_image *im);

/* The class id of each object (class_ids[i] for objects[i]) from ds, by name. Returns the
 * number of distinct labels that ds lacks, listed in *missing (a new array of borrowed names,
 * NULL when none). */
size_t interop_classes(const struct interop_image *im, const struct dataset *ds, int *class_ids,
    const char ***missing);

/* The document: object i becomes instance i + 1 (in the order of first appearance), instances
 * stacked by their last piece (objects marked behind below the rest), and wherever that order
 * differs from the drawing order a pixel-edge cut restores it, so the masks are exactly what
 * painting the pieces one after another gives. Objects without pieces are left out. */
int interop_build_doc(const struct interop_image *im, const int *class_ids, int w, int h,
    struct doc **out, char **cause) __attribute__((warn_unused_result));

/* The document of a class mask (cls, values = class ids) and optionally an instance mask (ids,
 * values = instance ids, may be NULL: then each class present is one instance): one instance per
 * id, a pixel-edge outline that fills to exactly its pixels. An instance whose pixels carry two
 * classes, or no class, is an error. */
int interop_doc_from_masks(const uint8_t *cls, const uint16_t *ids, int w, int h, struct doc **out,
    char **cause) __attribute__((warn_unused_result));

/* ---- exports ---------------------------------------------------------------------------- */

/* The pixels of a w x h id map equal to value, searched inside box: pixel-edge rings with
 * coordinates in the image (rings as raster_trace gives them; release with raster_rings_free).
 * *bbox gets the tight bounds, *area the pixel count. */
int interop_trace_value(const uint16_t *ids, int w, int h, uint16_t value, raster_rect box,
    raster_ring **rings, size_t *nrings, raster_rect *bbox, uint64_t *area, char **cause)
    __attribute__((warn_unused_result));

/* One closed path through all the rings: each ring in turn, joined from the first vertex of one
 * to the first vertex of the next by a seam walked once there and once back. The seams cancel
 * under both non-zero winding and even-odd filling, so the path fills like the rings (when they
 * are a traced outline). A new array of *n points. */
raster_pt *interop_join_rings(const raster_ring *rings, size_t nrings, size_t *n);

/* Whether any ring turns anticlockwise on screen (a hole of a traced outline). */
int interop_has_holes(const raster_ring *rings, size_t nrings);

/* An instance's own region (compose_region: added shapes minus cut shapes, whatever lies over
 * it), as 0/1 bytes of box (box.x1 - box.x0 wide). */
int interop_instance_region(const struct doc_instance *in, raster_rect box, uint8_t *mask,
    char **cause) __attribute__((warn_unused_result));

#endif
