/* paths.c: derived file names and folder scans. */
#include "config.h"

#include "paths.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "err.h"
#include "xalloc.h"

const struct paths_suffixes paths_default_suffixes = { ".pxl.json", ".labels.png", ".instances.png" };

const char *paths_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

char *paths_derived(const char *image, const char *suffix)
{
	const char *base = paths_base(image), *dot = strrchr(base, '.');
	size_t stem = dot && dot != base ? (size_t)(dot - image) : strlen(image);

	return xasprintf("%.*s%s", (int)stem, image, suffix);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

int paths_is_image(const char *name, const struct paths_suffixes *sfx)
{
	if (!sfx)
		sfx = &paths_default_suffixes;
	if (name[0] == '.')
		return 0;
	if (ends_with(name, sfx->labels) || ends_with(name, sfx->instances) ||
	    ends_with(name, paths_default_suffixes.labels) || ends_with(name, paths_default_suffixes.instances))
		return 0;
	return ends_with(name, ".png") || ends_with(name, ".jpg") || ends_with(name, ".jpeg") ||
	    ends_with(name, ".tif") || ends_with(name, ".tiff");
}

struct list {
	char **v;
	size_t n, cap;
};

static void list_add(struct list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->v = xreallocarray(l->v, l->cap, sizeof(char *));
	}
	l->v[l->n++] = s;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int paths_natural_cmp(const char *a, const char *b)
{
	int zeros = 0; /* the first difference in leading zeros: the tie-break */

	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *a0, *b0;
			size_t za = 0, zb = 0, la, lb;
			int c;

			while (*a == '0')
				a++, za++;
			while (*b == '0')
				b++, zb++;
			for (a0 = a; isdigit((unsigned char)*a); a++)
				;
			for (b0 = b; isdigit((unsigned char)*b); b++)
				;
			/* Numbers by their digits' count first: no overflow however long. */
			la = (size_t)(a - a0);
			lb = (size_t)(b - b0);
			if (la != lb)
				return la < lb ? -1 : 1;
			c = memcmp(a0, b0, la);
			if (c)
				return c < 0 ? -1 : 1;
			if (!zeros && za != zb)
				zeros = za > zb ? -1 : 1; /* as strcmp has them: img02 before img2 */
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	if (*a || *b)
		return *a ? 1 : -1;
	return zeros;
}

static int cmp_natural(const void *a, const void *b)
{
	return paths_natural_cmp(*(char *const *)a, *(char *const *)b);
}

static int has_stem(struct list *stems, char *stem)
{
	return stems->n && bsearch(&stem, stems->v, stems->n, sizeof(char *), cmp_str);
}

/* Whether stem is IMAGE.NAME, a person's own outlines of a shared image (queue.h's
 * cat.NAME.pxl.json: NAME of 1 to 32 letters, digits, _ and -), with IMAGE among stems. */
static int personal_of(struct list *stems, const char *stem)
{
	const char *dot = strrchr(stem, '.'), *p;
	char *image;
	int found;

	/* b.png.pxl.json is named after the image's whole name, not a person's. */
	if (!dot || dot == stem || !dot[1] || strlen(dot + 1) > 32 || paths_is_image(stem, NULL))
		return 0;
	for (p = dot + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		    *p == '-'))
			return 0;
	image = xasprintf("%.*s", (int)(dot - stem), stem);
	found = has_stem(stems, image);
	free(image);
	return found;
}

/* The sidecars among names (of dir) with no image of their stem in stems (this folder's image
 * stems, sorted) go to orphans. Only the default suffix: pxlabel.ini may name another, but
 * reading it for every folder costs more than a warning is worth, and the default is what
 * nearly every data set has. */
static void find_orphans(const char *dir, struct list *sidecars, struct list *stems, struct list *orphans)
{
	const char *suffix = paths_default_suffixes.sidecar;
	size_t i;

	for (i = 0; i < sidecars->n && orphans->n < PATHS_MAX_IMAGES; i++) {
		char *name = sidecars->v[i];
		size_t len = strlen(name) - strlen(suffix);
		char *stem = xasprintf("%.*s", (int)len, name);

		if (!has_stem(stems, stem) && !personal_of(stems, stem))
			list_add(orphans, xasprintf("%s/%s", dir, name));
		free(stem);
	}
}

static int scan(const char *dir, const struct paths_suffixes *sfx, struct list *l, struct list *orphans,
    int depth, char **cause)
{
	struct list names = { 0 }, stems = { 0 }, sidecars = { 0 };
	struct dirent *e;
	DIR *d;
	size_t i;
	int rc = 0;

	if (depth > PATHS_MAX_DEPTH)
		return err_set(cause, "%s: folders nested more than %d deep", dir, PATHS_MAX_DEPTH);
	d = opendir(dir);
	if (!d)
		return err_set(cause, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			list_add(&names, xstrdup(e->d_name));
	closedir(d);
	/* In the order people number their files: img2 before img10. An empty folder has no
	 * names, and qsort's base must not be NULL even for nothing. */
	if (names.n > 1)
		qsort(names.v, names.n, sizeof(char *), cmp_natural);
	for (i = 0; i < names.n && rc == 0; i++) {
		char *p = xasprintf("%s/%s", dir, names.v[i]);
		struct stat st;

		if (stat(p, &st) != 0) {
			free(p);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			char *mark = xasprintf("%s/%s", p, PATHS_EXPORT_MARK);

			if (access(mark, F_OK) != 0)
				rc = scan(p, sfx, l, orphans, depth + 1, cause);
			free(mark);
			free(p);
		} else if (S_ISREG(st.st_mode) && paths_is_image(names.v[i], sfx)) {
			if (l->n >= PATHS_MAX_IMAGES) {
				rc = err_set(cause, "%s: more than %d images", dir, PATHS_MAX_IMAGES);
				free(p);
			} else {
				list_add(l, p);
				if (orphans)
					list_add(&stems, paths_derived(names.v[i], ""));
			}
		} else {
			if (orphans && S_ISREG(st.st_mode) && ends_with(names.v[i], paths_default_suffixes.sidecar) &&
			    strlen(names.v[i]) > strlen(paths_default_suffixes.sidecar))
				list_add(&sidecars, xstrdup(names.v[i]));
			free(p);
		}
	}
	if (orphans && rc == 0 && sidecars.n) {
		/* A folder of outlines without images has no stems: qsort must not see the NULL. */
		if (stems.n)
			qsort(stems.v, stems.n, sizeof(char *), cmp_str);
		find_orphans(dir, &sidecars, &stems, orphans);
	}
	paths_list_free(names.v, names.n);
	paths_list_free(stems.v, stems.n);
	paths_list_free(sidecars.v, sidecars.n);
	return rc;
}

/* Stems compared within one folder: cat.jpg and cat.png would write the same masks. */
static int stem_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	char *sx = paths_derived(x, ""), *sy = paths_derived(y, "");
	int c = strcmp(sx, sy);

	free(sx);
	free(sy);
	return c;
}

