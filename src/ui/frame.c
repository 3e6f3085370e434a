/* frame.c: what the image area shows, in screen pixels (see frame.h): the view and overlay from
 * view_render, the annotator's marks drawn over them, and for sixel the palette of the view. */
#include "config.h"

#include "frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chrome.h"
#include "xalloc.h"

/* ---- pixels ------------------------------------------------------------------------------- */

static void put_px(struct ui *u, int x, int y, const uint8_t *rgb)
{
	if (x < 0 || y < 0 || x >= u->view.scr_w || y >= u->view.scr_h)
		return;
	memcpy(u->frame + ((size_t)y * u->view.scr_w + x) * 3, rgb, 3);
}

static void line_px(struct ui *u, double x0, double y0, double x1, double y1, const uint8_t *rgb)
{
	double dx = x1 - x0, dy = y1 - y0, n = fmax(fabs(dx), fabs(dy));
	int i, steps;

	/* Long lines far off screen are clipped by skipping: the frame is small. */
	if (n > 1e5)
		n = 1e5;
	steps = (int)ceil(n);
	for (i = 0; i <= steps; i++) {
		double t = steps ? (double)i / steps : 0;

		put_px(u, (int)floor(x0 + dx * t), (int)floor(y0 + dy * t), rgb);
	}
}

/* The colours the annotator draws with (outlines in progress, markers); in sixel mode they are
 * entries of the palette exactly, the first ones first when the terminal has few registers. */
static const uint8_t ui_colours[][3] = {
	{ 255, 255, 255 }, /* the cursor (sixel), the selected instance's outline */
	{ 0, 0, 0 },       /* around the cursor (sixel) */
	{ 255, 230, 0 },   /* an edge */
	{ 0, 255, 255 },   /* a vertex */
	{ 255, 140, 0 },   /* the band from the last vertex to the cursor */
	{ 255, 0, 255 },   /* the snap target */
	{ 255, 60, 60 },   /* an edge in erase mode */
};
#define NUI_COLOURS (sizeof(ui_colours) / sizeof(ui_colours[0]))

/* A square of side 2r+1 centred on pixel (x, y): a single pixel in blocks, bigger in the
 * smaller pixels of sixel. */
static void dot_px(struct ui *u, int x, int y, int r, const uint8_t *rgb)
{
	int i, j;

	for (j = -r; j <= r; j++)
		for (i = -r; i <= r; i++)
			put_px(u, x + i, y + j, rgb);
}

/* Sixel has no text cursor over the image (a block would hide the pixels that matter): a ring
 * around the cursor's point, white inside black, leaving the pixels at the point visible. */
static void draw_cursor_marker(struct ui *u)
{
	double sx, sy, r;
	int x, y, x0, y0, x1, y1, small = u->area.cell_w < u->area.cell_h ? u->area.cell_w : u->area.cell_h;

	cursor_screen(&u->cur, &sx, &sy);
	r = small / 2.0 - 1.5; /* the white ring's distance from the point, pixel centres */
	if (r < 2.5)
		r = 2.5;
	x0 = (int)floor(sx - r - 1.5);
	x1 = (int)ceil(sx + r + 1.5);
	y0 = (int)floor(sy - r - 1.5);
	y1 = (int)ceil(sy + r + 1.5);
	for (y = y0; y <= y1; y++)
		for (x = x0; x <= x1; x++) {
			double d = fmax(fabs(x + 0.5 - sx), fabs(y + 0.5 - sy));

			if (d > r - 0.5 && d <= r + 0.5)
				put_px(u, x, y, ui_colours[0]);
			else if (d > r + 0.5 && d <= r + 1.5)
				put_px(u, x, y, ui_colours[1]);
		}
}

raster_pt frame_vertex(const struct ui *u, enum doc_snap_kind *kind)
{
	double ix, iy;

	cursor_point(&u->cur, &u->view, &ix, &iy);
	return session_snap(u->s, ix, iy, cursor_snap_radius(&u->cur, &u->view), kind);
}

