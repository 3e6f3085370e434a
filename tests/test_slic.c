/* test_slic.c: superpixels on synthetic images with known answers: none straddles a strong
 * edge (not on the grid's lines); the count is the one asked for within a margin; every label
 * is one 4-connected piece; a stop is obeyed; the cache gives back the same labels for the same
 * key and refuses another image, other parameters or a damaged file. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "slic.h"
#include "tap.h"
#include "xalloc.h"

#define W 203
#define H 151
#define EDGE 97

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

/* Pieces of each label, by a flood: 1 each when connected. */
static int pieces(const struct slic *s)
{
	uint8_t *seen = xcalloc((size_t)s->w * s->h, 1);
	size_t *queue = xmalloc((size_t)s->w * s->h * sizeof(*queue));
	int count = 0;
	size_t i;

	for (i = 0; i < (size_t)s->w * s->h; i++) {
		size_t head = 0, tail = 0;

		if (seen[i])
			continue;
		count++;
		seen[i] = 1;
		queue[tail++] = i;
		while (head < tail) {
			size_t p = queue[head++];
			int x = (int)(p % s->w), y = (int)(p / s->w), d;
			static const int dx[4] = { 1, -1, 0, 0 }, dy[4] = { 0, 0, 1, -1 };

			for (d = 0; d < 4; d++) {
				int nx = x + dx[d], ny = y + dy[d];
				size_t q = (size_t)ny * s->w + nx;

				if (nx < 0 || ny < 0 || nx >= s->w || ny >= s->h || seen[q] || s->labels[q] != s->labels[p])
					continue;
				seen[q] = 1;
				queue[tail++] = q;
			}
		}
	}
	free(seen);
	free(queue);
	return count;
}

