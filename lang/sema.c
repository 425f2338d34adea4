/*
 * sema.c - from the AST to the model IR: one pass over the items in file
 * order (names must be declared before use), resolving names in their
 * namespaces, reading numbers as exact rationals, and enforcing the
 * structural rules of SPEC 3 and 6.1.  Rules that need the situation space
 * (coverage, empty sets) are checked later by checker/space.c.
 */
#include "model.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * A namespace: interned name -> index, hashed on the pointer (interning
 * makes equal names one pointer), so models with thousands of entities
 * resolve in linear time.
 */
struct ns {
	const char **key;	/* heap, cap entries, NULL = empty */
	uint32_t *val;
	size_t cap, len;
};

struct sema {
	struct arena *a;
	struct diag *d;
	struct model *m;
	struct ast_file *file;
	struct ptrvec features, actions, entities, traits, data, cons, checks;
	/* first item of each at-most-once kind, for "first here" notes */
	struct ast_item *once[ITEM_CHECK + 1];
	struct ast_item *visible_item;
	uint32_t nfeatures_at_visible;
	/* Upper bounds from a prescan, so per-action and per-entity arrays
	 * made early stay valid when more names are declared later. */
	uint32_t max_actions, max_entities;
	struct ns feature_ns, action_ns, entity_ns, trait_ns;
	mpq_ptr zero;		/* a shared 0, never written */
	/* dup_in_list's set of the current list's names (interned
	 * pointers), open addressing; a slot counts only when its
	 * generation is the current list's.  In the arena. */
	struct seen_slot { const char *name; uint32_t gen; } *seen;
	uint32_t seen_cap, nseen, seen_gen;
};

/* ------------------------------------------------------------------ */
/* Numbers                                                            */
/* ------------------------------------------------------------------ */

mpq_ptr
model_rational(struct model *m)
{
	mpq_ptr q = arena_alloc(m->arena, sizeof(mpq_t));

	mpq_init(q);
	ptrvec_push(m->arena, &m->rationals, q);
	return q;
}

void
model_free(struct model *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->rationals.len; i++)
		mpq_clear(m->rationals.v[i]);
	m->rationals.len = 0;
}

/* Reads 'num' into a new rational; negative only where 'allow_neg'. */
static mpq_ptr
number(struct sema *s, const struct ast_num *num)
{
	mpq_ptr q = model_rational(s->m);

	errno = 0;
	bool ok = num->text && rational_parse(q, num->text);
	if (!ok && errno == ERANGE) {
		diag_error(s->d, num->loc, "number '%.20s...' is out of range: "
		    "with its digits after the point its scale passes "
		    "10^100000", num->text);
		return q;
	}
	if (!ok) {
		diag_error(s->d, num->loc, "malformed number '%s'",
		    num->text ? num->text : "");
		return q;
	}
	if (num->negative)
		mpq_neg(q, q);
	return q;
}

/* ------------------------------------------------------------------ */
/* Names                                                              */
/* ------------------------------------------------------------------ */

