/* imgarea.h: the image area of the annotator's screen, drawn with block characters. ncurses
 * owns the rest of the screen and never writes here; this module keeps the colours each cell
 * shows and sends only the cells that changed, so a keystroke costs bytes in proportion to
 * what it changed on screen. (The sixel renderer will sit behind the same calls.) */
#ifndef PXL_IMGAREA_H
#define PXL_IMGAREA_H

#include <stdint.h>

#include "colour.h"
#include "sbuf.h"

struct imgarea {
	int x0, y0, cols, rows;   /* in cells */
	enum colour_mode mode;
	int tolerance;            /* see blocks_pen */
	uint32_t *top, *bottom;   /* owned: what each cell shows now */
	int valid;                /* 0: the terminal's cells are unknown, send everything */
	struct sbuf out;
	unsigned long long bytes; /* sent so far, for the bandwidth tests */
};

void imgarea_init(struct imgarea *a, enum colour_mode mode);
void imgarea_free(struct imgarea *a);
/* A new place or size; everything is sent again. */
void imgarea_resize(struct imgarea *a, int x0, int y0, int cols, int rows);
/* The terminal's cells were overwritten (a clear, a resize, a window over them). */
void imgarea_invalidate(struct imgarea *a);
/* Sends the cells of px (cols x rows*2 screen pixels, RGB) that differ from what is shown, to
 * fd, saving and restoring the cursor and attributes around it so ncurses' idea of the
 * terminal stays true. Call after ncurses' doupdate(). */
void imgarea_draw(struct imgarea *a, const uint8_t *px, int fd);

#endif
