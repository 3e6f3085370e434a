/* labelme.h: LabelMe's JSON files, in and out.
 *
 * LabelMe's points are continuous image coordinates, pixel i covering [i, i + 1) (Qt's
 * convention), the same as pxlabel's, so they are taken as they are (to the nearest 1/256).
 * Shapes: polygon; rectangle (two corners); circle (centre and a point on it: pixels whose
 * centre lies within the radius, rim included); line and linestrip (strokes of a fixed width,
 * LabelMe's own converter uses 10 px); point and mask are skipped with a warning. Shapes with
 * one label and one group_id make one instance (a null group_id makes its own); instances are
 * numbered in the order they first appear, and a later shape lies over an earlier one, as
 * LabelMe's converter paints them. Format notes: doc/formats.md. */
#ifndef PXL_LABELME_H
#define PXL_LABELME_H

#include <stdint.h>

#include "doc.h"
#include "interop.h"

#define LABELME_MAX_BYTES (1ULL << 30) /* imageData makes them big */
#define LABELME_MAX_SHAPES 100000
#define LABELME_LINE_WIDTH (10 * RASTER_ONE)

struct labelme_opts {
	const char *root;   /* the data set's folder: imagePath must stay inside it (NULL: the folder
	                       of the JSON file) */
	int32_t line_width; /* of line and linestrip strokes, 1/RASTER_ONE pixel */
};

/* Reads one LabelMe file. out->image is the image file imagePath names (relative to the JSON
 * file); out->w, out->h its stated size. Unknown fields and skipped shapes become warnings. */
int labelme_read(const char *path, const struct labelme_opts *opts, struct interop_image *out,
    char **cause) __attribute__((warn_unused_result));

/* Writes d as a LabelMe file (atomically), instances from the bottom of the stack up, so that
 * LabelMe's painting order gives pxlabel's z-order. Shapes LabelMe has (single-ring polygons,
 * round dots as circles, strokes of line_width as lines and linestrips) keep their vertices;
 * anything else (cuts, holes, other strokes) is written as the pixel-edge outline of the
 * instance's region: one polygon per ring, or, when there are holes, one polygon through all
 * rings joined by seams (see interop_join_rings). Every shape gets the instance id as group_id.
 * names[id] is the class name of id (NULL: "class N"). image_path is written as imagePath. */
int labelme_write(const char *path, const struct doc *d, const char *image_path,
    const char *const names[256], int32_t line_width, char **cause) __attribute__((warn_unused_result));

#endif
