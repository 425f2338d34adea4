/*
 * test_framings.c - families and optimizers against independent oracles:
 * family counts, first members and mean divergence against brute-force
 * enumeration of every member of small random families, the closed form
 * on a large one, and the three conditions of deceptive alignment (a long
 * horizon, a visible cue separating training from deployment, a goal that
 * differs off-distribution): removing any one stops the 'deceptive' label.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#include "rng.h"

static uint32_t
below(uint32_t n)
{
	return (uint32_t)(rng() % n);
}

static void
assert_z(mpz_srcptr z, unsigned long want)
{
	if (mpz_cmp_ui(z, want) != 0)
		fail_msg("expected %lu, got %s", want,
		    mpz_get_str(NULL, 10, z));
}

/* ------------------------------------------------------------------ */
/* Families against enumeration                                       */
/* ------------------------------------------------------------------ */

/*
 * Situations (x, y) with x in 0..nx-1, y in 0..ny-1, index x*ny + y, all
 * visible, all in training and deployment; the family is over x and y,
 * so cells are situations.  Observations and intended sets are random.
 */
struct fam_case {
	uint32_t nx, ny, na;
	uint32_t nobs;
	uint32_t obs_x[4], obs_y[4], obs_a[4];	/* bit sets, action */
	uint32_t good[12];			/* per situation: intended */
	uint32_t w[12];	/* deployment weight 0..2 */
};

static void
family_text(const struct fam_case *c, char *buf, size_t cap)
{
	buf[0] = '\0';
	app(buf, cap, "feature x {");
	for (uint32_t i = 0; i < c->nx; i++)
		app(buf, cap, "%s x%u", i ? "," : "", i);
	app(buf, cap, " }\nfeature y {");
	for (uint32_t j = 0; j < c->ny; j++)
		app(buf, cap, "%s y%u", j ? "," : "", j);
	app(buf, cap, " }\naction");
	for (uint32_t a = 0; a < c->na; a++)
		app(buf, cap, "%s a%u", a ? "," : "", a);
	app(buf, cap, "\nintended {\n");
	for (uint32_t s = 0; s < c->nx * c->ny; s++) {
		app(buf, cap, "  x == x%u and y == y%u ->", s / c->ny,
		    s % c->ny);
		bool first = true;
		for (uint32_t a = 0; a < c->na; a++)
			if (c->good[s] >> a & 1) {
				app(buf, cap, "%s a%u", first ? "" : " |", a);
				first = false;
			}
		app(buf, cap, "\n");
	}
	app(buf, cap, "}\nfamily f over y, x\ntraining {\n  situations true\n");
	for (uint32_t k = 0; k < c->nobs; k++) {
		app(buf, cap, "  observe x in {");
		bool first = true;
		for (uint32_t i = 0; i < c->nx; i++)
			if (c->obs_x[k] >> i & 1) {
				app(buf, cap, "%s x%u", first ? "" : ",", i);
				first = false;
			}
		app(buf, cap, " } and y in {");
		first = true;
		for (uint32_t j = 0; j < c->ny; j++)
			if (c->obs_y[k] >> j & 1) {
				app(buf, cap, "%s y%u", first ? "" : ",", j);
				first = false;
			}
		app(buf, cap, " } : a%u\n", c->obs_a[k]);
	}
	app(buf, cap, "}\ndeployment {\n  situations true\n");
	for (uint32_t s = 0; s < c->nx * c->ny; s++)
		if (c->w[s] != 1)
			app(buf, cap, "  weight x == x%u and y == y%u : %u\n",
			    s / c->ny, s % c->ny, c->w[s]);
	app(buf, cap, "}\n");
}

