/* model.c: the model command (see model.h): fork and exec without a shell, the request on
 * stdin, stderr's end kept, the mask read back and checked. */
#include "config.h"

#include "model.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "err.h"
#include "img.h"
#include "pngio.h"
#include "sbuf.h"
#include "text.h"
#include "xalloc.h"

#define MODEL_MAX_WORDS 256

void model_argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

char **model_split(const char *command, char **cause)
{
	char **argv = xcalloc(MODEL_MAX_WORDS + 1, sizeof(*argv));
	size_t n = 0;
	const char *p = command;
	struct sbuf w;

	sbuf_init(&w);
	for (;;) {
		int in_word = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		w.len = 0;
		while (*p && *p != ' ' && *p != '\t') {
			in_word = 1;
			if (*p == '\'') {
				const char *end = strchr(p + 1, '\'');

				if (!end)
					goto open_quote;
				sbuf_add(&w, p + 1, (size_t)(end - p - 1));
				p = end + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
						p++;
					sbuf_addc(&w, *p++);
				}
				if (!*p)
					goto open_quote;
				p++;
			} else if (*p == '\\' && p[1]) {
				sbuf_addc(&w, p[1]);
				p += 2;
			} else {
				sbuf_addc(&w, *p++);
			}
		}
		if (in_word) {
			if (n == MODEL_MAX_WORDS) {
				err_set(cause, "the model command has more than %d words", MODEL_MAX_WORDS);
				goto fail;
			}
			sbuf_addc(&w, '\0');
			argv[n++] = xstrdup(w.data);
		}
	}
	sbuf_free(&w);
	if (n == 0) {
		err_set(cause, "the model command is empty");
		model_argv_free(argv);
		return NULL;
	}
	return argv;
open_quote:
	err_set(cause, "the model command has an open quote");
fail:
	sbuf_free(&w);
	model_argv_free(argv);
	return NULL;
}

char *model_request(const char *image, int w, int h, const struct model_point *pts, size_t n, const char *output)
{
	json_t *o, *ps, *path;
	char *abs = realpath(image, NULL), *text, *copy;
	size_t i;

	/* JSON strings are UTF-8: a path that is not cannot be said, and a request without its
	 * "image" would only fail in the model's own code. */
	path = json_string(abs ? abs : image);
	free(abs);
	if (!path)
		return NULL;
	o = json_object();
	ps = json_array();
	json_object_set_new(o, "image", path);
	json_object_set_new(o, "width", json_integer(w));
	json_object_set_new(o, "height", json_integer(h));
	for (i = 0; i < n; i++)
		json_array_append_new(ps, json_pack("[f, f, i]", pts[i].x, pts[i].y, pts[i].label ? 1 : 0));
	json_object_set_new(o, "points", ps);
	json_object_set_new(o, "box", json_null());
	json_object_set_new(o, "output", json_string(output));
	text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	copy = xstrdup(text);
	free(text);
	return copy;
}

static void job_clear(struct model_job *job)
{
	/* Never 0: a job zeroed by its owner has not opened stdin. */
	if (job->err_fd > 0)
		close(job->err_fd);
	if (job->output) {
		(void)unlink(job->output);
		free(job->output);
	}
	memset(job, 0, sizeof(*job));
	job->err_fd = -1;
}

