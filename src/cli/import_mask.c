/* import_mask.c: `pxlabel import mask MASK.png...`: class masks (and instance masks beside
 * them) into outlines, each region traced along pixel borders so that composing the outlines
 * gives the mask back (interop.c). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "import.h"
#include "dataset.h"
#include "interop.h"
#include "paths.h"
#include "pngio.h"
#include "xalloc.h"

struct mask_import {
	const char *images;    /* where the images are (NULL: the mask's folder) */
	const char *instances; /* suffix of the instance masks */
	char **masks;          /* the files given */
};

static const struct option mask_options[] = {
	{ "images", required_argument, NULL, 'I' },
	{ "instances", required_argument, NULL, 'i' },
	{ NULL, 0, NULL, 0 },
};

static void *mask_new(void)
{
	return xcalloc(1, sizeof(struct mask_import));
}

static int mask_option(void *st, int val, const char *arg)
{
	struct mask_import *m = st;

	if (val == 'I')
		m->images = arg;
	else
		m->instances = arg;
	return 0;
}

/* The image a mask belongs to: the same name (less .labels.png or the extension) in the images
 * folder (default: the mask's own). */
static char *mask_image(const struct mask_import *m, const char *mask, char **stem_out)
{
	static const char *const exts[] = { ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".PNG", ".JPG", ".JPEG", ".TIF",
		".TIFF", NULL };
	const char *base = paths_base(mask);
	char *dir = m->images ? xstrdup(m->images) : interop_dirname(mask), *stem, *found = NULL;
	size_t n = strlen(base), i;

	if (import_ends_with(base, paths_default_suffixes.labels))
		n -= strlen(paths_default_suffixes.labels);
	else if (strrchr(base, '.') && strrchr(base, '.') != base)
		n = (size_t)(strrchr(base, '.') - base);
	stem = xasprintf("%.*s", (int)n, base);
	for (i = 0; exts[i] && !found; i++) {
		char *p = xasprintf("%s/%s%s", dir, stem, exts[i]);
		char *rp = realpath(p, NULL), *rm = realpath(mask, NULL);

		if (rp && (!rm || strcmp(rp, rm)))
			found = p;
		else
			free(p);
		free(rp);
		free(rm);
	}
	if (!found)
		cli_errorf("%s: no image %s/%s.png, .jpg, .jpeg, .tif or .tiff for it (use --images DIR)", mask, dir, stem);
	*stem_out = stem;
	free(dir);
	return found;
}

/* Every class id a mask uses must be in pxlabel.ini; with --add-classes the missing ones are
 * added as "class N". */
