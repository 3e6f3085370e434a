/* input.c: keys and mouse to actions (see input.h). keys.c says which action a key is; this
 * file says which session or view call an action is. */
#include "config.h"

#include "input.h"

#include <curses.h>

#include "assistui.h"
#include "chrome.h"
#include "verdict.h"
#include "frame.h"
#include "paths.h"
#include "terminal.h"

#define ZOOM_STEP 2.0 /* the mouse wheel's */
#define FAST_STEP 8   /* cells of a shifted move */

/* The pen draws where the cursor goes. */
static void moved(struct ui *u)
{
	if (u->s->pen)
		session_pen_to(u->s, frame_vertex(u, NULL));
}

static void move_cursor(struct ui *u, int dx, int dy)
{
	cursor_move(&u->cur, &u->view, dx, dy);
	moved(u);
}

/* A quarter of the area's width or height. */
static void pan(struct ui *u, int dx, int dy)
{
	cursor_pan(&u->cur, &u->view, dx * (u->view.scr_w / 4.0), dy * (u->view.scr_h / 4.0));
}

static void display_curve(struct ui *u, int *value, int step, int lo, int hi)
{
	*value += step;
	*value = *value > hi ? hi : *value < lo ? lo : *value;
	view_update_lut(&u->view);
}

static void go_to(struct ui *u, long index)
{
	if (index >= 0)
		(void)frame_open(u, (size_t)index);
}

static void instance_edit(struct ui *u, enum session_edit op)
{
	double ix, iy;

	cursor_point(&u->cur, &u->view, &ix, &iy);
	(void)session_edit_instance(u->s, op, op == SESSION_SET_PARENT ? session_instance_at(u->s, ix, iy) : 0);
}

/* What still makes sense when the current image could not be opened. */
static int works_without_image(enum action act)
{
	switch (act) {
	case ACT_NEXT_IMAGE: case ACT_PREV_IMAGE: case ACT_NEXT_UNLABELED: case ACT_HELP: case ACT_REDRAW:
	case ACT_QUIT: case ACT_PANEL: case ACT_CANCEL:
		return 1;
	default:
		return 0;
	}
}

