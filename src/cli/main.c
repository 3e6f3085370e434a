/* main.c: the table of subcommands: the word on the command line, the function that runs it,
 * and its lines in --help. Anything else is the annotator's. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sbuf.h"
#include "text.h"
#include "xalloc.h"

/* The subcommands: a new one is a cmd_*.c and a line here. */
enum {
	CMD_WRITES = 1, /* writes files: stopped by a signal (^C, Slurm's SIGTERM at a time limit),
	                   it removes the temporaries it was writing */
};

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	char *(*formats)(void); /* its formats, "a|b|c", after its name in --help (NULL: none) */
	const char *args;       /* then what it takes */
	const char *summary;    /* what it does, for --help: lines of about 50 columns */
	unsigned flags;
} commands[] = {
	{ "render", cmd_render, NULL, "IMAGE",
	    "print a preview of IMAGE (blocks or sixel) to\nstandard output", 0 },
	{ "mask", cmd_mask, NULL, "IMAGE|DIR...",
	    "rebuild NAME.labels.png and NAME.instances.png from\nthe outlines in NAME.pxl.json", CMD_WRITES },
	{ "stats", cmd_stats, NULL, "[--json] IMAGE|DIR...",
	    "labeled fraction, pixels and instances per class,\nreview state, per image and in total", 0 },
	{ "import", cmd_import, cmd_import_formats, "FILE...",
	    "other tools' annotations to outlines and masks\n(see 'pxlabel import --help')", CMD_WRITES },
	{ "export", cmd_export, cmd_export_formats, "IMAGE|DIR... -o OUT",
	    "the data set in the formats training code reads\n(see 'pxlabel export --help')", CMD_WRITES },
	{ "review", cmd_review, NULL, "[--state STATE] IMAGE|DIR...",
	    "the annotator with a reviewer's keys: A approves,\nX rejects with a comment, edits fix", 0 },
	{ "merge", cmd_merge, NULL, "coco|stats PART... [-o ALL]",
	    "the outputs of shards (--shard K/N) made into\nwhat one run gives (see 'pxlabel merge --help')", CMD_WRITES },
	{ "assign", cmd_assign, NULL, "DIR --to NAME,... [--overlap 10%]",
	    "one queue a person in DIR/queues/NAME.txt; the\noverlap share labelled by two, into NAME's files", CMD_WRITES },
	{ "agree", cmd_agree, NULL, "[--json] A B | --users N1,N2 DIR",
	    "how far two annotations agree: IoU and panoptic\nquality per class, the images that differ most", 0 },
};

static const char usage_head[] =
    "Usage: pxlabel [OPTION]... IMAGE|DIR...     annotate the images (folders: all in them)\n"
    "  or:  pxlabel COMMAND [OPTION]... ARG...\n"
    "A terminal annotator for pixel-exact semantic and instance segmentation.\n"
    "\n"
    "Options of the annotator:\n"
    "      --display MODE          kitty, sixel, blocks or auto (default: config.ini,\n"
    "                              then auto: kitty graphics, else sixel, when the\n"
    "                              terminal says it has them)\n"
    "      --cell WxH              one cell in pixels, for sixel (default: from the\n"
    "                              terminal, else 10x20)\n"
    "      --query-timeout MS      how long to wait for the terminal (default 1000)\n"
    "  -c, --colors MODE           truecolor, 256 or 16, for blocks (default: config.ini,\n"
    "                              then COLORTERM and terminfo)\n"
    "      --no-mouse              leave the mouse to the terminal (copy and paste)\n"
    "      --state STATE           only the images in review state todo, done,\n"
    "                              rejected or approved (also for review)\n"
    "      --queue NAME            the images of DIR/queues/NAME.txt (pxlabel assign)\n"
    "      --assist-command CMD    the model command for A (doc/assist.md; default:\n"
    "                              config.ini's [assist] command; never pxlabel.ini's)\n"
    "  In the annotator, ? lists every key; every edit is saved as you go.\n"
    "\n"
    "Commands:\n";

