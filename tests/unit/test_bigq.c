/*
 * test_bigq.c - lang/bigq.c against the naive computation: random coprime
 * bases, and random values sum a P / sum c P over random powers, each
 * question (the exact value, its sign against a rational or another
 * value, the nearest double, the leading digits, the short form, the
 * log) asked of both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bigq.h"
#include "model.h"
#include "rng.h"

#define NQ 4		/* rationals per trial */
#define MAXT 4		/* terms per value */

/* A random positive rational sharing small primes with the others. */
static void
random_q(mpq_ptr q)
{
	static const unsigned long small[] = { 1, 2, 3, 5, 6, 7, 10, 12, 25,
	    71, 143, 250, 429, 500, 1000, 999983 };
	unsigned long n = small[rng() % 16] * (1 + rng() % 9);
	unsigned long d = small[rng() % 16] * (1 + rng() % 9);

	mpq_set_ui(q, n, d);
	mpq_canonicalize(q);
}

/* Every element > 1, pairwise coprime. */
static void
assert_coprime(const struct bigq_base *bs)
{
	mpz_t g;

	mpz_init(g);
	for (uint32_t i = 0; i < bs->n; i++) {
		assert_true(mpz_cmp_ui(bs->b[i], 1) > 0);
		for (uint32_t j = i + 1; j < bs->n; j++) {
			mpz_gcd(g, bs->b[i], bs->b[j]);
			assert_int_equal(mpz_cmp_ui(g, 1), 0);
		}
	}
	mpz_clear(g);
}

/* Each rational's exponents written out are the rational again. */
static void
test_base_random(void **state)
{
	(void)state;
	for (int trial = 0; trial < 300; trial++) {
		struct bigq_base bs;
		mpq_t q[NQ], back;
		rng_state = (uint64_t)trial;
		bigq_base_init(&bs);
		mpq_init(back);
		for (int i = 0; i < NQ; i++) {
			mpq_init(q[i]);
			random_q(q[i]);
			bigq_base_add(&bs, mpq_numref(q[i]));
			bigq_base_add(&bs, mpq_denref(q[i]));
		}
		assert_coprime(&bs);
		for (int i = 0; i < NQ; i++) {
			int64_t *e = calloc(bs.n + 1, sizeof *e);
			assert_true(bigq_base_exps(&bs, q[i], 3, e));
			bigq_base_expand(&bs, e, back);
			mpq_t cube;
			mpq_init(cube);
			mpq_mul(cube, q[i], q[i]);
			mpq_mul(cube, cube, q[i]);
			assert_true(mpq_equal(back, cube));
			mpq_clear(cube);
			free(e);
			mpq_clear(q[i]);
		}
		mpq_clear(back);
		bigq_base_free(&bs);
	}
}

/* What the printers ask, from 'want' (the value written out) and 'v'. */
static void
assert_same(const struct bigq *v, mpq_srcptr want, mpq_srcptr r)
{
	mpq_t got, d;
	mpf_t f;
	mp_exp_t e1, e2;

	mpq_inits(got, d, NULL);
	bigq_get_q(v, got);
	assert_true(mpq_equal(got, want));
	int c = mpq_cmp(want, r);
	assert_int_equal(bigq_cmp_q(v, r), (c > 0) - (c < 0));
	assert_true(bigq_get_d(v) == rational_get_d(want));
	if (c != 0) {
		mpq_sub(d, want, r);
		mpq_abs(d, d);
		mpf_init2(f, 64);
		mpf_set_q(f, d);
		char *s1 = mpf_get_str(NULL, &e1, 10, 3, f);
		char *s2 = bigq_get_str(v, r, 3, 64, &e2);
		assert_string_equal(s1, s2);
		assert_int_equal(e1, e2);
		free(s1);
		free(s2);
		mpf_clear(f);
	}
	bool isshort = mpz_sizeinbase(mpq_numref(want), 10) <= 12 &&
	    mpz_sizeinbase(mpq_denref(want), 10) <= 12;
	assert_int_equal(bigq_short(v, 12, got), isshort);
	if (isshort)
		assert_true(mpq_equal(got, want));
	mpq_clears(got, d, NULL);
}

/*
 * Random values over powers of random rationals, small enough to write
 * out: every answer equals the naive one.  Comparisons are made with the
 * value itself (the enclosure cannot decide: the exact fallback), with
 * 1, and with random rationals.
 */
