/* test_inifile.c: the INI driver on its own, with callbacks that only record what they are
 * handed: one call per line with the right line number, whole section names, no multi-line
 * values, the first error in file order, capped warnings, settings given twice, numbers, and
 * reading files (missing, not regular, too large). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inifile.h"
#include "sbuf.h"
#include "tfile.h"

/* What the callbacks saw, one "LINE [section]" or "LINE name=value" a line. */
struct seen {
	struct sbuf log;
	int fail_on_line; /* the pair callback fails there */
	int once;         /* for inifile_set_once */
};

static int on_section(struct inifile *f, const char *section)
{
	struct seen *s = f->ctx;
	sbuf_printf(&s->log, "%d [%s]\n", f->line, section);
	return 0;
}

static int on_pair(struct inifile *f, const char *name, const char *value)
{
	struct seen *s = f->ctx;
	sbuf_printf(&s->log, "%d %s=%s\n", f->line, name, value);
	if (f->line == s->fail_on_line)
		return inifile_fail(f, f->line, "refused by the callback");
	if (!strcmp(name, "once"))
		return inifile_set_once(f, &s->once, "[test]", name);
	if (!strcmp(name, "warn"))
		inifile_warn(f, f->line, "warned about %s", value);
	return 0;
}

/* A literal's bytes, NULs included. */
#define RUN(lit, ...) run(lit, sizeof(lit) - 1, __VA_ARGS__)

/* Parses text; returns the log (a new string) and the error in *cause (a new string or NULL). */
static char *run(const char *text, size_t len, int fail_on_line, char **cause, struct inifile *keep)
{
	struct seen s;
	struct inifile f;
	char *log;

	memset(&s, 0, sizeof(s));
	sbuf_init(&s.log);
	s.fail_on_line = fail_on_line;
	inifile_init(&f, "t.ini", text, len, on_section, on_pair, &s);
	*cause = NULL;
	if (inifile_parse(&f) < 0)
		*cause = xstrdup(f.cause);
	sbuf_addc(&s.log, '\0');
	log = s.log.data;
	if (keep)
		*keep = f;
	else
		inifile_free(&f);
	return log;
}

static void lines(void)
{
	static const char text[] = "\xef\xbb\xbf; a comment\r\n"
	    "[first]\r\n"
	    "  a = 1   ; indented, commented\r\n"
	    "\r\n"
	    "[class a section name longer than the forty-nine bytes inih keeps]\n"
	    "b=two words\n"
	    "    c = 3\n";
	char *log, *cause;

	log = run(text, strlen(text), 0, &cause, NULL);
	tap_ok(!cause && !strcmp(log, "2 [first]\n3 a=1\n5 [class a section name longer than the forty-nine "
	    "bytes inih keeps]\n6 b=two words\n7 c=3\n"), "each line once, with its number, sections "
	    "whole, an indented line is not more of the last value: %s", cause ? cause : log);
	free(log);
	free(cause);
}

static void errors(void)
{
	char *log, *cause, *text;

	log = RUN("[s]\nx = 1\nnot a pair\ny = 2\n", 4, &cause, NULL);
	tap_ok(cause && !strcmp(cause, "t.ini:3: expected a [section] or a NAME = VALUE line"),
	    "inih's syntax error is explained, and it comes first in the file: %s", cause);
	free(log);
	free(cause);
	log = RUN("[s]\nx = 1\ny = 2\nnot a pair\n", 3, &cause, NULL);
	tap_ok(cause && !strcmp(cause, "t.ini:3: refused by the callback") && !strstr(log, "4 "),
	    "a callback's error stops the parse: %s", cause);
	free(log);
	free(cause);
	log = RUN("[s\nx = 1\n", 0, &cause, NULL);
	tap_ok(cause && strstr(cause, "t.ini:1: a section line needs a closing ']'"), "unclosed section: %s",
	    cause);
	free(log);
	free(cause);
	log = RUN("[s]\nonce = 1\n\nonce = 2\n", 0, &cause, NULL);
	tap_ok(cause && !strcmp(cause, "t.ini:4: [test] once is given twice (first on line 2)"),
	    "inifile_set_once: %s", cause);
	free(log);
	free(cause);
	log = RUN("[s]\nx\0 = 1\n", 0, &cause, NULL);
	tap_ok(cause && !strcmp(cause, "t.ini:2: a NUL byte: this is not a text file"), "NUL: %s", cause);
	free(log);
	free(cause);
	text = xmalloc(INIFILE_MAX_LINE + 8);
	memset(text, 'x', INIFILE_MAX_LINE + 4);
	memcpy(text, "[s]\nx=", 6);
	strcpy(text + INIFILE_MAX_LINE + 4, "\n");
	log = run(text, strlen(text), 0, &cause, NULL);
	tap_ok(!cause, "a line of %d bytes is read", INIFILE_MAX_LINE);
	free(log);
	free(cause);
	strcpy(text + INIFILE_MAX_LINE + 4, "x\n");
	log = run(text, strlen(text), 0, &cause, NULL);
	tap_ok(cause && !strcmp(cause, "t.ini:2: line longer than 198 bytes") && !strstr(log, "x="),
	    "one byte more is refused, not cut: %s", cause);
	free(log);
	free(cause);
	free(text);
	log = run("", INIFILE_MAX_SIZE + 1, 0, &cause, NULL);
	tap_ok(cause && !strcmp(cause, "t.ini: too large for a configuration file (the limit is 1 MiB)"),
	    "text over the limit is refused unread: %s", cause);
	free(log);
	free(cause);
}

