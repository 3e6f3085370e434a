/* slic.c: SLIC superpixels and their cache (see slic.h). */
#include "config.h"

#include "slic.h"

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "err.h"
#include "sbuf.h"
#include "xalloc.h"

#define FTAB 8192 /* steps of Lab's f(t) over [0, 1] */
#define NSTEPS (SLIC_ITERATIONS + 2) /* progress: Lab, the iterations, connectivity */
#define NO_LABEL 0xffff

struct centre {
	float l, a, b, x, y;
};

static void progress(struct slic_ctl *ctl, int step)
{
	if (ctl)
		atomic_store(&ctl->progress, step * SLIC_PROGRESS_END / NSTEPS);
}

static int stopped(struct slic_ctl *ctl)
{
	return ctl && atomic_load(&ctl->stop);
}

/* A 16-bit sample to 8 bits through the image's default window (the file's percentiles, not
 * the view's window): a narrow band of values keeps its contrast. */
static int to8(const struct img *im, int v)
{
	int lo = im->win_lo, hi = im->win_hi;

	if (hi <= lo)
		return v >> 8;
	v = v < lo ? lo : v > hi ? hi : v;
	return (int)((int64_t)(v - lo) * 255 / (hi - lo));
}

/* sRGB to CIE Lab (D65, the matrix scikit-image uses), each channel to a byte: L * 2.55,
 * a + 128, b + 128. The gamma and f(t) come from tables, so a pixel is nine products. */
static void to_lab(const struct img *im, uint8_t *pl, uint8_t *pa, uint8_t *pb)
{
	float lin[256], ftab[FTAB + 2];
	size_t i, n = (size_t)im->w * im->h;
	int k;

	for (k = 0; k < 256; k++) {
		double c = k / 255.0;

		lin[k] = (float)(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4));
	}
	for (k = 0; k <= FTAB + 1; k++) {
		double t = (double)k / FTAB;

		ftab[k] = (float)(t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116);
	}
	for (i = 0; i < n; i++) {
		int r, g, b;
		float R, G, B, X, Y, Z, fx, fy, fz, L, A, Bb;

		if (im->rgb) {
			r = im->rgb[i * 3];
			g = im->rgb[i * 3 + 1];
			b = im->rgb[i * 3 + 2];
		} else if (im->chans == 1) {
			r = g = b = to8(im, im->px16[i]);
		} else {
			r = to8(im, im->px16[i * 3]);
			g = to8(im, im->px16[i * 3 + 1]);
			b = to8(im, im->px16[i * 3 + 2]);
		}
		R = lin[r];
		G = lin[g];
		B = lin[b];
		X = (0.412453f * R + 0.357580f * G + 0.180423f * B) / 0.950456f;
		Y = 0.212671f * R + 0.715160f * G + 0.072169f * B;
		Z = (0.019334f * R + 0.119193f * G + 0.950227f * B) / 1.088754f;
		fx = ftab[(int)((X < 1.0f ? X : 1.0f) * FTAB + 0.5f)];
		fy = ftab[(int)((Y < 1.0f ? Y : 1.0f) * FTAB + 0.5f)];
		fz = ftab[(int)((Z < 1.0f ? Z : 1.0f) * FTAB + 0.5f)];
		L = 116 * fy - 16;
		A = 500 * (fx - fy) + 128;
		Bb = 200 * (fy - fz) + 128;
		L = L * 2.55f + 0.5f;
		A += 0.5f;
		Bb += 0.5f;
		pl[i] = (uint8_t)(L < 0 ? 0 : L > 255 ? 255 : L);
		pa[i] = (uint8_t)(A < 0 ? 0 : A > 255 ? 255 : A);
		pb[i] = (uint8_t)(Bb < 0 ? 0 : Bb > 255 ? 255 : Bb);
	}
}

/* Pieces of one label that are not connected become labels of their own; those under
 * min_size join the label of a neighbour found before them in raster order (as scikit-image
 * does). queue has room for every pixel. Returns the number of labels. */
