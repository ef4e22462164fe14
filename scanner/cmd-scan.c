/* cmd-scan.c: redflag scan: score inputs and print one result each. */
#include <getopt.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/limits.h"
#include "common/log.h"
#include "common/util.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/output.h"
#include "scanner/profile.h"
#include "scanner/scanner.h"
#include "common/banned.h"

/* What every worker shares; read-only once the workers run. */
struct scan_opts {
	const struct output_format *fmt;
	const struct ruleset *rs;
	enum risk_level alert;
	unsigned flags;
	bool profile;
	const struct profile_set *profiles;	/* --profiles, or NULL */
};

/* One input on its way from the walk to standard output. */
struct job {
	struct input_item it;	/* its strings and data owned by the job,
				   unless borrowed */
	struct buf out, err;	/* results and diagnostics, in order */
	bool borrowed;		/* it is the walk's, scanned before it goes */
	bool done, alerted;
	size_t failed;
};

/* A worker: a thread with its own matcher (STYLE: per-thread scanner). */
struct worker {
	struct pool *pool;
	pthread_t thread;
	struct matcher *m;
	struct scan_result res;
	struct buf data;
};

/*
 * A window of jobs: the main thread walks the inputs and fills slots at
 * tail; workers claim slots at claim; the main thread writes finished
 * slots from head, in input order, so the output does not depend on the
 * number of workers.
 */
struct pool {
	const struct scan_opts *opts;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	struct job slots[RF_SCAN_WINDOW];
	size_t head, claim, tail;
	bool finished;
	struct worker *workers;
	size_t nworkers;
	size_t failed;
	bool alerted;
	/* while the main thread waits in pool_flush(): how many jobs from
	 * head must be done to wake it (0: it is not waiting) */
	size_t want;
};

/*
 * When the window is full the main thread waits until it can write this
 * many jobs, then fills the window again in one go: a wake-up (two
 * context switches) per SCAN_REFILL inputs rather than per input. The
 * workers meanwhile have the rest of the window (16 inputs) to go on
 * with, many times what the main thread takes to refill it. 48 rather
 * than 16: `scan -j2` of a 300 MB WARC switched context 7,600 times
 * instead of 19,000 (docs/performance.md, "Two workers").
 */
#define SCAN_REFILL	48
_Static_assert(SCAN_REFILL <= RF_SCAN_WINDOW, "a refill fits the window");

/* Whether the first want jobs of the window are done (lock held). */
static bool
pool_ready(const struct pool *p, size_t want)
{
	size_t i;

	for (i = 0; i < want; i++)
		if (!p->slots[(p->head + i) % RF_SCAN_WINDOW].done)
			return false;
	return true;
}

static void
scan_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag scan [-r RULES]... [-f jsonl|csv|table] "
		"[--alert-level LEVEL]\n"
		"                   [-j N] [--explain] [--profile] "
		"[--profiles PATH]... [-q]\n"
		"                   [-v] [--no-cache] [--cache-dir DIR] "
		"PATH...|-\n\n"
		"Scores each input for trafficking-recruitment indicators.\n"
		"Inputs are files (HTML or text, recognised by content), "
		"directories\n(walked recursively) or - for standard input.\n\n"
		"  -r, --rules PATH        rule file or pack directory "
		"(repeatable);\n"
		"                          default: $REDFLAG_RULES, else %s\n"
		"  -f, --format FORMAT     jsonl (default), csv or table\n"
		"      --alert-level LEVEL exit 1 when a document reaches "
		"LEVEL:\n"
		"                          low, medium (default) or high\n"
		"  -j, --jobs N            scan with N threads (default: one per "
		"CPU);\n"
		"                          the output order stays the input "
		"order\n"
		"      --explain           add the trace behind each score\n"
		"      --profile           time per rule on stderr at the end\n"
		"      --profiles PATH     extraction profiles: a file, or a "
		"folder of\n"
		"                          *.profile files "
		"(redflag-profile(5)); repeatable\n"
		"  -q, --quiet             no warnings on stderr\n"
		"  -v, --verbose           say where the rules came from "
		"(the cache?)\n"
		"      --no-cache          compile the rules, neither reading "
		"nor\n"
		"                          writing the cache of compiled "
		"rules\n"
		"      --cache-dir DIR     keep that cache in DIR (default:\n"
		"                          $REDFLAG_CACHE_DIR, else "
		"$XDG_CACHE_HOME/redflag,\n"
		"                          else ~/.cache/redflag)\n"
		"  -h, --help              this help\n\n"
		"Exit: 0 nothing reached the alert level, 1 something did, "
		"2 usage or a\nbad profile, 3 rule errors, 4 an input could "
		"not be read.\n",
		rules_default_path());
}

struct prof_row {
	const struct rule *rule;
	size_t index;
	struct rule_profile p;
};

