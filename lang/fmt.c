/*
 * fmt.c - the formatter.  Each item is rendered to lines; each line knows
 * the source bytes it came from, so comments are put back where they
 * were: a comment before a line's bytes is printed on its own line above
 * it, a comment inside them or on the same source line after them stays
 * at the end of that line.  Expressions are printed with the fewest
 * parentheses their precedence needs (or < and < not).
 */
#include "fmt.h"

#include <stdlib.h>
#include <string.h>

/* A growable string. */
struct buf {
	char *s;
	size_t len, cap;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xreallocarray(b->s, b->cap, 1);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
puts_b(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void
pad(struct buf *b, size_t width)
{
	while (b->len < width)
		put(b, " ", 1);
}

struct fmt {
	FILE *out;
	const struct ast_file *f;
	uint32_t next;		/* next comment to place */
	uint32_t last_end;	/* end of the last line's source bytes */
	bool at_start;		/* nothing printed yet */
};

static uint32_t
line_of(const struct fmt *fm, uint32_t off)
{
	uint32_t line, col;

	source_linecol(fm->f->src, off, &line, &col);
	return line;
}

/* A comment's 'n' bytes with its line ends as LF (CRLF or a lone CR). */
static void
put_comment(FILE *out, const char *t, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (t[k] != '\r')
			fputc(t[k], out);
		else if (k + 1 >= n || t[k + 1] != '\n')
			fputc('\n', out);
}

/* Prints comment i at 'indent', verbatim (block comments keep lines). */
static void
comment(struct fmt *fm, uint32_t i, int indent, bool trailing)
{
	const struct ast_comment *c = &fm->f->comments[i];
	const char *text = fm->f->src->text + c->loc.off;
	size_t n = c->loc.len;

	if (trailing)
		fputs("  ", fm->out);
	else
		fprintf(fm->out, "%*s", indent, "");
	/* Drop trailing spaces and carriage returns of a line comment. */
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' ||
	    text[n - 1] == '\r'))
		n--;
	put_comment(fm->out, text, n);
	fputc('\n', fm->out);
	fm->at_start = false;
}

/* Own-line comments that stand before source offset 'off'. */
static void
comments_before(struct fmt *fm, uint32_t off, int indent)
{
	while (fm->next < fm->f->ncomments &&
	    fm->f->comments[fm->next].loc.off < off)
		comment(fm, fm->next++, indent, false);
}

/*
 * One output line with the source bytes [lo, hi): comments before lo
 * first, then the text, then the comments inside [lo, hi) or after it on
 * the same source line, as trailing comments.
 */
static void
line(struct fmt *fm, int indent, const char *text, uint32_t lo, uint32_t hi)
{
	comments_before(fm, lo, indent);
	fprintf(fm->out, "%*s%s", indent, "", text);
	fm->at_start = false;
	uint32_t end_line = line_of(fm, hi > lo ? hi - 1 : lo);
	bool first = true, after_block = false;
	while (fm->next < fm->f->ncomments) {
		const struct ast_comment *c = &fm->f->comments[fm->next];
		if (c->loc.off >= hi && line_of(fm, c->loc.off) != end_line)
			break;
		/* Every trailing comment stays on the line, in order: on a
		 * line of its own it would be an own-line comment that the
		 * next pass moves below the blank line (fmt would not be
		 * idempotent).  After a line comment the rest becomes part
		 * of it, text unchanged; only a block comment of several
		 * lines must then start a line of its own. */
		const char *t = fm->f->src->text + c->loc.off;
		bool multiline = memchr(t, '\n', c->loc.len) != NULL;
		if (!first && (after_block || !multiline)) {
			fputc(' ', fm->out);
		} else if (!first) {
			fputc('\n', fm->out);
			fprintf(fm->out, "%*s", indent, "");
		}
		after_block = c->loc.len >= 2 && t[1] == '*';
		size_t n = c->loc.len;
		while (n && (t[n - 1] == ' ' || t[n - 1] == '\r'))
			n--;
		fputs(first ? "  " : "", fm->out);
		put_comment(fm->out, t, n);
		first = false;
		fm->next++;
	}
	fputc('\n', fm->out);
	fm->last_end = hi;
}

/* ------------------------------------------------------------------ */
/* Pieces                                                             */
/* ------------------------------------------------------------------ */

static void
name(struct buf *b, const struct ast_name *n)
{
	puts_b(b, n->text);
}

/* a | b | c: an intended rule's actions, an observed outcome. */
static void
alternatives(struct buf *l, const struct ast_name *names, uint32_t n)
{
	for (uint32_t k = 0; k < n; k++) {
		if (k)
			puts_b(l, " | ");
		name(l, &names[k]);
	}
}

