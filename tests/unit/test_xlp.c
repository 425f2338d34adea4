/*
 * test_xlp.c - the exact simplex (checker/xlp.c) against brute force:
 * random small LPs whose optimum is found by enumerating every basis and
 * every choice of bounds for the nonbasic variables; the simplex, started
 * from the all-slack basis, must end feasible, with the same optimum,
 * exactly.  Also: degenerate vertices (Bland's rule), coefficients far
 * beyond the range of a double, and a singular starting basis.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "xlp.h"

#include "rng.h"

static long
between(long lo, long hi)
{
	return lo + (long)(rng() % (uint64_t)(hi - lo + 1));
}

#define MAXV 8

struct inst {
	uint32_t m, n;
	mpq_t a[MAXV * MAXV], lo[MAXV], hi[MAXV], rlo[MAXV], rhi[MAXV];
	bool has_rlo[MAXV], has_rhi[MAXV];
	mpq_t c[MAXV];
	struct xlp p;
};

static void
inst_init(struct inst *in, uint32_t m, uint32_t n)
{
	memset(in, 0, sizeof *in);
	in->m = m;
	in->n = n;
	for (uint32_t q = 0; q < MAXV * MAXV; q++)
		mpq_init(in->a[q]);
	for (uint32_t q = 0; q < MAXV; q++)
		mpq_inits(in->lo[q], in->hi[q], in->rlo[q], in->rhi[q],
		    in->c[q], NULL);
	in->p = (struct xlp){ .m = m, .n = n, .a = in->a, .lo = in->lo,
	    .hi = in->hi, .rlo = in->rlo, .rhi = in->rhi,
	    .has_rlo = in->has_rlo, .has_rhi = in->has_rhi, .c = in->c };
}

static void
inst_clear(struct inst *in)
{
	for (uint32_t q = 0; q < MAXV * MAXV; q++)
		mpq_clear(in->a[q]);
	for (uint32_t q = 0; q < MAXV; q++)
		mpq_clears(in->lo[q], in->hi[q], in->rlo[q], in->rhi[q],
		    in->c[q], NULL);
}

/* Row activities of the column values x[0..n) into x[n..n+m). */
static void
activities(const struct inst *in, mpq_t *x)
{
	mpq_t t;

	mpq_init(t);
	for (uint32_t r = 0; r < in->m; r++) {
		mpq_set_ui(x[in->n + r], 0, 1);
		for (uint32_t j = 0; j < in->n; j++) {
			mpq_mul(t, in->a[r * in->n + j], x[j]);
			mpq_add(x[in->n + r], x[in->n + r], t);
		}
	}
	mpq_clear(t);
}

static bool
feasible(const struct inst *in, mpq_t *x)
{
	for (uint32_t j = 0; j < in->n; j++)
		if (mpq_cmp(x[j], in->lo[j]) < 0 ||
		    mpq_cmp(x[j], in->hi[j]) > 0)
			return false;
	for (uint32_t r = 0; r < in->m; r++) {
		mpq_srcptr s = x[in->n + r];
		if ((in->has_rlo[r] && mpq_cmp(s, in->rlo[r]) < 0) ||
		    (in->has_rhi[r] && mpq_cmp(s, in->rhi[r]) > 0))
			return false;
	}
	return true;
}

static void
objective(const struct inst *in, mpq_t *x, mpq_t out)
{
	mpq_t t;

	mpq_init(t);
	mpq_set_ui(out, 0, 1);
	for (uint32_t j = 0; j < in->n; j++) {
		mpq_mul(t, in->c[j], x[j]);
		mpq_add(out, out, t);
	}
	mpq_clear(t);
}

/*
 * The optimum by brute force: every vertex has n linearly independent
 * tight bounds among the column bounds and the rows' (finite) bounds, so
 * try every assignment of each column to lo, hi or free and each row to
 * its lo, hi or free with exactly n tight, solve, keep the feasible best.
 */
