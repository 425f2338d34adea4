/*
 * cmd_fmt.c - 'charcheck fmt [-w | --check] FILE...': print each file in
 * canonical layout, rewrite it in place (-w, only when it changes, via a
 * temporary file and rename), or only say which files are not canonical
 * (--check, exit 1).  A file with syntax errors is left alone (exit 2).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "fmt.h"

/* Writes 'len' bytes to 'path' atomically; false (errno) on failure. */
static bool
rewrite(const char *path, const char *text, size_t len)
{
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 16);

	snprintf(tmp, n + 16, "%s.fmt-XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return false;
	}
	FILE *f = fdopen(fd, "w");
	bool ok = f && fwrite(text, 1, len, f) == len;
	if (f)
		ok = (fclose(f) == 0) && ok;
	else
		close(fd);
	if (ok && rename(tmp, path) != 0)
		ok = false;
	if (!ok) {
		int e = errno;
		unlink(tmp);
		errno = e;
	}
	free(tmp);
	return ok;
}

int
cmd_fmt(const struct cli *c, char **files, int nfiles)
{
	int status = 0;

	for (int i = 0; i < nfiles; i++) {
		struct run run;
		char *text = NULL;
		size_t len = 0;

		run_file(&run, files[i], RUN_PARSE, &c->space, &c->check);
		diag_print(&run.diag, stderr, cli_color(c, STDERR_FILENO));
		if (run.diag.nerrors) {
			if (run.status > status)
				status = run.status;
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
			if (!same && !rewrite(files[i], text, len)) {
				fprintf(stderr, "charcheck: error: %s: cannot "
				    "rewrite: %s\n", files[i], strerror(errno));
				status = 2;
			}
		} else {
			fwrite(text, 1, len, stdout);
		}
		free(text);
		run_free(&run);
	}
	return status;
}
