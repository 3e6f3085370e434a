/* dataset.c: pxlabel.ini, the data set's classes and file suffixes: read (through inifile.c),
 * checked as a whole (ids, keys and names unique, parents without cycles, suffixes that cannot
 * overwrite each other or an image), and written when an import brings new classes. */
#include "config.h"

#include "dataset.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "err.h"
#include "inifile.h"
#include "sliver.h"
#include "text.h"
#include "xalloc.h"

#define MAX_SUFFIX 64
#define MAX_SLIVER 1000000 /* pixels: sliver_pixels above this is no longer a sliver */

/* Sasha Trubetskoy's "20 simple, distinct colours", in his order, so ids 1, 2, 3... get colours
 * far apart. */
static const struct pngio_rgb palette[20] = {
	{ 0xe6, 0x19, 0x4b }, { 0x3c, 0xb4, 0x4b }, { 0xff, 0xe1, 0x19 }, { 0x43, 0x63, 0xd8 },
	{ 0xf5, 0x82, 0x31 }, { 0x91, 0x1e, 0xb4 }, { 0x46, 0xf0, 0xf0 }, { 0xf0, 0x32, 0xe6 },
	{ 0xbc, 0xf6, 0x0c }, { 0xfa, 0xbe, 0xbe }, { 0x00, 0x80, 0x80 }, { 0xe6, 0xbe, 0xff },
	{ 0x9a, 0x63, 0x24 }, { 0xff, 0xfa, 0xc8 }, { 0x80, 0x00, 0x00 }, { 0xaa, 0xff, 0xc3 },
	{ 0x80, 0x80, 0x00 }, { 0xff, 0xd8, 0xb1 }, { 0x00, 0x00, 0x75 }, { 0x80, 0x80, 0x80 },
};

enum { SUFFIX_SIDECAR, SUFFIX_LABELS, SUFFIX_INSTANCES, NSUFFIX };
static const char *const suffix_keys[NSUFFIX] = {
	"sidecar_suffix", "labels_suffix", "instances_suffix",
};
static const char *const suffix_defaults[NSUFFIX] = {
	".pxl.json", ".labels.png", ".instances.png",
};

