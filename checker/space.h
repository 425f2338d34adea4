/*
 * space.h - the situation space of a model and everything the engines
 * precompute over it once: situations in canonical order (first feature
 * most significant), visible classes, guards compiled to bitsets, the
 * training and deployment sets with exact integer weights, the intended
 * behaviour, and per-observation class tables.  After space_build() every
 * question about a policy is bitset algebra over classes.  The fields
 * below are the engines' to read; which of the alternative tables a
 * space holds, and why, is stated once in space_int.h.
 */
#ifndef CHARCHECK_SPACE_H
#define CHARCHECK_SPACE_H

#include <stdbool.h>
#include <stdint.h>

#include <gmp.h>

#include "bitset.h"
#include "model.h"

/*
 * Exact non-negative weights indexed by class (or class x action): machine
 * words when the model's weights provably fit, GMP integers otherwise.
 */
struct csum {
	uint64_t n;
	bool big;
	uint64_t *v;		/* !big: n entries, else NULL */
	mpz_t *z;		/* big: n entries, else NULL */
};

/*
 * Per hidden assignment h, a class bitset (a row): the classes c whose
 * situation hoff[h] + coff(c) is in a set.  A sliced space's witnesses
 * (space_slices.c).
 */
struct slices {
	uint64_t **row;		/* nh rows of cw words, NULL when
				 * empty */
	uint64_t *live;		/* per row, bs_words(cw) words: a bit
				 * per nonzero word of the row */
};

#define SPACE_SLICES 64		/* most hidden assignments sliced */

/*
 * What an observation needs, restricted to the training set.  The
 * per-class tables hold only the classes of 'ce', indexed by rank
 * (obs_rank), so a narrow observation costs little memory.
 */
struct obs_table {
	uint64_t *ce;		/* classes containing one of them */
	uint64_t *rank;		/* per word of ce: set bits before it */
	uint64_t ncls;		/* classes in ce */
	struct csum mass;	/* per ce class: integer T-weight of T & E
				 * (not for 'always': its n is 0) */
	mpz_t total;		/* sum of mass */
	/* Witnesses, sliced: the classes of T & E (of positive weight) per
	 * hidden assignment.  Not sliced: per ce class the first situation
	 * of T & E (with T(s) > 0); NULL when sliced. */
	struct slices all, pos;
	uint64_t *first, *firstpos;
	uint64_t first_any;	/* first situation of T & E */
};

/* The index of class c (in ce) in the observation's tables. */
static inline uint64_t
obs_rank(const struct obs_table *t, uint64_t c)
{
	uint64_t below = t->ce[c / 64] & (((uint64_t)1 << (c % 64)) - 1);

	return t->rank[c / 64] + (uint64_t)__builtin_popcountll(below);
}

/* s -> class and class -> situation offset, as two table lookups:
 * x = hi * split + lo, f(x) = thi[hi] + tlo[lo]. */
struct digits2 {
	uint64_t split;
	uint64_t *thi, *tlo;
};

struct space {
	const struct model *m;
	/* Per feature: the values in the space (lumps of hidden values no
	 * expression tells apart, docs/scale.md), each lump's first value
	 * (NULL: no lumps) and size; the size every lump shares. */
	uint32_t *nv;
	uint32_t **rep;
	uint64_t **lsize;
	uint64_t lumped;
	/* The counts as the model states them: situations, not lumps. */
	struct {
		uint64_t nsit, ntrain, ndeploy, naudit;
	} full;
	uint64_t nsit, ncls;
	size_t sw, cw;		/* words per situation / class bitset */
	uint64_t *stride;	/* per feature: index stride among
				 * situations */
	uint64_t *cstride; /* per feature: stride among classes (0 hidden) */
	struct digits2 cls;	/* situation -> class */
	struct digits2 coff;	/* class -> situation with hidden
				 * digits 0 */
	uint64_t nh;		/* hidden assignments (nsit / ncls) */
	uint64_t *hoff;		/* per hidden assignment: its offset
				 * (sliced) */
	bool sliced;		/* witnesses are slices */
	uint64_t run;	/* classes whose situations are consecutive */
	uint64_t *all_cls;	/* every class */

	uint64_t *train, *train_pos;	/* T, and T with weight > 0 */
	uint64_t *deploy, *deploy_pos;	/* D, and D with weight > 0 */
	uint64_t *audit;		/* A */
	uint64_t ntrain, ndeploy, naudit;

	/* Intended behaviour: per rule, the situations it decides. */
	uint64_t **ifire;		/* nintended situation bitsets */
	mpz_t zdeploy;			/* total integer D-weight */
	mpz_t ztrain;			/* total integer T-weight */
	uint64_t **bad_cls;	/* per action: classes with bad > 0 */
	struct slices *bad_sl;	/* per action: its bad situations
				 * (sliced) */
	/* Per class x action, the integer D-weight of its situations where
	 * the action is not intended, and the first such situation (n == 0
	 * when not built). */
	struct csum bad;
	uint64_t *bad_first;

	struct obs_table *obs;		/* per training observation */
	/* Per action a: the classes of the 'always' observations of other
	 * actions; a piece playing a that misses them breaks none of them. */
	uint64_t **always_other;	/* NULL without 'always' */

