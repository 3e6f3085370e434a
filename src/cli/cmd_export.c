/* cmd_export.c: `pxlabel export FORMAT DIR... -o OUT`: the outlines of a data set, composed
 * into exact masks, in the formats training code reads. The command line, the walk over the
 * images (batch.c) and the summary are here; each format is a file of its own behind export.h,
 * listed in exporters[]. Image by image: voc, labelme and cityscapes write one set of files per
 * image (runs can be spread over processes; `export voc --lists-only` then writes the lists),
 * coco one file for the run. */
#include "config.h"

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "batch.h"
#include "cli.h"
#include "export.h"
#include "formats.h"
#include "interop.h"
#include "item.h"
#include "paths.h"
#include "xalloc.h"

/* The formats, in the order --help and the messages list them (each by the struct format its
 * struct exporter begins with). A new format is a file with its struct exporter, and its line here. */
extern const struct exporter export_coco, export_voc, export_labelme, export_cityscapes,
    export_yolo;
static const struct format *const exporters[] = {
	&export_coco.f,
	&export_voc.f,
	&export_labelme.f,
	&export_cityscapes.f,
	&export_yolo.f,
};
#define NEXPORTERS (sizeof(exporters) / sizeof(exporters[0]))

char *cmd_export_formats(void)
{
	return formats_names(exporters, NEXPORTERS, "|", "|");
}

static void classes_note(struct export_classes *k, const struct item *it)
{
	char buf[32];
	size_t i;
	int id;

	for (i = 0; i < it->ds.nclasses; i++) {
		const struct dataset_class *c = &it->ds.classes[i];

		if (!k->name[c->id])
			k->name[c->id] = xstrdup(c->name);
		if (!k->parent[c->id] && c->parent_id && dataset_class_by_id(&it->ds, c->parent_id))
			k->parent[c->id] = xstrdup(dataset_class_by_id(&it->ds, c->parent_id)->name);
	}
	for (i = 0; it->doc && i < it->doc->ninst; i++) {
		id = it->doc->inst[i]->class_id;
		if (!k->name[id])
			k->name[id] = xstrdup(item_class_name(it, id, buf, sizeof(buf)));
	}
}

static void classes_free(struct export_classes *k)
{
	int i;

	for (i = 0; i < 256; i++) {
		free(k->name[i]);
		free(k->parent[i]);
	}
}

struct export_ctx {
	const struct exporter *ex;
	void *st;
	struct export_run *run;
};

/* What an image leaves for the fold: the item, still open, for its classes; what the format
 * left for its done. */
struct export_result {
	struct item it;
	int open;
	int imaged; /* the format's image succeeded: done is due */
	char *rel;
	max_align_t res[]; /* the format's, res_size bytes */
};

/* One image: opened, and handed to the format when it has outlines. */
static enum batch_status export_work(void *ctx, void *scratch, size_t i, void *result)
{
	struct export_ctx *x = ctx;
	const struct export_run *run = x->run;
	const char *image = run->images[i];
	struct export_result *r = result;
	struct export_item item;
	char *cause = NULL;

	if (batch_item_open(&r->it, image, &run->lim) != 0)
		return BATCH_FAILED;
	r->open = 1;
	if (!r->it.doc)
		return BATCH_SKIPPED;
	r->rel = interop_relpath(run->base, image);
	if (!(x->ex->flags & EXPORT_FLAT) && !strncmp(r->rel, "../", 3)) {
		/* Its files would land outside OUT, and its name would lead out of the data set. */
		cli_errorf("%s is not inside %s: give --base a folder above every image", image, run->base);
		return BATCH_FAILED;
	}
	item = (struct export_item){ .run = run, .image = image, .it = &r->it, .rel = r->rel, .i = i, .scratch = scratch };
	if (x->ex->image(x->st, &item, r->res, &cause) != 0) {
		cli_error(cause);
		if (x->ex->res_free)
			x->ex->res_free(r->res);
		return BATCH_FAILED;
	}
	r->imaged = 1;
	return BATCH_DONE;
}

/* In input order: the format's done, and the classes of every image opened (the first name of
 * an id wins). */
static enum batch_status export_fold(void *ctx, size_t i, enum batch_status st, void *result)
{
	struct export_ctx *x = ctx;
	struct export_result *r = result;
	char *cause = NULL;

	if (r->imaged && x->ex->done) {
		struct export_item item = { .run = x->run, .image = x->run->images[i], .it = &r->it, .rel = r->rel, .i = i };

		if (x->ex->done(x->st, &item, r->res, &cause) != 0) {
			cli_error(cause);
			st = BATCH_FAILED;
		}
	}
	free(r->rel);
	if (!r->open)
		return st;
	classes_note(&x->run->classes, &r->it);
	cli_note_stale_masks(&r->it, &x->run->stale);
	item_close(&r->it);
	return st;
}

/* OUT made, with the mark that keeps scans for images out of it. */
static int out_folder(const char *out)
{
	static const char says[] = "pxlabel export wrote this folder: pxlabel leaves it out when it "
				   "looks for images\n";
	char *mark = xasprintf("%s/%s", out, PATHS_EXPORT_MARK), *cause = NULL;
	int bad = export_mkdirs(out, &cause) != 0 || afile_write(mark, says, sizeof(says) - 1, &cause) != 0;

	free(mark);
	if (bad && cause)
		cli_error(cause);
	return bad ? -1 : 0;
}

