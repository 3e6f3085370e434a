/* test_cfg.c: pxlabel.ini and config.ini: good files, the upward search, the XDG and HOME
 * paths, and every error naming the file and the right line. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfg.h"
#include "tap.h"
#include "xalloc.h"

static char tmp[] = "/tmp/pxl-cfg-XXXXXX";
static const char a70[] = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

static void mkdirs(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0777);
		*s = '/';
	}
	mkdir(p, 0777);
	free(p);
}

/* Writes len bytes to tmp/rel (making its folders) and returns the path. */
static char *put_len(const char *rel, const char *text, size_t len)
{
	char *path = xasprintf("%s/%s", tmp, rel), *dir = xstrdup(path);
	FILE *fp;

	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	free(dir);
	fp = fopen(path, "wb");
	if (!fp || fwrite(text, 1, len, fp) != len || fclose(fp) != 0) {
		tap_diag("cannot write %s: %s", path, strerror(errno));
		exit(99);
	}
	return path;
}

static char *put(const char *rel, const char *text)
{
	return put_len(rel, text, strlen(text));
}

/* The error must name the file and the line ("PATH:LINE: ") and say what (needle). */
static int has_line(const char *cause, const char *path, int line)
{
	char *want = xasprintf("%s:%d: ", path, line);
	int ok = cause && strstr(cause, want) == cause;

	free(want);
	return ok;
}

static void ds_error_len(const char *text, size_t len, int line, const char *needle,
    const char *what)
{
	struct cfg_dataset ds;
	char *path = put_len("err/pxlabel.ini", text, len), *cause = NULL;
	int rc = cfg_dataset_parse_file(path, &ds, &cause);

	tap_ok(rc == -1 && has_line(cause, path, line) && strstr(cause, needle) && !ds.classes &&
	    !ds.path, "%s: %s", what, cause ? cause : "(no error)");
	cfg_dataset_free(&ds);
	free(cause);
	free(path);
}

static void ds_error(const char *text, int line, const char *needle, const char *what)
{
	ds_error_len(text, strlen(text), line, needle, what);
}

static void user_error(const char *text, int line, const char *needle, const char *what)
{
	struct cfg_user u;
	char *path = put("err/config.ini", text), *cause = NULL;
	int rc = cfg_user_parse_file(path, &u, &cause);

	tap_ok(rc == -1 && has_line(cause, path, line) && strstr(cause, needle) && !u.path &&
	    !u.keys, "%s: %s", what, cause ? cause : "(no error)");
	cfg_user_free(&u);
	free(cause);
	free(path);
}

static int rgb_is(struct pngio_rgb c, unsigned hex)
{
	return c.r == (hex >> 16 & 0xff) && c.g == (hex >> 8 & 0xff) && c.b == (hex & 0xff);
}

