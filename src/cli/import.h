/* import.h: the interface of an import format (one file each: import_labelme.c,
 * import_coco.c, import_mask.c), and the way every import ends, shared. cmd_import.c parses the
 * line and calls the chosen format: begin (the items of the files given), image for each item
 * (through the batch loop), finish. An item becomes outlines either as an interop_image (labels
 * and shapes: import_interop) or as a document of its own (import_save). The reading of each
 * format is in the core (labelme.c, coco.c, interop.c). */
#ifndef PXL_IMPORT_H
#define PXL_IMPORT_H

#include <stddef.h>

#include "batch.h"
#include "doc.h"
#include "formats.h"
#include "img.h"
#include "interop.h"
#include "item.h"

/* What every format is given: the options of all imports, and the run's counts. */
struct import_run {
	int add_classes, replace, append, quiet;
	unsigned jobs;     /* -j (batch_run's) */
	struct img_limits lim;
	struct batch_tally tally;
	int error; /* an error besides the items' (a folder that could not be read): exit 1 */
};

enum {
	IMPORT_EACH_FILE = 1, /* each FILE is a run of its own (begin, items, finish), one after
	                         the other: a COCO file holds many images */
};

struct importer {
	struct format f;
	unsigned flags;
	/* The items in args: *n of them, *names (kept by the state until finish) naming each for
	 * the progress bar. Returns -1 when the files cannot be read at all (said; counted as one
	 * failure, and the run goes on with the next file). */
	int (*begin)(void *st, struct import_run *run, char **args, size_t nargs, char ***names, size_t *n);
	/* Item i: read, and its outlines and masks saved beside its image. Says its errors. */
	enum batch_status (*image)(void *st, const struct import_run *run, size_t i);
	/* What begin opened, closed. */
	void (*finish)(void *st);
};

/* The warnings found while reading a file, unless --quiet. */
void import_warnings(const struct import_run *run, const struct interop_warnings *w);
/* One image from a foreign file (from names it in messages): checked against the image's size,
 * its labels against pxlabel.ini (added with --add-classes, in ini_dir's pxlabel.ini when there
 * is none; NULL: the image's folder), then made into outlines and saved as import_save does. */
int import_interop(const struct import_run *run, const struct interop_image *im, const char *from,
    const char *ini_dir);
/* The size of image (upright) into *w, *h, checked against what the foreign file from says
 * (0: nothing); said when they differ. */
int import_image_size(const struct import_run *run, const char *image, int said_w, int said_h, const char *from,
    int *w, int *h);
/* Puts doc into the item (replacing or adding to what is there, as --replace and --append
 * say), saves it and its masks. Takes doc. */
int import_save(const struct import_run *run, struct item *it, struct doc *doc);
/* The pxlabel.ini that --add-classes writes: the one in force, else a new one in dir. */
char *import_ini_for(const struct item *it, const char *dir);
/* Whether s ends with tail, in any case. */
int import_ends_with(const char *s, const char *tail);

#endif
