/*
 * lsp_feat.c - the language server's answers about an open document:
 * hover (a verdict, a feature's values, a check's value), definition,
 * references and rename over lsp_doc.c's name index, the outline, the
 * canonical layout of lang/fmt.c and the PASS/FAIL code lenses.  Words
 * come from report_words.c, as in the CI formats.
 */
#include "lsp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "report.h"

static const char *const kind_word[] = { "character", "family",
	"optimizer" };
static const char *const label_word[] = { "none", "deceptive", "proxy" };

/* The model of the checked text when there is one, else the front end's. */
static const struct model *
doc_model(const struct lsp_doc *d)
{
	const struct result *r = lsp_doc_result(d);

	return r ? r->m : d->front.m;
}

/* ---------------------------------------------------------------------
 * Hover.
 */

static const char *
range_text(struct arena *a, const struct range *rg)
{
	if (!rg->interval)
		return report_rat_text(a, rg->lo);
	return arena_printf(a, "[%s, %s]", report_rat_text(a, rg->lo),
	    report_rat_text(a, rg->hi));
}

static const char *
mpz_text(struct arena *a, mpz_srcptr z)
{
	char *s = arena_alloc(a, mpz_sizeinbase(z, 10) + 2);

	return mpz_get_str(s, 10, z);
}

/* The culprit text of entity 'i' without its leading "name: ". */
static const char *
why(struct arena *a, const struct result *r, uint32_t i)
{
	struct check_result fake = { .holds = false, .culprit = i };
	const char *s = report_culprit_text(a, r, &fake);
	size_t n = strlen(r->ents[i].e->name);

	if (!strncmp(s, r->ents[i].e->name, n) && !strncmp(s + n, ": ", 2))
		s += n + 2;
	return s;
}

/* The verdict of entity 'i' in words, from the full check 'r'. */
static const char *
verdict(struct arena *a, const struct result *r, uint32_t i)
{
	const struct entity_result *er = &r->ents[i];
	const char *s;

	if (!er->consistent)
		s = arena_printf(a, "inconsistent: %s", why(a, r, i));
	else
		s = arena_printf(a, "consistent, likelihood %s",
		    report_rat_text(a, er->likelihood));
	if (er->e->kind == ENT_FAMILY)
		s = arena_printf(a, "%s  \nmembers %s, consistent %s, "
		    "diverging %s", s, mpz_text(a, er->members),
		    mpz_text(a, er->consistent_members),
		    mpz_text(a, er->diverging_members));
	if (er->e->kind == ENT_OPTIMIZER)
		s = arena_printf(a, "%s  \ncritical horizon %s, label %s", s,
		    er->horizon_inf ? "none (no horizon suffices)" :
		    report_rat_text(a, er->critical_horizon),
		    label_word[er->label]);
	if (!er->has_divergence || !er->consistent)
		return s;
	if (!er->diverges)
		return arena_printf(a, "%s  \ndoes not diverge (δ = %s)", s,
		    report_rat_text(a, er->divergence));
	return arena_printf(a, "%s  \ndiverges: δ = %s  \nwitness %s", s,
	    report_rat_text(a, er->divergence), why(a, r, i));
}

static const char *
hover_entity(struct arena *a, const struct lsp_doc *d, const char *name)
{
	const struct model *m = doc_model(d);
	const struct result *r = lsp_doc_result(d);

	for (uint32_t i = 0; m && i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		if (strcmp(e->name, name) != 0)
			continue;
		const char *s = arena_printf(a, "%s `%s`, prior %s",
		    kind_word[e->kind], e->name, range_text(a, &e->prior));
		if (r)
			return arena_printf(a, "%s  \n%s", s, verdict(a, r, i));
		if (d->check && d->check->gen == d->gen)
			return arena_printf(a, "%s  \nthe check stopped: %s",
			    s, "see the diagnostics");
		return arena_printf(a, "%s  \nnot checked yet (save to check)",
		    s);
	}
	return arena_printf(a, "`%s`", name);
}

