/* labelme.c: LabelMe JSON, read into objects and pieces, written from a document. */
#include "config.h"

#include "labelme.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "err.h"
#include "text.h"
#include "xalloc.h"

/* ---- reading ------------------------------------------------------------------------------- */

/* Instances by (label, group_id): an open-addressing table of object indices. */
struct groups {
	size_t *slot; /* object index + 1, 0 = empty */
	long long *gid;
	size_t cap;
};

static uint64_t hash_key(const char *label, long long gid)
{
	uint64_t h = 1469598103934665603ull ^ (uint64_t)gid;

	for (; *label; label++)
		h = (h ^ (unsigned char)*label) * 1099511628211ull;
	return h ^ (h >> 29);
}

/* The object of (label, gid), made when new. */
static size_t group_object(struct groups *g, struct interop_image *im, const char *label, long long gid)
{
	size_t i;

	if (im->nobjects * 2 + 2 > g->cap) {
		struct groups bigger = { NULL, NULL, g->cap ? g->cap * 4 : 64 };

		bigger.slot = xcalloc(bigger.cap, sizeof(size_t));
		bigger.gid = xcalloc(bigger.cap, sizeof(long long));
		for (i = 0; i < g->cap; i++) {
			size_t o, k;

			if (!g->slot[i])
				continue;
			o = g->slot[i] - 1;
			for (k = hash_key(im->objects[o].label, g->gid[i]) % bigger.cap; bigger.slot[k];
			     k = (k + 1) % bigger.cap)
				;
			bigger.slot[k] = g->slot[i];
			bigger.gid[k] = g->gid[i];
		}
		free(g->slot);
		free(g->gid);
		*g = bigger;
	}
	for (i = hash_key(label, gid) % g->cap; g->slot[i]; i = (i + 1) % g->cap)
		if (g->gid[i] == gid && !strcmp(im->objects[g->slot[i] - 1].label, label))
			return g->slot[i] - 1;
	g->slot[i] = interop_add_object(im, label, NULL, 0, 0) + 1;
	g->gid[i] = gid;
	return g->slot[i] - 1;
}

struct reader {
	const char *path;
	char **cause;
	size_t vertices;
};

static int get_points(struct reader *r, json_t *a, const char *where, raster_pt **out, size_t *n)
{
	size_t i, len;
	raster_pt *pts;

	if (!json_is_array(a))
		return err_set(r->cause, "%s: %s: \"points\" must be a list of [x, y]", r->path, where);
	len = json_array_size(a);
	if (len > RASTER_MAX_VERTICES - r->vertices)
		return err_set(r->cause, "%s: %s: more than %zu points in one file", r->path, where,
		    RASTER_MAX_VERTICES);
	r->vertices += len;
	pts = xreallocarray(NULL, len ? len : 1, sizeof(*pts));
	for (i = 0; i < len; i++) {
		json_t *p = json_array_get(a, i), *x = json_array_get(p, 0), *y = json_array_get(p, 1);
		double vx, vy;

		if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(x) || !json_is_number(y)) {
			free(pts);
			return err_set(r->cause, "%s: %s.points[%zu]: a point must be [x, y]", r->path, where, i);
		}
		vx = json_number_value(x);
		vy = json_number_value(y);
		if (!isfinite(vx) || !isfinite(vy) || fabs(vx) > RASTER_COORD_MAX_PX || fabs(vy) > RASTER_COORD_MAX_PX) {
			free(pts);
			return err_set(r->cause, "%s: %s.points[%zu]: coordinate out of range", r->path, where, i);
		}
		pts[i] = raster_pt_from_double(vx, vy);
	}
	*out = pts;
	*n = len;
	return 0;
}

