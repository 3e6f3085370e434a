/* imgarea.h: the image area of the annotator's screen, drawn with block characters or as
 * sixel images. ncurses owns the rest of the screen and never writes here; this module keeps
 * what the terminal shows and sends only what changed (cells in blocks; cell-aligned
 * rectangles in sixel, through sixelarea), so a keystroke costs bytes in proportion to what it
 * changed on screen. */
#ifndef PXL_IMGAREA_H
#define PXL_IMGAREA_H

#include <stddef.h>
#include <stdint.h>

#include "colour.h"
#include "sbuf.h"

struct sixelarea;

struct imgarea {
	int x0, y0, cols, rows;   /* in cells */
	int cell_w, cell_h;       /* screen pixels per cell: 1x2 in blocks, the font's in sixel */
	enum colour_mode mode;
	int tolerance;            /* see blocks_pen */
	uint32_t *top, *bottom;   /* owned: what each cell shows now */
	int valid;                /* 0: the terminal's cells are unknown, send everything */
	int drawn;                /* something was drawn since the last wipe */
	struct sixelarea *sixel;  /* owned: set in sixel mode */
	struct sbuf out;
	unsigned long long bytes; /* sent so far, for the bandwidth tests */
};

void imgarea_init(struct imgarea *a, enum colour_mode mode);
/* Sixel instead of blocks: cells of cell_w x cell_h pixels, a palette of colours (the
 * terminal's registers), sixels at most max_w x max_h pixels (0: no limit). Before the first
 * imgarea_resize. */
void imgarea_init_sixel(struct imgarea *a, int cell_w, int cell_h, int colours, int max_w, int max_h);
/* Sixel: cells of a new size (a new font); call imgarea_resize next. */
void imgarea_set_cell(struct imgarea *a, int cell_w, int cell_h);
void imgarea_free(struct imgarea *a);
/* A new place or size; everything is sent again. */
void imgarea_resize(struct imgarea *a, int x0, int y0, int cols, int rows);
/* The terminal's cells were overwritten (a clear, a resize, a window over them). */
void imgarea_invalidate(struct imgarea *a);
/* Removes the image from the terminal before ncurses draws over it (help, a new layout):
 * in sixel mode writes spaces over the screen's rows 0..rows-1 (cols wide; not the very last
 * cell), since erasing with ED or EL leaves sixel pixels in some terminals. Returns 1 when
 * something was on screen, and the caller must then have ncurses repaint everything
 * (clearok(curscr, TRUE)), which in blocks mode is the whole wipe. */
int imgarea_wipe(struct imgarea *a, int fd, int cols, int rows);
/* Sixel: the view key of the palette in use (0: none), and a new one made from npx RGB pixels
 * (the colours the view can show) with nfixed colours kept exact; -1 with *cause on failure. */
uint64_t imgarea_palette_key(const struct imgarea *a);
int imgarea_set_palette(struct imgarea *a, uint64_t key, const uint8_t *rgb, size_t npx,
    const uint8_t *fixed, int nfixed, char **cause);
/* Sends what differs between px (cols*cell_w x rows*cell_h screen pixels, RGB) and what is
 * shown, to fd, saving and restoring the cursor and attributes around it so ncurses' idea of
 * the terminal stays true. Call after ncurses' doupdate(), which has flushed its output. */
void imgarea_draw(struct imgarea *a, const uint8_t *px, int fd);

#endif