int paths_collect(char *const *args, size_t nargs, const struct paths_suffixes *sfx, char ***out,
    size_t *nout, char ***orphans, size_t *norphans, char **cause)
{
	struct list l = { 0 }, lost = { 0 };
	char **sorted = NULL;
	size_t i;

	*out = NULL;
	*nout = 0;
	if (orphans) {
		*orphans = NULL;
		*norphans = 0;
	}
	for (i = 0; i < nargs; i++) {
		struct stat st;

		if (stat(args[i], &st) != 0) {
			err_set(cause, "%s: %s", args[i], strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			size_t len = strlen(args[i]);
			char *dir = xstrdup(args[i]);

			while (len > 1 && dir[len - 1] == '/')
				dir[--len] = '\0';
			if (scan(dir, sfx, &l, orphans ? &lost : NULL, 0, cause) != 0) {
				free(dir);
				goto fail;
			}
			free(dir);
		} else {
			list_add(&l, xstrdup(args[i]));
		}
	}
	if (l.n > 1) {
		sorted = xreallocarray(NULL, l.n, sizeof(char *));
		memcpy(sorted, l.v, l.n * sizeof(char *));
		qsort(sorted, l.n, sizeof(char *), stem_cmp);
		for (i = 1; i < l.n; i++) {
			if (stem_cmp(&sorted[i - 1], &sorted[i]) == 0 && strcmp(sorted[i - 1], sorted[i])) {
				err_set(cause, "%s and %s share a name: their masks and outlines would overwrite "
				    "each other (rename one)", sorted[i - 1], sorted[i]);
				free(sorted);
				goto fail;
			}
		}
		free(sorted);
	}
	*out = l.v;
	*nout = l.n;
	if (orphans) {
		/* Found folder by folder, after each folder's subfolders: put into path order. */
		if (lost.n > 1)
			qsort(lost.v, lost.n, sizeof(char *), cmp_str);
		*orphans = lost.v;
		*norphans = lost.n;
	}
	return 0;
fail:
	paths_list_free(l.v, l.n);
	paths_list_free(lost.v, lost.n);
	return -1;
}

void paths_list_free(char **list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

/* The lock file beside a sidecar of this suffix: ".pxl.json" -> ".pxl.lock" (as lock.c names it). */
static char *lock_suffix(const char *sidecar_suffix)
{
	char *with = xasprintf("x%s", sidecar_suffix), *lock = paths_derived(with, ".lock"), *s = xstrdup(lock + 1);

	free(with);
	free(lock);
	return s;
}

size_t paths_sweep(char *const *files, size_t n, const struct paths_suffixes *sfx)
{
	const struct paths_suffixes *sets[2] = { &paths_default_suffixes, sfx };
	char *owned[2];
	const char *suffixes[9];
	struct list dirs = { 0 };
	size_t i, k = 0, removed = 0;
	int r;

	for (i = 0; i < 2; i++) {
		if (!sets[i]) {
			owned[i] = NULL;
			continue;
		}
		suffixes[k++] = sets[i]->sidecar;
		suffixes[k++] = sets[i]->labels;
		suffixes[k++] = sets[i]->instances;
		suffixes[k++] = owned[i] = lock_suffix(sets[i]->sidecar);
	}
	suffixes[k++] = "pxlabel.ini";
	for (i = 0; i < n; i++) {
		const char *base = paths_base(files[i]);
		size_t len = base > files[i] ? (size_t)(base - files[i] - 1) : 0;
		/* "cat.png" is in ".", "/cat.png" in "/". */
		char *dir = base == files[i] ? xstrdup(".") : len ? xasprintf("%.*s", (int)len, files[i]) : xstrdup("/");

		/* A folder scan lists each folder's images together: one entry for them. */
		if (dirs.n && !strcmp(dirs.v[dirs.n - 1], dir))
			free(dir);
		else
			list_add(&dirs, dir);
	}
	if (dirs.n > 1)
		qsort(dirs.v, dirs.n, sizeof(char *), cmp_str);
	for (i = 0; i < dirs.n; i++) {
		if (i && !strcmp(dirs.v[i], dirs.v[i - 1]))
			continue;
		r = afile_sweep_dir(dirs.v[i], 0, suffixes, k, NULL);
		if (r > 0)
			removed += (size_t)r;
	}
	paths_list_free(dirs.v, dirs.n);
	free(owned[0]);
	free(owned[1]);
	return removed;
}
