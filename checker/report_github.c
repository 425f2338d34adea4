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
		uint32_t line, col;
		const char *msg = report_diag_text(a, path, d, i, &line, &col);
		if (msg)
			command(out, d->v[i].level == DIAG_ERROR ? "error" :
			    "warning", path, line, col, NULL, msg);
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
			const char *why = report_culprit_text(&a, r, cr);
			nfail++;
			command(out, "error", f[k].path, cr->c->line, 0,
			    arena_printf(&a, "charcheck: %s",
			    report_claim_text(&a, cr->c)),
			    arena_printf(&a, "%s%s%s",
			    report_value_text(&a, r, cr),
			    why ? "\n" : "", why ? why : ""));
		}
		const char *finding = r ? report_finding_text(&a, r) : NULL;
		if (finding)
			command(out, "notice", f[k].path, 0, 0,
			    "charcheck: only the prior decides", finding);
		summary(out, &f[k], nfail);
	}
	arena_free(&a);
}
