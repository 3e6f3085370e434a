/* item.c: an image and its files. */
#include "config.h"

#include "item.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "err.h"
#include "paths.h"
#include "pngio.h"
#include "queue.h"
#include "text.h"
#include "xalloc.h"

int item_open(struct item *it, const char *image, const struct img_limits *lim, int check_image,
    char **cause)
{
	return item_open_as(it, image, lim, check_image, NULL, cause);
}

int item_open_as(struct item *it, const char *image, const struct img_limits *lim, int check_image,
    const char *person, char **cause)
{
	int w, h;

	memset(it, 0, sizeof(*it));
	if (dataset_load(image, &it->ds, cause) != 0)
		return -1;
	if (person)
		queue_personal(&it->ds, person);
	it->image = xstrdup(image);
	it->sidecar = paths_derived(image, it->ds.sidecar_suffix);
	it->labels = paths_derived(image, it->ds.labels_suffix);
	it->instances = paths_derived(image, it->ds.instances_suffix);
	if (access(it->sidecar, F_OK) == 0) {
		if (sidecar_load(it->sidecar, &it->doc, &it->meta, cause) != 0)
			goto fail;
	} else if (errno != ENOENT) {
		err_set(cause, "%s: %s", it->sidecar, strerror(errno));
		goto fail;
	}
	if (check_image) {
		if (img_probe_info(image, lim, &it->info, cause) != 0)
			goto fail;
		w = it->info.w;
		h = it->info.h;
		if (it->doc && (it->doc->w != w || it->doc->h != h)) {
			/* Width and height swapped is rarely a different photo: its orientation tag
			 * changed since (a tool turned the pixels and rewrote or dropped the tag). */
			int swapped = it->doc->w == h && it->doc->h == w;

			err_set(cause, "%s: made for a %dx%d image, but %s is %dx%d: masks would not line up%s",
			    it->sidecar, it->doc->w, it->doc->h, image, w, h, swapped ?
			    " (width and height swapped: the image's EXIF orientation probably changed, e.g. a tool "
			    "rotated the photo and rewrote its orientation tag)" : "");
			goto fail;
		}
	}
	return 0;
fail:
	item_close(it);
	return -1;
}

void item_close(struct item *it)
{
	free(it->image);
	free(it->sidecar);
	free(it->labels);
	free(it->instances);
	dataset_free(&it->ds);
	doc_free(it->doc);
	sidecar_meta_free(&it->meta);
	memset(it, 0, sizeof(*it));
}

static const struct sidecar_class *meta_class(const struct item *it, int id)
{
	size_t i;

	for (i = 0; i < it->meta.nclasses; i++)
		if (it->meta.classes[i].id == id)
			return &it->meta.classes[i];
	return NULL;
}

int item_palette(const struct item *it, struct pngio_rgb *palette)
{
	int id, max = 0;
	size_t i;

	palette[0] = (struct pngio_rgb){ 0, 0, 0 };
	for (id = 1; id < 256; id++) {
		const struct dataset_class *c = dataset_class_by_id(&it->ds, id);
		const struct sidecar_class *m = c ? NULL : meta_class(it, id);

		palette[id] = c ? c->colour : m ? m->colour : dataset_default_colour(id);
	}
	for (i = 0; i < it->ds.nclasses; i++)
		if (it->ds.classes[i].id > max)
			max = it->ds.classes[i].id;
	for (i = 0; it->doc && i < it->doc->ninst; i++)
		if (it->doc->inst[i]->class_id > max)
			max = it->doc->inst[i]->class_id;
	return max + 1;
}

struct sidecar_class *item_classes(const struct item *it, size_t *n)
{
	struct sidecar_class *out = xcalloc(it->ds.nclasses + it->meta.nclasses + 1, sizeof(*out));
	size_t i, k = 0;

