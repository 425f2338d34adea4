/*
 * space_layout.c - the index arithmetic of the situation space: hidden
 * values lumped where no expression tells them apart, situation and class
 * strides, the two-table maps between situations and classes, and the
 * text of a situation or class.  The first stage of space_build; every
 * other space file reads what it lays out (space_int.h, switches 1, 2).
 */
#include "space_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* Indices                                                            */
/* ------------------------------------------------------------------ */

uint32_t
space_digit(const struct space *sp, uint64_t s, uint32_t f)
{
	return digit_of(sp, s, f);
}

uint32_t
space_value(const struct space *sp, uint64_t s, uint32_t f)
{
	return value_of(sp, s, f);
}

uint64_t
space_class(const struct space *sp, uint64_t s)
{
	return class_of(sp, s);
}

/* ------------------------------------------------------------------ */
/* Text                                                               */
/* ------------------------------------------------------------------ */

static const char *
text_of(const struct space *sp, struct arena *a, uint64_t s, bool cls)
{
	const struct model *m = sp->m;
	size_t len = 2;

	for (uint32_t f = 0; f < m->nfeatures; f++)
		if (!cls || m->features[f].visible)
			len += strlen(m->features[f].name) + 3 +
			    strlen(m->features[f].values[0]) + 64;
	char *buf = arena_alloc(a, len + 1), *p = buf;
	bool first = true;

	*p++ = '{';
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		const struct feature *ft = &m->features[f];
		uint32_t v;
		if (cls) {
			if (!ft->visible)
				continue;
			v = (uint32_t)((s / sp->cstride[f]) % ft->nvalues);
		} else {
			v = value_of(sp, s, f);
		}
		p += sprintf(p, "%s%s=", first ? "" : ", ", ft->name);
		first = false;
		size_t vl = strlen(ft->values[v]);
		if ((size_t)(p - buf) + vl + 2 > len) {
			/* Values can be longer than values[0]: regrow. */
			char *nb = arena_alloc(a, len * 2 + vl + 2);
			memcpy(nb, buf, (size_t)(p - buf));
			p = nb + (p - buf);
			buf = nb;
			len = len * 2 + vl;
		}
		memcpy(p, ft->values[v], vl);
		p += vl;
	}
	*p++ = '}';
	*p = '\0';
	return buf;
}

const char *
space_sit_text(const struct space *sp, struct arena *a, uint64_t s)
{
	return text_of(sp, a, s, false);
}

const char *
space_cls_text(const struct space *sp, struct arena *a, uint64_t c)
{
	return text_of(sp, a, c, true);
}

/* ------------------------------------------------------------------ */
/* Situations to classes and back                                     */
/* ------------------------------------------------------------------ */

/*
 * f(x) = sum over the features with src[f] > 0 of digit_f(x) * dst[f],
 * where digit_f(x) = x / src[f] % nvalues, as two tables split at the
 * feature stride nearest sqrt(n).
 */
static void
digits2_build(struct digits2 *t, struct space *sp, const uint64_t *src,
    const uint64_t *dst, uint64_t n)
{
	const struct model *m = sp->m;
	uint64_t split = 1, cost = n;

	for (uint32_t f = 0; f < m->nfeatures; f++) {
		if (!src[f])
			continue;
		uint64_t c = src[f] > n / src[f] ? src[f] : n / src[f];
		if (c < cost) {
			cost = c;
			split = src[f];
		}
	}
	t->split = split;
	t->thi = arena_array(&sp->mem, n / split, sizeof *t->thi);
	t->tlo = arena_array(&sp->mem, split, sizeof *t->tlo);
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		uint64_t nv = sp->nv[f];
		if (!src[f] || !dst[f])
			continue;
		if (src[f] >= split)
			for (uint64_t q = 0; q < n / split; q++)
				t->thi[q] += q / (src[f] / split) % nv * dst[f];
		else
			for (uint64_t r = 0; r < split; r++)
				t->tlo[r] += r / src[f] % nv * dst[f];
	}
}

/* ------------------------------------------------------------------ */
/* Lumps                                                              */
/* ------------------------------------------------------------------ */

