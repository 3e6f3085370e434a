/* err.c: one-line error messages for the caller. */
#include "config.h"

#include "err.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "text.h"
#include "xalloc.h"

int err_set(char **cause, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	if (!cause || *cause)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	/* Causes repeat file names and what files say, and end up on a terminal. */
	*cause = text_message(s);
	free(s);
	return -1;
}
