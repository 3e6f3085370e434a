/* cmd_export.c: `pxlabel export coco|voc|labelme|cityscapes DIR... -o OUT`: the outlines of a
 * data set, composed into exact masks, in the formats training code reads. Image by image:
 * voc, labelme and cityscapes write one set of files per image (runs can be spread over
 * processes; `export voc --lists-only` then writes the lists), coco one file for the run. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "cityscapes.h"
#include "cli.h"
#include "coco.h"
#include "compose.h"
#include "interop.h"
#include "item.h"
#include "labelme.h"
#include "paths.h"
#include "pngio.h"
#include "voc.h"
#include "xalloc.h"

enum format { COCO, VOC, LABELME, CITYSCAPES };

struct export_opts {
	enum format fmt;
	const char *out, *base;
	int rle, class_colours, copy, jpeg, jpeg_quality, tree, val, lists_only, quiet;
	int32_t line_width;
	char **voids, **stuff; /* class names */
	size_t nvoids, nstuff;
	uint8_t *void_seen, *stuff_seen; /* per name: whether some image's data set has it */
	struct img_limits lim;
	size_t not_jpeg;                 /* voc: images linked under another name than NAME.jpg */
	int warned_tree;
};

/* Everything a run learns about classes, for categories and class_names.txt. */
struct classes {
	char *name[256];
	char *parent[256];
};

static void classes_note(struct classes *k, const struct item *it)
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

static void classes_free(struct classes *k)
{
	int i;

	for (i = 0; i < 256; i++) {
		free(k->name[i]);
		free(k->parent[i]);
	}
}

static int mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = -1;
	if (rc != 0)
		cli_errorf("%s: cannot make the folder: %s", p, strerror(errno));
	free(p);
	return rc;
}

/* The image's name without folder and extension. */
static char *stem_of(const char *image)
{
	char *full = paths_derived(paths_base(image), "");

	return full;
}

/* set[id] = 1 for the classes named in list (per image: each has its own pxlabel.ini); seen[i]
 * = 1 for the names found. */
static void class_set(const struct item *it, char **list, size_t n, uint8_t *set, uint8_t *seen)
{
	size_t i;

	memset(set, 0, 256);
	for (i = 0; i < n; i++) {
		const struct dataset_class *c = dataset_class_by_name(&it->ds, list[i]);

		if (c) {
			set[c->id] = 1;
			seen[i] = 1;
		}
	}
}

/* A --void or --stuff name that no image's data set has is a typo that would quietly train on
 * what was meant to be left out: an error, after the run (the data sets are read image by
 * image). */
static int check_seen(const char *opt, char **list, size_t n, const uint8_t *seen)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (!seen[i]) {
			cli_errorf("%s %s: no class of that name in the data set's pxlabel.ini", opt, list[i]);
			rc = -1;
		}
	return rc;
}

