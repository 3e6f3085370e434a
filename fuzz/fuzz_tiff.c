/* fuzz_tiff.c: libFuzzer target for the TIFF decoder: every path of imgdec_tiff (8-bit RGB and
 * 16-bit, full and shrunk while decoding) and the header probe. The input is written to a
 * temporary file; limits are small so that a claimed size is refused before allocation rather
 * than exhausting memory. Corrupt, truncated or hostile input must give an error naming the
 * file, never a crash, a leak or a message of libtiff's on stderr.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_tiff
 *   fuzz/fuzz_tiff -max_len=65536 fuzz/corpus/tiff tests/data/bad
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

/* One decode: an image within the limits and of the kind asked, or one line naming the file. */
static void decode(const char *path, struct img_load_opts *opts)
{
	char *cause = NULL;
	struct img *im = img_load(path, opts, &cause);

	if (im) {
		size_t i, n = (size_t)im->w * im->h * (size_t)im->chans;
		unsigned sum = 0;

		CHECK(!cause && im->w > 0 && im->h > 0 && (uint64_t)im->w * im->h <= opts->limits.max_pixels);
		CHECK(!!im->rgb != !!im->px16 && (opts->keep16 || im->rgb));
		CHECK(!im->px16 || im->win_lo < im->win_hi);
		if (opts->fit_w > 0)
			CHECK(im->w <= im->src_w && im->h <= im->src_h);
		/* Every sample is read, so that the sanitizers see uninitialised or foreign memory. */
		for (i = 0; i < n; i++)
			sum += im->rgb ? im->rgb[i] : im->px16[i];
		CHECK(sum != 0xffffffffu);
		img_free(im);
	} else {
		CHECK(cause && strstr(cause, path) && !strchr(cause, '\n'));
	}
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-tiff-XXXXXX";
	struct img_load_opts opts;
	struct img_info info;
	char *cause = NULL;
	int fd = mkstemp(path), keep16;

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
	if (img_probe_info(path, &opts.limits, &info, &cause) == 0)
		CHECK(info.w > 0 && info.h > 0 && info.orientation >= 1 && info.orientation <= 8);
	free(cause);
	for (keep16 = 0; keep16 <= 1; keep16++) {
		opts.keep16 = keep16;
		opts.fit_w = opts.fit_h = 0;
		decode(path, &opts);
		/* A preview-sized decode: rows are averaged as they are decoded. */
		opts.fit_w = 7;
		opts.fit_h = 5;
		decode(path, &opts);
	}
	unlink(path);
	return 0;
}
