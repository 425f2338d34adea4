/*
 * fixture.h - for the engine unit tests: a model from text through the
 * real pipeline (parse, sema, space, check), asserted on as a Result.
 * Included by one test file each (static functions, no object of its own).
 */
#ifndef CHARCHECK_TEST_FIXTURE_H
#define CHARCHECK_TEST_FIXTURE_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "result.h"

struct fixture {
	struct arena a;
	struct diag d;
	struct model *m;
	struct space sp;
	struct result r;
	bool ok;		/* every stage got through */
};

/*
 * Runs 'text' through the pipeline with check options 'co' and space
 * options 'so' (NULL: the defaults); test_free it with release().
 */
static __attribute__((unused)) struct fixture *
check_text_so(const char *text, const struct check_opts *co,
    const struct space_opts *so)
{
	struct fixture *f = test_calloc(1, sizeof *f);
	struct space_opts dso = { .max_situations = (uint64_t)1 << 24 };
	struct check_opts def = { 0 };

	mpq_init(def.tolerance);
	struct source *src = source_from_memory(&f->a, "t.char", text,
	    strlen(text));
	diag_init(&f->d, &f->a, src);
	struct ast_file *ast = parse_source(&f->a, src, &f->d);
	if (f->d.nerrors == 0)
		f->m = sema_run(&f->a, ast, &f->d);
	if (f->m && space_build(&f->sp, f->m, so ? so : &dso, &f->d))
		f->ok = check_model(&f->r, f->m, &f->sp, co ? co : &def,
		    &f->d);
	mpq_clear(def.tolerance);
	return f;
}

static __attribute__((unused)) struct fixture *
check_text_with(const char *text, const struct check_opts *co)
{
	return check_text_so(text, co, NULL);
}

static __attribute__((unused)) struct fixture *
check_text(const char *text)
{
	return check_text_with(text, NULL);
}

static void __attribute__((unused))
release(struct fixture *f)
{
	result_free(&f->r);
	space_free(&f->sp);
	model_free(f->m);
	diag_fini(&f->d);
	arena_free(&f->a);
	test_free(f);
}

/* Appends to a NUL-terminated buffer of 'cap' bytes. */
static void __attribute__((format(printf, 3, 4), unused))
app(char *buf, size_t cap, const char *fmt, ...)
{
	size_t len = strlen(buf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf + len, cap - len, fmt, ap);
	va_end(ap);
}

#endif
