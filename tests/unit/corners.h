/*
 * corners.h - helpers of the test_corners_*.c unit tests: model files
 * written to a private temporary directory, and running a function in a
 * child process with its stdout, stderr and exit status captured (for
 * the paths that exit, and for the global state -- the deadline flag --
 * that must not leak into the next test).  A child ends with exit(), so
 * gcov and LeakSanitizer see it.  Include after <cmocka.h>.
 */
#ifndef CHARCHECK_CORNERS_H
#define CHARCHECK_CORNERS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct cap {
	int status;	/* exit status, or 128 + signal */
	char *out;	/* stdout, NUL-terminated, heap */
	char *err;	/* stderr */
};

/* The test's private directory (made once, removed by cover_cleanup). */
static inline const char *
cover_dir(void)
{
	static char dir[64];

	if (!dir[0]) {
		snprintf(dir, sizeof dir, "/tmp/charcheck-cover-XXXXXX");
		if (!mkdtemp(dir)) {
			perror("mkdtemp");
			abort();
		}
	}
	return dir;
}

/* Writes 'text' to cover_dir()/name; returns the path (heap). */
static inline char *
cover_file(const char *name, const char *text)
{
	size_t n = strlen(cover_dir()) + strlen(name) + 2;
	char *path = malloc(n);
	FILE *f;

	if (!path)
		abort();
	snprintf(path, n, "%s/%s", cover_dir(), name);
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		perror(path);
		abort();
	}
	return path;
}

/* Reads a whole file (heap, NUL-terminated); "" when unreadable. */
static inline char *
cover_slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, n;

	do {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		n = f ? fread(buf + len, 1, cap - len - 1, f) : 0;
		len += n;
	} while (n > 0);
	buf[len] = '\0';
	if (f)
		fclose(f);
	return buf;
}

/*
 * Drops libgcov's own complaints (a stale .gcda after a rebuild, in a
 * --coverage build) from captured stderr: they are not the program's.
 */
static inline void
cover_strip_gcov(char *s)
{
	char *r = s, *w = s;

	while (*r) {
		char *nl = strchr(r, '\n');
		size_t n = nl ? (size_t)(nl - r) + 1 : strlen(r);
		if (strncmp(r, "libgcov profiling error:", 24) != 0 &&
		    strncmp(r, "profiling:", 10) != 0) {
			memmove(w, r, n);
			w += n;
		}
		r += n;
	}
	*w = '\0';
}

/*
 * Runs fn(arg) in a child with stdout and stderr sent to files (stdout to
 * 'out_path' when given, e.g. "/dev/full"); the child exits with fn's
 * return value.
 */
static inline struct cap
cover_run_to(int (*fn)(void *), void *arg, const char *out_path)
{
	struct cap c = { 0 };
	char o[128], e[128];
	pid_t pid;
	int st;

	snprintf(o, sizeof o, "%s/stdout", cover_dir());
	snprintf(e, sizeof e, "%s/stderr", cover_dir());
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		int fo = open(out_path ? out_path : o,
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(e, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fo < 0 || fe < 0)
			_exit(125);
		/* '-' reads standard input: never the terminal's. */
		int fi = open("/dev/null", O_RDONLY);
		if (fi >= 0) {
			dup2(fi, STDIN_FILENO);
			close(fi);
		}
		dup2(fo, STDOUT_FILENO);
		dup2(fe, STDERR_FILENO);
		close(fo);
		close(fe);
		exit(fn(arg));
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			abort();
	c.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	c.out = out_path ? calloc(1, 1) : cover_slurp(o);
	c.err = cover_slurp(e);
	cover_strip_gcov(c.err);
	return c;
}

static inline struct cap
cover_run(int (*fn)(void *), void *arg)
{
	return cover_run_to(fn, arg, NULL);
}

static inline void
cap_free(struct cap *c)
{
	free(c->out);
	free(c->err);
}

/* Removes cover_dir() and what the tests wrote there. */
static inline void
cover_cleanup(void)
{
	const char *d = cover_dir();
	size_t n = strlen(d) + 16;
	char *cmd = malloc(n);

	if (!cmd)
		abort();
	snprintf(cmd, n, "rm -rf '%s'", d);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", d);
	free(cmd);
}

/* A cmocka group teardown that removes what the tests wrote. */
static inline int
cover_teardown(void **state)
{
	(void)state;
	cover_cleanup();
	return 0;
}

/* Asserts that 'hay' contains 'needle', showing both when not. */
#define assert_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (!strstr(h_, n_)) \
		fail_msg("expected to find\n  [%s]\nin\n  [%s]", n_, h_); \
} while (0)
#define assert_not_contains(hay, needle) do { \
	const char *h_ = (hay), *n_ = (needle); \
	if (strstr(h_, n_)) \
		fail_msg("did not expect\n  [%s]\nin\n  [%s]", n_, h_); \
} while (0)

#endif
