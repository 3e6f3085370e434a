/* keys.c: key bindings. */
#include "config.h"

#include "keys.h"

#include <curses.h>
#include <term.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xalloc.h"

#define KEY_MAX_CODE 1024

struct keys {
	enum action map[KEY_MAX_CODE];
};

/* Where an action's keys work: everywhere, or in `pxlabel review` only, over the others. */
enum { EVERYWHERE, REVIEW_ONLY };

static const struct {
	enum action a;
	const char *name, *help, *keys; /* default keys, space separated */
	int where;
} table[] = {
	{ ACT_LEFT, "left", "cursor left (a count repeats: 5h)", "h Left", EVERYWHERE },
	{ ACT_RIGHT, "right", "cursor right", "l Right", EVERYWHERE },
	{ ACT_UP, "up", "cursor up", "k Up", EVERYWHERE },
	{ ACT_DOWN, "down", "cursor down", "j Down", EVERYWHERE },
	{ ACT_LEFT_FAST, "left-fast", "cursor 8 cells left", "H S-Left", EVERYWHERE },
	{ ACT_RIGHT_FAST, "right-fast", "cursor 8 cells right", "L S-Right", EVERYWHERE },
	{ ACT_UP_FAST, "up-fast", "cursor 8 cells up", "K S-Up", EVERYWHERE },
	{ ACT_DOWN_FAST, "down-fast", "cursor 8 cells down", "J S-Down", EVERYWHERE },
	{ ACT_REPEAT, "count", "then digits: a count for the next key ('12l)", "'", EVERYWHERE },
	{ ACT_PAN_LEFT, "pan-left", "pan the view left", "C-Left", EVERYWHERE },
	{ ACT_PAN_RIGHT, "pan-right", "pan the view right", "C-Right", EVERYWHERE },
	{ ACT_PAN_UP, "pan-up", "pan the view up", "C-Up PgUp", EVERYWHERE },
	{ ACT_PAN_DOWN, "pan-down", "pan the view down", "C-Down PgDn", EVERYWHERE },
	{ ACT_CENTER, "center", "centre the view on the cursor", ".", EVERYWHERE },
	{ ACT_ZOOM_IN, "zoom-in", "zoom in about the cursor (to 32x)", "+ =", EVERYWHERE },
	{ ACT_ZOOM_OUT, "zoom-out", "zoom out about the cursor", "-", EVERYWHERE },
	{ ACT_ZOOM_FIT, "zoom-fit", "fit the image to the screen", "z", EVERYWHERE },
	{ ACT_VERTEX, "vertex", "place a vertex (starts an outline)", "Space", EVERYWHERE },
	{ ACT_CLOSE, "close", "close the outline: new instance, add or cut", "Enter", EVERYWHERE },
	{ ACT_UNDO_VERTEX, "remove-vertex", "remove the last vertex (or edge-following segment)", "Backspace", EVERYWHERE },
	{ ACT_CANCEL, "cancel", "cancel the outline / close help", "Esc", EVERYWHERE },
	{ ACT_FREEHAND, "freehand", "pen down/up: the outline follows the cursor", "f", EVERYWHERE },
	{ ACT_SCISSORS, "scissors", "edge-following outlines on/off: the segment to the cursor follows edges", "F", EVERYWHERE },
	{ ACT_MODE_NEW, "mode-new", "outlines make new instances", "n", EVERYWHERE },
	{ ACT_MODE_ADD, "mode-add", "outlines add to the selected instance", "a", EVERYWHERE },
	{ ACT_MODE_ERASE, "mode-erase", "outlines cut from the selected instance (eraser)", "e", EVERYWHERE },
	{ ACT_BEHIND, "behind", "draw over / behind existing instances", "b", EVERYWHERE },
	{ ACT_SNAP, "snap", "snapping to vertices and edges on/off", "s", EVERYWHERE },
	{ ACT_EDGE_SNAP, "edge-snap", "snapping to the picture's edges on/off (within a cell)", "E", EVERYWHERE },
	{ ACT_UNDO, "undo", "undo the last edit", "u C-z", EVERYWHERE },
	{ ACT_REDO, "redo", "redo", "C-r C-y", EVERYWHERE },
	{ ACT_CLASS_PICK, "class", "then a class's key: pick that class", "c", EVERYWHERE },
	{ ACT_CLASS_NEXT, "class-next", "next class", "Tab", EVERYWHERE },
	{ ACT_CLASS_PREV, "class-prev", "previous class", "BackTab", EVERYWHERE },
	{ ACT_SELECT_UNDER, "select", "select the instance under the cursor", "g", EVERYWHERE },
	{ ACT_SELECT_NEXT, "select-next", "select the next instance up", "]", EVERYWHERE },
	{ ACT_SELECT_PREV, "select-prev", "select the next instance down", "[", EVERYWHERE },
	{ ACT_SLIVER_NEXT, "sliver", "go to the next small stray part of an instance (selects it)", "v", EVERYWHERE },
	{ ACT_RAISE, "raise", "raise the selected instance", "r", EVERYWHERE },
	{ ACT_LOWER, "lower", "lower the selected instance", "R", EVERYWHERE },
	{ ACT_DELETE, "delete", "delete the selected instance", "x Delete", EVERYWHERE },
	{ ACT_SET_CLASS, "set-class", "give the selected instance the current class", "m", EVERYWHERE },
	{ ACT_SET_PARENT, "set-parent", "selected instance becomes part of the one under the cursor", "p", EVERYWHERE },
	{ ACT_CLEAR_PARENT, "clear-parent", "selected instance is part of nothing", "P", EVERYWHERE },
	{ ACT_OVERLAY, "overlay", "overlay: filled, outlines, off", "o", EVERYWHERE },
	{ ACT_OPACITY, "opacity", "overlay opacity 25/50/75/100%", "O", EVERYWHERE },
	{ ACT_UNLABELED, "unlabeled", "highlight unlabeled pixels", "#", EVERYWHERE },
	{ ACT_BRIGHT_UP, "brightness-up", "brighter (view only)", ">", EVERYWHERE },
	{ ACT_BRIGHT_DOWN, "brightness-down", "darker (view only)", "<", EVERYWHERE },
	{ ACT_CONTRAST_UP, "contrast-up", "more contrast (view only)", "}", EVERYWHERE },
	{ ACT_CONTRAST_DOWN, "contrast-down", "less contrast (view only)", "{", EVERYWHERE },
	{ ACT_GAMMA_UP, "gamma-up", "gamma up (view only)", ")", EVERYWHERE },
	{ ACT_GAMMA_DOWN, "gamma-down", "gamma down (view only)", "(", EVERYWHERE },
	{ ACT_VIEW_RESET, "view-reset", "reset brightness, contrast, gamma (16-bit: the window)", "\\", EVERYWHERE },
	{ ACT_NEXT_IMAGE, "next-image", "next image (saves)", "N", EVERYWHERE },
	{ ACT_PREV_IMAGE, "prev-image", "previous image (saves)", "B", EVERYWHERE },
	{ ACT_NEXT_UNLABELED, "next-unlabeled", "next image with unlabeled pixels", "U", EVERYWHERE },
	{ ACT_GAP_NEXT, "next-gap", "go to the next unlabeled region of this image, largest first", "G", EVERYWHERE },
	{ ACT_WAND, "wand", "magic wand: the region of similar colour under the cursor (preview)", "w", EVERYWHERE },
	{ ACT_TOL_DOWN, "tolerance-down", "the wand's tolerance down (live in its preview)", ";", EVERYWHERE },
	{ ACT_TOL_UP, "tolerance-up", "the wand's tolerance up (live in its preview)", ":", EVERYWHERE },
	{ ACT_SP_SHOW, "superpixels", "superpixels' boundaries on/off (computed once, cached)", "S", EVERYWHERE },
	{ ACT_SP_PICK, "superpixel", "the superpixel under the cursor into the preview (again: out)", "i", EVERYWHERE },
	{ ACT_SP_SIZE, "superpixel-size", "superpixels' size: about 400, 900, 1600, 3600, 6400 px", "I", EVERYWHERE },
	{ ACT_MODEL, "model", "model command: a point on the object at the cursor, run (review: M)", "A M", EVERYWHERE },
	{ ACT_MODEL_EXCLUDE, "model-exclude", "model command: a point that is not the object, run again", "Z", EVERYWHERE },
	{ ACT_DONE, "done", "mark this image done / not done (review state)", "D", EVERYWHERE },
	{ ACT_PANEL, "panel", "show or hide the side panel", "|", EVERYWHERE },
	{ ACT_HELP, "help", "this help", "? F1", EVERYWHERE },
	{ ACT_REDRAW, "redraw", "redraw the screen", "C-l", EVERYWHERE },
	{ ACT_QUIT, "quit", "save and quit", "q", EVERYWHERE },
	{ ACT_APPROVE, "approve", "review: approve this image, go to the next", "A", REVIEW_ONLY },
	{ ACT_REJECT, "reject", "review: reject this image with a comment (Enter rejects)", "X", REVIEW_ONLY },
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

static const struct {
	const char *name;
	int code; /* 0: ask terminfo */
	const char *cap;
} named[] = {
	{ "Left", KEY_LEFT, NULL }, { "Right", KEY_RIGHT, NULL }, { "Up", KEY_UP, NULL },
	{ "Down", KEY_DOWN, NULL }, { "S-Left", KEY_SLEFT, NULL }, { "S-Right", KEY_SRIGHT, NULL },
	{ "S-Up", KEY_SR, NULL }, { "S-Down", KEY_SF, NULL }, { "C-Left", 0, "kLFT5" },
	{ "C-Right", 0, "kRIT5" }, { "C-Up", 0, "kUP5" }, { "C-Down", 0, "kDN5" },
	{ "PgUp", KEY_PPAGE, NULL }, { "PgDn", KEY_NPAGE, NULL }, { "Home", KEY_HOME, NULL },
	{ "End", KEY_END, NULL }, { "Delete", KEY_DC, NULL }, { "Insert", KEY_IC, NULL },
	{ "Backspace", KEY_BACKSPACE, NULL }, { "Enter", '\n', NULL }, { "Space", ' ', NULL },
	{ "Tab", '\t', NULL }, { "BackTab", KEY_BTAB, NULL }, { "Esc", 27, NULL },
	{ "F1", KEY_F(1), NULL }, { "F2", KEY_F(2), NULL }, { "F3", KEY_F(3), NULL },
	{ "F4", KEY_F(4), NULL }, { "F5", KEY_F(5), NULL }, { "F6", KEY_F(6), NULL },
	/* An INI line cannot end in " ;" (inih takes it for a comment): the key by its name. */
	{ "Semicolon", ';', NULL },
};

#define NNAMED (sizeof(named) / sizeof(named[0]))

static int named_code(size_t i)
{
	const char *seq;
	int code;

	if (named[i].code)
		return named[i].code;
	/* Extended keys (Ctrl+arrows) get their codes from the terminfo entry's string. */
	seq = tigetstr(named[i].cap);
	if (!seq || seq == (char *)-1)
		return -1;
	code = key_defined(seq);
	return code > 0 ? code : -1;
}

/* "x", "Ctrl-r" / "C-r", or a name above; -1 when unknown. */
static int parse_key(const char *s)
{
	size_t i;

	if (strlen(s) == 1 && s[0] > ' ' && s[0] < 127)
		return s[0];
	if ((!strncasecmp(s, "Ctrl-", 5) && strlen(s) == 6) || (!strncmp(s, "C-", 2) && strlen(s) == 3)) {
		char c = s[strlen(s) - 1];

		if (c >= 'a' && c <= 'z')
			return c - 'a' + 1;
		if (c >= 'A' && c <= 'Z')
			return c - 'A' + 1;
		return -1;
	}
	for (i = 0; i < NNAMED; i++)
		if (!strcasecmp(s, named[i].name))
			return named_code(i);
	return -1;
}

static void bind(struct keys *k, int code, enum action a)
{
	if (code >= 0 && code < KEY_MAX_CODE)
		k->map[code] = a;
}

struct keys *keys_new(const struct prefs *user, int review, void (*warn)(const char *msg, void *ctx), void *ctx)
{
	struct keys *k = xcalloc(1, sizeof(*k));
	size_t i;
	int pass;

	/* The reviewer's keys last, over the others'. */
	for (pass = EVERYWHERE; pass <= REVIEW_ONLY; pass++)
	for (i = 0; i < NTABLE; i++) {
		char *copy, *save = NULL, *tok;

		if (table[i].where != pass || (pass == REVIEW_ONLY && !review))
			continue;
		copy = xstrdup(table[i].keys);
		for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
			bind(k, parse_key(tok), table[i].a);
		free(copy);
	}
	/* Backspace arrives as any of these, depending on the terminal. */
	if (k->map[KEY_BACKSPACE] == ACT_UNDO_VERTEX) {
		bind(k, 127, ACT_UNDO_VERTEX);
		bind(k, 8, ACT_UNDO_VERTEX);
	}
	bind(k, '\r', k->map['\n']);
	bind(k, KEY_ENTER, k->map['\n']);
	for (i = 0; user && i < user->nkeys; i++) {
		const struct prefs_keybinding *b = &user->keys[i];
		int code = parse_key(b->key);
		size_t t;

		for (t = 0; t < NTABLE && strcmp(table[t].name, b->action); t++)
			;
		if (t < NTABLE && table[t].where == REVIEW_ONLY && !review)
			continue;
		if (t == NTABLE || code < 0 || code >= KEY_MAX_CODE) {
			if (warn) {
				char *msg = xasprintf("%s:%d: %s \"%s\" in [keys] ignored", user->path ? user->path : "config.ini",
				    b->line, t == NTABLE ? "unknown action" : "unknown key", t == NTABLE ? b->action : b->key);

				warn(msg, ctx);
				free(msg);
			}
			continue;
		}
		bind(k, code, table[t].a);
	}
	return k;
}

void keys_free(struct keys *k) { free(k); }

enum action keys_action(const struct keys *k, int ch)
{
	return ch >= 0 && ch < KEY_MAX_CODE ? k->map[ch] : ACT_NONE;
}

const char *keys_action_name(enum action a)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (table[i].a == a)
			return table[i].name;
	return "";
}

