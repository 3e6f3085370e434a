/* test_pngio.c: the mask writers and the value reader round-trip exactly. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pngio.h"
#include "tap.h"
#include "xalloc.h"

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
