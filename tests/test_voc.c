/* test_voc.c: Pascal VOC's colour map and masks (void, object numbering), the val split, and
 * Cityscapes' ids (class * 1000 + index, stuff classes) and names. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cityscapes.h"
#include "compose.h"
#include "tap.h"
#include "voc.h"

static int colour_is(struct pngio_rgb c, int r, int g, int b) { return c.r == r && c.g == g && c.b == b; }

static struct doc *three_squares(uint16_t first_id)
{
	struct doc *d = doc_new(12, 4, NULL);
	int i;

	/* classes 2, 2, 7 side by side, 4 x 4 each; ids first_id, first_id + 1, first_id + 2 */
	for (i = 0; i < 3; i++) {
		raster_pt q[4] = { { 4 * i * 256, 0 }, { (4 * i + 4) * 256, 0 }, { (4 * i + 4) * 256, 4 * 256 }, { 4 * i * 256, 4 * 256 } };
		raster_ring r = { q, 4 };
		struct doc_shape *s = doc_shape_polygon(DOC_ADD, &r, 1, NULL);

		doc_load_instance(d, (uint16_t)(first_id + i), i == 2 ? 7 : 2, 0, &s, 1, NULL);
	}
	return d;
}

int main(void)
{
	struct pngio_rgb pal[256];
	uint8_t is_void[256] = { 0 }, cls[48], obj[48];
	uint16_t ids[48];
	struct compose c;
	struct doc *d;
	char *cause = NULL, *s;
	int n, i, val = 0;

	voc_colormap(pal);
	tap_ok(colour_is(pal[0], 0, 0, 0) && colour_is(pal[1], 128, 0, 0) && colour_is(pal[2], 0, 128, 0) &&
	    colour_is(pal[3], 128, 128, 0) && colour_is(pal[15], 192, 128, 128), "VOC colours: background, aeroplane, "
	    "bicycle, bird, person");
	tap_ok(colour_is(pal[255], 224, 224, 192), "void is (224, 224, 192)");

	d = three_squares(5);
	compose_init(&c, 12, 4, NULL);
	compose_all(&c, d, NULL);
	tap_ok(voc_masks(&c, d, is_void, cls, obj, &n, &cause) == 0 && n == 3, "three objects");
	tap_ok(cls[0] == 2 && cls[11] == 7 && obj[0] == 5 && obj[4] == 6 && obj[11] == 7, "class ids, and objects by id");
	is_void[7] = 1;
	tap_ok(voc_masks(&c, d, is_void, cls, obj, &n, &cause) == 0 && n == 2 && cls[11] == 255 && obj[11] == 255,
	    "a void class is 255 in both masks and no object");
	is_void[7] = 0;
	compose_free(&c);
	doc_free(d);
	d = three_squares(300);
	compose_init(&c, 12, 4, NULL);
	compose_all(&c, d, NULL);
	tap_ok(voc_masks(&c, d, is_void, cls, obj, &n, &cause) == 0 && obj[0] == 1 && obj[4] == 2 && obj[8] == 3,
	    "ids past 254 are numbered 1, 2, 3 in id order");

	tap_ok(cityscapes_instance_ids(&c, d, is_void, ids, &cause) == 0 && ids[0] == 2000 && ids[4] == 2001 &&
	    ids[8] == 7000, "instanceIds: class * 1000 + index within the class");
	is_void[7] = 1;
	tap_ok(cityscapes_instance_ids(&c, d, is_void, ids, &cause) == 0 && ids[8] == 7, "a stuff class keeps its id");
	compose_free(&c);
	doc_free(d);
	{
		struct doc *big = doc_new(2, 2, NULL);
		raster_pt q[4] = { { 0, 0 }, { 512, 0 }, { 512, 512 }, { 0, 512 } };
		raster_ring r = { q, 4 };
		struct doc_shape *sh = doc_shape_polygon(DOC_ADD, &r, 1, NULL);

		doc_load_instance(big, 1, 70, 0, &sh, 1, NULL);
		compose_init(&c, 2, 2, NULL);
		compose_all(&c, big, NULL);
		memset(is_void, 0, sizeof(is_void));
		tap_ok(cityscapes_instance_ids(&c, big, is_void, ids, &cause) == -1 && cause, "class 70 does not fit 16 bits: %s",
		    cause ? cause : "");
		free(cause);
		compose_free(&c);
		doc_free(big);
	}
	s = cityscapes_stem("data/aachen_000000_000019_leftImg8bit.png");
	tap_ok(!strcmp(s, "aachen_000000_000019"), "the _leftImg8bit part is dropped: %s", s);
	free(s);
	s = cityscapes_stem("a/cat.jpg");
	tap_ok(!strcmp(s, "cat"), "other names lose the extension: %s", s);
	free(s);

	for (i = 0; i < 1000; i++) {
		char name[16];

		snprintf(name, sizeof(name), "img%d", i);
		val += voc_is_val(name, 20);
	}
	tap_ok(val > 150 && val < 250, "a 20%% val share takes about 200 of 1000 names (%d)", val);
	tap_ok(voc_is_val("x", 0) == 0 && voc_is_val("x", 100) == 1, "0 and 100 are none and all");
	return tap_done();
}
