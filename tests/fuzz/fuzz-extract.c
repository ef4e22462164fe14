/*
 * fuzz-extract.c: scanner/document.h's extract_document over any bytes, as
 * the scanner reads a file or a fetched page. What comes out feeds the
 * matcher, which trusts it: title and body must be valid UTF-8 within the
 * field cap, contacts must lie inside the body, and an error must say why.
 */
#include <stdbool.h>
#include <string.h>

#include <libxml/parser.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "scanner/document.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	xmlInitParser();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct document d;
	size_t i;

	document_init(&d, "fuzz");
	extract_document(&d, (const char *)data, size);
	if (d.status == DOC_ERROR) {
		FUZZ_ASSERT(d.error && *d.error);
		FUZZ_ASSERT(d.err != RF_OK);
	} else {
		FUZZ_ASSERT(utf8_valid(d.title.data, d.title.len, NULL));
		FUZZ_ASSERT(utf8_valid(d.body.data, d.body.len, NULL));
		FUZZ_ASSERT(d.body.len <= RF_FIELD_MAX_BYTES);
		FUZZ_ASSERT(d.has_title == (d.title.len > 0));
		FUZZ_ASSERT(d.status != DOC_EMPTY || d.body.len == 0);
		for (i = 0; i < d.contacts.n; i++)
			FUZZ_ASSERT(d.contacts.items[i].end <= d.body.len);
	}
	document_release(&d);
	return 0;
}
