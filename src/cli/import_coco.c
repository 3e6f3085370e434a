/* import_coco.c: `pxlabel import coco --images DIR FILE.json...`: each COCO file in turn, its
 * images (or a share of them, --shard) into outlines; file_name is relative to --images
 * (coco.c reads the file and its polygons and RLE masks). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "cli.h"
#include "coco.h"
#include "import.h"
#include "xalloc.h"

struct coco_import {
	const char *images; /* the folder file_name is relative to */
	struct batch_opts share; /* --shard */
	struct coco_file f;
	int opened;
	const char *path;   /* of f */
	size_t *index;      /* the items: images[] of f in the shard */
	char **names;       /* their file names, borrowed from f */
};

static const struct option coco_options[] = {
	{ "images", required_argument, NULL, 'I' },
	{ "shard", required_argument, NULL, 's' },
	{ NULL, 0, NULL, 0 },
};

static void *coco_new(void)
{
	return xcalloc(1, sizeof(struct coco_import));
}

static int coco_option(void *st, int val, const char *arg)
{
	struct coco_import *m = st;

	if (val == 'I') {
		m->images = arg;
		return 0;
	}
	return batch_parse_shard("--shard", arg, &m->share.shard, &m->share.nshards);
}

static int coco_check(void *st)
{
	const struct coco_import *m = st;

	if (m->images)
		return 0;
	cli_errorf("import coco needs --images DIR: the folder that file_name is relative to");
	return -1;
}

/* One file: its images in the shard, by the hash of each image's path in its data set, as
 * every batch command's --shard (batch.h): an image is in the same share when it is masked
 * or exported. */
static int coco_begin(void *st, struct import_run *run, char **args, size_t nargs, char ***names, size_t *n)
{
	struct coco_import *m = st;
	char *cause = NULL;
	size_t i, k = 0;

	if (coco_open(args[0], &m->f, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	m->opened = 1;
	m->path = args[0];
	import_warnings(run, &m->f.warnings);
	{
		char **paths = xcalloc(m->f.nimages + 1, sizeof(char *));

		for (i = 0; i < m->f.nimages; i++)
			paths[i] = xasprintf("%s/%s", m->images, m->f.images[i].file_name);
		k = batch_shard_pick(&m->share, paths, m->f.nimages, &m->index);
		for (i = 0; i < m->f.nimages; i++)
			free(paths[i]);
		free(paths);
	}
	m->names = xcalloc(k + 1, sizeof(char *));
	for (i = 0; i < k; i++)
		m->names[i] = (char *)m->f.images[m->index[i]].file_name;
	*names = m->names;
	*n = k;
	return 0;
}

static enum batch_status coco_image(void *st, const struct import_run *run, size_t i)
{
	struct coco_import *m = st;
	size_t index = m->index[i];
	struct interop_image im;
	char *cause = NULL;
	int rc;

	if (m->f.images[index].n == 0)
		return BATCH_SKIPPED;
	if (coco_read_image(&m->f, index, m->images, run->lim.max_pixels, &im, &cause) != 0) {
		cli_error(cause);
		return BATCH_FAILED;
	}
	import_warnings(run, &im.warnings);
	/* --add-classes adds every category, used here or not, so that the file's ids and names
	 * all come through (an export gives the same categories back); objects without pieces
	 * stay out of the outlines. */
	if (run->add_classes)
		for (size_t c = 0; c < m->f.ncats; c++) {
			const struct coco_category *cat = &m->f.cats[c];

			interop_add_object(&im, cat->name, cat->super, cat->id >= 1 && cat->id <= 255 ? (int)cat->id : 0, 0);
		}
	rc = import_interop(run, &im, m->path, m->images);
	interop_image_free(&im);
	return rc == 0 ? BATCH_DONE : BATCH_FAILED;
}

static void coco_finish(void *st)
{
	struct coco_import *m = st;

	if (m->opened)
		coco_close(&m->f);
	m->opened = 0;
	free(m->index);
	free(m->names);
	m->index = NULL;
	m->names = NULL;
}

static void coco_free(void *st)
{
	coco_finish(st);
	free(st);
}

const struct importer import_coco = {
	.f = {
		.name = "coco",
		.synopsis = "--images DIR [OPTION]... FILE.json...",
		.options = coco_options,
		.help =
		    "  --images DIR         the folder that file_name is relative to (required)\n"
		    "  --shard K/N          only the images of share K of N, as every command's --shard\n",
		.new_state = coco_new,
		.option = coco_option,
		.check = coco_check,
		.free_state = coco_free,
	},
	.flags = IMPORT_EACH_FILE,
	.begin = coco_begin,
	.image = coco_image,
	.finish = coco_finish,
};
