/*
 * explain.c - 'charcheck explain FILE NAME': why one character, optimizer
 * or family is (in)consistent and whether it diverges.  For a policy, one
 * row per visible class: what it plays there (and by which rule), and
 * under it the situations that matter: those an observation constrains,
 * and deployment situations where it leaves the intended behaviour
 * (every training, deployment and audit situation with --all).  For a
 * family, one row per cell: the actions training leaves and which diverge.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "optimizer.h"
#include "report.h"

static const char *const kind_word[] = { "character", "family", "optimizer" };

struct ex {
	struct run *run;
	const struct model *m;
	const struct space *sp;
	const struct entity *e;
	const struct entity_result *er;
	const struct policy *p;
	bool all;
	struct arena a;		/* situation texts */
	struct json_object *json;	/* the JSON report, or NULL for text */
	const struct scores *sc;	/* optimizers: U and P, else NULL */
};

static void
qtext(char *buf, size_t len, mpq_srcptr q)
{
	char *s = mpq_get_str(NULL, 10, q);
	snprintf(buf, len, "%s", s);
	free(s);
}

/*
 * A likelihood factor: six significant digits (through GMP's floats, so a
 * factor below the smallest double still prints), then the fraction when
 * it is short enough to read, as the check report does.
 */
static void
factor_text(char *buf, size_t len, mpq_srcptr q)
{
	mpf_t f;

	mpf_init2(f, 128);
	mpf_set_q(f, q);
	gmp_snprintf(buf, len, "%.6Fg", f);
	mpf_clear(f);
	if (mpz_cmp_ui(mpq_denref(q), 1) != 0 &&
	    mpz_sizeinbase(mpq_numref(q), 10) <= 12 &&
	    mpz_sizeinbase(mpq_denref(q), 10) <= 12) {
		size_t n = strlen(buf);
		gmp_snprintf(buf + n, len - n, " (= %Qd)", q);
	}
}

static struct json_object *
jsit(const struct space *sp, uint64_t s)
{
	const struct model *m = sp->m;
	struct json_object *o = json_object_new_object();

	for (uint32_t f = 0; f < m->nfeatures; f++)
		json_object_object_add(o, m->features[f].name,
		    json_object_new_string(
		    m->features[f].values[space_value(sp, s, f)]));
	return o;
}

/* The visible features of situation s: its class. */
static struct json_object *
jclass(const struct space *sp, uint64_t s)
{
	const struct model *m = sp->m;
	struct json_object *o = json_object_new_object();

	for (uint32_t f = 0; f < m->nfeatures; f++)
		if (m->features[f].visible)
			json_object_object_add(o, m->features[f].name,
			    json_object_new_string(
			    m->features[f].values[space_value(sp, s, f)]));
	return o;
}

/* The actions intended rule 'rule' accepts, as a JSON array; NULL when
 * 'rule' is NONE (no intended rule covers the situation). */
static struct json_object *
jintended(const struct model *m, uint32_t rule)
{
	if (rule == NONE)
		return NULL;
	struct json_object *acc = json_object_new_array();
	for (uint32_t a = 0; a < m->nactions; a++)
		if (m->intended[rule].accept[a])
			json_object_array_add(acc,
			    json_object_new_string(m->actions[a].name));
	return acc;
}

static struct json_object *
jq(mpq_srcptr q)
{
	char buf[32];
	double d = rational_get_d(q);
	return json_object_new_double_s(d, report_double(buf, d));
}

static uint32_t
line_of(const struct model *m, struct srcloc loc)
{
	uint32_t line, col;

	source_linecol(m->src, loc.off, &line, &col);
	return line;
}

/* The rule of a character that fires in class c (its first situation). */
static uint32_t
rule_of(const struct ex *x, uint64_t s)
{
	for (uint32_t r = 0; r < x->e->nrules; r++)
		if (!x->e->rules[r].guard ||
		    space_eval(x->sp, x->e->rules[r].guard, s))
			return r;
	return NONE;
}

