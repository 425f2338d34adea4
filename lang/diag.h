/*
 * diag.h - source files and diagnostics.  A source is read whole; locations
 * are byte ranges, turned into 1-based line and column only when printed
 * (binary search over the line-start table).  Diagnostics are collected as
 * data so that the text printer (gcc/clang shape, with a caret line) and the
 * JSON printer ("errors": [...]) render the same list.
 */
#ifndef CHARCHECK_DIAG_H
#define CHARCHECK_DIAG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

struct srcloc {
	uint32_t file;		/* unused for now: one source per diag */
	uint32_t off;		/* byte offset of the first byte */
	uint32_t len;		/* bytes covered (0 at end of file) */
};

struct source {
	const char *path;	/* as given on the command line */
	char *text;		/* whole file, NUL-terminated, in arena */
	uint32_t len;
	uint32_t *line_off;	/* start offset of each line, in arena */
	uint32_t nlines;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_entry {
	enum diag_level level;
	struct srcloc loc;
	bool has_loc;
	int status;		/* 2 invalid model, 3 resource limit */
	const char *msg;	/* in arena */
};

#define DIAG_MAX_ERRORS 20
/* Warnings of one kind printed by default (--warnings=all: every one). */
#define DIAG_WARN_CAP 10

struct diag {
	struct arena *arena;
	struct source *src;
	const char *path;	/* names the file when there is no source */
	bool hide_warnings;	/* diag_print: errors only (--quiet) */
	uint32_t warn_cap;	/* diag_print: warnings shown per kind,
				 * 0 = all (--warnings=all) */
	struct diag_entry *v; /* heap, caller of diag_init frees by diag_fini */
	uint32_t len, cap;
	uint32_t nerrors, nwarnings;
	int status;		/* worst: 0, 2 or 3 */
	bool truncated;		/* more than DIAG_MAX_ERRORS errors */
};

/*
 * The name under which standard input is read and reported.  Only this
 * pointer means standard input (the command line maps '-' to it), so a
 * file that happens to be called "<stdin>" is still a file.
 */
extern const char source_stdin[];

/*
 * Reads 'path' whole into 'a' and builds its line table; 'path' ==
 * source_stdin reads standard input.  Returns NULL and sets errno when
 * the file cannot be read; a NUL byte in the file is kept (the lexer
 * reports it).
 */
struct source *source_read(struct arena *a, const char *path);
/* Wraps 'len' bytes at 'text' (copied into 'a') as a source named 'path'. */
struct source *source_from_memory(struct arena *a, const char *path,
    const char *text, size_t len);
/* 1-based line and column (byte count; a tab is one column) of 'off'. */
void source_linecol(const struct source *src, uint32_t off, uint32_t *line,
    uint32_t *col);

void diag_init(struct diag *d, struct arena *a, struct source *src);
void diag_fini(struct diag *d);

/*
 * Record a diagnostic at 'loc'.  Errors past DIAG_MAX_ERRORS are counted but
 * not stored.  diag_limit records an error whose exit status is 3 (a
 * resource limit) rather than 2.  Notes attach to the previous diagnostic.
 */
void diag_error(struct diag *d, struct srcloc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_limit(struct diag *d, struct srcloc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_warning(struct diag *d, struct srcloc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_note(struct diag *d, struct srcloc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* An error with no location (file-level, e.g. a missing training block). */
void diag_error_file(struct diag *d, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Appends every diagnostic of 'from' (same source) to 'd' as it is: level,
 * location, exit status and notes, e.g. those of parallel workers.
 */
void diag_merge(struct diag *d, const struct diag *from);

/* True once DIAG_MAX_ERRORS errors are recorded: stop analysing. */
bool diag_full(const struct diag *d);

/*
 * Prints every stored diagnostic to 'out' as
 *   FILE:LINE:COL: error: MESSAGE
 *    LINE | source line
 *         |   ^~~~
 * with colour when 'color'.  d->hide_warnings drops warnings and their
 * notes.
 * With a 'warn_cap', only the first warn_cap warnings of a kind (the same
 * message up to the names in quotes) are printed, the last of them
 * followed by "... and N more like this (--warnings=all)".
 */
void diag_print(const struct diag *d, FILE *out, bool color);
/*
 * Writes 's' for a terminal: well-formed UTF-8 text as is, and each
 * control byte (C0, DEL), C1 control (U+0080..U+009F) and byte that is
 * not UTF-8 as \xNN, so titles, labels and file names cannot send escape
 * sequences.  For the text report and the diagnostics' file names.
 */
void diag_put_safe(FILE *out, const char *s);

#endif
