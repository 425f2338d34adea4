/*
 * posterior.h - P(diverge), E(divergence) and P(set) over the prior set
 * (SPEC 4.8).  With point weights and no constraints the value at each
 * vertex of the data-factor box is one exact rational.  Otherwise each
 * vertex is a linear-fractional program in the weights, solved by
 * Dinkelbach's method with GLPK LPs; each optimal vertex is recomputed in
 * exact rational arithmetic from the LP's basis, so that checks compare
 * exact values.
 */
#ifndef CHARCHECK_POSTERIOR_H
#define CHARCHECK_POSTERIOR_H

#include "result.h"

/* Interval data factors enumerated at most (2^16 vertices). */
#define POSTERIOR_MAX_DATA 16

/*
 * The range of sum_i w_i f_i L_i x_i / sum_i w_i f_i L_i over the prior
 * set, 'x' given per entity; with 'only' (else NULL), the sums run over
 * the entities it flags (the others' weights still count in constraints).
 * Vertices whose denominator is 0 everywhere are excluded; out->defined
 * is false when all are.  Returns false, with a message in 'why', when the
 * solver fails (exit 3).
 */
bool posterior_range(const struct result *r, mpq_t *x, const bool *only,
    const struct lp_opts *o, struct interval *out, char *why, size_t len);

/*
 * SPEC 6.2: the prior set {w in the box, constraints hold, sum w > 0} must
 * not be empty when there are constraints.  Reports an error at the first
 * constraint, listing all of them.  Returns false on that error or on a
 * solver failure (reported as a limit, exit 3).
 */
bool posterior_prior_set(const struct model *m, const struct lp_opts *o,
    struct diag *d);

/* True when the model needs LPs (interval weights or constraints). */
bool posterior_needs_lp(const struct model *m);

#endif
