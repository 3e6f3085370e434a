/* frame.h: the image area's frame. An image opened onto the screen (a quick preview while a big
 * one loads, then its view and pyramid), and each frame: the view rendered with the overlay, the
 * outline in progress and the cursor marker drawn into its pixels, the sixel palette chosen for
 * the view, all handed to imgarea, which sends only what changed. */
#ifndef PXL_FRAME_H
#define PXL_FRAME_H

#include "ui.h"

/* Opens image index of the session onto the screen (see session_goto): 0 when it is open. */
int frame_open(struct ui *u, size_t index);
/* The point where a vertex placed now goes: the cursor's image point, snapped. */
raster_pt frame_vertex(const struct ui *u, enum doc_snap_kind *kind);
/* Renders the image area and sends it; after chrome_draw returned 1. */
void frame_draw(struct ui *u);
/* Frees the frame buffer and the pyramid. */
void frame_free(struct ui *u);

#endif
