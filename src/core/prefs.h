/* prefs.h: the user's own config.ini, $XDG_CONFIG_HOME/pxlabel/config.ini: display, limits,
 * keys, the reviewer's name and the model command. It belongs to one person, where pxlabel.ini (dataset.h) belongs to the data set. Read
 * through inifile.h, with the same messages ("FILE:LINE: ..."), unknown keys and sections as
 * warnings. The format is described in doc/config.md. */
#ifndef PXL_PREFS_H
#define PXL_PREFS_H

#include <stddef.h>

#define PREFS_MAX_KEYSPEC 32 /* bytes in a [keys] action or key */

enum prefs_display {
	PREFS_DISPLAY_AUTO,
	PREFS_DISPLAY_SIXEL,
	PREFS_DISPLAY_BLOCKS,
	PREFS_DISPLAY_KITTY,
};

enum prefs_overlay {
	PREFS_OVERLAY_FILLED,
	PREFS_OVERLAY_OUTLINE,
	PREFS_OVERLAY_OFF,
};

/* One line of [keys]. Only the shape is checked here; the UI knows the action names and the
 * key syntax, and reports the ones it cannot use (with the line). */
struct prefs_keybinding {
	char *action;            /* owned */
	char *key;               /* owned */
	int line;
};

struct prefs {
	enum prefs_display display;
	int colors;              /* -1 for auto, else an enum colour_mode (colour.h) */
	enum prefs_overlay overlay;
	int opacity;             /* percent, 0..100, of the filled overlay */
	unsigned long long max_pixels;    /* 0: the built-in limit */
	unsigned long long max_file_size; /* bytes; 0: the built-in limit */
	struct prefs_keybinding *keys;    /* owned; in file order, an action may appear twice */
	size_t nkeys;
	char *review_name;       /* owned; [review] name, the reviewer's name, or NULL */
	/* [assist] command: the model command (model.h), or NULL. Only from here or the command
	 * line, never from a data set's pxlabel.ini: opening a folder must not run its code. */
	char *assist_command;    /* owned */
	double assist_timeout;   /* [assist] timeout, seconds; 0: MODEL_TIMEOUT_DEFAULT */
	char *path;              /* owned; the file read, NULL when there was none */
	char **warnings;         /* owned; "FILE:LINE: ..." lines for the user to see */
	size_t nwarnings;
};

/* Where the user's config.ini is: $XDG_CONFIG_HOME/pxlabel/config.ini, or
 * $HOME/.config/pxlabel/config.ini when XDG_CONFIG_HOME is unset, empty or relative. A new string
 * for the caller, or NULL when neither variable helps. */
char *prefs_path(void) __attribute__((warn_unused_result));
/* Reads the user's config.ini; a missing file (or no HOME) gives the defaults, path NULL. */
int prefs_load(struct prefs *out, char **cause) __attribute__((nonnull(1), warn_unused_result));
/* On failure *out holds nothing (prefs_free on it is harmless). */
int prefs_parse_file(const char *path, struct prefs *out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
int prefs_parse_mem(const char *name, const char *text, size_t len, struct prefs *out,
    char **cause) __attribute__((nonnull(1, 4), warn_unused_result));
/* display auto, colors auto, overlay filled, opacity 50, built-in limits, no keys. */
void prefs_defaults(struct prefs *out) __attribute__((nonnull));
void prefs_free(struct prefs *u);

#endif
