/*
 * diag.c - reading sources, the line table, and rendering diagnostics in
 * the gcc/clang shape.  The only writer to stderr besides fatal().
 */
#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static void
build_lines(struct arena *a, struct source *src)
{
	uint32_t n = 1;
	const char *t = src->text;

	/* A line ends at LF, CRLF or a lone CR (old Mac files). */
#define LINE_END(i) (t[i] == '\n' || (t[i] == '\r' && \
	(i + 1 >= src->len || t[i + 1] != '\n')))
	/* Without a CR, memchr finds the line ends (a byte loop was 2% of
	 * a small model's run). */
	if (!memchr(t, '\r', src->len)) {
		const char *end = t + src->len;
		for (const char *q = t; (q = memchr(q, '\n',
		    (size_t)(end - q))); q++)
			n++;
		src->line_off = arena_array_uninit(a, n,
		    sizeof *src->line_off);
		src->nlines = 0;
		src->line_off[src->nlines++] = 0;
		for (const char *q = t; (q = memchr(q, '\n',
		    (size_t)(end - q))); q++)
			src->line_off[src->nlines++] = (uint32_t)(q - t) + 1;
		return;
	}
	for (uint32_t i = 0; i < src->len; i++)
		if (LINE_END(i))
			n++;
	src->line_off = arena_array(a, n, sizeof *src->line_off);
	src->nlines = 0;
	src->line_off[src->nlines++] = 0;
	for (uint32_t i = 0; i < src->len; i++)
		if (LINE_END(i))
			src->line_off[src->nlines++] = i + 1;
#undef LINE_END
}

struct source *
source_from_memory(struct arena *a, const char *path, const char *text,
    size_t len)
{
	struct source *src = arena_alloc(a, sizeof *src);

	if (len > UINT32_MAX - 1)
		fatal("%s: file too large", path);
	src->path = arena_strndup(a, path, strlen(path));
	src->text = arena_strndup(a, text, len);
	src->len = (uint32_t)len;
	build_lines(a, src);
	return src;
}

const char source_stdin[] = "<stdin>";

struct source *
source_read(struct arena *a, const char *path)
{
	bool in = path == source_stdin;
	FILE *f = in ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f)
		return NULL;
	for (;;) {
		if (cap - len < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = xreallocarray(buf, cap, 1);
		}
		size_t n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		if (!in)
			fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return NULL;
	}
	if (!in)
		fclose(f);
	struct source *src = source_from_memory(a, path, buf, len);
	free(buf);
	return src;
}

