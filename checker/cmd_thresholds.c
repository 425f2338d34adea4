/*
 * cmd_thresholds.c - 'charcheck thresholds FILE [--data NAME]...': for
 * every numeric check, where it holds as each data factor moves, and
 * how robust it is to the prior (SPEC 5.3).  Like sweep it reports and
 * does not judge: the exit status is 0 unless the model is invalid (2)
 * or a limit or the solver stops the work (3).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "report.h"
#include "report_thresholds.h"

/* The index of data item 'name', or NONE after an error on stderr. */
static uint32_t
find_item(const struct model *m, const char *file, const char *name)
{
	struct suggest sg;

	for (uint32_t k = 0; k < m->ndata; k++)
		if (!strcmp(m->data[k].name, name))
			return k;
	fprintf(stderr, "charcheck: error: %s has no data item '%s'", file,
	    name);
	for (uint32_t k = 0; k < m->ndata; k++)
		fprintf(stderr, "%s'%s'", k ? ", " : " (it has ",
		    m->data[k].name);
	if (m->ndata)
		fputc(')', stderr);
	suggest_init(&sg, name);
	for (uint32_t k = 0; k < m->ndata; k++)
		suggest_offer(&sg, m->data[k].name);
	if (suggest_pick(&sg))
		fprintf(stderr, "; did you mean '%s'?", suggest_pick(&sg));
	fputc('\n', stderr);
	return NONE;
}

int
cmd_thresholds(const struct cli *c, const char *file)
{
	struct run run;
	int status;

	/* Reports, not verdicts: a failing check does not set the status. */
	if (!cli_run_checked(c, file, &run, &status))
		return status;
	const struct model *m = run.m;
	/* The items: those named (each once, in model order), else all. */
	bool *want = xcalloc(m->ndata + 1, sizeof *want);
	for (int k = 0; k < c->ndatas; k++) {
		uint32_t item = find_item(m, file, c->datas[k]);
		if (item == NONE) {
			free(want);
			run_free(&run);
			return 2;
		}
		want[item] = true;
	}
	for (uint32_t k = 0; k < m->ndata && c->ndatas == 0; k++)
		want[k] = true;
	uint32_t nsets = 0, nradii = 0;
	struct threshold_set *sets = xcalloc((size_t)m->nchecks * m->ndata +
	    1, sizeof *sets);
	struct robustness *radii = xcalloc(m->nchecks + 1, sizeof *radii);
	struct diag fail;
	diag_init(&fail, &run.arena, run.src);
	bool ok = true;
	for (uint32_t ci = 0; ci < m->nchecks && ok; ci++) {
		if (!thresholds_numeric(&m->checks[ci]))
			continue;
		for (uint32_t k = 0; k < m->ndata && ok; k++) {
			if (!want[k])
				continue;
			threshold_set_init(&sets[nsets]);
			ok = thresholds_of(&run.r, ci, k, &c->check.lp,
			    &sets[nsets], &fail);
			nsets++;
		}
		if (!ok)
			break;
		robustness_init(&radii[nradii]);
		ok = robustness_of(&run.r, ci, &c->check.lp, &radii[nradii],
		    &fail);
		nradii++;
	}
	if (!ok) {
		diag_print(&fail, stderr, cli_color(c, STDERR_FILENO));
		status = 3;
	} else {
		struct thresholds_report tr = { file, m, sets, nsets, radii,
		    nradii };
		if (c->format == FMT_JSON) {
			report_json_emit(stdout, report_thresholds_json(&tr));
		} else {
			report_thresholds_text(stdout, &tr);
		}
	}
	for (uint32_t k = 0; k < nsets; k++)
		threshold_set_clear(&sets[k]);
	for (uint32_t k = 0; k < nradii; k++)
		robustness_clear(&radii[k]);
	free(sets);
	free(radii);
	free(want);
	diag_fini(&fail);
	run_free(&run);
	return status;
}
