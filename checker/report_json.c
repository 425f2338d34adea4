/*
 * report_json.c - the JSON report of SPEC 5.2 in json-c's layout: the
 * envelope built with json-c, the entities written directly, every
 * string escaped by json-c (never by hand).  Numbers are printed with
 * the fewest digits that round-trip; exact rationals ride along as
 * "_exact" strings, null past 4,096 bits (report_exact_short).
 */
#include "report.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *
report_double(char buf[32], double x)
{
	if (x == 0)
		x = 0;		/* no "-0" */
	/* A whole number below 10^15 is its digits under "%.15g", and
	 * reads back exactly: most numbers of a report (0, 1, counts) take
	 * this path, which skips two printf and a strtod. */
	if (x == trunc(x) && fabs(x) < 1e15) {
		char tmp[24], *p = tmp + sizeof tmp;
		uint64_t u = (uint64_t)fabs(x);
		*--p = '\0';
		do
			*--p = (char)('0' + u % 10);
		while (u /= 10);
		if (x < 0)
			*--p = '-';
		return memcpy(buf, p, (size_t)(tmp + sizeof tmp - p));
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(buf, 32, "%.*g", prec, x);
		if (strtod(buf, NULL) == x)
			break;
	}
	return buf;
}

struct json_object *
report_json_number(double x)
{
	char buf[32];

	if (!isfinite(x))
		return NULL;
	return json_object_new_double_s(x, report_double(buf, x));
}

/*
 * A rational's nearest double: exact, and cheap, when the denominator is
 * a power of two and the numerator fits a double's mantissa (0, 1, 1/4:
 * most numbers of a report); rational_get_d's rounding otherwise.
 */
static double
rat_d(mpq_srcptr q)
{
	mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
	size_t k = mpz_sizeinbase(den, 2) - 1;

	if (mpz_sizeinbase(num, 2) <= 53 && k <= 1000 &&
	    mpz_scan1(den, 0) == k)
		return ldexp(mpz_get_d(num), -(int)k);
	return rational_get_d(q);
}

bool
report_exact_short(mpq_srcptr q)
{
	/* A report of strings of millions of digits took seconds to write
	 * (and the check to compute them); values kept unexpanded
	 * (draws.h) are longer than this by construction. */
	return mpz_sizeinbase(mpq_numref(q), 2) +
	    mpz_sizeinbase(mpq_denref(q), 2) <= 4096;
}

/* A value's "_exact" string (heap), or NULL: kept unexpanded ('big'),
 * or past report_exact_short.  Both writers take it from here. */
static char *
exact_str(mpq_srcptr q, const struct bigq *big)
{
	return big || !report_exact_short(q) ? NULL :
	    mpq_get_str(NULL, 10, q);
}

/* A value's nearest double, also when kept unexpanded. */
static double
nearest_d(mpq_srcptr q, const struct bigq *big)
{
	return big ? bigq_get_d(big) : rat_d(q);
}

static struct json_object *
jexact(mpq_srcptr q, const struct bigq *big)
{
	char *s = exact_str(q, big);
	struct json_object *o = s ? json_object_new_string(s) : NULL;

	free(s);
	return o;
}

static struct json_object *
jnearest(mpq_srcptr q, const struct bigq *big)
{
	return report_json_number(nearest_d(q, big));
}

/*
 * Every key of a report object is added once, and every key is a literal
 * or a name of the model, which outlives the report: json-c neither looks
 * the key up nor copies it (a tenth of the report's time at 1,000
 * entities).
 */
static void
put(struct json_object *o, const char *key, struct json_object *v)
{
	json_object_object_add_ex(o, key, v, JSON_C_OBJECT_ADD_KEY_IS_NEW |
	    JSON_C_OBJECT_ADD_CONSTANT_KEY);
}

/*
 * One JSON string per feature value, shared by every situation object of
 * a report (json-c counts references): a 1,000-entity report holds 40,000
 * of them, and making each its own object was half the report's time.
 */
