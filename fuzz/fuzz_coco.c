/* fuzz_coco.c: libFuzzer target for the COCO reader (the checked index over the JSON, polygons,
 * RLE as a list of counts or pycocotools' string). The input is a COCO JSON file; each accepted
 * image (the first few) is built into a document whose masks must be exactly the painter's
 * result of its annotations, and the document exported again (polygons, then RLE) must read and
 * build to the same pixels. A hostile file must give an error or documents, never a crash, a leak
 * or a huge allocation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_coco
 *   fuzz/fuzz_coco -dict=fuzz/json.dict fuzz/corpus/coco
 */
#include "config.h"

#include "coco.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes need not survive a power cut here, and fsync would be most of the time. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	afile_set_durable(0);
	return 0;
}

/* The document exported as COCO and read back: the same pixels, the same instances. */
static void round_trip(const struct doc *d, const struct compose *c, const char *path, int rle)
{
	struct coco_writer w;
	struct interop_image back;
	struct coco_file f;
	struct compose c2;
	struct doc *d2;
	char out[300];
	char *cause = NULL;
	int id, composed;

	snprintf(out, sizeof(out), "%s.back.json", path);
	CHECK(coco_writer_open(&w, out, rle, NULL) == 0);
	for (id = 1; id <= 255; id++)
		if (c->class_pixels[id]) {
			char name[16];

			snprintf(name, sizeof(name), "c%d", id);
			coco_writer_category(&w, id, name, NULL);
		}
	if (coco_writer_image(&w, "x.png", d, c, &cause) != 0) {
		/* Only a vertex limit may stop the writer (pixel-edge outlines of noisy masks). */
		coco_writer_abort(&w);
		free(cause);
		return;
	}
	CHECK(coco_writer_close(&w, NULL) == 0);
	CHECK(coco_open(out, &f, NULL) == 0);
	unlink(out);
	CHECK(f.nimages == 1 && f.images[0].w == d->w && f.images[0].h == d->h);
	CHECK(coco_read_image(&f, 0, "img", FUZZ_MAX_PIXELS, &back, NULL) == 0);
	d2 = fuzz_build_checked(&back, &c2, &composed);
	CHECK(composed && (d2 || back.npieces == 0));
	CHECK(fuzz_same_partition(c->ids, c2.ids, (size_t)d->w * (size_t)d->h));
	compose_free(&c2);
	doc_free(d2);
	interop_image_free(&back);
	coco_close(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	struct interop_image im;
	struct coco_file f;
	struct compose c;
	struct doc *d;
	char *cause = NULL;
	size_t i;
	int composed;

	if (fuzz_write_temp(path, sizeof(path), "fuzz-coco", ".json", data, size) != 0)
		return 0;
	if (coco_open(path, &f, &cause) == 0) {
		CHECK(!cause);
		for (i = 0; i < f.nimages && i < 4; i++) {
			if (coco_read_image(&f, i, "img", FUZZ_MAX_PIXELS, &im, &cause) != 0) {
				CHECK(cause && strstr(cause, path) && !strchr(cause, '\n'));
				free(cause);
				cause = NULL;
				continue;
			}
			d = fuzz_build_checked(&im, &c, &composed);
			if (d && composed) {
				round_trip(d, &c, path, 0);
				round_trip(d, &c, path, 1);
			}
			if (composed)
				compose_free(&c);
			doc_free(d);
			interop_image_free(&im);
		}
		coco_close(&f);
	} else {
		CHECK(cause && strstr(cause, path) && !strchr(cause, '\n'));
		free(cause);
	}
	unlink(path);
	return 0;
}
