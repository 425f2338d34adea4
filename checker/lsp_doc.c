/*
 * lsp_doc.c - the language server's open documents: the text, the front
 * end run over it (parse + sema: the diagnostics and the model), a second
 * parse whose AST stays for the name index, and conversions between byte
 * offsets and LSP positions (0-based line, UTF-16 code units).
 */
#include "lsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---------------------------------------------------------------------
 * The name index: every occurrence of a declared name, from the AST.
 */

static void
push(struct lsp_doc *d, enum lsp_sym kind, const struct ast_name *n,
    const char *scope, bool decl)
{
	if (!n->text)
		return;		/* left empty by error recovery */
	if (d->nnames == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->names = xreallocarray(d->names, d->cap, sizeof *d->names);
	}
	d->names[d->nnames++] = (struct lsp_name){
		.kind = kind, .text = n->text, .scope = scope,
		.off = n->loc.off, .len = n->loc.len, .decl = decl,
	};
}

static void
push_all(struct lsp_doc *d, enum lsp_sym kind, const struct ast_name *v,
    uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		push(d, kind, &v[i], NULL, false);
}

static void
index_expr(struct lsp_doc *d, const struct ast_expr *x)
{
	if (!x)
		return;
	if (x->kind == EXPR_CMP || x->kind == EXPR_IN) {
		push(d, SYM_FEATURE, &x->feature, NULL, false);
		for (uint32_t i = 0; i < x->nvalues; i++)
			push(d, SYM_VALUE, &x->values[i], x->feature.text,
			    false);
	}
	for (uint32_t i = 0; i < x->nkids; i++)
		index_expr(d, x->kids[i]);
}

static void
index_rules(struct lsp_doc *d, const struct ast_item *it)
{
	for (uint32_t i = 0; i < it->nrules; i++) {
		const struct ast_rule *r = it->rules[i];

		index_expr(d, r->guard);
		if (!r->is_dist && !r->accept)
			push(d, SYM_ACTION, &r->action, NULL, false);
		for (uint32_t k = 0; k < r->ndist; k++)
			push(d, SYM_ACTION, &r->dist[k].action, NULL, false);
		push_all(d, SYM_ACTION, r->accept, r->naccept);
	}
	for (uint32_t i = 0; i < it->norules; i++) {
		const struct ast_orule *r = it->orules[i];

		if (r->kind == OR_VALUE)
			push(d, SYM_ACTION, &r->action, NULL, false);
		index_expr(d, r->when);
	}
}

static void
index_stmts(struct lsp_doc *d, const struct ast_item *it)
{
	for (uint32_t i = 0; i < it->nstmts; i++) {
		const struct ast_stmt *s = it->stmts[i];

		index_expr(d, s->expr);
		push_all(d, SYM_ACTION, s->out.names, s->out.n);
		for (uint32_t k = 0; k < s->ncounts; k++)
			push_all(d, SYM_ACTION, s->counts[k].out.names,
			    s->counts[k].out.n);
	}
}

static void
index_terms(struct lsp_doc *d, struct ast_term **t, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (t[i]->is_prior)
			push(d, SYM_ENTITY, &t[i]->name, NULL, false);
}

