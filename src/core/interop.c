/* interop.c: the parts of import and export that every format shares. */
#include "config.h"

#include "interop.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compose.h"
#include "err.h"
#include "text.h"
#include "xalloc.h"

/* ---- warnings, JSON, paths --------------------------------------------------------------- */

void interop_warn(struct interop_warnings *w, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	if (w->n >= INTEROP_MAX_WARNINGS) {
		w->dropped++;
		return;
	}
	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		msg = xstrdup(fmt);
	w->v = xreallocarray(w->v, w->n + 1, sizeof(char *));
	/* Warnings repeat file names and what the files say: made safe here, once for all formats. */
	w->v[w->n++] = text_message(msg);
	free(msg);
}

void interop_warnings_free(struct interop_warnings *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	memset(w, 0, sizeof(*w));
}

void interop_warn_unknown(struct interop_warnings *w, const char *file, const char *where, json_t *obj,
    const char *const *known)
{
	const char *key;
	char q[TEXT_QUOTE_BUF];
	json_t *v;

	if (!json_is_object(obj))
		return;
	json_object_foreach(obj, key, v) {
		const char *const *k;

		for (k = known; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			interop_warn(w, "%s: %s: unknown field %s ignored", file, where, text_quote(q, key));
	}
}

json_t *interop_load_json(const char *path, uint64_t max_bytes, char **cause)
{
	json_error_t jerr;
	struct stat st;
	json_t *root;

	if (stat(path, &st) != 0) {
		err_set(cause, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(cause, "%s: not a regular file", path);
		return NULL;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		err_set(cause, "%s: %llu bytes, over the limit of %llu", path, (unsigned long long)st.st_size,
		    (unsigned long long)max_bytes);
		return NULL;
	}
	root = json_load_file(path, 0, &jerr);
	if (!root)
		err_set(cause, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
	return root;
}

char *interop_path_inside(const char *root, const char *rel, const char *what, char **cause)
{
	char *copy, *part, *save = NULL, *out, q[TEXT_VIS_SIZE(100)];
	char **parts;
	size_t n = 0, i, len;
	struct sbuf_like {
		char *s;
		size_t len;
	} b;

	if (!rel || !*rel) {
		err_set(cause, "%s is empty", what);
		return NULL;
	}
	copy = xstrdup(rel);
	for (i = 0; copy[i]; i++)
		if (copy[i] == '\\')
			copy[i] = '/';
	if (copy[0] == '/' || (copy[0] && copy[1] == ':')) {
		err_set(cause, "%s %s is an absolute path: it must be relative to %s", what,
		    text_vis(q, rel, 100, TEXT_VIS_QUOTE), root);
		free(copy);
		return NULL;
	}
	parts = xreallocarray(NULL, strlen(copy) / 2 + 2, sizeof(char *));
	for (part = strtok_r(copy, "/", &save); part; part = strtok_r(NULL, "/", &save)) {
		if (!strcmp(part, "."))
			continue;
		if (!strcmp(part, "..")) {
			if (n == 0) {
				err_set(cause, "%s %s leads out of %s", what, text_vis(q, rel, 100, TEXT_VIS_QUOTE), root);
				free(parts);
				free(copy);
				return NULL;
			}
			n--;
			continue;
		}
		parts[n++] = part;
	}
	if (n == 0) {
		err_set(cause, "%s %s names no file", what, text_vis(q, rel, 100, TEXT_VIS_QUOTE));
		free(parts);
		free(copy);
		return NULL;
	}
	len = strlen(root) + 2;
	for (i = 0; i < n; i++)
		len += strlen(parts[i]) + 1;
	b.s = xmalloc(len);
	b.len = (size_t)sprintf(b.s, "%s", root);
	for (i = 0; i < n; i++)
		b.len += (size_t)sprintf(b.s + b.len, "/%s", parts[i]);
	out = b.s;
	free(parts);
	free(copy);
	return out;
}

char *interop_dirname(const char *path)
{
	const char *s = strrchr(path, '/');

	if (!s)
		return xstrdup(".");
	if (s == path)
		return xstrdup("/");
	return xasprintf("%.*s", (int)(s - path), path);
}

/* An absolute, resolved form of path (or of its folder when the file does not exist yet). */
static char *absolute(const char *path)
{
	char *r = realpath(path, NULL), *dir, *res;

	if (r)
		return r;
	dir = interop_dirname(path);
	res = realpath(dir, NULL);
	free(dir);
	if (!res) {
		char cwd[PATH_MAX];

		if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
			return xstrdup(path);
		return xasprintf("%s/%s", cwd, path);
	}
	r = xasprintf("%s%s%s", res, strcmp(res, "/") ? "/" : "", strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	free(res);
	return r;
}

char *interop_relpath(const char *from_dir, const char *to)
{
	char *a = absolute(from_dir), *b = absolute(to), *out;
	const char *rest;
	size_t i = 0, common = 0, ups = 0, k;

	/* The common folders: up to the last '/' where both still agree. */
	while (a[i] && b[i] && a[i] == b[i]) {
		i++;
		if (a[i - 1] == '/')
			common = i;
	}
	if (!a[i] && b[i] == '/') {
		rest = b + i + 1; /* from_dir is a folder above to */
	} else {
		for (k = common; a[k]; k++)
			if (a[k] != '/' && (k == common || a[k - 1] == '/'))
				ups++;
		rest = b + common;
	}
	out = xmalloc(ups * 3 + strlen(rest) + 1);
	out[0] = '\0';
	for (k = 0; k < ups; k++)
		strcat(out, "../");
	strcat(out, rest);
	free(a);
	free(b);
	return out;
}

/* ---- imports ----------------------------------------------------------------------------- */

size_t interop_add_object(struct interop_image *im, const char *label, const char *parent,
    int want_id, int behind)
{
	struct interop_object *o;

	if (im->nobjects == im->capobjects) {
		im->capobjects = im->capobjects ? im->capobjects * 2 : 16;
		im->objects = xreallocarray(im->objects, im->capobjects, sizeof(*im->objects));
	}
	o = &im->objects[im->nobjects];
	o->label = xstrdup(label);
	o->parent = parent ? xstrdup(parent) : NULL;
	o->want_id = want_id;
	o->behind = behind;
	return im->nobjects++;
}

void interop_add_piece(struct interop_image *im, size_t object, struct doc_shape *shape)
{
	if (im->npieces == im->cappieces) {
		im->cappieces = im->cappieces ? im->cappieces * 2 : 16;
		im->pieces = xreallocarray(im->pieces, im->cappieces, sizeof(*im->pieces));
	}
	im->pieces[im->npieces].object = object;
	im->pieces[im->npieces].shape = shape;
	im->npieces++;
}

void interop_image_free(struct interop_image *im)
{
	size_t i;

	if (!im)
		return;
	free(im->image);
	for (i = 0; i < im->nobjects; i++) {
		free(im->objects[i].label);
		free(im->objects[i].parent);
	}
	free(im->objects);
	for (i = 0; i < im->npieces; i++)
		doc_shape_unref(im->pieces[i].shape);
	free(im->pieces);
	interop_warnings_free(&im->warnings);
	memset(im, 0, sizeof(*im));
}

size_t interop_classes(const struct interop_image *im, const struct dataset *ds, int *class_ids,
    const char ***missing)
{
	const char **list = NULL;
	size_t i, k, n = 0;

	for (i = 0; i < im->nobjects; i++) {
		const struct dataset_class *c = dataset_class_by_name(ds, im->objects[i].label);

		class_ids[i] = c ? c->id : 0;
		if (c)
			continue;
		for (k = 0; k < n && strcmp(list[k], im->objects[i].label); k++)
			;
		if (k == n) {
			list = xreallocarray(list, n + 1, sizeof(*list));
			list[n++] = im->objects[i].label;
		}
	}
	*missing = list;
	return n;
}

struct spans {
	uint16_t *map; /* the painter's map, w wide */
	int w;
	uint16_t value;
	uint8_t *box;  /* or a box mask */
	raster_rect r;
	uint8_t bvalue;
};

static void span_map(void *ctx, int y, int x0, int x1)
{
	struct spans *s = ctx;
	uint16_t *p = s->map + (size_t)y * (size_t)s->w;
	int x;

	for (x = x0; x < x1; x++)
		p[x] = s->value;
}

static void span_box(void *ctx, int y, int x0, int x1)
{
	struct spans *s = ctx;
	int bw = s->r.x1 - s->r.x0;

	memset(s->box + (size_t)(y - s->r.y0) * (size_t)bw + (size_t)(x0 - s->r.x0), s->bvalue,
	    (size_t)(x1 - x0));
}

/* The pixel-edge outline of the nonzero bytes of a box mask, in image coordinates. */
static int trace_box(const uint8_t *mask, raster_rect box, raster_ring **rings, size_t *n, char **cause)
{
	size_t i, k;

	if (raster_trace(mask, box.x1 - box.x0, box.y1 - box.y0, (size_t)(box.x1 - box.x0), rings, n, cause) != 0)
		return -1;
	for (i = 0; i < *n; i++)
		for (k = 0; k < (*rings)[i].n; k++) {
			(*rings)[i].pts[k].x += box.x0 * RASTER_ONE;
			(*rings)[i].pts[k].y += box.y0 * RASTER_ONE;
		}
	return 0;
}

int interop_build_doc(const struct interop_image *im, const int *class_ids, int w, int h,
    struct doc **out, char **cause)
{
	const raster_rect image = { 0, 0, w, h };
	size_t *first = NULL, *last = NULL, *order = NULL, *zrank = NULL, *painted = NULL;
	size_t i, k, nz = 0, np = 0;
	uint16_t *map = NULL;
	uint8_t *scratch = NULL;
	struct compose_scratch region = { NULL, 0 };
	struct doc *d = NULL;
	struct spans sp;
	int rc = -1;

	*out = NULL;
	if (im->nobjects > DOC_MAX_INSTANCES)
		return err_set(cause, "%zu objects, over the limit of %d instances", im->nobjects, DOC_MAX_INSTANCES);
	d = doc_new(w, h, cause);
	if (!d)
		return -1;
	/* The drawing order, with the pieces of objects marked behind first (stable). */
	painted = xreallocarray(NULL, im->npieces + 1, sizeof(size_t));
	for (k = 0; k < 2; k++)
		for (i = 0; i < im->npieces; i++)
			if ((im->objects[im->pieces[i].object].behind != 0) == (k == 0))
				painted[np++] = i;
	first = xreallocarray(NULL, im->nobjects + 1, sizeof(size_t));
	last = xreallocarray(NULL, im->nobjects + 1, sizeof(size_t));
	for (i = 0; i < im->nobjects; i++)
		first[i] = last[i] = SIZE_MAX;
	for (i = 0; i < np; i++) {
		size_t o = im->pieces[painted[i]].object;

		if (im->pieces[painted[i]].shape->op != DOC_ADD) {
			err_set(cause, "imported shapes must add, not cut");
			goto out;
		}
		if (first[o] == SIZE_MAX)
			first[o] = i;
		last[o] = i;
	}
	/* The stacking order: by last piece drawn. */
	order = xreallocarray(NULL, im->nobjects + 1, sizeof(size_t));
	zrank = xreallocarray(NULL, im->nobjects + 1, sizeof(size_t));
	for (i = 0; i < np; i++) {
		size_t o = im->pieces[painted[i]].object;

		if (last[o] == i) {
			zrank[o] = nz;
			order[nz++] = o;
		}
	}
	/* The painter's result, as object index + 1 per pixel. */
	map = xcalloc((size_t)w * (size_t)h, sizeof(uint16_t));
	sp.map = map;
	sp.w = w;
	for (i = 0; i < np; i++) {
		sp.value = (uint16_t)(im->pieces[painted[i]].object + 1);
		if (compose_shape(im->pieces[painted[i]].shape, image, span_map, &sp, cause) != 0)
			goto out;
	}
	for (k = 0; k < nz; k++) {
		size_t o = order[k], nshapes = 0, cap = 4;
		struct doc_shape **shapes = xreallocarray(NULL, cap, sizeof(*shapes));
		raster_rect box = { 0, 0, 0, 0 };
		struct doc_instance drawn; /* the object as drawn, no cut yet */
		size_t bw, bh, cuts = 0;
		int x, y;

		for (i = first[o]; i <= last[o]; i++) {
			const struct interop_piece *p = &im->pieces[painted[i]];

			if (p->object != o)
				continue;
			if (nshapes == cap)
				shapes = xreallocarray(shapes, cap *= 2, sizeof(*shapes));
			p->shape->refs++; /* shared with the document */
			shapes[nshapes++] = p->shape;
			box = doc_rect_union(box, p->shape->bounds);
		}
		memset(&drawn, 0, sizeof(drawn));
		drawn.shapes = shapes;
		drawn.nshapes = nshapes;
		drawn.bounds = box;
		box = doc_rect_intersect(box, image);
		/* Pixels of this object's region that the drawing gave to an object stacked lower:
		 * cut them out. Everything stacked higher wins anyway. */
		if (k > 0 && !doc_rect_empty(box)) {
			bw = (size_t)(box.x1 - box.x0);
			bh = (size_t)(box.y1 - box.y0);
			scratch = xcalloc(bw * bh, 1);
			sp.box = scratch;
			sp.r = box;
			sp.bvalue = 1;
			if (compose_region(&drawn, box, span_box, &sp, &region, cause) != 0) {
				for (i = 0; i < nshapes; i++)
					doc_shape_unref(shapes[i]);
				free(shapes);
				goto out;
			}
			for (y = box.y0; y < box.y1; y++) {
				uint8_t *m = scratch + (size_t)(y - box.y0) * bw;
				const uint16_t *row = map + (size_t)y * (size_t)w;

				for (x = box.x0; x < box.x1; x++) {
					uint16_t v = row[x];
					uint8_t *c = &m[x - box.x0];

					*c = *c && v != o + 1 && v != 0 && zrank[v - 1] < k;
					cuts += *c;
				}
			}
			if (cuts) {
				raster_ring *rings = NULL;
				size_t nrings = 0;
				struct doc_shape *cut = NULL;

				if (trace_box(scratch, box, &rings, &nrings, cause) == 0)
					cut = doc_shape_polygon(DOC_CUT, rings, nrings, cause);
				raster_rings_free(rings, nrings);
				if (!cut) {
					for (i = 0; i < nshapes; i++)
						doc_shape_unref(shapes[i]);
					free(shapes);
					goto out;
				}
				if (nshapes == cap)
					shapes = xreallocarray(shapes, cap + 1, sizeof(*shapes));
				shapes[nshapes++] = cut;
			}
			free(scratch);
			scratch = NULL;
		}
		if (doc_load_instance(d, (uint16_t)(o + 1), class_ids[o], 0, shapes, nshapes, cause) != 0) {
			free(shapes);
			goto out;
		}
		free(shapes);
	}
	doc_clear_history(d);
	d->edits = 0;
	*out = d;
	d = NULL;
	rc = 0;
out:
	free(scratch);
	compose_scratch_free(&region);
	free(map);
	free(first);
	free(last);
	free(order);
	free(zrank);
	free(painted);
	doc_free(d);
	return rc;
}

int interop_doc_from_masks(const uint8_t *cls, const uint16_t *ids, int w, int h, struct doc **out,
    char **cause)
{
	raster_rect *box = xcalloc(65536, sizeof(raster_rect));
	uint8_t *klass = xcalloc(65536, 1), *scratch = NULL;
	uint16_t *made = NULL;
	struct doc *d = NULL;
	size_t npx = (size_t)w * (size_t)h, i, cap = 0;
	uint32_t extra[256] = { 0 }; /* classed pixels without an instance: a new id per class */
	uint32_t next_id = 1;
	int rc = -1, x, y;
	unsigned v;

	*out = NULL;
	d = doc_new(w, h, cause);
	if (!d)
		goto out;
	if (ids) {
		for (i = 0; i < npx; i++)
			if (ids[i] >= next_id)
				next_id = ids[i] + 1u;
		for (i = 0; i < npx; i++) {
			if (ids[i] && !cls[i]) {
				err_set(cause, "pixel (%zu, %zu) of instance %u has no class", i % (size_t)w,
				    i / (size_t)w, ids[i]);
				goto out;
			}
			if (!ids[i] && cls[i] && !extra[cls[i]]) {
				if (next_id > DOC_MAX_INSTANCES) {
					err_set(cause, "more than %d instances", DOC_MAX_INSTANCES);
					goto out;
				}
				extra[cls[i]] = next_id++;
			}
		}
		made = xmalloc(npx * sizeof(uint16_t));
		for (i = 0; i < npx; i++)
			made[i] = ids[i] ? ids[i] : (uint16_t)extra[cls[i]];
	} else {
		made = xmalloc(npx * sizeof(uint16_t));
		for (i = 0; i < npx; i++)
			made[i] = cls[i];
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			size_t p = (size_t)y * (size_t)w + (size_t)x;

			v = made[p];
			if (!v)
				continue;
			if (!klass[v]) {
				klass[v] = cls[p];
				box[v] = (raster_rect){ x, y, x + 1, y + 1 };
			} else if (klass[v] != cls[p]) {
				err_set(cause, "instance %u has pixels of class %u and of class %u", v, klass[v], cls[p]);
				goto out;
			} else {
				if (x < box[v].x0)
					box[v].x0 = x;
				if (x >= box[v].x1)
					box[v].x1 = x + 1;
				box[v].y1 = y + 1;
			}
		}
	for (v = 1; v < 65536; v++) {
		raster_rect b = box[v];
		size_t bw = (size_t)(b.x1 - b.x0), bh = (size_t)(b.y1 - b.y0);
		raster_ring *rings = NULL;
		size_t nrings = 0;
		struct doc_shape *s;

		if (!klass[v])
			continue;
		if (bw * bh > cap) {
			free(scratch);
			cap = bw * bh;
			scratch = xmalloc(cap);
		}
		for (y = b.y0; y < b.y1; y++) {
			const uint16_t *row = made + (size_t)y * (size_t)w;
			uint8_t *m = scratch + (size_t)(y - b.y0) * bw;

			for (x = b.x0; x < b.x1; x++)
				m[x - b.x0] = row[x] == v;
		}
		if (trace_box(scratch, b, &rings, &nrings, cause) != 0)
			goto out;
		s = doc_shape_polygon(DOC_ADD, rings, nrings, cause);
		raster_rings_free(rings, nrings);
		if (!s || doc_load_instance(d, (uint16_t)v, klass[v], 0, &s, 1, cause) != 0)
			goto out;
	}
	doc_clear_history(d);
	d->edits = 0;
	*out = d;
	d = NULL;
	rc = 0;
out:
	free(box);
	free(klass);
	free(scratch);
	free(made);
	doc_free(d);
	return rc;
}

/* ---- exports ----------------------------------------------------------------------------- */

int interop_trace_value(const uint16_t *ids, int w, int h, uint16_t value, raster_rect box,
    raster_ring **rings, size_t *nrings, raster_rect *bbox, uint64_t *area, char **cause)
{
	raster_rect t = { INT32_MAX, INT32_MAX, -1, -1 };
	uint64_t count = 0;
	uint8_t *m;
	size_t bw;
	int x, y, rc;

	*rings = NULL;
	*nrings = 0;
	box = doc_rect_intersect(box, (raster_rect){ 0, 0, w, h });
	for (y = box.y0; y < box.y1; y++) {
		const uint16_t *row = ids + (size_t)y * (size_t)w;

		for (x = box.x0; x < box.x1; x++)
			if (row[x] == value) {
				count++;
				if (x < t.x0)
					t.x0 = x;
				if (x >= t.x1)
					t.x1 = x + 1;
				if (y < t.y0)
					t.y0 = y;
				t.y1 = y + 1;
			}
	}
	*area = count;
	if (!count) {
		*bbox = (raster_rect){ 0, 0, 0, 0 };
		return 0;
	}
	*bbox = t;
	bw = (size_t)(t.x1 - t.x0);
	m = xmalloc(bw * (size_t)(t.y1 - t.y0));
	for (y = t.y0; y < t.y1; y++) {
		const uint16_t *row = ids + (size_t)y * (size_t)w;
		uint8_t *r = m + (size_t)(y - t.y0) * bw;

		for (x = t.x0; x < t.x1; x++)
			r[x - t.x0] = row[x] == value;
	}
	rc = trace_box(m, t, rings, nrings, cause);
	free(m);
	return rc;
}

raster_pt *interop_join_rings(const raster_ring *rings, size_t nrings, size_t *n)
{
	size_t total = 0, i, k, p = 0;
	raster_pt *out;

	for (i = 0; i < nrings; i++)
		total += rings[i].n + 2;
	out = xreallocarray(NULL, total + 1, sizeof(raster_pt));
#define PUT(pt)                                                                                    \
	do {                                                                                       \
		raster_pt q_ = (pt);                                                               \
		if (p == 0 || out[p - 1].x != q_.x || out[p - 1].y != q_.y)                        \
			out[p++] = q_;                                                             \
	} while (0)
	for (i = 0; i < nrings; i++) {
		for (k = 0; k < rings[i].n; k++)
			PUT(rings[i].pts[k]);
		if (nrings > 1)
			PUT(rings[i].pts[0]); /* closed, so the seam starts where the ring began */
	}
	/* Back along the seams to the first ring's start, which closing the path reaches. */
	for (i = nrings; i-- > 1;)
		PUT(rings[i - 1].pts[0]);
#undef PUT
	/* The last point may equal the first: the closing edge would have no length. */
	if (p > 1 && out[p - 1].x == out[0].x && out[p - 1].y == out[0].y)
		p--;
	*n = p;
	return out;
}

int interop_has_holes(const raster_ring *rings, size_t nrings)
{
	size_t i, k;

	for (i = 0; i < nrings; i++) {
		int64_t a = 0;

		for (k = 0; k < rings[i].n; k++) {
			raster_pt p = rings[i].pts[k], q = rings[i].pts[(k + 1) % rings[i].n];

			a += (int64_t)p.x * q.y - (int64_t)q.x * p.y;
		}
		if (a < 0)
			return 1;
	}
	return 0;
}

int interop_instance_region(const struct doc_instance *in, raster_rect box, uint8_t *mask, char **cause)
{
	struct compose_scratch region = { NULL, 0 };
	struct spans sp;
	int rc;

	memset(mask, 0, (size_t)(box.x1 - box.x0) * (size_t)(box.y1 - box.y0));
	sp.box = mask;
	sp.r = box;
	sp.bvalue = 1;
	rc = compose_region(in, box, span_box, &sp, &region, cause);
	compose_scratch_free(&region);
	return rc;
}
