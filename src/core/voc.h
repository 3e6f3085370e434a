/* voc.h: Pascal VOC segmentation masks. SegmentationClass/NAME.png holds class ids, and
 * SegmentationObject/NAME.png object numbers, both as 8-bit palette PNGs where 0 is background
 * and 255 is void (pixels to ignore); the palette is VOC's colour map unless the caller gives
 * the class colours. */
#ifndef PXL_VOC_H
#define PXL_VOC_H

#include <stdint.h>

#include "compose.h"
#include "doc.h"
#include "pngio.h"

#define VOC_VOID 255

/* VOC's colour map: the bits of the index spread over the high bits of r, g and b. */
void voc_colormap(struct pngio_rgb palette[256]);

/* The two masks of one image (each c->w * c->h bytes). Pixels of classes with is_void[id] set
 * become 255 in both. Objects are numbered by instance id when every visible one is below 255,
 * else 1, 2, ... in id order; more than 254 visible objects is an error. *nobjects gets the
 * number of visible objects. */
int voc_masks(const struct compose *c, const struct doc *d, const uint8_t is_void[256], uint8_t *cls,
    uint8_t *obj, int *nobjects, char **cause) __attribute__((warn_unused_result));

/* The same as what each instance id becomes in the two masks: cls_of[id] and obj_of[id] (0
 * for id 0, no instance), since every pixel of an instance has the instance's class. */
int voc_maps(const struct compose *c, const struct doc *d, const uint8_t is_void[256], uint8_t cls_of[65536],
    uint8_t obj_of[65536], int *nobjects, char **cause) __attribute__((warn_unused_result));

/* Whether an image goes to val (1) or train (0) for a val share of percent: a hash of its name,
 * so each image's side is the same on every run and on every machine. */
int voc_is_val(const char *name, int percent);

#endif
