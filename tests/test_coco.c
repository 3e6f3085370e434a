/* test_coco.c: COCO files the test writes: polygons (pycocotools' convention, cases worked out by
 * hand from its rasterizer's rules), RLE in both forms, crowd regions, categories, hostile files,
 * and export -> import round trips (polygons and RLE) that keep every pixel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coco.h"
#include "compose.h"
#include "tap.h"

static char dir[] = "/tmp/pxl-test-coco-XXXXXX";

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

/* Image a.png is 20 wide, 16 high.
 * ann 1, car: [0,0, 0,9, 9,9, 9,0]: pycocotools fills rows and columns 0..8, 81 pixels (the
 *   "off by one" of cocoapi issue 659: vertices are pixel corners, not centres).
 * ann 2, person: a square with corners at half pixels, 10.5..13.5 and 0.5..3.5. Each pixel centre
 *   of column 10 and row 0 lies exactly on the left or top edge; pycocotools rounds 5 * 10.5 =
 *   52.5 up to 53 (10.6) and leaves those out, and takes column 13 and row 3 (right and bottom
 *   edges at 13.6 and 3.6): columns 11..13, rows 1..3, 9 pixels.
 * ann 3, person, crowd, plain counts: 15 * 16 = 240 clear, 20 set (column 15, then column 16
 *   rows 0..3), 60 clear.
 * ann 4, car, compressed: column 18, rows 5..7: counts 293 3 24. 293 = 9 * 32 + 5: 5 + 32 + 48
 *   = 'U', then '9'; 3 is '3'; 24 has bit 0x10, so a second group: 24 + 32 + 48 = 'h', '0'.
 * ann 5 names an image that is not there; ann 6 has an unknown field. */
static const char coco_json[] =
    "{\"info\": {}, \"licenses\": [], \"type\": \"instances\", \"bogus\": 1,\n"
    " \"images\": [{\"id\": 7, \"file_name\": \"a.png\", \"width\": 20, \"height\": 16},\n"
    "            {\"id\": 8, \"file_name\": \"sub/b.png\", \"width\": 8, \"height\": 8}],\n"
    " \"categories\": [{\"id\": 3, \"name\": \"car\", \"supercategory\": \"vehicle\"},\n"
    "                {\"id\": 5, \"name\": \"person\", \"supercategory\": \"person\"}],\n"
    " \"annotations\": [\n"
    "  {\"id\": 1, \"image_id\": 7, \"category_id\": 3, \"segmentation\": [[0,0,0,9,9,9,9,0]], \"iscrowd\": 0},\n"
    "  {\"id\": 2, \"image_id\": 7, \"category_id\": 5, \"segmentation\": [[10.5,0.5,13.5,0.5,13.5,3.5,10.5,3.5]]},\n"
    "  {\"id\": 3, \"image_id\": 7, \"category_id\": 5, \"iscrowd\": 1,\n"
    "   \"segmentation\": {\"size\": [16, 20], \"counts\": [240, 20, 60]}},\n"
    "  {\"id\": 4, \"image_id\": 7, \"category_id\": 3, \"segmentation\": {\"size\": [16, 20], \"counts\": \"U93h0\"}},\n"
    "  {\"id\": 5, \"image_id\": 99, \"category_id\": 3, \"segmentation\": [[0,0,1,0,1,1]]},\n"
    "  {\"id\": 6, \"image_id\": 8, \"category_id\": 3, \"segmentation\": [[0,0,4,0,4,4,0,4]], \"foo\": 2}\n"
    " ]}\n";

