/*
 * optimizer.c - induced policies and critical horizons.
 *
 * score_c(a, h) = U(c, a) - h P(c, a), with
 *   U(c, a) = sum of the utility lines for a, each weighted by the
 *             training plus deployment mass of its situations in c,
 *   P(c, a) = the training mass in c whose target is not a.
 * Scores are compared in doubles and, where two are within 1e-9 of each
 * other, again in exact rationals (ties go to the first action).
 *
 * h*: with only 'always' observations, consistency means every class with
 * a target plays it, which holds on an interval of h per class (the score
 * lines are linear in h): h* is the left end of their intersection.  With
 * count or frequency observations, the policy is constant between the
 * crossing points of the score lines, so each crossing point and each
 * open interval between them is tried in order.
 */
#include "optimizer.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double
zd(const struct csum *cs, uint64_t i)
{
	return cs->big ? mpz_get_d(cs->z[i]) : (double)cs->v[i];
}

static void
zq(const struct csum *cs, uint64_t i, mpz_t out)
{
	if (cs->big)
		mpz_set(out, cs->z[i]);
	else
		mpz_set_ui(out, cs->v[i]);
}

void
opt_ctx_init(struct opt_ctx *ctx, const struct space *sp)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	uint32_t *target = NULL;

	memset(ctx, 0, sizeof *ctx);
	ctx->sp = sp;
	ctx->always_only = true;
	ctx->req = xcalloc(sp->ncls + 1, sizeof *ctx->req);
	ctx->allow = xreallocarray(NULL, sp->ncls * na + 1,
	    sizeof *ctx->allow);
	memset(ctx->allow, 1, (sp->ncls * na + 1) * sizeof *ctx->allow);
	ctx->trained = xcalloc(sp->cw ? sp->cw : 1, sizeof *ctx->trained);
	/* Target per training situation: the outcome of the first 'always'
	 * observation (its index); per class, what all of them allow. */
	target = xreallocarray(NULL, sp->nsit, sizeof *target);
	memset(target, 0xff, sp->nsit * sizeof *target);
	for (uint32_t k = 0; k < m->training.nobs; k++) {
		const struct observation *o = &m->training.obs[k];
		const struct obs_table *t = &sp->obs[k];
		bs_or(ctx->trained, ctx->trained, t->ce, sp->cw);
		/* Only 'always' gives a target (SPEC 4.7): the rest weigh
		 * the induced policy but do not shape it. */
		switch (o->kind) {
		case EVID_ALWAYS:
			break;
		case EVID_COUNTS:
		case EVID_AT_LEAST:
		case EVID_AT_MOST:
			ctx->always_only = false;
			continue;
		}
		uint64_t *te = obs_situations(sp, k);
		for (uint64_t s = bs_next(te, sp->sw, 0); s != BS_NONE;
		    s = bs_next(te, sp->sw, s + 1))
			if (target[s] == NONE)
				target[s] = k;
		free(te);
		for (uint64_t c = bs_next(t->ce, sp->cw, 0); c != BS_NONE;
		    c = bs_next(t->ce, sp->cw, c + 1)) {
			ctx->req[c] = true;
			for (uint32_t a = 0; a < na; a++)
				ctx->allow[c * na + a] &= o->out.in[a];
		}
	}
	/* Training mass per class and target. */
	csum_init(&ctx->tmass, sp->ncls * (na ? na : 1), false);
	csum_init(&ctx->ttot, sp->ncls, false);
	bool big = false;
	struct csum probe;
	uint64_t *one = xcalloc(sp->sw, sizeof *one);
	for (uint32_t a = 0; a < na; a++) {
		memset(one, 0, sp->sw * sizeof *one);
		for (uint64_t s = 0; s < sp->nsit; s++)
			if (target[s] != NONE &&
			    m->training.obs[target[s]].out.in[a])
				bs_set(one, s);
		space_class_mass(sp, false, one, &probe);
		if (probe.big && !big) {
			/* Switch both tables to big integers. */
			csum_free(&ctx->tmass);
			csum_free(&ctx->ttot);
			csum_init(&ctx->tmass, sp->ncls * (na ? na : 1), true);
			csum_init(&ctx->ttot, sp->ncls, true);
			big = true;
		}
		for (uint64_t c = 0; c < sp->ncls; c++) {
			uint64_t i = c * na + a;
			if (big) {
				mpz_t x;
				mpz_init(x);
				zq(&probe, c, x);
				mpz_set(ctx->tmass.z[i], x);
				mpz_add(ctx->ttot.z[c], ctx->ttot.z[c], x);
				mpz_clear(x);
			} else {
				ctx->tmass.v[i] = probe.v[c];
				ctx->ttot.v[c] += probe.v[c];
			}
		}
		csum_free(&probe);
	}
	free(one);
	free(target);
}

