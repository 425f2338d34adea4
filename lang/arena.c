/*
 * arena.c - chained-chunk arena, fatal allocators and the interner.
 * Chunks grow geometrically and hold the small requests; a big request
 * gets a chunk of its own, so no chunk is left with a big unused tail.
 */
#include "arena.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#define CHUNK_MIN ((size_t)64 * 1024)
#define CHUNK_MAX ((size_t)16 << 20)
#define OWN_MIN ((size_t)4096)	/* requests over a page: a chunk each */
#define ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t cap, off;
	_Alignas(16) unsigned char data[];
};

struct arena_defer {
	struct arena_defer *next;
	void (*fn)(void *);
	void *arg;
};

struct intern_slot {
	const char *s;
	size_t len;
	uint64_t hash;
};

void
fatal(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("charcheck: fatal: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

void
internal_error_at(const char *file, int line)
{
	fatal("internal error at %s:%d (please report this bug)", file, line);
}

void *
xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		fatal("out of memory");
	p = realloc(p, n * size != 0 ? n * size : 1);
	if (!p)
		fatal("out of memory");
	return p;
}

static void *
gmp_alloc(size_t size)
{
	return xmalloc(size);
}

static void *
gmp_realloc(void *p, size_t old, size_t size)
{
	(void)old;
	return xreallocarray(p, 1, size);
}

static void
gmp_free(void *p, size_t size)
{
	(void)size;
	free(p);
}

void
xgmp_init(void)
{
	mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
}

char *
xstrdup(const char *s)
{
	size_t len = strlen(s) + 1;

	return memcpy(xmalloc(len), s, len);
}

static void *
alloc(struct arena *a, size_t size, bool zero)
{
	struct arena_chunk *c = a->head;

	if (size > SIZE_MAX - sizeof *c - ALIGN)
		fatal("out of memory");
	size = (size + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	if (size == 0)
		size = ALIGN;
	if (size > OWN_MIN) {
		/* Exactly its size, so no chunk keeps a big unused tail that
		 * the heap cannot reuse either; and zeroed by calloc, which
		 * for big sizes maps fresh pages and writes none of them, so
		 * a table its owner fills sparsely stays mostly unpaged. */
		c = zero ? xcalloc(1, sizeof *c + size) :
		    xmalloc(sizeof *c + size);
		c->cap = c->off = size;
		c->next = a->own;
		a->own = c;
		a->used += size;
		return c->data;
	}
	if (!c || c->cap - c->off < size) {
		size_t cap = c ? c->cap * 2 : CHUNK_MIN;

		if (cap > CHUNK_MAX)
			cap = CHUNK_MAX;
		c = xmalloc(sizeof *c + cap);
		c->cap = cap;
		c->off = 0;
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->off;
	c->off += size;
	a->used += size;
	/* Here, not for the whole chunk: its tail stays unpaged. */
	if (zero)
		memset(p, 0, size);
	return p;
}

void *
arena_alloc(struct arena *a, size_t size)
{
	return alloc(a, size, true);
}

void *
arena_array(struct arena *a, size_t n, size_t size)
{
	if (size && n > (SIZE_MAX / 2) / size)
		fatal("out of memory");
	return alloc(a, n * size, true);
}

void *
arena_array_uninit(struct arena *a, size_t n, size_t size)
{
	if (size && n > (SIZE_MAX / 2) / size)
		fatal("out of memory");
	return alloc(a, n * size, false);
}

char *
arena_strndup(struct arena *a, const char *s, size_t len)
{
	char *p = arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		internal_error();
	char *p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void
arena_defer(struct arena *a, void (*fn)(void *), void *arg)
{
	struct arena_defer *d = arena_alloc(a, sizeof *d);

	d->fn = fn;
	d->arg = arg;
	d->next = a->defers;
	a->defers = d;
}

static void
free_chunks(struct arena_chunk *c)
{
	struct arena_chunk *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
}

void
arena_free(struct arena *a)
{
	/* The records are in the chunks: all calls before any free. */
	for (struct arena_defer *d = a->defers; d; d = d->next)
		d->fn(d->arg);
	free_chunks(a->head);
	free_chunks(a->own);
	free(a->itab);
	memset(a, 0, sizeof *a);
}

static uint64_t
hash_bytes(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

const char *
intern(struct arena *a, const char *s, size_t len)
{
	uint64_t h = hash_bytes(s, len);

	if (a->ilen * 2 >= a->icap) {
		size_t ncap = a->icap ? a->icap * 2 : 256;
		struct intern_slot *nt = xcalloc(ncap, sizeof *nt);

		for (size_t i = 0; i < a->icap; i++) {
			struct intern_slot *o = &a->itab[i];

			if (!o->s)
				continue;
			size_t j = o->hash & (ncap - 1);
			while (nt[j].s)
				j = (j + 1) & (ncap - 1);
			nt[j] = *o;
		}
		free(a->itab);
		a->itab = nt;
		a->icap = ncap;
	}
	size_t i = h & (a->icap - 1);
	for (; a->itab[i].s; i = (i + 1) & (a->icap - 1)) {
		struct intern_slot *e = &a->itab[i];

		if (e->hash == h && e->len == len && !memcmp(e->s, s, len))
			return e->s;
	}
	a->itab[i].s = arena_strndup(a, s, len);
	a->itab[i].len = len;
	a->itab[i].hash = h;
	a->ilen++;
	return a->itab[i].s;
}

void
ptrvec_push(struct arena *a, struct ptrvec *vec, void *item)
{
	if (vec->len == vec->cap) {
		uint32_t ncap = vec->cap ? vec->cap * 2 : 4;
		void **nv = arena_array(a, ncap, sizeof *nv);

		if (vec->len)
			memcpy(nv, vec->v, vec->len * sizeof *nv);
		vec->v = nv;
		vec->cap = ncap;
	}
	vec->v[vec->len++] = item;
}
