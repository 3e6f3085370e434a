/* yolo.c: YOLO segmentation labels (yolo.h): the lines of an export, one per connected part of
 * what each instance shows, and the lines of a label file read back into painter's order. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "raster.h"
#include "sbuf.h"
#include "xalloc.h"
#include "yolo.h"

int yolo_digits(int extent)
{
	/* A vertex k / 256 pixels is written as k / (256 * extent) rounded to d decimals, off by
	 * at most 10^-d / 2; times 256 * extent that is at most 1/8 of a grid step when
	 * 10^d >= 1024 * extent, so rounding to the nearest step (and the double's own error, far
	 * below that) gives k back. */
	double need = 1024.0 * (extent > 0 ? extent : 1);
	double p = 1;
	int d = 0;

	while (p < need) {
		p *= 10;
		d++;
	}
	return d;
}

static void put_coord(struct sbuf *b, int32_t v, int extent, int digits)
{
	char s[64];
	size_t n;

	snprintf(s, sizeof(s), "%.*f", digits, (double)v / ((double)RASTER_ONE * extent));
	n = strlen(s);
	/* Trailing zeros say nothing; keep "0" and "1" whole. */
	if (strchr(s, '.')) {
		while (n > 0 && s[n - 1] == '0')
			n--;
		if (n > 0 && s[n - 1] == '.')
			n--;
	}
	sbuf_addc(b, ' ');
	sbuf_add(b, s, n);
}

/* One part: the pixels labelled part in lab (box wide) traced, joined and written. */
static int put_part(struct sbuf *b, const uint32_t *lab, raster_rect box, uint32_t part, raster_rect pb,
    int cls, int w, int h, int dx, int dy, char **cause)
{
	size_t bw = (size_t)(box.x1 - box.x0), pw = (size_t)(pb.x1 - pb.x0), nrings, n, i, k;
	uint8_t *m = xcalloc(pw * (size_t)(pb.y1 - pb.y0), 1);
	raster_ring *rings;
	raster_pt *path;
	int x, y;

	for (y = pb.y0; y < pb.y1; y++)
		for (x = pb.x0; x < pb.x1; x++)
			m[(size_t)(y - pb.y0) * pw + (size_t)(x - pb.x0)] =
			    lab[(size_t)(y - box.y0) * bw + (size_t)(x - box.x0)] == part;
	if (raster_trace(m, pb.x1 - pb.x0, pb.y1 - pb.y0, pw, &rings, &nrings, cause) != 0) {
		free(m);
		return -1;
	}
	free(m);
	for (i = 0; i < nrings; i++)
		for (k = 0; k < rings[i].n; k++) {
			rings[i].pts[k].x += (pb.x0 + dx) * RASTER_ONE;
			rings[i].pts[k].y += (pb.y0 + dy) * RASTER_ONE;
		}
	path = interop_join_rings(rings, nrings, &n);
	sbuf_printf(b, "%d", cls);
	for (k = 0; k < n; k++) {
		put_coord(b, path[k].x, w, yolo_digits(w));
		put_coord(b, path[k].y, h, yolo_digits(h));
	}
	sbuf_addc(b, '\n');
	free(path);
	raster_rings_free(rings, nrings);
	return 0;
}

