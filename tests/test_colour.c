/* test_colour.c: terminal palette mapping. */
#include "config.h"

#include <string.h>

#include "colour.h"
#include "tap.h"

int main(void)
{
	int i, ok = 1;
	uint8_t rgb[3];

	for (i = 16; i < 256 && ok; i++) {
		uint8_t back[3];

		/* The grey ramp and the cube share a few greys, so compare colours, not indices. */
		colour_256_rgb((uint8_t)i, rgb);
		colour_256_rgb(colour_to256(rgb[0], rgb[1], rgb[2]), back);
		ok = !memcmp(rgb, back, 3);
		if (!ok)
			tap_diag("index %d did not map to itself", i);
	}
	tap_ok(ok, "every xterm-256 colour maps to itself or an identical one");
	tap_ok(colour_to256(0, 0, 0) == 16 && colour_to256(255, 255, 255) == 231,
	    "black and white are the cube's corners");
	tap_ok(colour_to256(128, 128, 128) >= 232, "mid grey takes the grey ramp (%d)",
	    colour_to256(128, 128, 128));
	tap_ok(colour_to256(255, 0, 0) == 196, "pure red is 196");
	tap_ok(colour_to16(0, 0, 0) == 0 && colour_to16(255, 255, 255) == 15 &&
	    colour_to16(200, 0, 0) == 1 && colour_to16(0, 0, 250) == 4, "16-colour mapping of primaries");
	{
		/* A flat brown over a 4x4 tile: a mix of palette colours whose mean is near it,
		 * not one grey. */
		int x, y, n[16] = { 0 }, used = 0, k;
		double m[3] = { 0, 0, 0 };
		uint8_t rgb16[3];

		for (y = 0; y < 4; y++)
			for (x = 0; x < 4; x++) {
				k = colour_to16_dither(150, 100, 60, x, y);
				n[k]++;
				colour_256_rgb((uint8_t)k, rgb16);
				m[0] += rgb16[0] / 16.0;
				m[1] += rgb16[1] / 16.0;
				m[2] += rgb16[2] / 16.0;
			}
		for (k = 0; k < 16; k++)
			used += n[k] > 0;
		tap_ok(used == 2 && m[0] > m[2] + 30, "16-colour dither mixes two colours toward brown (%.0f,%.0f,%.0f)",
		    m[0], m[1], m[2]);
		tap_ok(colour_to16_dither(255, 0, 0, 1, 2) == 9, "a palette colour stays itself");
	}
	tap_ok(colour_mode_parse("truecolor") == COLOUR_TRUECOLOR && colour_mode_parse("256") == COLOUR_256 &&
	    colour_mode_parse("16") == COLOUR_16 && colour_mode_parse("8") == -1, "mode names parse");
	tap_ok(!strcmp(colour_mode_name(COLOUR_256), "256"), "mode names print");
	return tap_done();
}