struct atom_list {
	const struct expr **x;
	uint32_t n, cap;
};

/* The atoms on feature 'f' in 'x'. */
static void
atoms_on(const struct expr *x, uint32_t f, struct atom_list *al)
{
	if (!x)
		return;
	if (x->kind == X_ATOM) {
		if (x->feature != f)
			return;
		if (al->n == al->cap) {
			al->cap = al->cap ? 2 * al->cap : 16;
			al->x = xreallocarray(al->x, al->cap, sizeof *al->x);
		}
		al->x[al->n++] = x;
		return;
	}
	for (uint32_t k = 0; k < x->nkids; k++)
		atoms_on(x->kids[k], f, al);
}

static void
block_atoms(const struct block *b, uint32_t f, struct atom_list *al)
{
	atoms_on(b->situations, f, al);
	for (uint32_t j = 0; j < b->nweights; j++)
		atoms_on(b->weights[j].expr, f, al);
	for (uint32_t k = 0; k < b->nobs; k++)
		atoms_on(b->obs[k].expr, f, al);
}

/* Every atom of the model on feature 'f'. */
static void
model_atoms(const struct model *m, uint32_t f, struct atom_list *al)
{
	for (uint32_t i = 0; i < m->nentities; i++) {
		const struct entity *e = &m->entities[i];
		for (uint32_t r = 0; r < e->nrules; r++)
			atoms_on(e->rules[r].guard, f, al);
		for (uint32_t u = 0; u < e->nutils; u++)
			atoms_on(e->utils[u].when, f, al);
	}
	for (uint32_t r = 0; r < m->nintended; r++)
		atoms_on(m->intended[r].guard, f, al);
	block_atoms(&m->training, f, al);
	block_atoms(&m->deployment, f, al);
	if (m->has_audit)
		atoms_on(m->audit, f, al);
}

/*
 * Lumps the values of each hidden feature that every atom on it treats
 * alike (an unmentioned feature becomes one lump).  Visible features are
 * never lumped: they name the classes.  Lumps keep the order of their
 * first values, so the order of situations, and with it every "first
 * situation", is that of the lumps' first members.
 */
static void
lump(struct space *sp)
{
	const struct model *m = sp->m;
	struct atom_list al = { 0 };
	uint32_t maxv = 0;

	sp->nv = arena_array(&sp->mem, m->nfeatures, sizeof *sp->nv);
	sp->rep = arena_array(&sp->mem, m->nfeatures, sizeof *sp->rep);
	sp->lsize = arena_array(&sp->mem, m->nfeatures, sizeof *sp->lsize);
	sp->lumped = 1;
	for (uint32_t f = 0; f < m->nfeatures; f++)
		if (m->features[f].nvalues > maxv)
			maxv = m->features[f].nvalues;
	/* Scratch for one feature at a time; only lumped features keep a
	 * copy, most features are not. */
	uint32_t *rep = xreallocarray(NULL, maxv, sizeof *rep);
	uint64_t *size = xreallocarray(NULL, maxv, sizeof *size);
	for (uint32_t f = 0; f < m->nfeatures; f++) {
		const struct feature *ft = &m->features[f];
		sp->nv[f] = ft->nvalues;
		if (ft->visible)
			continue;
		al.n = 0;
		model_atoms(m, f, &al);
		memset(size, 0, ft->nvalues * sizeof *size);
		uint32_t nl = 0;
		for (uint32_t v = 0; v < ft->nvalues; v++) {
			uint32_t l;
			for (l = 0; l < nl; l++) {
				uint32_t k;
				for (k = 0; k < al.n; k++)
					if (al.x[k]->allowed[v] !=
					    al.x[k]->allowed[rep[l]])
						break;
				if (k == al.n)
					break;
			}
			if (l == nl)
				rep[nl++] = v;
			size[l]++;
		}
		if (nl == ft->nvalues)
			continue;
		sp->nv[f] = nl;
		sp->rep[f] = arena_array(&sp->mem, nl, sizeof *rep);
		sp->lsize[f] = arena_array(&sp->mem, nl, sizeof *size);
		memcpy(sp->rep[f], rep, nl * sizeof *rep);
		memcpy(sp->lsize[f], size, nl * sizeof *size);
		bool same = true;
		for (uint32_t l = 1; l < nl; l++)
			same &= size[l] == size[0];
		if (same)	/* a factor every situation shares */
			sp->lumped *= size[0];
	}
	free(size);
	free(rep);
	free(al.x);
}

