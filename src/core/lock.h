/* lock.h: one annotator per image. NAME.pxl.lock (beside the sidecar) says who is editing the
 * image: user@host, pid, and since when; a second annotator opens it read-only and is told who.
 * A lock is made whole in a temporary and link()ed into place (atomic, NFS v3 and later), so it
 * is never seen half-written. A stale lock (its process ended on this host; another host's lock
 * left untouched for LOCK_SILENCE_SECONDS; an empty or garbled file older than a few seconds) is
 * taken over by rename() under a guard named after that very file, so two annotators starting
 * at once cannot both take it. doc/locking.md gives the scheme and the rules. */
#ifndef PXL_LOCK_H
#define PXL_LOCK_H

/* The holder calls lock_refresh this often (a touch of the file); a lock from another host is
 * stale after LOCK_SILENCE_SECONDS without one. A lock written by a pxlabel that does not
 * refresh (no "refresh" line) gets LOCK_OLD_SILENCE_SECONDS instead. */
#define LOCK_REFRESH_SECONDS 60
#define LOCK_SILENCE_SECONDS 600
#define LOCK_OLD_SILENCE_SECONDS (24 * 3600)
/* An empty or unreadable lock file this old is stale: a writer killed before it wrote. */
#define LOCK_GARBLED_SECONDS 5

struct lock {
	char *path;      /* owned; NULL when no lock is held */
	char *took_over; /* owned; after a takeover, for the user: "took over the lock of alice@host
	                    (pid 123, since 10:42), whose session ended"; else NULL */
	char *text;      /* owned: what our lock file says, to know it is still ours */
	unsigned long long ino;
};

/* Takes the lock for the sidecar at sidecar_path, taking over a stale one (l->took_over says
 * whose). Returns 0 when held, 1 when someone else holds it (*holder: "user@host (pid N, since
 * TIME; PATH)", caller frees), -1 on an error (*cause). */
int lock_take(struct lock *l, const char *sidecar_path, char **holder, char **cause);
/* Touches the lock to show that its holder lives (every LOCK_REFRESH_SECONDS, also when idle),
 * after checking that it still names us; a lock file removed by hand is put back. Returns 0
 * while held, 1 when the lock is no longer ours (taken over after a silence: *holder says who
 * has it; the session must stop saving), -1 on an error (*cause). */
int lock_refresh(struct lock *l, char **holder, char **cause);
/* Releases a held lock (only if the file still names us); harmless when none is held. */
void lock_release(struct lock *l);

/* For tests only: fn is called at the two moments where another start could overtake a
 * takeover (the window the old check-then-delete scheme lost): moment 0 when a lock has been
 * judged stale, before its guard is taken; moment 1 under the guard, after checking that the
 * lock is still the one judged stale and before replacing it. NULL: none. */
void lock_test_hook(void (*fn)(int moment));

#endif
