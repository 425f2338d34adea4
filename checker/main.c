/*
 * main.c - the charcheck command line: parse the options, pick the
 * command, run it.  Options may stand before or after the file names;
 * '--' ends them.  Exit status: SPEC 5 (usage errors are 2).
 */
#include <errno.h>
#include <limits.h>
#include <malloc.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "deadline.h"

#ifndef CHARCHECK_VERSION
#define CHARCHECK_VERSION "1.0.0"
#endif

static const char usage_text[] =
"usage: charcheck [OPTIONS] FILE.char...      check models (exit 0/1/2/3)\n"
"       charcheck fmt [-w | --check] FILE.char...  canonical layout\n"
"       charcheck explain FILE.char NAME [--all]  why NAME holds or fails\n"
"       charcheck compare FILE.char           characters vs optimizers\n"
"       charcheck sweep FILE.char --data NAME --from X --to Y [--steps N]\n"
"                 [--csv] [--svg FILE]       P(diverge) as a data factor "
"varies\n"
"       charcheck thresholds FILE.char [--data NAME]...  where each "
"numeric\n"
"                 check holds, exactly, and its robustness to the prior\n"
"       charcheck lsp                         a language server on stdio\n"
"\n"
"  -                 as a FILE: read the model from standard input\n"
"  --format F        %s (default text)\n"
"  --color WHEN      auto, always or never (default auto)\n"
"  -q, --quiet       print only failing checks and errors\n"
"  -W, --warnings W  all, or none (default: the first 10 of each kind)\n"
"  --tolerance X     divergence tolerance, 0 to 1 (overrides the file's)\n"
"  --exact           verify every LP optimum with GLPK's exact simplex\n"
"  --max-situations N  refuse larger models with exit 3 (default 16777216)\n"
"  --timeout S       give up after S seconds of wall time, exit 3\n"
"  --stats           print sizes, stage times and peak memory on stderr\n"
"  -h, --help        this help;  --version  the version\n"
"\n"
"Exit status: 0 every check holds, 1 a check is violated, 2 bad usage or\n"
"an invalid model, 3 a resource limit or solver failure.  man charcheck.\n";

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

/*
 * --timeout: the first alarm marks the deadline, which the long loops
 * poll so that the limit is reported like any other (exit 3, in every
 * format); if the work is stuck where no loop polls, a second alarm two
 * seconds later ends the process.
 */
static void
on_alarm(int sig)
{
	static const char msg[] = "charcheck: error: the time limit "
	    "(--timeout) was reached; raise it or simplify the model\n";
	static volatile sig_atomic_t fired;

	(void)sig;
	if (!fired) {
		fired = 1;
		deadline_expire();
		alarm(2);
		return;
	}
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

	if (errno || end == s || *end || s[0] == '-' || v == 0)
		usage_error("'%s' needs a positive whole number, not '%s'",
		    opt, s);
	return v;
}

/*
 * Options that only one subcommand reads.  Given to another, they would be
 * ignored without a word, so main() refuses them instead (exit 2).
 */
enum owner { OWN_EXPLAIN, OWN_FMT, OWN_SWEEP, OWN_DATA, NOWNERS };
static const char *const owner_cmd[NOWNERS] = { "explain", "fmt", "sweep",
	"sweep" };

/* The first option seen for each owner, as the user spelt it. */
static const char *owned[NOWNERS];

static void
own(enum owner o, const char *arg)
{
	if (!owned[o])
		owned[o] = arg;
}

/* Refuses the options that belong to a subcommand other than 'cmd'. */
static void
refuse_foreign(const char *cmd)
{
	for (int o = 0; o < NOWNERS; o++) {
		if (!owned[o] || !strcmp(cmd, owner_cmd[o]))
			continue;
		/* --data is also thresholds' */
		if (o == OWN_DATA && !strcmp(cmd, "thresholds"))
			continue;
		size_t n = strcspn(owned[o], "=");
		usage_error("option '%.*s' belongs to 'charcheck %s'%s, not "
		    "to 'charcheck %s'", (int)n, owned[o], owner_cmd[o],
		    o == OWN_DATA ? " and 'charcheck thresholds'" : "", cmd);
	}
}

/* --from, --to: a number the model language accepts, checked up front. */
static const char *
sweep_bound(const char *v, const char *opt)
{
	mpq_t q;

	mpq_init(q);
	bool ok = rational_parse(q, v);
	/* The factors are printed as doubles: past them "inf", "-nan". */
	bool finite = ok && isfinite(rational_get_d(q));
	mpq_clear(q);
	if (!ok)
		usage_error("'%s' needs a non-negative number such as 1, 0.5 "
		    "or 1/3, not '%s'", opt, v);
	if (!finite)
		usage_error("'%s' must be at most 1.7976931348623157e308 (the "
		    "largest double), not '%s'", opt, v);
	return v;
}

