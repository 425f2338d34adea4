/*
 * compare.c - 'charcheck compare': the character framing (characters and
 * families) and the inner-optimizer framing (optimizers) side by side on
 * the same training and deployment.  For each: its entities, which are
 * consistent and which diverge, and P(diverge) restricted to it (the
 * posterior given that the model is one of that framing's entities);
 * which diverging deployment behaviours (situation, action) both produce
 * and which only one does; and what moves each framing's P(diverge): the
 * prior (data factors, weight intervals) versus the horizon, shown by
 * re-judging every optimizer at horizon 0 and beyond every critical one.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "deadline.h"
#include "optimizer.h"
#include "posterior.h"
#include "report.h"

enum { CHAR_FRAMING, OPT_FRAMING };
static const char *const framing_name[] = { "characters", "optimizers" };

struct framing {
	bool *in;		/* entities of this framing */
	uint32_t n;
	struct interval p, e;	/* P(diverge), E(divergence) within it */
	uint64_t *beh;		/* (situation, action) bits it produces */
};

struct cmp {
	const struct model *m;
	const struct space *sp;
	const struct result *r;
	const struct cli *c;
	struct framing f[2];
	size_t bw;		/* words of a behaviour bitset */
	struct arena a;
};

static bool
in_framing(const struct entity *e, int k)
{
	return (e->kind == ENT_OPTIMIZER) == (k == OPT_FRAMING);
}

static mpq_srcptr
tolerance(const struct cmp *x)
{
	return x->c->check.has_tolerance ? x->c->check.tolerance :
	    x->m->tolerance;
}

/* Adds what 'p' does off-intended at positive-weight deployment. */
static void
add_behaviour(struct cmp *x, const struct policy *p, uint64_t *beh)
{
	const struct space *sp = x->sp;
	uint32_t na = x->m->nactions;
	mpq_t q;

	mpq_init(q);
	for (uint64_t s = bs_next(sp->deploy_pos, sp->sw, 0); s != BS_NONE;
	    s = bs_next(sp->deploy_pos, sp->sw, s + 1)) {
		const bool *acc = x->m->intended[space_intended(sp, s)].accept;
		for (uint32_t a = 0; a < na; a++) {
			if (acc[a])
				continue;
			policy_prob(p, space_class(sp, s), a, q);
			if (mpq_sgn(q) > 0)
				bs_set(beh, s * na + a);
		}
	}
	mpq_clear(q);
}

/*
 * P(diverge) of the optimizer framing with every optimizer re-judged at
 * horizon 'h' (NULL: at h* + 1 for each, i.e. beyond its critical one).
 */
static bool
opt_at(struct cmp *x, struct opt_ctx *ctx, mpq_srcptr h, struct interval *out,
    struct diag *dg)
{
	const struct model *m = x->m;
	uint32_t n = m->nentities;
	mpq_t *lik = xreallocarray(NULL, n + 1, sizeof *lik);
	struct entity_result *ents = xcalloc(n + 1, sizeof *ents);
	mpq_t *d = xreallocarray(NULL, n + 1, sizeof *d), hh;
	bool ok;

	mpq_init(hh);
	for (uint32_t i = 0; i < n; i++) {
		const struct entity *e = &m->entities[i];
		mpq_inits(ents[i].likelihood, ents[i].divergence, d[i], NULL);
		if (e->kind != ENT_OPTIMIZER)
			continue;
		const struct entity_result *er = &x->r->ents[i];
		struct policy p;
		if (h)
			mpq_set(hh, h);
		else if (er->horizon_inf)
			mpq_set(hh, e->horizon);
		else {
			mpq_set_ui(hh, 1, 1);
			mpq_add(hh, hh, er->critical_horizon);
		}
		optimizer_policy(ctx, e, hh, &p);
		policy_judge(&p, x->sp, tolerance(x), &ents[i]);
		mpq_set_ui(d[i], ents[i].diverges, 1);
		policy_free(&p);
	}
	/* policy_judge stops at the deadline: its likelihoods are then
	 * partial and must not reach the output. */
	if (deadline_expired()) {
		diag_error_file(dg, 3, "the time limit (--timeout) was reached "
		    "while judging the optimizers; raise it or simplify the "
		    "model");
		ok = false;
	} else {
		struct posterior_in in = { .m = m, .lik = lik };
		for (uint32_t i = 0; i < n; i++) {
			mpq_init(lik[i]);
			mpq_set(lik[i], ents[i].likelihood);
		}
		ok = posterior_range(&in, d, x->f[OPT_FRAMING].in,
		    &x->c->check.lp, out, dg);
		for (uint32_t i = 0; i < n; i++)
			mpq_clear(lik[i]);
	}
	for (uint32_t i = 0; i < n; i++)
		mpq_clears(ents[i].likelihood, ents[i].divergence, d[i], NULL);
	free(ents);
	free(lik);
	free(d);
	mpq_clear(hh);
	return ok;
}

