/* cmd_agree.c: `pxlabel agree A B` (two folders, or two images) and `pxlabel agree DIR --users NAME1,NAME2`: how far two
 * annotations of the same images agree (agree.h), per class over the data set, and the images
 * that disagree most. Two folders with the same relative image paths, each with its own
 * pxlabel.ini, so classes are matched by name, never by id; or one shared folder and two
 * people's own files (queue.h: cat.NAME.pxl.json). Each side's masks are composed from its
 * outlines; a side with masks and no outlines (another tool's, a model's) is read from them. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "agree.h"
#include "batch.h"
#include "cli.h"
#include "compose.h"
#include "item.h"
#include "paths.h"
#include "pngio.h"
#include "queue.h"
#include "text.h"
#include "xalloc.h"

#define WORST_DEFAULT 10
#define LISTED_ONLY 10 /* images only one side annotated, named in the text output */

/* One image to compare: its file on each side (NULL where that side has no such image). */
struct pair {
	char *a, *b; /* owned */
	const char *name; /* shown: relative to the folders, or the image */
};

struct gclass {
	char *name; /* owned */
	int key;    /* its place in the table: A's id, else 256 + B's id */
	struct agree_counts c;
};

struct ranked {
	size_t i;
	double iou, pq;
	int has_pq;
};

struct agree_run {
	struct pair *pairs;
	size_t n;
	const char *person_a, *person_b; /* --users, else NULL */
	struct img_limits lim;
	int json;
	size_t worst;
	/* The fold's, in input order. */
	struct gclass *classes;
	size_t nclasses;
	struct ranked *ranked;
	size_t nranked;
	const char **only_a, **only_b; /* borrowed names */
	size_t nonly_a, nonly_b, neither, compared;
};

/* A worker's buffers, kept from image to image. */
struct agree_worker {
	struct compose ca, cb;
	struct agree_scratch s;
	uint8_t *cls[2];  /* masks read from files, or zeros for a side without annotations */
	uint16_t *ids[2];
	size_t cap[2];
};

struct agree_image_result {
	unsigned sides; /* 1: A has annotations, 2: B has */
	size_t nlocal;  /* class indices 1 .. nlocal */
	char *names[AGREE_MAX_CLASSES]; /* owned */
	int keys[AGREE_MAX_CLASSES];
	struct agree_counts *counts;    /* owned, nlocal + 1 */
};

static void worker_buffers(struct agree_worker *wk, int side, size_t n)
{
	if (wk->cap[side] >= n)
		return;
	free(wk->cls[side]);
	free(wk->ids[side]);
	wk->cls[side] = xmalloc(n);
	wk->ids[side] = xmalloc(n * sizeof(uint16_t));
	wk->cap[side] = n;
}

static void worker_free(void *ctx, void *scratch)
{
	struct agree_worker *wk = scratch;
	int k;

	(void)ctx;
	compose_free(&wk->ca);
	compose_free(&wk->cb);
	agree_scratch_free(&wk->s);
	for (k = 0; k < 2; k++) {
		free(wk->cls[k]);
		free(wk->ids[k]);
	}
}

/* Masks written by another tool, with no outlines beside them: read, checked against the
 * image's size. 1 when there are none, 0 read, -1 on an error (said). */
static int read_masks(const struct item *it, const struct img_limits *lim, struct agree_worker *wk, int side,
    struct agree_masks *m)
{
	uint16_t *cls = NULL, *ids = NULL;
	int w, h, w2, h2, rc = -1;
	char *cause = NULL;
	size_t k, n;

	if (access(it->labels, F_OK) != 0 || access(it->instances, F_OK) != 0)
		return 1;
	if (pngio_read_values(it->labels, lim, &cls, &w, &h, &cause) != 0 ||
	    pngio_read_values(it->instances, lim, &ids, &w2, &h2, &cause) != 0)
		goto out;
	if (w != it->info.w || h != it->info.h || w2 != w || h2 != h) {
		cause = xasprintf("%s, %s: %dx%d and %dx%d masks for a %dx%d image", it->labels, it->instances, w, h, w2, h2,
		    it->info.w, it->info.h);
		goto out;
	}
	n = (size_t)w * (size_t)h;
	worker_buffers(wk, side, n);
	for (k = 0; k < n; k++) {
		if (cls[k] > 255) {
			cause = xasprintf("%s: class %u: a class mask holds ids up to 255", it->labels, cls[k]);
			goto out;
		}
		wk->cls[side][k] = (uint8_t)cls[k];
	}
	memcpy(wk->ids[side], ids, n * sizeof(uint16_t));
	m->w = w;
	m->h = h;
	m->cls = wk->cls[side];
	m->ids = wk->ids[side];
	rc = 0;
out:
	if (rc < 0)
		cli_error(cause);
	free(cls);
	free(ids);
	return rc;
}

