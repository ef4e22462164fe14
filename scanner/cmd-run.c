/*
 * cmd-run.c: redflag run -c JOB.conf, the nightly job: crawl (resuming an
 * unfinished crawl), extract, scan and store every page as it arrives,
 * append a WARC metadata record with each listing's result, mark what
 * disappeared, write the run's report and print its path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/lockfile.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/crawl.h"
#include "crawler/warc.h"
#include "reports/reports.h"
#include "scanner/pipeline.h"
#include "scanner/profile.h"
#include "scanner/scanner.h"
#include "scanner/structure.h"
#include "common/banned.h"

extern char **environ;

static volatile sig_atomic_t run_stop;

static void
on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
}

/* What one run gathers as pages come in. */
struct run_state {
	const struct crawl_job *job;
	struct store *store;
	struct pipeline *pipe;
	struct warc_writer *results;	/* metadata records */
	struct page_out out;
	int64_t run_id;
	enum risk_level alert;
	long pages, listings, alerts_new, high_new, not_modified;
	/* per site of the job: pages blocked, listings extracted */
	long *blocked, *extracted;
	struct profile_set **profiles;	/* per site, or NULL: job_profiles */
	/* sites with a listing that answered 304 and whose earlier
	 * capture could not be read back: their unseen listings are not
	 * marked removed (the 304 gave no text to store) */
	char **sites_304;
	size_t nsites_304, asites_304;
	enum rf_err err;		/* the first store or WARC failure */
};

static bool
site_is_listed(char **list, size_t n, const char *site)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(list[i], site))
			return true;
	return false;
}

/* A payload read back from its WARC record; caller-owned. */
struct stored_payload {
	struct warc_record *rec;
	struct buf inflated;	/* when the record kept Content-Encoding */
	const char *body;
	size_t len;
};

static void
stored_payload_release(struct stored_payload *sp)
{
	warc_record_free(sp->rec);
	buf_release(&sp->inflated);
	memset(sp, 0, sizeof(*sp));
}

/*
 * Reads the payload of the stored page p back from its WARC record (in
 * warc_dir when its file name is relative), undoing a Content-Encoding
 * the record kept. Logs a warning naming the page and returns an error
 * when it cannot.
 */
static enum rf_err
stored_payload_read(const char *warc_dir, const struct store_page *p,
		    struct stored_payload *out)
{
	const struct warc_http_msg *http;
	const char *ce;
	struct buf path;
	enum rf_err err;

	memset(out, 0, sizeof(*out));
	buf_init(&out->inflated, RF_INPUT_MAX_BYTES);
	if (!p->warc_file)
		return RF_ENOENT;
	buf_init(&path, 0);
	if (p->warc_file[0] == '/')
		buf_addstr(&path, p->warc_file);
	else
		buf_addf(&path, "%s/%s", warc_dir, p->warc_file);
	err = warc_read_at(path.data, (uint64_t)p->warc_offset,
			   RF_INPUT_MAX_BYTES, &out->rec);
	buf_release(&path);
	http = err == RF_OK ? warc_record_http(out->rec) : NULL;
	if (err != RF_OK || (!http && warc_record_type(out->rec) !=
			     WARC_TYPE_RESOURCE)) {
		log_warn("'%s': its WARC record (%s at %lld) cannot be read",
			 p->url, p->warc_file, (long long)p->warc_offset);
		return err != RF_OK ? err : RF_EPARSE;
	}
	if (!http) {
		/* a resource record (a file:// page): the block itself */
		out->body = warc_record_block(out->rec, &out->len);
		return RF_OK;
	}
	out->body = http->payload;
	out->len = http->payload_len;
	ce = warc_http_header(http, "Content-Encoding");
	if (ce && *ce && strcmp(ce, "identity") != 0) {
		if (crawl_decode(ce, http->payload, http->payload_len,
				 RF_INPUT_MAX_BYTES, &out->inflated) !=
		    RF_OK) {
			log_warn("'%s': its payload cannot be decoded",
				 p->url);
			return RF_EPARSE;
		}
		out->body = out->inflated.data;
		out->len = out->inflated.len;
	}
	return RF_OK;
}

/* The result of a listing as a WARC metadata record that refers to the
 * response it was read from. */
