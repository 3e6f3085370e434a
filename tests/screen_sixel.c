/* screen_sixel.c: the annotator in sixel mode, in a pty, against a fake sixel terminal. This
 * program plays the terminal: it answers the query burst as xterm -ti vt340 does (sixel, 256
 * registers, 10x20 cells through TIOCGWINSZ), types keys, and keeps a screen of pixels: each
 * sixel the annotator writes is decoded with libsixel and pasted at the cell its cursor
 * position named; text written over a cell erases its pixels, as in xterm, but EL, ED and ECH
 * do not (as in some terminals), so only spaces wipe an image. Checked against the core's own
 * view_render for the same view: the first screen, a zoom; and that a cursor step or a vertex
 * sends a small patch where the change is, the help wipes the image, nothing scrolls or lands
 * in the bottom row, the register count is respected, keys typed during detection are kept,
 * and blocks are chosen when the terminal has no sixel. Nothing is timed: after each key the
 * test reads until the frame it looks at has ended (the DECRC after the image area's update,
 * below a status line saying what the step is waiting for), so a loaded machine is only
 * slower; PTYTERM_WAIT_MS bounds the wait when that never comes. The terminal common to both
 * screen tests is tests/ptyterm.c; this file keeps what is sixel's: the decoder and its patches. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#pragma push_macro("PACKAGE_VERSION")
#undef PACKAGE_VERSION
#include <sixel.h>
#undef PACKAGE_VERSION
#pragma pop_macro("PACKAGE_VERSION")

#include "ptyterm.h"
#include "tap.h"
#include "view.h"

/* The area's last pixel rows past the last whole 6-pixel sixel band are not drawn: a band
 * reaching into the status line would scroll the screen. */
#define BANDED(h) ((h) - (h) % 6)
#define MAX_PATCHES 64

/* What xterm 379 -ti vt340 with 256 registers answers to TQUERY_BURST (CSI 16t left out:
 * xterm answers it only with allowWindowOps). %d: the registers. */
#define REPLY "\033[?1;0;%dS\033[?2;0;%d;%dS\033[?63;1;2;4;6;9;15;16;22;28c"
#define REPLY_NO_SIXEL "\033[?1;3;0S\033[?2;3;0S\033[?63;1;2;6;9;15;16;22;28c"

struct patch {
	int x, y, w, h; /* pixels */
};

/* What the sixel terminal keeps beside ptyterm's screen. */
struct sixterm {
	int bad_sixel, max_reg;
	int npatches;              /* this step's */
	struct patch patches[MAX_PATCHES];
};

