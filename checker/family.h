/*
 * family.h - families (SPEC 4.6): every deterministic policy over some
 * visible features, counted exactly without enumerating its members.
 * Per cell (a combination of the family's features) training leaves a set
 * of allowed actions; member counts are products over cells (GMP), and the
 * lexicographically first members are read off cell by cell.
 */
#ifndef CHARCHECK_FAMILY_H
#define CHARCHECK_FAMILY_H

#include "result.h"

/*
 * Judges family 'e' into 'r' (its mpz/mpq fields initialised by the
 * caller): counts, first members, likelihood (consistent / members),
 * diverging share, mean divergence over the consistent members, the
 * refutation of a family with no consistent member, and the divergence
 * witness of its first consistent diverging member.
 */
void family_judge(const struct space *sp, const struct entity *e,
    struct entity_result *r);

#endif
