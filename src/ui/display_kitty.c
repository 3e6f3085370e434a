/* display_kitty.c: the kitty graphics display: the image uploaded once a level (tiles of large
 * ones), placed by source rectangles; the masks and marks as RGBA tiles of the screen above
 * it; the cursor ring a small image of its own; what the terminal holds bounded and freed. */
#include "config.h"

#include "display_kitty.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "kgp.h"
#include "xalloc.h"

/* z-indexes: the background, the image's tiles (each above the ones left of and above it,
 * which reach into it by what fills their last cell), then the overlay and the ring above it.
 * None is negative: kitty draws images under the text (z < 0) in a pass of their own, and
 * kitty 0.26.5 (with software OpenGL, as under Xvfb) then paints the cells' background colours
 * wrong, the panel's swatches and the status line included, also with its own icat --z-index -1.
 * Over the text is right here anyway: the image area's cells hold nothing but spaces, and the
 * help screen takes the placements off. The ring's z goes out with every cursor step: short. */
#define Z_BACK 0
#define Z_IMAGE 2000
#define Z_TILE_STEP (2 * KGP_MAX_SEG)
#define Z_OVERLAY 1000000 /* above Z_IMAGE + Z_TILE_STEP x any tile count within the limits */
#define Z_RING 1000001
/* Our image ids: base + these. */
#define ID_RING 1
#define ID_BACK 2         /* one pixel of view_render's outside, under the image */
#define ID_OVERLAY 16     /* + the overlay tile's index */
#define ID_IMAGES 0x10000 /* + a counter */
#define MAX_PLACE (KGP_MAX_SEG * KGP_MAX_SEG) /* placements of one image */

struct kimg {
	uint32_t id;
	uint64_t key;       /* the scene's look: image, curve, window */
	int level, tx, ty;  /* the tile's origin, in pixels of its level */
	int w, h;           /* the tile's own pixels */
	int padx, pady;     /* and after them, what fills the last cell: the next pixels or the outside */
	size_t bytes;       /* what kitty keeps of it */
	uint64_t used;      /* the frame that last placed it */
	int nplaced;        /* placements 1..nplaced are on screen, as in pl */
	struct kgp_place pl[MAX_PLACE];
};

struct dkitty {
	uint32_t base, next;
	struct kimg *img;
	size_t nimg, cap, held, budget;
	uint64_t frame;
	/* The overlay: tiles of OV_COLS x OV_ROWS cells, RGBA as sent. */
	int tcols, trows;     /* tiles across and down */
	uint8_t *ov;          /* area RGBA: what the tiles show */
	uint8_t *nov;         /* area RGBA: the new overlay */
	uint8_t *f0, *f1;     /* area RGB: the view without and with the masks */
	/* What f0 shows, so that it is rendered again only when the view changes: a cursor step
	 * or an edit then costs the overlay's pass alone (view_overlay). */
	int f0_ok;
	struct view f0_view;
	uint64_t f0_serial;
	const struct img *f0_base;
	uint8_t *tile_on;     /* per tile: its image exists (with its placement, when placed) */
	uint8_t *tile_placed;
	int ov_clear;         /* no tile is on */
	/* The ring: its image's look and its placement. */
	int ring_key, ring_up, ring_placed;
	struct kgp_place ring_pl;
	int back_up, back_placed;
	struct kgp_place back_pl;
	int reset;            /* the area or its cells changed: the overlay starts over */
	int lost;             /* the screen may have been cleared: kitty then frees our images */
	int pending;          /* tiles wait for an idle frame */
};

/* ---- bookkeeping --------------------------------------------------------------------- */

static struct kimg *find_img(struct dkitty *k, uint64_t key, int level, int tx, int ty, int padx, int pady)
{
	size_t i;

	for (i = 0; i < k->nimg; i++)
		if (k->img[i].key == key && k->img[i].level == level && k->img[i].tx == tx && k->img[i].ty == ty &&
		    k->img[i].padx == padx && k->img[i].pady == pady)
			return &k->img[i];
	return NULL;
}

