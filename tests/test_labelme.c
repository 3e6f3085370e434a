/* test_labelme.c: LabelMe files the test writes: every shape type to pixel counts worked out by
 * hand, instances from group_id, layering, warnings, hostile files, and write -> read round trips
 * that keep every pixel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "labelme.h"
#include "tap.h"

static char dir[] = "/tmp/pxl-test-labelme-XXXXXX";

static char *put(const char *name, const char *text)
{
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	FILE *f;

	sprintf(p, "%s/%s", dir, name);
	f = fopen(p, "w");
	fputs(text, f);
	fclose(f);
	return p;
}

/* Reads, builds with class id = object index + 1, composes. */
static int load(const char *path, struct interop_image *im, struct compose *c, struct doc **d, char **cause)
{
	struct labelme_opts o = { NULL, LABELME_LINE_WIDTH };
	int ids[64], i;

	if (labelme_read(path, &o, im, cause) != 0)
		return -1;
	for (i = 0; i < 64; i++)
		ids[i] = i + 1;
	if (interop_build_doc(im, ids, im->w, im->h, d, cause) != 0)
		return -1;
	if (compose_init(c, im->w, im->h, cause) != 0 || compose_all(c, *d, cause) != 0)
		return -1;
	return 0;
}

static void shapes(void)
{
	struct interop_image im;
	struct compose c;
	struct doc *d = NULL;
	char *cause = NULL, *p;

	/* rectangle (2,3)-(6,8) (corners given in reverse): 4 x 5 = 20 pixels.
	 * circle centred (10.5, 10.5), rim at (12.5, 10.5): radius 2, the centres at integer offsets
	 * (dx, dy) with dx^2 + dy^2 <= 4: 1 + 4 + 4 + 4 = 13 pixels.
	 * line (20.5, 2.5) to (25.5, 2.5) at the default width 10: centres within 5 of the segment
	 * (round caps): rows -2..7 clipped to 0..7 ... counted below from the formula instead.
	 * polygon triangle (0,20) (8,20) (0,28): pixel (i, j) with centre below the diagonal
	 * x + y < 8 (the centre x + y = i + j + 1 on the diagonal is outside: right edge), so
	 * i + j <= 6: 28 pixels.
	 * point: skipped with a warning. */
	p = put("shapes.json",
	    "{\"version\": \"5.1.1\", \"flags\": {}, \"imagePath\": \"shapes.png\", \"imageData\": null,\n"
	    " \"imageWidth\": 40, \"imageHeight\": 32, \"extra\": 1, \"shapes\": [\n"
	    "  {\"label\": \"r\", \"points\": [[6, 8], [2, 3]], \"group_id\": null, \"shape_type\": \"rectangle\", \"flags\": {}},\n"
	    "  {\"label\": \"c\", \"points\": [[10.5, 10.5], [12.5, 10.5]], \"shape_type\": \"circle\"},\n"
	    "  {\"label\": \"t\", \"points\": [[0, 20], [8, 20], [0, 28]], \"shape_type\": \"polygon\", \"color\": 3},\n"
	    "  {\"label\": \"p\", \"points\": [[30, 30]], \"shape_type\": \"point\"}\n"
	    "]}\n");
	tap_ok(load(p, &im, &c, &d, &cause) == 0, "a file with every kind of shape loads: %s", cause ? cause : "ok");
	tap_ok(im.w == 40 && im.h == 32 && strstr(im.image, "/shapes.png"), "image and size from the file");
	tap_ok(im.nobjects == 3 && im.npieces == 3, "three regions, the point skipped");
	tap_ok(c.inst_pixels[1] == 20, "rectangle: 20 pixels (%llu)", (unsigned long long)c.inst_pixels[1]);
	tap_ok(c.inst_pixels[2] == 13, "circle of radius 2: 13 pixels (%llu)", (unsigned long long)c.inst_pixels[2]);
	tap_ok(c.inst_pixels[3] == 28, "triangle: 28 pixels (%llu)", (unsigned long long)c.inst_pixels[3]);
	{
		size_t i;
		int point = 0, extra = 0, colour = 0;

		for (i = 0; i < im.warnings.n; i++) {
			point |= strstr(im.warnings.v[i], "point \"p\" skipped") != NULL;
			extra |= strstr(im.warnings.v[i], "unknown field \"extra\"") != NULL;
			colour |= strstr(im.warnings.v[i], "shapes[2]: unknown field \"color\"") != NULL;
		}
		tap_ok(point && extra && colour, "warnings: the point, and unknown fields with where they are");
	}
	compose_free(&c);
	doc_free(d);
	interop_image_free(&im);
	free(p);

	/* A line of width 1 along row 2: centres within 0.5 of (0.5, 2.5)-(10.5, 2.5): 11 pixels. */
	{
		struct labelme_opts o = { NULL, RASTER_ONE };
		int ids[2] = { 1, 2 };

		p = put("line.json", "{\"imagePath\": \"l.png\", \"imageWidth\": 16, \"imageHeight\": 8, \"shapes\": [\n"
		    " {\"label\": \"l\", \"points\": [[0.5, 2.5], [10.5, 2.5]], \"shape_type\": \"line\"},\n"
		    " {\"label\": \"s\", \"points\": [[0.5, 5.5], [3.5, 5.5], [3.5, 7.5]], \"shape_type\": \"linestrip\"}]}\n");
		tap_ok(labelme_read(p, &o, &im, &cause) == 0 && interop_build_doc(&im, ids, 16, 8, &d, &cause) == 0 &&
		    compose_init(&c, 16, 8, NULL) == 0 && compose_all(&c, d, NULL) == 0, "lines as strokes");
		/* linestrip: row 5 x 0..3 (4) and column 3 rows 6..7 (2) = 6 */
		tap_ok(c.inst_pixels[1] == 11 && c.inst_pixels[2] == 6, "a line of width 1 takes 11 pixels, the strip 6 (%llu, %llu)",
		    (unsigned long long)c.inst_pixels[1], (unsigned long long)c.inst_pixels[2]);
		compose_free(&c);
		doc_free(d);
		interop_image_free(&im);
		free(p);
	}
}

