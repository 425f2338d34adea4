/*
 * sweep.c - the engine of 'charcheck sweep': P(diverge) and E(divergence)
 * as one data factor moves over [from, to] in equal steps, the other
 * factors and the weights keeping their ranges.  The picture of the
 * seed's claim: how much misalignment material in pretraining moves the
 * outcome.  The swept factor reaches the posterior through
 * posterior_in.scale; the model is never written.  Fills a struct
 * sweep_result (sweep.h); report_sweep.c prints it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "posterior.h"
#include "sweep.h"
#include "thresholds.h"

uint32_t
sweep_find_item(const struct model *m, const char *file, const char *name,
    struct diag *d)
{
	for (uint32_t k = 0; k < m->ndata; k++)
		if (!strcmp(m->data[k].name, name))
			return k;
	const char **names = xcalloc(m->ndata + 1, sizeof *names);
	for (uint32_t k = 0; k < m->ndata; k++)
		names[k] = m->data[k].name;
	suggest_no_such(d, file, "data item", name, names, m->ndata,
	    "; sweep needs one");
	free(names);
	return NONE;
}

/* The posterior's inputs over a run, with a scale per data item. */
struct sweep_in {
	struct posterior_in in;
	mpq_t *d, *delta;	/* per entity: diverging share, divergence */
	struct range *scale;	/* per data item, the declared ranges
				 * copied (the swept one is set per step) */
	uint32_t nents, ndata;
};

static void
sweep_in_init(struct sweep_in *si, const struct result *r)
{
	const struct model *m = r->m;
	mpq_t *lik = rationals_new(m->nentities);

	si->nents = m->nentities;
	si->ndata = m->ndata;
	si->d = posterior_x(r, POSTERIOR_DIVERGE);
	si->delta = posterior_x(r, POSTERIOR_EXPECTED);
	si->scale = xcalloc(m->ndata + 1, sizeof *si->scale);
	for (uint32_t k = 0; k < m->ndata; k++) {
		struct range *sc = &si->scale[k];
		*sc = m->data[k].scale;
		sc->lo = xmalloc(sizeof *sc->lo);
		sc->hi = xmalloc(sizeof *sc->hi);
		mpq_init(sc->lo);
		mpq_init(sc->hi);
		mpq_set(sc->lo, m->data[k].scale.lo);
		mpq_set(sc->hi, m->data[k].scale.hi);
	}
	posterior_in_init(&si->in, r, lik);
	si->in.scale = si->scale;
}

static void
sweep_in_free(struct sweep_in *si)
{
	rationals_free(si->d, si->nents);
	rationals_free(si->delta, si->nents);
	rationals_free(si->in.lik, si->nents);
	for (uint32_t k = 0; k < si->ndata; k++) {
		mpq_clear(si->scale[k].lo);
		mpq_clear(si->scale[k].hi);
		free(si->scale[k].lo);
		free(si->scale[k].hi);
	}
	free(si->scale);
}

/* Sets data item 'item' to the point 'x'. */
static void
set_factor(struct sweep_in *si, uint32_t item, mpq_srcptr x)
{
	mpq_set(si->scale[item].lo, x);
	mpq_set(si->scale[item].hi, x);
}

/*
 * For x > 0 the bounds are continuous in x; x = 0 is decided on its own
 * (SPEC 5.3) and may jump (an entity of weight 0 drops out).  The plot
 * joins the point at 0 to the next only if the posterior just above 0 (a
 * millionth of the first step) is within 1e-4 of it.  A solver failure
 * here only leaves the points joined.
 */
static void
mark_jump(struct sweep_in *si, uint32_t item, struct sweep_point *pt,
    const struct lp_opts *lp)
{
	struct interval near;
	struct arena a = { 0 };
	struct diag quiet;
	mpq_t x;

	mpq_inits(near.lo, near.hi, x, NULL);
	mpq_set_ui(x, 1, 1000000);
	mpq_mul(x, x, pt[1].factor);
	set_factor(si, item, x);
	diag_init(&quiet, &a, NULL);
	if (posterior_range(&si->in, si->d, NULL, lp, &near, &quiet)) {
		pt[0].apart[0] = !near.defined ||
		    fabs(rational_get_d(near.lo) -
		    rational_get_d(pt[0].p.lo)) > 1e-4;
		pt[0].apart[1] = !near.defined ||
		    fabs(rational_get_d(near.hi) -
		    rational_get_d(pt[0].p.hi)) > 1e-4;
	}
	diag_fini(&quiet);
	arena_free(&a);
	mpq_clears(near.lo, near.hi, x, NULL);
}

