/* batch.c: what the commands share: expanding the arguments into images, the loop of the batch
 * commands (batch.h), a progress line on a terminal (quiet when stderr is piped, so logs stay
 * clean), warnings, and "WxH" arguments. */
#include "config.h"

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "batch.h"
#include "cli.h"
#include "colour.h"
#include "dataset.h"
#include "item.h"
#include "paths.h"
#include "raster.h"
#include "sbuf.h"
#include "sidecar.h"
#include "text.h"
#include "xalloc.h"

#include <jansson.h>

/* The commands that write run -j threads: a signal that ends them is taken by a thread of its
 * own, which waits for it (every other thread has these signals blocked). It removes the
 * temporaries under afile's lock, which it keeps, so no worker makes or finishes one after; then
 * the signal ends the process by its default action, and whoever waits (a shell, Slurm) sees
 * which. A handler could do neither: it may not take a lock, and the other threads go on
 * writing while it runs. */
static sigset_t ending;

static void *signal_thread(void *arg)
{
	sigset_t one;
	int sig;

	(void)arg;
	while (sigwait(&ending, &sig) != 0)
		;
	afile_remove_temporaries_for_good();
	signal(sig, SIG_DFL);
	sigemptyset(&one);
	sigaddset(&one, sig);
	pthread_sigmask(SIG_UNBLOCK, &one, NULL);
	raise(sig);
	/* The default action of SIGINT, SIGTERM and SIGHUP ends the process before this. */
	_exit(128 + sig);
}

void cli_remove_temporaries_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction old;
	pthread_attr_t attr;
	pthread_t t;
	size_t i;
	int any = 0;

	sigemptyset(&ending);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* A signal ignored from the start (nohup, a background job of a script) stays
		 * ignored: the user asked for the command to outlive it. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaddset(&ending, sigs[i]);
		any = 1;
	}
	if (!any)
		return;
	/* Blocked before any thread is made: every thread made after inherits the mask. */
	pthread_sigmask(SIG_BLOCK, &ending, NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &attr, signal_thread, NULL) != 0)
		pthread_sigmask(SIG_UNBLOCK, &ending, NULL); /* no thread: the signals act as they would */
	pthread_attr_destroy(&attr);
}

/* Why a sidecar without an image of its name is skipped, from what it records (a broken one
 * says nothing: the stem is then all there is to go on). */
static char *orphan_warning(const char *sidecar)
{
	struct sidecar_meta meta = { 0 };
	struct doc *doc = NULL;
	char *dir, *image, *msg, *cause = NULL;
	const char *recorded;
	struct stat st;

	if (sidecar_load(sidecar, &doc, &meta, &cause) != 0 || !meta.image_file || !*meta.image_file) {
		msg = xasprintf("%s: no PNG, JPEG or TIFF image of its name beside it; skipped", sidecar);
		goto out;
	}
	recorded = meta.image_file;
	dir = xasprintf("%.*s", (int)(paths_base(sidecar) - sidecar), sidecar);
	image = xasprintf("%s%s", dir, recorded);
	if (stat(image, &st) != 0)
		msg = xasprintf("%s: its image %s is missing; skipped", sidecar, recorded);
	else if (!paths_is_image(paths_base(recorded), NULL))
		msg = xasprintf("%s: its image %s is not a PNG, JPEG or TIFF; skipped", sidecar, recorded);
	else
		msg = xasprintf("%s: made for %s, but no image of its own name is beside it; skipped", sidecar,
		    recorded);
	free(image);
	free(dir);
out:
	free(cause);
	doc_free(doc);
	sidecar_meta_free(&meta);
	return msg;
}

