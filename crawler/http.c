/* http.c: HTTP pieces of the crawler: heads, bodies, Retry-After. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/crawl-int.h"
#include "crawler/crawl.h"
#include "common/banned.h"

static const char *
reason_phrase(long code)
{
	static const struct {
		long code;
		const char *text;
	} t[] = {
		{ 200, "OK" }, { 201, "Created" }, { 202, "Accepted" },
		{ 204, "No Content" }, { 206, "Partial Content" },
		{ 301, "Moved Permanently" }, { 302, "Found" },
		{ 303, "See Other" }, { 304, "Not Modified" },
		{ 307, "Temporary Redirect" }, { 308, "Permanent Redirect" },
		{ 400, "Bad Request" }, { 401, "Unauthorized" },
		{ 403, "Forbidden" }, { 404, "Not Found" }, { 410, "Gone" },
		{ 429, "Too Many Requests" },
		{ 500, "Internal Server Error" }, { 502, "Bad Gateway" },
		{ 503, "Service Unavailable" }, { 504, "Gateway Timeout" },
	};
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(t); i++)
		if (t[i].code == code)
			return t[i].text;
	return "";
}

enum rf_err
crawl_head_to_http11(const char *head, size_t len, struct buf *out)
{
	const char *eol = memchr(head, '\n', len);
	size_t line = eol ? (size_t)(eol - head) + 1 : len;
	size_t l = line;
	long code = 0;
	const char *p;

	while (l > 0 && (head[l - 1] == '\n' || head[l - 1] == '\r'))
		l--;
	if (l > 7 && (memcmp(head, "HTTP/2", 6) == 0 ||
		      memcmp(head, "HTTP/3", 6) == 0) &&
	    (head[6] == ' ' || head[6] == '.')) {
		/* status line: "HTTP/2 200" */
		p = memchr(head, ' ', l);
		if (p) {
			p++;
			while (p < head + l && *p >= '0' && *p <= '9')
				code = code * 10 + (*p++ - '0');
		}
		buf_addf(out, "HTTP/1.1 %03ld %s\r\n", code,
			 reason_phrase(code));
	} else if (l > 7 && (memcmp(head + l - 7, " HTTP/2", 7) == 0 ||
			     memcmp(head + l - 7, " HTTP/3", 7) == 0)) {
		/* request line: "GET / HTTP/2" */
		buf_add(out, head, l - 7);
		buf_addstr(out, " HTTP/1.1\r\n");
	} else {
		buf_add(out, head, line);
	}
	buf_add(out, head + line, len - line);
	return buf_failed(out) ? RF_ETOOBIG : RF_OK;
}

enum rf_err
crawl_inflate(const void *body, size_t len, size_t max, struct buf *out)
{
	z_stream z;
	unsigned char chunk[16384];
	enum rf_err e = RF_OK;
	int rc, wbits;
	const unsigned char *b = body;
	size_t have;

	/* gzip or zlib by their headers (32), else raw deflate (-15) */
	wbits = (len >= 2 && ((b[0] == 0x1f && b[1] == 0x8b) ||
			      ((b[0] & 0x0f) == 8 &&
			       ((b[0] << 8) | b[1]) % 31 == 0))) ?
			15 + 32 :
			-15;
	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, wbits) != Z_OK)
		return RF_EPARSE;
	z.next_in = (Bytef *)(uintptr_t)body;
	z.avail_in = len > UINT32_MAX ? UINT32_MAX : (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
			e = RF_EPARSE;
			break;
		}
		have = sizeof(chunk) - z.avail_out;
		if (out->len + have > max) {
			buf_add(out, chunk, max - out->len);
			e = RF_ETOOBIG;
			break;
		}
		if (buf_add(out, chunk, have) != RF_OK) {
			e = RF_ETOOBIG;
			break;
		}
		if (rc == Z_STREAM_END) {
			/* concatenated gzip members */
			if (z.avail_in > 0 && wbits != -15 &&
			    inflateReset(&z) == Z_OK)
				continue;
			break;
		}
		if (rc == Z_BUF_ERROR && have == 0) {
			if (z.avail_in == 0)
				e = RF_EPARSE;	/* ended early */
			break;
		}
	} while (1);
	inflateEnd(&z);
	return e;
}

/* Brotli (RFC 7932) into out, at most max bytes, as crawl_inflate(). */
static enum rf_err
unbrotli(const void *body, size_t len, size_t max, struct buf *out)
{
	BrotliDecoderState *d = BrotliDecoderCreateInstance(NULL, NULL, NULL);
	BrotliDecoderResult rc;
	unsigned char chunk[16384], *next_out;
	const uint8_t *next_in = body;
	size_t avail_in = len, avail_out, have;
	enum rf_err e = RF_OK;

	if (!d)
		return RF_EPARSE;
	do {
		next_out = chunk;
		avail_out = sizeof(chunk);
		rc = BrotliDecoderDecompressStream(d, &avail_in, &next_in,
						   &avail_out, &next_out,
						   NULL);
		if (rc == BROTLI_DECODER_RESULT_ERROR) {
			e = RF_EPARSE;
			break;
		}
		have = sizeof(chunk) - avail_out;
		if (out->len + have > max) {
			buf_add(out, chunk, max - out->len);
			e = RF_ETOOBIG;
			break;
		}
		if (buf_add(out, chunk, have) != RF_OK) {
			e = RF_ETOOBIG;
			break;
		}
		if (rc == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT) {
			e = RF_EPARSE;	/* ended early */
			break;
		}
	} while (rc != BROTLI_DECODER_RESULT_SUCCESS);
	BrotliDecoderDestroyInstance(d);
	return e;
}

