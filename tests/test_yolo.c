/* test_yolo.c: YOLO labels without the CLI: the digits that bring every vertex back on the
 * 1/256 grid (all of them, for some widths), export -> fill the lines in order -> the class
 * mask exactly (holes, parts, instances over each other, sub-pixel vertices), export -> read
 * -> the same class mask, and the lines a reader must refuse, by file and line. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "raster.h"
#include "tap.h"
#include "yolo.h"

#define W 61
#define H 47

/* Every k / 256 pixel in [0, extent] written as the export writes it and read as import does. */
static int digits_round_trip(int extent)
{
	int d = yolo_digits(extent);
	int64_t k, bad = 0;

	for (k = 0; k <= (int64_t)extent * RASTER_ONE; k++) {
		char s[64];
		double v;

		snprintf(s, sizeof(s), "%.*f", d, (double)k / ((double)RASTER_ONE * extent));
		v = strtod(s, NULL);
		if (raster_pt_from_double(v * extent, 0).x != k)
			bad++;
	}
	return bad == 0;
}

static struct doc_shape *poly(const double *xy, size_t n, enum doc_shape_op op)
{
	raster_pt pts[64];
	raster_ring r = { pts, n };
	char *cause = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		pts[i] = raster_pt_from_double(xy[2 * i], xy[2 * i + 1]);
	return doc_shape_polygon(op, &r, 1, &cause);
}

static struct doc *scene(void)
{
	static const double frame[] = { 2, 2, 40, 2, 40, 30, 2, 30 };
	static const double hole[] = { 10, 10, 30, 10, 30, 22, 10, 22 };
	static const double inner[] = { 12.3, 12.7, 20.1, 11.2, 18.9, 19.6 };
	static const double over[] = { 35.5, 0.25, 60.5, 20.75, 33.1, 44.9 };
	static const double far[] = { 50, 30, 58, 30, 58, 40, 50, 40 };
	char *cause = NULL;
	struct doc *d = doc_new(W, H, &cause);
	uint16_t a, b, c;

	/* A frame with a hole; a triangle inside the hole, a triangle over the frame's right side
	 * (splitting what shows of it), and an instance in two parts. */
	doc_add_instance(d, 3, 0, DOC_OVER, poly(frame, 4, DOC_ADD), &a, NULL, &cause);
	doc_add_shape(d, a, poly(hole, 4, DOC_CUT), NULL, &cause);
	doc_add_instance(d, 1, 0, DOC_OVER, poly(inner, 3, DOC_ADD), &b, NULL, &cause);
	doc_add_instance(d, 2, 0, DOC_OVER, poly(over, 3, DOC_ADD), &c, NULL, &cause);
	doc_add_instance(d, 5, 0, DOC_BEHIND, poly(far, 4, DOC_ADD), &c, NULL, &cause);
	doc_add_shape(d, a, poly((const double[]){ 3, 34, 9, 34, 9, 44, 3, 44 }, 4, DOC_ADD), NULL, &cause);
	return d;
}

/* The lines filled one after another with the pixel rule, index + 1 as the class. */
static int fill_lines(const char *text, uint8_t *mask)
{
	const char *s = text;

	memset(mask, 0, W * H);
	while (*s) {
		raster_pt pts[4096];
		size_t n = 0;
		char *end, *cause = NULL;
		long cls = strtol(s, &end, 10);

		s = end;
		while (*s == ' ') {
			double x = strtod(s, &end), y = strtod(end, &end);

			pts[n++] = raster_pt_from_double(x * W, y * H);
			s = end;
		}
		if (*s++ != '\n')
			return -1;
		raster_ring r = { pts, n };
		if (raster_fill_rings_u8(mask, W, H, W, &r, 1, (uint8_t)(cls + 1), &cause) != 0)
			return -1;
	}
	return 0;
}

static void round_trip(void)
{
	static const char *const names[6] = { "one", "two", "three", "four", "five", "six" };
	struct doc *d = scene(), *back = NULL;
	struct compose c, c2;
	struct interop_image im;
	uint8_t filled[W * H];
	int index[256], ids[64], i, holes = 0;
	char *cause = NULL, *text;
	size_t lines = 0;
	const char *p;

	for (i = 0; i < 256; i++)
		index[i] = i - 1;
	compose_init(&c, W, H, &cause);
	tap_ok(compose_all(&c, d, &cause) == 0, "the scene composes");
	text = yolo_labels(d, &c, index, &cause);
	tap_ok(text != NULL, "labels written");
	if (getenv("YOLO_SHOW"))
		fputs(text, stderr);
	for (p = text; *p; p++)
		lines += *p == '\n';
	/* five (behind); the frame: the triangle over it leaves a corner right of its tip, so two
	 * parts there, and the square below; one; two */
	tap_ok(lines == 6, "one line per connected part (%zu)", lines);
	tap_ok(text[0] == '4' && text[1] == ' ', "bottom first: the instance put behind is the first line");
	tap_ok(fill_lines(text, filled) == 0, "the lines parse");
	tap_ok(memcmp(filled, c.cls, W * H) == 0, "filling the lines in order gives the class mask exactly");
	for (i = 0; i < W * H; i++)
		holes += c.cls[i] == 0 && i % W > 12 && i % W < 28 && i / W > 10 && i / W < 21;
	tap_ok(holes > 0, "the hole is there to be kept (%d unlabeled pixels in it)", holes);

	memset(&im, 0, sizeof(im));
	tap_ok(yolo_read(text, strlen(text), "t.txt", W, H, names, 6, &im, &cause) == 0, "read back");
	for (i = 0; i < 64; i++)
		ids[i] = 0;
	for (i = 0; i < (int)im.nobjects; i++) {
		int k;

		for (k = 0; k < 6; k++)
			if (!strcmp(names[k], im.objects[i].label))
				ids[i] = k + 1;
	}
	tap_ok(interop_build_doc(&im, ids, W, H, &back, &cause) == 0, "a document from the lines");
	compose_init(&c2, W, H, &cause);
	tap_ok(compose_all(&c2, back, &cause) == 0 && memcmp(c2.cls, c.cls, W * H) == 0,
	    "read back, the class mask is the same");
	compose_free(&c2);
	doc_free(back);
	interop_image_free(&im);
	free(text);
	compose_free(&c);
	doc_free(d);
}

