/* test_blocks.c: half-block cells encode to the expected, minimal escape bytes. */
#include "config.h"

#include <string.h>

#include "blocks.h"
#include "tap.h"

static struct img *make(int w, int h, const uint8_t *px)
{
	struct img *im = img_new(w, h, NULL);

	memcpy(im->rgb, px, (size_t)w * h * 3);
	return im;
}

int main(void)
{
	static const uint8_t two[] = { 255, 0, 0, 255, 0, 0, 0, 0, 255, 255, 0, 0 };
	static const uint8_t flat[] = { 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9 };
	struct sbuf out;
	struct img *im;

	sbuf_init(&out);
	/* 2x2: column 0 red over blue, column 1 red over red. */
	im = make(2, 2, two);
	blocks_picture(&out, im, COLOUR_TRUECOLOR);
	tap_ok(!strcmp(out.data, "\033[38;2;255;0;0;48;2;0;0;255m\xe2\x96\x80\xe2\x96\x88\033[0m\n"),
	    "truecolor: one combined SGR, then a full block reuses the foreground");
	out.len = 0;
	blocks_picture(&out, im, COLOUR_256);
	tap_ok(!strcmp(out.data, "\033[38;5;196;48;5;21m\xe2\x96\x80\xe2\x96\x88\033[0m\n"), "256 colours");
	out.len = 0;
	blocks_picture(&out, im, COLOUR_16);
	tap_ok(!strcmp(out.data, "\033[91;44m\xe2\x96\x80\xe2\x96\x88\033[0m\n"), "16 colours: %s", out.data + 1);
	img_free(im);
	out.len = 0;
	/* 3x2 flat: one background change, then spaces. */
	im = make(3, 2, flat);
	blocks_picture(&out, im, COLOUR_TRUECOLOR);
	tap_ok(!strcmp(out.data, "\033[48;2;9;9;9m   \033[0m\n"), "a flat row is one escape and spaces");
	img_free(im);
	out.len = 0;
	/* Odd height: the last row's lower half is the terminal's own background. */
	im = make(3, 1, flat);
	blocks_picture(&out, im, COLOUR_TRUECOLOR);
	tap_ok(!strcmp(out.data, "\033[38;2;9;9;9;49m\xe2\x96\x80\xe2\x96\x80\xe2\x96\x80\033[0m\n"),
	    "odd height leaves the bottom half to the default background");
	img_free(im);
	sbuf_free(&out);
	return tap_done();
}
