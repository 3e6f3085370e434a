/* wand.h: the magic wand. The 4-connected region of pixels whose colour lies within a
 * tolerance of the colour of the pixel clicked (each channel apart, the largest difference:
 * a flat area and its anti-aliased rim are told apart by one number the user can read).
 *
 * It works on the image's original pixels, never on the view's brightness, contrast, gamma or
 * 16-bit window: those are for looking, and a region that changed with them would make the
 * same click give different masks from one annotator to the next. A 16-bit image is compared
 * in its own values, the tolerance scaled from 0..255 to the image's default window (its 0.5th
 * to 99.5th percentiles: the file's, whatever the view's window is), or to 0..65535 without one.
 *
 * The work follows the region: a scanline flood over a bitmap allocated in chunks of rows
 * where the flood goes, so a small region in a huge image is quick. */
#ifndef PXL_WAND_H
#define PXL_WAND_H

#include "img.h"
#include "region.h"

#define WAND_TOL_DEFAULT 24
#define WAND_TOL_MAX 255

/* The region from pixel (x, y) at tolerance tol (0..WAND_TOL_MAX) into *out (freed first with
 * region_free when it held one). -1 with *cause when (x, y) is outside the image. */
int wand_select(const struct img *im, int x, int y, int tol, struct region *out, char **cause)
    __attribute__((warn_unused_result));

#endif
