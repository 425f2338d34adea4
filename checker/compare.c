/*
 * compare.c - the engine of 'charcheck compare': the character framing
 * (characters and families) and the inner-optimizer framing (optimizers)
 * on the same training and deployment.  For each: its entities, and
 * P(diverge) and E(divergence) restricted to it; which diverging
 * deployment behaviours (situation, action) each produces; and what moves
 * the optimizers' P(diverge): every optimizer re-judged at horizon 0 and
 * beyond its critical one.  Fills a struct compare_result (compare.h);
 * report_compare.c prints it.
 */
#include <stdlib.h>

#include "compare.h"
#include "deadline.h"
#include "optimizer.h"
#include "posterior.h"

/* What every step reads: the run, the options and the result so far. */
struct cmp {
	const struct model *m;
	const struct space *sp;
	const struct result *r;
	const struct check_opts *o;
	struct compare_result *out;
};

static mpq_srcptr
tolerance(const struct cmp *x)
{
	return x->o->has_tolerance ? x->o->tolerance : x->m->tolerance;
}

/* Adds what 'p' does off-intended at positive-weight deployment. */
static void
add_behaviour(const struct cmp *x, const struct policy *p, uint64_t *beh)
{
	const struct space *sp = x->sp;
	uint32_t na = x->m->nactions;
	mpq_t q;

	mpq_init(q);
	for (uint64_t s = bs_next(sp->deploy_pos, sp->sw, 0); s != BS_NONE;
	    s = bs_next(sp->deploy_pos, sp->sw, s + 1)) {
		const bool *acc = x->m->intended[space_intended(sp, s)].accept;
		for (uint32_t a = 0; a < na; a++) {
			if (acc[a])
				continue;
			policy_prob(p, space_class(sp, s), a, q);
			if (mpq_sgn(q) > 0)
				bs_set(beh, s * na + a);
		}
	}
	mpq_clear(q);
}

/* The horizon at which opt_at re-judges optimizer 'i' ('h' NULL: h* + 1,
 * or its own horizon when none suffices). */
static void
rejudge_horizon(const struct cmp *x, uint32_t i, mpq_srcptr h, mpq_t hh)
{
	const struct entity_result *er = &x->r->ents[i];

	if (h)
		mpq_set(hh, h);
	else if (er->horizon_inf)
		mpq_set(hh, x->m->entities[i].horizon);
	else {
		mpq_set_ui(hh, 1, 1);
		mpq_add(hh, hh, er->critical_horizon);
	}
}

/*
 * The optimizer framing's P(diverge) from the likelihoods and divergence
 * flags of 'ents' (the optimizers re-judged), into 'iv'.
 */
static bool
opt_posterior(const struct cmp *x, const struct entity_result *ents,
    mpq_t *d, struct interval *iv, struct diag *dg)
{
	uint32_t n = x->m->nentities;
	mpq_t *lik = rationals_new(n);
	struct posterior_in in = { .m = x->m, .lik = lik };
	bool ok;

	for (uint32_t i = 0; i < n; i++)
		mpq_set(lik[i], ents[i].likelihood);
	ok = posterior_range(&in, d, x->out->side[CMP_OPTIMIZERS].in,
	    &x->o->lp, iv, dg);
	rationals_free(lik, n);
	return ok;
}

/*
 * P(diverge) of the optimizer framing with every optimizer re-judged at
 * horizon 'h' (NULL: at h* + 1 for each, i.e. beyond its critical one).
 */
static bool
opt_at(const struct cmp *x, struct opt_ctx *ctx, mpq_srcptr h,
    struct interval *iv, struct diag *dg)
{
	const struct model *m = x->m;
	uint32_t n = m->nentities;
	struct entity_result *ents = xcalloc(n + 1, sizeof *ents);
	mpq_t *d = rationals_new(n), hh;
	bool ok;

	mpq_init(hh);
	for (uint32_t i = 0; i < n; i++) {
		const struct entity *e = &m->entities[i];
		mpq_inits(ents[i].likelihood, ents[i].divergence, NULL);
		if (e->kind != ENT_OPTIMIZER)
			continue;
		struct policy p;
		rejudge_horizon(x, i, h, hh);
		optimizer_policy(ctx, e, hh, &p);
		policy_judge(&p, x->sp, tolerance(x), &ents[i]);
		mpq_set_ui(d[i], ents[i].diverges, 1);
		policy_free(&p);
	}
	/* policy_judge stops at the deadline: its likelihoods are then
	 * partial and must not reach the output. */
	if (deadline_expired()) {
		diag_error_file(dg, 3, "the time limit (--timeout) was reached "
		    "while judging the optimizers; raise it or simplify the "
		    "model");
		ok = false;
	} else {
		ok = opt_posterior(x, ents, d, iv, dg);
	}
	for (uint32_t i = 0; i < n; i++)
		mpq_clears(ents[i].likelihood, ents[i].divergence, NULL);
	free(ents);
	rationals_free(d, n);
	mpq_clear(hh);
	return ok;
}

