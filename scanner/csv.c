/* csv.c: RFC 4180 records, for redflag eval's labelled files. */
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/xmalloc.h"
#include "scanner/csv.h"
#include "common/banned.h"

void
csv_row_init(struct csv_row *r)
{
	memset(r, 0, sizeof(*r));
}

void
csv_row_release(struct csv_row *r)
{
	size_t i;

	for (i = 0; i < r->alloc; i++)
		buf_release(&r->fields[i]);
	free(r->fields);
	csv_row_init(r);
}

static struct buf *
next_field(struct csv_row *r)
{
	size_t old = r->alloc;

	ALLOC_GROW(r->fields, r->n + 1, r->alloc);
	for (; old < r->alloc; old++)
		buf_init(&r->fields[old], RF_CSV_FIELD_MAX);
	buf_reset(&r->fields[r->n]);
	return &r->fields[r->n++];
}

bool
csv_next(const char *text, size_t len, size_t *pos, struct csv_row *r,
	 bool *truncated)
{
	size_t i = *pos;
	struct buf *f;
	bool cut = false;

	r->n = 0;
	if (i >= len)
		return false;
	for (;;) {
		f = next_field(r);
		if (i < len && text[i] == '"') {
			i++;
			while (i < len) {
				if (text[i] == '"') {
					if (i + 1 < len && text[i + 1] == '"') {
						cut |= buf_addch(f, '"') != RF_OK;
						i += 2;
						continue;
					}
					i++;
					break;
				}
				cut |= buf_addch(f, text[i++]) != RF_OK;
			}
			/* anything up to the separator after the quote */
			while (i < len && text[i] != ',' && text[i] != '\n' &&
			       text[i] != '\r')
				cut |= buf_addch(f, text[i++]) != RF_OK;
		} else {
			size_t s = i;

			while (i < len && text[i] != ',' && text[i] != '\n' &&
			       text[i] != '\r')
				i++;
			cut |= buf_add(f, text + s, i - s) != RF_OK;
		}
		if (i < len && text[i] == ',') {
			i++;
			continue;
		}
		if (i < len && text[i] == '\r')
			i++;
		if (i < len && text[i] == '\n')
			i++;
		break;
	}
	*pos = i;
	if (truncated)
		*truncated = cut;
	return true;
}
