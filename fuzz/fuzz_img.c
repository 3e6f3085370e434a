/* fuzz_img.c: libFuzzer target for image decoding (PNG and JPEG, EXIF orientation in JPEG APP1
 * and PNG eXIf, header probes) and for reading masks back as stored values (pngio). The input is
 * written to a temporary file; limits are small so that a claimed size is refused before
 * allocation rather than exhausting memory. Corrupt, truncated or hostile input must give an
 * error naming the file, never a crash or a leak; the header probe and the decoder must agree on
 * the upright size when they agree on the orientation.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_img
 *   fuzz/fuzz_img -dict=fuzz/img.dict -max_len=65536 fuzz/corpus/img
 */
#include "config.h"

#include "img.h"
#include "pngio.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_cause(char *cause, const char *path)
{
	CHECK(cause && strstr(cause, path) && !strchr(cause, '\n'));
	free(cause);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	struct img_load_opts opts;
	struct img_info info;
	struct img *im;
	uint16_t *values = NULL;
	char *cause = NULL;
	int probed, w, h;

	if (fuzz_write_temp(path, sizeof(path), "fuzz-img", "", data, size) != 0)
		return 0;
	img_load_opts_default(&opts);
	opts.limits.max_pixels = 1 << 18;
	opts.limits.max_side = 2048;
	probed = img_probe_info(path, &opts.limits, &info, &cause) == 0;
	if (probed) {
		CHECK(!cause && info.w > 0 && info.h > 0 && info.orientation >= 1 && info.orientation <= 8);
		CHECK((uint64_t)info.w * (uint64_t)info.h <= opts.limits.max_pixels);
	} else {
		check_cause(cause, path);
	}
	cause = NULL;
	im = img_load(path, &opts, &cause);
	if (im) {
		CHECK(!cause && im->w > 0 && im->h > 0 && (uint64_t)im->w * im->h <= opts.limits.max_pixels);
		CHECK(im->w == im->src_w && im->h == im->src_h);
		/* What item_open trusts: the probe's size is the decoded one. */
		CHECK(probed);
		if (info.orientation == im->orientation)
			CHECK(info.w == im->w && info.h == im->h);
		img_free(im);
	} else {
		check_cause(cause, path);
	}
	/* A preview-sized decode takes the DCT-scaled path of JPEG. */
	opts.fit_w = 16;
	opts.fit_h = 16;
	cause = NULL;
	im = img_load(path, &opts, &cause);
	if (im) {
		CHECK(im->w > 0 && im->h > 0 && im->w <= im->src_w && im->h <= im->src_h);
		img_free(im);
	} else {
		check_cause(cause, path);
	}
	/* The same bytes as a mask, as import mask reads it. */
	cause = NULL;
	if (pngio_read_values(path, &opts.limits, &values, &w, &h, &cause) == 0) {
		CHECK(!cause && values && w > 0 && h > 0 && (uint64_t)w * h <= opts.limits.max_pixels);
		free(values);
	} else {
		check_cause(cause, path);
	}
	unlink(path);
	return 0;
}
