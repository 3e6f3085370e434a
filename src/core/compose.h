/* compose.h: the document made into masks. Each pixel takes the top-most instance whose
 * region covers it: the class mask holds its class id, the instance mask its id, 0 for none.
 * After an edit only the edit's rectangle is recomposed, and the per-instance and per-class
 * pixel counts are updated from that rectangle alone, so the cost follows the edit, not the
 * image. */
#ifndef PXL_COMPOSE_H
#define PXL_COMPOSE_H

#include <stdint.h>

#include "doc.h"

struct compose {
	int w, h;
	uint8_t *cls;            /* owned, w * h: class id per pixel */
	uint16_t *ids;           /* owned, w * h: instance id per pixel */
	uint64_t *inst_pixels;   /* owned, 65536: pixels per instance id (0 = unlabeled) */
	uint64_t class_pixels[256]; /* pixels per class id (0 = unlabeled) */
	uint8_t *scratch;        /* for instances with cuts; grows as needed */
	size_t scratch_cap;
};

/* Masks for a w x h image, all unlabeled. */
int compose_init(struct compose *c, int w, int h, char **cause);
void compose_free(struct compose *c);
/* Recomposes the masks inside r (clipped to the image) from d. */
int compose_rect(struct compose *c, const struct doc *d, raster_rect r, char **cause);
/* The whole image. */
int compose_all(struct compose *c, const struct doc *d, char **cause);

#endif
