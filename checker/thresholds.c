/*
 * thresholds.c - 'charcheck thresholds': for a numeric check, the exact
 * set of values of one data factor at which it holds, and the radius of
 * prior error it survives (SPEC 5.3).  Sits after check.c: it reads the
 * Result's likelihoods and asks posterior.c for exact linear maxima over
 * the prior set (posterior_linear_max) and exact posterior ranges
 * (posterior_range), the latter being the check's own semantics, with
 * which every endpoint is re-checked.  docs/semantics.md has the proofs.
 */
#include "thresholds.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "posterior.h"

/* Linear maxima one search may ask for before it is a limit (exit 3). */
#define MAX_EVALS 2000

/* The relative width of a robustness bracket: 2^-44 < 1e-12 / 16. */
#define BRACKET_BITS 44

/* Step off an endpoint to re-check that the claim fails there. */
#define NUDGE_BITS 30

bool
thresholds_numeric(const struct check *c)
{
	return c->kind == CK_P_DIVERGE || c->kind == CK_P_SET ||
	    c->kind == CK_E_DIVERGENCE;
}

void
threshold_set_init(struct threshold_set *t)
{
	memset(t, 0, sizeof *t);
	for (int k = 0; k < 2; k++)
		mpq_inits(t->piece[k].from, t->piece[k].to, NULL);
}

void
threshold_set_clear(struct threshold_set *t)
{
	for (int k = 0; k < 2; k++)
		mpq_clears(t->piece[k].from, t->piece[k].to, NULL);
}

void
robustness_init(struct robustness *r)
{
	memset(r, 0, sizeof *r);
	mpq_inits(r->lo, r->hi, r->square, NULL);
}

void
robustness_clear(struct robustness *r)
{
	mpq_clears(r->lo, r->hi, r->square, NULL);
}

/* ------------------------------------------------------------------ */
/* The query: a check's condition over overridable scales and priors  */
/* ------------------------------------------------------------------ */

/*
 * A check "value (cmp) c" holds at a point of the prior set where the
 * posterior is defined iff sum_i w_i f_i L_i (x_i - c) <= 0 (for < and
 * <=; c - x_i for > and >=, strict for < and >).  coef[i] is
 * L_i (x_i - c) with that sign; the sums are linear in w and in each
 * data factor.
 */
struct query {
	const struct model *m;
	const struct check *c;
	const struct lp_opts *o;
	uint32_t n;
	mpq_t *lik, *x, *coef0;
	mpq_t *coef, *w, *f;	/* scratch for posterior_linear_max */
	struct range *scale;	/* per data item, ours (mpq in 'ends') */
	mpq_t *ends;
	struct range *prior;	/* per entity, ours (mpq in 'pends') */
	mpq_t *pends;
	struct posterior_in in;
	unsigned evals;
};

static bool
upper(const struct check *c)
{
	return c->cmp == CMP_LT || c->cmp == CMP_LE;
}

static bool
strict(const struct check *c)
{
	return c->cmp == CMP_LT || c->cmp == CMP_GT;
}

/* 'to' a copy of 'from' whose ends are ours: the two rationals at 'ends'. */
static void
range_own(struct range *to, const struct range *from, mpq_t *ends)
{
	*to = *from;
	to->lo = ends[0];
	to->hi = ends[1];
	mpq_set(to->lo, from->lo);
	mpq_set(to->hi, from->hi);
}

static void
query_init(struct query *q, const struct result *res, uint32_t check,
    const struct lp_opts *o)
{
	const struct model *m = res->m;
	uint32_t n = m->nentities, nd = m->ndata;

	memset(q, 0, sizeof *q);
	q->m = m;
	q->c = &m->checks[check];
	q->o = o;
	q->n = n;
	q->lik = rationals_new(n);
	q->x = rationals_new(n);
	q->coef0 = rationals_new(n);
	q->coef = rationals_new(n);
	q->w = rationals_new(n);
	q->f = rationals_new(n);
	posterior_in_init(&q->in, res, q->lik);
	for (uint32_t i = 0; i < n; i++) {
		const struct entity_result *er = &res->ents[i];
		switch (q->c->kind) {
		case CK_P_DIVERGE: mpq_set(q->x[i], er->share); break;
		case CK_E_DIVERGENCE: mpq_set(q->x[i], er->divergence); break;
		case CK_P_SET: mpq_set_ui(q->x[i], q->c->members[i], 1); break;
		default: internal_error();
		}
		if (upper(q->c))
			mpq_sub(q->coef0[i], q->x[i], q->c->threshold);
		else
			mpq_sub(q->coef0[i], q->c->threshold, q->x[i]);
		mpq_mul(q->coef0[i], q->coef0[i], q->lik[i]);
	}
	q->scale = xcalloc(nd + 1, sizeof *q->scale);
	q->ends = rationals_new(2 * nd);
	for (uint32_t k = 0; k < nd; k++)
		range_own(&q->scale[k], &m->data[k].scale, q->ends + 2 * k);
	q->prior = xcalloc(n + 1, sizeof *q->prior);
	q->pends = rationals_new(2 * n);
	for (uint32_t i = 0; i < n; i++)
		range_own(&q->prior[i], &m->entities[i].prior,
		    q->pends + 2 * i);
	q->in.scale = q->scale;
	q->in.prior = q->prior;
}

