/* display.c: what every display shares: the table of implementations, the handle's bookkeeping
 * (geometry, bytes, writing to the terminal), and the scene's parts drawn the same way by each
 * display that draws pixels (marks, cursor ring) or places the image itself (source rectangle). */
#include "config.h"

#include "display.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display_blocks.h"
#include "display_kitty.h"
#include "display_sixel.h"
#include "err.h"
#include "xalloc.h"

/* Every display, found by name (a new one is one file and one line here). */
static const struct display_ops *const displays[] = {
	&display_blocks_ops,
	&display_sixel_ops,
	&display_kitty_ops,
};

const uint8_t display_ring_rgb[2][3] = { { 255, 255, 255 }, { 0, 0, 0 } };

/* ---- marks --------------------------------------------------------------------------- */

static struct display_mark *mark_new(struct display_marks *m)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	memset(&m->v[m->n], 0, sizeof(m->v[m->n]));
	return &m->v[m->n++];
}

void display_marks_line(struct display_marks *m, double x0, double y0, double x1, double y1, const uint8_t *rgb)
{
	struct display_mark *k = mark_new(m);

	k->kind = DISPLAY_MARK_LINE;
	k->x0 = x0;
	k->y0 = y0;
	k->x1 = x1;
	k->y1 = y1;
	memcpy(k->rgb, rgb, 3);
}

void display_marks_dot(struct display_marks *m, int x, int y, int r, const uint8_t *rgb)
{
	struct display_mark *k = mark_new(m);

	k->kind = DISPLAY_MARK_DOT;
	k->x0 = k->x1 = x;
	k->y0 = k->y1 = y;
	k->r = r;
	memcpy(k->rgb, rgb, 3);
}

void display_marks_free(struct display_marks *m)
{
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static void put_px(uint8_t *px, int w, int h, int bpp, int x, int y, const uint8_t *rgb)
{
	uint8_t *p;

	if (x < 0 || y < 0 || x >= w || y >= h)
		return;
	p = px + ((size_t)y * w + x) * bpp;
	memcpy(p, rgb, 3);
	if (bpp == 4)
		p[3] = 255;
}

void display_marks_draw(const struct display_mark *m, size_t n, uint8_t *px, int w, int h, int bpp)
{
	size_t k;

	for (k = 0; k < n; k++) {
		const struct display_mark *mk = &m[k];
		int i, j;

		if (mk->kind == DISPLAY_MARK_DOT) {
			for (j = -mk->r; j <= mk->r; j++)
				for (i = -mk->r; i <= mk->r; i++)
					put_px(px, w, h, bpp, (int)mk->x0 + i, (int)mk->y0 + j, mk->rgb);
		} else {
			double dx = mk->x1 - mk->x0, dy = mk->y1 - mk->y0, len = fmax(fabs(dx), fabs(dy));
			int steps;

			/* Long lines far off screen are clipped by skipping: the frame is small. */
			if (len > 1e5)
				len = 1e5;
			steps = (int)ceil(len);
			for (i = 0; i <= steps; i++) {
				double t = steps ? (double)i / steps : 0;

				put_px(px, w, h, bpp, (int)floor(mk->x0 + dx * t), (int)floor(mk->y0 + dy * t), mk->rgb);
			}
		}
	}
}

/* Over pixels there is no text cursor (a block would hide the pixels that matter): a ring
 * around the point, white inside black, so it shows on any image. */
void display_ring_draw(double sx, double sy, int cell_w, int cell_h, uint8_t *px, int w, int h, int bpp)
{
	int small = cell_w < cell_h ? cell_w : cell_h, x, y, x0, y0, x1, y1;
	double r = small / 2.0 - 1.5; /* the white ring's distance from the point, pixel centres */

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
				put_px(px, w, h, bpp, x, y, display_ring_rgb[0]);
			else if (d > r + 0.5 && d <= r + 1.5)
				put_px(px, w, h, bpp, x, y, display_ring_rgb[1]);
		}
}

const uint8_t display_loud_rgb[3][3] = { { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 0 } };

void display_cursor_point(const struct display_scene *s, int cell_w, int cell_h, double *x, double *y)
{
	*x = s->cursor_exact ? s->cursor_x : (s->cursor_col + 0.5) * cell_w;
	*y = s->cursor_exact ? s->cursor_y : (s->cursor_row + 0.5) * cell_h;
}

/* One pixel, so the other half of a half-block cell keeps the image; which half shows where
 * in the cell the point is. */
void display_cursor_mark(double sx, double sy, uint8_t *px, int w, int h, int bpp)
{
	int x = (int)floor(sx), y = (int)floor(sy), i, j, k, best = 0, best_d = -1;

	if (w < 1 || h < 1)
		return;
	x = x >= w ? w - 1 : x < 0 ? 0 : x;
	y = y >= h ? h - 1 : y < 0 ? 0 : y;
	for (k = 0; k < 3; k++) {
		int d = INT_MAX;

		for (j = y - 1; j <= y + 1; j++)
			for (i = x - 1; i <= x + 1; i++) {
				const uint8_t *p = px + ((size_t)j * w + i) * bpp;
				int dr, dg, db;

				if (i < 0 || j < 0 || i >= w || j >= h)
					continue;
				dr = p[0] - display_loud_rgb[k][0];
				dg = p[1] - display_loud_rgb[k][1];
				db = p[2] - display_loud_rgb[k][2];
				if (dr * dr + dg * dg + db * db < d)
					d = dr * dr + dg * dg + db * db;
			}
		if (d > best_d) {
			best_d = d;
			best = k;
		}
	}
	put_px(px, w, h, bpp, x, y, display_loud_rgb[best]);
}

