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
 * frame it looks at has ended; WAIT_MS bounds the wait when that never comes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "img.h"
#include "sbuf.h"
#include "tap.h"
#include "view.h"

#define COLS 160
#define ROWS 48
#define CW 10
#define CH 20
#define W (COLS * CW)
#define H (ROWS * CH)
#define AREA_COLS (COLS - 29)
#define AREA_ROWS (ROWS - 1)
#define AREA_W (AREA_COLS * CW)
#define AREA_H (AREA_ROWS * CH)
#define WAIT_MS 60000
#define MAX_IMAGES 1024
#define MAX_PLACES 4096

/* What kitty 0.26.5 answers to the burst (recorded under Xvfb), but cells of 10x20: no
 * XTSMGRAPHICS, CSI 16 t, the graphics query's OK, DA1 without sixel. */
#define REPLY_KITTY "\033[6;20;10t\033_Gi=31;OK\033\\\033[?62;c"
/* xterm -ti vt340: sixel, no graphics reply. */
#define REPLY_SIXEL "\033[?1;0;256S\033[?2;0;1600;960S\033[?63;1;2;4;6;9;15;16;22;28c"

static const uint8_t blank[3] = { 1, 2, 3 };

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

struct term {
	int fd;
	pid_t pid;
	uint8_t *px;                 /* the composed canvas, W x H */
	char text[ROWS][COLS + 1];
	int row, col, srow, scol;
	struct sbuf in;
	const char *reply;
	int asked, apc_seen, bad;
	long bytes, data_bytes;      /* this step's, all and image data only (a=t, a=T) */
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
	int frames, image_frames, saved, saved_apc;
	char frame_status[COLS + 1];
	int hung_up;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

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

static struct kimage *image(struct term *t, uint32_t id)
{
	int i;

