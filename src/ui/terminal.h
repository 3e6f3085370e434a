/* terminal.h: the annotator takes the terminal and gives it back. Before curses the terminal is
 * asked what it shows (sixel or blocks, the cell size); then ncurses starts with the modes the
 * annotator needs (raw keys, the mouse, a key timeout for idle work), and hang-up, termination
 * and interrupt are caught so the work is saved before the process ends. On the way out the
 * terminal is restored, also when memory runs out. */
#ifndef PXL_TERMINAL_H
#define PXL_TERMINAL_H

#include "app.h"
#include "ui.h"

/* Takes the terminal for u and opens the display the terminal answered for (or the user
 * chose) as u->area, named in u->display. Returns 0, or -1 after a message on stderr (not a
 * terminal, no terminfo). */
int terminal_start(struct ui *u, const struct app_opts *opts);
/* Gives the terminal back; after a hang-up nothing more is written to it. */
void terminal_end(int hung_up);
/* A key already typed, or ERR at once when none is waiting (the loop applies every key of a
 * burst before it draws). */
int terminal_key_waiting(void);
/* The signal caught (SIGHUP, SIGTERM or SIGINT), 0 while none came. */
int terminal_signal(void);
/* A display whose cells are the font's pixels (sixel), after a resize: a new font changes the
 * pixels of a cell, whether or not the count of cells changes. The window's pixel size tells
 * (when the cell size came from it); the next layout then starts over. */
void terminal_check_cells(struct ui *u);

#endif
