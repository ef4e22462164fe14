/*
 * reports-int.h: what the files of reports/ share: the report as read
 * from the store (struct report), the string pool, the labels in each
 * language and the backends' table.
 */
#ifndef RF_REPORTS_INT_H
#define RF_REPORTS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "reports/reports.h"

/* Strings owned together and freed at once. */
struct rpool {
	char **v;
	size_t n, alloc;
};

void rpool_init(struct rpool *p);
void rpool_release(struct rpool *p);
/* A copy of s owned by p; NULL stays NULL. */
const char *rpool_dup(struct rpool *p, const char *s);
/* A copy of n bytes at s, NUL-terminated, owned by p. */
const char *rpool_dupn(struct rpool *p, const char *s, size_t n);
/* Takes s (from xmalloc) into p and returns it. */
const char *rpool_take(struct rpool *p, char *s);
/* n zeroed bytes owned by p (n may be 0). */
void *rpool_alloc(struct rpool *p, size_t n);

/* A map from ids to indexes (open addressing). */
struct imap {
	int64_t *keys;		/* 0: empty slot */
	size_t *vals;
	size_t n, cap;
};

void imap_init(struct imap *m);
void imap_release(struct imap *m);
/* Whether key (> 0) is there; *val gets its value. */
bool imap_get(const struct imap *m, int64_t key, size_t *val);
/* Sets key (> 0) to val. */
void imap_put(struct imap *m, int64_t key, size_t val);

/* One finding as the report shows it. */
struct rep_hit {
	const char *rule_id;
	const char *indicator;	/* NULL if the rule names none */
	const char *field;
	const char *text;
	int weight;
	size_t start, end;
	bool placed;		/* start..end lie in the shown field text */
};

struct rep_contact {
	enum store_contact_type type;
	const char *value;	/* a pseudonym when the report has a key */
};

/* One listing as the report shows it. */
struct rep_listing {
	int64_t id, version_id;
	int64_t run_id;		/* the run whose verdict this is */
	enum store_change change;
	int score;
	enum store_level level;
	const char *url, *site, *lang, *payload_sha256;
	const char *title, *salary, *location, *employer, *posted;
	const char *text;	/* the body; NULL when purged or unknown */
	bool purged;
	int64_t first_seen_at, last_seen_at, captured_at, removed_at;
	struct rep_hit *hits;
	size_t nhits;
	const char **indicators;	/* distinct, sorted */
	size_t nindicators;
	struct rep_contact *contacts;
	size_t ncontacts;
};

/* One bar of the chart of levels per run. */
struct rep_chart_run {
	int64_t run_id;
	int64_t started_at;
	int64_t level[4];	/* new or changed listings, by level */
};

/* A name and how many listings have it. */
struct rep_count {
	const char *name;
	int64_t n;
};

struct rep_counts {
	struct rep_count *items;	/* most first, then by name */
	size_t n, alloc;
};

struct report {
	struct rpool pool;
	enum report_lang lang;
	bool pseudonymized;
	enum store_level min_level;
	bool unchanged;
	int64_t generated_at;
	int64_t since;			/* as asked, or 0 */
	/* the runs, oldest first; the report is about the last */
	struct store_run *runs;
	size_t nruns;
	const char *job;
	/* listings shown: new, changed (and unchanged if asked) at or
	 * above min_level, by risk; then the removed ones */
	struct rep_listing *listings;
	size_t nlistings, listings_alloc;
	struct rep_listing *removed;
	size_t nremoved, removed_alloc;
	/* counts over every listing of the runs, whatever its level */
	int64_t nnew, nchanged, nunchanged, nremoved_all;
	int64_t by_level[4];		/* new and changed, by level */
	struct rep_counts by_site;	/* new and changed at >= low */
	struct rep_counts by_lang;	/* new and changed at >= low */
	/* over the listings shown (not removed) */
	struct rep_counts by_indicator;
	int64_t by_dimension[6];	/* A..F */
	int64_t no_dimension;		/* listings with contextual
					 * indicators only */
	struct rep_chart_run *chart;	/* oldest first */
	size_t nchart;
	struct report_clusters clusters;
	struct report_sites sites;
};

/* ---- indicators (INDICATORS.md) ---- */

/* The ILO dimension letter of indicator id, 0 when contextual or
 * unknown. */