static void groups_and_layers(void)
{
	struct interop_image im;
	struct compose c;
	struct doc *d = NULL;
	char *cause = NULL, *p;

	/* Two persons share group 0 (one instance); a person without group is its own; the bottle
	 * (drawn last) lies over the first person. Group 0 of another label is another instance. */
	p = put("groups.json", "{\"imagePath\": \"g.png\", \"imageWidth\": 30, \"imageHeight\": 10, \"shapes\": [\n"
	    " {\"label\": \"person\", \"points\": [[0,0],[10,0],[10,10],[0,10]], \"group_id\": 0},\n"
	    " {\"label\": \"person\", \"points\": [[20,0],[30,0],[30,10],[20,10]], \"group_id\": null},\n"
	    " {\"label\": \"person\", \"points\": [[10,0],[14,0],[14,10],[10,10]], \"group_id\": 0},\n"
	    " {\"label\": \"bottle\", \"points\": [[5,0],[12,0],[12,10],[5,10]], \"group_id\": 0}]}\n");
	tap_ok(load(p, &im, &c, &d, &cause) == 0, "groups load: %s", cause ? cause : "ok");
	tap_ok(im.nobjects == 3, "three instances: (person, 0), (person, none), (bottle, 0)");
	/* person 0: x 0..14 = 140 px, less the bottle's x 5..12 = 70: 70 left. */
	tap_ok(c.inst_pixels[1] == 70 && c.inst_pixels[2] == 100 && c.inst_pixels[3] == 70,
	    "the later bottle lies over the grouped person (%llu %llu %llu)", (unsigned long long)c.inst_pixels[1],
	    (unsigned long long)c.inst_pixels[2], (unsigned long long)c.inst_pixels[3]);
	compose_free(&c);
	doc_free(d);
	interop_image_free(&im);
	free(p);
}

static void hostile(void)
{
	struct labelme_opts o = { NULL, LABELME_LINE_WIDTH };
	struct interop_image im;
	char *cause = NULL, *p;

	p = put("broken.json", "{\"imagePath\": \"a.png\",\n \"shapes\": [\n  {\"label\": \"a\",, }\n]}\n");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause && strstr(cause, "broken.json:3:"),
	    "malformed JSON: file, line and column: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(p);
	p = put("escape.json", "{\"imagePath\": \"../../etc/x.png\", \"shapes\": []}");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause && strstr(cause, "leads out of"),
	    "an imagePath out of the folder is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(p);
	p = put("abs.json", "{\"imagePath\": \"/etc/x.png\", \"shapes\": []}");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause, "an absolute imagePath is refused");
	free(cause);
	cause = NULL;
	free(p);
	p = put("nan.json", "{\"imagePath\": \"a.png\", \"shapes\": [{\"label\": \"a\", \"points\": [[1e300, 0], [1, 1], [0, 1]]}]}");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause && strstr(cause, "out of range"),
	    "a coordinate out of range is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(p);
	p = put("pts.json", "{\"imagePath\": \"a.png\", \"shapes\": [{\"label\": \"a\", \"points\": [[1, 2, 3]]}]}");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause && strstr(cause, "shapes[0].points[0]"),
	    "a bad point says which: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(p);
	p = put("gid.json", "{\"imagePath\": \"a.png\", \"shapes\": [{\"label\": \"a\", \"group_id\": \"x\", \"points\": []}]}");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause && strstr(cause, "group_id"), "a string group_id is refused");
	free(cause);
	cause = NULL;
	free(p);
	p = put("list.json", "[1, 2]");
	tap_ok(labelme_read(p, &o, &im, &cause) == -1 && cause && strstr(cause, "not a LabelMe file"), "not an object");
	free(cause);
	cause = NULL;
	free(p);
	p = put("two.json", "{\"imagePath\": \"a.png\", \"shapes\": [{\"label\": \"a\", \"points\": [[0, 0], [1, 1]]},"
	    " {\"label\": \"b\", \"points\": [[0, 0], [1, 1]], \"shape_type\": \"hexagon\"}]}");
	tap_ok(labelme_read(p, &o, &im, &cause) == 0 && im.npieces == 0 && im.warnings.n == 2,
	    "a two-point polygon and an unknown shape type are skipped with warnings");
	interop_image_free(&im);
	free(p);
}

