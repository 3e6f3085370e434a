/* ptyterm.h: the fake terminal the pty screen tests play (screen_sixel.c, screen_kitty.c). It
 * runs pxlabel in a pty of PTYTERM_COLS x PTYTERM_ROWS cells of PTYTERM_CW x PTYTERM_CH
 * pixels, keeps a text grid with a cursor and a screen of pixels, answers the device
 * attributes query (DA1) with a canned reply, and follows the annotator's frames: each update
 * of the image area comes between DECSC and DECRC, after the status line, so a DECRC ends a
 * frame. What is a terminal's own (sixel in DCS, kitty graphics in APC, what a clear of the
 * screen does to images) goes to the test through struct ptyterm_ops. Nothing is timed: a step
 * reads until what it waits for has come, PTYTERM_WAIT_MS at the most. */
#ifndef PXL_PTYTERM_H
#define PXL_PTYTERM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "img.h"
#include "sbuf.h"
#include "view.h"

#define PTYTERM_COLS 160
#define PTYTERM_ROWS 48
#define PTYTERM_CW 10
#define PTYTERM_CH 20
#define PTYTERM_W (PTYTERM_COLS * PTYTERM_CW)
#define PTYTERM_H (PTYTERM_ROWS * PTYTERM_CH)
/* The annotator's image area: the side panel (28 columns and a rule) and the status line off. */
#define PTYTERM_AREA_COLS (PTYTERM_COLS - 29)
#define PTYTERM_AREA_ROWS (PTYTERM_ROWS - 1)
#define PTYTERM_AREA_W (PTYTERM_AREA_COLS * PTYTERM_CW)
#define PTYTERM_AREA_H (PTYTERM_AREA_ROWS * PTYTERM_CH)
/* How long to wait for what a step expects: generous, since a loaded machine is slow, and
 * only a failing check waits that long. */
#define PTYTERM_WAIT_MS 60000

/* The colour of a pixel no image covers: one no image has. */
extern const uint8_t ptyterm_blank[3];

struct ptyterm;

/* What a terminal does of its own. Any hook may be NULL (the sequence is then consumed and
 * ignored). */
struct ptyterm_ops {
	/* A DCS, seq[0..n) from ESC P to the ST included. */
	void (*dcs)(struct ptyterm *t, const char *seq, size_t n);
	/* An APC, body[0..n) between ESC _ and the ST. */
	void (*apc)(struct ptyterm *t, const char *body, size_t n);
	/* ED (erase in display) with its parameter, after the text of ED 2 is erased. */
	void (*erase_display)(struct ptyterm *t, int mode);
	/* A DECRC ended a frame (t->frames counts it already). */
	void (*frame_end)(struct ptyterm *t);
	/* A step begins: the per-step counters of the test's own go to zero. */
	void (*step_reset)(struct ptyterm *t);
	/* Text written over a cell erases the pixels under it (xterm with sixel; kitty keeps
	 * images apart from text). */
	int text_wipes_pixels;
};

struct ptyterm {
	const struct ptyterm_ops *ops; /* borrowed */
	void *arg;                     /* the test's own state for its hooks; borrowed */
	int fd;                        /* the pty's master side */
	pid_t pid;
	uint8_t *px;                   /* PTYTERM_W x PTYTERM_H, RGB; owned */
	char text[PTYTERM_ROWS][PTYTERM_COLS + 1];
	int row, col, srow, scol;
	char last;                     /* the last character written, for REP */
	struct sbuf in;                /* output not parsed yet (a sequence cut by a read) */
	const char *reply;             /* sent when DA1 is asked; borrowed */
	const char *typeahead;         /* sent with the reply, in the same write; borrowed */
	int asked, scrolled;
	long bytes;                    /* this step's */
	int graphics_seen;             /* this step's: a graphics command (ptyterm_graphics) */
	/* Frames (this step's); image_frames: those that held a graphics command. */
	int frames, image_frames;
	int saved, saved_graphics;     /* inside DECSC .. DECRC; graphics came since the DECSC */
	char frame_status[PTYTERM_COLS + 1]; /* the status line the last frame ended under */
	int hung_up;                   /* the annotator's side of the pty is closed */
};

