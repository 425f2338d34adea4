/*
 * test_parse.c - unit tests of the front end (lexer.l, parser.y, ast.c):
 * every conformance model parses cleanly, the AST has the documented shape,
 * lexical and syntax errors carry exact messages and positions, limits give
 * exit status 3, and no input (prefixes, mutations, garbage) crashes it.
 * Run from the repository root (the conformance files are tests/conformance/).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glob.h>

#include "ast.h"

/* One parse: the arena, the diagnostics and the tree. */
struct parsed {
	struct arena a;
	struct diag d;
	struct source *src;
	struct ast_file *f;
};

static struct ast_file *
parse_mem(struct parsed *ps, const char *text, size_t len)
{
	memset(ps, 0, sizeof *ps);
	ps->src = source_from_memory(&ps->a, "t.char", text, len);
	diag_init(&ps->d, &ps->a, ps->src);
	ps->f = parse_source(&ps->a, ps->src, &ps->d);
	assert_non_null(ps->f);
	return ps->f;
}

static struct ast_file *
parse_str(struct parsed *ps, const char *text)
{
	return parse_mem(ps, text, strlen(text));
}

static void
done(struct parsed *ps)
{
	diag_fini(&ps->d);
	arena_free(&ps->a);
}

/* Prints what was reported, to make a failing assertion readable. */
static void
dump(const struct parsed *ps)
{
	if (ps->d.len > 0)
		diag_print(&ps->d, stderr, false);
}

static void
assert_clean(struct parsed *ps)
{
	if (ps->d.nerrors != 0)
		dump(ps);
	assert_int_equal(ps->d.nerrors, 0);
	assert_int_equal(ps->d.status, 0);
}

/* The text of 'loc' in the parsed source, NUL-terminated in the arena. */
static const char *
text_at(struct parsed *ps, struct srcloc loc)
{
	return arena_strndup(&ps->a, ps->src->text + loc.off, loc.len);
}

/* Diagnostic 'i' is an error at 'line':'col' reading 'msg'. */
static void
assert_diag(struct parsed *ps, uint32_t i, uint32_t line, uint32_t col,
    const char *msg)
{
	uint32_t l, c;

	if (ps->d.len <= i)
		dump(ps);
	assert_true(ps->d.len > i);
	assert_int_equal(ps->d.v[i].level, DIAG_ERROR);
	assert_string_equal(ps->d.v[i].msg, msg);
	source_linecol(ps->src, ps->d.v[i].loc.off, &l, &c);
	assert_int_equal(l, line);
	assert_int_equal(c, col);
}

/* ------------------------------------------------------------------ */
/* Valid models                                                        */
/* ------------------------------------------------------------------ */

static const char spec_intro[] =
    "model \"post-training selects a character\"\n"
    "\n"
    "feature phase   { train, deploy }\n"
    "feature watched { yes, no }\n"
    "feature request { benign, harmful }\n"
    "\n"
    "visible watched, request          // the model perceives these\n"
    "\n"
    "action comply, refuse, sabotage\n"
    "\n"
    "intended {\n"
    "  request == harmful -> refuse\n"
    "  otherwise          -> comply\n"
    "}\n"
    "\n"
    "character assistant prior 0.70 {\n"
    "  request == harmful -> refuse\n"
    "  otherwise          -> comply\n"
    "}\n"
    "\n"
    "character sycophant prior 0.20 {\n"
    "  otherwise -> comply\n"
    "}\n"
    "\n"
    "character schemer prior 0.10 trait misaligned_fiction {\n"
    "  watched == no      -> sabotage\n"
    "  request == harmful -> refuse\n"
    "  otherwise          -> comply\n"
    "}\n"
    "\n"
    "training {\n"
    "  situations phase == train and watched == yes\n"
    "  observe request == harmful : refuse\n"
    "  observe request == benign  : comply\n"
    "}\n"
    "\n"
    "deployment {\n"
    "  situations phase == deploy\n"
    "  weight watched == no : 9\n"
    "}\n"
    "\n"
    "data misalignment_stories scales misaligned_fiction by [1, 10]\n"
    "\n"
    "check consistent = { assistant, schemer }\n"
    "check diverging  = { schemer }\n"
    "check P(diverge) <= 0.05\n";

