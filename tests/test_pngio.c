/* test_pngio.c: the mask writers and the value reader round-trip exactly. */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <png.h>

#include "pngio.h"
#include "tap.h"
#include "xalloc.h"

/* Writes px (and the same through a map from ids) and reads both back exactly. */
static int round_trip(const char *path, const uint8_t *px, int w, int h)
{
	struct pngio_rgb pal[256];
	struct img_limits lim;
	uint16_t *ids = xmalloc(sizeof(uint16_t) * (size_t)w * h), *back = NULL;
	uint8_t map[65536];
	char *cause = NULL;
	int bw = 0, bh = 0, ok, i, pass;

	img_limits_default(&lim);
	memset(pal, 0, sizeof(pal));
	/* Ids that differ where the values do not too: the runs of one value come in pieces. */
	for (i = 0; i < w * h; i++) {
		ids[i] = (uint16_t)(px[i] * 256 + (i / 7) % 3);
		map[ids[i]] = px[i];
	}
	for (ok = 1, pass = 0; pass < 2 && ok; pass++) {
		ok = (pass == 0 ? pngio_write_palette8(path, px, w, h, pal, 256, &cause)
		                : pngio_write_palette8_mapped(path, ids, map, w, h, pal, 256, &cause)) == 0 &&
		    pngio_read_values(path, &lim, &back, &bw, &bh, &cause) == 0 && bw == w && bh == h;
		for (i = 0; ok && i < w * h; i++)
			ok = back[i] == px[i];
		free(back);
		back = NULL;
	}
	free(cause);
	free(ids);
	return ok;
}

/* An Adam7-interlaced greyscale PNG of depth 8 or 16 (the writers above never interlace, other
 * tools' masks may): each pass fills in only its own pixels. */
static int write_interlaced(const char *path, const uint16_t *v, int w, int h, int depth)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	uint8_t *row = xmalloc((size_t)w * 2);
	FILE *fp = fopen(path, "wb");
	int y, x, pass, passes;

	if (!png || !info || !fp || setjmp(png_jmpbuf(png))) {
		if (fp)
			fclose(fp);
		return -1;
	}
	png_init_io(png, fp);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, depth, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_ADAM7,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	passes = png_set_interlace_handling(png);
	for (pass = 0; pass < passes; pass++)
		for (y = 0; y < h; y++) {
			for (x = 0; x < w; x++) {
				if (depth == 16) {
					row[2 * x] = (uint8_t)(v[y * w + x] >> 8);
					row[2 * x + 1] = (uint8_t)v[y * w + x];
				} else {
					row[x] = (uint8_t)v[y * w + x];
				}
			}
			png_write_row(png, row);
		}
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	free(row);
	return fclose(fp);
}

static int interlaced_read(const char *path, int depth)
{
	enum { IW = 29, IH = 19 };
	struct img_limits lim;
	uint16_t v[IW * IH], *back = NULL;
	char *cause = NULL;
	int i, bw = 0, bh = 0, ok;

	img_limits_default(&lim);
	for (i = 0; i < IW * IH; i++)
		v[i] = (uint16_t)((i * 7919u + i / IW) % (depth == 16 ? 65536u : 256u));
	ok = write_interlaced(path, v, IW, IH, depth) == 0 &&
	    pngio_read_values(path, &lim, &back, &bw, &bh, &cause) == 0 && bw == IW && bh == IH;
	for (i = 0; ok && i < IW * IH; i++)
		ok = back[i] == v[i];
	free(back);
	free(cause);
	unlink(path);
	return ok;
}

