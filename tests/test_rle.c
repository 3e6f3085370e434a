/* test_rle.c: COCO RLE against cases worked out by hand from the format's definition, then
 * random round trips (mask -> counts -> string -> counts -> mask) and hostile strings. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rle.h"
#include "tap.h"

static int counts_are(const struct rle *r, const uint32_t *want, size_t n)
{
	return r->n == n && memcmp(r->counts, want, n * sizeof(uint32_t)) == 0;
}

static void hand_cases(void)
{
	/* 3 wide, 2 high, row-major:  0 1 1 / 0 1 0. Column by column: 0 0 | 1 1 | 1 0, so two
	 * zeros, three ones, one zero. */
	static const uint8_t m1[] = { 0, 1, 1, 0, 1, 0 };
	static const uint32_t c1[] = { 2, 3, 1 };
	/* All set: the first run of zeros is empty. */
	static const uint8_t m2[] = { 1, 1, 1, 1 };
	static const uint32_t c2[] = { 0, 4 };
	/* 5 x 2 from counts 0 5 3 2: elements 0-4 set (columns 0, 1 and the top of 2), 5-7 clear,
	 * 8-9 set (column 4). The fourth count is written as 2 - 5 = -3: low 5 bits 11101 (29),
	 * sign bit 0x10 set and nothing more, so the character 48 + 29 = 'M'. */
	static const uint8_t m3[] = { 1, 1, 1, 0, 1, 1, 1, 0, 0, 1 };
	static const uint32_t c3[] = { 0, 5, 3, 2 };
	uint8_t out[16];
	struct rle r;
	char *s, *cause = NULL;

	tap_ok(rle_encode_u8(m1, 3, 2, &r, NULL) == 0 && counts_are(&r, c1, 3), "3x2 mask encodes to 2 3 1");
	s = rle_to_string(&r);
	tap_ok(!strcmp(s, "231"), "small counts are one character each: \"%s\"", s);
	free(s);
	rle_free(&r);
	tap_ok(rle_encode_u8(m2, 2, 2, &r, NULL) == 0 && counts_are(&r, c2, 2), "a full mask starts with 0");
	s = rle_to_string(&r);
	tap_ok(!strcmp(s, "04"), "full 2x2 is \"04\": \"%s\"", s);
	free(s);
	rle_free(&r);

	tap_ok(rle_from_string("053M", 4, 5, 2, &r, &cause) == 0 && counts_are(&r, c3, 4),
	    "\"053M\" reads as 0 5 3 2 (the fourth count is a difference, negative)");
	rle_decode(&r, out);
	tap_ok(memcmp(out, m3, sizeof(m3)) == 0, "and decodes column by column");
	s = rle_to_string(&r);
	tap_ok(!strcmp(s, "053M"), "and writes back the same: \"%s\"", s);
	free(s);
	rle_free(&r);

	/* 100 = 3 * 32 + 4: group 4 with the continuation bit (4 + 32 + 48 = 'T'), then 3 ('3'). */
	{
		static const uint32_t c[] = { 100 };

		tap_ok(rle_from_string("T3", 2, 10, 10, &r, NULL) == 0 && counts_are(&r, c, 1), "\"T3\" is 100");
		s = rle_to_string(&r);
		tap_ok(!strcmp(s, "T3"), "100 is \"T3\": \"%s\"", s);
		free(s);
		rle_free(&r);
	}
	/* 16 has bit 0x10 in its only group, which would read as a sign: a second group (0) is
	 * needed, so 16 + 32 + 48 = '`' then '0'. */
	{
		static const uint32_t c[] = { 16 };

		tap_ok(rle_from_string("`0", 2, 4, 4, &r, NULL) == 0 && counts_are(&r, c, 1), "\"`0\" is 16");
		s = rle_to_string(&r);
		tap_ok(!strcmp(s, "`0"), "16 is \"`0\": \"%s\"", s);
		free(s);
		rle_free(&r);
	}
	free(cause);
}

