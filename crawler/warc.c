/* warc.c: WARC helpers the writer and the reader share: record types,
 * HTTP chunk framing, digests, warc-fields. */
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "common/encode.h"
#include "common/sha1.h"
#include "common/sha256.h"
#include "crawler/warc-int.h"
#include "common/banned.h"

static const char *const type_names[] = {
	[WARC_TYPE_UNKNOWN] = "unknown",
	[WARC_TYPE_WARCINFO] = "warcinfo",
	[WARC_TYPE_RESPONSE] = "response",
	[WARC_TYPE_RESOURCE] = "resource",
	[WARC_TYPE_REQUEST] = "request",
	[WARC_TYPE_METADATA] = "metadata",
	[WARC_TYPE_REVISIT] = "revisit",
	[WARC_TYPE_CONVERSION] = "conversion",
	[WARC_TYPE_CONTINUATION] = "continuation",
};

const char *
warc_type_name(enum warc_type t)
{
	if ((size_t)t >= RF_ARRAY_SIZE(type_names))
		return type_names[WARC_TYPE_UNKNOWN];
	return type_names[t];
}

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

enum dechunk_result
http_dechunk(const unsigned char *p, size_t len,
	     void (*emit)(void *ctx, const unsigned char *piece, size_t n),
	     void *ctx)
{
	size_t pos = 0;
	bool first = true;

	for (;;) {
		size_t room = len - pos, eol, i;
		const unsigned char *nl;
		uint64_t size = 0;
		int digits = 0, v;

		if (room > RF_HTTP_CHUNK_LINE_MAX)
			room = RF_HTTP_CHUNK_LINE_MAX;
		nl = memchr(p + pos, '\n', room);
		if (!nl) {
			if (len - pos >= RF_HTTP_CHUNK_LINE_MAX)
				return first ? DECHUNK_NOT_CHUNKED
					     : DECHUNK_BAD;
			/* the data ends inside a size line: a cut-off
			 * chunked body, or one that never was chunked */
			for (i = pos; i < len; i++)
				if (hex_value(p[i]) < 0)
					break;
			if (first && (i < len || len == 0))
				return DECHUNK_NOT_CHUNKED;
			return DECHUNK_INCOMPLETE;
		}
		eol = (size_t)(nl - p);
		for (i = pos; i < eol && (v = hex_value(p[i])) >= 0; i++) {
			/* 15 hex digits are already more than any body */
			if (++digits > 15)
				return first ? DECHUNK_NOT_CHUNKED
					     : DECHUNK_BAD;
			size = size * 16 + (uint64_t)v;
		}
		while (i < eol && (p[i] == ' ' || p[i] == '\t'))
			i++;
		/* a chunk extension runs to the end of the line */
		if (digits == 0 || !(i == eol || p[i] == ';' ||
				     (p[i] == '\r' && i + 1 == eol)))
			return first ? DECHUNK_NOT_CHUNKED : DECHUNK_BAD;
		pos = eol + 1;
		first = false;
		if (size == 0)
			return DECHUNK_DONE;
		if (len - pos < size) {
			if (len > pos)
				emit(ctx, p + pos, len - pos);
			return DECHUNK_INCOMPLETE;
		}
		emit(ctx, p + pos, (size_t)size);
		pos += (size_t)size;
		/* CRLF (or a bare LF) after the data */
		if (pos < len && p[pos] == '\r')
			pos++;
		if (pos == len)
			return DECHUNK_INCOMPLETE;
		if (p[pos] != '\n')
			return DECHUNK_BAD;
		pos++;
	}
}

/* Whether the n bytes at s contain "chunked", ignoring case. */
static bool
names_chunked(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i + 7 <= n; i++)
		if (strncasecmp(s + i, "chunked", 7) == 0)
			return true;
	return false;
}

