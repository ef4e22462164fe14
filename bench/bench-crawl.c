/*
 * bench-crawl.c: what the crawler costs apart from politeness.
 *
 *   1. A frontier of 1,000,000 URLs: time to add them (batched
 *      transactions), to pick the next URL of a host, and to count the
 *      queue; the process's peak memory after it (the frontier lives in
 *      SQLite, not in memory).
 *   2. The baseline: a bare libcurl multi loop fetching the same pages
 *      from the same hosts, one request at a time per host, and nothing
 *      else (no parsing, no WARC, no state): what the server and libcurl
 *      give on this machine at this moment.
 *   3. Pages per second of crawl_run() against the loopback test server
 *      with politeness off (delay 0; robots.txt fetched and obeyed, it
 *      sets no Crawl-delay there), WARC records and state written as in
 *      a real crawl (the WARC synced in the background, and the pages
 *      committed as fetched once that sync has ended: the group commit
 *      of crawl.c), with that million-URL frontier behind
 *      it: on one host (a twentieth of the pages), then on HOSTS hosts
 *      (127.0.0.2 and up, which the crawler takes as distinct hosts;
 *      one host is 127.0.0.2),
 *      then on HOSTS hosts again with the WARC left to the kernel to
 *      sync.
 *
 * Each measure also gives the CPU seconds per page of this process and of
 * the server, and what two idle cores would give from them: on a shared
 * machine the wall time mostly says how busy the others are.
 *
 * Usage: bench-crawl [-p PAGES] [-n HOSTS] [-f URLS] [-s] [-k] TESTSRV
 *   -p  pages per crawl (default 20000)
 *   -n  hosts (default 64, at most 249)
 *   -f  URLs in the frontier behind the crawls (default 1000000; 0: none)
 *   -s  skip the one-host crawl and the baselines
 *   -k  only the crawl on HOSTS hosts with the kernel syncing (to profile)
 * TESTSRV: tests/server/testsrv. Prints one line per measure; needs no
 * network beyond 127.0.0.0/8.
 */
#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "crawler/crawl.h"
#include "crawler/frontier.h"
#include "common/banned.h"

