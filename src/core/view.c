/* view.c: zoom, pan, the display curve and window, the pyramid and frame rendering. */
#include "config.h"

#include "view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void pyr_build(struct pyr *p, const struct img *base)
{
	const struct img *prev = base;

	memset(p, 0, sizeof(*p));
	p->base = base;
	p->nlevels = 1;
	while (p->nlevels < PYR_MAX_LEVELS && (prev->w > 64 || prev->h > 64)) {
		struct img *next = img_scale(prev, (prev->w + 1) / 2, (prev->h + 1) / 2);

		if (!next)
			break;
		p->level[p->nlevels++] = next;
		prev = next;
	}
}

void pyr_free(struct pyr *p)
{
	int k;

	for (k = 1; k < p->nlevels; k++)
		img_free(p->level[k]);
	memset(p, 0, sizeof(*p));
}

static const struct img *pyr_level(const struct pyr *p, int k)
{
	return k == 0 ? p->base : p->level[k];
}

void view_update_lut(struct view *v)
{
	double c = (v->contrast + 100) / 100.0, g = v->gamma10 / 10.0;
	int i;

	c = c * c; /* contrast -100..100 spans 0x..4x, symmetric in feel */
	for (i = 0; i < 256; i++) {
		double x = pow(i / 255.0, 1.0 / g);

		x = (x - 0.5) * c + 0.5 + v->brightness / 200.0;
		x = x < 0 ? 0 : x > 1 ? 1 : x;
		v->lut[i] = (uint8_t)lround(x * 255.0);
	}
}

/* Windows stay within a range where img_window8's arithmetic is exact. */
#define WIN_MIN (-65536)
#define WIN_MAX (2 * 65536)

void view_window(const struct view *v, const struct img *im, int *lo, int *hi)
{
	if (v->win_hi > v->win_lo) {
		*lo = v->win_lo;
		*hi = v->win_hi;
	} else if (im && im->px16) {
		*lo = im->win_lo;
		*hi = im->win_hi;
	} else {
		*lo = 0;
		*hi = 65535;
	}
}

void view_window_set(struct view *v, int lo, int hi)
{
	lo = lo < WIN_MIN ? WIN_MIN : lo > WIN_MAX - 1 ? WIN_MAX - 1 : lo;
	hi = hi > WIN_MAX ? WIN_MAX : hi <= lo ? lo + 1 : hi;
	v->win_lo = lo;
	v->win_hi = hi;
}

void view_window_level(struct view *v, const struct img *im, int steps)
{
	int lo, hi, d;

	view_window(v, im, &lo, &hi);
	d = (int)lround((hi - lo) / 10.0 * steps);
	if (d == 0)
		d = steps > 0 ? 1 : -1;
	view_window_set(v, lo + d, hi + d);
}

void view_window_width(struct view *v, const struct img *im, int steps)
{
	int lo, hi;
	double c, w;

	view_window(v, im, &lo, &hi);
	c = (lo + hi) / 2.0;
	w = (hi - lo) * pow(1.25, steps);
	w = w < 2 ? 2 : w > WIN_MAX - WIN_MIN ? WIN_MAX - WIN_MIN : w;
	view_window_set(v, (int)lround(c - w / 2), (int)lround(c + w / 2));
}

void view_window_reset(struct view *v)
{
	v->win_lo = v->win_hi = 0;
}

void view_window_describe(const struct view *v, const struct img *im, char *buf, size_t len)
{
	int lo, hi;

	if (!im || !im->px16) {
		if (len)
			buf[0] = '\0';
		return;
	}
	view_window(v, im, &lo, &hi);
	snprintf(buf, len, "W %d..%d", lo - im->value_offset, hi - im->value_offset);
}

void view_init(struct view *v, int img_w, int img_h, int scr_w, int scr_h, int cell_w, int cell_h)
{
	memset(v, 0, sizeof(*v));
	v->img_w = img_w;
	v->img_h = img_h;
	v->scr_w = scr_w > 0 ? scr_w : 1;
	v->scr_h = scr_h > 0 ? scr_h : 1;
	v->cell_w = cell_w;
	v->cell_h = cell_h;
	v->gamma10 = 10;
	view_update_lut(v);
	view_fit(v);
}

