/*
 * pipeline.h - one file through the pipeline: read, parse, sema, build the
 * space, check.  Every command (check, explain, compare, sweep) starts
 * here; each stage runs only if the previous one left no error.
 */
#ifndef CHARCHECK_PIPELINE_H
#define CHARCHECK_PIPELINE_H

#include "result.h"

/* The stages, for --stats: each one's wall time is kept in the run. */
enum run_stage { STAGE_PARSE, STAGE_MODEL, STAGE_SPACE, STAGE_CHECK,
	STAGE_REPORT, RUN_NSTAGES };

struct run {
	struct arena arena;	/* everything of this file but the AST */
	struct arena ast_arena;	/* the AST's nodes: freed after sema when
				 * the command does not need them */
	struct diag diag;
	struct source *src;	/* NULL if unreadable */
	struct ast_file *ast;
	struct model *m;
	struct space sp;
	struct result r;
	bool have_result;	/* the Result is complete */
	int status;		/* 0-3, SPEC 5 */
	double secs[RUN_NSTAGES];	/* wall time per stage (--stats) */
};

enum run_until { RUN_PARSE, RUN_MODEL, RUN_CHECK };

/*
 * Runs 'path' through the pipeline up to 'until'.  run->status is 2 or 3
 * when a stage failed (diagnostics in run->diag), else the checks' 0/1.
 * Free with run_free.
 */
void run_file(struct run *run, const char *path, enum run_until until,
    const struct space_opts *so, const struct check_opts *co);
/*
 * The same for the 'len' bytes at 'text' (copied), named 'path' in the
 * diagnostics: the language server's open documents.  With RUN_PARSE the
 * AST stays in run->ast.
 */
void run_text(struct run *run, const char *path, const char *text, size_t len,
    enum run_until until, const struct space_opts *so,
    const struct check_opts *co);
void run_free(struct run *run);

/* Seconds on the monotonic clock, for stage times. */
double run_clock(void);
/*
 * --stats: one line on 'f' with the sizes of the model and its space, the
 * wall time of each stage and the process's peak memory.
 */
void run_stats(const struct run *run, const char *path, FILE *f);

#endif
