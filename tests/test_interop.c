/* test_interop.c: what the formats share: paths kept inside the data set, relative paths,
 * painter's order made into instances and cuts (checked pixel by pixel against painting),
 * masks made into outlines and back, rings joined by seams. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "interop.h"
#include "tap.h"

#define ONE RASTER_ONE

static void paths(void)
{
	char *p, *cause = NULL;

	p = interop_path_inside("data", "img/cat.jpg", "file_name", &cause);
	tap_ok(p && !strcmp(p, "data/img/cat.jpg"), "a relative name joins the root: %s", p ? p : cause);
	free(p);
	p = interop_path_inside("data", "./a/../b\\cat.jpg", "file_name", &cause);
	tap_ok(p && !strcmp(p, "data/b/cat.jpg"), "dots and backslashes resolve inside: %s", p ? p : cause);
	free(p);
	p = interop_path_inside("data", "../secret.jpg", "imagePath", &cause);
	tap_ok(!p && cause && strstr(cause, "leads out of"), "\"..\" out of the root is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	p = interop_path_inside("data", "a/../../b.jpg", "imagePath", &cause);
	tap_ok(!p && cause, "climbing out later is refused too");
	free(cause);
	cause = NULL;
	p = interop_path_inside("data", "/etc/passwd", "imagePath", &cause);
	tap_ok(!p && cause && strstr(cause, "absolute"), "an absolute path is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	p = interop_path_inside("data", "C:\\photos\\cat.jpg", "imagePath", &cause);
	tap_ok(!p && cause, "a Windows drive path is refused");
	free(cause);
	cause = NULL;
	p = interop_path_inside("data", "", "imagePath", &cause);
	tap_ok(!p && cause, "an empty name is refused");
	free(cause);

	p = interop_relpath("/x/out", "/x/img/cat.jpg");
	tap_ok(!strcmp(p, "../img/cat.jpg"), "relpath across folders: %s", p);
	free(p);
	p = interop_relpath("/x", "/x/img/cat.jpg");
	tap_ok(!strcmp(p, "img/cat.jpg"), "relpath below: %s", p);
	free(p);
	p = interop_relpath("/x/a/b", "/x/cat.jpg");
	tap_ok(!strcmp(p, "../../cat.jpg"), "relpath two up: %s", p);
	free(p);
	p = interop_relpath("/x/ab", "/x/abc/cat.jpg");
	tap_ok(!strcmp(p, "../abc/cat.jpg"), "a common prefix that is not a folder: %s", p);
	free(p);
}

static struct doc_shape *square(int x0, int y0, int x1, int y1)
{
	raster_pt q[4] = { { x0 * ONE, y0 * ONE }, { x1 * ONE, y0 * ONE }, { x1 * ONE, y1 * ONE }, { x0 * ONE, y1 * ONE } };
	raster_ring r = { q, 4 };

	return doc_shape_polygon(DOC_ADD, &r, 1, NULL);
}

/* Paints the pieces in order (the reference) and compares with the composed document. */
static int same_as_painting(const struct interop_image *im, const struct doc *d, int w, int h)
{
	struct compose c;
	uint16_t *ref = calloc((size_t)w * h, sizeof(uint16_t));
	size_t i, k, bad = 0;
	int x, y;

	for (k = 0; k < 2; k++)
		for (i = 0; i < im->npieces; i++) {
			const struct doc_shape *s = im->pieces[i].shape;
			uint8_t *m = calloc((size_t)w * h, 1);

			if ((im->objects[im->pieces[i].object].behind != 0) != (k == 0)) {
				free(m);
				continue;
			}
			if (raster_fill_rings_u8(m, w, h, (size_t)w, s->rings, s->nrings, 1, NULL) != 0)
				bad++;
			for (y = 0; y < h; y++)
				for (x = 0; x < w; x++)
					if (m[y * w + x])
						ref[y * w + x] = (uint16_t)(im->pieces[i].object + 1);
			free(m);
		}
	if (compose_init(&c, w, h, NULL) != 0 || compose_all(&c, d, NULL) != 0)
		bad++;
	for (i = 0; i < (size_t)w * h; i++)
		bad += c.ids[i] != ref[i];
	compose_free(&c);
	free(ref);
	return bad == 0;
}

