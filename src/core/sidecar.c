/* sidecar.c: the document as JSON. */
#include "config.h"

#include "sidecar.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <jansson.h>

#include "afile.h"
#include "err.h"
#include "text.h"
#include "xalloc.h"

/* ---- writing -------------------------------------------------------------------------- */

/* Review times as ISO 8601 in UTC, readable in a diff; converted by hand rather than through
 * timegm, which is not standard C. */
static void iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int parse_iso_time(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, se, n = 0;
	int64_t days, era, yoe, doy, doe;

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se, &n) != 6 || s[n] ||
	    y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60 ||
	    h < 0 || mi < 0 || se < 0)
		return -1;
	/* Days from the civil date (Howard Hinnant's algorithm). */
	y -= mo <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	days = era * 146097 + doe - 719468;
	*out = days * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* Integers stay integers; other multiples of 1/256 print exactly (they are dyadic). */
static json_t *coord(int32_t v)
{
	if (v % RASTER_ONE == 0)
		return json_integer(v / RASTER_ONE);
	return json_real((double)v / RASTER_ONE);
}

static json_t *points(const raster_pt *pts, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *p = json_array();

		json_array_append_new(p, coord(pts[i].x));
		json_array_append_new(p, coord(pts[i].y));
		json_array_append_new(a, p);
	}
	return a;
}

static json_t *shape_json(const struct doc_shape *s)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "op", json_string(s->op == DOC_CUT ? "cut" : "add"));
	if (s->kind == DOC_POLYGON) {
		json_t *rings = json_array();

		json_object_set_new(o, "type", json_string("polygon"));
		for (i = 0; i < s->nrings; i++)
			json_array_append_new(rings, points(s->rings[i].pts, s->rings[i].n));
		json_object_set_new(o, "rings", rings);
	} else {
		json_object_set_new(o, "type", json_string("stroke"));
		json_object_set_new(o, "width", coord(s->width));
		json_object_set_new(o, "path", points(s->path, s->npath));
	}
	return o;
}

static char *hex_colour(struct pngio_rgb c)
{
	return xasprintf("#%02x%02x%02x", c.r, c.g, c.b);
}

int sidecar_save(const char *path, const struct doc *d, const char *image_file,
    const struct sidecar_class *classes, size_t nclasses, char **cause)
{
	json_t *root = json_object(), *img = json_object(), *insts = json_array(), *cls = json_array();
	uint8_t used[256] = { 0 };
	struct afile af;
	size_t i, k;
	int rc = -1;

	json_object_set_new(root, "format", json_string("pxlabel"));
	json_object_set_new(root, "version", json_integer(SIDECAR_VERSION));
	json_object_set_new(img, "file", json_string(image_file));
	json_object_set_new(img, "width", json_integer(d->w));
	json_object_set_new(img, "height", json_integer(d->h));
	json_object_set_new(root, "image", img);
	json_object_set_new(root, "review", json_string(d->review));
	if (d->note.by)
		json_object_set_new(root, "reviewer", json_string(d->note.by));
	if (d->note.time > 0) {
		char when[32];

		iso_time(d->note.time, when);
		json_object_set_new(root, "review_time", json_string(when));
	}
	if (d->note.comment)
		json_object_set_new(root, "review_comment", json_string(d->note.comment));
	for (i = 0; i < d->ninst; i++) {
		const struct doc_instance *in = d->inst[i];
		json_t *o = json_object(), *shapes = json_array();

		used[in->class_id] = 1;
		json_object_set_new(o, "id", json_integer(in->id));
		json_object_set_new(o, "class", json_integer(in->class_id));
		/* A parent deleted since reads as none. */
		json_object_set_new(o, "parent", json_integer(in->parent && doc_instance(d, in->parent) ? in->parent : 0));
		for (k = 0; k < in->nshapes; k++)
			json_array_append_new(shapes, shape_json(in->shapes[k]));
		json_object_set_new(o, "shapes", shapes);
		json_array_append_new(insts, o);
	}
	for (i = 0; i < nclasses; i++) {
		json_t *o;
		char *hex;

		if (classes[i].id < 1 || classes[i].id > 255 || !used[classes[i].id])
			continue;
		o = json_object();
		hex = hex_colour(classes[i].colour);
		json_object_set_new(o, "id", json_integer(classes[i].id));
		json_object_set_new(o, "name", json_string(classes[i].name));
		json_object_set_new(o, "color", json_string(hex));
		free(hex);
		json_array_append_new(cls, o);
	}
	json_object_set_new(root, "classes", cls);
	if (afile_open(&af, path, cause) != 0)
		goto out;
	/* The head indented, then one instance a line: readable, and a diff shows which
	 * instance an edit touched. The order in the file is the z-order, bottom first. */
	{
		char *head = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
		size_t n = head ? strlen(head) : 0;
		int ok = head && n >= 2;

		if (ok)
			ok = fwrite(head, 1, n - 2, af.fp) == n - 2 && fputs(",\n \"instances\": [", af.fp) != EOF;
		for (i = 0; ok && i < json_array_size(insts); i++) {
			char *line = json_dumps(json_array_get(insts, i),
			    JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));

			ok = line && fprintf(af.fp, "%s\n  %s", i ? "," : "", line) >= 0;
			free(line);
		}
		if (ok)
			ok = fputs(json_array_size(insts) ? "\n ]\n}\n" : "]\n}\n", af.fp) != EOF;
		free(head);
		if (!ok) {
			err_set(cause, "%s: write failed: %s", path, strerror(errno));
			afile_abort(&af);
			goto out;
		}
	}
	rc = afile_commit(&af, cause);