struct jnames {
	const struct model *m;
	uint32_t *off;			/* per feature: its first slot */
	struct json_object **val;	/* per feature value, or NULL */
	/* Situations, each built (as a json-c object) or written (its
	 * text, at one nesting level) once: at bench row b, 296
	 * refutations and witnesses name 51 situations, and building each
	 * afresh was a seventh of the report. */
	struct jsit {
		uint64_t s;
		bool used;		/* false: an empty slot */
		struct json_object *o;	/* or NULL */
		char *text;		/* w_situation's, heap, or NULL */
		size_t len;
		int level;		/* the text's nesting */
	} *sit;
	size_t ncap, nsit;		/* slots (a power of two), used */
};

static void
jnames_init(struct jnames *jn, const struct model *m)
{
	uint32_t n = 0;

	jn->m = m;
	jn->off = xcalloc(m->nfeatures + 1, sizeof *jn->off);
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		jn->off[f] = n;
		n += m->features[f].nvalues;
	}
	jn->val = xcalloc(n + 1, sizeof *jn->val);
	jn->off[m->nfeatures] = n;
}

static void
jnames_free(struct jnames *jn)
{
	for (uint32_t i = 0; jn->off && i < jn->off[jn->m->nfeatures]; i++)
		json_object_put(jn->val[i]);
	for (size_t i = 0; i < jn->ncap; i++) {
		json_object_put(jn->sit[i].o);
		free(jn->sit[i].text);
	}
	free(jn->sit);
	free(jn->val);
	free(jn->off);
}

/* A new reference to the string of value v of feature f. */
static struct json_object *
jvalue(struct jnames *jn, uint32_t f, uint32_t v)
{
	struct json_object **o = &jn->val[jn->off[f] + v];

	if (!*o)
		*o = json_object_new_string(jn->m->features[f].values[v]);
	return json_object_get(*o);
}

/* The slot of situation 's' in jn's table: its own, or the empty one
 * where it goes.  The table has an empty slot. */
static struct jsit *
jsit_slot(struct jnames *jn, uint64_t s)
{
	size_t i = (size_t)(s * 0x9e3779b97f4a7c15u >> 32) & (jn->ncap - 1);

	while (jn->sit[i].used && jn->sit[i].s != s)
		i = (i + 1) & (jn->ncap - 1);
	return &jn->sit[i];
}

/* The entry of situation 's', added (empty) if it is new. */
static struct jsit *
jsit_get(struct jnames *jn, uint64_t s)
{
	if (jn->nsit * 2 >= jn->ncap) {
		struct jsit *old = jn->sit;
		size_t ocap = jn->ncap;
		jn->ncap = ocap ? ocap * 2 : 64;
		jn->sit = xcalloc(jn->ncap, sizeof *jn->sit);
		for (size_t i = 0; i < ocap; i++)
			if (old[i].used)
				*jsit_slot(jn, old[i].s) = old[i];
		free(old);
	}
	struct jsit *e = jsit_slot(jn, s);
	if (!e->used) {
		e->s = s;
		e->used = true;
		jn->nsit++;
	}
	return e;
}

/* A new reference to the object of situation 's': its features'
 * values, in declaration order. */
static struct json_object *
jsituation(struct jnames *jn, const struct space *sp, uint64_t s)
{
	const struct model *m = sp->m;
	struct jsit *e = jsit_get(jn, s);

	if (!e->o) {
		e->o = json_object_new_object();
		for (uint32_t f = 0; f < m->nfeatures; f++)
			put(e->o, m->features[f].name, jvalue(jn, f,
			    space_value(sp, s, f)));
	}
	return json_object_get(e->o);
}

static const char *const kind_word[] = { "character", "family", "optimizer" };