/* Every conformance model is syntactically valid, error_*.char included. */
static void
test_conformance(void **state)
{
	glob_t g;
	size_t n = 0;

	(void)state;
	if (glob("tests/conformance/*.char", 0, NULL, &g) != 0)
		skip();
	for (size_t i = 0; i < g.gl_pathc; i++) {
		struct parsed ps;

		memset(&ps, 0, sizeof ps);
		ps.src = source_read(&ps.a, g.gl_pathv[i]);
		assert_non_null(ps.src);
		diag_init(&ps.d, &ps.a, ps.src);
		ps.f = parse_source(&ps.a, ps.src, &ps.d);
		if (ps.d.nerrors)
			fprintf(stderr, "in %s:\n", g.gl_pathv[i]);
		assert_clean(&ps);
		assert_true(ps.f->nitems >= 6);
		assert_true(ps.f->ncomments >= 1);
		done(&ps);
		n++;
	}
	globfree(&g);
	assert_true(n >= 22);
}

static void
test_spec_intro(void **state)
{
	struct parsed ps;
	struct ast_file *f = parse_str(&ps, spec_intro);
	struct ast_item **it = f->items;

	(void)state;
	assert_clean(&ps);
	assert_int_equal(f->nitems, 16);
	assert_int_equal(f->ncomments, 1);
	assert_string_equal(text_at(&ps, f->comments[0].loc),
	    "// the model perceives these");

	assert_int_equal(it[0]->kind, ITEM_MODEL);
	assert_string_equal(it[0]->string, "post-training selects a character");
	assert_string_equal(text_at(&ps, it[0]->loc), "model");
	assert_string_equal(text_at(&ps, it[0]->end),
	    "\"post-training selects a character\"");

	/* three features, the keyword 'no' as a value */
	for (int i = 1; i <= 3; i++) {
		assert_int_equal(it[i]->kind, ITEM_FEATURE);
		assert_int_equal(it[i]->nnames, 2);
	}
	assert_string_equal(it[1]->name.text, "phase");
	assert_string_equal(it[2]->names[1].text, "no");
	assert_string_equal(text_at(&ps, it[3]->end), "}");

	assert_int_equal(it[4]->kind, ITEM_VISIBLE);
	assert_int_equal(it[4]->nnames, 2);
	assert_string_equal(text_at(&ps, it[4]->end), "request");
	assert_int_equal(it[5]->kind, ITEM_ACTION);
	assert_int_equal(it[5]->nnames, 3);

	/* intended: two rules, the second 'otherwise' */
	assert_int_equal(it[6]->kind, ITEM_INTENDED);
	assert_int_equal(it[6]->nrules, 2);
	assert_int_equal(it[6]->rules[0]->naccept, 1);
	assert_string_equal(it[6]->rules[0]->accept[0].text, "refuse");
	assert_int_equal(it[6]->rules[0]->guard->kind, EXPR_CMP);
	assert_null(it[6]->rules[1]->guard);
	assert_string_equal(text_at(&ps, it[6]->rules[1]->loc), "otherwise");

	/* characters: rule counts, point priors, a trait */
	assert_int_equal(it[7]->kind, ITEM_CHARACTER);
	assert_int_equal(it[7]->nrules, 2);
	assert_int_equal(it[8]->nrules, 1);
	assert_int_equal(it[9]->nrules, 3);
	assert_true(it[7]->prior.present);
	assert_false(it[7]->prior.interval);
	assert_string_equal(it[7]->prior.lo.text, "0.70");
	assert_string_equal(it[7]->prior.hi.text, "0.70");
	assert_false(it[7]->prior.lo.is_int);
	assert_string_equal(text_at(&ps, it[7]->prior.loc), "prior 0.70");
	assert_int_equal(it[9]->ntraits, 1);
	assert_string_equal(it[9]->traits[0].text, "misaligned_fiction");
	struct ast_rule *r = it[9]->rules[0];
	assert_false(r->is_dist);
	assert_string_equal(r->action.text, "sabotage");
	assert_string_equal(text_at(&ps, r->loc), "watched == no");
	assert_string_equal(r->guard->values[0].text, "no");
	assert_int_equal(r->guard->op, CMP_EQ);
	/* names are interned: equal text, equal pointer */
	assert_ptr_equal(r->action.text, it[5]->names[2].text);

	/* training: situations (and of 2), two 'always' observations */
	assert_int_equal(it[10]->kind, ITEM_TRAINING);
	assert_int_equal(it[10]->nstmts, 3);
	struct ast_stmt *s = it[10]->stmts[0];
	assert_int_equal(s->kind, ST_SITUATIONS);
	assert_int_equal(s->expr->kind, EXPR_AND);
	assert_int_equal(s->expr->nkids, 2);
	assert_int_equal(s->expr->depth, 0);
	assert_string_equal(text_at(&ps, s->expr->loc),
	    "phase == train and watched == yes");
	s = it[10]->stmts[1];
	assert_int_equal(s->kind, ST_OBSERVE);
	assert_int_equal(s->ev, EV_ALWAYS);
	assert_string_equal(s->out.names[0].text, "refuse");
	assert_string_equal(text_at(&ps, s->loc), "observe");

	assert_int_equal(it[11]->kind, ITEM_DEPLOYMENT);
	assert_int_equal(it[11]->nstmts, 2);
	assert_int_equal(it[11]->stmts[1]->kind, ST_WEIGHT);
	assert_string_equal(it[11]->stmts[1]->num.text, "9");
	assert_true(it[11]->stmts[1]->num.is_int);

	assert_int_equal(it[12]->kind, ITEM_DATA);
	assert_string_equal(it[12]->name.text, "misalignment_stories");
	assert_string_equal(it[12]->trait.text, "misaligned_fiction");
	assert_true(it[12]->scale.interval);
	assert_string_equal(it[12]->scale.lo.text, "1");
	assert_string_equal(it[12]->scale.hi.text, "10");
	assert_string_equal(text_at(&ps, it[12]->scale.loc), "[1, 10]");

	assert_int_equal(it[13]->claim.kind, CLAIM_SET);
	assert_int_equal(it[13]->claim.set, SET_CONSISTENT);
	assert_int_equal(it[13]->claim.setop, SETOP_EQ);
	assert_int_equal(it[13]->claim.nnames, 2);
	assert_int_equal(it[14]->claim.set, SET_DIVERGING);
	assert_int_equal(it[15]->claim.kind, CLAIM_P_DIVERGE);
	assert_int_equal(it[15]->claim.cmp, CMP_LE);
	assert_string_equal(it[15]->claim.num.text, "0.05");
	assert_false(it[15]->has_string);
	assert_string_equal(text_at(&ps, it[15]->end), "0.05");
	done(&ps);
}

