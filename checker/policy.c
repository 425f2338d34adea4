/*
 * policy.c - policies as pieces over classes, and their judgement: the
 * likelihood of the training evidence (SPEC 4.5) and the divergence at
 * deployment (SPEC 4.4), exactly.  All sums are class sums read from the
 * space's tables, so a deterministic policy costs a few passes over words.
 */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#include "deadline.h"

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

/*
 * One rule: g = its guard, fire = g & ~covered, covered |= fire,
 * piece |= fire; returns whether it fired anywhere.  Words go by blocks
 * of 64, one summary word each: a word is visited only if every term of
 * the guard can be nonzero there and 'covered' is not full there ('full'
 * keeps that summary).  Dense blocks run as plain word loops the compiler
 * vectorises; sparse ones word by word.
 */
static uint64_t
fire_rule(const struct guard_plan *gp, uint64_t *covered, uint64_t *full,
    uint64_t *piece, size_t cw, uint64_t last)
{
	uint64_t g[64], any = 0;

	for (size_t j = 0; j * 64 < cw; j++) {
		size_t lo = j * 64, n = cw - lo < 64 ? cw - lo : 64;
		uint64_t cand = (n == 64 ? ~(uint64_t)0 :
		    ~(uint64_t)0 >> (64 - n)) & ~full[j];
		for (uint32_t k = 0; k < gp->n && cand; k++)
			if (gp->live[k])
				cand &= gp->live[k][j];
		if (!cand)
			continue;
		uint64_t *cv = covered + lo, *pc = piece + lo;
		if (__builtin_popcountll(cand) < 48) {
			for (uint64_t c = cand; c; c &= c - 1) {
				size_t i = (size_t)__builtin_ctzll(c);
				uint64_t x = gp->t[0][lo + i] ^ gp->flip[0];
				for (uint32_t k = 1; k < gp->n; k++)
					x &= gp->t[k][lo + i] ^ gp->flip[k];
				if (lo + i + 1 == cw)
					x &= last;
				uint64_t f = x & ~cv[i];
				cv[i] |= f;
				pc[i] |= f;
				any |= f;
				if (cv[i] == ~(uint64_t)0)
					full[j] |= (uint64_t)1 << i;
			}
			continue;
		}
		const uint64_t *t0 = gp->t[0] + lo;
		for (size_t i = 0; i < n; i++)
			g[i] = t0[i] ^ gp->flip[0];
		for (uint32_t k = 1; k < gp->n; k++) {
			const uint64_t *t = gp->t[k] + lo;
			uint64_t flip = gp->flip[k];
			for (size_t i = 0; i < n; i++)
				g[i] &= t[i] ^ flip;
		}
		if (lo + n == cw)
			g[n - 1] &= last;
		for (size_t i = 0; i < n; i++) {
			uint64_t f = g[i] & ~cv[i];
			cv[i] |= f;
			pc[i] |= f;
			any |= f;
		}
		for (size_t i = 0; i < n; i++)
			if (cv[i] == ~(uint64_t)0)
				full[j] |= (uint64_t)1 << i;
	}
	return any;
}

