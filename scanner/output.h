/* output.h: result formats of scan, looked up by name. */
#ifndef RF_SCANNER_OUTPUT_H
#define RF_SCANNER_OUTPUT_H

#include "common/buf.h"
#include "rules/rules.h"
#include "scanner/document.h"

/* The version of the JSON Lines schema (redflag(1), OUTPUT). */
#define RF_SCHEMA_VERSION 1

/* flags of output_format.document */
#define OUT_EXPLAIN 0x1u	/* add the trace behind the score */

struct output_format {
	const char *name;
	/* writes a header, if the format has one; may be NULL */
	void (*begin)(struct buf *out);
	/* writes one document; res is NULL when it was not scored */
	void (*document)(struct buf *out, const struct document *d,
			 const struct scan_result *res,
			 const struct scan_input *in, unsigned flags);
};

/* Returns the format called name, or NULL. */
const struct output_format *output_format_find(const char *name);

/* Writes the JSON object of d (shared with extract). */
void output_json_document(struct buf *out, const struct document *d,
			  const struct scan_result *res,
			  const struct scan_input *in, bool with_text,
			  unsigned flags);

#endif
