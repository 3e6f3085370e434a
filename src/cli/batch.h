/* batch.h: the loop of the commands that work image by image (mask, stats, export, import).
 * Each input is worked on alone, into a result of its own; the results are folded into the run
 * in input order; a tally of done, skipped and failed gives the summary and the exit status.
 * So that work can later be spread over threads (-j N) and a share of the inputs taken
 * (--shard K/N) without changing the commands: the work of one input reads the run's settings
 * and its worker's scratch, never another input's result, and whatever depends on order
 * (lines on stdout, totals) happens in the fold. */
#ifndef PXL_BATCH_H
#define PXL_BATCH_H

#include <stddef.h>

#include "compose.h"
#include "img.h"
#include "item.h"

enum batch_status {
	BATCH_DONE,
	BATCH_SKIPPED, /* nothing to do for it (no outlines, no annotations) */
	BATCH_FAILED,  /* the reason was said, one line naming the file */
};

struct batch_tally {
	size_t n; /* inputs walked */
	size_t done, skipped, failed;
};

struct batch_ops {
	/* The work on input i alone. result: result_size bytes, zeroed; scratch: the worker's,
	 * scratch_size bytes, zeroed before its first input and kept across its inputs (buffers
	 * worth reusing, as a composition's masks). Says its own errors. */
	enum batch_status (*work)(void *ctx, void *scratch, size_t i, void *result);
	/* What input i's result adds to the run, called in input order after its work (NULL:
	 * the status is all). Frees what the result holds. */
	void (*fold)(void *ctx, size_t i, enum batch_status st, void *result);
	/* Frees what a worker's scratch holds, after its last input (NULL: nothing). */
	void (*scratch_free)(void *ctx, void *scratch);
	size_t result_size, scratch_size;
};

/* Works through the n inputs, with a progress bar on a terminal naming each (names[i], less its
 * folder), and adds what came of each to *t. */
void batch_run(const struct batch_ops *ops, void *ctx, char *const *names, size_t n, struct batch_tally *t);

/* Opens image's item for a batch command: says why it cannot, and warns (once an image) of a
 * class pxlabel.ini renamed since the outlines were saved. */
int batch_item_open(struct item *it, const char *image, const struct img_limits *lim);
/* A scratch_free for a scratch that is a struct compose. */
void batch_compose_free(void *ctx, void *scratch);
/* Composes d into c, keeping c's masks when they have d's size already (no fresh masks and page
 * faults per image); c zeroed at first. After a failure c is empty again. */
int batch_compose(struct compose *c, const struct doc *d, char **cause);

#endif
