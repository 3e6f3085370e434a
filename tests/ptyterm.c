/* ptyterm.c: the fake terminal of the pty screen tests (see ptyterm.h). Its one reason to change
 * is what every terminal does alike: cursor moves, erasing text, DECSC/DECRC, DA1, reading the
 * pty with a deadline. Graphics are the tests' own, through struct ptyterm_ops. */
#include "config.h"

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

#include "err.h"
#include "ptyterm.h"
#include "xalloc.h"

const uint8_t ptyterm_blank[3] = { 1, 2, 3 };

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void blank_pixels(struct ptyterm *t)
{
	size_t i;

	for (i = 0; i < (size_t)PTYTERM_W * PTYTERM_H; i++)
		memcpy(t->px + 3 * i, ptyterm_blank, 3);
}

static void blank_text(struct ptyterm *t)
{
	int i;

	for (i = 0; i < PTYTERM_ROWS; i++) {
		memset(t->text[i], ' ', PTYTERM_COLS);
		t->text[i][PTYTERM_COLS] = '\0';
	}
}

void ptyterm_init(struct ptyterm *t, const struct ptyterm_ops *ops, void *arg)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->arg = arg;
	t->fd = -1;
	t->px = xmalloc((size_t)PTYTERM_W * PTYTERM_H * 3);
	blank_pixels(t);
	blank_text(t);
	sbuf_init(&t->in);
}

void ptyterm_free(struct ptyterm *t)
{
	free(t->px);
	t->px = NULL;
	sbuf_free(&t->in);
}

static void wipe_cell(struct ptyterm *t, int row, int col)
{
	int y;

	for (y = row * PTYTERM_CH; y < (row + 1) * PTYTERM_CH; y++) {
		uint8_t *p = t->px + 3 * ((size_t)y * PTYTERM_W + (size_t)col * PTYTERM_CW);
		int x;

		for (x = 0; x < PTYTERM_CW; x++)
			memcpy(p + 3 * x, ptyterm_blank, 3);
	}
}

/* No autowrap: the cursor stays in the last column, as the annotator never relies on a wrap. */
static void put_char(struct ptyterm *t, char c)
{
	if (t->row >= 0 && t->row < PTYTERM_ROWS && t->col >= 0 && t->col < PTYTERM_COLS) {
		t->text[t->row][t->col] = c;
		if (t->ops->text_wipes_pixels)
			wipe_cell(t, t->row, t->col);
	}
	t->last = c;
	if (t->col < PTYTERM_COLS - 1)
		t->col++;
}

static void line_feed(struct ptyterm *t)
{
	if (++t->row >= PTYTERM_ROWS) {
		t->row = PTYTERM_ROWS - 1;
		t->scrolled = 1;
	}
}

static void answer(struct ptyterm *t)
{
	struct sbuf b;
	ssize_t k;

	t->asked = 1;
	/* One write: keys typed with the answer arrive with it. */
	sbuf_init(&b);
	sbuf_adds(&b, t->reply ? t->reply : "");
	sbuf_adds(&b, t->typeahead ? t->typeahead : "");
	k = write(t->fd, b.data, b.len);
	(void)k;
	sbuf_free(&b);
}

/* One CSI sequence: p[0..n) from ESC to the final byte. */
static void csi(struct ptyterm *t, const char *p, size_t n)
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
	case 'K': /* text only: what the terminal does to images is the test's business */
		for (i = t->col; i < PTYTERM_COLS && t->row >= 0 && t->row < PTYTERM_ROWS; i++)
			t->text[t->row][i] = ' ';
		break;
	case 'J':
		if (a == 2)
			blank_text(t);
		if (t->ops->erase_display)
			t->ops->erase_display(t, a);
		break;
	case 'X':
		for (i = 0; i < (a ? a : 1) && t->col + i < PTYTERM_COLS && t->row >= 0 && t->row < PTYTERM_ROWS; i++)
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
	t->row = t->row < 0 ? 0 : t->row >= PTYTERM_ROWS ? PTYTERM_ROWS - 1 : t->row;
	t->col = t->col < 0 ? 0 : t->col >= PTYTERM_COLS ? PTYTERM_COLS - 1 : t->col;
}

