/* test_review.c: the review record: state, comment, reviewer and time through the document
 * (undo included) and the sidecar; refused comments and names; older sidecars without the
 * record; the four states and the filter of a folder by state; the reviewer's name. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "doc.h"
#include "review.h"
#include "sidecar.h"
#include "tap.h"
#include "xalloc.h"

static char dir[] = "/tmp/pxl-review-XXXXXX";

static char *write_file(const char *name, const char *text)
{
	char *p = xasprintf("%s/%s", dir, name);
	FILE *fp = fopen(p, "w");

	fputs(text, fp);
	fclose(fp);
	return p;
}

#define HDR "{\"format\": \"pxlabel\", \"version\": 1, \"image\": {\"file\": \"a.png\", \"width\": 4, \"height\": 3}, "

static void refused(const char *name, const char *text, const char *expect)
{
	char *p = write_file(name, text), *cause = NULL;
	struct doc *d = NULL;
	int ok = sidecar_load(p, &d, NULL, &cause) == -1 && !d && cause && strstr(cause, expect);

	tap_ok(ok, "%s refused: %s", name, cause ? cause : "(none)");
	free(cause);
	free(p);
}

int main(void)
{
	/* "Ça déborde sur la roue ✓": UTF-8 of two, three bytes. */
	const char *comment = "\xc3\x87" "a d\xc3\xa9" "borde sur la roue \xe2\x9c\x93";
	struct doc_note note = { (char *)comment, "ana", 1796200000 }; /* 2026-12-02T08:26:40Z */
	struct doc *d, *back = NULL;
	char *p, *cause = NULL, big[DOC_MAX_COMMENT + 2], buf[40];
	char *images[4];
	size_t n;
	FILE *fp;
	int ok;

	if (!mkdtemp(dir))
		return 99;

	/* The document: the note goes with the state, and undo takes both back. */
	d = doc_new(4, 3, NULL);
	tap_ok(doc_set_review_note(d, "rejected", &note, NULL) == 0 && !strcmp(d->review, "rejected") &&
	    d->note.comment && !strcmp(d->note.comment, comment) && !strcmp(d->note.by, "ana") &&
	    d->note.time == 1796200000, "rejected with a UTF-8 comment, a name and a time");
	tap_ok(doc_undo(d, NULL) == 1 && !strcmp(d->review, "todo") && !d->note.comment && !d->note.by,
	    "undo takes back the state and its note");
	tap_ok(doc_redo(d, NULL) == 1 && d->note.comment && !strcmp(d->note.comment, comment), "redo brings them back");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	note.comment = big;
	ok = doc_set_review_note(d, "rejected", &note, &cause) == -1 && cause && strstr(cause, "at most") &&
	    !strcmp(d->note.comment, comment);
	tap_ok(ok, "a comment over %d bytes refused, the record kept: %s", DOC_MAX_COMMENT, cause);
	free(cause);
	cause = NULL;
	note.comment = "bad\x1b[2Jescape";
	tap_ok(doc_set_review_note(d, "rejected", &note, &cause) == -1 && cause && strstr(cause, "control"),
	    "a comment with an escape refused");
	free(cause);
	cause = NULL;
	note.comment = "half \xe2\x9c";
	tap_ok(doc_set_review_note(d, "rejected", &note, &cause) == -1 && cause && strstr(cause, "UTF-8"),
	    "a comment cut inside a character refused");
	free(cause);
	cause = NULL;
	note.comment = "overlong \xc0\xaf";
	tap_ok(doc_note_check(note.comment, 100, "comment", NULL) == -1, "an overlong encoding refused");
	big[DOC_MAX_COMMENT] = 0;
	tap_ok(doc_note_check(big, DOC_MAX_COMMENT, "comment", NULL) == 0, "a comment of exactly %d bytes kept", DOC_MAX_COMMENT);

	/* The sidecar keeps the record. */
	p = xasprintf("%s/a.pxl.json", dir);
	tap_ok(sidecar_save(p, d, "a.png", NULL, 0, &cause) == 0, "saved");
	ok = sidecar_load(p, &back, NULL, &cause) == 0 && !strcmp(back->review, "rejected") &&
	    back->note.comment && !strcmp(back->note.comment, comment) && back->note.by &&
	    !strcmp(back->note.by, "ana") && back->note.time == 1796200000;
	tap_ok(ok, "loaded back: state, comment, reviewer and time (%lld)", back ? (long long)back->note.time : -1LL);
	tap_ok(sidecar_peek_review(p, buf, sizeof(buf)) == 0 && !strcmp(buf, "rejected"), "the head still gives the state");
	fp = fopen(p, "r");
	n = fread(big, 1, sizeof(big) - 1, fp);
	big[n] = 0;
	fclose(fp);
	tap_ok(strstr(big, "2026-12-02T08:26:40Z") && strstr(big, "\"reviewer\": \"ana\""),
	    "the time is written in UTC, ISO 8601");
	doc_free(back);
	back = NULL;
	doc_free(d);

	/* Older sidecars, without the record, still load. */
	free(p);
	p = write_file("old.pxl.json", HDR "\"review\": \"accepted\", \"classes\": [], \"instances\": []}");
	tap_ok(sidecar_load(p, &back, NULL, &cause) == 0 && !strcmp(back->review, "accepted") && !back->note.comment &&
	    !back->note.by && back->note.time == 0, "an older sidecar loads, with no note");
	tap_ok(back && review_state_of(back->review) == REVIEW_APPROVED, "its \"accepted\" counts as approved");
	doc_free(back);
	back = NULL;
	free(p);
	p = write_file("older.pxl.json", HDR "\"classes\": [], \"instances\": []}");
	tap_ok(sidecar_load(p, &back, NULL, &cause) == 0 && !strcmp(back->review, "todo"), "one without a review at all is todo");
	doc_free(back);
	free(p);
	refused("t.pxl.json", HDR "\"review\": \"rejected\", \"review_time\": 12, \"classes\": [], \"instances\": []}", "review_time");
	refused("c.pxl.json", HDR "\"review\": \"rejected\", \"review_comment\": \"a\\u001bb\", \"classes\": [], \"instances\": []}", "review_comment");
	refused("r.pxl.json", HDR "\"review\": \"rejected\", \"reviewer\": [], \"classes\": [], \"instances\": []}", "reviewer");

	/* The states. */
	tap_ok(review_state_of(NULL) == REVIEW_TODO && review_state_of("todo") == REVIEW_TODO &&
	    review_state_of("done") == REVIEW_DONE && review_state_of("rejected") == REVIEW_REJECTED &&
	    review_state_of("approved") == REVIEW_APPROVED && review_state_of("frobbed") == REVIEW_TODO,
	    "recorded states and what they count as");
	tap_ok(review_state_parse("rejected") == REVIEW_REJECTED && review_state_parse("Rejected") == -1 &&
	    !strcmp(review_state_name(REVIEW_APPROVED), "approved"), "state names");

	/* The filter: x has no sidecar (todo), y rejected, z done, w approved. */
	p = write_file("y.pxl.json", HDR "\"review\": \"rejected\", \"classes\": [], \"instances\": []}");
	free(p);
	p = write_file("z.pxl.json", HDR "\"review\": \"done\", \"classes\": [], \"instances\": []}");
	free(p);
	p = write_file("w.pxl.json", HDR "\"review\": \"approved\", \"classes\": [], \"instances\": []}");
	free(p);
	images[0] = xasprintf("%s/w.png", dir);
	images[1] = xasprintf("%s/x.png", dir);
	images[2] = xasprintf("%s/y.png", dir);
	images[3] = xasprintf("%s/z.png", dir);
	n = review_filter(images, 4, REVIEW_REJECTED);
	tap_ok(n == 1 && strstr(images[0], "/y.png"), "--state rejected keeps y.png alone");
	free(images[0]);
	images[0] = xasprintf("%s/w.png", dir);
	images[1] = xasprintf("%s/x.png", dir);
	images[2] = xasprintf("%s/z.png", dir);
	n = review_filter(images, 3, REVIEW_TODO);
	tap_ok(n == 1 && strstr(images[0], "/x.png"), "--state todo keeps the image without a sidecar");
	free(images[0]);

	/* The reviewer: config.ini's [review] name, else $USER. */
	p = xasprintf("%s/pxlabel", dir);
	mkdir(p, 0700);
	free(p);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("USER", "unixname", 1);
	p = review_reviewer();
	tap_ok(p && !strcmp(p, "unixname"), "without [review] name: $USER (%s)", p ? p : "NULL");
	free(p);
	p = write_file("pxlabel/config.ini", "[review]\nname = Zo\xc3\xab K.\n");
	free(p);
	p = review_reviewer();
	tap_ok(p && !strcmp(p, "Zo\xc3\xab K."), "[review] name wins (%s)", p ? p : "NULL");
	free(p);

	p = xasprintf("rm -rf %s", dir);
	if (system(p) != 0)
		tap_diag("could not remove %s", dir);
	free(p);
	return tap_done();
}
