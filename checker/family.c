/*
 * family.c - exact counting over families.  A member is one action per
 * cell; cells are independent, so with allowed(c) the actions training
 * leaves in cell c and good(c) those that never diverge there:
 *   members    = |A'| ^ cells
 *   consistent = prod_c |allowed(c)|
 *   diverging  = consistent - prod_c |allowed(c) & good(c)|
 * and the mean divergence over consistent members is the sum over cells
 * of the mean bad deployment mass of an allowed action.
 */
#include "family.h"

#include <stdlib.h>
#include <string.h>

struct cells {
	uint64_t n;		/* number of cells */
	uint64_t *of_class;	/* class -> cell */
};

/* Cells in canonical order: the family's features in declaration order. */
static void
cells_build(struct cells *cl, const struct space *sp, const struct entity *e)
{
	const struct model *m = sp->m;
	uint64_t *stride = xcalloc(m->nfeatures + 1, sizeof *stride);
	uint64_t st = 1;

	for (uint32_t j = e->nover; j-- > 0;) {
		stride[e->over[j]] = st;
		st *= m->features[e->over[j]].nvalues;
	}
	cl->n = st;
	cl->of_class = xreallocarray(NULL, sp->ncls, sizeof *cl->of_class);
	for (uint64_t c = 0; c < sp->ncls; c++) {
		uint64_t cell = 0;
		for (uint32_t j = 0; j < e->nover; j++) {
			uint32_t f = e->over[j];
			uint64_t digit = (c / sp->cstride[f]) %
			    m->features[f].nvalues;
			cell += digit * stride[f];
		}
		cl->of_class[c] = cell;
	}
	free(stride);
}

/* The smallest action in declaration order with flag set, or NONE. */
static uint32_t
first_of(const bool *set, uint32_t na)
{
	for (uint32_t a = 0; a < na; a++)
		if (set[a])
			return a;
	return NONE;
}

/*
 * Applies the 'always' observations in file order: each narrows the
 * allowed actions of the cells it covers to its outcome (allow: cells x
 * actions, starting as the family's).  On the first that leaves a cell
 * nothing, fills the refutation (SPEC 6.2) and returns false.
 */
static bool
narrow(const struct space *sp, const struct cells *cl, bool *allow,
    struct entity_result *r)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;

	for (uint32_t k = 0; k < m->training.nobs; k++) {
		const struct observation *o = &m->training.obs[k];
		const struct obs_table *t = &sp->obs[k];
		uint64_t bad = BS_NONE;

		/* Families meet 'always' evidence only (sema refuses the
		 * rest with a family in the file). */
		switch (o->kind) {
		case EVID_ALWAYS:
			break;
		case EVID_COUNTS:
		case EVID_AT_LEAST:
		case EVID_AT_MOST:
			internal_error();
		}
		uint64_t *te = obs_situations(sp, k);
		for (uint64_t s = bs_next(te, sp->sw, 0); s != BS_NONE;
		    s = bs_next(te, sp->sw, s + 1)) {
			const bool *al = &allow[cl->of_class[space_class(sp,
			    s)] * na];
			bool meet = false;
			for (uint32_t j = 0; j < o->out.n && !meet; j++)
				meet = al[o->out.acts[j]];
			if (!meet) {
				bad = s;
				break;
			}
		}
		free(te);
		if (bad != BS_NONE) {
			uint64_t cell = cl->of_class[space_class(sp, bad)];
			r->consistent = false;
			r->refuted_by = k;
			r->refutation.sit = bad;
			r->refutation.action = first_of(&allow[cell * na], na);
			return false;
		}
		for (uint64_t c = bs_next(t->ce, sp->cw, 0); c != BS_NONE;
		    c = bs_next(t->ce, sp->cw, c + 1)) {
			bool *al = &allow[cl->of_class[c] * na];
			for (uint32_t a = 0; a < na; a++)
				al[a] = al[a] && o->out.in[a];
		}
	}
	return true;
}

/* prod_k k^pow[k] into 'out'. */
static void
product(mpz_t out, const uint64_t *pow, uint32_t na)
{
	mpz_t t;

	mpz_init(t);
	mpz_set_ui(out, 1);
	for (uint32_t k = 0; k <= na; k++) {
		if (!pow[k] || k == 1)
			continue;
		mpz_ui_pow_ui(t, k, (unsigned long)pow[k]);
		mpz_mul(out, out, t);
	}
	mpz_clear(t);
}

