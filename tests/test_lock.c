/* test_lock.c: one annotator per image: the second is refused and told who, a lock left by a
 * dead process of this host is taken over, one from another host is honoured. Then every
 * staleness rule (empty, garbled, ended, reused pid, another host's silence, another boot or pid
 * namespace), refresh, pxlabel 0.4's check-then-delete losing an interleaving that the guard
 * wins, a taker killed mid-takeover, and a race of 32 starts at once (doc/locking.md). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lock.h"
#include "tap.h"
#include "xalloc.h"

/* ---- added with the takeover scheme: the staleness rules, refresh, races ------------------- */

static char this_host[256];

static char *new_dir(void)
{
	char *d = xstrdup("/tmp/pxl-lock-XXXXXX");

	if (!mkdtemp(d))
		exit(99);
	return d;
}

/* Writes len bytes of text to path, last modified age seconds ago. */
static void put(const char *path, const char *text, size_t len, long age)
{
	struct timespec t[2];
	FILE *fp = fopen(path, "wb");

	if (!fp)
		exit(99);
	fwrite(text, 1, len, fp);
	fclose(fp);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= age;
	t[0].tv_nsec = 0;
	t[1] = t[0];
	utimensat(AT_FDCWD, path, t, 0);
}

static void put_text(const char *path, const char *text, long age) { put(path, text, strlen(text), age); }

static char *slurp(const char *path)
{
	char buf[2048];
	FILE *fp = fopen(path, "rb");
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return xstrdup(buf);
}

/* Entries of dir whose name holds part ("" for all). */
static int entries(const char *dir, const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strstr(e->d_name, part))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void remove_dir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *p = xasprintf("%s/%s", dir, e->d_name);

		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	rmdir(dir);
	free(dir);
}

/* lock_take; an error is a diagnostic (and -1). */
static int take(const char *side, struct lock *l, char **holder)
{
	char *cause = NULL;
	int rc;

	free(*holder);
	*holder = NULL;
	rc = lock_take(l, side, holder, &cause);
	if (rc < 0)
		tap_diag("lock_take: %s", cause ? cause : "?");
	free(cause);
	return rc;
}

static pid_t ended_pid(void)
{
	pid_t p = fork();

	if (p == 0)
		_exit(0);
	waitpid(p, NULL, 0);
	return p;
}

static long mtime_age(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	return (long)(time(NULL) - st.st_mtim.tv_sec);
}

