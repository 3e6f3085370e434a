/* pngdump.c: prints what a mask PNG holds, for the command-line tests (which cannot count on
 * Python): "W H" on the first line, then "VALUE COUNT" for each value present, or with
 * X Y arguments the value at that pixel. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "pngio.h"

int main(int argc, char **argv)
{
	struct img_limits lim;
	uint16_t *v = NULL;
	char *cause = NULL;
	int w, h, i;

	if (argc != 2 && argc != 4) {
		fprintf(stderr, "usage: pngdump MASK.png [X Y]\n");
		return 2;
	}
	img_limits_default(&lim);
	if (pngio_read_values(argv[1], &lim, &v, &w, &h, &cause) != 0) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	if (argc == 4) {
		int x = atoi(argv[2]), y = atoi(argv[3]);

		if (x < 0 || y < 0 || x >= w || y >= h)
			return 1;
		printf("%u\n", v[(size_t)y * w + x]);
	} else {
		static unsigned long counts[65536];

		printf("%d %d\n", w, h);
		for (i = 0; i < w * h; i++)
			counts[v[i]]++;
		for (i = 0; i < 65536; i++)
			if (counts[i])
				printf("%d %lu\n", i, counts[i]);
	}
	free(v);
	return 0;
}
