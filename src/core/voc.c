/* voc.c: Pascal VOC masks and split. */
#include "config.h"

#include "voc.h"

#include <string.h>

#include "err.h"
#include "xalloc.h"

void voc_colormap(struct pngio_rgb palette[256])
{
	int i, j;

	for (i = 0; i < 256; i++) {
		int c = i, r = 0, g = 0, b = 0;

		for (j = 0; j < 8; j++) {
			r |= ((c >> 0) & 1) << (7 - j);
			g |= ((c >> 1) & 1) << (7 - j);
			b |= ((c >> 2) & 1) << (7 - j);
			c >>= 3;
		}
		palette[i] = (struct pngio_rgb){ (uint8_t)r, (uint8_t)g, (uint8_t)b };
	}
}

int voc_maps(const struct compose *c, const struct doc *d, const uint8_t is_void[256], uint8_t cls_of[65536],
    uint8_t obj_of[65536], int *nobjects, char **cause)
{
	size_t i;
	int visible = 0, max_id = 0, k = 0;
	unsigned id;

	memset(cls_of, 0, 65536);
	memset(obj_of, 0, 65536);
	for (i = 0; i < d->ninst; i++) {
		const struct doc_instance *in = d->inst[i];

		if (!c->inst_pixels[in->id] || is_void[in->class_id])
			continue;
		visible++;
		if (in->id > max_id)
			max_id = in->id;
	}
	*nobjects = visible;
	if (visible > 254)
		return err_set(cause, "%d objects: a VOC object mask holds at most 254", visible);
	for (id = 1; id < 65536; id++) {
		const struct doc_instance *in;

		if (!c->inst_pixels[id])
			continue;
		in = doc_instance(d, (uint16_t)id);
		if (!in)
			continue;
		if (in->class_id && is_void[in->class_id]) {
			cls_of[id] = VOC_VOID;
			obj_of[id] = VOC_VOID;
		} else {
			cls_of[id] = in->class_id;
			obj_of[id] = (uint8_t)(max_id < 255 ? (int)id : ++k);
		}
	}
	return 0;
}

int voc_masks(const struct compose *c, const struct doc *d, const uint8_t is_void[256], uint8_t *cls,
    uint8_t *obj, int *nobjects, char **cause)
{
	uint8_t cls_of[65536], obj_of[65536];
	size_t i, n = (size_t)c->w * (size_t)c->h;

	if (voc_maps(c, d, is_void, cls_of, obj_of, nobjects, cause) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		cls[i] = cls_of[c->ids[i]];
		obj[i] = obj_of[c->ids[i]];
	}
	return 0;
}

int voc_is_val(const char *name, int percent)
{
	uint32_t h = 2166136261u;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return (int)(h % 100) < percent;
}
