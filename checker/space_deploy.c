/*
 * space_deploy.c - the intended behaviour and what deployment costs each
 * action: per intended rule the situations it decides, per action the
 * classes where it is not intended, and its bad deployment mass as sum
 * terms (levels) or per-class tables, with the witnesses (space_int.h,
 * switch 5).  Runs after the sets are weighed, before the atom cache.
 */
#include "space_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Intended behaviour                                                 */
/* ------------------------------------------------------------------ */

uint32_t
space_intended(const struct space *sp, uint64_t s)
{
	const struct model *m = sp->m;

	if (sp->ifire) {
		for (uint32_t r = 0; r < m->nintended; r++)
			if (bs_test(sp->ifire[r], s))
				return r;
		return NONE;
	}
	for (uint32_t r = 0; r < m->nintended; r++)
		if (!m->intended[r].guard ||
		    space_eval(sp, m->intended[r].guard, s))
			return r;
	return NONE;
}

/* The situations each intended rule decides, and the
 * uncovered-deployment error. */
bool
deploy_intended(struct space *sp, struct diag *d)
{
	const struct model *m = sp->m;
	uint64_t *covered = xcalloc(sp->sw, sizeof *covered);
	uint64_t *fire = xcalloc(sp->sw, sizeof *fire);
	bool ok = true;

	sp->ifire = arena_array(&sp->mem, m->nintended, sizeof *sp->ifire);
	for (uint32_t r = 0; r < m->nintended; r++) {
		const struct intended_rule *ir = &m->intended[r];
		uint64_t *g;
		if (ir->guard) {
			g = guard_in(sp, &sp->mem, ir->guard, false);
		} else {
			g = arena_array(&sp->mem, sp->sw, sizeof *g);
			bs_fill(g, sp->nsit);
		}
		for (size_t i = 0; i < sp->sw; i++) {
			g[i] &= ~covered[i];
			covered[i] |= g[i];
		}
		sp->ifire[r] = g;
	}
	bs_andnot(fire, sp->deploy, covered, sp->sw);
	uint64_t s = bs_next(fire, sp->sw, 0);
	if (s != BS_NONE) {
		struct arena a = { 0 };
		diag_error(d, m->intended_loc, "'intended' does not cover "
		    "deployment situation %s", space_sit_text(sp, &a, s));
		arena_free(&a);
		ok = false;
	}
	free(fire);
	free(covered);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Bad mass: per-class tables and levels                              */
/* ------------------------------------------------------------------ */

/* The positive-weight deployment situations where 'a' is not intended. */
static void
bad_sits(const struct space *sp, uint32_t a, uint64_t *out)
{
	const struct model *m = sp->m;

	memset(out, 0, sp->sw * sizeof *out);
	for (uint32_t r = 0; r < m->nintended; r++)
		if (!m->intended[r].accept[a])
			bs_or(out, out, sp->ifire[r], sp->sw);
	bs_and(out, out, sp->deploy_pos, sp->sw);
}

/*
 * Per class x action: the D-weight where the action is not intended and
 * its first situation, situation by situation; and (not sliced) the
 * classes per action in the order of their first bad situation.
 */
static void
build_bad_tables(struct space *sp, struct weigher *w)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	uint64_t n = sp->ncls * na;
	mpz_t x;

	space_csum(&sp->mem, &sp->bad, n, w->big);
	sp->bad_first = arena_array_uninit(&sp->mem, n,
	    sizeof *sp->bad_first);
	memset(sp->bad_first, 0xff, n * sizeof *sp->bad_first);
	for (uint32_t a = 0; a < na && !sp->sliced; a++)
		sp->bad_order[a] = arena_array_uninit(&sp->mem, sp->ncls,
		    sizeof **sp->bad_order);
	uint32_t tick = 0;
	mpz_init(x);
	for (uint64_t s = bs_next(sp->deploy_pos, sp->sw, 0); s != BS_NONE &&
	    !stop_now(&tick); s = bs_next(sp->deploy_pos, sp->sw, s + 1)) {
		const bool *acc = m->intended[space_intended(sp, s)].accept;
		uint64_t c = class_of(sp, s), ws = 0;
		if (w->big)
			weigh_mpz(w, s, x);
		else
			ws = weigh_u64(w, s);
		for (uint32_t a = 0; a < na; a++) {
			if (acc[a])
				continue;
			uint64_t i = c * na + a;
			if (w->big)
				mpz_add(sp->bad.z[i], sp->bad.z[i], x);
			else
				sp->bad.v[i] += ws;
			/* Situations come in order: classes enter the witness
			 * order by their first bad situation. */
			if (sp->bad_first[i] == BS_NONE) {
				sp->bad_first[i] = s;
				bs_set(sp->bad_cls[a], c);
				if (!sp->sliced)
					sp->bad_order[a][sp->nbad_order[a]++] =
					    (uint32_t)c;
			}
		}
	}
	mpz_clear(x);
}

