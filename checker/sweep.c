/*
 * sweep.c - 'charcheck sweep': P(diverge) and E(divergence) as one data
 * factor moves over [from, to] in equal steps, the other factors and the
 * weights keeping their ranges.  The picture of the seed's claim: how much
 * misalignment material in pretraining moves the outcome.  Output: a
 * table, CSV, JSON, and an SVG plot with the min-max band.
 */
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

/* The plot: axes with ticks, the [min, max] band, both curves. */
static int
write_svg(const char *path, const char *model, const char *data,
    const struct point *pt, size_t n)
{
	const double W = 720, H = 440, L = 80, R = 30, T = 50, B = 70;
	double x0 = rational_get_d(pt[0].factor);
	double x1 = rational_get_d(pt[n - 1].factor), ymax = 0;
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
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
	snprintf(title, sizeof title, "P(diverge) as data factor '%s' varies "
	    "(%s)", data, model);
	svg_text(f, W / 2, 28, "middle", 16, title);
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
	/* The band between min and max, then the two curves. */
	bool band = false;
	for (size_t i = 0; i < n; i++)
		band |= pt[i].p.defined && !mpq_equal(pt[i].p.lo, pt[i].p.hi);
	if (band) {
		fputs("<polygon fill=\"#9ecae1\" fill-opacity=\"0.5\" "
		    "stroke=\"none\" points=\"", f);
		for (size_t i = 0; i < n; i++)
			if (pt[i].p.defined)
				fprintf(f, "%.2f,%.2f ",
				    PX(rational_get_d(pt[i].factor)),
				    PY(rational_get_d(pt[i].p.hi)));
		for (size_t i = n; i-- > 0;)
			if (pt[i].p.defined)
				fprintf(f, "%.2f,%.2f ",
				    PX(rational_get_d(pt[i].factor)),
				    PY(rational_get_d(pt[i].p.lo)));
		fputs("\"/>\n", f);
	}
	for (int hi = 0; hi < (band ? 2 : 1); hi++) {
		fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"2\" points=\"", hi ? "#08519c" : "#3182bd");
		for (size_t i = 0; i < n; i++)
			if (pt[i].p.defined)
				fprintf(f, "%.2f,%.2f ",
				    PX(rational_get_d(pt[i].factor)),
				    PY(rational_get_d(hi ? pt[i].p.hi :
				    pt[i].p.lo)));
		fputs("\"/>\n", f);
	}
	/* Legend. */
	fprintf(f, "<g font-size=\"12\">\n<line x1=\"%.1f\" y1=\"%.1f\" "
	    "x2=\"%.1f\" y2=\"%.1f\" stroke=\"#3182bd\" stroke-width=\"2\"/>\n",
	    W - R - 190, T + 14.0, W - R - 165, T + 14.0);
	svg_text(f, W - R - 160, T + 18, "start", 12, band ?
	    "min over the prior set" : "P(diverge)");
	if (band) {
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#08519c\" stroke-width=\"2\"/>\n",
		    W - R - 190, T + 32.0, W - R - 165, T + 32.0);
		svg_text(f, W - R - 160, T + 36, "start", 12,
		    "max over the prior set");
	}
	fputs("</g>\n</svg>\n", f);
#undef PX
#undef PY
	return fclose(f);
}

