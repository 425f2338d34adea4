/*
 * report_thresholds.h - the printers of 'charcheck thresholds': one text
 * line per (check, data item) and per check's robustness, or the JSON
 * document "charcheck-thresholds/1" (SPEC 5.3, docs/json.md).  They
 * render what thresholds.c found and compute nothing.
 */
#ifndef CHARCHECK_REPORT_THRESHOLDS_H
#define CHARCHECK_REPORT_THRESHOLDS_H

#include <stdio.h>

#include <json-c/json.h>

#include "thresholds.h"

/* What one file's thresholds command found. */
struct thresholds_report {
	const char *path;		/* as given */
	const struct model *m;
	const struct threshold_set *sets;	/* per (check, item) */
	uint32_t nsets;
	const struct robustness *radii;	/* per numeric check */
	uint32_t nradii;
};

void report_thresholds_text(FILE *out, const struct thresholds_report *t);

/* The JSON document; the caller owns (and puts) the object. */
struct json_object *report_thresholds_json(const struct thresholds_report *t);

#endif
