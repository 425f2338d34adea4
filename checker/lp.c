/*
 * lp.c - the GLPK wrapper, and the only file that includes <glpk.h>.
 * After igraph's glpk_support: a setjmp guard in the caller's frame, an
 * error hook that frees GLPK's environment and longjmps back, a terminal
 * hook that swallows output (keeping it for the error message), and every
 * return code and solution status mapped to our own enum.
 *
 * GLPK is opened with dlopen the first time a problem is solved, not
 * linked: loading it (and its SuiteSparse, ltdl and zlib) cost 2 ms on
 * every run, a fifth of a small model's check, and most models need no LP
 * (point priors; audits that a greedy cover settles).
 */
#include "lp.h"

#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "arena.h"
#include "deadline.h"
#include "dl.h"

#ifndef GLPK_SONAME
#define GLPK_SONAME "libglpk.so.40"
#endif

#define GLPK_FUNCS(X) X(glp_add_cols) X(glp_add_rows) X(glp_at_error) \
	X(glp_create_prob) X(glp_delete_prob) X(glp_error_hook) \
	X(glp_exact) X(glp_free_env) X(glp_get_col_prim) X(glp_get_col_dual) \
	X(glp_get_col_stat) X(glp_get_obj_val) X(glp_get_row_stat) \
	X(glp_get_status) X(glp_init_iocp) X(glp_init_smcp) \
	X(glp_intopt) X(glp_load_matrix) X(glp_mip_col_val) \
	X(glp_mip_obj_val) X(glp_mip_status) X(glp_set_col_bnds) \
	X(glp_set_col_kind) X(glp_set_obj_coef) X(glp_set_obj_dir) \
	X(glp_set_row_bnds) X(glp_simplex) X(glp_term_hook) \
	X(glp_ios_reason) X(glp_ios_tree_size) X(glp_ios_terminate) \
	X(glp_ios_best_node) X(glp_ios_node_bound)

/* The functions used, typed from GLPK's own prototypes. */
/* GLPK's tm_lim is an int of milliseconds: past INT_MAX (24.8 days) it
 * would wrap, which GLPK rejects as an invalid parameter. */
static int
tm_lim_of(double secs)
{
	return secs * 1000 >= INT_MAX ? INT_MAX : (int)(secs * 1000);
}

static struct {
#define X(f) __typeof__(&f) f;
	GLPK_FUNCS(X)
#undef X
} glpk;

static bool glpk_ok;
static char glpk_why[200];	/* why it could not be opened */

static void
glpk_load(void)
{
#define X(f) #f,
	static const char *const names[] = { GLPK_FUNCS(X) };
#undef X
#define X(f) (void **)&glpk.f,
	static void **const slots[] = { GLPK_FUNCS(X) };
#undef X

	glpk_ok = dl_load(GLPK_SONAME, names, slots,
	    sizeof names / sizeof *names, glpk_why, sizeof glpk_why);
}

/* Opens GLPK once (threads may race here); false with 'msg' when it
 * cannot be, a solver failure. */
static bool
glpk_open(char *msg, size_t len)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, glpk_load);
	if (!glpk_ok)
		snprintf(msg, len, "GLPK: %s", glpk_why);
	return glpk_ok;
}

struct guard {
	jmp_buf jmp;
	char text[256];		/* GLPK's last words before an error */
	size_t len;
};


static int
term_hook(void *info, const char *s)
{
	struct guard *g = info;

	/* Keep what GLPK says while it is failing; drop the rest. */
	if (glpk.glp_at_error() && g->len < sizeof g->text - 1) {
		size_t n = strlen(s);
		if (n > sizeof g->text - 1 - g->len)
			n = sizeof g->text - 1 - g->len;
		memcpy(g->text + g->len, s, n);
		g->len += n;
		g->text[g->len] = '\0';
	}
	return 1;
}

static void
error_hook(void *info)
{
	struct guard *g = info;

	/* Every glp_prob is dead after this; never touch them again. */
	glpk.glp_free_env();
	longjmp(g->jmp, 1);
}

