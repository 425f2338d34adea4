/*
 * space_obs.c - what each training observation needs, restricted to the
 * training set: its classes, witnesses (slices, or per class the first
 * situation) and, for the kinds that weigh, per-class training mass.
 * The last stage of space_build, after the atom cache; the engines read
 * the tables through obs_mass_over and obs_earliest.
 */
#include "space_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Building                                                           */
/* ------------------------------------------------------------------ */

/*
 * An observation's classes, witness slices or tables and (for the kinds
 * that weigh) per-class mass, from its situations 'te'; false when those
 * weigh 0 in all.
 */
static bool
obs_tables(struct space *sp, struct obs_table *t, const uint64_t *te,
    bool weighs, bool tables, struct weigher *w)
{
	if (sp->sliced) {
		slices_gather(sp, &sp->mem, te, &t->all);
		slices_union(sp, &t->all, t->ce);
		if (bs_subset(te, sp->train_pos, sp->sw)) {
			t->pos = t->all;
		} else {
			uint64_t *p = xreallocarray(NULL, sp->sw, sizeof *p);
			bs_and(p, te, sp->train_pos, sp->sw);
			slices_gather(sp, &sp->mem, p, &t->pos);
			free(p);
		}
	} else {
		for (uint64_t s = t->first_any; s != BS_NONE;
		    s = bs_next(te, sp->sw, s + 1))
			bs_set(t->ce, class_of(sp, s));
	}
	if (!tables)
		return true;
	t->rank = arena_array_uninit(&sp->mem, sp->cw, sizeof *t->rank);
	for (size_t i = 0; i < sp->cw; i++) {
		t->rank[i] = t->ncls;
		t->ncls += (uint64_t)__builtin_popcountll(t->ce[i]);
	}
	space_csum(&sp->mem, &t->mass, weighs ? t->ncls : 0, w->big);
	if (!sp->sliced) {
		t->first = arena_array_uninit(&sp->mem, t->ncls,
		    sizeof *t->first);
		t->firstpos = arena_array_uninit(&sp->mem, t->ncls,
		    sizeof *t->firstpos);
		memset(t->first, 0xff, t->ncls * sizeof *t->first);
		memset(t->firstpos, 0xff, t->ncls * sizeof *t->firstpos);
	}
	mpz_t x;
	uint32_t tick = 0;
	mpz_init(x);
	for (uint64_t s = t->first_any; s != BS_NONE && !stop_now(&tick);
	    s = bs_next(te, sp->sw, s + 1)) {
		uint64_t k = obs_rank(t, class_of(sp, s));
		if (t->first && t->first[k] == BS_NONE)
			t->first[k] = s;
		if (!bs_test(sp->train_pos, s))
			continue;
		if (t->firstpos && t->firstpos[k] == BS_NONE)
			t->firstpos[k] = s;
		if (!weighs)
			continue;
		if (w->big) {
			weigh_mpz(w, s, x);
			mpz_add(t->mass.z[k], t->mass.z[k], x);
		} else {
			uint64_t v = weigh_u64(w, s);
			t->mass.v[k] += v;
			mpz_set_ui(x, v);
		}
		mpz_add(t->total, t->total, x);
	}
	mpz_clear(x);
	return !weighs || mpz_sgn(t->total) != 0;
}

/* Whether evidence of kind 'k' weighs its situations (T(s) enters). */
static bool
weighs_situations(enum evidence_kind k)
{
	switch (k) {
	case EVID_ALWAYS:
		return false;	/* a constraint: it refutes or not */
	case EVID_COUNTS:
	case EVID_AT_LEAST:
	case EVID_AT_MOST:
		return true;	/* q is a T-weighted rate */
	}
	internal_error();
}

/*
 * The tables of one training observation: its situations and classes;
 * witnesses as slices (or, not sliced, per class); the per-class mass
 * only for the kinds that weigh (counts and rates).
 */
