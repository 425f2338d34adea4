/*
 * bandwidth.c - measure single-thread memory read bandwidth with two read
 * streams (like the engine's `guard & ~covered` passes over bitsets) over
 * arrays far larger than the caches.  Prints bytes per second, the best
 * of several passes, on one line.  Used by bench/run.sh.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define WORDS (16u << 20)	/* 128 MiB per stream */
#define PASSES 7

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int
main(void)
{
	uint64_t *a = malloc(WORDS * sizeof *a);
	uint64_t *b = malloc(WORDS * sizeof *b);
	double best = 1e30;
	volatile uint64_t sink;

	if (a == NULL || b == NULL) {
		fprintf(stderr, "bandwidth: out of memory\n");
		return 1;
	}
	for (size_t i = 0; i < WORDS; i++) {
		a[i] = i * 0x9e3779b97f4a7c15ULL;
		b[i] = ~a[i];
	}
	for (int p = 0; p < PASSES; p++) {
		uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
		double t = now();
		/* Four independent accumulators keep the loop load-bound. */
		for (size_t i = 0; i < WORDS; i += 4) {
			s0 += a[i] & ~b[i];
			s1 += a[i + 1] & ~b[i + 1];
			s2 += a[i + 2] & ~b[i + 2];
			s3 += a[i + 3] & ~b[i + 3];
		}
		t = now() - t;
		sink = s0 + s1 + s2 + s3;
		if (t < best)
			best = t;
	}
	(void)sink;
	printf("%.0f\n", 2.0 * WORDS * sizeof *a / best);
	free(a);
	free(b);
	return 0;
}
