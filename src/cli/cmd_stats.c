/* cmd_stats.c: `pxlabel stats [--json] IMAGE|DIR...`: per image the labeled fraction, pixels
 * and instances per class and the review state, then totals. Counted from the outlines (the
 * source of truth), not from mask files that may be stale. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "batch.h"
#include "cli.h"
#include "compose.h"
#include "item.h"
#include "paths.h"
#include "review.h"
#include "session.h"
#include "sliver.h"
#include "text.h"
#include "xalloc.h"

struct totals {
	size_t images, with_outlines, reviewed_done, with_slivers;
	size_t states[REVIEW_NSTATES];   /* an image without outlines is todo */
	char **sliver_images; /* the images with slivers, for the text summary */
	uint64_t pixels, labeled;
	uint64_t class_pixels[256];
	uint64_t class_instances[256];
};

struct stats_run {
	char **images;
	struct img_limits lim;
	int json;
	size_t *index;        /* with --shard: each image's place among all of the arguments' */
	json_t *list;
	struct totals t;
};

/* What one image counts, from its outlines. */
struct stats_image {
	int w, h;
	int outlines;                  /* whether it has a sidecar */
	char *review;                  /* owned, when outlines */
	size_t ninst;
	uint64_t labeled;
	uint64_t class_pixels[256];
	uint64_t class_instances[256];
	char *class_name[256];         /* owned, for the classes with pixels or instances */
	struct sliver *slivers;        /* owned: small stray parts of instances (sliver.h) */
	size_t nslivers;
	uint32_t sliver_pixels;        /* the size they are under, from pxlabel.ini */
};

#define SLIVERS_LISTED 5 /* in the text of one image; --json lists them all */

static enum batch_status stats_work(void *ctx, void *scratch, size_t i, void *result)
{
	const struct stats_run *r = ctx;
	const char *image = r->images[i];
	struct compose *c = scratch;
	struct stats_image *s = result;
	struct item it;
	char *cause = NULL, buf[32];
	size_t k, cap = 0;
	int id;

	if (batch_item_open(&it, image, &r->lim) != 0)
		return BATCH_FAILED;
	cli_note_stale_masks(&it, NULL);
	if (it.doc) {
		s->w = it.doc->w;
		s->h = it.doc->h;
		if (batch_compose(c, it.doc, &cause) != 0) {
			cli_error(cause);
			item_close(&it);
			return BATCH_FAILED;
		}
		s->outlines = 1;
		s->review = xstrdup(it.doc->review);
		s->ninst = it.doc->ninst;
		s->labeled = (uint64_t)s->w * s->h - c->class_pixels[0];
		for (k = 0; k < it.doc->ninst; k++)
			s->class_instances[it.doc->inst[k]->class_id]++;
		for (id = 1; id < 256; id++) {
			s->class_pixels[id] = c->class_pixels[id];
			if (s->class_pixels[id] || s->class_instances[id])
				s->class_name[id] = xstrdup(item_class_name(&it, id, buf, sizeof(buf)));
		}
		{
			raster_rect all = { 0, 0, s->w, s->h };

			s->sliver_pixels = it.ds.sliver_pixels;
			(void)sliver_find(c->ids, s->w, s->h, c->inst_pixels, all, s->sliver_pixels, &s->slivers, &s->nslivers, &cap);
		}
	} else if (img_probe(image, &r->lim, &s->w, &s->h, &cause) != 0) {
		cli_error(cause);
		item_close(&it);
		return BATCH_FAILED;
	}
	item_close(&it);
	return BATCH_DONE;
}

/* The image's lines (or JSON object), and its share of the totals. */
static enum batch_status stats_fold(void *ctx, size_t i, enum batch_status st, void *result)
{
	struct stats_run *r = ctx;
	const char *image = r->images[i];
	struct stats_image *s = result;
	struct totals *t = &r->t;
	uint64_t total = (uint64_t)s->w * s->h;
	int id;