/* The policy of character or optimizer 'e', into 'p'. */
static void
policy_of(const struct cmp *x, struct opt_ctx *ctx, const struct entity *e,
    struct policy *p)
{
	if (e->kind == ENT_OPTIMIZER) {
		optimizer_policy(ctx, e, e->horizon, p);
	} else {
		struct diag quiet;
		diag_init(&quiet, x->r->m->arena, x->m->src);
		policy_from_rules(p, x->sp, e, &quiet);
		diag_fini(&quiet);
	}
}

/* The behaviours of every consistent diverging entity, per framing. */
static void
behaviours(const struct cmp *x)
{
	const struct model *m = x->m;
	struct opt_ctx ctx;
	bool any_opt = x->out->side[CMP_OPTIMIZERS].n > 0;

	if (any_opt)
		opt_ctx_init(&ctx, x->sp);
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		const struct entity_result *er = &x->r->ents[i];
		uint64_t *beh = x->out->side[e->kind == ENT_OPTIMIZER].beh;
		struct policy p;
		if (!er->consistent || !er->diverges)
			continue;
		if (e->kind == ENT_FAMILY) {
			/* Its first diverging member's counterexample. */
			if (er->witness.sit != BS_NONE)
				bs_set(beh, er->witness.sit * m->nactions +
				    er->witness.action);
			continue;
		}
		policy_of(x, &ctx, e, &p);
		add_behaviour(x, &p, beh);
		policy_free(&p);
	}
	if (any_opt)
		opt_ctx_free(&ctx);
}

/* Which entities are in each framing; the intervals initialised. */
static void
sides_init(struct compare_result *out)
{
	uint32_t n = out->m->nentities;

	for (int k = 0; k < CMP_NFRAMINGS; k++) {
		struct compare_side *f = &out->side[k];
		f->in = xcalloc(n + 1, sizeof *f->in);
		f->beh = xcalloc(out->bw ? out->bw : 1, sizeof *f->beh);
		mpq_inits(f->p.lo, f->p.hi, f->e.lo, f->e.hi, NULL);
		for (uint32_t i = 0; i < n; i++) {
			bool opt = out->m->entities[i].kind == ENT_OPTIMIZER;
			if (opt == (k == CMP_OPTIMIZERS)) {
				f->in[i] = true;
				f->n++;
			}
		}
	}
	mpq_inits(out->myopic.lo, out->myopic.hi, out->farsighted.lo,
	    out->farsighted.hi, NULL);
}

/* P(diverge) and E(divergence) within each framing that has entities. */
static bool
side_posteriors(const struct cmp *x, struct diag *dg)
{
	const struct result *r = x->r;
	uint32_t n = x->m->nentities;
	mpq_t *d = posterior_x(r, POSTERIOR_DIVERGE);
	mpq_t *delta = posterior_x(r, POSTERIOR_EXPECTED);
	mpq_t *lik = rationals_new(n);
	struct posterior_in in;
	bool ok = true;

	posterior_in_init(&in, r, lik);
	for (int k = 0; k < CMP_NFRAMINGS && ok; k++) {
		struct compare_side *f = &x->out->side[k];
		if (f->n)
			ok = posterior_range(&in, d, f->in, &x->o->lp, &f->p,
			    dg) && posterior_range(&in, delta, f->in,
			    &x->o->lp, &f->e, dg);
	}
	rationals_free(d, n);
	rationals_free(delta, n);
	rationals_free(lik, n);
	return ok;
}

/* The optimizer framing at horizon 0 and beyond the critical horizons. */
static bool
horizons(const struct cmp *x, struct diag *dg)
{
	struct opt_ctx ctx;
	mpq_t zero;
	bool ok;

	mpq_init(zero);
	opt_ctx_init(&ctx, x->sp);
	ok = opt_at(x, &ctx, zero, &x->out->myopic, dg) &&
	    opt_at(x, &ctx, NULL, &x->out->farsighted, dg);
	opt_ctx_free(&ctx);
	mpq_clear(zero);
	return ok;
}

bool
compare_run(struct compare_result *out, const struct result *res,
    const struct check_opts *o, struct diag *d)
{
	struct cmp x = {
		.m = res->m, .sp = res->sp, .r = res, .o = o, .out = out,
	};

	*out = (struct compare_result){
		.m = res->m, .sp = res->sp, .r = res,
		.bw = bs_words(res->sp->nsit * res->m->nactions),
		.prior_set = res->m->ndata > 0 || posterior_needs_lp(res->m),
	};
	sides_init(out);
	if (!side_posteriors(&x, d))
		return false;
	if (out->side[CMP_OPTIMIZERS].n && !horizons(&x, d))
		return false;
	behaviours(&x);
	return true;
}

void
compare_result_free(struct compare_result *cr)
{
	for (int k = 0; k < CMP_NFRAMINGS; k++) {
		struct compare_side *f = &cr->side[k];
		free(f->in);
		free(f->beh);
		mpq_clears(f->p.lo, f->p.hi, f->e.lo, f->e.hi, NULL);
	}
	mpq_clears(cr->myopic.lo, cr->myopic.hi, cr->farsighted.lo,
	    cr->farsighted.hi, NULL);
}
