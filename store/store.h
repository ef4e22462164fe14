/*
 * store.h: the state redflag keeps across runs — runs, fetched pages,
 * listings and their history, findings, contacts, per-site statistics —
 * behind one small interface with a backend chosen by name ("sqlite"; a
 * PostgreSQL backend can come later without touching callers).
 * store/README.md describes the schema and the migration rule.
 *
 * Conventions of this interface:
 *   - times are Unix seconds (UTC); an input time of 0 means "now";
 *   - ids are positive int64_t values; 0 means "none";
 *   - strings given to the store are NUL-terminated UTF-8 (RF_EUTF8
 *     otherwise), borrowed for the call; NULL is "unknown" where a
 *     field's comment allows it;
 *   - what comes from pages has caps (common/limits.h): display text
 *     (titles, fields, body, matched text, stop reasons) is cut at a
 *     character boundary; findings and contacts past their count cap are
 *     dropped, and so is a contact whose value is longer than its cap;
 *     identifiers (URL, site, job, rule ids, hashes) that are too long
 *     make the call fail with RF_ETOOBIG, because a cut identifier would
 *     merge distinct things;
 *   - results come in caller-owned containers (_init/_release); the
 *     strings their items point to belong to the container;
 *   - every function returns enum rf_err; on RF_EDB (and on most other
 *     errors) store_errmsg() says what went wrong. RF_ELOCKED means
 *     another process held the database longer than the busy timeout.
 *     Nothing is printed;
 *   - a store handle is used by one thread at a time; several processes
 *     may open the same database (writers wait up to a busy timeout).
 *
 * Every write is atomic by itself. A caller with many writes (a run)
 * wraps them in store_begin()/store_commit() batches for speed; a process
 * killed in the middle of a batch leaves the database as it was before
 * the batch.
 */
#ifndef RF_STORE_STORE_H
#define RF_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct store;

/* The strings a result owns (private to the store). */
struct store_strings {
	char **v;
	size_t n, alloc;
};

/* Risk levels, with the values of the scanner's levels. */
enum store_level {
	STORE_LEVEL_NONE = 0,
	STORE_LEVEL_LOW,
	STORE_LEVEL_MEDIUM,
	STORE_LEVEL_HIGH,
};

enum store_run_status {
	STORE_RUN_RUNNING = 0,
	STORE_RUN_FINISHED,	/* reached its stop condition */
	STORE_RUN_FAILED,	/* stopped by an error */
	STORE_RUN_INTERRUPTED,	/* stopped by a signal, or died */
};

/* What a run found a listing to be, compared with the runs before. */
enum store_change {
	STORE_NEW = 0,		/* never seen before */
	STORE_CHANGED,		/* seen before with another payload */
	STORE_UNCHANGED,	/* seen before with this payload */
	STORE_REMOVED,		/* not seen on a site crawled to completion */
};

enum store_contact_type {
	STORE_CONTACT_PHONE = 0,	/* "+77011234567" */
	STORE_CONTACT_HANDLE,		/* "@name" */
	STORE_CONTACT_EMAIL,		/* "name@example.org" */
	STORE_CONTACT_LINK,		/* "t.me/name" */
	STORE_CONTACT_MAX
};

/* "running", "finished", "failed", "interrupted". */
const char *store_run_status_name(enum store_run_status s);
/* "new", "changed", "unchanged", "removed". */
const char *store_change_name(enum store_change c);
/* "phone", "handle", "email", "link". */
const char *store_contact_type_name(enum store_contact_type t);

/* ---- opening ---- */

/* store_open flags */
#define STORE_CREATE	0x1u	/* create the database if it does not exist */
#define STORE_READONLY	0x2u	/* open for queries only; never migrates */

/* The newest schema version this build knows. */
#define STORE_SCHEMA_VERSION 2

/*
 * Opens the database at path with the default backend ("sqlite"),
 * creating it (mode 0600, whatever the umask) with STORE_CREATE, and
 * migrates an older schema to STORE_SCHEMA_VERSION, one transaction per
 * step. A database of a newer schema, or not made by redflag, is
 * RF_EDB; a missing file without STORE_CREATE is RF_ENOENT.
 * *out always gets a new handle the caller closes with store_close(),
 * even on failure, when it serves only store_errmsg().
 */
