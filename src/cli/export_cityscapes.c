/* export_cityscapes.c: `pxlabel export cityscapes`: NAME_gtFine_labelIds, _instanceIds and
 * _color PNGs per image under the image's folder relative to --base; with --tree the gtFine/
 * and leftImg8bit/ tree that torchvision's Cityscapes walks. Ids and colours: cityscapes.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cityscapes.h"
#include "cli.h"
#include "export.h"
#include "interop.h"
#include "pngio.h"
#include "xalloc.h"

struct cityscapes_export {
	int tree;
	struct export_placing place; /* of leftImg8bit/'s images (--copy) */
	char **stuff;                /* class names, borrowed from the command line */
	size_t nstuff;
	uint8_t *stuff_seen;         /* per name: whether some image's data set has it */
	int warned_tree;             /* in done, on one thread */
};

/* What an image leaves for done. */
struct cityscapes_res {
	int off_tree; /* with --tree, not in a SPLIT/CITY folder */
};

/* --copy and --jpeg-quality are voc's in --help; here they say how --tree puts the images. */
static const struct option cityscapes_options[] = {
	{ "stuff", required_argument, NULL, 's' },
	{ "tree", no_argument, NULL, 't' },
	{ "copy", no_argument, NULL, 'C' },
	{ "jpeg-quality", required_argument, NULL, 'Q' },
	{ NULL, 0, NULL, 0 },
};

static void *cityscapes_new(void)
{
	struct cityscapes_export *e = xcalloc(1, sizeof(*e));

	e->place.jpeg_quality = 95;
	return e;
}

static int cityscapes_option(void *st, int val, const char *arg)
{
	struct cityscapes_export *e = st;

	switch (val) {
	case 's':
		e->stuff = xreallocarray(e->stuff, e->nstuff + 1, sizeof(char *));
		e->stuff[e->nstuff++] = (char *)arg;
		break;
	case 't':
		e->tree = 1;
		break;
	case 'C':
		e->place.copy = 1;
		break;
	case 'Q':
		return export_int_option("jpeg-quality", arg, 1, 100, "a number", &e->place.jpeg_quality);
	}
	return 0;
}

static void cityscapes_free(void *st)
{
	struct cityscapes_export *e = st;

	free(e->stuff);
	free(e->stuff_seen);
	free(e);
}

static int cityscapes_begin(void *st, struct export_run *run)
{
	struct cityscapes_export *e = st;

	e->stuff_seen = xcalloc(e->nstuff + 1, 1);
	return 0;
}

/* The masks of one image in OUT/REL_DIR (with --tree OUT/gtFine/REL_DIR). */
static int cityscapes_image(void *st, const struct export_item *x, void *res, char **cause)
{
	struct cityscapes_res *r = res;
	struct cityscapes_export *e = st;
	const struct item *it = x->it;
	const struct compose *c = export_compose(x, cause);
	struct pngio_rgb palette[256];
	uint8_t is_stuff[256], *rgb = NULL;
	uint16_t *inst = NULL;
	char *stem = NULL, *p, *why = NULL, *dir = NULL, *rel_dir = interop_dirname(x->rel);
	const char *out = x->run->out;
	int rc = -1;

	if (!c)
		goto out;
	inst = xmalloc((size_t)c->w * c->h * sizeof(uint16_t));
	stem = cityscapes_stem(it->image);
	dir = xasprintf(e->tree ? "%s/gtFine/%s" : "%s/%s", out, rel_dir);
	export_class_set(it, e->stuff, e->nstuff, is_stuff, e->stuff_seen);
	if (export_mkdirs(dir, cause) != 0)
		goto out;
	r->off_tree = e->tree && (!strcmp(rel_dir, ".") || !strchr(rel_dir, '/'));
	if (e->tree) { /* the image beside, in the tree Cityscapes readers walk */
		char *idir = xasprintf("%s/leftImg8bit/%s", out, rel_dir), *dst;

		dst = xasprintf("%s/%s_leftImg8bit", idir, stem);
		rc = export_mkdirs(idir, cause) != 0 ? -1 : export_place_image(it, dst, &e->place, &x->run->lim, cause);
		free(dst);
		free(idir);
		if (rc != 0)
			goto out;
		rc = -1;
	}
	if (cityscapes_instance_ids(c, it->doc, is_stuff, inst, &why) != 0) {
		*cause = xasprintf("%s: %s", it->image, why);
		free(why);
		goto out;
	}
	p = xasprintf("%s/%s_gtFine_labelIds.png", dir, stem);
	rc = pngio_write_gray8(p, c->cls, c->w, c->h, cause);
	free(p);
	if (rc == 0) {
		p = xasprintf("%s/%s_gtFine_instanceIds.png", dir, stem);
		rc = pngio_write_gray16(p, inst, c->w, c->h, cause);
		free(p);
	}
	if (rc == 0) {
		item_palette(it, palette);
		rgb = xmalloc((size_t)c->w * c->h * 3);
		cityscapes_colour(c, palette, rgb);
		p = xasprintf("%s/%s_gtFine_color.png", dir, stem);
		rc = pngio_write_rgb8(p, rgb, c->w, c->h, cause);
		free(p);
	}
out:
	free(rgb);
	free(inst);
	free(stem);
	free(dir);
	free(rel_dir);
	return rc;
}

/* The first image off the tree, in input order, is said. */
static int cityscapes_done(void *st, const struct export_item *x, void *res, char **cause)
{
	struct cityscapes_export *e = st;
	const struct cityscapes_res *r = res;

	if (r->off_tree && !e->warned_tree) {
		cli_warn(xasprintf("%s is not in a SPLIT/CITY folder: torchvision's Cityscapes reads "
				   "leftImg8bit/SPLIT/CITY/ only", x->it->image));
		e->warned_tree = 1;
	}
	return 0;
}

static int cityscapes_finish(void *st, struct export_run *run)
{
	struct cityscapes_export *e = st;

	if (export_check_seen("--stuff", e->stuff, e->nstuff, e->stuff_seen) != 0)
		run->tally.failed++;
	return 0;
}

const struct exporter export_cityscapes = {
	.f = {
		.name = "cityscapes",
		.options = cityscapes_options,
		.help =
		    "  --stuff CLASS        CLASS has no instances: instanceIds holds its class id (repeatable)\n"
		    "  --tree               masks under OUT/gtFine/ and the images linked (or with --copy copied)\n"
		    "                       under OUT/leftImg8bit/ as NAME_leftImg8bit: the tree torchvision's\n"
		    "                       Cityscapes reads; give it folders as split/city\n",
		.new_state = cityscapes_new,
		.option = cityscapes_option,
		.free_state = cityscapes_free,
	},
	.flags = EXPORT_FOLDER,
	.begin = cityscapes_begin,
	.image = cityscapes_image,
	.done = cityscapes_done,
	.res_size = sizeof(struct cityscapes_res),
	.finish = cityscapes_finish,
};