static const char usage_tail[] =
    "\n"
    "mask, stats, export, import and agree take -j N: N threads (default one a core),\n"
    "the same output. mask, stats, export, agree and import coco take --shard K/N:\n"
    "a share of the images, the same on every machine (pxlabel merge combines the\n"
    "shares' outputs).\n"
    "\n"
    "Options of render:\n"
    "  -f, --format FORMAT         blocks, sixel, kitty or auto (default: auto, which is\n"
    "                              kitty or sixel when standard output is a terminal\n"
    "                              that shows it)\n"
    "  -s, --size COLSxROWS        the preview's largest size in cells (default: the\n"
    "                              terminal's size, less one row)\n"
    "      --pixels WxH            the largest size in pixels instead of cells\n"
    "      --palette N             sixel colours, 2 to 256 (default 64: fewer bytes\n"
    "                              than 256 for a little less fidelity)\n"
    "      --cell WxH              one cell in pixels, for sixel (default: from the\n"
    "                              terminal, else 10x20)\n"
    "      --query-timeout MS      how long to wait for the terminal (default 1000)\n"
    "  -c, --colors MODE           truecolor, 256 or 16 (default: from COLORTERM and\n"
    "                              terminfo)\n"
    "      --max-pixels N          refuse images of more than N pixels (default 268435456)\n"
    "      --max-file-size BYTES   refuse image files larger than this (default 2 GiB)\n"
    "\n"
    "  -h, --help       show this help and exit\n"
    "  -V, --version    show the version and exit\n"
    "\n"
    "Exit status: 0 on success, 1 on an error, 2 on a usage error.\n"
    "See pxlabel(1) for more.\n";

/* --help: the commands from the table, the summary in a column of its own. */
static void usage(FILE *fp)
{
	enum { COLUMN = 30 };
	size_t i;

	fputs(usage_head, fp);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		char *formats = c->formats ? c->formats() : NULL, *synopsis;
		const char *line = c->summary, *nl;
		int at;

		synopsis = xasprintf("%s%s%s %s", c->name, formats ? " " : "", formats ? formats : "", c->args);
		at = fprintf(fp, "  %s", synopsis);
		for (; line; line = nl ? nl + 1 : NULL, at = 0) {
			nl = strchr(line, '\n');
			if (at >= COLUMN) { /* too long: the summary starts below */
				fputc('\n', fp);
				at = 0;
			}
			fprintf(fp, "%*s%.*s\n", COLUMN - at, "", nl ? (int)(nl - line) : (int)strlen(line), line);
		}
		free(synopsis);
		free(formats);
	}
	fputs(usage_tail, fp);
}

/* The sinks of the program's messages. What they print passes through text_message last, so
 * that text from files and file names reaches the terminal as visible escapes even where a
 * message forgot to quote it. */
static _Thread_local struct sbuf *held;

void cli_hold_stderr(struct sbuf *b) { held = b; }

static void put_line(FILE *fp, const char *prefix, const char *msg)
{
	char *shown = text_message(msg);

	if (fp == stderr && held)
		sbuf_printf(held, "%s%s\n", prefix, shown);
	else
		fprintf(fp, "%s%s\n", prefix, shown);
	free(shown);
}

__attribute__((format(printf, 3, 0)))
static void put_linev(FILE *fp, const char *prefix, const char *fmt, va_list ap)
{
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0) {
		put_line(fp, prefix, fmt);
		return;
	}
	put_line(fp, prefix, msg);
	free(msg);
}

void cli_error(char *msg)
{
	put_line(stderr, "pxlabel: ", msg ? msg : "unknown error");
	free(msg);
}

void cli_errorf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_linev(stderr, "pxlabel: ", fmt, ap);
	va_end(ap);
}

void cli_line(FILE *fp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_linev(fp, "", fmt, ap);
	va_end(ap);
}

static int parse_u64(const char *s, unsigned long long *v)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	*v = strtoull(s, &end, 10);
	return *end ? -1 : 0;
}

int cli_limit_option(const char *opt, const char *val, struct img_limits *lim)
{
	unsigned long long v;

	if (strcmp(opt, "max-pixels") && strcmp(opt, "max-file-size"))
		return 0;
	if (parse_u64(val, &v) != 0 || v == 0) {
		cli_errorf("--%s needs a positive number, not '%s'", opt, val ? val : "");
		return -1;
	}
	if (!strcmp(opt, "max-pixels"))
		lim->max_pixels = v;
	else
		lim->max_file_bytes = v;
	return 1;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int main(int argc, char **argv)
{
	const struct command *cmd;

	setlocale(LC_ALL, "");
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("pxlabel %s\n", PACKAGE_VERSION);
		return 0;
	}
	cmd = find_command(argv[1]);
	/* Anything else is images to annotate (a file named like a command: ./render). */
	if (!cmd)
		return cmd_annotate(argc, argv);
	/* Stopped, a command that writes must leave no temporaries among the files it made. */
	if (cmd->flags & CMD_WRITES)
		cli_remove_temporaries_on_signals();
	return cmd->run(argc - 1, argv + 1);
}
