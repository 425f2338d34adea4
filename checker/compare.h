/*
 * compare.h - 'charcheck compare': the character framing (characters and
 * families) and the inner-optimizer framing (optimizers) side by side.
 * compare.c computes a struct compare_result from a checked run;
 * report_compare.c prints it as text or JSON and computes nothing;
 * cmd_compare.c ties them to the command line.
 */
#ifndef CHARCHECK_COMPARE_H
#define CHARCHECK_COMPARE_H

#include <stdio.h>

#include "result.h"

/* The framings, in the order the report shows them. */
enum compare_framing { CMP_CHARACTERS, CMP_OPTIMIZERS, CMP_NFRAMINGS };

/*
 * One framing: its entities, P(diverge) and E(divergence) restricted to
 * it (the posterior given that the model is one of its entities), and the
 * diverging deployment behaviours its consistent diverging entities
 * produce.
 */
struct compare_side {
	bool *in;		/* nentities flags: entity i is in it; heap */
	uint32_t n;		/* how many are */
	struct interval p, e;	/* P(diverge), E(divergence); unset when
				 * n == 0 */
	uint64_t *beh;		/* bit s * nactions + a: it plays a at
				 * positive-weight deployment situation s,
				 * off-intended; bw words, heap */
};

/*
 * What compare shows.  The model, space and Result are the run's (read
 * only, they must outlive this); the rest is the result's own.
 */
struct compare_result {
	const struct model *m;
	const struct space *sp;
	const struct result *r;
	struct compare_side side[CMP_NFRAMINGS];
	size_t bw;		/* words of a behaviour bitset */
	/* The optimizer framing's P(diverge) with every optimizer re-judged
	 * at horizon 0, and each just beyond its critical horizon (h* + 1);
	 * set only when there are optimizers. */
	struct interval myopic, farsighted;
	bool prior_set;		/* the prior is a set (data factors,
				 * interval weights or constraints), not
				 * a point */
};

/*
 * Fills 'out' from the checked Result 'res' (of a model with an
 * 'intended' block) under the options 'o'.  Returns false
 * when the solver fails or the time runs out, with the error (exit 3) on
 * 'd'.  Free 'out' with compare_result_free in either case.
 */
bool compare_run(struct compare_result *out, const struct result *res,
    const struct check_opts *o, struct diag *d);
void compare_result_free(struct compare_result *cr);

#endif
