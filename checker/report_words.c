/*
 * report_words.c - the words of a check, shared by the CI printers (JUnit,
 * GitHub, SARIF): the value found, the culprit's witness or refutation,
 * and the claim with its label, as report_text.c prints them.  Strings go
 * to the caller's scratch arena.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* A rational as "0.125", with " (= 1/8)" when the decimal is not exact. */
const char *
report_rat_text(struct arena *a, mpq_srcptr q)
{
	char buf[32];
	const char *s;
	mpq_t back;

	snprintf(buf, sizeof buf, "%.6g", rational_get_d(q));
	s = arena_printf(a, "%s", buf);
	mpq_init(back);
	if ((!rational_parse(back, buf) || mpq_cmp(back, q) != 0) &&
	    mpz_sizeinbase(mpq_denref(q), 10) <= 12 &&
	    mpz_sizeinbase(mpq_numref(q), 10) <= 12) {
		char *exact = mpq_get_str(NULL, 10, q);
		s = arena_printf(a, "%s (= %s)", buf, exact);
		free(exact);
	}
	mpq_clear(back);
	return s;
}

static const char *const label_word[] = { "none", "deceptive", "proxy" };

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
		return arena_printf(a, "%s %s", s, report_rat_text(a, cr->number));
	case VAL_NAMES:
		s = "";
		for (uint32_t i = 0; i < m->nentities; i++)
			if (cr->names[i])
				s = arena_printf(a, "%s%s%s", s, *s ? ", " : "",
				    m->entities[i].name);
		return arena_printf(a, "found {%s}", s);
	case VAL_UNDEFINED:
		return "undefined: nothing explains the training data";
	case VAL_LABEL:
		return arena_printf(a, "label %s", label_word[cr->label]);
	case VAL_INF:
		return "critical horizon inf (no horizon makes it consistent)";
	case VAL_NONE:
		break;
	}
	return "";
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
	const struct model *m = r->m;
	const struct entity_result *er;
	const char *s = "";

	if (cr->holds || cr->culprit == NONE)
		return NULL;
	er = &r->ents[cr->culprit];
	if (!er->consistent && er->refuted_by == NONE)
		return arena_printf(a, "%s: has no member at all", er->e->name);
	if (!er->consistent) {
		const struct observation *ob = &m->training.obs[er->refuted_by];
		return arena_printf(a, "%s: refuted by the observation on "
		    "line %u: at %s it plays %s", er->e->name, ob->line,
		    space_sit_text(r->sp, a, er->refutation.sit),
		    er->refutation.action == NONE ? "nothing observed" :
		    m->actions[er->refutation.action].name);
	}
	if (!er->has_divergence || !er->diverges)
		return arena_printf(a, "%s: consistent, does not diverge",
		    er->e->name);
	if (er->witness.sit == BS_NONE)
		return arena_printf(a, "%s: diverges with no deployment "
		    "situation leaving the intended behaviour", er->e->name);
	for (uint32_t k = 0; k < m->nactions; k++)
		if (m->intended[er->witness_rule].accept[k])
			s = arena_printf(a, "%s%s%s", s, *s ? " | " : "",
			    m->actions[k].name);
	return arena_printf(a, "%s: %s -> %s (intended: %s)", er->e->name,
	    space_sit_text(r->sp, a, er->witness.sit),
	    m->actions[er->witness.action].name, s);
}

/* "no divergence (nobody diverges)": the claim and its label. */
const char *
report_claim_text(struct arena *a, const struct check *c)
{
	if (!c->label)
		return c->claim;
	return arena_printf(a, "%s (%s)", c->claim, c->label);
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
