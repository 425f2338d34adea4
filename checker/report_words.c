/*
 * report_words.c - the words of a check, shared by the CI printers (JUnit,
 * GitHub, SARIF): the value found, the culprit's witness or refutation,
 * and the claim with its label, as report_text.c prints them.  Strings go
 * to the caller's scratch arena.
 */
#include "report.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* x > 0 as "2.14e-12500": three digits, any exponent (GMP's mpf). */
static const char *
sci_text(struct arena *a, mpq_srcptr x)
{
	mpf_t f;
	mp_exp_t e;

	mpf_init2(f, 64);
	mpf_set_q(f, x);
	char *d = mpf_get_str(NULL, &e, 10, 3, f);
	const char *s = d[1] ? arena_printf(a, "%c.%se%+ld", d[0], d + 1,
	    (long)e - 1) : arena_printf(a, "%ce%+ld", d[0], (long)e - 1);
	free(d);
	mpf_clear(f);
	return s;
}

/* Significant digits of a "%g" text: "0.0125" 3, "1e-05" 1. */
static int
sig_digits(const char *g)
{
	int n = 0;
	bool lead = true;

	for (; *g && *g != 'e'; g++) {
		if (*g < '0' || *g > '9' || (lead && *g == '0'))
			continue;
		lead = false;
		n++;
	}
	return n;
}

/*
 * A rational as "0.125"; with " (= 1/8)" when the short decimal is not
 * exact and the fraction is short; and never as a rounded number that
 * reads as another exact one: beyond the range of a double "~2.14e-12500",
 * and a long fraction whose decimal came out short (fewer than six
 * digits, so it reads as exact: "1", "0.99") as "~1 - 2.14e-12500", that
 * decimal and the distance to it.
 */
const char *
report_rat_text(struct arena *a, mpq_srcptr q)
{
	char buf[32];
	const char *s;
	double x = rational_get_d(q);
	mpq_t back;

	if (mpq_sgn(q) != 0 && (fabs(x) < DBL_MIN || isinf(x))) {
		mpq_t m;
		mpq_init(m);
		mpq_abs(m, q);
		s = arena_printf(a, "~%s%s", mpq_sgn(q) < 0 ? "-" : "",
		    sci_text(a, m));
		mpq_clear(m);
		return s;
	}
	snprintf(buf, sizeof buf, "%.6g", x);
	s = arena_printf(a, "%s", buf);
	mpq_init(back);
	if (rational_parse(back, buf) && mpq_cmp(back, q) == 0) {
		mpq_clear(back);
		return s;
	}
	if (mpz_sizeinbase(mpq_denref(q), 10) <= 12 &&
	    mpz_sizeinbase(mpq_numref(q), 10) <= 12) {
		char *exact = mpq_get_str(NULL, 10, q);
		s = arena_printf(a, "%s (= %s)", buf, exact);
		free(exact);
	} else if (sig_digits(buf) < 6 && rational_parse(back, buf)) {
		/* "0.99" or "1" reads as exact: say how far from it q is. */
		int side = mpq_cmp(q, back);
		mpq_sub(back, q, back);
		mpq_abs(back, back);
		s = arena_printf(a, "~%s %c %s", buf, side < 0 ? '-' : '+',
		    sci_text(a, back));
	}
	mpq_clear(back);
	return s;
}


/* sci_text of |v - r| ('r' NULL: 0). */
static const char *
big_sci_text(struct arena *a, const struct bigq *v, mpq_srcptr r)
{
	mp_exp_t e;
	char *d = bigq_get_str(v, r, 3, 64, &e);
	const char *s = d[1] ? arena_printf(a, "%c.%se%+ld", d[0], d + 1,
	    (long)e - 1) : arena_printf(a, "%ce%+ld", d[0], (long)e - 1);

	free(d);
	return s;
}

/*
 * report_rat_text step by step, each step asked of the unexpanded value
 * (which answers exactly): the value is positive, so no sign is printed.
 */
