/* cmd_merge.c: `pxlabel merge coco|stats PARTS...`: the outputs of shards (--shard K/N, on
 * machines of their own) made into what one run gives. COCO: images and annotations numbered
 * again, categories one list by name; stats: the images of every part and the totals counted
 * again. The shards' files say which share they are, and the places of their images in the
 * whole run, so that the result has one run's order: the same bytes. Files of other runs
 * (no shard, or shards of different splits) are joined in the order given. The masks, VOC and
 * Cityscapes need nothing: shards write disjoint files into one tree (export voc --lists-only
 * then writes VOC's lists). */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "coco.h"
#include "review.h"
#include "session.h"
#include "xalloc.h"

#define MERGE_MAX_PARTS 100000

/* The parts, read. */
struct parts {
	json_t **root;
	size_t n;
};

static void parts_free(struct parts *p)
{
	for (size_t i = 0; i < p->n; i++)
		json_decref(p->root[i]);
	free(p->root);
}

static int parts_load(struct parts *p, char **files, size_t n)
{
	json_error_t e;

	p->root = xcalloc(n + 1, sizeof(json_t *));
	for (p->n = 0; p->n < n; p->n++) {
		p->root[p->n] = json_load_file(files[p->n], JSON_REJECT_DUPLICATES, &e);
		if (!p->root[p->n]) {
			cli_errorf("%s:%d: %s", files[p->n], e.line, e.text);
			return -1;
		}
		if (!json_is_object(p->root[p->n])) {
			cli_errorf("%s: not a JSON object", files[p->n]);
			p->n++;
			return -1;
		}
	}
	return 0;
}

/* Whether the shard marks ("K/N", one a part) are shares of one split, each once: then the
 * places they record are one run's. Said on stderr when parts are marked as shards but are not
 * one split's (a shard twice, shards of two splits, a whole run among them: their images may be
 * in the result twice), and when shards of the split are missing. */
static int one_split(json_t *const *marks, size_t n)
{
	unsigned k, total = 0, kk;
	unsigned char *seen = NULL;
	size_t marked = 0;
	int ok = 1;

	for (size_t i = 0; i < n; i++)
		marked += json_string_value(marks[i]) != NULL;
	for (size_t i = 0; i < n && ok; i++) {
		const char *s = json_string_value(marks[i]);
		char tail;

		if (!s || sscanf(s, "%u/%u%c", &kk, &k, &tail) != 2 || !k || kk >= k || (total && k != total)) {
			ok = 0;
			break;
		}
		if (!total) {
			total = k;
			seen = xcalloc(total, 1);
		}
		if (seen[kk]++)
			ok = 0;
	}
	free(seen);
	ok = ok && n > 0;
	if (!ok && marked)
		cli_warn(xasprintf("the parts are not the shares of one split (a shard given twice, shards of "
		    "different splits, or a whole run among shards): joined in the order given, and an image in two "
		    "parts is in the result twice"));
	else if (ok && n < total)
		cli_warn(xasprintf("%zu of %u shards: the result lacks the images of the %zu missing", n, total,
		    (size_t)total - n));
	return ok;
}

/* An image of a part, with its place in the result. */
struct entry {
	size_t part;
	json_t *obj;
	long long key; /* its place in the whole run (shards), else its order in the parts */
	size_t order;
	size_t at;     /* its place in its part */
};

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* ---- COCO ---- */

struct cat {
	long long id;
	const char *name, *super; /* borrowed from the parts */
};

/* The unified id of name (added as old_id when it is free, else after the largest). */
static long long cat_unify(struct cat **cats, size_t *n, long long old_id, const char *name, const char *super)
{
	long long max = 0;
	int taken = 0;
	size_t i;

	for (i = 0; i < *n; i++) {
		if (!strcmp((*cats)[i].name, name))
			return (*cats)[i].id;
		if ((*cats)[i].id == old_id)
			taken = 1;
		if ((*cats)[i].id > max)
			max = (*cats)[i].id;
	}
	*cats = xreallocarray(*cats, *n + 1, sizeof(struct cat));
	(*cats)[*n] = (struct cat){ taken || old_id < 1 ? max + 1 : old_id, name, super };
	return (*cats)[(*n)++].id;
}