static void drop_img(struct dkitty *k, size_t i, struct sbuf *out)
{
	kgp_delete(out, k->img[i].id, 0, 1);
	k->held -= k->img[i].bytes;
	k->img[i] = k->img[--k->nimg];
}

/* Least recently placed first, never one of this frame, until within the budget (need: bytes
 * about to be added). */
static void evict(struct dkitty *k, size_t need, struct sbuf *out)
{
	while (k->held + need > k->budget) {
		size_t i, best = k->nimg;

		for (i = 0; i < k->nimg; i++)
			if (k->img[i].used < k->frame && (best == k->nimg || k->img[i].used < k->img[best].used))
				best = i;
		if (best == k->nimg)
			return; /* everything is in view: the budget yields to the screen */
		drop_img(k, best, out);
	}
}

/* ---- the image ----------------------------------------------------------------------- */

/* What the pixels of a level look like on screen depends on these, not on zoom or pan. */
static uint64_t look_key(const struct display_scene *s)
{
	uint64_t h = 1469598103934665603u;
	int64_t v[5];
	size_t i, j;

	v[0] = (int64_t)s->serial;
	v[1] = s->view->win_lo;
	v[2] = s->view->win_hi;
	v[3] = s->preview;
	v[4] = 0;
	for (i = 0; i < 5; i++)
		for (j = 0; j < 8; j++)
			h = (h ^ (uint8_t)((uint64_t)v[i] >> (8 * j))) * 1099511628211u;
	for (i = 0; i < 256; i++)
		h = (h ^ s->view->lut[i]) * 1099511628211u;
	return h;
}

/* The tile's pixels as view_render shows them at 1:1 of its level: the window of a 16-bit
 * image, then the curve. */
static uint8_t *tile_pixels(const struct display_scene *s, const struct img *lv, int tx, int ty, int w, int h)
{
	uint8_t *px = xreallocarray(NULL, (size_t)w * h, 3), *wtab = NULL;
	const struct view *v = s->view;
	int x, y, c, lo, hi;

	if (lv->px16) {
		view_window(v, s->pyr->base, &lo, &hi);
		wtab = xmalloc(65536);
		for (x = 0; x < 65536; x++)
			wtab[x] = img_window8(x, lo, hi);
	}
	for (y = 0; y < h; y++) {
		uint8_t *d = px + (size_t)y * w * 3;
		/* Past the level's end (the padding of its last tiles): the outside, as view_render
		 * paints it. */
		int inside = ty + y < lv->h ? (lv->w - tx < w ? lv->w - tx : w) : 0;

		for (x = inside > 0 ? inside : 0; x < w; x++)
			memcpy(d + 3 * x, view_outside_rgb, 3);
		if (inside <= 0)
			continue;
		if (lv->rgb) {
			const uint8_t *p = lv->rgb + ((size_t)(ty + y) * lv->w + tx) * 3;

			for (x = 0; x < 3 * inside; x++)
				d[x] = v->lut[p[x]];
		} else {
			const uint16_t *p = lv->px16 + ((size_t)(ty + y) * lv->w + tx) * (size_t)lv->chans;

			for (x = 0; x < inside; x++, p += lv->chans)
				for (c = 0; c < 3; c++)
					d[3 * x + c] = v->lut[wtab[p[lv->chans == 3 ? c : 0]]];
		}
	}
	free(wtab);
	return px;
}

static struct kimg *upload(struct display *d, const struct display_scene *s, const struct img *lv, int level,
    uint64_t key, int tx, int ty, int w, int h, int padx, int pady, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	struct kimg *m;
	uint8_t *px;
	long n;

	evict(k, (size_t)(w + padx) * (h + pady) * 3, out);
	px = tile_pixels(s, lv, tx, ty, w + padx, h + pady);
	if (k->nimg == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 32;
		k->img = xreallocarray(k->img, k->cap, sizeof(*k->img));
	}
	m = &k->img[k->nimg];
	memset(m, 0, sizeof(*m));
	m->id = k->base + ID_IMAGES + (k->next++ % 0xE000);
	m->key = key;
	m->level = level;
	m->tx = tx;
	m->ty = ty;
	m->w = w;
	m->h = h;
	m->padx = padx;
	m->pady = pady;
	m->bytes = (size_t)(w + padx) * (h + pady) * 3;
	n = kgp_transmit(out, m->id, px, w + padx, h + pady, 3, (size_t)(w + padx) * 3, NULL, cause);
	free(px);
	if (n < 0)
		return NULL;
	k->nimg++;
	k->held += m->bytes;
	return m;
}