/* How one run of the annotator starts. */
struct ptyterm_run {
	const char *reply;     /* the answer to DA1 (with whatever comes before it); borrowed */
	const char *typeahead; /* keys typed in the same write as the reply, or NULL */
	const char *tmux;      /* $TMUX for the annotator, or NULL for none */
	const char *ready;     /* the first frame ends under a status line holding this */
	char *const *argv;     /* argv[0] is the program */
};

/* What a step waits for. */
enum ptyterm_until {
	PTYTERM_IMAGE_FRAME,  /* a frame that drew some of the image */
	PTYTERM_FRAME_STATUS, /* a frame ended under a status line holding the text */
	PTYTERM_HELP_SHOWN,   /* the help's title on the screen */
};

/* The terminal with its screen allocated, no annotator yet; ptyterm_free releases it. */
void ptyterm_init(struct ptyterm *t, const struct ptyterm_ops *ops, void *arg);
void ptyterm_free(struct ptyterm *t);

/* Starts the annotator on a blank screen and reads until its first frame has ended under a
 * status line holding r->ready (the query burst is answered as it is parsed). -1 with *cause
 * when there is no pty. r's strings must live until ptyterm_stop. */
int ptyterm_start(struct ptyterm *t, const struct ptyterm_run *r, char **cause);
/* Types q and reads until the annotator has gone (killing it after PTYTERM_WAIT_MS); returns
 * its wait status. The screen stays to be looked at. */
int ptyterm_stop(struct ptyterm *t);

/* Reads until u is reached (PTYTERM_WAIT_MS at most); 0 when it was, else a TAP diagnostic
 * and -1. */
int ptyterm_read_until(struct ptyterm *t, enum ptyterm_until u, const char *text);
void ptyterm_step_reset(struct ptyterm *t);
/* Types keys, then reads until what they lead to (u, text) has come. */
void ptyterm_step_until(struct ptyterm *t, const char *keys, enum ptyterm_until u, const char *text);
/* Types keys that change the image area, and reads until that change has come. */
void ptyterm_step(struct ptyterm *t, const char *keys);

/* For the graphics hooks: a graphics command came (within a frame: an image frame). */
void ptyterm_graphics(struct ptyterm *t);

const char *ptyterm_status_line(const struct ptyterm *t);
const uint8_t *ptyterm_pixel(const struct ptyterm *t, int x, int y);
/* PSNR of the image area's first h pixel rows against want (PTYTERM_AREA_W wide), leaving out
 * the cells sx0..sx1, sy0..sy1 (inclusive; the cursor's ring). */
double ptyterm_area_psnr(const struct ptyterm *t, const uint8_t *want, int h, int sx0, int sy0, int sx1, int sy1);
/* Whether no image pixel is outside the area (panel, bottom row); on the whole screen. */
int ptyterm_outside_blank(const struct ptyterm *t);
int ptyterm_all_blank(const struct ptyterm *t);
/* Whether the annotator's cursor shows at cell (cx, cy) of the area: a white ring 3.5 pixels
 * from the cell's centre, black outside it. */
int ptyterm_cursor_ring(const struct ptyterm *t, int cx, int cy);

/* What a screen test works on: data/chelsea.png copied into a folder of its own, which is
 * also XDG_CONFIG_HOME and XDG_STATE_HOME, and the image loaded with its pyramid. */
struct ptyterm_fixture {
	const char *pxlabel; /* the program, from $PXLABEL; borrowed */
	char dir[64];        /* the folder, removed by ptyterm_fixture_free */
	char path[128];      /* the copy the annotator opens */
	struct img *im;      /* owned */
	struct pyr pyr;      /* owned */
};

/* -1 with *cause (the caller's; a reason to skip) when PXLABEL is unset, the sample cannot be
 * copied or loaded. name goes into the folder's name (/tmp/pxl-NAME-XXXXXX). */
int ptyterm_fixture_init(struct ptyterm_fixture *f, const char *name, char **cause);
void ptyterm_fixture_free(struct ptyterm_fixture *f);
/* A test that cannot run: TAP's skip line with cause (freed), the fixture freed; returns 77,
 * automake's skip status, for main to return. */
int ptyterm_skip(struct ptyterm_fixture *f, char *cause);

#endif
