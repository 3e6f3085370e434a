/* test_formats.c: the options of a command and its formats in one getopt table (src/cli/
 * formats.c): each name once, aliases kept as one option, a name two formats share handed to
 * both, abbreviations as getopt would take them in one table, bad values refused; and the
 * names and help the command's messages take from the table. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats.h"
#include "tap.h"
#include "xalloc.h"

/* What a format's option() was handed, in order: "C", "c", "w=5". */
struct seen {
	char log[256];
};

static void *seen_new(void)
{
	return xcalloc(1, sizeof(struct seen));
}

static int seen_option(void *st, int val, const char *arg)
{
	struct seen *s = st;
	size_t n = strlen(s->log);

	if (arg && !strcmp(arg, "bad"))
		return -1;
	snprintf(s->log + n, sizeof(s->log) - n, "%s%c%s%s", n ? " " : "", val, arg ? "=" : "", arg ? arg : "");
	return 0;
}

static const struct option alpha_options[] = {
	{ "copy", no_argument, NULL, 'C' },
	{ "colour", no_argument, NULL, 'c' },
	{ "color", no_argument, NULL, 'c' },
	{ "width", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

static const struct option beta_options[] = {
	{ "tree", no_argument, NULL, 't' },
	{ "copy", no_argument, NULL, 'k' },
	{ NULL, 0, NULL, 0 },
};

static const struct format alpha = { "alpha", NULL, alpha_options, "  --width N   how wide\n", seen_new, seen_option, NULL, free };
static const struct format beta = { "beta", NULL, beta_options, "  --tree      a tree\n", seen_new, seen_option, NULL, free };
static const struct format gamma_ = { "gamma", NULL, NULL, NULL, seen_new, seen_option, NULL, free };
static const struct format *const table[] = { &alpha, &beta, &gamma_ };

static const struct option common[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

static const struct option *find(const struct formats *s, const char *name)
{
	const struct option *o;

	for (o = s->longopts; o->name; o++)
		if (!strcmp(o->name, name))
			return o;
	return NULL;
}

/* Parses argv as a command would; the letters of its own options in own[], and the return of
 * the first option that was not accepted (0 when all were). */
static int parse(struct formats *s, int argc, char **argv, char *own, size_t n)
{
	int c, idx, k = 0;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:q", s->longopts, &idx)) != -1) {
		switch (formats_option(s, c, idx, optarg)) {
		case 1:
			continue;
		case -1:
			return -1;
		}
		if (c != 'o' && c != 'q')
			return c;
		if ((size_t)k + 1 < n)
			own[k++] = (char)c;
	}
	own[k] = '\0';
	return 0;
}

int main(void)
{
	struct formats s;
	const struct option *o;
	char own[16], *names, *help = NULL;
	size_t count = 0, len = 0;
	void *st = NULL;
	FILE *mem;
	int rc;

	formats_init(&s, table, 3, common);
	for (o = s.longopts; o->name; o++)
		count++;
	tap_ok(count == 7, "one table: the command's 2 options and the formats' 5 names, each once (%zu)", count);
	tap_ok(find(&s, "output")->val == 'o' && find(&s, "quiet")->val == 'q', "the command's options keep their letters");
	tap_ok(find(&s, "colour")->val == find(&s, "color")->val && find(&s, "colour")->val >= FORMATS_VAL,
	    "aliases (one letter in their format) keep one value");
	tap_ok(find(&s, "copy")->val != find(&s, "colour")->val && find(&s, "width")->val != find(&s, "tree")->val &&
		find(&s, "copy")->val != find(&s, "tree")->val,
	    "other options get values of their own");

	{
		char *argv[] = { "export", "--copy", "x", "--col", "-o", "out", "--width", "5", "--tree", "-q", NULL };

		rc = parse(&s, 10, argv, own, sizeof(own));
		tap_ok(rc == 0 && !strcmp(own, "oq"), "the command gets its own options (%d, %s)", rc, own);
	}
	tap_ok(!strcmp(((struct seen *)s.state[0])->log, "C c w=5"),
	    "alpha gets --copy, --col (taken for --colour) and --width 5 by its letters: %s",
	    ((struct seen *)s.state[0])->log);
	tap_ok(!strcmp(((struct seen *)s.state[1])->log, "k t"), "beta gets the --copy it shares, by its own letter, and --tree: %s",
	    ((struct seen *)s.state[1])->log);
	tap_ok(!strcmp(((struct seen *)s.state[2])->log, ""), "gamma, without options, gets none");
	{
		char *argv[] = { "export", "--co", "x", NULL };

		rc = parse(&s, 3, argv, own, sizeof(own));
		tap_ok(rc == '?', "--co is ambiguous (copy, colour), as in one table of both");
	}
	{
		char *argv[] = { "export", "--width", "bad", NULL };

		rc = parse(&s, 3, argv, own, sizeof(own));
		tap_ok(rc == -1, "a value the format refuses is a usage error");
	}
	tap_ok(formats_find(&s, "beta", &st) == &beta && st == s.state[1], "a format is found by its name, with its state");
	tap_ok(formats_find(&s, "delta", &st) == NULL, "an unknown name is none");

	names = formats_names(table, 3, "|", "|");
	tap_ok(!strcmp(names, "alpha|beta|gamma"), "names for a usage line: %s", names);
	free(names);
	names = formats_names(table, 3, ", ", " or ");
	tap_ok(!strcmp(names, "alpha, beta or gamma"), "names for a message: %s", names);
	free(names);
	names = formats_names(table, 1, ", ", " or ");
	tap_ok(!strcmp(names, "alpha"), "one name alone: %s", names);
	free(names);

	mem = open_memstream(&help, &len);
	formats_help(mem, table, 3);
	fclose(mem);
	tap_ok(!strcmp(help, "alpha:\n  --width N   how wide\nbeta:\n  --tree      a tree\n"),
	    "help: each format's lines under its name, none for a format without");
	free(help);
	formats_free(&s);
	tap_ok(s.state == NULL && s.longopts == NULL, "freed");
	return tap_done();
}
