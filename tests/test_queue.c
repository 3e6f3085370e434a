/* test_queue.c: the team's queues: names that can name a file, the deal (stable, every image
 * once, the overlap share to a second person), the queue files read back with the shared
 * images flagged, paths out of the folder refused, and a person's own suffixes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dataset.h"
#include "paths.h"
#include "queue.h"
#include "tap.h"
#include "xalloc.h"

static char dir[] = "/tmp/pxl-queue-XXXXXX";

int main(void)
{
	char *people[3] = { "ana", "bo", "cy" }, *rel[200], **images = NULL, *cause = NULL, *p;
	unsigned char *shared = NULL;
	size_t counts[4] = { 0 }, n, i, nshared = 0;
	int owner, second, o2, s2, stable = 1, distinct = 1, all = 1, rc;
	struct dataset ds;
	FILE *fp;

	if (!mkdtemp(dir))
		return 99;
	tap_ok(queue_check_name("ana_B-2", NULL) == 0, "letters, digits, _ and - name a person");
	tap_ok(queue_check_name("", NULL) != 0 && queue_check_name("a/b", NULL) != 0 &&
	    queue_check_name("..", NULL) != 0 && queue_check_name("overlap", NULL) != 0 &&
	    queue_check_name("abcdefghijklmnopqrstuvwxyz0123456", NULL) != 0, "empty, slashes, dots, overlap, 33 characters do not");

	for (i = 0; i < 200; i++) {
		rel[i] = xasprintf("sub/img%zu.png", i);
		queue_deal(rel[i], 3, 100, &owner, &second);
		queue_deal(rel[i], 3, 100, &o2, &s2);
		stable &= owner == o2 && second == s2;
		distinct &= second != owner;
		all &= owner >= 0 && owner < 3 && second < 3;
		nshared += second >= 0;
	}
	tap_ok(stable && all, "the deal is a function of the path");
	tap_ok(distinct, "a shared image's second person is another person");
	tap_ok(nshared >= 8 && nshared <= 35, "10%% overlap shares about 20 of 200 (%zu)", nshared);
	queue_deal("x.png", 1, 1000, &owner, &second);
	tap_ok(owner == 0 && second == -1, "one person: no second, whatever the share");

	tap_ok(queue_assign(dir, rel, 200, people, 3, 100, counts, &cause) == 0, "queues written");
	tap_ok(counts[0] + counts[1] + counts[2] == 200 + counts[3] && counts[3] == nshared,
	    "%zu + %zu + %zu = 200 + %zu shared", counts[0], counts[1], counts[2], counts[3]);
	/* Read before tap_ok: its arguments may be evaluated in any order, n among them. */
	n = 0;
	rc = queue_read(dir, "bo", &images, &n, &shared, &cause);
	tap_ok(rc == 0 && n == counts[1], "bo's queue read back: %zu images", n);
	p = xasprintf("%s/sub/", dir);
	for (i = 0, all = 1, nshared = 0; i < n; i++) {
		all &= !strncmp(images[i], p, strlen(p));
		if (shared[i]) {
			queue_deal(images[i] + strlen(dir) + 1, 3, 100, &owner, &second);
			all &= owner == 1 || second == 1;
			all &= second >= 0;
			nshared++;
		}
	}
	tap_ok(all && nshared > 0, "paths under the folder, %zu flagged shared, each dealt to bo", nshared);
	free(p);
	paths_list_free(images, n);
	free(shared);
	tap_ok(queue_read(dir, "dee", &images, &n, &shared, &cause) == -1 && cause && strstr(cause, "queues/dee.txt"),
	    "a missing queue names its file: %s", cause);
	free(cause);
	cause = NULL;
	p = xasprintf("%s/queues/evil.txt", dir);
	fp = fopen(p, "w");
	fputs("a.png\n../../etc/passwd\n", fp);
	fclose(fp);
	free(p);
	tap_ok(queue_read(dir, "evil", &images, &n, &shared, &cause) == -1 && cause && strstr(cause, "line 2"),
	    "a path out of the folder is refused: %s", cause);
	free(cause);

	dataset_defaults(&ds);
	queue_personal(&ds, "ana");
	tap_ok(!strcmp(ds.sidecar_suffix, ".ana.pxl.json") && !strcmp(ds.labels_suffix, ".ana.labels.png") &&
	    !strcmp(ds.instances_suffix, ".ana.instances.png"), "ana's own files: %s", ds.sidecar_suffix);
	dataset_free(&ds);

	for (i = 0; i < 200; i++)
		free(rel[i]);
	p = xasprintf("rm -rf %s", dir);
	if (system(p) != 0)
		tap_diag("could not remove %s", dir);
	free(p);
	return tap_done();
}
