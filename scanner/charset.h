/* charset.h: which charset a page is in, and its text as UTF-8. */
#ifndef RF_SCANNER_CHARSET_H
#define RF_SCANNER_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/* How the charset was decided (most trusted first). */
enum charset_source {
	CHARSET_HTTP,		/* the Content-Type header of the response */
	CHARSET_BOM,
	CHARSET_META,		/* <meta charset> or http-equiv */
	CHARSET_XML,		/* <?xml encoding=?> */
	CHARSET_VALID_UTF8,	/* nothing declared, and the bytes are UTF-8 */
	CHARSET_DETECTED,	/* guessed by uchardet */
	CHARSET_DEFAULT,	/* nothing to go on: UTF-8 with replacements */
};

/* "http", "bom", "meta", "xml", "utf-8", "detected", "default" */
const char *charset_source_name(enum charset_source s);

/* What charset_to_utf8 decided. */
struct charset_result {
	char name[48];
	enum charset_source source;
	size_t replaced;
};
/*
 * Appends data converted to valid UTF-8, without a BOM, to out.
 * http_charset is the charset of the HTTP header, or NULL. markup says
 * whether to look for <meta> and XML declarations. A declaration that the
 * bytes contradict (a page that says windows-1251 but is valid UTF-8 with
 * non-ASCII text, or says UTF-8 but is not) gives way to detection. Bytes
 * that do not convert become U+FFFD, counted in res->replaced. Fails only
 * when out reaches its cap (RF_ETOOBIG).
 */
enum rf_err charset_to_utf8(const char *data, size_t len,
			    const char *http_charset, bool markup,
			    struct buf *out, struct charset_result *res);

/* The charset a page declares in <meta> (markup prescan), or false. */
bool charset_declared_meta(const char *data, size_t len, char *name,
			   size_t size);

/* The charset parameter of a Content-Type value into out ("" if none). */
void charset_of_content_type(const char *ct, char *out, size_t size);

#endif