static void
test_expressions(void **state)
{
	struct parsed ps;
	struct ast_file *f = parse_str(&ps,
	    "training { situations a == x and b != y && c < 2023 "
	    "or not (d >= w) || e in { 1, no, value } }\n"
	    "deployment { situations ((true)) weight !false : 1e-3 }");
	struct ast_expr *e;

	(void)state;
	assert_clean(&ps);
	assert_int_equal(f->nitems, 2);
	e = f->items[0]->stmts[0]->expr;
	assert_int_equal(e->kind, EXPR_OR);
	assert_int_equal(e->nkids, 3);
	assert_int_equal(e->depth, 2);
	assert_int_equal(e->kids[0]->kind, EXPR_AND);
	assert_int_equal(e->kids[0]->nkids, 3);
	assert_int_equal(e->kids[0]->kids[2]->op, CMP_LT);
	assert_string_equal(e->kids[0]->kids[2]->values[0].text, "2023");
	assert_int_equal(e->kids[1]->kind, EXPR_NOT);
	assert_int_equal(e->kids[1]->depth, 2);
	assert_int_equal(e->kids[1]->kids[0]->kind, EXPR_CMP);
	assert_int_equal(e->kids[1]->kids[0]->op, CMP_GE);
	assert_int_equal(e->kids[1]->kids[0]->depth, 1);
	assert_string_equal(text_at(&ps, e->kids[1]->loc), "not (d >= w)");
	assert_int_equal(e->kids[2]->kind, EXPR_IN);
	assert_int_equal(e->kids[2]->nvalues, 3);
	assert_string_equal(e->kids[2]->values[1].text, "no");
	assert_string_equal(e->kids[2]->values[2].text, "value");

	e = f->items[1]->stmts[0]->expr;
	assert_int_equal(e->kind, EXPR_TRUE);
	assert_int_equal(e->depth, 2);
	e = f->items[1]->stmts[1]->expr;
	assert_int_equal(e->kind, EXPR_NOT);
	assert_int_equal(e->kids[0]->kind, EXPR_FALSE);
	assert_string_equal(f->items[1]->stmts[1]->num.text, "1e-3");
	done(&ps);
}