static const struct { const char *name; bool every; } formats[] = {
#define X(name, word, every) { word, every },
	FORMATS(X)
#undef X
};

/* "text, json, junit, github or sarif", for --help and usage errors. */
static const char *
format_list(void)
{
	static char list[128];
	size_t len = 0;

	for (int k = 0; k < FMT_COUNT; k++)
		len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
		    k == 0 ? "" : k + 1 == FMT_COUNT ? " or " : ", ",
		    formats[k].name);
	return list;
}

/* Parses every option; the other arguments go to 'pos' in order. */
static int
parse_options(int argc, char **argv, struct cli *c, char **pos)
{
	int npos = 0;
	bool dashdash = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (dashdash || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			dashdash = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			printf(usage_text, format_list());
			exit(0);
		} else if (!strcmp(a, "--version")) {
			printf("charcheck %s\n", CHARCHECK_VERSION);
			exit(0);
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			c->quiet = true;
		} else if (!strcmp(a, "--stats")) {
			c->stats = true;
		} else if (!strcmp(a, "--exact")) {
			c->check.lp.exact = true;
		} else if (!strcmp(a, "--all")) {
			c->all = true;
			own(OWN_EXPLAIN, a);
		} else if (!strcmp(a, "-w") || !strcmp(a, "--write")) {
			c->write = true;
			own(OWN_FMT, a);
		} else if (!strcmp(a, "--check")) {
			c->check_fmt = true;
			own(OWN_FMT, a);
		} else if (!strcmp(a, "--csv")) {
			c->csv = true;
			own(OWN_SWEEP, a);
		} else if ((v = option_value(argc, argv, &i, "--warnings")) ||
		    (v = option_value(argc, argv, &i, "-W"))) {
			if (!strcmp(v, "all"))
				c->warnings = 1;
			else if (!strcmp(v, "none"))
				c->warnings = -1;
			else
				usage_error("unknown --warnings '%s' (use all "
				    "or none)", v);
		} else if ((v = option_value(argc, argv, &i, "--format"))) {
			int k = 0;
			while (k < FMT_COUNT && strcmp(v, formats[k].name))
				k++;
			if (k == FMT_COUNT)
				usage_error("unknown format '%s' (use %s)", v,
				    format_list());
			c->format = (enum format)k;
		} else if ((v = option_value(argc, argv, &i, "--color")) ||
		    (v = option_value(argc, argv, &i, "--colour"))) {
			if (!strcmp(v, "auto"))
				c->color = -1;
			else if (!strcmp(v, "always"))
				c->color = 1;
			else if (!strcmp(v, "never"))
				c->color = 0;
			else
				usage_error("unknown --color '%s' (use auto, "
				    "always or never)", v);
		} else if ((v = option_value(argc, argv, &i, "--tolerance"))) {
			if (!rational_parse(c->check.tolerance, v))
				usage_error("--tolerance needs a non-negative "
				    "number such as 0.01 or 1/100, "
				    "not '%s'", v);
			/* A divergence is a probability (SPEC 4.4). */
			if (mpq_cmp_ui(c->check.tolerance, 1, 1) > 0)
				usage_error("--tolerance is a divergence, "
				    "between 0 and 1, not '%s'", v);
			c->check.has_tolerance = true;
		} else if ((v = option_value(argc, argv, &i,
		    "--max-situations"))) {
			c->space.max_situations = parse_count(v,
			    "--max-situations");
		} else if ((v = option_value(argc, argv, &i, "--timeout"))) {
			unsigned long long t = parse_count(v, "--timeout");
			c->timeout = t > UINT_MAX ? UINT_MAX : (unsigned)t;
		} else if ((v = option_value(argc, argv, &i, "--data"))) {
			c->data = v;
			c->datas[c->ndatas++] = v;
			own(OWN_DATA, a);
		} else if ((v = option_value(argc, argv, &i, "--from"))) {
			c->from = sweep_bound(v, "--from");
			own(OWN_SWEEP, a);
		} else if ((v = option_value(argc, argv, &i, "--to"))) {
			c->to = sweep_bound(v, "--to");
			own(OWN_SWEEP, a);
		} else if ((v = option_value(argc, argv, &i, "--steps"))) {
			own(OWN_SWEEP, a);
			unsigned long long n = parse_count(v, "--steps");
			if (n > 100000)
				usage_error("--steps %llu is more than 100000",
				    n);
			c->steps = (unsigned long)n;
		} else if ((v = option_value(argc, argv, &i, "--svg"))) {
			c->svg = v;
			own(OWN_SWEEP, a);
		} else {
			usage_error("unknown option '%s'", a);
		}
	}
	return npos;
}