	if (st != BATCH_DONE)
		return st;
	if (s->outlines) {
		t->with_outlines++;
		if (session_review_done(s->review))
			t->reviewed_done++;
	}
	t->states[review_state_of(s->outlines ? s->review : NULL)]++;
	t->images++;
	t->pixels += total;
	t->labeled += s->labeled;
	if (s->nslivers) {
		t->sliver_images = xreallocarray(t->sliver_images, t->with_slivers + 1, sizeof(char *));
		t->sliver_images[t->with_slivers++] = xstrdup(image);
	}
	if (r->json) {
		json_t *o = json_object(), *classes = json_array();

		json_t *name = json_string(image);

		/* A file name that is not UTF-8 cannot be a JSON string: its visible form stands in,
		 * rather than no name at all. */
		if (!name) {
			char *shown = text_message(image);

			name = json_string(shown);
			free(shown);
		}
		json_object_set_new(o, "image", name);
		/* A shard's places in the whole run, for pxlabel merge stats. */
		if (r->index)
			json_object_set_new(o, "index", json_integer((json_int_t)r->index[i]));
		json_object_set_new(o, "width", json_integer(s->w));
		json_object_set_new(o, "height", json_integer(s->h));
		json_object_set_new(o, "sidecar", json_boolean(s->outlines));
		json_object_set_new(o, "review", s->outlines ? json_string(s->review) : json_null());
		json_object_set_new(o, "labeled_fraction", json_real((double)s->labeled / (double)total));
		json_object_set_new(o, "instances", json_integer((json_int_t)s->ninst));
		for (id = 1; id < 256; id++) {
			json_t *k;

			if (!s->class_name[id])
				continue;
			k = json_object();
			json_object_set_new(k, "id", json_integer(id));
			json_object_set_new(k, "name", json_string(s->class_name[id]));
			json_object_set_new(k, "pixels", json_integer((json_int_t)s->class_pixels[id]));
			json_object_set_new(k, "instances", json_integer((json_int_t)s->class_instances[id]));
			json_array_append_new(classes, k);
		}
		json_object_set_new(o, "classes", classes);
		if (s->outlines) {
			json_t *sl = json_array();
			size_t k;

			for (k = 0; k < s->nslivers; k++) {
				json_t *v = json_object();

				json_object_set_new(v, "instance", json_integer(s->slivers[k].inst));
				json_object_set_new(v, "pixels", json_integer(s->slivers[k].pixels));
				json_object_set_new(v, "x", json_integer(s->slivers[k].x));
				json_object_set_new(v, "y", json_integer(s->slivers[k].y));
				json_array_append_new(sl, v);
			}
			json_object_set_new(o, "sliver_pixels", json_integer(s->sliver_pixels));
			json_object_set_new(o, "slivers", sl);
		}
		json_array_append_new(r->list, o);
	} else {
		/* Image names, review states and class names from sidecars: out through the sink. */
		cli_line(stdout, "%s  %dx%d  %5.1f%% labeled  %zu instance%s  review %s", image, s->w, s->h,
		    100.0 * (double)s->labeled / (double)total, s->ninst, s->ninst == 1 ? "" : "s",
		    s->outlines ? s->review : "(no outlines)");
		for (id = 1; id < 256; id++) {
			if (!s->class_name[id])
				continue;
			cli_line(stdout, "  %-20s %10llu px %5.1f%%  %llu instance%s", s->class_name[id],
			    (unsigned long long)s->class_pixels[id], 100.0 * (double)s->class_pixels[id] / (double)total,
			    (unsigned long long)s->class_instances[id], s->class_instances[id] == 1 ? "" : "s");
		}
		if (s->nslivers) {
			char line[512];
			size_t k, len = 0;

			for (k = 0; k < s->nslivers && k < SLIVERS_LISTED; k++)
				len += (size_t)snprintf(line + len, sizeof(line) - len, "%s#%u %u px at (%d, %d)", k ? ", " : "",
				    s->slivers[k].inst, s->slivers[k].pixels, s->slivers[k].x, s->slivers[k].y);
			cli_line(stdout, "  slivers: %zu part%s of instances under %u px: %s%s", s->nslivers,
			    s->nslivers == 1 ? "" : "s", s->sliver_pixels, line, s->nslivers > SLIVERS_LISTED ? ", ..." : "");
		}
	}
	for (id = 1; id < 256; id++) {
		t->class_pixels[id] += s->class_pixels[id];
		t->class_instances[id] += s->class_instances[id];
		free(s->class_name[id]);
	}
	free(s->review);
	free(s->slivers);
	return st;
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		BATCH_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct batch_ops ops = {
		.work = stats_work,
		.fold = stats_fold,
		.scratch_free = batch_compose_free,
		.result_size = sizeof(struct stats_image),
		.scratch_size = sizeof(struct compose),
	};
	struct stats_run r;
	struct batch_opts bo = { 0 };
	struct batch_tally bt = { 0 };
	struct totals *t = &r.t;
	size_t n = 0;
	int c, failed;

