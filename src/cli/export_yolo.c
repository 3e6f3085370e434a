/* export_yolo.c: `pxlabel export yolo`: the layout Ultralytics trains from. Images in
 * OUT/images/{train,val}/ (linked or copied, upright), labels in OUT/labels/{train,val}/ under
 * the image's path relative to --base (yolo.c writes the lines), OUT/data.yaml at the end. The
 * YOLO index of class id N is N - 1, so the indices follow pxlabel.ini's ids (doc/formats.md). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "cli.h"
#include "export.h"
#include "interop.h"
#include "paths.h"
#include "sbuf.h"
#include "voc.h"
#include "xalloc.h"
#include "yolo.h"

struct yolo_export {
	int val;
	struct export_placing place;
	size_t in_val;
};

static const struct option yolo_options[] = {
	{ "copy", no_argument, NULL, 'C' },
	{ "val", required_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void *yolo_new(void)
{
	struct yolo_export *e = xcalloc(1, sizeof(*e));

	e->place.jpeg_quality = 95;
	return e;
}

static int yolo_option(void *st, int val, const char *arg)
{
	struct yolo_export *e = st;

	switch (val) {
	case 'C':
		e->place.copy = 1;
		break;
	case 'V':
		return export_int_option("val", arg, 0, 100, "a percentage", &e->val);
	}
	return 0;
}

static int yolo_begin(void *st, struct export_run *run)
{
	static const char *const sub[4] = { "images/train", "images/val", "labels/train", "labels/val" };
	char *cause = NULL;
	int bad = 0;

	(void)st;
	for (size_t i = 0; i < 4; i++) {
		char *p = xasprintf("%s/%s", run->out, sub[i]);

		if (export_mkdirs(p, &cause) != 0) {
			cli_error(cause);
			cause = NULL;
			bad = 1;
		}
		free(p);
	}
	return bad ? -1 : 0;
}

static int yolo_image(void *st, const struct export_item *x, void *res, char **cause)
{
	struct yolo_export *e = st;
	const struct compose *c = export_compose(x, cause);
	const char *split;
	char *stem, *txt, *label, *img, *dir, *text;
	int index[256], id, rc = -1;

	if (!c)
		return -1;
	for (id = 0; id < 256; id++)
		index[id] = id - 1;
	stem = export_stem(x->image);
	split = voc_is_val(stem, e->val) == 1 ? "val" : "train";
	free(stem);
	txt = paths_derived(x->rel, ".txt");
	label = xasprintf("%s/labels/%s/%s", x->run->out, split, txt);
	img = paths_derived(x->rel, "");
	stem = xasprintf("%s/images/%s/%s", x->run->out, split, img);
	dir = interop_dirname(label);
	text = NULL;
	if (export_mkdirs(dir, cause) == 0) {
		free(dir);
		dir = interop_dirname(stem);
		if (export_mkdirs(dir, cause) == 0 && export_place_image(x->it, stem, &e->place, &x->run->lim, cause) == 0 &&
		    (text = yolo_labels(x->it->doc, c, index, cause)) != NULL &&
		    afile_write(label, text, strlen(text), cause) == 0) {
			rc = 0;
			if (split[0] == 'v')
				__atomic_fetch_add(&e->in_val, 1, __ATOMIC_RELAXED); /* images run on -j threads */
		}
	}
	free(text);
	free(dir);
	free(stem);
	free(img);
	free(label);
	free(txt);
	return rc;
}

/* A YAML double-quoted scalar: the name as it is, with quotes, backslashes and controls escaped. */
static void put_yaml_string(struct sbuf *b, const char *s)
{
	sbuf_addc(b, '"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			sbuf_printf(b, "\\%c", ch);
		else if (ch < 0x20 || ch == 0x7f)
			sbuf_printf(b, "\\x%02x", ch);
		else
			sbuf_addc(b, (char)ch);
	}
	sbuf_addc(b, '"');
}

/* data.yaml: names from index 0 (class id 1) to the highest class id seen; ids without a class
 * keep their place as "class N", so that every index stays the id less one. */
static int yolo_finish(void *st, struct export_run *run)
{
	char *cause = NULL, *path = xasprintf("%s/data.yaml", run->out), *abs = realpath(run->out, NULL);
	struct sbuf b;
	int id, top = 0, rc = 0;

	(void)st;
	for (id = 1; id < 256; id++)
		if (run->classes.name[id])
			top = id;
	sbuf_init(&b);
	sbuf_adds(&b, "# written by pxlabel export yolo: index N is pxlabel.ini's class id N + 1\npath: ");
	put_yaml_string(&b, abs ? abs : run->out);
	sbuf_adds(&b, "\ntrain: images/train\nval: images/val\nnames:\n");
	for (id = 1; id <= top; id++) {
		char fallback[32];

		snprintf(fallback, sizeof(fallback), "class %d", id);
		sbuf_printf(&b, "  %d: ", id - 1);
		put_yaml_string(&b, run->classes.name[id] ? run->classes.name[id] : fallback);
		sbuf_addc(&b, '\n');
	}
	if (afile_write(path, b.data, b.len, &cause) != 0) {
		cli_error(cause);
		rc = -1;
	}
	sbuf_free(&b);
	free(abs);
	free(path);
	return rc;
}

static void yolo_notes(void *st, const struct export_run *run)
{
	const struct yolo_export *e = st;

	fprintf(stderr, "pxlabel: %zu image%s in images/val\n", e->in_val, e->in_val == 1 ? "" : "s");
	if (e->val && e->in_val == 0 && run->tally.done)
		fprintf(stderr, "pxlabel: note: --val %d picked none of %zu images (the split goes by a hash of the name)\n",
		    e->val, run->tally.done);
}

const struct exporter export_yolo = {
	.f = {
		.name = "yolo",
		.options = yolo_options,
		.help =
		    "  --copy               copy the images into images/ (default: symbolic links)\n"
		    "  --val PERCENT        share of images in images/val, by a hash of the name (default 0)\n",
		.new_state = yolo_new,
		.option = yolo_option,
		.free_state = free,
	},
	.flags = EXPORT_FOLDER,
	.begin = yolo_begin,
	.image = yolo_image,
	.finish = yolo_finish,
	.notes = yolo_notes,
};
