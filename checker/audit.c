/*
 * audit.c - audit plans.  Each consistent diverging character or
 * optimizer gets the set of audit positions that refute it; identical
 * columns keep their first situation and columns dominated by an earlier
 * one are dropped (neither can be in a lexicographically smallest minimum
 * cover).  GLPK finds the minimum size k; then, in canonical order, each
 * candidate is kept when a cover of size k with it (and the choices so
 * far) still exists: the lexicographically smallest minimum cover.  Every
 * cover found on the way (greedy or MIP) is pooled: a later question it
 * answers costs no MIP, and a yes moves the search down to the smallest
 * column of the range that the cover takes.
 */
#include "audit.h"

#include "deadline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void
audit_space_build(struct audit_space *as, const struct space *sp)
{
	const struct model *m = sp->m;
	uint64_t k = 0;

	memset(as, 0, sizeof *as);
	as->n = sp->naudit;
	as->aw = bs_words(as->n);
	as->sit = xreallocarray(NULL, as->n ? as->n : 1, sizeof *as->sit);
	as->bad = xcalloc(m->nactions + 1, sizeof *as->bad);
	for (uint32_t a = 0; a < m->nactions; a++)
		as->bad[a] = xcalloc(as->aw ? as->aw : 1, sizeof(uint64_t));
	for (uint64_t s = bs_next(sp->audit, sp->sw, 0); s != BS_NONE;
	    s = bs_next(sp->audit, sp->sw, s + 1), k++) {
		as->sit[k] = s;
		uint32_t rule = space_intended(sp, s);
		if (rule == NONE)
			continue;	/* not covered: refutes nothing */
		for (uint32_t a = 0; a < m->nactions; a++)
			if (!m->intended[rule].accept[a])
				bs_set(as->bad[a], k);
	}
}

void
audit_space_free(struct audit_space *as)
{
	if (as->bad)
		for (uint32_t a = 0; as->bad[a]; a++)
			free(as->bad[a]);
	free(as->bad);
	free(as->sit);
	memset(as, 0, sizeof *as);
}

uint64_t *
audit_refuters(const struct audit_space *as, const struct space *sp,
    const struct policy *p)
{
	uint64_t *out = xcalloc(as->aw ? as->aw : 1, sizeof *out);
	uint32_t na = sp->m->nactions;

	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct piece *pc = &p->pieces[i];
		uint32_t a = pc->action;
		/* Stochastic pieces are caught only through an action of
		 * probability 1 (v1). */
		if (a == NONE)
			for (uint32_t b = 0; b < na; b++)
				if (pc->dist[b] &&
				    mpq_cmp_ui(pc->dist[b], 1, 1) == 0)
					a = b;
		if (a == NONE)
			continue;
		const uint64_t *bad = as->bad[a];
		for (uint64_t k = bs_next(bad, as->aw, 0); k != BS_NONE;
		    k = bs_next(bad, as->aw, k + 1))
			if (bs_test(pc->cls, space_class(sp, as->sit[k])))
				bs_set(out, k);
	}
	return out;
}

/* The cover problem over candidate columns, in canonical order. */
struct cover {
	uint32_t nrows;		/* entity groups left to refute */
	uint32_t ncols;
	uint64_t *col_pos;	/* column -> audit position */
	uint64_t **col_rows;	/* column -> bitset over rows */
	size_t rw;		/* words per row bitset */
};

/* Reductions are quadratic: beyond these sizes they are skipped. */
#define MAX_ROW_REDUCE 4000
#define MAX_COL_REDUCE 20000

static uint64_t
hash_words(const uint64_t *w, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ w[i]) * 1099511628211ull;
	return h;
}

/*
 * Rows: the refuter sets of the entities to catch, without duplicates and
 * without any set that contains another (refuting the smaller one refutes
 * it too).  Columns: per audit position, the rows it refutes; identical
 * columns keep their first position and a column contained in an earlier
 * one is dropped (neither can be in a lexicographically smallest minimum
 * cover).
 */