	memset(&r, 0, sizeof(r));
	img_limits_default(&r.lim);
	optind = 0;
	while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
		switch (batch_option(c, optarg, &bo, &r.lim)) {
		case BATCH_OPTION_TAKEN:
			continue;
		case BATCH_OPTION_BAD:
			return EXIT_USAGE;
		case BATCH_OPTION_HELP:
			fputs("Usage: pxlabel stats [OPTION]... IMAGE|DIR...\n"
			      "The labeled fraction, pixels and instances per class and the review state, per image\n"
			      "and in total.\n"
			      "\n"
			      "  --json               as JSON (shards' JSON combine: pxlabel merge stats)\n",
			    stdout);
			batch_help(stdout);
			return 0;
		case BATCH_OPTION_NOT_MINE:
			break;
		}
		switch (c) {
		case 'J':
			r.json = 1;
			break;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		cli_errorf("stats needs at least one IMAGE or DIR. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	if (cli_collect(argv + optind, (size_t)(argc - optind), &r.images, &n) != 0)
		return 1;
	if (r.json)
		r.list = json_array();
	if (bo.nshards > 1) {
		size_t k = batch_shard_pick(&bo, r.images, n, &r.index), j = 0;

		for (size_t i = 0; i < n; i++)
			if (j < k && r.index[j] == i)
				r.images[j++] = r.images[i];
			else
				free(r.images[i]);
		n = k;
	}
	batch_run(&ops, &r, r.images, n, bo.jobs, &bt);
	failed = (int)bt.failed;
	if (r.json) {
		json_t *root = json_object(), *tot = json_object(), *states;
		enum review_state st;

		json_object_set_new(tot, "images", json_integer((json_int_t)t->images));
		json_object_set_new(tot, "with_outlines", json_integer((json_int_t)t->with_outlines));
		json_object_set_new(tot, "reviewed_done", json_integer((json_int_t)t->reviewed_done));
		states = json_object();
		for (st = 0; st < REVIEW_NSTATES; st++)
			json_object_set_new(states, review_state_name(st), json_integer((json_int_t)t->states[st]));
		json_object_set_new(tot, "states", states);
		json_object_set_new(tot, "labeled_fraction",
		    json_real(t->pixels ? (double)t->labeled / (double)t->pixels : 0.0));
		json_object_set_new(tot, "with_slivers", json_integer((json_int_t)t->with_slivers));
		json_object_set_new(tot, "failed", json_integer(failed));
		if (bo.nshards > 1)
			json_object_set_new(tot, "shard", json_sprintf("%u/%u", bo.shard, bo.nshards));
		json_object_set_new(root, "images", r.list);
		json_object_set_new(root, "totals", tot);
		/* ASCII only: jansson escapes C0 controls but would pass C1 and bidirectional
		 * overrides in names through raw; as \uXXXX they are the same JSON. */
		json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		putchar('\n');
		json_decref(root);
	} else if (n != 1) { /* an empty folder or shard says so too */
		printf("total: %zu images, %zu with outlines, %zu done or approved, %.1f%% of all pixels labeled%s\n", t->images,
		    t->with_outlines, t->reviewed_done, t->pixels ? 100.0 * (double)t->labeled / (double)t->pixels : 0.0,
		    failed ? " (some images failed, see above)" : "");
		printf("states: %zu todo, %zu done, %zu rejected, %zu approved\n", t->states[REVIEW_TODO],
		    t->states[REVIEW_DONE], t->states[REVIEW_REJECTED], t->states[REVIEW_APPROVED]);
		if (t->with_slivers) {
			size_t k;

			printf("slivers (small stray parts of instances, v in the annotator goes to them) in %zu image%s:\n",
			    t->with_slivers, t->with_slivers == 1 ? "" : "s");
			for (k = 0; k < t->with_slivers; k++)
				cli_line(stdout, "  %s", t->sliver_images[k]);
		}
	}
	for (c = 0; (size_t)c < t->with_slivers; c++)
		free(t->sliver_images[c]);
	free(t->sliver_images);
	paths_list_free(r.images, n);
	free(r.index);
	return failed ? 1 : 0;
}
