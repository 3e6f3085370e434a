/* main.c: parses the command line and hands over to a subcommand. */
#include "config.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

static const char usage_text[] =
    "Usage: pxlabel [OPTION]... IMAGE|DIR...     annotate the images (folders: all in them)\n"
    "  or:  pxlabel COMMAND [OPTION]... ARG...\n"
    "A terminal annotator for pixel-exact semantic and instance segmentation.\n"
    "\n"
    "Options of the annotator:\n"
    "      --display MODE          sixel, blocks or auto (default: config.ini, then\n"
    "                              auto: sixel when the terminal says it has it)\n"
    "      --cell WxH              one cell in pixels, for sixel (default: from the\n"
    "                              terminal, else 10x20)\n"
    "      --query-timeout MS      how long to wait for the terminal (default 1000)\n"
    "  -c, --colors MODE           truecolor, 256 or 16, for blocks (default: config.ini,\n"
    "                              then COLORTERM and terminfo)\n"
    "      --no-mouse              leave the mouse to the terminal (copy and paste)\n"
    "  In the annotator, ? lists every key; every edit is saved as you go.\n"
    "\n"
    "Commands:\n"
    "  render IMAGE                print a preview of IMAGE (blocks or sixel) to\n"
    "                              standard output\n"
    "  mask IMAGE|DIR...           rebuild NAME.labels.png and NAME.instances.png from\n"
    "                              the outlines in NAME.pxl.json\n"
    "  stats [--json] IMAGE|DIR... labeled fraction, pixels and instances per class,\n"
    "                              review state, per image and in total\n"
    "  import labelme|coco|mask FILE...\n"
    "                              other tools' annotations to outlines and masks\n"
    "                              (see 'pxlabel import --help')\n"
    "  export coco|voc|labelme|cityscapes IMAGE|DIR... -o OUT\n"
    "                              the data set in the formats training code reads\n"
    "                              (see 'pxlabel export --help')\n"
    "\n"
    "Options of render:\n"
    "  -f, --format FORMAT         blocks, sixel or auto (default: auto, which is sixel\n"
    "                              when standard output is a terminal that shows it)\n"
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

/* The sinks of the program's messages. What they print passes through text_message last, so
 * that text from files and file names reaches the terminal as visible escapes even where a
 * message forgot to quote it. */
static void put_line(FILE *fp, const char *prefix, const char *msg)
{
	char *shown = text_message(msg);

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

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc < 2) {
		fputs(usage_text, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("pxlabel %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "render"))
		return cmd_render(argc - 1, argv + 1);
	/* The commands that write: stopped (^C, Slurm's SIGTERM at a time limit), they must leave
	 * no temporaries among the files they made. */
	if (!strcmp(argv[1], "mask") || !strcmp(argv[1], "import") || !strcmp(argv[1], "export"))
		cli_remove_temporaries_on_signals();
	if (!strcmp(argv[1], "mask"))
		return cmd_mask(argc - 1, argv + 1);
	if (!strcmp(argv[1], "stats"))
		return cmd_stats(argc - 1, argv + 1);
	if (!strcmp(argv[1], "import"))
		return cmd_import(argc - 1, argv + 1);
	if (!strcmp(argv[1], "export"))
		return cmd_export(argc - 1, argv + 1);
	/* Anything else is images to annotate (a file named like a command: ./render). */
	return cmd_annotate(argc, argv);
}
