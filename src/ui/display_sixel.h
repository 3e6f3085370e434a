/* display_sixel.h: the image area as sixel images (display.h), in the terminal's real pixels.
 * It keeps the frame the terminal shows, and after a change sends only cell-aligned rectangles
 * around the cells that differ, all encoded with one palette (sixelout) that stays while the
 * view's key stays (the image, its zoom and curve, the overlay's look): a cursor step or a
 * vertex costs a small patch, not the whole image, and a pan reuses the palette. The cursor is a
 * ring drawn into the pixels.
 * Below the display, the sixel area itself (display_sixel_new ...): frames in, bytes out; it
 * never writes to the terminal itself. */
#ifndef PXL_DISPLAY_SIXEL_H
#define PXL_DISPLAY_SIXEL_H

#include <stddef.h>
#include <stdint.h>

#include "display.h"
#include "sbuf.h"

extern const struct display_ops display_sixel_ops;

/* The palette's key for a scene: what the palette depends on (the image's serial, the zoom,
 * the curve, the overlay's mode, opacity and highlight), so a pan or an edit keeps it. Never 0
 * (no palette) nor 1 (a preview's). */
uint64_t display_sixel_scene_key(const struct display_scene *s);

/* A rectangle of cells. */
struct display_sixel_rect {
	int x, y, w, h;
};

/* What a rectangle costs beyond its cells, counted in cells: the cursor move, the sixel header
 * and the palette entries it defines. Two rectangles are sent as one when that covers at most
 * this many clean cells more. */
#define DISPLAY_SIXEL_RECT_COST 6

struct display_sixel;

/* An area of cells of cell_w x cell_h pixels; colours: the palette size (the terminal's colour
 * registers, 2..256); max_w x max_h: the largest sixel the terminal draws, in pixels (0: no
 * limit): bigger rectangles go out in pieces. */
struct display_sixel *display_sixel_new(int cell_w, int cell_h, int colours, int max_w, int max_h);
void display_sixel_free(struct display_sixel *s);
/* Cells of a new size (the font changed); call display_sixel_resize next. */
void display_sixel_set_cell(struct display_sixel *s, int cell_w, int cell_h);
/* A new size in cells: everything is sent again. */
void display_sixel_resize(struct display_sixel *s, int cols, int rows);
/* The terminal's pixels are unknown (wiped, resized, overwritten): everything is sent again. */
void display_sixel_invalidate(struct display_sixel *s);

/* The palette: made by display_sixel_set_palette for the view key names, kept while the caller
 * passes the same key (0: none yet). */
uint64_t display_sixel_palette_key(const struct display_sixel *s);
/* A new palette from npx RGB pixels (the colours the view can show) and nfixed colours that must
 * be in it exactly; everything is sent again with it. -1 with *cause on a libsixel failure
 * (the old palette stays). */
int display_sixel_set_palette(struct display_sixel *s, uint64_t key, const uint8_t *rgb, size_t npx,
    const uint8_t *fixed, int nfixed, char **cause);

/* Appends to out what turns the terminal's area into px (cols*cell_w x rows*cell_h RGB): for each
 * rectangle of changed cells a cursor position (the area's top-left cell at x0, y0, 0-based)
 * and a sixel image. Without a palette, one is made from px. Returns the number of images
 * (0: nothing changed), -1 with *cause when encoding failed. */
int display_sixel_update(struct display_sixel *s, const uint8_t *px, int x0, int y0, struct sbuf *out,
    char **cause);

/* The rectangles that cover the cells marked in dirty (cols x rows, row by row, non-zero =
 * changed) at about the fewest bytes: runs of a row, grown down while that wastes little, then
 * merged in pairs while a merge covers at most DISPLAY_SIXEL_RECT_COST clean cells more. Writes at
 * most max to r; returns how many (when more would be needed, one rectangle around all). */
size_t display_sixel_rects(const uint8_t *dirty, int cols, int rows, struct display_sixel_rect *r, size_t max);

#endif
