/*
 * reports.h: what people read after a run — the report of one run or of
 * the runs since a date, rendered as self-contained HTML, CSV, JSON Lines
 * or Markdown — and the two facts `redflag run` acts on: clusters of
 * listings behind one contact or one text (indicator J18), and sites
 * whose yield collapsed. Everything is read from the store; nothing here
 * crawls, scans or writes to the store. docs/reports.md describes the
 * formats.
 *
 * Conventions: strings are NUL-terminated UTF-8; results live in
 * caller-owned containers (_init/_release) or heap objects (_new/_free)
 * that own their strings; errors are enum rf_err values, with a message
 * appended to an optional struct buf *msg. Nothing is printed.
 */
#ifndef RF_REPORTS_REPORTS_H
#define RF_REPORTS_REPORTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "store/store.h"

/* ---- clusters: one contact or one text behind many listings ---- */

enum report_cluster_kind {
	REPORT_CLUSTER_PHONE = 0,	/* a shared phone number */
	REPORT_CLUSTER_HANDLE,		/* a shared messenger handle */
	REPORT_CLUSTER_EMAIL,		/* a shared e-mail address */
	REPORT_CLUSTER_LINK,		/* a shared t.me/... link */
	REPORT_CLUSTER_TEXT,		/* near-identical text (simhash) */
	REPORT_CLUSTER_MAX
};

/* "phone", "handle", "email", "link", "text". */
const char *report_cluster_kind_name(enum report_cluster_kind k);

/*
 * Two texts are near-identical when their 64-bit simhashes differ in at
 * most this many bits. Measured on 1,861 real Russian job ads (median 45
 * words; docs/reports.md): of the 661 pairs within 10 bits, 602 are the
 * same text and all but one of the rest share 60% or more of their words
 * (that one shares a long boilerplate sentence); unrelated pairs start at
 * 12-13 bits. One changed word moves an ad by 5 bits (9 at the 90th
 * percentile), so light edits are found, heavy rewrites are not.
 */
#define REPORT_SIMHASH_DISTANCE		10
/* Texts with fewer words than this get no simhash (too short to tell a
 * copy from a coincidence). */
#define REPORT_SIMHASH_MIN_WORDS	8

/* A listing in a cluster, as the store has it now. */
struct report_member {
	int64_t id;
	const char *url, *site;
	const char *title, *location;	/* NULL when unknown or purged */
	const char *lang;		/* NULL when unknown */
	int score;
	enum store_level level;
};

struct report_cluster {
	enum report_cluster_kind kind;
	/* the contact's normalized value, or for text "simhash:" and the
	 * 16 hex digits of its first listing's simhash */
	const char *key;
	size_t nlistings;		/* 2 or more */
	const int64_t *listings;	/* listing ids, ascending */
	const struct report_member *members;	/* the same, in detail */
	size_t nsites;			/* distinct sites among them */
	size_t nlocations;		/* distinct non-empty locations */
	size_t nlangs;			/* distinct known languages */
	/* the indicators of all its listings together, sorted, each once */
	const char *const *indicators;
	size_t nindicators;
	int max_score;
	enum store_level max_level;
};

/* Clusters; caller-owned (report_clusters_init/_release). */
struct report_clusters {
	struct report_cluster *items;	/* largest first */
	size_t n, alloc;
	bool text_capped;	/* more listings than
				 * RF_REPORT_SIMHASH_LISTINGS_MAX: the
				 * lowest-scored were not compared */
	/* private: who belongs where, and what the items point to */
	int64_t *member_listing_;
	size_t *member_cluster_;
	size_t nmembers_, members_alloc_;
	void *pool_;
};

void report_clusters_init(struct report_clusters *c);
void report_clusters_release(struct report_clusters *c);

/*
 * Appends to c (initialised, empty) the clusters of run_id: every
 * contact (phone, handle, e-mail, t.me link) that a listing seen in the
 * run shares with at least one other listing, stored in any run, and
 * every group of listings seen in the run whose title and text are
 * near-identical (64-bit simhash over the pairs of consecutive words of
 * the title and text, lower-cased, ё as е, numbers and punctuation left
 * out; a group is the closure of pairs within REPORT_SIMHASH_DISTANCE
 * bits, so a chain of small edits joins one group). Each cluster carries the
 * indicators of its listings' findings in effect at run_id.
 *
 * For `redflag run`: call after the run's listings are stored, then for
 * each listing ask report_clusters_of(). Whether a cluster makes a J18
 * finding is the caller's decision: a site whose extraction broke makes
 * all its listings "identical", so a text cluster on one site and one
 * location (nsites == 1, nlocations <= 1) is weak evidence.
 */
