/*
 * draws.c - the likelihoods of counted draws as powers of a coprime base,
 * and the point posterior over them (draws.h).
 *
 * A likelihood prod q^n over the base is one exponent vector: equality is
 * a comparison of vectors, and posterior ratios need no digits at all.
 * Only what is short (EXPAND_BITS) is written out, which is also what
 * keeps every printed number what the written-out value would print.
 */
#include "draws.h"

#include <stdlib.h>
#include <string.h>

#include "policy.h"

/*
 * Written out below this many bits: 2^16 bits take well under a
 * millisecond to multiply; 10^5 draws are about 1.6 million bits.
 */
#ifndef DRAWS_EXPAND_BITS
#define DRAWS_EXPAND_BITS 65536.0
#endif
#define EXPAND_BITS DRAWS_EXPAND_BITS

/* A fresh value over r->base, owned by the Result. */
static struct bigq *
new_big(struct result *r)
{
	struct bigq *v = xcalloc(1, sizeof *v);

	bigq_init(v, r->base);
	r->bigs = xreallocarray(r->bigs, r->nbigs + 1, sizeof *r->bigs);
	r->bigs[r->nbigs++] = v;
	return v;
}

/* Entity er's likelihood as exponents over 'bs'; false on overflow. */
static bool
exponents(const struct bigq_base *bs, struct entity_result *er)
{
	bool ok = bigq_base_exps(bs, er->likelihood, 1, er->lik_e);

	for (uint32_t f = 0; f < er->nfactor && ok; f++)
		ok = bigq_base_exps(bs, er->fq[f], er->fn[f], er->lik_e);
	return ok;
}

/* The old way, for exponents beyond int64_t: multiply it all out. */
static void
multiply_out(struct entity_result *er)
{
	mpq_t p;

	mpq_init(p);
	for (uint32_t f = 0; f < er->nfactor; f++) {
		mpz_pow_ui(mpq_numref(p), mpq_numref(er->fq[f]), er->fn[f]);
		mpz_pow_ui(mpq_denref(p), mpq_denref(er->fq[f]), er->fn[f]);
		mpq_mul(er->likelihood, er->likelihood, p);
	}
	mpq_clear(p);
	policy_drop_factors(er);
	er->log_likelihood = rational_log(er->likelihood);
}

void
draws_likelihoods(struct result *r)
{
	uint32_t n = r->m->nentities;
	bool any = false, ok = true;

	for (uint32_t i = 0; i < n; i++)
		any |= r->ents[i].nfactor > 0;
	if (!any)
		return;
	r->base = xcalloc(1, sizeof *r->base);
	bigq_base_init(r->base);
	for (uint32_t i = 0; i < n; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		bigq_base_add(r->base, mpq_numref(er->likelihood));
		bigq_base_add(r->base, mpq_denref(er->likelihood));
		for (uint32_t f = 0; f < er->nfactor; f++) {
			bigq_base_add(r->base, mpq_numref(er->fq[f]));
			bigq_base_add(r->base, mpq_denref(er->fq[f]));
		}
	}
	for (uint32_t i = 0; i < n && ok; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		er->lik_e = xcalloc(r->base->n + 1, sizeof *er->lik_e);
		ok = exponents(r->base, er);
	}
	if (!ok) {
		/* Out of int64_t: no base, every likelihood written out. */
		for (uint32_t i = 0; i < n; i++) {
			free(r->ents[i].lik_e);
			r->ents[i].lik_e = NULL;
			if (r->ents[i].consistent)
				multiply_out(&r->ents[i]);
		}
		bigq_base_free(r->base);
		free(r->base);
		r->base = NULL;
		return;
	}
	for (uint32_t i = 0; i < n; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		policy_drop_factors(er);
		if (bigq_base_bits(r->base, er->lik_e) <= EXPAND_BITS) {
			bigq_base_expand(r->base, er->lik_e, er->likelihood);
			er->log_likelihood = rational_log(er->likelihood);
			continue;
		}
		er->lik_big = new_big(r);
		bigq_set_power(er->lik_big, er->lik_e);
		er->log_likelihood = bigq_base_log(r->base, er->lik_e);
		mpq_set_ui(er->likelihood, 0, 1);
	}
}

