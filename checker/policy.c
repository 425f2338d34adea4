/*
 * policy.c - policies as pieces over classes, and their judgement: the
 * likelihood of the training evidence (SPEC 4.5) and the divergence at
 * deployment (SPEC 4.4), exactly.  All sums are class sums read from the
 * space's tables, so a deterministic policy costs a few passes over words.
 */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Building                                                           */
/* ------------------------------------------------------------------ */

static struct piece *
add_piece(struct policy *p, size_t cw)
{
	p->pieces = xreallocarray(p->pieces, p->npieces + 1,
	    sizeof *p->pieces);
	struct piece *pc = &p->pieces[p->npieces++];
	pc->cls = xcalloc(cw, sizeof *pc->cls);
	pc->action = NONE;
	pc->dist = NULL;
	return pc;
}

bool
policy_from_rules(struct policy *p, const struct space *sp,
    const struct entity *e, struct diag *d)
{
	const struct model *m = sp->m;
	size_t cw = sp->cw;
	uint64_t *covered = xcalloc(cw, sizeof *covered);
	uint64_t *fire = xcalloc(cw, sizeof *fire);
	uint32_t *by_action = xreallocarray(NULL, m->nactions + 1,
	    sizeof *by_action);
	bool ok = true;

	memset(p, 0, sizeof *p);
	memset(by_action, 0xff, (m->nactions + 1) * sizeof *by_action);
	for (uint32_t r = 0; r < e->nrules; r++) {
		const struct rule *ru = &e->rules[r];
		uint64_t *g = ru->guard ? space_compile(sp, ru->guard, true) :
		    NULL;
		bool any = false, matches = g == NULL;
		for (size_t i = 0; i < cw; i++) {
			matches |= g && g[i];
			fire[i] = (g ? g[i] : sp->all_cls[i]) & ~covered[i];
			covered[i] |= fire[i];
			any |= fire[i] != 0;
		}
		free(g);
		if (!any) {
			diag_warning(d, ru->loc, "this rule of '%s' can never "
			    "fire: %s", e->name, matches ? "every class it "
			    "matches is taken by an earlier rule" : "its guard "
			    "matches no class");
			continue;
		}
		struct piece *pc;
		if (ru->action != NONE) {
			/* Deterministic rules merge into one piece per action. */
			if (by_action[ru->action] == NONE) {
				by_action[ru->action] = p->npieces;
				add_piece(p, cw)->action = ru->action;
			}
			pc = &p->pieces[by_action[ru->action]];
		} else {
			pc = add_piece(p, cw);
			pc->dist = ru->dist;
		}
		bs_or(pc->cls, pc->cls, fire, cw);
	}
	bs_andnot(fire, sp->all_cls, covered, cw);
	uint64_t c = bs_next(fire, cw, 0);
	if (c != BS_NONE) {
		struct arena a = { 0 };
		diag_error(d, e->loc, "character '%s' has no rule for class %s",
		    e->name, space_cls_text(sp, &a, c));
		arena_free(&a);
		ok = false;
	}
	free(by_action);
	free(fire);
	free(covered);
	return ok;
}

void
policy_from_table(struct policy *p, const struct space *sp,
    const uint32_t *act)
{
	const struct model *m = sp->m;
	uint32_t *by_action = xreallocarray(NULL, m->nactions + 1,
	    sizeof *by_action);

	memset(p, 0, sizeof *p);
	memset(by_action, 0xff, (m->nactions + 1) * sizeof *by_action);
	for (uint64_t c = 0; c < sp->ncls; c++) {
		uint32_t a = act[c];
		if (by_action[a] == NONE) {
			by_action[a] = p->npieces;
			add_piece(p, sp->cw)->action = a;
		}
		bs_set(p->pieces[by_action[a]].cls, c);
	}
	free(by_action);
}

void
policy_free(struct policy *p)
{
	for (uint32_t i = 0; i < p->npieces; i++)
		free(p->pieces[i].cls);
	free(p->pieces);
	memset(p, 0, sizeof *p);
}

static const struct piece *
piece_of(const struct policy *p, uint64_t c)
{
	for (uint32_t i = 0; i < p->npieces; i++)
		if (bs_test(p->pieces[i].cls, c))
			return &p->pieces[i];
	internal_error();
}