enum rf_err report_clusters_compute(struct store *s, int64_t run_id,
				    struct report_clusters *c,
				    struct buf *msg) RF_WARN_UNUSED;

/*
 * The clusters listing_id belongs to: returns how many and points *idx
 * (may be NULL) at that many indexes into c->items, ascending; the
 * array belongs to c.
 */
size_t report_clusters_of(const struct report_clusters *c,
			  int64_t listing_id, const size_t **idx);

/* Near-identical text: the 64-bit simhash of len bytes of UTF-8 at text
 * (see report_clusters_compute), and whether there were enough words. */
bool report_simhash(const char *text, size_t len, uint64_t *out);
/* Bits in which a and b differ. */
int report_simhash_distance(uint64_t a, uint64_t b);

/* ---- site health: a silent site must not look like a safe one ---- */

/* Runs before the reported one that a site is measured against. */
#define REPORT_HEALTH_RUNS		7
/* A site is judged only after this many earlier runs with its counts
 * and a median yield of at least REPORT_HEALTH_MIN_YIELD listings. */
#define REPORT_HEALTH_MIN_RUNS		2
#define REPORT_HEALTH_MIN_YIELD		3
/* Yield has collapsed when it is at most 1/REPORT_HEALTH_DROP of the
 * median of the earlier runs. */
#define REPORT_HEALTH_DROP		4

enum report_collapse {
	REPORT_COLLAPSE_NONE = 0,
	REPORT_COLLAPSE_MISSING,	/* no pages at all in this run */
	REPORT_COLLAPSE_BLOCKED,	/* most pages anti-bot or script-only */
	REPORT_COLLAPSE_ERRORS,		/* most fetches failed */
	REPORT_COLLAPSE_FEWER_PAGES,	/* far fewer pages than usual */
	REPORT_COLLAPSE_NO_LISTINGS,	/* pages as usual, listings gone: the
					 * site's template changed? */
	REPORT_COLLAPSE_MAX
};

/* "none", "missing", "blocked", "errors", "fewer-pages",
 * "no-listings". */
const char *report_collapse_name(enum report_collapse c);

struct report_site {
	const char *site;
	bool in_run;			/* the run has counts for it */
	struct store_site_counts now;	/* in the run (zeros if !in_run) */
	/* the median of each count over the earlier runs (up to
	 * REPORT_HEALTH_RUNS finished runs of the job) that have the site */
	struct store_site_counts usual;
	size_t nearlier;		/* how many such runs */
	/* listings extracted per run, oldest first, the run last; -1 where
	 * a run has no counts for the site */
	int64_t yield[REPORT_HEALTH_RUNS + 1];
	size_t nyield;
	bool judged;			/* enough history to judge */
	bool collapsed;
	enum report_collapse reason;	/* NONE unless collapsed */
	const char *why;		/* one English sentence; "" if fine */
};

/* Site health; caller-owned (report_sites_init/_release). */
struct report_sites {
	struct report_site *items;	/* collapsed first, then by site */
	size_t n, alloc;
	size_t ncollapsed;
	void *pool_;			/* private: the strings */
};

void report_sites_init(struct report_sites *l);
void report_sites_release(struct report_sites *l);

/*
 * Appends to l (initialised, empty) the health of every site that run_id
 * or one of the REPORT_HEALTH_RUNS finished runs of its job before it
 * has counts for. A site is collapsed when it is judged (see above) and
 * its yield is at most the usual yield / REPORT_HEALTH_DROP, or when it
 * fetched pages and every one of them was blocked (judged or not); the
 * reason says what changed most: no pages, blocked pages, failed
 * fetches, fewer pages, or listings gone while pages stayed.
 *
 * For `redflag run`: call after the run's site statistics are stored;
 * l->ncollapsed > 0 is when the job's notify command should run, with
 * each collapsed item's site and why.
 */
enum rf_err report_site_health(struct store *s, int64_t run_id,
			       struct report_sites *l, struct buf *msg)
	RF_WARN_UNUSED;

/* ---- pseudonymization ---- */

/* An HMAC key: caller-owned storage; no _release. */
struct report_key {
	unsigned char k[RF_REPORT_KEY_MAX_BYTES];
	size_t len;
};

/* HMAC-SHA256 (RFC 2104) of msg under key. */
void report_hmac_sha256(const void *key, size_t keylen, const void *msg,
			size_t msglen, unsigned char out[SHA256_DIGEST_LEN]);

/*
 * Reads the key in the file at path: its bytes, trailing white space
 * removed, RF_REPORT_KEY_MIN_BYTES to RF_REPORT_KEY_MAX_BYTES of them. A
 * file that others may read, write or run (mode & 007) is refused
 * (RF_EINVAL). When the file does not exist and create is set, a new key
 * (32 random bytes from getrandom(2), written as 64 hex digits) is
 * stored there with mode 0600 first; two processes creating it at once
 * end up with the same key.
 */