/* One side's masks, and which class ids have pixels in them. 1 when the side has no
 * annotations, 0 with masks, -1 on an error (said). */
static int side_masks(const struct item *it, const struct img_limits *lim, struct agree_worker *wk, int side,
    struct agree_masks *m, unsigned char present[256])
{
	struct compose *c = side ? &wk->cb : &wk->ca;
	char *cause = NULL;
	size_t k, n;
	int rc, id;

	memset(present, 0, 256);
	if (it->doc) {
		if (batch_compose(c, it->doc, &cause) != 0) {
			cli_error(cause);
			return -1;
		}
		m->w = c->w;
		m->h = c->h;
		m->cls = c->cls;
		m->ids = c->ids;
		for (id = 1; id < 256; id++)
			present[id] = c->class_pixels[id] != 0;
		return 0;
	}
	rc = read_masks(it, lim, wk, side, m);
	if (rc != 0)
		return rc;
	n = (size_t)m->w * (size_t)m->h;
	for (k = 0; k < n; k++)
		present[m->cls[k]] = 1;
	present[0] = 0;
	return 0;
}

/* The class index of name in r's local table, added when new. */
static uint16_t local_class(struct agree_image_result *res, const char *name, int key)
{
	size_t k;

	for (k = 1; k <= res->nlocal; k++)
		if (!strcmp(res->names[k], name))
			return (uint16_t)k;
	res->names[++res->nlocal] = xstrdup(name);
	res->keys[res->nlocal] = key;
	return (uint16_t)res->nlocal;
}

