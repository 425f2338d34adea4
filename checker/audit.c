/*
 * audit.c - audit plans.  Each consistent diverging character or
 * optimizer gets the set of audit positions that refute it; positions
 * that refute the same entities are one column (its first position).
 * Reductions that stay near-linear (dominated rows, dominated columns
 * against the maximal ones only, forced columns) leave a small cover
 * problem; greedy and the Lagrangian's covers, then a local search with
 * row weights, give a cover, a disjoint-row packing and the Lagrangian
 * lower bounds; still apart, a depth-first search of our own (a budget
 * of counted steps) settles most; then the LP and GLPK's MIP (a node
 * limit, and a time budget as the backstop).  What it cannot prove is
 * reported as such: the plan, a lower bound, and minimal = false.
 */
#include "audit.h"

#include "deadline.h"
#include "par.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/*
 * Whether A is whole runs of all classes in order: the classes' ncls
 * situations are consecutive and in class order (sp->run), a multiple
 * of 64, and each run of A's bitset is all in or all out.  Then position
 * k has class k % ncls, and A's words are the positions' words.
 */
static bool
audit_sliced(const struct space *sp)
{
	if (!sp->ifire || sp->ncls == 0 || sp->ncls % 64 ||
	    sp->run != sp->ncls || sp->naudit == 0)
		return false;
	for (size_t i = 0; i < sp->sw; i += sp->cw) {
		uint64_t first = sp->audit[i];
		if (first != 0 && first != ~(uint64_t)0)
			return false;
		for (size_t w = i + 1; w < i + sp->cw; w++)
			if (sp->audit[w] != first)
				return false;
	}
	return true;
}

void
audit_space_build(struct audit_space *as, const struct space *sp)
{
	const struct model *m = sp->m;

	memset(as, 0, sizeof *as);
	as->n = sp->naudit;
	as->aw = bs_words(as->n);
	as->sliced = audit_sliced(sp);
	as->bad = xcalloc(m->nactions + 1, sizeof *as->bad);
	for (uint32_t a = 0; a < m->nactions; a++)
		as->bad[a] = xcalloc(as->aw ? as->aw : 1, sizeof(uint64_t));
	if (as->sliced) {
		/* A's words in order are the positions' words; per action,
		 * the intended rules that do not accept it, word by word. */
		size_t k = 0;
		for (size_t i = 0; i < sp->sw; i++) {
			if (!sp->audit[i])
				continue;
			for (uint32_t r = 0; r < m->nintended; r++)
				for (uint32_t a = 0; a < m->nactions; a++)
					if (!m->intended[r].accept[a])
						as->bad[a][k] |=
						    sp->ifire[r][i];
			k++;
		}
		return;
	}
	/* Position by position; A may still have its classes in order
	 * (a hidden feature of lower order than the visible ones). */
	bool sliced = sp->ncls % 64 == 0 && as->n % sp->ncls == 0 && as->n;
	as->cls = xreallocarray(NULL, as->n ? as->n : 1, sizeof *as->cls);
	uint64_t k = 0;
	for (uint64_t s = bs_next(sp->audit, sp->sw, 0); s != BS_NONE;
	    s = bs_next(sp->audit, sp->sw, s + 1), k++) {
		as->cls[k] = space_class(sp, s);
		sliced &= as->cls[k] == k % sp->ncls;
		uint32_t rule = space_intended(sp, s);
		if (rule == NONE)
			continue;	/* not covered: refutes nothing */
		for (uint32_t a = 0; a < m->nactions; a++)
			if (!m->intended[rule].accept[a])
				bs_set(as->bad[a], k);
	}
	as->sliced = sliced;
}

void
audit_space_free(struct audit_space *as)
{
	if (as->bad)
		for (uint32_t a = 0; as->bad[a]; a++)
			free(as->bad[a]);
	free(as->bad);
	free(as->cls);
	memset(as, 0, sizeof *as);
}

/*
 * The situations of positions 'pos' (n, ascending) of A, in place: one
 * pass over A's words, counting.
 */
static void
audit_situations(const struct space *sp, uint64_t *pos, uint32_t n)
{
	uint64_t before = 0;
	size_t i = 0;

	for (uint32_t t = 0; t < n; t++) {
		uint64_t c;
		while (before + (c = (uint64_t)__builtin_popcountll(
		    sp->audit[i])) <= pos[t]) {
			before += c;
			i++;
		}
		uint64_t w = sp->audit[i];
		for (uint64_t skip = pos[t] - before; skip > 0; skip--)
			w &= w - 1;
		pos[t] = i * 64 + (uint64_t)__builtin_ctzll(w);
	}
}

/* The action a piece plays with probability 1, or NONE. */
static uint32_t
sure_action(const struct piece *pc, uint32_t na)
{
	uint32_t a = pc->action;

	/* Stochastic pieces are caught only through an action of
	 * probability 1 (v1). */
	if (a == NONE)
		for (uint32_t b = 0; b < na; b++)
			if (pc->dist[b] && mpq_cmp_ui(pc->dist[b], 1, 1) == 0)
				a = b;
	return a;
}

/*
 * audit_refuters when A is whole runs of the classes: per action, the
 * classes where the policy surely plays it, ANDed word by word with the
 * positions where it is not intended.
 */
static uint64_t *
sliced_refuters(const struct audit_space *as, const struct space *sp,
    const struct policy *p, uint64_t *out)
{
	uint32_t na = sp->m->nactions;
	size_t cw = bs_words(sp->ncls);
	uint64_t *u = xcalloc((size_t)na * cw + 1, sizeof *u);
	bool *used = xcalloc(na + 1, sizeof *used);

	for (uint32_t i = 0; i < p->npieces; i++) {
		uint32_t a = sure_action(&p->pieces[i], na);
		if (a == NONE)
			continue;
		bs_or(u + a * cw, u + a * cw, p->pieces[i].cls, cw);
		used[a] = true;
	}
	for (uint32_t a = 0; a < na; a++) {
		if (!used[a])
			continue;
		const uint64_t *ua = u + a * cw, *bad = as->bad[a];
		for (size_t w = 0; w < as->aw; w++)
			out[w] |= bad[w] & ua[w % cw];
	}
	free(u);
	free(used);
	return out;
}

uint64_t *
audit_refuters(const struct audit_space *as, const struct space *sp,
    const struct policy *p)
{
	uint64_t *out = xcalloc(as->aw ? as->aw : 1, sizeof *out);

	/* audit { situations false }: nothing to refute at (and no pass
	 * over the classes per entity: bench row ana, 2^18 classes). */
	if (as->n == 0)
		return out;
	if (as->sliced)
		return sliced_refuters(as, sp, p, out);

	/*
	 * The pieces that play an action surely, each with the positions
	 * where that action is not intended; each class lies in one piece
	 * at most, so a position asks the pieces in turn.  No table per
	 * class: at 2^24 classes (hidden 0) one of 64 MB per entity, freshly
	 * mapped, made the audit 39 s of a 40 s run.  A word of positions
	 * where no such action is bad is skipped whole.
	 */
	uint32_t na = sp->m->nactions, nsure = 0;
	const uint64_t **cls = xcalloc(p->npieces + 1, sizeof *cls);
	const uint64_t **bad = xcalloc(p->npieces + 1, sizeof *bad);
	for (uint32_t i = 0; i < p->npieces; i++) {
		uint32_t a = sure_action(&p->pieces[i], na);
		if (a == NONE)
			continue;
		cls[nsure] = p->pieces[i].cls;
		bad[nsure++] = as->bad[a];
	}
	for (size_t w = 0; w < as->aw && nsure > 0; w++) {
		uint64_t any = 0;
		for (uint32_t j = 0; j < nsure; j++)
			any |= bad[j][w];
		for (; any; any &= any - 1) {
			uint64_t k = w * 64 + (uint64_t)__builtin_ctzll(any);
			uint64_t c = as->cls[k];
			for (uint32_t j = 0; j < nsure; j++)
				if (bs_test(cls[j], c)) {
					if (bs_test(bad[j], k))
						bs_set(out, k);
					break;
				}
		}
	}
	free(cls);
	free(bad);
	return out;
}

/* ------------------------------------------------------------------ */
/* The cover problem and its reductions                               */
/* ------------------------------------------------------------------ */

/*
 * The default limits of the MIP when the bounds disagree: nodes times
 * the nonzeros of the problem (a node's LP grows with them; 2,000 nodes
 * at most), which is deterministic, and a wall-clock budget as the
 * backstop when no --timeout is given.  Only a plan that is not proven
 * minimal can depend on the machine's speed.  On the generated
 * schemer-heavy audits of 2^14 x 1,500 (about 230 x 510, 10,000
 * nonzeros) GLPK needs 1-3 ms a node; the proofs it finished took at
 * most 423 nodes (docs/scale.md).
 */
#define AUDIT_NODES 2000
#define AUDIT_MIP_WORK 5000000
#define AUDIT_SECONDS 10.0
/* Past these many nonzeros the reduced cover gets no LP, or no MIP: on
 * bench's 2^20 audit (17,898 x 103, 312,492 nonzeros) GLPK needs 0.6 s
 * for the LP and more than 10 s for 50 nodes. */
#define AUDIT_LP_NNZ 100000
#define AUDIT_MIP_NNZ 30000
/*
 * Our own search (below): its budget in steps (each subgradient step and
 * each branching is charged the part's nonzeros, what a pass over all its
 * columns visits, though a node walks only its own), the multipliers'
 * step length, and the steps at each node.  Tuned on bench's audits
 * (c1000, c2000, d4; docs/scale.md).
 */
#define AUDIT_WORK 2000000000ull
/* A wider gap, on a part small enough for the LP and MIP, gets a fifth
 * of it first: on 108 generated models (docs/scale.md) it settled 2^16 x
 * 1,500 audits that took GLPK's MIP 3-8 s, and found smaller covers on
 * schemer-heavy ones. */
#define AUDIT_WIDE_WORK (AUDIT_WORK / 5)
/*
 * The local search (walk): its work in list entries visited, over a
 * whole part and over a large part's core, and the core's columns per
 * row.  On 108 generated models (docs/scale.md) 5e6 found every cover
 * the search and the MIP had found, and smaller ones on nine; a
 * core's walk finds its covers early (bench row a: step 14), and 1e6
 * kept the same plans as 5e6 on bench's and six more 2^20 audits.
 */
#define AUDIT_WALK_WORK 5000000
#define AUDIT_CORE_WORK 1000000
#define WALK_CORE 8
#define DFS_LAMBDA 0.3
#define DFS_STEPS 60
/* Weights this close tie in lagrange_cover (kept sums round apart). */
#define TIE 1e-9

/* Columns as bitsets over rows, flat: column j is m + j * rw. */
struct cover {
	uint32_t nrows, ncols;
	size_t rw;		/* words per column */
	uint64_t *m;		/* ncols x rw, heap */
	uint32_t *id;		/* column -> the caller's column index */
	bool maximal;		/* no column is inside another (reduce) */
};

static uint64_t
hash_words(const uint64_t *w, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ w[i]) * 1099511628211ull;
	return h ^ h >> 29;
}

/*
 * Distinct bitsets of 'rw' words, by hash: 'add' returns the index of an
 * equal one already added, or UINT32_MAX after recording 'idx' for it.
 */
struct dedup {
	uint32_t *tab;		/* slot -> index, UINT32_MAX free */
	size_t cap;		/* a power of two */
	const uint64_t *base;	/* the bitsets, flat */
	size_t rw;
};

