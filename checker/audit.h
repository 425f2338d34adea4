/*
 * audit.h - audits (SPEC 4.9): which consistent diverging entities an
 * evaluator could refute by looking at the model's action in one audit
 * situation, the fewest such situations that refute all of them (a set
 * cover: reductions, greedy and bounds, a search of our own when they are
 * one apart, GLPK's MIP behind it), and the ones no audit can catch.
 */
#ifndef CHARCHECK_AUDIT_H
#define CHARCHECK_AUDIT_H

#include "lp.h"
#include "policy.h"

/* The audit situations, and what the engines need to plan over them. */
struct audit_space {
	uint64_t n;		/* |A|: positions, A in canonical order */
	uint64_t *cls;		/* their classes (NULL when sliced) */
	bool sliced;		/* A is whole runs of all classes in order
				 * (position k has class k % ncls, ncls a
				 * multiple of 64): bitsets align */
	size_t aw;		/* words of a bitset over A's positions */
	uint64_t **bad;		/* per action: positions where it is not
				 * intended (uncovered positions: none) */
};

void audit_space_build(struct audit_space *as, const struct space *sp);
void audit_space_free(struct audit_space *as);

/*
 * The positions of A where policy 'p' plays, with probability 1, an
 * action that is not intended.  Heap bitset over positions.
 */
uint64_t *audit_refuters(const struct audit_space *as,
    const struct space *sp, const struct policy *p);

/* A set cover found by audit_cover. */
struct cover_answer {
	uint32_t n;		/* columns chosen */
	uint32_t *cols;		/* their indices, ascending, heap */
	uint32_t lower_bound;	/* no cover has fewer columns */
	bool minimal;		/* proven: n == lower_bound */
	uint32_t greedy;	/* what greedy found after the reductions */
	uint32_t reduced_rows, reduced_cols;	/* left by the reductions */
	bool searched;		/* our own search ran (audit.c) */
	bool solver, mip;	/* an LP was solved; the MIP too */
};

/*
 * The fewest of 'ncols' columns that cover 'nrows' rows; column j is the
 * bitset over rows at 'cols' + j * bs_words(nrows), and every row must be
 * in some column.  The answer depends only on the input (and, when
 * neither our search's step budget nor the MIP's node limit settles it,
 * on the time budget: o->time_limit, else AUDIT_SECONDS).  Fills 'ans'
 * (the caller frees ans->cols); when minimality is not proven,
 * ans->minimal is false and ans->lower_bound is what is.  Returns false,
 * with an error (exit 3) on 'd', when the solver fails.
 */
bool audit_cover(uint32_t nrows, uint32_t ncols, const uint64_t *cols,
    const struct lp_opts *o, struct cover_answer *ans, struct diag *d);

/*
 * Fills r->audit from the per-entity refuter sets 'refuters' (NULL for
 * entities that are not consistent diverging characters or optimizers).
 * Returns false, with an error (exit 3) on 'd', when the solver fails.
 */
bool audit_plan(struct result *r, const struct audit_space *as,
    uint64_t **refuters, const struct lp_opts *o, struct diag *d);

#endif
