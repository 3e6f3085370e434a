/* fuzz_sidecar.c: libFuzzer target for the sidecar reader (NAME.pxl.json). The input is written
 * to a temporary file, as the reader takes a path; an accepted document must compose and save
 * back to something that loads again with the same instances and composes to the same masks.
 * A hostile file must give an error or a document, never a crash, a leak or a huge allocation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_sidecar
 *   fuzz/fuzz_sidecar -dict=fuzz/json.dict -max_len=65536 fuzz/corpus/sidecar
 */
#include "config.h"

#include "sidecar.h"

#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes need not survive a power cut here, and fsync would be most of the time. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	afile_set_durable(0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256], back_path[300];
	struct sidecar_meta meta;
	struct doc *d = NULL, *back = NULL;
	char *cause = NULL;

	if (fuzz_write_temp(path, sizeof(path), "fuzz-sidecar", "", data, size) != 0)
		return 0;
	if (sidecar_load(path, &d, &meta, &cause) == 0) {
		struct compose c, c2;
		int composed = 0;

		CHECK(d && !cause);
		/* Small images only: the fuzzer looks for bugs, not for memory. */
		if ((uint64_t)d->w * d->h <= FUZZ_MAX_PIXELS) {
			CHECK(compose_init(&c, d->w, d->h, NULL) == 0);
			composed = compose_all(&c, d, NULL) == 0;
			if (!composed)
				compose_free(&c);
		}
		snprintf(back_path, sizeof(back_path), "%s.back", path);
		if (sidecar_save(back_path, d, "x.png", meta.classes, meta.nclasses, NULL) == 0) {
			/* Saved and loaded again: the same instances, the same masks. */
			CHECK(sidecar_load(back_path, &back, NULL, NULL) == 0 && back->ninst == d->ninst);
			CHECK(back->w == d->w && back->h == d->h);
			if (composed) {
				CHECK(compose_init(&c2, d->w, d->h, NULL) == 0);
				CHECK(compose_all(&c2, back, NULL) == 0);
				CHECK(!memcmp(c.ids, c2.ids, (size_t)d->w * (size_t)d->h * sizeof(uint16_t)));
				CHECK(!memcmp(c.cls, c2.cls, (size_t)d->w * (size_t)d->h));
				compose_free(&c2);
			}
			doc_free(back);
			unlink(back_path);
		}
		if (composed)
			compose_free(&c);
		sidecar_meta_free(&meta);
		doc_free(d);
	} else {
		CHECK(!d && cause && !strchr(cause, '\n'));
		free(cause);
	}
	unlink(path);
	return 0;
}
