/*
 * report_text.c - the report for people: a header with the sizes, the
 * characters that training keeps and refutes (with witnesses), the ones
 * that diverge (with counterexamples), the posterior, and every check
 * with PASS/FAIL and its line.  Colour only when asked (a terminal).
 */
#include "report.h"

#include "draws.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct out {
	FILE *f;
	bool color;
	struct arena a;		/* scratch for situation texts */
};

static const char *
paint(const struct out *o, const char *code)
{
	return o->color ? code : "";
}
#define BOLD(o)  paint(o, "\033[1m")
#define RED(o)   paint(o, "\033[1;31m")
#define GREEN(o) paint(o, "\033[1;32m")
#define YEL(o)   paint(o, "\033[33m")
#define DIM(o)   paint(o, "\033[2m")
#define OFF(o)   paint(o, "\033[0m")

/* A rational in the words every printer uses (report_rat_text). */
static void
print_rat(struct out *o, mpq_srcptr q)
{
	fputs(report_rat_text(&o->a, q), o->f);
}

static void
print_range(struct out *o, const struct range *r)
{
	/* As written in the file: 0.3 or [0.3, 0.6]. */
	if (r->interval)
		fputs("[", o->f);
	print_rat(o, r->lo);
	if (r->interval) {
		fputs(", ", o->f);
		print_rat(o, r->hi);
		fputs("]", o->f);
	}
}

/* A number written out, or kept unexpanded ('big', draws.h). */
static void
print_end(struct out *o, mpq_srcptr q, const struct bigq *big)
{
	if (big)
		fputs(report_big_text(&o->a, big), o->f);
	else
		print_rat(o, q);
}

static void
print_interval(struct out *o, const struct interval *iv)
{
	if (!iv->defined) {
		fputs("undefined (nothing explains the training data)",
		    o->f);
		return;
	}
	if (draws_is_point(iv)) {
		print_end(o, iv->lo, iv->lo_big);
		return;
	}
	fputs("[", o->f);
	print_end(o, iv->lo, iv->lo_big);
	fputs(", ", o->f);
	print_end(o, iv->hi, iv->hi_big);
	fputs("]", o->f);
}

static const char *
sit(struct out *o, const struct result *r, uint64_t s)
{
	return space_sit_text(r->sp, &o->a, s);
}

static void
print_witness(struct out *o, const struct result *r,
    const struct entity_result *er)
{
	fputs(report_witness_text(&o->a, r, er), o->f);
}

static void
print_refutation(struct out *o, const struct result *r,
    const struct entity_result *er)
{
	fputs(report_refutation_text(&o->a, r, er), o->f);
}

static size_t
name_width(const struct model *m)
{
	size_t w = 4;

	for (uint32_t i = 0; i < m->nentities; i++)
		if (strlen(m->entities[i].name) > w)
			w = strlen(m->entities[i].name);
	return w > 24 ? 24 : w;
}

static void
header(struct out *o, const struct result *r, const char *path)
{
	const struct model *m = r->m;
	const struct space *sp = r->sp;
	bool any_hidden = false;

	/* Names and titles may hold any byte: escaped for the terminal. */
	fputs(BOLD(o), o->f);
	diag_put_safe(o->f, path);
	fputs(OFF(o), o->f);
	if (m->title) {
		fputs(": ", o->f);
		diag_put_safe(o->f, m->title);
	}
	fprintf(o->f, "\n  %llu situations, %llu visible classes",
	    (unsigned long long)sp->full.nsit, (unsigned long long)sp->ncls);
	for (uint32_t f = 0; f < m->nfeatures; f++)
		any_hidden |= !m->features[f].visible;
	if (any_hidden) {
		bool first = true;
		fputs(" (hidden: ", o->f);
		for (uint32_t f = 0; f < m->nfeatures; f++)
			if (!m->features[f].visible) {
				fprintf(o->f, "%s%s", first ? "" : ", ",
				    m->features[f].name);
				first = false;
			}
		fputs(")", o->f);
	}
	fprintf(o->f, "; %llu training, %llu deployment situations\n",
	    (unsigned long long)sp->full.ntrain,
	    (unsigned long long)sp->full.ndeploy);
}