#define HOSTS_MAX 249

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
cpu_seconds(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static pid_t server_pid;

/* CPU seconds the test server has used so far (from /proc), or 0. */
static double
server_cpu_seconds(void)
{
	char path[64], line[1024], *p;
	unsigned long ut = 0, st = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)server_pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	/* after the command name in parentheses: fields 3 ... */
	if (!p || !(p = strrchr(line, ')')))
		return 0;
	for (i = 3, p += 2; i < 14 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p || sscanf(p, "%lu %lu", &ut, &st) != 2)
		return 0;
	return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/*
 * One measure: pages in wall seconds, cpu seconds in this process and
 * srv in the server. On a machine shared with other work the wall time
 * says little; the CPU costs say what two idle cores would give: this
 * process is one thread (one core at most), and both together have two.
 */
static void
report(const char *what, long pages, double wall, double cpu, double srv)
{
	double one = cpu / (double)pages, both = (cpu + srv) / (double)pages;
	double idle = 1 / one < 2 / both ? 1 / one : 2 / both;

	printf("%s: %ld pages in %.2f s: %.0f pages/s; CPU per page %.3f ms "
	       "here + %.3f ms in the server: two idle cores would give "
	       "%.0f pages/s\n", what, pages, wall, (double)pages / wall,
	       one * 1e3, (both - one) * 1e3, idle);
}

static long
peak_rss_kib(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

static void
die_msg(const char *what)
{
	fprintf(stderr, "bench-crawl: %s\n", what);
	exit(1);
}

/*
 * Fills the database at db with n URLs of a site the crawls below do not
 * have ("elsewhere"): they make the tables and indexes as big as a
 * million-URL frontier does, and no crawl fetches them.
 */
static void
fill_frontier(const char *db, const char *origin, long n_urls)
{
	struct frontier *f = NULL;
	struct frontier_new n;
	struct frontier_url u;
	struct buf err, url;
	int64_t run;
	bool resumed, found;
	double t0, t1, due;
	long i, queued;

	buf_init(&err, 0);
	buf_init(&url, 0);
	if (frontier_open(db, &f, &err) != RF_OK)
		die_msg(err.data);
	if (frontier_run_start(f, 1, &run, &resumed) != RF_OK)
		die_msg("run start");
	memset(&n, 0, sizeof(n));
	n.host = origin;
	n.site = "elsewhere";
	n.depth = 100;
	t0 = now();
	for (i = 0; i < n_urls; i++) {
		if (i % 10000 == 0 && (frontier_commit(f) != RF_OK ||
				       frontier_begin(f) != RF_OK))
			die_msg("transaction");
		buf_reset(&url);
		buf_addf(&url, "%s/far/%ld", origin, i);
		n.url = url.data;
		if (frontier_add(f, &n, NULL) != RF_OK)
			die_msg("add");
	}
	if (frontier_commit(f) != RF_OK)
		die_msg("commit");
	t1 = now();
	printf("frontier: %ld URLs added in %.1f s (%.0f URLs/s)\n", n_urls,
	       t1 - t0, (double)n_urls / (t1 - t0));
	t0 = now();
	for (i = 0; i < 1000; i++) {
		if (frontier_next(f, origin, 1e12, &u, &found, &due) !=
			    RF_OK ||
		    !found)
			die_msg("next");
		frontier_url_release(&u);
	}
	t1 = now();
	printf("frontier: next URL of a host in %.1f us\n",
	       (t1 - t0) / 1000 * 1e6);
	t0 = now();
	if (frontier_queued(f, &queued) != RF_OK)
		die_msg("count");
	printf("frontier: counting %ld queued URLs takes %.1f ms\n", queued,
	       (now() - t0) * 1e3);
	frontier_close(f);
	printf("frontier: peak memory %ld KiB after %ld URLs\n",
	       peak_rss_kib(), n_urls);
	buf_release(&err);
	buf_release(&url);
}

static pid_t
start_server(const char *testsrv, const char *dir, int addresses, int *port)
{
	char portfile[256], naddr[16];
	pid_t pid;
	FILE *f;
	int i;

	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	snprintf(naddr, sizeof(naddr), "%d", addresses);
	pid = fork();
	if (pid == 0) {
		/* the request log costs the server a write per request:
		 * not what is measured here */
		execl(testsrv, testsrv, portfile, "/dev/null", "900", naddr,
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 1200; i++) {
		f = fopen(portfile, "r");
		if (f && fscanf(f, "%d", port) == 1) {
			fclose(f);
			return pid;
		}
		if (f)
			fclose(f);
		usleep(50000);
	}
	kill(pid, SIGTERM);
	die_msg("the test server did not start");
	return -1;
}

/* ---- the baseline: libcurl alone ---- */

struct bare_host {
	CURL *easy;
	long next;		/* the next /bench/N of this host */
	char url[96];
	char ip[24];
};

static size_t
discard(char *p, size_t size, size_t n, void *arg)
{
	(void)p;
	(void)arg;
	return size * n;
}

static void
bare_start(CURLM *multi, struct bare_host *h, int port)
{
	snprintf(h->url, sizeof(h->url), "http://%s:%d/bench/%ld", h->ip, port,
		 h->next++);
	curl_easy_setopt(h->easy, CURLOPT_URL, h->url);
	if (curl_multi_add_handle(multi, h->easy) != CURLM_OK)
		die_msg("curl_multi_add_handle");
}

/* Fetches pages pages from nhosts hosts: returns pages/s. */
static double
bare_fetch(int port, int nhosts, long pages)
{
	struct bare_host *hosts = xcalloc((size_t)nhosts, sizeof(*hosts));
	CURLM *multi = curl_multi_init();
	CURLMsg *m;
	long started = 0, done = 0, status;
	int i, running, left;
	double t0, t1, c0, s0;
	char what[64];

	for (i = 0; i < nhosts; i++) {
		hosts[i].easy = curl_easy_init();
		snprintf(hosts[i].ip, sizeof(hosts[i].ip), "127.0.0.%d",
			 i + 2);
		curl_easy_setopt(hosts[i].easy, CURLOPT_WRITEFUNCTION,
				 discard);
		curl_easy_setopt(hosts[i].easy, CURLOPT_PRIVATE, &hosts[i]);
		curl_easy_setopt(hosts[i].easy, CURLOPT_NOSIGNAL, 1L);
	}
	t0 = now();
	c0 = cpu_seconds();
	s0 = server_cpu_seconds();
	for (i = 0; i < nhosts && started < pages; i++, started++)
		bare_start(multi, &hosts[i], port);
	while (done < pages) {
		curl_multi_poll(multi, NULL, 0, 200, NULL);
		curl_multi_perform(multi, &running);
		while ((m = curl_multi_info_read(multi, &left))) {
			struct bare_host *h = NULL;

			if (m->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
					  (char **)&h);
			curl_easy_getinfo(m->easy_handle,
					  CURLINFO_RESPONSE_CODE, &status);
			if (m->data.result != CURLE_OK || status != 200)
				die_msg("baseline: a fetch failed");
			curl_multi_remove_handle(multi, h->easy);
			done++;
			if (started < pages) {
				bare_start(multi, h, port);
				started++;
			}
		}
	}
	t1 = now();
	snprintf(what, sizeof(what), "baseline: bare libcurl, %d host%s",
		 nhosts, nhosts == 1 ? "" : "s");
	report(what, done, t1 - t0, cpu_seconds() - c0,
	       server_cpu_seconds() - s0);
	for (i = 0; i < nhosts; i++)
		curl_easy_cleanup(hosts[i].easy);
	curl_multi_cleanup(multi);
	free(hosts);
	return (double)done / (t1 - t0);
}

/* ---- the crawler ---- */

/* Crawls pages pages from nhosts hosts into dir/NAME: returns pages/s. */
static double
crawl(const char *dir, const char *name, int port, int nhosts, long pages,
      bool sync, const char *frontier_db)
{
	struct crawl_job *job;
	struct crawl_site *s;
	struct crawl_summary sum;
	struct crawl_callbacks cb;
	char path[256], cmd[600];
	const char *how = sync ? "synced before the state" :
				 "synced by the kernel";
	double t0, t1, c0, s0, rate;
	char what[128];
	int i;

	job = crawl_job_new();
	free(job->db_path);
	snprintf(path, sizeof(path), "%s/%s.db", dir, name);
	if (frontier_db) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", frontier_db, path);
		if (system(cmd) != 0)
			die_msg("cannot copy the frontier");
	}
	job->db_path = xstrdup(path);
	free(job->warc_dir);
	snprintf(path, sizeof(path), "%s/%s-warc", dir, name);
	job->warc_dir = xstrdup(path);
	job->allow_private = true;
	job->warc_nosync = !sync;
	s = crawl_job_add_site(job, "bench");
	s->seeds = xcalloc((size_t)nhosts, sizeof(*s->seeds));
	for (i = 0; i < nhosts; i++) {
		/* not 127.0.0.1: its robots.txt asks for 0.1 s between
		 * requests (the test site), and the frontier's other
		 * site is there */
		snprintf(path, sizeof(path), "http://127.0.0.%d:%d/bench/0",
			 i + 2, port);
		s->seeds[i] = xstrdup(path);
	}
	s->nseeds = (size_t)nhosts;
	s->delay = 0;
	s->max_pages = pages;
	s->depth = 1000;
	memset(&cb, 0, sizeof(cb));
	t0 = now();
	c0 = cpu_seconds();
	s0 = server_cpu_seconds();
	if (crawl_run(job, &cb, &sum) != RF_OK)
		die_msg("the crawl failed");
	t1 = now();
	rate = (double)sum.pages / (t1 - t0);
	snprintf(what, sizeof(what), "crawl: %d host%s, WARC %s", nhosts,
		 nhosts == 1 ? "" : "s", how);
	report(what, sum.pages, t1 - t0, cpu_seconds() - c0,
	       server_cpu_seconds() - s0);
	printf("crawl: %ld URLs left queued\n", sum.queued);
	crawl_summary_release(&sum);
	crawl_job_free(job);
	return rate;
}

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/bench-crawl.XXXXXX", origin[64], db[128];
	char cmd[160];
	long pages = 20000, nurls = 1000000;
	int nhosts = 64, port = 0, opt;
	bool short_run = false, only_nosync = false;
	double base1 = 0, basen, one = 0, many, many_nosync;
	pid_t pid;

	while ((opt = getopt(argc, argv, "p:n:f:sk")) != -1) {
		switch (opt) {
		case 'p':
			pages = strtol(optarg, NULL, 10);
			break;
		case 'n':
			nhosts = (int)strtol(optarg, NULL, 10);
			break;
		case 'f':
			nurls = strtol(optarg, NULL, 10);
			break;
		case 's':
			short_run = true;
			break;
		case 'k':
			only_nosync = short_run = true;
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc || pages < 1 || nhosts < 2 ||
	    nhosts > HOSTS_MAX || nurls < 0)
		goto usage;
	if (!mkdtemp(dir))
		die_msg("mkdtemp");
	curl_global_init(CURL_GLOBAL_DEFAULT);
	pid = server_pid = start_server(argv[optind], dir, nhosts + 1, &port);
	snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", port);
	snprintf(db, sizeof(db), "%s/frontier.db", dir);
	if (nurls)
		fill_frontier(db, origin, nurls);
	if (!short_run) {
		/* a twentieth: one host syncs once per page, which a slow
		 * disk makes slow */
		long few = pages / 20 > 0 ? pages / 20 : 1;

		base1 = bare_fetch(port, 1, few);
		one = crawl(dir, "one", port, 1, few, true,
			    nurls ? db : NULL);
	}
	if (only_nosync) {
		crawl(dir, "nosync", port, nhosts, pages, false,
		      nurls ? db : NULL);
		goto done;
	}
	basen = bare_fetch(port, nhosts, pages);
	many = crawl(dir, "many", port, nhosts, pages, true,
		     nurls ? db : NULL);
	many_nosync = crawl(dir, "nosync", port, nhosts, pages, false,
			    nurls ? db : NULL);
	if (!short_run)
		printf("ratios: crawl/bare 1 host %.2f, %d hosts %.2f; %d "
		       "hosts/1 host: bare %.2f, crawl %.2f\n", one / base1,
		       nhosts, many / basen, nhosts, basen / base1,
		       many / one);
	printf("ratios: %d hosts, synced / kernel sync %.2f\n",
	       nhosts, many / many_nosync);
done:
	printf("crawl: peak memory %ld KiB\n", peak_rss_kib());
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 1;
	curl_global_cleanup();
	return 0;
usage:
	fprintf(stderr, "usage: bench-crawl [-p PAGES] [-n HOSTS] [-f URLS] "
		"[-s] [-k] TESTSRV\n");
	return 2;
}
