/* screen_kitty.c: the annotator with kitty graphics, in a pty, against a fake kitty. This
 * program plays the terminal: it answers the query burst as kitty does (the graphics query OK,
 * then DA1, 10x20 cells through TIOCGWINSZ), types keys, and keeps what kitty keeps: images by
 * id (chunks joined, base64 and zlib undone), placements with their source rectangles, cells,
 * offsets and z-index, deletions by id and placement, and a clear of the screen (ED 2) taking
 * every placement off and freeing the images left without one, as kitty does. At the end of each frame (the DECRC after the image
 * area's update) it composes the placements into a canvas, scaling with nearest neighbour as
 * kitty's GPU does, and that canvas is checked against the core's view_render for the same
 * view: the first screen, a cursor step, a zoom, a pan, a vertex and an outline closed; with
 * the bytes each step costs, that the image data is sent once and later steps only place it,
 * that the help and quitting leave no image on the screen and none in the terminal's memory.
 * And the way back: blocks in tmux (said why), sixel for a terminal that does not answer the
 * graphics query, blocks when nothing answers. Nothing is timed: each step reads until the
 * frame it looks at has ended; PTYTERM_WAIT_MS bounds the wait when that never comes. The
 * terminal common to both screen tests is tests/ptyterm.c; this file keeps what is kitty's:
 * the APC decoder (chunks, base64, zlib), the images, the placements and the canvas. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <zlib.h>

#include "ptyterm.h"
#include "tap.h"
#include "view.h"

#define MAX_IMAGES 1024
#define MAX_PLACES 4096

/* What kitty 0.26.5 answers to the burst (recorded under Xvfb), but cells of 10x20: no
 * XTSMGRAPHICS, CSI 16 t, the graphics query's OK, DA1 without sixel. */
#define REPLY_KITTY "\033[6;20;10t\033_Gi=31;OK\033\\\033[?62;c"
/* xterm -ti vt340: sixel, no graphics reply. */
#define REPLY_SIXEL "\033[?1;0;256S\033[?2;0;1600;960S\033[?63;1;2;4;6;9;15;16;22;28c"

struct kimage {
	uint32_t id;
	int w, h, bpp;
	uint8_t *px;
};

struct kplace {
	uint32_t id, pid;
	int row, col, x, y, w, h, X, Y, c, r, z;
	long order;
};

/* What the kitty terminal keeps beside ptyterm's screen, which is the canvas composed from
 * the placements at the end of each frame. */
struct kitty {
	int bad;
	long data_bytes;             /* this step's image data (a=t, a=T) */
	int transmits;               /* this step's */
	struct kimage img[MAX_IMAGES];
	int nimg;
	struct kplace pl[MAX_PLACES];
	int npl;
	long order;
	/* a chunked transmission in progress */
	struct sbuf payload;
	char keys[256];
	int loading;
};

/* The value of key k (one letter) in "a=T,f=32,...": a number, or its first character in
 * *ch for a letter value (a=T, d=I). 0 when absent. */
static int kv(const char *keys, char k, long *num, char *ch)
{
	const char *p = keys;

	while (*p) {
		if (p[0] == k && p[1] == '=') {
			if (num)
				*num = atol(p + 2);
			if (ch)
				*ch = p[2];
			return 1;
		}
		p = strchr(p, ',');
		if (!p)
			break;
		p++;
	}
	return 0;
}

static long num(const char *keys, char k)
{
	long v = 0;

	kv(keys, k, &v, NULL);
	return v;
}

static struct kimage *image(struct kitty *k, uint32_t id)
{
	int i;

	for (i = 0; i < k->nimg; i++)
		if (k->img[i].id == id)
			return &k->img[i];
	return NULL;
}

static void del_image(struct kitty *k, uint32_t id)
{
	struct kimage *m = image(k, id);

	if (!m)
		return;
	free(m->px);
	*m = k->img[--k->nimg];
}

