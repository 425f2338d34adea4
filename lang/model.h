/*
 * model.h - the IR: a .char file after sema.  Names are resolved to
 * indices, expressions to value sets, numbers to exact rationals (GMP).
 * The checker reads only this (never the AST).  Everything is in the
 * model's arena except the mpq_t limbs, which model_free() clears.
 */
#ifndef CHARCHECK_MODEL_H
#define CHARCHECK_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <gmp.h>

#include "arena.h"
#include "ast.h"
#include "diag.h"

#define NONE UINT32_MAX

struct feature {
	const char *name;	/* interned */
	struct srcloc loc;
	const char **values;	/* interned, declaration order */
	uint32_t nvalues;
	bool visible;
};

struct action {
	const char *name;
	struct srcloc loc;
};

/* A resolved expression: atoms are "feature's value is in this set". */
enum expr_kind { X_TRUE, X_FALSE, X_ATOM, X_NOT, X_AND, X_OR };

struct expr {
	enum expr_kind kind;
	struct srcloc loc;
	uint32_t feature;	/* X_ATOM */
	bool *allowed;	/* X_ATOM: one flag per value of the feature */
	struct expr **kids;	/* X_NOT: 1, X_AND/X_OR: nkids */
	uint32_t nkids;
};

/* A weight, a scale or a prior: a point (lo == hi) or an interval. */
struct range {
	bool interval;
	mpq_ptr lo, hi;
	struct srcloc loc;
};

/* One rule of a character: deterministic (action) or a distribution. */
struct rule {
	struct expr *guard;	/* NULL for 'otherwise' */
	struct srcloc loc;
	uint32_t action;	/* deterministic; NONE for a distribution */
	mpq_ptr *dist;		/* nactions probabilities, or NULL */
};

/* An optimizer's 'value a = u when E' line. */
struct utility {
	uint32_t action;
	mpq_ptr u;
	struct expr *when;	/* NULL: every situation */
	struct srcloc loc;
};

enum entity_kind { ENT_CHARACTER, ENT_FAMILY, ENT_OPTIMIZER };

/* Named things start with (name, loc): sema's suggestions rely on it. */
struct entity {
	const char *name;
	struct srcloc loc;	/* the name */
	enum entity_kind kind;
	uint32_t line;
	struct range prior;	/* default: point 1 */
	bool has_prior;
	uint32_t *traits;	/* trait indices */
	uint32_t ntraits;
	/* characters */
	struct rule *rules;
	uint32_t nrules;
	bool stochastic;	/* some rule is a distribution */
	/* families: features and actions in declaration order */
	uint32_t *over;
	uint32_t nover;
	bool *fam_actions;	/* nactions flags */
	/* optimizers */
	mpq_ptr horizon;	/* default 0 */
	struct utility *utils;
	uint32_t nutils;
};

struct trait {
	const char *name;
	struct srcloc loc;
};

struct intended_rule {
	struct expr *guard;	/* NULL for 'otherwise' */
	struct srcloc loc;
	bool *accept;		/* nactions flags */
};

/* The evidence kinds of ast.h, in the same order: EVID_x == EV_x. */
enum evidence_kind {
#define X(name, word) EVID_##name,
	AST_EVIDENCE(X)
#undef X
};

/*
 * An observed outcome (SPEC 4.5): one action or a set of actions a rater
 * cannot tell apart; pi(O | s) is the sum over its actions.  'acts' in
 * declaration order, without repeats; 'in' the same as nactions flags.
 */
struct outcome {
	uint32_t *acts;
	uint32_t n;
	bool *in;
};

struct observation {
	struct expr *expr;
	struct srcloc loc;	/* the 'observe' keyword */
	uint32_t line;
	enum evidence_kind kind;
	struct outcome out;	/* ALWAYS, AT_* */
	mpq_ptr p;		/* AT_* */
	struct outcome *count_out;	/* COUNTS: disjoint outcomes */
	unsigned long *count;
	uint32_t ncounts;
};

struct weight_line {
	struct expr *expr;
	mpq_ptr w;
	struct srcloc loc;
};

struct block {
	bool present;
	struct srcloc loc;
	struct expr *situations;
	struct srcloc situations_loc;
	struct weight_line *weights;
	uint32_t nweights;
	struct observation *obs;	/* training only */
	uint32_t nobs;
};

struct data_item {
	const char *name;
	struct srcloc loc;
	uint32_t trait;
	struct range scale;
};

