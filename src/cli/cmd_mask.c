/* cmd_mask.c: `pxlabel mask IMAGE|DIR...` rebuilds the masks from the sidecars, image by
 * image (idempotent: running it twice, or on many machines at once, gives the same files). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "compose.h"
#include "item.h"
#include "paths.h"

struct mask_run {
	char **images;
	struct img_limits lim;
};

static enum batch_status mask_work(void *ctx, void *scratch, size_t i, void *result)
{
	const struct mask_run *r = ctx;
	struct compose *c = scratch;
	struct item it;
	char *cause = NULL;
	enum batch_status st = BATCH_FAILED;

	if (batch_item_open(&it, r->images[i], &r->lim) != 0)
		return BATCH_FAILED;
	if (!it.doc)
		st = BATCH_SKIPPED;
	else if (batch_compose(c, it.doc, &cause) != 0 || item_write_masks(&it, c, &cause) != 0)
		cli_error(cause);
	else
		st = BATCH_DONE;
	item_close(&it);
	return st;
}

int cmd_mask(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		BATCH_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct batch_ops ops = {
		.work = mask_work,
		.scratch_free = batch_compose_free,
		.scratch_size = sizeof(struct compose),
	};
	struct mask_run r = { NULL };
	struct batch_opts bo = { 0 };
	struct batch_tally t = { 0 };
	size_t n = 0;
	int c, quiet = 0;

	img_limits_default(&r.lim);
	optind = 0;
	while ((c = getopt_long(argc, argv, "qhj:", longopts, NULL)) != -1) {
		switch (batch_option(c, optarg, &bo, &r.lim)) {
		case BATCH_OPTION_TAKEN:
			continue;
		case BATCH_OPTION_BAD:
			return EXIT_USAGE;
		case BATCH_OPTION_HELP:
			fputs("Usage: pxlabel mask [OPTION]... IMAGE|DIR...\n"
			      "Rebuilds NAME.labels.png and NAME.instances.png from NAME.pxl.json.\n"
			      "\n"
			      "  -q, --quiet          no summary\n",
			    stdout);
			batch_help(stdout);
			return 0;
		case BATCH_OPTION_NOT_MINE:
			break;
		}
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("mask needs at least one IMAGE or DIR. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	if (cli_collect(argv + optind, (size_t)(argc - optind), &r.images, &n) != 0)
		return 1;
	batch_shard_filter(&bo, r.images, &n);
	batch_run(&ops, &r, r.images, n, bo.jobs, &t);
	if (!quiet)
		fprintf(stderr, "pxlabel: masks written for %zu of %zu images (%zu without outlines, %zu failed)\n",
		    t.done, t.n, t.skipped, t.failed);
	paths_list_free(r.images, n);
	return t.failed ? 1 : 0;
}
