/* queue.h: the team's queues. `pxlabel assign` deals a folder's images out to people, one
 * plain-text queue a person (DIR/queues/NAME.txt, an image path relative to DIR a line), and
 * picks a share of overlap images that two people label, each into sidecar and masks of their
 * own (cat.NAME.pxl.json, ...) so that `agree` can compare them; DIR/queues/overlap.txt lists
 * those. The deal is a function of each image's relative path: the same on every machine. */
#ifndef PXL_QUEUE_H
#define PXL_QUEUE_H

#include <stddef.h>

#include "dataset.h"

#define QUEUE_MAX_PEOPLE 1000
#define QUEUE_MAX_NAME 32
#define QUEUE_DIR "queues"
#define QUEUE_OVERLAP "overlap" /* queues/overlap.txt: not a person's name */

/* 0 when name can name a person (and so a file): 1 to 32 of A-Z a-z 0-9 _ - and not
 * "overlap"; else -1 with *cause. */
int queue_check_name(const char *name, char **cause);
/* Who labels image rel (a path relative to the folder) among npeople: its owner, and a second
 * person (or -1) when it falls in the overlap share, permille of 1000. */
void queue_deal(const char *rel, size_t npeople, unsigned permille, int *owner, int *second);
/* Writes DIR/queues/NAME.txt for each person and DIR/queues/overlap.txt (atomically), images
 * being relative paths in order. counts (npeople + 1, may be NULL) gets each queue's length and
 * the overlap's. */
int queue_assign(const char *dir, char *const *rel, size_t n, char *const *people, size_t npeople,
    unsigned permille, size_t *counts, char **cause);
/* Reads NAME's queue in dir: *images (new list of "DIR/REL" paths, as paths_list_free frees)
 * and *overlap (new array of n flags: labelled into NAME's own files). */
int queue_read(const char *dir, const char *name, char ***images, size_t *n, unsigned char **overlap,
    char **cause);
/* Turns ds's suffixes into person's own: .pxl.json -> .NAME.pxl.json, and the masks too. */
void queue_personal(struct dataset *ds, const char *person);

#endif
