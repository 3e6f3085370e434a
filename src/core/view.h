/* view.h: what part of the image the screen shows, and how. The image area is a grid of
 * screen pixels (half blocks: two per cell, one above the other; or sixel pixels); the view
 * maps between them and continuous image coordinates, zooms about a point, and holds the
 * brightness / contrast / gamma curve, which changes what is shown, never the image. A 16-bit
 * image goes through a window first (the sample values shown black and white, also view only),
 * by default the image's own (0.5th to 99.5th percentile), so a narrow band shows at once.
 *
 * A pyramid of halved images keeps every frame's cost proportional to the screen: a zoomed-out
 * frame averages at most 2x2 pixels of the level just finer than the screen needs. */
#ifndef PXL_VIEW_H
#define PXL_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "compose.h"
#include "img.h"

#define VIEW_MAX_ZOOM 32.0
#define PYR_MAX_LEVELS 24

struct pyr {
	const struct img *base;            /* borrowed: level 0 */
	struct img *level[PYR_MAX_LEVELS]; /* owned: level[k] is base halved k times (k >= 1) */
	int nlevels;                       /* including level 0 */
};

/* Builds the halved levels down to about 64 pixels. Costs a third of the image's memory. */
void pyr_build(struct pyr *p, const struct img *base);
void pyr_free(struct pyr *p);

struct view {
	int img_w, img_h;
	int scr_w, scr_h;  /* the image area in screen pixels */
	int cell_w, cell_h; /* screen pixels per cell: 1x2 for half blocks */
	double zoom;       /* screen pixels per image pixel */
	double cx, cy;     /* the image point at the centre of the area */
	int brightness;    /* -100..100 */
	int contrast;      /* -100..100 */
	int gamma10;       /* gamma x 10: 10 = 1.0, 3..30 */
	uint8_t lut[256];  /* the curve those make */
	int win_lo, win_hi; /* 16-bit images: the samples shown black and white, before the curve;
	                       both 0 (view_init): the image's default window */
};

void view_init(struct view *v, int img_w, int img_h, int scr_w, int scr_h, int cell_w, int cell_h);
/* A new screen size (resize), keeping the centre; refits if the view was fitted. */
void view_resize(struct view *v, int scr_w, int scr_h);
/* The whole image in the area, centred. */
void view_fit(struct view *v);
double view_fit_zoom(const struct view *v);
/* Multiplies the zoom (clamped between fit and VIEW_MAX_ZOOM) keeping the image point under
 * screen pixel (sx, sy) where it is. */
void view_zoom_at(struct view *v, double factor, double sx, double sy);
/* Moves the view by screen pixels. */
void view_pan(struct view *v, double dsx, double dsy);
/* Keeps the centre where some of the image stays in view. */
void view_clamp(struct view *v);
void view_to_image(const struct view *v, double sx, double sy, double *ix, double *iy);
void view_to_screen(const struct view *v, double ix, double iy, double *sx, double *sy);
/* Recomputes lut from brightness, contrast and gamma. */
void view_update_lut(struct view *v);

/* The window of a 16-bit image (view only): the one in use, given the image (its default
 * window when none was set); set, moved, widened, back to the default. */
void view_window(const struct view *v, const struct img *im, int *lo, int *hi);
void view_window_set(struct view *v, int lo, int hi);
/* Moves the level (the window's centre) by steps tenths of the width, up when steps > 0. */
void view_window_level(struct view *v, const struct img *im, int steps);
/* Widens (steps > 0) or narrows (< 0) the window about its level, 1.25x a step. */
void view_window_width(struct view *v, const struct img *im, int steps);
void view_window_reset(struct view *v);
/* For the status line: "W 1200..5600" for a 16-bit image, "" for an 8-bit one. */
void view_window_describe(const struct view *v, const struct img *im, char *buf, size_t len);

enum view_overlay { VIEW_OVERLAY_FILLED, VIEW_OVERLAY_OUTLINE, VIEW_OVERLAY_OFF };

struct view_overlay_opts {
	const struct compose *masks; /* NULL: no overlay */
	const uint8_t (*class_rgb)[3]; /* 256 class colours */
	enum view_overlay mode;
	int opacity;                 /* percent */
	int highlight_unlabeled;     /* paint unlabeled pixels in a warning colour */
	uint16_t selected;           /* outlined in white when not 0 */
};

/* The overlay's blend: col over rgb at opacity percent, as view_render draws a filled class. */
static inline void view_blend(uint8_t *rgb, const uint8_t *col, int opacity)
{
	int ch;

	for (ch = 0; ch < 3; ch++)
		rgb[ch] = (uint8_t)((rgb[ch] * (100 - opacity) + col[ch] * opacity + 50) / 100);
}

/* The colour view_render paints outside the image. */
extern const uint8_t view_outside_rgb[3];

/* Renders the screen pixels of the view into out (scr_w x scr_h RGB, rows packed): the image
 * through the pyramid, the window (16-bit) and the curve, then the overlay. */
void view_render(const struct view *v, const struct pyr *p, const struct view_overlay_opts *o,
    uint8_t *out);
/* Whether a and b render the same pixels of the same image (brightness, contrast and gamma
 * through their curve). */
int view_same(const struct view *a, const struct view *b);
/* The overlay alone, over under: a view_render without the overlay (the same view). out is
 * then byte for byte what view_render with o gives, without sampling the image again. out may
 * be under. */
void view_overlay(const struct view *v, const struct view_overlay_opts *o, const uint8_t *under, uint8_t *out);

#endif