/* The 4-connected parts of the pixels of c->ids equal to id inside box, each written. */
static int put_instance(struct sbuf *b, const struct compose *c, uint16_t id, raster_rect box, int cls,
    char **cause)
{
	size_t bw = (size_t)(box.x1 - box.x0), bh = (size_t)(box.y1 - box.y0), i, sp, cap = 1024;
	uint32_t *lab = xcalloc(bw * bh, sizeof(*lab)), parts = 0;
	size_t *stack = xreallocarray(NULL, cap, sizeof(*stack));
	int rc = 0;

	for (i = 0; i < bw * bh && rc == 0; i++) {
		size_t x = i % bw, y = i / bw;
		raster_rect pb;

		if (lab[i] || c->ids[(size_t)(y + (size_t)box.y0) * (size_t)c->w + x + (size_t)box.x0] != id)
			continue;
		/* A flood fill that notes the part's bounds. */
		lab[i] = ++parts;
		pb = (raster_rect){ (int)x, (int)y, (int)x + 1, (int)y + 1 };
		stack[0] = i;
		sp = 1;
		while (sp) {
			size_t j = stack[--sp], jx = j % bw, jy = j / bw, nb[4];
			int nn = 0, t;

			if ((int)jx < pb.x0)
				pb.x0 = (int)jx;
			if ((int)jx >= pb.x1)
				pb.x1 = (int)jx + 1;
			if ((int)jy < pb.y0)
				pb.y0 = (int)jy;
			if ((int)jy >= pb.y1)
				pb.y1 = (int)jy + 1;
			if (jx > 0)
				nb[nn++] = j - 1;
			if (jx + 1 < bw)
				nb[nn++] = j + 1;
			if (jy > 0)
				nb[nn++] = j - bw;
			if (jy + 1 < bh)
				nb[nn++] = j + bw;
			for (t = 0; t < nn; t++) {
				size_t q = nb[t];

				if (lab[q] || c->ids[(q / bw + (size_t)box.y0) * (size_t)c->w + q % bw + (size_t)box.x0] != id)
					continue;
				lab[q] = parts;
				if (sp == cap) {
					cap *= 2;
					stack = xreallocarray(stack, cap, sizeof(*stack));
				}
				stack[sp++] = q;
			}
		}
		/* pb is relative to box: put_part works in box coordinates, shifted by box's origin. */
		rc = put_part(b, lab, (raster_rect){ 0, 0, (int)bw, (int)bh }, parts, pb, cls, c->w, c->h, box.x0,
		    box.y0, cause);
	}
	free(stack);
	free(lab);
	return rc;
}

char *yolo_labels(const struct doc *d, const struct compose *c, const int index[256], char **cause)
{
	struct sbuf b;
	size_t i;

	sbuf_init(&b);
	for (i = 0; i < d->ninst; i++) {
		const struct doc_instance *in = d->inst[i];
		raster_rect box = doc_rect_intersect(in->bounds, (raster_rect){ 0, 0, c->w, c->h });

		if (doc_rect_empty(box) || c->inst_pixels[in->id] == 0 || index[in->class_id] < 0)
			continue;
		if (put_instance(&b, c, in->id, box, index[in->class_id], cause) != 0) {
			sbuf_free(&b);
			return NULL;
		}
	}
	sbuf_addc(&b, '\0');
	return b.data; /* the caller's now */
}

/* ---- reading ------------------------------------------------------------------------------ */

static int parse_line(const char *s, const char *file, size_t lineno, int w, int h, const char *const *names,
    size_t nnames, struct interop_image *out, char **cause)
{
	raster_pt *pts = NULL;
	size_t n = 0, cap = 0, nv = 0;
	double xy[2] = { 0, 0 };
	char *end;
	long cls;
	int rc = -1;

	errno = 0;
	cls = strtol(s, &end, 10);
	if (end == s || errno || (*end && *end != ' ' && *end != '\t'))
		return err_set(cause, "%s:%zu: the class index is not a whole number", file, lineno);
	if (cls < 0 || (size_t)cls >= nnames || !names[cls])
		return err_set(cause, "%s:%zu: class index %ld is not in data.yaml's names (0 to %zu)", file, lineno,
		    cls, nnames ? nnames - 1 : 0);
	for (s = end;;) {
		double v;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		errno = 0;
		v = strtod(s, &end);
		if (end == s || errno || (*end && *end != ' ' && *end != '\t') || !isfinite(v)) {
			err_set(cause, "%s:%zu: coordinate %zu is not a number", file, lineno, nv + 1);
			goto out;
		}
		if (v < 0 || v > 1) {
			err_set(cause, "%s:%zu: coordinate %zu (%g) is outside [0, 1]", file, lineno, nv + 1, v);
			goto out;
		}
		xy[nv % 2] = v;
		if (nv % 2) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				if (cap > RASTER_MAX_VERTICES) {
					err_set(cause, "%s:%zu: too many points", file, lineno);
					goto out;
				}
				pts = xreallocarray(pts, cap, sizeof(*pts));
			}
			pts[n++] = raster_pt_from_double(xy[0] * w, xy[1] * h);
		}
		nv++;
		s = end;
	}
	if (nv % 2) {
		err_set(cause, "%s:%zu: an odd number of coordinates (%zu)", file, lineno, nv);
		goto out;
	}
	if (n < 3) {
		err_set(cause, "%s:%zu: a polygon needs at least 3 points, this has %zu", file, lineno, n);
		goto out;
	}
	{
		raster_ring ring = { pts, n };
		struct doc_shape *sh = doc_shape_polygon(DOC_ADD, &ring, 1, cause);
		size_t obj;

		if (!sh)
			goto out;
		obj = interop_add_object(out, names[cls], NULL, (int)cls + 1, 0);
		interop_add_piece(out, obj, sh);
	}
	rc = 0;
