/*
 * audit.h - audits (SPEC 4.9): which consistent diverging entities an
 * evaluator could refute by looking at the model's action in one audit
 * situation, the fewest such situations that refute all of them (a set
 * cover solved as a 0/1 MIP with GLPK, ties to the lexicographically
 * smallest canonical list), and the ones no audit can catch.
 */
#ifndef CHARCHECK_AUDIT_H
#define CHARCHECK_AUDIT_H

#include "lp.h"
#include "policy.h"

/* The audit situations, and what the engines need to plan over them. */
struct audit_space {
	uint64_t n;		/* |A| */
	uint64_t *sit;		/* the situations of A, canonical order */
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

/*
 * Fills r->audit from the per-entity refuter sets 'refuters' (NULL for
 * entities that are not consistent diverging characters or optimizers).
 * Returns false, with a message in 'why', when the solver fails.
 */
bool audit_plan(struct result *r, const struct audit_space *as,
    uint64_t **refuters, const struct lp_opts *o, char *why, size_t len);

#endif
