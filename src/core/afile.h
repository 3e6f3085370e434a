/* afile.h: atomic file replacement. Data goes to a hidden temporary file in the target's folder,
 * is fsync'd, then renamed over the target, and the folder is fsync'd: a crash or kill at any
 * moment leaves either the old file or the new one, never a half-written one. */
#ifndef PXL_AFILE_H
#define PXL_AFILE_H

#include <stdio.h>
#include <time.h>

struct afile {
	char *path; /* owned copy of the target */
	char *tmp;  /* owned: the temporary's name, ".NAME.XXXXXX" beside the target */
	FILE *fp;   /* write here */
	int slot;   /* its place in the list afile_remove_temporaries reads, -1 when not listed */
};

/* Opens the temporary. On failure returns -1 with *cause, and af needs no cleanup. */
int afile_open(struct afile *af, const char *path, char **cause);
/* Flushes, syncs and renames into place; af is finished either way. */
int afile_commit(struct afile *af, char **cause);
/* Throws the temporary away; af is finished. Safe after a failed commit. */
void afile_abort(struct afile *af);
/* Whether commits fsync (the default, for everything the user edits). A command that writes
 * many files it can always write again (an export) turns it off: still atomic against a crash
 * of the program, no longer against a power cut, and a quarter faster. */
void afile_set_durable(int on);
/* Removes every temporary open now (those of AFILE_MAX_OPEN afiles at most, the most any
 * command keeps open at once, a few a thread) and nothing else. Async-signal-safe: for the handler of a signal
 * that ends a batch command, so that an export stopped by ^C or by Slurm's SIGTERM leaves no
 * hidden .NAME.XXXXXX in a data set whose loaders list every file. */
#define AFILE_MAX_OPEN 256
void afile_remove_temporaries(void);
/* The same, from a thread (not a handler) while other threads may be writing: no temporary is
 * made or finished after it, so call it only on the way out. */
void afile_remove_temporaries_for_good(void);
/* Commits n afiles together: all are written out and synced first, and only when every one
 * succeeded are they renamed into place, so a full disk leaves all the old files (two masks
 * that agree); all are finished either way. A rename failing after others succeeded (an I/O
 * error) leaves those replaced, and the error says so. */
int afile_commit_all(struct afile *af, size_t n, char **cause);

/* Temporaries left by a killed writer: afile's names, ".NAME.XXXXXX" (six characters from
 * mkstemp), for a NAME that ends with one of suffixes, whose mtime is more than AFILE_SWEEP_AGE
 * seconds before now. No writer is live then: the files these suffixes name are written in one
 * go (a sidecar, a mask, a lock), seconds at most even for the largest masks, and every write
 * moves the mtime; a writer stopped (SIGSTOP) for longer than that finds its temporary gone,
 * and its commit fails with an error naming the file while the old file stays whole. now: the
 * time to measure against; 0 for the folder's own clock (a file made and removed there: on NFS
 * the server's, whatever this host's clock says). Returns how many were removed (one that
 * cannot be removed, for want of permission, is left quietly), -1 when dir cannot be read. */
#define AFILE_SWEEP_AGE 60
int afile_sweep_dir(const char *dir, time_t now, const char *const *suffixes, size_t nsuffixes, char **cause);

/* Writes a whole buffer atomically. */
int afile_write(const char *path, const void *data, size_t len, char **cause);

#endif
