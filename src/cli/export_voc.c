/* export_voc.c: `pxlabel export voc`: Pascal VOC's folders (SegmentationClass,
 * SegmentationObject, JPEGImages, ImageSets/Segmentation, class_names.txt), one set of files
 * per image, so that runs can be spread over processes; the lists are written from what
 * SegmentationClass/ holds at the end (or alone, with --lists-only). The masks and colour map
 * are voc.c's. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "cli.h"
#include "dataset.h"
#include "export.h"
#include "paths.h"
#include "pngio.h"
#include "voc.h"
#include "xalloc.h"

struct voc_export {
	int class_colours, lists_only, val;
	struct export_placing place;
	char **voids; /* class names, borrowed from the command line */
	size_t nvoids;
	uint8_t *void_seen; /* per name: whether some image's data set has it */
	/* VOC's one flat folder: per image of the run, the image before it in the arguments (with
	 * outlines) that has its name already, or NULL; so that a second image of one name is
	 * refused rather than written over the first. Found before the images are worked on, over
	 * all the images of the arguments: the same answer on threads and in every shard. */
	const char **taken_by;
	size_t not_jpeg;    /* images linked under another name than NAME.jpg */
	size_t listed, in_val; /* what the lists hold */
};

/* Whether image has outlines (its data set says what its sidecar is called). */
static int has_outlines(const char *image)
{
	struct dataset ds;
	struct stat st;
	char *cause = NULL, *sidecar;
	int rc;

	if (dataset_load(image, &ds, &cause) != 0) {
		free(cause);
		return 1; /* item_open will say what is wrong with it */
	}
	sidecar = paths_derived(image, ds.sidecar_suffix);
	rc = stat(sidecar, &st) == 0;
	free(sidecar);
	dataset_free(&ds);
	return rc;
}

struct stem_of {
	char *stem;
	size_t i;
};

static int cmp_stem_of(const void *a, const void *b)
{
	const struct stem_of *x = a, *y = b;
	int c = strcmp(x->stem, y->stem);

	return c ? c : x->i < y->i ? -1 : x->i > y->i;
}

/* e->taken_by for the images of run, from every image of the arguments. */
static void voc_names_taken(struct voc_export *e, const struct export_run *run)
{
	struct stem_of *s = xcalloc(run->nall + 1, sizeof(*s));
	const char **by = xcalloc(run->nall + 1, sizeof(char *));
	size_t i, j, k;

	for (i = 0; i < run->nall; i++)
		s[i] = (struct stem_of){ export_stem(run->all[i]), i };
	if (run->nall)
		qsort(s, run->nall, sizeof(*s), cmp_stem_of);
	for (i = 0; i < run->nall; i = j) {
		const char *owner = NULL;

		for (j = i + 1; j < run->nall && !strcmp(s[j].stem, s[i].stem); j++)
			;
		if (j - i < 2)
			continue;
		/* Only images with outlines count: the others are skipped anyway. */
		for (k = i; k < j; k++) {
			if (owner)
				by[s[k].i] = owner;
			else if (has_outlines(run->all[s[k].i]))
				owner = run->all[s[k].i];
		}
	}
	e->taken_by = xcalloc(run->n + 1, sizeof(char *));
	for (i = 0; i < run->n; i++)
		e->taken_by[i] = by[run->index[i]];
	for (i = 0; i < run->nall; i++)
		free(s[i].stem);
	free(s);
	free(by);
}

static const struct option voc_options[] = {
	{ "class-colours", no_argument, NULL, 'c' },
	{ "class-colors", no_argument, NULL, 'c' },
	{ "copy", no_argument, NULL, 'C' },
	{ "jpeg", no_argument, NULL, 'J' },
	{ "jpeg-quality", required_argument, NULL, 'Q' },
	{ "void", required_argument, NULL, 'v' },
	{ "val", required_argument, NULL, 'V' },
	{ "lists-only", no_argument, NULL, 'L' },
	{ NULL, 0, NULL, 0 },
};

