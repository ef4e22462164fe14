/* json.c: streaming JSON writer. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "common/json.h"
#include "common/utf8.h"
#include "common/banned.h"

void
json_init(struct json *j, struct buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

bool
json_ok(const struct json *j)
{
	return !j->overflow && j->depth == 0 && !buf_failed(j->out);
}

/* Writes the separator a value needs in the current container. */
static void
json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth])
		buf_addch(j->out, ',');
	j->need_comma[j->depth] = true;
}

static void
json_open(struct json *j, char c)
{
	json_sep(j);
	buf_addch(j->out, c);
	if (j->depth >= RF_JSON_MAX_DEPTH) {
		j->overflow = true;
		return;
	}
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void
json_close(struct json *j, char c)
{
	buf_addch(j->out, c);
	if (j->depth > 0)
		j->depth--;
	else
		j->overflow = true;
}

void
json_object_begin(struct json *j)
{
	json_open(j, '{');
}

void
json_object_end(struct json *j)
{
	json_close(j, '}');
}

void
json_array_begin(struct json *j)
{
	json_open(j, '[');
}

void
json_array_end(struct json *j)
{
	json_close(j, ']');
}

enum rf_err
json_escape(struct buf *b, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, start = 0, n;
	uint32_t cp;
	const char *rep;
	char esc[7];

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		/* printable ASCII but '"' and '\\', and two-byte sequences
		 * (U+2028 and U+2029 have three): written as they are */
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
			i++;
			continue;
		}
		if (c >= 0xC2 && c < 0xE0 && i + 1 < len &&
		    ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
			i += 2;
			continue;
		}
		rep = NULL;
		n = 1;
		if (c >= 0x80) {
			n = utf8_decode(s + i, len - i, &cp);
			if (n == 0) {
				rep = "\\ufffd";
				n = 1;
			} else if (cp == 0x2028) {
				rep = "\\u2028";
			} else if (cp == 0x2029) {
				rep = "\\u2029";
			}
		} else if (c == '"') {
			rep = "\\\"";
		} else if (c == '\\') {
			rep = "\\\\";
		} else if (c == '\n') {
			rep = "\\n";
		} else if (c == '\t') {
			rep = "\\t";
		} else if (c == '\r') {
			rep = "\\r";
		} else if (c < 0x20 || c == 0x7F) {
			esc[0] = '\\';
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			esc[6] = '\0';
			rep = esc;
		}
		if (rep) {
			buf_add(b, s + start, i - start);
			buf_addstr(b, rep);
			start = i + n;
		}
		i += n;
	}
	buf_add(b, s + start, i - start);
	return buf_failed(b) ? RF_ETOOBIG : RF_OK;
}

void
json_key(struct json *j, const char *key)
{
	json_sep(j);
	buf_addch(j->out, '"');
	json_escape(j->out, key, strlen(key));
	buf_add(j->out, "\":", 2);
	j->after_key = true;
}

void
json_stringn(struct json *j, const char *s, size_t len)
{
	json_sep(j);
	if (!s) {
		buf_add(j->out, "null", 4);
		return;
	}
	buf_addch(j->out, '"');
	json_escape(j->out, s, len);
	buf_addch(j->out, '"');
}

void
json_string(struct json *j, const char *s)
{
	json_stringn(j, s, s ? strlen(s) : 0);
}

/* Appends v in decimal, as printf's %" PRId64 " would. */
static void
add_int(struct buf *b, int64_t v)
{
	char d[24];
	size_t n = sizeof(d);
	/* the magnitude as unsigned: -INT64_MIN does not fit in int64_t */
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		d[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--n] = '-';
	buf_add(b, d + n, sizeof(d) - n);
}

void
json_int(struct json *j, int64_t v)
{
	json_sep(j);
	add_int(j->out, v);
}

void
json_double(struct json *j, double v)
{
	json_sep(j);
	if (!isfinite(v))
		buf_add(j->out, "null", 4);
	/* the range first: converting a double out of int64_t's range is
	 * undefined behaviour */
	else if (fabs(v) < 1e15 && v == (double)(int64_t)v)
		add_int(j->out, (int64_t)v);
	else
		buf_addf(j->out, "%.6g", v);
}

void
json_bool(struct json *j, bool v)
{
	json_sep(j);
	buf_addstr(j->out, v ? "true" : "false");
}

void
json_null(struct json *j)
{
	json_sep(j);
	buf_add(j->out, "null", 4);
}

void
json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void
json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}

void
json_kv_double(struct json *j, const char *key, double v)
{
	json_key(j, key);
	json_double(j, v);
}

void
json_kv_bool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}
