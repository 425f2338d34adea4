/*
 * deadline.c - one flag, set from a signal handler (the CLI's alarm) or
 * from the language server's main thread, read by the loops.  A lock-free
 * atomic is both async-signal-safe and race-free across threads.
 */
#include "deadline.h"

#include <stdatomic.h>

static atomic_int expired;

void
deadline_expire(void)
{
	atomic_store(&expired, 1);
}

void
deadline_reset(void)
{
	atomic_store(&expired, 0);
}

bool
deadline_expired(void)
{
	return atomic_load(&expired) != 0;
}
