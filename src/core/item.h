/* item.h: one image of a data set with the files beside it: its pxlabel.ini classes, its
 * sidecar (the document), and its masks. The unit of work of every batch command, so that
 * commands over many images can be spread image by image (xargs -P, GNU parallel, Slurm). */
#ifndef PXL_ITEM_H
#define PXL_ITEM_H

#include "dataset.h"
#include "compose.h"
#include "doc.h"
#include "img.h"
#include "sidecar.h"

struct item {
	char *image;     /* owned paths */
	char *sidecar;
	char *labels;
	char *instances;
	struct dataset ds;
	struct doc *doc; /* NULL when the image has no sidecar yet */
	struct sidecar_meta meta;
	struct img_info info; /* the image's header, read when item_open was asked to check it */
};

/* Finds the data set's pxlabel.ini and reads the sidecar if there is one. With check_image,
 * the image's header is read and a sidecar made for another size is an error (its masks would
 * not line up). A broken sidecar is an error: nothing may then overwrite it. */
int item_open(struct item *it, const char *image, const struct img_limits *lim, int check_image,
    char **cause);
/* The same, for person's own files of a shared image (queue_personal): person NULL is item_open. */
int item_open_as(struct item *it, const char *image, const struct img_limits *lim, int check_image,
    const char *person, char **cause);
void item_close(struct item *it);

/* The class colours for the labels mask: pxlabel.ini's, else the sidecar's record, else the
 * fixed default palette. palette must hold 256 entries; returns how many are used. */
int item_palette(const struct item *it, struct pngio_rgb *palette);
/* The classes to record in the sidecar (pxlabel.ini's, plus the sidecar's own record of
 * classes pxlabel.ini no longer has). A new array of *n; names borrowed from it. */
struct sidecar_class *item_classes(const struct item *it, size_t *n);
/* When pxlabel.ini now gives one of the ids the sidecar uses another name than the sidecar
 * recorded (a class renamed, or two swapped), or one of its names another id (renumbered), a
 * one-line warning the caller frees; else NULL. The outlines keep their ids: this is the moment
 * a swapped cat/dog, or a class listed twice by an export, would go unnoticed. */
char *item_class_conflicts(const struct item *it);
/* Writes NAME.labels.png and NAME.instances.png from c, atomically and together: both are
 * encoded to temporaries first and replaced only when both are whole, so a failure (a full
 * disk) leaves the two old masks, and is returned (-1, *cause) for the caller to report. */
int item_write_masks(const struct item *it, const struct compose *c, char **cause);
/* Whether the masks lag the outlines: when the image has a sidecar and either mask is missing or
 * older than it (a kill between the sidecar's write and the masks', a failed mask write), a
 * one-line reason naming the mask, which the caller frees; else NULL. Rebuild them with
 * compose_all and item_write_masks. */
char *item_masks_stale(const struct item *it);
/* Writes the sidecar atomically. */
int item_save(const struct item *it, char **cause);
/* A class's name for display: pxlabel.ini's, else the sidecar's, else "class N". Borrowed or
 * in buf. */
const char *item_class_name(const struct item *it, int id, char *buf, size_t n);

#endif
