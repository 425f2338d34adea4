/*
 * report.h - the printers.  Each renders a Result (or a failed file's
 * diagnostics) and computes nothing: text for people, JSON for tools.
 */
#ifndef CHARCHECK_REPORT_H
#define CHARCHECK_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

#include "compare.h"
#include "explain.h"
#include "result.h"
#include "sweep.h"

struct report_opts {
	bool color;		/* ANSI colour (only on a terminal) */
	bool quiet;		/* only failures */
};

/* The shortest "%.Ng" that reads back as 'x'; integral values as integers. */
const char *report_double(char buf[32], double x);
/* x as a JSON number in report_double's digits; NULL (null) past the
 * doubles' range. */
struct json_object *report_json_number(double x);

void report_text(FILE *out, const struct result *r, const char *path,
    const struct report_opts *o);

/*
 * The JSON object of one file (SPEC 5.2): a full report when 'r' is given,
 * else {"file", "status", "errors"} from 'd'.  The caller owns the object.
 */
struct json_object *report_json(const struct result *r, const char *path,
    int status, const struct diag *d);
/*
 * The same report printed on 'f' with json-c 'flags', every line after
 * the first indented by 'indent' more spaces (with
 * JSON_C_TO_STRING_PRETTY_TAB, a tab for every two: json-c's unit of
 * nesting), built and freed entity by entity (no newline at the end).
 */
void report_json_print(FILE *f, const struct result *r, const char *path,
    int status, const struct diag *d, int flags, int indent);
/*
 * Writes the rendered JSON 's' on 'f' with every byte sequence that is
 * not UTF-8 replaced by U+FFFD.  json-c escapes controls and quotes but
 * copies other bytes, and titles, labels and file names may hold any;
 * outside strings a rendering is ASCII, so this only touches strings.
 */
void report_json_puts(FILE *f, const char *s);
/* The layout of every JSON document charcheck prints. */
#define REPORT_JSON_FLAGS (JSON_C_TO_STRING_PRETTY | \
	JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE)
/* Prints 'o' on 'f' in that layout (report_json_puts) with a newline,
 * and releases it. */
void report_json_emit(FILE *f, struct json_object *o);

/*
 * The words of a check for the CI printers (report_words.c), in 'a':
 * the value found ("max 0.588235 (= 10/17)", "found {a, b}"), the culprit
 * of a failing check with its witness or refutation (NULL when it holds or
 * names none), and the claim with its label.
 */
const char *report_value_text(struct arena *a, const struct result *r,
    const struct check_result *cr);
const char *report_culprit_text(struct arena *a, const struct result *r,
    const struct check_result *cr);
const char *report_claim_text(struct arena *a, const struct check *c);
/* A space report_wrap never breaks at ("0.333333 (= 1/3)" stays whole). */
#define REPORT_NBSP '\x01'
/*
 * Prints 'text' (one paragraph, 'col' columns already on the line) on
 * 'f', breaking at spaces so that no line passes 'width' columns (a word
 * longer than that stands alone); continuation lines are indented by
 * 'indent'.  REPORT_NBSP prints as a space.  Ends the line.
 */
void report_wrap(FILE *f, const char *text, int col, int indent, int width);
/*
 * Length of the well-formed UTF-8 sequence at 's' (its code point in
 * *cp), or 0: the CI printers replace what is not UTF-8.
 */
size_t report_utf8_next(const unsigned char *s, uint32_t *cp);
/*
 * Diagnostic i of 'd' with the notes after it, one per line, and its
 * line and column (0 without a location); NULL when it is itself a note
 * (the CI printers give one record per error or warning).
 */
const char *report_diag_text(struct arena *a, const char *path,
    const struct diag *d, uint32_t i, uint32_t *line, uint32_t *col);
/*
 * Why training refutes 'er' (refuted by an observation): "refuted by the
 * observation on line 7: at {..} it plays comply", or for a count, the
 * action drawn that the policy never plays where training has weight.
 */
