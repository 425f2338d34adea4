/*
 * space.c - building the situation space: the stages in their order
 * (layout, the weighed training and deployment sets, the intended
 * behaviour and deployment tables, the atom cache, the observation
 * tables) and the one arena that holds the result.  Each stage lives in
 * its own space_*.c; space_int.h states the representations they share.
 */
#include "space_int.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* Memory                                                             */
/* ------------------------------------------------------------------ */

/* GMP integers stored in an arena: their limbs are heap memory. */
struct mpz_run {
	mpz_ptr z;
	uint64_t n;
};

static void
mpz_run_clear(void *arg)
{
	const struct mpz_run *r = arg;

	for (uint64_t i = 0; i < r->n; i++)
		mpz_clear(r->z + i);
}

void
space_mpz_init(struct arena *a, mpz_ptr z, uint64_t n)
{
	struct mpz_run *r = arena_alloc(a, sizeof *r);

	r->z = z;
	r->n = n;
	for (uint64_t i = 0; i < n; i++)
		mpz_init(z + i);
	arena_defer(a, mpz_run_clear, r);
}

mpz_t *
space_mpz_array(struct arena *a, uint64_t n)
{
	mpz_t *z = arena_array(a, n, sizeof *z);

	/* An mpz_t is an array of one struct: z[i] is (mpz_ptr)z + i. */
	space_mpz_init(a, *z, n);
	return z;
}

/* ------------------------------------------------------------------ */
/* Building                                                           */
/* ------------------------------------------------------------------ */

/* After a stage whose loops poll the deadline: has it passed? */
static bool
expired(struct diag *d, const char *stage)
{
	if (!deadline_expired())
		return false;
	diag_error_file(d, 3, "the time limit (--timeout) was reached while "
	    "%s; raise it or simplify the model", stage);
	return true;
}

bool
space_build(struct space *sp, const struct model *m,
    const struct space_opts *o, struct diag *d)
{
	struct arena pats = { 0 };	/* weight patterns: this build only */
	bool ok;

	memset(sp, 0, sizeof *sp);
	sp->m = m;
	space_mpz_init(&sp->mem, sp->zdeploy, 1);
	space_mpz_init(&sp->mem, sp->ztrain, 1);
	sp->wt = arena_alloc(&sp->mem, sizeof *sp->wt);
	sp->wd = arena_alloc(&sp->mem, sizeof *sp->wd);
	if (!layout_build(sp, o, d))
		return false;
	ok = block_select(sp, &m->training, "training", &sp->train,
	    &sp->train_pos, &sp->ntrain, sp->ztrain, sp->wt, &pats, d);
	ok &= block_select(sp, &m->deployment, "deployment", &sp->deploy,
	    &sp->deploy_pos, &sp->ndeploy, sp->zdeploy, sp->wd, &pats, d);
	ok = ok && !expired(d, "weighing the situations");
	if (m->has_audit && m->audit) {
		sp->audit = guard_in(sp, &sp->mem, m->audit, false);
	} else {
		sp->audit = arena_array(&sp->mem, sp->sw, sizeof *sp->audit);
		if (sp->train)
			memcpy(sp->audit, sp->train, sp->sw * sizeof(uint64_t));
	}
	sp->naudit = bs_count(sp->audit, sp->sw);
	full_counts(sp);
	if (ok && m->has_intended) {
		ok = deploy_intended(sp, d);
		if (ok) {
			deploy_bad(sp, sp->wd);
			ok = !expired(d, "weighing the deployment");
		}
	}
	if (ok)
		atom_cache_build(sp);
	if (ok) {
		sp->obs = arena_array(&sp->mem, m->training.nobs,
		    sizeof *sp->obs);
		for (uint32_t i = 0; i < m->training.nobs &&
		    !deadline_expired(); i++)
			ok &= obs_build(sp, &m->training.obs[i], &sp->obs[i],
			    sp->wt, d);
		ok = ok && !expired(d, "weighing the observations");
	}
	if (ok)
		obs_always_other(sp);
	/* The weight patterns served the totals and the bad-mass terms;
	 * later masses weigh situation by situation. */
	arena_free(&pats);
	sp->wt->npat = 0;
	sp->wd->npat = 0;
	return ok;
}

void
space_free(struct space *sp)
{
	arena_free(&sp->mem);
	memset(sp, 0, sizeof *sp);
}
