/*
 * test_thresholds.c - thresholds.c against brute force: for the issue's
 * examples and for random small models (priors points or intervals,
 * constraints, one or two data items, stochastic policies with counted
 * evidence, every comparison), the set where a check holds must agree
 * with the check's own exact posterior (posterior_range) at a dense grid
 * of factor values and just inside and outside each endpoint; the
 * robustness radius likewise over a grid of r and just around its ends.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "pipeline.h"
#include "posterior.h"
#include "rng.h"
#include "thresholds.h"

/*
 * 'text' through the whole pipeline; false when the model is invalid (a
 * random one may be).
 */
static bool
load(struct run *run, const char *text)
{
	struct space_opts so = { .max_situations = (uint64_t)1 << 20 };
	struct check_opts co = { 0 };

	mpq_init(co.tolerance);
	run_text(run, "t.char", text, strlen(text), RUN_CHECK, &so, &co);
	mpq_clear(co.tolerance);
	return run->have_result;
}

/* The oracle: check 'ci' by its own rule at the given overrides. */
static bool
oracle(const struct run *run, uint32_t ci, const struct range *scale,
    const struct range *prior)
{
	const struct model *m = run->m;
	const struct check *c = &m->checks[ci];
	uint32_t n = m->nentities;
	mpq_t *lik = malloc((n + 1) * sizeof *lik), *x = malloc((n + 1) *
	    sizeof *x);
	struct posterior_in in;
	struct interval iv;
	struct lp_opts o = { 0 };
	struct diag d;
	struct arena a = { 0 };

	for (uint32_t i = 0; i < n; i++) {
		mpq_init(lik[i]);
		mpq_init(x[i]);
		const struct entity_result *er = &run->r.ents[i];
		if (c->kind == CK_P_DIVERGE)
			mpq_set(x[i], er->share);
		else if (c->kind == CK_E_DIVERGENCE)
			mpq_set(x[i], er->divergence);
		else
			mpq_set_ui(x[i], c->members[i], 1);
	}
	posterior_in_init(&in, &run->r, lik);
	in.scale = scale;
	in.prior = prior;
	mpq_inits(iv.lo, iv.hi, NULL);
	diag_init(&d, &a, NULL);
	assert_true(posterior_range(&in, x, NULL, &o, &iv, &d));
	assert_true(!iv.defined || iv.exact);
	int k = iv.defined ? mpq_cmp(c->cmp == CMP_LT || c->cmp == CMP_LE ?
	    iv.hi : iv.lo, c->threshold) : 0;
	bool h = iv.defined && (c->cmp == CMP_LT ? k < 0 : c->cmp == CMP_LE ?
	    k <= 0 : c->cmp == CMP_GT ? k > 0 : k >= 0);
	diag_fini(&d);
	arena_free(&a);
	mpq_clears(iv.lo, iv.hi, NULL);
	for (uint32_t i = 0; i < n; i++) {
		mpq_clear(lik[i]);
		mpq_clear(x[i]);
	}
	free(lik);
	free(x);
	return h;
}

/* Owned copies of the declared scales and priors, to override. */
struct over {
	uint32_t ns, np;
	struct range *scale, *prior;
};

static void
over_init(struct over *v, const struct model *m)
{
	v->ns = m->ndata;
	v->np = m->nentities;
	v->scale = calloc(v->ns + 1, sizeof *v->scale);
	v->prior = calloc(v->np + 1, sizeof *v->prior);
	for (uint32_t k = 0; k < v->ns; k++) {
		v->scale[k] = m->data[k].scale;
		v->scale[k].lo = malloc(sizeof(mpq_t));
		v->scale[k].hi = malloc(sizeof(mpq_t));
		mpq_init(v->scale[k].lo);
		mpq_init(v->scale[k].hi);
		mpq_set(v->scale[k].lo, m->data[k].scale.lo);
		mpq_set(v->scale[k].hi, m->data[k].scale.hi);
	}
	for (uint32_t i = 0; i < v->np; i++) {
		v->prior[i] = m->entities[i].prior;
		v->prior[i].lo = malloc(sizeof(mpq_t));
		v->prior[i].hi = malloc(sizeof(mpq_t));
		mpq_init(v->prior[i].lo);
		mpq_init(v->prior[i].hi);
		mpq_set(v->prior[i].lo, m->entities[i].prior.lo);
		mpq_set(v->prior[i].hi, m->entities[i].prior.hi);
	}
}

