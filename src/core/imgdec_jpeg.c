/* imgdec_jpeg.c: JPEG through libjpeg(-turbo): baseline, progressive, grayscale, CMYK/YCCK,
 * EXIF orientation, and DCT-scaled decoding when the caller only needs a smaller picture. */
#include "config.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>

#include "err.h"
#include "imgdec.h"
#include "xalloc.h"

/* libjpeg-turbo's advice for untrusted input: a progressive file with thousands of tiny scans
 * is a denial of service, no real encoder writes more than a few dozen. */
#define JPEG_MAX_SCANS 500

struct jerr {
	struct jpeg_error_mgr pub;
	jmp_buf jump;
	char msg[JMSG_LENGTH_MAX];
	int truncated;
};

struct jprogress {
	struct jpeg_progress_mgr pub;
	struct jerr *err;
};

static void on_error(j_common_ptr cinfo)
{
	struct jerr *e = (struct jerr *)cinfo->err;

	(*cinfo->err->format_message)(cinfo, e->msg);
	longjmp(e->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level)
{
	struct jerr *e = (struct jerr *)cinfo->err;

	/* Level -1 is a warning about corrupt data. A premature end means the rest of the picture
	 * is invented grey: refuse it rather than let someone annotate it. Other warnings (stray
	 * bytes between markers) are common in real cameras' files and harmless. */
	if (level == -1 && cinfo->err->msg_code == JWRN_JPEG_EOF)
		e->truncated = 1;
}

static void on_progress(j_common_ptr cinfo)
{
	struct jprogress *p = (struct jprogress *)cinfo->progress;
	j_decompress_ptr d = (j_decompress_ptr)cinfo;

	if (d->is_decompressor && d->input_scan_number > JPEG_MAX_SCANS) {
		snprintf(p->err->msg, sizeof(p->err->msg), "more than %d progressive scans",
		    JPEG_MAX_SCANS);
		longjmp(p->err->jump, 1);
	}
}

static int exif_orientation(j_decompress_ptr cinfo)
{
	jpeg_saved_marker_ptr m;

	for (m = cinfo->marker_list; m; m = m->next) {
		if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 && memcmp(m->data, "Exif\0\0", 6) == 0)
			return imgdec_exif_orientation(m->data, m->data_length);
	}
	return 1;
}

/* Adobe's CMYK JPEGs store inverted ink values; without the Adobe marker they are plain. */
static void cmyk_to_rgb(const JSAMPLE *in, uint8_t *out, int w, int inverted)
{
	int x;

	for (x = 0; x < w; x++, in += 4, out += 3) {
		unsigned c = in[0], m = in[1], y = in[2], k = in[3];

		if (!inverted) {
			c = 255 - c;
			m = 255 - m;
			y = 255 - y;
			k = 255 - k;
		}
		out[0] = (uint8_t)((c * k + 127) / 255);
		out[1] = (uint8_t)((m * k + 127) / 255);
		out[2] = (uint8_t)((y * k + 127) / 255);
	}
}

struct img *imgdec_jpeg(FILE *fp, const char *path, const struct img_load_opts *opts, char **cause)
{
	struct jpeg_decompress_struct cinfo;
	struct jprogress progress;
	struct jerr jerr;
	struct img *volatile im = NULL;
	JSAMPLE *volatile cmyk_row = NULL;
	volatile int created = 0;
	int orientation, cmyk, up_w, up_h;
	unsigned m;

