/* test_afile.c: atomic replacement leaves the old file or the new one, and no litter. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "tap.h"
#include "xalloc.h"

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/pxl-afile-XXXXXX";
	struct afile af;
	char *path, *cause = NULL, *s;
	struct stat st;

	if (!mkdtemp(dir))
		return 99;
	path = xasprintf("%s/out.txt", dir);
	tap_ok(afile_write(path, "first", 5, NULL) == 0 && (s = slurp(path)) && !strcmp(s, "first"),
	    "a new file is written");
	tap_ok(afile_open(&af, path, NULL) == 0, "open a replacement");
	fputs("second, half", af.fp);
	fflush(af.fp);
	tap_ok((s = slurp(path)) && !strcmp(s, "first"), "until commit the old content stays");
	afile_abort(&af);
	tap_ok((s = slurp(path)) && !strcmp(s, "first") && count_entries(dir) == 1,
	    "abort keeps the old file and leaves no temporary");
	chmod(path, 0640);
	tap_ok(afile_write(path, "third", 5, NULL) == 0 && (s = slurp(path)) && !strcmp(s, "third") &&
	    count_entries(dir) == 1, "commit replaces it, no temporary left");
	tap_ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640, "the replaced file keeps its mode");
	afile_set_durable(0);
	tap_ok(afile_write(path, "fourth", 6, NULL) == 0 && (s = slurp(path)) && !strcmp(s, "fourth") &&
	    count_entries(dir) == 1, "without fsync (exports) the replacement is still whole and atomic");
	afile_set_durable(1);
	tap_ok(afile_open(&af, path, NULL) == 0 && count_entries(dir) == 2, "an open replacement is a second file");
	afile_remove_temporaries();
	tap_ok(count_entries(dir) == 1 && (s = slurp(path)) && !strcmp(s, "fourth"),
	    "afile_remove_temporaries (a signal handler's) removes it and only it");
	afile_abort(&af);
	{
		struct afile many[AFILE_MAX_OPEN + 2];
		char *p[AFILE_MAX_OPEN + 2];
		int i, opened = 0;

		for (i = 0; i < AFILE_MAX_OPEN + 2; i++) {
			p[i] = xasprintf("%s/many%d", dir, i);
			opened += afile_open(&many[i], p[i], NULL) == 0;
		}
		afile_remove_temporaries();
		tap_ok(opened == AFILE_MAX_OPEN + 2 && count_entries(dir) == 1 + 2,
		    "more open at once than the list holds still work; the listed ones are removed");
		for (i = 0; i < AFILE_MAX_OPEN + 2; i++)
			afile_abort(&many[i]);
		tap_ok(count_entries(dir) == 1, "abort after that removes the rest");
		for (i = 0; i < AFILE_MAX_OPEN + 2; i++)
			free(p[i]);
		/* Every slot was taken above: this one is listed only if abort gave them back. */
		opened = afile_open(&many[0], path, NULL) == 0;
		afile_remove_temporaries();
		tap_ok(opened && count_entries(dir) == 1, "slots are given back: a long run keeps listing");
		afile_abort(&many[0]);
	}
	free(path);
	path = xasprintf("%s/no-such-dir/x.txt", dir);
	tap_ok(afile_write(path, "x", 1, &cause) == -1 && cause && strstr(cause, path),
	    "a missing folder is an error naming the file: %s", cause ? cause : "");
	free(cause);
	free(path);
	path = xasprintf("%s/out.txt", dir);
	unlink(path);
	free(path);
	rmdir(dir);
	return tap_done();
}
