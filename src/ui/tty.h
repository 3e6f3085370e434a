/* tty.h: what the terminal is: its size in cells and how many colours it shows. */
#ifndef PXL_TTY_H
#define PXL_TTY_H

#include "colour.h"

/* The size of the terminal on fd (cells), else $COLUMNS/$LINES, else 80x24. */
void tty_size(int fd, int *cols, int *rows);
/* From $COLORTERM (truecolor/24bit), then terminfo's colour count for $TERM. */
enum colour_mode tty_colour_mode(void);

#endif
