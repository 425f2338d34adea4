/*
 * rng.h - the unit tests' deterministic generator (splitmix64): seeded by
 * assigning rng_state, so a failing trial is replayed by its seed.
 * Included by one test file each (static, no object of its own).
 */
#ifndef CHARCHECK_TEST_RNG_H
#define CHARCHECK_TEST_RNG_H

#include <stdint.h>

static uint64_t rng_state;

static uint64_t
rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

#endif