/* The image imagePath names, relative to the JSON file's folder, inside root. */
static char *image_path(struct reader *r, const char *root, const char *image)
{
	char *dir = interop_dirname(r->path), *rdir = NULL, *rroot = NULL, *rel = NULL, *out = NULL;
	size_t n;

	if (!root) {
		out = interop_path_inside(dir, image, "imagePath", r->cause);
		goto done;
	}
	rdir = realpath(dir, NULL);
	rroot = realpath(root, NULL);
	if (!rdir || !rroot) {
		err_set(r->cause, "%s: %s", rroot ? dir : root, strerror(errno));
		goto done;
	}
	n = strlen(rroot);
	if (strcmp(rroot, "/") && (strncmp(rdir, rroot, n) || (rdir[n] && rdir[n] != '/'))) {
		err_set(r->cause, "%s: the file lies outside the data set folder %s", r->path, root);
		goto done;
	}
	rel = xasprintf("%s%s%s", rdir + (strcmp(rroot, "/") ? n : 0), rdir[n] ? "/" : "", image);
	out = interop_path_inside(root, rel[0] == '/' ? rel + 1 : rel, "imagePath", r->cause);
done:
	if (!out && r->cause && *r->cause) {
		char *c = *r->cause, *shown = text_message(r->path);

		/* The cause shows the path as err_set made it visible. */
		if (!strstr(c, shown)) {
			*r->cause = NULL;
			err_set(r->cause, "%s: %s", r->path, c);
			free(c);
		}
		free(shown);
	}
	free(dir);
	free(rdir);
	free(rroot);
	free(rel);
	return out;
}

static long long get_size(json_t *root, const char *key)
{
	json_t *v = json_object_get(root, key);

	if (!json_is_integer(v))
		return 0;
	return json_integer_value(v);
}

