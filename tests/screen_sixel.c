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
 * slower; WAIT_MS bounds the wait when that never comes. */
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#pragma push_macro("PACKAGE_VERSION")
#undef PACKAGE_VERSION
#include <sixel.h>
#undef PACKAGE_VERSION
#pragma pop_macro("PACKAGE_VERSION")

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
/* The annotator's image area: the side panel (28 columns and a rule) and the status line off. */
#define AREA_COLS (COLS - 29)
#define AREA_ROWS (ROWS - 1)
#define AREA_W (AREA_COLS * CW)
#define AREA_H (AREA_ROWS * CH)
/* The area's last pixel rows past the last whole 6-pixel sixel band are not drawn: a band
 * reaching into the status line would scroll the screen. */
#define BANDED(h) ((h) - (h) % 6)
#define MAX_PATCHES 64
/* How long to wait for what a step expects: generous, since a loaded machine is slow, and
 * only a failing check waits that long. */
#define WAIT_MS 60000

/* What xterm 379 -ti vt340 with 256 registers answers to TQUERY_BURST (CSI 16t left out:
 * xterm answers it only with allowWindowOps). %d: the registers. */
#define REPLY "\033[?1;0;%dS\033[?2;0;%d;%dS\033[?63;1;2;4;6;9;15;16;22;28c"
#define REPLY_NO_SIXEL "\033[?1;3;0S\033[?2;3;0S\033[?63;1;2;6;9;15;16;22;28c"

static const uint8_t blank[3] = { 1, 2, 3 }; /* no sixel pixel here */

struct patch {
	int x, y, w, h; /* pixels */
};

struct term {
	int fd;
	pid_t pid;
	uint8_t *px;               /* W x H */
	char text[ROWS][COLS + 1];
	int row, col, srow, scol;
	char last;
	struct sbuf in;            /* output not parsed yet (a sequence cut by a read) */
	const char *reply;         /* sent when DA1 is asked */
	const char *typeahead;     /* sent with the reply, in the same write */
	int asked, scrolled, bad_sixel, max_reg;
	long bytes;                /* this step's */
	int npatches;
	struct patch patches[MAX_PATCHES];
	int dcs_seen;
	/* Frames: the annotator writes each update of the image area between DECSC and DECRC,
	 * after the status line. A DECRC ends a frame; the status line it ended under is kept. */
	int frames, image_frames;  /* this step's; image_frames: those that held a sixel */
	int saved, saved_dcs;      /* inside DECSC .. DECRC; a sixel came since the DECSC */
	char frame_status[COLS + 1];
	int hung_up;               /* the annotator's side of the pty is closed */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void set_blank(struct term *t, int row, int col)
{
	int y, x;

	if (row < 0 || row >= ROWS || col < 0 || col >= COLS)
		return;
	for (y = row * CH; y < (row + 1) * CH; y++)
		for (x = col * CW; x < (col + 1) * CW; x++)
			memcpy(t->px + 3 * ((size_t)y * W + x), blank, 3);
}

static void put_char(struct term *t, char c)
{
	if (t->col >= COLS)
		t->col = COLS - 1;
	if (t->row >= 0 && t->row < ROWS) {
		t->text[t->row][t->col] = c;
		set_blank(t, t->row, t->col);
	}
	t->last = c;
	t->col++;
}

static void line_feed(struct term *t)
{
	if (++t->row >= ROWS) {
		t->row = ROWS - 1;
		t->scrolled = 1;
	}
}

static void sixel(struct term *t, const char *p, size_t n)
{
	unsigned char *pixels = NULL, *palette = NULL;
	int w = 0, h = 0, ncolors = 0, x, y, x0 = t->col * CW, y0 = t->row * CH;
	const char *q;

	t->dcs_seen = 1;
	t->saved_dcs |= t->saved;
	for (q = p; (q = memchr(q, '#', (size_t)(p + n - q))) != NULL; q++) {
		int reg = atoi(q + 1);

		t->max_reg = reg > t->max_reg ? reg : t->max_reg;
	}
	if (SIXEL_FAILED(sixel_decode_raw((unsigned char *)p, (int)n, &pixels, &w, &h, &palette, &ncolors, NULL))) {
		t->bad_sixel = 1;
		return;
	}
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (x0 + x < W && y0 + y < H)
				memcpy(t->px + 3 * ((size_t)(y0 + y) * W + x0 + x), palette + 3 * pixels[(size_t)y * w + x], 3);
	if (t->npatches < MAX_PATCHES)
		t->patches[t->npatches++] = (struct patch){ x0, y0, w, h };
	/* The cursor goes below the image, as in xterm (sixel scrolling on): at the bottom of the
	 * screen that would scroll. */
	t->row += (h + CH - 1) / CH;
	if (t->row >= ROWS) {
		t->row = ROWS - 1;
		t->scrolled = 1;
	}
	free(pixels);
	free(palette);
}

static void answer(struct term *t)
{
	char buf[512];
	ssize_t k;

	t->asked = 1;
	snprintf(buf, sizeof(buf), "%s%s", t->reply, t->typeahead ? t->typeahead : "");
	k = write(t->fd, buf, strlen(buf));
	(void)k;
}

/* One CSI sequence: p[0..n) from ESC to the final byte. */
static void csi(struct term *t, const char *p, size_t n)
{
	char final = p[n - 1], priv = p[2];
	int a = 0, b = 0, i;

	if (priv == '?' || priv == '>' || priv == '=')
		return; /* modes and private queries */
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
	case 'b':
		for (i = 0; i < (a ? a : 1); i++)
			put_char(t, t->last);
		break;
	case 'K': /* text only: sixel pixels stay, as in the terminals that keep them */
		for (i = t->col; i < COLS && t->row >= 0 && t->row < ROWS; i++)
			t->text[t->row][i] = ' ';
		break;
	case 'J':
		if (a == 2)
			for (i = 0; i < ROWS; i++)
				memset(t->text[i], ' ', COLS);
		break;
	case 'X':
		for (i = 0; i < (a ? a : 1) && t->col + i < COLS && t->row >= 0 && t->row < ROWS; i++)
			t->text[t->row][t->col + i] = ' ';
		break;
	case 'S': case 'T': case 'L': case 'M':
		t->scrolled = 1;
		break;
	case 'c':
		if (n == 3)
			answer(t);
		break;
	default:
		break;
	}
	t->row = t->row < 0 ? 0 : t->row >= ROWS ? ROWS - 1 : t->row;
	t->col = t->col < 0 ? 0 : t->col;
}

