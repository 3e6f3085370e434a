/* coco.c: COCO files: a checked index over the JSON for imports, a streaming writer for exports. */
#include "config.h"

#include "coco.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "err.h"
#include "rle.h"
#include "sbuf.h"
#include "xalloc.h"

/* ---- reading ------------------------------------------------------------------------------- */

struct id_index {
	long long id;
	size_t index;
};

static int cmp_id(const void *a, const void *b)
{
	long long x = ((const struct id_index *)a)->id, y = ((const struct id_index *)b)->id;

	return x < y ? -1 : x > y;
}

static const struct id_index *find_id(const struct id_index *v, size_t n, long long id)
{
	struct id_index key = { id, 0 };

	return bsearch(&key, v, n, sizeof(*v), cmp_id);
}

int coco_open(const char *path, struct coco_file *f, char **cause)
{
	static const char *const known_top[] = { "info", "licenses", "images", "annotations", "categories",
		"type", NULL };
	static const char *const known_image[] = { "id", "file_name", "width", "height", "license",
		"flickr_url", "coco_url", "date_captured", "url", NULL };
	static const char *const known_cat[] = { "id", "name", "supercategory", "keypoints", "skeleton",
		"color", NULL };
	struct id_index *img_ids = NULL, *cat_ids = NULL;
	json_t *images, *anns, *cats;
	size_t i, *count = NULL, *fill = NULL, *ann_image = NULL;
	int rc = -1;

	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->root = interop_load_json(path, COCO_MAX_BYTES, cause);
	if (!f->root)
		goto out;
	if (!json_is_object(f->root)) {
		err_set(cause, "%s: not a COCO file (the top level is not an object)", path);
		goto out;
	}
	interop_warn_unknown(&f->warnings, path, "top level", f->root, known_top);
	images = json_object_get(f->root, "images");
	anns = json_object_get(f->root, "annotations");
	cats = json_object_get(f->root, "categories");
	if (!json_is_array(images) || !json_is_array(anns) || !json_is_array(cats)) {
		err_set(cause, "%s: not a COCO file (\"images\", \"annotations\" and \"categories\" lists are needed)",
		    path);
		goto out;
	}
	if (json_array_size(images) > COCO_MAX_IMAGES || json_array_size(anns) > COCO_MAX_ANNOTATIONS) {
		err_set(cause, "%s: too many images or annotations (limits %d and %d)", path, COCO_MAX_IMAGES,
		    COCO_MAX_ANNOTATIONS);
		goto out;
	}
	/* Categories. */
	f->ncats = json_array_size(cats);
	f->cats = xcalloc(f->ncats + 1, sizeof(*f->cats));
	cat_ids = xcalloc(f->ncats + 1, sizeof(*cat_ids));
	for (i = 0; i < f->ncats; i++) {
		json_t *c = json_array_get(cats, i), *id = json_object_get(c, "id"), *sup;
		const char *name = json_string_value(json_object_get(c, "name"));

		if (!json_is_object(c) || !json_is_integer(id) || !name || !*name) {
			err_set(cause, "%s: categories[%zu]: needs an integer \"id\" and a non-empty \"name\"", path, i);
			goto out;
		}
		interop_warn_unknown(&f->warnings, path, "categories[]", c, known_cat);
		sup = json_object_get(c, "supercategory");
		if (sup && !json_is_null(sup) && !json_is_string(sup)) {
			err_set(cause, "%s: categories[%zu]: \"supercategory\" must be a string", path, i);
			goto out;
		}
		f->cats[i].id = json_integer_value(id);
		f->cats[i].name = name;
		f->cats[i].super = json_string_value(sup);
		if (f->cats[i].super && (!*f->cats[i].super || !strcmp(f->cats[i].super, name)))
			f->cats[i].super = NULL;
		cat_ids[i] = (struct id_index){ f->cats[i].id, i };
	}
	qsort(cat_ids, f->ncats, sizeof(*cat_ids), cmp_id);
	for (i = 1; i < f->ncats; i++)
		if (cat_ids[i].id == cat_ids[i - 1].id) {
			err_set(cause, "%s: category id %lld appears twice", path, cat_ids[i].id);
			goto out;
		}
	/* Images. */
	f->nimages = json_array_size(images);
	f->images = xcalloc(f->nimages + 1, sizeof(*f->images));
	img_ids = xcalloc(f->nimages + 1, sizeof(*img_ids));
	for (i = 0; i < f->nimages; i++) {
		json_t *o = json_array_get(images, i), *id = json_object_get(o, "id");
		json_t *w = json_object_get(o, "width"), *h = json_object_get(o, "height");
		const char *name = json_string_value(json_object_get(o, "file_name"));

		if (!json_is_object(o) || !json_is_integer(id) || !name || !json_is_integer(w) || !json_is_integer(h)) {
			err_set(cause, "%s: images[%zu]: needs an integer \"id\", \"file_name\", \"width\" and \"height\"",
			    path, i);
			goto out;
		}
		if (json_integer_value(w) < 1 || json_integer_value(h) < 1 ||
		    json_integer_value(w) > RASTER_COORD_MAX_PX || json_integer_value(h) > RASTER_COORD_MAX_PX) {
			err_set(cause, "%s: images[%zu]: size %lldx%lld is impossible", path, i,
			    (long long)json_integer_value(w), (long long)json_integer_value(h));
			goto out;
		}
		interop_warn_unknown(&f->warnings, path, "images[]", o, known_image);
		f->images[i].id = json_integer_value(id);
		f->images[i].file_name = name;
		f->images[i].w = (int)json_integer_value(w);
		f->images[i].h = (int)json_integer_value(h);
		img_ids[i] = (struct id_index){ f->images[i].id, i };
	}
	qsort(img_ids, f->nimages, sizeof(*img_ids), cmp_id);
	for (i = 1; i < f->nimages; i++)
		if (img_ids[i].id == img_ids[i - 1].id) {
			err_set(cause, "%s: image id %lld appears twice", path, img_ids[i].id);
			goto out;
		}
	/* Annotations, grouped by image in file order. */
	count = xcalloc(f->nimages + 1, sizeof(size_t));
	ann_image = xreallocarray(NULL, json_array_size(anns) + 1, sizeof(size_t));
	for (i = 0; i < json_array_size(anns); i++) {
		json_t *a = json_array_get(anns, i), *img = json_object_get(a, "image_id");
		json_t *cat = json_object_get(a, "category_id");
		const struct id_index *hit;

		ann_image[i] = SIZE_MAX;
		if (!json_is_object(a) || !json_is_integer(img) || !json_is_integer(cat)) {
			err_set(cause, "%s: annotations[%zu]: needs an integer \"image_id\" and \"category_id\"", path, i);
			goto out;
		}
		hit = find_id(img_ids, f->nimages, json_integer_value(img));
		if (!hit) {
			interop_warn(&f->warnings, "%s: annotations[%zu]: image %lld is not in \"images\": skipped", path,
			    i, (long long)json_integer_value(img));
			continue;
		}
		if (!find_id(cat_ids, f->ncats, json_integer_value(cat))) {
			interop_warn(&f->warnings, "%s: annotations[%zu]: category %lld is not in \"categories\": skipped",
			    path, i, (long long)json_integer_value(cat));
			continue;
		}
		ann_image[i] = hit->index;
		count[hit->index]++;
	}
	fill = xcalloc(f->nimages + 1, sizeof(size_t));
	for (i = 0; i < f->nimages; i++) {
		f->images[i].first = f->nanns;
		fill[i] = f->nanns;
		f->nanns += count[i];
	}
	f->anns = xreallocarray(NULL, f->nanns + 1, sizeof(json_t *));
	for (i = 0; i < json_array_size(anns); i++) {
		if (ann_image[i] == SIZE_MAX)
			continue;
		f->anns[fill[ann_image[i]]++] = json_array_get(anns, i);
		f->images[ann_image[i]].n++;
	}
	rc = 0;
out:
	free(img_ids);
	free(cat_ids);
	free(count);
	free(fill);
	free(ann_image);
	if (rc != 0)
		coco_close(f);
	return rc;
}