static void
dedup_init(struct dedup *h, uint32_t n, const uint64_t *base, size_t rw)
{
	h->cap = 16;
	while (h->cap < (size_t)n * 2 + 2)
		h->cap *= 2;
	h->tab = xreallocarray(NULL, h->cap, sizeof *h->tab);
	memset(h->tab, 0xff, h->cap * sizeof *h->tab);
	h->base = base;
	h->rw = rw;
}

static uint32_t
dedup_add(struct dedup *h, const uint64_t *set, uint32_t idx)
{
	size_t k = hash_words(set, h->rw) & (h->cap - 1);

	for (; h->tab[k] != UINT32_MAX; k = (k + 1) & (h->cap - 1))
		if (!memcmp(h->base + h->tab[k] * h->rw, set,
		    h->rw * sizeof *set))
			return h->tab[k];
	h->tab[k] = idx;
	return UINT32_MAX;
}

/* Sort keys: a count, then an index (the earlier first on ties). */
struct key {
	uint64_t count;
	uint32_t idx;
};

static int
key_asc(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
key_desc(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The keys by count, most first, ties in their order in 'k' (a counting
 * sort: counts are at most 'most'); with k in index order this is
 * key_desc's order.
 */
static void
by_count_desc(struct key *k, uint32_t n, uint64_t most)
{
	uint32_t *at = xcalloc((size_t)most + 2, sizeof *at);
	struct key *t = xcalloc((size_t)n + 1, sizeof *t);

	for (uint32_t i = 0; i < n; i++)
		at[most - k[i].count + 1]++;
	for (uint64_t v = 0; v < most; v++)
		at[v + 1] += at[v];
	for (uint32_t i = 0; i < n; i++)
		t[at[most - k[i].count]++] = k[i];
	memcpy(k, t, n * sizeof *k);
	free(at);
	free(t);
}

/*
 * The words between consecutive bitsets of 'n' bits in a matrix: one
 * more than they need when that is even, so that rows a multiple of
 * 4 KB apart (512 words: 32,768 columns) do not all fall in one cache
 * set when a pass reads or writes them at the same word (bench row a:
 * the rows of 32,712 columns took 11 ms to fill instead of 1).  The
 * spare word stays zero.
 */
static size_t
stride(uint64_t n)
{
	return bs_words(n) | 1;
}

/*
 * The cover's rows as bitsets over its columns: nrows x *cw words (the
 * stride), heap.
 */
static uint64_t *
row_bits(const struct cover *c, size_t *cw)
{
	uint64_t *rm;

	*cw = stride(c->ncols);
	rm = xcalloc((size_t)c->nrows * *cw + 1, sizeof *rm);
	/* 64 columns at a time into a word per row, then each row's word
	 * written once: a bit set straight into rows 4 KB apart missed
	 * the cache (bench row a: 3.9 ms). */
	uint64_t *acc = xcalloc((size_t)c->nrows + 1, sizeof *acc);
	for (uint32_t j0 = 0; j0 < c->ncols; j0 += 64) {
		uint32_t j1 = c->ncols - j0 < 64 ? c->ncols : j0 + 64;
		for (uint32_t j = j0; j < j1; j++) {
			const uint64_t *col = c->m + j * c->rw;
			for (size_t w = 0; w < c->rw; w++)
				for (uint64_t x = col[w]; x; x &= x - 1)
					acc[w * 64 + (size_t)
					    __builtin_ctzll(x)] |=
					    (uint64_t)1 << (j - j0);
		}
		for (uint32_t r = 0; r < c->nrows; r++) {
			rm[r * *cw + j0 / 64] = acc[r];
			acc[r] = 0;
		}
	}
	free(acc);
	return rm;
}

/* In k the rows of row_bits' 'rm' by ascending column count, ties by
 * index. */
static void
row_order(const struct cover *c, const uint64_t *rm, size_t cw,
    struct key *k)
{
	for (uint32_t r = 0; r < c->nrows; r++)
		k[r] = (struct key){ bs_count(rm + r * cw, cw), r };
	qsort(k, c->nrows, sizeof *k, key_asc);
}

/*
 * Columns kept as maximal: a superset of a column has each of its rows,
 * so per row the kept columns that have it (a bitset over the order of
 * keeping); a column is inside a kept one when the AND of its rows'
 * bitsets is not empty.  Word by word, rarest rows first: the AND of
 * the first few is mostly zero already.
 */
struct dom {
	const uint64_t *m;	/* the columns, rw words each */
	size_t rw, kw;
	uint32_t nr;
	uint64_t *kbits;	/* nr x kw: per row, the kept columns on it */
	uint32_t *nunder;	/* per row: kept columns on it */
	uint32_t *rr;		/* scratch: a column's rows, rarest 1st */
	uint32_t *kept, nkept;	/* the kept columns, in order */
	/* dom_run: keys [from, to) against what is kept here.
	 * dom_against: kept[from, to) against 'with's kept columns, the
	 * answers to 'out' (true: inside none). */
	const struct key *k;
	uint32_t from, to;
	const struct dom *with;
	bool *out;
};

static void
dom_init(struct dom *d, const uint64_t *m, size_t rw, uint32_t nr,
    uint32_t ncols)
{
	*d = (struct dom){ .m = m, .rw = rw, .nr = nr, .kw = stride(ncols) };
	d->kbits = xcalloc((size_t)nr * d->kw + 1, sizeof *d->kbits);
	d->nunder = xcalloc(nr + 1, sizeof *d->nunder);
	d->rr = xcalloc(nr + 1, sizeof *d->rr);
	d->kept = xcalloc(ncols + 1, sizeof *d->kept);
}

static void
dom_free(struct dom *d)
{
	free(d->kbits);
	free(d->nunder);
	free(d->rr);
	free(d->kept);
}

/* Whether column 'j' is inside a column kept in 'd' ('rr': scratch). */
static bool
dom_inside(const struct dom *d, uint32_t j, uint32_t *rr, uint32_t *nrr)
{
	const uint64_t *col = d->m + (size_t)j * d->rw;
	size_t kw = d->kw;
	uint32_t n = 0;

	for (uint64_t r = bs_next(col, d->rw, 0); r != BS_NONE;
	    r = bs_next(col, d->rw, r + 1)) {
		/* Rarest first (insertion, stable). */
		uint32_t t = n++;
		for (; t > 0 && d->nunder[rr[t - 1]] > d->nunder[r]; t--)
			rr[t] = rr[t - 1];
		rr[t] = (uint32_t)r;
	}
	*nrr = n;
	/* The five rarest rows (the rarest again when fewer). */
	const uint64_t *kb = d->kbits;
	const uint64_t *a = kb + (size_t)rr[0] * kw;
	const uint64_t *b = kb + (size_t)rr[n > 1] * kw;
	const uint64_t *e = kb + (size_t)rr[n > 2 ? 2 : 0] * kw;
	const uint64_t *f = kb + (size_t)rr[n > 3 ? 3 : 0] * kw;
	const uint64_t *g = kb + (size_t)rr[n > 4 ? 4 : 0] * kw;
	size_t nw = bs_words(d->nkept);
	/* Eight words at a time without a branch per word (whether a
	 * word's AND is zero is a coin toss the processor cannot
	 * predict); the other rows only where five leave a bit. */
	for (size_t w0 = 0; w0 < nw; w0 += 8) {
		size_t w1 = w0 + 8 < nw ? w0 + 8 : nw;
		uint64_t any = 0;
		for (size_t w = w0; w < w1; w++)
			any |= a[w] & b[w] & e[w] & f[w] & g[w];
		for (size_t w = w0; any && w < w1; w++) {
			uint64_t x = a[w] & b[w] & e[w] & f[w] & g[w];
			for (uint32_t t = 5; t < n && x; t++)
				x &= kb[(size_t)rr[t] * kw + w];
			if (x)
				return true;
		}
	}
	return false;
}

/* Keys [from, to) in order, each kept unless inside a kept one. */
static void
dom_run(void *arg)
{
	struct dom *d = arg;
	uint32_t nrr;

	for (uint32_t i = d->from; i < d->to; i++) {
		uint32_t j = d->k[i].idx;
		if (dom_inside(d, j, d->rr, &nrr))
			continue;
		for (uint32_t t = 0; t < nrr; t++) {
			bs_set(d->kbits + (size_t)d->rr[t] * d->kw, d->nkept);
			d->nunder[d->rr[t]]++;
		}
		d->kept[d->nkept++] = j;
	}
}

static void
dom_against(void *arg)
{
	struct dom *d = arg;
	uint32_t nrr;

	for (uint32_t i = d->from; i < d->to; i++)
		d->out[i] = !dom_inside(d->with, d->kept[i], d->rr, &nrr);
}

/* Columns at least this many are split over two threads. */
#define MAXIMAL_SPLIT 4096

/*
 * The maximal columns of 'm' (nc, rw words each) in the order of 'k'
 * (by count, most first), to 'kept'; returns how many.  With two
 * threads: each half of the order alone, then the second half's kept
 * ones against the first half's (two threads again).  A column is
 * maximal when no column before it contains it, and containment is
 * transitive, so that is the same set as one pass.
 */
static uint32_t
maximal(const uint64_t *m, size_t rw, uint32_t nr, const struct key *k,
    uint32_t nc, uint32_t *kept)
{
	struct dom d1, d2;
	uint32_t half = nc >= MAXIMAL_SPLIT && par_threads() > 1 ? nc / 2 :
	    nc, n;
	struct par p;

	dom_init(&d1, m, rw, nr, half);
	d1.k = k;
	d1.to = half;
	if (half < nc) {
		dom_init(&d2, m, rw, nr, nc - half);
		d2.k = k;
		d2.from = half;
		d2.to = nc;
		par_start(&p, dom_run, &d2, true);
	}
	dom_run(&d1);
	memcpy(kept, d1.kept, d1.nkept * sizeof *kept);
	n = d1.nkept;
	if (half < nc) {
		par_join(&p);
		/* The second half's kept against the first's: a thread each
		 * for half of them, each with scratch rows of its own. */
		struct dom t1 = d2, t2 = d2;
		bool *out = xcalloc(d2.nkept + 1, sizeof *out);
		t1.with = t2.with = &d1;
		t1.out = t2.out = out;
		t1.to = t2.from = d2.nkept / 2;
		t1.from = 0;
		t2.to = d2.nkept;
		t2.rr = xcalloc(nr + 1, sizeof *t2.rr);
		par_start(&p, dom_against, &t2, true);
		dom_against(&t1);
		par_join(&p);
		for (uint32_t i = 0; i < d2.nkept; i++)
			if (out[i])
				kept[n++] = d2.kept[i];
		free(out);
		free(t2.rr);
		dom_free(&d2);
	}
	dom_free(&d1);
	return n;
}

/*
 * One round of reductions.  Rows: a row whose columns include all the
 * columns of another row is implied by it (sorted by column count, each
 * row is compared with the kept, minimal, rows only).  A row with one
 * column forces it.  Columns: projected onto the rows left, identical
 * ones keep the earliest, and a column inside another one is dropped
 * (sorted by row count, compared with the kept, maximal, columns only);
 * any cover can swap it for its superset.  Forced columns' caller indices
 * go to 'forced'.  Returns whether anything changed.
 */
static bool
reduce(struct cover *c, uint32_t *forced, uint32_t *nforced)
{
	size_t cw;
	uint64_t *rm = row_bits(c, &cw);
	struct key *k = xcalloc((size_t)c->nrows + c->ncols + 1, sizeof *k);
	uint32_t *kept = xcalloc((size_t)c->nrows + c->ncols + 1,
	    sizeof *kept);
	bool *take = xcalloc(c->ncols + 1, sizeof *take);
	uint32_t nkept = 0, nold = c->nrows, cold = c->ncols;

	row_order(c, rm, cw, k);
	uint64_t *first = xcalloc(c->nrows + 1, sizeof *first);
	for (uint32_t r = 0; r < c->nrows; r++)
		first[r] = bs_next(rm + r * cw, cw, 0);
	for (uint32_t i = 0; i < c->nrows; i++) {
		const uint64_t *row = rm + k[i].idx * cw;
		bool implied = false;
		/* A kept row inside this one has its first column here. */
		for (uint32_t e = 0; e < nkept && !implied; e++)
			implied = bs_test(row, first[kept[e]]) &&
			    bs_subset(rm + kept[e] * cw, row, cw);
		if (implied)
			continue;
		kept[nkept++] = k[i].idx;
		if (k[i].count == 1)
			take[bs_next(row, cw, 0)] = true;
	}
	free(first);
	/* The rows left: kept, and not covered by a forced column. */
	uint32_t *newrow = xcalloc(c->nrows + 1, sizeof *newrow);
	uint32_t nr = 0;
	bool *alive = xcalloc(c->nrows + 1, sizeof *alive);
	for (uint32_t e = 0; e < nkept; e++)
		alive[kept[e]] = true;
	for (uint32_t j = 0; j < c->ncols; j++)
		if (take[j]) {
			forced[(*nforced)++] = c->id[j];
			const uint64_t *col = c->m + j * c->rw;
			for (uint64_t r = bs_next(col, c->rw, 0);
			    r != BS_NONE; r = bs_next(col, c->rw, r + 1))
				alive[r] = false;
		}
	for (uint32_t r = 0; r < c->nrows; r++)
		newrow[r] = alive[r] ? nr++ : UINT32_MAX;
	/* The same rows as the last round's: its columns stay maximal. */
	if (nr == nold && c->maximal)
		goto out;
	/*
	 * Columns projected onto them, row by row from the row bitsets (a
	 * tight loop over set bits), then without empty or equal ones,
	 * moved down in place.
	 */
	size_t rw = bs_words(nr);
	uint64_t *m = xcalloc((size_t)c->ncols * rw + 1, sizeof *m);
	uint32_t *id = xcalloc(c->ncols + 1, sizeof *id);
	uint32_t nc = 0;
	for (uint32_t r = 0; r < c->nrows; r++) {
		if (newrow[r] == UINT32_MAX)
			continue;
		const uint64_t *row = rm + r * cw;
		uint64_t bit = (uint64_t)1 << newrow[r] % 64;
		uint64_t *to = m + newrow[r] / 64;
		for (size_t w = 0; w < bs_words(c->ncols); w++)
			for (uint64_t x = row[w]; x; x &= x - 1)
				to[(w * 64 + (size_t)__builtin_ctzll(x)) *
				    rw] |= bit;
	}
	struct dedup h;
	dedup_init(&h, c->ncols, m, rw);
	for (uint32_t j = 0; j < c->ncols && nr; j++) {
		uint64_t *to = m + nc * rw;
		if (nc < j) {
			memcpy(to, m + j * rw, rw * sizeof *to);
			memset(m + j * rw, 0, rw * sizeof *to);
		}
		if (take[j] || !bs_any(to, rw) ||
		    dedup_add(&h, to, nc) != UINT32_MAX) {
			memset(to, 0, rw * sizeof *to);
			continue;
		}
		id[nc++] = c->id[j];
	}
	free(h.tab);
	/* Keep the maximal columns, then restore the caller's order. */
	for (uint32_t j = 0; j < nc; j++)
		k[j] = (struct key){ bs_count(m + j * rw, rw), j };
	by_count_desc(k, nc, nr);
	nkept = maximal(m, rw, nr, k, nc, kept);
	/* Back in column order: marked, then listed. */
	memset(take, 0, (c->ncols + 1) * sizeof *take);
	for (uint32_t e = 0; e < nkept; e++)
		take[kept[e]] = true;
	for (uint32_t j = 0, e = 0; j < nc; j++)
		if (take[j])
			kept[e++] = j;
	uint64_t *mm = xcalloc((size_t)nkept * rw + 1, sizeof *mm);
	for (uint32_t e = 0; e < nkept; e++) {
		memcpy(mm + e * rw, m + kept[e] * rw, rw * sizeof *mm);
		id[e] = id[kept[e]];
	}
	free(m);
	free(c->m);
	free(c->id);
	c->m = mm;
	c->id = id;
	c->ncols = nkept;
	c->nrows = nr;
	c->rw = rw;
	c->maximal = true;
out:
	free(rm);
	free(k);
	free(kept);
	free(take);
	free(newrow);
	free(alive);
	return c->nrows != nold || c->ncols != cold;
}

/* ------------------------------------------------------------------ */
/* Bounds and covers                                                  */
/* ------------------------------------------------------------------ */

/*
 * The cover 'pick' (n columns, marked in 'sol') without the columns that
 * later ones make redundant, dropped latest first: unmarks them and
 * returns the size left.
 */
static uint32_t
drop_redundant(const struct cover *c, const uint32_t *pick, uint32_t n,
    bool *sol)
{
	uint32_t *hits = xcalloc(c->nrows + 1, sizeof *hits);
	uint32_t size = n;

	for (uint32_t i = 0; i < n; i++) {
		const uint64_t *col = c->m + pick[i] * c->rw;
		for (uint64_t r = bs_next(col, c->rw, 0); r != BS_NONE;
		    r = bs_next(col, c->rw, r + 1))
			hits[r]++;
	}
	for (uint32_t i = n; i-- > 0;) {
		const uint64_t *col = c->m + pick[i] * c->rw;
		bool needed = false;
		for (uint64_t r = bs_next(col, c->rw, 0);
		    r != BS_NONE && !needed; r = bs_next(col, c->rw, r + 1))
			needed = hits[r] == 1;
		if (needed)
			continue;
		for (uint64_t r = bs_next(col, c->rw, 0); r != BS_NONE;
		    r = bs_next(col, c->rw, r + 1))
			hits[r]--;
		sol[pick[i]] = false;
		size--;
	}
	free(hits);
	return size;
}

/*
 * Greedy: the column adding most rows, ties to the earliest; then the
 * columns made redundant by later picks are dropped, latest first.
 * Marks 'sol' and returns the size.
 */
static uint32_t
greedy_start(const struct cover *c, uint32_t first, bool *sol)
{
	uint64_t *cov = xcalloc(c->rw + 1, sizeof *cov);
	uint32_t *pick = xcalloc(c->ncols + 1, sizeof *pick);
	uint64_t left = c->nrows;
	uint32_t n = 0;

	if (first != NONE) {
		bs_or(cov, cov, c->m + first * c->rw, c->rw);
		left -= bs_count(c->m + first * c->rw, c->rw);
		pick[n++] = first;
		sol[first] = true;
	}
	while (left > 0) {
		uint64_t best = 0;
		uint32_t b = 0;
		for (uint32_t j = 0; j < c->ncols; j++) {
			const uint64_t *col = c->m + j * c->rw;
			uint64_t g = 0;
			for (size_t w = 0; w < c->rw; w++)
				g += (uint64_t)__builtin_popcountll(col[w] &
				    ~cov[w]);
			if (g > best) {
				best = g;
				b = j;
			}
		}
		assert(best > 0);	/* every row has a column */
		bs_or(cov, cov, c->m + b * c->rw, c->rw);
		left -= best;
		pick[n++] = b;
		sol[b] = true;
	}
	free(cov);
	uint32_t size = drop_redundant(c, pick, n, sol);
	free(pick);
	return size;
}

static uint32_t
greedy(const struct cover *c, bool *sol)
{
	return greedy_start(c, NONE, sol);
}

/*
 * A lower bound without a solver: rows no two of which share a column
 * (fewest columns first) each need a column of their own.
 */
static uint32_t
packing(const struct cover *c)
{
	size_t cw;
	uint64_t *rm = row_bits(c, &cw);
	uint64_t *used = xcalloc(cw + 1, sizeof *used);
	struct key *k = xcalloc(c->nrows + 1, sizeof *k);
	uint32_t n = 0;

	row_order(c, rm, cw, k);
	for (uint32_t i = 0; i < c->nrows; i++) {
		const uint64_t *row = rm + k[i].idx * cw;
		if (bs_intersects(row, used, cw))
			continue;
		bs_or(used, used, row, cw);
		n++;
	}
	free(rm);
	free(used);
	free(k);
	return n;
}

/*
 * Greedy after taking column 'first', then without redundant columns:
 * marks 'sol' and returns the size.
 */
static uint32_t
greedy_from(const struct cover *c, uint32_t first, bool *sol)
{
	memset(sol, 0, (c->ncols + 1) * sizeof *sol);
	return greedy_start(c, first, sol);
}

/* Union-find root with path halving. */
static uint32_t
root(uint32_t *up, uint32_t x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

/*
 * The connected parts of the rows (two rows are connected when a column
 * has both): 'comp' gets each row's part, numbered by first row.
 */
static uint32_t
components(const struct cover *c, uint32_t *comp)
{
	uint32_t *up = xcalloc(c->nrows + 1, sizeof *up);
	uint32_t *num = xcalloc(c->nrows + 1, sizeof *num);
	uint32_t n = 0;

	for (uint32_t r = 0; r < c->nrows; r++)
		up[r] = r;
	for (uint32_t j = 0; j < c->ncols; j++) {
		const uint64_t *col = c->m + j * c->rw;
		uint64_t a = bs_next(col, c->rw, 0);
		for (uint64_t r = bs_next(col, c->rw, a + 1); r != BS_NONE;
		    r = bs_next(col, c->rw, r + 1)) {
			uint32_t x = root(up, (uint32_t)a),
			    y = root(up, (uint32_t)r);
			if (x != y)
				up[x > y ? x : y] = x < y ? x : y;
		}
	}
	for (uint32_t r = 0; r < c->nrows; r++)
		num[r] = UINT32_MAX;
	for (uint32_t r = 0; r < c->nrows; r++) {
		uint32_t x = root(up, r);
		if (num[x] == UINT32_MAX)
			num[x] = n++;
		comp[r] = num[x];
	}
	free(up);
	free(num);
	return n;
}

/* The sub-problem of part 'p': its rows and the columns over them. */
static void
part(const struct cover *c, const uint32_t *comp, uint32_t p,
    struct cover *sub)
{
	uint32_t *newrow = xcalloc(c->nrows + 1, sizeof *newrow);

	memset(sub, 0, sizeof *sub);
	for (uint32_t r = 0; r < c->nrows; r++)
		newrow[r] = comp[r] == p ? sub->nrows++ : UINT32_MAX;
	sub->rw = bs_words(sub->nrows);
	sub->m = xcalloc(1, sizeof *sub->m);
	sub->id = xcalloc(1, sizeof *sub->id);
	for (uint32_t j = 0; j < c->ncols; j++) {
		const uint64_t *col = c->m + j * c->rw;
		uint64_t r0 = bs_next(col, c->rw, 0);
		if (comp[r0] != p)
			continue;
		sub->m = xreallocarray(sub->m, (size_t)(sub->ncols + 1) *
		    sub->rw, sizeof *sub->m);
		sub->id = xreallocarray(sub->id, sub->ncols + 1,
		    sizeof *sub->id);
		uint64_t *to = sub->m + sub->ncols * sub->rw;
		memset(to, 0, sub->rw * sizeof *to);
		for (uint64_t r = r0; r != BS_NONE;
		    r = bs_next(col, c->rw, r + 1))
			bs_set(to, newrow[r]);
		sub->id[sub->ncols++] = c->id[j];
	}
	free(newrow);
}

/*
 * One part's search so far: the best cover found ('size' columns marked
 * in 'sol') and the lower bound proven; the search ends when they meet.
 */
struct best {
	bool *sol;
	uint32_t size, lower;
};

/* The cover of c's columns 'ids' (n, ascending) over the same rows; its
 * id maps each back to c's column. */
static void
sub_cover(const struct cover *c, const uint32_t *ids, uint32_t n,
    struct cover *sub)
{
	*sub = (struct cover){ .nrows = c->nrows, .rw = c->rw, .ncols = n };
	sub->m = xcalloc((size_t)n * c->rw + 1, sizeof *sub->m);
	sub->id = xcalloc(n + 1, sizeof *sub->id);
	for (uint32_t i = 0; i < n; i++) {
		memcpy(sub->m + (size_t)i * c->rw, c->m + ids[i] * c->rw,
		    c->rw * sizeof *sub->m);
		sub->id[i] = ids[i];
	}
}

/* 'b' (over c) takes the cover 'sb' found over 'sub' when it is smaller. */
static void
sub_take(const struct cover *c, const struct cover *sub,
    const struct best *sb, struct best *b)
{
	if (sb->size >= b->size)
		return;
	memset(b->sol, 0, c->ncols * sizeof *b->sol);
	for (uint32_t i = 0; i < sub->ncols; i++)
		if (sb->sol[i])
			b->sol[sub->id[i]] = true;
	b->size = sb->size;
}

/* The LP relaxation's optimum: column values, reduced costs, objective. */
struct relaxed {
	double *x, *d;
	double z;
};

/* What every part of one audit_cover search shares. */
struct search {
	const struct lp_opts *o;
	struct timespec t0;	/* the start, for the budget */
	double budget;		/* seconds for the whole search */
	struct cover_answer *ans;	/* its counters: greedy, solver, mip */
	struct diag *d;		/* solver failures, exit 3 */
};

/*
 * The cover as an LP (relaxed) or a 0/1 MIP: min sum x, each row >= 1.
 * With 'mip', b->sol gets the incumbent when there is one.  When the
 * bound is one short of the cover found, the MIP is the question "is
 * there a cover of b->lower columns?" (sum x <= lower, no objective):
 * its first integer point, or its infeasibility, settles it.  Returns
 * the solver's status; b->lower is raised to the bound proven.  The LP's
 * optimum goes to 'out' when given.
 */
static enum lp_status
solve(const struct cover *c, bool mip, const struct lp_opts *o,
    struct best *b, struct relaxed *out, struct diag *dg)
{
	uint32_t *lower = &b->lower, *size = &b->size;
	bool *sol = b->sol;
	size_t nnz = 0;
	for (uint32_t j = 0; j < c->ncols; j++)
		nnz += bs_count(c->m + j * c->rw, c->rw);
	nnz += c->ncols;	/* the cap row */
	int *ri = xcalloc(nnz + 1, sizeof *ri);
	int *ci = xcalloc(nnz + 1, sizeof *ci);
	double *v = xcalloc(nnz + 1, sizeof *v);
	double *obj = xcalloc(c->ncols + 1, sizeof *obj);
	double *lo = xcalloc(c->ncols + 1, sizeof *lo);
	double *hi = xcalloc(c->ncols + 1, sizeof *hi);
	bool *bin = xcalloc(c->ncols + 1, sizeof *bin);
	bool cap = mip && *lower + 1 == *size;
	double *rlo = xcalloc(c->nrows + 2, sizeof *rlo);
	double *rhi = xcalloc(c->nrows + 2, sizeof *rhi);
	double *x = xcalloc(c->ncols + 1, sizeof *x);
	size_t k = 0;

	for (uint32_t j = 0; j < c->ncols; j++) {
		obj[j] = !cap;
		hi[j] = 1;
		bin[j] = mip;
		if (cap) {
			ri[k] = (int)c->nrows;
			ci[k] = (int)j;
			v[k++] = 1;
		}
		const uint64_t *col = c->m + j * c->rw;
		for (uint64_t r = bs_next(col, c->rw, 0); r != BS_NONE;
		    r = bs_next(col, c->rw, r + 1)) {
			ri[k] = (int)r;
			ci[k] = (int)j;
			v[k++] = 1;
		}
	}
	for (uint32_t r = 0; r < c->nrows; r++) {
		rlo[r] = 1;
		rhi[r] = HUGE_VAL;
	}
	rlo[c->nrows] = -HUGE_VAL;
	rhi[c->nrows] = *lower;
	struct lp_model lm = {
		.nrows = (int)c->nrows + cap, .ncols = (int)c->ncols,
		.maximize = false, .obj = obj, .col_lo = lo, .col_hi = hi,
		.col_binary = bin, .row_lo = rlo, .row_hi = rhi,
		.nnz = (int)k, .ri = ri, .ci = ci, .v = v,
	};
	struct lp_opts so = *o;
	so.exact = false;
	if (mip && so.node_limit <= 0)
		so.node_limit = nnz * AUDIT_NODES > AUDIT_MIP_WORK ?
		    (int)(AUDIT_MIP_WORK / nnz) : AUDIT_NODES;
	/* Most fractional first: GLPK's default (Driebeck-Tomlin) costs
	 * a row of the simplex table per candidate, and took 7.6 s for
	 * what this does in 0.7 s on a 112 x 1,761 audit. */
	so.most_fractional = mip;
	struct lp_result res = { .x = x, .dual = out ? out->d : NULL };
	enum lp_status st = lp_solve(&lm, &so, &res);
	if (out)
		out->z = res.obj;
	/* Integral objective: a bound proves its ceiling (less a rounding
	 * allowance for the simplex's doubles). */
	double bound = mip ? res.bound : res.obj;
	bool none = cap && st == LP_INFEASIBLE;
	if (none) {
		*lower = *size;	/* no cover of size - 1 */
		st = LP_OPTIMAL;
	} else if (!cap && (st == LP_OPTIMAL || mip) && bound > -HUGE_VAL &&
	    ceil(bound - 1e-6) > *lower) {
		*lower = (uint32_t)ceil(bound - 1e-6);
	}
	if (mip && !none && (st == LP_OPTIMAL || st == LP_FEASIBLE)) {
		uint32_t n = 0;
		for (uint32_t j = 0; j < c->ncols; j++)
			n += x[j] > 0.5;
		if (n < *size) {
			*size = n;
			for (uint32_t j = 0; j < c->ncols; j++)
				sol[j] = x[j] > 0.5;
		}
		if (cap && st == LP_OPTIMAL)
			*lower = *size;	/* it met the bound */
	} else if (st != LP_OPTIMAL && !(mip && st == LP_ELIMIT)) {
		diag_error_file(dg, 3, "audit plan: %s", res.msg);
	}
	if (out && st == LP_OPTIMAL)
		memcpy(out->x, x, c->ncols * sizeof *x);
	free(ri);
	free(ci);
	free(v);
	free(obj);
	free(lo);
	free(hi);
	free(bin);
	free(rlo);
	free(rhi);
	free(x);
	return st;
}

/*
 * Greedy again, each time starting from one of the columns the LP values
 * most (ties to the earliest), while that finds a smaller cover.
 */
static void
restarts(const struct cover *c, const double *x, struct best *b)
{
	enum { STARTS = 16 };
	struct key *k = xcalloc(c->ncols + 1, sizeof *k);
	bool *try = xcalloc(c->ncols + 1, sizeof *try);

	/* Integer keys: LP values to 1e-6, larger first. */
	for (uint32_t j = 0; j < c->ncols; j++)
		k[j] = (struct key){ (uint64_t)llround(x[j] * 1e6), j };
	qsort(k, c->ncols, sizeof *k, key_desc);
	for (uint32_t i = 0; i < c->ncols && i < STARTS && b->size > b->lower;
	    i++) {
		uint32_t n = greedy_from(c, k[i].idx, try);
		if (n < b->size) {
			b->size = n;
			memcpy(b->sol, try, c->ncols * sizeof *b->sol);
		}
	}
	free(k);
	free(try);
}

/* splitmix64: the local search's draws, the same on every machine. */
static uint64_t
mix(uint64_t *st)
{
	uint64_t z = (*st += 0x9e3779b97f4a7c15ull);

	z = (z ^ z >> 30) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ z >> 27) * 0x94d049bb133111ebull;
	return z ^ z >> 31;
}

/* The time left of the audit's budget, in seconds. */
static double
left(const struct timespec *t0, double budget)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return budget - ((double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) * 1e-9);
}

/*
 * The LP bound, greedy restarts from its solution, then the MIP over the
 * columns whose reduced cost leaves them in a smaller cover: a cover
 * using column j has at least z + d[j] columns, so only those with
 * z + d[j] <= size - 1 can be in one (if they leave a row bare, the
 * cover found is minimum).
 */
static bool
exact_part(const struct cover *c, struct search *se, struct best *b)
{
	struct relaxed lp = {
		.x = xcalloc(c->ncols + 1, sizeof *lp.x),
		.d = xcalloc(c->ncols + 1, sizeof *lp.d),
	};
	double *d = lp.d, z;

	se->ans->solver = true;
	if (solve(c, false, se->o, b, &lp, se->d) != LP_OPTIMAL) {
		free(lp.x);
		free(lp.d);
		return false;
	}
	z = lp.z;
	if (b->lower < b->size)
		restarts(c, lp.x, b);
	free(lp.x);
	if (b->lower >= b->size) {
		free(d);
		return true;
	}
	struct cover sub;
	uint64_t *seen = xcalloc(c->rw + 1, sizeof *seen);
	uint32_t *ids = xcalloc(c->ncols + 1, sizeof *ids), n = 0;
	size_t snnz = 0;
	for (uint32_t j = 0; j < c->ncols; j++)
		if (z + d[j] <= (double)b->size - 1 + 1e-6) {
			snnz += bs_count(c->m + j * c->rw, c->rw);
			bs_or(seen, seen, c->m + j * c->rw, c->rw);
			ids[n++] = j;
		}
	free(d);
	sub_cover(c, ids, n, &sub);
	free(ids);
	bool bare = bs_count(seen, c->rw) < c->nrows;
	free(seen);
	struct lp_opts mo = *se->o;
	mo.time_limit = left(&se->t0, se->budget);
	enum lp_status st = LP_OPTIMAL;
	if (bare) {
		b->lower = b->size;
	} else if (mo.time_limit >= 0.001 && !deadline_expired() &&
	    snnz <= AUDIT_MIP_NNZ) {
		struct best sb = { xcalloc(sub.ncols + 1, sizeof *sb.sol),
		    b->size, b->lower };
		se->ans->mip = true;
		st = solve(&sub, true, &mo, &sb, NULL, se->d);
		b->lower = sb.lower;
		sub_take(c, &sub, &sb, b);
		free(sb.sol);
	}
	free(sub.m);
	free(sub.id);
	return st == LP_OPTIMAL || st == LP_FEASIBLE || st == LP_ELIMIT;
}

/*
 * The cover as lists (compressed sparse columns and rows): column j's
 * rows are row[at[j] .. at[j + 1]), row r's columns col[cat[r] ..
 * cat[r + 1]), both ascending.  The bounds' sums walk these; bitsets
 * stay for the set operations.
 */
struct lists {
	uint32_t *at, *row;
	uint32_t *cat, *col;
	size_t nnz;
};

static void
lists_build(const struct cover *c, struct lists *l)
{
	size_t nnz = 0;

	for (uint32_t j = 0; j < c->ncols; j++)
		nnz += bs_count(c->m + j * c->rw, c->rw);
	l->nnz = nnz;
	l->at = xcalloc((size_t)c->ncols + 1, sizeof *l->at);
	l->row = xcalloc(nnz + 1, sizeof *l->row);
	l->cat = xcalloc((size_t)c->nrows + 2, sizeof *l->cat);
	l->col = xcalloc(nnz + 1, sizeof *l->col);
	size_t k = 0;
	for (uint32_t j = 0; j < c->ncols; j++) {
		const uint64_t *colset = c->m + j * c->rw;
		l->at[j] = (uint32_t)k;
		for (uint64_t r = bs_next(colset, c->rw, 0); r != BS_NONE;
		    r = bs_next(colset, c->rw, r + 1)) {
			l->row[k++] = (uint32_t)r;
			l->cat[r + 2]++;
		}
	}
	l->at[c->ncols] = (uint32_t)k;
	/* Counts at r + 2, shifted to starts at r + 1, filled to r. */
	for (uint32_t r = 0; r < c->nrows; r++)
		l->cat[r + 2] += l->cat[r + 1];
	for (uint32_t j = 0; j < c->ncols; j++)
		for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++)
			l->col[l->cat[l->row[e] + 1]++] = j;
}

