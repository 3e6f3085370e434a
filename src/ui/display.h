/* display.h: the image area of the annotator's screen, behind one small interface. ncurses
 * owns the rest of the screen and never writes here; a display owns these cells and shows a
 * scene in them, each implementation in its own way (half blocks, sixel, kitty graphics),
 * sending only what changed, between DECSC and DECRC so that ncurses' idea of the terminal
 * stays true. The loop never knows which display is on.
 *
 * A scene is what the area shows, as layers, bottom up:
 *   1. the image: a pyramid of the image (level 0 and its halvings) through a view (zoom and pan,
 *      i.e. a source rectangle, see display_scene_source; brightness, contrast, gamma);
 *   2. the masks: the composition in class colours (filled, outlined or off);
 *   3. the marks: lines and dots in screen pixels (the outline in progress, snap target);
 *   4. the cursor: a cell, and the point in it where a vertex goes (before snapping).
 * Blocks and sixel render the scene to pixels (view_render, then the marks; sixel adds a ring
 * around the cursor's point, blocks paint the half of its cell that holds the point in a loud
 * colour, beside the terminal's cursor) and send the cells that differ from what the terminal
 * shows. A display whose terminal keeps images (kitty)
 * can upload the image once and move placements when only the source rectangle changed, keeping
 * the layers above it as an overlay of their own. */
#ifndef PXL_DISPLAY_H
#define PXL_DISPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "colour.h"
#include "sbuf.h"
#include "view.h"

/* ---- the scene ----------------------------------------------------------------------- */

enum display_mark_kind {
	DISPLAY_MARK_LINE, /* from (x0, y0) to (x1, y1), screen pixels, one pixel wide */
	DISPLAY_MARK_DOT   /* a square of side 2r+1 centred on pixel (x0, y0) */
};

struct display_mark {
	enum display_mark_kind kind;
	double x0, y0, x1, y1;
	int r;
	uint8_t rgb[3];
};

/* A list of marks the caller fills for each frame. */
struct display_marks {
	struct display_mark *v; /* owned */
	size_t n, cap;
};

void display_marks_line(struct display_marks *m, double x0, double y0, double x1, double y1, const uint8_t *rgb);
void display_marks_dot(struct display_marks *m, int x, int y, int r, const uint8_t *rgb);
void display_marks_free(struct display_marks *m);

/* How many class colours a scene offers as likely fills (see likely). */
#define DISPLAY_LIKELY 8

struct display_scene {
	/* 1. The image. view->scr_w x scr_h must be the area's cols * cell_w x rows * cell_h. */
	const struct pyr *pyr;
	const struct view *view;
	/* Changes whenever another image is shown (or the same file opened again): what a display
	 * keeps of an image (a palette, an upload) belongs to one serial. */
	uint64_t serial;
	/* A stand-in while the image loads (a reduced decode, no masks, no cursor): shown once and
	 * soon replaced, so nothing is worth keeping from it. */
	int preview;
	/* 2. The masks (overlay.masks NULL: none). */
	struct view_overlay_opts overlay;
	/* 3. The marks. */
	const struct display_mark *marks;
	size_t nmarks;
	/* 4. The cursor, when shown: its cell in the area, and its point: with cursor_exact,
	 * (cursor_x, cursor_y) in screen pixels of the area, else the cell's centre. */
	int cursor;
	int cursor_col, cursor_row;
	int cursor_exact;
	double cursor_x, cursor_y;
	/* Colours a display with a palette keeps exact: the marks', the selected outline's, the
	 * most important first. */
	const uint8_t (*exact)[3];
	int nexact;
	/* Class colours the masks are likely to be filled with next (the current class first), for
	 * a palette made before they are drawn. */
	uint8_t likely[DISPLAY_LIKELY][3];
	int nlikely;
};

/* Draws the marks into px (w x h pixels of bpp bytes, 3: RGB, 4: RGBA, made opaque where
 * drawn), clipped to it. */
void display_marks_draw(const struct display_mark *m, size_t n, uint8_t *px, int w, int h, int bpp);
/* Draws the cursor ring of a pixel display into px (as above): a square ring around the point
 * (x, y), white inside black, leaving the pixels at the point visible, sized for cells of
 * cell_w x cell_h. */
void display_ring_draw(double x, double y, int cell_w, int cell_h, uint8_t *px, int w, int h, int bpp);
/* The ring's colours: white, black. */
extern const uint8_t display_ring_rgb[2][3];
/* The scene's cursor point in screen pixels of the area, for cells of cell_w x cell_h. */
void display_cursor_point(const struct display_scene *s, int cell_w, int cell_h, double *x, double *y);
/* Paints the pixel of px (as above) holding the point (x, y) in the one of display_loud_rgb that
 * differs most from the pixels around it: the cursor of a display with a terminal cursor,
 * which alone is easy to lose on a photo. */
void display_cursor_mark(double x, double y, uint8_t *px, int w, int h, int bpp);
/* Magenta, cyan, yellow. */
extern const uint8_t display_loud_rgb[3][3];

/* The part of the image a scene's view shows, for a display that places the image itself:
 * the pyramid level view_render samples (the coarsest no coarser than the screen), the
 * rectangle of that level shown (level pixels, continuous, clipped to the image), and where it
 * lands (screen pixels of the area, continuous). w = 0: nothing of the image is in view. */
struct display_source {
	int level;                       /* 0: the image itself */
	const struct img *img;           /* that level (borrowed from the scene's pyramid) */
	double x, y, w, h;               /* in that level's pixels */
	double dst_x, dst_y, dst_w, dst_h; /* in screen pixels */
};
void display_scene_source(const struct display_scene *s, struct display_source *src);