out:
	json_decref(root);
	json_decref(insts);
	return rc;
}

/* ---- reading -------------------------------------------------------------------------- */

struct reader {
	const char *path;
	char **cause;
	struct sidecar_meta *meta;
	size_t vertices; /* in the whole file, against RASTER_MAX_VERTICES */
};

__attribute__((format(printf, 3, 4)))
static int bad(struct reader *r, const char *where, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(r->cause, "%s: %s: %s", r->path, where, msg);
}

static void warn(struct reader *r, const char *where, const char *key)
{
	struct sidecar_meta *m = r->meta;
	char q[TEXT_QUOTE_BUF];

	if (!m || m->nwarnings >= 100)
		return;
	m->warnings = xreallocarray(m->warnings, m->nwarnings + 1, sizeof(char *));
	m->warnings[m->nwarnings++] = text_printf("%s: %s: unknown field %s ignored", r->path, where,
	    text_quote(q, key));
}

static void warn_unknown(struct reader *r, json_t *obj, const char *where, const char *const *known)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		const char *const *k;

		for (k = known; *k && strcmp(*k, key); k++)
			;
		if (!*k)
			warn(r, where, key);
	}
}

static int get_int(struct reader *r, json_t *obj, const char *key, const char *where, long long lo,
    long long hi, long long *out)
{
	json_t *v = json_object_get(obj, key);

	if (!v)
		return bad(r, where, "\"%s\" is missing", key);
	if (!json_is_integer(v))
		return bad(r, where, "\"%s\" must be an integer", key);
	*out = json_integer_value(v);
	if (*out < lo || *out > hi)
		return bad(r, where, "\"%s\" is %lld, outside %lld..%lld", key, *out, lo, hi);
	return 0;
}

/* Whether v is a coordinate in range, without a message: the hot path. */
static int get_xy(json_t *v, int32_t *out)
{
	double x;

	if (!json_is_number(v))
		return 0;
	x = json_number_value(v);
	if (!isfinite(x) || fabs(x) > RASTER_COORD_MAX_PX)
		return 0;
	*out = (int32_t)floor(x * RASTER_ONE + 0.5);
	return 1;
}

static int get_coord(struct reader *r, json_t *v, const char *where, int32_t *out)
{
	if (get_xy(v, out))
		return 0;
	if (!json_is_number(v))
		return bad(r, where, "a coordinate must be a number");
	return bad(r, where, "coordinate %g is out of range", json_number_value(v));
}

