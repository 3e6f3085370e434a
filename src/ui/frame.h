/* frame.h: the image area's frame. An image opened onto the screen (a quick preview while a big
 * one loads, then its view and pyramid), and each frame: a scene of the view, the masks, the
 * outline in progress and the cursor, handed to the display (display.h), which sends only what
 * changed in its own way. */
#ifndef PXL_FRAME_H
#define PXL_FRAME_H

#include "ui.h"

/* Opens image index of the session onto the screen (see session_goto): 0 when it is open. */
int frame_open(struct ui *u, size_t index);
/* The point where a vertex placed now goes: the cursor's image point, snapped. */
raster_pt frame_vertex(const struct ui *u, enum doc_snap_kind *kind);
/* Renders the image area and sends it; after chrome_draw returned 1. */
void frame_draw(struct ui *u);
/* Frees the pyramid and the marks. */
void frame_free(struct ui *u);

#endif
