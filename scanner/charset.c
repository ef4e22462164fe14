/*
 * charset.c: the charset of a page: a BOM (the bytes themselves say it, so
 * it comes first, as in the WHATWG encoding sniffing algorithm), the HTTP
 * header, <meta>, the XML declaration, then detection with uchardet; then
 * iconv to UTF-8. libxml2 alone would read undeclared pages as Latin-1.
 */
#include "config.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <uchardet/uchardet.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "scanner/charset.h"
#include "common/banned.h"

const char *
charset_source_name(enum charset_source s)
{
	static const char *const names[] = {
		"http", "bom", "meta", "xml", "utf-8", "detected", "default",
	};

	return (unsigned)s < RF_ARRAY_SIZE(names) ? names[s] : "?";
}

static bool
is_utf8_name(const char *n)
{
	return strcasecmp(n, "utf-8") == 0 || strcasecmp(n, "utf8") == 0 ||
	       strcasecmp(n, "unicode-1-1-utf-8") == 0;
}

/* Whether c may be part of a charset label: letters, digits, - _ . : */
static bool
is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	       c == ':';
}

/* Copies a charset label (letters, digits, - _ . :) from p into name. */
static bool
take_label(const char *p, const char *end, char *name, size_t size)
{
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '"' || *p == '\'' || *p == '='))
		p++;
	while (p < end && n + 1 < size && is_label_char(*p))
		name[n++] = *p++;
	name[n] = '\0';
	return n > 0;
}

/* The first needle in [p, end) in any case of ASCII, or NULL. Only a byte
 * that is the first of needle in either case is compared further (a
 * page without <meta was one strncasecmp() call a byte). */
static const char *
find_ci(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	unsigned char lo = (unsigned char)needle[0], up = lo;

	if (lo >= 'A' && lo <= 'Z')
		lo = (unsigned char)(lo + 32);
	if (up >= 'a' && up <= 'z')
		up = (unsigned char)(up - 32);
	for (; p + n <= end; p++) {
		if ((unsigned char)*p != lo && (unsigned char)*p != up)
			continue;
		if (strncasecmp(p + 1, needle + 1, n - 1) == 0)
			return p;
	}
	return NULL;
}

bool
charset_declared_meta(const char *data, size_t len, char *name, size_t size)
{
	const char *end = data + (len < RF_SNIFF_BYTES ? len : RF_SNIFF_BYTES);
	const char *p = data, *tag, *close, *at;

	while ((tag = find_ci(p, end, "<meta"))) {
		close = memchr(tag, '>', (size_t)(end - tag));
		if (!close)
			return false;
		/* charset=X, alone or inside content="text/html; charset=X" */
		at = find_ci(tag, close, "charset");
		if (at && take_label(at + 7, close, name, size))
			return true;
		p = close;
	}
	return false;
}

static bool
declared_xml(const char *data, size_t len, char *name, size_t size)
{
	const char *end = data + (len < RF_SNIFF_BYTES ? len : RF_SNIFF_BYTES);
	const char *p = data, *close, *at;

	while (p < end && strchr(" \t\r\n", *p))
		p++;
	if ((size_t)(end - p) < 5 || strncmp(p, "<?xml", 5) != 0)
		return false;
	close = find_ci(p, end, "?>");
	if (!close)
		return false;
	at = find_ci(p, close, "encoding");
	return at && take_label(at + 8, close, name, size);
}

static bool
has_non_ascii(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return true;
	return false;
}

/* Whether iconv knows the charset. */
static bool
known(const char *name)
{
	iconv_t cd;

	/* what most pages declare, which every iconv knows, without an
	 * iconv_open() and iconv_close() a page */
	if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
		return true;
	cd = iconv_open("UTF-8", name);

	if (cd == (iconv_t)-1)
		return false;
	iconv_close(cd);
	return true;
}

/* iconv from name to UTF-8; undecodable bytes become U+FFFD. */
static enum rf_err
convert(const char *name, const char *data, size_t len, struct buf *out,
	size_t *replaced)
{
	iconv_t cd = iconv_open("UTF-8", name);
	char *in = (char *)(uintptr_t)data;
	size_t left = len;

	if (cd == (iconv_t)-1)
		return RF_EINVAL;
	while (left > 0) {
		char *o;
		size_t room, r;

		if (buf_grow(out, left * 3 + 16) != RF_OK &&
		    buf_grow(out, 64) != RF_OK) {
			iconv_close(cd);
			return RF_ETOOBIG;
		}
		o = out->data + out->len;
		/* the storage may be larger than the cap: stop at the cap */
		room = out->alloc - out->len - 1;
		if (room > out->max - out->len)
			room = out->max - out->len;
		r = iconv(cd, &in, &left, &o, &room);
		out->len = (size_t)(o - out->data);
		out->data[out->len] = '\0';
		if (r != (size_t)-1)
			break;
		if (errno == E2BIG)
			continue;
		/* EILSEQ or EINVAL: one bad byte */
		if (buf_add(out, "\xEF\xBF\xBD", 3) != RF_OK) {
			iconv_close(cd);
			return RF_ETOOBIG;
		}
		(*replaced)++;
		in++;
		left--;
	}
	iconv_close(cd);
	return RF_OK;
}