static enum rf_err
write_result(struct run_state *st, const struct crawl_page *p)
{
	struct warc_capture cap;
	struct warc_loc loc;

	if (!st->results || !st->out.result.len)
		return RF_OK;
	memset(&cap, 0, sizeof(cap));
	cap.target_uri = p->url;
	return warc_write_metadata(st->results, &cap, p->warc_id,
				   "application/json", st->out.result.data,
				   st->out.result.len, &loc);
}

/* The payload of a listing's earlier capture, for a 304. */
struct last_payload {
	const char *warc_dir;
	struct stored_payload payload;
	char *content_type;
	bool ok;
};

static enum rf_err
take_payload(void *arg, const struct store_page *sp)
{
	struct last_payload *lp = arg;

	lp->ok = stored_payload_read(lp->warc_dir, sp, &lp->payload) ==
		 RF_OK;
	if (sp->content_type)
		lp->content_type = xstrdup(sp->content_type);
	return RF_OK;
}

static int
on_page(const struct crawl_page *p, void *arg)
{
	struct run_state *st = arg;
	const struct crawl_site *site = NULL;
	struct last_payload last;
	struct page_in pg;
	size_t i;
	enum rf_err err;

	size_t si = st->job->nsites;

	for (i = 0; i < st->job->nsites; i++)
		if (!strcmp(st->job->sites[i].name, p->site)) {
			site = &st->job->sites[i];
			si = i;
		}
	st->pages++;
	memset(&pg, 0, sizeof(pg));
	memset(&last, 0, sizeof(last));
	/* a site without listing patterns: every page may be a listing */
	pg.is_listing = p->kind == CRAWL_LISTING ||
			(p->kind == CRAWL_PAGE && site && site->nlisting == 0);
	if (p->status == 304 && !p->body) {
		st->not_modified++;
		/* unchanged: read the earlier capture back, so that the
		 * listing is seen (not taken for removed, nor purged) */
		last.warc_dir = st->job->warc_dir;
		if (pg.is_listing &&
		    store_page_last(st->store, p->url, take_payload, &last) ==
			    RF_OK &&
		    last.ok) {
			pg.body = last.payload.body;
			pg.len = last.payload.len;
		} else if (pg.is_listing &&
			   !site_is_listed(st->sites_304, st->nsites_304,
					   p->site)) {
			ALLOC_GROW(st->sites_304, st->nsites_304 + 1,
				   st->asites_304);
			st->sites_304[st->nsites_304++] = xstrdup(p->site);
		}
	}
	pg.url = p->url;
	pg.site = p->site;
	pg.fetched_at = (int64_t)time(NULL);
	pg.http_status = (int)p->status;
	pg.content_type = p->content_type ? p->content_type :
					    last.content_type;
	if (p->body) {
		pg.body = p->body;
		pg.len = p->body_len;
	}
	pg.warc_file = p->warc_file;
	pg.warc_offset = (int64_t)p->warc_offset;
	pg.warc_record_id = p->warc_id;
	pg.profiles = si < st->job->nsites ? st->profiles[si] : NULL;
	err = pipeline_page(st->pipe, &pg, &st->out);
	stored_payload_release(&last.payload);
	free(last.content_type);
	if (si < st->job->nsites && st->out.status == DOC_BLOCKED)
		st->blocked[si]++;
	if (err == RF_OK && st->out.listing) {
		st->listings++;
		if (si < st->job->nsites)
			st->extracted[si]++;
		if (st->out.change != STORE_UNCHANGED &&
		    st->out.level >= st->alert)
			st->alerts_new++;
		if (st->out.change != STORE_UNCHANGED &&
		    st->out.level == LEVEL_HIGH)
			st->high_new++;
		err = write_result(st, p);
	}
	if (err != RF_OK) {
		st->err = err;
		log_error("'%s': cannot store the result: %s", p->url,
			  st->store ? store_errmsg(st->store) : rf_strerror(err));
		return 1;	/* stop: state would go missing */
	}
	return 0;
}

static void
job_profiles_free(const struct crawl_job *job, struct profile_set **sets)
{
	size_t i, k;

	/* sets come from job_profiles(job): none without a job */
	if (!sets || !job)
		return;
	for (i = 0; i < job->nsites; i++) {
		for (k = 0; k < i && sets[k] != sets[i]; k++)
			;
		if (k == i)
			profile_set_free(sets[i]);
	}
	free(sets);
}

/*
 * The extraction profiles of each site of job, from its profile key
 * (sites naming the same path share one set), in a new array of nsites
 * entries, NULL for a site without. Prints what is wrong with a profile
 * file; returns NULL then.
 */
