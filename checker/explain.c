/*
 * explain.c - the engine of 'charcheck explain FILE NAME': why one
 * character, optimizer or family is (in)consistent and whether it
 * diverges.  For a policy: each training observation judged, and per
 * visible class what it plays (and by which rule, or for an optimizer by
 * which scores), with the situations that matter: those an observation
 * constrains, and deployment situations where it leaves the intended
 * behaviour (every training, deployment and audit situation with --all).
 * A family's cells are already in its entity result.  Fills a struct
 * explain_result (explain.h); report_explain.c prints it.
 */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "optimizer.h"

uint32_t
explain_find(const struct model *m, const char *file, const char *name,
    struct diag *d)
{
	for (uint32_t i = m->nentities; i-- > 0;)
		if (!strcmp(m->entities[i].name, name))
			return i;
	const char **names = xcalloc(m->nentities + 1, sizeof *names);
	for (uint32_t i = 0; i < m->nentities; i++)
		names[i] = m->entities[i].name;
	suggest_no_such(d, file, "character, family or optimizer", name,
	    names, m->nentities, "");
	free(names);
	return NONE;
}

/* What the steps read: the run's model and space, the entity's policy. */
struct ex {
	const struct model *m;
	const struct space *sp;
	const struct entity *e;
	const struct entity_result *er;
	const struct policy *p;
	const struct scores *sc;	/* optimizers: U and P, else NULL */
	struct explain_result *out;
};

/* Observations: which hold, their factors, the refuting one. */
static void
observations(const struct ex *x)
{
	const struct model *m = x->m;

	x->out->obs = xcalloc(m->training.nobs + 1, sizeof *x->out->obs);
	for (uint32_t k = 0; k < m->training.nobs; k++) {
		struct explain_obs *ob = &x->out->obs[k];
		ob->o = &m->training.obs[k];
		ob->w = (struct refutation){ BS_NONE, NONE, NONE, BS_NONE,
		    NONE };
		mpq_init(ob->factor);
		mpq_set_ui(ob->factor, 1, 1);
		ob->holds = policy_observe(x->p, x->sp, k, ob->factor, &ob->w);
		if (!ob->holds)
			mpq_set_ui(ob->factor, 0, 1);
	}
}

/* The rule of a character that fires at situation s. */
static uint32_t
rule_of(const struct ex *x, uint64_t s)
{
	for (uint32_t r = 0; r < x->e->nrules; r++)
		if (!x->e->rules[r].guard ||
		    space_eval(x->sp, x->e->rules[r].guard, s))
			return r;
	return NONE;
}

/* A non-intended action of positive probability at s, or NONE. */
static uint32_t
deviates(const struct ex *x, uint64_t s)
{
	uint32_t rule = space_intended(x->sp, s);
	mpq_t q;
	uint32_t bad = NONE;

	if (rule == NONE)
		return NONE;
	mpq_init(q);
	for (uint32_t a = 0; a < x->m->nactions && bad == NONE; a++) {
		if (x->m->intended[rule].accept[a])
			continue;
		policy_prob(x->p, space_class(x->sp, s), a, q);
		if (mpq_sgn(q) > 0)
			bad = a;
	}
	mpq_clear(q);
	return bad;
}

/* Appends the observations that constrain s to out->cover; how many. */
static uint32_t
cover_of(const struct ex *x, uint64_t s)
{
	struct explain_result *out = x->out;
	uint32_t n = 0;

	for (uint32_t k = 0; k < x->m->training.nobs; k++) {
		if (!obs_covers(x->sp, k, s))
			continue;
		if (out->ncover == out->cap_cover) {
			out->cap_cover = out->cap_cover ? 2 * out->cap_cover :
			    16;
			out->cover = xreallocarray(out->cover, out->cap_cover,
			    sizeof *out->cover);
		}
		out->cover[out->ncover++] = k;
		n++;
	}
	return n;
}

/* Optimizers: each action's utility, penalty and score U - h*P in class
 * c at the optimizer's horizon (SPEC 4.7), exactly. */
static void
class_scores(const struct ex *x, struct explain_class *row)
{
	uint32_t na = x->m->nactions;

	row->u = rationals_new(na);
	row->p = rationals_new(na);
	row->score = rationals_new(na);
	for (uint32_t a = 0; a < na; a++) {
		optimizer_score(x->sc, row->cls, a, row->u[a], row->p[a]);
		mpq_mul(row->score[a], row->p[a], x->e->horizon);
		mpq_sub(row->score[a], row->u[a], row->score[a]);
	}
}

/* A new row for class c, whose first situation shown is s. */
static struct explain_class *
class_row(const struct ex *x, uint64_t c, uint64_t s)
{
	struct explain_result *out = x->out;
	struct explain_class *row;

	if (out->ncls == out->cap_cls) {
		out->cap_cls = out->cap_cls ? 2 * out->cap_cls : 16;
		out->cls = xreallocarray(out->cls, out->cap_cls,
		    sizeof *out->cls);
	}
	row = &out->cls[out->ncls++];
	*row = (struct explain_class){ .cls = c, .first = s, .rule = NONE };
	if (x->e->kind == ENT_CHARACTER)
		row->rule = rule_of(x, s);
	row->prob = rationals_new(x->m->nactions);
	for (uint32_t a = 0; a < x->m->nactions; a++)
		policy_prob(x->p, c, a, row->prob[a]);
	if (x->sc)
		class_scores(x, row);
	return row;
}

/* Situation s under 'row', when it matters (or with --all, is in T, D
 * or A); 'dev' is a deviation there or NONE. */
