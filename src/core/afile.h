/* afile.h: atomic file replacement. Data goes to a hidden temporary file in the target's folder,
 * is fsync'd, then renamed over the target, and the folder is fsync'd: a crash or kill at any
 * moment leaves either the old file or the new one, never a half-written one. */
#ifndef PXL_AFILE_H
#define PXL_AFILE_H

#include <stdio.h>

struct afile {
	char *path; /* owned copy of the target */
	char *tmp;  /* owned: the temporary's name, ".NAME.XXXXXX.tmp" beside the target */
	FILE *fp;   /* write here */
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
/* Writes a whole buffer atomically. */
int afile_write(const char *path, const void *data, size_t len, char **cause);

#endif