static void
lists_free(struct lists *l)
{
	free(l->at);
	free(l->row);
	free(l->cat);
	free(l->col);
}

/*
 * out[i] = 1 less the sum of u over row[at[i] .. to[i]), in that order,
 * for i < n: four columns at a time, so that their chains of dependent
 * subtractions overlap (each sum is still taken in its own order).
 */
static void
reduced_costs(const uint32_t *at, const uint32_t *to, const uint32_t *row,
    const double *u, uint32_t n, double *out)
{
	uint32_t i = 0;

	for (; i + 4 <= n; i += 4) {
		double x0 = 1, x1 = 1, x2 = 1, x3 = 1;
		const uint32_t *r0 = row + at[i], *r1 = row + at[i + 1],
		    *r2 = row + at[i + 2], *r3 = row + at[i + 3];
		uint32_t n0 = to[i] - at[i], n1 = to[i + 1] - at[i + 1],
		    n2 = to[i + 2] - at[i + 2], n3 = to[i + 3] - at[i + 3];
		uint32_t m = n0 < n1 ? n0 : n1;
		m = m < n2 ? m : n2;
		m = m < n3 ? m : n3;
		for (uint32_t e = 0; e < m; e++) {
			x0 -= u[r0[e]];
			x1 -= u[r1[e]];
			x2 -= u[r2[e]];
			x3 -= u[r3[e]];
		}
		for (uint32_t e = m; e < n0; e++)
			x0 -= u[r0[e]];
		for (uint32_t e = m; e < n1; e++)
			x1 -= u[r1[e]];
		for (uint32_t e = m; e < n2; e++)
			x2 -= u[r2[e]];
		for (uint32_t e = m; e < n3; e++)
			x3 -= u[r3[e]];
		out[i] = x0;
		out[i + 1] = x1;
		out[i + 2] = x2;
		out[i + 3] = x3;
	}
	for (; i < n; i++) {
		double x = 1;
		for (uint32_t e = at[i]; e < to[i]; e++)
			x -= u[row[e]];
		out[i] = x;
	}
}

