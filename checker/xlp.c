/*
 * xlp.c - exact rational Gauss-Jordan and a bounded primal simplex that
 * finishes, exactly, what GLPK started in doubles (see xlp.h).
 *
 * The simplex is the textbook bounded-variable method on A x = 0 with the
 * row activities as variables of their own (column -e_r), dense, with
 * Bland's rule (smallest index enters, smallest index leaves on ties), so
 * it terminates even on degenerate vertices.  The problems it sees are
 * small: one row per `constraint` line and one column per named entity
 * or group of alike entities, and it starts from GLPK's basis, which is
 * optimal or a pivot or two away from it.
 */
#include "xlp.h"

#include <stdlib.h>

#include "arena.h"
#include "deadline.h"
#include "model.h"

/* Gauss-Jordan on the augmented neq x (n+1) system; *rank the pivots. */
static bool
gauss_jordan(mpq_t *a, uint32_t neq, uint32_t n, mpq_t *guess, mpq_t *out,
    uint32_t *rank)
{
	uint32_t w = n + 1, row = 0;
	uint32_t *pivot_col = xcalloc(neq + 1, sizeof *pivot_col);
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
		pivot_col[row++] = c;
		has_pivot[c] = true;
	}
	*rank = row;
	/* Rows without a pivot must read 0 = 0. */
	for (uint32_t r = row; r < neq; r++)
		if (mpq_sgn(a[r * w + n]) != 0)
			ok = false;
	for (uint32_t c = 0; c < n; c++)
		if (!has_pivot[c])
			mpq_set(out[c], guess[c]);
	for (uint32_t r = 0; ok && r < row; r++) {
		uint32_t c = pivot_col[r];
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

bool
xlp_gauss(mpq_t *a, uint32_t neq, uint32_t n, mpq_t *guess, mpq_t *out)
{
	uint32_t rank;

	return gauss_jordan(a, neq, n, guess, out, &rank);
}

/* Entry r of variable v's column: a[r][v], or -1 on its own row. */
static void
column_entry(const struct xlp *p, uint32_t r, uint32_t v, mpq_t out)
{
	if (v < p->n)
		mpq_set(out, p->a[(size_t)r * p->n + v]);
	else
		mpq_set_si(out, v - p->n == r ? -1 : 0, 1);
}

static bool
has_lo(const struct xlp *p, uint32_t v)
{
	return v < p->n || p->has_rlo[v - p->n];
}

static bool
has_hi(const struct xlp *p, uint32_t v)
{
	return v < p->n || p->has_rhi[v - p->n];
}

static mpq_srcptr
lo_of(const struct xlp *p, uint32_t v)
{
	return v < p->n ? p->lo[v] : p->rlo[v - p->n];
}

static mpq_srcptr
hi_of(const struct xlp *p, uint32_t v)
{
	return v < p->n ? p->hi[v] : p->rhi[v - p->n];
}

/* Scratch of one polish: the basis matrix systems and their results. */
struct work {
	uint32_t m, nv;
	uint32_t *bv;		/* the basic variables, ascending */
	mpq_t *sys;		/* m x (m+1) augmented system */
	mpq_t *y, *alpha, *zero;
	mpq_t t, d, best, ratio;
};

/* B^T y = c_B (trans) or B alpha = column of v, into out. */
static bool
solve_basis(const struct xlp *p, struct work *w, bool trans, uint32_t v,
    mpq_t *out)
{
	uint32_t m = w->m, rank;

	for (uint32_t i = 0; i < m; i++) {
		for (uint32_t r = 0; r < m; r++)
			/* trans: row i is column bv[i] of A. */
			column_entry(p, trans ? r : i, w->bv[trans ? i : r],
			    w->sys[(size_t)i * (m + 1) + r]);
		mpq_ptr rhs = w->sys[(size_t)i * (m + 1) + m];
		if (trans)
			mpq_set(rhs, w->bv[i] < p->n ? p->c[w->bv[i]] :
			    w->zero[0]);
		else
			column_entry(p, i, v, rhs);
	}
	return gauss_jordan(w->sys, m, m, w->zero, out, &rank) && rank == m;
}

enum xlp_outcome
xlp_polish(const struct xlp *p, bool *basic, mpq_t *x, uint32_t max_pivots)
{
	struct work w = { .m = p->m, .nv = p->n + p->m };
	uint32_t m = p->m;
	enum xlp_outcome res = XLP_GAVE_UP;

	w.bv = xcalloc(m + 1, sizeof *w.bv);
	w.sys = rationals_new((size_t)m * (m + 1));
	w.y = rationals_new(m);
	w.alpha = rationals_new(m);
	w.zero = rationals_new(m);
	mpq_inits(w.t, w.d, w.best, w.ratio, NULL);
	for (uint32_t it = 0; it <= max_pivots; it++) {
		if (deadline_expired())
			break;
		uint32_t nb = 0;
		for (uint32_t v = 0; v < w.nv; v++)
			if (basic[v] && nb++ < m)
				w.bv[nb - 1] = v;
		if (nb != m || (m && !solve_basis(p, &w, true, 0, w.y))) {
			res = XLP_SINGULAR;
			break;
		}
		/* Entering: the first nonbasic variable whose reduced cost
		 * d = c - y.A_v improves the objective in a direction its
		 * bounds leave open. */
		uint32_t enter = UINT32_MAX;
		int dir = 0;
		for (uint32_t v = 0; v < w.nv && enter == UINT32_MAX; v++) {
			if (basic[v])
				continue;
			if (v < p->n) {
				mpq_set(w.d, p->c[v]);
				for (uint32_t r = 0; r < m; r++) {
					mpq_srcptr arv =
					    p->a[(size_t)r * p->n + v];
					if (mpq_sgn(arv) == 0)
						continue;
					mpq_mul(w.t, w.y[r], arv);
					mpq_sub(w.d, w.d, w.t);
				}
			} else {
				mpq_set(w.d, w.y[v - p->n]);
			}
			int s = mpq_sgn(w.d);
			if (s > 0 && (!has_hi(p, v) || mpq_cmp(x[v],
			    hi_of(p, v)) < 0))
				enter = v, dir = 1;
			else if (s < 0 && (!has_lo(p, v) || mpq_cmp(x[v],
			    lo_of(p, v)) > 0))
				enter = v, dir = -1;
		}
		if (enter == UINT32_MAX) {
			res = XLP_OPTIMAL;
			break;
		}
		if (it == max_pivots)
			break;
		if (m && !solve_basis(p, &w, false, enter, w.alpha)) {
			res = XLP_SINGULAR;
			break;
		}
		/* Ratio test: x_enter moves by dir * t, basic i by
		 * -dir * t * alpha_i; the smallest step that brings a
		 * variable to a bound, ties to the smallest index. */
		uint32_t leave = UINT32_MAX, leave_pos = 0;
		bool bounded = false;
		if (has_lo(p, enter) && has_hi(p, enter)) {
			mpq_sub(w.best, hi_of(p, enter), lo_of(p, enter));
			leave = enter;
			bounded = true;
		}
		for (uint32_t i = 0; i < m; i++) {
			int rate = -dir * mpq_sgn(w.alpha[i]);
			uint32_t v = w.bv[i];
			if (rate == 0 || (rate < 0 && !has_lo(p, v)) ||
			    (rate > 0 && !has_hi(p, v)))
				continue;
			if (rate < 0)
				mpq_sub(w.ratio, x[v], lo_of(p, v));
			else
				mpq_sub(w.ratio, hi_of(p, v), x[v]);
			mpq_abs(w.t, w.alpha[i]);
			mpq_div(w.ratio, w.ratio, w.t);
			int c = bounded ? mpq_cmp(w.ratio, w.best) : -1;
			if (c < 0 || (c == 0 && v < leave)) {
				mpq_set(w.best, w.ratio);
				leave = v;
				leave_pos = i;
				bounded = true;
			}
		}
		if (!bounded)
			break;	/* unbounded: cannot happen with
				 * boxed columns */
		mpq_set_si(w.t, dir, 1);
		mpq_mul(w.t, w.t, w.best);
		mpq_add(x[enter], x[enter], w.t);
		for (uint32_t i = 0; i < m; i++) {
			mpq_mul(w.ratio, w.t, w.alpha[i]);
			mpq_sub(x[w.bv[i]], x[w.bv[i]], w.ratio);
		}
		if (leave != enter) {
			uint32_t v = w.bv[leave_pos];
			/* Land exactly on the bound it reached. */
			int rate = -dir * mpq_sgn(w.alpha[leave_pos]);
			mpq_set(x[v], rate < 0 ? lo_of(p, v) : hi_of(p, v));
			basic[v] = false;
			basic[enter] = true;
		}
	}
	mpq_clears(w.t, w.d, w.best, w.ratio, NULL);
	free(w.bv);
	rationals_free(w.sys, (size_t)m * (m + 1));
	rationals_free(w.y, m);
	rationals_free(w.alpha, m);
	rationals_free(w.zero, m);
	return res;
}