static void
num(struct buf *b, const struct ast_num *n)
{
	if (n->negative)
		puts_b(b, "-");
	puts_b(b, n->text);
}

static void
names(struct buf *b, const struct ast_name *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			puts_b(b, ", ");
		name(b, &v[i]);
	}
}

static void
string(struct buf *b, const char *s)
{
	puts_b(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(b, "\\", 1);
		put(b, s, 1);
	}
	puts_b(b, "\"");
}

enum { PREC_OR, PREC_AND, PREC_NOT };

/* Renders 'e' in a context of precedence 'ctx'. */
static void
expr(struct buf *b, const struct ast_expr *e, int ctx)
{
	switch (e->kind) {
	case EXPR_TRUE:
		puts_b(b, "true");
		return;
	case EXPR_FALSE:
		puts_b(b, "false");
		return;
	case EXPR_CMP:
		name(b, &e->feature);
		puts_b(b, " ");
		puts_b(b, ast_cmp_text(e->op));
		puts_b(b, " ");
		name(b, &e->values[0]);
		return;
	case EXPR_IN:
		name(b, &e->feature);
		puts_b(b, " in { ");
		names(b, e->values, e->nvalues);
		puts_b(b, " }");
		return;
	case EXPR_NOT:
		puts_b(b, "not ");
		expr(b, e->kids[0], PREC_NOT);
		return;
	case EXPR_AND:
	case EXPR_OR: {
		int prec = e->kind == EXPR_AND ? PREC_AND : PREC_OR;
		bool paren = ctx > prec;
		if (paren)
			puts_b(b, "(");
		for (uint32_t i = 0; i < e->nkids; i++) {
			if (i)
				puts_b(b, prec == PREC_AND ? " and " : " or ");
			/* Same-kind kids were parenthesised in the source. */
			expr(b, e->kids[i], e->kids[i]->kind == e->kind ?
			    prec + 1 : prec);
		}
		if (paren)
			puts_b(b, ")");
		return;
	}
	}
}

static void
range(struct buf *b, const char *kw, const struct ast_range *r)
{
	if (!r->present)
		return;
	puts_b(b, kw);
	if (r->interval) {
		puts_b(b, "[");
		num(b, &r->lo);
		puts_b(b, ", ");
		num(b, &r->hi);
		puts_b(b, "]");
	} else {
		num(b, &r->lo);
	}
}

static void
traits(struct buf *b, const struct ast_item *it)
{
	if (!it->ntraits)
		return;
	puts_b(b, " trait ");
	names(b, it->traits, it->ntraits);
}

/* The bytes [lo, hi) a node covers. */
static uint32_t
end_of(struct srcloc l)
{
	return l.off + l.len;
}