static void draw_outline_in_progress(struct ui *u)
{
	const struct session *s = u->s;
	const uint8_t *edge = ui_colours[2], *band = ui_colours[4], *vert = ui_colours[3];
	const uint8_t *snapc = ui_colours[5], *cut = ui_colours[6];
	const uint8_t *ec = s->mode == SESSION_CUT ? cut : edge;
	enum doc_snap_kind kind;
	raster_pt c = frame_vertex(u, &kind);
	double sx, sy, px = 0, py = 0, cxs, cys;
	int big = u->area.cell_w > 2; /* sixel: markers of a few pixels */
	size_t i;

	for (i = 0; i < s->npts; i++) {
		view_to_screen(&u->view, (double)s->pts[i].x / RASTER_ONE, (double)s->pts[i].y / RASTER_ONE, &sx, &sy);
		if (i > 0)
			line_px(u, px, py, sx, sy, ec);
		px = sx;
		py = sy;
	}
	view_to_screen(&u->view, (double)c.x / RASTER_ONE, (double)c.y / RASTER_ONE, &cxs, &cys);
	if (s->npts > 0) {
		line_px(u, px, py, cxs, cys, band);
		for (i = 0; i < s->npts; i++) {
			view_to_screen(&u->view, (double)s->pts[i].x / RASTER_ONE, (double)s->pts[i].y / RASTER_ONE, &sx, &sy);
			dot_px(u, (int)floor(sx), (int)floor(sy), big, vert);
		}
	}
	/* The snap target, shown before the vertex is placed. */
	if (kind != DOC_SNAP_NONE)
		dot_px(u, (int)floor(cxs), (int)floor(cys), big, snapc);
}

/* ---- the sixel palette ------------------------------------------------------------------- */

/* What the palette depends on: the image, the zoom, the display curve and the overlay. A pan or
 * an edit keeps it, so only the changed rectangles go out again. */
static uint64_t palette_key(const struct ui *u)
{
	uint64_t h = 1469598103934665603u, z;
	int64_t v[10];
	size_t i, k;

	memcpy(&z, &u->view.zoom, sizeof(z));
	v[0] = (int64_t)u->opened;
	v[1] = (int64_t)z;
	v[2] = u->view.brightness;
	v[3] = u->view.contrast;
	v[4] = u->view.gamma10;
	v[5] = u->overlay;
	v[6] = u->opacity;
	v[7] = u->unlabeled;
	v[8] = u->view.win_lo;
	v[9] = u->view.win_hi;
	for (i = 0; i < 10; i++)
		for (k = 0; k < 8; k++)
			h = (h ^ (uint8_t)((uint64_t)v[i] >> (8 * k))) * 1099511628211u;
	return h | (uint64_t)1 << 63; /* never 0 (none) nor 1 (a preview) */
}

#define SAMPLE_SIDE 256 /* the whole image, fitted into this many pixels, for the palette */
#define SAMPLE_TINTS 8  /* classes whose overlay colours the palette prepares for (256 colours) */

/* Sixel: a palette for the view when its key changed, from the colours the view can show: the
 * frame (every other pixel each way), the whole image through the same curve and overlay (for
 * pans), and that image under the first classes' fill at the overlay's opacity (for outlines
 * closed later); the UI's colours and the classes' own exactly. */
static void sixel_palette(struct ui *u, const struct view_overlay_opts *o)
{
	const struct session *s = u->s;
	const struct img *im = s->im;
	uint64_t key = palette_key(u);
	uint8_t fixed[(NUI_COLOURS + SAMPLE_TINTS) * 3], *px, *fit, *plain = NULL;
	struct view v;
	double z;
	/* Few registers go to the photo, not to fills that may never be drawn. */
	size_t n = 0, nfit, i, k, ntints = 0, maxtints = u->colours >= 128 ? SAMPLE_TINTS : u->colours >= 64 ? 4 :
	    u->colours >= 32 ? 2 : 1;
	int fw, fh, x, y, nfixed = (int)NUI_COLOURS;
	char *cause = NULL;

	if (!u->area.sixel || imgarea_palette_key(&u->area) == key)
		return;
	z = fmin(1.0, fmin((double)SAMPLE_SIDE / im->w, (double)SAMPLE_SIDE / im->h));
	fw = (int)fmax(1, floor(im->w * z));
	fh = (int)fmax(1, floor(im->h * z));
	nfit = (size_t)fw * fh;
	px = xreallocarray(NULL, (size_t)((u->view.scr_w + 1) / 2) * ((u->view.scr_h + 1) / 2) +
	    nfit * (1 + SAMPLE_TINTS), 3);
	for (y = 0; y < u->view.scr_h; y += 2)
		for (x = 0; x < u->view.scr_w; x += 2, n++)
			memcpy(px + 3 * n, u->frame + ((size_t)y * u->view.scr_w + x) * 3, 3);
	view_init(&v, im->w, im->h, fw, fh, 1, 1);
	memcpy(v.lut, u->view.lut, sizeof(v.lut));
	v.win_lo = u->view.win_lo;
	v.win_hi = u->view.win_hi;
	fit = px + 3 * n;
	view_render(&v, &u->pyr, o, fit);
	n += nfit;
	memcpy(fixed, ui_colours, sizeof(ui_colours));
	if (o->mode != VIEW_OVERLAY_OFF && s->it.ds.nclasses) {
		struct view_overlay_opts off = *o;

		off.mode = VIEW_OVERLAY_OFF;
		plain = xreallocarray(NULL, nfit, 3);
		view_render(&v, &u->pyr, &off, plain);
		/* The current class first: the next outline is most likely of it. */
		for (k = 0; k < s->it.ds.nclasses && ntints < maxtints; k++) {
			size_t c = (s->class_idx + k) % s->it.ds.nclasses;
			const uint8_t *col = s->class_rgb[s->it.ds.classes[c].id];

			memcpy(fixed + 3 * nfixed++, col, 3);
			ntints++;
			if (o->mode != VIEW_OVERLAY_FILLED)
				continue;
			for (i = 0; i < nfit; i++) {
				memcpy(px + 3 * (n + i), plain + 3 * i, 3);
				view_blend(px + 3 * (n + i), col, o->opacity);
			}
			n += nfit;
		}
	}
	if (imgarea_set_palette(&u->area, key, px, n, fixed, nfixed, &cause) != 0) {
		chrome_say(u, "%s", cause ? cause : "error");
		free(cause);
	}
	free(plain);
	free(px);
}

