/* imgdec_exif.c: the EXIF orientation tag through libexif. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libexif/exif-data.h>

#include "imgdec.h"
#include "xalloc.h"

int imgdec_exif_orientation(const unsigned char *data, size_t len)
{
	unsigned char *copy = NULL;
	ExifData *ed = NULL;
	ExifEntry *e;
	int o = 1;

	if (!data || len < 8 || len > 0xffffff)
		return 1;
	/* libexif wants the "Exif\0\0" header that PNG's eXIf chunk leaves out. */
	if (memcmp(data, "Exif\0\0", 6) != 0) {
		copy = xmalloc(len + 6);
		memcpy(copy, "Exif\0\0", 6);
		memcpy(copy + 6, data, len);
		data = copy;
		len += 6;
	}
	ed = exif_data_new_from_data(data, (unsigned)len);
	if (!ed)
		goto out;
	e = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (e && e->format == EXIF_FORMAT_SHORT && e->components >= 1 && e->data && e->size >= 2) {
		o = exif_get_short(e->data, exif_data_get_byte_order(ed));
		if (o < 1 || o > 8)
			o = 1;
	}
out:
	if (ed)
		exif_data_unref(ed);
	free(copy);
	return o;
}