/*
 * Greedy weighted by multipliers u: the column whose newly covered rows
 * weigh most (ties: to more rows, then the earliest); then the redundant
 * columns dropped.  The weights are kept per column as rows get covered
 * (the lists), so one cover costs about the nonzeros plus the columns
 * per pick, not a pass over every column's rows per pick.  Marks 'sol'
 * (cleared first) and returns the size.
 */
static uint32_t
lagrange_cover(const struct cover *c, const struct lists *l,
    const double *u, bool *sol)
{
	uint32_t *mu = xcalloc((size_t)c->ncols + 1, sizeof *mu);
	double *sum = xcalloc((size_t)c->ncols + 1, sizeof *sum);
	bool *done = xcalloc((size_t)c->nrows + 1, sizeof *done);
	uint32_t *pick = xcalloc((size_t)c->ncols + 1, sizeof *pick);
	uint32_t left = c->nrows, n = 0;

	memset(sol, 0, (c->ncols + 1) * sizeof *sol);
	for (uint32_t j = 0; j < c->ncols; j++) {
		mu[j] = l->at[j + 1] - l->at[j];
		for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++)
			sum[j] += u[l->row[e]];
	}
	while (left > 0) {
		uint32_t b = NONE, most = 0;
		double best = 0;
		for (uint32_t j = 0; j < c->ncols; j++)
			if (mu[j] && (sum[j] > best + TIE || (sum[j] >=
			    best - TIE && mu[j] > most))) {
				best = sum[j];
				most = mu[j];
				b = j;
			}
		assert(b != NONE);	/* every row has a column */
		pick[n++] = b;
		sol[b] = true;
		for (uint32_t e = l->at[b]; e < l->at[b + 1]; e++) {
			uint32_t r = l->row[e];
			if (done[r])
				continue;
			done[r] = true;
			left--;
			for (uint32_t f = l->cat[r]; f < l->cat[r + 1]; f++) {
				mu[l->col[f]]--;
				sum[l->col[f]] -= u[r];
			}
		}
	}
	uint32_t size = drop_redundant(c, pick, n, sol);
	free(mu);
	free(sum);
	free(done);
	free(pick);
	return size;
}