void coco_close(struct coco_file *f)
{
	free(f->path);
	json_decref(f->root);
	free(f->cats);
	free(f->images);
	free(f->anns);
	interop_warnings_free(&f->warnings);
	memset(f, 0, sizeof(*f));
}

static const struct coco_category *category(const struct coco_file *f, long long id)
{
	size_t i;

	for (i = 0; i < f->ncats; i++)
		if (f->cats[i].id == id)
			return &f->cats[i];
	return NULL;
}

/* [x1, y1, x2, y2, ...] into a ring, moved by COCO_NUDGE (see coco.h). */
static int polygon(const struct coco_file *f, json_t *a, const char *where, struct doc_shape **out,
    char **cause)
{
	size_t n = json_array_size(a) / 2, i;
	raster_ring ring;
	int rc = -1;

	*out = NULL;
	if (n > RASTER_MAX_VERTICES)
		return err_set(cause, "%s: %s: polygon of %zu vertices, over the limit", f->path, where, n);
	ring.pts = xreallocarray(NULL, n ? n : 1, sizeof(raster_pt));
	ring.n = n;
	for (i = 0; i < n; i++) {
		json_t *x = json_array_get(a, 2 * i), *y = json_array_get(a, 2 * i + 1);
		double vx, vy;

		if (!json_is_number(x) || !json_is_number(y)) {
			err_set(cause, "%s: %s: a polygon holds numbers", f->path, where);
			goto out;
		}
		vx = json_number_value(x);
		vy = json_number_value(y);
		if (!isfinite(vx) || !isfinite(vy) || fabs(vx) > RASTER_COORD_MAX_PX - 1 ||
		    fabs(vy) > RASTER_COORD_MAX_PX - 1) {
			err_set(cause, "%s: %s: coordinate out of range", f->path, where);
			goto out;
		}
		ring.pts[i] = raster_pt_from_double(vx, vy);
		ring.pts[i].x += COCO_NUDGE;
		ring.pts[i].y += COCO_NUDGE;
	}
	*out = doc_shape_polygon(DOC_ADD, &ring, 1, cause);
	rc = *out ? 0 : -1;
out:
	free(ring.pts);
	return rc;
}