static void
cover_build(struct cover *c, const struct audit_space *as,
    uint64_t **refuters, uint32_t nent)
{
	uint32_t nr = 0;
	uint64_t **row = xcalloc(nent + 1, sizeof *row);

	memset(c, 0, sizeof *c);
	for (uint32_t i = 0; i < nent; i++)
		if (refuters[i] && bs_any(refuters[i], as->aw))
			row[nr++] = refuters[i];
	/* Drop duplicates and supersets. */
	bool *gone = xcalloc(nr + 1, sizeof *gone);
	for (uint32_t i = 0; i < nr && nr <= MAX_ROW_REDUCE; i++)
		for (uint32_t j = 0; j < nr && !gone[i]; j++) {
			if (i == j || gone[j])
				continue;
			/* j inside i: i is implied (ties: keep the first). */
			if (bs_subset(row[j], row[i], as->aw) &&
			    (!bs_subset(row[i], row[j], as->aw) || j < i))
				gone[i] = true;
		}
	uint32_t k = 0;
	for (uint32_t i = 0; i < nr; i++)
		if (!gone[i])
			row[k++] = row[i];
	nr = k;
	free(gone);
	c->nrows = nr;
	c->rw = bs_words(nr);
	if (nr == 0) {
		free(row);
		return;
	}
	/* Distinct columns through a hash of their row sets. */
	size_t hcap = 1024;
	uint32_t *htab = xreallocarray(NULL, hcap, sizeof *htab);
	memset(htab, 0xff, hcap * sizeof *htab);
	uint64_t *rows = xcalloc(c->rw, sizeof *rows);
	for (uint64_t pos = 0; pos < as->n; pos++) {
		bool any = false;
		memset(rows, 0, c->rw * sizeof *rows);
		for (uint32_t r = 0; r < nr; r++)
			if (bs_test(row[r], pos)) {
				bs_set(rows, r);
				any = true;
			}
		if (!any)
			continue;
		size_t h = hash_words(rows, c->rw) & (hcap - 1);
		bool dup = false;
		for (; htab[h] != UINT32_MAX; h = (h + 1) & (hcap - 1))
			if (!memcmp(c->col_rows[htab[h]], rows,
			    c->rw * sizeof *rows)) {
				dup = true;
				break;
			}
		if (dup)
			continue;
		c->col_pos = xreallocarray(c->col_pos, c->ncols + 1,
		    sizeof *c->col_pos);
		c->col_rows = xreallocarray(c->col_rows, c->ncols + 1,
		    sizeof *c->col_rows);
		c->col_pos[c->ncols] = pos;
		c->col_rows[c->ncols] = xcalloc(c->rw, sizeof *rows);
		memcpy(c->col_rows[c->ncols], rows, c->rw * sizeof *rows);
		htab[h] = c->ncols++;
		if (c->ncols * 2 >= hcap) {
			/* Grow and rehash. */
			free(htab);
			hcap *= 2;
			htab = xreallocarray(NULL, hcap, sizeof *htab);
			memset(htab, 0xff, hcap * sizeof *htab);
			for (uint32_t j = 0; j < c->ncols; j++) {
				size_t g = hash_words(c->col_rows[j], c->rw) &
				    (hcap - 1);
				while (htab[g] != UINT32_MAX)
					g = (g + 1) & (hcap - 1);
				htab[g] = j;
			}
		}
	}
	free(htab);
	free(rows);
	free(row);
	/* Drop columns contained in an earlier one. */
	if (c->ncols > MAX_COL_REDUCE)
		return;
	uint32_t kept = 0;
	for (uint32_t j = 0; j < c->ncols; j++) {
		bool dominated = false;
		for (uint32_t e = 0; e < kept && !dominated; e++)
			dominated = bs_subset(c->col_rows[j], c->col_rows[e],
			    c->rw);
		if (dominated) {
			free(c->col_rows[j]);
			continue;
		}
		c->col_rows[kept] = c->col_rows[j];
		c->col_pos[kept++] = c->col_pos[j];
	}
	c->ncols = kept;
}

