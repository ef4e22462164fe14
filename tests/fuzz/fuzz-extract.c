/*
 * fuzz-extract.c: scanner/document.h's extract_document over any bytes, as
 * the scanner reads a file or a fetched page. What comes out feeds the
 * matcher, which trusts it: title and body must be valid UTF-8 within the
 * field cap, contacts must lie inside the body, and an error must say why.
 * Inputs whose first byte is odd are read through an extraction profile
 * (scanner/profile.h) that drops nested blocks and reads every field;
 * the others are read a second time without their text set aside
 * (extract_set_hold()), which must give the same document.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/document.h"
#include "scanner/profile.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static struct profile_set *profiles;

static const char profile_text[] =
	"[profile fuzz]\n"
	"url = ^https://fuzz\\.example/\n"
	"title = //h1 | //title\n"
	"body = //p | //div[@class] | //li/text()\n"
	"salary = normalize-space(//span)\n"
	"location = //td\n"
	"employer = //b | //i\n"
	"contacts = //a/@href | //footer\n"
	"posted = //time/@datetime\n"
	"drop = //div[div] | //div/div\n"
	"drop = //table//* | //comment()\n";

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[] = "/tmp/fuzz-extract-XXXXXX";
	int fd = mkstemp(path);
	struct buf err;
	FILE *f;

	xmlInitParser();
	buf_init(&err, 0);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f || fputs(profile_text, f) < 0 || fclose(f) != 0)
		abort();
	profiles = profile_set_new();
	if (profile_set_load(profiles, path, &err) != RF_OK) {
		fputs(err.data, stderr);
		abort();
	}
	unlink(path);
	buf_release(&err);
	return 0;
}

/* Whether two readings of one input give the same document. */
static bool
same_document(const struct document *a, const struct document *b)
{
	size_t i;

	if (a->status != b->status || a->has_title != b->has_title ||
	    a->body.len != b->body.len || a->title.len != b->title.len ||
	    memcmp(a->body.data, b->body.data, a->body.len) != 0 ||
	    memcmp(a->title.data, b->title.data, a->title.len) != 0 ||
	    strcmp(a->contacts_text.data, b->contacts_text.data) != 0 ||
	    strcmp(a->note ? a->note : "", b->note ? b->note : "") != 0 ||
	    strcmp(a->lang ? a->lang : "", b->lang ? b->lang : "") != 0 ||
	    a->structured != b->structured || a->contacts.n != b->contacts.n)
		return false;
	for (i = 0; i < a->contacts.n; i++)
		if (a->contacts.items[i].start != b->contacts.items[i].start ||
		    a->contacts.items[i].end != b->contacts.items[i].end)
			return false;
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct document d, as_is;
	size_t i;

	document_init(&d, "fuzz");
	if (size && (data[0] & 1)) {
		d.url = xstrdup("https://fuzz.example/ad/1");
		d.profiles = profiles;
	}
	extract_document(&d, (const char *)data, size);
	if (!d.profiles) {
		document_init(&as_is, "fuzz");
		extract_set_hold(false);
		extract_document(&as_is, (const char *)data, size);
		extract_set_hold(true);
		FUZZ_ASSERT(same_document(&d, &as_is));
		document_release(&as_is);
	}
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
		FUZZ_ASSERT(!(d.profile.fields & d.profile.missed));
		FUZZ_ASSERT(!d.salary || utf8_valid(d.salary, strlen(d.salary),
						    NULL));
		FUZZ_ASSERT(!d.salary ||
			    strlen(d.salary) <= RF_PROFILE_FIELD_MAX_BYTES);
	}
	document_release(&d);
	return 0;
}
