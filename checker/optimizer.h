/*
 * optimizer.h - the inner-optimizer framing (SPEC 4.7).  An optimizer
 * plays, in each visible class, the argmax of its utility over the
 * training and deployment mass, minus its horizon times the training mass
 * where the action differs from training's target.  Its induced policy is
 * judged like a character's; its critical horizon h* is the least horizon
 * at which that policy is consistent with training.
 */
#ifndef CHARCHECK_OPTIMIZER_H
#define CHARCHECK_OPTIMIZER_H

#include "policy.h"

/* What every optimizer of a model shares: training's targets. */
struct opt_ctx {
	const struct space *sp;
	struct csum tmass;	/* class x action: T-weight whose target
				 * (an outcome) contains a */
	struct csum ttot;	/* class: T-weight with some target */
	bool *req;		/* class: some 'always' observation
				 * covers it */
	bool *allow;		/* class x action: in every outcome of the
				 * 'always' observations covering the class */
	bool always_only;	/* no count or frequency observation */
	uint64_t *trained;	/* classes with a situation some observation
				 * matches */
};

void opt_ctx_init(struct opt_ctx *ctx, const struct space *sp);
void opt_ctx_free(struct opt_ctx *ctx);

/*
 * One optimizer's score tables (utility and penalty per class and
 * action), built once and read by the calls below.
 */
struct scores;
struct scores *optimizer_scores(const struct opt_ctx *ctx,
    const struct entity *e);
void optimizer_scores_free(struct scores *sc);
/* The policy it plays at horizon 'h'. */
void optimizer_policy_at(const struct scores *sc, mpq_srcptr h,
    struct policy *out);
/*
 * U(c, a) and P(c, a) exactly (SPEC 4.7: the score is U - h P), for class
 * 'cls' and action 'a', into 'u' and 'p' (initialised by the caller).
 */
void optimizer_score(const struct scores *sc, uint64_t cls, uint32_t a,
    mpq_t u, mpq_t p);
/* Its critical horizon into r. */
void optimizer_critical_of(const struct scores *sc, struct entity_result *r);

/* The deterministic policy optimizer 'e' plays at horizon 'h'. */
void optimizer_policy(const struct opt_ctx *ctx, const struct entity *e,
    mpq_srcptr h, struct policy *out);

/*
 * The critical horizon of 'e' into r->critical_horizon / r->horizon_inf.
 * Exact: crossing points of the score lines are rationals.
 */
void optimizer_critical(const struct opt_ctx *ctx, const struct entity *e,
    struct entity_result *r);

#endif
