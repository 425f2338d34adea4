/*
 * test_corners_report.c - the CI printers (JUnit, GitHub, SARIF) on what the
 * golden files do not show: every kind of value a failing check reports
 * (a critical horizon, a label, inf, undefined), every culprit sentence
 * (refuted, consistent but not diverging, a witness), notes without a
 * location, the error cap, and paths that need escaping (GitHub's
 * %-escapes, SARIF's file:// URIs and percent-encoding, U+FFFD for bytes
 * that are not UTF-8).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glob.h>
#include <json-c/json.h>

#include "corners.h"
#include "pipeline.h"
#include "report.h"

/*
 * T = {train,on}; D = {deploy,on} 1/4, {deploy,off} 3/4 (as in
 * tests/golden/optimizers.char).  schemer: critical horizon 5/4, label
 * deceptive; proxyish: critical horizon 0, label proxy; vandal refuted by
 * line 16 at {train,on} (defect); assistant consistent, delta 0.
 * consistent {assistant, schemer, proxyish}, diverging {schemer,
 * proxyish}: P(diverge) = 2/3.  Every check fails.
 */
static const char corners[] =
	"model \"report corners\"\n"			/* 1 */
	"feature phase { train, deploy }\n"
	"feature oversight { on, off }\n"
	"visible oversight\n"
	"action comply, defect\n"			/* 5 */
	"intended { otherwise -> comply }\n"
	"character assistant { otherwise -> comply }\n"
	"character vandal { otherwise -> defect }\n"
	"optimizer schemer { horizon 5  value defect = 1 }\n"
	"optimizer proxyish {\n"			/* 10 */
	"  value comply = 1 when oversight == on\n"
	"  value defect = 1 when oversight == off\n"
	"}\n"
	"training {\n"
	"  situations phase == train and oversight == on\n"	/* 15 */
	"  observe true : comply\n"
	"}\n"
	"deployment { situations phase == deploy  "
	"weight oversight == off : 3 }\n"
	"check horizon(proxyish) > 0\n"
	"check \"lbl\" label(schemer) = proxy\n"	/* 20 */
	"check consistent contains { vandal }\n"
	"check diverging contains { assistant }\n"
	"check no divergence\n"
	"check P(diverge) <= 1/2\n";

/* A count observation showing both actions in class free: no
 * deterministic policy fits it, so op's critical horizon is inf. */
static const char inf_model[] =
	"feature tier { free, paid }\n"
	"action comply, refuse\n"
	"intended { otherwise -> refuse }\n"
	"character waverer { tier == free -> { comply: 1/2, refuse: 1/2 }  "
	"otherwise -> refuse }\n"
	"optimizer op { horizon 3  value comply = 1 }\n"
	"training { situations true  observe tier == free : comply 1, "
	"refuse 3 }\n"
	"deployment { situations true }\n"
	"check horizon(op) <= 5/2\n";

/* Everything refuted: the posterior is undefined. */
static const char undefined_model[] =
	"feature f { a, b }\n"
	"action go, stop\n"
	"intended { otherwise -> go }\n"
	"character c { otherwise -> stop }\n"
	"training { situations true  observe true : go }\n"
	"deployment { situations true }\n"
	"check P(diverge) <= 1/2\n"
	"check E(divergence) >= 0\n";

struct fixture {
	struct run run[3];
	struct file_report fr[3];
};

static void
load(struct run *run, struct file_report *fr, const char *name,
    const char *text, const char *shown)
{
	struct space_opts so = { .max_situations = (uint64_t)1 << 24 };
	struct check_opts co = { 0 };
	char *path = cover_file(name, text);

	mpq_init(co.tolerance);
	run_file(run, path, RUN_CHECK, &so, &co);
	mpq_clear(co.tolerance);
	free(path);
	assert_true(run->have_result);
	assert_int_equal(run->status, 1);
	*fr = (struct file_report){ .path = shown, .status = run->status,
	    .r = &run->r, .d = &run->diag };
}

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);

	if (!f)
		return -1;
	load(&f->run[0], &f->fr[0], "r1.char", corners, "r1.char");
	load(&f->run[1], &f->fr[1], "r2.char", inf_model, "r2.char");
	load(&f->run[2], &f->fr[2], "r3.char", undefined_model, "r3.char");
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	for (int i = 0; i < 3; i++)
		run_free(&f->run[i]);
	free(f);
	cover_cleanup();
	return 0;
}

typedef void printer(FILE *, const struct file_report *, size_t);

