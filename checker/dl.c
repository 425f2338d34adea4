/*
 * dl.c - opening a library at run time (dl.h).
 */
#include "dl.h"

#include <dlfcn.h>
#include <stdio.h>

bool
dl_load(const char *soname, const char *const *names, void **const *slots,
    size_t n, char *why, size_t len)
{
	void *lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL);

	if (!lib) {
		snprintf(why, len, "%s cannot be loaded: %s", soname,
		    dlerror());
		return false;
	}
	for (size_t i = 0; i < n; i++)
		if (!(*slots[i] = dlsym(lib, names[i]))) {
			snprintf(why, len, "%s has no %s", soname, names[i]);
			return false;
		}
	return true;
}
