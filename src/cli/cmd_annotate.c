/* cmd_annotate.c: `pxlabel [IMAGE|DIR]...`, the annotator, and `pxlabel review DIR`, the same
 * annotator with the reviewer's keys; both can walk only the images of one review state. */
#include "config.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "cli.h"
#include "colour.h"
#include "xalloc.h"
#include "paths.h"
#include "queue.h"
#include "review.h"
#include "tquery.h"

static int annotate(int argc, char **argv, int review)
{
	static const struct option longopts[] = {
		{ "colors", required_argument, NULL, 'c' },
		{ "colours", required_argument, NULL, 'c' },
		{ "no-mouse", no_argument, NULL, 'M' },
		{ "display", required_argument, NULL, 'd' },
		{ "cell", required_argument, NULL, 'C' },
		{ "query-timeout", required_argument, NULL, 'T' },
		{ "state", required_argument, NULL, 'S' },
		{ "queue", required_argument, NULL, 'Q' },
		{ "assist-command", required_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct app_opts opts = { .colours = -1, .display = -1, .query_timeout = -1 };
	char **images = NULL, *key = NULL, real[PATH_MAX];
	size_t n = 0;
	struct stat st;
	int c, status, state = -1;
	const char *queue = NULL;
	unsigned char *shared = NULL;

	optind = 0;
	while ((c = getopt_long(argc, argv, "c:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			opts.display = tquery_display_parse(optarg);
			if (opts.display < 0) {
				cli_errorf("--display wants kitty, sixel, blocks or auto, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'M':
			opts.no_mouse = 1;
			break;
		case 'Q':
			queue = optarg;
			break;
		case 'A':
			opts.assist_command = optarg;
			break;
		case 'S':
			state = review_state_parse(optarg);
			if (state < 0) {
				cli_errorf("--state wants todo, done, rejected or approved, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			switch (cli_term_option(c, optarg, &opts.cell_w, &opts.cell_h, &opts.query_timeout, &opts.colours)) {
			case 1:
				continue;
			case -1:
				return EXIT_USAGE;
			}
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("name an image or a folder of images. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	/* A word that is neither a file nor a command is most likely a mistyped command. */
	if (stat(argv[optind], &st) != 0 && !strchr(argv[optind], '/') && !strchr(argv[optind], '.')) {
		cli_errorf("'%s' is neither a command nor a file. Try 'pxlabel --help'.", argv[optind]);
		return EXIT_USAGE;
	}
	if (queue && state >= 0) {
		cli_errorf("--queue and --state do not go together. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	if (queue) {
		char *cause = NULL;

		if (argc - optind != 1) {
			cli_errorf("--queue takes the one folder the queue is in. Try 'pxlabel --help'.");
			return EXIT_USAGE;
		}
		if (queue_read(argv[optind], queue, &images, &n, &shared, &cause) != 0) {
			cli_error(cause);
			return 1;
		}
		opts.person = queue;
	} else if (cli_collect(argv + optind, (size_t)(argc - optind), &images, &n) != 0) {
		return 1;
	}
	if (n == 0) {
		cli_errorf("no PNG, JPEG or TIFF images in %s", argv[optind]);
		paths_list_free(images, n);
		free(shared);
		return 1;
	}
	if (state >= 0) {
		n = review_filter(images, n, (enum review_state)state);
		if (n == 0) {
			cli_line(stderr, "pxlabel: no images in the state %s", review_state_name((enum review_state)state));
			paths_list_free(images, n);
			return 0;
		}
	}
	opts.review = review;
	opts.shared = shared;
	/* One folder: the next session resumes at the image this one left; a queue and review each
	 * keep their own place in it (a line break would end the resume file's line: no resume). */
	if (argc - optind == 1 && stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode) && realpath(argv[optind], real) &&
	    !strpbrk(real, "\t\n\r"))
		key = queue ? xasprintf("%s (%squeue %s)", real, review ? "review, " : "", queue)
		            : review ? xasprintf("%s (review)", real) : xstrdup(real);
	status = app_run(images, n, key, &opts);
	paths_list_free(images, n);
	free(shared);
	free(key);
	return status;
}

int cmd_annotate(int argc, char **argv)
{
	return annotate(argc, argv, 0);
}

int cmd_review(int argc, char **argv)
{
	return annotate(argc, argv, 1);
}
