/*
 * space_guard.c - expressions over the situation space: evaluated at one
 * situation, or compiled to a bitset over situations or classes, atom by
 * atom as tiled bit runs.  The atom cache keeps the class bitsets of the
 * characters' guards, so that a rule's guard becomes a plan of a few
 * word-wise ANDs (space_int.h, switch 6).
 */
#include "space_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Bit runs                                                           */
/* ------------------------------------------------------------------ */

void
bs_set_range(uint64_t *b, uint64_t lo, uint64_t hi)
{
	if (lo >= hi)
		return;
	uint64_t wlo = lo / 64, whi = (hi - 1) / 64;
	uint64_t mlo = ~(uint64_t)0 << (lo % 64);
	uint64_t mhi = ~(uint64_t)0 >> (63 - (hi - 1) % 64);

	if (wlo == whi) {
		b[wlo] |= mlo & mhi;
		return;
	}
	b[wlo] |= mlo;
	for (uint64_t w = wlo + 1; w < whi; w++)
		b[w] = ~(uint64_t)0;
	b[whi] |= mhi;
}

void
bs_fill(uint64_t *b, uint64_t nbits)
{
	bs_set_range(b, 0, nbits);
}

/*
 * The atom's bits repeat every stride * size positions: build one period
 * (rounded up to whole words) bit-run by bit-run, then tile it word by
 * word.
 */
void
atom_fill(uint64_t *b, uint64_t n, uint64_t stride, uint32_t size,
    const bool *allowed)
{
	uint64_t period = stride * size;
	uint64_t tile = period;

	/* A tile that is a whole number of words: lcm(period, 64). */
	while (tile % 64)
		tile += period;
	if (stride >= 64 || tile >= n) {
		for (uint64_t r = 0; r * stride < n; r++)
			if (allowed[r % size]) {
				uint64_t hi = (r + 1) * stride;
				bs_set_range(b, r * stride, hi < n ? hi : n);
			}
		return;
	}
	for (uint64_t r = 0; r * stride < tile; r++)
		if (allowed[r % size])
			bs_set_range(b, r * stride, (r + 1) * stride);
	size_t tw = (size_t)(tile / 64), nw = bs_words(n);
	for (size_t w = tw; w < nw; w++)
		b[w] = b[w - tw];
	if (n % 64)
		b[nw - 1] &= ~(uint64_t)0 >> (64 - n % 64);
}

/* ------------------------------------------------------------------ */
/* Expressions                                                        */
/* ------------------------------------------------------------------ */

bool
space_eval(const struct space *sp, const struct expr *x, uint64_t s)
{
	switch (x->kind) {
	case X_TRUE: return true;
	case X_FALSE: return false;
	case X_ATOM: return x->allowed[value_of(sp, s, x->feature)];
	case X_NOT: return !space_eval(sp, x->kids[0], s);
	case X_AND:
		for (uint32_t i = 0; i < x->nkids; i++)
			if (!space_eval(sp, x->kids[i], s))
				return false;
		return true;
	case X_OR:
		for (uint32_t i = 0; i < x->nkids; i++)
			if (space_eval(sp, x->kids[i], s))
				return true;
		return false;
	}
	internal_error();
}

/* ------------------------------------------------------------------ */
/* The atom cache                                                     */
/* ------------------------------------------------------------------ */

/* The cache's key of atom 'x': its allowed values as a mask; false when
 * the feature has too many values to fit one. */
static bool
atom_key(const struct space *sp, const struct expr *x, uint64_t *mask)
{
	const struct feature *f = &sp->m->features[x->feature];

	if (f->nvalues > 64)
		return false;
	*mask = 0;
	for (uint32_t v = 0; v < f->nvalues; v++)
		if (x->allowed[v])
			*mask |= (uint64_t)1 << v;
	return *mask != 0;
}

