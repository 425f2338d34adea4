/*
 * sweep.h - 'charcheck sweep': P(diverge) and E(divergence) as one data
 * factor moves over [from, to] in equal steps, the other factors and the
 * weights keeping their ranges.  sweep.c computes a struct sweep_result
 * from a checked run; report_sweep.c prints it (table, CSV, JSON, SVG)
 * and computes nothing; cmd_sweep.c ties them to the command line.
 */
#ifndef CHARCHECK_SWEEP_H
#define CHARCHECK_SWEEP_H

#include <stdio.h>

#include "result.h"

/* One step of the sweep. */
struct sweep_point {
	mpq_t factor;		/* the swept item's factor, exact */
	struct interval p, e;	/* P(diverge), E(divergence) over the prior
				 * set at that factor */
	bool apart[2];		/* a jump: a plot must not join its lo
				 * (hi) bound to the next point's */
};

/*
 * A factor value where a numeric check's verdict changes: an endpoint of
 * the set where it holds (thresholds.c), exact.
 */
struct sweep_mark {
	mpq_t x;
	uint32_t line;		/* the check's line */
	bool holds_above;	/* it holds just above x (else just below) */
};

/*
 * What sweep shows: the swept item's name (the model's), the points in
 * order of factor, and (for the plot) the thresholds inside the swept
 * range.  A plot takes everything it draws from here.
 */
struct sweep_result {
	const char *data;	/* the data item's name, in the model */
	struct sweep_point *pt;	/* npt points, heap */
	size_t npt;
	struct sweep_mark *marks;	/* nmarks, by factor, heap */
	size_t nmarks;
};

/*
 * The index of the data item 'name' of 'm' (read from 'file'), or NONE
 * with an error on 'd' (exit 2) naming the items there are and the
 * closest one.
 */
uint32_t sweep_find_item(const struct model *m, const char *file,
    const char *name, struct diag *d);

/*
 * Fills 'out' with 'steps' + 1 points from the checked Result 'res' (of a
 * model with a posterior): data item 'item' at from + k (to - from) /
 * steps, exactly.
 * Returns false when the solver fails or the time runs out, with the
 * error (exit 3) on 'd'.  Free 'out' with sweep_result_free either way.
 */
bool sweep_run(struct sweep_result *out, const struct result *res,
    uint32_t item, mpq_srcptr from, mpq_srcptr to, unsigned long steps,
    const struct check_opts *o, struct diag *d);
/*
 * Adds to 'sr' (filled by sweep_run over [from, to]) the thresholds of
 * every numeric check inside [from, to], 0 and infinity excepted: where
 * the check starts or stops holding as item 'item' moves.  Returns false
 * with an error (exit 3) on 'd' when the solver fails.
 */
bool sweep_marks(struct sweep_result *sr, const struct result *res,
    uint32_t item, const struct lp_opts *o, struct diag *d);
void sweep_result_free(struct sweep_result *sr);

#endif
