/*
 * report_sarif.c - SARIF 2.1.0 for code scanning (SPEC 5, --format sarif):
 * one run of the tool "charcheck" whose results are the failing checks and
 * the diagnostics (errors, warnings) of every file, each at its line.
 * Built with json-c like report_json.c, so nothing is escaped by hand.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>



/* ------------------------------------------------------------------------
 * SARIF objects
 * ------------------------------------------------------------------------ */

/*
 * 's' as a JSON string whose bytes are UTF-8: json-c escapes controls and
 * quotes but passes other bytes through, and labels may hold any byte.
 */
static struct json_object *
jstr(struct arena *a, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *t = arena_alloc(a, 3 * strlen(s) + 1), *q = t;
	uint32_t c;

	while (*p) {
		size_t len = report_utf8_next(p, &c);
		if (len) {
			memcpy(q, p, len);
			q += len;
			p += len;
		} else {
			memcpy(q, "\xef\xbf\xbd", 3);	/* U+FFFD */
			q += 3;
			p++;
		}
	}
	*q = '\0';
	return json_object_new_string(t);
}

static void
put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add(o, key, v);
}

/* {"text": s} */
static struct json_object *
jmessage(struct arena *a, const char *s)
{
	struct json_object *o = json_object_new_object();

	put(o, "text", jstr(a, s));
	return o;
}

/*
 * A path as a URI reference (SARIF 3.10.3): unreserved bytes and '/' as
 * they are, the rest percent-encoded; absolute paths become file:// URIs.
 */
static const char *
path_uri(struct arena *a, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	char *u = arena_alloc(a, 3 * strlen(path) + 8), *q = u;

	if (path[0] == '/') {
		memcpy(q, "file://", 7);
		q += 7;
	}
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			*q++ = (char)*p;
		} else {
			*q++ = '%';
			*q++ = hex[*p >> 4];
			*q++ = hex[*p & 15];
		}
	}
	*q = '\0';
	return u;
}

/* [{"physicalLocation": {artifactLocation, region}}]; 0 leaves out. */
static struct json_object *
jlocations(struct arena *a, const char *path, uint32_t line, uint32_t col)
{
	struct json_object *locs = json_object_new_array();
	struct json_object *loc = json_object_new_object();
	struct json_object *phys = json_object_new_object();
	struct json_object *art = json_object_new_object();

	put(art, "uri", jstr(a, path_uri(a, path)));
	put(phys, "artifactLocation", art);
	if (line) {
		struct json_object *region = json_object_new_object();
		put(region, "startLine", json_object_new_int64(line));
		if (col)
			put(region, "startColumn", json_object_new_int64(col));
		put(phys, "region", region);
	}
	put(loc, "physicalLocation", phys);
	json_object_array_add(locs, loc);
	return locs;
}

/* The rules, in the order of their ruleIndex.  ORDER RULE */
enum sarif_rule { RULE_CHECK, RULE_INVALID, RULE_LIMIT, RULE_WARNING,
	RULE_FINDING };

static const struct {
	const char *id, *name, *level, *text;
} rules[] = {
	{ "check-failed", "CheckFailed", "error",
	  "A check in the model does not hold (exit status 1)" },
	{ "model-invalid", "ModelInvalid", "error",
	  "The model is invalid: syntax, names, types, coverage or numbers "
	  "(exit status 2)" },
	{ "resource-limit", "ResourceLimit", "error",
	  "A resource limit was reached or the solver failed (exit status 3)" },
	{ "warning", "ModelWarning", "warning",
	  "A suspicious model, e.g. a rule that can never fire; the exit "
	  "status is unchanged" },
	{ "indistinguishable", "OnlyThePriorDecides", "note",
	  "Training cannot tell the surviving entities apart, yet some "
	  "diverge at deployment: only the prior decides between them" },
};

static struct json_object *
jdriver(void)
{
	struct json_object *driver = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	put(driver, "name", json_object_new_string("charcheck"));
#ifdef CHARCHECK_VERSION
	put(driver, "version", json_object_new_string(CHARCHECK_VERSION));
#endif
#ifdef CHARCHECK_URL
	put(driver, "informationUri", json_object_new_string(CHARCHECK_URL));
#endif
	for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
		struct json_object *o = json_object_new_object();
		struct json_object *text = json_object_new_object();
		struct json_object *conf = json_object_new_object();
		put(o, "id", json_object_new_string(rules[i].id));
		put(o, "name", json_object_new_string(rules[i].name));
		put(text, "text", json_object_new_string(rules[i].text));
		put(o, "shortDescription", text);
		put(conf, "level", json_object_new_string(rules[i].level));
		put(o, "defaultConfiguration", conf);
		json_object_array_add(arr, o);
	}
	put(driver, "rules", arr);
	return driver;
}