/* doc -> LabelMe -> doc: the same masks. */
static void round_trip(void)
{
	struct doc *d = doc_new(32, 24, NULL), *back = NULL;
	struct compose a, b;
	struct interop_image im;
	struct labelme_opts o = { NULL, LABELME_LINE_WIDTH };
	struct doc_shape *s;
	const char *names[256] = { NULL };
	char *cause = NULL, *p = malloc(strlen(dir) + 16);
	int ids[16], i, same = 1;
	uint16_t id;

	names[1] = "one";
	names[2] = "two";
	names[3] = "three";
	/* 1: a polygon with a cut (becomes a traced outline with a hole); 2: a circle of odd width;
	 * 3: a stroke of LabelMe's line width and one of another width; 4 over them all: a plain
	 * polygon with sub-pixel vertices. */
	{
		raster_pt q[4] = { { 256, 256 }, { 20 * 256, 256 }, { 20 * 256, 20 * 256 }, { 256, 20 * 256 } };
		raster_pt h[4] = { { 5 * 256, 5 * 256 }, { 9 * 256, 5 * 256 }, { 9 * 256, 9 * 256 }, { 5 * 256, 9 * 256 } };
		raster_ring r = { q, 4 }, hr = { h, 4 };

		s = doc_shape_polygon(DOC_ADD, &r, 1, NULL);
		doc_add_instance(d, 1, 0, DOC_OVER, s, &id, NULL, NULL);
		s = doc_shape_polygon(DOC_CUT, &hr, 1, NULL);
		doc_add_shape(d, id, s, NULL, NULL);
	}
	{
		raster_pt c = { 25 * 256 + 77, 6 * 256 + 3 };

		s = doc_shape_stroke(DOC_ADD, &c, 1, 7 * 256 + 9, NULL);
		doc_add_instance(d, 2, 0, DOC_OVER, s, &id, NULL, NULL);
	}
	{
		raster_pt l[3] = { { 2 * 256, 22 * 256 }, { 30 * 256, 22 * 256 }, { 30 * 256, 12 * 256 } };
		raster_pt m[2] = { { 2 * 256, 2 * 256 }, { 30 * 256, 20 * 256 } };

		s = doc_shape_stroke(DOC_ADD, l, 3, LABELME_LINE_WIDTH, NULL);
		doc_add_instance(d, 3, 0, DOC_OVER, s, &id, NULL, NULL);
		s = doc_shape_stroke(DOC_ADD, m, 2, 3 * 256, NULL);
		doc_add_shape(d, id, s, NULL, NULL);
	}
	{
		raster_pt q[3] = { { 3 * 256 + 100, 10 * 256 + 1 }, { 28 * 256 + 255, 11 * 256 }, { 14 * 256, 23 * 256 + 128 } };
		raster_ring r = { q, 3 };

		s = doc_shape_polygon(DOC_ADD, &r, 1, NULL);
		doc_add_instance(d, 1, 0, DOC_OVER, s, &id, NULL, NULL);
	}
	sprintf(p, "%s/rt.json", dir);
	tap_ok(labelme_write(p, d, "rt.png", names, LABELME_LINE_WIDTH, &cause) == 0, "written: %s", cause ? cause : "ok");
	tap_ok(labelme_read(p, &o, &im, &cause) == 0, "read back: %s", cause ? cause : "ok");
	for (i = 0; i < (int)im.nobjects && i < 16; i++)
		ids[i] = !strcmp(im.objects[i].label, "one") ? 1 : !strcmp(im.objects[i].label, "two") ? 2 : 3;
	tap_ok(interop_build_doc(&im, ids, 32, 24, &back, &cause) == 0, "rebuilt");
	compose_init(&a, 32, 24, NULL);
	compose_init(&b, 32, 24, NULL);
	if (compose_all(&a, d, NULL) != 0 || compose_all(&b, back, NULL) != 0)
		same = 0;
	for (i = 0; i < 32 * 24; i++)
		same &= a.ids[i] == b.ids[i] && a.cls[i] == b.cls[i];
	tap_ok(same, "every pixel of both masks kept, instance ids too");
	tap_ok(im.npieces == 4, "as 4 shapes: two traced outlines (the cut, the odd stroke), a circle, a polygon (%zu)",
	    im.npieces);
	compose_free(&a);
	compose_free(&b);
	doc_free(d);
	doc_free(back);
	interop_image_free(&im);
	unlink(p);
	free(p);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(dir))
		return 1;
	shapes();
	groups_and_layers();
	hostile();
	round_trip();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
