/*
 * cmd_explain.c - 'charcheck explain FILE NAME': runs the pipeline, the
 * explain engine (explain.c) and one of its printers (report_explain.c),
 * and turns an unknown NAME into a diagnostic and the exit status (SPEC
 * 5).  The entity's verdicts are not checks: they never set the status.
 */

#include "commands.h"
#include "explain.h"
#include "report.h"

int
cmd_explain(const struct cli *c, const char *file, const char *name)
{
	struct run run;
	struct diag d;		/* the request's errors ("charcheck") */
	int status;

	if (!cli_run_checked(c, file, &run, &status))
		return status;
	diag_init(&d, &run.arena, NULL);
	uint32_t ent = explain_find(run.m, file, name, &d);
	if (ent != NONE) {
		struct explain_result xr;
		explain_run(&xr, &run.r, ent, c->all);
		if (c->format == FMT_JSON)
			report_explain_json(stdout, &xr, file);
		else
			report_explain_text(stdout, &xr, file);
		explain_result_free(&xr);
	}
	return cli_finish(c, &run, &d, status);
}