/* The slot of (feature, mask): its own, or the empty one it would take. */
static uint32_t
atom_slot(const struct atom_cache *ac, uint32_t feature, uint64_t mask)
{
	uint64_t h = (mask ^ ((uint64_t)feature << 40)) *
	    0x9e3779b97f4a7c15ull;
	uint32_t i = (uint32_t)(h >> 32) & (ac->cap - 1);

	while (ac->mask[i] &&
	    (ac->mask[i] != mask || ac->feature[i] != feature))
		i = (i + 1) & (ac->cap - 1);
	return i;
}

static const uint64_t *
atom_bits(const struct space *sp, const struct expr *x)
{
	const struct atom_cache *ac = sp->atoms;
	uint64_t mask;

	if (!ac || !atom_key(sp, x, &mask))
		return NULL;
	return ac->bits[atom_slot(ac, x->feature, mask)];
}

static void compile_into(const struct space *sp, const struct expr *x,
    bool over_cls, uint64_t *out);

/* Adds the visible atoms of 'x' to the cache, while it has room. */
static void
cache_expr(struct space *sp, const struct expr *x)
{
	struct atom_cache *ac = sp->atoms;
	uint64_t mask;

	if (x->kind != X_ATOM) {
		for (uint32_t k = 0; k < x->nkids; k++)
			cache_expr(sp, x->kids[k]);
		return;
	}
	if (!atom_key(sp, x, &mask) || !sp->m->features[x->feature].visible)
		return;
	uint32_t i = atom_slot(ac, x->feature, mask);
	if (ac->mask[i] || 2 * (ac->n + 1) > ac->cap ||
	    (uint64_t)(ac->n + 1) * sp->cw * 8 > ATOM_CACHE_BYTES)
		return;
	/* Compiled before it enters the table (compile_into reads it). */
	size_t cw = sp->cw, nsum = bs_words(cw);
	uint64_t *b = arena_array(&sp->mem, cw + 2 * nsum, sizeof *b);
	uint64_t last = sp->ncls % 64 ? ~(uint64_t)0 >> (64 - sp->ncls % 64) :
	    ~(uint64_t)0;
	compile_into(sp, x, true, b);
	for (size_t w = 0; w < cw; w++) {
		if (b[w])
			bs_set(b + cw, w);
		if (b[w] != (w + 1 == cw ? last : ~(uint64_t)0))
			bs_set(b + cw + nsum, w);
	}
	ac->bits[i] = b;
	ac->feature[i] = x->feature;
	ac->mask[i] = mask;
	ac->n++;
}

void
atom_cache_build(struct space *sp)
{
	const struct model *m = sp->m;
	uint64_t natoms = 0;

	for (uint32_t e = 0; e < m->nentities; e++)
		natoms += m->entities[e].nrules * 3;
	uint32_t cap = 16;
	while (cap < 2 * natoms && cap < (1u << 20))
		cap *= 2;
	struct atom_cache *ac = arena_alloc(&sp->mem, sizeof *ac);
	ac->cap = cap;
	ac->feature = arena_array(&sp->mem, cap, sizeof *ac->feature);
	ac->mask = arena_array(&sp->mem, cap, sizeof *ac->mask);
	ac->bits = arena_array(&sp->mem, cap, sizeof *ac->bits);
	sp->atoms = ac;
	for (uint32_t e = 0; e < m->nentities; e++)
		for (uint32_t r = 0; r < m->entities[e].nrules; r++)
			if (m->entities[e].rules[r].guard)
				cache_expr(sp, m->entities[e].rules[r].guard);
}

