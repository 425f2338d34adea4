/*
 * lsp_check.c - the language server's full check (RUN_CHECK) on a worker
 * thread, so that the server keeps answering while a big model is
 * checked.  GLPK's state is global, so there is one worker at a time.  A
 * change of the text cancels the check through the --timeout deadline
 * (deadline.h), which every long loop of the engines polls; the main
 * thread drops the stale result.
 */
#include "lsp.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "deadline.h"

static struct {
	bool busy;		/* a worker is running or not yet joined */
	bool cancelled;		/* its result is to be dropped */
	pthread_t th;
	int pipe[2];		/* the worker writes a byte when done */
	double started;		/* run_clock() */
	struct lsp_check_run *job;	/* heap */
	char *uri, *path, *text;	/* heap copies for the worker */
	size_t len;
	struct space_opts so;
	struct check_opts co;	/* tolerance shared read-only */
} w = { .pipe = { -1, -1 } };

void
lsp_check_init(const struct space_opts *so, const struct check_opts *co)
{
	w.so = *so;
	w.co = *co;
	w.co.progress = NULL;	/* the CLI's progress line: not here */
	if (pipe(w.pipe) != 0)
		fatal("cannot create a pipe");
}

void
lsp_check_run_free(struct lsp_check_run *cr)
{
	if (!cr)
		return;
	run_free(&cr->run);
	free(cr);
}

static void
job_free(void)
{
	lsp_check_run_free(w.job);
	free(w.uri);
	free(w.path);
	free(w.text);
	w.job = NULL;
	w.uri = w.path = w.text = NULL;
}

static void *
work(void *arg)
{
	(void)arg;
	run_text(&w.job->run, w.path, w.text, w.len, RUN_CHECK, &w.so,
	    &w.co);
	while (write(w.pipe[1], "", 1) < 0)
		;
	return NULL;
}

bool
lsp_check_busy(void)
{
	return w.busy;
}

bool
lsp_check_running(const struct lsp_doc *d)
{
	return w.busy && !w.cancelled && w.job->gen == d->gen &&
	    !strcmp(w.uri, d->uri);
}

int
lsp_check_fd(void)
{
	return w.pipe[0];
}

double
lsp_check_age(void)
{
	return w.busy ? run_clock() - w.started : 0;
}

void
lsp_check_start(struct lsp_doc *d)
{
	if (w.busy)
		internal_error();
	w.job = xcalloc(1, sizeof *w.job);
	w.job->gen = d->gen;
	w.uri = xstrdup(d->uri);
	w.path = xstrdup(d->path);
	w.text = xmalloc(d->len + 1);
	memcpy(w.text, d->text, d->len + 1);
	w.len = d->len;
	w.cancelled = false;
	w.started = run_clock();
	deadline_reset();
	if (pthread_create(&w.th, NULL, work, NULL) != 0)
		fatal("cannot start the check thread");
	w.busy = true;
}

void
lsp_check_cancel(const char *uri)
{
	if (!w.busy || (uri && strcmp(uri, w.uri) != 0))
		return;
	w.cancelled = true;
	deadline_expire();
}

struct lsp_doc *
lsp_check_collect(struct lsp_doc *list)
{
	char byte;
	struct lsp_doc *d;

	if (!w.busy)
		return NULL;
	pthread_join(w.th, NULL);
	while (read(w.pipe[0], &byte, 1) < 0)
		;
	w.busy = false;
	deadline_reset();
	d = lsp_doc_find(list, w.uri);
	if (w.cancelled || !d || d->gen != w.job->gen) {
		job_free();
		return NULL;
	}
	lsp_check_run_free(d->check);
	d->check = w.job;
	w.job = NULL;
	job_free();
	return d;
}

void
lsp_check_fini(void)
{
	if (w.busy) {
		lsp_check_cancel(NULL);
		lsp_check_collect(NULL);
	}
	close(w.pipe[0]);
	close(w.pipe[1]);
	w.pipe[0] = w.pipe[1] = -1;
}
