/* bench_compose.c: the cost of one vertex edit in a document of 500 instances, and memory.
 *  1. 500 random polygons (3 to 80 vertices, radius 20 to 600 px) on a 6000x4000 image; one
 *     vertex of one instance is moved and only the edit's rectangle recomposed. The same
 *     document on an image 4x larger (12000x8000, the instances where they were) must cost the
 *     same: the work follows the edited box, not the image.
 *  2. Peak memory of a 24-megapixel image (decoded RGB) with its masks and that document,
 *     against the sum of the RGB image, the class mask and the instance mask.
 * Usage: bench_compose            part 1
 *        bench_compose BIG.jpg    part 2 alone (peak memory is per process) */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "compose.h"
#include "img.h"
#include "xalloc.h"

static uint32_t rng = 77;
static double frand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return (double)rng / 4294967296.0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct doc *make_doc(int w, int h)
{
	struct doc *d = doc_new(w, h, NULL);
	int i;

	rng = 77;
	for (i = 0; i < 500; i++) {
		raster_pt pts[80];
		raster_ring ring = { pts, 3 + (size_t)(frand() * 78) };
		double cx = frand() * 6000, cy = frand() * 4000, r = 20 + frand() * 580;
		size_t k;

		for (k = 0; k < ring.n; k++) {
			double a = 2 * M_PI * (double)k / (double)ring.n, rr = r * (0.4 + 0.6 * frand());

			pts[k] = raster_pt_from_double(cx + rr * cos(a), cy + rr * sin(a));
		}
		(void)doc_add_instance(d, 1 + i % 20, 0, DOC_OVER, doc_shape_polygon(DOC_ADD, &ring, 1, NULL), NULL,
		    NULL, NULL);
	}
	doc_clear_history(d);
	return d;
}

/* Median time of moving one vertex of instance #250 back and forth, recomposing the dirty box. */
static double edit_cost(struct doc *d, struct compose *c, long *box_px)
{
	double t[41];
	int i, k;

	for (i = 0; i < 41; i++) {
		const struct doc_shape *s = doc_instance(d, 250)->shapes[0];
		raster_ring ring = { xreallocarray(NULL, s->rings[0].n, sizeof(raster_pt)), s->rings[0].n };
		raster_rect dirty;
		double t0;

		memcpy(ring.pts, s->rings[0].pts, ring.n * sizeof(raster_pt));
		ring.pts[0].x += (i % 2 ? -1 : 1) * 10 * RASTER_ONE;
		t0 = now();
		(void)doc_replace_shape(d, 250, 0, doc_shape_polygon(DOC_ADD, &ring, 1, NULL), &dirty, NULL);
		(void)compose_rect(c, d, dirty, NULL);
		t[i] = now() - t0;
		*box_px = (long)(dirty.x1 - dirty.x0) * (dirty.y1 - dirty.y0);
		free(ring.pts);
	}
	for (i = 1; i < 41; i++)
		for (k = i; k > 0 && t[k] < t[k - 1]; k--) {
			double x = t[k];

			t[k] = t[k - 1];
			t[k - 1] = x;
		}
	return t[20];
}

int main(int argc, char **argv)
{
	struct compose c;
	struct doc *d;
	double t_small, t_big, t_full;
	long box;

	if (argc > 1)
		goto memory;
	d = make_doc(6000, 4000);
	compose_init(&c, 6000, 4000, NULL);
	t_full = now();
	compose_all(&c, d, NULL);
	t_full = now() - t_full;
	t_small = edit_cost(d, &c, &box);
	compose_free(&c);
	doc_free(d);

	d = make_doc(12000, 8000);
	compose_init(&c, 12000, 8000, NULL);
	compose_all(&c, d, NULL);
	t_big = edit_cost(d, &c, &box);
	compose_free(&c);
	doc_free(d);

	printf("compose: 500 instances, full composition of 6000x4000 %.1f ms\n", t_full * 1e3);
	printf("vertex edit + recompose of its box (%ld px): 6000x4000 %.3f ms, 12000x8000 %.3f ms\n", box,
	    t_small * 1e3, t_big * 1e3);
	printf("ratio edit_cost 4x_image/1x_image %.2f (target ~1.0: cost follows the box)\n", t_big / t_small);
	printf("ratio edit_cost/full_compose %.4f\n", t_small / t_full);
	return 0;
memory:
	{
		struct img_load_opts opts;
		struct rusage ru;
		struct img *im;
		double base;

		img_load_opts_default(&opts);
		im = img_load(argv[1], &opts, NULL);
		if (!im)
			return 1;
		d = make_doc(im->w, im->h);
		compose_init(&c, im->w, im->h, NULL);
		compose_all(&c, d, NULL);
		getrusage(RUSAGE_SELF, &ru);
		base = (double)im->w * im->h * (3 + 1 + 2) / 1024.0;
		printf("memory: %dx%d image + masks + 500 instances: peak %ld kB, image+masks %.0f kB\n", im->w, im->h,
		    ru.ru_maxrss, base);
		printf("ratio peak_mem/(rgb+class+instance) %.3f (target <= 1.25)\n", (double)ru.ru_maxrss / base);
		compose_free(&c);
		doc_free(d);
		img_free(im);
	}
	return 0;
}
