/*
 * lsp.c - 'charcheck lsp': the language server's protocol side.  Reads
 * JSON-RPC 2.0 messages framed by Content-Length headers from stdin,
 * dispatches them (lifecycle, text sync, the requests of lsp_feat.c) and
 * writes responses and notifications on the original stdout, which is
 * kept for the protocol alone: fd 1 is pointed at stderr.  The full
 * check runs on lsp_check.c's worker; poll() waits for input, the worker
 * and the typing pause at once.
 */
#define _GNU_SOURCE 1	/* memmem */

#include "lsp.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "commands.h"
#include "deadline.h"
#include "report.h"

/* JSON-RPC and LSP error codes. */
enum {
	ERR_PARSE = -32700, ERR_INVALID_REQUEST = -32600,
	ERR_METHOD_NOT_FOUND = -32601, ERR_INVALID_PARAMS = -32602,
	ERR_NOT_INITIALIZED = -32002, ERR_REQUEST_FAILED = -32803
};

#define MAX_HEADER 8192			/* bytes before the blank line */
#define MAX_BODY ((size_t)64 << 20)	/* a bigger message is skipped */
#define CHECK_BUDGET 60.0		/* seconds for one full check */
#define CHECK_DELAY 0.4			/* seconds of no typing */

struct lsp_server {
	int out;		/* the protocol's fd (the original stdout) */
	bool broken;		/* writing failed: the client is gone */
	char *buf;		/* unread input, heap */
	size_t len, cap;
	size_t skip;		/* bytes of a too big body still to drop */
	bool eof;
	bool initialized, shutdown, exited;
	bool lens_refresh;	/* takes workspace/codeLens/refresh */
	double delay;		/* pause before a check (s); < 0: off */
	unsigned nrefresh;	/* ids of our own requests */
	struct lsp_doc *docs;
};

/* ---------------------------------------------------------------------
 * Output.
 */

/* 's' with every byte that is not UTF-8 replaced by U+FFFD. */
static char *
utf8_clean(const char *s, size_t *len)
{
	size_t n = strlen(s), k = 0;
	char *out = xreallocarray(NULL, n + 1, 3);
	uint32_t cp;

	while (*s) {
		size_t step = report_utf8_next((const unsigned char *)s, &cp);
		if (step == 0) {
			memcpy(out + k, "\xef\xbf\xbd", 3);
			k += 3, s++;
		} else {
			memcpy(out + k, s, step);
			k += step, s += step;
		}
	}
	out[k] = '\0';
	*len = k;
	return out;
}

static void
write_all(struct lsp_server *s, const char *p, size_t n)
{
	while (n && !s->broken) {
		ssize_t k = write(s->out, p, n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			s->broken = true;
			return;
		}
		p += k, n -= (size_t)k;
	}
}

/* Sends 'msg' (taken over) with its header. */
static void
send_msg(struct lsp_server *s, struct json_object *msg)
{
	char head[64];
	size_t len;

	json_object_object_add(msg, "jsonrpc", json_object_new_string("2.0"));
	char *body = utf8_clean(json_object_to_json_string_ext(msg,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), &len);
	int n = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n",
	    len);
	write_all(s, head, (size_t)n);
	write_all(s, body, len);
	free(body);
	json_object_put(msg);
}

static void
reply(struct lsp_server *s, struct json_object *id, struct json_object *res)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "id", json_object_get(id));
	json_object_object_add(m, "result", res);
	send_msg(s, m);
}

static void
reply_error(struct lsp_server *s, struct json_object *id, int code,
    const char *msg)
{
	struct json_object *m = json_object_new_object();
	struct json_object *e = json_object_new_object();

	json_object_object_add(e, "code", json_object_new_int(code));
	json_object_object_add(e, "message", json_object_new_string(msg));
	json_object_object_add(m, "id", json_object_get(id));
	json_object_object_add(m, "error", e);
	send_msg(s, m);
}

static void
notify(struct lsp_server *s, const char *method, struct json_object *params)
{
	struct json_object *m = json_object_new_object();

	json_object_object_add(m, "method", json_object_new_string(method));
	json_object_object_add(m, "params", params);
	send_msg(s, m);
}

static void
publish(struct lsp_server *s, const struct lsp_doc *d)
{
	struct json_object *p = json_object_new_object();

	json_object_object_add(p, "uri", json_object_new_string(d->uri));
	json_object_object_add(p, "diagnostics", lsp_doc_diagnostics(d));
	notify(s, "textDocument/publishDiagnostics", p);
}

