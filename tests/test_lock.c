/* test_lock.c: one annotator per image: the second is refused and told who, a lock left by a
 * dead process of this host is taken over, one from another host is honoured. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lock.h"
#include "tap.h"
#include "xalloc.h"

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
	return tap_done();
}
