/*
 * posterior.c - the posterior over the prior set (SPEC 4.8).
 *
 * For fixed data factors f, the quantity is N(w)/D(w) with
 * N = sum_i a_i x_i w_i and D = sum_i a_i w_i, a_i = f_i L_i / L_max
 * (likelihoods divided by the largest, exactly), over the weights w in the
 * box [lo, hi] that satisfy the constraints (homogeneous after multiplying
 * through by sum w).  A linear-fractional program: its optimum is at a
 * vertex of the polytope.  It is solved by Dinkelbach's method, a sequence
 * of LPs over the polytope itself (the box as column bounds, one row per
 * constraint), each warm-started from the last basis.  The Charnes-Cooper
 * LP (y = w / D, t = 1 / D) is equivalent but needs two rows per entity;
 * at 10,000 entities it was minutes where Dinkelbach takes a second.
 *
 * GLPK solves each LP in doubles.  Every vertex it returns is recomputed
 * in exact rationals from the basis (nonbasic weights at their bounds,
 * the basic ones from the tight constraints) and checked feasible, so
 * every ratio reported is exact; only if that fails is the double used.
 */
#include "posterior.h"

#include "deadline.h"
#include "xlp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Exact re-solves of reduced systems up to this size. */
#define MAX_DENSE 600

/* Entity i's prior: the override when the query has one. */
static const struct range *
prior_of(const struct model *m, const struct range *prior, uint32_t i)
{
	return prior ? &prior[i] : &m->entities[i].prior;
}

/* Data item k's factor range: the override when the query has one. */
static const struct range *
scale_of(const struct posterior_in *in, uint32_t k)
{
	return in->scale ? &in->scale[k] : &in->m->data[k].scale;
}

static bool
needs_lp(const struct model *m, const struct range *prior)
{
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct range *p = prior_of(m, prior, i);
		if (mpq_cmp(p->lo, p->hi) != 0)
			return true;
	}
	return false;
}

bool
posterior_needs_lp(const struct model *m)
{
	return needs_lp(m, NULL);
}

mpq_t *
posterior_x(const struct result *r, enum posterior_of of)
{
	mpq_t *x = rationals_new(r->m->nentities);

	for (uint32_t i = 0; i < r->m->nentities; i++)
		mpq_set(x[i], of == POSTERIOR_DIVERGE ? r->ents[i].share :
		    r->ents[i].divergence);
	return x;
}

void
posterior_in_init(struct posterior_in *in, const struct result *r,
    mpq_t *lik)
{
	memset(in, 0, sizeof *in);
	in->m = r->m;
	in->lik = lik;
	for (uint32_t i = 0; i < r->m->nentities; i++)
		mpq_set(lik[i], r->ents[i].likelihood);
}

/* ------------------------------------------------------------------ */
/* Data factors                                                       */
/* ------------------------------------------------------------------ */

static void
data_vars(const struct posterior_in *in, struct vertices *v)
{
	v->nvar = 0;
	for (uint32_t k = 0; k < in->m->ndata && v->nvar < POSTERIOR_MAX_DATA;
	    k++) {
		const struct range *sc = scale_of(in, k);
		if (mpq_cmp(sc->lo, sc->hi) != 0)
			v->var[v->nvar++] = k;
	}
}

void
posterior_factor(const struct posterior_in *in, const struct vertices *v,
    uint64_t vert, uint32_t i, mpq_ptr f)
{
	const struct model *m = in->m;
	const struct entity *e = &m->entities[i];

	mpq_set_ui(f, 1, 1);
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
		mpq_mul(f, f, high ? scale_of(in, k)->hi :
		    scale_of(in, k)->lo);
	}
}

/* f_i at vertex 'vert' of the data box: the prior-free factor of i. */
static void
factors(const struct posterior_in *in, const struct vertices *v,
    uint64_t vert, mpq_t *f)
{
	for (uint32_t i = 0; i < in->m->nentities; i++)
		posterior_factor(in, v, vert, i, f[i]);
}

/* ------------------------------------------------------------------ */
/* Dinkelbach's method over the prior polytope                        */
/* ------------------------------------------------------------------ */

/*
 * The prior polytope as an LP over the weights: w_i in [lo_i, hi_i] as
 * column bounds, one row per constraint, sum_i g_ki w_i (op) 0 with
 * g_ki = c_ki + kappa_k.  Dinkelbach: lambda = N(w)/D(w) at a vertex;
 * maximise sum_i a_i (x_i - lambda) w_i; if the optimum F is positive its
 * vertex has a larger ratio, else lambda is the maximum.  Each LP starts
 * from the previous basis; each vertex is recomputed exactly from the
 * basis, so lambda is always an exact ratio at an exact feasible point.
 */
