/* fuzz_rle.c: libFuzzer target for COCO's RLE (rle.c). The first two bytes give the mask's
 * width and height (1..64), the third which form the rest is: pycocotools' compressed string, or
 * a list of counts (one byte each, or two bytes little-endian when the third byte is odd, so
 * that long runs are reachable). Whatever is accepted must decode inside the mask and agree with
 * itself every way: written back as a string it reads the same counts; the area and bounds are
 * those of the decoded pixels; encoding the decoded pixels (from bytes and from 16-bit ids)
 * gives the same pixels again.
 *
 *   CC=clang ./configure --enable-fuzzing && make fuzz/fuzz_rle
 *   fuzz/fuzz_rle fuzz/corpus/rle
 */
#include "config.h"

#include "rle.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_decoded(const struct rle *r)
{
	size_t n = (size_t)r->w * (size_t)r->h, i;
	uint8_t *mask = malloc(n), *again = malloc(n);
	uint16_t *ids = malloc(n * sizeof(uint16_t));
	raster_rect b = { r->w, r->h, 0, 0 }, rb;
	struct rle enc, enc16, back;
	uint64_t area = 0;
	char *s;
	int x, y;

	CHECK(mask && again && ids);
	rle_decode(r, mask);
	for (y = 0; y < r->h; y++)
		for (x = 0; x < r->w; x++) {
			CHECK(mask[y * r->w + x] <= 1);
			if (!mask[y * r->w + x])
				continue;
			area++;
			b.x0 = x < b.x0 ? x : b.x0;
			b.y0 = y < b.y0 ? y : b.y0;
			b.x1 = x + 1 > b.x1 ? x + 1 : b.x1;
			b.y1 = y + 1 > b.y1 ? y + 1 : b.y1;
		}
	CHECK(rle_area(r) == area);
	rb = rle_bounds(r);
	if (area == 0)
		CHECK(rb.x0 >= rb.x1 || rb.y0 >= rb.y1);
	else
		CHECK(rb.x0 == b.x0 && rb.y0 == b.y0 && rb.x1 == b.x1 && rb.y1 == b.y1);

	/* The canonical encoding of the pixels decodes to them, from bytes and from ids. */
	CHECK(rle_encode_u8(mask, r->w, r->h, &enc, NULL) == 0);
	rle_decode(&enc, again);
	CHECK(!memcmp(mask, again, n));
	CHECK(rle_area(&enc) == area);
	for (i = 0; i < n; i++)
		ids[i] = mask[i] ? 7 : (uint16_t)(i & 3);
	CHECK(rle_encode_u16(ids, r->w, r->h, 7, area ? b : (raster_rect){ 0, 0, r->w, r->h }, &enc16, NULL) == 0);
	CHECK(enc16.n == enc.n && !memcmp(enc16.counts, enc.counts, enc.n * sizeof(uint32_t)));

	/* And its string reads back to the same counts. */
	s = rle_to_string(&enc);
	CHECK(rle_from_string(s, strlen(s), r->w, r->h, &back, NULL) == 0);
	CHECK(back.n == enc.n && !memcmp(back.counts, enc.counts, enc.n * sizeof(uint32_t)));
	free(s);
	rle_free(&back);
	rle_free(&enc16);
	rle_free(&enc);
	free(ids);
	free(again);
	free(mask);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rle r, back;
	char *cause = NULL, *s;
	int w, h, rc;

	if (size < 3)
		return 0;
	w = 1 + data[0] % 64;
	h = 1 + data[1] % 64;
	if (data[2] < 128) {
		rc = rle_from_string((const char *)data + 3, size - 3, w, h, &r, &cause);
		if (rc == 0) {
			/* Written back, the same counts (the string form keeps zero runs). */
			s = rle_to_string(&r);
			CHECK(rle_from_string(s, strlen(s), w, h, &back, NULL) == 0);
			CHECK(back.n == r.n && !memcmp(back.counts, r.counts, r.n * sizeof(uint32_t)));
			free(s);
			rle_free(&back);
		}
	} else {
		size_t step = data[2] & 1 ? 2 : 1, n = (size - 3) / step, i;
		uint32_t *counts = malloc((n ? n : 1) * sizeof(uint32_t));

		CHECK(counts);
		for (i = 0; i < n; i++)
			counts[i] = step == 1 ? data[3 + i] : (uint32_t)data[3 + 2 * i] | (uint32_t)data[4 + 2 * i] << 8;
		rc = rle_from_counts(counts, n, w, h, &r, &cause);
		free(counts);
	}
	if (rc == 0) {
		CHECK(!cause && r.w == w && r.h == h);
		check_decoded(&r);
		rle_free(&r);
	} else {
		CHECK(cause && !strchr(cause, '\n'));
		free(cause);
	}
	return 0;
}
