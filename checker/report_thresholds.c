/*
 * report_thresholds.c - text and JSON for 'charcheck thresholds' (SPEC
 * 5.3).  Endpoints are printed exactly ("7/19", "inf"); JSON adds the
 * nearest double beside each (from_value, to_value, radius_value), null
 * past the doubles' range.  The text gives an endpoint of more than
 * 4,096 bits (counted draws) only to six digits, as "~1.23e2526".
 */
#include "report_thresholds.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static const char *const declared_word[] = {
	[ON_ALL] = "all", [ON_PART] = "part", [ON_NONE] = "none",
};

static const char *const declared_text[] = {
	[ON_ALL] = "always", [ON_PART] = "partly", [ON_NONE] = "never",
};

/* 'q' exactly ("7/19"), in 'a'. */
static const char *
exact(struct arena *a, mpq_srcptr q)
{
	char *s = mpq_get_str(NULL, 10, q);
	const char *r = arena_printf(a, "%s", s);

	free(s);
	return r;
}

/* 'q' to six digits, "~0.00787666", also past the doubles' range
 * ("~1.23e2526"). */
static const char *
approx(struct arena *a, mpq_srcptr q)
{
	double x = rational_get_d(q);

	if (mpq_sgn(q) != 0 && (fabs(x) < DBL_MIN || isinf(x)))
		return report_rat_text(a, q);
	return arena_printf(a, "~%.6g", x);
}

/*
 * An endpoint for people: exact, and with its decimal beside it when the
 * fraction is too long to read ("8/3 (14/17)^30" comes out as 37-digit
 * integers): "1936...408/2458...547 (~0.00787666)"; past 4,096 bits (as
 * JSON's _exact strings, D72) the decimal alone.
 */
static const char *
endpoint(struct arena *a, mpq_srcptr q)
{
	size_t nd = mpz_sizeinbase(mpq_numref(q), 10),
	    dd = mpz_sizeinbase(mpq_denref(q), 10);

	if (nd <= 12 && dd <= 12)
		return exact(a, q);
	if (!report_exact_short(q))
		return approx(a, q);
	return arena_printf(a, "%s (%s)", exact(a, q), approx(a, q));
}


static const char *
piece_text(struct arena *a, const struct threshold_piece *p)
{
	return arena_printf(a, "%c%s, %s%c", p->from_closed ? '[' : '(',
	    endpoint(a, p->from), p->to_inf ? "inf" : endpoint(a, p->to),
	    p->to_closed ? ']' : ')');
}

static const char *
declared_range(struct arena *a, const struct range *r)
{
	if (mpq_equal(r->lo, r->hi))
		return exact(a, r->lo);
	return arena_printf(a, "[%s, %s]", exact(a, r->lo), exact(a, r->hi));
}

static void
radius_text(FILE *out, struct arena *a, const struct robustness *rb)
{
	char buf[32];

	switch (rb->kind) {
	case RADIUS_NONE:
		fputs("fails as declared: no robustness radius\n", out);
		return;
	case RADIUS_INF:
		fputs("robust to prior weights off by any factor\n", out);
		return;
	case RADIUS_EXACT:
		fprintf(out, "robust to prior weights off by a factor up to "
		    "%s", endpoint(a, rb->lo));
		if (mpz_cmp_ui(mpq_denref(rb->lo), 1) != 0 &&
		    isfinite(rational_get_d(rb->lo)))
			fprintf(out, " (%s)", report_double(buf,
			    rational_get_d(rb->lo)));
		fputc('\n', out);
		return;
	case RADIUS_BRACKET:
		if (!(rational_get_d(rb->lo) < 1e15)) {
			fprintf(out, "robust to prior weights off by a factor "
			    "up to %s\n", approx(a, rb->lo));
			return;
		}
		fprintf(out, "robust to prior weights off by a factor up to "
		    "%.10f", rational_get_d(rb->lo));
		/* The exact square when it is short enough to read. */
		if (rb->has_square && mpz_sizeinbase(mpq_numref(rb->square),
		    10) + mpz_sizeinbase(mpq_denref(rb->square), 10) <= 40)
			fprintf(out, " (sqrt(%s))", exact(a, rb->square));
		fputc('\n', out);
		return;
	}
}

void
report_thresholds_text(FILE *out, const struct thresholds_report *t)
{
	const struct model *m = t->m;
	struct arena a = { 0 };

	if (t->nsets == 0 && t->nradii == 0)
		fprintf(out, "%s: no P(diverge), P(...) or E(divergence) "
		    "check to analyse\n", t->path);
	for (uint32_t k = 0; k < t->nsets; k++) {
		const struct threshold_set *s = &t->sets[k];
		const struct check *c = &m->checks[s->check];
		const struct data_item *di = &m->data[s->item];
		fprintf(out, "line %u  %s  ", c->line, c->claim);
		if (s->npieces == 0) {
			fprintf(out, "holds for no value of %s", di->name);
		} else {
			fprintf(out, "holds for %s in ", di->name);
			for (uint32_t j = 0; j < s->npieces; j++)
				fprintf(out, "%s%s", j ? " or " : "",
				    piece_text(&a, &s->piece[j]));
		}
		fprintf(out, " (declared %s: %s)\n", declared_range(&a,
		    &di->scale), declared_text[s->on_declared]);
	}
	for (uint32_t k = 0; k < t->nradii; k++) {
		const struct check *c = &m->checks[t->radii[k].check];
		fprintf(out, "line %u  %s  ", c->line, c->claim);
		radius_text(out, &a, &t->radii[k]);
	}
	arena_free(&a);
}

