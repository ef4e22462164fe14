/*
 * bench-crawl.c: what the crawler costs apart from politeness.
 *
 *   1. A frontier of 1,000,000 URLs: time to add them (batched
 *      transactions), to pick the next URL of a host, and to count the
 *      queue; the process's peak memory after it (the frontier lives in
 *      SQLite, not in memory).
 *   2. Pages per second against the loopback test server with politeness
 *      off (delay 0, robots.txt ignored), WARC records and state written
 *      as in a real crawl, with that million-URL frontier behind it.
 *
 * Usage: bench-crawl TESTSRV [PAGES]   (TESTSRV: tests/server/testsrv)
 * Prints one line per measure; needs no network beyond 127.0.0.1.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/xmalloc.h"
#include "crawler/crawl.h"
#include "crawler/frontier.h"
#include "common/banned.h"

#define FRONTIER_URLS 1000000L

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
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

static void
fill_frontier(const char *db, const char *origin)
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
	n.site = "bench";
	n.depth = 100;
	t0 = now();
	for (i = 0; i < FRONTIER_URLS; i++) {
		if (i % 10000 == 0 && (frontier_commit(f) != RF_OK ||
				       frontier_begin(f) != RF_OK))
			die_msg("transaction");
		buf_reset(&url);
		/* far-away pages, never reached by the crawl below */
		buf_addf(&url, "%s/far/%ld", origin, i);
		n.url = url.data;
		if (frontier_add(f, &n, NULL) != RF_OK)
			die_msg("add");
	}
	if (frontier_commit(f) != RF_OK)
		die_msg("commit");
	t1 = now();
	printf("frontier: %ld URLs added in %.1f s (%.0f URLs/s)\n",
	       FRONTIER_URLS, t1 - t0, (double)FRONTIER_URLS / (t1 - t0));
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
	       peak_rss_kib(), FRONTIER_URLS);
	buf_release(&err);
	buf_release(&url);
}

static pid_t
start_server(const char *testsrv, const char *dir, int *port)
{
	char portfile[256], logfile[256];
	pid_t pid;
	FILE *f;
	int i;

	snprintf(portfile, sizeof(portfile), "%s/port", dir);
	snprintf(logfile, sizeof(logfile), "%s/server.log", dir);
	pid = fork();
	if (pid == 0) {
		execl(testsrv, testsrv, portfile, logfile, "600",
		      (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 200; i++) {
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

int
main(int argc, char **argv)
{
	char dir[] = "/tmp/bench-crawl.XXXXXX", origin[64], seed[96];
	char db[128], warc[128], cmd[160];
	struct crawl_job *job;
	struct crawl_site *s;
	struct crawl_summary sum;
	struct crawl_callbacks cb;
	long pages = argc > 2 ? strtol(argv[2], NULL, 10) : 3000;
	double t0, t1;
	pid_t pid;
	int port = 0, code = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: bench-crawl TESTSRV [PAGES]\n");
		return 2;
	}
	if (!mkdtemp(dir))
		die_msg("mkdtemp");
	pid = start_server(argv[1], dir, &port);
	snprintf(origin, sizeof(origin), "http://127.0.0.1:%d", port);
	snprintf(seed, sizeof(seed), "%s/bench/0", origin);
	snprintf(db, sizeof(db), "%s/state.db", dir);
	snprintf(warc, sizeof(warc), "%s/warc", dir);

	fill_frontier(db, origin);

	job = crawl_job_new();
	free(job->db_path);
	job->db_path = xstrdup(db);
	free(job->warc_dir);
	job->warc_dir = xstrdup(warc);
	job->allow_private = true;
	job->warc_nosync = true;
	s = crawl_job_add_site(job, "bench");
	s->seeds = xcalloc(1, sizeof(*s->seeds));
	s->seeds[0] = xstrdup(seed);
	s->nseeds = 1;
	s->delay = 0;
	s->ignore_robots = true;
	s->max_pages = pages;
	s->depth = 1000;
	memset(&cb, 0, sizeof(cb));
	t0 = now();
	if (crawl_run(job, &cb, &sum) != RF_OK) {
		fprintf(stderr, "bench-crawl: the crawl failed\n");
		code = 1;
	}
	t1 = now();
	printf("crawl: %ld pages in %.1f s: %.0f pages/s (one host, one "
	       "request at a time, no delay, WARC and state written; %ld "
	       "URLs queued)\n",
	       sum.pages, t1 - t0, (double)sum.pages / (t1 - t0), sum.queued);
	printf("crawl: peak memory %ld KiB\n", peak_rss_kib());
	crawl_summary_release(&sum);
	crawl_job_free(job);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		code = 1;
	return code;
}