int labelme_read(const char *path, const struct labelme_opts *opts, struct interop_image *out,
    char **cause)
{
	static const char *const known_top[] = { "version", "flags", "shapes", "imagePath", "imageData",
		"imageHeight", "imageWidth", "lineColor", "fillColor", NULL };
	static const char *const known_shape[] = { "label", "points", "group_id", "shape_type", "flags",
		"description", "mask", "line_color", "fill_color", NULL };
	struct reader r = { path, cause, 0 };
	struct groups g = { NULL, NULL, 0 };
	json_t *root, *shapes;
	const char *image;
	long long w, h;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	root = interop_load_json(path, LABELME_MAX_BYTES, cause);
	if (!root)
		return -1;
	if (!json_is_object(root)) {
		err_set(cause, "%s: not a LabelMe file (the top level is not an object)", path);
		goto out;
	}
	interop_warn_unknown(&out->warnings, path, "top level", root, known_top);
	shapes = json_object_get(root, "shapes");
	image = json_string_value(json_object_get(root, "imagePath"));
	if (!json_is_array(shapes) || !image) {
		err_set(cause, "%s: not a LabelMe file (\"shapes\" and \"imagePath\" are needed)", path);
		goto out;
	}
	w = get_size(root, "imageWidth");
	h = get_size(root, "imageHeight");
	if (w < 0 || h < 0 || w > RASTER_COORD_MAX_PX || h > RASTER_COORD_MAX_PX) {
		err_set(cause, "%s: imageWidth and imageHeight must be sizes in pixels", path);
		goto out;
	}
	out->w = (int)w;
	out->h = (int)h;
	out->image = image_path(&r, opts->root, image);
	if (!out->image)
		goto out;
	if (json_array_size(shapes) > LABELME_MAX_SHAPES) {
		err_set(cause, "%s: %zu shapes, over the limit of %d", path, json_array_size(shapes), LABELME_MAX_SHAPES);
		goto out;
	}
	for (i = 0; i < json_array_size(shapes); i++) {
		json_t *s = json_array_get(shapes, i), *gid;
		const char *label, *type;
		struct doc_shape *shape = NULL;
		raster_pt *pts = NULL;
		size_t n = 0, obj;
		char where[32], quoted[TEXT_QUOTE_BUF];

		snprintf(where, sizeof(where), "shapes[%zu]", i);
		if (!json_is_object(s)) {
			err_set(cause, "%s: %s: a shape must be an object", path, where);
			goto out;
		}
		interop_warn_unknown(&out->warnings, path, where, s, known_shape);
		label = json_string_value(json_object_get(s, "label"));
		if (!label || !*label) {
			err_set(cause, "%s: %s: \"label\" must be a non-empty string", path, where);
			goto out;
		}
		type = json_string_value(json_object_get(s, "shape_type"));
		if (!type)
			type = "polygon"; /* files from LabelMe 3 have none */
		gid = json_object_get(s, "group_id");
		if (gid && !json_is_null(gid) && !json_is_integer(gid)) {
			err_set(cause, "%s: %s: \"group_id\" must be an integer or null", path, where);
			goto out;
		}
		if (!strcmp(type, "point") || !strcmp(type, "points") || !strcmp(type, "mask")) {
			interop_warn(&out->warnings, "%s: %s: %s %s skipped: pxlabel imports regions, not %ss",
			    path, where, type, text_quote(quoted, label), type);
			continue;
		}
		if (get_points(&r, json_object_get(s, "points"), where, &pts, &n) != 0)
			goto out;
		if (!strcmp(type, "polygon")) {
			raster_ring ring = { pts, n };

			if (n >= 3)
				shape = doc_shape_polygon(DOC_ADD, &ring, 1, cause);
		} else if (!strcmp(type, "rectangle")) {
			if (n == 2) {
				int32_t x0 = pts[0].x < pts[1].x ? pts[0].x : pts[1].x, x1 = pts[0].x ^ pts[1].x ^ x0;
				int32_t y0 = pts[0].y < pts[1].y ? pts[0].y : pts[1].y, y1 = pts[0].y ^ pts[1].y ^ y0;
				raster_pt q[4] = { { x0, y0 }, { x1, y0 }, { x1, y1 }, { x0, y1 } };
				raster_ring ring = { q, 4 };

				shape = doc_shape_polygon(DOC_ADD, &ring, 1, cause);
			}
		} else if (!strcmp(type, "circle")) {
			if (n == 2) {
				/* The radius from the file's own numbers, not the rounded points, so that a
				 * circle written by labelme_write comes back with the same width. */
				json_t *p = json_object_get(s, "points");
				double dx = json_number_value(json_array_get(json_array_get(p, 1), 0)) -
				    json_number_value(json_array_get(json_array_get(p, 0), 0));
				double dy = json_number_value(json_array_get(json_array_get(p, 1), 1)) -
				    json_number_value(json_array_get(json_array_get(p, 0), 1));
				double d = 2 * RASTER_ONE * sqrt(dx * dx + dy * dy);

				if (d > RASTER_COORD_MAX) {
					free(pts);
					err_set(cause, "%s: %s: circle too large", path, where);
					goto out;
				}
				shape = doc_shape_stroke(DOC_ADD, pts, 1, (int32_t)floor(d + 0.5), cause);
			}
		} else if (!strcmp(type, "line") || !strcmp(type, "linestrip")) {
			if (n >= 2)
				shape = doc_shape_stroke(DOC_ADD, pts, n, opts->line_width, cause);
		} else {
			interop_warn(&out->warnings, "%s: %s: unknown shape_type %s skipped", path, where,
			    text_quote(quoted, type));
			free(pts);
			continue;
		}
		free(pts);
		if (!shape) {
			if (cause && *cause) {
				char *c = *cause;

				*cause = NULL;
				err_set(cause, "%s: %s: %s", path, where, c);
				free(c);
				goto out;
			}
			interop_warn(&out->warnings, "%s: %s: %s %s with %zu points skipped", path, where, type,
			    text_quote(quoted, label), n);
			continue;
		}
		if (gid && json_is_integer(gid))
			obj = group_object(&g, out, label, json_integer_value(gid));
		else
			obj = interop_add_object(out, label, NULL, 0, 0);
		interop_add_piece(out, obj, shape);
	}
	rc = 0;
out:
	free(g.slot);
	free(g.gid);
	json_decref(root);
	if (rc != 0)
		interop_image_free(out);
	return rc;
}

/* ---- writing ------------------------------------------------------------------------------- */

static json_t *coord(int32_t v) { return json_real((double)v / RASTER_ONE); }

static json_t *point(raster_pt p)
{
	json_t *a = json_array();

	json_array_append_new(a, coord(p.x));
	json_array_append_new(a, coord(p.y));
	return a;
}

static json_t *points(const raster_pt *pts, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, point(pts[i]));
	return a;
}

static void add_shape(json_t *list, const char *label, int gid, const char *type, json_t *pts)
{
	json_t *o = json_object();

	json_object_set_new(o, "label", json_string(label));
	json_object_set_new(o, "points", pts);
	json_object_set_new(o, "group_id", json_integer(gid));
	json_object_set_new(o, "description", json_string(""));
	json_object_set_new(o, "shape_type", json_string(type));
	json_object_set_new(o, "flags", json_object());
	json_array_append_new(list, o);
}

