/*
 * report_compare.c - the printers of 'charcheck compare': a struct
 * compare_result (compare.h) as text for people, wrapped to the width of
 * the check report, or as the charcheck-compare/1 JSON object.  They
 * compute nothing: every number is the engine's (compare.c).
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"

static const char *const framing_name[] = { "characters", "optimizers" };

/* Which entities a framing's line lists. */
enum list { LIST_ALL, LIST_CONSISTENT, LIST_DIVERGING };

static bool
listed(const struct compare_result *cr, int k, enum list which, uint32_t i)
{
	const struct entity_result *er = &cr->r->ents[i];

	return cr->side[k].in[i] && (which == LIST_ALL || (er->consistent &&
	    (which == LIST_CONSISTENT || er->diverges)));
}

/* ------------------------------------------------------------------ */
/* Text                                                               */
/* ------------------------------------------------------------------ */

/* The width the text keeps to, like the check report. */
#define TEXT_WIDTH 79

/* What the text printers share: the output, --all and an arena for the
 * words. */
struct out {
	FILE *f;
	const struct compare_result *cr;
	bool all;
	struct arena a;
};

static void
print_interval(FILE *f, const struct interval *iv)
{
	struct arena a = { 0 };

	if (!iv->defined) {
		fputs("undefined (nothing in this framing explains training)",
		    f);
		return;
	}
	/* As the check report prints numbers: 0.333333 (= 1/3). */
	const char *lo = report_rat_text(&a, iv->lo);
	const char *hi = report_rat_text(&a, iv->hi);
	if (!mpq_equal(iv->lo, iv->hi))
		fputc('[', f);
	for (const char *p = lo; *p; p++)
		fputc(*p == ' ' ? REPORT_NBSP : *p, f);
	if (!mpq_equal(iv->lo, iv->hi)) {
		fputs(",", f);
		fputc(REPORT_NBSP, f);
		for (const char *p = hi; *p; p++)
			fputc(*p == ' ' ? REPORT_NBSP : *p, f);
		fputc(']', f);
	}
	arena_free(&a);
}

/* A paragraph being written: a memstream; fatal if there is no memory. */
struct para {
	FILE *f;
	char *buf;
	size_t len;
};

static FILE *
para_open(struct para *pa)
{
	pa->f = open_memstream(&pa->buf, &pa->len);
	if (!pa->f)
		fatal("out of memory");
	return pa->f;
}

/* Closes the paragraph and prints it wrapped (report_wrap) on 'f'. */
static void
para_print(struct para *pa, FILE *f, int col, int indent)
{
	if (fclose(pa->f) != 0)
		fatal("out of memory");
	report_wrap(f, pa->buf, col, indent, TEXT_WIDTH);
	free(pa->buf);
}

static void
print_names(const struct out *o, int k, enum list which, const char *label)
{
	const struct model *m = o->cr->m;
	uint32_t n = 0;
	struct para pa;
	FILE *f = para_open(&pa);

	fprintf(o->f, "    %-14s", label);
	for (uint32_t i = 0; i < m->nentities; i++)
		if (listed(o->cr, k, which, i))
			fprintf(f, "%s%s", n++ ? ", " : "",
			    m->entities[i].name);
	fputs(n ? "" : "none", f);
	para_print(&pa, o->f, 18, 18);
}

/* One framing's entities and intervals. */
static void
print_side(const struct out *o, int k)
{
	const struct compare_side *side = &o->cr->side[k];

	fprintf(o->f, "\n  %s framing (%s)\n", k ? "Inner-optimizer" :
	    "Character", k ? "optimizers" : "characters and families");
	if (!side->n) {
		fputs("    (none in this model)\n", o->f);
		return;
	}
	print_names(o, k, LIST_ALL, "entities");
	print_names(o, k, LIST_CONSISTENT, "consistent");
	print_names(o, k, LIST_DIVERGING, "diverging");
	const struct interval *iv[2] = { &side->p, &side->e };
	for (int j = 0; j < 2; j++) {
		struct para pa;
		FILE *f = para_open(&pa);
		fprintf(o->f, "    %-14s", j ? "E(divergence)" : "P(diverge)");
		print_interval(f, iv[j]);
		para_print(&pa, o->f, 18, 18);
	}
}

/* Behaviours in a but not b ('both': in both), at most eight without
 * --all. */
