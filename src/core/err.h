/* err.h: the error convention of the core.
 * A function that can fail returns -1 (or NULL) and, when cause is not NULL, stores in *cause a
 * malloc'd one-line message that the caller frees. The message names the file when there is one.
 * A cause is always safe to print: err_set passes it through text_message (text.h), so a file
 * name or anything else repeated in it shows a control character as \xNN, never raw. Values
 * from a file are quoted with text_quote besides, so that where they end is clear. */
#ifndef PXL_ERR_H
#define PXL_ERR_H

/* Sets *cause (if cause is not NULL and *cause is still NULL, so the first, most specific
 * message wins) and returns -1, for `return err_set(cause, ...)`. */
int err_set(char **cause, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