static void test_good_dataset(void)
{
	struct cfg_dataset ds;
	const struct cfg_class *c;
	char *path, *cause = NULL, *text;
	int rc;

	path = put("good/pxlabel.ini",
	    "; the classes of a street scene\n"                  /* 1 */
	    "[class vehicle]\n"                                  /* 2 */
	    "id = 10\n"
	    "color = #112233\n"
	    "key = v\n"
	    "\n"
	    "[class car]\n"                                      /* 7 */
	    "    id = 3     ; indented, with a comment\n"
	    "    parent = vehicle\n"
	    "    key = c\n"
	    "[class road]\n"                                     /* 11 */
	    "id=1\n"
	    "# a comment of the other kind\n"
	    "[class traffic light]\n"                            /* 14 */
	    "id = 7\n"
	    "colour = #ABCDEF\n"
	    "parent = car\n");
	rc = cfg_dataset_parse_file(path, &ds, &cause);
	tap_ok(rc == 0, "a good pxlabel.ini parses: %s", cause ? cause : "");
	tap_ok(ds.nclasses == 4 && ds.classes[0].id == 1 && ds.classes[1].id == 3 &&
	    ds.classes[2].id == 7 && ds.classes[3].id == 10, "classes are sorted by id");
	tap_ok(ds.path && !strcmp(ds.path, path) && ds.nwarnings == 0, "path kept, no warnings");
	c = cfg_class_by_name(&ds, "car");
	tap_ok(c && c->id == 3 && c->parent_id == 10 && c->key == 'c' && c->line == 7,
	    "car: id, parent, key and line");
	tap_ok(c && rgb_is(c->colour, 0xffe119), "without color a class takes palette[id - 1]");
	c = cfg_class_by_id(&ds, 10);
	tap_ok(c && !strcmp(c->name, "vehicle") && rgb_is(c->colour, 0x112233) &&
	    c->parent_id == 0 && c->line == 2, "vehicle: colour given, no parent");
	c = cfg_class_by_name(&ds, "traffic light");
	tap_ok(c && c->id == 7 && rgb_is(c->colour, 0xabcdef) && c->parent_id == 3 && c->key == 0 &&
	    c->line == 14, "a name with a space; colour spelt colour, in capitals; no key");
	c = cfg_class_by_id(&ds, 1);
	tap_ok(c && !strcmp(c->name, "road") && rgb_is(c->colour, 0xe6194b) && c->line == 11,
	    "road: id=1 without spaces, first palette colour");
	tap_ok(cfg_class_by_key(&ds, 'v') == cfg_class_by_id(&ds, 10) && !cfg_class_by_key(&ds, 'x') &&
	    !cfg_class_by_key(&ds, 0) && !cfg_class_by_id(&ds, 2) && !cfg_class_by_name(&ds, "Car"),
	    "look-ups by key, id and name, and their misses");
	tap_ok(!strcmp(ds.sidecar_suffix, ".pxl.json") && !strcmp(ds.labels_suffix, ".labels.png") &&
	    !strcmp(ds.instances_suffix, ".instances.png"), "default suffixes");
	cfg_dataset_free(&ds);
	tap_ok(ds.classes == NULL && ds.nclasses == 0, "free leaves an empty data set");
	free(path);

	tap_ok(rgb_is(cfg_default_colour(1), 0xe6194b) && rgb_is(cfg_default_colour(2), 0x3cb44b) &&
	    rgb_is(cfg_default_colour(20), 0x808080) && rgb_is(cfg_default_colour(21), 0xe6194b) &&
	    rgb_is(cfg_default_colour(255), 0x800000), "default colours follow the id round the palette");

	path = put("good2/pxlabel.ini",
	    "\xef\xbb\xbf[pxlabel]\r\n"
	    "sidecar_suffix = .ann.json\r\n"
	    "labels_suffix = .cls.png\r\n"
	    "instances_suffix = .inst.png\r\n");
	cause = NULL;
	rc = cfg_dataset_parse_file(path, &ds, &cause);
	tap_ok(rc == 0 && !strcmp(ds.sidecar_suffix, ".ann.json") &&
	    !strcmp(ds.labels_suffix, ".cls.png") && !strcmp(ds.instances_suffix, ".inst.png"),
	    "suffixes set, in a CRLF file with a BOM: %s", cause ? cause : "");
	tap_ok(rc == 0 && ds.nclasses == 2 && !strcmp(ds.classes[0].name, "background") &&
	    ds.classes[0].key == 'b' && !strcmp(ds.classes[1].name, "object") &&
	    ds.classes[1].key == 'o' && ds.classes[1].id == 2, "no [class] sections: the built-in classes");
	cfg_dataset_free(&ds);
	free(cause);
	free(path);

	/* Longer than inih's 49-byte section names: the two would be one class if cut there.
	 * "\xc3\xa9" is one character of two bytes: 2 + 61 + 1 = 64 bytes. */
	text = xasprintf("[class \xc3\xa9%.61s1]\nid = 1\n[class \xc3\xa9%.61s2]\nid = 2\n", a70, a70);
	path = put("good3/pxlabel.ini", text);
	free(text);
	cause = NULL;
	rc = cfg_dataset_parse_file(path, &ds, &cause);
	tap_ok(rc == 0 && ds.nclasses == 2 && strlen(ds.classes[1].name) == 64 &&
	    ds.classes[1].name[63] == '2', "64-byte UTF-8 names are kept whole: %s",
	    cause ? cause : "");
	cfg_dataset_free(&ds);
	free(cause);
	free(path);
}

