/* text.h: text from outside on its way to a terminal. Class names, labels, JSON keys, lock file
 * contents and file names come from files anyone can write; printed raw, an ESC or a C1 control
 * in them would be obeyed by the terminal (set its title, move the cursor, answer queries).
 * Everything such text passes through on its way to a message goes through text_vis, the one
 * quoting function: printable UTF-8 is kept, anything else becomes a visible \xNN escape.
 * Also here: the checks a name must pass to be stored at all (pxlabel.ini, config.ini). */
#ifndef PXL_TEXT_H
#define PXL_TEXT_H

#include <stddef.h>

/* The bytes text_vis may write for max bytes of input: each byte as \xNN, two quotes, "...",
 * the NUL. */
#define TEXT_VIS_SIZE(max) (4 * (size_t)(max) + 6)
/* Bytes of a value repeated in a message by text_quote: a class name (at most 64 bytes) is
 * never cut. */
#define TEXT_QUOTE_MAX 64
#define TEXT_QUOTE_BUF TEXT_VIS_SIZE(TEXT_QUOTE_MAX)
/* Bytes of a whole message text_message keeps: far more than any message pxlabel makes, so
 * only a message repeating something huge is cut. */
#define TEXT_MESSAGE_MAX 16384
#define TEXT_PROBLEM_BUF 48

enum text_vis_flags {
	/* A value inside a message: in double quotes, with '"' and '\' escaped too, so that where
	 * it ends is never in doubt. Without it, '"' and '\' stay as they are: the form for a
	 * whole message, and passing a message through again changes nothing. */
	TEXT_VIS_QUOTE = 1,
};

/* Writes s into dst, which holds TEXT_VIS_SIZE(max) bytes, with every control character (C0,
 * DEL, C1, line separators, bidirectional overrides and isolates), every byte that is not part
 * of valid UTF-8, as \xNN, one escape per byte; printable UTF-8 is kept as it is. At most max
 * bytes of s are used, never half a character, and "..." marks a cut. Returns dst. */
char *text_vis(char *dst, const char *s, size_t max, int flags) __attribute__((nonnull));

/* s as a value in a message: text_vis with TEXT_VIS_QUOTE, at most TEXT_QUOTE_MAX bytes of it.
 * Returns buf, for use as a printf argument. */
const char *text_quote(char buf[TEXT_QUOTE_BUF], const char *s) __attribute__((nonnull));

/* A whole message (or line of output) made safe for a terminal: text_vis without quotes, at most
 * TEXT_MESSAGE_MAX bytes of it. The sinks that print messages (the CLI's, the annotator's
 * status line) pass everything through it, so that a message that forgot to quote what it
 * repeats still reaches the terminal harmless. A new string; NULL gives NULL. */
char *text_message(const char *msg) __attribute__((warn_unused_result));

/* xasprintf, then text_message: for messages and warnings built outside err_set. */
char *text_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2), warn_unused_result));

/* What keeps s from being a name of 1 to max bytes of printable UTF-8 ("is empty", "has a
 * control character", ...), or NULL when nothing does. buf holds the words when they need a
 * number. */
const char *text_problem(const char *s, size_t max, char buf[TEXT_PROBLEM_BUF])
    __attribute__((nonnull));

#endif