enum rf_err store_open(const char *path, unsigned flags, struct store **out)
	RF_WARN_UNUSED;
/* The same with the backend named backend; RF_EUNSUPPORTED if unknown. */
enum rf_err store_open_backend(const char *backend, const char *path,
			       unsigned flags, struct store **out)
	RF_WARN_UNUSED;
/* Closes s, rolling back an open batch; NULL is fine. */
void store_close(struct store *s);
/* The message of s's last failure ("" if none); s keeps it until the
 * next call. */
const char *store_errmsg(const struct store *s);
/* The name of s's backend ("sqlite"). */
const char *store_backend_name(const struct store *s);

/* ---- batches ---- */

/*
 * Starts a batch: later writes are committed together. No nesting. A
 * write that fails inside a batch undoes only itself; a failure that
 * ends the whole transaction (disk full, I/O error) ends the batch too,
 * and the message says so.
 */
enum rf_err store_begin(struct store *s) RF_WARN_UNUSED;
/* Commits the batch. */
enum rf_err store_commit(struct store *s) RF_WARN_UNUSED;
/* Drops the batch's writes. */
enum rf_err store_rollback(struct store *s) RF_WARN_UNUSED;

/* ---- runs ---- */

struct store_run_start {
	const char *job;		/* the job's name, required */
	int64_t started_at;
	const char *rules_version;	/* the rule packs' version, or NULL */
	const char *rules_hash;		/* their content hash, or NULL */
};

struct store_run_end {
	enum store_run_status status;	/* not STORE_RUN_RUNNING */
	const char *stop_reason;	/* why it stopped, or NULL */
	int64_t finished_at;
	/* listings new or changed in the run at or above this level count
	 * as alerts */
	enum store_level alert_level;
};

struct store_run_counts {
	int64_t pages_fetched;		/* pages recorded in the run */
	int64_t listings_new, listings_changed, listings_unchanged;
	int64_t listings_removed;
	int64_t alerts;
};

/* One run as stored; caller-owned (store_run_init/_release). */
struct store_run {
	int64_t id;
	const char *job;
	int64_t started_at;
	int64_t finished_at;		/* 0 while running or when unknown */
	const char *rules_version;	/* NULL when not given */
	const char *rules_hash;		/* NULL when not given */
	struct store_run_counts counts;	/* set by store_run_finish */
	const char *stop_reason;	/* NULL when not given */
	enum store_run_status status;
	struct store_strings strings_;	/* private */
};

/* Prepares r (caller-owned); _release frees what queries put in it. */
void store_run_init(struct store_run *r);
void store_run_release(struct store_run *r);

/* Records the start of a run and sets *run_id; borrows start. */
enum rf_err store_run_begin(struct store *s,
			    const struct store_run_start *start,
			    int64_t *run_id) RF_WARN_UNUSED;
/*
 * Records how run_id ended and its counts, computed from what was stored
 * in it (pages, listings by change, removals, alerts); borrows end.
 * A run may be finished again (a later finish replaces the counts).
 */
enum rf_err store_run_finish(struct store *s, int64_t run_id,
			     const struct store_run_end *end) RF_WARN_UNUSED;
/*
 * Marks the runs of job still "running" as "interrupted" (with their
 * counts, alerts at alert_level as in store_run_end) and sets *n (may be
 * NULL) to how many: for the caller holding the job's lock, since such
 * runs belong to a process that died.
 */
enum rf_err store_runs_interrupt(struct store *s, const char *job,
				 enum store_level alert_level, size_t *n)
	RF_WARN_UNUSED;
/* Fills out (initialised) with run run_id; RF_ENOENT if there is none. */
enum rf_err store_run_get(struct store *s, int64_t run_id,
			  struct store_run *out) RF_WARN_UNUSED;
/*
 * Fills out (initialised) with the latest finished run of job before
 * run before_run (0: the latest of all); RF_ENOENT if there is none.
 */