/* A finished check changes the lenses: ask the client to fetch them. */
static void
refresh_lenses(struct lsp_server *s)
{
	struct json_object *m;
	char id[32];

	if (!s->lens_refresh)
		return;
	m = json_object_new_object();
	snprintf(id, sizeof id, "charcheck-%u", ++s->nrefresh);
	json_object_object_add(m, "id", json_object_new_string(id));
	json_object_object_add(m, "method",
	    json_object_new_string("workspace/codeLens/refresh"));
	send_msg(s, m);
}

/* ---------------------------------------------------------------------
 * Parameters.
 */

static const char *
get_str(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static struct json_object *
get_obj(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_object))
		return NULL;
	return v;
}

static bool
get_uint(struct json_object *o, const char *key, uint32_t *out)
{
	struct json_object *v;

	if (!o || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return false;
	int64_t n = json_object_get_int64(v);
	if (n < 0 || n > UINT32_MAX)
		return false;
	*out = (uint32_t)n;
	return true;
}

/* The open document 'params.textDocument.uri', or NULL. */
static struct lsp_doc *
param_doc(struct lsp_server *s, struct json_object *params)
{
	const char *uri = get_str(get_obj(params, "textDocument"), "uri");

	return uri ? lsp_doc_find(s->docs, uri) : NULL;
}

static bool
param_pos(struct json_object *params, struct lsp_pos *p)
{
	struct json_object *o = get_obj(params, "position");

	return get_uint(o, "line", &p->line) &&
	    get_uint(o, "character", &p->character);
}

/* ---------------------------------------------------------------------
 * Lifecycle and text synchronisation.
 */

static struct json_object *
capabilities(void)
{
	struct json_object *c = json_object_new_object();
	struct json_object *sync = json_object_new_object();
	struct json_object *save = json_object_new_object();
	struct json_object *lens = json_object_new_object();

	json_object_object_add(c, "positionEncoding",
	    json_object_new_string("utf-16"));
	json_object_object_add(sync, "openClose", json_object_new_boolean(1));
	json_object_object_add(sync, "change", json_object_new_int(1));
	json_object_object_add(save, "includeText",
	    json_object_new_boolean(0));
	json_object_object_add(sync, "save", save);
	json_object_object_add(c, "textDocumentSync", sync);
	static const char *const yes[] = { "hoverProvider",
		"definitionProvider", "referencesProvider",
		"documentSymbolProvider", "documentFormattingProvider",
		"renameProvider" };
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		json_object_object_add(c, yes[i], json_object_new_boolean(1));
	json_object_object_add(lens, "resolveProvider",
	    json_object_new_boolean(0));
	json_object_object_add(c, "codeLensProvider", lens);
	return c;
}

static void
on_initialize(struct lsp_server *s, struct json_object *id,
    struct json_object *params)
{
	struct json_object *r, *info;
	struct json_object *ws = get_obj(get_obj(params, "capabilities"),
	    "workspace");
	struct json_object *opt = get_obj(params, "initializationOptions");
	struct json_object *v;

	if (s->initialized) {
		reply_error(s, id, ERR_INVALID_REQUEST, "already initialized");
		return;
	}
	s->initialized = true;
	r = json_object_new_object();
	info = json_object_new_object();
	if (json_object_object_get_ex(get_obj(ws, "codeLens"),
	    "refreshSupport", &v))
		s->lens_refresh = json_object_get_boolean(v);
	/* checkDelayMs: the typing pause before a check; < 0 only on
	 * save (the protocol tests use it to fix the order). */
	if (opt && json_object_object_get_ex(opt, "checkDelayMs", &v) &&
	    (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double)))
		s->delay = json_object_get_double(v) / 1000;
	json_object_object_add(r, "capabilities", capabilities());
	json_object_object_add(info, "name",
	    json_object_new_string("charcheck"));
	json_object_object_add(r, "serverInfo", info);
	reply(s, id, r);
}

/* A full check of 'd' is wanted 'after' seconds from now (< 0: never). */
static void
want_check(struct lsp_doc *d, double after)
{
	d->check_due = after >= 0 && d->front.diag.nerrors == 0;
	d->due = run_clock() + (after > 0 ? after : 0);
}

static void
on_open(struct lsp_server *s, struct json_object *params)
{
	struct json_object *td = get_obj(params, "textDocument");
	const char *uri = get_str(td, "uri");
	struct json_object *text;

	if (!uri || !json_object_object_get_ex(td, "text", &text) ||
	    !json_object_is_type(text, json_type_string))
		return;
	lsp_check_cancel(uri);
	struct lsp_doc *d = lsp_doc_open(&s->docs, uri,
	    json_object_get_string(text), (size_t)json_object_get_string_len(
	    text));
	publish(s, d);
	want_check(d, s->delay);
}

