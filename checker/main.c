/*
 * main.c - the charcheck command line.  One call per pass for each file:
 * read, parse, sema, build the space, check, report; then free the arena.
 * The exit status is the worst over the files (SPEC 5).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

#ifndef CHARCHECK_VERSION
#define CHARCHECK_VERSION "0.1.0"
#endif

enum format { FMT_TEXT, FMT_JSON };

#define JSON_FLAGS (JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | \
	JSON_C_TO_STRING_NOSLASHESCAPE)

struct options {
	enum format format;
	int color;		/* -1 auto, 0 never, 1 always */
	bool quiet;
	bool exact;
	struct check_opts check;
	struct space_opts space;
	unsigned timeout;	/* seconds, 0 = none */
};

static const char usage_text[] =
"usage: charcheck [OPTIONS] FILE.char...     check models\n"
"       charcheck check [OPTIONS] FILE.char...\n"
"       charcheck --help | --version\n"
"\n"
"Checks which characters are consistent with training, which of those\n"
"diverge from the intended behaviour at deployment, and the posterior\n"
"probability of divergence; then the file's 'check' lines.\n"
"\n"
"options:\n"
"  --format text|json     report format (default text)\n"
"  --color auto|always|never\n"
"                         colour the text report (default auto: a terminal)\n"
"  -q, --quiet            print only failing checks and errors\n"
"  --tolerance X          divergence tolerance (overrides the file's)\n"
"  --max-situations N     refuse larger models, exit 3 (default 16777216)\n"
"  --timeout SECONDS      give up after SECONDS of wall time, exit 3\n"
"  --exact                verify LP optima exactly (point priors are\n"
"                         always exact)\n"
"  -h, --help             show this help\n"
"  --version              show the version\n"
"\n"
"exit status: 0 every check holds, 1 a check is violated,\n"
"             2 bad usage or an invalid model, 3 a resource limit.\n"
"See charcheck(1) and docs/language.md.\n";

static _Noreturn void usage_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "charcheck: error: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'charcheck --help' for more information.\n");
	exit(2);
}

static void
on_alarm(int sig)
{
	static const char msg[] = "charcheck: error: the time limit "
	    "(--timeout) was reached; raise it or simplify the model\n";

	(void)sig;
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
		_exit(3);
	_exit(3);
}

/* Reads '--name VALUE' or '--name=VALUE'; advances *i past the value. */
static const char *
option_value(int argc, char **argv, int *i, const char *name)
{
	const char *arg = argv[*i];
	size_t n = strlen(name);

	if (strncmp(arg, name, n) != 0)
		return NULL;
	if (arg[n] == '=')
		return arg + n + 1;
	if (arg[n] != '\0')
		return NULL;
	if (*i + 1 >= argc)
		usage_error("option '%s' needs a value", name);
	return argv[++*i];
}

static unsigned long long
parse_count(const char *s, const char *opt)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);

	if (errno || end == s || *end || s[0] == '-')
		usage_error("'%s' needs a positive whole number", opt);
	return v;
}

