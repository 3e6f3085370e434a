/* app.h: the annotator, `pxlabel [IMAGE|DIR]...`: the event loop over a session (session.h)
 * on a terminal taken with ncurses, saving on hang-up. */
#ifndef PXL_APP_H
#define PXL_APP_H

#include <stddef.h>

#include "colour.h"

struct app_opts {
	int colours;        /* -1: from the user config, then the terminal */
	int no_mouse;
	int display;        /* enum tquery_display; -1: from the user config, then the terminal */
	int cell_w, cell_h; /* sixel: one cell in pixels; 0: from the terminal */
	int query_timeout;  /* ms to wait for the terminal's answers; -1: SIXELOUT_TIMEOUT_MS */
	int review;         /* `pxlabel review`: the reviewer's keys (verdict.c) */
	const char *person; /* --queue NAME, with the images shared with another (queue.h) */
	const unsigned char *shared;
	const char *assist_command; /* --assist-command: the model command, over config.ini's */
};

/* Runs the annotator on images (already expanded); returns the exit status. */
int app_run(char **images, size_t nimages, const char *resume_key, const struct app_opts *opts);

#endif
