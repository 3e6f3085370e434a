/* compose.h: the document made into masks. Each pixel takes the top-most instance whose
 * region covers it: the class mask holds its class id, the instance mask its id, 0 for none.
 * After an edit only the edit's rectangle is recomposed, and the per-instance and per-class
 * pixel counts are updated from that rectangle alone, so the cost follows the edit, not the
 * image. */
#ifndef PXL_COMPOSE_H
#define PXL_COMPOSE_H

#include <stdint.h>

#include "doc.h"

/* Where the region of an instance with cuts is worked out: zero-initialise it, reuse it from
 * call to call (it grows as needed), release it with compose_scratch_free. */
struct compose_scratch {
	uint8_t *buf;
	size_t cap;
};

struct compose {
	int w, h;
	uint8_t *cls;            /* owned, w * h: class id per pixel */
	uint16_t *ids;           /* owned, w * h: instance id per pixel */
	uint64_t *inst_pixels;   /* owned, 65536: pixels per instance id (0 = unlabeled) */
	uint64_t class_pixels[256]; /* pixels per class id (0 = unlabeled) */
	struct compose_scratch scratch;
};

/* One shape's pixels within clip, as raster_fill_rings or raster_fill_stroke give them (by the
 * shape's kind); nothing when its bounds miss clip. */
int compose_shape(const struct doc_shape *s, raster_rect clip, raster_span_fn fn, void *ctx,
    char **cause) __attribute__((warn_unused_result));

/* The pixel rule of one instance, and the only place it is computed: its region is the union
 * of its added shapes minus the union of its cut shapes, whatever lies over it. Calls fn for
 * the region's pixels within clip. Without cuts each added shape's spans come as the fill gives
 * them, so spans may overlap and rows repeat: fn must set pixels, not count them. With cuts
 * they are the region's maximal runs, row by row, worked out in scratch. Every importer,
 * exporter and the masks go through here, so they agree to the pixel. */
int compose_region(const struct doc_instance *in, raster_rect clip, raster_span_fn fn, void *ctx,
    struct compose_scratch *scratch, char **cause) __attribute__((warn_unused_result));
void compose_scratch_free(struct compose_scratch *scratch);

/* Masks for a w x h image, all unlabeled. */
int compose_init(struct compose *c, int w, int h, char **cause);
void compose_free(struct compose *c);
/* Recomposes the masks inside r (clipped to the image) from d. */
int compose_rect(struct compose *c, const struct doc *d, raster_rect r, char **cause);
/* The whole image. */
int compose_all(struct compose *c, const struct doc *d, char **cause);

#endif