static void warnings(void)
{
	struct inifile f;
	struct sbuf text;
	char *log, *cause, **w, line[32];
	size_t n, i;
	int k;

	sbuf_init(&text);
	sbuf_adds(&text, "[s]\n");
	for (k = 0; k < 60; k++) {
		snprintf(line, sizeof(line), "warn = %d\n", k);
		sbuf_adds(&text, line);
	}
	sbuf_adds(&text, "warn = \x1b[2J\n");
	log = run(text.data, text.len, 0, &cause, &f);
	inifile_take_warnings(&f, &w, &n);
	tap_ok(!cause && n == INIFILE_MAX_WARNINGS + 1 && !strcmp(w[0], "t.ini:2: warned about 0") &&
	    !strcmp(w[n - 1], "t.ini: 11 more warnings not shown"), "warnings capped, and the rest counted: %s",
	    n ? w[n - 1] : "");
	for (i = 0; i < n; i++)
		free(w[i]);
	free(w);
	inifile_free(&f);
	free(log);
	free(cause);
	sbuf_free(&text);

	log = RUN("[s]\nwarn = \x1b]0;t\x07\n", 0, &cause, &f);
	inifile_take_warnings(&f, &w, &n);
	tap_ok(n == 1 && !strcmp(w[0], "t.ini:2: warned about \\x1b]0;t\\x07"),
	    "a warning that forgot to quote still reaches nobody raw: %s", n ? w[0] : "");
	inifile_strings_free(w, n);
	inifile_free(&f);
	free(log);
	free(cause);
}

static void numbers(void)
{
	unsigned long long v = 7;

	tap_ok(inifile_number("0", 0, 10, &v) == 0 && v == 0 && inifile_number("10", 0, 10, &v) == 0 && v == 10,
	    "numbers at both ends of the range");
	tap_ok(inifile_number("11", 0, 10, &v) < 0 && inifile_number("0", 1, 10, &v) < 0 &&
	    inifile_number("", 0, 10, &v) < 0 && inifile_number("-1", 0, 10, &v) < 0 &&
	    inifile_number(" 1", 0, 10, &v) < 0 && inifile_number("1x", 0, 10, &v) < 0 &&
	    inifile_number("99999999999999999999999", 0, ~0ULL, &v) < 0, "and everything else refused");
}

static void reading(void)
{
	char *path, *text = NULL, *cause = NULL, *fifo;
	size_t len = 9;
	int missing = 0, rc;

	path = xasprintf("%s/none.ini", tmp);
	tap_ok(inifile_read(path, &text, &len, &missing, &cause) == 0 && missing && !text && !len,
	    "a missing file, when allowed, is no error");
	rc = inifile_read(path, &text, &len, NULL, &cause);
	tap_ok(rc < 0 && cause && strstr(cause, path), "else it is, naming the file: %s", cause);
	free(cause);
	cause = NULL;
	free(path);
	path = put("a.ini", "[s]\nx = 1\n");
	tap_ok(inifile_read(path, &text, &len, NULL, &cause) == 0 && len == 10 && !strcmp(text, "[s]\nx = 1\n"),
	    "a file is read whole");
	free(text);
	free(path);
	fifo = xasprintf("%s/fifo.ini", tmp);
	if (mkfifo(fifo, 0600) == 0) {
		rc = inifile_read(fifo, &text, &len, NULL, &cause);
		tap_ok(rc < 0 && cause && strstr(cause, "not a regular file"),
		    "a FIFO is refused without hanging: %s", cause);
		free(cause);
		cause = NULL;
	}
	free(fifo);
}

int main(void)
{
	tfile_start();
	lines();
	errors();
	warnings();
	numbers();
	reading();
	tfile_end();
	return tap_done();
}
