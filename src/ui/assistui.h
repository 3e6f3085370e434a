/* assistui.h: the assist tools on the screen (the tools themselves are core: wand.h, region.h,
 * slic.h, scissors.h, model.h). A tool's result is a preview over the image, its pixel-edge
 * outline drawn as marks; Enter accepts it (session_apply_rings: new instance, add or cut by
 * the mode, over or behind, one undo step, saved at once), Esc drops it. While a preview is
 * up the wand's tolerance changes live. Work that takes long (superpixels, the model command)
 * runs beside the loop and is polled on idle, so the screen never freezes; Esc stops it. */
#ifndef PXL_ASSISTUI_H
#define PXL_ASSISTUI_H

#include "keys.h"
#include "raster.h"

struct ui;

/* model_command: the user's (config.ini or the command line), NULL for none. */
void assistui_init(struct ui *u, const char *model_command, double model_timeout);
void assistui_free(struct ui *u);
/* The image changed (or is about to): previews, superpixels and jobs of the old one go. */
void assistui_image_changed(struct ui *u);
/* An action: 1 when the assist tools took it (their own actions; Enter and Esc while a preview
 * or a job is up), 0 to go on as usual. */
int assistui_action(struct ui *u, enum action act);
/* Idle: polls the work running beside the loop. 1 when the screen should be drawn again. */
int assistui_idle(struct ui *u);
/* Whether a preview (wand, superpixel, model) waits for Enter or Esc. */
int assistui_previewing(const struct ui *u);
/* Whether something runs beside the loop (the loop then polls more often). */
int assistui_busy(const struct ui *u);
/* The preview and the superpixel boundaries as marks of the frame. */
void assistui_marks(struct ui *u);
/* With edge-following outlines on, the vertices between from and to along the strongest
 * edge (pixel centres; NULL and *n 0 when off or none): borrowed until the next call. */
const raster_pt *assistui_wire(struct ui *u, raster_pt from, raster_pt to, size_t *n);
/* The status line's word on the tool in use ("" when none), into buf. */
void assistui_status(const struct ui *u, char *buf, size_t n);

#endif