static void
query_free(struct query *q)
{
	rationals_free(q->lik, q->n);
	rationals_free(q->x, q->n);
	rationals_free(q->coef0, q->n);
	rationals_free(q->coef, q->n);
	rationals_free(q->w, q->n);
	rationals_free(q->f, q->n);
	rationals_free(q->ends, 2 * q->m->ndata);
	rationals_free(q->pends, 2 * q->n);
	free(q->scale);
	free(q->prior);
}

static void
set_scale(struct query *q, uint32_t item, mpq_srcptr lo, mpq_srcptr hi)
{
	mpq_set(q->scale[item].lo, lo);
	mpq_set(q->scale[item].hi, hi);
}

/*
 * Whether the check holds at the query's current scales and priors, by
 * the check's own rule (check.c bound_check): defined, and the max (for
 * < and <=) or min compared exactly.  *defined says whether the
 * posterior is.
 */
static bool
holds_at(struct query *q, bool *holds, bool *defined, struct diag *d)
{
	struct interval iv;
	bool ok;

	mpq_inits(iv.lo, iv.hi, NULL);
	ok = posterior_range(&q->in, q->x, NULL, q->o, &iv, d);
	if (ok && iv.defined && !iv.exact) {
		diag_error_file(d, 3, "thresholds: the posterior on line %u "
		    "could not be computed exactly", q->c->line);
		ok = false;
	}
	if (ok) {
		int cmp = mpq_cmp(upper(q->c) ? iv.hi : iv.lo,
		    q->c->threshold);
		if (defined)
			*defined = iv.defined;
		*holds = iv.defined && (q->c->cmp == CMP_LT ? cmp < 0 :
		    q->c->cmp == CMP_LE ? cmp <= 0 : q->c->cmp == CMP_GT ?
		    cmp > 0 : cmp >= 0);
	}
	mpq_clears(iv.lo, iv.hi, NULL);
	return ok;
}

/* holds_at with data item 'item' at the point x. */
static bool
holds_at_x(struct query *q, uint32_t item, mpq_srcptr x, bool *holds,
    bool *defined, struct diag *d)
{
	set_scale(q, item, x, x);
	return holds_at(q, holds, defined, d);
}

static bool
count_eval(struct query *q, struct diag *d)
{
	if (++q->evals <= MAX_EVALS)
		return true;
	diag_error_file(d, 3, "thresholds: the check on line %u needed more "
	    "than %d linear programs", q->c->line, MAX_EVALS);
	return false;
}

/* ------------------------------------------------------------------ */
/* Thresholds of a data factor                                        */
/* ------------------------------------------------------------------ */

/*
 * With x = y / (1 - y), y in [0, 1], the condition at a point (w, f) of
 * the prior set and the other items' box, divided by 1 + x > 0, is
 * k(y) = (1 - y) A + y B: A sums the entities that do not carry the
 * item's trait, B those that do (item factor 1).  K(y) = max k over the
 * set is convex and piecewise linear on the compact [0, 1]; y = 1 is
 * x = inf.  A piece is (a, s): a + s y with a = A, s = B - A.
 */
struct piece {
	mpq_t a, s;
};

struct sweep {
	struct query *q;
	uint32_t item;
	bool *carries;		/* per entity */
};

/* K(y) into 'val' and the piece of a maximising point into 'p'. */
static bool
kval(struct sweep *sw, mpq_srcptr y, mpq_ptr val, struct piece *p,
    struct diag *d)
{
	struct query *q = sw->q;
	mpq_t one, om, t, bsum;
	bool ok;