static void bounds_and_area(void)
{
	/* 4 x 3, set: (1,0) (1,1) (2,2). Column-major: 3 zeros, 2 ones, 3 zeros, 1 one, 3 zeros. */
	static const uint16_t ids[] = { 0, 7, 0, 0, 0, 7, 0, 0, 0, 0, 7, 0 };
	static const uint32_t want[] = { 3, 2, 3, 1, 3 };
	struct rle r;
	raster_rect b;

	tap_ok(rle_encode_u16(ids, 4, 3, 7, (raster_rect){ 0, 0, 4, 3 }, &r, NULL) == 0 && counts_are(&r, want, 5),
	    "encode from an id map");
	b = rle_bounds(&r);
	tap_ok(rle_area(&r) == 3 && b.x0 == 1 && b.y0 == 0 && b.x1 == 3 && b.y1 == 3, "area 3, bounds [1,3)x[0,3)");
	rle_free(&r);
	tap_ok(rle_encode_u16(ids, 4, 3, 7, (raster_rect){ 1, 0, 3, 3 }, &r, NULL) == 0 && counts_are(&r, want, 5),
	    "the same when only the bounding box is searched");
	rle_free(&r);
	tap_ok(rle_encode_u16(ids, 4, 3, 9, (raster_rect){ 0, 0, 0, 0 }, &r, NULL) == 0 && r.n == 1 &&
	    r.counts[0] == 12 && rle_area(&r) == 0, "an absent value is one run of zeros");
	b = rle_bounds(&r);
	tap_ok(b.x0 >= b.x1, "with empty bounds");
	rle_free(&r);
	{
		/* A run from the bottom of column 0 into the top of column 1 spans every row. */
		static const uint32_t c[] = { 2, 2, 2 };

		tap_ok(rle_from_counts(c, 3, 2, 3, &r, NULL) == 0, "counts that cross a column");
		b = rle_bounds(&r);
		tap_ok(b.x0 == 0 && b.x1 == 2 && b.y0 == 0 && b.y1 == 3, "have bounds of every row in both columns");
		rle_free(&r);
	}
}

static uint64_t rng = 88172645463325252ull;

static uint32_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

static void round_trips(void)
{
	int t, bad = 0;

	for (t = 0; t < 300; t++) {
		int w = 1 + (int)(xorshift() % 40), h = 1 + (int)(xorshift() % 40), i, density = (int)(xorshift() % 5);
		uint8_t *m = malloc((size_t)w * h), *back = malloc((size_t)w * h);
		struct rle a, b, c;
		char *s;

		for (i = 0; i < w * h; i++)
			m[i] = density == 0 ? 0 : density == 4 ? 1 : (xorshift() % 4) < (uint32_t)density;
		if (rle_encode_u8(m, w, h, &a, NULL) != 0)
			bad++;
		s = rle_to_string(&a);
		if (rle_from_string(s, strlen(s), w, h, &b, NULL) != 0 || b.n != a.n ||
		    memcmp(a.counts, b.counts, a.n * sizeof(uint32_t)) != 0)
			bad++;
		if (rle_from_counts(b.counts, b.n, w, h, &c, NULL) != 0)
			bad++;
		rle_decode(&c, back);
		if (memcmp(m, back, (size_t)w * h) != 0)
			bad++;
		free(s);
		rle_free(&a);
		rle_free(&b);
		rle_free(&c);
		free(m);
		free(back);
	}
	tap_ok(bad == 0, "300 random masks: counts, string and back (%d failures)", bad);
}

static void hostile(void)
{
	struct rle r;
	char *cause = NULL;
	static const uint32_t too_many[] = { 5, 5 };

	tap_ok(rle_from_string("2~", 2, 3, 3, &r, &cause) == -1 && cause, "a character above 'o' is refused: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_string("T", 1, 10, 10, &r, &cause) == -1 && cause, "a string ending inside a count: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_string("T3", 2, 3, 3, &r, &cause) == -1 && cause, "a count beyond the mask: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_string("ooooooooo0", 10, 3, 3, &r, &cause) == -1 && cause, "an endless count: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_string("0M", 2, 3, 3, &r, &cause) == -1 && cause, "a negative count is refused: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_counts(too_many, 2, 3, 3, &r, &cause) == -1 && cause, "counts adding up past w*h: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_string("", 0, 1 << 20, 1 << 20, &r, &cause) == -1 && cause, "a mask too large: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(rle_from_string("", 0, 4, 4, &r, &cause) == 0 && r.n == 0, "an empty string is an empty mask");
	rle_free(&r);
}

int main(void)
{
	hand_cases();
	bounds_and_area();
	round_trips();
	hostile();
	return tap_done();
}
