/* cmd_import.c: `pxlabel import labelme|coco|mask`: other tools' annotations become outlines in
 * sidecars, and masks, next to the images, image by image (so runs can be spread over
 * processes and machines: xargs -P, GNU parallel, Slurm job arrays with --shard). */
#include "config.h"

#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "coco.h"
#include "compose.h"
#include "interop.h"
#include "item.h"
#include "labelme.h"
#include "paths.h"
#include "pngio.h"
#include "text.h"
#include "xalloc.h"

struct import_opts {
	int add_classes, replace, append, quiet;
	struct img_limits lim;
	const char *root;      /* labelme: the data set's folder */
	const char *images;    /* coco, mask: where the images are */
	const char *instances; /* mask: suffix of the instance masks */
	int32_t line_width;
	long shard, nshards;
};

struct tally {
	size_t done, failed, skipped;
};

static void print_warnings(const struct interop_warnings *w, const struct import_opts *o)
{
	size_t i;

	if (o->quiet)
		return;
	for (i = 0; i < w->n; i++)
		cli_line(stderr, "pxlabel: warning: %s", w->v[i]);
	if (w->dropped)
		fprintf(stderr, "pxlabel: warning: ... and %zu more warnings\n", w->dropped);
}

/* The pxlabel.ini that --add-classes writes: the one in force, else a new one in dir. */
static char *ini_for(const struct item *it, const char *dir)
{
	return it->ds.path ? xstrdup(it->ds.path) : xasprintf("%s/pxlabel.ini", dir);
}

/* Puts doc into the item (replacing or adding to what is there), saves it and its masks. Takes
 * doc. */