/* Installs the hooks; LP_GUARD must expand in the caller's frame. */
static void
guard_install(struct guard *g)
{
	g->len = 0;
	g->text[0] = '\0';

	glpk.glp_term_hook(term_hook, g);
	glpk.glp_error_hook(error_hook, g);
}

static void
guard_remove(void)
{
	glpk.glp_error_hook(NULL, NULL);
	glpk.glp_term_hook(NULL, NULL);

}

#define LP_GUARD(g) (guard_install(g), setjmp((g)->jmp))

static int
bound_type(double lo, double hi)
{
	bool has_lo = lo > -HUGE_VAL, has_hi = hi < HUGE_VAL;

	if (has_lo && has_hi)
		return lo == hi ? GLP_FX : GLP_DB;
	return has_lo ? GLP_LO : has_hi ? GLP_UP : GLP_FR;
}

static enum lp_status
map_code(int code, char *msg, size_t len)
{
	static const struct { int code; enum lp_status st; const char *why; }
	codes[] = {
		{ GLP_EBADB, LP_EFAIL, "invalid initial basis" },
		{ GLP_ESING, LP_EFAIL, "singular basis matrix" },
		{ GLP_ECOND, LP_EFAIL, "ill-conditioned basis matrix" },
		{ GLP_EBOUND, LP_EFAIL, "inconsistent bounds" },
		{ GLP_EFAIL, LP_EFAIL, "the solver failed" },
		{ GLP_EOBJLL, LP_UNBOUNDED, "objective below its limit" },
		{ GLP_EOBJUL, LP_UNBOUNDED, "objective above its limit" },
		{ GLP_EITLIM, LP_ELIMIT, "iteration limit reached" },
		{ GLP_ETMLIM, LP_ELIMIT, "time limit reached" },
		{ GLP_ENOPFS, LP_INFEASIBLE, "no primal feasible solution" },
		{ GLP_ENODFS, LP_INFEASIBLE, "no dual feasible solution" },
		{ GLP_EROOT, LP_EFAIL, "no optimal LP basis for the MIP" },
		{ GLP_ESTOP, LP_ELIMIT, "the search was stopped" },
		{ GLP_EMIPGAP, LP_FEASIBLE, "relative MIP gap reached" },
	};

	for (size_t i = 0; i < sizeof codes / sizeof *codes; i++)
		if (codes[i].code == code) {
			snprintf(msg, len, "%s", codes[i].why);
			return codes[i].st;
		}
	snprintf(msg, len, "unknown GLPK return code %d", code);
	return LP_EFAIL;
}

static enum lp_status
map_status(int st)
{
	switch (st) {
	case GLP_OPT: return LP_OPTIMAL;
	case GLP_FEAS: return LP_FEASIBLE;
	case GLP_INFEAS:
	case GLP_NOFEAS: return LP_INFEASIBLE;
	case GLP_UNBND: return LP_UNBOUNDED;
	default: return LP_UNDEFINED;
	}
}

static int
varstat(int st)
{
	switch (st) {
	case GLP_BS: return LP_BASIC;
	case GLP_NL: return LP_AT_LO;
	case GLP_NU: return LP_AT_HI;
	case GLP_NF: return LP_AT_FREE;
	default: return LP_AT_FIXED;
	}
}

