/* test_prefs.c: the user's config.ini: a good file, the XDG and HOME paths, and every error
 * naming the file and the right line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prefs.h"
#include "tfile.h"

static void user_error(const char *text, int line, const char *needle, const char *what)
{
	struct prefs u;
	char *path = put("err/config.ini", text), *cause = NULL;
	int rc = prefs_parse_file(path, &u, &cause);

	tap_ok(rc == -1 && has_line(cause, path, line) && strstr(cause, needle) && !u.path &&
	    !u.keys, "%s: %s", what, cause ? cause : "(no error)");
	prefs_free(&u);
	free(cause);
	free(path);
}

static void test_user(void)
{
	struct prefs u;
	char *path, *cause = NULL, *xdg, *home, *rel;
	int rc;

	path = put("user/config.ini",
	    "[display]\n"
	    "mode = sixel\n"
	    "colors = 256\n"
	    "overlay = outline\n"
	    "opacity = 35\n"
	    "[limits]\n"
	    "max_pixels = 100000000\n"
	    "max_file_size = 1099511627776\n"
	    "[keys]\n"
	    "quit = q\n"                    /* 10 */
	    "quit = C-c\n"
	    "zoom_in = +\n"
	    "colon = :\n");
	rc = prefs_parse_file(path, &u, &cause);
	tap_ok(rc == 0 && u.display == PREFS_DISPLAY_SIXEL && u.colors == 1 /* COLOUR_256 */ &&
	    u.overlay == PREFS_OVERLAY_OUTLINE && u.opacity == 35, "[display] read: %s",
	    cause ? cause : "");
	tap_ok(rc == 0 && u.max_pixels == 100000000ULL && u.max_file_size == 1ULL << 40,
	    "[limits] read, up to 2^40");
	tap_ok(rc == 0 && u.nkeys == 4 && !strcmp(u.keys[0].action, "quit") &&
	    !strcmp(u.keys[0].key, "q") && u.keys[0].line == 10 && !strcmp(u.keys[1].key, "C-c") &&
	    u.keys[1].line == 11 && !strcmp(u.keys[2].key, "+") && !strcmp(u.keys[3].key, ":"),
	    "[keys] kept in order, an action may have two keys");
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path) && u.nwarnings == 0, "path kept");
	prefs_free(&u);
	free(path);

	/* [assist]: the model command, as written (split later, without a shell). */
	path = put("assist/config.ini", "[assist]\ncommand = /usr/bin/python3 'my sam.py' --x $HOME\ntimeout = 90\n");
	rc = prefs_parse_file(path, &u, &cause);
	tap_ok(rc == 0 && u.assist_command && !strcmp(u.assist_command, "/usr/bin/python3 'my sam.py' --x $HOME") &&
	    u.assist_timeout == 90 && u.nwarnings == 0, "[assist] command and timeout read");
	prefs_free(&u);
	free(path);
	user_error("[assist]\ncommand =\n", 2, "[assist] command is empty", "an empty model command");
	user_error("[assist]\ntimeout = 0\n", 2, "timeout must be a whole number of seconds", "a timeout of 0");

	user_error("[display]\nmode = kittty\n", 2, "mode must be auto, kitty, sixel or blocks, not \"kittty\"",
	    "bad display mode");
	user_error("[display]\ncolors = 88\n", 2, "auto, truecolor, 256 or 16", "bad colors");
	user_error("[display]\noverlay = dotted\n", 2, "filled, outline or off", "bad overlay");
	user_error("[display]\nopacity = 101\n", 2, "from 0 to 100", "opacity 101");
	user_error("[display]\nopacity = 50%\n", 2, "not \"50%\"", "opacity with a percent sign");
	user_error("[display]\nmode = auto\nmode = blocks\n", 3, "given twice", "mode twice");
	user_error("[limits]\nmax_pixels = 0\n", 2, "from 1 to 1099511627776", "max_pixels 0");
	user_error("[limits]\n\nmax_file_size = 1099511627777\n", 3, "from 1 to", "over 2^40");
	user_error("[keys]\nquit = \n", 2, "quit has no key", "empty key");
	user_error("[keys]\n= q\n", 2, "no action", "empty action");
	user_error("[keys]\nquit = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\nhelp = aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
	    3, "longer than 32 bytes", "32-byte key fine, 33-byte key not");
	user_error("[keys]\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = q\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa = q\n",
	    3, "longer than 32 bytes", "32-byte action fine, 33-byte action not");
	user_error("[keys]\nquit = \x1b[A\n", 2, "control character", "escape in a key");
	user_error("[display]\nmode blocks\n", 2, "NAME = VALUE", "config.ini syntax error");

	xdg = xasprintf("%s/xdg", tmp);
	home = xasprintf("%s/home", tmp);
	setenv("XDG_CONFIG_HOME", xdg, 1);
	setenv("HOME", home, 1);
	rc = prefs_load(&u, &cause);
	tap_ok(rc == 0 && !u.path && u.display == PREFS_DISPLAY_AUTO && u.colors == -1 &&
	    u.overlay == PREFS_OVERLAY_FILLED && u.opacity == 50 && u.max_pixels == 0 &&
	    u.nkeys == 0, "no config.ini: defaults, path NULL: %s", cause ? cause : "");
	prefs_free(&u);

	path = put("xdg/pxlabel/config.ini", "[display]\nmode = blocks\n");
	free(put("home/.config/pxlabel/config.ini", "[display]\nmode = sixel\n"));
	rc = prefs_load(&u, &cause);
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path) && u.display == PREFS_DISPLAY_BLOCKS,
	    "$XDG_CONFIG_HOME/pxlabel/config.ini is read first: %s", cause ? cause : "");
	prefs_free(&u);
	free(path);

	unsetenv("XDG_CONFIG_HOME");
	path = xasprintf("%s/home/.config/pxlabel/config.ini", tmp);
	rc = prefs_load(&u, &cause);
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path) && u.display == PREFS_DISPLAY_SIXEL,
	    "without XDG_CONFIG_HOME: $HOME/.config/pxlabel/config.ini");
	prefs_free(&u);

	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	rc = prefs_load(&u, &cause);
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path), "a relative XDG_CONFIG_HOME is ignored");
	prefs_free(&u);
	free(path);

	setenv("XDG_CONFIG_HOME", xdg, 1);
	path = put("xdg/pxlabel/config.ini", "[display]\nopacity = 300\n");
	rc = prefs_load(&u, &cause);
	tap_ok(rc == -1 && has_line(cause, path, 2), "load reports errors with the line: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	free(path);

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	rel = prefs_path();
	rc = prefs_load(&u, &cause);
	tap_ok(!rel && rc == 0 && !u.path && u.opacity == 50, "no HOME at all: defaults");
	prefs_free(&u);
	free(xdg);
	free(home);
}

static void test_user_warnings(void)
{
	struct prefs u;
	char *path, *cause = NULL;
	int rc;

	path = put("warn/config.ini", "[display]\nmode = blocks\nsharpness = 3\n[plugins]\nx = 1\n");
	rc = prefs_parse_file(path, &u, &cause);
	tap_ok(rc == 0 && u.display == PREFS_DISPLAY_BLOCKS && u.nwarnings == 2 &&
	    has_line(u.warnings[0], path, 3) && has_line(u.warnings[1], path, 4),
	    "config.ini: unknown key and section are warnings: %s", cause ? cause : "");
	prefs_free(&u);
	free(cause);
	free(path);
}

static void test_user_mem(void)
{
	struct prefs u;
	char *cause = NULL;

	tap_ok(prefs_parse_mem("<mem>", "", 0, &u, &cause) == 0 && u.opacity == 50 &&
	    u.colors == -1, "an empty config.ini is the defaults");
	prefs_free(&u);
	free(cause);
}

int main(void)
{
	tfile_start();
	test_user();
	test_user_warnings();
	test_user_mem();
	tfile_end();
	return tap_done();
}
