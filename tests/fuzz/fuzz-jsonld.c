/*
 * fuzz-jsonld.c: scanner/jsonld.h over any bytes, as the text of a
 * <script type="application/ld+json"> element. Nothing found leaves every
 * field NULL; a field found is never empty (the extractor takes a present
 * field as a value); when the JSON is valid UTF-8, so are the fields,
 * which reach the matcher and the reports; and jobposting_release()
 * leaves nothing behind (the leak checker sees to that).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/jsonld.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static void
check_field(const char *s, bool found, bool valid)
{
	if (!found) {
		FUZZ_ASSERT(s == NULL);
		return;
	}
	if (!s)
		return;
	FUZZ_ASSERT(*s);
	if (valid && !utf8_valid(s, strlen(s), NULL)) {
		fprintf(stderr, "field: '%s'\n", s);
		fuzz_fail(__FILE__, __LINE__, "a field is valid UTF-8");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct jobposting jp;
	/* the extractor passes libxml2's text content: a C string */
	char *json = xmemdupz(data, size);
	size_t len = strlen(json);
	bool valid = utf8_valid(json, len, NULL);
	bool found;

	found = jsonld_jobposting(json, len, &jp);
	check_field(jp.title, found, valid);
	check_field(jp.description, found, valid);
	check_field(jp.employer, found, valid);
	check_field(jp.salary, found, valid);
	check_field(jp.location, found, valid);
	check_field(jp.posted, found, valid);
	jobposting_release(&jp);
	FUZZ_ASSERT(!jp.title && !jp.description && !jp.employer &&
		    !jp.salary && !jp.location && !jp.posted);
	/* the same bytes without the NUL that ends them */
	(void)jsonld_jobposting((const char *)data, size, &jp);
	jobposting_release(&jp);
	free(json);
	return 0;
}