static int open_side(const struct agree_run *r, const char *image, const char *person, struct item *it)
{
	char *cause = NULL;

	if (item_open_as(it, image, &r->lim, 1, person, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	cli_warn(item_class_conflicts(it));
	return 0;
}

static enum batch_status agree_work(void *ctx, void *scratch, size_t i, void *result)
{
	const struct agree_run *r = ctx;
	const struct pair *p = &r->pairs[i];
	struct agree_worker *wk = scratch;
	struct agree_image_result *res = result;
	struct item it[2];
	const char *image[2] = { p->a, p->b }, *person[2] = { r->person_a, r->person_b };
	struct agree_masks m[2];
	unsigned char present[2][256];
	uint16_t map[2][256];
	int opened[2] = { 0, 0 }, rc[2] = { 1, 1 }, k, id;
	enum batch_status st = BATCH_FAILED;
	char *cause = NULL, buf[32];

	memset(it, 0, sizeof(it));
	memset(map, 0, sizeof(map));
	for (k = 0; k < 2; k++) {
		if (!image[k])
			continue;
		if (open_side(r, image[k], person[k], &it[k]) != 0)
			goto out;
		opened[k] = 1;
		rc[k] = side_masks(&it[k], &r->lim, wk, k, &m[k], present[k]);
		if (rc[k] < 0)
			goto out;
	}
	res->sides = (rc[0] == 0 ? 1u : 0u) | (rc[1] == 0 ? 2u : 0u);
	if (!res->sides) {
		st = BATCH_SKIPPED;
		goto out;
	}
	/* A side without annotations is an empty one, of the other's size: its classes all FN
	 * (or FP), counted so that an image one annotator left out weighs in. */
	for (k = 0; k < 2; k++) {
		if (rc[k] == 0)
			continue;
		m[k].w = m[!k].w;
		m[k].h = m[!k].h;
		worker_buffers(wk, k, (size_t)m[k].w * (size_t)m[k].h);
		memset(wk->cls[k], 0, (size_t)m[k].w * (size_t)m[k].h);
		memset(wk->ids[k], 0, (size_t)m[k].w * (size_t)m[k].h * sizeof(uint16_t));
		m[k].cls = wk->cls[k];
		m[k].ids = wk->ids[k];
		memset(present[k], 0, 256);
	}
	/* Classes by name: each side's ids through its own pxlabel.ini (or its sidecar's record). */
	for (k = 0; k < 2; k++)
		for (id = 1; id < 256; id++)
			if (present[k][id])
				map[k][id] = local_class(res, item_class_name(&it[k], id, buf, sizeof(buf)), k * 256 + id);
	res->counts = xcalloc(res->nlocal + 1, sizeof(*res->counts));
	if (agree_image(&m[0], &m[1], map[0], map[1], res->nlocal + 1, res->counts, &wk->s, &cause) != 0) {
		cli_error(xasprintf("%s: %s", p->name, cause));
		free(cause);
		goto out;
	}
	st = BATCH_DONE;
out:
	for (k = 0; k < 2; k++)
		if (opened[k])
			item_close(&it[k]);
	return st;
}

static enum batch_status agree_fold(void *ctx, size_t i, enum batch_status st, void *result)
{
	struct agree_run *r = ctx;
	struct agree_image_result *res = result;
	struct agree_mean mean;
	size_t k, g;

	if (st == BATCH_SKIPPED)
		r->neither++;
	if (st != BATCH_DONE)
		goto out;
	r->compared++;
	if (res->sides == 1) {
		r->only_a = xreallocarray(r->only_a, r->nonly_a + 1, sizeof(*r->only_a));
		r->only_a[r->nonly_a++] = r->pairs[i].name;
	} else if (res->sides == 2) {
		r->only_b = xreallocarray(r->only_b, r->nonly_b + 1, sizeof(*r->only_b));
		r->only_b[r->nonly_b++] = r->pairs[i].name;
	}
	for (k = 1; k <= res->nlocal; k++) {
		for (g = 0; g < r->nclasses && strcmp(r->classes[g].name, res->names[k]); g++)
			;
		if (g == r->nclasses) {
			r->classes = xreallocarray(r->classes, r->nclasses + 1, sizeof(*r->classes));
			memset(&r->classes[g], 0, sizeof(r->classes[g]));
			r->classes[g].name = xstrdup(res->names[k]);
			r->classes[g].key = res->keys[k];
			r->nclasses++;
		}
		if (res->keys[k] < r->classes[g].key)
			r->classes[g].key = res->keys[k];
		agree_add(&r->classes[g].c, &res->counts[k]);
	}
	agree_mean(res->counts + 1, res->nlocal, &mean);
	if (mean.n_iou) {
		r->ranked = xreallocarray(r->ranked, r->nranked + 1, sizeof(*r->ranked));
		r->ranked[r->nranked++] = (struct ranked){ i, mean.iou, mean.pq, mean.n_pq > 0 };
	}
out:
	for (k = 1; k <= res->nlocal; k++)
		free(res->names[k]);
	free(res->counts);
	return st;
}

static int cmp_class(const void *x, const void *y)
{
	const struct gclass *a = x, *b = y;

	return a->key != b->key ? (a->key < b->key ? -1 : 1) : strcmp(a->name, b->name);
}

/* Worst first; ties in input order, so the list is the same on every run. */
static int cmp_ranked(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;

	if (a->iou != b->iou)
		return a->iou < b->iou ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* A JSON string from a name that may not be UTF-8 (its visible form then). */
static json_t *json_name(const char *s)
{
	json_t *j = json_string(s);
	char *shown;

	if (j)
		return j;
	shown = text_message(s);
	j = json_string(shown);
	free(shown);
	return j;
}

static json_t *json_measure(int has, double v)
{
	return has ? json_real(v) : json_null();
}

static json_t *json_names(const char *const *names, size_t n)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < n; k++)
		json_array_append_new(a, json_name(names[k]));
	return a;
}

static void print_json(const struct agree_run *r, const struct agree_mean *mean, size_t nworst, size_t failed)
{
	json_t *root = json_object(), *classes = json_object(), *images = json_object(), *worst = json_array();
	size_t k;

	for (k = 0; k < r->nclasses; k++) {
		const struct gclass *g = &r->classes[k];
		struct agree_score sc;
		json_t *o = json_object();
		json_t *probe = json_string(g->name); /* NULL: not UTF-8, so no key */
		char *key = probe ? NULL : text_message(g->name);

		agree_score(&g->c, &sc);
		json_object_set_new(o, "iou", json_measure(sc.has_iou, sc.iou));
		json_object_set_new(o, "pq", json_measure(sc.has_pq, sc.pq));
		json_object_set_new(o, "sq", json_measure(sc.has_pq, sc.sq));
		json_object_set_new(o, "rq", json_measure(sc.has_pq, sc.rq));
		json_object_set_new(o, "tp", json_integer((json_int_t)g->c.tp));
		json_object_set_new(o, "fp", json_integer((json_int_t)g->c.fp));
		json_object_set_new(o, "fn", json_integer((json_int_t)g->c.fn));
		/* The sums the measures come from, so that the parts of a data set compared apart
		 * (shards) can be added into the whole's answer. */
		json_object_set_new(o, "intersection", json_integer((json_int_t)g->c.inter));
		json_object_set_new(o, "union", json_integer((json_int_t)g->c.uni));
		json_object_set_new(o, "iou_sum", json_real(g->c.iou_sum));
		json_object_set_new(classes, key ? key : g->name, o);
		free(key);
		json_decref(probe);
	}
	json_object_set_new(root, "classes", classes);
	json_object_set_new(root, "mean_iou", json_measure(mean->n_iou > 0, mean->iou));
	json_object_set_new(root, "pq", json_measure(mean->n_pq > 0, mean->pq));
	json_object_set_new(root, "sq", json_measure(mean->n_pq > 0, mean->sq));
	json_object_set_new(root, "rq", json_measure(mean->n_pq > 0, mean->rq));
	json_object_set_new(images, "compared", json_integer((json_int_t)r->compared));
	json_object_set_new(images, "only_a", json_names(r->only_a, r->nonly_a));
	json_object_set_new(images, "only_b", json_names(r->only_b, r->nonly_b));
	json_object_set_new(images, "neither", json_integer((json_int_t)r->neither));
	json_object_set_new(images, "failed", json_integer((json_int_t)failed));
	json_object_set_new(root, "images", images);
	for (k = 0; k < nworst; k++) {
		const struct ranked *w = &r->ranked[k];
		json_t *o = json_object();

		json_object_set_new(o, "image", json_name(r->pairs[w->i].name));
		json_object_set_new(o, "mean_iou", json_real(w->iou));
		json_object_set_new(o, "pq", json_measure(w->has_pq, w->pq));
		json_array_append_new(worst, o);
	}
	json_object_set_new(root, "worst", worst);
	/* ASCII only, as stats: C1 and bidirectional overrides in names as \uXXXX. */
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(17));
	putchar('\n');
	json_decref(root);
}

