/* display_kitty.h: the image area through the kitty graphics protocol (display.h). The terminal
 * keeps the image: each pyramid level shown is uploaded once (zlib, in tiles of
 * DISPLAY_KITTY_TILE when it is large, only the tiles in view), and a zoom or a pan only moves
 * placements of source rectangles (kgp_axis), which kitty scales with nearest neighbour. Above
 * it, in layers of their own: the masks and marks as small RGBA tiles of the screen, sent
 * again only where they changed, and the cursor ring, one small image moved by a placement.
 * What the terminal holds is bounded (DISPLAY_KITTY_BUDGET, least recently used out first),
 * and every image is deleted when the annotator leaves. */
#ifndef PXL_DISPLAY_KITTY_H
#define PXL_DISPLAY_KITTY_H

#include "display.h"

/* A level larger than this a side is cut into tiles of this many pixels. */
#define DISPLAY_KITTY_TILE 512
/* What the terminal may hold of our images, in its own bytes (RGB: 3 a pixel). kitty's own
 * quota is 320 MB, shared with every program in the window; ours stays well below it. */
#define DISPLAY_KITTY_BUDGET ((size_t)96 << 20)
/* The overlay's tiles, in cells. */
#define DISPLAY_KITTY_OV_COLS 8
#define DISPLAY_KITTY_OV_ROWS 4

extern const struct display_ops display_kitty_ops;

#endif