struct dk {
	const struct model *m;
	uint32_t n, k;
	mpq_t *g;		/* k x n: c_ki + kappa_k */
	bool *named;		/* some constraint names the entity */
	mpq_ptr *kappa;		/* per constraint: its constant */
	mpq_t *w;		/* the last vertex, per entity, exact */
	/*
	 * The LP's columns: each named entity alone, and the others grouped
	 * by (a_i, x_i): members of a group have the same objective and
	 * enter the rows only through kappa * (their sum), so one column
	 * for their sum is equivalent.
	 */
	uint32_t ncol;
	uint32_t *first, *len;	/* per column: its members in 'members' */
	uint32_t *members;
	mpq_t *clo, *chi;	/* per column: sum of the members' bounds */
	mpq_t *cg;		/* k x ncol: the columns' coefficients */
	double *cgd;
	mpq_t *cv;		/* per column: its value at the vertex */
	struct lp_session *s;	/* NULL without constraints */
	double *obj, *x;
	mpq_t *cq;		/* per column: the objective, exact, scaled */
	int *cst, *rst;
	int8_t *up;		/* without constraints: column at its hi */
	long shift;		/* GLPK sees weights divided by 2^shift */
	const char *what;	/* what a solver failure is reported as */
	const struct range *prior;	/* per entity, or NULL: declared */
};

/* q / 2^shift as the nearest double; x * 2^shift as a rational. */
static double
scaled_d(mpq_srcptr q, long shift)
{
	mpq_t t;

	mpq_init(t);
	mpq_div_2exp(t, q, (mp_bitcnt_t)shift);
	double d = mpq_get_d(t);
	mpq_clear(t);
	return d;
}

static void
unscaled_q(mpq_ptr out, double x, long shift)
{
	mpq_set_d(out, x);
	mpq_mul_2exp(out, out, (mp_bitcnt_t)shift);
}

static void
dk_init(struct dk *dk, const struct model *m)
{
	uint32_t n = m->nentities, k = m->nconstraints;

	memset(dk, 0, sizeof *dk);
	dk->m = m;
	dk->what = "posterior bounds";
	dk->n = n;
	dk->k = k;
	dk->g = xreallocarray(NULL, (size_t)k * n + 1, sizeof *dk->g);
	dk->named = xcalloc(n + 1, sizeof *dk->named);
	dk->kappa = xcalloc(k + 1, sizeof *dk->kappa);
	dk->w = xreallocarray(NULL, n + 1, sizeof *dk->w);
	for (uint32_t i = 0; i < n; i++)
		mpq_init(dk->w[i]);
	for (uint32_t c = 0; c < k; c++) {
		const struct constraint *cn = &m->constraints[c];
		dk->kappa[c] = cn->constant;
		for (uint32_t i = 0; i < n; i++) {
			mpq_init(dk->g[(size_t)c * n + i]);
			mpq_add(dk->g[(size_t)c * n + i], cn->coef[i],
			    cn->constant);
			if (mpq_sgn(cn->coef[i]) != 0)
				dk->named[i] = true;
		}
	}
}

static void
dk_drop_columns(struct dk *dk)
{
	lp_close(dk->s);
	dk->s = NULL;
	for (uint32_t j = 0; j < dk->ncol; j++) {
		mpq_clear(dk->clo[j]);
		mpq_clear(dk->chi[j]);
		mpq_clear(dk->cv[j]);
		mpq_clear(dk->cq[j]);
	}
	for (size_t q = 0; q < (size_t)dk->k * dk->ncol; q++)
		mpq_clear(dk->cg[q]);
	free(dk->first);
	free(dk->len);
	free(dk->members);
	free(dk->clo);
	free(dk->chi);
	free(dk->cv);
	free(dk->cg);
	free(dk->cgd);
	free(dk->obj);
	free(dk->cq);
	free(dk->x);
	free(dk->cst);
	free(dk->rst);
	free(dk->up);
	dk->ncol = 0;
	dk->first = dk->len = dk->members = NULL;
	dk->clo = dk->chi = dk->cv = dk->cg = NULL;
	dk->cgd = dk->obj = dk->x = NULL;
	dk->cq = NULL;
	dk->cst = dk->rst = NULL;
	dk->up = NULL;
}

static void
dk_close(struct dk *dk)
{
	dk_drop_columns(dk);
	for (size_t j = 0; j < (size_t)dk->k * dk->n; j++)
		mpq_clear(dk->g[j]);
	for (uint32_t i = 0; i < dk->n; i++)
		mpq_clear(dk->w[i]);
	free(dk->g);
	free(dk->named);
	free(dk->kappa);
	free(dk->w);
}

/* Sorting the unnamed entities by (a_i, x_i). */
struct key {
	mpq_srcptr a, x;
	uint32_t i;
};

static int
cmp_key(const void *p, const void *q)
{
	const struct key *u = p, *v = q;
	int c = mpq_cmp(u->a, v->a);

	if (c == 0)
		c = mpq_cmp(u->x, v->x);
	if (c == 0)
		c = u->i < v->i ? -1 : u->i > v->i;
	return c;
}