/* An RLE segmentation: checked, decoded into mask (w x h, reused), traced. */
static int rle_shape(const struct coco_file *f, json_t *seg, const struct coco_image *img, uint8_t **mask,
    const char *where, struct doc_shape **out, char **cause)
{
	json_t *size = json_object_get(seg, "size"), *counts = json_object_get(seg, "counts");
	raster_ring *rings = NULL;
	struct rle r = { 0 };
	size_t nrings = 0, i;
	raster_rect b;
	char *inner = NULL;
	int rc = -1;

	*out = NULL;
	if (!json_is_array(size) || json_array_size(size) != 2 ||
	    json_integer_value(json_array_get(size, 0)) != img->h ||
	    json_integer_value(json_array_get(size, 1)) != img->w)
		return err_set(cause, "%s: %s: RLE \"size\" must be [height, width] of the image, [%d, %d]", f->path,
		    where, img->h, img->w);
	if (json_is_string(counts)) {
		if (rle_from_string(json_string_value(counts), json_string_length(counts), img->w, img->h, &r, &inner) != 0)
			goto out;
	} else if (json_is_array(counts)) {
		size_t n = json_array_size(counts);
		uint32_t *c;

		if (n > (uint64_t)img->w * (uint64_t)img->h + 1) {
			err_set(&inner, "%zu counts for %dx%d pixels", n, img->w, img->h);
			goto out;
		}
		c = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
		for (i = 0; i < n; i++) {
			json_t *v = json_array_get(counts, i);

			if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > UINT32_MAX) {
				free(c);
				err_set(&inner, "counts[%zu] is not a count", i);
				goto out;
			}
			c[i] = (uint32_t)json_integer_value(v);
		}
		rc = rle_from_counts(c, n, img->w, img->h, &r, &inner);
		free(c);
		if (rc != 0)
			goto out;
		rc = -1;
	} else {
		err_set(&inner, "\"counts\" must be a list or a string");
		goto out;
	}
	if (!*mask)
		*mask = xmalloc((size_t)img->w * (size_t)img->h);
	b = rle_bounds(&r);
	if (doc_rect_empty(b)) {
		rc = 0; /* nothing set: no piece */
		goto out;
	}
	rle_decode(&r, *mask);
	if (raster_trace(*mask + (size_t)b.y0 * (size_t)img->w + (size_t)b.x0, b.x1 - b.x0, b.y1 - b.y0,
	    (size_t)img->w, &rings, &nrings, &inner) != 0)
		goto out;
	for (i = 0; i < nrings; i++) {
		size_t k;

		for (k = 0; k < rings[i].n; k++) {
			rings[i].pts[k].x += b.x0 * RASTER_ONE;
			rings[i].pts[k].y += b.y0 * RASTER_ONE;
		}
	}
	*out = doc_shape_polygon(DOC_ADD, rings, nrings, &inner);
	rc = *out ? 0 : -1;