double view_fit_zoom(const struct view *v)
{
	double zx = (double)v->scr_w / v->img_w, zy = (double)v->scr_h / v->img_h;

	return zx < zy ? zx : zy;
}

void view_fit(struct view *v)
{
	v->zoom = view_fit_zoom(v);
	v->cx = v->img_w / 2.0;
	v->cy = v->img_h / 2.0;
}

void view_clamp(struct view *v)
{
	/* The centre stays inside the image, so at least a quarter of the area shows pixels. */
	v->cx = v->cx < 0 ? 0 : v->cx > v->img_w ? v->img_w : v->cx;
	v->cy = v->cy < 0 ? 0 : v->cy > v->img_h ? v->img_h : v->cy;
	if (v->zoom <= view_fit_zoom(v) * 1.0000001) {
		v->cx = v->img_w / 2.0;
		v->cy = v->img_h / 2.0;
	}
}

void view_resize(struct view *v, int scr_w, int scr_h)
{
	int fitted = v->zoom <= view_fit_zoom(v) * 1.0000001;

	v->scr_w = scr_w > 0 ? scr_w : 1;
	v->scr_h = scr_h > 0 ? scr_h : 1;
	if (fitted || v->zoom < view_fit_zoom(v))
		view_fit(v);
}

void view_to_image(const struct view *v, double sx, double sy, double *ix, double *iy)
{
	*ix = v->cx + (sx - v->scr_w / 2.0) / v->zoom;
	*iy = v->cy + (sy - v->scr_h / 2.0) / v->zoom;
}

void view_to_screen(const struct view *v, double ix, double iy, double *sx, double *sy)
{
	*sx = (ix - v->cx) * v->zoom + v->scr_w / 2.0;
	*sy = (iy - v->cy) * v->zoom + v->scr_h / 2.0;
}

void view_zoom_at(struct view *v, double factor, double sx, double sy)
{
	double ix, iy, fit = view_fit_zoom(v), z = v->zoom * factor;

	view_to_image(v, sx, sy, &ix, &iy);
	z = z < fit ? fit : z > VIEW_MAX_ZOOM ? VIEW_MAX_ZOOM : z;
	v->zoom = z;
	/* Keep (ix, iy) under (sx, sy). */
	v->cx = ix - (sx - v->scr_w / 2.0) / z;
	v->cy = iy - (sy - v->scr_h / 2.0) / z;
	view_clamp(v);
}

void view_pan(struct view *v, double dsx, double dsy)
{
	v->cx += dsx / v->zoom;
	v->cy += dsy / v->zoom;
	view_clamp(v);
}

/* A box of source pixels kept inside the image, and at least one pixel wide and high where
 * the image has one: a sample between two pixels still takes the nearer. */
static void box_clip(const struct img *im, int *ix0, int *iy0, int *ix1, int *iy1)
{
	*ix0 = *ix0 < 0 ? 0 : *ix0;
	*iy0 = *iy0 < 0 ? 0 : *iy0;
	*ix1 = *ix1 > im->w ? im->w : *ix1;
	*iy1 = *iy1 > im->h ? im->h : *iy1;
	if (*ix1 <= *ix0)
		*ix1 = *ix0 + 1 <= im->w ? *ix0 + 1 : *ix0;
	if (*iy1 <= *iy0)
		*iy1 = *iy0 + 1 <= im->h ? *iy0 + 1 : *iy0;
}

/* The area-average of level pixels over [x0,x1) x [y0,y1) (level coordinates), at most a
 * few pixels since the level is chosen just finer than the screen. */
static void sample_box(const struct img *im, double x0, double y0, double x1, double y1, uint8_t *rgb)
{
	int ix0 = (int)floor(x0), iy0 = (int)floor(y0), ix1 = (int)ceil(x1), iy1 = (int)ceil(y1), x, y;
	unsigned r = 0, g = 0, b = 0, n = 0;

	box_clip(im, &ix0, &iy0, &ix1, &iy1);
	for (y = iy0; y < iy1; y++) {
		const uint8_t *p = im->rgb + ((size_t)y * im->w + ix0) * 3;

		for (x = ix0; x < ix1; x++, p += 3, n++) {
			r += p[0];
			g += p[1];
			b += p[2];
		}
	}
	if (!n) {
		rgb[0] = rgb[1] = rgb[2] = 0;
		return;
	}
	rgb[0] = (uint8_t)((r + n / 2) / n);
	rgb[1] = (uint8_t)((g + n / 2) / n);
	rgb[2] = (uint8_t)((b + n / 2) / n);
}

