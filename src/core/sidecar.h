/* sidecar.h: NAME.pxl.json, the document on disk (format in doc/sidecar.md). JSON through
 * jansson; coordinates in pixels, exact multiples of 1/256; written atomically. */
#ifndef PXL_SIDECAR_H
#define PXL_SIDECAR_H

#include <stddef.h>

#include "doc.h"
#include "pngio.h"

#define SIDECAR_VERSION 1
#define SIDECAR_MAX_BYTES (512ULL << 20)

/* A class as the sidecar records it, so masks can be rebuilt even without pxlabel.ini. */
struct sidecar_class {
	int id;
	char *name; /* owned */
	struct pngio_rgb colour;
};

struct sidecar_meta {
	char *image_file; /* owned: the image's file name, as recorded */
	struct sidecar_class *classes; /* owned */
	size_t nclasses;
	char **warnings; /* owned: unknown fields, ignored */
	size_t nwarnings;
};

/* Reads path into a new document (history empty). Errors give the file and, for JSON syntax,
 * line and column; for bad content, where in the document: "x.pxl.json: instances[2].class:
 * ...". Returns 0, or -1 with *cause and nothing allocated. meta may be NULL. */
int sidecar_load(const char *path, struct doc **out, struct sidecar_meta *meta, char **cause);
/* Writes d atomically. classes lists the data set's classes; those the document uses are
 * recorded with their names and colours. */
int sidecar_save(const char *path, const struct doc *d, const char *image_file,
    const struct sidecar_class *classes, size_t nclasses, char **cause);
void sidecar_meta_free(struct sidecar_meta *m);
/* The review state alone, into buf (33 bytes hold any), from the head of the file where pxlabel
 * writes it, so that a data set of thousands of images is counted at once; a file whose head
 * does not settle it is read whole. A file without the key reads "todo", as sidecar_load has
 * it. Returns 0, 1 when there is no such file, -1 when it cannot be read. */
int sidecar_peek_review(const char *path, char *buf, size_t n);

#endif