/*
 * Sum terms of one action's bad mass: sum_l value[l] * |bits & bits[l]|
 * over a class set is its bad mass (the sets may overlap).  n ==
 * LEVELS_NONE: too many terms, space_bad_sum reads the table instead.
 */
#define MAX_LEVELS 64
#define LEVELS_NONE UINT32_MAX

struct levels {
	uint32_t n;
	uint64_t value[MAX_LEVELS];
	uint64_t *bits[MAX_LEVELS];
};

/* Adds a term, its class set copied to the heap; false when full. */
static bool
add_level(struct levels *lv, uint64_t value, const uint64_t *bits, size_t cw)
{
	if (!bs_any(bits, cw))
		return true;
	for (uint32_t l = 0; l < lv->n; l++)
		if (!memcmp(lv->bits[l], bits, cw * sizeof *bits) &&
		    lv->value[l] <= UINT64_MAX - value) {
			lv->value[l] += value;
			return true;
		}
	if (lv->n == MAX_LEVELS)
		return false;
	lv->value[lv->n] = value;
	lv->bits[lv->n] = xreallocarray(NULL, cw, sizeof *bits);
	memcpy(lv->bits[lv->n++], bits, cw * sizeof *bits);
	return true;
}

/*
 * The terms' sets are heap memory, since only a finished attempt is kept:
 * when 'ok' sp->mem takes them over, else they go and the action falls
 * back to the per-class table.
 */
static void
keep_levels(struct space *sp, struct levels *lv, bool ok)
{
	for (uint32_t l = 0; l < lv->n; l++)
		if (ok)
			arena_defer(&sp->mem, free, lv->bits[l]);
		else
			free(lv->bits[l]);
	if (!ok)
		lv->n = LEVELS_NONE;
}

/*
 * Sliced, with weight patterns: the bad mass of class c is
 * sum_k pval[k] * #{h : c bad in h and of pattern k}.  The counts are
 * kept bit-sliced (a ripple-carry add of each hidden assignment's class
 * set, word by word), so term (k, b) is value pval[k] * 2^b over the
 * classes whose count has bit b.  False when the terms do not fit.
 */
#define COUNT_BITS 7		/* counts up to SPACE_SLICES */

static bool
levels_sliced(struct space *sp, uint32_t a, const struct slices *pat,
    const struct weigher *w)
{
	struct levels *lv = &sp->lev[a];
	const struct slices *bad = &sp->bad_sl[a];
	size_t cw = sp->cw;
	uint32_t nb = 1;
	uint64_t *cnt = xcalloc(COUNT_BITS * cw, sizeof *cnt);
	bool ok = true;

	while (nb < COUNT_BITS && ((uint64_t)1 << nb) <= sp->nh)
		nb++;
	for (uint32_t k = 0; k < w->npat && ok; k++) {
		if (!w->pval[k])
			continue;
		/* The hidden assignments where both rows are stored. */
		const uint64_t *ra[SPACE_SLICES], *rb[SPACE_SLICES];
		uint32_t nr = 0;
		for (uint64_t h = 0; h < sp->nh; h++)
			if (bad->row[h] && pat[k].row[h]) {
				ra[nr] = bad->row[h];
				rb[nr++] = pat[k].row[h];
			}
		for (size_t i = 0; i < cw; i++) {
			uint64_t acc[COUNT_BITS] = { 0 };
			for (uint32_t r = 0; r < nr; r++) {
				uint64_t carry = ra[r][i] & rb[r][i];
				for (uint32_t b = 0; b < nb && carry; b++) {
					uint64_t t = acc[b] & carry;
					acc[b] ^= carry;
					carry = t;
				}
			}
			for (uint32_t b = 0; b < nb; b++)
				cnt[b * cw + i] = acc[b];
		}
		for (uint32_t b = 0; b < nb && ok; b++)
			ok = w->pval[k] <= UINT64_MAX >> b &&
			    add_level(lv, w->pval[k] << b, cnt + b * cw, cw);
	}
	free(cnt);
	keep_levels(sp, lv, ok);
	return ok;
}

/* Levels from the per-class table: classes grouped by their bad mass. */
static void
levels_from_table(struct space *sp, uint32_t a)
{
	uint32_t na = sp->m->nactions;
	struct levels *lv = &sp->lev[a];
	uint64_t *one = xcalloc(sp->cw, sizeof *one);
	bool ok = !sp->bad.big;

	/* Distinct values first, then each one's class set. */
	uint64_t value[MAX_LEVELS];
	uint32_t nv = 0;
	for (uint64_t c = bs_next(sp->bad_cls[a], sp->cw, 0);
	    c != BS_NONE && ok; c = bs_next(sp->bad_cls[a], sp->cw, c + 1)) {
		uint64_t v = sp->bad.v[c * na + a];
		uint32_t l = 0;
		while (l < nv && value[l] != v)
			l++;
		if (l == nv) {
			ok = nv < MAX_LEVELS;
			if (ok)
				value[nv++] = v;
		}
	}
	for (uint32_t l = 0; l < nv && ok; l++) {
		memset(one, 0, sp->cw * sizeof *one);
		for (uint64_t c = bs_next(sp->bad_cls[a], sp->cw, 0);
		    c != BS_NONE; c = bs_next(sp->bad_cls[a], sp->cw, c + 1))
			if (sp->bad.v[c * na + a] == value[l])
				bs_set(one, c);
		ok = add_level(lv, value[l], one, sp->cw);
	}
	free(one);
	keep_levels(sp, lv, ok);
}