static void
over_free(struct over *v)
{
	for (uint32_t k = 0; k < v->ns; k++) {
		mpq_clear(v->scale[k].lo);
		mpq_clear(v->scale[k].hi);
		free(v->scale[k].lo);
		free(v->scale[k].hi);
	}
	for (uint32_t i = 0; i < v->np; i++) {
		mpq_clear(v->prior[i].lo);
		mpq_clear(v->prior[i].hi);
		free(v->prior[i].lo);
		free(v->prior[i].hi);
	}
	free(v->scale);
	free(v->prior);
}

static bool
in_set(const struct threshold_set *t, mpq_srcptr q)
{
	for (uint32_t k = 0; k < t->npieces; k++) {
		const struct threshold_piece *p = &t->piece[k];
		int a = mpq_cmp(q, p->from), b = p->to_inf ? -1 :
		    mpq_cmp(q, p->to);
		if ((a > 0 || (a == 0 && p->from_closed)) &&
		    (b < 0 || (b == 0 && p->to_closed)))
			return true;
	}
	return false;
}

static unsigned nsamples;

/* The check at item = x, by the oracle, against the set. */
static void
sample_x(const struct run *run, uint32_t ci, uint32_t item,
    struct over *v, const struct threshold_set *t, mpq_srcptr x)
{
	if (mpq_sgn(x) < 0)
		return;
	mpq_set(v->scale[item].lo, x);
	mpq_set(v->scale[item].hi, x);
	bool want = oracle(run, ci, v->scale, NULL);
	nsamples++;
	if (want != in_set(t, x))
		fail_msg("line %u, item %u, x = %s: the check %s but the set "
		    "says %s", run->m->checks[ci].line, item,
		    mpq_get_str(NULL, 10, x), want ? "holds" : "fails",
		    want ? "no" : "yes");
}

/* Dense grid and both sides of every endpoint. */
static void
brute_thresholds(const struct run *run, uint32_t ci, uint32_t item)
{
	const struct model *m = run->m;
	struct threshold_set t;
	struct over v;
	struct diag d;
	struct arena a = { 0 };
	struct lp_opts o = { 0 };
	mpq_t x, e, eps;

	threshold_set_init(&t);
	diag_init(&d, &a, NULL);
	assert_true(thresholds_of(&run->r, ci, item, &o, &t, &d));
	over_init(&v, m);
	mpq_inits(x, e, eps, NULL);
	for (unsigned k = 0; k <= 120; k++) {
		mpq_set_ui(x, k, 8);	/* 0 .. 15 by 1/8 */
		mpq_canonicalize(x);
		sample_x(run, ci, item, &v, &t, x);
	}
	for (unsigned k = 16; k <= 200; k += 2) {
		mpq_set_ui(x, k, 1);
		sample_x(run, ci, item, &v, &t, x);
	}
	mpq_set_ui(x, 1000, 1);
	sample_x(run, ci, item, &v, &t, x);
	mpq_set_ui(x, 1, 1000);
	sample_x(run, ci, item, &v, &t, x);
	for (uint32_t p = 0; p < t.npieces; p++) {
		for (int end = 0; end < 2; end++) {
			if (end && t.piece[p].to_inf)
				continue;
			mpq_set(e, end ? t.piece[p].to : t.piece[p].from);
			sample_x(run, ci, item, &v, &t, e);
			mpq_set_ui(eps, 1, 1 << 20);
			mpq_add(x, e, eps);
			sample_x(run, ci, item, &v, &t, x);
			mpq_sub(x, e, eps);
			sample_x(run, ci, item, &v, &t, x);
		}
	}
	mpq_clears(x, e, eps, NULL);
	over_free(&v);
	diag_fini(&d);
	arena_free(&a);
	threshold_set_clear(&t);
}