	if (!count_eval(q, d))
		return false;
	mpq_inits(one, om, t, bsum, NULL);
	mpq_set_ui(one, 1, 1);
	mpq_sub(om, one, y);
	set_scale(q, sw->item, one, one);
	for (uint32_t i = 0; i < q->n; i++)
		mpq_mul(q->coef[i], q->coef0[i], sw->carries[i] ? y : om);
	ok = posterior_linear_max(&q->in, q->coef, q->o, val, q->w, q->f, d);
	if (ok) {
		mpq_set_ui(p->a, 0, 1);
		for (uint32_t i = 0; i < q->n; i++) {
			mpq_mul(t, q->coef0[i], q->f[i]);
			mpq_mul(t, t, q->w[i]);
			mpq_add(sw->carries[i] ? bsum : p->a,
			    sw->carries[i] ? bsum : p->a, t);
		}
		mpq_sub(p->s, bsum, p->a);
		/* the piece passes through (y, K(y)) */
		mpq_mul(t, p->s, y);
		mpq_add(t, t, p->a);
		if (!mpq_equal(t, val))
			internal_error();
	}
	mpq_clears(one, om, t, bsum, NULL);
	return ok;
}

/* The root of piece p: -a / s (s != 0). */
static void
root_of(mpq_ptr y, const struct piece *p)
{
	mpq_div(y, p->a, p->s);
	mpq_neg(y, y);
}

static void
piece_set(struct piece *to, const struct piece *from)
{
	mpq_set(to->a, from->a);
	mpq_set(to->s, from->s);
}

/*
 * A point y_in of [0, 1] with K(y_in) <= 0, or *none: Kelley's cutting
 * planes in one dimension.  The model max(L, R) of the pieces found
 * at the ends is a lower bound on K; its minimum is where L (falling)
 * meets R (rising).  Each new piece is strictly above the model there,
 * so no piece comes twice and the search ends.
 */
static bool
find_inside(struct sweep *sw, mpq_srcptr k0, const struct piece *p0,
    mpq_srcptr k1, const struct piece *p1, mpq_ptr yin, bool *none,
    struct diag *d)
{
	struct piece l, r, p;
	mpq_t v, t;
	bool ok = true;

	*none = false;
	if (mpq_sgn(k0) <= 0) {
		mpq_set_ui(yin, 0, 1);
		return true;
	}
	if (mpq_sgn(k1) <= 0) {
		mpq_set_ui(yin, 1, 1);
		return true;
	}
	mpq_inits(l.a, l.s, r.a, r.s, p.a, p.s, v, t, NULL);
	piece_set(&l, p0);
	piece_set(&r, p1);
	for (;;) {
		if (mpq_sgn(l.s) >= 0 || mpq_sgn(r.s) <= 0) {
			*none = true;	/* K > 0 and rising away */
			break;
		}
		/* l.a + l.s y = r.a + r.s y */
		mpq_sub(yin, r.a, l.a);
		mpq_sub(t, l.s, r.s);
		mpq_div(yin, yin, t);
		mpq_mul(t, l.s, yin);
		mpq_add(t, t, l.a);
		if (mpq_sgn(t) > 0) {
			*none = true;	/* the lower bound is positive */
			break;
		}
		if (!(ok = kval(sw, yin, v, &p, d)))
			break;
		if (mpq_sgn(v) <= 0)
			break;
		if (mpq_sgn(p.s) < 0) {
			piece_set(&l, &p);
		} else if (mpq_sgn(p.s) > 0) {
			piece_set(&r, &p);
		} else {
			*none = true;	/* a flat piece above 0 */
			break;
		}
	}
	mpq_clears(l.a, l.s, r.a, r.s, p.a, p.s, v, t, NULL);
	return ok;
}

/*
 * Newton's method from an end y0 where K > 0 towards a point where
 * K <= 0: the piece at y is a supporting line of the convex K, so its
 * root never passes the nearest root of K, and each step uses a new
 * piece.  The last y has K(y) = 0 exactly: the end of {K <= 0}.
 */
static bool
newton(struct sweep *sw, mpq_srcptr y0, const struct piece *p0,
    mpq_ptr end, struct diag *d)
{
	struct piece p;
	mpq_t v;
	bool ok = true;

	mpq_inits(p.a, p.s, v, NULL);
	mpq_set(end, y0);
	piece_set(&p, p0);
	for (;;) {
		if (mpq_sgn(p.s) == 0)
			internal_error();	/* K(y_in) <= 0 < K(y) */
		root_of(end, &p);
		if (!(ok = kval(sw, end, v, &p, d)) || mpq_sgn(v) <= 0)
			break;
	}
	if (ok && mpq_sgn(v) < 0)
		internal_error();	/* a supporting line's root */
	mpq_clears(p.a, p.s, v, NULL);
	return ok;
}

