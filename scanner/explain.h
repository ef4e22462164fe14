/* explain.h: the trace behind a score (rules explain, scan --explain). */
#ifndef RF_SCANNER_EXPLAIN_H
#define RF_SCANNER_EXPLAIN_H

#include "common/buf.h"
#include "common/json.h"
#include "rules/rules.h"

/* Appends a readable trace of res (scanned from in) to out: fired rules
 * with each match in context, points per indicator, bonus, score, level
 * and close calls. res must come from a matcher with explain on. */
void explain_text(struct buf *out, const struct scan_result *res,
		  const struct scan_input *in);
/* Writes the same as one JSON object value. */
void explain_json(struct json *j, const struct scan_result *res);

#endif
