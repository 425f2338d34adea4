/*
 * posterior.c - the posterior over the prior set (SPEC 4.8).
 *
 * For fixed data factors f, the quantity is N(w)/D(w) with
 * N = sum_i w_i f_i L_i x_i and D = sum_i w_i f_i L_i, over the weights w in
 * the box [lo, hi] that satisfy the constraints (homogeneous after
 * multiplying through by sum w).  Charnes-Cooper: with y = w / D and
 * t = 1 / D, maximise (or minimise) sum_i a_i x_i y_i subject to
 * sum_i a_i y_i = 1, lo_i t <= y_i <= hi_i t and the constraints in y,
 * where a_i = f_i L_i / L_max (likelihoods divided by the largest, exactly).
 *
 * GLPK solves it in doubles.  The optimum is a vertex: the active rows of
 * the final basis determine it, so we solve those equations again in
 * exact rationals, check the point is feasible exactly, and report its
 * exact ratio.  Only if that fails is the double value reported.
 */
#include "posterior.h"

#include "deadline.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exact re-solves of reduced systems up to this size. */
#define MAX_DENSE 600

bool
posterior_needs_lp(const struct model *m)
{
	for (uint32_t i = 0; i < m->nentities; i++)
		if (mpq_cmp(m->entities[i].prior.lo,
		    m->entities[i].prior.hi) != 0)
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Data factors                                                       */
/* ------------------------------------------------------------------ */

struct vertices {
	uint32_t nvar, var[POSTERIOR_MAX_DATA];
};

static void
data_vars(const struct model *m, struct vertices *v)
{
	v->nvar = 0;
	for (uint32_t k = 0; k < m->ndata && v->nvar < POSTERIOR_MAX_DATA; k++)
		if (mpq_cmp(m->data[k].scale.lo, m->data[k].scale.hi) != 0)
			v->var[v->nvar++] = k;
}

/* f_i at vertex 'vert' of the data box: the prior-free factor of i. */
static void
factors(const struct model *m, const struct vertices *v, uint64_t vert,
    mpq_t *f)
{
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		mpq_set_ui(f[i], 1, 1);
		for (uint32_t k = 0; k < m->ndata; k++) {
			const struct data_item *di = &m->data[k];
			bool carries = false, high = false;
			for (uint32_t j = 0; j < e->ntraits; j++)
				carries |= e->traits[j] == di->trait;
			if (!carries)
				continue;
			for (uint32_t b = 0; b < v->nvar; b++)
				if (v->var[b] == k)
					high = (vert >> b) & 1;
			mpq_mul(f[i], f[i], high ? di->scale.hi :
			    di->scale.lo);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Exact dense linear algebra                                         */
/* ------------------------------------------------------------------ */

/*
 * Solves the n x n+1 augmented system 'a' (row-major, rhs last) in place
 * by Gauss-Jordan elimination; variables without a pivot take 'guess'.
 * Returns false when the system is inconsistent.
 */
static bool
gauss(mpq_t *a, uint32_t neq, uint32_t n, mpq_t *guess, mpq_t *out)
{
	uint32_t w = n + 1, row = 0;
	int32_t *pivot_col = xcalloc(neq + 1, sizeof *pivot_col);
	bool *has_pivot = xcalloc(n + 1, sizeof *has_pivot);
	mpq_t t;
	bool ok = true;

	mpq_init(t);
	for (uint32_t c = 0; c < n && row < neq; c++) {
		uint32_t p = row;
		while (p < neq && mpq_sgn(a[p * w + c]) == 0)
			p++;
		if (p == neq)
			continue;
		if (p != row)
			for (uint32_t k = 0; k < w; k++)
				mpq_swap(a[p * w + k], a[row * w + k]);
		for (uint32_t k = w; k-- > c;)
			mpq_div(a[row * w + k], a[row * w + k], a[row * w + c]);
		for (uint32_t r = 0; r < neq; r++) {
			if (r == row || mpq_sgn(a[r * w + c]) == 0)
				continue;
			for (uint32_t k = w; k-- > c;) {
				mpq_mul(t, a[r * w + c], a[row * w + k]);
				mpq_sub(a[r * w + k], a[r * w + k], t);
			}
		}
		pivot_col[row++] = (int32_t)c;
		has_pivot[c] = true;
	}
	/* Rows without a pivot must read 0 = 0. */
	for (uint32_t r = row; r < neq; r++)
		if (mpq_sgn(a[r * w + n]) != 0)
			ok = false;
	for (uint32_t c = 0; c < n; c++)
		if (!has_pivot[c])
			mpq_set(out[c], guess[c]);
	for (uint32_t r = 0; ok && r < row; r++) {
		uint32_t c = (uint32_t)pivot_col[r];
		mpq_set(out[c], a[r * w + n]);
		for (uint32_t k = 0; k < n; k++)
			if (k != c && !has_pivot[k] && mpq_sgn(a[r * w + k])) {
				mpq_mul(t, a[r * w + k], guess[k]);
				mpq_sub(out[c], out[c], t);
			}
	}
	mpq_clear(t);
	free(pivot_col);
	free(has_pivot);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The Charnes-Cooper LP                                              */
/* ------------------------------------------------------------------ */

enum row_kind { ROW_NORM, ROW_LO, ROW_HI, ROW_CON };

struct cc {
	const struct model *m;
	uint32_t n;		/* entities; column n is t */
	mpq_t *a;		/* a_i, exact */
	mpq_t *ax;		/* a_i x_i, exact */
	mpq_t *ccoef;		/* nconstraints x n: c_ki + kappa_k */
	/* rows */
	uint32_t nrows;
	enum row_kind *kind;
	uint32_t *idx;		/* entity (LO, HI) or constraint (CON) */
};

static void
cc_init(struct cc *cc, const struct model *m)
{
	uint32_t n = m->nentities, k = m->nconstraints;

	memset(cc, 0, sizeof *cc);
	cc->m = m;
	cc->n = n;
	cc->a = xreallocarray(NULL, n + 1, sizeof *cc->a);
	cc->ax = xreallocarray(NULL, n + 1, sizeof *cc->ax);
	cc->ccoef = xreallocarray(NULL, (size_t)k * n + 1, sizeof *cc->ccoef);
	for (uint32_t i = 0; i < n; i++) {
		mpq_init(cc->a[i]);
		mpq_init(cc->ax[i]);
	}
	for (uint32_t c = 0; c < k; c++)
		for (uint32_t i = 0; i < n; i++) {
			mpq_ptr q = cc->ccoef[(size_t)c * n + i];
			mpq_init(q);
			mpq_add(q, m->constraints[c].coef[i],
			    m->constraints[c].constant);
		}
	cc->kind = xcalloc(1 + 2 * (size_t)n + k, sizeof *cc->kind);
	cc->idx = xcalloc(1 + 2 * (size_t)n + k, sizeof *cc->idx);
	cc->kind[cc->nrows++] = ROW_NORM;
	for (uint32_t i = 0; i < n; i++) {
		if (mpq_sgn(m->entities[i].prior.lo) > 0) {
			cc->kind[cc->nrows] = ROW_LO;
			cc->idx[cc->nrows++] = i;
		}
		cc->kind[cc->nrows] = ROW_HI;
		cc->idx[cc->nrows++] = i;
	}
	for (uint32_t c = 0; c < k; c++) {
		cc->kind[cc->nrows] = ROW_CON;
		cc->idx[cc->nrows++] = c;
	}
}

static void
cc_free(struct cc *cc)
{
	for (uint32_t i = 0; i < cc->n; i++) {
		mpq_clear(cc->a[i]);
		mpq_clear(cc->ax[i]);
	}
	for (size_t j = 0; j < (size_t)cc->m->nconstraints * cc->n; j++)
		mpq_clear(cc->ccoef[j]);
	free(cc->a);
	free(cc->ax);
	free(cc->ccoef);
	free(cc->kind);
	free(cc->idx);
}

/*
 * Row r's exact coefficient of column j (j == n: t) and its right-hand
 * side; all rows but the normalisation have rhs 0.
 */
static void
cc_coef(const struct cc *cc, uint32_t r, uint32_t j, mpq_t out)
{
	const struct model *m = cc->m;
	uint32_t i = cc->idx[r];

	mpq_set_ui(out, 0, 1);
	switch (cc->kind[r]) {
	case ROW_NORM:
		if (j < cc->n)
			mpq_set(out, cc->a[j]);
		return;
	case ROW_LO:
	case ROW_HI:
		if (j == i)
			mpq_set_ui(out, 1, 1);
		else if (j == cc->n)
			mpq_neg(out, cc->kind[r] == ROW_LO ?
			    m->entities[i].prior.lo : m->entities[i].prior.hi);
		return;
	case ROW_CON:
		if (j < cc->n)
			mpq_set(out, cc->ccoef[(size_t)i * cc->n + j]);
		return;
	}
}

/* Whether row r holds exactly at (y, t). */
static bool
cc_row_holds(const struct cc *cc, uint32_t r, mpq_t *y)
{
	const struct model *m = cc->m;
	mpq_t s, c;
	bool ok;

	mpq_inits(s, c, NULL);
	for (uint32_t j = 0; j <= cc->n; j++) {
		if (mpq_sgn(y[j]) == 0)
			continue;
		cc_coef(cc, r, j, c);
		mpq_mul(c, c, y[j]);
		mpq_add(s, s, c);
	}
	switch (cc->kind[r]) {
	case ROW_NORM: ok = mpq_cmp_ui(s, 1, 1) == 0; break;
	case ROW_LO: ok = mpq_sgn(s) >= 0; break;
	case ROW_HI: ok = mpq_sgn(s) <= 0; break;
	case ROW_CON: {
		enum ast_cmp op = m->constraints[cc->idx[r]].op;
		ok = op == CMP_EQ ? mpq_sgn(s) == 0 :
		    op == CMP_LE ? mpq_sgn(s) <= 0 : mpq_sgn(s) >= 0;
		break;
	}
	default: ok = false;
	}
	mpq_clears(s, c, NULL);
	return ok;
}

/*
 * Recomputes the LP's optimal vertex exactly from its basis: nonbasic
 * columns sit at 0, nonbasic rows are tight.  Returns false if the exact
 * point is not a feasible solution (then the caller keeps the double).
 */
static bool
cc_exact_vertex(const struct cc *cc, const int *col_stat, const int *row_stat,
    const double *xd, mpq_t value)
{
	uint32_t n = cc->n, ncol = n + 1;
	uint32_t *unk = xcalloc(ncol + 1, sizeof *unk);	/* col -> unknown */
	uint32_t nunk = 0, neq = 0;
	bool ok = false;
	mpq_t *y = xreallocarray(NULL, ncol, sizeof *y);

	for (uint32_t j = 0; j < ncol; j++) {
		mpq_init(y[j]);
		unk[j] = col_stat[j] == LP_BASIC ? nunk++ : NONE;
	}
	for (uint32_t r = 0; r < cc->nrows; r++)
		neq += row_stat[r] != LP_BASIC;
	if (nunk > MAX_DENSE || neq > MAX_DENSE * 2)
		goto out;
	if (nunk == 0)
		goto check;
	mpq_t *a = xreallocarray(NULL, (size_t)neq * (nunk + 1) + 1,
	    sizeof *a);
	mpq_t *guess = xreallocarray(NULL, nunk + 1, sizeof *guess);
	mpq_t *sol = xreallocarray(NULL, nunk + 1, sizeof *sol);
	mpq_t c;
	mpq_init(c);
	for (size_t k = 0; k < (size_t)neq * (nunk + 1); k++)
		mpq_init(a[k]);
	for (uint32_t u = 0; u < nunk; u++) {
		mpq_init(guess[u]);
		mpq_init(sol[u]);
	}
	for (uint32_t j = 0; j < ncol; j++)
		if (unk[j] != NONE)
			mpq_set_d(guess[unk[j]], xd[j]);
	uint32_t e = 0;
	for (uint32_t r = 0; r < cc->nrows; r++) {
		if (row_stat[r] == LP_BASIC)
			continue;
		for (uint32_t j = 0; j < ncol; j++) {
			if (unk[j] == NONE)
				continue;
			cc_coef(cc, r, j, c);
			mpq_set(a[(size_t)e * (nunk + 1) + unk[j]], c);
		}
		if (cc->kind[r] == ROW_NORM)
			mpq_set_ui(a[(size_t)e * (nunk + 1) + nunk], 1, 1);
		e++;
	}
	bool solved = gauss(a, neq, nunk, guess, sol);
	for (uint32_t j = 0; j < ncol; j++)
		if (unk[j] != NONE)
			mpq_set(y[j], sol[unk[j]]);
	for (size_t k = 0; k < (size_t)neq * (nunk + 1); k++)
		mpq_clear(a[k]);
	for (uint32_t u = 0; u < nunk; u++) {
		mpq_clear(guess[u]);
		mpq_clear(sol[u]);
	}
	mpq_clear(c);
	free(a);
	free(guess);
	free(sol);
	if (!solved)
		goto out;
check:
	/* Feasible exactly: y >= 0, t > 0, every row. */
	for (uint32_t j = 0; j < ncol; j++)
		if (mpq_sgn(y[j]) < 0)
			goto out;
	if (mpq_sgn(y[n]) <= 0)
		goto out;
	for (uint32_t r = 0; r < cc->nrows; r++)
		if (!cc_row_holds(cc, r, y))
			goto out;
	mpq_set_ui(value, 0, 1);
	mpq_t t;
	mpq_init(t);
	for (uint32_t i = 0; i < n; i++) {
		mpq_mul(t, cc->ax[i], y[i]);
		mpq_add(value, value, t);
	}
	mpq_clear(t);
	ok = true;
out:
	for (uint32_t j = 0; j < ncol; j++)
		mpq_clear(y[j]);
	free(y);
	free(unk);
	return ok;
}

/*
 * One optimisation of the Charnes-Cooper LP at the current a, ax.
 * *defined is false when infeasible (D = 0 on the whole prior set).
 */
static bool
cc_solve(const struct cc *cc, bool maximize, const struct lp_opts *o,
    mpq_t value, bool *defined, bool *exact, bool *verified, char *why,
    size_t len)
{
	const struct model *m = cc->m;
	uint32_t n = cc->n, ncol = n + 1, k = m->nconstraints;
	size_t cap = 5 * (size_t)n + (size_t)k * n + 1;
	double *obj = xcalloc(ncol, sizeof *obj);
	double *clo = xcalloc(ncol, sizeof *clo);
	double *chi = xcalloc(ncol, sizeof *chi);
	double *rlo = xcalloc(cc->nrows, sizeof *rlo);
	double *rhi = xcalloc(cc->nrows, sizeof *rhi);
	int *ri = xcalloc(cap, sizeof *ri), *ci = xcalloc(cap, sizeof *ci);
	double *v = xcalloc(cap, sizeof *v);
	double *xd = xcalloc(ncol, sizeof *xd);
	int *cst = xcalloc(ncol, sizeof *cst);
	int *rst = xcalloc(cc->nrows, sizeof *rst);
	int nnz = 0;
	bool ok = true;
	mpq_t c;

	mpq_init(c);
	for (uint32_t j = 0; j < ncol; j++) {
		obj[j] = j < n ? mpq_get_d(cc->ax[j]) : 0;
		clo[j] = 0;
		chi[j] = HUGE_VAL;
	}
	for (uint32_t r = 0; r < cc->nrows; r++) {
		switch (cc->kind[r]) {
		case ROW_NORM: rlo[r] = rhi[r] = 1; break;
		case ROW_LO: rlo[r] = 0; rhi[r] = HUGE_VAL; break;
		case ROW_HI: rlo[r] = -HUGE_VAL; rhi[r] = 0; break;
		case ROW_CON: {
			enum ast_cmp op = m->constraints[cc->idx[r]].op;
			rlo[r] = op == CMP_LE ? -HUGE_VAL : 0;
			rhi[r] = op == CMP_GE ? HUGE_VAL : 0;
			break;
		}
		}
		for (uint32_t j = 0; j < ncol; j++) {
			if (cc->kind[r] != ROW_NORM && cc->kind[r] != ROW_CON &&
			    j != cc->idx[r] && j != n)
				continue;
			cc_coef(cc, r, j, c);
			if (mpq_sgn(c) == 0)
				continue;
			ri[nnz] = (int)r;
			ci[nnz] = (int)j;
			v[nnz++] = mpq_get_d(c);
		}
	}
	struct lp_model lm = {
		.nrows = (int)cc->nrows, .ncols = (int)ncol,
		.maximize = maximize, .obj = obj, .col_lo = clo,
		.col_hi = chi, .row_lo = rlo, .row_hi = rhi, .nnz = nnz,
		.ri = ri, .ci = ci, .v = v,
	};
	struct lp_result res = { .x = xd, .col_stat = cst, .row_stat = rst };
	enum lp_status st = lp_solve(&lm, o, &res);
	*defined = true;
	if (st == LP_INFEASIBLE) {
		*defined = false;
	} else if (st != LP_OPTIMAL) {
		snprintf(why, len, "posterior bounds: the LP solver reports "
		    "%s (%s)", lp_status_name(st), res.msg);
		ok = false;
	} else {
		*verified = res.verified;
		*exact = cc_exact_vertex(cc, cst, rst, xd, value);
		if (!*exact)
			mpq_set_d(value, res.obj);
	}
	mpq_clear(c);
	free(obj);
	free(clo);
	free(chi);
	free(rlo);
	free(rhi);
	free(ri);
	free(ci);
	free(v);
	free(xd);
	free(cst);
	free(rst);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The range                                                          */
/* ------------------------------------------------------------------ */

static void
widen(struct interval *out, mpq_srcptr lo, mpq_srcptr hi)
{
	if (!out->defined) {
		mpq_set(out->lo, lo);
		mpq_set(out->hi, hi);
		out->defined = true;
		return;
	}
	if (mpq_cmp(lo, out->lo) < 0)
		mpq_set(out->lo, lo);
	if (mpq_cmp(hi, out->hi) > 0)
		mpq_set(out->hi, hi);
}

bool
posterior_range(const struct result *r, mpq_t *x, const bool *only,
    const struct lp_opts *o, struct interval *out, char *why, size_t len)
{
	const struct model *m = r->m;
	uint32_t n = m->nentities;
	bool lp = posterior_needs_lp(m), ok = true;
	struct vertices vs;
	struct cc cc;
	mpq_t *f = xreallocarray(NULL, n + 1, sizeof *f);
	mpq_t num, den, t, lmax, lo, hi;

	data_vars(m, &vs);
	mpq_inits(num, den, t, lmax, lo, hi, NULL);
	mpq_t *lik = xreallocarray(NULL, n + 1, sizeof *lik);
	for (uint32_t i = 0; i < n; i++) {
		mpq_init(f[i]);
		mpq_init(lik[i]);
		if (!only || only[i])
			mpq_set(lik[i], r->ents[i].likelihood);
		if (mpq_cmp(lik[i], lmax) > 0)
			mpq_set(lmax, lik[i]);
	}
	if (lp)
		cc_init(&cc, m);
	out->defined = false;
	out->exact = true;
	out->verified = lp && o->exact;
	for (uint64_t vert = 0; ok && vert < ((uint64_t)1 << vs.nvar);
	    vert++) {
		if (deadline_expired()) {
			snprintf(why, len, "the time limit (--timeout) was reached "
			    "while bounding the posterior");
			ok = false;
			break;
		}
		factors(m, &vs, vert, f);
		if (!lp) {
			/* A point prior: one exact value. */
			mpq_set_ui(num, 0, 1);
			mpq_set_ui(den, 0, 1);
			for (uint32_t i = 0; i < n; i++) {
				mpq_mul(t, f[i], m->entities[i].prior.lo);
				mpq_mul(t, t, lik[i]);
				mpq_add(den, den, t);
				mpq_mul(t, t, x[i]);
				mpq_add(num, num, t);
			}
			if (mpq_sgn(den) == 0)
				continue;
			mpq_div(t, num, den);
			widen(out, t, t);
			continue;
		}
		if (mpq_sgn(lmax) == 0)
			continue;
		for (uint32_t i = 0; i < n; i++) {
			mpq_mul(cc.a[i], f[i], lik[i]);
			mpq_div(cc.a[i], cc.a[i], lmax);
			mpq_mul(cc.ax[i], cc.a[i], x[i]);
		}
		bool defined, ex1 = false, ex2 = false, v1 = false, v2 = false;
		ok = cc_solve(&cc, false, o, lo, &defined, &ex1, &v1, why, len);
		if (!ok || !defined)
			continue;
		ok = cc_solve(&cc, true, o, hi, &defined, &ex2, &v2, why, len);
		if (!ok || !defined)
			continue;
		out->exact &= ex1 && ex2;
		out->verified &= v1 && v2;
		widen(out, lo, hi);
	}
	if (lp)
		cc_free(&cc);
	for (uint32_t i = 0; i < n; i++) {
		mpq_clear(f[i]);
		mpq_clear(lik[i]);
	}
	free(f);
	free(lik);
	mpq_clears(num, den, t, lmax, lo, hi, NULL);
	return ok;
}

/* ------------------------------------------------------------------ */
/* The prior set                                                      */
/* ------------------------------------------------------------------ */

static void
empty_set(const struct model *m, struct diag *d)
{
	char *lines = NULL;
	size_t len = 0;

	for (uint32_t c = 0; c < m->nconstraints; c++) {
		char buf[32];
		int k = snprintf(buf, sizeof buf, "%s%u", c ? ", " : "",
		    m->constraints[c].line);
		lines = xreallocarray(lines, len + (size_t)k + 1, 1);
		memcpy(lines + len, buf, (size_t)k + 1);
		len += (size_t)k;
	}
	diag_error(d, m->constraints[0].loc, "the prior set is empty: no "
	    "weights within their intervals satisfy the constraint%s on "
	    "line%s %s with a positive total", m->nconstraints > 1 ? "s" : "",
	    m->nconstraints > 1 ? "s" : "", lines);
	free(lines);
}

bool
posterior_prior_set(const struct model *m, const struct lp_opts *o,
    struct diag *d)
{
	uint32_t n = m->nentities, k = m->nconstraints;

	if (k == 0)
		return true;
	if (!posterior_needs_lp(m)) {
		/* A point: test it exactly. */
		mpq_t s, t, total;
		bool ok = true;
		mpq_inits(s, t, total, NULL);
		for (uint32_t i = 0; i < n; i++)
			mpq_add(total, total, m->entities[i].prior.lo);
		for (uint32_t c = 0; c < k && ok; c++) {
			const struct constraint *cn = &m->constraints[c];
			mpq_mul(s, cn->constant, total);
			for (uint32_t i = 0; i < n; i++) {
				mpq_mul(t, cn->coef[i], m->entities[i].prior.lo);
				mpq_add(s, s, t);
			}
			ok = cn->op == CMP_EQ ? mpq_sgn(s) == 0 :
			    cn->op == CMP_LE ? mpq_sgn(s) <= 0 : mpq_sgn(s) >= 0;
		}
		ok &= mpq_sgn(total) > 0;
		mpq_clears(s, t, total, NULL);
		if (!ok)
			empty_set(m, d);
		return ok;
	}
	/* max sum w over the box and the constraints. */
	double *obj = xcalloc(n + 1, sizeof *obj);
	double *clo = xcalloc(n + 1, sizeof *clo);
	double *chi = xcalloc(n + 1, sizeof *chi);
	double *rlo = xcalloc(k + 1, sizeof *rlo);
	double *rhi = xcalloc(k + 1, sizeof *rhi);
	int *ri = xcalloc((size_t)k * n + 1, sizeof *ri);
	int *ci = xcalloc((size_t)k * n + 1, sizeof *ci);
	double *v = xcalloc((size_t)k * n + 1, sizeof *v);
	int nnz = 0;
	double scale = 0;
	mpq_t q;

	mpq_init(q);
	for (uint32_t i = 0; i < n; i++) {
		obj[i] = 1;
		clo[i] = mpq_get_d(m->entities[i].prior.lo);
		chi[i] = mpq_get_d(m->entities[i].prior.hi);
		scale += chi[i];
	}
	for (uint32_t c = 0; c < k; c++) {
		const struct constraint *cn = &m->constraints[c];
		rlo[c] = cn->op == CMP_LE ? -HUGE_VAL : 0;
		rhi[c] = cn->op == CMP_GE ? HUGE_VAL : 0;
		for (uint32_t i = 0; i < n; i++) {
			mpq_add(q, cn->coef[i], cn->constant);
			if (mpq_sgn(q) == 0)
				continue;
			ri[nnz] = (int)c;
			ci[nnz] = (int)i;
			v[nnz++] = mpq_get_d(q);
		}
	}
	struct lp_model lm = {
		.nrows = (int)k, .ncols = (int)n, .maximize = true, .obj = obj,
		.col_lo = clo, .col_hi = chi, .row_lo = rlo, .row_hi = rhi,
		.nnz = nnz, .ri = ri, .ci = ci, .v = v,
	};
	struct lp_opts lo = *o;
	lo.exact = false;
	struct lp_result res = { 0 };
	enum lp_status st = lp_solve(&lm, &lo, &res);
	bool ok = true;
	if (st == LP_INFEASIBLE || (st == LP_OPTIMAL &&
	    res.obj <= 1e-12 * (scale > 0 ? scale : 1))) {
		empty_set(m, d);
		ok = false;
	} else if (st != LP_OPTIMAL) {
		diag_error_file(d, 3, "checking the prior set: the LP solver "
		    "reports %s (%s)", lp_status_name(st), res.msg);
		ok = false;
	}
	mpq_clear(q);
	free(obj);
	free(clo);
	free(chi);
	free(rlo);
	free(rhi);
	free(ri);
	free(ci);
	free(v);
	return ok;
}
