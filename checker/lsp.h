/*
 * lsp.h - the language server ('charcheck lsp', SPEC 5): LSP 3.17 over
 * JSON-RPC 2.0 on stdio.  lsp.c frames and dispatches the messages,
 * lsp_doc.c keeps the open documents (text, front-end run, name index,
 * positions), lsp_feat.c answers the requests about them (hover,
 * definition, references, symbols, formatting, rename, code lens) and
 * lsp_check.c runs the full check on a worker thread.
 */
#ifndef CHARCHECK_LSP_H
#define CHARCHECK_LSP_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "pipeline.h"

/* What a declared name is; values are scoped by their feature. */
enum lsp_sym { SYM_FEATURE, SYM_VALUE, SYM_ACTION, SYM_ENTITY, SYM_TRAIT,
	SYM_DATA };

/* One occurrence of a name in the text (declaration or use). */
struct lsp_name {
	enum lsp_sym kind;
	const char *text;	/* interned in the document's syn arena */
	const char *scope;	/* SYM_VALUE: its feature (interned), else
				 * NULL */
	uint32_t off, len;	/* bytes in the text */
	bool decl;		/* the declaring occurrence */
};

/* The full check of one version of a document (lsp_check.c). */
struct lsp_check_run {
	uint64_t gen;		/* the document generation it checked */
	struct run run;		/* RUN_CHECK */
};

struct lsp_doc {
	char *uri;		/* heap */
	char *path;		/* the file name for diagnostics, heap */
	char *text;		/* heap, NUL-terminated */
	size_t len;
	uint64_t gen;		/* bumped on every change of the text */
	struct run front;	/* RUN_MODEL: diagnostics and the model */
	struct run syn;		/* RUN_PARSE: the AST behind the index */
	struct lsp_name *names;	/* heap, in text order */
	uint32_t nnames, cap;
	struct lsp_check_run *check;	/* the latest full check, or NULL */
	bool check_due;		/* a full check is wanted at 'due' */
	double due;		/* run_clock() seconds */
	struct lsp_doc *next;
};

/* An LSP position: 0-based line and UTF-16 code unit. */
struct lsp_pos {
	uint32_t line, character;
};

struct lsp_server;

/*
 * Document store.  lsp_doc_open replaces a document of the same URI;
 * lsp_doc_set takes a new whole text and reruns the front end and the
 * index.  The store owns everything; lsp_doc_close frees one document.
 */
struct lsp_doc *lsp_doc_find(struct lsp_doc *list, const char *uri);
struct lsp_doc *lsp_doc_open(struct lsp_doc **list, const char *uri,
    const char *text, size_t len);
void lsp_doc_set(struct lsp_doc *d, const char *text, size_t len);
void lsp_doc_close(struct lsp_doc **list, struct lsp_doc *d);

/* Byte offset <-> LSP position in the document's text. */
struct lsp_pos lsp_doc_pos(const struct lsp_doc *d, uint32_t off);
uint32_t lsp_doc_off(const struct lsp_doc *d, struct lsp_pos p);
/* {"start", "end"} of 'len' bytes at 'off'; the caller owns it. */
struct json_object *lsp_range(const struct lsp_doc *d, uint32_t off,
    uint32_t len);
/* {"uri", "range"}; the caller owns it. */
struct json_object *lsp_location(const struct lsp_doc *d, uint32_t off,
    uint32_t len);
/* The name occurrence covering 'off' (or ending at it), or NULL. */
const struct lsp_name *lsp_doc_name_at(const struct lsp_doc *d,
    uint32_t off);
/* The declaring occurrence of the symbol of 'n', or NULL. */
const struct lsp_name *lsp_doc_decl(const struct lsp_doc *d,
    const struct lsp_name *n);
/*
 * The whole item (from its keyword to its last token) whose keyword is at
 * 'at', e.g. a check; 'at' itself when there is none.
 */
struct srcloc lsp_doc_item_span(const struct lsp_doc *d, struct srcloc at);
/* Whether 'a' and 'b' name the same symbol. */
bool lsp_same_sym(const struct lsp_name *a, const struct lsp_name *b);
/*
 * The array of LSP diagnostics for the document: the front end's, or
 * when a full check of the current text is done, its diagnostics and one
 * per failing check.  The caller owns it.
 */
struct json_object *lsp_doc_diagnostics(const struct lsp_doc *d);
/* The full check of the current text, or NULL. */
const struct result *lsp_doc_result(const struct lsp_doc *d);

/* Requests on a document: each returns the result (owned by the caller),
 * or NULL with '*code' and '*msg' set for an error response. */
struct lsp_reply {
	int code;		/* 0, or a JSON-RPC error code */
	const char *msg;	/* static */
};
struct json_object *lsp_hover(const struct lsp_doc *d, struct lsp_pos p);
struct json_object *lsp_definition(const struct lsp_doc *d,
    struct lsp_pos p);
struct json_object *lsp_references(const struct lsp_doc *d,
    struct lsp_pos p, bool with_decl);
struct json_object *lsp_symbols(const struct lsp_doc *d);
struct json_object *lsp_formatting(const struct lsp_doc *d,
    struct lsp_reply *err);
struct json_object *lsp_rename(const struct lsp_doc *d, struct lsp_pos p,
    const char *name, struct lsp_reply *err);
struct json_object *lsp_code_lens(const struct lsp_doc *d);

/*
 * The full check (lsp_check.c): one worker thread at a time, since GLPK
 * is global.  lsp_check_start runs 'd''s current text; lsp_check_cancel
 * asks a running check of 'uri' (NULL: any) to stop, its result to be
 * dropped;
 * lsp_check_collect joins a finished worker and hands its run to the
 * document it belongs to when that one is unchanged, returning it (or
 * NULL).  lsp_check_fd is readable when the worker is done.
 */
void lsp_check_init(const struct space_opts *so, const struct check_opts *co);
void lsp_check_fini(void);
bool lsp_check_busy(void);
/* Whether the running check is of 'd''s current text. */
bool lsp_check_running(const struct lsp_doc *d);
int lsp_check_fd(void);
/* Seconds since the running check started. */
double lsp_check_age(void);
void lsp_check_start(struct lsp_doc *d);
void lsp_check_cancel(const char *uri);
struct lsp_doc *lsp_check_collect(struct lsp_doc *list);
void lsp_check_run_free(struct lsp_check_run *cr);

/* 'charcheck lsp': serves stdin/stdout until 'exit'; returns 0 after a
 * shutdown request, else 1. */
int lsp_serve(const struct space_opts *so, const struct check_opts *co);

#endif