char rep_indicator_dimension(const char *id);
/* The indicator's short name in lang, or NULL when unknown. */
const char *rep_indicator_name(const char *id, enum report_lang lang);
/* The name of ILO dimension d ('A'..'F') in lang. */
const char *rep_dimension_name(char d, enum report_lang lang);

/* ---- labels ---- */

enum rep_label {
	L_TITLE,
	L_RUN,
	L_RUNS,
	L_STARTED,
	L_FINISHED,
	L_STATUS,
	L_GENERATED,
	L_SINCE,
	L_SUMMARY,
	L_NEW,
	L_CHANGED,
	L_UNCHANGED,
	L_REMOVED,
	L_BY_INDICATOR,
	L_BY_DIMENSION,
	L_BY_SITE,
	L_BY_LANG,
	L_LISTINGS,
	L_LISTINGS_NOTE,
	L_NO_LISTINGS,
	L_MORE_LISTINGS,
	L_LEVEL,
	L_INDICATORS,
	L_SITE,
	L_LOCATION,
	L_SALARY,
	L_EMPLOYER,
	L_POSTED,
	L_URL,
	L_CAPTURED,
	L_FIRST_SEEN,
	L_LAST_SEEN,
	L_PAYLOAD,
	L_RULE,
	L_MATCHED,
	L_CONTACTS,
	L_TEXT_PURGED,
	L_NOT_PLACED,
	L_CLUSTERS,
	L_CLUSTERS_NOTE,
	L_NO_CLUSTERS,
	L_CLUSTER_KIND,
	L_CLUSTER_KEY,
	L_CLUSTER_SIZE,
	L_SITES_N,
	L_LOCATIONS_N,
	L_IN_CLUSTERS,
	L_SITE_HEALTH,
	L_SITE_HEALTH_NOTE,
	L_SILENT_SITES,
	L_PAGES,
	L_BLOCKED,
	L_ERRORS,
	L_YIELD,
	L_USUAL,
	L_VERDICT,
	L_OK,
	L_NOT_JUDGED,
	L_CHART_LEVELS,
	L_CHART_INDICATORS,
	L_CHART_SITES,
	L_PSEUDONYMIZED,
	L_NO_DIMENSION,
	L_FOOTER,
	L_NONE,
	L_TEXT_CAPPED,
	L_N_LISTINGS,
	L_N_SITES,
	L_N_PAGES,
	L_N_BLOCKED,
	L_MEMBERS,
	L_MAX
};

/* The label in lang. */
const char *rep_label(enum rep_label id, enum report_lang lang);
/* "none", "low", "medium", "high" in lang. */
const char *rep_level_name(enum store_level l, enum report_lang lang);
/* "new", "changed", "unchanged", "removed" in lang. */
const char *rep_change_name(enum store_change c, enum report_lang lang);
/* "running", "finished", "failed", "interrupted" in lang. */
const char *rep_status_name(enum store_run_status st, enum report_lang lang);
/* "phone", ..., "text" in lang. */
const char *rep_cluster_kind_label(enum report_cluster_kind k,
				   enum report_lang lang);
/* A collapse reason in lang. */
const char *rep_collapse_label(enum report_collapse c, enum report_lang lang);

/* "none", "low", "medium", "high": the store's level in English. */
const char *rep_level_key(enum store_level l);

/* ---- reading the store ---- */

/* The id of the newest run in s (runs are numbered 1, 2, ... without
 * gaps), 0 when there is none. */
enum rf_err rep_last_run_id(struct store *s, int64_t *out) RF_WARN_UNUSED;

/* ---- helpers for the backends ---- */

/* Appends t as "2026-11-28 03:14 UTC" (date_only: "2026-11-28"). */
void rep_time(struct buf *out, int64_t t, bool date_only);
/* Appends t as ISO 8601 "2026-11-28T03:14:05Z". */
void rep_time_iso(struct buf *out, int64_t t);
/* The cluster of r at index i. */
const struct report_cluster *rep_cluster(const struct report *r, size_t i);

/* A backend: renders the whole report into out. */
struct rep_backend {
	const char *name;
	void (*render)(const struct report *r, struct buf *out);
};

void rep_render_html(const struct report *r, struct buf *out);
void rep_render_csv(const struct report *r, struct buf *out);
void rep_render_jsonl(const struct report *r, struct buf *out);
void rep_render_md(const struct report *r, struct buf *out);

#endif