static void print_measure(char *buf, size_t n, int has, double v)
{
	if (has)
		snprintf(buf, n, "%6.3f", v);
	else
		snprintf(buf, n, "%6s", "-");
}

static void print_text(const struct agree_run *r, const char *label_a, const char *label_b,
    const struct agree_mean *mean, size_t nworst, size_t failed)
{
	char iou[16], pq[16], sq[16], rq[16];
	size_t k, width = 5;

	for (k = 0; k < r->nclasses; k++)
		if (strlen(r->classes[k].name) > width)
			width = strlen(r->classes[k].name) < 30 ? strlen(r->classes[k].name) : 30;
	cli_line(stdout, "%-*s  %6s %6s %6s %6s %8s %8s %8s", (int)width, "class", "IoU", "PQ", "SQ", "RQ", "TP", "FP", "FN");
	for (k = 0; k < r->nclasses; k++) {
		const struct gclass *g = &r->classes[k];
		struct agree_score sc;

		agree_score(&g->c, &sc);
		print_measure(iou, sizeof(iou), sc.has_iou, sc.iou);
		print_measure(pq, sizeof(pq), sc.has_pq, sc.pq);
		print_measure(sq, sizeof(sq), sc.has_pq, sc.sq);
		print_measure(rq, sizeof(rq), sc.has_pq, sc.rq);
		cli_line(stdout, "%-*s  %s %s %s %s %8llu %8llu %8llu", (int)width, g->name, iou, pq, sq, rq,
		    (unsigned long long)g->c.tp, (unsigned long long)g->c.fp, (unsigned long long)g->c.fn);
	}
	print_measure(iou, sizeof(iou), mean->n_iou > 0, mean->iou);
	print_measure(pq, sizeof(pq), mean->n_pq > 0, mean->pq);
	print_measure(sq, sizeof(sq), mean->n_pq > 0, mean->sq);
	print_measure(rq, sizeof(rq), mean->n_pq > 0, mean->rq);
	cli_line(stdout, "%-*s  %s %s %s %s   (over %zu class%s; PQ over %zu)", (int)width, "mean", iou, pq, sq,
	    rq, mean->n_iou, mean->n_iou == 1 ? "" : "es", mean->n_pq);
	cli_line(stdout, "images: %zu compared (FN: in %s only, FP: in %s only), %zu without annotations on either side%s",
	    r->compared, label_a, label_b, r->neither, failed ? ", some failed (see above)" : "");
	for (k = 0; k < 2; k++) {
		const char *const *only = k ? r->only_b : r->only_a;
		size_t n = k ? r->nonly_b : r->nonly_a, j;

		if (!n)
			continue;
		cli_line(stdout, "annotated by %s only: %zu image%s", k ? label_b : label_a, n, n == 1 ? "" : "s");
		for (j = 0; j < n && j < LISTED_ONLY; j++)
			cli_line(stdout, "  %s", only[j]);
		if (n > LISTED_ONLY)
			cli_line(stdout, "  ... (--json lists them all)");
	}
	if (nworst) {
		cli_line(stdout, "disagree most (the image's mean IoU over its classes, and its PQ):");
		for (k = 0; k < nworst; k++) {
			const struct ranked *w = &r->ranked[k];

			print_measure(pq, sizeof(pq), w->has_pq, w->pq);
			cli_line(stdout, "  %6.3f %s  %s", w->iou, pq, r->pairs[w->i].name);
		}
	}
}