/* x = y / (1 - y) for y < 1. */
static void
x_of(mpq_ptr x, mpq_srcptr y)
{
	mpq_t t;

	mpq_init(t);
	mpq_set_ui(t, 1, 1);
	mpq_sub(t, t, y);
	mpq_div(x, y, t);
	mpq_clear(t);
}

/* Whether 'pc' holds the point q. */
static bool
contains(const struct threshold_piece *pc, mpq_srcptr q)
{
	int a = mpq_cmp(q, pc->from), b = pc->to_inf ? -1 :
	    mpq_cmp(q, pc->to);

	return (a > 0 || (a == 0 && pc->from_closed)) &&
	    (b < 0 || (b == 0 && pc->to_closed));
}

/* Whether 'pc' meets the closed [lo, hi]. */
static bool
meets(const struct threshold_piece *pc, mpq_srcptr lo, mpq_srcptr hi)
{
	int a = pc->to_inf ? 1 : mpq_cmp(pc->to, lo);
	int b = mpq_cmp(pc->from, hi);

	return (a > 0 || (a == 0 && pc->to_closed)) &&
	    (b < 0 || (b == 0 && pc->from_closed));
}

static void
on_declared(struct threshold_set *t, const struct range *dr)
{
	t->on_declared = ON_NONE;
	for (uint32_t k = 0; k < t->npieces; k++) {
		const struct threshold_piece *pc = &t->piece[k];
		if (contains(pc, dr->lo) && contains(pc, dr->hi)) {
			t->on_declared = ON_ALL;
			return;
		}
		if (meets(pc, dr->lo, dr->hi))
			t->on_declared = ON_PART;
	}
}

/*
 * The re-check of an end e of the x > 0 part: the claim must hold at e
 * when the end is closed, and fail a little outside it (by 2^-30 of e),
 * both by the check's own exact posterior.
 */
static bool
verify_end(struct query *q, uint32_t item, mpq_srcptr e, bool closed,
    bool right, struct diag *d)
{
	mpq_t x, t;
	bool in = true, out = false, ok = true;

	mpq_inits(x, t, NULL);
	if (closed)
		ok = holds_at_x(q, item, e, &in, NULL, d);
	if (ok) {
		mpq_set_ui(t, 1, 1);
		mpq_div_2exp(t, t, NUDGE_BITS);
		mpq_mul(t, t, e);
		if (right)
			mpq_add(x, e, t);
		else
			mpq_sub(x, e, t);
		ok = holds_at_x(q, item, x, &out, NULL, d);
	}
	if (ok && (!in || out)) {
		diag_error_file(d, 3, "thresholds: the end %g of the check "
		    "on line %u failed its exact re-check",
		    rational_get_d(e), q->c->line);
		ok = false;
	}
	mpq_clears(x, t, NULL);
	return ok;
}

/*
 * The x > 0 part: {y in (0, 1) : K(y) <= 0} is [yl, yr] (convexity);
 * non-strict claims hold exactly there (where the posterior is defined,
 * which for x > 0 does not depend on x).  Strict ones hold on {K_G < 0}
 * (the max over points where the posterior is defined), whose closure
 * is the same [yl, yr] when K_G < 0 anywhere, which a midpoint decides;
 * then each end is tested on its own.
 */
static bool
positive_part(struct sweep *sw, struct threshold_piece *pc, bool *empty,
    struct diag *d)
{
	struct query *q = sw->q;
	struct piece p0, p1;
	mpq_t k0, k1, yin, yl, yr, zero, one, t;
	bool ok, none = false, h = false, def = false;

