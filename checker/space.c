/*
 * space.c - building the situation space: canonical indices, classes,
 * guards as bitsets, exact integer weights for the training and deployment
 * distributions, the intended behaviour per situation, and the per-class
 * tables the policy engines read.
 *
 * Weights are exact.  A block's weight lines w_j = p_j / q_j are scaled by
 * Q = prod_j q_j, so a situation's weight becomes the integer
 * prod_{j matched} p_j * prod_{j unmatched} q_j; ratios of such integers
 * are the exact probabilities.  They are machine words when a bound proves
 * every sum fits, GMP integers otherwise.
 */
#include "space.h"

#include <stdlib.h>
#include <string.h>

#include "deadline.h"

/* GCC and Clang: exact 128-bit sums of 64-bit weights. */
__extension__ typedef unsigned __int128 u128;

/* ------------------------------------------------------------------ */
/* Bitsets and class sums                                             */
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

void
csum_init(struct csum *cs, uint64_t n, bool big)
{
	cs->n = n;
	cs->big = big;
	cs->v = NULL;
	cs->z = NULL;
	if (!big) {
		cs->v = xcalloc(n, sizeof *cs->v);
		return;
	}
	cs->z = xreallocarray(NULL, n ? n : 1, sizeof *cs->z);
	for (uint64_t i = 0; i < n; i++)
		mpz_init(cs->z[i]);
}

void
csum_free(struct csum *cs)
{
	if (cs->z)
		for (uint64_t i = 0; i < cs->n; i++)
			mpz_clear(cs->z[i]);
	free(cs->z);
	free(cs->v);
	cs->v = NULL;
	cs->z = NULL;
}

bool
csum_positive(const struct csum *cs, uint64_t i)
{
	return cs->big ? mpz_sgn(cs->z[i]) > 0 : cs->v[i] > 0;
}

/*
 * --timeout inside the per-situation loops: every 64th call asks the
 * deadline, so a loop that weighs millions of situations against
 * thousands of weight lines stops within a fraction of a second.  The
 * loop breaks off; space_build() then reports the limit.  Only in
 * space_build's own stages: a mass cut short elsewhere could reach a
 * report.
 */
static inline bool
stop_now(uint32_t *tick)
{
	return (++*tick & 63) == 0 && deadline_expired();
}

static void
u64_to_mpz(mpz_t z, u128 v)
{
	mpz_set_ui(z, (unsigned long)(uint64_t)(v >> 64));
	mpz_mul_2exp(z, z, 64);
	mpz_add_ui(z, z, (unsigned long)(uint64_t)v);
}

void
csum_over(const struct csum *cs, uint64_t stride, uint64_t off,
    const uint64_t *bits, size_t nw, mpz_t out)
{
	if (cs->big) {
		mpz_set_ui(out, 0);
		for (size_t w = 0; w < nw; w++)
			for (uint64_t word = bits[w]; word; word &= word - 1) {
				uint64_t c = w * 64 + (uint64_t)
				    __builtin_ctzll(word);
				mpz_add(out, out, cs->z[c * stride + off]);
			}
		return;
	}
	u128 acc = 0;
	for (size_t w = 0; w < nw; w++)
		for (uint64_t word = bits[w]; word; word &= word - 1) {
			uint64_t c = w * 64 + (uint64_t)__builtin_ctzll(word);
			acc += cs->v[c * stride + off];
		}
	u64_to_mpz(out, acc);
}

/* ------------------------------------------------------------------ */
/* Indices and expressions                                            */
/* ------------------------------------------------------------------ */

uint32_t
space_digit(const struct space *sp, uint64_t s, uint32_t f)
{
	return (uint32_t)((s / sp->stride[f]) % sp->nv[f]);
}

uint32_t
space_value(const struct space *sp, uint64_t s, uint32_t f)
{
	uint32_t d = space_digit(sp, s, f);

	return sp->rep[f] ? sp->rep[f][d] : d;
}

static inline uint64_t
digits2_at(const struct digits2 *t, uint64_t x)
{
	return t->thi[x / t->split] + t->tlo[x % t->split];
}

uint64_t
space_class(const struct space *sp, uint64_t s)
{
	return digits2_at(&sp->cls, s);
}

