/*
 * bigq.c - exact rationals kept as powers of a coprime base (bigq.h).
 *
 * Questions about a value (its sign against a rational, its nearest
 * double, its leading digits) are answered from an enclosure: every power
 * and sum in GMP's mpf at PREC bits, each operation truncating by a
 * relative 2^(1-PREC) at most, so that the computed value is within a
 * counted relative bound of the exact one.  When the enclosure cannot
 * decide (the answer changes inside it), the value is expanded exactly:
 * slower, never different.
 */
#include "bigq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "model.h"

/* Bits of every mpf: 10^6 draws lose about 21 of them in q^n. */
#define PREC 1024

/* ------------------------------------------------------------------ */
/* The base                                                           */
/* ------------------------------------------------------------------ */

void
bigq_base_init(struct bigq_base *bs)
{
	memset(bs, 0, sizeof *bs);
}

void
bigq_base_free(struct bigq_base *bs)
{
	for (uint32_t k = 0; k < bs->n; k++)
		mpz_clear(bs->b[k]);
	free(bs->b);
	memset(bs, 0, sizeof *bs);
}

static void
append(struct bigq_base *bs, mpz_srcptr x)
{
	if (bs->n == bs->cap) {
		bs->cap = bs->cap ? 2 * bs->cap : 8;
		bs->b = xreallocarray(bs->b, bs->cap, sizeof *bs->b);
	}
	mpz_init_set(bs->b[bs->n++], x);
}

/*
 * Factor refinement: a number sharing a factor g with an element b is
 * split, b into g and b/g, the number into g and the rest, and the
 * pieces go back through; the product of everything pending shrinks by
 * g each time, so it ends, and every element stays coprime to the rest.
 */
void
bigq_base_add(struct bigq_base *bs, mpz_srcptr x)
{
	uint32_t n = 1, cap = 8;
	mpz_t *todo = xreallocarray(NULL, cap, sizeof *todo);
	mpz_t g, y;

	mpz_inits(g, y, NULL);
	mpz_init_set(todo[0], x);
	mpz_abs(todo[0], todo[0]);
	while (n) {
		mpz_swap(y, todo[--n]);
		mpz_clear(todo[n]);
		if (mpz_cmp_ui(y, 1) <= 0)
			continue;
		uint32_t k = 0;
		for (; k < bs->n; k++) {
			mpz_gcd(g, y, bs->b[k]);
			if (mpz_cmp_ui(g, 1) != 0)
				break;
		}
		if (k == bs->n) {
			append(bs, y);
			continue;
		}
		if (mpz_cmp(g, y) == 0 && mpz_cmp(g, bs->b[k]) == 0)
			continue;	/* already an element */
		if (n + 3 > cap) {
			cap = 2 * cap + 3;
			todo = xreallocarray(todo, cap, sizeof *todo);
		}
		mpz_init_set(todo[n++], g);
		mpz_init(todo[n]);
		mpz_divexact(todo[n++], bs->b[k], g);
		mpz_init(todo[n]);
		mpz_divexact(todo[n++], y, g);
		mpz_clear(bs->b[k]);
		memmove(&bs->b[k], &bs->b[k + 1], (bs->n - k - 1) *
		    sizeof *bs->b);
		bs->n--;
	}
	mpz_clears(g, y, NULL);
	free(todo);
}

/* e += sign * k * (the exponents of x); false on overflow. */
static bool
exps_of(const struct bigq_base *bs, mpz_srcptr x, int sign, unsigned long k,
    int64_t *e)
{
	mpz_t r;
	bool ok = true;

	mpz_init_set(r, x);
	mpz_abs(r, r);
	for (uint32_t j = 0; j < bs->n && ok && mpz_cmp_ui(r, 1) > 0; j++) {
		int64_t m = (int64_t)mpz_remove(r, r, bs->b[j]), d;
		if (m == 0)
			continue;
		ok = k <= INT64_MAX &&
		    !__builtin_mul_overflow(m, (int64_t)k, &d) &&
		    !__builtin_add_overflow(e[j], sign * d, &e[j]);
	}
	if (ok && mpz_cmp_ui(r, 1) != 0)
		internal_error();	/* not added to the base */
	mpz_clear(r);
	return ok;
}