const char *keys_action_help(enum action a)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (table[i].a == a)
			return table[i].help;
	return "";
}

const char *keys_name(int ch)
{
	static char buf[16];
	size_t i;

	/* A printable key shows as itself, ; too (its name is for config.ini). */
	if (ch > ' ' && ch < 127) {
		snprintf(buf, sizeof(buf), "%c", ch);
		return buf;
	}
	for (i = 0; i < NNAMED; i++)
		if (named_code(i) == ch)
			return named[i].name;
	if (ch > 0 && ch < 27)
		snprintf(buf, sizeof(buf), "Ctrl-%c", 'a' + ch - 1);
	else if (ch > ' ' && ch < 127)
		snprintf(buf, sizeof(buf), "%c", ch);
	else
		snprintf(buf, sizeof(buf), "#%d", ch);
	return buf;
}

const char *keys_describe(const struct keys *k, enum action a)
{
	static char buf[64];
	size_t n = 0;
	int ch;

	buf[0] = '\0';
	for (ch = 0; ch < KEY_MAX_CODE; ch++) {
		/* Aliases bound behind the scenes are not worth a line of help. */
		if (k->map[ch] != a || ch == '\r' || ch == KEY_ENTER || ch == 127 || ch == 8)
			continue;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? ", " : "", keys_name(ch));
		if (n >= sizeof(buf) - 1)
			break;
	}
	return buf;
}