static struct profile_set **
job_profiles(const struct crawl_job *job)
{
	struct profile_set **sets = xcalloc(job->nsites + 1, sizeof(*sets));
	size_t i, k;
	bool bad = false;

	for (i = 0; i < job->nsites && !bad; i++) {
		char *path = job->sites[i].profile;

		if (!path)
			continue;
		for (k = 0; k < i; k++)
			if (job->sites[k].profile &&
			    !strcmp(job->sites[k].profile, path))
				break;
		if (k < i)
			sets[i] = sets[k];
		else
			sets[i] = profiles_load(&path, 1, &bad);
	}
	if (bad) {
		job_profiles_free(job, sets);
		return NULL;
	}
	return sets;
}

static void
on_message(enum crawl_msg_level level, const char *msg, void *arg)
{
	static const enum log_level map[] = {
		LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG,
	};

	(void)arg;
	log_msg(map[level], "%s", msg);
}

/*
 * Writes the run's report in all four formats (reports/) into the job's
 * report folder, each atomically with mode 0640, and prints each path on
 * standard output. *collapsed gets the number of sites whose yield
 * collapsed; *first (a new string) the HTML report's path.
 */
static enum rf_err
write_reports(struct store *store, const struct crawl_job *job,
	      int64_t run_id, size_t *collapsed, char **first)
{
	static const char *const exts[] = { "html", "csv", "jsonl", "md" };
	struct report_opts o;
	struct report *r = NULL;
	struct buf stem, msg;
	char date[16];
	time_t now = time(NULL);
	struct tm tm;
	enum rf_err err;
	size_t i;

	*collapsed = 0;
	*first = NULL;
	if (mkdir(job->report_dir, 0750) != 0 && errno != EEXIST)
		return RF_EIO;
	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	buf_init(&stem, 0);
	buf_init(&msg, 0);
	buf_addf(&stem, "%s-%s-run%lld", job->name, date, (long long)run_id);
	report_opts_init(&o);
	o.run_id = run_id;
	err = report_new(store, &o, &r, &msg);
	if (err == RF_OK)
		err = report_write_all(r, job->report_dir, stem.data, &msg);
	if (err != RF_OK) {
		log_error("cannot write the reports in '%s': %s",
			  job->report_dir, msg.data);
		goto out;
	}
	*collapsed = report_get_sites(r)->ncollapsed;
	for (i = 0; i < RF_ARRAY_SIZE(exts); i++)
		printf("%s/%s.%s\n", job->report_dir, stem.data, exts[i]);
	buf_reset(&msg);
	buf_addf(&msg, "%s/%s.html", job->report_dir, stem.data);
	*first = buf_detach(&msg, NULL);
out:
	report_free(r);
	buf_release(&stem);
	buf_release(&msg);
	return err;
}

/* Runs the job's notify command with the report's path as its argument
 * (and in REDFLAG_REPORT), through /bin/sh, and waits for it. */
