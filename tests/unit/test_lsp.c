/*
 * test_lsp.c - the language server's document store (checker/lsp_doc.c):
 * byte offsets to LSP positions and back (UTF-16 units, bytes that are
 * not UTF-8, CRLF, past the end), the file name of a URI, the name index
 * (declarations, scoped values, traits) and the diagnostics' JSON, a note
 * as related information.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lsp.h"

static struct lsp_doc *
open_text(struct lsp_doc **list, const char *uri, const char *text)
{
	return lsp_doc_open(list, uri, text, strlen(text));
}

static void
assert_pos(const struct lsp_doc *d, uint32_t off, uint32_t line,
    uint32_t ch)
{
	struct lsp_pos p = lsp_doc_pos(d, off);

	assert_int_equal(p.line, line);
	assert_int_equal(p.character, ch);
}

/* "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units, \xff 1 and 1. */
static void
test_positions(void **state)
{
	static const char text[] = "ab\n\xc3\xa9\xf0\x9f\x98\x80x\n\xffz\r\nw";
	struct lsp_doc *list = NULL;
	struct lsp_doc *d = open_text(&list, "file:///t.char", text);

	(void)state;
	assert_pos(d, 0, 0, 0);
	assert_pos(d, 2, 0, 2);
	assert_pos(d, 3, 1, 0);
	assert_pos(d, 5, 1, 1);		/* after é */
	assert_pos(d, 9, 1, 3);		/* after 😀 */
	assert_pos(d, 10, 1, 4);
	assert_pos(d, 12, 2, 1);	/* after \xff */
	assert_pos(d, 13, 2, 2);	/* the \r */
	assert_pos(d, 15, 3, 0);
	assert_pos(d, 16, 3, 1);	/* the end */
	assert_pos(d, 999, 3, 1);	/* past it */
	assert_int_equal(lsp_doc_off(d, (struct lsp_pos){ 1, 1 }), 5);
	assert_int_equal(lsp_doc_off(d, (struct lsp_pos){ 1, 3 }), 9);
	assert_int_equal(lsp_doc_off(d, (struct lsp_pos){ 1, 4 }), 10);
	/* past the end of a line: its end; past the last line: the end */
	assert_int_equal(lsp_doc_off(d, (struct lsp_pos){ 0, 80 }), 2);
	assert_int_equal(lsp_doc_off(d, (struct lsp_pos){ 9, 0 }), 16);
	lsp_doc_close(&list, d);
	assert_null(list);
}

static void
test_uri_path(void **state)
{
	struct lsp_doc *list = NULL;
	struct lsp_doc *d = open_text(&list, "file:///w/a%20b%2Fc.char", "");

	(void)state;
	assert_string_equal(d->path, "/w/a b/c.char");
	assert_ptr_equal(lsp_doc_find(list, "file:///w/a%20b%2Fc.char"), d);
	assert_null(lsp_doc_find(list, "file:///w/other.char"));
	lsp_doc_close(&list, d);
}

static const char model[] =
	"feature w { yes, no }\n"		/* 0 */
	"feature v { no, maybe }\n"		/* 22 */
	"action a, b\n"				/* 46 */
	"character c trait t { w == no -> a\n"	/* 58 */
	"  otherwise -> b }\n"
	"data d scales t by [1, 2]\n"
	"check diverging = { c }\n";

static const struct lsp_name *
at(const struct lsp_doc *d, const char *what, int nth)
{
	const char *p = d->text;

	for (int i = 0; i <= nth; i++)
		p = strstr(i ? p + 1 : p, what);
	assert_non_null(p);
	return lsp_doc_name_at(d, (uint32_t)(p - d->text));
}

static void
test_index(void **state)
{
	struct lsp_doc *list = NULL;
	struct lsp_doc *d = open_text(&list, "file:///m.char", model);
	const struct lsp_name *n, *decl;

	(void)state;
	/* 'no' in 'w == no' is w's value, not v's */
	n = at(d, "no ->", 0);
	assert_non_null(n);
	assert_int_equal(n->kind, SYM_VALUE);
	decl = lsp_doc_decl(d, n);
	assert_non_null(decl);
	assert_int_equal(decl->off, strstr(model, "no }") - model);
	/* the entity in the check leads to its declaration */
	n = at(d, "c }", 0);
	assert_int_equal(n->kind, SYM_ENTITY);
	assert_int_equal(lsp_doc_decl(d, n)->off,
	    strstr(model, "c trait") - model);
	/* a trait's first mention is its declaration */
	n = at(d, "t by", 0);
	assert_int_equal(n->kind, SYM_TRAIT);
	decl = lsp_doc_decl(d, n);
	assert_true(decl->decl);
	assert_int_equal(decl->off, strstr(model, "t {") - model);
	/* between names there is none */
	assert_null(lsp_doc_name_at(d, (uint32_t)(strstr(model, "{ yes") -
	    model)));
	lsp_doc_close(&list, d);
}

static void
test_diagnostics(void **state)
{
	struct lsp_doc *list = NULL;
	struct lsp_doc *d = open_text(&list, "file:///e.char",
	    "feature w { yes, no }\nvisible x\n");
	struct json_object *arr = lsp_doc_diagnostics(d), *e, *rel;

	(void)state;
	e = json_object_array_get_idx(arr, 0);
	assert_string_equal(json_object_to_json_string_ext(e,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	    "{\"range\":{\"start\":{\"line\":1,\"character\":8},"
	    "\"end\":{\"line\":1,\"character\":9}},\"severity\":1,"
	    "\"source\":\"charcheck\",\"message\":\"unknown feature 'x'\","
	    "\"relatedInformation\":[{\"location\":{\"uri\":"
	    "\"file:///e.char\",\"range\":{\"start\":{\"line\":0,"
	    "\"character\":8},\"end\":{\"line\":0,\"character\":9}}},"
	    "\"message\":\"did you mean 'w'?\"}]}");
	assert_true(json_object_object_get_ex(e, "relatedInformation",
	    &rel));
	json_object_put(arr);
	/* a new text replaces the diagnostics */
	lsp_doc_set(d, "feature w { yes, no }\nvisible w\n", 32);
	arr = lsp_doc_diagnostics(d);
	e = json_object_array_get_idx(arr, 0);
	assert_string_equal(json_object_get_string(json_object_object_get(e,
	    "message")), "the model has no 'training' block");
	json_object_put(arr);
	lsp_doc_close(&list, d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_uri_path),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_diagnostics),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