/* ---- the display --------------------------------------------------------------------- */

struct display;

/* What an implementation can do, beyond the interface. */
enum {
	DISPLAY_OWN_CURSOR = 1, /* draws the cursor into the image: hide the terminal's */
	DISPLAY_FONT_CELLS = 2, /* a cell is the font's pixels (which change with the font) */
	DISPLAY_LAYER = 4       /* the image is a layer over the text (kitty): wiping it leaves
	                           the text's cells as they were, with nothing to repaint */
};

/* How a display starts: what the terminal said, what the user chose. */
struct display_config {
	int fd;                 /* the terminal, written to directly */
	enum colour_mode mode;  /* blocks: the colours the terminal has */
	int tolerance;          /* blocks: see blocks_pen */
	int cell_w, cell_h;     /* pixel displays: one cell in pixels */
	int colours;            /* sixel: the colour registers, 2..256 */
	int max_w, max_h;       /* sixel: the largest image the terminal draws (0: no limit) */
};

/* An implementation: one file each (display_blocks.c, display_sixel.c), listed in display.c. */
struct display_ops {
	const char *name; /* for --display and the status line */
	unsigned flags;   /* DISPLAY_* */
	/* Sets d->impl, and d->cell_w, cell_h (blocks: 1x2 pixels a cell). */
	int (*create)(struct display *d, const struct display_config *cfg, char **cause);
	void (*free)(struct display *d);
	/* A new font: d->cell_w, cell_h are set; display_place follows. NULL: not affected. */
	void (*set_cell)(struct display *d);
	/* A new place or size (d->x0, y0, cols, rows are set): everything is sent again. */
	void (*place)(struct display *d);
	/* The terminal's cells are unknown: everything is sent again (a display whose terminal
	 * keeps images takes them as lost: a clear of the screen frees them in kitty). */
	void (*invalidate)(struct display *d);
	/* Appends to out what removes the image from the screen's rows 0..rows-1 (cols wide)
	 * before text goes over it. NULL: ncurses' repaint of the cells is enough. */
	void (*wipe)(struct display *d, int cols, int rows, struct sbuf *out);
	/* Appends to out what deletes everything the display left in the terminal (images it
	 * keeps), on the way out. NULL: nothing is kept. */
	void (*release)(struct display *d, struct sbuf *out);
	/* Whether work waits for an idle frame (display_pending). NULL: never. */
	int (*pending)(struct display *d);
	/* Appends to out what turns the area into the scene (nothing when nothing changed).
	 * -1 with *cause on a failure worth telling; what could be drawn is in out all the same. */
	int (*draw)(struct display *d, const struct display_scene *s, struct sbuf *out, char **cause);
};

/* The caller's handle. Read the geometry freely; change it through display_place and
 * display_set_cell only. */
struct display {
	const struct display_ops *ops;
	void *impl;               /* the implementation's state */
	int fd;
	int x0, y0, cols, rows;   /* the area, in cells (0-based) */
	int cell_w, cell_h;       /* screen pixels per cell */
	int drawn;                /* something is on screen since the last wipe */
	unsigned long long bytes; /* written so far, for the bandwidth tests */
	int idle;                 /* set by the caller for a draw while the user is idle: work that
	                             waited (kitty's tiles, prefetch) may be sent now */
	struct sbuf out;          /* what an operation appends, then written at once */
};

/* The implementation of that name ("blocks", "sixel"), NULL when there is none. */
const struct display_ops *display_find(const char *name);
/* Starts a display of an area of no cells (display_place gives it one). -1 with *cause. */
int display_open(struct display *d, const struct display_ops *ops, const struct display_config *cfg,
    char **cause) __attribute__((warn_unused_result));
/* Frees what the display holds; writes nothing (the terminal may be gone). */
void display_close(struct display *d);
static inline const char *display_name(const struct display *d) { return d->ops->name; }
static inline int display_has(const struct display *d, unsigned flag) { return (d->ops->flags & flag) != 0; }
static inline unsigned long long display_bytes(const struct display *d) { return d->bytes; }
/* Cells of a new size (a new font) for a DISPLAY_FONT_CELLS display; call display_place next. */
void display_set_cell(struct display *d, int cell_w, int cell_h);
/* A new place or size, in cells: everything is sent again. */
void display_place(struct display *d, int x0, int y0, int cols, int rows);
/* The terminal's cells were overwritten (a clear, a resize, a window over them). */
void display_invalidate(struct display *d);
/* Removes the image from the terminal before ncurses draws over it (help, a new layout): the
 * screen is cols x rows cells. Returns 1 when something was on screen, and the caller must then
 * have ncurses repaint everything (clearok(curscr, TRUE)); 0 for a DISPLAY_LAYER display, whose
 * wipe leaves the text as it was (and which keeps what it holds for the next draw). */
int display_wipe(struct display *d, int cols, int rows);
/* Before the terminal is given back: deletes what the terminal keeps for the display (kitty's
 * images), so nothing is left on the screen or in its memory. */
void display_release(struct display *d);
/* Whether the display has work for an idle frame: the caller then draws the same scene
 * again with d->idle set, when no key is waiting. */
static inline int display_pending(const struct display *d) { return d->ops->pending && d->ops->pending((struct display *)d); }
/* Shows the scene, sending what differs from what is shown. Call after ncurses' doupdate(),
 * which has flushed its output. -1 with *cause (cause may be NULL) when something went wrong
 * that the user should hear of; the area then shows what could be drawn. */
int display_draw(struct display *d, const struct display_scene *s, char **cause);

#endif