static int mask_classes(const struct import_run *run, struct item *it, const char *image, const char *mask,
    const uint8_t *cls, size_t n)
{
	uint8_t used[256] = { 0 };
	char *labels[256], *cause = NULL, *ini = NULL, *dir;
	int want[256], rc = -1;
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		used[cls[i]] = 1;
	for (i = 1; i < 256; i++)
		if (used[i] && !dataset_class_by_id(&it->ds, (int)i)) {
			labels[k] = xasprintf("class %zu", i);
			want[k++] = (int)i;
		}
	if (k == 0)
		return 0;
	if (!run->add_classes) {
		char *list = xstrdup(""), *longer;

		for (i = 0; i < k; i++) {
			longer = xasprintf("%s%s %d", list, i ? "," : "", want[i]);
			free(list);
			list = longer;
		}
		cli_errorf("%s: class id%s%s not in %s (add them, or import with --add-classes)", mask,
		    k == 1 ? "" : "s", list, it->ds.path ? it->ds.path : "pxlabel.ini (none found, so the built-in classes)");
		free(list);
		goto out;
	}
	dir = interop_dirname(image);
	ini = import_ini_for(it, dir);
	free(dir);
	if (dataset_add_classes(ini, (const char *const *)labels, NULL, want, k, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	item_close(it);
	if (item_open(it, image, &run->lim, 1, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	for (i = 0; i < k; i++)
		if (!dataset_class_by_id(&it->ds, want[i])) {
			cli_errorf("%s: class id %d could not be added (taken by another name, or another pxlabel.ini "
			    "nearer?)", mask, want[i]);
			goto out;
		}
	if (!run->quiet)
		cli_line(stderr, "pxlabel: %s: %zu class%s added", ini, k, k == 1 ? "" : "es");
	rc = 0;
out:
	for (i = 0; i < k; i++)
		free(labels[i]);
	free(ini);
	return rc;
}

static int mask_import_one(const struct mask_import *m, const struct import_run *run, const char *mask)
{
	uint16_t *cv = NULL, *iv = NULL;
	uint8_t *cls = NULL;
	char *cause = NULL, *stem = NULL, *image = mask_image(m, mask, &stem), *inst_path = NULL;
	struct item it;
	struct doc *doc = NULL;
	int w, h, iw, ih, rc = -1, iw_ok = 1;
	size_t i, n;

	if (!image) {
		free(stem);
		return -1;
	}
	if (item_open(&it, image, &run->lim, 1, &cause) != 0) {
		cli_error(cause);
		free(image);
		free(stem);
		return -1;
	}
	if (m->instances) {
		char *dir = interop_dirname(mask);

		inst_path = xasprintf("%s/%s%s", dir, stem, m->instances);
		free(dir);
	} else if (import_ends_with(mask, paths_default_suffixes.labels)) {
		inst_path = xasprintf("%.*s%s", (int)(strlen(mask) - strlen(paths_default_suffixes.labels)), mask,
		    paths_default_suffixes.instances);
		if (access(inst_path, F_OK) != 0) {
			free(inst_path);
			inst_path = NULL;
		}
	}
	if (pngio_read_values(mask, &run->lim, &cv, &w, &h, &cause) != 0 ||
	    (inst_path && pngio_read_values(inst_path, &run->lim, &iv, &iw, &ih, &cause) != 0)) {
		cli_error(cause);
		goto out;
	}
	if (inst_path && (iw != w || ih != h))
		iw_ok = 0;
	if (import_image_size(run, image, w, h, mask, &iw, &ih) != 0 || !iw_ok) {
		if (!iw_ok)
			cli_errorf("%s: its size differs from %s", inst_path, mask);
		goto out;
	}
	n = (size_t)w * (size_t)h;
	cls = xmalloc(n);
	for (i = 0; i < n; i++) {
		if (cv[i] > 255) {
			cli_errorf("%s: value %u is not a class id (1 to 255): give a class mask, and its instance mask "
			    "with --instances", mask, cv[i]);
			goto out;
		}
		cls[i] = (uint8_t)cv[i];
	}
	if (mask_classes(run, &it, image, mask, cls, n) != 0)
		goto out;
	if (interop_doc_from_masks(cls, iv, w, h, &doc, &cause) != 0) {
		char *c = cause;

		cli_errorf("%s: %s", inst_path ? inst_path : mask, c);
		free(c);
		goto out;
	}
	rc = import_save(run, &it, doc);
out:
	free(cv);
	free(iv);
	free(cls);
	free(inst_path);
	free(image);
	free(stem);
	item_close(&it);
	return rc;
}

static int mask_begin(void *st, struct import_run *run, char **args, size_t nargs, char ***names, size_t *n)
{
	struct mask_import *m = st;

	m->masks = args;
	*names = args;
	*n = nargs;
	return 0;
}

static enum batch_status mask_item(void *st, const struct import_run *run, size_t i)
{
	struct mask_import *m = st;

	return mask_import_one(m, run, m->masks[i]) == 0 ? BATCH_DONE : BATCH_FAILED;
}

const struct importer import_mask = {
	.f = {
		.name = "mask",
		.synopsis = "[OPTION]... MASK.png...",
		.options = mask_options,
		.help =
		    "  --images DIR         where the images are (default: the mask's folder); the image is\n"
		    "                       the mask's name less .labels.png or its extension, .png/.jpg\n"
		    "  --instances SUFFIX   the instance mask of NAME is NAME+SUFFIX beside the class mask\n"
		    "                       (default: NAME.instances.png beside NAME.labels.png, if there)\n",
		.new_state = mask_new,
		.option = mask_option,
		.free_state = free,
	},
	.begin = mask_begin,
	.image = mask_item,
};
