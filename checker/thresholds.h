/*
 * thresholds.h - where a numeric check holds as one data factor moves,
 * and how far every prior weight may be off before it breaks (SPEC 5.3).
 * Works on a checked Result through posterior.c; every
 * endpoint is an exact rational found at a breakpoint of a piecewise
 * linear function and re-checked with exact posteriors.  The proof that
 * the answer is one interval is in docs/semantics.md.
 */
#ifndef CHARCHECK_THRESHOLDS_H
#define CHARCHECK_THRESHOLDS_H

#include "result.h"

/* An interval of factor values; 'to_inf' means no upper end. */
struct threshold_piece {
	mpq_t from, to;		/* exact; 'to' unused when to_inf */
	bool from_closed, to_closed;
	bool to_inf;
};

enum on_declared { ON_ALL, ON_PART, ON_NONE };

/* Where check 'check' holds as data item 'item' moves over x >= 0. */
struct threshold_set {
	uint32_t check, item;
	uint32_t npieces;	/* 0 (never), 1, or 2 (0 on its own) */
	struct threshold_piece piece[2];
	enum on_declared on_declared;
};

enum radius_kind {
	RADIUS_NONE,		/* the check fails as declared: null */
	RADIUS_INF,		/* no factor breaks it */
	RADIUS_EXACT,		/* lo is the radius, a rational */
	RADIUS_BRACKET		/* the radius is in [lo, hi] */
};

/* How robust check 'check' is to the prior (SPEC 5.3). */
struct robustness {
	uint32_t check;
	enum radius_kind kind;
	mpq_t lo, hi;		/* EXACT: lo; BRACKET: [lo, hi] */
	bool has_square;	/* the radius's square is known exactly */
	mpq_t square;
};

/* The claims thresholds cover: P(diverge), P(a, ...), E(divergence). */
bool thresholds_numeric(const struct check *c);

void threshold_set_init(struct threshold_set *t);
void threshold_set_clear(struct threshold_set *t);
void robustness_init(struct robustness *r);
void robustness_clear(struct robustness *r);

/*
 * Fills 'out' with the set of factor values x >= 0 of data item 'item'
 * at which check 'check' (numeric) of the run holds, the other items
 * over their declared ranges and the prior as declared.  'run' must hold
 * a complete Result.  Returns false, with an error on 'd' (exit 3), when
 * the solver fails, the time runs out or an endpoint fails its exact
 * re-check.
 */
bool thresholds_of(const struct result *res, uint32_t check, uint32_t item,
    const struct lp_opts *o, struct threshold_set *out, struct diag *d);

/*
 * Fills 'out' with the robustness radius of check 'check' (numeric):
 * the largest r >= 1 at which it holds with every prior weight off by a
 * factor up to r (SPEC 5.3).  Errors as thresholds_of.
 */
bool robustness_of(const struct result *res, uint32_t check,
    const struct lp_opts *o, struct robustness *out, struct diag *d);

#endif