static const char *
hover_feature(struct arena *a, const struct lsp_doc *d, const char *name)
{
	const struct model *m = doc_model(d);

	for (uint32_t i = 0; m && i < m->nfeatures; i++) {
		const struct feature *f = &m->features[i];
		if (strcmp(f->name, name) != 0)
			continue;
		const char *s = "";
		for (uint32_t k = 0; k < f->nvalues; k++)
			s = arena_printf(a, "%s%s%s", s, k ? ", " : "",
			    f->values[k]);
		return arena_printf(a, "feature `%s` { %s }  \n%s", name, s,
		    f->visible ? "visible: the model perceives it" :
		    "hidden: the model does not perceive it");
	}
	/* No model (the text has errors): the values as declared. */
	const char *s = NULL;
	for (uint32_t i = 0; i < d->nnames; i++)
		if (d->names[i].kind == SYM_VALUE && d->names[i].decl &&
		    !strcmp(d->names[i].scope, name))
			s = arena_printf(a, "%s%s%s", s ? s : "", s ? ", " : "",
			    d->names[i].text);
	return s ? arena_printf(a, "feature `%s` { %s }", name, s) :
	    arena_printf(a, "feature `%s`", name);
}

static const char *
hover_name(struct arena *a, const struct lsp_doc *d, const struct lsp_name *n)
{
	const struct model *m = doc_model(d);

	switch (n->kind) {
	case SYM_ENTITY:
		return hover_entity(a, d, n->text);
	case SYM_FEATURE:
		return hover_feature(a, d, n->text);
	case SYM_VALUE:
		return arena_printf(a, "value `%s` of feature `%s`", n->text,
		    n->scope);
	case SYM_ACTION:
		return arena_printf(a, "action `%s`", n->text);
	case SYM_TRAIT:
		return arena_printf(a, "trait `%s`", n->text);
	case SYM_DATA:
		break;
	}
	for (uint32_t i = 0; m && i < m->ndata; i++)
		if (!strcmp(m->data[i].name, n->text))
			return arena_printf(a, "data `%s` scales trait `%s` by "
			    "%s", n->text, m->traits[m->data[i].trait].name,
			    range_text(a, &m->data[i].scale));
	return arena_printf(a, "data `%s`", n->text);
}

/* The check written on 0-based 'line', in the checked model, or NULL. */
static const struct check_result *
check_on_line(const struct result *r, uint32_t line)
{
	for (uint32_t i = 0; r && i < r->m->nchecks; i++)
		if (r->m->checks[i].line == line + 1)
			return &r->checks[i];
	return NULL;
}

static const char *
hover_check(struct arena *a, const struct result *r,
    const struct check_result *cr)
{
	const char *culprit = report_culprit_text(a, r, cr);

	return arena_printf(a, "**%s** `%s`: %s%s%s", cr->holds ? "PASS" :
	    "FAIL", report_claim_text(a, cr->c), report_value_text(a, r, cr),
	    culprit ? "  \n" : "", culprit ? culprit : "");
}

struct json_object *
lsp_hover(const struct lsp_doc *d, struct lsp_pos p)
{
	const struct lsp_name *n = lsp_doc_name_at(d, lsp_doc_off(d, p));
	const struct check_result *cr = check_on_line(lsp_doc_result(d),
	    p.line);
	struct json_object *h, *c;
	struct arena a = { 0 };

	if (!n && !cr)
		return NULL;
	h = json_object_new_object();
	c = json_object_new_object();
	json_object_object_add(c, "kind", json_object_new_string("markdown"));
	json_object_object_add(c, "value", json_object_new_string(n ?
	    hover_name(&a, d, n) : hover_check(&a, lsp_doc_result(d), cr)));
	json_object_object_add(h, "contents", c);
	struct srcloc at = n ? (struct srcloc){ 0, n->off, n->len } :
	    lsp_doc_item_span(d, cr->c->loc);
	json_object_object_add(h, "range", lsp_range(d, at.off, at.len));
	arena_free(&a);
	return h;
}

/* ---------------------------------------------------------------------
 * Definition, references, rename.
 */