static void
index_item(struct lsp_doc *d, const struct ast_item *it)
{
	switch (it->kind) {
	case ITEM_FEATURE:
		push(d, SYM_FEATURE, &it->name, NULL, true);
		for (uint32_t i = 0; i < it->nnames; i++)
			push(d, SYM_VALUE, &it->names[i], it->name.text, true);
		break;
	case ITEM_VISIBLE:
		push_all(d, SYM_FEATURE, it->names, it->nnames);
		break;
	case ITEM_ACTION:
		for (uint32_t i = 0; i < it->nnames; i++)
			push(d, SYM_ACTION, &it->names[i], NULL, true);
		break;
	case ITEM_CHARACTER: case ITEM_FAMILY: case ITEM_OPTIMIZER:
		push(d, SYM_ENTITY, &it->name, NULL, true);
		push_all(d, SYM_TRAIT, it->traits, it->ntraits);
		push_all(d, SYM_FEATURE, it->names, it->nnames);
		push_all(d, SYM_ACTION, it->actions, it->nactions);
		index_rules(d, it);
		break;
	case ITEM_INTENDED:
		index_rules(d, it);
		break;
	case ITEM_TRAINING: case ITEM_DEPLOYMENT: case ITEM_AUDIT:
		index_stmts(d, it);
		break;
	case ITEM_DATA:
		push(d, SYM_DATA, &it->name, NULL, true);
		push(d, SYM_TRAIT, &it->trait, NULL, false);
		break;
	case ITEM_CONSTRAINT:
		index_terms(d, it->lhs, it->nlhs);
		index_terms(d, it->rhs, it->nrhs);
		break;
	case ITEM_CHECK:
		push_all(d, SYM_ENTITY, it->claim.names, it->claim.nnames);
		if (it->claim.kind == CLAIM_LABEL ||
		    it->claim.kind == CLAIM_HORIZON)
			push(d, SYM_ENTITY, &it->claim.target, NULL, false);
		break;
	default:
		break;
	}
}

static int
by_off(const void *a, const void *b)
{
	const struct lsp_name *x = a, *y = b;

	return (x->off > y->off) - (x->off < y->off);
}

/* Traits have no declaration of their own: the first mention is one. */
static void
index_build(struct lsp_doc *d)
{
	d->nnames = 0;
	if (!d->syn.ast)
		return;
	for (uint32_t i = 0; i < d->syn.ast->nitems; i++)
		index_item(d, d->syn.ast->items[i]);
	if (d->nnames)
		qsort(d->names, d->nnames, sizeof *d->names, by_off);
	for (uint32_t i = 0; i < d->nnames; i++) {
		struct lsp_name *n = &d->names[i];

		if (n->kind == SYM_TRAIT && !lsp_doc_decl(d, n))
			n->decl = true;
	}
}

bool
lsp_same_sym(const struct lsp_name *a, const struct lsp_name *b)
{
	return a->kind == b->kind && a->text == b->text &&
	    a->scope == b->scope;
}

const struct lsp_name *
lsp_doc_name_at(const struct lsp_doc *d, uint32_t off)
{
	for (uint32_t i = 0; i < d->nnames; i++)
		if (off >= d->names[i].off &&
		    off <= d->names[i].off + d->names[i].len)
			return &d->names[i];
	return NULL;
}

const struct lsp_name *
lsp_doc_decl(const struct lsp_doc *d, const struct lsp_name *n)
{
	for (uint32_t i = 0; i < d->nnames; i++)
		if (d->names[i].decl && lsp_same_sym(&d->names[i], n))
			return &d->names[i];
	return NULL;
}

/* ---------------------------------------------------------------------
 * Positions.  LSP counts UTF-16 code units; a byte that is not UTF-8
 * counts as one (editors show it as U+FFFD).
 */

/* Bytes of the character at 's' (at most 'left'), and its UTF-16 units. */
static uint32_t
step(const char *s, uint32_t left, uint32_t *units)
{
	uint32_t cp;
	size_t n = report_utf8_next((const unsigned char *)s, &cp);

	if (n == 0 || n > left)
		n = 1, cp = 0;
	*units = cp > 0xffff ? 2 : 1;
	return (uint32_t)n;
}

struct lsp_pos
lsp_doc_pos(const struct lsp_doc *d, uint32_t off)
{
	const struct source *src = d->front.src;
	uint32_t line, col, units = 0, u;

	if (off > src->len)
		off = src->len;
	source_linecol(src, off, &line, &col);
	for (uint32_t i = src->line_off[line - 1]; i < off; ) {
		i += step(src->text + i, off - i, &u);
		units += u;
	}
	return (struct lsp_pos){ line - 1, units };
}

