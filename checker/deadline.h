/*
 * deadline.h - the wall-clock limit of --timeout.  The CLI's alarm marks
 * it expired; the long loops (entities, LP vertices, audit search,
 * horizons, sweeps) poll it and stop with a resource-limit error (exit 3)
 * that reaches every output format.
 */
#ifndef CHARCHECK_DEADLINE_H
#define CHARCHECK_DEADLINE_H

#include <stdbool.h>

/* Async-signal-safe: called from the SIGALRM handler. */
void deadline_expire(void);
/* True once the deadline has passed. */
bool deadline_expired(void);

#endif
