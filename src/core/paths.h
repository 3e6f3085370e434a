/* paths.h: the files that live next to an image, and which files of a folder are images.
 * For photos/cat.jpg: photos/cat.pxl.json, photos/cat.labels.png, photos/cat.instances.png
 * (suffixes configurable in pxlabel.ini). A folder scan never takes these for images, and two
 * images with one stem (cat.jpg, cat.png) are an error rather than a silent overwrite. */
#ifndef PXL_PATHS_H
#define PXL_PATHS_H

#include <stddef.h>

struct paths_suffixes {
	const char *sidecar;   /* ".pxl.json" */
	const char *labels;    /* ".labels.png" */
	const char *instances; /* ".instances.png" */
};

extern const struct paths_suffixes paths_default_suffixes;

#define PATHS_MAX_IMAGES 10000000 /* one run over a data set */
/* A folder holding this file is an export's output (pxlabel export writes it there): folders
 * walked for images skip it, so that an export kept inside its data set is not read back as
 * more images. */
#define PATHS_EXPORT_MARK ".pxlabel-export"
#define PATHS_MAX_DEPTH 32

/* image without its extension, plus suffix. The caller frees. */
char *paths_derived(const char *image, const char *suffix);
/* The file name part of path (borrowed, points into path). */
const char *paths_base(const char *path);
/* Whether a file name (no folder) is an image pxlabel reads and not one of its own outputs. */
int paths_is_image(const char *name, const struct paths_suffixes *sfx);
/* Natural order: runs of digits compare as numbers ("img2" before "img10"), the rest byte by
 * byte; names equal but for leading zeros keep strcmp's order ("img02" before "img2"). */
int paths_natural_cmp(const char *a, const char *b) __attribute__((nonnull));
/* Expands files and folders (recursively, hidden ones skipped, in natural order) into image
 * paths.
 * A named file is taken as it is; a stem shared by two images in one folder is an error.
 * On success *out is a new list the caller frees with paths_list_free. With orphans (else
 * NULL), *orphans is a second such list: the sidecars NAME.pxl.json (that suffix only) of the
 * folders walked with no image NAME.* beside them, whose outlines the images skip (a person's
 * own outlines of a shared image, IMAGE.PERSON.pxl.json, are not orphans: queue.h). */
int paths_collect(char *const *args, size_t nargs, const struct paths_suffixes *sfx, char ***out,
    size_t *nout, char ***orphans, size_t *norphans, char **cause);
void paths_list_free(char **list, size_t n);
/* Removes the temporaries that killed writers left (afile_sweep_dir) in the folders of files:
 * those of pxlabel's own files only (sidecars, masks, locks, pxlabel.ini; with sfx's suffixes
 * besides the defaults). Best effort: a folder that cannot be read or written is left as it is.
 * Returns how many files were removed. */
size_t paths_sweep(char *const *files, size_t n, const struct paths_suffixes *sfx);

#endif