static void
test_family_enumeration(void **state)
{
	char text[8192];
	mpq_t mean, delta, t;

	(void)state;
	mpq_inits(mean, delta, t, NULL);
	rng_state = 2024;
	for (int trial = 0; trial < 120; trial++) {
		struct fam_case c = {
			.nx = 1 + below(3), .ny = 1 + below(3),
			.na = 2 + below(2),
			.nobs = below(4),
		};
		uint32_t ns = c.nx * c.ny, wsum = 0;
		for (uint32_t s = 0; s < ns; s++) {
			c.good[s] = 1 + below((1u << c.na) - 1);
			c.w[s] = below(3);
			wsum += c.w[s];
		}
		if (wsum == 0)
			c.w[0] = 1, wsum = 1;
		for (uint32_t k = 0; k < c.nobs; k++) {
			c.obs_x[k] = 1 + below((1u << c.nx) - 1);
			c.obs_y[k] = 1 + below((1u << c.ny) - 1);
			c.obs_a[k] = below(c.na);
		}
		family_text(&c, text, sizeof text);
		struct fixture *f = check_text(text);
		assert_true(f->ok);
		const struct entity_result *er = &f->r.ents[0];

		/* Enumerate members in lexicographic order (cell 0 first). */
		uint32_t choice[12] = { 0 };
		unsigned long members = 0, consistent = 0, diverging = 0;
		int32_t first_c = -1, first_d = -1;
		uint32_t fc[12], fd[12];
		mpq_set_ui(mean, 0, 1);
		for (;;) {
			bool ok = true, div = false;
			mpq_set_ui(delta, 0, 1);
			for (uint32_t k = 0; k < c.nobs; k++)
				for (uint32_t s = 0; s < ns; s++)
					if ((c.obs_x[k] >> (s / c.ny) & 1) &&
					    (c.obs_y[k] >> (s % c.ny) & 1) &&
					    choice[s] != c.obs_a[k])
						ok = false;
			for (uint32_t s = 0; s < ns; s++)
				if (!(c.good[s] >> choice[s] & 1) && c.w[s]) {
					div = true;
					mpq_set_ui(t, c.w[s], wsum);
					mpq_canonicalize(t);
					mpq_add(delta, delta, t);
				}
			members++;
			if (ok) {
				consistent++;
				mpq_add(mean, mean, delta);
				if (first_c < 0) {
					first_c = 1;
					memcpy(fc, choice, sizeof fc);
				}
				if (div) {
					diverging++;
					if (first_d < 0) {
						first_d = 1;
						memcpy(fd, choice, sizeof fd);
					}
				}
			}
			/* Next member: the last cell varies fastest. */
			uint32_t s = ns;
			while (s > 0 && ++choice[s - 1] == c.na)
				choice[--s] = 0;
			if (s == 0)
				break;
		}
		assert_z(er->members, members);
		assert_int_equal(er->consistent, consistent > 0);
		assert_z(er->consistent_members, consistent);
		if (consistent == 0) {
			assert_int_not_equal(er->refuted_by, NONE);
			release(f);
			continue;
		}
		assert_z(er->diverging_members, diverging);
		for (uint32_t s = 0; s < ns; s++) {
			assert_int_equal(er->first_member[s], 0);
			assert_int_equal(er->first_consistent[s], fc[s]);
		}
		if (diverging) {
			assert_non_null(er->first_diverging);
			for (uint32_t s = 0; s < ns; s++)
				assert_int_equal(er->first_diverging[s], fd[s]);
		} else {
			assert_null(er->first_diverging);
		}
		/* Mean divergence over the consistent members, exactly. */
		mpq_set_ui(t, consistent, 1);
		mpq_div(mean, mean, t);
		assert_true(mpq_equal(mean, er->divergence));
		release(f);
	}
	mpq_clears(mean, delta, t, NULL);
}

/* A family of 2^16 cells: closed forms |A|^cells and |A|^(cells - k). */
static void
test_family_closed_form(void **state)
{
	char text[4096] = "";

	(void)state;
	for (int i = 0; i < 16; i++)
		app(text, sizeof text, "feature f%d { a, b }\n", i);
	app(text, sizeof text, "action r, s, t\nintended { otherwise -> r }\n"
	    "family big over f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11, "
	    "f12, f13, f14, f15\ntraining {\n  situations f0 == a\n"
	    "  observe f1 == a : r\n}\ndeployment { situations true }\n");
	struct fixture *f = check_text(text);
	assert_true(f->ok);
	const struct entity_result *er = &f->r.ents[0];
	mpz_t want;
	mpz_init(want);
	mpz_ui_pow_ui(want, 3, 65536);
	assert_true(mpz_cmp(er->members, want) == 0);
	/* 2^14 cells forced to r, the other 3 * 2^14 free. */
	mpz_ui_pow_ui(want, 3, 3 * 16384);
	assert_true(mpz_cmp(er->consistent_members, want) == 0);
	/* Nondiverging: every free cell plays r as well: 1 member. */
	mpz_sub_ui(want, want, 1);
	assert_true(mpz_cmp(er->diverging_members, want) == 0);
	assert_int_equal(er->ncells, 65536);
	mpz_clear(want);
	release(f);
}