static int copy_file(const char *from, const char *to)
{
	char buf[1 << 16], *cause = NULL;
	struct afile af;
	FILE *in = fopen(from, "rb");
	size_t n;

	if (!in) {
		cli_errorf("%s: %s", from, strerror(errno));
		return -1;
	}
	if (afile_open(&af, to, &cause) != 0) {
		fclose(in);
		cli_error(cause);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, af.fp) != n)
			break;
	if (ferror(in) || ferror(af.fp)) {
		cli_errorf("%s: copy failed: %s", to, strerror(errno));
		fclose(in);
		afile_abort(&af);
		return -1;
	}
	fclose(in);
	if (afile_commit(&af, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	return 0;
}

/* dst: a symbolic link to the image (absolute), left alone when it is one already. */
static int link_image(const char *image, const char *dst)
{
	char *target = realpath(image, NULL), cur[4096];
	ssize_t n;
	int rc = 0;

	if (!target) {
		cli_errorf("%s: %s", image, strerror(errno));
		return -1;
	}
	n = readlink(dst, cur, sizeof(cur) - 1);
	if (n >= 0) {
		cur[n] = '\0';
		if (!strcmp(cur, target))
			goto out; /* already there */
	}
	if (n >= 0 || access(dst, F_OK) == 0)
		unlink(dst);
	if (symlink(target, dst) != 0 && errno != EEXIST) {
		cli_errorf("%s: %s", dst, strerror(errno));
		rc = -1;
	}
out:
	free(target);
	return rc;
}

/* The image as DST (a path less its extension) + its own extension, for readers that open the
 * pixels as stored, EXIF orientation ignored (PIL's Image.open does), beside masks that follow
 * the upright image: an image with an orientation other than 1 is written upright, as a JPEG
 * (a PNG when it is one and as_jpeg is off). With as_jpeg it is always DST.jpg. Anything else
 * is linked, or copied with --copy; so is a 16-bit TIFF always, whose values an 8-bit JPEG or
 * PNG would lose. */
static int place_image(const struct item *it, const char *dst, int as_jpeg, const struct export_opts *o)
{
	const char *image = it->image, *dot = strrchr(paths_base(image), '.');
	const struct img_info info = it->info;
	int keep16 = info.tiff && info.bits == 16;
	struct img_load_opts lo;
	struct img *im = NULL;
	char *path = NULL, *cause = NULL;
	int rc = -1;

	if (keep16 || (info.orientation == 1 && (info.jpeg || !as_jpeg))) {
		path = xasprintf("%s%s", dst, as_jpeg && !keep16 ? ".jpg" : dot ? dot : "");
		rc = o->copy ? copy_file(image, path) : link_image(image, path);
		if (keep16 && info.orientation != 1)
			cli_warn(xasprintf("%s: a 16-bit TIFF with orientation %d is placed as stored; a reader "
					   "that ignores the Orientation tag sees it turned against its masks",
			    image, info.orientation));
		goto out;
	}
	img_load_opts_default(&lo);
	lo.limits = o->lim;
	if (!(im = img_load(image, &lo, &cause))) {
		cli_error(cause);
		goto out;
	}
	if (info.jpeg || as_jpeg) {
		path = xasprintf("%s.jpg", dst);
		rc = img_save_jpeg(im, path, o->jpeg_quality, &cause);
	} else {
		path = xasprintf("%s.png", dst);
		rc = pngio_write_rgb8(path, im->rgb, im->w, im->h, &cause);
	}
	if (rc != 0)
		cli_error(cause);
out:
	img_free(im);
	free(path);
	return rc;
}

/* JPEGImages/NAME.jpg (or the image's own extension): with --jpeg always NAME.jpg, the name
 * torchvision's VOCSegmentation and mmsegmentation open. */
static int voc_image(const struct item *it, const char *stem, struct export_opts *o)
{
	char *dst = xasprintf("%s/JPEGImages/%s", o->out, stem);
	const char *dot = strrchr(paths_base(it->image), '.');
	int rc = place_image(it, dst, o->jpeg, o);

	/* What a torchvision user would trip on: said once, at the end */
	if (!o->jpeg && (!it->info.jpeg || !dot || strcmp(dot, ".jpg")))
		o->not_jpeg++;
	free(dst);
	return rc;
}

static int export_voc_one(const struct item *it, const struct compose *c, struct export_opts *o)
{
	struct pngio_rgb palette[256], voc[256];
	uint8_t is_void[256], cls_of[65536], obj_of[65536];
	char *stem = stem_of(it->image), *p, *cause = NULL;
	int nobj, rc = -1;

	class_set(it, o->voids, o->nvoids, is_void, o->void_seen);
	{ /* LabelMe's void label is void whatever else --void names */
		const struct dataset_class *ig = dataset_class_by_name(&it->ds, "__ignore__");

		if (ig)
			is_void[ig->id] = 1;
	}
	voc_colormap(voc);
	if (o->class_colours) {
		item_palette(it, palette);
		palette[VOC_VOID] = voc[VOC_VOID];
	} else {
		memcpy(palette, voc, sizeof(voc));
	}
	/* Both masks are written from the instance mask through these tables: no 8-bit copies. */
	if (voc_maps(c, it->doc, is_void, cls_of, obj_of, &nobj, &cause) != 0) {
		cli_errorf("%s: %s", it->image, cause);
		free(cause);
		goto out;
	}
	p = xasprintf("%s/SegmentationClass/%s.png", o->out, stem);
	rc = pngio_write_palette8_mapped(p, c->ids, cls_of, c->w, c->h, palette, 256, &cause);
	free(p);
	if (rc == 0) {
		p = xasprintf("%s/SegmentationObject/%s.png", o->out, stem);
		rc = pngio_write_palette8_mapped(p, c->ids, obj_of, c->w, c->h, voc, 256, &cause);
		free(p);
	}
	if (rc != 0)
		cli_error(cause);
	else
		rc = voc_image(it, stem, o);
out:
	free(stem);
	return rc;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }


/* class_names.txt and ImageSets/Segmentation/{train,val,trainval}.txt, from what
 * SegmentationClass/ holds now (so that runs spread over processes end with complete lists).
 * Sets how many images the lists hold, and how many of them are in val. */
static int voc_lists(const struct classes *k, const struct export_opts *o, size_t *listed, size_t *in_val)
{
	struct {
		char *data;
		size_t len;
	} f[3] = { { NULL, 0 } };
	static const char *const names[3] = { "train", "val", "trainval" };
	char *dir = xasprintf("%s/SegmentationClass", o->out), *cause = NULL, **stems = NULL, *p;
	size_t n = 0, i;
	int max = 0, id, rc = 0;
	struct dirent *e;
	DIR *d;
	FILE *mem;

	d = opendir(dir);
	if (!d) {
		cli_errorf("%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".png"))
			continue;
		stems = xreallocarray(stems, n + 1, sizeof(char *));
		stems[n++] = xasprintf("%.*s", (int)(len - 4), e->d_name);
	}
	closedir(d);
	free(dir);
	qsort(stems, n, sizeof(char *), cmp_str);
	*listed = n;
	*in_val = 0;
	for (size_t s = 0; s < n; s++)
		*in_val += voc_is_val(stems[s], o->val) == 1;
	for (i = 0; i < 3; i++) {
		mem = open_memstream(&f[i].data, &f[i].len);
		for (size_t s = 0; s < n; s++)
			if (i == 2 || voc_is_val(stems[s], o->val) == (int)i)
				fprintf(mem, "%s\n", stems[s]);
		fclose(mem);
		p = xasprintf("%s/ImageSets/Segmentation/%s.txt", o->out, names[i]);
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
		p = xasprintf("%s/class_names.txt", o->out);
		if (afile_write(p, data, len, &cause) != 0) {
			cli_error(cause);
			rc = -1;
		}
		free(p);
		free(data);
	}
	return rc;
}

static int export_cityscapes_one(const struct item *it, const struct compose *c, const char *rel_dir,
    struct export_opts *o)
{
	struct pngio_rgb palette[256];
	uint8_t is_stuff[256], *rgb = NULL;
	uint16_t *inst = xmalloc((size_t)c->w * c->h * sizeof(uint16_t));
	char *stem = cityscapes_stem(it->image), *p, *cause = NULL;
	char *dir = xasprintf(o->tree ? "%s/gtFine/%s" : "%s/%s", o->out, rel_dir);
	int rc = -1;

	class_set(it, o->stuff, o->nstuff, is_stuff, o->stuff_seen);
	if (mkdirs(dir) != 0)
		goto out;
	if (o->tree && !o->warned_tree && (!strcmp(rel_dir, ".") || !strchr(rel_dir, '/'))) {
		cli_warn(xasprintf("%s is not in a SPLIT/CITY folder: torchvision's Cityscapes reads "
				   "leftImg8bit/SPLIT/CITY/ only", it->image));
		o->warned_tree = 1;
	}
	if (o->tree) { /* the image beside, in the tree Cityscapes readers walk */
		char *idir = xasprintf("%s/leftImg8bit/%s", o->out, rel_dir), *dst;

		dst = xasprintf("%s/%s_leftImg8bit", idir, stem);
		rc = mkdirs(idir) != 0 ? -1 : place_image(it, dst, 0, o);
		free(dst);
		free(idir);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	if (cityscapes_instance_ids(c, it->doc, is_stuff, inst, &cause) != 0) {
		cli_errorf("%s: %s", it->image, cause);
		free(cause);
		goto out;
	}
	p = xasprintf("%s/%s_gtFine_labelIds.png", dir, stem);
	rc = pngio_write_gray8(p, c->cls, c->w, c->h, &cause);
	free(p);
	if (rc == 0) {
		p = xasprintf("%s/%s_gtFine_instanceIds.png", dir, stem);
		rc = pngio_write_gray16(p, inst, c->w, c->h, &cause);
		free(p);
	}
	if (rc == 0) {
		item_palette(it, palette);
		rgb = xmalloc((size_t)c->w * c->h * 3);
		cityscapes_colour(c, palette, rgb);
		p = xasprintf("%s/%s_gtFine_color.png", dir, stem);
		rc = pngio_write_rgb8(p, rgb, c->w, c->h, &cause);
		free(p);
	}
	if (rc != 0)
		cli_error(cause);
out:
	free(rgb);
	free(inst);
	free(stem);
	free(dir);
	return rc;
}

static int export_labelme_one(const struct item *it, const char *rel, const struct export_opts *o)
{
	const char *names[256];
	char bufs[256][32];
	char *json = paths_derived(rel, ".json"), *path = xasprintf("%s/%s", o->out, json), *dir, *image_rel,
	     *cause = NULL;
	int id, rc = -1;

	for (id = 0; id < 256; id++)
		names[id] = item_class_name(it, id, bufs[id], sizeof(bufs[id]));
	dir = interop_dirname(path);
	if (mkdirs(dir) == 0) {
		image_rel = interop_relpath(dir, it->image);
		rc = labelme_write(path, it->doc, image_rel, names, o->line_width, &cause);
		if (rc != 0)
			cli_error(cause);
		free(image_rel);
	}
	free(dir);
	free(json);
	free(path);
	return rc;
}

/* VOC's one flat folder: the names exported so far in this run, so that a second image of one
 * name is refused rather than written over the first. Only images with outlines count (the
 * others are skipped anyway). Open addressing; cap a power of two above twice the images. */
struct stemset {
	struct stem_entry {
		char *stem; /* owned */
		const char *image;
	} *slot;
	size_t cap;
};

static void stemset_init(struct stemset *s, size_t n)
{
	s->cap = 16;
	while (s->cap < 2 * n + 2)
		s->cap *= 2;
	s->slot = xcalloc(s->cap, sizeof(*s->slot));
}

/* Adds stem (taken) for image; returns the image that already has it, or NULL. */
static const char *stemset_add(struct stemset *s, char *stem, const char *image)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (const char *p = stem; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	for (i = (size_t)h & (s->cap - 1); s->slot[i].stem; i = (i + 1) & (s->cap - 1))
		if (!strcmp(s->slot[i].stem, stem)) {
			free(stem);
			return s->slot[i].image;
		}
	s->slot[i].stem = stem;
	s->slot[i].image = image;
	return NULL;
}

static void stemset_free(struct stemset *s)
{
	for (size_t i = 0; s->slot && i < s->cap; i++)
		free(s->slot[i].stem);
	free(s->slot);
	s->slot = NULL;
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

static const char export_usage[] =
    "Usage: pxlabel export coco|voc|labelme|cityscapes [OPTION]... IMAGE|DIR... -o OUT\n"
    "Writes the outlines of a data set as masks and files that training code reads.\n"
    "\n"
    "  -o, --output OUT     coco: the JSON file; the others: a folder\n"
    "  --base DIR           image paths are written relative to DIR (default: the first\n"
    "                       argument when it is a folder, else its folder)\n"
    "  -q, --quiet          no summary\n"
    "  --max-pixels N, --max-file-size BYTES   image limits\n"
    "coco:\n"
    "  --rle                segmentation as compressed RLE (default: pixel-edge polygons)\n"
    "voc:\n"
    "  --class-colours      SegmentationClass palette from the class colours (default: VOC's)\n"
    "  --copy               copy the images into JPEGImages/ (default: symbolic links);\n"
    "                       also cityscapes --tree's leftImg8bit/\n"
    "  --jpeg               every image as JPEGImages/NAME.jpg, as VOC loaders expect: JPEGs\n"
    "                       linked or copied, other images encoded (an image with an EXIF\n"
    "                       orientation is always written upright)\n"
    "  --jpeg-quality N     quality of the JPEGs written (default 95)\n"
    "  --void CLASS         pixels of CLASS become 255, void, as __ignore__'s always are (repeatable)\n"
    "  --val PERCENT        share of images listed in val.txt, by a hash of the name (default 0)\n"
    "  --lists-only         only write class_names.txt and ImageSets/ from OUT's masks\n"
    "labelme:\n"
    "  --line-width PX      strokes of this width become lines (default 10, as LabelMe)\n"
    "cityscapes:\n"
    "  --stuff CLASS        CLASS has no instances: instanceIds holds its class id (repeatable)\n"
    "  --tree               masks under OUT/gtFine/ and the images linked (or with --copy copied)\n"
    "                       under OUT/leftImg8bit/ as NAME_leftImg8bit: the tree torchvision's\n"
    "                       Cityscapes reads; give it folders as split/city\n";

int cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "base", required_argument, NULL, 'b' },
		{ "rle", no_argument, NULL, 'r' },
		{ "class-colours", no_argument, NULL, 'c' },
		{ "class-colors", no_argument, NULL, 'c' },
		{ "copy", no_argument, NULL, 'C' },
		{ "jpeg", no_argument, NULL, 'J' },
		{ "jpeg-quality", required_argument, NULL, 'Q' },
		{ "void", required_argument, NULL, 'v' },
		{ "val", required_argument, NULL, 'V' },
		{ "lists-only", no_argument, NULL, 'L' },
		{ "stuff", required_argument, NULL, 's' },
		{ "tree", no_argument, NULL, 't' },
		{ "line-width", required_argument, NULL, 'w' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-pixels", required_argument, NULL, 'P' },
		{ "max-file-size", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct export_opts o;
	struct classes k;
	struct coco_writer cw;
	struct compose comp;
	struct stemset stems = { NULL, 0 };
	char **images = NULL, *cause = NULL, *end, *base = NULL;
	size_t n = 0, i, done = 0, skipped = 0, failed = 0, stale = 0, listed = 0, in_val = 0;
	const char *kind;
	double lw;
	int c, idx, rc = 1, opened = 0, comp_ready = 0;

	memset(&o, 0, sizeof(o));
	memset(&k, 0, sizeof(k));
	img_limits_default(&o.lim);
	o.line_width = LABELME_LINE_WIDTH;
	o.jpeg_quality = 95;
	/* An export is derived from the outlines and can be run again: no fsync per file. */
	afile_set_durable(0);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:qh", longopts, &idx)) != -1) {
		switch (c) {
		case 'o':
			o.out = optarg;
			break;
		case 'b':
			o.base = optarg;
			break;
		case 'r':
			o.rle = 1;
			break;
		case 'c':
			o.class_colours = 1;
			break;
		case 'C':
			o.copy = 1;
			break;
		case 'J':
			o.jpeg = 1;
			break;
		case 'Q':
			o.jpeg_quality = (int)strtol(optarg, &end, 10);
			if (*end || o.jpeg_quality < 1 || o.jpeg_quality > 100) {
				cli_errorf("--jpeg-quality needs a number 1 to 100, not '%s'", optarg);
				goto usage;
			}
			break;
		case 'v':
			o.voids = xreallocarray(o.voids, o.nvoids + 1, sizeof(char *));
			o.voids[o.nvoids++] = optarg;
			break;
		case 's':
			o.stuff = xreallocarray(o.stuff, o.nstuff + 1, sizeof(char *));
			o.stuff[o.nstuff++] = optarg;
			break;
		case 'V':
			o.val = (int)strtol(optarg, &end, 10);
			if (*end || o.val < 0 || o.val > 100) {
				cli_errorf("--val needs a percentage 0 to 100, not '%s'", optarg);
				goto usage;
			}
			break;
		case 'L':
			o.lists_only = 1;
			break;
		case 't':
			o.tree = 1;
			break;
		case 'w':
			lw = strtod(optarg, &end);
			if (*end || !(lw > 0) || lw > 10000) {
				cli_errorf("--line-width needs a width in pixels, not '%s'", optarg);
				goto usage;
			}
			o.line_width = (int32_t)(lw * RASTER_ONE + 0.5);
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'P':
		case 'F':
			if (cli_limit_option(longopts[idx].name, optarg, &o.lim) < 0)
				goto usage;
			break;
		case 'h':
			fputs(export_usage, stdout);
			rc = 0;
			goto out;
		default:
			fputs("Try 'pxlabel export --help'.\n", stderr);
			goto usage;
		}
	}
	if (optind >= argc) {
		cli_errorf("export needs a format: coco, voc, labelme or cityscapes. Try 'pxlabel export --help'.");
		goto usage;
	}
	kind = argv[optind++];
	if (!strcmp(kind, "coco"))
		o.fmt = COCO;
	else if (!strcmp(kind, "voc"))
		o.fmt = VOC;
	else if (!strcmp(kind, "labelme"))
		o.fmt = LABELME;
	else if (!strcmp(kind, "cityscapes"))
		o.fmt = CITYSCAPES;
	else {
		cli_errorf("unknown format '%s': coco, voc, labelme or cityscapes", kind);
		goto usage;
	}
	if (!o.out || optind >= argc) {
		cli_errorf("export %s needs IMAGE|DIR... and -o OUT", kind);
		goto usage;
	}
	if (o.base) {
		base = xstrdup(o.base);
	} else {
		struct stat st;

		base = stat(argv[optind], &st) == 0 && S_ISDIR(st.st_mode) ? xstrdup(argv[optind]) : interop_dirname(argv[optind]);
	}
	if (o.fmt != COCO) {
		char *mark = xasprintf("%s/%s", o.out, PATHS_EXPORT_MARK);
		static const char says[] = "pxlabel export wrote this folder: pxlabel leaves it out when it "
					   "looks for images\n";
		int bad = mkdirs(o.out) != 0 || afile_write(mark, says, sizeof(says) - 1, &cause) != 0;

		free(mark);
		if (bad) {
			if (cause)
				cli_error(cause);
			goto out;
		}
		if (o.fmt == VOC) {
			char *sub[4] = { xasprintf("%s/SegmentationClass", o.out), xasprintf("%s/SegmentationObject", o.out),
				xasprintf("%s/ImageSets/Segmentation", o.out), xasprintf("%s/JPEGImages", o.out) };
			int sub_bad = 0;

			for (i = 0; i < 4; i++) {
				sub_bad |= mkdirs(sub[i]);
				free(sub[i]);
			}
			if (sub_bad)
				goto out;
		}
	}
	if (o.fmt == VOC && o.lists_only) {
		struct dataset ds;

		if (dataset_load(argv[optind], &ds, &cause) != 0) {
			cli_error(cause);
			goto out;
		}
		for (i = 0; i < ds.nclasses; i++)
			if (!k.name[ds.classes[i].id])
				k.name[ds.classes[i].id] = xstrdup(ds.classes[i].name);
		dataset_free(&ds);
		rc = voc_lists(&k, &o, &listed, &in_val) != 0;
		goto out;
	}
	if (cli_collect(argv + optind, (size_t)(argc - optind), &images, &n) != 0)
		goto out;
	if (o.fmt == COCO && coco_out_check(o.out, images, n) != 0)
		goto out;
	o.void_seen = xcalloc(o.nvoids + 1, 1);
	o.stuff_seen = xcalloc(o.nstuff + 1, 1);
	if (o.fmt == VOC)
		stemset_init(&stems, n);
	if (o.fmt == COCO) {
		char *dir = interop_dirname(o.out);
		int bad = mkdirs(dir);

		free(dir);
		if (bad)
			goto out;
		if (coco_writer_open(&cw, o.out, o.rle, &cause) != 0) {
			cli_error(cause);
			goto out;
		}
		opened = 1;
	}
	/* One composition for the whole run while the size stays: no fresh masks (and page
	 * faults) per image. */
	memset(&comp, 0, sizeof(comp));
	comp_ready = 1;
	for (i = 0; i < n; i++) {
		struct item it;
		char *rel;
		int r = -1;

		cli_progress(i, n, paths_base(images[i]));
		if (item_open(&it, images[i], &o.lim, 1, &cause) != 0) {
			cli_error(cause);
			cause = NULL;
			failed++;
			continue;
		}
		cli_warn(item_class_conflicts(&it));
		cli_note_stale_masks(&it, &stale);
		classes_note(&k, &it);
		if (!it.doc) {
			skipped++;
			item_close(&it);
			continue;
		}
		if (o.fmt == VOC) {
			const char *other = stemset_add(&stems, stem_of(images[i]), images[i]);

			if (other) {
				char *stem = stem_of(images[i]);

				cli_errorf("%s and %s would both be %s in VOC's one folder: rename one (%s skipped)",
				    other, images[i], stem, images[i]);
				free(stem);
				item_close(&it);
				failed++;
				continue;
			}
		}
		rel = interop_relpath(base, images[i]);
		if (o.fmt != VOC && !strncmp(rel, "../", 3)) {
			/* Its files would land outside OUT, and its name would lead out of the data set. */
			cli_errorf("%s is not inside %s: give --base a folder above every image", images[i], base);
			free(rel);
			item_close(&it);
			failed++;
			continue;
		}
		if (o.fmt == LABELME) {
			r = export_labelme_one(&it, rel, &o);
		} else if ((comp.w != it.doc->w || comp.h != it.doc->h) &&
		    (compose_free(&comp), compose_init(&comp, it.doc->w, it.doc->h, &cause) != 0)) {
			cli_error(cause);
			cause = NULL;
		} else if (compose_all(&comp, it.doc, &cause) != 0) {
			cli_error(cause);
			cause = NULL;
			compose_free(&comp);
		} else {
			if (o.fmt == COCO) {
				r = coco_writer_image(&cw, rel, it.doc, &comp, &cause);
				if (r != 0) {
					cli_error(cause);
					cause = NULL;
				}
			} else if (o.fmt == VOC) {
				r = export_voc_one(&it, &comp, &o);
			} else {
				char *dir = interop_dirname(rel);

				r = export_cityscapes_one(&it, &comp, dir, &o);
				free(dir);
			}
		}
		if (r == 0)
			done++;
		else
			failed++;
		free(rel);
		item_close(&it);
	}
	cli_progress(n, n, NULL);
	compose_free(&comp);
	comp_ready = 0;
	if (o.fmt == COCO) {
		int id;

		for (id = 1; id < 256; id++)
			if (k.name[id])
				coco_writer_category(&cw, id, k.name[id], k.parent[id]);
		opened = 0;
		if (coco_writer_close(&cw, &cause) != 0) {
			cli_error(cause);
			cause = NULL;
			goto out;
		}
	}
	if (o.fmt == VOC && voc_lists(&k, &o, &listed, &in_val) != 0)
		goto out;
	if (o.fmt == VOC && check_seen("--void", o.voids, o.nvoids, o.void_seen) != 0)
		failed++;
	if (o.fmt == CITYSCAPES && check_seen("--stuff", o.stuff, o.nstuff, o.stuff_seen) != 0)
		failed++;
	if (stale)
		cli_warn(xasprintf("the masks of %zu image%s are missing or older than the outlines (this export is made "
		    "from the outlines; pxlabel mask rebuilds the masks)", stale, stale == 1 ? "" : "s"));
	if (!o.quiet) {
		fprintf(stderr, "pxlabel: exported %zu of %zu images to %s (%zu without outlines, %zu failed)\n", done, n,
		    o.out, skipped, failed);
		if (o.fmt == VOC) {
			fprintf(stderr, "pxlabel: the VOC lists hold %zu image%s, %zu in val.txt", listed,
			    listed == 1 ? "" : "s", in_val);
			if (listed > done)
				fprintf(stderr, " (%zu not from this run: masks already in %s)", listed - done, o.out);
			fputs("\n", stderr);
			if (o.val && in_val == 0 && listed)
				fprintf(stderr, "pxlabel: note: --val %d picked none of %zu images (the split goes by a hash of "
						"the name)\n", o.val, listed);
		}
		if (o.not_jpeg)
			fprintf(stderr, "pxlabel: note: %zu image%s in JPEGImages/ under another name than NAME.jpg; "
					"torchvision's VOCSegmentation and mmsegmentation open NAME.jpg only (--jpeg)\n",
			    o.not_jpeg, o.not_jpeg == 1 ? " is" : "s are");
	}
	rc = failed ? 1 : 0;
	goto out;
usage:
	rc = EXIT_USAGE;
out:
	if (opened)
		coco_writer_abort(&cw);
	if (comp_ready)
		compose_free(&comp);
	paths_list_free(images, n);
	classes_free(&k);
	stemset_free(&stems);
	free(o.voids);
	free(o.stuff);
	free(o.void_seen);
	free(o.stuff_seen);
	free(base);
	return rc;
}
