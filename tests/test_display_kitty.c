/* test_display_kitty.c: the kitty display through the interface (display.h), its bytes read
 * back from a pipe and counted by kind: image data (a=t, a=T), placements (a=p) and deletions
 * (d=i: placements, d=I: images). The image is sent once and then only placed; a cursor step is
 * a placement; the help's wipe takes placements off and asks for no repaint; an invalidated
 * display deletes what it had and starts over; leaving deletes every image; and a large image
 * shows its coarse level at once, its tiles waiting for idle frames. */
#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "display.h"
#include "tap.h"

#define CW 10
#define CH 20
#define COLS 40
#define ROWS 20
#define W (COLS * CW)
#define H (ROWS * CH)

struct counts {
	long bytes;
	int transmits, puts, deletes, frees;
};

static void drain(int fd, struct counts *c)
{
	char buf[65536];
	struct sbuf all;
	ssize_t k;
	size_t i;

	memset(c, 0, sizeof(*c));
	sbuf_init(&all);
	while ((k = read(fd, buf, sizeof(buf))) > 0)
		sbuf_add(&all, buf, (size_t)k);
	c->bytes = (long)all.len;
	for (i = 0; i + 5 < all.len; i++) {
		if (memcmp(all.data + i, "\033_G", 3))
			continue;
		if (!memcmp(all.data + i + 3, "a=t", 3) || !memcmp(all.data + i + 3, "a=T", 3))
			c->transmits++;
		else if (!memcmp(all.data + i + 3, "a=p", 3))
			c->puts++;
		else if (!memcmp(all.data + i + 3, "a=d,d=i", 7))
			c->deletes++;
		else if (!memcmp(all.data + i + 3, "a=d,d=I", 7))
			c->frees++;
	}
	sbuf_free(&all);
}

/* Noise, or (smooth) a gradient that compresses, so a large image's frames fit the pipe. */
static struct img *picture(int w, int h, int smooth)
{
	struct img *im = img_new(w, h, NULL);
	size_t i;

	for (i = 0; i < (size_t)w * h * 3; i++)
		im->rgb[i] = smooth ? (uint8_t)(i / 3 % (size_t)w * 255 / w) : (uint8_t)(i * 2654435761u >> 24);
	return im;
}

int main(void)
{
	struct display_config cfg = { 0 };
	struct display d;
	struct display_scene sc;
	struct counts c;
	struct img *im = picture(120, 90, 0), *big;
	struct pyr p, bp;
	struct view v, bv;
	char *cause = NULL;
	int fds[2], n;

	if (pipe(fds) != 0 || fcntl(fds[0], F_SETFL, O_NONBLOCK) != 0 || fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0)
		return tap_ok(0, "a pipe"), tap_done();
	/* A pipe holds 64 KB: a bigger one for the large image's frames. */
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
	cfg.fd = fds[1];
	cfg.cell_w = CW;
	cfg.cell_h = CH;
	tap_ok(display_open(&d, display_find("kitty"), &cfg, &cause) == 0 && !strcmp(display_name(&d), "kitty") &&
	    display_has(&d, DISPLAY_OWN_CURSOR) && display_has(&d, DISPLAY_FONT_CELLS) && display_has(&d, DISPLAY_LAYER),
	    "kitty: open, named, its own cursor, cells of the font's pixels, a layer over the text");
	display_place(&d, 0, 0, COLS, ROWS);
	pyr_build(&p, im);
	view_init(&v, im->w, im->h, W, H, CW, CH);
	memset(&sc, 0, sizeof(sc));
	sc.pyr = &p;
	sc.view = &v;
	sc.serial = 1;
	sc.cursor = 1;
	sc.cursor_col = 5;
	sc.cursor_row = 5;

	tap_ok(display_draw(&d, &sc, &cause) == 0, "the first frame");
	drain(fds[0], &c);
	/* The image, the background's pixel, the ring. */
	tap_ok(c.transmits == 3 && c.puts >= 3 && c.bytes == (long)display_bytes(&d),
	    "sends the image once, the background and the ring, and places them (%d, %d; %ld bytes)", c.transmits, c.puts, c.bytes);
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.bytes == 0, "the same scene again: nothing");
	sc.cursor_col = 6;
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 0 && c.puts == 1 && c.bytes < 100, "a cursor step: one placement (%ld bytes)", c.bytes);
	view_zoom_at(&v, 4, W / 2.0, H / 2.0);
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 0 && c.puts > 0 && c.bytes < 2048, "a zoom: placements only (%d, %ld bytes)", c.puts, c.bytes);
	view_pan(&v, 3 * CW, 2 * CH);
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 0 && c.puts > 0 && c.bytes < 2048, "a pan: placements only (%d, %ld bytes)", c.puts, c.bytes);

	n = display_wipe(&d, COLS + 10, ROWS + 1);
	drain(fds[0], &c);
	tap_ok(n == 0 && c.deletes >= 3 && c.frees == 0 && c.transmits == 0,
	    "the help's wipe: placements off, the images kept, no repaint asked (%d deletions)", c.deletes);
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 0 && c.puts >= 3, "after it the image comes back by placements alone (%ld bytes)", c.bytes);

	display_invalidate(&d);
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.frees >= 3 && c.transmits == 3, "invalidated (a clear frees kitty's images): deleted and sent again (%d, %d)",
	    c.frees, c.transmits);
	sc.serial = 2;
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 1, "another image (serial): its own upload");

	/* A large image at 1:1: the coarse level at once, the tiles on idle frames. */
	big = picture(3000, 2000, 1);
	pyr_build(&bp, big);
	view_init(&bv, big->w, big->h, W, H, CW, CH);
	view_zoom_at(&bv, 1.0 / bv.zoom, W / 2.0, H / 2.0);
	sc.pyr = &bp;
	sc.view = &bv;
	sc.serial = 3;
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 1 && display_pending(&d), "a large image at 1:1: one coarse image first, tiles pending (%ld bytes)",
	    c.bytes);
	for (n = 0; n < 40 && display_pending(&d); n++) {
		d.idle = 1;
		(void)display_draw(&d, &sc, &cause);
		d.idle = 0;
		drain(fds[0], &c);
	}
	tap_ok(!display_pending(&d) && n > 1, "idle frames send the tiles in view and around it, a few at a time (%d frames)", n);
	view_pan(&bv, 4 * CW, 0);
	(void)display_draw(&d, &sc, &cause);
	drain(fds[0], &c);
	tap_ok(c.transmits == 0 && c.bytes < 4096, "then a pan: placements only (%ld bytes)", c.bytes);

	display_release(&d);
	drain(fds[0], &c);
	tap_ok(c.frees >= 5 && c.transmits == 0 && c.puts == 0, "leaving deletes every image (%d)", c.frees);
	display_close(&d);
	pyr_free(&p);
	pyr_free(&bp);
	img_free(im);
	img_free(big);
	close(fds[0]);
	close(fds[1]);
	free(cause);
	return tap_done();
}