/* The columns for objective weights a (and x), and the LP over them. */
static bool
dk_columns(struct dk *dk, mpq_t *a, mpq_t *x, struct diag *d)
{
	const struct model *m = dk->m;
	uint32_t n = dk->n, k = dk->k, nk = 0;
	struct key *keys = xcalloc(n + 1, sizeof *keys);

	dk_drop_columns(dk);
	dk->first = xcalloc(n + 1, sizeof *dk->first);
	dk->len = xcalloc(n + 1, sizeof *dk->len);
	dk->members = xcalloc(n + 1, sizeof *dk->members);
	uint32_t nm = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (dk->named[i]) {
			dk->first[dk->ncol] = nm;
			dk->len[dk->ncol++] = 1;
			dk->members[nm++] = i;
		} else {
			keys[nk++] = (struct key){ a[i], x[i], i };
		}
	}
	qsort(keys, nk, sizeof *keys, cmp_key);
	for (uint32_t q = 0; q < nk; q++) {
		if (q == 0 || mpq_cmp(keys[q].a, keys[q - 1].a) != 0 ||
		    mpq_cmp(keys[q].x, keys[q - 1].x) != 0) {
			dk->first[dk->ncol] = nm;
			dk->len[dk->ncol++] = 0;
		}
		dk->len[dk->ncol - 1]++;
		dk->members[nm++] = keys[q].i;
	}
	free(keys);
	uint32_t nc = dk->ncol;
	dk->clo = xreallocarray(NULL, nc + 1, sizeof *dk->clo);
	dk->chi = xreallocarray(NULL, nc + 1, sizeof *dk->chi);
	dk->cv = xreallocarray(NULL, nc + 1, sizeof *dk->cv);
	dk->cg = xreallocarray(NULL, (size_t)k * nc + 1, sizeof *dk->cg);
	dk->cgd = xcalloc((size_t)k * nc + 1, sizeof *dk->cgd);
	dk->obj = xcalloc(nc + 1, sizeof *dk->obj);
	dk->cq = xreallocarray(NULL, nc + 1, sizeof *dk->cq);
	dk->x = xcalloc(nc + 1, sizeof *dk->x);
	dk->cst = xcalloc(nc + 1, sizeof *dk->cst);
	dk->rst = xcalloc(k + 1, sizeof *dk->rst);
	dk->up = xcalloc(nc + 1, sizeof *dk->up);
	int nnz = 0;
	for (uint32_t j = 0; j < nc; j++) {
		mpq_inits(dk->clo[j], dk->chi[j], dk->cv[j], dk->cq[j], NULL);
		for (uint32_t q = 0; q < dk->len[j]; q++) {
			const struct range *p = prior_of(m, dk->prior,
			    dk->members[dk->first[j] + q]);
			mpq_add(dk->clo[j], dk->clo[j], p->lo);
			mpq_add(dk->chi[j], dk->chi[j], p->hi);
		}
		uint32_t i = dk->members[dk->first[j]];
		for (uint32_t c = 0; c < k; c++) {
			mpq_ptr q = dk->cg[(size_t)c * nc + j];
			mpq_init(q);
			mpq_set(q, dk->named[i] ? dk->g[(size_t)c * n + i] :
			    dk->kappa[c]);
			dk->cgd[(size_t)c * nc + j] = mpq_get_d(q);
			nnz += mpq_sgn(q) != 0;
		}
	}
	if (k == 0)
		return true;
	double *lo = xcalloc(nc + 1, sizeof *lo), *hi = xcalloc(nc + 1,
	    sizeof *hi);
	double *rlo = xcalloc(k + 1, sizeof *rlo), *rhi = xcalloc(k + 1,
	    sizeof *rhi);
	int *ri = xcalloc((size_t)nnz + 1, sizeof *ri);
	int *ci = xcalloc((size_t)nnz + 1, sizeof *ci);
	double *v = xcalloc((size_t)nnz + 1, sizeof *v);
	int e = 0;
	/* Weights beyond 2^512 reach GLPK divided by a power of two (the
	 * ratio and the homogeneous rows do not change), so that no bound
	 * is inf; the exact vertex is computed from the exact bounds. */
	dk->shift = 0;
	for (uint32_t j = 0; j < nc; j++) {
		long bits = (long)mpz_sizeinbase(mpq_numref(dk->chi[j]), 2) -
		    (long)mpz_sizeinbase(mpq_denref(dk->chi[j]), 2);
		if (mpq_sgn(dk->chi[j]) > 0 && bits > 512 && bits > dk->shift)
			dk->shift = bits;
	}
	for (uint32_t j = 0; j < nc; j++) {
		lo[j] = scaled_d(dk->clo[j], dk->shift);
		hi[j] = scaled_d(dk->chi[j], dk->shift);
	}
	for (uint32_t c = 0; c < k; c++) {
		enum ast_cmp op = m->constraints[c].op;
		rlo[c] = op == CMP_LE ? -HUGE_VAL : 0;
		rhi[c] = op == CMP_GE ? HUGE_VAL : 0;
		for (uint32_t j = 0; j < nc; j++) {
			if (mpq_sgn(dk->cg[(size_t)c * nc + j]) == 0)
				continue;
			ri[e] = (int)c;
			ci[e] = (int)j;
			v[e++] = dk->cgd[(size_t)c * nc + j];
		}
	}
	struct lp_model lm = {
		.nrows = (int)k, .ncols = (int)nc, .maximize = true,
		.obj = dk->obj, .col_lo = lo, .col_hi = hi, .row_lo = rlo,
		.row_hi = rhi, .nnz = e, .ri = ri, .ci = ci, .v = v,
	};
	struct lp_result res = { 0 };
	dk->s = lp_open(&lm, &res);
	if (!dk->s)
		diag_error_file(d, 3, "%s: %s", dk->what, res.msg);
	free(lo);
	free(hi);
	free(rlo);
	free(rhi);
	free(ri);
	free(ci);
	free(v);
	return dk->s != NULL;
}

