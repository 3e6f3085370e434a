/* slic.h: SLIC superpixels (Achanta et al. 2012), as scikit-image's slic computes them with
 * its defaults (Lab colour, a regular grid of centres, 10 iterations, each centre searching a
 * 2S x 2S window, distance dc^2 + (m / S)^2 ds^2, connectivity enforced with pieces under
 * half a superpixel merged into a neighbour), written here because no Debian library is fast
 * enough: VLFeat's vl_slic_segment misses the 5x target (bench/bench_assist.sh measures both).
 * Speed comes from integer Lab through lookup tables, float distances, and work that is a
 * fixed number of passes over the image.
 *
 * Computed once per image and parameters, then kept in the state folder: the cache file is
 * named by the image's path and holds a key of the file's size and time, the pixels' hash and
 * the parameters, so an image changed on disk is computed again. */
#ifndef PXL_SLIC_H
#define PXL_SLIC_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/stat.h>

#include "img.h"

#define SLIC_MAX_SEGMENTS 16000 /* labels fit 16 bits even when connectivity splits some */
#define SLIC_ITERATIONS 10

struct slic_params {
	int nseg;           /* wanted superpixels, 1..SLIC_MAX_SEGMENTS */
	double compactness; /* m: larger is squarer */
};

struct slic {
	int w, h;
	uint16_t *labels;   /* owned, w * h, 0..nlabels-1, each label one 4-connected piece */
	int nlabels;
	struct slic_params params;
};

/* Progress and a stop, shared with a thread that runs slic_compute: progress goes from 0 to
 * SLIC_PROGRESS_END; a nonzero stop makes it give up at the next pass (-1, "stopped"). */
#define SLIC_PROGRESS_END 1000
struct slic_ctl {
	atomic_int progress;
	atomic_int stop;
};

/* Superpixels of im into *out (freed with slic_free). ctl may be NULL. */
int slic_compute(const struct img *im, const struct slic_params *p, struct slic_ctl *ctl, struct slic *out,
    char **cause) __attribute__((warn_unused_result));
void slic_free(struct slic *s);

/* The label at a pixel. */
static inline int slic_label(const struct slic *s, int x, int y)
{
	return s->labels[(size_t)y * s->w + x];
}

/* ---- the cache ----------------------------------------------------------------------- */

/* What a cache file must match: the image file's size and modification time, the decoded
 * pixels' hash (an edit that kept the time), the size and the parameters. */
struct slic_key {
	uint64_t file_size;
	int64_t mtime_ns;
	uint64_t pixel_hash;
	int w, h;
	struct slic_params params;
};
int slic_key_make(const char *image, const struct img *im, const struct slic_params *p, struct slic_key *key,
    char **cause) __attribute__((warn_unused_result));
/* The cache file for image in dir (state_dir/superpixels/HASH.slic, the folder made): NULL
 * when dir is NULL. The caller frees it. */
char *slic_cache_path(const char *state_dir, const char *image);
/* 0 and *out filled when path holds superpixels for key; -1 otherwise (missing, another key,
 * damaged: *cause says which). */
int slic_cache_load(const char *path, const struct slic_key *key, struct slic *out, char **cause)
    __attribute__((warn_unused_result));
/* Writes s to path under key (atomically), rows as runs of labels; then trims the folder to
 * SLIC_CACHE_MAX_BYTES. */
int slic_cache_save(const char *path, const struct slic_key *key, const struct slic *s, char **cause)
    __attribute__((warn_unused_result));
/* The cache of every image ever looked at would grow without end: past max_bytes of .slic
 * files in dir, the least recently used go (a load marks its file used), never keep. Returns
 * how many files were removed. */
#define SLIC_CACHE_MAX_BYTES (256ULL << 20)
size_t slic_cache_trim(const char *dir, uint64_t max_bytes, const char *keep);

#endif