void
opt_ctx_free(struct opt_ctx *ctx)
{
	csum_free(&ctx->tmass);
	csum_free(&ctx->ttot);
	free(ctx->req);
	free(ctx->allow);
	free(ctx->trained);
	memset(ctx, 0, sizeof *ctx);
}

/* One optimizer's score tables. */
struct scores {
	const struct opt_ctx *ctx;
	const struct entity *e;
	struct csum *mt, *md;	/* per utility line: class masses */
	double *ud, *pd;	/* class x action, doubles */
	bool *zero;		/* class x action: U and P exactly 0 */
	/* Exact scores as integers (exact_up): per utility line n_l L / d_l,
	 * with L the lcm of the utilities' denominators; and L * zdeploy. */
	mpz_t *coef;
	mpz_t lz;
};

static void
scores_init(struct scores *sc, const struct opt_ctx *ctx,
    const struct entity *e)
{
	const struct space *sp = ctx->sp;
	uint32_t na = sp->m->nactions;
	uint64_t n = sp->ncls * na;
	double zt = mpz_get_d(sp->ztrain), zdd = mpz_get_d(sp->zdeploy);

	sc->ctx = ctx;
	sc->e = e;
	sc->mt = xcalloc(e->nutils + 1, sizeof *sc->mt);
	sc->md = xcalloc(e->nutils + 1, sizeof *sc->md);
	sc->ud = xcalloc(n + 1, sizeof *sc->ud);
	sc->pd = xcalloc(n + 1, sizeof *sc->pd);
	for (uint32_t l = 0; l < e->nutils; l++) {
		const struct utility *u = &e->utils[l];
		uint64_t *sits = u->when ? space_compile(sp, u->when, false) :
		    NULL;
		double ul = mpq_get_d(u->u);
		space_class_mass(sp, false, sits, &sc->mt[l]);
		space_class_mass(sp, true, sits, &sc->md[l]);
		free(sits);
		for (uint64_t c = 0; c < sp->ncls; c++)
			sc->ud[c * na + u->action] += ul *
			    (zd(&sc->mt[l], c) / zt + zd(&sc->md[l], c) / zdd);
	}
	mpz_t lcm;
	mpz_init_set_ui(lcm, 1);
	for (uint32_t l = 0; l < e->nutils; l++)
		mpz_lcm(lcm, lcm, mpq_denref(e->utils[l].u));
	sc->coef = xreallocarray(NULL, e->nutils + 1, sizeof *sc->coef);
	for (uint32_t l = 0; l < e->nutils; l++) {
		mpz_init(sc->coef[l]);
		mpz_divexact(sc->coef[l], lcm, mpq_denref(e->utils[l].u));
		mpz_mul(sc->coef[l], sc->coef[l], mpq_numref(e->utils[l].u));
	}
	mpz_init(sc->lz);
	mpz_mul(sc->lz, lcm, sp->zdeploy);
	mpz_clear(lcm);
	sc->zero = xcalloc(n + 1, sizeof *sc->zero);
	for (uint64_t i = 0; i < n; i++)
		sc->zero[i] = true;
	for (uint32_t l = 0; l < e->nutils; l++) {
		const struct utility *u = &e->utils[l];
		if (mpq_sgn(u->u) == 0)
			continue;
		for (uint64_t c = 0; c < sp->ncls; c++)
			if (csum_positive(&sc->mt[l], c) ||
			    csum_positive(&sc->md[l], c))
				sc->zero[c * na + u->action] = false;
	}
	for (uint64_t c = 0; c < sp->ncls; c++)
		for (uint32_t a = 0; a < na; a++) {
			uint64_t i = c * na + a;
			sc->pd[i] =
			    (zd(&ctx->ttot, c) - zd(&ctx->tmass, i)) / zt;
			/* P = 0 exactly when every targeted mass targets a. */
			if (ctx->ttot.big ? mpz_cmp(ctx->ttot.z[c],
			    ctx->tmass.z[i]) != 0 : ctx->ttot.v[c] !=
			    ctx->tmass.v[i])
				sc->zero[i] = false;
		}
}

