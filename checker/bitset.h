/*
 * bitset.h - fixed-size bitsets over situations or classes, as arrays of
 * 64-bit words.  Every set the engines manipulate is one of these, so the
 * inner loops are loops over words.  Bits past the size are kept zero.
 */
#ifndef CHARCHECK_BITSET_H
#define CHARCHECK_BITSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BS_NONE UINT64_MAX

static inline size_t
bs_words(uint64_t nbits)
{
	return (size_t)((nbits + 63) / 64);
}

static inline void
bs_set(uint64_t *b, uint64_t i)
{
	b[i / 64] |= (uint64_t)1 << (i % 64);
}

static inline bool
bs_test(const uint64_t *b, uint64_t i)
{
	return (b[i / 64] >> (i % 64)) & 1;
}

static inline void
bs_and(uint64_t *d, const uint64_t *a, const uint64_t *b, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		d[i] = a[i] & b[i];
}

static inline void
bs_or(uint64_t *d, const uint64_t *a, const uint64_t *b, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		d[i] = a[i] | b[i];
}

static inline void
bs_andnot(uint64_t *d, const uint64_t *a, const uint64_t *b, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		d[i] = a[i] & ~b[i];
}

static inline bool
bs_any(const uint64_t *b, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		if (b[i])
			return true;
	return false;
}

/* True when a & b is not empty, without materialising it. */
static inline bool
bs_intersects(const uint64_t *a, const uint64_t *b, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		if (a[i] & b[i])
			return true;
	return false;
}

/* True when a is a subset of b. */
static inline bool
bs_subset(const uint64_t *a, const uint64_t *b, size_t nw)
{
	for (size_t i = 0; i < nw; i++)
		if (a[i] & ~b[i])
			return false;
	return true;
}

static inline uint64_t
bs_count(const uint64_t *b, size_t nw)
{
	uint64_t n = 0;

	for (size_t i = 0; i < nw; i++)
		n += (uint64_t)__builtin_popcountll(b[i]);
	return n;
}

/* The first set bit at or after 'from', or BS_NONE. */
static inline uint64_t
bs_next(const uint64_t *b, size_t nw, uint64_t from)
{
	size_t w = (size_t)(from / 64);

	if (w >= nw)
		return BS_NONE;
	uint64_t word = b[w] & (~(uint64_t)0 << (from % 64));
	for (;;) {
		if (word)
			return (uint64_t)w * 64 +
			    (uint64_t)__builtin_ctzll(word);
		if (++w >= nw)
			return BS_NONE;
		word = b[w];
	}
}

/* Sets bits [lo, hi). */
void bs_set_range(uint64_t *b, uint64_t lo, uint64_t hi);
/* Sets every bit below 'nbits' (the universe of that size). */
void bs_fill(uint64_t *b, uint64_t nbits);

#endif