/* The behaviours of every consistent diverging entity, per framing. */
static void
behaviours(struct cmp *x)
{
	const struct model *m = x->m;
	struct opt_ctx ctx;
	bool any_opt = x->f[OPT_FRAMING].n > 0;

	if (any_opt)
		opt_ctx_init(&ctx, x->sp);
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		const struct entity_result *er = &x->r->ents[i];
		uint64_t *beh = x->f[e->kind == ENT_OPTIMIZER].beh;
		struct policy p;
		if (!er->consistent || !er->diverges)
			continue;
		if (e->kind == ENT_FAMILY) {
			/* Its first diverging member's counterexample. */
			if (er->witness.sit != BS_NONE)
				bs_set(beh, er->witness.sit * m->nactions +
				    er->witness.action);
			continue;
		}
		if (e->kind == ENT_OPTIMIZER) {
			optimizer_policy(&ctx, e, e->horizon, &p);
		} else {
			struct diag quiet;
			diag_init(&quiet, x->r->m->arena, x->m->src);
			policy_from_rules(&p, x->sp, e, &quiet);
			diag_fini(&quiet);
		}
		add_behaviour(x, &p, beh);
		policy_free(&p);
	}
	if (any_opt)
		opt_ctx_free(&ctx);
}

/* The width the text keeps to, like the check report. */
#define TEXT_WIDTH 79
/* A space that wrapped() never breaks at (inside "0.333333 (= 1/3)"). */
#define NBSP '\x01'

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
		fputc(*p == ' ' ? NBSP : *p, f);
	if (!mpq_equal(iv->lo, iv->hi)) {
		fputs(",", f);
		fputc(NBSP, f);
		for (const char *p = hi; *p; p++)
			fputc(*p == ' ' ? NBSP : *p, f);
		fputc(']', f);
	}
	arena_free(&a);
}

/*
 * Prints 'text' (one paragraph, 'col' columns already on the line) on
 * stdout, breaking at spaces before TEXT_WIDTH; continuation lines are
 * indented by 'indent'.  Frees 'text' (a memstream's buffer).
 */
