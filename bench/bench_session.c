/* bench_session.c: a scripted terminal session for measuring what the annotator sends. Runs a
 * command in a pty of a given size, types each step's keys, waits until the output has been
 * quiet for a moment, and prints the bytes (and time) each step cost, and how many image-area
 * updates (frames: DECSC ... DECRC) it sent. A step's keys go in one write, as keys typed
 * ahead arrive.
 * Usage: bench_session COLS ROWS STEP... -- COMMAND ARG...
 * A STEP is NAME=KEYS, KEYS with \e (Esc), \r, \n, \t and \xHH escapes. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
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

#define QUIET_MS 300
#define QUIET_START_MS 1500 /* the full decode of a big image comes after the preview */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (*s == '\\' && s[1]) {
			s++;
			switch (*s) {
			case 'e': out[n++] = 27; break;
			case 'r': out[n++] = '\r'; break;
			case 'n': out[n++] = '\n'; break;
			case 't': out[n++] = '\t'; break;
			case 'x': {
				unsigned v = 0;

				sscanf(s + 1, "%2x", &v);
				out[n++] = (char)v;
				s += 2;
				break;
			}
			default: out[n++] = *s;
			}
			s++;
		} else {
			out[n++] = *s++;
		}
	}
	return n;
}

/* When the output first passed half of what the start phase sends: the first screen. */
static double half_at;
static long half_of;

/* Image-area updates seen by the last drain: each is one DECSC (ESC 7) ... DECRC. */
static long frames;

/* Reads until QUIET_MS pass without output (or max_ms in all); returns bytes read and sets
 * *last to the time of the last byte, and frames to the image-area updates among them. */
static long drain(int fd, double max_ms, double *last, double quiet)
{
	char buf[65536];
	double start = now_ms();
	long total = 0;
	int esc = 0;

	*last = start;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		double t = now_ms();
		int r;

		if (t - start > max_ms || (t - *last > quiet && (total > 0 || t - start > quiet)))
			break;
		r = poll(&p, 1, 20);
		if (r > 0) {
			ssize_t k = read(fd, buf, sizeof(buf));

			if (k <= 0)
				break;
			total += k;
			*last = now_ms();
			for (ssize_t j = 0; j < k; j++) {
				if (esc && buf[j] == '7')
					frames++;
				esc = buf[j] == 27;
			}
			if (half_of && !half_at && total >= half_of)
				half_at = *last;
		}
	}
	return total;
}

int main(int argc, char **argv)
{
	struct winsize ws = { 0 };
	int i, sep = 0, fd, status;
	double t0, last;
	pid_t pid;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--"))
			sep = i;
	if (argc < 5 || !sep || sep + 1 >= argc) {
		fprintf(stderr, "usage: bench_session COLS ROWS STEP... -- COMMAND ARG...\n");
		return 2;
	}
	ws.ws_col = (unsigned short)atoi(argv[1]);
	ws.ws_row = (unsigned short)atoi(argv[2]);
	t0 = now_ms();
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[sep + 1], argv + sep + 1);
		_exit(127);
	}
	/* A cell grid's worth of bytes (at least 4 bytes a cell) marks the first image on screen. */
	half_of = (long)ws.ws_col * ws.ws_row * 4;
	printf("%-12s %9ld bytes %8.1f ms\n", "start", drain(fd, 20000, &last, QUIET_START_MS), 0.0);
	printf("%-12s %9s       %8.1f ms (image on screen)\n", "first-frame", "", half_at ? half_at - t0 : -1.0);
	printf("%-12s %9s       %8.1f ms (the last byte of the start)\n", "settled", "", last - t0);
	for (i = 3; i < sep; i++) {
		char keys[1024], *eq = strchr(argv[i], '=');
		size_t n;
		double t1;
		long bytes;

		if (!eq || strlen(eq) >= sizeof(keys))
			continue;
		n = unescape(eq + 1, keys);
		t1 = now_ms();
		if (write(fd, keys, n) != (ssize_t)n)
			break;
		frames = 0;
		bytes = drain(fd, 20000, &last, QUIET_MS);
		printf("%-12.*s %9ld bytes %8.1f ms %3ld frames\n", (int)(eq - argv[i]), argv[i], bytes, bytes ? last - t1 : 0.0,
		    frames);
	}
	kill(pid, SIGTERM);
	{
		double l;

		drain(fd, 3000, &l, QUIET_MS);
	}
	waitpid(pid, &status, 0);
	return 0;
}