static void staleness_rules(void)
{
	char *dir = new_dir(), *side = xasprintf("%s/cat.pxl.json", dir), *lockp = xasprintf("%s/cat.pxl.lock", dir);
	char *holder = NULL, *text, want[512], buf[1024], *cause = NULL;
	struct lock l;
	struct stat st;
	int rc;

	rc = take(side, &l, &holder);
	text = slurp(lockp);
	snprintf(want, sizeof(want), "@%s %ld ", this_host, (long)getpid());
	tap_ok(rc == 0 && text && strstr(text, want) && strstr(text, "\nsince ") && strstr(text, "\nprocess-start ") &&
	    strstr(text, "\nboot ") && strstr(text, "\npid-namespace ") && strstr(text, "\nrefresh 60\n") && !l.took_over, "a lock names user@host, pid, its start and that it is "
	    "refreshed: %.*s", text ? (int)strcspn(text, "\n") : 0, text ? text : "");
	free(text);
	tap_ok(stat(lockp, &st) == 0 && (st.st_mode & 0777) == 0644, "anyone may read who holds it (mode 0644)");
	tap_ok(entries(dir, "") == 1, "taking a free lock leaves no temporary");
	lock_release(&l);
	tap_ok(entries(dir, "") == 0, "releasing it leaves nothing");

	/* ": > cat.pxl.lock", the start killed between creating the lock and writing it. */
	put(lockp, "", 0, 0);
	rc = take(side, &l, &holder);
	tap_ok(rc == 1 && holder && strstr(holder, "another annotator"), "an empty lock just made is honoured (its "
	    "writer may be writing): %s", holder ? holder : "");
	put(lockp, "", 0, 60);
	rc = take(side, &l, &holder);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "empty lock file"), "an empty lock a minute old is "
	    "stale, and the takeover says so: %s", l.took_over ? l.took_over : "");
	lock_release(&l);
	put(lockp, "\x01\x02 no pid here\n", 15, 0);
	rc = take(side, &l, &holder);
	tap_ok(rc == 1, "a garbled lock just made is honoured");
	put(lockp, "\x01\x02 no pid here\n", 15, 30);
	rc = take(side, &l, &holder);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "unreadable lock file"), "a garbled lock 30 s old is "
	    "stale: %s", l.took_over ? l.took_over : "");
	lock_release(&l);

	/* This host: the pid decides. */
	snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\n", this_host, (long)ended_pid());
	put_text(lockp, buf, 0);
	rc = take(side, &l, &holder);
	snprintf(want, sizeof(want), "took over the lock of someone@%s (pid ", this_host);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, want) && strstr(l.took_over, "since 2026-01-01 10:00), "
	    "whose session ended"), "taking over an ended session's lock says whose and since when: %s",
	    l.took_over ? l.took_over : "");
	lock_release(&l);
	snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\nsince %lld\n", this_host, (long)ended_pid(),
	    (long long)time(NULL) - 60);
	put_text(lockp, buf, 0);
	rc = take(side, &l, &holder);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "since ") && !strstr(l.took_over, "since 20"),
	    "one that started today is said by the time only: %s", l.took_over ? l.took_over : "");
	lock_release(&l);
	snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\n", this_host, (long)getppid());
	put_text(lockp, buf, 3600);
	rc = take(side, &l, &holder);
	tap_ok(rc == 1, "a lock of a live process of this host is held however old: %s", holder ? holder : "");
	if (access("/proc/self/stat", R_OK) == 0) {
		snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\nprocess-start 1\n", this_host,
		    (long)getppid());
		put_text(lockp, buf, 0);
		rc = take(side, &l, &holder);
		tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "whose session ended"), "but not when that pid now "
		    "runs another process (its start differs): %s", l.took_over ? l.took_over : "");
		lock_release(&l);
	} else {
		tap_ok(1, "# SKIP no /proc: pid reuse is not seen");
	}

	/* Another host: only the silence decides. */
	put_text(lockp, "someone@elsewhere.example 77 2026-01-01 10:00\nsince 1767261600\nrefresh 60\n", 540);
	rc = take(side, &l, &holder);
	tap_ok(rc == 1 && holder && strstr(holder, "someone@elsewhere.example (pid 77"), "another host's lock "
	    "refreshed 9 minutes ago is held: %s", holder ? holder : "");
	put_text(lockp, "someone@elsewhere.example 77 2026-01-01 10:00\nsince 1767261600\nrefresh 60\n", 660);
	rc = take(side, &l, &holder);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "someone@elsewhere.example (pid 77") &&
	    strstr(l.took_over, "silent for 11 min"), "one silent for 11 minutes is stale: %s",
	    l.took_over ? l.took_over : "");
	lock_release(&l);
	put_text(lockp, "someone@elsewhere.example 77 2026-01-01 10:00\n", 3600);
	rc = take(side, &l, &holder);
	tap_ok(rc == 1, "an older pxlabel's lock from another host (it never refreshes) is held after an hour");
	put_text(lockp, "someone@elsewhere.example 77 2026-01-01 10:00\n", 2 * 86400);
	rc = take(side, &l, &holder);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "silent for 2 days"), "and stale after two days: %s",
	    l.took_over ? l.took_over : "");
	lock_release(&l);
	if (access("/proc/sys/kernel/random/boot_id", R_OK) == 0) {
		/* The same host name on another machine (or before a reboot): its pids are not ours. */
		snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\nboot 00000000-0000-0000-0000-000000000000\n"
		    "refresh 60\n", this_host, (long)ended_pid());
		put_text(lockp, buf, 0);
		rc = take(side, &l, &holder);
		tap_ok(rc == 1, "a lock of this host name but another boot is not judged by its pid");
		put_text(lockp, buf, 660);
		rc = take(side, &l, &holder);
		tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "silent"), "but by its silence: %s",
		    l.took_over ? l.took_over : "");
		lock_release(&l);
	} else {
		tap_ok(1, "# SKIP no boot id");
		tap_ok(1, "# SKIP no boot id");
	}
	if (access("/proc/self/ns/pid", F_OK) == 0) {
		/* A container of the same host name and kernel numbers its processes apart. */
		snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\npid-namespace 1\nrefresh 60\n", this_host,
		    (long)ended_pid());
		put_text(lockp, buf, 0);
		rc = take(side, &l, &holder);
		tap_ok(rc == 1, "nor one from another pid namespace (a container of the same name)");
		unlink(lockp);
	} else {
		tap_ok(1, "# SKIP no pid namespaces");
	}

	/* Refresh. */
	rc = take(side, &l, &holder);
	put_text(lockp, l.text ? l.text : "", 1000); /* same file, same bytes: only older */
	tap_ok(rc == 0 && mtime_age(lockp) >= 999 && lock_refresh(&l, &holder, &cause) == 0 && mtime_age(lockp) < 10,
	    "lock_refresh touches the lock");
	snprintf(buf, sizeof(buf), "%s/other", dir);
	put_text(buf, "someone@elsewhere.example 5 2026-01-01 10:00\nrefresh 60\n", 0);
	rename(buf, lockp);
	rc = lock_refresh(&l, &holder, &cause);
	tap_ok(rc == 1 && holder && strstr(holder, "someone@elsewhere.example"), "and says when the lock is no longer "
	    "ours (taken over after a silence): %s", holder ? holder : "");
	lock_release(&l);
	text = slurp(lockp);
	tap_ok(text && strstr(text, "someone@elsewhere.example"), "release leaves a lock that is not ours");
	free(text);
	unlink(lockp);
	rc = take(side, &l, &holder);
	unlink(lockp);
	tap_ok(rc == 0 && lock_refresh(&l, &holder, &cause) == 0 && (text = slurp(lockp)) && !strcmp(text, l.text),
	    "a lock removed by hand is put back by the next refresh");
	free(text);
	lock_release(&l);
	tap_ok(entries(dir, "") == 0, "no temporary, guard or lock is left behind");
	free(holder);
	free(cause);
	free(side);
	free(lockp);
	remove_dir(dir);
}