/* sum_i coef[i] * prior(entity[i]) + constant  (lhs - rhs)  op  0 */
struct constraint {
	struct srcloc loc;
	uint32_t line;
	enum ast_cmp op;	/* CMP_LE, CMP_GE, CMP_EQ */
	mpq_ptr *coef;		/* nentities, (lhs - rhs) */
	mpq_ptr constant;	/* lhs - rhs constants */
};

/* The claims of ast.h, in the same order: CK_x == CLAIM_x. */
enum check_kind {
#define X(name, threshold) CK_##name,
	AST_CLAIMS(X)
#undef X
};

struct check {
	enum check_kind kind;
	struct srcloc loc;
	uint32_t line;
	const char *label;	/* the optional string, or NULL */
	const char *claim;	/* re-rendered canonically */
	enum ast_setname set;
	enum ast_setop setop;
	bool *members;		/* CK_SET, CK_P_SET: nentities flags */
	enum ast_cmp cmp;
	mpq_ptr threshold;
	uint32_t target;	/* CK_LABEL, CK_HORIZON */
	enum ast_label want;	/* CK_LABEL */
};

struct model {
	struct arena *arena;
	struct source *src;
	const char *title;	/* model "..." or NULL */

	struct feature *features;
	uint32_t nfeatures;
	bool has_visible;
	struct action *actions;
	uint32_t nactions;
	struct entity *entities;
	uint32_t nentities;
	struct trait *traits;
	uint32_t ntraits;

	bool has_intended;
	struct srcloc intended_loc;
	struct intended_rule *intended;
	uint32_t nintended;

	struct block training, deployment;
	bool has_audit;
	struct expr *audit;	/* NULL: the training situations */

	struct data_item *data;
	uint32_t ndata;
	struct constraint *constraints;
	uint32_t nconstraints;

	bool has_tolerance;
	mpq_ptr tolerance;	/* 0 unless set; --tolerance overrides */

	struct check *checks;
	uint32_t nchecks;

	struct ptrvec rationals;	/* every mpq to clear */
};

/*
 * Resolves 'file' into a model in 'a'.  Errors (names, numbers, structure)
 * go to 'd'; returns NULL when there was any.  Checks needing the situation
 * space (coverage, empty sets) are the checker's (checker/space.c).
 */
struct model *sema_run(struct arena *a, struct ast_file *file,
    struct diag *d);

/*
 * "Did you mean": the name closest to 'want' among those offered, if it is
 * close enough to be a misspelling (edit distance at most a third of
 * 'want', plus one, and not 0).  One implementation for sema's notes and
 * the commands' errors (explain NAME, sweep --data NAME).
 */
struct suggest {
	const char *want;
	size_t best;		/* edit distance of 'pick' */
	const char *pick;	/* the closest so far, or NULL */
};
void suggest_init(struct suggest *sg, const char *want);
void suggest_offer(struct suggest *sg, const char *name);
/* The suggestion, or NULL when no name is close enough. */
const char *suggest_pick(const struct suggest *sg);
/*
 * The error (exit 2, no location) for a name the command line asked for
 * and the model lacks: "FILE has no WHAT 'WANT' (it has 'a', 'b'); did
 * you mean 'a'?", with 'none' after the name when there are no 'names'.
 */
void suggest_no_such(struct diag *d, const char *file, const char *what,
    const char *want, const char *const *names, uint32_t n,
    const char *none);

/* A fresh zero rational, owned by 'm' (cleared by model_free). */
mpq_ptr model_rational(struct model *m);
/* Clears the rationals; the arena is the caller's to free. */
void model_free(struct model *m);

/*
 * Reads a number token's text as an exact rational ("0.7" is 7/10, "1e-3"
 * 1/1000, "1/3").  Returns false if the text is malformed (the lexer has
 * already refused such tokens).
 */
bool rational_parse(mpq_ptr q, const char *text);
/* The double nearest to 'q' (ties to even), unlike mpq_get_d. */
double rational_get_d(mpq_srcptr q);
/* ln q for q > 0, accurate for numerators and denominators of any size. */
double rational_log(mpq_srcptr q);
/* A fresh vector of 'n' rationals, each 0; free with rationals_free. */
mpq_t *rationals_new(size_t n);
/* Clears the 'n' rationals of 'v' (NULL: nothing) and frees it. */
void rationals_free(mpq_t *v, size_t n);

#endif