out:
	if (rc != 0)
		err_set(cause, "%s: %s: %s", f->path, where, inner ? inner : "bad RLE");
	free(inner);
	raster_rings_free(rings, nrings);
	rle_free(&r);
	return rc;
}

int coco_read_image(const struct coco_file *f, size_t index, const char *images_dir, uint64_t max_pixels,
    struct interop_image *out, char **cause)
{
	static const char *const known_ann[] = { "id", "image_id", "category_id", "segmentation", "area", "bbox",
		"iscrowd", "attributes", "score", NULL };
	const struct coco_image *img = &f->images[index];
	uint8_t *mask = NULL;
	char *inner = NULL;
	size_t i, k;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	out->image = interop_path_inside(images_dir, img->file_name, "file_name", &inner);
	if (!out->image) {
		err_set(cause, "%s: image %lld: %s", f->path, img->id, inner);
		free(inner);
		return -1;
	}
	out->w = img->w;
	out->h = img->h;
	for (i = 0; i < img->n; i++) {
		json_t *a = f->anns[img->first + i], *seg = json_object_get(a, "segmentation");
		const struct coco_category *cat = category(f, json_integer_value(json_object_get(a, "category_id")));
		json_t *crowd = json_object_get(a, "iscrowd");
		size_t obj, before = out->npieces;
		char where[64];
		int want;

		if (json_is_integer(json_object_get(a, "id")))
			snprintf(where, sizeof(where), "annotation %lld", (long long)json_integer_value(json_object_get(a, "id")));
		else
			snprintf(where, sizeof(where), "annotation %zu of image %lld", i, img->id);
		interop_warn_unknown(&out->warnings, f->path, where, a, known_ann);
		if (crowd && !json_is_integer(crowd) && !json_is_boolean(crowd)) {
			err_set(cause, "%s: %s: \"iscrowd\" must be 0 or 1", f->path, where);
			goto out;
		}
		want = cat->id >= 1 && cat->id <= 255 ? (int)cat->id : 0;
		obj = interop_add_object(out, cat->name, cat->super, want,
		    json_is_true(crowd) || json_integer_value(crowd) != 0);
		if (json_is_array(seg)) {
			for (k = 0; k < json_array_size(seg); k++) {
				json_t *p = json_array_get(seg, k);
				struct doc_shape *s;

				if (!json_is_array(p) || json_array_size(p) < 6 || json_array_size(p) % 2) {
					interop_warn(&out->warnings, "%s: %s: polygon %zu needs an even count of at least 6 "
					    "numbers: skipped", f->path, where, k);
					continue;
				}
				if (polygon(f, p, where, &s, cause) != 0)
					goto out;
				interop_add_piece(out, obj, s);
			}
		} else if (json_is_object(seg)) {
			struct doc_shape *s;

			if ((uint64_t)img->w * (uint64_t)img->h > max_pixels) {
				err_set(cause, "%s: %s: a %dx%d mask is over the limit of %llu pixels", f->path, where, img->w,
				    img->h, (unsigned long long)max_pixels);
				goto out;
			}
			if (rle_shape(f, seg, img, &mask, where, &s, cause) != 0)
				goto out;
			if (s)
				interop_add_piece(out, obj, s);
		} else {
			err_set(cause, "%s: %s: \"segmentation\" must be a list of polygons or an RLE object", f->path, where);
			goto out;
		}
		if (out->npieces == before)
			interop_warn(&out->warnings, "%s: %s: no pixels (empty segmentation)", f->path, where);
	}
	rc = 0;
out:
	free(mask);
	if (rc != 0)
		interop_image_free(out);
	return rc;
}