static void
print_behaviours(struct out *o, const uint64_t *a, const uint64_t *b,
    bool both, const char *label)
{
	const struct compare_result *cr = o->cr;
	uint32_t na = cr->m->nactions;
	uint64_t shown = 0, total = 0;

	fprintf(o->f, "  %s:", label);
	for (uint64_t bit = bs_next(a, cr->bw, 0); bit != BS_NONE;
	    bit = bs_next(a, cr->bw, bit + 1)) {
		if (both != bs_test(b, bit))
			continue;
		total++;
		if (shown++ < 8 || o->all)
			fprintf(o->f, "\n    %s -> %s",
			    space_sit_text(cr->sp, &o->a, bit / na),
			    cr->m->actions[bit % na].name);
	}
	if (total == 0)
		fputs(" none", o->f);
	else if (shown > 8 && !o->all)
		fprintf(o->f, "\n    ... %llu in all (--all lists them)",
		    (unsigned long long)total);
	fputc('\n', o->f);
}

/* Characters: what moves their P(diverge) is the prior. */
static void
print_prior_moves(const struct out *o)
{
	const struct compare_result *cr = o->cr;
	const struct interval *p = &cr->side[CMP_CHARACTERS].p;
	struct para pa;
	FILE *f = para_open(&pa);

	fputs("characters: the prior", f);
	if (cr->prior_set) {
		fputs(". Over the prior set (weight intervals, data "
		    "factors", f);
		for (uint32_t k = 0; k < cr->m->ndata; k++)
			fprintf(f, "%s%s", k ? ", " : ": ",
			    cr->m->data[k].name);
		fputs(mpq_equal(p->lo, p->hi) ? ") it is " : ") it spans ", f);
	} else {
		fputs(", a point in this model: ", f);
	}
	print_interval(f, p);
	fputs("; training moves it only by refuting characters or by "
	    "unequal likelihoods.", f);
	fputs("    ", o->f);
	para_print(&pa, o->f, 4, 6);
}

static int
max_int(int a, size_t b)
{
	return (int)b > a ? (int)b : a;
}

/*
 * Per optimizer: horizon, critical horizon h* and label, each column as
 * wide as its widest entry (numbers as the check report prints them:
 * 1.33333 (= 4/3)).
 */
static void
print_optimizer_table(struct out *o)
{
	const struct model *m = o->cr->m;
	uint32_t n = m->nentities;
	int w = 16, hw = 8, sw = 8;
	const char **h = xcalloc(n + 1, sizeof *h);
	const char **hs = xcalloc(n + 1, sizeof *hs);

	for (uint32_t i = 0; i < n; i++) {
		const struct entity *e = &m->entities[i];
		const struct entity_result *er = &o->cr->r->ents[i];
		if (e->kind != ENT_OPTIMIZER)
			continue;
		h[i] = report_rat_text(&o->a, e->horizon);
		hs[i] = er->horizon_inf ? "inf" :
		    report_rat_text(&o->a, er->critical_horizon);
		w = max_int(w, strlen(e->name));
		hw = max_int(hw, strlen(h[i]));
		sw = max_int(sw, strlen(hs[i]));
	}
	fputs("      Per optimizer (horizon, critical horizon h*, "
	    "label):\n", o->f);
	for (uint32_t i = 0; i < n; i++) {
		enum ast_label l = o->cr->r->ents[i].label;
		if (h[i])
			fprintf(o->f, "      %-*s %*s %*s  %s\n", w,
			    m->entities[i].name, hw, h[i], sw, hs[i],
			    l == LABEL_DECEPTIVE ? "deceptive" :
			    l == LABEL_PROXY ? "proxy" : "-");
	}
	free(h);
	free(hs);
}

/* Optimizers: what moves their P(diverge) is the horizon. */
static void
print_horizon_moves(struct out *o)
{
	struct para pa;
	FILE *f = para_open(&pa);

	fputs("optimizers: the horizon. Every optimizer at horizon 0: ", f);
	print_interval(f, &o->cr->myopic);
	fputs("; each just beyond its critical horizon: ", f);
	print_interval(f, &o->cr->farsighted);
	fputs(".", f);
	fputs("    ", o->f);
	para_print(&pa, o->f, 4, 6);
	print_optimizer_table(o);
}

void
report_compare_text(FILE *f, const struct compare_result *cr,
    const char *path, bool all)
{
	struct out o = { .f = f, .cr = cr, .all = all };
	const uint64_t *cb = cr->side[CMP_CHARACTERS].beh;
	const uint64_t *ob = cr->side[CMP_OPTIMIZERS].beh;

	fprintf(f, "%s: character framing vs inner-optimizer framing\n",
	    path);
	for (int k = 0; k < CMP_NFRAMINGS; k++)
		print_side(&o, k);
	fputs("\n  Diverging deployment behaviours (situation -> action)\n",
	    f);
	print_behaviours(&o, cb, ob, true, "produced by both");
	print_behaviours(&o, cb, ob, false, "only by characters");
	print_behaviours(&o, ob, cb, false, "only by optimizers");
	fputs("\n  What moves P(diverge)\n", f);
	if (cr->side[CMP_CHARACTERS].n)
		print_prior_moves(&o);
	if (cr->side[CMP_OPTIMIZERS].n)
		print_horizon_moves(&o);
	arena_free(&o.a);
}

