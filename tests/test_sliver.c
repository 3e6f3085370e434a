/* test_sliver.c: small stray parts of instances in an instance mask: islands of an instance
 * found (corner-touching pixels apart, as pixel-edge outlines keep them), an instance's only
 * part and parts of the size or more left alone, a rectangle and the window around it, and
 * random masks against a plain flood fill of the whole image. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "sliver.h"
#include "tap.h"
#include "xalloc.h"

#define W 60
#define H 40

static uint16_t ids[W * H];
static uint64_t counts[65536];

static void fill(int x0, int y0, int x1, int y1, uint16_t id)
{
	int x, y;

	for (y = y0; y < y1; y++)
		for (x = x0; x < x1; x++)
			ids[y * W + x] = id;
}

static void count(void)
{
	size_t i;

	memset(counts, 0, sizeof(counts));
	for (i = 0; i < W * H; i++)
		counts[ids[i]]++;
}

static raster_rect all(void)
{
	raster_rect r = { 0, 0, W, H };

	return r;
}

/* The slivers by a flood fill of every part of the whole image. */
static size_t brute(raster_rect r, uint32_t max, struct sliver *out)
{
	static int label[W * H], stack[W * H];
	size_t n = 0;
	int i, next = 0;

	memset(label, -1, sizeof(label));
	for (i = 0; i < W * H; i++) {
		int top = 0, size = 0, meets = 0, first = i;

		if (!ids[i] || label[i] >= 0)
			continue;
		label[i] = next;
		stack[top++] = i;
		while (top) {
			int p = stack[--top], x = p % W, y = p / W, k;
			int nb[4] = { x > 0 ? p - 1 : -1, x < W - 1 ? p + 1 : -1, y > 0 ? p - W : -1, y < H - 1 ? p + W : -1 };

			size++;
			first = p < first ? p : first;
			meets |= x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
			for (k = 0; k < 4; k++)
				if (nb[k] >= 0 && label[nb[k]] < 0 && ids[nb[k]] == ids[i]) {
					label[nb[k]] = next;
					stack[top++] = nb[k];
				}
		}
		next++;
		if (meets && (uint32_t)size < max && counts[ids[i]] > (uint64_t)size) {
			out[n].inst = ids[i];
			out[n].pixels = (uint32_t)size;
			out[n].x = first % W;
			out[n].y = first / W;
			n++;
		}
	}
	return n;
}

int main(void)
{
	struct sliver *list = NULL, expect[W * H];
	size_t n = 0, cap = 0, found, k;
	raster_rect r;
	unsigned seed = 99;
	int round, bad = 0;

	/* #1: a 10x10 block and three islands of 1, 3 and 6 pixels, and a pixel that touches the
	 * block only at a corner. #2: one part of 5 pixels, its only one. #3: parts of 30 and 25. */
	fill(2, 2, 12, 12, 1);
	fill(20, 3, 21, 4, 1);
	fill(25, 3, 28, 4, 1);
	fill(30, 3, 33, 5, 1);
	fill(12, 12, 13, 13, 1);
	fill(40, 3, 45, 4, 2);
	fill(2, 20, 8, 25, 3);
	fill(20, 20, 25, 25, 3);
	count();
	found = sliver_find(ids, W, H, counts, all(), 20, &list, &n, &cap);
	tap_ok(found == 4 && n == 4, "four slivers of #1 (%zu)", found);
	tap_ok(found == 4 && list[0].inst == 1 && list[0].x == 20 && list[0].y == 3 && list[0].pixels == 1 &&
	    list[1].x == 25 && list[1].pixels == 3 && list[2].x == 30 && list[2].pixels == 6 &&
	    list[2].bounds.x1 == 33 && list[2].bounds.y1 == 5 && list[3].x == 12 && list[3].y == 12 && list[3].pixels == 1,
	    "in row order, with sizes and bounds; the corner-touching pixel is a part of its own");
	n = 0;
	tap_ok(sliver_find(ids, W, H, counts, all(), 6, &list, &n, &cap) == 3, "under 6 pixels: three");
	n = 0;
	tap_ok(sliver_find(ids, W, H, counts, all(), 0, &list, &n, &cap) == 0, "a size of 0 finds none");
	r.x0 = 24;
	r.y0 = 0;
	r.x1 = 29;
	r.y1 = 10;
	n = 0;
	tap_ok(sliver_find(ids, W, H, counts, r, 20, &list, &n, &cap) == 1 && list[0].x == 25,
	    "a rectangle: only the island it meets");
	r.x0 = 11;
	r.y0 = 11;
	r.x1 = 12;
	r.y1 = 12;
	n = 0;
	tap_ok(sliver_find(ids, W, H, counts, r, 20, &list, &n, &cap) == 0,
	    "a rectangle on the block's corner: the block is too big, the corner pixel not met");
	/* #4: a big part and a line of 50 pixels from it; a rectangle at the line's far end sees a
	 * part that runs out of its window: not small. */
	memset(ids, 0, sizeof(ids));
	fill(0, 30, 10, 40, 4);
	fill(10, 35, 60, 36, 4);
	fill(10, 34, 60, 35, 0);
	count();
	r.x0 = 55;
	r.y0 = 35;
	r.x1 = 60;
	r.y1 = 36;
	n = 0;
	tap_ok(sliver_find(ids, W, H, counts, r, 20, &list, &n, &cap) == 0, "a long part leaving the window is no sliver");
	n = 0;
	tap_ok(sliver_find(ids, W, H, counts, r, 100, &list, &n, &cap) == 0, "nor under 100: it joins the big part");

	/* Random masks of few ids, random rectangles and sizes: the same as a flood fill. */
	for (round = 0; round < 300; round++) {
		uint32_t max;
		int i;

		memset(ids, 0, sizeof(ids));
		for (i = 0; i < 40; i++) {
			int x0, y0;

			seed = seed * 1103515245u + 12345u;
			x0 = (int)(seed >> 8) % W;
			y0 = (int)(seed >> 20) % H;
			fill(x0, y0, x0 + 1 + (int)(seed >> 4) % 6 > W ? W : x0 + 1 + (int)(seed >> 4) % 6,
			    y0 + 1 + (int)(seed >> 12) % 5 > H ? H : y0 + 1 + (int)(seed >> 12) % 5, (uint16_t)(1 + (seed >> 24) % 4));
		}
		count();
		seed = seed * 1103515245u + 12345u;
		r.x0 = (int)(seed >> 8) % W;
		r.y0 = (int)(seed >> 16) % H;
		r.x1 = r.x0 + 1 + (int)(seed >> 4) % 30;
		r.y1 = r.y0 + 1 + (int)(seed >> 24) % 20;
		max = 1 + (seed >> 12) % 40;
		n = 0;
		found = sliver_find(ids, W, H, counts, r, max, &list, &n, &cap);
		if (found != brute(r, max, expect)) {
			bad++;
			continue;
		}
		for (k = 0; k < found; k++) {
			size_t j;
			int seen = 0;

			for (j = 0; j < found; j++)
				seen |= expect[j].x == list[k].x && expect[j].y == list[k].y && expect[j].pixels == list[k].pixels &&
				    expect[j].inst == list[k].inst;
			bad += !seen;
		}
	}
	tap_ok(bad == 0, "300 random masks: as a flood fill finds them (%d differ)", bad);
	free(list);
	return tap_done();
}
