/* no-terminal/term.h: src/core has no terminal in it (HACKING.md). The core's compiles find
 * this file before the real <term.h>, so including it there stops the build. */
#error "<term.h> is for src/ui only: the core library has no terminal (see HACKING.md)"