/* Parses what has come in; leaves an unfinished sequence in t->in. */
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
			} else if (p[1] == 'P' || p[1] == ']') {
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
				if (p[1] == 'P')
					sixel(t, p, (size_t)(st + 2 - p));
				p = st + 2;
			} else if (p[1] == '7') {
				t->srow = t->row;
				t->scol = t->col;
				t->saved = 1;
				t->saved_dcs = 0;
				p += 2;
			} else if (p[1] == '8') {
				t->row = t->srow;
				t->col = t->scol;
				t->frames++;
				t->image_frames += t->saved_dcs;
				memcpy(t->frame_status, t->text[ROWS - 1], sizeof(t->frame_status));
				t->saved = t->saved_dcs = 0;
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
			line_feed(t);
			p++;
		} else if (c == '\b') {
			t->col = t->col > 0 ? t->col - 1 : 0;
			p++;
		} else if (c < 0x20 || (c >= 0x80 && c < 0xc0)) {
			p++;
		} else {
			put_char(t, c >= 0x80 ? '?' : (char)c);
			p++;
		}
	}
	memmove(t->in.data, p, (size_t)(end - p));
	t->in.len = (size_t)(end - p);
}

/* Reads what has come within timeout_ms. Returns 0, or -1 once the annotator's side is closed. */
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

/* What a step waits for. */
enum until {
	IMAGE_FRAME,   /* a frame that drew some of the image */
	FRAME_STATUS,  /* a frame ended under a status line holding the text */
	HELP_SHOWN,    /* the help's title on the screen, the image wiped */
};

static int reached(const struct term *t, enum until u, const char *text)
{
	switch (u) {
	case IMAGE_FRAME: return t->image_frames > 0;
	case FRAME_STATUS: return t->frames > 0 && strstr(t->frame_status, text) != NULL;
	case HELP_SHOWN: return strstr(t->text[1], "pxlabel keys") != NULL;
	}
	return 0;
}

/* Reads until u is reached (WAIT_MS at most); 0 when it was. */
static int read_until(struct term *t, enum until u, const char *text)
{
	long start = now_ms();

	while (!reached(t, u, text)) {
		if (now_ms() - start > WAIT_MS || read_some(t, 100) != 0) {
			tap_diag("the annotator did not get to %s%s%s", u == IMAGE_FRAME ? "an image update" :
			    u == HELP_SHOWN ? "the help" : "a frame under a status line with \"", text ? text : "",
			    u == FRAME_STATUS ? "\"" : "");
			return -1;
		}
	}
	return 0;
}