	mpq_inits(p0.a, p0.s, p1.a, p1.s, k0, k1, yin, yl, yr, zero, one, t,
	    NULL);
	mpq_set_ui(one, 1, 1);
	*empty = true;
	ok = kval(sw, zero, k0, &p0, d) && kval(sw, one, k1, &p1, d) &&
	    find_inside(sw, k0, &p0, k1, &p1, yin, &none, d);
	if (!ok || none)
		goto done;
	if (mpq_sgn(k0) <= 0)
		mpq_set_ui(yl, 0, 1);
	else if (!(ok = newton(sw, zero, &p0, yl, d)))
		goto done;
	if (mpq_sgn(k1) <= 0)
		mpq_set_ui(yr, 1, 1);
	else if (!(ok = newton(sw, one, &p1, yr, d)))
		goto done;
	if (mpq_cmp(yl, yr) > 0)
		internal_error();
	/* A point of x > 0 strictly inside, or the one point. */
	mpq_add(t, yl, yr);
	mpq_div_2exp(t, t, 1);
	if (mpq_sgn(t) == 0)
		goto done;	/* only y = 0: nothing for x > 0 */
	if (mpq_cmp(t, one) == 0)
		goto done;	/* only y = 1, x = inf */
	x_of(t, t);
	if (!(ok = holds_at_x(q, sw->item, t, &h, &def, d)))
		goto done;
	if (!def)
		goto done;	/* undefined for every x > 0 */
	if (!h) {
		/* K <= 0 there: only a strict claim may fail */
		if (!strict(q->c)) {
			diag_error_file(d, 3, "thresholds: the check on line "
			    "%u fails inside its threshold interval",
			    q->c->line);
			ok = false;
		}
		goto done;
	}
	*empty = false;
	x_of(pc->from, yl);
	pc->to_inf = mpq_cmp(yr, one) == 0;
	if (!pc->to_inf)
		x_of(pc->to, yr);
	pc->from_closed = mpq_sgn(yl) > 0;
	pc->to_closed = !pc->to_inf;
	if (strict(q->c)) {
		if (pc->from_closed && !(ok = holds_at_x(q, sw->item,
		    pc->from, &pc->from_closed, NULL, d)))
			goto done;
		if (pc->to_closed && !(ok = holds_at_x(q, sw->item, pc->to,
		    &pc->to_closed, NULL, d)))
			goto done;
		if (mpq_equal(yl, yr) && !pc->from_closed)
			*empty = true;
	}
	if (*empty)
		goto done;
	if (mpq_sgn(yl) > 0)
		ok = verify_end(q, sw->item, pc->from, pc->from_closed, false,
		    d);
	if (ok && !pc->to_inf)
		ok = verify_end(q, sw->item, pc->to, pc->to_closed, true, d);
done:
	mpq_clears(p0.a, p0.s, p1.a, p1.s, k0, k1, yin, yl, yr, zero, one, t,
	    NULL);
	return ok;
}

