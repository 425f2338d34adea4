/*
 * test_engine.c - unit tests for the situation space and bitsets, the
 * exact weights, evidence and likelihoods, divergence and the posterior:
 * models are built from text through the real front end, then the Result
 * is asserted on directly (no printer involved).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

/* Asserts that rational 'q' equals the fraction text 'want'. */
static void
assert_q(mpq_srcptr q, const char *want)
{
	char *got = mpq_get_str(NULL, 10, q);
	if (strcmp(got, want) != 0)
		fail_msg("expected %s, got %s", want, got);
	free(got);
}

static const struct entity_result *
ent(const struct fixture *f, const char *name)
{
	for (uint32_t i = 0; i < f->m->nentities; i++)
		if (!strcmp(f->m->entities[i].name, name))
			return &f->r.ents[i];
	fail_msg("no entity %s", name);
	return NULL;
}

/* ------------------------------------------------------------------ */

static void
test_bitset_ranges(void **state)
{
	uint64_t b[4] = { 0 };

	(void)state;
	bs_set_range(b, 3, 3);
	assert_false(bs_any(b, 4));
	bs_set_range(b, 60, 130);
	assert_int_equal(bs_count(b, 4), 70);
	assert_int_equal(bs_next(b, 4, 0), 60);
	assert_int_equal(bs_next(b, 4, 129), 129);
	assert_int_equal(bs_next(b, 4, 130), BS_NONE);
	assert_true(bs_test(b, 64));
	assert_false(bs_test(b, 130));
	bs_set_range(b, 0, 256);
	assert_int_equal(bs_count(b, 4), 256);
	assert_int_equal(bs_next(b, 4, 255), 255);
}

static void
test_bitset_algebra(void **state)
{
	uint64_t a[2] = { 0xF0, 1 }, b[2] = { 0x30, 0 }, c[2];

	(void)state;
	assert_true(bs_subset(b, a, 2));
	assert_false(bs_subset(a, b, 2));
	assert_true(bs_intersects(a, b, 2));
	bs_andnot(c, a, b, 2);
	assert_int_equal(c[0], 0xC0);
	assert_int_equal(c[1], 1);
	bs_or(c, b, c, 2);
	assert_int_equal(bs_count(c, 2), 5);
}

static const char three_features[] =
	"feature a { x, y, z }\n"
	"feature b { p, q }\n"
	"feature c { u, v, w, t }\n"
	"visible a, c\n"
	"action go, stop\n"
	"intended { otherwise -> go }\n"
	"character k { otherwise -> go }\n"
	"training { situations a == x }\n"
	"deployment { situations true }\n";

/* Canonical order: first feature most significant; classes skip b. */
static void
test_space_order_and_classes(void **state)
{
	struct fixture *f = check_text(three_features);

	(void)state;
	assert_true(f->ok);
	assert_int_equal(f->sp.nsit, 24);
	assert_int_equal(f->sp.ncls, 12);
	assert_int_equal(f->sp.ntrain, 8);
	/* s = a*8 + b*4 + c */
	assert_int_equal(space_digit(&f->sp, 13, 0), 1);
	assert_int_equal(space_digit(&f->sp, 13, 1), 1);
	assert_int_equal(space_digit(&f->sp, 13, 2), 1);
	/* class = a*4 + c: situation 13 (y, q, v) is class 5 */
	assert_int_equal(space_class(&f->sp, 13), 5);
	for (uint64_t s = 0; s < 24; s++)
		assert_int_equal(space_class(&f->sp, s),
		    space_digit(&f->sp, s, 0) * 4 + space_digit(&f->sp, s, 2));
	struct arena a = { 0 };
	assert_string_equal(space_sit_text(&f->sp, &a, 13),
	    "{a=y, b=q, c=v}");
	assert_string_equal(space_cls_text(&f->sp, &a, 5), "{a=y, c=v}");
	arena_free(&a);
	release(f);
}

