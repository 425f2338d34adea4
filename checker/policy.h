/*
 * policy.h - a policy over visible classes, and what the evidence and the
 * deployment distribution say about it.  A policy is a partition of the
 * classes into pieces, each with one action (deterministic) or one
 * distribution; characters, optimizers and family members all become one.
 */
#ifndef CHARCHECK_POLICY_H
#define CHARCHECK_POLICY_H

#include "result.h"
#include "space.h"

struct piece {
	uint64_t *cls;		/* classes of this piece, heap */
	uint32_t action;	/* deterministic action, or NONE */
	mpq_ptr *dist;		/* nactions probabilities (NULL = 0) */
};

struct policy {
	struct piece *pieces;
	uint32_t npieces;
};

/*
 * Builds the policy of character 'e': rules tried in order, the first
 * match wins.  An uncovered class is an error at the name; a rule that can
 * never fire is a warning.  Returns false on error.
 */
bool policy_from_rules(struct policy *p, const struct space *sp,
    const struct entity *e, struct diag *d);
/* One piece per action: the deterministic policy playing act[c] in c. */
void policy_from_table(struct policy *p, const struct space *sp,
    const uint32_t *act);
void policy_free(struct policy *p);

/* pi(a | c) into 'out'. */
void policy_prob(const struct policy *p, uint64_t c, uint32_t a, mpq_t out);

/*
 * Applies training observation 'k' to 'p': returns whether it holds;
 * multiplies its likelihood factor into 'factor' (counts) and fills the
 * refutation witness 'wit' when it does not hold (SPEC 6.2).
 */
bool policy_observe(const struct policy *p, const struct space *sp,
    uint32_t k, mpq_t factor, struct refutation *wit);

/*
 * Judges 'p' on the evidence: consistency, the refuting observation and
 * its witness, the exact likelihood and its log.  Then, when the model has
 * 'intended', the exact divergence, 'diverges' against 'tolerance' and the
 * divergence witness.  Fills the fields of 'r' (initialised by the caller).
 * With r->lazy, a consistent policy's count factors are listed in r (the
 * likelihood is 'likelihood' times them, and its log is the caller's to
 * compute: draws.h); a refuted one lists none.
 */
void policy_judge(const struct policy *p, const struct space *sp,
    mpq_srcptr tolerance, struct entity_result *r);
/* Frees r's list of count factors (r->lazy). */
void policy_drop_factors(struct entity_result *r);

#endif
