/* viewshot.c: for the real-terminal tests, how close a screenshot's image area is to the core's
 * view_render of the same view. The view: the image fitted into the area (cols x rows cells of
 * cw x ch pixels), zoomed to ZOOM (0: fit) about the centre cell, where the annotator's cursor
 * starts, then panned by k cells in the direction (dx, dy), k from 0 to 64 (the annotator's pan
 * step is not this program's business: the best k is taken and printed). Prints "K PSNR", the
 * PSNR over the area, leaving out the cells around the centre (the cursor's ring).
 * Usage: viewshot IMAGE SHOT.ppm X0 Y0 COLS ROWS CW CH ZOOM DX DY */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "img.h"
#include "view.h"

static uint8_t *read_ppm(const char *path, int *w, int *h)
{
	FILE *f = fopen(path, "rb");
	uint8_t *px = NULL;
	int maxv;

	if (!f || fscanf(f, "P6 %d %d %d", w, h, &maxv) != 3 || maxv != 255 || fgetc(f) == EOF || *w < 1 || *h < 1 ||
	    *w > 20000 || *h > 20000)
		goto out;
	px = malloc((size_t)*w * *h * 3);
	if (fread(px, 3, (size_t)*w * *h, f) != (size_t)*w * *h) {
		free(px);
		px = NULL;
	}
out:
	if (f)
		fclose(f);
	return px;
}

int main(int argc, char **argv)
{
	struct img_load_opts opts;
	struct img *im;
	struct pyr pyr;
	struct view v;
	char *cause = NULL;
	uint8_t *shot, *want;
	int sw, sh, x0, y0, cols, rows, cw, ch, dx, dy, k, best_k = -1, aw, ah, cx, cy;
	double zoom, best = -1;

	if (argc != 12) {
		fprintf(stderr, "usage: viewshot IMAGE SHOT.ppm X0 Y0 COLS ROWS CW CH ZOOM DX DY\n");
		return 2;
	}
	x0 = atoi(argv[3]);
	y0 = atoi(argv[4]);
	cols = atoi(argv[5]);
	rows = atoi(argv[6]);
	cw = atoi(argv[7]);
	ch = atoi(argv[8]);
	zoom = atof(argv[9]);
	dx = atoi(argv[10]);
	dy = atoi(argv[11]);
	img_load_opts_default(&opts);
	im = img_load(argv[1], &opts, &cause);
	shot = read_ppm(argv[2], &sw, &sh);
	aw = cols * cw;
	ah = rows * ch;
	if (!im || !shot || cols < 1 || rows < 1 || cw < 1 || ch < 1 || x0 < 0 || y0 < 0 || x0 + aw > sw || y0 + ah > sh) {
		fprintf(stderr, "viewshot: %s\n", cause ? cause : "bad arguments or screenshot");
		return 1;
	}
	pyr_build(&pyr, im);
	want = malloc((size_t)aw * ah * 3);
	view_init(&v, im->w, im->h, aw, ah, cw, ch);
	cx = cols / 2;
	cy = rows / 2;
	if (zoom > 0)
		view_zoom_at(&v, zoom / v.zoom, (cx + 0.5) * cw, (cy + 0.5) * ch);
	for (k = 0; k <= 64; k++) {
		struct view p = v;
		double se = 0;
		long n = 0;
		int x, y, c;

		view_pan(&p, (double)k * dx * cw, (double)k * dy * ch);
		view_render(&p, &pyr, NULL, want);
		for (y = 0; y < ah; y++)
			for (x = 0; x < aw; x++) {
				if (abs(x / cw - cx) <= 2 && abs(y / ch - cy) <= 2)
					continue;
				for (c = 0; c < 3; c++) {
					double d = (double)shot[3 * ((size_t)(y0 + y) * sw + x0 + x) + c] - want[3 * ((size_t)y * aw + x) + c];

					se += d * d;
					n++;
				}
			}
		{
			double q = se == 0 ? 99.0 : 10.0 * log10(255.0 * 255.0 * n / se);

			if (q > best) {
				best = q;
				best_k = k;
			}
		}
		if (!dx && !dy)
			break;
	}
	printf("%d %.2f\n", best_k, best);
	free(want);
	free(shot);
	pyr_free(&pyr);
	img_free(im);
	return 0;
}