/* Observations: which hold, their factors, the refuting one. */
static void
observations(struct ex *x)
{
	const struct model *m = x->m;
	struct json_object *arr = x->json ? json_object_new_array() : NULL;
	mpq_t f;

	mpq_init(f);
	if (!x->json && m->training.nobs)
		puts("\nTraining observations");
	for (uint32_t k = 0; k < m->training.nobs; k++) {
		const struct observation *o = &m->training.obs[k];
		struct refutation w = { BS_NONE, NONE, NONE, BS_NONE, NONE };
		mpq_set_ui(f, 1, 1);
		bool holds = policy_observe(x->p, x->sp, k, f, &w);
		if (!holds)
			mpq_set_ui(f, 0, 1);
		if (x->json) {
			struct json_object *j = json_object_new_object();
			json_object_object_add(j, "line",
			    json_object_new_int64(o->line));
			json_object_object_add(j, "holds",
			    json_object_new_boolean(holds));
			json_object_object_add(j, "factor", jq(f));
			json_object_object_add(j, "situation", w.sit ==
			    BS_NONE ? NULL : jsit(x->sp, w.sit));
			json_object_object_add(j, "action", w.action == NONE ?
			    NULL : json_object_new_string(
			    m->actions[w.action].name));
			json_object_array_add(arr, j);
			continue;
		}
		char buf[96];
		factor_text(buf, sizeof buf, f);
		printf("  line %-4u %s", o->line, holds ? "holds" : "REFUTES");
		if (o->kind == EVID_COUNTS && holds)
			printf(", likelihood factor %s", buf);
		if (!holds)
			printf(": %s", report_refutation_words(&x->a, x->sp, o,
			    &w));
		putchar('\n');
	}
	if (arr)
		json_object_object_add(x->json, "observations", arr);
	mpq_clear(f);
}

/* The observations (lines) that constrain situation s, as text. */
static void
observed_at(struct ex *x, uint64_t s, char *buf, size_t len)
{
	const struct model *m = x->m;
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t k = 0; k < m->training.nobs && n < len; k++) {
		if (!obs_covers(x->sp, k, s))
			continue;
		const struct observation *o = &m->training.obs[k];
		const char *what = o->kind == EVID_ALWAYS ? "always" :
		    o->kind == EVID_COUNTS ? "counts" :
		    o->kind == EVID_AT_LEAST ? "at least" : "at most";
		n += (size_t)snprintf(buf + n, len - n, "%sobserved (line %u, "
		    "%s%s%s)", n ? "; " : "", o->line, what,
		    o->kind == EVID_COUNTS ? "" : " ", o->kind == EVID_COUNTS ?
		    "" : report_outcome_text(&x->a, m, &o->out));
	}
}

/* What the policy plays in class c: "comply" or "{refuse: 1/2, ...}". */
static void
plays(const struct ex *x, uint64_t c, char *buf, size_t len,
    struct json_object **j)
{
	const struct model *m = x->m;
	size_t n = 0;
	uint32_t npos = 0, last = NONE;
	mpq_t q;

	mpq_init(q);
	if (j)
		*j = json_object_new_object();
	for (uint32_t a = 0; a < m->nactions; a++) {
		policy_prob(x->p, c, a, q);
		if (mpq_sgn(q) == 0)
			continue;
		npos++;
		last = a;
		if (j)
			json_object_object_add(*j, m->actions[a].name, jq(q));
	}
	if (npos == 1) {
		snprintf(buf, len, "%s", m->actions[last].name);
	} else {
		n += (size_t)snprintf(buf, len, "{");
		for (uint32_t a = 0; a < m->nactions && n < len; a++) {
			policy_prob(x->p, c, a, q);
			if (mpq_sgn(q) == 0)
				continue;
			char t[64];
			qtext(t, sizeof t, q);
			n += (size_t)snprintf(buf + n, len - n, "%s%s: %s",
			    n > 1 ? ", " : "", m->actions[a].name, t);
		}
		if (n < len)
			snprintf(buf + n, len - n, "}");
	}
	mpq_clear(q);
}

/* Whether a non-intended action has positive probability at s. */
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

/* The JSON of score_rows: per action, utility, penalty and score. */
static struct json_object *
jscores(struct ex *x, uint64_t c)
{
	struct json_object *arr = json_object_new_array();
	mpq_t u, p, s;

	mpq_inits(u, p, s, NULL);
	for (uint32_t a = 0; a < x->m->nactions; a++) {
		struct json_object *o = json_object_new_object();
		optimizer_score(x->sc, c, a, u, p);
		mpq_mul(s, p, x->e->horizon);
		mpq_sub(s, u, s);
		json_object_object_add(o, "action",
		    json_object_new_string(x->m->actions[a].name));
		json_object_object_add(o, "utility", jq(u));
		json_object_object_add(o, "penalty", jq(p));
		json_object_object_add(o, "score", jq(s));
		json_object_array_add(arr, o);
	}
	mpq_clears(u, p, s, NULL);
	return arr;
}