/* Probability of 'a' in piece 'pc' (exact). */
static void
piece_prob(const struct piece *pc, uint32_t a, mpq_t out)
{
	if (pc->action != NONE)
		mpq_set_ui(out, pc->action == a, 1);
	else if (pc->dist[a])
		mpq_set(out, pc->dist[a]);
	else
		mpq_set_ui(out, 0, 1);
}

static bool
piece_positive(const struct piece *pc, uint32_t a)
{
	return pc->action != NONE ? pc->action == a :
	    pc->dist[a] && mpq_sgn(pc->dist[a]) > 0;
}

void
policy_prob(const struct policy *p, uint64_t c, uint32_t a, mpq_t out)
{
	piece_prob(piece_of(p, c), a, out);
}

/* The first action other than 'not' with positive probability in 'pc'. */
static uint32_t
first_other(const struct piece *pc, uint32_t nactions, uint32_t not)
{
	for (uint32_t a = 0; a < nactions; a++)
		if (a != not && piece_positive(pc, a))
			return a;
	return NONE;
}

/* ------------------------------------------------------------------ */
/* Evidence                                                           */
/* ------------------------------------------------------------------ */

/*
 * q = sum_c mass(c) pi(a|c) / total over the observation's classes:
 * the probability of 'a' under the observation's training distribution.
 */
static void
obs_rate(const struct policy *p, const struct space *sp,
    const struct obs_table *t, uint32_t a, mpq_t q)
{
	uint64_t *tmp = xcalloc(sp->cw, sizeof *tmp);
	mpz_t sum;
	mpq_t part, pr;

	mpz_init(sum);
	mpq_init(part);
	mpq_init(pr);
	mpq_set_ui(q, 0, 1);
	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct piece *pc = &p->pieces[i];
		if (!piece_positive(pc, a))
			continue;
		obs_mass_over(sp, t, pc->cls, sum);
		piece_prob(pc, a, pr);
		mpq_set_z(part, sum);
		mpq_mul(part, part, pr);
		mpq_add(q, q, part);
	}
	mpq_set_z(part, t->total);
	mpq_div(q, q, part);
	mpq_clear(pr);
	mpq_clear(part);
	mpz_clear(sum);
	free(tmp);
}