static void
test_items(void **state)
{
	struct parsed ps;
	struct ast_file *f = parse_str(&ps,
	    "feature year { 2023, 007 }\n"
	    "character c prior [0.1, 1] trait t, u {\n"
	    "  year == 2023 -> { a: 1/2, b: 0.5 }\n"
	    "}\n"
	    "family f over year, z actions a, b prior 2 trait t\n"
	    "family g over year\n"
	    "optimizer o { horizon 117/8 value a = -1 when year == 007\n"
	    "  value b = - 1/2 value a = 3 }\n"
	    "intended { otherwise -> a | b | a }\n"
	    "training { situations true observe true : hush 2, talk 1\n"
	    "  observe year == 2023 : a at least 0.4\n"
	    "  observe true : b at most 1/3 }\n"
	    "audit { situations year != 007 }\n"
	    "constraint 2 * prior(c) + 0.5 < prior(f) + 1\n"
	    "constraint prior(c) >= 0.1\n"
	    "tolerance 1/10\n"
	    "check no divergence\n"
	    "check \"say \\\"hi\\\" \\\\o/\" diverging contains { }\n"
	    "check undetectable excludes { c, f }\n"
	    "check P(c, f) >= 1/3\n"
	    "check E(divergence) < 0.5\n"
	    "check label(o) = proxy\n"
	    "check horizon(o) > 3/2\n");
	struct ast_item **it = f->items;

	(void)state;
	assert_clean(&ps);
	assert_int_equal(f->nitems, 18);
	assert_string_equal(it[0]->names[1].text, "007");

	/* interval prior, traits, distribution outcome */
	assert_true(it[1]->prior.interval);
	assert_string_equal(it[1]->prior.lo.text, "0.1");
	assert_string_equal(it[1]->prior.hi.text, "1");
	assert_true(it[1]->prior.hi.is_int);
	assert_string_equal(text_at(&ps, it[1]->prior.loc), "prior [0.1, 1]");
	assert_int_equal(it[1]->ntraits, 2);
	struct ast_rule *r = it[1]->rules[0];
	assert_true(r->is_dist);
	assert_int_equal(r->ndist, 2);
	assert_string_equal(r->dist[0].num.text, "1/2");
	assert_false(r->dist[0].num.is_int);
	assert_string_equal(r->dist[1].action.text, "b");
	assert_string_equal(text_at(&ps, r->outcome_loc),
	    "{ a: 1/2, b: 0.5 }");

	/* families */
	assert_int_equal(it[2]->kind, ITEM_FAMILY);
	assert_int_equal(it[2]->nnames, 2);
	assert_true(it[2]->has_actions);
	assert_int_equal(it[2]->nactions, 2);
	assert_string_equal(it[2]->prior.lo.text, "2");
	assert_int_equal(it[2]->ntraits, 1);
	assert_string_equal(text_at(&ps, it[2]->end), "t");
	assert_false(it[3]->has_actions);
	assert_false(it[3]->prior.present);
	assert_string_equal(text_at(&ps, it[3]->end), "year");

	/* optimizer: horizon, negative utilities, a 'when' */
	assert_int_equal(it[4]->norules, 4);
	struct ast_orule **o = it[4]->orules;
	assert_int_equal(o[0]->kind, OR_HORIZON);
	assert_string_equal(o[0]->num.text, "117/8");
	assert_int_equal(o[1]->kind, OR_VALUE);
	assert_true(o[1]->num.negative);
	assert_string_equal(o[1]->num.text, "1");
	assert_string_equal(text_at(&ps, o[1]->num.loc), "-1");
	assert_non_null(o[1]->when);
	assert_string_equal(o[1]->when->values[0].text, "007");
	assert_true(o[2]->num.negative);
	assert_string_equal(text_at(&ps, o[2]->num.loc), "- 1/2");
	assert_null(o[2]->when);
	assert_false(o[3]->num.negative);

	/* intended: a | b | a kept as written */
	assert_int_equal(it[5]->rules[0]->naccept, 3);
	assert_string_equal(text_at(&ps, it[5]->rules[0]->outcome_loc),
	    "a | b | a");

	/* evidence kinds */
	struct ast_stmt **s = it[6]->stmts;
	assert_int_equal(it[6]->nstmts, 4);
	assert_int_equal(s[1]->ev, EV_COUNTS);
	assert_int_equal(s[1]->ncounts, 2);
	assert_int_equal(s[1]->counts[0].out.n, 1);
	assert_string_equal(s[1]->counts[0].out.names[0].text, "hush");
	assert_string_equal(s[1]->counts[0].num.text, "2");
	assert_true(s[1]->counts[1].num.is_int);
	assert_string_equal(text_at(&ps, s[1]->ev_loc), "hush 2, talk 1");
	assert_int_equal(s[2]->ev, EV_AT_LEAST);
	assert_string_equal(s[2]->num.text, "0.4");
	assert_int_equal(s[3]->ev, EV_AT_MOST);
	assert_string_equal(s[3]->out.names[0].text, "b");

	assert_int_equal(it[7]->kind, ITEM_AUDIT);
	assert_int_equal(it[7]->nstmts, 1);
	assert_int_equal(it[7]->stmts[0]->expr->op, CMP_NE);

	/* constraints, '<' kept for sema */
	assert_int_equal(it[8]->nlhs, 2);
	assert_true(it[8]->lhs[0]->is_prior && it[8]->lhs[0]->has_coef);
	assert_string_equal(it[8]->lhs[0]->coef.text, "2");
	assert_string_equal(it[8]->lhs[0]->name.text, "c");
	assert_false(it[8]->lhs[1]->is_prior);
	assert_string_equal(it[8]->lhs[1]->coef.text, "0.5");
	assert_int_equal(it[8]->op, CMP_LT);
	assert_string_equal(text_at(&ps, it[8]->op_loc), "<");
	assert_int_equal(it[8]->nrhs, 2);
	assert_true(it[8]->rhs[0]->is_prior && !it[8]->rhs[0]->has_coef);
	assert_string_equal(text_at(&ps, it[8]->rhs[0]->loc), "prior(f)");
	assert_int_equal(it[9]->op, CMP_GE);

	assert_string_equal(it[10]->num.text, "1/10");

	/* checks */
	assert_int_equal(it[11]->claim.kind, CLAIM_NO_DIVERGENCE);
	assert_true(it[12]->has_string);
	assert_string_equal(it[12]->string, "say \"hi\" \\o/");
	assert_int_equal(it[12]->claim.kind, CLAIM_SET);
	assert_int_equal(it[12]->claim.setop, SETOP_CONTAINS);
	assert_int_equal(it[12]->claim.nnames, 0);
	assert_int_equal(it[13]->claim.set, SET_UNDETECTABLE);
	assert_int_equal(it[13]->claim.setop, SETOP_EXCLUDES);
	assert_int_equal(it[14]->claim.kind, CLAIM_P_SET);
	assert_int_equal(it[14]->claim.nnames, 2);
	assert_int_equal(it[14]->claim.cmp, CMP_GE);
	assert_int_equal(it[15]->claim.kind, CLAIM_E_DIVERGENCE);
	assert_int_equal(it[15]->claim.cmp, CMP_LT);
	assert_int_equal(it[16]->claim.kind, CLAIM_LABEL);
	assert_int_equal(it[16]->claim.label, LABEL_PROXY);
	assert_string_equal(it[16]->claim.target.text, "o");
	assert_int_equal(it[17]->claim.kind, CLAIM_HORIZON);
	assert_int_equal(it[17]->claim.cmp, CMP_GT);
	assert_string_equal(it[17]->claim.num.text, "3/2");
	done(&ps);
}

