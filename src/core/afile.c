/* afile.c: atomic file replacement (temporary, fsync, rename, fsync of the folder). */
#include "config.h"

#include "afile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"

static int durable = 1;

/* The temporaries open now, for a signal handler to remove. A slot's name is written only while
 * its flag is down and every signal is blocked (around mkstemp, so that no moment exists when the
 * file is there and not listed); the flag goes down only after the file is renamed or unlinked,
 * so at worst the handler unlinks a name that is already gone. Fixed buffers: a handler may not
 * follow pointers that the interrupted code could be freeing. */
static struct {
	volatile sig_atomic_t used;
	char name[PATH_MAX];
} open_tmp[AFILE_MAX_OPEN];
/* Between threads (a batch command's -j workers), the list changes under this lock; a signal
 * handler cannot take it, so a threaded command has signals taken by a thread of their own,
 * which does (afile_remove_temporaries_for_good). */
static pthread_mutex_t open_tmp_mu = PTHREAD_MUTEX_INITIALIZER;

void afile_set_durable(int on) { durable = on; }

void afile_remove_temporaries(void)
{
	size_t i;

	for (i = 0; i < AFILE_MAX_OPEN; i++)
		if (open_tmp[i].used)
			(void)unlink(open_tmp[i].name);
}

void afile_remove_temporaries_for_good(void)
{
	/* Never unlocked: a writer that would make a temporary now waits for the end. */
	pthread_mutex_lock(&open_tmp_mu);
	afile_remove_temporaries();
}

/* mkstemp, and the name listed (slot -1 when the list is full or the name too long: the file
 * is then only left behind by a signal, as before). Returns the descriptor or -1 with errno. */