/* ---- writing ------------------------------------------------------------------------------- */

#define DUMP_FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

int coco_writer_open_shard(struct coco_writer *w, const char *path, int rle, unsigned shard, unsigned nshards,
    char **cause)
{
	memset(w, 0, sizeof(*w));
	w->af = xcalloc(1, sizeof(*w->af));
	if (afile_open(w->af, path, cause) != 0) {
		free(w->af);
		w->af = NULL;
		return -1;
	}
	w->path = xstrdup(path);
	w->rle = rle;
	w->images = json_array();
	w->categories = json_array();
	w->next_image = 1;
	w->next_ann = 1;
	fprintf(w->af->fp, "{\"info\":{\"description\":\"exported by pxlabel %s\"", PACKAGE_VERSION);
	if (nshards > 1)
		fprintf(w->af->fp, ",\"shard\":\"%u/%u\"", shard, nshards);
	fputs("},\"licenses\":[],\"annotations\":[", w->af->fp);
	return 0;
}

int coco_writer_open(struct coco_writer *w, const char *path, int rle, char **cause)
{
	return coco_writer_open_shard(w, path, rle, 0, 0, cause);
}

void coco_writer_category(struct coco_writer *w, int id, const char *name, const char *super)
{
	json_array_append_new(w->categories, json_pack("{s:i, s:s, s:s}", "id", id, "name", name, "supercategory",
	    super ? super : name));
}

/* An annotation is a fixed record of integers (and an RLE string of '0'..'o'), written straight
 * into a buffer: for big exports this is most of the work, and jansson's value tree would triple
 * it. The buffer goes to the file in one write. */
static void put_ring(struct sbuf *b, const raster_pt *pts, size_t n)
{
	size_t i;

	sbuf_addc(b, '[');
	for (i = 0; i < n; i++) {
		if (i)
			sbuf_addc(b, ',');
		sbuf_addu(b, (unsigned)(pts[i].x / RASTER_ONE));
		sbuf_addc(b, ',');
		sbuf_addu(b, (unsigned)(pts[i].y / RASTER_ONE));
	}
	sbuf_addc(b, ']');
}

/* Each annotation from "category_id" on: the ids before it are the writer's, given in order. */
int coco_encode_image(const struct doc *d, const struct compose *c, int rle, struct coco_encoded *e, char **cause)
{
	size_t i;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	sbuf_init(&e->b);
	e->w = c->w;
	e->h = c->h;
	for (i = 0; i < d->ninst && rc == 0; i++) {
		const struct doc_instance *in = d->inst[i];
		raster_rect box = doc_rect_intersect(in->bounds, (raster_rect){ 0, 0, c->w, c->h }), bb;
		size_t start = e->b.len;
		struct sbuf *b = &e->b;
		uint64_t area;

		if (doc_rect_empty(box) || c->inst_pixels[in->id] == 0)
			continue;
		sbuf_printf(b, "\"category_id\":%d,\"segmentation\":", in->class_id);
		if (rle) {
			struct rle r;
			char *s, *p;

			if (rle_encode_u16(c->ids, c->w, c->h, in->id, box, &r, cause) != 0) {
				rc = -1;
				break;
			}
			area = rle_area(&r);
			bb = rle_bounds(&r);
			s = rle_to_string(&r);
			sbuf_printf(b, "{\"size\":[%d,%d],\"counts\":\"", c->h, c->w);
			for (p = s; *p; p++) {
				if (*p == '\\')
					sbuf_addc(b, '\\');
				sbuf_addc(b, *p);
			}
			sbuf_adds(b, "\"}");
			free(s);
			rle_free(&r);
		} else {
			raster_ring *rings;
			size_t nrings, k;

			if (interop_trace_value(c->ids, c->w, c->h, in->id, box, &rings, &nrings, &bb, &area, cause) != 0) {
				rc = -1;
				break;
			}
			sbuf_addc(b, '[');
			if (nrings > 1 && interop_has_holes(rings, nrings)) {
				size_t n;
				raster_pt *path = interop_join_rings(rings, nrings, &n);

				put_ring(b, path, n);
				free(path);
			} else {
				for (k = 0; k < nrings; k++) {
					if (k)
						sbuf_addc(b, ',');
					put_ring(b, rings[k].pts, rings[k].n);
				}
			}
			sbuf_addc(b, ']');
			raster_rings_free(rings, nrings);
		}
		if (area == 0) {
			b->len = start;
			continue;
		}
		sbuf_printf(b, ",\"area\":%llu,\"bbox\":[%d,%d,%d,%d],\"iscrowd\":0}", (unsigned long long)area, bb.x0,
		    bb.y0, bb.x1 - bb.x0, bb.y1 - bb.y0);
		if (e->n == e->cap) {
			e->cap = e->cap ? 2 * e->cap : 8;
			e->at = xreallocarray(e->at, e->cap + 1, sizeof(size_t));
		}
		e->at[e->n++] = start;
	}
	if (rc != 0)
		coco_encoded_free(e);
	return rc;
}