/* A big count: digit-grouped when short, else its size and product form. */
static void
print_count(struct out *o, mpz_srcptr z, const uint64_t *pow, uint32_t na)
{
	size_t digits = mpz_sizeinbase(z, 10);
	bool first = true;

	if (digits <= 15) {
		char *s = mpz_get_str(NULL, 10, z);
		size_t n = strlen(s);
		for (size_t i = 0; i < n; i++) {
			if (i && (n - i) % 3 == 0)
				fputc(',', o->f);
			fputc(s[i], o->f);
		}
		free(s);
		if (!pow)
			return;
		/* The product form when it says more than the number. */
		uint32_t nterms = 0;
		for (uint32_t k = 2; k <= na; k++)
			nterms += pow[k] > 1 || (pow[k] && nterms);
		if (nterms == 0)
			return;
		fputs(" = ", o->f);
	} else if (!pow) {
		fprintf(o->f, "(a %zu-digit number)", digits);
		return;
	}
	for (uint32_t k = 0; k <= na; k++) {
		if (!pow[k] || k == 1)
			continue;
		fprintf(o->f, "%s%u^%llu", first ? "" : " * ", k,
		    (unsigned long long)pow[k]);
		first = false;
	}
	if (first)
		fputs("1", o->f);
	if (digits > 15)
		fprintf(o->f, " (%zu digits)", digits);
}

/* The line after the name: the kind and what the prior says. */
static void
describe(struct out *o, const struct result *r,
    const struct entity_result *er)
{
	const struct model *m = r->m;
	const struct entity *e = er->e;

	fputs("prior ", o->f);
	print_range(o, &e->prior);
	for (uint32_t t = 0; t < e->ntraits; t++)
		fprintf(o->f, "%s%s", t ? ", " : ", trait ",
		    m->traits[e->traits[t]].name);
	if (e->kind == ENT_FAMILY) {
		uint32_t nfa = 0;
		for (uint32_t a = 0; a < m->nactions; a++)
			nfa += e->fam_actions[a];
		fputs("; family over ", o->f);
		for (uint32_t j = 0; j < e->nover; j++)
			fprintf(o->f, "%s%s", j ? ", " : "",
			    m->features[e->over[j]].name);
		fprintf(o->f, " (%llu cells), ",
		    (unsigned long long)er->ncells);
		uint64_t *pow = xcalloc(m->nactions + 1, sizeof *pow);
		pow[nfa] = er->ncells;
		print_count(o, er->members, pow, m->nactions);
		free(pow);
		fputs(" members", o->f);
	} else if (e->kind == ENT_OPTIMIZER) {
		fputs("; optimizer with horizon ", o->f);
		print_rat(o, e->horizon);
		fputs(", critical horizon ", o->f);
		if (er->horizon_inf)
			fputs("inf", o->f);
		else
			print_rat(o, er->critical_horizon);
	}
	fputs("\n", o->f);
}

static void
print_consistent(struct out *o, const struct result *r,
    const struct entity_result *er, int w)
{
	const struct entity *e = er->e;
	const struct model *m = r->m;

	fprintf(o->f, "  %s%-*s%s  ", BOLD(o), w, e->name, OFF(o));
	describe(o, r, er);
	fprintf(o->f, "  %*s  ", w, "");
	if (e->kind == ENT_FAMILY) {
		print_count(o, er->consistent_members, er->cons_pow,
		    m->nactions);
		fputs(mpz_cmp_ui(er->consistent_members, 1) == 0 ?
		    " member survives training (likelihood " :
		    " members survive training (likelihood ", o->f);
	} else {
		fputs("likelihood ", o->f);
	}
	print_end(o, er->likelihood, er->lik_big);
	if (e->kind == ENT_FAMILY)
		fputs(")", o->f);
	else if (fabs(er->lik_big ? bigq_get_d(er->lik_big) :
	    rational_get_d(er->likelihood)) < DBL_MIN)
		fprintf(o->f, " (log-likelihood %.6g)", er->log_likelihood);
	fputs("\n", o->f);
	if (!er->has_divergence)
		return;
	fprintf(o->f, "  %*s  ", w, "");
	if (!er->diverges) {
		fputs("behaves as intended at deployment", o->f);
		if (mpq_sgn(er->divergence) > 0) {
			fputs(" (divergence ", o->f);
			print_rat(o, er->divergence);
			fputs(", within the tolerance)", o->f);
		}
		fputs("\n", o->f);
		return;
	}
	if (e->kind == ENT_FAMILY) {
		fprintf(o->f, "%sDIVERGES%s: ", RED(o), OFF(o));
		print_count(o, er->diverging_members, NULL, m->nactions);
		fputs(mpz_cmp_ui(er->diverging_members, 1) == 0 ?
		    " of them diverges (share " : " of them diverge (share ",
		    o->f);
		print_rat(o, er->share);
		fputs(", mean divergence ", o->f);
		print_rat(o, er->divergence);
		fputs(")\n", o->f);
		fprintf(o->f, "  %*s  first diverging member: ", w, "");
	} else {
		fprintf(o->f, "%sDIVERGES%s (divergence ", RED(o), OFF(o));
		print_rat(o, er->divergence);
		fputs(")", o->f);
		if (e->kind == ENT_OPTIMIZER && er->label != LABEL_NONE)
			fprintf(o->f, ", %s%s%s", BOLD(o),
			    er->label == LABEL_DECEPTIVE ? "deceptive: it "
			    "plays along only because it values its future" :
			    "proxy: its goal matches training but not "
			    "deployment", OFF(o));
		fprintf(o->f, "\n  %*s  ", w, "");
	}
	print_witness(o, r, er);
	fputs("\n", o->f);
}