/* ---- the table checked ------------------------------------------------------------------- */

static int token_has(const char *keys, const char *key)
{
	char *copy = xstrdup(keys), *save = NULL, *tok;
	int found = 0;

	for (tok = strtok_r(copy, " ", &save); tok && !found; tok = strtok_r(NULL, " ", &save))
		found = strlen(tok) == 1 ? !strcmp(tok, key) : !strcasecmp(tok, key);
	free(copy);
	return found;
}

/* The entry that has key in a mode, the reviewer's first; -1 for none. */
static long entry_for(int review, const char *key, long skip)
{
	size_t i;
	int pass;

	for (pass = REVIEW_ONLY; pass >= EVERYWHERE; pass--)
		for (i = 0; i < NTABLE; i++)
			if ((long)i != skip && table[i].where == pass && (review || pass == EVERYWHERE) &&
			    token_has(table[i].keys, key))
				return (long)i;
	return -1;
}

enum action keys_default(int review, const char *key)
{
	long e = entry_for(review, key, -1);

	return e < 0 ? ACT_NONE : table[e].a;
}

int keys_clashes(int review, char **report)
{
	struct sbuf_lite {
		char *s;
	} out = { NULL };
	size_t i;
	int problems = 0;

	for (i = 0; i < NTABLE; i++) {
		char *copy, *save = NULL, *tok;
		int reachable = 0;

		if (table[i].where == REVIEW_ONLY && !review)
			continue;
		copy = xstrdup(table[i].keys);
		for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			long other = entry_for(review, tok, (long)i);
			long winner = entry_for(review, tok, -1);

			/* Two entries of one rank with one key: a clash. One of the reviewer's over
			 * one of everywhere's: the key is the reviewer's there, which is meant. */
			if (other >= 0 && table[other].where == table[i].where) {
				char *n = xasprintf("%s%s: %s and %s\n", out.s ? out.s : "", tok, table[i].name, table[other].name);

				free(out.s);
				out.s = n;
				problems++;
			}
			if (winner == (long)i)
				reachable = 1;
		}
		free(copy);
		if (!reachable) {
			char *n = xasprintf("%s%s: no key left in %s\n", out.s ? out.s : "", table[i].name,
			    review ? "review" : "the annotator");

			free(out.s);
			out.s = n;
			problems++;
		}
	}
	if (report)
		*report = out.s;
	else
		free(out.s);
	return problems;
}
