/*
 * pipeline.h: one fetched page through extraction, scanning and the
 * store: what `redflag run` does per page and `rescore` per stored page.
 */
#ifndef RF_SCANNER_PIPELINE_H
#define RF_SCANNER_PIPELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "common/buf.h"
#include "rules/rules.h"
#include "scanner/document.h"
#include "store/store.h"

struct pipeline_opts {
	const struct ruleset *rs;	/* borrowed */
	struct store *store;		/* borrowed */
	int64_t run_id;
};

/* One fetched page. Borrowed for the call; strings may be NULL except
 * url and site. */
struct page_in {
	const char *url;
	const char *site;		/* registrable domain */
	int64_t fetched_at;
	int http_status;
	const char *content_type;	/* the response's header */
	/* payload, Content-Encoding undone; for a 304, the payload of
	 * the earlier capture (it is scanned as a 2xx's) */
	const char *body;
	size_t len;
	const char *warc_file;		/* where the response record is */
	int64_t warc_offset;
	const char *warc_record_id;
	bool is_listing;		/* scan and store it as a listing */
	const struct profile_set *profiles;	/* the site's, or NULL */
};

/* What became of a page. Caller-owned: page_out_init/_release. */
struct page_out {
	int64_t page_id;
	bool listing;			/* scanned and stored as a listing */
	enum doc_status status;
	int score;
	enum risk_level level;
	enum store_change change;
	struct buf result;		/* the scan result as one JSON line */
};

void page_out_init(struct page_out *o);
void page_out_release(struct page_out *o);

struct pipeline;
/* A new pipeline (one per thread); borrows what opts points at. */
struct pipeline *pipeline_new(const struct pipeline_opts *opts);
void pipeline_free(struct pipeline *p);
/*
 * Records pg as a page of the run and, if it is a listing with text,
 * extracts, scans and stores it (new, changed or unchanged; findings and
 * contacts with it). Store failures are returned (RF_EDB etc.); a page
 * that cannot be extracted is not a failure: out->status says why.
 */
enum rf_err pipeline_page(struct pipeline *p, const struct page_in *pg,
			  struct page_out *out) RF_WARN_UNUSED;

#endif