/* [[x, y], ...] into a new array. */
static int get_points(struct reader *r, json_t *a, const char *where, size_t min, raster_pt **out,
    size_t *n)
{
	size_t i, len;
	raster_pt *pts;

	if (!json_is_array(a))
		return bad(r, where, "must be a list of [x, y] points");
	len = json_array_size(a);
	if (len < min)
		return bad(r, where, "has %zu points, at least %zu needed", len, min);
	if (len > RASTER_MAX_VERTICES - r->vertices)
		return bad(r, where, "too many vertices in one file (limit %zu)", RASTER_MAX_VERTICES);
	r->vertices += len;
	pts = xreallocarray(NULL, len, sizeof(*pts));
	for (i = 0; i < len; i++) {
		json_t *p = json_array_get(a, i);
		char w[96];
		int32_t v;

		if (json_is_array(p) && json_array_size(p) == 2 && get_xy(json_array_get(p, 0), &pts[i].x) &&
		    get_xy(json_array_get(p, 1), &pts[i].y))
			continue;
		/* Only a bad point pays for naming its place (it is every point of the file). */
		free(pts);
		snprintf(w, sizeof(w), "%.70s[%zu]", where, i);
		if (!json_is_array(p) || json_array_size(p) != 2)
			return bad(r, w, "a point must be [x, y]");
		if (get_coord(r, json_array_get(p, 0), w, &v) == 0)
			(void)get_coord(r, json_array_get(p, 1), w, &v);
		return -1;
	}
	*out = pts;
	*n = len;
	return 0;
}

static struct doc_shape *get_shape(struct reader *r, json_t *o, const char *where)
{
	static const char *const known[] = { "op", "type", "rings", "width", "path", NULL };
	const char *op, *type;
	struct doc_shape *s = NULL;
	enum doc_shape_op sop;
	char w[96], *inner = NULL;

	if (!json_is_object(o)) {
		bad(r, where, "a shape must be an object");
		return NULL;
	}
	warn_unknown(r, o, where, known);
	op = json_string_value(json_object_get(o, "op"));
	type = json_string_value(json_object_get(o, "type"));
	if (!op || (strcmp(op, "add") && strcmp(op, "cut"))) {
		bad(r, where, "\"op\" must be \"add\" or \"cut\"");
		return NULL;
	}
	sop = strcmp(op, "cut") ? DOC_ADD : DOC_CUT;
	if (type && !strcmp(type, "polygon")) {
		json_t *rings = json_object_get(o, "rings");
		raster_ring *rr;
		size_t i, n;

		if (!json_is_array(rings) || json_array_size(rings) == 0) {
			bad(r, where, "\"rings\" must be a non-empty list");
			return NULL;
		}
		n = json_array_size(rings);
		if (n > RASTER_MAX_VERTICES / 3) {
			bad(r, where, "too many rings");
			return NULL;
		}
		rr = xcalloc(n, sizeof(*rr));
		for (i = 0; i < n; i++) {
			snprintf(w, sizeof(w), "%.80s.rings[%zu]", where, i);
			if (get_points(r, json_array_get(rings, i), w, 3, &rr[i].pts, &rr[i].n) != 0)
				break;
		}
		if (i == n) {
			s = doc_shape_polygon(sop, rr, n, &inner);
			if (!s)
				bad(r, where, "%s", inner);
		}
		n = i;
		for (i = 0; i < n; i++)
			free(rr[i].pts);
		free(rr);
		free(inner);
		return s;
	}
	if (type && !strcmp(type, "stroke")) {
		raster_pt *path;
		int32_t width;
		size_t n;

		snprintf(w, sizeof(w), "%.80s.width", where);
		if (get_coord(r, json_object_get(o, "width"), w, &width) != 0)
			return NULL;
		if (width <= 0) {
			bad(r, w, "a stroke's width must be positive");
			return NULL;
		}
		snprintf(w, sizeof(w), "%.80s.path", where);
		if (get_points(r, json_object_get(o, "path"), w, 1, &path, &n) != 0)
			return NULL;
		s = doc_shape_stroke(sop, path, n, width, &inner);
		if (!s)
			bad(r, where, "%s", inner);
		free(inner);
		free(path);
		return s;
	}
	bad(r, where, "\"type\" must be \"polygon\" or \"stroke\"");
	return NULL;
}

