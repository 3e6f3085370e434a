/* test_paths.c: names of the files next to an image, and folder scans. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	{
		char **orphans = NULL;
		size_t norphans = 0;

		rc = paths_collect(args, 1, NULL, &list, &n, &orphans, &norphans, &cause);
		tap_ok(rc == 0 && n == 3 && norphans == 3 && strstr(orphans[0], "/b.png.pxl.json") &&
		    strstr(orphans[1], "/coffee.pxl.json") && strstr(orphans[2], "sub/gone.v2.pxl.json"),
		    "sidecars without an image of their stem are found (%zu)", norphans);
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
	s = xasprintf("rm -rf '%s'", dir);
	(void)!system(s);
	free(s);
	return tap_done();
}
