/* export.h: the interface of an export format (one file each: export_coco.c, export_voc.c,
 * ...), and what the formats share. cmd_export.c parses the line, walks the images and calls
 * the chosen format: begin, then image for each image with outlines, then finish. The format
 * logic (masks, JSON, ids) is in the core (coco.c, voc.c, labelme.c, cityscapes.c); a file
 * here says how it meets the command line: options, files and folders, messages, summary. */
#ifndef PXL_EXPORT_H
#define PXL_EXPORT_H

#include <stddef.h>

#include "batch.h"
#include "compose.h"
#include "formats.h"
#include "img.h"
#include "item.h"

/* Everything a run learns about classes, for categories and class lists: the first name and
 * parent seen for each id (pxlabel.ini's, else the sidecar's record), owned. */
struct export_classes {
	char *name[256];
	char *parent[256];
};

/* What every format is given. */
struct export_run {
	const char *out;             /* -o */
	const char *base;            /* image paths are written relative to it */
	char *const *args;           /* the IMAGE|DIR arguments */
	size_t nargs;
	struct img_limits lim;
	int quiet;
	struct batch_opts bo;        /* -j, --shard */
	char **all;                  /* every image of the arguments, once collected (export_collect) */
	size_t nall;
	char **images;               /* those of the shard (all of them without --shard): borrowed from all */
	size_t n;
	size_t *index;               /* images[i] is all[index[i]] */
	int collected;
	struct export_classes classes; /* of every image opened so far */
	struct batch_tally tally;    /* so far */
	size_t stale;                /* images whose masks lag their outlines (item_masks_stale) */
};

/* One image with outlines. */
struct export_item {
	const struct export_run *run;
	const char *image;           /* as collected: lives as long as the run */
	const struct item *it;       /* opened; it->doc is set */
	const char *rel;             /* its path relative to --base (inside it, unless EXPORT_FLAT) */
	size_t i;                    /* run->images[i] */
	struct compose *scratch;     /* for export_compose; NULL in done */
};

enum {
	EXPORT_FOLDER = 1, /* -o is a folder: made, and marked as an export (so that a scan for
	                      images leaves it out) before the images are collected */
	EXPORT_FLAT = 2,   /* its files are named by the image's name alone, not its path: an image
	                      outside --base is no error */
};

struct exporter {
	struct format f;
	unsigned flags;
	/* Before the images are walked. Returns 0 to go on, 1 when the run is complete without
	 * images (voc --lists-only), -1 when it cannot be done (said). It may call export_collect
	 * when it needs the images (coco: -o must be none of them); else they are collected after
	 * it. NULL: nothing to do. */
	int (*begin)(void *st, struct export_run *run);
	/* One image: its files. Returns -1 with *cause when it failed (the image is counted as
	 * failed, the run goes on). Runs on -j threads, several images at once, in no order: it
	 * may only read st (or change it atomically, as counts that add up); whatever depends on
	 * the order of the images it leaves in res (res_size bytes, zeroed) for done. */
	int (*image)(void *st, const struct export_item *x, void *res, char **cause);
	/* Then, in input order on one thread, for each image whose image succeeded: what depends
	 * on order (COCO's ids and stream, a warning said once). Frees what res holds. Returns -1
	 * with *cause when the image failed after all. NULL: nothing. */
	int (*done)(void *st, const struct export_item *x, void *res, char **cause);
	/* Frees what res holds after image failed (NULL: nothing to free). */
	void (*res_free)(void *res);
	size_t res_size;
	/* After the images: what covers the run (lists, categories). A failure worth counting
	 * goes into run->tally.failed; -1 when the run failed as a whole (said; no summary).
	 * NULL: nothing. */
	int (*finish)(void *st, struct export_run *run);
	/* Lines after the summary, unless --quiet. NULL: none. */
	void (*notes)(void *st, const struct export_run *run);
};

/* The images of run->args (once; said when it fails), and those of the shard. */
int export_collect(struct export_run *run);
/* x's outlines composed into masks (x->scratch, kept while the size is), or NULL. */
const struct compose *export_compose(const struct export_item *x, char **cause);

/* path and the folders above it (mkdir -p). */
int export_mkdirs(const char *path, char **cause);
/* The image's name without folder and extension; a new string. */
char *export_stem(const char *image);

/* How an image is put beside its masks. */
struct export_placing {
	int copy;         /* a copy, not a symbolic link */
	int as_jpeg;      /* always DST.jpg (encoded when not a JPEG) */
	int jpeg_quality; /* of the JPEGs encoded */
};
/* The image as DST (a path less its extension) plus its own extension, for readers that open
 * the pixels as stored, EXIF orientation ignored (PIL's Image.open does), beside masks that
 * follow the upright image: an image with an orientation other than 1 is written upright, as a
 * JPEG (a PNG when it is one and not as_jpeg). Anything else is linked, or copied. */
int export_place_image(const struct item *it, const char *dst, const struct export_placing *p,
    const struct img_limits *lim, char **cause);

/* A whole number option from lo to hi into *v, e.g. --jpeg-quality 1 to 100 and --val 0 to 100;
 * -1 when arg is not one (said as a usage error naming --opt and what it needs). */
int export_int_option(const char *opt, const char *arg, int lo, int hi, const char *what, int *v);

/* set[id] = 1 for the classes named in names (per image: each has its own pxlabel.ini), and
 * seen[k] = 1 for names[k] when the image's data set has it. */
void export_class_set(const struct item *it, char *const *names, size_t n, uint8_t *set, uint8_t *seen);
/* A name given to opt (--void, --stuff) that no image's data set had is a typo that would
 * quietly train on what was meant to be left out: each is said; -1 when there was one. */
int export_check_seen(const char *opt, char *const *names, size_t n, const uint8_t *seen);

#endif
