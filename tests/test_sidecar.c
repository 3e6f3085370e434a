/* test_sidecar.c: the document survives a save and a load exactly; broken and hostile sidecars
 * get an error naming the file (and line and column for JSON syntax) and load nothing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compose.h"
#include "sidecar.h"
#include "tap.h"
#include "xalloc.h"

static char dir[] = "/tmp/pxl-sidecar-XXXXXX";

static char *write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(p, "w");

	fputs(text, fp);
	fclose(fp);
	return p;
}

static int load_fails(const char *name, const char *text, const char *expect)
{
	char *p = write_file(name, text), *cause = NULL;
	struct doc *d = (struct doc *)1;
	int ok = sidecar_load(p, &d, NULL, &cause) == -1 && d == NULL && cause && strstr(cause, p) &&
	    (!expect || strstr(cause, expect)) && !strchr(cause, '\n');

	tap_ok(ok, "%s refused: %s", name, cause ? cause : "(none)");
	free(cause);
	unlink(p);
	free(p);
	return ok;
}

#define HDR "{\"format\": \"pxlabel\", \"version\": 1, \"image\": {\"file\": \"a.png\", \"width\": 40, \"height\": 30}, "

int main(void)
{
	raster_pt poly[5] = { { 256, 300 }, { 5000, 129 }, { 9000, 7000 }, { 100, 6000 }, { 2560, 2560 } };
	raster_pt path[3] = { { 0, 0 }, { 4096, 4097 }, { 8000, 1 } };
	raster_ring ring = { poly, 5 };
	struct sidecar_class classes[2] = { { 1, "cat", { 230, 25, 75 } }, { 2, "dog", { 1, 2, 3 } } };
	struct sidecar_meta meta;
	struct compose c1, c2;
	struct doc *d, *back = NULL;
	char *path_json, *cause = NULL, *big;
	uint16_t a, b;
	size_t i;

	if (!mkdtemp(dir))
		return 99;
	d = doc_new(40, 30, NULL);
	(void)doc_add_instance(d, 1, 0, DOC_OVER, doc_shape_polygon(DOC_ADD, &ring, 1, NULL), &a, NULL, NULL);
	(void)doc_add_instance(d, 2, a, DOC_BEHIND, doc_shape_stroke(DOC_ADD, path, 3, 700, NULL), &b, NULL, NULL);
	(void)doc_add_shape(d, a, doc_shape_stroke(DOC_CUT, path, 2, 256, NULL), NULL, NULL);
	(void)doc_set_review(d, "done", NULL);
	path_json = xasprintf("%s/a.pxl.json", dir);
	tap_ok(sidecar_save(path_json, d, "a.png", classes, 2, &cause) == 0, "saved");
	tap_ok(sidecar_load(path_json, &back, &meta, &cause) == 0 && back, "loaded back: %s", cause ? cause : "");
	if (!back)
		return tap_done();
	tap_ok(back->w == 40 && back->h == 30 && back->ninst == 2 && !strcmp(back->review, "done") &&
	    back->nundo == 0 && back->edits == 0, "size, instances, review; no history");
	tap_ok(back->inst[0]->id == b && back->inst[1]->id == a && back->inst[0]->parent == a &&
	    back->inst[1]->nshapes == 2 && back->inst[1]->shapes[1]->op == DOC_CUT, "z-order, nesting and cuts kept");
	tap_ok(back->inst[1]->shapes[0]->rings[0].n == 5 &&
	    !memcmp(back->inst[1]->shapes[0]->rings[0].pts, poly, sizeof(poly)) &&
	    !memcmp(back->inst[0]->shapes[0]->path, path, sizeof(path)) && back->inst[0]->shapes[0]->width == 700,
	    "every vertex exact to 1/256 pixel");
	compose_init(&c1, 40, 30, NULL);
	compose_init(&c2, 40, 30, NULL);
	compose_all(&c1, d, NULL);
	compose_all(&c2, back, NULL);
	tap_ok(!memcmp(c1.ids, c2.ids, 40 * 30 * 2) && !memcmp(c1.cls, c2.cls, 40 * 30), "identical masks");
	tap_ok(meta.nclasses == 2 && !strcmp(meta.classes[0].name, "cat") && meta.classes[0].colour.r == 230 &&
	    !strcmp(meta.image_file, "a.png"), "used classes recorded with names and colours");
	sidecar_meta_free(&meta);
	compose_free(&c1);
	compose_free(&c2);
	doc_free(back);

	/* Unknown fields are warnings, not errors: newer files open. */
	{
		char *p = write_file("newer.pxl.json", HDR "\"instances\": [], \"shiny\": 1}");

		tap_ok(sidecar_load(p, &back, &meta, NULL) == 0 && meta.nwarnings == 1 && strstr(meta.warnings[0], "shiny"),
		    "an unknown field gives a warning");
		sidecar_meta_free(&meta);
		doc_free(back);
		unlink(p);
		free(p);
	}

	load_fails("syntax.pxl.json", "{\n  \"format\": \"pxlabel\",\n  \"version\": 1,,\n}", ":3:");
	load_fails("truncated.pxl.json", HDR "\"instances\": [{\"id\": 1, \"class\": 1, \"shapes\": [", NULL);
	load_fails("empty.pxl.json", "", NULL);
	load_fails("array.pxl.json", "[]", "object");
	load_fails("notours.pxl.json", "{\"shapes\": []}", "format");
	load_fails("future.pxl.json", "{\"format\": \"pxlabel\", \"version\": 99, \"image\": {}}", "upgrade");
	load_fails("noimage.pxl.json", "{\"format\": \"pxlabel\", \"version\": 1, \"instances\": []}", "image");
	load_fails("hugeimage.pxl.json", "{\"format\": \"pxlabel\", \"version\": 1, \"image\": {\"width\": 99999999999, \"height\": 5}, \"instances\": []}", "width");
	load_fails("wrongtype.pxl.json", HDR "\"instances\": [{\"id\": \"one\", \"class\": 1, \"shapes\": []}]}", "instances[0]");
	load_fails("class0.pxl.json", HDR "\"instances\": [{\"id\": 1, \"class\": 0, \"shapes\": []}]}", "class");
	load_fails("dupid.pxl.json", HDR "\"instances\": ["
	    "{\"id\": 1, \"class\": 1, \"shapes\": [{\"op\": \"add\", \"type\": \"stroke\", \"width\": 1, \"path\": [[1,1]]}]},"
	    "{\"id\": 1, \"class\": 1, \"shapes\": [{\"op\": \"add\", \"type\": \"stroke\", \"width\": 1, \"path\": [[1,1]]}]}]}", "twice");
	load_fails("twopoints.pxl.json", HDR "\"instances\": [{\"id\": 1, \"class\": 1, \"shapes\": "
	    "[{\"op\": \"add\", \"type\": \"polygon\", \"rings\": [[[0,0],[1,1]]]}]}]}", "rings[0]");
	load_fails("nan.pxl.json", HDR "\"instances\": [{\"id\": 1, \"class\": 1, \"shapes\": "
	    "[{\"op\": \"add\", \"type\": \"polygon\", \"rings\": [[[0,0],[1e300,1],[3,\"x\"]]]}]}]}", "range");
	load_fails("badop.pxl.json", HDR "\"instances\": [{\"id\": 1, \"class\": 1, \"shapes\": "
	    "[{\"op\": \"paint\", \"type\": \"polygon\", \"rings\": [[[0,0],[1,1],[2,0]]]}]}]}", "op");
	load_fails("dupkey.pxl.json", "{\"format\": \"pxlabel\", \"format\": \"pxlabel\"}", "duplicate");
	/* A deep nest of arrays must not blow the stack. */
	big = xmalloc(200002);
	memset(big, '[', 100000);
	memset(big + 100000, ']', 100000);
	big[200000] = '\0';
	load_fails("deep.pxl.json", big, NULL);
	free(big);
	tap_ok(sidecar_load("/nonexistent/x.pxl.json", &back, NULL, &cause) == -1 && cause, "a missing file");
	free(cause);
	cause = NULL;

	/* The review state alone: from the head where pxlabel writes it, else from the whole file. */
	{
		char rv[40], *pad = xmalloc(5001), *text, *p;

		(void)doc_set_review(d, "accepted", NULL);
		tap_ok(sidecar_save(path_json, d, "a.png", classes, 2, NULL) == 0 &&
		    sidecar_peek_review(path_json, rv, sizeof(rv)) == 0 && !strcmp(rv, "accepted"), "peek: pxlabel's own file");
		p = write_file("late.pxl.json", HDR "\"instances\": [], \"review\" : \"done\"}");
		tap_ok(sidecar_peek_review(p, rv, sizeof(rv)) == 0 && !strcmp(rv, "done"), "peek: the key last");
		unlink(p);
		free(p);
		memset(pad, ' ', 5000);
		pad[5000] = '\0';
		text = xasprintf(HDR "%s\"instances\": [], \"review\": \"done\"}", pad);
		p = write_file("far.pxl.json", text);
		tap_ok(sidecar_peek_review(p, rv, sizeof(rv)) == 0 && !strcmp(rv, "done"), "peek: the key past the head");
		unlink(p);
		free(p);
		free(text);
		free(pad);
		p = write_file("esc.pxl.json", HDR "\"review\": \"d\\u006fne\", \"instances\": []}");
		tap_ok(sidecar_peek_review(p, rv, sizeof(rv)) == 0 && !strcmp(rv, "done"), "peek: an escaped value");
		unlink(p);
		free(p);
		p = write_file("none.pxl.json", HDR "\"instances\": []}");
		tap_ok(sidecar_peek_review(p, rv, sizeof(rv)) == 0 && !strcmp(rv, "todo"), "peek: no key reads todo");
		unlink(p);
		free(p);
		p = write_file("broken.pxl.json", HDR "\"review\": 7, broken");
		tap_ok(sidecar_peek_review(p, rv, sizeof(rv)) == -1, "peek: a broken file is an error");
		unlink(p);
		free(p);
		tap_ok(sidecar_peek_review("/nonexistent/x.pxl.json", rv, sizeof(rv)) == 1, "peek: no file");
	}

	/* A failed save leaves the old sidecar intact. */
	{
		char *ro = xasprintf("%s/missing-dir/a.pxl.json", dir);

		tap_ok(sidecar_save(ro, d, "a.png", classes, 2, &cause) == -1 && cause, "saving into a missing folder fails cleanly");
		free(cause);
		free(ro);
	}
	for (i = 0; i < 1; i++)
		unlink(path_json);
	free(path_json);
	doc_free(d);
	rmdir(dir);
	return tap_done();
}
