/* prefs.c: the user's config.ini ([display], [limits], [keys], [review]), read through inifile.c. */
#include "config.h"

#include "prefs.h"

#include <stdlib.h>
#include <string.h>

#include "colour.h"
#include "doc.h"
#include "err.h"
#include "inifile.h"
#include "text.h"
#include "xalloc.h"

#define MAX_LIMIT (1ULL << 40)
#define USER_DEFAULT_OPACITY 50

struct prefsparse {
	enum { U_NONE, U_DISPLAY, U_LIMITS, U_KEYS, U_REVIEW, U_ASSIST, U_OTHER } sec;
	struct prefs *u;
	int mode_line, colors_line, overlay_line, opacity_line, pixels_line, size_line;
};

static int user_section(struct inifile *f, const char *section)
{
	struct prefsparse *up = f->ctx;
	char q[TEXT_QUOTE_BUF];

	if (!strcmp(section, "display")) {
		up->sec = U_DISPLAY;
	} else if (!strcmp(section, "limits")) {
		up->sec = U_LIMITS;
	} else if (!strcmp(section, "keys")) {
		up->sec = U_KEYS;
	} else if (!strcmp(section, "review")) {
		up->sec = U_REVIEW;
	} else if (!strcmp(section, "assist")) {
		up->sec = U_ASSIST;
	} else {
		inifile_warn(f, f->line, "unknown section [%s] (ignored)", text_quote(q, section));
		up->sec = U_OTHER;
	}
	return 0;
}

static int user_display(struct inifile *f, const char *name, const char *value)
{
	struct prefsparse *up = f->ctx;
	struct prefs *u = up->u;
	unsigned long long v;
	char q[TEXT_QUOTE_BUF];
	int c;

	if (!strcmp(name, "mode")) {
		if (inifile_set_once(f, &up->mode_line, "[display]", name) < 0)
			return -1;
		if (!strcmp(value, "auto"))
			u->display = PREFS_DISPLAY_AUTO;
		else if (!strcmp(value, "sixel"))
			u->display = PREFS_DISPLAY_SIXEL;
		else if (!strcmp(value, "blocks"))
			u->display = PREFS_DISPLAY_BLOCKS;
		else if (!strcmp(value, "kitty"))
			u->display = PREFS_DISPLAY_KITTY;
		else
			return inifile_fail(f, f->line, "[display] mode must be auto, kitty, sixel or blocks, not %s",
			    text_quote(q, value));
	} else if (!strcmp(name, "colors") || !strcmp(name, "colours")) {
		if (inifile_set_once(f, &up->colors_line, "[display]", "colors") < 0)
			return -1;
		c = strcmp(value, "auto") ? colour_mode_parse(value) : -1;
		if (c < 0 && strcmp(value, "auto"))
			return inifile_fail(f, f->line,
			    "[display] %s must be auto, truecolor, 256 or 16, not %s", name,
			    text_quote(q, value));
		u->colors = c;
	} else if (!strcmp(name, "overlay")) {
		if (inifile_set_once(f, &up->overlay_line, "[display]", name) < 0)
			return -1;
		if (!strcmp(value, "filled"))
			u->overlay = PREFS_OVERLAY_FILLED;
		else if (!strcmp(value, "outline"))
			u->overlay = PREFS_OVERLAY_OUTLINE;
		else if (!strcmp(value, "off"))
			u->overlay = PREFS_OVERLAY_OFF;
		else
			return inifile_fail(f, f->line,
			    "[display] overlay must be filled, outline or off, not %s", text_quote(q, value));
	} else if (!strcmp(name, "opacity")) {
		if (inifile_set_once(f, &up->opacity_line, "[display]", name) < 0)
			return -1;
		if (inifile_number(value, 0, 100, &v) < 0)
			return inifile_fail(f, f->line,
			    "[display] opacity must be a whole number from 0 to 100, not %s",
			    text_quote(q, value));
		u->opacity = (int)v;
	} else {
		inifile_warn(f, f->line, "[display] unknown key %s (ignored)", text_quote(q, name));
	}
	return 0;
}

static int user_limits(struct inifile *f, const char *name, const char *value)
{
	struct prefsparse *up = f->ctx;
	unsigned long long v, *dest;
	char q[TEXT_QUOTE_BUF];
	int *line;

	if (!strcmp(name, "max_pixels")) {
		line = &up->pixels_line;
		dest = &up->u->max_pixels;
	} else if (!strcmp(name, "max_file_size")) {
		line = &up->size_line;
		dest = &up->u->max_file_size;
	} else {
		inifile_warn(f, f->line, "[limits] unknown key %s (ignored)", text_quote(q, name));
		return 0;
	}
	if (inifile_set_once(f, line, "[limits]", name) < 0)
		return -1;
	if (inifile_number(value, 1, MAX_LIMIT, &v) < 0)
		return inifile_fail(f, f->line, "[limits] %s must be a whole number from 1 to %llu, not %s",
		    name, MAX_LIMIT, text_quote(q, value));
	*dest = v;
	return 0;
}

