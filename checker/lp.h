/*
 * lp.h - the one door to GLPK: linear programs (simplex, optionally
 * re-verified by GLPK's exact rational simplex) and 0/1 MIPs, with
 * 0-based arrays.  GLPK never prints (terminal output is captured) and
 * never aborts the process: its internal errors come back as
 * LP_EINTERNAL with GLPK's message.  GLPK keeps global state, so the
 * checker calls it from one thread only.
 */
#ifndef CHARCHECK_LP_H
#define CHARCHECK_LP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lp_status {
	LP_OPTIMAL,		/* solved; 'obj' and 'x' are the optimum */
	LP_FEASIBLE,		/* MIP stopped early with an incumbent */
	LP_INFEASIBLE,		/* no feasible point */
	LP_UNBOUNDED,
	LP_UNDEFINED,		/* the solver could not decide */
	LP_ELIMIT,		/* iteration or time limit reached */
	LP_EFAIL,		/* the solver failed (singular basis, ...) */
	LP_EINTERNAL,		/* GLPK signalled an internal error */
	LP_EMISMATCH		/* --exact disagrees with the simplex */
};

struct lp_model {
	int nrows, ncols;
	bool maximize;
	const double *obj;		/* ncols */
	const double *col_lo, *col_hi;	/* ncols; +-HUGE_VAL: unbounded */
	const bool *col_binary;	/* ncols, or NULL: a MIP if any */
	const double *row_lo, *row_hi;	/* nrows; +-HUGE_VAL: unbounded */
	int nnz;			/* the matrix, as triplets */
	const int *ri, *ci;
	const double *v;
};

struct lp_opts {
	bool exact;		/* re-solve with glp_exact and compare */
	double time_limit;	/* seconds, 0 = none */
	int node_limit;		/* MIP: nodes searched, 0 = no limit */
	bool most_fractional;	/* MIP: branch on the most fractional
				 * variable, not GLPK's default */
	uint64_t cover_steps;	/* the audit's own search before the MIP:
				 * its budget in steps, 0 = its default */
	size_t core_nnz;	/* tests: the audit's walk goes over a
				 * core past these many nonzeros, 0 = its
				 * default (AUDIT_LP_NNZ) */
	bool induce_fault;	/* tests: make GLPK fail internally */
};

/* Where a variable sits in the final basis. */
enum lp_varstat { LP_BASIC, LP_AT_LO, LP_AT_HI, LP_AT_FREE, LP_AT_FIXED };

struct lp_result {
	enum lp_status status;
	double obj;
	double bound;		/* MIP, minimising: a proven lower bound on
				 * the optimum (itself when LP_OPTIMAL) */
	double *x;		/* ncols, the caller's, may be NULL */
	double *dual;		/* ncols reduced costs (LPs), or NULL */
	int *col_stat;	/* ncols enum lp_varstat, the caller's, or NULL */
	int *row_stat;		/* nrows likewise (LPs only) */
	bool verified;		/* --exact: glp_exact agreed */
	char msg[256];		/* why, when not optimal */
};

/*
 * Solves 'm' (a MIP when any column is binary).  Returns r->status;
 * prints nothing.  Solver failures are statuses, never aborts.
 */
enum lp_status lp_solve(const struct lp_model *m, const struct lp_opts *o,
    struct lp_result *r);

/*
 * A loaded LP solved again and again with new objectives, each solve
 * starting from the previous optimal basis (Dinkelbach's iterations).
 * lp_open returns NULL, with the reason in r->msg, if GLPK fails; after
 * a failed lp_resolve the session may only be closed.
 */
struct lp_session;
struct lp_session *lp_open(const struct lp_model *m, struct lp_result *r);
enum lp_status lp_resolve(struct lp_session *s, const double *obj,
    const struct lp_opts *o, struct lp_result *r);
void lp_close(struct lp_session *s);

/* A short name for a status, for messages ("infeasible", ...). */
const char *lp_status_name(enum lp_status s);

#endif
