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
	"deployment { situations true  weight b == q : 2 }\n";

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
	    "deployment { situations phase == deploy\n"
	    " weight w == yes : 0 }\n");

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

/* ------------------------------------------------------------------ */
/* Differential: the engine against a situation-by-situation reference */
/* ------------------------------------------------------------------ */

static unsigned
rnd(unsigned *seed, unsigned n)
{
	*seed = *seed * 1103515245u + 12345u;
	return (*seed >> 16) % n;
}

/* A random atom over the features (visible ones only when 'vis'). */
static void
atom(char *buf, size_t cap, unsigned *seed, int nf, const int *nv,
    const bool *hidden, bool vis)
{
	int f;
	do
		f = (int)rnd(seed, (unsigned)nf);
	while (vis && hidden[f]);
	app(buf, cap, "f%d %s v%u", f, rnd(seed, 2) ? "==" : "!=",
	    rnd(seed, (unsigned)nv[f]));
}

/* "NAME {", a random 'situations' line and up to max-1 weight lines
 * (weights k/den, k < max). */
static void
block_head(char *buf, size_t cap, unsigned *seed, int nf, const int *nv,
    const bool *hidden, const char *name, unsigned max, unsigned den)
{
	app(buf, cap, "%s {\n  situations ", name);
	atom(buf, cap, seed, nf, nv, hidden, false);
	app(buf, cap, "\n");
	for (unsigned w = rnd(seed, max); w > 0; w--) {
		app(buf, cap, "  weight ");
		atom(buf, cap, seed, nf, nv, hidden, false);
		app(buf, cap, " : %u/%u\n", rnd(seed, max), den);
	}
}

/*
 * A random model: 2-6 features of 2-3 values, some hidden at random
 * places, weights on both blocks, 1-3 intended rules, 'always',
 * counts and frequency observations, deterministic and stochastic
 * characters.
 */
static void
random_model(char *buf, size_t cap, unsigned *seed)
{
	int nf = 2 + (int)rnd(seed, 5), nv[6];
	bool hidden[6], any = false;

	buf[0] = '\0';
	for (int f = 0; f < nf; f++) {
		nv[f] = 2 + (int)rnd(seed, 2);
		hidden[f] = rnd(seed, 3) == 0;
		app(buf, cap, "feature f%d { v0, v1%s }\n", f,
		    nv[f] == 3 ? ", v2" : "");
	}
	hidden[rnd(seed, (unsigned)nf)] = false;
	app(buf, cap, "visible");
	for (int f = 0; f < nf; f++)
		if (!hidden[f]) {
			app(buf, cap, "%s f%d", any ? "," : "", f);
			any = true;
		}
	app(buf, cap, "\naction a0, a1, a2\nintended {\n");
	for (unsigned r = rnd(seed, 3); r > 0; r--) {
		app(buf, cap, "  ");
		atom(buf, cap, seed, nf, nv, hidden, false);
		app(buf, cap, " -> a%u%s\n", rnd(seed, 3),
		    rnd(seed, 2) ? " | a2" : "");
	}
	app(buf, cap, "  otherwise -> a0\n}\n");
	for (int c = 0; c < 4; c++) {
		app(buf, cap, "character c%d prior 0.25 {\n", c);
		for (unsigned r = rnd(seed, 3); r > 0; r--) {
			app(buf, cap, "  ");
			atom(buf, cap, seed, nf, nv, hidden, true);
			if (rnd(seed, 4) == 0)
				app(buf, cap, " -> { a0: 1/2, a%u: 1/2 }\n",
				    1 + rnd(seed, 2));
			else
				app(buf, cap, " -> a%u\n", rnd(seed, 3));
		}
		app(buf, cap, "  otherwise -> a%u\n}\n", rnd(seed, 2));
	}
	block_head(buf, cap, seed, nf, nv, hidden, "training", 3, 1);
	for (unsigned o = 1 + rnd(seed, 3); o > 0; o--) {
		app(buf, cap, "  observe ");
		atom(buf, cap, seed, nf, nv, hidden, false);
		switch (rnd(seed, 4)) {
		case 0: app(buf, cap, " : a0 2, a1 1\n"); break;
		case 1: app(buf, cap, " : a0 at least 1/2\n"); break;
		default: app(buf, cap, " : a%u\n", rnd(seed, 2)); break;
		}
	}
	app(buf, cap, "}\n");
	block_head(buf, cap, seed, nf, nv, hidden, "deployment", 4, 3);
	app(buf, cap, "}\n");
}