/* Every atom compiles to exactly the situations where it holds. */
static void
test_compile_matches_eval(void **state)
{
	static const char *const guards[] = {
		"a == y", "a != y", "a < y", "a <= y", "a > x", "a >= z",
		"b == q", "c in { u, w }", "c > v and not (a == x)",
		"a == z or b == p && c <= v", "!(c == t) || false", "true",
	};
	(void)state;
	for (size_t g = 0; g < sizeof guards / sizeof *guards; g++) {
		char text[1024];
		/* Compiled over situations, as a training set. */
		snprintf(text, sizeof text,
		    "feature a { x, y, z }\nfeature b { p, q }\n"
		    "feature c { u, v, w, t }\naction go\n"
		    "training { situations %s }\n"
		    "deployment { situations true }\n", guards[g]);
		struct fixture *f = check_text(text);
		assert_true(f->ok);
		uint64_t n = 0;
		for (uint64_t s = 0; s < f->sp.nsit; s++) {
			bool in = space_eval(&f->sp, f->m->training.situations,
			    s);
			assert_int_equal(bs_test(f->sp.train, s), in);
			n += in;
		}
		assert_int_equal(f->sp.ntrain, n);
		release(f);
	}
}

/* Tiling path: a last feature of stride 1 over many words. */
static void
test_compile_tiling(void **state)
{
	struct fixture *f = check_text(
	    "feature a { a0, a1, a2, a3, a4, a5, a6, a7, a8, a9 }\n"
	    "feature b { b0, b1, b2, b3, b4, b5, b6 }\n"
	    "feature c { c0, c1, c2 }\n"
	    "action go\n"
	    "training { situations c == c1 or b in { b2, b5 } }\n"
	    "deployment { situations true }\n");

	(void)state;
	assert_true(f->ok);
	for (uint64_t s = 0; s < f->sp.nsit; s++) {
		uint32_t b = space_digit(&f->sp, s, 1);
		uint32_t c = space_digit(&f->sp, s, 2);
		assert_int_equal(bs_test(f->sp.train, s),
		    c == 1 || b == 2 || b == 5);
	}
	release(f);
}

static const char stochastic[] =
	"feature user  { novice, expert }\n"
	"feature topic { chem, code }\n"
	"action answer, refuse, hedge\n"
	"intended {\n"
	"  topic == chem and user == novice -> refuse | hedge\n"
	"  otherwise -> answer\n"
	"}\n"
	"character careful prior 1 {\n"
	"  topic == chem and user == novice -> refuse\n"
	"  otherwise -> answer\n"
	"}\n"
	"character coin prior 1 {\n"
	"  topic == chem -> { refuse: 1/2, answer: 1/2 }\n"
	"  otherwise     -> answer\n"
	"}\n"
	"character hedger prior 2 {\n"
	"  topic == chem -> { hedge: 0.8, answer: 0.2 }\n"
	"  otherwise     -> answer\n"
	"}\n"
	"training {\n"
	"  situations true\n"
	"  weight user == expert : 3\n"
	"  observe topic == chem : refuse 3, answer 1\n"
	"  observe topic == code : answer\n"
	"}\n"
	"deployment { situations true }\n";

/* Multinomial likelihoods (SPEC 4.5), exactly, and the posterior. */
static void
test_count_likelihoods(void **state)
{
	struct fixture *f = check_text(stochastic);

	(void)state;
	assert_true(f->ok);
	assert_q(ent(f, "careful")->likelihood, "3/256");
	assert_q(ent(f, "coin")->likelihood, "1/16");
	assert_true(ent(f, "coin")->consistent);
	assert_false(ent(f, "hedger")->consistent);
	assert_int_equal(ent(f, "hedger")->refuted_by, 0);
	/* First matching situation {novice, chem}; first positive action. */
	assert_int_equal(ent(f, "hedger")->refutation.sit, 0);
	assert_int_equal(ent(f, "hedger")->refutation.action, 0);
	assert_float_equal(ent(f, "careful")->log_likelihood,
	    -4.446565155811453, 1e-12);
	assert_q(ent(f, "coin")->divergence, "1/4");
	assert_q(ent(f, "careful")->divergence, "0");
	assert_q(f->r.diverge.lo, "16/19");
	assert_q(f->r.diverge.hi, "16/19");
	assert_q(f->r.expected.lo, "4/19");
	release(f);
}