enum rf_err report_key_load(const char *path, bool create,
			    struct report_key *key, struct buf *msg)
	RF_WARN_UNUSED;

/*
 * The pseudonym of a contact: a type tag and 12 hex digits of
 * HMAC-SHA256(key, type ":" value) ("[phone:3fa9c2d17b04]"), with value
 * normalized as the store keeps it (phones as digits in E.164, handles
 * and e-mails lower case). Appends to out.
 */
void report_pseudonym(const struct report_key *key,
		      enum store_contact_type type, const char *value,
		      struct buf *out);

/*
 * Appends text (len bytes) to out with every phone number (10 to 15
 * digits, written with spaces, dots, dashes or brackets, a leading + or
 * not), @handle, e-mail address and t.me or wa.me link replaced by its
 * pseudonym. Errs on the side of replacing: a date with a time may look
 * like a phone. When map is not NULL, *map gets a new array of len + 1
 * offsets the caller frees: (*map)[i] is where byte i of text went in
 * the output (the start of a pseudonym for bytes inside one).
 */
void report_pseudonymize(const struct report_key *key, const char *text,
			 size_t len, struct buf *out, size_t **map);

/* ---- the report ---- */

enum report_lang {
	REPORT_LANG_EN = 0,
	REPORT_LANG_RU,
	REPORT_LANG_MAX
};

/* Parses "en" or "ru"; RF_EINVAL otherwise. */
enum rf_err report_lang_parse(const char *s, enum report_lang *out)
	RF_WARN_UNUSED;

/* Runs shown in the chart of levels per run. */
#define REPORT_CHART_RUNS		30

struct report_opts {
	/* which runs: run_id if not 0; else, with since > 0, every
	 * finished run that finished at or after since (Unix seconds);
	 * else the latest finished run */
	int64_t run_id;
	int64_t since;
	/* listings below this level are counted but not shown */
	enum store_level min_level;
	bool unchanged;		/* show unchanged listings too */
	enum report_lang lang;	/* of the HTML and Markdown labels */
	/* pseudonymize contacts with this key (borrowed), or NULL */
	const struct report_key *key;
	int64_t now;		/* when the report is made; 0: now */
};

/* Sets o to the defaults: the latest finished run, level low, English. */
void report_opts_init(struct report_opts *o);

struct report;

/*
 * Reads what the report shows from s into a new report (*out) the caller
 * frees with report_free(); borrows o for the call. RF_ENOENT when there
 * is no such run, or no finished run; RF_EDB and the others from the
 * store, with the store's message in msg.
 */
enum rf_err report_new(struct store *s, const struct report_opts *o,
		       struct report **out, struct buf *msg) RF_WARN_UNUSED;
void report_free(struct report *r);

/* The run the report is about (the latest of its runs). */
int64_t report_run_id(const struct report *r);
/* The clusters and site health the report shows; borrowed from r. */
const struct report_clusters *report_get_clusters(const struct report *r);
const struct report_sites *report_get_sites(const struct report *r);

/* Whether name is a format: "html", "csv", "jsonl" or "md". */
bool report_format_known(const char *name);
/* The format a file name implies by its extension (".html", ".htm",
 * ".csv", ".jsonl", ".json", ".md"), or NULL. */
const char *report_format_of_path(const char *path);

/*
 * Appends r rendered in format to out (caps at RF_REPORT_MAX_BYTES):
 * RF_EINVAL for an unknown format, RF_ETOOBIG past the cap.
 */
enum rf_err report_render(const struct report *r, const char *format,
			  struct buf *out) RF_WARN_UNUSED;

/*
 * Writes r in format to path atomically: a temporary file in the same
 * directory, mode 0640 whatever the umask, synced, then renamed over
 * path. On failure path is untouched and msg says why.
 */
enum rf_err report_write(const struct report *r, const char *format,
			 const char *path, struct buf *msg) RF_WARN_UNUSED;

/*
 * For `redflag run`: writes r in all four formats as dir/stem.html,
 * .csv, .jsonl and .md, each as report_write() does. Stops at the first
 * failure.
 */
enum rf_err report_write_all(const struct report *r, const char *dir,
			     const char *stem, struct buf *msg)
	RF_WARN_UNUSED;

/*
 * Atomically replaces path with len bytes at data, mode mode (e.g.
 * 0640) whatever the umask; msg says what failed.
 */
enum rf_err report_file_replace(const char *path, const void *data,
				size_t len, unsigned mode, struct buf *msg)
	RF_WARN_UNUSED;

#endif