static void
add_sit(const struct ex *x, struct explain_class *row, uint64_t s,
    uint32_t dev, uint32_t cover)
{
	const struct space *sp = x->sp;
	const struct entity_result *er = x->er;
	struct explain_sit *t;

	if (row->nsits == row->capsits) {
		row->capsits = row->capsits ? 2 * row->capsits : 4;
		row->sits = xreallocarray(row->sits, row->capsits,
		    sizeof *row->sits);
	}
	t = &row->sits[row->nsits++];
	*t = (struct explain_sit){
		.sit = s, .in_t = bs_test(sp->train, s),
		.in_d = bs_test(sp->deploy, s),
		.intended = space_intended(sp, s), .cover = cover,
		.ncover = (uint32_t)(x->out->ncover - cover),
	};
	mpq_inits(t->tw, t->dw, NULL);
	space_weight(sp, false, s, t->tw);
	space_weight(sp, true, s, t->dw);
	/* What it plays there: the refutation's or the witness's action
	 * where it is one, else the deviation. */
	if (s == er->refutation.sit) {
		t->status = EX_REFUTES;
		t->shows = er->refutation.action;
	} else if (s == er->witness.sit) {
		t->status = EX_WITNESS;
		t->shows = er->witness.action;
	} else {
		t->status = dev != NONE ? EX_DIVERGES : EX_OK;
		t->shows = dev;
	}
}

/*
 * Whether situation s is shown: one an observation constrains, a
 * deviation at positive-weight deployment or the witness or refutation;
 * with --all, any training, deployment or audit situation.  Its
 * deviation goes to *dev, the observations that constrain it to
 * out->cover from *cover on (dropped when it is not shown).
 */
static bool
shown(const struct ex *x, uint64_t s, uint32_t *dev, uint32_t *cover)
{
	const struct space *sp = x->sp;
	bool in_d = bs_test(sp->deploy, s);
	bool wit = s == x->er->witness.sit || s == x->er->refutation.sit;

	*cover = (uint32_t)x->out->ncover;
	bool obs = cover_of(x, s) > 0;
	*dev = in_d && bs_test(sp->deploy_pos, s) ? deviates(x, s) : NONE;
	if (x->out->all ? bs_test(sp->train, s) || in_d ||
	    bs_test(sp->audit, s) : obs || *dev != NONE || wit)
		return true;
	x->out->ncover = *cover;
	return false;
}

/*
 * Per visible class, the situations shown, in order: each class's
 * situations chained (next[s], the class's next situation), so that a
 * class visits its own and no other (a scan from its first situation to
 * the end was quadratic: 4.5 s at 2^16 classes, over a minute at 2^18).
 */
static void
classes(const struct ex *x)
{
	const struct space *sp = x->sp;
	uint64_t *first = xreallocarray(NULL, sp->ncls, sizeof *first);
	uint64_t *next = xreallocarray(NULL, sp->nsit, sizeof *next);
	uint64_t none = UINT64_MAX;

	memset(first, 0xff, sp->ncls * sizeof *first);
	for (uint64_t s = sp->nsit; s-- > 0;) {
		uint64_t c = space_class(sp, s);
		next[s] = first[c];
		first[c] = s;
	}
	for (uint64_t c = 0; c < sp->ncls; c++) {
		struct explain_class *row = NULL;
		for (uint64_t s = first[c]; s != none; s = next[s]) {
			uint32_t dev, cover;
			if (!shown(x, s, &dev, &cover))
				continue;
			if (!row)
				row = class_row(x, c, s);
			add_sit(x, row, s, dev, cover);
		}
	}
	free(first);
	free(next);
}

void
explain_run(struct explain_result *out, const struct result *res, uint32_t ent,
    bool all)
{
	const struct entity *e = &res->m->entities[ent];
	struct ex x = {
		.m = res->m, .sp = res->sp, .e = e, .er = &res->ents[ent],
		.out = out,
	};
	struct policy p = { 0 };
	struct opt_ctx ctx;
	struct scores *sc = NULL;

	*out = (struct explain_result){
		.m = res->m, .sp = res->sp, .e = e, .er = x.er, .all = all,
	};
	for (uint32_t f = 0; f < res->m->nfeatures; f++)
		out->lumps |= res->sp->rep[f] != NULL;
	if (e->kind == ENT_FAMILY)
		return;
	if (e->kind == ENT_CHARACTER) {
		struct diag quiet;
		diag_init(&quiet, res->m->arena, res->m->src);
		policy_from_rules(&p, res->sp, e, &quiet);
		diag_fini(&quiet);
	} else {
		opt_ctx_init(&ctx, res->sp);
		x.sc = sc = optimizer_scores(&ctx, e);
		optimizer_policy_at(sc, e->horizon, &p);
	}
	x.p = &p;
	observations(&x);
	classes(&x);
	policy_free(&p);
	if (sc) {
		optimizer_scores_free(sc);
		opt_ctx_free(&ctx);
	}
}

void
explain_result_free(struct explain_result *xr)
{
	uint32_t na = xr->m->nactions;

	for (uint32_t k = 0; xr->obs && k < xr->m->training.nobs; k++)
		mpq_clear(xr->obs[k].factor);
	free(xr->obs);
	for (uint64_t c = 0; c < xr->ncls; c++) {
		struct explain_class *row = &xr->cls[c];
		rationals_free(row->prob, na);
		rationals_free(row->u, na);
		rationals_free(row->p, na);
		rationals_free(row->score, na);
		for (uint32_t i = 0; i < row->nsits; i++)
			mpq_clears(row->sits[i].tw, row->sits[i].dw, NULL);
		free(row->sits);
	}
	free(xr->cls);
	free(xr->cover);
}
