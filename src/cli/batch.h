/* batch.h: the loop of the commands that work image by image (mask, stats, export, import).
 * Each input is worked on alone, into a result of its own; the results are folded into the run
 * in input order; a tally of done, skipped and failed gives the summary and the exit status.
 * The work is spread over threads (-j N): the work of one input reads the run's settings and
 * its worker's scratch, never another input's result, and what it says on stderr is held and
 * said when its input is folded; whatever depends on order (lines on stdout, totals, ids)
 * happens in the fold, on the calling thread. So -j N prints and writes the bytes -j 1 does.
 * A share of the inputs (--shard K/N) is picked by a hash of each image's path in its data
 * set, the same on every machine (doc/scale.md). */
#ifndef PXL_BATCH_H
#define PXL_BATCH_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

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
	/* What input i's result adds to the run, called in input order after its work, on the
	 * thread that called batch_run (NULL: the status is all). Frees what the result holds.
	 * Returns the input's status in the end (st, or BATCH_FAILED when the fold failed). */
	enum batch_status (*fold)(void *ctx, size_t i, enum batch_status st, void *result);
	/* Frees what a worker's scratch holds, after its last input (NULL: nothing). */
	void (*scratch_free)(void *ctx, void *scratch);
	size_t result_size, scratch_size;
};

/* Works through the n inputs on jobs threads (1: on this one; 0: one a core), with a progress
 * bar on a terminal naming each (names[i], less its folder), and adds what came of each to *t. */
void batch_run(const struct batch_ops *ops, void *ctx, char *const *names, size_t n, unsigned jobs,
    struct batch_tally *t);

#define BATCH_MAX_JOBS 64
/* The threads a run of n inputs takes for -j jobs (0: one a core, at most BATCH_MAX_JOBS). */
unsigned batch_jobs(unsigned jobs, size_t n);

/* -j N and --shard K/N, the options every batch command takes. */
struct batch_opts {
	unsigned jobs;           /* 0: one a core */
	unsigned shard, nshards; /* nshards 0 or 1: every image */
};
/* The options every batch command takes beside its own, for its getopt_long table after its own
 * entries (vals 'P', 'F', 'h', 'j' and BATCH_OPT_SHARD; the short options are the command's to
 * list: "hj:"): --max-pixels, --max-file-size, --help, -j and --shard. BATCH_LONGOPTS_NO_SHARD
 * lacks --shard, for import, where the format that has a share of images to give takes it. */
#define BATCH_OPT_SHARD 0xb5
#define BATCH_LONGOPTS_NO_SHARD \
	{ "max-pixels", required_argument, NULL, 'P' }, { "max-file-size", required_argument, NULL, 'F' }, \
	    { "help", no_argument, NULL, 'h' }, { "jobs", required_argument, NULL, 'j' }
#define BATCH_LONGOPTS BATCH_LONGOPTS_NO_SHARD, { "shard", required_argument, NULL, BATCH_OPT_SHARD }
/* What batch_option made of getopt's c. */
enum batch_option_result {
	BATCH_OPTION_BAD = -1,     /* a bad value, said: a usage error */
	BATCH_OPTION_NOT_MINE = 0, /* the command's own option, or an unknown one */
	BATCH_OPTION_TAKEN = 1,    /* stored into o or lim */
	BATCH_OPTION_HELP = 2,     /* --help: the command prints its help (batch_help in it), exit 0 */
};
/* Takes getopt's c and its arg when c is one of BATCH_LONGOPTS' vals (lim: where --max-pixels
 * and --max-file-size go). */
enum batch_option_result batch_option(int c, const char *arg, struct batch_opts *o, struct img_limits *lim);
/* Their lines in --help: -j, --shard and the image limits. */
void batch_help(FILE *fp);
/* The image limits' line alone (import says what -j does there itself, and has no --shard). */
void batch_help_limits(FILE *fp);
/* "K/N" with 0 <= K < N <= 1000000 into *k, *n; -1 (said, naming opt) when it is not. */
int batch_parse_shard(const char *opt, const char *arg, unsigned *k, unsigned *n);
/* The share of an image whose path relative to its data set's folder is rel, of n. */
unsigned batch_shard_of(const char *rel, unsigned n);
/* How many of the n images are in o's share; *index gets a new array of their places in images,
 * in order. */
size_t batch_shard_pick(const struct batch_opts *o, char *const *images, size_t n, size_t **index);
/* Keeps those of the n images (a paths_collect list) in o's share, in order, freeing the rest. */
void batch_shard_filter(const struct batch_opts *o, char **images, size_t *n);
/* The path of image relative to the folder of its data set's pxlabel.ini (its name alone when
 * it has none), as --shard hashes it; a new string. */
char *batch_dataset_rel(const char *image);

/* Opens image's item for a batch command: says why it cannot, and warns (once an image) of a
 * class pxlabel.ini renamed since the outlines were saved. */
int batch_item_open(struct item *it, const char *image, const struct img_limits *lim);
/* A scratch_free for a scratch that is a struct compose. */
void batch_compose_free(void *ctx, void *scratch);
/* Composes d into c, keeping c's masks when they have d's size already (no fresh masks and page
 * faults per image); c zeroed at first. After a failure c is empty again. */
int batch_compose(struct compose *c, const struct doc *d, char **cause);

#endif