static void
notify(const char *command, const char *report, long high)
{
	char count[32], sh[] = "sh", dash_c[] = "-c",
		name[] = "redflag-notify";
	char *argv[6];
	pid_t pid;
	int status;

	argv[0] = sh;
	argv[1] = dash_c;
	argv[2] = (char *)(uintptr_t)command;
	argv[3] = name;
	argv[4] = (char *)(uintptr_t)report;
	argv[5] = NULL;
	snprintf(count, sizeof(count), "%ld", high);
	setenv("REDFLAG_REPORT", report, 1);
	setenv("REDFLAG_NEW_HIGH", count, 1);
	if (posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ) != 0) {
		log_error("cannot run the notify command: %s",
			  strerror(errno));
		return;
	}
	if (waitpid(pid, &status, 0) == pid &&
	    !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		log_error("the notify command failed (status %d)",
			  WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

/* Makes the folders above path (like mkdir -p of its dirname), 0750. */
static enum rf_err
make_parent(const char *path)
{
	char *dir = xstrdup(path), *p;
	enum rf_err err = RF_OK;

	p = strrchr(dir, '/');
	if (!p || p == dir) {
		free(dir);
		return RF_OK;
	}
	*p = '\0';
	for (p = dir + 1; ; p++) {
		if (*p == '/' || *p == '\0') {
			char c = *p;

			*p = '\0';
			if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
				err = RF_EIO;
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	free(dir);
	return err;
}

/*
 * Takes the job's lock, beside its store: one run or rescore at a time.
 * Reports a refusal naming the lock and its holder; returns false then.
 */
static bool
job_lock(const struct crawl_job *job, struct lockfile *lock)
{
	struct buf path, holder;
	enum rf_err e;

	buf_init(&path, 0);
	buf_init(&holder, 0);
	buf_addf(&path, "%s.lock", job->store_path);
	e = lockfile_acquire(lock, path.data, &holder);
	if (e == RF_ELOCKED)
		log_error("another run holds the lock '%s'%s%s%s", path.data,
			  holder.len ? " (" : "", holder.data,
			  holder.len ? ")" : "");
	else if (e != RF_OK)
		log_error("cannot open the lock '%s': %s", path.data,
			  strerror(errno));
	buf_release(&path);
	buf_release(&holder);
	return e == RF_OK;
}

/*
 * Adds J18, the structural sign, from the clusters of run_id, then counts
 * the run's new or changed listings at alert level or above and at high
 * (J18 may have raised some). False when the findings could not be set.
 */
static bool
apply_structure(struct store *store, int64_t run_id, enum risk_level alert,
		long *alerts_new, long *high_new)
{
	const unsigned which = STORE_SEL_NEW | STORE_SEL_CHANGED;
	struct structure_counts sc;
	struct store_listing_list ll;
	struct buf msg;
	bool ok = true;

	buf_init(&msg, 0);
	if (structure_apply(store, run_id, &sc, &msg) != RF_OK) {
		log_error("cannot add the structural findings (J18): %s",
			  msg.data);
		ok = false;
	} else if (sc.listings || sc.chrome) {
		log_info("J18: %zu clusters of shared contacts or texts, "
			 "%zu listings in them, %zu scores changed; %zu "
			 "contacts taken for a site's own", sc.clusters,
			 sc.listings, sc.changed, sc.chrome);
	}
	buf_release(&msg);
	store_listing_list_init(&ll);
	if (store_listings(store, run_id, which, (enum store_level)alert,
			   &ll) == RF_OK)
		*alerts_new = (long)ll.n;
	store_listing_list_release(&ll);
	store_listing_list_init(&ll);
	if (store_listings(store, run_id, which, STORE_LEVEL_HIGH, &ll) ==
	    RF_OK)
		*high_new = (long)ll.n;
	store_listing_list_release(&ll);
	return ok;
}

static void
run_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag run -c JOB.conf [--alert-exit] "
		"[--as-root MODE] [-v]\n\n"
		"The nightly job: crawls the job's sites (resuming an "
		"unfinished crawl),\nscans and stores every listing, marks "
		"what disappeared, writes the run's\nreport and prints its "
		"path. Silent otherwise, unless -v.\n\n"
		"  -c, --config FILE   the job file (redflag-job(5))\n"
		"      --alert-exit    exit 1 when new or changed listings "
		"reached the\n"
		"                      job's alert level (default medium)\n"
		"      --as-root MODE  as root: warn (the default), allow "
		"or refuse;\n"
		"                      overrides the job's as_root\n"
		"  -v, --verbose       progress and a summary on stderr\n\n"
		"Exit: 0 ran to its stop condition, 1 with --alert-exit and "
		"alerts,\n2 usage, 3 rule errors, 4 runtime error (another "
		"run holds the lock,\nthe store or the disk failed).\n");
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "alert-exit", no_argument, NULL, 'A' },
		{ "as-root", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_state st;
	struct crawl_job *job = NULL;
	struct crawl_callbacks cb;
	struct crawl_summary sum;
	struct ruleset *rs = NULL;
	struct lockfile lock = { -1, NULL };
	struct pipeline_opts po;
	struct store_run_start start;
	struct store_run_end end;
	struct sigaction sa;
	struct buf err;
	const char *config = NULL;
	char *report = NULL, *rules[1];
	bool alert_exit = false, verbose = false, crawled = false;
	bool root_set = false;
	enum crawl_root root = CRAWL_ROOT_WARN;
	int c, code = EXIT_CLEAN;
	size_t i, removed = 0, collapsed = 0;
	enum rf_err e;

	memset(&st, 0, sizeof(st));
	memset(&sum, 0, sizeof(sum));
	buf_init(&err, 0);
	page_out_init(&st.out);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c': config = optarg; break;
		case 'A': alert_exit = true; break;
		case 'R':
			if (crawl_root_parse(optarg, &root) != RF_OK) {
				code = usage_error("run", "bad --as-root '%s': "
						   "warn, allow or refuse",
						   optarg);
				goto out;
			}
			root_set = true;
			break;
		case 'v': verbose = true; break;
		case 'h':
			run_usage(stdout);
			code = EXIT_CLEAN;
			goto out;
		default:
			code = usage_error("run", "bad option");
			goto out;
		}
	}
	if (!config || optind < argc) {
		code = usage_error("run", config ? "unexpected argument '%s'"
				   : "a job file is required: -c JOB.conf%s",
				   config ? argv[optind] : "");
		goto out;
	}
	log_set_timestamps(true);
	if (verbose)
		log_set_level(LOG_INFO);
	if (crawl_job_load(config, &job, &err) != RF_OK ||
	    crawl_job_check(job, &err) != RF_OK) {
		fputs(err.data, stderr);
		code = EXIT_USAGE;
		goto out;
	}
	if (!(st.profiles = job_profiles(job))) {
		code = EXIT_USAGE;
		goto out;
	}
	if (!root_allowed(root_set ? root : job->root,
			  root_set ? "--as-root" : config)) {
		code = EXIT_RUNTIME;
		goto out;
	}
	st.job = job;
	st.blocked = xcalloc(job->nsites + 1, sizeof(*st.blocked));
	st.extracted = xcalloc(job->nsites + 1, sizeof(*st.extracted));
	st.alert = LEVEL_MEDIUM;
	if (job->alert_level &&
	    risk_level_parse(job->alert_level, &st.alert) != RF_OK)
		st.alert = LEVEL_MEDIUM;
	if (make_parent(job->store_path) != RF_OK ||
	    make_parent(job->db_path) != RF_OK ||
	    make_parent(job->warc_dir) != RF_OK ||
	    make_parent(job->report_dir) != RF_OK) {
		log_error("cannot make the job's folders: %s", strerror(errno));
		code = EXIT_RUNTIME;
		goto out;
	}
	if (!job_lock(job, &lock)) {
		code = EXIT_RUNTIME;
		goto out;
	}
	rules[0] = job->rules_path;
	rs = rules_load(rules, job->rules_path ? 1 : 0, false, &code);
	if (!rs)
		goto out;
	if (store_open(job->store_path, STORE_CREATE, &st.store) != RF_OK) {
		log_error("cannot open the store '%s': %s", job->store_path,
			  st.store ? store_errmsg(st.store) : "");
		code = EXIT_RUNTIME;
		goto out;
	}
	if (store_runs_interrupt(st.store, job->name,
				 (enum store_level)st.alert, NULL) != RF_OK)
		log_warn("cannot close earlier unfinished runs: %s",
			 store_errmsg(st.store));
	memset(&start, 0, sizeof(start));
	start.job = job->name;
	start.rules_version = redflag_version;
	start.rules_hash = ruleset_hash(rs);
	if (store_run_begin(st.store, &start, &st.run_id) != RF_OK) {
		log_error("cannot record the run: %s", store_errmsg(st.store));
		code = EXIT_RUNTIME;
		goto out;
	}
	memset(&po, 0, sizeof(po));
	po.rs = rs;
	po.store = st.store;
	po.run_id = st.run_id;
	st.pipe = pipeline_new(&po);
	if (mkdir(job->warc_dir, 0750) != 0 && errno != EEXIST)
		log_warn("cannot make '%s': %s", job->warc_dir,
			 strerror(errno));
	if (warc_writer_open(job->warc_dir, "results", job->warc_max_bytes,
			     NULL, &st.results) != RF_OK) {
		log_error("cannot write WARC metadata records in '%s'",
			  job->warc_dir);
		code = EXIT_RUNTIME;
		goto out;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	memset(&cb, 0, sizeof(cb));
	cb.page = on_page;
	/* the store keeps where each record is: it must be on disk first */
	cb.page_synced = true;
	cb.message = on_message;
	cb.arg = &st;
	cb.stop = &run_stop;
	e = crawl_run(job, &cb, &sum);
	crawled = e == RF_OK && !st.err;
	if (e == RF_ELOCKED)
		log_error("another crawl holds the state database '%s'",
			  job->db_path);
	else if (e != RF_OK && !st.err)
		log_error("the crawl failed: %s", rf_strerror(e));
	/*
	 * Listings gone from sites crawled to completion: a site whose
	 * pages are all due again each run (recrawl set), fetched in this
	 * run, crawled until nothing was left, and without a listing that
	 * answered 304 and whose earlier capture could not be read back
	 * (that listing would look gone).
	 */
	if (crawled && sum.stop == CRAWL_STOP_EXHAUSTED) {
		const char **sites = xcalloc(job->nsites + 1, sizeof(*sites));
		size_t n = 0, h;

		for (i = 0; i < job->nsites; i++) {
			const char *name = job->sites[i].name;
			bool fetched = false;

			for (h = 0; h < sum.nhosts; h++)
				if (sum.hosts[h].site &&
				    !strcmp(sum.hosts[h].site, name) &&
				    sum.hosts[h].fetched > 0)
					fetched = true;
			if (job->sites[i].recrawl > 0 && fetched &&
			    !site_is_listed(st.sites_304, st.nsites_304, name))
				sites[n++] = name;
		}
		if (n && store_mark_removed(st.store, st.run_id, sites, n,
					    &removed) != RF_OK)
			log_error("cannot mark removed listings: %s",
				  store_errmsg(st.store));
		free(sites);
	}
	for (i = 0; i < job->nsites; i++) {
		struct store_site_counts sc;
		size_t h;

		memset(&sc, 0, sizeof(sc));
		for (h = 0; h < sum.nhosts; h++) {
			if (!sum.hosts[h].site ||
			    strcmp(sum.hosts[h].site, job->sites[i].name))
				continue;
			sc.pages_fetched += sum.hosts[h].fetched;
			sc.errors += sum.hosts[h].errors;
		}
		sc.pages_blocked = st.blocked[i];
		sc.listings_extracted = st.extracted[i];
		if (store_site_stats_add(st.store, st.run_id,
					 job->sites[i].name, &sc) != RF_OK)
			log_warn("cannot record site figures: %s",
				 store_errmsg(st.store));
	}
	if (!apply_structure(st.store, st.run_id, st.alert, &st.alerts_new,
			     &st.high_new))
		code = EXIT_RUNTIME;
	memset(&end, 0, sizeof(end));
	end.status = crawled ? (sum.stop == CRAWL_STOP_INTERRUPTED
				? STORE_RUN_INTERRUPTED : STORE_RUN_FINISHED)
			     : STORE_RUN_FAILED;
	end.stop_reason = crawled ? crawl_stop_name(sum.stop) : "failed";
	end.alert_level = (enum store_level)st.alert;
	if (store_run_finish(st.store, st.run_id, &end) != RF_OK)
		log_error("cannot finish the run: %s", store_errmsg(st.store));
	if (job->retention_days > 0) {
		size_t purged = 0;

		if (store_purge(st.store, (int)job->retention_days, &purged) !=
		    RF_OK)
			log_error("cannot purge old listings: %s",
				  store_errmsg(st.store));
		else if (purged)
			log_info("purged %zu listings unseen for %ld days",
				 purged, job->retention_days);
	}
	if (write_reports(st.store, job, st.run_id, &collapsed, &report) !=
	    RF_OK) {
		code = EXIT_RUNTIME;
	} else if (job->notify && (st.high_new > 0 || collapsed > 0)) {
		/* new dangerous listings, or a site gone silent, which
		 * otherwise looks exactly like a safe one */
		notify(job->notify, report, st.high_new);
	}
	log_info("run %lld: %s; %ld pages, %ld listings (%ld new or changed "
		 "at %s or above), %zu removed", (long long)st.run_id,
		 crawled ? crawl_stop_name(sum.stop) : "failed", st.pages,
		 st.listings, st.alerts_new, risk_level_name(st.alert),
		 removed);
	if (!crawled)
		code = EXIT_RUNTIME;
	else if (alert_exit && st.alerts_new > 0 && code == EXIT_CLEAN)
		code = EXIT_ALERT;
out:
	if (st.results && warc_writer_close(st.results) != RF_OK) {
		log_error("cannot close the WARC metadata file");
		code = EXIT_RUNTIME;
	}
	pipeline_free(st.pipe);
	if (st.store)
		store_close(st.store);
	lockfile_release(&lock);
	crawl_summary_release(&sum);
	ruleset_free(rs);
	page_out_release(&st.out);
	for (i = 0; i < st.nsites_304; i++)
		free(st.sites_304[i]);
	free(st.sites_304);
	free(st.blocked);
	free(st.extracted);
	job_profiles_free(job, st.profiles);
	crawl_job_free(job);
	free(report);
	buf_release(&err);
	return code;
}

/* ---- rescore ---- */

struct rescore_state {
	const struct crawl_job *job;
	struct profile_set **profiles;	/* per site: job_profiles */
	struct store *store;
	struct pipeline *pipe;
	struct page_out out;
	char **listings;		/* URLs of the listings to rescore */
	size_t nlistings;
	long pages, rescored, missing, changed_level;
	enum rf_err err;
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads one stored page back from its WARC record and runs it through
 * the pipeline of the new run. */
static enum rf_err
rescore_page(void *arg, const struct store_page *sp)
{
	struct rescore_state *st = arg;
	struct last_payload last;
	struct page_in pg;
	const char *key = sp->url;
	enum rf_err err;
	size_t i;

	st->pages++;
	if (!sp->warc_file || !bsearch(&key, st->listings, st->nlistings,
				       sizeof(*st->listings), cmp_str))
		return RF_OK;
	memset(&last, 0, sizeof(last));
	last.warc_dir = st->job->warc_dir;
	if (sp->http_status == 304) {
		/* a revisit record has no payload: the earlier capture's */
		if (store_page_last(st->store, sp->url, take_payload, &last) !=
		    RF_OK)
			log_warn("'%s': no earlier capture of this 304",
				 sp->url);
	} else {
		take_payload(&last, sp);
	}
	if (!last.ok) {
		st->missing++;
		stored_payload_release(&last.payload);
		free(last.content_type);
		return RF_OK;
	}
	memset(&pg, 0, sizeof(pg));
	pg.url = sp->url;
	pg.site = sp->site;
	pg.fetched_at = sp->fetched_at;
	pg.http_status = sp->http_status ? sp->http_status : 200;
	pg.content_type = last.content_type;
	pg.body = last.payload.body;
	pg.len = last.payload.len;
	pg.warc_file = sp->warc_file;
	pg.warc_offset = sp->warc_offset;
	pg.warc_record_id = sp->warc_record_id;
	pg.is_listing = true;
	for (i = 0; sp->site && i < st->job->nsites; i++)
		if (!strcmp(st->job->sites[i].name, sp->site))
			pg.profiles = st->profiles[i];
	err = pipeline_page(st->pipe, &pg, &st->out);
	stored_payload_release(&last.payload);
	free(last.content_type);
	if (err != RF_OK) {
		st->err = err;
		return err;
	}
	if (st->out.listing)
		st->rescored++;
	return RF_OK;
}

static void
rescore_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag rescore -c JOB.conf [--as-root MODE] [-v]\n\n"
		"Applies today's rules to the listings of the job's last "
		"finished run,\nread back from its WARC files, without "
		"crawling, and records the new\nscores as a run of their "
		"own; writes its report and prints its path.\n\n"
		"      --as-root MODE  as root: warn (the default), allow "
		"or refuse;\n"
		"                      overrides the job's as_root\n");
}

