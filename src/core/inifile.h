/* inifile.h: the INI driver both of pxlabel's INI files are read with (dataset.h: pxlabel.ini,
 * prefs.h: config.ini), over inih. It reads the file (bounded, regular files only), hands inih
 * one whole line at a time so that every message has the right line number, and collects the
 * first error and the warnings, each "FILE:LINE: ...". What a section or a pair means is the
 * caller's: it gives two callbacks. */
#ifndef PXL_INIFILE_H
#define PXL_INIFILE_H

#include <stddef.h>

#define INIFILE_MAX_SIZE (1024 * 1024) /* bytes; larger files are refused unread */
#define INIFILE_MAX_LINE 198           /* bytes per line, the newline not counted */
#define INIFILE_MAX_WARNINGS 50        /* kept; one more line then says how many were left out */

/* One parse of one file. The callbacks read line (the line being handled) and ctx; the rest
 * belongs to the driver. */
struct inifile {
	const char *path;     /* borrowed: names the file in messages */
	const char *text;     /* borrowed */
	size_t len, pos;
	int line;             /* of the line last handed to inih, so of the pair being handled */
	int stop;             /* after the first error: hand inih no more lines */
	char *cause;
	int cause_line;
	char **warnings;
	size_t nwarnings, nwarn_total;
	/* Each returns 0, or -1 after inifile_fail. */
	int (*on_section)(struct inifile *f, const char *section);
	int (*on_pair)(struct inifile *f, const char *name, const char *value);
	void *ctx;
};

/* Reads a whole configuration file (at most INIFILE_MAX_SIZE bytes, NUL-terminated). A file
 * that does not exist sets *missing (when missing is not NULL) and returns 0 with *text NULL. */
int inifile_read(const char *path, char **text, size_t *len, int *missing, char **cause)
    __attribute__((nonnull(1, 2, 3), warn_unused_result));

void inifile_init(struct inifile *f, const char *path, const char *text, size_t len,
    int (*on_section)(struct inifile *, const char *),
    int (*on_pair)(struct inifile *, const char *, const char *), void *ctx)
    __attribute__((nonnull(1, 2, 5, 6)));
/* Runs the callbacks over the text. Returns 0, or -1 with the first error of the file (in file
 * order, whether inih or a callback found it) in f->cause. */
int inifile_parse(struct inifile *f) __attribute__((nonnull));
/* The first error wins; the parse stops there. line 0: the file as a whole. Returns -1. */
int inifile_fail(struct inifile *f, int line, const char *fmt, ...)
    __attribute__((nonnull(1, 3), format(printf, 3, 4)));
/* A warning at line; past INIFILE_MAX_WARNINGS only counted. */
void inifile_warn(struct inifile *f, int line, const char *fmt, ...)
    __attribute__((nonnull(1, 3), format(printf, 3, 4)));
/* Settings may be given once: *line is 0 until the first, then a second is an error naming
 * both lines ("SECTION NAME is given twice (first on line N)"). */
int inifile_set_once(struct inifile *f, int *line, const char *section, const char *name)
    __attribute__((nonnull));
/* Moves the warnings out (the caller owns them), with a last line saying how many were left
 * out. */
void inifile_take_warnings(struct inifile *f, char ***warnings, size_t *nwarnings)
    __attribute__((nonnull));
void inifile_free(struct inifile *f);

/* A whole number of decimal digits only (no sign, no spaces) from lo to hi; -1 when s is not. */
int inifile_number(const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out) __attribute__((nonnull));
/* Frees n strings and the array (a list of warnings). */
void inifile_strings_free(char **v, size_t n);

#endif
