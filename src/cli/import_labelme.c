/* import_labelme.c: `pxlabel import labelme FILE.json|DIR...`: LabelMe's JSON files (folders
 * walked for them, sidecars left out), each into the outlines of the image its imagePath
 * names (labelme.c reads them). */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "import.h"
#include "labelme.h"
#include "paths.h"
#include "xalloc.h"

struct names {
	char **v;
	size_t n, cap;
};

struct labelme_import {
	struct labelme_opts lo;
	struct names files;
};

static void names_add(struct names *l, char *s)
{
	if (l->n == l->cap)
		l->v = xreallocarray(l->v, l->cap = l->cap ? l->cap * 2 : 64, sizeof(char *));
	l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The JSON files under dir (not sidecars), sorted. */
static int scan_json(const char *dir, struct names *out, int depth)
{
	struct names here = { 0 };
	struct dirent *e;
	DIR *d = opendir(dir);
	size_t i;
	int rc = 0;

	if (!d || depth > PATHS_MAX_DEPTH) {
		cli_errorf("%s: cannot read the folder", dir);
		if (d)
			closedir(d);
		return -1;
	}
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			names_add(&here, xasprintf("%s/%s", dir, e->d_name));
	closedir(d);
	if (here.n) /* qsort's base must not be NULL, even for nothing */
		qsort(here.v, here.n, sizeof(char *), cmp_str);
	for (i = 0; i < here.n; i++) {
		struct stat st;

		if (rc == 0 && stat(here.v[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = scan_json(here.v[i], out, depth + 1);
		else if (rc == 0 && import_ends_with(here.v[i], ".json") && !import_ends_with(here.v[i], ".pxl.json")) {
			names_add(out, here.v[i]);
			here.v[i] = NULL;
		}
		free(here.v[i]);
	}
	free(here.v);
	return rc;
}

static const struct option labelme_options[] = {
	{ "root", required_argument, NULL, 'R' },
	{ "line-width", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

static void *labelme_new(void)
{
	struct labelme_import *m = xcalloc(1, sizeof(*m));

	m->lo.line_width = LABELME_LINE_WIDTH;
	return m;
}

static int labelme_option(void *st, int val, const char *arg)
{
	struct labelme_import *m = st;

	if (val == 'R') {
		m->lo.root = arg;
		return 0;
	}
	return cli_line_width(arg, &m->lo.line_width);
}

/* Folders are walked for JSON files; a folder that cannot be read is an error for the run, and
 * the files found elsewhere are still imported. */
static int labelme_begin(void *st, struct import_run *run, char **args, size_t nargs, char ***names, size_t *n)
{
	struct labelme_import *m = st;
	size_t i;

	for (i = 0; i < nargs; i++) {
		struct stat sb;

		if (stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (scan_json(args[i], &m->files, 0) != 0)
				run->error = 1;
		} else {
			names_add(&m->files, xstrdup(args[i]));
		}
	}
	*names = m->files.v;
	*n = m->files.n;
	return 0;
}

static enum batch_status labelme_image(void *st, const struct import_run *run, size_t i)
{
	struct labelme_import *m = st;
	const char *file = m->files.v[i];
	struct interop_image im;
	char *cause = NULL;
	int rc;

	if (labelme_read(file, &m->lo, &im, &cause) != 0) {
		cli_error(cause);
		return BATCH_FAILED;
	}
	import_warnings(run, &im.warnings);
	rc = import_interop(run, &im, file, m->lo.root);
	interop_image_free(&im);
	return rc == 0 ? BATCH_DONE : BATCH_FAILED;
}

static void labelme_finish(void *st)
{
	struct labelme_import *m = st;
	size_t i;

	for (i = 0; i < m->files.n; i++)
		free(m->files.v[i]);
	free(m->files.v);
	memset(&m->files, 0, sizeof(m->files));
}

static void labelme_free(void *st)
{
	labelme_finish(st);
	free(st);
}

const struct importer import_labelme = {
	.f = {
		.name = "labelme",
		.synopsis = "[OPTION]... FILE.json|DIR...",
		.options = labelme_options,
		.help =
		    "  --root DIR           the data set's folder: imagePath must stay inside it\n"
		    "                       (default: the folder of each JSON file)\n"
		    "  --line-width PX      width of line and linestrip shapes (default 10, as LabelMe)\n",
		.new_state = labelme_new,
		.option = labelme_option,
		.free_state = labelme_free,
	},
	.begin = labelme_begin,
	.image = labelme_image,
	.finish = labelme_finish,
};
