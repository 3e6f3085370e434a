/* cfg.h: the two INI files pxlabel reads. pxlabel.ini, found in the image's folder or a folder
 * above it, belongs to the data set (its classes and file names) and is shared by everyone who
 * labels it; $XDG_CONFIG_HOME/pxlabel/config.ini belongs to one person (display, limits, keys).
 * Errors name the file and the line ("data/pxlabel.ini:12: class "car": ..."); keys and sections
 * this version does not know are warnings, so files written for a newer pxlabel still open.
 * The format is described in doc/config.md. */
#ifndef PXL_CFG_H
#define PXL_CFG_H

#include <stddef.h>

#include "pngio.h"

#define CFG_MAX_FILE_SIZE (1024 * 1024) /* bytes; larger files are refused unread */
#define CFG_MAX_LINE 198                /* bytes per line, the newline not counted */
#define CFG_MAX_CLASSES 255             /* the ids 1..255 of an 8-bit labels mask */
#define CFG_MAX_NAME 64                 /* bytes in a class name */
#define CFG_MAX_KEYSPEC 32              /* bytes in a [keys] action or key */
#define CFG_MAX_WARNINGS 50             /* kept; one more line then says how many were left out */

struct cfg_class {
	int id;                  /* 1..255: the value of its pixels in the labels mask */
	char *name;              /* owned; UTF-8, no control characters, 1..CFG_MAX_NAME bytes */
	struct pngio_rgb colour;
	int key;                 /* a printable ASCII character ('!'..'~'), 0 when none */
	int parent_id;           /* 0 when none */
	int line;                /* of its [class NAME] line; 0 for the built-in classes */
};

struct cfg_dataset {
	char *path;              /* owned; the pxlabel.ini used, NULL for the built-in defaults */
	struct cfg_class *classes; /* owned; sorted by id */
	size_t nclasses;         /* at least 1 */
	char *sidecar_suffix;    /* owned; ".pxl.json": cat.jpg -> cat.pxl.json */
	char *labels_suffix;     /* owned; ".labels.png" */
	char *instances_suffix;  /* owned; ".instances.png" */
	char **warnings;         /* owned; "FILE:LINE: ..." lines for the user to see */
	size_t nwarnings;
};

/* Looks for pxlabel.ini in the folder of an image (or in a folder), then in each folder above it,
 * up to /. Returns 0 with *ini_path_out (an absolute path the caller frees) set to the first one
 * found, 1 when there is none (*ini_path_out NULL), -1 on an error. */
int cfg_dataset_find(const char *image_path_or_dir, char **ini_path_out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* cfg_dataset_find, then cfg_dataset_parse_file on what it found, or the built-in defaults
 * when it found nothing. */
int cfg_dataset_load(const char *image_path_or_dir, struct cfg_dataset *out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* Reads one pxlabel.ini. A file with no [class] sections gets the built-in classes. On failure
 * *out holds nothing (cfg_dataset_free on it is harmless) and *cause reads "FILE:LINE: ...". */
int cfg_dataset_parse_file(const char *ini_path, struct cfg_dataset *out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
/* The same from memory; name stands for the file in messages and in out->path. The text may
 * hold anything (NUL bytes are an error, not the end). */
int cfg_dataset_parse_mem(const char *name, const char *text, size_t len,
    struct cfg_dataset *out, char **cause) __attribute__((nonnull(1, 4), warn_unused_result));
/* The built-in data set: 1 background (key b), 2 object (key o), the default suffixes. */
void cfg_dataset_defaults(struct cfg_dataset *out) __attribute__((nonnull));
void cfg_dataset_free(struct cfg_dataset *ds);

/* Borrowed pointers into ds, NULL when there is no such class. */
const struct cfg_class *cfg_class_by_id(const struct cfg_dataset *ds, int id)
    __attribute__((nonnull));
const struct cfg_class *cfg_class_by_name(const struct cfg_dataset *ds, const char *name)
    __attribute__((nonnull));
const struct cfg_class *cfg_class_by_key(const struct cfg_dataset *ds, int key)
    __attribute__((nonnull));

/* The colour a class id gets when pxlabel.ini gives none (also for ids a sidecar uses that the
 * data set does not define): a fixed 20-colour palette, indexed by id so it never shifts. */
struct pngio_rgb cfg_default_colour(int id);

enum cfg_display {
	CFG_DISPLAY_AUTO,
	CFG_DISPLAY_SIXEL,
	CFG_DISPLAY_BLOCKS,
};

enum cfg_overlay {
	CFG_OVERLAY_FILLED,
	CFG_OVERLAY_OUTLINE,
	CFG_OVERLAY_OFF,
};

/* One line of [keys]. Only the shape is checked here; the UI knows the action names and the
 * key syntax, and reports the ones it cannot use (with the line). */
struct cfg_keybinding {
	char *action;            /* owned */
	char *key;               /* owned */
	int line;
};

struct cfg_user {
	enum cfg_display display;
	int colors;              /* -1 for auto, else an enum colour_mode (colour.h) */
	enum cfg_overlay overlay;
	int opacity;             /* percent, 0..100, of the filled overlay */
	unsigned long long max_pixels;    /* 0: the built-in limit */
	unsigned long long max_file_size; /* bytes; 0: the built-in limit */
	struct cfg_keybinding *keys;      /* owned; in file order, an action may appear twice */
	size_t nkeys;
	char *path;              /* owned; the file read, NULL when there was none */
	char **warnings;         /* owned, as in cfg_dataset */
	size_t nwarnings;
};

/* Where the user's config.ini is: $XDG_CONFIG_HOME/pxlabel/config.ini, or
 * $HOME/.config/pxlabel/config.ini when XDG_CONFIG_HOME is unset, empty or relative. A new string
 * for the caller, or NULL when neither variable helps. */
char *cfg_user_path(void) __attribute__((warn_unused_result));
/* Reads the user's config.ini; a missing file (or no HOME) gives the defaults, path NULL. */
int cfg_user_load(struct cfg_user *out, char **cause) __attribute__((nonnull(1), warn_unused_result));
/* On failure *out holds nothing (cfg_user_free on it is harmless). */
int cfg_user_parse_file(const char *path, struct cfg_user *out, char **cause)
    __attribute__((nonnull(1, 2), warn_unused_result));
int cfg_user_parse_mem(const char *name, const char *text, size_t len, struct cfg_user *out,
    char **cause) __attribute__((nonnull(1, 4), warn_unused_result));
/* display auto, colors auto, overlay filled, opacity 50, built-in limits, no keys. */
void cfg_user_defaults(struct cfg_user *out) __attribute__((nonnull));
void cfg_user_free(struct cfg_user *u);

#endif
