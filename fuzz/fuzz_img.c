/* fuzz_img.c: libFuzzer target for image decoding (PNG and JPEG, EXIF orientation, header
 * probes). The input is written to a temporary file; limits are small so that a claimed size
 * is refused before allocation rather than exhausting memory. Corrupt, truncated or hostile
 * input must give an error naming the file, never a crash or a leak.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_img
 *   fuzz/fuzz_img -max_len=65536 tests/data/good
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "img.h"

#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-img-XXXXXX";
	struct img_load_opts opts;
	struct img *im;
	char *cause = NULL;
	int fd = mkstemp(path), w, h;

	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	img_load_opts_default(&opts);
	opts.limits.max_pixels = 1 << 20;
	opts.limits.max_side = 4096;
	im = img_load(path, &opts, &cause);
	if (im) {
		CHECK(!cause && im->w > 0 && im->h > 0 && (uint64_t)im->w * im->h <= opts.limits.max_pixels);
		img_free(im);
	} else {
		CHECK(cause && strstr(cause, path) && !strchr(cause, '\n'));
		free(cause);
		cause = NULL;
	}
	if (img_probe(path, &opts.limits, &w, &h, &cause) == 0)
		CHECK(w > 0 && h > 0);
	free(cause);
	/* A preview-sized decode takes the DCT-scaled path of JPEG. */
	opts.fit_w = 16;
	opts.fit_h = 16;
	cause = NULL;
	im = img_load(path, &opts, &cause);
	img_free(im);
	free(cause);
	unlink(path);
	return 0;
}