/*
 * The LP's optimal vertex in exact rationals: nonbasic columns at their
 * bounds, the basic ones from the tight rows.  False (and the LP's
 * doubles) when the exact point is not feasible.
 */
static bool
dk_vertex(struct dk *dk)
{
	const struct model *m = dk->m;
	uint32_t k = dk->k, nc = dk->ncol, nunk = 0, neq = 0;
	uint32_t *unk = xcalloc(nc + 1, sizeof *unk);
	bool ok = true;

	for (uint32_t j = 0; j < nc; j++) {
		unk[j] = NONE;
		if (dk->cst[j] == LP_BASIC)
			unk[j] = nunk++;
		else
			mpq_set(dk->cv[j], dk->cst[j] == LP_AT_HI ? dk->chi[j] :
			    dk->clo[j]);
	}
	for (uint32_t c = 0; c < k; c++)
		neq += dk->rst[c] != LP_BASIC;
	if (nunk > MAX_DENSE) {
		ok = false;
	} else if (nunk) {
		mpq_t *a = xreallocarray(NULL, (size_t)neq * (nunk + 1) + 1,
		    sizeof *a);
		mpq_t *guess = xreallocarray(NULL, nunk + 1, sizeof *guess);
		mpq_t *sol = xreallocarray(NULL, nunk + 1, sizeof *sol);
		mpq_t t;
		mpq_init(t);
		for (size_t q = 0; q < (size_t)neq * (nunk + 1); q++)
			mpq_init(a[q]);
		for (uint32_t u = 0; u < nunk; u++) {
			mpq_init(guess[u]);
			mpq_init(sol[u]);
		}
		for (uint32_t j = 0; j < nc; j++)
			if (unk[j] != NONE)
				unscaled_q(guess[unk[j]], dk->x[j], dk->shift);
		uint32_t e = 0;
		for (uint32_t c = 0; c < k; c++) {
			if (dk->rst[c] == LP_BASIC)
				continue;
			mpq_ptr rhs = a[(size_t)e * (nunk + 1) + nunk];
			for (uint32_t j = 0; j < nc; j++) {
				mpq_srcptr g = dk->cg[(size_t)c * nc + j];
				if (mpq_sgn(g) == 0)
					continue;
				if (unk[j] != NONE) {
					mpq_set(a[(size_t)e * (nunk + 1) +
					    unk[j]], g);
				} else {
					mpq_mul(t, g, dk->cv[j]);
					mpq_sub(rhs, rhs, t);
				}
			}
			e++;
		}
		ok = xlp_gauss(a, neq, nunk, guess, sol);
		for (uint32_t j = 0; j < nc; j++)
			if (unk[j] != NONE)
				mpq_set(dk->cv[j], sol[unk[j]]);
		for (size_t q = 0; q < (size_t)neq * (nunk + 1); q++)
			mpq_clear(a[q]);
		for (uint32_t u = 0; u < nunk; u++) {
			mpq_clear(guess[u]);
			mpq_clear(sol[u]);
		}
		mpq_clear(t);
		free(a);
		free(guess);
		free(sol);
	}
	/* Feasible exactly: basic columns in their box, and every slack row
	 * (exactly, unless its slack in doubles is far beyond rounding). */
	for (uint32_t j = 0; j < nc && ok; j++)
		if (unk[j] != NONE)
			ok = mpq_cmp(dk->cv[j], dk->clo[j]) >= 0 &&
			    mpq_cmp(dk->cv[j], dk->chi[j]) <= 0;
	mpq_t s, t;
	mpq_inits(s, t, NULL);
	for (uint32_t c = 0; c < k && ok; c++) {
		if (dk->rst[c] != LP_BASIC)
			continue;
		double act = 0, mag = 0;
		for (uint32_t j = 0; j < nc; j++) {
			double term = dk->cgd[(size_t)c * nc + j] * dk->x[j];
			act += term;
			mag += term < 0 ? -term : term;
		}
		enum ast_cmp op = m->constraints[c].op;
		if (op != CMP_EQ && (op == CMP_LE ? act : -act) <
		    -1e-6 * (1 + mag))
			continue;	/* clearly slack */
		mpq_set_ui(s, 0, 1);
		for (uint32_t j = 0; j < nc; j++) {
			mpq_mul(t, dk->cg[(size_t)c * nc + j], dk->cv[j]);
			mpq_add(s, s, t);
		}
		ok = op == CMP_EQ ? mpq_sgn(s) == 0 : op == CMP_LE ?
		    mpq_sgn(s) <= 0 : mpq_sgn(s) >= 0;
	}
	mpq_clears(s, t, NULL);
	if (!ok)
		for (uint32_t j = 0; j < nc; j++)
			unscaled_q(dk->cv[j], dk->x[j], dk->shift);
	free(unk);
	return ok;
}