/* The same of a 16-bit level, through the window's table. */
static void sample_box16(const struct img *im, double x0, double y0, double x1, double y1, const uint8_t *wtab,
    uint8_t *rgb)
{
	int ix0 = (int)floor(x0), iy0 = (int)floor(y0), ix1 = (int)ceil(x1), iy1 = (int)ceil(y1), x, y, c;
	int n = im->chans;
	uint64_t sum[3] = { 0, 0, 0 }, k = 0;

	box_clip(im, &ix0, &iy0, &ix1, &iy1);
	for (y = iy0; y < iy1; y++) {
		const uint16_t *p = im->px16 + ((size_t)y * im->w + ix0) * (size_t)n;

		if (n == 1) {
			for (x = ix0; x < ix1; x++, k++)
				sum[0] += *p++;
			continue;
		}
		for (x = ix0; x < ix1; x++, p += 3, k++) {
			sum[0] += p[0];
			sum[1] += p[1];
			sum[2] += p[2];
		}
	}
	if (!k) {
		rgb[0] = rgb[1] = rgb[2] = 0;
		return;
	}
	for (c = 0; c < 3; c++)
		rgb[c] = wtab[(sum[n == 3 ? c : 0] + k / 2) / k];
}

/* The background outside the image: a dark grey that no photo edge is mistaken for. */
const uint8_t view_outside_rgb[3] = { 24, 24, 28 };
#define outside view_outside_rgb

/* The image rows at the top and bottom edges of screen row sy. */
static void row_edges(const struct view *v, int sy, double *iy0, double *iy1)
{
	double ix;

	view_to_image(v, 0, sy, &ix, iy0);
	view_to_image(v, 0, sy + 1, &ix, iy1);
}

/* Screen pixel sx of a row with those edges: the image x of its left edge (ax) and its centre
 * (mx, my). 0 when the centre is off the image. */
static int px_centre(const struct view *v, double scale, int sx, double iy0, double iy1, double *ax, double *mx,
    double *my)
{
	*ax = v->cx + (sx - v->scr_w / 2.0) * scale;
	*mx = (*ax + (*ax + scale)) / 2;
	*my = (iy0 + iy1) / 2;
	return !(*mx < 0 || *my < 0 || *mx >= v->img_w || *my >= v->img_h);
}

/* The masks over one screen pixel (sx, sy) whose centre is image point (mx, my), inside the
 * image: view_render's and view_overlay's one rule. */
static void overlay_px(const struct view *v, const struct view_overlay_opts *o, int sx, int sy, double mx, double my,
    uint8_t *dst)
{
	const struct compose *c = o->masks;
	size_t at = (size_t)(int)my * c->w + (size_t)(int)mx;
	uint16_t id = c->ids[at];
	int edge = 0, a;

	if (o->mode == VIEW_OVERLAY_OUTLINE || (o->selected && id == o->selected)) {
		/* An edge where the instance under a neighbouring screen pixel differs. */
		double nx, ny;
		int d;

		for (d = 0; d < 4 && !edge; d++) {
			view_to_image(v, sx + 0.5 + (d == 0) - (d == 1), sy + 0.5 + (d == 2) - (d == 3), &nx, &ny);
			if (nx >= 0 && ny >= 0 && nx < v->img_w && ny < v->img_h)
				edge = c->ids[(size_t)(int)ny * c->w + (size_t)(int)nx] != id;
		}
	}
	if (id && o->selected == id && edge) {
		dst[0] = dst[1] = dst[2] = 255;
	} else if (id && (o->mode == VIEW_OVERLAY_FILLED || edge)) {
		const uint8_t *col = o->class_rgb[c->cls[at]];

		a = o->mode == VIEW_OVERLAY_FILLED ? o->opacity : 100;
		view_blend(dst, col, a);
	} else if (!id && o->highlight_unlabeled) {
		dst[0] = (uint8_t)((dst[0] + 255) / 2);
		dst[1] = (uint8_t)(dst[1] / 2);
		dst[2] = (uint8_t)((dst[2] + 255) / 2);
	}
}