/* The end of a string sequence (DCS, APC, OSC) starting at p: its ST's ESC (an OSC may end in
 * BEL, taken as a one-byte ST ending at the BEL), or NULL when it has not all come. */
static const char *string_end(const char *p, const char *end)
{
	const char *q;

	for (q = p + 2; q + 1 < end; q++)
		if (q[0] == 27 && q[1] == '\\')
			return q;
		else if (p[1] == ']' && q[0] == 7)
			return q - 1;
	return NULL;
}

static void save_cursor(struct ptyterm *t)
{
	t->srow = t->row;
	t->scol = t->col;
	t->saved = 1;
	t->saved_graphics = 0;
}

/* DECRC: the end of a frame. */
static void restore_cursor(struct ptyterm *t)
{
	t->row = t->srow;
	t->col = t->scol;
	t->frames++;
	t->image_frames += t->saved_graphics;
	memcpy(t->frame_status, t->text[PTYTERM_ROWS - 1], sizeof(t->frame_status));
	t->saved = t->saved_graphics = 0;
	if (t->ops->frame_end)
		t->ops->frame_end(t);
}

/* Parses what has come in; leaves an unfinished sequence in t->in. */
static void parse(struct ptyterm *t)
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
			} else if (p[1] == 'P' || p[1] == '_' || p[1] == ']') {
				const char *st = string_end(p, end);

				if (!st)
					break;
				if (p[1] == 'P' && t->ops->dcs)
					t->ops->dcs(t, p, (size_t)(st + 2 - p));
				else if (p[1] == '_' && t->ops->apc)
					t->ops->apc(t, p + 2, (size_t)(st - p - 2));
				p = st + 2;
			} else if (p[1] == '7') {
				save_cursor(t);
				p += 2;
			} else if (p[1] == '8') {
				restore_cursor(t);
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
			p++; /* other controls; UTF-8 continuation bytes */
		} else {
			put_char(t, c >= 0x80 ? '?' : (char)c);
			p++;
		}
	}
	memmove(t->in.data, p, (size_t)(end - p));
	t->in.len = (size_t)(end - p);
}

/* Reads what has come within timeout_ms. Returns 0, or -1 once the annotator's side is closed. */
static int read_some(struct ptyterm *t, int timeout_ms)
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

static int reached(const struct ptyterm *t, enum ptyterm_until u, const char *text)
{
	switch (u) {
	case PTYTERM_IMAGE_FRAME: return t->image_frames > 0;
	case PTYTERM_FRAME_STATUS: return t->frames > 0 && strstr(t->frame_status, text) != NULL;
	case PTYTERM_HELP_SHOWN: return strstr(t->text[1], "pxlabel keys") != NULL;
	}
	return 0;
}

int ptyterm_read_until(struct ptyterm *t, enum ptyterm_until u, const char *text)
{
	long start = now_ms();

	while (!reached(t, u, text)) {
		if (now_ms() - start > PTYTERM_WAIT_MS || read_some(t, 100) != 0) {
			/* A TAP diagnostic: the check that follows fails and says what. */
			printf("# the annotator did not get to %s%s%s\n", u == PTYTERM_IMAGE_FRAME ? "an image update" :
			    u == PTYTERM_HELP_SHOWN ? "the help" : "a frame under a status line with \"", text ? text : "",
			    u == PTYTERM_FRAME_STATUS ? "\"" : "");
			fflush(stdout);
			return -1;
		}
	}
	return 0;
}