bool
bigq_base_exps(const struct bigq_base *bs, mpq_srcptr q, unsigned long k,
    int64_t *e)
{
	return exps_of(bs, mpq_numref(q), 1, k, e) &&
	    exps_of(bs, mpq_denref(q), -1, k, e);
}

double
bigq_base_bits(const struct bigq_base *bs, const int64_t *e)
{
	double bits = 0;

	for (uint32_t k = 0; k < bs->n; k++)
		if (e[k])
			bits += fabs((double)e[k]) *
			    (double)mpz_sizeinbase(bs->b[k], 2);
	return bits;
}

/* The b_k^|e_k| with e_k of sign 'sign', multiplied, into 'out'. */
static void
expand_side(const struct bigq_base *bs, const int64_t *e, int sign,
    mpz_ptr out)
{
	mpz_t t;

	mpz_init(t);
	mpz_set_ui(out, 1);
	for (uint32_t k = 0; k < bs->n; k++) {
		if (sign > 0 ? e[k] <= 0 : e[k] >= 0)
			continue;
		mpz_pow_ui(t, bs->b[k], (unsigned long)(e[k] < 0 ? -e[k] :
		    e[k]));
		mpz_mul(out, out, t);
	}
	mpz_clear(t);
}

void
bigq_base_expand(const struct bigq_base *bs, const int64_t *e, mpq_ptr out)
{
	/* Coprime sides: canonical as they are. */
	expand_side(bs, e, 1, mpq_numref(out));
	expand_side(bs, e, -1, mpq_denref(out));
}

/* ------------------------------------------------------------------ */
/* Enclosures                                                         */
/* ------------------------------------------------------------------ */

/*
 * The truncation error of x^n computed by squaring, x itself off by a
 * relative u, is at most about 2 n u: each error is raised to the power
 * it is carried through.  'units' bounds the relative error of one term
 * in units of u = 2^(1-PREC): 3 sum |e_k| + 8 per base, with room.
 */
static double
term_units(const struct bigq_base *bs, const int64_t *e)
{
	double u = 8;

	for (uint32_t k = 0; k < bs->n; k++)
		u += 3 * fabs((double)e[k]) + 8;
	return u;
}

/*
 * The relative error bound of every sum of a value, as a power of two
 * 2^(s - PREC) with four times the room; false when it is not far below
 * 1 (then the value is expanded).
 */
static bool
rel_bits(const struct bigq *v, long *s)
{
	double worst = 0;

	for (uint32_t t = 0; t < v->nterm; t++) {
		double u = term_units(v->bs, &v->e[(size_t)t * v->bs->n]);
		if (u > worst)
			worst = u;
	}
	worst += 4.0 * v->nterm + 64;
	*s = (long)ceil(log2(worst)) + 4;
	return *s < PREC - 128;
}

/* prod b_k^e_k, truncating, into 'out' (PREC bits). */
static void
power_f(const struct bigq_base *bs, const int64_t *e, mpf_ptr out)
{
	mpf_t num, den, t;

	mpf_init2(num, PREC);
	mpf_init2(den, PREC);
	mpf_init2(t, PREC);
	mpf_set_ui(num, 1);
	mpf_set_ui(den, 1);
	for (uint32_t k = 0; k < bs->n; k++) {
		if (e[k] == 0)
			continue;
		mpf_set_z(t, bs->b[k]);
		mpf_pow_ui(t, t, (unsigned long)(e[k] < 0 ? -e[k] : e[k]));
		mpf_mul(e[k] > 0 ? num : den, e[k] > 0 ? num : den, t);
	}
	mpf_div(out, num, den);
	mpf_clear(num);
	mpf_clear(den);
	mpf_clear(t);
}

/* [x (1 - 2^(s-PREC)), x (1 + 2^(s-PREC))] around x >= 0. */
static void
spread(mpf_ptr lo, mpf_ptr hi, mpf_srcptr x, long s)
{
	mpf_t d;

	mpf_init2(d, PREC);
	mpf_div_2exp(d, x, (mp_bitcnt_t)(PREC - s));
	mpf_sub(lo, x, d);
	mpf_add(hi, x, d);
	mpf_clear(d);
}

