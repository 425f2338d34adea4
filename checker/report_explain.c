/*
 * report_explain.c - the printers of 'charcheck explain': a struct
 * explain_result (explain.h) as text for people or as the
 * charcheck-explain/1 JSON object.  They compute nothing: every number
 * and verdict is the engine's (explain.c).
 */
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "report.h"

static const char *const kind_word[] = { "character", "family", "optimizer" };
static const char *const status_word[] = {
	[EX_OK] = "ok", [EX_DIVERGES] = "diverges",
	[EX_WITNESS] = "witness", [EX_REFUTES] = "refutes",
};

static uint32_t
line_of(const struct model *m, struct srcloc loc)
{
	uint32_t line, col;

	source_linecol(m->src, loc.off, &line, &col);
	return line;
}

/* ------------------------------------------------------------------ */
/* Text                                                               */
/* ------------------------------------------------------------------ */

/*
 * The exact rational: "1/3".  Unlike report_rat_text ("0.333333 (=
 * 1/3)"), explain shows probabilities, weights and scores as fractions,
 * cut to the buffer.
 */
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
 * it is short enough to read.  Not report_rat_text: that leaves out the
 * fraction when the decimal is exact ("0.125", here "0.125 (= 1/8)") and
 * marks a value beyond a double with '~'.
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

/* What the text printers share: the output and an arena for words. */
struct out {
	FILE *f;
	const struct explain_result *xr;
	struct arena a;
};

static void
print_head(struct out *o, const char *path)
{
	const struct entity *e = o->xr->e;
	const struct entity_result *er = o->xr->er;

	fprintf(o->f, "%s: %s '%s' (line %u)\n", path, kind_word[e->kind],
	    e->name, e->line);
	fprintf(o->f, "  %s", er->consistent ? "consistent with training" :
	    "REFUTED by training");
	if (er->has_divergence && !er->divergence_undefined) {
		char d[64];
		qtext(d, sizeof d, er->divergence);
		fprintf(o->f, "; %s at deployment (divergence %s)",
		    er->diverges ? "DIVERGES" : "does not diverge", d);
	}
	fputc('\n', o->f);
}

/* Observations: which hold, their factors, the refuting one. */
static void
print_observations(struct out *o)
{
	const struct explain_result *xr = o->xr;

	if (xr->m->training.nobs)
		fputs("\nTraining observations\n", o->f);
	for (uint32_t k = 0; k < xr->m->training.nobs; k++) {
		const struct explain_obs *ob = &xr->obs[k];
		char buf[96];
		factor_text(buf, sizeof buf, ob->factor);
		fprintf(o->f, "  line %-4u %s", ob->o->line, ob->holds ?
		    "holds" : "REFUTES");
		if (ob->o->kind == EVID_COUNTS && ob->holds)
			fprintf(o->f, ", likelihood factor %s", buf);
		if (!ob->holds)
			fprintf(o->f, ": %s", report_refutation_words(&o->a,
			    xr->sp, ob->o, &ob->w));
		fputc('\n', o->f);
	}
}

/* The observations (lines) that constrain a situation, as text. */
static void
observed_at(struct out *o, const struct explain_sit *t, char *buf,
    size_t len)
{
	const struct model *m = o->xr->m;
	size_t n = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < t->ncover && n < len; i++) {
		const struct observation *ob =
		    &m->training.obs[o->xr->cover[t->cover + i]];
		const char *what = ast_evidence_word[ob->kind];
		bool counts = ob->kind == EVID_COUNTS;
		n += (size_t)snprintf(buf + n, len - n, "%sobserved (line %u, "
		    "%s%s%s)", n ? "; " : "", ob->line, what, counts ? "" :
		    " ", counts ? "" : report_outcome_text(&o->a, m,
		    &ob->out));
	}
}

