/*
 * jsoncmp.c - compares a charcheck JSON report with a conformance vector
 * (tests/conformance/README.md): only the keys SPEC 5.2 and 6 name, numbers
 * to 1e-9, witnesses and sets exactly, audit plans by size (SPEC 6.2
 * allows any minimum cover; tests/unit checks that ours are).  For
 * invalid models: the status and the first error's line and column.
 * Prints each difference; exits 1 when there is one.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

static int ndiff;
/* -s: whole reports, equal but for where things stand in the file. */
static bool same_mode;

static bool
ignored(const char *k)
{
	return same_mode && (!strcmp(k, "file") || !strcmp(k, "line") ||
	    !strcmp(k, "col") || !strcmp(k, "message"));
}

static void
differ(const char *path, struct json_object *want, struct json_object *got)
{
	printf("  %s: expected %s, got %s\n", path,
	    json_object_to_json_string_ext(want, JSON_C_TO_STRING_PLAIN),
	    json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN));
	ndiff++;
}

static bool
is_number(struct json_object *o)
{
	return json_object_is_type(o, json_type_double) ||
	    json_object_is_type(o, json_type_int);
}

/* Deep equality; numbers within 1e-9 (relative for big ones). */
static bool
equal(struct json_object *a, struct json_object *b)
{
	if (!a || !b)
		return a == b;
	if (is_number(a) && is_number(b)) {
		double x = json_object_get_double(a);
		double y = json_object_get_double(b);
		return fabs(x - y) <= 1e-9 * (fabs(x) > 1 ? fabs(x) : 1);
	}
	if (json_object_get_type(a) != json_object_get_type(b))
		return false;
	switch (json_object_get_type(a)) {
	case json_type_array: {
		size_t n = json_object_array_length(a);
		if (n != json_object_array_length(b))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!equal(json_object_array_get_idx(a, i),
			    json_object_array_get_idx(b, i)))
				return false;
		return true;
	}
	case json_type_object: {
		if (json_object_object_length(a) !=
		    json_object_object_length(b))
			return false;
		json_object_object_foreach(a, k, v) {
			struct json_object *w;
			if (ignored(k))
				continue;
			if (!json_object_object_get_ex(b, k, &w) ||
			    !equal(v, w))
				return false;
		}
		return true;
	}
	case json_type_string:
		return !strcmp(json_object_get_string(a),
		    json_object_get_string(b));
	case json_type_boolean:
		return json_object_get_boolean(a) == json_object_get_boolean(b);
	default:
		return true;
	}
}

/* Compares key 'k' of two objects when 'want' has it. */
static void
key(const char *ctx, struct json_object *want, struct json_object *got,
    const char *k)
{
	struct json_object *w, *g = NULL;
	char path[256];

	if (!json_object_object_get_ex(want, k, &w))
		return;
	snprintf(path, sizeof path, "%s.%s", ctx, k);
	if (!json_object_object_get_ex(got, k, &g)) {
		printf("  %s: missing\n", path);
		ndiff++;
		return;
	}
	if (!equal(w, g))
		differ(path, w, g);
}

static void
list(const char *ctx, struct json_object *want, struct json_object *got,
    const char *k, const char *const *keys)
{
	struct json_object *w, *g;

	if (!json_object_object_get_ex(want, k, &w) ||
	    !json_object_is_type(w, json_type_array))
		return;
	if (!json_object_object_get_ex(got, k, &g) ||
	    !json_object_is_type(g, json_type_array) ||
	    json_object_array_length(g) != json_object_array_length(w)) {
		printf("  %s.%s: expected %zu items\n", ctx, k,
		    json_object_array_length(w));
		ndiff++;
		return;
	}
	for (size_t i = 0; i < json_object_array_length(w); i++) {
		char path[128];
		snprintf(path, sizeof path, "%s.%s[%zu]", ctx, k, i);
		for (const char *const *kk = keys; *kk; kk++)
			key(path, json_object_array_get_idx(w, i),
			    json_object_array_get_idx(g, i), *kk);
	}
}

int
main(int argc, char **argv)
{
	static const char *const top[] = {
		"status", "situations", "classes", "training", "deployment",
		NULL
	};
	static const char *const ent[] = {
		"name", "kind", "consistent", "diverges", "likelihood",
		"log_likelihood", "divergence", "refuted_by", "witness",
		"members", "consistent_members", "diverging_members",
		"critical_horizon", "label", NULL
	};
	static const char *const post[] = {
		"diverge", "expected_divergence", "defined", NULL
	};
	static const char *const chk[] = { "line", "holds", "value", NULL };

	if (argc == 4 && !strcmp(argv[1], "-s")) {
		/* Two reports of one model, e.g. before and after fmt. */
		same_mode = true;
		struct json_object *a = json_object_from_file(argv[2]);
		struct json_object *b = json_object_from_file(argv[3]);
		bool eq = a && b && equal(a, b);
		if (!eq)
			printf("  the reports differ\n");
		json_object_put(a);
		json_object_put(b);
		return eq ? 0 : 1;
	}
	if (argc != 3) {
		fprintf(stderr,
		    "usage: jsoncmp [-s] EXPECTED.json ACTUAL.json\n");
		return 2;
	}
	struct json_object *want = json_object_from_file(argv[1]);
	struct json_object *got = json_object_from_file(argv[2]);
	if (!want || !got) {
		printf("  cannot read %s\n", want ? argv[2] : argv[1]);
		return 1;
	}
	for (const char *const *k = top; *k; k++)
		key("", want, got, *k);
	struct json_object *we, *ge;
	if (json_object_object_get_ex(want, "errors", &we)) {
		if (!json_object_object_get_ex(got, "errors", &ge) ||
		    json_object_array_length(ge) == 0) {
			printf("  .errors: missing\n");
			ndiff++;
		} else {
			key(".errors[0]", json_object_array_get_idx(we, 0),
			    json_object_array_get_idx(ge, 0), "line");
			key(".errors[0]", json_object_array_get_idx(we, 0),
			    json_object_array_get_idx(ge, 0), "col");
		}
	}
	list("", want, got, "entities", ent);
	list("", want, got, "checks", chk);
	struct json_object *wp, *gp;
	if (json_object_object_get_ex(want, "posterior", &wp) && wp) {
		if (!json_object_object_get_ex(got, "posterior", &gp) || !gp) {
			printf("  .posterior: missing\n");
			ndiff++;
		} else {
			for (const char *const *k = post; *k; k++)
				key(".posterior", wp, gp, *k);
		}
	} else {
		key("", want, got, "posterior");
	}
	if (json_object_object_get_ex(want, "audit", &wp) && wp) {
		if (!json_object_object_get_ex(got, "audit", &gp) || !gp) {
			printf("  .audit: missing\n");
			ndiff++;
		} else {
			struct json_object *w, *g;
			size_t nw = 0, ng = 0;
			if (json_object_object_get_ex(wp, "plan", &w))
				nw = json_object_array_length(w);
			if (json_object_object_get_ex(gp, "plan", &g))
				ng = json_object_array_length(g);
			if (nw != ng) {
				printf("  .audit.plan: expected %zu "
				    "situations, got %zu\n", nw, ng);
				ndiff++;
			}
			if (json_object_object_get_ex(gp, "minimal", &g) &&
			    !json_object_get_boolean(g)) {
				printf("  .audit.minimal: false\n");
				ndiff++;
			}
			key(".audit", wp, gp, "undetectable");
		}
	} else {
		key("", want, got, "audit");
	}
	json_object_put(want);
	json_object_put(got);
	return ndiff ? 1 : 0;
}
