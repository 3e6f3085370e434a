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

static const struct {
	enum action a;
	const char *name, *help, *keys; /* default keys, space separated */
} table[] = {
	{ ACT_LEFT, "left", "cursor left (a count repeats: 5h)", "h Left" },
	{ ACT_RIGHT, "right", "cursor right", "l Right" },
	{ ACT_UP, "up", "cursor up", "k Up" },
	{ ACT_DOWN, "down", "cursor down", "j Down" },
	{ ACT_LEFT_FAST, "left-fast", "cursor 8 cells left", "H S-Left" },
	{ ACT_RIGHT_FAST, "right-fast", "cursor 8 cells right", "L S-Right" },
	{ ACT_UP_FAST, "up-fast", "cursor 8 cells up", "K S-Up" },
	{ ACT_DOWN_FAST, "down-fast", "cursor 8 cells down", "J S-Down" },
	{ ACT_REPEAT, "count", "then digits: a count for the next key ('12l)", "'" },
	{ ACT_PAN_LEFT, "pan-left", "pan the view left", "C-Left" },
	{ ACT_PAN_RIGHT, "pan-right", "pan the view right", "C-Right" },
	{ ACT_PAN_UP, "pan-up", "pan the view up", "C-Up PgUp" },
	{ ACT_PAN_DOWN, "pan-down", "pan the view down", "C-Down PgDn" },
	{ ACT_CENTER, "center", "centre the view on the cursor", "." },
	{ ACT_ZOOM_IN, "zoom-in", "zoom in about the cursor (to 32x)", "+ =" },
	{ ACT_ZOOM_OUT, "zoom-out", "zoom out about the cursor", "-" },
	{ ACT_ZOOM_FIT, "zoom-fit", "fit the image to the screen", "z" },
	{ ACT_VERTEX, "vertex", "place a vertex (starts an outline)", "Space" },
	{ ACT_CLOSE, "close", "close the outline: new instance, add or cut", "Enter" },
	{ ACT_UNDO_VERTEX, "remove-vertex", "remove the last vertex", "Backspace" },
	{ ACT_CANCEL, "cancel", "cancel the outline / close help", "Esc" },
	{ ACT_FREEHAND, "freehand", "pen down/up: the outline follows the cursor", "f" },
	{ ACT_SCISSORS, "scissors", "edge-following outlines on/off: the segment to the cursor follows the strongest edge", "F" },
	{ ACT_MODE_NEW, "mode-new", "outlines make new instances", "n" },
	{ ACT_MODE_ADD, "mode-add", "outlines add to the selected instance", "a" },
	{ ACT_MODE_ERASE, "mode-erase", "outlines cut from the selected instance (eraser)", "e" },
	{ ACT_BEHIND, "behind", "draw over / behind existing instances", "b" },
	{ ACT_SNAP, "snap", "snapping to vertices and edges on/off", "s" },
	{ ACT_EDGE_SNAP, "edge-snap", "snapping to the picture's edges on/off (within a cell)", "E" },
	{ ACT_UNDO, "undo", "undo the last edit", "u C-z" },
	{ ACT_REDO, "redo", "redo", "C-r C-y" },
	{ ACT_CLASS_PICK, "class", "then a class's key: pick that class", "c" },
	{ ACT_CLASS_NEXT, "class-next", "next class", "Tab" },
	{ ACT_CLASS_PREV, "class-prev", "previous class", "BackTab" },
	{ ACT_SELECT_UNDER, "select", "select the instance under the cursor", "g" },
	{ ACT_SELECT_NEXT, "select-next", "select the next instance up", "]" },
	{ ACT_SELECT_PREV, "select-prev", "select the next instance down", "[" },
	{ ACT_SLIVER_NEXT, "sliver", "go to the next small stray part of an instance (selects it)", "v" },
	{ ACT_RAISE, "raise", "raise the selected instance", "r" },
	{ ACT_LOWER, "lower", "lower the selected instance", "R" },
	{ ACT_DELETE, "delete", "delete the selected instance", "x Delete" },
	{ ACT_SET_CLASS, "set-class", "give the selected instance the current class", "m" },
	{ ACT_SET_PARENT, "set-parent", "selected instance becomes part of the one under the cursor", "p" },
	{ ACT_CLEAR_PARENT, "clear-parent", "selected instance is part of nothing", "P" },
	{ ACT_OVERLAY, "overlay", "overlay: filled, outlines, off", "o" },
	{ ACT_OPACITY, "opacity", "overlay opacity 25/50/75/100%", "O" },
	{ ACT_UNLABELED, "unlabeled", "highlight unlabeled pixels", "#" },
	{ ACT_BRIGHT_UP, "brightness-up", "brighter (view only)", ">" },
	{ ACT_BRIGHT_DOWN, "brightness-down", "darker (view only)", "<" },
	{ ACT_CONTRAST_UP, "contrast-up", "more contrast (view only)", "}" },
	{ ACT_CONTRAST_DOWN, "contrast-down", "less contrast (view only)", "{" },
	{ ACT_GAMMA_UP, "gamma-up", "gamma up (view only)", ")" },
	{ ACT_GAMMA_DOWN, "gamma-down", "gamma down (view only)", "(" },
	{ ACT_VIEW_RESET, "view-reset", "reset brightness, contrast, gamma (16-bit: the window)", "\\" },
	{ ACT_NEXT_IMAGE, "next-image", "next image (saves)", "N" },
	{ ACT_PREV_IMAGE, "prev-image", "previous image (saves)", "B" },
	{ ACT_NEXT_UNLABELED, "next-unlabeled", "next image with unlabeled pixels", "U" },
	{ ACT_GAP_NEXT, "next-gap", "go to the next unlabeled region of this image, largest first", "G" },
	{ ACT_WAND, "wand", "magic wand: the region of similar colour under the cursor (preview)", "w" },
	{ ACT_TOL_DOWN, "tolerance-down", "the wand's tolerance down (live in its preview)", ";" },
	{ ACT_TOL_UP, "tolerance-up", "the wand's tolerance up (live in its preview)", ":" },
	{ ACT_SP_SHOW, "superpixels", "superpixels' boundaries on/off (computed once, cached)", "S" },
	{ ACT_SP_PICK, "superpixel", "the superpixel under the cursor into the preview (again: out)", "i" },
	{ ACT_SP_SIZE, "superpixel-size", "superpixels' size: about 400, 900, 1600, 3600, 6400 px", "I" },
	{ ACT_MODEL, "model", "model command: a point on the object at the cursor, run (review: M)", "A M" },
	{ ACT_MODEL_EXCLUDE, "model-exclude", "model command: a point that is not the object, run again", "Z" },
	{ ACT_DONE, "done", "mark this image done / not done (review state)", "D" },
	{ ACT_PANEL, "panel", "show or hide the side panel", "|" },
	{ ACT_HELP, "help", "this help", "? F1" },
	{ ACT_REDRAW, "redraw", "redraw the screen", "C-l" },
	{ ACT_QUIT, "quit", "save and quit", "q" },
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

struct keys *keys_new(const struct prefs *user, void (*warn)(const char *msg, void *ctx), void *ctx)
{
	struct keys *k = xcalloc(1, sizeof(*k));
	size_t i;

	for (i = 0; i < NTABLE; i++) {
		char *copy = xstrdup(table[i].keys), *save = NULL, *tok;

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
