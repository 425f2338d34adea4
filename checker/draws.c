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
#include "posterior.h"

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

/* The old way: every factor multiplied out into 'likelihood'. */
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

/* At most this many bits written out (from the factors' sizes). */
static double
size_bound(const struct entity_result *er)
{
	double bits = (double)mpz_sizeinbase(mpq_numref(er->likelihood), 2) +
	    (double)mpz_sizeinbase(mpq_denref(er->likelihood), 2);

	for (uint32_t f = 0; f < er->nfactor; f++)
		bits += (double)er->fn[f] *
		    ((double)mpz_sizeinbase(mpq_numref(er->fq[f]), 2) +
		    (double)mpz_sizeinbase(mpq_denref(er->fq[f]), 2));
	return bits;
}

/*
 * The distinct rationals of every factor (and non-count part), sorted,
 * each with its exponents over the base, sparse: entities share rates,
 * so each is factored once (10,000 characters: 8 million mpz_remove
 * calls when done per entity).
 */
struct rates {
	uint32_t n;
	mpq_srcptr *q;		/* sorted, distinct */
	uint32_t *first, *len;	/* per rate: its run in 'k' and 'm' */
	uint32_t *k;		/* base indices */
	int64_t *m;		/* exponents there */
};

static int
cmp_rate(const void *p, const void *q)
{
	return mpq_cmp(*(mpq_srcptr const *)p, *(mpq_srcptr const *)q);
}

static void
rates_build(struct rates *rt, struct result *r)
{
	uint32_t cap = 0, nk = 0;
	mpz_t x;

	memset(rt, 0, sizeof *rt);
	for (uint32_t i = 0; i < r->m->nentities; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		rt->q = xreallocarray(rt->q, rt->n + er->nfactor + 1,
		    sizeof *rt->q);
		rt->q[rt->n++] = er->likelihood;
		for (uint32_t f = 0; f < er->nfactor; f++)
			rt->q[rt->n++] = er->fq[f];
	}
	qsort(rt->q, rt->n, sizeof *rt->q, cmp_rate);
	uint32_t u = 0;
	for (uint32_t i = 0; i < rt->n; i++)
		if (u == 0 || !mpq_equal(rt->q[u - 1], rt->q[i]))
			rt->q[u++] = rt->q[i];
	rt->n = u;
	for (uint32_t i = 0; i < rt->n; i++) {
		bigq_base_add(r->base, mpq_numref(rt->q[i]));
		bigq_base_add(r->base, mpq_denref(rt->q[i]));
	}
	rt->first = xcalloc(rt->n + 1, sizeof *rt->first);
	rt->len = xcalloc(rt->n + 1, sizeof *rt->len);
	mpz_init(x);
	for (uint32_t i = 0; i < rt->n; i++) {
		rt->first[i] = nk;
		for (int side = 0; side < 2; side++) {
			mpz_set(x, side ? mpq_denref(rt->q[i]) :
			    mpq_numref(rt->q[i]));
			for (uint32_t k = 0; k < r->base->n &&
			    mpz_cmp_ui(x, 1) > 0; k++) {
				mp_bitcnt_t c = mpz_remove(x, x,
				    r->base->b[k]);
				if (c == 0)
					continue;
				if (nk == cap) {
					cap = cap ? 2 * cap : 64;
					rt->k = xreallocarray(rt->k, cap,
					    sizeof *rt->k);
					rt->m = xreallocarray(rt->m, cap,
					    sizeof *rt->m);
				}
				rt->k[nk] = k;
				rt->m[nk++] = side ? -(int64_t)c : (int64_t)c;
			}
		}
		rt->len[i] = nk - rt->first[i];
	}
	mpz_clear(x);
}

static void
rates_free(struct rates *rt)
{
	free(rt->q);
	free(rt->first);
	free(rt->len);
	free(rt->k);
	free(rt->m);
}

/* e += n times the exponents of q (one of the rates); false on overflow. */
static bool
add_rate(const struct rates *rt, mpq_srcptr q, unsigned long n, int64_t *e)
{
	mpq_srcptr *hit = bsearch(&q, rt->q, rt->n, sizeof *rt->q, cmp_rate);
	uint32_t i = (uint32_t)(hit - rt->q);

	if (n > INT64_MAX)
		return false;
	for (uint32_t j = rt->first[i]; j < rt->first[i] + rt->len[i]; j++) {
		int64_t d;
		if (__builtin_mul_overflow(rt->m[j], (int64_t)n, &d) ||
		    __builtin_add_overflow(e[rt->k[j]], d, &e[rt->k[j]]))
			return false;
	}
	return true;
}

/* Entity er's likelihood as exponents over the base; false on overflow. */
static bool
exponents(const struct rates *rt, struct entity_result *er)
{
	bool ok = add_rate(rt, er->likelihood, 1, er->lik_e);

	for (uint32_t f = 0; f < er->nfactor && ok; f++)
		ok = add_rate(rt, er->fq[f], er->fn[f], er->lik_e);
	return ok;
}

