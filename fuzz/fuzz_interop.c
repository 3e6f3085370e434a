/* fuzz_interop.c: libFuzzer target for the foreign-file readers: the input is taken as a COCO
 * RLE string (decoded and, when accepted, written back: the same counts must come out), then as
 * a LabelMe file and as a COCO file (through a temporary file, as the readers take paths), whose
 * images are read and built into documents. A hostile file must give an error or a document,
 * never a crash, a leak or a huge allocation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_interop
 *   mkdir -p corpus && fuzz/fuzz_interop corpus
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "coco.h"
#include "labelme.h"
#include "rle.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

static void build(const struct interop_image *im)
{
	int *ids = calloc(im->nobjects + 1, sizeof(int));
	struct doc *d = NULL;
	size_t i;

	for (i = 0; i < im->nobjects; i++)
		ids[i] = 1 + (int)(i % 255);
	/* Small sizes only: the fuzzer looks for bugs, not for memory. */
	if (im->w > 0 && im->h > 0 && (uint64_t)im->w * im->h <= 1 << 16 &&
	    interop_build_doc(im, ids, im->w, im->h, &d, NULL) == 0)
		doc_free(d);
	free(ids);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-interop-XXXXXX";
	struct labelme_opts lo = { NULL, LABELME_LINE_WIDTH };
	struct interop_image im;
	struct coco_file f;
	struct rle r;
	char *cause = NULL;
	size_t i;
	int fd;

	if (rle_from_string((const char *)data, size, 64, 48, &r, &cause) == 0) {
		char *s = rle_to_string(&r);
		struct rle back;

		CHECK(rle_from_string(s, strlen(s), 64, 48, &back, NULL) == 0);
		CHECK(back.n == r.n && !memcmp(back.counts, r.counts, r.n * sizeof(uint32_t)));
		rle_free(&back);
		free(s);
		rle_free(&r);
	}
	free(cause);
	cause = NULL;
	fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	if (labelme_read(path, &lo, &im, &cause) == 0) {
		build(&im);
		interop_image_free(&im);
	}
	free(cause);
	cause = NULL;
	if (coco_open(path, &f, &cause) == 0) {
		for (i = 0; i < f.nimages && i < 4; i++)
			if (coco_read_image(&f, i, "img", 1 << 16, &im, NULL) == 0) {
				build(&im);
				interop_image_free(&im);
			}
		coco_close(&f);
	}
	free(cause);
	unlink(path);
	return 0;
}