/* The check with every weight off by r, by the oracle. */
static bool
holds_at_r(const struct run *run, uint32_t ci, struct over *v, mpq_srcptr r)
{
	const struct model *m = run->m;

	for (uint32_t i = 0; i < m->nentities; i++) {
		mpq_div(v->prior[i].lo, m->entities[i].prior.lo, r);
		mpq_mul(v->prior[i].hi, m->entities[i].prior.hi, r);
	}
	return oracle(run, ci, NULL, v->prior);
}

static void
brute_radius(const struct run *run, uint32_t ci)
{
	struct robustness rb;
	struct over v;
	struct diag d;
	struct arena a = { 0 };
	struct lp_opts o = { 0 };
	mpq_t r, eps, one;
	bool strict = run->m->checks[ci].cmp == CMP_LT ||
	    run->m->checks[ci].cmp == CMP_GT;

	robustness_init(&rb);
	diag_init(&d, &a, NULL);
	assert_true(robustness_of(&run->r, ci, &o, &rb, &d));
	over_init(&v, run->m);
	mpq_inits(r, eps, one, NULL);
	mpq_set_ui(one, 1, 1);
	bool h1 = holds_at_r(run, ci, &v, one);
	assert_int_equal(h1, rb.kind != RADIUS_NONE);
	for (unsigned k = 0; k <= 60 && rb.kind != RADIUS_NONE; k++) {
		mpq_set_ui(r, 20 + k, 20);	/* 1 .. 4 by 1/20 */
		mpq_canonicalize(r);
		bool want = holds_at_r(run, ci, &v, r), got;
		nsamples++;
		if (rb.kind == RADIUS_INF)
			got = true;
		else if (mpq_cmp(r, rb.lo) < 0)
			got = true;
		else if (mpq_cmp(r, rb.hi) > 0)
			got = false;
		else if (rb.kind == RADIUS_EXACT && mpq_equal(r, rb.lo) &&
		    !strict)
			got = true;
		else
			continue;	/* at a strict end or in the bracket */
		if (want != got)
			fail_msg("line %u: at r = %s the check %s; radius %s",
			    run->m->checks[ci].line, mpq_get_str(NULL, 10, r),
			    want ? "holds" : "fails",
			    mpq_get_str(NULL, 10, rb.lo));
	}
	if (rb.kind == RADIUS_EXACT || rb.kind == RADIUS_BRACKET) {
		/* Exact LPs just inside and just outside. */
		mpq_set_ui(eps, 1, 1 << 20);
		mpq_mul(r, rb.lo, eps);
		mpq_sub(r, rb.lo, r);
		if (mpq_cmp(r, one) >= 0)
			assert_true(holds_at_r(run, ci, &v, r));
		mpq_mul(r, rb.hi, eps);
		mpq_add(r, rb.hi, r);
		assert_false(holds_at_r(run, ci, &v, r));
		if (rb.kind == RADIUS_BRACKET) {
			/* b - a <= 1e-12 a, both ends exact rationals */
			mpq_sub(r, rb.hi, rb.lo);
			assert_true(mpq_get_d(r) <= 1e-12 * mpq_get_d(rb.lo));
			assert_true(holds_at_r(run, ci, &v, rb.lo));
			assert_false(holds_at_r(run, ci, &v, rb.hi));
		}
	}
	mpq_clears(r, eps, one, NULL);
	over_free(&v);
	diag_fini(&d);
	arena_free(&a);
	robustness_clear(&rb);
}

static void
brute_all(const struct run *run)
{
	const struct model *m = run->m;

	for (uint32_t ci = 0; ci < m->nchecks; ci++) {
		if (!thresholds_numeric(&m->checks[ci]))
			continue;
		for (uint32_t k = 0; k < m->ndata; k++)
			brute_thresholds(run, ci, k);
		brute_radius(run, ci);
	}
}

/* The models below train on one phase and deploy in the other. */
#define PHASES "feature phase { train, deploy }\n" \
    "action comply, sabotage\n" \
    "intended { otherwise -> comply }\n" \
    "training { situations phase == train }\n" \
    "deployment { situations phase == deploy }\n"
/* ... with an assistant and a schemer of prior 0.1. */
#define ASSISTANT_SCHEMER PHASES \
    "character assistant prior 0.7 { otherwise -> comply }\n" \
    "character schemer prior 0.1 {\n  phase == train -> comply\n" \
    "  otherwise -> sabotage\n}\n"