bool
lump_uneven(const struct space *sp, uint32_t f)
{
	if (!sp->lsize[f])
		return false;
	for (uint32_t l = 1; l < sp->nv[f]; l++)
		if (sp->lsize[f][l] != sp->lsize[f][0])
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Layout                                                             */
/* ------------------------------------------------------------------ */

/*
 * Lumps, then the situation count (false past the limits), strides, the
 * maps between situations and classes and, sliced, the hidden
 * assignments' offsets.
 */
bool
layout_build(struct space *sp, const struct space_opts *o, struct diag *d)
{
	const struct model *m = sp->m;
	u128 n = 1, nc = 1, full = 1;
	uint32_t f;

	lump(sp);
	for (f = 0; f < m->nfeatures; f++) {
		n *= sp->nv[f];
		if (m->features[f].visible)
			nc *= sp->nv[f];
		if (full <= ((u128)1 << 62))
			full *= m->features[f].nvalues;
		if (n > o->max_situations || n > ((uint64_t)1 << 40))
			break;
	}
	if (f == m->nfeatures && full > ((u128)1 << 62)) {
		diag_limit(d, m->features[m->nfeatures - 1].loc, "the model "
		    "has more than 2^62 situations; charcheck counts them in "
		    "64-bit words");
		return false;
	}
	sp->full.nsit = (uint64_t)full;
	if (f < m->nfeatures || n > o->max_situations) {
		struct srcloc at = m->features[f < m->nfeatures ? f :
		    m->nfeatures - 1].loc;
		diag_limit(d, at, "the model has more than %llu situations "
		    "(the limit); raise it with --max-situations",
		    (unsigned long long)o->max_situations);
		return false;
	}
	sp->nsit = (uint64_t)n;
	sp->ncls = (uint64_t)nc;
	sp->sw = bs_words(sp->nsit);
	sp->cw = bs_words(sp->ncls);
	sp->stride = arena_array(&sp->mem, m->nfeatures, sizeof *sp->stride);
	sp->cstride = arena_array(&sp->mem, m->nfeatures,
	    sizeof *sp->cstride);
	uint64_t st = 1, cst = 1;
	for (uint32_t i = m->nfeatures; i-- > 0;) {
		sp->stride[i] = st;
		st *= sp->nv[i];
		if (m->features[i].visible) {
			sp->cstride[i] = cst;
			cst *= sp->nv[i];
		}
	}
	/* situation -> class: the situation's digits weighed by the class
	 * strides (0 for hidden features); class -> situation offset: the
	 * class's digits weighed by the situation strides. */
	digits2_build(&sp->cls, sp, sp->stride, sp->cstride, sp->nsit);
	digits2_build(&sp->coff, sp, sp->cstride, sp->stride, sp->ncls);
	sp->nh = sp->nsit / sp->ncls;
	sp->sliced = sp->nh <= SPACE_SLICES && !o->no_slices;
	if (sp->sliced) {
		/* Hidden assignments in order: their offsets increase. */
		sp->hoff = arena_array(&sp->mem, sp->nh, sizeof *sp->hoff);
		for (uint64_t h = 0; h < sp->nh; h++) {
			uint64_t rest = h;
			for (uint32_t i = m->nfeatures; i-- > 0;) {
				const struct feature *ft = &m->features[i];
				if (ft->visible)
					continue;
				sp->hoff[h] += rest % sp->nv[i] * sp->stride[i];
				rest /= sp->nv[i];
			}
		}
	}
	sp->run = 1;
	for (uint32_t i = m->nfeatures; i-- > 0 && m->features[i].visible;)
		sp->run *= sp->nv[i];
	sp->all_cls = arena_array(&sp->mem, sp->cw, sizeof *sp->all_cls);
	bs_fill(sp->all_cls, sp->ncls);
	return true;
}