/* Huge weights take the GMP path and give the same exact numbers. */
static void
test_big_weights(void **state)
{
	char text[4096];

	(void)state;
	snprintf(text, sizeof text, "%s",
	    "feature user  { novice, expert }\n"
	    "feature topic { chem, code }\n"
	    "action answer, refuse\n"
	    "intended { otherwise -> answer }\n"
	    "character coin { topic == chem -> { refuse: 1/3, answer: 2/3 }"
	    "  otherwise -> answer }\n"
	    "training {\n  situations true\n"
	    "  weight user == expert : 30000000000000000000000/"
	    "10000000000000000000001\n"
	    "  observe topic == chem : refuse 1, answer 1\n}\n"
	    "deployment { situations true\n"
	    "  weight user == expert : 1e40 }\n");
	struct fixture *f = check_text(text);
	assert_true(f->ok);
	assert_true(f->sp.bad.big);
	assert_q(ent(f, "coin")->likelihood, "2/9");
	/* delta = (1 + 1e40) / (2 + 2e40) * 1/3 = 1/6 */
	assert_q(ent(f, "coin")->divergence, "1/6");
	release(f);
}

/* Frequency bounds hold exactly at the boundary (SPEC 6.2). */
static void
test_frequency_boundary(void **state)
{
	struct fixture *f = check_text(
	    "feature mood { calm, angry }\n"
	    "action reply, escalate\n"
	    "intended { otherwise -> reply }\n"
	    "character timid { mood == angry -> { escalate: 0.8, reply: 0.2 }"
	    " otherwise -> reply }\n"
	    "character jumpy { otherwise -> { escalate: 0.1, reply: 0.9 } }\n"
	    "training { situations true\n"
	    "  weight mood == angry : 1/3\n"
	    "  observe true : escalate at least 0.2\n"
	    "  observe mood == calm : escalate at most 0.05 }\n"
	    "deployment { situations true }\n");

	(void)state;
	assert_true(f->ok);
	assert_true(ent(f, "timid")->consistent);
	assert_false(ent(f, "jumpy")->consistent);
	assert_int_equal(ent(f, "jumpy")->refuted_by, 0);
	release(f);
}

/* Zero-weight training situations still bind 'always' observations. */
static void
test_always_binds_weight_zero(void **state)
{
	struct fixture *f = check_text(
	    "feature phase { train, deploy }\nfeature w { yes, no }\n"
	    "visible w\naction comply, refuse\n"
	    "intended { otherwise -> comply }\n"
	    "character half { w == no -> refuse  otherwise -> comply }\n"
	    "training { situations phase == train\n weight w == no : 0\n"
	    " observe true : comply }\n"
	    "deployment { situations phase == deploy\n weight w == yes : 0 }\n");

	(void)state;
	assert_true(f->ok);
	const struct entity_result *h = ent(f, "half");
	assert_false(h->consistent);
	assert_int_equal(h->refutation.sit, 1);	/* {train, no} */
	assert_int_equal(h->witness.sit, 3);	/* {deploy, no} */
	assert_q(h->divergence, "1");
	release(f);
}

/* All-zero priors: the posterior is undefined, not NaN. */
static void
test_undefined_posterior(void **state)
{
	struct fixture *f = check_text(
	    "feature x { a, b }\naction go, stop\n"
	    "intended { otherwise -> go }\n"
	    "character k prior 0 { otherwise -> stop }\n"
	    "training { situations true }\ndeployment { situations true }\n"
	    "check P(diverge) <= 1\n");

	(void)state;
	assert_true(f->ok);
	assert_false(f->r.diverge.defined);
	assert_false(f->r.checks[0].holds);
	assert_int_equal(f->r.status, 1);
	release(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bitset_ranges),
		cmocka_unit_test(test_bitset_algebra),
		cmocka_unit_test(test_space_order_and_classes),
		cmocka_unit_test(test_compile_matches_eval),
		cmocka_unit_test(test_compile_tiling),
		cmocka_unit_test(test_count_likelihoods),
		cmocka_unit_test(test_big_weights),
		cmocka_unit_test(test_frequency_boundary),
		cmocka_unit_test(test_always_binds_weight_zero),
		cmocka_unit_test(test_undefined_posterior),
	};

	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
