/* frame.c: what the image area shows, as a scene for the display (see frame.h): the image's
 * pyramid and view, the masks, the outline in progress as marks, the cursor's cell and the
 * colours worth keeping exact; the display decides how it gets to the terminal. */
#include "config.h"

#include "frame.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assistui.h"
#include "chrome.h"
#include "display.h"

/* The colours the annotator draws with (outlines in progress, markers); a display with a
 * palette (sixel) keeps them exact, the first ones first when the terminal has few registers. */
static const uint8_t ui_colours[][3] = {
	{ 255, 255, 255 }, /* the cursor ring (sixel), the selected instance's outline */
	{ 0, 0, 0 },       /* around the cursor ring (sixel) */
	{ 255, 230, 0 },   /* an edge */
	{ 0, 255, 255 },   /* a vertex */
	{ 255, 140, 0 },   /* the band from the last vertex to the cursor */
	{ 255, 0, 255 },   /* the snap target */
	{ 255, 60, 60 },   /* an edge in erase mode */
};
#define NUI_COLOURS (sizeof(ui_colours) / sizeof(ui_colours[0]))

raster_pt frame_vertex(const struct ui *u, enum doc_snap_kind *kind)
{
	double ix, iy;

	cursor_point(&u->cur, &u->view, &ix, &iy);
	return session_snap(u->s, ix, iy, cursor_snap_radius(&u->cur, &u->view), kind);
}

/* The outline in progress as marks of the scene: a dot is a single pixel in blocks, a square of
 * a few in the smaller pixels of sixel. */
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
			display_marks_line(&u->marks, px, py, sx, sy, ec);
		px = sx;
		py = sy;
	}
	view_to_screen(&u->view, (double)c.x / RASTER_ONE, (double)c.y / RASTER_ONE, &cxs, &cys);
	if (s->npts > 0) {
		size_t nw = 0;
		const raster_pt *w = assistui_wire(u, s->pts[s->npts - 1], c, &nw);

		/* Edge-following: the band runs along the path the next vertex would keep. */
		for (i = 0; i < nw; i++) {
			view_to_screen(&u->view, (double)w[i].x / RASTER_ONE, (double)w[i].y / RASTER_ONE, &sx, &sy);
			display_marks_line(&u->marks, px, py, sx, sy, band);
			px = sx;
			py = sy;
		}
		display_marks_line(&u->marks, px, py, cxs, cys, band);
		for (i = 0; i < s->npts; i++) {
			view_to_screen(&u->view, (double)s->pts[i].x / RASTER_ONE, (double)s->pts[i].y / RASTER_ONE, &sx, &sy);
			display_marks_dot(&u->marks, (int)floor(sx), (int)floor(sy), big, vert);
		}
	}
	/* The snap target, shown before the vertex is placed. */
	if (kind != DOC_SNAP_NONE)
		display_marks_dot(&u->marks, (int)floor(cxs), (int)floor(cys), big, snapc);
}

void frame_draw(struct ui *u)
{
	const struct session *s = u->s;
	struct display_scene sc = { 0 };
	char *cause = NULL;
	size_t k;

	sc.pyr = &u->pyr;
	sc.view = &u->view;
	sc.serial = u->opened;
	sc.overlay.masks = &s->comp;
	sc.overlay.class_rgb = (const uint8_t(*)[3])s->class_rgb;
	sc.overlay.mode = u->overlay;
	sc.overlay.opacity = u->opacity;
	sc.overlay.highlight_unlabeled = u->unlabeled;
	sc.overlay.selected = s->selected;
	u->marks.n = 0;
	assistui_marks(u);
	draw_outline_in_progress(u);
	sc.marks = u->marks.v;
	sc.nmarks = u->marks.n;
	sc.cursor = 1;
	sc.cursor_col = u->cur.cx;
	sc.cursor_row = u->cur.cy;
	sc.cursor_exact = 1;
	cursor_screen(&u->cur, &sc.cursor_x, &sc.cursor_y);
	sc.exact = ui_colours;
	sc.nexact = (int)NUI_COLOURS;
	/* The current class first: the next outline is most likely of it. */
	for (k = 0; k < s->it.ds.nclasses && k < DISPLAY_LIKELY; k++)
		memcpy(sc.likely[sc.nlikely++], s->class_rgb[s->it.ds.classes[(s->class_idx + k) % s->it.ds.nclasses].id], 3);
	if (display_draw(&u->area, &sc, &cause) != 0) {
		chrome_say(u, "%s", cause ? cause : "error");
		free(cause);
	}
}

/* ---- opening an image -------------------------------------------------------------------- */

/* A big JPEG first shows from a DCT-scaled decode (a few times faster), then the full image
 * replaces it; the screen never waits blank for the full decode. */
static void show_preview(struct ui *u, const char *image)
{
	struct img_load_opts opts = u->s->load;
	struct display_scene sc = { 0 };
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
		sc.pyr = &p;
		sc.view = &v;
		sc.preview = 1;
		sc.overlay.mode = VIEW_OVERLAY_OFF;
		chrome_loading(image, pv->src_w, pv->src_h);
		(void)display_draw(&u->area, &sc, NULL);
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
	assistui_image_changed(u);
	show_preview(u, s->images[index]);
	if (session_goto(s, index) != 0)
		return -1;
	pyr_build(&u->pyr, s->im);
	scr_w = u->area.cols > 0 ? u->area.cols * u->area.cell_w : 1;
	scr_h = u->area.rows > 0 ? u->area.rows * u->area.cell_h : 1;
	view_init(&u->view, s->im->w, s->im->h, scr_w, scr_h, u->area.cell_w, u->area.cell_h);
	u->opened++;
	cursor_centre(&u->cur);
	display_invalidate(&u->area);
	return 0;
}

void frame_free(struct ui *u)
{
	pyr_free(&u->pyr);
	display_marks_free(&u->marks);
}