bool
obs_build(struct space *sp, const struct observation *o,
    struct obs_table *t, struct weigher *w, struct diag *d)
{
	bool weighs = weighs_situations(o->kind);
	bool tables = weighs || !sp->sliced;
	uint64_t *te = space_compile(sp, o->expr, false);

	bs_and(te, te, sp->train, sp->sw);
	space_mpz_init(&sp->mem, t->total, 1);
	t->ce = arena_array(&sp->mem, sp->cw, sizeof *t->ce);
	t->first_any = bs_next(te, sp->sw, 0);
	if (t->first_any == BS_NONE) {
		diag_error(d, o->loc, "this observation matches no training "
		    "situation");
		free(te);
		return false;
	}
	bool ok = obs_tables(sp, t, te, weighs, tables, w);
	free(te);
	if (!ok && !deadline_expired())
		diag_error(d, o->loc, "every training situation this "
		    "observation matches has weight 0");
	return ok;
}

/* ------------------------------------------------------------------ */
/* Queries                                                            */
/* ------------------------------------------------------------------ */

bool
obs_covers(const struct space *sp, uint32_t k, uint64_t s)
{
	return bs_test(sp->train, s) &&
	    space_eval(sp, sp->m->training.obs[k].expr, s);
}

uint64_t *
obs_situations(const struct space *sp, uint32_t k)
{
	uint64_t *te = space_compile(sp, sp->m->training.obs[k].expr, false);

	bs_and(te, te, sp->train, sp->sw);
	return te;
}

void
obs_mass_over(const struct space *sp, const struct obs_table *t,
    const uint64_t *bits, mpz_t out)
{
	u128 acc = 0;

	mpz_set_ui(out, 0);
	for (size_t w = 0; w < sp->cw; w++)
		for (uint64_t word = bits[w] & t->ce[w]; word;
		    word &= word - 1) {
			uint64_t c = w * 64 + (uint64_t)__builtin_ctzll(word);
			uint64_t k = obs_rank(t, c);
			if (t->mass.big)
				mpz_add(out, out, t->mass.z[k]);
			else
				acc += t->mass.v[k];
		}
	if (!t->mass.big)
		u128_to_mpz(out, acc);
}

uint64_t
obs_earliest(const struct space *sp, const struct obs_table *t,
    const uint64_t *bits, bool positive)
{
	if (!t->first)
		return bs_intersects(bits, t->ce, sp->cw) ? slices_first(sp,
		    positive ? &t->pos : &t->all, bits) : BS_NONE;
	const uint64_t *first = positive ? t->firstpos : t->first;
	uint64_t best = BS_NONE;

	for (size_t w = 0; w < sp->cw; w++)
		for (uint64_t word = bits[w] & t->ce[w]; word;
		    word &= word - 1) {
			uint64_t c = w * 64 + (uint64_t)__builtin_ctzll(word);
			uint64_t s = first[obs_rank(t, c)];
			if (s < best)
				best = s;
		}
	return best;
}

/* ------------------------------------------------------------------ */
/* Per action: the 'always' observations of the others                */
/* ------------------------------------------------------------------ */

void
obs_always_other(struct space *sp)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	bool any = false;

	for (uint32_t k = 0; k < m->training.nobs; k++)
		any |= m->training.obs[k].kind == EVID_ALWAYS;
	if (!any)
		return;
	sp->always_other = arena_array(&sp->mem, na,
	    sizeof *sp->always_other);
	for (uint32_t a = 0; a < na; a++) {
		sp->always_other[a] = arena_array(&sp->mem, sp->cw,
		    sizeof **sp->always_other);
		for (uint32_t k = 0; k < m->training.nobs; k++) {
			const struct observation *o = &m->training.obs[k];
			if (o->kind == EVID_ALWAYS && !o->out.in[a])
				bs_or(sp->always_other[a], sp->always_other[a],
				    sp->obs[k].ce, sp->cw);
		}
	}
}