static int
cmp_prof(const void *a, const void *b)
{
	const struct prof_row *x = a, *y = b;

	return x->p.ns < y->p.ns ? 1 : x->p.ns > y->p.ns ? -1 : 0;
}

/* Time per rule on stderr, slowest first, with the prefilter's work. */
static void
print_profile(const struct worker *w, size_t nw, const struct ruleset *rs)
{
	size_t i, n = ruleset_count(rs), unfiltered = 0;
	struct prof_row *rows = xcalloc(n + 1, sizeof(*rows));
	uint64_t total = 0;

	for (i = 0; i < n; i++) {
		rows[i].rule = ruleset_rule(rs, i);
		rows[i].index = i;
		for (size_t k = 0; k < nw; k++) {
			struct rule_profile p;

			matcher_profile(w[k].m, i, &p);
			rows[i].p.candidates += p.candidates;
			rows[i].p.skipped += p.skipped;
			rows[i].p.fired += p.fired;
			rows[i].p.ns += p.ns;
			rows[i].p.calls += p.calls;
		}
		total += rows[i].p.ns;
	}
	qsort(rows, n, sizeof(*rows), cmp_prof);
	fprintf(stderr, "%-40s %8s %8s %8s %10s %8s %6s %9s\n", "rule",
		"skipped", "verified", "fired", "total ms", "us/doc", "share",
		"calls/doc");
	for (i = 0; i < n; i++) {
		const struct rule_profile *p = &rows[i].p;
		bool unf = ruleset_rule_unfiltered(rs, rows[i].index);

		unfiltered += unf;
		fprintf(stderr, "%-40s %8llu %8llu %8llu %10.3f %8.1f %5.1f%% "
			"%9.1f%s\n",
			rule_id(rows[i].rule), (unsigned long long)p->skipped,
			(unsigned long long)p->candidates,
			(unsigned long long)p->fired, p->ns / 1e6,
			p->candidates ? p->ns / 1e3 / p->candidates : 0.0,
			total ? 100.0 * p->ns / total : 0.0,
			p->candidates ? (double)p->calls / p->candidates : 0.0,
			unf ? "  (runs on every document)" : "");
	}
	fprintf(stderr, "%zu of %zu rules have a pattern without literal "
		"atoms and run on every document\n", unfiltered, n);
	/* rule times include compiling each pattern on its first use */
	if (rules_load_summary())
		fprintf(stderr, "%s; each pattern's PCRE2 program is "
			"compiled the first time a document needs it\n",
			rules_load_summary());
	free(rows);
}

struct doc_ctx {
	struct worker *w;
	struct job *job;
};

/* Scans one document into its job's buffers. */
static void
scan_doc(struct document *d, void *arg)
{
	struct doc_ctx *c = arg;
	struct worker *w = c->w;
	struct job *job = c->job;
	const struct scan_opts *o = w->pool->opts;
	struct scan_input in;
	bool scored = d->status == DOC_OK || d->status == DOC_TRUNCATED;

	if (d->status == DOC_ERROR) {
		log_to_buf(&job->err, LOG_ERROR, "'%s': %s", d->source,
			   d->error);
	} else if (d->status == DOC_EMPTY) {
		log_to_buf(&job->err, LOG_WARN, "'%s': no text to scan",
			   d->source);
	} else if (d->status == DOC_TRUNCATED) {
		log_to_buf(&job->err, LOG_WARN, "'%s': truncated: %s",
			   d->source, d->note);
	}
	document_scan_input(d, &in);
	if (scored) {
		matcher_scan(w->m, &in, &w->res);
		if (w->res.rule_errors)
			log_to_buf(&job->err, LOG_WARN, "'%s': rule '%s' hit "
				   "its match limit (%zu pattern runs stopped)",
				   d->source, rule_id(w->res.error_rule),
				   w->res.rule_errors);
		if (w->res.level >= o->alert && w->res.level > LEVEL_NONE)
			job->alerted = true;
	}
	o->fmt->document(&job->out, d, scored ? &w->res : NULL, &in,
			 o->flags);
}

/* Scans one input (one or more documents) into its job's buffers. */
static void
scan_job(struct worker *w, struct job *job)
{
	struct doc_ctx c = { w, job };

	job->failed = input_documents(&job->it, &w->data,
				      w->pool->opts->profiles, scan_doc, &c);
}

/*
 * Copies an input item into a job, which then owns the copies; or, with
 * borrow, refers to it, when the job is scanned before the walk goes on
 * (one thread: no copy of every input's bytes).
 */
