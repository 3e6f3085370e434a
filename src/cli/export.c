/* export.c: what the export formats share (export.h): the images and their composition,
 * folders, images put beside their masks (linked, copied, or written upright), and classes
 * named on the command line. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "cli.h"
#include "err.h"
#include "export.h"
#include "paths.h"
#include "pngio.h"
#include "xalloc.h"

int export_collect(struct export_run *run)
{
	if (run->collected)
		return 0;
	size_t i;

	if (cli_collect(run->args, run->nargs, &run->all, &run->nall) != 0)
		return -1;
	run->n = batch_shard_pick(&run->bo, run->all, run->nall, &run->index);
	run->images = xcalloc(run->n + 1, sizeof(char *));
	for (i = 0; i < run->n; i++)
		run->images[i] = run->all[run->index[i]];
	run->collected = 1;
	return 0;
}

const struct compose *export_compose(const struct export_item *x, char **cause)
{
	return batch_compose(x->scratch, x->it->doc, cause) == 0 ? x->scratch : NULL;
}

int export_mkdirs(const char *path, char **cause)
{
	char *p = xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*s = '/';
	}
	if (rc == 0 && mkdir(p, 0777) != 0 && errno != EEXIST)
		rc = -1;
	if (rc != 0)
		err_set(cause, "%s: cannot make the folder: %s", p, strerror(errno));
	free(p);
	return rc;
}

char *export_stem(const char *image)
{
	return paths_derived(paths_base(image), "");
}

static int copy_file(const char *from, const char *to, char **cause)
{
	char buf[1 << 16];
	struct afile af;
	FILE *in = fopen(from, "rb");
	size_t n;

	if (!in)
		return err_set(cause, "%s: %s", from, strerror(errno));
	if (afile_open(&af, to, cause) != 0) {
		fclose(in);
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, af.fp) != n)
			break;
	if (ferror(in) || ferror(af.fp)) {
		err_set(cause, "%s: copy failed: %s", to, strerror(errno));
		fclose(in);
		afile_abort(&af);
		return -1;
	}
	fclose(in);
	return afile_commit(&af, cause);
}

/* dst: a symbolic link to the image (absolute), left alone when it is one already. */
static int link_image(const char *image, const char *dst, char **cause)
{
	char *target = realpath(image, NULL), cur[4096];
	ssize_t n;
	int rc = 0;

	if (!target)
		return err_set(cause, "%s: %s", image, strerror(errno));
	n = readlink(dst, cur, sizeof(cur) - 1);
	if (n >= 0) {
		cur[n] = '\0';
		if (!strcmp(cur, target))
			goto out; /* already there */
	}
	if (n >= 0 || access(dst, F_OK) == 0)
		unlink(dst);
	if (symlink(target, dst) != 0 && errno != EEXIST)
		rc = err_set(cause, "%s: %s", dst, strerror(errno));
out:
	free(target);
	return rc;
}

int export_place_image(const struct item *it, const char *dst, const struct export_placing *p,
    const struct img_limits *lim, char **cause)
{
	const char *image = it->image, *dot = strrchr(paths_base(image), '.');
	const struct img_info info = it->info;
	int keep16 = info.tiff && info.bits == 16;
	struct img_load_opts lo;
	struct img *im = NULL;
	char *path = NULL;
	int rc = -1;

	/* A 16-bit TIFF is always placed as it is: an 8-bit JPEG or PNG would lose its values. */
	if (keep16 || (info.orientation == 1 && (info.jpeg || !p->as_jpeg))) {
		path = xasprintf("%s%s", dst, p->as_jpeg && !keep16 ? ".jpg" : dot ? dot : "");
		rc = p->copy ? copy_file(image, path, cause) : link_image(image, path, cause);
		if (keep16 && info.orientation != 1)
			cli_warn(xasprintf("%s: a 16-bit TIFF with orientation %d is placed as stored; a reader "
					   "that ignores the Orientation tag sees it turned against its masks",
			    image, info.orientation));
		goto out;
	}
	img_load_opts_default(&lo);
	lo.limits = *lim;
	if (!(im = img_load(image, &lo, cause)))
		goto out;
	if (info.jpeg || p->as_jpeg) {
		path = xasprintf("%s.jpg", dst);
		rc = img_save_jpeg(im, path, p->jpeg_quality, cause);
	} else {
		path = xasprintf("%s.png", dst);
		rc = pngio_write_rgb8(path, im->rgb, im->w, im->h, cause);
	}
out:
	img_free(im);
	free(path);
	return rc;
}

int export_int_option(const char *opt, const char *arg, int lo, int hi, const char *what, int *v)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(arg, &end, 10);
	if (!*arg || *end || errno || n < lo || n > hi) {
		cli_errorf("--%s needs %s %d to %d, not '%s'", opt, what, lo, hi, arg);
		return -1;
	}
	*v = (int)n;
	return 0;
}

void export_class_set(const struct item *it, char *const *names, size_t n, uint8_t *set, uint8_t *seen)
{
	size_t i;

	memset(set, 0, 256);
	for (i = 0; i < n; i++) {
		const struct dataset_class *c = dataset_class_by_name(&it->ds, names[i]);

		if (c) {
			set[c->id] = 1;
			__atomic_store_n(&seen[i], 1, __ATOMIC_RELAXED); /* images run on -j threads */
		}
	}
}

int export_check_seen(const char *opt, char *const *names, size_t n, const uint8_t *seen)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		if (!seen[i]) {
			cli_errorf("%s %s: no class of that name in the data set's pxlabel.ini", opt, names[i]);
			rc = -1;
		}
	return rc;
}
