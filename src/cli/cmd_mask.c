/* cmd_mask.c: `pxlabel mask IMAGE|DIR...` rebuilds the masks from the sidecars, image by
 * image (idempotent: running it twice, or on many machines at once, gives the same files). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "compose.h"
#include "item.h"
#include "paths.h"

static int mask_one(const char *image, const struct img_limits *lim, int *skipped)
{
	struct compose c;
	struct item it;
	char *cause = NULL;
	int rc = -1;

	if (item_open(&it, image, lim, 1, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	/* A class renamed in pxlabel.ini since the outlines were saved: say so, once an image. */
	cli_warn(item_class_conflicts(&it));
	if (!it.doc) {
		(*skipped)++;
		item_close(&it);
		return 0;
	}
	if (compose_init(&c, it.doc->w, it.doc->h, &cause) != 0 || compose_all(&c, it.doc, &cause) != 0 ||
	    item_write_masks(&it, &c, &cause) != 0)
		cli_error(cause);
	else
		rc = 0;
	compose_free(&c);
	item_close(&it);
	return rc;
}

int cmd_mask(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-pixels", required_argument, NULL, 'P' },
		{ "max-file-size", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct img_limits lim;
	char **images = NULL;
	size_t n = 0, i;
	int c, idx, quiet = 0, failed = 0, skipped = 0;

	img_limits_default(&lim);
	optind = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, &idx)) != -1) {
		switch (c) {
		case 'q':
			quiet = 1;
			break;
		case 'P':
		case 'F':
			if (cli_limit_option(longopts[idx].name, optarg, &lim) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			printf("Usage: pxlabel mask [--quiet] IMAGE|DIR...\n"
			    "Rebuilds NAME.labels.png and NAME.instances.png from NAME.pxl.json.\n");
			return 0;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("mask needs at least one IMAGE or DIR. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	if (cli_collect(argv + optind, (size_t)(argc - optind), &images, &n) != 0)
		return 1;
	for (i = 0; i < n; i++) {
		cli_progress(i, n, paths_base(images[i]));
		if (mask_one(images[i], &lim, &skipped) != 0)
			failed++;
	}
	cli_progress(n, n, NULL);
	if (!quiet)
		fprintf(stderr, "pxlabel: masks written for %zu of %zu images (%d without outlines, %d failed)\n",
		    n - (size_t)skipped - (size_t)failed, n, skipped, failed);
	paths_list_free(images, n);
	return failed ? 1 : 0;
}
