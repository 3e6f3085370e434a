/* fuzz_yolo.c: libFuzzer target for the YOLO readers: the input is taken as a data.yaml and as
 * a label file of a 64 x 48 image. Lines that are accepted are built into a document, composed,
 * written out again as labels and read back: the class mask must come back the same (the
 * export's exactness, under hostile geometry). A hostile file must give an error or a document,
 * never a crash, a leak or a huge allocation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_yolo
 *   mkdir -p corpus && fuzz/fuzz_yolo corpus
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "yolo.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)
#define W 64
#define H 48

static const char *const names[4] = { "a", "b", "c", "d" };

/* The class mask of a label text, or -1 when it is refused. */
static int mask_of(const char *text, size_t len, struct compose *c, struct doc **d)
{
	struct interop_image im;
	int ids[4096], rc = -1;
	size_t i;

	memset(&im, 0, sizeof(im));
	*d = NULL;
	if (yolo_read(text, len, "f.txt", W, H, names, 4, &im, NULL) == 0 && im.nobjects <= 4096) {
		for (i = 0; i < im.nobjects; i++)
			ids[i] = im.objects[i].want_id;
		if (interop_build_doc(&im, ids, W, H, d, NULL) == 0 && compose_init(c, W, H, NULL) == 0) {
			if (compose_all(c, *d, NULL) == 0)
				rc = 0;
			else
				compose_free(c);
		}
	}
	interop_image_free(&im);
	if (rc != 0) {
		doc_free(*d);
		*d = NULL;
	}
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct yolo_yaml y;
	struct compose c, back;
	struct doc *d, *d2;
	int index[256], i;
	char *text;

	if (size > 1 << 16)
		return 0;
	if (yolo_yaml_parse((const char *)data, size, "data.yaml", &y, NULL) == 0) {
		CHECK(y.nnames >= 1 && y.nnames <= YOLO_MAX_NAMES && y.names[y.nnames - 1]);
		yolo_yaml_free(&y);
	}
	if (mask_of((const char *)data, size, &c, &d) != 0)
		return 0;
	for (i = 0; i < 256; i++)
		index[i] = i - 1;
	text = yolo_labels(d, &c, index, NULL);
	CHECK(text);
	CHECK(mask_of(text, strlen(text), &back, &d2) == 0);
	CHECK(!memcmp(back.cls, c.cls, (size_t)W * H));
	compose_free(&back);
	doc_free(d2);
	free(text);
	compose_free(&c);
	doc_free(d);
	return 0;
}
