/*
 * par.c - the engines' threads (par.h).
 */
#include "par.h"

#include <stdlib.h>
#include <unistd.h>

unsigned
par_threads(void)
{
	const char *env = getenv("CHARCHECK_THREADS");
	long n = env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
}

static void *
par_run(void *arg)
{
	struct par *p = arg;

	p->fn(p->arg);
	return NULL;
}

void
par_start(struct par *p, void (*fn)(void *), void *arg, bool thread)
{
	p->fn = fn;
	p->arg = arg;
	p->started = thread && par_threads() > 1 &&
	    pthread_create(&p->th, NULL, par_run, p) == 0;
}

void
par_join(struct par *p)
{
	if (p->started)
		pthread_join(p->th, NULL);
	else
		p->fn(p->arg);
}