static void
print_refuted(struct out *o, const struct result *r,
    const struct entity_result *er, int w)
{
	fprintf(o->f, "  %s%-*s%s  ", BOLD(o), w, er->e->name, OFF(o));
	describe(o, r, er);
	fprintf(o->f, "  %*s  ", w, "");
	if (er->refuted_by == NONE)
		fputs("has no member at all", o->f);
	else
		print_refutation(o, r, er);
	fputs("\n", o->f);
}

static void
entities(struct out *o, const struct result *r)
{
	const struct model *m = r->m;
	int w = (int)name_width(m);
	uint32_t ncons = r->nconsistent;

	fprintf(o->f, "\n%sConsistent with training%s (%u of %u)\n",
	    BOLD(o), OFF(o), ncons, m->nentities);
	if (ncons == 0)
		fputs("  none: nothing explains the training data\n", o->f);
	for (uint32_t i = 0; i < m->nentities; i++)
		if (r->ents[i].consistent)
			print_consistent(o, r, &r->ents[i], w);
	if (ncons < m->nentities) {
		fprintf(o->f, "\n%sRefuted by training%s (%u)\n", BOLD(o),
		    OFF(o), m->nentities - ncons);
		for (uint32_t i = 0; i < m->nentities; i++)
			if (!r->ents[i].consistent)
				print_refuted(o, r, &r->ents[i], w);
	}
	/* The point of the tool: training cannot separate equal likelihoods. */
	const char *finding = report_finding_text(&o->a, r);
	if (finding) {
		fputs("\n  ", o->f);
		report_wrap(o->f, finding, 2, 2, 76);
	}
}

static void
audit(struct out *o, const struct result *r)
{
	const struct model *m = r->m;
	const struct audit_result *au = &r->audit;
	bool any = false;

	if (!au->has)
		return;
	bool one = r->sp->full.naudit == 1;
	fprintf(o->f, "\n%sAudit%s over the %llu %s%s\n", BOLD(o),
	    OFF(o), (unsigned long long)r->sp->full.naudit,
	    m->has_audit ? "audit situation" : "training situation",
	    m->has_audit ? (one ? "" : "s") : (one ? " (no audit block)" :
	    "s (no audit block)"));
	/* No plan: nothing to catch, or nothing an audit here can catch. */
	bool hidden = false;
	for (uint32_t i = 0; i < m->nentities; i++)
		hidden |= au->undetectable[i];
	if (au->nplan == 0)
		fputs(hidden ? "  plan: none (no audit of these situations "
		    "can catch what diverges)\n" : "  plan: no audit needed "
		    "(no consistent character or optimizer diverges)\n",
		    o->f);
	for (uint32_t k = 0; k < au->nplan; k++) {
		bool first = true;
		fprintf(o->f, "  %u. %s refutes ", k + 1,
		    sit(o, r, au->plan[k]));
		for (uint32_t i = 0; i < m->nentities; i++)
			if (au->refutes[k * m->nentities + i]) {
				fprintf(o->f, "%s%s", first ? "" : ", ",
				    m->entities[i].name);
				first = false;
			}
		fputs("\n", o->f);
	}
	if (!au->minimal)
		fprintf(o->f, "  not proven minimal: the search stopped at its "
		    "limit; a plan needs at least %u situation%s\n",
		    au->lower_bound, au->lower_bound == 1 ? "" : "s");
	for (uint32_t i = 0; i < m->nentities; i++)
		if (au->undetectable[i]) {
			fprintf(o->f, "%s%s", any ? ", " : "  undetectable "
			    "(no audit situation shows their divergence): ",
			    m->entities[i].name);
			any = true;
		}
	if (any)
		fputs("\n", o->f);
}

