/* dataset.h: the data set's pxlabel.ini, found in the image's folder or a folder above it: its
 * classes (id, name, colour, key, parent) and the suffixes of the files beside each image. It
 * belongs to the data set and is shared by everyone who labels it. Read here (through
 * inifile.h), and written here too, when an import adds the classes it brings.
 * Errors name the file and the line ("data/pxlabel.ini:12: class "car": ..."); keys and sections
 * this version does not know are warnings, so files written for a newer pxlabel still open.
 * The format is described in doc/config.md. */
#ifndef PXL_DATASET_H
#define PXL_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "pngio.h"

#define DATASET_MAX_CLASSES 255         /* the ids 1..255 of an 8-bit labels mask */
#define DATASET_MAX_NAME 64             /* bytes in a class name */

struct dataset_class {
	int id;                  /* 1..255: the value of its pixels in the labels mask */
	char *name;              /* owned; UTF-8, no control characters, 1..DATASET_MAX_NAME bytes */
	struct pngio_rgb colour;
	int key;                 /* a printable ASCII character ('!'..'~'), 0 when none */
	int parent_id;           /* 0 when none */
	int line;                /* of its [class NAME] line; 0 for the built-in classes */
};

struct dataset {
	char *path;              /* owned; the pxlabel.ini used, NULL for the built-in defaults */
	struct dataset_class *classes; /* owned; sorted by id */
	size_t nclasses;         /* at least 1 */
	char *sidecar_suffix;    /* owned; ".pxl.json": cat.jpg -> cat.pxl.json */
	char *labels_suffix;     /* owned; ".labels.png" */
	char *instances_suffix;  /* owned; ".instances.png" */
	uint32_t sliver_pixels;  /* parts of an instance smaller than this are reported (0: never) */
	char **warnings;         /* owned; "FILE:LINE: ..." lines for the user to see */
	size_t nwarnings;
};

/* Looks for pxlabel.ini in the folder of an image (or in a folder), then in each folder above it,
 * up to /. Returns 0 with *ini_path_out (an absolute path the caller frees) set to the first one
 * found, 1 when there is none (*ini_path_out NULL), -1 on an error. */
int dataset_find(const char *image_path_or_dir, char **ini_path_out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* dataset_find, then dataset_parse_file on what it found, or the built-in defaults when it
 * found nothing. */
int dataset_load(const char *image_path_or_dir, struct dataset *out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* Reads one pxlabel.ini. A file with no [class] sections gets the built-in classes. On failure
 * *out holds nothing (dataset_free on it is harmless) and *cause reads "FILE:LINE: ...". */
int dataset_parse_file(const char *ini_path, struct dataset *out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* The same from memory; name stands for the file in messages and in out->path. The text may
 * hold anything (NUL bytes are an error, not the end). */
int dataset_parse_mem(const char *name, const char *text, size_t len, struct dataset *out,
    char **cause) __attribute__((nonnull(1, 4), warn_unused_result));
/* The built-in data set: 1 background (key b), 2 object (key o), the default suffixes. */
void dataset_defaults(struct dataset *out) __attribute__((nonnull));
void dataset_free(struct dataset *ds);

/* Borrowed pointers into ds, NULL when there is no such class. */
const struct dataset_class *dataset_class_by_id(const struct dataset *ds, int id)
    __attribute__((nonnull));
const struct dataset_class *dataset_class_by_name(const struct dataset *ds, const char *name)
    __attribute__((nonnull));
const struct dataset_class *dataset_class_by_key(const struct dataset *ds, int key)
    __attribute__((nonnull));

/* The colour a class id gets when pxlabel.ini gives none (also for ids a sidecar uses that the
 * data set does not define): a fixed 20-colour palette, indexed by id so it never shifts. */
struct pngio_rgb dataset_default_colour(int id);

/* Adds classes to the data set's pxlabel.ini (ini_path; when it does not exist it is made with
 * the added classes only: the built-in ones belong to a folder with no classes), under a lock
 * so that parallel imports agree on the ids: each name not yet there gets want_ids[i] when free
 * (0: no wish), else the lowest free id; parents[i] (may be NULL, or a NULL array) is added
 * first when missing. The file is checked by parsing it again before it replaces the old one. */
int dataset_add_classes(const char *ini_path, const char *const *names, const char *const *parents,
    const int *want_ids, size_t n, char **cause) __attribute__((nonnull(1), warn_unused_result));

#endif
