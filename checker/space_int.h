/*
 * space_int.h - private to checker/space*.c: the representations the
 * situation space switches between, and the calls its files make to each
 * other.  space.h is the contract the engines read; this is how it is
 * kept.  The build (space.c) runs the files in the order listed below.
 *
 * Memory.  Everything space_build keeps is in sp->mem, GMP integers
 * included (space_mpz_init has arena_free clear them), so space_free is
 * one arena_free.  An arena (like xmalloc) takes a size of 0, so no count
 * here needs a "+ 1" or "n ? n : 1".  Buffers dropped during the build
 * are heap memory or a scratch arena of their own, never sp->mem, which
 * would keep them to the end.  A heap buffer known to be kept only once
 * filled (a slice row, a level's class set) is handed to the arena as it
 * is, with arena_defer(a, free, p).  space_compile and obs_situations
 * return heap memory for their callers.
 *
 * Six representation switches, each decided once in space_build:
 *
 * 1. Lumps (space_layout.c).  Hidden values that no expression of the
 *    model tells apart are lumped.  rep[f] == NULL: feature f is not
 *    lumped and nv[f] is its value count; else nv[f] lumps, lump l
 *    standing for its first value rep[f][l] and for lsize[f][l] values.
 *    Lumps keep the order of their first values, so "first situation"
 *    means the same over lumps as over values.  Where every lump of f
 *    has one size, the size is a factor of 'lumped', shared by every
 *    situation.  Where sizes differ (lump_uneven), each weigher carries
 *    one extra line per lump of size > 1, so a situation weighs for all
 *    the situations it stands for.
 *
 * 2. Sliced or not (space_layout.c).  sliced == nh <= SPACE_SLICES (and
 *    not no_slices, which tests set).  Sliced: hoff[] is set, witnesses
 *    are struct slices (bad_sl, each obs_table's all and pos), and
 *    bad_order[a] and obs_table.first/firstpos are NULL.  Not sliced:
 *    hoff and bad_sl are NULL, the slices empty, and witnesses are
 *    per-class tables (bad_first in bad_order's order, obs_table's
 *    first/firstpos).  The witness functions test those pointers, not
 *    'sliced'.  A slices row that would be empty is NULL; pos.row ==
 *    all.row when every T & E situation weighs.
 *
 * 3. Words or GMP (space_weigh.c).  A weigher is !big when every line's
 *    p and q fit 62 bits and the product bound times nsit stays under
 *    2^63: then every sum of situation weights is a uint64_t, and sums
 *    of those are taken in 128 bits.  Else big, and weights are mpz.
 *    Each csum the space builds takes its weigher's 'big'; its other
 *    array is NULL.
 *
 * 4. Weight patterns (space_weigh.c).  A weigher with npat != 0 (!big,
 *    at most WEIGHER_PATTERN_LINES lines) holds for each of the 2^n
 *    patterns of matched lines its situations and weight, so the mass of
 *    a set is a sum of popcounts.  The patterns live in a scratch arena
 *    for the build alone: space_build ends with npat == 0, and later
 *    masses weigh situation by situation.
 *
 * 5. Levels or per-class tables (space_deploy.c).  lev[a] sums the bad
 *    mass of action a as popcounts (struct levels); lev[a].n ==
 *    LEVELS_NONE means there were too many terms (or GMP weights) and
 *    space_bad_sum reads the per-class table 'bad'.  The tables bad,
 *    bad_first (and, not sliced, bad_order) are built when the space is
 *    not sliced, has no deployment patterns, has a family (family.c
 *    reads them) or some action's sliced levels failed; otherwise
 *    bad.n == 0.  Without 'intended' none of this exists (NULL).
 *
 * 6. The atom cache (space_guard.c).  The class bitsets of the distinct
 *    visible atoms in the characters' guards, built after the deployment
 *    tables and before the observation tables.  Only compiles over
 *    classes read it, and an atom missing from it (more than 64 values,
 *    past ATOM_CACHE_BYTES) is compiled afresh, so it changes speed,
 *    never a result.
 */
