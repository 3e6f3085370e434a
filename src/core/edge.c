/* edge.c: the picture's own edges near a point (see edge.h). */
#include "config.h"

#include "edge.h"

#include <math.h>

#define SIDE (2 * EDGE_MAX_REACH + 8) /* the window read, in pixels a side */
#define STEPS_PX 8                    /* samples a pixel along the line across the edge */
#define STEP (1.0 / STEPS_PX)
#define NSAMPLES (2 * (EDGE_MAX_REACH + 2) * STEPS_PX + 1)

static const uint8_t *pixel(const struct img *im, int x, int y)
{
	/* Beyond the border the border pixels go on: the picture's frame is no edge of it. */
	x = x < 0 ? 0 : x >= im->w ? im->w - 1 : x;
	y = y < 0 ? 0 : y >= im->h ? im->h - 1 : y;
	return im->rgb + ((size_t)y * im->w + x) * 3;
}

/* Sobel, per channel, scaled to levels per pixel (a step of 100 levels gives 50 on the two
 * pixels beside it). */
static void sobel(const struct img *im, int x, int y, float gx[3], float gy[3])
{
	const uint8_t *n[3][3];
	int i, j, c;

	for (j = 0; j < 3; j++)
		for (i = 0; i < 3; i++)
			n[j][i] = pixel(im, x + i - 1, y + j - 1);
	for (c = 0; c < 3; c++) {
		gx[c] = (float)((n[0][2][c] + 2 * n[1][2][c] + n[2][2][c]) - (n[0][0][c] + 2 * n[1][0][c] + n[2][0][c])) / 8;
		gy[c] = (float)((n[2][0][c] + 2 * n[2][1][c] + n[2][2][c]) - (n[0][0][c] + 2 * n[0][1][c] + n[0][2][c])) / 8;
	}
}

int edge_snap(const struct img *im, double ix, double iy, double reach, double min_strength,
    struct edge_hit *out)
{
	static const double tiny = 1e-6;
	float g[SIDE][SIDE][2][3], rise[SIDE][SIDE];
	double samples[NSAMPLES], r = reach, span, jxx = 0, jxy = 0, jyy = 0, nx, ny, theta, best = 0, sum = 0, wsum = 0;
	int x0, y0, n, x, y, c, k, ns, kbest = -1, lo, hi;

	if (!(r > 0) || im->w < 1 || im->h < 1 || !isfinite(ix) || !isfinite(iy))
		return 0;
	r = r > EDGE_MAX_REACH ? EDGE_MAX_REACH : r;
	span = r + 2; /* sampled past the reach, so an edge just beyond it is seen as beyond */
	x0 = (int)floor(ix - span - 1);
	y0 = (int)floor(iy - span - 1);
	n = (int)floor(2 * span + 3);
	if (n > SIDE)
		n = SIDE;
	/* The gradients of the window, and the structure tensor of those near the point. */
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++) {
			double dx = x0 + x + 0.5 - ix, dy = y0 + y + 0.5 - iy;

			sobel(im, x0 + x, y0 + y, g[y][x][0], g[y][x][1]);
			if (dx * dx + dy * dy > (r + 1.5) * (r + 1.5))
				continue;
			for (c = 0; c < 3; c++) {
				jxx += (double)g[y][x][0][c] * g[y][x][0][c];
				jxy += (double)g[y][x][0][c] * g[y][x][1][c];
				jyy += (double)g[y][x][1][c] * g[y][x][1][c];
			}
		}
	if (jxx + jyy < tiny)
		return 0;
	/* Across the edges: the tensor's first eigenvector. */
	theta = 0.5 * atan2(2 * jxy, jxx - jyy);
	nx = cos(theta);
	ny = sin(theta);
	for (y = 0; y < n; y++)
		for (x = 0; x < n; x++) {
			double d2 = 0;

			for (c = 0; c < 3; c++) {
				double d = g[y][x][0][c] * nx + g[y][x][1][c] * ny;

				d2 += d * d;
			}
			rise[y][x] = (float)sqrt(d2 / 3); /* a grey step rises as much as its one channel */
		}
	/* The rise along the line, between pixel centres bilinearly. */
	ns = (int)floor(2 * span / STEP) + 1;
	for (k = 0; k < ns; k++) {
		double t = -span + k * STEP, u = ix + t * nx - 0.5 - x0, v = iy + t * ny - 0.5 - y0, fu, fv;
		int i, j;

		u = u < 0 ? 0 : u > n - 1 ? n - 1 : u;
		v = v < 0 ? 0 : v > n - 1 ? n - 1 : v;
		i = (int)floor(u);
		j = (int)floor(v);
		i = i > n - 2 ? n - 2 : i;
		j = j > n - 2 ? n - 2 : j;
		fu = u - i;
		fv = v - j;
		samples[k] = (rise[j][i] * (1 - fu) + rise[j][i + 1] * fu) * (1 - fv) +
		    (rise[j + 1][i] * (1 - fu) + rise[j + 1][i + 1] * fu) * fv;
		if (samples[k] > best) {
			best = samples[k];
			kbest = k;
		}
	}
	if (kbest < 0 || best < min_strength)
		return 0;
	/* The middle of the peak: the centroid of what rises above half of it, around it. A step
	 * between two pixels gives a flat top two pixels wide; its middle is the border. */
	for (lo = kbest; lo > 0 && samples[lo - 1] > best / 2; lo--)
		;
	for (hi = kbest; hi < ns - 1 && samples[hi + 1] > best / 2; hi++)
		;
	if (lo == 0 || hi == ns - 1)
		return 0; /* the peak runs off the line: its middle is out of reach */
	for (k = lo; k <= hi; k++) {
		double w = samples[k] - best / 2;

		sum += w * (-span + k * STEP);
		wsum += w;
	}
	if (wsum <= 0 || fabs(sum / wsum) > r)
		return 0;
	out->x = ix + sum / wsum * nx;
	out->y = iy + sum / wsum * ny;
	out->x = out->x < 0 ? 0 : out->x > im->w ? im->w : out->x;
	out->y = out->y < 0 ? 0 : out->y > im->h ? im->h : out->y;
	out->moved = hypot(out->x - ix, out->y - iy);
	out->strength = best;
	return 1;
}