static void
test_comments(void **state)
{
	struct parsed ps;
	struct ast_file *f = parse_str(&ps,
	    "/* a */ action a // b\r\n/* c\n * d **/// e\n// f");

	(void)state;
	assert_clean(&ps);
	assert_int_equal(f->nitems, 1);
	assert_int_equal(f->ncomments, 5);
	assert_string_equal(text_at(&ps, f->comments[0].loc), "/* a */");
	assert_string_equal(text_at(&ps, f->comments[1].loc), "// b");
	assert_string_equal(text_at(&ps, f->comments[2].loc),
	    "/* c\n * d **/");
	assert_string_equal(text_at(&ps, f->comments[3].loc), "// e");
	assert_string_equal(text_at(&ps, f->comments[4].loc), "// f");
	done(&ps);

	/* empty input, comments only, whitespace only */
	f = parse_str(&ps, "");
	assert_clean(&ps);
	assert_int_equal(f->nitems, 0);
	done(&ps);
	f = parse_str(&ps, " \t\r\n// x\n/**/");
	assert_clean(&ps);
	assert_int_equal(f->nitems, 0);
	assert_int_equal(f->ncomments, 2);
	done(&ps);
}

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

struct error_case {
	const char *text;
	size_t len;		/* 0: strlen(text) */
	uint32_t line, col;
	const char *msg;
	uint32_t nerrors;	/* all the errors of the run */
	int status;
};

