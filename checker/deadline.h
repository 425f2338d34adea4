/*
 * deadline.h - the wall-clock limit of --timeout.  The CLI's alarm marks
 * it expired; the long loops (entities, LP vertices, audit search,
 * horizons, sweeps) poll it and stop with a resource-limit error (exit 3)
 * that reaches every output format.
 */
#ifndef CHARCHECK_DEADLINE_H
#define CHARCHECK_DEADLINE_H

#include <stdbool.h>

/* Async-signal-safe: called from the SIGALRM handler (or a thread). */
void deadline_expire(void);
/*
 * Clears the flag: the language server cancels a stale check with
 * deadline_expire and resets it before starting the next one.
 */
void deadline_reset(void);
/* True once the deadline has passed. */
bool deadline_expired(void);

#endif
