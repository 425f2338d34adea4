/*
 * cmd_sweep.c - 'charcheck sweep FILE --data NAME --from X --to Y': runs
 * the pipeline, the sweep engine (sweep.c) and its printers
 * (report_sweep.c), and turns what failed into diagnostics and the exit
 * status (SPEC 5).  The sweep is not a check: its verdicts never set the
 * status.  An --svg that cannot be written fails before any work is done,
 * and a sweep that fails leaves no empty plot behind.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "sweep.h"
#include "report.h"

/*
 * The sweep of 'run' (the file 'file') printed in the chosen format and
 * plotted into '*svg' (closed here, then NULL), or the engine's failure
 * on 'fail'.  A plot that cannot be written is the request's error, on
 * 'd'.
 */
static void
sweep(const struct cli *c, const struct run *run, const char *file,
    uint32_t item, FILE **svg, struct diag *d, struct diag *fail)
{
	struct sweep_result sr;
	mpq_t from, to;

	/* main() has checked both bounds. */
	mpq_inits(from, to, NULL);
	if (!rational_parse(from, c->from) || !rational_parse(to, c->to))
		internal_error();
	/* The plot marks the checks' thresholds (thresholds.c). */
	if (sweep_run(&sr, &run->r, item, from, to, c->steps, &c->check,
	    fail) && (!*svg || sweep_marks(&sr, &run->r, item,
	    &c->check.lp, fail))) {
		if (c->format == FMT_JSON)
			report_sweep_json(stdout, &sr, file);
		else if (c->csv)
			report_sweep_csv(stdout, &sr);
		else
			report_sweep_text(stdout, &sr, file, c->from,
			    c->to);
		FILE *f = *svg;
		*svg = NULL;
		if (f && report_sweep_svg(f, &sr, file) != 0)
			diag_error_file(d, 2, "cannot write %s: %s", c->svg,
			    strerror(errno));
	}
	sweep_result_free(&sr);
	mpq_clears(from, to, NULL);
}

/* The item to sweep, or NONE with the request's error on 'd'. */
static uint32_t
item_of(const struct cli *c, const struct run *run, const char *file,
    struct diag *d)
{
	uint32_t item = sweep_find_item(run->m, file, c->data, d);

	if (item != NONE && !run->r.has_posterior) {
		diag_error_file(d, 2, "%s has no 'intended' block, so there "
		    "is no P(diverge) to sweep", file);
		item = NONE;
	}
	return item;
}

int
cmd_sweep(const struct cli *c, const char *file)
{
	struct run run;
	struct arena a = { 0 };
	struct diag d;		/* the request's errors ("charcheck") */
	struct diag fail;	/* the engine's, named after the file */
	bool color = cli_color(c, STDERR_FILENO);
	FILE *svg = NULL;
	int status = 0;

	diag_init(&d, &a, NULL);
	if (c->svg && !(svg = fopen(c->svg, "w"))) {
		diag_error_file(&d, 2, "cannot write %s: %s", c->svg,
		    strerror(errno));
		diag_print(&d, stderr, color);
		diag_fini(&d);
		arena_free(&a);
		return 2;
	}
	bool have = cli_run_checked(c, file, &run, &status);
	diag_init(&fail, &a, have ? run.src : NULL);
	if (have) {
		uint32_t item = item_of(c, &run, file, &d);
		if (item != NONE)
			sweep(c, &run, file, item, &svg, &d, &fail);
	}
	/* The failure printed alone (the warnings already were). */
	diag_print(&fail, stderr, color);
	diag_print(&d, stderr, color);
	if (d.status || fail.status)
		status = d.status > fail.status ? d.status : fail.status;
	if (svg) {
		fclose(svg);
		remove(c->svg);
	}
	diag_fini(&fail);
	diag_fini(&d);
	arena_free(&a);
	if (have)
		run_free(&run);
	return status;
}
