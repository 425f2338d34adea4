/*
 * audit.c - audit plans.  Each consistent diverging character or
 * optimizer gets the set of audit positions that refute it; identical
 * columns keep their first situation and columns dominated by an earlier
 * one are dropped (neither can be in a lexicographically smallest minimum
 * cover).  GLPK finds the minimum size k; then, in canonical order, each
 * candidate is kept when a cover of size k with it (and the choices so
 * far) still exists: the lexicographically smallest minimum cover.
 */
#include "audit.h"

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
	uint32_t nrows;		/* entities to refute */
	uint32_t *row_ent;	/* row -> entity */
	uint32_t ncols;
	uint64_t *col_pos;	/* column -> audit position */
	uint64_t **col_rows;	/* column -> bitset over rows */
	size_t rw;		/* words per row bitset */
};

static bool
rows_subset(const uint64_t *a, const uint64_t *b, size_t rw)
{
	return bs_subset(a, b, rw);
}

/* Columns: one per distinct row set, first position wins; dominated
 * columns (a subset of an earlier column's set) are dropped. */
static void
cover_build(struct cover *c, const struct audit_space *as,
    uint64_t **refuters, uint32_t nent)
{
	memset(c, 0, sizeof *c);
	c->row_ent = xcalloc(nent + 1, sizeof *c->row_ent);
	for (uint32_t i = 0; i < nent; i++)
		if (refuters[i] && bs_any(refuters[i], as->aw))
			c->row_ent[c->nrows++] = i;
	c->rw = bs_words(c->nrows);
	if (c->nrows == 0)
		return;
	uint64_t *rows = xcalloc(c->rw, sizeof *rows);
	for (uint64_t k = 0; k < as->n; k++) {
		memset(rows, 0, c->rw * sizeof *rows);
		for (uint32_t r = 0; r < c->nrows; r++)
			if (bs_test(refuters[c->row_ent[r]], k))
				bs_set(rows, r);
		if (!bs_any(rows, c->rw))
			continue;
		bool dominated = false;
		for (uint32_t j = 0; j < c->ncols && !dominated; j++)
			dominated = rows_subset(rows, c->col_rows[j], c->rw);
		if (dominated)
			continue;
		c->col_pos = xreallocarray(c->col_pos, c->ncols + 1,
		    sizeof *c->col_pos);
		c->col_rows = xreallocarray(c->col_rows, c->ncols + 1,
		    sizeof *c->col_rows);
		c->col_pos[c->ncols] = k;
		c->col_rows[c->ncols] = xcalloc(c->rw, sizeof *rows);
		memcpy(c->col_rows[c->ncols], rows, c->rw * sizeof *rows);
		c->ncols++;
	}
	free(rows);
}

static void
cover_free(struct cover *c)
{
	for (uint32_t j = 0; j < c->ncols; j++)
		free(c->col_rows[j]);
	free(c->col_rows);
	free(c->col_pos);
	free(c->row_ent);
}

/*
 * The least number of columns covering every row, with columns fixed to
 * [lo, hi], or -1 if none.  'cap' > 0 adds sum x <= cap.
 */
static int
min_cover(const struct cover *c, const double *lo, const double *hi,
    int cap, const struct lp_opts *o, enum lp_status *st, char *why,
    size_t len)
{
	int nnz = 0;
	for (uint32_t j = 0; j < c->ncols; j++)
		nnz += (int)bs_count(c->col_rows[j], c->rw);
	int nrows = (int)c->nrows + (cap > 0);
	int *ri = xcalloc((size_t)nnz + c->ncols + 1, sizeof *ri);
	int *ci = xcalloc((size_t)nnz + c->ncols + 1, sizeof *ci);
	double *v = xcalloc((size_t)nnz + c->ncols + 1, sizeof *v);
	double *obj = xcalloc(c->ncols + 1, sizeof *obj);
	double *rlo = xcalloc((size_t)nrows + 1, sizeof *rlo);
	double *rhi = xcalloc((size_t)nrows + 1, sizeof *rhi);
	bool *bin = xcalloc(c->ncols + 1, sizeof *bin);
	int k = 0;

	for (uint32_t j = 0; j < c->ncols; j++) {
		obj[j] = 1;
		bin[j] = true;
		for (uint64_t r = bs_next(c->col_rows[j], c->rw, 0);
		    r != BS_NONE; r = bs_next(c->col_rows[j], c->rw, r + 1)) {
			ri[k] = (int)r;
			ci[k] = (int)j;
			v[k++] = 1;
		}
		if (cap > 0) {
			ri[k] = (int)c->nrows;
			ci[k] = (int)j;
			v[k++] = 1;
		}
	}
	for (uint32_t r = 0; r < c->nrows; r++) {
		rlo[r] = 1;
		rhi[r] = HUGE_VAL;
	}
	if (cap > 0) {
		rlo[c->nrows] = -HUGE_VAL;
		rhi[c->nrows] = cap;
	}
	struct lp_model lm = {
		.nrows = nrows, .ncols = (int)c->ncols, .maximize = false,
		.obj = obj, .col_lo = lo, .col_hi = hi, .col_binary = bin,
		.row_lo = rlo, .row_hi = rhi, .nnz = k, .ri = ri, .ci = ci,
		.v = v,
	};
	struct lp_opts lo_opts = *o;
	lo_opts.exact = false;
	struct lp_result res = { 0 };
	*st = lp_solve(&lm, &lo_opts, &res);
	int best = -1;
	if (*st == LP_OPTIMAL)
		best = (int)lround(res.obj);
	else if (*st != LP_INFEASIBLE)
		snprintf(why, len, "audit plan: %s", res.msg);
	free(ri);
	free(ci);
	free(v);
	free(obj);
	free(rlo);
	free(rhi);
	free(bin);
	return best;
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
	for (uint32_t j = 0; j < c.ncols; j++)
		hi[j] = 1;
	int k = min_cover(&c, lo, hi, 0, o, &st, why, len);
	if (k < 0) {
		/* Every row has a column, so this is a solver failure. */
		if (st == LP_INFEASIBLE)
			snprintf(why, len, "audit plan: the cover problem is "
			    "infeasible (a bug)");
		ok = false;
		goto out;
	}
	/* Lexicographic refinement, candidate by candidate. */
	uint64_t *covered = xcalloc(c.rw, sizeof *covered);
	int chosen = 0;
	for (uint32_t j = 0; j < c.ncols && chosen < k; j++) {
		bool keep;
		if (chosen == k - 1) {
			/* The last column must cover everything left. */
			keep = true;
			for (size_t w = 0; w < c.rw; w++) {
				uint64_t all = w + 1 < c.rw || c.nrows % 64 == 0 ?
				    ~(uint64_t)0 :
				    ~(uint64_t)0 >> (64 - c.nrows % 64);
				if ((covered[w] | c.col_rows[j][w]) != all)
					keep = false;
			}
		} else {
			lo[j] = 1;
			int got = min_cover(&c, lo, hi, k, o, &st, why, len);
			if (got < 0 && st != LP_INFEASIBLE) {
				ok = false;
				break;
			}
			keep = got >= 0 && got <= k;
		}
		if (keep) {
			lo[j] = hi[j] = 1;
			bs_or(covered, covered, c.col_rows[j], c.rw);
			chosen++;
		} else {
			lo[j] = hi[j] = 0;
		}
	}
	free(covered);
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
	free(lo);
	free(hi);
	cover_free(&c);
	return ok;
}