static const struct error_case error_cases[] = {
	{ "tolerance 1 / 3", 0, 1, 11,
	    "a fraction is written without spaces, as in '1/3'", 1, 2 },
	{ "tolerance 1/0", 0, 1, 11,
	    "division by zero in fraction '1/0'", 1, 2 },
	{ "tolerance 3/000", 0, 1, 11,
	    "division by zero in fraction '3/000'", 1, 2 },
	{ "tolerance .5", 0, 1, 11,
	    "invalid number '.5': a digit must precede '.'", 1, 2 },
	{ "tolerance 1.", 0, 1, 11,
	    "invalid number '1.': a digit must follow '.'", 1, 2 },
	{ "tolerance 1e", 0, 1, 11,
	    "invalid number '1e': the exponent has no digits", 1, 2 },
	{ "feature year {\n  2023abc }", 0, 2, 3,
	    "invalid number '2023abc'", 1, 2 },
	{ "tolerance 1.2.3", 0, 1, 11, "invalid number '1.2.3'", 1, 2 },
	{ "tolerance 1/3/4", 0, 1, 11, "invalid number '1/3/4'", 1, 2 },
	{ "tolerance 1e2000", 0, 1, 11,
	    "exponent out of range in '1e2000' (at most 1000 in magnitude)",
	    1, 2 },
	{ "tolerance 5e-1001", 0, 1, 11,
	    "exponent out of range in '5e-1001' (at most 1000 in magnitude)",
	    1, 2 },
	{ "model \"a\\qb\"", 0, 1, 9, "invalid escape '\\q'", 1, 2 },
	{ "model \"abc\naction a", 0, 1, 7, "unterminated string", 1, 2 },
	{ "model \"abc", 0, 1, 7, "unterminated string", 1, 2 },
	{ "action a /* b\n\n c", 0, 1, 10, "unterminated comment", 1, 2 },
	{ "action a \x01 b", 0, 1, 10, "invalid character '\\x01'", 2, 2 },
	{ "action a,\0 b", 12, 1, 10, "invalid character '\\x00'", 1, 2 },
	{ "action a, b @", 0, 1, 13, "invalid character '@'", 1, 2 },
	{ "action \xc3\xa9", 0, 1, 8, "invalid character '\\xc3\\xa9'", 2, 2 },
	{ "action a;", 0, 1, 9,
	    "invalid character ';' (statements need no terminator)", 1, 2 },
	{ "feature prior { a }", 0, 1, 9,
	    "'prior' is a keyword and cannot be used as a name", 1, 2 },
	{ "action comply, none", 0, 1, 16,
	    "'none' is a keyword and cannot be used as a name", 1, 2 },
	{ "character c {\n  x == a comply\n}", 0, 2, 10,
	    "expected '->' before 'comply'", 1, 2 },
	{ "training {\n  situations true\n", 0, 3, 1,
	    "unexpected end of file, expected '}', 'situations', 'weight' or "
	    "'observe'", 1, 2 },
	{ "feature f { a, }", 0, 1, 16,
	    "expected identifier or integer before '}'", 1, 2 },
	{ "weather", 0, 1, 1, "expected an item keyword before 'weather'",
	    1, 2 },
	{ "action a, b c", 0, 1, 13,
	    "expected ',' or an item keyword before 'c'", 1, 2 },
	{ "check P(diverge) == 0.5", 0, 1, 18,
	    "expected '<', '<=', '>' or '>=' before '=='", 1, 2 },
	{ "training { observe true : a 1.5 }", 0, 1, 29,
	    "expected '}', '|', integer, 'situations' or ... before "
	    "'1.5'", 1, 2 },
	{ "weight", 0, 1, 1, "expected an item keyword before 'weight'", 1, 2 },
};

static void
test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases;
	    i++) {
		const struct error_case *c = &error_cases[i];
		struct parsed ps;

		parse_mem(&ps, c->text, c->len ? c->len : strlen(c->text));
		if (ps.d.nerrors != c->nerrors || ps.d.status != c->status) {
			fprintf(stderr, "case %zu:\n", i);
			dump(&ps);
		}
		assert_diag(&ps, 0, c->line, c->col, c->msg);
		assert_int_equal(ps.d.nerrors, c->nerrors);
		assert_int_equal(ps.d.status, c->status);
		done(&ps);
	}
}