const char *
report_big_text(struct arena *a, const struct bigq *v)
{
	char buf[32];
	const char *s;
	double x = bigq_get_d(v);
	mpq_t back;

	if (bigq_cmp_q(v, NULL) != 0 && (fabs(x) < DBL_MIN || isinf(x)))
		return arena_printf(a, "~%s", big_sci_text(a, v, NULL));
	snprintf(buf, sizeof buf, "%.6g", x);
	s = arena_printf(a, "%s", buf);
	mpq_init(back);
	if (rational_parse(back, buf) && bigq_cmp_q(v, back) == 0) {
		mpq_clear(back);
		return s;
	}
	mpq_t exact;
	mpq_init(exact);
	if (bigq_short(v, 12, exact)) {
		char *str = mpq_get_str(NULL, 10, exact);
		s = arena_printf(a, "%s (= %s)", buf, str);
		free(str);
	} else if (sig_digits(buf) < 6 && rational_parse(back, buf)) {
		int side = bigq_cmp_q(v, back);
		s = arena_printf(a, "~%s %c %s", buf, side < 0 ? '-' : '+',
		    big_sci_text(a, v, back));
	}
	mpq_clear(exact);
	mpq_clear(back);
	return s;
}

/* What check 'cr' found (SPEC 6.3): "max 0.4", "found {a, b}", ... */
const char *
report_value_text(struct arena *a, const struct result *r,
    const struct check_result *cr)
{
	const struct model *m = r->m;
	const char *s;

	switch (cr->kind) {
	case VAL_NUMBER:
		if (cr->c->kind == CK_HORIZON)
			s = "critical horizon";
		else if (!cr->bound)
			s = "value";
		else
			s = cr->c->cmp == CMP_LT || cr->c->cmp == CMP_LE ?
			    "max" : "min";
		return arena_printf(a, "%s %s", s, cr->big ?
		    report_big_text(a, cr->big) : report_rat_text(a,
		    cr->number));
	case VAL_NAMES: {
		/* Measured, then copied once: reprinting the list per name
		 * was quadratic (3.4 s and 735 MB at 8,000 names). */
		size_t len = sizeof "found {}";
		for (uint32_t i = 0; i < m->nentities; i++)
			if (cr->names[i])
				len += strlen(m->entities[i].name) + 2;
		char *t = arena_alloc(a, len), *q = t;
		memcpy(q, "found {", 7);
		q += 7;
		for (uint32_t i = 0; i < m->nentities; i++)
			if (cr->names[i]) {
				size_t n = strlen(m->entities[i].name);
				if (q > t + 7) {
					memcpy(q, ", ", 2);
					q += 2;
				}
				memcpy(q, m->entities[i].name, n);
				q += n;
			}
		memcpy(q, "}", 2);
		return t;
	}
	case VAL_UNDEFINED:
		return "undefined: nothing explains the training data";
	case VAL_LABEL:
		return arena_printf(a, "label %s", ast_label_word[cr->label]);
	case VAL_INF:
		return "critical horizon inf (no horizon makes it consistent)";
	case VAL_NONE:
		break;
	}
	return "";
}

const char *
report_outcome_text(struct arena *a, const struct model *m,
    const struct outcome *o)
{
	const char *s = "";

	for (uint32_t j = 0; j < o->n; j++)
		s = arena_printf(a, "%s%s%s", s, j ? " | " : "",
		    m->actions[o->acts[j]].name);
	return s;
}

const char *
report_refutation_words(struct arena *a, const struct space *sp,
    const struct observation *ob, const struct refutation *rf)
{
	const struct model *m = sp->m;

	if (rf->zero != NONE) {
		/* A count refutes through an outcome drawn n > 0 times that
		 * the policy never plays where training has weight. */
		unsigned long n = ob->count[rf->zero];
		const char *act = report_outcome_text(a, m,
		    &ob->count_out[rf->zero]);
		const char *s = arena_printf(a, "%s seen %lu time%s, but "
		    "q(%s) = 0 (never played where training has weight", act,
		    n, n == 1 ? "" : "s", act);
		if (rf->example != BS_NONE)
			s = arena_printf(a, "%s; at %s it plays %s", s,
			    space_sit_text(sp, a, rf->example),
			    m->actions[rf->example_action].name);
		return arena_printf(a, "%s)", s);
	}
	return arena_printf(a, "at %s it plays %s", space_sit_text(sp, a,
	    rf->sit), rf->action == NONE ? "nothing observed" :
	    m->actions[rf->action].name);
}

const char *
report_refutation_text(struct arena *a, const struct result *r,
    const struct entity_result *er)
{
	const struct observation *ob = &r->m->training.obs[er->refuted_by];

	return arena_printf(a, "refuted by the observation on line %u: %s",
	    ob->line, report_refutation_words(a, r->sp, ob, &er->refutation));
}