bool
space_eval(const struct space *sp, const struct expr *x, uint64_t s)
{
	switch (x->kind) {
	case X_TRUE: return true;
	case X_FALSE: return false;
	case X_ATOM: return x->allowed[space_value(sp, s, x->feature)];
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

/*
 * The bitset of an atom in an index space of 'n' positions where the
 * feature's digit has stride 'stride' and 'size' values.  The pattern
 * repeats every stride * size positions: build one period (rounded up to
 * whole words) bit-run by bit-run, then tile it word by word.
 */
static void
fill_atom(uint64_t *b, uint64_t n, uint64_t stride, uint32_t size,
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
/* The atom cache                                                     */
/* ------------------------------------------------------------------ */

/*
 * The class bitset of every distinct atom (feature, allowed values) in the
 * characters' guards, compiled once before the characters are judged, so
 * a rule's guard is a few word-wise ANDs.  Behind each bitset, two word
 * summaries (a bit per word): its nonzero words, and its words that are
 * not all ones (the nonzero words of its negation).  Open addressing;
 * features of more than 64 values and atoms past the memory cap are not
 * cached.
 */
struct atom_cache {
	uint32_t cap;		/* slots, a power of two */
	uint32_t n;
	uint32_t *feature;
	uint64_t *mask;		/* allowed values; 0 = empty slot */
	uint64_t **bits;
};

#define ATOM_CACHE_BYTES ((uint64_t)64 << 20)

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
	uint64_t *b = xcalloc(cw + 2 * nsum + 1, sizeof *b);
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

static void
build_atom_cache(struct space *sp)
{
	const struct model *m = sp->m;
	uint64_t natoms = 0;

	for (uint32_t e = 0; e < m->nentities; e++)
		natoms += m->entities[e].nrules * 3;
	uint32_t cap = 16;
	while (cap < 2 * natoms && cap < (1u << 20))
		cap *= 2;
	struct atom_cache *ac = xcalloc(1, sizeof *ac);
	ac->cap = cap;
	ac->feature = xcalloc(cap, sizeof *ac->feature);
	ac->mask = xcalloc(cap, sizeof *ac->mask);
	ac->bits = xcalloc(cap, sizeof *ac->bits);
	sp->atoms = ac;
	for (uint32_t e = 0; e < m->nentities; e++)
		for (uint32_t r = 0; r < m->entities[e].nrules; r++)
			if (m->entities[e].rules[r].guard)
				cache_expr(sp, m->entities[e].rules[r].guard);
}

static void
free_atom_cache(struct atom_cache *ac)
{
	if (!ac)
		return;
	for (uint32_t i = 0; i < ac->cap; i++)
		free(ac->bits[i]);
	free(ac->bits);
	free(ac->mask);
	free(ac->feature);
	free(ac);
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
			fill_atom(out, n, stride, f->nvalues, x->allowed);
			return;
		}
		/* Lumps: every member of a lump agrees with its first. */
		uint32_t nl = sp->nv[x->feature];
		bool *lumps = xreallocarray(NULL, nl, sizeof *lumps);
		for (uint32_t l = 0; l < nl; l++)
			lumps[l] = x->allowed[rep[l]];
		fill_atom(out, n, stride, nl, lumps);
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
		uint64_t *tmp = xreallocarray(NULL, nw ? nw : 1, sizeof *tmp);
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

static const char *
text_of(const struct space *sp, struct arena *a, uint64_t s, bool cls)
{
	const struct model *m = sp->m;
	size_t len = 2;

	for (uint32_t f = 0; f < m->nfeatures; f++)
		if (!cls || m->features[f].visible)
			len += strlen(m->features[f].name) + 3 +
			    strlen(m->features[f].values[0]) + 64;
	char *buf = arena_alloc(a, len + 1), *p = buf;
	bool first = true;

	*p++ = '{';
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		const struct feature *ft = &m->features[f];
		uint32_t v;
		if (cls) {
			if (!ft->visible)
				continue;
			v = (uint32_t)((s / sp->cstride[f]) % ft->nvalues);
		} else {
			v = space_value(sp, s, f);
		}
		p += sprintf(p, "%s%s=", first ? "" : ", ", ft->name);
		first = false;
		size_t vl = strlen(ft->values[v]);
		if ((size_t)(p - buf) + vl + 2 > len) {
			/* Values can be longer than values[0]: regrow. */
			char *nb = arena_alloc(a, len * 2 + vl + 2);
			memcpy(nb, buf, (size_t)(p - buf));
			p = nb + (p - buf);
			buf = nb;
			len = len * 2 + vl;
		}
		memcpy(p, ft->values[v], vl);
		p += vl;
	}
	*p++ = '}';
	*p = '\0';
	return buf;
}

const char *
space_sit_text(const struct space *sp, struct arena *a, uint64_t s)
{
	return text_of(sp, a, s, false);
}

const char *
space_cls_text(const struct space *sp, struct arena *a, uint64_t c)
{
	return text_of(sp, a, c, true);
}

/* ------------------------------------------------------------------ */
/* Weights                                                            */
/* ------------------------------------------------------------------ */

/*
 * A block's weight lines, ready to weigh one situation, and (few lines,
 * machine words) the situations of each pattern of matched lines with
 * that pattern's weight, so that the weight of a set is a sum of
 * popcounts.
 */
struct weigher {
	uint32_t n;
	uint64_t **bits;	/* situations each line matches */
	bool big;
	uint64_t *p, *q;	/* !big */
	mpz_t *pz, *qz;		/* big */
	uint32_t npat;		/* 2^n patterns, or 0 */
	uint64_t *pat[1u << 4];	/* situations of pattern k */
	uint64_t pval[1u << 4];	/* their weight */
};

#define WEIGHER_PATTERN_LINES 4

static bool uneven(const struct space *sp, uint32_t f);

/* The situations whose feature 'f' is in lump 'l'. */
static uint64_t *
lump_bits(const struct space *sp, uint32_t f, uint32_t l)
{
	bool *one = xcalloc(sp->nv[f], sizeof *one);
	uint64_t *b = xcalloc(sp->sw ? sp->sw : 1, sizeof *b);

	one[l] = true;
	fill_atom(b, sp->nsit, sp->stride[f], sp->nv[f], one);
	free(one);
	return b;
}

/*
 * The block's weight lines ('b' NULL: none), then one line per lump of
 * uneven size (weight its size where the feature is in it, 1 elsewhere):
 * a situation of the space weighs for all the situations it stands for.
 */
static void
weigher_init(struct weigher *w, const struct space *sp,
    const struct block *b)
{
	const struct model *m = sp->m;
	uint32_t nb = b ? b->nweights : 0, nm = 0;
	u128 bound = 1;

	for (uint32_t f = 0; f < m->nfeatures; f++)
		for (uint32_t l = 0; uneven(sp, f) && l < sp->nv[f]; l++)
			nm += sp->lsize[f][l] > 1;
	w->n = nb + nm;
	w->bits = xcalloc(w->n + 1, sizeof *w->bits);
	w->p = xcalloc(w->n + 1, sizeof *w->p);
	w->q = xcalloc(w->n + 1, sizeof *w->q);
	w->pz = xreallocarray(NULL, w->n + 1, sizeof *w->pz);
	w->qz = xreallocarray(NULL, w->n + 1, sizeof *w->qz);
	w->big = false;
	for (uint32_t j = 0; j < nb; j++) {
		mpq_srcptr x = b->weights[j].w;
		if (deadline_expired()) {	/* each line is a bitset */
			w->n = j;
			return;
		}
		w->bits[j] = space_compile(sp, b->weights[j].expr, false);
		mpz_init_set(w->pz[j], mpq_numref(x));
		mpz_init_set(w->qz[j], mpq_denref(x));
	}
	uint32_t j = nb;
	for (uint32_t f = 0; f < m->nfeatures; f++)
		for (uint32_t l = 0; uneven(sp, f) && l < sp->nv[f]; l++) {
			if (sp->lsize[f][l] <= 1)
				continue;
			w->bits[j] = lump_bits(sp, f, l);
			mpz_init_set_ui(w->pz[j], sp->lsize[f][l]);
			mpz_init_set_ui(w->qz[j++], 1);
		}
	for (j = 0; j < w->n; j++) {
		if (mpz_sizeinbase(w->pz[j], 2) > 62 ||
		    mpz_sizeinbase(w->qz[j], 2) > 62) {
			w->big = true;
			continue;
		}
		w->p[j] = mpz_get_ui(w->pz[j]);
		w->q[j] = mpz_get_ui(w->qz[j]);
		uint64_t mx = w->p[j] > w->q[j] ? w->p[j] : w->q[j];
		if (!w->big) {
			bound *= mx ? mx : 1;
			if (bound > ((u128)1 << 62))
				w->big = true;
		}
	}
	/* Every sum of situation weights must fit a word too. */
	if (!w->big && bound * sp->nsit >= ((u128)1 << 63))
		w->big = true;
	if (w->big || w->n > WEIGHER_PATTERN_LINES)
		return;
	/* Pattern k: line j matched iff bit j of k. */
	w->npat = 1u << w->n;
	for (uint32_t k = 0; k < w->npat; k++) {
		uint64_t *pat = xcalloc(sp->sw, sizeof *pat);
		w->pval[k] = 1;
		bs_fill(pat, sp->nsit);
		for (j = 0; j < w->n; j++) {
			bool in = (k >> j) & 1;
			w->pval[k] *= in ? w->p[j] : w->q[j];
			for (size_t i = 0; i < sp->sw; i++)
				pat[i] &= in ? w->bits[j][i] : ~w->bits[j][i];
		}
		w->pat[k] = pat;
	}
}

static void
weigher_free(struct weigher *w)
{
	for (uint32_t j = 0; j < w->n; j++) {
		free(w->bits[j]);
		mpz_clear(w->pz[j]);
		mpz_clear(w->qz[j]);
	}
	for (uint32_t k = 0; k < w->npat; k++)
		free(w->pat[k]);
	free(w->bits);
	free(w->p);
	free(w->q);
	free(w->pz);
	free(w->qz);
}

static uint64_t
weigh_u64(const struct weigher *w, uint64_t s)
{
	uint64_t x = 1;

	for (uint32_t j = 0; j < w->n; j++)
		x *= bs_test(w->bits[j], s) ? w->p[j] : w->q[j];
	return x;
}

static void
weigh_mpz(const struct weigher *w, uint64_t s, mpz_t out)
{
	mpz_set_ui(out, 1);
	for (uint32_t j = 0; j < w->n; j++)
		mpz_mul(out, out, bs_test(w->bits[j], s) ? w->pz[j] :
		    w->qz[j]);
}

/*
 * pos (unless NULL) = the situations of 'set' with positive weight;
 * total = the sum of their weights.  With patterns, a few popcounts; else
 * situation by situation.
 */
static void
weigh_set(const struct space *sp, const struct weigher *w,
    const uint64_t *set, uint64_t *pos, mpz_t total)
{
	if (pos)
		memset(pos, 0, sp->sw * sizeof *pos);
	mpz_set_ui(total, 0);
	if (w->npat) {
		u128 acc = 0;
		for (uint32_t k = 0; k < w->npat; k++) {
			if (!w->pval[k])
				continue;
			uint64_t cnt = 0;
			for (size_t i = 0; i < sp->sw; i++) {
				uint64_t x = set[i] & w->pat[k][i];
				cnt += (uint64_t)__builtin_popcountll(x);
				if (pos)
					pos[i] |= x;
			}
			acc += (u128)cnt * w->pval[k];
		}
		u64_to_mpz(total, acc);
		return;
	}
	mpz_t x;
	uint32_t tick = 0;
	mpz_init(x);
	for (uint64_t s = bs_next(set, sp->sw, 0); s != BS_NONE &&
	    !stop_now(&tick); s = bs_next(set, sp->sw, s + 1)) {
		if (w->big)
			weigh_mpz(w, s, x);
		else
			mpz_set_ui(x, weigh_u64(w, s));
		if (pos && mpz_sgn(x) > 0)
			bs_set(pos, s);
		mpz_add(total, total, x);
	}
	mpz_clear(x);
}

/* ------------------------------------------------------------------ */
/* Slices: class bitsets per hidden assignment                        */
/* ------------------------------------------------------------------ */

/* The 64 bits of 'b' (nw words) from bit 'off'; zeros past the end. */
static inline uint64_t
bits_at(const uint64_t *b, size_t nw, uint64_t off)
{
	size_t w = (size_t)(off / 64);
	unsigned k = (unsigned)(off % 64);
	uint64_t x = w < nw ? b[w] >> k : 0;

	if (k && w + 1 < nw)
		x |= b[w + 1] << (64 - k);
	return x;
}

/* dst[doff, doff + n) |= src[soff, soff + n) (dst: dw words, src: sw). */
static void
or_bits(uint64_t *dst, size_t dw, uint64_t doff, const uint64_t *src,
    size_t sw, uint64_t soff, uint64_t n)
{
	if (doff % 64 == 0 && soff % 64 == 0) {
		uint64_t *d = dst + doff / 64;
		const uint64_t *s = src + soff / 64;
		for (uint64_t i = 0; i < n / 64; i++)
			d[i] |= s[i];
		if (n % 64)
			d[n / 64] |= s[n / 64] &
			    (~(uint64_t)0 >> (64 - n % 64));
		return;
	}
	for (uint64_t i = 0; i < n; i += 64) {
		uint64_t m = n - i < 64 ? n - i : 64;
		uint64_t x = bits_at(src, sw, soff + i);
		if (m < 64)
			x &= ~(uint64_t)0 >> (64 - m);
		uint64_t at = doff + i;
		size_t w = (size_t)(at / 64);
		unsigned k = (unsigned)(at % 64);
		dst[w] |= x << k;
		if (k && w + 1 < dw)
			dst[w + 1] |= x >> (64 - k);
	}
}

/*
 * out |= the classes c with hoff[h] + coff(c) in 'sits'.  Situations of
 * 'run' consecutive classes (the trailing visible features) are
 * consecutive, so the copy goes run by run.
 */
static void
gather(const struct space *sp, const uint64_t *sits, uint64_t h,
    uint64_t *out)
{
	for (uint64_t c = 0; c < sp->ncls; c += sp->run)
		or_bits(out, sp->cw, c, sits, sp->sw,
		    sp->hoff[h] + digits2_at(&sp->coff, c), sp->run);
}

static void
slices_gather(const struct space *sp, const uint64_t *sits,
    struct slices *sl)
{
	size_t nsum = bs_words(sp->cw);
	uint64_t *row = xreallocarray(NULL, sp->cw ? sp->cw : 1, sizeof *row);

	sl->row = xcalloc(sp->nh, sizeof *sl->row);
	sl->live = xcalloc(sp->nh * nsum + 1, sizeof *sl->live);
	for (uint64_t h = 0; h < sp->nh; h++) {
		bool any = false;
		memset(row, 0, sp->cw * sizeof *row);
		gather(sp, sits, h, row);
		for (size_t w = 0; w < sp->cw; w++)
			if (row[w]) {
				bs_set(sl->live + h * nsum, w);
				any = true;
			}
		if (any) {
			sl->row[h] = row;
			row = xreallocarray(NULL, sp->cw, sizeof *row);
		}
	}
	free(row);
}

static void
slices_free(const struct space *sp, struct slices *sl)
{
	if (sl->row)
		for (uint64_t h = 0; h < sp->nh; h++)
			free(sl->row[h]);
	free(sl->row);
	free(sl->live);
}

static void
slices_union(const struct space *sp, const struct slices *sl, uint64_t *out)
{
	memset(out, 0, sp->cw * sizeof *out);
	for (uint64_t h = 0; h < sp->nh; h++)
		if (sl->row[h])
			bs_or(out, out, sl->row[h], sp->cw);
}

/* The first situation of the slices in a class of 'bits', or BS_NONE. */
static uint64_t
slices_first(const struct space *sp, const struct slices *sl,
    const uint64_t *bits)
{
	size_t nsum = bs_words(sp->cw);
	uint64_t best = BS_NONE;

	/* hoff grows with h and coff with c: a row starting past the best
	 * so far cannot hold a smaller one.  Rows go by their live words. */
	for (uint64_t h = 0; h < sp->nh && sp->hoff[h] < best; h++) {
		const uint64_t *row = sl->row[h];
		const uint64_t *live = sl->live + h * nsum;
		uint64_t c = BS_NONE;
		for (size_t j = 0; row && j < nsum && c == BS_NONE; j++)
			for (uint64_t m = live[j]; m; m &= m - 1) {
				size_t w = j * 64 + (size_t)__builtin_ctzll(m);
				uint64_t x = row[w] & bits[w];
				if (x) {
					c = w * 64 + (uint64_t)
					    __builtin_ctzll(x);
					break;
				}
			}
		if (c == BS_NONE)
			continue;
		uint64_t s = sp->hoff[h] + digits2_at(&sp->coff, c);
		if (s < best)
			best = s;
	}
	return best;
}

/* ------------------------------------------------------------------ */
/* Building                                                           */
/* ------------------------------------------------------------------ */

/*
 * f(x) = sum over the features with src[f] > 0 of digit_f(x) * dst[f],
 * where digit_f(x) = x / src[f] % nvalues, as two tables split at the
 * feature stride nearest sqrt(n).
 */
static void
digits2_build(struct digits2 *t, const struct space *sp, const uint64_t *src,
    const uint64_t *dst, uint64_t n)
{
	const struct model *m = sp->m;
	uint64_t split = 1, cost = n;

	for (uint32_t f = 0; f < m->nfeatures; f++) {
		if (!src[f])
			continue;
		uint64_t c = src[f] > n / src[f] ? src[f] : n / src[f];
		if (c < cost) {
			cost = c;
			split = src[f];
		}
	}
	t->split = split;
	t->thi = xcalloc(n / split, sizeof *t->thi);
	t->tlo = xcalloc(split, sizeof *t->tlo);
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		uint64_t nv = sp->nv[f];
		if (!src[f] || !dst[f])
			continue;
		if (src[f] >= split)
			for (uint64_t q = 0; q < n / split; q++)
				t->thi[q] += q / (src[f] / split) % nv * dst[f];
		else
			for (uint64_t r = 0; r < split; r++)
				t->tlo[r] += r / src[f] % nv * dst[f];
	}
}

/* ------------------------------------------------------------------ */
/* Lumps                                                              */
/* ------------------------------------------------------------------ */

struct atom_list {
	const struct expr **x;
	uint32_t n, cap;
};

/* The atoms on feature 'f' in 'x'. */
static void
atoms_on(const struct expr *x, uint32_t f, struct atom_list *al)
{
	if (!x)
		return;
	if (x->kind == X_ATOM) {
		if (x->feature != f)
			return;
		if (al->n == al->cap) {
			al->cap = al->cap ? 2 * al->cap : 16;
			al->x = xreallocarray(al->x, al->cap, sizeof *al->x);
		}
		al->x[al->n++] = x;
		return;
	}
	for (uint32_t k = 0; k < x->nkids; k++)
		atoms_on(x->kids[k], f, al);
}

static void
block_atoms(const struct block *b, uint32_t f, struct atom_list *al)
{
	atoms_on(b->situations, f, al);
	for (uint32_t j = 0; j < b->nweights; j++)
		atoms_on(b->weights[j].expr, f, al);
	for (uint32_t k = 0; k < b->nobs; k++)
		atoms_on(b->obs[k].expr, f, al);
}

/* Every atom of the model on feature 'f'. */
static void
model_atoms(const struct model *m, uint32_t f, struct atom_list *al)
{
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		for (uint32_t r = 0; r < e->nrules; r++)
			atoms_on(e->rules[r].guard, f, al);
		for (uint32_t u = 0; u < e->nutils; u++)
			atoms_on(e->utils[u].when, f, al);
	}
	for (uint32_t r = 0; r < m->nintended; r++)
		atoms_on(m->intended[r].guard, f, al);
	block_atoms(&m->training, f, al);
	block_atoms(&m->deployment, f, al);
	if (m->has_audit)
		atoms_on(m->audit, f, al);
}

