/*
 * commands.h - the subcommands of the charcheck CLI (SPEC 5).  main.c
 * parses the options into struct cli; each command reads what it needs,
 * prints its report on stdout (diagnostics on stderr) and returns the
 * exit status.
 */
#ifndef CHARCHECK_COMMANDS_H
#define CHARCHECK_COMMANDS_H

#include "pipeline.h"

enum format { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_GITHUB, FMT_SARIF };

struct cli {
	enum format format;
	bool format_given;
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

int cmd_check(const struct cli *c, char **files, int nfiles);
int cmd_explain(const struct cli *c, const char *file, const char *name);
int cmd_compare(const struct cli *c, const char *file);
int cmd_sweep(const struct cli *c, const char *file);
int cmd_thresholds(const struct cli *c, const char *file);
int cmd_fmt(const struct cli *c, char **files, int nfiles);

#endif