static int place_same(const struct kgp_place *a, const struct kgp_place *b)
{
	return a->x == b->x && a->y == b->y && a->w == b->w && a->h == b->h && a->col == b->col && a->row == b->row &&
	    a->X == b->X && a->Y == b->Y && a->c == b->c && a->r == b->r && a->z == b->z;
}

/* A tile's z: above its neighbours left and above. Kept under the overlay even for a strip of
 * an image (a million pixels by one) whose tiles outnumber the room: its seams may then show a
 * padding column, never the overlay hidden. */
static int tile_z(int zbase, long index)
{
	long z = zbase + index * Z_TILE_STEP;

	return z < Z_OVERLAY - 1 ? (int)z : Z_OVERLAY - 1;
}

/* Places image m's part of the view: the stretches of each axis over the tile. */
static void place_tile(struct display *d, struct kimg *m, int zbase, double ox, double oy, double zx, double zy,
    double a_x, double b_x, double a_y, double b_y, struct sbuf *out)
{
	struct kgp_seg sx[KGP_MAX_SEG], sy[KGP_MAX_SEG];
	struct kgp_place p;
	int nx = kgp_axis(ox - m->tx, zx, m->w, m->padx, a_x, b_x, d->cell_w, sx);
	int ny = kgp_axis(oy - m->ty, zy, m->h, m->pady, a_y, b_y, d->cell_h, sy);
	int i, j, n = 0;

	for (j = 0; j < ny; j++)
		for (i = 0; i < nx; i++) {
			kgp_place_of(&sx[i], i, &sy[j], j, d->cell_w, d->cell_h, zbase, &p);
			p.id = m->id;
			p.pid = (uint32_t)(n + 1);
			p.col += d->x0;
			p.row += d->y0;
			if (n >= m->nplaced || !place_same(&p, &m->pl[n]))
				kgp_put(out, &p);
			m->pl[n++] = p;
		}
	for (i = n; i < m->nplaced; i++)
		kgp_delete(out, m->id, (uint32_t)(i + 1), 0);
	m->nplaced = n;
}

/* Where one level shows: the level, the source coordinate at the area's origin and the scale
 * (screen pixels a level pixel) each way, the screen rectangle it covers. */
struct shown {
	const struct img *lv;
	int level;
	double ox, oy, zx, zy, ax, bx, ay, by;
};

/* The tiling of a level: one image when it is small enough. */
static int tile_of(const struct img *lv)
{
	return lv->w <= 2 * DISPLAY_KITTY_TILE && lv->h <= 2 * DISPLAY_KITTY_TILE ? (lv->w > lv->h ? lv->w : lv->h) :
	    DISPLAY_KITTY_TILE;
}

/* Places the tiles of sh in view at z from zbase. A tile never sent is sent now when must is
 * set or the frame is idle (within the idle budget, *budget bytes left); else it is left out
 * (what is under it shows: a coarser level) and *missing counts it. margin: tiles around the
 * view too (prefetch, idle only: uploaded, not placed). Returns -1 when sending failed. */