static struct json_object *
jinterval(const struct interval *iv, bool exact)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, !iv->defined ? NULL :
	    exact ? jexact(iv->lo, iv->lo_big) : jnearest(iv->lo, iv->lo_big));
	json_object_array_add(a, !iv->defined ? NULL :
	    exact ? jexact(iv->hi, iv->hi_big) : jnearest(iv->hi, iv->hi_big));
	return a;
}

static struct json_object *
jcheck(const struct result *r, const struct check_result *cr)
{
	const struct check *c = cr->c;
	struct json_object *o = json_object_new_object();

	put(o, "line", json_object_new_int64(c->line));
	put(o, "claim", json_object_new_string(c->claim));
	put(o, "label", c->label ? json_object_new_string(c->label) : NULL);
	put(o, "holds", json_object_new_boolean(cr->holds));
	switch (cr->kind) {
	case VAL_NUMBER:
		put(o, "value", jnearest(cr->number, cr->big));
		if (cr->exact)
			put(o, "value_exact", jexact(cr->number, cr->big));
		break;
	case VAL_NAMES: {
		struct json_object *a = json_object_new_array();
		for (uint32_t i = 0; i < r->m->nentities; i++)
			if (cr->names[i])
				json_object_array_add(a, json_object_new_string(
				    r->m->entities[i].name));
		put(o, "value", a);
		break;
	}
	case VAL_LABEL:
		put(o, "value",
		    json_object_new_string(ast_label_word[cr->label]));
		break;
	case VAL_INF:
		put(o, "value", json_object_new_string("inf"));
		break;
	case VAL_UNDEFINED:
	case VAL_NONE:
		put(o, "value", NULL);
		break;
	}
	return o;
}

static struct json_object *
jdiags(const struct diag *d, enum diag_level level)
{
	struct json_object *a = json_object_new_array();

	for (uint32_t i = 0; d && i < d->len; i++) {
		const struct diag_entry *e = &d->v[i];
		if (e->level != level)
			continue;
		struct json_object *o = json_object_new_object();
		uint32_t line = 0, col = 0;
		if (e->has_loc && d->src)
			source_linecol(d->src, e->loc.off, &line, &col);
		put(o, "line", e->has_loc ? json_object_new_int64(line) : NULL);
		put(o, "col", e->has_loc ? json_object_new_int64(col) : NULL);
		put(o, "message", json_object_new_string(e->msg));
		json_object_array_add(a, o);
	}
	return a;
}

