/* cfg.c: pxlabel.ini (the data set's classes and file names) and the user's config.ini, read
 * through inih.
 *
 * inih is fed by our own line reader rather than ini_parse(), because the library as Debian
 * builds it has no line numbers in its handler, cuts lines longer than its 200-byte buffer into
 * pieces it then parses as lines of their own, and cuts section names at 49 bytes. The reader
 * hands inih exactly one whole line per call, so its line count is ours; it refuses what inih
 * would misread (over-long lines, NUL bytes) and keeps the whole name of the current section. */
#include "config.h"

#include "cfg.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "colour.h"
#include "err.h"
#include "xalloc.h"

#define QUOTE_MAX 40   /* bytes of a user's value repeated in a message */
#define QUOTE_BUF 200  /* QUOTE_MAX bytes, each possibly \xNN, the quotes and "..." */
#define MAX_SUFFIX 64
#define MAX_LIMIT (1ULL << 40)
#define USER_DEFAULT_OPACITY 50

/* Sasha Trubetskoy's "20 simple, distinct colours", in his order, so ids 1, 2, 3... get colours
 * far apart. */
static const struct pngio_rgb palette[20] = {
	{ 0xe6, 0x19, 0x4b }, { 0x3c, 0xb4, 0x4b }, { 0xff, 0xe1, 0x19 }, { 0x43, 0x63, 0xd8 },
	{ 0xf5, 0x82, 0x31 }, { 0x91, 0x1e, 0xb4 }, { 0x46, 0xf0, 0xf0 }, { 0xf0, 0x32, 0xe6 },
	{ 0xbc, 0xf6, 0x0c }, { 0xfa, 0xbe, 0xbe }, { 0x00, 0x80, 0x80 }, { 0xe6, 0xbe, 0xff },
	{ 0x9a, 0x63, 0x24 }, { 0xff, 0xfa, 0xc8 }, { 0x80, 0x00, 0x00 }, { 0xaa, 0xff, 0xc3 },
	{ 0x80, 0x80, 0x00 }, { 0xff, 0xd8, 0xb1 }, { 0x00, 0x00, 0x75 }, { 0x80, 0x80, 0x80 },
};

enum { SUFFIX_SIDECAR, SUFFIX_LABELS, SUFFIX_INSTANCES, NSUFFIX };
static const char *const suffix_keys[NSUFFIX] = {
	"sidecar_suffix", "labels_suffix", "instances_suffix",
};
static const char *const suffix_defaults[NSUFFIX] = {
	".pxl.json", ".labels.png", ".instances.png",
};

struct pngio_rgb cfg_default_colour(int id)
{
	if (id < 1)
		return palette[0];
	return palette[(id - 1) % 20];
}

/* --- text checks ----------------------------------------------------------------------- */

/* The length of the UTF-8 sequence at s (n bytes left) with its code point in *cp, or 0 when
 * it is not UTF-8 (overlong forms and surrogates included). */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xc2)
		return 0;
	if (s[0] < 0xe0) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] < 0xf0) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] < 0xf5) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Names end up on the terminal (panels, help, messages): besides C0, DEL and C1, the line
 * separators and bidirectional overrides would let a name rearrange what is shown around it. */
static int is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c < 0xa0) || c == 0x2028 || c == 0x2029 ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* What is wrong with s as a name of at most max bytes, or NULL when nothing is; buf holds the
 * words when they need a number. */
static const char *text_problem(const char *s, size_t max, char buf[48])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	uint32_t c;

	if (n == 0)
		return "is empty";
	if (n > max) {
		snprintf(buf, 48, "is longer than %zu bytes", max);
		return buf;
	}
	while (n > 0) {
		len = utf8_decode(p, n, &c);
		if (len == 0)
			return "is not UTF-8 text";
		if (is_control(c))
			return "has a control character";
		p += len;
		n -= len;
	}
	return NULL;
}

/* s in double quotes, cut after QUOTE_MAX bytes, with anything that is not printable UTF-8
 * written as \xNN: messages repeat what the file says, and must not carry escape sequences
 * from a hostile file to the terminal. Returns buf. */