	memset(&jerr, 0, sizeof(jerr));
	cinfo.err = jpeg_std_error(&jerr.pub);
	jerr.pub.error_exit = on_error;
	jerr.pub.emit_message = on_message;
	if (setjmp(jerr.jump)) {
		err_set(cause, "%s: corrupt or unsupported JPEG: %s", path, jerr.msg);
		img_free(im);
		im = NULL;
		goto out;
	}
	jpeg_create_decompress(&cinfo);
	created = 1;
	progress.pub.progress_monitor = on_progress;
	progress.err = &jerr;
	cinfo.progress = &progress.pub;
	jpeg_stdio_src(&cinfo, fp);
	jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xffff);
	jpeg_read_header(&cinfo, TRUE);
	if (img_check_limits(&opts->limits, path, cinfo.image_width, cinfo.image_height, cause) != 0)
		goto out;
	orientation = exif_orientation(&cinfo);
	up_w = (int)(orientation >= 5 ? cinfo.image_height : cinfo.image_width);
	up_h = (int)(orientation >= 5 ? cinfo.image_width : cinfo.image_height);

	/* The smallest M/8 scale that still gives at least the fitted size the caller will show. */
	cinfo.scale_num = 8;
	cinfo.scale_denom = 8;
	if (opts->fit_w > 0 && opts->fit_h > 0) {
		int fw, fh;

		img_fit(up_w, up_h, opts->fit_w, opts->fit_h, &fw, &fh);
		for (m = 1; m < 8; m++) {
			if ((uint64_t)up_w * m >= (uint64_t)fw * 8 && (uint64_t)up_h * m >= (uint64_t)fh * 8)
				break;
		}
		cinfo.scale_num = m;
	}
	cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
	cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;
	jpeg_start_decompress(&cinfo);
	if (cinfo.output_components != (cmyk ? 4 : 3)) {
		err_set(cause, "%s: unsupported JPEG with %d colour components", path,
		    cinfo.output_components);
		goto out;
	}
	im = img_new((int)cinfo.output_width, (int)cinfo.output_height, cause);
	if (!im)
		goto out;
	if (cmyk)
		cmyk_row = xmalloc((size_t)cinfo.output_width * 4);
	while (cinfo.output_scanline < cinfo.output_height) {
		uint8_t *dst = im->rgb + (size_t)cinfo.output_scanline * (size_t)im->w * 3;
		JSAMPROW row = cmyk ? cmyk_row : dst;

		if (jpeg_read_scanlines(&cinfo, &row, 1) != 1)
			break;
		if (cmyk)
			cmyk_to_rgb(cmyk_row, dst, im->w, cinfo.saw_Adobe_marker);
		if (jerr.truncated)
			break;
	}
	if (jerr.truncated) {
		err_set(cause, "%s: truncated JPEG (the file ends before the image data does)", path);
		img_free(im);
		im = NULL;
		goto out;
	}
	jpeg_finish_decompress(&cinfo);
	im->src_w = (int)cinfo.image_width;
	im->src_h = (int)cinfo.image_height;
	img_orient(im, orientation);
out:
	if (created)
		jpeg_destroy_decompress(&cinfo);
	free(cmyk_row);
	return im;
}

int imgdec_jpeg_probe(FILE *fp, const char *path, const struct img_limits *lim, struct img_info *info,
    char **cause)
{
	struct jpeg_decompress_struct cinfo;
	struct jerr jerr;
	volatile int created = 0, rc = -1;
	int o;

	memset(&jerr, 0, sizeof(jerr));
	cinfo.err = jpeg_std_error(&jerr.pub);
	jerr.pub.error_exit = on_error;
	jerr.pub.emit_message = on_message;
	if (setjmp(jerr.jump)) {
		err_set(cause, "%s: corrupt or unsupported JPEG: %s", path, jerr.msg);
		goto out;
	}
	jpeg_create_decompress(&cinfo);
	created = 1;
	jpeg_stdio_src(&cinfo, fp);
	jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xffff);
	jpeg_read_header(&cinfo, TRUE);
	if (img_check_limits(lim, path, cinfo.image_width, cinfo.image_height, cause) != 0)
		goto out;
	o = exif_orientation(&cinfo);
	info->orientation = o;
	info->w = (int)(o >= 5 ? cinfo.image_height : cinfo.image_width);
	info->h = (int)(o >= 5 ? cinfo.image_width : cinfo.image_height);
	rc = 0;
out:
	if (created)
		jpeg_destroy_decompress(&cinfo);
	return rc;
}