/*
 * The reference knows nothing of the space: it enumerates the model's own
 * situations (digits in the declared value order, first feature most
 * significant) and evaluates the model's expressions on them.
 */
static bool
ref_eval(const struct expr *x, const uint32_t *d)
{
	switch (x->kind) {
	case X_TRUE: return true;
	case X_FALSE: return false;
	case X_ATOM: return x->allowed[d[x->feature]];
	case X_NOT: return !ref_eval(x->kids[0], d);
	case X_AND:
		for (uint32_t i = 0; i < x->nkids; i++)
			if (!ref_eval(x->kids[i], d))
				return false;
		return true;
	case X_OR:
		for (uint32_t i = 0; i < x->nkids; i++)
			if (ref_eval(x->kids[i], d))
				return true;
		return false;
	}
	return false;
}

/* Digits of situation 'o' of the model. */
static void
ref_digits(const struct model *m, uint64_t o, uint32_t *d)
{
	for (uint32_t f = m->nfeatures; f-- > 0;) {
		d[f] = (uint32_t)(o % m->features[f].nvalues);
		o /= m->features[f].nvalues;
	}
}

/* The model's index of the space's situation 's' (lumps: first member). */
static uint64_t
ref_index(const struct space *sp, uint64_t s)
{
	const struct model *m = sp->m;
	uint64_t o = 0;

	if (s == BS_NONE)
		return BS_NONE;
	for (uint32_t f = 0; f < m->nfeatures; f++)
		o = o * m->features[f].nvalues + space_value(sp, s, f);
	return o;
}

static uint32_t
ref_action(const struct entity *e, const uint32_t *d)
{
	for (uint32_t r = 0; r < e->nrules; r++)
		if (!e->rules[r].guard || ref_eval(e->rules[r].guard, d))
			return e->rules[r].action;
	return NONE;
}

/* The block's weight of a situation in it (unnormalised), else 0. */
static void
ref_weight(const struct block *b, const uint32_t *d, mpq_t w)
{
	mpq_set_ui(w, ref_eval(b->situations, d), 1);
	for (uint32_t j = 0; j < b->nweights && mpq_sgn(w); j++)
		if (ref_eval(b->weights[j].expr, d))
			mpq_mul(w, w, b->weights[j].w);
}

/*
 * Checks a deterministic character against the definitions (SPEC 4.4,
 * 4.5, 6.2), situation by situation of the model: refutation by
 * 'always' observations and its witness, the exact divergence and its
 * witness, and the situation counts.
 */
static void
ref_check(const struct fixture *f, uint32_t i, int trial)
{
	const struct space *sp = &f->sp;
	const struct model *m = f->m;
	const struct entity *e = &m->entities[i];
	const struct entity_result *r = &f->r.ents[i];
	uint64_t n = 1, wit = BS_NONE, ntrain = 0;
	uint32_t k, wact = NONE, d[8];
	mpq_t w, num, z;

	for (uint32_t j = 0; j < m->nfeatures; j++)
		n *= m->features[j].nvalues;
	assert_int_equal(sp->full.nsit, n);
	for (uint64_t o = 0; o < n; o++) {
		ref_digits(m, o, d);
		ntrain += ref_eval(m->training.situations, d);
	}
	assert_int_equal(sp->full.ntrain, ntrain);
	for (uint32_t j = 0; j < e->nrules; j++)
		if (e->rules[j].action == NONE)
			return;	/* stochastic: not this reference */
	for (k = 0; k < m->training.nobs && wit == BS_NONE; k++) {
		const struct observation *ob = &m->training.obs[k];
		if (ob->kind != EVID_ALWAYS)
			break;
		for (uint64_t o = 0; o < n; o++) {
			ref_digits(m, o, d);
			if (ref_eval(m->training.situations, d) &&
			    ref_eval(ob->expr, d) &&
			    !ob->out.in[ref_action(e, d)]) {
				wit = o;
				wact = ref_action(e, d);
				break;
			}
		}
	}
	if (wit != BS_NONE) {
		if (r->consistent || r->refuted_by != k - 1 ||
		    ref_index(sp, r->refutation.sit) != wit ||
		    r->refutation.action != wact)
			fail_msg("trial %d, %s: refuted by %u at %llu -> %u, "
			    "got %d %u %llu %u", trial, e->name, k - 1,
			    (unsigned long long)wit, wact, r->consistent,
			    r->refuted_by, (unsigned long long)ref_index(sp,
			    r->refutation.sit), r->refutation.action);
	} else if (k == m->training.nobs && !r->consistent) {
		fail_msg("trial %d, %s: should be consistent", trial, e->name);
	}
	mpq_inits(w, num, z, NULL);
	wit = BS_NONE;
	for (uint64_t o = 0; o < n; o++) {
		ref_digits(m, o, d);
		ref_weight(&m->deployment, d, w);
		mpq_add(z, z, w);
		uint32_t a = ref_action(e, d), ir;
		for (ir = 0; ir < m->nintended; ir++)
			if (!m->intended[ir].guard ||
			    ref_eval(m->intended[ir].guard, d))
				break;
		if (mpq_sgn(w) == 0 || m->intended[ir].accept[a])
			continue;
		mpq_add(num, num, w);
		if (wit == BS_NONE)
			wit = o;
	}
	mpq_div(num, num, z);
	if (!mpq_equal(num, r->divergence))
		fail_msg("trial %d, %s: divergence", trial, e->name);
	if (r->diverges && ref_index(sp, r->witness.sit) != wit)
		fail_msg("trial %d, %s: divergence witness %llu, got %llu",
		    trial, e->name, (unsigned long long)wit,
		    (unsigned long long)ref_index(sp, r->witness.sit));
	mpq_clears(w, num, z, NULL);
}

