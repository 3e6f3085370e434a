/* imgenc_jpeg.c: writing an upright RGB image as a JPEG through libjpeg(-turbo), for exports whose
 * readers expect JPEG files and ignore EXIF orientation (VOC's JPEGImages). */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <jpeglib.h>

#include "afile.h"
#include "err.h"
#include "img.h"

struct jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
};

static void on_error(j_common_ptr cinfo)
{
	struct jerr *e = (struct jerr *)cinfo->err;

	(*cinfo->err->format_message)(cinfo, e->msg);
	longjmp(e->jump, 1);
}

int img_save_jpeg(const struct img *im, const char *path, int quality, char **cause)
{
	struct jpeg_compress_struct cinfo;
	struct jerr jerr;
	struct afile af;
	volatile int created = 0, rc = -1;

	if (im->w <= 0 || im->h <= 0 || im->w > JPEG_MAX_DIMENSION || im->h > JPEG_MAX_DIMENSION)
		return err_set(cause, "%s: a JPEG cannot be %dx%d (at most %d a side)", path, im->w, im->h,
		    (int)JPEG_MAX_DIMENSION);
	if (quality < 1 || quality > 100)
		return err_set(cause, "%s: JPEG quality %d is not within 1..100", path, quality);
	if (!im->rgb)
		return err_set(cause, "%s: a JPEG is written from 8-bit RGB, not 16-bit samples", path);
	if (afile_open(&af, path, cause) != 0)
		return -1;
	memset(&jerr, 0, sizeof(jerr));
	cinfo.err = jpeg_std_error(&jerr.pub);
	jerr.pub.error_exit = on_error;
	if (setjmp(jerr.jump)) {
		err_set(cause, "%s: cannot write the JPEG: %s", path, jerr.msg);
		goto out;
	}
	jpeg_create_compress(&cinfo);
	created = 1;
	jpeg_stdio_dest(&cinfo, af.fp);
	cinfo.image_width = (JDIMENSION)im->w;
	cinfo.image_height = (JDIMENSION)im->h;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, quality, TRUE);
	/* At high quality, halving the chroma costs more than the quantiser saves: thin coloured
	 * edges, the ones masks follow, bleed by a pixel. */
	if (quality >= 90)
		cinfo.comp_info[0].h_samp_factor = cinfo.comp_info[0].v_samp_factor = 1;
	cinfo.optimize_coding = TRUE;
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		JSAMPROW row = (JSAMPROW)(im->rgb + (size_t)cinfo.next_scanline * (size_t)im->w * 3);

		jpeg_write_scanlines(&cinfo, &row, 1);
	}
	jpeg_finish_compress(&cinfo);
	rc = 0;
out:
	if (created)
		jpeg_destroy_compress(&cinfo);
	if (rc != 0) {
		afile_abort(&af);
		return -1;
	}
	return afile_commit(&af, cause);
}
