/* colour.c: nearest-colour mapping to terminal palettes. */
#include "config.h"

#include "colour.h"

#include <string.h>

static const uint8_t cube_levels[6] = { 0, 95, 135, 175, 215, 255 };

static const uint8_t ansi16[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
	{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
	{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
	{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

int colour_mode_parse(const char *s)
{
	if (!strcmp(s, "truecolor") || !strcmp(s, "24bit") || !strcmp(s, "direct"))
		return COLOUR_TRUECOLOR;
	if (!strcmp(s, "256"))
		return COLOUR_256;
	if (!strcmp(s, "16"))
		return COLOUR_16;
	return -1;
}

const char *colour_mode_name(enum colour_mode m)
{
	switch (m) {
	case COLOUR_TRUECOLOR: return "truecolor";
	case COLOUR_256: return "256";
	case COLOUR_16: return "16";
	}
	return "?";
}

/* Weighted distance: green matters most to the eye, blue least (a cheap "redmean"-like
 * weighting that keeps skin and foliage from drifting). */
static unsigned dist(int r1, int g1, int b1, int r2, int g2, int b2)
{
	int dr = r1 - r2, dg = g1 - g2, db = b1 - b2;

	return (unsigned)(3 * dr * dr + 4 * dg * dg + 2 * db * db);
}

static int cube_index(int v)
{
	/* Nearest of the cube levels: boundaries halfway between them. */
	if (v < 48)
		return 0;
	if (v < 115)
		return 1;
	return (v - 35) / 40;
}

uint8_t colour_to256(uint8_t r, uint8_t g, uint8_t b)
{
	int ri = cube_index(r), gi = cube_index(g), bi = cube_index(b);
	int avg = (r + g + b) / 3, gi2, grey;
	unsigned dc, dg;

	dc = dist(r, g, b, cube_levels[ri], cube_levels[gi], cube_levels[bi]);
	gi2 = avg > 238 ? 23 : avg < 8 ? 0 : (avg - 3) / 10;
	if (gi2 > 23)
		gi2 = 23;
	grey = 8 + 10 * gi2;
	dg = dist(r, g, b, grey, grey, grey);
	if (dg < dc)
		return (uint8_t)(232 + gi2);
	return (uint8_t)(16 + 36 * ri + 6 * gi + bi);
}

uint8_t colour_to16(uint8_t r, uint8_t g, uint8_t b)
{
	unsigned best = ~0u, d;
	int i, bi = 0;

	for (i = 0; i < 16; i++) {
		d = dist(r, g, b, ansi16[i][0], ansi16[i][1], ansi16[i][2]);
		if (d < best) {
			best = d;
			bi = i;
		}
	}
	return (uint8_t)bi;
}

void colour_256_rgb(uint8_t idx, uint8_t rgb[3])
{
	if (idx < 16) {
		memcpy(rgb, ansi16[idx], 3);
	} else if (idx < 232) {
		idx = (uint8_t)(idx - 16);
		rgb[0] = cube_levels[idx / 36];
		rgb[1] = cube_levels[(idx / 6) % 6];
		rgb[2] = cube_levels[idx % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = (uint8_t)(8 + 10 * (idx - 232));
	}
}

uint8_t colour_to16_dither(uint8_t r, uint8_t g, uint8_t b, int x, int y)
{
	/* Pattern dithering (after Yliluoma): the pair of palette colours and the mix of them
	 * that come closest to the colour, then a 4x4 Bayer threshold picks one of the two at
	 * this pixel. A penalty on pairs far apart keeps flat areas from turning to noise. */
	static const uint8_t bayer[4][4] = {
		{ 0, 8, 2, 10 }, { 12, 4, 14, 6 }, { 3, 11, 1, 9 }, { 15, 7, 13, 5 },
	};
	double best = 1e30;
	int i, j, bi = 0, bj = 0, bk = 0;

	for (i = 0; i < 16; i++) {
		for (j = i; j < 16; j++) {
			double dr = ansi16[i][0] - ansi16[j][0], dg = ansi16[i][1] - ansi16[j][1];
			double db = ansi16[i][2] - ansi16[j][2], len = dr * dr + dg * dg + db * db;
			double t = 0, er, eg, eb, e;
			int k;

			if (len > 0)
				t = ((r - ansi16[j][0]) * dr + (g - ansi16[j][1]) * dg + (b - ansi16[j][2]) * db) / len;
			k = (int)(t * 16 + 0.5);
			k = k < 0 ? 0 : k > 16 ? 16 : k;
			er = ansi16[j][0] + dr * k / 16.0 - r;
			eg = ansi16[j][1] + dg * k / 16.0 - g;
			eb = ansi16[j][2] + db * k / 16.0 - b;
			e = 3 * er * er + 4 * eg * eg + 2 * eb * eb + 0.1 * len;
			if (e < best) {
				best = e;
				bi = i;
				bj = j;
				bk = k;
			}
		}
	}
	return (uint8_t)(bayer[y & 3][x & 3] < bk ? bi : bj);
}
