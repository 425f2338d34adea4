/*
 * ast.h - the syntax tree of a .char file, as the parser builds it.
 * Everything lives in the model's arena; names are interned (compare by
 * pointer).  No names are resolved here: sema.c turns this into the IR of
 * model.h.  Numbers keep their source text so that sema can read them as
 * exact rationals.
 */
#ifndef CHARCHECK_AST_H
#define CHARCHECK_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

/* A name or value as written: interned text and where it stands. */
struct ast_name {
	const char *text;	/* interned */
	struct srcloc loc;
};

/* A number token: INT ("12"), decimal ("0.7", "1e-3") or fraction ("1/3"). */
struct ast_num {
	const char *text;	/* the token's text, without any sign */
	bool negative;		/* a leading '-' (utilities only) */
	bool is_int;		/* the token was a plain INT */
	struct srcloc loc;	/* covers the sign too */
};

enum ast_cmp { CMP_EQ, CMP_NE, CMP_LT, CMP_LE, CMP_GT, CMP_GE };

enum ast_expr_kind {
	EXPR_TRUE, EXPR_FALSE,
	EXPR_CMP,		/* feature OP value */
	EXPR_IN,		/* feature in { values } */
	EXPR_NOT,		/* kids[0] */
	EXPR_AND, EXPR_OR	/* kids[0..nkids), nkids >= 2, flattened */
};

struct ast_expr {
	enum ast_expr_kind kind;
	struct srcloc loc;		/* the whole expression */
	enum ast_cmp op;		/* EXPR_CMP */
	struct ast_name feature;	/* EXPR_CMP, EXPR_IN */
	struct ast_name *values;	/* EXPR_CMP: 1, EXPR_IN: nvalues */
	uint32_t nvalues;
	struct ast_expr **kids;
	uint32_t nkids;
	uint32_t depth;	/* nesting: parentheses and 'not' count 1 */
};

/* prior W | prior [lo, hi]; also a data item's scale. */
struct ast_range {
	bool present;
	bool interval;
	struct ast_num lo, hi;	/* a point has lo == hi (same token) */
	struct srcloc loc;	/* from 'prior' (or the number) to the end */
};

/* One entry of a distribution outcome, or of a count evidence list. */
struct ast_pair {
	struct ast_name action;
	struct ast_num num;
};

/* guard -> outcome.  'guard' is NULL for 'otherwise'. */
struct ast_rule {
	struct ast_expr *guard;
	struct srcloc loc;		/* the guard (or 'otherwise') */
	bool is_dist;
	struct ast_name action;		/* !is_dist */
	struct ast_pair *dist;		/* is_dist: ndist entries */
	uint32_t ndist;
	struct srcloc outcome_loc;
	/* intended rules: the acceptable actions, a | b | ... */
	struct ast_name *accept;
	uint32_t naccept;
};

enum ast_orule_kind { OR_HORIZON, OR_VALUE };

struct ast_orule {
	enum ast_orule_kind kind;
	struct srcloc loc;		/* the keyword */
	struct ast_num num;		/* horizon h, or the utility */
	struct ast_name action;		/* OR_VALUE */
	struct ast_expr *when;	/* OR_VALUE: NULL = every situation */
};

/*
 * What an observation says, one row each: X(NAME, word): 'always' (every
 * matching situation plays the outcome), counts (outcome N, outcome M,
 * ...), 'at least p' and 'at most p' (a frequency bound).  model.h's
 * evidence_kind is generated from the same list (EVID_x == EV_x).  A new
 * kind: a row here, its grammar (parser.y), sema.c sema_observation,
 * fmt.c, and the switches over evidence_kind in checker/ (policy.c
 * judges it, space.c weighs it, family.c, optimizer.c and explain.c say
 * what it means for them); each is a switch without a default, so the
 * compiler lists every place that must decide.
 */
#define AST_EVIDENCE(X) \
	X(ALWAYS, "always") \
	X(COUNTS, "counts") \
	X(AT_LEAST, "at least") \
	X(AT_MOST, "at most")

enum ast_evidence_kind {
#define X(name, word) EV_##name,
	AST_EVIDENCE(X)
#undef X
};

/* "always", "counts", "at least", "at most". */
extern const char *const ast_evidence_word[];

/* An observed outcome: one action, or a set a rater cannot tell apart,
 * written a | b | ... (SPEC 4.5, v1.1). */
struct ast_outcome {
	struct ast_name *names;
	uint32_t n;
	struct srcloc loc;
};

/* One entry of a count evidence list: outcome INT. */
struct ast_count {
	struct ast_outcome out;
	struct ast_num num;
};

enum ast_stmt_kind { ST_SITUATIONS, ST_WEIGHT, ST_OBSERVE };

