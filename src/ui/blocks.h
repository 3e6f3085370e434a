/* blocks.h: the block-character renderer. Turns pixels into half-block cells (two pixels a
 * cell, one above the other, so pixels stay square with the usual 1:2 cell) and cells into the
 * fewest escape bytes: colours are sent only when they change, and each cell picks among space,
 * full block, upper and lower half the glyph that needs the fewest colour changes. */
#ifndef PXL_BLOCKS_H
#define PXL_BLOCKS_H

#include <stdint.h>

#include "colour.h"
#include "img.h"
#include "sbuf.h"

/* A colour in the terminal's terms: packed 0xRRGGBB in truecolor, a palette index otherwise;
 * BLOCKS_NONE is the terminal's default background. */
#define BLOCKS_NONE 0xffffffffu

struct blocks_pen {
	enum colour_mode mode;
	uint32_t fg, bg; /* what the terminal has now; BLOCKS_UNKNOWN before the first cell */
	/* Truecolor only: a colour within this many levels (each channel) of one the terminal
	 * already has is drawn with that one. 0 is exact; 2 is invisible and saves escapes. */
	int tolerance;
};
#define BLOCKS_UNKNOWN 0xfffffffeu

void blocks_pen_init(struct blocks_pen *pen, enum colour_mode mode);
/* Maps an RGB pixel to the terminal colour the pen's mode can show. */
uint32_t blocks_colour(const struct blocks_pen *pen, const uint8_t *rgb);
/* The same for the screen pixel (x, y): in 16 colours, ordered-dithered. */
uint32_t blocks_colour_at(const struct blocks_pen *pen, const uint8_t *rgb, int x, int y);
/* Appends one cell whose upper half is top and lower half bottom. */
void blocks_cell(struct blocks_pen *pen, struct sbuf *out, uint32_t top, uint32_t bottom);
/* Appends SGR 0 and forgets the pen's colours. */
void blocks_reset(struct blocks_pen *pen, struct sbuf *out);

/* A whole picture: px->w columns by ceil(px->h / 2) rows, each row ended by a reset and a
 * newline (a preview for stdout). */
void blocks_picture(struct sbuf *out, const struct img *px, enum colour_mode mode);

#endif
