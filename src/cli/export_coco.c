/* export_coco.c: `pxlabel export coco`: one COCO JSON file for the run, annotations streamed
 * image by image (coco.c), the categories from every class seen at the end. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "coco.h"
#include "export.h"
#include "interop.h"
#include "paths.h"
#include "xalloc.h"

struct coco_export {
	int rle;
	struct coco_writer cw;
	int opened;
};

static const struct option coco_options[] = {
	{ "rle", no_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

static void *coco_new(void)
{
	return xcalloc(1, sizeof(struct coco_export));
}

static int coco_option(void *st, int val, const char *arg)
{
	struct coco_export *e = st;

	e->rle = 1;
	return 0;
}

static void coco_free(void *st)
{
	struct coco_export *e = st;

	if (e->opened)
		coco_writer_abort(&e->cw);
	free(e);
}

/* export coco replaces the file -o names: never one of the inputs, an image or its outlines. */
static int coco_out_check(const char *out, char *const *images, size_t n)
{
	static const char suffix[] = ".pxl.json";
	size_t len = strlen(out), i;
	struct stat so, si;
	int rc = 0;

	if (stat(out, &so) != 0)
		return 0; /* a new file */
	if (S_ISDIR(so.st_mode)) {
		cli_errorf("%s is a folder: export coco -o names the JSON file to write", out);
		return -1;
	}
	if (len >= sizeof(suffix) - 1 && !strcmp(out + len - (sizeof(suffix) - 1), suffix)) {
		cli_errorf("%s holds outlines: export coco will not write over it", out);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		char *sidecar = paths_derived(images[i], suffix);

		if ((stat(images[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino) ||
		    (stat(sidecar, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)) {
			cli_errorf("%s is one of the inputs: export coco will not write over it", out);
			rc = -1;
		}
		free(sidecar);
	}
	return rc;
}

static int coco_begin(void *st, struct export_run *run)
{
	struct coco_export *e = st;
	char *dir, *cause = NULL;
	int bad;

	if (export_collect(run) != 0 || coco_out_check(run->out, run->images, run->n) != 0)
		return -1;
	dir = interop_dirname(run->out);
	bad = export_mkdirs(dir, &cause);
	free(dir);
	if (bad || coco_writer_open_shard(&e->cw, run->out, e->rle, run->bo.shard, run->bo.nshards, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	e->opened = 1;
	return 0;
}

/* On a thread: the annotations, without their ids. */
static int coco_image(void *st, const struct export_item *x, void *res, char **cause)
{
	const struct coco_export *e = st;
	const struct compose *c = export_compose(x, cause);

	return c ? coco_encode_image(x->it->doc, c, e->rle, res, cause) : -1;
}

/* In order: the ids, and into the file. A shard's image ids are the images' places in the whole
 * run (plus one), so that merge coco puts them back in that order. */
static int coco_done(void *st, const struct export_item *x, void *res, char **cause)
{
	struct coco_export *e = st;
	const struct export_run *run = x->run;
	long long id = run->bo.nshards > 1 ? (long long)run->index[x->i] + 1 : 0;
	int rc = coco_writer_put(&e->cw, id, x->rel, res, cause);

	coco_encoded_free(res);
	return rc;
}

static void coco_res_free(void *res)
{
	coco_encoded_free(res);
}

static int coco_finish(void *st, struct export_run *run)
{
	struct coco_export *e = st;
	char *cause = NULL;
	int id;

	for (id = 1; id < 256; id++)
		if (run->classes.name[id])
			coco_writer_category(&e->cw, id, run->classes.name[id], run->classes.parent[id]);
	e->opened = 0;
	if (coco_writer_close(&e->cw, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	return 0;
}

const struct exporter export_coco = {
	.f = {
		.name = "coco",
		.options = coco_options,
		.help = "  --rle                segmentation as compressed RLE (default: pixel-edge polygons)\n",
		.new_state = coco_new,
		.option = coco_option,
		.free_state = coco_free,
	},
	.begin = coco_begin,
	.image = coco_image,
	.done = coco_done,
	.res_free = coco_res_free,
	.res_size = sizeof(struct coco_encoded),
	.finish = coco_finish,
};