enum rf_err store_run_previous(struct store *s, const char *job,
			       int64_t before_run, struct store_run *out)
	RF_WARN_UNUSED;

/* ---- pages ---- */

/* A fetched page; all strings but url and site may be NULL. */
struct store_page {
	int64_t id;			/* set by the store; ignored on input */
	int64_t run_id;			/* set by the store; ignored on input */
	const char *url;
	const char *site;		/* registrable domain */
	int64_t fetched_at;
	int http_status;		/* 0 when no response came */
	const char *payload_sha256;	/* 64 hex digits */
	const char *warc_file;		/* where the response record is */
	int64_t warc_offset;		/* of the record in warc_file */
	const char *warc_record_id;	/* WARC-Record-ID */
	const char *content_type;
};

/* Records page p fetched in run_id and sets *page_id (may be NULL). */
enum rf_err store_page_add(struct store *s, int64_t run_id,
			   const struct store_page *p, int64_t *page_id)
	RF_WARN_UNUSED;

/*
 * Called for each page; borrows page for the call. Returning anything
 * but RF_OK stops the iteration, and store_pages_foreach returns it.
 */
typedef enum rf_err (*store_page_fn)(void *arg, const struct store_page *page);
/*
 * Calls fn for every page recorded in run_id, in the order recorded.
 * fn may write through s (a rescore stores listings), but must not
 * close s.
 */
enum rf_err store_pages_foreach(struct store *s, int64_t run_id,
				store_page_fn fn, void *arg) RF_WARN_UNUSED;

/*
 * Calls fn once with the latest page recorded for url whose payload is
 * kept in a WARC file (a 2xx response with its SHA-256 and record): what
 * a run reads back when a server answers 304 Not Modified. RF_ENOENT when
 * there is none; otherwise what fn returns. fn may write through s.
 */
enum rf_err store_page_last(struct store *s, const char *url,
			    store_page_fn fn, void *arg) RF_WARN_UNUSED;

/* ---- listings ---- */

/* One rule hit that contributed to a listing's score. */
struct store_finding {
	const char *rule_id;		/* required */
	const char *rule_version;	/* the rule's hash, or NULL */
	const char *indicator;		/* "J03", or NULL */
	int weight;
	const char *field;		/* "title", "body", "url", "contacts" */
	size_t start, end;		/* byte offsets in the field's text */
	const char *text;		/* the matched text */
	int64_t run_id;			/* set by the store; ignored on input */
};

struct store_contact {
	enum store_contact_type type;
	const char *value;		/* normalized, required */
};

/* A listing as one run saw it. Strings but url, site and payload_sha256
 * may be NULL. */
struct store_sighting {
	const char *url;		/* identifies the listing */
	const char *site;		/* registrable domain */
	int64_t seen_at;
	int64_t page_id;		/* the page it came from, or 0 */
	const char *payload_sha256;	/* 64 hex digits: the version */
	const char *lang;
	const char *title;
	const char *salary, *location, *employer, *posted;
	const char *text;		/* the extracted body */
	int score;
	enum store_level level;
	const struct store_finding *findings;
	size_t nfindings;
	const struct store_contact *contacts;
	size_t ncontacts;
};

struct store_upsert {
	int64_t listing_id;
	int64_t version_id;
	enum store_change change;	/* new, changed or unchanged */
};

/*
 * Records that run_id saw listing in (borrowed) and sets *res: whether
 * it is new, changed (its payload SHA-256 differs from the last one
 * seen) or unchanged. Each distinct payload is kept as a version; the
 * listing's current version, score and level become in's; a removed
 * listing seen again is present again. Findings are stored with the
 * version when it is new to the listing, or when the run's rules hash
 * differs from that of the run that stored its findings last (a rescore
 * with changed rules; a run without a rules hash always stores them);
 * otherwise the version's findings stay. A version seen again takes
 * in's non-NULL text fields. Contacts are linked to the listing and
 * never unlinked (history). Seeing a listing twice in one run keeps the
 * first verdict unless the payload changed in between.
 */
enum rf_err store_listing_upsert(struct store *s, int64_t run_id,
				 const struct store_sighting *in,
				 struct store_upsert *res) RF_WARN_UNUSED;
