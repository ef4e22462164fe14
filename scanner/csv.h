/* csv.h: an RFC 4180 reader (quoted fields, doubled quotes, CRLF, line
 * breaks inside quotes) with a cap on each field. */
#ifndef RF_SCANNER_CSV_H
#define RF_SCANNER_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

struct csv_row {
	struct buf *fields;
	size_t n, alloc;
};

void csv_row_init(struct csv_row *r);
void csv_row_release(struct csv_row *r);

/*
 * Reads the next record of text (len bytes) from *pos into r. Returns
 * false at the end. A field longer than its buffer's cap is cut and the
 * row marked by *truncated (may be NULL).
 */
bool csv_next(const char *text, size_t len, size_t *pos, struct csv_row *r,
	      bool *truncated);

#endif
