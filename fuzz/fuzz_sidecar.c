/* fuzz_sidecar.c: libFuzzer target for the sidecar reader (NAME.pxl.json). The input is written
 * to a temporary file, as the reader takes a path; an accepted document must compose and save
 * back to something that loads again with the same instances. A hostile file must give an error
 * or a document, never a crash, a leak or a huge allocation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_sidecar
 *   fuzz/fuzz_sidecar -max_len=65536 fuzz/corpus/sidecar
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "sidecar.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-sidecar-XXXXXX", back_path[64];
	struct sidecar_meta meta;
	struct doc *d = NULL, *back = NULL;
	char *cause = NULL;
	int fd = mkstemp(path);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	if (sidecar_load(path, &d, &meta, &cause) == 0) {
		CHECK(d && !cause);
		/* Small images only: the fuzzer looks for bugs, not for memory. */
		if ((uint64_t)d->w * d->h <= 1 << 16) {
			struct compose c;

			CHECK(compose_init(&c, d->w, d->h, NULL) == 0);
			(void)compose_all(&c, d, NULL);
			compose_free(&c);
		}
		snprintf(back_path, sizeof(back_path), "%s.back", path);
		if (sidecar_save(back_path, d, "x.png", meta.classes, meta.nclasses, NULL) == 0) {
			CHECK(sidecar_load(back_path, &back, NULL, NULL) == 0 && back->ninst == d->ninst);
			doc_free(back);
			unlink(back_path);
		}
		sidecar_meta_free(&meta);
		doc_free(d);
	} else {
		CHECK(!d && cause && !strchr(cause, '\n'));
		free(cause);
	}
	unlink(path);
	return 0;
}
