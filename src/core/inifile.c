/* inifile.c: the INI driver over inih for pxlabel.ini and config.ini.
 *
 * inih is fed by our own line reader rather than ini_parse(), because the library as Debian
 * builds it has no line numbers in its handler, cuts lines longer than its 200-byte buffer into
 * pieces it then parses as lines of their own, and cuts section names at 49 bytes. The reader
 * hands inih exactly one whole line per call, so its line count is ours; it refuses what inih
 * would misread (over-long lines, NUL bytes) and keeps the whole name of the current section. */
#include "config.h"

#include "inifile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "text.h"
#include "xalloc.h"

int inifile_number(const char *s, unsigned long long lo, unsigned long long hi,
    unsigned long long *out)
{
	unsigned long long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		if (v > (hi - (unsigned)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (v < lo)
		return -1;
	*out = v;
	return 0;
}

/* --- reading a file and feeding it to inih --------------------------------------------- */

int inifile_read(const char *path, char **text, size_t *len, int *missing, char **cause)
{
	struct stat st;
	char *buf = NULL;
	size_t n = 0;
	ssize_t got;
	int fd, ok = 0;

	*text = NULL;
	*len = 0;
	/* O_NONBLOCK: a FIFO planted under the name must not hang the program; it is refused below. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (missing && (errno == ENOENT || errno == ENOTDIR)) {
			*missing = 1;
			return 0;
		}
		return err_set(cause, "%s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		err_set(cause, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		err_set(cause, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size > INIFILE_MAX_SIZE) {
		err_set(cause, "%s: %lld bytes, too large for a configuration file (the limit is 1 MiB)",
		    path, (long long)st.st_size);
		goto out;
	}
	/* The size from fstat may be stale (a file being written): read up to one byte past the
	 * limit to notice. */
	buf = xmalloc(INIFILE_MAX_SIZE + 2);
	while (n <= INIFILE_MAX_SIZE) {
		got = read(fd, buf + n, INIFILE_MAX_SIZE + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			err_set(cause, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > INIFILE_MAX_SIZE) {
		err_set(cause, "%s: too large for a configuration file (the limit is 1 MiB)", path);
		goto out;
	}
	buf[n] = '\0';
	ok = 1;
out:
	close(fd);
	if (!ok) {
		free(buf);
		return -1;
	}
	*text = buf;
	*len = n;
	return 0;
}

__attribute__((format(printf, 1, 0)))
static char *vformat(const char *fmt, va_list ap)
{
	va_list ap2;
	char *s;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

int inifile_fail(struct inifile *f, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	f->stop = 1;
	if (f->cause)
		return -1;
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (line > 0)
		err_set(&f->cause, "%s:%d: %s", f->path, line, msg);
	else
		err_set(&f->cause, "%s: %s", f->path, msg);
	f->cause_line = line;
	free(msg);
	return -1;
}

void inifile_warn(struct inifile *f, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	/* A file of a million unknown keys must not become a million lines on the screen. */
	if (f->nwarn_total++ >= INIFILE_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	f->warnings = xreallocarray(f->warnings, f->nwarnings + 1, sizeof(*f->warnings));
	/* The message quotes what it repeats; the file's name is made visible here. */
	f->warnings[f->nwarnings++] = text_printf("%s:%d: %s", f->path, line, msg);
	free(msg);
}

/* The section name on a header line as inih reads it (up to the first ']', unless an inline
 * comment starts first), trimmed; NULL when inih will take the line for a syntax error. */
static char *section_name(const char *line)
{
	const char *p = line + 1, *end;
	int was_space = 0;
	char *s;

	while (*p && *p != ']' && !(was_space && *p == ';')) {
		was_space = isspace((unsigned char)*p);
		p++;
	}
	if (*p != ']')
		return NULL;
	end = p;
	p = line + 1;
	while (p < end && isspace((unsigned char)*p))
		p++;
	while (end > p && isspace((unsigned char)end[-1]))
		end--;
	s = xmalloc((size_t)(end - p) + 1);
	memcpy(s, p, (size_t)(end - p));
	s[end - p] = '\0';
	return s;
}

/* The ini_reader: one whole line per call, without its indentation. Dropping the indentation
 * also turns off inih's multi-line values, which would otherwise read an indented "color = ..."
 * after "id = 3" as more of the id. */
static char *read_line(char *str, int num, void *stream)
{
	struct inifile *f = stream;
	const char *start, *nl, *end, *p;
	size_t n, limit;
	char *section;

	if (f->stop || f->pos >= f->len)
		return NULL;
	start = f->text + f->pos;
	nl = memchr(start, '\n', f->len - f->pos);
	end = nl ? nl + 1 : f->text + f->len;
	f->pos = (size_t)(end - f->text);
	f->line++;
	if (memchr(start, '\0', (size_t)(end - start))) {
		inifile_fail(f, f->line, "a NUL byte: this is not a text file");
		return NULL;
	}
	n = (size_t)(end - start) - (nl ? 1 : 0);
	/* The limit is ours, the same whatever buffer this build of inih offers, so that a file
	 * that opens here opens everywhere; a smaller buffer would lower it. */
	limit = num > 2 ? (size_t)num - 2 : 0;
	if (limit > INIFILE_MAX_LINE)
		limit = INIFILE_MAX_LINE;
	if (n > limit || num < 3) {
		inifile_fail(f, f->line, "line longer than %zu bytes", limit);
		return NULL;
	}
	p = start;
	if (f->line == 1 && n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && *p != '\n' && isspace((unsigned char)*p))
		p++;
	memcpy(str, p, (size_t)(end - p));
	str[end - p] = '\0';
	if (str[0] == '[' && (section = section_name(str))) {
		f->on_section(f, section);
		free(section);
		if (f->stop)
			return NULL;
	}
	return str;
}

/* The ini_handler. inih's own section argument is ignored: it may be cut short. */
static int handle_pair(void *user, const char *section, const char *name, const char *value)
{
	struct inifile *f = user;

	(void)section;
	if (f->stop)
		return 0;
	return f->on_pair(f, name, value) == 0;
}

void inifile_init(struct inifile *f, const char *path, const char *text, size_t len,
    int (*on_section)(struct inifile *, const char *),
    int (*on_pair)(struct inifile *, const char *, const char *), void *ctx)
{
	memset(f, 0, sizeof(*f));
	f->path = path;
	f->text = text;
	f->len = len;
	f->on_section = on_section;
	f->on_pair = on_pair;
	f->ctx = ctx;
}

/* Explains the line inih rejected (the reader only hands it lines without NULs). */
static void syntax_error(struct inifile *f, int line)
{
	const char *p = f->text, *end = f->text + f->len;
	int i;

	for (i = 1; i < line && p < end; i++) {
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	if (line == 1 && f->len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '[')
		inifile_fail(f, line, "a section line needs a closing ']' (before any ' ;' comment)");
	else
		inifile_fail(f, line, "expected a [section] or a NAME = VALUE line");
}

int inifile_parse(struct inifile *f)
{
	int rc;

	if (f->len > INIFILE_MAX_SIZE)
		return inifile_fail(f, 0, "too large for a configuration file (the limit is 1 MiB)");
	rc = ini_parse_stream(read_line, f, handle_pair, f);
	if (rc == -2)
		return inifile_fail(f, 0, "out of memory");
	/* inih goes on after a syntax error, so an error of ours may come from a later line:
	 * report whichever comes first in the file. */
	if (rc > 0 && (!f->cause || rc < f->cause_line)) {
		free(f->cause);
		f->cause = NULL;
		syntax_error(f, rc);
	}
	return f->cause ? -1 : 0;
}

void inifile_take_warnings(struct inifile *f, char ***warnings, size_t *nwarnings)
{
	if (f->nwarn_total > f->nwarnings) {
		f->warnings = xreallocarray(f->warnings, f->nwarnings + 1, sizeof(*f->warnings));
		f->warnings[f->nwarnings++] = text_printf("%s: %zu more warnings not shown", f->path,
		    f->nwarn_total - INIFILE_MAX_WARNINGS);
	}
	*warnings = f->warnings;
	*nwarnings = f->nwarnings;
	f->warnings = NULL;
	f->nwarnings = 0;
}

void inifile_strings_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void inifile_free(struct inifile *f)
{
	inifile_strings_free(f->warnings, f->nwarnings);
	free(f->cause);
}

/* A second line would silently win, and the first is usually the one the user is looking at. */
int inifile_set_once(struct inifile *f, int *line, const char *section, const char *name)
{
	if (*line)
		return inifile_fail(f, f->line, "%s %s is given twice (first on line %d)", section, name,
		    *line);
	*line = f->line;
	return 0;
}
