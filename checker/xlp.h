/*
 * xlp.h - exact rational linear algebra for the posterior's LPs: a dense
 * Gauss-Jordan solve, and a bounded primal simplex in GMP rationals that
 * starts from a basis GLPK found in doubles and pivots until the basis is
 * provably optimal.  GLPK's simplex accepts reduced costs within 1e-7 of
 * zero and cannot hold a coefficient beyond the range of a double; this
 * module has neither limit, so a posterior bound never depends on them.
 */
#ifndef CHARCHECK_XLP_H
#define CHARCHECK_XLP_H

#include <stdbool.h>
#include <stdint.h>

#include <gmp.h>

/*
 * Solves the neq x (n+1) augmented system 'a' (row-major, right-hand side
 * last) in place; variables without a pivot take 'guess'.  False when the
 * system is inconsistent.
 */
bool xlp_gauss(mpq_t *a, uint32_t neq, uint32_t n, mpq_t *guess, mpq_t *out);

/*
 * max c.x subject to  row_r: sum_j a[r][j] x_j = s_r,  s_r in its bounds,
 * lo_j <= x_j <= hi_j (finite).  Variables are the n columns, then the m
 * row activities s_r.  A row bound is a value with a flag saying whether
 * it exists (-inf / +inf otherwise).
 */
struct xlp {
	uint32_t m, n;
	mpq_t *a;		/* m x n, row-major */
	mpq_t *lo, *hi;		/* n column bounds */
	mpq_t *rlo, *rhi;	/* m row bounds */
	const bool *has_rlo, *has_rhi;
	mpq_t *c;		/* n objective coefficients (maximised) */
};

enum xlp_outcome {
	XLP_OPTIMAL,		/* the final basis is optimal, exactly */
	XLP_GAVE_UP,		/* iteration limit or --timeout */
	XLP_SINGULAR		/* the starting basis was not a basis */
};

/*
 * From the feasible basic solution given in 'basic' (n + m flags, exactly
 * m set) and 'x' (n + m exact values: nonbasic ones at a bound), pivots
 * with Bland's rule to an optimal basis; 'basic' and 'x' are updated.
 */
enum xlp_outcome xlp_polish(const struct xlp *p, bool *basic, mpq_t *x,
    uint32_t max_pivots);

#endif