uint32_t
lsp_doc_off(const struct lsp_doc *d, struct lsp_pos p)
{
	const struct source *src = d->front.src;
	uint32_t units = 0, u, i;

	if (p.line >= src->nlines)
		return src->len;
	for (i = src->line_off[p.line]; i < src->len &&
	    src->text[i] != '\n' && units < p.character; ) {
		i += step(src->text + i, src->len - i, &u);
		units += u;
	}
	return i;
}

static struct json_object *
pos_json(struct lsp_pos p)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "line", json_object_new_int64(p.line));
	json_object_object_add(o, "character",
	    json_object_new_int64(p.character));
	return o;
}

struct json_object *
lsp_range(const struct lsp_doc *d, uint32_t off, uint32_t len)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "start", pos_json(lsp_doc_pos(d, off)));
	json_object_object_add(o, "end",
	    pos_json(lsp_doc_pos(d, off + len)));
	return o;
}

struct json_object *
lsp_location(const struct lsp_doc *d, uint32_t off, uint32_t len)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "uri", json_object_new_string(d->uri));
	json_object_object_add(o, "range", lsp_range(d, off, len));
	return o;
}

/* ---------------------------------------------------------------------
 * Diagnostics.
 */

const struct result *
lsp_doc_result(const struct lsp_doc *d)
{
	if (!d->check || d->check->gen != d->gen || !d->check->run.have_result)
		return NULL;
	return &d->check->run.r;
}

static struct json_object *
diag_json(const struct lsp_doc *d, const struct diag_entry *e)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "range", e->has_loc ?
	    lsp_range(d, e->loc.off, e->loc.len) : lsp_range(d, 0, 0));
	json_object_object_add(o, "severity",
	    json_object_new_int(e->level == DIAG_ERROR ? 1 : 2));
	json_object_object_add(o, "source", json_object_new_string(
	    "charcheck"));
	json_object_object_add(o, "message", json_object_new_string(e->msg));
	return o;
}

/* A note becomes relatedInformation of the diagnostic before it. */
static void
add_note(const struct lsp_doc *d, struct json_object *prev,
    const struct diag_entry *e)
{
	struct json_object *rel, *info = json_object_new_object();

	if (!json_object_object_get_ex(prev, "relatedInformation", &rel)) {
		rel = json_object_new_array();
		json_object_object_add(prev, "relatedInformation", rel);
	}
	json_object_object_add(info, "location", e->has_loc ?
	    lsp_location(d, e->loc.off, e->loc.len) : lsp_location(d, 0, 0));
	json_object_object_add(info, "message",
	    json_object_new_string(e->msg));
	json_object_array_add(rel, info);
}

static void
add_diags(const struct lsp_doc *d, const struct diag *dg,
    struct json_object *arr)
{
	struct json_object *prev = NULL;

	for (uint32_t i = 0; i < dg->len; i++) {
		const struct diag_entry *e = &dg->v[i];

		if (e->level == DIAG_NOTE) {
			if (prev)
				add_note(d, prev, e);
			continue;
		}
		prev = diag_json(d, e);
		json_object_array_add(arr, prev);
	}
}

struct srcloc
lsp_doc_item_span(const struct lsp_doc *d, struct srcloc at)
{
	for (uint32_t i = 0; d->syn.ast && i < d->syn.ast->nitems; i++) {
		const struct ast_item *it = d->syn.ast->items[i];
		if (it->loc.off == at.off && it->end.off + it->end.len >
		    at.off) {
			at.len = it->end.off + it->end.len - at.off;
			break;
		}
	}
	return at;
}

