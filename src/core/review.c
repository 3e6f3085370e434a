/* review.c: the review states and the images of one state (see review.h). */
#include "config.h"

#include "review.h"

#include <stdio.h>
#include <stdlib.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "dataset.h"
#include "doc.h"
#include "paths.h"
#include "prefs.h"
#include "sidecar.h"
#include "xalloc.h"

static const char *const names[REVIEW_NSTATES] = { "todo", "done", "rejected", "approved" };

enum review_state review_state_of(const char *review)
{
	if (!review)
		return REVIEW_TODO;
	if (!strcmp(review, "done"))
		return REVIEW_DONE;
	if (!strcmp(review, "rejected"))
		return REVIEW_REJECTED;
	/* "accepted" is what review tools wrote before the record had its own states. */
	if (!strcmp(review, "approved") || !strcmp(review, "accepted"))
		return REVIEW_APPROVED;
	return REVIEW_TODO;
}

const char *review_state_name(enum review_state st)
{
	return (unsigned)st < REVIEW_NSTATES ? names[st] : "todo";
}

int review_state_parse(const char *name)
{
	int i;

	for (i = 0; i < REVIEW_NSTATES; i++)
		if (!strcmp(name, names[i]))
			return i;
	return -1;
}

char *review_reviewer(void)
{
	struct prefs p;
	const char *user;
	char *name = NULL;

	/* A broken config.ini is the annotator's to report; here it only means no name from it. */
	if (prefs_load(&p, NULL) == 0) {
		if (p.review_name)
			name = xstrdup(p.review_name);
		prefs_free(&p);
	}
	user = getenv("USER");
	/* No $USER (a bare ssh command, a container): the login name of the account. */
	if (!user || !*user) {
		struct passwd *pw = getpwuid(getuid());

		user = pw ? pw->pw_name : NULL;
	}
	if (!name && user && *user && doc_note_check(user, DOC_MAX_REVIEWER, "name", NULL) == 0)
		name = xstrdup(user);
	return name;
}

int review_peek(const char *image, char *buf, size_t n)
{
	struct dataset ds;
	char *side;
	int rc;

	if (dataset_load(image, &ds, NULL) != 0)
		return -1;
	side = paths_derived(image, ds.sidecar_suffix);
	dataset_free(&ds);
	rc = sidecar_peek_review(side, buf, n);
	free(side);
	if (rc == 1)
		snprintf(buf, n, "todo");
	return rc < 0 ? -1 : 0;
}

size_t review_filter(char **images, size_t n, enum review_state st)
{
	char review[40];
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		/* An image whose files cannot be read stays: opening it says why. */
		if (review_peek(images[i], review, sizeof(review)) != 0 || review_state_of(review) == st)
			images[kept++] = images[i];
		else
			free(images[i]);
	}
	return kept;
}
