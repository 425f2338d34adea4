/*
 * pipeline.c - the stages in order, one call each, stopping at the first
 * stage that reports an error.
 */
#include "pipeline.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include <sys/resource.h>

double
run_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
run_file(struct run *run, const char *path, enum run_until until,
    const struct space_opts *so, const struct check_opts *co)
{
	double t = run_clock(), t0;

	memset(run, 0, sizeof *run);
	run->src = source_read(&run->arena, path);
	diag_init(&run->diag, &run->arena, run->src);
	run->diag.path = path;
	if (!run->src) {
		diag_error_file(&run->diag, 2, "cannot read: %s",
		    strerror(errno));
	} else {
		run->ast = parse_source_split(&run->arena, &run->ast_arena,
		    run->src, &run->diag);
		run->secs[STAGE_PARSE] = (t0 = run_clock()) - t;
		if (until > RUN_PARSE && run->diag.nerrors == 0)
			run->m = sema_run(&run->arena, run->ast, &run->diag);
		/* The space reuses the AST's memory: on a 250 KB model that
		 * is 4 MB the space need not fault in afresh. */
		if (until > RUN_PARSE) {
			arena_free(&run->ast_arena);
			run->ast = NULL;
		}
		run->secs[STAGE_MODEL] = (t = run_clock()) - t0;
		bool built = until > RUN_MODEL && run->m &&
		    space_build(&run->sp, run->m, so, &run->diag);
		run->secs[STAGE_SPACE] = (t0 = run_clock()) - t;
		if (built)
			run->have_result = check_model(&run->r, run->m,
			    &run->sp, co, &run->diag);
		run->secs[STAGE_CHECK] = run_clock() - t0;
	}
	if (run->diag.nerrors)
		run->status = run->diag.status ? run->diag.status : 2;
	else
		run->status = run->r.status;
	if (run->diag.nerrors)
		run->have_result = false;
}

void
run_free(struct run *run)
{
	result_free(&run->r);
	space_free(&run->sp);
	model_free(run->m);
	diag_fini(&run->diag);
	arena_free(&run->ast_arena);
	arena_free(&run->arena);
}

void
run_stats(const struct run *run, const char *path, FILE *f)
{
	static const char *const names[RUN_NSTAGES] = {
		"parse", "model", "space", "check", "report",
	};
	struct rusage ru;

	fprintf(f, "charcheck: stats: %s:", path);
	if (run->m && run->sp.m) {
		fprintf(f, " %llu situations", (unsigned long long)
		    run->sp.full.nsit);
		if (run->sp.full.nsit != run->sp.nsit)
			fprintf(f, " (%llu after lumping hidden values)",
			    (unsigned long long)run->sp.nsit);
		fprintf(f, ", %llu classes, %u entities;",
		    (unsigned long long)run->sp.ncls, run->m->nentities);
	}
	for (int i = 0; i < RUN_NSTAGES; i++)
		fprintf(f, "%s %s %.1f ms", i ? "," : "", names[i],
		    run->secs[i] * 1e3);
	fprintf(f, "; model arena %.1f MB",
	    (double)run->arena.used / 1048576);
	/* Linux reports ru_maxrss in KiB. */
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(f, "; peak %.1f MB", (double)ru.ru_maxrss / 1024);
	fputc('\n', f);
}