int
main(int argc, char **argv)
{
	struct cli c = {
		.format = FMT_TEXT, .color = -1, .steps = 10,
		.space = { .max_situations = (uint64_t)1 << 24 },
	};
	char **pos = calloc((size_t)argc + 1, sizeof *pos);
	const char **datas = calloc((size_t)argc + 1, sizeof *datas);
	int npos, status;

	if (!pos || !datas)
		fatal("out of memory");
	c.datas = datas;
	xgmp_init();
	/* The engines allocate and free many bitsets of one size: keep the
	 * freed memory instead of handing it back and faulting it in again
	 * (page faults were a fifth of the run time at 2^20 situations). */
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	/* One arena: the judging threads carve their bitsets from the heap
	 * run_prefault grew, not from fresh per-thread heaps (bench row a:
	 * 1,277 -> 111 page faults, a sixth of the CPU time). */
	mallopt(M_ARENA_MAX, 1);
	mpq_init(c.check.tolerance);
	npos = parse_options(argc, argv, &c, pos);
	if (c.timeout) {
		/* sigaction, not signal(): with _POSIX_C_SOURCE glibc's
		 * signal() resets the handler after the first alarm, so
		 * the second one killed the process by SIGALRM (142). */
		struct sigaction sa = { .sa_handler = on_alarm };
		sigemptyset(&sa.sa_mask);
		sigaction(SIGALRM, &sa, NULL);
		alarm(c.timeout);
		c.check.lp.time_limit = c.timeout;
	}
	const char *cmd = npos ? pos[0] : "";
	bool other = !strcmp(cmd, "explain") || !strcmp(cmd, "compare") ||
	    !strcmp(cmd, "sweep") || !strcmp(cmd, "fmt") ||
	    !strcmp(cmd, "lsp") || !strcmp(cmd, "thresholds");
	if (other && !formats[c.format].every)
		usage_error("'charcheck %s' prints text or json, not the CI "
		    "formats", cmd);
	refuse_foreign(other ? cmd : "check");
	/* '-' is standard input, which can be read once and not rewritten. */
	int nstdin = 0;
	for (int i = other || !strcmp(cmd, "check") ? 1 : 0; i < npos; i++) {
		if (strcmp(pos[i], "-") != 0 ||
		    (!strcmp(cmd, "explain") && i == 2))
			continue;
		if (nstdin++)
			usage_error("%s", "standard input ('-') can be read "
			    "only once");
		if (c.write)
			usage_error("%s", "fmt -w cannot rewrite standard "
			    "input; without -w it prints the result");
		pos[i] = (char *)source_stdin;
	}
	if (c.write && c.check_fmt)
		usage_error("%s", "fmt takes -w or --check, not both");
	if (!strcmp(cmd, "fmt")) {
		if (npos < 2)
			usage_error("%s", "fmt needs a model file");
		status = cmd_fmt(&c, pos + 1, npos - 1);
	} else if (!strcmp(cmd, "lsp")) {
		if (npos != 1)
			usage_error("%s", "usage: charcheck lsp (it reads "
			    "LSP messages on standard input)");
		status = cmd_lsp(&c);
	} else if (!strcmp(cmd, "explain")) {
		if (npos != 3)
			usage_error("%s", "usage: charcheck explain FILE.char "
			    "NAME [--all]");
		status = cmd_explain(&c, pos[1], pos[2]);
	} else if (!strcmp(cmd, "compare")) {
		if (npos != 2)
			usage_error("%s", "usage: charcheck compare FILE.char");
		status = cmd_compare(&c, pos[1]);
	} else if (!strcmp(cmd, "sweep")) {
		if (npos != 2 || !c.data || !c.from || !c.to)
			usage_error("%s", "usage: charcheck sweep FILE.char "
			    "--data NAME --from X --to Y [--steps N] [--csv] "
			    "[--svg FILE]");
		status = cmd_sweep(&c, pos[1]);
	} else if (!strcmp(cmd, "thresholds")) {
		if (npos != 2)
			usage_error("%s", "usage: charcheck thresholds "
			    "FILE.char [--data NAME]... [--format text|json]");
		status = cmd_thresholds(&c, pos[1]);
	} else {
		int first = !strcmp(cmd, "check") ? 1 : 0;
		if (npos - first < 1)
			usage_error("%s", "no model file given");
		status = cmd_check(&c, pos + first, npos - first);
	}
	mpq_clear(c.check.tolerance);
	free(pos);
	free(datas);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr,
		    "charcheck: error: writing the report failed\n");
		return 3;
	}
	return status;
}