/* Sorting entities by their exponent vectors, then by index. */
struct vec_of {
	const int64_t *v;
	uint32_t i;
};

static size_t sort_n;

static int
cmp_vec(const void *p, const void *q)
{
	const struct vec_of *a = p, *b = q;
	int c = memcmp(a->v, b->v, sort_n * sizeof *a->v);

	return c ? c : (a->i < b->i ? -1 : a->i > b->i);
}

/* er->lik_rep: the first entity with the same vector (one term each). */
static void
representatives(struct result *r)
{
	uint32_t n = r->m->nentities, k = 0;
	struct vec_of *v = xcalloc(n + 1, sizeof *v);

	for (uint32_t i = 0; i < n; i++) {
		r->ents[i].lik_rep = i;
		if (r->ents[i].lik_e)
			v[k++] = (struct vec_of){ r->ents[i].lik_e, i };
	}
	sort_n = r->base->n;
	qsort(v, k, sizeof *v, cmp_vec);
	for (uint32_t j = 1; j < k; j++)
		if (memcmp(v[j].v, v[j - 1].v, sort_n * sizeof *v[j].v) == 0)
			r->ents[v[j].i].lik_rep = r->ents[v[j - 1].i].lik_rep;
	free(v);
}

void
draws_likelihoods(struct result *r)
{
	uint32_t n = r->m->nentities;
	bool any = false, ok = true;
	struct rates rt;

	/* Only when some likelihood is long: else the old way, as fast. */
	for (uint32_t i = 0; i < n; i++)
		any |= r->ents[i].nfactor > 0 &&
		    size_bound(&r->ents[i]) > EXPAND_BITS;
	if (!any) {
		for (uint32_t i = 0; i < n; i++)
			if (r->ents[i].nfactor > 0)
				multiply_out(&r->ents[i]);
		return;
	}
	r->base = xcalloc(1, sizeof *r->base);
	bigq_base_init(r->base);
	rates_build(&rt, r);
	for (uint32_t i = 0; i < n && ok; i++) {
		struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		er->lik_e = xcalloc(r->base->n + 1, sizeof *er->lik_e);
		ok = exponents(&rt, er);
	}
	rates_free(&rt);
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
	representatives(r);
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

/*
 * True when the posterior needs no LP here: every weight a point, or
 * (without constraints, and without --exact, which asks GLPK's exact
 * simplex to confirm each LP optimum) a box whose consistent entities'
 * weights stay positive, so that no sum of them is 0; '*box' says which.
 * The data box into 'vs'.
 */
static bool
no_lp(const struct result *r, const struct lp_opts *o, struct vertices *vs,
    bool *box)
{
	const struct model *m = r->m;

	vs->nvar = 0;
	for (uint32_t k = 0; k < m->ndata; k++)
		if (!mpq_equal(m->data[k].scale.lo, m->data[k].scale.hi)) {
			if (vs->nvar == POSTERIOR_MAX_DATA)
				return false;
			vs->var[vs->nvar++] = k;
		}
	*box = posterior_needs_lp(m);
	if (!*box)
		return true;
	if (m->nconstraints > 0 || o->exact)
		return false;
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct range *w = &m->entities[i].prior;
		if (r->ents[i].consistent && mpq_sgn(w->lo) <= 0 &&
		    !mpq_equal(w->lo, w->hi))
			return false;
	}
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

/*
 * The posterior at one vertex, entity i weighted by its prior's upper
 * end when up[i] ('up' NULL: the lower, a point's only one): written out
 * into 'q' (*big NULL) when short, else *big.  False when its
 * denominator is 0 (undefined there).
 */
static bool
at_vertex(struct result *r, mpq_t *x, const struct vertices *vs,
    uint64_t vert, const bool *up, mpq_ptr q, struct bigq **big)
{
	const struct model *m = r->m;
	const struct posterior_in in = { .m = m };	/* as declared */
	uint32_t n = m->nentities;
	struct bigq *v = new_big(r);
	mpq_t *a = rationals_new(n + 1), *c = rationals_new(n + 1), t;
	bool any = false;

	/* Entities with one vector are one term: their a and c summed at
	 * the first of them, the terms pushed in entity order. */
	*big = NULL;
	mpq_init(t);
	for (uint32_t i = 0; i < n; i++) {
		const struct entity_result *er = &r->ents[i];
		if (!er->consistent)
			continue;
		posterior_factor(&in, vs, vert, i, t);
		mpq_mul(t, t, up && up[i] ? m->entities[i].prior.hi :
		    m->entities[i].prior.lo);
		if (mpq_sgn(t) == 0)
			continue;
		mpq_add(c[er->lik_rep], c[er->lik_rep], t);
		mpq_mul(t, t, x[i]);
		mpq_add(a[er->lik_rep], a[er->lik_rep], t);
		any = true;
	}
	for (uint32_t i = 0; i < n; i++)
		if (mpq_sgn(c[i]) > 0)
			bigq_push_term(v, a[i], c[i], r->ents[i].lik_e);
	mpq_clear(t);
	rationals_free(a, n + 1);
	rationals_free(c, n + 1);
	if (!any)
		return false;
	bigq_reduce(v);
	if (one_ratio(v))	/* every a_t = x c_t: the value is x */
		mpq_div(q, v->a[0], v->c[0]);
	else if (bigq_bits(v) <= EXPAND_BITS)
		bigq_get_q(v, q);	/* short: written out */
	else
		*big = v;
	return true;
}

/* The sign of end (q1, b1) - end (q2, b2), a NULL b: the q. */
static int
end_cmp(mpq_srcptr q1, const struct bigq *b1, mpq_srcptr q2,
    const struct bigq *b2)
{
	int c;

	if (b1 && b2)
		return bigq_cmp(b1, b2);
	if (b1)
		return bigq_cmp_q(b1, q2);
	if (b2)
		return -bigq_cmp_q(b2, q1);
	c = mpq_cmp(q1, q2);
	return (c > 0) - (c < 0);
}

/*
 * The least (dir < 0) or largest (dir > 0) posterior over the weight box
 * at one vertex of the data box, by Dinkelbach's iteration: with lambda
 * the value at the weights 'up', each entity takes its upper weight
 * exactly when its x lies above lambda (below, for the least).  The value
 * at the new weights is at least lambda (at most, for the least), equal
 * only when lambda is the optimum, so the iteration ends, in a few
 * rounds.  Into 'q' / '*big' as at_vertex; false when undefined there.
 */
static bool
box_end(struct result *r, mpq_t *x, const struct vertices *vs,
    uint64_t vert, int dir, bool *up, mpq_ptr q, struct bigq **big)
{
	uint32_t n = r->m->nentities;
	struct bigq *b2;
	mpq_t q2;
	bool defined;

	memset(up, 0, n * sizeof *up);
	if (!at_vertex(r, x, vs, vert, up, q, big))
		return false;
	mpq_init(q2);
	for (;;) {
		bool moved = false;
		for (uint32_t i = 0; i < n; i++) {
			if (!r->ents[i].consistent)
				continue;
			int s = end_cmp(x[i], NULL, q, *big);
			bool u = dir > 0 ? s > 0 : s < 0;
			moved |= u != up[i];
			up[i] = u;
		}
		if (!moved)
			break;
		defined = at_vertex(r, x, vs, vert, up, q2, &b2);
		if (!defined || end_cmp(q2, b2, q, *big) == 0)
			break;
		mpq_set(q, q2);
		*big = b2;
	}
	mpq_clear(q2);
	return true;
}

bool
draws_point(struct result *r, mpq_t *x, const struct lp_opts *o,
    struct interval *out)
{
	struct vertices vs;
	struct bigq *big;
	bool box;
	mpq_t q;

	if (!r->base)
		return false;
	if (!no_lp(r, o, &vs, &box)) {
		draws_expand(r);
		return false;
	}
	out->defined = false;
	out->exact = true;
	out->verified = false;
	out->lo_big = out->hi_big = NULL;
	bool *up = xcalloc(r->m->nentities + 1, sizeof *up);
	mpq_init(q);
	/* posterior_range's widening: the first of equal values stays. */
	for (uint64_t vert = 0; vert < ((uint64_t)1 << vs.nvar); vert++) {
		if (!(box ? box_end(r, x, &vs, vert, -1, up, q, &big) :
		    at_vertex(r, x, &vs, vert, NULL, q, &big)))
			continue;
		if (!out->defined || end_cmp(q, big, out->lo,
		    out->lo_big) < 0) {
			mpq_set(out->lo, q);
			out->lo_big = big;
		}
		if (box)
			box_end(r, x, &vs, vert, 1, up, q, &big);
		if (!out->defined || end_cmp(q, big, out->hi,
		    out->hi_big) > 0) {
			mpq_set(out->hi, q);
			out->hi_big = big;
		}
		out->defined = true;
	}
	mpq_clear(q);
	free(up);
	return true;
}

bool
draws_is_point(const struct interval *iv)
{
	if (iv->lo_big && iv->lo_big == iv->hi_big)
		return true;
	return end_cmp(iv->lo, iv->lo_big, iv->hi, iv->hi_big) == 0;
}

int
draws_cmp(const struct result *r, uint32_t i, uint32_t j)
{
	const struct entity_result *a = &r->ents[i], *b = &r->ents[j];

	return end_cmp(a->likelihood, a->lik_big, b->likelihood, b->lik_big);
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
