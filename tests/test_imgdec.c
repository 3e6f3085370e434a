/* test_imgdec.c: PNG and JPEG decoding of every common kind, EXIF orientation, DCT-scaled
 * decoding, and clear errors on broken and hostile files (tests/data/{good,bad}). */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libexif/exif-data.h>
#include <png.h>

#include "img.h"
#include "imgdec.h"
#include "pngio.h"
#include "tap.h"
#include "xalloc.h"

static const char *data_dir;

static struct img *load(const char *rel, int fit_w, int fit_h, char **cause)
{
	struct img_load_opts opts;
	char *path = xasprintf("%s/%s", data_dir, rel);
	struct img *im;

	img_load_opts_default(&opts);
	opts.fit_w = fit_w;
	opts.fit_h = fit_h;
	im = img_load(path, &opts, cause);
	free(path);
	return im;
}

/* The process's peak address space (VmPeak), in kB; -1 when /proc does not say. */
static long vm_peak_kb(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kb = -1;

	while (fp && fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmPeak: %ld kB", &kb) == 1)
			break;
	if (fp)
		fclose(fp);
	return kb;
}

/* Mean absolute difference per channel, for lossy comparisons. */
static double mad(const struct img *a, const struct img *b)
{
	size_t i, n = (size_t)a->w * a->h * 3;
	double s = 0;

	if (a->w != b->w || a->h != b->h)
		return 1e9;
	for (i = 0; i < n; i++)
		s += abs(a->rgb[i] - b->rgb[i]);
	return s / (double)n;
}

/* An EXIF block holding only an orientation, as a camera writes it. */
static unsigned char *exif_block(int orientation, unsigned *len)
{
	ExifData *ed = exif_data_new();
	ExifEntry *e;
	unsigned char *buf = NULL;

	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_MOTOROLA);
	e = exif_entry_new();
	exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
	exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
	exif_set_short(e->data, EXIF_BYTE_ORDER_MOTOROLA, (ExifShort)orientation);
	exif_data_save_data(ed, &buf, len);
	exif_entry_unref(e);
	exif_data_unref(ed);
	return buf;
}

/* A 4x2 RGB PNG (left half red, right half blue) with an eXIf chunk. */
static int write_png_exif(const char *path, int orientation)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	png_infop info = png_create_info_struct(png);
	unsigned char rows[2][12], *ex;
	unsigned len;
	FILE *fp = fopen(path, "wb");
	int x, y;

	if (!fp)
		return -1;
	for (y = 0; y < 2; y++)
		for (x = 0; x < 4; x++) {
			rows[y][3 * x] = x < 2 ? 255 : 0;
			rows[y][3 * x + 1] = 0;
			rows[y][3 * x + 2] = x < 2 ? 0 : 255;
		}
	ex = exif_block(orientation, &len);
	png_init_io(png, fp);
	png_set_IHDR(png, info, 4, 2, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	    PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	/* eXIf holds the TIFF structure without the "Exif\0\0" prefix. */
	png_set_eXIf_1(png, info, len - 6, ex + 6);
	png_write_info(png, info);
	png_write_row(png, rows[0]);
	png_write_row(png, rows[1]);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	free(ex);
	return fclose(fp);
}

