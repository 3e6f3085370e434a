/* sixelout.c: asking the terminal for sixel support and its cell size, and encoding pixels as
 * sixel through libsixel with a palette of our own. libsixel's quantizer buckets each channel
 * to 5 bits (pure white comes back as 248), so the palette is computed here (exact colours
 * when there are few, else libsixel's median cut refined to exact means) and libsixel gets
 * palette indices to encode. */
#include "config.h"

#include "sixelout.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* <sixel.h> defines PACKAGE_VERSION as libsixel's version: ours is kept around it. */
#pragma push_macro("PACKAGE_VERSION")
#undef PACKAGE_VERSION
#include <sixel.h>
#undef PACKAGE_VERSION
#pragma pop_macro("PACKAGE_VERSION")

#include "err.h"
#include "xalloc.h"

/* --- asking the terminal ---------------------------------------------------------------- */

/* The terminal being asked, for the signal handler: it puts the modes back before the signal
 * does what it did before (end the program, stop it), so no signal leaves a raw terminal. */
static volatile sig_atomic_t query_signal;
static int query_fd = -1;
static struct termios query_saved;
static const int query_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };
#define NQUERY_SIGNALS (sizeof(query_signals) / sizeof(query_signals[0]))
static struct sigaction query_old[NQUERY_SIGNALS];

static void query_on_signal(int sig)
{
	int saved_errno = errno;
	size_t i;

	tcsetattr(query_fd, TCSANOW, &query_saved);
	query_signal = sig;
	for (i = 0; i < NQUERY_SIGNALS; i++)
		if (query_signals[i] == sig)
			sigaction(sig, &query_old[i], NULL);
	/* Blocked until this handler returns, then delivered to the old disposition. */
	raise(sig);
	errno = saved_errno;
}

static void query_catch(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = query_on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < NQUERY_SIGNALS; i++)
		sigaddset(&sa.sa_mask, query_signals[i]);
	/* No SA_RESTART: poll must return so the wait notices the signal. */
	for (i = 0; i < NQUERY_SIGNALS; i++)
		sigaction(query_signals[i], &sa, &query_old[i]);
}

static void query_release(void)
{
	size_t i;

	for (i = 0; i < NQUERY_SIGNALS; i++)
		if (query_signal != query_signals[i]) /* that one was put back by the handler */
			sigaction(query_signals[i], &query_old[i], NULL);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* 1 when fd is ready for events, 0 when the deadline passed, -1 on EINTR or an error. */
static int wait_fd(int fd, short events, long deadline)
{
	struct pollfd pfd = { .fd = fd, .events = events };
	long left = deadline - now_ms();
	int n;

	if (left <= 0)
		return 0;
	n = poll(&pfd, 1, (int)left);
	if (n > 0 && (pfd.revents & (POLLERR | POLLNVAL)))
		return -1;
	return n;
}

int sixelout_query(int fd, int timeout_ms, struct sixelout_probe *pr, char **cause)
{
	struct tquery_parser parser;
	struct termios raw;
	int mux = tquery_in_mux(getenv("TERM"), getenv("TMUX"));
	const char *p = mux ? TQUERY_BURST_MUX : TQUERY_BURST;
	size_t left = mux ? TQUERY_BURST_MUX_LEN : TQUERY_BURST_LEN;
	unsigned char buf[256];
	long start, deadline;
	int restore = 0, status = -1, err = 0;

	tquery_init(&parser);
	pr->asked = pr->answered = 0;
	pr->waited_ms = 0;
	pr->npending = 0;
	if (!isatty(fd))
		return err_set(cause, "cannot ask the terminal: not a terminal");
	/* A background job would be stopped by SIGTTOU at the first tcsetattr. */
	if (tcgetpgrp(fd) != getpgrp())
		return err_set(cause, "cannot ask the terminal: running in the background");
	if (tcgetattr(fd, &query_saved) != 0)
		return err_set(cause, "cannot ask the terminal: %s", strerror(errno));

	query_fd = fd;
	query_signal = 0;
	query_catch();
	raw = query_saved;
	/* Replies must not be echoed nor wait for a newline; ISIG stays, so ^C still works. */
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) != 0) {
		err = errno;
		goto out;
	}
	restore = 1;

	/* One deadline for everything: a terminal that never answers, or never reads (flow
	 * control), costs timeout_ms and no more. */
	start = now_ms();
	deadline = start + timeout_ms;
	while (left > 0 && !query_signal) {
		ssize_t n = write(fd, p, left);

		if (n > 0) {
			p += n;
			left -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_fd(fd, POLLOUT, deadline) == 0)
				break;
		} else if (n < 0 && errno != EINTR) {
			err = errno;
			goto out;
		}
	}
	pr->asked = left == 0;
	while (pr->asked && !parser.reply.da1 && !query_signal) {
		int ready = wait_fd(fd, POLLIN, deadline);
		ssize_t n;
		size_t used;

		if (ready == 0)
			break;
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			break; /* hung up: as good as silent */
		}
		n = read(fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
			continue;
		if (n <= 0)
			break;
		used = tquery_feed(&parser, buf, (size_t)n);
		if (parser.reply.da1) {
			pr->npending = (size_t)n - used;
			if (pr->npending > sizeof(pr->pending))
				pr->npending = sizeof(pr->pending);
			memcpy(pr->pending, buf + used, pr->npending);
		}
	}
	pr->waited_ms = (int)(now_ms() - start);
	status = 0;