static struct json_object *
build(struct jnames *jn, const struct result *r, const char *path,
    int status, const struct diag *d)
{
	struct json_object *o = json_object_new_object();

	put(o, "schema", json_object_new_string("charcheck/1"));
	put(o, "file", json_object_new_string(path));
	if (!r) {
		put(o, "status", json_object_new_int(status));
		put(o, "errors", jdiags(d, DIAG_ERROR));
		put(o, "warnings", jdiags(d, DIAG_WARNING));
		return o;
	}
	const struct model *m = r->m;
	const struct space *sp = r->sp;
	put(o, "model", m->title ? json_object_new_string(m->title) : NULL);
	put(o, "status", json_object_new_int(status));
	put(o, "situations", json_object_new_int64((int64_t)sp->full.nsit));
	put(o, "classes", json_object_new_int64((int64_t)sp->ncls));
	put(o, "training", json_object_new_int64((int64_t)sp->full.ntrain));
	put(o, "deployment", json_object_new_int64((int64_t)sp->full.ndeploy));
	/* Empty: report_json_print writes the entities in its place. */
	put(o, "entities", json_object_new_array());
	if (r->has_posterior) {
		struct json_object *p = json_object_new_object();
		put(p, "diverge", jinterval(&r->diverge, false));
		if (r->diverge.exact)
			put(p, "diverge_exact", jinterval(&r->diverge, true));
		put(p, "expected_divergence", jinterval(&r->expected, false));
		if (r->expected.exact)
			put(p, "expected_divergence_exact",
			    jinterval(&r->expected, true));
		if (r->diverge.verified)
			put(p, "verified", json_object_new_boolean(true));
		put(p, "defined", json_object_new_boolean(r->diverge.defined));
		put(o, "posterior", p);
	} else {
		put(o, "posterior", NULL);
	}
	if (r->audit.has) {
		struct json_object *au = json_object_new_object();
		struct json_object *plan = json_object_new_array();
		struct json_object *und = json_object_new_array();
		for (uint32_t k = 0; k < r->audit.nplan; k++)
			json_object_array_add(plan, jsituation(jn, sp,
			    r->audit.plan[k]));
		for (uint32_t i = 0; i < m->nentities; i++)
			if (r->audit.undetectable[i])
				json_object_array_add(und,
				    json_object_new_string(
				    m->entities[i].name));
		put(au, "plan", plan);
		put(au, "plan_size", json_object_new_int64(r->audit.nplan));
		put(au, "minimal", json_object_new_boolean(r->audit.minimal));
		put(au, "lower_bound", json_object_new_int64(r->audit.minimal ?
		    r->audit.nplan : r->audit.lower_bound));
		put(au, "undetectable", und);
		put(o, "audit", au);
	} else {
		put(o, "audit", NULL);
	}
	put(o, "indistinguishable",
	    json_object_new_boolean(r->indistinguishable));
	struct json_object *checks = json_object_new_array();
	for (uint32_t i = 0; i < m->nchecks; i++)
		json_object_array_add(checks, jcheck(r, &r->checks[i]));
	put(o, "checks", checks);
	put(o, "warnings", jdiags(d, DIAG_WARNING));
	return o;
}

/*
 * The tree is the printed report read back by json-c, so that the
 * entities have one writer (report_json_print's); json-c keeps each
 * number's text, so the tree prints the same bytes in any layout.
 */
struct json_object *
report_json(const struct result *r, const char *path, int status,
    const struct diag *d)
{
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);

	if (!f)
		fatal("out of memory");
	report_json_print(f, r, path, status, d, REPORT_JSON_FLAGS, 0);
	if (fclose(f) != 0)
		fatal("out of memory");
	struct json_object *o = json_tokener_parse(doc);
	free(doc);
	if (!o)
		internal_error();
	return o;
}

/* The 'n' bytes of 's' on 'f', valid UTF-8 kept, the rest U+FFFD. */
static void
put_utf8(FILE *f, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *run = p;
	uint32_t c;

	while (p < end) {
		uint64_t w;
		/* ASCII, eight bytes at a time: nearly all of a report. */
		if (end - p >= 8 && (memcpy(&w, p, 8),
		    (w & 0x8080808080808080u) == 0)) {
			p += 8;
			continue;
		}
		size_t len = *p < 0x80 ? 1 : report_utf8_next(p, &c);
		if (len && len <= (size_t)(end - p)) {
			p += len;
			continue;
		}
		fwrite(run, 1, (size_t)(p - run), f);
		fputs("\xef\xbf\xbd", f);
		run = ++p;
	}
	fwrite(run, 1, (size_t)(p - run), f);
}

void
report_json_puts(FILE *f, const char *s)
{
	put_utf8(f, s, strlen(s));
}

/*
 * The writer of report_json_print: JSON text in json-c's layout, put
 * together in memory and handed to the stream through the UTF-8 guard
 * once per entity.  Strings are escaped by json-c, each name once (by
 * pointer: names and literals outlive the report).
 */
struct jesc {
	const char *s;		/* NULL: an empty slot */
	char *text;		/* json-c's rendering, heap */
	size_t len;
};

struct jw {
	FILE *f;
	int flags;
	char *buf;		/* heap */
	size_t len, cap;
	struct jesc *esc;	/* open addressing, a power of two */
	size_t ecap, nesc;
	struct jnames *jn;
};