void coco_encoded_free(struct coco_encoded *e)
{
	sbuf_free(&e->b);
	free(e->at);
	memset(e, 0, sizeof(*e));
}

int coco_writer_put(struct coco_writer *w, long long image_id, const char *file_name, const struct coco_encoded *e,
    char **cause)
{
	struct sbuf b;
	size_t k;
	int rc = 0;

	if (image_id <= 0)
		image_id = w->next_image++;
	json_array_append_new(w->images, json_pack("{s:I, s:s, s:i, s:i}", "id", (json_int_t)image_id, "file_name",
	    file_name, "width", e->w, "height", e->h));
	sbuf_init(&b);
	for (k = 0; k < e->n; k++) {
		size_t end = k + 1 < e->n ? e->at[k + 1] : e->b.len;

		sbuf_printf(&b, "%s{\"id\":%lld,\"image_id\":%lld,", w->next_ann > 1 ? "," : "", w->next_ann, image_id);
		sbuf_add(&b, e->b.data + e->at[k], end - e->at[k]);
		w->next_ann++;
	}
	if (b.len && fwrite(b.data, 1, b.len, w->af->fp) != b.len)
		rc = err_set(cause, "%s: write failed: %s", w->path, strerror(errno));
	sbuf_free(&b);
	return rc;
}

int coco_writer_image(struct coco_writer *w, const char *file_name, const struct doc *d,
    const struct compose *c, char **cause)
{
	struct coco_encoded e;
	int rc;

	if (coco_encode_image(d, c, w->rle, &e, cause) != 0) {
		/* As before the split: the image is listed, its annotations are not. */
		json_array_append_new(w->images, json_pack("{s:I, s:s, s:i, s:i}", "id", (json_int_t)w->next_image++,
		    "file_name", file_name, "width", c->w, "height", c->h));
		return -1;
	}
	rc = coco_writer_put(w, 0, file_name, &e, cause);
	coco_encoded_free(&e);
	return rc;
}

int coco_writer_close(struct coco_writer *w, char **cause)
{
	FILE *fp = w->af->fp;
	int rc;

	fputs("],\"images\":", fp);
	json_dumpf(w->images, fp, DUMP_FLAGS);
	fputs(",\"categories\":", fp);
	json_dumpf(w->categories, fp, DUMP_FLAGS);
	fputs("}\n", fp);
	if (ferror(fp)) {
		err_set(cause, "%s: write failed: %s", w->path, strerror(errno));
		coco_writer_abort(w);
		return -1;
	}
	rc = afile_commit(w->af, cause);
	free(w->af);
	w->af = NULL;
	coco_writer_abort(w);
	return rc;
}

void coco_writer_abort(struct coco_writer *w)
{
	if (w->af) {
		afile_abort(w->af);
		free(w->af);
	}
	json_decref(w->images);
	json_decref(w->categories);
	free(w->path);
	memset(w, 0, sizeof(*w));
}