static bool
brute_max(const struct inst *in, mpq_t best)
{
	uint32_t n = in->n, m = in->m, nv = n + m;
	uint32_t combos = 1;
	bool found = false;
	mpq_t x[2 * MAXV], sys[MAXV * (MAXV + 1)], guess[MAXV], val;

	for (uint32_t v = 0; v < nv; v++)
		combos *= 3;
	for (uint32_t q = 0; q < 2 * MAXV; q++)
		mpq_init(x[q]);
	for (uint32_t q = 0; q < MAXV * (MAXV + 1); q++)
		mpq_init(sys[q]);
	for (uint32_t q = 0; q < MAXV; q++)
		mpq_init(guess[q]);
	mpq_init(val);
	for (uint32_t code = 0; code < combos; code++) {
		uint32_t tight = 0, rows = 0, cc = code;
		int pick[2 * MAXV];
		for (uint32_t v = 0; v < nv; v++, cc /= 3) {
			pick[v] = (int)(cc % 3);	/* 0 free, 1 lo, 2 hi */
			tight += pick[v] != 0;
		}
		if (tight != n)
			continue;
		bool ok = true;
		for (uint32_t v = n; v < nv; v++)
			if ((pick[v] == 1 && !in->has_rlo[v - n]) ||
			    (pick[v] == 2 && !in->has_rhi[v - n]))
				ok = false;
		if (!ok)
			continue;
		/* n equations in the n column values. */
		for (uint32_t v = 0; v < nv; v++) {
			if (!pick[v])
				continue;
			for (uint32_t j = 0; j < n; j++)
				if (v >= n)
					mpq_set(sys[rows * (n + 1) + j],
					    in->a[(v - n) * n + j]);
			if (v < n) {
				for (uint32_t j = 0; j < n; j++)
					mpq_set_ui(sys[rows * (n + 1) + j],
					    j == v, 1);
				mpq_set(sys[rows * (n + 1) + n], pick[v] == 1 ?
				    in->lo[v] : in->hi[v]);
			} else {
				mpq_set(sys[rows * (n + 1) + n], pick[v] == 1 ?
				    in->rlo[v - n] : in->rhi[v - n]);
			}
			rows++;
		}
		if (!xlp_gauss(sys, n, n, guess, x))
			continue;
		activities(in, x);
		if (!feasible(in, x))
			continue;
		objective(in, x, val);
		if (!found || mpq_cmp(val, best) > 0)
			mpq_set(best, val);
		found = true;
	}
	for (uint32_t q = 0; q < 2 * MAXV; q++)
		mpq_clear(x[q]);
	for (uint32_t q = 0; q < MAXV * (MAXV + 1); q++)
		mpq_clear(sys[q]);
	for (uint32_t q = 0; q < MAXV; q++)
		mpq_clear(guess[q]);
	mpq_clear(val);
	return found;
}

/* Polishes from all columns at lo and every row activity basic. */
static enum xlp_outcome
polish_from_lo(struct inst *in, mpq_t *x)
{
	bool basic[2 * MAXV] = { false };

	for (uint32_t j = 0; j < in->n; j++)
		mpq_set(x[j], in->lo[j]);
	activities(in, x);
	for (uint32_t r = 0; r < in->m; r++)
		basic[in->n + r] = true;
	return xlp_polish(&in->p, basic, x, 1000);
}

static void
test_random_against_brute_force(void **state)
{
	(void)state;
	rng_state = 20261205;
	for (int iter = 0; iter < 400; iter++) {
		struct inst in;
		uint32_t n = (uint32_t)between(1, 4),
		    m = (uint32_t)between(1, 3);
		mpq_t x[2 * MAXV], got, want;
		inst_init(&in, m, n);
		for (uint32_t j = 0; j < n; j++) {
			long lo = between(0, 3);
			mpq_set_si(in.lo[j], lo, (unsigned long)between(1, 3));
			mpq_set_si(in.hi[j], lo + between(0, 4), 1);
			if (mpq_cmp(in.hi[j], in.lo[j]) < 0)
				mpq_set(in.hi[j], in.lo[j]);
			mpq_set_si(in.c[j], between(-5, 5),
			    (unsigned long)between(1, 4));
		}
		for (uint32_t r = 0; r < m; r++)
			for (uint32_t j = 0; j < n; j++)
				mpq_set_si(in.a[r * n + j], between(-3, 3),
				    (unsigned long)between(1, 2));
		for (uint32_t q = 0; q < 2 * MAXV; q++)
			mpq_init(x[q]);
		/* Row bounds that hold at the lower corner. */
		for (uint32_t j = 0; j < n; j++)
			mpq_set(x[j], in.lo[j]);
		activities(&in, x);
		for (uint32_t r = 0; r < m; r++) {
			int kind = (int)between(0, 3);
			in.has_rlo[r] = kind != 1;
			in.has_rhi[r] = kind != 0;
			mpq_set(in.rlo[r], x[n + r]);
			mpq_set(in.rhi[r], x[n + r]);
			if (kind == 3)
				in.has_rlo[r] = in.has_rhi[r] = true;
			else if (kind == 2) {
				mpq_set_si(in.rlo[r], -between(0, 3), 1);
				mpq_add(in.rlo[r], in.rlo[r], x[n + r]);
				mpq_set_si(in.rhi[r], between(0, 3), 1);
				mpq_add(in.rhi[r], in.rhi[r], x[n + r]);
			}
		}
		mpq_inits(got, want, NULL);
		assert_int_equal(polish_from_lo(&in, x), XLP_OPTIMAL);
		assert_true(feasible(&in, x));
		objective(&in, x, got);
		assert_true(brute_max(&in, want));
		assert_int_equal(mpq_cmp(got, want), 0);
		mpq_clears(got, want, NULL);
		for (uint32_t q = 0; q < 2 * MAXV; q++)
			mpq_clear(x[q]);
		inst_clear(&in);
	}
}

