/* maskcheck.c: for the screen tests. Loads an image's sidecar, recomposes it with the core,
 * and compares with the masks on disk: prints "same N" (N labeled pixels) or "differ". With
 * -v it also prints each instance's id, class, parent and vertices (bottom to top). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compose.h"
#include "item.h"
#include "pngio.h"

int main(int argc, char **argv)
{
	struct img_limits lim;
	struct compose c;
	struct item it;
	uint16_t *cls = NULL, *ids = NULL;
	char *cause = NULL;
	int w, h, verbose = argc > 2 && !strcmp(argv[1], "-v"), same = 1;
	size_t i, k, p;

	if (argc < 2) {
		fprintf(stderr, "usage: maskcheck [-v] IMAGE\n");
		return 2;
	}
	img_limits_default(&lim);
	if (item_open(&it, argv[argc - 1], &lim, 1, &cause) != 0 || !it.doc) {
		fprintf(stderr, "%s\n", cause ? cause : "no sidecar");
		free(cause);
		if (!cause)
			item_close(&it);
		return 1;
	}
	if (verbose) {
		for (i = 0; i < it.doc->ninst; i++) {
			const struct doc_instance *in = it.doc->inst[i];

			printf("instance %u class %u parent %u:", in->id, in->class_id, in->parent);
			for (k = 0; k < in->nshapes; k++) {
				const struct doc_shape *s = in->shapes[k];

				printf(" %s", s->op == DOC_CUT ? "cut" : "add");
				for (p = 0; s->kind == DOC_POLYGON && p < s->rings[0].n; p++)
					printf(" %g,%g", s->rings[0].pts[p].x / 256.0, s->rings[0].pts[p].y / 256.0);
			}
			printf("\n");
		}
	}
	fflush(stdout);
	compose_init(&c, it.doc->w, it.doc->h, NULL);
	compose_all(&c, it.doc, NULL);
	if (pngio_read_values(it.labels, &lim, &cls, &w, &h, &cause) != 0 ||
	    pngio_read_values(it.instances, &lim, &ids, &w, &h, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		free(cause);
		free(cls);
		compose_free(&c);
		item_close(&it);
		return 1;
	}
	if (w != c.w || h != c.h)
		same = 0;
	for (p = 0; same && p < (size_t)w * h; p++)
		same = cls[p] == c.cls[p] && ids[p] == c.ids[p];
	if (same)
		printf("same %llu\n", (unsigned long long)((uint64_t)w * h - c.class_pixels[0]));
	else
		printf("differ\n");
	free(cls);
	free(ids);
	compose_free(&c);
	item_close(&it);
	return same ? 0 : 1;
}
