/* test_paths.c: names of the files next to an image, and folder scans. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "paths.h"
#include "tap.h"
#include "xalloc.h"

static char dir[] = "/tmp/pxl-paths-XXXXXX";

static void touch(const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	FILE *fp = fopen(p, "w");

	if (fp)
		fclose(fp);
	free(p);
}

/* dir/rel, in a buffer that lives until the next call. */
static const char *in_dir(const char *rel)
{
	static char *p;

	free(p);
	p = xasprintf("%s/%s", dir, rel);
	return p;
}

/* A killed writer's temporary (afile's name), last written age seconds ago. */
static void touch_aged(const char *rel, long age)
{
	char *p = xasprintf("%s/%s", dir, rel);
	struct timespec t[2];

	touch(rel);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[1] = t[0];
	utimensat(AT_FDCWD, p, t, 0);
	free(p);
}

static int there(const char *rel)
{
	char *p = xasprintf("%s/%s", dir, rel);
	int r = access(p, F_OK) == 0;

	free(p);
	return r;
}

/* paths_sweep over the folders of the images a batch command collected. */
static void sweep(void)
{
	char *files[3];
	size_t removed;

	mkdir(in_dir("sw"), 0755);
	mkdir(in_dir("sw/sub"), 0755);
	touch_aged("sw/.a.pxl.json.Ab12Cd", 300);
	touch_aged("sw/.a.instances.png.Ab12Cd", 300);
	touch_aged("sw/sub/.b.pxl.lock.Zz34Yy", 300);
	touch_aged("sw/sub/.b.pxl.json.Zz34Yy", 5);
	touch_aged("sw/.holiday.jpg.Ab12Cd", 300);
	files[0] = xasprintf("%s/sw/a.png", dir);
	files[1] = xasprintf("%s/sw/sub/b.png", dir);
	files[2] = xasprintf("%s/sw/c.png", dir);
	removed = paths_sweep(files, 3, NULL);
	tap_ok(removed == 3 && !there("sw/.a.pxl.json.Ab12Cd") && !there("sw/.a.instances.png.Ab12Cd") &&
	    !there("sw/sub/.b.pxl.lock.Zz34Yy"), "paths_sweep removes old temporaries of sidecars, masks and locks "
	    "in the folders of the images, each folder once (%zu)", removed);
	tap_ok(there("sw/sub/.b.pxl.json.Zz34Yy") && there("sw/.holiday.jpg.Ab12Cd"),
	    "and keeps a young one, and one of a file pxlabel does not write");
	free(files[0]);
	free(files[1]);
	free(files[2]);
}

