/* ui.h: the annotator's screen state, shared by the UI's rooms: app.c runs the loop, terminal.c
 * takes the terminal and gives it back, input.c turns keys and mouse into session and view
 * calls, chrome.c draws the text (status line, panel, help), frame.c the image area. What an
 * edit means is not here: that is the session's (src/core/session.h). */
#ifndef PXL_UI_H
#define PXL_UI_H

#include <stddef.h>
#include <stdint.h>

#include "dataset.h"
#include "prefs.h"
#include "cursor.h"
#include "display.h"
#include "keys.h"
#include "session.h"
#include "view.h"

#define UI_PANEL_W 28   /* the side panel's width in cells */
#define UI_PANEL_MIN 60 /* narrower terminals fold the panel away */

struct ui {
	struct session *s;
	struct prefs user;
	struct keys *keys;

	/* The image area: the display that shows it, and what it shows (view, pyramid). */
	struct display area;
	struct view view;
	struct cursor cur;
	struct pyr pyr;    /* of s->im, rebuilt for each image */
	struct display_marks marks; /* the outline in progress, for each frame */
	const char *display; /* the display's name, for the status line */
	int cell_fixed;      /* sixel: the cell size came from --cell, not the window */
	uint64_t opened;     /* counts images opened: the scene's serial */

	/* How the overlay is shown. */
	enum view_overlay overlay;
	int opacity, unlabeled;

	/* The screen. */
	int term_cols, term_rows, panel;
	int help, help_top;
	char msg[256];       /* the status line's message, until the next key */

	/* Input in progress. */
	int count, counting, class_pick; /* counting: digits go on with a count */
	int mouse_down, mouse_x, mouse_y, mouse_dragged;
	int quit;
	int quit_asked; /* q with an outline in progress said so once: the next q quits */
	int keep_draft; /* quitting with an outline in progress: it waits as a draft */

	/* The assist tools' state (assistui.c). */
	struct assistui *assist;

	/* `pxlabel review` (review.c): the reviewer's name, a comment being typed. */
	int review, commenting;
	char *reviewer;
	char comment[DOC_MAX_COMMENT + 1];
	size_t ncomment;
};

#endif
