/*
 * ast.c - constructors for the syntax tree of ast.h, used by the grammar
 * actions of parser.y, and the printable names the formatter and the
 * diagnostics share.  Every node lives in the model's arena.
 */
#include "ast.h"

#include <string.h>

const char *
ast_cmp_text(enum ast_cmp op)
{
	switch (op) {
	case CMP_EQ:
		return "==";
	case CMP_NE:
		return "!=";
	case CMP_LT:
		return "<";
	case CMP_LE:
		return "<=";
	case CMP_GT:
		return ">";
	case CMP_GE:
		return ">=";
	}
	internal_error();
}

bool
ast_claim_has_threshold(enum ast_claim_kind k)
{
	static const bool threshold[] = {
#define X(name, threshold) threshold,
		AST_CLAIMS(X)
#undef X
	};

	return threshold[k];
}

const char *const ast_set_word[] = {
	"consistent", "diverging", "undetectable"
};
const char *const ast_setop_word[] = { "=", "contains", "excludes" };
const char *const ast_evidence_word[] = {
#define X(name, word) word,
	AST_EVIDENCE(X)
#undef X
};
const char *const ast_label_word[] = { "none", "deceptive", "proxy" };

static void
put_names(const struct ast_sink *k, const struct ast_name *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			k->put(k->ctx, ", ");
		k->put(k->ctx, v[i].text);
	}
}

void
ast_claim_write(const struct ast_sink *k, const struct ast_claim *c,
    bool layout, size_t setwidth)
{
	switch (c->kind) {
	case CLAIM_NO_DIVERGENCE:
		k->put(k->ctx, "no divergence");
		break;
	case CLAIM_SET:
		k->put(k->ctx, ast_set_word[c->set]);
		for (size_t n = strlen(ast_set_word[c->set]); layout &&
		    n < setwidth; n++)
			k->put(k->ctx, " ");
		k->put(k->ctx, " ");
		k->put(k->ctx, ast_setop_word[c->setop]);
		k->put(k->ctx, layout && c->nnames ? " { " : " {");
		put_names(k, c->names, c->nnames);
		k->put(k->ctx, layout ? " }" : "}");
		break;
	case CLAIM_P_DIVERGE:
		k->put(k->ctx, "P(diverge)");
		break;
	case CLAIM_P_SET:
		k->put(k->ctx, "P(");
		put_names(k, c->names, c->nnames);
		k->put(k->ctx, ")");
		break;
	case CLAIM_E_DIVERGENCE:
		k->put(k->ctx, "E(divergence)");
		break;
	case CLAIM_LABEL:
		k->put(k->ctx, "label(");
		k->put(k->ctx, c->target.text);
		k->put(k->ctx, ") = ");
		k->put(k->ctx, ast_label_word[c->label]);
		break;
	case CLAIM_HORIZON:
		k->put(k->ctx, "horizon(");
		k->put(k->ctx, c->target.text);
		k->put(k->ctx, ")");
		break;
	}
	if (!ast_claim_has_threshold(c->kind))
		return;
	k->put(k->ctx, " ");
	k->put(k->ctx, ast_cmp_text(c->cmp));
	k->put(k->ctx, c->num.negative ? " -" : " ");
	k->put(k->ctx, c->num.text);
}

struct ast_item *
ast_new_item(struct arena *a, enum ast_item_kind kind, struct srcloc loc)
{
	struct ast_item *it = arena_alloc(a, sizeof *it);

	it->kind = kind;
	it->loc = loc;
	it->end = loc;
	return it;
}

struct ast_expr *
ast_new_expr(struct arena *a, enum ast_expr_kind kind, struct srcloc loc)
{
	struct ast_expr *e = arena_alloc(a, sizeof *e);

	e->kind = kind;
	e->loc = loc;
	return e;
}

struct ast_expr *
ast_new_cmp(struct arena *a, struct ast_name feature, enum ast_cmp op,
    struct ast_name value, struct srcloc loc)
{
	struct ast_expr *e = ast_new_expr(a, EXPR_CMP, loc);

	e->feature = feature;
	e->op = op;
	e->values = ast_new_name(a, value);
	e->nvalues = 1;
	return e;
}

struct ast_expr *
ast_new_in(struct arena *a, struct ast_name feature,
    const struct ptrvec *values, struct srcloc loc)
{
	struct ast_expr *e = ast_new_expr(a, EXPR_IN, loc);

	e->feature = feature;
	e->nvalues = ast_name_array(a, values, &e->values);
	return e;
}

