/* yolo.h: Ultralytics YOLO segmentation labels, in and out.
 *
 * A label file has one line per polygon: a class index, then x1 y1 x2 y2 ... normalised to
 * [0, 1] by the image's width and height. YOLO has no holes and no z-order of its own, so the
 * export writes, for each instance from the bottom of the stack up, one line per 4-connected
 * part of the pixels it shows in the masks: the part's pixel-edge rings, holes joined to the
 * outer ring by zero-width seams (interop_join_rings). Filling the lines in order under
 * pxlabel's pixel rule gives the class mask exactly. The coordinates are written with enough
 * digits that they come back on the 1/256-pixel grid (yolo_digits). Format notes:
 * doc/formats.md. */
#ifndef PXL_YOLO_H
#define PXL_YOLO_H

#include <stddef.h>

#include "compose.h"
#include "doc.h"
#include "interop.h"

#define YOLO_MAX_BYTES (1ULL << 30)
#define YOLO_MAX_LINES 1000000

/* Decimal digits after the point that bring k / (256 * extent) back to k under rounding to the
 * nearest 1/256 pixel: the smallest d with 10^d >= 1024 * extent. */
int yolo_digits(int extent);

/* The label text of d's masks c (composed from d): one line per connected part of each
 * instance's visible pixels, bottom first; index[class id] is the class's YOLO index (-1: the
 * instance is left out). A new string ("" when nothing is labelled), or NULL with *cause. */
char *yolo_labels(const struct doc *d, const struct compose *c, const int index[256], char **cause)
    __attribute__((warn_unused_result));

/* data.yaml as Ultralytics writes it, the subset a data set needs: top-level scalars path,
 * train and val (a folder each; lists are refused), and names as a block or flow list, or a
 * block or flow mapping of index to name. Plain, single- and double-quoted scalars; comments. */
#define YOLO_MAX_NAMES 255 /* index N becomes class id N + 1 */

struct yolo_yaml {
	char *path, *train, *val; /* owned; NULL when absent */
	char *names[YOLO_MAX_NAMES]; /* owned; NULL where no name has the index */
	size_t nnames;             /* the highest index named + 1 */
};

int yolo_yaml_parse(const char *text, size_t len, const char *file, struct yolo_yaml *out, char **cause)
    __attribute__((warn_unused_result));
void yolo_yaml_free(struct yolo_yaml *y);

/* Reads the label text (len bytes, named file in messages) of a w x h image: each line becomes
 * an object named names[index] with one polygon piece, later lines over earlier ones; the class
 * id it prefers is index + 1, as the export chose it. A line that is not numeric, has an odd number of coordinates or fewer than three points, a class
 * index outside [0, nnames) or without a name (names[index] NULL), or a coordinate outside [0, 1] is an error naming file and line. */
int yolo_read(const char *text, size_t len, const char *file, int w, int h, const char *const *names,
    size_t nnames, struct interop_image *out, char **cause) __attribute__((warn_unused_result));

#endif
