/* xalloc.h: allocation that cannot return NULL.
 * Out of memory is not recoverable in an interactive tool, but the terminal must be restored
 * first: the UI registers a hook that runs before the process exits. */
#ifndef PXL_XALLOC_H
#define PXL_XALLOC_H

#include <stddef.h>

/* Runs once, before exit(1), when an allocation fails. */
void xalloc_set_oom_hook(void (*hook)(void));

void *xmalloc(size_t n) __attribute__((malloc, warn_unused_result));
void *xcalloc(size_t nmemb, size_t size) __attribute__((malloc, warn_unused_result));
/* nmemb * size, checked for overflow. */
void *xreallocarray(void *p, size_t nmemb, size_t size) __attribute__((warn_unused_result));
char *xstrdup(const char *s) __attribute__((malloc, nonnull, warn_unused_result));
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2), warn_unused_result));

#endif
