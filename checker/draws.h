/*
 * draws.h - likelihoods of counted draws kept unexpanded (check_opts.lazy;
 * docs/scale.md, "Counted draws at scale").  After the entities are
 * judged, their likelihoods become exponent vectors over one coprime base
 * (lang/bigq.h); those too long to write out stay so in the Result, and so
 * does a point posterior over them.  Everything else gets them expanded.
 */
#ifndef CHARCHECK_DRAWS_H
#define CHARCHECK_DRAWS_H

#include "lp.h"
#include "result.h"

/*
 * Every consistent entity's likelihood over r->base (lik_e), written out
 * into 'likelihood' when short, else as lik_big; its log either way.  Does
 * nothing (r->base stays NULL) when no entity listed count factors.
 */
void draws_likelihoods(struct result *r);

/*
 * The posterior range of sum w f L x / sum w f L ('x' per entity) into
 * 'out' when the likelihoods are unexpanded and the weights are points,
 * or a box without constraints whose consistent entities' lower ends
 * are positive (and no --exact in 'o'): the data factors at the vertices
 * of their box, as posterior_range does, and over a weight box the ends
 * found by Dinkelbach's iteration.  Exact, each end as out->lo_big or
 * out->hi_big when too long to write out.  Returns false otherwise (an
 * LP is needed), with every likelihood expanded for the general way.
 */
bool draws_point(struct result *r, mpq_t *x, const struct lp_opts *o,
    struct interval *out);

/* Whether the interval is one point (exactly, either form). */
bool draws_is_point(const struct interval *iv);

/* The sign of L_i - L_j (both consistent), exactly, either form. */
int draws_cmp(const struct result *r, uint32_t i, uint32_t j);

/* Writes every unexpanded likelihood out into 'likelihood'. */
void draws_expand(struct result *r);

/* Whether entities i and j (both consistent) have equal likelihoods. */
bool draws_same(const struct result *r, uint32_t i, uint32_t j);

/* Frees the base, the exponent vectors and every unexpanded number. */
void draws_free(struct result *r);

#endif
