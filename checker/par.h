/*
 * par.h - the engines' threads: how many to use, and one piece of work
 * run beside the calling thread.  Work split this way must give the
 * same result however it is run (SPEC 2: reports do not depend on the
 * thread count; docs/decisions.md D28).
 */
#ifndef CHARCHECK_PAR_H
#define CHARCHECK_PAR_H

#include <pthread.h>
#include <stdbool.h>

/* CHARCHECK_THREADS (1 to 8), else the online cores, at most 8. */
unsigned par_threads(void);

/* fn(arg) on a thread of its own when 'thread', or in par_join when not,
 * or when par_threads() is 1, or when no thread starts. */
struct par {
	void (*fn)(void *);
	void *arg;
	pthread_t th;
	bool started;
};

void par_start(struct par *p, void (*fn)(void *), void *arg, bool thread);
void par_join(struct par *p);

#endif