static int enforce_connectivity(const int32_t *old, uint16_t *out, int w, int h, int min_size, uint32_t *queue)
{
	static const int dx[4] = { 1, -1, 0, 0 }, dy[4] = { 0, 0, 1, -1 };
	size_t n = (size_t)w * h, i;
	int cur = 0;

	for (i = 0; i < n; i++)
		out[i] = NO_LABEL;
	for (i = 0; i < n; i++) {
		size_t head = 0, tail = 0, q;
		int adjacent = -1, x = (int)(i % w), y = (int)(i / w), d;

		if (out[i] != NO_LABEL)
			continue;
		/* A neighbour labeled already: where a small piece goes. */
		for (d = 0; d < 4; d++) {
			int nx = x + dx[d], ny = y + dy[d];

			if (nx >= 0 && ny >= 0 && nx < w && ny < h && out[(size_t)ny * w + nx] != NO_LABEL)
				adjacent = out[(size_t)ny * w + nx];
		}
		out[i] = (uint16_t)cur;
		queue[tail++] = (uint32_t)i;
		while (head < tail) {
			size_t p = queue[head++];
			int px = (int)(p % w), py = (int)(p / w);

			for (d = 0; d < 4; d++) {
				int nx = px + dx[d], ny = py + dy[d];
				size_t np;

				if (nx < 0 || ny < 0 || nx >= w || ny >= h)
					continue;
				np = (size_t)ny * w + nx;
				if (out[np] == NO_LABEL && old[np] == old[p]) {
					out[np] = (uint16_t)cur;
					queue[tail++] = (uint32_t)np;
				}
			}
		}
		if ((int)tail < min_size && adjacent >= 0) {
			for (q = 0; q < tail; q++)
				out[queue[q]] = (uint16_t)adjacent;
		} else {
			cur++;
		}
	}
	return cur;
}

/* One row of a centre's window: each pixel takes the centre when it is nearer than the
 * nearest so far. This loop is nearly all of SLIC's time, so it is written for compilers to
 * turn into vector code on any x86-64 (SSE2 has no blend of floats): distances are kept as the
 * bits of non-negative floats, which order as their int32 patterns do, and the choice is made
 * with masks, not branches. GCC vectorizes only at -O3, hence the attribute. */
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("O3")))
#endif
static void window_row(const uint8_t *restrict pl, const uint8_t *restrict pa, const uint8_t *restrict pb,
    int32_t *restrict dp, int32_t *restrict lp, int n, float cl, float ca, float cb, float ddy, float dx0, float wl,
    float ws, int32_t k)
{
	int x;

	for (x = 0; x < n; x++) {
		float dl = pl[x] - cl, da = pa[x] - ca, db = pb[x] - cb, ddx = dx0 + (float)x;
		union { float f; int32_t i; } d;
		int32_t m;

		d.f = wl * dl * dl + da * da + db * db + ddy + ddx * ddx * ws;
		m = -(int32_t)(d.i < dp[x]);
		dp[x] = (d.i & m) | (dp[x] & ~m);
		lp[x] = (k & m) | (lp[x] & ~m);
	}
}