static const char issue[] = PHASES
    "character assistant prior 0.7 { otherwise -> comply }\n"
    "character schemer prior [0.05, 0.1] trait fiction {\n"
    "  phase == train -> comply\n  otherwise -> sabotage\n}\n"
    "data stories scales fiction by [1, 10]\n"
    "check P(diverge) <= 0.05\ncheck P(diverge) >= 0.1\n"
    "check P(diverge) <= 0.2\n";

static void
expect_piece(const struct threshold_set *t, const char *from,
    const char *to, bool fc, bool tc)
{
	mpq_t q;

	mpq_init(q);
	assert_int_equal(t->npieces, 1);
	mpq_set_str(q, from, 10);
	assert_true(mpq_equal(q, t->piece[0].from));
	if (to) {
		mpq_set_str(q, to, 10);
		assert_false(t->piece[0].to_inf);
		assert_true(mpq_equal(q, t->piece[0].to));
	} else {
		assert_true(t->piece[0].to_inf);
	}
	assert_int_equal(t->piece[0].from_closed, fc);
	assert_int_equal(t->piece[0].to_closed, tc);
	mpq_clear(q);
}

static void
test_issue_intervals(void **state)
{
	struct run run;
	struct threshold_set t;
	struct lp_opts o = { 0 };
	static const char *const to[3] = { "7/19", NULL, "7/4" };
	static const char *const from[3] = { "0", "14/9", "0" };

	(void)state;
	assert_true(load(&run, issue));
	for (uint32_t ci = 0; ci < 3; ci++) {
		threshold_set_init(&t);
		assert_true(thresholds_of(&run.r, ci, 0, &o, &t, &run.diag));
		expect_piece(&t, from[ci], to[ci], true, to[ci] != NULL);
		assert_int_equal(t.on_declared, ci == 0 ? ON_NONE : ON_PART);
		threshold_set_clear(&t);
	}
	brute_all(&run);
	run_free(&run);
}

static void
test_issue_radius(void **state)
{
	struct run run;
	struct robustness rb;
	struct lp_opts o = { 0 };
	mpq_t q;

	(void)state;
	assert_true(load(&run, ASSISTANT_SCHEMER "check P(diverge) <= 0.2\n"
	    "check P(diverge) <= 0.125\ncheck P(diverge) <= 1\n"
	    "check P(diverge) <= 0.1\n"));
	robustness_init(&rb);
	assert_true(robustness_of(&run.r, 0, &o, &rb, &run.diag));
	assert_int_equal(rb.kind, RADIUS_BRACKET);
	mpq_init(q);
	mpq_set_str(q, "7/4", 10);
	assert_true(rb.has_square && mpq_equal(q, rb.square));
	/* sqrt(7)/2 = 1.3228756555322952... inside [lo, hi] */
	assert_true(mpq_get_d(rb.lo) <= 1.3228756555322953 &&
	    mpq_get_d(rb.hi) >= 1.3228756555322951);
	/* lo^2 < 7/4 < hi^2 exactly */
	mpq_mul(q, rb.lo, rb.lo);
	assert_true(mpq_cmp_ui(q, 7, 4) < 0);
	mpq_mul(q, rb.hi, rb.hi);
	assert_true(mpq_cmp_ui(q, 7, 4) > 0);
	assert_true(robustness_of(&run.r, 1, &o, &rb, &run.diag));
	assert_int_equal(rb.kind, RADIUS_EXACT);
	assert_true(mpq_cmp_ui(rb.lo, 1, 1) == 0);
	assert_true(robustness_of(&run.r, 2, &o, &rb, &run.diag));
	assert_int_equal(rb.kind, RADIUS_INF);
	assert_true(robustness_of(&run.r, 3, &o, &rb, &run.diag));
	assert_int_equal(rb.kind, RADIUS_NONE);
	mpq_clear(q);
	robustness_clear(&rb);
	brute_all(&run);
	run_free(&run);
}

/*
 * The worst case is a max of a falling and a rising curve (two vertices
 * of the prior polytope): K > 0 at both ends, so Kelley's steps find the
 * inside; at the bottom (x = 1, P = 1/4) a single point.
 */
