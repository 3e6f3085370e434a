/* cityscapes.c: Cityscapes ids and colours. */
#include "config.h"

#include "cityscapes.h"

#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "paths.h"
#include "xalloc.h"

char *cityscapes_stem(const char *image)
{
	const char *base = paths_base(image), *dot = strrchr(base, '.');
	size_t n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	static const char tail[] = "_leftImg8bit";

	if (n > sizeof(tail) - 1 && !memcmp(base + n - (sizeof(tail) - 1), tail, sizeof(tail) - 1))
		n -= sizeof(tail) - 1;
	return xasprintf("%.*s", (int)n, base);
}

int cityscapes_instance_ids(const struct compose *c, const struct doc *d, const uint8_t is_stuff[256],
    uint16_t *out, char **cause)
{
	uint32_t *value = xcalloc(65536, sizeof(uint32_t));
	int per_class[256] = { 0 };
	size_t i, n = (size_t)c->w * (size_t)c->h;
	unsigned id;

	for (id = 1; id < 65536; id++) {
		const struct doc_instance *in;
		uint32_t v;

		if (!c->inst_pixels[id])
			continue;
		in = doc_instance(d, (uint16_t)id);
		if (!in)
			continue;
		v = is_stuff[in->class_id] ? in->class_id : in->class_id * 1000u + (uint32_t)per_class[in->class_id]++;
		if (v > 65535) {
			free(value);
			return err_set(cause, "class %d, object %d: instanceIds value %u does not fit 16 bits", in->class_id,
			    per_class[in->class_id], v);
		}
		value[id] = v;
	}
	for (i = 0; i < n; i++)
		out[i] = (uint16_t)(c->ids[i] ? value[c->ids[i]] : c->cls[i]);
	free(value);
	return 0;
}

void cityscapes_colour(const struct compose *c, const struct pngio_rgb palette[256], uint8_t *rgb)
{
	size_t i, n = (size_t)c->w * (size_t)c->h;

	for (i = 0; i < n; i++) {
		struct pngio_rgb p = palette[c->cls[i]];

		rgb[3 * i] = p.r;
		rgb[3 * i + 1] = p.g;
		rgb[3 * i + 2] = p.b;
	}
}
