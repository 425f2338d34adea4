/*
 * test_corners_lp.c - the GLPK wrapper (checker/lp.c) on small programs
 * with known answers: unbounded and infeasible LPs, inconsistent bounds
 * (a GLPK return code), free and fixed columns in the final basis, 0/1
 * MIPs (optimal and integer-infeasible), the time limit, --exact, and
 * the status names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <cmocka.h>

#include "dl.h"
#include "lp.h"

/* max x, x >= 0, no rows: unbounded. */
static void
test_unbounded(void **state)
{
	(void)state;
	double obj[] = { 1 }, lo[] = { 0 }, hi[] = { HUGE_VAL };
	struct lp_model m = { .ncols = 1, .maximize = true, .obj = obj,
	    .col_lo = lo, .col_hi = hi };
	struct lp_opts o = { 0 };
	struct lp_result r = { 0 };

	assert_int_equal(lp_solve(&m, &o, &r), LP_UNBOUNDED);
	assert_string_equal(r.msg, "unbounded");
}

/* x + y <= 1 and x + y >= 2 with x, y in [0, 5]: infeasible. */
static void
test_infeasible(void **state)
{
	(void)state;
	double obj[] = { 1, 1 }, lo[] = { 0, 0 }, hi[] = { 5, 5 };
	double rlo[] = { -HUGE_VAL, 2 }, rhi[] = { 1, HUGE_VAL };
	int ri[] = { 0, 0, 1, 1 }, ci[] = { 0, 1, 0, 1 };
	double v[] = { 1, 1, 1, 1 };
	struct lp_model m = { .nrows = 2, .ncols = 2, .obj = obj,
	    .col_lo = lo, .col_hi = hi, .row_lo = rlo, .row_hi = rhi,
	    .nnz = 4, .ri = ri, .ci = ci, .v = v };
	struct lp_opts o = { 0 };
	struct lp_result r = { 0 };

	assert_int_equal(lp_solve(&m, &o, &r), LP_INFEASIBLE);
	assert_string_equal(r.msg, "infeasible");
}

/* A column whose lower bound is above its upper one: GLPK's GLP_EBOUND. */
static void
test_inconsistent_bounds(void **state)
{
	(void)state;
	double obj[] = { 1 }, lo[] = { 2 }, hi[] = { 1 };
	struct lp_model m = { .ncols = 1, .obj = obj, .col_lo = lo,
	    .col_hi = hi };
	struct lp_opts o = { 0 };
	struct lp_result r = { 0 };

	assert_int_equal(lp_solve(&m, &o, &r), LP_EFAIL);
	assert_string_equal(r.msg, "inconsistent bounds");
}

/*
 * min x0 - x1 over x0 in [1, 4], x1 fixed at 3, x2 free (in no row, cost
 * 0), row x0 + x1 >= 2 with a time limit and --exact: optimum -2 at
 * x0 = 1; x0 at its lower bound, x1 fixed, x2 nonbasic free, the row
 * (x0 + x1 = 4 > 2) basic.
 */
static void
test_basis_and_exact(void **state)
{
	(void)state;
	double obj[] = { 1, -1, 0 }, lo[] = { 1, 3, -HUGE_VAL };
	double hi[] = { 4, 3, HUGE_VAL }, rlo[] = { 2 }, rhi[] = { HUGE_VAL };
	int ri[] = { 0, 0 }, ci[] = { 0, 1 };
	double v[] = { 1, 1 }, x[3];
	int cs[3], rs[1];
	struct lp_model m = { .nrows = 1, .ncols = 3, .obj = obj,
	    .col_lo = lo, .col_hi = hi, .row_lo = rlo, .row_hi = rhi,
	    .nnz = 2, .ri = ri, .ci = ci, .v = v };
	struct lp_opts o = { .exact = true, .time_limit = 30 };
	struct lp_result r = { .x = x, .col_stat = cs, .row_stat = rs };

	assert_int_equal(lp_solve(&m, &o, &r), LP_OPTIMAL);
	assert_true(r.obj == -2);
	assert_true(r.verified);
	assert_true(x[0] == 1 && x[1] == 3 && x[2] == 0);
	assert_int_equal(cs[0], LP_AT_LO);
	assert_int_equal(cs[1], LP_AT_FIXED);
	assert_int_equal(cs[2], LP_AT_FREE);
	assert_int_equal(rs[0], LP_BASIC);
	assert_string_equal(r.msg, "");
}