/* Applies one content change: the whole text, or a range of it. */
static void
apply_change(struct lsp_doc *d, struct json_object *ch)
{
	struct json_object *text, *range = get_obj(ch, "range");
	struct lsp_pos a, b;

	if (!json_object_object_get_ex(ch, "text", &text) ||
	    !json_object_is_type(text, json_type_string))
		return;
	const char *t = json_object_get_string(text);
	size_t tlen = (size_t)json_object_get_string_len(text);
	if (!range || !get_uint(get_obj(range, "start"), "line", &a.line) ||
	    !get_uint(get_obj(range, "start"), "character", &a.character) ||
	    !get_uint(get_obj(range, "end"), "line", &b.line) ||
	    !get_uint(get_obj(range, "end"), "character", &b.character)) {
		lsp_doc_set(d, t, tlen);
		return;
	}
	uint32_t lo = lsp_doc_off(d, a), hi = lsp_doc_off(d, b);
	if (hi < lo)
		hi = lo;
	char *buf = xmalloc(d->len - (hi - lo) + tlen + 1);
	memcpy(buf, d->text, lo);
	memcpy(buf + lo, t, tlen);
	memcpy(buf + lo + tlen, d->text + hi, d->len - hi);
	lsp_doc_set(d, buf, d->len - (hi - lo) + tlen);
	free(buf);
}

static void
on_change(struct lsp_server *s, struct json_object *params)
{
	struct lsp_doc *d = param_doc(s, params);
	struct json_object *chs;

	if (!d || !json_object_object_get_ex(params, "contentChanges", &chs) ||
	    !json_object_is_type(chs, json_type_array))
		return;
	lsp_check_cancel(d->uri);
	for (size_t i = 0; i < json_object_array_length(chs); i++)
		apply_change(d, json_object_array_get_idx(chs, i));
	publish(s, d);
	want_check(d, s->delay);
}

static void
on_save(struct lsp_server *s, struct json_object *params)
{
	struct lsp_doc *d = param_doc(s, params);

	/* Unless the current text is checked, or being checked. */
	if (d && !(d->check && d->check->gen == d->gen) &&
	    !lsp_check_running(d))
		want_check(d, 0);
}

static void
on_close(struct lsp_server *s, struct json_object *params)
{
	struct lsp_doc *d = param_doc(s, params);
	struct json_object *p = json_object_new_object();

	if (!d) {
		json_object_put(p);
		return;
	}
	lsp_check_cancel(d->uri);
	/* The client keeps a closed file's last diagnostics: clear them. */
	json_object_object_add(p, "uri", json_object_new_string(d->uri));
	json_object_object_add(p, "diagnostics", json_object_new_array());
	lsp_doc_close(&s->docs, d);
	notify(s, "textDocument/publishDiagnostics", p);
}

/* ---------------------------------------------------------------------
 * Dispatch.
 */

typedef void request_fn(struct lsp_server *s, struct json_object *id,
    struct json_object *params);

static void
on_shutdown(struct lsp_server *s, struct json_object *id,
    struct json_object *params)
{
	(void)params;
	s->shutdown = true;
	lsp_check_cancel(NULL);
	reply(s, id, NULL);
}

/* The requests about a position in an open document. */
static void
on_doc_request(struct lsp_server *s, struct json_object *id,
    struct json_object *params, const char *method)
{
	struct lsp_doc *d = param_doc(s, params);
	struct lsp_reply err = { 0, NULL };
	struct lsp_pos p = { 0, 0 };
	struct json_object *r = NULL, *ctx, *v;
	bool at = strcmp(method, "documentSymbol") &&
	    strcmp(method, "formatting") && strcmp(method, "codeLens");

	if (!d || (at && !param_pos(params, &p))) {
		reply_error(s, id, ERR_INVALID_PARAMS, d ? "no position" :
		    "unknown document (not opened)");
		return;
	}
	if (!strcmp(method, "hover")) {
		r = lsp_hover(d, p);
	} else if (!strcmp(method, "definition")) {
		r = lsp_definition(d, p);
	} else if (!strcmp(method, "references")) {
		ctx = get_obj(params, "context");
		bool with = ctx && json_object_object_get_ex(ctx,
		    "includeDeclaration", &v) && json_object_get_boolean(v);
		r = lsp_references(d, p, with);
	} else if (!strcmp(method, "documentSymbol")) {
		r = lsp_symbols(d);
	} else if (!strcmp(method, "formatting")) {
		r = lsp_formatting(d, &err);
	} else if (!strcmp(method, "codeLens")) {
		r = lsp_code_lens(d);
	} else {
		const char *name = get_str(params, "newName");
		r = name ? lsp_rename(d, p, name, &err) : NULL;
		if (!name)
			err = (struct lsp_reply){ ERR_INVALID_PARAMS,
			    "no newName" };
	}
	if (err.code)
		reply_error(s, id, err.code, err.msg);
	else
		reply(s, id, r);
}

