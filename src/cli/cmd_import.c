/* cmd_import.c: `pxlabel import FORMAT FILE...`: other tools' annotations become outlines in
 * sidecars, and masks, next to the images, image by image (so runs can be spread over
 * processes and machines: xargs -P, GNU parallel, Slurm job arrays with --shard). The command
 * line, the walk (batch.c) and the summary are here; each format is a file of its own behind
 * import.h, listed in importers[]. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "formats.h"
#include "import.h"
#include "xalloc.h"

/* The formats, in the order --help and the messages list them (each by the struct format its
 * struct importer begins with). A new format is a file with its struct importer, and its line here. */
extern const struct importer import_labelme, import_coco, import_mask, import_yolo;
static const struct format *const importers[] = {
	&import_labelme.f,
	&import_coco.f,
	&import_mask.f,
	&import_yolo.f,
};
#define NIMPORTERS (sizeof(importers) / sizeof(importers[0]))

char *cmd_import_formats(void)
{
	return formats_names(importers, NIMPORTERS, "|", "|");
}

struct import_ctx {
	const struct importer *im;
	void *st;
	const struct import_run *run;
};

static enum batch_status import_work(void *ctx, void *scratch, size_t i, void *result)
{
	const struct import_ctx *x = ctx;

	return x->im->image(x->st, x->run, i);
}

/* The items of args, through the batch loop. */
static void import_part(const struct importer *im, void *st, struct import_run *run, char **args, size_t nargs)
{
	static const struct batch_ops ops = { .work = import_work };
	struct import_ctx x = { im, st, run };
	char **names = NULL;
	size_t n = 0;

	if (im->begin(st, run, args, nargs, &names, &n) != 0)
		run->tally.failed++;
	else
		batch_run(&ops, &x, names, n, run->jobs, &run->tally);
	if (im->finish)
		im->finish(st);
}

static void usage(FILE *fp)
{
	size_t i;

	for (i = 0; i < NIMPORTERS; i++)
		fprintf(fp, "%s pxlabel import %s %s\n", i ? "      " : "Usage:", importers[i]->name,
		    importers[i]->synopsis ? importers[i]->synopsis : "[OPTION]... FILE...");
	fputs("Turns other tools' annotations into outlines (NAME.pxl.json) and masks next to the images.\n"
	      "\n"
	      "  --add-classes        add the classes pxlabel.ini lacks (default: name them and skip\n"
	      "                       the image)\n"
	      "  --replace            replace outlines an image already has (default: refuse)\n"
	      "  --append             put the imported instances over the outlines already there\n"
	      "  -q, --quiet          no warnings, no summary\n"
	      "  -j, --jobs N         N threads (default: one a core; one with --add-classes or\n"
	      "                       --append, whose results depend on the order)\n",
	    fp);
	batch_help_limits(fp);
	formats_help(fp, importers, NIMPORTERS);
}

int cmd_import(int argc, char **argv)
{
	static const struct option common[] = {
		{ "add-classes", no_argument, NULL, 'a' },
		{ "replace", no_argument, NULL, 'r' },
		{ "append", no_argument, NULL, 'A' },
		{ "quiet", no_argument, NULL, 'q' },
		BATCH_LONGOPTS_NO_SHARD,
		{ NULL, 0, NULL, 0 },
	};
	struct formats fs;
	struct import_run run;
	struct batch_opts bo = { 0 };
	const struct importer *im;
	void *st;
	char *names, **args;
	size_t nargs, i;
	int c, idx, rc = EXIT_USAGE;

	memset(&run, 0, sizeof(run));
	img_limits_default(&run.lim);
	formats_init(&fs, importers, NIMPORTERS, common);
	optind = 0;
	while ((c = getopt_long(argc, argv, "qhj:", fs.longopts, &idx)) != -1) {
		switch (formats_option(&fs, c, idx, optarg)) {
		case 1:
			continue;
		case -1:
			goto out;
		}
		/* --shard is import coco's (a share of the file's images), with the same meaning: it
		 * came as a format's option above. */
		switch (batch_option(c, optarg, &bo, &run.lim)) {
		case BATCH_OPTION_TAKEN:
			continue;
		case BATCH_OPTION_BAD:
			goto out;
		case BATCH_OPTION_HELP:
			usage(stdout);
			rc = 0;
			goto out;
		case BATCH_OPTION_NOT_MINE:
			break;
		}
		switch (c) {
		case 'a':
			run.add_classes = 1;
			break;
		case 'r':
			run.replace = 1;
			break;
		case 'A':
			run.append = 1;
			break;
		case 'q':
			run.quiet = 1;
			break;
		default:
			fputs("Try 'pxlabel import --help'.\n", stderr);
			goto out;
		}
	}
	if (run.replace && run.append) {
		cli_errorf("--replace and --append exclude each other");
		goto out;
	}
	names = formats_names(importers, NIMPORTERS, ", ", " or ");
	if (optind + 1 >= argc) {
		cli_errorf("import needs a format (%s) and files. Try 'pxlabel import --help'.", names);
		free(names);
		goto out;
	}
	/* A struct importer begins with its struct format. */
	im = (const struct importer *)formats_find(&fs, argv[optind], &st);
	if (!im) {
		cli_errorf("unknown format '%s': %s", argv[optind], names);
		free(names);
		goto out;
	}
	free(names);
	optind++;
	if (im->f.check && im->f.check(st) != 0)
		goto out;
	args = argv + optind;
	nargs = (size_t)(argc - optind);
	/* Classes added to pxlabel.ini take their ids in the order they are met, and appended
	 * instances theirs in the order they come: in order, one image at a time. */
	run.jobs = run.add_classes || run.append ? 1 : bo.jobs;
	if (im->flags & IMPORT_EACH_FILE)
		for (i = 0; i < nargs; i++)
			import_part(im, st, &run, args + i, 1);
	else
		import_part(im, st, &run, args, nargs);
	if (!run.quiet)
		fprintf(stderr, "pxlabel: imported %zu image%s (%zu without annotations, %zu failed)\n", run.tally.done,
		    run.tally.done == 1 ? "" : "s", run.tally.skipped, run.tally.failed);
	rc = run.error || run.tally.failed ? 1 : 0;
out:
	formats_free(&fs);
	return rc;
}