/* ---- interleavings: pxlabel 0.4's check-then-delete against the guard ---------------------- */

static int hook_at = -1, hook_ready = -1, hook_go = -1;

/* Stops the process at moment hook_at until the test lets it go on. */
static void hook(int moment)
{
	char c = 'x';

	if (moment != hook_at)
		return;
	if (write(hook_ready, &c, 1) != 1 || read(hook_go, &c, 1) != 1)
		_exit(98);
}

/* pxlabel 0.4's scheme: O_EXCL; on EEXIST read it, and when its process ended on this host
 * delete it and try again. between is called between the check and the delete (where the
 * issue's strace delayed the unlink). */
static int old_take(const char *lockp, void (*between)(int))
{
	char text[512] = "", who[300], *at;
	long pid;
	int fd, tries;
	FILE *fp;

	for (tries = 0; tries < 2; tries++) {
		fd = open(lockp, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			dprintf(fd, "old@%s %ld 2026-01-01 10:00\n", this_host, (long)getpid());
			close(fd);
			return 0;
		}
		fp = fopen(lockp, "r");
		if (fp) {
			text[fread(text, 1, sizeof(text) - 1, fp)] = '\0';
			fclose(fp);
		}
		if (sscanf(text, "%299s %ld", who, &pid) != 2 || !(at = strchr(who, '@')) || strcmp(at + 1, this_host) ||
		    !(kill((pid_t)pid, 0) != 0 && errno == ESRCH))
			return 1;
		if (between)
			between(0);
		unlink(lockp);
	}
	return 1;
}

struct result {
	int rc;
	pid_t pid;
};