static int cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	return paths_natural_cmp(a->name, b->name);
}

/* The images of one folder as pairs on one side, named relative to it. */
static int collect_side(const char *dir, int side, struct pair **out, size_t *n)
{
	char **images = NULL;
	size_t k, len = strlen(dir);

	if (cli_collect((char *const *)&dir, 1, &images, n) != 0)
		return -1;
	while (len > 1 && dir[len - 1] == '/')
		len--;
	*out = xcalloc(*n ? *n : 1, sizeof(**out));
	for (k = 0; k < *n; k++) {
		char *img = images[k];

		if (side)
			(*out)[k].b = img;
		else
			(*out)[k].a = img;
		(*out)[k].name = !strncmp(img, dir, len) && img[len] == '/' ? img + len + 1 : img;
	}
	free(images);
	qsort(*out, *n, sizeof(**out), cmp_pair);
	return 0;
}

/* The two folders' images, matched by their paths relative to each folder; or two images. */
static int pair_folders(const char *a, const char *b, struct pair **pairs, size_t *n)
{
	struct pair *pa = NULL, *pb = NULL;
	size_t na = 0, nb = 0, i = 0, j = 0;
	struct stat sa, sb;

	if (stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) && S_ISREG(sb.st_mode)) {
		*pairs = xcalloc(1, sizeof(**pairs));
		(*pairs)->a = xstrdup(a);
		(*pairs)->b = xstrdup(b);
		(*pairs)->name = (*pairs)->a;
		*n = 1;
		return 0;
	}
	if (collect_side(a, 0, &pa, &na) != 0 || collect_side(b, 1, &pb, &nb) != 0) {
		for (i = 0; i < na; i++)
			free(pa[i].a);
		free(pa);
		return -1;
	}
	*pairs = xcalloc(na + nb + 1, sizeof(**pairs));
	*n = 0;
	while (i < na || j < nb) {
		int c = i == na ? 1 : j == nb ? -1 : paths_natural_cmp(pa[i].name, pb[j].name);

		if (c <= 0) {
			(*pairs)[*n] = pa[i++];
			if (c == 0)
				(*pairs)[*n].b = pb[j++].b;
		} else {
			(*pairs)[*n] = pb[j++];
		}
		(*n)++;
	}
	free(pa);
	free(pb);
	return 0;
}