bool
policy_observe(const struct policy *p, const struct space *sp, uint32_t k,
    mpq_t lik, struct sit_action *wit)
{
	const struct observation *o = &sp->m->training.obs[k];
	const struct obs_table *t = &sp->obs[k];
	uint32_t na = sp->m->nactions;
	bool ok = true;
	mpq_t q, pr;

	mpq_init(q);
	mpq_init(pr);
	switch (o->kind) {
	case EVID_ALWAYS:
		/* pi(a|c) = 1 on every class with a matching situation: the
		 * witness is the earliest over the pieces that break it. */
		wit->sit = BS_NONE;
		for (uint32_t i = 0; i < p->npieces; i++) {
			const struct piece *pc = &p->pieces[i];
			if (pc->action == o->action)
				continue;
			if (pc->action == NONE && pc->dist[o->action] &&
			    mpq_cmp_ui(pc->dist[o->action], 1, 1) == 0)
				continue;
			uint64_t s = obs_earliest(sp, t, pc->cls, false);
			if (s < wit->sit)
				wit->sit = s;
		}
		if (wit->sit != BS_NONE) {
			const struct piece *pc = piece_of(p,
			    space_class(sp, wit->sit));
			wit->action = first_other(pc, na, o->action);
			ok = false;
		}
		break;
	case EVID_COUNTS:
		for (uint32_t j = 0; j < o->ncounts; j++) {
			obs_rate(p, sp, t, o->count_action[j], q);
			if (mpq_sgn(q) == 0) {
				ok = false;
				break;
			}
			mpz_pow_ui(mpq_numref(pr), mpq_numref(q),
			    o->count[j]);
			mpz_pow_ui(mpq_denref(pr), mpq_denref(q),
			    o->count[j]);
			mpq_mul(lik, lik, pr);
		}
		if (!ok) {
			wit->sit = t->first_any;
			const struct piece *pc = piece_of(p,
			    space_class(sp, wit->sit));
			wit->action = first_other(pc, na, NONE);
		}
		break;
	case EVID_AT_LEAST:
	case EVID_AT_MOST: {
		bool least = o->kind == EVID_AT_LEAST;
		obs_rate(p, sp, t, o->action, q);
		int cmp = mpq_cmp(q, o->p);
		if (least ? cmp >= 0 : cmp <= 0)
			break;
		ok = false;
		/* Witness: the first positive-weight situation whose own
		 * probability breaks the bound. */
		wit->sit = BS_NONE;
		for (uint32_t i = 0; i < p->npieces; i++) {
			const struct piece *pc = &p->pieces[i];
			piece_prob(pc, o->action, pr);
			int c = mpq_cmp(pr, o->p);
			if (!(least ? c < 0 : c > 0))
				continue;
			uint64_t s = obs_earliest(sp, t, pc->cls, true);
			if (s < wit->sit)
				wit->sit = s;
		}
		if (wit->sit != BS_NONE) {
			const struct piece *pc = piece_of(p,
			    space_class(sp, wit->sit));
			wit->action = least ? first_other(pc, na, o->action) :
			    o->action;
		} else {
			wit->action = NONE;
		}
		break;
	}
	}
	mpq_clear(pr);
	mpq_clear(q);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Divergence                                                         */
/* ------------------------------------------------------------------ */

static void
diverge(const struct policy *p, const struct space *sp,
    mpq_srcptr tolerance, struct entity_result *r)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	uint64_t *tmp = xcalloc(sp->cw, sizeof *tmp);
	uint64_t best = BS_NONE;
	mpz_t sum;
	mpq_t part, pr;

	mpz_init(sum);
	mpq_init(part);
	mpq_init(pr);
	mpq_set_ui(r->divergence, 0, 1);
	/* delta * Z = sum over pieces and actions of pi(a) * bad(c, a). */
	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct piece *pc = &p->pieces[i];
		for (uint32_t a = 0; a < na; a++) {
			if (!piece_positive(pc, a))
				continue;
			bs_and(tmp, pc->cls, sp->bad_cls[a], sp->cw);
			if (!bs_any(tmp, sp->cw))
				continue;
			space_bad_sum(sp, a, tmp, sum);
			piece_prob(pc, a, pr);
			mpq_set_z(part, sum);
			mpq_mul(part, part, pr);
			mpq_add(r->divergence, r->divergence, part);
			uint64_t first = space_bad_first(sp, a, tmp);
			if (first < best)
				best = first;
		}
	}
	mpq_set_z(part, sp->zdeploy);
	mpq_div(r->divergence, r->divergence, part);
	r->has_divergence = true;
	r->diverges = mpq_cmp(r->divergence, tolerance) > 0;
	r->witness.sit = BS_NONE;
	if (r->diverges && best != BS_NONE) {
		/* The first non-intended action with positive probability. */
		const struct piece *pc = piece_of(p, space_class(sp, best));
		uint32_t rule = space_intended(sp, best);
		const bool *acc = m->intended[rule].accept;
		r->witness.sit = best;
		r->witness_rule = rule;
		for (uint32_t a = 0; a < na; a++)
			if (!acc[a] && piece_positive(pc, a)) {
				r->witness.action = a;
				break;
			}
	}
	mpq_clear(pr);
	mpq_clear(part);
	mpz_clear(sum);
	free(tmp);
}

void
policy_judge(const struct policy *p, const struct space *sp,
    mpq_srcptr tolerance, struct entity_result *r)
{
	const struct model *m = sp->m;

	r->consistent = true;
	r->refuted_by = NONE;
	r->refutation.sit = BS_NONE;
	r->refutation.action = NONE;
	r->witness.sit = BS_NONE;
	r->witness.action = NONE;
	r->witness_rule = NONE;
	r->log_likelihood = 0;
	mpq_set_ui(r->likelihood, 1, 1);
	for (uint32_t i = 0; i < m->training.nobs; i++) {
		if (policy_observe(p, sp, i, r->likelihood, &r->refutation))
			continue;
		r->consistent = false;
		r->refuted_by = i;
		mpq_set_ui(r->likelihood, 0, 1);
		break;
	}
	/* From the exact product: no error accumulates over the factors. */
	r->log_likelihood = r->consistent ? rational_log(r->likelihood) : 0;
	if (m->has_intended)
		diverge(p, sp, tolerance, r);
}
