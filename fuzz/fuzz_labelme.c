/* fuzz_labelme.c: libFuzzer target for the LabelMe reader. The input is a LabelMe JSON file; an
 * accepted file is built into a document whose masks must be exactly the painter's result of its
 * shapes, and the document written back as LabelMe must read and build to the same pixels (the
 * same partition into instances). A hostile file must give an error or a document, never a crash,
 * a leak or a huge allocation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_labelme
 *   fuzz/fuzz_labelme -dict=fuzz/json.dict fuzz/corpus/labelme
 */
#include "config.h"

#include "labelme.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes need not survive a power cut here, and fsync would be most of the time. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	afile_set_durable(0);
	return 0;
}

/* The document written as LabelMe and read back: the same pixels, the same instances. */
static void round_trip(const struct doc *d, const struct compose *c, const char *path)
{
	struct labelme_opts lo = { NULL, LABELME_LINE_WIDTH };
	struct interop_image back;
	struct compose c2;
	struct doc *d2;
	char out[300];
	char *cause = NULL;
	int composed;

	snprintf(out, sizeof(out), "%s.back.json", path);
	if (labelme_write(out, d, "x.png", NULL, LABELME_LINE_WIDTH, &cause) != 0) {
		/* Only a vertex limit may stop the writer (pixel-edge outlines of noisy masks). */
		free(cause);
		return;
	}
	CHECK(labelme_read(out, &lo, &back, NULL) == 0);
	unlink(out);
	CHECK(back.w == d->w && back.h == d->h);
	d2 = fuzz_build_checked(&back, &c2, &composed);
	CHECK(d2 && composed);
	CHECK(fuzz_same_partition(c->ids, c2.ids, (size_t)d->w * (size_t)d->h));
	compose_free(&c2);
	doc_free(d2);
	interop_image_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	struct labelme_opts lo = { NULL, LABELME_LINE_WIDTH };
	struct interop_image im;
	struct compose c;
	struct doc *d;
	char *cause = NULL;
	size_t i;
	int composed;

	if (fuzz_write_temp(path, sizeof(path), "fuzz-labelme", ".json", data, size) != 0)
		return 0;
	if (labelme_read(path, &lo, &im, &cause) == 0) {
		CHECK(!cause && im.image);
		for (i = 0; i < im.warnings.n; i++)
			CHECK(!strchr(im.warnings.v[i], '\n'));
		d = fuzz_build_checked(&im, &c, &composed);
		if (d && composed)
			round_trip(d, &c, path);
		if (composed)
			compose_free(&c);
		doc_free(d);
		interop_image_free(&im);
	} else {
		CHECK(cause && strstr(cause, path) && !strchr(cause, '\n'));
		free(cause);
	}
	unlink(path);
	return 0;
}