static void
test_dip(void **state)
{
	struct run run;
	struct threshold_set t;
	struct lp_opts o = { 0 };

	(void)state;
	assert_true(load(&run, PHASES
	    "character b prior 1 { otherwise -> comply }\n"
	    "character a prior 1 trait corpus { otherwise -> comply }\n"
	    "character d prior [0, 1] {\n  phase == train -> comply\n"
	    "  otherwise -> sabotage\n}\n"
	    "character s prior [0, 1] trait corpus {\n"
	    "  phase == train -> comply\n  otherwise -> sabotage\n}\n"
	    "constraint prior(d) + prior(s) <= 0.25\n"
	    "data pages scales corpus by [1, 2]\n"
	    "check P(diverge) <= 0.27\ncheck P(diverge) <= 0.25\n"
	    "check P(diverge) < 0.25\ncheck P(diverge) < 0.27\n"));
	threshold_set_init(&t);
	assert_true(thresholds_of(&run.r, 0, 0, &o, &t, &run.diag));
	expect_piece(&t, "65/81", "81/65", true, true);
	assert_true(thresholds_of(&run.r, 1, 0, &o, &t, &run.diag));
	expect_piece(&t, "1", "1", true, true);
	assert_true(thresholds_of(&run.r, 2, 0, &o, &t, &run.diag));
	assert_int_equal(t.npieces, 0);
	assert_int_equal(t.on_declared, ON_NONE);
	assert_true(thresholds_of(&run.r, 3, 0, &o, &t, &run.diag));
	expect_piece(&t, "65/81", "81/65", false, false);
	assert_int_equal(t.on_declared, ON_PART);
	threshold_set_clear(&t);
	brute_all(&run);
	run_free(&run);
}

/*
 * A constraint caps the ratio: P(diverge) <= 0.2 never breaks, the strict
 * claim breaks at r^2 = 7/4, where the cap binds (each end of its bracket
 * is an LP 1e-13 from a change of basis).
 */
static void
test_plateau(void **state)
{
	struct run run;
	struct robustness rb;
	struct lp_opts o = { 0 };
	mpq_t q;

	(void)state;
	assert_true(load(&run, ASSISTANT_SCHEMER
	    "constraint prior(schemer) <= 0.2\n"
	    "check P(diverge) <= 0.2\ncheck P(diverge) < 0.2\n"));
	robustness_init(&rb);
	mpq_init(q);
	assert_true(robustness_of(&run.r, 0, &o, &rb, &run.diag));
	assert_int_equal(rb.kind, RADIUS_INF);
	assert_true(robustness_of(&run.r, 1, &o, &rb, &run.diag));
	assert_int_equal(rb.kind, RADIUS_BRACKET);
	mpq_set_str(q, "7/4", 10);
	assert_true(rb.has_square && mpq_equal(q, rb.square));
	mpq_clear(q);
	robustness_clear(&rb);
	brute_all(&run);
	run_free(&run);
}

/* ------------------------------------------------------------------ */
/* Random models                                                      */
/* ------------------------------------------------------------------ */

static const char *const cmps[4] = { "<=", "<", ">=", ">" };

/* A small weight: 0, or k/10 for k in 1..10. */
static unsigned
weight(void)
{
	return (unsigned)(rng() % 11);
}