int
cmd_rescore(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "as-root", required_argument, NULL, 'R' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rescore_state st;
	struct crawl_job *job = NULL;
	struct ruleset *rs = NULL;
	struct lockfile lock = { -1, NULL };
	struct pipeline_opts po;
	struct store_run prev;
	struct store_listing_list ll;
	struct store_run_start start;
	struct store_run_end end;
	struct buf err;
	const char *config = NULL;
	char *report = NULL, *rules[1];
	int c, code = EXIT_CLEAN;
	int64_t run_id = 0;
	size_t i, collapsed = 0;
	enum rf_err e;
	enum crawl_root root = CRAWL_ROOT_WARN;
	bool root_set = false;

	memset(&st, 0, sizeof(st));
	buf_init(&err, 0);
	page_out_init(&st.out);
	store_run_init(&prev);
	store_listing_list_init(&ll);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		if (c == 'c') {
			config = optarg;
		} else if (c == 'R') {
			if (crawl_root_parse(optarg, &root) != RF_OK) {
				code = usage_error("rescore", "bad --as-root "
						   "'%s': warn, allow or "
						   "refuse", optarg);
				goto out;
			}
			root_set = true;
		} else if (c == 'v') {
			log_set_level(LOG_INFO);
		} else if (c == 'h') {
			rescore_usage(stdout);
			goto out;
		} else {
			code = usage_error("rescore", "bad option");
			goto out;
		}
	}
	if (!config || optind < argc) {
		code = usage_error("rescore", "a job file is required: -c "
				   "JOB.conf");
		goto out;
	}
	log_set_timestamps(true);
	if (crawl_job_load(config, &job, &err) != RF_OK) {
		fputs(err.data, stderr);
		code = EXIT_USAGE;
		goto out;
	}
	if (!(st.profiles = job_profiles(job))) {
		code = EXIT_USAGE;
		goto out;
	}
	if (!root_allowed(root_set ? root : job->root,
			  root_set ? "--as-root" : config)) {
		code = EXIT_RUNTIME;
		goto out;
	}
	st.job = job;
	if (make_parent(job->store_path) != RF_OK) {
		log_error("cannot make the folder of '%s': %s",
			  job->store_path, strerror(errno));
		code = EXIT_RUNTIME;
		goto out;
	}
	if (!job_lock(job, &lock)) {
		code = EXIT_RUNTIME;
		goto out;
	}
	rules[0] = job->rules_path;
	rs = rules_load(rules, job->rules_path ? 1 : 0, false, &code);
	if (!rs)
		goto out;
	if (store_open(job->store_path, 0, &st.store) != RF_OK) {
		log_error("cannot open the store '%s': %s", job->store_path,
			  st.store ? store_errmsg(st.store) : "");
		code = EXIT_RUNTIME;
		goto out;
	}
	if (store_run_previous(st.store, job->name, 0, &prev) != RF_OK) {
		log_error("the store '%s' has no finished run of job '%s' to "
			  "rescore", job->store_path, job->name);
		code = EXIT_RUNTIME;
		goto out;
	}
	if (store_listings(st.store, prev.id, STORE_SEL_SEEN, STORE_LEVEL_NONE,
			   &ll) != RF_OK) {
		log_error("cannot read the listings: %s",
			  store_errmsg(st.store));
		code = EXIT_RUNTIME;
		goto out;
	}
	st.listings = xcalloc(ll.n + 1, sizeof(*st.listings));
	for (i = 0; i < ll.n; i++)
		st.listings[i] = (char *)(uintptr_t)ll.items[i].url;
	st.nlistings = ll.n;
	if (ll.n)
		qsort(st.listings, ll.n, sizeof(*st.listings), cmp_str);
	memset(&start, 0, sizeof(start));
	start.job = job->name;
	start.rules_version = redflag_version;
	start.rules_hash = ruleset_hash(rs);
	if (store_run_begin(st.store, &start, &run_id) != RF_OK) {
		log_error("cannot record the run: %s", store_errmsg(st.store));
		code = EXIT_RUNTIME;
		goto out;
	}
	memset(&po, 0, sizeof(po));
	po.rs = rs;
	po.store = st.store;
	po.run_id = run_id;
	st.pipe = pipeline_new(&po);
	e = store_pages_foreach(st.store, prev.id, rescore_page, &st);
	if (e == RF_OK) {
		long alerts = 0, high = 0;

		if (!apply_structure(st.store, run_id, LEVEL_MEDIUM, &alerts,
				     &high))
			code = EXIT_RUNTIME;
	}
	memset(&end, 0, sizeof(end));
	end.status = e == RF_OK ? STORE_RUN_FINISHED : STORE_RUN_FAILED;
	end.stop_reason = e == RF_OK ? "rescored" : "failed";
	end.alert_level = STORE_LEVEL_MEDIUM;
	if (job->alert_level) {
		enum risk_level l;

		if (risk_level_parse(job->alert_level, &l) == RF_OK)
			end.alert_level = (enum store_level)l;
	}
	if (e != RF_OK)
		log_error("the rescore failed: %s", store_errmsg(st.store));
	if (store_run_finish(st.store, run_id, &end) != RF_OK)
		log_error("cannot finish the run: %s", store_errmsg(st.store));
	if (make_parent(job->report_dir) != RF_OK ||
	    write_reports(st.store, job, run_id, &collapsed, &report) !=
		    RF_OK)
		code = EXIT_RUNTIME;
	log_info("run %lld rescored run %lld: %ld listings, %ld unreadable",
		 (long long)run_id, (long long)prev.id, st.rescored,
		 st.missing);
	if (e != RF_OK || st.missing)
		code = EXIT_RUNTIME;
out:
	pipeline_free(st.pipe);
	if (st.store)
		store_close(st.store);
	lockfile_release(&lock);
	job_profiles_free(job, st.profiles);
	crawl_job_free(job);
	ruleset_free(rs);
	free(st.listings);
	store_listing_list_release(&ll);
	store_run_release(&prev);
	page_out_release(&st.out);
	free(report);
	buf_release(&err);
	return code;
}
