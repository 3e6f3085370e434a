/* test_item.c: an image's masks against its outlines: item_masks_stale tells when they lag
 * (missing, or older than the sidecar), and item_write_masks replaces the two together, so a
 * full disk leaves two old masks that agree rather than one new and one old. */
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

#include "compose.h"
#include "doc.h"
#include "item.h"
#include "pngio.h"
#include "tap.h"
#include "xalloc.h"

static void age(const char *path, long secs)
{
	struct timespec t[2];

	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= secs;
	t[1] = t[0];
	utimensat(AT_FDCWD, path, t, 0);
}

static char *slurp(const char *path, size_t *n)
{
	FILE *fp = fopen(path, "rb");
	char *buf;

	*n = 0;
	if (!fp)
		return NULL;
	buf = xmalloc(1 << 20);
	*n = fread(buf, 1, 1 << 20, fp);
	fclose(fp);
	return buf;
}

static int same_bytes(const char *a, size_t na, const char *b, size_t nb)
{
	return a && b && na == nb && !memcmp(a, b, na);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	char dir[] = "/tmp/pxl-item-XXXXXX", *image, *cause = NULL, *why, *lab0, *ins0, *lab1, *ins1;
	size_t nlab0, nins0, nlab1, nins1, i;
	struct compose c = { 0 }, noise = { 0 };
	struct rlimit old, lim;
	struct item it;
	unsigned seed = 7;
	int rc;

	if (!mkdtemp(dir))
		return 99;
	image = xasprintf("%s/cat.png", dir);
	if (item_open(&it, image, NULL, 0, &cause) != 0) {
		tap_diag("%s", cause);
		return 99;
	}
	tap_ok(item_masks_stale(&it) == NULL, "no sidecar: no masks to lag behind it");
	it.doc = doc_new(120, 90, NULL);
	rc = item_save(&it, &cause);
	why = item_masks_stale(&it);
	tap_ok(rc == 0 && why && strstr(why, it.labels) && strstr(why, "missing"), "outlines without masks: %s",
	    why ? why : "");
	free(why);
	rc = compose_init(&c, 120, 90, &cause) == 0 && compose_all(&c, it.doc, &cause) == 0 &&
	    item_write_masks(&it, &c, &cause) == 0;
	why = item_masks_stale(&it);
	tap_ok(rc && !why, "masks written after the outlines are up to date");
	free(why);
	age(it.instances, 30);
	why = item_masks_stale(&it);
	tap_ok(why && strstr(why, it.instances) && strstr(why, "older than cat.pxl.json"),
	    "one mask older than the outlines (killed between the writes): %s", why ? why : "");
	free(why);
	age(it.labels, 30);
	age(it.instances, 30);
	age(it.sidecar, 60);
	why = item_masks_stale(&it);
	tap_ok(!why, "masks newer than the outlines, both: up to date");
	free(why);

	/* A full disk when the instance mask is written: a file size limit that the labels mask
	 * (8 bits a pixel) fits and the instance mask (16, of noise) does not. */
	noise.w = 120;
	noise.h = 90;
	noise.cls = xmalloc((size_t)noise.w * noise.h);
	noise.ids = xmalloc((size_t)noise.w * noise.h * 2);
	for (i = 0; i < (size_t)noise.w * noise.h; i++) {
		noise.cls[i] = (uint8_t)(rand_r(&seed) % 4);
		noise.ids[i] = (uint16_t)rand_r(&seed);
	}
	lab0 = slurp(it.labels, &nlab0);
	ins0 = slurp(it.instances, &nins0);
	signal(SIGXFSZ, SIG_IGN);
	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 12000;
	setrlimit(RLIMIT_FSIZE, &lim);
	free(cause);
	cause = NULL;
	rc = item_write_masks(&it, &noise, &cause);
	setrlimit(RLIMIT_FSIZE, &old);
	lab1 = slurp(it.labels, &nlab1);
	ins1 = slurp(it.instances, &nins1);
	tap_ok(rc == -1 && cause && strstr(cause, it.instances), "a failed mask write is an error naming the mask: %s",
	    cause ? cause : "");
	tap_ok(same_bytes(lab0, nlab0, lab1, nlab1) && same_bytes(ins0, nins0, ins1, nins1),
	    "and both masks stay as they were: they agree");
	tap_ok(count_entries(dir) == 3, "no temporary is left");
	free(lab1);
	free(ins1);
	/* The labels mask alone does fit: the limit tested the second write, not the first. */
	setrlimit(RLIMIT_FSIZE, &lim);
	free(cause);
	cause = NULL;
	rc = pngio_write_palette8(it.labels, noise.cls, noise.w, noise.h, (const struct pngio_rgb[4]){ { 0 } }, 4, &cause);
	setrlimit(RLIMIT_FSIZE, &old);
	tap_ok(rc == 0, "(the labels mask alone fits under that limit: %s)", cause ? cause : "it does");
	rc = item_write_masks(&it, &noise, &cause) == 0;
	why = item_masks_stale(&it);
	tap_ok(rc && !why, "with room again both are written");
	free(why);

	free(lab0);
	free(ins0);
	free(noise.cls);
	free(noise.ids);
	compose_free(&c);
	free(cause);
	unlink(it.labels);
	unlink(it.instances);
	unlink(it.sidecar);
	item_close(&it);
	free(image);
	rmdir(dir);
	return tap_done();
}