/*
 * The mean divergence over the consistent members: per cell, the mean
 * over its allowed actions of their bad deployment mass, summed over
 * cells, over Z.  The means are summed as integers over the common
 * denominator lcm(1..|A|), so a family of 2^16 cells costs one small
 * multiply-add per cell, not a rational sum.
 */
static void
mean_divergence(const struct space *sp, const struct cells *cl,
    const bool *allow, mpq_t out)
{
	uint32_t na = sp->m->nactions;
	bool big = sp->bad.big;
	mpz_t lcm, total, cell, *share;
	mpz_t *zmass = NULL;
	uint64_t *mass = NULL;

	mpz_inits(lcm, total, cell, NULL);
	mpz_set_ui(lcm, 1);
	for (uint32_t k = 2; k <= na; k++)
		mpz_lcm_ui(lcm, lcm, k);
	share = xreallocarray(NULL, na + 1, sizeof *share);
	for (uint32_t k = 1; k <= na; k++) {
		mpz_init(share[k]);
		mpz_divexact_ui(share[k], lcm, k);	/* lcm / k */
	}
	/* Bad mass per cell and action: the cell's classes summed. */
	if (big) {
		zmass = xreallocarray(NULL, cl->n * na + 1, sizeof *zmass);
		for (uint64_t i = 0; i < cl->n * na; i++)
			mpz_init(zmass[i]);
	} else {
		mass = xcalloc(cl->n * na + 1, sizeof *mass);
	}
	for (uint32_t a = 0; a < na; a++)
		for (uint64_t c = bs_next(sp->bad_cls[a], sp->cw, 0);
		    c != BS_NONE; c = bs_next(sp->bad_cls[a], sp->cw, c + 1)) {
			uint64_t i = c * na + a, j = cl->of_class[c] * na + a;
			if (big)
				mpz_add(zmass[j], zmass[j], sp->bad.z[i]);
			else
				mass[j] += sp->bad.v[i];
		}
	for (uint64_t c = 0; c < cl->n; c++) {
		uint32_t nallow = 0;
		__extension__ unsigned __int128 acc = 0;
		mpz_set_ui(cell, 0);
		for (uint32_t a = 0; a < na; a++) {
			if (!allow[c * na + a])
				continue;
			nallow++;
			if (big)
				mpz_add(cell, cell, zmass[c * na + a]);
			else
				acc += mass[c * na + a];
		}
		if (!big) {
			if (acc == 0)
				continue;
			mpz_set_ui(cell, (unsigned long)(uint64_t)(acc >> 64));
			mpz_mul_2exp(cell, cell, 64);
			mpz_add_ui(cell, cell, (unsigned long)(uint64_t)acc);
		}
		if (nallow && mpz_sgn(cell))
			mpz_addmul(total, cell, share[nallow]);
	}
	/* out = total / (lcm * Z) */
	mpq_set_z(out, total);
	mpz_mul(lcm, lcm, sp->zdeploy);
	mpq_set_den(out, lcm);
	mpq_canonicalize(out);
	for (uint32_t k = 1; k <= na; k++)
		mpz_clear(share[k]);
	free(share);
	if (zmass)
		for (uint64_t i = 0; i < cl->n * na; i++)
			mpz_clear(zmass[i]);
	free(zmass);
	free(mass);
	mpz_clears(lcm, total, cell, NULL);
}

