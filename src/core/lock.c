/* lock.c: per-image lock files. A lock appears whole (written to a temporary, then link()ed into
 * place); a stale one is replaced by rename() only by the holder of a guard named after that very
 * file; the holder touches its lock while it works. Why, and what it guarantees: doc/locking.md.
 *
 * The one invariant: NAME.pxl.lock is created only where there is none (link fails on an
 * existing name), and replaced or removed only by a process that holds the guard for the exact
 * file there (its inode and bytes) and has checked, under that guard, that the file is still
 * there. Guards are themselves created by link, so two processes cannot hold the same one; a
 * guard whose taker died is passed over by creating the next generation, never by deleting it. */
#include "config.h"

#include "lock.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "paths.h"
#include "text.h"
#include "xalloc.h"

#define LOCK_MAX_BYTES 1024
/* A guard lives for the milliseconds of one takeover: another host's guard this old was left by
 * a taker that died (on this host the pid tells at once). */
#define GUARD_SILENCE_SECONDS 30
/* Takers killed in a row on one stale lock before a start gives up and asks for a hand. */
#define GUARD_MAX_GEN 16
/* How long a start waits while another start takes over the same stale lock. */
#define BUSY_WAIT_MS 3000

enum verdict { HELD, ENDED, SILENT, GARBLED };

/* A lock or guard file as read. */
struct seen {
	int parsed;          /* the first line reads "user@host pid ..." */
	char who[256];       /* user@host, made printable */
	char host[256];
	char when[64];       /* the rest of the first line: the start in local time */
	char boot[64];       /* the holder's boot id, "" when not recorded */
	char ns[64];         /* the holder's pid namespace, "" when not recorded */
	long pid;
	long long since;     /* the start in seconds since the epoch, 0 when not recorded */
	unsigned long long pstart; /* the holder's process start (clock ticks after boot), or 0 */
	int refreshes;       /* its holder touches it every LOCK_REFRESH_SECONDS */
	unsigned long long ino;
	uint64_t hash;       /* of the bytes: with ino, which file this is */
	time_t mtime;
	size_t len;
	char text[LOCK_MAX_BYTES];
};

/* Our lock, whole, in a temporary beside the lock. */
struct mine {
	const char *text;
	char *tmp;
	unsigned long long ino;
	time_t now; /* the temporary's mtime: the file system's clock (an NFS server's) */
};

static void (*test_hook)(int moment);

void lock_test_hook(void (*fn)(int moment)) { test_hook = fn; }

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Whatever a lock file says reaches a terminal: control bytes become '?', and spaces too in a
 * word (a space would end it when the lock is read back). */
static void printable(char *s, int word)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s == 0x7f || (word && *s == ' '))
			*s = '?';
}

static void host_name(char *buf, size_t n)
{
	if (gethostname(buf, n) != 0)
		snprintf(buf, n, "?");
	buf[n - 1] = '\0';
	printable(buf, 1);
}

/* The kernel's id of this boot ("" when unknown): a pid means nothing after a reboot, nor on
 * another machine that happens to have the same host name (containers). */
static void boot_id(char *buf, size_t n)
{
	FILE *fp = fopen("/proc/sys/kernel/random/boot_id", "r");

	buf[0] = '\0';
	if (!fp)
		return;
	if (!fgets(buf, (int)n, fp))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printable(buf, 1);
	fclose(fp);
}

/* This process's pid namespace ("" when unknown): containers that share a host name and a
 * kernel (so a boot id) still number their processes apart. */
static void pid_ns(char *buf, size_t n)
{
	char link[64];
	ssize_t k = readlink("/proc/self/ns/pid", link, sizeof(link) - 1);
	unsigned long long id;

	buf[0] = '\0';
	if (k <= 0)
		return;
	link[k] = '\0';
	if (sscanf(link, "pid:[%llu]", &id) == 1)
		snprintf(buf, n, "%llu", id);
}

/* When process pid started, in clock ticks after boot, to tell it from a later process given
 * the same pid; 0 when unknown (no /proc). */