/*
 * Lumps the values of each hidden feature that every atom on it treats
 * alike (an unmentioned feature becomes one lump).  Visible features are
 * never lumped: they name the classes.  Lumps keep the order of their
 * first values, so the order of situations, and with it every "first
 * situation", is that of the lumps' first members.
 */
static void
lump(struct space *sp)
{
	const struct model *m = sp->m;
	struct atom_list al = { 0 };

	sp->nv = xcalloc(m->nfeatures + 1, sizeof *sp->nv);
	sp->rep = xcalloc(m->nfeatures + 1, sizeof *sp->rep);
	sp->lsize = xcalloc(m->nfeatures + 1, sizeof *sp->lsize);
	sp->lumped = 1;
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		const struct feature *ft = &m->features[f];
		sp->nv[f] = ft->nvalues;
		if (ft->visible)
			continue;
		al.n = 0;
		model_atoms(m, f, &al);
		uint32_t *rep = xreallocarray(NULL, ft->nvalues, sizeof *rep);
		uint64_t *size = xcalloc(ft->nvalues, sizeof *size);
		uint32_t nl = 0;
		for (uint32_t v = 0; v < ft->nvalues; v++) {
			uint32_t l;
			for (l = 0; l < nl; l++) {
				uint32_t k;
				for (k = 0; k < al.n; k++)
					if (al.x[k]->allowed[v] !=
					    al.x[k]->allowed[rep[l]])
						break;
				if (k == al.n)
					break;
			}
			if (l == nl)
				rep[nl++] = v;
			size[l]++;
		}
		if (nl == ft->nvalues) {
			free(rep);
			free(size);
			continue;
		}
		sp->nv[f] = nl;
		sp->rep[f] = rep;
		sp->lsize[f] = size;
		bool same = true;
		for (uint32_t l = 1; l < nl; l++)
			same &= size[l] == size[0];
		if (same)	/* a factor every situation shares */
			sp->lumped *= size[0];
	}
	free(al.x);
}