/* Builds the problem; GLPK's 1-based arrays stay in here. */
static glp_prob *
load(const struct lp_model *m, bool *mip)
{
	glp_prob *p = glpk.glp_create_prob();
	int *ia = xcalloc((size_t)m->nnz + 1, sizeof *ia);
	int *ja = xcalloc((size_t)m->nnz + 1, sizeof *ja);
	double *ar = xcalloc((size_t)m->nnz + 1, sizeof *ar);

	*mip = false;
	glpk.glp_set_obj_dir(p, m->maximize ? GLP_MAX : GLP_MIN);
	if (m->nrows)
		glpk.glp_add_rows(p, m->nrows);
	if (m->ncols)
		glpk.glp_add_cols(p, m->ncols);
	for (int i = 0; i < m->nrows; i++)
		glpk.glp_set_row_bnds(p, i + 1, bound_type(m->row_lo[i],
		    m->row_hi[i]), m->row_lo[i] > -HUGE_VAL ? m->row_lo[i] : 0,
		    m->row_hi[i] < HUGE_VAL ? m->row_hi[i] : 0);
	for (int j = 0; j < m->ncols; j++) {
		/* Kind first: GLP_BV would reset the bounds to [0, 1], so a
		 * binary is an integer column with our bounds. */
		if (m->col_binary && m->col_binary[j]) {
			glpk.glp_set_col_kind(p, j + 1, GLP_IV);
			*mip = true;
		}
		glpk.glp_set_col_bnds(p, j + 1, bound_type(m->col_lo[j],
		    m->col_hi[j]), m->col_lo[j] > -HUGE_VAL ? m->col_lo[j] : 0,
		    m->col_hi[j] < HUGE_VAL ? m->col_hi[j] : 0);
		glpk.glp_set_obj_coef(p, j + 1, m->obj[j]);
	}
	for (int k = 0; k < m->nnz; k++) {
		ia[k + 1] = m->ri[k] + 1;
		ja[k + 1] = m->ci[k] + 1;
		ar[k + 1] = m->v[k];
	}
	glpk.glp_load_matrix(p, m->nnz, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return p;
}

/* The branch-and-bound's node limit and its best bound so far. */
struct search {
	int limit;		/* nodes, 0 = none */
	double bound;		/* best bound of the open nodes
				 * (minimising) */
};

static void
search_cb(glp_tree *t, void *info)
{
	struct search *sr = info;
	int active, total;

	if (glpk.glp_ios_reason(t) != GLP_ISELECT)
		return;
	/* Before a node is selected every open node is active, so the
	 * best of their bounds bounds the optimum (it only grows). */
	int best = glpk.glp_ios_best_node(t);
	if (best) {
		double b = glpk.glp_ios_node_bound(t, best);
		if (b > sr->bound && b < HUGE_VAL)
			sr->bound = b;
	}
	glpk.glp_ios_tree_size(t, &active, NULL, &total);
	if ((sr->limit > 0 && total >= sr->limit) || deadline_expired())
		glpk.glp_ios_terminate(t);
}

enum lp_status
lp_solve(const struct lp_model *m, const struct lp_opts *o,
    struct lp_result *r)
{
	struct guard g;
	glp_prob *volatile p = NULL;
	bool mip;
	int code;

	r->status = LP_UNDEFINED;
	r->obj = 0;
	r->bound = -HUGE_VAL;
	r->verified = false;
	r->msg[0] = '\0';
	if (!glpk_open(r->msg, sizeof r->msg))
		return r->status = LP_EINTERNAL;
	if (LP_GUARD(&g)) {
		/* GLPK failed internally; its environment is already freed. */
		guard_remove();
		r->status = LP_EINTERNAL;
		snprintf(r->msg, sizeof r->msg, "GLPK internal error: %.200s",
		    g.len ? g.text : "(no message)");
		/* Strip GLPK's trailing newline. */
		size_t n = strlen(r->msg);
		while (n && (r->msg[n - 1] == '\n' || r->msg[n - 1] == ' '))
			r->msg[--n] = '\0';
		return r->status;
	}
	p = load(m, &mip);
	if (o->induce_fault)
		glpk.glp_set_obj_dir(p, 12345);	/* invalid: GLPK's error
						 * path */

	glp_smcp smcp;
	glpk.glp_init_smcp(&smcp);
	smcp.msg_lev = GLP_MSG_OFF;
	smcp.presolve = GLP_OFF;
	if (o->time_limit > 0)
		smcp.tm_lim = tm_lim_of(o->time_limit);
	code = glpk.glp_simplex(p, &smcp);
	if (code != 0) {
		r->status = map_code(code, r->msg, sizeof r->msg);
		goto done;
	}
	r->status = map_status(glpk.glp_get_status(p));
	if (r->status != LP_OPTIMAL) {
		snprintf(r->msg, sizeof r->msg, "%s",
		    lp_status_name(r->status));
		goto done;
	}
	r->obj = glpk.glp_get_obj_val(p);
	if (o->exact && !mip) {
		/* Re-solve from the optimal basis in exact arithmetic; its
		 * optimum, if it moved at all, is the one reported. */
		smcp.it_lim = 100000;
		code = glpk.glp_exact(p, &smcp);
		if (code != 0 || glpk.glp_get_status(p) != GLP_OPT) {
			r->status = LP_EMISMATCH;
			snprintf(r->msg, sizeof r->msg, "the exact simplex did "
			    "not reach an optimum (code %d)", code);
			goto done;
		}
		r->obj = glpk.glp_get_obj_val(p);
		r->verified = true;
	}
	if (mip) {
		glp_iocp iocp;
		struct search sr = { .limit = o->node_limit, .bound = r->obj };
		glpk.glp_init_iocp(&iocp);
		iocp.msg_lev = GLP_MSG_OFF;
		iocp.presolve = GLP_OFF; /* the LP basis above is optimal */
		/* No preprocessing at the nodes: on the audit covers (bench
		 * row e1000) it slowed the infeasibility proofs by a third. */
		iocp.pp_tech = GLP_PP_NONE;
		/* The feasibility pump finds the optimal covers early: half
		 * the time on bench's 2^16 audit. */
		iocp.fp_heur = GLP_ON;
		if (o->most_fractional)
			iocp.br_tech = GLP_BR_MFV;
		iocp.cb_func = search_cb;
		iocp.cb_info = &sr;
		if (o->time_limit > 0)
			iocp.tm_lim = tm_lim_of(o->time_limit);
		code = glpk.glp_intopt(p, &iocp);
		r->bound = sr.bound;
		int st = glpk.glp_mip_status(p);
		if ((code == GLP_ETMLIM || code == GLP_ESTOP) &&
		    st == GLP_FEAS) {
			/* Stopped by a limit with an incumbent: usable. */
			map_code(code, r->msg, sizeof r->msg);
		} else if (code != 0 && code != GLP_EMIPGAP) {
			r->status = map_code(code, r->msg, sizeof r->msg);
			goto done;
		}
		r->status = st == GLP_OPT ? LP_OPTIMAL : map_status(st);
		if (r->status != LP_OPTIMAL && r->status != LP_FEASIBLE)
			goto done;
		r->obj = glpk.glp_mip_obj_val(p);
		if (r->status == LP_OPTIMAL)
			r->bound = r->obj;
	}
	if (r->x)
		for (int j = 0; j < m->ncols; j++)
			r->x[j] = mip ? glpk.glp_mip_col_val(p, j + 1) :
			    glpk.glp_get_col_prim(p, j + 1);
	if (r->dual && !mip)
		for (int j = 0; j < m->ncols; j++)
			r->dual[j] = glpk.glp_get_col_dual(p, j + 1);
	if (r->col_stat && !mip)
		for (int j = 0; j < m->ncols; j++)
			r->col_stat[j] =
			    varstat(glpk.glp_get_col_stat(p, j + 1));
	if (r->row_stat && !mip)
		for (int i = 0; i < m->nrows; i++)
			r->row_stat[i] =
			    varstat(glpk.glp_get_row_stat(p, i + 1));
done:
	glpk.glp_delete_prob(p);
	guard_remove();
	return r->status;
}

struct lp_session {
	glp_prob *p;
	int ncols, nrows;
	bool dead;		/* GLPK failed: the problem is gone */
};

static void
internal(struct guard *g, struct lp_result *r)
{
	guard_remove();
	r->status = LP_EINTERNAL;
	snprintf(r->msg, sizeof r->msg, "GLPK internal error: %.200s",
	    g->len ? g->text : "(no message)");
	size_t n = strlen(r->msg);
	while (n && (r->msg[n - 1] == '\n' || r->msg[n - 1] == ' '))
		r->msg[--n] = '\0';
}

struct lp_session *
lp_open(const struct lp_model *m, struct lp_result *r)
{
	struct guard g;
	struct lp_session *volatile s;
	bool mip;

	r->msg[0] = '\0';
	if (!glpk_open(r->msg, sizeof r->msg)) {
		r->status = LP_EINTERNAL;
		return NULL;
	}
	s = xcalloc(1, sizeof *s);
	if (LP_GUARD(&g)) {
		internal(&g, r);
		free(s);
		return NULL;
	}
	s->p = load(m, &mip);
	s->ncols = m->ncols;
	s->nrows = m->nrows;
	guard_remove();
	return s;
}

enum lp_status
lp_resolve(struct lp_session *s, const double *obj, const struct lp_opts *o,
    struct lp_result *r)
{
	struct guard g;
	glp_smcp smcp;
	int code;

	r->status = LP_UNDEFINED;
	r->verified = false;
	r->msg[0] = '\0';
	if (s->dead) {
		r->status = LP_EINTERNAL;
		snprintf(r->msg, sizeof r->msg, "the solver failed earlier");
		return r->status;
	}
	if (LP_GUARD(&g)) {
		s->dead = true;
		internal(&g, r);
		return r->status;
	}
	if (o->induce_fault)
		glpk.glp_set_obj_dir(s->p, 12345);	/* invalid: GLPK's
							 * error path */
	for (int j = 0; j < s->ncols; j++)
		glpk.glp_set_obj_coef(s->p, j + 1, obj[j]);
	glpk.glp_init_smcp(&smcp);
	smcp.msg_lev = GLP_MSG_OFF;
	if (o->time_limit > 0)
		smcp.tm_lim = tm_lim_of(o->time_limit);
	code = glpk.glp_simplex(s->p, &smcp);
	if (code == 0 && o->exact && glpk.glp_get_status(s->p) == GLP_OPT) {
		/* From the floating-point optimum, GLPK's exact simplex finds
		 * the true optimal basis (a few pivots more when rounding had
		 * stopped one short); its solution is the one reported. */
		smcp.it_lim = 100000;
		code = glpk.glp_exact(s->p, &smcp);
		r->verified = code == 0 && glpk.glp_get_status(s->p) == GLP_OPT;
		if (!r->verified) {
			guard_remove();
			r->status = LP_EMISMATCH;
			snprintf(r->msg, sizeof r->msg, "the exact simplex did "
			    "not reach an optimum (code %d, status %d)", code,
			    glpk.glp_get_status(s->p));
			return r->status;
		}
	}
	if (code != 0) {
		r->status = map_code(code, r->msg, sizeof r->msg);
	} else {
		r->status = map_status(glpk.glp_get_status(s->p));
		r->obj = glpk.glp_get_obj_val(s->p);
		for (int j = 0; r->x && j < s->ncols; j++)
			r->x[j] = glpk.glp_get_col_prim(s->p, j + 1);
		for (int j = 0; r->col_stat && j < s->ncols; j++)
			r->col_stat[j] =
			    varstat(glpk.glp_get_col_stat(s->p, j + 1));
		for (int i = 0; r->row_stat && i < s->nrows; i++)
			r->row_stat[i] =
			    varstat(glpk.glp_get_row_stat(s->p, i + 1));
	}
	guard_remove();
	return r->status;
}

void
lp_close(struct lp_session *s)
{
	if (!s)
		return;
	if (!s->dead)
		glpk.glp_delete_prob(s->p);
	free(s);
}

const char *
lp_status_name(enum lp_status s)
{
	switch (s) {
	case LP_OPTIMAL: return "optimal";
	case LP_FEASIBLE: return "feasible, not proved optimal";
	case LP_INFEASIBLE: return "infeasible";
	case LP_UNBOUNDED: return "unbounded";
	case LP_UNDEFINED: return "undefined";
	case LP_ELIMIT: return "limit reached";
	case LP_EFAIL: return "solver failure";
	case LP_EINTERNAL: return "internal solver error";
	case LP_EMISMATCH: return "exact verification failed";
	}
	return "?";
}