int cli_collect(char *const *args, size_t nargs, char ***images, size_t *n)
{
	char *cause = NULL, **orphans;
	size_t norphans, i;

	if (paths_collect(args, nargs, NULL, images, n, &orphans, &norphans, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	/* Temporaries of a killed writer (a session, or a batch command, killed mid-write) in the
	 * folders this command works in. */
	paths_sweep(*images, *n, NULL);
	paths_sweep(orphans, norphans, NULL);
	/* Outlines nothing would read: an image deleted or renamed after it was annotated. */
	for (i = 0; i < norphans; i++)
		cli_warn(orphan_warning(orphans[i]));
	paths_list_free(orphans, norphans);
	return 0;
}

/* One input of a threaded run, from its work to its fold. */
struct slot {
	int ready;
	enum batch_status st;
	struct sbuf said; /* what its work said on stderr, said when it is folded */
	void *result;
};

/* A threaded run: workers take inputs in order and leave each in slot i % nslots; the calling
 * thread folds them in order. A worker takes input i only once input i - nslots is folded, so
 * results in memory stay bounded however slow one input is. */
struct pool {
	const struct batch_ops *ops;
	void *ctx;
	size_t n, next, folded, nslots;
	struct slot *slots;
	pthread_mutex_t mu;
	pthread_cond_t space, ready;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	const struct batch_ops *ops = p->ops;
	void *scratch = xcalloc(1, ops->scratch_size ? ops->scratch_size : 1);
	struct slot *s;
	enum batch_status st;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (p->next < p->n && p->next >= p->folded + p->nslots)
			pthread_cond_wait(&p->space, &p->mu);
		if (p->next >= p->n) {
			pthread_mutex_unlock(&p->mu);
			break;
		}
		i = p->next++;
		pthread_mutex_unlock(&p->mu);
		s = &p->slots[i % p->nslots];
		memset(s->result, 0, ops->result_size);
		cli_hold_stderr(&s->said);
		st = ops->work(p->ctx, scratch, i, s->result);
		cli_hold_stderr(NULL);
		pthread_mutex_lock(&p->mu);
		s->st = st;
		s->ready = 1;
		pthread_cond_broadcast(&p->ready);
		pthread_mutex_unlock(&p->mu);
	}
	if (ops->scratch_free)
		ops->scratch_free(p->ctx, scratch);
	free(scratch);
	return NULL;
}

static void tally_add(struct batch_tally *t, enum batch_status st)
{
	t->n++;
	if (st == BATCH_DONE)
		t->done++;
	else if (st == BATCH_SKIPPED)
		t->skipped++;
	else
		t->failed++;
}

static void run_here(const struct batch_ops *ops, void *ctx, char *const *names, size_t n, struct batch_tally *t)
{
	void *scratch = xcalloc(1, ops->scratch_size ? ops->scratch_size : 1);
	void *result = xmalloc(ops->result_size ? ops->result_size : 1);
	enum batch_status st;
	size_t i;

	for (i = 0; i < n; i++) {
		cli_progress(i, n, paths_base(names[i]));
		memset(result, 0, ops->result_size);
		st = ops->work(ctx, scratch, i, result);
		if (ops->fold)
			st = ops->fold(ctx, i, st, result);
		tally_add(t, st);
	}
	cli_progress(n, n, NULL);
	if (ops->scratch_free)
		ops->scratch_free(ctx, scratch);
	free(result);
	free(scratch);
}

unsigned batch_jobs(unsigned jobs, size_t n)
{
	long cores;
	cpu_set_t set;

	if (jobs == 0) {
		/* The cores this process may run on: a Slurm task, taskset or a container gets its
		 * share of the machine, not all of it. */
		if (sched_getaffinity(0, sizeof(set), &set) == 0)
			cores = CPU_COUNT(&set);
		else
			cores = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = cores < 1 ? 1 : cores > BATCH_MAX_JOBS ? BATCH_MAX_JOBS : (unsigned)cores;
	}
	return n < jobs ? (n ? (unsigned)n : 1) : jobs;
}

void batch_run(const struct batch_ops *ops, void *ctx, char *const *names, size_t n, unsigned jobs,
    struct batch_tally *t)
{
	struct pool p;
	pthread_t *threads;
	unsigned nthreads = batch_jobs(jobs, n), k, started = 0;
	size_t i;

	if (nthreads <= 1) {
		run_here(ops, ctx, names, n, t);
		return;
	}
	/* jansson makes its hash seed on the first object; made here, before any thread could. */
	json_object_seed(0);
	memset(&p, 0, sizeof(p));
	p.ops = ops;
	p.ctx = ctx;
	p.n = n;
	p.nslots = 4 * (size_t)nthreads;
	p.slots = xcalloc(p.nslots, sizeof(struct slot));
	for (i = 0; i < p.nslots; i++) {
		sbuf_init(&p.slots[i].said);
		p.slots[i].result = xmalloc(ops->result_size ? ops->result_size : 1);
	}
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.space, NULL);
	pthread_cond_init(&p.ready, NULL);
	threads = xcalloc(nthreads, sizeof(pthread_t));
	for (k = 0; k < nthreads; k++)
		if (pthread_create(&threads[k], NULL, worker, &p) == 0)
			started++;
		else
			break;
	if (!started) { /* no thread to be had: the work is done here */
		pthread_mutex_lock(&p.mu);
		p.next = n;
		pthread_mutex_unlock(&p.mu);
		run_here(ops, ctx, names, n, t);
		goto out;
	}
	for (i = 0; i < n; i++) {
		struct slot *s = &p.slots[i % p.nslots];
		enum batch_status st;

		cli_progress(i, n, paths_base(names[i]));
		pthread_mutex_lock(&p.mu);
		while (!s->ready)
			pthread_cond_wait(&p.ready, &p.mu);
		pthread_mutex_unlock(&p.mu);
		if (s->said.len)
			fwrite(s->said.data, 1, s->said.len, stderr);
		s->said.len = 0;
		st = s->st;
		if (ops->fold)
			st = ops->fold(ctx, i, st, s->result);
		tally_add(t, st);
		pthread_mutex_lock(&p.mu);
		s->ready = 0;
		p.folded++;
		pthread_cond_broadcast(&p.space);
		pthread_mutex_unlock(&p.mu);
	}
	cli_progress(n, n, NULL);
out:
	for (k = 0; k < started; k++)
		pthread_join(threads[k], NULL);
	free(threads);
	for (i = 0; i < p.nslots; i++) {
		sbuf_free(&p.slots[i].said);
		free(p.slots[i].result);
	}
	free(p.slots);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.space);
	pthread_cond_destroy(&p.ready);
}