	/* Private to space*.c. */
	struct levels *lev;	/* per action: bad mass as popcounts */
	uint32_t **bad_order;	/* per action: classes by first bad
				 * situation (not sliced) */
	uint64_t *nbad_order;
	struct weigher *wt, *wd;	/* weight lines, for later masses */
	struct atom_cache *atoms;	/* characters' guard atoms, compiled */
	struct arena mem;		/* all of the above */
};

struct space_opts {
	uint64_t max_situations;
	bool no_slices;		/* per-class tables even for few hidden
				 * assignments (tests compare the two) */
};

/*
 * Builds the space of 'm' in its own arena, sp->mem.  Reports model
 * errors that need the space (empty sets, zero total weight, uncovered
 * deployment situations, observations matching nothing) to 'd' and
 * resource limits with diag_limit.  Returns false on any error; either
 * way the caller calls space_free.
 */
bool space_build(struct space *sp, const struct model *m,
    const struct space_opts *o, struct diag *d);
/* Releases what space_build made; 'sp' zeroed (or freed) is fine. */
void space_free(struct space *sp);

/*
 * Compiles 'x' to a bitset over classes ('over_classes') or situations.
 * The result is heap memory owned by the caller; space_compile_into
 * writes into the caller's buffer instead.
 */
uint64_t *space_compile(const struct space *sp, const struct expr *x,
    bool over_classes);

/*
 * A guard as a conjunction of compiled class bitsets, each maybe
 * negated: g = AND_k (t[k] ^ flip[k]), bits past ncls to be masked.
 */
#define PLAN_TERMS 8

struct guard_plan {
	uint32_t n;
	const uint64_t *t[PLAN_TERMS];
	uint64_t flip[PLAN_TERMS];	/* 0 or all ones */
	/* Per term, a summary bit per word: set where the term's word can be
	 * nonzero (NULL: anywhere), so a rule skips the words it cannot
	 * fire in. */
	const uint64_t *live[PLAN_TERMS];
};

/*
 * Plans 'x' (NULL: 'otherwise') from the atom cache; false when it is not
 * a conjunction of cached atoms and their negations.
 */
bool space_plan(const struct space *sp, const struct expr *x,
    struct guard_plan *gp);
/* Compiles 'x' into 'out' (cw or sw words). */
void space_compile_into(const struct space *sp, const struct expr *x,
    bool over_classes, uint64_t *out);

/* The situations of T matching observation k's E (heap memory; not
 * kept with the tables: few engines walk them). */
uint64_t *obs_situations(const struct space *sp, uint32_t k);
/* True when situation 's' is one of those. */
bool obs_covers(const struct space *sp, uint32_t k, uint64_t s);

/* out = the training mass of the observation's situations in 'bits'. */
void obs_mass_over(const struct space *sp, const struct obs_table *t,
    const uint64_t *bits, mpz_t out);
/* The first situation of T & E (of positive weight, when 'positive') in
 * a class of 'bits', or BS_NONE. */
uint64_t obs_earliest(const struct space *sp, const struct obs_table *t,
    const uint64_t *bits, bool positive);

/* Digit of feature 'f' in situation 's' (a lump for a lumped feature). */
uint32_t space_digit(const struct space *sp, uint64_t s, uint32_t f);
/* The model's value index of feature 'f' in situation 's' (a lump's
 * first value). */
uint32_t space_value(const struct space *sp, uint64_t s, uint32_t f);
/* Class of situation 's'. */
uint64_t space_class(const struct space *sp, uint64_t s);
/* True when 'x' holds in situation 's'. */
bool space_eval(const struct space *sp, const struct expr *x, uint64_t s);
/* The intended rule of situation 's', or NONE when no rule covers it. */
uint32_t space_intended(const struct space *sp, uint64_t s);

/* "{phase=train, watched=yes}" into 'a'; classes use visible features. */
const char *space_sit_text(const struct space *sp, struct arena *a,
    uint64_t s);
const char *space_cls_text(const struct space *sp, struct arena *a,
    uint64_t c);

/*
 * out = sum of the bad deployment mass of action 'a' over the classes in
 * 'bits' (the integer delta numerator, over zdeploy).
 */
void space_bad_sum(const struct space *sp, uint32_t a, const uint64_t *bits,
    mpz_t out);
/* The first bad situation of 'a' over the classes in 'bits', or BS_NONE. */
uint64_t space_bad_first(const struct space *sp, uint32_t a,
    const uint64_t *bits);

/*
 * Per class, the integer weight of the training ('deploy' false) or
 * deployment situations in 'sits' (NULL: all of them), in the units of
 * ztrain or zdeploy.  Initialises 'out' (free with csum_free).
 */
void space_class_mass(const struct space *sp, bool deploy,
    const uint64_t *sits, struct csum *out);

/* T(s) (deploy false) or D(s): the normalised exact weight of 's'. */
void space_weight(const struct space *sp, bool deploy, uint64_t s, mpq_t out);

void csum_init(struct csum *cs, uint64_t n, bool big);
void csum_free(struct csum *cs);
/* out = sum over the classes c in 'bits' of cs[c * stride + off]. */
void csum_over(const struct csum *cs, uint64_t stride, uint64_t off,
    const uint64_t *bits, size_t nw, mpz_t out);
bool csum_positive(const struct csum *cs, uint64_t i);

#endif