int main(void)
{
	char dir[] = "/tmp/pxl-pngio-XXXXXX";
	struct pngio_rgb pal[3] = { { 0, 0, 0 }, { 230, 25, 75 }, { 60, 180, 75 } };
	struct img_limits lim;
	uint8_t *m8, *rgb;
	uint16_t *m16, *back = NULL;
	char *p8, *p16, *pg, *prgb, *cause = NULL;
	int w = 37, h = 23, i, bw = 0, bh = 0, same;
	struct img_load_opts opts;
	struct img *im;

	if (!mkdtemp(dir))
		return 99;
	img_limits_default(&lim);
	p8 = xasprintf("%s/a.labels.png", dir);
	p16 = xasprintf("%s/a.instances.png", dir);
	pg = xasprintf("%s/g.png", dir);
	prgb = xasprintf("%s/c.png", dir);
	m8 = xmalloc((size_t)w * h);
	m16 = xmalloc(sizeof(uint16_t) * (size_t)w * h);
	rgb = xmalloc((size_t)w * h * 3);
	for (i = 0; i < w * h; i++) {
		m8[i] = (uint8_t)(i % 3);
		m16[i] = (uint16_t)(i * 977 % 65536);
		rgb[3 * i] = (uint8_t)i;
		rgb[3 * i + 1] = (uint8_t)(i >> 3);
		rgb[3 * i + 2] = 200;
	}
	tap_ok(pngio_write_palette8(p8, m8, w, h, pal, 3, &cause) == 0, "palette mask written");
	tap_ok(pngio_read_values(p8, &lim, &back, &bw, &bh, &cause) == 0 && bw == w && bh == h,
	    "palette mask read back");
	for (same = 1, i = 0; back && i < w * h; i++)
		same &= back[i] == m8[i];
	tap_ok(same, "palette indices identical");
	free(back);
	back = NULL;
	img_load_opts_default(&opts);
	im = img_load(p8, &opts, NULL);
	tap_ok(im && im->rgb[3] == 230 && im->rgb[4] == 25 && im->rgb[5] == 75,
	    "its palette shows class colours in any viewer");
	img_free(im);

	tap_ok(pngio_write_gray16(p16, m16, w, h, &cause) == 0 &&
	    pngio_read_values(p16, &lim, &back, &bw, &bh, &cause) == 0, "16-bit mask round trip");
	for (same = 1, i = 0; back && i < w * h; i++)
		same &= back[i] == m16[i];
	tap_ok(same, "16-bit values identical (big-endian on disk)");
	free(back);
	back = NULL;
	tap_ok(pngio_write_gray8(pg, m8, w, h, &cause) == 0 &&
	    pngio_read_values(pg, &lim, &back, &bw, &bh, &cause) == 0 && back[5] == m8[5], "8-bit grey round trip");
	free(back);
	back = NULL;
	tap_ok(pngio_write_rgb8(prgb, rgb, w, h, &cause) == 0, "RGB written");
	im = img_load(prgb, &opts, NULL);
	tap_ok(im && !memcmp(im->rgb, rgb, (size_t)w * h * 3), "RGB PNG loads identical");
	img_free(im);
	tap_ok(pngio_read_values(prgb, &lim, &back, &bw, &bh, &cause) == -1 && cause && strstr(cause, "greyscale"),
	    "a colour PNG is not a mask: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	lim.max_pixels = 10;
	tap_ok(pngio_read_values(p16, &lim, &back, &bw, &bh, &cause) == -1 && cause,
	    "limits are checked when reading masks");
	free(cause);
	cause = NULL;
	tap_ok(pngio_write_palette8(p8, m8, 0, h, pal, 3, &cause) == -1, "an empty mask is refused");
	free(cause);
	cause = NULL;
	{
		/* One pixel, runs just over a deflate match's 258 (259..262), long runs across rows,
		 * noise, few and many values; mapped from ids whose runs come in pieces. */
		static const int widths[] = { 1, 259, 260, 261, 262, 517, 1000 };
		uint8_t *px = xmalloc(400 * 400);
		uint32_t seed = 12345;
		size_t k;
		int ok = 1;

		memset(px, 7, 400 * 400);
		for (k = 0; k < sizeof(widths) / sizeof(widths[0]); k++)
			ok &= round_trip(p8, px, widths[k], 3);
		tap_ok(ok, "runs of every length round-trip");
		for (i = 0; i < 400 * 400; i++) {
			seed = seed * 1103515245u + 12345u;
			px[i] = (uint8_t)(seed >> 16);
		}
		tap_ok(round_trip(p8, px, 400, 400), "noise (all literals, several blocks) round-trips");
		for (i = 0; i < 400 * 400; i++) {
			seed = seed * 1103515245u + 12345u;
			px[i] = (seed >> 16) % 50 < 2 ? (uint8_t)(seed >> 24) : i ? px[i - 1] : 0;
		}
		tap_ok(round_trip(p8, px, 400, 400), "runs of random lengths and values round-trip");
		for (i = 0; i < 400 * 400; i++)
			px[i] = (uint8_t)((i / 300) % 2 * 255);
		tap_ok(round_trip(p8, px, 400, 400), "two values round-trip");
		free(px);
	}
	free(cause);
	tap_ok(interlaced_read(pg, 8), "an interlaced 8-bit grey mask reads back exactly");
	tap_ok(interlaced_read(pg, 16), "an interlaced 16-bit grey mask reads back exactly");
	unlink(p8);
	unlink(p16);
	unlink(pg);
	unlink(prgb);
	rmdir(dir);
	free(p8);
	free(p16);
	free(pg);
	free(prgb);
	free(m8);
	free(m16);
	free(rgb);
	return tap_done();
}