int model_start(const char *command, const char *image, int w, int h, const struct model_point *pts, size_t n,
    const char *tmpdir, double now, double timeout, struct model_job *job, char **cause)
{
	int in[2] = { -1, -1 }, er[2] = { -1, -1 }, fd, rc = -1;
	char **argv = NULL, *req = NULL;
	size_t off = 0, len;
	pid_t pid;

	memset(job, 0, sizeof(*job));
	job->err_fd = -1;
	if (n > MODEL_MAX_POINTS)
		return err_set(cause, "at most %d points", MODEL_MAX_POINTS);
	argv = model_split(command, cause);
	if (!argv)
		return -1;
	if (!tmpdir || !*tmpdir)
		tmpdir = getenv("TMPDIR");
	if (!tmpdir || !*tmpdir)
		tmpdir = "/tmp";
	job->output = xasprintf("%s/pxlabel-mask-XXXXXX.png", tmpdir);
	fd = mkstemps(job->output, 4);
	if (fd < 0) {
		err_set(cause, "%s: %s", job->output, strerror(errno));
		free(job->output);
		job->output = NULL;
		goto out;
	}
	close(fd);
	req = model_request(image, w, h, pts, n, job->output);
	if (!req) {
		err_set(cause, "%s: the image's path is not UTF-8, which the model's JSON request cannot carry",
		    image);
		goto out;
	}
	if (pipe2(in, O_CLOEXEC) != 0 || pipe2(er, O_CLOEXEC) != 0) {
		err_set(cause, "pipe: %s", strerror(errno));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		err_set(cause, "fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		struct sigaction sa;

		/* A group of its own, so that Esc and the time limit end its children too. */
		setpgid(0, 0);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_DFL;
		sigaction(SIGPIPE, &sa, NULL);
		dup2(in[0], 0);
		dup2(null >= 0 ? null : er[1], 1);
		dup2(er[1], 2);
		execvp(argv[0], argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	job->pid = pid;
	close(in[0]);
	in[0] = -1;
	close(er[1]);
	er[1] = -1;
	job->err_fd = er[0];
	er[0] = -1;
	(void)fcntl(job->err_fd, F_SETFL, O_NONBLOCK);
	/* The request is small (a pipe holds 64 KiB): a command that does not read it still lets
	 * this write finish; one that exited gets EPIPE, and its exit status tells the rest. */
	len = strlen(req);
	while (off < len) {
		ssize_t k = write(in[1], req + off, len - off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	job->w = w;
	job->h = h;
	job->started = now;
	job->timeout = timeout > 0 ? timeout : MODEL_TIMEOUT_DEFAULT;
	rc = 0;
out:
	if (in[0] >= 0)
		close(in[0]);
	if (in[1] >= 0)
		close(in[1]);
	if (er[0] >= 0)
		close(er[0]);
	if (er[1] >= 0)
		close(er[1]);
	if (rc != 0)
		job_clear(job);
	model_argv_free(argv);
	free(req);
	return rc;
}

/* What stderr said so far, the end kept. */
static void drain(struct model_job *job)
{
	char buf[4096];
	ssize_t k;

	while (job->err_fd > 0 && (k = read(job->err_fd, buf, sizeof(buf))) > 0) {
		size_t kk = (size_t)k;

		if (kk >= MODEL_ERR_KEEP) {
			memcpy(job->err, buf + kk - MODEL_ERR_KEEP, MODEL_ERR_KEEP);
			job->nerr = MODEL_ERR_KEEP;
		} else {
			if (job->nerr + kk > MODEL_ERR_KEEP) {
				size_t drop = job->nerr + kk - MODEL_ERR_KEEP;

				memmove(job->err, job->err + drop, job->nerr - drop);
				job->nerr -= drop;
			}
			memcpy(job->err + job->nerr, buf, kk);
			job->nerr += kk;
		}
	}
	job->err[job->nerr] = '\0';
}

/* The last line of stderr with text in it, quoted for the terminal; "" when none. */
static char *last_line(struct model_job *job)
{
	char *e = job->err, *end, *start;

	drain(job);
	end = e + job->nerr;
	while (end > e && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		end--;
	*end = '\0';
	start = end;
	while (start > e && start[-1] != '\n')
		start--;
	return text_message(start);
}

static int read_mask(struct model_job *job, struct region *out, char **cause)
{
	struct img_limits lim;
	uint16_t *v = NULL;
	uint8_t *m;
	int w = 0, h = 0;
	size_t i, n;
	char *why = NULL;

	img_limits_default(&lim);
	if (pngio_read_values(job->output, &lim, &v, &w, &h, &why) != 0) {
		/* A colour PNG: any channel not zero. */
		struct img_load_opts o;
		struct img *im;

		img_load_opts_default(&o);
		o.alpha_black = 1; /* a transparent background is no object */
		im = img_load(job->output, &o, NULL);
		if (!im) {
			err_set(cause, "the model's mask cannot be read: %s", why ? why : "?");
			free(why);
			return -1;
		}
		free(why);
		w = im->w;
		h = im->h;
		n = (size_t)w * h;
		v = xmalloc(n * sizeof(*v));
		for (i = 0; i < n; i++)
			v[i] = im->rgb[i * 3] | im->rgb[i * 3 + 1] | im->rgb[i * 3 + 2];
		img_free(im);
	}
	if (w != job->w || h != job->h) {
		free(v);
		return err_set(cause, "the model's mask is %dx%d, the image %dx%d", w, h, job->w, job->h);
	}
	n = (size_t)w * h;
	m = xmalloc(n);
	for (i = 0; i < n; i++)
		m[i] = v[i] != 0;
	free(v);
	region_from_mask(out, m, w, h, (size_t)w);
	free(m);
	return 0;
}

enum model_state model_poll(struct model_job *job, double now, struct region *out, char **cause)
{
	int status;
	pid_t r;

	if (!job->pid) {
		err_set(cause, "no model command is running");
		return MODEL_FAILED;
	}
	drain(job);
	r = waitpid(job->pid, &status, WNOHANG);
	if (r == 0) {
		if (now - job->started <= job->timeout)
			return MODEL_RUNNING;
		double limit = job->timeout;

		model_kill(job);
		err_set(cause, "the model command took more than %.3g s: stopped", limit);
		return MODEL_FAILED;
	}
	job->pid = 0;
	if (r < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *line = last_line(job);

		if (r > 0 && WIFSIGNALED(status))
			err_set(cause, "the model command was killed by signal %d%s%s", WTERMSIG(status), *line ? ": " : "", line);
		else
			err_set(cause, "the model command failed (exit %d)%s%s", r > 0 ? WEXITSTATUS(status) : -1,
			    *line ? ": " : "", line);
		free(line);
		job_clear(job);
		return MODEL_FAILED;
	}
	if (read_mask(job, out, cause) != 0) {
		job_clear(job);
		return MODEL_FAILED;
	}
	job_clear(job);
	return MODEL_DONE;
}

void model_kill(struct model_job *job)
{
	if (job->pid > 0) {
		(void)kill(-job->pid, SIGKILL);
		(void)kill(job->pid, SIGKILL);
		while (waitpid(job->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	job_clear(job);
}