int batch_parse_shard(const char *opt, const char *arg, unsigned *k, unsigned *n)
{
	unsigned long a, b;
	char *end;

	if (*arg < '0' || *arg > '9')
		goto bad;
	a = strtoul(arg, &end, 10);
	if (*end != '/' || end[1] < '0' || end[1] > '9')
		goto bad;
	b = strtoul(end + 1, &end, 10);
	if (*end || b < 1 || b > 1000000 || a >= b)
		goto bad;
	*k = (unsigned)a;
	*n = (unsigned)b;
	return 0;
bad:
	cli_errorf("%s needs K/N with 0 <= K < N (N up to 1000000), not '%s'", opt, arg);
	return -1;
}

enum batch_option_result batch_option(int c, const char *arg, struct batch_opts *o, struct img_limits *lim)
{
	unsigned long v;
	char *end;

	switch (c) {
	case 'j':
		v = arg[0] >= '0' && arg[0] <= '9' ? strtoul(arg, &end, 10) : 0;
		if (arg[0] < '1' || arg[0] > '9' || *end || v > BATCH_MAX_JOBS) {
			cli_errorf("-j needs a number of threads, 1 to %d, not '%s'", BATCH_MAX_JOBS, arg);
			return BATCH_OPTION_BAD;
		}
		o->jobs = (unsigned)v;
		return BATCH_OPTION_TAKEN;
	case BATCH_OPT_SHARD:
		if (batch_parse_shard("--shard", arg, &o->shard, &o->nshards) != 0)
			return BATCH_OPTION_BAD;
		return BATCH_OPTION_TAKEN;
	case 'P':
	case 'F':
		/* By its long name, the one its error says (an abbreviation is said in full). */
		if (cli_limit_option(c == 'P' ? "max-pixels" : "max-file-size", arg, lim) < 0)
			return BATCH_OPTION_BAD;
		return BATCH_OPTION_TAKEN;
	case 'h':
		return BATCH_OPTION_HELP;
	}
	return BATCH_OPTION_NOT_MINE;
}