int slic_compute(const struct img *im, const struct slic_params *p, struct slic_ctl *ctl, struct slic *out,
    char **cause)
{
	size_t n = (size_t)im->w * im->h;
	int w = im->w, h = im->h, gx, gy, nc = 0, it, k, rc = -1;
	uint8_t *lab = NULL, *pl, *pa, *pb;
	float step, ws;
	int32_t *dist = NULL, *lbl = NULL; /* dist: the bits of floats (see window_row) */
	struct centre *c = NULL;
	uint64_t *sum = NULL;
	const float wl = (float)((100.0 / 255) * (100.0 / 255)); /* L is stored times 2.55 */

	memset(out, 0, sizeof(*out));
	if (p->nseg < 1 || p->nseg > SLIC_MAX_SEGMENTS || !(p->compactness > 0))
		return err_set(cause, "superpixels: %d segments, compactness %g: out of range (1..%d, > 0)", p->nseg,
		    p->compactness, SLIC_MAX_SEGMENTS);
	if (n == 0 || n > UINT32_MAX)
		return err_set(cause, "superpixels: an image of %dx%d pixels", w, h);
	progress(ctl, 0);
	lab = xmalloc(n * 3);
	pl = lab;
	pa = lab + n;
	pb = lab + 2 * n;
	to_lab(im, pl, pa, pb);
	progress(ctl, 1);
	/* A regular grid of about nseg centres, each in the middle of its cell. */
	step = sqrtf((float)n / p->nseg);
	gx = (int)(w / step + 0.5f);
	gy = (int)(h / step + 0.5f);
	gx = gx < 1 ? 1 : gx;
	gy = gy < 1 ? 1 : gy;
	while (gx * gy > SLIC_MAX_SEGMENTS) {
		gx -= gx > 1;
		gy -= gy > 1;
	}
	c = xcalloc((size_t)gx * gy, sizeof(*c));
	for (k = 0; k < gy; k++)
		for (it = 0; it < gx; it++) {
			struct centre *ce = &c[nc++];
			int x = (int)((it + 0.5) * w / gx), y = (int)((k + 0.5) * h / gy);

			ce->x = (float)x;
			ce->y = (float)y;
			ce->l = pl[(size_t)y * w + x];
			ce->a = pa[(size_t)y * w + x];
			ce->b = pb[(size_t)y * w + x];
		}
	step = sqrtf((float)n / nc);
	ws = (float)(p->compactness / step) * (float)(p->compactness / step);
	dist = xmalloc(n * sizeof(*dist));
	lbl = xcalloc(n, sizeof(*lbl));
	sum = xmalloc((size_t)nc * 6 * sizeof(*sum));
	for (it = 0; it < SLIC_ITERATIONS; it++) {
		int s = (int)ceilf(step);

		if (stopped(ctl)) {
			err_set(cause, "stopped");
			goto out;
		}
		/* Beyond any distance: 0x7f7f7f7f is the bits of 3.4e38. */
		memset(dist, 0x7f, n * sizeof(*dist));
		/* Each centre looks at the pixels within a step of it (a 2S x 2S window). */
		for (k = 0; k < nc; k++) {
			const struct centre *ce = &c[k];
			int cx = (int)lroundf(ce->x), cy = (int)lroundf(ce->y), x0 = cx - s, x1 = cx + s + 1, y0 = cy - s, y1 = cy + s + 1;
			int y;

			x0 = x0 < 0 ? 0 : x0;
			y0 = y0 < 0 ? 0 : y0;
			x1 = x1 > w ? w : x1;
			y1 = y1 > h ? h : y1;
			for (y = y0; y < y1; y++) {
				size_t o = (size_t)y * w + x0;

				window_row(pl + o, pa + o, pb + o, dist + o, lbl + o, x1 - x0, ce->l, ce->a, ce->b,
				    (y - ce->y) * (y - ce->y) * ws, x0 - ce->x, wl, ws, (int32_t)k);
			}
		}
		/* The centres move to the means of their pixels. */
		/* In integers (exact), a run of one label at a time: rows cross a superpixel in
		 * runs of about a step, so the sums are touched once a run, not once a pixel. */
		memset(sum, 0, (size_t)nc * 6 * sizeof(*sum));
		for (int y = 0; y < h; y++) {
			size_t o = (size_t)y * w;

			for (int x = 0; x < w;) {
				int32_t l = lbl[o + x];
				uint64_t sl = 0, sa = 0, sb = 0, sx = 0;
				int x0 = x;
				uint64_t *sm = sum + (size_t)l * 6;

				for (; x < w && lbl[o + x] == l; x++) {
					sl += pl[o + x];
					sa += pa[o + x];
					sb += pb[o + x];
					sx += (uint64_t)x;
				}
				sm[0] += sl;
				sm[1] += sa;
				sm[2] += sb;
				sm[3] += sx;
				sm[4] += (uint64_t)y * (uint64_t)(x - x0);
				sm[5] += (uint64_t)(x - x0);
			}
		}
		for (k = 0; k < nc; k++) {
			const uint64_t *sm = sum + (size_t)k * 6;

			if (sm[5] > 0) {
				double cnt = (double)sm[5];

				c[k].l = (float)(sm[0] / cnt);
				c[k].a = (float)(sm[1] / cnt);
				c[k].b = (float)(sm[2] / cnt);
				c[k].x = (float)(sm[3] / cnt);
				c[k].y = (float)(sm[4] / cnt);
			}
		}
		progress(ctl, 2 + it);
	}
	out->labels = xmalloc(n * sizeof(*out->labels));
	/* The distances are done with: their room is the flood's queue. */
	out->nlabels = enforce_connectivity(lbl, out->labels, w, h, (int)(0.5 * n / nc), (uint32_t *)dist);
	out->w = w;
	out->h = h;
	out->params = *p;
	progress(ctl, NSTEPS);
	rc = 0;
out:
	if (rc != 0)
		slic_free(out);
	free(lab);
	free(dist);
	free(lbl);
	free(c);
	free(sum);
	return rc;
}