static void refused(const char *text, const char *want, const char *what)
{
	static const char *const names[2] = { "a", "b" };
	struct interop_image im;
	char *cause = NULL;
	int rc;

	memset(&im, 0, sizeof(im));
	rc = yolo_read(text, strlen(text), "lab.txt", 100, 50, names, 2, &im, &cause);
	tap_ok(rc == -1 && cause && strstr(cause, want), "%s: %s", what, cause ? cause : "(accepted)");
	free(cause);
	interop_image_free(&im);
}

static void yaml(void)
{
	static const char block[] = "# comment\npath: \"/data/x y\"  # root\ntrain: images/train\nval: 'images/v''al'\n"
				    "download: |\n  a: b\nnames:\n  0: cat\n  2: \"dog \\\"big\\\"\"\r\n  # gap\n  3: 'it''s'\nnc: 4\n";
	static const char list[] = "names:\n  - person\n  - bicycle # two\ntrain: a\n";
	struct yolo_yaml y;
	char *cause = NULL;

	tap_ok(yolo_yaml_parse(block, strlen(block), "d.yaml", &y, &cause) == 0, "a block mapping of names (%s)",
	    cause ? cause : "");
	tap_ok(y.path && !strcmp(y.path, "/data/x y") && !strcmp(y.train, "images/train") && !strcmp(y.val, "images/v'al"),
	    "path, train and val, quoted and plain");
	tap_ok(y.nnames == 4 && !strcmp(y.names[0], "cat") && !y.names[1] && !strcmp(y.names[2], "dog \"big\"") &&
		!strcmp(y.names[3], "it's"),
	    "names by index, a gap kept, escapes");
	yolo_yaml_free(&y);
	tap_ok(yolo_yaml_parse(list, strlen(list), "d.yaml", &y, &cause) == 0 && y.nnames == 2 &&
		!strcmp(y.names[1], "bicycle") && !y.path,
	    "a block list, a comment after a name");
	yolo_yaml_free(&y);
	tap_ok(yolo_yaml_parse("names: [a, 'b, c', d]\n", 22, "d.yaml", &y, &cause) == 0 && y.nnames == 3 &&
		!strcmp(y.names[1], "b, c"),
	    "a flow list");
	yolo_yaml_free(&y);
	tap_ok(yolo_yaml_parse("names: {0: a, 5: b}\n", 20, "d.yaml", &y, &cause) == 0 && y.nnames == 6 &&
		!strcmp(y.names[5], "b"),
	    "a flow mapping");
	yolo_yaml_free(&y);
	tap_ok(yolo_yaml_parse("names: [a, b\n", 13, "d.yaml", &y, &cause) == -1 && strstr(cause, "d.yaml:1:"),
	    "an unclosed list: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(yolo_yaml_parse("names:\n  300: a\n", 17, "d.yaml", &y, &cause) == -1 && strstr(cause, "d.yaml:2:"),
	    "an index pxlabel cannot hold: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(yolo_yaml_parse("train: [a, b]\nnames: [a]\n", 25, "d.yaml", &y, &cause) == -1, "a list of folders: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(yolo_yaml_parse("path: x\n", 8, "d.yaml", &y, &cause) == -1 && strstr(cause, "no names"), "no names");
	free(cause);
}

int main(void)
{
	yaml();
	tap_ok(yolo_digits(1) == 4 && yolo_digits(640) == 6 && yolo_digits(100000) == 9, "digits");
	tap_ok(digits_round_trip(1), "every vertex of a 1-pixel extent comes back");
	tap_ok(digits_round_trip(640), "every vertex of a 640-pixel extent comes back");
	tap_ok(digits_round_trip(977), "every vertex of a 977-pixel extent comes back");
	tap_ok(digits_round_trip(24000), "every vertex of a 24000-pixel extent comes back");
	round_trip();
	refused("0 0 0 1 0 1 1\n1 0 0 1 0 1\n", "lab.txt:2: an odd number", "odd length");
	refused("0 0 0 1 0 1 1 0 1\n1 0 0 1 0 x 1\n", "lab.txt:2:", "not numeric");
	refused("\n\n1 0 0 1.5 0 1 1\n", "lab.txt:3:", "outside [0, 1]");
	refused("2 0 0 1 0 1 1\n", "lab.txt:1: class index 2", "class index beyond names");
	refused("-1 0 0 1 0 1 1\n", "lab.txt:1:", "negative class index");
	refused("0.5 0 0 1 0 1 1\n", "lab.txt:1:", "class index not whole");
	refused("0 0 0 1 0\n", "lab.txt:1:", "fewer than three points");
	refused("0 0 0 1 0 nan 1\n", "lab.txt:1:", "nan");
	return tap_done();
}