#ifndef CHARCHECK_SPACE_INT_H
#define CHARCHECK_SPACE_INT_H

#include "space.h"

#include "deadline.h"

/* GCC and Clang: exact 128-bit sums of 64-bit weights. */
__extension__ typedef unsigned __int128 u128;

/* ---- space.c: memory and deadline ---------------------------------- */

/*
 * Initialises the 'n' integers at 'z' (memory of 'a', or of the space
 * itself), to be cleared when 'a' is freed.
 */
void space_mpz_init(struct arena *a, mpz_ptr z, uint64_t n);
/* 'n' initialised integers in 'a', cleared when 'a' is freed. */
mpz_t *space_mpz_array(struct arena *a, uint64_t n);

/*
 * --timeout inside the per-situation loops: every 64th call asks the
 * deadline, so a loop that weighs millions of situations against
 * thousands of weight lines stops within a fraction of a second.  The
 * loop breaks off; space_build() then reports the limit.  Only in
 * space_build's own stages: a mass cut short elsewhere could reach a
 * report.
 */
static inline bool
stop_now(uint32_t *tick)
{
	return (++*tick & 63) == 0 && deadline_expired();
}

static inline void
u128_to_mpz(mpz_t z, u128 v)
{
	mpz_set_ui(z, (unsigned long)(uint64_t)(v >> 64));
	mpz_mul_2exp(z, z, 64);
	mpz_add_ui(z, z, (unsigned long)(uint64_t)v);
}

/* ---- space_layout.c: indices and lumps ----------------------------- */

/* Lumps, situation count, strides and class maps; false (with a limit
 * error) when the space is too big. */
bool layout_build(struct space *sp, const struct space_opts *o,
    struct diag *d);
/* True when the lumps of 'f' differ in size: weights carry their sizes. */
bool lump_uneven(const struct space *sp, uint32_t f);

static inline uint64_t
digits2_at(const struct digits2 *t, uint64_t x)
{
	return t->thi[x / t->split] + t->tlo[x % t->split];
}

/* space_digit, space_value and space_class, inline for the build's
 * per-situation loops. */
static inline uint32_t
digit_of(const struct space *sp, uint64_t s, uint32_t f)
{
	return (uint32_t)((s / sp->stride[f]) % sp->nv[f]);
}

static inline uint32_t
value_of(const struct space *sp, uint64_t s, uint32_t f)
{
	uint32_t d = digit_of(sp, s, f);

	return sp->rep[f] ? sp->rep[f][d] : d;
}

static inline uint64_t
class_of(const struct space *sp, uint64_t s)
{
	return digits2_at(&sp->cls, s);
}

/* ---- space_guard.c: guards as bitsets and the atom cache ----------- */

/*
 * The class bitset of every distinct atom (feature, allowed values) in the
 * characters' guards, compiled once before the characters are judged, so
 * a rule's guard is a few word-wise ANDs.  Behind each bitset, two word
 * summaries (a bit per word): its nonzero words, and its words that are
 * not all ones (the nonzero words of its negation).  Open addressing;
 * features of more than 64 values and atoms past the memory cap are not
 * cached.
 */
struct atom_cache {
	uint32_t cap;		/* slots, a power of two */
	uint32_t n;
	uint32_t *feature;
	uint64_t *mask;		/* allowed values; 0 = empty slot */
	uint64_t **bits;	/* cw + 2 * bs_words(cw) words */
};

#define ATOM_CACHE_BYTES ((uint64_t)64 << 20)	/* of class bitsets */

/* An atom's bitset over 'n' positions, its digit of stride 'stride'
 * taking 'size' values. */
void atom_fill(uint64_t *b, uint64_t n, uint64_t stride, uint32_t size,
    const bool *allowed);
