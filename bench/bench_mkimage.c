/* bench_mkimage.c: makes the large test photos the benchmarks need (nothing large is committed):
 * a sample scaled up to W x H, with a little noise so it compresses like a photo, not like a
 * smooth blow-up. Usage: bench_mkimage IN.png W H OUT.jpg */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <jpeglib.h>

#include "img.h"

int main(int argc, char **argv)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	struct img_load_opts opts;
	struct img *src, *big;
	char *cause = NULL;
	uint32_t seed = 1;
	JSAMPROW row;
	size_t i, n;
	FILE *fp;

	if (argc != 5) {
		fprintf(stderr, "usage: bench_mkimage IN W H OUT.jpg\n");
		return 2;
	}
	img_load_opts_default(&opts);
	src = img_load(argv[1], &opts, &cause);
	if (!src) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	big = img_scale(src, atoi(argv[2]), atoi(argv[3]));
	n = (size_t)big->w * big->h * 3;
	for (i = 0; i < n; i++) {
		int v;

		seed = seed * 1103515245u + 12345u;
		v = big->rgb[i] + (int)((seed >> 16) % 17) - 8;
		big->rgb[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
	fp = fopen(argv[4], "wb");
	if (!fp)
		return 1;
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_stdio_dest(&c, fp);
	c.image_width = (JDIMENSION)big->w;
	c.image_height = (JDIMENSION)big->h;
	c.input_components = 3;
	c.in_color_space = JCS_RGB;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 90, TRUE);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		row = big->rgb + (size_t)c.next_scanline * big->w * 3;
		jpeg_write_scanlines(&c, &row, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	fclose(fp);
	img_free(src);
	img_free(big);
	return 0;
}