/*
 * When GLPK's basis is not exactly feasible (a constraint row slack in
 * doubles but violated exactly, by 1e-16: a point next to a change of
 * basis, as thresholds.c probes), one pivot repairs it: the violated row
 * made tight and one of its nonbasic columns basic, the first such pair
 * (rows, then columns, in order) whose exact point is feasible.  False
 * when none is; dk_polish then pivots from it to the exact optimum.
 */
static bool
dk_repair(struct dk *dk)
{
	uint32_t k = dk->k, nc = dk->ncol;

	for (uint32_t c = 0; c < k; c++) {
		if (dk->rst[c] != LP_BASIC)
			continue;
		for (uint32_t j = 0; j < nc; j++) {
			if (dk->cst[j] == LP_BASIC ||
			    mpq_sgn(dk->cg[(size_t)c * nc + j]) == 0)
				continue;
			int cs = dk->cst[j];
			dk->cst[j] = LP_BASIC;
			dk->rst[c] = LP_AT_FIXED;
			if (dk_vertex(dk))
				return true;
			dk->cst[j] = cs;
			dk->rst[c] = LP_BASIC;
		}
	}
	return false;
}

/*
 * GLPK's vertex, made exactly optimal: from its basis and the exact point
 * dk_vertex found, the exact simplex (xlp.c) pivots until no reduced cost
 * of the exact objective dk->cq improves it.  GLPK accepts reduced costs
 * within its tolerance of zero, which left bounds 1e-3 short of the
 * optimum when likelihoods and data factors span many magnitudes.  False
 * when it cannot certify the vertex (too big, or out of pivots).
 */
static bool
dk_polish(struct dk *dk)
{
	const struct model *m = dk->m;
	uint32_t k = dk->k, nc = dk->ncol, nv = nc + k;

	if ((uint64_t)nc * k > (uint64_t)MAX_DENSE * MAX_DENSE)
		return false;
	bool *has_lo = xcalloc(k + 1, sizeof *has_lo);
	bool *has_hi = xcalloc(k + 1, sizeof *has_hi);
	bool *basic = xcalloc(nv + 1, sizeof *basic);
	mpq_t *rb = xreallocarray(NULL, k + 1, sizeof *rb);
	mpq_t *x = xreallocarray(NULL, nv + 1, sizeof *x);
	mpq_t t;

	mpq_init(t);
	for (uint32_t c = 0; c < k; c++) {
		enum ast_cmp op = m->constraints[c].op;
		mpq_init(rb[c]);	/* every row compares with 0 */
		has_lo[c] = op != CMP_LE;
		has_hi[c] = op != CMP_GE;
		basic[nc + c] = dk->rst[c] == LP_BASIC;
		mpq_init(x[nc + c]);
		for (uint32_t j = 0; j < nc; j++) {
			mpq_mul(t, dk->cg[(size_t)c * nc + j], dk->cv[j]);
			mpq_add(x[nc + c], x[nc + c], t);
		}
	}
	for (uint32_t j = 0; j < nc; j++) {
		basic[j] = dk->cst[j] == LP_BASIC;
		mpq_init(x[j]);
		mpq_set(x[j], dk->cv[j]);
	}
	struct xlp p = {
		.m = k, .n = nc, .a = dk->cg, .lo = dk->clo, .hi = dk->chi,
		.rlo = rb, .rhi = rb, .has_rlo = has_lo, .has_rhi = has_hi,
		.c = dk->cq,
	};
	bool ok = xlp_polish(&p, basic, x, 10000) == XLP_OPTIMAL;
	for (uint32_t j = 0; j < nc && ok; j++)
		mpq_set(dk->cv[j], x[j]);
	for (uint32_t v = 0; v < nv; v++)
		mpq_clear(x[v]);
	for (uint32_t c = 0; c < k; c++)
		mpq_clear(rb[c]);
	mpq_clear(t);
	free(has_lo);
	free(has_hi);
	free(basic);
	free(rb);
	free(x);
	return ok;
}