static void
cover_free(struct cover *c)
{
	for (uint32_t j = 0; j < c->ncols; j++)
		free(c->col_rows[j]);
	free(c->col_rows);
	free(c->col_pos);
}

/*
 * The least number of columns covering every row, with the columns fixed
 * to [lo, hi], at most 'cap' of them when cap > 0, and at least one from
 * [from, to] when from <= to; -1 when there is none.
 */
static int
min_cover(const struct cover *c, const double *lo, const double *hi,
    int cap, uint32_t from, uint32_t to, const struct lp_opts *o,
    enum lp_status *st, uint64_t *sol, char *why, size_t len)
{
	bool need = from <= to;
	int nnz = 0;
	for (uint32_t j = 0; j < c->ncols; j++)
		nnz += (int)bs_count(c->col_rows[j], c->rw);
	int extra = (cap > 0) + need;
	int nrows = (int)c->nrows + extra;
	size_t cap_nz = (size_t)nnz + 2 * (size_t)c->ncols + 1;
	int *ri = xcalloc(cap_nz, sizeof *ri);
	int *ci = xcalloc(cap_nz, sizeof *ci);
	double *v = xcalloc(cap_nz, sizeof *v);
	double *obj = xcalloc(c->ncols + 1, sizeof *obj);
	double *rlo = xcalloc((size_t)nrows + 1, sizeof *rlo);
	double *rhi = xcalloc((size_t)nrows + 1, sizeof *rhi);
	bool *bin = xcalloc(c->ncols + 1, sizeof *bin);
	int k = 0, capr = (int)c->nrows, needr = (int)c->nrows + (cap > 0);

	for (uint32_t j = 0; j < c->ncols; j++) {
		/* With a cap it is a feasibility question: the first
		 * integer point found answers it. */
		obj[j] = cap > 0 ? 0 : 1;
		bin[j] = true;
		for (uint64_t r = bs_next(c->col_rows[j], c->rw, 0);
		    r != BS_NONE; r = bs_next(c->col_rows[j], c->rw, r + 1)) {
			ri[k] = (int)r;
			ci[k] = (int)j;
			v[k++] = 1;
		}
		if (cap > 0) {
			ri[k] = capr;
			ci[k] = (int)j;
			v[k++] = 1;
		}
		if (need && j >= from && j <= to) {
			ri[k] = needr;
			ci[k] = (int)j;
			v[k++] = 1;
		}
	}
	for (uint32_t r = 0; r < c->nrows; r++) {
		rlo[r] = 1;
		rhi[r] = HUGE_VAL;
	}
	if (cap > 0) {
		rlo[capr] = -HUGE_VAL;
		rhi[capr] = cap;
	}
	if (need) {
		rlo[needr] = 1;
		rhi[needr] = HUGE_VAL;
	}
	struct lp_model lm = {
		.nrows = nrows, .ncols = (int)c->ncols, .maximize = false,
		.obj = obj, .col_lo = lo, .col_hi = hi, .col_binary = bin,
		.row_lo = rlo, .row_hi = rhi, .nnz = k, .ri = ri, .ci = ci,
		.v = v,
	};
	struct lp_opts lo_opts = *o;
	lo_opts.exact = false;
	double *x = xcalloc(c->ncols + 1, sizeof *x);
	struct lp_result res = { .x = x };
	*st = lp_solve(&lm, &lo_opts, &res);
	int best = -1;
	if (*st == LP_OPTIMAL) {
		best = cap > 0 ? cap : (int)lround(res.obj);
		if (sol) {
			memset(sol, 0, bs_words(c->ncols) * sizeof *sol);
			for (uint32_t j = 0; j < c->ncols; j++)
				if (x[j] > 0.5)
					bs_set(sol, j);
		}
	} else if (*st != LP_INFEASIBLE) {
		snprintf(why, len, "audit plan: %s", res.msg);
	}
	free(x);
	free(ri);
	free(ci);
	free(v);
	free(obj);
	free(rlo);
	free(rhi);
	free(bin);
	return best;
}

