/*
 * test_corners_main.c - the command line (checker/main.c, compiled into this
 * test with its main renamed), 'fmt -w' failing to rewrite, and the
 * --timeout deadline as the entity loop sees it.  Each run is a child
 * process (usage errors exit; the deadline flag is global), its stdout,
 * stderr and exit status asserted exactly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <cmocka.h>

#include "corners.h"

int charcheck_main(int argc, char **argv);
#define main charcheck_main
#include "main.c"
#undef main

#define TRY "Try 'charcheck --help' for more information.\n"

/* A small valid model whose one check fails (exit 1) and which has a
 * warning (a rule that never fires). */
static const char small_model[] =
	"model \"small\"\n"
	"feature f { a, b }\n"
	"action go, stop\n"
	"intended { otherwise -> go }\n"
	"character good { otherwise -> go }\n"
	"character odd { f == b -> stop  otherwise -> go  f == a -> stop }\n"
	"training { situations f == a  observe true : go }\n"
	"deployment { situations true }\n"
	"check no divergence\n";

struct argv_buf {
	int argc;
	char *argv[16];
};

static int
run_main(void *p)
{
	struct argv_buf *a = p;

	return charcheck_main(a->argc, a->argv);
}

/* Runs charcheck with the NULL-terminated arguments after argv[0]. */
static struct cap
cli(const char *arg0, ...)
{
	struct argv_buf a = { 0 };
	va_list ap;
	const char *s;

	a.argv[a.argc++] = (char *)"charcheck";
	va_start(ap, arg0);
	for (s = arg0; s; s = va_arg(ap, const char *))
		a.argv[a.argc++] = (char *)s;
	va_end(ap);
	return cover_run(run_main, &a);
}

/* Asserts one usage error: exit 2, nothing on stdout, exactly 'msg'. */
static void
usage_is(struct cap c, const char *msg)
{
	char want[512];

	snprintf(want, sizeof want, "charcheck: error: %s\n" TRY, msg);
	assert_int_equal(c.status, 2);
	assert_string_equal(c.out, "");
	assert_string_equal(c.err, want);
	cap_free(&c);
}

static void
test_version_and_help(void **state)
{
	(void)state;
	struct cap c = cli("--version", NULL);
	assert_int_equal(c.status, 0);
	assert_string_equal(c.out, "charcheck " CHARCHECK_VERSION "\n");
	assert_string_equal(c.err, "");
	cap_free(&c);

	c = cli("models/none.char", "-h", NULL);	/* options anywhere */
	assert_int_equal(c.status, 0);
	assert_non_null(strstr(c.out, "\n  --format F        text, json, "
	    "junit, github or sarif (default text)\n"));
	assert_int_equal(strlen(c.out), strlen(usage_text) - 2 +
	    strlen(format_list()));
	cap_free(&c);
}

static void
test_usage_errors(void **state)
{
	(void)state;
	usage_is(cli("--format", NULL), "option '--format' needs a value");
	usage_is(cli("x.char", "--timeout", NULL),
	    "option '--timeout' needs a value");
	usage_is(cli("--formatx=json", "x.char", NULL),
	    "unknown option '--formatx=json'");
	usage_is(cli("--bogus", NULL), "unknown option '--bogus'");
	usage_is(cli("--format=xml", "x.char", NULL),
	    "unknown format 'xml' (use text, json, junit, github or sarif)");
	usage_is(cli("--color", "sometimes", "x.char", NULL),
	    "unknown --color 'sometimes' (use auto, always or never)");
	usage_is(cli("--tolerance=abc", "x.char", NULL),
	    "--tolerance needs a non-negative number such as 0.01 or 1/100, "
	    "not 'abc'");
	usage_is(cli("--max-situations=0", "x.char", NULL),
	    "'--max-situations' needs a positive whole number, not '0'");
	usage_is(cli("--timeout=-5", "x.char", NULL),
	    "'--timeout' needs a positive whole number, not '-5'");
	usage_is(cli("--timeout=12s", "x.char", NULL),
	    "'--timeout' needs a positive whole number, not '12s'");
	usage_is(cli("--max-situations", "99999999999999999999999", "x.char",
	    NULL), "'--max-situations' needs a positive whole number, not "
	    "'99999999999999999999999'");
	usage_is(cli("--steps=100001", NULL), "--steps 100001 is more than "
	    "100000");
	usage_is(cli(NULL), "no model file given");
	usage_is(cli("check", "-q", NULL), "no model file given");
	usage_is(cli("fmt", "--check", NULL), "fmt needs a model file");
	usage_is(cli("explain", "x.char", NULL),
	    "usage: charcheck explain FILE.char NAME [--all]");
	usage_is(cli("compare", NULL), "usage: charcheck compare FILE.char");
	usage_is(cli("compare", "a.char", "b.char", NULL),
	    "usage: charcheck compare FILE.char");
	usage_is(cli("sweep", "x.char", "--data", "d", "--from", "0", NULL),
	    "usage: charcheck sweep FILE.char --data NAME --from X --to Y "
	    "[--steps N] [--csv] [--svg FILE]");
}