/* "P(diverge) <= 0.05: max 0.588235 (= 10/17)", then the culprit. */
static struct json_object *
check_json(const struct lsp_doc *d, const struct result *r,
    const struct check_result *cr, struct arena *a)
{
	const char *culprit = report_culprit_text(a, r, cr);
	const char *msg = arena_printf(a, "check fails: %s: %s%s%s",
	    report_claim_text(a, cr->c), report_value_text(a, r, cr),
	    culprit ? "\n" : "", culprit ? culprit : "");
	struct json_object *o = json_object_new_object();
	struct srcloc at = lsp_doc_item_span(d, cr->c->loc);

	json_object_object_add(o, "range", lsp_range(d, at.off, at.len));
	json_object_object_add(o, "severity", json_object_new_int(1));
	json_object_object_add(o, "source",
	    json_object_new_string("charcheck"));
	json_object_object_add(o, "code", json_object_new_string("check"));
	json_object_object_add(o, "message", json_object_new_string(msg));
	return o;
}

struct json_object *
lsp_doc_diagnostics(const struct lsp_doc *d)
{
	struct json_object *arr = json_object_new_array();
	const struct result *r = lsp_doc_result(d);
	struct arena a = { 0 };

	if (d->check && d->check->gen == d->gen) {
		add_diags(d, &d->check->run.diag, arr);
	} else {
		add_diags(d, &d->front.diag, arr);
	}
	for (uint32_t i = 0; r && i < r->m->nchecks; i++)
		if (!r->checks[i].holds)
			json_object_array_add(arr,
			    check_json(d, r, &r->checks[i], &a));
	arena_free(&a);
	return arr;
}

/* ---------------------------------------------------------------------
 * The store.
 */

/* "file:///a%20b.char" -> "/a b.char"; other schemes are kept whole. */
static char *
uri_path(const char *uri)
{
	const char *s = uri;
	char *out = xmalloc(strlen(uri) + 1), *p = out;

	if (!strncmp(s, "file://", 7))
		s += 7;
	for (; *s; s++) {
		unsigned hi, lo;
		if (*s == '%' && sscanf(s + 1, "%1x%1x", &hi, &lo) == 2) {
			*p++ = (char)(hi << 4 | lo);
			s += 2;
		} else {
			*p++ = *s;
		}
	}
	*p = '\0';
	return out;
}

struct lsp_doc *
lsp_doc_find(struct lsp_doc *list, const char *uri)
{
	for (; list; list = list->next)
		if (!strcmp(list->uri, uri))
			return list;
	return NULL;
}

static void
doc_release(struct lsp_doc *d)
{
	run_free(&d->front);
	run_free(&d->syn);
}

void
lsp_doc_set(struct lsp_doc *d, const char *text, size_t len)
{
	static const struct space_opts so;
	static const struct check_opts co;
	char *copy = xmalloc(len + 1);

	memcpy(copy, text, len);
	copy[len] = '\0';
	free(d->text);
	d->text = copy;
	d->len = len;
	d->gen++;
	doc_release(d);
	run_text(&d->front, d->path, text, len, RUN_MODEL, &so, &co);
	run_text(&d->syn, d->path, text, len, RUN_PARSE, &so, &co);
	index_build(d);
}

struct lsp_doc *
lsp_doc_open(struct lsp_doc **list, const char *uri, const char *text,
    size_t len)
{
	struct lsp_doc *d = lsp_doc_find(*list, uri);

	if (!d) {
		d = xcalloc(1, sizeof *d);
		d->uri = xstrdup(uri);
		d->path = uri_path(uri);
		d->next = *list;
		*list = d;
	}
	lsp_doc_set(d, text, len);
	return d;
}

void
lsp_doc_close(struct lsp_doc **list, struct lsp_doc *d)
{
	for (struct lsp_doc **p = list; *p; p = &(*p)->next) {
		if (*p == d) {
			*p = d->next;
			break;
		}
	}
	doc_release(d);
	lsp_check_run_free(d->check);
	free(d->names);
	free(d->text);
	free(d->path);
	free(d->uri);
	free(d);
}