static void step_reset(struct term *t)
{
	t->bytes = 0;
	t->npatches = 0;
	t->dcs_seen = 0;
	t->frames = t->image_frames = 0;
}

/* Types keys, then reads until what they lead to (u, text) has come. */
static void step_until(struct term *t, const char *keys, enum until u, const char *text)
{
	ssize_t k;

	step_reset(t);
	k = write(t->fd, keys, strlen(keys));
	(void)k;
	(void)read_until(t, u, text);
}

/* Types keys that change the image area, and reads until that change has come. */
static void step(struct term *t, const char *keys) { step_until(t, keys, IMAGE_FRAME, NULL); }

/* Starts the annotator against this terminal and reads until its first frame has ended under
 * a status line holding ready (" 1/1 ": the image is open). */
static int start(struct term *t, const char *reply, const char *typeahead, const char *ready, char *const argv[])
{
	struct winsize ws = { .ws_row = ROWS, .ws_col = COLS, .ws_xpixel = W, .ws_ypixel = H };
	int i;

	memset(t, 0, sizeof(*t));
	t->reply = reply;
	t->typeahead = typeahead;
	t->px = malloc((size_t)W * H * 3);
	for (i = 0; i < W * H; i++)
		memcpy(t->px + 3 * i, blank, 3);
	for (i = 0; i < ROWS; i++)
		memset(t->text[i], ' ', COLS);
	sbuf_init(&t->in);
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		return -1;
	if (t->pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		unsetenv("TMUX");
		unsetenv("COLORTERM");
		execv(argv[0], argv);
		_exit(127);
	}
	/* The burst first (answered as it is parsed), then the first screen. */
	(void)read_until(t, FRAME_STATUS, ready);
	return 0;
}

static int stop(struct term *t)
{
	int status = -1;
	long start = now_ms();
	ssize_t k;

	step_reset(t);
	k = write(t->fd, "q", 1);
	(void)k;
	/* Read on until it has gone, so that it never waits on a full pty. */
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
	close(t->fd);
	free(t->px);
	sbuf_free(&t->in);
	return status;
}

static const char *status_line(const struct term *t) { return t->text[ROWS - 1]; }

/* PSNR of the image area against want (AREA_W x AREA_H), leaving out the cells in skip
 * (x0, y0, x1, y1 in cells, inclusive). */
