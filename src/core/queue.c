/* queue.c: the team's queues and who labels what (see queue.h). */
#include "config.h"

#include "queue.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "err.h"
#include "sbuf.h"
#include "xalloc.h"

#define MAX_QUEUE_BYTES (64u << 20)
#define MAX_QUEUE_LINES 10000000

int queue_check_name(const char *name, char **cause)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > QUEUE_MAX_NAME)
		return err_set(cause, "a person's name is 1 to %d characters", QUEUE_MAX_NAME);
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= '0' && name[i] <= '9') || name[i] == '_' || name[i] == '-'))
			return err_set(cause, "'%.*s' cannot name a queue file: letters, digits, _ and - only",
			    QUEUE_MAX_NAME, name);
	if (!strcmp(name, QUEUE_OVERLAP))
		return err_set(cause, "'%s' names the overlap list, not a person", name);
	return 0;
}

/* FNV-1a, 64 bits: stable across machines and versions, unlike a library's hash. */
static uint64_t fnv(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

void queue_deal(const char *rel, size_t npeople, unsigned permille, int *owner, int *second)
{
	uint64_t h = fnv(rel, 0xcbf29ce484222325ULL), g = fnv(rel, 0x84222325cbf29ce4ULL);

	*owner = (int)(h % npeople);
	*second = -1;
	if (npeople > 1 && g % 1000 < permille)
		*second = (int)(((uint64_t)*owner + 1 + (g >> 20) % (npeople - 1)) % npeople);
}

int queue_assign(const char *dir, char *const *rel, size_t n, char *const *people, size_t npeople,
    unsigned permille, size_t *counts, char **cause)
{
	struct sbuf *q = xcalloc(npeople + 1, sizeof(*q));
	char *qdir = xasprintf("%s/%s", dir, QUEUE_DIR), *path = NULL;
	size_t i;
	int rc = -1;

	if (mkdir(qdir, 0777) != 0 && errno != EEXIST) {
		err_set(cause, "%s: %s", qdir, strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		int owner, second;

		queue_deal(rel[i], npeople, permille, &owner, &second);
		sbuf_printf(&q[owner], "%s\n", rel[i]);
		if (second >= 0) {
			sbuf_printf(&q[second], "%s\n", rel[i]);
			sbuf_printf(&q[npeople], "%s\n", rel[i]);
		}
		if (counts) {
			counts[owner]++;
			if (second >= 0) {
				counts[second]++;
				counts[npeople]++;
			}
		}
	}
	for (i = 0; i <= npeople; i++) {
		free(path);
		path = xasprintf("%s/%s.txt", qdir, i < npeople ? people[i] : QUEUE_OVERLAP);
		if (afile_write(path, q[i].data ? q[i].data : "", q[i].len, cause) != 0)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i <= npeople; i++)
		sbuf_free(&q[i]);
	free(q);
	free(qdir);
	free(path);
	return rc;
}

/* The lines of a queue file, new, each without its newline; empty lines skipped. */
static int read_lines(const char *path, char ***lines, size_t *n, char **cause)
{
	FILE *fp = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, total = 0, have = 0;
	ssize_t len;
	int rc = -1;

	*lines = NULL;
	*n = 0;
	if (!fp)
		return err_set(cause, "%s: %s", path, strerror(errno));
	while ((len = getline(&line, &cap, fp)) >= 0) {
		total += (size_t)len;
		if (total > MAX_QUEUE_BYTES || *n >= MAX_QUEUE_LINES) {
			err_set(cause, "%s: over the limit of %u bytes for a queue", path, MAX_QUEUE_BYTES);
			goto out;
		}
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0)
			continue;
		if (line[0] == '/' || strstr(line, "../") || !strcmp(line, "..")) {
			err_set(cause, "%s: line %zu: an image path relative to the folder, inside it", path, *n + 1);
			goto out;
		}
		if (*n == have) {
			have = have ? have * 2 : 64;
			*lines = xreallocarray(*lines, have, sizeof(**lines));
		}
		(*lines)[(*n)++] = xstrdup(line);
	}
	if (ferror(fp)) {
		err_set(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0) {
		while (*n > 0)
			free((*lines)[--*n]);
		free(*lines);
		*lines = NULL;
	}
	free(line);
	fclose(fp);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int queue_read(const char *dir, const char *name, char ***images, size_t *n, unsigned char **overlap,
    char **cause)
{
	char *path, **lines = NULL, **shared = NULL;
	size_t nlines = 0, nshared = 0, i;

	*images = NULL;
	*overlap = NULL;
	*n = 0;
	if (queue_check_name(name, cause) != 0)
		return -1;
	path = xasprintf("%s/%s/%s.txt", dir, QUEUE_DIR, name);
	if (read_lines(path, &lines, &nlines, cause) != 0) {
		free(path);
		return -1;
	}
	free(path);
	/* No overlap list: nobody shares an image. */
	path = xasprintf("%s/%s/%s.txt", dir, QUEUE_DIR, QUEUE_OVERLAP);
	if (access(path, F_OK) == 0 && read_lines(path, &shared, &nshared, cause) != 0) {
		for (i = 0; i < nlines; i++)
			free(lines[i]);
		free(lines);
		free(path);
		return -1;
	}
	free(path);
	qsort(shared, nshared, sizeof(*shared), cmp_str);
	*images = xcalloc(nlines ? nlines : 1, sizeof(**images));
	*overlap = xcalloc(nlines ? nlines : 1, 1);
	for (i = 0; i < nlines; i++) {
		(*images)[i] = xasprintf("%s/%s", dir, lines[i]);
		(*overlap)[i] = nshared && bsearch(&lines[i], shared, nshared, sizeof(*shared), cmp_str) ? 1 : 0;
		free(lines[i]);
	}
	*n = nlines;
	free(lines);
	for (i = 0; i < nshared; i++)
		free(shared[i]);
	free(shared);
	return 0;
}

static void personal(char **suffix, const char *person)
{
	char *s = xasprintf(".%s%s", person, *suffix);

	free(*suffix);
	*suffix = s;
}

void queue_personal(struct dataset *ds, const char *person)
{
	personal(&ds->sidecar_suffix, person);
	personal(&ds->labels_suffix, person);
	personal(&ds->instances_suffix, person);
}