static void usage(FILE *fp)
{
	char *names = cmd_export_formats();

	fprintf(fp,
	    "Usage: pxlabel export %s [OPTION]... IMAGE|DIR... -o OUT\n"
	    "Writes the outlines of a data set as masks and files that training code reads.\n"
	    "\n"
	    "  -o, --output OUT     coco: the JSON file; the others: a folder\n"
	    "  --base DIR           image paths are written relative to DIR (default: the first\n"
	    "                       argument when it is a folder, else its folder)\n"
	    "  -q, --quiet          no summary\n",
	    names);
	batch_help(fp);
	formats_help(fp, exporters, NEXPORTERS);
	free(names);
}

int cmd_export(int argc, char **argv)
{
	static const struct option common[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "base", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		BATCH_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct batch_ops ops = {
		.work = export_work,
		.fold = export_fold,
		.scratch_free = batch_compose_free,
		.result_size = sizeof(struct export_result),
		.scratch_size = sizeof(struct compose),
	};
	struct formats fs;
	struct export_run run;
	struct export_ctx x = { NULL, NULL, &run };
	const char *base = NULL;
	char *names, *based = NULL;
	int c, idx, rc = 1;

	memset(&run, 0, sizeof(run));
	img_limits_default(&run.lim);
	/* An export is derived from the outlines and can be run again: no fsync per file. */
	afile_set_durable(0);
	formats_init(&fs, exporters, NEXPORTERS, common);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:qhj:", fs.longopts, &idx)) != -1) {
		switch (formats_option(&fs, c, idx, optarg)) {
		case 1:
			continue;
		case -1:
			goto usage;
		}
		switch (batch_option(c, optarg, &run.bo, &run.lim)) {
		case BATCH_OPTION_TAKEN:
			continue;
		case BATCH_OPTION_BAD:
			goto usage;
		case BATCH_OPTION_HELP:
			usage(stdout);
			rc = 0;
			goto out;
		case BATCH_OPTION_NOT_MINE:
			break;
		}
		switch (c) {
		case 'o':
			run.out = optarg;
			break;
		case 'b':
			base = optarg;
			break;
		case 'q':
			run.quiet = 1;
			break;
		default:
			fputs("Try 'pxlabel export --help'.\n", stderr);
			goto usage;
		}
	}
	names = formats_names(exporters, NEXPORTERS, ", ", " or ");
	if (optind >= argc) {
		cli_errorf("export needs a format: %s. Try 'pxlabel export --help'.", names);
		free(names);
		goto usage;
	}
	/* A struct exporter begins with its struct format. */
	x.ex = (const struct exporter *)formats_find(&fs, argv[optind], &x.st);
	if (!x.ex) {
		cli_errorf("unknown format '%s': %s", argv[optind], names);
		free(names);
		goto usage;
	}
	free(names);
	optind++;
	if (!run.out || optind >= argc) {
		cli_errorf("export %s needs IMAGE|DIR... and -o OUT", x.ex->f.name);
		goto usage;
	}
	if (x.ex->f.check && x.ex->f.check(x.st) != 0)
		goto usage;
	run.args = argv + optind;
	run.nargs = (size_t)(argc - optind);
	if (base) {
		run.base = base;
	} else {
		struct stat st;

		based = stat(run.args[0], &st) == 0 && S_ISDIR(st.st_mode) ? xstrdup(run.args[0]) : interop_dirname(run.args[0]);
		run.base = based;
	}
	if ((x.ex->flags & EXPORT_FOLDER) && out_folder(run.out) != 0)
		goto out;
	switch (x.ex->begin ? x.ex->begin(x.st, &run) : 0) {
	case 1: /* all done in begin (voc --lists-only): what it made is still worth a line */
		if (!run.quiet && x.ex->notes)
			x.ex->notes(x.st, &run);
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (export_collect(&run) != 0)
		goto out;
	ops.result_size += x.ex->res_size;
	batch_run(&ops, &x, run.images, run.n, run.bo.jobs, &run.tally);
	if (x.ex->finish && x.ex->finish(x.st, &run) != 0)
		goto out;
	if (run.stale)
		cli_warn(xasprintf("the masks of %zu image%s are missing or older than the outlines (this export is made "
		    "from the outlines; pxlabel mask rebuilds the masks)", run.stale, run.stale == 1 ? "" : "s"));
	if (!run.quiet) {
		fprintf(stderr, "pxlabel: exported %zu of %zu images to %s (%zu without outlines, %zu failed)\n",
		    run.tally.done, run.n, run.out, run.tally.skipped, run.tally.failed);
		if (x.ex->notes)
			x.ex->notes(x.st, &run);
	}
	rc = run.tally.failed ? 1 : 0;
	goto out;
usage:
	rc = EXIT_USAGE;
out:
	formats_free(&fs);
	paths_list_free(run.all, run.nall);
	free(run.images);
	free(run.index);
	classes_free(&run.classes);
	free(based);
	return rc;
}