static void reading(void)
{
	struct coco_file f;
	struct interop_image im;
	struct compose c;
	struct doc *d = NULL;
	char *cause = NULL, *p = put("a.json", coco_json);
	int ids[8] = { 1, 2, 2, 1, 1, 1, 1, 1 }, x, y, ok;
	size_t i;

	tap_ok(coco_open(p, &f, &cause) == 0, "opens: %s", cause ? cause : "ok");
	tap_ok(f.nimages == 2 && f.images[0].n == 4 && f.images[1].n == 1, "annotations grouped by image");
	tap_ok(f.warnings.n == 2 && strstr(f.warnings.v[0], "\"bogus\"") && strstr(f.warnings.v[1], "image 99"),
	    "warnings for an unknown field and an unknown image");
	tap_ok(coco_read_image(&f, 0, "imgs", 1 << 20, &im, &cause) == 0, "image 7 reads: %s", cause ? cause : "ok");
	tap_ok(!strcmp(im.image, "imgs/a.png") && im.w == 20 && im.h == 16, "file_name inside --images");
	tap_ok(im.nobjects == 4 && !strcmp(im.objects[0].label, "car") && !strcmp(im.objects[0].parent, "vehicle") &&
	    im.objects[0].want_id == 3 && !im.objects[1].parent && im.objects[2].behind,
	    "categories as classes, supercategory as parent, crowd behind");
	tap_ok(interop_build_doc(&im, ids, 20, 16, &d, &cause) == 0 && compose_init(&c, 20, 16, NULL) == 0 &&
	    compose_all(&c, d, NULL) == 0, "builds");
	tap_ok(c.inst_pixels[1] == 81, "the 0..9 square: 81 pixels, as pycocotools (%llu)", (unsigned long long)c.inst_pixels[1]);
	ok = c.inst_pixels[2] == 9;
	for (y = 1; y <= 3; y++)
		for (x = 11; x <= 13; x++)
			ok &= c.ids[y * 20 + x] == 2;
	tap_ok(ok, "the half-pixel square: columns 11..13, rows 1..3, as pycocotools (%llu px)",
	    (unsigned long long)c.inst_pixels[2]);
	ok = c.inst_pixels[3] == 20 && c.ids[15 * 20 + 15] == 3 && c.ids[3 * 20 + 16] == 3 && c.ids[4 * 20 + 16] == 0;
	tap_ok(ok, "plain counts decode column by column");
	ok = c.inst_pixels[4] == 3;
	for (y = 5; y <= 7; y++)
		ok &= c.ids[y * 20 + 18] == 4;
	tap_ok(ok, "the compressed string decodes to column 18, rows 5..7");
	compose_free(&c);
	doc_free(d);
	interop_image_free(&im);
	tap_ok(coco_read_image(&f, 1, "imgs", 1 << 20, &im, &cause) == 0 && !strcmp(im.image, "imgs/sub/b.png"),
	    "a file_name in a subfolder");
	for (i = 0, ok = 0; i < im.warnings.n; i++)
		ok |= strstr(im.warnings.v[i], "annotation 6: unknown field \"foo\"") != NULL;
	tap_ok(ok, "unknown annotation fields are warnings naming the annotation");
	interop_image_free(&im);
	tap_ok(coco_read_image(&f, 0, "imgs", 100, &im, &cause) == -1 && cause && strstr(cause, "over the limit"),
	    "an RLE mask over the pixel limit is refused before decoding: %s", cause ? cause : "");
	free(cause);
	coco_close(&f);
	unlink(p);
	free(p);
}

static void hostile(void)
{
	static const struct {
		const char *json, *want, *what;
		int at_open;
	} cases[] = {
		{ "{\"images\": [], \"annotations\": [,], \"categories\": []}", "bad.json:1:", "malformed JSON: line and column", 1 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"../../x.png\", \"width\": 4, \"height\": 4}], \"annotations\": "
		  "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": []}], \"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
		    "leads out of", "a file_name out of --images", 0 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4, \"height\": 4}], \"annotations\": "
		  "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [4, 5], \"counts\": [16]}}], "
		  "\"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
		    "[height, width]", "an RLE size that is not the image's", 0 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4, \"height\": 4}], \"annotations\": "
		  "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [4, 4], \"counts\": [10, 10]}}], "
		  "\"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
		    "more than", "counts past the mask", 0 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4, \"height\": 4}], \"annotations\": "
		  "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": {\"size\": [4, 4], \"counts\": \"zz\"}}], "
		  "\"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
		    "outside", "a bad compressed string", 0 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4, \"height\": 4}, "
		  "{\"id\": 1, \"file_name\": \"y.png\", \"width\": 4, \"height\": 4}], \"annotations\": [], \"categories\": []}",
		    "appears twice", "a repeated image id", 1 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 400000000, \"height\": 4}], "
		  "\"annotations\": [], \"categories\": []}",
		    "impossible", "an impossible image size", 1 },
		{ "{\"images\": [{\"id\": 1, \"file_name\": \"x.png\", \"width\": 4, \"height\": 4}], \"annotations\": "
		  "[{\"image_id\": 1, \"category_id\": 1, \"segmentation\": [[0, 0, 1e400, 1, 2, 2]]}], "
		  "\"categories\": [{\"id\": 1, \"name\": \"a\"}]}",
		    ":1:", "a number beyond double range", 1 },
		{ "{\"images\": []}", "are needed", "not COCO", 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct coco_file f;
		struct interop_image im;
		char *cause = NULL, *p = put("bad.json", cases[i].json);
		int rc = coco_open(p, &f, &cause);

		if (rc == 0 && !cases[i].at_open) {
			rc = coco_read_image(&f, 0, "imgs", 1 << 20, &im, &cause);
			if (rc == 0)
				interop_image_free(&im);
		}
		if (rc == 0 || !cases[i].at_open)
			coco_close(&f);
		tap_ok(rc == -1 && cause && strstr(cause, cases[i].want), "%s: %s", cases[i].what, cause ? cause : "accepted");
		free(cause);
		unlink(p);
		free(p);
	}
}

