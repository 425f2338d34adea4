/*
 * result.h - everything a report shows, computed once by check.c.  A plain
 * tree of numbers, sets and situation indices: every printer (text, json,
 * ...) reads only this and computes nothing, and tests assert on it.
 */
#ifndef CHARCHECK_RESULT_H
#define CHARCHECK_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include <gmp.h>

#include "bigq.h"
#include "lp.h"
#include "model.h"
#include "space.h"

/* A situation and an action, e.g. a witness; sit == BS_NONE for none. */
struct sit_action {
	uint64_t sit;
	uint32_t action;
};

/*
 * Why training refutes a policy: the SPEC 6.2 witness (sit, action) and,
 * for a count observation, the counted outcome whose rate is 0 and the
 * first matching training situation of positive weight (where that
 * outcome has probability 0), which say what actually breaks.
 */
struct refutation {
	uint64_t sit;
	uint32_t action;
	uint32_t zero;		/* counts: the outcome (its index in the
				 * list) with n > 0 and q = 0 */
	uint64_t example;	/* counts: first such situation, T(s) > 0 */
	uint32_t example_action;	/* the first action played there */
};

struct entity_result {
	const struct entity *e;
	bool consistent;
	mpq_t likelihood;	/* exact; 0 when refuted; unset with
				 * lik_big */
	double log_likelihood;	/* natural log; unused when refuted */
	/*
	 * check_opts.lazy (docs/scale.md, "Counted draws at scale"): the
	 * count factors q^n are listed, not multiplied into 'likelihood'
	 * (nfactor of them, heap); then the likelihood is lik_e over the
	 * Result's base, and lik_big when it is too long to write out.
	 */
	bool lazy;
	uint32_t nfactor;
	mpq_t *fq;
	unsigned long *fn;
	int64_t *lik_e;		/* r->base->n exponents, heap, or NULL */
	uint32_t lik_rep;	/* with lik_e: the first entity with an
				 * equal one */
	struct bigq *lik_big;	/* in r->bigs, or NULL */
	uint32_t refuted_by;	/* observation index, or NONE */
	struct refutation refutation;
	bool has_divergence;	/* false without 'intended' */
	bool diverges;		/* delta > tolerance */
	mpq_t divergence;	/* delta, exact */
	bool divergence_undefined;	/* a family with no consistent
					 * member */
	struct sit_action witness;	/* sit == BS_NONE when none */
	uint32_t witness_rule;	/* the intended rule at the witness */
	mpq_t share;	/* d_i: diverging share (0/1 but families) */

	/* families (SPEC 4.6) */
	mpz_t members, consistent_members, diverging_members;
	uint64_t ncells;
	uint32_t *first_member;	/* ncells actions, heap, or NULL */
	uint32_t *first_consistent;
	uint32_t *first_diverging;
	/* cells per option count k (0..nactions): consistent and
	 * non-diverging counts are prod_k k^cells[k], for the text form */
	uint64_t *cons_pow, *nondiv_pow;

	/* optimizers (SPEC 4.7) */
	bool horizon_inf;	/* no horizon makes it consistent */
	mpq_t critical_horizon;
	enum ast_label label;	/* LABEL_NONE when it has none */
};

struct interval {
	bool defined;
	bool exact;		/* lo and hi are exact (else LP doubles) */
	bool verified;		/* --exact: GLPK's exact simplex agreed */
	mpq_t lo, hi;
	/* An end kept unexpanded (draws.h; in r->bigs; 'lo' or 'hi' is
	 * then unset), or NULL */
	struct bigq *lo_big, *hi_big;
};

enum value_kind {
	VAL_NONE, VAL_NUMBER, VAL_NAMES, VAL_UNDEFINED,
	VAL_LABEL,		/* label checks: 'label' */
	VAL_INF			/* horizon checks: no horizon suffices */
};

struct check_result {
	const struct check *c;
	bool holds;
	enum value_kind kind;
	mpq_t number;		/* VAL_NUMBER; unset with 'big' */
	struct bigq *big;	/* VAL_NUMBER kept unexpanded, or NULL */
	bool *names;		/* VAL_NAMES: nentities flags, heap */
	enum ast_label label;	/* VAL_LABEL */
	bool bound;		/* VAL_NUMBER is a max or min over a set */
	bool exact;		/* VAL_NUMBER is exact (not an LP double) */
	uint32_t culprit;	/* an entity behind a failure, or NONE */
};

struct audit_result {
	bool has;		/* false without 'intended' */
	uint64_t *plan;		/* situations, canonical order, heap */
	uint32_t nplan;
	bool *refutes;	/* nplan x nentities: what each one refutes */
	bool *undetectable;	/* nentities */
	bool minimal;		/* the plan is proven a minimum cover */
	uint32_t lower_bound;	/* proven: no cover is smaller */
};

struct result {
	const struct model *m;
	const struct space *sp;
	struct entity_result *ents;	/* nentities */
	bool has_posterior;		/* false without 'intended' */
	struct interval diverge;	/* P(diverge) */
	struct interval expected;	/* E(divergence) */
	struct audit_result audit;
	struct check_result *checks;	/* m->nchecks */
	int status;			/* 0 all hold, 1 some check fails */
	/*
	 * The finding the tool exists for: two or more entities survive
	 * training with equal likelihoods, some diverging and some not,
	 * so training cannot tell them apart and only the prior decides.
	 */
	uint32_t nconsistent;
	bool indistinguishable;
	/* check_opts.lazy: the likelihoods' coprime base (or NULL) and
	 * every unexpanded number (heap, freed with the Result) */
	struct bigq_base *base;
	struct bigq **bigs;
	uint32_t nbigs;
};

struct check_opts {
	bool has_tolerance;	/* --tolerance given */
	mpq_t tolerance;
	struct lp_opts lp;	/* --exact, --timeout */
	/*
	 * The printer writes no exact digits (every format but JSON):
	 * likelihoods and point posteriors too long to write out may stay
	 * unexpanded (struct bigq) in the Result.
	 */
	bool lazy;
	/*
	 * Called on the main thread after each entity it judges, and once
	 * more with done == total at the end; NULL for none.  The engine
	 * never prints: the command decides what progress looks like.
	 */
	void (*progress)(void *ctx, uint32_t done, uint32_t total);
	void *progress_ctx;
};

/*
 * Analyses 'm' over the built space 'sp' and fills 'r' (heap; free with
 * result_free).  Model errors that appear only now (an uncovered class)
 * go to 'd'; returns false then.
 */
bool check_model(struct result *r, const struct model *m,
    const struct space *sp, const struct check_opts *o, struct diag *d);
void result_free(struct result *r);

#endif
