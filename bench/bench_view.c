/* bench_view.c: a zoom or pan step must cost in proportion to the screen, not the image.
 * Times view_render (median of many frames) for a 160x96-pixel image area at fit zoom, 1:1 and
 * 8x, on a 6000x4000 image and one four times larger, with its pyramid. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "view.h"
#include "xalloc.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run(int w, int h, double out[3])
{
	struct img *im = img_new(w, h, NULL);
	struct compose c;
	struct view v;
	struct pyr p;
	uint8_t rgb[256][3];
	struct view_overlay_opts o;
	uint8_t *frame = xmalloc(160 * 96 * 3);
	double zooms[3], t[31];
	size_t i;
	int z, k;

	for (i = 0; i < (size_t)w * h * 3; i++)
		im->rgb[i] = (uint8_t)(i * 2654435761u >> 24);
	pyr_build(&p, im);
	compose_init(&c, w, h, NULL);
	memset(rgb, 200, sizeof(rgb));
	o.masks = &c;
	o.class_rgb = (const uint8_t(*)[3])rgb;
	o.mode = VIEW_OVERLAY_FILLED;
	o.opacity = 50;
	o.highlight_unlabeled = 0;
	o.selected = 0;
	view_init(&v, w, h, 160, 96, 1, 2);
	zooms[0] = v.zoom;
	zooms[1] = 1;
	zooms[2] = 8;
	for (z = 0; z < 3; z++) {
		v.zoom = zooms[z];
		for (k = 0; k < 31; k++) {
			double t0 = now();

			/* A pan step each frame, so nothing is reused between frames. */
			v.cx = w / 2.0 + k;
			view_render(&v, &p, &o, frame);
			t[k] = now() - t0;
		}
		qsort(t, 31, sizeof(double), cmp);
		out[z] = t[15];
	}
	compose_free(&c);
	pyr_free(&p);
	img_free(im);
	free(frame);
}

int main(void)
{
	double a[3], b[3];
	static const char *names[3] = { "fit", "1:1", "8x" };
	int z;

	run(6000, 4000, a);
	run(12000, 8000, b);
	for (z = 0; z < 3; z++)
		printf("frame %-4s 160x96 px: 6000x4000 %.3f ms, 12000x8000 %.3f ms, ratio 4x_image/1x_image %.2f\n",
		    names[z], a[z] * 1e3, b[z] * 1e3, b[z] / a[z]);
	return 0;
}
