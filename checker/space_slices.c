/*
 * space_slices.c - class bitsets per hidden assignment: the witnesses of
 * a sliced space (space_int.h, switch 2).  A set of situations becomes,
 * per hidden assignment h, the classes c whose situation hoff[h] +
 * coff(c) is in it; since both terms grow with their argument, the first
 * situation of such pairs is a minimum over h of first bits.  The
 * deployment and observation tables keep their witnesses this way.
 */
#include "space_int.h"

#include <stdlib.h>
#include <string.h>

/* The 64 bits of 'b' (nw words) from bit 'off'; zeros past the end. */
static inline uint64_t
bits_at(const uint64_t *b, size_t nw, uint64_t off)
{
	size_t w = (size_t)(off / 64);
	unsigned k = (unsigned)(off % 64);
	uint64_t x = w < nw ? b[w] >> k : 0;

	if (k && w + 1 < nw)
		x |= b[w + 1] << (64 - k);
	return x;
}

/* dst[doff, doff + n) |= src[soff, soff + n) (dst: dw words, src: sw). */
static void
or_bits(uint64_t *dst, size_t dw, uint64_t doff, const uint64_t *src,
    size_t sw, uint64_t soff, uint64_t n)
{
	if (doff % 64 == 0 && soff % 64 == 0) {
		uint64_t *d = dst + doff / 64;
		const uint64_t *s = src + soff / 64;
		for (uint64_t i = 0; i < n / 64; i++)
			d[i] |= s[i];
		if (n % 64)
			d[n / 64] |= s[n / 64] &
			    (~(uint64_t)0 >> (64 - n % 64));
		return;
	}
	for (uint64_t i = 0; i < n; i += 64) {
		uint64_t m = n - i < 64 ? n - i : 64;
		uint64_t x = bits_at(src, sw, soff + i);
		if (m < 64)
			x &= ~(uint64_t)0 >> (64 - m);
		uint64_t at = doff + i;
		size_t w = (size_t)(at / 64);
		unsigned k = (unsigned)(at % 64);
		dst[w] |= x << k;
		if (k && w + 1 < dw)
			dst[w + 1] |= x >> (64 - k);
	}
}

/*
 * out |= the classes c with hoff[h] + coff(c) in 'sits'.  Situations of
 * 'run' consecutive classes (the trailing visible features) are
 * consecutive, so the copy goes run by run.
 */
static void
gather(const struct space *sp, const uint64_t *sits, uint64_t h,
    uint64_t *out)
{
	for (uint64_t c = 0; c < sp->ncls; c += sp->run)
		or_bits(out, sp->cw, c, sits, sp->sw,
		    sp->hoff[h] + digits2_at(&sp->coff, c), sp->run);
}

void
slices_gather(const struct space *sp, struct arena *a, const uint64_t *sits,
    struct slices *sl)
{
	size_t nsum = bs_words(sp->cw);
	/* A heap row: only once gathered is it known to be kept, and an
	 * empty one is reused, not left in 'a'. */
	uint64_t *row = xreallocarray(NULL, sp->cw, sizeof *row);

	sl->row = arena_array(a, sp->nh, sizeof *sl->row);
	sl->live = arena_array(a, sp->nh * nsum, sizeof *sl->live);
	for (uint64_t h = 0; h < sp->nh; h++) {
		bool any = false;
		memset(row, 0, sp->cw * sizeof *row);
		gather(sp, sits, h, row);
		for (size_t w = 0; w < sp->cw; w++)
			if (row[w]) {
				bs_set(sl->live + h * nsum, w);
				any = true;
			}
		if (any) {
			arena_defer(a, free, row);	/* 'a' owns it */
			sl->row[h] = row;
			row = xreallocarray(NULL, sp->cw, sizeof *row);
		}
	}
	free(row);
}


void
slices_union(const struct space *sp, const struct slices *sl, uint64_t *out)
{
	memset(out, 0, sp->cw * sizeof *out);
	for (uint64_t h = 0; h < sp->nh; h++)
		if (sl->row[h])
			bs_or(out, out, sl->row[h], sp->cw);
}

/* The first situation of the slices in a class of 'bits', or BS_NONE. */
uint64_t
slices_first(const struct space *sp, const struct slices *sl,
    const uint64_t *bits)
{
	size_t nsum = bs_words(sp->cw);
	uint64_t best = BS_NONE;

	/* hoff grows with h and coff with c: a row starting past the best
	 * so far cannot hold a smaller one.  Rows go by their live words. */
	for (uint64_t h = 0; h < sp->nh && sp->hoff[h] < best; h++) {
		const uint64_t *row = sl->row[h];
		const uint64_t *live = sl->live + h * nsum;
		uint64_t c = BS_NONE;
		for (size_t j = 0; row && j < nsum && c == BS_NONE; j++)
			for (uint64_t m = live[j]; m; m &= m - 1) {
				size_t w = j * 64 + (size_t)__builtin_ctzll(m);
				uint64_t x = row[w] & bits[w];
				if (x) {
					c = w * 64 + (uint64_t)
					    __builtin_ctzll(x);
					break;
				}
			}
		if (c == BS_NONE)
			continue;
		uint64_t s = sp->hoff[h] + digits2_at(&sp->coff, c);
		if (s < best)
			best = s;
	}
	return best;
}
