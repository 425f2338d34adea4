/*
 * report_sweep.c - the printers of 'charcheck sweep': a struct
 * sweep_result (sweep.h) as a table, CSV, the charcheck-sweep/1 JSON
 * object or an SVG plot with the min-max band.  They compute nothing but
 * layout: every number is the engine's (sweep.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "sweep.h"

static void
fmt_num(char buf[32], mpq_srcptr q)
{
	report_double(buf, rational_get_d(q));
}

/* ------------------------------------------------------------------ */
/* Table, CSV and JSON                                                */
/* ------------------------------------------------------------------ */

/* "0.500000" or "[0.250000, 0.750000]" for an interval. */
static void
interval_cell(char buf[64], const struct interval *iv)
{
	snprintf(buf, 64, mpq_equal(iv->lo, iv->hi) ? "%.6f" :
	    "[%.6f, %.6f]", rational_get_d(iv->lo), rational_get_d(iv->hi));
}

void
report_sweep_text(FILE *f, const struct sweep_result *sr, const char *path,
    const char *from, const char *to)
{
	/* Factors as the check report prints numbers (1.66667 (= 5/3)), in
	 * a column as wide as the widest. */
	struct arena fa = { 0 };
	const char **ft = xreallocarray(NULL, sr->npt, sizeof *ft);
	int fw = 12;

	for (size_t k = 0; k < sr->npt; k++) {
		ft[k] = report_rat_text(&fa, sr->pt[k].factor);
		if ((int)strlen(ft[k]) > fw)
			fw = (int)strlen(ft[k]);
	}
	fprintf(f, "%s: P(diverge) as data factor %s goes from %s to %s\n\n"
	    "%*s  %-21s  %s\n", path, sr->data, from, to, fw, "factor",
	    "P(diverge)", "E(divergence)");
	for (size_t k = 0; k < sr->npt; k++) {
		const struct sweep_point *p = &sr->pt[k];
		char pbuf[64], ebuf[64];
		if (!p->p.defined) {
			fprintf(f, "%*s  undefined\n", fw, ft[k]);
			continue;
		}
		interval_cell(pbuf, &p->p);
		interval_cell(ebuf, &p->e);
		fprintf(f, "%*s  %-21s  %s\n", fw, ft[k], pbuf, ebuf);
	}
	free(ft);
	arena_free(&fa);
}

void
report_sweep_csv(FILE *f, const struct sweep_result *sr)
{
	char x[32], a[32], b[32], e1[32], e2[32];

	fputs("factor,diverge_min,diverge_max,"
	    "expected_divergence_min,expected_divergence_max\n", f);
	for (size_t k = 0; k < sr->npt; k++) {
		const struct sweep_point *p = &sr->pt[k];
		fmt_num(x, p->factor);
		if (!p->p.defined) {
			fprintf(f, "%s,,,,\n", x);
			continue;
		}
		fmt_num(a, p->p.lo);
		fmt_num(b, p->p.hi);
		fmt_num(e1, p->e.lo);
		fmt_num(e2, p->e.hi);
		fprintf(f, "%s,%s,%s,%s,%s\n", x, a, b, e1, e2);
	}
}

static struct json_object *
jnum(mpq_srcptr q)
{
	char buf[32];

	fmt_num(buf, q);
	return json_object_new_double_s(rational_get_d(q), buf);
}

/* [lo, hi], or [null, null] when undefined. */
static struct json_object *
jinterval(const struct interval *iv)
{
	struct json_object *arr = json_object_new_array();

	json_object_array_add(arr, iv->defined ? jnum(iv->lo) : NULL);
	json_object_array_add(arr, iv->defined ? jnum(iv->hi) : NULL);
	return arr;
}

void
report_sweep_json(FILE *f, const struct sweep_result *sr, const char *path)
{
	struct json_object *o = json_object_new_object();
	struct json_object *arr = json_object_new_array();

	json_object_object_add(o, "schema",
	    json_object_new_string("charcheck-sweep/1"));
	json_object_object_add(o, "file", json_object_new_string(path));
	json_object_object_add(o, "data", json_object_new_string(sr->data));
	for (size_t k = 0; k < sr->npt; k++) {
		struct json_object *p = json_object_new_object();
		json_object_object_add(p, "factor", jnum(sr->pt[k].factor));
		json_object_object_add(p, "diverge",
		    jinterval(&sr->pt[k].p));
		json_object_object_add(p, "expected_divergence",
		    jinterval(&sr->pt[k].e));
		json_object_array_add(arr, p);
	}
	json_object_object_add(o, "points", arr);
	report_json_emit(f, o);
}