int main(void)
{
	struct img im = { 0 };
	struct slic s = { 0 }, t = { 0 };
	struct slic_params p = { 100, 10 };
	struct slic_ctl ctl;
	struct slic_key key, other;
	char dir[] = "/tmp/pxl-slic-XXXXXX", *path = NULL, *cause = NULL;
	unsigned seed = 1;
	int x, y, ok, straddle = 0, *side;
	FILE *f;

	im.w = im.src_w = W;
	im.h = im.src_h = H;
	im.chans = 3;
	im.rgb = xmalloc((size_t)W * H * 3);
	/* Dark blue left of the edge, orange right of it, both with some noise. */
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			uint8_t *px = im.rgb + ((size_t)y * W + x) * 3;
			int n = (int)(rnd(&seed) % 21) - 10;

			px[0] = (uint8_t)(x < EDGE ? 30 + n : 230 + n / 2);
			px[1] = (uint8_t)(x < EDGE ? 40 + n : 140 + n);
			px[2] = (uint8_t)(x < EDGE ? 120 + n : 20 + n);
		}
	atomic_init(&ctl.progress, 0);
	atomic_init(&ctl.stop, 0);
	ok = slic_compute(&im, &p, &ctl, &s, &cause) == 0;
	tap_ok(ok, "computed%s%s", cause ? ": " : "", cause ? cause : "");
	tap_ok(atomic_load(&ctl.progress) == SLIC_PROGRESS_END, "progress reaches its end");
	side = xcalloc(65536, sizeof(*side));
	for (y = 0; ok && y < H; y++)
		for (x = 0; x < W; x++) {
			int l = slic_label(&s, x, y), sd = x < EDGE ? 1 : 2;

			if (side[l] && side[l] != sd)
				straddle++;
			side[l] = sd;
		}
	free(side);
	tap_ok(ok && straddle == 0, "no superpixel straddles the strong edge (%d pixels on the wrong side)", straddle);
	tap_ok(ok && s.nlabels >= 80 && s.nlabels <= 120, "%d superpixels for 100 asked (within 20%%)", s.nlabels);
	tap_ok(ok && pieces(&s) == s.nlabels, "each is one 4-connected piece");
	slic_free(&s);

	p.nseg = 30;
	ok = slic_compute(&im, &p, NULL, &s, NULL) == 0;
	tap_ok(ok && s.nlabels >= 24 && s.nlabels <= 36, "%d superpixels for 30 asked", s.nlabels);

	/* The cache. */
	if (!mkdtemp(dir))
		return 1;
	{
		char img[64];

		snprintf(img, sizeof(img), "%s/a.png", dir);
		f = fopen(img, "w");
		fputs("not really an image", f);
		fclose(f);
		path = slic_cache_path(dir, img);
		tap_ok(path && strstr(path, "/superpixels/") && strstr(path, ".slic"), "the cache file: %s", path ? path : "");
		ok = slic_key_make(img, &im, &p, &key, NULL) == 0;
		ok = ok && slic_cache_save(path, &key, &s, NULL) == 0;
		tap_ok(ok, "saved");
		ok = slic_cache_load(path, &key, &t, NULL) == 0;
		tap_ok(ok && t.nlabels == s.nlabels && !memcmp(t.labels, s.labels, (size_t)W * H * 2), "loaded: the same labels");
		slic_free(&t);
		other = key;
		other.params.nseg = 31;
		tap_ok(slic_cache_load(path, &other, &t, NULL) == -1 && !t.labels, "other parameters: refused");
		im.rgb[5] ^= 1;
		ok = slic_key_make(img, &im, &p, &other, NULL) == 0;
		im.rgb[5] ^= 1;
		tap_ok(ok && other.pixel_hash != key.pixel_hash && slic_cache_load(path, &other, &t, NULL) == -1,
		    "other pixels (same file time): refused");
		/* Damaged: cut short. */
		if (truncate(path, 200) == 0) {
			ok = slic_cache_load(path, &key, &t, &cause) == -1;
			tap_ok(ok && !t.labels && cause && strstr(cause, "cut short"), "cut short: refused (%s)", cause ? cause : "");
		} else {
			tap_ok(0, "truncate");
		}
		free(cause);
		cause = NULL;
		unlink(path);
		{
			/* Trimming: five files of 1000 bytes used at times 1..5; past 2500 bytes the
			 * least recently used go, never the one kept. */
			char sp[96], fp[128];
			struct timespec ts[2];
			int k, left = 0;

			snprintf(sp, sizeof(sp), "%s/superpixels", dir);
			for (k = 1; k <= 5; k++) {
				snprintf(fp, sizeof(fp), "%s/%d.slic", sp, k);
				f = fopen(fp, "w");
				for (int b = 0; f && b < 1000; b++)
					fputc('x', f);
				if (f)
					fclose(f);
				ts[0].tv_sec = ts[1].tv_sec = 1000000 + (k == 1 ? 9 : k); /* 1 was used last */
				ts[0].tv_nsec = ts[1].tv_nsec = 0;
				utimensat(AT_FDCWD, fp, ts, 0);
			}
			tap_ok(slic_cache_trim(sp, 2500, "2.slic") == 3, "trim to 2500 bytes: three files go");
			for (k = 1; k <= 5; k++) {
				snprintf(fp, sizeof(fp), "%s/%d.slic", sp, k);
				left = left * 10 + (access(fp, F_OK) == 0 ? k : 0);
			}
			tap_ok(left == 12000, "the one kept and the one used last stay, the least recently used go (%d)", left);
			for (k = 1; k <= 5; k++) {
				snprintf(fp, sizeof(fp), "%s/%d.slic", sp, k);
				unlink(fp);
			}
		}
		unlink(img);
		snprintf(img, sizeof(img), "%s/superpixels", dir);
		rmdir(img);
		rmdir(dir);
	}
	free(path);
	slic_free(&s);

	atomic_store(&ctl.stop, 1);
	ok = slic_compute(&im, &p, &ctl, &s, &cause) == -1;
	tap_ok(ok && !s.labels, "a stop is obeyed: %s", cause ? cause : "");
	free(cause);
	p.nseg = 0;
	tap_ok(slic_compute(&im, &p, NULL, &s, NULL) == -1, "0 segments: refused");
	free(im.rgb);
	return tap_done();
}