static int cmp_cat(const void *a, const void *b)
{
	const struct cat *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/* For one part: its image ids in file order, and the annotations of each. */
struct part_index {
	json_t *images, *anns;
	long long *cat_from, *cat_to; /* its category ids, and theirs in the result */
	size_t ncats;
	long long *img_id; /* of each of its images */
	size_t nimages;
	size_t *first, *count; /* each image's annotations: by[first .. first + count) */
	json_t **by;
};

/* qsort has no argument for the ids the indices point into: one part is indexed at a time. */
static const long long *sort_ids;

static int cmp_by_id(const void *a, const void *b)
{
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	long long x = sort_ids[i], y = sort_ids[j];

	return x < y ? -1 : x > y ? 1 : (i > j) - (i < j);
}

/* Which of the part's images (sorted ids, positions in order) has id; -1 when none. */
static long long find_image(const struct part_index *x, const size_t *sorted, long long id)
{
	size_t lo = 0, hi = x->nimages;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (x->img_id[sorted[mid]] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->nimages && x->img_id[sorted[lo]] == id ? (long long)sorted[lo] : -1;
}

static int index_part(struct part_index *x, json_t *root, const char *file, struct cat **cats, size_t *ncats)
{
	json_t *v, *categories = json_object_get(root, "categories");
	size_t i, *sorted = NULL, *owner = NULL, *fill = NULL;
	int rc = -1;

	x->images = json_object_get(root, "images");
	x->anns = json_object_get(root, "annotations");
	if (!json_is_array(x->images) || !json_is_array(x->anns) || !json_is_array(categories)) {
		cli_errorf("%s: not a COCO file (images, annotations and categories are arrays)", file);
		return -1;
	}
	x->ncats = json_array_size(categories);
	x->cat_from = xcalloc(x->ncats + 1, sizeof(long long));
	x->cat_to = xcalloc(x->ncats + 1, sizeof(long long));
	json_array_foreach(categories, i, v) {
		const char *name = json_string_value(json_object_get(v, "name"));
		const char *super = json_string_value(json_object_get(v, "supercategory"));
		json_t *id = json_object_get(v, "id");

		if (!name || !json_is_integer(id)) {
			cli_errorf("%s: category %zu has no name or id", file, i + 1);
			return -1;
		}
		x->cat_from[i] = json_integer_value(id);
		x->cat_to[i] = cat_unify(cats, ncats, x->cat_from[i], name, super);
	}
	x->nimages = json_array_size(x->images);
	x->img_id = xcalloc(x->nimages + 1, sizeof(long long));
	json_array_foreach(x->images, i, v) {
		json_t *id = json_object_get(v, "id");

		if (!json_is_integer(id) || !json_is_string(json_object_get(v, "file_name"))) {
			cli_errorf("%s: image %zu has no id or file_name", file, i + 1);
			return -1;
		}
		x->img_id[i] = json_integer_value(id);
	}
	/* The annotations of each image, in file order, through a sorted index of image ids. */
	sorted = xcalloc(x->nimages + 1, sizeof(size_t));
	for (i = 0; i < x->nimages; i++)
		sorted[i] = i;
	sort_ids = x->img_id;
	if (x->nimages)
		qsort(sorted, x->nimages, sizeof(size_t), cmp_by_id);
	for (i = 1; i < x->nimages; i++)
		if (x->img_id[sorted[i]] == x->img_id[sorted[i - 1]]) {
			cli_errorf("%s: image id %lld twice", file, x->img_id[sorted[i]]);
			goto out;
		}
	x->first = xcalloc(x->nimages + 1, sizeof(size_t));
	x->count = xcalloc(x->nimages + 1, sizeof(size_t));
	owner = xcalloc(json_array_size(x->anns) + 1, sizeof(size_t));
	json_array_foreach(x->anns, i, v) {
		json_t *img = json_object_get(v, "image_id");
		long long at = json_is_integer(img) ? find_image(x, sorted, json_integer_value(img)) : -1;

		if (at < 0) {
			cli_errorf("%s: annotation %zu names no image of the file", file, i + 1);
			goto out;
		}
		owner[i] = (size_t)at;
		x->count[at]++;
	}
	for (i = 1; i < x->nimages; i++)
		x->first[i] = x->first[i - 1] + x->count[i - 1];
	fill = xcalloc(x->nimages + 1, sizeof(size_t));
	x->by = xcalloc(json_array_size(x->anns) + 1, sizeof(json_t *));
	json_array_foreach(x->anns, i, v) {
		x->by[x->first[owner[i]] + fill[owner[i]]++] = v;
	}
	rc = 0;
out:
	free(sorted);
	free(owner);
	free(fill);
	return rc;
}

static void part_index_free(struct part_index *x)
{
	free(x->cat_from);
	free(x->cat_to);
	free(x->img_id);
	free(x->first);
	free(x->count);
	free(x->by);
}

/* One annotation as coco_writer_put takes it: from "category_id" on, the category renumbered. */
static int put_annotation(struct coco_encoded *e, const struct part_index *x, json_t *ann, const char *file)
{
	json_t *copy = json_deep_copy(ann), *cat;
	long long id;
	size_t k;
	char *text;

	cat = json_object_get(copy, "category_id");
	if (!json_is_integer(cat)) {
		cli_errorf("%s: an annotation has no category_id", file);
		json_decref(copy);
		return -1;
	}
	id = json_integer_value(cat);
	for (k = 0; k < x->ncats && x->cat_from[k] != id; k++)
		;
	if (k == x->ncats) {
		cli_errorf("%s: an annotation's category %lld is not among the categories", file, id);
		json_decref(copy);
		return -1;
	}
	json_object_del(copy, "id");
	json_object_del(copy, "image_id");
	json_integer_set(cat, x->cat_to[k]);
	/* The writer's own order: category_id first (pxlabel's files have it there already). */
	if (strcmp(json_object_iter_key(json_object_iter(copy)), "category_id")) {
		json_t *moved = json_object();
		const char *key;
		json_t *v;

		json_object_set(moved, "category_id", cat);
		json_object_foreach(copy, key, v)
			if (strcmp(key, "category_id"))
				json_object_set(moved, key, v);
		json_decref(copy);
		copy = moved;
	}
	text = json_dumps(copy, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(copy);
	if (!text) {
		cli_errorf("%s: an annotation cannot be written", file);
		return -1;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 8;
		e->at = xreallocarray(e->at, e->cap + 1, sizeof(size_t));
	}
	e->at[e->n++] = e->b.len;
	sbuf_adds(&e->b, text + 1); /* without its '{': the writer puts it and the ids */
	free(text);
	return 0;
}

static int merge_coco(char **files, size_t n, const char *out)
{
	struct parts p = { NULL, 0 };
	struct part_index *x = xcalloc(n + 1, sizeof(*x));
	struct cat *cats = NULL;
	struct entry *all = NULL;
	struct coco_writer w;
	json_t **marks = xcalloc(n + 1, sizeof(json_t *));
	size_t ncats = 0, nall = 0, i, k, nanns = 0;
	char *cause = NULL;
	int rc = 1, shards, opened = 0;

	if (parts_load(&p, files, n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		if (index_part(&x[i], p.root[i], files[i], &cats, &ncats) != 0)
			goto out;
		marks[i] = json_object_get(json_object_get(p.root[i], "info"), "shard");
		nall += x[i].nimages;
	}
	shards = one_split(marks, n);
	all = xcalloc(nall + 1, sizeof(*all));
	for (i = 0, nall = 0; i < n; i++)
		for (k = 0; k < x[i].nimages; k++, nall++)
			all[nall] = (struct entry){ i, json_array_get(x[i].images, k), shards ? x[i].img_id[k] : 0, nall, k };
	if (nall)
		qsort(all, nall, sizeof(*all), cmp_entry);
	if (coco_writer_open(&w, out, 0, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	opened = 1;
	for (i = 0; i < nall; i++) {
		struct part_index *xi = &x[all[i].part];
		size_t at = all[i].at;
		struct coco_encoded e;
		json_t *img = all[i].obj;
		int bad = 0;

		memset(&e, 0, sizeof(e));
		sbuf_init(&e.b);
		e.w = (int)json_integer_value(json_object_get(img, "width"));
		e.h = (int)json_integer_value(json_object_get(img, "height"));
		for (k = 0; k < xi->count[at] && !bad; k++)
			bad = put_annotation(&e, xi, xi->by[xi->first[at] + k], files[all[i].part]) != 0;
		if (!bad && coco_writer_put(&w, (long long)i + 1, json_string_value(json_object_get(img, "file_name")), &e,
		    &cause) != 0) {
			cli_error(cause);
			bad = 1;
		}
		nanns += e.n;
		coco_encoded_free(&e);
		if (bad)
			goto out;
	}
	if (ncats)
		qsort(cats, ncats, sizeof(*cats), cmp_cat);
	for (i = 0; i < ncats; i++)
		coco_writer_category(&w, (int)cats[i].id, cats[i].name, cats[i].super);
	opened = 0;
	if (coco_writer_close(&w, &cause) != 0) {
		cli_error(cause);
		goto out;
	}
	fprintf(stderr, "pxlabel: merged %zu file%s into %s: %zu images, %zu annotations, %zu categories%s\n", n,
	    n == 1 ? "" : "s", out, nall, nanns, ncats, shards ? " (shards, in one run's order)" : "");
	rc = 0;
out:
	if (opened)
		coco_writer_abort(&w);
	for (i = 0; i < n; i++)
		part_index_free(&x[i]);
	free(x);
	free(cats);
	free(all);
	free(marks);
	parts_free(&p);
	return rc;
}

/* ---- stats ---- */

static int merge_stats(char **files, size_t n)
{
	struct parts p = { NULL, 0 };
	json_t **marks = xcalloc(n + 1, sizeof(json_t *)), *list = json_array(), *root = NULL, *tot, *states, *v;
	struct entry *all = NULL;
	size_t nall = 0, i, k, with_outlines = 0, reviewed_done = 0, with_slivers = 0;
	size_t state_count[REVIEW_NSTATES] = { 0 };
	unsigned long long pixels = 0, labeled = 0;
	json_int_t failed = 0;
	int rc = 1, shards;

	if (parts_load(&p, files, n) != 0)
		goto out;
	for (i = 0; i < n; i++) {
		json_t *images = json_object_get(p.root[i], "images");

		tot = json_object_get(p.root[i], "totals");
		if (!json_is_array(images) || !json_is_object(tot)) {
			cli_errorf("%s: not the output of pxlabel stats --json", files[i]);
			goto out;
		}
		marks[i] = json_object_get(tot, "shard");
		failed += json_integer_value(json_object_get(tot, "failed"));
		nall += json_array_size(images);
	}
	shards = one_split(marks, n);
	all = xcalloc(nall + 1, sizeof(*all));
	for (i = 0, nall = 0; i < n; i++)
		json_array_foreach(json_object_get(p.root[i], "images"), k, v) {
			all[nall] = (struct entry){ i, v, shards ? json_integer_value(json_object_get(v, "index")) : 0, nall, k };
			nall++;
		}
	if (nall)
		qsort(all, nall, sizeof(*all), cmp_entry);
	for (i = 0; i < nall; i++) {
		json_t *o = all[i].obj, *slivers = json_object_get(o, "slivers");
		const char *review = json_string_value(json_object_get(o, "review"));
		int has = json_is_true(json_object_get(o, "sidecar"));
		unsigned long long px = (unsigned long long)json_integer_value(json_object_get(o, "width")) *
		    (unsigned long long)json_integer_value(json_object_get(o, "height"));

		json_object_del(o, "index");
		json_array_append(list, o);
		/* The fraction was labeled / pixels in a double: times pixels, rounded, it is labeled. */
		pixels += px;
		labeled += (unsigned long long)(json_number_value(json_object_get(o, "labeled_fraction")) * (double)px + 0.5);
		if (has) {
			with_outlines++;
			if (session_review_done(review))
				reviewed_done++;
		}
		state_count[review_state_of(has ? review : NULL)]++;
		with_slivers += json_array_size(slivers) > 0;
	}
	root = json_object();
	tot = json_object();
	json_object_set_new(tot, "images", json_integer((json_int_t)nall));
	json_object_set_new(tot, "with_outlines", json_integer((json_int_t)with_outlines));
	json_object_set_new(tot, "reviewed_done", json_integer((json_int_t)reviewed_done));
	states = json_object();
	for (i = 0; i < REVIEW_NSTATES; i++)
		json_object_set_new(states, review_state_name((enum review_state)i), json_integer((json_int_t)state_count[i]));
	json_object_set_new(tot, "states", states);
	json_object_set_new(tot, "labeled_fraction", json_real(pixels ? (double)labeled / (double)pixels : 0.0));
	json_object_set_new(tot, "with_slivers", json_integer((json_int_t)with_slivers));
	json_object_set_new(tot, "failed", json_integer(failed));
	json_object_set(root, "images", list);
	json_object_set_new(root, "totals", tot);
	/* As stats --json prints it. */
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	putchar('\n');
	rc = failed ? 1 : 0;
out:
	json_decref(root);
	json_decref(list);
	free(all);
	free(marks);
	parts_free(&p);
	return rc;
}

static void usage(FILE *fp)
{
	fputs("Usage: pxlabel merge coco PART.json... -o ALL.json\n"
	      "  or:  pxlabel merge stats PART.json...\n"
	      "Makes the outputs of shards (--shard K/N) into what one run gives.\n"
	      "\n"
	      "  coco    the exports of coco: images and annotations numbered again, categories\n"
	      "          one list by name (their ids kept where they agree); shards of one split\n"
	      "          in one run's order, other files one after the other\n"
	      "  stats   the outputs of stats --json: the images of every part, the totals counted\n"
	      "          again (printed as stats --json prints them)\n"
	      "  -o, --output FILE    coco: the file to write\n"
	      "\n"
	      "Masks, VOC, Cityscapes and YOLO shards write disjoint files into one folder; then\n"
	      "'pxlabel export voc --lists-only DIR -o OUT' writes VOC's lists from what is there.\n",
	    fp);
}

int cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *what;
	int c;

	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			fputs("Try 'pxlabel merge --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind + 1 >= argc) {
		cli_errorf("merge needs coco or stats, and the files of the parts. Try 'pxlabel merge --help'.");
		return EXIT_USAGE;
	}
	what = argv[optind++];
	if ((size_t)(argc - optind) > MERGE_MAX_PARTS) {
		cli_errorf("merge takes at most %d files", MERGE_MAX_PARTS);
		return EXIT_USAGE;
	}
	if (!strcmp(what, "coco")) {
		if (!out) {
			cli_errorf("merge coco needs -o ALL.json");
			return EXIT_USAGE;
		}
		for (c = optind; c < argc; c++)
			if (!strcmp(argv[c], out)) {
				cli_errorf("%s is one of the parts: merge coco will not write over it", out);
				return EXIT_USAGE;
			}
		return merge_coco(argv + optind, (size_t)(argc - optind), out);
	}
	if (!strcmp(what, "stats")) {
		if (out) {
			cli_errorf("merge stats prints to standard output: no -o");
			return EXIT_USAGE;
		}
		return merge_stats(argv + optind, (size_t)(argc - optind));
	}
	cli_errorf("merge: unknown kind '%s': coco or stats", what);
	return EXIT_USAGE;
}
