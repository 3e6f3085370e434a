/* display_blocks.h: the image area in half blocks (display.h), for any terminal: each cell two
 * pixels, one above the other, in the colours the terminal has (blocks.c), and only the cells
 * whose colours changed are sent. The terminal's own cursor marks the cursor's cell. */
#ifndef PXL_DISPLAY_BLOCKS_H
#define PXL_DISPLAY_BLOCKS_H

#include "display.h"

extern const struct display_ops display_blocks_ops;

#endif
