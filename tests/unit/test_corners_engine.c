/*
 * test_corners_engine.c - engine corners: critical horizons on the general
 * path (many crossing points), conflicting and weight-0 training targets,
 * training weights beyond 64 bits; check_model's progress loop, the
 * deadline, an LP failure and the limit on interval data items; and the
 * 'compare' command's framings (families, undefined posteriors, interval
 * priors, no 'intended').
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corners.h"
#include "fixture.h"
#include "commands.h"
#include "deadline.h"

static uint32_t
entity(const struct fixture *f, const char *name)
{
	for (uint32_t i = 0; i < f->m->nentities; i++)
		if (!strcmp(f->m->entities[i].name, name))
			return i;
	fail_msg("no entity %s", name);
	return 0;
}

static void
assert_q(mpq_srcptr q, const char *want)
{
	mpq_t w;

	mpq_init(w);
	assert_int_equal(mpq_set_str(w, want, 10), 0);
	mpq_canonicalize(w);
	if (!mpq_equal(q, w)) {
		char *got = mpq_get_str(NULL, 10, q);
		fail_msg("got %s, want %s", got, want);
	}
	mpq_clear(w);
}

/* ---- optimizers ------------------------------------------------------ */

/*
 * Visible v {a, b}; T and D uniform over v (1/2 each).  Class a: the
 * 'always' observation makes comply the target; x_k has utility k per
 * unit of T + D mass, so U(x_k) = k, and comply beats x_k when
 * h * T(a) = h / 2 >= k (ties go to comply, declared first): h >= 2k.
 * Class b is covered by a count observation (no target): the general
 * path tries the crossing points 0, 2, 4, ..., 34 (18 of them, more than
 * its first table of 16) and finds the critical horizon 34.
 */
static char *
many_points_model(void)
{
	size_t cap = 4096, off = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	off += (size_t)snprintf(s + off, cap - off,
	    "feature v { a, b }\naction comply");
	for (int k = 1; k <= 17; k++)
		off += (size_t)snprintf(s + off, cap - off, ", x%d", k);
	off += (size_t)snprintf(s + off, cap - off,
	    "\nintended { otherwise -> comply }\n"
	    "character good { otherwise -> comply }\n"
	    "optimizer op {\n  horizon 40\n");
	for (int k = 1; k <= 17; k++)
		off += (size_t)snprintf(s + off, cap - off,
		    "  value x%d = %d when v == a\n", k, k);
	snprintf(s + off, cap - off, "}\n"
	    "training { situations true  observe v == a : comply  "
	    "observe v == b : comply 2 }\n"
	    "deployment { situations true }\n"
	    "check horizon(op) >= 34\n"
	    "check horizon(op) < 34\n");
	return s;
}

static void
test_horizon_many_points(void **state)
{
	(void)state;
	char *text = many_points_model();
	struct fixture *f = check_text(text);

	assert_true(f->ok);
	const struct entity_result *er = &f->r.ents[entity(f, "op")];
	assert_false(er->horizon_inf);
	assert_q(er->critical_horizon, "34");
	assert_true(er->consistent);	/* at its horizon 40 */
	assert_true(f->r.checks[0].holds);
	assert_false(f->r.checks[1].holds);
	assert_int_equal(f->r.checks[1].kind, VAL_NUMBER);
	assert_q(f->r.checks[1].number, "34");
	release(f);
	free(text);
}

/*
 * Hidden h: class a holds (h1, a) observed comply and (h2, a) observed
 * defect: no policy plays both, so no horizon helps (inf), and the
 * 'always' fast path says so before scoring anything.
 */
static void
test_conflicting_targets(void **state)
{
	(void)state;
	struct fixture *f = check_text(
	    "feature h { h1, h2 }\nfeature v { a }\nvisible v\n"
	    "action comply, defect\n"
	    "intended { otherwise -> comply }\n"
	    "optimizer op { horizon 9  value comply = 1 }\n"
	    "character c { otherwise -> comply }\n"
	    "training { situations true  observe h == h1 : comply  "
	    "observe h == h2 : defect }\n"
	    "deployment { situations true }\n"
	    "check horizon(op) > 5\n");

	assert_true(f->ok);
	const struct entity_result *er = &f->r.ents[entity(f, "op")];
	assert_true(er->horizon_inf);
	assert_false(er->consistent);
	assert_false(f->r.ents[entity(f, "c")].consistent);
	assert_true(f->r.checks[0].holds);	/* inf > 5 */
	assert_int_equal(f->r.checks[0].kind, VAL_INF);
	release(f);
}