/* ------------------------------------------------------------------ */
/* SVG                                                                */
/* ------------------------------------------------------------------ */

/* The canvas and the plot area's margins, in px. */
static const double W = 720, H = 460, L = 80, R = 30, T = 86, B = 70;
static const char max_color[] = "#08519c", min_color[] = "#d94801",
    band_color[] = "#9ecae1", mark_color[] = "#555555";

/*
 * The plot: the result it draws and the data ranges mapped onto the plot
 * area, [x0, x1] across and [0, ymax] up (ticks every ystep).  Whatever
 * is drawn takes its data from 'sr' and its place from px() and py().
 */
struct plot {
	FILE *f;
	const struct sweep_result *sr;
	double x0, x1, ymax, ystep;
};

static double
px(const struct plot *pl, double x)
{
	return L + (x - pl->x0) / (pl->x1 - pl->x0) * (W - L - R);
}

static double
py(const struct plot *pl, double y)
{
	return H - B - y / pl->ymax * (H - T - B);
}

/* Point k's factor (across) and its P(diverge) bound (up), in px. */
static double
pt_x(const struct plot *pl, size_t k)
{
	return px(pl, rational_get_d(pl->sr->pt[k].factor));
}

static double
pt_y(const struct plot *pl, size_t k, bool hi)
{
	const struct interval *p = &pl->sr->pt[k].p;

	return py(pl, rational_get_d(hi ? p->hi : p->lo));
}

/* A "nice" tick step for a range: 1, 2 or 5 times a power of ten. */
static double
nice_step(double range, int want)
{
	double raw = range / want, mag = pow(10, floor(log10(raw)));
	double r = raw / mag;

	return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

/* The ranges: the factors across; up to the highest P(diverge) rounded
 * up to a tick, and to 1 when that is only a tick away. */
static void
plot_frame(struct plot *pl)
{
	const struct sweep_result *sr = pl->sr;
	double ymax = 0;

	pl->x0 = rational_get_d(sr->pt[0].factor);
	pl->x1 = rational_get_d(sr->pt[sr->npt - 1].factor);
	for (size_t i = 0; i < sr->npt; i++)
		if (sr->pt[i].p.defined && rational_get_d(sr->pt[i].p.hi) >
		    ymax)
			ymax = rational_get_d(sr->pt[i].p.hi);
	pl->ystep = nice_step(ymax > 0 ? ymax : 1, 5);
	pl->ymax = pl->ystep * ceil((ymax > 0 ? ymax : 1) / pl->ystep);
	if (pl->ymax > 1 && pl->ymax - pl->ystep < 1)
		pl->ymax = 1;
	if (pl->x1 == pl->x0)
		pl->x1 = pl->x0 + 1;
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

/* The document's head, the title and the file on a line of its own, its
 * start cut if it is long. */
static void
svg_head(const struct plot *pl, const char *path)
{
	FILE *f = pl->f;
	char title[512];
	size_t len = strlen(path), fit = 100;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
	    "height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" "
	    "font-family=\"Helvetica, Arial, sans-serif\">\n"
	    "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
	    W, H, W, H);
	snprintf(title, sizeof title, "P(diverge) as data factor '%s' varies",
	    pl->sr->data);
	svg_text(f, W / 2, 26, "middle", 16, title);
	snprintf(title, sizeof title, "%s%s", len > fit ? "..." : "",
	    len > fit ? path + len - (fit - 3) : path);
	svg_text(f, W / 2, 44, "middle", 12, title);
}

/* The grid lines and the ticks' labels. */
static void
svg_grid(const struct plot *pl)
{
	FILE *f = pl->f;
	double xstep = nice_step(pl->x1 - pl->x0, 8);
	double xs = ceil(pl->x0 / xstep) * xstep;
	char buf[32];

	fputs("<g stroke=\"#dddddd\" stroke-width=\"1\">\n", f);
	for (double y = 0; y <= pl->ymax + pl->ystep / 2; y += pl->ystep)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n", L, py(pl, y), W - R, py(pl, y));
	for (double x = xs; x <= pl->x1 + xstep / 1e6; x += xstep)
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\"/>\n", px(pl, x), T + 0.0, px(pl, x), H - B);
	fputs("</g>\n", f);
	for (double y = 0; y <= pl->ymax + pl->ystep / 2; y += pl->ystep) {
		snprintf(buf, sizeof buf, "%g", fabs(y) < 1e-12 ? 0 : y);
		svg_text(f, L - 8, py(pl, y) + 4, "end", 12, buf);
	}
	for (double x = xs; x <= pl->x1 + xstep / 1e6; x += xstep) {
		snprintf(buf, sizeof buf, "%g", fabs(x) < 1e-12 ? 0 : x);
		svg_text(f, px(pl, x), H - B + 18, "middle", 12, buf);
	}
}