out:
	if (restore)
		tcsetattr(fd, TCSANOW, &query_saved);
	query_release();
	pr->reply = parser.reply;
	pr->answered = parser.reply.da1;
	if (query_signal)
		return err_set(cause, "asking the terminal: interrupted by signal %d", (int)query_signal);
	if (err)
		return err_set(cause, "asking the terminal: %s", strerror(err));
	return status;
}

int sixelout_probe(enum tquery_display want, int timeout_ms, struct sixelout_probe *pr, char **cause)
{
	const char *term = getenv("TERM"), *tmux = getenv("TMUX");
	struct winsize ws;
	int fd, status = 0;

	memset(pr, 0, sizeof(*pr));
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0 && ioctl(fd, TIOCGWINSZ, &ws) == 0) {
		pr->cols = ws.ws_col;
		pr->rows = ws.ws_row;
		pr->xpixel = ws.ws_xpixel;
		pr->ypixel = ws.ws_ypixel;
	}
	/* A zero wait asks nothing: replies read by nobody would end up as typed keys. */
	if (timeout_ms > 0 && tquery_worth_asking(want, term)) {
		if (fd >= 0)
			status = sixelout_query(fd, timeout_ms, pr, cause);
		else
			status = err_set(cause, "cannot ask the terminal: /dev/tty: %s", strerror(errno));
	}
	if (fd >= 0)
		close(fd);
	pr->cell_source = tquery_cell_size(&pr->reply, pr->cols, pr->rows, pr->xpixel, pr->ypixel,
	    &pr->cell_w, &pr->cell_h);
	pr->colours = pr->reply.colour_regs;
	if (pr->colours <= 0 || pr->colours > SIXEL_PALETTE_MAX)
		pr->colours = SIXEL_PALETTE_MAX;
	if (pr->colours < 2)
		pr->colours = 2;
	pr->display = tquery_choose(want, pr->asked ? &pr->reply : NULL, term, tmux, &pr->why);
	pr->sixel = pr->display == TQUERY_DISPLAY_SIXEL;
	return status;
}

/* --- encoding ---------------------------------------------------------------------------- */

/* Colours are looked up in two steps: a palette colour maps to itself (a small hash of the
 * palette), anything else to the entry nearest the centre of its 6-bit-per-channel cell
 * (a table filled on demand). The map depends on the palette only, never on which pixels
 * were encoded first, so a rectangle encoded again comes out exactly as it did in the whole. */
#define CELL_BITS 6
#define NCELLS (1u << (3 * CELL_BITS))
#define EXACT_SLOTS 1024 /* a power of two, at least 2 x 256 */

struct sixelout_enc {
	uint8_t pal[SIXEL_PALETTE_MAX * 3];
	int n;
	uint16_t *cells;               /* NCELLS: nearest entry + 1, or 0 not yet known */
	uint32_t exact_key[EXACT_SLOTS]; /* 0x1000000 | rgb, or 0 for an empty slot */
	uint8_t exact_idx[EXACT_SLOTS];
	uint8_t *idx;                  /* scratch: the indices of the image being encoded */
	size_t idx_cap;
	sixel_output_t *output;
	struct sbuf *target;           /* where output writes, during an encode */
};

static uint32_t rgb_key(const uint8_t *px) { return 0x1000000u | (uint32_t)px[0] << 16 | (uint32_t)px[1] << 8 | px[2]; }
static unsigned slot_of(uint32_t key) { return (key * 2654435761u) >> (32 - 10); }