static void *voc_new(void)
{
	struct voc_export *e = xcalloc(1, sizeof(*e));

	e->place.jpeg_quality = 95;
	return e;
}

static int voc_option(void *st, int val, const char *arg)
{
	struct voc_export *e = st;

	switch (val) {
	case 'c':
		e->class_colours = 1;
		break;
	case 'C':
		e->place.copy = 1;
		break;
	case 'J':
		e->place.as_jpeg = 1;
		break;
	case 'Q':
		return export_int_option("jpeg-quality", arg, 1, 100, "a number", &e->place.jpeg_quality);
	case 'v':
		e->voids = xreallocarray(e->voids, e->nvoids + 1, sizeof(char *));
		e->voids[e->nvoids++] = (char *)arg;
		break;
	case 'V':
		return export_int_option("val", arg, 0, 100, "a percentage", &e->val);
	case 'L':
		e->lists_only = 1;
		break;
	}
	return 0;
}

static void voc_free(void *st)
{
	struct voc_export *e = st;

	free(e->taken_by);
	free(e->voids);
	free(e->void_seen);
	free(e);
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* class_names.txt and ImageSets/Segmentation/{train,val,trainval}.txt, from what
 * SegmentationClass/ holds now (so that runs spread over processes end with complete lists).
 * Sets how many images the lists hold, and how many of them are in val. */
static int voc_lists(struct voc_export *e, const struct export_run *run)
{
	const struct export_classes *k = &run->classes;
	struct {
		char *data;
		size_t len;
	} f[3] = { { NULL, 0 } };
	static const char *const names[3] = { "train", "val", "trainval" };
	char *dir = xasprintf("%s/SegmentationClass", run->out), *cause = NULL, **stems = NULL, *p;
	size_t n = 0, i;
	int max = 0, id, rc = 0;
	struct dirent *d_ent;
	DIR *d;
	FILE *mem;

	d = opendir(dir);
	if (!d) {
		cli_errorf("%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	while ((d_ent = readdir(d))) {
		size_t len = strlen(d_ent->d_name);

		if (d_ent->d_name[0] == '.' || len < 5 || strcmp(d_ent->d_name + len - 4, ".png"))
			continue;
		if (strpbrk(d_ent->d_name, "\n\r")) {
			/* A list is one name a line: this one cannot be a line. */
			cli_warn(xasprintf("%s/%s: left out of the lists in ImageSets/: a line break in its name", dir,
			    d_ent->d_name));
			continue;
		}
		stems = xreallocarray(stems, n + 1, sizeof(char *));
		stems[n++] = xasprintf("%.*s", (int)(len - 4), d_ent->d_name);
	}
	closedir(d);
	free(dir);
	if (n) /* qsort's base must not be NULL, even for nothing */
		qsort(stems, n, sizeof(char *), cmp_str);
	e->listed = n;
	e->in_val = 0;
	for (size_t s = 0; s < n; s++)
		e->in_val += voc_is_val(stems[s], e->val) == 1;
	for (i = 0; i < 3; i++) {
		mem = open_memstream(&f[i].data, &f[i].len);
		for (size_t s = 0; s < n; s++)
			if (i == 2 || voc_is_val(stems[s], e->val) == (int)i)
				fprintf(mem, "%s\n", stems[s]);
		fclose(mem);
		p = xasprintf("%s/ImageSets/Segmentation/%s.txt", run->out, names[i]);
		if (afile_write(p, f[i].data, f[i].len, &cause) != 0) {
			cli_error(cause);
			cause = NULL;
			rc = -1;
		}
		free(p);
		free(f[i].data);
	}
	for (i = 0; i < n; i++)
		free(stems[i]);
	free(stems);
	/* Line i names class i; 0 is the background, as in LabelMe's VOC export. */
	for (id = 1; id < 256; id++)
		if (k->name[id])
			max = id;
	{
		char *data = NULL;
		size_t len = 0;

		mem = open_memstream(&data, &len);
		fputs("_background_\n", mem);
		for (id = 1; id <= max; id++)
			if (k->name[id])
				fprintf(mem, "%s\n", k->name[id]);
			else
				fprintf(mem, "class %d\n", id);
		fclose(mem);
		p = xasprintf("%s/class_names.txt", run->out);
		if (afile_write(p, data, len, &cause) != 0) {
			cli_error(cause);
			rc = -1;
		}
		free(p);
		free(data);
	}
	return rc;
}

/* The folders; with --lists-only, the lists from the masks already there and the classes of
 * the data set of the first argument. */
static int voc_begin(void *st, struct export_run *run)
{
	static const char *const sub[4] = { "SegmentationClass", "SegmentationObject", "ImageSets/Segmentation",
		"JPEGImages" };
	struct voc_export *e = st;
	char *cause = NULL;
	int bad = 0;
	size_t i;

	if (e->lists_only) {
		/* The lists are of masks already there: none there is a mistaken -o, not 0 images. */
		char *p = xasprintf("%s/SegmentationClass", run->out);
		struct stat sb;
		int there = stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);

		free(p);
		if (!there) {
			cli_errorf("%s has no SegmentationClass/: --lists-only lists the masks of an earlier export there",
			    run->out);
			return -1;
		}
	}
	for (i = 0; i < 4; i++) {
		char *p = xasprintf("%s/%s", run->out, sub[i]);

		if (export_mkdirs(p, &cause) != 0) {
			cli_error(cause);
			cause = NULL;
			bad = 1;
		}
		free(p);
	}
	if (bad)
		return -1;
	if (e->lists_only) {
		struct dataset ds;

		if (dataset_load(run->args[0], &ds, &cause) != 0) {
			cli_error(cause);
			return -1;
		}
		for (i = 0; i < ds.nclasses; i++)
			if (!run->classes.name[ds.classes[i].id])
				run->classes.name[ds.classes[i].id] = xstrdup(ds.classes[i].name);
		dataset_free(&ds);
		return voc_lists(e, run) != 0 ? -1 : 1;
	}
	if (export_collect(run) != 0)
		return -1;
	e->void_seen = xcalloc(e->nvoids + 1, 1);
	voc_names_taken(e, run);
	return 0;
}

/* JPEGImages/NAME.jpg (or the image's own extension): with --jpeg always NAME.jpg, the name
 * torchvision's VOCSegmentation and mmsegmentation open. */
static int voc_place(struct voc_export *e, const struct export_item *x, const char *stem, char **cause)
{
	const struct item *it = x->it;
	char *dst = xasprintf("%s/JPEGImages/%s", x->run->out, stem);
	const char *dot = strrchr(paths_base(it->image), '.');
	int rc = export_place_image(it, dst, &e->place, &x->run->lim, cause);

	/* What a torchvision user would trip on: said once, at the end */
	if (!e->place.as_jpeg && (!it->info.jpeg || !dot || strcmp(dot, ".jpg")))
		__atomic_fetch_add(&e->not_jpeg, 1, __ATOMIC_RELAXED); /* images run on -j threads */
	free(dst);
	return rc;
}

static int voc_image(void *st, const struct export_item *x, void *res, char **cause)
{
	struct voc_export *e = st;
	const struct item *it = x->it;
	const struct compose *c;
	struct pngio_rgb palette[256], voc[256];
	uint8_t is_void[256], cls_of[65536], obj_of[65536];
	const char *other = e->taken_by[x->i];
	char *stem = export_stem(x->image), *p, *why = NULL;
	int nobj, rc = -1;

	if (other) {
		*cause = xasprintf("%s and %s would both be %s in VOC's one folder: rename one (%s skipped)", other,
		    x->image, stem, x->image);
		goto out;
	}
	if (!(c = export_compose(x, cause)))
		goto out;
	export_class_set(it, e->voids, e->nvoids, is_void, e->void_seen);
	{ /* LabelMe's void label is void whatever else --void names */
		const struct dataset_class *ig = dataset_class_by_name(&it->ds, "__ignore__");

		if (ig)
			is_void[ig->id] = 1;
	}
	voc_colormap(voc);
	if (e->class_colours) {
		item_palette(it, palette);
		palette[VOC_VOID] = voc[VOC_VOID];
	} else {
		memcpy(palette, voc, sizeof(voc));
	}
	/* Both masks are written from the instance mask through these tables: no 8-bit copies. */
	if (voc_maps(c, it->doc, is_void, cls_of, obj_of, &nobj, &why) != 0) {
		*cause = xasprintf("%s: %s", it->image, why);
		free(why);
		goto out;
	}
	p = xasprintf("%s/SegmentationClass/%s.png", x->run->out, stem);
	rc = pngio_write_palette8_mapped(p, c->ids, cls_of, c->w, c->h, palette, 256, cause);
	free(p);
	if (rc == 0) {
		p = xasprintf("%s/SegmentationObject/%s.png", x->run->out, stem);
		rc = pngio_write_palette8_mapped(p, c->ids, obj_of, c->w, c->h, voc, 256, cause);
		free(p);
	}
	if (rc == 0)
		rc = voc_place(e, x, stem, cause);
out:
	free(stem);
	return rc;
}

static int voc_finish(void *st, struct export_run *run)
{
	struct voc_export *e = st;

	if (voc_lists(e, run) != 0)
		return -1;
	if (export_check_seen("--void", e->voids, e->nvoids, e->void_seen) != 0)
		run->tally.failed++;
	return 0;
}

static void voc_notes(void *st, const struct export_run *run)
{
	struct voc_export *e = st;

	fprintf(stderr, "pxlabel: the VOC lists hold %zu image%s, %zu in val.txt", e->listed, e->listed == 1 ? "" : "s",
	    e->in_val);
	if (!e->lists_only && e->listed > run->tally.done)
		fprintf(stderr, " (%zu not from this run: masks already in %s)", e->listed - run->tally.done, run->out);
	fputs("\n", stderr);
	if (e->val && e->in_val == 0 && e->listed)
		fprintf(stderr, "pxlabel: note: --val %d picked none of %zu images (the split goes by a hash of the name)\n",
		    e->val, e->listed);
	if (e->not_jpeg)
		fprintf(stderr, "pxlabel: note: %zu image%s in JPEGImages/ under another name than NAME.jpg; "
				"torchvision's VOCSegmentation and mmsegmentation open NAME.jpg only (--jpeg)\n",
		    e->not_jpeg, e->not_jpeg == 1 ? " is" : "s are");
}

const struct exporter export_voc = {
	.f = {
		.name = "voc",
		.options = voc_options,
		.help =
		    "  --class-colours      SegmentationClass palette from the class colours (default: VOC's)\n"
		    "  --copy               copy the images into JPEGImages/ (default: symbolic links);\n"
		    "                       also cityscapes --tree's leftImg8bit/\n"
		    "  --jpeg               every image as JPEGImages/NAME.jpg, as VOC loaders expect: JPEGs\n"
		    "                       linked or copied, other images encoded (an image with an EXIF\n"
		    "                       orientation is always written upright)\n"
		    "  --jpeg-quality N     quality of the JPEGs written (default 95)\n"
		    "  --void CLASS         pixels of CLASS become 255, void, as __ignore__'s always are (repeatable)\n"
		    "  --val PERCENT        share of images listed in val.txt, by a hash of the name (default 0)\n"
		    "  --lists-only         only write class_names.txt and ImageSets/ from OUT's masks\n",
		.new_state = voc_new,
		.option = voc_option,
		.free_state = voc_free,
	},
	.flags = EXPORT_FOLDER | EXPORT_FLAT,
	.begin = voc_begin,
	.image = voc_image,
	.finish = voc_finish,
	.notes = voc_notes,
};
