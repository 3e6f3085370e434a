/* export_labelme.c: `pxlabel export labelme`: one LabelMe JSON per image, in OUT under the
 * image's path relative to --base, imagePath leading back to the image (labelme.c). */
#include "config.h"

#include <stdlib.h>

#include "cli.h"
#include "export.h"
#include "interop.h"
#include "labelme.h"
#include "paths.h"
#include "xalloc.h"

struct labelme_export {
	int32_t line_width;
};

static const struct option labelme_options[] = {
	{ "line-width", required_argument, NULL, 'w' },
	{ NULL, 0, NULL, 0 },
};

static void *labelme_new(void)
{
	struct labelme_export *e = xcalloc(1, sizeof(*e));

	e->line_width = LABELME_LINE_WIDTH;
	return e;
}

static int labelme_option(void *st, int val, const char *arg)
{
	struct labelme_export *e = st;

	return cli_line_width(arg, &e->line_width);
}

static int labelme_image(void *st, const struct export_item *x, void *res, char **cause)
{
	const struct labelme_export *e = st;
	const struct item *it = x->it;
	const char *names[256];
	char bufs[256][32];
	char *json = paths_derived(x->rel, ".json"), *path = xasprintf("%s/%s", x->run->out, json), *dir, *image_rel;
	int id, rc = -1;

	for (id = 0; id < 256; id++)
		names[id] = item_class_name(it, id, bufs[id], sizeof(bufs[id]));
	dir = interop_dirname(path);
	if (export_mkdirs(dir, cause) == 0) {
		image_rel = interop_relpath(dir, it->image);
		rc = labelme_write(path, it->doc, image_rel, names, e->line_width, cause);
		free(image_rel);
	}
	free(dir);
	free(json);
	free(path);
	return rc;
}

const struct exporter export_labelme = {
	.f = {
		.name = "labelme",
		.options = labelme_options,
		.help = "  --line-width PX      strokes of this width become lines (default 10, as LabelMe)\n",
		.new_state = labelme_new,
		.option = labelme_option,
		.free_state = free,
	},
	.flags = EXPORT_FOLDER,
	.image = labelme_image,
};
