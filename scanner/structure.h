/*
 * structure.h: verdicts from the shape of a run's listings rather than
 * their words. One contact behind many listings, or one text posted in
 * many places, is indicator J18 (../shared/INDICATORS.md); `redflag run`
 * and `rescore` add it after the run's listings are stored.
 */
#ifndef RF_SCANNER_STRUCTURE_H
#define RF_SCANNER_STRUCTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"
#include "reports/reports.h"
#include "store/store.h"

/* Rule ids of structural findings start with this. */
#define STRUCTURE_RULE_PREFIX "structure."

/*
 * The points cluster c adds to each of its listings as a J18 finding,
 * 0 when it makes none; *rule (may be NULL) gets the finding's rule id.
 * The policy (docs/detection.md, "J18"):
 *   - only a cluster in which some listing has an indicator other than
 *     J18 counts: a large employer's one HR phone behind many plain
 *     vacancies is not a sign by itself;
 *   - a shared contact: 1 point with 3 or more listings, or 2 listings
 *     spread over sites, locations or languages; 2 points with 3 or more
 *     listings so spread;
 *   - near-identical text: only when spread over sites or locations (one
 *     site's broken template makes all its pages "identical"): 1 point,
 *     2 with 3 or more listings.
 */
int structure_j18_points(const struct report_cluster *c, const char **rule);

/*
 * A shared contact on one site behind at least this many listings, and
 * behind half or more of the listings the run saw on that site, is taken
 * for the site's own (a support phone in the page chrome that extraction
 * kept) and makes no J18 finding.
 */
#define STRUCTURE_CHROME_MIN_LISTINGS 10

/* Whether c looks like the page chrome of its one site, which the run saw
 * site_listings listings of (see STRUCTURE_CHROME_MIN_LISTINGS). */
bool structure_is_chrome(const struct report_cluster *c,
			 size_t site_listings);

struct structure_counts {
	size_t clusters;	/* clusters that made J18 findings */
	size_t chrome;		/* clusters taken for a site's own contact */
	size_t listings;	/* listings with a J18 finding now */
	size_t changed;		/* listings whose verdict changed */
};

/*
 * Computes the clusters of run_id and sets the J18 findings of every
 * listing the run saw: adds them where a cluster makes one, replaces
 * them where they changed, drops them where none is made any more, and
 * moves the listing's score and level in the run accordingly. Call once
 * per run, after its listings are stored by the pipeline (whose scores
 * are the rules' alone). On failure msg says why.
 */
enum rf_err structure_apply(struct store *s, int64_t run_id,
			    struct structure_counts *out, struct buf *msg)
	RF_WARN_UNUSED;

#endif
