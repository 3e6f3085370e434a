/* no-terminal/ncurses.h: src/core has no terminal in it (HACKING.md). The core's compiles find
 * this file before the real <ncurses.h>, so including it there stops the build. */
#error "<ncurses.h> is for src/ui only: the core library has no terminal (see HACKING.md)"