	for (i = 0; i < t->nimg; i++)
		if (t->img[i].id == id)
			return &t->img[i];
	return NULL;
}

static void del_image(struct term *t, uint32_t id)
{
	struct kimage *m = image(t, id);

	if (!m)
		return;
	free(m->px);
	*m = t->img[--t->nimg];
}

static void del_places(struct term *t, uint32_t id, uint32_t pid, int all)
{
	int i;

	for (i = 0; i < t->npl;)
		if (all || (t->pl[i].id == id && (!pid || t->pl[i].pid == pid)))
			t->pl[i] = t->pl[--t->npl];
		else
			i++;
}

static void put(struct term *t, const char *keys, uint32_t id)
{
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
	p.order = t->order++;
	if (num(keys, 'C') != 1)
		t->bad = 1; /* the cursor would move: the annotator always keeps it */
	/* The same placement id replaces the placement. */
	for (i = 0; i < t->npl; i++)
		if (p.pid && t->pl[i].id == id && t->pl[i].pid == p.pid) {
			t->pl[i] = p;
			return;
		}
	if (t->npl < MAX_PLACES)
		t->pl[t->npl++] = p;
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
static void finish_load(struct term *t)
{
	const char *keys = t->keys;
	uint32_t id = (uint32_t)num(keys, 'i');
	int w = (int)num(keys, 's'), h = (int)num(keys, 'v'), bpp = num(keys, 'f') == 32 ? 4 : 3;
	size_t i, zn = 0, need = (size_t)w * h * bpp;
	uint8_t *z = malloc(t->payload.len + 4), *px;
	uLongf n = need;
	char a = 't', o = 0;
	struct kimage *m;

	kv(keys, 'a', NULL, &a);
	kv(keys, 'o', NULL, &o);
	for (i = 0; i + 3 < t->payload.len; i += 4) {
		int v0 = b64v(t->payload.data[i]), v1 = b64v(t->payload.data[i + 1]);
		int v2 = t->payload.data[i + 2] == '=' ? 0 : b64v(t->payload.data[i + 2]);
		int v3 = t->payload.data[i + 3] == '=' ? 0 : b64v(t->payload.data[i + 3]);

		if (v0 < 0 || v1 < 0 || v2 < 0 || v3 < 0) {
			t->bad = 1;
			break;
		}
		z[zn++] = (uint8_t)(v0 << 2 | v1 >> 4);
		if (t->payload.data[i + 2] != '=')
			z[zn++] = (uint8_t)(v1 << 4 | v2 >> 2);
		if (t->payload.data[i + 3] != '=')
			z[zn++] = (uint8_t)(v2 << 6 | v3);
	}
	px = malloc(need ? need : 1);
	if (o != 'z' || w < 1 || h < 1 || uncompress(px, &n, z, (uLong)zn) != Z_OK || n != need) {
		t->bad = 1;
		free(px);
		free(z);
		return;
	}
	free(z);
	/* A new transmission under an id replaces the image and its placements. */
	del_places(t, id, 0, 0);
	del_image(t, id);
	if (t->nimg < MAX_IMAGES) {
		m = &t->img[t->nimg++];
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

/* One APC G command: p[0..n) between "ESC _ G" and ST. */
static void apc(struct term *t, const char *p, size_t n)
{
	char keys[256], a = 't', d = 'a';
	const char *semi = memchr(p, ';', n);
	size_t kn = semi ? (size_t)(semi - p) : n;

	snprintf(keys, sizeof(keys), "%.*s", (int)(kn < sizeof(keys) ? kn : sizeof(keys) - 1), p);
	kv(keys, 'a', NULL, &a);
	if (a == 'q' && !t->loading)
		return; /* answered with the burst's reply, when DA1 comes: in order, as kitty */
	t->apc_seen = 1;
	t->saved_apc |= t->saved;
	if (t->loading) {
		/* A continuation: only m= and the payload. */
		if (semi)
			sbuf_add(&t->payload, semi + 1, n - kn - 1);
		t->data_bytes += (long)n;
		if (num(keys, 'm') != 1) {
			t->loading = 0;
			finish_load(t);
		}
		return;
	}
	if (a == 't' || a == 'T') {
		t->transmits++;
		t->data_bytes += (long)n;
		snprintf(t->keys, sizeof(t->keys), "%s", keys);
		t->payload.len = 0;
		if (semi)
			sbuf_add(&t->payload, semi + 1, n - kn - 1);
		if (num(keys, 'm') == 1)
			t->loading = 1;
		else
			finish_load(t);
	} else if (a == 'p') {
		uint32_t id = (uint32_t)num(keys, 'i');

		if (!image(t, id))
			t->bad = 1;
		else
			put(t, keys, id);
	} else if (a == 'd') {
		kv(keys, 'd', NULL, &d);
		if (d == 'a' || d == 'A')
			del_places(t, 0, 0, 1);
		else if (d == 'i' || d == 'I') {
			del_places(t, (uint32_t)num(keys, 'i'), (uint32_t)num(keys, 'p'), 0);
			if (d == 'I')
				del_image(t, (uint32_t)num(keys, 'i'));
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
static void compose(struct term *t)
{
	struct kplace *sorted = malloc(sizeof(*sorted) * (size_t)(t->npl ? t->npl : 1));
	int i, x, y;

	for (i = 0; i < W * H; i++)
		memcpy(t->px + 3 * (size_t)i, blank, 3);
	memcpy(sorted, t->pl, sizeof(*sorted) * (size_t)t->npl);
	qsort(sorted, (size_t)t->npl, sizeof(*sorted), by_z);
	for (i = 0; i < t->npl; i++) {
		const struct kplace *p = &sorted[i];
		const struct kimage *m = image(t, p->id);
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
		l = p->col * CW + p->X;
		tp = p->row * CH + p->Y;
		r = p->c ? (p->col + p->c) * CW : l + sw;
		b = p->r ? (p->row + p->r) * CH : tp + sh;
		for (y = tp; y < b && y < H; y++)
			for (x = l; x < r && x < W; x++) {
				int u = p->x + (int)floor((x - l + 0.5) * sw / (r - l)), v = p->y + (int)floor((y - tp + 0.5) * sh / (b - tp));
				const uint8_t *s = m->px + ((size_t)v * m->w + u) * m->bpp;
				uint8_t *dst = t->px + 3 * ((size_t)y * W + x);
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

static void answer(struct term *t)
{
	ssize_t k;

	t->asked = 1;
	k = write(t->fd, t->reply, strlen(t->reply));
	(void)k;
}

static void csi(struct term *t, const char *p, size_t n)
{
	char final = p[n - 1], priv = p[2];
	int a = 0, b = 0, i;

	if (priv == '?' || priv == '>' || priv == '=')
		return;
	sscanf(p + 2, "%d;%d", &a, &b);
	switch (final) {
	case 'H': case 'f':
		t->row = (a ? a : 1) - 1;
		t->col = (b ? b : 1) - 1;
		break;
	case 'A': t->row -= a ? a : 1; break;
	case 'B': t->row += a ? a : 1; break;
	case 'C': t->col += a ? a : 1; break;
	case 'D': t->col -= a ? a : 1; break;
	case 'G': t->col = (a ? a : 1) - 1; break;
	case 'd': t->row = (a ? a : 1) - 1; break;
	case 'K':
		for (i = t->col; i < COLS && t->row >= 0 && t->row < ROWS; i++)
			t->text[t->row][i] = ' ';
		break;
	case 'J':
		if (a == 2 || a == 3) {
			for (i = 0; i < ROWS; i++)
				memset(t->text[i], ' ', COLS);
			/* kitty: a clear takes every placement on screen off, then frees every
			 * image left without one (ours all are). */
			del_places(t, 0, 0, 1);
			while (t->nimg > 0)
				del_image(t, t->img[0].id);
		}
		break;
	case 'X':
		for (i = 0; i < (a ? a : 1) && t->col + i < COLS && t->row >= 0 && t->row < ROWS; i++)
			t->text[t->row][t->col + i] = ' ';
		break;
	case 'c':
		if (n == 3)
			answer(t);
		break;
	default:
		break;
	}
	t->row = t->row < 0 ? 0 : t->row >= ROWS ? ROWS - 1 : t->row;
	t->col = t->col < 0 ? 0 : t->col >= COLS ? COLS - 1 : t->col;
}

static void parse(struct term *t)
{
	const char *p = t->in.data, *end = t->in.data + t->in.len, *q;

	while (p < end) {
		unsigned char c = (unsigned char)*p;

		if (c == 27) {
			if (end - p < 2)
				break;
			if (p[1] == '[') {
				for (q = p + 2; q < end && !(*q >= 0x40 && *q <= 0x7e); q++)
					;
				if (q >= end)
					break;
				csi(t, p, (size_t)(q + 1 - p));
				p = q + 1;
			} else if (p[1] == '_' || p[1] == 'P' || p[1] == ']') {
				const char *st = NULL;

				for (q = p + 2; q + 1 < end; q++)
					if (q[0] == 27 && q[1] == '\\') {
						st = q;
						break;
					} else if (p[1] == ']' && q[0] == 7) {
						st = q - 1;
						break;
					}
				if (!st)
					break;
				if (p[1] == '_' && p[2] == 'G')
					apc(t, p + 3, (size_t)(st - p - 3));
				p = st + 2;
			} else if (p[1] == '7') {
				t->srow = t->row;
				t->scol = t->col;
				t->saved = 1;
				t->saved_apc = 0;
				p += 2;
			} else if (p[1] == '8') {
				t->row = t->srow;
				t->col = t->scol;
				t->frames++;
				t->image_frames += t->saved_apc;
				memcpy(t->frame_status, t->text[ROWS - 1], sizeof(t->frame_status));
				t->saved = t->saved_apc = 0;
				compose(t);
				p += 2;
			} else if (p[1] == '(' || p[1] == ')') {
				if (end - p < 3)
					break;
				p += 3;
			} else {
				p += 2;
			}
		} else if (c == '\r') {
			t->col = 0;
			p++;
		} else if (c == '\n') {
			if (++t->row >= ROWS)
				t->row = ROWS - 1;
			p++;
		} else if (c == '\b') {
			t->col = t->col > 0 ? t->col - 1 : 0;
			p++;
		} else if (c < 0x20 || (c >= 0x80 && c < 0xc0)) {
			p++;
		} else {
			if (t->row >= 0 && t->row < ROWS && t->col < COLS)
				t->text[t->row][t->col] = c >= 0x80 ? '?' : (char)c;
			if (t->col < COLS - 1)
				t->col++;
			p++;
		}
	}
	memmove(t->in.data, p, (size_t)(end - p));
	t->in.len = (size_t)(end - p);
}

static int read_some(struct term *t, int timeout_ms)
{
	struct pollfd pfd = { t->fd, POLLIN, 0 };
	char buf[65536];
	ssize_t k;

	if (t->hung_up)
		return -1;
	if (poll(&pfd, 1, timeout_ms) <= 0)
		return 0;
	k = read(t->fd, buf, sizeof(buf));
	if (k <= 0) {
		t->hung_up = 1;
		return -1;
	}
	t->bytes += k;
	sbuf_add(&t->in, buf, (size_t)k);
	parse(t);
	return 0;
}

enum until { IMAGE_FRAME, FRAME_STATUS, HELP_SHOWN };

static int reached(const struct term *t, enum until u, const char *text)
{
	switch (u) {
	case IMAGE_FRAME: return t->image_frames > 0;
	case FRAME_STATUS: return t->frames > 0 && strstr(t->frame_status, text) != NULL;
	case HELP_SHOWN: return strstr(t->text[1], "pxlabel keys") != NULL;
	}
	return 0;
}

static int read_until(struct term *t, enum until u, const char *text)
{
	long start = now_ms();

	while (!reached(t, u, text)) {
		if (now_ms() - start > WAIT_MS || read_some(t, 100) != 0) {
			tap_diag("the annotator did not get to %s %s", u == IMAGE_FRAME ? "an image update" :
			    u == HELP_SHOWN ? "the help" : "a frame under a status line with", text ? text : "");
			return -1;
		}
	}
	return 0;
}

static void step_reset(struct term *t)
{
	t->bytes = t->data_bytes = 0;
	t->transmits = 0;
	t->frames = t->image_frames = 0;
	t->apc_seen = 0;
}

static void step_until(struct term *t, const char *keys, enum until u, const char *text)
{
	ssize_t k;

	step_reset(t);
	k = write(t->fd, keys, strlen(keys));
	(void)k;
	(void)read_until(t, u, text);
}

static void step(struct term *t, const char *keys) { step_until(t, keys, IMAGE_FRAME, NULL); }

static int start(struct term *t, const char *reply, const char *tmux, const char *ready, char *const argv[])
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS, .ws_xpixel = W, .ws_ypixel = H };
	int i;

	/* The last run's canvas is looked at after stop(): it goes when the next run starts. */
	static uint8_t *prev;

	free(prev);
	memset(t, 0, sizeof(*t));
	t->reply = reply;
	t->px = prev = malloc((size_t)W * H * 3);
	for (i = 0; i < W * H; i++)
		memcpy(t->px + 3 * (size_t)i, blank, 3);
	for (i = 0; i < ROWS; i++)
		memset(t->text[i], ' ', COLS);
	sbuf_init(&t->in);
	sbuf_init(&t->payload);
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		/* Over SSH: TERM says xterm, and no kitty variable is set. */
		setenv("TERM", "xterm-256color", 1);
		unsetenv("KITTY_WINDOW_ID");
		unsetenv("COLORTERM");
		if (tmux)
			setenv("TMUX", tmux, 1);
		else
			unsetenv("TMUX");
		execv(argv[0], argv);
		_exit(127);
	}
	(void)read_until(t, FRAME_STATUS, ready);
	return 0;
}

static int stop(struct term *t)
{
	int status = -1, i;
	long start = now_ms();
	ssize_t k;

	step_reset(t);
	k = write(t->fd, "q", 1);
	(void)k;
	while (waitpid(t->pid, &status, WNOHANG) == 0) {
		if (now_ms() - start > WAIT_MS) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &status, 0);
			break;
		}
		if (read_some(t, 100) != 0) {
			struct timespec ts = { 0, 20000000L };

			nanosleep(&ts, NULL);
		}
	}
	/* What came after the last frame (the deletions on the way out). */
	while (read_some(t, 0) == 0 && t->in.len == 0 && !t->hung_up)
		break;
	compose(t);
	close(t->fd);
	sbuf_free(&t->in);
	sbuf_free(&t->payload);
	for (i = 0; i < t->nimg; i++)
		free(t->img[i].px);
	return status;
}

static const char *status_line(const struct term *t) { return t->text[ROWS - 1]; }

/* PSNR of the image area against want, leaving out the cells sx0..sx1, sy0..sy1 (the ring). */
static double area_psnr(const struct term *t, const uint8_t *want, int sx0, int sy0, int sx1, int sy1)
{
	double se = 0;
	long n = 0;
	int x, y, c;

	for (y = 0; y < AREA_H; y++)
		for (x = 0; x < AREA_W; x++) {
			if (x / CW >= sx0 && x / CW <= sx1 && y / CH >= sy0 && y / CH <= sy1)
				continue;
			for (c = 0; c < 3; c++) {
				double d = (double)t->px[3 * ((size_t)y * W + x) + c] - want[3 * ((size_t)y * AREA_W + x) + c];

				se += d * d;
				n++;
			}
		}
	return se == 0 ? 99.0 : 10.0 * log10(255.0 * 255.0 * n / se);
}

static int all_blank(const struct term *t)
{
	int i;

	for (i = 0; i < W * H; i++)
		if (memcmp(t->px + 3 * (size_t)i, blank, 3))
			return 0;
	return 1;
}

static int outside_blank(const struct term *t)
{
	int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			if ((x >= AREA_W || y >= AREA_H) && memcmp(t->px + 3 * ((size_t)y * W + x), blank, 3))
				return 0;
	return 1;
}

static const uint8_t *pixel(const struct term *t, int x, int y) { return t->px + 3 * ((size_t)y * W + x); }

int main(void)
{
	const char *pxlabel = getenv("PXLABEL"), *data = getenv("TESTS_DATA");
	char sample[4096], tmpl[] = "/tmp/pxl-kitty-XXXXXX", path[4200], *dir;
	struct img_load_opts opts;
	struct img *im;
	struct pyr pyr;
	struct view v;
	struct term t;
	uint8_t *want, *before_help;
	char *cause = NULL;
	long full;
	int st, cx = AREA_COLS / 2, cy = AREA_ROWS / 2;
	FILE *in, *out;

	if (!pxlabel) {
		printf("1..0 # SKIP PXLABEL not set (run through make check)\n");
		return 77;
	}
	snprintf(sample, sizeof(sample), "%s/../../data/chelsea.png", data ? data : "tests/data");
	dir = mkdtemp(tmpl);
	snprintf(path, sizeof(path), "%s/chelsea.png", dir);
	in = fopen(sample, "rb");
	out = fopen(path, "wb");
	if (!in || !out) {
		printf("1..0 # SKIP cannot copy %s\n", sample);
		return 77;
	}
	for (int c; (c = getc(in)) != EOF;)
		putc(c, out);
	fclose(in);
	fclose(out);
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_STATE_HOME", dir, 1);

	img_load_opts_default(&opts);
	im = img_load(sample, &opts, &cause);
	if (!im) {
		printf("1..0 # SKIP %s\n", cause);
		return 77;
	}
	pyr_build(&pyr, im);
	want = malloc((size_t)AREA_W * AREA_H * 3);
	before_help = malloc((size_t)W * H * 3);

	{
		char *argv[] = { (char *)pxlabel, path, NULL };

		if (start(&t, REPLY_KITTY, NULL, " 1/1 ", argv) != 0) {
			printf("1..0 # SKIP no pty\n");
			return 77;
		}
	}
	full = t.bytes;
	tap_ok(t.asked && strstr(status_line(&t), "| kitty") != NULL,
	    "auto, TERM=xterm-256color, the graphics query answered: kitty (%.40s)", status_line(&t) + 60);
	view_init(&v, im->w, im->h, AREA_W, AREA_H, CW, CH);
	view_render(&v, &pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30, "the first screen, composed from the placements, is the fit view: PSNR %.2f dB > 30 (%ld bytes)", q, full);
	}
	tap_ok(!t.bad, "every command decodes (zlib, base64, chunks), every placement names an image and keeps the cursor");
	tap_ok(outside_blank(&t), "no image pixel in the side panel or the status line");
	{
		int px = cx * CW + CW / 2, py = cy * CH + CH / 2;
		const uint8_t *r = pixel(&t, px - 4, py), *o = pixel(&t, px - 5, py);

		tap_ok(r[0] == 255 && r[1] == 255 && r[2] == 255 && o[0] == 0 && o[1] == 0 && o[2] == 0,
		    "the cursor is a white ring with a black rim around its cell's centre");
	}

	step(&t, "l");
	cx++;
	tap_ok(t.bytes <= 100 && t.transmits == 0, "a cursor step: %ld bytes (at most 100), no image data", t.bytes);
	tap_ok(area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1) > 30, "the rest of the area is unchanged");

	step(&t, "+");
	view_zoom_at(&v, 4.0 / v.zoom, (cx + 0.5) * CW, (cy + 0.5) * CH);
	view_render(&v, &pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30 && strstr(status_line(&t), "| 4x |"), "a zoom step to 4x: view_render's frame, PSNR %.2f dB", q);
		tap_ok(t.bytes <= 2048 && t.transmits == 0, "it costs %ld bytes (at most 2 KB): placements only", t.bytes);
	}
	step(&t, " ");
	{
		int px = cx * CW + CW / 2, py = cy * CH + CH / 2;
		const uint8_t *c = pixel(&t, px - 1, py - 1);

		tap_ok(t.bytes <= 4096, "a vertex costs %ld bytes (at most 4 KB): overlay tiles", t.bytes);
		tap_ok(c[0] == 0 && c[1] == 255 && c[2] == 255, "the vertex shows in cyan at the cursor's point");
	}
	step(&t, "4l");
	step(&t, " ");
	step(&t, "4j");
	step(&t, " ");
	step(&t, "\r");
	tap_ok(strstr(status_line(&t), "new instance #1") != NULL, "closing the outline makes an instance");
	{
		int px = (cx + 3) * CW + CW / 2, py = (cy + 1) * CH + CH / 2;
		const uint8_t *c = pixel(&t, px, py);
		uint8_t w[3];

		view_render(&v, &pyr, NULL, want);
		memcpy(w, want + 3 * ((size_t)py * AREA_W + px), 3);
		tap_ok(c[0] > w[0] + 20 || c[1] + 20 < w[1], "the new instance is filled in its class colour over the image (%d,%d,%d over %d,%d,%d), %ld bytes",
		    c[0], c[1], c[2], w[0], w[1], w[2], t.bytes);
		tap_ok(t.transmits > 0 && t.data_bytes < 64 * 1024, "sent as overlay tiles (%d, %ld bytes), the image under them not again",
		    t.transmits, t.data_bytes);
	}
	cx += 4; /* the cursor is at the last vertex */
	cy += 4;
	/* The instance goes (undo): the frames below are compared with the image alone. */
	step(&t, "u");
	tap_ok(t.transmits == 0 && t.bytes < 2048, "undoing it deletes its overlay tiles (%ld bytes)", t.bytes);
	step(&t, "++");
	view_zoom_at(&v, 16.0 / v.zoom, (cx + 0.5) * CW, (cy + 0.5) * CH);
	view_render(&v, &pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30 && t.transmits == 0, "at 16x: PSNR %.2f dB, %ld bytes, no image data", q, t.bytes);
	}
	step(&t, "\033[6~");
	{
		/* Where the view went: the status line's zoom is the same, the centre moved down. */
		double q;
		int k;

		for (k = 1; k <= 64; k++) {
			struct view p = v;

			view_pan(&p, 0, k * CH);
			view_render(&p, &pyr, NULL, want);
			q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);
			if (q > 30) {
				v = p;
				break;
			}
		}
		tap_ok(k <= 64, "a pan step (PgDn): view_render's frame %d cells down, PSNR %.2f dB", k, q);
		tap_ok(t.bytes <= 2048 && t.transmits == 0, "it costs %ld bytes (at most 2 KB): placements only", t.bytes);
	}
	memcpy(before_help, t.px, (size_t)W * H * 3);
	step_until(&t, "?", HELP_SHOWN, NULL);
	compose(&t);
	tap_ok(all_blank(&t) && t.npl == 0, "the help takes every placement off the screen (%d left)", t.npl);
	step(&t, "\033");
	tap_ok(!memcmp(before_help, t.px, (size_t)W * H * 3) && t.transmits == 0,
	    "closing the help brings the same pixels back by placements alone (%ld bytes)", t.bytes);
	st = stop(&t);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "q quits with status 0");
	tap_ok(t.npl == 0 && t.nimg == 0 && all_blank(&t), "after quitting no placement is left, and no image in the terminal (%d, %d)",
	    t.npl, t.nimg);

	/* --- the ways back ------------------------------------------------------------------ */
	{
		char *argv[] = { (char *)pxlabel, "--display", "kitty", path, NULL };

		start(&t, REPLY_KITTY, "/tmp/tmux-0/default,1,0", " 1/1 ", argv);
	}
	tap_ok(strstr(status_line(&t), "| blocks (in tmux)") && !t.apc_seen, "--display kitty in tmux: blocks, the status line says why");
	stop(&t);
	{
		char *argv[] = { (char *)pxlabel, path, NULL };

		start(&t, REPLY_KITTY, "/tmp/tmux-0/default,1,0", " 1/1 ", argv);
	}
	tap_ok(strstr(status_line(&t), "| blocks (in tmux)") != NULL, "auto in tmux: blocks (in tmux)");
	stop(&t);
	{
		char *argv[] = { (char *)pxlabel, path, NULL };

		start(&t, REPLY_SIXEL, NULL, " 1/1 ", argv);
	}
	tap_ok(t.asked && strstr(status_line(&t), "| sixel") != NULL, "a terminal that does not answer the graphics query: sixel, as before");
	stop(&t);
	{
		char *argv[] = { (char *)pxlabel, "--query-timeout", "300", path, NULL };

		start(&t, "", NULL, " 1/1 ", argv);
	}
	tap_ok(t.asked && strstr(status_line(&t), "| blocks") != NULL && !t.apc_seen, "a terminal that answers nothing: blocks");
	stop(&t);

	free(want);
	free(before_help);
	free(t.px);
	pyr_free(&pyr);
	img_free(im);
	{
		char cmd[4300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			tap_diag("could not remove %s", dir);
	}
	return tap_done();
}