void batch_help(FILE *fp)
{
	fputs("  -j, --jobs N         N threads (default: one a core); the output is the same\n"
	      "  --shard K/N          only the images of share K of N (0 <= K < N), by a hash of\n"
	      "                       the path in the data set: the same on every machine\n",
	    fp);
	batch_help_limits(fp);
}

void batch_help_limits(FILE *fp)
{
	fputs("  --max-pixels N, --max-file-size BYTES   image limits\n", fp);
}

/* FNV-1a, 64 bits, folded to 32 by its upper half: stable across machines and versions, and
 * apart from assign's deal (which takes the lower bits of the same hash) so that a person's
 * queue is not one shard. */
unsigned batch_shard_of(const char *rel, unsigned n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *rel; rel++)
		h = (h ^ (unsigned char)*rel) * 0x100000001b3ULL;
	return (unsigned)((h >> 32) % n);
}

/* The data set folder of the images in one folder, for batch_dataset_rel: the last folder
 * asked about, as images come folder by folder. */
struct root_cache {
	char *dir;  /* as given */
	char *real; /* its real path */
	char *root; /* the real path of its data set's folder, NULL when it has no pxlabel.ini */
};

static char *dataset_rel(struct root_cache *c, const char *image)
{
	const char *base = paths_base(image);
	char *dir = xasprintf("%.*s", (int)(base - image), image), *ini = NULL, *cause = NULL, *rel;
	size_t len;

	if (!c->dir || strcmp(c->dir, dir)) {
		free(c->dir);
		free(c->real);
		free(c->root);
		c->dir = xstrdup(dir);
		c->real = realpath(*dir ? dir : ".", NULL);
		c->root = NULL;
		if (c->real && dataset_find(*dir ? dir : ".", &ini, &cause) == 0 && ini) {
			char *idir = xasprintf("%.*s", (int)(paths_base(ini) - ini), ini);

			c->root = realpath(idir, NULL);
			free(idir);
		}
		free(ini);
		free(cause);
	}
	free(dir);
	if (!c->real || !c->root)
		return xstrdup(base);
	len = strlen(c->root);
	if (!strcmp(c->real, c->root))
		return xstrdup(base);
	if (!strncmp(c->real, c->root, len) && (c->real[len] == '/' || !strcmp(c->root, "/"))) {
		const char *sub = c->real + len + (c->real[len] == '/');

		rel = xasprintf("%s/%s", sub, base);
		return rel;
	}
	return xstrdup(base);
}

static void root_cache_free(struct root_cache *c)
{
	free(c->dir);
	free(c->real);
	free(c->root);
}

char *batch_dataset_rel(const char *image)
{
	struct root_cache c = { NULL, NULL, NULL };
	char *rel = dataset_rel(&c, image);

	root_cache_free(&c);
	return rel;
}

size_t batch_shard_pick(const struct batch_opts *o, char *const *images, size_t n, size_t **index)
{
	struct root_cache c = { NULL, NULL, NULL };
	size_t i, k = 0;

	*index = xcalloc(n + 1, sizeof(size_t));
	for (i = 0; i < n; i++) {
		if (o->nshards > 1) {
			char *rel = dataset_rel(&c, images[i]);
			unsigned share = batch_shard_of(rel, o->nshards);

			free(rel);
			if (share != o->shard)
				continue;
		}
		(*index)[k++] = i;
	}
	root_cache_free(&c);
	return k;
}

