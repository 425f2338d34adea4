/*
 * report.h - the printers.  Each renders a Result (or a failed file's
 * diagnostics) and computes nothing: text for people, JSON for tools.
 */
#ifndef CHARCHECK_REPORT_H
#define CHARCHECK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "result.h"

struct report_opts {
	bool color;		/* ANSI colour (only on a terminal) */
	bool quiet;		/* only failures */
};

/* The shortest "%.Ng" that reads back as 'x'; integral values as integers. */
const char *report_double(char buf[32], double x);

void report_text(FILE *out, const struct result *r, const char *path,
    const struct report_opts *o);

/*
 * The JSON object of one file (SPEC 5.2): a full report when 'r' is given,
 * else {"file", "status", "errors"} from 'd'.  The caller owns the object.
 */
struct json_object *report_json(const struct result *r, const char *path,
    int status, const struct diag *d);

#endif