static void test_warnings(void)
{
	struct cfg_dataset ds;
	struct cfg_user u;
	char *path, *cause = NULL, *text, *p;
	int rc, i;

	path = put("warn/pxlabel.ini",
	    "stray = 1\n"                  /* 1 */
	    "[class car]\n"
	    "id = 1\n"
	    "shape = polygon\n"            /* 4 */
	    "[pxlabel]\n"
	    "version = 9\n"                /* 6 */
	    "[future]\n"                   /* 7 */
	    "anything = goes\n"
	    "[classes]\n");                /* 9 */
	rc = cfg_dataset_parse_file(path, &ds, &cause);
	tap_ok(rc == 0 && ds.nclasses == 1, "unknown keys and sections are not errors: %s",
	    cause ? cause : "");
	tap_ok(ds.nwarnings == 5 && has_line(ds.warnings[0], path, 1) &&
	    has_line(ds.warnings[1], path, 4) && strstr(ds.warnings[1], "\"shape\"") &&
	    has_line(ds.warnings[2], path, 6) && has_line(ds.warnings[3], path, 7) &&
	    strstr(ds.warnings[3], "[\"future\"]") && has_line(ds.warnings[4], path, 9),
	    "one warning each, with its line");
	for (i = 0; i < (int)ds.nwarnings; i++)
		tap_diag("%s", ds.warnings[i]);
	cfg_dataset_free(&ds);
	free(cause);
	free(path);

	/* The warnings of a hostile file are capped. */
	text = xmalloc(100 * 16 + 32);
	p = text + sprintf(text, "[class a]\nid = 1\n");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "unknown%d = x\n", i);
	path = put("warn/pxlabel.ini", text);
	cause = NULL;
	rc = cfg_dataset_parse_file(path, &ds, &cause);
	tap_ok(rc == 0 && ds.nwarnings == CFG_MAX_WARNINGS + 1 &&
	    strstr(ds.warnings[CFG_MAX_WARNINGS], "50 more warnings"),
	    "100 warnings become 50 and a line saying so");
	cfg_dataset_free(&ds);
	free(cause);
	free(path);
	free(text);

	path = put("warn/config.ini", "[display]\nmode = blocks\nsharpness = 3\n[plugins]\nx = 1\n");
	cause = NULL;
	rc = cfg_user_parse_file(path, &u, &cause);
	tap_ok(rc == 0 && u.display == CFG_DISPLAY_BLOCKS && u.nwarnings == 2 &&
	    has_line(u.warnings[0], path, 3) && has_line(u.warnings[1], path, 4),
	    "config.ini: unknown key and section are warnings: %s", cause ? cause : "");
	cfg_user_free(&u);
	free(cause);
	free(path);
}

