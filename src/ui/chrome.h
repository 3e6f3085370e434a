/* chrome.h: the text of the annotator's screen, drawn with ncurses: the layout (image area, side
 * panel, status line), the status line and its message, the panel of classes and instances,
 * the help. The image area itself is frame.h's. */
#ifndef PXL_CHROME_H
#define PXL_CHROME_H

#include "ui.h"

/* The status line's message, shown until the next key. */
void chrome_say(struct ui *u, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The session's message, if it said something since the last call, becomes the status line's. */
void chrome_take_message(struct ui *u);
/* Places the image area and the panel for the terminal's size; when they change, the image is
 * wiped from the terminal, the display is placed anew, and the view and cursor follow. */
void chrome_layout(struct ui *u);
/* Draws the text of the screen and flushes it. Returns 1 when the image area is to be drawn
 * next (0: the terminal is too small, the image is not open, or the help covers it). */
int chrome_draw(struct ui *u);
/* A key while the help is shown: 1 when it scrolled it (j/k, arrows, Space, PgUp/PgDn, g/G,
 * Home/End), 0 for any other key. */
int chrome_help_key(struct ui *u, int ch);
/* The status line while an image of w x h pixels is loading. */
void chrome_loading(const char *image, int w, int h);

#endif