static void
w_put(struct jw *w, const char *s, size_t n)
{
	if (w->cap - w->len < n) {
		size_t cap = w->cap ? w->cap : 8192;
		while (cap - w->len < n)
			cap *= 2;
		w->buf = xreallocarray(w->buf, cap, 1);
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void
w_puts(struct jw *w, const char *s)
{
	w_put(w, s, strlen(s));
}

static void
w_flush(struct jw *w)
{
	put_utf8(w->f, w->buf, w->len);
	w->len = 0;
}

/*
 * json-c's layout: the indentation of nesting 'level' and the punctuation
 * around the members of an object or the elements of an array, as
 * json-c's own serialisers write them (json_object.c: indent(),
 * json_object_object_to_json_string(), json_object_array_to_json_string()).
 */
static void
w_indent(struct jw *w, int level)
{
	static const char tabs[] = "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t"
	    "\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t";
	static const char spaces[] = "                                ";
	bool tab = w->flags & JSON_C_TO_STRING_PRETTY_TAB;
	size_t n = tab ? (size_t)level : 2 * (size_t)level;

	if (!(w->flags & JSON_C_TO_STRING_PRETTY))
		return;
	for (; n > sizeof spaces - 1; n -= sizeof spaces - 1)
		w_put(w, tab ? tabs : spaces, sizeof spaces - 1);
	w_put(w, tab ? tabs : spaces, n);
}

/* '{' or '[' */
static void
w_open(struct jw *w, char c)
{
	w_put(w, &c, 1);
	if (w->flags & JSON_C_TO_STRING_PRETTY)
		w_put(w, "\n", 1);
}

/* Before a member or element of a container at nesting 'level'. */
static void
w_before_child(struct jw *w, bool first, int level)
{
	bool pretty = w->flags & JSON_C_TO_STRING_PRETTY;

	if (!first)
		w_puts(w, pretty ? ",\n" : ",");
	if ((w->flags & JSON_C_TO_STRING_SPACED) && !pretty)
		w_put(w, " ", 1);
	w_indent(w, level + 1);
}

/* '}' or ']' closing a container at nesting 'level'. */
static void
w_close(struct jw *w, char c, bool had_children, int level)
{
	bool pretty = w->flags & JSON_C_TO_STRING_PRETTY;

	if (pretty) {
		if (had_children)
			w_put(w, "\n", 1);
		w_indent(w, level);
	}
	if ((w->flags & JSON_C_TO_STRING_SPACED) && !pretty)
		w_put(w, " ", 1);
	w_put(w, &c, 1);
}

/* 's' as a JSON string, escaped by json-c. */
static void
w_string(struct jw *w, const char *s)
{
	struct json_object *o = json_object_new_string(s);
	size_t len;
	const char *t = json_object_to_json_string_length(o, w->flags, &len);

	w_put(w, t, len);
	json_object_put(o);
}

/* The slot of 's' in the table of escaped names. */
static struct jesc *
w_slot(struct jw *w, const char *s)
{
	size_t i = (size_t)((uintptr_t)s * 0x9e3779b97f4a7c15u >> 32) &
	    (w->ecap - 1);

	while (w->esc[i].s && w->esc[i].s != s)
		i = (i + 1) & (w->ecap - 1);
	return &w->esc[i];
}

/* The name (or literal) 's' as a JSON string, escaped once per report. */
static void
w_name(struct jw *w, const char *s)
{
	if (w->nesc * 2 >= w->ecap) {
		struct jesc *old = w->esc;
		size_t ocap = w->ecap;
		w->ecap = ocap ? ocap * 2 : 256;
		w->esc = xcalloc(w->ecap, sizeof *w->esc);
		for (size_t i = 0; i < ocap; i++)
			if (old[i].s)
				*w_slot(w, old[i].s) = old[i];
		free(old);
	}
	struct jesc *e = w_slot(w, s);
	if (!e->s) {
		struct json_object *o = json_object_new_string(s);
		const char *t = json_object_to_json_string_length(o,
		    w->flags, &e->len);
		e->text = memcpy(xmalloc(e->len), t, e->len);
		e->s = s;
		w->nesc++;
		json_object_put(o);
	}
	w_put(w, e->text, e->len);
}

/* The next member of an object at 'level': separator and key. */
static void
w_key(struct jw *w, bool *first, int level, const char *key)
{
	w_before_child(w, *first, level);
	*first = false;
	w_name(w, key);
	w_puts(w, w->flags & JSON_C_TO_STRING_SPACED ? ": " : ":");
}

static void
w_double(struct jw *w, double x)
{
	char buf[32];

	w_puts(w, isfinite(x) ? report_double(buf, x) : "null");
}

static void
w_rat(struct jw *w, mpq_srcptr q)
{
	w_double(w, rat_d(q));
}

static void
w_int(struct jw *w, int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof buf, "%" PRId64, v);
	w_puts(w, buf);
}

/* An exact rational or integer as a decimal string, or null (jexact). */
static void
w_exact(struct jw *w, mpq_srcptr q, const struct bigq *big)
{
	char *s = exact_str(q, big);

	if (s)
		w_string(w, s);
	else
		w_puts(w, "null");
	free(s);
}

static void
w_mpz(struct jw *w, mpz_srcptr z)
{
	char *s = mpz_get_str(NULL, 10, z);

	w_string(w, s);
	free(s);
}

/* A json-c value placed at nesting 'level' (the envelope's members). */
static void
w_value(struct jw *w, struct json_object *v, int level)
{
	size_t len;
	const char *s = json_object_to_json_string_length(v, w->flags, &len);

	for (const char *p = s, *end = s + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		w_put(w, p, n);
		p += n;
		if (nl)
			w_indent(w, level);
	}
}

/* A prior: a number, or [lo, hi]. */
static void
w_range(struct jw *w, const struct range *rg, int level)
{
	if (!rg->interval) {
		w_rat(w, rg->lo);
		return;
	}
	w_open(w, '[');
	w_before_child(w, true, level);
	w_rat(w, rg->lo);
	w_before_child(w, false, level);
	w_rat(w, rg->hi);
	w_close(w, ']', true, level);
}

/* The next element of an array at 'level', a name. */
static void
w_elem(struct jw *w, bool *first, int level, const char *name)
{
	w_before_child(w, *first, level);
	*first = false;
	w_name(w, name);
}

/* A situation: its features' values, in declaration order. */
static void
w_situation(struct jw *w, const struct space *sp, uint64_t s, int level)
{
	const struct model *m = sp->m;
	struct jsit *e = jsit_get(w->jn, s);
	size_t start = w->len;
	bool first = true;

	if (e->text && e->level == level) {
		w_put(w, e->text, e->len);
		return;
	}
	w_open(w, '{');
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		w_key(w, &first, level, m->features[f].name);
		w_name(w, m->features[f].values[space_value(sp, s, f)]);
	}
	w_close(w, '}', !first, level);
	free(e->text);
	e->len = w->len - start;
	e->text = memcpy(xmalloc(e->len), w->buf + start, e->len);
	e->level = level;
}