/* Rows column j adds to 'covered'. */
static uint64_t
gain(const struct cover *c, const uint64_t *covered, uint32_t j)
{
	uint64_t n = 0;

	for (size_t w = 0; w < c->rw; w++)
		n += (uint64_t)__builtin_popcountll(c->col_rows[j][w] &
		    ~covered[w]);
	return n;
}

/*
 * A quick proof of feasibility: starting from 'covered' with 'nchosen'
 * columns, take column 'start' (or nothing when NONE), then greedily the
 * free column (hi = 1, lo = 0) adding most rows.  Returns the number of
 * columns of the cover it finds, or UINT32_MAX.
 */
static uint32_t
greedy(const struct cover *c, const double *lo, const double *hi,
    const uint64_t *covered, uint32_t nchosen, uint32_t start,
    uint32_t limit, uint64_t *sol)
{
	uint64_t *cov = xcalloc(c->rw ? c->rw : 1, sizeof *cov);
	uint64_t left = c->nrows;
	uint32_t n = nchosen;

	memcpy(cov, covered, c->rw * sizeof *cov);
	left -= bs_count(cov, c->rw);
	if (sol) {
		memset(sol, 0, bs_words(c->ncols) * sizeof *sol);
		for (uint32_t j = 0; j < c->ncols; j++)
			if (lo[j] == 1)
				bs_set(sol, j);
	}
	if (start != NONE) {
		left -= gain(c, cov, start);
		bs_or(cov, cov, c->col_rows[start], c->rw);
		if (sol)
			bs_set(sol, start);
		n++;
	}
	while (left > 0 && n < limit) {
		uint64_t best = 0;
		uint32_t pick = NONE;
		for (uint32_t j = 0; j < c->ncols; j++) {
			if (hi[j] != 1 || lo[j] == 1)
				continue;
			uint64_t g = gain(c, cov, j);
			if (g > best) {
				best = g;
				pick = j;
			}
		}
		if (pick == NONE)
			break;
		left -= best;
		bs_or(cov, cov, c->col_rows[pick], c->rw);
		if (sol)
			bs_set(sol, pick);
		n++;
	}
	free(cov);
	return left == 0 ? n : UINT32_MAX;
}

/*
 * Covers found so far (by greedy completions and the MIP), as column
 * bitsets: a later question that one of them answers costs no MIP.
 */
#define POOL 32

struct pool {
	uint32_t n, next;
	uint64_t *set[POOL];
	size_t w;		/* words per set */
};

static void
pool_add(struct pool *pl, const uint64_t *sol)
{
	uint32_t i = pl->n < POOL ? pl->n++ : pl->next++ % POOL;

	if (!pl->set[i])
		pl->set[i] = xreallocarray(NULL, pl->w ? pl->w : 1,
		    sizeof **pl->set);
	memcpy(pl->set[i], sol, pl->w * sizeof **pl->set);
}

static void
pool_free(struct pool *pl)
{
	for (uint32_t i = 0; i < POOL; i++)
		free(pl->set[i]);
}

/* The smallest column of 'sol' in [from, to], or UINT32_MAX. */
static uint32_t
first_in(const uint64_t *sol, size_t w, uint32_t from, uint32_t to)
{
	uint64_t j = bs_next(sol, w, from);

	return j != BS_NONE && j <= to ? (uint32_t)j : UINT32_MAX;
}

/* A pooled cover that fits the fixings and the size k and takes a column
 * from [from, to]: its smallest such column, or UINT32_MAX. */
static uint32_t
pool_find(const struct pool *pl, const struct cover *c, const double *lo,
    const double *hi, int k, uint32_t from, uint32_t to)
{
	uint32_t best = UINT32_MAX;

	for (uint32_t i = 0; i < pl->n; i++) {
		const uint64_t *sol = pl->set[i];
		bool fits = bs_count(sol, pl->w) <= (uint64_t)k;
		for (uint32_t j = 0; j < c->ncols && fits; j++)
			fits = bs_test(sol, j) ? hi[j] == 1 : lo[j] != 1;
		uint32_t w = fits ? first_in(sol, pl->w, from, to) : UINT32_MAX;
		if (w < best)
			best = w;
	}
	return best;
}