static void
scores_free(struct scores *sc)
{
	for (uint32_t l = 0; l < sc->e->nutils; l++) {
		csum_free(&sc->mt[l]);
		csum_free(&sc->md[l]);
	}
	free(sc->mt);
	free(sc->md);
	free(sc->ud);
	free(sc->pd);
	free(sc->zero);
	for (uint32_t l = 0; l < sc->e->nutils; l++)
		mpz_clear(sc->coef[l]);
	free(sc->coef);
	mpz_clear(sc->lz);
}

/*
 * U(c, a) and P(c, a) exactly, as integers over their common positive
 * denominator D = L * zt * zd, so that scores, differences and crossing
 * points need no rational arithmetic (no gcd):
 *   nu = sum_l coef_l (mt_l zd + md_l zt),   np = (ttot - tmass) L zd
 * where U = sum_l u_l (mt_l / zt + md_l / zd) and P = (ttot - tmass) / zt.
 * 'x' is scratch.
 */
static void
exact_up(const struct scores *sc, uint64_t c, uint32_t a, mpz_t nu,
    mpz_t np, mpz_t x)
{
	const struct opt_ctx *ctx = sc->ctx;
	const struct space *sp = ctx->sp;
	uint32_t na = sp->m->nactions;

	mpz_set_ui(nu, 0);
	for (uint32_t l = 0; l < sc->e->nutils; l++) {
		if (sc->e->utils[l].action != a)
			continue;
		zq(&sc->mt[l], c, x);
		mpz_mul(np, x, sp->zdeploy);
		zq(&sc->md[l], c, x);
		mpz_addmul(np, x, sp->ztrain);
		mpz_addmul(nu, np, sc->coef[l]);
	}
	zq(&ctx->ttot, c, np);
	zq(&ctx->tmass, c * na + a, x);
	mpz_sub(np, np, x);
	mpz_mul(np, np, sc->lz);
}

/* (U_a - U_b) / (P_a - P_b) from exact_up's integers, into 'out'. */
static void
crossing(mpq_t out, mpz_srcptr nua, mpz_srcptr npa, mpz_srcptr nub,
    mpz_srcptr npb)
{
	mpz_sub(mpq_numref(out), nua, nub);
	mpz_sub(mpq_denref(out), npa, npb);
	mpq_canonicalize(out);
}

/* The action played in class c at horizon h (ties: first action). */
static uint32_t
argmax(const struct scores *sc, uint64_t c, mpq_srcptr h, double hd)
{
	uint32_t na = sc->ctx->sp->m->nactions, best = 0, ncand = 0;
	const double *ud = sc->ud + c * na, *pd = sc->pd + c * na;
	const bool *zero = sc->zero + c * na;
	double m = ud[0] - hd * pd[0];
	bool all_zero = true;

	for (uint32_t a = 1; a < na; a++) {
		double s = ud[a] - hd * pd[a];
		if (s > m)
			m = s;
	}
	/* The actions within rounding of the best double score. */
	for (uint32_t a = 0; a < na; a++) {
		double s = ud[a] - hd * pd[a];
		if (s < m - 1e-9 * (1 + fabs(m) + fabs(s)))
			continue;
		if (ncand++ == 0)
			best = a;
		all_zero &= zero[a];
	}
	/* One candidate, or candidates that all score exactly 0: the first
	 * of them (ties go to the first action). */
	if (ncand == 1 || all_zero)
		return best;
	/* The score U - h P, times D * den(h) > 0. */
	mpz_t u, sbest, t, x;
	mpz_inits(u, sbest, t, x, NULL);
	bool have = false;
	for (uint32_t a = 0; a < na; a++) {
		double s = ud[a] - hd * pd[a];
		if (s < m - 1e-9 * (1 + fabs(m) + fabs(s)))
			continue;
		exact_up(sc, c, a, u, t, x);
		mpz_mul(u, u, mpq_denref(h));
		mpz_submul(u, t, mpq_numref(h));
		if (!have || mpz_cmp(u, sbest) > 0) {
			mpz_set(sbest, u);
			best = a;
			have = true;
		}
	}
	mpz_clears(u, sbest, t, x, NULL);
	return best;
}