void batch_shard_filter(const struct batch_opts *o, char **images, size_t *n)
{
	size_t *index, k, i, j = 0;

	if (o->nshards <= 1)
		return;
	k = batch_shard_pick(o, images, *n, &index);
	for (i = 0; i < *n; i++) {
		if (j < k && index[j] == i)
			images[j++] = images[i];
		else
			free(images[i]);
	}
	*n = k;
	free(index);
}

void cli_note_stale_masks(const struct item *it, size_t *count)
{
	char *why = item_masks_stale(it);

	if (!why)
		return;
	if (count)
		(*count)++;
	else
		cli_warn(xasprintf("%s: the masks are out of date (pxlabel mask rebuilds them)", why));
	free(why);
}

int batch_item_open(struct item *it, const char *image, const struct img_limits *lim)
{
	char *cause = NULL;

	if (item_open(it, image, lim, 1, &cause) != 0) {
		cli_error(cause);
		return -1;
	}
	/* A class renamed in pxlabel.ini since the outlines were saved: say so, once an image. */
	cli_warn(item_class_conflicts(it));
	return 0;
}

int batch_compose(struct compose *c, const struct doc *d, char **cause)
{
	if ((c->w != d->w || c->h != d->h) && (compose_free(c), compose_init(c, d->w, d->h, cause) != 0))
		return -1;
	if (compose_all(c, d, cause) != 0) {
		compose_free(c);
		return -1;
	}
	return 0;
}

void batch_compose_free(void *ctx, void *scratch)
{
	compose_free(scratch);
}

int cli_parse_wxh(const char *s, int *w, int *h, long min, long max)
{
	char *end;
	long a, b;

	a = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	s = end + 1;
	b = strtol(s, &end, 10);
	if (end == s || *end || a < min || b < min || a > max || b > max)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

int cli_line_width(const char *arg, int32_t *w)
{
	char *end;
	double lw = strtod(arg, &end);

	if (*end || !(lw > 0) || lw > 10000) {
		cli_errorf("--line-width needs a width in pixels, not '%s'", arg);
		return -1;
	}
	*w = (int32_t)(lw * RASTER_ONE + 0.5);
	return 0;
}

int cli_term_option(int c, const char *arg, int *cell_w, int *cell_h, int *timeout_ms, int *colours)
{
	char *end;
	long v;

	switch (c) {
	case 'C':
		if (cli_parse_wxh(arg, cell_w, cell_h, 2, 512) == 0)
			return 1;
		cli_errorf("--cell wants WIDTHxHEIGHT in pixels, e.g. 10x20, not '%s'", arg);
		return -1;
	case 'T':
		v = strtol(arg, &end, 10);
		if (end != arg && !*end && v >= 0 && v <= 60000) {
			*timeout_ms = (int)v;
			return 1;
		}
		cli_errorf("--query-timeout wants milliseconds (0 to 60000), not '%s'", arg);
		return -1;
	case 'c':
		*colours = colour_mode_parse(arg);
		if (*colours >= 0)
			return 1;
		cli_errorf("--colors wants truecolor, 256 or 16, not '%s'", arg);
		return -1;
	}
	return 0;
}

void cli_warn(char *msg)
{
	if (!msg)
		return;
	cli_line(stderr, "pxlabel: warning: %s", msg);
	free(msg);
}

void cli_progress(size_t done, size_t total, const char *name)
{
	static int tty = -1;
	int width = 30, filled;
	char shown[TEXT_VIS_SIZE(40)];

	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	if (!tty || total < 2)
		return;
	if (done >= total) {
		fputs("\r\033[K", stderr);
		return;
	}
	filled = (int)((double)done / (double)total * width);
	fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu %s", filled, "##############################",
	    width - filled, "", done, total, text_vis(shown, name ? name : "", 40, 0));
	fflush(stderr);
}