bool
sweep_run(struct sweep_result *out, const struct result *res, uint32_t item,
    mpq_srcptr from, mpq_srcptr to, unsigned long steps,
    const struct check_opts *o, struct diag *d)
{
	struct sweep_in si;
	mpq_t span;
	bool ok = true;

	*out = (struct sweep_result){
		.data = res->m->data[item].name, .npt = steps + 1,
		.pt = xcalloc(steps + 1, sizeof *out->pt),
	};
	sweep_in_init(&si, res);
	mpq_init(span);
	mpq_sub(span, to, from);
	for (size_t k = 0; k < out->npt; k++) {
		struct sweep_point *p = &out->pt[k];
		mpq_inits(p->factor, p->p.lo, p->p.hi, p->e.lo, p->e.hi, NULL);
	}
	for (size_t k = 0; k < out->npt && ok; k++) {
		struct sweep_point *p = &out->pt[k];
		/* factor = from + k (to - from) / steps, exactly */
		mpq_set_ui(p->factor, (unsigned long)k, steps);
		mpq_canonicalize(p->factor);
		mpq_mul(p->factor, p->factor, span);
		mpq_add(p->factor, p->factor, from);
		set_factor(&si, item, p->factor);
		ok = posterior_range(&si.in, si.d, NULL, &o->lp, &p->p, d) &&
		    posterior_range(&si.in, si.delta, NULL, &o->lp, &p->e, d);
	}
	if (ok && out->npt > 1 && mpq_sgn(out->pt[0].factor) == 0 &&
	    out->pt[0].p.defined)
		mark_jump(&si, item, out->pt, &o->lp);
	mpq_clear(span);
	sweep_in_free(&si);
	return ok;
}

void
sweep_result_free(struct sweep_result *sr)
{
	for (size_t k = 0; k < sr->npt; k++) {
		struct sweep_point *p = &sr->pt[k];
		mpq_clears(p->factor, p->p.lo, p->p.hi, p->e.lo, p->e.hi,
		    NULL);
	}
	free(sr->pt);
	for (size_t k = 0; k < sr->nmarks; k++)
		mpq_clear(sr->marks[k].x);
	free(sr->marks);
}

/* Adds the endpoint 'x' of check 'line' when it lies in the range. */
static void
add_mark(struct sweep_result *sr, mpq_srcptr x, uint32_t line,
    bool holds_above)
{
	mpq_srcptr lo = sr->pt[0].factor, hi = sr->pt[sr->npt - 1].factor;

	if (mpq_sgn(x) == 0 || mpq_cmp(x, lo) < 0 || mpq_cmp(x, hi) > 0)
		return;
	sr->marks = xreallocarray(sr->marks, sr->nmarks + 1,
	    sizeof *sr->marks);
	struct sweep_mark *k = &sr->marks[sr->nmarks++];
	mpq_init(k->x);
	mpq_set(k->x, x);
	k->line = line;
	k->holds_above = holds_above;
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct sweep_mark *u = a, *v = b;
	int c = mpq_cmp(u->x, v->x);

	return c ? c : (u->line > v->line) - (u->line < v->line);
}

bool
sweep_marks(struct sweep_result *sr, const struct result *res,
    uint32_t item, const struct lp_opts *o, struct diag *d)
{
	const struct model *m = res->m;
	bool ok = true;

	for (uint32_t c = 0; c < m->nchecks && ok && sr->npt; c++) {
		if (!thresholds_numeric(&m->checks[c]))
			continue;
		struct threshold_set t;
		threshold_set_init(&t);
		ok = thresholds_of(res, c, item, o, &t, d);
		for (uint32_t k = 0; ok && k < t.npieces; k++) {
			add_mark(sr, t.piece[k].from, m->checks[c].line, true);
			if (!t.piece[k].to_inf)
				add_mark(sr, t.piece[k].to,
				    m->checks[c].line, false);
		}
		threshold_set_clear(&t);
	}
	if (sr->nmarks)
		qsort(sr->marks, sr->nmarks, sizeof *sr->marks, mark_cmp);
	return ok;
}