static void
job_take(struct job *job, const struct input_item *it, bool borrow)
{
	memset(job, 0, sizeof(*job));
	buf_init(&job->out, 0);
	buf_init(&job->err, 0);
	if (borrow) {
		job->it = *it;
		job->borrowed = true;
		return;
	}
	job->it.source = xstrdup(it->source);
	job->it.path = it->path ? xstrdup(it->path) : NULL;
	job->it.url = it->url ? xstrdup(it->url) : NULL;
	job->it.http_charset = it->http_charset ? xstrdup(it->http_charset)
						: NULL;
	job->it.error = it->error ? xstrdup(it->error) : NULL;
	if (it->data) {
		job->it.data = xmemdupz(it->data, it->len);
		job->it.len = it->len;
	}
}

static void
job_release(struct job *job)
{
	buf_release(&job->out);
	buf_release(&job->err);
	if (job->borrowed)
		return;
	free((char *)(uintptr_t)job->it.source);
	free((char *)(uintptr_t)job->it.path);
	free((char *)(uintptr_t)job->it.url);
	free((char *)(uintptr_t)job->it.http_charset);
	free((char *)(uintptr_t)job->it.error);
	free((char *)(uintptr_t)job->it.data);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct pool *p = w->pool;
	struct job *job;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->claim == p->tail && !p->finished)
			pthread_cond_wait(&p->work, &p->mu);
		if (p->claim == p->tail)
			break;
		job = &p->slots[p->claim++ % RF_SCAN_WINDOW];
		pthread_mutex_unlock(&p->mu);
		scan_job(w, job);
		pthread_mutex_lock(&p->mu);
		job->done = true;
		if (p->want && pool_ready(p, p->want))
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/*
 * Writes finished jobs from head, in order, until at most keep jobs are
 * pending, waiting for workers as needed (woken when the jobs it needs,
 * at most SCAN_REFILL, are all done); then goes on writing any that are
 * already done. Called with the lock held; releases it while writing.
 */
static void
pool_flush(struct pool *p, size_t keep)
{
	for (;;) {
		struct job *job;
		size_t pending = p->tail - p->head;

		if (!pending)
			return;
		job = &p->slots[p->head % RF_SCAN_WINDOW];
		if (!job->done) {
			if (pending <= keep)
				return;
			p->want = pending - keep < SCAN_REFILL
				  ? pending - keep : SCAN_REFILL;
			while (!pool_ready(p, p->want))
				pthread_cond_wait(&p->done, &p->mu);
			p->want = 0;
			continue;
		}
		pthread_mutex_unlock(&p->mu);
		fwrite(job->err.data, 1, job->err.len, stderr);
		fwrite(job->out.data, 1, job->out.len, stdout);
		p->failed += job->failed;
		p->alerted |= job->alerted;
		job_release(job);
		pthread_mutex_lock(&p->mu);
		p->head++;
	}
}

/* inputs_enumerate callback: queue one input. */
static void
pool_add(const struct input_item *it, void *arg)
{
	struct pool *p = arg;
	struct job *job, copy;

	/* the copies are made before the lock is taken, so that the
	 * workers do not wait while this thread copies an input's bytes */
	job_take(&copy, it, !p->nworkers);
	pthread_mutex_lock(&p->mu);
	/* room for one more; when there is none, for SCAN_REFILL more */
	if (p->tail - p->head >= RF_SCAN_WINDOW)
		pool_flush(p, RF_SCAN_WINDOW - SCAN_REFILL);
	job = &p->slots[p->tail % RF_SCAN_WINDOW];
	*job = copy;
	if (!p->nworkers) {
		/* one job at a time in this thread, while it is valid */
		p->tail++;
		p->claim++;
		pthread_mutex_unlock(&p->mu);
		scan_job(&p->workers[0], job);
		pthread_mutex_lock(&p->mu);
		job->done = true;
	} else {
		p->tail++;
		pthread_cond_signal(&p->work);
	}
	pool_flush(p, RF_SCAN_WINDOW);	/* whatever is done already */
	pthread_mutex_unlock(&p->mu);
}

static void
worker_init(struct worker *w, struct pool *p)
{
	w->pool = p;
	w->m = matcher_new(p->opts->rs);
	matcher_set_explain(w->m, p->opts->flags & OUT_EXPLAIN);
	matcher_set_profile(w->m, p->opts->profile);
	scan_result_init(&w->res);
	buf_init(&w->data, RF_INPUT_MAX_BYTES + 1);
}

static void
worker_release(struct worker *w)
{
	matcher_free(w->m);
	scan_result_release(&w->res);
	buf_release(&w->data);
}