/*
 * Coefficients 10^400 apart (no double holds both) and a start on a
 * degenerate vertex: max 10^400 x0 + 10^-400 x1 with x0 + x1 <= 1 and
 * x0 - x1 = 0 at x = (0, 0): the optimum is x0 = x1 = 1/2.
 */
static void
test_huge_and_degenerate(void **state)
{
	struct inst in;
	mpq_t x[2 * MAXV], got, want;

	(void)state;
	inst_init(&in, 2, 2);
	for (uint32_t q = 0; q < 2 * MAXV; q++)
		mpq_init(x[q]);
	mpq_inits(got, want, NULL);
	mpz_ui_pow_ui(mpq_numref(in.c[0]), 10, 400);
	mpq_set_ui(in.c[1], 1, 1);
	mpz_ui_pow_ui(mpq_denref(in.c[1]), 10, 400);
	for (uint32_t j = 0; j < 2; j++) {
		mpq_set_ui(in.hi[j], 1, 1);
		mpq_set_ui(in.a[j], 1, 1);		/* row 0: x0 + x1 */
		mpq_set_si(in.a[2 + j], j ? -1 : 1, 1);	/* row 1:
							 * x0 - x1 */
	}
	in.has_rhi[0] = true;
	mpq_set_ui(in.rhi[0], 1, 1);
	in.has_rlo[1] = in.has_rhi[1] = true;
	assert_int_equal(polish_from_lo(&in, x), XLP_OPTIMAL);
	assert_true(feasible(&in, x));
	mpq_set_ui(want, 1, 2);
	assert_int_equal(mpq_cmp(x[0], want), 0);
	assert_int_equal(mpq_cmp(x[1], want), 0);
	objective(&in, x, got);
	assert_true(brute_max(&in, want));
	assert_int_equal(mpq_cmp(got, want), 0);
	mpq_clears(got, want, NULL);
	for (uint32_t q = 0; q < 2 * MAXV; q++)
		mpq_clear(x[q]);
	inst_clear(&in);
}

/* Two basic variables with the same column: not a basis. */
static void
test_singular_basis(void **state)
{
	struct inst in;
	mpq_t x[2 * MAXV];
	bool basic[2 * MAXV] = { false };

	(void)state;
	inst_init(&in, 2, 2);
	for (uint32_t q = 0; q < 2 * MAXV; q++)
		mpq_init(x[q]);
	for (uint32_t j = 0; j < 2; j++) {
		mpq_set_ui(in.hi[j], 1, 1);
		mpq_set_ui(in.c[j], 1, 1);
		mpq_set_ui(in.a[j], 1, 1);
		mpq_set_ui(in.a[2 + j], 1, 1);
	}
	in.has_rhi[0] = in.has_rhi[1] = true;
	mpq_set_ui(in.rhi[0], 1, 1);
	mpq_set_ui(in.rhi[1], 1, 1);
	basic[0] = basic[1] = true;	/* both rows read x0 + x1 */
	assert_int_equal(xlp_polish(&in.p, basic, x, 100), XLP_SINGULAR);
	for (uint32_t q = 0; q < 2 * MAXV; q++)
		mpq_clear(x[q]);
	inst_clear(&in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_against_brute_force),
		cmocka_unit_test(test_huge_and_degenerate),
		cmocka_unit_test(test_singular_basis),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