/*
 * Optimizers: why the class plays what it plays, the score U - h*P of
 * every action at the optimizer's horizon (SPEC 4.7), exactly.
 */
static void
score_rows(struct ex *x, uint64_t c)
{
	const struct model *m = x->m;
	mpq_t u, p, s;
	char hb[64], ub[64], pb[64], sb[64];
	int w = 0;

	mpq_inits(u, p, s, NULL);
	for (uint32_t a = 0; a < m->nactions; a++)
		if ((int)strlen(m->actions[a].name) > w)
			w = (int)strlen(m->actions[a].name);
	qtext(hb, sizeof hb, x->e->horizon);
	for (uint32_t a = 0; a < m->nactions; a++) {
		optimizer_score(x->sc, c, a, u, p);
		mpq_mul(s, p, x->e->horizon);
		mpq_sub(s, u, s);
		qtext(ub, sizeof ub, u);
		qtext(pb, sizeof pb, p);
		qtext(sb, sizeof sb, s);
		printf("    %-9s%-*s  %s - %s*%s = %s\n", a ? "" : "U - h*P:",
		    w, m->actions[a].name, ub, hb, pb, sb);
	}
	mpq_clears(u, p, s, NULL);
}

static void
policy_rows(struct ex *x)
{
	const struct model *m = x->m;
	const struct space *sp = x->sp;
	struct json_object *rows = x->json ? json_object_new_array() : NULL;
	uint64_t *first = xreallocarray(NULL, sp->ncls, sizeof *first);
	mpq_t tw, dw;
	uint64_t shown = 0;

	mpq_inits(tw, dw, NULL);
	memset(first, 0xff, sp->ncls * sizeof *first);
	for (uint64_t s = sp->nsit; s-- > 0;)
		first[space_class(sp, s)] = s;
	if (!x->json) {
		bool lumps = false;
		for (uint32_t f = 0; f < x->m->nfeatures; f++)
			lumps |= sp->rep[f] != NULL;
		printf("\nBehaviour per visible class%s\n", x->all ? "" :
		    " (the situations that matter; --all for every one)");
		if (x->sc) {
			char hb[64];
			qtext(hb, sizeof hb, x->e->horizon);
			printf("  (in each class an optimizer plays the "
			    "action of highest score U - h*P:\n   its "
			    "utility U minus its horizon h = %s times P, the "
			    "training mass\n   where the action misses "
			    "training's target; SPEC 4.7)\n", hb);
		}
		if (lumps)
			printf("  (situations that differ only in hidden "
			    "values no expression tells apart\n   are shown "
			    "once, by the first of them; T and D are each "
			    "one's)\n");
	}
	for (uint64_t c = 0; c < sp->ncls; c++) {
		struct json_object *jrow = NULL, *jsits = NULL, *jplay = NULL;
		char play[512];
		bool header = false;
		for (uint64_t s = first[c]; s < sp->nsit; s++) {
			if (space_class(sp, s) != c)
				continue;
			bool in_t = bs_test(sp->train, s);
			bool in_d = bs_test(sp->deploy, s);
			bool in_a = bs_test(sp->audit, s);
			bool obs = false;
			for (uint32_t k = 0; k < m->training.nobs; k++)
				obs |= obs_covers(sp, k, s);
			uint32_t dev = in_d && bs_test(sp->deploy_pos, s) ?
			    deviates(x, s) : NONE;
			bool wit = s == x->er->witness.sit ||
			    s == x->er->refutation.sit;
			if (!(x->all ? in_t || in_d || in_a :
			    obs || dev != NONE || wit))
				continue;
			if (!header) {
				header = true;
				plays(x, c, play, sizeof play,
				    x->json ? &jplay : NULL);
				uint32_t r = x->e->kind == ENT_CHARACTER ?
				    rule_of(x, s) : NONE;
				if (x->json) {
					jrow = json_object_new_object();
					jsits = json_object_new_array();
					json_object_object_add(jrow, "class",
					    jclass(sp, s));
					json_object_object_add(jrow, "plays",
					    jplay);
					json_object_object_add(jrow,
					    "rule_line", r == NONE ? NULL :
					    json_object_new_int64(
					    (int64_t)line_of(m,
					    x->e->rules[r].loc)));
					if (x->sc)
						json_object_object_add(jrow,
						    "scores", jscores(x, c));
				} else {
					printf("  %s plays %s",
					    space_cls_text(sp, &x->a, c), play);
					if (r != NONE)
						printf(" (rule on line %u)",
						    line_of(m,
						    x->e->rules[r].loc));
					putchar('\n');
					if (x->sc)
						score_rows(x, c);
				}
			}
			space_weight(sp, false, s, tw);
			space_weight(sp, true, s, dw);
			uint32_t rule = space_intended(sp, s);
			char obsbuf[256];
			observed_at(x, s, obsbuf, sizeof obsbuf);
			const char *status = s == x->er->refutation.sit ?
			    "refutes" : s == x->er->witness.sit ? "witness" :
			    dev != NONE ? "diverges" : "ok";
			shown++;
			if (x->json) {
				struct json_object *j =
				    json_object_new_object();
				json_object_object_add(j, "situation",
				    jsit(sp, s));
				json_object_object_add(j, "training", in_t ?
				    jq(tw) : NULL);
				json_object_object_add(j, "deployment", in_d ?
				    jq(dw) : NULL);
				json_object_object_add(j, "intended",
				    jintended(m, rule));
				json_object_object_add(j, "status",
				    json_object_new_string(status));
				json_object_array_add(jsits, j);
				continue;
			}
			char t[64], d[64];
			qtext(t, sizeof t, tw);
			qtext(d, sizeof d, dw);
			printf("    %-40s", space_sit_text(sp, &x->a, s));
			if (in_t)
				printf("  T=%s", t);
			if (in_d)
				printf("  D=%s", d);
			if (rule != NONE) {
				bool f1 = true;
				fputs("  intended ", stdout);
				for (uint32_t a = 0; a < m->nactions; a++)
					if (m->intended[rule].accept[a]) {
						printf("%s%s", f1 ? "" : "|",
						    m->actions[a].name);
						f1 = false;
					}
			}
			if (obsbuf[0])
				printf("  %s", obsbuf);
			/* What it plays there: the refutation's or the
			 * witness's action where it is one, else the
			 * deviation. */
			uint32_t shows = s == x->er->refutation.sit ?
			    x->er->refutation.action : s == x->er->witness.sit ?
			    x->er->witness.action : dev;
			if (strcmp(status, "ok"))
				printf("  <- %s%s%s", status, shows != NONE ?
				    ": plays " : "", shows != NONE ?
				    m->actions[shows].name : "");
			putchar('\n');
		}
		if (jrow) {
			json_object_object_add(jrow, "situations", jsits);
			json_object_array_add(rows, jrow);
		}
	}
	if (!x->json && shown == 0)
		puts("  (nothing observed and no divergence: every class "
		    "behaves as intended)");
	if (rows)
		json_object_object_add(x->json, "classes", rows);
	free(first);
	mpq_clears(tw, dw, NULL);
}