/* True when the lumps of 'f' differ in size: weights carry their sizes. */
static bool
uneven(const struct space *sp, uint32_t f)
{
	if (!sp->lsize[f])
		return false;
	for (uint32_t l = 1; l < sp->nv[f]; l++)
		if (sp->lsize[f][l] != sp->lsize[f][0])
			return true;
	return false;
}

/* Situation count and strides; false (with a limit error) when too big. */
static bool
layout(struct space *sp, const struct space_opts *o, struct diag *d)
{
	const struct model *m = sp->m;
	u128 n = 1, nc = 1, full = 1;
	uint32_t f;

	lump(sp);
	for (f = 0; f < m->nfeatures; f++) {
		n *= sp->nv[f];
		if (m->features[f].visible)
			nc *= sp->nv[f];
		if (full <= ((u128)1 << 62))
			full *= m->features[f].nvalues;
		if (n > o->max_situations || n > ((uint64_t)1 << 40))
			break;
	}
	if (f == m->nfeatures && full > ((u128)1 << 62)) {
		diag_limit(d, m->features[m->nfeatures - 1].loc, "the model "
		    "has more than 2^62 situations; charcheck counts them in "
		    "64-bit words");
		return false;
	}
	sp->full.nsit = (uint64_t)full;
	if (f < m->nfeatures || n > o->max_situations) {
		struct srcloc at = m->features[f < m->nfeatures ? f :
		    m->nfeatures - 1].loc;
		diag_limit(d, at, "the model has more than %llu situations "
		    "(the limit); raise it with --max-situations",
		    (unsigned long long)o->max_situations);
		return false;
	}
	sp->nsit = (uint64_t)n;
	sp->ncls = (uint64_t)nc;
	sp->sw = bs_words(sp->nsit);
	sp->cw = bs_words(sp->ncls);
	sp->stride = xcalloc(m->nfeatures + 1, sizeof *sp->stride);
	sp->cstride = xcalloc(m->nfeatures + 1, sizeof *sp->cstride);
	uint64_t st = 1, cst = 1;
	for (uint32_t i = m->nfeatures; i-- > 0;) {
		sp->stride[i] = st;
		st *= sp->nv[i];
		if (m->features[i].visible) {
			sp->cstride[i] = cst;
			cst *= sp->nv[i];
		}
	}
	/* situation -> class: the situation's digits weighed by the class
	 * strides (0 for hidden features); class -> situation offset: the
	 * class's digits weighed by the situation strides. */
	digits2_build(&sp->cls, sp, sp->stride, sp->cstride, sp->nsit);
	digits2_build(&sp->coff, sp, sp->cstride, sp->stride, sp->ncls);
	sp->nh = sp->nsit / sp->ncls;
	sp->sliced = sp->nh <= SPACE_SLICES && !o->no_slices;
	if (sp->sliced) {
		/* Hidden assignments in order: their offsets increase. */
		sp->hoff = xcalloc(sp->nh, sizeof *sp->hoff);
		for (uint64_t h = 0; h < sp->nh; h++) {
			uint64_t rest = h;
			for (uint32_t i = m->nfeatures; i-- > 0;) {
				const struct feature *ft = &m->features[i];
				if (ft->visible)
					continue;
				sp->hoff[h] += rest % sp->nv[i] * sp->stride[i];
				rest /= sp->nv[i];
			}
		}
	}
	sp->run = 1;
	for (uint32_t i = m->nfeatures; i-- > 0 && m->features[i].visible;)
		sp->run *= sp->nv[i];
	sp->all_cls = xcalloc(sp->cw, sizeof *sp->all_cls);
	bs_fill(sp->all_cls, sp->ncls);
	return true;
}