/* 'x' compiled over classes or situations into 'a'. */
uint64_t *guard_in(const struct space *sp, struct arena *a,
    const struct expr *x, bool over_cls);
/* sp->atoms, from the characters' guards (switch 6). */
void atom_cache_build(struct space *sp);

/* ---- space_weigh.c: exact weights ---------------------------------- */

/* A csum of 'n' zeros in 'a', like csum_init (never csum_free it). */
void space_csum(struct arena *a, struct csum *cs, uint64_t n, bool big);

#define WEIGHER_PATTERN_LINES 4

/*
 * A block's weight lines, ready to weigh one situation, and (few lines,
 * machine words) the situations of each pattern of matched lines with
 * that pattern's weight, so that the weight of a set is a sum of
 * popcounts.
 */
struct weigher {
	uint32_t n;
	uint64_t **bits;	/* situations each line matches */
	bool big;
	uint64_t *p, *q;	/* !big */
	mpz_t *pz, *qz;		/* big */
	uint32_t npat;		/* 2^n patterns, or 0 */
	uint64_t *pat[1u << WEIGHER_PATTERN_LINES];	/* situations of
							 * pattern k */
	uint64_t pval[1u << WEIGHER_PATTERN_LINES];	/* their weight */
};

/*
 * The block's weight lines ('b' NULL: none) and lump lines into 'lines',
 * the patterns (when it has them) into 'pats'.
 */
void weigher_init(struct weigher *w, const struct space *sp,
    const struct block *b, struct arena *lines, struct arena *pats);
/* The integer weight of situation 's': in a word (!big) or in 'out'. */
uint64_t weigh_u64(const struct weigher *w, uint64_t s);
void weigh_mpz(const struct weigher *w, uint64_t s, mpz_t out);
/* total = the weight of 'set'; pos (unless NULL) = its situations of
 * positive weight.  Polls the deadline (stop_now). */
void weigh_set(const struct space *sp, const struct weigher *w,
    const uint64_t *set, uint64_t *pos, mpz_t total);
/*
 * The training or deployment set of block 'b' ('what' names it in
 * errors) with its count, positive part and total weight, and its
 * weigher 'w'; false (with an error to 'd') when it is empty or weighs 0.
 */
bool block_select(struct space *sp, const struct block *b,
    const char *what, uint64_t **set, uint64_t **pos, uint64_t *count,
    mpz_t total, struct weigher *w, struct arena *pats, struct diag *d);
/* The full.* counts, from the training, deployment and audit sets. */
void full_counts(struct space *sp);

/* ---- space_slices.c: class bitsets per hidden assignment ----------- */

/* sl = the classes with situations in 'sits', per hidden assignment;
 * rows and summaries in 'a'. */
void slices_gather(const struct space *sp, struct arena *a,
    const uint64_t *sits, struct slices *sl);
/* out = the classes of every row. */
void slices_union(const struct space *sp, const struct slices *sl,
    uint64_t *out);
/* The first situation of 'sl' in a class of 'bits', or BS_NONE. */
uint64_t slices_first(const struct space *sp, const struct slices *sl,
    const uint64_t *bits);

/* ---- space_deploy.c: intended behaviour and bad mass --------------- */

/* sp->ifire; false (with an error to 'd') when a deployment situation
 * has no intended rule. */
bool deploy_intended(struct space *sp, struct diag *d);
/* bad_cls, lev and the witnesses, weighed by the deployment's 'w'. */
void deploy_bad(struct space *sp, struct weigher *w);

/* ---- space_obs.c: observation tables ------------------------------- */

/* The table 't' of training observation 'o', weighed by the training's
 * 'w'; false (with an error to 'd') when it matches nothing of weight. */
bool obs_build(struct space *sp, const struct observation *o,
    struct obs_table *t, struct weigher *w, struct diag *d);
/* sp->always_other, from the observation tables. */
void obs_always_other(struct space *sp);

#endif