/* ------------------------------------------------------------------ */
/* JSON                                                               */
/* ------------------------------------------------------------------ */

static struct json_object *
jinterval(const struct interval *iv)
{
	struct json_object *arr = json_object_new_array();
	char buf[32];

	for (int k = 0; k < 2; k++) {
		mpq_srcptr q = k ? iv->hi : iv->lo;
		double d = rational_get_d(q);
		json_object_array_add(arr, iv->defined ?
		    json_object_new_double_s(d, report_double(buf, d)) : NULL);
	}
	return arr;
}

static struct json_object *
jnames(const struct compare_result *cr, int k, enum list which)
{
	struct json_object *arr = json_object_new_array();

	for (uint32_t i = 0; i < cr->m->nentities; i++)
		if (listed(cr, k, which, i))
			json_object_array_add(arr,
			    json_object_new_string(cr->m->entities[i].name));
	return arr;
}

/* A situation as {feature: value, ...}. */
static struct json_object *
jsit(const struct compare_result *cr, uint64_t s)
{
	const struct model *m = cr->m;
	struct json_object *sit = json_object_new_object();

	for (uint32_t f = 0; f < m->nfeatures; f++)
		json_object_object_add(sit, m->features[f].name,
		    json_object_new_string(
		    m->features[f].values[space_value(cr->sp, s, f)]));
	return sit;
}

/* Behaviours in a but not b ('both': in both), under 'label' of 'json'. */
static void
jbehaviours(const struct compare_result *cr, const uint64_t *a,
    const uint64_t *b, bool both, const char *label, struct json_object *json)
{
	uint32_t na = cr->m->nactions;
	struct json_object *arr = json_object_new_array();

	for (uint64_t bit = bs_next(a, cr->bw, 0); bit != BS_NONE;
	    bit = bs_next(a, cr->bw, bit + 1)) {
		if (both != bs_test(b, bit))
			continue;
		struct json_object *o = json_object_new_object();
		json_object_object_add(o, "situation", jsit(cr, bit / na));
		json_object_object_add(o, "action", json_object_new_string(
		    cr->m->actions[bit % na].name));
		json_object_array_add(arr, o);
	}
	json_object_object_add(json, label, arr);
}

static struct json_object *
jside(const struct compare_result *cr, int k)
{
	const struct compare_side *side = &cr->side[k];
	struct json_object *j = json_object_new_object();

	json_object_object_add(j, "framing",
	    json_object_new_string(framing_name[k]));
	json_object_object_add(j, "entities", jnames(cr, k, LIST_ALL));
	json_object_object_add(j, "consistent", jnames(cr, k,
	    LIST_CONSISTENT));
	json_object_object_add(j, "diverging", jnames(cr, k, LIST_DIVERGING));
	json_object_object_add(j, "diverge", side->n ? jinterval(&side->p) :
	    NULL);
	json_object_object_add(j, "expected_divergence", side->n ?
	    jinterval(&side->e) : NULL);
	if (k == CMP_OPTIMIZERS && side->n) {
		json_object_object_add(j, "diverge_at_horizon_0",
		    jinterval(&cr->myopic));
		json_object_object_add(j, "diverge_beyond_critical_horizons",
		    jinterval(&cr->farsighted));
	}
	return j;
}

void
report_compare_json(FILE *f, const struct compare_result *cr,
    const char *path)
{
	struct json_object *o = json_object_new_object();
	struct json_object *fr = json_object_new_array();
	struct json_object *b = json_object_new_object();
	const uint64_t *cb = cr->side[CMP_CHARACTERS].beh;
	const uint64_t *ob = cr->side[CMP_OPTIMIZERS].beh;

	json_object_object_add(o, "schema",
	    json_object_new_string("charcheck-compare/1"));
	json_object_object_add(o, "file", json_object_new_string(path));
	for (int k = 0; k < CMP_NFRAMINGS; k++)
		json_object_array_add(fr, jside(cr, k));
	json_object_object_add(o, "framings", fr);
	jbehaviours(cr, cb, ob, true, "both", b);
	jbehaviours(cr, cb, ob, false, "characters_only", b);
	jbehaviours(cr, ob, cb, false, "optimizers_only", b);
	json_object_object_add(o, "behaviours", b);
	report_json_emit(f, o);
}