/*
 * Class b's training situations have weight 0 but are observed (comply):
 * the horizon penalty there is 0 * h, so an optimizer that prefers
 * defect in b (deployment mass 1/2) is refuted at every horizon: inf.
 * Its twin that prefers comply in b is consistent from horizon 0.
 */
static void
test_weight_zero_target(void **state)
{
	(void)state;
	struct fixture *f = check_text(
	    "feature v { a, b }\n"
	    "action comply, defect\n"
	    "intended { otherwise -> comply }\n"
	    "optimizer greedy { horizon 100  value defect = 1 when v == b }\n"
	    "optimizer meek { value defect = 1 when v == b  "
	    "value comply = 2 when v == b }\n"
	    "training { situations true  weight v == b : 0  "
	    "observe true : comply }\n"
	    "deployment { situations true }\n");

	assert_true(f->ok);
	const struct entity_result *g = &f->r.ents[entity(f, "greedy")];
	const struct entity_result *m = &f->r.ents[entity(f, "meek")];
	assert_true(g->horizon_inf);
	assert_false(g->consistent);
	assert_false(m->horizon_inf);
	assert_q(m->critical_horizon, "0");
	assert_true(m->consistent);
	release(f);
}

/*
 * Training weights of 10^30 (past 64 bits) give the same distribution as
 * weights of 1, and so the same critical horizon: class on has T = 1/2,
 * D = 1/2, so defect's utility 1 is beaten when h / 2 >= 1: h* = 2.
 */
static void
test_big_training_weights(void **state)
{
	(void)state;
	static const char fmt[] =
	    "feature v { on, off }\n"
	    "action comply, defect\n"
	    "intended { otherwise -> comply }\n"
	    "optimizer op { horizon 1  value defect = 1 when v == on }\n"
	    "training { situations true  weight true : %s  "
	    "observe v == on : comply  observe v == off : comply 1 }\n"
	    "deployment { situations true }\n";
	char small[600], big[600];

	snprintf(small, sizeof small, fmt, "1");
	snprintf(big, sizeof big, fmt, "1000000000000000000000000000000");
	struct fixture *f = check_text(small), *g = check_text(big);
	assert_true(f->ok && g->ok);
	const struct entity_result *a = &f->r.ents[entity(f, "op")];
	const struct entity_result *b = &g->r.ents[entity(g, "op")];
	assert_false(a->horizon_inf);
	assert_false(b->horizon_inf);
	assert_q(a->critical_horizon, "2");
	assert_q(b->critical_horizon, "2");
	assert_false(a->consistent);	/* horizon 1 < 2 */
	assert_false(b->consistent);
	release(f);
	release(g);
}

/* ---- check_model ----------------------------------------------------- */

static const char interval_model[] =
	"feature f { a, b }\n"
	"action go, stop\n"
	"intended { otherwise -> go }\n"
	"character good prior [1, 2] { otherwise -> go }\n"
	"character bad { f == b -> stop  otherwise -> go }\n"
	"training { situations f == a  observe true : go }\n"
	"deployment { situations true }\n"
	"check P(diverge) <= 1/2\n";

/* What the progress callback saw. */
struct seen {
	uint32_t calls, last, total;
	bool rising;		/* 'done' never went down */
};

static void
count_progress(void *ctx, uint32_t done, uint32_t total)
{
	struct seen *s = ctx;

	s->rising &= done >= s->last;
	s->calls++;
	s->last = done;
	s->total = total;
}

/*
 * With a progress callback, the engine reports each entity it judges and
 * then done == total, prints nothing itself, and the result is the same.
 */
