/*
 * fuzz-charset.c: scanner/charset.h, which decides the charset of a page
 * and converts it to UTF-8. The input's first byte chooses the options
 * (bit 0: look at markup; bit 1: the first line is the Content-Type
 * header; bit 2: a small output cap); the rest is the page. The output
 * must be valid UTF-8 (the extractor and the matcher trust it) within its
 * cap; the only failure is the cap; the charset named is never empty;
 * valid UTF-8 that declares nothing comes out unchanged; the <meta>
 * prescan and the Content-Type parser return labels within their size.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/charset.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

#define OPT_MARKUP	0x01
#define OPT_HEADER	0x02
#define OPT_SMALL_CAP	0x04
/* A cap the conversion of most inputs passes, to reach the cap paths. */
#define SMALL_CAP	64

/* Whether name (NUL-terminated within size) is a charset label. */
static bool
is_label(const char *name, size_t size)
{
	size_t n = strnlen(name, size);

	return n < size &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyz"
			    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:") == n;
}

static bool
has_bom(const uint8_t *p, size_t n)
{
	return (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) ||
	       (n >= 2 && (memcmp(p, "\xFF\xFE", 2) == 0 ||
			   memcmp(p, "\xFE\xFF", 2) == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct charset_result res;
	struct buf out;
	char ct_charset[48], meta[48];
	char *header = NULL;
	const char *page, *http = NULL;
	size_t len;
	unsigned opts;
	enum rf_err err;

	if (size == 0)
		return 0;
	opts = data[0];
	page = (const char *)data + 1;
	len = size - 1;
	if (opts & OPT_HEADER) {
		const char *nl = memchr(page, '\n', len);
		size_t hl = nl ? (size_t)(nl - page) : len;

		/* a C string, as libcurl gives it: a NUL ends it */
		header = xmemdupz(page, hl);
		charset_of_content_type(header, ct_charset,
					sizeof(ct_charset));
		FUZZ_ASSERT(strnlen(ct_charset, sizeof(ct_charset)) <
			    sizeof(ct_charset));
		http = ct_charset;
		page += nl ? hl + 1 : hl;
		len -= nl ? hl + 1 : hl;
	}
	if (charset_declared_meta(page, len, meta, sizeof(meta)))
		FUZZ_ASSERT(*meta && is_label(meta, sizeof(meta)));

	buf_init(&out, opts & OPT_SMALL_CAP ? SMALL_CAP : 0);
	err = charset_to_utf8(page, len, http, opts & OPT_MARKUP, &out, &res);
	FUZZ_ASSERT(err == RF_OK || err == RF_ETOOBIG);
	FUZZ_ASSERT(out.len <= out.max && out.data[out.len] == '\0');
	FUZZ_ASSERT(strnlen(res.name, sizeof(res.name)) > 0 &&
		    strnlen(res.name, sizeof(res.name)) < sizeof(res.name));
	FUZZ_ASSERT(strcmp(charset_source_name(res.source), "?") != 0);
	if (err == RF_OK) {
		FUZZ_ASSERT(utf8_valid(out.data, out.len, NULL));
		if (res.source == CHARSET_VALID_UTF8) {
			FUZZ_ASSERT(res.replaced == 0);
			/* nothing declared or the declaration was dropped:
			 * the bytes were UTF-8 and are kept as they are */
			FUZZ_ASSERT(out.len == len &&
				    (len == 0 || !memcmp(out.data, page, len)));
		}
		if (!(opts & OPT_MARKUP) && !http &&
		    !has_bom((const uint8_t *)page, len) &&
		    utf8_valid(page, len, NULL))
			FUZZ_ASSERT(res.source == CHARSET_VALID_UTF8);
	}
	buf_release(&out);
	free(header);
	return 0;
}
