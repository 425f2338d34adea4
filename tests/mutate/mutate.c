/*
 * mutate.c - writes N deterministic mutants of a .char seed file for
 * tests/mutate/run.sh: token deletions, duplications and swaps, extreme
 * numbers, huge domains, deep nesting, invalid bytes, CRLF, files cut in a
 * comment or a string, truncations.  Variant i is a function of the seed
 * file, the PRNG seed and i only, so any failure reproduces alone.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
"usage: mutate [-n N] [-s SEED] [-o DIR] FILE.char\n"
"Writes DIR/0001.char ... DIR/N.char (default N 60, SEED 1, DIR .) and one\n"
"line per variant on stdout: its number and what was done.\n";

/* A growable byte buffer (the variant being built). */
struct buf {
	char *p;
	size_t len, cap;
};

/* A token of the seed: a byte range [off, off + len). */
struct tok {
	size_t off, len;
};

static const char *const extreme_numbers[] = {
	"1e1000", "1e-1000", "99999999999999999999", "0", "1/3", "1000001",
	"1e-1001", "0.0000000000000000000000000001", "4294967296", "1/0",
	"18446744073709551616", "1e999",
};
#define NEXTREME (sizeof extreme_numbers / sizeof extreme_numbers[0])

static const char *const keywords[] = {
	"model", "feature", "visible", "action", "character", "family",
	"optimizer", "prior", "trait", "intended", "training", "deployment",
	"situations", "weight", "observe", "at", "least", "most", "otherwise",
	"data", "scales", "by", "constraint", "audit", "check", "consistent",
	"diverging", "undetectable", "contains", "excludes", "no",
	"divergence", "horizon", "value", "when", "over", "actions", "true",
	"false", "and", "or", "not", "in", "P", "E", "diverge", "label",
	"deceptive", "proxy", "none", "tolerance",
};
#define NKEYWORDS (sizeof keywords / sizeof keywords[0])

static const char *const bad_bytes[] = {
	"\0", "\xff", "\xc3\xa9", "\xe2\x80\x94", "\x80", "\xc0\xaf",
	"\xef\xbb\xbf", "\x01", "\x7f", "\xf4\x90\x80\x80", "\t", "\r",
};
static const size_t bad_len[] = { 1, 1, 2, 3, 1, 2, 3, 1, 1, 4, 1, 1 };
#define NBAD (sizeof bad_len / sizeof bad_len[0])

/* Nesting depths to try: around SPEC 6.1's limit of 400, and far past it. */
static const unsigned depths[] = { 399, 400, 401, 500, 5000 };
#define NDEPTHS (sizeof depths / sizeof depths[0])

static uint64_t rng_state;