/* Scans every input with jobs threads (1: in this thread). */
static void
scan_all(const struct scan_opts *o, char **paths, size_t npaths, long jobs,
	 size_t *failed, bool *alerted)
{
	struct pool p;
	size_t i, nw = jobs > 1 ? (size_t)jobs : 1;

	memset(&p, 0, sizeof(p));
	p.opts = o;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.done, NULL);
	p.workers = xcalloc(nw, sizeof(*p.workers));
	for (i = 0; i < nw; i++)
		worker_init(&p.workers[i], &p);
	for (i = 0; jobs > 1 && i < nw; i++) {
		if (pthread_create(&p.workers[i].thread, NULL, worker_main,
				   &p.workers[i]) != 0)
			break;
		p.nworkers++;
	}
	inputs_enumerate(paths, npaths, pool_add, &p);
	pthread_mutex_lock(&p.mu);
	p.finished = true;
	pthread_cond_broadcast(&p.work);
	pool_flush(&p, 0);
	pthread_mutex_unlock(&p.mu);
	for (i = 0; i < p.nworkers; i++)
		pthread_join(p.workers[i].thread, NULL);
	if (o->profile)
		print_profile(p.workers, nw, o->rs);
	for (i = 0; i < nw; i++)
		worker_release(&p.workers[i]);
	free(p.workers);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.done);
	*failed = p.failed;
	*alerted = p.alerted;
}

int
cmd_scan(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "format", required_argument, NULL, 'f' },
		{ "alert-level", required_argument, NULL, 'A' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "explain", no_argument, NULL, 'E' },
		{ "profile", no_argument, NULL, 'P' },
		{ "profiles", required_argument, NULL, 'X' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "cache-dir", required_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct scan_opts o;
	char **rules = NULL, **profiles = NULL;
	size_t nrules = 0, nprofiles = 0, failed;
	struct ruleset *rs = NULL;
	struct profile_set *ps = NULL;
	int c, code = EXIT_CLEAN;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	long long v;
	bool alerted, bad;

	memset(&o, 0, sizeof(o));
	o.fmt = output_format_find("jsonl");
	o.alert = LEVEL_MEDIUM;
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:j:qvh", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'r':
			rules = xreallocarray(rules, nrules + 1,
					      sizeof(*rules));
			rules[nrules++] = optarg;
			break;
		case 'f':
			if (!(o.fmt = output_format_find(optarg))) {
				free(rules);
				free(profiles);
				return usage_error("scan", "unknown format "
						   "'%s' (jsonl, csv, table)",
						   optarg);
			}
			break;
		case 'A':
			if (risk_level_parse(optarg, &o.alert) != RF_OK ||
			    o.alert == LEVEL_NONE) {
				free(rules);
				free(profiles);
				return usage_error("scan", "alert level must be "
						   "low, medium or high, not "
						   "'%s'", optarg);
			}
			break;
		case 'j':
			if (parse_int(optarg, 1, RF_SCAN_MAX_JOBS, &v) !=
			    RF_OK) {
				free(rules);
				free(profiles);
				return usage_error("scan", "jobs must be a "
						   "number from 1 to %d, not "
						   "'%s'", RF_SCAN_MAX_JOBS,
						   optarg);
			}
			jobs = (long)v;
			break;
		case 'q':
			log_set_level(LOG_ERROR);
			break;
		case 'v':
			log_set_level(LOG_INFO);
			break;
		case 'N':
			rules_cache_set(true, NULL);
			break;
		case 'C':
			rules_cache_set(false, optarg);
			break;
		case 'E':
			o.flags |= OUT_EXPLAIN;
			break;
		case 'P':
			o.profile = true;
			break;
		case 'X':
			profiles = xreallocarray(profiles, nprofiles + 1,
						 sizeof(*profiles));
			profiles[nprofiles++] = optarg;
			break;
		case 'h':
			scan_usage(stdout);
			free(rules);
			free(profiles);
			return EXIT_CLEAN;
		default:
			free(rules);
			free(profiles);
			return usage_error("scan", "bad option");
		}
	}
	if (optind >= argc) {
		free(rules);
		free(profiles);
		return usage_error("scan", "nothing to scan: give files, "
				   "directories or - for standard input");
	}
	if (jobs < 1)
		jobs = 1;
	if (jobs > RF_SCAN_MAX_JOBS)
		jobs = RF_SCAN_MAX_JOBS;
	ps = profiles_load(profiles, nprofiles, &bad);
	free(profiles);
	if (bad) {
		free(rules);
		return EXIT_USAGE;
	}
	rs = rules_load(rules, nrules, false, &code);
	free(rules);
	if (!rs) {
		profile_set_free(ps);
		return code;
	}
	o.rs = rs;
	o.profiles = ps;
	if (o.fmt->begin) {
		struct buf head;

		buf_init(&head, 0);
		o.fmt->begin(&head);
		fwrite(head.data, 1, head.len, stdout);
		buf_release(&head);
	}
	scan_all(&o, argv + optind, (size_t)(argc - optind), jobs, &failed,
		 &alerted);
	ruleset_free(rs);
	profile_set_free(ps);
	if (failed)
		return EXIT_RUNTIME;
	return alerted ? EXIT_ALERT : EXIT_CLEAN;
}
