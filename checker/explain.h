/*
 * explain.h - 'charcheck explain FILE NAME': why one character, optimizer
 * or family is (in)consistent and whether it diverges.  explain.c
 * computes a struct explain_result from a checked run; report_explain.c
 * prints it as text or JSON and computes nothing; cmd_explain.c ties them
 * to the command line.
 */
#ifndef CHARCHECK_EXPLAIN_H
#define CHARCHECK_EXPLAIN_H

#include <stdio.h>

#include "result.h"

/* A training observation judged against the entity's policy. */
struct explain_obs {
	const struct observation *o;
	bool holds;
	mpq_t factor;		/* its likelihood factor; 0 when it
				 * refutes */
	struct refutation w;	/* where and how it refutes (sit BS_NONE
				 * when it holds) */
};

/* What a situation shown under its class is. */
enum explain_status { EX_OK, EX_DIVERGES, EX_WITNESS, EX_REFUTES };

/* A situation shown under its class: its weights, what is intended and
 * observed there and what the policy does. */
struct explain_sit {
	uint64_t sit;
	bool in_t, in_d;	/* in training (deployment) */
	mpq_t tw, dw;		/* its training and deployment weights */
	uint32_t intended;	/* the intended rule there, or NONE */
	uint32_t cover, ncover;	/* the observations that constrain it:
				 * explain_result.cover[cover ..+ ncover] */
	enum explain_status status;
	uint32_t shows;		/* the action played that makes it
				 * refute, witness or diverge, or NONE */
};

/* A visible class with a situation to show. */
struct explain_class {
	uint64_t cls;
	uint64_t first;		/* the first situation shown */
	uint32_t rule;		/* characters: the rule that fires at
				 * 'first', else NONE */
	mpq_t *prob;		/* nactions: what the policy plays */
	mpq_t *u, *p, *score;	/* optimizers, nactions each: utility,
				 * penalty and U - h*P; else NULL */
	struct explain_sit *sits;	/* nsits, heap */
	uint32_t nsits, capsits;
};

/*
 * What explain shows about entity 'e'.  The model, space, entity and its
 * entity result are the run's (read only, they must outlive this); the
 * rest is the result's own.  A family has no observations or classes:
 * its cells are in 'er'.
 */
struct explain_result {
	const struct model *m;
	const struct space *sp;
	const struct entity *e;
	const struct entity_result *er;
	bool all;		/* every training, deployment and audit
				 * situation, not just those that matter */
	bool lumps;		/* situations differing only in hidden values
				 * no expression tells apart are shown once */
	struct explain_obs *obs;	/* m->training.nobs, heap */
	struct explain_class *cls;	/* ncls classes shown, heap */
	uint64_t ncls;
	uint32_t *cover;	/* observation indices, see explain_sit */
	size_t ncover, cap_cover;
	size_t cap_cls;
};

/*
 * The index of the entity called 'name' in 'm' (read from 'file'), or
 * NONE with an error on 'd' (exit 2) naming the entities there are and
 * the closest one.
 */
uint32_t explain_find(const struct model *m, const char *file,
    const char *name, struct diag *d);

/*
 * Fills 'out' for entity 'ent' of the checked Result 'res': its
 * observations and, per visible class, what it plays and the situations
 * that matter there (every training, deployment and audit
 * situation when 'all').  Free with explain_result_free.
 */
void explain_run(struct explain_result *out, const struct result *res,
    uint32_t ent, bool all);
void explain_result_free(struct explain_result *xr);

#endif
