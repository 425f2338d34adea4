/*
 * sweep.c - 'charcheck sweep': P(diverge) and E(divergence) as one data
 * factor moves over [from, to] in equal steps, the other factors and the
 * weights keeping their ranges.  The picture of the seed's claim: how much
 * misalignment material in pretraining moves the outcome.  Output: a
 * table, CSV, JSON, and an SVG plot with the min-max band.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "posterior.h"
#include "report.h"

struct point {
	mpq_t factor;
	struct interval p, e;
	bool apart[2];		/* the plot must not join its lo (hi) to
				 * the next point's */
};

static void
fmt_num(char buf[32], mpq_srcptr q)
{
	report_double(buf, rational_get_d(q));
}

/* A "nice" tick step for a range: 1, 2 or 5 times a power of ten. */
static double
nice_step(double range, int want)
{
	double raw = range / want, mag = pow(10, floor(log10(raw)));
	double r = raw / mag;

	return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void
svg_text(FILE *f, double x, double y, const char *anchor, int size,
    const char *text)
{
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
	    "font-size=\"%d\">", x, y, anchor, size);
	for (const char *p = text; *p; p++)	/* names are identifiers */
		fputs(*p == '<' ? "&lt;" : *p == '&' ? "&amp;" :
		    (char[2]){ *p, 0 }, f);
	fputs("</text>\n", f);
}

/*
 * Where a curve may be drawn as a line: between two neighbouring points
 * that are both defined and not set apart (a jump at factor 0, see
 * cmd_sweep: a line would draw the jump as a slope).
 */
static bool
joined(const struct point *pt, size_t i, int which)
{
	return pt[i].p.defined && pt[i + 1].p.defined &&
	    (which == 2 ? !pt[i].apart[0] && !pt[i].apart[1] :
	    !pt[i].apart[which]);
}

/*
 * One curve (lo or hi) as polylines over the runs joined() allows; a
 * point alone is a dot.
 */
static void
svg_curve(FILE *f, const struct point *pt, size_t n, bool hi,
    const char *stroke, const char *dash, double x0, double x1, double ymax,
    const double box[4])
{
	for (size_t i = 0; i < n; i++) {
		if (!pt[i].p.defined)
			continue;
		size_t j = i;
		while (j + 1 < n && joined(pt, j, hi))
			j++;
		double px[2], py[2];
		for (size_t k = i; k <= j; k++) {
			px[k > i] = box[0] + (rational_get_d(pt[k].factor) -
			    x0) / (x1 - x0) * box[2];
			py[k > i] = box[1] + box[3] - rational_get_d(hi ?
			    pt[k].p.hi : pt[k].p.lo) / ymax * box[3];
			if (k == i && j == i)
				fprintf(f, "<circle cx=\"%.2f\" cy=\"%.2f\" "
				    "r=\"3.5\" fill=\"%s\"/>\n", px[0], py[0],
				    stroke);
			else if (k == i)
				fprintf(f, "<polyline fill=\"none\" "
				    "stroke=\"%s\" stroke-width=\"2\"%s "
				    "points=\"%.2f,%.2f", stroke, dash, px[0],
				    py[0]);
			else
				fprintf(f, " %.2f,%.2f", px[1], py[1]);
		}
		if (j > i)
			fputs("\"/>\n", f);
		i = j;
	}
}

/* A legend entry at (x, y): a line (or dot, or swatch) and its text;
 * returns where the next entry starts. */
static double
svg_key(FILE *f, double x, double y, const char *kind, const char *color,
    const char *text)
{
	if (!strcmp(kind, "dot"))
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" "
		    "fill=\"%s\"/>\n", x + 12, y - 4, color);
	else if (!strcmp(kind, "band"))
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"24\" "
		    "height=\"10\" fill=\"%s\" fill-opacity=\"0.5\"/>\n", x,
		    y - 9, color);
	else
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", x,
		    y - 4, x + 24, y - 4, color, !strcmp(kind, "dash") ?
		    " stroke-dasharray=\"6 4\"" : "");
	svg_text(f, x + 30, y, "start", 12, text);
	/* About 6.5 px a character at 12 px Helvetica. */
	return x + 30 + 6.5 * (double)strlen(text) + 24;
}

/*
 * The plot on 'f' (closed here): title and file above, then a legend row
 * clear of the plot area (a rising curve ends top right, a falling one
 * starts top left), axes with ticks, the [min, max] band, the max curve
 * solid and the min curve dashed in another colour, gaps where the
 * posterior is undefined and a dot for a point standing alone.
 */