void
source_linecol(const struct source *src, uint32_t off, uint32_t *line,
    uint32_t *col)
{
	uint32_t lo = 0, hi = src->nlines;

	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (src->line_off[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = lo + 1;
	*col = off - src->line_off[lo] + 1;
}

void
diag_init(struct diag *d, struct arena *a, struct source *src)
{
	memset(d, 0, sizeof *d);
	d->arena = a;
	d->src = src;
	d->warn_cap = DIAG_WARN_CAP;
}

void
diag_fini(struct diag *d)
{
	free(d->v);
	d->v = NULL;
	d->len = d->cap = 0;
}

bool
diag_full(const struct diag *d)
{
	return d->nerrors >= DIAG_MAX_ERRORS;
}

static void
add(struct diag *d, enum diag_level level, int status, bool has_loc,
    struct srcloc loc, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (level == DIAG_ERROR) {
		if (status > d->status)
			d->status = status;
		if (d->nerrors++ >= DIAG_MAX_ERRORS) {
			d->truncated = true;
			return;
		}
	} else if (level == DIAG_NOTE) {
		/* A note of a dropped error is dropped too. */
		if (d->len == 0 || d->nerrors > DIAG_MAX_ERRORS)
			return;
	} else {
		d->nwarnings++;
	}
	if (d->len == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xreallocarray(d->v, d->cap, sizeof *d->v);
	}
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	char *msg = arena_alloc(d->arena, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(msg, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	d->v[d->len++] = (struct diag_entry){
		.level = level, .loc = loc, .has_loc = has_loc,
		.status = status, .msg = msg,
	};
}

#define DIAG_FN(name, level, status)					\
void									\
name(struct diag *d, struct srcloc loc, const char *fmt, ...)		\
{									\
	va_list ap;							\
	va_start(ap, fmt);						\
	add(d, level, status, true, loc, fmt, ap);			\
	va_end(ap);							\
}
DIAG_FN(diag_error, DIAG_ERROR, 2)
DIAG_FN(diag_limit, DIAG_ERROR, 3)
DIAG_FN(diag_warning, DIAG_WARNING, 0)
DIAG_FN(diag_note, DIAG_NOTE, 0)

void
diag_error_file(struct diag *d, int status, const char *fmt, ...)
{
	va_list ap;
	struct srcloc none = { 0, 0, 0 };

	va_start(ap, fmt);
	add(d, DIAG_ERROR, status, false, none, fmt, ap);
	va_end(ap);
}

/* Re-records one entry as it is, through add() for its counting. */
static void
again(struct diag *d, const struct diag_entry *e, ...)
{
	va_list ap;

	va_start(ap, e);
	add(d, e->level, e->status, e->has_loc, e->loc, "%s", ap);
	va_end(ap);
}

void
diag_merge(struct diag *d, const struct diag *from)
{
	for (uint32_t i = 0; i < from->len; i++)
		again(d, &from->v[i], from->v[i].msg);
}

static const char *const level_name[] = { "error", "warning", "note" };
static const char *const level_color[] = {
	"\033[1;31m", "\033[1;35m", "\033[1;36m"
};

/* Prints the source line of 'loc' and a caret line under its bytes. */
static void
print_excerpt(const struct source *src, struct srcloc loc, FILE *out,
    bool color)
{
	uint32_t line, col;

	source_linecol(src, loc.off, &line, &col);
	uint32_t start = src->line_off[line - 1];
	uint32_t end = start;
	while (end < src->len && src->text[end] != '\n' &&
	    src->text[end] != '\r')
		end++;
	fprintf(out, "%5u | ", line);
	for (uint32_t i = start; i < end; i++) {
		unsigned char c = (unsigned char)src->text[i];
		/* Keep the terminal safe: control bytes become '?'. */
		fputc(c == '\t' || c >= 0x20 ? (c == 0x7f ? '?' : c) : '?',
		    out);
	}
	fputs("\n      | ", out);
	for (uint32_t i = start; i < loc.off && i < end; i++)
		fputc(src->text[i] == '\t' ? '\t' : ' ', out);
	if (color)
		fputs("\033[1;32m", out);
	fputc('^', out);
	uint32_t len = loc.len;
	if (loc.off + len > end)
		len = end > loc.off ? end - loc.off : 0;
	for (uint32_t i = 1; i < len; i++)
		fputc('~', out);
	if (color)
		fputs("\033[0m", out);
	fputc('\n', out);
}

/*
 * Whether warnings 'a' and 'b' are of one kind: the same text once every
 * quoted name ('...') is set aside.
 */
static bool
same_kind(const char *a, const char *b)
{
	for (;;) {
		if (*a == '\'' && *b == '\'') {
			a = strchr(a + 1, '\'');
			b = strchr(b + 1, '\'');
			if (!a || !b)
				return !a && !b;
		} else if (*a != *b) {
			return false;
		} else if (!*a) {
			return true;
		}
		a++;
		b++;
	}
}

/*
 * Per warning, its rank among the warnings of its kind (1-based) and
 * the size of the kind, when some kind has more than d->warn_cap
 * warnings; heap arrays (NULL when nothing is capped).
 */
static void
rank_warnings(const struct diag *d, uint32_t **rank, uint32_t **total)
{
	uint32_t *kind = xcalloc(d->len + 1, sizeof *kind);
	uint32_t *first = xcalloc(d->len + 1, sizeof *first);
	uint32_t *count = xcalloc(d->len + 1, sizeof *count);
	uint32_t nkinds = 0;
	bool capped = false;

	*rank = *total = NULL;
	for (uint32_t i = 0; i < d->len; i++) {
		if (d->v[i].level != DIAG_WARNING)
			continue;
		uint32_t k = 0;
		while (k < nkinds &&
		    !same_kind(d->v[first[k]].msg, d->v[i].msg))
			k++;
		if (k == nkinds)
			first[nkinds++] = i;
		kind[i] = k;
		capped |= ++count[k] > d->warn_cap;
	}
	if (capped) {
		*rank = xcalloc(d->len + 1, sizeof **rank);
		*total = xcalloc(d->len + 1, sizeof **total);
		uint32_t *seen = xcalloc(nkinds + 1, sizeof *seen);
		for (uint32_t i = 0; i < d->len; i++)
			if (d->v[i].level == DIAG_WARNING) {
				(*rank)[i] = ++seen[kind[i]];
				(*total)[i] = count[kind[i]];
			}
		free(seen);
	}
	free(kind);
	free(first);
	free(count);
}

/* Length of the well-formed UTF-8 sequence at 's' that is not a C1
 * control, or 0 (overlong forms, surrogates, past U+10FFFF). */
static size_t
utf8_len(const unsigned char *s)
{
	static const uint32_t min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : s[0] >= 0xe0 &&
	    s[0] < 0xf0 ? 3 : s[0] >= 0xf0 && s[0] < 0xf5 ? 4 : 0;
	uint32_t c = s[0] & (0x7f >> len);

	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (len == 0 || c < min[len] || c > 0x10ffff ||
	    (c >= 0xd800 && c < 0xe000) || c < 0xa0)
		return 0;
	return len;
}

void
diag_put_safe(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t len = *p >= 0x20 && *p < 0x7f ? 1 : *p >= 0x80 ?
		    utf8_len(p) : 0;
		if (len) {
			fwrite(p, 1, len, out);
			p += len;
		} else {
			fprintf(out, "\\x%02x", *p++);
		}
	}
}

static void print_all(const struct diag *d, FILE *out, bool color);

/*
 * The records are formatted in memory and written at once: stderr is
 * unbuffered, and the excerpt of a 1 MB line went out one byte per
 * write(2) (two million system calls).
 */
void
diag_print(const struct diag *d, FILE *out, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	if (!mem)
		fatal("out of memory");
	print_all(d, mem, color);
	if (fclose(mem) != 0)
		fatal("out of memory");
	fwrite(buf, 1, len, out);
	free(buf);
}

static void
print_all(const struct diag *d, FILE *out, bool color)
{
	bool shown = true;
	uint32_t *rank = NULL, *total = NULL, more = 0;

	if (d->warn_cap && !d->hide_warnings)
		rank_warnings(d, &rank, &total);
	for (uint32_t i = 0; i <= d->len; i++) {
		/* The "and N more" line goes after the last warning shown of
		 * its kind, and after that warning's notes. */
		if (more && (i == d->len || d->v[i].level != DIAG_NOTE)) {
			fprintf(out, "%s: note: ... and %u more like this "
			    "(--warnings=all)\n", d->src ? d->src->path :
			    d->path ? d->path : "charcheck", more);
			more = 0;
		}
		if (i == d->len)
			break;
		const struct diag_entry *e = &d->v[i];
		/* A hidden warning takes its notes with it. */
		if (e->level != DIAG_NOTE)
			shown = !(d->hide_warnings && e->level == DIAG_WARNING);
		if (shown && rank && e->level == DIAG_WARNING) {
			shown = rank[i] <= d->warn_cap;
			if (rank[i] == d->warn_cap && total[i] > d->warn_cap)
				more = total[i] - d->warn_cap;
		}
		if (!shown)
			continue;
		const char *path = d->src ? d->src->path : d->path ? d->path :
		    "charcheck";

		if (color)
			fputs("\033[1m", out);
		diag_put_safe(out, path);
		if (e->has_loc && d->src) {
			uint32_t line, col;
			source_linecol(d->src, e->loc.off, &line, &col);
			fprintf(out, ":%u:%u: ", line, col);
		} else {
			fputs(": ", out);
		}
		if (color)
			fprintf(out, "%s%s:\033[0m\033[1m %s\033[0m\n",
			    level_color[e->level], level_name[e->level],
			    e->msg);
		else
			fprintf(out, "%s: %s\n", level_name[e->level], e->msg);
		if (e->has_loc && d->src)
			print_excerpt(d->src, e->loc, out, color);
	}
	if (d->truncated)
		fprintf(out,
		    "%s: note: too many errors (%u); stopped after %d\n",
		    d->src ? d->src->path : "charcheck", d->nerrors,
		    DIAG_MAX_ERRORS);
	free(rank);
	free(total);
}