/*
 * Why failing check 'cr' fails, in its culprit's words: "name: witness"
 * for a diverging entity, "name: refuted by ..." for a refuted one.  NULL
 * when the check holds or names no culprit.
 */
const char *
report_culprit_text(struct arena *a, const struct result *r,
    const struct check_result *cr)
{
	const struct entity_result *er;

	if (cr->holds || cr->culprit == NONE)
		return NULL;
	er = &r->ents[cr->culprit];
	if (!er->consistent && er->refuted_by == NONE)
		return arena_printf(a, "%s: has no member at all", er->e->name);
	if (!er->consistent)
		return arena_printf(a, "%s: %s", er->e->name,
		    report_refutation_text(a, r, er));
	if (!er->has_divergence || !er->diverges)
		return arena_printf(a, "%s: consistent, does not diverge",
		    er->e->name);
	return arena_printf(a, "%s: %s", er->e->name,
	    report_witness_text(a, r, er));
}

const char *
report_witness_text(struct arena *a, const struct result *r,
    const struct entity_result *er)
{
	const struct model *m = r->m;
	const char *s = "";

	/* Diverging at a tolerance below 0: no situation to show. */
	if (er->witness.sit == BS_NONE)
		return "(no deployment situation leaves the intended "
		    "behaviour)";
	for (uint32_t k = 0; k < m->nactions; k++)
		if (m->intended[er->witness_rule].accept[k])
			s = arena_printf(a, "%s%s%s", s, *s ? " | " : "",
			    m->actions[k].name);
	return arena_printf(a, "%s -> %s (intended: %s)",
	    space_sit_text(r->sp, a, er->witness.sit),
	    m->actions[er->witness.action].name, s);
}

const char *
report_finding_text(struct arena *a, const struct result *r)
{
	if (!r->indistinguishable)
		return NULL;
	return arena_printf(a, "Training cannot tell these %u apart (equal "
	    "likelihoods), yet some diverge at deployment: only the prior "
	    "decides between them.", r->nconsistent);
}

/* "no divergence (nobody diverges)": the claim and its label. */
const char *
report_claim_text(struct arena *a, const struct check *c)
{
	if (!c->label)
		return c->claim;
	return arena_printf(a, "%s (%s)", c->claim, c->label);
}


void
report_wrap(FILE *f, const char *text, int col, int indent, int width)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, " ");
		if (col > indent && col + 1 + (int)n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
		} else if (p != text) {
			fputc(' ', f);
			col++;
		}
		for (size_t i = 0; i < n; i++)
			fputc(p[i] == REPORT_NBSP ? ' ' : p[i], f);
		col += (int)n;
		p += n;
		while (*p == ' ')
			p++;
	}
	fputc('\n', f);
}

/*
 * Length of the UTF-8 sequence at 's' with its code point in *cp, or 0
 * when it is not well-formed (overlong, surrogate, past U+10FFFF).
 */
size_t
report_utf8_next(const unsigned char *s, uint32_t *cp)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 :
	    s[0] >= 0xe0 && s[0] < 0xf0 ? 3 : s[0] >= 0xf0 && s[0] < 0xf5 ?
	    4 : 0;
	uint32_t c = len == 1 ? s[0] : s[0] & (0x7f >> len);

	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (len == 0 || c < min[len] || c > 0x10ffff ||
	    (c >= 0xd800 && c < 0xe000))
		return 0;
	*cp = c;
	return len;
}

const char *
report_diag_text(struct arena *a, const char *path, const struct diag *d,
    uint32_t i, uint32_t *line, uint32_t *col)
{
	const struct diag_entry *e = &d->v[i];
	const char *msg = e->msg;

	*line = *col = 0;
	if (e->level == DIAG_NOTE)
		return NULL;
	if (e->has_loc && d->src)
		source_linecol(d->src, e->loc.off, line, col);
	for (uint32_t j = i + 1; j < d->len && d->v[j].level == DIAG_NOTE;
	    j++) {
		const struct diag_entry *n = &d->v[j];
		uint32_t nl = 0, nc = 0;
		if (n->has_loc && d->src) {
			source_linecol(d->src, n->loc.off, &nl, &nc);
			msg = arena_printf(a, "%s\n%s:%u:%u: note: %s", msg,
			    path, nl, nc, n->msg);
		} else {
			msg = arena_printf(a, "%s\n%s: note: %s", msg, path,
			    n->msg);
		}
	}
	return msg;
}