void
draws_expand(struct result *r)
{
	for (uint32_t i = 0; i < r->m->nentities; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->lik_big)
			continue;
		bigq_base_expand(r->base, er->lik_e, er->likelihood);
		er->lik_big = NULL;
	}
}

bool
draws_same(const struct result *r, uint32_t i, uint32_t j)
{
	const struct entity_result *a = &r->ents[i], *b = &r->ents[j];

	if (r->base && a->lik_e && b->lik_e)
		return memcmp(a->lik_e, b->lik_e, r->base->n *
		    sizeof *a->lik_e) == 0;
	return mpq_equal(a->likelihood, b->likelihood);
}

/* Entity i's data factor when every factor is a point. */
static void
point_factor(const struct model *m, uint32_t i, mpq_ptr f)
{
	const struct entity *e = &m->entities[i];

	mpq_set_ui(f, 1, 1);
	for (uint32_t k = 0; k < m->ndata; k++)
		for (uint32_t j = 0; j < e->ntraits; j++)
			if (e->traits[j] == m->data[k].trait) {
				mpq_mul(f, f, m->data[k].scale.lo);
				break;
			}
}

/* True when every weight and data factor is a point. */
static bool
all_points(const struct model *m)
{
	for (uint32_t k = 0; k < m->ndata; k++)
		if (!mpq_equal(m->data[k].scale.lo, m->data[k].scale.hi))
			return false;
	for (uint32_t i = 0; i < m->nentities; i++)
		if (!mpq_equal(m->entities[i].prior.lo,
		    m->entities[i].prior.hi))
			return false;
	return true;
}

/* Whether every term has the same a/c: then the value is that ratio. */
static bool
one_ratio(const struct bigq *v)
{
	mpq_t s, t;
	bool same = true;

	mpq_inits(s, t, NULL);
	for (uint32_t k = 1; k < v->nterm && same; k++) {
		mpq_mul(s, v->a[k], v->c[0]);
		mpq_mul(t, v->a[0], v->c[k]);
		same = mpq_equal(s, t);
	}
	mpq_clears(s, t, NULL);
	return same;
}

bool
draws_point(struct result *r, mpq_t *x, struct interval *out)
{
	const struct model *m = r->m;
	bool any = false;

	if (!r->base)
		return false;
	if (!all_points(m)) {
		draws_expand(r);
		return false;
	}
	struct bigq *v = new_big(r);
	mpq_t a, c;
	mpq_inits(a, c, NULL);
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		point_factor(m, i, c);
		mpq_mul(c, c, m->entities[i].prior.lo);
		if (mpq_sgn(c) == 0)
			continue;
		mpq_mul(a, c, x[i]);
		bigq_add_term(v, a, c, er->lik_e);
		any = true;
	}
	mpq_clears(a, c, NULL);
	out->defined = any;
	out->exact = true;
	out->verified = false;
	out->big = NULL;
	if (!any)
		return true;
	bigq_reduce(v);
	if (one_ratio(v)) {
		/* Every a_t = x c_t: the value is x, whatever the powers. */
		mpq_div(out->lo, v->a[0], v->c[0]);
		mpq_set(out->hi, out->lo);
		return true;
	}
	if (bigq_bits(v) <= EXPAND_BITS) {
		/* Short: the value written out, as the general way has it. */
		bigq_get_q(v, out->lo);
		mpq_set(out->hi, out->lo);
		return true;
	}
	out->big = v;
	mpq_set_ui(out->lo, 0, 1);
	mpq_set_ui(out->hi, 0, 1);
	return true;
}

void
draws_free(struct result *r)
{
	for (uint32_t i = 0; i < r->nbigs; i++) {
		bigq_free(r->bigs[i]);
		free(r->bigs[i]);
	}
	free(r->bigs);
	r->bigs = NULL;
	r->nbigs = 0;
	for (uint32_t i = 0; i < r->m->nentities && r->ents; i++) {
		free(r->ents[i].lik_e);
		r->ents[i].lik_e = NULL;
		if (r->ents[i].e)
			policy_drop_factors(&r->ents[i]);
	}
	if (r->base) {
		bigq_base_free(r->base);
		free(r->base);
		r->base = NULL;
	}
}