static const char *quote(char buf[QUOTE_BUF], const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0, len, used = 0, i;
	uint32_t c;

	buf[o++] = '"';
	while (n > 0 && used < QUOTE_MAX) {
		len = utf8_decode(p, n, &c);
		if (len == 0 || is_control(c)) {
			len = len ? len : 1;
			for (i = 0; i < len; i++)
				o += (size_t)snprintf(buf + o, QUOTE_BUF - o, "\\x%02x", p[i]);
		} else if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else {
			memcpy(buf + o, p, len);
			o += len;
		}
		p += len;
		n -= len;
		used += len;
	}
	if (n > 0) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* A whole number of decimal digits only (no sign, no spaces) from lo to hi. */
static int parse_number(const char *s, unsigned long long lo, unsigned long long hi,
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

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int parse_colour(const char *s, struct pngio_rgb *out)
{
	int d[6], i;

	if (s[0] != '#' || strlen(s) != 7)
		return -1;
	for (i = 0; i < 6; i++)
		if ((d[i] = hex_digit((unsigned char)s[i + 1])) < 0)
			return -1;
	out->r = (uint8_t)(d[0] << 4 | d[1]);
	out->g = (uint8_t)(d[2] << 4 | d[3]);
	out->b = (uint8_t)(d[4] << 4 | d[5]);
	return 0;
}

/* --- reading a file and feeding it to inih --------------------------------------------- */

/* Reads a whole configuration file. A file that does not exist sets *missing (when missing is
 * not NULL) and returns 0 with *text NULL. */
static int read_text(const char *path, char **text, size_t *len, int *missing, char **cause)
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
	if (st.st_size > CFG_MAX_FILE_SIZE) {
		err_set(cause, "%s: %lld bytes, too large for a configuration file (the limit is 1 MiB)",
		    path, (long long)st.st_size);
		goto out;
	}
	/* The size from fstat may be stale (a file being written): read up to one byte past the
	 * limit to notice. */
	buf = xmalloc(CFG_MAX_FILE_SIZE + 2);
	while (n <= CFG_MAX_FILE_SIZE) {
		got = read(fd, buf + n, CFG_MAX_FILE_SIZE + 1 - n);
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
	if (n > CFG_MAX_FILE_SIZE) {
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

/* One parse of one file: the reader's position and what both kinds of file need to report. */
struct run {
	const char *path;
	const char *text;
	size_t len, pos;
	int line;             /* of the line last handed to inih, so of the pair being handled */
	int stop;             /* after the first error: hand inih no more lines */
	char *cause;
	int cause_line;
	char **warnings;
	size_t nwarnings, nwarn_total;
	int (*on_section)(struct run *r, const char *section);
	int (*on_pair)(struct run *r, const char *name, const char *value);
	void *ctx;
};

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

/* The first error wins; the parse stops there. line 0: the file as a whole. Returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail_at(struct run *r, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	r->stop = 1;
	if (r->cause)
		return -1;
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	if (line > 0)
		err_set(&r->cause, "%s:%d: %s", r->path, line, msg);
	else
		err_set(&r->cause, "%s: %s", r->path, msg);
	r->cause_line = line;
	free(msg);
	return -1;
}

__attribute__((format(printf, 3, 4)))
static void warn_at(struct run *r, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	/* A file of a million unknown keys must not become a million lines on the screen. */
	if (r->nwarn_total++ >= CFG_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	msg = vformat(fmt, ap);
	va_end(ap);
	r->warnings = xreallocarray(r->warnings, r->nwarnings + 1, sizeof(*r->warnings));
	r->warnings[r->nwarnings++] = xasprintf("%s:%d: %s", r->path, line, msg);
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
	struct run *r = stream;
	const char *start, *nl, *end, *p;
	size_t n, limit;
	char *section;

	if (r->stop || r->pos >= r->len)
		return NULL;
	start = r->text + r->pos;
	nl = memchr(start, '\n', r->len - r->pos);
	end = nl ? nl + 1 : r->text + r->len;
	r->pos = (size_t)(end - r->text);
	r->line++;
	if (memchr(start, '\0', (size_t)(end - start))) {
		fail_at(r, r->line, "a NUL byte: this is not a text file");
		return NULL;
	}
	n = (size_t)(end - start) - (nl ? 1 : 0);
	/* The limit is ours, the same whatever buffer this build of inih offers, so that a file
	 * that opens here opens everywhere; a smaller buffer would lower it. */
	limit = num > 2 ? (size_t)num - 2 : 0;
	if (limit > CFG_MAX_LINE)
		limit = CFG_MAX_LINE;
	if (n > limit || num < 3) {
		fail_at(r, r->line, "line longer than %zu bytes", limit);
		return NULL;
	}
	p = start;
	if (r->line == 1 && n >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && *p != '\n' && isspace((unsigned char)*p))
		p++;
	memcpy(str, p, (size_t)(end - p));
	str[end - p] = '\0';
	if (str[0] == '[' && (section = section_name(str))) {
		r->on_section(r, section);
		free(section);
		if (r->stop)
			return NULL;
	}
	return str;
}

/* The ini_handler. inih's own section argument is ignored: it may be cut short. */
static int handle_pair(void *user, const char *section, const char *name, const char *value)
{
	struct run *r = user;

	(void)section;
	if (r->stop)
		return 0;
	return r->on_pair(r, name, value) == 0;
}

static void run_init(struct run *r, const char *path, const char *text, size_t len,
    int (*on_section)(struct run *, const char *),
    int (*on_pair)(struct run *, const char *, const char *), void *ctx)
{
	memset(r, 0, sizeof(*r));
	r->path = path;
	r->text = text;
	r->len = len;
	r->on_section = on_section;
	r->on_pair = on_pair;
	r->ctx = ctx;
}

/* Explains the line inih rejected (the reader only hands it lines without NULs). */
static void syntax_error(struct run *r, int line)
{
	const char *p = r->text, *end = r->text + r->len;
	int i;

	for (i = 1; i < line && p < end; i++) {
		p = memchr(p, '\n', (size_t)(end - p));
		p = p ? p + 1 : end;
	}
	if (line == 1 && r->len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '[')
		fail_at(r, line, "a section line needs a closing ']' (before any ' ;' comment)");
	else
		fail_at(r, line, "expected a [section] or a NAME = VALUE line");
}

static int run_parse(struct run *r)
{
	int rc;

	rc = ini_parse_stream(read_line, r, handle_pair, r);
	if (rc == -2)
		return fail_at(r, 0, "out of memory");
	/* inih goes on after a syntax error, so an error of ours may come from a later line:
	 * report whichever comes first in the file. */
	if (rc > 0 && (!r->cause || rc < r->cause_line)) {
		free(r->cause);
		r->cause = NULL;
		syntax_error(r, rc);
	}
	return r->cause ? -1 : 0;
}

/* Moves the warnings into the result, with a last line saying how many were left out. */
static void run_take_warnings(struct run *r, char ***warnings, size_t *nwarnings)
{
	if (r->nwarn_total > r->nwarnings) {
		r->warnings = xreallocarray(r->warnings, r->nwarnings + 1, sizeof(*r->warnings));
		r->warnings[r->nwarnings++] = xasprintf("%s: %zu more warnings not shown", r->path,
		    r->nwarn_total - CFG_MAX_WARNINGS);
	}
	*warnings = r->warnings;
	*nwarnings = r->nwarnings;
	r->warnings = NULL;
	r->nwarnings = 0;
}

static void free_strings(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void run_free(struct run *r)
{
	free_strings(r->warnings, r->nwarnings);
	free(r->cause);
}

/* Settings may be given once: a second line would silently win, and the first is usually the
 * one the user is looking at. */
static int set_once(struct run *r, int *line, const char *section, const char *name)
{
	if (*line)
		return fail_at(r, r->line, "%s %s is given twice (first on line %d)", section, name,
		    *line);
	*line = r->line;
	return 0;
}

/* --- pxlabel.ini ------------------------------------------------------------------------ */

struct pclass {
	struct cfg_class c;
	char *parent_name;
	int id_line, colour_line, key_line, parent_line;
	size_t parent;        /* index, once resolved */
};

struct dsparse {
	enum { DS_NONE, DS_PXLABEL, DS_CLASS, DS_OTHER } sec;
	struct pclass *classes; /* CFG_MAX_CLASSES of them */
	size_t n;
	char *suffix[NSUFFIX];
	int suffix_line[NSUFFIX];
};

static int ds_section(struct run *r, const char *section)
{
	struct dsparse *d = r->ctx;
	struct pclass *pc;
	const char *name, *problem;
	char q[QUOTE_BUF], why[48];
	size_t i;

	if (!strcmp(section, "pxlabel")) {
		d->sec = DS_PXLABEL;
		return 0;
	}
	if (strncmp(section, "class", 5) || (section[5] && !isblank((unsigned char)section[5]))) {
		warn_at(r, r->line, "unknown section [%s] (ignored)", quote(q, section));
		d->sec = DS_OTHER;
		return 0;
	}
	name = section + 5;
	while (isblank((unsigned char)*name))
		name++;
	if (!*name)
		return fail_at(r, r->line, "a class needs a name: [class NAME]");
	if ((problem = text_problem(name, CFG_MAX_NAME, why)))
		return fail_at(r, r->line, "class name %s %s", quote(q, name), problem);
	for (i = 0; i < d->n; i++)
		if (!strcmp(d->classes[i].c.name, name))
			return fail_at(r, r->line, "class \"%s\" is defined twice (first on line %d)",
			    name, d->classes[i].c.line);
	if (d->n == CFG_MAX_CLASSES)
		return fail_at(r, r->line, "more than %d classes", CFG_MAX_CLASSES);
	pc = &d->classes[d->n++];
	pc->c.name = xstrdup(name);
	pc->c.line = r->line;
	d->sec = DS_CLASS;
	return 0;
}

static int ds_class_pair(struct run *r, struct pclass *pc, const char *name, const char *value)
{
	struct dsparse *d = r->ctx;
	const char *cname = pc->c.name;
	char q[QUOTE_BUF], prefix[CFG_MAX_NAME + 16];
	unsigned long long id;
	size_t i;

	snprintf(prefix, sizeof(prefix), "class \"%s\":", cname);
	if (!strcmp(name, "id")) {
		if (set_once(r, &pc->id_line, prefix, name) < 0)
			return -1;
		if (parse_number(value, 1, 255, &id) < 0)
			return fail_at(r, r->line, "%s id must be a whole number from 1 to 255, not %s",
			    prefix, quote(q, value));
		for (i = 0; i < d->n; i++)
			if (d->classes[i].c.id == (int)id)
				return fail_at(r, r->line, "%s id %llu is already class \"%s\" (line %d)",
				    prefix, id, d->classes[i].c.name, d->classes[i].c.line);
		pc->c.id = (int)id;
	} else if (!strcmp(name, "color") || !strcmp(name, "colour")) {
		if (set_once(r, &pc->colour_line, prefix, "color") < 0)
			return -1;
		if (parse_colour(value, &pc->c.colour) < 0)
			return fail_at(r, r->line, "%s %s must be #rrggbb, not %s", prefix, name,
			    quote(q, value));
	} else if (!strcmp(name, "key")) {
		if (set_once(r, &pc->key_line, prefix, name) < 0)
			return -1;
		if (strlen(value) != 1 || value[0] < '!' || value[0] > '~')
			return fail_at(r, r->line,
			    "%s key must be one printable ASCII character, not %s", prefix,
			    quote(q, value));
		for (i = 0; i < d->n; i++)
			if (d->classes[i].c.key == value[0])
				return fail_at(r, r->line,
				    "%s key '%c' is already the key of class \"%s\" (line %d)", prefix,
				    value[0], d->classes[i].c.name, d->classes[i].key_line);
		pc->c.key = value[0];
	} else if (!strcmp(name, "parent")) {
		if (set_once(r, &pc->parent_line, prefix, name) < 0)
			return -1;
		/* Whether it names a class is known only at the end: parents may come later. */
		pc->parent_name = xstrdup(value);
	} else {
		warn_at(r, r->line, "%s unknown key %s (ignored)", prefix, quote(q, name));
	}
	return 0;
}

static int is_image_extension(const char *s)
{
	static const char *const ext[] = { ".png", ".jpg", ".jpeg", ".jpe", ".jfif", ".tif", ".tiff" };
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (!strcasecmp(s, ext[i]))
			return 1;
	return 0;
}

static int ds_pair(struct run *r, const char *name, const char *value)
{
	struct dsparse *d = r->ctx;
	const char *problem;
	char q[QUOTE_BUF], qn[QUOTE_BUF], why[48];
	int i;

	switch (d->sec) {
	case DS_NONE:
		warn_at(r, r->line, "%s outside any section (ignored)", quote(q, name));
		return 0;
	case DS_OTHER:
		return 0; /* its section was warned about already */
	case DS_CLASS:
		return ds_class_pair(r, &d->classes[d->n - 1], name, value);
	case DS_PXLABEL:
		break;
	}
	for (i = 0; i < NSUFFIX; i++)
		if (!strcmp(name, suffix_keys[i]))
			break;
	if (i == NSUFFIX) {
		warn_at(r, r->line, "[pxlabel] unknown key %s (ignored)", quote(qn, name));
		return 0;
	}
	if (set_once(r, &d->suffix_line[i], "[pxlabel]", name) < 0)
		return -1;
	if (value[0] != '.' || !value[1])
		return fail_at(r, r->line, "[pxlabel] %s must start with '.' and name something, not %s",
		    name, quote(q, value));
	if (strchr(value, '/'))
		return fail_at(r, r->line, "[pxlabel] %s must not contain '/': %s", name,
		    quote(q, value));
	if ((problem = text_problem(value, MAX_SUFFIX, why)))
		return fail_at(r, r->line, "[pxlabel] %s %s %s", name, quote(q, value), problem);
	/* With ".png", the labels of cat.png would be written over cat.png itself. */
	if (is_image_extension(value))
		return fail_at(r, r->line,
		    "[pxlabel] %s %s is an image extension: outputs would overwrite images",
		    name, quote(q, value));
	d->suffix[i] = xstrdup(value);
	return 0;
}

static int ds_check_parents(struct run *r, struct dsparse *d)
{
	struct pclass *pc;
	char q[QUOTE_BUF], *chain, *longer;
	size_t i, j, k, steps;

	for (i = 0; i < d->n; i++) {
		pc = &d->classes[i];
		if (!pc->parent_name)
			continue;
		for (j = 0; j < d->n; j++)
			if (!strcmp(d->classes[j].c.name, pc->parent_name))
				break;
		if (j == d->n)
			return fail_at(r, pc->parent_line, "class \"%s\": parent %s is not a class",
			    pc->c.name, quote(q, pc->parent_name));
		pc->parent = j;
		pc->c.parent_id = d->classes[j].c.id;
	}
	/* A class is on a cycle when following parents from it comes back to it; the first such
	 * class in the file is reported, at its parent line. */
	for (i = 0; i < d->n; i++) {
		j = i;
		for (steps = 0; steps < d->n && d->classes[j].parent_name; steps++) {
			j = d->classes[j].parent;
			if (j == i)
				break;
		}
		if (j != i || steps == d->n || !d->classes[i].parent_name)
			continue;
		chain = xstrdup(d->classes[i].c.name);
		k = d->classes[i].parent;
		for (steps = 0;; steps++) {
			/* Long cycles are cut: the message stays one line. */
			if (steps == 8 && k != i) {
				longer = xasprintf("%s > ...", chain);
				free(chain);
				chain = longer;
				k = i;
			}
			longer = xasprintf("%s > %s", chain, d->classes[k].c.name);
			free(chain);
			chain = longer;
			if (k == i)
				break;
			k = d->classes[k].parent;
		}
		fail_at(r, d->classes[i].parent_line, "class \"%s\": parents go round in a cycle: %s",
		    d->classes[i].c.name, chain);
		free(chain);
		return -1;
	}
	return 0;
}

static int compare_class_id(const void *a, const void *b)
{
	const struct cfg_class *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static void default_classes(struct cfg_dataset *out)
{
	out->nclasses = 2;
	out->classes = xcalloc(2, sizeof(*out->classes));
	out->classes[0].id = 1;
	out->classes[0].name = xstrdup("background");
	out->classes[0].key = 'b';
	out->classes[1].id = 2;
	out->classes[1].name = xstrdup("object");
	out->classes[1].key = 'o';
	out->classes[0].colour = cfg_default_colour(1);
	out->classes[1].colour = cfg_default_colour(2);
}

/* The checks that need the whole file, then the result. */
static int ds_finish(struct run *r, struct dsparse *d, struct cfg_dataset *out)
{
	size_t i;
	int a, b, line;

	for (i = 0; i < d->n; i++)
		if (!d->classes[i].c.id)
			return fail_at(r, d->classes[i].c.line, "class \"%s\" has no id",
			    d->classes[i].c.name);
	if (ds_check_parents(r, d) < 0)
		return -1;
	for (a = 0; a < NSUFFIX; a++) {
		for (b = a + 1; b < NSUFFIX; b++) {
			if (strcmp(d->suffix[a] ? d->suffix[a] : suffix_defaults[a],
			    d->suffix[b] ? d->suffix[b] : suffix_defaults[b]))
				continue;
			line = d->suffix_line[a] > d->suffix_line[b] ? d->suffix_line[a] :
			    d->suffix_line[b];
			return fail_at(r, line, "[pxlabel] %s and %s are the same: one file would "
			    "overwrite the other", suffix_keys[a], suffix_keys[b]);
		}
	}
	out->path = xstrdup(r->path);
	out->sidecar_suffix = d->suffix[SUFFIX_SIDECAR] ? d->suffix[SUFFIX_SIDECAR] :
	    xstrdup(suffix_defaults[SUFFIX_SIDECAR]);
	out->labels_suffix = d->suffix[SUFFIX_LABELS] ? d->suffix[SUFFIX_LABELS] :
	    xstrdup(suffix_defaults[SUFFIX_LABELS]);
	out->instances_suffix = d->suffix[SUFFIX_INSTANCES] ? d->suffix[SUFFIX_INSTANCES] :
	    xstrdup(suffix_defaults[SUFFIX_INSTANCES]);
	memset(d->suffix, 0, sizeof(d->suffix));
	if (d->n == 0) {
		default_classes(out);
	} else {
		out->classes = xcalloc(d->n, sizeof(*out->classes));
		for (i = 0; i < d->n; i++) {
			out->classes[i] = d->classes[i].c;
			if (!d->classes[i].colour_line)
				out->classes[i].colour = cfg_default_colour(out->classes[i].id);
			d->classes[i].c.name = NULL;
		}
		out->nclasses = d->n;
		qsort(out->classes, out->nclasses, sizeof(*out->classes), compare_class_id);
	}
	run_take_warnings(r, &out->warnings, &out->nwarnings);
	return 0;
}

int cfg_dataset_parse_mem(const char *name, const char *text, size_t len,
    struct cfg_dataset *out, char **cause)
{
	struct dsparse d;
	struct run r;
	size_t i;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&d, 0, sizeof(d));
	d.classes = xcalloc(CFG_MAX_CLASSES, sizeof(*d.classes));
	run_init(&r, name, text, len, ds_section, ds_pair, &d);
	if (len > CFG_MAX_FILE_SIZE) {
		fail_at(&r, 0, "too large for a configuration file (the limit is 1 MiB)");
		goto out;
	}
	if (run_parse(&r) < 0 || ds_finish(&r, &d, out) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0) {
		err_set(cause, "%s", r.cause ? r.cause : "invalid configuration");
		cfg_dataset_free(out);
	}
	for (i = 0; i < d.n; i++) {
		free(d.classes[i].c.name);
		free(d.classes[i].parent_name);
	}
	free(d.classes);
	for (i = 0; i < NSUFFIX; i++)
		free(d.suffix[i]);
	run_free(&r);
	return rc;
}

int cfg_dataset_parse_file(const char *ini_path, struct cfg_dataset *out, char **cause)
{
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (read_text(ini_path, &text, &len, NULL, cause) < 0)
		return -1;
	rc = cfg_dataset_parse_mem(ini_path, text, len, out, cause);
	free(text);
	return rc;
}

void cfg_dataset_defaults(struct cfg_dataset *out)
{
	memset(out, 0, sizeof(*out));
	default_classes(out);
	out->sidecar_suffix = xstrdup(suffix_defaults[SUFFIX_SIDECAR]);
	out->labels_suffix = xstrdup(suffix_defaults[SUFFIX_LABELS]);
	out->instances_suffix = xstrdup(suffix_defaults[SUFFIX_INSTANCES]);
}

int cfg_dataset_find(const char *image_path_or_dir, char **ini_path_out, char **cause)
{
	struct stat st;
	char *copy, *start, *dir = NULL, *candidate = NULL, *slash;
	int rc = -1;

	*ini_path_out = NULL;
	if (stat(image_path_or_dir, &st) == 0 && S_ISDIR(st.st_mode)) {
		start = xstrdup(image_path_or_dir);
	} else {
		copy = xstrdup(image_path_or_dir);
		start = xstrdup(dirname(copy));
		free(copy);
	}
	/* Walk the real folders, as git does: "up" from a symlinked folder is where it lives. */
	dir = realpath(start, NULL);
	if (!dir) {
		err_set(cause, "%s: cannot look for pxlabel.ini in %s: %s", image_path_or_dir, start,
		    strerror(errno));
		goto out;
	}
	for (;;) {
		candidate = xasprintf("%s/pxlabel.ini", strcmp(dir, "/") ? dir : "");
		if (stat(candidate, &st) == 0) {
			if (!S_ISREG(st.st_mode)) {
				err_set(cause, "%s: not a regular file", candidate);
				goto out;
			}
			*ini_path_out = candidate;
			candidate = NULL;
			rc = 0;
			goto out;
		}
		if (errno != ENOENT && errno != ENOTDIR) {
			err_set(cause, "%s: %s", candidate, strerror(errno));
			goto out;
		}
		/* A dangling symlink is a data set whose classes went missing, not "no data set". */
		if (lstat(candidate, &st) == 0) {
			err_set(cause, "%s: a symbolic link to nothing", candidate);
			goto out;
		}
		free(candidate);
		candidate = NULL;
		if (!strcmp(dir, "/")) {
			rc = 1;
			goto out;
		}
		slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
out:
	free(start);
	free(dir);
	free(candidate);
	return rc;
}

int cfg_dataset_load(const char *image_path_or_dir, struct cfg_dataset *out, char **cause)
{
	char *path;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = cfg_dataset_find(image_path_or_dir, &path, cause);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		cfg_dataset_defaults(out);
		return 0;
	}
	rc = cfg_dataset_parse_file(path, out, cause);
	free(path);
	return rc;
}

void cfg_dataset_free(struct cfg_dataset *ds)
{
	size_t i;

	if (!ds)
		return;
	for (i = 0; i < ds->nclasses; i++)
		free(ds->classes[i].name);
	free(ds->classes);
	free(ds->path);
	free(ds->sidecar_suffix);
	free(ds->labels_suffix);
	free(ds->instances_suffix);
	free_strings(ds->warnings, ds->nwarnings);
	memset(ds, 0, sizeof(*ds));
}

const struct cfg_class *cfg_class_by_id(const struct cfg_dataset *ds, int id)
{
	size_t i;

	for (i = 0; i < ds->nclasses; i++)
		if (ds->classes[i].id == id)
			return &ds->classes[i];
	return NULL;
}

const struct cfg_class *cfg_class_by_name(const struct cfg_dataset *ds, const char *name)
{
	size_t i;

	for (i = 0; i < ds->nclasses; i++)
		if (!strcmp(ds->classes[i].name, name))
			return &ds->classes[i];
	return NULL;
}

const struct cfg_class *cfg_class_by_key(const struct cfg_dataset *ds, int key)
{
	size_t i;

	if (key == 0)
		return NULL;
	for (i = 0; i < ds->nclasses; i++)
		if (ds->classes[i].key == key)
			return &ds->classes[i];
	return NULL;
}

/* --- the user's config.ini ------------------------------------------------------------- */

struct userparse {
	enum { U_NONE, U_DISPLAY, U_LIMITS, U_KEYS, U_OTHER } sec;
	struct cfg_user *u;
	int mode_line, colors_line, overlay_line, opacity_line, pixels_line, size_line;
};

static int user_section(struct run *r, const char *section)
{
	struct userparse *up = r->ctx;
	char q[QUOTE_BUF];

	if (!strcmp(section, "display")) {
		up->sec = U_DISPLAY;
	} else if (!strcmp(section, "limits")) {
		up->sec = U_LIMITS;
	} else if (!strcmp(section, "keys")) {
		up->sec = U_KEYS;
	} else {
		warn_at(r, r->line, "unknown section [%s] (ignored)", quote(q, section));
		up->sec = U_OTHER;
	}
	return 0;
}

static int user_display(struct run *r, const char *name, const char *value)
{
	struct userparse *up = r->ctx;
	struct cfg_user *u = up->u;
	unsigned long long v;
	char q[QUOTE_BUF];
	int c;

	if (!strcmp(name, "mode")) {
		if (set_once(r, &up->mode_line, "[display]", name) < 0)
			return -1;
		if (!strcmp(value, "auto"))
			u->display = CFG_DISPLAY_AUTO;
		else if (!strcmp(value, "sixel"))
			u->display = CFG_DISPLAY_SIXEL;
		else if (!strcmp(value, "blocks"))
			u->display = CFG_DISPLAY_BLOCKS;
		else
			return fail_at(r, r->line, "[display] mode must be auto, sixel or blocks, not %s",
			    quote(q, value));
	} else if (!strcmp(name, "colors") || !strcmp(name, "colours")) {
		if (set_once(r, &up->colors_line, "[display]", "colors") < 0)
			return -1;
		c = strcmp(value, "auto") ? colour_mode_parse(value) : -1;
		if (c < 0 && strcmp(value, "auto"))
			return fail_at(r, r->line,
			    "[display] %s must be auto, truecolor, 256 or 16, not %s", name,
			    quote(q, value));
		u->colors = c;
	} else if (!strcmp(name, "overlay")) {
		if (set_once(r, &up->overlay_line, "[display]", name) < 0)
			return -1;
		if (!strcmp(value, "filled"))
			u->overlay = CFG_OVERLAY_FILLED;
		else if (!strcmp(value, "outline"))
			u->overlay = CFG_OVERLAY_OUTLINE;
		else if (!strcmp(value, "off"))
			u->overlay = CFG_OVERLAY_OFF;
		else
			return fail_at(r, r->line,
			    "[display] overlay must be filled, outline or off, not %s", quote(q, value));
	} else if (!strcmp(name, "opacity")) {
		if (set_once(r, &up->opacity_line, "[display]", name) < 0)
			return -1;
		if (parse_number(value, 0, 100, &v) < 0)
			return fail_at(r, r->line,
			    "[display] opacity must be a whole number from 0 to 100, not %s",
			    quote(q, value));
		u->opacity = (int)v;
	} else {
		warn_at(r, r->line, "[display] unknown key %s (ignored)", quote(q, name));
	}
	return 0;
}

static int user_limits(struct run *r, const char *name, const char *value)
{
	struct userparse *up = r->ctx;
	unsigned long long v, *dest;
	char q[QUOTE_BUF];
	int *line;

	if (!strcmp(name, "max_pixels")) {
		line = &up->pixels_line;
		dest = &up->u->max_pixels;
	} else if (!strcmp(name, "max_file_size")) {
		line = &up->size_line;
		dest = &up->u->max_file_size;
	} else {
		warn_at(r, r->line, "[limits] unknown key %s (ignored)", quote(q, name));
		return 0;
	}
	if (set_once(r, line, "[limits]", name) < 0)
		return -1;
	if (parse_number(value, 1, MAX_LIMIT, &v) < 0)
		return fail_at(r, r->line, "[limits] %s must be a whole number from 1 to %llu, not %s",
		    name, MAX_LIMIT, quote(q, value));
	*dest = v;
	return 0;
}

static int user_key(struct run *r, const char *name, const char *value)
{
	struct cfg_user *u = ((struct userparse *)r->ctx)->u;
	struct cfg_keybinding *kb;
	const char *problem;
	char q[QUOTE_BUF], why[48];

	if (!*name)
		return fail_at(r, r->line, "[keys] a line with no action: ACTION = KEY");
	if ((problem = text_problem(name, CFG_MAX_KEYSPEC, why)))
		return fail_at(r, r->line, "[keys] action %s %s", quote(q, name), problem);
	if (!*value)
		return fail_at(r, r->line, "[keys] %s has no key", name);
	if ((problem = text_problem(value, CFG_MAX_KEYSPEC, why)))
		return fail_at(r, r->line, "[keys] %s: key %s %s", name, quote(q, value), problem);
	u->keys = xreallocarray(u->keys, u->nkeys + 1, sizeof(*u->keys));
	kb = &u->keys[u->nkeys++];
	kb->action = xstrdup(name);
	kb->key = xstrdup(value);
	kb->line = r->line;
	return 0;
}

static int user_pair(struct run *r, const char *name, const char *value)
{
	struct userparse *up = r->ctx;
	char q[QUOTE_BUF];

	switch (up->sec) {
	case U_NONE:
		warn_at(r, r->line, "%s outside any section (ignored)", quote(q, name));
		return 0;
	case U_OTHER:
		return 0;
	case U_DISPLAY:
		return user_display(r, name, value);
	case U_LIMITS:
		return user_limits(r, name, value);
	case U_KEYS:
		return user_key(r, name, value);
	}
	return 0;
}

void cfg_user_defaults(struct cfg_user *out)
{
	memset(out, 0, sizeof(*out));
	out->display = CFG_DISPLAY_AUTO;
	out->colors = -1;
	out->overlay = CFG_OVERLAY_FILLED;
	out->opacity = USER_DEFAULT_OPACITY;
}

int cfg_user_parse_mem(const char *name, const char *text, size_t len, struct cfg_user *out,
    char **cause)
{
	struct userparse up;
	struct run r;
	int rc = -1;

	cfg_user_defaults(out);
	memset(&up, 0, sizeof(up));
	up.u = out;
	run_init(&r, name, text, len, user_section, user_pair, &up);
	if (len > CFG_MAX_FILE_SIZE) {
		fail_at(&r, 0, "too large for a configuration file (the limit is 1 MiB)");
		goto out;
	}
	if (run_parse(&r) < 0)
		goto out;
	out->path = xstrdup(name);
	run_take_warnings(&r, &out->warnings, &out->nwarnings);
	rc = 0;
out:
	if (rc < 0) {
		err_set(cause, "%s", r.cause ? r.cause : "invalid configuration");
		cfg_user_free(out);
	}
	run_free(&r);
	return rc;
}

int cfg_user_parse_file(const char *path, struct cfg_user *out, char **cause)
{
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (read_text(path, &text, &len, NULL, cause) < 0)
		return -1;
	rc = cfg_user_parse_mem(path, text, len, out, cause);
	free(text);
	return rc;
}

char *cfg_user_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* The XDG base directory spec: a relative value is invalid and must be ignored. */
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/pxlabel/config.ini", xdg);
	if (home && home[0])
		return xasprintf("%s/.config/pxlabel/config.ini", home);
	return NULL;
}

int cfg_user_load(struct cfg_user *out, char **cause)
{
	char *path = cfg_user_path(), *text = NULL;
	size_t len;
	int missing = 0, rc = -1;

	cfg_user_defaults(out);
	if (!path)
		return 0;
	if (read_text(path, &text, &len, &missing, cause) < 0)
		goto out;
	if (missing) {
		rc = 0;
		goto out;
	}
	rc = cfg_user_parse_mem(path, text, len, out, cause);
out:
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	free(text);
	free(path);
	return rc;
}

void cfg_user_free(struct cfg_user *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nkeys; i++) {
		free(u->keys[i].action);
		free(u->keys[i].key);
	}
	free(u->keys);
	free(u->path);
	free_strings(u->warnings, u->nwarnings);
	memset(u, 0, sizeof(*u));
}