static int get_instance(struct reader *r, struct doc *d, json_t *o, const char *where)
{
	static const char *const known[] = { "id", "class", "parent", "shapes", NULL };
	struct doc_shape **shapes;
	long long id, cls, parent = 0;
	json_t *a;
	size_t i, n;
	char w[96];

	if (!json_is_object(o))
		return bad(r, where, "an instance must be an object");
	warn_unknown(r, o, where, known);
	if (get_int(r, o, "id", where, 1, DOC_MAX_INSTANCES, &id) != 0 ||
	    get_int(r, o, "class", where, 1, DOC_MAX_CLASS, &cls) != 0)
		return -1;
	if (json_object_get(o, "parent") && get_int(r, o, "parent", where, 0, DOC_MAX_INSTANCES, &parent) != 0)
		return -1;
	a = json_object_get(o, "shapes");
	if (!json_is_array(a) || json_array_size(a) == 0)
		return bad(r, where, "\"shapes\" must be a non-empty list");
	n = json_array_size(a);
	if (n > DOC_MAX_SHAPES)
		return bad(r, where, "%zu shapes, over the limit of %d", n, DOC_MAX_SHAPES);
	shapes = xcalloc(n, sizeof(*shapes));
	for (i = 0; i < n; i++) {
		snprintf(w, sizeof(w), "%.80s.shapes[%zu]", where, i);
		shapes[i] = get_shape(r, json_array_get(a, i), w);
		if (!shapes[i])
			break;
	}
	if (i < n) {
		while (i-- > 0)
			doc_shape_unref(shapes[i]);
		free(shapes);
		return -1;
	}
	if (doc_load_instance(d, (uint16_t)id, (int)cls, (uint16_t)parent, shapes, n, NULL) != 0) {
		free(shapes);
		return bad(r, where, "instance id %lld appears twice", id);
	}
	free(shapes);
	return 0;
}

static int parse_colour(const char *s, struct pngio_rgb *c)
{
	unsigned r, g, b;
	char tail;

	if (!s || strlen(s) != 7 || sscanf(s, "#%2x%2x%2x%c", &r, &g, &b, &tail) != 3)
		return -1;
	c->r = (uint8_t)r;
	c->g = (uint8_t)g;
	c->b = (uint8_t)b;
	return 0;
}

static int get_classes(struct reader *r, json_t *a)
{
	size_t i, n;

	if (!a)
		return 0;
	if (!json_is_array(a))
		return bad(r, "classes", "must be a list");
	n = json_array_size(a);
	if (n > 255)
		return bad(r, "classes", "more than 255 classes");
	if (!r->meta)
		return 0;
	r->meta->classes = xcalloc(n ? n : 1, sizeof(struct sidecar_class));
	for (i = 0; i < n; i++) {
		json_t *o = json_array_get(a, i);
		struct sidecar_class *c = &r->meta->classes[i];
		const char *name;
		long long id;
		char w[32];

		snprintf(w, sizeof(w), "classes[%zu]", i);
		if (!json_is_object(o))
			return bad(r, w, "a class must be an object");
		if (get_int(r, o, "id", w, 1, 255, &id) != 0)
			return -1;
		name = json_string_value(json_object_get(o, "name"));
		if (!name || !*name || strlen(name) > 64)
			return bad(r, w, "\"name\" must be a string of 1 to 64 bytes");
		if (parse_colour(json_string_value(json_object_get(o, "color")), &c->colour) != 0)
			return bad(r, w, "\"color\" must be \"#rrggbb\"");
		c->id = (int)id;
		c->name = xstrdup(name);
		r->meta->nclasses = i + 1;
	}
	return 0;
}

