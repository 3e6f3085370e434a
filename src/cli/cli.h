/* cli.h: the subcommands. Each takes the arguments after its name (argv[0] is the subcommand)
 * and returns the process exit status: 0 success, 1 error, 2 usage. */
#ifndef PXL_CLI_H
#define PXL_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "img.h"

#define EXIT_USAGE 2

int cmd_render(int argc, char **argv);
int cmd_mask(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_annotate(int argc, char **argv);
int cmd_review(int argc, char **argv);
int cmd_assign(int argc, char **argv);
int cmd_agree(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_merge(int argc, char **argv);
/* The format names of import and export, as "a|b|c" for usage lines; new strings. */
char *cmd_import_formats(void);
char *cmd_export_formats(void);

/* Expands IMAGE|DIR arguments into a list of images (paths_collect); prints the error. */
int cli_collect(char *const *args, size_t nargs, char ***images, size_t *n);
/* For the commands that write many files: SIGINT, SIGTERM and SIGHUP remove the temporaries
 * of the files being written, then end the process by the same signal. The annotator has its
 * own handling (it saves the work first) and must not call this. */
void cli_remove_temporaries_on_signals(void);
struct item;
/* When the image's masks lag its outlines (item_masks_stale): a warning naming the mask, or
 * with count (else NULL) only a count, for one line at the end. */
void cli_note_stale_masks(const struct item *it, size_t *count);
/* A progress bar on stderr when it is a terminal; done == total clears it. */
void cli_progress(size_t done, size_t total, const char *name);

/* Shared option handling: --max-pixels and --max-file-size set image limits. Returns 1 when
 * opt was one of them (and stores into lim), 0 when not, -1 on a bad value (message printed). */
int cli_limit_option(const char *opt, const char *val, struct img_limits *lim);
/* "WxH" (or "COLSxROWS"), each from min to max, into *w and *h; -1 when it is not. */
int cli_parse_wxh(const char *s, int *w, int *h, long min, long max);
/* --line-width PX (LabelMe's lines, out and in) into *w, in 1/RASTER_ONE pixel; -1 when it is
 * no width (message printed: a usage error). */
int cli_line_width(const char *arg, int32_t *w);
/* The terminal options render and the annotator share, by getopt letter: 'C' --cell WxH,
 * 'T' --query-timeout MS, 'c' --colors MODE. Returns 1 when c was one of them (value stored),
 * 0 when not, -1 on a bad value (message printed: a usage error). */
int cli_term_option(int c, const char *arg, int *cell_w, int *cell_h, int *timeout_ms, int *colours);
/* The sinks: every message the program prints goes through them, and they pass it through
 * text_message (text.h), so that text from files and file names never reaches the terminal
 * raw. */
struct sbuf;
/* On the calling thread, what would go to stderr is added to b instead (NULL: stderr again):
 * a batch worker's messages, said in input order when its input is folded. */
void cli_hold_stderr(struct sbuf *b);
/* Prints "pxlabel: msg" to stderr and frees msg. */
void cli_error(char *msg);
/* Prints "pxlabel: warning: msg" to stderr and frees msg; nothing when msg is NULL. */
void cli_warn(char *msg);
__attribute__((format(printf, 1, 2))) void cli_errorf(const char *fmt, ...);
/* Prints fmt as one line to fp (the newline is added), for output that repeats names. */
__attribute__((format(printf, 2, 3))) void cli_line(FILE *fp, const char *fmt, ...);

#endif