static uint32_t
max_u(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

/* ------------------------------------------------------------------ */
/* Items                                                              */
/* ------------------------------------------------------------------ */

/* guard -> outcome lines of a character or intended, arrows aligned. */
static void
rules(struct fmt *fm, const struct ast_item *it, bool intended)
{
	struct buf *g = xcalloc(it->nrules + 1, sizeof *g);
	size_t width = 0;

	for (uint32_t i = 0; i < it->nrules; i++) {
		const struct ast_rule *r = it->rules[i];
		if (r->guard)
			expr(&g[i], r->guard, PREC_OR);
		else
			puts_b(&g[i], "otherwise");
		if (g[i].len > width && g[i].len <= 40)
			width = g[i].len;
	}
	for (uint32_t i = 0; i < it->nrules; i++) {
		const struct ast_rule *r = it->rules[i];
		struct buf l = { 0 };
		puts_b(&l, g[i].s);
		pad(&l, width);
		puts_b(&l, " -> ");
		if (intended) {
			alternatives(&l, r->accept, r->naccept);
		} else if (r->is_dist) {
			puts_b(&l, "{ ");
			for (uint32_t k = 0; k < r->ndist; k++) {
				if (k)
					puts_b(&l, ", ");
				name(&l, &r->dist[k].action);
				puts_b(&l, ": ");
				num(&l, &r->dist[k].num);
			}
			puts_b(&l, " }");
		} else {
			name(&l, &r->action);
		}
		line(fm, 2, l.s, r->loc.off, max_u(end_of(r->loc),
		    end_of(r->outcome_loc)));
		free(l.s);
		free(g[i].s);
	}
	free(g);
}

/* "observe EXPR" / "weight EXPR": the part before the colon. */
static void
stmt_head(struct buf *l, const struct ast_stmt *st)
{
	puts_b(l, st->kind == ST_SITUATIONS ? "situations " :
	    st->kind == ST_WEIGHT ? "weight " : "observe ");
	expr(l, st->expr, PREC_OR);
}

/* Colons aligned among the block's statements of the same kind. */
static size_t
stmt_width(const struct ast_item *it, enum ast_stmt_kind kind)
{
	size_t w = 0;

	for (uint32_t i = 0; i < it->nstmts; i++) {
		struct buf b = { 0 };
		if (it->stmts[i]->kind != kind)
			continue;
		stmt_head(&b, it->stmts[i]);
		if (b.len > w && b.len <= 48)
			w = b.len;
		free(b.s);
	}
	return w;
}

static void
stmt(struct fmt *fm, const struct ast_stmt *st, size_t width)
{
	struct buf l = { 0 };
	uint32_t hi = end_of(st->loc);

	stmt_head(&l, st);
	hi = max_u(hi, end_of(st->expr->loc));
	if (st->kind != ST_SITUATIONS)
		pad(&l, width);
	if (st->kind == ST_WEIGHT) {
		puts_b(&l, " : ");
		num(&l, &st->num);
		hi = max_u(hi, end_of(st->num.loc));
	} else if (st->kind == ST_OBSERVE) {
		puts_b(&l, " : ");
		switch (st->ev) {
		case EV_ALWAYS:
			alternatives(&l, st->out.names, st->out.n);
			break;
		case EV_COUNTS:
			for (uint32_t k = 0; k < st->ncounts; k++) {
				if (k)
					puts_b(&l, ", ");
				alternatives(&l, st->counts[k].out.names,
				    st->counts[k].out.n);
				puts_b(&l, " ");
				num(&l, &st->counts[k].num);
			}
			break;
		case EV_AT_LEAST:
		case EV_AT_MOST:
			alternatives(&l, st->out.names, st->out.n);
			puts_b(&l, " ");
			puts_b(&l, ast_evidence_word[st->ev]);
			puts_b(&l, " ");
			num(&l, &st->num);
			break;
		}
		hi = max_u(hi, end_of(st->ev_loc));
	}
	line(fm, 2, l.s, st->loc.off, hi);
	free(l.s);
}

static void
terms(struct buf *b, struct ast_term **t, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			puts_b(b, " + ");
		if (t[i]->is_prior) {
			if (t[i]->has_coef) {
				num(b, &t[i]->coef);
				puts_b(b, " * ");
			}
			puts_b(b, "prior(");
			name(b, &t[i]->name);
			puts_b(b, ")");
		} else {
			num(b, &t[i]->coef);
		}
	}
}


static void
buf_put(void *ctx, const char *s)
{
	puts_b(ctx, s);
}

static void
claim(struct buf *b, const struct ast_claim *c, size_t setwidth)
{
	struct ast_sink k = { buf_put, b };

	ast_claim_write(&k, c, true, setwidth);
}

/* Items that share lines without blank lines between them. */
static bool
compact(enum ast_item_kind k)
{
	return k == ITEM_MODEL || k == ITEM_FEATURE || k == ITEM_VISIBLE ||
	    k == ITEM_ACTION || k == ITEM_DATA || k == ITEM_CONSTRAINT ||
	    k == ITEM_CHECK || k == ITEM_TOLERANCE || k == ITEM_FAMILY;
}

/* Width to align a run of consecutive items of the same kind. */
static size_t
run_width(const struct ast_file *f, uint32_t i)
{
	enum ast_item_kind k = f->items[i]->kind;
	size_t w = 0;

	for (uint32_t j = i; j < f->nitems && f->items[j]->kind == k; j++) {
		const struct ast_item *it = f->items[j];
		size_t n = 0;
		if (k == ITEM_FEATURE)
			n = strlen(it->name.text);
		else if (k == ITEM_CHECK && it->claim.kind == CLAIM_SET)
			n = strlen(ast_set_word[it->claim.set]);
		if (n > w && n <= 24)
			w = n;
	}
	return w;
}