static void
on_request(struct lsp_server *s, struct json_object *id, const char *method,
    struct json_object *params)
{
	static const char *const doc_methods[] = { "hover", "definition",
		"references", "documentSymbol", "formatting", "rename",
		"codeLens" };
	const char *tail = !strncmp(method, "textDocument/", 13) ?
	    method + 13 : NULL;

	if (!strcmp(method, "initialize")) {
		on_initialize(s, id, params);
	} else if (!s->initialized) {
		reply_error(s, id, ERR_NOT_INITIALIZED,
		    "the server is not initialized");
	} else if (s->shutdown) {
		reply_error(s, id, ERR_INVALID_REQUEST,
		    "the server is shutting down");
	} else if (!strcmp(method, "shutdown")) {
		on_shutdown(s, id, params);
	} else {
		for (size_t i = 0; tail && i < sizeof doc_methods /
		    sizeof *doc_methods; i++) {
			if (!strcmp(tail, doc_methods[i])) {
				on_doc_request(s, id, params, tail);
				return;
			}
		}
		reply_error(s, id, ERR_METHOD_NOT_FOUND, "unknown method");
	}
}

static void
on_notification(struct lsp_server *s, const char *method,
    struct json_object *params)
{
	if (!strcmp(method, "exit")) {
		s->exited = true;
		return;
	}
	if (!s->initialized || s->shutdown)
		return;
	if (!strcmp(method, "textDocument/didOpen"))
		on_open(s, params);
	else if (!strcmp(method, "textDocument/didChange"))
		on_change(s, params);
	else if (!strcmp(method, "textDocument/didSave"))
		on_save(s, params);
	else if (!strcmp(method, "textDocument/didClose"))
		on_close(s, params);
	/* initialized, $/cancelRequest, $/setTrace, ...: nothing to do */
}

/* One message body: a request, a notification or a response to us. */
static void
on_message(struct lsp_server *s, const char *body, size_t len)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *m = json_tokener_parse_ex(tok, body, (int)len);
	struct json_object *id = NULL, *params = NULL;
	size_t end = json_tokener_get_parse_end(tok);
	bool has_id;

	/* A bare number is complete only at the end of the input. */
	if (!m && json_tokener_get_error(tok) == json_tokener_continue) {
		m = json_tokener_parse_ex(tok, "", 1);
		end = len;
	}
	bool ok = json_tokener_get_error(tok) == json_tokener_success;
	while (ok && end < len && body[end] && strchr(" \t\r\n", body[end]))
		end++;
	ok = ok && end == len;
	json_tokener_free(tok);
	if (!ok || !m) {
		json_object_put(m);
		reply_error(s, NULL, ERR_PARSE, "parse error");
		return;
	}
	const char *method = get_str(m, "method");
	has_id = json_object_is_type(m, json_type_object) &&
	    json_object_object_get_ex(m, "id", &id);
	json_object_object_get_ex(m, "params", &params);
	if (!json_object_is_type(m, json_type_object) || (!method && !has_id))
		reply_error(s, NULL, ERR_INVALID_REQUEST, "invalid request");
	else if (!method)
		;	/* a response to workspace/codeLens/refresh */
	else if (has_id)
		on_request(s, id, method, params);
	else
		on_notification(s, method, params);
	json_object_put(m);
}

/* ---------------------------------------------------------------------
 * Framing: "Content-Length: N\r\n" (other headers ignored), "\r\n", then
 * N bytes of JSON.
 */

static void
consume(struct lsp_server *s, size_t n)
{
	if (n == 0)
		return;
	memmove(s->buf, s->buf + n, s->len - n);
	s->len -= n;
}