void slic_free(struct slic *s)
{
	free(s->labels);
	memset(s, 0, sizeof(*s));
}

/* ---- the cache --------------------------------------------------------------------------- */

#define CACHE_MAGIC "pxlabel superpixels 1\n"

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ULL;
	}
	return h;
}

int slic_key_make(const char *image, const struct img *im, const struct slic_params *p, struct slic_key *key,
    char **cause)
{
	struct stat st;
	uint64_t hsh = 14695981039346656037ULL;
	size_t n = (size_t)im->w * im->h;

	memset(key, 0, sizeof(*key));
	if (stat(image, &st) != 0)
		return err_set(cause, "%s: %s", image, strerror(errno));
	key->file_size = (uint64_t)st.st_size;
	key->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
	/* A word at a time: a hash of 36 MB should not be felt. */
	if (im->rgb) {
		const uint8_t *b = im->rgb;
		size_t len = n * 3, i;

		for (i = 0; i + 8 <= len; i += 8) {
			uint64_t v;

			memcpy(&v, b + i, 8);
			hsh = (hsh ^ v) * 1099511628211ULL;
		}
		hsh = fnv(hsh, b + i, len - i);
	} else {
		hsh = fnv(hsh, im->px16, n * im->chans * sizeof(uint16_t));
	}
	key->pixel_hash = hsh;
	key->w = im->w;
	key->h = im->h;
	key->params = *p;
	return 0;
}

char *slic_cache_path(const char *state_dir, const char *image)
{
	char *real, *dir, *slash, *path;
	uint64_t h;

	if (!state_dir)
		return NULL;
	real = realpath(image, NULL);
	h = fnv(14695981039346656037ULL, real ? real : image, strlen(real ? real : image));
	free(real);
	dir = xasprintf("%s/superpixels", state_dir);
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		(void)mkdir(dir, 0755);
		*slash = '/';
	}
	(void)mkdir(dir, 0755);
	path = xasprintf("%s/%016llx.slic", dir, (unsigned long long)h);
	free(dir);
	return path;
}

/* The key as text, one line: the file says what it is when someone looks. */
static void key_line(char *buf, size_t n, const struct slic_key *k)
{
	snprintf(buf, n, "size %llu mtime %lld hash %016llx image %dx%d segments %d compactness %.6g\n",
	    (unsigned long long)k->file_size, (long long)k->mtime_ns, (unsigned long long)k->pixel_hash, k->w, k->h,
	    k->params.nseg, k->params.compactness);
}

int slic_cache_save(const char *path, const struct slic_key *key, const struct slic *s, char **cause)
{
	struct sbuf b;
	char line[256];
	int x, y, rc;

	sbuf_init(&b);
	sbuf_adds(&b, CACHE_MAGIC);
	key_line(line, sizeof(line), key);
	sbuf_adds(&b, line);
	snprintf(line, sizeof(line), "labels %d\n", s->nlabels);
	sbuf_adds(&b, line);
	/* Each row as runs: a 16-bit label and a 16-bit length, little end first. */
	for (y = 0; y < s->h; y++) {
		const uint16_t *row = s->labels + (size_t)y * s->w;

		for (x = 0; x < s->w;) {
			int x0 = x;
			uint8_t run[4];

			while (x < s->w && row[x] == row[x0] && x - x0 < 65535)
				x++;
			run[0] = (uint8_t)(row[x0] & 0xff);
			run[1] = (uint8_t)(row[x0] >> 8);
			run[2] = (uint8_t)((x - x0) & 0xff);
			run[3] = (uint8_t)((x - x0) >> 8);
			sbuf_add(&b, run, 4);
		}
	}
	rc = afile_write(path, b.data, b.len, cause);
	sbuf_free(&b);
	if (rc == 0) {
		char *copy = xstrdup(path), *slash = strrchr(copy, '/');

		if (slash) {
			*slash = '\0';
			(void)slic_cache_trim(copy, SLIC_CACHE_MAX_BYTES, slash + 1);
		}
		free(copy);
	}
	return rc;
}