void frame_draw(struct ui *u)
{
	struct view_overlay_opts o;

	o.masks = &u->s->comp;
	o.class_rgb = (const uint8_t(*)[3])u->s->class_rgb;
	o.mode = u->overlay;
	o.opacity = u->opacity;
	o.highlight_unlabeled = u->unlabeled;
	o.selected = u->s->selected;
	view_render(&u->view, &u->pyr, &o, u->frame);
	sixel_palette(u, &o);
	draw_outline_in_progress(u);
	if (u->area.sixel)
		draw_cursor_marker(u);
	imgarea_draw(&u->area, u->frame, STDOUT_FILENO);
}

/* ---- opening an image -------------------------------------------------------------------- */

/* A big JPEG first shows from a DCT-scaled decode (a few times faster), then the full image
 * replaces it; the screen never waits blank for the full decode. */
static void show_preview(struct ui *u, const char *image)
{
	struct img_load_opts opts = u->s->load;
	struct view_overlay_opts o = { 0 };
	struct img_info info;
	struct img *pv;
	struct pyr p;
	struct view v;

	opts.fit_w = u->area.cols * u->area.cell_w;
	opts.fit_h = u->area.rows * u->area.cell_h;
	if (opts.fit_w < 1 || opts.fit_h < 1)
		return;
	if (img_probe_info(image, &opts.limits, &info, NULL) != 0)
		return;
	/* Only a JPEG decodes smaller for less work: a PNG or TIFF preview would cost as much as
	 * the image itself, so the status line only says what is coming. */
	if (!info.jpeg) {
		if ((uint64_t)info.w * info.h > (4u << 20))
			chrome_loading(image, info.w, info.h);
		return;
	}
	pv = img_load(image, &opts, NULL);
	if (!pv)
		return;
	if (pv->w < pv->src_w && (uint64_t)pv->src_w * pv->src_h > (4u << 20)) {
		pyr_build(&p, pv);
		view_init(&v, pv->src_w, pv->src_h, opts.fit_w, opts.fit_h, u->area.cell_w, u->area.cell_h);
		o.mode = VIEW_OVERLAY_OFF;
		view_render(&v, &p, &o, u->frame);
		/* Sixel: a palette of the preview's own, under a key no view has. */
		(void)imgarea_set_palette(&u->area, 1, u->frame, (size_t)opts.fit_w * opts.fit_h, NULL, 0, NULL);
		chrome_loading(image, pv->src_w, pv->src_h);
		imgarea_draw(&u->area, u->frame, STDOUT_FILENO);
		pyr_free(&p);
	}
	img_free(pv);
}

int frame_open(struct ui *u, size_t index)
{
	struct session *s = u->s;
	int scr_w, scr_h;

	if (index >= s->nimages)
		return -1;
	/* The pyramid borrows the image the session is about to free. */
	pyr_free(&u->pyr);
	show_preview(u, s->images[index]);
	if (session_goto(s, index) != 0)
		return -1;
	pyr_build(&u->pyr, s->im);
	scr_w = u->area.cols > 0 ? u->area.cols * u->area.cell_w : 1;
	scr_h = u->area.rows > 0 ? u->area.rows * u->area.cell_h : 1;
	view_init(&u->view, s->im->w, s->im->h, scr_w, scr_h, u->area.cell_w, u->area.cell_h);
	u->opened++;
	cursor_centre(&u->cur);
	imgarea_invalidate(&u->area);
	return 0;
}

void frame_free(struct ui *u)
{
	pyr_free(&u->pyr);
	free(u->frame);
	u->frame = NULL;
}
