/*
 * test_corners_lang.c - the corners of lang/: the fatal allocators (in a
 * child: they exit 3), arena chunking and deferred calls, sources that
 * cannot be read, diagnostics (colour, carets, --quiet, the error cap),
 * and exact numbers (rational_parse's rejects, rational_get_d's ties).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "corners.h"
#include "diag.h"
#include "model.h"

/* ---- arena.c ---------------------------------------------------------- */

static int
call_fatal(void *p)
{
	(void)p;
	printf("buffered");	/* fatal flushes stdout first */
	fatal("%s %d", "gave up at", 42);
}

static int
call_internal_error(void *p)
{
	(void)p;
	internal_error_at("lang/x.c", 7);
}

static int
huge_reallocarray(void *p)
{
	(void)p;
	xreallocarray(NULL, SIZE_MAX / 2, 4);
	return 0;
}

static int
huge_arena_array(void *p)
{
	struct arena a = { 0 };

	(void)p;
	arena_array(&a, SIZE_MAX / 4, 4);	/* over SIZE_MAX / 2 bytes */
	return 0;
}

static int
huge_arena_alloc(void *p)
{
	struct arena a = { 0 };

	(void)p;
	/* Rounds to SIZE_MAX - 15: no room for the chunk header. */
	arena_alloc(&a, SIZE_MAX - 20);
	return 0;
}

static void
expect_fatal(int (*fn)(void *), const char *out, const char *err)
{
	struct cap c = cover_run(fn, NULL);

	assert_int_equal(c.status, 3);
	assert_string_equal(c.out, out);
	assert_string_equal(c.err, err);
	cap_free(&c);
}

static void
test_fatal(void **state)
{
	(void)state;
	expect_fatal(call_fatal, "buffered",
	    "charcheck: fatal: gave up at 42\n");
	expect_fatal(call_internal_error, "", "charcheck: fatal: internal "
	    "error at lang/x.c:7 (please report this bug)\n");
	expect_fatal(huge_reallocarray, "",
	    "charcheck: fatal: out of memory\n");
	expect_fatal(huge_arena_array, "", "charcheck: fatal: out of memory\n");
	expect_fatal(huge_arena_alloc, "", "charcheck: fatal: out of memory\n");
}

/*
 * Regression: arena_alloc used to round 'size' up to 16 without an
 * overflow check, so arena_alloc(a, SIZE_MAX - 3) wrapped to a 16-byte
 * block; it must fail with "out of memory" (exit 3).
 */
static int
wrapping_arena_alloc(void *p)
{
	struct arena a = { 0 };

	(void)p;
	arena_alloc(&a, SIZE_MAX - 3);
	arena_free(&a);
	return 0;
}

static void
test_arena_alloc_wraps(void **state)
{
	(void)state;
	expect_fatal(wrapping_arena_alloc, "",
	    "charcheck: fatal: out of memory\n");
}

static void
test_arena_chunks(void **state)
{
	(void)state;
	struct arena a = { 0 };
	char *s = xstrdup("copied");

	assert_string_equal(s, "copied");
	free(s);

	/* Chunks double from 64 KiB up to 16 MiB, then stay at 16 MiB:
	 * 9600 blocks of 4 KiB fill 64K+128K+...+16M and spill into more
	 * 16 MiB chunks; every block is zeroed, aligned and distinct. */
	unsigned char *prev = NULL;
	for (int i = 0; i < 9600; i++) {
		unsigned char *p = arena_alloc(&a, 4096);
		assert_int_equal((uintptr_t)p % 16, 0);
		assert_int_equal(p[0], 0);
		assert_int_equal(p[4095], 0);
		memset(p, 0xab, 4096);
		assert_true(p != prev);
		prev = p;
	}
	assert_int_equal(a.used, (size_t)9600 * 4096);
	/* A block over 4 KiB gets a chunk of its own, zeroed, and the
	 * current chunk keeps serving small blocks. */
	unsigned char *small1 = arena_alloc(&a, 16);
	unsigned char *mid = arena_alloc(&a, 4097);
	unsigned char *big = arena_alloc(&a, (size_t)20 << 20);
	unsigned char *small2 = arena_alloc(&a, 16);
	assert_int_equal((uintptr_t)mid % 16, 0);
	assert_int_equal(mid[4096], 0);
	assert_int_equal((uintptr_t)big % 16, 0);
	assert_int_equal(big[(20 << 20) - 1], 0);
	assert_ptr_equal(small2, small1 + 16);
	/* Not zeroed, yet aligned, counted and distinct; the next block
	 * of the same chunk is zeroed all the same. */
	size_t used = a.used;
	unsigned char *raw = arena_array_uninit(&a, 3, 5);
	unsigned char *rawbig = arena_array_uninit(&a, 5000, 2);
	memset(raw, 0xab, 15);
	memset(rawbig, 0xab, 10000);
	unsigned char *after = arena_alloc(&a, 16);
	assert_int_equal((uintptr_t)raw % 16, 0);
	assert_int_equal((uintptr_t)rawbig % 16, 0);
	assert_ptr_equal(after, raw + 16);
	assert_int_equal(after[0], 0);
	assert_int_equal(a.used, used + 16 + 10000 + 16);
	/* Zero bytes is a valid request: 16 bytes, distinct. */
	assert_ptr_not_equal(arena_alloc(&a, 0), arena_alloc(&a, 0));
	arena_free(&a);
	assert_null(a.head);
	assert_null(a.own);
	assert_int_equal(a.used, 0);
}

