/* yolo.c: YOLO segmentation labels (yolo.h): the lines of an export, one per connected part of
 * what each instance shows, and the lines of a label file read back into painter's order. */
#include "config.h"

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
	if (cls < 0 || (size_t)cls >= nnames)
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
		obj = interop_add_object(out, names[cls], NULL, 0, 0);
		interop_add_piece(out, obj, sh);
	}
	rc = 0;
out:
	free(pts);
	return rc;
}

int yolo_read(const char *text, size_t len, const char *file, int w, int h, const char *const *names,
    size_t nnames, struct interop_image *out, char **cause)
{
	size_t pos = 0, lineno = 0;
	int rc = 0;

	out->w = w;
	out->h = h;
	while (pos < len && rc == 0) {
		size_t e = pos;
		char *line;
		const char *s;

		while (e < len && text[e] != '\n')
			e++;
		lineno++;
		if (lineno > YOLO_MAX_LINES)
			return err_set(cause, "%s: more than %d lines", file, YOLO_MAX_LINES);
		if (memchr(text + pos, '\0', e - pos))
			return err_set(cause, "%s:%zu: a NUL byte", file, lineno);
		line = xmalloc(e - pos + 1);
		memcpy(line, text + pos, e - pos);
		line[e - pos] = '\0';
		if (e > pos && line[e - pos - 1] == '\r')
			line[e - pos - 1] = '\0';
		for (s = line; *s == ' ' || *s == '\t'; s++)
			;
		if (*s)
			rc = parse_line(s, file, lineno, w, h, names, nnames, out, cause);
		free(line);
		pos = e + 1;
	}
	return rc;
}
