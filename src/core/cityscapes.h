/* cityscapes.h: the Cityscapes ground-truth layout. For an image NAME (a trailing _leftImg8bit
 * dropped): NAME_gtFine_labelIds.png (8-bit class ids), NAME_gtFine_instanceIds.png (16-bit:
 * class id * 1000 + the object's index within its class, from 0, for "things"; the plain class
 * id for "stuff" classes, which have no instances) and NAME_gtFine_color.png (the class colours). */
#ifndef PXL_CITYSCAPES_H
#define PXL_CITYSCAPES_H

#include <stdint.h>

#include "compose.h"
#include "doc.h"
#include "pngio.h"

/* NAME from an image path: its file name without extension and without _leftImg8bit. A new
 * string. */
char *cityscapes_stem(const char *image);

/* The instanceIds values (c->w * c->h). Objects of a class are indexed in instance id order.
 * A value beyond 65535 (class id over 65, or more than 1000 objects of a class) is an error. */
int cityscapes_instance_ids(const struct compose *c, const struct doc *d, const uint8_t is_stuff[256],
    uint16_t *out, char **cause) __attribute__((warn_unused_result));

/* The colour image (c->w * c->h * 3 bytes) from palette[class id]. */
void cityscapes_colour(const struct compose *c, const struct pngio_rgb palette[256], uint8_t *rgb);

#endif
