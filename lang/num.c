/*
 * num.c - exact numbers: reading a number token as a rational, and the
 * correctly rounded double of a rational (GMP's mpq_get_d truncates),
 * so that every printed value is the nearest double of the exact one.
 */
#include "model.h"

#include <errno.h>
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
	/*
	 * digits [. digits] [e [+-] digits].  The digits are gathered and
	 * converted at once: GMP's subquadratic mpz_set_str reads 10^6
	 * digits in milliseconds, where multiplying by 10 per digit took
	 * 16 s.  The scale is checked before any big-number work.
	 */
	const char *s = text, *ip = s, *fp = NULL;
	size_t ni = 0, nf = 0;
	long exp10 = 0;
	bool ok = true;

	for (; *s >= '0' && *s <= '9'; s++)
		ni++;
	if (ni == 0)
		ok = false;
	if (ok && *s == '.') {
		fp = ++s;
		for (; *s >= '0' && *s <= '9'; s++)
			nf++;
		if (nf == 0)
			ok = false;
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
			if (e < 1000000)
				e = e * 10 + (*s - '0');
		exp10 = neg ? -e : e;
	}
	if (*s != '\0')
		ok = false;
	if (ok && (nf > 1000000 || exp10 - (long)nf > 100000 ||
	    exp10 - (long)nf < -100000)) {
		/* The scale cap, not a malformed number. */
		errno = ERANGE;
		return false;
	}
	if (!ok)
		return false;
	exp10 -= (long)nf;
	char *digits = xmalloc(ni + nf + 1);
	memcpy(digits, ip, ni);
	if (nf)
		memcpy(digits + ni, fp, nf);
	digits[ni + nf] = '\0';
	mpz_t pow;
	mpz_init(pow);
	mpq_set_ui(q, 0, 1);
	if (mpz_set_str(mpq_numref(q), digits, 10) != 0)
		internal_error();
	free(digits);
	mpz_ui_pow_ui(pow, 10, (unsigned long)labs(exp10));
	if (exp10 >= 0) {
		mpz_mul(mpq_numref(q), mpq_numref(q), pow);
	} else {
		mpz_set(mpq_denref(q), pow);
		mpq_canonicalize(q);
	}
	mpz_clear(pow);
	return true;
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

mpq_t *
rationals_new(size_t n)
{
	mpq_t *v = xreallocarray(NULL, n, sizeof *v);

	for (size_t i = 0; i < n; i++)
		mpq_init(v[i]);
	return v;
}

void
rationals_free(mpq_t *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		mpq_clear(v[i]);
	free(v);
}