static bool
detect(const char *data, size_t len, char *name, size_t size)
{
	uchardet_t ud = uchardet_new();
	const char *got;
	bool ok = false;

	if (!ud)
		return false;
	if (uchardet_handle_data(ud, data, len < RF_DETECT_BYTES
				 ? len : RF_DETECT_BYTES) == 0) {
		uchardet_data_end(ud);
		got = uchardet_get_charset(ud);
		if (got && *got && strcasecmp(got, "ascii") != 0) {
			snprintf(name, size, "%s", got);
			ok = true;
		}
	}
	uchardet_delete(ud);
	return ok;
}

enum rf_err
charset_to_utf8(const char *data, size_t len, const char *http_charset,
		bool markup, struct buf *out, struct charset_result *res)
{
	char name[sizeof(res->name)] = "";
	enum charset_source src = CHARSET_DEFAULT;
	bool valid, declared = false;

	memset(res, 0, sizeof(*res));
	/* a BOM settles it */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
		snprintf(res->name, sizeof(res->name), "UTF-8");
		res->source = CHARSET_BOM;
		return utf8_repair(out, data, len);
	}
	if (len >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
			 memcmp(data, "\xFE\xFF", 2) == 0)) {
		snprintf(res->name, sizeof(res->name), "%s",
			 data[0] == '\xFF' ? "UTF-16LE" : "UTF-16BE");
		res->source = CHARSET_BOM;
		return convert(res->name, data + 2, len - 2, out,
			       &res->replaced);
	}
	if (http_charset && *http_charset) {
		snprintf(name, sizeof(name), "%s", http_charset);
		src = CHARSET_HTTP;
		declared = true;
	} else if (markup && charset_declared_meta(data, len, name,
						   sizeof(name))) {
		src = CHARSET_META;
		declared = true;
	} else if (markup && declared_xml(data, len, name, sizeof(name))) {
		src = CHARSET_XML;
		declared = true;
	}
	valid = utf8_valid(data, len, NULL);
	if (declared && !known(name))
		declared = false;	/* a label iconv does not know */
	if (declared && is_utf8_name(name) && !valid)
		declared = false;	/* says UTF-8, is not: detect */
	if (declared && !is_utf8_name(name) && valid &&
	    has_non_ascii(data, len))
		declared = false;	/* says legacy, is valid UTF-8 */
	if (!declared) {
		if (valid) {
			snprintf(name, sizeof(name), "UTF-8");
			src = CHARSET_VALID_UTF8;
		} else if (detect(data, len, name, sizeof(name)) &&
			   known(name)) {
			src = CHARSET_DETECTED;
		} else {
			snprintf(name, sizeof(name), "UTF-8");
			src = CHARSET_DEFAULT;
		}
	}
	_Static_assert(sizeof(res->name) == sizeof(name), "names of a size");
	memcpy(res->name, name, sizeof(res->name));
	res->source = src;
	/* valid UTF-8 was checked once above: no second pass */
	if (is_utf8_name(name) && valid)
		return buf_add(out, data, len);
	if (is_utf8_name(name)) {
		size_t before = out->len;
		enum rf_err err = utf8_repair(out, data, len);
		/* count the replacements utf8_repair made */
		const char *p = out->data + before;

		while ((p = memmem(p, (size_t)(out->data + out->len - p),
				   "\xEF\xBF\xBD", 3))) {
			res->replaced++;
			p += 3;
		}
		return err;
	}
	return convert(name, data, len, out, &res->replaced);
}

void
charset_of_content_type(const char *ct, char *out, size_t size)
{
	const char *p;
	size_t n = 0;

	out[0] = '\0';
	if (!ct || !(p = strcasestr(ct, "charset=")))
		return;
	p += 8;
	while (*p == '"' || *p == '\'' || *p == ' ')
		p++;
	while (n + 1 < size && is_label_char(p[n]))
		n++;
	/* a label ends the value; other bytes in it (iconv would read
	 * "\xFFutf8\xFF" as some charset) make it no label at all */
	if (p[n] && !strchr("\"'; ", p[n]))
		n = 0;
	memcpy(out, p, n);
	out[n] = '\0';
}