static int save_doc(struct item *it, struct doc *doc, const struct import_opts *o)
{
	struct compose c;
	char *cause = NULL;
	int rc = -1;

	if (it->doc && it->doc->ninst > 0 && !o->replace && !o->append) {
		cli_errorf("%s already has outlines in %s: use --replace or --append", it->image, it->sidecar);
		doc_free(doc);
		return -1;
	}
	if (it->doc && o->append) {
		/* The imported instances go on top, with ids after those already there. */
		unsigned next = 1;
		size_t i;

		for (i = 0; i < it->doc->ninst; i++)
			if (it->doc->inst[i]->id >= next)
				next = it->doc->inst[i]->id + 1u;
		for (i = 0; i < doc->ninst; i++) {
			struct doc_instance *in = doc->inst[i];
			size_t k;

			if (next > DOC_MAX_INSTANCES) {
				cli_errorf("%s: appending would make more than %d instances", it->image, DOC_MAX_INSTANCES);
				doc_free(doc);
				return -1;
			}
			for (k = 0; k < in->nshapes; k++)
				in->shapes[k]->refs++;
			if (doc_load_instance(it->doc, (uint16_t)next++, in->class_id, 0, in->shapes, in->nshapes, &cause) != 0) {
				cli_error(cause);
				doc_free(doc);
				return -1;
			}
		}
		doc_clear_history(it->doc);
		doc_free(doc);
	} else {
		doc_free(it->doc);
		it->doc = doc;
	}
	if (item_save(it, &cause) != 0 || compose_init(&c, it->doc->w, it->doc->h, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	if (compose_all(&c, it->doc, &cause) != 0 || item_write_masks(it, &c, &cause) != 0)
		cli_error(cause);
	else
		rc = 0;
	compose_free(&c);
	return rc;
}

/* The image's size, checked against what the foreign file says. */
static int image_size(const char *image, int said_w, int said_h, const char *from, const struct import_opts *o,
    int *w, int *h)
{
	char *cause = NULL;

	if (img_probe(image, &o->lim, w, h, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	if ((said_w && said_w != *w) || (said_h && said_h != *h)) {
		/* Swapped sides: the file was most likely made on the pixels as stored, by a tool that
		 * ignores the EXIF orientation pxlabel (and LabelMe) apply. */
		int swapped = said_w == *h && said_h == *w;

		cli_errorf("%s: made for a %dx%d image, but %s is %dx%d upright%s", from, said_w, said_h, image, *w, *h,
		    swapped ? " (width and height swapped: the file was probably made on the image as stored, "
			      "by a tool that ignores its EXIF orientation)" : "");
		return -1;
	}
	return 0;
}

/* Class ids for the objects, adding missing classes when asked. Returns 0, or -1 (printed). */
static int resolve_classes(struct item *it, const struct interop_image *im, int *ids, const char *ini_dir,
    const struct import_opts *o)
{
	const char **missing = NULL;
	size_t n = interop_classes(im, &it->ds, ids, &missing), i, k;
	char *cause = NULL;

	if (n == 0)
		return 0;
	if (!o->add_classes) {
		/* The names come from the imported file: quoted, and the line goes out through a sink. */
		char *list = xstrdup(""), *longer, q[TEXT_QUOTE_BUF];

		for (i = 0; i < n; i++) {
			longer = xasprintf("%s%s %s", list, i ? "," : "", text_quote(q, missing[i]));
			free(list);
			list = longer;
		}
		cli_errorf("%s: %zu class%s not in %s:%s (add them, or import with --add-classes)", it->image, n,
		    n == 1 ? "" : "es", it->ds.path ? it->ds.path : "pxlabel.ini (none found, so the built-in classes)",
		    list);
		free(list);
		free(missing);
		return -1;
	} else {
		const char **parents = xcalloc(n, sizeof(char *));
		int *want = xcalloc(n, sizeof(int));
		char *ini = ini_for(it, ini_dir), *image = xstrdup(it->image);
		int rc;

		for (i = 0; i < n; i++)
			for (k = 0; k < im->nobjects; k++)
				if (!strcmp(im->objects[k].label, missing[i])) {
					parents[i] = im->objects[k].parent;
					want[i] = im->objects[k].want_id;
					break;
				}
		rc = dataset_add_classes(ini, missing, parents, want, n, &cause);
		if (rc == 0 && !o->quiet)
			cli_line(stderr, "pxlabel: %s: %zu class%s added", ini, n, n == 1 ? "" : "es");
		free(parents);
		free(want);
		free(missing);
		free(ini);
		item_close(it);
		if (rc != 0 || item_open(it, image, &o->lim, 1, &cause) != 0) {
			cli_error(cause);
			free(image);
			return -1;
		}
		free(image);
		n = interop_classes(im, &it->ds, ids, &missing);
		free(missing);
		if (n) {
			cli_errorf("%s: the added classes are not in force (is another pxlabel.ini nearer?)", it->image);
			return -1;
		}
	}
	return 0;
}

/* One image from a foreign file: outlines, sidecar, masks. */
static int import_image(const struct interop_image *im, const char *from, const char *ini_dir,
    const struct import_opts *o)
{
	struct item it;
	struct doc *doc = NULL;
	char *cause = NULL, *dir = NULL;
	int *ids = NULL, w, h, rc = -1;

	if (item_open(&it, im->image, &o->lim, 1, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	if (image_size(im->image, im->w, im->h, from, o, &w, &h) != 0)
		goto out;
	ids = xcalloc(im->nobjects + 1, sizeof(int));
	dir = ini_dir ? xstrdup(ini_dir) : interop_dirname(im->image);
	if (resolve_classes(&it, im, ids, dir, o) != 0)
		goto out;
	if (interop_build_doc(im, ids, w, h, &doc, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	rc = save_doc(&it, doc, o);
out:
	free(dir);
	free(ids);
	item_close(&it);
	return rc;
}

/* ---- labelme -------------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && !strcasecmp(s + n - k, tail);
}

struct names {
	char **v;
	size_t n, cap;
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
	qsort(here.v, here.n, sizeof(char *), cmp_str);
	for (i = 0; i < here.n; i++) {
		struct stat st;

		if (rc == 0 && stat(here.v[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc = scan_json(here.v[i], out, depth + 1);
		else if (rc == 0 && ends_with(here.v[i], ".json") && !ends_with(here.v[i], ".pxl.json")) {
			names_add(out, here.v[i]);
			here.v[i] = NULL;
		}
		free(here.v[i]);
	}
	free(here.v);
	return rc;
}

static int import_labelme(char **args, size_t nargs, const struct import_opts *o, struct tally *t)
{
	struct labelme_opts lo = { o->root, o->line_width };
	struct names files = { 0 };
	size_t i;
	int rc = 0;

	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (stat(args[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (scan_json(args[i], &files, 0) != 0)
				rc = -1;
		} else {
			names_add(&files, xstrdup(args[i]));
		}
	}
	for (i = 0; i < files.n; i++) {
		struct interop_image im;
		char *cause = NULL;

		cli_progress(i, files.n, paths_base(files.v[i]));
		if (labelme_read(files.v[i], &lo, &im, &cause) != 0) {
			cli_error(cause);
			t->failed++;
			continue;
		}
		print_warnings(&im.warnings, o);
		if (import_image(&im, files.v[i], o->root, o) != 0)
			t->failed++;
		else
			t->done++;
		interop_image_free(&im);
	}
	cli_progress(files.n, files.n, NULL);
	for (i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return rc;
}

/* ---- coco ------------------------------------------------------------------------------------ */

static int import_coco(char **args, size_t nargs, const struct import_opts *o, struct tally *t)
{
	struct coco_file f;
	char *cause = NULL;
	size_t i, a, mine = 0, seen = 0;

	if (!o->images) {
		cli_errorf("import coco needs --images DIR: the folder that file_name is relative to");
		return -2;
	}
	for (a = 0; a < nargs; a++) {
		if (coco_open(args[a], &f, &cause) != 0) {
			cli_error(cause);
			t->failed++;
			continue;
		}
		print_warnings(&f.warnings, o);
		for (i = 0; i < f.nimages; i++)
			if ((long)(i % (size_t)o->nshards) == o->shard)
				mine++;
		for (i = 0; i < f.nimages; i++) {
			struct interop_image im;

			if ((long)(i % (size_t)o->nshards) != o->shard)
				continue;
			cli_progress(seen++, mine, paths_base(f.images[i].file_name));
			if (f.images[i].n == 0) {
				t->skipped++;
				continue;
			}
			if (coco_read_image(&f, i, o->images, o->lim.max_pixels, &im, &cause) != 0) {
				cli_error(cause);
				t->failed++;
				continue;
			}
			print_warnings(&im.warnings, o);
			if (import_image(&im, args[a], o->images, o) != 0)
				t->failed++;
			else
				t->done++;
			interop_image_free(&im);
		}
		cli_progress(mine, mine, NULL);
		coco_close(&f);
	}
	return 0;
}

/* ---- mask ------------------------------------------------------------------------------------ */

/* The image a mask belongs to: the same name (less .labels.png or the extension) in the images
 * folder (default: the mask's own). */
static char *mask_image(const char *mask, const struct import_opts *o, char **stem_out)
{
	static const char *const exts[] = { ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".PNG", ".JPG", ".JPEG", ".TIF",
		".TIFF", NULL };
	const char *base = paths_base(mask);
	char *dir = o->images ? xstrdup(o->images) : interop_dirname(mask), *stem, *found = NULL;
	size_t n = strlen(base), i;

	if (ends_with(base, paths_default_suffixes.labels))
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
static int mask_classes(struct item *it, const char *image, const char *mask, const uint8_t *cls, size_t n,
    const struct import_opts *o)
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
	if (!o->add_classes) {
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
	ini = ini_for(it, dir);
	free(dir);
	if (dataset_add_classes(ini, (const char *const *)labels, NULL, want, k, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	item_close(it);
	if (item_open(it, image, &o->lim, 1, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	for (i = 0; i < k; i++)
		if (!dataset_class_by_id(&it->ds, want[i])) {
			cli_errorf("%s: class id %d could not be added (taken by another name, or another pxlabel.ini "
			    "nearer?)", mask, want[i]);
			goto out;
		}
	if (!o->quiet)
		cli_line(stderr, "pxlabel: %s: %zu class%s added", ini, k, k == 1 ? "" : "es");
	rc = 0;
out:
	for (i = 0; i < k; i++)
		free(labels[i]);
	free(ini);
	return rc;
}

static int import_mask_one(const char *mask, const struct import_opts *o)
{
	uint16_t *cv = NULL, *iv = NULL;
	uint8_t *cls = NULL;
	char *cause = NULL, *stem = NULL, *image = mask_image(mask, o, &stem), *inst_path = NULL;
	struct item it;
	struct doc *doc = NULL;
	int w, h, iw, ih, rc = -1, iw_ok = 1;
	size_t i, n;

	if (!image) {
		free(stem);
		return -1;
	}
	if (item_open(&it, image, &o->lim, 1, &cause) != 0) {
		cli_error(cause);
		free(image);
		free(stem);
		return -1;
	}
	if (o->instances) {
		char *dir = interop_dirname(mask);

		inst_path = xasprintf("%s/%s%s", dir, stem, o->instances);
		free(dir);
	} else if (ends_with(mask, paths_default_suffixes.labels)) {
		inst_path = xasprintf("%.*s%s", (int)(strlen(mask) - strlen(paths_default_suffixes.labels)), mask,
		    paths_default_suffixes.instances);
		if (access(inst_path, F_OK) != 0) {
			free(inst_path);
			inst_path = NULL;
		}
	}
	if (pngio_read_values(mask, &o->lim, &cv, &w, &h, &cause) != 0 ||
	    (inst_path && pngio_read_values(inst_path, &o->lim, &iv, &iw, &ih, &cause) != 0)) {
		cli_error(cause);
		goto out;
	}
	if (inst_path && (iw != w || ih != h))
		iw_ok = 0;
	if (image_size(image, w, h, mask, o, &iw, &ih) != 0 || !iw_ok) {
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
	if (mask_classes(&it, image, mask, cls, n, o) != 0)
		goto out;
	if (interop_doc_from_masks(cls, iv, w, h, &doc, &cause) != 0) {
		char *c = cause;

		cli_errorf("%s: %s", inst_path ? inst_path : mask, c);
		free(c);
		goto out;
	}
	rc = save_doc(&it, doc, o);
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

static int import_masks(char **args, size_t nargs, const struct import_opts *o, struct tally *t)
{
	size_t i;

	for (i = 0; i < nargs; i++) {
		cli_progress(i, nargs, paths_base(args[i]));
		if (import_mask_one(args[i], o) != 0)
			t->failed++;
		else
			t->done++;
	}
	cli_progress(nargs, nargs, NULL);
	return 0;
}

/* ---- the command ----------------------------------------------------------------------------- */

static const char import_usage[] =
    "Usage: pxlabel import labelme [OPTION]... FILE.json|DIR...\n"
    "       pxlabel import coco --images DIR [OPTION]... FILE.json...\n"
    "       pxlabel import mask [OPTION]... MASK.png...\n"
    "Turns other tools' annotations into outlines (NAME.pxl.json) and masks next to the images.\n"
    "\n"
    "  --add-classes        add the classes pxlabel.ini lacks (default: name them and skip\n"
    "                       the image)\n"
    "  --replace            replace outlines an image already has (default: refuse)\n"
    "  --append             put the imported instances over the outlines already there\n"
    "  -q, --quiet          no warnings, no summary\n"
    "  --max-pixels N, --max-file-size BYTES   image limits\n"
    "labelme:\n"
    "  --root DIR           the data set's folder: imagePath must stay inside it\n"
    "                       (default: the folder of each JSON file)\n"
    "  --line-width PX      width of line and linestrip shapes (default 10, as LabelMe)\n"
    "coco:\n"
    "  --images DIR         the folder that file_name is relative to (required)\n"
    "  --shard I/N          only images whose index modulo N is I (job arrays)\n"
    "mask:\n"
    "  --images DIR         where the images are (default: the mask's folder); the image is\n"
    "                       the mask's name less .labels.png or its extension, .png/.jpg\n"
    "  --instances SUFFIX   the instance mask of NAME is NAME+SUFFIX beside the class mask\n"
    "                       (default: NAME.instances.png beside NAME.labels.png, if there)\n";

int cmd_import(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "add-classes", no_argument, NULL, 'a' },
		{ "replace", no_argument, NULL, 'r' },
		{ "append", no_argument, NULL, 'A' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "root", required_argument, NULL, 'R' },
		{ "images", required_argument, NULL, 'I' },
		{ "instances", required_argument, NULL, 'i' },
		{ "line-width", required_argument, NULL, 'w' },
		{ "shard", required_argument, NULL, 's' },
		{ "max-pixels", required_argument, NULL, 'P' },
		{ "max-file-size", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o;
	struct tally t = { 0, 0, 0 };
	const char *kind;
	char *end;
	double lw;
	int c, idx, rc;

	memset(&o, 0, sizeof(o));
	img_limits_default(&o.lim);
	o.line_width = LABELME_LINE_WIDTH;
	o.nshards = 1;
	optind = 0;
	while ((c = getopt_long(argc, argv, "qh", longopts, &idx)) != -1) {
		switch (c) {
		case 'a':
			o.add_classes = 1;
			break;
		case 'r':
			o.replace = 1;
			break;
		case 'A':
			o.append = 1;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'R':
			o.root = optarg;
			break;
		case 'I':
			o.images = optarg;
			break;
		case 'i':
			o.instances = optarg;
			break;
		case 'w':
			lw = strtod(optarg, &end);
			if (*end || !(lw > 0) || lw > 10000) {
				cli_errorf("--line-width needs a width in pixels, not '%s'", optarg);
				return EXIT_USAGE;
			}
			o.line_width = (int32_t)(lw * RASTER_ONE + 0.5);
			break;
		case 's':
			if (sscanf(optarg, "%ld/%ld", &o.shard, &o.nshards) != 2 || o.nshards < 1 || o.shard < 0 ||
			    o.shard >= o.nshards) {
				cli_errorf("--shard needs I/N with 0 <= I < N, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P':
		case 'F':
			if (cli_limit_option(longopts[idx].name, optarg, &o.lim) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(import_usage, stdout);
			return 0;
		default:
			fputs("Try 'pxlabel import --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (o.replace && o.append) {
		cli_errorf("--replace and --append exclude each other");
		return EXIT_USAGE;
	}
	if (optind + 1 >= argc) {
		cli_errorf("import needs a format (labelme, coco or mask) and files. Try 'pxlabel import --help'.");
		return EXIT_USAGE;
	}
	kind = argv[optind++];
	if (!strcmp(kind, "labelme"))
		rc = import_labelme(argv + optind, (size_t)(argc - optind), &o, &t);
	else if (!strcmp(kind, "coco"))
		rc = import_coco(argv + optind, (size_t)(argc - optind), &o, &t);
	else if (!strcmp(kind, "mask"))
		rc = import_masks(argv + optind, (size_t)(argc - optind), &o, &t);
	else {
		cli_errorf("unknown format '%s': labelme, coco or mask", kind);
		return EXIT_USAGE;
	}
	if (rc == -2)
		return EXIT_USAGE;
	if (!o.quiet)
		fprintf(stderr, "pxlabel: imported %zu image%s (%zu without annotations, %zu failed)\n", t.done,
		    t.done == 1 ? "" : "s", t.skipped, t.failed);
	return rc != 0 || t.failed ? 1 : 0;
}
