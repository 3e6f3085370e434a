/* lock.c: per-image lock files. */
#include "config.h"

#include "lock.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
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

#define LOCK_MAX_BYTES 512

static void host_name(char *buf, size_t n)
{
	if (gethostname(buf, n) != 0)
		snprintf(buf, n, "?");
	buf[n - 1] = '\0';
}

/* "user@host pid time": what is written, and what a second annotator is told. */
static char *lock_text(void)
{
	struct passwd *pw = getpwuid(getuid());
	char host[256], when[64];
	time_t now = time(NULL);

	host_name(host, sizeof(host));
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime(&now));
	return xasprintf("%s@%s %ld %s\n", pw ? pw->pw_name : "?", host, (long)getpid(), when);
}

/* Whether the lock in text was left by a process of this host that no longer runs. */
static int stale(const char *text)
{
	char host[256], who[300];
	long pid;
	const char *at;

	if (sscanf(text, "%299s %ld", who, &pid) != 2 || pid <= 0)
		return 0;
	at = strchr(who, '@');
	host_name(host, sizeof(host));
	if (!at || strcmp(at + 1, host))
		return 0;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static char *read_lock(const char *path)
{
	char buf[LOCK_MAX_BYTES];
	size_t n = 0;
	FILE *fp = fopen(path, "r");

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return xstrdup(buf);
}

int lock_take(struct lock *l, const char *sidecar_path, char **holder, char **cause)
{
	char *path = paths_derived(sidecar_path, ".lock"), *text = NULL, *other = NULL;
	int fd, tries, rc = -1;

	/* paths_derived drops ".json": x.pxl.json -> x.pxl.lock. */
	l->path = NULL;
	*holder = NULL;
	for (tries = 0; tries < 2; tries++) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			size_t n;

			text = lock_text();
			n = strlen(text);
			if (write(fd, text, n) != (ssize_t)n) {
				err_set(cause, "%s: %s", path, strerror(errno));
				close(fd);
				unlink(path);
				goto out;
			}
			close(fd);
			l->path = path;
			path = NULL;
			rc = 0;
			goto out;
		}
		if (errno != EEXIST) {
			err_set(cause, "%s: cannot lock the image: %s", path, strerror(errno));
			goto out;
		}
		free(other);
		other = read_lock(path);
		if (!other || !stale(other))
			break;
		/* Its owner died on this host: the lock is ours to take. */
		unlink(path);
	}
	if (other) {
		char who[300] = "?", when[64] = "";
		long pid = 0;

		sscanf(other, "%299s %ld %63[^\n]", who, &pid, when);
		/* Anyone who can write the folder can write the lock: shown, it must not reach the
		 * terminal raw. */
		*holder = text_printf("%s (pid %ld, since %s; %s)", who, pid, when, path);
	} else {
		*holder = text_printf("another annotator (%s)", path);
	}
	rc = 1;
out:
	free(text);
	free(other);
	free(path);
	return rc;
}

void lock_release(struct lock *l)
{
	if (!l->path)
		return;
	unlink(l->path);
	free(l->path);
	l->path = NULL;
}
