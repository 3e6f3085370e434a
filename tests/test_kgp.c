/* test_kgp.c: the kitty graphics encoder (chunks within the protocol's limit, base64 and zlib
 * that decode back to the pixels), placement and deletion commands, and the placement
 * arithmetic: the stretches of an axis, played as kitty plays them (each screen pixel shows the
 * source pixel its centre falls on, the main stretch above the others), against the view's own
 * mapping, over random views. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "kgp.h"
#include "sbuf.h"
#include "tap.h"

static int b64v(char c)
{
	const char *t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(t, c) : NULL;

	return p ? (int)(p - t) : -1;
}

/* Decodes the commands in s: their payloads joined, base64-decoded and inflated into px (cap
 * bytes). Returns the pixels' bytes, -1 on a malformed stream; *chunks, *max_payload, *first
 * (the first command's keys) as seen. */
static long decode(const struct sbuf *s, uint8_t *px, size_t cap, int *chunks, size_t *max_payload, char *first, size_t nfirst)
{
	struct sbuf b64, z;
	const char *p = s->data, *end = s->data + s->len;
	long r = -1;
	int more = 1;
	uLongf n = cap;
	size_t i;

	sbuf_init(&b64);
	sbuf_init(&z);
	*chunks = 0;
	*max_payload = 0;
	while (p < end && more) {
		const char *semi, *st;

		if (end - p < 3 || memcmp(p, "\033_G", 3))
			goto out;
		semi = memchr(p, ';', (size_t)(end - p));
		st = semi ? memmem(semi, (size_t)(end - semi), "\033\\", 2) : NULL;
		if (!st)
			goto out;
		if (*chunks == 0)
			snprintf(first, nfirst, "%.*s", (int)(semi - p - 3), p + 3);
		more = memmem(p, (size_t)(semi - p), "m=1", 3) != NULL;
		sbuf_add(&b64, semi + 1, (size_t)(st - semi - 1));
		if ((size_t)(st - semi - 1) > *max_payload)
			*max_payload = (size_t)(st - semi - 1);
		(*chunks)++;
		p = st + 2;
	}
	if (more || p != end || b64.len % 4)
		goto out;
	for (i = 0; i < b64.len; i += 4) {
		int v[4], k;
		uint8_t o[3];

		for (k = 0; k < 4; k++)
			v[k] = b64.data[i + k] == '=' ? 0 : b64v(b64.data[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
			goto out;
		o[0] = (uint8_t)(v[0] << 2 | v[1] >> 4);
		o[1] = (uint8_t)(v[1] << 4 | v[2] >> 2);
		o[2] = (uint8_t)(v[2] << 6 | v[3]);
		sbuf_add(&z, o, 3 - (b64.data[i + 2] == '=') - (b64.data[i + 3] == '='));
	}
	if (uncompress(px, &n, (const Bytef *)z.data, (uLong)z.len) != Z_OK)
		goto out;
	r = (long)n;
out:
	sbuf_free(&b64);
	sbuf_free(&z);
	return r;
}

static void test_transmit(void)
{
	int w = 301, h = 157, chunks, x, y;
	size_t stride = (size_t)w * 3 + 5, maxp;
	uint8_t *px = malloc(stride * h), *back = malloc((size_t)w * h * 3 + 16);
	struct sbuf out;
	char first[256], *cause = NULL;
	long n, bytes;
	int same = 1;

	/* Noise does not compress: many chunks. */
	srand(7);
	for (y = 0; y < h; y++)
		for (x = 0; x < (int)stride; x++)
			px[(size_t)y * stride + x] = (uint8_t)rand();
	sbuf_init(&out);
	bytes = kgp_transmit(&out, 77, px, w, h, 3, stride, NULL, &cause);
	tap_ok(bytes == (long)out.len && bytes > 0, "a transmission of %dx%d RGB: %ld bytes", w, h, bytes);
	n = decode(&out, back, (size_t)w * h * 3 + 16, &chunks, &maxp, first, sizeof(first));
	tap_ok(n == (long)w * h * 3, "its chunks join, decode and inflate to %ld bytes", n);
	for (y = 0; y < h && n > 0; y++)
		if (memcmp(back + (size_t)y * w * 3, px + (size_t)y * stride, (size_t)w * 3))
			same = 0;
	tap_ok(n > 0 && same, "the pixels come back, rows without the stride's padding");
	tap_ok(chunks > 1 && maxp <= KGP_CHUNK, "%d chunks of at most %d base64 bytes (largest %zu)", chunks, KGP_CHUNK, maxp);
	tap_ok(!strcmp(first, "a=t,f=24,s=301,v=157,i=77,o=z,q=2,m=1"), "the first command's keys: %s", first);
	/* A flat RGBA tile compresses to one chunk, shown at once. */
	memset(px, 0, stride * h);
	out.len = 0;
	bytes = kgp_transmit(&out, 5, px, 40, 40, 4, 160, "a=T,p=1,C=1,z=3", &cause);
	n = decode(&out, back, (size_t)w * h * 3, &chunks, &maxp, first, sizeof(first));
	tap_ok(n == 40 * 40 * 4 && chunks == 1 && !strcmp(first, "a=T,p=1,C=1,z=3,f=32,s=40,v=40,i=5,o=z,q=2"),
	    "an empty 40x40 RGBA tile: one command of %ld bytes (%s)", bytes, first);
	n = kgp_transmit(&out, 5, px, 0, 4, 3, 0, NULL, &cause);
	tap_ok(n < 0 && cause != NULL, "an empty image is refused: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	tap_ok(kgp_transmit(&out, 5, px, KGP_MAX_SIDE + 1, 1, 3, 0, NULL, &cause) < 0, "so is one wider than kitty takes");
	free(cause);
	sbuf_free(&out);
	free(px);
	free(back);
}

static void test_commands(void)
{
	struct sbuf out;
	struct kgp_place p = { .id = 9, .pid = 2, .x = 3, .y = 0, .w = 10, .h = 20, .col = 4, .row = 1, .X = 5, .c = 7, .r = 3, .z = 1 };

	sbuf_init(&out);
	kgp_put(&out, &p);
	sbuf_addc(&out, '\0');
	tap_ok(!strcmp(out.data, "\033[2;5H\033_Ga=p,i=9,p=2,x=3,w=10,h=20,X=5,c=7,r=3,z=1,C=1,q=2\033\\"),
	    "a placement: the cursor's move, then only keys that are not 0");
	out.len = 0;
	kgp_delete(&out, 9, 0, 1);
	kgp_delete(&out, 9, 2, 0);
	sbuf_addc(&out, '\0');
	tap_ok(!strcmp(out.data, "\033_Ga=d,d=I,i=9,q=2\033\\\033_Ga=d,d=i,i=9,p=2,q=2\033\\"),
	    "deletion: an image with its data (I), a placement alone (i, p)");
	sbuf_free(&out);
}

/* Plays the stretches: the source pixel each screen pixel of a..b shows (-1: none), each
 * stretch over the ones before it. */
static void play(const struct kgp_seg *s, int n, int *shown, int w)
{
	int i, x;

	for (x = 0; x < w; x++)
		shown[x] = -1;
	for (i = 0; i < n; i++)
		for (x = s[i].scr0; x < s[i].scr1 && x < w; x++) {
			double f = (x + 0.5 - s[i].scr0) / (s[i].scr1 - s[i].scr0);

			shown[x] = s[i].src0 + (int)floor(f * (s[i].src1 - s[i].src0));
		}
}

static void test_axis(void)
{
	static const double zooms[] = { 0.61, 1, 2, 2.93, 4, 8, 16, 32 };
	int shown[4096], trial, bad_cells = 0, bad_far = 0, total = 0, wrong = 0, bounds = 0, trials = 0;
	double worst_frac = 0;
	struct kgp_seg s[KGP_MAX_SEG];
	int n;

	/* The whole source fits exactly at 1:1 from cell 0: one stretch, the identity. */
	n = kgp_axis(0, 1, 100, 0, 0, 100, 10, s);
	tap_ok(n == 1 && s[0].src0 == 0 && s[0].src1 == 100 && s[0].scr0 == 0 && s[0].scr1 == 100 && s[0].main,
	    "1:1 over whole cells: one stretch");
	/* Nothing in view. */
	tap_ok(kgp_axis(200, 1, 100, 0, 0, 50, 10, s) == 0, "a source out of view: no stretch");
	srand(12);
	for (trial = 0; trial < 4000; trial++) {
		double z = zooms[trial % 8], o, a, b;
		int cell = trial % 3 == 0 ? 10 : trial % 3 == 1 ? 20 : 7, N = 50 + rand() % 600, W = cell * (20 + rand() % 120);
		int x, i, wrong_here = 0;

		/* Either the source's start is in view (a > 0) or it is cut off on the left. */
		o = (rand() % 2) ? -(rand() % 200) / z - (rand() % 1000) / 1000.0 : (rand() % 1000) / 1000.0 * N * 0.5;
		a = o < 0 ? -o * z : 0;
		b = fmin(W, (N - o) * z);
		if (b <= a + 1)
			continue;
		trials++;
		n = kgp_axis(o, z, N, 0, a, b, cell, s);
		for (i = 0; i < n; i++) {
			if (s[i].scr1 % cell || s[i].src0 < 0 || s[i].src1 > N || s[i].src1 <= s[i].src0 || s[i].scr1 > W ||
			    s[i].scr0 < (int)ceil(a - 0.5 - 1e-6))
				bounds++;
		}
		for (i = 0; i < n; i++)
			if (s[i].scr1 % cell)
				bad_cells++;
		play(s, n, shown, W);
		/* The cell where the source starts mid-cell may be squeezed by a pixel, and the few
		 * where it ends mid-cell stretched by less than a cell: they are left out here. */
		for (x = (int)ceil(a) + cell; x < (int)floor(b) - (fmod(b, cell) > 1e-6 ? 3 : 1) * cell; x++) {
			int want = (int)floor(o + (x + 0.5) / z);

			total++;
			if (shown[x] < 0 || abs(shown[x] - want) > 1) {
				if (bad_far++ < 3)
					tap_diag("o %.3f z %g n %d a %.1f b %.1f cell %d: x %d shows %d, not %d", o, z, N, a, b, cell, x, shown[x], want);
			}
			else if (shown[x] != want && z >= 1)
				wrong_here++; /* below 1:1 a source pixel is less than a screen pixel */
		}
		wrong += wrong_here;
		if (b - a > 0 && wrong_here / (b - a) > worst_frac)
			worst_frac = wrong_here / (b - a);
	}
	tap_ok(bounds == 0 && bad_cells == 0, "over %d random views every stretch ends on a cell boundary, inside the source and the area", trials);
	tap_ok(bad_far == 0, "every screen pixel shows the right source pixel or a neighbour (%d far of %d)", bad_far, total);
	/* Cells a multiple of the zoom's pixels, at a phase between them, leave a drift of up to
	 * half a source pixel across the main stretch: an exact placement needs a source
	 * rectangle in fractions of a pixel, which the protocol does not have. */
	tap_ok(wrong * 20 < total, "and the right one for all but %.2f%% of the pixels (worst view %.1f%%)",
	    100.0 * wrong / total, 100 * worst_frac);
	{
		struct kgp_seg sx = { 3, 13, 25, 100, 1 }, sy = { 0, 5, 40, 80, 0 };
		struct kgp_place p;

		kgp_place_of(&sx, 1, &sy, 0, 10, 20, 4, &p);
		tap_ok(p.x == 3 && p.w == 10 && p.col == 2 && p.X == 5 && p.c == 8 && p.y == 0 && p.h == 5 && p.row == 2 &&
		    p.Y == 0 && p.r == 2 && p.z == 5, "a placement from two stretches: cells, offsets, z above the base");
	}
}

int main(void)
{
	test_transmit();
	test_commands();
	test_axis();
	return tap_done();
}