static void
test_progress_same_result(void **state)
{
	(void)state;
	struct seen seen = { .rising = true };
	struct check_opts co = { .progress = count_progress,
	    .progress_ctx = &seen };

	mpq_init(co.tolerance);
	struct fixture *f = check_text_with(interval_model, &co);
	struct fixture *g = check_text(interval_model);
	mpq_clear(co.tolerance);
	assert_true(f->ok && g->ok);
	/* P(diverge) = 1 / (w + 1) over w in [1, 2]: [1/3, 1/2]. */
	assert_q(f->r.diverge.lo, "1/3");
	assert_q(f->r.diverge.hi, "1/2");
	assert_true(mpq_equal(f->r.diverge.lo, g->r.diverge.lo));
	assert_true(mpq_equal(f->r.diverge.hi, g->r.diverge.hi));
	for (uint32_t i = 0; i < f->m->nentities; i++)
		assert_int_equal(f->r.ents[i].consistent,
		    g->r.ents[i].consistent);
	assert_int_equal(f->r.status, 0);
	/* Two entities, each reported, then the end. */
	assert_int_equal(seen.calls, 3);
	assert_true(seen.rising);
	assert_int_equal(seen.last, 2);
	assert_int_equal(seen.total, 2);
	release(f);
	release(g);
}

/* In a child: the deadline passes after the space is built, before
 * judging starts (the fixture's stages by hand, to expire in between). */
static int
expired_progress(void *p)
{
	struct seen seen = { .rising = true };
	struct check_opts co = { .progress = p ? count_progress : NULL,
	    .progress_ctx = &seen };
	struct space_opts so = { .max_situations = (uint64_t)1 << 24 };
	struct fixture *f = test_calloc(1, sizeof *f);
	int st;

	mpq_init(co.tolerance);
	struct source *src = source_from_memory(&f->a, "t.char",
	    interval_model, strlen(interval_model));
	diag_init(&f->d, &f->a, src);
	struct ast_file *ast = parse_source(&f->a, src, &f->d);
	f->m = sema_run(&f->a, ast, &f->d);
	if (f->m && space_build(&f->sp, f->m, &so, &f->d)) {
		deadline_expire();
		f->ok = check_model(&f->r, f->m, &f->sp, &co, &f->d);
	}
	mpq_clear(co.tolerance);
	diag_print(&f->d, stdout, false);
	st = f->ok ? 0 : f->d.status;
	release(f);
	return st;
}

/* In a child: the deadline has passed before the space is built, which
 * stops at its first polling stage (issue 17). */
static int
expired_space(void *p)
{
	struct fixture *f;
	int st;

	(void)p;
	deadline_expire();
	f = check_text(interval_model);
	diag_print(&f->d, stdout, false);
	st = f->ok ? 0 : f->d.status;
	release(f);
	return st;
}

static void
test_deadline_in_loops(void **state)
{
	(void)state;
	static const char want[] = "t.char: error: the time limit (--timeout) "
	    "was reached while judging the entities; raise it or simplify "
	    "the model\n";

	struct cap c = cover_run(expired_progress, (void *)1);
	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, want);
	assert_string_equal(c.err, "");
	cap_free(&c);
	c = cover_run(expired_progress, NULL);
	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, want);
	cap_free(&c);
	c = cover_run(expired_space, NULL);
	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, "t.char: error: the time limit (--timeout) "
	    "was reached while weighing the situations; raise it or simplify "
	    "the model\n");
	cap_free(&c);
}

/* GLPK failing inside the posterior's LP: a status-3 file error. */
static void
test_lp_failure(void **state)
{
	(void)state;
	struct check_opts co = { .lp = { .induce_fault = true } };

	mpq_init(co.tolerance);
	/* A constraint links the weights, so the bounds need GLPK (a box
	 * alone is solved without it). */
	char text[512];
	snprintf(text, sizeof text, "%sconstraint prior(good) >= 0.1\n",
	    interval_model);
	struct fixture *f = check_text_with(text, &co);
	mpq_clear(co.tolerance);
	assert_false(f->ok);
	assert_int_equal(f->d.status, 3);
	assert_int_equal(f->d.nerrors, 1);
	assert_false(f->d.v[0].has_loc);
	assert_contains(f->d.v[0].msg, "the LP solver reports internal "
	    "solver error (GLPK internal error");
	release(f);
}