bool
policy_from_rules(struct policy *p, const struct space *sp,
    const struct entity *e, struct diag *d)
{
	const struct model *m = sp->m;
	size_t cw = sp->cw;
	uint64_t last = sp->ncls % 64 ? ~(uint64_t)0 >> (64 - sp->ncls % 64) :
	    ~(uint64_t)0;
	uint64_t *covered = xcalloc(cw, sizeof *covered);
	uint64_t *full = xcalloc(bs_words(cw) + 1, sizeof *full);
	uint64_t *scratch = NULL;
	uint32_t *by_action = xreallocarray(NULL, m->nactions + 1,
	    sizeof *by_action);
	bool ok = true;

	memset(p, 0, sizeof *p);
	memset(by_action, 0xff, (m->nactions + 1) * sizeof *by_action);
	for (uint32_t r = 0; r < e->nrules; r++) {
		const struct rule *ru = &e->rules[r];
		struct guard_plan gp;
		if (!space_plan(sp, ru->guard, &gp)) {
			if (!scratch)
				scratch = xreallocarray(NULL, cw,
				    sizeof *scratch);
			space_compile_into(sp, ru->guard, true, scratch);
			gp.n = 1;
			gp.t[0] = scratch;
			gp.flip[0] = 0;
			gp.live[0] = NULL;
		}
		/* Deterministic rules merge into one piece per action. */
		bool fresh = ru->action == NONE ||
		    by_action[ru->action] == NONE;
		struct piece *pc = fresh ? add_piece(p, cw) :
		    &p->pieces[by_action[ru->action]];
		if (fire_rule(&gp, covered, full, pc->cls, cw, last)) {
			pc->action = ru->action;
			pc->dist = ru->dist;
			if (fresh && ru->action != NONE)
				by_action[ru->action] = p->npieces - 1;
			continue;
		}
		if (fresh)
			free(p->pieces[--p->npieces].cls);
		/* Does the guard match any class at all?  Its first term
		 * alone, or the whole guard through a fresh piece. */
		uint64_t *probe = xcalloc(cw, sizeof *probe);
		uint64_t *none = xcalloc(cw, sizeof *none);
		uint64_t *nofull = xcalloc(bs_words(cw) + 1, sizeof *nofull);
		bool matches = fire_rule(&gp, none, nofull, probe, cw,
		    last) != 0;
		free(nofull);
		free(none);
		free(probe);
		diag_warning(d, ru->loc, "this rule of '%s' can never fire: %s",
		    e->name, matches ? "every class it matches is taken by an "
		    "earlier rule" : "its guard matches no class");
	}
	uint64_t c = BS_NONE;
	for (size_t i = 0; i < cw && c == BS_NONE; i++) {
		uint64_t x = sp->all_cls[i] & ~covered[i];
		if (x)
			c = i * 64 + (uint64_t)__builtin_ctzll(x);
	}
	if (c != BS_NONE) {
		struct arena a = { 0 };
		diag_error(d, e->loc, "character '%s' has no rule for class %s",
		    e->name, space_cls_text(sp, &a, c));
		arena_free(&a);
		ok = false;
	}
	free(by_action);
	free(scratch);
	free(full);
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

/* pi(O) in piece 'pc': the sum over the outcome's actions (exact). */
static void
piece_prob_of(const struct piece *pc, const struct outcome *o, mpq_t out)
{
	if (pc->action != NONE) {
		mpq_set_ui(out, o->in[pc->action], 1);
		return;
	}
	mpq_set_ui(out, 0, 1);
	for (uint32_t j = 0; j < o->n; j++)
		if (pc->dist[o->acts[j]])
			mpq_add(out, out, pc->dist[o->acts[j]]);
}

/*
 * The action a refutation names (SPEC 6.2): the first action outside O
 * with positive probability ('outside'), else the first action of O with
 * positive probability, else O's first.
 */
static uint32_t
first_of_outcome(const struct piece *pc, uint32_t nactions,
    const struct outcome *o, bool outside)
{
	for (uint32_t a = 0; outside && a < nactions; a++)
		if (!o->in[a] && piece_positive(pc, a))
			return a;
	for (uint32_t j = 0; j < o->n; j++)
		if (piece_positive(pc, o->acts[j]))
			return o->acts[j];
	return o->acts[0];
}

/* ------------------------------------------------------------------ */
/* Evidence                                                           */
/* ------------------------------------------------------------------ */

/*
 * q = sum_c mass(c) pi(O|c) / total over the observation's classes: the
 * probability of outcome O under the observation's training distribution.
 */
static void
obs_rate(const struct policy *p, const struct space *sp,
    const struct obs_table *t, const struct outcome *o, mpq_t q)
{
	mpz_t sum;
	mpq_t part, pr;

	mpz_init(sum);
	mpq_init(part);
	mpq_init(pr);
	mpq_set_ui(q, 0, 1);
	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct piece *pc = &p->pieces[i];
		piece_prob_of(pc, o, pr);
		if (mpq_sgn(pr) == 0)
			continue;
		obs_mass_over(sp, t, pc->cls, sum);
		mpq_set_z(part, sum);
		mpq_mul(part, part, pr);
		mpq_add(q, q, part);
	}
	mpq_set_z(part, t->total);
	mpq_div(q, q, part);
	mpq_clear(pr);
	mpq_clear(part);
	mpz_clear(sum);
}