/* What the policy plays in a class: "comply" or "{refuse: 1/2, ...}". */
static void
plays(const struct model *m, const struct explain_class *row, char *buf,
    size_t len)
{
	size_t n = 0;
	uint32_t npos = 0, last = NONE;

	for (uint32_t a = 0; a < m->nactions; a++)
		if (mpq_sgn(row->prob[a]) != 0) {
			npos++;
			last = a;
		}
	if (npos == 1) {
		snprintf(buf, len, "%s", m->actions[last].name);
		return;
	}
	n += (size_t)snprintf(buf, len, "{");
	for (uint32_t a = 0; a < m->nactions && n < len; a++) {
		if (mpq_sgn(row->prob[a]) == 0)
			continue;
		char t[64];
		qtext(t, sizeof t, row->prob[a]);
		n += (size_t)snprintf(buf + n, len - n, "%s%s: %s",
		    n > 1 ? ", " : "", m->actions[a].name, t);
	}
	if (n < len)
		snprintf(buf + n, len - n, "}");
}

/* Optimizers: the score U - h*P of every action in the class. */
static void
print_scores(struct out *o, const struct explain_class *row)
{
	const struct model *m = o->xr->m;
	char hb[64], ub[64], pb[64], sb[64];
	int w = 0;

	for (uint32_t a = 0; a < m->nactions; a++)
		if ((int)strlen(m->actions[a].name) > w)
			w = (int)strlen(m->actions[a].name);
	qtext(hb, sizeof hb, o->xr->e->horizon);
	for (uint32_t a = 0; a < m->nactions; a++) {
		qtext(ub, sizeof ub, row->u[a]);
		qtext(pb, sizeof pb, row->p[a]);
		qtext(sb, sizeof sb, row->score[a]);
		fprintf(o->f, "    %-9s%-*s  %s - %s*%s = %s\n",
		    a ? "" : "U - h*P:", w, m->actions[a].name, ub, hb, pb,
		    sb);
	}
}

/* One situation under its class: weights, intended, observed, status. */
static void
print_sit(struct out *o, const struct explain_sit *t)
{
	const struct model *m = o->xr->m;
	char tb[64], db[64], obsbuf[256];

	observed_at(o, t, obsbuf, sizeof obsbuf);
	qtext(tb, sizeof tb, t->tw);
	qtext(db, sizeof db, t->dw);
	fprintf(o->f, "    %-40s", space_sit_text(o->xr->sp, &o->a, t->sit));
	if (t->in_t)
		fprintf(o->f, "  T=%s", tb);
	if (t->in_d)
		fprintf(o->f, "  D=%s", db);
	if (t->intended != NONE) {
		const bool *acc = m->intended[t->intended].accept;
		const char *sep = "";
		fputs("  intended ", o->f);
		for (uint32_t a = 0; a < m->nactions; a++)
			if (acc[a]) {
				fprintf(o->f, "%s%s", sep, m->actions[a].name);
				sep = "|";
			}
	}
	if (obsbuf[0])
		fprintf(o->f, "  %s", obsbuf);
	if (t->status != EX_OK)
		fprintf(o->f, "  <- %s%s%s", status_word[t->status],
		    t->shows != NONE ? ": plays " : "", t->shows != NONE ?
		    m->actions[t->shows].name : "");
	fputc('\n', o->f);
}

/* The notes above the classes: what is shown, how optimizers choose, and
 * that lumped situations appear once. */
static void
print_class_notes(struct out *o)
{
	const struct explain_result *xr = o->xr;

	fprintf(o->f, "\nBehaviour per visible class%s\n", xr->all ? "" :
	    " (the situations that matter; --all for every one)");
	if (xr->e->kind == ENT_OPTIMIZER) {
		char hb[64];
		qtext(hb, sizeof hb, xr->e->horizon);
		fprintf(o->f, "  (in each class an optimizer plays the "
		    "action of highest score U - h*P:\n   its "
		    "utility U minus its horizon h = %s times P, the "
		    "training mass\n   where the action misses "
		    "training's target; SPEC 4.7)\n", hb);
	}
	if (xr->lumps)
		fputs("  (situations that differ only in hidden "
		    "values no expression tells apart\n   are shown "
		    "once, by the first of them; T and D are each "
		    "one's)\n", o->f);
}

