/* keys.h: the annotator's actions and the keys bound to them. Defaults are mnemonic and
 * keyboard-first; the user's config.ini [keys] section rebinds any action ("undo = Ctrl-z"). */
#ifndef PXL_KEYS_H
#define PXL_KEYS_H

#include "prefs.h"

enum action {
	ACT_NONE,
	ACT_LEFT, ACT_RIGHT, ACT_UP, ACT_DOWN,
	ACT_LEFT_FAST, ACT_RIGHT_FAST, ACT_UP_FAST, ACT_DOWN_FAST, ACT_REPEAT,
	ACT_PAN_LEFT, ACT_PAN_RIGHT, ACT_PAN_UP, ACT_PAN_DOWN, ACT_CENTER,
	ACT_ZOOM_IN, ACT_ZOOM_OUT, ACT_ZOOM_FIT,
	ACT_VERTEX, ACT_CLOSE, ACT_UNDO_VERTEX, ACT_CANCEL, ACT_FREEHAND,
	ACT_MODE_NEW, ACT_MODE_ADD, ACT_MODE_ERASE, ACT_BEHIND, ACT_SNAP, ACT_EDGE_SNAP,
	ACT_UNDO, ACT_REDO,
	ACT_CLASS_PICK, ACT_CLASS_NEXT, ACT_CLASS_PREV,
	ACT_SELECT_UNDER, ACT_SELECT_NEXT, ACT_SELECT_PREV, ACT_SLIVER_NEXT, ACT_RAISE, ACT_LOWER, ACT_DELETE,
	ACT_SET_CLASS, ACT_SET_PARENT, ACT_CLEAR_PARENT,
	ACT_OVERLAY, ACT_OPACITY, ACT_UNLABELED,
	ACT_BRIGHT_UP, ACT_BRIGHT_DOWN, ACT_CONTRAST_UP, ACT_CONTRAST_DOWN, ACT_GAMMA_UP,
	ACT_GAMMA_DOWN, ACT_VIEW_RESET,
	ACT_NEXT_IMAGE, ACT_PREV_IMAGE, ACT_NEXT_UNLABELED, ACT_GAP_NEXT, ACT_DONE,
	ACT_WAND, ACT_TOL_DOWN, ACT_TOL_UP, ACT_SCISSORS, ACT_SP_SHOW, ACT_SP_PICK, ACT_SP_SIZE,
	ACT_MODEL, ACT_MODEL_EXCLUDE,
	ACT_APPROVE, ACT_REJECT, /* `pxlabel review` only (verdict.c) */
	ACT_PANEL, ACT_HELP, ACT_REDRAW, ACT_QUIT,
	ACT_COUNT
};

struct keys;

/* The default bindings, then the user's [keys] lines; a line naming an unknown action or key
 * gives a warning "FILE:LINE: ..." through warn (may be NULL). With review, the reviewer's
 * keys (approve, reject) are bound over the annotator's: an action whose default key they take
 * keeps its other keys (the model command's M when A approves). */
struct keys *keys_new(const struct prefs *user, int review, void (*warn)(const char *msg, void *ctx), void *ctx);
void keys_free(struct keys *k);
enum action keys_action(const struct keys *k, int ch);
const char *keys_action_name(enum action a);
const char *keys_action_help(enum action a);
/* The keys bound to an action, for the help screen ("h, Left"). Borrowed until the next call. */
const char *keys_describe(const struct keys *k, enum action a);
/* A key code as text ("Ctrl-r", "PgDn", "x"). Borrowed until the next call. */
const char *keys_name(int ch);

/* The default table checked for clashes, without a terminal: in the annotator (review 0) no
 * key bound to two actions; in review (1) none between the reviewer's keys, and every action
 * still reachable by some key after the reviewer's keys are laid over. Returns the number of
 * problems; *report (when not NULL, the caller frees it) says which, one a line. */
int keys_clashes(int review, char **report);
/* The action a key has by default in a mode, by the table alone: ACT_NONE for none. For the
 * tests; a key name as in [keys] ("A", "Space", "C-r"). */
enum action keys_default(int review, const char *key);

#endif
