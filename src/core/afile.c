/* afile.c: atomic file replacement (temporary, fsync, rename, fsync of the folder). */
#include "config.h"

#include "afile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "xalloc.h"

static int durable = 1;

void afile_set_durable(int on) { durable = on; }

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
	fd = mkstemp(af->tmp);
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
		goto fail;
	}
	return 0;
fail:
	free(af->path);
	free(af->tmp);
	af->path = af->tmp = NULL;
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
	if (af->tmp)
		unlink(af->tmp);
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