/* An exact string and the nearest double ("7/19", 0.368...). */
static void
add_end(struct json_object *o, struct arena *a, const char *key,
    const char *vkey, mpq_srcptr q, bool inf)
{
	json_object_object_add(o, key, json_object_new_string(inf ? "inf" :
	    exact(a, q)));
	json_object_object_add(o, vkey, inf ? NULL :
	    report_json_number(rational_get_d(q)));
}

static struct json_object *
head(const struct check *c)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "line", json_object_new_int64(c->line));
	json_object_object_add(o, "claim", json_object_new_string(c->claim));
	return o;
}

struct json_object *
report_thresholds_json(const struct thresholds_report *t)
{
	const struct model *m = t->m;
	struct arena a = { 0 };
	struct json_object *doc = json_object_new_object();
	struct json_object *ts = json_object_new_array();
	struct json_object *rs = json_object_new_array();

	json_object_object_add(doc, "schema",
	    json_object_new_string("charcheck-thresholds/1"));
	json_object_object_add(doc, "file", json_object_new_string(t->path));
	for (uint32_t k = 0; k < t->nsets; k++) {
		const struct threshold_set *s = &t->sets[k];
		const struct data_item *di = &m->data[s->item];
		struct json_object *o = head(&m->checks[s->check]);
		struct json_object *dec = json_object_new_array();
		struct json_object *hs = json_object_new_array();
		json_object_object_add(o, "data",
		    json_object_new_string(di->name));
		json_object_array_add(dec, json_object_new_string(exact(&a,
		    di->scale.lo)));
		json_object_array_add(dec, json_object_new_string(exact(&a,
		    di->scale.hi)));
		json_object_object_add(o, "declared", dec);
		for (uint32_t j = 0; j < s->npieces; j++) {
			const struct threshold_piece *p = &s->piece[j];
			struct json_object *h = json_object_new_object();
			add_end(h, &a, "from", "from_value", p->from, false);
			add_end(h, &a, "to", "to_value", p->to, p->to_inf);
			json_object_object_add(h, "from_closed",
			    json_object_new_boolean(p->from_closed));
			json_object_object_add(h, "to_closed",
			    json_object_new_boolean(p->to_closed));
			json_object_array_add(hs, h);
		}
		json_object_object_add(o, "holds", hs);
		json_object_object_add(o, "on_declared",
		    json_object_new_string(declared_word[s->on_declared]));
		json_object_array_add(ts, o);
	}
	for (uint32_t k = 0; k < t->nradii; k++) {
		const struct robustness *rb = &t->radii[k];
		struct json_object *o = head(&m->checks[rb->check]);
		struct json_object *r = NULL, *v = NULL;
		/* A bracket's double: sqrt of the exact square, when known
		 * (through GMP's floats when the square leaves the doubles:
		 * a radius of 1.5e252 has a square of 2.3e504). */
		double d = rb->kind == RADIUS_BRACKET && rb->has_square ?
		    sqrt(rational_get_d(rb->square)) : rational_get_d(rb->lo);
		if (rb->kind == RADIUS_BRACKET && rb->has_square &&
		    !(d > 0 && isfinite(d))) {
			mpf_t f;
			mpf_init2(f, 256);
			mpf_set_q(f, rb->square);
			mpf_sqrt(f, f);
			d = mpf_get_d(f);
			mpf_clear(f);
		}
		switch (rb->kind) {
		case RADIUS_NONE:
			break;
		case RADIUS_INF:
			r = json_object_new_string("inf");
			break;
		case RADIUS_EXACT:
			r = json_object_new_string(exact(&a, rb->lo));
			v = report_json_number(d);
			break;
		case RADIUS_BRACKET:
			r = json_object_new_array();
			json_object_array_add(r, json_object_new_string(
			    exact(&a, rb->lo)));
			json_object_array_add(r, json_object_new_string(
			    exact(&a, rb->hi)));
			v = report_json_number(d);
			break;
		}
		json_object_object_add(o, "radius", r);
		json_object_object_add(o, "radius_value", v);
		if (rb->has_square)
			json_object_object_add(o, "radius_squared",
			    json_object_new_string(exact(&a, rb->square)));
		json_object_array_add(rs, o);
	}
	json_object_object_add(doc, "thresholds", ts);
	json_object_object_add(doc, "robustness", rs);
	arena_free(&a);
	return doc;
}