static void
policy_at(const struct scores *sc, mpq_srcptr h, struct policy *out)
{
	const struct space *sp = sc->ctx->sp;
	uint32_t *act = xreallocarray(NULL, sp->ncls ? sp->ncls : 1,
	    sizeof *act);
	double hd = mpq_get_d(h);

	for (uint64_t c = 0; c < sp->ncls; c++)
		act[c] = argmax(sc, c, h, hd);
	policy_from_table(out, sp, act);
	free(act);
}

void
optimizer_policy(const struct opt_ctx *ctx, const struct entity *e,
    mpq_srcptr h, struct policy *out)
{
	struct scores sc;

	scores_init(&sc, ctx, e);
	policy_at(&sc, h, out);
	scores_free(&sc);
}

/* ------------------------------------------------------------------ */
/* Critical horizon                                                   */
/* ------------------------------------------------------------------ */

/* An interval of h with open or closed ends; hi_inf for +infinity. */
struct hspan {
	mpq_t lo, hi;
	bool lo_open, hi_open, hi_inf, empty;
};

/* Intersects 'sp' with h >= b (or h > b when 'strict'). */
static void
at_least(struct hspan *s, mpq_srcptr b, bool strict)
{
	int c = mpq_cmp(b, s->lo);

	if (c > 0) {
		mpq_set(s->lo, b);
		s->lo_open = strict;
	} else if (c == 0) {
		s->lo_open |= strict;
	}
}

static void
at_most(struct hspan *s, mpq_srcptr b, bool strict)
{
	if (s->hi_inf) {
		mpq_set(s->hi, b);
		s->hi_open = strict;
		s->hi_inf = false;
		return;
	}
	int c = mpq_cmp(b, s->hi);
	if (c < 0) {
		mpq_set(s->hi, b);
		s->hi_open = strict;
	} else if (c == 0) {
		s->hi_open |= strict;
	}
}

/*
 * True when the bound h (P_a - P_w) >= U_a - U_w, from the doubles du, dp
 * (|U_a| + |U_w| = mu, |P_a| + |P_w| = mp), provably leaves the interval
 * [lo, hi] unchanged.  The doubles are sums of a few correctly rounded
 * terms: an error of 1e-12 of their magnitudes is far more than they can
 * carry, and anything that close to the interval is left to the exact
 * computation.
 */
static bool
skip_bound(double du, double dp, double mu, double mp, double lo,
    double hi, bool hi_inf)
{
	double eu = 1e-12 * mu, ep = 1e-12 * mp;

	if (!(fabs(dp) > 2 * ep) || !isfinite(du) || !isfinite(dp))
		return false;
	double b = du / dp;
	double eb = (eu + (fabs(b) + 1) * ep) / (fabs(dp) - ep);
	double margin = eb + 1e-12 * (fabs(lo) + fabs(hi)) + 1e-300;
	if (dp > 0)		/* h >= b: a lower bound */
		return b + margin < lo;
	return !hi_inf && b - margin > hi;	/* h <= b */
}

/*
 * The action class c must play to be consistent: every allowed action
 * has P = 0 (each is in every target there), so their scores do not move
 * with h and the best of them, by U exactly (ties to the first), is the
 * only one that can be the argmax.  NONE when nothing is allowed.
 */
