/*
 * frontier.h: the crawler's state: which URLs are known, which are due,
 * what each fetch gave, and the runs that fetched them. This is the small
 * interface the fetch loop uses; frontier.c keeps it in SQLite (WAL), and
 * a shared PostgreSQL frontier (DESIGN.md, "Scaling out") would be another
 * implementation of the same calls.
 *
 * Crash safety: every change between frontier_begin() and frontier_commit()
 * is one transaction. The fetch loop records what a fetch gave only once
 * the WARC records it wrote are on disk (synced in the background, one
 * fdatasync for every fetch that ended meanwhile: the group commit in
 * crawl.c), and commits those results together; a host starts no other
 * request before its last one is committed. So the state never names a
 * record a power cut could take away, and a kill at any moment loses at
 * most one fetch per host (in flight, or waiting for its records to
 * reach the disk), which the next run repeats. A URL being fetched stays
 * "queued" in the database until its result is committed: there is no
 * "in flight" state to repair after a crash.
 *
 * One process at a time: frontier_open() takes an exclusive lock on the
 * database file (RF_ELOCKED when another crawl holds it).
 */
#ifndef RF_CRAWLER_FRONTIER_H
#define RF_CRAWLER_FRONTIER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

struct frontier;

enum frontier_state {
	FRONTIER_QUEUED = 0,	/* to fetch when next_fetch has come */
	FRONTIER_DONE = 1,	/* fetched; due again at next_fetch if > 0 */
	FRONTIER_FAILED = 2,	/* given up for this run */
	FRONTIER_BLOCKED = 3,	/* robots.txt disallows it */
};

/* A URL to add. Borrowed. */
struct frontier_new {
	const char *url;	/* normalised */
	const char *host;	/* politeness key */
	const char *site;	/* the job's site name */
	int kind;		/* enum crawl_kind */
	int depth;
	int hops;		/* redirects that led here */
	int64_t parent;		/* id of the page linking here, or 0 */
};

/* A URL as the frontier has it. Strings are owned by the struct and
 * freed by frontier_url_release(). */
struct frontier_url {
	int64_t id;
	char *url;
	char *host;
	char *site;
	int kind;
	int depth;
	int hops;
	int attempts;		/* fetches of it in this run so far */
	int state;		/* enum frontier_state */
	long status;		/* last HTTP status, 0 if never fetched */
	char *etag;		/* of the last 200, or NULL */
	char *last_modified;	/* of the last 200, or NULL */
	char *payload_sha1;	/* WARC payload digest of the last 200 */
	char *warc_id;		/* record id of the last response */
	double fetched_at;	/* wall-clock seconds of the last 200 */
};

void frontier_url_release(struct frontier_url *u);

/* What a finished fetch of a URL left. Borrowed. */
struct frontier_result {
	int state;		/* FRONTIER_DONE, _FAILED or _BLOCKED */
	long status;		/* HTTP status, 0 when none came */
	double next_fetch;	/* when it is due again; 0: never */
	const char *error;	/* last error, or NULL */
	/* The rest only for a fresh response (200 or other with body);
	 * NULL keeps what was stored. */
	const char *etag;
	const char *last_modified;
	const char *payload_sha1;
	const char *sha256;	/* hex, of the payload */
	const char *warc_file;
	uint64_t warc_offset;
	const char *warc_id;
	const char *redirect;	/* Location, normalised */
	double fetched_at;
};

/*
 * Opens (creating if needed) the frontier database at path and locks it.
 * On failure *err (initialised by the caller) says why: RF_ELOCKED,
 * RF_EDB. Returns a new frontier in *out that the caller closes.
 */
enum rf_err frontier_open(const char *path, struct frontier **out,
			  struct buf *err) RF_WARN_UNUSED;
/* Commits nothing, closes and frees f; NULL is fine. */
void frontier_close(struct frontier *f);
/* The last SQLite message of f, "" if none. Borrowed. */
const char *frontier_error(const struct frontier *f);

enum rf_err frontier_begin(struct frontier *f) RF_WARN_UNUSED;
enum rf_err frontier_commit(struct frontier *f) RF_WARN_UNUSED;
bool frontier_in_transaction(const struct frontier *f);