static int show_tiles(struct display *d, const struct display_scene *s, uint64_t key, const struct shown *sh, int zbase,
    int must, int margin, long *budget, int *missing, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	const struct img *lv = sh->lv;
	int tile = tile_of(lv), padx = 2 * d->cell_w, pady = 2 * d->cell_h, tx, ty, r = 0;
	/* The level's pixels in view. */
	double x0 = sh->ox + sh->ax / sh->zx, x1 = sh->ox + sh->bx / sh->zx, y0 = sh->oy + sh->ay / sh->zy,
	    y1 = sh->oy + sh->by / sh->zy;
	int c0 = (int)floor(x0 / tile) - margin, c1 = (int)floor((x1 - 1e-9) / tile) + margin;
	int r0 = (int)floor(y0 / tile) - margin, r1 = (int)floor((y1 - 1e-9) / tile) + margin;
	int c, rw;

	for (rw = r0; rw <= r1; rw++)
		for (c = c0; c <= c1; c++) {
			int in_view = c >= c0 + margin && c <= c1 - margin && rw >= r0 + margin && rw <= r1 - margin;
			struct kimg *m;

			tx = c * tile;
			ty = rw * tile;
			if (tx < 0 || ty < 0 || tx >= lv->w || ty >= lv->h)
				continue;
			m = find_img(k, key, sh->level, tx, ty, padx, pady);
			if (!m) {
				int w = lv->w - tx < tile ? lv->w - tx : tile, h = lv->h - ty < tile ? lv->h - ty : tile;

				if (!must && (!d->idle || *budget <= 0)) {
					*missing += 1;
					continue;
				}
				m = upload(d, s, lv, sh->level, key, tx, ty, w, h, padx, pady, out, cause);
				if (!m) {
					r = -1;
					continue;
				}
				*budget -= (long)m->bytes;
			}
			if (!in_view)
				continue;
			m->used = k->frame;
			place_tile(d, m, tile_z(zbase, c + rw), sh->ox, sh->oy, sh->zx, sh->zy, sh->ax, sh->bx, sh->ay,
			    sh->by, out);
		}
	return r;
}

/* What an idle frame may send, in the terminal's bytes (about half that goes over the wire). */
#define IDLE_BUDGET ((long)1 << 20)

static int draw_image(struct display *d, const struct display_scene *s, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	struct display_source src;
	uint64_t key = look_key(s);
	long budget = IDLE_BUDGET;
	int r = 0, missing = 0, kc;
	size_t i;

	k->pending = 0;
	display_scene_source(s, &src);
	if (src.w > 0) {
		struct shown sh;

		sh.lv = src.img;
		sh.level = src.level;
		sh.zx = sh.zy = src.dst_w / src.w;
		sh.ox = src.x - src.dst_x / sh.zx;
		sh.oy = src.y - src.dst_y / sh.zy;
		sh.ax = fmax(src.dst_x, 0);
		sh.ay = fmax(src.dst_y, 0);
		sh.bx = fmin(src.dst_x + src.dst_w, (double)d->cols * d->cell_w);
		sh.by = fmin(src.dst_y + src.dst_h, (double)d->rows * d->cell_h);
		/* The coarsest level that is still one image: under a tiled level, it stands in
		 * for the tiles not sent yet, so a zoom or pan into new parts of a large image
		 * costs placements at once and the tiles follow while the user is idle. */
		for (kc = src.level; kc + 1 < s->pyr->nlevels && tile_of(kc ? s->pyr->level[kc] : s->pyr->base) == DISPLAY_KITTY_TILE; kc++)
			;
		if (kc > src.level) {
			struct shown co = sh;
			const struct img *cl = s->pyr->level[kc];
			double fx = (double)cl->w / sh.lv->w, fy = (double)cl->h / sh.lv->h;

			co.lv = cl;
			co.level = kc;
			co.ox = sh.ox * fx;
			co.oy = sh.oy * fy;
			co.zx = sh.zx / fx;
			co.zy = sh.zy / fy;
			if (show_tiles(d, s, key, &co, Z_IMAGE - 1000, 1, 0, &budget, &missing, out, cause) != 0)
				r = -1;
			if (show_tiles(d, s, key, &sh, Z_IMAGE, 0, 0, &budget, &missing, out, cause) != 0)
				r = -1;
			/* Idle: the tiles around the view, before the user pans there. */
			if (d->idle && !missing && show_tiles(d, s, key, &sh, Z_IMAGE, 0, 1, &budget, &missing, out, cause) != 0)
				r = -1;
			k->pending = missing > 0 || budget <= 0;
		} else if (show_tiles(d, s, key, &sh, Z_IMAGE, 1, 0, &budget, &missing, out, cause) != 0) {
			r = -1;
		}
	}
	/* What was shown and is not any more: its placements go, the data stays for later. */
	for (i = 0; i < k->nimg; i++)
		if (k->img[i].used != k->frame && k->img[i].nplaced > 0) {
			kgp_delete(out, k->img[i].id, 0, 0);
			k->img[i].nplaced = 0;
		}
	return r;
}

