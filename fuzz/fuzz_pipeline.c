/*
 * fuzz_pipeline.c - a libFuzzer target over the whole charcheck pipeline,
 * in memory: source_from_memory, parse, sema, space (capped at 4096
 * situations), check, then every report printer into memory, then free
 * everything.  fuzz/afl_driver.c runs the same function under AFL++.
 * A few bits of a hash of the input pick options (--exact, colour, -q).
 * Every JSON document printed (the JSON report, SARIF) must be strict,
 * valid UTF-8 JSON: anything else aborts, which libFuzzer reports.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "report.h"

#define FUZZ_MAX_SITUATIONS 4096
#define FUZZ_PATH "fuzz.char"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * The CI printers are declared in report.h but may not be linked yet:
 * weak references are NULL until checker/ defines them.
 */
#pragma weak report_junit
#pragma weak report_github
#pragma weak report_sarif

/* FNV-1a over the input: deterministic option bits for this input. */
static uint32_t
input_hash(const uint8_t *data, size_t size)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < size; i++)
		h = (h ^ data[i]) * 16777619u;
	return h;
}

/* Opens a memory stream that the caller closes; exits when it cannot. */
static FILE *
mem_open(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f) {
		perror("fuzz_pipeline: open_memstream");
		exit(1);
	}
	return f;
}

/*
 * Aborts unless the 'len' bytes at 'buf' are one strict JSON document in
 * valid UTF-8 (json-c's strict mode rejects NaN, Infinity and "inf").
 */
static void
assert_json(const char *what, const char *buf, size_t len)
{
	struct json_tokener *tok = json_tokener_new();

	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	    JSON_TOKENER_VALIDATE_UTF8);
	struct json_object *o = json_tokener_parse_ex(tok, buf, (int)len);
	bool good = o && json_tokener_get_error(tok) == json_tokener_success;
	for (size_t i = json_tokener_get_parse_end(tok); good && i < len; i++)
		good = strchr(" \t\r\n", buf[i]) != NULL;
	if (!good) {
		fprintf(stderr, "fuzz_pipeline: the %s output is not strict "
		    "UTF-8 JSON (%s):\n%.*s\n", what, json_tokener_error_desc(
		    json_tokener_get_error(tok)), (int)len, buf);
		abort();
	}
	json_object_put(o);
	json_tokener_free(tok);
}

/* Runs every printer on one file's outcome; the output is discarded but
 * for the JSON documents' validity. */
static void
report_all(const struct result *r, const struct diag *d, int status,
    uint32_t h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = mem_open(&buf, &len);
	struct json_object *j;

	diag_print(d, out, (h & 8) != 0);
	{
		char *jb = NULL;
		size_t jl = 0;
		FILE *jf = mem_open(&jb, &jl);
		report_json_print(jf, r, FUZZ_PATH, status, d,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE, 0);
		fclose(jf);
		assert_json("JSON report", jb, jl);
		free(jb);
	}
	j = report_json(r, FUZZ_PATH, status, d);
	if (j) {
		const char *s = json_object_to_json_string_ext(j,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
		fputs(s, out);
		json_object_put(j);
	}
	if (r) {
		struct report_opts ro = {
			.color = (h & 8) != 0, .quiet = (h & 4) != 0,
		};
		report_text(out, r, FUZZ_PATH, &ro);
	}

	struct file_report fr = {
		.path = FUZZ_PATH, .status = status, .r = r, .d = d,
	};
	if (report_junit)
		report_junit(out, &fr, 1);
	if (report_github)
		report_github(out, &fr, 1);
	if (report_sarif) {
		char *sb = NULL;
		size_t sl = 0;
		FILE *sf = mem_open(&sb, &sl);
		report_sarif(sf, &fr, 1);
		fclose(sf);
		assert_json("SARIF", sb, sl);
		free(sb);
	}
	fclose(out);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = { 0 };
	struct diag d;
	struct model *m = NULL;
	struct space sp = { 0 };
	struct result r = { 0 };
	struct space_opts so = { .max_situations = FUZZ_MAX_SITUATIONS };
	struct check_opts co = { .lazy = true };	/* as the CLI runs it */
	bool have_result = false;
	uint32_t h = input_hash(data, size);
	int status;

	mpq_init(co.tolerance);
	co.lp.exact = (h & 3) == 0;
	co.lp.time_limit = 2;

	struct source *src = source_from_memory(&a, FUZZ_PATH,
	    (const char *)data, size);
	diag_init(&d, &a, src);
	struct ast_file *ast = parse_source(&a, src, &d);
	if (d.nerrors == 0)
		m = sema_run(&a, ast, &d);
	if (m && space_build(&sp, m, &so, &d))
		have_result = check_model(&r, m, &sp, &co, &d);
	status = d.nerrors ? (d.status ? d.status : 2) : r.status;
	if (status < 0 || status > 3)
		abort();	/* SPEC 5: the exit status is 0-3 */
	if (d.nerrors && d.len == 0 && !d.truncated)
		abort();	/* an error was counted but none stored */
	report_all(have_result && !d.nerrors ? &r : NULL, &d, status, h);

	result_free(&r);
	space_free(&sp);
	model_free(m);
	diag_fini(&d);
	arena_free(&a);
	mpq_clear(co.tolerance);
	return 0;
}