/* A family's member: one action per cell, or null. */
static void
w_member(struct jw *w, const struct model *m, const uint32_t *choice,
    uint64_t ncells, int level)
{
	bool first = true;

	if (!choice) {
		w_puts(w, "null");
		return;
	}
	w_open(w, '[');
	for (uint64_t c = 0; c < ncells; c++)
		w_elem(w, &first, level, m->actions[choice[c]].name);
	w_close(w, ']', !first, level);
}

/* The counts and first members of a family (decimal strings). */
static void
w_family(struct jw *w, bool *first, const struct result *r,
    const struct entity_result *er, int level)
{
	const struct model *m = r->m;
	const struct entity *e = er->e;

	w_key(w, first, level, "members");
	w_mpz(w, er->members);
	w_key(w, first, level, "consistent_members");
	w_mpz(w, er->consistent_members);
	w_key(w, first, level, "diverging_members");
	if (er->has_divergence)
		w_mpz(w, er->diverging_members);
	else
		w_puts(w, "null");
	bool none = true;

	w_key(w, first, level, "over");
	w_open(w, '[');
	for (uint32_t j = 0; j < e->nover; j++)
		w_elem(w, &none, level + 1, m->features[e->over[j]].name);
	w_close(w, ']', !none, level + 1);
	w_key(w, first, level, "first_member");
	w_member(w, m, er->first_member, er->ncells, level + 1);
	w_key(w, first, level, "first_consistent_member");
	w_member(w, m, er->consistent ? er->first_consistent : NULL,
	    er->ncells, level + 1);
	w_key(w, first, level, "first_diverging_member");
	w_member(w, m, er->first_diverging, er->ncells, level + 1);
}