/* A document with overlaps, a hole and an island; exported, imported: the same pixels. */
static void round_trip(int rle)
{
	struct doc *d = doc_new(40, 30, NULL), *back = NULL;
	struct compose a, b;
	struct coco_writer w;
	struct coco_file f;
	struct interop_image im;
	struct doc_shape *s;
	char *cause = NULL, *p = malloc(strlen(dir) + 16);
	int ids[16] = { 0 }, i, same = 1;
	uint16_t id;
	size_t k;

	{
		raster_pt q[4] = { { 256, 256 }, { 30 * 256, 256 }, { 30 * 256, 25 * 256 }, { 256, 25 * 256 } };
		raster_pt h[4] = { { 5 * 256, 5 * 256 }, { 20 * 256, 5 * 256 }, { 20 * 256, 20 * 256 }, { 5 * 256, 20 * 256 } };
		raster_ring r = { q, 4 }, hr = { h, 4 };

		s = doc_shape_polygon(DOC_ADD, &r, 1, NULL);
		doc_add_instance(d, 4, 0, DOC_OVER, s, &id, NULL, NULL);
		s = doc_shape_polygon(DOC_CUT, &hr, 1, NULL);
		doc_add_shape(d, id, s, NULL, NULL);
	}
	{
		raster_pt q[3] = { { 9 * 256 + 17, 9 * 256 + 100 }, { 38 * 256 + 3, 12 * 256 }, { 12 * 256, 29 * 256 + 200 } };
		raster_ring r = { q, 3 };

		s = doc_shape_polygon(DOC_ADD, &r, 1, NULL);
		doc_add_instance(d, 9, 0, DOC_OVER, s, &id, NULL, NULL);
	}
	{
		raster_pt c = { 3 * 256, 27 * 256 };

		s = doc_shape_stroke(DOC_ADD, &c, 1, 5 * 256, NULL);
		doc_add_instance(d, 4, 0, DOC_BEHIND, s, &id, NULL, NULL);
	}
	compose_init(&a, 40, 30, NULL);
	compose_all(&a, d, NULL);
	sprintf(p, "%s/out.json", dir);
	tap_ok(coco_writer_open(&w, p, rle, &cause) == 0, "%s: writer opens", rle ? "rle" : "polygons");
	coco_writer_category(&w, 4, "wall", NULL);
	coco_writer_category(&w, 9, "door", "wall");
	tap_ok(coco_writer_image(&w, "dir/x.png", d, &a, &cause) == 0 && coco_writer_close(&w, &cause) == 0,
	    "%s: written", rle ? "rle" : "polygons");
	tap_ok(coco_open(p, &f, &cause) == 0 && f.nimages == 1 && f.nanns == 3 && f.ncats == 2, "%s: reads back: %s",
	    rle ? "rle" : "polygons", cause ? cause : "ok");
	{
		/* Annotations come bottom first: the dot (instance 3, behind), then the square with
		 * the hole (instance 1, less what the triangle covers), then the triangle. */
		json_t *ann = f.anns[1];
		uint64_t area = a.inst_pixels[1];

		tap_ok((uint64_t)json_integer_value(json_object_get(ann, "area")) == area, "area is the exact pixel count (%llu)",
		    (unsigned long long)area);
		tap_ok(json_integer_value(json_array_get(json_object_get(ann, "bbox"), 0)) == 1 &&
		    json_integer_value(json_array_get(json_object_get(ann, "bbox"), 2)) == 29,
		    "bbox is x, y, width, height of its pixels");
		tap_ok(!strcmp(f.cats[1].super, "wall") && f.cats[0].super == NULL,
		    "a parent class becomes the supercategory, none the name itself");
	}
	tap_ok(coco_read_image(&f, 0, dir, 1 << 20, &im, &cause) == 0, "image reads");
	for (k = 0; k < im.nobjects; k++)
		ids[k] = im.objects[k].want_id;
	tap_ok(interop_build_doc(&im, ids, 40, 30, &back, &cause) == 0 && compose_init(&b, 40, 30, NULL) == 0 &&
	    compose_all(&b, back, NULL) == 0, "rebuilds");
	for (i = 0; i < 40 * 30; i++)
		same &= a.cls[i] == b.cls[i] && (a.ids[i] != 0) == (b.ids[i] != 0);
	tap_ok(same, "%s: every pixel of the class mask kept", rle ? "rle" : "polygons");
	compose_free(&a);
	compose_free(&b);
	doc_free(d);
	doc_free(back);
	interop_image_free(&im);
	coco_close(&f);
	unlink(p);
	free(p);
}