static void layering(void)
{
	struct interop_image im;
	struct doc *d = NULL;
	int ids[8] = { 1, 2, 3, 1, 1, 1, 1, 1 };
	size_t a, b, c;
	char *cause = NULL;

	/* A (two pieces), B between them: A1 under B under A2. No single z-order does that. */
	memset(&im, 0, sizeof(im));
	a = interop_add_object(&im, "a", NULL, 0, 0);
	b = interop_add_object(&im, "b", NULL, 0, 0);
	interop_add_piece(&im, a, square(0, 0, 10, 10));
	interop_add_piece(&im, b, square(5, 0, 15, 10));
	interop_add_piece(&im, a, square(12, 0, 20, 10));
	tap_ok(interop_build_doc(&im, ids, 24, 12, &d, &cause) == 0, "interleaved pieces build");
	tap_ok(d && d->ninst == 2 && d->inst[1]->id == 1, "the object whose piece is last goes on top");
	tap_ok(d && d->inst[1]->ncuts == 1, "and gets a cut where the drawing put the other over it");
	tap_ok(d && same_as_painting(&im, d, 24, 12), "masks equal painting piece by piece");
	doc_free(d);
	interop_image_free(&im);

	/* Crowd regions (behind) go under everything, wherever they are in the file. */
	memset(&im, 0, sizeof(im));
	a = interop_add_object(&im, "a", NULL, 0, 0);
	c = interop_add_object(&im, "crowd", NULL, 0, 1);
	interop_add_piece(&im, a, square(0, 0, 8, 8));
	interop_add_piece(&im, c, square(4, 4, 12, 12));
	tap_ok(interop_build_doc(&im, ids, 16, 16, &d, &cause) == 0 && d->inst[0]->id == 2 && d->inst[1]->id == 1,
	    "a crowd region lies behind an earlier object");
	tap_ok(d && same_as_painting(&im, d, 16, 16), "and the masks say so");
	doc_free(d);
	interop_image_free(&im);

	/* Three objects, random squares, many pieces each: always the painting. */
	{
		int t, good = 0;
		unsigned s = 12345;

		for (t = 0; t < 40; t++) {
			size_t o[3], i;

			memset(&im, 0, sizeof(im));
			for (i = 0; i < 3; i++)
				o[i] = interop_add_object(&im, "x", NULL, 0, 0);
			for (i = 0; i < 9; i++) {
				int x0, y0;

				s = s * 1103515245u + 12345u;
				x0 = (int)(s >> 16) % 20;
				s = s * 1103515245u + 12345u;
				y0 = (int)(s >> 16) % 20;
				interop_add_piece(&im, o[(s >> 8) % 3], square(x0, y0, x0 + 3 + (int)(s >> 20) % 9, y0 + 4));
			}
			if (interop_build_doc(&im, ids, 32, 28, &d, NULL) == 0 && same_as_painting(&im, d, 32, 28))
				good++;
			doc_free(d);
			interop_image_free(&im);
		}
		tap_ok(good == 40, "40 random drawings: masks equal painting (%d)", good);
	}
	free(cause);
}

static void from_masks(void)
{
	enum { W = 23, H = 17 };
	uint8_t cls[W * H];
	uint16_t ids[W * H];
	struct compose c;
	struct doc *d;
	char *cause = NULL;
	unsigned s = 99;
	int i, same = 1;

	/* Random blobs: a class per instance, holes and islands of every kind. */
	for (i = 0; i < W * H; i++) {
		s = s * 1103515245u + 12345u;
		ids[i] = (uint16_t)((s >> 16) % 4 == 0 ? 0 : 1 + (s >> 18) % 5);
		cls[i] = (uint8_t)(ids[i] ? 10 + ids[i] : 0);
	}
	tap_ok(interop_doc_from_masks(cls, ids, W, H, &d, &cause) == 0, "instance mask to outlines: %s",
	    cause ? cause : "ok");
	tap_ok(compose_init(&c, W, H, NULL) == 0 && compose_all(&c, d, NULL) == 0, "composes");
	for (i = 0; i < W * H; i++)
		same &= c.ids[i] == ids[i] && c.cls[i] == cls[i];
	tap_ok(same, "and gives back both masks exactly");
	compose_free(&c);
	doc_free(d);
	cls[5] = 0;
	ids[5] = 3;
	tap_ok(interop_doc_from_masks(cls, ids, W, H, &d, &cause) == -1 && strstr(cause, "no class"),
	    "an instance pixel without a class is an error: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	cls[5] = 11;
	tap_ok(interop_doc_from_masks(cls, ids, W, H, &d, &cause) == -1 && strstr(cause, "class"),
	    "an instance of two classes is an error: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	/* Class mask alone: one instance per class. */
	tap_ok(interop_doc_from_masks(cls, NULL, W, H, &d, &cause) == 0 && d->ninst == 5, "class mask: one instance per class");
	tap_ok(compose_init(&c, W, H, NULL) == 0 && compose_all(&c, d, NULL) == 0 && memcmp(c.cls, cls, sizeof(cls)) == 0,
	    "gives back the class mask");
	compose_free(&c);
	doc_free(d);
}

static void joined(void)
{
	/* A square ring with a square hole, and an island in the hole: joined into one path, filled,
	 * the same pixels as the three rings. */
	enum { W = 20, H = 20 };
	uint8_t m[W * H], a[W * H], b[W * H];
	raster_ring *rings = NULL, one;
	raster_pt *path;
	size_t n, nr = 0;
	int x, y;

	memset(m, 0, sizeof(m));
	for (y = 1; y < 19; y++)
		for (x = 1; x < 19; x++)
			m[y * W + x] = !(x >= 5 && x < 15 && y >= 5 && y < 15) || (x >= 8 && x < 11 && y >= 8 && y < 11);
	m[0] = 1; /* touches the ring only at a corner */
	tap_ok(raster_trace(m, W, H, W, &rings, &nr, NULL) == 0 && nr == 4, "traced: %zu rings", nr);
	tap_ok(interop_has_holes(rings, nr), "one of them is a hole");
	path = interop_join_rings(rings, nr, &n);
	one.pts = path;
	one.n = n;
	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	tap_ok(raster_fill_rings_u8(a, W, H, W, &one, 1, 1, NULL) == 0 && raster_fill_rings_u8(b, W, H, W, rings, nr, 1, NULL) == 0,
	    "both fill");
	tap_ok(memcmp(a, m, sizeof(m)) == 0 && memcmp(b, m, sizeof(m)) == 0, "the joined path fills to the same pixels");
	free(path);
	raster_rings_free(rings, nr);
}


int main(void)
{
	paths();
	layering();
	from_masks();
	joined();
	return tap_done();
}