struct json_object *
lsp_definition(const struct lsp_doc *d, struct lsp_pos p)
{
	const struct lsp_name *n = lsp_doc_name_at(d, lsp_doc_off(d, p));
	const struct lsp_name *decl = n ? lsp_doc_decl(d, n) : NULL;

	return decl ? lsp_location(d, decl->off, decl->len) : NULL;
}

struct json_object *
lsp_references(const struct lsp_doc *d, struct lsp_pos p, bool with_decl)
{
	const struct lsp_name *n = lsp_doc_name_at(d, lsp_doc_off(d, p));
	struct json_object *arr;

	if (!n)
		return NULL;
	arr = json_object_new_array();
	for (uint32_t i = 0; i < d->nnames; i++) {
		const struct lsp_name *o = &d->names[i];
		if (lsp_same_sym(o, n) && (with_decl || !o->decl))
			json_object_array_add(arr,
			    lsp_location(d, o->off, o->len));
	}
	return arr;
}

static bool
is_ident(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
	    (*s >= 'A' && *s <= 'Z')))
		return false;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
		    (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

struct json_object *
lsp_rename(const struct lsp_doc *d, struct lsp_pos p, const char *name,
    struct lsp_reply *err)
{
	const struct lsp_name *n = lsp_doc_name_at(d, lsp_doc_off(d, p));
	struct json_object *edits, *changes, *ws;

	if (!n || !is_ident(name)) {
		*err = (struct lsp_reply){ -32803, n ? "not an identifier" :
		    "no declared name here" };
		return NULL;
	}
	edits = json_object_new_array();
	for (uint32_t i = 0; i < d->nnames; i++) {
		const struct lsp_name *o = &d->names[i];
		if (!lsp_same_sym(o, n))
			continue;
		struct json_object *e = json_object_new_object();
		json_object_object_add(e, "range", lsp_range(d, o->off,
		    o->len));
		json_object_object_add(e, "newText",
		    json_object_new_string(name));
		json_object_array_add(edits, e);
	}
	changes = json_object_new_object();
	json_object_object_add(changes, d->uri, edits);
	ws = json_object_new_object();
	json_object_object_add(ws, "changes", changes);
	return ws;
}

/* ---------------------------------------------------------------------
 * The outline: DocumentSymbol[] from the AST, values under features.
 */

enum { SK_NAMESPACE = 3, SK_CLASS = 5, SK_ENUM = 10, SK_INTERFACE = 11,
	SK_FUNCTION = 12, SK_VARIABLE = 13, SK_BOOLEAN = 17, SK_OBJECT = 19,
	SK_ENUM_MEMBER = 22 };

static struct json_object *
symbol(const struct lsp_doc *d, const char *name, int kind,
    struct srcloc whole, struct srcloc sel, const char *detail)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(name));
	if (detail)
		json_object_object_add(o, "detail",
		    json_object_new_string(detail));
	json_object_object_add(o, "kind", json_object_new_int(kind));
	json_object_object_add(o, "range", lsp_range(d, whole.off,
	    whole.len));
	json_object_object_add(o, "selectionRange", lsp_range(d, sel.off,
	    sel.len));
	return o;
}

/* The item's bytes, from its keyword to its last token. */
static struct srcloc
item_span(const struct ast_item *it)
{
	struct srcloc l = it->loc;

	if (it->end.off + it->end.len > l.off)
		l.len = it->end.off + it->end.len - l.off;
	return l;
}

static struct json_object *
item_symbol(const struct lsp_doc *d, const struct ast_item *it,
    struct arena *a)
{
	static const int ent_kind[] = { SK_CLASS, SK_INTERFACE, SK_OBJECT };
	struct srcloc span = item_span(it);
	struct json_object *o, *kids;

