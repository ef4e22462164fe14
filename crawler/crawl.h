/*
 * crawl.h: the crawler as a library call. A crawl job (sites with their
 * seeds, scope, budgets and politeness; where the state and the WARC files
 * go) is built by hand or read from a job file (redflag-job(5)), then
 * crawl_run() fetches until its stop condition and hands every page to a
 * callback. `redflag crawl` drives it; `redflag run` will too.
 *
 * Rules of conduct (DESIGN.md): one request in flight per host name (its
 * http and https origins and ports together) and a delay between the end
 * of one request and the start of the next; robots.txt per origin and
 * RFC 9309 (crawler/robots.h), its
 * Crawl-delay raising the delay up to RF_CRAWL_DELAY_MAX; Retry-After and
 * exponential back-off with jitter on 429 and 503; redirects recorded and
 * their targets queued through scope, robots and dedup; hard caps on body
 * size, time, URL length, outlinks and redirect chains (common/limits.h);
 * only http and https from pages; an SSRF guard that refuses private,
 * loopback and link-local addresses after DNS, before connect, unless the
 * job allows them or a proxy is configured. Every fetch that got a
 * response is a WARC request/response pair (or a revisit).
 *
 * State: the frontier (crawler/frontier.h) is an SQLite database; a run
 * that did not finish (crash, kill, interruption) is resumed by the next
 * crawl_run() on the same database. One crawl per database at a time.
 */
#ifndef RF_CRAWLER_CRAWL_H
#define RF_CRAWLER_CRAWL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "common/buf.h"
#include "common/err.h"

/* What a URL is to the site, from the job's patterns. */
enum crawl_kind {
	CRAWL_PAGE = 0,		/* anything else in scope */
	CRAWL_LISTING = 1,	/* a listing (ad) page */
	CRAWL_INDEX = 2,	/* index or pagination: does not use depth */
	CRAWL_SITEMAP = 3,	/* a sitemap named by robots.txt */
};

/* "page", "listing", "index" or "sitemap". */
const char *crawl_kind_name(enum crawl_kind k);

/* One site of a job. Every string and array is owned by the job. */
struct crawl_site {
	char *name;		/* [site NAME] or the first seed's domain */
	int line;		/* where the job file declared it, or 0 */
	char **seeds;		/* absolute URLs, http(s) or file */
	size_t nseeds;
	/* PCRE2 patterns matched against the normalised URL. A URL is in
	 * scope when its registrable domain is a seed's (or, for file
	 * seeds, it lies under root), it matches an allow pattern (if
	 * any) and no deny pattern. */
	char **allow;
	size_t nallow;
	char **deny;
	size_t ndeny;
	char **listing;		/* URLs that are listings */
	size_t nlisting;
	char **index;		/* URLs that are index/pagination pages;
				 * with none, links marked rel=next/prev are */
	size_t nindex;
	char *root;		/* file:// site root ("file:///x/site/"), or
				 * NULL: the first file seed's folder */
	int depth;		/* link hops from a seed; index pages free */
	long max_pages;		/* fetches per run; 0: no limit */
	double max_time;	/* seconds per run; 0: no limit */
	double delay;		/* seconds between requests to one host */
	double recrawl;		/* seconds until a page is due again; 0:
				 * never */
	char *profile;		/* extraction profiles (a file or folder, for
				 * `redflag run`), or NULL */
	char *user_agent;	/* User-Agent, or NULL for the default */
	char *proxy;		/* http://, socks5h://... or NULL */
	char *cookie_file;	/* Netscape cookie file to send, or NULL */
	char *ca_file;		/* CA certificates (PEM) to trust instead of
				 * the system's, or NULL */
	bool ignore_robots;	/* explicit override, logged */
	bool tls_noverify;	/* tls_verify = no: certificates are not
				 * verified; logged on every run and said
				 * in the WARC files and the summary */
	bool sitemaps;		/* queue the Sitemap URLs of robots.txt */
	/* transfer limits (seconds, bytes/s, bytes) */
	double connect_timeout;
	double timeout;
	long low_speed_limit;
	long low_speed_time;
	size_t max_body;
	/* first wait before a retry after 429/503 without Retry-After, a
	 * 5xx or a failure; doubled at each attempt, with jitter */
	double retry_base;
};

/* What a command that crawls or writes the store does as root. */
enum crawl_root {
	CRAWL_ROOT_WARN,	/* runs, with a warning (the default) */
	CRAWL_ROOT_ALLOW,	/* runs, silently: root on purpose */
	CRAWL_ROOT_REFUSE,	/* does not run */
};

struct crawl_job {
	struct crawl_site *sites;
	size_t nsites;
	char *path;		/* the job file, or NULL */
	char *db_path;		/* state database (SQLite) */
	char *warc_dir;		/* where WARC files go */
	char *warc_prefix;	/* their name prefix */
	uint64_t warc_max_bytes;/* rotate at this size; 0: never */
	bool warc_nosync;	/* leave syncing to the kernel (tests) */
	bool allow_private;	/* connect to private and loopback addresses */
	/* For `redflag run`, which reads them; the crawler does not. */
	char *name;		/* the job's name: file name without .conf */
	char *store_path;	/* listings and scores (SQLite) */
	char *report_dir;	/* where run writes its reports */
	char *notify;		/* command run with the report's path, or NULL */
	char *rules_path;	/* rule file or pack folder, or NULL: defaults */
	char *alert_level;	/* low, medium or high, or NULL: medium */
	long retention_days;	/* purge listings unseen this long; 0: keep */
	enum crawl_root root;	/* as_root = warn | allow | refuse */
};

