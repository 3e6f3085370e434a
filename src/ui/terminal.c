/* terminal.c: taking the terminal and giving it back (see terminal.h): the query before
 * curses, ncurses' set-up, signals, and what was typed meanwhile. */
#include "config.h"

#include "terminal.h"

#include <curses.h>
#include <term.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "display.h"
#include "sixelout.h"
#include "tquery.h"
#include "tty.h"
#include "xalloc.h"

#define IDLE_MS 250 /* getch gives up after this, for the idle work */

static SCREEN *screen;
static volatile sig_atomic_t got_signal;

static void on_signal(int sig) { got_signal = sig; }

int terminal_signal(void)
{
	return got_signal;
}

/* Out of memory: the terminal must come back usable even then. */
static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

/* ncurses on $TERM; a server often lacks the terminfo entry of a new terminal (alacritty, foot,
 * kitty), so fall back to xterm's, which they all follow, rather than refuse to start. */
static SCREEN *open_terminal(char *note, size_t n)
{
	const char *term = getenv("TERM");
	const char *fallback = term && (strstr(term, "256") || strstr(term, "direct") || strstr(term, "kitty") ||
	    strstr(term, "alacritty") || strstr(term, "foot") || strstr(term, "wezterm")) ? "xterm-256color" : "xterm";
	SCREEN *scr;
	int err = 0;

	if (term && *term && setupterm(term, STDOUT_FILENO, &err) == OK) {
		int addressable = tigetstr("cup") && tigetstr("cup") != (char *)-1;

		del_curterm(cur_term);
		if (!addressable) {
			fprintf(stderr, "pxlabel: the terminal '%s' cannot move its cursor; the annotator needs one that can\n", term);
			return NULL;
		}
		scr = newterm(term, stdout, stdin);
		if (scr)
			return scr;
	}
	scr = newterm(fallback, stdout, stdin);
	if (!scr) {
		fprintf(stderr, "pxlabel: no terminfo entry for '%s' or %s (install ncurses-term, or set TERM)\n",
		    term ? term : "", fallback);
		return NULL;
	}
	snprintf(note, n, "no terminfo for TERM=%s: using %s", term ? term : "", fallback);
	return scr;
}

/* Keys typed while the terminal was being asked, after its last reply, back into ncurses'
 * input: bytes one by one, escape sequences as the keys they are (they were typed before
 * keypad mode, so arrows come as CSI or SS3 either way), other sequences dropped. */
static void unget_typeahead(const unsigned char *p, size_t n)
{
	int keys[64];
	size_t i = 0, nk = 0;

	while (i < n && nk < sizeof(keys) / sizeof(keys[0])) {
		char seq[32];
		size_t j = i + 2, len;
		int code;

		if (p[i] != 27 || i + 2 > n || (p[i + 1] != '[' && p[i + 1] != 'O')) {
			keys[nk++] = p[i++];
			continue;
		}
		if (p[i + 1] == '[')
			while (j < n && p[j] >= 0x20 && p[j] < 0x40)
				j++;
		if (j >= n) /* cut short: the rest is lost */
			break;
		len = j + 1 - i;
		if (len >= sizeof(seq)) {
			i = j + 1;
			continue;
		}
		memcpy(seq, p + i, len);
		seq[len] = '\0';
		code = key_defined(seq);
		if (code <= 0 && len == 3) { /* the other cursor-key mode's form */
			seq[1] = seq[1] == '[' ? 'O' : '[';
			code = key_defined(seq);
		}
		if (code > 0)
			keys[nk++] = code;
		i = j + 1;
	}
	while (nk > 0)
		ungetch(keys[--nk]);
}