/* Appends its argument, a digit stored in the arena, to 'deferred'. */
static char deferred[8];

static void
note_deferred(void *arg)
{
	size_t n = strlen(deferred);

	deferred[n] = *(const char *)arg;
	deferred[n + 1] = '\0';
}

static void
test_arena_defer(void **state)
{
	(void)state;
	struct arena a = { 0 };

	/* Newest first, and before the chunks go: each call reads its
	 * argument from arena memory (ASan would see a use after free). */
	deferred[0] = '\0';
	for (int i = 0; i < 3; i++) {
		char *c = arena_alloc(&a, 1);
		*c = (char)('1' + i);
		arena_defer(&a, note_deferred, c);
	}
	arena_free(&a);
	assert_string_equal(deferred, "321");
	assert_null(a.defers);
	/* Reused, the arena has forgotten them. */
	arena_alloc(&a, 1);
	arena_free(&a);
	assert_string_equal(deferred, "321");
}

/* ---- diag.c ------------------------------------------------------------ */

static void
test_source_read_errors(void **state)
{
	(void)state;
	struct arena a = { 0 };

	errno = 0;
	assert_null(source_read(&a, cover_dir()));	/* a directory */
	assert_int_equal(errno, EISDIR);
	errno = 0;
	assert_null(source_read(&a, "/nonexistent/x.char"));
	assert_int_equal(errno, ENOENT);
	arena_free(&a);
}

/* Prints 'd' to a string (heap). */
static char *
printed(const struct diag *d, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	diag_print(d, f, color);
	fclose(f);
	return buf;
}

static void
test_diag_print(void **state)
{
	(void)state;
	struct arena a = { 0 };
	struct diag d;
	const char text[] = "ab\tcd\x01 x\nline two\n";
	struct source *src = source_from_memory(&a, "t.char", text,
	    sizeof text - 1);

	diag_init(&d, &a, src);
	/* Runs past the end of its line: the tildes stop there. */
	diag_error(&d, (struct srcloc){ 0, 3, 40 }, "wide %s", "range");
	diag_note(&d, (struct srcloc){ 0, 9, 4 }, "see here");
	diag_warning(&d, (struct srcloc){ 0, 0, 1 }, "careful");
	diag_note(&d, (struct srcloc){ 0, 1, 1 }, "the warning's note");
	diag_error_file(&d, 3, "no location");
	assert_int_equal(d.nerrors, 2);
	assert_int_equal(d.nwarnings, 1);
	assert_int_equal(d.status, 3);

	char *s = printed(&d, false);
	assert_string_equal(s,
	    "t.char:1:4: error: wide range\n"
	    "    1 | ab\tcd? x\n"
	    "      |   \t^~~~~\n"
	    "t.char:2:1: note: see here\n"
	    "    2 | line two\n"
	    "      | ^~~~\n"
	    "t.char:1:1: warning: careful\n"
	    "    1 | ab\tcd? x\n"
	    "      | ^\n"
	    "t.char:1:2: note: the warning's note\n"
	    "    1 | ab\tcd? x\n"
	    "      |  ^\n"
	    "t.char: error: no location\n");
	free(s);

	s = printed(&d, true);
	assert_string_equal(strstr(s, "\033[1mt.char: "),
	    "\033[1mt.char: \033[1;31merror:\033[0m\033[1m no location"
	    "\033[0m\n");
	assert_contains(s, "\033[1mt.char:1:1: \033[1;35mwarning:\033[0m"
	    "\033[1m careful\033[0m\n");
	assert_contains(s, "\033[1;36mnote:");
	assert_contains(s, "      |   \t\033[1;32m^~~~~\033[0m\n");
	free(s);

	/* --quiet: the warning goes, and its note with it. */
	d.hide_warnings = true;
	s = printed(&d, false);
	assert_not_contains(s, "careful");
	assert_not_contains(s, "the warning's note");
	assert_contains(s, "note: see here");
	assert_contains(s, "t.char: error: no location\n");
	free(s);
	diag_fini(&d);
	arena_free(&a);
}

