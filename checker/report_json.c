/*
 * report_json.c - the JSON report of SPEC 5.2, built with json-c (never
 * hand-escaped).  Numbers are printed with the fewest digits that
 * round-trip; exact rationals ride along as "_exact" strings.
 */
#include "report.h"

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

static struct json_object *
jnum(double x)
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
static struct json_object *
jrat(mpq_srcptr q)
{
	mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
	size_t k = mpz_sizeinbase(den, 2) - 1;

	if (mpz_sizeinbase(num, 2) <= 53 && k <= 1000 &&
	    mpz_scan1(den, 0) == k)
		return jnum(ldexp(mpz_get_d(num), -(int)k));
	return jnum(rational_get_d(q));
}

static struct json_object *
jexact(mpq_srcptr q)
{
	char *s = mpq_get_str(NULL, 10, q);
	struct json_object *o = json_object_new_string(s);

	free(s);
	return o;
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
	/* Situation objects by situation, shared the same way: at bench
	 * row b, 296 refutations and witnesses name 51 situations, and
	 * building each object afresh was a seventh of the report. */
	struct jsit {
		uint64_t s;
		struct json_object *o;	/* NULL: an empty slot */
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
	for (size_t i = 0; i < jn->ncap; i++)
		json_object_put(jn->sit[i].o);
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

	while (jn->sit[i].o && jn->sit[i].s != s)
		i = (i + 1) & (jn->ncap - 1);
	return &jn->sit[i];
}

/* A new reference to the object of situation 's': its features'
 * values, in declaration order. */
static struct json_object *
jsituation(struct jnames *jn, const struct space *sp, uint64_t s)
{
	const struct model *m = sp->m;

	if (jn->nsit * 2 >= jn->ncap) {
		struct jsit *old = jn->sit;
		size_t ocap = jn->ncap;
		jn->ncap = ocap ? ocap * 2 : 64;
		jn->sit = xcalloc(jn->ncap, sizeof *jn->sit);
		for (size_t i = 0; i < ocap; i++)
			if (old[i].o)
				*jsit_slot(jn, old[i].s) = old[i];
		free(old);
	}
	struct jsit *e = jsit_slot(jn, s);
	if (!e->o) {
		e->s = s;
		e->o = json_object_new_object();
		jn->nsit++;
		for (uint32_t f = 0; f < m->nfeatures; f++)
			put(e->o, m->features[f].name, jvalue(jn, f,
			    space_value(sp, s, f)));
	}
	return json_object_get(e->o);
}

static struct json_object *
jrange(const struct range *rg)
{
	if (!rg->interval)
		return jrat(rg->lo);
	struct json_object *a = json_object_new_array();
	json_object_array_add(a, jrat(rg->lo));
	json_object_array_add(a, jrat(rg->hi));
	return a;
}

static const char *const kind_word[] = { "character", "family", "optimizer" };

static struct json_object *
jmpz(mpz_srcptr z)
{
	char *s = mpz_get_str(NULL, 10, z);
	struct json_object *o = json_object_new_string(s);

	free(s);
	return o;
}

static struct json_object *
jmember(const struct model *m, const uint32_t *choice, uint64_t ncells)
{
	if (!choice)
		return NULL;
	struct json_object *a = json_object_new_array();
	for (uint64_t c = 0; c < ncells; c++)
		json_object_array_add(a, json_object_new_string(
		    m->actions[choice[c]].name));
	return a;
}

/* The counts and first members of a family (decimal strings). */
static void
jfamily(struct json_object *o, const struct result *r,
    const struct entity_result *er)
{
	const struct model *m = r->m;
	const struct entity *e = er->e;
	struct json_object *over = json_object_new_array();

	json_object_object_add(o, "members", jmpz(er->members));
	json_object_object_add(o, "consistent_members",
	    jmpz(er->consistent_members));
	json_object_object_add(o, "diverging_members", er->has_divergence ?
	    jmpz(er->diverging_members) : NULL);
	for (uint32_t j = 0; j < e->nover; j++)
		json_object_array_add(over, json_object_new_string(
		    m->features[e->over[j]].name));
	json_object_object_add(o, "over", over);
	json_object_object_add(o, "first_member",
	    jmember(m, er->first_member, er->ncells));
	json_object_object_add(o, "first_consistent_member",
	    jmember(m, er->consistent ? er->first_consistent : NULL,
	    er->ncells));
	json_object_object_add(o, "first_diverging_member",
	    jmember(m, er->first_diverging, er->ncells));
}

static struct json_object *
jentity(struct jnames *jn, const struct result *r,
    const struct entity_result *er)
{
	const struct model *m = r->m;
	const struct entity *e = er->e;
	struct json_object *o = json_object_new_object();
	struct json_object *traits = json_object_new_array();

	put(o, "name", json_object_new_string(e->name));
	put(o, "kind", json_object_new_string(kind_word[e->kind]));
	put(o, "weight", jrange(&e->prior));
	for (uint32_t i = 0; i < e->ntraits; i++)
		json_object_array_add(traits, json_object_new_string(
		    m->traits[e->traits[i]].name));
	put(o, "traits", traits);
	put(o, "consistent", json_object_new_boolean(er->consistent));
	put(o, "likelihood", jrat(er->likelihood));
	put(o, "log_likelihood", er->consistent ?
	    jnum(er->log_likelihood) : NULL);
	if (er->has_divergence) {
		put(o, "diverges", json_object_new_boolean(er->diverges));
		put(o, "divergence", er->divergence_undefined ? NULL :
		    jrat(er->divergence));
	} else {
		put(o, "diverges", NULL);
		put(o, "divergence", NULL);
	}
	if (er->refuted_by != NONE) {
		const struct observation *ob = &m->training.obs[er->refuted_by];
		struct json_object *rb = json_object_new_object();
		put(rb, "line", json_object_new_int64(ob->line));
		put(rb, "situation", jsituation(jn, r->sp,
		    er->refutation.sit));
		put(rb, "action", er->refutation.action == NONE ? NULL :
		    json_object_new_string(
		    m->actions[er->refutation.action].name));
		put(o, "refuted_by", rb);
	} else {
		put(o, "refuted_by", NULL);
	}
	if (er->witness.sit != BS_NONE) {
		struct json_object *w = json_object_new_object();
		struct json_object *acc = json_object_new_array();
		const bool *ok = m->intended[er->witness_rule].accept;
		put(w, "situation", jsituation(jn, r->sp, er->witness.sit));
		put(w, "action", json_object_new_string(
		    m->actions[er->witness.action].name));
		for (uint32_t a = 0; a < m->nactions; a++)
			if (ok[a])
				json_object_array_add(acc,
				    json_object_new_string(m->actions[a].name));
		put(w, "intended", acc);
		put(o, "witness", w);
	} else {
		put(o, "witness", NULL);
	}
	if (e->kind == ENT_FAMILY)
		jfamily(o, r, er);
	if (e->kind == ENT_OPTIMIZER) {
		put(o, "horizon", jrat(e->horizon));
		if (er->horizon_inf) {
			put(o, "critical_horizon",
			    json_object_new_string("inf"));
		} else {
			put(o, "critical_horizon", jrat(er->critical_horizon));
			put(o, "critical_horizon_exact",
			    jexact(er->critical_horizon));
		}
		put(o, "label", er->label == LABEL_NONE ? NULL :
		    json_object_new_string(ast_label_word[er->label]));
	}
	put(o, "likelihood_exact", jexact(er->likelihood));
	if (er->has_divergence && !er->divergence_undefined)
		put(o, "divergence_exact", jexact(er->divergence));
	return o;
}

static struct json_object *
jinterval(const struct interval *iv, bool exact)
{
	struct json_object *a = json_object_new_array();

	json_object_array_add(a, !iv->defined ? NULL :
	    exact ? jexact(iv->lo) : jrat(iv->lo));
	json_object_array_add(a, !iv->defined ? NULL :
	    exact ? jexact(iv->hi) : jrat(iv->hi));
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
		put(o, "value", jrat(cr->number));
		if (cr->exact)
			put(o, "value_exact", jexact(cr->number));
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
    int status, const struct diag *d, bool no_entities)
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
	struct json_object *ents = json_object_new_array();
	for (uint32_t i = 0; i < m->nentities && !no_entities; i++)
		json_object_array_add(ents, jentity(jn, r, &r->ents[i]));
	put(o, "entities", ents);
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

struct json_object *
report_json(const struct result *r, const char *path, int status,
    const struct diag *d)
{
	struct jnames jn = { 0 };

	if (r)
		jnames_init(&jn, r->m);
	struct json_object *o = build(&jn, r, path, status, d, false);
	jnames_free(&jn);
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
 * json-c's layout, for the envelope printed below: the indentation of
 * nesting 'level' and the punctuation around the members of an object or
 * the elements of an array, as json-c's own serialisers write them
 * (json_object.c: indent(), json_object_object_to_json_string(),
 * json_object_array_to_json_string()).  The values themselves are
 * always json-c's rendering.
 */
static void
jc_indent(FILE *f, int level, int flags)
{
	if (!(flags & JSON_C_TO_STRING_PRETTY))
		return;
	if (flags & JSON_C_TO_STRING_PRETTY_TAB)
		for (int i = 0; i < level; i++)
			fputc('\t', f);
	else
		fprintf(f, "%*s", 2 * level, "");
}

/* '{' or '[' */
static void
jc_open(FILE *f, char c, int flags)
{
	fputc(c, f);
	if (flags & JSON_C_TO_STRING_PRETTY)
		fputc('\n', f);
}

/* Before a member or element of a container at nesting 'level'. */
static void
jc_before_child(FILE *f, bool first, int level, int flags)
{
	bool pretty = flags & JSON_C_TO_STRING_PRETTY;

	if (!first) {
		fputc(',', f);
		if (pretty)
			fputc('\n', f);
	}
	if ((flags & JSON_C_TO_STRING_SPACED) && !pretty)
		fputc(' ', f);
	jc_indent(f, level + 1, flags);
}

/* '}' or ']' closing a container at nesting 'level'. */
static void
jc_close(FILE *f, char c, bool had_children, int level, int flags)
{
	bool pretty = flags & JSON_C_TO_STRING_PRETTY;

	if (pretty) {
		if (had_children)
			fputc('\n', f);
		jc_indent(f, level, flags);
	}
	if ((flags & JSON_C_TO_STRING_SPACED) && !pretty)
		fputc(' ', f);
	fputc(c, f);
}

/* The member name 'key' and its separator, escaped as json-c escapes. */
static void
jc_key(FILE *f, const char *key, int flags)
{
	struct json_object *k = json_object_new_string(key);

	report_json_puts(f, json_object_to_json_string_ext(k, flags));
	fputs(flags & JSON_C_TO_STRING_SPACED ? ": " : ":", f);
	json_object_put(k);
}

/*
 * 'v' rendered by json-c, placed at nesting 'level': each line break of
 * its layout followed by that level's indentation (JSON strings hold no
 * raw line breaks, so only the layout's are indented).  The placed text
 * is put together in memory and written with one call: written line by
 * line, two stdio calls per line (8,700 lines at 200 entities) were a
 * third of the report's time.
 */
static void
jc_value_at(FILE *f, struct json_object *v, int level, int flags)
{
	size_t len, nlines = 0;
	const char *s = json_object_to_json_string_length(v, flags, &len);
	bool tab = flags & JSON_C_TO_STRING_PRETTY_TAB;
	size_t ind = !(flags & JSON_C_TO_STRING_PRETTY) ? 0 :
	    tab ? (size_t)level : 2 * (size_t)level;

	for (const char *p = s; (p = memchr(p, '\n', len - (size_t)(p - s)));
	    p++)
		nlines++;
	if (nlines == 0 || ind == 0) {
		put_utf8(f, s, len);
		return;
	}
	char stack[8192];
	size_t total = len + nlines * ind;
	char *buf = total <= sizeof stack ? stack : xmalloc(total);
	char *out = buf;
	for (const char *p = s, *end = s + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl + 1 - p) : (size_t)(end - p);
		memcpy(out, p, n);
		out += n;
		p += n;
		if (nl) {
			memset(out, tab ? '\t' : ' ', ind);
			out += ind;
		}
	}
	put_utf8(f, buf, total);
	if (buf != stack)
		free(buf);
}

/*
 * The report printed entity by entity: the envelope (every key but the
 * entities, built with an empty "entities" array) is printed member by
 * member in json-c's layout, and each entity is rendered alone, placed at
 * its depth and freed before the next, so the report's memory does not
 * grow with the entities (at 1,000 entities the whole tree was 8 MB, and
 * on this machine fresh memory costs more than building it).  The bytes
 * are those of report_json's rendering with the same flags (the unit test
 * test_json_stream_is_tree holds it to that for every flag set); nothing
 * is searched for in json-c's output.
 */
void
report_json_print(FILE *f, const struct result *r, const char *path,
    int status, const struct diag *d, int flags, int indent)
{
	struct jnames jn = { 0 };
	int level = indent / 2;
	bool first = true;

	if (r)
		jnames_init(&jn, r->m);
	struct json_object *o = build(&jn, r, path, status, d, true);

	jc_open(f, '{', flags);
	json_object_object_foreach(o, key, val) {
		jc_before_child(f, first, level, flags);
		first = false;
		jc_key(f, key, flags);
		if (!r || strcmp(key, "entities") != 0 ||
		    r->m->nentities == 0) {
			jc_value_at(f, val, level + 1, flags);
			continue;
		}
		jc_open(f, '[', flags);
		for (uint32_t i = 0; i < r->m->nentities; i++) {
			struct json_object *e = jentity(&jn, r, &r->ents[i]);
			jc_before_child(f, i == 0, level + 1, flags);
			jc_value_at(f, e, level + 2, flags);
			json_object_put(e);
		}
		jc_close(f, ']', true, level + 1, flags);
	}
	jc_close(f, '}', !first, level, flags);
	json_object_put(o);
	jnames_free(&jn);
}

void
report_json_emit(FILE *f, struct json_object *o)
{
	report_json_puts(f, json_object_to_json_string_ext(o,
	    REPORT_JSON_FLAGS));
	fputc('\n', f);
	json_object_put(o);
}