/* In a child: take the lock (old scheme or new), report, and keep it (alive) until released. */
static void contender(const char *side, const char *lockp, int old, int res_w, int hold_r)
{
	struct result r;
	struct lock l;
	char *holder = NULL, *cause = NULL, c;

	r.rc = old ? old_take(lockp, hook_at >= 0 ? hook : NULL) : lock_take(&l, side, &holder, &cause);
	r.pid = getpid();
	/* A test waiting for us to reach the hook learns that we never will. */
	if (hook_ready >= 0)
		close(hook_ready);
	if (write(res_w, &r, sizeof(r)) != (ssize_t)sizeof(r))
		_exit(97);
	while (read(hold_r, &c, 1) > 0)
		;
	_exit(0);
}

/* A starts and is stopped at moment `at`; B runs through; then A goes on. Returns how many of
 * the two got the lock; *winner the pid that the lock file names in the end (0 if neither). */
static int interleave(const char *side, const char *lockp, int old, int at, pid_t *winner)
{
	int ready[2], go[2], res[2], hold[2], got = 0;
	struct result ra, rb;
	pid_t a, b;
	char c = 'x', *text, want[64];

	if (pipe(ready) || pipe(go) || pipe(res) || pipe(hold))
		exit(99);
	a = fork();
	if (a == 0) {
		close(ready[0]);
		close(go[1]);
		close(hold[1]);
		hook_at = at;
		hook_ready = ready[1];
		hook_go = go[0];
		lock_test_hook(hook);
		contender(side, lockp, old, res[1], hold[0]);
	}
	close(ready[1]);
	close(go[0]);
	close(hold[0]);
	if (read(ready[0], &c, 1) != 1) { /* A never came to its window */
		close(hold[1]);
		waitpid(a, NULL, 0);
		*winner = 0;
		got = -1;
		goto out;
	}
	b = fork();
	if (b == 0) {
		close(hold[1]);
		contender(side, lockp, old, res[1], hold[0]);
	}
	if (read(res[0], &rb, sizeof(rb)) != (ssize_t)sizeof(rb) || write(go[1], &c, 1) != 1 ||
	    read(res[0], &ra, sizeof(ra)) != (ssize_t)sizeof(ra))
		exit(99);
	got = (ra.rc == 0) + (rb.rc == 0);
	*winner = 0;
	text = slurp(lockp);
	snprintf(want, sizeof(want), " %ld ", (long)a);
	if (text && strstr(text, want))
		*winner = a;
	snprintf(want, sizeof(want), " %ld ", (long)b);
	if (text && strstr(text, want))
		*winner = b;
	free(text);
	close(hold[1]);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
out:
	close(ready[0]);
	close(go[1]);
	close(res[0]);
	close(res[1]);
	return got;
}

static void interleavings(void)
{
	char *dir = new_dir(), *side = xasprintf("%s/cat.pxl.json", dir), *lockp = xasprintf("%s/cat.pxl.lock", dir);
	char stale[512];
	pid_t winner;
	int got;

	snprintf(stale, sizeof(stale), "someone@%s %ld 2026-01-01 10:00\n", this_host, (long)ended_pid());
	put_text(lockp, stale, 0);
	got = interleave(side, lockp, 1, 0, &winner);
	tap_ok(got == 2, "pxlabel 0.4's check-then-delete, A stopped between check and delete while B starts: "
	    "%d starts got the image writable (the lost edit of issue 15, seen by this test)", got);
	put_text(lockp, stale, 0);
	got = interleave(side, lockp, 0, 0, &winner);
	tap_ok(got == 1 && winner, "now, A stopped after judging the lock stale while B starts: %d got it", got);
	put_text(lockp, stale, 0);
	got = interleave(side, lockp, 0, 1, &winner);
	tap_ok(got == 1 && winner, "now, A stopped under the guard just before replacing it while B starts: %d got it",
	    got);
	free(side);
	free(lockp);
	remove_dir(dir);
}