/* The axes and their titles. */
static void
svg_axes(const struct plot *pl)
{
	FILE *f = pl->f;
	char title[512];

	fprintf(f, "<g stroke=\"black\" stroke-width=\"1.5\">\n"
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n"
	    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n</g>\n",
	    L, H - B, W - R, H - B, L, T + 0.0, L, H - B);
	snprintf(title, sizeof title, "data factor %s", pl->sr->data);
	svg_text(f, (L + W - R) / 2, H - 25, "middle", 14, title);
	fprintf(f, "<text x=\"20\" y=\"%.1f\" text-anchor=\"middle\" "
	    "font-size=\"14\" transform=\"rotate(-90 20 %.1f)\">"
	    "P(diverge)</text>\n", (T + H - B) / 2, (T + H - B) / 2);
}

/*
 * Where a curve may be drawn as a line: between two neighbouring points
 * that are both defined and not set apart (a jump at factor 0, see
 * sweep.c: a line would draw the jump as a slope).  'which' is 0 for the
 * lo curve, 1 for hi, 2 for both (the band).
 */
static bool
joined(const struct sweep_point *pt, size_t i, int which)
{
	return pt[i].p.defined && pt[i + 1].p.defined &&
	    (which == 2 ? !pt[i].apart[0] && !pt[i].apart[1] :
	    !pt[i].apart[which]);
}

/* The last point of the run joined() allows from point i on. */
static size_t
run_end(const struct sweep_result *sr, size_t i, int which)
{
	while (i + 1 < sr->npt && joined(sr->pt, i, which))
		i++;
	return i;
}

/* The band between min and max over each joined run. */
static void
svg_band(const struct plot *pl)
{
	const struct sweep_result *sr = pl->sr;

	for (size_t i = 0; i < sr->npt; i++) {
		if (!sr->pt[i].p.defined)
			continue;
		size_t j = run_end(sr, i, 2);
		if (j > i) {
			fprintf(pl->f, "<polygon fill=\"%s\" "
			    "fill-opacity=\"0.5\" stroke=\"none\" points=\"",
			    band_color);
			for (size_t k = i; k <= j; k++)
				fprintf(pl->f, "%.2f,%.2f ", pt_x(pl, k),
				    pt_y(pl, k, true));
			for (size_t k = j + 1; k-- > i;)
				fprintf(pl->f, "%.2f,%.2f ", pt_x(pl, k),
				    pt_y(pl, k, false));
			fputs("\"/>\n", pl->f);
		}
		i = j;
	}
}

/*
 * One curve (lo or hi) as polylines over the runs joined() allows; a
 * point alone is a dot.
 */
static void
svg_curve(const struct plot *pl, bool hi, const char *stroke,
    const char *dash)
{
	const struct sweep_result *sr = pl->sr;

	for (size_t i = 0; i < sr->npt; i++) {
		if (!sr->pt[i].p.defined)
			continue;
		size_t j = run_end(sr, i, hi);
		if (j == i)
			fprintf(pl->f, "<circle cx=\"%.2f\" cy=\"%.2f\" "
			    "r=\"3.5\" fill=\"%s\"/>\n", pt_x(pl, i),
			    pt_y(pl, i, hi), stroke);
		else
			fprintf(pl->f, "<polyline fill=\"none\" stroke=\"%s\" "
			    "stroke-width=\"2\"%s points=\"%.2f,%.2f", stroke,
			    dash, pt_x(pl, i), pt_y(pl, i, hi));
		for (size_t k = i + 1; k <= j; k++)
			fprintf(pl->f, " %.2f,%.2f", pt_x(pl, k),
			    pt_y(pl, k, hi));
		if (j > i)
			fputs("\"/>\n", pl->f);
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
	else if (!strcmp(kind, "mark"))
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\" "
		    "stroke-dasharray=\"3 3\"/>\n", x + 12, y - 11, x + 12,
		    y + 3, color);
	else
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", x,
		    y - 4, x + 24, y - 4, color, !strcmp(kind, "dash") ?
		    " stroke-dasharray=\"6 4\"" : "");
	svg_text(f, x + 30, y, "start", 12, text);
	/* About 6.5 px a character at 12 px Helvetica. */
	return x + 30 + 6.5 * (double)strlen(text) + 24;
}