int main(void)
{
	char *s, **list, *cause = NULL, *args[2];
	size_t n;
	int rc;

	s = paths_derived("photos/cat.jpg", ".pxl.json");
	tap_ok(!strcmp(s, "photos/cat.pxl.json"), "photos/cat.jpg -> %s", s);
	free(s);
	s = paths_derived("a.b/cat", ".labels.png");
	tap_ok(!strcmp(s, "a.b/cat.labels.png"), "a dot in a folder name is not an extension: %s", s);
	free(s);
	s = paths_derived(".hidden", ".x");
	tap_ok(!strcmp(s, ".hidden.x"), "a leading dot is not an extension: %s", s);
	free(s);
	tap_ok(paths_is_image("a.PNG", NULL) && paths_is_image("b.jpeg", NULL) && !paths_is_image("c.txt", NULL) &&
	    !paths_is_image("a.labels.png", NULL) && !paths_is_image("a.instances.png", NULL) &&
	    !paths_is_image(".a.png", NULL), "which names are images");

	if (!mkdtemp(dir))
		return 99;
	touch("b.png");
	touch("a.jpg");
	touch("a.labels.png");
	touch("a.instances.png");
	touch("a.pxl.json");
	touch(".a.png.XXXXXX");
	s = xasprintf("%s/sub", dir);
	mkdir(s, 0755);
	free(s);
	touch("sub/c.JPG");
	s = xasprintf("%s/.git", dir);
	mkdir(s, 0755);
	free(s);
	touch(".git/d.png");
	/* An empty folder: nothing to sort (qsort with a NULL base is undefined, UBSan says so). */
	s = xasprintf("%s/sub/empty", dir);
	mkdir(s, 0755);
	free(s);
	args[0] = dir;
	rc = paths_collect(args, 1, NULL, &list, &n, NULL, NULL, &cause);
	tap_ok(rc == 0 && n == 3 && strstr(list[0], "/a.jpg") && strstr(list[1], "/b.png") && strstr(list[2], "sub/c.JPG"),
	    "a scan finds images, sorted, recursive, skipping masks, hidden files and folders (%zu)", n);
	if (rc == 0)
		paths_list_free(list, n);
	/* Sidecars whose image is gone; c's is not (its image's extension in capitals), nor are
	 * those in hidden folders or named with another suffix. */
	touch("sub/c.pxl.json");
	touch("coffee.pxl.json");
	touch("sub/gone.v2.pxl.json");
	touch(".git/e.pxl.json");
	touch("f.json");
	touch("b.png.pxl.json");
	touch("a.ana.pxl.json"); /* ana's own outlines of a shared image (queue.h): not orphans */
	touch("sub/c.bo-2.pxl.json");
	{
		char **orphans = NULL;
		size_t norphans = 0;

		rc = paths_collect(args, 1, NULL, &list, &n, &orphans, &norphans, &cause);
		tap_ok(rc == 0 && n == 3 && norphans == 3 && strstr(orphans[0], "/b.png.pxl.json") &&
		    strstr(orphans[1], "/coffee.pxl.json") && strstr(orphans[2], "sub/gone.v2.pxl.json"),
		    "sidecars without an image of their stem are found, a person's own of a shared image not (%zu)", norphans);
		if (rc == 0) {
			paths_list_free(list, n);
			paths_list_free(orphans, norphans);
		}
		args[1] = xasprintf("%s/b.png", dir);
		rc = paths_collect(args + 1, 1, NULL, &list, &n, &orphans, &norphans, &cause);
		tap_ok(rc == 0 && n == 1 && norphans == 0, "a named image is no folder walk: no orphans");
		if (rc == 0)
			paths_list_free(list, n);
		free(args[1]);
	}
	/* Natural order: img2 before img10. */
	tap_ok(paths_natural_cmp("img2.png", "img10.png") < 0 && paths_natural_cmp("img10.png", "img2.png") > 0 &&
	    paths_natural_cmp("img10.png", "img10.png") == 0, "img2 before img10");
	tap_ok(paths_natural_cmp("img02.png", "img2.png") < 0 && paths_natural_cmp("img2.png", "img02.png") > 0 &&
	    paths_natural_cmp("img002", "img2x") < 0, "leading zeros only break a tie, as strcmp orders them");
	tap_ok(paths_natural_cmp("a", "a0") < 0 && paths_natural_cmp("img10.png", "img10a.png") < 0 &&
	    paths_natural_cmp("B", "a") < 0 && paths_natural_cmp("x99999999999999999999999", "x100000000000000000000000") < 0,
	    "a prefix first, bytes elsewhere, numbers of any length");
	{
		char *sub = xasprintf("%s/nat", dir);

		mkdir(sub, 0755);
		free(sub);
		touch("nat/img10.png");
		touch("nat/img2.png");
		touch("nat/img1.png");
		touch("nat/img02b.png");
		args[1] = xasprintf("%s/nat", dir);
		rc = paths_collect(args + 1, 1, NULL, &list, &n, NULL, NULL, &cause);
		tap_ok(rc == 0 && n == 4 && strstr(list[0], "/img1.png") && strstr(list[1], "/img2.png") &&
		    strstr(list[2], "/img02b.png") && strstr(list[3], "/img10.png"), "a folder's images in natural order");
		if (rc == 0)
			paths_list_free(list, n);
		free(args[1]);
	}
	touch("b.jpg");
	rc = paths_collect(args, 1, NULL, &list, &n, NULL, NULL, &cause);
	tap_ok(rc == -1 && cause && strstr(cause, "b.jpg") && strstr(cause, "b.png"),
	    "two images with one stem are an error: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	args[0] = "/nonexistent-folder";
	tap_ok(paths_collect(args, 1, NULL, &list, &n, NULL, NULL, &cause) == -1 && cause, "a missing argument is an error");
	free(cause);
	(void)!system("true");
	sweep();
	s = xasprintf("rm -rf '%s'", dir);
	(void)!system(s);
	free(s);
	return tap_done();
}