/*
 * Regression: a negative fraction was taken as a tolerance (though
 * "-0.01" was refused) and the text report then crashed; it is the usage
 * error, exit 2.
 */
static void
test_negative_tolerance(void **state)
{
	(void)state;
	usage_is(cli("--tolerance=-1/100", "tests/golden/tolerance.char", NULL),
	    "--tolerance needs a non-negative number such as 0.01 or 1/100, "
	    "not '-1/100'");
}

/* '--' ends the options: "-q" is then a file name. */
static void
test_dashdash(void **state)
{
	(void)state;
	struct cap c = cli("--", "-q", NULL);
	assert_int_equal(c.status, 2);
	assert_string_equal(c.out, "");
	assert_string_equal(c.err,
	    "-q: error: cannot read: No such file or directory\n");
	cap_free(&c);

	/* A lone '-' is an argument, not an option: standard input. */
	c = cli("-", NULL);
	assert_int_equal(c.status, 2);
	assert_contains(c.err, "<stdin>:1:1: error: ");
	cap_free(&c);
}

static void
test_color(void **state)
{
	(void)state;
	char *path = cover_file("small.char", small_model);

	/* always: escapes in the report and the warning; never: none. */
	struct cap c = cli("--color=always", path, NULL);
	assert_int_equal(c.status, 1);
	assert_contains(c.out, "\033[");
	assert_contains(c.err, "\033[");
	assert_contains(c.err, "warning:");
	cap_free(&c);

	c = cli("--colour", "never", path, NULL);
	assert_int_equal(c.status, 1);
	assert_not_contains(c.out, "\033[");
	assert_not_contains(c.err, "\033[");
	assert_contains(c.err, "warning: ");
	cap_free(&c);

	/* auto: the child's stdout and stderr are files, not terminals. */
	c = cli("--color", "auto", path, NULL);
	assert_int_equal(c.status, 1);
	assert_not_contains(c.out, "\033[");
	assert_not_contains(c.err, "\033[");
	cap_free(&c);
	free(path);
}

/* A generous --timeout changes nothing (the alarm never rings). */
static void
test_timeout_option(void **state)
{
	(void)state;
	char *path = cover_file("small.char", small_model);
	struct cap plain = cli("--format=json", path, NULL);
	struct cap c = cli("--timeout=600", "--format=json", path, NULL);

	assert_int_equal(plain.status, 1);
	assert_int_equal(c.status, 1);
	assert_string_equal(c.out, plain.out);
	assert_string_equal(c.err, plain.err);
	cap_free(&plain);
	cap_free(&c);

	c = cli("--timeout", "99999999999", path, NULL);	/* > UINT_MAX */
	assert_int_equal(c.status, 1);
	cap_free(&c);
	free(path);
}

/* The first alarm only marks the deadline: the entity loop then stops
 * with a resource-limit error (exit 3) and an empty report. */
static int
expired_check(void *p)
{
	on_alarm(SIGALRM);
	alarm(0);	/* on_alarm armed the second alarm */
	return run_main(p);
}

/* The second alarm ends the process at once. */
static int
second_alarm(void *p)
{
	(void)p;
	on_alarm(SIGALRM);
	alarm(0);
	on_alarm(SIGALRM);
	return 0;	/* not reached */
}