/*
 * Is there a cover of at most k columns, with the fixings of lo/hi, that
 * takes a column from [from, to]?  A pooled cover, then greedy
 * completions from the most promising columns of the range answer most
 * yes cases; the MIP answers the rest.  Returns 1 yes (with '*wit' the
 * smallest column of [from, to] in the cover found: the answer stays yes
 * down to it), 0 no, -1 on a solver failure.
 */
static int
feasible(const struct cover *c, const double *lo, const double *hi,
    const uint64_t *covered, uint32_t nchosen, int k, uint32_t from,
    uint32_t to, struct pool *pl, uint32_t *wit, const struct lp_opts *o,
    char *why, size_t len)
{
	enum { TRIES = 6 };
	uint32_t best[TRIES];
	uint64_t bestg[TRIES];
	uint32_t nb = 0;
	enum lp_status st;
	uint64_t *sol = xcalloc(pl->w + 1, sizeof *sol);
	int ans = -2;

	if ((*wit = pool_find(pl, c, lo, hi, k, from, to)) != UINT32_MAX)
		ans = 1;
	for (uint32_t j = from; ans == -2 && j <= to && j < c->ncols; j++) {
		if (hi[j] != 1 || lo[j] == 1)
			continue;
		uint64_t g = gain(c, covered, j);
		/* Keep the TRIES columns of largest gain (insertion). */
		uint32_t p = nb < TRIES ? nb++ : TRIES;
		if (p == TRIES && g <= bestg[TRIES - 1])
			continue;
		if (p == TRIES)
			p = TRIES - 1;
		while (p > 0 && bestg[p - 1] < g) {
			best[p] = best[p - 1];
			bestg[p] = bestg[p - 1];
			p--;
		}
		best[p] = j;
		bestg[p] = g;
	}
	for (uint32_t i = 0; ans == -2 && i < nb; i++)
		if (greedy(c, lo, hi, covered, nchosen, best[i],
		    (uint32_t)k, sol) <= (uint32_t)k) {
			pool_add(pl, sol);
			*wit = first_in(sol, pl->w, from, to);
			ans = 1;
		}
	if (ans == -2) {
		int got = min_cover(c, lo, hi, k, from, to, o, &st, sol, why,
		    len);
		if (got < 0) {
			ans = st == LP_INFEASIBLE ? 0 : -1;
		} else {
			pool_add(pl, sol);
			*wit = first_in(sol, pl->w, from, to);
			ans = 1;
		}
	}
	free(sol);
	return ans;
}

/* Whether 'covered' | column j covers every row. */
static bool
completes(const struct cover *c, const uint64_t *covered, uint32_t j)
{
	for (size_t w = 0; w < c->rw; w++) {
		uint64_t all = w + 1 < c->rw || c->nrows % 64 == 0 ?
		    ~(uint64_t)0 : ~(uint64_t)0 >> (64 - c->nrows % 64);
		if ((covered[w] | c->col_rows[j][w]) != all)
			return false;
	}
	return true;
}