static int user_key(struct inifile *f, const char *name, const char *value)
{
	struct prefs *u = ((struct prefsparse *)f->ctx)->u;
	struct prefs_keybinding *kb;
	const char *problem;
	char q[TEXT_QUOTE_BUF], why[TEXT_PROBLEM_BUF];

	if (!*name)
		return inifile_fail(f, f->line, "[keys] a line with no action: ACTION = KEY");
	if ((problem = text_problem(name, PREFS_MAX_KEYSPEC, why)))
		return inifile_fail(f, f->line, "[keys] action %s %s", text_quote(q, name), problem);
	if (!*value)
		return inifile_fail(f, f->line, "[keys] %s has no key", name);
	if ((problem = text_problem(value, PREFS_MAX_KEYSPEC, why)))
		return inifile_fail(f, f->line, "[keys] %s: key %s %s", name, text_quote(q, value), problem);
	u->keys = xreallocarray(u->keys, u->nkeys + 1, sizeof(*u->keys));
	kb = &u->keys[u->nkeys++];
	kb->action = xstrdup(name);
	kb->key = xstrdup(value);
	kb->line = f->line;
	return 0;
}

static int user_review(struct inifile *f, const char *name, const char *value)
{
	struct prefsparse *up = f->ctx;
	char q[TEXT_QUOTE_BUF];

	if (strcmp(name, "name")) {
		inifile_warn(f, f->line, "unknown key %s in [review] (ignored)", text_quote(q, name));
		return 0;
	}
	/* The name goes into sidecars and onto status lines: the rule of the review record. */
	if (!*value || doc_note_check(value, DOC_MAX_REVIEWER, "name", NULL) != 0)
		return inifile_fail(f, f->line, "[review] name must be 1 to %d bytes of text", DOC_MAX_REVIEWER);
	free(up->u->review_name);
	up->u->review_name = xstrdup(value);
	return 0;
}

/* The model command: the user's own, so any text that splits into words (model.h). */
static int user_assist(struct inifile *f, const char *name, const char *value)
{
	struct prefsparse *up = f->ctx;
	char q[TEXT_QUOTE_BUF];
	unsigned long long v;

	if (!strcmp(name, "command")) {
		if (!*value)
			return inifile_fail(f, f->line, "[assist] command is empty");
		free(up->u->assist_command);
		up->u->assist_command = xstrdup(value);
		return 0;
	}
	if (!strcmp(name, "timeout")) {
		if (inifile_number(value, 1, 3600, &v) < 0)
			return inifile_fail(f, f->line, "[assist] timeout must be a whole number of seconds from 1 to 3600, not %s",
			    text_quote(q, value));
		up->u->assist_timeout = (double)v;
		return 0;
	}
	inifile_warn(f, f->line, "unknown key %s in [assist] (ignored)", text_quote(q, name));
	return 0;
}

static int user_pair(struct inifile *f, const char *name, const char *value)
{
	struct prefsparse *up = f->ctx;
	char q[TEXT_QUOTE_BUF];

	switch (up->sec) {
	case U_NONE:
		inifile_warn(f, f->line, "%s outside any section (ignored)", text_quote(q, name));
		return 0;
	case U_OTHER:
		return 0;
	case U_DISPLAY:
		return user_display(f, name, value);
	case U_LIMITS:
		return user_limits(f, name, value);
	case U_KEYS:
		return user_key(f, name, value);
	case U_REVIEW:
		return user_review(f, name, value);
	case U_ASSIST:
		return user_assist(f, name, value);
	}
	return 0;
}

void prefs_defaults(struct prefs *out)
{
	memset(out, 0, sizeof(*out));
	out->display = PREFS_DISPLAY_AUTO;
	out->colors = -1;
	out->overlay = PREFS_OVERLAY_FILLED;
	out->opacity = USER_DEFAULT_OPACITY;
}

int prefs_parse_mem(const char *name, const char *text, size_t len, struct prefs *out,
    char **cause)
{
	struct prefsparse up;
	struct inifile f;
	int rc = -1;

	prefs_defaults(out);
	memset(&up, 0, sizeof(up));
	up.u = out;
	inifile_init(&f, name, text, len, user_section, user_pair, &up);
	if (inifile_parse(&f) < 0)
		goto out;
	out->path = xstrdup(name);
	inifile_take_warnings(&f, &out->warnings, &out->nwarnings);
	rc = 0;
out:
	if (rc < 0) {
		err_set(cause, "%s", f.cause ? f.cause : "invalid configuration");
		prefs_free(out);
	}
	inifile_free(&f);
	return rc;
}

int prefs_parse_file(const char *path, struct prefs *out, char **cause)
{
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (inifile_read(path, &text, &len, NULL, cause) < 0)
		return -1;
	rc = prefs_parse_mem(path, text, len, out, cause);
	free(text);
	return rc;
}

char *prefs_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	/* The XDG base directory spec: a relative value is invalid and must be ignored. */
	if (xdg && xdg[0] == '/')
		return xasprintf("%s/pxlabel/config.ini", xdg);
	if (home && home[0])
		return xasprintf("%s/.config/pxlabel/config.ini", home);
	return NULL;
}

int prefs_load(struct prefs *out, char **cause)
{
	char *path = prefs_path(), *text = NULL;
	size_t len;
	int missing = 0, rc = -1;

	prefs_defaults(out);
	if (!path)
		return 0;
	if (inifile_read(path, &text, &len, &missing, cause) < 0)
		goto out;
	if (missing) {
		rc = 0;
		goto out;
	}
	rc = prefs_parse_mem(path, text, len, out, cause);
out:
	if (rc < 0)
		memset(out, 0, sizeof(*out));
	free(text);
	free(path);
	return rc;
}

void prefs_free(struct prefs *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->nkeys; i++) {
		free(u->keys[i].action);
		free(u->keys[i].key);
	}
	free(u->keys);
	free(u->review_name);
	free(u->assist_command);
	free(u->path);
	inifile_strings_free(u->warnings, u->nwarnings);
	memset(u, 0, sizeof(*u));
}