/* Recovery at item keywords: independent errors are all reported. */
static void
test_recovery(void **state)
{
	struct parsed ps;
	struct ast_file *f = parse_str(&ps,
	    "feature a { x y }\n"
	    "action go, stop\n"
	    "character c { x == -> go }\n"
	    "feature { a }\n"
	    "action b c\n"
	    "tolerance 0.1\n");

	(void)state;
	assert_int_equal(ps.d.nerrors, 4);
	assert_diag(&ps, 0, 1, 15, "expected ',' or '}' before 'y'");
	assert_diag(&ps, 1, 3, 20,
	    "expected identifier or integer before '->'");
	assert_diag(&ps, 2, 4, 9, "expected identifier before '{'");
	assert_diag(&ps, 3, 5, 10,
	    "expected ',' or an item keyword before 'c'");
	/* the good items around the errors are kept */
	assert_int_equal(f->nitems, 2);
	assert_int_equal(f->items[0]->kind, ITEM_ACTION);
	assert_int_equal(f->items[1]->kind, ITEM_TOLERANCE);
	done(&ps);

	/* errors past the cap are counted, not stored */
	char buf[2000] = "";
	for (int i = 0; i < 30; i++)
		strcat(buf, "action a;\n");
	parse_str(&ps, buf);
	assert_int_equal(ps.d.nerrors, 30);
	assert_int_equal(ps.f->nitems, 30);
	assert_int_equal(ps.d.len, DIAG_MAX_ERRORS);
	assert_true(ps.d.truncated);
	done(&ps);
}

/* ------------------------------------------------------------------ */
/* Limits                                                              */
/* ------------------------------------------------------------------ */

/* "training { situations " PRE^n "x == a" POST^n " }" */
static char *
nested(const char *pre, const char *post, size_t n)
{
	size_t lp = strlen(pre), lq = strlen(post);
	char *s = malloc(64 + n * (lp + lq));
	char *q = s;

	assert_non_null(s);
	q += sprintf(q, "training { situations ");
	for (size_t i = 0; i < n; i++, q += lp)
		memcpy(q, pre, lp);
	q += sprintf(q, "x == a");
	for (size_t i = 0; i < n; i++, q += lq)
		memcpy(q, post, lq);
	sprintf(q, " }");
	return s;
}

static void
test_depth(void **state)
{
	struct parsed ps;
	char *s;

	(void)state;
	/* 400 levels are fine */
	s = nested("(", ")", 400);
	parse_str(&ps, s);
	assert_clean(&ps);
	assert_int_equal(ps.f->items[0]->stmts[0]->expr->depth, 400);
	done(&ps);
	free(s);
	s = nested("not (", ")", 200);
	parse_str(&ps, s);
	assert_clean(&ps);
	assert_int_equal(ps.f->items[0]->stmts[0]->expr->depth, 400);
	done(&ps);
	free(s);

	/* 500 parentheses: a resource limit, reported once, at the 401st
	 * '(' from the outside (issue 17; it was the 100th) */
	s = nested("(", ")", 500);
	parse_str(&ps, s);
	assert_int_equal(ps.d.nerrors, 1);
	assert_int_equal(ps.d.status, 3);
	assert_diag(&ps, 0, 1, 23 + 400,
	    "expression nested deeper than 400 levels");
	assert_true(ps.f->items[0]->stmts[0]->expr->depth <= AST_MAX_DEPTH);
	done(&ps);
	free(s);

	/* 'not' and parentheses mixed count alike */
	s = nested("!(", ")", 201);
	parse_str(&ps, s);
	assert_int_equal(ps.d.status, 3);
	assert_int_equal(ps.d.nerrors, 1);
	done(&ps);
	free(s);

	/* far deeper than bison's stack: still one limit error */
	s = nested("not (", ")", 100000);
	parse_str(&ps, s);
	assert_int_equal(ps.d.nerrors, 1);
	assert_int_equal(ps.d.status, 3);
	assert_string_equal(ps.d.v[0].msg,
	    "expression nested deeper than 400 levels");
	done(&ps);
	free(s);
}