struct pngio_rgb dataset_default_colour(int id)
{
	if (id < 1)
		return palette[0];
	return palette[(id - 1) % 20];
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_colour(const char *s, struct pngio_rgb *out)
{
	int d[6], i;

	if (s[0] != '#' || strlen(s) != 7)
		return -1;
	for (i = 0; i < 6; i++)
		if ((d[i] = hex_digit((unsigned char)s[i + 1])) < 0)
			return -1;
	out->r = (uint8_t)(d[0] << 4 | d[1]);
	out->g = (uint8_t)(d[2] << 4 | d[3]);
	out->b = (uint8_t)(d[4] << 4 | d[5]);
	return 0;
}

/* --- pxlabel.ini ------------------------------------------------------------------------ */

struct pclass {
	struct dataset_class c;
	char *parent_name;
	int id_line, colour_line, key_line, parent_line;
	size_t parent;        /* index, once resolved */
};

struct dsparse {
	enum { DS_NONE, DS_PXLABEL, DS_CLASS, DS_OTHER } sec;
	struct pclass *classes; /* DATASET_MAX_CLASSES of them */
	size_t n;
	char *suffix[NSUFFIX];
	int suffix_line[NSUFFIX];
	unsigned long long sliver_pixels;
	int sliver_line;
};

static int ds_section(struct inifile *f, const char *section)
{
	struct dsparse *d = f->ctx;
	struct pclass *pc;
	const char *name, *problem;
	char q[TEXT_QUOTE_BUF], why[TEXT_PROBLEM_BUF];
	size_t i;

	if (!strcmp(section, "pxlabel")) {
		d->sec = DS_PXLABEL;
		return 0;
	}
	if (strncmp(section, "class", 5) || (section[5] && !isblank((unsigned char)section[5]))) {
		inifile_warn(f, f->line, "unknown section [%s] (ignored)", text_quote(q, section));
		d->sec = DS_OTHER;
		return 0;
	}
	name = section + 5;
	while (isblank((unsigned char)*name))
		name++;
	if (!*name)
		return inifile_fail(f, f->line, "a class needs a name: [class NAME]");
	if ((problem = text_problem(name, DATASET_MAX_NAME, why)))
		return inifile_fail(f, f->line, "class name %s %s", text_quote(q, name), problem);
	for (i = 0; i < d->n; i++)
		if (!strcmp(d->classes[i].c.name, name))
			return inifile_fail(f, f->line, "class \"%s\" is defined twice (first on line %d)",
			    name, d->classes[i].c.line);
	if (d->n == DATASET_MAX_CLASSES)
		return inifile_fail(f, f->line, "more than %d classes", DATASET_MAX_CLASSES);
	pc = &d->classes[d->n++];
	pc->c.name = xstrdup(name);
	pc->c.line = f->line;
	d->sec = DS_CLASS;
	return 0;
}

static int ds_class_pair(struct inifile *f, struct pclass *pc, const char *name, const char *value)
{
	struct dsparse *d = f->ctx;
	const char *cname = pc->c.name;
	char q[TEXT_QUOTE_BUF], prefix[DATASET_MAX_NAME + 16];
	unsigned long long id;
	size_t i;

	snprintf(prefix, sizeof(prefix), "class \"%s\":", cname);
	if (!strcmp(name, "id")) {
		if (inifile_set_once(f, &pc->id_line, prefix, name) < 0)
			return -1;
		if (inifile_number(value, 1, 255, &id) < 0)
			return inifile_fail(f, f->line, "%s id must be a whole number from 1 to 255, not %s",
			    prefix, text_quote(q, value));
		for (i = 0; i < d->n; i++)
			if (d->classes[i].c.id == (int)id)
				return inifile_fail(f, f->line, "%s id %llu is already class \"%s\" (line %d)",
				    prefix, id, d->classes[i].c.name, d->classes[i].c.line);
		pc->c.id = (int)id;
	} else if (!strcmp(name, "color") || !strcmp(name, "colour")) {
		if (inifile_set_once(f, &pc->colour_line, prefix, "color") < 0)
			return -1;
		if (parse_colour(value, &pc->c.colour) < 0)
			return inifile_fail(f, f->line, "%s %s must be #rrggbb, not %s", prefix, name,
			    text_quote(q, value));
	} else if (!strcmp(name, "key")) {
		if (inifile_set_once(f, &pc->key_line, prefix, name) < 0)
			return -1;
		if (strlen(value) != 1 || value[0] < '!' || value[0] > '~')
			return inifile_fail(f, f->line,
			    "%s key must be one printable ASCII character, not %s", prefix,
			    text_quote(q, value));
		for (i = 0; i < d->n; i++)
			if (d->classes[i].c.key == value[0])
				return inifile_fail(f, f->line,
				    "%s key '%c' is already the key of class \"%s\" (line %d)", prefix,
				    value[0], d->classes[i].c.name, d->classes[i].key_line);
		pc->c.key = value[0];
	} else if (!strcmp(name, "parent")) {
		if (inifile_set_once(f, &pc->parent_line, prefix, name) < 0)
			return -1;
		/* Whether it names a class is known only at the end: parents may come later. */
		pc->parent_name = xstrdup(value);
	} else {
		inifile_warn(f, f->line, "%s unknown key %s (ignored)", prefix, text_quote(q, name));
	}
	return 0;
}

static int is_image_extension(const char *s)
{
	static const char *const ext[] = { ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff" };
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(s, ext[i]))
			return 1;
	return 0;
}

static int ds_pair(struct inifile *f, const char *name, const char *value)
{
	struct dsparse *d = f->ctx;
	const char *problem;
	char q[TEXT_QUOTE_BUF], qn[TEXT_QUOTE_BUF], why[TEXT_PROBLEM_BUF];
	int i;

	switch (d->sec) {
	case DS_NONE:
		inifile_warn(f, f->line, "%s outside any section (ignored)", text_quote(q, name));
		return 0;
	case DS_OTHER:
		return 0; /* its section was warned about already */
	case DS_CLASS:
		return ds_class_pair(f, &d->classes[d->n - 1], name, value);
	case DS_PXLABEL:
		break;
	}
	if (!strcmp(name, "sliver_pixels")) {
		if (inifile_set_once(f, &d->sliver_line, "[pxlabel]", name) < 0)
			return -1;
		if (inifile_number(value, 0, MAX_SLIVER, &d->sliver_pixels) < 0)
			return inifile_fail(f, f->line, "[pxlabel] sliver_pixels must be a whole number from 0 to %d, not %s",
			    MAX_SLIVER, text_quote(q, value));
		return 0;
	}
	for (i = 0; i < NSUFFIX; i++)
		if (!strcmp(name, suffix_keys[i]))
			break;
	if (i == NSUFFIX) {
		inifile_warn(f, f->line, "[pxlabel] unknown key %s (ignored)", text_quote(qn, name));
		return 0;
	}
	if (inifile_set_once(f, &d->suffix_line[i], "[pxlabel]", name) < 0)
		return -1;
	if (value[0] != '.' || !value[1])
		return inifile_fail(f, f->line, "[pxlabel] %s must start with '.' and name something, not %s",
		    name, text_quote(q, value));
	if (strchr(value, '/'))
		return inifile_fail(f, f->line, "[pxlabel] %s must not contain '/': %s", name,
		    text_quote(q, value));
	if ((problem = text_problem(value, MAX_SUFFIX, why)))
		return inifile_fail(f, f->line, "[pxlabel] %s %s %s", name, text_quote(q, value), problem);
	/* With ".png", the labels of cat.png would be written over cat.png itself. */
	if (is_image_extension(value))
		return inifile_fail(f, f->line,
		    "[pxlabel] %s %s is an image extension: outputs would overwrite images",
		    name, text_quote(q, value));
	d->suffix[i] = xstrdup(value);
	return 0;
}

static int ds_check_parents(struct inifile *f, struct dsparse *d)
{
	struct pclass *pc;
	char q[TEXT_QUOTE_BUF], *chain, *longer;
	size_t i, j, k, steps;

	for (i = 0; i < d->n; i++) {
		pc = &d->classes[i];
		if (!pc->parent_name)
			continue;
		for (j = 0; j < d->n; j++)
			if (!strcmp(d->classes[j].c.name, pc->parent_name))
				break;
		if (j == d->n)
			return inifile_fail(f, pc->parent_line, "class \"%s\": parent %s is not a class",
			    pc->c.name, text_quote(q, pc->parent_name));
		pc->parent = j;
		pc->c.parent_id = d->classes[j].c.id;
	}
	/* A class is on a cycle when following parents from it comes back to it; the first such
	 * class in the file is reported, at its parent line. */
	for (i = 0; i < d->n; i++) {
		j = i;
		for (steps = 0; steps < d->n && d->classes[j].parent_name; steps++) {
			j = d->classes[j].parent;
			if (j == i)
				break;
		}
		if (j != i || steps == d->n || !d->classes[i].parent_name)
			continue;
		chain = xstrdup(d->classes[i].c.name);
		k = d->classes[i].parent;
		for (steps = 0;; steps++) {
			/* Long cycles are cut: the message stays one line. */
			if (steps == 8 && k != i) {
				longer = xasprintf("%s > ...", chain);
				free(chain);
				chain = longer;
				k = i;
			}
			longer = xasprintf("%s > %s", chain, d->classes[k].c.name);
			free(chain);
			chain = longer;
			if (k == i)
				break;
			k = d->classes[k].parent;
		}
		inifile_fail(f, d->classes[i].parent_line, "class \"%s\": parents go round in a cycle: %s",
		    d->classes[i].c.name, chain);
		free(chain);
		return -1;
	}
	return 0;
}

static int compare_class_id(const void *a, const void *b)
{
	const struct dataset_class *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void default_classes(struct dataset *out)
{
	out->nclasses = 2;
	out->classes = xcalloc(2, sizeof(*out->classes));
	out->classes[0].id = 1;
	out->classes[0].name = xstrdup("background");
	out->classes[0].key = 'b';
	out->classes[1].id = 2;
	out->classes[1].name = xstrdup("object");
	out->classes[1].key = 'o';
	out->classes[0].colour = dataset_default_colour(1);
	out->classes[1].colour = dataset_default_colour(2);
}

/* The checks that need the whole file, then the result. */
static int ds_finish(struct inifile *f, struct dsparse *d, struct dataset *out)
{
	size_t i;
	int a, b, line;

	for (i = 0; i < d->n; i++)
		if (!d->classes[i].c.id)
			return inifile_fail(f, d->classes[i].c.line, "class \"%s\" has no id",
			    d->classes[i].c.name);
	if (ds_check_parents(f, d) < 0)
		return -1;
	for (a = 0; a < NSUFFIX; a++) {
		for (b = a + 1; b < NSUFFIX; b++) {
			if (strcmp(d->suffix[a] ? d->suffix[a] : suffix_defaults[a],
			    d->suffix[b] ? d->suffix[b] : suffix_defaults[b]))
				continue;
			line = d->suffix_line[a] > d->suffix_line[b] ? d->suffix_line[a] :
			    d->suffix_line[b];
			return inifile_fail(f, line, "[pxlabel] %s and %s are the same: one file would "
			    "overwrite the other", suffix_keys[a], suffix_keys[b]);
		}
	}
	out->path = xstrdup(f->path);
	out->sidecar_suffix = d->suffix[SUFFIX_SIDECAR] ? d->suffix[SUFFIX_SIDECAR] :
	    xstrdup(suffix_defaults[SUFFIX_SIDECAR]);
	out->labels_suffix = d->suffix[SUFFIX_LABELS] ? d->suffix[SUFFIX_LABELS] :
	    xstrdup(suffix_defaults[SUFFIX_LABELS]);
	out->instances_suffix = d->suffix[SUFFIX_INSTANCES] ? d->suffix[SUFFIX_INSTANCES] :
	    xstrdup(suffix_defaults[SUFFIX_INSTANCES]);
	memset(d->suffix, 0, sizeof(d->suffix));
	out->sliver_pixels = d->sliver_line ? (uint32_t)d->sliver_pixels : SLIVER_DEFAULT_PIXELS;
	if (d->n == 0) {
		default_classes(out);
	} else {
		out->classes = xcalloc(d->n, sizeof(*out->classes));
		for (i = 0; i < d->n; i++) {
			out->classes[i] = d->classes[i].c;
			if (!d->classes[i].colour_line)
				out->classes[i].colour = dataset_default_colour(out->classes[i].id);
			d->classes[i].c.name = NULL;
		}
		out->nclasses = d->n;
		qsort(out->classes, out->nclasses, sizeof(*out->classes), compare_class_id);
	}
	inifile_take_warnings(f, &out->warnings, &out->nwarnings);
	return 0;
}

int dataset_parse_mem(const char *name, const char *text, size_t len,
    struct dataset *out, char **cause)
{
	struct dsparse d;
	struct inifile f;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	d.classes = xcalloc(DATASET_MAX_CLASSES, sizeof(*d.classes));
	inifile_init(&f, name, text, len, ds_section, ds_pair, &d);
	if (inifile_parse(&f) < 0 || ds_finish(&f, &d, out) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		err_set(cause, "%s", f.cause ? f.cause : "invalid configuration");
		dataset_free(out);
	}
	for (i = 0; i < d.n; i++) {
		free(d.classes[i].c.name);
		free(d.classes[i].parent_name);
	}
	free(d.classes);
	for (i = 0; i < NSUFFIX; i++)
		free(d.suffix[i]);
	inifile_free(&f);
	return rc;
}

int dataset_parse_file(const char *ini_path, struct dataset *out, char **cause)
{
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (inifile_read(ini_path, &text, &len, NULL, cause) < 0)
		return -1;
	rc = dataset_parse_mem(ini_path, text, len, out, cause);
	free(text);
	return rc;
}

void dataset_defaults(struct dataset *out)
{
	memset(out, 0, sizeof(*out));
	default_classes(out);
	out->sidecar_suffix = xstrdup(suffix_defaults[SUFFIX_SIDECAR]);
	out->labels_suffix = xstrdup(suffix_defaults[SUFFIX_LABELS]);
	out->instances_suffix = xstrdup(suffix_defaults[SUFFIX_INSTANCES]);
	out->sliver_pixels = SLIVER_DEFAULT_PIXELS;
}

int dataset_find(const char *image_path_or_dir, char **ini_path_out, char **cause)
{
	struct stat st;
	char *copy, *start, *dir = NULL, *candidate = NULL, *slash;
	int rc = -1;

	*ini_path_out = NULL;
	if (stat(image_path_or_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		start = xstrdup(image_path_or_dir);
	} else {
		copy = xstrdup(image_path_or_dir);
		start = xstrdup(dirname(copy));
		free(copy);
	}
	/* Walk the real folders, as git does: "up" from a symlinked folder is where it lives. */
	dir = realpath(start, NULL);
	if (!dir) {
		err_set(cause, "%s: cannot look for pxlabel.ini in %s: %s", image_path_or_dir, start,
		    strerror(errno));
		goto out;
	}
	for (;;) {
		candidate = xasprintf("%s/pxlabel.ini", strcmp(dir, "/") ? dir : "");
		if (stat(candidate, &st) == 0) {
			if (!S_ISREG(st.st_mode)) {
				err_set(cause, "%s: not a regular file", candidate);
				goto out;
			}
			*ini_path_out = candidate;
			candidate = NULL;
			rc = 0;
			goto out;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			err_set(cause, "%s: %s", candidate, strerror(errno));
			goto out;
		}
		/* A dangling symlink is a data set whose classes went missing, not "no data set". */
		if (lstat(candidate, &st) == 0) {
			err_set(cause, "%s: a symbolic link to nothing", candidate);
			goto out;
		}
		free(candidate);
		candidate = NULL;
		if (!strcmp(dir, "/")) {
			rc = 1;
			goto out;
		}
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
out:
	free(start);
	free(dir);
	free(candidate);
	return rc;
}

int dataset_load(const char *image_path_or_dir, struct dataset *out, char **cause)
{
	char *path;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = dataset_find(image_path_or_dir, &path, cause);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		dataset_defaults(out);
		return 0;
	}
	rc = dataset_parse_file(path, out, cause);
	free(path);
	return rc;
}

void dataset_free(struct dataset *ds)
{
	size_t i;

	if (!ds)
		return;
	for (i = 0; i < ds->nclasses; i++)
		free(ds->classes[i].name);
	free(ds->classes);
	free(ds->path);
	free(ds->sidecar_suffix);
	free(ds->labels_suffix);
	free(ds->instances_suffix);
	inifile_strings_free(ds->warnings, ds->nwarnings);
	memset(ds, 0, sizeof(*ds));
}

const struct dataset_class *dataset_class_by_id(const struct dataset *ds, int id)
{
	size_t i;

	for (i = 0; i < ds->nclasses; i++)
		if (ds->classes[i].id == id)
			return &ds->classes[i];
	return NULL;
}

const struct dataset_class *dataset_class_by_name(const struct dataset *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->nclasses; i++)
		if (!strcmp(ds->classes[i].name, name))
			return &ds->classes[i];
	return NULL;
}

const struct dataset_class *dataset_class_by_key(const struct dataset *ds, int key)
{
	size_t i;

	if (key == 0)
		return NULL;
	for (i = 0; i < ds->nclasses; i++)
		if (ds->classes[i].key == key)
			return &ds->classes[i];
	return NULL;
}

/* ---- classes into pxlabel.ini ------------------------------------------------------------- */

/* Names come from other tools' files: what the reader would refuse, or read as something else,
 * is refused before anything is written. */
static int name_writable(const char *ini_path, const char *name, char **cause)
{
	size_t n = strlen(name);
	const char *problem;
	char q[TEXT_QUOTE_BUF], why[TEXT_PROBLEM_BUF];

	if (n == 0 || n > DATASET_MAX_NAME)
		return err_set(cause, "%s: class name %s must be 1 to %d bytes", ini_path, text_quote(q, name),
		    DATASET_MAX_NAME);
	if ((problem = text_problem(name, DATASET_MAX_NAME, why)))
		return err_set(cause, "%s: class name %s %s: add it by hand under another name", ini_path,
		    text_quote(q, name), problem);
	if (strchr(name, ']') || strchr(name, '[') || strstr(name, " ;") || name[0] == ' ' || name[n - 1] == ' ')
		return err_set(cause, "%s: class name %s cannot be written into pxlabel.ini (brackets, \" ;\" "
		    "or spaces at an end): add it by hand under another name", ini_path, text_quote(q, name));
	return 0;
}

static void add_section(struct dataset *ds, char **text, size_t *len, const char *name, const char *parent,
    int id)
{
	char *sec = parent ? xasprintf("\n[class %s]\nid = %d\nparent = %s\n", name, id, parent)
			   : xasprintf("\n[class %s]\nid = %d\n", name, id);
	size_t n = strlen(sec);

	*text = xreallocarray(*text, *len + n + 1, 1);
	memcpy(*text + *len, sec, n + 1);
	*len += n;
	free(sec);
	/* Record it so later names see the id taken. */
	ds->classes = xreallocarray(ds->classes, ds->nclasses + 1, sizeof(*ds->classes));
	memset(&ds->classes[ds->nclasses], 0, sizeof(ds->classes[0]));
	ds->classes[ds->nclasses].id = id;
	ds->classes[ds->nclasses].name = xstrdup(name);
	ds->nclasses++;
}

/* want when it is free, else the lowest free id, passing over the ids still wished for by the
 * names yet to be added (wished[id]), so that a parent or a name without a wish does not take
 * the id a later name of the same import asks for; failing that, any free id. */
static int free_id(const struct dataset *ds, int want, const uint8_t *wished)
{
	int id, pass;

	if (want >= 1 && want <= DATASET_MAX_CLASSES && !dataset_class_by_id(ds, want))
		return want;
	for (pass = 0; pass < 2; pass++)
		for (id = 1; id <= DATASET_MAX_CLASSES; id++)
			if (!dataset_class_by_id(ds, id) && (pass || !wished[id]))
				return id;
	return 0;
}

int dataset_add_classes(const char *ini_path, const char *const *names, const char *const *parents,
    const int *want_ids, size_t n, char **cause)
{
	struct dataset ds, check;
	uint8_t wished[DATASET_MAX_CLASSES + 1] = { 0 };
	char *copy = xstrdup(ini_path), *lockpath, *text = NULL, *inner = NULL, q[TEXT_QUOTE_BUF];
	size_t len = 0, i;
	struct flock fl;
	struct stat st;
	int fd, rc = -1, exists;

	memset(&ds, 0, sizeof(ds));
	memset(&check, 0, sizeof(check));
	lockpath = xasprintf("%s/.pxlabel.ini.lock", dirname(copy));
	free(copy);
	fd = open(lockpath, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		err_set(cause, "%s: %s", lockpath, strerror(errno));
		free(lockpath);
		return -1;
	}
	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	while (fcntl(fd, F_SETLKW, &fl) != 0) {
		if (errno != EINTR) {
			err_set(cause, "%s: cannot lock: %s", lockpath, strerror(errno));
			goto out;
		}
	}
	exists = stat(ini_path, &st) == 0;
	if (exists) {
		FILE *fp;

		if ((uint64_t)st.st_size > INIFILE_MAX_SIZE) {
			err_set(cause, "%s: larger than %d bytes", ini_path, INIFILE_MAX_SIZE);
			goto out;
		}
		if (dataset_parse_file(ini_path, &ds, cause) != 0)
			goto out;
		fp = fopen(ini_path, "rb");
		if (!fp) {
			err_set(cause, "%s: %s", ini_path, strerror(errno));
			goto out;
		}
		text = xmalloc((size_t)st.st_size + 2);
		len = fread(text, 1, (size_t)st.st_size, fp);
		fclose(fp);
		if (len > 0 && text[len - 1] != '\n')
			text[len++] = '\n';
		text[len] = '\0';
	} else {
		text = xstrdup("; pxlabel.ini: the data set's classes (see doc/config.md).\n");
		len = strlen(text);
	}
	for (i = 0; i < n; i++)
		if (want_ids && want_ids[i] >= 1 && want_ids[i] <= DATASET_MAX_CLASSES &&
		    !dataset_class_by_name(&ds, names[i]) && !dataset_class_by_id(&ds, want_ids[i]))
			wished[want_ids[i]] = 1;
	for (i = 0; i < n; i++) {
		const char *parent = parents ? parents[i] : NULL;
		int id;

		if (parent && (!*parent || !strcmp(parent, names[i])))
			parent = NULL;
		if (dataset_class_by_name(&ds, names[i]))
			continue;
		if (parent && !dataset_class_by_name(&ds, parent)) {
			if (name_writable(ini_path, parent, cause) != 0)
				goto out;
			id = free_id(&ds, 0, wished);
			if (!id) {
				err_set(cause, "%s: no free class id left for %s", ini_path, text_quote(q, parent));
				goto out;
			}
			add_section(&ds, &text, &len, parent, NULL, id);
		}
		if (name_writable(ini_path, names[i], cause) != 0)
			goto out;
		if (want_ids && want_ids[i] >= 1 && want_ids[i] <= DATASET_MAX_CLASSES)
			wished[want_ids[i]] = 0;
		id = free_id(&ds, want_ids ? want_ids[i] : 0, wished);
		if (!id) {
			err_set(cause, "%s: no free class id left for %s", ini_path, text_quote(q, names[i]));
			goto out;
		}
		add_section(&ds, &text, &len, names[i], parent, id);
	}
	/* A new file holds the added classes alone: the built-in ones are what a folder without
	 * classes of its own gets, and would take ids the imported data set uses. */
	if (dataset_parse_mem(ini_path, text, len, &check, &inner) != 0) {
		err_set(cause, "%s: adding classes would break it (%s)", ini_path, inner);
		goto out;
	}
	for (i = 0; i < n; i++)
		if (!dataset_class_by_name(&check, names[i])) {
			err_set(cause, "%s: class %s could not be added", ini_path, text_quote(q, names[i]));
			goto out;
		}
	rc = afile_write(ini_path, text, len, cause);
out:
	free(inner);
	free(text);
	dataset_free(&ds);
	dataset_free(&check);
	close(fd); /* releases the lock */
	free(lockpath);
	return rc;
}