/*
 * Marks as removed in run_id the present listings of the nsites sites
 * (borrowed; the sites the run crawled to completion) that run_id did
 * not see, and sets *n (may be NULL) to how many. Nothing is deleted.
 */
enum rf_err store_mark_removed(struct store *s, int64_t run_id,
			       const char *const *sites, size_t nsites,
			       size_t *n) RF_WARN_UNUSED;

/*
 * Replaces the findings of version_id in effect at run_id by the n
 * (borrowed) at f, stored in run_id, and sets the score and level run_id
 * gave the listing of that version to score and level: also the
 * listing's current ones when version_id is its current version, and the
 * version's own when run_id first saw it. With f NULL (and n 0) the
 * findings stay as they are and only the verdict changes. For verdicts
 * decided after a run's listings are stored, such as the structural
 * signs of clusters (J18). RF_ENOENT when run_id did not see that
 * version.
 */
enum rf_err store_verdict_set(struct store *s, int64_t run_id,
			      int64_t version_id,
			      const struct store_finding *f, size_t n,
			      int score, enum store_level level)
	RF_WARN_UNUSED;

/* ---- site statistics ---- */

struct store_site_counts {
	int64_t pages_fetched;
	int64_t pages_blocked;		/* anti-bot or script-only pages */
	int64_t errors;			/* fetches that failed */
	int64_t listings_extracted;
};

/* Adds c (borrowed) to site's counts in run_id. */
enum rf_err store_site_stats_add(struct store *s, int64_t run_id,
				 const char *site,
				 const struct store_site_counts *c)
	RF_WARN_UNUSED;

/* ---- queries ---- */

/* A listing in a query's result. */
struct store_listing {
	int64_t id;
	const char *url;
	const char *site;
	int64_t first_run, first_seen_at;
	int64_t last_run, last_seen_at;
	int64_t removed_run, removed_at;	/* 0 while present */
	int64_t purged_at;			/* 0 unless purged */
	/* the version this result is about: the one seen in the queried run
	 * (store_listings), else the current one */
	int64_t version_id;
	const char *payload_sha256;
	const char *lang;
	const char *title;			/* NULL if purged, as are */
	const char *salary, *location, *employer, *posted;
	int score;				/* in the queried run, else */
	enum store_level level;			/* the current ones */
	enum store_change change;		/* store_listings only */
};

/* Listings; caller-owned (store_listing_list_init/_release). */
struct store_listing_list {
	struct store_listing *items;
	size_t n, alloc;
	struct store_strings strings_;		/* private */
};

/* Prepares l (caller-owned, empty); _release frees items and strings. */
void store_listing_list_init(struct store_listing_list *l);
void store_listing_list_release(struct store_listing_list *l);

/* which listings store_listings returns */
#define STORE_SEL_NEW		(1u << STORE_NEW)
#define STORE_SEL_CHANGED	(1u << STORE_CHANGED)
#define STORE_SEL_UNCHANGED	(1u << STORE_UNCHANGED)
#define STORE_SEL_REMOVED	(1u << STORE_REMOVED)
#define STORE_SEL_SEEN \
	(STORE_SEL_NEW | STORE_SEL_CHANGED | STORE_SEL_UNCHANGED)
#define STORE_SEL_ALL	(STORE_SEL_SEEN | STORE_SEL_REMOVED)

/*
 * Appends to out (initialised) the listings of run_id whose change is in
 * which (STORE_SEL_*) and whose level in that run (for removed ones:
 * their last level) is at least min_level, highest score first.
 */
enum rf_err store_listings(struct store *s, int64_t run_id, unsigned which,
			   enum store_level min_level,
			   struct store_listing_list *out) RF_WARN_UNUSED;

/* All versions of a listing (its history), oldest first. */
struct store_version {
	int64_t id;
	const char *payload_sha256;
	int64_t first_run, first_seen_at;
	int64_t last_run, last_seen_at;
	int64_t page_id;			/* its first page, or 0 */
	int score;				/* when first seen */
	enum store_level level;
	int64_t findings_run;			/* run of its findings, or 0 */
	const char *lang;
	const char *title;			/* NULL if purged, as are */
	const char *salary, *location, *employer, *posted;
	const char *text;
};