/* A statement of a training, deployment or audit block. */
struct ast_stmt {
	enum ast_stmt_kind kind;
	struct srcloc loc;		/* the keyword */
	struct ast_expr *expr;
	struct ast_num num;		/* ST_WEIGHT: W; EV_AT_*: p */
	enum ast_evidence_kind ev;	/* ST_OBSERVE */
	struct ast_outcome out;		/* EV_ALWAYS, EV_AT_* */
	struct ast_count *counts;	/* EV_COUNTS */
	uint32_t ncounts;
	struct srcloc ev_loc;		/* the evidence, after ':' */
};

/* [ NUMBER '*' ] prior ( NAME )  |  NUMBER */
struct ast_term {
	bool is_prior;
	bool has_coef;
	struct ast_num coef;	/* the coefficient, or the constant */
	struct ast_name name;		/* is_prior */
	struct srcloc loc;
};

/*
 * The claims a 'check' can make, one row each: X(NAME, THRESHOLD), where
 * THRESHOLD says the claim ends in "cmp NUMBER": no divergence; SET
 * (consistent | diverging | undetectable, then = | contains | excludes
 * { names }); P(diverge); P(a, b, ...); E(divergence); label(x) =
 * deceptive | proxy | none; horizon(x).  model.h's check_kind
 * is generated from the same list, so the two enums agree by
 * construction.  A new claim: a row here, its grammar (parser.y), its
 * rendering (sema.c render_claim, fmt.c claim) and its value (check.c
 * eval_check); the compiler flags every switch that misses it.
 */
#define AST_CLAIMS(X) \
	X(NO_DIVERGENCE, false) \
	X(SET, false) \
	X(P_DIVERGE, true) \
	X(P_SET, true) \
	X(E_DIVERGENCE, true) \
	X(LABEL, false) \
	X(HORIZON, true)

enum ast_claim_kind {
#define X(name, threshold) CLAIM_##name,
	AST_CLAIMS(X)
#undef X
};

/* Whether claim kind 'k' compares with a number ("cmp NUMBER"). */
bool ast_claim_has_threshold(enum ast_claim_kind k);

enum ast_setname { SET_CONSISTENT, SET_DIVERGING, SET_UNDETECTABLE };
enum ast_setop { SETOP_EQ, SETOP_CONTAINS, SETOP_EXCLUDES };
enum ast_label { LABEL_NONE, LABEL_DECEPTIVE, LABEL_PROXY };

struct ast_claim;

/* Where a renderer writes: put(ctx, s) appends the string s. */
struct ast_sink {
	void (*put)(void *ctx, const char *s);
	void *ctx;
};

/*
 * Claim 'c' as written, to 'k': "P(diverge) <= 0.05", "consistent =
 * {a, b}" for reports; with 'layout' (the formatter) the set name padded
 * to 'setwidth' columns and spaced braces: "consistent   = { a, b }".
 */
void ast_claim_write(const struct ast_sink *k, const struct ast_claim *c,
    bool layout, size_t setwidth);

/* Their words in the language (indexed by the enums above). */
extern const char *const ast_set_word[];
extern const char *const ast_setop_word[];
extern const char *const ast_label_word[];

struct ast_claim {
	enum ast_claim_kind kind;
	struct srcloc loc;
	enum ast_setname set;		/* CLAIM_SET */
	enum ast_setop setop;		/* CLAIM_SET */
	struct ast_name *names;		/* CLAIM_SET, CLAIM_P_SET */
	uint32_t nnames;
	enum ast_cmp cmp;	/* CLAIM_P_*, E_, HORIZON: LT LE GT GE */
	struct ast_num num;
	struct ast_name target;		/* CLAIM_LABEL, CLAIM_HORIZON */
	enum ast_label label;		/* CLAIM_LABEL */
};

enum ast_item_kind {
	ITEM_MODEL, ITEM_FEATURE, ITEM_VISIBLE, ITEM_ACTION, ITEM_CHARACTER,
	ITEM_FAMILY, ITEM_OPTIMIZER, ITEM_INTENDED, ITEM_TRAINING,
	ITEM_DEPLOYMENT, ITEM_DATA, ITEM_CONSTRAINT, ITEM_AUDIT,
	ITEM_TOLERANCE, ITEM_CHECK
};

struct ast_item {
	enum ast_item_kind kind;
	struct srcloc loc;		/* the leading keyword */
	struct srcloc end;		/* the last token (for fmt) */

	/* model "s" (text unescaped, in arena), check "label" */
	const char *string;
	struct srcloc string_loc;
	bool has_string;

	/* feature NAME { values }; character/family/optimizer/data NAME */
	struct ast_name name;
	/* feature values; visible and action names; family 'over' */
	struct ast_name *names;
	uint32_t nnames;
	/* family 'actions' list (has_actions) */
	bool has_actions;
	struct ast_name *actions;
	uint32_t nactions;

	struct ast_range prior;	/* character, family, optimizer */
	struct ast_name *traits;	/* trait list */
	uint32_t ntraits;

