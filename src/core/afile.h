/* afile.h: atomic file replacement. Data goes to a hidden temporary file in the target's folder,
 * is fsync'd, then renamed over the target, and the folder is fsync'd: a crash or kill at any
 * moment leaves either the old file or the new one, never a half-written one. */
#ifndef PXL_AFILE_H
#define PXL_AFILE_H

#include <stdio.h>

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
 * command keeps open at once) and nothing else. Async-signal-safe: for the handler of a signal
 * that ends a batch command, so that an export stopped by ^C or by Slurm's SIGTERM leaves no
 * hidden .NAME.XXXXXX in a data set whose loaders list every file. */
#define AFILE_MAX_OPEN 8
void afile_remove_temporaries(void);
/* Writes a whole buffer atomically. */
int afile_write(const char *path, const void *data, size_t len, char **cause);

#endif