/* What the legend needs: whether the bounds differ somewhere (a band),
 * a point is undefined (a gap) or stands alone (a dot), and whether a
 * check's threshold is marked. */
struct legend {
	bool band, gaps, alone, marks;
};

static struct legend
legend_of(const struct sweep_result *sr)
{
	struct legend lg = { false, false, false, sr->nmarks > 0 };
	const struct sweep_point *pt = sr->pt;
	size_t n = sr->npt;

	for (size_t i = 0; i < n; i++) {
		lg.band |= pt[i].p.defined && !mpq_equal(pt[i].p.lo,
		    pt[i].p.hi);
		lg.gaps |= !pt[i].p.defined;
		for (int k = 0; k < 2; k++)
			lg.alone |= pt[i].p.defined && (i == 0 ||
			    !joined(pt, i - 1, k)) && (i + 1 == n ||
			    !joined(pt, i, k));
	}
	return lg;
}

/* The legend: one row between the title and the plot. */
static void
svg_legend(FILE *f, const struct legend *lg)
{
	double kx = L;

	fputs("<g font-size=\"12\">\n", f);
	if (lg->band) {
		kx = svg_key(f, kx, 68, "line", max_color,
		    "max over the prior set");
		kx = svg_key(f, kx, 68, "dash", min_color,
		    "min over the prior set");
		kx = svg_key(f, kx, 68, "band", band_color, "between");
	} else {
		kx = svg_key(f, kx, 68, "line", max_color, "P(diverge)");
	}
	if (lg->alone)
		kx = svg_key(f, kx, 68, "dot", max_color, "a point alone");
	if (lg->gaps)
		kx = svg_key(f, kx, 68, "none", "white", "gap: undefined");
	if (lg->marks)
		svg_key(f, kx, 68, "mark", mark_color, "a check's threshold");
	fputs("</g>\n", f);
}

/*
 * The thresholds: a dashed vertical line across the plot at each, and
 * its check's line number and exact value above the plot area ("line 9:
 * 7/19"), with a tooltip saying which side the check holds on.
 */
static void
svg_marks(const struct plot *pl)
{
	const struct sweep_result *sr = pl->sr;
	FILE *f = pl->f;

	for (size_t k = 0; k < sr->nmarks; k++) {
		const struct sweep_mark *mk = &sr->marks[k];
		double x = px(pl, rational_get_d(mk->x));
		char *v = mpq_get_str(NULL, 10, mk->x);
		fprintf(f, "<g><title>check on line %u holds %s %s</title>\n"
		    "<line x1=\"%.2f\" y1=\"%.1f\" x2=\"%.2f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\" "
		    "stroke-dasharray=\"3 3\"/>\n", mk->line, mk->holds_above ?
		    "from" : "up to", v, x, T, x, H - B, mark_color);
		char label[64];
		snprintf(label, sizeof label, "line %u: %.40s", mk->line, v);
		svg_text(f, x + 3, T + 12 + 12.0 * (double)(k % 2), "start", 10,
		    label);
		fputs("</g>\n", f);
		free(v);
	}
}

/*
 * The plot: title and file above, then a legend row clear of the plot
 * area (a rising curve ends top right, a falling one starts top left),
 * axes with ticks, the [min, max] band, the max curve solid and the min
 * curve dashed in another colour, gaps where the posterior is undefined
 * and a dot for a point standing alone.
 */
int
report_sweep_svg(FILE *f, const struct sweep_result *sr, const char *path)
{
	struct plot pl = { .f = f, .sr = sr };
	struct legend lg = legend_of(sr);

	plot_frame(&pl);
	svg_head(&pl, path);
	svg_grid(&pl);
	svg_axes(&pl);
	if (lg.band) {
		svg_band(&pl);
		svg_curve(&pl, false, min_color, " stroke-dasharray=\"6 4\"");
		svg_curve(&pl, true, max_color, "");
	} else {
		svg_curve(&pl, false, max_color, "");
	}
	svg_marks(&pl);
	svg_legend(f, &lg);
	fputs("</svg>\n", f);
	return fclose(f);
}