const char *report_refutation_text(struct arena *a, const struct result *r,
    const struct entity_result *er);
/*
 * Where diverging 'er' leaves the intended behaviour: "{phase=deploy}
 * -> defect (intended: comply | refuse)".
 */
const char *report_witness_text(struct arena *a, const struct result *r,
    const struct entity_result *er);
/*
 * The headline finding (r->indistinguishable) in one sentence, or NULL:
 * "Training cannot tell these 3 apart (equal likelihoods), yet some
 * diverge at deployment: only the prior decides between them."
 */
const char *report_finding_text(struct arena *a, const struct result *r);
/* An observed outcome as written: "refuse", "solve | hack". */
const char *report_outcome_text(struct arena *a, const struct model *m,
    const struct outcome *o);
/* The same after "line N: ", for observation 'ob' and refutation 'rf'. */
const char *report_refutation_words(struct arena *a, const struct space *sp,
    const struct observation *ob, const struct refutation *rf);
/*
 * "0.125", "0.333333 (= 1/3)" when the short decimal is not exact, and
 * "~1 - 2.14e-12500" or "~3.1e-437" where a short decimal would read as
 * another exact number or a double cannot hold the value.
 */
const char *report_rat_text(struct arena *a, mpq_srcptr q);
/* report_rat_text of a number kept unexpanded (draws.h): the same text. */
const char *report_big_text(struct arena *a, const struct bigq *v);
/*
 * Whether 'q' is written out exactly: its numerator and denominator have
 * at most 4,096 bits between them (D72, the oracle's MAX_EXACT_BITS).
 * JSON's _exact strings are null past it, thresholds' text gives six
 * digits.
 */
bool report_exact_short(mpq_srcptr q);

/* One file's outcome, for the printers that need every file at once. */
struct file_report {
	const char *path;		/* as given on the command line */
	int status;			/* its exit status, 0-3 */
	const struct result *r;	/* NULL when the model was invalid */
	const struct diag *d;	/* its diagnostics (errors, warnings) */
};

/*
 * CI formats (SPEC 5): JUnit XML (one <testsuite> per file, one
 * <testcase> per check; an invalid file is one errored testcase), GitHub
 * workflow commands (::error/::warning annotations on the check's or the
 * diagnostic's line), and SARIF 2.1.0 for code scanning.
 */
void report_junit(FILE *out, const struct file_report *f, size_t n);
void report_github(FILE *out, const struct file_report *f, size_t n);
void report_sarif(FILE *out, const struct file_report *f, size_t n);

/* The subcommands' printers, over their engines' results. */
/* compare */
/*
 * The report of 'cr' for the file 'path' on 'f': text for people (at most
 * eight behaviours per list unless 'all') and the charcheck-compare/1
 * JSON object.
 */
void report_compare_text(FILE *f, const struct compare_result *cr,
    const char *path, bool all);
void report_compare_json(FILE *f, const struct compare_result *cr,
    const char *path);

/* sweep */
/*
 * The printers, on 'f'.  The table heads itself with the file 'path' and
 * the bounds as the user wrote them ('from', 'to'); JSON is the
 * charcheck-sweep/1 object.  report_sweep_svg closes 'f' and returns
 * fclose's result (0, or EOF with errno set).
 */
void report_sweep_text(FILE *f, const struct sweep_result *sr,
    const char *path, const char *from, const char *to);
void report_sweep_csv(FILE *f, const struct sweep_result *sr);
void report_sweep_json(FILE *f, const struct sweep_result *sr,
    const char *path);
int report_sweep_svg(FILE *f, const struct sweep_result *sr,
    const char *path);

/* explain */
/* The report of 'xr' for the file 'path' on 'f': text for people, or the
 * charcheck-explain/1 JSON object. */
void report_explain_text(FILE *f, const struct explain_result *xr,
    const char *path);
void report_explain_json(FILE *f, const struct explain_result *xr,
    const char *path);

#endif
