/* test_sixelout_pty.c: terminal detection against a fake terminal. A child process gets a pty
 * as its controlling terminal and runs sixelout_probe on it; this process plays the terminal
 * on the master side: it answers the burst as xterm -ti vt340 does, slowly, late, or never,
 * or interrupts the child. Checked: the outcome, the deadline, and that the terminal's modes
 * are back as they were on every way out. The machine may be loaded (make -j check on a busy
 * host): the deadlines given to the probe are long where only the outcome is checked, since a
 * probe that works returns as soon as DA1 is in; "not at the deadline" is checked as "before half
 * of it"; the case about the deadline itself allows the child to wake up late. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sixelout.h"
#include "tap.h"

/* xterm 379 as `xterm -ti vt340 -xrm 'XTerm*numColorRegisters: 256'` at 160x48, recorded. */
static const char xterm_reply[] = "\033[?1;0;256S\033[?2;0;960;624S\033[?63;1;2;4;6;9;15;16;22;28c";

enum mode { XTERM, XTERM_BYTEWISE, XTERM_TYPEAHEAD, SILENT, LATE, SIGINT_DEFAULT, SIGTERM_HANDLED, BACKGROUND };

struct result {
	int rc, sixel, asked, answered, cell_w, cell_h, cell_source, colours, waited_ms, elapsed_ms;
	int restored, handler_ran;
	size_t npending;
	char pending[8];
	char cause[120];
};

static volatile sig_atomic_t handler_ran;
static void on_term(int sig) { handler_ran = sig; }

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child: the pty becomes its terminal, then it detects. */
static void child(const char *slave_name, enum mode m, int timeout_ms, int out)
{
	struct sixelout_probe pr;
	struct termios before, after;
	struct result res;
	char *cause = NULL;
	long t0;
	int fd;

	memset(&res, 0, sizeof(res));
	setsid();
	fd = open(slave_name, O_RDWR); /* the first terminal a session leader opens is its own */
	if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) != 0)
		_exit(3);
	setenv("TERM", "xterm", 1);
	unsetenv("TMUX");
	tcgetattr(fd, &before);
	if (m == SIGTERM_HANDLED)
		signal(SIGTERM, on_term);
	/* make check started in the background of a script has SIGINT ignored, and the probe
	 * rightly leaves an ignored signal ignored: the case is about the default action. */
	if (m == SIGINT_DEFAULT)
		signal(SIGINT, SIG_DFL);
	if (m == BACKGROUND) {
		pid_t pid = fork();

		if (pid > 0) {
			int st;

			waitpid(pid, &st, 0);
			_exit(0);
		}
		setpgid(0, 0); /* a job of its own, not the terminal's foreground */
	}
	t0 = now_ms();
	res.rc = sixelout_probe(TQUERY_DISPLAY_AUTO, timeout_ms, &pr, &cause);
	res.elapsed_ms = (int)(now_ms() - t0);
	tcgetattr(fd, &after);
	res.restored = before.c_lflag == after.c_lflag && before.c_iflag == after.c_iflag &&
	    !memcmp(before.c_cc, after.c_cc, sizeof(before.c_cc));
	res.sixel = pr.sixel;
	res.asked = pr.asked;
	res.answered = pr.answered;
	res.cell_w = pr.cell_w;
	res.cell_h = pr.cell_h;
	res.cell_source = (int)pr.cell_source;
	res.colours = pr.colours;
	res.waited_ms = pr.waited_ms;
	res.npending = pr.npending < sizeof(res.pending) ? pr.npending : sizeof(res.pending);
	memcpy(res.pending, pr.pending, res.npending);
	res.handler_ran = handler_ran;
	if (cause)
		snprintf(res.cause, sizeof(res.cause), "%s", cause);
	if (write(out, &res, sizeof(res)) != (ssize_t)sizeof(res))
		_exit(4);
	_exit(0);
}