bool
space_plan(const struct space *sp, const struct expr *x,
    struct guard_plan *gp)
{
	gp->n = 0;
	if (!x) {
		gp->t[gp->n] = sp->all_cls;
		gp->live[gp->n] = NULL;
		gp->flip[gp->n++] = 0;
		return true;
	}
	uint32_t nk = x->kind == X_AND ? x->nkids : 1;
	if (nk > PLAN_TERMS)
		return false;
	for (uint32_t k = 0; k < nk; k++) {
		const struct expr *y = x->kind == X_AND ? x->kids[k] : x;
		uint64_t flip = 0;
		if (y->kind == X_NOT) {
			y = y->kids[0];
			flip = ~(uint64_t)0;
		}
		const uint64_t *b = y->kind == X_ATOM ? atom_bits(sp, y) : NULL;
		if (!b)
			return false;
		gp->t[gp->n] = b;
		gp->live[gp->n] = b + sp->cw + (flip ? bs_words(sp->cw) : 0);
		gp->flip[gp->n++] = flip;
	}
	return true;
}

/* ------------------------------------------------------------------ */
/* Compiling                                                          */
/* ------------------------------------------------------------------ */

static void
compile_into(const struct space *sp, const struct expr *x, bool over_cls,
    uint64_t *out)
{
	uint64_t n = over_cls ? sp->ncls : sp->nsit;
	size_t nw = bs_words(n);
	const uint64_t *cached;

	if (over_cls && x->kind == X_ATOM && (cached = atom_bits(sp, x))) {
		memcpy(out, cached, nw * sizeof *out);
		return;
	}
	memset(out, 0, nw * sizeof *out);
	switch (x->kind) {
	case X_TRUE:
		bs_fill(out, n);
		return;
	case X_FALSE:
		return;
	case X_ATOM: {
		const struct feature *f = &sp->m->features[x->feature];
		uint64_t stride = over_cls ? sp->cstride[x->feature] :
		    sp->stride[x->feature];
		if (stride == 0)	/* hidden: sema refused it */
			internal_error();
		const uint32_t *rep = sp->rep[x->feature];
		if (!rep) {
			atom_fill(out, n, stride, f->nvalues, x->allowed);
			return;
		}
		/* Lumps: every member of a lump agrees with its first. */
		uint32_t nl = sp->nv[x->feature];
		bool *lumps = xreallocarray(NULL, nl, sizeof *lumps);
		for (uint32_t l = 0; l < nl; l++)
			lumps[l] = x->allowed[rep[l]];
		atom_fill(out, n, stride, nl, lumps);
		free(lumps);
		return;
	}
	case X_NOT:
		compile_into(sp, x->kids[0], over_cls, out);
		for (size_t i = 0; i < nw; i++)
			out[i] = ~out[i];
		if (n % 64)
			out[nw - 1] &= ~(uint64_t)0 >> (64 - n % 64);
		return;
	case X_AND:
	case X_OR: {
		uint64_t *tmp = xreallocarray(NULL, nw, sizeof *tmp);
		compile_into(sp, x->kids[0], over_cls, out);
		for (uint32_t k = 1; k < x->nkids; k++) {
			compile_into(sp, x->kids[k], over_cls, tmp);
			if (x->kind == X_AND)
				bs_and(out, out, tmp, nw);
			else
				bs_or(out, out, tmp, nw);
		}
		free(tmp);
		return;
	}
	}
	internal_error();
}

void
space_compile_into(const struct space *sp, const struct expr *x,
    bool over_cls, uint64_t *out)
{
	compile_into(sp, x, over_cls, out);
}

uint64_t *
space_compile(const struct space *sp, const struct expr *x, bool over_cls)
{
	/* compile_into clears it: no need to zero twice. */
	uint64_t *out = xreallocarray(NULL, over_cls ? sp->cw : sp->sw,
	    sizeof *out);

	compile_into(sp, x, over_cls, out);
	return out;
}

uint64_t *
guard_in(const struct space *sp, struct arena *a, const struct expr *x,
    bool over_cls)
{
	/* compile_into clears it: no need to zero twice. */
	uint64_t *out = arena_array_uninit(a, over_cls ? sp->cw : sp->sw,
	    sizeof *out);

	compile_into(sp, x, over_cls, out);
	return out;
}