/*
 * An enclosure of value - r: its sign (decided) and |value - r| in
 * [lo, hi].  False when it cannot decide the sign, or a bound is too
 * loose; 'zero' when the value is r exactly (every coefficient 0).
 */
struct encl {
	int sign;
	mpf_t lo, hi;
};

static void
encl_init(struct encl *x)
{
	mpf_init2(x->lo, PREC);
	mpf_init2(x->hi, PREC);
	x->sign = 0;
}

static void
encl_clear(struct encl *x)
{
	mpf_clear(x->lo);
	mpf_clear(x->hi);
}

/* lo = (plo - nhi) / dhi, hi = (phi - nlo) / dlo, hi rounded up. */
static void
quotient(struct encl *x, mpf_srcptr plo, mpf_srcptr phi, mpf_srcptr nlo,
    mpf_srcptr nhi, mpf_srcptr dlo, mpf_srcptr dhi)
{
	mpf_t t;

	mpf_init2(t, PREC);
	mpf_sub(x->lo, plo, nhi);
	mpf_div(x->lo, x->lo, dhi);
	mpf_sub(x->hi, phi, nlo);
	mpf_div(x->hi, x->hi, dlo);
	/* Three truncations, each at most 2^(1-PREC): 2^(8-PREC) covers
	 * them. */
	mpf_div_2exp(t, x->hi, PREC - 8);
	mpf_add(x->hi, x->hi, t);
	mpf_clear(t);
}

