/* app.c: the annotator's event loop. It sets the rooms up (the session, the terminal, the keys),
 * then waits for a key: a key goes to input.c, idle time to the session (masks on idle), and a
 * frame is drawn (chrome.c, frame.c) after anything happened. On quit, hang-up or termination
 * the work goes to disk before the terminal is given back, and what could not be saved is told
 * on stderr once the screen is gone. */
#include "config.h"

#include "app.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assistui.h"
#include "chrome.h"
#include "frame.h"
#include "input.h"
#include "review.h"
#include "session.h"
#include "terminal.h"
#include "text.h"
#include "ui.h"
#include "xalloc.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Config warnings come before any image is open, which would clear a message: keep them for
 * the first screen. */
static void warn_line(const char *msg, void *ctx)
{
	char **notice = ctx;
	char *n = xasprintf("%s%s%s", *notice ? *notice : "", *notice ? "; " : "", msg);

	free(*notice);
	*notice = n;
}

/* What a key acts on: the last message taken (the next key clears it) and the layout of the
 * last key (the panel folded, the terminal resized). */
static void settle(struct ui *u)
{
	chrome_take_message(u);
	chrome_layout(u);
}

static void draw(struct ui *u)
{
	settle(u);
	if (chrome_draw(u))
		frame_draw(u);
}

/* Waits for keys until quit or a signal; returns the signal (0 for a quit). */
static int loop(struct ui *u)
{
	int fast_errors = 0, redraw = 1;

	while (!u->quit && !terminal_signal()) {
		double t0;
		int ch;

		/* A frame only after something happened: an idle timeout must not render and diff
		 * a whole image area four times a second. */
		if (redraw)
			draw(u);
		redraw = 0;
		t0 = now();
		ch = getch();
		if (terminal_signal())
			break;
		if (ch == ERR) {
			/* Idle: the masks catch up with the sidecar. */
			if (session_tick(u->s, now()))
				redraw = 1;
			if (assistui_idle(u))
				redraw = 1;
			/* And the display's deferred work (kitty: tiles of a large image). */
			if (!redraw && display_pending(&u->area)) {
				u->area.idle = 1;
				draw(u);
				u->area.idle = 0;
			}
			/* A timeout takes 250 ms; input that fails at once, again and again, is a
			 * terminal that went away without a SIGHUP reaching us. */
			if (now() - t0 < 0.05) {
				if (++fast_errors > 100)
					return SIGHUP;
			} else {
				fast_errors = 0;
			}
			continue;
		}
		session_set_time(u->s, now());
		input_key(u, ch);
		/* Keys typed ahead (a held arrow, a count typed quickly, a burst over a slow link) are
		 * all applied before the next frame, as less and vim do: a burst costs what its last
		 * state costs, not a frame for each state on the way. */
		while (!u->quit && !terminal_signal() && (ch = terminal_key_waiting()) != ERR) {
			settle(u);
			input_key(u, ch);
		}
		redraw = 1;
	}
	return terminal_signal();
}

int app_run(char **images, size_t nimages, const char *resume_key, const struct app_opts *opts)
{
	struct session_opts so;
	struct ui u;
	char *cause = NULL, *notice = NULL;
	int status = 0, sig;

	memset(&u, 0, sizeof(u));
	u.panel = 1;
	u.review = opts->review;
	if (u.review)
		u.reviewer = review_reviewer();
	if (prefs_load(&u.user, &cause) != 0) {
		char *vis = text_message(cause);

		fprintf(stderr, "pxlabel: %s\n", vis);
		free(vis);
		free(cause);
		return 1;
	}
	u.overlay = u.user.overlay == PREFS_OVERLAY_OUTLINE ? VIEW_OVERLAY_OUTLINE :
	    u.user.overlay == PREFS_OVERLAY_OFF ? VIEW_OVERLAY_OFF : VIEW_OVERLAY_FILLED;
	u.opacity = u.user.opacity;
	if (terminal_start(&u, opts) != 0) {
		prefs_free(&u.user);
		return 1;
	}
	u.keys = keys_new(&u.user, u.review, warn_line, &notice);
	memset(&so, 0, sizeof(so));
	so.resume_key = resume_key;
	so.person = opts->person;
	so.shared = opts->shared;
	img_limits_default(&so.limits);
	if (u.user.max_pixels)
		so.limits.max_pixels = u.user.max_pixels;
	if (u.user.max_file_size)
		so.limits.max_file_bytes = u.user.max_file_size;
	u.s = session_new(images, nimages, &so);
	assistui_init(&u, opts->assist_command ? opts->assist_command : u.user.assist_command, u.user.assist_timeout);
	chrome_layout(&u);
	session_set_time(u.s, now());
	(void)frame_open(&u, session_resume_index(u.s));
	chrome_take_message(&u);
	if (notice && !u.msg[0])
		chrome_say(&u, "%s", notice);
	free(notice);

	sig = loop(&u);
	/* Quit, hang-up or termination: the work goes to disk before anything else. */
	session_end(u.s, sig != 0 || u.keep_draft);
	if (sig == SIGHUP || sig == SIGTERM)
		status = 128 + sig;
	/* Nothing of ours stays in the terminal (kitty keeps images until told). */
	if (sig != SIGHUP)
		display_release(&u.area);
	terminal_end(sig == SIGHUP);
	if (session_unsaved(u.s)) {
		/* The screen is gone: this is where unsaved work must be told. */
		char *vis = text_message(session_unsaved(u.s));

		fprintf(stderr, "pxlabel: %s", vis);
		free(vis);
		if (!status)
			status = 1;
	}
	assistui_free(&u);
	session_free(u.s);
	keys_free(u.keys);
	display_close(&u.area);
	frame_free(&u);
	prefs_free(&u.user);
	free(u.reviewer);
	return status;
}
