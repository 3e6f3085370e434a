/* blocks.c: half-block cells to escape sequences. */
#include "config.h"

#include "blocks.h"

#include <string.h>

#define UPPER_HALF "\xe2\x96\x80" /* U+2580 */
#define LOWER_HALF "\xe2\x96\x84" /* U+2584 */
#define FULL_BLOCK "\xe2\x96\x88" /* U+2588 */

void blocks_pen_init(struct blocks_pen *pen, enum colour_mode mode)
{
	pen->mode = mode;
	pen->fg = BLOCKS_UNKNOWN;
	pen->bg = BLOCKS_UNKNOWN;
	pen->tolerance = 0;
}

static int near(uint32_t a, uint32_t b, int tol)
{
	int i;

	if (a == b)
		return 1;
	if (a >= BLOCKS_UNKNOWN || b >= BLOCKS_UNKNOWN)
		return 0;
	for (i = 0; i < 24; i += 8) {
		int d = (int)((a >> i) & 0xff) - (int)((b >> i) & 0xff);

		if (d > tol || d < -tol)
			return 0;
	}
	return 1;
}

uint32_t blocks_colour_at(const struct blocks_pen *pen, const uint8_t *rgb, int x, int y)
{
	/* Sixteen colours cannot show a photo's browns and skin: a dither mixes neighbouring
	 * pixels instead, and stays put from frame to frame, so unchanged cells still cost
	 * nothing. */
	if (pen->mode != COLOUR_16)
		return blocks_colour(pen, rgb);
	return colour_to16_dither(rgb[0], rgb[1], rgb[2], x, y);
}

uint32_t blocks_colour(const struct blocks_pen *pen, const uint8_t *rgb)
{
	switch (pen->mode) {
	case COLOUR_256:
		return colour_to256(rgb[0], rgb[1], rgb[2]);
	case COLOUR_16:
		return colour_to16(rgb[0], rgb[1], rgb[2]);
	case COLOUR_TRUECOLOR:
		break;
	}
	return (uint32_t)rgb[0] << 16 | (uint32_t)rgb[1] << 8 | rgb[2];
}

/* One SGR parameter group, without the CSI and the final 'm'. */
static void sgr_colour(struct sbuf *out, enum colour_mode mode, int bg, uint32_t c)
{
	if (c == BLOCKS_NONE) {
		sbuf_adds(out, bg ? "49" : "39");
		return;
	}
	switch (mode) {
	case COLOUR_TRUECOLOR:
		sbuf_adds(out, bg ? "48;2;" : "38;2;");
		sbuf_addu(out, c >> 16);
		sbuf_addc(out, ';');
		sbuf_addu(out, (c >> 8) & 0xff);
		sbuf_addc(out, ';');
		sbuf_addu(out, c & 0xff);
		break;
	case COLOUR_256:
		sbuf_adds(out, bg ? "48;5;" : "38;5;");
		sbuf_addu(out, c);
		break;
	case COLOUR_16:
		sbuf_addu(out, (c < 8 ? 30 : 82) + (bg ? 10 : 0) + c);
		break;
	}
}

static void set_pen(struct blocks_pen *pen, struct sbuf *out, uint32_t fg, uint32_t bg)
{
	int nfg = fg != pen->fg, nbg = bg != pen->bg;

	if (!nfg && !nbg)
		return;
	sbuf_adds(out, "\033[");
	if (nfg)
		sgr_colour(out, pen->mode, 0, fg);
	if (nfg && nbg)
		sbuf_addc(out, ';');
	if (nbg)
		sgr_colour(out, pen->mode, 1, bg);
	sbuf_addc(out, 'm');
	pen->fg = fg;
	pen->bg = bg;
}

void blocks_cell(struct blocks_pen *pen, struct sbuf *out, uint32_t top, uint32_t bottom)
{
	if (pen->tolerance > 0 && pen->mode == COLOUR_TRUECOLOR) {
		/* Near-equal colours become equal: a colour the terminal already holds, or one
		 * colour for both halves. */
		if (near(top, pen->fg, pen->tolerance))
			top = pen->fg;
		else if (near(top, pen->bg, pen->tolerance))
			top = pen->bg;
		if (near(bottom, pen->bg, pen->tolerance))
			bottom = pen->bg;
		else if (near(bottom, pen->fg, pen->tolerance))
			bottom = pen->fg;
		if (near(top, bottom, pen->tolerance))
			bottom = top;
	}
	if (top == bottom) {
		/* A plain cell: a space on the current background, or a full block in the current
		 * foreground, whichever needs no escape; else change the background. The terminal's
		 * default background can only be shown by a space. */
		if (pen->bg == top) {
			sbuf_addc(out, ' ');
		} else if (pen->fg == top && top != BLOCKS_NONE) {
			sbuf_adds(out, FULL_BLOCK);
		} else {
			set_pen(pen, out, pen->fg, top);
			sbuf_addc(out, ' ');
		}
		return;
	}
	/* Two colours: upper half in fg over bottom in bg, or lower half in fg over top in bg;
	 * take the one that changes fewer colours. A missing half must be the background. */
	if (top != BLOCKS_NONE &&
	    (bottom == BLOCKS_NONE || (pen->fg == top) + (pen->bg == bottom) >=
	    (pen->fg == bottom) + (pen->bg == top))) {
		set_pen(pen, out, top, bottom);
		sbuf_adds(out, UPPER_HALF);
	} else {
		set_pen(pen, out, bottom, top);
		sbuf_adds(out, LOWER_HALF);
	}
}

void blocks_reset(struct blocks_pen *pen, struct sbuf *out)
{
	sbuf_adds(out, "\033[0m");
	pen->fg = BLOCKS_UNKNOWN;
	pen->bg = BLOCKS_UNKNOWN;
}

void blocks_picture(struct sbuf *out, const struct img *px, enum colour_mode mode)
{
	struct blocks_pen pen;
	int x, y, rows = (px->h + 1) / 2;

	blocks_pen_init(&pen, mode);
	/* Colour escapes dominate: a cell costs up to ~40 bytes in truecolor. */
	sbuf_reserve(out, (size_t)px->w * (size_t)rows * (mode == COLOUR_TRUECOLOR ? 24 : 10));
	for (y = 0; y < rows; y++) {
		const uint8_t *top = px->rgb + (size_t)(2 * y) * (size_t)px->w * 3;
		const uint8_t *bot = 2 * y + 1 < px->h ? top + (size_t)px->w * 3 : NULL;

		for (x = 0; x < px->w; x++)
			blocks_cell(&pen, out, blocks_colour_at(&pen, top + 3 * x, x, 2 * y),
			    bot ? blocks_colour_at(&pen, bot + 3 * x, x, 2 * y + 1) : BLOCKS_NONE);
		blocks_reset(&pen, out);
		sbuf_addc(out, '\n');
	}
}