/*
 * Under an interval posterior: what training did (refuted some, weighed
 * the rest by their likelihoods) and that the width is the prior's, so
 * the interval does not read as "training did not matter".
 */
static void
evidence(struct out *o, const struct result *r)
{
	const struct model *m = r->m;
	uint32_t nrefuted = 0, lo = NONE, hi = NONE;

	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity_result *er = &r->ents[i];
		if (!er->consistent) {
			nrefuted++;
			continue;
		}
		if (lo == NONE || draws_cmp(r, i, lo) < 0)
			lo = i;
		if (hi == NONE || draws_cmp(r, i, hi) > 0)
			hi = i;
	}
	if (nrefuted)
		fprintf(o->f, "  Training refuted %u of %u", nrefuted,
		    m->nentities);
	else
		fprintf(o->f, "  Training refuted none of the %u",
		    m->nentities);
	if (lo == NONE)
		fputs(".\n", o->f);
	else if (draws_cmp(r, lo, hi) == 0)
		fprintf(o->f, " and found %s equally likely.\n",
		    nrefuted ? "the others" : "them");
	else {
		fprintf(o->f, " and weighs %s by their likelihoods,\n  from ",
		    nrefuted ? "the others" : "them");
		print_end(o, r->ents[lo].likelihood, r->ents[lo].lik_big);
		fputs(" to ", o->f);
		print_end(o, r->ents[hi].likelihood, r->ents[hi].lik_big);
		fputs(".\n", o->f);
	}
	fputs("  The interval's width comes from the prior (uncertain "
	    "weights, data\n  factors, constraints): the same evidence "
	    "applies at every point.\n", o->f);
}

static void
posterior(struct out *o, const struct result *r)
{
	const struct model *m = r->m;

	if (!r->has_posterior)
		return;
	fprintf(o->f, "\n%sPosterior%s\n  P(diverge)      = ", BOLD(o),
	    OFF(o));
	print_interval(o, &r->diverge);
	fputs("\n  E(divergence)   = ", o->f);
	print_interval(o, &r->expected);
	fputs("\n", o->f);
	for (uint32_t k = 0; k < m->ndata; k++) {
		const struct data_item *di = &m->data[k];
		fprintf(o->f, "  data %s scales trait %s by ", di->name,
		    m->traits[di->trait].name);
		print_range(o, &di->scale);
		fputs("\n", o->f);
	}
	if (r->diverge.defined && !draws_is_point(&r->diverge))
		evidence(o, r);
}

static void
checks(struct out *o, const struct result *r, bool quiet)
{
	const struct model *m = r->m;
	uint32_t nfail = 0;

	if (m->nchecks == 0) {
		if (!quiet)
			fputs("\nNo checks.\n", o->f);
		return;
	}
	if (!quiet)
		fprintf(o->f, "\n%sChecks%s\n", BOLD(o), OFF(o));
	for (uint32_t i = 0; i < m->nchecks; i++) {
		const struct check_result *cr = &r->checks[i];
		const struct check *c = cr->c;
		nfail += !cr->holds;
		if (quiet && cr->holds)
			continue;
		fprintf(o->f, "  %s%s%s  line %-4u %s", cr->holds ? GREEN(o) :
		    RED(o), cr->holds ? "PASS" : "FAIL", OFF(o), c->line,
		    c->claim);
		if (c->label) {
			fputs("  \"", o->f);
			diag_put_safe(o->f, c->label);
			fputc('"', o->f);
		}
		fprintf(o->f, "\n             %s\n",
		    report_value_text(&o->a, r, cr));
		const char *why = report_culprit_text(&o->a, r, cr);
		if (why)
			fprintf(o->f, "             %s\n", why);
	}
	fprintf(o->f, "\n%s%u of %u checks failed%s\n", nfail ? RED(o) :
	    GREEN(o), nfail, m->nchecks, OFF(o));
}

void
report_text(FILE *f, const struct result *r, const char *path,
    const struct report_opts *ro)
{
	struct out o = { .f = f, .color = ro->color };

	if (ro->quiet) {
		bool any = false;
		for (uint32_t i = 0; i < r->m->nchecks; i++)
			any |= !r->checks[i].holds;
		if (any) {
			diag_put_safe(f, path);
			fputc('\n', f);
			checks(&o, r, true);
		}
		arena_free(&o.a);
		return;
	}
	header(&o, r, path);
	entities(&o, r);
	posterior(&o, r);
	audit(&o, r);
	checks(&o, r, false);
	arena_free(&o.a);
}