/*
 * Selects the block's situations and weighs them.  'pos' gets those of
 * positive weight; 'total' their integer sum.
 */
static bool
select_block(struct space *sp, const struct block *b, const char *what,
    uint64_t **set, uint64_t **pos, uint64_t *count, mpz_t total,
    struct weigher *w, struct diag *d)
{
	*set = space_compile(sp, b->situations, false);
	*pos = xcalloc(sp->sw, sizeof **pos);
	*count = bs_count(*set, sp->sw);
	if (*count == 0) {
		diag_error(d, b->situations_loc, "no situation is in %s: "
		    "'situations' selects none of the %llu", what,
		    (unsigned long long)sp->nsit);
		return false;
	}
	weigher_init(w, sp, b);
	weigh_set(sp, w, *set, *pos, total);
	if (mpz_sgn(total) == 0 && !deadline_expired()) {
		diag_error(d, b->loc, "the %s weights sum to 0: every %s "
		    "situation has weight 0", what, what);
		return false;
	}
	return true;
}

/* The situations each intended rule decides, and the
 * uncovered-deployment error. */
static bool
build_intended(struct space *sp, struct diag *d)
{
	const struct model *m = sp->m;
	uint64_t *covered = xcalloc(sp->sw, sizeof *covered);
	uint64_t *fire = xcalloc(sp->sw, sizeof *fire);
	bool ok = true;

	sp->ifire = xcalloc(m->nintended + 1, sizeof *sp->ifire);
	for (uint32_t r = 0; r < m->nintended; r++) {
		const struct intended_rule *ir = &m->intended[r];
		uint64_t *g = ir->guard ? space_compile(sp, ir->guard, false) :
		    NULL;
		if (!g) {
			g = xreallocarray(NULL, sp->sw, sizeof *g);
			memset(g, 0, sp->sw * sizeof *g);
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
	uint64_t n = sp->ncls * (na ? na : 1);
	mpz_t x;

	csum_init(&sp->bad, n, w->big);
	sp->bad_first = xreallocarray(NULL, n, sizeof *sp->bad_first);
	memset(sp->bad_first, 0xff, n * sizeof *sp->bad_first);
	if (!sp->sliced)
		for (uint32_t a = 0; a < na; a++)
			sp->bad_order[a] = xreallocarray(NULL,
			    sp->ncls ? sp->ncls : 1, sizeof **sp->bad_order);
	uint32_t tick = 0;
	mpz_init(x);
	for (uint64_t s = bs_next(sp->deploy_pos, sp->sw, 0); s != BS_NONE &&
	    !stop_now(&tick); s = bs_next(sp->deploy_pos, sp->sw, s + 1)) {
		const bool *acc = m->intended[space_intended(sp, s)].accept;
		uint64_t c = space_class(sp, s), ws = 0;
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
 * over a class set is its bad mass (the sets may overlap).
 */
#define MAX_LEVELS 64

struct levels {
	uint32_t n;
	uint64_t value[MAX_LEVELS];
	uint64_t *bits[MAX_LEVELS];
};

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
	lv->bits[lv->n] = xreallocarray(NULL, cw ? cw : 1, sizeof *bits);
	memcpy(lv->bits[lv->n++], bits, cw * sizeof *bits);
	return true;
}

static void
drop_levels(struct levels *lv)
{
	for (uint32_t l = 0; l < lv->n; l++)
		free(lv->bits[l]);
	lv->n = UINT32_MAX;	/* fall back to the per-class table */
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
	uint64_t *cnt = xcalloc(COUNT_BITS * (cw ? cw : 1), sizeof *cnt);
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
	if (!ok)
		drop_levels(lv);
	return ok;
}

/* Levels from the per-class table: classes grouped by their bad mass. */
static void
levels_from_table(struct space *sp, uint32_t a)
{
	uint32_t na = sp->m->nactions;
	struct levels *lv = &sp->lev[a];
	uint64_t *one = xcalloc(sp->cw ? sp->cw : 1, sizeof *one);
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
	if (!ok)
		drop_levels(lv);
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
static void
build_bad(struct space *sp, struct weigher *w)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	bool tables = !sp->sliced || !w->npat || has_family(m);

	sp->bad_cls = xcalloc(na + 1, sizeof *sp->bad_cls);
	sp->bad_order = xcalloc(na + 1, sizeof *sp->bad_order);
	sp->nbad_order = xcalloc(na + 1, sizeof *sp->nbad_order);
	sp->lev = xcalloc(na + 1, sizeof *sp->lev);
	for (uint32_t a = 0; a < na; a++)
		sp->bad_cls[a] = xcalloc(sp->cw ? sp->cw : 1,
		    sizeof **sp->bad_cls);
	bool *done = xcalloc(na + 1, sizeof *done);
	if (sp->sliced) {
		struct slices pat[1u << WEIGHER_PATTERN_LINES] = { { 0 } };
		uint64_t *bad = xreallocarray(NULL, sp->sw, sizeof *bad);
		for (uint32_t k = 0; k < w->npat; k++)
			if (w->pval[k])
				slices_gather(sp, w->pat[k], &pat[k]);
		sp->bad_sl = xcalloc(na + 1, sizeof *sp->bad_sl);
		for (uint32_t a = 0; a < na; a++) {
			bad_sits(sp, a, bad);
			slices_gather(sp, bad, &sp->bad_sl[a]);
			slices_union(sp, &sp->bad_sl[a], sp->bad_cls[a]);
			if (w->npat) {
				done[a] = levels_sliced(sp, a, pat, w);
				tables |= !done[a];
			}
		}
		for (uint32_t k = 0; k < w->npat; k++)
			slices_free(sp, &pat[k]);
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

void
space_bad_sum(const struct space *sp, uint32_t a, const uint64_t *bits,
    mpz_t out)
{
	const struct levels *lv = &sp->lev[a];

	if (lv->n == UINT32_MAX) {
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
	u64_to_mpz(out, acc);
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
		slices_gather(sp, te, &t->all);
		slices_union(sp, &t->all, t->ce);
		if (bs_subset(te, sp->train_pos, sp->sw)) {
			t->pos = t->all;
		} else {
			uint64_t *p = xreallocarray(NULL, sp->sw, sizeof *p);
			bs_and(p, te, sp->train_pos, sp->sw);
			slices_gather(sp, p, &t->pos);
			free(p);
		}
	} else {
		for (uint64_t s = t->first_any; s != BS_NONE;
		    s = bs_next(te, sp->sw, s + 1))
			bs_set(t->ce, space_class(sp, s));
	}
	if (!tables)
		return true;
	t->rank = xreallocarray(NULL, sp->cw, sizeof *t->rank);
	for (size_t i = 0; i < sp->cw; i++) {
		t->rank[i] = t->ncls;
		t->ncls += (uint64_t)__builtin_popcountll(t->ce[i]);
	}
	csum_init(&t->mass, weighs ? t->ncls : 0, w->big);
	if (!sp->sliced) {
		t->first = xreallocarray(NULL, t->ncls, sizeof *t->first);
		t->firstpos = xreallocarray(NULL, t->ncls,
		    sizeof *t->firstpos);
		memset(t->first, 0xff, t->ncls * sizeof *t->first);
		memset(t->firstpos, 0xff, t->ncls * sizeof *t->firstpos);
	}
	mpz_t x;
	uint32_t tick = 0;
	mpz_init(x);
	for (uint64_t s = t->first_any; s != BS_NONE && !stop_now(&tick);
	    s = bs_next(te, sp->sw, s + 1)) {
		uint64_t k = obs_rank(t, space_class(sp, s));
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

/*
 * The tables of one training observation: its situations and classes;
 * witnesses as slices (or, not sliced, per class); the per-class mass
 * only for the kinds that weigh (counts and rates).
 */
static bool
build_obs(struct space *sp, const struct observation *o,
    struct obs_table *t, struct weigher *w, struct diag *d)
{
	bool weighs = o->kind != EVID_ALWAYS;
	bool tables = weighs || !sp->sliced;
	uint64_t *te = space_compile(sp, o->expr, false);

	bs_and(te, te, sp->train, sp->sw);
	mpz_init(t->total);
	t->ce = xcalloc(sp->cw, sizeof *t->ce);
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
		u64_to_mpz(out, acc);
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

#define MASS_LINES 8		/* weight lines the word-wise path takes */

void
space_class_mass(const struct space *sp, bool deploy, const uint64_t *sits,
    struct csum *out)
{
	const struct weigher *w = deploy ? sp->wd : sp->wt;
	const uint64_t *block = deploy ? sp->deploy_pos : sp->train_pos;
	mpz_t x;

	csum_init(out, sp->ncls, w->big);
	if (!w->big && sp->run % 64 == 0 && w->n <= MASS_LINES) {
		/* The 64 situations of a word are 64 consecutive classes:
		 * one class lookup and one word per line each word. */
		for (size_t i = 0; i < sp->sw; i++) {
			uint64_t word = block[i] &
			    (sits ? sits[i] : ~(uint64_t)0);
			if (!word)
				continue;
			uint64_t c0 = space_class(sp, (uint64_t)i * 64);
			uint64_t lw[MASS_LINES];
			for (uint32_t j = 0; j < w->n; j++)
				lw[j] = w->bits[j][i];
			for (; word; word &= word - 1) {
				unsigned b = (unsigned)__builtin_ctzll(word);
				uint64_t v = 1;
				for (uint32_t j = 0; j < w->n; j++)
					v *= (lw[j] >> b) & 1 ? w->p[j] :
					    w->q[j];
				out->v[c0 + b] += v;
			}
		}
		return;
	}
	mpz_init(x);
	for (uint64_t s = bs_next(block, sp->sw, 0); s != BS_NONE;
	    s = bs_next(block, sp->sw, s + 1)) {
		if (sits && !bs_test(sits, s))
			continue;
		uint64_t c = space_class(sp, s);
		if (w->big) {
			weigh_mpz(w, s, x);
			mpz_add(out->z[c], out->z[c], x);
		} else {
			out->v[c] += weigh_u64(w, s);
		}
	}
	mpz_clear(x);
}

void
space_weight(const struct space *sp, bool deploy, uint64_t s, mpq_t out)
{
	const struct weigher *w = deploy ? sp->wd : sp->wt;
	const uint64_t *block = deploy ? sp->deploy : sp->train;

	mpq_set_ui(out, 0, 1);
	if (!bs_test(block, s))
		return;
	if (w->big)
		weigh_mpz(w, s, mpq_numref(out));
	else
		mpz_set_ui(mpq_numref(out), weigh_u64(w, s));
	/* Per situation of the model: the space's weighs for its members
	 * (its uneven lump sizes here, the even ones in the total). */
	mpz_set(mpq_denref(out), deploy ? sp->zdeploy : sp->ztrain);
	mpz_mul_ui(mpq_denref(out), mpq_denref(out), sp->lumped);
	for (uint32_t f = 0; f < sp->m->nfeatures; f++)
		if (uneven(sp, f))
			mpz_mul_ui(mpq_denref(out), mpq_denref(out),
			    sp->lsize[f][space_digit(sp, s, f)]);
	mpq_canonicalize(out);
}

/*
 * How many situations of the model the space's situations in 'set' stand
 * for: their count, or with lumps of different sizes their weight under
 * 'wm' (the lump-size lines only), times the size every lump shares.
 */
static uint64_t
full_count(const struct space *sp, const struct weigher *wm,
    const uint64_t *set)
{
	if (!wm)
		return bs_count(set, sp->sw) * sp->lumped;
	mpz_t n;
	mpz_init(n);
	weigh_set(sp, wm, set, NULL, n);
	mpz_mul_ui(n, n, sp->lumped);
	/* At most the model's situations, which fit (layout checked). */
	uint64_t v = mpz_get_ui(n);
	mpz_clear(n);
	return v;
}

static void
build_always_other(struct space *sp)
{
	const struct model *m = sp->m;
	uint32_t na = m->nactions;
	bool any = false;

	for (uint32_t k = 0; k < m->training.nobs; k++)
		any |= m->training.obs[k].kind == EVID_ALWAYS;
	if (!any)
		return;
	sp->always_other = xcalloc(na + 1, sizeof *sp->always_other);
	for (uint32_t a = 0; a < na; a++) {
		sp->always_other[a] = xcalloc(sp->cw ? sp->cw : 1,
		    sizeof **sp->always_other);
		for (uint32_t k = 0; k < m->training.nobs; k++) {
			const struct observation *o = &m->training.obs[k];
			if (o->kind == EVID_ALWAYS && !o->out.in[a])
				bs_or(sp->always_other[a], sp->always_other[a],
				    sp->obs[k].ce, sp->cw);
		}
	}
}

/* After a stage whose loops poll the deadline: has it passed? */
static bool
expired(struct diag *d, const char *stage)
{
	if (!deadline_expired())
		return false;
	diag_error_file(d, 3, "the time limit (--timeout) was reached while "
	    "%s; raise it or simplify the model", stage);
	return true;
}

bool
space_build(struct space *sp, const struct model *m,
    const struct space_opts *o, struct diag *d)
{
	bool ok;

	memset(sp, 0, sizeof *sp);
	sp->m = m;
	mpz_init(sp->zdeploy);
	mpz_init(sp->ztrain);
	sp->wt = xcalloc(1, sizeof *sp->wt);
	sp->wd = xcalloc(1, sizeof *sp->wd);
	if (!layout(sp, o, d))
		return false;
	struct weigher *wt = sp->wt, *wd = sp->wd;
	ok = select_block(sp, &m->training, "training", &sp->train,
	    &sp->train_pos, &sp->ntrain, sp->ztrain, wt, d);
	ok &= select_block(sp, &m->deployment, "deployment", &sp->deploy,
	    &sp->deploy_pos, &sp->ndeploy, sp->zdeploy, wd, d);
	ok = ok && !expired(d, "weighing the situations");
	if (m->has_audit && m->audit) {
		sp->audit = space_compile(sp, m->audit, false);
	} else {
		sp->audit = xcalloc(sp->sw, sizeof *sp->audit);
		if (sp->train)
			memcpy(sp->audit, sp->train, sp->sw * sizeof(uint64_t));
	}
	sp->naudit = bs_count(sp->audit, sp->sw);
	{
		struct weigher wm = { 0 };
		bool any = false;
		for (uint32_t f = 0; f < m->nfeatures; f++)
			any |= uneven(sp, f);
		if (any)
			weigher_init(&wm, sp, NULL);
		const struct weigher *w = any ? &wm : NULL;
		sp->full.ntrain = sp->train ? full_count(sp, w, sp->train) : 0;
		sp->full.ndeploy = sp->deploy ? full_count(sp, w, sp->deploy) :
		    0;
		sp->full.naudit = full_count(sp, w, sp->audit);
		if (any)
			weigher_free(&wm);
	}
	if (ok && m->has_intended) {
		ok = build_intended(sp, d);
		if (ok) {
			build_bad(sp, wd);
			ok = !expired(d, "weighing the deployment");
		}
	}
	if (ok)
		build_atom_cache(sp);
	if (ok) {
		sp->obs = xcalloc(m->training.nobs + 1, sizeof *sp->obs);
		for (uint32_t i = 0; i < m->training.nobs &&
		    !deadline_expired(); i++)
			ok &= build_obs(sp, &m->training.obs[i], &sp->obs[i],
			    wt, d);
		ok = ok && !expired(d, "weighing the observations");
	}
	if (ok)
		build_always_other(sp);
	/* The weight patterns served the totals and the bad-mass terms;
	 * later masses weigh situation by situation. */
	for (struct weigher *w = sp->wt; w; w = w == sp->wt ? sp->wd : NULL) {
		for (uint32_t k = 0; k < w->npat; k++)
			free(w->pat[k]);
		w->npat = 0;
	}
	return ok;
}

void
space_free(struct space *sp)
{
	const struct model *m = sp->m;

	if (!m)
		return;
	if (sp->obs) {
		for (uint32_t i = 0; i < m->training.nobs; i++) {
			struct obs_table *t = &sp->obs[i];
			free(t->ce);
			free(t->rank);
			free(t->first);
			free(t->firstpos);
			if (t->pos.row != t->all.row)
				slices_free(sp, &t->pos);
			slices_free(sp, &t->all);
			if (t->mass.v || t->mass.z)
				csum_free(&t->mass);
			mpz_clear(t->total);
		}
		free(sp->obs);
	}
	if (sp->bad_cls)
		for (uint32_t a = 0; a < m->nactions; a++)
			free(sp->bad_cls[a]);
	if (sp->lev)
		for (uint32_t a = 0; a < m->nactions; a++)
			if (sp->lev[a].n != UINT32_MAX)
				for (uint32_t l = 0; l < sp->lev[a].n; l++)
					free(sp->lev[a].bits[l]);
	if (sp->bad_order)
		for (uint32_t a = 0; a < m->nactions; a++)
			free(sp->bad_order[a]);
	if (sp->bad_sl)
		for (uint32_t a = 0; a < m->nactions; a++)
			slices_free(sp, &sp->bad_sl[a]);
	free(sp->bad_sl);
	if (sp->ifire)
		for (uint32_t r = 0; r < m->nintended; r++)
			free(sp->ifire[r]);
	free(sp->ifire);
	free(sp->hoff);
	if (sp->rep)
		for (uint32_t f = 0; f < m->nfeatures; f++) {
			free(sp->rep[f]);
			free(sp->lsize[f]);
		}
	free(sp->rep);
	free(sp->lsize);
	free(sp->nv);
	free(sp->cls.thi);
	free(sp->cls.tlo);
	free(sp->coff.thi);
	free(sp->coff.tlo);
	free(sp->lev);
	free(sp->bad_order);
	free(sp->nbad_order);
	free(sp->bad_cls);
	free(sp->bad_first);
	if (sp->bad.v || sp->bad.z)
		csum_free(&sp->bad);
	mpz_clear(sp->zdeploy);
	mpz_clear(sp->ztrain);
	if (sp->wt && sp->wt->bits)
		weigher_free(sp->wt);
	if (sp->wd && sp->wd->bits)
		weigher_free(sp->wd);
	free(sp->wt);
	free(sp->wd);
	free(sp->train);
	free(sp->train_pos);
	free(sp->deploy);
	free(sp->deploy_pos);
	free(sp->audit);
	free(sp->all_cls);
	free_atom_cache(sp->atoms);
	if (sp->always_other)
		for (uint32_t a = 0; a < m->nactions; a++)
			free(sp->always_other[a]);
	free(sp->always_other);
	free(sp->stride);
	free(sp->cstride);
	memset(sp, 0, sizeof *sp);
}
