/*
 * pipeline.c - the stages in order, one call each, stopping at the first
 * stage that reports an error.
 */
#include "pipeline.h"

#include <errno.h>
#include <string.h>

void
run_file(struct run *run, const char *path, enum run_until until,
    const struct space_opts *so, const struct check_opts *co)
{
	memset(run, 0, sizeof *run);
	run->src = source_read(&run->arena, path);
	diag_init(&run->diag, &run->arena, run->src);
	run->diag.path = path;
	if (!run->src) {
		diag_error_file(&run->diag, 2, "cannot read: %s",
		    strerror(errno));
	} else {
		run->ast = parse_source(&run->arena, run->src, &run->diag);
		if (until > RUN_PARSE && run->diag.nerrors == 0)
			run->m = sema_run(&run->arena, run->ast, &run->diag);
		if (until > RUN_MODEL && run->m &&
		    space_build(&run->sp, run->m, so, &run->diag))
			run->have_result = check_model(&run->r, run->m,
			    &run->sp, co, &run->diag);
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
	arena_free(&run->arena);
}