/* Looks key up in a table of EXACT_SLOTS; returns its slot (empty when absent). */
static unsigned exact_find(const uint32_t *keys, uint32_t key)
{
	unsigned s = slot_of(key);

	while (keys[s] && keys[s] != key)
		s = (s + 1) & (EXACT_SLOTS - 1);
	return s;
}

static int nearest(const struct sixelout_enc *e, int r, int g, int b)
{
	int i, best = 0;
	long bestd = -1;

	for (i = 0; i < e->n; i++) {
		long dr = r - e->pal[3 * i], dg = g - e->pal[3 * i + 1], db = b - e->pal[3 * i + 2];
		long d = dr * dr + dg * dg + db * db;

		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return best;
}

static void palette_changed(struct sixelout_enc *e)
{
	int i;

	memset(e->cells, 0, NCELLS * sizeof(e->cells[0]));
	memset(e->exact_key, 0, sizeof(e->exact_key));
	for (i = 0; i < e->n; i++) {
		uint32_t key = rgb_key(e->pal + 3 * i);
		unsigned s = exact_find(e->exact_key, key);

		if (!e->exact_key[s]) { /* a duplicate entry keeps the first index */
			e->exact_key[s] = key;
			e->exact_idx[s] = (uint8_t)i;
		}
	}
}

static inline int map_pixel(struct sixelout_enc *e, const uint8_t *px)
{
	uint32_t key = rgb_key(px);
	unsigned s = exact_find(e->exact_key, key), c;

	if (e->exact_key[s])
		return e->exact_idx[s];
	c = (unsigned)(px[0] >> 2) << 12 | (unsigned)(px[1] >> 2) << 6 | (unsigned)(px[2] >> 2);
	if (!e->cells[c])
		e->cells[c] = (uint16_t)(1 + nearest(e, (px[0] & 0xfc) | 2, (px[1] & 0xfc) | 2, (px[2] & 0xfc) | 2));
	return e->cells[c] - 1;
}

/* The image's own colours, after the e->n fixed ones already in e->pal, when there are at most
 * max in all; 0 when there are more. */
static int palette_exact(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride, int max)
{
	uint32_t *keys = xcalloc(EXACT_SLOTS, sizeof(*keys));
	int x, y, n;

	for (n = 0; n < e->n; n++) {
		uint32_t key = rgb_key(e->pal + 3 * n);
		unsigned s = exact_find(keys, key);

		keys[s] = key;
	}
	for (y = 0; y < h; y++) {
		const uint8_t *row = rgb + (size_t)y * stride;

		for (x = 0; x < w; x++) {
			uint32_t key = rgb_key(row + 3 * x);
			unsigned s = exact_find(keys, key);

			if (keys[s])
				continue;
			if (n == max) {
				free(keys);
				return 0;
			}
			keys[s] = key;
			memcpy(e->pal + 3 * n++, row + 3 * x, 3);
		}
	}
	free(keys);
	e->n = n;
	return 1;
}

/* libsixel's median cut, then Lloyd steps: each entry moves to the mean of the pixels mapped
 * to it, which undoes the 5-bit bucketing and sharpens the palette where the pixels are. The
 * nfixed entries already in e->pal stay as they are; max counts them. */
static int palette_median_cut(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride,
    int max, char **cause)
{
	int nfixed = e->n;

	enum { STEPS = 2, MAX_SAMPLES = 1 << 20 };
	sixel_dither_t *dither = NULL;
	uint8_t *packed;
	uint64_t (*sum)[4];
	SIXELSTATUS st;
	size_t npx = (size_t)w * h, step, k;
	int i, it, y, status = -1;

	packed = xreallocarray(NULL, npx, 3);
	for (y = 0; y < h; y++)
		memcpy(packed + (size_t)y * w * 3, rgb + (size_t)y * stride, (size_t)w * 3);
	st = sixel_dither_new(&dither, max - nfixed, NULL);
	if (SIXEL_SUCCEEDED(st))
		st = sixel_dither_initialize(dither, packed, w, h, SIXEL_PIXELFORMAT_RGB888,
		    SIXEL_LARGE_NORM, SIXEL_REP_AVERAGE_PIXELS, SIXEL_QUALITY_HIGH);
	if (SIXEL_FAILED(st)) {
		err_set(cause, "sixel palette: %s", sixel_helper_format_error(st));
		goto out;
	}
	i = sixel_dither_get_num_of_palette_colors(dither);
	if (i < 1 || i > max - nfixed) {
		err_set(cause, "sixel palette: libsixel made %d colours", i);
		goto out;
	}
	memcpy(e->pal + 3 * nfixed, sixel_dither_get_palette(dither), (size_t)i * 3);
	e->n = nfixed + i;

	sum = xcalloc(SIXEL_PALETTE_MAX, sizeof(*sum));
	step = npx > MAX_SAMPLES ? npx / MAX_SAMPLES : 1;
	for (it = 0; it < STEPS; it++) {
		palette_changed(e);
		memset(sum, 0, SIXEL_PALETTE_MAX * sizeof(*sum));
		for (k = 0; k < npx; k += step) {
			const uint8_t *px = packed + 3 * k;
			int j = map_pixel(e, px);

			sum[j][0] += px[0];
			sum[j][1] += px[1];
			sum[j][2] += px[2];
			sum[j][3]++;
		}
		for (i = nfixed; i < e->n; i++)
			if (sum[i][3])
				for (k = 0; k < 3; k++)
					e->pal[3 * i + k] = (uint8_t)((sum[i][k] + sum[i][3] / 2) / sum[i][3]);
	}
	free(sum);
	status = 0;
out:
	if (dither)
		sixel_dither_unref(dither);
	free(packed);
	return status;
}

static int write_to_sbuf(char *data, int size, void *priv)
{
	struct sixelout_enc *e = priv;

	sbuf_add(e->target, data, (size_t)size);
	return 0;
}

struct sixelout_enc *sixelout_enc_new(const uint8_t *rgb, int w, int h, size_t stride,
    int max_colours, char **cause)
{
	return sixelout_enc_new_fixed(rgb, w, h, stride, max_colours, NULL, 0, cause);
}

struct sixelout_enc *sixelout_enc_new_fixed(const uint8_t *rgb, int w, int h, size_t stride,
    int max_colours, const uint8_t *fixed, int nfixed, char **cause)
{
	struct sixelout_enc *e;
	SIXELSTATUS st;
	int i;

	if (w < 1 || h < 1) {
		err_set(cause, "sixel: an empty image has no palette");
		return NULL;
	}
	if (max_colours > SIXEL_PALETTE_MAX)
		max_colours = SIXEL_PALETTE_MAX;
	if (max_colours < 2)
		max_colours = 2;
	e = xcalloc(1, sizeof(*e));
	e->cells = xcalloc(NCELLS, sizeof(e->cells[0]));
	/* The fixed colours first, once each; at most a quarter of the palette, so the pixels keep
	 * most of it (with 16 registers: the first 4). */
	for (i = 0; fixed && i < nfixed && e->n < max_colours / 4; i++) {
		int k;

		for (k = 0; k < e->n && memcmp(e->pal + 3 * k, fixed + 3 * i, 3); k++)
			;
		if (k == e->n)
			memcpy(e->pal + 3 * e->n++, fixed + 3 * i, 3);
	}
	if (!palette_exact(e, rgb, w, h, stride, max_colours) &&
	    palette_median_cut(e, rgb, w, h, stride, max_colours, cause) != 0)
		goto fail;
	palette_changed(e);
	st = sixel_output_new(&e->output, write_to_sbuf, e, NULL);
	if (SIXEL_FAILED(st)) {
		err_set(cause, "sixel: %s", sixel_helper_format_error(st));
		e->output = NULL;
		goto fail;
	}
	/* Runs and repeats chosen for the fewest bytes: about 10% less for the same pixels. */
	sixel_output_set_encode_policy(e->output, SIXEL_ENCODEPOLICY_SIZE);
	return e;
fail:
	sixelout_enc_free(e);
	return NULL;
}

void sixelout_enc_free(struct sixelout_enc *e)
{
	if (!e)
		return;
	if (e->output)
		sixel_output_unref(e->output);
	free(e->cells);
	free(e->idx);
	free(e);
}

const uint8_t *sixelout_enc_palette(const struct sixelout_enc *e, int *n)
{
	*n = e->n;
	return e->pal;
}

/* Inserts at out->data + at the definitions of the palette entries marked in used, numbered
 * as in the palette, in libsixel's notation (RGB in percent, rounded as libsixel does). */
static void insert_definitions(const struct sixelout_enc *e, const uint8_t *used, struct sbuf *out, size_t at)
{
	struct sbuf defs;
	int i, c;

	sbuf_init(&defs);
	for (i = 0; i < e->n; i++) {
		if (!used[i])
			continue;
		sbuf_addc(&defs, '#');
		sbuf_addu(&defs, (unsigned)i);
		sbuf_adds(&defs, ";2");
		for (c = 0; c < 3; c++) {
			sbuf_addc(&defs, ';');
			sbuf_addu(&defs, (e->pal[3 * i + c] * 100u + 127) / 255);
		}
	}
	sbuf_reserve(out, defs.len + 1);
	memmove(out->data + at + defs.len, out->data + at, out->len - at);
	memcpy(out->data + at, defs.data, defs.len);
	out->len += defs.len;
	out->data[out->len] = '\0';
	sbuf_free(&defs);
}

/* Encodes w x h pixels; shared: registers numbered as the palette (see
 * sixelout_enc_encode_shared), else 0.. in the order of the entries used. */
static int encode(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride,
    struct sbuf *out, int shared, char **cause)
{
	uint8_t used[SIXEL_PALETTE_MAX], remap[SIXEL_PALETTE_MAX], pal[SIXEL_PALETTE_MAX * 3];
	sixel_dither_t *dither = NULL;
	size_t npx = (size_t)w * h, k, start;
	SIXELSTATUS st;
	int x, y, i, n = 0;

	if (w < 1 || h < 1)
		return 0;
	if (npx > e->idx_cap) {
		e->idx = xreallocarray(e->idx, npx, 1);
		e->idx_cap = npx;
	}
	memset(used, 0, sizeof(used));
	for (y = 0, k = 0; y < h; y++) {
		const uint8_t *row = rgb + (size_t)y * stride;

		for (x = 0; x < w; x++, k++) {
			e->idx[k] = (uint8_t)map_pixel(e, row + 3 * x);
			used[e->idx[k]] = 1;
		}
	}
	/* Only the colours this image uses are defined in it: a small rectangle sent again
	 * costs its pixels, not the whole 3 KB palette. */
	if (shared) {
		n = e->n;
		memcpy(pal, e->pal, (size_t)n * 3);
	} else {
		for (i = 0; i < e->n; i++) {
			if (!used[i])
				continue;
			remap[i] = (uint8_t)n;
			memcpy(pal + 3 * n++, e->pal + 3 * i, 3);
		}
		for (k = 0; k < npx; k++)
			e->idx[k] = remap[e->idx[k]];
	}

	st = sixel_dither_new(&dither, n, NULL);
	if (SIXEL_FAILED(st))
		return err_set(cause, "sixel: %s", sixel_helper_format_error(st));
	sixel_dither_set_palette(dither, pal);
	sixel_dither_set_pixelformat(dither, SIXEL_PIXELFORMAT_PAL8);
	/* Shared numbering: libsixel would define all n entries; it writes none, and the ones
	 * used go in after the raster attributes (the header has no '#', the body starts with one). */
	if (shared)
		sixel_dither_set_body_only(dither, 1);
	e->target = out;
	start = out->len;
	st = sixel_encode(e->idx, w, h, 8, dither, e->output);
	e->target = NULL;
	sixel_dither_unref(dither);
	if (SIXEL_FAILED(st))
		return err_set(cause, "sixel: %s", sixel_helper_format_error(st));
	if (shared) {
		char *hash = memchr(out->data + start, '#', out->len - start);

		insert_definitions(e, used, out, hash ? (size_t)(hash - out->data) : out->len);
	}
	/* libsixel 1.10 starts every band but a first full one with a graphics new line, so an
	 * image less than 6 pixels tall would land 6 pixels low. The header and the palette have
	 * no '-', so the first one is that stray new line. */
	if (h < 6) {
		char *dash = memchr(out->data + start, '-', out->len - start);

		if (dash) {
			memmove(dash, dash + 1, (size_t)(out->data + out->len - dash - 1));
			out->data[--out->len] = '\0';
		}
	}
	return 0;
}

int sixelout_enc_encode(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride,
    struct sbuf *out, char **cause)
{
	return encode(e, rgb, w, h, stride, out, 0, cause);
}

int sixelout_enc_encode_shared(struct sixelout_enc *e, const uint8_t *rgb, int w, int h, size_t stride,
    struct sbuf *out, char **cause)
{
	return encode(e, rgb, w, h, stride, out, 1, cause);
}

int sixelout_enc_rect(struct sixelout_enc *e, const struct img *im, int x, int y, int w, int h,
    struct sbuf *out, char **cause)
{
	if (x < 0) {
		w += x;
		x = 0;
	}
	if (y < 0) {
		h += y;
		y = 0;
	}
	if (w > im->w - x)
		w = im->w - x;
	if (h > im->h - y)
		h = im->h - y;
	if (w < 1 || h < 1)
		return 0;
	return sixelout_enc_encode(e, im->rgb + ((size_t)y * im->w + x) * 3, w, h, (size_t)im->w * 3,
	    out, cause);
}