/* Families: per cell, the actions training leaves and the bad ones. */
static void
family_rows(struct ex *x)
{
	const struct model *m = x->m;
	const struct entity_result *er = x->er;

	char *mem = mpz_get_str(NULL, 10, er->members);
	char *con = mpz_get_str(NULL, 10, er->consistent_members);
	char *div = mpz_get_str(NULL, 10, er->diverging_members);
	if (x->json) {
		json_object_object_add(x->json, "members",
		    json_object_new_string(mem));
		json_object_object_add(x->json, "consistent_members",
		    json_object_new_string(con));
		json_object_object_add(x->json, "diverging_members",
		    json_object_new_string(div));
	} else {
		printf("\n  %s members, %s consistent with training, %s of "
		    "those diverge\n", strlen(mem) > 40 ? "(many)" : mem,
		    strlen(con) > 40 ? "(many)" : con, strlen(div) > 40 ?
		    "(many)" : div);
	}
	free(mem);
	free(con);
	free(div);
	if (er->first_diverging && !x->json) {
		const struct entity *e = x->e;
		/* A cell is a combination of the family's features, the last
		 * varying fastest (family.c): print it as the situations do. */
		printf("  first diverging member, cell by cell:\n");
		for (uint64_t c = 0; c < er->ncells && c < 64; c++) {
			const char *val[64];
			uint64_t rest = c;
			for (uint32_t j = e->nover; j-- > 0;) {
				const struct feature *f =
				    &m->features[e->over[j]];
				if (j < 64)
					val[j] = f->values[rest % f->nvalues];
				rest /= f->nvalues;
			}
			fputs("    {", stdout);
			for (uint32_t j = 0; j < e->nover && j < 64; j++)
				printf("%s%s=%s", j ? ", " : "",
				    m->features[e->over[j]].name, val[j]);
			printf("} -> %s\n",
			    m->actions[er->first_diverging[c]].name);
		}
		if (er->ncells > 64)
			printf("    ... (%llu cells in all)\n",
			    (unsigned long long)er->ncells);
	}
}