/* Whether LabelMe has a shape type for s, so its own vertices can be written. */
static int plain_shape(const struct doc_shape *s, int32_t line_width)
{
	if (s->op != DOC_ADD)
		return 0;
	if (s->kind == DOC_POLYGON)
		return s->nrings == 1;
	return s->npath == 1 || s->width == line_width;
}

static int write_instance(json_t *list, const struct doc *d, const struct doc_instance *in,
    const char *label, int32_t line_width, char **cause)
{
	raster_rect box = doc_rect_intersect(in->bounds, (raster_rect){ 0, 0, d->w, d->h });
	raster_ring *rings = NULL;
	size_t i, nrings = 0;
	uint8_t *mask;
	int rc;

	for (i = 0; i < in->nshapes && plain_shape(in->shapes[i], line_width); i++)
		;
	if (i == in->nshapes) {
		for (i = 0; i < in->nshapes; i++) {
			const struct doc_shape *s = in->shapes[i];

			if (s->kind == DOC_POLYGON) {
				add_shape(list, label, in->id, "polygon", points(s->rings[0].pts, s->rings[0].n));
			} else if (s->npath == 1) {
				json_t *a = json_array();

				/* The centre and a point on the rim: the radius is half the width. */
				json_array_append_new(a, point(s->path[0]));
				json_array_append_new(a, json_pack("[f, f]", (s->path[0].x + s->width / 2.0) / RASTER_ONE,
				    (double)s->path[0].y / RASTER_ONE));
				add_shape(list, label, in->id, "circle", a);
			} else {
				add_shape(list, label, in->id, s->npath == 2 ? "line" : "linestrip", points(s->path, s->npath));
			}
		}
		return 0;
	}
	if (doc_rect_empty(box))
		return 0;
	mask = xmalloc((size_t)(box.x1 - box.x0) * (size_t)(box.y1 - box.y0));
	rc = interop_instance_region(in, box, mask, cause);
	if (rc == 0)
		rc = raster_trace(mask, box.x1 - box.x0, box.y1 - box.y0, (size_t)(box.x1 - box.x0), &rings, &nrings,
		    cause);
	free(mask);
	if (rc != 0)
		return -1;
	for (i = 0; i < nrings; i++) {
		size_t k;

		for (k = 0; k < rings[i].n; k++) {
			rings[i].pts[k].x += box.x0 * RASTER_ONE;
			rings[i].pts[k].y += box.y0 * RASTER_ONE;
		}
	}
	if (nrings > 1 && interop_has_holes(rings, nrings)) {
		size_t n;
		raster_pt *path = interop_join_rings(rings, nrings, &n);

		add_shape(list, label, in->id, "polygon", points(path, n));
		free(path);
	} else {
		for (i = 0; i < nrings; i++)
			add_shape(list, label, in->id, "polygon", points(rings[i].pts, rings[i].n));
	}
	raster_rings_free(rings, nrings);
	return 0;
}

int labelme_write(const char *path, const struct doc *d, const char *image_path,
    const char *const names[256], int32_t line_width, char **cause)
{
	json_t *root = json_object(), *shapes = json_array();
	struct afile af;
	size_t i;
	int rc = -1;

	json_object_set_new(root, "version", json_string("5.0.1"));
	json_object_set_new(root, "flags", json_object());
	json_object_set_new(root, "shapes", shapes);
	json_object_set_new(root, "imagePath", json_string(image_path));
	json_object_set_new(root, "imageData", json_null());
	json_object_set_new(root, "imageHeight", json_integer(d->h));
	json_object_set_new(root, "imageWidth", json_integer(d->w));
	for (i = 0; i < d->ninst; i++) {
		const struct doc_instance *in = d->inst[i];
		char buf[32];
		const char *label = names ? names[in->class_id] : NULL;

		if (!label) {
			snprintf(buf, sizeof(buf), "class %d", in->class_id);
			label = buf;
		}
		if (write_instance(shapes, d, in, label, line_width, cause) != 0)
			goto out;
	}
	if (afile_open(&af, path, cause) != 0)
		goto out;
	if (json_dumpf(root, af.fp, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17)) != 0 ||
	    fputc('\n', af.fp) == EOF) {
		err_set(cause, "%s: write failed: %s", path, strerror(errno));
		afile_abort(&af);
		goto out;
	}
	rc = afile_commit(&af, cause);
out:
	json_decref(root);
	return rc;
}