static void test_dataset_errors(void)
{
	char *text, *p;
	int i;

	ds_error("[class a]\nid = 1\n\nthis is not a pair\n", 4, "NAME = VALUE", "syntax error line");
	ds_error("[class a]\nid = 1\n[class b\nid = 2\n", 3, "closing", "unclosed section");
	ds_error("\xef\xbb\xbf[class a ; comment]\nid = 1\n", 1, "closing",
	    "a comment inside the brackets, after a BOM");
	ds_error("[class a]\nid = 1\nfoo\n[class a]\n", 3, "NAME = VALUE",
	    "the first error wins over a later one");
	ds_error("[class a]\nid = 0\n", 2, "from 1 to 255, not \"0\"", "id 0");
	ds_error("[class a]\n\nid = 256\n", 3, "from 1 to 255, not \"256\"", "id 256");
	ds_error("[class a]\nid = x\n", 2, "not \"x\"", "id x");
	ds_error("[class a]\nid = -1\n", 2, "not \"-1\"", "id -1");
	ds_error("[class a]\nid = 99999999999999999999999\n", 2, "from 1 to 255", "id overflow");
	ds_error("[class a]\nid = 4\n[class b]\nid = 4\n", 4, "id 4 is already class \"a\" (line 1)",
	    "duplicate id");
	ds_error("[class a]\nid = 4\nid = 5\n", 3, "id is given twice (first on line 2)", "id twice");
	ds_error("[class car]\nid = 1\ncolor = red\n", 3,
	    "class \"car\": color must be #rrggbb, not \"red\"", "colour by name");
	ds_error("[class car]\nid = 1\ncolor = #12345\n", 3, "#rrggbb", "colour too short");
	ds_error("[class car]\nid = 1\ncolor = #12345g\n", 3, "#rrggbb", "colour not hex");
	ds_error("[class car]\nid = 1\nkey = ab\n", 3, "one printable ASCII character, not \"ab\"",
	    "two-character key");
	ds_error("[class car]\nid = 1\nkey = \xc3\xa9\n", 3, "one printable ASCII character",
	    "non-ASCII key");
	ds_error("[class car]\nid = 1\nkey = c\n[class cat]\nid = 2\nkey = c\n", 6,
	    "key 'c' is already the key of class \"car\" (line 3)", "duplicate key");
	ds_error("[class car]\nid = 1\nparent = vehicle\n", 3, "parent \"vehicle\" is not a class",
	    "unknown parent");
	ds_error("[class a]\nid = 1\nparent = c\n[class b]\nid = 2\nparent = a\n"
	    "[class c]\nid = 3\nparent = b\n", 3, "cycle: a > c > b > a", "parent cycle");
	ds_error("[class x]\nid = 1\n[class a]\nid = 2\n\nparent = a\n", 6, "cycle: a > a",
	    "own parent");
	text = xmalloc(12 * 40);
	p = text;
	for (i = 0; i < 12; i++)
		p += sprintf(p, "[class c%d]\nid = %d\nparent = c%d\n", i, i + 1, (i + 1) % 12);
	ds_error(text, 3, "c0 > c1 > c2 > c3 > c4 > c5 > c6 > c7 > c8 > ... > c0", "a long cycle is cut short");
	free(text);
	ds_error("[class a]\nid = 1\n[class b]\nid = 2\n[class a]\nid = 3\n", 5,
	    "class \"a\" is defined twice (first on line 1)", "class defined twice");
	ds_error("[class a]\nid = 1\n[class b]\nkey = b\n", 3, "class \"b\" has no id", "missing id");
	ds_error("[class ]\nid = 1\n", 1, "needs a name", "class without a name");
	ds_error("[class a]\nid = 1\n[class a\x1b]31mb]\nid = 2\n", 3, "has a control character",
	    "control character in a name");
	ds_error("[class a]\nid = 1\n[class caf\xe9]\nid = 2\n", 3, "not UTF-8",
	    "Latin-1 name (not UTF-8)");
	ds_error("[class a\xc2\x9b" "b]\nid = 1\n", 1, "control character", "C1 control in a name");
	text = xasprintf("[class %.65s]\nid = 1\n", a70);
	ds_error(text, 1, "longer than 64 bytes", "65-byte name");
	free(text);
	ds_error("[pxlabel]\nlabels_suffix = labels.png\n", 2, "must start with '.'", "suffix without dot");
	ds_error("[pxlabel]\n\nsidecar_suffix = ./x.json\n", 3, "'/'", "suffix with a slash");
	ds_error("[pxlabel]\nlabels_suffix = .pxl.json\n", 2, "sidecar_suffix and labels_suffix",
	    "a suffix equal to another's default");
	ds_error("[pxlabel]\ninstances_suffix = .m.png\nlabels_suffix = .m.png\n", 3,
	    "labels_suffix and instances_suffix", "two suffixes set equal");
	ds_error("[pxlabel]\nlabels_suffix = .PNG\n", 2, "image extension", "suffix .PNG");
	ds_error("[pxlabel]\nlabels_suffix = .a.png\nlabels_suffix = .b.png\n", 3, "given twice",
	    "suffix twice");

	{
		struct cfg_dataset ds;
		char *cause = NULL, *path;
		int ok;

		path = put("err/pxlabel.ini", "[class a]\nid = 1\n[class a\x1b]2;pwned\x07x]\nid = 2\n");
		ok = cfg_dataset_parse_file(path, &ds, &cause) == -1 && cause &&
		    !strchr(cause, '\x1b') && !strchr(cause, '\x07') && strstr(cause, "\\x1b");
		tap_ok(ok, "escape sequences are not repeated in messages: %s", cause ? cause : "");
		free(cause);
		free(path);
	}

	/* 256 sections: the 256th is refused at its own line. */
	text = xmalloc(256 * 32);
	p = text;
	for (i = 0; i < 256; i++)
		p += sprintf(p, "[class c%d]\nid = %d\n", i, i % 255 + 1);
	ds_error(text, 2 * 255 + 1, "more than 255 classes", "too many classes");
	free(text);

	/* Lines: 198 bytes pass, 199 do not; a longer one fails at its own line. */
	text = xmalloc(2000);
	strcpy(text, "[class a]\nid = 1\n;");
	p = text + strlen(text);
	memset(p, 'x', 197);
	strcpy(p + 197, "\n");
	{
		struct cfg_dataset ds;
		char *cause = NULL, *path = put("long/pxlabel.ini", text);

		tap_ok(cfg_dataset_parse_file(path, &ds, &cause) == 0, "a 198-byte line is fine: %s",
		    cause ? cause : "");
		cfg_dataset_free(&ds);
		free(cause);
		free(path);
	}
	strcpy(text, "[class a]\nid = 1\n;");
	p = text + strlen(text);
	memset(p, 'x', 198);
	strcpy(p + 198, "\n");
	ds_error(text, 3, "longer than 198 bytes", "a 199-byte line");
	/* inih would cut this line in pieces and read "[class b]" in it as a section. */
	strcpy(text, "[class a]\nid = 1\n\nparent = ");
	memset(text + strlen(text), 'y', 190);
	strcat(text, "\n[class b]\nid = 2\n");
	ds_error(text, 4, "longer than", "a long line is not split");
	free(text);

	ds_error_len("[class a]\nid\0 = 1\n", 18, 2, "NUL", "a NUL byte");

	text = xmalloc(CFG_MAX_FILE_SIZE + 2);
	memset(text, '\n', CFG_MAX_FILE_SIZE + 1);
	text[CFG_MAX_FILE_SIZE + 1] = '\0';
	{
		struct cfg_dataset ds;
		char *cause = NULL, *path = put("big/pxlabel.ini", text);
		char *want = xasprintf("%s: ", path);

		tap_ok(cfg_dataset_parse_file(path, &ds, &cause) == -1 && cause &&
		    strstr(cause, want) == cause && strstr(cause, "1 MiB"),
		    "a file over 1 MiB is refused: %s", cause ? cause : "");
		free(want);
		free(cause);
		free(path);
	}
	free(text);
}