static void
test_diag_cap(void **state)
{
	(void)state;
	struct arena a = { 0 };
	struct diag d;

	diag_init(&d, &a, source_from_memory(&a, "gone.char", "", 0));
	/* A note before anything is dropped. */
	diag_note(&d, (struct srcloc){ 0 }, "orphan");
	assert_int_equal(d.len, 0);
	for (int i = 1; i <= 25; i++) {
		assert_int_equal(diag_full(&d), i > DIAG_MAX_ERRORS);
		diag_error_file(&d, 2, "error %d", i);
		diag_note(&d, (struct srcloc){ 0 }, "note %d", i);
	}
	assert_int_equal(d.nerrors, 25);
	assert_true(d.truncated);
	assert_int_equal(d.len,
	    2 * DIAG_MAX_ERRORS);	/* errors + notes */
	char *s = printed(&d, false);
	assert_contains(s, "gone.char: error: error 20\n"
	    "gone.char:1:1: note: note 20\n"
	    "    1 | \n"
	    "      | ^\n"
	    "gone.char: note: too many errors (25); stopped after 20\n");
	assert_not_contains(s, "error 21");
	assert_not_contains(s, "note 21");
	free(s);
	diag_fini(&d);

	/* No source and no path: the program's name. */
	diag_init(&d, &a, NULL);
	diag_error_file(&d, 2, "x");
	s = printed(&d, false);
	assert_string_equal(s, "charcheck: error: x\n");
	free(s);
	diag_fini(&d);
	arena_free(&a);
}

/* ---- num.c ------------------------------------------------------------- */

static void
test_rational_parse(void **state)
{
	(void)state;
	mpq_t q;
	static const char *const bad[] = {
		"1/0", "1.", "1.x", "1e", "1e+", "e5", "", ".5", "1e100001",
		"1e-100001", "2x",
	};

	mpq_init(q);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (rational_parse(q, bad[i]))
			fail_msg("'%s' parsed", bad[i]);
	assert_true(rational_parse(q, "6/4"));
	assert_int_equal(mpq_cmp_ui(q, 3, 2), 0);
	assert_true(rational_parse(q, "2.5E-2"));
	assert_int_equal(mpq_cmp_ui(q, 1, 40), 0);
	assert_true(rational_parse(q, "12e+1"));
	assert_int_equal(mpq_cmp_ui(q, 120, 1), 0);
	mpq_clear(q);
}

/*
 * Regression: rational_parse read "a/b" with GMP's mpq_set_str, which
 * takes a sign, so "-1/100" was accepted as a tolerance and the text
 * report then crashed on a divergence-0 entity "diverging" without a
 * witness.  A sign is refused.
 */
static void
test_rational_parse_sign(void **state)
{
	(void)state;
	mpq_t q;

	mpq_init(q);
	assert_false(rational_parse(q, "-1/100"));
	mpq_clear(q);
}

/* The nearest double, ties to even (q is exactly between two). */
static void
test_rational_get_d(void **state)
{
	(void)state;
	mpq_t q;

	mpq_t one;

	mpq_init(q);
	mpq_init(one);
	mpq_set_ui(one, 1, 1);
	/* 1 + 2^-53: between 1 (even) and 1 + 2^-52 (odd) -> 1. */
	mpq_set_ui(q, 1, 1);
	mpq_div_2exp(q, q, 53);
	mpq_add(q, q, one);
	assert_true(rational_get_d(q) == 1.0);
	/* 1 + 3 * 2^-53: between 1 + 2^-52 (odd) and 1 + 2^-51 (even). */
	mpq_set_ui(q, 3, 1);
	mpq_div_2exp(q, q, 53);
	mpq_add(q, q, one);
	assert_true(rational_get_d(q) == 1.0 + 0x1p-51);
	/* Just above the tie rounds up; just below rounds down. */
	mpq_set_ui(q, 1, 3);
	assert_true(rational_get_d(q) == 1.0 / 3.0);
	mpq_set_si(q, -2, 3);
	assert_true(rational_get_d(q) == -2.0 / 3.0);
	mpq_clear(one);
	mpq_clear(q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fatal),
		cmocka_unit_test(test_arena_alloc_wraps),
		cmocka_unit_test(test_arena_chunks),
		cmocka_unit_test(test_arena_defer),
		cmocka_unit_test(test_source_read_errors),
		cmocka_unit_test(test_diag_print),
		cmocka_unit_test(test_diag_cap),
		cmocka_unit_test(test_rational_parse),
		cmocka_unit_test(test_rational_parse_sign),
		cmocka_unit_test(test_rational_get_d),
	};
	return cmocka_run_group_tests(tests, NULL, cover_teardown);
}