int terminal_start(struct ui *u, const struct app_opts *opts)
{
	struct sixelout_probe probe;
	struct sigaction sa;
	char *cause = NULL;
	int mode, want, cell_w, cell_h;

	mode = opts && opts->colours >= 0 ? opts->colours : u->user.colors >= 0 ? u->user.colors : (int)tty_colour_mode();
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "pxlabel: the annotator needs a terminal (for a preview in a pipe: pxlabel render)\n");
		return -1;
	}
	/* Sixel or blocks, asked before curses starts: the command line, else config.ini's
	 * [display] mode, else the terminal's answer. A terminal that cannot be asked is blocks. */
	want = opts && opts->display >= 0 ? opts->display : u->user.display == PREFS_DISPLAY_SIXEL ? TQUERY_DISPLAY_SIXEL :
	    u->user.display == PREFS_DISPLAY_BLOCKS ? TQUERY_DISPLAY_BLOCKS :
	    u->user.display == PREFS_DISPLAY_KITTY ? TQUERY_DISPLAY_KITTY : TQUERY_DISPLAY_AUTO;
	(void)sixelout_probe((enum tquery_display)want, opts && opts->query_timeout >= 0 ? opts->query_timeout :
	    SIXELOUT_TIMEOUT_MS, &probe, &cause);
	free(cause);
	cell_w = opts && opts->cell_w > 0 ? opts->cell_w : probe.cell_w;
	cell_h = opts && opts->cell_h > 0 ? opts->cell_h : probe.cell_h;
	u->cell_fixed = (opts && opts->cell_w > 0) || probe.cell_source != TQUERY_CELL_WINSIZE;
	{
		/* Two levels in 255 cannot be seen, and merging them saves about a fifth of the bytes
		 * of a truecolor screen. */
		struct display_config dc = { STDOUT_FILENO, (enum colour_mode)mode, 2, cell_w, cell_h, probe.colours,
			probe.reply.geom_w, probe.reply.geom_h };

		static char label[64];
		const char *name = probe.display == TQUERY_DISPLAY_KITTY ? "kitty" :
		    probe.display == TQUERY_DISPLAY_SIXEL ? "sixel" : "blocks";

		if (display_open(&u->area, display_find(name), &dc, &cause) != 0) {
			fprintf(stderr, "pxlabel: %s\n", cause);
			free(cause);
			return -1;
		}
		/* The status line says which, and why not a better one when that is known. */
		snprintf(label, sizeof(label), "%s%s%s%s", display_name(&u->area), probe.why ? " (" : "",
		    probe.why ? probe.why : "", probe.why ? ")" : "");
		u->display = label;
	}
	screen = open_terminal(u->msg, sizeof(u->msg));
	if (!screen) {
		display_close(&u->area);
		return -1;
	}
	xalloc_set_oom_hook(restore_terminal);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	idlok(stdscr, FALSE);
	scrollok(stdscr, FALSE);
	set_escdelay(100); /* Esc alone vs. the start of an arrow key, over SSH */
	timeout(IDLE_MS);
	if (has_colors()) {
		start_color();
		use_default_colors();
	}
	if (!opts || !opts->no_mouse) {
		mousemask(ALL_MOUSE_EVENTS | REPORT_MOUSE_POSITION, NULL);
		mouseinterval(0);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (probe.npending)
		unget_typeahead(probe.pending, probe.npending);
	return 0;
}

int terminal_key_waiting(void)
{
	int ch;

	timeout(0);
	ch = getch();
	timeout(IDLE_MS);
	return ch;
}

void terminal_end(int hung_up)
{
	if (!screen)
		return;
	if (!hung_up) {
		erase();
		refresh();
	}
	endwin();
	delscreen(screen);
	screen = NULL;
}

void terminal_check_cells(struct ui *u)
{
	struct winsize ws;
	int cw, ch;

	if (!display_has(&u->area, DISPLAY_FONT_CELLS) || u->cell_fixed || ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
		return;
	if (tquery_cell_size(NULL, ws.ws_col, ws.ws_row, ws.ws_xpixel, ws.ws_ypixel, &cw, &ch) != TQUERY_CELL_WINSIZE)
		return;
	if (cw == u->area.cell_w && ch == u->area.cell_h)
		return;
	display_set_cell(&u->area, cw, ch);
	u->term_cols = -1;
}