/* Defaults of a job and a new site (see redflag-job(5)). */
#define CRAWL_DB_DEFAULT	"redflag-crawl.db"
#define CRAWL_WARC_DIR_DEFAULT	"warc"
#define CRAWL_WARC_PREFIX	"redflag"
#define CRAWL_WARC_MAX_BYTES	((uint64_t)1 << 30)
#define CRAWL_STORE_DEFAULT	"redflag.db"
#define CRAWL_REPORT_DIR_DEFAULT "reports"
/* The robots.txt product token, whatever User-Agent a site sets. */
#define CRAWL_ROBOTS_AGENT	"redflag"

/* A new job with the defaults and no site; the caller frees it. */
struct crawl_job *crawl_job_new(void);
/* Sets *out from "warn", "allow" or "refuse"; anything else is RF_EINVAL. */
enum rf_err crawl_root_parse(const char *s, enum crawl_root *out)
	RF_WARN_UNUSED;
/* Frees job and everything it owns; NULL is fine. */
void crawl_job_free(struct crawl_job *job);
/* Appends a site with the defaults, named name (copied); returns it,
 * owned by job and valid until the next call. */
struct crawl_site *crawl_job_add_site(struct crawl_job *job,
				      const char *name);

/*
 * Reads the job file at path (redflag-job(5)) into a new job (*out, which
 * the caller frees). Relative paths in it are taken from the file's
 * folder. On failure *err (initialised) holds "path:line: message" lines:
 * RF_EPARSE for a malformed file (a bad key, value, pattern or seed),
 * RF_ENOENT, RF_EIO, RF_ETOOBIG as reading fails.
 */
enum rf_err crawl_job_load(const char *path, struct crawl_job **out,
			   struct buf *err) RF_WARN_UNUSED;

/*
 * Checks job before a run: at least one site with a seed, patterns that
 * compile, file seeds only where allowed. RF_EINVAL with *err filled.
 */
enum rf_err crawl_job_check(const struct crawl_job *job, struct buf *err)
	RF_WARN_UNUSED;

/* A page handed to the page callback. Everything is borrowed for the call. */
struct crawl_page {
	const char *url;	/* normalised */
	const char *site;
	const char *profile;	/* the site's extraction profiles, or NULL */
	time_t date;		/* when the fetch began */
	enum crawl_kind kind;
	int depth;
	long status;		/* HTTP status; 200 for a file read */
	bool unchanged;		/* 304, or the payload of an earlier capture */
	bool truncated;		/* a cap cut the body */
	bool h2;		/* fetched over HTTP/2 */
	const char *head;	/* response head as recorded (HTTP/1.1
				 * form), NULL for file:// */
	size_t head_len;
	const char *content_type;	/* or NULL */
	/* The payload, Content-Encoding removed; NULL for a 304. */
	const void *body;
	size_t body_len;
	const char *sha256;	/* hex SHA-256 of the WARC payload (the
				 * body as received, before decoding) */
	const char *redirect;	/* a 3xx's resolved Location, or NULL */
	/* where the response (or revisit) record is */
	const char *warc_file;	/* in job->warc_dir */
	uint64_t warc_offset;
	const char *warc_id;
	const char *refers_to;	/* a revisit's earlier record, or NULL */
};

/* Per-host counts of one run. */
struct crawl_host_stats {
	char *host;
	char *site;
	long fetched;		/* responses, any status */
	long not_modified;	/* 304 */
	long status_4xx;
	long status_5xx;
	long status_429;	/* also counted in 4xx */
	long robots_blocked;	/* URLs robots.txt disallowed */
	long errors;		/* fetches without a usable response */
	long truncated;		/* bodies a cap cut */
	long private_refused;	/* refused by the SSRF guard */
	double delay;		/* delay used at the end */
	double crawl_delay;	/* robots.txt Crawl-delay, -1 when none */
	bool crawl_delay_capped;/* it asked for more than we give */
	bool parked;		/* given up for the run: repeated failures,
				 * robots.txt unreachable, a long
				 * Retry-After */
	long left;		/* URLs of it still queued at the end */
	bool tls_verify;	/* its site verifies TLS certificates */
	char *robots;		/* "ok", "allow-all (404)", "disallow-all
				 * (503)", "ignored" or NULL */
};

enum crawl_stop {
	CRAWL_STOP_EXHAUSTED = 0,	/* nothing left to fetch */
	CRAWL_STOP_BUDGET,		/* pages or time */
	CRAWL_STOP_INTERRUPTED,		/* *stop was set */
	CRAWL_STOP_PARKED,		/* nothing left but the URLs of hosts
					 * given up for this run */
};