/* --users A,B: two people's names. */
static int parse_users(char *s, const char **a, const char **b)
{
	char *comma = strchr(s, ','), *cause = NULL;

	if (!comma || strchr(comma + 1, ',')) {
		cli_errorf("--users wants two names, NAME1,NAME2");
		return -1;
	}
	*comma = '\0';
	*a = s;
	*b = comma + 1;
	if (queue_check_name(*a, &cause) != 0 || queue_check_name(*b, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	if (!strcmp(*a, *b)) {
		cli_errorf("--users names %s twice", *a);
		return -1;
	}
	return 0;
}

int cmd_agree(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "worst", required_argument, NULL, 'w' },
		{ "users", required_argument, NULL, 'u' },
		BATCH_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	static const struct batch_ops ops = {
		.work = agree_work,
		.fold = agree_fold,
		.scratch_free = worker_free,
		.result_size = sizeof(struct agree_image_result),
		.scratch_size = sizeof(struct agree_worker),
	};
	struct agree_run r;
	struct batch_opts bo = { 0 };
	struct batch_tally bt = { 0 };
	struct agree_mean mean;
	struct agree_counts *all = NULL;
	char **names = NULL, *users = NULL, *end;
	const char *label_a, *label_b;
	size_t k, nworst;
	int c, status = EXIT_USAGE;
	long v;

	memset(&r, 0, sizeof(r));
	img_limits_default(&r.lim);
	r.worst = WORST_DEFAULT;
	optind = 0;
	while ((c = getopt_long(argc, argv, "hj:", longopts, NULL)) != -1) {
		switch (batch_option(c, optarg, &bo, &r.lim)) {
		case BATCH_OPTION_TAKEN:
			continue;
		case BATCH_OPTION_BAD:
			return EXIT_USAGE;
		case BATCH_OPTION_HELP:
			fputs("Usage: pxlabel agree [--json] [--worst N] A B     (two folders, or two images)\n"
			      "  or:  pxlabel agree [--json] [--worst N] --users NAME1,NAME2 IMAGE|DIR...\n"
			      "\n"
			      "  --json               as JSON (with the sums behind the measures)\n"
			      "  --worst N            the N images that disagree most (default 10)\n",
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
		case 'w':
			v = strtol(optarg, &end, 10);
			if (end == optarg || *end || v < 0 || v > 1000000) {
				cli_errorf("--worst wants a number of images, 0 to 1000000, not '%s'", optarg);
				return EXIT_USAGE;
			}
			r.worst = (size_t)v;
			break;
		case 'u':
			users = optarg;
			break;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (users) {
		users = xstrdup(users);
		if (parse_users(users, &r.person_a, &r.person_b) != 0)
			goto out;
		if (optind >= argc) {
			cli_errorf("agree --users needs the IMAGE or DIR the two worked in. Try 'pxlabel --help'.");
			goto out;
		}
		status = 1;
		if (cli_collect(argv + optind, (size_t)(argc - optind), &names, &r.n) != 0)
			goto out;
		batch_shard_filter(&bo, names, &r.n);
		r.pairs = xcalloc(r.n ? r.n : 1, sizeof(*r.pairs));
		for (k = 0; k < r.n; k++) {
			r.pairs[k].a = names[k];
			r.pairs[k].b = xstrdup(names[k]);
			r.pairs[k].name = names[k];
		}
		free(names);
		names = NULL;
		label_a = r.person_a;
		label_b = r.person_b;
	} else {
		if (argc - optind != 2) {
			cli_errorf("agree compares two folders A B (or one with --users NAME1,NAME2). Try 'pxlabel --help'.");
			goto out;
		}
		status = 1;
		if (pair_folders(argv[optind], argv[optind + 1], &r.pairs, &r.n) != 0)
			goto out;
		/* A share by the path both folders have in common, so that the two sides of an
		 * image fall in one shard. */
		if (bo.nshards > 1) {
			size_t j = 0;

			for (k = 0; k < r.n; k++) {
				if (batch_shard_of(r.pairs[k].name, bo.nshards) == bo.shard) {
					r.pairs[j++] = r.pairs[k];
					continue;
				}
				free(r.pairs[k].a);
				free(r.pairs[k].b);
			}
			r.n = j;
		}
		label_a = argv[optind];
		label_b = argv[optind + 1];
	}
	names = xcalloc(r.n ? r.n : 1, sizeof(*names));
	for (k = 0; k < r.n; k++)
		names[k] = (char *)r.pairs[k].name;
	batch_run(&ops, &r, names, r.n, bo.jobs, &bt);
	if (r.nclasses > 1) /* an empty shard has none: qsort's base must not be NULL */
		qsort(r.classes, r.nclasses, sizeof(*r.classes), cmp_class);
	all = xcalloc(r.nclasses ? r.nclasses : 1, sizeof(*all));
	for (k = 0; k < r.nclasses; k++)
		all[k] = r.classes[k].c;
	agree_mean(all, r.nclasses, &mean);
	if (r.nranked > 1)
		qsort(r.ranked, r.nranked, sizeof(*r.ranked), cmp_ranked);
	nworst = r.worst < r.nranked ? r.worst : r.nranked;
	if (r.json)
		print_json(&r, &mean, nworst, bt.failed);
	else
		print_text(&r, label_a, label_b, &mean, nworst, bt.failed);
	status = bt.failed ? 1 : 0;
out:
	for (k = 0; k < r.n; k++) {
		free(r.pairs[k].a);
		free(r.pairs[k].b);
	}
	free(r.pairs);
	for (k = 0; k < r.nclasses; k++)
		free(r.classes[k].name);
	free(r.classes);
	free(r.ranked);
	free(r.only_a);
	free(r.only_b);
	free(all);
	free(names);
	free(users);
	return status;
}
