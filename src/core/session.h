/* session.h: the annotator without a terminal. A session is a list of images and the one open
 * now, with its lock, its document and the masks composed from it, and every rule of the
 * annotator: what closing an outline does (new instance, add to or cut from the selected one,
 * over or behind; an outline that holds no pixel is refused), undo and redo (also after leaving
 * an image and coming back), autosave after every edit and the masks once the user is idle,
 * drafts and the resume point in the state folder, the review state and the count of images
 * done, and the search for the next image with unlabeled pixels.
 *
 * The session never calls the UI: it tells what happened through return values and one
 * message at a time (session_take_message), and the UI decides how to show it. Time is passed
 * in (session_set_time, session_tick), so a test drives a session with no clock and no
 * terminal. The fields of struct session are for reading; change them through the functions,
 * except the drawing settings marked "the UI sets". */
#ifndef PXL_SESSION_H
#define PXL_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "dataset.h"
#include "compose.h"
#include "doc.h"
#include "img.h"
#include "item.h"
#include "lock.h"
#include "raster.h"
#include "sliver.h"

#define SESSION_KEPT_DOCS 8    /* documents of images left, kept with their undo history */
#define SESSION_MASK_IDLE 1.5  /* seconds without an edit before the masks are written */

/* What closing an outline does: a new instance, or a shape added to or cut from the selected
 * instance. */
enum session_mode { SESSION_NEW, SESSION_ADD, SESSION_CUT };

/* Edits of the selected instance. */
enum session_edit {
	SESSION_RAISE,        /* one step up the z-order */
	SESSION_LOWER,        /* one step down */
	SESSION_DELETE,
	SESSION_SET_CLASS,    /* to the current class */
	SESSION_SET_PARENT,   /* part of another instance (session_edit_instance's parent) */
	SESSION_CLEAR_PARENT,
};

struct session_opts {
	/* A folder's real path: the session starts at the image the last one left there, and
	 * records where this one is. NULL: no resume. */
	const char *resume_key;
	/* Where drafts and resume points live. NULL: $XDG_STATE_HOME/pxlabel, else
	 * $HOME/.local/state/pxlabel; none when neither is an absolute path. */
	const char *state_dir;
	struct img_limits limits; /* for decoding the images */
	/* `--queue NAME`: the person, and per image whether it is shared (queue.h), so labelled
	 * into the person's own files. NULL: nobody's. Borrowed for the session's life. */
	const char *person;
	const unsigned char *shared;
};

/* A document of an image left during this session, with its undo history. */
struct session_kept {
	char *image;      /* owned */
	struct doc *doc;  /* owned */
	struct stat st;   /* the sidecar as this session left it */
};

struct session {
	char **images;    /* borrowed from the caller for the session's life */
	size_t nimages, cur;
	uint8_t *done;    /* owned, per image: its review state counts as done */
	size_t ndone;
	char *resume_key; /* owned, or NULL */
	char *state_dir;  /* owned, or NULL */
	const char *person;          /* borrowed, session_opts' */
	const unsigned char *shared;
	struct img_load_opts load;

	/* The current image. im is NULL when it could not be opened (the message says why). */
	struct img *im;
	struct img *im_flat; /* im over a flat colour, for the tools, when im has an alpha plane */
	struct item it;
	int have_item;
	char *open_error; /* set: the image is open read-only, and this says why */
	struct lock lock;
	char *save_error; /* why the last save failed; NULL once a save succeeds */
	char *mask_error; /* why the last mask write failed; NULL once one succeeds */
	char *unsaved;    /* "IMAGE: edits not saved: CAUSE\n" lines, for the exit message */
	struct compose comp;
	uint8_t class_rgb[256][3]; /* the overlay colours of the class ids */
	struct session_kept kept[SESSION_KEPT_DOCS];
	size_t nkept;
	uint64_t saved_edits; /* the document's edit count at the last save */
	int masks_dirty;      /* the sidecar is newer than the masks on disk */
	double now;           /* the time last told (seconds, any origin) */
	double last_save;     /* when the sidecar was last written */
	double lock_touched;  /* when the lock was last refreshed */

	/* The outline in progress, in fixed point; pen: vertices follow the cursor. */
	raster_pt *pts;
	uint8_t *pt_joined; /* 1: pts[i] was placed in one step with pts[i - 1] (a scissors path) */
	size_t npts, cappts;
	int pen;

	/* The drawing settings: the UI sets these. */
	enum session_mode mode;
	int behind;       /* a new instance goes under the others */
	int snap;         /* vertices snap to existing vertices and edges */
	int edge_snap;    /* else to the picture's own edges (edge.h) */
	size_t class_idx; /* into it.ds.classes */
	uint16_t selected;