/* When the walk runs, and over what: parts past core_nnz nonzeros walk
 * over a core (improve). */
struct walk_plan {
	size_t core_nnz;
	bool done;
};

static void improve(const struct cover *c, const struct lists *l,
    const double *u, struct best *b, size_t core_nnz);

/* A lagrange_cover for a thread: its multipliers are a copy. */
struct lcover {
	const struct cover *c;
	const struct lists *l;
	const double *u;
	bool *sol;
	uint32_t n;
};

static void
lagrange_cover_run(void *arg)
{
	struct lcover *j = arg;

	j->n = lagrange_cover(j->c, j->l, j->u, j->sol);
}

/* The cover job 'j' found, once it is done, when it beats b's; then no
 * job is pending. */
static void
lagrange_take(struct par *p, struct lcover *j, struct best *b)
{
	if (!j->c)
		return;
	par_join(p);
	if (j->n < b->size) {
		b->size = j->n;
		memcpy(b->sol, j->sol, j->c->ncols * sizeof *b->sol);
	}
	j->c = NULL;
}

/*
 * A Lagrangian lower bound (subgradient, as Beasley's set-covering
 * heuristics): for multipliers u >= 0 on the rows,
 *   L(u) = sum_r u_r + sum_j min(0, 1 - sum_{r in j} u_r)
 * bounds every cover from below.  Every tenth step, a cover built from u
 * (lagrange_cover) may beat the one found; on a part too large for the
 * LP it is built on a second thread and counts ten steps later.  At
 * most 'iters' steps, fewer when the bound meets the cover;
 * deterministic (no clock, no random numbers; the same steps on one
 * thread).  The multipliers of the best bound go to 'ubest' (nrows).
 */
static void
lagrange(const struct cover *c, const struct lists *l, uint32_t iters,
    struct best *b, double *ubest, struct walk_plan *wp)
{
	uint32_t *lower = &b->lower, *size = &b->size;
	double *u = xcalloc((size_t)c->rw * 64 + 1, sizeof *u);
	double *ucopy = xcalloc((size_t)c->rw * 64 + 1, sizeof *ucopy);
	double *g = xcalloc((size_t)c->rw * 64 + 1, sizeof *g);
	struct lcover job = { 0 };
	struct par p;
	double *rc = xcalloc((size_t)c->ncols + 1, sizeof *rc);
	bool *try = xcalloc(c->ncols + 1, sizeof *try);
	double lambda = 2, best = 0;
	uint32_t stall = 0, halved = 0;
	/*
	 * Only a negative reduced cost counts in L(u) and in the
	 * subgradient.  rc[j] was last taken when the steps' largest rises
	 * of a multiplier summed to seen[j]; they sum to 'rise' now, so
	 * rc[j] - |j| (rise - seen[j]) is a floor of its cost now, and the
	 * columns whose floor is positive (1e-9 to spare for rounding)
	 * are not summed: bench row a sums a quarter of them over its 96
	 * steps.  The sums taken are the same, in the same order.
	 */
	double rise = 0;
	double *seen = xcalloc((size_t)c->ncols + 1, sizeof *seen);
	double *sum = xcalloc((size_t)c->ncols + 1, sizeof *sum);
	uint32_t *idx = xcalloc((size_t)c->ncols + 1, sizeof *idx);
	uint32_t *from = xcalloc((size_t)c->ncols + 1, sizeof *from);
	uint32_t *to = xcalloc((size_t)c->ncols + 1, sizeof *to);