/*
 * Starts a run at wall-clock time now: resumes the last run when it did
 * not finish (*resumed set), else begins a new one. Either way URLs that
 * are done, failed or blocked and whose next_fetch has come are queued
 * again, and a new run resets every attempt count. *run gets the run id.
 */
enum rf_err frontier_run_start(struct frontier *f, double now, int64_t *run,
			       bool *resumed) RF_WARN_UNUSED;
/*
 * Queues again the URLs of site that are done or blocked and were last
 * fetched (or tried) recrawl seconds or more before now: recrawl with the
 * job's current interval.
 */
enum rf_err frontier_requeue_due(struct frontier *f, const char *site,
				 double recrawl, double now) RF_WARN_UNUSED;
/* Seconds the run had already spent before a resume (0 for a new one). */
double frontier_run_elapsed(const struct frontier *f);
/* Records the run's active time so far (saved with the next commit). */
enum rf_err frontier_run_progress(struct frontier *f, double elapsed)
	RF_WARN_UNUSED;
/*
 * Records the run's stop reason and summary (JSON); when finished, the run
 * is over and the next frontier_run_start() begins a new one, else (an
 * interrupted run) the next one resumes it.
 */
enum rf_err frontier_run_finish(struct frontier *f, double now,
				const char *stop_reason, const char *summary,
				bool finished) RF_WARN_UNUSED;

/*
 * Adds u when its URL is not known yet (*added tells, may be NULL); a
 * known URL is left as it is, whatever its state.
 */
enum rf_err frontier_add(struct frontier *f, const struct frontier_new *u,
			 bool *added) RF_WARN_UNUSED;

/*
 * The next queued URL of host that is due at now, lowest depth first,
 * then in order of discovery, skipping the ids in skip (n of them, may be
 * 0). *found says whether there is one; then *u is filled (release it).
 * When none is due, *next_due gets the earliest next_fetch of the host's
 * queued URLs, or 0 if it has none.
 */
enum rf_err frontier_next(struct frontier *f, const char *host, double now,
			  struct frontier_url *u, bool *found,
			  double *next_due) RF_WARN_UNUSED;

/* Records the end of a fetch of URL id (state, status, next fetch...). */
enum rf_err frontier_done(struct frontier *f, int64_t id,
			  const struct frontier_result *r) RF_WARN_UNUSED;
/* Puts URL id back in the queue until next_fetch, one more attempt. */
enum rf_err frontier_retry(struct frontier *f, int64_t id, double next_fetch,
			   long status, const char *error) RF_WARN_UNUSED;

/*
 * Calls fn for every host that has queued URLs, with the site of one of
 * them and the earliest next_fetch.
 */
enum rf_err frontier_hosts(struct frontier *f,
			   void (*fn)(const char *host, const char *site,
				      double due, void *arg),
			   void *arg) RF_WARN_UNUSED;

/* Pages of site fetched (with a response) in run. */
enum rf_err frontier_run_count(struct frontier *f, int64_t run,
			       const char *site, long *n) RF_WARN_UNUSED;
/* URLs queued in all. */
enum rf_err frontier_queued(struct frontier *f, long *n) RF_WARN_UNUSED;
/* URLs of host queued. */
enum rf_err frontier_host_queued(struct frontier *f, const char *host,
				 long *n) RF_WARN_UNUSED;

/*
 * The earlier response with WARC payload digest sha1: its record id,
 * URI and date, each a new string the caller frees (*found false: none).
 */
enum rf_err frontier_payload_find(struct frontier *f, const char *sha1,
				  bool *found, char **warc_id, char **uri,
				  double *date) RF_WARN_UNUSED;
/* Remembers a response with payload digest sha1 (first one wins). */
enum rf_err frontier_payload_add(struct frontier *f, const char *sha1,
				 const char *warc_id, const char *uri,
				 double date) RF_WARN_UNUSED;

/* The URL record of url, if known (*found). */
enum rf_err frontier_lookup(struct frontier *f, const char *url,
			    struct frontier_url *u, bool *found)
	RF_WARN_UNUSED;

#endif