/* A DCS: a sixel image, decoded and pasted at the cursor's cell. */
static void sixel(struct ptyterm *t, const char *p, size_t n)
{
	struct sixterm *sx = t->arg;
	unsigned char *pixels = NULL, *palette = NULL;
	int w = 0, h = 0, ncolors = 0, x, y, x0 = t->col * PTYTERM_CW, y0 = t->row * PTYTERM_CH;
	const char *q;

	ptyterm_graphics(t);
	for (q = p; (q = memchr(q, '#', (size_t)(p + n - q))) != NULL; q++) {
		int reg = atoi(q + 1);

		sx->max_reg = reg > sx->max_reg ? reg : sx->max_reg;
	}
	if (SIXEL_FAILED(sixel_decode_raw((unsigned char *)p, (int)n, &pixels, &w, &h, &palette, &ncolors, NULL))) {
		sx->bad_sixel = 1;
		return;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (x0 + x < PTYTERM_W && y0 + y < PTYTERM_H)
				memcpy(t->px + 3 * ((size_t)(y0 + y) * PTYTERM_W + x0 + x), palette + 3 * pixels[(size_t)y * w + x], 3);
	if (sx->npatches < MAX_PATCHES)
		sx->patches[sx->npatches++] = (struct patch){ x0, y0, w, h };
	/* The cursor goes below the image, as in xterm (sixel scrolling on): at the bottom of the
	 * screen that would scroll. */
	t->row += (h + PTYTERM_CH - 1) / PTYTERM_CH;
	if (t->row >= PTYTERM_ROWS) {
		t->row = PTYTERM_ROWS - 1;
		t->scrolled = 1;
	}
	free(pixels);
	free(palette);
}

static void sixel_step_reset(struct ptyterm *t)
{
	struct sixterm *sx = t->arg;

	sx->npatches = 0;
}

/* xterm: text over a cell wipes its sixel pixels; EL, ED and ECH leave them. */
static const struct ptyterm_ops sixel_ops = {
	.dcs = sixel,
	.step_reset = sixel_step_reset,
	.text_wipes_pixels = 1,
};

/* Starts a run with a fresh sixel state. */
static int start(struct ptyterm *t, const char *reply, const char *typeahead, const char *ready, char *const argv[], char **cause)
{
	struct sixterm *sx = t->arg;

	memset(sx, 0, sizeof(*sx));
	return ptyterm_start(t, &(struct ptyterm_run){ .reply = reply, .typeahead = typeahead, .ready = ready, .argv = argv }, cause);
}

static double area_psnr(const struct ptyterm *t, const uint8_t *want, int sx0, int sy0, int sx1, int sy1)
{
	return ptyterm_area_psnr(t, want, BANDED(PTYTERM_AREA_H), sx0, sy0, sx1, sy1);
}

/* Whether every patch of the last step lies within cells x0..x1, y0..y1. */
static int patches_within(const struct sixterm *sx, int x0, int y0, int x1, int y1)
{
	int i;

	for (i = 0; i < sx->npatches; i++) {
		const struct patch *p = &sx->patches[i];

		if (p->x < x0 * PTYTERM_CW || p->y < y0 * PTYTERM_CH || p->x + p->w > (x1 + 1) * PTYTERM_CW || p->y + p->h > (y1 + 1) * PTYTERM_CH)
			return 0;
	}
	return sx->npatches > 0;
}

int main(void)
{
	struct ptyterm_fixture fx;
	struct sixterm sx;
	struct ptyterm t;
	struct view v;
	char reply[256];
	uint8_t *want, *before_help;
	char *cause = NULL;
	long full;
	int st, cx = PTYTERM_AREA_COLS / 2, cy = PTYTERM_AREA_ROWS / 2;

	if (ptyterm_fixture_init(&fx, "sixel", &cause) != 0)
		return ptyterm_skip(&fx, cause);
	ptyterm_init(&t, &sixel_ops, &sx);

	/* --- auto: the terminal says sixel ---------------------------------------------------- */
	snprintf(reply, sizeof(reply), REPLY, 256, PTYTERM_W, PTYTERM_H);
	{
		char *argv[] = { (char *)fx.pxlabel, fx.path, NULL };

		if (start(&t, reply, NULL, " 1/1 ", argv, &cause) != 0) {
			ptyterm_free(&t);
			return ptyterm_skip(&fx, cause);
		}
	}
	want = malloc((size_t)PTYTERM_AREA_W * PTYTERM_AREA_H * 3);
	before_help = malloc((size_t)PTYTERM_W * PTYTERM_H * 3);
	full = t.bytes;
	tap_ok(t.asked, "the annotator asks the terminal (DA1 last)");
	tap_ok(strstr(ptyterm_status_line(&t), "| sixel") != NULL, "the status line says sixel: %.60s", ptyterm_status_line(&t) + 60);
	view_init(&v, fx.im->w, fx.im->h, PTYTERM_AREA_W, PTYTERM_AREA_H, PTYTERM_CW, PTYTERM_CH);
	view_render(&v, &fx.pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30, "the first screen is the fit view in real pixels: PSNR %.2f dB > 30 (%ld bytes)", q, full);
	}
	tap_ok(!sx.bad_sixel && !t.scrolled, "every sixel decodes, nothing scrolls");
	tap_ok(ptyterm_outside_blank(&t), "no sixel pixel in the side panel or the bottom row");
	tap_ok(sx.max_reg < 256, "registers within the 256 the terminal has (highest #%d)", sx.max_reg);
	tap_ok(ptyterm_cursor_ring(&t, cx, cy), "the cursor is a white ring with a black rim around its cell's centre");

	ptyterm_step(&t, "l");
	cx++;
	tap_ok(t.bytes > 0 && t.bytes * 100 < full, "a cursor step sends %ld bytes, under 1%% of the first screen", t.bytes);
	tap_ok(patches_within(&sx, cx - 1, cy, cx, cy), "in %d patch(es) on the old and new cursor cells only", sx.npatches);
	tap_ok(area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1) > 30, "the rest of the area is unchanged");

	ptyterm_step(&t, "+");
	/* Zoom steps land on the next power of two: from 2.9x fit, 4x. */
	view_zoom_at(&v, 4.0 / v.zoom, (cx + 0.5) * PTYTERM_CW, (cy + 0.5) * PTYTERM_CH);
	view_render(&v, &fx.pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30, "a zoom step: the area is view_render's zoomed frame, PSNR %.2f dB (%ld bytes)", q, t.bytes);
	}
	tap_ok(strstr(ptyterm_status_line(&t), "| 4x |") != NULL, "the status line shows the zoom (4x)");

	ptyterm_step(&t, " ");
	{
		int px = cx * PTYTERM_CW + PTYTERM_CW / 2, py = cy * PTYTERM_CH + PTYTERM_CH / 2;
		/* The point is a pixel corner: the pixel up-left of it is in the vertex's dot. */
		const uint8_t *c = ptyterm_pixel(&t, px - 1, py - 1);

		tap_ok(t.bytes > 0 && t.bytes * 100 < full && patches_within(&sx, cx - 1, cy - 1, cx + 1, cy + 1),
		    "a vertex sends %ld bytes in %d patch(es) at the cursor", t.bytes, sx.npatches);
		tap_ok(c[0] == 0 && c[1] == 255 && c[2] == 255, "the vertex shows in cyan at the cursor's point");
	}
	ptyterm_step(&t, "4l");
	tap_ok(t.bytes * 20 < full, "moving with an outline in progress: %ld bytes for 4 cells", t.bytes);
	ptyterm_step(&t, " ");
	ptyterm_step(&t, "4j");
	ptyterm_step(&t, " ");
	ptyterm_step(&t, "\r");
	tap_ok(strstr(ptyterm_status_line(&t), "new instance #1") != NULL, "closing the outline makes an instance");
	tap_ok(t.bytes * 10 < full && patches_within(&sx, cx - 1, cy - 1, cx + 5, cy + 5),
	    "closing sends %ld bytes, around the new instance", t.bytes);
	{
		/* Inside the triangle (vertices at the cursor, 4 right, then 4 down): the class's
		 * red over the photo, not the photo. */
		int px = (cx + 3) * PTYTERM_CW + PTYTERM_CW / 2, py = (cy + 1) * PTYTERM_CH + PTYTERM_CH / 2;
		const uint8_t *c = ptyterm_pixel(&t, px, py);
		const uint8_t *w = want + 3 * ((size_t)py * PTYTERM_AREA_W + px);

		tap_ok(c[0] > w[0] + 20 || c[1] + 20 < w[1], "the new instance is filled in its class colour (%d,%d,%d over %d,%d,%d)",
		    c[0], c[1], c[2], w[0], w[1], w[2]);
	}
	memcpy(before_help, t.px, (size_t)PTYTERM_W * PTYTERM_H * 3);
	ptyterm_step_until(&t, "?", PTYTERM_HELP_SHOWN, NULL);
	tap_ok(ptyterm_all_blank(&t), "the help wipes every sixel pixel with spaces (not EL or ED)");
	tap_ok(strstr(t.text[1], "pxlabel keys") != NULL, "and shows the help");
	ptyterm_step(&t, "\033");
	tap_ok(!memcmp(before_help, t.px, (size_t)PTYTERM_W * PTYTERM_H * 3), "closing the help brings the image back, pixel for pixel");
	ptyterm_step(&t, "|");
	tap_ok(strstr(ptyterm_status_line(&t), "| sixel") && ptyterm_outside_blank(&t) == 0 && !t.scrolled,
	    "hiding the panel: the image takes the whole width");
	{
		/* A new font: the same cells, 8 pixels wide now. The kernel tells the annotator
		 * (SIGWINCH), which asks the window's size again. */
		struct winsize ws = { .ws_row = PTYTERM_ROWS, .ws_col = PTYTERM_COLS, .ws_xpixel = PTYTERM_COLS * 8, .ws_ypixel = PTYTERM_H };

		ptyterm_step_reset(&t);
		ioctl(t.fd, TIOCSWINSZ, &ws);
		(void)ptyterm_read_until(&t, PTYTERM_IMAGE_FRAME, NULL);
		tap_ok(sx.npatches >= 1 && sx.patches[0].w == PTYTERM_COLS * 8 && sx.patches[0].h == BANDED(PTYTERM_AREA_H),
		    "a font change (SIGWINCH, new pixel size) redraws in 8x20 cells (%dx%d)",
		    sx.npatches ? sx.patches[0].w : 0, sx.npatches ? sx.patches[0].h : 0);
	}
	st = ptyterm_stop(&t);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "q quits with status 0");

	/* --- 16 registers, and keys typed during detection --------------------------------- */
	snprintf(reply, sizeof(reply), REPLY, 16, PTYTERM_W, PTYTERM_H);
	{
		char *argv[] = { (char *)fx.pxlabel, "--display", "auto", fx.path, NULL };

		/* The key typed with the answer: the frame that ends its step is zoomed. */
		start(&t, reply, "+", "| 4x |", argv, NULL);
	}
	tap_ok(sx.max_reg < 16 && sx.max_reg > 0, "a terminal of 16 registers gets registers 0..15 (highest #%d)", sx.max_reg);
	tap_ok(strstr(ptyterm_status_line(&t), "| 4x |") != NULL, "a key typed right after the terminal's answer is not lost (zoomed)");
	ptyterm_stop(&t);

	/* --- no sixel: blocks ----------------------------------------------------------------- */
	{
		char *argv[] = { (char *)fx.pxlabel, fx.path, NULL };

		start(&t, REPLY_NO_SIXEL, NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(t.asked && strstr(ptyterm_status_line(&t), "| blocks") && !t.graphics_seen && ptyterm_all_blank(&t),
	    "a terminal without sixel (DA1 without 4): blocks, no DCS");
	ptyterm_stop(&t);
	{
		char *argv[] = { (char *)fx.pxlabel, "--display", "blocks", fx.path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(!t.asked && strstr(ptyterm_status_line(&t), "| blocks") && !t.graphics_seen, "--display blocks: nothing asked, blocks");
	ptyterm_stop(&t);
	{
		char *argv[] = { (char *)fx.pxlabel, "--display", "sixel", "--cell", "8x16", "--query-timeout", "0", fx.path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(!t.asked && strstr(ptyterm_status_line(&t), "| sixel") && sx.patches[0].w % 8 == 0 && sx.patches[0].h == BANDED(PTYTERM_AREA_ROWS * 16),
	    "--display sixel --cell 8x16 --query-timeout 0: sixel in 8x16 cells without asking (%dx%d)",
	    sx.patches[0].w, sx.patches[0].h);
	ptyterm_stop(&t);

	/* --- config.ini's [display] mode -------------------------------------------------------- */
	{
		char cfg[4300];
		FILE *fp;

		snprintf(cfg, sizeof(cfg), "%s/pxlabel", fx.dir);
		mkdir(cfg, 0755);
		snprintf(cfg, sizeof(cfg), "%s/pxlabel/config.ini", fx.dir);
		fp = fopen(cfg, "w");
		if (fp) {
			fputs("[display]\nmode = blocks\n", fp);
			fclose(fp);
		}
	}
	{
		char *argv[] = { (char *)fx.pxlabel, fx.path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(!t.asked && strstr(ptyterm_status_line(&t), "| blocks"), "config.ini [display] mode = blocks is the default");
	ptyterm_stop(&t);
	{
		char *argv[] = { (char *)fx.pxlabel, "--display", "auto", fx.path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(t.asked && strstr(ptyterm_status_line(&t), "| sixel"), "--display auto overrides it");
	ptyterm_stop(&t);

	free(want);
	free(before_help);
	ptyterm_free(&t);
	ptyterm_fixture_free(&fx);
	return tap_done();
}
