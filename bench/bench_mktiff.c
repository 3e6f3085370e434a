/* bench_mktiff.c: the large TIFFs the benchmarks need (nothing large is committed), written
 * tiled through libtiff from a photo: 8-bit RGB as it is, or 16-bit grey with the picture's
 * light in a narrow band (2000 + 12 x luma, as a microscope's camera gives), or that grey band
 * as 8-bit RGB through its own window (the same picture, as a photo would be held).
 * Usage: bench_mktiff IN rgb8|grey16|grey8rgb TILE COMPRESSION(none|lzw|deflate) OUT.tif */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tiffio.h>

#include "img.h"

int main(int argc, char **argv)
{
	struct img_load_opts opts;
	struct img *src;
	char *cause = NULL;
	int tile, grey16, grey8, x, y, tx, ty, comp, spp;
	size_t bps;
	uint8_t *buf;
	TIFF *t;

	if (argc != 6) {
		fprintf(stderr, "usage: bench_mktiff IN rgb8|grey16|grey8rgb TILE none|lzw|deflate OUT.tif\n");
		return 2;
	}
	img_load_opts_default(&opts);
	src = img_load(argv[1], &opts, &cause);
	if (!src) {
		fprintf(stderr, "%s\n", cause);
		return 1;
	}
	grey16 = !strcmp(argv[2], "grey16");
	grey8 = !strcmp(argv[2], "grey8rgb");
	tile = atoi(argv[3]);
	comp = !strcmp(argv[4], "lzw") ? COMPRESSION_LZW : !strcmp(argv[4], "deflate") ? COMPRESSION_ADOBE_DEFLATE
											: COMPRESSION_NONE;
	spp = grey16 ? 1 : 3;
	bps = grey16 ? 2 : 1;
	t = TIFFOpen(argv[5], "w");
	if (!t)
		return 1;
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, src->w);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, src->h);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, (int)bps * 8);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, spp);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, grey16 ? PHOTOMETRIC_MINISBLACK : PHOTOMETRIC_RGB);
	TIFFSetField(t, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
	TIFFSetField(t, TIFFTAG_COMPRESSION, comp);
	TIFFSetField(t, TIFFTAG_TILEWIDTH, tile);
	TIFFSetField(t, TIFFTAG_TILELENGTH, tile);
	buf = calloc((size_t)tile * tile * spp, bps);
	for (ty = 0; ty < src->h; ty += tile) {
		for (tx = 0; tx < src->w; tx += tile) {
			memset(buf, 0, (size_t)tile * tile * spp * bps);
			for (y = ty; y < ty + tile && y < src->h; y++) {
				for (x = tx; x < tx + tile && x < src->w; x++) {
					const uint8_t *p = src->rgb + ((size_t)y * src->w + x) * 3;
					size_t at = (size_t)(y - ty) * tile + (size_t)(x - tx);
					unsigned luma = (p[0] * 77u + p[1] * 150u + p[2] * 29u) >> 8;

					if (grey16) {
						((uint16_t *)(void *)buf)[at] = (uint16_t)(2000 + 12 * luma);
					} else if (grey8) {
						buf[3 * at] = buf[3 * at + 1] = buf[3 * at + 2] = (uint8_t)luma;
					} else {
						memcpy(buf + 3 * at, p, 3);
					}
				}
			}
			if (TIFFWriteTile(t, buf, (uint32_t)tx, (uint32_t)ty, 0, 0) < 0)
				return 1;
		}
	}
	TIFFClose(t);
	free(buf);
	img_free(src);
	return 0;
}
