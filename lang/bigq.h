/*
 * bigq.h - exact rationals too long to expand: the likelihood of 10^6
 * counted draws is q^n with millions of digits, and a posterior over such
 * likelihoods a ratio of sums of them.  Both are kept as powers of a
 * coprime base and answered from bounded floating point (GMP's mpf, 1024
 * bits, every error counted), exactly, with the expansion as the fallback
 * when the bounds cannot decide (docs/scale.md, "Counted draws at scale").
 */
#ifndef CHARCHECK_BIGQ_H
#define CHARCHECK_BIGQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

/*
 * Pairwise coprime integers b_k > 1.  Over such a base a positive
 * rational prod_k b_k^e_k has exactly one exponent vector, and its
 * numerator (the b_k with e_k > 0) and denominator are already coprime:
 * equality is a comparison of vectors, canonical form needs no gcd.
 */
struct bigq_base {
	uint32_t n, cap;
	mpz_t *b;		/* n, heap */
};

void bigq_base_init(struct bigq_base *bs);
void bigq_base_free(struct bigq_base *bs);
/* Refines the base so that 'x' (> 0) is a product of its elements. */
void bigq_base_add(struct bigq_base *bs, mpz_srcptr x);
/*
 * e (bs->n entries) += k times the exponents of 'q' (> 0, its numerator
 * and denominator added to the base before).  False when an exponent
 * leaves int64_t (e is then partly updated).
 */
bool bigq_base_exps(const struct bigq_base *bs, mpq_srcptr q,
    unsigned long k, int64_t *e);
/* About the bits of prod b_k^e_k written out: sum |e_k| log2 b_k. */
double bigq_base_bits(const struct bigq_base *bs, const int64_t *e);
/* prod b_k^e_k exactly into 'out' (canonical). */
void bigq_base_expand(const struct bigq_base *bs, const int64_t *e,
    mpq_ptr out);
/* rational_log of prod b_k^e_k, the same double, without expanding it. */
double bigq_base_log(const struct bigq_base *bs, const int64_t *e);

/*
 * The value sum_t a_t P_t / sum_t c_t P_t, P_t = prod_k b_k^e_tk over
 * 'bs', all a_t, c_t >= 0 and some c_t > 0 (bigq_cmp alone builds one
 * with negative a_t, whose sign is all it asks).  A likelihood is the
 * terms (1, 0, e) and (0, 1, 0).  Terms with equal vectors are one term.
 */
struct bigq {
	const struct bigq_base *bs;
	uint32_t nterm, cap;
	mpq_t *a, *c;		/* nterm each, heap */
	int64_t *e;		/* nterm x bs->n, heap */
};

void bigq_init(struct bigq *v, const struct bigq_base *bs);
void bigq_free(struct bigq *v);
/* Adds a_t P_t to the numerator, c_t P_t to the denominator. */
void bigq_add_term(struct bigq *v, mpq_srcptr a, mpq_srcptr c,
    const int64_t *e);
/* The same, 'e' known to be new to v (no search: n terms, not n^2). */
void bigq_push_term(struct bigq *v, mpq_srcptr a, mpq_srcptr c,
    const int64_t *e);
/* The likelihood prod b_k^e_k as a value. */
void bigq_set_power(struct bigq *v, const int64_t *e);
/* Divides every P_t by their common part (the value does not change). */
void bigq_reduce(struct bigq *v);
/* sum_t bits of P_t: what expanding costs. */
double bigq_bits(const struct bigq *v);

/* The exact value (the slow way: every power written out). */
void bigq_get_q(const struct bigq *v, mpq_ptr out);
/* The sign of value - 'r' ('r' NULL: 0), exactly. */
int bigq_cmp_q(const struct bigq *v, mpq_srcptr r);
/* The sign of value(v) - value(w), exactly (one base). */
int bigq_cmp(const struct bigq *v, const struct bigq *w);
/* rational_get_d of the value: the nearest double. */
double bigq_get_d(const struct bigq *v);
/*
 * What mpf_get_str(NULL, exp, 10, 'ndigits', f) returns for f an mpf of
 * precision 'prec' set (mpf_set_q) to |value - r| ('r' NULL: 0).  Heap
 * string, free().
 */
char *bigq_get_str(const struct bigq *v, mpq_srcptr r, size_t ndigits,
    mp_bitcnt_t prec, mp_exp_t *exp);
/*
 * True when the value's canonical numerator and denominator have at most
 * 'digits' (<= 15) decimal digits by mpz_sizeinbase; the value then goes
 * to 'out'.
 */
bool bigq_short(const struct bigq *v, size_t digits, mpq_ptr out);

#endif
