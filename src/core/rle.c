/* rle.c: COCO run-length encoding, both forms. */
#include "config.h"

#include "rle.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "xalloc.h"

/* Runs are collected as they are found: the value now running and its length so far. */
struct runs {
	uint32_t *v;
	size_t n, cap;
	int cur;      /* 0 or 1 */
	uint64_t len; /* of the current run */
};

static void runs_push(struct runs *r, uint64_t len)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n++] = (uint32_t)len;
}

/* len pixels of value v. */
static void runs_add(struct runs *r, int v, uint64_t len)
{
	if (len == 0)
		return;
	if (v != r->cur) {
		runs_push(r, r->len);
		r->cur = v;
		r->len = 0;
	}
	r->len += len;
}

static int check_size(int w, int h, char **cause)
{
	if (w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > RLE_MAX_PIXELS)
		return err_set(cause, "impossible mask size %dx%d for RLE", w, h);
	return 0;
}

static void runs_finish(struct runs *r, int w, int h, struct rle *out)
{
	runs_push(r, r->len);
	out->w = w;
	out->h = h;
	out->counts = r->v;
	out->n = r->n;
}

int rle_encode_u16(const uint16_t *px, int w, int h, uint16_t value, raster_rect box,
    struct rle *out, char **cause)
{
	struct runs r = { 0 };
	int x, y;

	memset(out, 0, sizeof(*out));
	if (check_size(w, h, cause) != 0)
		return -1;
	box.x0 = box.x0 < 0 ? 0 : box.x0;
	box.y0 = box.y0 < 0 ? 0 : box.y0;
	box.x1 = box.x1 > w ? w : box.x1;
	box.y1 = box.y1 > h ? h : box.y1;
	if (box.x0 >= box.x1 || box.y0 >= box.y1) {
		runs_add(&r, 0, (uint64_t)w * h);
		runs_finish(&r, w, h, out);
		return 0;
	}
	runs_add(&r, 0, (uint64_t)box.x0 * h);
	for (x = box.x0; x < box.x1; x++) {
		const uint16_t *col = px + x;

		runs_add(&r, 0, (uint64_t)box.y0);
		for (y = box.y0; y < box.y1; y++)
			runs_add(&r, col[(size_t)y * (size_t)w] == value, 1);
		runs_add(&r, 0, (uint64_t)(h - box.y1));
	}
	runs_add(&r, 0, (uint64_t)(w - box.x1) * h);
	runs_finish(&r, w, h, out);
	return 0;
}

int rle_encode_u8(const uint8_t *mask, int w, int h, struct rle *out, char **cause)
{
	struct runs r = { 0 };
	int x, y;

	memset(out, 0, sizeof(*out));
	if (check_size(w, h, cause) != 0)
		return -1;
	for (x = 0; x < w; x++)
		for (y = 0; y < h; y++)
			runs_add(&r, mask[(size_t)y * (size_t)w + (size_t)x] != 0, 1);
	runs_finish(&r, w, h, out);
	return 0;
}

int rle_from_counts(const uint32_t *counts, size_t n, int w, int h, struct rle *out, char **cause)
{
	uint64_t total = 0, area;
	size_t i;

	memset(out, 0, sizeof(*out));
	if (check_size(w, h, cause) != 0)
		return -1;
	area = (uint64_t)w * (uint64_t)h;
	if (n > area + 1)
		return err_set(cause, "%zu counts for a mask of %llu pixels", n, (unsigned long long)area);
	for (i = 0; i < n; i++) {
		total += counts[i];
		if (total > area)
			return err_set(cause, "the counts add up to more than the %dx%d mask", w, h);
	}
	out->w = w;
	out->h = h;
	out->n = n;
	out->counts = xreallocarray(NULL, n ? n : 1, sizeof(uint32_t));
	if (n)
		memcpy(out->counts, counts, n * sizeof(uint32_t));
	return 0;
}

void rle_decode(const struct rle *r, uint8_t *mask)
{
	uint64_t pos = 0, end, total = (uint64_t)r->w * (uint64_t)r->h;
	size_t i;

	memset(mask, 0, (size_t)total);
	for (i = 0; i < r->n && pos < total; i++) {
		end = pos + r->counts[i];
		if (end > total)
			end = total;
		if (i & 1) {
			/* A run of set pixels, column-major: walk it column by column. */
			while (pos < end) {
				uint64_t x = pos / (uint64_t)r->h, y = pos % (uint64_t)r->h;
				uint64_t stop = end - pos < (uint64_t)r->h - y ? end : pos + ((uint64_t)r->h - y);

				for (; pos < stop; pos++, y++)
					mask[y * (uint64_t)r->w + x] = 1;
			}
		}
		pos = end;
	}
}

