/* tty.c: terminal size and colour capability. */
#include "config.h"

#include "tty.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <curses.h>
#include <term.h>

static int env_int(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return 0;
	v = strtol(s, &end, 10);
	return *end || v <= 0 || v > 10000 ? 0 : (int)v;
}

void tty_size(int fd, int *cols, int *rows)
{
	struct winsize ws;

	*cols = env_int("COLUMNS");
	*rows = env_int("LINES");
	if (isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 && ws.ws_row > 0) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
	if (*cols <= 0)
		*cols = 80;
	if (*rows <= 0)
		*rows = 24;
}

enum colour_mode tty_colour_mode(void)
{
	const char *ct = getenv("COLORTERM"), *t = getenv("TERM");
	int err = 0, n;

	if (ct && (!strcmp(ct, "truecolor") || !strcmp(ct, "24bit")))
		return COLOUR_TRUECOLOR;
	if (!t || !*t)
		return COLOUR_16;
	/* Asks terminfo only: no screen is set up and nothing is written. */
	if (setupterm(t, STDOUT_FILENO, &err) != OK) {
		/* No entry on this machine (common over SSH for new terminals): the name tells. */
		if (strstr(t, "direct") || strstr(t, "kitty") || strstr(t, "alacritty") || strstr(t, "foot") ||
		    strstr(t, "wezterm") || strstr(t, "contour"))
			return COLOUR_TRUECOLOR;
		return strstr(t, "256") ? COLOUR_256 : COLOUR_16;
	}
	n = tigetflag("RGB") > 0 ? 1 << 24 : tigetnum("colors");
	del_curterm(cur_term);
	if (n >= (1 << 24))
		return COLOUR_TRUECOLOR;
	return n >= 256 ? COLOUR_256 : COLOUR_16;
}