	/* character and intended rules */
	struct ast_rule **rules;
	uint32_t nrules;
	/* optimizer rules */
	struct ast_orule **orules;
	uint32_t norules;
	/* training, deployment, audit statements */
	struct ast_stmt **stmts;
	uint32_t nstmts;

	/* data NAME scales TRAIT by scale */
	struct ast_name trait;
	struct ast_range scale;

	/* constraint lhs op rhs (op: CMP_LE, CMP_GE, CMP_EQ; LT/GT are
	 * parsed so that sema can say why they are refused) */
	struct ast_term **lhs, **rhs;
	uint32_t nlhs, nrhs;
	enum ast_cmp op;
	struct srcloc op_loc;

	/* tolerance X */
	struct ast_num num;

	/* check [label] claim */
	struct ast_claim claim;
};

struct ast_comment {
	struct srcloc loc;	/* the whole comment, delimiters included */
};

struct ast_file {
	struct source *src;
	struct ast_item **items;
	uint32_t nitems;
	/* Every comment in source order, for 'charcheck fmt'. */
	struct ast_comment *comments;
	uint32_t ncomments;
};

/* Deepest expression nesting accepted (SPEC 6.1); deeper is exit 3. */
#define AST_MAX_DEPTH 400

/*
 * Parses the whole of 'src' into an AST in 'a'.  Syntax errors go to 'd'
 * (several per run: the parser recovers at item boundaries); returns the
 * items it could build, never NULL.  The caller checks d->nerrors.
 */
struct ast_file *parse_source(struct arena *a, struct source *src,
    struct diag *d);
/*
 * The same with the nodes in 'nodes' and the tokens' text (interned
 * names, strings, numbers) and comments in 'a': the model keeps only
 * the latter, so 'nodes' may be freed once sema_run is done.
 */
struct ast_file *parse_source_split(struct arena *a, struct arena *nodes,
    struct source *src, struct diag *d);

/* Printable names for diagnostics and the formatter. */
const char *ast_cmp_text(enum ast_cmp op);

/*
 * Constructors for the parser (added with parser.y).  Each returns a zeroed
 * node in 'a' with the fields given filled in; nothing is checked here.
 */
struct ast_item *ast_new_item(struct arena *a, enum ast_item_kind kind,
    struct srcloc loc);
struct ast_expr *ast_new_expr(struct arena *a, enum ast_expr_kind kind,
    struct srcloc loc);
/* feature OP value, one value */
struct ast_expr *ast_new_cmp(struct arena *a, struct ast_name feature,
    enum ast_cmp op, struct ast_name value, struct srcloc loc);
/* feature in { values }: 'values' holds struct ast_name * */
struct ast_expr *ast_new_in(struct arena *a, struct ast_name feature,
    const struct ptrvec *values, struct srcloc loc);
/* not 'kid', one level deeper than 'kid' */
struct ast_expr *ast_new_not(struct arena *a, struct ast_expr *kid,
    struct srcloc loc);
/*
 * An EXPR_AND or EXPR_OR over the struct ast_expr * in 'kids' (the array is
 * taken over, not copied), as deep as its deepest kid; a single kid is
 * returned as it is.
 */
struct ast_expr *ast_new_chain(struct arena *a, enum ast_expr_kind kind,
    const struct ptrvec *kids, struct srcloc loc);
struct ast_rule *ast_new_rule(struct arena *a, struct ast_expr *guard,
    struct srcloc loc);
struct ast_orule *ast_new_orule(struct arena *a, enum ast_orule_kind kind,
    struct srcloc loc);
struct ast_stmt *ast_new_stmt(struct arena *a, enum ast_stmt_kind kind,
    struct srcloc loc, struct ast_expr *expr);
struct ast_term *ast_new_term(struct arena *a, struct srcloc loc);
struct ast_claim *ast_new_claim(struct arena *a, enum ast_claim_kind kind,
    struct srcloc loc);
/* Arena copies, to be collected in a struct ptrvec. */
struct ast_name *ast_new_name(struct arena *a, struct ast_name name);
struct ast_pair *ast_new_pair(struct arena *a, struct ast_name action,
    struct ast_num num);
/*
 * Copies the struct ast_name * (ast_pair *) of 'v' into one array in 'a',
 * stored in '*out' (NULL when empty); returns the count.
 */
uint32_t ast_name_array(struct arena *a, const struct ptrvec *v,
    struct ast_name **out);
/* The names of 'v' (struct ast_name *) as an outcome located at 'loc'. */
struct ast_outcome ast_outcome_of(struct arena *a, const struct ptrvec *v,
    struct srcloc loc);
/* A count entry, and the entries of 'v' (struct ast_count *) as an array. */
struct ast_count *ast_new_count(struct arena *a, struct ast_outcome out,
    struct ast_num num);
uint32_t ast_count_array(struct arena *a, const struct ptrvec *v,
    struct ast_count **out);
uint32_t ast_pair_array(struct arena *a, const struct ptrvec *v,
    struct ast_pair **out);

#endif