/* ---- the source rectangle ------------------------------------------------------------ */

void display_scene_source(const struct display_scene *s, struct display_source *src)
{
	const struct view *v = s->view;
	const struct pyr *p = s->pyr;
	/* As view_render picks it: the base may be a reduced preview of an image of img_w. */
	double bscale = (double)p->base->w / v->img_w / v->zoom, lscale, ix0, iy0, ix1, iy1;
	int k = 0;

	while (k + 1 < p->nlevels && (double)(1 << (k + 1)) <= bscale)
		k++;
	memset(src, 0, sizeof(*src));
	src->level = k;
	src->img = k ? p->level[k] : p->base;
	lscale = (double)src->img->w / v->img_w;
	view_to_image(v, 0, 0, &ix0, &iy0);
	view_to_image(v, v->scr_w, v->scr_h, &ix1, &iy1);
	ix0 = fmax(ix0, 0);
	iy0 = fmax(iy0, 0);
	ix1 = fmin(ix1, v->img_w);
	iy1 = fmin(iy1, v->img_h);
	if (ix1 <= ix0 || iy1 <= iy0)
		return;
	src->x = ix0 * lscale;
	src->y = iy0 * lscale;
	src->w = (ix1 - ix0) * lscale;
	src->h = (iy1 - iy0) * lscale;
	view_to_screen(v, ix0, iy0, &src->dst_x, &src->dst_y);
	view_to_screen(v, ix1, iy1, &ix1, &iy1);
	src->dst_w = ix1 - src->dst_x;
	src->dst_h = iy1 - src->dst_y;
}

/* ---- the handle ---------------------------------------------------------------------- */

const struct display_ops *display_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(displays) / sizeof(displays[0]); i++)
		if (!strcmp(displays[i]->name, name))
			return displays[i];
	return NULL;
}

int display_open(struct display *d, const struct display_ops *ops, const struct display_config *cfg,
    char **cause)
{
	memset(d, 0, sizeof(*d));
	d->ops = ops;
	d->fd = cfg->fd;
	d->cell_w = 1;
	d->cell_h = 2;
	sbuf_init(&d->out);
	if (ops->create(d, cfg, cause) != 0) {
		sbuf_free(&d->out);
		return -1;
	}
	return 0;
}

void display_close(struct display *d)
{
	if (!d->ops)
		return;
	d->ops->free(d);
	sbuf_free(&d->out);
	memset(d, 0, sizeof(*d));
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return; /* a hung-up terminal: the caller finds out from its input */
		}
		p += k;
		n -= (size_t)k;
	}
}

static void send_out(struct display *d)
{
	if (d->out.len == 0)
		return;
	write_all(d->fd, d->out.data, d->out.len);
	d->bytes += d->out.len;
}

void display_set_cell(struct display *d, int cell_w, int cell_h)
{
	if (!d->ops->set_cell)
		return;
	d->cell_w = cell_w > 0 ? cell_w : 1;
	d->cell_h = cell_h > 0 ? cell_h : 1;
	d->ops->set_cell(d);
}

void display_place(struct display *d, int x0, int y0, int cols, int rows)
{
	d->x0 = x0;
	d->y0 = y0;
	d->cols = cols > 0 ? cols : 0;
	d->rows = rows > 0 ? rows : 0;
	d->ops->place(d);
}

void display_invalidate(struct display *d) { d->ops->invalidate(d); }

int display_wipe(struct display *d, int cols, int rows)
{
	if (display_has(d, DISPLAY_LAYER)) {
		/* Placements off, the images kept: no repaint, so no clear of the screen (which
		 * would free them in kitty). */
		if (d->drawn && d->ops->wipe) {
			d->out.len = 0;
			d->ops->wipe(d, cols, rows, &d->out);
			send_out(d);
		}
		d->drawn = 0;
		return 0;
	}
	d->ops->invalidate(d);
	if (!d->drawn)
		return 0;
	d->drawn = 0;
	if (d->ops->wipe) {
		d->out.len = 0;
		d->ops->wipe(d, cols, rows, &d->out);
		send_out(d);
	}
	return 1;
}

void display_release(struct display *d)
{
	if (!d->ops || !d->ops->release)
		return;
	d->out.len = 0;
	d->ops->release(d, &d->out);
	send_out(d);
	d->drawn = 0;
}

int display_draw(struct display *d, const struct display_scene *s, char **cause)
{
	int r;

	if (d->cols < 1 || d->rows < 1)
		return 0;
	/* A view of another size than the area would draw out of it. */
	if (s->view->scr_w != d->cols * d->cell_w || s->view->scr_h != d->rows * d->cell_h)
		return err_set(cause, "display: a view of %dx%d pixels for an area of %dx%d", s->view->scr_w,
		    s->view->scr_h, d->cols * d->cell_w, d->rows * d->cell_h);
	d->out.len = 0;
	r = d->ops->draw(d, s, &d->out, cause);
	if (d->out.len > 0) {
		send_out(d);
		d->drawn = 1;
	}
	return r;
}
