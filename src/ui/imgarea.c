/* imgarea.c: the image area: changed-cells-only block rendering, or sixel through sixelarea. */
#include "config.h"

#include "imgarea.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks.h"
#include "sixelarea.h"
#include "xalloc.h"

void imgarea_init(struct imgarea *a, enum colour_mode mode)
{
	memset(a, 0, sizeof(*a));
	a->mode = mode;
	a->cell_w = 1;
	a->cell_h = 2;
	sbuf_init(&a->out);
}

void imgarea_init_sixel(struct imgarea *a, int cell_w, int cell_h, int colours, int max_w, int max_h)
{
	sixelarea_free(a->sixel);
	a->cell_w = cell_w;
	a->cell_h = cell_h;
	a->sixel = sixelarea_new(cell_w, cell_h, colours, max_w, max_h);
}

void imgarea_set_cell(struct imgarea *a, int cell_w, int cell_h)
{
	if (!a->sixel)
		return;
	a->cell_w = cell_w;
	a->cell_h = cell_h;
	sixelarea_set_cell(a->sixel, cell_w, cell_h);
}

void imgarea_free(struct imgarea *a)
{
	free(a->top);
	free(a->bottom);
	sixelarea_free(a->sixel);
	sbuf_free(&a->out);
}

void imgarea_resize(struct imgarea *a, int x0, int y0, int cols, int rows)
{
	size_t n = (size_t)(cols > 0 ? cols : 1) * (size_t)(rows > 0 ? rows : 1);

	a->x0 = x0;
	a->y0 = y0;
	a->cols = cols;
	a->rows = rows;
	a->top = xreallocarray(a->top, n, sizeof(uint32_t));
	a->bottom = xreallocarray(a->bottom, n, sizeof(uint32_t));
	a->valid = 0;
	if (a->sixel)
		sixelarea_resize(a->sixel, cols, rows);
}

void imgarea_invalidate(struct imgarea *a)
{
	a->valid = 0;
	if (a->sixel)
		sixelarea_invalidate(a->sixel);
}

uint64_t imgarea_palette_key(const struct imgarea *a) { return a->sixel ? sixelarea_palette_key(a->sixel) : 0; }

int imgarea_set_palette(struct imgarea *a, uint64_t key, const uint8_t *rgb, size_t npx,
    const uint8_t *fixed, int nfixed, char **cause)
{
	if (!a->sixel)
		return 0;
	return sixelarea_set_palette(a->sixel, key, rgb, npx, fixed, nfixed, cause);
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

int imgarea_wipe(struct imgarea *a, int fd, int cols, int rows)
{
	int y, x;

	imgarea_invalidate(a);
	if (!a->drawn)
		return 0;
	a->drawn = 0;
	if (!a->sixel)
		return 1;
	a->out.len = 0;
	sbuf_adds(&a->out, "\0337\033[0m");
	for (y = 0; y < rows; y++) {
		sbuf_adds(&a->out, "\033[");
		sbuf_addu(&a->out, (unsigned)y + 1);
		sbuf_adds(&a->out, "H");
		/* Not the bottom-right cell: writing there may scroll some terminals. */
		for (x = 0; x < (y == rows - 1 ? cols - 1 : cols); x++)
			sbuf_addc(&a->out, ' ');
	}
	sbuf_adds(&a->out, "\0338");
	write_all(fd, a->out.data, a->out.len);
	a->bytes += a->out.len;
	return 1;
}

/* Sixel: the rectangles that changed, between DECSC and DECRC (the terminal moves the cursor
 * after an image in its own way; DECRC puts it back where ncurses left it). */
static void draw_sixel(struct imgarea *a, const uint8_t *px, int fd)
{
	char *cause = NULL;
	int n;

	a->out.len = 0;
	sbuf_adds(&a->out, "\0337");
	n = sixelarea_update(a->sixel, px, a->x0, a->y0, &a->out, &cause);
	free(cause); /* a libsixel failure: the area stays invalid and is tried again next time */
	if (n <= 0)
		return;
	sbuf_adds(&a->out, "\0338");
	write_all(fd, a->out.data, a->out.len);
	a->bytes += a->out.len;
	a->drawn = 1;
}

void imgarea_draw(struct imgarea *a, const uint8_t *px, int fd)
{
	struct blocks_pen pen;
	int x, y, at_x = -1, at_y = -1, any = 0;

	if (a->cols <= 0 || a->rows <= 0)
		return;
	if (a->sixel) {
		draw_sixel(a, px, fd);
		return;
	}
	a->out.len = 0;
	blocks_pen_init(&pen, a->mode);
	pen.tolerance = a->tolerance;
	/* DECSC: ncurses believes the cursor and attributes are where it left them. */
	sbuf_adds(&a->out, "\0337");
	for (y = 0; y < a->rows; y++) {
		const uint8_t *t = px + (size_t)(2 * y) * (size_t)a->cols * 3, *b = t + (size_t)a->cols * 3;

		for (x = 0; x < a->cols; x++) {
			size_t i = (size_t)y * a->cols + x;
			uint32_t ct = blocks_colour_at(&pen, t + 3 * x, x, 2 * y);
			uint32_t cb = blocks_colour_at(&pen, b + 3 * x, x, 2 * y + 1);

			if (a->valid && a->top[i] == ct && a->bottom[i] == cb)
				continue;
			a->top[i] = ct;
			a->bottom[i] = cb;
			if (at_y != y || at_x != x) {
				/* CUP is 1-based; a gap of one cell is cheaper to cross by moving right. */
				if (at_y == y && x > at_x && x - at_x <= 3) {
					sbuf_adds(&a->out, "\033[");
					if (x - at_x > 1)
						sbuf_addu(&a->out, (unsigned)(x - at_x));
					sbuf_addc(&a->out, 'C');
				} else {
					sbuf_adds(&a->out, "\033[");
					sbuf_addu(&a->out, (unsigned)(a->y0 + y + 1));
					sbuf_addc(&a->out, ';');
					sbuf_addu(&a->out, (unsigned)(a->x0 + x + 1));
					sbuf_addc(&a->out, 'H');
				}
			}
			blocks_cell(&pen, &a->out, ct, cb);
			at_x = x + 1;
			at_y = y;
			any = 1;
		}
	}
	a->valid = 1;
	if (!any)
		return;
	a->drawn = 1;
	sbuf_adds(&a->out, "\033[0m\0338");
	write_all(fd, a->out.data, a->out.len);
	a->bytes += a->out.len;
}
