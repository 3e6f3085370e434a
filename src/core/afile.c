/* afile.c: atomic file replacement (temporary, fsync, rename, fsync of the folder). */
#include "config.h"

#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
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

void afile_set_durable(int on) { durable = on; }

void afile_remove_temporaries(void)
{
	size_t i;

	for (i = 0; i < AFILE_MAX_OPEN; i++)
		if (open_tmp[i].used)
			(void)unlink(open_tmp[i].name);
}

/* mkstemp, and the name listed (slot -1 when the list is full or the name too long: the file
 * is then only left behind by a signal, as before). Returns the descriptor or -1 with errno. */
static int make_listed(char *tmpl, int *slot)
{
	sigset_t all, old;
	int fd, i, saved;

	*slot = -1;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, &old);
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
	sigprocmask(SIG_SETMASK, &old, NULL);
	errno = saved;
	return fd;
}

/* After the temporary is renamed or unlinked. */
static void unlist(struct afile *af)
{
	if (af->slot >= 0)
		open_tmp[af->slot].used = 0;
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

int afile_commit(struct afile *af, char **cause)
{
	int ok = 0;

	if (fflush(af->fp) != 0 || ferror(af->fp)) {
		err_set(cause, "%s: write failed: %s", af->path, strerror(errno));
		goto out;
	}
	if (durable && fsync(fileno(af->fp)) != 0) {
		err_set(cause, "%s: fsync failed: %s", af->path, strerror(errno));
		goto out;
	}
	if (fclose(af->fp) != 0) {
		af->fp = NULL;
		err_set(cause, "%s: close failed: %s", af->path, strerror(errno));
		goto out;
	}
	af->fp = NULL;
	if (rename(af->tmp, af->path) != 0) {
		err_set(cause, "%s: cannot replace it: %s", af->path, strerror(errno));
		goto out;
	}
	unlist(af);
	if (durable)
		sync_dir(af->path);
	ok = 1;
out:
	if (!ok) {
		afile_abort(af);
		return -1;
	}
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
	return 0;
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