/* ---- the overlay --------------------------------------------------------------------- */

static void tile_rect(const struct display *d, int t, int *x, int *y, int *w, int *h)
{
	const struct dkitty *k = d->impl;
	int aw = d->cols * d->cell_w, ah = d->rows * d->cell_h;

	*x = (t % k->tcols) * DISPLAY_KITTY_OV_COLS * d->cell_w;
	*y = (t / k->tcols) * DISPLAY_KITTY_OV_ROWS * d->cell_h;
	*w = aw - *x < DISPLAY_KITTY_OV_COLS * d->cell_w ? aw - *x : DISPLAY_KITTY_OV_COLS * d->cell_w;
	*h = ah - *y < DISPLAY_KITTY_OV_ROWS * d->cell_h ? ah - *y : DISPLAY_KITTY_OV_ROWS * d->cell_h;
}

static int draw_overlay(struct display *d, const struct display_scene *s, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	int aw = d->cols * d->cell_w, ah = d->rows * d->cell_h, t, ntiles = k->tcols * k->trows, r = 0, any = 0;
	size_t npx = (size_t)aw * ah, i;
	int masks = s->overlay.masks && s->overlay.mode != VIEW_OVERLAY_OFF;
	char extra[48];

	if (!masks && s->nmarks == 0 && k->ov_clear)
		return 0;
	snprintf(extra, sizeof(extra), "a=T,p=1,C=1,z=%d", Z_OVERLAY);
	memset(k->nov, 0, npx * 4);
	if (masks) {
		/* Where the masks change the view's pixels, those pixels, opaque: over the image
		 * they show exactly what view_render shows. */
		if (!k->f0_ok || k->f0_serial != s->serial || k->f0_base != s->pyr->base || !view_same(&k->f0_view, s->view)) {
			view_render(s->view, s->pyr, NULL, k->f0);
			k->f0_ok = 1;
			k->f0_serial = s->serial;
			k->f0_base = s->pyr->base;
			k->f0_view = *s->view;
		}
		view_overlay(s->view, &s->overlay, k->f0, k->f1);
		for (i = 0; i < npx; i++)
			if (memcmp(k->f0 + 3 * i, k->f1 + 3 * i, 3)) {
				memcpy(k->nov + 4 * i, k->f1 + 3 * i, 3);
				k->nov[4 * i + 3] = 255;
			}
	}
	display_marks_draw(s->marks, s->nmarks, k->nov, aw, ah, 4);
	for (t = 0; t < ntiles; t++) {
		int x, y, w, h, row, changed = 0, empty = 1;
		uint32_t id = k->base + ID_OVERLAY + (uint32_t)t;

		tile_rect(d, t, &x, &y, &w, &h);
		for (row = y; row < y + h; row++) {
			const uint8_t *a = k->nov + ((size_t)row * aw + x) * 4, *b = k->ov + ((size_t)row * aw + x) * 4;
			int j;

			if (!changed && memcmp(a, b, (size_t)w * 4))
				changed = 1;
			for (j = 0; empty && j < w; j++)
				if (a[4 * j + 3])
					empty = 0;
		}
		if (!empty)
			any = 1;
		if (changed) {
			for (row = y; row < y + h; row++)
				memcpy(k->ov + ((size_t)row * aw + x) * 4, k->nov + ((size_t)row * aw + x) * 4, (size_t)w * 4);
			if (empty) {
				if (k->tile_on[t])
					kgp_delete(out, id, 0, 1);
				k->tile_on[t] = k->tile_placed[t] = 0;
				continue;
			}
			/* Sent again whole: a new transmission under the same id replaces the old
			 * image and its placement. */
			sbuf_printf(out, "\033[%d;%dH", d->y0 + y / d->cell_h + 1, d->x0 + x / d->cell_w + 1);
			if (kgp_transmit(out, id, k->ov + ((size_t)y * aw + x) * 4, w, h, 4, (size_t)aw * 4, extra, cause) < 0)
				r = -1;
			k->tile_on[t] = k->tile_placed[t] = 1;
		} else if (k->tile_on[t] && !k->tile_placed[t]) {
			struct kgp_place p = { .id = id, .pid = 1, .col = d->x0 + x / d->cell_w, .row = d->y0 + y / d->cell_h,
				.z = Z_OVERLAY };

			kgp_put(out, &p);
			k->tile_placed[t] = 1;
		}
	}
	k->ov_clear = !any;
	return r;
}