/* Versions; caller-owned (store_version_list_init/_release). */
struct store_version_list {
	struct store_version *items;
	size_t n, alloc;
	struct store_strings strings_;		/* private */
};

/* Prepares l (caller-owned, empty); _release frees items and strings. */
void store_version_list_init(struct store_version_list *l);
void store_version_list_release(struct store_version_list *l);

/* Appends the versions of listing_id to out (initialised). */
enum rf_err store_history(struct store *s, int64_t listing_id,
			  struct store_version_list *out) RF_WARN_UNUSED;

/* Findings; caller-owned (store_finding_list_init/_release). */
struct store_finding_list {
	struct store_finding *items;
	size_t n, alloc;
	struct store_strings strings_;		/* private */
};

/* Prepares l (caller-owned, empty); _release frees items and strings. */
void store_finding_list_init(struct store_finding_list *l);
void store_finding_list_release(struct store_finding_list *l);

/*
 * Appends to out (initialised) the findings of version_id in effect at
 * run_id (those stored by the latest run not after it; 0: the latest),
 * in the order stored.
 */
enum rf_err store_findings(struct store *s, int64_t version_id,
			   int64_t run_id, struct store_finding_list *out)
	RF_WARN_UNUSED;

/* A contact shared by listings. */
struct store_cluster {
	enum store_contact_type type;
	const char *value;
	size_t nlistings;
	const struct store_listing *listings;	/* current versions */
	size_t first_;				/* private */
};

/* Clusters; caller-owned (store_cluster_list_init/_release). */
struct store_cluster_list {
	struct store_cluster *items;
	size_t n, alloc;
	struct store_listing_list listings_;	/* private: the items' */
};

/* Prepares l (caller-owned, empty); _release frees items and strings. */
void store_cluster_list_init(struct store_cluster_list *l);
void store_cluster_list_release(struct store_cluster_list *l);

/*
 * Appends to out (initialised) each contact linked to at least
 * min_listings listings (2 or more makes sense) with all those listings;
 * with run_id, only contacts of a listing seen in that run. Largest
 * clusters first.
 */
enum rf_err store_clusters(struct store *s, int64_t run_id,
			   size_t min_listings,
			   struct store_cluster_list *out) RF_WARN_UNUSED;

/* One site's counts in one run. */
struct store_site_stats {
	int64_t run_id;
	int64_t run_started_at;
	const char *site;
	struct store_site_counts counts;
};

/* Site statistics; caller-owned (store_site_stats_list_init/_release). */
struct store_site_stats_list {
	struct store_site_stats *items;
	size_t n, alloc;
	struct store_strings strings_;		/* private */
};

/* Prepares l (caller-owned, empty); _release frees items and strings. */
void store_site_stats_list_init(struct store_site_stats_list *l);
void store_site_stats_list_release(struct store_site_stats_list *l);

/*
 * Appends to out (initialised) the site statistics of the last_runs
 * latest runs of job, by site, then oldest run first.
 */
enum rf_err store_site_stats(struct store *s, const char *job,
			     size_t last_runs,
			     struct store_site_stats_list *out) RF_WARN_UNUSED;

/* ---- retention ---- */

/*
 * Forgets the personal data of listings not seen for older_than_days
 * days: their text fields (title, salary, location, employer, posted
 * date, body) in every version, their findings, their contact links and
 * the contacts no other listing has. Kept: runs with their counts,
 * site_stats, pages (URLs and WARC places, no text), and each listing's
 * URL, site, dates, language, payload hashes, per-run scores and levels,
 * so aggregates and "seen before" stay right. A purged listing seen
 * again is stored whole again. Sets *n (may be NULL) to the listings
 * purged now. Freed space is overwritten (secure_delete) and the
 * write-ahead log is emptied when no batch is open.
 */
enum rf_err store_purge(struct store *s, int older_than_days, size_t *n)
	RF_WARN_UNUSED;

#endif