static unsigned long long proc_start(long pid)
{
	char path[64], buf[1024], *p, *save = NULL, *tok;
	ssize_t n;
	int fd, field;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* The command name in parentheses may hold anything: count fields after its last ')',
	 * where field 3 begins; the start time is field 22. */
	p = strrchr(buf, ')');
	if (!p)
		return 0;
	for (field = 3, tok = strtok_r(p + 1, " ", &save); tok; field++, tok = strtok_r(NULL, " ", &save))
		if (field == 22)
			return strtoull(tok, NULL, 10);
	return 0;
}

/* The first line is what pxlabel 0.4 reads and shows; the lines after it are for the rules. */
static char *lock_text(void)
{
	struct passwd *pw = getpwuid(getuid());
	char user[64], host[256], when[64], boot[64], ns[32];
	time_t now = time(NULL);
	struct tm tm;

	snprintf(user, sizeof(user), "%s", pw && pw->pw_name[0] ? pw->pw_name : "?");
	printable(user, 1);
	host_name(host, sizeof(host));
	boot_id(boot, sizeof(boot));
	pid_ns(ns, sizeof(ns));
	localtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	return xasprintf("%s@%s %ld %s\nsince %lld\nprocess-start %llu\nboot %s\npid-namespace %s\nrefresh %d\n",
	    user, host, (long)getpid(), when, (long long)now, proc_start((long)getpid()), boot[0] ? boot : "-",
	    ns[0] ? ns : "-", LOCK_REFRESH_SECONDS);
}

static void parse(struct seen *s)
{
	char copy[LOCK_MAX_BYTES], key[32], val[64], *line, *save = NULL, *at;

	if (memchr(s->text, '\0', s->len))
		return;
	memcpy(copy, s->text, s->len + 1);
	line = strtok_r(copy, "\n", &save);
	if (!line || sscanf(line, "%255s %ld %63[^\n]", s->who, &s->pid, s->when) < 2 || s->pid <= 0 ||
	    s->pid > INT_MAX)
		return;
	at = strchr(s->who, '@');
	if (!at || at == s->who || !at[1])
		return;
	printable(s->who, 1);
	printable(s->when, 0);
	snprintf(s->host, sizeof(s->host), "%s", at + 1);
	s->parsed = 1;
	while ((line = strtok_r(NULL, "\n", &save))) {
		if (sscanf(line, "%31s %63s", key, val) != 2)
			continue;
		if (!strcmp(key, "since"))
			s->since = strtoll(val, NULL, 10);
		else if (!strcmp(key, "process-start"))
			s->pstart = strtoull(val, NULL, 10);
		else if (!strcmp(key, "boot") && strcmp(val, "-"))
			snprintf(s->boot, sizeof(s->boot), "%s", val);
		else if (!strcmp(key, "pid-namespace") && strcmp(val, "-"))
			snprintf(s->ns, sizeof(s->ns), "%s", val);
		else if (!strcmp(key, "refresh"))
			s->refreshes = 1;
	}
}