/* Two runs give the same entity results (sliced space vs tables). */
static void
same_results(const struct fixture *a, const struct fixture *b, int trial)
{
	for (uint32_t i = 0; i < a->m->nentities; i++) {
		const struct entity_result *x = &a->r.ents[i];
		const struct entity_result *y = &b->r.ents[i];
		if (x->consistent != y->consistent ||
		    x->refuted_by != y->refuted_by ||
		    x->refutation.sit != y->refutation.sit ||
		    x->refutation.action != y->refutation.action ||
		    !mpq_equal(x->likelihood, y->likelihood) ||
		    !mpq_equal(x->divergence, y->divergence) ||
		    x->diverges != y->diverges ||
		    x->witness.sit != y->witness.sit ||
		    x->witness.action != y->witness.action ||
		    x->witness_rule != y->witness_rule)
			fail_msg("trial %d: entity %u differs between the "
			    "sliced space and the per-class tables", trial, i);
	}
}

/*
 * Random models with hidden features anywhere: the engine agrees with
 * the reference, and its two layouts (slices per hidden assignment,
 * per-class tables) agree with each other bit for bit.
 */
static void
test_engine_vs_reference(void **state)
{
	static char text[16384];
	struct space_opts tables = {
		.max_situations = (uint64_t)1 << 24, .no_slices = true,
	};
	unsigned seed = 20261127;
	int checked = 0, lumped = 0, uneven = 0;

	(void)state;
	for (int trial = 0; trial < 400; trial++) {
		random_model(text, sizeof text, &seed);
		struct fixture *f = check_text(text);
		struct fixture *g = check_text_so(text, NULL, &tables);
		assert_int_equal(f->ok, g->ok);
		if (f->ok) {
			same_results(f, g, trial);
			for (uint32_t i = 0; i < f->m->nentities; i++)
				ref_check(f, i, trial);
			checked++;
			bool l = false, u = false;
			for (uint32_t j = 0; j < f->m->nfeatures; j++) {
				if (!f->sp.rep[j])
					continue;
				l = true;
				for (uint32_t v = 1; v < f->sp.nv[j]; v++)
					u |= f->sp.lsize[j][v] !=
					    f->sp.lsize[j][0];
			}
			lumped += l;
			uneven += u;
		}
		release(g);
		release(f);
	}
	/* Most random models are valid (an empty block is the usual
	 * error): the test must not pass by skipping them all. */
	print_message("%d of 400 random models checked, %d with lumped hidden "
	    "values, %d with lumps of different sizes\n", checked, lumped,
	    uneven);
	assert_true(checked >= 150);
	assert_true(lumped >= 30 && uneven >= 10);
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
		cmocka_unit_test(test_engine_vs_reference),
	};

	return cmocka_run_group_tests_name("engine", tests, NULL, NULL);
}