/* ---- the cursor ring ----------------------------------------------------------------- */

static void draw_ring(struct display *d, const struct display_scene *s, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	int aw = d->cols * d->cell_w, ah = d->rows * d->cell_h, small = d->cell_w < d->cell_h ? d->cell_w : d->cell_h;
	int R = (int)ceil(fmax(small / 2.0 - 1.5, 2.5) + 3), side = 2 * R + 2, fx, fy, key, x0, y0, sx0, sy0, sx1, sy1;
	double cx, cy;
	struct kgp_place p;

	if (!s->cursor) {
		if (k->ring_placed)
			kgp_delete(out, k->base + ID_RING, 0, 0);
		k->ring_placed = 0;
		return;
	}
	display_cursor_point(s, d->cell_w, d->cell_h, &cx, &cy);
	/* The ring's pixels depend on where in its pixel the point is (and the cell's size):
	 * a new image only when that changes, else a placement moves it. */
	fx = (int)floor((cx - floor(cx)) * 16);
	fy = (int)floor((cy - floor(cy)) * 16);
	key = (fx << 24) | (fy << 16) | (d->cell_w << 8) | d->cell_h;
	if (!k->ring_up || key != k->ring_key) {
		uint8_t *px = xcalloc((size_t)side * side, 4);

		display_ring_draw(R + (cx - floor(cx)), R + (cy - floor(cy)), d->cell_w, d->cell_h, px, side, side, 4);
		(void)kgp_transmit(out, k->base + ID_RING, px, side, side, 4, (size_t)side * 4, NULL, cause);
		free(px);
		k->ring_up = 1;
		k->ring_key = key;
		k->ring_placed = 0;
	}
	/* The ring's image starts R pixels up and left of the point's pixel; clipped to the area
	 * through its source rectangle. */
	x0 = (int)floor(cx) - R;
	y0 = (int)floor(cy) - R;
	sx0 = x0 < 0 ? 0 : x0;
	sy0 = y0 < 0 ? 0 : y0;
	sx1 = x0 + side > aw ? aw : x0 + side;
	sy1 = y0 + side > ah ? ah : y0 + side;
	if (sx1 <= sx0 || sy1 <= sy0) {
		if (k->ring_placed)
			kgp_delete(out, k->base + ID_RING, 0, 0);
		k->ring_placed = 0;
		return;
	}
	memset(&p, 0, sizeof(p));
	p.id = k->base + ID_RING;
	p.pid = 1;
	p.x = sx0 - x0;
	p.y = sy0 - y0;
	/* Unclipped, the whole image: fewer bytes a cursor step. */
	p.w = p.x == 0 && sx1 - sx0 == side ? 0 : sx1 - sx0;
	p.h = p.y == 0 && sy1 - sy0 == side ? 0 : sy1 - sy0;
	p.col = d->x0 + sx0 / d->cell_w;
	p.X = sx0 % d->cell_w;
	p.row = d->y0 + sy0 / d->cell_h;
	p.Y = sy0 % d->cell_h;
	p.z = Z_RING;
	if (!k->ring_placed || !place_same(&p, &k->ring_pl))
		kgp_put(out, &p);
	k->ring_pl = p;
	k->ring_placed = 1;
}

