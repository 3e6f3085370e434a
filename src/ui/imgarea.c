/* imgarea.c: changed-cells-only block rendering of the image area. */
#include "config.h"

#include "imgarea.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "blocks.h"
#include "xalloc.h"

void imgarea_init(struct imgarea *a, enum colour_mode mode)
{
	memset(a, 0, sizeof(*a));
	a->mode = mode;
	sbuf_init(&a->out);
}

void imgarea_free(struct imgarea *a)
{
	free(a->top);
	free(a->bottom);
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
}

void imgarea_invalidate(struct imgarea *a) { a->valid = 0; }

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

void imgarea_draw(struct imgarea *a, const uint8_t *px, int fd)
{
	struct blocks_pen pen;
	int x, y, at_x = -1, at_y = -1, any = 0;

	if (a->cols <= 0 || a->rows <= 0)
		return;
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
	sbuf_adds(&a->out, "\033[0m\0338");
	write_all(fd, a->out.data, a->out.len);
	a->bytes += a->out.len;
}
