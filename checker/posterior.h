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
 * What a posterior is computed from: the model, each entity's exact
 * likelihood (0 when refuted; read only), and optionally the data
 * factors' ranges (per data item) and the priors (per entity) to use
 * instead of the declared ones, for sweeps and thresholds.
 */
struct posterior_in {
	const struct model *m;
	mpq_t *lik;
	const struct range *scale;	/* NULL: as declared */
	const struct range *prior;	/* NULL: as declared */
};

/* The data items whose factor is an interval: the box's vertices. */
struct vertices {
	uint32_t nvar, var[POSTERIOR_MAX_DATA];
};

/*
 * Entity i's data factor (the product of the scales of the data items
 * its traits carry) at vertex 'vert' of the box 'v': bit b of 'vert'
 * takes var[b]'s upper end, else its lower end.
 */
void posterior_factor(const struct posterior_in *in,
    const struct vertices *v, uint64_t vert, uint32_t i, mpq_ptr f);

/*
 * The quantity averaged, per entity, from the Result: each one's
 * diverging share for P(diverge), its divergence for E(divergence).  A
 * fresh vector of nentities (rationals_free).
 */
enum posterior_of { POSTERIOR_DIVERGE, POSTERIOR_EXPECTED };
mpq_t *posterior_x(const struct result *r, enum posterior_of of);

/* 'in' over the Result's likelihoods, copied into 'lik' (nentities). */
void posterior_in_init(struct posterior_in *in, const struct result *r,
    mpq_t *lik);

/*
 * The range of sum_i w_i f_i L_i x_i / sum_i w_i f_i L_i over the prior
 * set, 'x' given per entity; with 'only' (else NULL), the sums run over
 * the entities it flags (the others' weights still count in constraints).
 * Vertices whose denominator is 0 everywhere are excluded; out->defined
 * is false when all are.  Returns false, with an error (exit 3) on 'd',
 * when the solver fails or the time runs out.
 */
bool posterior_range(const struct posterior_in *in, mpq_t *x,
    const bool *only, const struct lp_opts *o, struct interval *out,
    struct diag *d);

/*
 * SPEC 6.2: the prior set {w in the box, constraints hold, sum w > 0} must
 * not be empty when there are constraints.  Reports an error at the first
 * constraint, listing all of them.  Returns false on that error or on a
 * solver failure (reported as a limit, exit 3).
 */
bool posterior_prior_set(const struct model *m, const struct lp_opts *o,
    struct diag *d);

/*
 * The max of sum_i coef_i f_i w_i over the prior set (closed: w = 0 may
 * be in it) and the vertices of the data-factor box, f_i the data
 * factors (in->scale, in->prior apply).  The value goes to 'value', a
 * point attaining it to 'w' (weights) and 'f' (factors), each nentities
 * mpq_t the caller initialised.  The point is exact and its optimality
 * certified by the exact simplex (xlp.c); returns false, with an error
 * (exit 3) on 'd', when the solver fails, the time runs out or that
 * certificate cannot be had.  For thresholds (thresholds.c).
 */
bool posterior_linear_max(const struct posterior_in *in, mpq_t *coef,
    const struct lp_opts *o, mpq_ptr value, mpq_t *w, mpq_t *f,
    struct diag *d);

/* True when the model needs LPs (interval weights or constraints). */
bool posterior_needs_lp(const struct model *m);

#endif