/*
 * The weights of the columns' members: a column at a bound puts every
 * member there; one in between fills its members in entity order.
 */
static void
dk_spread(struct dk *dk)
{
	const struct model *m = dk->m;
	mpq_t left, span;

	mpq_inits(left, span, NULL);
	for (uint32_t j = 0; j < dk->ncol; j++) {
		mpq_sub(left, dk->cv[j], dk->clo[j]);
		for (uint32_t q = 0; q < dk->len[j]; q++) {
			uint32_t i = dk->members[dk->first[j] + q];
			const struct range *p = prior_of(m, dk->prior, i);
			mpq_sub(span, p->hi, p->lo);
			if (mpq_cmp(left, span) >= 0) {
				mpq_set(dk->w[i], p->hi);
				mpq_sub(left, left, span);
			} else if (mpq_sgn(left) > 0) {
				mpq_add(dk->w[i], p->lo, left);
				mpq_set_ui(left, 0, 1);
			} else {
				mpq_set(dk->w[i], p->lo);
			}
		}
	}
	mpq_clears(left, span, NULL);
}

/*
 * Solves with dk->obj (maximised; without constraints each column at
 * the bound dk->up picks); fills dk->w.  Returns 1, 0 when infeasible,
 * -1 on failure.
 */
static int
dk_solve(struct dk *dk, const struct lp_opts *o, bool *exact,
    bool *verified, struct diag *d)
{
	if (dk->s) {
		struct lp_result res = { .x = dk->x, .col_stat = dk->cst,
		    .row_stat = dk->rst };
		enum lp_status st = lp_resolve(dk->s, dk->obj, o, &res);
		if (st == LP_INFEASIBLE)
			return 0;
		if (st != LP_OPTIMAL) {
			diag_error_file(d, 3, "%s: the LP solver reports "
			    "%s (%s)", dk->what, lp_status_name(st), res.msg);
			return -1;
		}
		*verified &= res.verified;
		*exact &= (dk_vertex(dk) || dk_repair(dk)) &&
		    dk_polish(dk);
	} else {
		for (uint32_t j = 0; j < dk->ncol; j++)
			mpq_set(dk->cv[j], dk->up[j] ? dk->chi[j] : dk->clo[j]);
	}
	dk_spread(dk);
	return 1;
}

/* N(w) = sum a_i x_i w_i and D(w) = sum a_i w_i at dk->w. */
static void
dk_ratio_parts(const struct dk *dk, mpq_t *a, mpq_t *x, mpq_t num, mpq_t den)
{
	mpq_t t;

	mpq_init(t);
	mpq_set_ui(num, 0, 1);
	mpq_set_ui(den, 0, 1);
	for (uint32_t i = 0; i < dk->n; i++) {
		if (mpq_sgn(a[i]) == 0 || mpq_sgn(dk->w[i]) == 0)
			continue;
		mpq_mul(t, a[i], dk->w[i]);
		mpq_add(den, den, t);
		if (mpq_sgn(x[i]) == 0)
			continue;
		mpq_mul(t, t, x[i]);
		mpq_add(num, num, t);
	}
	mpq_clear(t);
}

/*
 * The objective per unit of each column, a (x - lambda) of its members
 * (lambda NULL: a), negated for a minimum: doubles for the LP, and its
 * exact sign when there is no LP.
 */
static void
dk_objective(struct dk *dk, mpq_t *a, mpq_t *x, mpq_srcptr lam,
    bool maximize)
{
	uint32_t nc = dk->ncol;
	mpq_t big, t;

	/* Exactly, then divided by the largest |c|: a data factor or a
	 * likelihood beyond the range of a double never reaches the LP as
	 * inf (the optimum does not move under scaling). */
	mpq_inits(big, t, NULL);
	for (uint32_t j = 0; j < nc; j++) {
		uint32_t i = dk->members[dk->first[j]];
		mpq_ptr c = dk->cq[j];
		if (lam) {
			mpq_sub(c, x[i], lam);
			mpq_mul(c, c, a[i]);
		} else {
			mpq_set(c, a[i]);
		}
		if (!maximize)
			mpq_neg(c, c);
		dk->up[j] = mpq_sgn(c) > 0;
		mpq_abs(t, c);
		if (mpq_cmp(t, big) > 0)
			mpq_set(big, t);
	}
	for (uint32_t j = 0; j < nc; j++) {
		if (mpq_sgn(big) != 0)
			mpq_div(dk->cq[j], dk->cq[j], big);
		dk->obj[j] = mpq_get_d(dk->cq[j]);
	}
	mpq_clears(big, t, NULL);
}

/* One Dinkelbach search: the objective's weights and values, the sense. */
struct dk_goal {
	mpq_t *a, *x;
	bool maximize;
};