static bool
has_family(const struct model *m)
{
	for (uint32_t i = 0; i < m->nentities; i++)
		if (m->entities[i].kind == ENT_FAMILY)
			return true;
	return false;
}

/*
 * What the engines read about deployment: per action the classes with
 * bad mass, sum terms for its bad mass, and witnesses (slices, or the
 * per-class tables, which families also read).
 */
void
deploy_bad(struct space *sp, struct weigher *w)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	bool tables = !sp->sliced || !w->npat || has_family(m);

	sp->bad_cls = arena_array(&sp->mem, na, sizeof *sp->bad_cls);
	sp->bad_order = arena_array(&sp->mem, na, sizeof *sp->bad_order);
	sp->nbad_order = arena_array(&sp->mem, na, sizeof *sp->nbad_order);
	sp->lev = arena_array(&sp->mem, na, sizeof *sp->lev);
	for (uint32_t a = 0; a < na; a++)
		sp->bad_cls[a] = arena_array(&sp->mem, sp->cw,
		    sizeof **sp->bad_cls);
	bool *done = xcalloc(na, sizeof *done);
	if (sp->sliced) {
		/* The patterns' slices serve the levels alone. */
		struct arena tmp = { 0 };
		struct slices pat[1u << WEIGHER_PATTERN_LINES] = { { 0 } };
		uint64_t *bad = xreallocarray(NULL, sp->sw, sizeof *bad);
		for (uint32_t k = 0; k < w->npat; k++)
			if (w->pval[k])
				slices_gather(sp, &tmp, w->pat[k], &pat[k]);
		sp->bad_sl = arena_array(&sp->mem, na, sizeof *sp->bad_sl);
		for (uint32_t a = 0; a < na; a++) {
			bad_sits(sp, a, bad);
			slices_gather(sp, &sp->mem, bad, &sp->bad_sl[a]);
			slices_union(sp, &sp->bad_sl[a], sp->bad_cls[a]);
			if (w->npat) {
				done[a] = levels_sliced(sp, a, pat, w);
				tables |= !done[a];
			}
		}
		arena_free(&tmp);
		free(bad);
	}
	if (tables)
		build_bad_tables(sp, w);
	for (uint32_t a = 0; a < na; a++)
		if (!done[a]) {
			sp->lev[a].n = 0;
			levels_from_table(sp, a);
		}
	free(done);
}

/* ------------------------------------------------------------------ */
/* Queries                                                            */
/* ------------------------------------------------------------------ */

void
space_bad_sum(const struct space *sp, uint32_t a, const uint64_t *bits,
    mpz_t out)
{
	const struct levels *lv = &sp->lev[a];

	if (lv->n == LEVELS_NONE) {
		csum_over(&sp->bad, sp->m->nactions, a, bits, sp->cw, out);
		return;
	}
	u128 acc = 0;
	for (uint32_t l = 0; l < lv->n; l++) {
		uint64_t cnt = 0;
		for (size_t w = 0; w < sp->cw; w++)
			cnt += (uint64_t)__builtin_popcountll(bits[w] &
			    lv->bits[l][w]);
		acc += (u128)cnt * lv->value[l];
	}
	u128_to_mpz(out, acc);
}

uint64_t
space_bad_first(const struct space *sp, uint32_t a, const uint64_t *bits)
{
	uint32_t na = sp->m->nactions;

	if (sp->bad_sl)
		return slices_first(sp, &sp->bad_sl[a], bits);
	uint64_t n = bs_count(bits, sp->cw), best = BS_NONE;

	/* A sparse set: look at its classes.  A dense one: walk the classes
	 * in witness order until one is in the set. */
	if (n * 16 < sp->nbad_order[a]) {
		for (uint64_t c = bs_next(bits, sp->cw, 0); c != BS_NONE;
		    c = bs_next(bits, sp->cw, c + 1))
			if (sp->bad_first[c * na + a] < best)
				best = sp->bad_first[c * na + a];
		return best;
	}
	for (uint64_t k = 0; k < sp->nbad_order[a]; k++) {
		uint32_t c = sp->bad_order[a][k];
		if (bs_test(bits, c))
			return sp->bad_first[(uint64_t)c * na + a];
	}
	return BS_NONE;
}