static uint32_t
allowed_best(const struct scores *sc, uint64_t c, mpz_t ub, mpz_t pb,
    mpz_t ua, mpz_t pa, mpz_t x)
{
	uint32_t na = sc->ctx->sp->m->nactions, best = NONE;
	const bool *al = &sc->ctx->allow[c * na];

	for (uint32_t a = 0; a < na; a++) {
		if (!al[a])
			continue;
		if (best == NONE) {
			best = a;
			exact_up(sc, c, a, ub, pb, x);
			continue;
		}
		exact_up(sc, c, a, ua, pa, x);
		if (mpz_cmp(ua, ub) > 0) {
			best = a;
			mpz_swap(ua, ub);
			mpz_swap(pa, pb);
		}
	}
	return best;
}

/*
 * Always-only observations: intersect the per-class intervals.  Each
 * class and rival action gives a bound on h; it is computed exactly only
 * when the doubles cannot show that it leaves the interval as it is (a
 * lower bound clearly below the current one, an upper bound clearly
 * above): at 1,000 optimizers over 2^14 classes nearly all of them.
 */
static void
critical_always(const struct scores *sc, struct entity_result *r)
{
	const struct space *sp = sc->ctx->sp;
	uint32_t na = sp->m->nactions;
	struct hspan s = { .hi_inf = true };
	double lo_d = 0, hi_d = 0;
	mpz_t ur, pr, ua, pa, x;
	mpq_t b;

	mpq_inits(s.lo, s.hi, b, NULL);
	mpz_inits(ur, pr, ua, pa, x, NULL);
	for (uint64_t c = 0; c < sp->ncls && !s.empty; c++) {
		if (!sc->ctx->req[c])
			continue;
		uint32_t want = allowed_best(sc, c, ur, pr, ua, pa, x);
		if (want == NONE) {
			s.empty = true;
			break;
		}
		const double *ud = sc->ud + c * na, *pd = sc->pd + c * na;
		bool have_want = false;
		for (uint32_t a = 0; a < na && !s.empty; a++) {
			if (a == want)
				continue;
			if (skip_bound(ud[a] - ud[want], pd[a] - pd[want],
			    fabs(ud[a]) + fabs(ud[want]),
			    fabs(pd[a]) + fabs(pd[want]), lo_d, hi_d,
			    s.hi_inf))
				continue;
			if (!have_want) {
				exact_up(sc, c, want, ur, pr, x);
				have_want = true;
			}
			/* want must beat a: h (P_a - P_want) >= U_a - U_want,
			 * strictly when a comes first (ties go to it). */
			bool strict = a < want;
			exact_up(sc, c, a, ua, pa, x);
			int sg = mpz_cmp(pa, pr);
			if (sg == 0) {
				int su = mpz_cmp(ua, ur);
				if (strict ? su >= 0 : su > 0)
					s.empty = true;
				continue;
			}
			crossing(b, ua, pa, ur, pr);
			if (sg > 0)
				at_least(&s, b, strict);
			else
				at_most(&s, b, strict);
			lo_d = mpq_get_d(s.lo);
			hi_d = s.hi_inf ? 0 : mpq_get_d(s.hi);
		}
	}
	if (!s.empty && !s.hi_inf) {
		int c = mpq_cmp(s.lo, s.hi);
		if (c > 0 || (c == 0 && (s.lo_open || s.hi_open)))
			s.empty = true;
	}
	r->horizon_inf = s.empty;
	if (!s.empty)
		mpq_set(r->critical_horizon, s.lo);
	mpq_clears(s.lo, s.hi, b, NULL);
	mpz_clears(ur, pr, ua, pa, x, NULL);
}

static int
cmp_q(const void *a, const void *b)
{
	return mpq_cmp(*(mpq_t *)a, *(mpq_t *)b);
}

static bool
consistent_at(const struct scores *sc, mpq_srcptr h)
{
	const struct space *sp = sc->ctx->sp;
	struct policy p;
	struct entity_result er;
	mpq_t zero;
	bool ok;

	memset(&er, 0, sizeof er);
	er.lazy = true;		/* only its consistency is wanted */
	mpq_inits(er.likelihood, er.divergence, zero, NULL);
	policy_at(sc, h, &p);
	policy_judge(&p, sp, zero, &er);
	policy_drop_factors(&er);
	ok = er.consistent;
	policy_free(&p);
	mpq_clears(er.likelihood, er.divergence, zero, NULL);
	return ok;
}