static void test_search(void)
{
	struct cfg_dataset ds;
	char *top, *mid, *found = NULL, *cause = NULL, *real, *deep, *image, *link;
	int rc;

	top = put("search/a/pxlabel.ini", "[class top]\nid = 5\n");
	deep = xasprintf("%s/search/a/b/c", tmp);
	mkdirs(deep);
	image = xasprintf("%s/photo.jpg", deep);
	real = realpath(top, NULL);
	rc = cfg_dataset_find(deep, &found, &cause);
	tap_ok(rc == 0 && found && real && !strcmp(found, real),
	    "found two folders up from a folder: %s", found ? found : cause ? cause : "");
	free(found);
	found = NULL;
	rc = cfg_dataset_find(image, &found, &cause);
	tap_ok(rc == 0 && found && real && !strcmp(found, real),
	    "found from an image path (the image need not exist)");
	free(found);
	found = NULL;
	rc = cfg_dataset_load(image, &ds, &cause);
	tap_ok(rc == 0 && ds.nclasses == 1 && ds.classes[0].id == 5 && !strcmp(ds.path, real),
	    "load parses what find found: %s", cause ? cause : "");
	cfg_dataset_free(&ds);
	free(real);

	mid = put("search/a/b/pxlabel.ini", "[class mid]\nid = 6\n");
	real = realpath(mid, NULL);
	rc = cfg_dataset_find(image, &found, &cause);
	tap_ok(rc == 0 && found && !strcmp(found, real), "the nearest one wins");
	free(found);
	found = NULL;
	free(real);
	unlink(mid);
	free(mid);

	link = xasprintf("%s/search/a/b/pxlabel.ini", tmp);
	if (symlink("no-such-file.ini", link) == 0) {
		rc = cfg_dataset_find(image, &found, &cause);
		tap_ok(rc == -1 && cause && strstr(cause, "symbolic link"),
		    "a dangling pxlabel.ini symlink is an error: %s", cause ? cause : "");
		free(cause);
		cause = NULL;
		unlink(link);
	}
	free(link);

	link = xasprintf("%s/search/a/b/pxlabel.ini", tmp);
	mkdir(link, 0777);
	rc = cfg_dataset_find(image, &found, &cause);
	tap_ok(rc == -1 && cause && strstr(cause, "not a regular file"),
	    "a folder named pxlabel.ini is an error: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	rc = cfg_dataset_parse_file(link, &ds, &cause);
	tap_ok(rc == -1 && cause && strstr(cause, link) && strstr(cause, "not a regular file"),
	    "parsing a folder is an error: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	rmdir(link);
	free(link);

	rc = cfg_dataset_find(tmp, &found, &cause);
	if (rc == 0) {
		tap_ok(1, "no file: built-in defaults # SKIP %s exists above the test folder", found);
		free(found);
	} else {
		rc = cfg_dataset_load(tmp, &ds, &cause);
		tap_ok(rc == 0 && !ds.path && ds.nclasses == 2 && ds.classes[0].id == 1 &&
		    !strcmp(ds.classes[0].name, "background") && ds.classes[0].key == 'b' &&
		    ds.classes[1].id == 2 && !strcmp(ds.classes[1].name, "object") &&
		    ds.classes[1].key == 'o' && rgb_is(ds.classes[1].colour, 0x3cb44b) &&
		    !strcmp(ds.labels_suffix, ".labels.png") && ds.nwarnings == 0,
		    "no pxlabel.ini up to /: built-in defaults, path NULL");
		cfg_dataset_free(&ds);
	}

	rc = cfg_dataset_load("/nonexistent-pxl-dir/x/y.png", &ds, &cause);
	tap_ok(rc == -1 && cause && strstr(cause, "/nonexistent-pxl-dir/x/y.png"),
	    "a folder that does not exist is an error naming the path: %s", cause ? cause : "");
	free(cause);
	cause = NULL;

	free(put("search/bad/pxlabel.ini", "[class a]\nid = 300\n"));
	free(image);
	image = xasprintf("%s/search/bad/x.png", tmp);
	rc = cfg_dataset_load(image, &ds, &cause);
	tap_ok(rc == -1 && cause && strstr(cause, "/search/bad/pxlabel.ini:2: "),
	    "load reports errors of the file it found: %s", cause ? cause : "");
	free(cause);
	free(image);
	free(deep);
	free(top);
}

static void test_user(void)
{
	struct cfg_user u;
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
	rc = cfg_user_parse_file(path, &u, &cause);
	tap_ok(rc == 0 && u.display == CFG_DISPLAY_SIXEL && u.colors == 1 /* COLOUR_256 */ &&
	    u.overlay == CFG_OVERLAY_OUTLINE && u.opacity == 35, "[display] read: %s",
	    cause ? cause : "");
	tap_ok(rc == 0 && u.max_pixels == 100000000ULL && u.max_file_size == 1ULL << 40,
	    "[limits] read, up to 2^40");
	tap_ok(rc == 0 && u.nkeys == 4 && !strcmp(u.keys[0].action, "quit") &&
	    !strcmp(u.keys[0].key, "q") && u.keys[0].line == 10 && !strcmp(u.keys[1].key, "C-c") &&
	    u.keys[1].line == 11 && !strcmp(u.keys[2].key, "+") && !strcmp(u.keys[3].key, ":"),
	    "[keys] kept in order, an action may have two keys");
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path) && u.nwarnings == 0, "path kept");
	cfg_user_free(&u);
	free(path);

	user_error("[display]\nmode = kitty\n", 2, "mode must be auto, sixel or blocks, not \"kitty\"",
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
	rc = cfg_user_load(&u, &cause);
	tap_ok(rc == 0 && !u.path && u.display == CFG_DISPLAY_AUTO && u.colors == -1 &&
	    u.overlay == CFG_OVERLAY_FILLED && u.opacity == 50 && u.max_pixels == 0 &&
	    u.nkeys == 0, "no config.ini: defaults, path NULL: %s", cause ? cause : "");
	cfg_user_free(&u);

	path = put("xdg/pxlabel/config.ini", "[display]\nmode = blocks\n");
	free(put("home/.config/pxlabel/config.ini", "[display]\nmode = sixel\n"));
	rc = cfg_user_load(&u, &cause);
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path) && u.display == CFG_DISPLAY_BLOCKS,
	    "$XDG_CONFIG_HOME/pxlabel/config.ini is read first: %s", cause ? cause : "");
	cfg_user_free(&u);
	free(path);

	unsetenv("XDG_CONFIG_HOME");
	path = xasprintf("%s/home/.config/pxlabel/config.ini", tmp);
	rc = cfg_user_load(&u, &cause);
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path) && u.display == CFG_DISPLAY_SIXEL,
	    "without XDG_CONFIG_HOME: $HOME/.config/pxlabel/config.ini");
	cfg_user_free(&u);

	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	rc = cfg_user_load(&u, &cause);
	tap_ok(rc == 0 && u.path && !strcmp(u.path, path), "a relative XDG_CONFIG_HOME is ignored");
	cfg_user_free(&u);
	free(path);

	setenv("XDG_CONFIG_HOME", xdg, 1);
	path = put("xdg/pxlabel/config.ini", "[display]\nopacity = 300\n");
	rc = cfg_user_load(&u, &cause);
	tap_ok(rc == -1 && has_line(cause, path, 2), "load reports errors with the line: %s",
	    cause ? cause : "");
	free(cause);
	cause = NULL;
	free(path);

	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	rel = cfg_user_path();
	rc = cfg_user_load(&u, &cause);
	tap_ok(!rel && rc == 0 && !u.path && u.opacity == 50, "no HOME at all: defaults");
	cfg_user_free(&u);
	free(xdg);
	free(home);
}

static void test_mem(void)
{
	struct cfg_dataset ds;
	struct cfg_user u;
	char *cause = NULL;

	tap_ok(cfg_dataset_parse_mem("<mem>", "[class a]\nid = 9\n", 17, &ds, &cause) == 0 &&
	    ds.nclasses == 1 && ds.classes[0].id == 9 && !strcmp(ds.path, "<mem>"),
	    "parse from memory");
	cfg_dataset_free(&ds);
	tap_ok(cfg_user_parse_mem("<mem>", "", 0, &u, &cause) == 0 && u.opacity == 50 &&
	    u.colors == -1, "an empty config.ini is the defaults");
	cfg_user_free(&u);
	cfg_dataset_defaults(&ds);
	tap_ok(ds.nclasses == 2 && !ds.path && !strcmp(ds.sidecar_suffix, ".pxl.json"),
	    "cfg_dataset_defaults");
	cfg_dataset_free(&ds);
	free(cause);
}

int main(void)
{
	char *cmd;

	if (!mkdtemp(tmp))
		return 99;
	test_good_dataset();
	test_warnings();
	test_dataset_errors();
	test_search();
	test_user();
	test_mem();
	cmd = xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmp);
	free(cmd);
	return tap_done();
}
