/* coco.h: COCO instance segmentation files, in and out.
 *
 * Coordinates: COCO polygons use the same continuous coordinates as pxlabel (pixel i covers
 * [i, i + 1)), and pycocotools fills them by pixel centres too, but it snaps vertices to a grid
 * of 1/5 pixel and rounds halves up, so a pixel centre lying exactly on an edge goes the other
 * way from pxlabel's top-left rule: inside on a right or bottom edge, outside on a left or top
 * one. Imported polygons are therefore moved by +1/256 pixel in x and y, which gives those ties
 * pycocotools' answer and changes nothing else an annotation can mean. Exported polygons are
 * pixel-edge outlines of the exact masks (integer vertices, axis-parallel edges), which
 * pycocotools fills to exactly the same pixels. RLE is exact both ways. See doc/formats.md. */
#ifndef PXL_COCO_H
#define PXL_COCO_H

#include <stddef.h>
#include <stdint.h>

#include "compose.h"
#include "doc.h"
#include "interop.h"
#include "sbuf.h"

#define COCO_MAX_BYTES (4ULL << 30)
#define COCO_MAX_IMAGES 10000000
#define COCO_MAX_ANNOTATIONS 100000000
#define COCO_NUDGE 1 /* 1/RASTER_ONE pixel, see above */

struct coco_category {
	long long id;
	const char *name;  /* borrowed from the JSON */
	const char *super; /* borrowed, NULL when none */
};

struct coco_image {
	long long id;
	const char *file_name; /* borrowed */
	int w, h;
	size_t first, n;       /* its annotations: anns[first .. first + n) */
};

struct coco_file {
	char *path;
	json_t *root;
	struct coco_category *cats;
	size_t ncats;
	struct coco_image *images;
	size_t nimages;
	json_t **anns;          /* borrowed, grouped by image, in file order within an image */
	size_t nanns;
	struct interop_warnings warnings;
};

/* Reads and checks a COCO file: images, annotations and categories, ids unique, every
 * annotation's image and category known (others are skipped with a warning). */
int coco_open(const char *path, struct coco_file *f, char **cause) __attribute__((warn_unused_result));
void coco_close(struct coco_file *f);

/* The annotations of images[index] as objects (one per annotation, its category's name as
 * label, supercategory as parent, crowd regions behind) and pieces (one per polygon, or the
 * pixel-edge outline of an RLE mask). out->image is file_name inside images_dir. max_pixels
 * bounds the masks made for RLE. */
int coco_read_image(const struct coco_file *f, size_t index, const char *images_dir, uint64_t max_pixels,
    struct interop_image *out, char **cause) __attribute__((warn_unused_result));

struct afile;

/* Writing: annotations are streamed to the file as images come; images and categories follow. */
struct coco_writer {
	struct afile *af;
	json_t *images, *categories;
	long long next_image, next_ann;
	int rle;            /* segmentation as compressed RLE instead of polygons */
	char *path;
};

int coco_writer_open(struct coco_writer *w, const char *path, int rle, char **cause)
    __attribute__((warn_unused_result));
/* The same for share shard of nshards (--shard; nshards 0 or 1: none): "info" says which, so
 * that pxlabel merge coco knows the image ids for places in one run. */
int coco_writer_open_shard(struct coco_writer *w, const char *path, int rle, unsigned shard, unsigned nshards,
    char **cause) __attribute__((warn_unused_result));
/* A category (supercategory NULL: the name itself, as COCO does for top-level ones). */
void coco_writer_category(struct coco_writer *w, int id, const char *name, const char *super);
/* One image: each instance with visible pixels in c becomes an annotation (category = class id,
 * area = its pixels, bbox = their bounds, segmentation from those pixels). */
int coco_writer_image(struct coco_writer *w, const char *file_name, const struct doc *d,
    const struct compose *c, char **cause) __attribute__((warn_unused_result));
/* coco_writer_image in two steps, so that images can be encoded on threads and written in
 * order: the annotations of one image, without ids (no writer needed) ... */
struct coco_encoded {
	struct sbuf b;   /* each annotation from "category_id" on */
	size_t *at, n, cap; /* where each begins in b */
	int w, h;
};
int coco_encode_image(const struct doc *d, const struct compose *c, int rle, struct coco_encoded *e, char **cause)
    __attribute__((warn_unused_result));
void coco_encoded_free(struct coco_encoded *e);
/* ... then written with the next ids (image_id <= 0: the next image id too). */
int coco_writer_put(struct coco_writer *w, long long image_id, const char *file_name, const struct coco_encoded *e,
    char **cause) __attribute__((warn_unused_result));
int coco_writer_close(struct coco_writer *w, char **cause) __attribute__((warn_unused_result));
void coco_writer_abort(struct coco_writer *w);

#endif