/* max 2a + 3b + c over binaries with a + b <= 1.5 (at most one of a, b)
 * and b + c <= 1: {a, c} and {b} both give 3, the optimum (the LP
 * relaxation gives more: a = 1/2, b = 1, c = 0 is 4).  Which optimum GLPK
 * returns is its business: the value and integrality are asserted. */
static void
test_mip(void **state)
{
	(void)state;
	double obj[] = { 2, 3, 1 }, lo[] = { 0, 0, 0 }, hi[] = { 1, 1, 1 };
	double rlo[] = { -HUGE_VAL, -HUGE_VAL }, rhi[] = { 1.5, 1 };
	int ri[] = { 0, 0, 1, 1 }, ci[] = { 0, 1, 1, 2 };
	double v[] = { 1, 1, 1, 1 }, x[3];
	bool bin[] = { true, true, true };
	int cs[3] = { -1, -1, -1 };
	struct lp_model m = { .nrows = 2, .ncols = 3, .maximize = true,
	    .obj = obj, .col_lo = lo, .col_hi = hi, .col_binary = bin,
	    .row_lo = rlo, .row_hi = rhi, .nnz = 4, .ri = ri, .ci = ci,
	    .v = v };
	struct lp_opts o = { .time_limit = 30, .exact = true };
	struct lp_result r = { .x = x, .col_stat = cs };

	assert_int_equal(lp_solve(&m, &o, &r), LP_OPTIMAL);
	assert_true(r.obj == 3);
	for (int j = 0; j < 3; j++)
		assert_true(x[j] == 0 || x[j] == 1);
	assert_true(2 * x[0] + 3 * x[1] + x[2] == 3);
	assert_true(x[0] + x[1] <= 1.5 && x[1] + x[2] <= 1);
	assert_false(r.verified);	/* --exact is for LPs only */
	assert_int_equal(cs[0], -1);	/* no basis for a MIP */
}

/* x + y = 1.5 with binary x, y: the LP relaxation is feasible, no 0/1
 * point is. */
static void
test_mip_infeasible(void **state)
{
	(void)state;
	double obj[] = { 1, 1 }, lo[] = { 0, 0 }, hi[] = { 1, 1 };
	double rlo[] = { 1.5 }, rhi[] = { 1.5 };
	int ri[] = { 0, 0 }, ci[] = { 0, 1 };
	double v[] = { 1, 1 };
	bool bin[] = { true, true };
	struct lp_model m = { .nrows = 1, .ncols = 2, .obj = obj,
	    .col_lo = lo, .col_hi = hi, .col_binary = bin, .row_lo = rlo,
	    .row_hi = rhi, .nnz = 2, .ri = ri, .ci = ci, .v = v };
	struct lp_opts o = { 0 };
	struct lp_result r = { 0 };

	assert_int_equal(lp_solve(&m, &o, &r), LP_INFEASIBLE);
}

static void
test_status_names(void **state)
{
	(void)state;
	static const char *const want[] = {
		"optimal", "feasible, not proved optimal", "infeasible",
		"unbounded", "undefined", "limit reached", "solver failure",
		"internal solver error", "exact verification failed",
	};

	for (int s = LP_OPTIMAL; s <= LP_EMISMATCH; s++)
		assert_string_equal(lp_status_name((enum lp_status)s), want[s]);
	assert_string_equal(lp_status_name((enum lp_status)99), "?");
}

/*
 * The loader behind GLPK and libxml2 (dl.c): a library that is not there
 * and a function a library lacks are reported by name; a present one is
 * found.
 */
static void
test_dl_load(void **state)
{
	static const char *const missing[] = { "no_such_function_anywhere" };
	static const char *const cosine[] = { "cos" };
	void *slot = NULL;
	void **const slots[] = { &slot };
	char why[256];

	(void)state;
	assert_false(dl_load("libcharcheck-none.so.0", missing, slots, 1, why,
	    sizeof why));
	assert_non_null(strstr(why, "libcharcheck-none.so.0 cannot be loaded"));
	assert_false(dl_load("libm.so.6", missing, slots, 1, why, sizeof why));
	assert_string_equal(why, "libm.so.6 has no no_such_function_anywhere");
	assert_true(dl_load("libm.so.6", cosine, slots, 1, why, sizeof why));
	assert_non_null(slot);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unbounded),
		cmocka_unit_test(test_infeasible),
		cmocka_unit_test(test_inconsistent_bounds),
		cmocka_unit_test(test_basis_and_exact),
		cmocka_unit_test(test_mip),
		cmocka_unit_test(test_mip_infeasible),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_dl_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