/* Parses the options; returns the index of the first file argument. */
static int
parse_options(int argc, char **argv, struct options *o, int first)
{
	int i;

	for (i = first; i < argc; i++) {
		const char *a = argv[i], *v;
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			exit(0);
		} else if (!strcmp(a, "--version")) {
			printf("charcheck %s\n", CHARCHECK_VERSION);
			exit(0);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			o->quiet = true;
		} else if (!strcmp(a, "--exact")) {
			o->exact = true;
		} else if ((v = option_value(argc, argv, &i, "--format"))) {
			if (!strcmp(v, "text"))
				o->format = FMT_TEXT;
			else if (!strcmp(v, "json"))
				o->format = FMT_JSON;
			else if (!strcmp(v, "junit") || !strcmp(v, "github"))
				usage_error("--format %s is not supported yet",
				    v);
			else
				usage_error("unknown format '%s' (use text or "
				    "json)", v);
		} else if ((v = option_value(argc, argv, &i, "--color"))) {
			if (!strcmp(v, "auto"))
				o->color = -1;
			else if (!strcmp(v, "always"))
				o->color = 1;
			else if (!strcmp(v, "never"))
				o->color = 0;
			else
				usage_error("unknown --color '%s' (use auto, "
				    "always or never)", v);
		} else if ((v = option_value(argc, argv, &i, "--tolerance"))) {
			if (!rational_parse(o->check.tolerance, v))
				usage_error("--tolerance needs a non-negative "
				    "number, not '%s'", v);
			o->check.has_tolerance = true;
		} else if ((v = option_value(argc, argv, &i,
		    "--max-situations"))) {
			o->space.max_situations = parse_count(v,
			    "--max-situations");
		} else if ((v = option_value(argc, argv, &i, "--timeout"))) {
			unsigned long long t = parse_count(v, "--timeout");
			o->timeout = t > UINT_MAX ? UINT_MAX : (unsigned)t;
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	return i;
}

/*
 * Checks one file and prints its report.  Returns its exit status; for
 * JSON, hands the file's object to 'json' instead of printing.
 */
static int
check_file(const char *path, const struct options *o, bool color,
    struct json_object **json)
{
	struct arena a = { 0 };
	struct diag d;
	struct model *m = NULL;
	struct space sp = { 0 };
	struct result r = { 0 };
	bool have_result = false;
	int status;

	struct source *src = source_read(&a, path);
	diag_init(&d, &a, src);
	if (!src) {
		diag_error_file(&d, 2, "cannot read: %s", strerror(errno));
	} else {
		struct ast_file *ast = parse_source(&a, src, &d);
		if (d.nerrors == 0)
			m = sema_run(&a, ast, &d);
		if (m && space_build(&sp, m, &o->space, &d))
			have_result = check_model(&r, m, &sp, &o->check, &d);
	}
	status = d.nerrors ? (d.status ? d.status : 2) : r.status;
	diag_print(&d, stderr, color && isatty(STDERR_FILENO));
	if (o->format == FMT_JSON) {
		*json = report_json(have_result && !d.nerrors ? &r : NULL,
		    path, status, &d);
	} else if (have_result && !d.nerrors) {
		struct report_opts ro = { .color = color, .quiet = o->quiet };
		report_text(stdout, &r, path, &ro);
	}
	result_free(&r);
	space_free(&sp);
	model_free(m);
	diag_fini(&d);
	arena_free(&a);
	return status;
}

int
main(int argc, char **argv)
{
	struct options o = {
		.format = FMT_TEXT, .color = -1,
		.space = { .max_situations = (uint64_t)1 << 24 },
	};
	int first = 1, status = 0;

	mpq_init(o.check.tolerance);
	if (argc > 1 && !strcmp(argv[1], "check"))
		first = 2;
	else if (argc > 1 && (!strcmp(argv[1], "fmt") ||
	    !strcmp(argv[1], "explain") || !strcmp(argv[1], "compare") ||
	    !strcmp(argv[1], "sweep")))
		usage_error("'charcheck %s' is not supported yet", argv[1]);
	first = parse_options(argc, argv, &o, first);
	if (first >= argc)
		usage_error("%s", "no model file given");
	if (o.timeout) {
		signal(SIGALRM, on_alarm);
		alarm(o.timeout);
	}
	bool color = o.color == 1 ||
	    (o.color == -1 && isatty(STDOUT_FILENO) && getenv("NO_COLOR") ==
	    NULL);
	struct json_object *all = o.format == FMT_JSON && argc - first > 1 ?
	    json_object_new_array() : NULL;
	for (int i = first; i < argc; i++) {
		struct json_object *j = NULL;
		int st = check_file(argv[i], &o, color, &j);
		if (st > status)
			status = st;
		if (!j)
			continue;
		if (all) {
			json_object_array_add(all, j);
			continue;
		}
		puts(json_object_to_json_string_ext(j, JSON_FLAGS));
		json_object_put(j);
	}
	if (all) {
		puts(json_object_to_json_string_ext(all, JSON_FLAGS));
		json_object_put(all);
	}
	mpq_clear(o.check.tolerance);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "charcheck: error: writing the report failed\n");
		return status > 3 ? status : 3;
	}
	return status;
}