	for (uint32_t j = 0; j < c->ncols; j++)
		rc[j] = -1;
	for (uint32_t r = 0; r < c->nrows; r++)
		u[r] = ubest[r] = 1.0 / (double)*size;
	for (uint32_t it = 0; it < iters && *lower < *size; it++) {
		double lu = 0;
		for (uint32_t r = 0; r < c->nrows; r++) {
			lu += u[r];
			g[r] = 1;
		}
		/* The reduced costs that may be negative first, then the
		 * negative ones in column order. */
		uint32_t live = 0;
		for (uint32_t j = 0; j < c->ncols; j++) {
			/* Written always, kept when live: no branch to
			 * mispredict on a quarter of the columns. */
			idx[live] = j;
			from[live] = l->at[j];
			to[live] = l->at[j + 1];
			live += rc[j] - (double)(l->at[j + 1] - l->at[j]) *
			    (rise - seen[j]) <= 1e-9;
		}
		reduced_costs(from, to, l->row, u, live, sum);
		for (uint32_t i = 0; i < live; i++) {
			uint32_t j = idx[i];
			rc[j] = sum[i];
			seen[j] = rise;
			if (rc[j] < 0) {
				lu += rc[j];
				for (uint32_t e = l->at[j]; e < l->at[j + 1];
				    e++)
					g[l->row[e]] -= 1;
			}
		}
		if (lu > best + 1e-9) {
			best = lu;
			stall = 0;
			memcpy(ubest, u, c->nrows * sizeof *u);
		} else if (++stall >= 10) {
			lambda /= 2;
			stall = 0;
			halved += *lower + 1 == *size;
		}
		if (ceil(best - 1e-6) > *lower)
			*lower = (uint32_t)ceil(best - 1e-6);
		/* One short, with the steps halved twice since: the bound
		 * is settling below the cover, a cover one smaller would
		 * prove it, and the walk often finds one; then the steps
		 * left are not needed (bench c1000: one short from step 72,
		 * the walk at step 131 of 300).  A bound still rising (bench
		 * b) meets the cover first. */
		if (!wp->done && *lower + 1 == *size && halved >= 2) {
			wp->done = true;
			improve(c, l, ubest, b, wp->core_nnz);
		}
		if (it % 10 == 9 && *lower < *size) {
			/* A large part's cover (0.6 ms at bench row a) goes
			 * beside the next ten steps, and counts after them. */
			bool beside = l->nnz > AUDIT_LP_NNZ;
			lagrange_take(&p, &job, b);
			job = (struct lcover){ c, l, ucopy, try, 0 };
			memcpy(ucopy, u, c->nrows * sizeof *u);
			par_start(&p, lagrange_cover_run, &job, beside);
			if (!beside)	/* built here, and counts now */
				lagrange_take(&p, &job, b);
		}
		double norm = 0;
		for (uint32_t r = 0; r < c->nrows; r++) {
			/* A zero multiplier cannot go down. */
			if (u[r] <= 0 && g[r] < 0)
				g[r] = 0;
			norm += g[r] * g[r];
		}
		if (norm == 0 || lambda < 1e-4)
			break;
		double t = lambda * ((double)*size - lu) / norm, up = 0;
		for (uint32_t r = 0; r < c->nrows; r++) {
			double was = u[r];
			u[r] += t * g[r];
			if (u[r] < 0)
				u[r] = 0;
			if (u[r] - was > up)
				up = u[r] - was;
		}
		rise += up;
	}
	lagrange_take(&p, &job, b);
	free(u);
	free(ucopy);
	free(g);
	free(rc);
	free(try);
	free(seen);
	free(sum);
	free(idx);
	free(from);
	free(to);
}

/*
 * An exact search of our own for "is there a cover of at most k
 * columns?": depth first, branching on the uncovered row with the fewest
 * columns left over those columns (most promising first, each banned
 * from its later siblings' subtrees once tried).  A node is cut when a
 * Lagrangian bound of what it leaves exceeds k: a few subgradient steps
 * from its parent's multipliers, for the rows still uncovered and the
 * columns still allowed.  A column whose reduced cost alone lifts the
 * bound past k is banned below the node.  All in a budget of steps
 * (sums over the lists), the same on every machine.
 */
struct dfs {
	const struct cover *c;
	const struct lists *l;
	uint32_t k;		/* a cover of at most k columns is sought */
	uint64_t work;		/* steps left; 0: gave up */
	uint32_t *take;		/* the columns taken, by depth */
	bool *banned;		/* per column: not to be taken here */
	uint32_t *bstack, nb;	/* the banned columns, to restore */
	uint32_t *cand;		/* the candidates of every open node */
	size_t ncand;
	uint64_t *need;	/* (k + 1) x rw: uncovered rows, by depth */
	double *u, *g, *rc;	/* (k + 1) x nrows multipliers; scratch */
	uint32_t complete;	/* found: the cover is take[0 .. complete) */
	/* Scratch: a node's allowed columns, each with its rows left
	 * (rows of ncol[i] are nrow[nat[i] .. nto[i])) and its reduced
	 * cost nrc[i]. */
	uint32_t *ncol, *nat, *nto, *nrow;
	double *nrc;
};

enum { DFS_NONE, DFS_FOUND, DFS_GAVE_UP };

static void
dfs_ban(struct dfs *s, uint32_t j)
{
	s->banned[j] = true;
	s->bstack[s->nb++] = j;
}

/*
 * The node's bound, after 'steps' subgradient steps aimed at k + 1: true
 * when it cannot hold a cover of at most k columns.  Bans, until the
 * node returns, the columns whose reduced cost rules them out.
 */
static bool
dfs_cut(struct dfs *s, uint32_t d, uint32_t steps)
{
	const struct cover *c = s->c;
	const struct lists *l = s->l;
	const uint64_t *need = s->need + d * c->rw;
	double *u = s->u + (size_t)d * c->nrows, *g = s->g, *rc = s->rc;
	double lambda = DFS_LAMBDA;
	double target = (double)(s->k - d) + 1;
	uint32_t n = 0, k = 0;

	/* The node's allowed columns over its rows left, once: the steps
	 * then walk only these (a column with no row left can change no
	 * sum), and drop the ones they ban. */
	for (uint32_t j = 0; j < c->ncols; j++) {
		if (s->banned[j])
			continue;
		s->nat[n] = k;
		for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++)
			if (bs_test(need, l->row[e]))
				s->nrow[k++] = l->row[e];
		if (k > s->nat[n]) {
			s->nto[n] = k;
			s->ncol[n++] = j;
		}
	}
	for (uint32_t it = 0; it <= steps; it++) {
		double lu = 0, norm = 0;
		for (uint64_t r = bs_next(need, c->rw, 0); r != BS_NONE;
		    r = bs_next(need, c->rw, r + 1)) {
			lu += u[r];
			g[r] = 1;
		}
		reduced_costs(s->nat, s->nto, s->nrow, u, n, s->nrc);
		for (uint32_t i = 0; i < n; i++) {
			rc[s->ncol[i]] = s->nrc[i];
			if (s->nrc[i] < 0) {
				lu += s->nrc[i];
				for (uint32_t e = s->nat[i]; e < s->nto[i]; e++)
					g[s->nrow[e]] -= 1;
			}
		}
		s->work -= s->work < l->nnz ? s->work : l->nnz;
		if (lu > target - 1 + 1e-6)
			return true;

		/* What taking j costs on top of the bound. */
		uint32_t kept = 0;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t j = s->ncol[i];
			if (rc[j] > 0 && lu + rc[j] > target - 1 + 1e-6) {
				dfs_ban(s, j);
				continue;
			}
			s->ncol[kept] = j;
			s->nat[kept] = s->nat[i];
			s->nto[kept++] = s->nto[i];
		}
		n = kept;
		if (it == steps || s->work == 0)
			break;
		for (uint64_t r = bs_next(need, c->rw, 0); r != BS_NONE;
		    r = bs_next(need, c->rw, r + 1)) {
			if (u[r] <= 0 && g[r] < 0)
				g[r] = 0;
			norm += g[r] * g[r];
		}
		if (norm == 0)
			break;
		double t = lambda * (target - lu) / norm;
		for (uint64_t r = bs_next(need, c->rw, 0); r != BS_NONE;
		    r = bs_next(need, c->rw, r + 1))
			u[r] = u[r] + t * g[r] > 0 ? u[r] + t * g[r] : 0;
	}
	return false;
}

/* The uncovered row with the fewest allowed columns (ties: the first). */
static uint64_t
dfs_row(const struct dfs *s, uint32_t d)
{
	const struct cover *c = s->c;
	const uint64_t *need = s->need + d * c->rw;
	uint64_t best = BS_NONE;
	uint32_t fewest = UINT32_MAX;

	for (uint64_t r = bs_next(need, c->rw, 0); r != BS_NONE;
	    r = bs_next(need, c->rw, r + 1)) {
		uint32_t n = 0;
		for (uint32_t e = s->l->cat[r]; e < s->l->cat[r + 1]; e++)
			n += !s->banned[s->l->col[e]];
		if (n < fewest) {
			fewest = n;
			best = r;
		}
	}
	return best;
}

/* The reduced costs the candidates are sorted by (qsort passes no
 * context; one per thread, as audits may run on several). */
static _Thread_local const double *by_rc_of;

static int
by_rc(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	double p = by_rc_of[x], q = by_rc_of[y];

	if (p != q)
		return p < q ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int
dfs_node(struct dfs *s, uint32_t d)
{
	const struct cover *c = s->c;
	const uint64_t *need = s->need + d * c->rw;

	if (!bs_any(need, c->rw)) {
		s->complete = d;
		return DFS_FOUND;
	}
	if (d == s->k)
		return DFS_NONE;
	if (s->work == 0 || deadline_expired())
		return DFS_GAVE_UP;
	uint32_t mark = s->nb;
	size_t base = s->ncand;
	int res = DFS_NONE;
	if (dfs_cut(s, d, DFS_STEPS))
		goto out;
	uint64_t r = dfs_row(s, d);
	s->work -= s->work < s->l->nnz ? s->work : s->l->nnz;
	/* Its columns, least reduced cost first (ties: the earliest). */
	for (uint32_t e = s->l->cat[r]; e < s->l->cat[r + 1]; e++)
		if (!s->banned[s->l->col[e]])
			s->cand[s->ncand++] = s->l->col[e];
	by_rc_of = s->rc;
	qsort(s->cand + base, s->ncand - base, sizeof *s->cand, by_rc);
	for (size_t i = base; i < s->ncand && res == DFS_NONE; i++) {
		uint32_t j = s->cand[i];
		if (s->banned[j])
			continue;
		s->take[d] = j;
		bs_andnot(s->need + (d + 1) * c->rw, need,
		    c->m + j * c->rw, c->rw);
		memcpy(s->u + (size_t)(d + 1) * c->nrows,
		    s->u + (size_t)d * c->nrows, c->nrows * sizeof *s->u);
		res = dfs_node(s, d + 1);
		if (res == DFS_NONE)
			dfs_ban(s, j);
	}
out:
	s->ncand = base;
	if (res == DFS_FOUND)
		return res;	/* the bans die with the search */
	while (s->nb > mark)
		s->banned[s->bstack[--s->nb]] = false;
	return res;
}

/*
 * Looks for a cover of at most b->size - 1 columns from the multipliers
 * 'u' (nrows), in at most 'work' steps, while the bound stays below the
 * cover found: each one found shrinks b->size, and a proof that there is
 * none lifts b->lower to b->size.  Stops where the budget runs out.
 */
static void
search(const struct cover *c, const struct lists *l, const double *u,
    uint64_t work, struct best *b)
{
	struct dfs s = { .c = c, .l = l, .work = work };

	while (b->lower < b->size) {
		s.k = b->size - 1;
		s.take = xcalloc((size_t)s.k + 1, sizeof *s.take);
		s.banned = xcalloc((size_t)c->ncols + 1, sizeof *s.banned);
		s.bstack = xcalloc((size_t)c->ncols + 1, sizeof *s.bstack);
		s.cand = xcalloc((size_t)l->nnz + 1, sizeof *s.cand);
		s.ncand = 0;
		s.nb = 0;
		s.need = xcalloc(((size_t)s.k + 2) * c->rw + 1,
		    sizeof *s.need);
		s.u = xcalloc(((size_t)s.k + 2) * c->nrows + 1, sizeof *s.u);
		s.g = xcalloc((size_t)c->nrows + 1, sizeof *s.g);
		s.rc = xcalloc((size_t)c->ncols + 1, sizeof *s.rc);
		s.ncol = xcalloc((size_t)c->ncols + 1, sizeof *s.ncol);
		s.nat = xcalloc((size_t)c->ncols + 1, sizeof *s.nat);
		s.nto = xcalloc((size_t)c->ncols + 1, sizeof *s.nto);
		s.nrc = xcalloc((size_t)c->ncols + 1, sizeof *s.nrc);
		s.nrow = xcalloc(l->nnz + 1, sizeof *s.nrow);
		bs_fill(s.need, c->nrows);
		memcpy(s.u, u, c->nrows * sizeof *s.u);
		int res = dfs_node(&s, 0);
		if (res == DFS_FOUND) {
			memset(b->sol, 0, c->ncols * sizeof *b->sol);
			for (uint32_t i = 0; i < s.complete; i++)
				b->sol[s.take[i]] = true;
			b->size = drop_redundant(c, s.take, s.complete,
			    b->sol);
		} else if (res == DFS_NONE) {
			b->lower = b->size;
		}
		free(s.take);
		free(s.banned);
		free(s.bstack);
		free(s.cand);
		free(s.need);
		free(s.u);
		free(s.g);
		free(s.rc);
		free(s.ncol);
		free(s.nat);
		free(s.nto);
		free(s.nrc);
		free(s.nrow);
		if (res == DFS_GAVE_UP)
			break;
	}
}

/*
 * Local search for a smaller cover, with row weights (after Gao, Weise
 * and Li's RWLS for unicost set covering, 2015): a cover found is
 * recorded and loses the column it misses least; otherwise a step drops
 * the column whose rows covered by it alone weigh least (not the one
 * just added; ties to the longest unchanged), takes, for an uncovered
 * row drawn at random, its column whose uncovered rows weigh most (not
 * the one just dropped; same ties), and adds 1 to the weight of every
 * row left uncovered, so that rows hard to cover pull the search toward
 * them.  Counts and weights are integers and the draws come from a
 * fixed seed: the same model gets the same cover on every machine.  The
 * work is the list entries visited, at most 'work'; it stops at 'lower'.
 */
struct walk {
	const struct lists *l;
	bool *in;		/* per column: in the current set */
	uint32_t *set, *at, n;	/* the current set; column -> its slot */
	/* Per row: the set's columns over it, their sum (the one column
	 * when there is one), and its weight. */
	uint32_t *cov;
	uint64_t *who, *wt;
	/* Per column: the weight of the rows only it covers (in the set),
	 * of its uncovered rows, and the step it last changed. */
	uint64_t *loss, *gain, *since;
	uint32_t *bare, *slot, nbare;	/* the uncovered rows */
	uint64_t work;
};

/* Row r's columns gain 'd' (modulo 2^64: 0 - x takes x away). */
static void
walk_gain(struct walk *w, uint32_t r, uint64_t d)
{
	const struct lists *l = w->l;

	for (uint32_t f = l->cat[r]; f < l->cat[r + 1]; f++)
		w->gain[l->col[f]] += d;
	w->work += l->cat[r + 1] - l->cat[r];
}

static void
walk_add(struct walk *w, uint32_t j, uint64_t step)
{
	const struct lists *l = w->l;

	w->in[j] = true;
	w->at[j] = w->n;
	w->set[w->n++] = j;
	w->loss[j] = 0;
	w->since[j] = step;
	for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++) {
		uint32_t r = l->row[e];
		if (w->cov[r] == 0) {
			uint32_t last = w->bare[--w->nbare];
			w->bare[w->slot[r]] = last;
			w->slot[last] = w->slot[r];
			w->loss[j] += w->wt[r];
			walk_gain(w, r, 0 - w->wt[r]);
		} else if (w->cov[r] == 1) {
			w->loss[w->who[r]] -= w->wt[r];
		}
		w->cov[r]++;
		w->who[r] += j;
	}
}