/* ---- the background ------------------------------------------------------------------ */

/* Around an image smaller than the area, view_render's outside colour, as the other displays
 * show it: one pixel stretched over the area, under the image. */
static void draw_back(struct display *d, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	struct kgp_place p;

	if (!k->back_up) {
		if (kgp_transmit(out, k->base + ID_BACK, view_outside_rgb, 1, 1, 3, 3, NULL, cause) < 0)
			return;
		k->back_up = 1;
		k->back_placed = 0;
	}
	memset(&p, 0, sizeof(p));
	p.id = k->base + ID_BACK;
	p.pid = 1;
	p.col = d->x0;
	p.row = d->y0;
	p.c = d->cols;
	p.r = d->rows;
	p.z = Z_BACK;
	if (!k->back_placed || !place_same(&p, &k->back_pl))
		kgp_put(out, &p);
	k->back_pl = p;
	k->back_placed = 1;
}

/* ---- the display --------------------------------------------------------------------- */

static void forget_placements(struct dkitty *k, struct sbuf *out)
{
	size_t i;
	int t;

	for (i = 0; i < k->nimg; i++) {
		if (out && k->img[i].nplaced)
			kgp_delete(out, k->img[i].id, 0, 0);
		k->img[i].nplaced = 0;
	}
	for (t = 0; t < k->tcols * k->trows; t++) {
		if (out && k->tile_placed[t])
			kgp_delete(out, k->base + ID_OVERLAY + (uint32_t)t, 0, 0);
		k->tile_placed[t] = 0;
	}
	if (out && k->ring_placed)
		kgp_delete(out, k->base + ID_RING, 0, 0);
	if (out && k->back_placed)
		kgp_delete(out, k->base + ID_BACK, 0, 0);
	k->ring_placed = k->back_placed = 0;
}

static int dkitty_create(struct display *d, const struct display_config *cfg, char **cause)
{
	struct dkitty *k = xcalloc(1, sizeof(*k));

	(void)cause;
	/* Ids of our own: other programs in the same window number theirs from 1. */
	k->base = 0x50000000u + ((uint32_t)(getpid() & 0x7ff) << 17);
	k->budget = DISPLAY_KITTY_BUDGET;
	k->ov_clear = 1;
	d->impl = k;
	d->cell_w = cfg->cell_w > 0 ? cfg->cell_w : 10;
	d->cell_h = cfg->cell_h > 0 ? cfg->cell_h : 20;
	return 0;
}

static void dkitty_free(struct display *d)
{
	struct dkitty *k = d->impl;

	if (!k)
		return;
	free(k->img);
	free(k->ov);
	free(k->nov);
	free(k->f0);
	free(k->f1);
	free(k->tile_on);
	free(k->tile_placed);
	free(k);
}

/* The overlay's tiles depend on the area and the cells: they go, and come again as drawn. */
static void reset_overlay(struct display *d, struct sbuf *out)
{
	struct dkitty *k = d->impl;
	size_t npx = (size_t)(d->cols > 0 ? d->cols : 1) * d->cell_w * (size_t)(d->rows > 0 ? d->rows : 1) * d->cell_h;
	int t;

	for (t = 0; t < k->tcols * k->trows; t++)
		if (k->tile_on[t] && out)
			kgp_delete(out, k->base + ID_OVERLAY + (uint32_t)t, 0, 1);
	k->tcols = (d->cols + DISPLAY_KITTY_OV_COLS - 1) / DISPLAY_KITTY_OV_COLS;
	k->trows = (d->rows + DISPLAY_KITTY_OV_ROWS - 1) / DISPLAY_KITTY_OV_ROWS;
	free(k->tile_on);
	free(k->tile_placed);
	k->tile_on = xcalloc((size_t)(k->tcols * k->trows > 0 ? k->tcols * k->trows : 1), 1);
	k->tile_placed = xcalloc((size_t)(k->tcols * k->trows > 0 ? k->tcols * k->trows : 1), 1);
	k->ov = xreallocarray(k->ov, npx, 4);
	k->nov = xreallocarray(k->nov, npx, 4);
	k->f0 = xreallocarray(k->f0, npx, 3);
	k->f1 = xreallocarray(k->f1, npx, 3);
	k->f0_ok = 0;
	memset(k->ov, 0, npx * 4);
	k->ov_clear = 1;
	k->ring_up = 0;
}