static void del_places(struct kitty *k, uint32_t id, uint32_t pid, int all)
{
	int i;

	for (i = 0; i < k->npl;)
		if (all || (k->pl[i].id == id && (!pid || k->pl[i].pid == pid)))
			k->pl[i] = k->pl[--k->npl];
		else
			i++;
}

/* A placement of image id at the cursor. */
static void put(struct ptyterm *t, const char *keys, uint32_t id)
{
	struct kitty *k = t->arg;
	struct kplace p;
	int i;

	memset(&p, 0, sizeof(p));
	p.id = id;
	p.pid = (uint32_t)num(keys, 'p');
	p.row = t->row;
	p.col = t->col;
	p.x = (int)num(keys, 'x');
	p.y = (int)num(keys, 'y');
	p.w = (int)num(keys, 'w');
	p.h = (int)num(keys, 'h');
	p.X = (int)num(keys, 'X');
	p.Y = (int)num(keys, 'Y');
	p.c = (int)num(keys, 'c');
	p.r = (int)num(keys, 'r');
	p.z = (int)num(keys, 'z');
	p.order = k->order++;
	if (num(keys, 'C') != 1)
		k->bad = 1; /* the cursor would move: the annotator always keeps it */
	/* The same placement id replaces the placement. */
	for (i = 0; i < k->npl; i++)
		if (p.pid && k->pl[i].id == id && k->pl[i].pid == p.pid) {
			k->pl[i] = p;
			return;
		}
	if (k->npl < MAX_PLACES)
		k->pl[k->npl++] = p;
}

