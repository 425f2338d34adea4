/*
 * cmd_check.c - the default command: check each file and print its report
 * in the chosen format.  Text and GitHub annotations stream file by file;
 * JSON (an array for several files), JUnit and SARIF gather every file
 * first.  The machine formats are written at the end in one piece, so
 * that running out of memory midway (exit 3) prints the error alone and
 * never a truncated document.  The exit status is the worst over the
 * files.
 */
#include <stdlib.h>
#include <unistd.h>

#include "commands.h"
#include "report.h"

bool
cli_color(const struct cli *c, int fd)
{
	if (c->color >= 0)
		return c->color == 1;
	return isatty(fd) && getenv("NO_COLOR") == NULL;
}

bool
cli_run_checked(const struct cli *c, const char *file, struct run *run,
    int *status)
{
	run_file(run, file, RUN_CHECK, &c->space, &c->check);
	diag_print(&run->diag, stderr, cli_color(c, STDERR_FILENO));
	*status = run->status >= 2 ? run->status : 0;
	if (run->have_result)
		return true;
	run_free(run);
	return false;
}

int
cli_finish(const struct cli *c, struct run *run, struct diag *d, int status)
{
	diag_print(d, stderr, cli_color(c, STDERR_FILENO));
	if (d->status)
		status = d->status;
	diag_fini(d);
	run_free(run);
	return status;
}

/* The progress line on a terminal: the file, and where the check is. */
struct progress {
	const char *name;
	double t0, last;	/* the start, the last line printed */
	bool shown;		/* a line is on screen */
};

/*
 * "judged 512 of 1000 entities" on stderr after a second, at most four
 * times a second; the line is erased when the work is done.
 */
static void
progress(void *ctx, uint32_t done, uint32_t total)
{
	struct progress *p = ctx;
	double now = run_clock();

	if (done == total) {
		if (p->shown)
			fputs("\r\033[K", stderr);
		p->shown = false;
		return;
	}
	if (now - p->t0 < 1 || now - p->last < 0.25)
		return;
	p->last = now;
	p->shown = true;
	fprintf(stderr, "\rcharcheck: %s: judged %u of %u entities", p->name,
	    done, total);
	fflush(stderr);
}

/*
 * After several files' text reports: how many files ended in each status,
 * so that one line answers "did they all hold?".
 */
static void
print_total(const int count[4], int nfiles)
{
	static const char *const what[4][2] = {
		{ "holds", "hold" }, { "violated", "violated" },
		{ "invalid", "invalid" },
		{ "stopped (limit or solver)", "stopped (limit or solver)" },
	};
	const char *sep = ": ";

	printf("\n%d files", nfiles);
	for (int s = 0; s < 4; s++) {
		if (!count[s])
			continue;
		printf("%s%d %s", sep, count[s], what[s][count[s] != 1]);
		sep = ", ";
	}
	putchar('\n');
}

int
cmd_check(const struct cli *c, char **files, int nfiles)
{
	int count[4] = { 0 };	/* files per exit status */
	bool printed = false;	/* a text report is out */
	bool gather = c->format == FMT_JUNIT || c->format == FMT_SARIF;
	struct run *runs = xcalloc((size_t)nfiles, sizeof *runs);
	struct file_report *fr = xcalloc((size_t)nfiles, sizeof *fr);
	/* Several files' JSON reports are the elements of one array. */
	bool array = c->format == FMT_JSON && nfiles > 1;
	bool err_color = cli_color(c, STDERR_FILENO);
	struct report_opts ro = {
		.color = cli_color(c, STDOUT_FILENO), .quiet = c->quiet,
	};
	int status = 0;
	bool machine = c->format == FMT_JSON || gather;
	char *doc = NULL;
	size_t doclen = 0;
	FILE *out = machine ? open_memstream(&doc, &doclen) : stdout;

	if (!out)
		fatal("out of memory");
	for (int i = 0; i < nfiles; i++) {
		struct run *run = &runs[i];
		struct check_opts co = c->check;
		/* No format writes a value too long to keep unexpanded:
		 * JSON's _exact keys stop at 4,096 bits (D72). */
		co.lazy = true;
		struct progress pg = { .name = files[i], .t0 = run_clock() };
		if (isatty(STDERR_FILENO) && !c->quiet) {
			co.progress = progress;
			co.progress_ctx = &pg;
		}
		run_file(run, files[i], RUN_CHECK, &c->space, &co);
		if (run->status > status)
			status = run->status;
		count[run->status & 3]++;
		/* Diagnostics always go to stderr, whatever the format. */
		run->diag.hide_warnings = c->quiet || c->warnings < 0;
		if (c->warnings > 0)
			run->diag.warn_cap = 0;
		diag_print(&run->diag, stderr, err_color);
		fr[i] = (struct file_report){
			.path = files[i], .status = run->status,
			.r = run->have_result ? &run->r : NULL,
			.d = &run->diag,
		};
		double t0 = run_clock();
		switch (c->format) {
		case FMT_TEXT:
			/* A blank line between files' reports. */
			if (run->have_result) {
				if (printed && !c->quiet)
					putchar('\n');
				report_text(stdout, &run->r, files[i], &ro);
				printed = true;
			}
			break;
		case FMT_JSON:
			if (array)
				fputs(i ? ",\n  " : "[\n  ", out);
			report_json_print(out, fr[i].r, files[i],
			    run->status, &run->diag, REPORT_JSON_FLAGS,
			    array ? 2 : 0);
			if (!array)
				fputc('\n', out);
			break;
		case FMT_GITHUB:
			report_github(stdout, &fr[i], 1);
			break;
		case FMT_JUNIT:
		case FMT_SARIF:
			break;
		}
		fflush(stdout);
		run->secs[STAGE_REPORT] = run_clock() - t0;
		if (c->stats)
			run_stats(run, files[i], stderr);
		if (!gather)
			run_free(run);
	}
	if (array)
		fputs("\n]\n", out);
	if (c->format == FMT_TEXT && nfiles > 1 && !c->quiet)
		print_total(count, nfiles);
	if (c->format == FMT_JUNIT)
		report_junit(out, fr, (size_t)nfiles);
	if (c->format == FMT_SARIF)
		report_sarif(out, fr, (size_t)nfiles);
	if (machine) {
		if (fclose(out) != 0)
			fatal("out of memory");
		fwrite(doc, 1, doclen, stdout);
		free(doc);
	}
	if (gather)
		for (int i = 0; i < nfiles; i++)
			run_free(&runs[i]);
	free(fr);
	free(runs);
	return status;
}
