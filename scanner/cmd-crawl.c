/* cmd-crawl.c: redflag crawl: fetch sites politely into WARC files. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/log.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/crawl.h"
#include "crawler/url.h"
#include "scanner/profile.h"
#include "scanner/scanner.h"
#include "common/banned.h"

static volatile sig_atomic_t crawl_stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	crawl_stop_flag = 1;
}

static void
crawl_usage(FILE *out)
{
	fprintf(out,
		"usage: redflag crawl [-c JOB.conf] [--db FILE] "
		"[--warc-dir DIR]\n"
		"                     [--delay SECONDS] [--max-pages N] "
		"[--depth N]\n"
		"                     [--allow-private] [--no-tls-verify] "
		"[--stats FILE]\n"
		"                     [--check] [--as-root MODE] [-v]\n"
		"                     [URL...]\n\n"
		"Fetches sites politely (robots.txt, one request per host at a "
		"time,\na delay between requests) into WARC files, keeping "
		"its state in an\nSQLite database so that running the same "
		"command again resumes.\n"
		"Seed URLs on the command line need no job file; a job file "
		"declares\nsites, scope, budgets and more "
		"(redflag-job(5)).\n\n"
		"  -c, --config FILE   the job file\n"
		"      --db FILE       state database (default: %s)\n"
		"      --warc-dir DIR  WARC folder (default: %s)\n"
		"      --delay SECONDS between requests to a host (default: "
		"%g)\n"
		"      --max-pages N   fetches per site and run (default: %d)\n"
		"      --depth N       link hops from a seed; pagination is "
		"free (default: %d)\n"
		"      --allow-private connect to private and loopback "
		"addresses too\n"
		"      --no-tls-verify do not verify TLS certificates "
		"(logged, and said\n"
		"                      in the WARC files and the summary)\n"
		"      --stats FILE    write the summary as JSON to FILE\n"
		"      --check         check the job and print its sites; "
		"crawl nothing\n"
		"      --as-root MODE  as root: warn (the default), allow "
		"or refuse;\n"
		"                      overrides the job's as_root\n"
		"  -v, --verbose       the summary and more; twice: every "
		"page\n"
		"  -h, --help          this help\n\n"
		"Exit: 0 the crawl ran to its end (budget, frontier "
		"exhausted or\ninterrupted), whatever pages failed; 2 usage; "
		"4 the database or the\ndisk failed.\n",
		CRAWL_DB_DEFAULT, CRAWL_WARC_DIR_DEFAULT,
		RF_CRAWL_DELAY_DEFAULT, RF_CRAWL_PAGES_DEFAULT,
		RF_CRAWL_DEPTH_DEFAULT);
}

struct crawl_ui {
	bool tty;
	bool progress_shown;
	long pages;
};

static void
on_message(enum crawl_msg_level level, const char *m, void *arg)
{
	struct crawl_ui *ui = arg;
	enum log_level l = level == CRAWL_MSG_ERROR ? LOG_ERROR :
			   level == CRAWL_MSG_WARN  ? LOG_WARN :
			   level == CRAWL_MSG_INFO  ? LOG_INFO :
						      LOG_DEBUG;

	if (ui->progress_shown && l <= log_get_level()) {
		fputs("\r\033[K", stderr);
		ui->progress_shown = false;
	}
	log_msg(l, "%s", m);
}

static int
on_page(const struct crawl_page *p, void *arg)
{
	struct crawl_ui *ui = arg;

	ui->pages++;
	if (log_get_level() >= LOG_DEBUG) {
		if (ui->progress_shown) {
			fputs("\r\033[K", stderr);
			ui->progress_shown = false;
		}
		log_debug("%ld %s%s%s", p->status, p->url,
			  p->unchanged ? " (unchanged)" : "",
			  p->truncated ? " (truncated)" : "");
	}
	return 0;
}

static void
on_progress(const struct crawl_summary *s, void *arg)
{
	struct crawl_ui *ui = arg;

	if (!ui->tty)
		return;
	fprintf(stderr, "\r\033[K%ld pages, %.1f pages/s, %ld queued, "
			"%ld active hosts, %ld errors",
		s->pages, s->elapsed > 0 ? (double)s->pages / s->elapsed : 0.0,
		s->queued, s->active_hosts, s->errors);
	fflush(stderr);
	ui->progress_shown = true;
}

static void
print_summary(const struct crawl_summary *s)
{
	const struct crawl_host_stats *h;
	struct buf stop;
	size_t i;

	buf_init(&stop, 256);
	crawl_summary_stop(s, &stop);
	fprintf(stderr, "crawl: %s after %.1f s (run %lld%s): %ld pages, "
			"%ld errors, %ld revisits, %ld queued, %ld links "
			"dropped\n",
		stop.data, s->elapsed, (long long)s->run,
		s->resumed ? ", resumed" : "", s->pages, s->errors,
		s->revisits, s->queued, s->links_dropped);
	buf_release(&stop);
	if (!s->nhosts)
		return;
	fprintf(stderr, "%-36s %7s %5s %5s %5s %6s %7s %6s  %s\n", "host",
		"fetched", "304", "4xx", "5xx", "robots", "delay", "parked",
		"robots.txt");
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		fprintf(stderr, "%-36s %7ld %5ld %5ld %5ld %6ld %6.2fs %6s  "
				"%s%s\n",
			h->host, h->fetched, h->not_modified, h->status_4xx,
			h->status_5xx, h->robots_blocked, h->delay,
			h->parked ? "yes" : "no",
			h->robots ? h->robots : "-",
			h->crawl_delay_capped ? "; Crawl-delay over the cap" :
						"");
	}
}

/* Writes the summary JSON to path atomically, mode 0640. */
static bool
write_stats(const char *path, const struct crawl_summary *s)
{
	struct buf json, tmp;
	int fd;
	bool ok = false;
	size_t off = 0;
	ssize_t n;

	buf_init(&json, 0);
	buf_init(&tmp, 0);
	crawl_summary_json(s, &json);
	buf_addch(&json, '\n');
	buf_addf(&tmp, "%s.tmp.%ld", path, (long)getpid());
	fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		goto out;
	while (off < json.len) {
		n = write(fd, json.data + off, json.len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	if (off == json.len && fsync(fd) == 0 && close(fd) == 0) {
		fd = -1;
		ok = rename(tmp.data, path) == 0;
	}
	if (fd >= 0)
		close(fd);
	if (!ok)
		unlink(tmp.data);
out:
	if (!ok)
		log_error("cannot write stats file '%s': %s", path,
			  strerror(errno));
	buf_release(&json);
	buf_release(&tmp);
	return ok;
}

/* Adds a command-line seed to the site of its domain (made if new). */
static bool
add_seed(struct crawl_job *job, const char *arg)
{
	char *norm = NULL, *host = NULL, *dom = NULL;
	struct crawl_site *s = NULL;
	size_t i;
	bool ok = false;

	if (url_normalize(arg, NULL, &norm) != RF_OK ||
	    url_host(norm, &host) != RF_OK)
		goto out;
	if (url_registrable_domain(host, &dom) != RF_OK)
		dom = xstrdup(host);
	for (i = 0; i < job->nsites; i++)
		if (strcmp(job->sites[i].name, dom) == 0)
			s = &job->sites[i];
	if (!s)
		s = crawl_job_add_site(job, dom);
	s->seeds = xreallocarray(s->seeds, s->nseeds + 1, sizeof(*s->seeds));
	s->seeds[s->nseeds++] = norm;
	norm = NULL;
	ok = true;
out:
	free(norm);
	free(host);
	free(dom);
	return ok;
}

enum {
	OPT_DB = 256,
	OPT_WARC_DIR,
	OPT_DELAY,
	OPT_MAX_PAGES,
	OPT_DEPTH,
	OPT_ALLOW_PRIVATE,
	OPT_STATS,
	OPT_CHECK,
	OPT_NO_TLS_VERIFY,
	OPT_AS_ROOT,
};

/* --check: one line per site, what the crawl would do, and whether its
 * extraction profiles load (for run); false when one does not. */
static bool
print_job(const struct crawl_job *job)
{
	const struct crawl_site *s;
	struct profile_set *ps;
	char *path;
	size_t i, k;
	bool bad, ok = true;

	printf("db %s, WARC files in %s\n", job->db_path, job->warc_dir);
	for (i = 0; i < job->nsites; i++) {
		s = &job->sites[i];
		printf("site %s: %zu seeds, depth %d, delay %g s, max_pages "
		       "%ld, %zu allow, %zu deny, %zu listing, %zu index "
		       "patterns%s%s%s%s\n",
		       s->name, s->nseeds, s->depth, s->delay, s->max_pages,
		       s->nallow, s->ndeny, s->nlisting, s->nindex,
		       s->proxy ? ", proxy" : "",
		       s->sitemaps ? ", sitemaps" : "",
		       s->ignore_robots ? ", robots.txt IGNORED" : "",
		       s->tls_noverify ? ", TLS NOT VERIFIED" : "");
		for (k = 0; k < s->nseeds; k++) {
			char *shown = url_redact(s->seeds[k]);

			printf("  seed %s\n", shown);
			free(shown);
		}
		if (!s->profile)
			continue;
		path = s->profile;
		ps = profiles_load(&path, 1, &bad);
		if (ps)
			printf("  profiles %s: %zu\n", s->profile,
			       profile_set_count(ps));
		ok &= !bad;
		profile_set_free(ps);
	}
	return ok;
}

int
cmd_crawl(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "db", required_argument, NULL, OPT_DB },
		{ "warc-dir", required_argument, NULL, OPT_WARC_DIR },
		{ "delay", required_argument, NULL, OPT_DELAY },
		{ "max-pages", required_argument, NULL, OPT_MAX_PAGES },
		{ "depth", required_argument, NULL, OPT_DEPTH },
		{ "allow-private", no_argument, NULL, OPT_ALLOW_PRIVATE },
		{ "stats", required_argument, NULL, OPT_STATS },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "no-tls-verify", no_argument, NULL, OPT_NO_TLS_VERIFY },
		{ "as-root", required_argument, NULL, OPT_AS_ROOT },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *config = NULL, *db = NULL, *warc_dir = NULL;
	const char *stats = NULL;
	double delay = -1;
	long long max_pages = -1, depth = -1;
	bool allow_private = false, check = false, no_tls_verify = false;
	bool root_set = false;
	enum crawl_root root = CRAWL_ROOT_WARN;
	int verbose = 0, c, code = EXIT_CLEAN, i;
	struct crawl_job *job = NULL;
	struct crawl_summary sum;
	struct crawl_callbacks cb;
	struct crawl_ui ui;
	struct buf err;
	struct sigaction sa;
	enum rf_err e;
	size_t k;

	memset(&sum, 0, sizeof(sum));
	buf_init(&err, 0);
	optind = 1;
	while ((c = getopt_long(argc, argv, "c:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			config = optarg;
			break;
		case OPT_DB:
			db = optarg;
			break;
		case OPT_WARC_DIR:
			warc_dir = optarg;
			break;
		case OPT_DELAY:
			if (parse_double(optarg, RF_CRAWL_DELAY_MAX, &delay) !=
			    RF_OK) {
				code = usage_error("crawl", "bad --delay '%s': "
						   "give 0 to %g seconds",
						   optarg, RF_CRAWL_DELAY_MAX);
				goto out;
			}
			break;
		case OPT_MAX_PAGES:
			if (parse_int(optarg, 1, 1LL << 40, &max_pages) !=
			    RF_OK) {
				code = usage_error("crawl", "bad --max-pages "
						   "'%s'", optarg);
				goto out;
			}
			break;
		case OPT_DEPTH:
			if (parse_int(optarg, 0, 1000, &depth) != RF_OK) {
				code = usage_error("crawl", "bad --depth '%s': "
						   "give 0 to 1000", optarg);
				goto out;
			}
			break;
		case OPT_ALLOW_PRIVATE:
			allow_private = true;
			break;
		case OPT_STATS:
			stats = optarg;
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_NO_TLS_VERIFY:
			no_tls_verify = true;
			break;
		case OPT_AS_ROOT:
			if (crawl_root_parse(optarg, &root) != RF_OK) {
				code = usage_error("crawl", "bad --as-root "
						   "'%s': warn, allow or "
						   "refuse", optarg);
				goto out;
			}
			root_set = true;
			break;
		case 'v':
			verbose++;
			break;
		case 'h':
			crawl_usage(stdout);
			goto out;
		default:
			code = usage_error("crawl", "bad option");
			goto out;
		}
	}
	if (verbose)
		log_set_level(verbose > 1 ? LOG_DEBUG : LOG_INFO);
	if (config) {
		e = crawl_job_load(config, &job, &err);
		if (e != RF_OK) {
			fputs(err.data, stderr);
			code = e == RF_EPARSE ? EXIT_USAGE : EXIT_RUNTIME;
			goto out;
		}
	} else {
		if (optind >= argc) {
			code = usage_error("crawl", "nothing to crawl: give "
					   "URLs or -c JOB.conf");
			goto out;
		}
		job = crawl_job_new();
	}
	for (i = optind; i < argc; i++) {
		if (!add_seed(job, argv[i])) {
			char *shown = url_redact(argv[i]);

			code = usage_error("crawl", "bad URL '%s': give an "
					   "http or https URL", shown);
			free(shown);
			goto out;
		}
	}
	if (db) {
		free(job->db_path);
		job->db_path = xstrdup(db);
	}
	if (warc_dir) {
		free(job->warc_dir);
		job->warc_dir = xstrdup(warc_dir);
	}
	if (allow_private)
		job->allow_private = true;
	for (k = 0; k < job->nsites; k++) {
		if (delay >= 0)
			job->sites[k].delay = delay;
		if (max_pages > 0)
			job->sites[k].max_pages = (long)max_pages;
		if (depth >= 0)
			job->sites[k].depth = (int)depth;
		if (no_tls_verify)
			job->sites[k].tls_noverify = true;
	}
	if (crawl_job_check(job, &err) != RF_OK) {
		code = usage_error("crawl", "%s", err.data);
		goto out;
	}
	if (check) {
		if (!print_job(job))
			code = EXIT_USAGE;
		goto out;
	}
	if (!root_allowed(root_set ? root : job->root,
			  root_set ? "--as-root" : config)) {
		code = EXIT_RUNTIME;
		goto out;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	/* a second signal ends the process at once */
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&ui, 0, sizeof(ui));
	ui.tty = isatty(STDERR_FILENO);
	memset(&cb, 0, sizeof(cb));
	cb.page = on_page;
	cb.message = on_message;
	cb.progress = on_progress;
	cb.arg = &ui;
	cb.stop = &crawl_stop_flag;
	e = crawl_run(job, &cb, &sum);
	if (ui.progress_shown)
		fputs("\r\033[K", stderr);
	if (e == RF_EINVAL) {
		code = EXIT_USAGE;
		goto out;
	}
	if (e != RF_OK) {
		log_error("crawl failed: %s", rf_strerror(e));
		code = EXIT_RUNTIME;
	}
	if (e == RF_OK && (ui.tty || verbose))
		print_summary(&sum);
	if (stats && e == RF_OK && !write_stats(stats, &sum))
		code = EXIT_RUNTIME;
out:
	crawl_summary_release(&sum);
	crawl_job_free(job);
	buf_release(&err);
	return code;
}