/* "frontier exhausted", "budget reached", "interrupted", "hosts
 * parked". */
const char *crawl_stop_name(enum crawl_stop s);

/* What a run did, for the progress callback and at the end. */
struct crawl_summary {
	enum crawl_stop stop;
	int64_t run;		/* the run id in the state database */
	bool resumed;		/* an unfinished run was continued */
	double elapsed;		/* seconds, this process and earlier */
	long pages;		/* responses in this process */
	long errors;
	long queued;		/* URLs waiting */
	long active_hosts;	/* hosts with a request in flight */
	long revisits;		/* 304 and identical payloads */
	long links_dropped;	/* out of scope, traps, caps */
	/* Hosts given up for this run with URLs still queued: parked
	 * after failures, robots.txt unreachable, or asked to come back
	 * after more than RF_CRAWL_RETRY_AFTER_MAX; and those URLs. */
	long parked_hosts;
	long parked_urls;
	struct crawl_host_stats *hosts;
	size_t nhosts;
};

/* Frees what s owns and zeroes it. */
void crawl_summary_release(struct crawl_summary *s);
/*
 * Appends the stop reason in words to out: the name, and for hosts
 * parked how many with how many URLs ("hosts parked: frontier exhausted
 * but for 2 hosts with 37 URLs").
 */
void crawl_summary_stop(const struct crawl_summary *s, struct buf *out);
/* Appends s as one JSON object (the --stats file) to out. */
void crawl_summary_json(const struct crawl_summary *s, struct buf *out);

enum crawl_msg_level {
	CRAWL_MSG_ERROR = 0,
	CRAWL_MSG_WARN,
	CRAWL_MSG_INFO,
	CRAWL_MSG_DEBUG,
};

struct crawl_callbacks {
	/* Each page with a response. A non-zero return stops the crawl
	 * as an interruption. May be NULL. */
	int (*page)(const struct crawl_page *p, void *arg);
	/* Sync the page's WARC record to disk before page() sees it, for a
	 * callback that stores where the record is (redflag run). Otherwise
	 * records are synced in the background, and the state database
	 * commits the pages as fetched once that sync has ended. */
	bool page_synced;
	/* Diagnostics (the library never prints). May be NULL. */
	void (*message)(enum crawl_msg_level level, const char *msg,
			void *arg);
	/* Called about twice a second with the counts so far. May be
	 * NULL. */
	void (*progress)(const struct crawl_summary *s, void *arg);
	void *arg;
	/* The crawl stops gracefully soon after *stop becomes non-zero
	 * (a signal handler sets it). May be NULL. */
	const volatile sig_atomic_t *stop;
};

/*
 * Crawls job until its stop condition, resuming the state database's
 * unfinished run if there is one. *summary (caller-owned, released with
 * crawl_summary_release()) is filled in every case. Returns RF_OK when the
 * crawl ran to its stop condition, whatever pages failed; RF_EINVAL for a
 * bad job; RF_ELOCKED when another crawl holds the database; RF_EDB or
 * RF_EIO when the database or the WARC files failed (the message callback
 * says more).
 */
enum rf_err crawl_run(const struct crawl_job *job,
		      const struct crawl_callbacks *cb,
		      struct crawl_summary *summary) RF_WARN_UNUSED;

/* ---- helpers, exposed for tests ---- */

/*
 * Appends to out the HTTP/1.1 form of a response or request head as
 * libcurl saw it over HTTP/2 ("HTTP/2 200" -> "HTTP/1.1 200 OK", "GET /
 * HTTP/2" -> "GET / HTTP/1.1"); other heads are copied. RF_ETOOBIG at
 * out's cap.
 */
enum rf_err crawl_head_to_http11(const char *head, size_t len,
				 struct buf *out) RF_WARN_UNUSED;

/*
 * Inflates a gzip, zlib or raw deflate body into out, stopping at max
 * bytes: RF_ETOOBIG then (out holds the first max bytes), RF_EPARSE for a
 * corrupt stream (out holds what came before).
 */
enum rf_err crawl_inflate(const void *body, size_t len, size_t max,
			  struct buf *out) RF_WARN_UNUSED;

/* What the crawler sends as Accept-Encoding: the codings it decodes. */
#define CRAWL_ACCEPT_ENCODING "gzip, br, zstd"

/*
 * Decodes a body of Content-Encoding coding ("gzip", "x-gzip", "deflate",
 * "br" or "zstd", any case) into out, stopping at max bytes, as
 * crawl_inflate() does: RF_ETOOBIG at the cap (out holds the first max
 * bytes), RF_EPARSE for a corrupt or cut stream, RF_EUNSUPPORTED for
 * another coding (out untouched).
 */
enum rf_err crawl_decode(const char *coding, const void *body, size_t len,
			 size_t max, struct buf *out) RF_WARN_UNUSED;

/*
 * Parses a Retry-After value (delay-seconds or an HTTP-date) at wall time
 * now into seconds to wait (>= 0); false when it is neither.
 */
bool crawl_retry_after(const char *value, double now, double *seconds);

#endif