static int b64v(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* The whole transmission is in: decode it into an image. */
static void finish_load(struct ptyterm *t)
{
	struct kitty *k = t->arg;
	const char *keys = k->keys;
	uint32_t id = (uint32_t)num(keys, 'i');
	int w = (int)num(keys, 's'), h = (int)num(keys, 'v'), bpp = num(keys, 'f') == 32 ? 4 : 3;
	size_t i, zn = 0, need = (size_t)w * h * bpp;
	uint8_t *z = malloc(k->payload.len + 4), *px;
	uLongf n = need;
	char a = 't', o = 0;
	struct kimage *m;

	kv(keys, 'a', NULL, &a);
	kv(keys, 'o', NULL, &o);
	for (i = 0; i + 3 < k->payload.len; i += 4) {
		int v0 = b64v(k->payload.data[i]), v1 = b64v(k->payload.data[i + 1]);
		int v2 = k->payload.data[i + 2] == '=' ? 0 : b64v(k->payload.data[i + 2]);
		int v3 = k->payload.data[i + 3] == '=' ? 0 : b64v(k->payload.data[i + 3]);

		if (v0 < 0 || v1 < 0 || v2 < 0 || v3 < 0) {
			k->bad = 1;
			break;
		}
		z[zn++] = (uint8_t)(v0 << 2 | v1 >> 4);
		if (k->payload.data[i + 2] != '=')
			z[zn++] = (uint8_t)(v1 << 4 | v2 >> 2);
		if (k->payload.data[i + 3] != '=')
			z[zn++] = (uint8_t)(v2 << 6 | v3);
	}
	px = malloc(need ? need : 1);
	if (o != 'z' || w < 1 || h < 1 || uncompress(px, &n, z, (uLong)zn) != Z_OK || n != need) {
		k->bad = 1;
		free(px);
		free(z);
		return;
	}
	free(z);
	/* A new transmission under an id replaces the image and its placements. */
	del_places(k, id, 0, 0);
	del_image(k, id);
	if (k->nimg < MAX_IMAGES) {
		m = &k->img[k->nimg++];
		m->id = id;
		m->w = w;
		m->h = h;
		m->bpp = bpp;
		m->px = px;
	} else {
		free(px);
	}
	if (a == 'T')
		put(t, keys, id);
}

/* An APC: a kitty graphics command is "G", its keys, then ';' and a payload. */
static void apc(struct ptyterm *t, const char *body, size_t len)
{
	struct kitty *k = t->arg;
	char keys[256], a = 't', d = 'a';
	const char *p = body + 1, *semi;
	size_t n, kn;

	if (len < 1 || body[0] != 'G')
		return;
	n = len - 1;
	semi = memchr(p, ';', n);
	kn = semi ? (size_t)(semi - p) : n;
	snprintf(keys, sizeof(keys), "%.*s", (int)(kn < sizeof(keys) ? kn : sizeof(keys) - 1), p);
	kv(keys, 'a', NULL, &a);
	if (a == 'q' && !k->loading)
		return; /* answered with the burst's reply, when DA1 comes: in order, as kitty */
	ptyterm_graphics(t);
	if (k->loading) {
		/* A continuation: only m= and the payload. */
		if (semi)
			sbuf_add(&k->payload, semi + 1, n - kn - 1);
		k->data_bytes += (long)n;
		if (num(keys, 'm') != 1) {
			k->loading = 0;
			finish_load(t);
		}
		return;
	}
	if (a == 't' || a == 'T') {
		k->transmits++;
		k->data_bytes += (long)n;
		snprintf(k->keys, sizeof(k->keys), "%s", keys);
		k->payload.len = 0;
		if (semi)
			sbuf_add(&k->payload, semi + 1, n - kn - 1);
		if (num(keys, 'm') == 1)
			k->loading = 1;
		else
			finish_load(t);
	} else if (a == 'p') {
		uint32_t id = (uint32_t)num(keys, 'i');

		if (!image(k, id))
			k->bad = 1;
		else
			put(t, keys, id);
	} else if (a == 'd') {
		kv(keys, 'd', NULL, &d);
		if (d == 'a' || d == 'A')
			del_places(k, 0, 0, 1);
		else if (d == 'i' || d == 'I') {
			del_places(k, (uint32_t)num(keys, 'i'), (uint32_t)num(keys, 'p'), 0);
			if (d == 'I')
				del_image(k, (uint32_t)num(keys, 'i'));
		}
	}
}

static int by_z(const void *a, const void *b)
{
	const struct kplace *p = a, *q = b;

	if (p->z != q->z)
		return p->z < q->z ? -1 : 1;
	return p->order < q->order ? -1 : p->order > q->order;
}

/* The canvas from the placements, as kitty draws them: each placement's source rectangle
 * over its destination (from its cell plus offset to the end of c x r cells, or at its own
 * size), every destination pixel the source pixel under its centre; RGBA blended over. */
static void compose(struct ptyterm *t)
{
	struct kitty *k = t->arg;
	struct kplace *sorted = malloc(sizeof(*sorted) * (size_t)(k->npl ? k->npl : 1));
	int i, x, y;

	for (i = 0; i < PTYTERM_W * PTYTERM_H; i++)
		memcpy(t->px + 3 * (size_t)i, ptyterm_blank, 3);
	memcpy(sorted, k->pl, sizeof(*sorted) * (size_t)k->npl);
	qsort(sorted, (size_t)k->npl, sizeof(*sorted), by_z);
	for (i = 0; i < k->npl; i++) {
		const struct kplace *p = &sorted[i];
		const struct kimage *m = image(k, p->id);
		int sw, sh, l, tp, r, b;

		if (!m)
			continue;
		sw = p->w ? p->w : m->w;
		sh = p->h ? p->h : m->h;
		if (p->x + sw > m->w)
			sw = m->w - p->x;
		if (p->y + sh > m->h)
			sh = m->h - p->y;
		if (sw < 1 || sh < 1)
			continue;
		l = p->col * PTYTERM_CW + p->X;
		tp = p->row * PTYTERM_CH + p->Y;
		r = p->c ? (p->col + p->c) * PTYTERM_CW : l + sw;
		b = p->r ? (p->row + p->r) * PTYTERM_CH : tp + sh;
		for (y = tp; y < b && y < PTYTERM_H; y++)
			for (x = l; x < r && x < PTYTERM_W; x++) {
				int u = p->x + (int)floor((x - l + 0.5) * sw / (r - l)), v = p->y + (int)floor((y - tp + 0.5) * sh / (b - tp));
				const uint8_t *s = m->px + ((size_t)v * m->w + u) * m->bpp;
				uint8_t *dst = t->px + 3 * ((size_t)y * PTYTERM_W + x);
				int c;

				if (x < 0 || y < 0)
					continue;
				if (m->bpp == 3 || s[3] == 255)
					memcpy(dst, s, 3);
				else if (s[3])
					for (c = 0; c < 3; c++)
						dst[c] = (uint8_t)((s[c] * s[3] + dst[c] * (255 - s[3]) + 127) / 255);
			}
	}
	free(sorted);
}

/* kitty: a clear (ED 2, and ED 3 here too) blanks the text, takes every placement on screen
 * off, then frees every image left without one (ours all are). */
static void kitty_erase_display(struct ptyterm *t, int mode)
{
	struct kitty *k = t->arg;
	int i;

	if (mode != 2 && mode != 3)
		return;
	for (i = 0; i < PTYTERM_ROWS; i++)
		memset(t->text[i], ' ', PTYTERM_COLS);
	del_places(k, 0, 0, 1);
	while (k->nimg > 0)
		del_image(k, k->img[0].id);
}

static void kitty_step_reset(struct ptyterm *t)
{
	struct kitty *k = t->arg;

	k->data_bytes = 0;
	k->transmits = 0;
}

/* Text and images are apart: only the placements make the canvas, at each frame's end. */
static const struct ptyterm_ops kitty_ops = {
	.apc = apc,
	.erase_display = kitty_erase_display,
	.frame_end = compose,
	.step_reset = kitty_step_reset,
};

/* Starts a run with no image and no placement. */
static int start(struct ptyterm *t, const char *reply, const char *tmux, const char *ready, char *const argv[], char **cause)
{
	struct kitty *k = t->arg;

	k->bad = 0;
	k->nimg = k->npl = 0;
	k->order = 0;
	k->loading = 0;
	k->payload.len = 0;
	return ptyterm_start(t, &(struct ptyterm_run){ .reply = reply, .tmux = tmux, .ready = ready, .argv = argv }, cause);
}

/* Quits, then composes what the way out left (its deletions come after the last frame) and
 * frees the images still held: the counts stay to be looked at. */
static int stop(struct ptyterm *t)
{
	struct kitty *k = t->arg;
	int status = ptyterm_stop(t), i;

	compose(t);
	for (i = 0; i < k->nimg; i++) {
		free(k->img[i].px);
		k->img[i].px = NULL;
	}
	return status;
}

int main(void)
{
	struct ptyterm_fixture fx;
	struct kitty k;
	struct ptyterm t;
	struct view v;
	uint8_t *want, *before_help;
	char *cause = NULL;
	long full;
	int st, cx = PTYTERM_AREA_COLS / 2, cy = PTYTERM_AREA_ROWS / 2;

	if (ptyterm_fixture_init(&fx, "kitty", &cause) != 0)
		return ptyterm_skip(&fx, cause);
	memset(&k, 0, sizeof(k));
	sbuf_init(&k.payload);
	ptyterm_init(&t, &kitty_ops, &k);

	{
		char *argv[] = { (char *)fx.pxlabel, fx.path, NULL };

		if (start(&t, REPLY_KITTY, NULL, " 1/1 ", argv, &cause) != 0) {
			ptyterm_free(&t);
			return ptyterm_skip(&fx, cause);
		}
	}
	want = malloc((size_t)PTYTERM_AREA_W * PTYTERM_AREA_H * 3);
	before_help = malloc((size_t)PTYTERM_W * PTYTERM_H * 3);
	full = t.bytes;
	tap_ok(t.asked && strstr(ptyterm_status_line(&t), "| kitty") != NULL,
	    "auto, TERM=xterm-256color, the graphics query answered: kitty (%.40s)", ptyterm_status_line(&t) + 60);
	view_init(&v, fx.im->w, fx.im->h, PTYTERM_AREA_W, PTYTERM_AREA_H, PTYTERM_CW, PTYTERM_CH);
	view_render(&v, &fx.pyr, NULL, want);
	{
		double q = ptyterm_area_psnr(&t, want, PTYTERM_AREA_H, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30, "the first screen, composed from the placements, is the fit view: PSNR %.2f dB > 30 (%ld bytes)", q, full);
	}
	tap_ok(!k.bad, "every command decodes (zlib, base64, chunks), every placement names an image and keeps the cursor");
	tap_ok(ptyterm_outside_blank(&t), "no image pixel in the side panel or the status line");
	tap_ok(ptyterm_cursor_ring(&t, cx, cy), "the cursor is a white ring with a black rim around its cell's centre");

	ptyterm_step(&t, "l");
	cx++;
	tap_ok(t.bytes <= 100 && k.transmits == 0, "a cursor step: %ld bytes (at most 100), no image data", t.bytes);
	tap_ok(ptyterm_area_psnr(&t, want, PTYTERM_AREA_H, cx - 1, cy - 1, cx + 1, cy + 1) > 30, "the rest of the area is unchanged");

	ptyterm_step(&t, "+");
	view_zoom_at(&v, 4.0 / v.zoom, (cx + 0.5) * PTYTERM_CW, (cy + 0.5) * PTYTERM_CH);
	view_render(&v, &fx.pyr, NULL, want);
	{
		double q = ptyterm_area_psnr(&t, want, PTYTERM_AREA_H, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30 && strstr(ptyterm_status_line(&t), "| 4x |"), "a zoom step to 4x: view_render's frame, PSNR %.2f dB", q);
		tap_ok(t.bytes <= 2048 && k.transmits == 0, "it costs %ld bytes (at most 2 KB): placements only", t.bytes);
	}
	ptyterm_step(&t, " ");
	{
		int px = cx * PTYTERM_CW + PTYTERM_CW / 2, py = cy * PTYTERM_CH + PTYTERM_CH / 2;
		const uint8_t *c = ptyterm_pixel(&t, px - 1, py - 1);

		tap_ok(t.bytes <= 4096, "a vertex costs %ld bytes (at most 4 KB): overlay tiles", t.bytes);
		tap_ok(c[0] == 0 && c[1] == 255 && c[2] == 255, "the vertex shows in cyan at the cursor's point");
	}
	ptyterm_step(&t, "4l");
	ptyterm_step(&t, " ");
	ptyterm_step(&t, "4j");
	ptyterm_step(&t, " ");
	ptyterm_step(&t, "\r");
	tap_ok(strstr(ptyterm_status_line(&t), "new instance #1") != NULL, "closing the outline makes an instance");
	{
		int px = (cx + 3) * PTYTERM_CW + PTYTERM_CW / 2, py = (cy + 1) * PTYTERM_CH + PTYTERM_CH / 2;
		const uint8_t *c = ptyterm_pixel(&t, px, py);
		uint8_t w[3];

		view_render(&v, &fx.pyr, NULL, want);
		memcpy(w, want + 3 * ((size_t)py * PTYTERM_AREA_W + px), 3);
		tap_ok(c[0] > w[0] + 20 || c[1] + 20 < w[1], "the new instance is filled in its class colour over the image (%d,%d,%d over %d,%d,%d), %ld bytes",
		    c[0], c[1], c[2], w[0], w[1], w[2], t.bytes);
		tap_ok(k.transmits > 0 && k.data_bytes < 64 * 1024, "sent as overlay tiles (%d, %ld bytes), the image under them not again",
		    k.transmits, k.data_bytes);
	}
	cx += 4; /* the cursor is at the last vertex */
	cy += 4;
	/* The instance goes (undo): the frames below are compared with the image alone. */
	ptyterm_step(&t, "u");
	tap_ok(k.transmits == 0 && t.bytes < 2048, "undoing it deletes its overlay tiles (%ld bytes)", t.bytes);
	ptyterm_step(&t, "++");
	view_zoom_at(&v, 16.0 / v.zoom, (cx + 0.5) * PTYTERM_CW, (cy + 0.5) * PTYTERM_CH);
	view_render(&v, &fx.pyr, NULL, want);
	{
		double q = ptyterm_area_psnr(&t, want, PTYTERM_AREA_H, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30 && k.transmits == 0, "at 16x: PSNR %.2f dB, %ld bytes, no image data", q, t.bytes);
	}
	ptyterm_step(&t, "\033[6~");
	{
		/* Where the view went: the status line's zoom is the same, the centre moved down. */
		double q;
		int down;

		for (down = 1; down <= 64; down++) {
			struct view p = v;

			view_pan(&p, 0, down * PTYTERM_CH);
			view_render(&p, &fx.pyr, NULL, want);
			q = ptyterm_area_psnr(&t, want, PTYTERM_AREA_H, cx - 1, cy - 1, cx + 1, cy + 1);
			if (q > 30) {
				v = p;
				break;
			}
		}
		tap_ok(down <= 64, "a pan step (PgDn): view_render's frame %d cells down, PSNR %.2f dB", down, q);
		tap_ok(t.bytes <= 2048 && k.transmits == 0, "it costs %ld bytes (at most 2 KB): placements only", t.bytes);
	}
	memcpy(before_help, t.px, (size_t)PTYTERM_W * PTYTERM_H * 3);
	ptyterm_step_until(&t, "?", PTYTERM_HELP_SHOWN, NULL);
	compose(&t);
	tap_ok(ptyterm_all_blank(&t) && k.npl == 0, "the help takes every placement off the screen (%d left)", k.npl);
	ptyterm_step(&t, "\033");
	tap_ok(!memcmp(before_help, t.px, (size_t)PTYTERM_W * PTYTERM_H * 3) && k.transmits == 0,
	    "closing the help brings the same pixels back by placements alone (%ld bytes)", t.bytes);
	st = stop(&t);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "q quits with status 0");
	tap_ok(k.npl == 0 && k.nimg == 0 && ptyterm_all_blank(&t), "after quitting no placement is left, and no image in the terminal (%d, %d)",
	    k.npl, k.nimg);

	/* --- the ways back ------------------------------------------------------------------ */
	{
		char *argv[] = { (char *)fx.pxlabel, "--display", "kitty", fx.path, NULL };

		start(&t, REPLY_KITTY, "/tmp/tmux-0/default,1,0", " 1/1 ", argv, NULL);
	}
	tap_ok(strstr(ptyterm_status_line(&t), "| blocks (in tmux)") && !t.graphics_seen, "--display kitty in tmux: blocks, the status line says why");
	stop(&t);
	{
		char *argv[] = { (char *)fx.pxlabel, fx.path, NULL };

		start(&t, REPLY_KITTY, "/tmp/tmux-0/default,1,0", " 1/1 ", argv, NULL);
	}
	tap_ok(strstr(ptyterm_status_line(&t), "| blocks (in tmux)") != NULL, "auto in tmux: blocks (in tmux)");
	stop(&t);
	{
		char *argv[] = { (char *)fx.pxlabel, fx.path, NULL };

		start(&t, REPLY_SIXEL, NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(t.asked && strstr(ptyterm_status_line(&t), "| sixel") != NULL, "a terminal that does not answer the graphics query: sixel, as before");
	stop(&t);
	{
		char *argv[] = { (char *)fx.pxlabel, "--query-timeout", "300", fx.path, NULL };

		start(&t, "", NULL, " 1/1 ", argv, NULL);
	}
	tap_ok(t.asked && strstr(ptyterm_status_line(&t), "| blocks") != NULL && !t.graphics_seen, "a terminal that answers nothing: blocks");
	stop(&t);

	free(want);
	free(before_help);
	sbuf_free(&k.payload);
	ptyterm_free(&t);
	ptyterm_fixture_free(&fx);
	return tap_done();
}
