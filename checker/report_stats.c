/*
 * report_stats.c - --stats: one line on stderr per file with the sizes of
 * the model and its space, each stage's wall time (the run keeps them)
 * and the process's peak memory.
 */
#include "pipeline.h"

#include <sys/resource.h>

void
run_stats(const struct run *run, const char *path, FILE *f)
{
	static const char *const names[RUN_NSTAGES] = {
		"parse", "model", "space", "check", "report",
	};
	struct rusage ru;

	fprintf(f, "charcheck: stats: %s:", path);
	if (run->m && run->sp.m && !run->sp.nsit) {
		/* The layout refused the space (the count stopped at the
		 * limit): there are no sizes to give. */
		fputs(" over the situation limit, no space built;", f);
	} else if (run->m && run->sp.m) {
		fprintf(f, " %llu situations", (unsigned long long)
		    run->sp.full.nsit);
		if (run->sp.full.nsit != run->sp.nsit)
			fprintf(f, " (%llu after lumping hidden values)",
			    (unsigned long long)run->sp.nsit);
		fprintf(f, ", %llu classes, %u entities;",
		    (unsigned long long)run->sp.ncls, run->m->nentities);
	}
	for (int i = 0; i < RUN_NSTAGES; i++)
		fprintf(f, "%s %s %.1f ms", i ? "," : "", names[i],
		    run->secs[i] * 1e3);
	fprintf(f, "; model arena %.1f MB",
	    (double)run->arena.used / 1048576);
	/* Linux reports ru_maxrss in KiB. */
	if (getrusage(RUSAGE_SELF, &ru) == 0)
		fprintf(f, "; peak %.1f MB", (double)ru.ru_maxrss / 1024);
	fputc('\n', f);
}
