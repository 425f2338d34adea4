/*
 * deadline.c - one flag, set from a signal handler, read by the loops.
 */
#include "deadline.h"

#include <signal.h>

static volatile sig_atomic_t expired;

void
deadline_expire(void)
{
	expired = 1;
}

bool
deadline_expired(void)
{
	return expired != 0;
}
