/* verdict.c: the reviewer's keys. A approves the image, X starts a comment on the status line
 * (UTF-8, as the terminal sends it byte by byte; Backspace takes back a character, Enter
 * rejects with it, Esc cancels); after a verdict the next image opens. The verdict, the
 * reviewer's name and the time go to the session (session_review), which keeps the rules. */
#include "config.h"

#include "verdict.h"

#include <curses.h>
#include <string.h>
#include <time.h>

#include "assistui.h"
#include "chrome.h"
#include "frame.h"
#include "session.h"
#include "ui.h"

#define PROMPT "reject, why? (Enter rejects, Esc cancels): "

static void show_prompt(struct ui *u)
{
	const char *shown = u->comment;
	size_t room = sizeof(u->msg) - sizeof(PROMPT) - 2;

	/* A long comment shows its end, from a character's first byte on. */
	if (u->ncomment > room) {
		shown = u->comment + u->ncomment - room;
		while ((*shown & 0xc0) == 0x80)
			shown++;
	}
	chrome_say(u, "%s%s_", PROMPT, shown);
}

static void give(struct ui *u, const char *state, const char *comment)
{
	struct session *s = u->s;
	char said[sizeof(u->msg)];
	long next;

	if (session_review(s, state, comment, u->reviewer, (int64_t)time(NULL)) != 0)
		return; /* read-only, or a refused comment: the session says why */
	(void)session_take_message(s, said, sizeof(said));
	next = session_step(s, 1);
	if (next < 0) {
		(void)session_take_message(s, said, sizeof(said));
		chrome_say(u, "%s; that was the last image", state);
		return;
	}
	(void)frame_open(u, (size_t)next);
	chrome_take_message(u);
	/* The image opened may have its own word (a rejection's comment): it comes first. */
	if (!u->msg[0])
		chrome_say(u, "%s the previous image", state);
}

int verdict_key(struct ui *u, int ch)
{
	if (u->commenting) {
		if (ch == 27) {
			u->commenting = 0;
			chrome_say(u, "%s", "reject cancelled");
		} else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
			u->commenting = 0;
			give(u, "rejected", u->ncomment ? u->comment : NULL);
		} else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
			/* Back over a whole UTF-8 character. */
			while (u->ncomment > 0 && (u->comment[--u->ncomment] & 0xc0) == 0x80)
				;
			u->comment[u->ncomment] = '\0';
			show_prompt(u);
		} else if (ch >= 0x20 && ch <= 0xff && ch != 0x7f) {
			if (u->ncomment < sizeof(u->comment) - 1) {
				u->comment[u->ncomment++] = (char)ch;
				u->comment[u->ncomment] = '\0';
			}
			show_prompt(u);
		}
		return 1;
	}
	if (!u->review || !u->s->im || u->help || u->class_pick)
		return 0;
	/* A verdict opens the next image: work in progress here would go with it, unsaid. */
	if ((keys_action(u->keys, ch) == ACT_APPROVE || keys_action(u->keys, ch) == ACT_REJECT) &&
	    (u->s->npts > 0 || assistui_previewing(u))) {
		chrome_say(u, "%s: Enter or Esc first",
		    u->s->npts > 0 ? "an outline in progress" : "a preview");
		return 1;
	}
	if (keys_action(u->keys, ch) == ACT_APPROVE) {
		give(u, "approved", NULL);
		return 1;
	}
	if (keys_action(u->keys, ch) == ACT_REJECT) {
		u->commenting = 1;
		u->ncomment = 0;
		u->comment[0] = '\0';
		show_prompt(u);
		return 1;
	}
	return 0;
}
