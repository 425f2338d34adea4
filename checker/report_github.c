/*
 * report_github.c - GitHub Actions workflow commands (SPEC 5, --format
 * github): an ::error annotation on the line of each failing check and of
 * each diagnostic (::warning for warnings), then one plain summary line per
 * file.  Streams: main.c may call it once per file as each is checked.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * The words of a check, as report_text.c prints them (scratch arena)
 * ------------------------------------------------------------------------ */

/* A rational as "0.125", with " (= 1/8)" when the decimal is not exact. */
static const char *
rat_text(struct arena *a, mpq_srcptr q)
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
static const char *
value_text(struct arena *a, const struct result *r,
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
		return arena_printf(a, "%s %s", s, rat_text(a, cr->number));
	case VAL_NAMES:
		s = "";
		for (uint32_t i = 0; i < m->nentities; i++)
			if (cr->names[i])
				s = arena_printf(a, "%s%s%s", s, *s ? ", " : "",
				    m->entities[i].name);
		return arena_printf(a, "found {%s}", s);
	case VAL_UNDEFINED:
		return "undefined: no character explains the training data";
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
static const char *
culprit_text(struct arena *a, const struct result *r,
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
	for (uint32_t k = 0; k < m->nactions; k++)
		if (m->intended[er->witness_rule].accept[k])
			s = arena_printf(a, "%s%s%s", s, *s ? " | " : "",
			    m->actions[k].name);
	return arena_printf(a, "%s: %s -> %s (intended: %s)", er->e->name,
	    space_sit_text(r->sp, a, er->witness.sit),
	    m->actions[er->witness.action].name, s);
}

/* "no divergence (nobody diverges)": the claim and its label. */
static const char *
claim_text(struct arena *a, const struct check *c)
{
	if (!c->label)
		return c->claim;
	return arena_printf(a, "%s (%s)", c->claim, c->label);
}

/* ------------------------------------------------------------------------
 * Workflow commands
 * ------------------------------------------------------------------------ */

/*
 * 's' escaped as GitHub's runner unescapes it: '%', CR and LF in the
 * message; also ':' and ',' in a property (file=, title=), which they
 * would otherwise end.
 */
static void
put_escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

/*
 * "::error file=F,line=L,col=C,title=T::MESSAGE" (line, col and title
 * when given: 0 and NULL leave them out).
 */
static void
command(FILE *out, const char *level, const char *path, uint32_t line,
    uint32_t col, const char *title, const char *msg)
{
	fprintf(out, "::%s file=", level);
	put_escaped(out, path, true);
	if (line)
		fprintf(out, ",line=%u", line);
	if (col)
		fprintf(out, ",col=%u", col);
	if (title) {
		fputs(",title=", out);
		put_escaped(out, title, true);
	}
	fputs("::", out);
	put_escaped(out, msg, false);
	fputc('\n', out);
}

/*
 * One annotation per error and warning of 'd', each carrying the notes
 * that follow it ("FILE:LINE:COL: note: ...") on lines of its own.
 */
static void
diagnostics(FILE *out, struct arena *a, const char *path,
    const struct diag *d)
{
	for (uint32_t i = 0; d && i < d->len; i++) {
		const struct diag_entry *e = &d->v[i];
		uint32_t line = 0, col = 0;
		const char *msg = e->msg;
		if (e->level == DIAG_NOTE)
			continue;
		if (e->has_loc && d->src)
			source_linecol(d->src, e->loc.off, &line, &col);
		for (uint32_t j = i + 1; j < d->len &&
		    d->v[j].level == DIAG_NOTE; j++) {
			const struct diag_entry *n = &d->v[j];
			uint32_t nline = 0, ncol = 0;
			if (n->has_loc && d->src) {
				source_linecol(d->src, n->loc.off, &nline,
				    &ncol);
				msg = arena_printf(a, "%s\n%s:%u:%u: note: %s",
				    msg, path, nline, ncol, n->msg);
			} else {
				msg = arena_printf(a, "%s\n%s: note: %s", msg,
				    path, n->msg);
			}
		}
		command(out, e->level == DIAG_ERROR ? "error" : "warning",
		    path, line, col, NULL, msg);
	}
}

static const char *
plural(uint32_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The last line for one file, plain text (not a command). */
static void
summary(FILE *out, const struct file_report *f, uint32_t nfail)
{
	uint32_t nerr = f->d ? f->d->nerrors : 0;
	uint32_t nwarn = f->d ? f->d->nwarnings : 0;

	fputs("charcheck: ", out);
	put_escaped(out, f->path, false);
	if (!f->r)
		fprintf(out, ": %s (%u %s)", f->status == 3 ?
		    "resource limit or solver failure" : "invalid model", nerr,
		    plural(nerr, "error", "errors"));
	else if (f->r->m->nchecks == 0)
		fputs(": no checks", out);
	else
		fprintf(out, ": %u of %u checks failed", nfail,
		    f->r->m->nchecks);
	if (nwarn)
		fprintf(out, ", %u %s", nwarn, plural(nwarn, "warning",
		    "warnings"));
	fputc('\n', out);
}

/*
 * Prints the workflow commands of the 'n' files of 'f' to 'out', one per
 * line; passing checks print nothing but the summary.  Write errors are
 * left on 'out' for the caller's ferror().
 */
void
report_github(FILE *out, const struct file_report *f, size_t n)
{
	struct arena a = { 0 };

	for (size_t k = 0; k < n; k++) {
		const struct result *r = f[k].r;
		uint32_t nfail = 0;
		diagnostics(out, &a, f[k].path, f[k].d);
		for (uint32_t i = 0; r && i < r->m->nchecks; i++) {
			const struct check_result *cr = &r->checks[i];
			if (cr->holds)
				continue;
			const char *why = culprit_text(&a, r, cr);
			nfail++;
			command(out, "error", f[k].path, cr->c->line, 0,
			    arena_printf(&a, "charcheck: %s",
			    claim_text(&a, cr->c)),
			    arena_printf(&a, "%s%s%s", value_text(&a, r, cr),
			    why ? "\n" : "", why ? why : ""));
		}
		summary(out, &f[k], nfail);
	}
	arena_free(&a);
}
