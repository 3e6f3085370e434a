/* test_view.c: zoom and pan arithmetic, the display curve, the pyramid, and rendered frames
 * (image, overlay, outline) against direct computations; 16-bit images through the window. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "view.h"

static struct img *pattern(int w, int h)
{
	struct img *im = img_new(w, h, NULL);
	int x, y;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			uint8_t *p = im->rgb + ((size_t)y * w + x) * 3;

			p[0] = (uint8_t)(x * 7);
			p[1] = (uint8_t)(y * 5);
			p[2] = (uint8_t)((x ^ y) * 3);
		}
	return im;
}

int main(void)
{
	struct view v;
	struct pyr p;
	struct img *im = pattern(64, 40);
	struct compose c;
	uint8_t rgb[256][3], *frame = malloc(200 * 200 * 3);
	struct view_overlay_opts o;
	double ix, iy, sx, sy;
	int i, ok, x, y;

	view_init(&v, 64, 40, 64, 80, 1, 2);
	tap_ok(fabs(v.zoom - 1.0) < 1e-12 && v.cx == 32 && v.cy == 20, "fit: 64x40 in 64x80 is zoom 1, centred");
	view_to_image(&v, 10.5, 40 + 3.5, &ix, &iy);
	tap_ok(ix == 10.5 && iy == 23.5, "screen pixel centre -> image point (%g, %g)", ix, iy);
	view_to_screen(&v, ix, iy, &sx, &sy);
	tap_ok(sx == 10.5 && sy == 43.5, "and back");
	view_to_image(&v, 20, 30, &ix, &iy);
	view_zoom_at(&v, 4, 20, 30);
	view_to_screen(&v, ix, iy, &sx, &sy);
	tap_ok(v.zoom == 4 && fabs(sx - 20) < 1e-9 && fabs(sy - 30) < 1e-9, "zooming keeps the point under the cursor");
	view_zoom_at(&v, 100, 0, 0);
	tap_ok(v.zoom == VIEW_MAX_ZOOM, "zoom stops at %gx", VIEW_MAX_ZOOM);
	view_zoom_at(&v, 1e-9, 0, 0);
	tap_ok(fabs(v.zoom - view_fit_zoom(&v)) < 1e-12 && v.cx == 32, "and at fit, where the image is centred");
	view_zoom_at(&v, 8, 32, 40);
	view_pan(&v, 1e6, 1e6);
	tap_ok(v.cx == 64 && v.cy == 40, "panning stops with the image still in view");
	view_resize(&v, 32, 20);
	tap_ok(v.zoom == 8, "a resize keeps the zoom of a zoomed view");

	for (ok = 1, i = 1; i < 256; i++)
		ok &= v.lut[i] >= v.lut[i - 1];
	tap_ok(ok && v.lut[0] == 0 && v.lut[255] == 255 && v.lut[128] == 128, "the neutral curve is the identity");
	v.brightness = 40;
	view_update_lut(&v);
	tap_ok(v.lut[100] > 100 && v.lut[255] == 255, "brightness lifts (%d)", v.lut[100]);
	v.brightness = 0;
	v.contrast = 50;
	view_update_lut(&v);
	tap_ok(v.lut[64] < 64 && v.lut[192] > 192, "contrast spreads from the middle");
	v.contrast = 0;
	v.gamma10 = 20;
	view_update_lut(&v);
	tap_ok(v.lut[64] > 64 && v.lut[0] == 0 && v.lut[255] == 255, "gamma 2 brightens the mid-tones");

	pyr_build(&p, im);
	tap_ok(p.nlevels == 1, "a small image needs no pyramid");
	pyr_free(&p);
	{
		struct img *big = pattern(1000, 300);

		pyr_build(&p, big);
		tap_ok(p.nlevels == 5 && p.level[1]->w == 500 && p.level[4]->w == 63 && p.level[4]->h == 19,
		    "halved levels down to about 64 pixels (%d levels)", p.nlevels);
		pyr_free(&p);
		img_free(big);
	}

	/* At zoom 1, a frame is the image itself. */
	pyr_build(&p, im);
	view_init(&v, 64, 40, 64, 40, 1, 2);
	view_render(&v, &p, NULL, frame);
	tap_ok(!memcmp(frame, im->rgb, 64 * 40 * 3), "at 1:1 the frame is the image, pixel for pixel");
	/* At 1/2 (the image in 32x20 screen pixels), each screen pixel averages 2x2. */
	view_init(&v, 64, 40, 32, 20, 1, 2);
	view_render(&v, &p, NULL, frame);
	for (ok = 1, y = 0; y < 20; y++)
		for (x = 0; x < 32; x++) {
			int ch;

			for (ch = 0; ch < 3; ch++) {
				int s = im->rgb[((size_t)(2 * y) * 64 + 2 * x) * 3 + ch] + im->rgb[((size_t)(2 * y) * 64 + 2 * x + 1) * 3 + ch] +
				    im->rgb[((size_t)(2 * y + 1) * 64 + 2 * x) * 3 + ch] + im->rgb[((size_t)(2 * y + 1) * 64 + 2 * x + 1) * 3 + ch];

				ok &= abs(frame[((size_t)y * 32 + x) * 3 + ch] - (s + 2) / 4) <= 1;
			}
		}
	tap_ok(ok, "zoomed out, a screen pixel is the average of the image pixels under it");

	/* The overlay: an instance over the left half, 50% of its class colour. */
	compose_init(&c, 64, 40, NULL);
	for (y = 0; y < 40; y++)
		for (x = 0; x < 32; x++) {
			c.ids[y * 64 + x] = 7;
			c.cls[y * 64 + x] = 2;
		}
	memset(rgb, 0, sizeof(rgb));
	rgb[2][0] = 255;
	o.masks = &c;
	o.class_rgb = (const uint8_t(*)[3])rgb;
	o.mode = VIEW_OVERLAY_FILLED;
	o.opacity = 50;
	o.highlight_unlabeled = 0;
	o.selected = 0;
	view_init(&v, 64, 40, 64, 40, 1, 2);
	view_render(&v, &p, &o, frame);
	tap_ok(frame[(10 * 64 + 5) * 3] == (im->rgb[(10 * 64 + 5) * 3] * 50 + 255 * 50 + 50) / 100 &&
	    !memcmp(frame + (10 * 64 + 40) * 3, im->rgb + (10 * 64 + 40) * 3, 3),
	    "filled overlay: the class colour at the opacity, nothing where unlabeled");
	o.mode = VIEW_OVERLAY_OUTLINE;
	view_render(&v, &p, &o, frame);
	tap_ok(frame[(10 * 64 + 31) * 3] == 255 && frame[(10 * 64 + 31) * 3 + 1] == 0 &&
	    !memcmp(frame + (10 * 64 + 20) * 3, im->rgb + (10 * 64 + 20) * 3, 3),
	    "outline overlay: only the border pixels take the colour");
	o.mode = VIEW_OVERLAY_FILLED;
	o.selected = 7;
	view_render(&v, &p, &o, frame);
	tap_ok(frame[(10 * 64 + 31) * 3] == 255 && frame[(10 * 64 + 31) * 3 + 1] == 255, "the selected instance's border is white");
	o.selected = 0;
	o.highlight_unlabeled = 1;
	view_render(&v, &p, &o, frame);
	tap_ok(frame[(10 * 64 + 40) * 3 + 1] == im->rgb[(10 * 64 + 40) * 3 + 1] / 2, "unlabeled pixels highlighted on demand");
	{
		/* view_overlay over a view_render without masks is view_render with them, byte for
		 * byte: every mode, zoomed in and out, panned, with a curve, with nested instances. */
		static uint8_t under[96 * 50 * 3], both[96 * 50 * 3], over[96 * 50 * 3];
		int mode, z, same = 1, tried = 0;

		for (y = 10; y < 20; y++)
			for (x = 40; x < 50; x++) {
				c.ids[y * 64 + x] = 9;
				c.cls[y * 64 + x] = 1;
			}
		rgb[1][1] = 200;
		for (mode = 0; mode < 4; mode++)
			for (z = 0; z < 6; z++) {
				view_init(&v, 64, 40, 96, 50, 1, 2);
				view_zoom_at(&v, (double[]){ 1, 0.5, 2.3, 5, 8, 13.7 }[z], 31 + z, 17 + 2 * z);
				view_pan(&v, 3.5 * z, -2.25 * z);
				v.brightness = 10 * z - 20;
				view_update_lut(&v);
				o.mode = mode == 3 ? VIEW_OVERLAY_FILLED : (enum view_overlay)mode;
				o.selected = mode >= 2 ? 9 : 0;
				o.highlight_unlabeled = mode == 3;
				view_render(&v, &p, NULL, under);
				view_render(&v, &p, &o, both);
				view_overlay(&v, &o, under, over);
				same &= !memcmp(both, over, sizeof(both));
				tried++;
			}
		tap_ok(same, "view_overlay over the plain view is view_render with the masks (%d views)", tried);
	}
	compose_free(&c);
	pyr_free(&p);
	img_free(im);

	/* A 16-bit grey image: through its default window unless told otherwise. */
	{
		struct img *g = img_new16(64, 40, 1, NULL), *big = img_new16(640, 400, 3, NULL);
		char buf[64];
		int lo, hi;

		for (y = 0; y < 40; y++)
			for (x = 0; x < 64; x++)
				g->px16[y * 64 + x] = (uint16_t)(3000 + x * 16 + y);
		img_window_auto(g);
		pyr_build(&p, g);
		view_init(&v, 64, 40, 64, 40, 1, 2);
		view_render(&v, &p, NULL, frame);
		for (ok = 1, i = 0; i < 64 * 40; i++)
			ok &= frame[3 * i] == img_window8(g->px16[i], g->win_lo, g->win_hi) && frame[3 * i + 1] == frame[3 * i] &&
			    frame[3 * i + 2] == frame[3 * i];
		tap_ok(ok && g->win_lo > 3000 && g->win_hi < 3000 + 63 * 16 + 39 && frame[0] == 0 && frame[64 * 40 * 3 - 1] == 255,
		    "16-bit grey at 1:1: each sample through the default window %d..%d", g->win_lo, g->win_hi);
		view_window(&v, g, &lo, &hi);
		view_window_describe(&v, g, buf, sizeof(buf));
		tap_ok(lo == g->win_lo && hi == g->win_hi && !strcmp(buf, "W 3012..4035"), "the window in use is the image's: %s", buf);
		view_window_set(&v, 3000, 3200);
		view_render(&v, &p, NULL, frame);
		tap_ok(frame[(0 * 64 + 6) * 3] == img_window8(3096, 3000, 3200) && frame[(0 * 64 + 20) * 3] == 255,
		    "a window set by hand: 3000..3200 spreads the left of the band, the rest white");
		view_window_level(&v, g, 1);
		view_window(&v, g, &lo, &hi);
		tap_ok(lo == 3020 && hi == 3220, "level up a step: the window moves a tenth of its width (%d..%d)", lo, hi);
		view_window_level(&v, g, -3);
		view_window(&v, g, &lo, &hi);
		tap_ok(lo == 2960 && hi == 3160, "and down three (%d..%d)", lo, hi);
		view_window_width(&v, g, 1);
		view_window(&v, g, &lo, &hi);
		tap_ok(lo == 2935 && hi == 3185, "wider a step: 1.25 times, about the level (%d..%d)", lo, hi);
		view_window_width(&v, g, -40);
		view_window(&v, g, &lo, &hi);
		tap_ok(hi - lo == 2 && lo <= 3060 && hi >= 3060, "narrower stops at a width of 2 (%d..%d)", lo, hi);
		view_window_set(&v, 70000, 10);
		view_window(&v, g, &lo, &hi);
		tap_ok(lo < hi, "a window is never empty (%d..%d)", lo, hi);
		view_window_reset(&v);
		view_window(&v, g, &lo, &hi);
		tap_ok(lo == g->win_lo && hi == g->win_hi, "reset: the image's default again");
		v.brightness = 40;
		view_update_lut(&v);
		view_render(&v, &p, NULL, frame);
		tap_ok(frame[(20 * 64 + 30) * 3] == v.lut[img_window8(g->px16[20 * 64 + 30], g->win_lo, g->win_hi)],
		    "the brightness curve applies after the window");
		pyr_free(&p);
		/* Zoomed out on 16-bit RGB: levels stay 16-bit, a screen pixel is the windowed average. */
		for (i = 0; i < 640 * 400 * 3; i++)
			big->px16[i] = (uint16_t)(10000 + (i * 2654435761u >> 20) % 2000);
		img_window_auto(big);
		pyr_build(&p, big);
		view_init(&v, 640, 400, 160, 100, 1, 2);
		view_render(&v, &p, NULL, frame);
		for (ok = p.level[2]->px16 != NULL, y = 0; y < 100; y++)
			for (x = 0; x < 160; x++) {
				int ch;

				for (ch = 0; ch < 3; ch++) {
					uint64_t sum = 0;
					int a, b;

					for (b = 0; b < 4; b++)
						for (a = 0; a < 4; a++)
							sum += big->px16[((size_t)(4 * y + b) * 640 + 4 * x + a) * 3 + ch];
					ok &= abs(frame[((size_t)y * 160 + x) * 3 + ch] - img_window8((int)((sum + 8) / 16), big->win_lo, big->win_hi)) <= 1;
				}
			}
		tap_ok(ok, "16-bit RGB zoomed out to 1/4: the windowed average of the 4x4 pixels under each screen pixel");
		{
			struct img *e8 = pattern(4, 4);

			view_window_describe(&v, e8, buf, sizeof(buf));
			tap_ok(buf[0] == '\0', "no window to describe for an 8-bit image");
			img_free(e8);
		}
		pyr_free(&p);
		img_free(g);
		img_free(big);
	}
	free(frame);
	return tap_done();
}
