/* model.h: the model command: a program of the user's own (Segment Anything, or any model they
 * run on this server) that turns clicks into a mask. The protocol (doc/assist.md):
 *   - pxlabel starts the command, with no shell (the command line is split into words here:
 *     spaces separate them, single and double quotes and backslashes work as in sh, nothing
 *     else is special; a user who wants a shell writes `sh -c '...'`), in a process group of
 *     its own, stdout to /dev/null, stderr kept;
 *   - it writes one JSON object to the command's stdin and closes it:
 *       {"image": "/abs/path", "width": W, "height": H, "points": [[x, y, 1], ...],
 *        "box": null, "output": "/tmp/....png"}
 *     W x H are the upright pixels (as pxlabel shows the image: EXIF orientation applied);
 *     points are image coordinates (pixel centres are at .5), 1 includes, 0 excludes;
 *   - the command writes a W x H PNG (grey, palette or colour; nonzero = object) to output and
 *     exits 0.
 * A non-zero exit, a signal or the time limit is an error that quotes the last line of the
 * command's stderr; a mask of the wrong size or one that cannot be read is a clear error.
 *
 * Where the command comes from is the caller's business, and must be the user's own
 * config.ini or command line, never a data set's pxlabel.ini (opening a folder must not run
 * its code). The caller ignores SIGPIPE (the annotator does): a command that exits without
 * reading its stdin must not kill pxlabel. */
#ifndef PXL_MODEL_H
#define PXL_MODEL_H

#include <stddef.h>
#include <sys/types.h>

#include "region.h"

#define MODEL_TIMEOUT_DEFAULT 60.0 /* seconds */
#define MODEL_MAX_POINTS 64
#define MODEL_ERR_KEEP 2048        /* bytes of stderr kept, the end */

struct model_point {
	double x, y;
	int label; /* 1 includes, 0 excludes */
};

struct model_job {
	pid_t pid;          /* 0 when none runs */
	int err_fd;         /* the read end of the command's stderr, non-blocking */
	char *output;       /* owned: the mask's path, made empty before the start */
	int w, h;
	double started, timeout;
	char err[MODEL_ERR_KEEP + 1];
	size_t nerr;
};

enum model_state { MODEL_RUNNING, MODEL_DONE, MODEL_FAILED };

/* Splits a command line into words (see above): a NULL-terminated array the caller frees with
 * model_argv_free, or NULL with *cause (an open quote, no words). */
char **model_split(const char *command, char **cause);
void model_argv_free(char **argv);

/* The request's JSON (the caller frees it). image is made absolute here. NULL when the path is
 * not UTF-8 (JSON cannot carry it). */
char *model_request(const char *image, int w, int h, const struct model_point *pts, size_t n,
    const char *output);

/* Starts command for image (w x h) with points; the mask's file is made in tmpdir (NULL:
 * $TMPDIR or /tmp). now is the time on the caller's clock, timeout in seconds. 0 with *job
 * running, -1 with *cause. */
int model_start(const char *command, const char *image, int w, int h, const struct model_point *pts, size_t n,
    const char *tmpdir, double now, double timeout, struct model_job *job, char **cause)
    __attribute__((warn_unused_result));
/* Looks at a running job without waiting: MODEL_RUNNING, or MODEL_DONE with *out the mask's
 * nonzero pixels (possibly none), or MODEL_FAILED with *cause. A job past its time limit is
 * killed and fails. After DONE or FAILED the job is over (its files removed). */
enum model_state model_poll(struct model_job *job, double now, struct region *out, char **cause);
/* Kills a running job's process group and waits for it; its files go. Harmless on none. */
void model_kill(struct model_job *job);

#endif