static void do_action(struct ui *u, enum action act, int n)
{
	struct session *s = u->s;
	double ix, iy;
	int i;

	if (!s->im && !works_without_image(act)) {
		chrome_say(u, "%s could not be opened (N: next image, q: quit)", paths_base(s->images[s->cur]));
		return;
	}
	if (act != ACT_QUIT)
		u->quit_asked = 0;
	if (assistui_action(u, act))
		return;
	switch (act) {
	case ACT_LEFT: move_cursor(u, -n, 0); break;
	case ACT_RIGHT: move_cursor(u, n, 0); break;
	case ACT_UP: move_cursor(u, 0, -n); break;
	case ACT_DOWN: move_cursor(u, 0, n); break;
	case ACT_LEFT_FAST: move_cursor(u, -FAST_STEP * n, 0); break;
	case ACT_RIGHT_FAST: move_cursor(u, FAST_STEP * n, 0); break;
	case ACT_UP_FAST: move_cursor(u, 0, -FAST_STEP * n); break;
	case ACT_DOWN_FAST: move_cursor(u, 0, FAST_STEP * n); break;
	case ACT_PAN_LEFT: pan(u, -n, 0); break;
	case ACT_PAN_RIGHT: pan(u, n, 0); break;
	case ACT_PAN_UP: pan(u, 0, -n); break;
	case ACT_PAN_DOWN: pan(u, 0, n); break;
	case ACT_CENTER: cursor_centre_view(&u->cur, &u->view); break;
	case ACT_ZOOM_IN:
		for (i = 0; i < n; i++)
			cursor_zoom(&u->cur, &u->view, 1);
		break;
	case ACT_ZOOM_OUT:
		for (i = 0; i < n; i++)
			cursor_zoom(&u->cur, &u->view, 0);
		break;
	case ACT_ZOOM_FIT: cursor_fit(&u->cur, &u->view); break;
	case ACT_VERTEX:
		cursor_point(&u->cur, &u->view, &ix, &iy);
		(void)session_place_vertex(s, ix, iy, cursor_snap_radius(&u->cur, &u->view));
		break;
	case ACT_CLOSE: (void)session_close_outline(s); break;
	case ACT_UNDO_VERTEX: session_drop_vertex(s); break;
	case ACT_CANCEL:
		session_cancel(s);
		u->msg[0] = '\0';
		break;
	case ACT_FREEHAND: session_toggle_pen(s, frame_vertex(u, NULL)); break;
	case ACT_MODE_NEW: s->mode = SESSION_NEW; break;
	case ACT_MODE_ADD: s->mode = SESSION_ADD; break;
	case ACT_MODE_ERASE: s->mode = SESSION_CUT; break;
	case ACT_BEHIND: s->behind = !s->behind; break;
	case ACT_SNAP: s->snap = !s->snap; break;
	case ACT_EDGE_SNAP:
		s->edge_snap = !s->edge_snap;
		chrome_say(u, s->edge_snap ? "snapping to the picture's edges: a vertex goes onto the strongest edge "
		    "within a cell, when no outline is in reach (E: off)" : "no snapping to the picture's edges");
		break;
	case ACT_UNDO: (void)session_undo(s); break;
	case ACT_REDO: (void)session_redo(s); break;
	case ACT_CLASS_PICK: u->class_pick = 1; break;
	case ACT_CLASS_NEXT: session_class_step(s, 1); break;
	case ACT_CLASS_PREV: session_class_step(s, -1); break;
	case ACT_SELECT_UNDER:
		cursor_point(&u->cur, &u->view, &ix, &iy);
		session_select_at(s, ix, iy);
		break;
	case ACT_SELECT_NEXT: session_select_step(s, 1); break;
	case ACT_SLIVER_NEXT:
		if (session_next_sliver(s, &ix, &iy) == 0) {
			cursor_keep(&u->cur, &u->view, ix, iy);
			moved(u);
		}
		break;
	case ACT_SELECT_PREV: session_select_step(s, -1); break;
	case ACT_RAISE: instance_edit(u, SESSION_RAISE); break;
	case ACT_LOWER: instance_edit(u, SESSION_LOWER); break;
	case ACT_DELETE: instance_edit(u, SESSION_DELETE); break;
	case ACT_SET_CLASS: instance_edit(u, SESSION_SET_CLASS); break;
	case ACT_SET_PARENT: instance_edit(u, SESSION_SET_PARENT); break;
	case ACT_CLEAR_PARENT: instance_edit(u, SESSION_CLEAR_PARENT); break;
	case ACT_OVERLAY: u->overlay = (u->overlay + 1) % 3; break;
	case ACT_OPACITY: u->opacity = u->opacity >= 100 ? 25 : u->opacity + 25; break;
	case ACT_UNLABELED: u->unlabeled = !u->unlabeled; break;
	/* On a 16-bit image brightness and contrast are the window's level and width: the keys
	 * that pull a dim band of values into view (view only). */
	case ACT_BRIGHT_UP: case ACT_BRIGHT_DOWN:
		if (u->s->im && !u->s->im->rgb)
			view_window_level(&u->view, u->s->im, (act == ACT_BRIGHT_UP ? -1 : 1) * n);
		else
			display_curve(u, &u->view.brightness, (act == ACT_BRIGHT_UP ? 10 : -10) * n, -100, 100);
		break;
	case ACT_CONTRAST_UP: case ACT_CONTRAST_DOWN:
		if (u->s->im && !u->s->im->rgb)
			view_window_width(&u->view, u->s->im, (act == ACT_CONTRAST_UP ? -1 : 1) * n);
		else
			display_curve(u, &u->view.contrast, (act == ACT_CONTRAST_UP ? 10 : -10) * n, -100, 100);
		break;
	case ACT_GAMMA_UP: case ACT_GAMMA_DOWN:
		display_curve(u, &u->view.gamma10, (act == ACT_GAMMA_UP ? 1 : -1) * n, 3, 30);
		break;
	case ACT_VIEW_RESET:
		view_window_reset(&u->view);
		u->view.brightness = u->view.contrast = 0;
		u->view.gamma10 = 10;
		view_update_lut(&u->view);
		break;
	case ACT_NEXT_IMAGE: go_to(u, session_step(s, 1)); break;
	case ACT_PREV_IMAGE: go_to(u, session_step(s, -1)); break;
	case ACT_NEXT_UNLABELED: go_to(u, session_find_unlabeled(s)); break;
	case ACT_DONE: (void)session_toggle_done(s); break;
	case ACT_PANEL: u->panel = !u->panel; break;
	case ACT_HELP: u->help = !u->help; u->help_top = 0; break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		display_invalidate(&u->area);
		break;
	case ACT_QUIT:
		/* An outline in progress is no edit yet: quitting would lose it unsaid. */
		if (s->npts > 0 && !u->quit_asked) {
			u->quit_asked = 1;
			chrome_say(u, "an outline is in progress: Enter closes it, Esc drops it; q again quits and keeps it");
			break;
		}
		u->keep_draft = s->npts > 0;
		u->quit = 1;
		break;
	case ACT_GAP_NEXT: case ACT_WAND: case ACT_TOL_DOWN: case ACT_TOL_UP: case ACT_SCISSORS:
	case ACT_SP_SHOW: case ACT_SP_PICK: case ACT_SP_SIZE: case ACT_MODEL: case ACT_MODEL_EXCLUDE:
		break; /* assistui's */
	case ACT_APPROVE: case ACT_REJECT: break; /* verdict.c's, in review */
	case ACT_NONE: case ACT_REPEAT: case ACT_COUNT: break;
	}
}

