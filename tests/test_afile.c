/* test_afile.c: atomic replacement leaves the old file or the new one, and no litter. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
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

/* ---- no litter: what a killed writer left is swept; several files replaced together ------- */

static void put_aged(const char *dir, const char *name, long age)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct timespec t[2];
	FILE *fp = fopen(p, "wb");

	if (fp) {
		fputs("half a file", fp);
		fclose(fp);
	}
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[1] = t[0];
	utimensat(AT_FDCWD, p, t, 0);
	free(p);
}

static int exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	int r = access(p, F_OK) == 0;

	free(p);
	return r;
}

static void sweep_tests(void)
{
	static const char *const sfx[] = { ".pxl.json", ".labels.png", ".instances.png", ".pxl.lock", "pxlabel.ini" };
	char dir[] = "/tmp/pxl-sweep-XXXXXX", *p, *cause = NULL;
	int n;

	if (!mkdtemp(dir))
		exit(99);
	put_aged(dir, ".cat.pxl.json.Ab12Cd", 120);     /* a killed session's sidecar */
	put_aged(dir, ".cat.labels.png.Zz99Yy", 120);   /* and mask */
	put_aged(dir, ".cat.pxl.lock.Qw12Er", 120);     /* and lock */
	put_aged(dir, ".pxlabel.ini.Gh34Jk", 120);      /* an import's pxlabel.ini */
	put_aged(dir, ".cat.pxl.json.Xy12Z3", 10);      /* being written now */
	put_aged(dir, ".notes.txt.Ab12Cd", 120);        /* not pxlabel's */
	put_aged(dir, ".cat.pxl.json.toolong", 120);    /* not afile's pattern */
	put_aged(dir, ".cat.pxl.json.Ab-2Cd", 120);
	put_aged(dir, "cat.pxl.json", 120);             /* the real thing */
	p = xasprintf("%s/.dog.pxl.json.Ab12Cd", dir);  /* a folder of that name */
	mkdir(p, 0755);
	free(p);
	n = afile_sweep_dir(dir, 0, sfx, sizeof(sfx) / sizeof(sfx[0]), &cause);
	tap_ok(n == 4 && !exists(dir, ".cat.pxl.json.Ab12Cd") && !exists(dir, ".cat.labels.png.Zz99Yy") &&
	    !exists(dir, ".cat.pxl.lock.Qw12Er") && !exists(dir, ".pxlabel.ini.Gh34Jk"),
	    "the sweep removes pxlabel's temporaries older than a minute (%d)", n);
	tap_ok(exists(dir, ".cat.pxl.json.Xy12Z3"), "but not one written 10 s ago (its writer may live)");
	tap_ok(exists(dir, ".notes.txt.Ab12Cd") && exists(dir, ".cat.pxl.json.toolong") &&
	    exists(dir, ".cat.pxl.json.Ab-2Cd") && exists(dir, "cat.pxl.json") && exists(dir, ".dog.pxl.json.Ab12Cd"),
	    "nor anything that is not afile's temporary of a pxlabel file");
	tap_ok(count_entries(dir) == 6, "and leaves nothing of its own (it measured the folder's clock)");
	n = afile_sweep_dir(dir, time(NULL) + 3600, sfx, sizeof(sfx) / sizeof(sfx[0]), NULL);
	tap_ok(n == 1 && !exists(dir, ".cat.pxl.json.Xy12Z3"), "an hour later the young one goes too");
	p = xasprintf("%s/no-such", dir);
	n = afile_sweep_dir(p, 0, sfx, 1, &cause);
	tap_ok(n == -1 && cause && strstr(cause, p), "a missing folder is an error: %s", cause ? cause : "");
	free(cause);
	free(p);
	p = xasprintf("rm -rf '%s'", dir);
	if (system(p) != 0)
		tap_diag("could not remove %s", dir);
	free(p);
}

static void commit_all_tests(void)
{
	char dir[] = "/tmp/pxl-commit-XXXXXX", *a, *b, *cause = NULL, *s, *big;
	struct afile af[2];
	struct rlimit old, lim;
	int ok;

	if (!mkdtemp(dir))
		exit(99);
	a = xasprintf("%s/a.png", dir);
	b = xasprintf("%s/b.png", dir);
	ok = afile_write(a, "old a", 5, NULL) == 0 && afile_write(b, "old b", 5, NULL) == 0 &&
	    afile_open(&af[0], a, NULL) == 0 && afile_open(&af[1], b, NULL) == 0;
	if (ok) {
		fputs("new a", af[0].fp);
		fputs("new b", af[1].fp);
		ok = afile_commit_all(af, 2, &cause) == 0;
	}
	tap_ok(ok && (s = slurp(a)) && !strcmp(s, "new a") && (s = slurp(b)) && !strcmp(s, "new b") &&
	    count_entries(dir) == 2, "afile_commit_all replaces both");
	/* A full disk for the second: a file size limit makes its writes fail (EFBIG). */
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 4096;
	big = xcalloc(1, 20000);
	memset(big, 'x', 19999);
	ok = afile_open(&af[0], a, NULL) == 0 && afile_open(&af[1], b, NULL) == 0;
	if (ok) {
		fputs("newer a", af[0].fp);
		fputs(big, af[1].fp); /* stdio may keep it: the failure can come at commit */
		setrlimit(RLIMIT_FSIZE, &lim);
		ok = afile_commit_all(af, 2, &cause) == -1;
		setrlimit(RLIMIT_FSIZE, &old);
	}
	tap_ok(ok && cause && strstr(cause, b) && (s = slurp(a)) && !strcmp(s, "new a") && (s = slurp(b)) &&
	    !strcmp(s, "new b") && count_entries(dir) == 2, "when one cannot be written, neither is replaced and no "
	    "temporary is left: %s", cause ? cause : "");
	free(cause);
	free(big);
	unlink(a);
	unlink(b);
	free(a);
	free(b);
	rmdir(dir);
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
	sweep_tests();
	commit_all_tests();
	return tap_done();
}