/* A new font, a new area: ncurses clears the screen next (clearok), and kitty frees every
 * image a clear leaves without a placement on screen, that is all of ours. */
static void dkitty_set_cell(struct display *d)
{
	struct dkitty *k = d->impl;

	k->lost = 1;
	k->reset = 1;
}

static void dkitty_place(struct display *d)
{
	struct dkitty *k = d->impl;

	k->lost = 1;
	k->reset = 1;
}

static void dkitty_invalidate(struct display *d) { ((struct dkitty *)d->impl)->lost = 1; }

/* Nothing of ours stays on screen under the text: every placement goes (the data stays, so
 * the image comes back for a few bytes after the help). */
static void dkitty_wipe(struct display *d, int cols, int rows, struct sbuf *out)
{
	struct dkitty *k = d->impl;

	(void)cols;
	(void)rows;
	forget_placements(k, out);
}

/* On the way out: everything the terminal holds for us. */
static void dkitty_release(struct display *d, struct sbuf *out)
{
	struct dkitty *k = d->impl;
	int t;

	while (k->nimg)
		drop_img(k, k->nimg - 1, out);
	if (!k->tile_on)
		return;
	for (t = 0; t < k->tcols * k->trows; t++)
		if (k->tile_on[t])
			kgp_delete(out, k->base + ID_OVERLAY + (uint32_t)t, 0, 1);
	memset(k->tile_on, 0, (size_t)(k->tcols * k->trows));
	memset(k->tile_placed, 0, (size_t)(k->tcols * k->trows));
	if (k->ring_up)
		kgp_delete(out, k->base + ID_RING, 0, 1);
	if (k->back_up)
		kgp_delete(out, k->base + ID_BACK, 0, 1);
	k->ring_up = k->ring_placed = k->back_up = k->back_placed = 0;
	k->ov_clear = 1;
	if (k->ov)
		memset(k->ov, 0, (size_t)d->cols * d->cell_w * d->rows * d->cell_h * 4);
}

static int dkitty_draw(struct display *d, const struct display_scene *s, struct sbuf *out, char **cause)
{
	struct dkitty *k = d->impl;
	size_t start;
	int r = 0;

	sbuf_adds(out, "\0337");
	start = out->len;
	if (!k->tile_on || k->reset) {
		reset_overlay(d, out);
		k->reset = 0;
	}
	if (k->lost) {
		/* Whatever survived a clear goes (a new image's open leaves the old one's), and
		 * everything is sent again below. */
		dkitty_release(d, out);
		k->lost = 0;
	}
	k->frame++;
	draw_back(d, out, cause);
	if (draw_image(d, s, out, cause) != 0)
		r = -1;
	if (draw_overlay(d, s, out, r ? NULL : cause) != 0)
		r = -1;
	draw_ring(d, s, out, r ? NULL : cause);
	if (out->len == start) {
		out->len = start - 2;
		return r;
	}
	sbuf_adds(out, "\0338");
	return r;
}

static int dkitty_pending(struct display *d) { return ((struct dkitty *)d->impl)->pending; }

const struct display_ops display_kitty_ops = {
	.name = "kitty",
	.flags = DISPLAY_OWN_CURSOR | DISPLAY_FONT_CELLS | DISPLAY_LAYER,
	.create = dkitty_create,
	.free = dkitty_free,
	.set_cell = dkitty_set_cell,
	.place = dkitty_place,
	.invalidate = dkitty_invalidate,
	.wipe = dkitty_wipe,
	.release = dkitty_release,
	.pending = dkitty_pending,
	.draw = dkitty_draw,
};