int
cmd_sweep(const struct cli *c, const char *file)
{
	struct run run;
	struct data_item *di = NULL;
	mpq_t from, to, step, saved_lo, saved_hi;
	int status;

	mpq_inits(from, to, step, saved_lo, saved_hi, NULL);
	if (!rational_parse(from, c->from) || !rational_parse(to, c->to))
		fatal("sweep: --from and --to need non-negative numbers such "
		    "as 1, 0.5 or 1/3");
	/* The factors are printed as doubles: past them "inf", "-nan". */
	if (!isfinite(rational_get_d(to)) || !isfinite(rational_get_d(from))) {
		fprintf(stderr, "charcheck: error: sweep: --from and --to must "
		    "be at most 1.7976931348623157e308 (the largest double)\n");
		mpq_clears(from, to, step, saved_lo, saved_hi, NULL);
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
			di = &run.m->data[k];
	if (!di) {
		fprintf(stderr, "charcheck: error: %s has no data item '%s'",
		    file, c->data);
		for (uint32_t k = 0; k < run.m->ndata; k++)
			fprintf(stderr, "%s'%s'", k ? ", " : " (it has ",
			    run.m->data[k].name);
		fputs(run.m->ndata ? ")\n" : "; sweep needs one)\n", stderr);
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
	char why[300];
	for (uint32_t i = 0; i < run.m->nentities; i++) {
		mpq_init(d[i]);
		mpq_init(delta[i]);
		mpq_set(d[i], run.r.ents[i].share);
		mpq_set(delta[i], run.r.ents[i].divergence);
	}
	mpq_set(saved_lo, di->scale.lo);
	mpq_set(saved_hi, di->scale.hi);
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
		mpq_set(di->scale.lo, p->factor);
		mpq_set(di->scale.hi, p->factor);
		if (!posterior_range(&run.r, d, NULL, &c->check.lp, &p->p, why,
		    sizeof why) || !posterior_range(&run.r, delta, NULL,
		    &c->check.lp, &p->e, why, sizeof why)) {
			fprintf(stderr, "charcheck: error: %s\n", why);
			status = 3;
			n = k + 1;
			break;
		}
	}
	mpq_set(di->scale.lo, saved_lo);
	mpq_set(di->scale.hi, saved_hi);
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
				struct json_object *p = json_object_new_object();
				struct json_object *pd = json_object_new_array();
				struct json_object *ed = json_object_new_array();
				fmt_num(x, pt[k].factor);
				json_object_object_add(p, "factor",
				    json_object_new_double_s(rational_get_d(
				    pt[k].factor), x));
				const struct interval *iv[2] = { &pt[k].p,
				    &pt[k].e };
				struct json_object *arrs[2] = { pd, ed };
				for (int j = 0; j < 2; j++) {
					const struct interval *v = iv[j];
					json_object_array_add(arrs[j], !v->defined ?
					    NULL : json_object_new_double_s(
					    rational_get_d(v->lo), (fmt_num(a,
					    v->lo), a)));
					json_object_array_add(arrs[j], !v->defined ?
					    NULL : json_object_new_double_s(
					    rational_get_d(v->hi), (fmt_num(b,
					    v->hi), b)));
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
			printf("%s: P(diverge) as data factor %s goes from %s "
			    "to %s\n\n%12s  %-21s  %s\n", file, c->data,
			    c->from, c->to, "factor", "P(diverge)",
			    "E(divergence)");
			for (size_t k = 0; k < n; k++) {
				fmt_num(x, pt[k].factor);
				if (!pt[k].p.defined) {
					printf("%12s  undefined\n", x);
					continue;
				}
				char pbuf[64], ebuf[64];
				snprintf(pbuf, sizeof pbuf, mpq_equal(pt[k].p.lo,
				    pt[k].p.hi) ? "%.6f" : "[%.6f, %.6f]",
				    rational_get_d(pt[k].p.lo),
				    rational_get_d(pt[k].p.hi));
				snprintf(ebuf, sizeof ebuf, mpq_equal(pt[k].e.lo,
				    pt[k].e.hi) ? "%.6f" : "[%.6f, %.6f]",
				    rational_get_d(pt[k].e.lo),
				    rational_get_d(pt[k].e.hi));
				printf("%12s  %-21s  %s\n", x, pbuf, ebuf);
			}
		}
		if (c->svg && write_svg(c->svg, file, c->data, pt, n) != 0) {
			fprintf(stderr, "charcheck: error: cannot write %s\n",
			    c->svg);
			status = 2;
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
	run_free(&run);
	mpq_clears(from, to, step, saved_lo, saved_hi, NULL);
	return status;
}
