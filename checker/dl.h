/*
 * dl.h - the libraries charcheck opens when first needed instead of
 * linking them (libxml2 for JUnit, GLPK for LPs; decisions D41): one
 * loader for both.  Each caller lists its functions once in an X-macro
 * and keeps them in a struct typed from the library's own prototypes.
 */
#ifndef CHARCHECK_DL_H
#define CHARCHECK_DL_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Opens 'soname' and stores the address of each of the 'n' functions
 * named in 'names' through 'slots' (each the address of a function
 * pointer, seen as void *: POSIX's way to keep dlsym's result).  False,
 * with the reason in 'why', when the library or a function is missing.
 */
bool dl_load(const char *soname, const char *const *names,
    void **const *slots, size_t n, char *why, size_t len);

#endif