static char *
render(printer *p, const struct file_report *fr, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	p(f, fr, n);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
test_github_values(void **state)
{
	struct fixture *f = *state;
	char *s = render(report_github, f->fr, 3);

	assert_string_equal(s,
	    "::error file=r1.char,line=19,title=charcheck%3A "
	    "horizon(proxyish) > 0::critical horizon 0\n"
	    "::error file=r1.char,line=20,title=charcheck%3A "
	    "label(schemer) = proxy (lbl)::label deceptive\n"
	    "::error file=r1.char,line=21,title=charcheck%3A consistent "
	    "contains {vandal}::found {assistant, schemer, proxyish}%0A"
	    "vandal: refuted by the observation on line 16: at "
	    "{phase=train, oversight=on} it plays defect\n"
	    "::error file=r1.char,line=22,title=charcheck%3A diverging "
	    "contains {assistant}::found {schemer, proxyish}%0Aassistant: "
	    "consistent, does not diverge\n"
	    "::error file=r1.char,line=23,title=charcheck%3A no divergence::"
	    "found {schemer, proxyish}%0Aschemer: {phase=deploy, "
	    "oversight=off} -> defect (intended: comply)\n"
	    "::error file=r1.char,line=24,title=charcheck%3A P(diverge) <= "
	    "1/2::value 0.666667 (= 2/3)\n"
	    "::notice file=r1.char,title=charcheck%3A only the prior decides::"
	    "Training cannot tell these 3 apart (equal likelihoods), yet some "
	    "diverge at deployment: only the prior decides between them.\n"
	    "charcheck: r1.char: 6 of 6 checks failed\n"
	    "::warning file=r2.char,line=5,col=11::optimizer 'op' has a "
	    "horizon, but no 'always' observation gives it a training "
	    "target: its horizon changes nothing and it cannot be deceptive\n"
	    "::error file=r2.char,line=8,title=charcheck%3A horizon(op) <= "
	    "5/2::critical horizon inf (no horizon makes it consistent)\n"
	    "charcheck: r2.char: 1 of 1 checks failed, 1 warning\n"
	    "::error file=r3.char,line=7,title=charcheck%3A P(diverge) <= "
	    "1/2::undefined: nothing explains the training data\n"
	    "::error file=r3.char,line=8,title=charcheck%3A E(divergence) "
	    ">= 0::undefined: nothing explains the training data\n"
	    "charcheck: r3.char: 2 of 2 checks failed\n");
	free(s);
}

static void
test_sarif_values(void **state)
{
	struct fixture *f = *state;
	char *s = render(report_sarif, f->fr, 3);

	assert_contains(s, "\"text\": \"check horizon(proxyish) > 0 fails: "
	    "critical horizon 0\"");
	assert_contains(s, "\"text\": \"check label(schemer) = proxy (lbl) "
	    "fails: label deceptive\"");
	assert_contains(s, "\"text\": \"check consistent contains {vandal} "
	    "fails: found {assistant, schemer, proxyish}\\nvandal: refuted by "
	    "the observation on line 16: at {phase=train, oversight=on} it "
	    "plays defect\"");
	assert_contains(s, "\"text\": \"check diverging contains {assistant} "
	    "fails: found {schemer, proxyish}\\nassistant: consistent, does "
	    "not diverge\"");
	assert_contains(s, "\"text\": \"check horizon(op) <= 5/2 fails: "
	    "critical horizon inf (no horizon makes it consistent)\"");
	assert_contains(s, "\"text\": \"check E(divergence) >= 0 fails: "
	    "undefined: nothing explains the training data\"");
	assert_contains(s, "\"exitCode\": 1");
	free(s);
}

static void
test_junit_values(void **state)
{
	struct fixture *f = *state;
	char *s = render(report_junit, f->fr, 3);

	assert_contains(s, "<testsuites name=\"charcheck\" tests=\"9\" "
	    "failures=\"9\" errors=\"0\">\n");
	assert_contains(s,
	    "    <testcase classname=\"r1\" name=\"line 20: label(schemer) = "
	    "proxy (lbl)\" time=\"0\">\n"
	    "      <failure message=\"label deceptive\" type=\"check-failed\">"
	    "r1.char:20: label(schemer) = proxy (lbl)\nlabel deceptive\n"
	    "</failure>\n");
	assert_contains(s, "<failure message=\"critical horizon 0\" "
	    "type=\"check-failed\">");
	assert_contains(s, "found {assistant, schemer, proxyish}\nvandal: "
	    "refuted by the observation on line 16: at {phase=train, "
	    "oversight=on} it plays defect\n</failure>");
	assert_contains(s, "assistant: consistent, does not diverge\n"
	    "</failure>");
	assert_contains(s, "<failure message=\"critical horizon inf (no "
	    "horizon makes it consistent)\" type=\"check-failed\">");
	assert_contains(s, "<failure message=\"undefined: nothing "
	    "explains the training data\" type=\"check-failed\">r3.char:8: "
	    "E(divergence) &gt;= 0\n");
	free(s);
}

/*
 * An invalid file's diagnostics as a printer sees them: an error with a
 * note that has no location (no source), and a warning.
 */
static void
invalid_report(struct arena *a, struct diag *d, struct file_report *fr,
    const char *path, int nerrors)
{
	diag_init(d, a, NULL);
	d->path = path;
	for (int i = 1; i <= nerrors; i++) {
		diag_error_file(d, 2, "bad thing %d", i);
		/* Without a source, a note prints without line:col. */
		diag_note(d, (struct srcloc){ 0, 0, 1 }, "look elsewhere");
	}
	*fr = (struct file_report){ .path = path, .status = 2, .d = d };
}

static void
test_invalid_notes(void **state)
{
	(void)state;
	struct arena a = { 0 };
	struct diag d;
	struct file_report fr;
	char *s;

	invalid_report(&a, &d, &fr, "we%ird,na:me\r.char", 1);
	assert_int_equal(d.len, 2);
	s = render(report_github, &fr, 1);
	assert_string_equal(s,
	    "::error file=we%25ird%2Cna%3Ame%0D.char::bad thing 1%0A"
	    "we%25ird,na:me%0D.char: note: look elsewhere\n"
	    "charcheck: we%25ird,na:me%0D.char: invalid model (1 error)\n");
	free(s);
	diag_fini(&d);

	/* SARIF: an absolute path is a file:// URI, other bytes encoded. */
	invalid_report(&a, &d, &fr, "/tmp/a b%\xff.char", 1);
	s = render(report_sarif, &fr, 1);
	assert_contains(s, "\"uri\": \"file:///tmp/a%20b%25%FF.char\"");
	assert_contains(s,
	    "\"text\": \"bad thing 1\\n/tmp/a b%\xef\xbf\xbd.char: "
	    "note: look elsewhere\"");
	assert_contains(s, "\"exitCode\": 2");
	free(s);
	diag_fini(&d);

	/* SARIF's text: bytes that are not UTF-8 (a lead byte without its
	 * continuation, an encoded surrogate) become U+FFFD; a well-formed
	 * two-byte character stays. */
	invalid_report(&a, &d, &fr, "x\xc3(\xed\xa0\x80\xc3\xa9.char", 1);
	s = render(report_sarif, &fr, 1);
	assert_contains(s, "\"text\": \"bad thing 1\\nx\xef\xbf\xbd("
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9.char: note: "
	    "look elsewhere\"");
	free(s);
	diag_fini(&d);

	/* JUnit: "./" goes from the class name; the error cap is noted;
	 * bytes that are not UTF-8 become U+FFFD. */
	invalid_report(&a, &d, &fr, "./sub/x\xc3(\xed\xa0\x80.char", 25);
	assert_true(d.truncated);
	s = render(report_junit, &fr, 1);
	assert_contains(s, "<testsuite name=\"./sub/x\xef\xbf\xbd("
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd.char\" tests=\"1\" "
	    "failures=\"0\" errors=\"1\"");
	assert_contains(s, "<testcase classname=\"sub.x\xef\xbf\xbd(");
	assert_contains(s, "<error message=\"bad thing 1\" "
	    "type=\"invalid-model\">");
	assert_contains(s, ".char: error: bad thing 20\n");
	assert_contains(s, ".char: note: look elsewhere\n");
	assert_contains(s, ".char: note: too many errors (25); stopped after "
	    "20\n</error>");
	assert_not_contains(s, "bad thing 21");
	free(s);
	diag_fini(&d);
	arena_free(&a);
}

/* A checked file whose diagnostics hold an error besides a warning: the
 * JUnit report's system-err lists the warnings only. */
static void
test_junit_warnings_only(void **state)
{
	struct fixture *f = *state;
	struct arena a = { 0 };
	struct diag d;
	struct file_report fr = f->fr[1];
	char *s;

	diag_init(&d, &a, NULL);
	diag_error_file(&d, 2, "not shown");
	diag_note(&d, (struct srcloc){ 0, 0, 1 }, "nor this");
	diag_warning(&d, (struct srcloc){ 0, 0, 1 }, "shown");
	diag_note(&d, (struct srcloc){ 0, 0, 1 }, "and this");
	fr.d = &d;
	s = render(report_junit, &fr, 1);
	assert_contains(s, "<system-err>r2.char: warning: shown\n"
	    "r2.char: note: and this\n</system-err>");
	assert_not_contains(s, "not shown");
	assert_not_contains(s, "nor this");
	free(s);
	diag_fini(&d);
	arena_free(&a);
}

/* A valid file without checks: GitHub's summary says so. */
static void
test_github_no_checks(void **state)
{
	(void)state;
	struct space_opts so = { .max_situations = 1 << 10 };
	struct check_opts co = { 0 };
	struct run run;
	char *path = cover_file("none.char", "action go\n"
	    "character c { otherwise -> go }\n"
	    "training { situations true }\ndeployment { situations true }\n");

	mpq_init(co.tolerance);
	run_file(&run, path, RUN_CHECK, &so, &co);
	mpq_clear(co.tolerance);
	assert_true(run.have_result);
	assert_int_equal(run.status, 0);
	struct file_report fr = { .path = "none.char", .status = 0,
	    .r = &run.r, .d = &run.diag };
	char *s = render(report_github, &fr, 1);
	assert_string_equal(s, "charcheck: none.char: no checks\n");
	free(s);
	run_free(&run);
	free(path);
}

/*
 * The streamed JSON report (entity by entity) is byte for byte json-c's
 * rendering of the whole tree, alone and as an element of the array of
 * several files, on every golden model, error file and model of the
 * library (valid or not: an invalid one has no entities), with the
 * charcheck's flags and every other layout of json-c: plain, spaced,
 * pretty and pretty with tabs.
 */
static void
test_json_stream_is_tree(void **state)
{
	static const int flagsets[] = {
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE,	/* charcheck's */
		JSON_C_TO_STRING_PLAIN,
		JSON_C_TO_STRING_SPACED,
		JSON_C_TO_STRING_PRETTY,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_PRETTY_TAB |
		    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE,
	};
	enum { NFLAGS = sizeof flagsets / sizeof flagsets[0] };
	struct space_opts so = { .max_situations = (uint64_t)1 << 24 };
	struct check_opts co = { 0 };
	glob_t g;
	size_t compared = 0;

	(void)state;
	mpq_init(co.tolerance);
	assert_int_equal(glob("tests/golden/*.char", 0, NULL, &g), 0);
	assert_int_equal(glob("tests/errors/*.char", GLOB_APPEND, NULL, &g), 0);
	assert_int_equal(glob("models/*.char", GLOB_APPEND, NULL, &g), 0);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct run run;
		run_file(&run, g.gl_pathv[i], RUN_CHECK, &so, &co);
		const struct result *r = run.have_result ? &run.r : NULL;
		for (int k = 0; k < NFLAGS; k++)
		for (int in_array = 0; in_array <= 1; in_array++) {
			int flags = flagsets[k];
			/* json-c's text around the element of an array: "[0]"
			 * split at its "0" (the caller's part). */
			struct json_object *probe = json_object_new_array();
			json_object_array_add(probe, json_object_new_int(0));
			const char *p = json_object_to_json_string_ext(probe,
			    flags), *zero = strchr(p, '0');
			assert_non_null(zero);
			int indent = in_array &&
			    (flags & JSON_C_TO_STRING_PRETTY) ? 2 : 0;
			struct json_object *tree = report_json(r,
			    g.gl_pathv[i], run.status, &run.diag), *doc = tree;
			if (in_array) {
				doc = json_object_new_array();
				json_object_array_add(doc, tree);
			}
			const char *want = json_object_to_json_string_ext(doc,
			    flags);
			char *got = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&got, &len);
			assert_non_null(f);
			if (in_array)
				fwrite(p, 1, (size_t)(zero - p), f);
			report_json_print(f, r, g.gl_pathv[i], run.status,
			    &run.diag, flags, indent);
			if (in_array)
				fputs(zero + 1, f);
			fclose(f);
			if (strcmp(want, got) != 0)
				fail_msg("%s (flags %#x%s): the streamed "
				    "report differs from the tree",
				    g.gl_pathv[i], (unsigned)flags,
				    in_array ? ", in an array" : "");
			free(got);
			json_object_put(doc);
			json_object_put(probe);
			compared++;
		}
		run_free(&run);
	}
	globfree(&g);
	mpq_clear(co.tolerance);
	assert_true(compared >= 100 * NFLAGS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_github_values),
		cmocka_unit_test(test_sarif_values),
		cmocka_unit_test(test_junit_values),
		cmocka_unit_test(test_invalid_notes),
		cmocka_unit_test(test_junit_warnings_only),
		cmocka_unit_test(test_github_no_checks),
		cmocka_unit_test(test_json_stream_is_tree),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