void ptyterm_step_reset(struct ptyterm *t)
{
	t->bytes = 0;
	t->graphics_seen = 0;
	t->frames = t->image_frames = 0;
	if (t->ops->step_reset)
		t->ops->step_reset(t);
}

void ptyterm_step_until(struct ptyterm *t, const char *keys, enum ptyterm_until u, const char *text)
{
	ssize_t k;

	ptyterm_step_reset(t);
	k = write(t->fd, keys, strlen(keys));
	(void)k;
	(void)ptyterm_read_until(t, u, text);
}

void ptyterm_step(struct ptyterm *t, const char *keys) { ptyterm_step_until(t, keys, PTYTERM_IMAGE_FRAME, NULL); }

void ptyterm_graphics(struct ptyterm *t)
{
	t->graphics_seen = 1;
	t->saved_graphics |= t->saved;
}

int ptyterm_start(struct ptyterm *t, const struct ptyterm_run *r, char **cause)
{
	struct winsize ws = { .ws_row = PTYTERM_ROWS, .ws_col = PTYTERM_COLS, .ws_xpixel = PTYTERM_W, .ws_ypixel = PTYTERM_H };

	blank_pixels(t);
	blank_text(t);
	t->row = t->col = t->srow = t->scol = 0;
	t->last = ' ';
	t->in.len = 0;
	t->reply = r->reply;
	t->typeahead = r->typeahead;
	t->asked = t->scrolled = t->hung_up = 0;
	t->saved = t->saved_graphics = 0;
	memset(t->frame_status, 0, sizeof(t->frame_status));
	ptyterm_step_reset(t);
	t->pid = forkpty(&t->fd, NULL, NULL, &ws);
	if (t->pid < 0)
		return err_set(cause, "no pty");
	if (t->pid == 0) {
		/* Over SSH: TERM says xterm, and no variable names the terminal. */
		setenv("TERM", "xterm-256color", 1);
		unsetenv("KITTY_WINDOW_ID");
		unsetenv("COLORTERM");
		if (r->tmux)
			setenv("TMUX", r->tmux, 1);
		else
			unsetenv("TMUX");
		execv(r->argv[0], r->argv);
		_exit(127);
	}
	/* The burst first (answered as it is parsed), then the first screen. */
	(void)ptyterm_read_until(t, PTYTERM_FRAME_STATUS, r->ready);
	return 0;
}

int ptyterm_stop(struct ptyterm *t)
{
	int status = -1;
	long start = now_ms();
	ssize_t k;

	ptyterm_step_reset(t);
	k = write(t->fd, "q", 1);
	(void)k;
	/* Read on until it has gone, so that it never waits on a full pty. */
	while (waitpid(t->pid, &status, WNOHANG) == 0) {
		if (now_ms() - start > PTYTERM_WAIT_MS) {
			kill(t->pid, SIGKILL);
			waitpid(t->pid, &status, 0);
			break;
		}
		if (read_some(t, 100) != 0) {
			struct timespec ts = { 0, 20000000L };

			nanosleep(&ts, NULL);
		}
	}
	/* What came after the last read (the way out's last bytes). */
	(void)read_some(t, 0);
	close(t->fd);
	t->fd = -1;
	return status;
}

const char *ptyterm_status_line(const struct ptyterm *t) { return t->text[PTYTERM_ROWS - 1]; }

const uint8_t *ptyterm_pixel(const struct ptyterm *t, int x, int y) { return t->px + 3 * ((size_t)y * PTYTERM_W + x); }

double ptyterm_area_psnr(const struct ptyterm *t, const uint8_t *want, int h, int sx0, int sy0, int sx1, int sy1)
{
	double se = 0;
	long n = 0;
	int x, y, c;

	for (y = 0; y < h; y++)
		for (x = 0; x < PTYTERM_AREA_W; x++) {
			if (x / PTYTERM_CW >= sx0 && x / PTYTERM_CW <= sx1 && y / PTYTERM_CH >= sy0 && y / PTYTERM_CH <= sy1)
				continue;
			for (c = 0; c < 3; c++) {
				double d = (double)ptyterm_pixel(t, x, y)[c] - want[3 * ((size_t)y * PTYTERM_AREA_W + x) + c];

				se += d * d;
				n++;
			}
		}
	return se == 0 ? 99.0 : 10.0 * log10(255.0 * 255.0 * n / se);
}

