/*
 * check.c - the analysis of one model over its space: each entity's
 * policy judged on the evidence and at deployment, the exact posterior
 * (SPEC 4.8, point priors, data factors at the vertices of their box),
 * and the verdict of every check (SPEC 4.10).  Fills the Result.
 */
#include "result.h"

#include <stdlib.h>
#include <string.h>

#include <pthread.h>

#include "audit.h"
#include "deadline.h"
#include "draws.h"
#include "family.h"
#include "optimizer.h"
#include "par.h"
#include "posterior.h"
#include "policy.h"

/* The range of sum w L x / sum w L for 'x' per entity, into 'out'. */
static bool
range_of(struct result *r, mpq_t *x, const struct lp_opts *o,
    struct interval *out, struct diag *d)
{
	uint32_t n = r->m->nentities;
	mpq_t *lik;
	struct posterior_in in;
	bool ok;

	if (draws_point(r, x, o, out))
		return true;
	lik = rationals_new(n);
	posterior_in_init(&in, r, lik);
	ok = posterior_range(&in, x, NULL, o, out, d);
	rationals_free(lik, n);
	return ok;
}

static bool
posterior(struct result *r, const struct lp_opts *o, struct diag *dg)
{
	uint32_t n = r->m->nentities;
	mpq_t *d = posterior_x(r, POSTERIOR_DIVERGE);
	mpq_t *delta = posterior_x(r, POSTERIOR_EXPECTED);
	bool ok = range_of(r, d, o, &r->diverge, dg) &&
	    range_of(r, delta, o, &r->expected, dg);

	rationals_free(d, n);
	rationals_free(delta, n);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Checks                                                             */
/* ------------------------------------------------------------------ */

static bool
in_set(const struct result *r, enum ast_setname set, uint32_t i)
{
	const struct entity_result *e = &r->ents[i];

	switch (set) {
	case SET_CONSISTENT: return e->consistent;
	case SET_DIVERGING: return e->consistent && e->diverges;
	case SET_UNDETECTABLE:
		return r->audit.has && r->audit.undetectable[i];
	}
	internal_error();
}

/* Whether sign(v - x) = 'c' satisfies 'cmp'. */
static bool
compare_sign(int c, enum ast_cmp cmp)
{
	switch (cmp) {
	case CMP_LT: return c < 0;
	case CMP_LE: return c <= 0;
	case CMP_GT: return c > 0;
	case CMP_GE: return c >= 0;
	default: internal_error();
	}
}

/* Compares 'v' with the threshold; the bound used is the caller's. */
static bool
compare(mpq_srcptr v, enum ast_cmp cmp, mpq_srcptr x)
{
	return compare_sign(mpq_cmp(v, x), cmp);
}

/* P(...) and E(...) claims: the max for < and <=, the min for > and >=. */
static void
bound_check(struct check_result *cr, const struct interval *iv)
{
	const struct check *c = cr->c;

	if (!iv->defined) {
		cr->kind = VAL_UNDEFINED;
		cr->holds = false;
		return;
	}
	cr->kind = VAL_NUMBER;
	cr->exact = iv->exact;
	bool upper = c->cmp == CMP_LT || c->cmp == CMP_LE;
	struct bigq *big = upper ? iv->hi_big : iv->lo_big;
	if (iv->lo_big || iv->hi_big) {
		/* Ends too long to write out (draws.h). */
		cr->big = big;
		cr->bound = !draws_is_point(iv);
		if (!big)
			mpq_set(cr->number, upper ? iv->hi : iv->lo);
		cr->holds = compare_sign(big ? bigq_cmp_q(big, c->threshold) :
		    mpq_cmp(cr->number, c->threshold), c->cmp);
		return;
	}
	cr->bound = !mpq_equal(iv->lo, iv->hi);
	mpq_set(cr->number, c->cmp == CMP_LT || c->cmp == CMP_LE ? iv->hi :
	    iv->lo);
	cr->holds = compare(cr->number, c->cmp, c->threshold);
}

static bool
eval_check(struct result *r, struct check_result *cr,
    const struct lp_opts *o, struct diag *d)
{
	const struct model *m = r->m;
	const struct check *c = cr->c;
	uint32_t n = m->nentities;

	cr->culprit = NONE;
	switch (c->kind) {
	case CK_NO_DIVERGENCE:
		cr->kind = VAL_NAMES;
		cr->names = xcalloc(n + 1, sizeof(bool));
		cr->holds = true;
		for (uint32_t i = 0; i < n; i++)
			if (in_set(r, SET_DIVERGING, i)) {
				cr->names[i] = true;
				cr->holds = false;
				if (cr->culprit == NONE)
					cr->culprit = i;
			}
		return true;
	case CK_SET:
		cr->kind = VAL_NAMES;
		cr->names = xcalloc(n + 1, sizeof(bool));
		cr->holds = true;
		for (uint32_t i = 0; i < n; i++) {
			bool found = in_set(r, c->set, i);
			bool listed = c->members[i];
			cr->names[i] = found;
			bool bad = c->setop == SETOP_EQ ? found != listed :
			    c->setop == SETOP_CONTAINS ? listed && !found :
			    listed && found;
			if (bad) {
				cr->holds = false;
				if (cr->culprit == NONE)
					cr->culprit = i;
			}
		}
		return true;
	case CK_P_DIVERGE:
		bound_check(cr, &r->diverge);
		return true;
	case CK_E_DIVERGENCE:
		bound_check(cr, &r->expected);
		return true;
	case CK_P_SET: {
		mpq_t *x = rationals_new(n);
		struct interval iv;
		bool ok;
		mpq_inits(iv.lo, iv.hi, NULL);
		iv.lo_big = iv.hi_big = NULL;
		for (uint32_t i = 0; i < n; i++)
			mpq_set_ui(x[i], c->members[i], 1);
		ok = range_of(r, x, o, &iv, d);
		bound_check(cr, &iv);
		mpq_clears(iv.lo, iv.hi, NULL);
		rationals_free(x, n);
		return ok;
	}
	case CK_LABEL: {
		const struct entity_result *e = &r->ents[c->target];
		cr->kind = VAL_LABEL;
		cr->label = e->label;
		cr->holds = e->label == c->want;
		return true;
	}
	case CK_HORIZON: {
		const struct entity_result *e = &r->ents[c->target];
		if (e->horizon_inf) {
			/* inf compares above every number. */
			cr->kind = VAL_INF;
			cr->holds = c->cmp == CMP_GT || c->cmp == CMP_GE;
			return true;
		}
		cr->kind = VAL_NUMBER;
		cr->exact = true;
		mpq_set(cr->number, e->critical_horizon);
		cr->holds = compare(cr->number, c->cmp, c->threshold);
		return true;
	}
	}
	internal_error();
}

/*
 * r->indistinguishable: at least two survive training, all with the same
 * likelihood, and some of them diverge while others do not.
 */
static void
find_indistinguishable(struct result *r)
{
	uint32_t ref = NONE;
	bool same = true, any_div = false, any_ok = false;

	r->nconsistent = 0;
	for (uint32_t i = 0; i < r->m->nentities; i++) {
		const struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		r->nconsistent++;
		if (ref != NONE && !draws_same(r, ref, i))
			same = false;
		ref = ref != NONE ? ref : i;
		any_div |= er->has_divergence && er->diverges;
		any_ok |= !er->has_divergence || !er->diverges;
	}
	r->indistinguishable = r->nconsistent >= 2 && same && any_div &&
	    any_ok;
}

/* ------------------------------------------------------------------ */
/* The model                                                          */
/* ------------------------------------------------------------------ */

/* h*, and the label of a consistent diverging optimizer (SPEC 6.2). */
static void
judge_optimizer(const struct scores *sc, const struct space *sp,
    mpq_srcptr tol, struct entity_result *er)
{
	optimizer_critical_of(sc, er);
	er->label = LABEL_NONE;
	if (!er->consistent || !er->diverges)
		return;
	struct policy p0;
	struct entity_result at0;
	mpq_t zero;
	memset(&at0, 0, sizeof at0);
	at0.lazy = true;	/* only its consistency is wanted */
	mpq_inits(at0.likelihood, at0.divergence, zero, NULL);
	optimizer_policy_at(sc, zero, &p0);
	policy_judge(&p0, sp, tol, &at0);
	policy_drop_factors(&at0);
	er->label = at0.consistent ? LABEL_PROXY : LABEL_DECEPTIVE;
	policy_free(&p0);
	mpq_clears(at0.likelihood, at0.divergence, zero, NULL);
}

/* What every worker judging entities shares. */
struct judge_ctx {
	const struct model *m;
	const struct space *sp;
	struct result *r;
	mpq_srcptr tol;
	const struct opt_ctx *opt;
	const struct audit_space *as;
	uint64_t **refuters;
	struct edag *diags;		/* per entity, merged in order */
	pthread_mutex_t lock;
	uint32_t next;			/* next entity to take */
	uint32_t done;
	bool expired;			/* --timeout passed */
	const struct check_opts *o;	/* its progress callback */
};

/* An entity's own diagnostics (its rules' warnings, coverage errors). */
struct edag {
	struct arena arena;
	struct diag d;
};

/* Judges entity i: its policy, evidence, divergence, refuters, h*. */
static void
judge_entity(struct judge_ctx *j, uint32_t i)
{
	const struct model *m = j->m;
	const struct space *sp = j->sp;
	struct entity_result *er = &j->r->ents[i];
	const struct entity *e = &m->entities[i];
	struct diag *d = &j->diags[i].d;
	struct policy p;
	struct scores *sc = NULL;

	if (e->kind == ENT_FAMILY) {
		family_judge(sp, e, er);
		return;
	}
	if (e->kind == ENT_OPTIMIZER) {
		/* One set of score tables for its policy, h* and label. */
		sc = optimizer_scores(j->opt, e);
		optimizer_policy_at(sc, e->horizon, &p);
	} else if (!policy_from_rules(&p, sp, e, d)) {
		policy_free(&p);
		return;
	}
	policy_judge(&p, sp, j->tol, er);
	mpq_set_ui(er->share, er->diverges, 1);
	if (m->has_intended && er->consistent && er->diverges)
		j->refuters[i] = audit_refuters(j->as, sp, &p);
	policy_free(&p);
	if (sc) {
		judge_optimizer(sc, sp, j->tol, er);
		optimizer_scores_free(sc);
	}
}

/* Threads to use (par_threads), but one for a small model unless
 * CHARCHECK_THREADS says otherwise. */
static unsigned
nthreads(uint32_t nentities, uint64_t ncls)
{
	/* Small models are done before a thread would start. */
	if (!getenv("CHARCHECK_THREADS") &&
	    (nentities < 16 || nentities * ncls < (1u << 16)))
		return 1;
	return par_threads();
}

/* Takes entities in turn until none is left; 'report': the progress. */
static void
work(struct judge_ctx *j, bool report)
{
	for (;;) {
		pthread_mutex_lock(&j->lock);
		uint32_t i = j->next;
		bool stop = i >= j->m->nentities || j->expired;
		if (!stop)
			j->next++;
		pthread_mutex_unlock(&j->lock);
		if (stop)
			return;
		if (deadline_expired()) {
			pthread_mutex_lock(&j->lock);
			j->expired = true;
			pthread_mutex_unlock(&j->lock);
			return;
		}
		judge_entity(j, i);
		pthread_mutex_lock(&j->lock);
		uint32_t done = ++j->done;
		pthread_mutex_unlock(&j->lock);
		if (report)
			j->o->progress(j->o->progress_ctx, done,
			    j->m->nentities);
	}
}

static void *
worker(void *arg)
{
	work(arg, false);
	return NULL;
}

/* The Result's slots for 'm', every number initialised. */
static void
result_init(struct result *r, const struct model *m, const struct space *sp)
{
	memset(r, 0, sizeof *r);
	r->m = m;
	r->sp = sp;
	r->has_posterior = m->has_intended;
	r->ents = xcalloc(m->nentities + 1, sizeof *r->ents);
	for (uint32_t i = 0; i < m->nentities; i++) {
		struct entity_result *er = &r->ents[i];
		er->e = &m->entities[i];
		mpq_inits(er->likelihood, er->divergence, er->share,
		    er->critical_horizon, NULL);
		mpz_inits(er->members, er->consistent_members,
		    er->diverging_members, NULL);
	}
	mpq_inits(r->diverge.lo, r->diverge.hi, r->expected.lo,
	    r->expected.hi, NULL);
	r->checks = xcalloc(m->nchecks + 1, sizeof *r->checks);
	for (uint32_t i = 0; i < m->nchecks; i++) {
		r->checks[i].c = &m->checks[i];
		mpq_init(r->checks[i].number);
	}
}

/*
 * Judges every entity (in parallel, each into its own slot, so the
 * Result does not depend on the threads) and merges their diagnostics
 * in entity order.  Refuter sets of the diverging ones go to 'j'.
 */
static bool
judge_all(struct judge_ctx *j, struct diag *d)
{
	const struct model *m = j->m;
	bool ok = true;

	j->diags = xcalloc(m->nentities + 1, sizeof *j->diags);
	for (uint32_t i = 0; i < m->nentities; i++)
		diag_init(&j->diags[i].d, &j->diags[i].arena, d->src);
	pthread_mutex_init(&j->lock, NULL);
	unsigned nt = nthreads(m->nentities, j->sp->ncls), started = 0;
	pthread_t *tid = xcalloc(nt, sizeof *tid);
	for (unsigned t = 1; t < nt; t++)
		if (pthread_create(&tid[t], NULL, worker, j) == 0)
			started++;
	/* The main thread works too, and reports the progress. */
	work(j, j->o->progress != NULL);
	for (unsigned t = 1; t <= started; t++)
		pthread_join(tid[t], NULL);
	free(tid);
	pthread_mutex_destroy(&j->lock);
	if (j->o->progress)
		j->o->progress(j->o->progress_ctx, m->nentities,
		    m->nentities);
	for (uint32_t i = 0; i < m->nentities; i++) {
		ok &= j->diags[i].d.nerrors == 0;
		diag_merge(d, &j->diags[i].d);
		diag_fini(&j->diags[i].d);
		arena_free(&j->diags[i].arena);
	}
	free(j->diags);
	if (j->expired || deadline_expired()) {
		diag_error_file(d, 3, "the time limit (--timeout) was reached "
		    "while judging the entities; raise it or simplify the "
		    "model");
		ok = false;
	}
	return ok;
}

/* More interval data factors than the posterior enumerates: exit 3. */
static bool
data_box_fits(const struct model *m, struct diag *d)
{
	uint32_t nvar = 0;

	for (uint32_t k = 0; k < m->ndata; k++)
		if (mpq_cmp(m->data[k].scale.lo, m->data[k].scale.hi) != 0 &&
		    ++nvar == POSTERIOR_MAX_DATA + 1) {
			diag_limit(d, m->data[k].loc, "more than %d data items "
			    "with an interval factor: the checker solves one "
			    "LP pair per vertex of their box (2^%d), the limit",
			    POSTERIOR_MAX_DATA, POSTERIOR_MAX_DATA);
			return false;
		}
	return true;
}

/* Every check's verdict; r->status 1 when one fails. */
static bool
eval_checks(struct result *r, const struct lp_opts *o, struct diag *d)
{
	for (uint32_t i = 0; i < r->m->nchecks; i++) {
		if (!eval_check(r, &r->checks[i], o, d))
			return false;
		if (!r->checks[i].holds)
			r->status = 1;
	}
	return true;
}

bool
check_model(struct result *r, const struct model *m, const struct space *sp,
    const struct check_opts *o, struct diag *d)
{
	mpq_srcptr tol = o->has_tolerance ? o->tolerance : m->tolerance;
	struct audit_space as = { 0 };
	struct opt_ctx ctx;
	bool any_opt = false, ok;

	result_init(r, m, sp);
	if (m->has_intended)
		audit_space_build(&as, sp);
	for (uint32_t i = 0; i < m->nentities; i++)
		any_opt |= m->entities[i].kind == ENT_OPTIMIZER;
	if (any_opt)
		opt_ctx_init(&ctx, sp);
	struct judge_ctx j = {
		.m = m, .sp = sp, .r = r, .tol = tol, .opt = &ctx, .as = &as,
		.refuters = xcalloc(m->nentities + 1, sizeof *j.refuters),
		.o = o,
	};
	for (uint32_t i = 0; i < m->nentities; i++)
		r->ents[i].lazy = o->lazy;
	ok = judge_all(&j, d);
	if (any_opt)
		opt_ctx_free(&ctx);
	if (o->lazy)
		draws_likelihoods(r);
	find_indistinguishable(r);
	ok = data_box_fits(m, d) && ok;
	ok = ok && posterior_prior_set(m, &o->lp, d);
	if (ok && r->has_posterior)
		ok = posterior(r, &o->lp, d) &&
		    audit_plan(r, &as, j.refuters, &o->lp, d);
	for (uint32_t i = 0; i < m->nentities; i++)
		free(j.refuters[i]);
	free(j.refuters);
	if (m->has_intended)
		audit_space_free(&as);
	return ok && eval_checks(r, &o->lp, d);
}

void
result_free(struct result *r)
{
	const struct model *m = r->m;

	if (!m)
		return;
	draws_free(r);
	for (uint32_t i = 0; i < m->nentities && r->ents; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->e)
			continue;
		mpq_clears(er->likelihood, er->divergence, er->share,
		    er->critical_horizon, NULL);
		mpz_clears(er->members, er->consistent_members,
		    er->diverging_members, NULL);
		free(er->first_member);
		free(er->first_consistent);
		free(er->first_diverging);
		free(er->cons_pow);
		free(er->nondiv_pow);
	}
	free(r->ents);
	if (r->checks) {
		for (uint32_t i = 0; i < m->nchecks; i++) {
			mpq_clear(r->checks[i].number);
			free(r->checks[i].names);
		}
		mpq_clears(r->diverge.lo, r->diverge.hi, r->expected.lo,
		    r->expected.hi, NULL);
	}
	free(r->checks);
	free(r->audit.plan);
	free(r->audit.refutes);
	free(r->audit.undetectable);
	memset(r, 0, sizeof *r);
}