static int
write_svg(FILE *f, const char *model, const char *data,
    const struct point *pt, size_t n)
{
	const double W = 720, H = 460, L = 80, R = 30, T = 86, B = 70;
	double x0 = rational_get_d(pt[0].factor);
	double x1 = rational_get_d(pt[n - 1].factor), ymax = 0;
	static const char max_color[] = "#08519c", min_color[] = "#d94801",
	    band_color[] = "#9ecae1";

	for (size_t i = 0; i < n; i++)
		if (pt[i].p.defined && rational_get_d(pt[i].p.hi) > ymax)
			ymax = rational_get_d(pt[i].p.hi);
	double ystep = nice_step(ymax > 0 ? ymax : 1, 5);
	ymax = ystep * ceil((ymax > 0 ? ymax : 1) / ystep);
	if (ymax > 1 && ymax - ystep < 1)
		ymax = 1;
	if (x1 == x0)
		x1 = x0 + 1;
#define PX(x) (L + ((x) - x0) / (x1 - x0) * (W - L - R))
#define PY(y) (H - B - (y) / ymax * (H - T - B))
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "font-family=\"Helvetica, Arial, sans-serif\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
	    W, H, W, H);
	char title[512];
	snprintf(title, sizeof title, "P(diverge) as data factor '%s' varies",
	    data);
	svg_text(f, W / 2, 26, "middle", 16, title);
	/* The file on a line of its own, its start cut if it is long. */
	size_t len = strlen(model), fit = 100;
	snprintf(title, sizeof title, "%s%s", len > fit ? "..." : "",
	    len > fit ? model + len - (fit - 3) : model);
	svg_text(f, W / 2, 44, "middle", 12, title);
	/* Grid and ticks. */
	fputs("<g stroke=\"#dddddd\" stroke-width=\"1\">\n", f);
	for (double y = 0; y <= ymax + ystep / 2; y += ystep)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n", L, PY(y), W - R, PY(y));
	double xstep = nice_step(x1 - x0, 8);
	double xs = ceil(x0 / xstep) * xstep;
	for (double x = xs; x <= x1 + xstep / 1e6; x += xstep)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n", PX(x), T + 0.0, PX(x), H - B);
	fputs("</g>\n", f);
	for (double y = 0; y <= ymax + ystep / 2; y += ystep) {
		char buf[32];
		snprintf(buf, sizeof buf, "%g", fabs(y) < 1e-12 ? 0 : y);
		svg_text(f, L - 8, PY(y) + 4, "end", 12, buf);
	}
	for (double x = xs; x <= x1 + xstep / 1e6; x += xstep) {
		char buf[32];
		snprintf(buf, sizeof buf, "%g", fabs(x) < 1e-12 ? 0 : x);
		svg_text(f, PX(x), H - B + 18, "middle", 12, buf);
	}
	fprintf(f, "<g stroke=\"black\" stroke-width=\"1.5\">\n"
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n"
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n",
	    L, H - B, W - R, H - B, L, T + 0.0, L, H - B);
	snprintf(title, sizeof title, "data factor %s", data);
	svg_text(f, (L + W - R) / 2, H - 25, "middle", 14, title);
	fprintf(f, "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" "
	    "font-size=\"14\" transform=\"rotate(-90 20 %.1f)\">"
	    "P(diverge)</text>\n", (T + H - B) / 2, (T + H - B) / 2);
	/* The band between min and max over each joined run. */
	bool band = false, gaps = false, alone = false;
	for (size_t i = 0; i < n; i++) {
		band |= pt[i].p.defined && !mpq_equal(pt[i].p.lo, pt[i].p.hi);
		gaps |= !pt[i].p.defined;
		for (int k = 0; k < 2; k++)
			alone |= pt[i].p.defined && (i == 0 ||
			    !joined(pt, i - 1, k)) && (i + 1 == n ||
			    !joined(pt, i, k));
	}
	for (size_t i = 0; band && i < n; i++) {
		if (!pt[i].p.defined)
			continue;
		size_t j = i;
		while (j + 1 < n && joined(pt, j, 2))
			j++;
		if (j > i) {
			fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.5\" "
			    "stroke=\"none\" points=\"", band_color);
			for (size_t k = i; k <= j; k++)
				fprintf(f, "%.2f,%.2f ",
				    PX(rational_get_d(pt[k].factor)),
				    PY(rational_get_d(pt[k].p.hi)));
			for (size_t k = j + 1; k-- > i;)
				fprintf(f, "%.2f,%.2f ",
				    PX(rational_get_d(pt[k].factor)),
				    PY(rational_get_d(pt[k].p.lo)));
			fputs("\"/>\n", f);
		}
		i = j;
	}
	const double box[4] = { L, T, W - L - R, H - T - B };
	if (band) {
		svg_curve(f, pt, n, false, min_color,
		    " stroke-dasharray=\"6 4\"", x0, x1, ymax, box);
		svg_curve(f, pt, n, true, max_color, "", x0, x1, ymax, box);
	} else {
		svg_curve(f, pt, n, false, max_color, "", x0, x1, ymax, box);
	}
	/* Legend: one row between the title and the plot. */
	double kx = L;
	fputs("<g font-size=\"12\">\n", f);
	if (band) {
		kx = svg_key(f, kx, 68, "line", max_color,
		    "max over the prior set");
		kx = svg_key(f, kx, 68, "dash", min_color,
		    "min over the prior set");
		kx = svg_key(f, kx, 68, "band", band_color, "between");
	} else {
		kx = svg_key(f, kx, 68, "line", max_color, "P(diverge)");
	}
	if (alone)
		kx = svg_key(f, kx, 68, "dot", max_color, "a point alone");
	if (gaps)
		svg_key(f, kx, 68, "none", "white", "gap: undefined");
	fputs("</g>\n</svg>\n", f);
