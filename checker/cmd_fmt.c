/*
 * cmd_fmt.c - 'charcheck fmt [-w | --check] FILE...': print each file in
 * canonical layout, rewrite it in place (-w, only when it changes, via a
 * temporary file and rename), or only say which files are not canonical
 * (--check, exit 1).  A file with syntax errors is left alone (exit 2).
 */
/* realpath(3) is XSI. */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "commands.h"
#include "fmt.h"

/*
 * -w, before reading: 'path' is followed through symbolic links (the
 * target is what gets formatted, the link stays a link) and must be a
 * regular file (reading a FIFO would block, and a rename would replace
 * it).  On success '*real' is the resolved path (caller frees) and 'st'
 * its status; else a message for the user.
 */
static const char *
regular(const char *path, char **real, struct stat *st)
{
	*real = realpath(path, NULL);
	if (!*real)
		return strerror(errno);
	if (stat(*real, st) != 0)
		return strerror(errno);
	if (!S_ISREG(st->st_mode))
		return S_ISDIR(st->st_mode) ? "it is a directory" :
		    "it is not a regular file";
	return NULL;
}

/*
 * -w, before rewriting a file whose layout changes: it must have one
 * link and a mode that lets someone write it (root included: a
 * read-only file is refused, not overwritten).  NULL or a message.
 */
static const char *
writable(const char *real, const struct stat *st)
{
	if (st->st_nlink > 1)
		return "it has more than one hard link, and rewriting it "
		    "would break them (print it with 'charcheck fmt' instead)";
	if ((st->st_mode & 0222) == 0 || access(real, W_OK) != 0)
		return "it is read-only";
	return NULL;
}

/* Writes all 'len' bytes of 'text' to 'fd'; false (errno) on failure. */
static bool
write_all(int fd, const char *text, size_t len)
{
	while (len) {
		ssize_t n = write(fd, text, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return false;
		text += n;
		len -= (size_t)n;
	}
	return true;
}

/*
 * Replaces the file 'real' (status 'st') with 'len' bytes atomically: a
 * temporary file in its directory, with a short name (a long file name
 * plus a suffix would pass NAME_MAX), given the file's mode and owner,
 * written, fsync'ed, renamed over it, and the directory fsync'ed.  Any
 * failure removes the temporary file and leaves the original as it was.
 * False (errno) on failure.
 */
static bool
rewrite(const char *real, const struct stat *st, const char *text,
    size_t len)
{
	const char *slash = strrchr(real, '/');
	size_t dlen = slash ? (size_t)(slash - real) : 0;
	char *dir = xmalloc(dlen + 2);
	char *tmp = xmalloc(dlen + 32);

	memcpy(dir, real, dlen);
	strcpy(dir + dlen, dlen ? "" : "/");	/* realpath: absolute */
	snprintf(tmp, dlen + 32, "%s/.charcheck-fmt-XXXXXX", dlen ? dir : "");
	int fd = mkstemp(tmp);
	bool ok = fd >= 0;
	if (ok) {
		/* fchown first: it may clear set-id bits that fchmod sets. */
		ok = (fchown(fd, st->st_uid, st->st_gid) == 0 ||
		    (st->st_uid == geteuid() && st->st_gid == getegid())) &&
		    fchmod(fd, st->st_mode & 07777) == 0 &&
		    write_all(fd, text, len) && fsync(fd) == 0;
		int e = errno;
		if (close(fd) != 0 && ok) {
			ok = false;
			e = errno;
		}
		if (ok && rename(tmp, real) != 0) {
			ok = false;
			e = errno;
		}
		if (!ok)
			unlink(tmp);
		errno = e;
	}
	if (ok) {
		/* The rename lasts only once the directory is on disk. */
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	free(tmp);
	return ok;
}

int
cmd_fmt(const struct cli *c, char **files, int nfiles)
{
	int status = 0;

	if (c->write) {
		/* Past 'ulimit -f' write(2) fails with EFBIG and the
		 * temporary file is removed, instead of SIGXFSZ killing the
		 * process and leaving it behind. */
		struct sigaction sa = { .sa_handler = SIG_IGN };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGXFSZ, &sa, NULL);
	}
	for (int i = 0; i < nfiles; i++) {
		struct run run;
		char *text = NULL, *real = NULL;
		size_t len = 0;
		struct stat st;

		/* Before reading: a FIFO would block the read. */
		const char *why = c->write ? regular(files[i], &real, &st) :
		    NULL;
		if (why) {
			fprintf(stderr, "charcheck: error: %s: not rewritten: "
			    "%s\n", files[i], why);
			status = 2;
			free(real);
			continue;
		}
		run_file(&run, files[i], RUN_PARSE, &c->space, &c->check);
		diag_print(&run.diag, stderr, cli_color(c, STDERR_FILENO));
		if (run.diag.nerrors) {
			if (run.status > status)
				status = run.status;
			free(real);
			run_free(&run);
			continue;
		}
		FILE *mem = open_memstream(&text, &len);
		if (!mem)
			fatal("out of memory");
		fmt_file(mem, run.ast);
		if (fclose(mem) != 0)
			fatal("out of memory");
		bool same = len == run.src->len &&
		    memcmp(text, run.src->text, len) == 0;
		if (c->check_fmt) {
			if (!same) {
				printf("%s\n", files[i]);
				if (status < 1)
					status = 1;
			}
		} else if (c->write) {
			/* A canonical file is left alone, writable or not. */
			if (!same && (why = writable(real, &st))) {
				fprintf(stderr, "charcheck: error: %s: not "
				    "rewritten: %s\n", files[i], why);
				status = 2;
			} else if (!same && !rewrite(real, &st, text, len)) {
				fprintf(stderr, "charcheck: error: %s: cannot "
				    "rewrite: %s\n", files[i], strerror(errno));
				status = 2;
			}
		} else {
			fwrite(text, 1, len, stdout);
		}
		free(text);
		free(real);
		run_free(&run);
	}
	return status;
}