char *rle_to_string(const struct rle *r)
{
	char *s = xmalloc(r->n * 7 + 1); /* a 32-bit count plus sign takes at most 7 groups */
	size_t i, p = 0;

	for (i = 0; i < r->n; i++) {
		int64_t x = r->counts[i];
		int more = 1;

		if (i > 2)
			x -= (int64_t)r->counts[i - 2];
		while (more) {
			int c = (int)(x & 0x1f);

			x >>= 5; /* arithmetic shift: gcc and clang define it on signed values */
			more = (c & 0x10) ? x != -1 : x != 0;
			if (more)
				c |= 0x20;
			s[p++] = (char)(c + 48);
		}
	}
	s[p] = '\0';
	return s;
}

int rle_from_string(const char *s, size_t len, int w, int h, struct rle *out, char **cause)
{
	uint64_t area, total = 0;
	uint32_t *counts;
	size_t p = 0, m = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (check_size(w, h, cause) != 0)
		return -1;
	area = (uint64_t)w * (uint64_t)h;
	/* Each count takes at least one character: len bounds the counts. */
	if (len > (area + 1) * 7)
		return err_set(cause, "an RLE string of %zu characters for a mask of %llu pixels", len,
		    (unsigned long long)area);
	counts = xreallocarray(NULL, len ? len : 1, sizeof(uint32_t));
	while (p < len) {
		int64_t x = 0;
		int k = 0, more = 1;

		while (more) {
			int c;

			if (p >= len) {
				err_set(cause, "RLE string ends inside a count");
				goto out;
			}
			c = (unsigned char)s[p] - 48;
			if (c < 0 || c > 63) {
				err_set(cause, "RLE string has a character outside '0'..'o' at %zu", p);
				goto out;
			}
			if (k >= 7) {
				err_set(cause, "RLE string has a count too large at %zu", p);
				goto out;
			}
			x |= (int64_t)(c & 0x1f) << (5 * k);
			more = c & 0x20;
			p++;
			k++;
			if (!more && (c & 0x10))
				x -= (int64_t)1 << (5 * k); /* the sign: extend */
		}
		if (m > 2)
			x += counts[m - 2];
		if (x < 0 || (uint64_t)x > area - total) {
			err_set(cause, "RLE count %zu is %lld: outside the %dx%d mask", m, (long long)x, w, h);
			goto out;
		}
		total += (uint64_t)x;
		counts[m++] = (uint32_t)x;
	}
	out->w = w;
	out->h = h;
	out->n = m;
	out->counts = counts;
	counts = NULL;
	rc = 0;
out:
	free(counts);
	return rc;
}

uint64_t rle_area(const struct rle *r)
{
	uint64_t a = 0;
	size_t i;

	for (i = 1; i < r->n; i += 2)
		a += r->counts[i];
	return a;
}

raster_rect rle_bounds(const struct rle *r)
{
	raster_rect b = { 0, 0, 0, 0 };
	uint64_t pos = 0, h = (uint64_t)r->h;
	int any = 0;
	size_t i;

	for (i = 0; i < r->n; i++) {
		uint64_t start = pos, last;

		pos += r->counts[i];
		if (!(i & 1) || r->counts[i] == 0)
			continue;
		last = pos - 1;
		{
			int x0 = (int)(start / h), x1 = (int)(last / h) + 1;
			int y0 = x1 - x0 > 1 ? 0 : (int)(start % h), y1 = x1 - x0 > 1 ? r->h : (int)(last % h) + 1;

			if (!any) {
				b = (raster_rect){ x0, y0, x1, y1 };
				any = 1;
				continue;
			}
			b.x0 = x0 < b.x0 ? x0 : b.x0;
			b.y0 = y0 < b.y0 ? y0 : b.y0;
			b.x1 = x1 > b.x1 ? x1 : b.x1;
			b.y1 = y1 > b.y1 ? y1 : b.y1;
		}
	}
	return b;
}

void rle_free(struct rle *r)
{
	if (!r)
		return;
	free(r->counts);
	memset(r, 0, sizeof(*r));
}
