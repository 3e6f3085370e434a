/* cmd_render.c: `pxlabel render IMAGE`, a block-character preview on stdout, as chafa and
 * timg print. Decodes only as much as the preview needs (libjpeg's DCT scaling), then averages
 * the pixels of each cell half exactly. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks.h"
#include "cli.h"
#include "colour.h"
#include "img.h"
#include "sbuf.h"
#include "tty.h"

static int parse_size(const char *s, int *cols, int *rows)
{
	char *end;
	long c, r;

	c = strtol(s, &end, 10);
	if (end == s || (*end != 'x' && *end != 'X'))
		return -1;
	s = end + 1;
	r = strtol(s, &end, 10);
	if (end == s || *end || c < 1 || r < 1 || c > 4096 || r > 4096)
		return -1;
	*cols = (int)c;
	*rows = (int)r;
	return 0;
}

static int write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(STDOUT_FILENO, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

int cmd_render(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "colors", required_argument, NULL, 'c' },
		{ "colours", required_argument, NULL, 'c' },
		{ "max-pixels", required_argument, NULL, 'P' },
		{ "max-file-size", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct img_load_opts opts;
	struct img *im = NULL, *px = NULL;
	struct sbuf out;
	char *cause = NULL;
	int cols = 0, rows = 0, mode = -1, c, idx, pw, ph, status = 1;

	img_load_opts_default(&opts);
	sbuf_init(&out);
	optind = 0; /* 0 makes glibc start afresh, forgetting main's "+" mode */
	while ((c = getopt_long(argc, argv, "s:c:h", longopts, &idx)) != -1) {
		switch (c) {
		case 's':
			if (parse_size(optarg, &cols, &rows) != 0) {
				cli_errorf("--size wants COLSxROWS, e.g. 80x24, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'c':
			mode = colour_mode_parse(optarg);
			if (mode < 0) {
				cli_errorf("--colors wants truecolor, 256 or 16, not '%s'", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'P':
		case 'F':
			if (cli_limit_option(longopts[idx].name, optarg, &opts.limits) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			printf("Usage: pxlabel render [--size COLSxROWS] [--colors truecolor|256|16] IMAGE\n");
			return 0;
		default:
			fputs("Try 'pxlabel --help'.\n", stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		cli_errorf("render takes one IMAGE. Try 'pxlabel --help'.");
		return EXIT_USAGE;
	}
	if (cols == 0) {
		tty_size(STDOUT_FILENO, &cols, &rows);
		if (rows > 1)
			rows--; /* room for the shell's prompt */
	}
	if (mode < 0)
		mode = tty_colour_mode();

	/* Half blocks: each cell is one pixel wide and two tall. */
	opts.fit_w = cols;
	opts.fit_h = rows * 2;
	im = img_load(argv[optind], &opts, &cause);
	if (!im) {
		cli_error(cause);
		goto out;
	}
	img_fit(im->src_w, im->src_h, cols, rows * 2, &pw, &ph);
	px = img_scale(im, pw, ph);
	if (!px) {
		cli_errorf("%s: cannot scale the image", argv[optind]);
		goto out;
	}
	blocks_picture(&out, px, (enum colour_mode)mode);
	if (write_all(out.data, out.len) != 0) {
		if (errno != EPIPE)
			cli_errorf("writing the preview: %s", strerror(errno));
		goto out;
	}
	status = 0;
out:
	img_free(im);
	img_free(px);
	sbuf_free(&out);
	return status;
}
