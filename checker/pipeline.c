/*
 * pipeline.c - the stages in order, one call each, stopping at the first
 * stage that reports an error.
 */
#define _DEFAULT_SOURCE 1	/* madvise's MADV_POPULATE_WRITE */

#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>
#include <sys/stat.h>

/*
 * Prefaulting.  On the VMs this was measured on, the first touch of fresh
 * memory costs about 3 ms per MB, more than the engines' own work on a big
 * model.  Before a big file is parsed, the heap is grown by an estimate of
 * what the run will use (freed at once, so the allocations that follow
 * are carved from it) and a helper thread asks the kernel to populate
 * those pages while the main thread parses: a third of the fault cost
 * leaves the main thread (bench row a: about 10 ms).  Best effort: on an
 * old kernel, or when the guess is wrong, nothing but the helper's time
 * is lost.
 */
#define PREFAULT_PER_BYTE 32		/* run memory per source byte */
#define PREFAULT_MIN ((size_t)4 << 20)	/* below: not worth a thread */
#define PREFAULT_MAX ((size_t)48 << 20)	/* stays in the brk heap */

struct prefault {
	void *lo;
	size_t len;
};

static void *
prefault_run(void *arg)
{
	struct prefault pf = *(struct prefault *)arg;

	free(arg);
#ifdef MADV_POPULATE_WRITE
	(void)madvise(pf.lo, pf.len, MADV_POPULATE_WRITE);
#else
	(void)pf;
#endif
	return NULL;
}

void
run_prefault(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || st.st_size <= 0 ||
	    (uint64_t)st.st_size > PREFAULT_MAX / PREFAULT_PER_BYTE)
		return;
	size_t want = (size_t)st.st_size * PREFAULT_PER_BYTE;
	if (want < PREFAULT_MIN)
		return;
	char *block = malloc(want);
	if (!block)
		return;
	uintptr_t lo = ((uintptr_t)block + 4095) & ~(uintptr_t)4095;
	uintptr_t hi = ((uintptr_t)block + want) & ~(uintptr_t)4095;
	/* Back to the heap's top, untouched; the next allocations reuse it. */
	free(block);
	struct prefault *pf = malloc(sizeof *pf);
	pthread_t th;
	if (!pf || hi <= lo) {
		free(pf);
		return;
	}
	pf->lo = (void *)lo;
	pf->len = hi - lo;
	if (pthread_create(&th, NULL, prefault_run, pf) != 0) {
		free(pf);
		return;
	}
	pthread_detach(th);
}

double
run_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The stages after reading, up to 'until'; 't' is when reading began. */
static void
run_stages(struct run *run, enum run_until until,
    const struct space_opts *so, const struct check_opts *co, double t)
{
	double t0;

	run->ast = parse_source_split(&run->arena, &run->ast_arena,
	    run->src, &run->diag);
	run->secs[STAGE_PARSE] = (t0 = run_clock()) - t;
	if (until > RUN_PARSE && run->diag.nerrors == 0)
		run->m = sema_run(&run->arena, run->ast, &run->diag);
	/* The space reuses the AST's memory: on a 250 KB model that is 4 MB
	 * the space need not fault in afresh. */
	if (until > RUN_PARSE) {
		arena_free(&run->ast_arena);
		run->ast = NULL;
	}
	run->secs[STAGE_MODEL] = (t = run_clock()) - t0;
	bool built = until > RUN_MODEL && run->m &&
	    space_build(&run->sp, run->m, so, &run->diag);
	run->secs[STAGE_SPACE] = (t0 = run_clock()) - t;
	if (built)
		run->have_result = check_model(&run->r, run->m, &run->sp, co,
		    &run->diag);
	run->secs[STAGE_CHECK] = run_clock() - t0;
}

/* The exit status of a run whose stages are done (SPEC 5). */
static void
run_finish(struct run *run)
{
	if (run->diag.nerrors)
		run->status = run->diag.status ? run->diag.status : 2;
	else
		run->status = run->r.status;
	if (run->diag.nerrors)
		run->have_result = false;
}

void
run_file(struct run *run, const char *path, enum run_until until,
    const struct space_opts *so, const struct check_opts *co)
{
	double t = run_clock();

	memset(run, 0, sizeof *run);
	run->src = source_read(&run->arena, path);
	diag_init(&run->diag, &run->arena, run->src);
	run->diag.path = path;
	if (!run->src)
		diag_error_file(&run->diag, 2, "cannot read: %s",
		    strerror(errno));
	else
		run_stages(run, until, so, co, t);
	run_finish(run);
}

void
run_text(struct run *run, const char *path, const char *text, size_t len,
    enum run_until until, const struct space_opts *so,
    const struct check_opts *co)
{
	double t = run_clock();

	memset(run, 0, sizeof *run);
	run->src = source_from_memory(&run->arena, path, text, len);
	diag_init(&run->diag, &run->arena, run->src);
	run->diag.path = path;
	run_stages(run, until, so, co, t);
	run_finish(run);
}

void
run_free(struct run *run)
{
	result_free(&run->r);
	space_free(&run->sp);
	model_free(run->m);
	diag_fini(&run->diag);
	arena_free(&run->ast_arena);
	arena_free(&run->arena);
}
