/* review.h: the review record's rules, with no terminal: the four states a reviewer works
 * with (what any recorded state counts as), the reviewer's name, and the images of one state.
 * The record itself lives in the document (doc_set_review_note) and the sidecar. */
#ifndef PXL_REVIEW_H
#define PXL_REVIEW_H

#include <stddef.h>

/* The states, in the order stats lists them. */
enum review_state { REVIEW_TODO, REVIEW_DONE, REVIEW_REJECTED, REVIEW_APPROVED, REVIEW_NSTATES };

/* The state a recorded review string counts as: "done", "rejected", "approved" (also the
 * older "accepted"); anything else (NULL, "todo", a state of another tool) is todo. */
enum review_state review_state_of(const char *review);
/* "todo", "done", "rejected", "approved"; static. */
const char *review_state_name(enum review_state st);
/* The state named exactly, or -1. */
int review_state_parse(const char *name);
/* The reviewer's name: [review] name from the user's config.ini, else $USER, else NULL. New. */
char *review_reviewer(void) __attribute__((warn_unused_result));
/* Keeps the images (a list of n new strings, as paths_list gives) whose sidecar is in state
 * st, in order, freeing the others; returns how many are kept. An image without a sidecar is
 * todo. The sidecar is found with the suffix of its folder's pxlabel.ini. */
size_t review_filter(char **images, size_t n, enum review_state st) __attribute__((nonnull));
/* The review state recorded for image (into buf, n >= 33), "todo" without a sidecar. Returns 0,
 * or -1 when the sidecar or pxlabel.ini cannot be read. */
int review_peek(const char *image, char *buf, size_t n) __attribute__((nonnull));

#endif