/* Encoding apart from writing (the images of -j threads): ids are given when written, in the
 * writer's order; a shard's header says which share, and its image ids are as given. */
static void encoded(void)
{
	struct doc *d = doc_new(20, 10, NULL);
	struct compose c;
	struct coco_encoded e1, e2;
	struct coco_writer w;
	raster_pt q[4] = { { 256, 256 }, { 9 * 256, 256 }, { 9 * 256, 8 * 256 }, { 256, 8 * 256 } };
	raster_ring r = { q, 4 };
	struct doc_shape *s = doc_shape_polygon(DOC_ADD, &r, 1, NULL);
	char *p = NULL, *text = NULL, *cause = NULL;
	uint16_t id;
	size_t len = 0;
	FILE *fp;

	doc_add_instance(d, 3, 0, DOC_OVER, s, &id, NULL, NULL);
	compose_init(&c, 20, 10, NULL);
	compose_all(&c, d, NULL);
	tap_ok(coco_encode_image(d, &c, 0, &e1, &cause) == 0 && coco_encode_image(d, &c, 1, &e2, &cause) == 0 &&
	    e1.n == 1 && e2.n == 1, "an image encodes without a writer, one annotation each");
	tap_ok(!strncmp(e1.b.data, "\"category_id\":3,", 15), "from category_id on: the ids are the writer's");
	p = malloc(strlen(dir) + 16);
	sprintf(p, "%s/shard.json", dir);
	tap_ok(coco_writer_open_shard(&w, p, 0, 1, 3, &cause) == 0, "a shard's writer opens");
	tap_ok(coco_writer_put(&w, 7, "b.png", &e1, &cause) == 0 && coco_writer_put(&w, 3, "a.png", &e2, &cause) == 0 &&
	    coco_writer_close(&w, &cause) == 0, "written in the order given");
	fp = fopen(p, "r");
	if (fp) {
		text = calloc(1, 4096);
		len = fread(text, 1, 4095, fp);
		fclose(fp);
	}
	tap_ok(len && strstr(text, "\"info\":{\"description\":\"exported by pxlabel ") &&
	    strstr(text, "\",\"shard\":\"1/3\"},"), "the header says the share");
	tap_ok(len && strstr(text, "{\"id\":1,\"image_id\":7,\"category_id\":3,\"segmentation\":[[") &&
	    strstr(text, ",{\"id\":2,\"image_id\":3,\"category_id\":3,\"segmentation\":{\"size\":[10,20],"),
	    "annotations numbered in the order written, each with its image's id");
	tap_ok(len && strstr(text, "\"images\":[{\"id\":7,\"file_name\":\"b.png\",\"width\":20,\"height\":10},{\"id\":3,"),
	    "images with the ids given");
	coco_encoded_free(&e1);
	coco_encoded_free(&e2);
	compose_free(&c);
	doc_free(d);
	unlink(p);
	free(p);
	free(text);
}

int main(void)
{
	char cmd[128];

	if (!mkdtemp(dir))
		return 1;
	reading();
	hostile();
	round_trip(0);
	round_trip(1);
	encoded();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
	return tap_done();
}
