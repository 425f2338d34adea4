/*
 * cmd_compare.c - 'charcheck compare FILE': runs the pipeline, the
 * compare engine (compare.c) and one of its printers (report_compare.c),
 * and turns what failed into diagnostics and the exit status (SPEC 5).
 * The framings' verdicts are not checks: they never set the status.
 */

#include "commands.h"
#include "compare.h"
#include "report.h"

int
cmd_compare(const struct cli *c, const char *file)
{
	struct run run;
	struct compare_result cr;
	struct diag d;
	int status;

	if (!cli_run_checked(c, file, &run, &status))
		return status;
	/*
	 * A model without 'intended' is the request's error, named
	 * "charcheck"; the engine's failure (printed alone: the warnings
	 * already were) is the file's.
	 */
	bool applies = run.m->has_intended;
	diag_init(&d, &run.arena, applies ? run.src : NULL);
	if (!applies) {
		diag_error_file(&d, 2, "%s has no 'intended' block: there is "
		    "no divergence to compare", file);
	} else {
		if (compare_run(&cr, &run.r, &c->check, &d)) {
			if (c->format == FMT_JSON)
				report_compare_json(stdout, &cr, file);
			else
				report_compare_text(stdout, &cr, file, c->all);
		}
		compare_result_free(&cr);
	}
	return cli_finish(c, &run, &d, status);
}