/* Reads the open file fd into s. Returns 0, or -1 with errno. */
static int read_fd(int fd, struct seen *s)
{
	struct stat st;
	uint64_t h = 14695981039346656037ULL; /* FNV-1a */
	ssize_t n;
	size_t i;

	memset(s, 0, sizeof(*s));
	if (fstat(fd, &st) != 0)
		return -1;
	s->ino = (unsigned long long)st.st_ino;
	s->mtime = st.st_mtim.tv_sec;
	while (S_ISREG(st.st_mode) && s->len < sizeof(s->text) - 1) {
		n = read(fd, s->text + s->len, sizeof(s->text) - 1 - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		s->len += (size_t)n;
	}
	s->text[s->len] = '\0';
	for (i = 0; i < s->len; i++)
		h = (h ^ (unsigned char)s->text[i]) * 1099511628211ULL;
	s->hash = h;
	parse(s);
	return 0;
}

/* Returns 0, or -1 with errno (ENOENT: there is none). */
static int read_seen(const char *path, struct seen *s)
{
	/* Not a FIFO's open that never returns, nor a symlink's target. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), rc, e;

	if (fd < 0)
		return -1;
	rc = read_fd(fd, s);
	e = errno;
	close(fd);
	errno = e;
	return rc;
}

static int same_file(const struct seen *a, const struct seen *b)
{
	return a->ino == b->ino && a->hash == b->hash && a->len == b->len;
}

static int names_us(const struct seen *s, unsigned long long ino, const char *text)
{
	return s->ino == ino && s->len == strlen(text) && !memcmp(s->text, text, s->len);
}

/* Whether the holder's pid can be asked about here: same host name, and where recorded the
 * same boot and pid namespace. */
static int same_machine(const struct seen *s)
{
	char host[256], boot[64], ns[32];

	host_name(host, sizeof(host));
	if (strcmp(s->host, host))
		return 0;
	boot_id(boot, sizeof(boot));
	if (s->boot[0] && boot[0] && strcmp(s->boot, boot))
		return 0;
	pid_ns(ns, sizeof(ns));
	return !s->ns[0] || !ns[0] || !strcmp(s->ns, ns);
}

static int process_ended(const struct seen *s)
{
	unsigned long long start;

	if (kill((pid_t)s->pid, 0) != 0 && errno == ESRCH)
		return 1;
	/* Alive (or another user's: EPERM), but perhaps a later process given the same pid. */
	start = s->pstart ? proc_start(s->pid) : 0;
	return start && start != s->pstart;
}

/* The staleness rules (doc/locking.md). now is the file system's clock, like s->mtime. */
static enum verdict judge(const struct seen *s, time_t now, int guard)
{
	long long age = (long long)now - (long long)s->mtime, limit;

	if (!s->parsed)
		return age > LOCK_GARBLED_SECONDS ? GARBLED : HELD;
	if (same_machine(s))
		return process_ended(s) ? ENDED : HELD;
	limit = guard ? GUARD_SILENCE_SECONDS : s->refreshes ? LOCK_SILENCE_SECONDS : LOCK_OLD_SILENCE_SECONDS;
	return age > limit ? SILENT : HELD;
}

static void duration(long long secs, char *buf, size_t n)
{
	if (secs < 0)
		secs = 0;
	if (secs < 120)
		snprintf(buf, n, "%lld s", secs);
	else if (secs < 2 * 3600)
		snprintf(buf, n, "%lld min", secs / 60);
	else if (secs < 2 * 86400)
		snprintf(buf, n, "%lld h", secs / 3600);
	else
		snprintf(buf, n, "%lld days", secs / 86400);
}

/* "10:42" when the holder started today, else the date too. */
static void since_text(const struct seen *s, char *buf, size_t n)
{
	time_t t = (time_t)s->since, now = time(NULL);
	struct tm a, b;

	if (s->since > 0 && localtime_r(&t, &a) && localtime_r(&now, &b)) {
		strftime(buf, n, a.tm_year == b.tm_year && a.tm_yday == b.tm_yday ? "%H:%M" : "%Y-%m-%d %H:%M", &a);
		return;
	}
	snprintf(buf, n, "%s", s->when[0] ? s->when : "?");
}

static char *holder_text(const struct seen *s, const char *path)
{
	if (!s->parsed)
		return text_printf("another annotator (%s)", path);
	return text_printf("%s (pid %ld, since %s; %s)", s->who, s->pid, s->when[0] ? s->when : "?", path);
}

static char *takeover_text(const struct seen *s, enum verdict v, const char *path, time_t now)
{
	char since[64], age[32];

	since_text(s, since, sizeof(since));
	duration((long long)now - (long long)s->mtime, age, sizeof(age));
	switch (v) {
	case ENDED:
		return text_printf("took over the lock of %s (pid %ld, since %s), whose session ended", s->who, s->pid,
		    since);
	case SILENT:
		return text_printf("took over the lock of %s (pid %ld, since %s), silent for %s", s->who, s->pid, since,
		    age);
	default:
		if (!s->len)
			return text_printf("took over an empty lock file (%s, %s old): a start was killed before it wrote it",
			    path, age);
		return text_printf("took over an unreadable lock file (%s, %zu bytes, %s old)", path, s->len, age);
	}
}

/* Writes our lock whole into a temporary beside path. */
static int make_tmp(const char *path, struct mine *m, char **cause)
{
	const char *base = paths_base(path);
	size_t len = strlen(m->text);
	struct stat st;
	int fd, ok, e = 0;

	m->tmp = xasprintf("%.*s.%s.XXXXXX", (int)(base - path), path, base);
	fd = mkstemp(m->tmp);
	if (fd < 0) {
		err_set(cause, "%s: cannot lock the image: %s", path, strerror(errno));
		free(m->tmp);
		m->tmp = NULL;
		return -1;
	}
	/* Readable by all: whoever can open the image is told who holds it. Not every file
	 * system has modes, hence no check. */
	(void)fchmod(fd, 0644);
	ok = write(fd, m->text, len) == (ssize_t)len;
	if (!ok)
		e = errno ? errno : EIO;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	/* stat after close: on NFS the write reaches the server at close, and sets the mtime. */
	if (ok && stat(m->tmp, &st) != 0) {
		ok = 0;
		e = errno;
	}
	if (!ok) {
		err_set(cause, "%s: cannot lock the image: %s", path, strerror(e));
		unlink(m->tmp);
		free(m->tmp);
		m->tmp = NULL;
		return -1;
	}
	m->ino = (unsigned long long)st.st_ino;
	m->now = st.st_mtim.tv_sec;
	return 0;
}

/* For file systems without hard links (FAT): O_EXCL, then the text. A start killed between the
 * two leaves an empty file, which the garbled rule clears. */
static int create_excl(const struct mine *m, const char *name, unsigned long long *placed)
{
	size_t len = strlen(m->text);
	struct stat st;
	int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644), e;

	if (fd < 0)
		return errno == EEXIST ? 1 : -1;
	if (write(fd, m->text, len) != (ssize_t)len || fstat(fd, &st) != 0) {
		e = errno ? errno : EIO;
		close(fd);
		unlink(name);
		errno = e;
		return -1;
	}
	close(fd);
	*placed = (unsigned long long)st.st_ino;
	return 0;
}

/* Puts our whole temporary at name unless something is there: 0 done (*placed: the inode now
 * at name), 1 name exists, -1 an error (errno). */
static int place_excl(const struct mine *m, const char *name, unsigned long long *placed)
{
	struct stat st;
	int e;

	if (link(m->tmp, name) == 0) {
		*placed = m->ino;
		return 0;
	}
	e = errno;
	/* NFS: the reply to a LINK that worked can be lost; the retry then says EEXIST. */
	if (stat(name, &st) == 0 && (unsigned long long)st.st_ino == m->ino) {
		*placed = m->ino;
		return 0;
	}
	if (e == EPERM || e == EOPNOTSUPP || e == ENOSYS || e == EMLINK)
		return create_excl(m, name, placed);
	errno = e;
	return e == EEXIST ? 1 : -1;
}

/* ".NAME.pxl.lock.takeover.INO-HASH.GEN" beside the lock: the guard for replacing the file s. */
static char *guard_path(const char *path, const struct seen *s, int gen)
{
	const char *base = paths_base(path);

	return xasprintf("%.*s.%s.takeover.%llx-%016" PRIx64 ".%d", (int)(base - path), path, base, s->ino, s->hash,
	    gen);
}

static void guard_drop(const char *path, const struct seen *s, int from, int to)
{
	int gen;

	for (gen = from; gen <= to; gen++) {
		char *g = guard_path(path, s, gen);

		(void)unlink(g);
		free(g);
	}
}

/* Takes the guard for replacing the file s at path: the first generation we can create, past
 * those whose takers died. Returns the generation, 0 when a live start holds the guard (or just
 * finished with it: look again), -1 on an error. */
static int guard_take(const char *path, const struct seen *s, const struct mine *m, char **cause)
{
	unsigned long long ino;
	struct seen g;
	int gen, r, busy;

	for (gen = 1; gen <= GUARD_MAX_GEN; gen++) {
		char *gp = guard_path(path, s, gen);

		r = place_excl(m, gp, &ino);
		if (r < 0)
			err_set(cause, "%s: %s", gp, strerror(errno));
		busy = r == 1 && (read_seen(gp, &g) != 0 || judge(&g, m->now, 1) == HELD);
		free(gp);
		if (r == 0)
			return gen;
		if (r < 0)
			return -1;
		if (busy)
			return 0;
	}
	return err_set(cause, "%s: %d starts were killed while taking over this lock; remove it and the "
	    ".%s.takeover.* files beside it by hand", path, GUARD_MAX_GEN, paths_base(path));
}

/* After a takeover: the guards of lock files that are gone (a taker killed after its rename
 * left them) are dead weight, since a file once replaced never comes back; ours is the lock
 * now, so every guard for another file goes. */
static void guards_sweep(const char *path, const struct seen *ours)
{
	const char *base = paths_base(path);
	char *dir = base > path ? xasprintf("%.*s", (int)(base - path), path) : xstrdup("./"), *prefix, *keep;
	struct dirent *e;
	DIR *d;

	prefix = xasprintf(".%s.takeover.", base);
	keep = xasprintf(".%s.takeover.%llx-%016" PRIx64 ".", base, ours->ino, ours->hash);
	d = opendir(dir);
	while (d && (e = readdir(d))) {
		char *p;

		if (strncmp(e->d_name, prefix, strlen(prefix)) || !strncmp(e->d_name, keep, strlen(keep)))
			continue;
		p = xasprintf("%s%s", dir, e->d_name);
		(void)unlink(p);
		free(p);
	}
	if (d)
		closedir(d);
	free(keep);
	free(prefix);
	free(dir);
}

int lock_take(struct lock *l, const char *sidecar_path, char **holder, char **cause)
{
	/* paths_derived drops ".json": x.pxl.json -> x.pxl.lock. */
	char *path = paths_derived(sidecar_path, ".lock"), *text = lock_text();
	struct mine m = { .text = text };
	struct seen cur, again;
	enum verdict v = HELD;
	int rc = -1, r, gen, renamed = 0, have_cur = 0, busy = 0, tries;
	double deadline;

	memset(l, 0, sizeof(*l));
	*holder = NULL;
	if (make_tmp(path, &m, cause) != 0)
		goto out;
	deadline = mono() + BUSY_WAIT_MS / 1000.0;
	for (tries = 0;; tries++) {
		if (tries && mono() > deadline) {
			/* Another start is still taking it over (or the lock keeps changing): it is
			 * someone else's. */
			*holder = busy ? text_printf("another annotator, taking over the lock of %s (%s)", cur.parsed ?
			    cur.who : "nobody", path) : have_cur ? holder_text(&cur, path) :
			    text_printf("another annotator (%s)", path);
			rc = 1;
			break;
		}
		r = place_excl(&m, path, &l->ino);
		if (r == 0) {
			rc = 0;
			break;
		}
		if (r < 0) {
			err_set(cause, "%s: cannot lock the image: %s", path, strerror(errno));
			goto out;
		}
		if (read_seen(path, &cur) != 0) {
			if (errno != ENOENT) {
				err_set(cause, "%s: cannot lock the image: %s", path, strerror(errno));
				goto out;
			}
			/* Released between our two looks: try again. */
			have_cur = 0;
			continue;
		}
		have_cur = 1;
		busy = 0;
		v = judge(&cur, m.now, 0);
		if (v == HELD) {
			*holder = holder_text(&cur, path);
			rc = 1;
			break;
		}
		if (test_hook)
			test_hook(0);
		gen = guard_take(path, &cur, &m, cause);
		if (gen < 0)
			goto out;
		if (gen == 0) {
			busy = 1;
			sleep_ms(10);
			continue;
		}
		/* Under the guard, the file is replaced only if it is still the one judged stale. */
		if (read_seen(path, &again) != 0 || !same_file(&again, &cur) || judge(&again, m.now, 0) == HELD) {
			guard_drop(path, &cur, gen, gen);
			continue;
		}
		if (test_hook)
			test_hook(1);
		if (rename(m.tmp, path) != 0) {
			struct stat st;
			int e = errno;

			/* NFS: a retried RENAME whose first reply was lost fails, though it worked. */
			if (stat(path, &st) != 0 || (unsigned long long)st.st_ino != m.ino) {
				guard_drop(path, &cur, gen, gen);
				err_set(cause, "%s: cannot take over the lock: %s", path, strerror(e));
				goto out;
			}
		}
		renamed = 1;
		l->ino = m.ino;
		/* Our chain of guards for that file, and those of takers that died before us. */
		guard_drop(path, &cur, 1, gen);
		if (read_seen(path, &again) == 0)
			guards_sweep(path, &again);
		l->took_over = takeover_text(&cur, v, path, m.now);
		rc = 0;
		break;
	}
	if (rc == 0) {
		/* Verified after the fact: the file in place is ours. */
		if (read_seen(path, &again) != 0 || !names_us(&again, l->ino, text)) {
			*holder = read_seen(path, &again) == 0 ? holder_text(&again, path) :
			    text_printf("another annotator (%s)", path);
			free(l->took_over);
			l->took_over = NULL;
			rc = 1;
		} else {
			l->path = path;
			l->text = text;
			path = text = NULL;
		}
	}
out:
	if (m.tmp && !renamed)
		(void)unlink(m.tmp);
	free(m.tmp);
	free(path);
	free(text);
	if (rc != 0)
		l->ino = 0;
	return rc;
}

int lock_refresh(struct lock *l, char **holder, char **cause)
{
	struct seen s;
	int fd, r, e;

	*holder = NULL;
	if (!l->path)
		return err_set(cause, "no lock is held");
	fd = open(l->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* Removed by hand (or by an older pxlabel): put back unless someone took its place. */
		struct mine m = { .text = l->text };
		unsigned long long ino;

		if (make_tmp(l->path, &m, cause) != 0)
			return -1;
		r = place_excl(&m, l->path, &ino);
		e = errno;
		(void)unlink(m.tmp);
		free(m.tmp);
		if (r == 0) {
			l->ino = ino;
			return 0;
		}
		if (r < 0)
			return err_set(cause, "%s: cannot put the lock back: %s", l->path, strerror(e));
		fd = open(l->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	}
	if (fd < 0)
		return err_set(cause, "%s: %s", l->path, strerror(errno));
	if (read_fd(fd, &s) != 0) {
		e = errno;
		close(fd);
		return err_set(cause, "%s: %s", l->path, strerror(e));
	}
	if (!names_us(&s, l->ino, l->text)) {
		close(fd);
		*holder = holder_text(&s, l->path);
		return 1;
	}
	/* The very file checked: a touch sets its mtime from the file system's clock. */
	if (futimens(fd, NULL) != 0) {
		e = errno;
		close(fd);
		return err_set(cause, "%s: cannot refresh the lock: %s", l->path, strerror(e));
	}
	close(fd);
	return 0;
}

void lock_release(struct lock *l)
{
	struct mine m = { .text = l->text };
	struct seen s, again;
	int gen = -1;

	if (!l->path || read_seen(l->path, &s) != 0 || !names_us(&s, l->ino, l->text))
		goto out;
	/* Removing is replacing by nothing: under the guard too, so that a start taking over our
	 * lock (after a silence) and this release cannot both act. */
	if (make_tmp(l->path, &m, NULL) == 0)
		gen = guard_take(l->path, &s, &m, NULL);
	if (gen > 0) {
		if (read_seen(l->path, &again) == 0 && same_file(&again, &s))
			(void)unlink(l->path);
		guard_drop(l->path, &s, 1, gen);
	} else if (!m.tmp) {
		/* No room for a temporary (a full disk): remove it unguarded rather than leave it. */
		(void)unlink(l->path);
	}
	if (m.tmp)
		(void)unlink(m.tmp);
out:
	free(m.tmp);
	free(l->path);
	free(l->took_over);
	free(l->text);
	memset(l, 0, sizeof(*l));
}
