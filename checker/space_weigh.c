/*
 * space_weigh.c - exact weights.  A block's weight lines w_j = p_j / q_j
 * are scaled by Q = prod_j q_j, so a situation's weight becomes the
 * integer prod_{j matched} p_j * prod_{j unmatched} q_j; ratios of such
 * integers are the exact probabilities.  They are machine words when a
 * bound proves every sum fits, GMP integers otherwise (space_int.h,
 * switches 3 and 4).  Also the class sums (struct csum) the engines add.
 */
#include "space_int.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Class sums                                                         */
/* ------------------------------------------------------------------ */

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
	cs->z = xreallocarray(NULL, n, sizeof *cs->z);
	for (uint64_t i = 0; i < n; i++)
		mpz_init(cs->z[i]);
}

void
space_csum(struct arena *a, struct csum *cs, uint64_t n, bool big)
{
	cs->n = n;
	cs->big = big;
	cs->v = big ? NULL : arena_array(a, n, sizeof *cs->v);
	cs->z = big ? space_mpz_array(a, n) : NULL;
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
	u128_to_mpz(out, acc);
}

/* ------------------------------------------------------------------ */
/* Weights                                                            */
/* ------------------------------------------------------------------ */

/* The situations whose feature 'f' is in lump 'l', in 'a'. */
static uint64_t *
lump_bits(const struct space *sp, struct arena *a, uint32_t f, uint32_t l)
{
	bool *one = xcalloc(sp->nv[f], sizeof *one);
	uint64_t *b = arena_array(a, sp->sw, sizeof *b);

	one[l] = true;
	atom_fill(b, sp->nsit, sp->stride[f], sp->nv[f], one);
	free(one);
	return b;
}

/*
 * The block's weight lines ('b' NULL: none), then one line per lump of
 * uneven size (weight its size where the feature is in it, 1 elsewhere):
 * a situation of the space weighs for all the situations it stands for.
 */
void
weigher_init(struct weigher *w, const struct space *sp,
    const struct block *b, struct arena *lines, struct arena *pats)
{
	const struct model *m = sp->m;
	uint32_t nb = b ? b->nweights : 0, nm = 0;
	u128 bound = 1;

	for (uint32_t f = 0; f < m->nfeatures; f++)
		for (uint32_t l = 0; lump_uneven(sp, f) && l < sp->nv[f]; l++)
			nm += sp->lsize[f][l] > 1;
	w->n = nb + nm;
	w->bits = arena_array(lines, w->n, sizeof *w->bits);
	w->p = arena_array(lines, w->n, sizeof *w->p);
	w->q = arena_array(lines, w->n, sizeof *w->q);
	w->pz = space_mpz_array(lines, w->n);
	w->qz = space_mpz_array(lines, w->n);
	w->big = false;
	for (uint32_t j = 0; j < nb; j++) {
		mpq_srcptr x = b->weights[j].w;
		if (deadline_expired()) {	/* each line is a bitset */
			w->n = j;
			return;
		}
		w->bits[j] = guard_in(sp, lines, b->weights[j].expr, false);
		mpz_set(w->pz[j], mpq_numref(x));
		mpz_set(w->qz[j], mpq_denref(x));
	}
	uint32_t j = nb;
	for (uint32_t f = 0; f < m->nfeatures; f++)
		for (uint32_t l = 0; lump_uneven(sp, f) && l < sp->nv[f]; l++) {
			if (sp->lsize[f][l] <= 1)
				continue;
			w->bits[j] = lump_bits(sp, lines, f, l);
			mpz_set_ui(w->pz[j], sp->lsize[f][l]);
			mpz_set_ui(w->qz[j++], 1);
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
		uint64_t *pat = arena_array(pats, sp->sw, sizeof *pat);
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

uint64_t
weigh_u64(const struct weigher *w, uint64_t s)
{
	uint64_t x = 1;

	for (uint32_t j = 0; j < w->n; j++)
		x *= bs_test(w->bits[j], s) ? w->p[j] : w->q[j];
	return x;
}

void
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
void
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
		u128_to_mpz(total, acc);
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
/* The training and deployment sets                                   */
/* ------------------------------------------------------------------ */

/*
 * Selects the block's situations and weighs them.  'pos' gets those of
 * positive weight; 'total' their integer sum.
 */
bool
block_select(struct space *sp, const struct block *b, const char *what,
    uint64_t **set, uint64_t **pos, uint64_t *count, mpz_t total,
    struct weigher *w, struct arena *pats, struct diag *d)
{
	*set = guard_in(sp, &sp->mem, b->situations, false);
	*pos = arena_array(&sp->mem, sp->sw, sizeof **pos);
	*count = bs_count(*set, sp->sw);
	if (*count == 0) {
		diag_error(d, b->situations_loc, "no situation is in %s: "
		    "'situations' selects none of the %llu", what,
		    (unsigned long long)sp->nsit);
		return false;
	}
	weigher_init(w, sp, b, &sp->mem, pats);
	weigh_set(sp, w, *set, *pos, total);
	if (mpz_sgn(total) == 0 && !deadline_expired()) {
		diag_error(d, b->loc, "the %s weights sum to 0: every %s "
		    "situation has weight 0", what, what);
		return false;
	}
	return true;
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

void
full_counts(struct space *sp)
{
	const struct model *m = sp->m;
	struct arena tmp = { 0 };	/* the lump-size lines, used here */
	struct weigher wm = { 0 };
	bool any = false;

	for (uint32_t f = 0; f < m->nfeatures; f++)
		any |= lump_uneven(sp, f);
	if (any)
		weigher_init(&wm, sp, NULL, &tmp, &tmp);
	const struct weigher *w = any ? &wm : NULL;
	sp->full.ntrain = sp->train ? full_count(sp, w, sp->train) : 0;
	sp->full.ndeploy = sp->deploy ? full_count(sp, w, sp->deploy) : 0;
	sp->full.naudit = full_count(sp, w, sp->audit);
	arena_free(&tmp);
}

/* ------------------------------------------------------------------ */
/* Masses for the engines                                             */
/* ------------------------------------------------------------------ */

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
			uint64_t c0 = class_of(sp, (uint64_t)i * 64);
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
		uint64_t c = class_of(sp, s);
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
		if (lump_uneven(sp, f))
			mpz_mul_ui(mpq_denref(out), mpq_denref(out),
			    sp->lsize[f][digit_of(sp, s, f)]);
	mpq_canonicalize(out);
}
