/*
 * num.c - exact numbers: reading a number token as a rational, and the
 * correctly rounded double of a rational (GMP's mpq_get_d truncates),
 * so that every printed value is the nearest double of the exact one.
 */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool
rational_parse(mpq_ptr q, const char *text)
{
	const char *slash = strchr(text, '/');

	if (slash) {
		/* Digits, one slash, digits: GMP alone would take a sign. */
		for (const char *p = text; *p; p++)
			if ((*p < '0' || *p > '9') && p != slash)
				return false;
		if (slash == text || slash[1] == '\0' ||
		    mpq_set_str(q, text, 10) != 0 ||
		    mpz_sgn(mpq_denref(q)) == 0)
			return false;
		mpq_canonicalize(q);
		return true;
	}
	/* digits [. digits] [e [+-] digits] */
	mpz_t mant, pow;
	long exp10 = 0;
	const char *s = text;
	bool ok = true;

	mpz_init(mant);
	mpz_init(pow);
	if (*s < '0' || *s > '9')
		ok = false;
	for (; *s >= '0' && *s <= '9'; s++) {
		mpz_mul_ui(mant, mant, 10);
		mpz_add_ui(mant, mant, (unsigned long)(*s - '0'));
	}
	if (ok && *s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			ok = false;
		for (; *s >= '0' && *s <= '9'; s++) {
			mpz_mul_ui(mant, mant, 10);
			mpz_add_ui(mant, mant, (unsigned long)(*s - '0'));
			exp10--;
		}
	}
	if (ok && (*s == 'e' || *s == 'E')) {
		long e = 0;
		bool neg = false;

		s++;
		if (*s == '+' || *s == '-')
			neg = *s++ == '-';
		if (*s < '0' || *s > '9')
			ok = false;
		for (; *s >= '0' && *s <= '9'; s++)
			if (e < 100000)
				e = e * 10 + (*s - '0');
		exp10 += neg ? -e : e;
	}
	if (*s != '\0' || exp10 > 100000 || exp10 < -100000)
		ok = false;
	if (ok) {
		mpz_ui_pow_ui(pow, 10, (unsigned long)labs(exp10));
		mpq_set_z(q, mant);
		if (exp10 >= 0) {
			mpz_mul(mpq_numref(q), mpq_numref(q), pow);
		} else {
			mpz_set(mpq_denref(q), pow);
			mpq_canonicalize(q);
		}
	}
	mpz_clear(mant);
	mpz_clear(pow);
	return ok;
}

double
rational_get_d(mpq_srcptr q)
{
	double d = mpq_get_d(q);	/* truncated toward zero */
	double other = nextafter(d, mpq_sgn(q) < 0 ? -INFINITY : INFINITY);
	mpq_t a, b;
	int c;

	if (!isfinite(other))
		return d;
	/* Compare |q - d| with |other - q|; ties go to the even mantissa. */
	mpq_inits(a, b, NULL);
	mpq_set_d(a, d);
	mpq_sub(a, q, a);
	mpq_abs(a, a);
	mpq_set_d(b, other);
	mpq_sub(b, b, q);
	mpq_abs(b, b);
	c = mpq_cmp(a, b);
	mpq_clears(a, b, NULL);
	if (c < 0)
		return d;
	if (c > 0)
		return other;
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	return (bits & 1) == 0 ? d : other;
}

double
rational_log(mpq_srcptr q)
{
	long en, ed;
	double mn = mpz_get_d_2exp(&en, mpq_numref(q));
	double md = mpz_get_d_2exp(&ed, mpq_denref(q));

	return log(mn / md) + (double)(en - ed) * log(2.0);
}