static void
wrapped(char *text, int col, int indent)
{
	char *p = text;

	while (*p) {
		size_t n = strcspn(p, " ");
		if (col > indent && col + 1 + (int)n > TEXT_WIDTH) {
			printf("\n%*s", indent, "");
			col = indent;
		} else if (p != text) {
			putchar(' ');
			col++;
		}
		for (size_t i = 0; i < n; i++)
			putchar(p[i] == NBSP ? ' ' : p[i]);
		col += (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	putchar('\n');
	free(text);
}

/* A memstream for one paragraph; fatal if there is no memory. */
static FILE *
para(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		fatal("out of memory");
	return f;
}

static void
para_end(FILE *f)
{
	if (fclose(f) != 0)
		fatal("out of memory");
}

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

/* Which entities a framing's line lists: 0 all, 1 consistent, 2 those
 * that also diverge. */
enum { LIST_ALL, LIST_CONSISTENT, LIST_DIVERGING };

static bool
listed(const struct cmp *x, int k, int which, uint32_t i)
{
	const struct entity_result *er = &x->r->ents[i];

	return x->f[k].in[i] && (which == LIST_ALL || (er->consistent &&
	    (which == LIST_CONSISTENT || er->diverges)));
}

static struct json_object *
jnames(const struct cmp *x, int k, int which)
{
	struct json_object *arr = json_object_new_array();

	for (uint32_t i = 0; i < x->m->nentities; i++)
		if (listed(x, k, which, i))
			json_object_array_add(arr,
			    json_object_new_string(x->m->entities[i].name));
	return arr;
}

static void
print_names(const struct cmp *x, int k, int which, const char *label)
{
	uint32_t n = 0;
	char *buf;
	size_t len;
	FILE *f = para(&buf, &len);

	printf("    %-14s", label);
	for (uint32_t i = 0; i < x->m->nentities; i++)
		if (listed(x, k, which, i))
			fprintf(f, "%s%s", n++ ? ", " : "",
			    x->m->entities[i].name);
	fputs(n ? "" : "none", f);
	para_end(f);
	wrapped(buf, 18, 18);
}

/* Behaviours in a but not b (b may be NULL), as text or JSON. */
static void
list_behaviours(struct cmp *x, const uint64_t *a, const uint64_t *b,
    bool both, const char *label, struct json_object *json)
{
	uint32_t na = x->m->nactions;
	uint64_t shown = 0, total = 0;
	struct json_object *arr = json ? json_object_new_array() : NULL;

	if (!json)
		printf("  %s:", label);
	for (uint64_t bit = bs_next(a, x->bw, 0); bit != BS_NONE;
	    bit = bs_next(a, x->bw, bit + 1)) {
		bool inb = b && bs_test(b, bit);
		if (both != inb)
			continue;
		total++;
		uint64_t s = bit / na;
		uint32_t act = (uint32_t)(bit % na);
		if (json) {
			struct json_object *o = json_object_new_object();
			struct json_object *sit = json_object_new_object();
			for (uint32_t f = 0; f < x->m->nfeatures; f++)
				json_object_object_add(sit,
				    x->m->features[f].name,
				    json_object_new_string(
				    x->m->features[f].values[
				    space_value(x->sp, s, f)]));
			json_object_object_add(o, "situation", sit);
			json_object_object_add(o, "action",
			    json_object_new_string(x->m->actions[act].name));
			json_object_array_add(arr, o);
			continue;
		}
		if (shown++ < 8 || x->c->all)
			printf("\n    %s -> %s",
			    space_sit_text(x->sp, &x->a, s),
			    x->m->actions[act].name);
	}
	if (json) {
		json_object_object_add(json, label, arr);
		return;
	}
	if (total == 0)
		fputs(" none", stdout);
	else if (shown > 8 && !x->c->all)
		printf("\n    ... %llu in all (--all lists them)",
		    (unsigned long long)total);
	putchar('\n');
}

int
cmd_compare(const struct cli *c, const char *file)
{
	struct run run;
	struct cmp x = { .c = c };
	int status;

	run_file(&run, file, RUN_CHECK, &c->space, &c->check);
	diag_print(&run.diag, stderr, cli_color(c, STDERR_FILENO));
	status = run.status >= 2 ? run.status : 0;
	if (!run.have_result)
		goto out;
	if (!run.m->has_intended) {
		fprintf(stderr, "charcheck: error: %s has no 'intended' block: "
		    "there is no divergence to compare\n", file);
		status = 2;
		goto out;
	}
	x.m = run.m;
	x.sp = &run.sp;
	x.r = &run.r;
	x.bw = bs_words(run.sp.nsit * run.m->nactions);
	uint32_t n = run.m->nentities;
	mpq_t *d = xreallocarray(NULL, n + 1, sizeof *d);
	mpq_t *delta = xreallocarray(NULL, n + 1, sizeof *delta);
	mpq_t *lik = xreallocarray(NULL, n + 1, sizeof *lik);
	struct posterior_in in;
	for (uint32_t i = 0; i < n; i++) {
		mpq_init(d[i]);
		mpq_init(delta[i]);
		mpq_init(lik[i]);
		mpq_set(d[i], run.r.ents[i].share);
		mpq_set(delta[i], run.r.ents[i].divergence);
	}
	posterior_in_init(&in, &run.r, lik);
	/* The solver's failure, printed alone (the warnings already were). */
	struct diag fail;
	diag_init(&fail, &run.arena, run.src);
	bool ok = true;
	for (int k = 0; k < 2; k++) {
		struct framing *f = &x.f[k];
		f->in = xcalloc(n + 1, sizeof *f->in);
		f->beh = xcalloc(x.bw ? x.bw : 1, sizeof *f->beh);
		mpq_inits(f->p.lo, f->p.hi, f->e.lo, f->e.hi, NULL);
		for (uint32_t i = 0; i < n; i++)
			if (in_framing(&run.m->entities[i], k)) {
				f->in[i] = true;
				f->n++;
			}
		if (ok && f->n)
			ok = posterior_range(&in, d, f->in, &c->check.lp,
			    &f->p, &fail) &&
			    posterior_range(&in, delta, f->in,
			    &c->check.lp, &f->e, &fail);
	}
	struct interval myopic = { 0 }, farsighted = { 0 };
	mpq_inits(myopic.lo, myopic.hi, farsighted.lo, farsighted.hi, NULL);
	if (ok && x.f[OPT_FRAMING].n) {
		struct opt_ctx ctx;
		mpq_t zero;
		mpq_init(zero);
		opt_ctx_init(&ctx, &run.sp);
		ok = opt_at(&x, &ctx, zero, &myopic, &fail) &&
		    opt_at(&x, &ctx, NULL, &farsighted, &fail);
		opt_ctx_free(&ctx);
		mpq_clear(zero);
	}
	if (!ok) {
		diag_print(&fail, stderr, cli_color(c, STDERR_FILENO));
		status = 3;
		goto done;
	}
	behaviours(&x);
	if (c->format == FMT_JSON) {
		struct json_object *o = json_object_new_object();
		struct json_object *fr = json_object_new_array();
		json_object_object_add(o, "schema",
		    json_object_new_string("charcheck-compare/1"));
		json_object_object_add(o, "file", json_object_new_string(file));
		for (int k = 0; k < 2; k++) {
			struct json_object *j = json_object_new_object();
			json_object_object_add(j, "framing",
			    json_object_new_string(framing_name[k]));
			json_object_object_add(j, "entities", jnames(&x, k, 0));
			json_object_object_add(j, "consistent",
			    jnames(&x, k, 1));
			json_object_object_add(j, "diverging",
			    jnames(&x, k, 2));
			json_object_object_add(j, "diverge", x.f[k].n ?
			    jinterval(&x.f[k].p) : NULL);
			json_object_object_add(j, "expected_divergence",
			    x.f[k].n ? jinterval(&x.f[k].e) : NULL);
			if (k == OPT_FRAMING && x.f[k].n) {
				json_object_object_add(j,
				    "diverge_at_horizon_0", jinterval(&myopic));
				json_object_object_add(j,
				    "diverge_beyond_critical_horizons",
				    jinterval(&farsighted));
			}
			json_object_array_add(fr, j);
		}
		json_object_object_add(o, "framings", fr);
		struct json_object *b = json_object_new_object();
		list_behaviours(&x, x.f[0].beh, x.f[1].beh, true, "both", b);
		list_behaviours(&x, x.f[0].beh, x.f[1].beh, false,
		    "characters_only", b);
		list_behaviours(&x, x.f[1].beh, x.f[0].beh, false,
		    "optimizers_only", b);
		json_object_object_add(o, "behaviours", b);
		report_json_puts(stdout, json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE));
		putchar('\n');
		json_object_put(o);
		goto done;
	}
	printf("%s: character framing vs inner-optimizer framing\n",
	    file);
	for (int k = 0; k < 2; k++) {
		printf("\n  %s framing (%s)\n", k ? "Inner-optimizer" :
		    "Character", k ? "optimizers" : "characters and families");
		if (!x.f[k].n) {
			puts("    (none in this model)");
			continue;
		}
		print_names(&x, k, 0, "entities");
		print_names(&x, k, 1, "consistent");
		print_names(&x, k, 2, "diverging");
		const struct interval *iv[2] = { &x.f[k].p, &x.f[k].e };
		for (int j = 0; j < 2; j++) {
			char *buf;
			size_t len;
			FILE *f = para(&buf, &len);
			printf("    %-14s", j ? "E(divergence)" : "P(diverge)");
			print_interval(f, iv[j]);
			para_end(f);
			wrapped(buf, 18, 18);
		}
	}
	puts("\n  Diverging deployment behaviours (situation -> action)");
	list_behaviours(&x, x.f[0].beh, x.f[1].beh, true, "produced by both",
	    NULL);
	list_behaviours(&x, x.f[0].beh, x.f[1].beh, false,
	    "only by characters", NULL);
	list_behaviours(&x, x.f[1].beh, x.f[0].beh, false,
	    "only by optimizers", NULL);
	puts("\n  What moves P(diverge)");
	if (x.f[CHAR_FRAMING].n) {
		bool set = run.m->ndata > 0 || posterior_needs_lp(run.m);
		char *buf;
		size_t len;
		FILE *f = para(&buf, &len);
		fputs("characters: the prior", f);
		if (set) {
			fputs(". Over the prior set (weight intervals, data "
			    "factors", f);
			for (uint32_t k = 0; k < run.m->ndata; k++)
				fprintf(f, "%s%s", k ? ", " : ": ",
				    run.m->data[k].name);
			fputs(mpq_equal(x.f[CHAR_FRAMING].p.lo,
			    x.f[CHAR_FRAMING].p.hi) ? ") it is " :
			    ") it spans ", f);
		} else {
			fputs(", a point in this model: ", f);
		}
		print_interval(f, &x.f[CHAR_FRAMING].p);
		fputs("; training moves it only by refuting characters or by "
		    "unequal likelihoods.", f);
		para_end(f);
		fputs("    ", stdout);
		wrapped(buf, 4, 6);
	}
	if (x.f[OPT_FRAMING].n) {
		char *buf;
		size_t len;
		FILE *f = para(&buf, &len);
		int w = 16;
		fputs("optimizers: the horizon. Every optimizer at horizon 0: ",
		    f);
		print_interval(f, &myopic);
		fputs("; each just beyond its critical horizon: ", f);
		print_interval(f, &farsighted);
		fputs(".", f);
		para_end(f);
		fputs("    ", stdout);
		wrapped(buf, 4, 6);
		/* Each column fits its widest entry: names, and horizons
		 * as the check report prints numbers (1.33333 (= 4/3)). */
		int hw = 8, sw = 8;
		const char **h = xcalloc(n + 1, sizeof *h);
		const char **hs = xcalloc(n + 1, sizeof *hs);
		for (uint32_t i = 0; i < n; i++) {
			const struct entity *e = &run.m->entities[i];
			if (e->kind != ENT_OPTIMIZER)
				continue;
			h[i] = report_rat_text(&x.a, e->horizon);
			const struct entity_result *er = &run.r.ents[i];
			hs[i] = er->horizon_inf ? "inf" :
			    report_rat_text(&x.a, er->critical_horizon);
			if ((int)strlen(e->name) > w)
				w = (int)strlen(e->name);
			if ((int)strlen(h[i]) > hw)
				hw = (int)strlen(h[i]);
			if ((int)strlen(hs[i]) > sw)
				sw = (int)strlen(hs[i]);
		}
		puts("      Per optimizer (horizon, critical horizon h*, "
		    "label):");
		for (uint32_t i = 0; i < n; i++) {
			const struct entity_result *er = &run.r.ents[i];
			if (!h[i])
				continue;
			printf("      %-*s %*s %*s  %s\n", w,
			    run.m->entities[i].name, hw, h[i], sw, hs[i],
			    er->label == LABEL_DECEPTIVE ? "deceptive" :
			    er->label == LABEL_PROXY ? "proxy" : "-");
		}
		free(h);
		free(hs);
	}
done:
	for (int k = 0; k < 2; k++) {
		free(x.f[k].in);
		free(x.f[k].beh);
		mpq_clears(x.f[k].p.lo, x.f[k].p.hi, x.f[k].e.lo, x.f[k].e.hi,
		    NULL);
	}
	mpq_clears(myopic.lo, myopic.hi, farsighted.lo, farsighted.hi, NULL);
	for (uint32_t i = 0; i < n; i++) {
		mpq_clear(d[i]);
		mpq_clear(delta[i]);
		mpq_clear(lik[i]);
	}
	free(d);
	free(delta);
	free(lik);
	diag_fini(&fail);
	arena_free(&x.a);
out:
	run_free(&run);
	return status;
}