/* Appends q^n to r's unexpanded factors (check_opts.lazy). */
static void
add_factor(struct entity_result *r, mpq_srcptr q, unsigned long n)
{
	uint32_t i = r->nfactor++;

	r->fq = xreallocarray(r->fq, r->nfactor, sizeof *r->fq);
	r->fn = xreallocarray(r->fn, r->nfactor, sizeof *r->fn);
	mpq_init(r->fq[i]);
	mpq_set(r->fq[i], q);
	r->fn[i] = n;
}

/*
 * policy_observe; with 'lazy' the count factors go to its list instead
 * of into 'lik' (10^6 draws are a q^n of millions of digits).
 */
static bool
observe(const struct policy *p, const struct space *sp, uint32_t k,
    mpq_t lik, struct entity_result *lazy, struct refutation *wit)
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
			piece_prob_of(pc, &o->out, pr);
			if (mpq_cmp_ui(pr, 1, 1) == 0)
				continue;
			uint64_t s = obs_earliest(sp, t, pc->cls, false);
			if (s < wit->sit)
				wit->sit = s;
		}
		if (wit->sit != BS_NONE) {
			const struct piece *pc = piece_of(p,
			    space_class(sp, wit->sit));
			wit->action = first_of_outcome(pc, na, &o->out, true);
			ok = false;
		}
		break;
	case EVID_COUNTS:
		/* Factor prod q_k^n_k: q^0 = 1, so a count of 0 is skipped
		 * and only an action drawn at least once with q = 0
		 * refutes (SPEC 4.5). */
		for (uint32_t j = 0; j < o->ncounts; j++) {
			if (o->count[j] == 0)
				continue;
			obs_rate(p, sp, t, &o->count_out[j], q);
			if (mpq_sgn(q) == 0) {
				ok = false;
				wit->zero = j;
				break;
			}
			if (lazy) {
				add_factor(lazy, q, o->count[j]);
				continue;
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
			wit->example = BS_NONE;
			for (uint32_t i = 0; i < p->npieces; i++) {
				uint64_t s = obs_earliest(sp, t,
				    p->pieces[i].cls, true);
				if (s < wit->example)
					wit->example = s;
			}
			if (wit->example != BS_NONE)
				wit->example_action = first_other(piece_of(p,
				    space_class(sp, wit->example)), na, NONE);
		}
		break;
	case EVID_AT_LEAST:
	case EVID_AT_MOST: {
		bool least = o->kind == EVID_AT_LEAST;
		obs_rate(p, sp, t, &o->out, q);
		int cmp = mpq_cmp(q, o->p);
		if (least ? cmp >= 0 : cmp <= 0)
			break;
		ok = false;
		/* Witness: the first positive-weight situation whose own
		 * probability breaks the bound. */
		wit->sit = BS_NONE;
		for (uint32_t i = 0; i < p->npieces; i++) {
			const struct piece *pc = &p->pieces[i];
			piece_prob_of(pc, &o->out, pr);
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
			wit->action = first_of_outcome(pc, na, &o->out, least);
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

bool
policy_observe(const struct policy *p, const struct space *sp, uint32_t k,
    mpq_t lik, struct refutation *wit)
{
	return observe(p, sp, k, lik, NULL, wit);
}

/* ------------------------------------------------------------------ */
/* Divergence                                                         */
/* ------------------------------------------------------------------ */

/*
 * delta * Z = sum over pieces and actions of pi(a) * bad(piece, a), the
 * bad masses read from the space's sum terms; the witness (SPEC 4.4) only
 * when the policy diverges.
 */
static void
diverge(const struct policy *p, const struct space *sp,
    mpq_srcptr tolerance, struct entity_result *r)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	uint64_t best = BS_NONE;
	mpz_t sum;
	mpq_t part, pr;

	mpz_init(sum);
	mpq_init(part);
	mpq_init(pr);
	mpq_set_ui(r->divergence, 0, 1);
	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct piece *pc = &p->pieces[i];
		for (uint32_t a = 0; a < na; a++) {
			if (!piece_positive(pc, a))
				continue;
			space_bad_sum(sp, a, pc->cls, sum);
			if (mpz_sgn(sum) == 0)
				continue;
			piece_prob(pc, a, pr);
			mpq_set_z(part, sum);
			mpq_mul(part, part, pr);
			mpq_add(r->divergence, r->divergence, part);
		}
	}
	mpq_set_z(part, sp->zdeploy);
	mpq_div(r->divergence, r->divergence, part);
	r->has_divergence = true;
	r->diverges = mpq_cmp(r->divergence, tolerance) > 0;
	r->witness.sit = BS_NONE;
	for (uint32_t i = 0; i < p->npieces && r->diverges; i++) {
		const struct piece *pc = &p->pieces[i];
		for (uint32_t a = 0; a < na; a++) {
			if (!piece_positive(pc, a))
				continue;
			uint64_t first = space_bad_first(sp, a, pc->cls);
			if (first < best)
				best = first;
		}
	}
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
}

void
policy_drop_factors(struct entity_result *r)
{
	for (uint32_t i = 0; i < r->nfactor; i++)
		mpq_clear(r->fq[i]);
	free(r->fq);
	free(r->fn);
	r->fq = NULL;
	r->fn = NULL;
	r->nfactor = 0;
}

void
policy_judge(const struct policy *p, const struct space *sp,
    mpq_srcptr tolerance, struct entity_result *r)
{
	const struct model *m = sp->m;

	r->consistent = true;
	r->refuted_by = NONE;
	r->refutation =
	    (struct refutation){ BS_NONE, NONE, NONE, BS_NONE, NONE };
	r->witness.sit = BS_NONE;
	r->witness.action = NONE;
	r->witness_rule = NONE;
	r->log_likelihood = 0;
	mpq_set_ui(r->likelihood, 1, 1);
	/* One scan per piece instead of one per observation: a deterministic
	 * policy whose pieces miss the classes of every 'always' observation
	 * of another action satisfies them all (their factor is 1). */
	bool always_hold = sp->always_other != NULL;
	for (uint32_t i = 0; i < p->npieces && always_hold; i++) {
		const struct piece *pc = &p->pieces[i];
		always_hold = pc->action != NONE && !bs_intersects(pc->cls,
		    sp->always_other[pc->action], sp->cw);
	}
	/* Counts of 10^6 draws take a second each: poll --timeout (the
	 * caller reports it and drops this result). */
	for (uint32_t i = 0; i < m->training.nobs && !deadline_expired();
	    i++) {
		if (always_hold && m->training.obs[i].kind == EVID_ALWAYS)
			continue;
		if (observe(p, sp, i, r->likelihood, r->lazy ? r : NULL,
		    &r->refutation))
			continue;
		r->consistent = false;
		r->refuted_by = i;
		mpq_set_ui(r->likelihood, 0, 1);
		break;
	}
	/* From the exact product: no error accumulates over the factors.
	 * Lazily, the caller takes it from the product's powers. */
	if (!r->consistent)
		policy_drop_factors(r);
	else if (r->nfactor == 0)
		r->log_likelihood = rational_log(r->likelihood);
	if (m->has_intended)
		diverge(p, sp, tolerance, r);
}