int main(void)
{
	static const char *pngs[] = { "gray8.png", "palette.png", "interlaced.png" };
	static const char *jpgs[] = { "progressive.jpg", "cmyk.jpg" };
	struct img *ref, *ref_jpg, *im;
	char *cause = NULL, tmp[] = "/tmp/pxl-imgdec-XXXXXX", *path;
	size_t i;
	int o;

	data_dir = getenv("TESTS_DATA");
	if (!data_dir)
		data_dir = "tests/data";

	ref = load("good/rgb.png", 0, 0, &cause);
	tap_ok(ref && ref->w == 64 && ref->h == 43 && ref->orientation == 1, "RGB PNG decodes at 64x43");
	if (!ref) {
		tap_diag("%s", cause);
		return tap_done();
	}
	im = load("good/interlaced.png", 0, 0, NULL);
	tap_ok(im && mad(im, ref) == 0, "interlaced PNG decodes identical to the plain one");
	img_free(im);
	for (i = 0; i < sizeof(pngs) / sizeof(pngs[0]); i++) {
		char *rel = xasprintf("good/%s", pngs[i]);

		im = load(rel, 0, 0, NULL);
		tap_ok(im && im->w == 64 && im->h == 43 && mad(im, ref) < 40, "%s decodes (mean diff %.1f)",
		    pngs[i], im ? mad(im, ref) : -1.0);
		img_free(im);
		free(rel);
	}
	{
		struct img *g8 = load("good/gray8.png", 0, 0, NULL), *g16 = load("good/gray16.png", 0, 0, NULL);
		int exact = g8 && g16, x;

		/* gray16 holds v * 256 + (noise < 256): scaled by 255/65535 it is within 1 of v. */
		for (x = 0; exact && x < 64 * 43 * 3; x++)
			exact = abs(g16->rgb[x] - g8->rgb[x]) <= 1;
		tap_ok(exact, "16-bit grey PNG scales to 8 bits correctly");
		img_free(g8);
		img_free(g16);
	}
	im = load("good/rgba.png", 0, 0, NULL);
	/* rgba.png: alpha is 0 in rows 0-9, 255 in rows 33-42, a ramp between. */
	tap_ok(im && !memcmp(im->rgb + 42 * 64 * 3, ref->rgb + 42 * 64 * 3, 64 * 3) &&
	    im->rgb[0] == 102 && im->rgb[8 * 3] == 153,
	    "RGBA PNG: opaque rows exact, transparent rows show the checkerboard");
	tap_ok(im && im->alpha && im->alpha[0] == 0 && im->alpha[42 * 64] == 255, "and keeps its opacities");
	{
		/* The tools' view: the same pixels over black, as a decode over black gives them. */
		struct img_load_opts lo;
		char *rgba = xasprintf("%s/good/rgba.png", data_dir);
		struct img *black, *flat = im ? img_flatten(im, (const uint8_t[3]){ 0, 0, 0 }) : NULL;
		int close = 1, worst = 0;

		img_load_opts_default(&lo);
		lo.alpha_black = 1;
		black = img_load(rgba, &lo, NULL);
		close = flat && black && !flat->alpha && !black->alpha;
		for (size_t k = 0; close && k < (size_t)64 * 43 * 3; k++) {
			int d = abs(flat->rgb[k] - black->rgb[k]);

			worst = d > worst ? d : worst;
		}
		tap_ok(close && worst <= 1, "img_flatten over black: within 1 of a decode over black (worst %d)", worst);
		img_free(flat);
		img_free(black);
		free(rgba);
	}
	img_free(im);
	im = load("good/rgb.png", 0, 0, NULL);
	tap_ok(im && !im->alpha && !img_flatten(im, (const uint8_t[3]){ 0, 0, 0 }), "an RGB PNG has no alpha plane, nothing to lay over black");
	img_free(im);

	ref_jpg = load("good/baseline.jpg", 0, 0, NULL);
	tap_ok(ref_jpg && mad(ref_jpg, ref) < 6, "baseline JPEG decodes close to the PNG (mean diff %.2f)",
	    ref_jpg ? mad(ref_jpg, ref) : -1.0);
	for (i = 0; i < sizeof(jpgs) / sizeof(jpgs[0]); i++) {
		char *rel = xasprintf("good/%s", jpgs[i]);

		im = load(rel, 0, 0, NULL);
		tap_ok(im && mad(im, ref) < 8, "%s decodes close to the original (mean diff %.2f)", jpgs[i],
		    im ? mad(im, ref) : -1.0);
		img_free(im);
		free(rel);
	}
	im = load("good/gray.jpg", 0, 0, NULL);
	tap_ok(im && im->w == 64 && im->rgb[0] == im->rgb[1] && im->rgb[1] == im->rgb[2],
	    "greyscale JPEG decodes to equal channels");
	img_free(im);
	im = load("good/exif-orient6.jpg", 0, 0, NULL);
	tap_ok(im && im->orientation == 6 && im->w == 64 && im->h == 43 && ref_jpg && mad(im, ref_jpg) < 8,
	    "EXIF orientation 6 JPEG comes out upright (mean diff %.2f)", im ? mad(im, ref_jpg) : -1.0);
	img_free(im);

	/* The DCT-scaled decode gives at least the fitted size and much less than the full one. */
	{
		char *rel = xasprintf("../../data/chelsea.jpg");

		im = load(rel, 60, 40, NULL);
		tap_ok(im && im->w >= 60 && im->h >= 40 && im->w < 120 && im->src_w == 451 && im->src_h == 300,
		    "a 60x40 preview decodes chelsea.jpg at %dx%d, knowing it is 451x300",
		    im ? im->w : 0, im ? im->h : 0);
		img_free(im);
		free(rel);
		im = load("good/exif-orient6.jpg", 16, 16, NULL);
		tap_ok(im && im->src_w == 64 && im->src_h == 43 && im->w >= 16 && im->w < 64,
		    "scaled decode of a rotated JPEG keeps the upright size (%dx%d of %dx%d)",
		    im ? im->w : 0, im ? im->h : 0, im ? im->src_w : 0, im ? im->src_h : 0);
		img_free(im);
	}

	for (o = 1; o <= 8; o++) {
		unsigned len;
		unsigned char *ex = exif_block(o, &len);

		tap_ok(imgdec_exif_orientation(ex, len) == o && imgdec_exif_orientation(ex + 6, len - 6) == o,
		    "EXIF orientation %d read with and without the Exif header", o);
		free(ex);
	}
	tap_ok(imgdec_exif_orientation((const unsigned char *)"Exif\0\0garbage!", 14) == 1,
	    "garbage EXIF means orientation 1");

	if (mkdtemp(tmp)) {
		path = xasprintf("%s/exif8.png", tmp);
		if (write_png_exif(path, 8) == 0) {
			struct img_load_opts opts;

			img_load_opts_default(&opts);
			im = img_load(path, &opts, NULL);
			/* Orientation 8: the stored right (blue) half becomes the top. */
			tap_ok(im && im->w == 2 && im->h == 4 && im->rgb[2] == 255 && im->rgb[(3 * 2) * 3] == 255,
			    "PNG eXIf orientation 8 is applied");
			img_free(im);
		}
		unlink(path);
		free(path);
		rmdir(tmp);
	}

	/* The probe tells the format and the orientation without decoding. */
	{
		struct img_info info;
		char *p6 = xasprintf("%s/good/exif-orient6.jpg", data_dir), *pp = xasprintf("%s/good/rgb.png", data_dir);
		struct img_limits lim;

		img_limits_default(&lim);
		tap_ok(img_probe_info(p6, &lim, &info, NULL) == 0 && info.jpeg && info.orientation == 6 &&
		    info.w == 64 && info.h == 43, "probe: a JPEG with orientation 6, upright 64x43");
		tap_ok(img_probe_info(pp, &lim, &info, NULL) == 0 && !info.jpeg && info.orientation == 1 &&
		    info.w == 64 && info.h == 43, "probe: a PNG, orientation 1");
		free(p6);
		free(pp);
	}

	/* A JPEG written from the upright pixels reads back upright and close. */
	if (mkdtemp(strcpy(tmp, "/tmp/pxl-imgdec-XXXXXX"))) {
		struct img *rot = load("good/exif-orient6.jpg", 0, 0, NULL), *back = NULL;
		struct img_load_opts opts;
		char *out = xasprintf("%s/upright.jpg", tmp), *bad_path = xasprintf("%s/no/such/dir/x.jpg", tmp);

		img_load_opts_default(&opts);
		cause = NULL;
		tap_ok(rot && img_save_jpeg(rot, out, 95, &cause) == 0, "img_save_jpeg writes %s", cause ? cause : "");
		free(cause);
		back = img_load(out, &opts, NULL);
		tap_ok(back && rot && back->orientation == 1 && back->w == rot->w && back->h == rot->h &&
		    mad(back, rot) < 2, "the JPEG reads back upright, %dx%d, mean diff %.2f", back ? back->w : 0,
		    back ? back->h : 0, back && rot ? mad(back, rot) : -1.0);
		img_free(back);
		if (rot) { /* the cause is read after the call: in one expression the order is unspecified */
			int rc;

			cause = NULL;
			rc = img_save_jpeg(rot, bad_path, 95, &cause);
			tap_ok(rc == -1 && cause && strstr(cause, bad_path) && !strchr(cause, '\n'),
			    "an unwritable path: %s", cause ? cause : "(none)");
			free(cause);
			cause = NULL;
			rc = img_save_jpeg(rot, out, 0, &cause);
			tap_ok(rc == -1 && cause, "quality 0 refused: %s", cause ? cause : "(none)");
			free(cause);
		}
		img_free(rot);
		unlink(out);
		rmdir(tmp);
		free(out);
		free(bad_path);
	}

	/* Found by fuzz_img: 98 bytes whose eXIf chunk claims 1.7 GB, which libpng allocated before
	 * reading it. Refused without that (the process's peak address space hardly grows). Before
	 * the loop below, which reads the file too. */
	{
		char *huge = xasprintf("%s/bad/png-exif-huge-length.png", data_dir);
		struct img_limits lim;
		struct img_info info;
		long before = vm_peak_kb(), after;
		uint16_t *values = NULL;
		int w, h, refused = 1;

		img_limits_default(&lim);
		cause = NULL;
		im = load("bad/png-exif-huge-length.png", 0, 0, &cause);
		img_free(im);
		free(cause);
		cause = NULL;
		refused &= img_probe_info(huge, &lim, &info, &cause) == -1;
		free(cause);
		cause = NULL;
		refused &= pngio_read_values(huge, &lim, &values, &w, &h, &cause) == -1;
		free(cause);
		free(values);
		after = vm_peak_kb();
		tap_ok(!im && refused && before > 0 && after - before < 256 * 1024,
		    "a PNG chunk claiming 1.7 GB: refused, no such allocation (peak +%ld kB)", after - before);
		free(huge);
	}
	/* Every bad file: NULL and one line that names the file. */
	{
		char *bad = xasprintf("%s/bad", data_dir);
		DIR *d = opendir(bad);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			char *rel;

			if (e->d_name[0] == '.')
				continue;
			rel = xasprintf("bad/%s", e->d_name);
			cause = NULL;
			im = load(rel, 0, 0, &cause);
			tap_ok(!im && cause && strstr(cause, e->d_name) && !strchr(cause, '\n'),
			    "%s refused: %s", e->d_name, cause ? cause : "(no message)");
			img_free(im);
			free(cause);
			free(rel);
		}
		if (d)
			closedir(d);
		free(bad);
	}
	cause = NULL;
	im = load("no-such-file.png", 0, 0, &cause);
	tap_ok(!im && cause && strstr(cause, "No such file"), "a missing file: %s", cause ? cause : "");
	free(cause);
	cause = NULL;
	im = load("good", 0, 0, &cause);
	tap_ok(!im && cause && strstr(cause, "directory"), "a directory: %s", cause ? cause : "");
	free(cause);
	img_free(ref);
	img_free(ref_jpg);
	return tap_done();
}