int
cmd_explain(const struct cli *c, const char *file, const char *name)
{
	struct run run;
	struct ex x = { .all = c->all };
	struct policy p = { 0 };
	struct opt_ctx ctx;
	struct scores *sc = NULL;
	int status;

	run_file(&run, file, RUN_CHECK, &c->space, &c->check);
	diag_print(&run.diag, stderr, cli_color(c, STDERR_FILENO));
	status = run.status >= 2 ? run.status : 0;
	if (!run.have_result)
		goto out;
	x.run = &run;
	x.m = run.m;
	x.sp = &run.sp;
	for (uint32_t i = 0; i < run.m->nentities; i++)
		if (!strcmp(run.m->entities[i].name, name)) {
			x.e = &run.m->entities[i];
			x.er = &run.r.ents[i];
		}
	if (!x.e) {
		fprintf(stderr, "charcheck: error: %s has no character, family "
		    "or optimizer '%s'", file, name);
		for (uint32_t i = 0; i < run.m->nentities; i++)
			fprintf(stderr, "%s'%s'", i ? ", " : " (it has ",
			    run.m->entities[i].name);
		fputs(run.m->nentities ? ")" : "", stderr);
		struct suggest sg;
		suggest_init(&sg, name);
		for (uint32_t i = 0; i < run.m->nentities; i++)
			suggest_offer(&sg, run.m->entities[i].name);
		if (suggest_pick(&sg))
			fprintf(stderr, "; did you mean '%s'?",
			    suggest_pick(&sg));
		fputc('\n', stderr);
		status = 2;
		goto out;
	}
	if (x.e->kind == ENT_CHARACTER) {
		struct diag quiet;
		diag_init(&quiet, &run.arena, run.src);
		policy_from_rules(&p, &run.sp, x.e, &quiet);
		diag_fini(&quiet);
	} else if (x.e->kind == ENT_OPTIMIZER) {
		opt_ctx_init(&ctx, &run.sp);
		sc = optimizer_scores(&ctx, x.e);
		optimizer_policy_at(sc, x.e->horizon, &p);
		x.sc = sc;
	}
	x.p = &p;
	if (c->format == FMT_JSON)
		x.json = json_object_new_object();
	if (x.json) {
		json_object_object_add(x.json, "schema",
		    json_object_new_string("charcheck-explain/1"));
		json_object_object_add(x.json, "file",
		    json_object_new_string(file));
		json_object_object_add(x.json, "name",
		    json_object_new_string(name));
		json_object_object_add(x.json, "kind",
		    json_object_new_string(kind_word[x.e->kind]));
		json_object_object_add(x.json, "consistent",
		    json_object_new_boolean(x.er->consistent));
		json_object_object_add(x.json, "diverges",
		    x.er->has_divergence ?
		    json_object_new_boolean(x.er->diverges) : NULL);
	} else {
		printf("%s: %s '%s' (line %u)\n", file, kind_word[x.e->kind],
		    name, x.e->line);
		printf("  %s", x.er->consistent ? "consistent with training" :
		    "REFUTED by training");
		if (x.er->has_divergence && !x.er->divergence_undefined) {
			char d[64];
			qtext(d, sizeof d, x.er->divergence);
			printf("; %s at deployment (divergence %s)",
			    x.er->diverges ? "DIVERGES" : "does not diverge",
			    d);
		}
		putchar('\n');
	}
	if (x.e->kind == ENT_FAMILY) {
		family_rows(&x);
	} else {
		observations(&x);
		policy_rows(&x);
	}
	if (x.json) {
		report_json_puts(stdout, json_object_to_json_string_ext(
		    x.json,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		putchar('\n');
		json_object_put(x.json);
	}
	policy_free(&p);
	if (sc) {
		optimizer_scores_free(sc);
		opt_ctx_free(&ctx);
	}
	arena_free(&x.a);
out:
	run_free(&run);
	return status;
}