int view_same(const struct view *a, const struct view *b)
{
	return a->img_w == b->img_w && a->img_h == b->img_h && a->scr_w == b->scr_w && a->scr_h == b->scr_h &&
	    a->cell_w == b->cell_w && a->cell_h == b->cell_h && a->zoom == b->zoom && a->cx == b->cx && a->cy == b->cy &&
	    !memcmp(a->lut, b->lut, sizeof(a->lut)) && a->win_lo == b->win_lo && a->win_hi == b->win_hi;
}

void view_overlay(const struct view *v, const struct view_overlay_opts *o, const uint8_t *under, uint8_t *out)
{
	double scale = 1.0 / v->zoom;
	int sx, sy;

	if (out != under)
		memcpy(out, under, (size_t)v->scr_w * v->scr_h * 3);
	if (!o || !o->masks || o->mode == VIEW_OVERLAY_OFF)
		return;
	for (sy = 0; sy < v->scr_h; sy++) {
		double iy0, iy1, ax, mx, my;
		uint8_t *dst = out + (size_t)sy * v->scr_w * 3;

		row_edges(v, sy, &iy0, &iy1);
		for (sx = 0; sx < v->scr_w; sx++, dst += 3)
			if (px_centre(v, scale, sx, iy0, iy1, &ax, &mx, &my))
				overlay_px(v, o, sx, sy, mx, my, dst);
	}
}

void view_render(const struct view *v, const struct pyr *p, const struct view_overlay_opts *o,
    uint8_t *out)
{
	double scale = 1.0 / v->zoom; /* image pixels per screen pixel */
	/* The pyramid's base may be a reduced preview while the full image still loads. */
	double s0 = (double)p->base->w / v->img_w, bscale = scale * s0;
	int k = 0, sx, sy, lo, hi, i;
	const struct img *lv;
	uint8_t *wtab = NULL; /* 16-bit: the window as a table, built once a frame */
	double lscale;

	while (k + 1 < p->nlevels && (double)(1 << (k + 1)) <= bscale)
		k++;
	lv = pyr_level(p, k);
	lscale = (double)lv->w / v->img_w; /* level pixels per image pixel */
	if (p->base->px16) {
		view_window(v, p->base, &lo, &hi);
		wtab = xmalloc(65536);
		for (i = 0; i < 65536; i++)
			wtab[i] = img_window8(i, lo, hi);
	}
	for (sy = 0; sy < v->scr_h; sy++) {
		double iy0, iy1, ax, bx, mx, my;
		uint8_t *dst = out + (size_t)sy * v->scr_w * 3;

		row_edges(v, sy, &iy0, &iy1);
		for (sx = 0; sx < v->scr_w; sx++, dst += 3) {
			if (!px_centre(v, scale, sx, iy0, iy1, &ax, &mx, &my)) {
				memcpy(dst, outside, 3);
				continue;
			}
			bx = ax + scale;
			if (bscale <= 1.0) {
				/* Zoomed in: the image pixel under the screen pixel's centre. */
				int px = (int)(mx * s0), py = (int)(my * s0);
				const uint8_t *s;

				px = px < p->base->w ? px : p->base->w - 1;
				py = py < p->base->h ? py : p->base->h - 1;
				if (p->base->rgb) {
					s = p->base->rgb + ((size_t)py * p->base->w + (size_t)px) * 3;
					memcpy(dst, s, 3);
				} else {
					int n = p->base->chans;
					const uint16_t *s16 = p->base->px16 + ((size_t)py * p->base->w + (size_t)px) * (size_t)n;

					dst[0] = wtab[s16[0]];
					dst[1] = n == 3 ? wtab[s16[1]] : dst[0];
					dst[2] = n == 3 ? wtab[s16[2]] : dst[0];
				}
			} else if (lv->rgb) {
				sample_box(lv, ax * lscale, iy0 * lscale, bx * lscale, iy1 * lscale, dst);
			} else {
				sample_box16(lv, ax * lscale, iy0 * lscale, bx * lscale, iy1 * lscale, wtab, dst);
			}
			dst[0] = v->lut[dst[0]];
			dst[1] = v->lut[dst[1]];
			dst[2] = v->lut[dst[2]];
		}
	}
	free(wtab);
	/* A second pass: the overlay reads only the pixel it covers, so over the finished image it
	 * is the same as pixel by pixel, and view_overlay shares the one loop. */
	view_overlay(v, o, out, out);
}
