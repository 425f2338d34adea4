/*
 * commands.h - the subcommands of the charcheck CLI (SPEC 5).  main.c
 * parses the options into struct cli; each command reads what it needs,
 * prints its report on stdout (diagnostics on stderr) and returns the
 * exit status.
 */
#ifndef CHARCHECK_COMMANDS_H
#define CHARCHECK_COMMANDS_H

#include "pipeline.h"

/*
 * The output formats, one row each: X(NAME, word, EVERY), EVERY when
 * every command prints it (else only the default command: the CI
 * formats).  A new format: a row here and its printer (report.h), called
 * from cmd_check.c; --help and the usage errors list it by themselves.
 */
#define FORMATS(X) \
	X(TEXT, "text", true) \
	X(JSON, "json", true) \
	X(JUNIT, "junit", false) \
	X(GITHUB, "github", false) \
	X(SARIF, "sarif", false)

enum format {
#define X(name, word, every) FMT_##name,
	FORMATS(X)
#undef X
};
#define X(name, word, every) + 1
enum { FMT_COUNT = 0 FORMATS(X) };
#undef X

struct cli {
	enum format format;
	int color;		/* -1 auto, 0 never, 1 always */
	bool quiet;
	int warnings;		/* --warnings: 0 capped, 1 all, -1 none */
	bool stats;		/* --stats: stage times on stderr */
	struct check_opts check;
	struct space_opts space;
	unsigned timeout;	/* seconds, 0 = none */
	/* explain */
	bool all;
	/* fmt */
	bool write;
	bool check_fmt;		/* fmt --check */
	/* sweep */
	const char *data;
	const char *from, *to;
	unsigned long steps;
	bool csv;
	const char *svg;
	/* thresholds: every --data given, in order */
	const char **datas;
	int ndatas;
};

/* Whether stdout (stderr) should get colour under the --color setting. */
bool cli_color(const struct cli *c, int fd);

/*
 * The start of every command that reports on one checked model (explain,
 * compare, sweep, thresholds): 'file' through the whole pipeline, its
 * diagnostics on stderr, and *status 2 or 3 when a stage failed, else 0
 * (their reports are not verdicts: a failing check does not set it).
 * Returns whether the Result is there; when not, the run is freed.
 */
bool cli_run_checked(const struct cli *c, const char *file, struct run *run,
    int *status);
/*
 * Their end: the request's and the engine's errors in 'd' on stderr, the
 * exit status (theirs when there are any, else 'status'), and 'd' and
 * the run freed.
 */
int cli_finish(const struct cli *c, struct run *run, struct diag *d,
    int status);

int cmd_check(const struct cli *c, char **files, int nfiles);
int cmd_explain(const struct cli *c, const char *file, const char *name);
int cmd_compare(const struct cli *c, const char *file);
int cmd_sweep(const struct cli *c, const char *file);
int cmd_thresholds(const struct cli *c, const char *file);
int cmd_fmt(const struct cli *c, char **files, int nfiles);
/* The language server on stdin/stdout (checker/lsp.c): 0 after a
 * shutdown request and exit, else 1. */
int cmd_lsp(const struct cli *c);

#endif