/* Where training refutes the entity: the observation's line, a
 * situation and the action played there. */
static void
w_refutation(struct jw *w, const struct result *r,
    const struct entity_result *er, int level)
{
	const struct model *m = r->m;
	const struct observation *ob = &m->training.obs[er->refuted_by];
	bool first = true;

	w_open(w, '{');
	w_key(w, &first, level, "line");
	w_int(w, ob->line);
	w_key(w, &first, level, "situation");
	w_situation(w, r->sp, er->refutation.sit, level + 1);
	w_key(w, &first, level, "action");
	if (er->refutation.action == NONE)
		w_puts(w, "null");
	else
		w_name(w, m->actions[er->refutation.action].name);
	w_close(w, '}', true, level);
}

/* A deployment situation where the entity plays an unintended action. */
static void
w_witness(struct jw *w, const struct result *r,
    const struct entity_result *er, int level)
{
	const struct model *m = r->m;
	const bool *ok = m->intended[er->witness_rule].accept;
	bool first = true, none = true;

	w_open(w, '{');
	w_key(w, &first, level, "situation");
	w_situation(w, r->sp, er->witness.sit, level + 1);
	w_key(w, &first, level, "action");
	w_name(w, m->actions[er->witness.action].name);
	w_key(w, &first, level, "intended");
	w_open(w, '[');
	for (uint32_t a = 0; a < m->nactions; a++)
		if (ok[a])
			w_elem(w, &none, level + 1, m->actions[a].name);
	w_close(w, ']', !none, level + 1);
	w_close(w, '}', true, level);
}

