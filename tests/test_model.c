/* test_model.c: the model command end to end with a stand-in (tests/model_standin.py): the
 * request's JSON as the protocol says; a mask with a hole taken exactly, exclude points
 * honoured; a failing command reported with its stderr's last line; a hanging one killed at
 * its time limit, its children too; a mask of the wrong size, an unreadable one and a missing
 * one reported; Esc's kill; the command line split without a shell. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "model.h"
#include "tap.h"
#include "xalloc.h"

#define W 40
#define H 30

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Polls until the job ends (a generous deadline: the machine may be loaded). */
static enum model_state finish(struct model_job *job, struct region *r, char **cause)
{
	double t0 = now();
	enum model_state st;

	while ((st = model_poll(job, now(), r, cause)) == MODEL_RUNNING && now() - t0 < 120)
		usleep(20000);
	return st;
}

/* A process that is gone or a zombie. */
static int gone(pid_t pid)
{
	char path[64], buf[256], *p;
	FILE *f;

	if (kill(pid, 0) != 0 && errno == ESRCH)
		return 1;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 1;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

static int ring_at(double cx, double cy, int x, int y)
{
	double d2 = (x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy);

	return d2 > 16 && d2 <= 100;
}

int main(void)
{
	const char *src = getenv("top_srcdir");
	char *standin, *cmd, *cause = NULL, tmp[] = "/tmp/pxl-model-XXXXXX", copy[128], pidfile[128], image[128], buf[4096];
	struct model_point pts[2] = { { 20.5, 15.5, 1 }, { 20.5, 6.5, 0 } };
	struct model_job job;
	struct region r = { 0 };
	enum model_state st;
	char **argv;
	FILE *f;
	int x, y, good;
	double t0;

	signal(SIGPIPE, SIG_IGN);
	if (access("/usr/bin/python3", X_OK) != 0) {
		printf("1..0 # SKIP /usr/bin/python3 is needed for the stand-in model\n");
		return 77;
	}
	standin = xasprintf("%s/tests/model_standin.py", src ? src : ".");
	if (!mkdtemp(tmp))
		return 1;
	snprintf(copy, sizeof(copy), "%s/request.json", tmp);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", tmp);
	snprintf(image, sizeof(image), "%s/the image.png", tmp);
	f = fopen(image, "w");
	fputs("x", f);
	fclose(f);

	/* Splitting: quotes and backslashes as in sh, nothing else special. */
	argv = model_split("  a 'b c' \"d \\\" e\" f\\ g $HOME;x  ", NULL);
	tap_ok(argv && !strcmp(argv[0], "a") && !strcmp(argv[1], "b c") && !strcmp(argv[2], "d \" e") &&
	    !strcmp(argv[3], "f g") && !strcmp(argv[4], "$HOME;x") && !argv[5], "the command is split into words, no shell");
	model_argv_free(argv);
	tap_ok(!model_split("a 'b", &cause) && cause && strstr(cause, "open quote"), "an open quote is refused");
	free(cause);
	cause = NULL;
	tap_ok(!model_split("   ", NULL), "an empty command is refused");

	/* The ring: a mask with a hole, taken exactly; one exclude point cuts into it. */
	cmd = xasprintf("/usr/bin/python3 '%s' ring '%s'", standin, copy);
	good = model_start(cmd, image, W, H, pts, 2, tmp, now(), 60, &job, &cause) == 0;
	tap_ok(good, "the command starts%s%s", cause ? ": " : "", cause ? cause : "");
	st = good ? finish(&job, &r, &cause) : MODEL_FAILED;
	tap_ok(st == MODEL_DONE, "and ends with a mask%s%s", cause ? ": " : "", cause ? cause : "");
	good = st == MODEL_DONE;
	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++) {
			int want = ring_at(20.5, 15.5, x, y) && !((x + 0.5 - 20.5) * (x + 0.5 - 20.5) + (y + 0.5 - 6.5) * (y + 0.5 - 6.5) <= 9);

			if (region_has(&r, x, y) != want)
				good = 0;
		}
	tap_ok(good && !region_has(&r, 20, 15), "the mask with its hole is taken exactly (%llu px), the exclude point honoured",
	    (unsigned long long)r.npx);
	f = fopen(copy, "r");
	buf[0] = '\0';
	if (f) {
		size_t k = fread(buf, 1, sizeof(buf) - 1, f);

		buf[k] = '\0';
		fclose(f);
	}
	tap_ok(strstr(buf, "\"width\": 40") && strstr(buf, "\"height\": 30") && strstr(buf, "\"box\": null") &&
	    strstr(buf, "[20.5, 15.5, 1]") && strstr(buf, "[20.5, 6.5, 0]") && strstr(buf, "the image.png\""),
	    "the request: size, points with labels, box, the image's path");
	tap_ok(buf[0] && strstr(buf, "\"image\": \"/"), "the image's path is absolute");
	tap_ok(job.pid == 0 && !job.output, "the job is over, its mask file gone");
	free(cmd);

	/* A path JSON cannot carry (not UTF-8): a clear error, not a request without "image". */
	{
		char *bad = xasprintf("%s/bad\xff\xfe.png", tmp), *req = model_request(bad, W, H, pts, 1, "/tmp/x.png");
		int refused = model_start("/bin/true", bad, W, H, pts, 1, tmp, now(), 60, &job, &cause) != 0;

		tap_ok(!req && refused && cause && strstr(cause, "not UTF-8"), "an image path that is not UTF-8 is refused: %s",
		    cause ? cause : "");
		free(req);
		free(bad);
		free(cause);
		cause = NULL;
	}

	/* The same ring as an RGBA mask on a transparent background: transparent is no object
	 * (it was laid over the annotator's checkerboard, and the whole image came back). */
	region_free(&r);
	cmd = xasprintf("/usr/bin/python3 '%s' rgba", standin);
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 60, &job, &cause) == 0;
	st = good ? finish(&job, &r, &cause) : MODEL_FAILED;
	good = st == MODEL_DONE;
	for (y = 0; good && y < H; y++)
		for (x = 0; x < W; x++)
			if (region_has(&r, x, y) != ring_at(20.5, 15.5, x, y))
				good = 0;
	tap_ok(good, "an RGBA mask: its transparent background is no object (%llu px)%s%s", (unsigned long long)r.npx,
	    cause ? ": " : "", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cmd);

	/* A failing command: its stderr's last line. */
	cmd = xasprintf("/usr/bin/python3 '%s' fail", standin);
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 60, &job, NULL) == 0;
	st = good ? finish(&job, &r, &cause) : MODEL_DONE;
	tap_ok(st == MODEL_FAILED && cause && strstr(cause, "exit 3") && strstr(cause, "CUDA out of memory") &&
	    !strstr(cause, "loading"), "a failing command: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cmd);

	/* A hanging command: killed at its time limit, its child too. */
	cmd = xasprintf("/usr/bin/python3 '%s' hang '%s'", standin, pidfile);
	unlink(pidfile);
	t0 = now();
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 1.5, &job, NULL) == 0;
	{
		pid_t child = 0;

		/* The child must exist before the limit is up, for the test to mean anything. */
		while (good && now() - t0 < 60 && !child) {
			f = fopen(pidfile, "r");
			if (f) {
				int v = 0;

				if (fscanf(f, "%d", &v) == 1)
					child = v;
				fclose(f);
			}
			if (!child)
				usleep(20000);
		}
		st = good ? finish(&job, &r, &cause) : MODEL_DONE;
		tap_ok(st == MODEL_FAILED && cause && strstr(cause, "took more than 1.5 s"), "a hanging command is stopped: %s",
		    cause ? cause : "");
		t0 = now();
		while (child && !gone(child) && now() - t0 < 10)
			usleep(20000);
		tap_ok(child > 0 && gone(child), "and its child is killed too (pid %d)", (int)child);
	}
	free(cause);
	cause = NULL;

	/* Esc: killed at once. */
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 60, &job, NULL) == 0;
	model_kill(&job);
	tap_ok(good && job.pid == 0 && !job.output, "a kill ends the job and removes its files");
	free(cmd);

	/* Masks that are wrong. */
	cmd = xasprintf("/usr/bin/python3 '%s' size", standin);
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 60, &job, NULL) == 0;
	st = good ? finish(&job, &r, &cause) : MODEL_DONE;
	tap_ok(st == MODEL_FAILED && cause && strstr(cause, "41x30, the image 40x30"), "a mask of the wrong size: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cmd);
	cmd = xasprintf("/usr/bin/python3 '%s' garbage", standin);
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 60, &job, NULL) == 0;
	st = good ? finish(&job, &r, &cause) : MODEL_DONE;
	tap_ok(st == MODEL_FAILED && cause && strstr(cause, "cannot be read"), "an unreadable mask: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cmd);
	cmd = xasprintf("/usr/bin/python3 '%s' noread", standin);
	good = model_start(cmd, image, W, H, pts, 1, tmp, now(), 60, &job, NULL) == 0;
	st = good ? finish(&job, &r, &cause) : MODEL_DONE;
	tap_ok(st == MODEL_FAILED && cause && strstr(cause, "cannot be read"), "no mask written (stdin unread): %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	free(cmd);
	good = model_start("/nonexistent/model --x", image, W, H, pts, 1, tmp, now(), 60, &job, NULL) == 0;
	st = good ? finish(&job, &r, &cause) : MODEL_DONE;
	/* The child's status is 127, unless valgrind (make check-valgrind) gave the forked child's
	 * leak of the parent's memory its own status: the message is what the user reads. */
	tap_ok(st == MODEL_FAILED && cause && (strstr(cause, "exit 127") || getenv("VALGRIND_LOGS")) &&
	    strstr(cause, "cannot run /nonexistent/model"),
	    "a command that cannot run: %s", cause ? cause : "");
	free(cause);

	region_free(&r);
	unlink(copy);
	unlink(pidfile);
	unlink(image);
	rmdir(tmp);
	free(standin);
	return tap_done();
}