static void
random_model(char *buf, size_t cap, unsigned *nentities)
{
	unsigned n = 2 + (unsigned)(rng() % 3), ndata = 1 + (unsigned)(rng() %
	    2);
	bool carried[2] = { false, false };

	buf[0] = '\0';
	app(buf, cap, "feature phase { train, deploy }\n"
	    "feature mood { calm, angry }\n"
	    "action comply, sabotage\nintended { otherwise -> comply }\n"
	    "training {\n  situations phase == train\n");
	bool counts = rng() % 2;
	if (counts)
		app(buf, cap, "  observe true : comply %u, sabotage %u\n",
		    1 + (unsigned)(rng() % 4), (unsigned)(rng() % 2));
	else
		app(buf, cap, "  observe mood == calm : comply\n");
	app(buf, cap, "}\ndeployment { situations phase == deploy }\n");
	for (unsigned i = 0; i < n; i++) {
		unsigned a = weight(), b = weight();
		app(buf, cap, "character e%u prior ", i);
		if (rng() % 2 && a != b)
			app(buf, cap, "[%u/10, %u/10]", a < b ? a : b,
			    a < b ? b : a);
		else
			app(buf, cap, "%u/10", i == 0 ? 1 + a % 10 : a);
		for (unsigned t = 0; t < 2; t++)
			if (rng() % 2 && !(t == 1 && ndata == 1)) {
				app(buf, cap, " trait t%u", t);
				carried[t] = true;
			}
		app(buf, cap, " {\n  phase == train -> ");
		unsigned c = 4 - (unsigned)(rng() % 3);
		if (rng() % 2)
			app(buf, cap, "{ comply: %u/4, sabotage: %u/4 }\n",
			    c, 4 - c);
		else
			app(buf, cap, "comply\n");
		switch (rng() % 3) {
		case 0: app(buf, cap, "  otherwise -> comply\n}\n"); break;
		case 1: app(buf, cap, "  mood == angry -> sabotage\n"
		    "  otherwise -> comply\n}\n"); break;
		default: app(buf, cap, "  otherwise -> sabotage\n}\n");
		}
	}
	/* A family (a fractional diverging share) or an optimizer. */
	if (!counts && rng() % 2) {
		bool t0 = rng() % 2;
		app(buf, cap, "family fam over mood prior %u/10%s\n",
		    1 + weight() % 10, t0 ? " trait t0" : "");
		carried[0] |= t0;
	} else if (rng() % 2) {
		bool t0 = rng() % 2;
		app(buf, cap, "optimizer opt prior [1/10, %u/10]%s {\n"
		    "  horizon %u\n  value sabotage = 1 when phase == "
		    "deploy\n  value comply = 1 when phase == train\n}\n",
		    1 + weight() % 10, t0 ? " trait t0" : "",
		    (unsigned)(rng() % 3));
		carried[0] |= t0;
	}
	if (!carried[0])
		app(buf, cap, "character extra prior 1/10 trait t0 "
		    "{ otherwise -> comply }\n");
	unsigned lo = 1 + (unsigned)(rng() % 4), hi = lo + (unsigned)(rng() %
	    4);
	app(buf, cap, "data d0 scales t0 by ");
	if (lo == hi)
		app(buf, cap, "%u\n", lo);
	else
		app(buf, cap, "[%u/2, %u/2]\n", lo, hi);
	if (ndata == 2 && carried[1])
		app(buf, cap, "data d1 scales t1 by [1/2, %u]\n",
		    1 + (unsigned)(rng() % 3));
	switch (rng() % 6) {
	case 0: app(buf, cap, "constraint prior(e0) >= 0.1\n"); break;
	case 1: app(buf, cap, "constraint prior(e1) <= 0.3\n"); break;
	case 2: app(buf, cap, "constraint prior(e0) <= prior(e1)\n"); break;
	default: break;
	}
	for (unsigned k = 0; k < 3; k++) {
		const char *c = cmps[rng() % 4];
		unsigned th = 1 + (unsigned)(rng() % 9);
		switch (rng() % 3) {
		case 0: app(buf, cap, "check P(diverge) %s %u/10\n", c, th);
			break;
		case 1: app(buf, cap, "check E(divergence) %s %u/10\n", c,
		    th); break;
		default: app(buf, cap, "check P(e0, e1) %s %u/10\n", c, th);
		}
	}
	*nentities = n;
}

static void
test_random_models(void **state)
{
	char buf[8192];
	unsigned n, nvalid = 0;

	(void)state;
	for (unsigned trial = 0; trial < 150; trial++) {
		rng_state = 0x7e57ull * 1000 + trial;
		random_model(buf, sizeof buf, &n);
		struct run run;
		if (load(&run, buf)) {
			brute_all(&run);
			nvalid++;
		}
		run_free(&run);
	}
	assert_true(nvalid >= 90 && nsamples > 40000);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_issue_intervals),
		cmocka_unit_test(test_issue_radius),
		cmocka_unit_test(test_dip),
		cmocka_unit_test(test_plateau),
		cmocka_unit_test(test_random_models),
	};

	xgmp_init();
	return cmocka_run_group_tests_name("thresholds", tests, NULL, NULL);
}