	/* Small stray parts of instances in the current image (sliver.h), kept up to date after
	 * each edit; the edit that made new ones says so. */
	struct sliver *slivers;
	size_t nslivers, capslivers;
	size_t sliver_next;     /* where session_next_sliver goes next */
	size_t sliver_news;     /* new ones the last edit made, not said yet */
	uint16_t sliver_inst[4]; /* their instances (the first few), for the message */

	/* An edit of an image marked done: the review change made with it (see session.c). */
	size_t review_auto;     /* the undo depth of that change, 0 for none */
	char review_was[40];    /* what the review was, for the message */
	int review_note;        /* the last edit made it: say so */

	char msg[256];
	int msg_set;
};

/* A session over images (borrowed: they must outlive it). No image is open yet: call
 * session_goto with session_resume_index. Never fails (allocation failure exits). Reads the
 * head of every image's sidecar to count the images done. */
struct session *session_new(char **images, size_t nimages, const struct session_opts *opts)
    __attribute__((nonnull(1, 3)));
/* Closes the current image (saving it) and frees the session; session_unsaved is gone then,
 * so read it first. */
void session_free(struct session *s);
/* Ends the session: with keep_draft (a hang-up, a kill, or q said twice over an outline), an
 * outline in progress goes to the state folder as a draft, since it is not an edit yet and so
 * not in the sidecar; then the current image is saved and closed. */
void session_end(struct session *s, int keep_draft);
/* What could not be saved, one line an image, or NULL: to tell on the way out. Borrowed. */
const char *session_unsaved(const struct session *s);

/* The image where a folder's last session left off (0 when none). */
size_t session_resume_index(const struct session *s);
/* Closes the current image (its edits saved, its document kept for undo) and opens image
 * index: the image, its document, the lock. Returns 0 when it is open (maybe read-only: see
 * open_error), -1 when it could not be opened (s->im NULL; the message says why). */
int session_goto(struct session *s, size_t index);
/* The image one step away (dir +1 or -1), to pass to session_goto, or -1 with a message: an
 * outline is in progress, or there is no image that way. */
long session_step(struct session *s, int dir);
/* The next image, in order from the current one and around, whose outlines leave some pixel
 * unlabeled (an image without a sidecar counts; one that cannot be read does not), or -1 with
 * a message when every other image is fully labeled. */
long session_find_unlabeled(struct session *s);

/* The clock: the time now, for the edits that follow (any origin, seconds). The lock is
 * touched here too when LOCK_REFRESH_SECONDS have passed, so a stream of keys with no idle
 * moment does not let it go silent; a lock found taken over makes the image read-only. */
void session_set_time(struct session *s, double now);
/* Idle at time now: the lock is touched as in session_set_time, and the masks catch up with
 * the sidecar once SESSION_MASK_IDLE seconds passed since it was written. Returns 1 when
 * something was done (the screen may show it). */
int session_tick(struct session *s, double now);

/* A message for the user, at most one at a time (the last wins). Returns 1 and copies it into
 * buf when one was set since the last call (an empty one means: clear the message shown);
 * 0 when nothing changed. */
int session_take_message(struct session *s, char *buf, size_t n);

/* The outline in progress. Adding a vertex is refused (with a message) on a read-only image;
 * a vertex equal to the last one is not added again. */
int session_add_vertex(struct session *s, raster_pt p);
/* The pen: when down, each session_pen_to adds the point as a vertex. */
void session_toggle_pen(struct session *s, raster_pt at);
void session_pen_to(struct session *s, raster_pt p);
/* Removes the last step of the outline in progress: one vertex, or a vertex with the path
 * session_place_path placed before it. */
void session_drop_vertex(struct session *s);
/* Drops the outline in progress and lifts the pen. */
void session_cancel(struct session *s);
/* Applies the outline in progress by the mode: a new instance of the current class (over or
 * behind), or a shape added to or cut from the selected instance. An outline of fewer than 3
 * vertices, with no instance selected to add to or cut from, or (for a new instance) holding
 * no pixel centre, is refused and changes nothing. Returns 0 when the document changed. */
int session_close_outline(struct session *s);

/* The same for a region that a tool made (a magic wand's pixel-edge outline, with holes): rings
 * under non-zero winding, applied by the mode; the outline in progress is left as it is. */
int session_apply_rings(struct session *s, const raster_ring *rings, size_t nrings);

/* The point for a vertex at image point (ix, iy): in fixed point, snapped (when snap is on) to
 * an existing vertex or edge within radius image pixels. *kind says what it snapped to. */
raster_pt session_snap(const struct session *s, double ix, double iy, double radius,
    enum doc_snap_kind *kind);

/* The same with what it snaps to, for the status line to say before the vertex is placed.
 * Outlines and the border come first (shared geometry must be exact); only when none is in
 * reach does edge snapping move the vertex onto the strongest edge of the picture within a
 * cell (radius / 1.5, 2 to SESSION_EDGE_REACH pixels). */