int sidecar_load(const char *path, struct doc **out, struct sidecar_meta *meta, char **cause)
{
	static const char *const known[] = { "format", "version", "image", "review", "reviewer", "review_time",
		"review_comment", "classes", "instances", NULL };
	struct reader r = { path, cause, meta, 0 };
	struct sidecar_meta scratch;
	json_error_t jerr;
	json_t *root = NULL, *img, *insts;
	struct doc *d = NULL;
	long long version, w, h;
	const char *format, *review, *file, *s;
	struct doc_note note = { NULL, NULL, 0 };
	struct stat st;
	char *text = NULL;
	FILE *fp;
	size_t i, len;
	int rc = -1;

	*out = NULL;
	if (!meta)
		meta = r.meta = &scratch;
	memset(meta, 0, sizeof(*meta));
	/* One read and a parse from memory: jansson reading a FILE takes a locked getc a byte. */
	fp = fopen(path, "rb");
	if (!fp)
		return err_set(cause, "%s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) != 0) {
		err_set(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if ((unsigned long long)st.st_size > SIDECAR_MAX_BYTES) {
		err_set(cause, "%s: %llu bytes, over the limit of %llu for a sidecar", path,
		    (unsigned long long)st.st_size, SIDECAR_MAX_BYTES);
		goto out;
	}
	/* One byte more than the size, so that a file grown since fstat is seen and refused. */
	text = xmalloc((size_t)st.st_size + 1);
	len = fread(text, 1, (size_t)st.st_size + 1, fp);
	if (ferror(fp)) {
		err_set(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (len > (size_t)st.st_size) {
		err_set(cause, "%s: changed while being read", path);
		goto out;
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		err_set(cause, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		goto out;
	}
	if (!json_is_object(root)) {
		bad(&r, "top level", "must be an object");
		goto out;
	}
	warn_unknown(&r, root, "top level", known);
	format = json_string_value(json_object_get(root, "format"));
	if (!format || strcmp(format, "pxlabel")) {
		bad(&r, "format", "not a pxlabel sidecar (\"format\": \"pxlabel\" missing)");
		goto out;
	}
	if (get_int(&r, root, "version", "top level", 1, 1000000, &version) != 0)
		goto out;
	if (version > SIDECAR_VERSION) {
		bad(&r, "version", "version %lld is newer than this pxlabel reads (%d): upgrade pxlabel",
		    version, SIDECAR_VERSION);
		goto out;
	}
	img = json_object_get(root, "image");
	if (!json_is_object(img)) {
		bad(&r, "image", "must be an object with file, width and height");
		goto out;
	}
	if (get_int(&r, img, "width", "image", 1, RASTER_COORD_MAX_PX, &w) != 0 ||
	    get_int(&r, img, "height", "image", 1, RASTER_COORD_MAX_PX, &h) != 0)
		goto out;
	file = json_string_value(json_object_get(img, "file"));
	meta->image_file = xstrdup(file ? file : "");
	d = doc_new((int)w, (int)h, cause);
	if (!d)
		goto out;
	review = json_string_value(json_object_get(root, "review"));
	/* The note's keys came with the review record: a sidecar without them (older) has none. */
	if (json_object_get(root, "review_comment")) {
		note.comment = (char *)json_string_value(json_object_get(root, "review_comment"));
		if (!note.comment || doc_note_check(note.comment, DOC_MAX_COMMENT, "comment", NULL) != 0) {
			bad(&r, "review_comment", "must be UTF-8 text of at most %d bytes without control characters",
			    DOC_MAX_COMMENT);
			goto out;
		}
	}
	if (json_object_get(root, "reviewer")) {
		note.by = (char *)json_string_value(json_object_get(root, "reviewer"));
		if (!note.by || doc_note_check(note.by, DOC_MAX_REVIEWER, "name", NULL) != 0) {
			bad(&r, "reviewer", "must be a name of at most %d bytes without control characters",
			    DOC_MAX_REVIEWER);
			goto out;
		}
	}
	if (json_object_get(root, "review_time")) {
		s = json_string_value(json_object_get(root, "review_time"));
		if (!s || parse_iso_time(s, &note.time) != 0) {
			bad(&r, "review_time", "must be a UTC time as \"YYYY-MM-DDTHH:MM:SSZ\"");
			goto out;
		}
	}
	if ((review || note.by || note.comment || note.time) &&
	    doc_set_review_note(d, review ? review : "todo", &note, NULL) != 0) {
		bad(&r, "review", "must be 1 to 32 characters");
		goto out;
	}
	if (get_classes(&r, json_object_get(root, "classes")) != 0)
		goto out;
	insts = json_object_get(root, "instances");
	if (!json_is_array(insts)) {
		bad(&r, "instances", "must be a list");
		goto out;
	}
	if (json_array_size(insts) > DOC_MAX_INSTANCES) {
		bad(&r, "instances", "more than %d instances", DOC_MAX_INSTANCES);
		goto out;
	}
	for (i = 0; i < json_array_size(insts); i++) {
		char where[32];

		snprintf(where, sizeof(where), "instances[%zu]", i);
		if (get_instance(&r, d, json_array_get(insts, i), where) != 0)
			goto out;
	}
	doc_clear_history(d);
	d->edits = 0;
	*out = d;
	d = NULL;
	rc = 0;
out:
	if (fp)
		fclose(fp);
	free(text);
	json_decref(root);
	doc_free(d);
	if (rc != 0 || meta == &scratch)
		sidecar_meta_free(meta);
	return rc;
}

void sidecar_meta_free(struct sidecar_meta *m)
{
	size_t i;

	if (!m)
		return;
	free(m->image_file);
	for (i = 0; i < m->nclasses; i++)
		free(m->classes[i].name);
	free(m->classes);
	for (i = 0; i < m->nwarnings; i++)
		free(m->warnings[i]);
	free(m->warnings);
	memset(m, 0, sizeof(*m));
}

/* ---- the review state alone ------------------------------------------------------------ */

#define PEEK_BYTES 4096

/* The value of the top-level "review" key in the first len bytes of a sidecar as pxlabel
 * writes it, into buf: 1 found, 0 absent from a file that was read whole, -1 when the head does
 * not settle it (a key further on, escapes, a value that is not a plain string). */
static int peek_head(const char *head, size_t len, int whole, char *buf, size_t n)
{
	const char *p = head, *end = head + len, *v;

	while ((p = memmem(p, (size_t)(end - p), "\"review\"", 8)) != NULL) {
		const char *q = p + 8, *b = p;

		/* A quote after an odd run of backslashes is inside a string (a file name). */
		while (b > head && b[-1] == '\\')
			b--;
		p = q;
		if ((size_t)(q - 8 - b) % 2)
			continue;
		while (q < end && (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'))
			q++;
		if (q >= end || *q != ':')
			continue; /* a string value "review", not the key */
		for (q++; q < end && (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'); q++)
			;
		if (q >= end || *q != '"')
			return -1;
		for (v = ++q; q < end && *q != '"' && *q != '\\'; q++)
			;
		if (q >= end || *q != '"' || (size_t)(q - v) >= n)
			return -1;
		memcpy(buf, v, (size_t)(q - v));
		buf[q - v] = '\0';
		return 1;
	}
	return whole ? 0 : -1;
}

int sidecar_peek_review(const char *path, char *buf, size_t n)
{
	char head[PEEK_BYTES];
	struct doc *d = NULL;
	size_t len;
	FILE *fp;
	int rc;

	if (n < 2)
		return -1;
	fp = fopen(path, "rb");
	if (!fp)
		return errno == ENOENT ? 1 : -1;
	len = fread(head, 1, sizeof(head), fp);
	rc = ferror(fp) ? -2 : peek_head(head, len, len < sizeof(head), buf, n);
	fclose(fp);
	if (rc == -2)
		return -1;
	if (rc == 0)
		snprintf(buf, n, "todo"); /* what a document without the key reads as */
	if (rc >= 0)
		return 0;
	/* Not settled by the head: the whole file, as every other reader sees it. */
	if (sidecar_load(path, &d, NULL, NULL) != 0)
		return -1;
	snprintf(buf, n, "%s", d->review);
	doc_free(d);
	return 0;
}