static double area_psnr(const struct term *t, const uint8_t *want, int sx0, int sy0, int sx1, int sy1)
{
	double se = 0;
	long n = 0;
	int x, y, c;

	for (y = 0; y < BANDED(AREA_H); y++)
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

/* Whether no sixel pixel is outside the area (panel, bottom row). */
static int outside_blank(const struct term *t)
{
	int x, y;

	for (y = 0; y < H; y++)
		for (x = 0; x < W; x++)
			if ((x >= AREA_W || y >= AREA_H) && memcmp(t->px + 3 * ((size_t)y * W + x), blank, 3))
				return 0;
	return 1;
}

static int all_blank(const struct term *t)
{
	int i;

	for (i = 0; i < W * H; i++)
		if (memcmp(t->px + 3 * i, blank, 3))
			return 0;
	return 1;
}

/* Whether every patch of the last step lies within cells x0..x1, y0..y1. */
static int patches_within(const struct term *t, int x0, int y0, int x1, int y1)
{
	int i;

	for (i = 0; i < t->npatches; i++) {
		const struct patch *p = &t->patches[i];

		if (p->x < x0 * CW || p->y < y0 * CH || p->x + p->w > (x1 + 1) * CW || p->y + p->h > (y1 + 1) * CH)
			return 0;
	}
	return t->npatches > 0;
}

static const uint8_t *pixel(const struct term *t, int x, int y) { return t->px + 3 * ((size_t)y * W + x); }

int main(void)
{
	const char *pxlabel = getenv("PXLABEL"), *data = getenv("TESTS_DATA");
	char sample[4096], tmpl[] = "/tmp/pxl-sixel-XXXXXX", path[4200], reply[256], *dir;
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

	/* --- auto: the terminal says sixel ---------------------------------------------------- */
	snprintf(reply, sizeof(reply), REPLY, 256, W, H);
	{
		char *argv[] = { (char *)pxlabel, path, NULL };

		if (start(&t, reply, NULL, " 1/1 ", argv) != 0) {
			printf("1..0 # SKIP no pty\n");
			return 77;
		}
	}
	full = t.bytes;
	tap_ok(t.asked, "the annotator asks the terminal (DA1 last)");
	tap_ok(strstr(status_line(&t), "| sixel") != NULL, "the status line says sixel: %.60s", status_line(&t) + 60);
	view_init(&v, im->w, im->h, AREA_W, AREA_H, CW, CH);
	view_render(&v, &pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30, "the first screen is the fit view in real pixels: PSNR %.2f dB > 30 (%ld bytes)", q, full);
	}
	tap_ok(!t.bad_sixel && !t.scrolled, "every sixel decodes, nothing scrolls");
	tap_ok(outside_blank(&t), "no sixel pixel in the side panel or the bottom row");
	tap_ok(t.max_reg < 256, "registers within the 256 the terminal has (highest #%d)", t.max_reg);
	/* The cursor: a white ring 3.5 pixels from the centre of cell (cx, cy), black outside it. */
	{
		int px = cx * CW + CW / 2, py = cy * CH + CH / 2;
		const uint8_t *r = pixel(&t, px - 4, py), *o = pixel(&t, px - 5, py);

		tap_ok(r[0] == 255 && r[1] == 255 && r[2] == 255 && o[0] == 0 && o[1] == 0 && o[2] == 0,
		    "the cursor is a white ring with a black rim around its cell's centre");
	}

	step(&t, "l");
	cx++;
	tap_ok(t.bytes > 0 && t.bytes * 100 < full, "a cursor step sends %ld bytes, under 1%% of the first screen", t.bytes);
	tap_ok(patches_within(&t, cx - 1, cy, cx, cy), "in %d patch(es) on the old and new cursor cells only", t.npatches);
	tap_ok(area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1) > 30, "the rest of the area is unchanged");

	step(&t, "+");
	/* Zoom steps land on the next power of two: from 2.9x fit, 4x. */
	view_zoom_at(&v, 4.0 / v.zoom, (cx + 0.5) * CW, (cy + 0.5) * CH);
	view_render(&v, &pyr, NULL, want);
	{
		double q = area_psnr(&t, want, cx - 1, cy - 1, cx + 1, cy + 1);

		tap_ok(q > 30, "a zoom step: the area is view_render's zoomed frame, PSNR %.2f dB (%ld bytes)", q, t.bytes);
	}
	tap_ok(strstr(status_line(&t), "| 4x |") != NULL, "the status line shows the zoom (4x)");

	step(&t, " ");
	{
		int px = cx * CW + CW / 2, py = cy * CH + CH / 2;
		/* The point is a pixel corner: the pixel up-left of it is in the vertex's dot. */
		const uint8_t *c = pixel(&t, px - 1, py - 1);

		tap_ok(t.bytes > 0 && t.bytes * 100 < full && patches_within(&t, cx - 1, cy - 1, cx + 1, cy + 1),
		    "a vertex sends %ld bytes in %d patch(es) at the cursor", t.bytes, t.npatches);
		tap_ok(c[0] == 0 && c[1] == 255 && c[2] == 255, "the vertex shows in cyan at the cursor's point");
	}
	step(&t, "4l");
	tap_ok(t.bytes * 20 < full, "moving with an outline in progress: %ld bytes for 4 cells", t.bytes);
	step(&t, " ");
	step(&t, "4j");
	step(&t, " ");
	step(&t, "\r");
	tap_ok(strstr(status_line(&t), "new instance #1") != NULL, "closing the outline makes an instance");
	tap_ok(t.bytes * 10 < full && patches_within(&t, cx - 1, cy - 1, cx + 5, cy + 5),
	    "closing sends %ld bytes, around the new instance", t.bytes);
	{
		/* Inside the triangle (vertices at the cursor, 4 right, then 4 down): the class's
		 * red over the photo, not the photo. */
		int px = (cx + 3) * CW + CW / 2, py = (cy + 1) * CH + CH / 2;
		const uint8_t *c = pixel(&t, px, py);
		const uint8_t *w = want + 3 * ((size_t)py * AREA_W + px);

		tap_ok(c[0] > w[0] + 20 || c[1] + 20 < w[1], "the new instance is filled in its class colour (%d,%d,%d over %d,%d,%d)",
		    c[0], c[1], c[2], w[0], w[1], w[2]);
	}
	memcpy(before_help, t.px, (size_t)W * H * 3);
	step_until(&t, "?", HELP_SHOWN, NULL);
	tap_ok(all_blank(&t), "the help wipes every sixel pixel with spaces (not EL or ED)");
	tap_ok(strstr(t.text[1], "pxlabel keys") != NULL, "and shows the help");
	step(&t, "\033");
	tap_ok(!memcmp(before_help, t.px, (size_t)W * H * 3), "closing the help brings the image back, pixel for pixel");
	step(&t, "|");
	tap_ok(strstr(status_line(&t), "| sixel") && outside_blank(&t) == 0 && !t.scrolled,
	    "hiding the panel: the image takes the whole width");
	{
		/* A new font: the same cells, 8 pixels wide now. The kernel tells the annotator
		 * (SIGWINCH), which asks the window's size again. */
		struct winsize ws = { .ws_row = ROWS, .ws_col = COLS, .ws_xpixel = COLS * 8, .ws_ypixel = H };

		step_reset(&t);
		ioctl(t.fd, TIOCSWINSZ, &ws);
		(void)read_until(&t, IMAGE_FRAME, NULL);
		tap_ok(t.npatches >= 1 && t.patches[0].w == COLS * 8 && t.patches[0].h == BANDED(AREA_H),
		    "a font change (SIGWINCH, new pixel size) redraws in 8x20 cells (%dx%d)",
		    t.npatches ? t.patches[0].w : 0, t.npatches ? t.patches[0].h : 0);
	}
	st = stop(&t);
	tap_ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "q quits with status 0");

	/* --- 16 registers, and keys typed during detection --------------------------------- */
	snprintf(reply, sizeof(reply), REPLY, 16, W, H);
	{
		char *argv[] = { (char *)pxlabel, "--display", "auto", path, NULL };

		/* The key typed with the answer: the frame that ends its step is zoomed. */
		start(&t, reply, "+", "| 4x |", argv);
	}
	tap_ok(t.max_reg < 16 && t.max_reg > 0, "a terminal of 16 registers gets registers 0..15 (highest #%d)", t.max_reg);
	tap_ok(strstr(status_line(&t), "| 4x |") != NULL, "a key typed right after the terminal's answer is not lost (zoomed)");
	stop(&t);

	/* --- no sixel: blocks ----------------------------------------------------------------- */
	{
		char *argv[] = { (char *)pxlabel, path, NULL };

		start(&t, REPLY_NO_SIXEL, NULL, " 1/1 ", argv);
	}
	tap_ok(t.asked && strstr(status_line(&t), "| blocks") && !t.dcs_seen && all_blank(&t),
	    "a terminal without sixel (DA1 without 4): blocks, no DCS");
	stop(&t);
	{
		char *argv[] = { (char *)pxlabel, "--display", "blocks", path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv);
	}
	tap_ok(!t.asked && strstr(status_line(&t), "| blocks") && !t.dcs_seen, "--display blocks: nothing asked, blocks");
	stop(&t);
	{
		char *argv[] = { (char *)pxlabel, "--display", "sixel", "--cell", "8x16", "--query-timeout", "0", path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv);
	}
	tap_ok(!t.asked && strstr(status_line(&t), "| sixel") && t.patches[0].w % 8 == 0 && t.patches[0].h == BANDED(AREA_ROWS * 16),
	    "--display sixel --cell 8x16 --query-timeout 0: sixel in 8x16 cells without asking (%dx%d)",
	    t.patches[0].w, t.patches[0].h);
	stop(&t);

	/* --- config.ini's [display] mode -------------------------------------------------------- */
	{
		char cfg[4300];
		FILE *fp;

		snprintf(cfg, sizeof(cfg), "%s/pxlabel", dir);
		mkdir(cfg, 0755);
		snprintf(cfg, sizeof(cfg), "%s/pxlabel/config.ini", dir);
		fp = fopen(cfg, "w");
		if (fp) {
			fputs("[display]\nmode = blocks\n", fp);
			fclose(fp);
		}
	}
	{
		char *argv[] = { (char *)pxlabel, path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv);
	}
	tap_ok(!t.asked && strstr(status_line(&t), "| blocks"), "config.ini [display] mode = blocks is the default");
	stop(&t);
	{
		char *argv[] = { (char *)pxlabel, "--display", "auto", path, NULL };

		start(&t, reply, NULL, " 1/1 ", argv);
	}
	tap_ok(t.asked && strstr(status_line(&t), "| sixel"), "--display auto overrides it");
	stop(&t);

	free(want);
	free(before_help);
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