static void
print_classes(struct out *o)
{
	const struct explain_result *xr = o->xr;
	const struct model *m = xr->m;

	print_class_notes(o);
	for (uint64_t c = 0; c < xr->ncls; c++) {
		const struct explain_class *row = &xr->cls[c];
		char play[512];
		plays(m, row, play, sizeof play);
		fprintf(o->f, "  %s plays %s", space_cls_text(xr->sp, &o->a,
		    row->cls), play);
		if (row->rule != NONE)
			fprintf(o->f, " (rule on line %u)", line_of(m,
			    xr->e->rules[row->rule].loc));
		fputc('\n', o->f);
		if (row->u)
			print_scores(o, row);
		for (uint32_t i = 0; i < row->nsits; i++)
			print_sit(o, &row->sits[i]);
	}
	if (xr->ncls == 0)
		fputs("  (nothing observed and no divergence: every class "
		    "behaves as intended)\n", o->f);
}

/* A number of members, or "(many)" past 40 digits, then 'after'. */
static void
print_count(FILE *f, mpz_srcptr z, const char *after)
{
	char *s = mpz_get_str(NULL, 10, z);

	fprintf(f, "%s%s", strlen(s) > 40 ? "(many)" : s, after);
	free(s);
}

/* Families: the counts, then the first diverging member cell by cell. */
static void
print_family(struct out *o)
{
	const struct model *m = o->xr->m;
	const struct entity *e = o->xr->e;
	const struct entity_result *er = o->xr->er;

	fputs("\n  ", o->f);
	print_count(o->f, er->members, " members, ");
	print_count(o->f, er->consistent_members,
	    " consistent with training, ");
	print_count(o->f, er->diverging_members, " of those diverge\n");
	if (!er->first_diverging)
		return;
	/* A cell is a combination of the family's features, the last
	 * varying fastest (family.c): print it as the situations do. */
	fputs("  first diverging member, cell by cell:\n", o->f);
	for (uint64_t c = 0; c < er->ncells && c < 64; c++) {
		const char *val[64];
		uint64_t rest = c;
		for (uint32_t j = e->nover; j-- > 0;) {
			const struct feature *f = &m->features[e->over[j]];
			if (j < 64)
				val[j] = f->values[rest % f->nvalues];
			rest /= f->nvalues;
		}
		fputs("    {", o->f);
		for (uint32_t j = 0; j < e->nover && j < 64; j++)
			fprintf(o->f, "%s%s=%s", j ? ", " : "",
			    m->features[e->over[j]].name, val[j]);
		fprintf(o->f, "} -> %s\n",
		    m->actions[er->first_diverging[c]].name);
	}
	if (er->ncells > 64)
		fprintf(o->f, "    ... (%llu cells in all)\n",
		    (unsigned long long)er->ncells);
}

void
report_explain_text(FILE *f, const struct explain_result *xr,
    const char *path)
{
	struct out o = { .f = f, .xr = xr };

	print_head(&o, path);
	if (xr->e->kind == ENT_FAMILY) {
		print_family(&o);
	} else {
		print_observations(&o);
		print_classes(&o);
	}
	arena_free(&o.a);
}

/* ------------------------------------------------------------------ */
/* JSON                                                               */
/* ------------------------------------------------------------------ */

static struct json_object *
jq(mpq_srcptr q)
{
	char buf[32];
	double d = rational_get_d(q);
	return json_object_new_double_s(d, report_double(buf, d));
}