static void
walk_drop(struct walk *w, uint32_t j, uint64_t step)
{
	const struct lists *l = w->l;
	uint32_t last = w->set[--w->n];

	w->in[j] = false;
	w->set[w->at[j]] = last;
	w->at[last] = w->at[j];
	w->since[j] = step;
	for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++) {
		uint32_t r = l->row[e];
		w->cov[r]--;
		w->who[r] -= j;
		if (w->cov[r] == 0) {
			w->slot[r] = w->nbare;
			w->bare[w->nbare++] = r;
			walk_gain(w, r, w->wt[r]);
		} else if (w->cov[r] == 1) {
			w->loss[w->who[r]] += w->wt[r];
		}
	}
}

/* The column of the set whose loss is least, other than 'keep'. */
static uint32_t
walk_least(const struct walk *w, uint32_t keep)
{
	uint32_t b = NONE;

	for (uint32_t i = 0; i < w->n; i++) {
		uint32_t j = w->set[i];
		if (j != keep && (b == NONE || w->loss[j] < w->loss[b] ||
		    (w->loss[j] == w->loss[b] && w->since[j] < w->since[b])))
			b = j;
	}
	return b;
}

static void
walk(const struct lists *l, uint32_t nrows, uint32_t ncols, struct best *b,
    uint64_t work)
{
	struct walk w = {
		.l = l,
		.in = xcalloc(ncols + 1, sizeof *w.in),
		.set = xcalloc((size_t)ncols + 1, sizeof *w.set),
		.at = xcalloc((size_t)ncols + 1, sizeof *w.at),
		.cov = xcalloc((size_t)nrows + 1, sizeof *w.cov),
		.who = xcalloc((size_t)nrows + 1, sizeof *w.who),
		.wt = xcalloc((size_t)nrows + 1, sizeof *w.wt),
		.loss = xcalloc((size_t)ncols + 1, sizeof *w.loss),
		.gain = xcalloc((size_t)ncols + 1, sizeof *w.gain),
		.since = xcalloc((size_t)ncols + 1, sizeof *w.since),
		.bare = xcalloc((size_t)nrows + 1, sizeof *w.bare),
		.slot = xcalloc((size_t)nrows + 1, sizeof *w.slot),
	};
	uint64_t st = 1, step = 1;
	uint32_t added = NONE;

	for (uint32_t r = 0; r < nrows; r++) {
		w.wt[r] = 1;
		w.slot[r] = w.nbare;
		w.bare[w.nbare++] = r;
	}
	for (uint32_t j = 0; j < ncols; j++)
		w.gain[j] = l->at[j + 1] - l->at[j];
	for (uint32_t j = 0; j < ncols; j++)
		if (b->sol[j])
			walk_add(&w, j, 0);
	w.work = 0;
	while (w.work < work && b->lower < b->size) {
		if (w.nbare == 0) {
			if (w.n < b->size) {
				b->size = w.n;
				memcpy(b->sol, w.in, ncols * sizeof *b->sol);
			}
			walk_drop(&w, walk_least(&w, NONE), step++);
			continue;
		}
		uint32_t out = walk_least(&w, added);
		if (out != NONE)
			walk_drop(&w, out, step);
		uint32_t r = w.bare[mix(&st) % w.nbare];
		added = NONE;
		for (uint32_t f = l->cat[r]; f < l->cat[r + 1]; f++) {
			uint32_t j = l->col[f];
			if (j != out && (added == NONE ||
			    w.gain[j] > w.gain[added] ||
			    (w.gain[j] == w.gain[added] &&
			    w.since[j] < w.since[added])))
				added = j;
		}
		w.work += l->cat[r + 1] - l->cat[r];
		if (added == NONE)	/* r's one column was just dropped */
			added = out;
		walk_add(&w, added, step);
		for (uint32_t i = 0; i < w.nbare; i++) {
			w.wt[w.bare[i]]++;
			walk_gain(&w, w.bare[i], 1);
		}
		step++;
	}
	free(w.in);
	free(w.set);
	free(w.at);
	free(w.cov);
	free(w.who);
	free(w.wt);
	free(w.loss);
	free(w.gain);
	free(w.since);
	free(w.bare);
	free(w.slot);
}

/*
 * The walk over a part: all of it up to 'core_nnz' nonzeros (those small
 * enough for the LP, but for tests), else over a core (Caprara,
 * Fischetti and Toth's idea): the columns in
 * order of their reduced cost under the multipliers 'u' (ties to the
 * earlier), each kept while one of its rows has fewer than WALK_CORE
 * kept, and the cover's own columns.  On bench's 2^20 audits a walk
 * over all columns spends milliseconds a step on rows of 3,000 columns.
 */
static void
improve(const struct cover *c, const struct lists *l, const double *u,
    struct best *b, size_t core_nnz)
{
	if (l->nnz <= core_nnz) {
		walk(l, c->nrows, c->ncols, b, AUDIT_WALK_WORK);
		return;
	}
	uint32_t *k = xcalloc(c->ncols + 1, sizeof *k);
	double *rc = xcalloc(c->ncols + 1, sizeof *rc);
	uint32_t *kept = xcalloc(c->nrows + 1, sizeof *kept);
	uint32_t *ids = xcalloc(c->ncols + 1, sizeof *ids), nids = 0;
	struct cover sub;

	reduced_costs(l->at, l->at + 1, l->row, u, c->ncols, rc);
	/*
	 * Only a column among the WALK_CORE first of one of its rows (or
	 * of the cover) can be kept: each row's first, kept sorted as the
	 * columns go by in index order, then just those columns sorted (a
	 * sort of all 17,898 of bench row a took 2.3 ms).
	 */
	uint32_t *top = xcalloc((size_t)c->nrows * WALK_CORE + 1, sizeof *top);
	bool *cand = xcalloc(c->ncols + 1, sizeof *cand);
	uint32_t n = 0;
	for (uint32_t j = 0; j < c->ncols; j++)
		for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++) {
			uint32_t r = l->row[e], *t = top + r * WALK_CORE;
			uint32_t i = kept[r] < WALK_CORE ? kept[r]++ :
			    WALK_CORE;
			/* After the earlier ones of the same cost. */
			for (; i > 0 && rc[t[i - 1]] > rc[j]; i--)
				if (i < WALK_CORE)
					t[i] = t[i - 1];
			if (i < WALK_CORE)
				t[i] = j;
		}
	for (uint32_t r = 0; r < c->nrows; r++)
		for (uint32_t i = 0; i < kept[r]; i++)
			cand[top[r * WALK_CORE + i]] = true;
	for (uint32_t j = 0; j < c->ncols; j++)
		if (cand[j] || b->sol[j])
			k[n++] = j;
	by_rc_of = rc;
	qsort(k, n, sizeof *k, by_rc);
	memset(kept, 0, c->nrows * sizeof *kept);
	free(top);
	free(cand);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = k[i];
		bool keep = b->sol[j];
		for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++)
			keep |= kept[l->row[e]] < WALK_CORE;
		if (!keep)
			continue;
		for (uint32_t e = l->at[j]; e < l->at[j + 1]; e++)
			kept[l->row[e]]++;
		ids[nids++] = j;
	}
	/* In column order, as every part is. */
	qsort(ids, nids, sizeof *ids, u32_cmp);
	sub_cover(c, ids, nids, &sub);
	struct best sb = { xcalloc(sub.ncols + 1, sizeof *sb.sol), b->size,
	    b->lower };
	for (uint32_t i = 0; i < sub.ncols; i++)
		sb.sol[i] = b->sol[sub.id[i]];
	struct lists sl;
	lists_build(&sub, &sl);
	walk(&sl, sub.nrows, sub.ncols, &sb, AUDIT_CORE_WORK);
	sub_take(c, &sub, &sb, b);
	lists_free(&sl);
	free(sb.sol);
	free(sub.m);
	free(sub.id);
	free(ids);
	free(k);
	free(rc);
	free(kept);
}

/*
 * One connected part of the problem: greedy and a packing bound, then
 * the Lagrangian bound, then the local search for a cover that meets it;
 * one short, our search.  A wider gap gets a smaller search when the
 * part is small enough for what follows: while they still disagree, the
 * LP bound and greedy restarts guided by it, then GLPK's MIP over the
 * columns that reduced costs leave (while budget is left).  Marks 'sol';
 * '*size' and '*lower' are the cover found and what is proven.
 */
