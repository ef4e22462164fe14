/*
 * store-int.h: what the store's front (store.c) and its backends share:
 * the table of backend operations and the part of a handle every backend
 * embeds first.
 *
 * The front checks and caps every argument before it reaches a backend,
 * so a backend may rely on: ids > 0, required strings present, valid
 * UTF-8 within their caps, hashes as 64 lower-case hex digits, findings
 * and contacts within their count caps, enums in range.
 */
#ifndef RF_STORE_STORE_INT_H
#define RF_STORE_STORE_INT_H

#include <stdbool.h>

#include "common/buf.h"
#include "common/err.h"
#include "store/store.h"

struct store_ops {
	const char *name;
	/*
	 * Sets *out to a new handle, also on failure (then carrying the
	 * message); the front fills in ops.
	 */
	enum rf_err (*open)(const char *path, unsigned flags,
			    struct store **out);
	/* Frees s, half-built or not. */
	void (*close)(struct store *s);

	enum rf_err (*begin)(struct store *s);
	enum rf_err (*commit)(struct store *s);
	enum rf_err (*rollback)(struct store *s);

	enum rf_err (*run_begin)(struct store *s,
				 const struct store_run_start *start,
				 int64_t *run_id);
	enum rf_err (*run_finish)(struct store *s, int64_t run_id,
				  const struct store_run_end *end);
	enum rf_err (*runs_interrupt)(struct store *s, const char *job,
				      enum store_level alert_level,
				      size_t *n);
	enum rf_err (*run_get)(struct store *s, int64_t run_id,
			       struct store_run *out);
	enum rf_err (*run_previous)(struct store *s, const char *job,
				    int64_t before_run, struct store_run *out);

	enum rf_err (*page_add)(struct store *s, int64_t run_id,
				const struct store_page *p, int64_t *page_id);
	enum rf_err (*pages_foreach)(struct store *s, int64_t run_id,
				     store_page_fn fn, void *arg);
	enum rf_err (*page_last)(struct store *s, const char *url,
				 store_page_fn fn, void *arg);

	enum rf_err (*listing_upsert)(struct store *s, int64_t run_id,
				      const struct store_sighting *in,
				      struct store_upsert *res);
	/* replace: whether findings are given (f non-NULL in the call) */
	enum rf_err (*verdict_set)(struct store *s, int64_t run_id,
				   int64_t version_id, bool replace,
				   const struct store_finding *f, size_t n,
				   int score, enum store_level level);
	enum rf_err (*mark_removed)(struct store *s, int64_t run_id,
				    const char *const *sites, size_t nsites,
				    size_t *n);
	enum rf_err (*site_stats_add)(struct store *s, int64_t run_id,
				      const char *site,
				      const struct store_site_counts *c);

	enum rf_err (*listings)(struct store *s, int64_t run_id,
				unsigned which, enum store_level min_level,
				struct store_listing_list *out);
	enum rf_err (*history)(struct store *s, int64_t listing_id,
			       struct store_version_list *out);
	enum rf_err (*findings)(struct store *s, int64_t version_id,
				int64_t run_id, struct store_finding_list *out);
	enum rf_err (*clusters)(struct store *s, int64_t run_id,
				size_t min_listings,
				struct store_cluster_list *out);
	enum rf_err (*site_stats)(struct store *s, const char *job,
				  size_t last_runs,
				  struct store_site_stats_list *out);

	enum rf_err (*purge)(struct store *s, int64_t cutoff, int64_t now,
			     size_t *n);
};

/* The head of every backend's handle. */
struct store {
	const struct store_ops *ops;
	bool open;		/* opening succeeded: set by the front */
	struct buf errmsg;
};

extern const struct store_ops store_sqlite_ops;

/*
 * Opens path like the sqlite backend's open, with the migration steps
 * steps[0..nsteps) (SQL text, step i bringing the schema to version
 * i + 1) instead of the built-in ones: for tests of the migration rule.
 */
enum rf_err store_sqlite_open_with(const char *path, unsigned flags,
				   const char *const *steps, size_t nsteps,
				   struct store **out);
/* The built-in migration steps, STORE_SCHEMA_VERSION of them. */
extern const char *const store_sqlite_migrations[];

/* Prepares the head of a backend's new handle. */
void store_base_init(struct store *s, const struct store_ops *ops);
/* Frees what the head holds (not s itself). */
void store_base_release(struct store *s);
/* Sets s's message (printf-like) and returns err. */
enum rf_err store_fail(struct store *s, enum rf_err err, const char *fmt, ...)
	RF_PRINTF(3, 4);

/* Keeps a copy of the len bytes at p in strs; returns the copy, or NULL
 * when p is NULL. */
const char *store_strings_add(struct store_strings *strs, const char *p,
			      size_t len);
void store_strings_release(struct store_strings *strs);

/* Appends one zeroed item to a result list and returns it. */
struct store_listing *store_listing_list_push(struct store_listing_list *l);
struct store_version *store_version_list_push(struct store_version_list *l);
struct store_finding *store_finding_list_push(struct store_finding_list *l);
struct store_site_stats *
store_site_stats_list_push(struct store_site_stats_list *l);

#endif