#define SESSION_EDGE_REACH 8.0
struct session_snap {
	raster_pt at;            /* where a vertex placed now goes */
	enum doc_snap_kind kind; /* onto a vertex or edge of an outline or of the image's border */
	uint16_t inst;           /* the instance of that vertex or edge; 0: the image's border */
	int image_edge;          /* else moved onto an edge of the picture */
	double moved;            /* how far that moved it, in pixels */
};
void session_snap_find(const struct session *s, double ix, double iy, double radius,
    struct session_snap *out);
/* In words: "vertex of #3", "edge of #3", "image corner", "image border", "image edge 1.2 px";
 * "" for none. */
void session_snap_describe(const struct session_snap *sn, char *buf, size_t n);
/* A vertex where session_snap_find puts it; a vertex moved onto the picture's edge says so. */
int session_place_vertex(struct session *s, double ix, double iy, double radius);
/* The picture the tools read (edge snapping, the wand, superpixels, scissors): the image,
 * or for one with transparency the image over a flat colour its opaque pixels keep away from
 * (img_unused_colour), so that a transparent background is one region, not the checkerboard's
 * squares, and not one with a black shape on it. NULL when no image is open. */
const struct img *session_tool_image(const struct session *s);
/* The vertices via (an edge-following path from the last vertex), then a vertex as
 * session_place_vertex puts it, as one step: Backspace and undo take them back together. */
int session_place_path(struct session *s, const raster_pt *via, size_t n, double ix, double iy, double radius);
/* The vertices via as one step (the edge-following path that closes an outline). */
int session_add_path(struct session *s, const raster_pt *via, size_t n);

/* The last vertex when an outline is in progress, else the last edit. 1 when something was
 * undone. */
int session_undo(struct session *s);
int session_redo(struct session *s);

/* The instance whose pixel is at image point (ix, iy), 0 for none. */
uint16_t session_instance_at(const struct session *s, double ix, double iy);
/* Selects the instance at (ix, iy) (a message when there is none). */
void session_select_at(struct session *s, double ix, double iy);
/* Selects the next instance up (dir 1) or down (-1) the z-order, around. */
void session_select_step(struct session *s, int dir);
/* Edits the selected instance; parent is the instance it becomes part of (SESSION_SET_PARENT).
 * Returns 0 when the document changed. */
int session_edit_instance(struct session *s, enum session_edit op, uint16_t parent);

/* The current class, or NULL when the data set has none. */
const struct dataset_class *session_class(const struct session *s);
void session_class_step(struct session *s, int dir);
/* Makes the class with hotkey key current; 0 when no class has that key. */
int session_class_key(struct session *s, int key);

/* How counts and class keys share the digits. A class whose key is a digit always gets that
 * digit, and then a count starts with the count key (the UI's); in a data set whose classes
 * use no digit, digits alone are counts, as in vim. Once a count has started, every digit
 * (0 too) goes on with it. */
enum session_digit { SESSION_DIGIT_COUNT, SESSION_DIGIT_CLASS, SESSION_DIGIT_NONE };
enum session_digit session_digit(const struct session *s, int ch, int counting);
/* Some class of the data set has a digit for its key. */
int session_class_digits(const struct session *s);

/* The next small stray part of an instance in this image (parts under the data set's
 * sliver_pixels, in an instance with more pixels elsewhere), round the list: selects its
 * instance, sets (*ix, *iy) to the centre of its first pixel and says which it is. -1 with a
 * message when there is none. */
int session_next_sliver(struct session *s, double *ix, double *iy);

/* An edit of an image whose review counts as done ("done", "accepted") sets its review to
 * this first, and says so: the work changed after it was reviewed. The change is undone and
 * redone with the edit. */
#define SESSION_REVIEW_CHANGED "changed"

/* Marks the image done, or back to "todo" when it was done (and counts it). */
int session_toggle_done(struct session *s);
/* A reviewer's verdict on the open image: state ("approved", "rejected", ...) with the
 * reviewer's name, the time (seconds since the epoch) and a comment (each may be NULL / 0),
 * one undo step, saved at once. -1 with a message when the image is read-only or the comment
 * is refused (over DOC_MAX_COMMENT bytes, controls, invalid UTF-8). */
int session_review(struct session *s, const char *state, const char *comment, const char *reviewer,
    int64_t when);
/* The comment of a rejected open image, to show; NULL for any other. Borrowed. */
const char *session_review_comment(const struct session *s);
/* The one rule for "done": a review state of "done" (the annotator's D), "approved" (a
 * reviewer's approval of work that was done) or "accepted" (the same, as older review tools
 * wrote it). Used by the annotator's count and by stats. */
int session_review_done(const char *review);

/* Edits not yet written to the sidecar. */
int session_unsaved_edits(const struct session *s);
/* The fraction of the image's pixels that some instance holds. */
double session_labeled_fraction(const struct session *s);

#endif