bool
thresholds_of(const struct result *res, uint32_t check, uint32_t item,
    const struct lp_opts *o, struct threshold_set *out, struct diag *d)
{
	const struct model *m = res->m;
	struct query q;
	struct sweep sw = { &q, item, NULL };
	struct threshold_piece pos;
	bool ok, empty = true, h0 = false;
	mpq_t zero;

	assert(thresholds_numeric(&m->checks[check]));
	out->check = check;
	out->item = item;
	out->npieces = 0;
	query_init(&q, res, check, o);
	sw.carries = xcalloc(m->nentities + 1, sizeof *sw.carries);
	for (uint32_t i = 0; i < m->nentities; i++)
		for (uint32_t j = 0; j < m->entities[i].ntraits; j++)
			sw.carries[i] |= m->entities[i].traits[j] ==
			    m->data[item].trait;
	mpq_inits(pos.from, pos.to, zero, NULL);
	/* x = 0 on its own: entities of factor 0 drop out. */
	ok = holds_at_x(&q, item, zero, &h0, NULL, d) &&
	    positive_part(&sw, &pos, &empty, d);
	if (ok) {
		struct threshold_piece *pc = &out->piece[0];
		if (h0 && (empty || mpq_sgn(pos.from) > 0)) {
			/* [0, 0] alone (docs/semantics.md: cannot be
			 * followed by a piece away from 0, but kept
			 * general) */
			pc->from_closed = pc->to_closed = true;
			pc->to_inf = false;
			mpq_set_ui(pc->from, 0, 1);
			mpq_set_ui(pc->to, 0, 1);
			out->npieces++;
			pc++;
		}
		if (!empty) {
			mpq_set(pc->from, pos.from);
			mpq_set(pc->to, pos.to);
			pc->from_closed = pos.from_closed ||
			    (h0 && mpq_sgn(pos.from) == 0);
			pc->to_closed = pos.to_closed;
			pc->to_inf = pos.to_inf;
			out->npieces++;
		}
		on_declared(out, &m->data[item].scale);
	}
	mpq_clears(pos.from, pos.to, zero, NULL);
	free(sw.carries);
	query_free(&q);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Robustness to the prior                                            */
/* ------------------------------------------------------------------ */

/*
 * Weights off by up to r: w in [lo / r, hi r].  The condition and the
 * constraints are homogeneous in w, so scaling by 1 / (hi r) ... gives
 * the same verdicts as the box [lo s, hi] with s = 1 / r^2 in (0, 1].
 * For one vertex of the data box, phi(s) = max over that box and the
 * constraints of sum coef0_i f_i w_i is a parametric LP in its bounds:
 * concave and piecewise linear in s, and non-increasing (the box
 * shrinks as s grows).  phi(0) is the limit r = inf.
 */
static bool
phi(struct query *q, mpq_srcptr s, mpq_ptr val, struct diag *d)
{
	const struct model *m = q->m;

	if (!count_eval(q, d))
		return false;
	for (uint32_t i = 0; i < q->n; i++) {
		mpq_mul(q->prior[i].lo, m->entities[i].prior.lo, s);
		mpq_set(q->prior[i].hi, m->entities[i].prior.hi);
	}
	for (uint32_t i = 0; i < q->n; i++)
		mpq_set(q->coef[i], q->coef0[i]);
	return posterior_linear_max(&q->in, q->coef, q->o, val, q->w, q->f,
	    d);
}

/* The priors as declared, each off by the factor r: [lo / r, hi r]. */
static void
prior_off_by(struct query *q, mpq_srcptr r)
{
	const struct model *m = q->m;

	for (uint32_t i = 0; i < q->n; i++) {
		mpq_div(q->prior[i].lo, m->entities[i].prior.lo, r);
		mpq_mul(q->prior[i].hi, m->entities[i].prior.hi, r);
	}
}

/*
 * The rightmost zero of phi on [0, 1], given phi(0) >= 0 >= phi(1):
 * secant steps from the right (the chord through two points right of
 * the zero, extended left, lies above the concave phi, so its root is
 * still right of or at the zero; when phi is 0 there the chord and phi
 * coincide in between, so it is the rightmost zero), bisection when a
 * chord is flat.  *exact when found exactly (in 'lo'); else the zero is
 * in [lo, hi] with hi - lo <= 2^-(BRACKET_BITS + 2) hi.
 */
static bool
rightmost_zero(struct query *q, mpq_srcptr phi1, mpq_ptr lo, mpq_ptr hi,
    bool *exact, struct diag *d)
{
	mpq_t sa, va, sb, vb, s, v, t, u;
	bool ok = true, two = false;

	*exact = false;
	mpq_inits(sa, va, sb, vb, s, v, t, u, NULL);
	mpq_set_ui(lo, 0, 1);		/* phi(lo) >= 0 */
	mpq_set_ui(hi, 1, 1);		/* phi(hi) < 0 */
	mpq_set(sb, hi);
	mpq_set(vb, phi1);
	for (;;) {
		bool secant = false;
		if (two) {
			/* slope (va - vb) / (sa - sb) <= 0 */
			mpq_sub(t, va, vb);
			mpq_sub(u, sa, sb);
			mpq_div(t, t, u);
			if (mpq_sgn(t) < 0) {
				mpq_div(s, vb, t);
				mpq_sub(s, sb, s);
				secant = true;
			}
		}
		if (!secant) {
			mpq_add(s, lo, hi);
			mpq_div_2exp(s, s, 1);
		}
		if (!(ok = phi(q, s, v, d)))
			break;
		if (mpq_sgn(v) == 0 && secant) {
			mpq_set(lo, s);
			*exact = true;
			break;
		}
		if (mpq_sgn(v) >= 0) {
			mpq_set(lo, s);
		} else {
			mpq_set(hi, s);
			mpq_set(sa, sb);
			mpq_set(va, vb);
			mpq_set(sb, s);
			mpq_set(vb, v);
			two = true;
		}
		/* Close enough for a bracket: hi - lo <= 2^-(B+2) hi. */
		mpq_sub(t, hi, lo);
		mpq_mul_2exp(t, t, BRACKET_BITS + 2);
		if (mpq_cmp(t, hi) <= 0 && mpq_sgn(lo) > 0)
			break;
	}
	mpq_clears(sa, va, sb, vb, s, v, t, u, NULL);
	return ok;
}

/* Whether a rational is the square of one, and that root into 'r'. */
static bool
exact_sqrt(mpq_ptr r, mpq_srcptr t)
{
	mpz_t a, b;
	bool sq;

	mpz_inits(a, b, NULL);
	sq = mpz_perfect_square_p(mpq_numref(t)) &&
	    mpz_perfect_square_p(mpq_denref(t));
	if (sq) {
		mpz_sqrt(a, mpq_numref(t));
		mpz_sqrt(b, mpq_denref(t));
		mpq_set_num(r, a);
		mpq_set_den(r, b);
		mpq_canonicalize(r);
	}
	mpz_clears(a, b, NULL);
	return sq;
}

/* floor (ceil) of sqrt(t) to a multiple of 2^-BRACKET_BITS. */
static void
sqrt_round(mpq_ptr r, mpq_srcptr t, bool up)
{
	mpz_t n, q;

	mpz_inits(n, q, NULL);
	/* n = floor(t 4^B), q = isqrt(n); up: the next when not exact */
	mpz_mul_2exp(n, mpq_numref(t), 2 * BRACKET_BITS);
	if (up)
		mpz_cdiv_q(n, n, mpq_denref(t));
	else
		mpz_fdiv_q(n, n, mpq_denref(t));
	mpz_sqrt(q, n);
	if (up) {
		mpz_t sq;
		mpz_init(sq);
		mpz_mul(sq, q, q);
		if (mpz_cmp(sq, n) < 0)
			mpz_add_ui(q, q, 1);
		mpz_clear(sq);
	}
	mpq_set_z(r, q);
	mpq_div_2exp(r, r, 2 * BRACKET_BITS / 2);
	mpz_clears(n, q, NULL);
}

/*
 * One vertex of the data box (its factors are points in q->scale):
 * *t_sq = the squared radius at which the check breaks there, as an
 * exact value (*inf false, *exact true) or a bracket [t_sq, t_hi].
 */
static bool
vertex_radius(struct query *q, mpq_ptr t_sq, mpq_ptr t_hi, bool *inf,
    bool *exact, struct diag *d)
{
	mpq_t v0, v1, lo, hi, one, s;
	bool ok;

	*inf = true;
	*exact = true;
	mpq_inits(v0, v1, lo, hi, one, s, NULL);
	mpq_set_ui(one, 1, 1);
	ok = phi(q, lo, v0, d) && phi(q, one, v1, d);
	if (!ok || mpq_sgn(v0) < 0)
		goto done;	/* phi < 0 all the way: never breaks */
	if (mpq_sgn(v1) > 0)
		internal_error();	/* the check holds as declared */
	if (mpq_sgn(v1) == 0)
		mpq_set(lo, one);
	else if (!(ok = rightmost_zero(q, v1, lo, hi, exact, d)))
		goto done;
	if (*exact && mpq_sgn(lo) == 0)
		goto done;	/* phi < 0 on (0, 1]: never breaks */
	if (mpq_sgn(v0) == 0) {
		/*
		 * phi = 0 on [0, s*]: a non-strict claim never breaks;
		 * a strict one breaks past s* iff some point there where
		 * the posterior is defined reaches the threshold.
		 */
		bool h = true;
		if (!strict(q->c))
			goto done;
		mpq_div_2exp(s, lo, 1);
		for (uint32_t i = 0; i < q->n; i++) {
			mpq_mul(q->prior[i].lo, q->m->entities[i].prior.lo, s);
			mpq_set(q->prior[i].hi, q->m->entities[i].prior.hi);
		}
		if (!(ok = holds_at(q, &h, NULL, d)) || h)
			goto done;
	}
	*inf = false;
	if (*exact) {
		mpq_inv(t_sq, lo);	/* t = 1 / s */
	} else {
		mpq_inv(t_sq, hi);	/* t in [1 / hi, 1 / lo] */
		mpq_inv(t_hi, lo);
	}
done:
	mpq_clears(v0, v1, lo, hi, one, s, NULL);
	return ok;
}

/* Data-box vertices enumerated at most, as posterior.c does. */
static uint32_t
interval_items(const struct model *m, uint32_t *var)
{
	uint32_t nvar = 0;

	for (uint32_t k = 0; k < m->ndata && nvar < POSTERIOR_MAX_DATA; k++)
		if (!mpq_equal(m->data[k].scale.lo, m->data[k].scale.hi))
			var[nvar++] = k;
	return nvar;
}

/* The check at weights off by 'r' (exactly), into *h. */
static bool
holds_off_by(struct query *q, mpq_srcptr r, bool *h, struct diag *d)
{
	const struct model *m = q->m;

	for (uint32_t k = 0; k < m->ndata; k++)
		set_scale(q, k, m->data[k].scale.lo, m->data[k].scale.hi);
	prior_off_by(q, r);
	return holds_at(q, h, NULL, d);
}

/*
 * The radius (or its bracket) re-checked with the check's own exact
 * posterior: it holds at the low end (for a strict claim at an exact
 * radius, just below it) and fails just above the high end.
 */
static bool
verify_radius(struct query *q, struct robustness *out, struct diag *d)
{
	mpq_t r, t;
	bool ok, h = false, exact = out->kind == RADIUS_EXACT;

	mpq_inits(r, t, NULL);
	mpq_set_ui(t, 1, 1);
	mpq_div_2exp(t, t, NUDGE_BITS);
	/* It holds at the low end (strict and exact: just below it). */
	mpq_set(r, out->lo);
	if (exact && strict(q->c)) {
		mpq_mul(r, out->lo, t);
		mpq_sub(r, out->lo, r);
		if (mpq_cmp_ui(r, 1, 1) < 0)
			mpq_set_ui(r, 1, 1);
	}
	ok = holds_off_by(q, r, &h, d);
	bool good = ok && h;
	/* It fails at the high end (exact: just above it). */
	if (exact) {
		mpq_mul(r, out->lo, t);
		mpq_add(r, out->lo, r);
	} else {
		mpq_set(r, out->hi);
	}
	ok = ok && holds_off_by(q, r, &h, d);
	good = good && ok && !h;
	if (ok && !good) {
		diag_error_file(d, 3, "thresholds: the robustness of the "
		    "check on line %u failed its exact re-check",
		    q->c->line);
		ok = false;
	}
	mpq_clears(r, t, NULL);
	return ok;
}

bool
robustness_of(const struct result *res, uint32_t check,
    const struct lp_opts *o, struct robustness *out, struct diag *d)
{
	const struct model *m = res->m;
	uint32_t var[POSTERIOR_MAX_DATA], nvar = interval_items(m, var);
	struct query q;
	mpq_t t_sq, t_hi, best_lo, best_hi, one;
	bool ok, h = false, any = false, best_exact = true;

	assert(thresholds_numeric(&m->checks[check]));
	out->check = check;
	out->kind = RADIUS_NONE;
	out->has_square = false;
	query_init(&q, res, check, o);
	mpq_inits(t_sq, t_hi, best_lo, best_hi, one, NULL);
	mpq_set_ui(one, 1, 1);
	ok = holds_off_by(&q, one, &h, d);
	if (!ok || !h)
		goto done;	/* null: fails as declared */
	for (uint64_t vert = 0; ok && vert < ((uint64_t)1 << nvar); vert++) {
		bool inf, exact;
		for (uint32_t k = 0; k < m->ndata; k++)
			set_scale(&q, k, m->data[k].scale.lo,
			    m->data[k].scale.hi);
		for (uint32_t b = 0; b < nvar; b++) {
			mpq_ptr e = (vert >> b) & 1 ? m->data[var[b]].scale.hi :
			    m->data[var[b]].scale.lo;
			set_scale(&q, var[b], e, e);
		}
		q.evals = 0;
		if (!(ok = vertex_radius(&q, t_sq, t_hi, &inf, &exact, d)) ||
		    inf)
			continue;
		if (exact)
			mpq_set(t_hi, t_sq);
		/* The check breaks at the smallest vertex radius. */
		if (!any || mpq_cmp(t_sq, best_lo) < 0)
			mpq_set(best_lo, t_sq);
		if (!any || mpq_cmp(t_hi, best_hi) < 0)
			mpq_set(best_hi, t_hi);
		any = true;
		best_exact = mpq_equal(best_lo, best_hi);
	}
	if (!ok)
		goto done;
	if (!any) {
		out->kind = RADIUS_INF;
		goto done;
	}
	if (best_exact) {
		out->has_square = true;
		mpq_set(out->square, best_lo);
		if (exact_sqrt(out->lo, best_lo)) {
			out->kind = RADIUS_EXACT;
			mpq_set(out->hi, out->lo);
			ok = verify_radius(&q, out, d);
			goto done;
		}
	}
	out->kind = RADIUS_BRACKET;
	sqrt_round(out->lo, best_lo, false);
	sqrt_round(out->hi, best_hi, true);
	if (mpq_cmp(out->lo, one) < 0)
		mpq_set(out->lo, one);
	ok = verify_radius(&q, out, d);
done:
	mpq_clears(t_sq, t_hi, best_lo, best_hi, one, NULL);
	query_free(&q);
	return ok;
}