/* A start killed in the middle of a takeover leaves a guard; the next start passes over it. */
static void killed_taker(void)
{
	char *dir = new_dir(), *side = xasprintf("%s/cat.pxl.json", dir), *lockp = xasprintf("%s/cat.pxl.lock", dir);
	char buf[512], *holder = NULL, c;
	int ready[2], go[2], rc;
	struct lock l;
	pid_t a;

	snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\n", this_host, (long)ended_pid());
	put_text(lockp, buf, 0);
	if (pipe(ready) || pipe(go))
		exit(99);
	a = fork();
	if (a == 0) {
		hook_at = 1;
		hook_ready = ready[1];
		hook_go = go[0];
		lock_test_hook(hook);
		(void)take(side, &l, &holder);
		_exit(0);
	}
	close(ready[1]);
	ready[1] = -1;
	if (read(ready[0], &c, 1) != 1)
		tap_diag("the taker never came to its window");
	kill(a, SIGKILL);
	waitpid(a, NULL, 0);
	tap_ok(entries(dir, ".takeover.") == 1, "a start killed while taking over leaves its guard");
	rc = take(side, &l, &holder);
	tap_ok(rc == 0 && l.took_over && strstr(l.took_over, "whose session ended") && entries(dir, ".takeover.") == 0,
	    "the next start takes over past it, and removes it: %s", l.took_over ? l.took_over : "");
	lock_release(&l);
	close(ready[0]);
	close(go[0]);
	close(go[1]);
	free(holder);
	free(side);
	free(lockp);
	remove_dir(dir);
}

/* ---- the race: many starts at once on one image with a stale lock ------------------------- */

static const char *const race_kinds[] = { "no lock", "an ended process's", "an empty one", "a garbled one",
	"a silent host's", "an old pxlabel's from another host" };

static void race_setup(const char *lockp, int kind)
{
	char buf[512];

	unlink(lockp);
	switch (kind) {
	case 1:
		snprintf(buf, sizeof(buf), "someone@%s %ld 2026-01-01 10:00\n", this_host, (long)ended_pid());
		put_text(lockp, buf, 0);
		break;
	case 2:
		put(lockp, "", 0, 60);
		break;
	case 3:
		put_text(lockp, "garbage\n", 60);
		break;
	case 4:
		put_text(lockp, "someone@elsewhere.example 9 2026-01-01 10:00\nrefresh 60\n", 3600);
		break;
	case 5:
		put_text(lockp, "someone@elsewhere.example 9 2026-01-01 10:00\n", 3 * 86400);
		break;
	}
}

/* A random pause of up to 3 ms at each moment a takeover could be overtaken, so that the race
 * goes every way: a check-then-delete scheme loses within a few rounds of this. */
static void jitter(int moment)
{
	static unsigned seed;
	struct timespec ts = { 0, 0 };

	if (!seed)
		seed = (unsigned)getpid() * 2654435761u;
	ts.tv_nsec = (long)(rand_r(&seed) % 3000) * 1000L;
	nanosleep(&ts, NULL);
}

/* One round: nproc children take the lock at once (with jitter, each at its own pace). Returns 0 when exactly one got it, the lock
 * file names it, and nothing else is left in dir. */
static int race_round(const char *dir, const char *side, const char *lockp, int nproc, int kind, int jittered)
{
	int start[2], res[2], hold[2], i, won = 0, lost = 0, failed = 0, names_winner = 0;
	pid_t pids[64], winner = 0;
	struct result r;
	char *text, want[64], c;

	race_setup(lockp, kind);
	if (pipe(start) || pipe(res) || pipe(hold))
		exit(99);
	for (i = 0; i < nproc; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			close(start[1]);
			close(hold[1]);
			close(res[0]);
			while (read(start[0], &c, 1) > 0)
				;
			if (jittered)
				lock_test_hook(jitter);
			contender(side, lockp, 0, res[1], hold[0]);
		}
	}
	close(start[0]);
	close(hold[0]);
	close(res[1]);
	close(start[1]); /* all of them go */
	for (i = 0; i < nproc; i++) {
		if (read(res[0], &r, sizeof(r)) != (ssize_t)sizeof(r)) {
			failed++;
			continue;
		}
		if (r.rc == 0) {
			won++;
			winner = r.pid;
		} else if (r.rc == 1) {
			lost++;
		} else {
			failed++;
		}
	}
	text = slurp(lockp);
	snprintf(want, sizeof(want), " %ld ", (long)winner);
	names_winner = winner && text && strstr(text, want);
	free(text);
	close(hold[1]);
	for (i = 0; i < nproc; i++)
		waitpid(pids[i], NULL, 0);
	close(res[0]);
	if (won != 1 || failed || !names_winner || entries(dir, "") != 1) {
		tap_diag("with %s lock%s: %d got it, %d refused, %d failed, the lock %s the winner, %d files left",
		    race_kinds[kind], jittered ? " and jitter" : "", won, lost, failed, names_winner ? "names" : "does not name", entries(dir, ""));
		return -1;
	}
	return 0;
}