bool
audit_plan(struct result *r, const struct audit_space *as,
    uint64_t **refuters, const struct lp_opts *o, char *why, size_t len)
{
	const struct model *m = r->m;
	struct audit_result *ar = &r->audit;
	struct cover c;
	enum lp_status st = LP_OPTIMAL;
	bool ok = true;

	ar->has = true;
	ar->undetectable = xcalloc(m->nentities + 1, sizeof(bool));
	for (uint32_t i = 0; i < m->nentities; i++)
		ar->undetectable[i] = refuters[i] &&
		    !bs_any(refuters[i], as->aw);
	cover_build(&c, as, refuters, m->nentities);
	if (c.nrows == 0) {
		cover_free(&c);
		return true;
	}
	double *lo = xcalloc(c.ncols + 1, sizeof *lo);
	double *hi = xcalloc(c.ncols + 1, sizeof *hi);
	uint64_t *covered = xcalloc(c.rw, sizeof *covered);
	for (uint32_t j = 0; j < c.ncols; j++)
		hi[j] = 1;
	/* The minimum size: greedy gives an upper bound g; if no cover of
	 * g - 1 exists (a feasibility MIP, usually settled at the root),
	 * k = g, else the optimising MIP decides. */
	struct pool pl = { .w = bs_words(c.ncols) };
	uint64_t *sol = xcalloc(pl.w + 1, sizeof *sol);
	uint32_t g = greedy(&c, lo, hi, covered, 0, NONE, UINT32_MAX, sol);
	uint32_t wit;
	int k = (int)g, f = 0;
	pool_add(&pl, sol);
	if (g > 1)
		f = feasible(&c, lo, hi, covered, 0, (int)g - 1, 0, c.ncols - 1,
		    &pl, &wit, o, why, len);
	if (f != 0) {
		k = f < 0 ? -1 : min_cover(&c, lo, hi, 0, 1, 0, o, &st, sol,
		    why, len);
		if (k >= 0)
			pool_add(&pl, sol);
	}
	free(sol);
	if (k < 0) {
		/* Every row has a column, so this is a solver failure. */
		if (f >= 0 && st == LP_INFEASIBLE)
			snprintf(why, len, "audit plan: the cover problem is "
			    "infeasible (a bug)");
		ok = false;
		goto out;
	}
	/*
	 * Position by position, the smallest next column: with the choices
	 * so far fixed, "some minimum cover takes a column from (last, t]"
	 * is monotone in t, so a binary search over t finds it with
	 * log2(columns) MIPs, and the columns skipped are excluded.
	 */
	uint32_t next = 0;
	for (int p = 0; p < k && ok; p++) {
		uint32_t pick = UINT32_MAX;
		if (p == k - 1) {
			for (uint32_t j = next; j < c.ncols; j++)
				if (completes(&c, covered, j)) {
					pick = j;
					break;
				}
		} else {
			uint32_t a = next, b = c.ncols - 1;
			while (a < b) {
				uint32_t t = a + (b - a) / 2;
				if (deadline_expired()) {
					snprintf(why, len, "the time limit "
					    "(--timeout) was reached while "
					    "planning audits");
					ok = false;
					break;
				}
				int yes = feasible(&c, lo, hi, covered,
				    (uint32_t)p, k, next, t, &pl, &wit, o,
				    why, len);
				if (yes < 0) {
					ok = false;
					break;
				}
				if (yes)
					b = wit;
				else
					a = t + 1;
			}
			pick = a;
		}
		if (!ok)
			break;
		if (pick == UINT32_MAX) {
			snprintf(why, len, "audit plan: no cover completes the "
			    "lexicographic search (a bug)");
			ok = false;
			break;
		}
		for (uint32_t j = next; j < pick; j++)
			lo[j] = hi[j] = 0;
		lo[pick] = hi[pick] = 1;
		bs_or(covered, covered, c.col_rows[pick], c.rw);
		next = pick + 1;
	}
	if (!ok)
		goto out;
	ar->plan = xcalloc((size_t)k + 1, sizeof *ar->plan);
	ar->refutes = xcalloc(((size_t)k + 1) * (m->nentities + 1),
	    sizeof(bool));
	for (uint32_t j = 0; j < c.ncols; j++) {
		if (lo[j] != 1)
			continue;
		uint64_t pos = c.col_pos[j];
		ar->plan[ar->nplan] = as->sit[pos];
		for (uint32_t i = 0; i < m->nentities; i++)
			ar->refutes[ar->nplan * m->nentities + i] =
			    refuters[i] && bs_test(refuters[i], pos);
		ar->nplan++;
	}
out:
	pool_free(&pl);
	free(covered);
	free(lo);
	free(hi);
	cover_free(&c);
	return ok;
}