/* The features of situation s, the hidden ones too unless 'visible'. */
static struct json_object *
jsit(const struct space *sp, uint64_t s, bool visible)
{
	const struct model *m = sp->m;
	struct json_object *o = json_object_new_object();

	for (uint32_t f = 0; f < m->nfeatures; f++)
		if (!visible || m->features[f].visible)
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
jobservations(const struct explain_result *xr)
{
	const struct model *m = xr->m;
	struct json_object *arr = json_object_new_array();

	for (uint32_t k = 0; k < m->training.nobs; k++) {
		const struct explain_obs *ob = &xr->obs[k];
		struct json_object *j = json_object_new_object();
		json_object_object_add(j, "line",
		    json_object_new_int64(ob->o->line));
		json_object_object_add(j, "holds",
		    json_object_new_boolean(ob->holds));
		json_object_object_add(j, "factor", jq(ob->factor));
		json_object_object_add(j, "situation", ob->w.sit == BS_NONE ?
		    NULL : jsit(xr->sp, ob->w.sit, false));
		json_object_object_add(j, "action", ob->w.action == NONE ?
		    NULL : json_object_new_string(
		    m->actions[ob->w.action].name));
		json_object_array_add(arr, j);
	}
	return arr;
}

/* Per action: utility, penalty and score. */
static struct json_object *
jscores(const struct model *m, const struct explain_class *row)
{
	struct json_object *arr = json_object_new_array();

	for (uint32_t a = 0; a < m->nactions; a++) {
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "action",
		    json_object_new_string(m->actions[a].name));
		json_object_object_add(o, "utility", jq(row->u[a]));
		json_object_object_add(o, "penalty", jq(row->p[a]));
		json_object_object_add(o, "score", jq(row->score[a]));
		json_object_array_add(arr, o);
	}
	return arr;
}

static struct json_object *
jsituation(const struct explain_result *xr, const struct explain_sit *t)
{
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "situation", jsit(xr->sp, t->sit, false));
	json_object_object_add(j, "training", t->in_t ? jq(t->tw) : NULL);
	json_object_object_add(j, "deployment", t->in_d ? jq(t->dw) : NULL);
	json_object_object_add(j, "intended", jintended(xr->m, t->intended));
	json_object_object_add(j, "status",
	    json_object_new_string(status_word[t->status]));
	return j;
}

static struct json_object *
jclass(const struct explain_result *xr, const struct explain_class *row)
{
	const struct model *m = xr->m;
	struct json_object *j = json_object_new_object();
	struct json_object *play = json_object_new_object();
	struct json_object *sits = json_object_new_array();

	for (uint32_t a = 0; a < m->nactions; a++)
		if (mpq_sgn(row->prob[a]) != 0)
			json_object_object_add(play, m->actions[a].name,
			    jq(row->prob[a]));
	json_object_object_add(j, "class", jsit(xr->sp, row->first, true));
	json_object_object_add(j, "plays", play);
	json_object_object_add(j, "rule_line", row->rule == NONE ? NULL :
	    json_object_new_int64((int64_t)line_of(m,
	    xr->e->rules[row->rule].loc)));
	if (row->u)
		json_object_object_add(j, "scores", jscores(m, row));
	for (uint32_t i = 0; i < row->nsits; i++)
		json_object_array_add(sits, jsituation(xr, &row->sits[i]));
	json_object_object_add(j, "situations", sits);
	return j;
}

/* A family's counts, as strings (they may be long). */
static void
jfamily(struct json_object *o, const struct entity_result *er)
{
	static const char *const key[3] = { "members", "consistent_members",
	    "diverging_members" };
	mpz_srcptr z[3] = { er->members, er->consistent_members,
	    er->diverging_members };

	for (int k = 0; k < 3; k++) {
		char *s = mpz_get_str(NULL, 10, z[k]);
		json_object_object_add(o, key[k], json_object_new_string(s));
		free(s);
	}
}

void
report_explain_json(FILE *f, const struct explain_result *xr,
    const char *path)
{
	const struct entity_result *er = xr->er;
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "schema",
	    json_object_new_string("charcheck-explain/1"));
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "name", json_object_new_string(xr->e->name));
	json_object_object_add(o, "kind",
	    json_object_new_string(kind_word[xr->e->kind]));
	json_object_object_add(o, "consistent",
	    json_object_new_boolean(er->consistent));
	json_object_object_add(o, "diverges", er->has_divergence ?
	    json_object_new_boolean(er->diverges) : NULL);
	if (xr->e->kind == ENT_FAMILY) {
		jfamily(o, er);
	} else {
		struct json_object *rows = json_object_new_array();
		json_object_object_add(o, "observations", jobservations(xr));
		for (uint64_t c = 0; c < xr->ncls; c++)
			json_object_array_add(rows, jclass(xr, &xr->cls[c]));
		json_object_object_add(o, "classes", rows);
	}
	report_json_emit(f, o);
}
