/* import.c: how every import ends (import.h): the image's size checked, labels resolved
 * against pxlabel.ini (or added to it), the document built, and the outlines and masks saved
 * beside the image. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "compose.h"
#include "import.h"
#include "dataset.h"
#include "interop.h"
#include "item.h"
#include "text.h"
#include "xalloc.h"

void import_warnings(const struct import_run *run, const struct interop_warnings *w)
{
	size_t i;

	if (run->quiet)
		return;
	for (i = 0; i < w->n; i++)
		cli_line(stderr, "pxlabel: warning: %s", w->v[i]);
	if (w->dropped)
		cli_line(stderr, "pxlabel: warning: ... and %zu more warnings", w->dropped);
}

char *import_ini_for(const struct item *it, const char *dir)
{
	char *abs, *p;

	if (it->ds.path)
		return xstrdup(it->ds.path);
	/* Absolute, as the search up the folders finds it next time: one form in the summaries. */
	abs = realpath(dir, NULL);
	p = xasprintf("%s/pxlabel.ini", abs ? abs : dir);
	free(abs);
	return p;
}

int import_save(const struct import_run *run, struct item *it, struct doc *doc)
{
	struct compose c;
	char *cause = NULL;
	int rc = -1;

	if (it->doc && it->doc->ninst > 0 && !run->replace && !run->append) {
		cli_errorf("%s already has outlines in %s: use --replace or --append", it->image, it->sidecar);
		doc_free(doc);
		return -1;
	}
	if (it->doc && run->append) {
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

int import_image_size(const struct import_run *run, const char *image, int said_w, int said_h, const char *from,
    int *w, int *h)
{
	char *cause = NULL;

	if (img_probe(image, &run->lim, w, h, &cause) != 0) {
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
static int resolve_classes(const struct import_run *run, struct item *it, const struct interop_image *im, int *ids,
    const char *ini_dir)
{
	const char **missing = NULL;
	size_t n = interop_classes(im, &it->ds, ids, &missing), i, k;
	char *cause = NULL;

	if (n == 0)
		return 0;
	if (!run->add_classes) {
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
		char *ini = import_ini_for(it, ini_dir), *image = xstrdup(it->image);
		int rc;

		for (i = 0; i < n; i++)
			for (k = 0; k < im->nobjects; k++)
				if (!strcmp(im->objects[k].label, missing[i])) {
					parents[i] = im->objects[k].parent;
					want[i] = im->objects[k].want_id;
					break;
				}
		rc = dataset_add_classes(ini, missing, parents, want, n, &cause);
		if (rc == 0 && !run->quiet)
			cli_line(stderr, "pxlabel: %s: %zu class%s added", ini, n, n == 1 ? "" : "es");
		free(parents);
		free(want);
		free(missing);
		free(ini);
		item_close(it);
		if (rc != 0 || item_open(it, image, &run->lim, 1, &cause) != 0) {
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

int import_interop(const struct import_run *run, const struct interop_image *im, const char *from,
    const char *ini_dir)
{
	struct item it;
	struct doc *doc = NULL;
	char *cause = NULL, *dir = NULL;
	int *ids = NULL, w, h, rc = -1;

	if (item_open(&it, im->image, &run->lim, 1, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	if (import_image_size(run, im->image, im->w, im->h, from, &w, &h) != 0)
		goto out;
	ids = xcalloc(im->nobjects + 1, sizeof(int));
	dir = ini_dir ? xstrdup(ini_dir) : interop_dirname(im->image);
	if (resolve_classes(run, &it, im, ids, dir) != 0)
		goto out;
	if (interop_build_doc(im, ids, w, h, &doc, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	rc = import_save(run, &it, doc);
out:
	free(dir);
	free(ids);
	item_close(&it);
	return rc;
}

int import_ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), k = strlen(tail);

	return n >= k && !strcasecmp(s + n - k, tail);
}