/* 17 data items with interval factors: one more than the LP box allows. */
static void
test_too_many_interval_data(void **state)
{
	(void)state;
	size_t cap = 4096, off = 0;
	char *s = malloc(cap);

	assert_non_null(s);
	off += (size_t)snprintf(s + off, cap - off,
	    "feature f { a, b }\naction go, stop\n"
	    "intended { otherwise -> go }\n"
	    "character c trait t1");
	for (int k = 2; k <= 17; k++)
		off += (size_t)snprintf(s + off, cap - off, ", t%d", k);
	off += (size_t)snprintf(s + off, cap - off, " { otherwise -> go }\n"
	    "training { situations true }\ndeployment { situations true }\n"
	    "data point scales t1 by 2\n");
	for (int k = 1; k <= 17; k++)
		off += (size_t)snprintf(s + off, cap - off,
		    "data d%d scales t%d by [1, 2]\n", k, k);
	struct fixture *f = check_text(s);
	assert_false(f->ok);
	assert_int_equal(f->d.status, 3);
	assert_int_equal(f->d.nerrors, 1);
	assert_string_equal(f->d.v[0].msg, "more than 16 data items with an "
	    "interval factor: the checker solves one LP pair per vertex of "
	    "their box (2^16), the limit");
	uint32_t line, col;
	source_linecol(f->d.src, f->d.v[0].loc.off, &line, &col);
	assert_int_equal(line, 24);	/* data d17 */
	assert_int_equal(col, 6);	/* its name */
	release(f);
	free(s);
}

/* ---- compare ------------------------------------------------------------ */

struct compare_arg {
	const char *path;
	bool all;
};

static int
run_compare(void *p)
{
	const struct compare_arg *a = p;
	struct cli c = { .format = FMT_TEXT, .color = 0, .all = a->all,
	    .space = { .max_situations = (uint64_t)1 << 24 } };
	int st;

	mpq_init(c.check.tolerance);
	st = cmd_compare(&c, a->path);
	mpq_clear(c.check.tolerance);
	fflush(stdout);
	return st;
}

static struct cap
compare(const char *name, const char *text, bool all, char **path)
{
	struct compare_arg a = { .all = all };

	*path = cover_file(name, text);
	a.path = *path;
	return cover_run(run_compare, &a);
}

/*
 * tests/golden/family_counts.char's family 'any' and character 'honest'
 * (consistent, sum w L = 1/9 + 1 = 10/9; P(diverge) = (1/9)(77/81) /
 * (10/9) = 77/810, E(divergence) = (1/9)(1/3) / (10/9) = 1/30), and an
 * optimizer preferring stall: in each trained class (T 1/2, D 1/6) stall
 * scores 2/3 - h/2 against answer's 0, so h* = 4/3; at horizon 0 it
 * stalls in training and is refuted.
 */
static const char families[] =
	"feature phase { train, deploy }\n"
	"feature lang { en, fr, de }\n"
	"feature tone { calm, rude }\n"
	"visible lang, tone\n"
	"action answer, refuse, stall\n"
	"intended { tone == rude -> refuse | stall  otherwise -> answer }\n"
	"family any over tone, lang\n"
	"character honest { tone == rude -> refuse  otherwise -> answer }\n"
	"optimizer op { value stall = 1 }\n"
	"training {\n"
	"  situations phase == train and lang == en\n"
	"  observe tone == calm : answer\n"
	"  observe tone == rude : refuse\n"
	"}\n"
	"deployment { situations phase == deploy }\n";

static void
test_compare_families(void **state)
{
	(void)state;
	char *path;
	struct cap c = compare("fam.char", families, false, &path);
	char head[300];

	snprintf(head, sizeof head, "%s: character framing vs "
	    "inner-optimizer framing\n", path);
	assert_int_equal(c.status, 0);
	assert_string_equal(c.err, "");
	assert_true(strncmp(c.out, head, strlen(head)) == 0);
	assert_contains(c.out,
	    "  Character framing (characters and families)\n"
	    "    entities      any, honest\n"
	    "    consistent    any, honest\n"
	    "    diverging     any\n"
	    "    P(diverge)    0.0950617 (= 77/810)\n"
	    "    E(divergence) 0.0333333 (= 1/30)\n");
	assert_contains(c.out,
	    "  Inner-optimizer framing (optimizers)\n"
	    "    entities      op\n"
	    "    consistent    none\n"
	    "    diverging     none\n"
	    "    P(diverge)    undefined (nothing in this framing explains "
	    "training)\n"
	    "    E(divergence) undefined (nothing in this framing "
	    "explains training)\n");
	/* The family's first diverging member's witness. */
	assert_contains(c.out, "  only by characters:\n"
	    "    {phase=deploy, lang=fr, tone=rude} -> answer\n"
	    "  only by optimizers: none\n");
	/* The critical horizon as the check report prints it. */
	assert_contains(c.out, "      op                      0 "
	    "1.33333 (= 4/3)  -\n");
	cap_free(&c);
	free(path);
}