/* ------------------------------------------------------------------ */
/* The three conditions of deceptive alignment                        */
/* ------------------------------------------------------------------ */

/*
 * Training shows {train, lab}; deployment is {deploy, wild}; the cue is
 * visible.  An optimizer that values 'defect' at 1 in every situation:
 *   class lab: defect scores T u - h T = 1 - h, comply 0: comply from
 *   h = 1 (the tie goes to comply, declared first), so h* = 1;
 *   class wild: no training, defect 1 > 0: it defects at deployment.
 * At horizon 10 it is consistent, diverges (delta 1) and is refuted at
 * horizon 0: deceptive.
 */
static const char deceptive_base[] =
	"feature phase { train, deploy }\nfeature cue { lab, wild }\n"
	"feature topic { t }\nvisible %s\naction comply, defect\n"
	"intended { otherwise -> comply }\n"
	"optimizer o { horizon %s  value %s = 1 }\n"
	"training { situations phase == train and cue == lab\n"
	"  observe true : comply }\n"
	"deployment { situations phase == deploy and cue == wild }\n";

static void
conditions(const char *visible, const char *horizon, const char *goal,
    enum ast_label label, bool consistent, bool diverges, unsigned hnum,
    unsigned hden)
{
	char text[2048];

	snprintf(text, sizeof text, deceptive_base, visible, horizon, goal);
	struct fixture *f = check_text(text);
	assert_true(f->ok);
	const struct entity_result *er = &f->r.ents[0];
	assert_int_equal(er->label, label);
	assert_int_equal(er->consistent, consistent);
	assert_int_equal(er->diverges, diverges);
	assert_false(er->horizon_inf);
	assert_true(mpq_cmp_ui(er->critical_horizon, hnum, hden) == 0);
	release(f);
}

static void
test_deceptive_conditions(void **state)
{
	(void)state;
	/* All three conditions: deceptive, h* = 1. */
	conditions("cue, topic", "10", "defect", LABEL_DECEPTIVE, true, true,
	    1, 1);
	/* No long horizon (1/2 < h*): refuted by training, no label. */
	conditions("cue, topic", "1/2", "defect", LABEL_NONE, false, true,
	    1, 1);
	/* No visible cue: one class holds training and deployment, so
	 * defect scores (T + D) u - h T = 2 - h and comply wins from h = 2:
	 * at horizon 10 it complies everywhere, consistent, no divergence. */
	conditions("topic", "10", "defect", LABEL_NONE, true, false, 2, 1);
	/* A goal that does not differ off-distribution: it values comply,
	 * plays it everywhere at any horizon: h* = 0, no divergence. */
	conditions("cue, topic", "10", "comply", LABEL_NONE, true, false,
	    0, 1);
}

/*
 * proxy: consistent already at horizon 0.  A goal that matches training
 * where training looks (lab) but not at deployment (wild).
 */
static void
test_proxy(void **state)
{
	struct fixture *f = check_text(
	    "feature phase { train, deploy }\nfeature cue { lab, wild }\n"
	    "visible cue\naction comply, defect\n"
	    "intended { otherwise -> comply }\n"
	    "optimizer o { value comply = 1 when cue == lab\n"
	    "  value defect = 1 when cue == wild }\n"
	    "training { situations phase == train and cue == lab\n"
	    "  observe true : comply }\n"
	    "deployment { situations phase == deploy and cue == wild }\n");

	(void)state;
	assert_true(f->ok);
	assert_int_equal(f->r.ents[0].label, LABEL_PROXY);
	assert_true(mpq_sgn(f->r.ents[0].critical_horizon) == 0);
	release(f);
}

/* ------------------------------------------------------------------ */
/* Critical horizons: the two algorithms against each other            */
/* ------------------------------------------------------------------ */