static void on_mouse(struct ui *u)
{
	MEVENT ev;
	int inside, cx, cy;

	if (getmouse(&ev) != OK)
		return;
	cx = ev.x - u->area.x0;
	cy = ev.y - u->area.y0;
	inside = cx >= 0 && cy >= 0 && cx < u->area.cols && cy < u->area.rows;
	if (ev.bstate & BUTTON4_PRESSED) {
		if (inside)
			cursor_zoom_at(&u->cur, &u->view, ZOOM_STEP, (cx + 0.5) * u->area.cell_w, (cy + 0.5) * u->area.cell_h);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (ev.bstate & BUTTON5_PRESSED) {
		if (inside)
			cursor_zoom_at(&u->cur, &u->view, 1 / ZOOM_STEP, (cx + 0.5) * u->area.cell_w, (cy + 0.5) * u->area.cell_h);
		return;
	}
#endif
	if (ev.bstate & (BUTTON3_PRESSED | BUTTON3_CLICKED)) {
		(void)session_close_outline(u->s);
		return;
	}
	if (ev.bstate & BUTTON1_PRESSED) {
		u->mouse_down = 1;
		u->mouse_dragged = 0;
		u->mouse_x = ev.x;
		u->mouse_y = ev.y;
		if (inside)
			cursor_set_cell(&u->cur, &u->view, cx, cy);
		return;
	}
	if (ev.bstate & REPORT_MOUSE_POSITION) {
		if (u->mouse_down && (ev.x != u->mouse_x || ev.y != u->mouse_y)) {
			u->mouse_dragged = 1;
			if (u->s->pen) {
				/* The pen follows the mouse. */
				if (inside) {
					cursor_set_cell(&u->cur, &u->view, cx, cy);
					moved(u);
				}
			} else {
				cursor_pan(&u->cur, &u->view, (double)u->area.cell_w * (u->mouse_x - ev.x),
				    (double)u->area.cell_h * (u->mouse_y - ev.y));
			}
			u->mouse_x = ev.x;
			u->mouse_y = ev.y;
		}
		return;
	}
	if (ev.bstate & (BUTTON1_RELEASED | BUTTON1_CLICKED)) {
		int click = (ev.bstate & BUTTON1_CLICKED) || (u->mouse_down && !u->mouse_dragged);

		u->mouse_down = 0;
		if (click && inside) {
			cursor_set_cell(&u->cur, &u->view, cx, cy);
			do_action(u, ACT_VERTEX, 1);
		}
	}
}

void input_key(struct ui *u, int ch)
{
	enum action act;
	int n;

	if (u->help) {
		if (!chrome_help_key(u, ch) && (ch == 27 || ch == '?' || ch == 'q' || ch == KEY_F(1)))
			u->help = 0;
		return;
	}
	if (ch == KEY_MOUSE) {
		if (u->s->im) {
			u->msg[0] = '\0';
			on_mouse(u);
		}
		return;
	}
	if (ch == KEY_RESIZE) {
		terminal_check_cells(u);
		display_invalidate(&u->area);
		return;
	}
	if (verdict_key(u, ch))
		return;
	if (u->class_pick) {
		u->class_pick = 0;
		if (!session_class_key(u->s, ch) && ch != 27)
			chrome_say(u, "no class has the key %s", keys_name(ch));
		return;
	}
	/* Digits are counts ("5l") or class keys, by the session's rule (session_digit). */
	if (ch >= '0' && ch <= '9') {
		switch (session_digit(u->s, ch, u->counting)) {
		case SESSION_DIGIT_COUNT:
			if (u->count < 10000)
				u->count = u->count * 10 + (ch - '0');
			u->counting = 1;
			return;
		case SESSION_DIGIT_CLASS:
			(void)session_class_key(u->s, ch);
			u->msg[0] = '\0';
			return;
		case SESSION_DIGIT_NONE:
			if (session_class_digits(u->s))
				chrome_say(u, "no class has the key %c (classes take the digits here: a count starts with %s)",
				    ch, keys_describe(u->keys, ACT_REPEAT));
			else
				chrome_say(u, "%c does nothing here (? lists the keys)", ch);
			return;
		}
	}
	act = keys_action(u->keys, ch);
	if (act == ACT_REPEAT) {
		u->counting = 1;
		u->count = 0;
		return;
	}
	n = u->count > 0 ? u->count : 1;
	u->count = 0;
	u->counting = 0;
	if (act == ACT_NONE) {
		/* A class's own key selects it when nothing else is bound to that key. */
		if (!session_class_key(u->s, ch))
			chrome_say(u, "%s does nothing here (? lists the keys)", keys_name(ch));
		return;
	}
	if (act != ACT_CANCEL && act != ACT_HELP)
		u->msg[0] = '\0';
	do_action(u, act, n);
}
