/* bench_vlslic.c: VLFeat's SLIC (libvlfeat-dev) on the same image and parameters as pxlabel's,
 * for bench_assist.sh: the Debian library measured, so the choice to write SLIC in core is
 * shown, not claimed. Built by the script (not by make: VLFeat is a bench peer only).
 * Usage: bench_vlslic RAW W H NSEG COMPACTNESS  (RAW: W*H RGB bytes, from bench_assist)
 * Prints the seconds of one run: the sRGB to Lab conversion (as pxlabel and scikit-image do
 * theirs) plus vl_slic_segment with region size sqrt(W*H/NSEG), regularization m^2 (VLFeat's
 * energy is appearance + regularization * (spatial / region size)^2, the same as SLIC's
 * dc^2 + (m/S)^2 ds^2) and the smallest region half a superpixel (scikit-image's default). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <vl/slic.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static float lin(int c)
{
	double v = c / 255.0;

	return (float)(v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4));
}

static float f(float t)
{
	return t > 0.008856f ? cbrtf(t) : 7.787f * t + 16.0f / 116;
}

int main(int argc, char **argv)
{
	size_t w, h, n, i, region, labels = 0;
	uint8_t *rgb;
	float *lab, lut[256], m;
	vl_uint32 *seg;
	double t0, t;
	FILE *fp;
	int k;

	if (argc != 6) {
		fprintf(stderr, "usage: bench_vlslic RAW W H NSEG COMPACTNESS\n");
		return 2;
	}
	w = (size_t)atol(argv[2]);
	h = (size_t)atol(argv[3]);
	n = w * h;
	m = (float)atof(argv[5]);
	region = (size_t)lround(sqrt((double)n / atoi(argv[4])));
	rgb = malloc(n * 3);
	lab = malloc(n * 3 * sizeof(*lab));
	seg = malloc(n * sizeof(*seg));
	fp = fopen(argv[1], "rb");
	if (!rgb || !lab || !seg || !fp || fread(rgb, 3, n, fp) != n) {
		fprintf(stderr, "bench_vlslic: cannot read %s\n", argv[1]);
		return 1;
	}
	fclose(fp);
	for (k = 0; k < 256; k++)
		lut[k] = lin(k);
	t0 = now();
	/* Channels as planes, as vl_slic_segment wants them. */
	for (i = 0; i < n; i++) {
		float R = lut[rgb[i * 3]], G = lut[rgb[i * 3 + 1]], B = lut[rgb[i * 3 + 2]];
		float X = (0.412453f * R + 0.357580f * G + 0.180423f * B) / 0.950456f;
		float Y = 0.212671f * R + 0.715160f * G + 0.072169f * B;
		float Z = (0.019334f * R + 0.119193f * G + 0.950227f * B) / 1.088754f;

		lab[i] = 116 * f(Y) - 16;
		lab[n + i] = 500 * (f(X) - f(Y));
		lab[2 * n + i] = 200 * (f(Y) - f(Z));
	}
	vl_slic_segment(seg, lab, w, h, 3, region, m * m, region * region / 2);
	t = now() - t0;
	for (i = 0; i < n; i++)
		labels = seg[i] + 1 > labels ? seg[i] + 1 : labels;
	fprintf(stderr, "vlfeat slic: %zu superpixels (region size %zu)\n", labels, region);
	printf("%.3f\n", t);
	free(rgb);
	free(lab);
	free(seg);
	return 0;
}