/* Edit distance, capped: enough to suggest a misspelt name. */
static size_t
distance(const char *x, const char *y)
{
	size_t lx = strlen(x), ly = strlen(y);
	size_t row[65];

	if (lx > 64 || ly > 64)
		return SIZE_MAX;
	for (size_t j = 0; j <= ly; j++)
		row[j] = j;
	for (size_t i = 1; i <= lx; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= ly; j++) {
			size_t up = row[j];
			size_t best = diag + (x[i - 1] != y[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[ly];
}

static size_t
ns_hash(const char *name, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9e3779b97f4a7c15ull;

	return (size_t)(h >> 17) & (cap - 1);
}

static uint32_t
ns_get(const struct ns *ns, const char *name)
{
	if (!ns->cap)
		return NONE;
	for (size_t i = ns_hash(name, ns->cap); ns->key[i];
	    i = (i + 1) & (ns->cap - 1))
		if (ns->key[i] == name)
			return ns->val[i];
	return NONE;
}

static void
ns_put(struct ns *ns, const char *name, uint32_t val)
{
	if (2 * (ns->len + 1) > ns->cap) {
		struct ns big = { .cap = ns->cap ? ns->cap * 2 : 64 };
		big.key = xcalloc(big.cap, sizeof *big.key);
		big.val = xcalloc(big.cap, sizeof *big.val);
		for (size_t i = 0; i < ns->cap; i++)
			if (ns->key[i])
				ns_put(&big, ns->key[i], ns->val[i]);
		free(ns->key);
		free(ns->val);
		*ns = big;
	}
	size_t i = ns_hash(name, ns->cap);
	while (ns->key[i])
		i = (i + 1) & (ns->cap - 1);
	ns->key[i] = name;
	ns->val[i] = val;
	ns->len++;
}

static void
ns_free(struct ns *ns)
{
	free(ns->key);
	free(ns->val);
}

static uint32_t
find_feature(struct sema *s, const char *name)
{
	return ns_get(&s->feature_ns, name);
}

static uint32_t
find_action(struct sema *s, const char *name)
{
	return ns_get(&s->action_ns, name);
}

static uint32_t
find_entity(struct sema *s, const char *name)
{
	return ns_get(&s->entity_ns, name);
}

static uint32_t
find_trait(struct sema *s, const char *name)
{
	return ns_get(&s->trait_ns, name);
}

/*
 * The ptrvecs hold features, actions, entities, traits and data items,
 * whose first fields are (name, loc) as in struct named (model.h).
 */
struct named {
	const char *name;
	struct srcloc loc;
};

void
suggest_init(struct suggest *sg, const char *want)
{
	sg->want = want;
	sg->best = SIZE_MAX;
	sg->pick = NULL;
}

void
suggest_offer(struct suggest *sg, const char *name)
{
	size_t dist = distance(sg->want, name);

	if (dist < sg->best) {
		sg->best = dist;
		sg->pick = name;
	}
}

const char *
suggest_pick(const struct suggest *sg)
{
	size_t limit = strlen(sg->want) / 3 + 1;

	return sg->pick && sg->best <= limit && sg->best > 0 ? sg->pick :
	    NULL;
}

static void
suggest_vec(struct sema *s, const char *want, const struct ptrvec *vec)
{
	struct suggest sg;
	const struct named *pick = NULL;

	suggest_init(&sg, want);
	for (uint32_t i = 0; i < vec->len; i++) {
		const struct named *n = vec->v[i];
		suggest_offer(&sg, n->name);
		if (sg.pick == n->name)
			pick = n;
	}
	if (suggest_pick(&sg))
		diag_note(s->d, pick->loc, "did you mean '%s'?", pick->name);
}

static uint32_t
resolve_feature(struct sema *s, const struct ast_name *n)
{
	uint32_t f = find_feature(s, n->text);

	if (f == NONE) {
		diag_error(s->d, n->loc, "unknown feature '%s'", n->text);
		suggest_vec(s, n->text, &s->features);
	}
	return f;
}

static uint32_t
resolve_action(struct sema *s, const struct ast_name *n)
{
	uint32_t a = find_action(s, n->text);

	if (a == NONE) {
		diag_error(s->d, n->loc, "unknown action '%s'", n->text);
		suggest_vec(s, n->text, &s->actions);
	}
	return a;
}

static uint32_t
resolve_entity(struct sema *s, const struct ast_name *n)
{
	uint32_t e = find_entity(s, n->text);

	if (e == NONE) {
		diag_error(s->d, n->loc, "unknown character, family or "
		    "optimizer '%s'", n->text);
		suggest_vec(s, n->text, &s->entities);
	}
	return e;
}

static uint32_t
resolve_value(struct sema *s, const struct feature *f,
    const struct ast_name *n)
{
	for (uint32_t v = 0; v < f->nvalues; v++)
		if (f->values[v] == n->text)
			return v;
	diag_error(s->d, n->loc, "feature '%s' has no value '%s'", f->name,
	    n->text);
	/* Suggest among the values (they share the feature's location). */
	struct suggest sg;
	suggest_init(&sg, n->text);
	for (uint32_t v = 0; v < f->nvalues; v++)
		suggest_offer(&sg, f->values[v]);
	if (suggest_pick(&sg))
		diag_note(s->d, f->loc, "did you mean '%s'?",
		    suggest_pick(&sg));
	return NONE;
}

/* Reports a redeclaration of 'name' first declared at 'first'. */
static void
redeclared(struct sema *s, const struct ast_name *n, const char *what,
    struct srcloc first)
{
	diag_error(s->d, n->loc, "%s '%s' is already declared", what,
	    n->text);
	diag_note(s->d, first, "'%s' first declared here", n->text);
}

/* Adds interned 'name' to the seen set; false if it was there. */
static bool
seen_add(struct sema *s, const char *name)
{
	if (2 * (s->nseen + 1) > s->seen_cap) {
		struct seen_slot *old = s->seen;
		uint32_t ocap = s->seen_cap;
		s->seen_cap = ocap ? 2 * ocap : 64;
		s->seen = arena_array(s->a, s->seen_cap, sizeof *s->seen);
		s->nseen = 0;
		for (uint32_t k = 0; k < ocap; k++)
			if (old[k].gen == s->seen_gen && old[k].name)
				seen_add(s, old[k].name);
	}
	uint32_t mask = s->seen_cap - 1;
	uint32_t h = (uint32_t)(((uintptr_t)name >> 4) * 2654435761u) & mask;
	for (;; h = (h + 1) & mask) {
		struct seen_slot *sl = &s->seen[h];
		if (sl->gen != s->seen_gen || !sl->name) {
			*sl = (struct seen_slot){ name, s->seen_gen };
			s->nseen++;
			return true;
		}
		if (sl->name == name)
			return false;
	}
}

/*
 * Reports the second occurrence of a name within one list; called for
 * i = 0, 1, ... of each list in turn.  A set of the names so far, not a
 * scan of them: 300,000 values of one feature took 13 s.
 */
static bool
dup_in_list(struct sema *s, const struct ast_name *names, uint32_t i,
    const char *what)
{
	if (i == 0) {		/* a new list: every slot goes stale */
		s->seen_gen++;
		s->nseen = 0;
	}
	if (seen_add(s, names[i].text))
		return false;
	diag_error(s->d, names[i].loc, "'%s' appears twice in %s",
	    names[i].text, what);
	return true;
}

/* ------------------------------------------------------------------ */
/* Expressions                                                        */
/* ------------------------------------------------------------------ */

/* Fills 'allowed' for feature OP value; false if the value is unknown. */
static bool
cmp_allowed(struct sema *s, const struct feature *f, enum ast_cmp op,
    const struct ast_name *val, bool *allowed)
{
	uint32_t v = resolve_value(s, f, val);

	if (v == NONE)
		return false;
	for (uint32_t i = 0; i < f->nvalues; i++) {
		bool in;
		switch (op) {
		case CMP_EQ: in = i == v; break;
		case CMP_NE: in = i != v; break;
		case CMP_LT: in = i < v; break;
		case CMP_LE: in = i <= v; break;
		case CMP_GT: in = i > v; break;
		case CMP_GE: in = i >= v; break;
		default: internal_error();
		}
		allowed[i] = in;
	}
	return true;
}

/*
 * expr -> resolved expr.  Returns NULL after reporting an error.  The
 * recursion follows the AST's nesting, which the parser bounds (400).
 */
static struct expr *
resolve_expr(struct sema *s, const struct ast_expr *e)
{
	struct expr *x = arena_alloc(s->a, sizeof *x);

	x->loc = e->loc;
	switch (e->kind) {
	case EXPR_TRUE:
		x->kind = X_TRUE;
		return x;
	case EXPR_FALSE:
		x->kind = X_FALSE;
		return x;
	case EXPR_CMP:
	case EXPR_IN: {
		uint32_t fi = resolve_feature(s, &e->feature);
		if (fi == NONE)
			return NULL;
		const struct feature *f = s->features.v[fi];
		x->kind = X_ATOM;
		x->feature = fi;
		x->loc = e->feature.loc;
		x->allowed = arena_array(s->a, f->nvalues, sizeof(bool));
		if (e->kind == EXPR_CMP)
			return cmp_allowed(s, f, e->op, &e->values[0],
			    x->allowed) ? x : NULL;
		bool ok = true;
		for (uint32_t i = 0; i < e->nvalues; i++) {
			uint32_t v = resolve_value(s, f, &e->values[i]);
			if (v == NONE)
				ok = false;
			else
				x->allowed[v] = true;
		}
		return ok ? x : NULL;
	}
	case EXPR_NOT:
	case EXPR_AND:
	case EXPR_OR: {
		bool ok = true;
		x->kind = e->kind == EXPR_NOT ? X_NOT :
		    e->kind == EXPR_AND ? X_AND : X_OR;
		x->nkids = e->nkids;
		x->kids = arena_array(s->a, e->nkids, sizeof *x->kids);
		for (uint32_t i = 0; i < e->nkids; i++)
			if (!(x->kids[i] = resolve_expr(s, e->kids[i])))
				ok = false;
		return ok ? x : NULL;
	}
	}
	internal_error();
}

/* Reports the first use of a hidden feature in 'x' by entity 'who'. */
static bool
uses_hidden(struct sema *s, const struct expr *x, const char *kind,
    const char *who)
{
	if (!x)
		return false;
	if (x->kind == X_ATOM) {
		const struct feature *f = &s->m->features[x->feature];
		if (!f->visible) {
			diag_error(s->d, x->loc, "%s '%s' tests hidden "
			    "feature '%s'", kind, who, f->name);
			return true;
		}
		return false;
	}
	for (uint32_t i = 0; i < x->nkids; i++)
		if (uses_hidden(s, x->kids[i], kind, who))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Items                                                              */
/* ------------------------------------------------------------------ */

static const char *const item_word[] = {
	"model", "feature", "visible", "action", "character", "family",
	"optimizer", "intended", "training", "deployment", "data",
	"constraint", "audit", "tolerance", "check"
};

/* For the items that may appear at most once: false on a repeat. */
static bool
once(struct sema *s, struct ast_item *it)
{
	if (s->once[it->kind]) {
		diag_error(s->d, it->loc, "'%s' may appear only once",
		    item_word[it->kind]);
		diag_note(s->d, s->once[it->kind]->loc, "first '%s' here",
		    item_word[it->kind]);
		return false;
	}
	s->once[it->kind] = it;
	return true;
}

static void
range_of(struct sema *s, const struct ast_range *r, struct range *out)
{
	out->loc = r->loc;
	out->interval = r->interval;
	out->lo = number(s, &r->lo);
	out->hi = r->interval ? number(s, &r->hi) : out->lo;
	if (r->interval && mpq_cmp(out->lo, out->hi) > 0)
		diag_error(s->d, r->loc, "empty interval: %s is above %s",
		    r->lo.text, r->hi.text);
}

/* feature NAME { value, ... } */
static void
sema_feature(struct sema *s, struct ast_item *it)
{
	uint32_t prev = find_feature(s, it->name.text);

	if (prev != NONE) {
		redeclared(s, &it->name, "feature",
		    ((struct feature *)s->features.v[prev])->loc);
		return;
	}
	struct feature *f = arena_alloc(s->a, sizeof *f);
	f->name = it->name.text;
	f->loc = it->name.loc;
	f->values = arena_array(s->a, it->nnames, sizeof *f->values);
	for (uint32_t i = 0; i < it->nnames; i++) {
		if (dup_in_list(s, it->names, i, "the feature's values"))
			continue;
		f->values[f->nvalues++] = it->names[i].text;
	}
	f->visible = true;
	ns_put(&s->feature_ns, f->name, s->features.len);
	ptrvec_push(s->a, &s->features, f);
}

/* visible NAME, ... : features declared before it */
static void
sema_visible(struct sema *s, struct ast_item *it)
{
	if (!once(s, it))
		return;
	s->visible_item = it;
	s->m->has_visible = true;
	for (uint32_t i = 0; i < s->features.len; i++)
		((struct feature *)s->features.v[i])->visible = false;
	for (uint32_t i = 0; i < it->nnames; i++) {
		if (dup_in_list(s, it->names, i, "'visible'"))
			continue;
		uint32_t f = resolve_feature(s, &it->names[i]);
		if (f != NONE)
			((struct feature *)s->features.v[f])->visible = true;
	}
	s->nfeatures_at_visible = s->features.len;
}

/* action NAME, ... */
static void
sema_action(struct sema *s, struct ast_item *it)
{
	for (uint32_t i = 0; i < it->nnames; i++) {
		uint32_t prev = find_action(s, it->names[i].text);
		if (prev != NONE) {
			redeclared(s, &it->names[i], "action",
			    ((struct action *)s->actions.v[prev])->loc);
			continue;
		}
		struct action *a = arena_alloc(s->a, sizeof *a);
		a->name = it->names[i].text;
		a->loc = it->names[i].loc;
		ns_put(&s->action_ns, a->name, s->actions.len);
		ptrvec_push(s->a, &s->actions, a);
	}
}

/* The common head of character, family and optimizer: name, prior, traits. */
static struct entity *
entity_head(struct sema *s, struct ast_item *it, enum entity_kind kind)
{
	uint32_t prev = find_entity(s, it->name.text);

	if (prev != NONE) {
		redeclared(s, &it->name, "entity",
		    ((struct entity *)s->entities.v[prev])->loc);
		return NULL;
	}
	struct entity *e = arena_alloc(s->a, sizeof *e);
	uint32_t col;
	e->kind = kind;
	e->name = it->name.text;
	e->loc = it->name.loc;
	source_linecol(s->file->src, it->loc.off, &e->line, &col);
	if (it->prior.present) {
		e->has_prior = true;
		range_of(s, &it->prior, &e->prior);
	} else {
		e->prior.lo = e->prior.hi = model_rational(s->m);
		mpq_set_ui(e->prior.lo, 1, 1);
		e->prior.loc = it->name.loc;
	}
	e->traits = arena_array(s->a, it->ntraits, sizeof *e->traits);
	for (uint32_t i = 0; i < it->ntraits; i++) {
		if (dup_in_list(s, it->traits, i, "the trait list"))
			continue;
		uint32_t t = find_trait(s, it->traits[i].text);
		if (t == NONE) {
			struct trait *tr = arena_alloc(s->a, sizeof *tr);
			tr->name = it->traits[i].text;
			tr->loc = it->traits[i].loc;
			t = s->traits.len;
			ns_put(&s->trait_ns, tr->name, t);
			ptrvec_push(s->a, &s->traits, tr);
		}
		e->traits[e->ntraits++] = t;
	}
	ns_put(&s->entity_ns, e->name, s->entities.len);
	ptrvec_push(s->a, &s->entities, e);
	return e;
}

/* outcome -> NAME | { NAME : NUMBER, ... } */
static void
sema_outcome(struct sema *s, const struct ast_rule *r, struct rule *out)
{
	out->action = NONE;
	if (!r->is_dist) {
		out->action = resolve_action(s, &r->action);
		return;
	}
	bool ok = true;
	mpq_t sum, dev;

	out->dist = arena_array(s->a, s->max_actions + 1, sizeof *out->dist);
	mpq_init(sum);
	mpq_init(dev);
	for (uint32_t i = 0; i < r->ndist; i++) {
		const struct ast_pair *p = &r->dist[i];
		uint32_t a = resolve_action(s, &p->action);
		mpq_ptr q = number(s, &p->num);
		if (a == NONE) {
			ok = false;
			continue;
		}
		if (out->dist[a]) {
			diag_error(s->d, p->action.loc, "'%s' appears twice "
			    "in the distribution", p->action.text);
			ok = false;
			continue;
		}
		out->dist[a] = q;
		mpq_add(sum, sum, q);
	}
	/* It must sum to 1 within 1e-9 (SPEC 4.3); it is used as written. */
	mpq_set_ui(dev, 1, 1);
	mpq_sub(dev, sum, dev);
	mpq_abs(dev, dev);
	if (ok && mpq_cmp_ui(dev, 1, 1000000000) > 0) {
		char *txt = mpq_get_str(NULL, 10, sum);
		diag_error(s->d, r->outcome_loc, "the probabilities sum to "
		    "%s, not 1", txt);
		free(txt);
	}
	mpq_clear(dev);
	mpq_clear(sum);
}

/* character NAME [prior] [traits] { rule ... } */
static void
sema_character(struct sema *s, struct ast_item *it)
{
	struct entity *e = entity_head(s, it, ENT_CHARACTER);

	if (!e)
		return;
	e->rules = arena_array(s->a, it->nrules, sizeof *e->rules);
	e->nrules = it->nrules;
	for (uint32_t i = 0; i < it->nrules; i++) {
		const struct ast_rule *r = it->rules[i];
		struct rule *out = &e->rules[i];
		out->loc = r->loc;
		out->guard = r->guard ? resolve_expr(s, r->guard) : NULL;
		sema_outcome(s, r, out);
		if (r->is_dist)
			e->stochastic = true;
	}
}

/* family NAME over f, ... [actions a, ...] [prior] [traits] */
static void
sema_family(struct sema *s, struct ast_item *it)
{
	struct entity *e = entity_head(s, it, ENT_FAMILY);

	if (!e)
		return;
	if (s->actions.len == 0)
		diag_error(s->d, it->loc, "family '%s' needs actions, but the "
		    "file declares none so far", e->name);
	bool *over = arena_array(s->a, s->features.len + 1, sizeof(bool));
	for (uint32_t i = 0; i < it->nnames; i++) {
		if (dup_in_list(s, it->names, i, "the family's 'over' list"))
			continue;
		uint32_t f = resolve_feature(s, &it->names[i]);
		if (f != NONE)
			over[f] = true;
	}
	/* Features in declaration order, whatever the 'over' order. */
	e->over = arena_array(s->a, s->features.len + 1, sizeof *e->over);
	for (uint32_t f = 0; f < s->features.len; f++)
		if (over[f])
			e->over[e->nover++] = f;
	e->fam_actions = arena_array(s->a, s->max_actions + 1, sizeof(bool));
	if (!it->has_actions) {
		for (uint32_t a = 0; a < s->actions.len; a++)
			e->fam_actions[a] = true;
		return;
	}
	for (uint32_t i = 0; i < it->nactions; i++) {
		if (dup_in_list(s, it->actions, i, "the family's actions"))
			continue;
		uint32_t a = resolve_action(s, &it->actions[i]);
		if (a != NONE)
			e->fam_actions[a] = true;
	}
}

/* optimizer NAME [prior] [traits] { horizon H | value a = [-]U [when E] } */
static void
sema_optimizer(struct sema *s, struct ast_item *it)
{
	struct entity *e = entity_head(s, it, ENT_OPTIMIZER);
	const struct ast_orule *horizon = NULL;

	if (!e)
		return;
	if (s->actions.len == 0)
		diag_error(s->d, it->loc, "optimizer '%s' needs actions, but "
		    "the file declares none so far", e->name);
	e->horizon = model_rational(s->m);
	e->utils = arena_array(s->a, it->norules, sizeof *e->utils);
	for (uint32_t i = 0; i < it->norules; i++) {
		const struct ast_orule *o = it->orules[i];
		if (o->kind == OR_HORIZON) {
			if (horizon) {
				diag_error(s->d, o->loc, "optimizer '%s' has "
				    "more than one 'horizon' line", e->name);
				diag_note(s->d, horizon->loc, "first "
				    "'horizon' here");
				continue;
			}
			horizon = o;
			mpq_set(e->horizon, number(s, &o->num));
			continue;
		}
		struct utility *u = &e->utils[e->nutils];
		u->loc = o->loc;
		u->action = resolve_action(s, &o->action);
		u->u = number(s, &o->num);
		u->when = o->when ? resolve_expr(s, o->when) : NULL;
		if (u->action != NONE)
			e->nutils++;
	}
}

/* intended { guard -> a | b ... } */
static void
sema_intended(struct sema *s, struct ast_item *it)
{
	if (!once(s, it))
		return;
	struct model *m = s->m;
	m->has_intended = true;
	m->intended_loc = it->loc;
	m->intended = arena_array(s->a, it->nrules, sizeof *m->intended);
	m->nintended = it->nrules;
	for (uint32_t i = 0; i < it->nrules; i++) {
		const struct ast_rule *r = it->rules[i];
		struct intended_rule *out = &m->intended[i];
		out->loc = r->loc;
		out->guard = r->guard ? resolve_expr(s, r->guard) : NULL;
		out->accept = arena_array(s->a, s->max_actions + 1,
		    sizeof(bool));
		for (uint32_t j = 0; j < r->naccept; j++) {
			uint32_t a = resolve_action(s, &r->accept[j]);
			if (a != NONE)
				out->accept[a] = true;
		}
	}
}

/*
 * outcome -> NAME { "|" NAME }: the actions in declaration order.  An
 * action twice in the outcome, or already in 'taken' (another outcome of
 * the same count list), is an error.  False when the outcome is unusable.
 */
static bool
resolve_outcome(struct sema *s, const struct ast_outcome *ao, bool *taken,
    struct outcome *out)
{
	uint32_t na = s->actions.len;
	bool ok = true;

	out->in = arena_array(s->a, na ? na : 1, sizeof *out->in);
	memset(out->in, 0, (na ? na : 1) * sizeof *out->in);
	out->n = 0;
	for (uint32_t i = 0; i < ao->n; i++) {
		const struct ast_name *nm = &ao->names[i];
		uint32_t a = resolve_action(s, nm);
		if (a == NONE) {
			ok = false;
		} else if (out->in[a]) {
			diag_error(s->d, nm->loc, "'%s' appears twice in the "
			    "outcome", nm->text);
			ok = false;
		} else if (taken && taken[a]) {
			diag_error(s->d, nm->loc, "'%s' appears twice in the "
			    "count list", nm->text);
			ok = false;
		} else {
			out->in[a] = true;
			out->n++;
		}
	}
	out->acts = arena_array(s->a, out->n ? out->n : 1, sizeof *out->acts);
	for (uint32_t a = 0, k = 0; a < na; a++)
		if (out->in[a]) {
			out->acts[k++] = a;
			if (taken)
				taken[a] = true;
		}
	return ok && out->n > 0;
}

/* observe E : evidence */
static void
sema_observe(struct sema *s, const struct ast_stmt *st,
    struct observation *o)
{
	uint32_t col;

	o->loc = st->loc;
	source_linecol(s->file->src, st->loc.off, &o->line, &col);
	o->expr = resolve_expr(s, st->expr);
	o->kind = (enum evidence_kind)st->ev;	/* AST_EVIDENCE */
	switch (st->ev) {
	case EV_ALWAYS:
		resolve_outcome(s, &st->out, NULL, &o->out);
		break;
	case EV_AT_LEAST:
	case EV_AT_MOST:
		resolve_outcome(s, &st->out, NULL, &o->out);
		o->p = number(s, &st->num);
		if (mpq_cmp_ui(o->p, 1, 1) > 0)
			diag_error(s->d, st->num.loc, "a frequency bound is "
			    "a probability, but %s is above 1", st->num.text);
		break;
	case EV_COUNTS:
		o->count_out = arena_array(s->a, st->ncounts,
		    sizeof *o->count_out);
		o->count = arena_array(s->a, st->ncounts, sizeof *o->count);
		bool *taken = arena_array(s->a, s->actions.len + 1,
		    sizeof *taken);
		memset(taken, 0, (s->actions.len + 1) * sizeof *taken);
		for (uint32_t i = 0; i < st->ncounts; i++) {
			const struct ast_count *p = &st->counts[i];
			struct outcome *out = &o->count_out[o->ncounts];
			if (!resolve_outcome(s, &p->out, taken, out))
				continue;
			mpq_ptr n = number(s, &p->num);
			if (mpq_cmp_ui(n, 1000000, 1) > 0) {
				diag_limit(s->d, p->num.loc, "count %s is "
				    "above the limit of 1000000 draws",
				    p->num.text);
				continue;
			}
			o->count[o->ncounts++] = mpz_get_ui(mpq_numref(n));
		}
		break;
	}
}

/* training { ... } | deployment { ... } */
static void
sema_block(struct sema *s, struct ast_item *it, struct block *b)
{
	const struct ast_stmt *first = NULL;
	uint32_t nw = 0, no = 0;

	if (!once(s, it))
		return;
	b->present = true;
	b->loc = it->loc;
	for (uint32_t i = 0; i < it->nstmts; i++) {
		nw += it->stmts[i]->kind == ST_WEIGHT;
		no += it->stmts[i]->kind == ST_OBSERVE;
	}
	b->weights = arena_array(s->a, nw, sizeof *b->weights);
	b->obs = arena_array(s->a, no, sizeof *b->obs);
	for (uint32_t i = 0; i < it->nstmts; i++) {
		const struct ast_stmt *st = it->stmts[i];
		switch (st->kind) {
		case ST_SITUATIONS:
			if (first) {
				diag_error(s->d, st->loc, "'%s' holds exactly "
				    "one 'situations' line",
				    item_word[it->kind]);
				diag_note(s->d, first->loc, "first "
				    "'situations' here");
				break;
			}
			first = st;
			b->situations = resolve_expr(s, st->expr);
			b->situations_loc = st->loc;
			break;
		case ST_WEIGHT: {
			struct weight_line *w = &b->weights[b->nweights++];
			w->loc = st->loc;
			w->expr = resolve_expr(s, st->expr);
			w->w = number(s, &st->num);
			break;
		}
		case ST_OBSERVE:
			sema_observe(s, st, &b->obs[b->nobs++]);
			break;
		}
	}
	if (!first)
		diag_error(s->d, it->loc, "'%s' needs a 'situations' line",
		    item_word[it->kind]);
}

/* data NAME scales TRAIT by X | [lo, hi] */
static void
sema_data(struct sema *s, struct ast_item *it)
{
	for (uint32_t i = 0; i < s->data.len; i++) {
		struct data_item *prev = s->data.v[i];
		if (prev->name == it->name.text) {
			redeclared(s, &it->name, "data item", prev->loc);
			return;
		}
	}
	uint32_t t = find_trait(s, it->trait.text);
	if (t == NONE) {
		diag_error(s->d, it->trait.loc, "unknown trait '%s' (no "
		    "character, family or optimizer declared before carries "
		    "it)", it->trait.text);
		suggest_vec(s, it->trait.text, &s->traits);
		return;
	}
	struct data_item *di = arena_alloc(s->a, sizeof *di);
	di->name = it->name.text;
	di->loc = it->name.loc;
	di->trait = t;
	range_of(s, &it->scale, &di->scale);
	ptrvec_push(s->a, &s->data, di);
}

/* Adds sign * (the terms) into coef[] and constant. */
static bool
sema_linear(struct sema *s, struct ast_term **terms, uint32_t n, int sign,
    mpq_ptr *coef, mpq_ptr constant)
{
	bool ok = true;
	mpq_t c;

	mpq_init(c);
	for (uint32_t i = 0; i < n; i++) {
		const struct ast_term *t = terms[i];
		if (t->has_coef || !t->is_prior)
			mpq_set(c, number(s, &t->coef));
		else
			mpq_set_ui(c, 1, 1);
		if (sign < 0)
			mpq_neg(c, c);
		if (!t->is_prior) {
			mpq_add(constant, constant, c);
			continue;
		}
		uint32_t e = resolve_entity(s, &t->name);
		if (e == NONE) {
			ok = false;
			continue;
		}
		if (!coef[e])
			coef[e] = model_rational(s->m);
		mpq_add(coef[e], coef[e], c);
	}
	mpq_clear(c);
	return ok;
}

/* constraint linear (<= | >= | =) linear */
static void
sema_constraint(struct sema *s, struct ast_item *it)
{
	if (it->op == CMP_LT || it->op == CMP_GT || it->op == CMP_NE) {
		diag_error(s->d, it->op_loc, "a constraint cannot use the "
		    "strict comparison '%s' (use '%s')", ast_cmp_text(it->op),
		    it->op == CMP_LT ? "<=" : it->op == CMP_GT ? ">=" : "=");
		return;
	}
	struct constraint *c = arena_alloc(s->a, sizeof *c);
	uint32_t col;
	c->loc = it->loc;
	source_linecol(s->file->src, it->loc.off, &c->line, &col);
	c->op = it->op;
	c->coef = arena_array(s->a, s->max_entities + 1, sizeof *c->coef);
	c->constant = model_rational(s->m);
	if (!sema_linear(s, it->lhs, it->nlhs, +1, c->coef, c->constant) ||
	    !sema_linear(s, it->rhs, it->nrhs, -1, c->coef, c->constant))
		return;
	ptrvec_push(s->a, &s->cons, c);
}

/* Appends 'text' to a growing claim string. */
static void
cat(char **buf, size_t *len, size_t *cap, const char *text)
{
	size_t n = strlen(text);

	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xreallocarray(*buf, *cap, 1);
	}
	memcpy(*buf + *len, text, n + 1);
	*len += n;
}


/* A growing string, as an ast_sink. */
struct text {
	char *buf;
	size_t len, cap;
};

static void
text_put(void *ctx, const char *s)
{
	struct text *t = ctx;

	cat(&t->buf, &t->len, &t->cap, s);
}

/* The claim re-rendered canonically, numbers as written. */
static const char *
render_claim(struct sema *s, const struct ast_claim *c)
{
	struct text t = { 0 };
	struct ast_sink k = { text_put, &t };

	cat(&t.buf, &t.len, &t.cap, "");
	ast_claim_write(&k, c, false, 0);
	char *out = arena_strndup(s->a, t.buf, t.len);
	free(t.buf);
	return out;
}

/* check [STRING] claim */
static void
sema_check(struct sema *s, struct ast_item *it)
{
	const struct ast_claim *c = &it->claim;
	struct check *ck = arena_alloc(s->a, sizeof *ck);
	uint32_t col;
	bool ok = true;

	ck->loc = it->loc;
	source_linecol(s->file->src, it->loc.off, &ck->line, &col);
	ck->label = it->has_string ? it->string : NULL;
	ck->claim = render_claim(s, c);
	ck->cmp = c->cmp;
	ck->target = NONE;
	ck->kind = (enum check_kind)c->kind;	/* one list: AST_CLAIMS */
	ck->set = c->set;
	ck->setop = c->setop;
	ck->want = c->label;
	if (c->kind == CLAIM_SET || c->kind == CLAIM_P_SET) {
		ck->members = arena_array(s->a, s->max_entities + 1,
		    sizeof(bool));
		for (uint32_t i = 0; i < c->nnames; i++) {
			uint32_t e = resolve_entity(s, &c->names[i]);
			if (e == NONE)
				ok = false;
			else
				ck->members[e] = true;
		}
	}
	if (c->kind == CLAIM_LABEL || c->kind == CLAIM_HORIZON) {
		ck->target = resolve_entity(s, &c->target);
		if (ck->target == NONE) {
			ok = false;
		} else {
			const struct entity *e = s->entities.v[ck->target];
			if (e->kind != ENT_OPTIMIZER) {
				diag_error(s->d, c->target.loc, "%s(...) needs "
				    "an optimizer, but '%s' is a %s",
				    c->kind == CLAIM_LABEL ? "label" :
				    "horizon", e->name,
				    e->kind == ENT_FAMILY ? "family" :
				    "character");
				ok = false;
			}
		}
	}
	if (ast_claim_has_threshold(c->kind))
		ck->threshold = number(s, &c->num);
	if (ok)
		ptrvec_push(s->a, &s->checks, ck);
}

/* ------------------------------------------------------------------ */
/* The whole file                                                     */
/* ------------------------------------------------------------------ */

/* Copies a ptrvec of struct pointers into a contiguous array. */
static void *
flatten(struct arena *a, const struct ptrvec *v, size_t size)
{
	char *out = arena_array(a, v->len ? v->len : 1, size);

	for (uint32_t i = 0; i < v->len; i++)
		memcpy(out + i * size, v->v[i], size);
	return out;
}

/* Rules that need every item: hidden features, required blocks. */
static void
finish(struct sema *s)
{
	struct model *m = s->m;
	struct srcloc eof = { 0, s->file->src->len, 0 };

	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		if (e->kind == ENT_CHARACTER) {
			for (uint32_t r = 0; r < e->nrules; r++)
				if (uses_hidden(s, e->rules[r].guard,
				    "character", e->name))
					break;
		} else if (e->kind == ENT_FAMILY) {
			for (uint32_t j = 0; j < e->nover; j++) {
				const struct feature *f =
				    &m->features[e->over[j]];
				if (!f->visible) {
					diag_error(s->d, e->loc, "family '%s' "
					    "is over hidden feature '%s'",
					    e->name, f->name);
					break;
				}
			}
		}
	}
	if (!m->training.present)
		diag_error(s->d, eof, "the model has no 'training' block");
	if (!m->deployment.present)
		diag_error(s->d, eof, "the model has no 'deployment' block");
	if (!m->has_intended) {
		for (uint32_t i = 0; i < m->nchecks; i++) {
			const struct check *c = &m->checks[i];
			if (c->kind == CK_SET && c->set == SET_CONSISTENT)
				continue;
			diag_error(s->d, c->loc, "this check needs an "
			    "'intended' block (only 'consistent' checks work "
			    "without one)");
			break;
		}
	}
}

/* Families are judged against 'always' observations only (v1). */
static void
families_need_always(struct sema *s)
{
	const struct model *m = s->m;
	const struct entity *fam = NULL;

	for (uint32_t i = 0; i < m->nentities && !fam; i++)
		if (m->entities[i].kind == ENT_FAMILY)
			fam = &m->entities[i];
	if (!fam)
		return;
	for (uint32_t k = 0; k < m->training.nobs; k++) {
		const struct observation *o = &m->training.obs[k];
		if (o->kind == EVID_ALWAYS)
			continue;
		diag_error(s->d, o->loc, "a model with a family can only "
		    "observe 'always' evidence (count and frequency "
		    "observations are not supported with families in v1)");
		diag_note(s->d, fam->loc, "family '%s' declared here",
		    fam->name);
		return;
	}
}

/*
 * Only 'always' observations give an optimizer a training target (SPEC
 * 4.7): without one its horizon changes nothing and 'deceptive' cannot
 * happen, which a model with a horizon almost surely did not mean.
 */
static void
horizons_need_targets(struct sema *s)
{
	const struct model *m = s->m;

	for (uint32_t k = 0; k < m->training.nobs; k++)
		if (m->training.obs[k].kind == EVID_ALWAYS)
			return;
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		if (e->kind != ENT_OPTIMIZER || mpq_sgn(e->horizon) == 0)
			continue;
		diag_warning(s->d, e->loc, "optimizer '%s' has a horizon, but "
		    "no 'always' observation gives it a training target: its "
		    "horizon changes nothing and it cannot be deceptive",
		    e->name);
	}
}

struct model *
sema_run(struct arena *a, struct ast_file *file, struct diag *d)
{
	struct sema s = { .a = a, .d = d, .file = file };
	struct model *m = arena_alloc(a, sizeof *m);

	s.m = m;
	m->arena = a;
	m->src = file->src;
	m->tolerance = model_rational(m);
	for (uint32_t i = 0; i < file->nitems; i++) {
		const struct ast_item *it = file->items[i];
		if (it->kind == ITEM_ACTION)
			s.max_actions += it->nnames;
		else if (it->kind == ITEM_CHARACTER ||
		    it->kind == ITEM_FAMILY || it->kind == ITEM_OPTIMIZER)
			s.max_entities++;
	}
	for (uint32_t i = 0; i < file->nitems && !diag_full(d); i++) {
		struct ast_item *it = file->items[i];
		switch (it->kind) {
		case ITEM_MODEL:
			if (once(&s, it))
				m->title = it->string;
			break;
		case ITEM_FEATURE: sema_feature(&s, it); break;
		case ITEM_VISIBLE: sema_visible(&s, it); break;
		case ITEM_ACTION: sema_action(&s, it); break;
		case ITEM_CHARACTER: sema_character(&s, it); break;
		case ITEM_FAMILY: sema_family(&s, it); break;
		case ITEM_OPTIMIZER: sema_optimizer(&s, it); break;
		case ITEM_INTENDED: sema_intended(&s, it); break;
		case ITEM_TRAINING: sema_block(&s, it, &m->training); break;
		case ITEM_DEPLOYMENT:
			sema_block(&s, it, &m->deployment);
			break;
		case ITEM_DATA: sema_data(&s, it); break;
		case ITEM_CONSTRAINT: sema_constraint(&s, it); break;
		case ITEM_AUDIT:
			if (once(&s, it)) {
				m->has_audit = true;
				m->audit = it->nstmts ?
				    resolve_expr(&s, it->stmts[0]->expr) : NULL;
			}
			break;
		case ITEM_TOLERANCE:
			if (once(&s, it)) {
				m->has_tolerance = true;
				mpq_set(m->tolerance, number(&s, &it->num));
			}
			break;
		case ITEM_CHECK: sema_check(&s, it); break;
		}
	}
	/* Features declared after 'visible' are hidden (SPEC 6.1). */
	if (m->has_visible)
		for (uint32_t f = s.nfeatures_at_visible; f < s.features.len;
		    f++)
			((struct feature *)s.features.v[f])->visible = false;
	m->features = flatten(a, &s.features, sizeof *m->features);
	m->nfeatures = s.features.len;
	m->actions = flatten(a, &s.actions, sizeof *m->actions);
	m->nactions = s.actions.len;
	m->entities = flatten(a, &s.entities, sizeof *m->entities);
	m->nentities = s.entities.len;
	m->traits = flatten(a, &s.traits, sizeof *m->traits);
	m->ntraits = s.traits.len;
	m->data = flatten(a, &s.data, sizeof *m->data);
	m->ndata = s.data.len;
	m->constraints = flatten(a, &s.cons, sizeof *m->constraints);
	m->nconstraints = s.cons.len;
	m->checks = flatten(a, &s.checks, sizeof *m->checks);
	m->nchecks = s.checks.len;
	/* Entities a constraint does not name get coefficient 0 (one
	 * shared rational: coefficients are only read). */
	s.zero = model_rational(m);
	for (uint32_t i = 0; i < m->nconstraints; i++)
		for (uint32_t e = 0; e < m->nentities; e++)
			if (!m->constraints[i].coef[e])
				m->constraints[i].coef[e] = s.zero;
	ns_free(&s.feature_ns);
	ns_free(&s.action_ns);
	ns_free(&s.entity_ns);
	ns_free(&s.trait_ns);
	finish(&s);
	if (d->nerrors == 0) {
		families_need_always(&s);
		horizons_need_targets(&s);
	}
	if (d->nerrors) {
		model_free(m);
		return NULL;
	}
	return m;
}