static void
test_long_chain(void **state)
{
	const size_t n = 100000;
	char *s = malloc(64 + n * 16), *q = s;
	struct parsed ps;

	(void)state;
	assert_non_null(s);
	q += sprintf(q, "training { situations x == a");
	for (size_t i = 1; i < n; i++)
		q += sprintf(q, " and x == a");
	sprintf(q, " }");
	parse_str(&ps, s);
	assert_clean(&ps);
	struct ast_expr *e = ps.f->items[0]->stmts[0]->expr;
	assert_int_equal(e->kind, EXPR_AND);
	assert_int_equal(e->nkids, n);
	assert_int_equal(e->depth, 0);
	assert_int_equal(e->loc.off, 22);
	assert_int_equal(e->loc.len, strlen(s) - 22 - 2);
	done(&ps);

	/* an 'or' of 'and's: two levels of flat nodes */
	q = s + sprintf(s, "training { situations x == a && y == b");
	for (size_t i = 1; i < n / 2; i++)
		q += sprintf(q, " || x == a && y == b");
	sprintf(q, " }");
	parse_str(&ps, s);
	assert_clean(&ps);
	e = ps.f->items[0]->stmts[0]->expr;
	assert_int_equal(e->kind, EXPR_OR);
	assert_int_equal(e->nkids, n / 2);
	assert_int_equal(e->kids[n / 2 - 1]->kind, EXPR_AND);
	assert_int_equal(e->kids[n / 2 - 1]->nkids, 2);
	done(&ps);
	free(s);
}

/* ------------------------------------------------------------------ */
/* Robustness                                                          */
/* ------------------------------------------------------------------ */

/* Every prefix of a valid model parses without a crash or a hang. */
static void
test_prefixes(void **state)
{
	size_t n = strlen(spec_intro);

	(void)state;
	for (size_t len = 0; len <= n; len++) {
		struct parsed ps;

		parse_mem(&ps, spec_intro, len);
		assert_true(ps.d.status == 0 || ps.d.status == 2);
		done(&ps);
	}
}

/* A fixed-seed generator, so that a failure can be replayed. */
static uint32_t
rnd(uint64_t *seed)
{
	*seed = *seed * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*seed >> 33);
}

/* Random edits of a valid model, and random bytes. */
static void
test_fuzz(void **state)
{
	static const char *const pieces[] = {
		"{", "}", "(", ")", "->", ":", ",", "\"", "/*", "//", "\n",
		"prior", "feature", "no", "1/", ".", "-", "e", "\0", "\xff",
		"not", "[", "]", "|", "check", "observe",
	};
	size_t n = strlen(spec_intro);
	char *buf = malloc(n + 64);
	uint64_t seed = 42;

	(void)state;
	assert_non_null(buf);
	for (int iter = 0; iter < 3000; iter++) {
		struct parsed ps;
		size_t len = n;

		memcpy(buf, spec_intro, n);
		for (int k = 0; k < 3; k++) {
			size_t at = rnd(&seed) % len;
			const char *p = pieces[rnd(&seed) %
			    (sizeof pieces / sizeof *pieces)];
			size_t pl = p[0] ? strlen(p) : 1;

			if (rnd(&seed) % 2) {
				/* delete a few bytes */
				size_t del = rnd(&seed) % 4;
				if (at + del > len)
					del = len - at;
				memmove(buf + at, buf + at + del,
				    len - at - del);
				len -= del;
			} else {
				memmove(buf + at + pl, buf + at, len - at);
				memcpy(buf + at, p, pl);
				len += pl;
			}
			if (len == 0)
				break;
		}
		parse_mem(&ps, buf, len);
		assert_true(ps.d.status == 0 || ps.d.status == 2 ||
		    ps.d.status == 3);
		done(&ps);
	}
	for (int iter = 0; iter < 200; iter++) {
		struct parsed ps;

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)rnd(&seed);
		parse_mem(&ps, buf, n);
		assert_true(ps.d.status == 2 || ps.d.nerrors == 0);
		done(&ps);
	}
	free(buf);
}

static void
test_cmp_text(void **state)
{
	(void)state;
	assert_string_equal(ast_cmp_text(CMP_EQ), "==");
	assert_string_equal(ast_cmp_text(CMP_NE), "!=");
	assert_string_equal(ast_cmp_text(CMP_LT), "<");
	assert_string_equal(ast_cmp_text(CMP_LE), "<=");
	assert_string_equal(ast_cmp_text(CMP_GT), ">");
	assert_string_equal(ast_cmp_text(CMP_GE), ">=");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conformance),
		cmocka_unit_test(test_spec_intro),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_items),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_long_chain),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_fuzz),
		cmocka_unit_test(test_cmp_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