static struct json_object *
jresult(struct arena *a, enum sarif_rule rule, const char *msg,
    struct json_object *locations)
{
	struct json_object *o = json_object_new_object();

	put(o, "ruleId", json_object_new_string(rules[rule].id));
	put(o, "ruleIndex", json_object_new_int(rule));
	put(o, "level", json_object_new_string(rules[rule].level));
	put(o, "message", jmessage(a, msg));
	put(o, "locations", locations);
	return o;
}

/*
 * A result per error and warning of 'd', each carrying the notes that
 * follow it ("FILE:LINE:COL: note: ...") on lines of its own.
 */
static void
diagnostics(struct json_object *results, struct arena *a, const char *path,
    const struct diag *d)
{
	for (uint32_t i = 0; d && i < d->len; i++) {
		const struct diag_entry *e = &d->v[i];
		uint32_t line, col;
		const char *msg = report_diag_text(a, path, d, i, &line, &col);
		if (!msg)
			continue;
		json_object_array_add(results, jresult(a,
		    e->level == DIAG_WARNING ? RULE_WARNING :
		    e->status == 3 ? RULE_LIMIT : RULE_INVALID, msg,
		    jlocations(a, path, line, col)));
	}
}

/* A result per failing check of 'f', at the check's line and column. */
static void
checks(struct json_object *results, struct arena *a,
    const struct file_report *f)
{
	const struct result *r = f->r;

	for (uint32_t i = 0; r && i < r->m->nchecks; i++) {
		const struct check_result *cr = &r->checks[i];
		uint32_t line = 0, col = 0;
		if (cr->holds)
			continue;
		const char *why = report_culprit_text(a, r, cr);
		source_linecol(r->m->src, cr->c->loc.off, &line, &col);
		json_object_array_add(results, jresult(a, RULE_CHECK,
		    arena_printf(a, "check %s fails: %s%s%s",
		    report_claim_text(a, cr->c), report_value_text(a, r, cr),
		    why ? "\n" : "", why ? why : ""),
		    jlocations(a, f->path, line, col)));
	}
	const char *finding = r ? report_finding_text(a, r) : NULL;
	if (finding)
		json_object_array_add(results, jresult(a, RULE_FINDING,
		    finding, jlocations(a, f->path, 0, 0)));
}

/*
 * Prints the 'n' files of 'f' as one SARIF 2.1.0 log (one run) to 'out'.
 * Write errors are left on 'out' for the caller's ferror(); out of memory
 * is fatal.
 */
void
report_sarif(FILE *out, const struct file_report *f, size_t n)
{
	struct arena a = { 0 };
	struct json_object *log = json_object_new_object();
	struct json_object *runs = json_object_new_array();
	struct json_object *run = json_object_new_object();
	struct json_object *tool = json_object_new_object();
	struct json_object *results = json_object_new_array();
	struct json_object *inv = json_object_new_object();
	struct json_object *invs = json_object_new_array();
	int status = 0;

	put(log, "$schema", json_object_new_string(
	    "https://json.schemastore.org/sarif-2.1.0.json"));
	put(log, "version", json_object_new_string("2.1.0"));
	put(tool, "driver", jdriver());
	put(run, "tool", tool);
	for (size_t k = 0; k < n; k++) {
		diagnostics(results, &a, f[k].path, f[k].d);
		checks(results, &a, &f[k]);
		if (f[k].status > status)
			status = f[k].status;
	}
	/* Exit 3 means the tool could not finish; 1 and 2 are findings. */
	put(inv, "executionSuccessful", json_object_new_boolean(status < 3));
	put(inv, "exitCode", json_object_new_int(status));
	json_object_array_add(invs, inv);
	put(run, "invocations", invs);
	put(run, "results", results);
	json_object_array_add(runs, run);
	put(log, "runs", runs);
	report_json_emit(out, log);
	arena_free(&a);
}
