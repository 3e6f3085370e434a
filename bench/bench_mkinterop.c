/* bench_mkinterop.c: the data set bench_interop.sh exports: N images with K instances each (random
 * star-shaped polygons with fractional vertices, as drawn by hand), as pxlabel sidecars and, with
 * the same shapes in the same order, as LabelMe files for the Python peer. Nothing large is
 * committed; this writes it. Usage: bench_mkinterop OUTDIR N K W H */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "labelme.h"
#include "pngio.h"
#include "sidecar.h"

static uint64_t state = 0x9E3779B97F4A7C15ull;

static double unit(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (double)(state >> 11) / 9007199254740992.0;
}

int main(int argc, char **argv)
{
	static const char *const names[6] = { NULL, "person", "car", "bicycle", "dog", "tree" };
	const char *lm_names[256] = { NULL };
	struct sidecar_class classes[5];
	char path[4096], *cause = NULL;
	int n, k, w, h, i, j, c;
	uint8_t *rgb;
	FILE *f;

	if (argc != 6) {
		fprintf(stderr, "usage: bench_mkinterop OUTDIR N K W H\n");
		return 2;
	}
	n = atoi(argv[2]);
	k = atoi(argv[3]);
	w = atoi(argv[4]);
	h = atoi(argv[5]);
	snprintf(path, sizeof(path), "%s/labelme", argv[1]);
	mkdir(argv[1], 0777);
	mkdir(path, 0777);
	snprintf(path, sizeof(path), "%s/pxlabel.ini", argv[1]);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	for (c = 1; c <= 5; c++) {
		fprintf(f, "[class %s]\nid = %d\n\n", names[c], c);
		classes[c - 1] = (struct sidecar_class){ c, (char *)names[c], dataset_default_colour(c) };
		lm_names[c] = names[c];
	}
	fclose(f);
	rgb = malloc((size_t)w * h * 3);
	for (i = 0; i < w * h; i++) {
		rgb[3 * i] = (uint8_t)(i % w);
		rgb[3 * i + 1] = (uint8_t)(i / w);
		rgb[3 * i + 2] = 128;
	}
	for (i = 0; i < n; i++) {
		struct doc *d = doc_new(w, h, NULL);
		char image[64];

		snprintf(image, sizeof(image), "img_%04d.png", i);
		snprintf(path, sizeof(path), "%s/%s", argv[1], image);
		if (pngio_write_rgb8(path, rgb, w, h, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			return 1;
		}
		for (j = 0; j < k; j++) {
			int nv = 16 + (int)(unit() * 32), v;
			double cx = unit() * w, cy = unit() * h, r = 15 + unit() * 45;
			raster_pt *pts = malloc((size_t)nv * sizeof(*pts));
			raster_ring ring = { pts, (size_t)nv };
			struct doc_shape *s;

			for (v = 0; v < nv; v++) {
				double a = 2 * M_PI * v / nv, rr = r * (0.6 + 0.4 * unit());

				pts[v] = raster_pt_from_double(cx + rr * cos(a), cy + rr * sin(a));
			}
			s = doc_shape_polygon(DOC_ADD, &ring, 1, NULL);
			free(pts);
			if (doc_load_instance(d, (uint16_t)(j + 1), 1 + (int)(unit() * 5), 0, &s, 1, &cause) != 0) {
				fprintf(stderr, "%s\n", cause);
				return 1;
			}
		}
		snprintf(path, sizeof(path), "%s/img_%04d.pxl.json", argv[1], i);
		if (sidecar_save(path, d, image, classes, 5, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			return 1;
		}
		snprintf(path, sizeof(path), "%s/labelme/img_%04d.json", argv[1], i);
		snprintf(image, sizeof(image), "../img_%04d.png", i);
		if (labelme_write(path, d, image, lm_names, LABELME_LINE_WIDTH, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			return 1;
		}
		doc_free(d);
	}
	free(rgb);
	return 0;
}