void
family_judge(const struct space *sp, const struct entity *e,
    struct entity_result *r)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions, nfa = 0;
	struct cells cl;

	cells_build(&cl, sp, e);
	r->ncells = cl.n;
	r->refuted_by = NONE;
	r->refutation =
	    (struct refutation){ BS_NONE, NONE, NONE, BS_NONE, NONE };
	r->witness.sit = BS_NONE;
	r->witness_rule = NONE;
	r->consistent = true;
	for (uint32_t a = 0; a < na; a++)
		nfa += e->fam_actions[a];
	mpz_ui_pow_ui(r->members, nfa, (unsigned long)cl.n);
	r->first_member = xreallocarray(NULL, cl.n ? cl.n : 1,
	    sizeof *r->first_member);
	for (uint64_t c = 0; c < cl.n; c++)
		r->first_member[c] = first_of(e->fam_actions, na);

	bool *allow = xreallocarray(NULL, cl.n * na + 1, sizeof *allow);
	for (uint64_t c = 0; c < cl.n; c++)
		memcpy(&allow[c * na], e->fam_actions, na * sizeof *allow);
	if (!narrow(sp, &cl, allow, r) || nfa == 0) {
		if (nfa == 0 && r->consistent) {
			/* No actions at all: no member, refuted by nothing. */
			r->consistent = false;
		}
		mpz_set_ui(r->consistent_members, 0);
		mpz_set_ui(r->diverging_members, 0);
		mpq_set_ui(r->likelihood, 0, 1);
		r->has_divergence = m->has_intended;
		r->divergence_undefined = true;
		r->diverges = false;
		free(allow);
		free(cl.of_class);
		return;
	}

	/* Per cell: allowed actions, and the bad deployment mass of each. */
	bool *bad = xcalloc(cl.n * na + 1, sizeof *bad);
	r->cons_pow = xcalloc(na + 1, sizeof *r->cons_pow);
	r->nondiv_pow = xcalloc(na + 1, sizeof *r->nondiv_pow);
	r->first_consistent = xreallocarray(NULL, cl.n, sizeof(uint32_t));
	r->has_divergence = m->has_intended;
	if (m->has_intended)
		for (uint32_t a = 0; a < na; a++)
			for (uint64_t c = bs_next(sp->bad_cls[a], sp->cw, 0);
			    c != BS_NONE;
			    c = bs_next(sp->bad_cls[a], sp->cw, c + 1))
				bad[cl.of_class[c] * na + a] = true;
	uint64_t last_bad = BS_NONE;
	for (uint64_t c = 0; c < cl.n; c++) {
		uint32_t nallow = 0, ngood = 0;
		for (uint32_t a = 0; a < na; a++) {
			bool allowed = allow[c * na + a];
			nallow += allowed;
			ngood += allowed && !bad[c * na + a];
		}
		r->cons_pow[nallow]++;
		r->nondiv_pow[ngood]++;
		if (ngood < nallow)
			last_bad = c;
		r->first_consistent[c] = first_of(&allow[c * na], na);
	}
	product(r->consistent_members, r->cons_pow, na);
	mpz_t nondiv;
	mpz_init(nondiv);
	product(nondiv, r->nondiv_pow, na);
	mpz_sub(r->diverging_members, r->consistent_members, nondiv);
	mpz_clear(nondiv);
	mpq_set_num(r->likelihood, r->consistent_members);
	mpq_set_den(r->likelihood, r->members);
	mpq_canonicalize(r->likelihood);
	r->log_likelihood = rational_log(r->likelihood);
	if (!m->has_intended)
		goto out;

	/* Diverging share, and the mean divergence: per cell, the mean
	 * over allowed actions of their bad mass, summed, over Z. */
	mpq_set_num(r->share, r->diverging_members);
	mpq_set_den(r->share, r->consistent_members);
	mpq_canonicalize(r->share);
	r->diverges = mpz_sgn(r->diverging_members) > 0;
	mean_divergence(sp, &cl, allow, r->divergence);
	if (last_bad == BS_NONE)
		goto out;

	/* The lexicographically first diverging member: the smallest
	 * allowed action everywhere, except that the last cell that can
	 * diverge must, if nothing earlier already did. */
	r->first_diverging = xreallocarray(NULL, cl.n, sizeof(uint32_t));
	bool diverged = false;
	for (uint64_t c = 0; c < cl.n; c++) {
		uint32_t pick = NONE;
		for (uint32_t a = 0; a < na && pick == NONE; a++) {
			if (allow[c * na + a] && (diverged || c != last_bad ||
			    bad[c * na + a]))
				pick = a;
		}
		r->first_diverging[c] = pick;
		diverged |= bad[c * na + pick];
	}
	/* Its divergence witness (SPEC 4.4), as for a character. */
	uint64_t best = BS_NONE;
	for (uint64_t c = 0; c < sp->ncls; c++) {
		uint32_t a = r->first_diverging[cl.of_class[c]];
		uint64_t s = sp->bad_first[c * na + a];
		if (s < best)
			best = s;
	}
	if (best != BS_NONE) {
		r->witness.sit = best;
		r->witness.action = r->first_diverging[
		    cl.of_class[space_class(sp, best)]];
		r->witness_rule = space_intended(sp, best);
	}
out:
	free(bad);
	free(allow);
	free(cl.of_class);
}