static void race(void)
{
	char *dir = new_dir(), *side = xasprintf("%s/cat.pxl.json", dir), *lockp = xasprintf("%s/cat.pxl.lock", dir);
	const char *env = getenv("PXL_LOCK_RACE_ROUNDS");
	int rounds = env && atoi(env) > 0 ? atoi(env) : 36, nproc = 32, round, bad = 0;

	for (round = 0; round < rounds; round++)
		bad += race_round(dir, side, lockp, nproc, round % 6, round / 6 % 2) != 0;
	tap_ok(bad == 0, "%d rounds of %d starts at once on one image (stale locks of each kind, and none; half of "
	    "the rounds with random pauses in the takeover): exactly one got it writable every time (%d rounds went "
	    "wrong)", rounds, nproc, bad);
	free(side);
	free(lockp);
	remove_dir(dir);
}

static void more_lock_tests(void)
{
	gethostname(this_host, sizeof(this_host));
	this_host[sizeof(this_host) - 1] = '\0';
	staleness_rules();
	interleavings();
	killed_taker();
	race();
}

int main(void)
{
	char dir[] = "/tmp/pxl-lock-XXXXXX", host[256], *side, *lockp, *holder = NULL, *cause = NULL;
	struct lock a, b;
	FILE *fp;
	pid_t dead;
	int rc;

	if (!mkdtemp(dir))
		return 99;
	side = xasprintf("%s/cat.pxl.json", dir);
	lockp = xasprintf("%s/cat.pxl.lock", dir);
	tap_ok(lock_take(&a, side, &holder, &cause) == 0 && access(lockp, F_OK) == 0, "the first takes the lock: %s", lockp);
	rc = lock_take(&b, side, &holder, &cause);
	tap_ok(rc == 1 && holder && strstr(holder, "pid") && !b.path, "the second is refused and told who: %s",
	    holder ? holder : "");
	free(holder);
	holder = NULL;
	lock_release(&a);
	tap_ok(access(lockp, F_OK) != 0, "release removes the lock file");
	/* Harmless means a second release leaves alone a lock someone took in between. */
	rc = lock_take(&b, side, &holder, &cause);
	lock_release(&a);
	tap_ok(rc == 0 && a.path == NULL && access(lockp, F_OK) == 0 && lock_take(&a, side, &holder, &cause) == 1,
	    "releasing twice is harmless: the lock taken since stays");
	free(holder);
	holder = NULL;
	lock_release(&b);

	/* A process that has ended, on this host: its lock is stale. */
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	gethostname(host, sizeof(host));
	host[sizeof(host) - 1] = '\0';
	fp = fopen(lockp, "w");
	fprintf(fp, "someone@%s %ld 2026-01-01 10:00\n", host, (long)dead);
	fclose(fp);
	tap_ok(lock_take(&a, side, &holder, &cause) == 0, "a lock left by a dead process of this host is taken over");
	lock_release(&a);

	/* Another host: pxlabel cannot see its processes, so the lock stands. */
	fp = fopen(lockp, "w");
	fprintf(fp, "someone@elsewhere.example 1 2026-01-01 10:00\n");
	fclose(fp);
	rc = lock_take(&a, side, &holder, &cause);
	tap_ok(rc == 1 && holder && strstr(holder, "someone@elsewhere.example"), "a lock from another host is honoured: %s",
	    holder ? holder : "");
	free(holder);
	holder = NULL;
	unlink(lockp);

	/* A folder that cannot hold the lock is an error, not a silent success. */
	free(side);
	side = xasprintf("%s/no-such-folder/cat.pxl.json", dir);
	rc = lock_take(&a, side, &holder, &cause);
	tap_ok(rc == -1 && cause, "a missing folder: %s", cause ? cause : "");
	free(cause);
	free(side);
	free(lockp);
	rmdir(dir);
	more_lock_tests();
	return tap_done();
}