out:
	free(pts);
	return rc;
}

/* The next line of text from *pos, as a new string without its "\n" or "\r\n", numbered in
 * *lineno: 1, or 0 at the end, or -1 with *cause for a line that holds a NUL byte. */
static int next_line(const char *text, size_t len, const char *file, size_t *pos, size_t *lineno, char **line,
    char **cause)
{
	size_t e = *pos, n;

	if (*pos >= len)
		return 0;
	while (e < len && text[e] != '\n')
		e++;
	n = e - *pos;
	++*lineno;
	if (memchr(text + *pos, '\0', n))
		return err_set(cause, "%s:%zu: a NUL byte", file, *lineno);
	*line = xmalloc(n + 1);
	memcpy(*line, text + *pos, n);
	(*line)[n] = '\0';
	if (n && (*line)[n - 1] == '\r')
		(*line)[n - 1] = '\0';
	*pos = e + 1;
	return 1;
}

int yolo_read(const char *text, size_t len, const char *file, int w, int h, const char *const *names,
    size_t nnames, struct interop_image *out, char **cause)
{
	size_t pos = 0, lineno = 0;
	char *line;
	int rc = 0, got;

	out->w = w;
	out->h = h;
	while (rc == 0 && (got = next_line(text, len, file, &pos, &lineno, &line, cause)) != 0) {
		const char *s;

		if (got < 0)
			return -1;
		if (lineno > YOLO_MAX_LINES) {
			free(line);
			return err_set(cause, "%s: more than %d lines", file, YOLO_MAX_LINES);
		}
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (*s)
			rc = parse_line(s, file, lineno, w, h, names, nnames, out, cause);
		free(line);
	}
	return rc;
}

/* ---- data.yaml ---------------------------------------------------------------------------- */

/* One scalar at *sp: quoted, or plain up to a comment, the line's end, or (in a flow
 * collection) ',', ']' or '}'. A new string, or NULL with *cause. *sp moves past it. */
static char *yaml_scalar(const char **sp, int flow, const char *file, size_t lineno, char **cause)
{
	const char *s = *sp;
	struct sbuf b;

	sbuf_init(&b);
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '"' || *s == '\'') {
		char q = *s++;

		for (;; s++) {
			if (!*s) {
				sbuf_free(&b);
				err_set(cause, "%s:%zu: a quoted string without its end", file, lineno);
				return NULL;
			}
			if (*s == q) {
				if (q == '\'' && s[1] == '\'') {
					sbuf_addc(&b, '\'');
					s++;
					continue;
				}
				s++;
				break;
			}
			if (q == '"' && *s == '\\' && s[1]) {
				s++;
				switch (*s) {
				case 'n': sbuf_addc(&b, '\n'); break;
				case 't': sbuf_addc(&b, '\t'); break;
				case 'x':
					if (isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])) {
						char hex[3] = { s[1], s[2], 0 };

						sbuf_addc(&b, (char)strtol(hex, NULL, 16));
						s += 2;
						break;
					}
					/* fall through */
				default: sbuf_addc(&b, *s); break;
				}
				continue;
			}
			sbuf_addc(&b, *s);
		}
	} else {
		const char *e = s;

		while (*e && !(e > s && *e == '#' && (e[-1] == ' ' || e[-1] == '\t')) &&
		    !(flow && (*e == ',' || *e == ']' || *e == '}')))
			e++;
		*sp = e;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		sbuf_add(&b, s, (size_t)(e - s));
		sbuf_addc(&b, '\0');
		return b.data;
	}
	*sp = s;
	sbuf_addc(&b, '\0');
	return b.data;
}

static int yaml_name(struct yolo_yaml *y, long index, char *name, const char *file, size_t lineno, char **cause)
{
	if (index < 0 || index >= YOLO_MAX_NAMES) {
		free(name);
		return err_set(cause, "%s:%zu: names: index %ld is not in 0 to %d (pxlabel's class ids end at 255)", file,
		    lineno, index, YOLO_MAX_NAMES - 1);
	}
	if (!*name) {
		free(name);
		return err_set(cause, "%s:%zu: names: index %ld has an empty name", file, lineno, index);
	}
	free(y->names[index]);
	y->names[index] = name;
	if ((size_t)index + 1 > y->nnames)
		y->nnames = (size_t)index + 1;
	return 0;
}