static void
test_deadline(void **state)
{
	(void)state;
	char *path = cover_file("small.char", small_model);
	struct argv_buf a = { 2, { (char *)"charcheck", path } };

	struct cap c = cover_run(expired_check, &a);
	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, "");
	assert_contains(c.err, "error: the time limit (--timeout) was "
	    "reached");
	cap_free(&c);

	a = (struct argv_buf){ 4, { (char *)"charcheck", (char *)"--format",
	    (char *)"json", path } };
	c = cover_run(expired_check, &a);
	assert_int_equal(c.status, 3);
	assert_contains(c.out, "\"status\": 3");
	assert_contains(c.out, "the time limit (--timeout) was reached");
	cap_free(&c);

	c = cover_run(second_alarm, NULL);
	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, "");
	assert_string_equal(c.err, "charcheck: error: the time limit "
	    "(--timeout) was reached; raise it or simplify the model\n");
	cap_free(&c);
	free(path);
}

/* A report that cannot be written is exit 3. */
static void
test_stdout_full(void **state)
{
	(void)state;
	char *path = cover_file("small.char", small_model);
	struct argv_buf a = { 2, { (char *)"charcheck", path } };

	struct cap c = cover_run_to(run_main, &a, "/dev/full");
	assert_int_equal(c.status, 3);
	assert_contains(c.err,
	    "charcheck: error: writing the report failed\n");
	cap_free(&c);
	free(path);
}

/* fmt -w when the temporary file cannot be made or written. */
static int
fmt_w_small_files(void *p)
{
	struct rlimit rl, old;
	int st;

	if (getrlimit(RLIMIT_FSIZE, &old) != 0)
		return 99;
	rl = old;
	rl.rlim_cur = 4096;
	signal(SIGXFSZ, SIG_IGN);
	if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
		return 99;
	st = run_main(p);
	/* Back to the old limit: gcov writes its counts at exit. */
	setrlimit(RLIMIT_FSIZE, &old);
	return st;
}

static void
test_fmt_rewrite_fails(void **state)
{
	(void)state;
	char name[256], want[600], *path, *big, *before, *after;
	size_t off = 0, cap = 16384;

	/* A base name of 250 bytes: the temporary file's name once added
	 * a suffix to it and passed NAME_MAX; now it is short and fixed
	 * (issue 17), so the file is rewritten. */
	memset(name, 'm', 244);
	memcpy(name + 244, ".char", 6);
	path = cover_file(name, "model   \"x\"\naction a\n"
	    "character c {otherwise->a}\ntraining { situations true }\n"
	    "deployment { situations true }\n");
	struct argv_buf a = { 4, { (char *)"charcheck", (char *)"fmt",
	    (char *)"-w", path } };
	struct cap c = cover_run(run_main, &a);
	assert_int_equal(c.status, 0);
	assert_string_equal(c.out, "");
	assert_string_equal(c.err, "");
	cap_free(&c);
	after = cover_slurp(path);
	assert_non_null(strstr(after, "model \"x\"\n"));
	free(after);
	free(path);

	/* Over 4096 bytes formatted, under RLIMIT_FSIZE = 4096: the write
	 * fails (EFBIG), the file is left as it was and no temporary file
	 * stays behind. */
	big = malloc(cap);
	assert_non_null(big);
	off += (size_t)snprintf(big + off, cap - off, "action   a\n");
	for (int i = 0; i < 200; i++)
		off += (size_t)snprintf(big + off, cap - off,
		    "character   c%d {otherwise->a}\n", i);
	snprintf(big + off, cap - off, "training { situations true }\n"
	    "deployment { situations true }\n");
	path = cover_file("big.char", big);
	a.argv[3] = path;
	c = cover_run(fmt_w_small_files, &a);
	snprintf(want, sizeof want, "charcheck: error: %s: cannot rewrite: "
	    "File too large\n", path);
	assert_int_equal(c.status, 2);
	assert_string_equal(c.err, want);
	cap_free(&c);
	before = big;
	after = cover_slurp(path);
	assert_string_equal(after, before);
	free(after);
	/* Nothing but big.char and the captured output in the directory. */
	char ls[200];
	snprintf(ls, sizeof ls, "ls -A %s | grep -c fmt- >/dev/null",
	    cover_dir());
	assert_int_not_equal(system(ls), 0);
	free(big);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version_and_help),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_negative_tolerance),
		cmocka_unit_test(test_dashdash),
		cmocka_unit_test(test_color),
		cmocka_unit_test(test_timeout_option),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_stdout_full),
		cmocka_unit_test(test_fmt_rewrite_fails),
	};
	return cmocka_run_group_tests(tests, NULL, cover_teardown);
}
