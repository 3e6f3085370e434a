/* fuzz_common.h: what the libFuzzer targets share: the input as a temporary file (the readers
 * take paths), the painter's reference for imports, and comparing two instance masks as
 * partitions. Header-only, so each target stays one source file in Makefile.am. */
#ifndef PXL_FUZZ_COMMON_H
#define PXL_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "compose.h"
#include "interop.h"
#include "raster.h"

/* A failed check is a crash the fuzzer keeps: wrong answers count as much as memory errors. */
#define CHECK(cond) do { if (!(cond)) abort(); } while (0)

/* Documents are composed only up to this many pixels: the fuzzer looks for bugs, not memory. */
#define FUZZ_MAX_PIXELS (1 << 16)

/* Writes data to a new file in $TMPDIR (default /tmp: point it at a tmpfs for speed) named
 * NAME-XXXXXX then suffix, its name left in path (cap bytes). Returns 0, or -1 (then nothing is
 * left behind). */
static inline int fuzz_write_temp(char *path, size_t cap, const char *name, const char *suffix,
    const uint8_t *data, size_t size)
{
	const char *dir = getenv("TMPDIR");
	size_t off = 0;
	int fd;

	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(path, cap, "%s/%s-XXXXXX%s", dir, name, suffix) >= cap)
		return -1;
	fd = mkstemps(path, (int)strlen(suffix));
	if (fd < 0)
		return -1;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0) {
			close(fd);
			unlink(path);
			return -1;
		}
		off += (size_t)n;
	}
	close(fd);
	return 0;
}

/* Paints the pieces of im one after another (objects marked behind first, as interop.h says)
 * into a w x h map of object index + 1: what the document built from im must compose to.
 * Returns a new map, or NULL when a piece does not fill (the build must then have failed too). */
static inline uint16_t *fuzz_paint(const struct interop_image *im, int w, int h)
{
	size_t n = (size_t)w * (size_t)h, i, p;
	uint16_t *ref = calloc(n ? n : 1, sizeof(uint16_t));
	uint8_t *m = malloc(n ? n : 1);
	int pass, ok = 1;

	CHECK(ref && m);
	for (pass = 0; pass < 2 && ok; pass++)
		for (i = 0; i < im->npieces && ok; i++) {
			const struct doc_shape *s = im->pieces[i].shape;
			uint16_t value = (uint16_t)(im->pieces[i].object + 1);

			if ((im->objects[im->pieces[i].object].behind != 0) != (pass == 0))
				continue;
			memset(m, 0, n);
			if (s->kind == DOC_POLYGON)
				ok = raster_fill_rings_u8(m, w, h, (size_t)w, s->rings, s->nrings, 1, NULL) == 0;
			else
				ok = raster_fill_stroke_u8(m, w, h, (size_t)w, s->path, s->npath, s->width, 1, NULL) == 0;
			for (p = 0; ok && p < n; p++)
				if (m[p])
					ref[p] = value;
		}
	free(m);
	if (!ok) {
		free(ref);
		return NULL;
	}
	return ref;
}

/* Whether two instance maps split the pixels the same way (ids may differ, but one-to-one, and
 * 0 stays 0). */
static inline int fuzz_same_partition(const uint16_t *a, const uint16_t *b, size_t n)
{
	uint32_t *ab = calloc(65536, sizeof(uint32_t)), *ba = calloc(65536, sizeof(uint32_t));
	size_t i;
	int same = 1;

	CHECK(ab && ba);
	for (i = 0; i < n && same; i++) {
		if ((a[i] == 0) != (b[i] == 0))
			same = 0;
		else if (!ab[a[i]] && !ba[b[i]]) {
			ab[a[i]] = (uint32_t)b[i] + 1;
			ba[b[i]] = (uint32_t)a[i] + 1;
		} else if (ab[a[i]] != (uint32_t)b[i] + 1 || ba[b[i]] != (uint32_t)a[i] + 1)
			same = 0;
	}
	free(ab);
	free(ba);
	return same;
}

/* Builds the document of im (class ids 1 + object index mod 255) and, when it is small enough
 * to compose, checks it against painting the pieces. Returns the document (the caller frees) or
 * NULL; *c holds its masks when *composed is set. */
static inline struct doc *fuzz_build_checked(const struct interop_image *im, struct compose *c, int *composed)
{
	int *ids = calloc(im->nobjects + 1, sizeof(int));
	struct doc *d = NULL;
	uint16_t *ref;
	size_t i;

	*composed = 0;
	CHECK(ids);
	for (i = 0; i < im->nobjects; i++)
		ids[i] = 1 + (int)(i % 255);
	if (im->w <= 0 || im->h <= 0 || (uint64_t)im->w * (uint64_t)im->h > FUZZ_MAX_PIXELS ||
	    interop_build_doc(im, ids, im->w, im->h, &d, NULL) != 0) {
		free(ids);
		return NULL;
	}
	free(ids);
	CHECK(compose_init(c, im->w, im->h, NULL) == 0);
	CHECK(compose_all(c, d, NULL) == 0);
	*composed = 1;
	/* Painting costs a full mask per piece: only where that stays quick. */
	if (im->npieces * (uint64_t)im->w * (uint64_t)im->h <= (1 << 22) && im->nobjects < 65536) {
		ref = fuzz_paint(im, im->w, im->h);
		if (ref) {
			CHECK(!memcmp(ref, c->ids, (size_t)im->w * (size_t)im->h * sizeof(uint16_t)));
			free(ref);
		}
	}
	return d;
}

#endif
