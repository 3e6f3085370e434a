/* input.h: the annotator's input: a key or a mouse event (from ncurses' getch) turned into
 * session calls (edits, images) and view changes (cursor, zoom, pan, display curve). Counts
 * ("5l"), the class prompt and the help's scrolling live here too. */
#ifndef PXL_INPUT_H
#define PXL_INPUT_H

#include "ui.h"

/* Handles one getch() result (not ERR). */
void input_key(struct ui *u, int ch);

#endif