static void
test_values_random(void **state)
{
	(void)state;
	for (int trial = 0; trial < 400; trial++) {
		struct bigq_base bs;
		struct bigq v;
		mpq_t q[NQ], p, a, c, num, den, want, t, r;
		unsigned long big = trial % 4 == 0 ? 3000 : 40;
		rng_state = 1000 + (uint64_t)trial;
		bigq_base_init(&bs);
		mpq_inits(p, a, c, num, den, want, t, r, NULL);
		for (int i = 0; i < NQ; i++) {
			mpq_init(q[i]);
			random_q(q[i]);
			bigq_base_add(&bs, mpq_numref(q[i]));
			bigq_base_add(&bs, mpq_denref(q[i]));
		}
		bigq_init(&v, &bs);
		uint32_t nt = 1 + (uint32_t)(rng() % MAXT);
		for (uint32_t k = 0; k < nt; k++) {
			int64_t *e = calloc(bs.n + 1, sizeof *e);
			mpq_set_ui(p, 1, 1);
			for (int i = 0; i < NQ; i++) {
				unsigned long n = rng() % big;
				assert_true(bigq_base_exps(&bs, q[i], n, e));
				mpz_pow_ui(mpq_numref(t), mpq_numref(q[i]), n);
				mpz_pow_ui(mpq_denref(t), mpq_denref(q[i]), n);
				mpq_mul(p, p, t);
			}
			mpq_set_ui(a, rng() % 4, 1 + rng() % 3);
			mpq_set_ui(c, 1 + rng() % 4, 1 + rng() % 3);
			mpq_canonicalize(a);
			mpq_canonicalize(c);
			if (rng() % 3 == 0)
				mpq_set(a, c);	/* x = 1, as P(diverge) */
			bigq_add_term(&v, a, c, e);
			mpq_mul(t, a, p);
			mpq_add(num, num, t);
			mpq_mul(t, c, p);
			mpq_add(den, den, t);
			free(e);
		}
		mpq_div(want, num, den);
		if (trial % 2)
			bigq_reduce(&v);
		/* Against itself, and against a value with one term more. */
		assert_int_equal(bigq_cmp(&v, &v), 0);
		{
			struct bigq w;
			int64_t *e = calloc(bs.n + 1, sizeof *e);
			bigq_init(&w, &bs);
			for (uint32_t k = 0; k < v.nterm; k++)
				bigq_add_term(&w, v.a[k], v.c[k],
				    &v.e[(size_t)k * bs.n]);
			unsigned long n = rng() % big;
			assert_true(bigq_base_exps(&bs, q[0], n, e));
			mpz_pow_ui(mpq_numref(p), mpq_numref(q[0]), n);
			mpz_pow_ui(mpq_denref(p), mpq_denref(q[0]), n);
			mpq_set_ui(a, rng() % 3, 1);
			mpq_set_ui(c, rng() % 2, 1);
			bigq_add_term(&w, a, c, e);
			mpq_mul(t, a, p);
			mpq_add(t, t, num);
			mpq_mul(p, c, p);
			mpq_add(p, p, den);
			mpq_div(t, t, p);	/* w written out */
			int cw = mpq_cmp(want, t);
			assert_int_equal(bigq_cmp(&v, &w), (cw > 0) - (cw < 0));
			assert_int_equal(bigq_cmp(&w, &v), (cw < 0) - (cw > 0));
			bigq_free(&w);
			free(e);
		}
		assert_same(&v, want, want);
		mpq_set_ui(r, 1, 1);
		assert_same(&v, want, r);
		mpq_set_ui(r, rng() % 1000, 1 + rng() % 1000);
		mpq_canonicalize(r);
		assert_same(&v, want, r);
		/* The likelihood form and its log. */
		if (v.nterm == 1 || trial % 5 == 0) {
			struct bigq w;
			int64_t *e = calloc(bs.n + 1, sizeof *e);
			mpq_set_ui(p, 1, 1);
			for (int i = 0; i < NQ; i++) {
				unsigned long n = rng() % (big * 10);
				assert_true(bigq_base_exps(&bs, q[i], n, e));
				mpz_pow_ui(mpq_numref(t), mpq_numref(q[i]), n);
				mpz_pow_ui(mpq_denref(t), mpq_denref(q[i]), n);
				mpq_mul(p, p, t);
			}
			bigq_init(&w, &bs);
			bigq_set_power(&w, e);
			assert_same(&w, p, r);
			assert_true(bigq_base_log(&bs, e) == rational_log(p));
			bigq_free(&w);
			free(e);
		}
		bigq_free(&v);
		for (int i = 0; i < NQ; i++)
			mpq_clear(q[i]);
		mpq_clears(p, a, c, num, den, want, t, r, NULL);
		bigq_base_free(&bs);
	}
}

/* Exponents past int64_t are refused, not wrapped. */
static void
test_overflow(void **state)
{
	struct bigq_base bs;
	mpq_t q;
	int64_t e[2] = { 0, 0 };

	(void)state;
	bigq_base_init(&bs);
	mpq_init(q);
	mpq_set_ui(q, 1, 1024);		/* 2^-10 */
	bigq_base_add(&bs, mpq_denref(q));
	assert_int_equal(bs.n, 1);
	assert_true(bigq_base_exps(&bs, q, (unsigned long)1 << 40, e));
	assert_false(bigq_base_exps(&bs, q, (unsigned long)INT64_MAX, e));
	assert_false(bigq_base_exps(&bs, q, (unsigned long)1 << 63, e));
	mpq_clear(q);
	bigq_base_free(&bs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_random),
		cmocka_unit_test(test_values_random),
		cmocka_unit_test(test_overflow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