struct ast_expr *
ast_new_not(struct arena *a, struct ast_expr *kid, struct srcloc loc)
{
	struct ast_expr *e = ast_new_expr(a, EXPR_NOT, loc);

	e->kids = arena_array(a, 1, sizeof *e->kids);
	e->kids[0] = kid;
	e->nkids = 1;
	e->depth = kid->depth + 1;
	return e;
}

/*
 * Chains are built by left-recursive list rules, so a chain of any length
 * costs one node and no recursion, here or in later passes.
 */
struct ast_expr *
ast_new_chain(struct arena *a, enum ast_expr_kind kind,
    const struct ptrvec *kids, struct srcloc loc)
{
	struct ast_expr *e;

	if (kids->len == 1)
		return kids->v[0];
	e = ast_new_expr(a, kind, loc);
	e->kids = (struct ast_expr **)kids->v;
	e->nkids = kids->len;
	for (uint32_t i = 0; i < e->nkids; i++)
		if (e->kids[i]->depth > e->depth)
			e->depth = e->kids[i]->depth;
	return e;
}

struct ast_rule *
ast_new_rule(struct arena *a, struct ast_expr *guard, struct srcloc loc)
{
	struct ast_rule *r = arena_alloc(a, sizeof *r);

	r->guard = guard;
	r->loc = loc;
	return r;
}

struct ast_orule *
ast_new_orule(struct arena *a, enum ast_orule_kind kind, struct srcloc loc)
{
	struct ast_orule *r = arena_alloc(a, sizeof *r);

	r->kind = kind;
	r->loc = loc;
	return r;
}

struct ast_stmt *
ast_new_stmt(struct arena *a, enum ast_stmt_kind kind, struct srcloc loc,
    struct ast_expr *expr)
{
	struct ast_stmt *s = arena_alloc(a, sizeof *s);

	s->kind = kind;
	s->loc = loc;
	s->expr = expr;
	return s;
}

struct ast_term *
ast_new_term(struct arena *a, struct srcloc loc)
{
	struct ast_term *t = arena_alloc(a, sizeof *t);

	t->loc = loc;
	return t;
}

struct ast_claim *
ast_new_claim(struct arena *a, enum ast_claim_kind kind, struct srcloc loc)
{
	struct ast_claim *c = arena_alloc(a, sizeof *c);

	c->kind = kind;
	c->loc = loc;
	return c;
}

struct ast_name *
ast_new_name(struct arena *a, struct ast_name name)
{
	struct ast_name *n = arena_alloc(a, sizeof *n);

	*n = name;
	return n;
}

struct ast_pair *
ast_new_pair(struct arena *a, struct ast_name action, struct ast_num num)
{
	struct ast_pair *p = arena_alloc(a, sizeof *p);

	p->action = action;
	p->num = num;
	return p;
}

/*
 * The structs a parser list points to, copied into one array of 'size'
 * bytes each ('*out' NULL for an empty list).  The typed wrappers below
 * keep the callers' pointer types.
 */
static uint32_t
flat_array(struct arena *a, const struct ptrvec *v, size_t size, void **out)
{
	char *arr = NULL;

	if (v->len > 0) {
		arr = arena_array(a, v->len, size);
		for (uint32_t i = 0; i < v->len; i++)
			memcpy(arr + (size_t)i * size, v->v[i], size);
	}
	*out = arr;
	return v->len;
}

uint32_t
ast_name_array(struct arena *a, const struct ptrvec *v, struct ast_name **out)
{
	void *arr;
	uint32_t n = flat_array(a, v, sizeof **out, &arr);

	*out = arr;
	return n;
}

uint32_t
ast_pair_array(struct arena *a, const struct ptrvec *v, struct ast_pair **out)
{
	void *arr;
	uint32_t n = flat_array(a, v, sizeof **out, &arr);

	*out = arr;
	return n;
}

struct ast_outcome
ast_outcome_of(struct arena *a, const struct ptrvec *v, struct srcloc loc)
{
	struct ast_outcome o = { .loc = loc };

	o.n = ast_name_array(a, v, &o.names);
	return o;
}

struct ast_count *
ast_new_count(struct arena *a, struct ast_outcome out, struct ast_num num)
{
	struct ast_count *c = arena_alloc(a, sizeof *c);

	c->out = out;
	c->num = num;
	return c;
}

uint32_t
ast_count_array(struct arena *a, const struct ptrvec *v,
    struct ast_count **out)
{
	void *arr;
	uint32_t n = flat_array(a, v, sizeof **out, &arr);

	*out = arr;
	return n;
}