static bool
solve_part(const struct cover *c, struct search *se, struct best *b)
{
	b->size = greedy(c, b->sol);
	b->lower = packing(c);
	se->ans->greedy += b->size;
	if (b->lower >= b->size)
		return true;
	struct lists l;
	lists_build(c, &l);
	size_t nnz = l.nnz;
	double *u = xcalloc((size_t)c->nrows + 1, sizeof *u);
	/* About 3e7 steps of subgradient at most. */
	uint64_t iters = 30000000 / (nnz + 1);
	struct walk_plan wp = { se->o->core_nnz ? se->o->core_nnz :
	    AUDIT_LP_NNZ, false };
	lagrange(c, &l, iters > 300 ? 300 : (uint32_t)iters, b, u, &wp);
	if (!wp.done && b->lower < b->size)
		improve(c, &l, u, b, wp.core_nnz);
	/* One short: our search usually settles it.  A wider gap it
	 * often closes too, but on the large parts (bench's 2^20 audits)
	 * it did not narrow one. */
	uint32_t gap = b->size - b->lower;
	if (gap == 1 || (gap > 1 && nnz <= AUDIT_LP_NNZ)) {
		se->ans->searched = true;
		search(c, &l, u, se->o->cover_steps ? se->o->cover_steps :
		    gap == 1 ? AUDIT_WORK : AUDIT_WIDE_WORK, b);
	}
	free(u);
	lists_free(&l);
	if (b->lower >= b->size)
		return true;
	if (nnz <= AUDIT_LP_NNZ && !exact_part(c, se, b))
		return false;
	return true;
}

bool
audit_cover(uint32_t nrows, uint32_t ncols, const uint64_t *cols,
    const struct lp_opts *o, struct cover_answer *ans, struct diag *dg)
{
	struct cover c = { .nrows = nrows, .ncols = ncols,
	    .rw = bs_words(nrows) };
	uint32_t *forced = xcalloc(ncols + 1, sizeof *forced);
	uint32_t nforced = 0, size = 0, lower = 0;
	struct search se = { .o = o, .ans = ans, .d = dg,
	    .budget = o->time_limit > 0 ? o->time_limit : AUDIT_SECONDS };
	bool ok = true;

	clock_gettime(CLOCK_MONOTONIC, &se.t0);
	memset(ans, 0, sizeof *ans);
	c.m = xcalloc((size_t)ncols * c.rw + 1, sizeof *c.m);
	memcpy(c.m, cols, (size_t)ncols * c.rw * sizeof *c.m);
	c.id = xcalloc(ncols + 1, sizeof *c.id);
	for (uint32_t j = 0; j < ncols; j++)
		c.id[j] = j;
	while (c.nrows > 0 && reduce(&c, forced, &nforced))
		;
	ans->reduced_rows = c.nrows;
	ans->reduced_cols = c.ncols;
	ans->cols = xcalloc((size_t)nforced + c.ncols + 1, sizeof *ans->cols);
	for (uint32_t i = 0; i < nforced; i++)
		ans->cols[ans->n++] = forced[i];
	/*
	 * Rows that share no column, even through others, are independent
	 * problems: each is solved alone, in the order of its first row.
	 */
	uint32_t *comp = xcalloc(c.nrows + 1, sizeof *comp);
	uint32_t ncomp = components(&c, comp);
	for (uint32_t p = 0; p < ncomp && ok; p++) {
		struct cover sub;
		part(&c, comp, p, &sub);
		struct best b = { 0 };
		b.sol = xcalloc(sub.ncols + 1, sizeof *b.sol);
		ok = solve_part(&sub, &se, &b);
		for (uint32_t j = 0; j < sub.ncols; j++)
			if (b.sol[j])
				ans->cols[ans->n++] = sub.id[j];
		size += b.size;
		lower += b.lower < b.size ? b.lower : b.size;
		free(b.sol);
		free(sub.m);
		free(sub.id);
	}
	free(comp);
	qsort(ans->cols, ans->n, sizeof *ans->cols, u32_cmp);
	ans->lower_bound = nforced + lower;
	ans->minimal = lower == size;
	free(forced);
	free(c.m);
	free(c.id);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The plan                                                           */
/* ------------------------------------------------------------------ */

/*
 * The columns of the entities to catch: per audit position, the set of
 * rows (entities with a nonempty refuter set) it refutes; equal sets keep
 * their first position, so each column's position is the first, in
 * canonical order, of the positions that refute exactly its entities.
 * Transposed 64 positions at a time, over words [w0, w1) of the
 * positions.
 */
struct colset {
	uint64_t *const *row;
	uint32_t nr;
	size_t w0, w1;
	uint64_t *m, *pos;	/* n x bs_words(nr), and their positions */
	uint32_t n, cap;
	struct dedup h;
};

/* Appends 'col' at 'at' unless an equal column is in already. */
static void
colset_add(struct colset *cs, const uint64_t *col, uint64_t at)
{
	size_t rw = bs_words(cs->nr);

	if (cs->n == cs->cap || (size_t)cs->n * 2 + 2 > cs->h.cap) {
		/* Grow the columns and rehash them. */
		if (cs->n == cs->cap) {
			cs->cap *= 2;
			cs->m = xreallocarray(cs->m, cs->cap * rw + 1,
			    sizeof *cs->m);
			cs->pos = xreallocarray(cs->pos, cs->cap,
			    sizeof *cs->pos);
		}
		free(cs->h.tab);
		dedup_init(&cs->h, cs->cap, cs->m, rw);
		for (uint32_t j = 0; j < cs->n; j++)
			dedup_add(&cs->h, cs->m + j * rw, j);
	}
	memcpy(cs->m + (size_t)cs->n * rw, col, rw * sizeof *col);
	if (dedup_add(&cs->h, cs->m + (size_t)cs->n * rw, cs->n) ==
	    UINT32_MAX)
		cs->pos[cs->n++] = at;
}

static void
colset_init(struct colset *cs)
{
	size_t rw = bs_words(cs->nr);

	cs->cap = 64;
	cs->n = 0;
	cs->m = xcalloc(cs->cap * rw + 1, sizeof *cs->m);
	cs->pos = xcalloc(cs->cap, sizeof *cs->pos);
	dedup_init(&cs->h, cs->cap, cs->m, rw);
}

static void
colset_fill(void *arg)
{
	struct colset *cs = arg;
	uint32_t nr = cs->nr;
	size_t rw = bs_words(nr);
	uint64_t *blk = xcalloc(64 * rw + 1, sizeof *blk);
	uint64_t *last = xcalloc(rw + 1, sizeof *last);
	uint32_t *live = xcalloc(nr + 1, sizeof *live);

	colset_init(cs);
	for (size_t w = cs->w0; w < cs->w1; w++) {
		uint32_t nlive = 0;
		uint64_t seen = 0;
		for (uint32_t r = 0; r < nr; r++)
			if (cs->row[r][w]) {
				live[nlive++] = r;
				seen |= cs->row[r][w];
			}
		if (!seen)
			continue;
		for (uint32_t i = 0; i < nlive; i++)
			for (uint64_t x = cs->row[live[i]][w]; x; x &= x - 1)
				bs_set(blk + (size_t)__builtin_ctzll(x) * rw,
				    live[i]);
		for (uint64_t x = seen; x; x &= x - 1) {
			unsigned b = (unsigned)__builtin_ctzll(x);
			uint64_t *col = blk + (size_t)b * rw;
			/* Most positions refute what the one before did
			 * (three in four at bench row a): no lookup. */
			if (cs->n && !memcmp(col, last, rw * sizeof *col)) {
				memset(col, 0, rw * sizeof *col);
				continue;
			}
			memcpy(last, col, rw * sizeof *col);
			colset_add(cs, col, w * 64 + b);
			memset(col, 0, rw * sizeof *col);
		}
	}
	free(blk);
	free(last);
	free(live);
}

/* Positions at least this many words long are split over two threads
 * (bench row a: 8,192 words, 9 ms on one). */
#define COLUMNS_SPLIT 1024

/*
 * The columns, in position order: the second half's, after the first
 * half's, with the ones equal to a column of the first dropped (each
 * keeps its first position either way).  Returns the number of columns;
 * '*cols' (ncols x bs_words(nrows)) and '*pos' are heap.
 */
static uint32_t
columns(const struct audit_space *as, uint64_t *const *row, uint32_t nr,
    uint64_t **cols, uint64_t **pos)
{
	size_t half = as->aw >= COLUMNS_SPLIT ? as->aw / 2 : as->aw;
	struct colset a = { .row = row, .nr = nr, .w0 = 0, .w1 = half };
	struct colset b = { .row = row, .nr = nr, .w0 = half, .w1 = as->aw };
	struct par p;

	if (half < as->aw)
		par_start(&p, colset_fill, &b, true);
	colset_fill(&a);
	if (half < as->aw) {
		par_join(&p);
		for (uint32_t j = 0; j < b.n; j++)
			colset_add(&a, b.m + (size_t)j * bs_words(nr),
			    b.pos[j]);
		free(b.m);
		free(b.pos);
		free(b.h.tab);
	}
	free(a.h.tab);
	*cols = a.m;
	*pos = a.pos;
	return a.n;
}

bool
audit_plan(struct result *r, const struct audit_space *as,
    uint64_t **refuters, const struct lp_opts *o, struct diag *dg)
{
	const struct model *m = r->m;
	struct audit_result *ar = &r->audit;
	uint64_t **row = xcalloc(m->nentities + 1, sizeof *row);
	uint32_t nr = 0;

	ar->has = true;
	ar->minimal = true;
	ar->undetectable = xcalloc(m->nentities + 1, sizeof(bool));
	for (uint32_t i = 0; i < m->nentities; i++) {
		ar->undetectable[i] = refuters[i] &&
		    !bs_any(refuters[i], as->aw);
		if (refuters[i] && !ar->undetectable[i])
			row[nr++] = refuters[i];
	}
	if (nr == 0) {
		free(row);
		return true;
	}
	uint64_t *cols, *pos;
	uint32_t nc = columns(as, row, nr, &cols, &pos);
	free(row);
	struct cover_answer ans;
	bool ok = audit_cover(nr, nc, cols, o, &ans, dg);
	free(cols);
	if (ok) {
		ar->minimal = ans.minimal;
		ar->lower_bound = ans.lower_bound;
		ar->plan = xcalloc((size_t)ans.n + 1, sizeof *ar->plan);
		ar->refutes = xcalloc(((size_t)ans.n + 1) *
		    (m->nentities + 1), sizeof(bool));
		/* Columns are in position order: so is the plan. */
		uint64_t *sit = xcalloc((size_t)ans.n + 1, sizeof *sit);
		for (uint32_t k = 0; k < ans.n; k++)
			sit[k] = pos[ans.cols[k]];
		audit_situations(r->sp, sit, ans.n);
		for (uint32_t k = 0; k < ans.n; k++) {
			uint64_t at = pos[ans.cols[k]];
			ar->plan[ar->nplan] = sit[k];
			for (uint32_t i = 0; i < m->nentities; i++)
				ar->refutes[ar->nplan * m->nentities + i] =
				    refuters[i] && bs_test(refuters[i], at);
			ar->nplan++;
		}
		free(sit);
	}
	free(ans.cols);
	free(pos);
	return ok;
}