int slic_cache_load(const char *path, const struct slic_key *key, struct slic *out, char **cause)
{
	FILE *f = NULL;
	char want[256], line[256];
	size_t n = (size_t)key->w * key->h, i = 0;
	int nlabels, rc = -1;

	memset(out, 0, sizeof(*out));
	f = fopen(path, "rb");
	if (!f)
		return err_set(cause, "%s: %s", path, strerror(errno));
	key_line(want, sizeof(want), key);
	if (!fgets(line, sizeof(line), f) || strcmp(line, CACHE_MAGIC) != 0) {
		err_set(cause, "%s: not a superpixel cache", path);
		goto out;
	}
	if (!fgets(line, sizeof(line), f) || strcmp(line, want) != 0) {
		err_set(cause, "%s: for another image or parameters", path);
		goto out;
	}
	if (!fgets(line, sizeof(line), f) || sscanf(line, "labels %d", &nlabels) != 1 || nlabels < 1 || nlabels > 65535) {
		err_set(cause, "%s: damaged", path);
		goto out;
	}
	out->labels = xmalloc(n * sizeof(*out->labels));
	while (i < n) {
		uint8_t run[4];
		size_t len, k;
		int lab;

		if (fread(run, 1, 4, f) != 4) {
			err_set(cause, "%s: cut short", path);
			goto out;
		}
		lab = run[0] | run[1] << 8;
		len = (size_t)(run[2] | run[3] << 8);
		/* A run never crosses a row's end, nor names a label beyond the count. */
		if (len == 0 || lab >= nlabels || (i % key->w) + len > (size_t)key->w) {
			err_set(cause, "%s: damaged", path);
			goto out;
		}
		for (k = 0; k < len; k++)
			out->labels[i++] = (uint16_t)lab;
	}
	out->w = key->w;
	out->h = key->h;
	out->nlabels = nlabels;
	out->params = key->params;
	rc = 0;
	/* Used now: the last to go when the folder is trimmed. */
	(void)futimens(fileno(f), NULL);
out:
	if (rc != 0)
		slic_free(out);
	fclose(f);
	return rc;
}

struct cached {
	char *name;
	int64_t used_ns;
	uint64_t bytes;
};

static int by_use(const void *a, const void *b)
{
	const struct cached *x = a, *y = b;

	if (x->used_ns != y->used_ns)
		return x->used_ns < y->used_ns ? -1 : 1;
	return strcmp(x->name, y->name);
}

size_t slic_cache_trim(const char *dir, uint64_t max_bytes, const char *keep)
{
	struct cached *c = NULL;
	size_t n = 0, i, removed = 0;
	uint64_t total = 0;
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d)
		return 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct stat st;
		char *p;

		if (len < 6 || strcmp(e->d_name + len - 5, ".slic") || e->d_name[0] == '.')
			continue;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
			c = xreallocarray(c, n + 1, sizeof(*c));
			c[n++] = (struct cached){ xstrdup(e->d_name),
				(int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec, (uint64_t)st.st_size };
			total += (uint64_t)st.st_size;
		}
		free(p);
	}
	closedir(d);
	if (n)
		qsort(c, n, sizeof(*c), by_use);
	for (i = 0; i < n && total > max_bytes; i++) {
		char *p;

		if (keep && !strcmp(c[i].name, keep))
			continue;
		p = xasprintf("%s/%s", dir, c[i].name);
		if (unlink(p) == 0) {
			total -= c[i].bytes;
			removed++;
		}
		free(p);
	}
	for (i = 0; i < n; i++)
		free(c[i].name);
	free(c);
	return removed;
}