	for (i = 0; i < it->ds.nclasses; i++) {
		out[k].id = it->ds.classes[i].id;
		out[k].name = it->ds.classes[i].name;
		out[k++].colour = it->ds.classes[i].colour;
	}
	for (i = 0; i < it->meta.nclasses; i++)
		if (!dataset_class_by_id(&it->ds, it->meta.classes[i].id))
			out[k++] = it->meta.classes[i];
	*n = k;
	return out;
}

const char *item_class_name(const struct item *it, int id, char *buf, size_t n)
{
	const struct dataset_class *c = dataset_class_by_id(&it->ds, id);
	const struct sidecar_class *m;

	if (c)
		return c->name;
	m = meta_class(it, id);
	if (m)
		return m->name;
	snprintf(buf, n, "class %d", id);
	return buf;
}

int item_write_masks(const struct item *it, const struct compose *c, char **cause)
{
	struct pngio_rgb palette[256];
	struct afile af[2];
	int n = item_palette(it, palette);

	/* Both encoded before either is replaced: a full disk leaves the two old masks, which
	 * agree with each other (and are stale, which item_masks_stale tells). */
	if (afile_open(&af[0], it->labels, cause) != 0)
		return -1;
	if (afile_open(&af[1], it->instances, cause) != 0) {
		afile_abort(&af[0]);
		return -1;
	}
	if (pngio_put_palette8(af[0].fp, it->labels, c->cls, c->w, c->h, palette, n, cause) != 0 ||
	    pngio_put_gray16(af[1].fp, it->instances, c->ids, c->w, c->h, cause) != 0) {
		afile_abort(&af[0]);
		afile_abort(&af[1]);
		return -1;
	}
	return afile_commit_all(af, 2, cause);
}

/* Whether a is before b. */
static int older(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

char *item_masks_stale(const struct item *it)
{
	const char *masks[2] = { it->labels, it->instances };
	struct stat side, st;
	int i;

	if (!it->sidecar || stat(it->sidecar, &side) != 0)
		return NULL;
	for (i = 0; i < 2; i++) {
		if (stat(masks[i], &st) != 0)
			return xasprintf("%s: missing, though %s has outlines", masks[i], paths_base(it->sidecar));
		if (older(&st.st_mtim, &side.st_mtim))
			return xasprintf("%s: older than %s", masks[i], paths_base(it->sidecar));
	}
	return NULL;
}

int item_save(const struct item *it, char **cause)
{
	struct sidecar_class *classes;
	size_t n;
	int rc;

	if (!it->doc)
		return err_set(cause, "%s: no document to save", it->sidecar);
	classes = item_classes(it, &n);
	rc = sidecar_save(it->sidecar, it->doc, paths_base(it->image), classes, n, cause);
	free(classes);
	return rc;
}

char *item_class_conflicts(const struct item *it)
{
	const char *ini = it->ds.path ? it->ds.path : "pxlabel.ini";
	char q[TEXT_QUOTE_BUF], q2[TEXT_QUOTE_BUF];
	size_t i;

	for (i = 0; it->doc && i < it->meta.nclasses; i++) {
		const struct sidecar_class *m = &it->meta.classes[i];
		const struct dataset_class *c = dataset_class_by_id(&it->ds, m->id);
		size_t k, used = 0;

		for (k = 0; k < it->doc->ninst && !used; k++)
			used = it->doc->inst[k]->class_id == m->id;
		if (!used)
			continue;
		if (c && strcmp(c->name, m->name))
			return text_printf("%s: class %d was %s when these outlines were saved, %s now calls it %s",
			    it->sidecar, m->id, text_quote(q, m->name), ini, text_quote(q2, c->name));
		/* Renumbered: the outlines hold the old id, and an export would list the name twice. */
		c = dataset_class_by_name(&it->ds, m->name);
		if (c && c->id != m->id)
			return text_printf("%s: class %s was %d when these outlines were saved, %s now gives it %d; "
			    "the outlines keep %d", it->sidecar, text_quote(q, m->name), m->id, ini, c->id, m->id);
	}
	return NULL;
}