/* One entity of the report (SPEC 5.2), an object at nesting 'level'. */
static void
w_entity(struct jw *w, const struct result *r,
    const struct entity_result *er, int level)
{
	const struct model *m = r->m;
	const struct entity *e = er->e;
	bool first = true, none = true;

	w_open(w, '{');
	w_key(w, &first, level, "name");
	w_name(w, e->name);
	w_key(w, &first, level, "kind");
	w_name(w, kind_word[e->kind]);
	w_key(w, &first, level, "weight");
	w_range(w, &e->prior, level + 1);
	w_key(w, &first, level, "traits");
	w_open(w, '[');
	for (uint32_t i = 0; i < e->ntraits; i++)
		w_elem(w, &none, level + 1, m->traits[e->traits[i]].name);
	w_close(w, ']', !none, level + 1);
	w_key(w, &first, level, "consistent");
	w_puts(w, er->consistent ? "true" : "false");
	w_key(w, &first, level, "likelihood");
	w_double(w, nearest_d(er->likelihood, er->lik_big));
	w_key(w, &first, level, "log_likelihood");
	if (er->consistent)
		w_double(w, er->log_likelihood);
	else
		w_puts(w, "null");
	w_key(w, &first, level, "diverges");
	w_puts(w, !er->has_divergence ? "null" :
	    er->diverges ? "true" : "false");
	w_key(w, &first, level, "divergence");
	if (er->has_divergence && !er->divergence_undefined)
		w_rat(w, er->divergence);
	else
		w_puts(w, "null");
	w_key(w, &first, level, "refuted_by");
	if (er->refuted_by != NONE)
		w_refutation(w, r, er, level + 1);
	else
		w_puts(w, "null");
	w_key(w, &first, level, "witness");
	if (er->witness.sit != BS_NONE)
		w_witness(w, r, er, level + 1);
	else
		w_puts(w, "null");
	if (e->kind == ENT_FAMILY)
		w_family(w, &first, r, er, level);
	if (e->kind == ENT_OPTIMIZER) {
		w_key(w, &first, level, "horizon");
		w_rat(w, e->horizon);
		w_key(w, &first, level, "critical_horizon");
		if (er->horizon_inf) {
			w_name(w, "inf");
		} else {
			w_rat(w, er->critical_horizon);
			w_key(w, &first, level, "critical_horizon_exact");
			w_exact(w, er->critical_horizon, NULL);
		}
		w_key(w, &first, level, "label");
		if (er->label == LABEL_NONE)
			w_puts(w, "null");
		else
			w_name(w, ast_label_word[er->label]);
	}
	w_key(w, &first, level, "likelihood_exact");
	w_exact(w, er->likelihood, er->lik_big);
	if (er->has_divergence && !er->divergence_undefined) {
		w_key(w, &first, level, "divergence_exact");
		w_exact(w, er->divergence, NULL);
	}
	w_close(w, '}', true, level);
}

/*
 * The report printed entity by entity: the envelope (every key but the
 * entities, built by json-c with an empty "entities" array) is printed
 * member by member in json-c's layout, and each entity is written by
 * w_entity and handed to 'f' before the next, so the report's memory
 * does not grow with the entities.  No json-c tree is built for an
 * entity: at 200 entities building, rendering and freeing the trees was
 * two thirds of the report's instructions.  The bytes are those json-c
 * prints for report_json's tree with the same flags (the unit test
 * test_json_stream_is_tree holds it to that for every flag set).
 */
void
report_json_print(FILE *f, const struct result *r, const char *path,
    int status, const struct diag *d, int flags, int indent)
{
	struct jnames jn = { 0 };
	struct jw w = { .f = f, .flags = flags, .jn = &jn };
	int level = indent / 2;
	bool first = true;

	if (r)
		jnames_init(&jn, r->m);
	struct json_object *o = build(&jn, r, path, status, d);

	w_open(&w, '{');
	json_object_object_foreach(o, key, val) {
		w_before_child(&w, first, level);
		first = false;
		w_string(&w, key);
		w_puts(&w, flags & JSON_C_TO_STRING_SPACED ? ": " : ":");
		if (!r || strcmp(key, "entities") != 0 ||
		    r->m->nentities == 0) {
			w_value(&w, val, level + 1);
			continue;
		}
		w_open(&w, '[');
		for (uint32_t i = 0; i < r->m->nentities; i++) {
			w_before_child(&w, i == 0, level + 1);
			w_entity(&w, r, &r->ents[i], level + 2);
			w_flush(&w);
		}
		w_close(&w, ']', true, level + 1);
	}
	w_close(&w, '}', !first, level);
	w_flush(&w);
	json_object_put(o);
	jnames_free(&jn);
	for (size_t i = 0; i < w.ecap; i++)
		free(w.esc[i].text);
	free(w.esc);
	free(w.buf);
}

void
report_json_emit(FILE *f, struct json_object *o)
{
	report_json_puts(f, json_object_to_json_string_ext(o,
	    REPORT_JSON_FLAGS));
	fputc('\n', f);
	json_object_put(o);
}