/* Reads what the child writes to its terminal until the burst is complete (or 10 s). */
static int read_burst(int master)
{
	char buf[256];
	size_t got = 0;
	long end = now_ms() + 10000;

	while (got < TQUERY_BURST_LEN && now_ms() < end) {
		struct pollfd pfd = { .fd = master, .events = POLLIN };
		ssize_t n;

		if (poll(&pfd, 1, 50) <= 0)
			continue;
		n = read(master, buf + got, sizeof(buf) - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got == TQUERY_BURST_LEN && !memcmp(buf, TQUERY_BURST, TQUERY_BURST_LEN);
}

/* The times these checks compare are far apart, so that a loaded machine (a parallel make
 * check, a shared CI host) waking a process a few seconds late cannot fail them: a wait that
 * should end early has a 30 s deadline and must end within 15 s; a late reply comes 6 s late. */
#define LONG_DEADLINE_MS 30000
#define LATE_BY_MS 6000

static void pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Runs one case; *status is the child's wait status; *saw_burst whether the burst came. */
static int run(enum mode m, int timeout_ms, struct result *res, int *status, int *saw_burst,
    int *restored_after)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 80, .ws_xpixel = 484, .ws_ypixel = 316 };
	struct termios before, after;
	int master, slave, fds[2];
	const char *name;
	ssize_t n;
	pid_t pid;
	size_t i;

	memset(res, 0, sizeof(*res));
	*saw_burst = 0;
	master = posix_openpt(O_RDWR | O_NOCTTY);
	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || !(name = ptsname(master)))
		return -1;
	ioctl(master, TIOCSWINSZ, &ws);
	/* Kept open here too, to look at the terminal's modes after the child is gone. */
	slave = open(name, O_RDWR | O_NOCTTY);
	tcgetattr(slave, &before);
	if (slave < 0 || pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		close(master);
		close(slave);
		child(name, m, timeout_ms, fds[1]);
	}
	close(fds[1]);
	if (m != BACKGROUND)
		*saw_burst = read_burst(master);
	switch (m) {
	case XTERM:
		n = write(master, xterm_reply, sizeof(xterm_reply) - 1);
		(void)n;
		break;
	case XTERM_TYPEAHEAD: {
		/* The keys after the reply come in the same write: keys that arrive in a later read
		 * are not the query's business (they wait in the terminal for curses), and two
		 * writes made the outcome depend on scheduling. */
		char buf[sizeof(xterm_reply) + 2];

		n = write(master, "q", 1);
		memcpy(buf, xterm_reply, sizeof(xterm_reply) - 1);
		memcpy(buf + sizeof(xterm_reply) - 1, "jk", 2);
		n = write(master, buf, sizeof(buf) - 1);
		(void)n;
		break;
	}
	case XTERM_BYTEWISE:
		for (i = 0; i < sizeof(xterm_reply) - 1; i++) {
			n = write(master, xterm_reply + i, 1);
			(void)n;
			pause_ms(2);
		}
		break;
	case LATE:
		pause_ms(timeout_ms + LATE_BY_MS);
		n = write(master, xterm_reply, sizeof(xterm_reply) - 1);
		(void)n;
		break;
	case SIGINT_DEFAULT:
		pause_ms(100);
		kill(pid, SIGINT);
		break;
	case SIGTERM_HANDLED:
		pause_ms(100);
		kill(pid, SIGTERM);
		break;
	case SILENT:
	case BACKGROUND:
		break;
	}
	n = read(fds[0], res, sizeof(*res));
	if (n != (ssize_t)sizeof(*res))
		memset(res, 0, sizeof(*res));
	waitpid(pid, status, 0);
	tcgetattr(slave, &after);
	*restored_after = before.c_lflag == after.c_lflag && !memcmp(before.c_cc, after.c_cc, sizeof(before.c_cc));
	close(fds[0]);
	close(slave);
	close(master);
	return 0;
}