/* General observations: try every crossing point and the gaps between. */
static void
critical_general(const struct scores *sc, struct entity_result *r)
{
	const struct space *sp = sc->ctx->sp;
	uint32_t na = sp->m->nactions;
	mpq_t *pt = NULL;
	size_t npt = 0, cap = 0;
	mpz_t ua, pa, ub, pb, x;
	mpq_t h;

	mpz_inits(ua, pa, ub, pb, x, NULL);
	mpq_init(h);
	/* 0 is always a candidate. */
	cap = 16;
	pt = xreallocarray(NULL, cap, sizeof *pt);
	mpq_init(pt[npt++]);
	for (uint64_t c = bs_next(sc->ctx->trained, sp->cw, 0); c != BS_NONE;
	    c = bs_next(sc->ctx->trained, sp->cw, c + 1))
		for (uint32_t a = 0; a < na; a++) {
			exact_up(sc, c, a, ua, pa, x);
			for (uint32_t b = a + 1; b < na; b++) {
				exact_up(sc, c, b, ub, pb, x);
				if (mpz_cmp(pa, pb) == 0)
					continue;
				crossing(h, ua, pa, ub, pb);
				if (mpq_sgn(h) < 0)
					continue;
				if (npt == cap) {
					cap *= 2;
					pt = xreallocarray(pt, cap, sizeof *pt);
				}
				mpq_init(pt[npt]);
				mpq_set(pt[npt++], h);
			}
		}
	qsort(pt, npt, sizeof *pt, cmp_q);
	size_t u = 0;
	for (size_t i = 0; i < npt; i++)
		if (u == 0 || !mpq_equal(pt[i], pt[u - 1]))
			mpq_swap(pt[u++], pt[i]);
	r->horizon_inf = true;
	for (size_t i = 0; i < u; i++) {
		/* At the point, then just right of it. */
		bool ok = consistent_at(sc, pt[i]);
		if (!ok) {
			if (i + 1 < u) {
				mpq_add(h, pt[i], pt[i + 1]);
				mpq_div_2exp(h, h, 1);
			} else {
				mpq_set_ui(h, 1, 1);
				mpq_add(h, h, pt[i]);
			}
			ok = consistent_at(sc, h);
		}
		if (ok) {
			r->horizon_inf = false;
			mpq_set(r->critical_horizon, pt[i]);
			break;
		}
	}
	for (size_t i = 0; i < npt; i++)
		mpq_clear(pt[i]);
	free(pt);
	mpz_clears(ua, pa, ub, pb, x, NULL);
	mpq_clear(h);
}

struct scores *
optimizer_scores(const struct opt_ctx *ctx, const struct entity *e)
{
	struct scores *sc = xcalloc(1, sizeof *sc);

	scores_init(sc, ctx, e);
	return sc;
}

void
optimizer_scores_free(struct scores *sc)
{
	scores_free(sc);
	free(sc);
}

void
optimizer_policy_at(const struct scores *sc, mpq_srcptr h,
    struct policy *out)
{
	policy_at(sc, h, out);
}

void
optimizer_score(const struct scores *sc, uint64_t cls, uint32_t a, mpq_t u,
    mpq_t p)
{
	mpz_t x;

	/* exact_up's common denominator: L zt zd = lz zt. */
	mpz_init(x);
	exact_up(sc, cls, a, mpq_numref(u), mpq_numref(p), x);
	mpz_mul(x, sc->lz, sc->ctx->sp->ztrain);
	mpz_set(mpq_denref(u), x);
	mpz_set(mpq_denref(p), x);
	mpq_canonicalize(u);
	mpq_canonicalize(p);
	mpz_clear(x);
}

void
optimizer_critical_of(const struct scores *sc, struct entity_result *r)
{
	if (sc->ctx->always_only)
		critical_always(sc, r);
	else
		critical_general(sc, r);
}

void
optimizer_critical(const struct opt_ctx *ctx, const struct entity *e,
    struct entity_result *r)
{
	struct scores sc;

	scores_init(&sc, ctx, e);
	if (ctx->always_only)
		critical_always(&sc, r);
	else
		critical_general(&sc, r);
	scores_free(&sc);
}
