/*
 * arena.h - a chained-chunk arena, the fatal-on-OOM allocators, and the
 * string interner.  What lives as long as a stage's output lives in an
 * arena and goes at once with arena_free(): a run's model, diagnostics
 * and Result words (struct run's arena), the AST (its own arena, freed
 * after sema when the command does not need it), each worker's
 * diagnostics.  Big tables that grow or die mid-stage stay on the heap.
 */
#ifndef CHARCHECK_ARENA_H
#define CHARCHECK_ARENA_H

#include <stddef.h>
#include <stdint.h>

struct arena_chunk;
struct arena_defer;

struct arena {
	struct arena_chunk *head;	/* newest chunk first */
	struct arena_chunk *own;	/* big requests, a chunk each */
	size_t used;			/* bytes handed out, for --stats */
	struct intern_slot *itab;	/* interned strings (open
					 * addressing) */
	size_t icap, ilen;
	struct arena_defer *defers;	/* arena_defer's calls, newest
					 * first */
};

/*
 * Out of memory is fatal and handled here alone: these print
 * "charcheck: fatal: out of memory" and exit with status 3.  Sizes are
 * overflow-checked, and a size of 0 is a valid request (a pointer that
 * may be freed), so callers need no "n ? n : 1".  Heap results are owned
 * by the caller.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* Routes GMP's allocations through these, so that a number too big for
 * memory is the same fatal error (GMP would print and abort). */
void xgmp_init(void);
_Noreturn void fatal(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/* For "can't happen" branches. */
#define internal_error() internal_error_at(__FILE__, __LINE__)
_Noreturn void internal_error_at(const char *file, int line);

/* Returns 16-byte aligned, zeroed memory owned by 'a'. */
void *arena_alloc(struct arena *a, size_t size);
/* Like arena_alloc for 'n' objects of 'size' bytes, overflow-checked. */
void *arena_array(struct arena *a, size_t n, size_t size);
/* Like arena_array, but not zeroed: for an array its caller fills whole
 * at once, where clearing it first would cost a pass over it. */
void *arena_array_uninit(struct arena *a, size_t n, size_t size);
/* Copies 'len' bytes of 's' and a terminating NUL into 'a'. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/*
 * Has arena_free call 'fn(arg)', newest first, before it releases the
 * chunks: for what the arena holds but cannot free by dropping chunks,
 * such as the limbs of GMP integers stored in it.  The record is arena
 * memory.
 */
void arena_defer(struct arena *a, void (*fn)(void *), void *arg);
/* Runs the deferred calls, then releases every chunk and the intern
 * table; 'a' may be reused after. */
void arena_free(struct arena *a);

/*
 * Returns the unique arena copy of 's[0..len)': two calls with equal text
 * return the same pointer, so names compare by pointer.
 */
const char *intern(struct arena *a, const char *s, size_t len);

/* A growable array of pointers, arena-backed (old storage is abandoned). */
struct ptrvec {
	void **v;
	uint32_t len, cap;
};
void ptrvec_push(struct arena *a, struct ptrvec *vec, void *item);

#endif