/* The body length of the header block 'h' ('n' bytes), or -1. */
static long long
content_length(const char *h, size_t n)
{
	long long len = -1;

	while (n) {
		const char *eol = memchr(h, '\n', n);
		size_t l = eol ? (size_t)(eol - h) + 1 : n;
		if (l > 16 && !strncasecmp(h, "Content-Length:", 15)) {
			const char *p = h + 15;
			char *end;
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p < '0' || *p > '9')
				return -1;
			errno = 0;
			len = strtoll(p, &end, 10);
			if (errno || !strchr(" \t\r\n", *end) || !*end)
				return -1;
		} else if (l > 2 && !memchr(h, ':', l)) {
			return -1;	/* not a header line */
		}
		h += l, n -= l;
	}
	return len;
}

/* Handles the complete messages in the buffer; false when one is cut. */
static bool
frame(struct lsp_server *s)
{
	size_t drop = s->skip < s->len ? s->skip : s->len;
	char *end;

	consume(s, drop);
	s->skip -= drop;
	if (s->skip || s->len == 0)
		return false;
	end = memmem(s->buf, s->len, "\r\n\r\n", 4);
	if (!end) {
		if (s->len > MAX_HEADER) {
			s->len = 0;
			reply_error(s, NULL, ERR_PARSE, "header too long");
		}
		return false;
	}
	size_t hlen = (size_t)(end - s->buf) + 4;
	long long n = content_length(s->buf, hlen - 2);
	if (n < 0 || (unsigned long long)n > MAX_BODY) {
		consume(s, hlen);
		s->skip = n < 0 ? 0 : (size_t)n;
		reply_error(s, NULL, n < 0 ? ERR_PARSE : ERR_INVALID_REQUEST,
		    n < 0 ? "bad header: no Content-Length" :
		    "message too large");
		return true;
	}
	if (s->len - hlen < (size_t)n)
		return false;
	on_message(s, s->buf + hlen, (size_t)n);
	consume(s, hlen + (size_t)n);
	return true;
}

static void
read_input(struct lsp_server *s)
{
	if (s->cap - s->len < 65536) {
		s->cap = s->cap ? 2 * s->cap : 131072;
		s->buf = xreallocarray(s->buf, s->cap, 1);
	}
	ssize_t k = read(STDIN_FILENO, s->buf + s->len, s->cap - s->len);
	if (k < 0 && errno == EINTR)
		return;
	if (k <= 0)
		s->eof = true;
	else
		s->len += (size_t)k;
}

/* ---------------------------------------------------------------------
 * The loop.
 */

/* Starts the check that is due first, if its time has come. */
static double
schedule(struct lsp_server *s)
{
	double now = run_clock(), wait = -1;

	if (lsp_check_busy()) {
		if (lsp_check_age() > CHECK_BUDGET)
			deadline_expire();	/* a limit, not a cancel */
		return 1;
	}
	for (struct lsp_doc *d = s->docs; d; d = d->next) {
		if (!d->check_due)
			continue;
		if (d->due <= now) {
			d->check_due = false;
			lsp_check_start(d);
			return 1;
		}
		if (wait < 0 || d->due - now < wait)
			wait = d->due - now;
	}
	return wait;
}

static void
wait_events(struct lsp_server *s)
{
	struct pollfd fds[2] = {
		{ .fd = STDIN_FILENO, .events = POLLIN },
		{ .fd = lsp_check_fd(), .events = POLLIN },
	};
	double wait = schedule(s);
	int ms = wait < 0 ? -1 : (int)(wait * 1000) + 1;

	if (poll(fds, 2, ms) < 0)
		return;
	if (fds[1].revents & POLLIN) {
		struct lsp_doc *d = lsp_check_collect(s->docs);
		if (d) {
			publish(s, d);
			refresh_lenses(s);
		}
	}
	if (fds[0].revents & (POLLIN | POLLHUP | POLLERR))
		read_input(s);
}

int
lsp_serve(const struct space_opts *so, const struct check_opts *co)
{
	struct lsp_server s = { .delay = CHECK_DELAY };

	/* The protocol owns the real stdout; stray output goes to stderr. */
	s.out = dup(STDOUT_FILENO);
	if (s.out < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
		fatal("cannot set up stdout");
	signal(SIGPIPE, SIG_IGN);
	lsp_check_init(so, co);
	while (!s.exited && !s.broken) {
		while (!s.exited && frame(&s))
			;
		if (s.exited || s.eof)
			break;
		wait_events(&s);
	}
	lsp_check_fini();
	while (s.docs)
		lsp_doc_close(&s.docs, s.docs);
	free(s.buf);
	close(s.out);
	return s.exited && s.shutdown ? 0 : 1;
}

int
cmd_lsp(const struct cli *c)
{
	return lsp_serve(&c->space, &c->check);
}
