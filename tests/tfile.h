/* tfile.h: files for the tests of the INI readers (test_inifile, test_dataset, test_prefs):
 * a scratch folder, files written into it, and the check that a message names the file and
 * the line. Each test program includes this once; everything is file-static. */
#ifndef PXL_TFILE_H
#define PXL_TFILE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tap.h"
#include "xalloc.h"

static char tmp[] = "/tmp/pxl-cfg-XXXXXX";

__attribute__((unused)) static void tfile_start(void)
{
	if (!mkdtemp(tmp))
		exit(99);
}

__attribute__((unused)) static void tfile_end(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmp);

	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmp);
	free(cmd);
}

__attribute__((unused)) static void mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0777);
		*s = '/';
	}
	mkdir(p, 0777);
	free(p);
}

/* Writes len bytes to tmp/rel (making its folders) and returns the path. */
__attribute__((unused)) static char *put_len(const char *rel, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", tmp, rel), *dir = xstrdup(path);
	FILE *fp;

	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	free(dir);
	fp = fopen(path, "wb");
	if (!fp || fwrite(text, 1, len, fp) != len || fclose(fp) != 0) {
		tap_diag("cannot write %s: %s", path, strerror(errno));
		exit(99);
	}
	return path;
}

__attribute__((unused)) static char *put(const char *rel, const char *text)
{
	return put_len(rel, text, strlen(text));
}

/* The error must name the file and the line ("PATH:LINE: "). */
__attribute__((unused)) static int has_line(const char *cause, const char *path, int line)
{
	char *want = xasprintf("%s:%d: ", path, line);
	int ok = cause && strstr(cause, want) == cause;

	free(want);
	return ok;
}

#endif