/* "N: name" at s (a mapping entry, block or flow). */
static int yaml_entry(struct yolo_yaml *y, const char **sp, int flow, const char *file, size_t lineno, char **cause)
{
	const char *s = *sp;
	char *end, *name;
	long index;

	while (*s == ' ' || *s == '\t')
		s++;
	index = strtol(s, &end, 10);
	if (end == s || *end != ':')
		return err_set(cause, "%s:%zu: names: not an entry \"INDEX: NAME\"", file, lineno);
	s = end + 1;
	if (!(name = yaml_scalar(&s, flow, file, lineno, cause)))
		return -1;
	*sp = s;
	return yaml_name(y, index, name, file, lineno, cause);
}

/* names: [a, b] or {0: a, 1: b} on one line. */
static int yaml_flow(struct yolo_yaml *y, const char *s, const char *file, size_t lineno, char **cause)
{
	char close = *s == '[' ? ']' : '}';
	long index = 0;

	for (s++;; index++) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == close)
			return 0;
		if (close == ']') {
			char *name = yaml_scalar(&s, 1, file, lineno, cause);

			if (!name || yaml_name(y, index, name, file, lineno, cause) != 0)
				return -1;
		} else if (yaml_entry(y, &s, 1, file, lineno, cause) != 0) {
			return -1;
		}
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == ',')
			s++;
		else if (*s != close)
			return err_set(cause, "%s:%zu: names: a list or mapping on one line must end with '%c'", file, lineno,
			    close);
	}
}

int yolo_yaml_parse(const char *text, size_t len, const char *file, struct yolo_yaml *out, char **cause)
{
	size_t pos = 0, lineno = 0;
	long next = 0;
	char *line;
	int in_names = 0, rc = 0, got;

	memset(out, 0, sizeof(*out));
	while (rc == 0 && (got = next_line(text, len, file, &pos, &lineno, &line, cause)) != 0) {
		const char *s;

		if (got < 0) {
			rc = -1;
			break;
		}
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (!*s || *s == '#') {
			free(line);
			continue;
		}
		if (s > line && in_names) {
			/* An entry of the names block. */
			if (*s == '-' && (s[1] == ' ' || s[1] == '\0')) {
				char *name;

				s++;
				name = yaml_scalar(&s, 0, file, lineno, cause);
				rc = name ? yaml_name(out, next++, name, file, lineno, cause) : -1;
			} else {
				rc = yaml_entry(out, &s, 0, file, lineno, cause);
			}
		} else if (s == line) {
			const char *colon = strchr(s, ':');
			char **slot = NULL;

			in_names = 0;
			if (!colon) {
				rc = err_set(cause, "%s:%zu: not \"KEY: VALUE\"", file, lineno);
			} else {
				size_t klen = (size_t)(colon - s);
				const char *v = colon + 1;

				while (*v == ' ' || *v == '\t')
					v++;
				if (klen == 5 && !strncmp(s, "names", 5)) {
					if (*v == '[' || *v == '{')
						rc = yaml_flow(out, v, file, lineno, cause);
					else if (*v && *v != '#')
						rc = err_set(cause, "%s:%zu: names: a list or a mapping, please", file, lineno);
					else
						in_names = 1;
					next = 0;
				} else if (klen == 4 && !strncmp(s, "path", 4)) {
					slot = &out->path;
				} else if (klen == 5 && !strncmp(s, "train", 5)) {
					slot = &out->train;
				} else if (klen == 3 && !strncmp(s, "val", 3)) {
					slot = &out->val;
				}
				if (slot) {
					if (*v == '[' || *v == '-')
						rc = err_set(cause, "%s:%zu: %.*s: one folder, please (lists are not read)", file,
						    lineno, (int)klen, s);
					else if (!(free(*slot), *slot = yaml_scalar(&v, 0, file, lineno, cause)))
						rc = -1;
				}
			}
		}
		free(line);
	}
	if (rc == 0 && out->nnames == 0)
		rc = err_set(cause, "%s: no names", file);
	if (rc != 0)
		yolo_yaml_free(out);
	return rc;
}

void yolo_yaml_free(struct yolo_yaml *y)
{
	free(y->path);
	free(y->train);
	free(y->val);
	for (size_t i = 0; i < YOLO_MAX_NAMES; i++)
		free(y->names[i]);
	memset(y, 0, sizeof(*y));
}
