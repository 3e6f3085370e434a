/* sixelout.h: sixel output. Asks the terminal what it can show (before curses starts) and
 * turns pixels into sixel images through libsixel, with one palette per view that later
 * partial updates reuse.
 * Named sixelout, not sixel: libsixel owns the sixel_ prefix and the <sixel.h> header. */
#ifndef PXL_SIXELOUT_H
#define PXL_SIXELOUT_H

#include <stddef.h>
#include <stdint.h>

#include "img.h"
#include "sbuf.h"
#include "tquery.h"

#define SIXELOUT_TIMEOUT_MS 1000 /* enough for an answer over a slow SSH link */

/* What the terminal is, as far as sixel goes. */
struct sixelout_probe {
	struct tquery_reply reply;
	int asked;          /* the burst was written */
	int answered;       /* the DA1 reply came before the deadline */
	int waited_ms;      /* from writing the burst to the end of the wait */
	int cols, rows;     /* TIOCGWINSZ, in cells (0 when unknown) */
	int xpixel, ypixel; /* and in pixels (0 when the terminal does not say) */
	int cell_w, cell_h; /* one cell in pixels, and where that came from */
	enum tquery_cell_source cell_source;
	int colours;        /* palette size to use: the reported registers, 2..256; 256 unknown */
	int sixel;          /* the decision: draw sixel (1) or not (0) */
	enum tquery_display display; /* the decision: kitty, sixel or blocks (tquery_choose) */
	const char *why;    /* why, when worth saying (static; NULL: nothing to say) */
	/* Keys typed while the replies came in, after the DA1 reply (up to 64 bytes): the caller
	 * may feed them to its input. */
	unsigned char pending[64];
	size_t npending;
};

/* Asks the terminal on fd (a tty open for reading and writing, ideally O_NONBLOCK): switches
 * it to non-canonical, no-echo mode, writes TQUERY_BURST and reads the replies until DA1 or
 * until timeout_ms has passed since the start, whichever comes first; the terminal's modes are
 * restored on every way out, a signal included (it is then passed on to the handler that was
 * there before). Fills pr->reply, asked, answered, waited_ms, pending. -1 with *cause when
 * the terminal could not be asked (not ours, or in the background) or a signal came. */
int sixelout_query(int fd, int timeout_ms, struct sixelout_probe *pr, char **cause);

/* The whole detection for the program: opens /dev/tty, asks when worth it (see
 * tquery_worth_asking) and timeout_ms is above 0, reads the size, and decides with tquery_decide from want, $TERM and
 * $TMUX. pr is always filled with a usable answer (blocks, 10x20 cells when nothing is known);
 * -1 with *cause says why the terminal could not be asked, which the caller may ignore. */
int sixelout_probe(enum tquery_display want, int timeout_ms, struct sixelout_probe *pr, char **cause);

/* An encoder: a palette computed once for a view (an image at one zoom and one brightness,
 * contrast and gamma) and a pixel-to-palette map, used for every later encode of that view or
 * of any part of it, so a rectangle sent again matches what is around it. */
struct sixelout_enc;

/* The palette of at most max_colours (clamped to 2..256) for the w x h pixels at rgb, rows
 * stride bytes apart. Images of that few colours or fewer get exactly their colours; others a
 * median cut (libsixel's), refined to the exact mean of the pixels each entry stands for.
 * NULL with *cause on a libsixel failure. */
struct sixelout_enc *sixelout_enc_new(const uint8_t *rgb, int w, int h, size_t stride,
    int max_colours, char **cause) __attribute__((warn_unused_result));
/* The same with fixed colours: the nfixed colours at fixed (r, g, b each) are entries of the
 * palette exactly, whatever the pixels (the UI's own colours: outlines, markers); at most a
 * quarter of max_colours go to them (the first ones), the rest come from the pixels. */
struct sixelout_enc *sixelout_enc_new_fixed(const uint8_t *rgb, int w, int h, size_t stride,
    int max_colours, const uint8_t *fixed, int nfixed, char **cause) __attribute__((warn_unused_result));
void sixelout_enc_free(struct sixelout_enc *e);

/* The palette: *n entries of r, g, b. Borrowed, valid while e lives. */
const uint8_t *sixelout_enc_palette(const struct sixelout_enc *e, int *n);

/* Appends to out one sixel image (DCS q ... ST) of the w x h pixels at rgb, rows stride bytes
 * apart, each pixel drawn in its nearest palette colour, without dithering. The image
 * defines only the palette entries it uses. */
int sixelout_enc_encode(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride,
    struct sbuf *out, char **cause);
/* The same, with the colour registers numbered as the palette's entries in every image of this
 * encoder (still defining only those used): a patch then redefines a register only with the
 * colour it already has, which keeps the rest of the screen right on terminals whose registers
 * are shared by every image shown (a VT340; xterm with privateColorRegisters off). */
int sixelout_enc_encode_shared(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride,
    struct sbuf *out, char **cause);
/* The same for the rectangle x, y, w, h of im (clipped to it; nothing when empty). */
int sixelout_enc_rect(struct sixelout_enc *e, const struct img *im, int x, int y, int w, int h,
    struct sbuf *out, char **cause);

#endif
