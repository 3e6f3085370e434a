/* cmd_stats.c: `pxlabel stats [--json] IMAGE|DIR...`: per image the labeled fraction, pixels
 * and instances per class and the review state, then totals. Counted from the outlines (the
 * source of truth), not from mask files that may be stale. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "compose.h"
#include "item.h"
#include "paths.h"
#include "session.h"
#include "sliver.h"
#include "text.h"
#include "xalloc.h"

struct totals {
	size_t images, with_outlines, reviewed_done, with_slivers;
	char **sliver_images; /* the images with slivers, for the text summary */
	uint64_t pixels, labeled;
	uint64_t class_pixels[256];
	uint64_t class_instances[256];
};

#define SLIVERS_LISTED 5 /* in the text of one image; --json lists them all */

static int stats_one(const char *image, const struct img_limits *lim, int json, json_t *list,
    struct totals *t)
{
	uint64_t inst_per_class[256] = { 0 };
	struct compose c = { 0 };
	struct sliver *slivers = NULL;
	struct item it;
	char *cause = NULL, buf[32];
	uint64_t total, labeled = 0;
	int w, h, id;
	size_t i, nslivers = 0, capslivers = 0;

	if (item_open(&it, image, lim, 1, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	/* A class renamed in pxlabel.ini since the outlines were saved: say so, once an image. */
	cli_warn(item_class_conflicts(&it));
	cli_note_stale_masks(&it, NULL);
	if (it.doc) {
		w = it.doc->w;
		h = it.doc->h;
		if (compose_init(&c, w, h, &cause) != 0 || compose_all(&c, it.doc, &cause) != 0) {
			cli_error(cause);
			compose_free(&c);
			item_close(&it);
			return -1;
		}
		labeled = (uint64_t)w * h - c.class_pixels[0];
		for (i = 0; i < it.doc->ninst; i++)
			inst_per_class[it.doc->inst[i]->class_id]++;
		{
			raster_rect all = { 0, 0, w, h };

			(void)sliver_find(c.ids, w, h, c.inst_pixels, all, it.ds.sliver_pixels, &slivers, &nslivers, &capslivers);
		}
		if (nslivers) {
			t->sliver_images = xreallocarray(t->sliver_images, t->with_slivers + 1, sizeof(char *));
			t->sliver_images[t->with_slivers++] = xstrdup(image);
		}
		t->with_outlines++;
		if (session_review_done(it.doc->review))
			t->reviewed_done++;
	} else if (img_probe(image, lim, &w, &h, &cause) != 0) {
		cli_error(cause);
		item_close(&it);
		return -1;
	}
	total = (uint64_t)w * h;
	t->images++;
	t->pixels += total;
	t->labeled += labeled;
	if (json) {
		json_t *o = json_object(), *classes = json_array(), *name = json_string(image);

		/* A file name that is not UTF-8 cannot be a JSON string: its visible form stands in,
		 * rather than no name at all. */
		if (!name) {
			char *shown = text_message(image);

			name = json_string(shown);
			free(shown);
		}
		json_object_set_new(o, "image", name);
		json_object_set_new(o, "width", json_integer(w));
		json_object_set_new(o, "height", json_integer(h));
		json_object_set_new(o, "sidecar", json_boolean(it.doc != NULL));
		json_object_set_new(o, "review", it.doc ? json_string(it.doc->review) : json_null());
		json_object_set_new(o, "labeled_fraction", json_real((double)labeled / (double)total));
		json_object_set_new(o, "instances", json_integer(it.doc ? (json_int_t)it.doc->ninst : 0));
		for (id = 1; id < 256 && it.doc; id++) {
			json_t *k;

			if (!c.class_pixels[id] && !inst_per_class[id])
				continue;
			k = json_object();
			json_object_set_new(k, "id", json_integer(id));
			json_object_set_new(k, "name", json_string(item_class_name(&it, id, buf, sizeof(buf))));
			json_object_set_new(k, "pixels", json_integer((json_int_t)c.class_pixels[id]));
			json_object_set_new(k, "instances", json_integer((json_int_t)inst_per_class[id]));
			json_array_append_new(classes, k);
		}
		json_object_set_new(o, "classes", classes);
		if (it.doc) {
			json_t *sl = json_array();

			for (i = 0; i < nslivers; i++) {
				json_t *k = json_object();

				json_object_set_new(k, "instance", json_integer(slivers[i].inst));
				json_object_set_new(k, "pixels", json_integer(slivers[i].pixels));
				json_object_set_new(k, "x", json_integer(slivers[i].x));
				json_object_set_new(k, "y", json_integer(slivers[i].y));
				json_array_append_new(sl, k);
			}
			json_object_set_new(o, "sliver_pixels", json_integer(it.ds.sliver_pixels));
			json_object_set_new(o, "slivers", sl);
		}
		json_array_append_new(list, o);
	} else {
		/* Image names, review states and class names from sidecars: out through the sink. */
		cli_line(stdout, "%s  %dx%d  %5.1f%% labeled  %zu instances  review %s", image, w, h,
		    100.0 * (double)labeled / (double)total, it.doc ? it.doc->ninst : 0,
		    it.doc ? it.doc->review : "(no outlines)");
		for (id = 1; id < 256 && it.doc; id++) {
			if (!c.class_pixels[id] && !inst_per_class[id])
				continue;
			cli_line(stdout, "  %-20s %10llu px %5.1f%%  %llu instance%s", item_class_name(&it, id, buf, sizeof(buf)),
			    (unsigned long long)c.class_pixels[id], 100.0 * (double)c.class_pixels[id] / (double)total,
			    (unsigned long long)inst_per_class[id], inst_per_class[id] == 1 ? "" : "s");
		}
		if (nslivers) {
			char line[512];
			size_t n = 0;

			for (i = 0; i < nslivers && i < SLIVERS_LISTED; i++)
				n += (size_t)snprintf(line + n, sizeof(line) - n, "%s#%u %u px at (%d, %d)", i ? ", " : "",
				    slivers[i].inst, slivers[i].pixels, slivers[i].x, slivers[i].y);
			cli_line(stdout, "  slivers: %zu part%s of instances under %u px: %s%s", nslivers, nslivers == 1 ? "" : "s",
			    it.ds.sliver_pixels, line, nslivers > SLIVERS_LISTED ? ", ..." : "");
		}
	}
	for (id = 1; id < 256 && it.doc; id++) {
		t->class_pixels[id] += c.class_pixels[id];
		t->class_instances[id] += inst_per_class[id];
	}
	free(slivers);
	compose_free(&c);
	item_close(&it);
	return 0;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "max-pixels", required_argument, NULL, 'P' },
		{ "max-file-size", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct totals t;
	struct img_limits lim;
	json_t *list = NULL;
	char **images = NULL;
	size_t n = 0, i;
	int c, idx, json = 0, failed = 0;

	memset(&t, 0, sizeof(t));
	img_limits_default(&lim);
	optind = 0;
	while ((c = getopt_long(argc, argv, "jh", longopts, &idx)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'P':
		case 'F':
			if (cli_limit_option(longopts[idx].name, optarg, &lim) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			printf("Usage: pxlabel stats [--json] IMAGE|DIR...\n");
			return 0;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("stats needs at least one IMAGE or DIR. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	if (cli_collect(argv + optind, (size_t)(argc - optind), &images, &n) != 0)
		return 1;
	if (json)
		list = json_array();
	for (i = 0; i < n; i++) {
		cli_progress(i, n, paths_base(images[i]));
		if (stats_one(images[i], &lim, json, list, &t) != 0)
			failed++;
	}
	cli_progress(n, n, NULL);
	if (json) {
		json_t *root = json_object(), *tot = json_object();

		json_object_set_new(tot, "images", json_integer((json_int_t)t.images));
		json_object_set_new(tot, "with_outlines", json_integer((json_int_t)t.with_outlines));
		json_object_set_new(tot, "reviewed_done", json_integer((json_int_t)t.reviewed_done));
		json_object_set_new(tot, "labeled_fraction",
		    json_real(t.pixels ? (double)t.labeled / (double)t.pixels : 0.0));
		json_object_set_new(tot, "with_slivers", json_integer((json_int_t)t.with_slivers));
		json_object_set_new(tot, "failed", json_integer(failed));
		json_object_set_new(root, "images", list);
		json_object_set_new(root, "totals", tot);
		/* ASCII only: jansson escapes C0 controls but would pass C1 and bidirectional
		 * overrides in names through raw; as \uXXXX they are the same JSON. */
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		putchar('\n');
		json_decref(root);
	} else if (n > 1) {
		printf("total: %zu images, %zu with outlines, %zu done, %.1f%% of all pixels labeled%s\n", t.images,
		    t.with_outlines, t.reviewed_done, t.pixels ? 100.0 * (double)t.labeled / (double)t.pixels : 0.0,
		    failed ? " (some images failed, see above)" : "");
		if (t.with_slivers) {
			printf("slivers (small stray parts of instances, v in the annotator goes to them) in %zu image%s:\n",
			    t.with_slivers, t.with_slivers == 1 ? "" : "s");
			for (i = 0; i < t.with_slivers; i++)
				cli_line(stdout, "  %s", t.sliver_images[i]);
		}
	}
	for (i = 0; i < t.with_slivers; i++)
		free(t.sliver_images[i]);
	free(t.sliver_images);
	paths_list_free(images, n);
	return failed ? 1 : 0;
}
