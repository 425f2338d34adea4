/*
 * test_commands.c - the engines of explain, compare and sweep asserted on
 * their result structs, with no printer in between: the numbers the
 * reports show, the lookups' errors (through diag, exit 2), and that a
 * sweep leaves the model's data factors as declared.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"
#include "report.h"
#include "pipeline.h"
#include "explain.h"
#include "sweep.h"

static void
load(struct run *run, const char *path)
{
	struct space_opts so = { .max_situations = (uint64_t)1 << 24 };
	struct check_opts co = { 0 };

	mpq_init(co.tolerance);
	run_file(run, path, RUN_CHECK, &so, &co);
	mpq_clear(co.tolerance);
	assert_true(run->have_result);
}

static void
assert_q(mpq_srcptr q, long num, unsigned long den)
{
	mpq_t want;

	mpq_init(want);
	mpq_set_si(want, num, den);
	mpq_canonicalize(want);
	if (!mpq_equal(q, want))
		fail_msg("expected %ld/%lu, got %s", num, den,
		    mpq_get_str(NULL, 10, q));
	mpq_clear(want);
}

/* The seed's sweep from 0 to 2: exact factors and posteriors, and the
 * declared factor range [1, 10] untouched. */
static void
test_sweep_seed(void **state)
{
	struct run run;
	struct sweep_result sr;
	struct diag d;
	struct check_opts co = { 0 };
	mpq_t from, to;

	(void)state;
	load(&run, "models/seed.char");
	diag_init(&d, &run.arena, run.src);
	uint32_t item = sweep_find_item(run.m, "seed", "misalignment_stories",
	    &d);
	assert_int_equal(item, 0);
	mpq_inits(from, to, co.tolerance, NULL);
	mpq_set_ui(to, 2, 1);
	assert_true(sweep_run(&sr, &run.r, item, from, to, 2, &co, &d));
	assert_int_equal(sr.npt, 3);
	assert_string_equal(sr.data, "misalignment_stories");
	for (size_t k = 0; k < 3; k++) {
		assert_q(sr.pt[k].factor, (long)k, 1);
		assert_true(sr.pt[k].p.defined);
	}
	assert_q(sr.pt[1].p.hi, 1, 8);
	assert_q(sr.pt[2].p.lo, 2, 9);
	assert_q(sr.pt[2].e.hi, 1, 5);
	assert_q(run.m->data[item].scale.lo, 1, 1);
	assert_q(run.m->data[item].scale.hi, 10, 1);
	assert_int_equal(d.nerrors, 0);
	sweep_result_free(&sr);
	mpq_clears(from, to, co.tolerance, NULL);
	diag_fini(&d);
	run_free(&run);
}

/* An unknown data item: NONE and one error of status 2 naming the
 * closest item. */
static void
test_sweep_unknown_item(void **state)
{
	struct run run;
	struct diag d;

	(void)state;
	load(&run, "models/seed.char");
	diag_init(&d, &run.arena, NULL);
	assert_int_equal(sweep_find_item(run.m, "seed", "misalignment_story",
	    &d), NONE);
	assert_int_equal(d.nerrors, 1);
	assert_int_equal(d.status, 2);
	assert_string_equal(d.v[0].msg, "seed has no data item "
	    "'misalignment_story' (it has 'misalignment_stories'); did you "
	    "mean 'misalignment_stories'?");
	diag_fini(&d);
	run_free(&run);
}

/* framings_apart: two characters, three optimizers; only the schemer
 * diverges, so only the optimizers produce diverging behaviours. */
static void
test_compare_framings_apart(void **state)
{
	struct run run;
	struct compare_result cr;
	struct diag d;
	struct check_opts co = { 0 };

	(void)state;
	load(&run, "models/framings_apart.char");
	diag_init(&d, &run.arena, run.src);
	mpq_init(co.tolerance);
	assert_true(compare_run(&cr, &run.r, &co, &d));
	assert_int_equal(cr.side[CMP_CHARACTERS].n, 2);
	assert_int_equal(cr.side[CMP_OPTIMIZERS].n, 3);
	assert_q(cr.side[CMP_CHARACTERS].p.hi, 0, 1);
	assert_q(cr.side[CMP_OPTIMIZERS].p.lo, 1, 2);
	assert_q(cr.side[CMP_OPTIMIZERS].p.hi, 10, 11);
	assert_true(cr.myopic.defined);
	assert_true(cr.farsighted.defined);
	assert_int_equal(bs_next(cr.side[CMP_CHARACTERS].beh, cr.bw, 0),
	    BS_NONE);
	assert_int_not_equal(bs_next(cr.side[CMP_OPTIMIZERS].beh, cr.bw, 0),
	    BS_NONE);
	compare_result_free(&cr);
	mpq_clear(co.tolerance);
	diag_fini(&d);
	run_free(&run);
}

/* The seed's sycophant: refuted by the observation on line 70, at the
 * training situation shown as "refutes", with a witness and a divergence
 * at deployment. */
static void
test_explain_sycophant(void **state)
{
	struct run run;
	struct explain_result xr;
	struct diag d;
	int seen[4] = { 0 };

	(void)state;
	load(&run, "models/seed.char");
	diag_init(&d, &run.arena, NULL);
	uint32_t ent = explain_find(run.m, "seed", "sycophant", &d);
	assert_int_not_equal(ent, NONE);
	explain_run(&xr, &run.r, ent, false);
	assert_int_equal(run.m->training.nobs, 2);
	assert_false(xr.obs[0].holds);
	assert_int_equal(xr.obs[0].o->line, 70);
	assert_q(xr.obs[0].factor, 0, 1);
	assert_true(xr.obs[1].holds);
	assert_int_equal(xr.ncls, 3);
	for (uint64_t c = 0; c < xr.ncls; c++) {
		assert_int_not_equal(xr.cls[c].rule, NONE);
		for (uint32_t i = 0; i < xr.cls[c].nsits; i++)
			seen[xr.cls[c].sits[i].status]++;
	}
	assert_int_equal(seen[EX_REFUTES], 1);
	assert_int_equal(seen[EX_WITNESS], 1);
	assert_int_equal(seen[EX_DIVERGES], 1);
	explain_result_free(&xr);
	assert_int_equal(explain_find(run.m, "seed", "sycophnt", &d), NONE);
	assert_int_equal(d.status, 2);
	assert_non_null(strstr(d.v[0].msg, "did you mean 'sycophant'?"));
	diag_fini(&d);
	run_free(&run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_seed),
		cmocka_unit_test(test_sweep_unknown_item),
		cmocka_unit_test(test_compare_framings_apart),
		cmocka_unit_test(test_explain_sycophant),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