	switch (it->kind) {
	case ITEM_FEATURE:
		if (!it->name.text)
			return NULL;
		o = symbol(d, it->name.text, SK_ENUM, span, it->name.loc,
		    "feature");
		kids = json_object_new_array();
		for (uint32_t i = 0; i < it->nnames; i++)
			json_object_array_add(kids, symbol(d,
			    it->names[i].text, SK_ENUM_MEMBER,
			    it->names[i].loc, it->names[i].loc, NULL));
		json_object_object_add(o, "children", kids);
		return o;
	case ITEM_CHARACTER: case ITEM_FAMILY: case ITEM_OPTIMIZER:
		if (!it->name.text)
			return NULL;
		return symbol(d, it->name.text,
		    ent_kind[it->kind - ITEM_CHARACTER], span, it->name.loc,
		    kind_word[it->kind - ITEM_CHARACTER]);
	case ITEM_DATA:
		return it->name.text ? symbol(d, it->name.text, SK_VARIABLE,
		    span, it->name.loc, "data") : NULL;
	case ITEM_INTENDED: case ITEM_TRAINING: case ITEM_DEPLOYMENT:
	case ITEM_AUDIT: {
		static const char *const word[] = { "intended", "training",
			"deployment" };
		const char *w = it->kind == ITEM_AUDIT ? "audit" :
		    word[it->kind - ITEM_INTENDED];
		return symbol(d, w, SK_NAMESPACE, span, it->loc, NULL);
	}
	case ITEM_CHECK: {
		/* The check as written, on one line. */
		char *s = arena_strndup(a, d->text + span.off, span.len);
		for (char *p = s; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		return symbol(d, s, SK_BOOLEAN, span, it->loc, "check");
	}
	default:
		return NULL;
	}
}

struct json_object *
lsp_symbols(const struct lsp_doc *d)
{
	struct json_object *arr = json_object_new_array(), *o;
	struct arena a = { 0 };

	for (uint32_t i = 0; d->syn.ast && i < d->syn.ast->nitems; i++) {
		const struct ast_item *it = d->syn.ast->items[i];
		if (it->kind == ITEM_ACTION) {
			for (uint32_t k = 0; k < it->nnames; k++)
				json_object_array_add(arr, symbol(d,
				    it->names[k].text, SK_FUNCTION,
				    it->names[k].loc, it->names[k].loc,
				    "action"));
		} else if ((o = item_symbol(d, it, &a))) {
			json_object_array_add(arr, o);
		}
	}
	arena_free(&a);
	return arr;
}

/* ---------------------------------------------------------------------
 * Formatting and code lenses.
 */

struct json_object *
lsp_formatting(const struct lsp_doc *d, struct lsp_reply *err)
{
	char *text = NULL;
	size_t len = 0;
	struct json_object *arr, *e;

	if (d->syn.diag.nerrors || !d->syn.ast) {
		*err = (struct lsp_reply){ -32803,
		    "cannot format: the model has syntax errors" };
		return NULL;
	}
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		fatal("out of memory");
	fmt_file(mem, d->syn.ast);
	if (fclose(mem) != 0)
		fatal("out of memory");
	arr = json_object_new_array();
	if (len != d->len || memcmp(text, d->text, len) != 0) {
		e = json_object_new_object();
		json_object_object_add(e, "range", lsp_range(d, 0,
		    (uint32_t)d->len));
		json_object_object_add(e, "newText",
		    json_object_new_string_len(text, (int)len));
		json_object_array_add(arr, e);
	}
	free(text);
	return arr;
}

struct json_object *
lsp_code_lens(const struct lsp_doc *d)
{
	const struct result *r = lsp_doc_result(d);
	struct json_object *arr = json_object_new_array();
	struct arena a = { 0 };

	for (uint32_t i = 0; r && i < r->m->nchecks; i++) {
		const struct check_result *cr = &r->checks[i];
		struct json_object *l = json_object_new_object();
		struct json_object *cmd = json_object_new_object();
		struct srcloc at = lsp_doc_item_span(d, cr->c->loc);
		json_object_object_add(l, "range", lsp_range(d, at.off,
		    at.len));
		json_object_object_add(cmd, "title", json_object_new_string(
		    cr->holds ? "PASS" : arena_printf(&a, "FAIL: %s",
		    report_value_text(&a, r, cr))));
		json_object_object_add(cmd, "command",
		    json_object_new_string(""));
		json_object_object_add(l, "command", cmd);
		json_object_array_add(arr, l);
	}
	arena_free(&a);
	return arr;
}