bool
http_head_chunked(const char *head, size_t len, struct buf *out)
{
	static const char te[] = "transfer-encoding";
	size_t pos = 0;
	bool chunked = false, first = true;

	while (pos < len) {
		const char *line = head + pos, *nl, *colon;
		size_t n, name_len;
		bool rename = false;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) + 1 : len - pos;
		colon = memchr(line, ':', n);
		if (!first && colon && line[0] != ' ' && line[0] != '\t') {
			name_len = (size_t)(colon - line);
			while (name_len &&
			       (line[name_len - 1] == ' ' ||
				line[name_len - 1] == '\t'))
				name_len--;
			if (name_len == sizeof(te) - 1 &&
			    strncasecmp(line, te, name_len) == 0 &&
			    names_chunked(colon + 1,
					  n - (size_t)(colon + 1 - line))) {
				chunked = true;
				rename = true;
			}
		}
		if (out) {
			if (rename)
				buf_addstr(out, "X-Crawler-");
			buf_add(out, line, n);
		}
		first = false;
		pos += n;
	}
	return chunked;
}

size_t
http_head_end(const char *p, size_t len, size_t max)
{
	size_t i;

	if (len > max)
		len = max;
	/* look for LF (CR) LF: an empty line after a line end */
	for (i = 0; i < len; i++) {
		if (p[i] != '\n')
			continue;
		if (i + 1 < len && p[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && p[i + 1] == '\r' && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

bool
warc_is_token(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 32 || c >= 127 || strchr("()<>@,;:\\\"/[]?={}", c))
			return false;
	}
	return true;
}

void
warc_sha1_label(const unsigned char *d, char out[WARC_DIGEST_SIZE])
{
	memcpy(out, "sha1:", 5);
	encode_base32(d, SHA1_DIGEST_LEN, out + 5);
}

/* Compares value (n bytes) with the base32 or hex form of digest d, as
 * WARC files write them: either case, base32 padding optional. */
static enum warc_digest_check
compare_encoded(const char *value, size_t n, const unsigned char *d,
		size_t dlen)
{
	char enc[128];

	while (n && value[n - 1] == '=')
		n--;
	if (n == ENCODE_HEX_LEN(dlen)) {
		encode_hex(d, dlen, enc);
		return strncasecmp(value, enc, n) == 0 ? WARC_DIGEST_OK
						       : WARC_DIGEST_MISMATCH;
	}
	encode_base32(d, dlen, enc);
	if (n == strcspn(enc, "="))
		return strncasecmp(value, enc, n) == 0 ? WARC_DIGEST_OK
						       : WARC_DIGEST_MISMATCH;
	return WARC_DIGEST_UNCHECKED;
}

enum warc_digest_check
warc_digest_compare(const char *want, const void *data, size_t len,
		    const unsigned char *sha1, const unsigned char *sha256)
{
	const char *colon = strchr(want, ':');
	unsigned char d[SHA256_DIGEST_LEN];
	size_t alen;

	if (!data)
		data = "";
	if (!colon)
		return WARC_DIGEST_UNCHECKED;
	alen = (size_t)(colon - want);
	if ((alen == 4 && strncasecmp(want, "sha1", 4) == 0) ||
	    (alen == 5 && strncasecmp(want, "sha-1", 5) == 0)) {
		if (sha1)
			memcpy(d, sha1, SHA1_DIGEST_LEN);
		else
			sha1_digest(data, len, d);
		return compare_encoded(colon + 1, strlen(colon + 1), d,
				       SHA1_DIGEST_LEN);
	}
	if ((alen == 6 && strncasecmp(want, "sha256", 6) == 0) ||
	    (alen == 7 && strncasecmp(want, "sha-256", 7) == 0)) {
		if (sha256)
			memcpy(d, sha256, SHA256_DIGEST_LEN);
		else
			sha256_digest(data, len, d);
		return compare_encoded(colon + 1, strlen(colon + 1), d,
				       SHA256_DIGEST_LEN);
	}
	return WARC_DIGEST_UNCHECKED;
}

enum rf_err
warc_fields_add(struct buf *b, const char *name, const char *value)
{
	size_t nlen = strlen(name), vlen = strlen(value), i;

	if (!warc_is_token(name, nlen))
		return RF_EINVAL;
	for (i = 0; i < vlen; i++) {
		unsigned char c = (unsigned char)value[i];

		if ((c < 32 && c != '\t') || c == 127)
			return RF_EINVAL;
	}
	/* room for all of it first, so a field is never half added */
	if (nlen + vlen > SIZE_MAX - 4 || buf_grow(b, nlen + vlen + 4))
		return RF_ETOOBIG;
	buf_add(b, name, nlen);
	buf_add(b, ": ", 2);
	buf_add(b, value, vlen);
	buf_add(b, "\r\n", 2);
	return RF_OK;
}