int main(void)
{
	struct result r;
	int st, burst, restored;
	int fds[2];
	struct sixelout_probe pr;
	char *cause = NULL;

	/* A hang is a failure, not a stuck make check. */
	alarm(120);
	if (run(XTERM, LONG_DEADLINE_MS, &r, &st, &burst, &restored) != 0) {
		printf("1..0 # SKIP no pseudo-terminals here\n");
		return 77;
	}
	tap_ok(burst, "the burst reaches the terminal, DA1 last");
	tap_ok(r.rc == 0 && r.asked && r.answered && r.sixel, "xterm vt340: answered, sixel (%s)", r.cause);
	tap_ok(r.cell_w == 6 && r.cell_h == 13 && r.cell_source == TQUERY_CELL_WINSIZE,
	    "cell 6x13 from 484x316 over 80x24 (got %dx%d)", r.cell_w, r.cell_h);
	tap_ok(r.colours == 256, "256 colour registers (%d)", r.colours);
	tap_ok(r.elapsed_ms < LONG_DEADLINE_MS / 2, "done when DA1 arrives, not at the deadline (%d ms)", r.elapsed_ms);
	tap_ok(r.restored && restored, "modes restored");

	run(XTERM_BYTEWISE, 10000, &r, &st, &burst, &restored);
	tap_ok(r.rc == 0 && r.answered && r.sixel && r.colours == 256 && r.restored,
	    "the reply one byte every 2 ms: same outcome (%d ms)", r.elapsed_ms);

	run(XTERM_TYPEAHEAD, 5000, &r, &st, &burst, &restored);
	tap_ok(r.rc == 0 && r.sixel && r.npending == 2 && !memcmp(r.pending, "jk", 2),
	    "keys typed before the reply are skipped, those after it kept (%zu)", r.npending);

	/* Late by as much as a loaded machine may take to wake the child, but no default of its own. */
	run(SILENT, 1500, &r, &st, &burst, &restored);
	tap_ok(burst && r.rc == 0 && r.asked && !r.answered && !r.sixel, "a silent terminal: blocks");
	tap_ok(r.elapsed_ms >= 1490 && r.elapsed_ms < 1500 + LATE_BY_MS, "after the 1500 ms deadline, not much later (%d ms)",
	    r.elapsed_ms);
	tap_ok(r.cell_w == 6 && r.cell_h == 13, "the cell size still comes from TIOCGWINSZ");
	tap_ok(r.restored && restored, "modes restored after the deadline");

	run(LATE, 200, &r, &st, &burst, &restored);
	tap_ok(!r.answered && !r.sixel && r.elapsed_ms < 200 + LATE_BY_MS, "a reply after the deadline is too late (%d ms)",
	    r.elapsed_ms);

	run(SIGINT_DEFAULT, 5000, &r, &st, &burst, &restored);
	tap_ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT, "SIGINT during the wait ends the program as before");
	tap_ok(restored, "and the terminal's modes are restored first");

	run(SIGTERM_HANDLED, LONG_DEADLINE_MS, &r, &st, &burst, &restored);
	tap_ok(WIFEXITED(st) && r.rc == -1 && r.handler_ran == SIGTERM && strstr(r.cause, "interrupted"),
	    "SIGTERM with the program's own handler: it runs, the wait ends (%s)", r.cause);
	tap_ok(r.restored && restored && r.elapsed_ms < LONG_DEADLINE_MS / 2, "modes restored, no waiting out the deadline (%d ms)",
	    r.elapsed_ms);

	run(BACKGROUND, LONG_DEADLINE_MS, &r, &st, &burst, &restored);
	tap_ok(r.rc == -1 && !r.asked && !r.sixel && strstr(r.cause, "background") && r.elapsed_ms < LONG_DEADLINE_MS / 2,
	    "a background job does not touch the terminal (%s)", r.cause);

	if (pipe(fds) == 0) {
		tap_ok(sixelout_query(fds[0], 100, &pr, &cause) == -1 && cause && strstr(cause, "not a terminal"),
		    "a pipe is not asked");
		free(cause);
		close(fds[0]);
		close(fds[1]);
	}
	return tap_done();
}
