/*
 * pipeline.c - the stages in order, one call each, stopping at the first
 * stage that reports an error.
 */
#define _DEFAULT_SOURCE 1	/* madvise's MADV_POPULATE_WRITE */

#include "pipeline.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/mman.h>
#include <sys/stat.h>

/*
 * Prefaulting.  On the VMs this was measured on (paravirtualised), the
 * first touch of a fresh 4 KB page costs 10 to 30 us, more than the
 * engines' own work on most models: a 50 KB model touched 420 pages and
 * spent half its 12 ms there.  So before a file is parsed the heap is
 * grown by an estimate of what the run will use (freed at once, so that
 * the allocations that follow are carved from it).  Where the kernel
 * offers transparent huge pages, that range is aligned to 2 MB and
 * marked MADV_HUGEPAGE (with the heap past it, up to 48 MB), so that
 * each 2 MB is one fault (about 0.15 ms) instead of 512; the estimate's
 * pages are populated up front, on the main thread
 * for a small model and from a helper thread, while the main thread
 * parses, for a big one.  Without huge pages only a big model's range
 * is populated, from the helper thread, 4 KB at a time (a third of the
 * fault cost leaves the main thread).  Best effort throughout: on an old
 * kernel, or when the guess is wrong, the run merely faults as before.
 * Figures: docs/scale.md.
 */
#define PREFAULT_PER_BYTE 32		/* run memory per source byte */
#define PREFAULT_HUGE_MIN ((size_t)512 << 10)	/* below: 4 KB faults
						 * cost less than 2 MB */
#define PREFAULT_MIN ((size_t)4 << 20)	/* below: not worth a thread */
#define PREFAULT_MAX ((size_t)48 << 20)	/* stays in the brk heap */
#define HUGE_PAGE ((size_t)2 << 20)

struct prefault {
	void *lo;
	size_t len;
};

/* Has the kernel fill [lo, lo + len) with writable pages (or not). */
static void
populate(void *lo, size_t len)
{
#ifdef MADV_POPULATE_WRITE
	(void)madvise(lo, len, MADV_POPULATE_WRITE);
#else
	(void)lo;
	(void)len;
#endif
}

static void *
prefault_run(void *arg)
{
	struct prefault pf = *(struct prefault *)arg;

	free(arg);
	populate(pf.lo, pf.len);
	return NULL;
}

/* Whether transparent huge pages may be asked for (madvise or always);
 * read once. */
static bool
thp_enabled(void)
{
	static int known = -1;

	if (known < 0) {
		char buf[64] = "";
		FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled",
		    "r");
		known = f && fgets(buf, sizeof buf, f) &&
		    strstr(buf, "[never]") == NULL;
		if (f)
			fclose(f);
	}
	return known;
}

/*
 * The heap bytes below the first huge page of the range: allocated and
 * kept, untouched (a page of it at most), so that the allocations after
 * run_prefault start at the huge page instead of faulting this head in
 * 4 KB at a time.  Static, so that leak checkers see it reachable.
 */
static void *volatile prefault_pad;

static void
populate_async(uintptr_t lo, size_t len)
{
	struct prefault *pf = malloc(sizeof *pf);
	pthread_t th;

	if (!pf)
		return;
	pf->lo = (void *)lo;
	pf->len = len;
	if (pthread_create(&th, NULL, prefault_run, pf) != 0) {
		free(pf);
		return;
	}
	pthread_detach(th);
}

/*
 * Grows the heap by 'want' bytes, in huge pages if 'huge', and populates
 * them; false if nothing was done.  With huge pages the heap is grown
 * and marked up to PREFAULT_MAX: memory beyond the estimate costs
 * nothing until it is touched, and then one fault per 2 MB (bench row a,
 * whose run uses 35 MB for an estimate of 8: 6,260 page faults -> 1,600).
 */
static bool
reserve(size_t want, bool huge)
{
	size_t align = huge ? HUGE_PAGE : 4096;
	size_t len = (want + align - 1) & ~(align - 1);
	size_t span = huge && len < PREFAULT_MAX ? PREFAULT_MAX : len;
	char *block = malloc(span + align);

	if (!block)
		return false;
	uintptr_t base = (uintptr_t)block;
	uintptr_t lo = (base + align - 1) & ~(uintptr_t)(align - 1);
	/* Back to the heap's top, untouched; the next allocations reuse it. */
	free(block);
	if (huge && madvise((void *)lo, span, MADV_HUGEPAGE) != 0)
		return false;
	if (huge && !prefault_pad && lo - base >= 4096)
		prefault_pad = malloc(lo - base - 2 * sizeof(size_t));
	if (len < PREFAULT_MIN)
		populate((void *)lo, len);
	else
		populate_async(lo, len);
	return true;
}

/*
 * Before 'path' is read: the heap grown by what its run will likely use.
 * Once per size: a later file no bigger than an earlier one reuses the
 * memory that one freed.
 */
static void
run_prefault(const char *path)
{
	static size_t reserved;
	struct stat st;

	/* Standard input has a size when it is a file ('< model.char'). */
	if ((path == source_stdin ? fstat(STDIN_FILENO, &st) :
	    stat(path, &st)) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_size <= 0 ||
	    (uint64_t)st.st_size > PREFAULT_MAX / PREFAULT_PER_BYTE)
		return;
	size_t want = (size_t)st.st_size * PREFAULT_PER_BYTE;
	if (want <= reserved)
		return;
	bool huge = want >= PREFAULT_HUGE_MIN && thp_enabled();
	if ((huge || want >= PREFAULT_MIN) && (reserve(want, huge) ||
	    (huge && want >= PREFAULT_MIN && reserve(want, false))))
		reserved = want;
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
	run_prefault(path);
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