static int make_listed(char *tmpl, int *slot)
{
	sigset_t all, old;
	int fd, i, saved;

	*slot = -1;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	pthread_mutex_lock(&open_tmp_mu);
	fd = mkstemp(tmpl);
	saved = errno;
	for (i = 0; fd >= 0 && i < AFILE_MAX_OPEN && strlen(tmpl) < PATH_MAX; i++) {
		if (!open_tmp[i].used) {
			memcpy(open_tmp[i].name, tmpl, strlen(tmpl) + 1);
			open_tmp[i].used = 1;
			*slot = i;
			break;
		}
	}
	pthread_mutex_unlock(&open_tmp_mu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return fd;
}

/* After the temporary is renamed or unlinked. */
static void unlist(struct afile *af)
{
	if (af->slot >= 0) {
		pthread_mutex_lock(&open_tmp_mu);
		open_tmp[af->slot].used = 0;
		pthread_mutex_unlock(&open_tmp_mu);
	}
	af->slot = -1;
}

static char *dir_of(const char *path)
{
	char *copy = xstrdup(path), *d = xstrdup(dirname(copy));

	free(copy);
	return d;
}

int afile_open(struct afile *af, const char *path, char **cause)
{
	char *copy = xstrdup(path), *dir, *base;
	struct stat st;
	mode_t mask;
	int fd;

	dir = dir_of(path);
	base = basename(copy);
	af->path = xstrdup(path);
	af->tmp = xasprintf("%s/.%s.XXXXXX", dir, base);
	af->fp = NULL;
	free(copy);
	free(dir);
	fd = make_listed(af->tmp, &af->slot);
	if (fd < 0) {
		err_set(cause, "%s: cannot create a temporary file beside it: %s", path, strerror(errno));
		goto fail;
	}
	/* mkstemp makes 0600; the result should look like any file the user creates (or keep the
	 * mode of the file it replaces). */
	if (stat(path, &st) == 0) {
		(void)fchmod(fd, st.st_mode & 07777);
	} else {
		mask = umask(0);
		umask(mask);
		(void)fchmod(fd, 0666 & ~mask);
	}
	af->fp = fdopen(fd, "wb");
	if (!af->fp) {
		err_set(cause, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(af->tmp);
		unlist(af);
		goto fail;
	}
	return 0;
fail:
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
	af->slot = -1;
	return -1;
}

static void sync_dir(const char *path)
{
	char *dir = dir_of(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* Flushes, syncs and closes: the data is on disk under the temporary's name. */
static int finish_writing(struct afile *af, char **cause)
{
	FILE *fp = af->fp;

	if (fflush(fp) != 0 || ferror(fp))
		return err_set(cause, "%s: write failed: %s", af->path, strerror(errno));
	if (durable && fsync(fileno(fp)) != 0)
		return err_set(cause, "%s: fsync failed: %s", af->path, strerror(errno));
	af->fp = NULL;
	if (fclose(fp) != 0)
		return err_set(cause, "%s: close failed: %s", af->path, strerror(errno));
	return 0;
}

int afile_commit_all(struct afile *af, size_t n, char **cause)
{
	size_t i, done = 0;
	int ok = 0;

	for (i = 0; i < n; i++)
		if (finish_writing(&af[i], cause) != 0)
			goto out;
	for (done = 0; done < n; done++) {
		if (rename(af[done].tmp, af[done].path) != 0) {
			if (done)
				err_set(cause, "%s: cannot replace it: %s (%s was replaced: they disagree until written "
				    "again)", af[done].path, strerror(errno), af[0].path);
			else
				err_set(cause, "%s: cannot replace it: %s", af[done].path, strerror(errno));
			goto out;
		}
		unlist(&af[done]);
	}
	for (i = 0; durable && i < n; i++)
		sync_dir(af[i].path);
	ok = 1;
out:
	for (i = 0; i < n; i++) {
		if (!ok && i >= done) {
			afile_abort(&af[i]);
			continue;
		}
		free(af[i].path);
		free(af[i].tmp);
		af[i].path = af[i].tmp = NULL;
	}
	return ok ? 0 : -1;
}

int afile_commit(struct afile *af, char **cause)
{
	return afile_commit_all(af, 1, cause);
}

/* Whether name is ".NAME.XXXXXX" (mkstemp's six letters and digits) for a NAME ending with one
 * of suffixes. */
static int temporary_of(const char *name, const char *const *suffixes, size_t nsuffixes)
{
	size_t len = strlen(name), stem, i, k;

	if (len < 9 || name[0] != '.' || name[len - 7] != '.')
		return 0;
	for (i = len - 6; i < len; i++)
		if (!isalnum((unsigned char)name[i]))
			return 0;
	stem = len - 8; /* NAME, from name + 1 */
	for (k = 0; k < nsuffixes; k++) {
		size_t sl = strlen(suffixes[k]);

		if (sl && stem >= sl && !memcmp(name + 1 + stem - sl, suffixes[k], sl))
			return 1;
	}
	return 0;
}

/* The folder's clock: the mtime of a file made there now (0 when none can be made there, and
 * then nothing could be removed either). */
static time_t dir_now(const char *dir)
{
	char *probe = xasprintf("%s/.pxlabel-clock.XXXXXX", dir);
	struct stat st;
	time_t t = 0;
	int fd = mkstemp(probe);

	if (fd >= 0) {
		if (fstat(fd, &st) == 0)
			t = st.st_mtim.tv_sec;
		close(fd);
		unlink(probe);
	}
	free(probe);
	return t;
}

int afile_sweep_dir(const char *dir, time_t now, const char *const *suffixes, size_t nsuffixes, char **cause)
{
	struct dirent *e;
	int removed = 0;
	DIR *d = opendir(dir);

	if (!d)
		return err_set(cause, "%s: %s", dir, strerror(errno));
	while ((e = readdir(d))) {
		char *p;
		struct stat st;

		if (!temporary_of(e->d_name, suffixes, nsuffixes))
			continue;
		/* Measured only when there is something to measure (nearly never). */
		if (!now && !(now = dir_now(dir)))
			break;
		p = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    (long long)now - (long long)st.st_mtim.tv_sec > AFILE_SWEEP_AGE && unlink(p) == 0)
			removed++;
		free(p);
	}
	closedir(d);
	return removed;
}

void afile_abort(struct afile *af)
{
	if (af->fp)
		fclose(af->fp);
	if (af->tmp) {
		unlink(af->tmp);
		unlist(af);
	}
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
	af->fp = NULL;
}

int afile_write(const char *path, const void *data, size_t len, char **cause)
{
	struct afile af;

	if (afile_open(&af, path, cause) != 0)
		return -1;
	if (len && fwrite(data, 1, len, af.fp) != len) {
		err_set(cause, "%s: write failed: %s", path, strerror(errno));
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af, cause);
}