/*
 * Interval prior and data factor: faker's weight w in [1, 2] x [1, 3];
 * E(divergence) = (27w/16 + 2) / (27w + 16) (tests/golden/
 * optimizer_counts.char's numbers) spans [w = 6: 97/1424, w = 1:
 * 59/688].  Both optimizers are refuted at every horizon (inf).
 */
static const char intervals[] =
	"feature phase { train, deploy }\n"
	"feature tier { free, paid }\n"
	"visible tier\n"
	"action comply, refuse, stall\n"
	"intended { otherwise -> refuse }\n"
	"character faker prior [1, 2] trait t { tier == free -> "
	"{ comply: 1/4, refuse: 3/4 }  otherwise -> refuse }\n"
	"character waverer { tier == free -> { comply: 1/2, refuse: 1/2 }  "
	"otherwise -> refuse }\n"
	"optimizer op_comply { horizon 3  value comply = 1 }\n"
	"optimizer op_refuse { value refuse = 1 }\n"
	"training {\n"
	"  situations phase == train\n"
	"  observe tier == paid : refuse\n"
	"  observe tier == free : comply 1, refuse 3\n"
	"}\n"
	"deployment { situations phase == deploy  weight tier == paid : 3 }\n"
	"data d scales t by [1, 3]\n";

static void
test_compare_intervals(void **state)
{
	(void)state;
	char *path;
	struct cap c = compare("int.char", intervals, false, &path);

	assert_int_equal(c.status, 0);
	assert_contains(c.out, "    P(diverge)    1\n"
	    "    E(divergence) [0.068118 (= 97/1424), 0.0857558 (= 59/688)]\n");
	assert_contains(c.out, "    characters: the prior. Over the prior "
	    "set (");
	assert_contains(c.out, "data factors:\n      d) it is 1;");
	assert_contains(c.out, "      op_comply               3      inf  -\n"
	    "      op_refuse               0      inf  -\n");
	cap_free(&c);
	free(path);
}

static void
test_compare_refusals(void **state)
{
	(void)state;
	char *path, want[300];
	struct cap c = compare("noint.char",
	    "feature f { a, b }\naction go, stop\n"
	    "character c { otherwise -> stop }\n"
	    "training { situations true  observe true : go }\n"
	    "deployment { situations true }\n", false, &path);

	snprintf(want, sizeof want, "charcheck: error: %s has no 'intended' "
	    "block: there is no divergence to compare\n", path);
	assert_int_equal(c.status, 2);
	assert_string_equal(c.out, "");
	assert_string_equal(c.err, want);
	cap_free(&c);
	free(path);

	/* An invalid model: its diagnostics, exit 2, no report. */
	c = compare("bad.char", "feature f { a, a }\n", false, &path);
	assert_int_equal(c.status, 2);
	assert_string_equal(c.out, "");
	assert_contains(c.err, "error: ");
	cap_free(&c);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_horizon_many_points),
		cmocka_unit_test(test_conflicting_targets),
		cmocka_unit_test(test_weight_zero_target),
		cmocka_unit_test(test_big_training_weights),
		cmocka_unit_test(test_progress_same_result),
		cmocka_unit_test(test_deadline_in_loops),
		cmocka_unit_test(test_lp_failure),
		cmocka_unit_test(test_too_many_interval_data),
		cmocka_unit_test(test_compare_families),
		cmocka_unit_test(test_compare_intervals),
		cmocka_unit_test(test_compare_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, cover_teardown);
}