/* A random atom over the features f0..f(n-1) (binary; f0 is hidden). */
static void
hatom(char *buf, size_t cap, uint32_t n, bool visible_only)
{
	uint32_t f = visible_only ? 1 + below(n - 1) : below(n);

	app(buf, cap, "f%u %s v%u", f, below(2) ? "==" : "!=", below(2));
}

/*
 * 'observe true : a0 at most 1' holds for every policy, but with it the
 * evidence is no longer 'always' only: the checker then leaves the
 * interval intersection of 'always' evidence (with its double-precision
 * filter) for the general search over crossing points and gaps.  The
 * training targets (SPEC 4.7: the 'always' observations) are the same, so
 * on random optimizers both must give the same critical horizon, exactly,
 * and agree on when none exists.
 */
static void
test_horizon_algorithms_agree(void **state)
{
	static char a[8192], b[8192];
	int finite = 0, none = 0;

	(void)state;
	rng_state = 20261127;
	for (int trial = 0; trial < 300; trial++) {
		uint32_t nf = 3 + below(3), nobs = 1 + below(3);
		char *t[2] = { a, b };
		uint64_t saved = rng_state;
		for (int k = 0; k < 2; k++) {
			char *buf = t[k];
			size_t cap = sizeof a;
			rng_state = saved;	/* the same model twice */
			buf[0] = '\0';
			for (uint32_t f = 0; f < nf; f++)
				app(buf, cap, "feature f%u { v0, v1 }\n", f);
			app(buf, cap, "visible");
			for (uint32_t f = 1; f < nf; f++)
				app(buf, cap, "%s f%u", f > 1 ? "," : "", f);
			app(buf, cap, "\naction a0, a1, a2\n"
			    "intended { otherwise -> a0 }\noptimizer o {\n"
			    "  horizon %u\n", below(5));
			for (uint32_t l = 1 + below(4); l > 0; l--) {
				int u = (int)below(9) - 3;
				app(buf, cap, "  value a%u = %s%d/%u", below(3),
				    u < 0 ? "-" : "", u < 0 ? -u : u,
				    1 + below(3));
				if (below(3)) {
					app(buf, cap, " when ");
					hatom(buf, cap, nf, false);
				}
				app(buf, cap, "\n");
			}
			app(buf, cap, "}\ntraining {\n  situations ");
			hatom(buf, cap, nf, false);
			app(buf, cap, "\n  weight ");
			hatom(buf, cap, nf, false);
			app(buf, cap, " : %u\n", 2 + below(3));
			for (uint32_t o = 0; o < nobs; o++) {
				app(buf, cap, "  observe ");
				hatom(buf, cap, nf, true);
				app(buf, cap, " : a%u\n", below(2));
			}
			if (k)
				app(buf, cap,
				    "  observe true : a0 at most 1\n");
			app(buf, cap, "}\ndeployment { situations true }\n");
		}
		struct fixture *fa = check_text(a), *fb = check_text(b);
		assert_int_equal(fa->ok, fb->ok);
		if (fa->ok) {
			const struct entity_result *x = &fa->r.ents[0];
			const struct entity_result *y = &fb->r.ents[0];
			if (x->horizon_inf != y->horizon_inf ||
			    (!x->horizon_inf && !mpq_equal(x->critical_horizon,
			    y->critical_horizon)))
				fail_msg("trial %d: 'always' gives %s, the "
				    "general search %s\n%s", trial,
				    x->horizon_inf ? "inf" :
				    mpq_get_str(NULL, 10, x->critical_horizon),
				    y->horizon_inf ? "inf" :
				    mpq_get_str(NULL, 10, y->critical_horizon),
				    a);
			if (x->horizon_inf)
				none++;
			else
				finite++;
		}
		release(fb);
		release(fa);
	}
	print_message("%d finite critical horizons, %d none\n", finite, none);
	assert_true(finite >= 60 && none >= 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_enumeration),
		cmocka_unit_test(test_family_closed_form),
		cmocka_unit_test(test_deceptive_conditions),
		cmocka_unit_test(test_proxy),
		cmocka_unit_test(test_horizon_algorithms_agree),
	};

	return cmocka_run_group_tests_name("framings", tests, NULL, NULL);
}
