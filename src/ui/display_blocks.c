/* display_blocks.c: the half-block display: the scene rendered to two pixels a cell, mapped to
 * the terminal's colours, compared with what each cell shows, and the changed cells sent with
 * the fewest cursor moves and colour changes. */
#include "config.h"

#include "display_blocks.h"

#include <stdlib.h>
#include <string.h>

#include "blocks.h"
#include "xalloc.h"

struct dblocks {
	enum colour_mode mode;
	int tolerance;            /* see blocks_pen */
	uint32_t *top, *bottom;   /* what each cell shows now */
	int valid;                /* 0: the terminal's cells are unknown, send everything */
	uint8_t *frame;           /* the scene in pixels: cols x 2 rows */
};

static int dblocks_create(struct display *d, const struct display_config *cfg, char **cause)
{
	struct dblocks *b = xcalloc(1, sizeof(*b));

	(void)cause;
	b->mode = cfg->mode;
	b->tolerance = cfg->tolerance;
	d->impl = b;
	d->cell_w = 1;
	d->cell_h = 2;
	return 0;
}

static void dblocks_free(struct display *d)
{
	struct dblocks *b = d->impl;

	free(b->top);
	free(b->bottom);
	free(b->frame);
	free(b);
}

static void dblocks_place(struct display *d)
{
	struct dblocks *b = d->impl;
	size_t n = (size_t)(d->cols > 0 ? d->cols : 1) * (size_t)(d->rows > 0 ? d->rows : 1);

	b->top = xreallocarray(b->top, n, sizeof(uint32_t));
	b->bottom = xreallocarray(b->bottom, n, sizeof(uint32_t));
	b->frame = xreallocarray(b->frame, n * 2, 3);
	b->valid = 0;
}

static void dblocks_invalidate(struct display *d) { ((struct dblocks *)d->impl)->valid = 0; }

static int dblocks_draw(struct display *d, const struct display_scene *s, struct sbuf *out, char **cause)
{
	struct dblocks *b = d->impl;
	struct blocks_pen pen;
	int x, y, at_x = -1, at_y = -1, any = 0;

	(void)cause;
	view_render(s->view, s->pyr, &s->overlay, b->frame);
	display_marks_draw(s->marks, s->nmarks, b->frame, s->view->scr_w, s->view->scr_h, 3);
	if (s->cursor) {
		double cx, cy;

		display_cursor_point(s, 1, 2, &cx, &cy);
		display_cursor_mark(cx, cy, b->frame, s->view->scr_w, s->view->scr_h, 3);
	}
	blocks_pen_init(&pen, b->mode);
	pen.tolerance = b->tolerance;
	/* DECSC: ncurses believes the cursor and attributes are where it left them. */
	sbuf_adds(out, "\0337");
	for (y = 0; y < d->rows; y++) {
		const uint8_t *t = b->frame + (size_t)(2 * y) * (size_t)d->cols * 3, *bt = t + (size_t)d->cols * 3;

		for (x = 0; x < d->cols; x++) {
			size_t i = (size_t)y * d->cols + x;
			uint32_t ct = blocks_colour_at(&pen, t + 3 * x, x, 2 * y);
			uint32_t cb = blocks_colour_at(&pen, bt + 3 * x, x, 2 * y + 1);

			if (b->valid && b->top[i] == ct && b->bottom[i] == cb)
				continue;
			b->top[i] = ct;
			b->bottom[i] = cb;
			if (at_y != y || at_x != x) {
				/* CUP is 1-based; a gap of one cell is cheaper to cross by moving right. */
				if (at_y == y && x > at_x && x - at_x <= 3) {
					sbuf_adds(out, "\033[");
					if (x - at_x > 1)
						sbuf_addu(out, (unsigned)(x - at_x));
					sbuf_addc(out, 'C');
				} else {
					sbuf_adds(out, "\033[");
					sbuf_addu(out, (unsigned)(d->y0 + y + 1));
					sbuf_addc(out, ';');
					sbuf_addu(out, (unsigned)(d->x0 + x + 1));
					sbuf_addc(out, 'H');
				}
			}
			blocks_cell(&pen, out, ct, cb);
			at_x = x + 1;
			at_y = y;
			any = 1;
		}
	}
	b->valid = 1;
	if (!any) {
		out->len = 0;
		return 0;
	}
	sbuf_adds(out, "\033[0m\0338");
	return 0;
}

const struct display_ops display_blocks_ops = {
	.name = "blocks",
	.flags = 0,
	.create = dblocks_create,
	.free = dblocks_free,
	.set_cell = NULL,
	.place = dblocks_place,
	.invalidate = dblocks_invalidate,
	.wipe = NULL,
	.draw = dblocks_draw,
};
