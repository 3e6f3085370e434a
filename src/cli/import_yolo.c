/* import_yolo.c: `pxlabel import yolo DATA.yaml|DIR...`: an Ultralytics data set. data.yaml's
 * names give the classes (index N prefers class id N + 1, as the export chose them), its train
 * and val folders the images, and each image's label file (images/ -> labels/, NAME.txt) the
 * instances, one a line (yolo.c reads them). The outlines go beside the images; a pxlabel.ini
 * that --add-classes writes goes in the data set's folder. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "err.h"
#include "import.h"
#include "interop.h"
#include "paths.h"
#include "xalloc.h"
#include "yolo.h"

struct yolo_import {
	char *yaml;             /* the data.yaml of this run */
	char *root;             /* the data set's folder */
	struct yolo_yaml y;
	char **images, **labels; /* per item: the image and its label file (owned) */
	size_t n;
};

/* The whole of a text file of at most max bytes, NUL-terminated. */
static int read_text(const char *path, uint64_t max, char **out, size_t *len, char **cause)
{
	FILE *fp = fopen(path, "rb");
	struct stat st;
	char *buf;
	size_t n;

	*out = NULL;
	if (!fp)
		return err_set(cause, "%s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size > max) {
		fclose(fp);
		return err_set(cause, "%s: not a file of at most %llu bytes", path, (unsigned long long)max);
	}
	buf = xmalloc((size_t)st.st_size + 1);
	n = fread(buf, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		fclose(fp);
		free(buf);
		return err_set(cause, "%s: read failed", path);
	}
	fclose(fp);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The label file of image under images_dir: the same path under labels_dir, NAME.txt. */
static char *label_of(const char *image, const char *images_dir, const char *labels_dir)
{
	size_t k = strlen(images_dir);
	char *rel = paths_derived(image + k, ".txt"), *p = xasprintf("%s%s", labels_dir, rel);

	free(rel);
	return p;
}

/* Ultralytics finds labels by putting "labels" for the last "images" folder in the path. */
static char *labels_dir_of(const char *images_dir)
{
	const char *hit = NULL, *s;

	for (s = images_dir; (s = strstr(s, "images")); s++)
		if ((s == images_dir || s[-1] == '/') && (s[6] == '/' || s[6] == '\0'))
			hit = s;
	if (!hit)
		return NULL;
	return xasprintf("%.*slabels%s", (int)(hit - images_dir), images_dir, hit + 6);
}

static int add_split(struct yolo_import *m, const char *key, const char *split, char **cause)
{
	char *what, *dir, *ldir, **list = NULL;
	size_t n = 0, i;
	int rc = -1;

	if (!split)
		return 0;
	/* Like LabelMe's imagePath and COCO's file_name: a folder of the data set, not anywhere. */
	what = xasprintf("%s: %s", m->yaml, key);
	dir = interop_path_inside(m->root, split, what, cause);
	free(what);
	if (!dir)
		return -1;
	for (i = 0; i < m->n; i++) /* val may be train */
		if (!strncmp(m->images[i], dir, strlen(dir)) && m->images[i][strlen(dir)] == '/') {
			free(dir);
			return 0;
		}
	if (!is_dir(dir)) {
		rc = err_set(cause, "%s: %s is not a folder", m->yaml, dir);
		free(dir);
		return rc;
	}
	if (!(ldir = labels_dir_of(dir))) {
		rc = err_set(cause, "%s: %s has no folder named images, so the labels cannot be found", m->yaml, dir);
		free(dir);
		return rc;
	}
	if (paths_collect(&dir, 1, NULL, &list, &n, NULL, NULL, cause) == 0) {
		for (i = 0; i < n; i++) {
			char *label = label_of(list[i], dir, ldir);
			struct stat st;

			/* An image without a label file is a background image: nothing to import. */
			if (stat(label, &st) != 0) {
				free(label);
				continue;
			}
			m->images = xreallocarray(m->images, m->n + 1, sizeof(char *));
			m->labels = xreallocarray(m->labels, m->n + 1, sizeof(char *));
			m->images[m->n] = xstrdup(list[i]);
			m->labels[m->n++] = label;
		}
		paths_list_free(list, n);
		rc = 0;
	}
	free(ldir);
	free(dir);
	return rc;
}

static void *yolo_new(void) { return xcalloc(1, sizeof(struct yolo_import)); }

static void yolo_finish(void *st)
{
	struct yolo_import *m = st;

	for (size_t i = 0; i < m->n; i++) {
		free(m->images[i]);
		free(m->labels[i]);
	}
	free(m->images);
	free(m->labels);
	free(m->yaml);
	free(m->root);
	yolo_yaml_free(&m->y);
	memset(m, 0, sizeof(*m));
}

static int yolo_begin(void *st, struct import_run *run, char **args, size_t nargs, char ***names, size_t *n)
{
	struct yolo_import *m = st;
	char *cause = NULL, *text = NULL, *dir;
	size_t len;

	(void)run;
	(void)nargs; /* one at a time: IMPORT_EACH_FILE */
	m->yaml = is_dir(args[0]) ? xasprintf("%s/data.yaml", args[0]) : xstrdup(args[0]);
	if (read_text(m->yaml, YOLO_MAX_BYTES, &text, &len, &cause) != 0 ||
	    yolo_yaml_parse(text, len, m->yaml, &m->y, &cause) != 0) {
		free(text);
		cli_error(cause);
		return -1;
	}
	free(text);
	/* path: where train and val are; a path that is not there (the data set was moved) gives
	 * way to data.yaml's own folder. */
	dir = interop_dirname(m->yaml);
	if (m->y.path && m->y.path[0] == '/' && is_dir(m->y.path))
		m->root = xstrdup(m->y.path);
	else if (m->y.path && m->y.path[0] && m->y.path[0] != '/')
		m->root = xasprintf("%s/%s", dir, m->y.path);
	else
		m->root = xstrdup(dir);
	free(dir);
	if (!m->y.train && !m->y.val) {
		cli_errorf("%s: neither train nor val names a folder of images", m->yaml);
		return -1;
	}
	if (add_split(m, "train", m->y.train, &cause) != 0 || add_split(m, "val", m->y.val, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	*names = m->images;
	*n = m->n;
	return 0;
}

static enum batch_status yolo_image(void *st, const struct import_run *run, size_t i)
{
	struct yolo_import *m = st;
	struct interop_image im;
	char *cause = NULL, *text = NULL;
	size_t len;
	int w, h, rc = -1;

	memset(&im, 0, sizeof(im));
	if (import_image_size(run, m->images[i], 0, 0, m->labels[i], &w, &h) != 0)
		return BATCH_FAILED;
	if (read_text(m->labels[i], YOLO_MAX_BYTES, &text, &len, &cause) == 0 &&
	    yolo_read(text, len, m->labels[i], w, h, (const char *const *)m->y.names, m->y.nnames, &im, &cause) == 0) {
		im.image = xstrdup(m->images[i]);
		rc = import_interop(run, &im, m->labels[i], m->root);
	} else {
		cli_error(cause);
	}
	free(text);
	interop_image_free(&im);
	return rc == 0 ? BATCH_DONE : BATCH_FAILED;
}

static void yolo_free(void *st)
{
	yolo_finish(st);
	free(st);
}

const struct importer import_yolo = {
	.f = {
		.name = "yolo",
		.synopsis = "[OPTION]... DATA.yaml|DIR...",
		.new_state = yolo_new,
		.free_state = yolo_free,
	},
	.flags = IMPORT_EACH_FILE,
	.begin = yolo_begin,
	.image = yolo_image,
	.finish = yolo_finish,
};
