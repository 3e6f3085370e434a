/* batch.c: what the commands share: expanding the arguments into images, the loop of the batch
 * commands (batch.h), a progress line on a terminal (quiet when stderr is piped, so logs stay
 * clean), warnings, and "WxH" arguments. */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "batch.h"
#include "cli.h"
#include "colour.h"
#include "item.h"
#include "paths.h"
#include "raster.h"
#include "sidecar.h"
#include "text.h"
#include "xalloc.h"

static void on_ending_signal(int sig)
{
	afile_remove_temporaries();
	/* SA_RESETHAND made the action the default again, and sig is blocked until we return: the
	 * process then ends by it, and whoever waits (a shell, Slurm) sees which. */
	raise(sig);
}

void cli_remove_temporaries_on_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_ending_signal;
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&sa.sa_mask, sigs[i]);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		/* A signal ignored from the start (nohup, a background job of a script) stays
		 * ignored: the user asked for the command to outlive it. */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
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
		msg = xasprintf("%s: no PNG or JPEG image of its name beside it; skipped", sidecar);
		goto out;
	}
	recorded = meta.image_file;
	dir = xasprintf("%.*s", (int)(paths_base(sidecar) - sidecar), sidecar);
	image = xasprintf("%s%s", dir, recorded);
	if (stat(image, &st) != 0)
		msg = xasprintf("%s: its image %s is missing; skipped", sidecar, recorded);
	else if (!paths_is_image(paths_base(recorded), NULL))
		msg = xasprintf("%s: its image %s is not a PNG or JPEG; skipped", sidecar, recorded);
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

void batch_run(const struct batch_ops *ops, void *ctx, char *const *names, size_t n, struct batch_tally *t)
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
			ops->fold(ctx, i, st, result);
		t->n++;
		if (st == BATCH_DONE)
			t->done++;
		else if (st == BATCH_SKIPPED)
			t->skipped++;
		else
			t->failed++;
	}
	cli_progress(n, n, NULL);
	if (ops->scratch_free)
		ops->scratch_free(ctx, scratch);
	free(result);
	free(scratch);
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