int ptyterm_outside_blank(const struct ptyterm *t)
{
	int x, y;

	for (y = 0; y < PTYTERM_H; y++)
		for (x = 0; x < PTYTERM_W; x++)
			if ((x >= PTYTERM_AREA_W || y >= PTYTERM_AREA_H) && memcmp(ptyterm_pixel(t, x, y), ptyterm_blank, 3))
				return 0;
	return 1;
}

int ptyterm_all_blank(const struct ptyterm *t)
{
	size_t i;

	for (i = 0; i < (size_t)PTYTERM_W * PTYTERM_H; i++)
		if (memcmp(t->px + 3 * i, ptyterm_blank, 3))
			return 0;
	return 1;
}

int ptyterm_cursor_ring(const struct ptyterm *t, int cx, int cy)
{
	int px = cx * PTYTERM_CW + PTYTERM_CW / 2, py = cy * PTYTERM_CH + PTYTERM_CH / 2;
	const uint8_t *r = ptyterm_pixel(t, px - 4, py), *o = ptyterm_pixel(t, px - 5, py);

	return r[0] == 255 && r[1] == 255 && r[2] == 255 && o[0] == 0 && o[1] == 0 && o[2] == 0;
}

static int copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	int c, ok = in && out;

	while (ok && (c = getc(in)) != EOF)
		ok = putc(c, out) != EOF;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

int ptyterm_fixture_init(struct ptyterm_fixture *f, const char *name, char **cause)
{
	const char *data = getenv("TESTS_DATA");
	struct img_load_opts opts;
	char sample[4096];
	int ok = 0;

	memset(f, 0, sizeof(*f));
	f->pxlabel = getenv("PXLABEL");
	if (!f->pxlabel)
		return err_set(cause, "PXLABEL not set (run through make check)");
	snprintf(f->dir, sizeof(f->dir), "/tmp/pxl-%.20s-XXXXXX", name);
	if (!mkdtemp(f->dir)) {
		f->dir[0] = '\0';
		return err_set(cause, "cannot make a folder in /tmp");
	}
	snprintf(sample, sizeof(sample), "%s/../../data/chelsea.png", data ? data : "tests/data");
	snprintf(f->path, sizeof(f->path), "%s/chelsea.png", f->dir);
	if (copy_file(sample, f->path) != 0) {
		err_set(cause, "cannot copy %s", sample);
		goto out;
	}
	setenv("XDG_CONFIG_HOME", f->dir, 1);
	setenv("XDG_STATE_HOME", f->dir, 1);
	img_load_opts_default(&opts);
	f->im = img_load(sample, &opts, cause);
	if (!f->im)
		goto out;
	pyr_build(&f->pyr, f->im);
	ok = 1;
out:
	if (!ok)
		ptyterm_fixture_free(f);
	return ok ? 0 : -1;
}

void ptyterm_fixture_free(struct ptyterm_fixture *f)
{
	if (f->im) {
		pyr_free(&f->pyr);
		img_free(f->im);
		f->im = NULL;
	}
	if (f->dir[0]) {
		char *cmd = xasprintf("rm -rf '%s'", f->dir);

		if (system(cmd) != 0)
			printf("# could not remove %s\n", f->dir);
		free(cmd);
		f->dir[0] = '\0';
	}
}

int ptyterm_skip(struct ptyterm_fixture *f, char *cause)
{
	printf("1..0 # SKIP %s\n", cause ? cause : "");
	free(cause);
	ptyterm_fixture_free(f);
	return 77;
}