static bool
enclose(const struct bigq *v, mpq_srcptr r, struct encl *x)
{
	mpf_t pos, neg, den, p, cf, plo, phi, nlo, nhi, dlo, dhi;
	mpq_t k;
	bool anyp = false, anyn = false, ok = true;
	long s;

	x->sign = 0;
	if (!rel_bits(v, &s))
		return false;
	mpf_init2(pos, PREC);
	mpf_init2(neg, PREC);
	mpf_init2(den, PREC);
	mpf_init2(p, PREC);
	mpf_init2(cf, PREC);
	mpf_init2(plo, PREC);
	mpf_init2(phi, PREC);
	mpf_init2(nlo, PREC);
	mpf_init2(nhi, PREC);
	mpf_init2(dlo, PREC);
	mpf_init2(dhi, PREC);
	mpq_init(k);
	for (uint32_t t = 0; t < v->nterm; t++) {
		/* k = a_t - r c_t, exactly: its sign decides the side, and
		 * a term whose k is 0 drops out of value - r exactly. */
		if (r) {
			mpq_mul(k, r, v->c[t]);
			mpq_sub(k, v->a[t], k);
		} else {
			mpq_set(k, v->a[t]);
		}
		int sg = mpq_sgn(k);
		if (sg == 0 && mpq_sgn(v->c[t]) == 0)
			continue;
		power_f(v->bs, &v->e[(size_t)t * v->bs->n], p);
		if (sg != 0) {
			mpq_abs(k, k);
			mpf_set_q(cf, k);
			mpf_mul(cf, cf, p);
			mpf_add(sg > 0 ? pos : neg, sg > 0 ? pos : neg, cf);
			anyp |= sg > 0;
			anyn |= sg < 0;
		}
		mpf_set_q(cf, v->c[t]);
		mpf_mul(cf, cf, p);
		mpf_add(den, den, cf);
	}
	spread(plo, phi, pos, s);
	spread(nlo, nhi, neg, s);
	spread(dlo, dhi, den, s);
	if (mpf_sgn(den) <= 0) {
		ok = false;
	} else if (!anyp && !anyn) {
		x->sign = 0;	/* exactly */
		mpf_set_ui(x->lo, 0);
		mpf_set_ui(x->hi, 0);
	} else if (!anyn || (anyp && mpf_cmp(plo, nhi) > 0)) {
		/* Exactly positive without negative terms. */
		x->sign = 1;
		quotient(x, plo, phi, anyn ? nlo : neg, anyn ? nhi : neg, dlo,
		    dhi);
	} else if (!anyp || mpf_cmp(nlo, phi) > 0) {
		x->sign = -1;
		quotient(x, nlo, nhi, anyp ? plo : pos, anyp ? phi : pos, dlo,
		    dhi);
	} else {
		ok = false;	/* the enclosure holds 0 */
	}
	mpf_clear(pos);
	mpf_clear(neg);
	mpf_clear(den);
	mpf_clear(p);
	mpf_clear(cf);
	mpf_clear(plo);
	mpf_clear(phi);
	mpf_clear(nlo);
	mpf_clear(nhi);
	mpf_clear(dlo);
	mpf_clear(dhi);
	mpq_clear(k);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Values                                                             */
/* ------------------------------------------------------------------ */

void
bigq_init(struct bigq *v, const struct bigq_base *bs)
{
	memset(v, 0, sizeof *v);
	v->bs = bs;
}

void
bigq_free(struct bigq *v)
{
	for (uint32_t t = 0; t < v->nterm; t++)
		mpq_clears(v->a[t], v->c[t], NULL);
	free(v->a);
	free(v->c);
	free(v->e);
	memset(v, 0, sizeof *v);
}

void
bigq_add_term(struct bigq *v, mpq_srcptr a, mpq_srcptr c, const int64_t *e)
{
	size_t n = v->bs->n;

	for (uint32_t t = 0; t < v->nterm; t++)
		if (n == 0 || memcmp(&v->e[t * n], e, n * sizeof *e) == 0) {
			mpq_add(v->a[t], v->a[t], a);
			mpq_add(v->c[t], v->c[t], c);
			return;
		}
	bigq_push_term(v, a, c, e);
}

void
bigq_push_term(struct bigq *v, mpq_srcptr a, mpq_srcptr c, const int64_t *e)
{
	size_t n = v->bs->n;

	if (v->nterm == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 4;
		v->a = xreallocarray(v->a, v->cap, sizeof *v->a);
		v->c = xreallocarray(v->c, v->cap, sizeof *v->c);
		v->e = xreallocarray(v->e, (size_t)v->cap * n + 1,
		    sizeof *v->e);
	}
	uint32_t t = v->nterm++;
	mpq_init(v->a[t]);
	mpq_init(v->c[t]);
	mpq_set(v->a[t], a);
	mpq_set(v->c[t], c);
	if (n)
		memcpy(&v->e[t * n], e, n * sizeof *e);
}

void
bigq_set_power(struct bigq *v, const int64_t *e)
{
	int64_t *zero = xcalloc(v->bs->n + 1, sizeof *zero);
	mpq_t one, nil;

	mpq_inits(one, nil, NULL);
	mpq_set_ui(one, 1, 1);
	bigq_add_term(v, one, nil, e);
	bigq_add_term(v, nil, one, zero);
	mpq_clears(one, nil, NULL);
	free(zero);
}

void
bigq_reduce(struct bigq *v)
{
	size_t n = v->bs->n;

	for (size_t k = 0; k < n && v->nterm; k++) {
		int64_t m = v->e[k];
		for (uint32_t t = 1; t < v->nterm; t++)
			if (v->e[t * n + k] < m)
				m = v->e[t * n + k];
		/* e - m cannot overflow where e and m share a sign; give
		 * up on this base where they do not and it would. */
		bool fits = true;
		for (uint32_t t = 0; t < v->nterm; t++) {
			int64_t d;
			fits &= !__builtin_sub_overflow(v->e[t * n + k], m,
			    &d);
		}
		for (uint32_t t = 0; t < v->nterm && fits; t++)
			v->e[t * n + k] -= m;
	}
}

double
bigq_bits(const struct bigq *v)
{
	double bits = 0;

	for (uint32_t t = 0; t < v->nterm; t++)
		bits += bigq_base_bits(v->bs, &v->e[(size_t)t * v->bs->n]);
	return bits;
}

void
bigq_get_q(const struct bigq *v, mpq_ptr out)
{
	size_t n = v->bs->n;
	int64_t *m = xcalloc(n + 1, sizeof *m), *e = xcalloc(n + 1,
	    sizeof *e);
	mpq_t num, den, p, t;

	/* Dividing every term by prod b_k^min_t e_tk leaves integers, and
	 * the common factor cancels in the ratio. */
	for (size_t k = 0; k < n; k++)
		for (uint32_t i = 0; i < v->nterm; i++)
			if (i == 0 || v->e[i * n + k] < m[k])
				m[k] = v->e[i * n + k];
	mpq_inits(num, den, p, t, NULL);
	for (uint32_t i = 0; i < v->nterm; i++) {
		for (size_t k = 0; k < n; k++)
			e[k] = v->e[i * n + k] - m[k];
		expand_side(v->bs, e, 1, mpq_numref(p));
		mpz_set_ui(mpq_denref(p), 1);
		mpq_mul(t, v->a[i], p);
		mpq_add(num, num, t);
		mpq_mul(t, v->c[i], p);
		mpq_add(den, den, t);
	}
	mpq_div(out, num, den);
	mpq_clears(num, den, p, t, NULL);
	free(m);
	free(e);
}

int
bigq_cmp_q(const struct bigq *v, mpq_srcptr r)
{
	struct encl x;
	int sign;

	encl_init(&x);
	if (enclose(v, r, &x)) {
		sign = x.sign;
	} else {
		mpq_t q;
		mpq_init(q);
		bigq_get_q(v, q);
		sign = r ? mpq_cmp(q, r) : mpq_sgn(q);
		sign = (sign > 0) - (sign < 0);
		mpq_clear(q);
	}
	encl_clear(&x);
	return sign;
}

double
bigq_get_d(const struct bigq *v)
{
	struct encl x;
	double d;

	encl_init(&x);
	bool ok = enclose(v, NULL, &x) && x.sign >= 0;
	mpf_t tiny;
	mpf_init2(tiny, 64);
	mpf_set_ui(tiny, 1);
	mpf_div_2exp(tiny, tiny, 1076);
	bool zero = ok && mpf_cmp(x.hi, tiny) < 0;
	mpf_clear(tiny);
	if (zero) {
		/* Below half the least subnormal: 0, as rational_get_d
		 * rounds it (and without writing 2^-10^6 out as a
		 * rational). */
		encl_clear(&x);
		return 0;
	}
	if (ok) {
		/* Rounding is monotone: equal at both ends, equal inside. */
		mpq_t lo, hi;
		mpq_inits(lo, hi, NULL);
		mpq_set_f(lo, x.lo);
		mpq_set_f(hi, x.hi);
		d = rational_get_d(lo);
		double dh = rational_get_d(hi);
		mpq_clears(lo, hi, NULL);
		if (d == dh) {
			encl_clear(&x);
			return d;
		}
	}
	encl_clear(&x);
	mpq_t q;
	mpq_init(q);
	bigq_get_q(v, q);
	d = rational_get_d(q);
	mpq_clear(q);
	return d;
}

/* mpf_get_str of 'x' set into an mpf of precision 'prec'. */
static char *
str_of(mpq_srcptr x, size_t ndigits, mp_bitcnt_t prec, mp_exp_t *exp)
{
	mpf_t f;

	mpf_init2(f, prec);
	mpf_set_q(f, x);
	char *s = mpf_get_str(NULL, exp, 10, ndigits, f);
	mpf_clear(f);
	return s;
}

char *
bigq_get_str(const struct bigq *v, mpq_srcptr r, size_t ndigits,
    mp_bitcnt_t prec, mp_exp_t *exp)
{
	struct encl x;
	char *s = NULL;

	encl_init(&x);
	if (enclose(v, r, &x) && x.sign != 0) {
		/* mpf_set_q truncates and mpf_get_str rounds, both
		 * monotone: the same text at both ends is the text of
		 * everything between. */
		mpq_t lo, hi;
		mp_exp_t elo, ehi;
		mpq_inits(lo, hi, NULL);
		mpq_set_f(lo, x.lo);
		mpq_set_f(hi, x.hi);
		s = str_of(lo, ndigits, prec, &elo);
		char *sh = str_of(hi, ndigits, prec, &ehi);
		if (elo != ehi || strcmp(s, sh) != 0) {
			free(s);
			s = NULL;
		}
		*exp = elo;
		free(sh);
		mpq_clears(lo, hi, NULL);
	}
	encl_clear(&x);
	if (s)
		return s;
	mpq_t q;
	mpq_init(q);
	bigq_get_q(v, q);
	if (r)
		mpq_sub(q, q, r);
	mpq_abs(q, q);
	s = str_of(q, ndigits, prec, exp);
	mpq_clear(q);
	return s;
}

/*
 * A short value p/q (|p|, q < 10^digits) in an enclosure [lo, hi]
 * narrower than 1/(2 q^2) is a convergent of lo (Legendre), and the only
 * short rational there; the convergents are tried in turn, each one
 * inside the enclosure compared exactly.
 */
bool
bigq_short(const struct bigq *v, size_t digits, mpq_ptr out)
{
	struct encl x;
	bool found = false;

	encl_init(&x);
	if (!enclose(v, NULL, &x)) {
		encl_clear(&x);
		mpq_t q;
		mpq_init(q);
		bigq_get_q(v, q);
		found = mpz_sizeinbase(mpq_numref(q), 10) <= digits &&
		    mpz_sizeinbase(mpq_denref(q), 10) <= digits;
		if (found)
			mpq_set(out, q);
		mpq_clear(q);
		return found;
	}
	if (x.sign == 0) {
		encl_clear(&x);
		mpq_set_ui(out, 0, 1);
		return true;
	}
	mpq_t lo, hi, y, c;
	mpz_t h0, h1, k0, k1, a, t, limit;
	mpq_inits(lo, hi, y, c, NULL);
	mpz_inits(h0, h1, k0, k1, a, t, limit, NULL);
	mpq_set_f(lo, x.lo);
	mpq_set_f(hi, x.hi);
	encl_clear(&x);
	mpz_ui_pow_ui(limit, 10, digits + 1);
	/* h/k: the convergents, h1/k1 the last, h0/k0 the one before. */
	mpz_set_ui(h0, 0);
	mpz_set_ui(k0, 1);
	mpz_set_ui(h1, 1);
	mpz_set_ui(k1, 0);
	mpq_set(y, lo);
	for (;;) {
		mpz_fdiv_q(a, mpq_numref(y), mpq_denref(y));
		mpz_mul(t, a, h1);
		mpz_add(t, t, h0);
		mpz_swap(h0, h1);
		mpz_swap(h1, t);
		mpz_mul(t, a, k1);
		mpz_add(t, t, k0);
		mpz_swap(k0, k1);
		mpz_swap(k1, t);
		if (mpz_cmp(k1, limit) > 0 || mpz_cmpabs(h1, limit) > 0)
			break;
		mpz_set(mpq_numref(c), h1);
		mpz_set(mpq_denref(c), k1);
		if (mpq_cmp(c, lo) >= 0 && mpq_cmp(c, hi) <= 0 &&
		    mpz_sizeinbase(h1, 10) <= digits &&
		    mpz_sizeinbase(k1, 10) <= digits &&
		    bigq_cmp_q(v, c) == 0) {
			mpq_set(out, c);
			found = true;
			break;
		}
		/* y = 1 / (y - a); done when y was an integer. */
		mpz_mul(t, a, mpq_denref(y));
		mpz_sub(mpq_numref(y), mpq_numref(y), t);
		if (mpz_sgn(mpq_numref(y)) == 0)
			break;
		mpq_inv(y, y);
	}
	mpq_clears(lo, hi, y, c, NULL);
	mpz_clears(h0, h1, k0, k1, a, t, limit, NULL);
	return found;
}

/* mpz_get_d_2exp of prod_{sign e_k > 0} b_k^|e_k|, from an enclosure. */
static double
side_d_2exp(const struct bigq_base *bs, const int64_t *e, int sign,
    long *exp)
{
	int64_t *f = xcalloc(bs->n + 1, sizeof *f);
	double u = 8, d;

	for (uint32_t k = 0; k < bs->n; k++)
		if (sign > 0 ? e[k] > 0 : e[k] < 0) {
			f[k] = e[k] < 0 ? -e[k] : e[k];
			u += 3 * (double)f[k] + 8;
		}
	long s = (long)ceil(log2(u)) + 4;
	if (s < PREC - 128) {
		mpf_t x, lo, hi;
		long elo, ehi;
		mpf_init2(x, PREC);
		mpf_init2(lo, PREC);
		mpf_init2(hi, PREC);
		power_f(bs, f, x);
		spread(lo, hi, x, s);
		/* Both truncate to 53 bits: monotone. */
		d = mpf_get_d_2exp(&elo, lo);
		double dh = mpf_get_d_2exp(&ehi, hi);
		mpf_clear(x);
		mpf_clear(lo);
		mpf_clear(hi);
		if (d == dh && elo == ehi) {
			*exp = elo;
			free(f);
			return d;
		}
	}
	mpz_t z;
	mpz_init(z);
	expand_side(bs, f, 1, z);
	d = mpz_get_d_2exp(exp, z);
	mpz_clear(z);
	free(f);
	return d;
}

double
bigq_base_log(const struct bigq_base *bs, const int64_t *e)
{
	long en, ed;
	double mn = side_d_2exp(bs, e, 1, &en);
	double md = side_d_2exp(bs, e, -1, &ed);

	/* rational_log's own expression, on the same operands. */
	return log(mn / md) + (double)(en - ed) * log(2.0);
}

/* Values of this many cross terms at most are compared term by term. */
#define CROSS_TERMS 256

/* The sign of v - w when their enclosures are apart, else 0 ('apart'). */
static int
apart(const struct bigq *v, const struct bigq *w, bool *sep)
{
	struct encl x, y;
	int sign = 0;

	encl_init(&x);
	encl_init(&y);
	*sep = false;
	if (enclose(v, NULL, &x) && enclose(w, NULL, &y) && x.sign >= 0 &&
	    y.sign >= 0) {
		if (mpf_cmp(x.lo, y.hi) > 0)
			sign = 1;
		else if (mpf_cmp(y.lo, x.hi) > 0)
			sign = -1;
		*sep = sign != 0;
	}
	encl_clear(&x);
	encl_clear(&y);
	return sign;
}

int
bigq_cmp(const struct bigq *v, const struct bigq *w)
{
	size_t n = v->bs->n;
	int64_t *e;
	bool fits, sep;
	struct bigq z;
	mpq_t k, t, one;
	int sign = apart(v, w, &sep);

	if (sep)
		return sign;
	/* Not apart: v - w has the sign of sum_st (a_s c'_t - a'_t c_s)
	 * P_s P'_t, one value over the same base (denominator 1) where
	 * equal values cancel term by term; with many terms, or exponents
	 * out of range, both are written out. */
	e = xcalloc(n + 1, sizeof *e);
	fits = (uint64_t)v->nterm * w->nterm <= CROSS_TERMS;
	bigq_init(&z, v->bs);
	mpq_inits(k, t, one, NULL);
	mpq_set_ui(one, 1, 1);
	for (uint32_t s = 0; s < v->nterm && fits; s++)
		for (uint32_t u = 0; u < w->nterm && fits; u++) {
			mpq_mul(k, v->a[s], w->c[u]);
			mpq_mul(t, w->a[u], v->c[s]);
			mpq_sub(k, k, t);
			for (size_t j = 0; j < n && fits; j++)
				fits = !__builtin_add_overflow(v->e[s * n + j],
				    w->e[u * n + j], &e[j]);
			if (fits)
				bigq_add_term(&z, k, one, e);
		}
	if (fits) {
		sign = bigq_cmp_q(&z, NULL);
	} else {
		mpq_t x, y;
		mpq_inits(x, y, NULL);
		bigq_get_q(v, x);
		bigq_get_q(w, y);
		sign = mpq_cmp(x, y);
		sign = (sign > 0) - (sign < 0);
		mpq_clears(x, y, NULL);
	}
	bigq_free(&z);
	mpq_clears(k, t, one, NULL);
	free(e);
	return sign;
}