/* What it found; 'exact' and 'verified' are and-ed into, not set. */
struct dk_found {
	mpq_ptr value;
	bool exact, verified;
};

enum dk_outcome { DK_FAILED = -1, DK_UNDEFINED, DK_DEFINED };

/*
 * The max (or min) of N/D over the polytope into f->value: DK_UNDEFINED
 * when D = 0 everywhere, DK_FAILED (reported on 'd') when the solver
 * fails or the time runs out.
 */
static enum dk_outcome
dk_optimize(struct dk *dk, const struct dk_goal *g, const struct lp_opts *o,
    struct dk_found *f, struct diag *d)
{
	mpq_t num, den, lam, gain, t;
	enum dk_outcome out = DK_FAILED;
	int st;

	if (!dk_columns(dk, g->a, g->x, d))
		return DK_FAILED;
	mpq_inits(num, den, lam, gain, t, NULL);
	/* A point with D > 0: the one of largest D. */
	dk_objective(dk, g->a, g->x, NULL, true);
	st = dk_solve(dk, o, &f->exact, &f->verified, d);
	if (st <= 0) {
		out = st < 0 ? DK_FAILED : DK_UNDEFINED;
		goto done;
	}
	dk_ratio_parts(dk, g->a, g->x, num, den);
	if (mpq_sgn(den) == 0) {
		out = DK_UNDEFINED;
		goto done;
	}
	mpq_div(lam, num, den);
	for (int iter = 0; iter < 200; iter++) {
		if (deadline_expired()) {
			diag_error_file(d, 3, "the time limit (--timeout) was "
			    "reached while bounding the posterior");
			goto done;
		}
		/* F(lambda) = max sum a_i (x_i - lambda) w_i (signs flipped
		 * for the minimum). */
		dk_objective(dk, g->a, g->x, lam, g->maximize);
		st = dk_solve(dk, o, &f->exact, &f->verified, d);
		if (st <= 0) {
			out = st < 0 ? DK_FAILED : DK_UNDEFINED;
			goto done;
		}
		dk_ratio_parts(dk, g->a, g->x, num, den);
		/* F exactly at the new vertex: num - lambda den. */
		mpq_mul(t, lam, den);
		mpq_sub(gain, num, t);
		if (!g->maximize)
			mpq_neg(gain, gain);
		if (mpq_sgn(gain) <= 0)
			break;
		mpq_div(t, num, den);
		mpq_set(lam, t);
	}
	mpq_set(f->value, lam);
	out = DK_DEFINED;
done:
	mpq_clears(num, den, lam, gain, t, NULL);
	return out;
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
posterior_range(const struct posterior_in *in, mpq_t *x, const bool *only,
    const struct lp_opts *o, struct interval *out, struct diag *d)
{
	const struct model *m = in->m;
	uint32_t n = m->nentities;
	bool lp = needs_lp(m, in->prior), ok = true;
	struct vertices vs;
	struct dk dk;
	mpq_t *f = rationals_new(n), *lik = rationals_new(n);
	mpq_t num, den, t, lmax, lo, hi;

	data_vars(in, &vs);
	mpq_inits(num, den, t, lmax, lo, hi, NULL);
	for (uint32_t i = 0; i < n; i++) {
		if (!only || only[i])
			mpq_set(lik[i], in->lik[i]);
		if (mpq_cmp(lik[i], lmax) > 0)
			mpq_set(lmax, lik[i]);
	}
	if (lp) {
		dk_init(&dk, m);
		dk.prior = in->prior;
	}
	out->defined = false;
	out->exact = true;
	out->verified = lp && o->exact;
	out->lo_big = out->hi_big = NULL;
	for (uint64_t vert = 0; ok && vert < ((uint64_t)1 << vs.nvar);
	    vert++) {
		if (deadline_expired()) {
			diag_error_file(d, 3, "the time limit (--timeout) was "
			    "reached while bounding the posterior");
			ok = false;
			break;
		}
		factors(in, &vs, vert, f);
		if (!lp) {
			/* A point prior: one exact value. */
			mpq_set_ui(num, 0, 1);
			mpq_set_ui(den, 0, 1);
			for (uint32_t i = 0; i < n; i++) {
				mpq_mul(t, f[i], prior_of(m, in->prior, i)->lo);
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
		/* a_i = f_i L_i / L_max: likelihoods scaled by the largest. */
		for (uint32_t i = 0; i < n; i++) {
			mpq_mul(f[i], f[i], lik[i]);
			mpq_div(f[i], f[i], lmax);
		}
		struct dk_found fo = { lo, true, true };
		struct dk_goal g = { f, x, false };
		enum dk_outcome d1 = dk_optimize(&dk, &g, o, &fo, d), d2 = d1;
		if (d1 == DK_DEFINED) {
			g.maximize = true;
			fo.value = hi;
			d2 = dk_optimize(&dk, &g, o, &fo, d);
		}
		if (d1 == DK_FAILED || d2 == DK_FAILED) {
			ok = false;
			break;
		}
		if (d1 == DK_UNDEFINED || d2 == DK_UNDEFINED)
			continue;
		out->exact &= fo.exact;
		out->verified &= fo.verified;
		widen(out, lo, hi);
	}
	if (lp)
		dk_close(&dk);
	rationals_free(f, n);
	rationals_free(lik, n);
	mpq_clears(num, den, t, lmax, lo, hi, NULL);
	return ok;
}

/* ------------------------------------------------------------------ */
/* A linear objective (thresholds)                                    */
/* ------------------------------------------------------------------ */

bool
posterior_linear_max(const struct posterior_in *in, mpq_t *coef,
    const struct lp_opts *o, mpq_ptr value, mpq_t *w, mpq_t *f,
    struct diag *d)
{
	const struct model *m = in->m;
	uint32_t n = m->nentities;
	bool lp = needs_lp(m, in->prior), ok = true, found = false;
	struct vertices vs;
	struct dk dk;
	mpq_t *fv = rationals_new(n), *a = rationals_new(n);
	mpq_t *zero = rationals_new(n);
	mpq_t s, t;

	data_vars(in, &vs);
	mpq_inits(s, t, NULL);
	if (lp) {
		dk_init(&dk, m);
		dk.prior = in->prior;
		dk.what = "thresholds";
	}
	for (uint64_t vert = 0; ok && vert < ((uint64_t)1 << vs.nvar);
	    vert++) {
		if (deadline_expired()) {
			diag_error_file(d, 3, "the time limit (--timeout) was "
			    "reached while computing thresholds");
			ok = false;
			break;
		}
		factors(in, &vs, vert, fv);
		for (uint32_t i = 0; i < n; i++)
			mpq_mul(a[i], coef[i], fv[i]);
		if (lp) {
			bool exact = true, ver = true;
			int st = -1;
			if (dk_columns(&dk, a, zero, d)) {
				dk_objective(&dk, a, zero, NULL, true);
				st = dk_solve(&dk, o, &exact, &ver, d);
			}
			if (st < 0) {
				ok = false;
				break;
			}
			if (st == 0 || !exact) {
				diag_error_file(d, 3, "thresholds: the LP "
				    "optimum could not be certified exactly");
				ok = false;
				break;
			}
		}
		/* sum a_i w_i at this vertex's point */
		mpq_set_ui(s, 0, 1);
		for (uint32_t i = 0; i < n; i++) {
			mpq_mul(t, a[i], lp ? dk.w[i] :
			    prior_of(m, in->prior, i)->lo);
			mpq_add(s, s, t);
		}
		if (found && mpq_cmp(s, value) <= 0)
			continue;
		found = true;
		mpq_set(value, s);
		for (uint32_t i = 0; i < n; i++) {
			mpq_set(w[i], lp ? dk.w[i] :
			    prior_of(m, in->prior, i)->lo);
			mpq_set(f[i], fv[i]);
		}
	}
	if (lp)
		dk_close(&dk);
	rationals_free(fv, n);
	rationals_free(a, n);
	rationals_free(zero, n);
	mpq_clears(s, t, NULL);
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
				mpq_mul(t, cn->coef[i],
				    m->entities[i].prior.lo);
				mpq_add(s, s, t);
			}
			ok = cn->op == CMP_EQ ? mpq_sgn(s) == 0 :
			    cn->op == CMP_LE ? mpq_sgn(s) <= 0 :
			    mpq_sgn(s) >= 0;
		}
		ok &= mpq_sgn(total) > 0;
		mpq_clears(s, t, total, NULL);
		if (!ok)
			empty_set(m, d);
		return ok;
	}
	/* max sum w over the box and the constraints, checked exactly at
	 * the vertex found (a = 1, x = 0: one column for all the weights no
	 * constraint names). */
	struct dk dk;
	bool ok = true, exact = true, ver = true;
	int st = -1;
	mpq_t *one = rationals_new(n), *zero = rationals_new(n);
	for (uint32_t i = 0; i < n; i++)
		mpq_set_ui(one[i], 1, 1);
	dk_init(&dk, m);
	dk.what = "checking the prior set";
	if (dk_columns(&dk, one, zero, d)) {
		struct lp_opts lo = *o;
		lo.exact = false;
		dk_objective(&dk, one, zero, NULL, true);
		st = dk_solve(&dk, &lo, &exact, &ver, d);
	}
	bool positive = false;
	for (uint32_t i = 0; st > 0 && i < n && !positive; i++)
		positive = mpq_sgn(dk.w[i]) > 0;
	rationals_free(one, n);
	rationals_free(zero, n);
	if (st == 0 || (st > 0 && !positive)) {
		empty_set(m, d);
		ok = false;
	} else if (st < 0) {
		ok = false;
	}
	dk_close(&dk);
	return ok;
}
