/* colour.h: mapping 24-bit colours to the palettes terminals have (xterm's 256 and the 16 ANSI
 * colours). Pure arithmetic: the escape sequences themselves are the renderer's business. */
#ifndef PXL_COLOUR_H
#define PXL_COLOUR_H

#include <stdint.h>

enum colour_mode {
	COLOUR_TRUECOLOR,
	COLOUR_256,
	COLOUR_16,
};

/* Parses "truecolor" (or "24bit", "direct"), "256", "16"; -1 when unknown. */
int colour_mode_parse(const char *s);
const char *colour_mode_name(enum colour_mode m);

/* The nearest xterm-256 index (16..255: the 6x6x6 cube and the grey ramp, which are the same in
 * every terminal, unlike 0..15). */
uint8_t colour_to256(uint8_t r, uint8_t g, uint8_t b);
/* The nearest of the 16 ANSI colours, as xterm shows them by default. */
uint8_t colour_to16(uint8_t r, uint8_t g, uint8_t b);
/* The same, ordered-dithered for screen pixel (x, y): a photo's browns and skin come out as a
 * fine mix of two colours instead of grey. */
uint8_t colour_to16_dither(uint8_t r, uint8_t g, uint8_t b, int x, int y);
/* The RGB value of an xterm-256 index. */
void colour_256_rgb(uint8_t idx, uint8_t rgb[3]);

#endif