/* Zstandard (RFC 8878) into out, at most max bytes, as crawl_inflate(). */
static enum rf_err
unzstd(const void *body, size_t len, size_t max, struct buf *out)
{
	ZSTD_DStream *d = ZSTD_createDStream();
	unsigned char chunk[16384];
	ZSTD_inBuffer in = { body, len, 0 };
	ZSTD_outBuffer o;
	enum rf_err e = RF_OK;
	size_t rc = 1;

	if (!d)
		return RF_EPARSE;
	/* a frame may ask for a window of up to 2 GiB: the HTTP coding
	 * bounds it (RFC 8878 3.1.1.1.2), and so do we */
	if (ZSTD_isError(ZSTD_DCtx_setParameter(d, ZSTD_d_windowLogMax,
						RF_CRAWL_ZSTD_WINDOW_LOG))) {
		ZSTD_freeDStream(d);
		return RF_EPARSE;
	}
	for (;;) {
		o.dst = chunk;
		o.size = sizeof(chunk);
		o.pos = 0;
		rc = ZSTD_decompressStream(d, &o, &in);
		if (ZSTD_isError(rc)) {
			e = RF_EPARSE;
			break;
		}
		if (out->len + o.pos > max) {
			buf_add(out, chunk, max - out->len);
			e = RF_ETOOBIG;
			break;
		}
		if (buf_add(out, chunk, o.pos) != RF_OK) {
			e = RF_ETOOBIG;
			break;
		}
		/* rc 0: a frame ended; more frames may follow */
		if (in.pos == in.size && o.pos < o.size) {
			if (rc != 0)
				e = RF_EPARSE;	/* ended early */
			break;
		}
	}
	ZSTD_freeDStream(d);
	return e;
}

enum rf_err
crawl_decode(const char *coding, const void *body, size_t len, size_t max,
	     struct buf *out)
{
	if (strcasecmp(coding, "gzip") == 0 ||
	    strcasecmp(coding, "x-gzip") == 0 ||
	    strcasecmp(coding, "deflate") == 0)
		return crawl_inflate(body, len, max, out);
	if (strcasecmp(coding, "br") == 0)
		return unbrotli(body, len, max, out);
	if (strcasecmp(coding, "zstd") == 0)
		return unzstd(body, len, max, out);
	return RF_EUNSUPPORTED;
}

static const char *const month_names[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

bool
crawl_retry_after(const char *value, double now, double *seconds)
{
	long long n;
	struct tm tm;
	char mon[4] = "";
	int day, year, hh, mm, ss;
	size_t i;
	time_t t;

	while (*value == ' ' || *value == '\t')
		value++;
	if (parse_int(value, 0, 1LL << 40, &n) == RF_OK) {
		*seconds = (double)n;
		return true;
	}
	/* IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT" */
	if (strlen(value) < 29 || value[3] != ',')
		return false;
	if (sscanf(value + 4, " %2d %3s %4d %2d:%2d:%2d GMT", &day, mon,
		   &year, &hh, &mm, &ss) != 6)
		return false;
	for (i = 0; i < 12; i++)
		if (strcmp(mon, month_names[i]) == 0)
			break;
	if (i == 12 || day < 1 || day > 31 || year < 1970 || hh > 23 ||
	    mm > 59 || ss > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = year - 1900;
	tm.tm_mon = (int)i;
	tm.tm_mday = day;
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_sec = ss;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return false;
	*seconds = (double)t > now ? (double)t - now : 0;
	return true;
}

char *
http_head_field(const char *head, size_t len, const char *name)
{
	const char *p = head, *end = head + len, *eol, *colon, *v;
	size_t nlen = strlen(name);

	/* skip the status line */
	eol = memchr(p, '\n', len);
	if (!eol)
		return NULL;
	for (p = eol + 1; p < end; p = eol + 1) {
		eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon || (size_t)(colon - p) != nlen ||
		    strncasecmp(p, name, nlen) != 0)
			continue;
		v = colon + 1;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		while (eol > v && (eol[-1] == '\r' || eol[-1] == ' ' ||
				   eol[-1] == '\t' || eol[-1] == '\n'))
			eol--;
		return xstrndup(v, (size_t)(eol - v));
	}
	return NULL;
}

bool
http_content_is_html(const char *ct, const char *body, size_t len)
{
	size_t i;

	if (ct)
		return strncasecmp(ct, "text/html", 9) == 0 ||
		       strncasecmp(ct, "application/xhtml+xml", 21) == 0;
	for (i = 0; i < len && i < 512; i++) {
		if (body[i] == '<')
			return strncasecmp(body + i, "<!doctype html", 14) ==
				       0 ||
			       strncasecmp(body + i, "<html", 5) == 0;
	}
	return false;
}