static void
item(struct fmt *fm, const struct ast_item *it, size_t width)
{
	struct buf l = { 0 };
	uint32_t lo = it->loc.off, hi = end_of(it->end);

	switch (it->kind) {
	case ITEM_MODEL:
		puts_b(&l, "model ");
		string(&l, it->string);
		break;
	case ITEM_FEATURE:
		puts_b(&l, "feature ");
		name(&l, &it->name);
		pad(&l, 8 + width);
		puts_b(&l, " { ");
		names(&l, it->names, it->nnames);
		puts_b(&l, " }");
		break;
	case ITEM_VISIBLE:
	case ITEM_ACTION:
		puts_b(&l, it->kind == ITEM_VISIBLE ? "visible " : "action ");
		names(&l, it->names, it->nnames);
		break;
	case ITEM_FAMILY:
		puts_b(&l, "family ");
		name(&l, &it->name);
		puts_b(&l, " over ");
		names(&l, it->names, it->nnames);
		if (it->has_actions) {
			puts_b(&l, " actions ");
			names(&l, it->actions, it->nactions);
		}
		range(&l, " prior ", &it->prior);
		traits(&l, it);
		break;
	case ITEM_DATA:
		puts_b(&l, "data ");
		name(&l, &it->name);
		puts_b(&l, " scales ");
		name(&l, &it->trait);
		range(&l, " by ", &it->scale);
		break;
	case ITEM_CONSTRAINT:
		puts_b(&l, "constraint ");
		terms(&l, it->lhs, it->nlhs);
		puts_b(&l, " ");
		/* A constraint's equality is '=', not the guard's '=='. */
		puts_b(&l, it->op == CMP_EQ ? "=" : ast_cmp_text(it->op));
		puts_b(&l, " ");
		terms(&l, it->rhs, it->nrhs);
		break;
	case ITEM_TOLERANCE:
		puts_b(&l, "tolerance ");
		num(&l, &it->num);
		break;
	case ITEM_CHECK:
		puts_b(&l, "check ");
		if (it->has_string) {
			string(&l, it->string);
			puts_b(&l, " ");
		}
		claim(&l, &it->claim, width);
		break;
	case ITEM_CHARACTER:
	case ITEM_OPTIMIZER:
	case ITEM_INTENDED:
	case ITEM_TRAINING:
	case ITEM_DEPLOYMENT:
	case ITEM_AUDIT: {
		/* The head line holds the bytes up to the first inner line. */
		uint32_t inner = hi;
		if (it->nrules)
			inner = it->rules[0]->loc.off;
		else if (it->norules)
			inner = it->orules[0]->loc.off;
		else if (it->nstmts)
			inner = it->stmts[0]->loc.off;
		if (it->kind == ITEM_CHARACTER || it->kind == ITEM_OPTIMIZER) {
			puts_b(&l, it->kind == ITEM_CHARACTER ? "character " :
			    "optimizer ");
			name(&l, &it->name);
			range(&l, " prior ", &it->prior);
			traits(&l, it);
			puts_b(&l, " {");
		} else {
			puts_b(&l, it->kind == ITEM_INTENDED ? "intended {" :
			    it->kind == ITEM_TRAINING ? "training {" :
			    it->kind == ITEM_DEPLOYMENT ? "deployment {" :
			    "audit {");
		}
		/* Trailing comments on the head's source line stay there. */
		line(fm, 0, l.s, lo, inner < hi ? inner : lo + 1);
		free(l.s);
		if (it->kind == ITEM_CHARACTER || it->kind == ITEM_INTENDED)
			rules(fm, it, it->kind == ITEM_INTENDED);
		for (uint32_t i = 0; i < it->norules; i++) {
			const struct ast_orule *o = it->orules[i];
			struct buf r = { 0 };
			uint32_t ohi = max_u(end_of(o->loc),
			    end_of(o->num.loc));
			if (o->kind == OR_HORIZON) {
				puts_b(&r, "horizon ");
				num(&r, &o->num);
			} else {
				puts_b(&r, "value ");
				name(&r, &o->action);
				puts_b(&r, " = ");
				num(&r, &o->num);
				if (o->when) {
					puts_b(&r, " when ");
					expr(&r, o->when, PREC_OR);
					ohi = max_u(ohi, end_of(o->when->loc));
				}
			}
			line(fm, 2, r.s, o->loc.off, ohi);
			free(r.s);
		}
		size_t ww = stmt_width(it, ST_WEIGHT);
		size_t ow = stmt_width(it, ST_OBSERVE);
		for (uint32_t i = 0; i < it->nstmts; i++)
			stmt(fm, it->stmts[i], it->stmts[i]->kind ==
			    ST_WEIGHT ? ww : ow);
		line(fm, 0, "}", it->end.off, hi);
		return;
	}
	}
	line(fm, 0, l.s, lo, hi);
	free(l.s);
}

void
fmt_file(FILE *out, const struct ast_file *f)
{
	struct fmt fm = { .out = out, .f = f, .at_start = true };

	size_t width = 0;	/* of the current run, computed once */
	for (uint32_t i = 0; i < f->nitems; i++) {
		const struct ast_item *it = f->items[i];
		bool same_run = i > 0 && compact(it->kind) &&
		    f->items[i - 1]->kind == it->kind;
		/* A blank line between groups, and around blocks. */
		if (i > 0 && !same_run)
			fputc('\n', out);
		/* Once per run of one kind: per item it was quadratic (64k
		 * feature lines took 21 s). */
		if (i == 0 || it->kind != f->items[i - 1]->kind)
			width = run_width(f, i);
		item(&fm, it, width);
	}
	/* Comments after the last item. */
	if (fm.next < f->ncomments && f->nitems)
		fputc('\n', out);
	comments_before(&fm, UINT32_MAX, 0);
}