#undef PX
#undef PY
	return fclose(f);
}

int
cmd_sweep(const struct cli *c, const char *file)
{
	struct run run;
	uint32_t item = NONE;
	mpq_t from, to, step;
	int status;

	FILE *svg = NULL;

	/* main() has checked both bounds. */
	mpq_inits(from, to, step, NULL);
	if (!rational_parse(from, c->from) || !rational_parse(to, c->to))
		internal_error();
	/* An unwritable --svg fails before any work is done. */
	if (c->svg && !(svg = fopen(c->svg, "w"))) {
		fprintf(stderr, "charcheck: error: cannot write %s: %s\n",
		    c->svg, strerror(errno));
		mpq_clears(from, to, step, NULL);
		return 2;
	}
	run_file(&run, file, RUN_CHECK, &c->space, &c->check);
	diag_print(&run.diag, stderr, cli_color(c, STDERR_FILENO));
	/* The sweep is not a check: its verdicts do not set the status. */
	status = run.status >= 2 ? run.status : 0;
	if (!run.have_result)
		goto out;
	for (uint32_t k = 0; k < run.m->ndata; k++)
		if (!strcmp(run.m->data[k].name, c->data))
			item = k;
	if (item == NONE) {
		fprintf(stderr, "charcheck: error: %s has no data item '%s'",
		    file, c->data);
		for (uint32_t k = 0; k < run.m->ndata; k++)
			fprintf(stderr, "%s'%s'", k ? ", " : " (it has ",
			    run.m->data[k].name);
		fputs(run.m->ndata ? ")" : "; sweep needs one)", stderr);
		struct suggest sg;
		suggest_init(&sg, c->data);
		for (uint32_t k = 0; k < run.m->ndata; k++)
			suggest_offer(&sg, run.m->data[k].name);
		if (suggest_pick(&sg))
			fprintf(stderr, "; did you mean '%s'?",
			    suggest_pick(&sg));
		fputc('\n', stderr);
		status = 2;
		goto out;
	}
	if (!run.r.has_posterior) {
		fprintf(stderr, "charcheck: error: %s has no 'intended' block, "
		    "so there is no P(diverge) to sweep\n", file);
		status = 2;
		goto out;
	}
	size_t n = c->steps + 1;
	struct point *pt = xcalloc(n, sizeof *pt);
	mpq_t *d = xreallocarray(NULL, run.m->nentities + 1, sizeof *d);
	mpq_t *delta = xreallocarray(NULL, run.m->nentities + 1, sizeof *d);
	mpq_t *lik = xreallocarray(NULL, run.m->nentities + 1, sizeof *lik);
	for (uint32_t i = 0; i < run.m->nentities; i++) {
		mpq_init(d[i]);
		mpq_init(delta[i]);
		mpq_init(lik[i]);
		mpq_set(d[i], run.r.ents[i].share);
		mpq_set(delta[i], run.r.ents[i].divergence);
	}
	/* The other items as declared; the swept one a point per step. */
	struct range *scale = xcalloc(run.m->ndata + 1, sizeof *scale);
	mpq_t *ends = xreallocarray(NULL, 2 * (size_t)run.m->ndata + 1,
	    sizeof *ends);
	for (uint32_t k = 0; k < run.m->ndata; k++) {
		scale[k] = run.m->data[k].scale;
		scale[k].lo = ends[2 * k];
		scale[k].hi = ends[2 * k + 1];
		mpq_init(scale[k].lo);
		mpq_init(scale[k].hi);
		mpq_set(scale[k].lo, run.m->data[k].scale.lo);
		mpq_set(scale[k].hi, run.m->data[k].scale.hi);
	}
	struct posterior_in in;
	posterior_in_init(&in, &run.r, lik);
	in.scale = scale;
	/* The solver's failure, printed alone (the warnings already were). */
	struct diag fail;
	diag_init(&fail, &run.arena, run.src);
	mpq_sub(step, to, from);
	for (size_t k = 0; k < n; k++) {
		struct point *p = &pt[k];
		mpq_inits(p->factor, p->p.lo, p->p.hi, p->e.lo, p->e.hi, NULL);
		/* factor = from + k (to - from) / steps, exactly */
		mpq_set_ui(p->factor, (unsigned long)k, c->steps);
		mpq_canonicalize(p->factor);
		mpq_mul(p->factor, p->factor, step);
		mpq_add(p->factor, p->factor, from);
		/* The item's scale is a point at this factor. */
		mpq_set(scale[item].lo, p->factor);
		mpq_set(scale[item].hi, p->factor);
		if (!posterior_range(&in, d, NULL, &c->check.lp, &p->p,
		    &fail) || !posterior_range(&in, delta, NULL,
		    &c->check.lp, &p->e, &fail)) {
			diag_print(&fail, stderr,
			    cli_color(c, STDERR_FILENO));
			status = 3;
			n = k + 1;
			break;
		}
	}
	/*
	 * For x > 0 the bounds are continuous in x; x = 0 is decided on its
	 * own (SPEC 5.3) and may jump (an entity of weight 0 drops out).  The
	 * plot joins the point at 0 to the next only if the posterior just
	 * above 0 (a millionth of the first step) is within 1e-4 of it.
	 */
	if (status < 2 && n > 1 && mpq_sgn(pt[0].factor) == 0 &&
	    pt[0].p.defined) {
		struct interval near;
		mpq_inits(near.lo, near.hi, NULL);
		mpq_set_ui(step, 1, 1000000);
		mpq_mul(step, step, pt[1].factor);
		mpq_set(scale[item].lo, step);
		mpq_set(scale[item].hi, step);
		struct diag quiet;
		diag_init(&quiet, &run.arena, run.src);
		if (posterior_range(&in, d, NULL, &c->check.lp, &near,
		    &quiet)) {
			pt[0].apart[0] = !near.defined ||
			    fabs(rational_get_d(near.lo) -
			    rational_get_d(pt[0].p.lo)) > 1e-4;
			pt[0].apart[1] = !near.defined ||
			    fabs(rational_get_d(near.hi) -
			    rational_get_d(pt[0].p.hi)) > 1e-4;
		}
		diag_fini(&quiet);
		mpq_clears(near.lo, near.hi, NULL);
	}
	for (uint32_t k = 0; k < run.m->ndata; k++) {
		mpq_clear(scale[k].lo);
		mpq_clear(scale[k].hi);
	}
	free(scale);
	free(ends);
	diag_fini(&fail);
	for (uint32_t i = 0; i < run.m->nentities; i++)
		mpq_clear(lik[i]);
	free(lik);
	if (status < 2) {
		char a[32], b[32], e1[32], e2[32], x[32];
		if (c->format == FMT_JSON) {
			struct json_object *o = json_object_new_object();
			struct json_object *arr = json_object_new_array();
			json_object_object_add(o, "schema",
			    json_object_new_string("charcheck-sweep/1"));
			json_object_object_add(o, "file",
			    json_object_new_string(file));
			json_object_object_add(o, "data",
			    json_object_new_string(c->data));
			for (size_t k = 0; k < n; k++) {
				struct json_object *p =
				    json_object_new_object();
				struct json_object *pd =
				    json_object_new_array();
				struct json_object *ed =
				    json_object_new_array();
				fmt_num(x, pt[k].factor);
				json_object_object_add(p, "factor",
				    json_object_new_double_s(rational_get_d(
				    pt[k].factor), x));
				const struct interval *iv[2] = { &pt[k].p,
				    &pt[k].e };
				struct json_object *arrs[2] = { pd, ed };
				for (int j = 0; j < 2; j++) {
					const struct interval *v = iv[j];
					json_object_array_add(arrs[j],
					    !v->defined ? NULL :
					    json_object_new_double_s(
					    rational_get_d(v->lo),
					    (fmt_num(a, v->lo), a)));
					json_object_array_add(arrs[j],
					    !v->defined ? NULL :
					    json_object_new_double_s(
					    rational_get_d(v->hi),
					    (fmt_num(b, v->hi), b)));
				}
				json_object_object_add(p, "diverge", pd);
				json_object_object_add(p, "expected_divergence",
				    ed);
				json_object_array_add(arr, p);
			}
			json_object_object_add(o, "points", arr);
			report_json_puts(stdout,
			    json_object_to_json_string_ext(o,
			    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			    JSON_C_TO_STRING_NOSLASHESCAPE));
			putchar('\n');
			json_object_put(o);
		} else if (c->csv) {
			puts("factor,diverge_min,diverge_max,"
			    "expected_divergence_min,expected_divergence_max");
			for (size_t k = 0; k < n; k++) {
				fmt_num(x, pt[k].factor);
				if (!pt[k].p.defined) {
					printf("%s,,,,\n", x);
					continue;
				}
				fmt_num(a, pt[k].p.lo);
				fmt_num(b, pt[k].p.hi);
				fmt_num(e1, pt[k].e.lo);
				fmt_num(e2, pt[k].e.hi);
				printf("%s,%s,%s,%s,%s\n", x, a, b, e1, e2);
			}
		} else {
			/* Factors as the check report prints numbers
			 * (1.66667 (= 5/3)), in a column as wide as the
			 * widest. */
			struct arena fa = { 0 };
			const char **ft = xreallocarray(NULL, n, sizeof *ft);
			int fw = 12;
			for (size_t k = 0; k < n; k++) {
				ft[k] = report_rat_text(&fa, pt[k].factor);
				if ((int)strlen(ft[k]) > fw)
					fw = (int)strlen(ft[k]);
			}
			printf("%s: P(diverge) as data factor %s goes from %s "
			    "to %s\n\n%*s  %-21s  %s\n", file, c->data,
			    c->from, c->to, fw, "factor", "P(diverge)",
			    "E(divergence)");
			for (size_t k = 0; k < n; k++) {
				const char *xs = ft[k];
				if (!pt[k].p.defined) {
					printf("%*s  undefined\n", fw, xs);
					continue;
				}
				char pbuf[64], ebuf[64];
				snprintf(pbuf, sizeof pbuf,
				    mpq_equal(pt[k].p.lo, pt[k].p.hi) ?
				    "%.6f" : "[%.6f, %.6f]",
				    rational_get_d(pt[k].p.lo),
				    rational_get_d(pt[k].p.hi));
				snprintf(ebuf, sizeof ebuf,
				    mpq_equal(pt[k].e.lo, pt[k].e.hi) ?
				    "%.6f" : "[%.6f, %.6f]",
				    rational_get_d(pt[k].e.lo),
				    rational_get_d(pt[k].e.hi));
				printf("%*s  %-21s  %s\n", fw, xs, pbuf, ebuf);
			}
			free(ft);
			arena_free(&fa);
		}
		if (svg) {
			FILE *f = svg;
			svg = NULL;
			if (write_svg(f, file, c->data, pt, n) != 0) {
				fprintf(stderr, "charcheck: error: cannot "
				    "write %s: %s\n", c->svg, strerror(errno));
				status = 2;
			}
		}
	}
	for (size_t k = 0; k < c->steps + 1 && k < n; k++)
		mpq_clears(pt[k].factor, pt[k].p.lo, pt[k].p.hi, pt[k].e.lo,
		    pt[k].e.hi, NULL);
	for (uint32_t i = 0; i < run.m->nentities; i++) {
		mpq_clear(d[i]);
		mpq_clear(delta[i]);
	}
	free(d);
	free(delta);
	free(pt);
out:
	/* No plot after all: leave no empty file behind. */
	if (svg) {
		fclose(svg);
		remove(c->svg);
	}
	run_free(&run);
	mpq_clears(from, to, step, NULL);
	return status;
}