static _Noreturn void die(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("mutate: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* splitmix64: small, seedable with any value, good enough here. */
static uint64_t
rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* A uniform-enough index below 'n' (n > 0). */
static size_t
rng_below(size_t n)
{
	return (size_t)(rng_next() % n);
}

static void
buf_add(struct buf *b, const char *p, size_t n)
{
	if (b->cap - b->len < n + 1) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap - b->len < n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			die("out of memory");
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
buf_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

static void
buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof tmp)
		die("buf_printf: too long");
	buf_add(b, tmp, (size_t)n);
}

static int
is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static int
is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Splits 'text' on whitespace and punctuation: a token is a run of word
 * characters (letters, digits, '_' and '.'), a whole string, or one other
 * byte; comments are skipped, so that edits hit the model.  Returns the
 * number of tokens; '*out' is heap memory the caller frees.
 */
static size_t
tokenize(const char *text, size_t len, struct tok **out)
{
	struct tok *v = NULL;
	size_t n = 0, cap = 0, i = 0;

	while (i < len) {
		if (is_space((unsigned char)text[i])) {
			i++;
			continue;
		}
		if (i + 1 < len && text[i] == '/' && text[i + 1] == '/') {
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (i + 1 < len && text[i] == '/' && text[i + 1] == '*') {
			const char *e = strstr(text + i + 2, "*/");
			i = e ? (size_t)(e - text) + 2 : len;
			continue;
		}
		size_t j = i + 1;
		if (is_word((unsigned char)text[i]))
			while (j < len && is_word((unsigned char)text[j]))
				j++;
		if (text[i] == '"')
			while (j < len && text[j] != '\n' && text[j++] != '"')
				;
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = realloc(v, cap * sizeof *v);
			if (!v)
				die("out of memory");
		}
		v[n].off = i;
		v[n].len = j - i;
		n++;
		i = j;
	}
	*out = v;
	return n;
}

static int
is_number(const char *text, const struct tok *t)
{
	return text[t->off] >= '0' && text[t->off] <= '9';
}

static int
is_name(const char *text, const struct tok *t)
{
	unsigned char c = (unsigned char)text[t->off];

	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* Picks a random token satisfying 'pred' (any when NULL); n when none. */
static size_t
pick_tok(const char *text, const struct tok *t, size_t n,
    int (*pred)(const char *, const struct tok *))
{
	size_t start, i;

	if (n == 0)
		return 0;
	start = rng_below(n);
	for (i = 0; i < n; i++) {
		size_t k = (start + i) % n;
		if (!pred || pred(text, &t[k]))
			return k;
	}
	return n;
}

/* Copies text[from, to) to 'b'. */
static void
copy_range(struct buf *b, const char *text, size_t from, size_t to)
{
	if (to > from)
		buf_add(b, text + from, to - from);
}

/* Replaces text[off, off + len) by 'with' (of 'wlen' bytes). */
static void
splice(struct buf *b, const char *text, size_t len, size_t off, size_t cut,
    const char *with, size_t wlen)
{
	copy_range(b, text, 0, off);
	buf_add(b, with, wlen);
	copy_range(b, text, off + cut, len);
}

/* A 'feature' declaration with 'nvalues' values, ending in a newline. */
static void
big_feature(struct buf *b, const char *name, unsigned nvalues)
{
	buf_printf(b, "feature %s {", name);
	for (unsigned v = 0; v < nvalues; v++)
		buf_printf(b, "%s v%u", v ? "," : "", v);
	buf_str(b, " }\n");
}

/* The offset just after the first token equal to 'word', or len. */
static size_t
after_word(const char *text, const struct tok *t, size_t n, const char *word,
    size_t len)
{
	size_t wl = strlen(word), i, k, start = n ? rng_below(n) : 0;

	/* start anywhere, wrap: a random occurrence, not always the first */
	for (i = 0; i < n; i++) {
		k = (start + i) % n;
		if (t[k].len == wl && !memcmp(text + t[k].off, word, wl))
			return t[k].off + t[k].len;
	}
	return len;
}

static size_t
line_end(const char *text, size_t len, size_t off)
{
	while (off < len && text[off] != '\n')
		off++;
	return off;
}

/*
 * Builds variant 'i' of 'text' into 'b' and describes it in 'what'.  The
 * kinds go round-robin so that every seed gets each kind.
 */
static void
mutate(struct buf *b, const char *text, size_t len, const struct tok *t,
    size_t n, unsigned i, char *what, size_t wsize)
{
	enum {
		K_DELETE, K_DUP, K_SWAP, K_NUMBER, K_HUGE_DOMAIN,
		K_MANY_FEATURES, K_DEEP_PAREN, K_DEEP_NOT, K_BAD_BYTE, K_CRLF,
		K_CUT_COMMENT, K_CUT_STRING, K_TRUNCATE, K_KEYWORD, K_MULTI,
		NKINDS
	};
	unsigned kind = i % NKINDS;
	size_t k, k2, off;

	if (n == 0 && kind <= K_SWAP)
		kind = K_TRUNCATE;
	switch (kind) {
	case K_DELETE:
		k = rng_below(n);
		splice(b, text, len, t[k].off, t[k].len, "", 0);
		snprintf(what, wsize, "delete token %zu", k);
		break;
	case K_DUP:
		k = rng_below(n);
		splice(b, text, len, t[k].off, 0, text + t[k].off, t[k].len);
		snprintf(what, wsize, "duplicate token %zu", k);
		break;
	case K_SWAP:
		k = rng_below(n);
		k2 = rng_below(n);
		if (k > k2) {
			size_t tmp = k;
			k = k2;
			k2 = tmp;
		}
		if (k == k2) {
			copy_range(b, text, 0, len);
		} else {
			copy_range(b, text, 0, t[k].off);
			copy_range(b, text, t[k2].off, t[k2].off + t[k2].len);
			copy_range(b, text, t[k].off + t[k].len, t[k2].off);
			copy_range(b, text, t[k].off, t[k].off + t[k].len);
			copy_range(b, text, t[k2].off + t[k2].len, len);
		}
		snprintf(what, wsize, "swap tokens %zu and %zu", k, k2);
		break;
	case K_NUMBER: {
		const char *x = extreme_numbers[(i / NKINDS) % NEXTREME];
		k = pick_tok(text, t, n, is_number);
		if (k < n)
			splice(b, text, len, t[k].off, t[k].len, x, strlen(x));
		else
			splice(b, text, len, 0, 0, x, strlen(x));
		snprintf(what, wsize, "number -> %s", x);
		break;
	}
	case K_HUGE_DOMAIN:
		/* first (multiplies the space) or last (unused feature) */
		if ((i / NKINDS) % 2 == 0) {
			big_feature(b, "zz_huge", 5000);
			copy_range(b, text, 0, len);
		} else {
			copy_range(b, text, 0, len);
			buf_str(b, "\n");
			big_feature(b, "zz_huge", 5000);
		}
		snprintf(what, wsize, "feature of 5000 values (%s)",
		    (i / NKINDS) % 2 ? "last" : "first");
		break;
	case K_MANY_FEATURES:
		for (unsigned f = 0; f < 30; f++) {
			char name[16];
			snprintf(name, sizeof name, "zz_f%u", f);
			big_feature(b, name, 2);
		}
		copy_range(b, text, 0, len);
		snprintf(what, wsize, "30 features of 2 values");
		break;
	case K_DEEP_PAREN:
	case K_DEEP_NOT: {
		unsigned depth = depths[(i / NKINDS) % NDEPTHS];
		const char *arrow = NULL, *p;
		size_t cnt = 0, rest;
		/* wrap the expression after 'situations' (to the line's end),
		 * or replace the guard before a random '->' */
		int in_sit = rng_below(2) == 0;
		for (p = text; !in_sit && (p = strstr(p, "->")); p += 2)
			if (rng_below(++cnt) == 0)
				arrow = p;
		if (!arrow || (size_t)(arrow - text) >= len)
			in_sit = 1;
		if (in_sit) {
			off = after_word(text, t, n, "situations", len);
			rest = line_end(text, len, off);
			copy_range(b, text, 0, off);
			buf_str(b, " ");
		} else {
			rest = (size_t)(arrow - text);
			off = rest;
			while (off > 0 && text[off - 1] != '\n')
				off--;
			copy_range(b, text, 0, off);
		}
		for (unsigned d = 0; d < depth; d++)
			buf_str(b, kind == K_DEEP_PAREN ? "(" : (d % 2 ?
			    "! " : "not "));
		buf_str(b, "true ");
		if (kind == K_DEEP_PAREN)
			for (unsigned d = 0; d < depth; d++)
				buf_str(b, ")");
		copy_range(b, text, rest, len);
		snprintf(what, wsize, "%u nested %s %s", depth,
		    kind == K_DEEP_PAREN ? "parentheses" : "nots",
		    in_sit ? "in situations" : "as a guard");
		break;
	}
	case K_BAD_BYTE: {
		size_t which = (i / NKINDS) % NBAD;
		off = rng_below(len + 1);
		splice(b, text, len, off, 0, bad_bytes[which], bad_len[which]);
		snprintf(what, wsize, "invalid byte(s) #%zu at offset %zu",
		    which, off);
		break;
	}
	case K_CRLF:
		for (off = 0; off < len; off++) {
			if (text[off] == '\n')
				buf_add(b, (i / NKINDS) % 3 == 2 ? "\r" :
				    "\r\n", (i / NKINDS) % 3 == 2 ? 1 : 2);
			else
				buf_add(b, text + off, 1);
		}
		snprintf(what, wsize, "%s line endings",
		    (i / NKINDS) % 3 == 2 ? "CR" : "CRLF");
		break;
	case K_CUT_COMMENT: {
		/* cut inside a comment; with none, open one and end there */
		const char *c1 = NULL, *p;
		size_t cnt = 0;
		for (p = text; (p = strstr(p, "/*")); p += 2)
			if (rng_below(++cnt) == 0)
				c1 = p;
		if (!c1)
			for (p = text, cnt = 0; (p = strstr(p, "//")); p += 2)
				if (rng_below(++cnt) == 0)
					c1 = p;
		if (c1 && (size_t)(c1 - text) < len) {
			off = (size_t)(c1 - text) + 2;
			off += rng_below(line_end(text, len, off) - off + 1);
			copy_range(b, text, 0, off);
			snprintf(what, wsize, "cut in a comment at offset %zu",
			    off);
		} else {
			off = n ? t[rng_below(n)].off : 0;
			copy_range(b, text, 0, off);
			buf_str(b, "/* never closed");
			snprintf(what, wsize, "unclosed comment at offset %zu",
			    off);
		}
		break;
	}
	case K_CUT_STRING: {
		const char *q = NULL, *p;
		size_t cnt = 0;
		for (p = text; (p = strchr(p, '"')); p++)
			if (rng_below(++cnt) == 0)
				q = p;
		if (q && (size_t)(q - text) < len) {
			off = (size_t)(q - text) + 1;
			off += rng_below(line_end(text, len, off) - off + 1);
			copy_range(b, text, 0, off);
			snprintf(what, wsize, "cut in a string at offset %zu",
			    off);
		} else {
			copy_range(b, text, 0, len);
			buf_str(b, "\ncheck \"never closed");
			snprintf(what, wsize, "unclosed string at the end");
		}
		break;
	}
	case K_TRUNCATE:
		off = rng_below(len + 1);
		copy_range(b, text, 0, off);
		snprintf(what, wsize, "truncated at offset %zu of %zu", off,
		    len);
		break;
	case K_KEYWORD: {
		const char *kw = keywords[rng_below(NKEYWORDS)];
		k = pick_tok(text, t, n, is_name);
		if (k < n)
			splice(b, text, len, t[k].off, t[k].len, kw,
			    strlen(kw));
		else
			splice(b, text, len, 0, 0, kw, strlen(kw));
		snprintf(what, wsize, "name -> keyword '%s'", kw);
		break;
	}
	default: {
		/* several token edits at once: delete, duplicate or swap */
		struct tok *v = malloc((n + 1) * sizeof *v);
		unsigned nedits = 2 + (unsigned)rng_below(4);
		if (!v)
			die("out of memory");
		memcpy(v, t, n * sizeof *v);
		for (unsigned e = 0; e < nedits && n > 1; e++) {
			k = rng_below(n);
			k2 = rng_below(n);
			switch (rng_below(3)) {
			case 0: v[k].len = 0; break;
			case 1: v[k] = v[k2]; break;
			default: {
				struct tok tmp = v[k];
				v[k] = v[k2];
				v[k2] = tmp;
			}
			}
		}
		/* rebuild with the seed's separators between tokens */
		for (k = 0; k < n; k++) {
			copy_range(b, text, k ? t[k - 1].off + t[k - 1].len : 0,
			    t[k].off);
			copy_range(b, text, v[k].off, v[k].off + v[k].len);
		}
		if (n)
			copy_range(b, text, t[n - 1].off + t[n - 1].len, len);
		free(v);
		snprintf(what, wsize, "%u token edits", nedits);
		break;
	}
	}
}

static char *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;

	if (!f)
		die("%s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	buf_add(&b, "", 0);
	b.p[b.len] = '\0';
	*len = b.len;
	return b.p;
}

int
main(int argc, char **argv)
{
	unsigned long nvariants = 60, seed = 1;
	const char *dir = ".";
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (i + 1 >= argc)
			die("%s", usage_text);
		if (!strcmp(argv[i], "-n"))
			nvariants = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-s"))
			seed = strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-o"))
			dir = argv[++i];
		else
			die("%s", usage_text);
	}
	if (i != argc - 1)
		die("%s", usage_text);

	size_t len;
	char *text = read_file(argv[i], &len);
	struct tok *t;
	size_t n = tokenize(text, len, &t);

	for (unsigned v = 1; v <= nvariants; v++) {
		struct buf b = { 0 };
		char what[160], path[4096];

		rng_state = seed * 0x100000001b3ull + v;
		mutate(&b, text, len, t, n, v - 1, what, sizeof what);
		snprintf(path, sizeof path, "%s/%04u.char", dir, v);
		FILE *f = fopen(path, "wb");
		if (!f)
			die("%s: %s", path, strerror(errno));
		if (b.len && fwrite(b.p, 1, b.len, f) != b.len)
			die("%s: write failed", path);
		if (fclose(f) != 0)
			die("%s: %s", path, strerror(errno));
		printf("%04u %s\n", v, what);
		free(b.p);
	}
	free(t);
	free(text);
	return 0;
}
