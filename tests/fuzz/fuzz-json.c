/*
 * fuzz-json.c: the JSON writer (common/json.h) driven by the input: the
 * bytes choose a sequence of calls (containers, keys, strings of any bytes,
 * numbers), always in a legal order. Whenever json_ok() says the output is
 * good, a small validator written here must accept it as one RFC 8259
 * value, and the strings it decodes must be the strings written, with
 * invalid UTF-8 repaired byte by byte as json.h promises.
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "common/json.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

/* Deeper than the writer allows, so that overflow is exercised too. */
#define STACK_MAX (RF_JSON_MAX_DEPTH + 8)

/* Appends one string to a list of strings: its length, then its bytes. */
static void
list_add(struct buf *list, const char *s, size_t len)
{
	buf_add(list, &len, sizeof(len));
	buf_add(list, s, len);
}

/* --- the validator --- */

struct reader {
	const char *s;
	size_t len, pos;
	struct buf *strings;	/* decoded strings, in order */
};

static void
skip_ws(struct reader *r)
{
	while (r->pos < r->len && strchr(" \t\r\n", r->s[r->pos]) &&
	       r->s[r->pos])
		r->pos++;
}

static bool
eat(struct reader *r, char c)
{
	if (r->pos < r->len && r->s[r->pos] == c) {
		r->pos++;
		return true;
	}
	return false;
}

static int
hex4(struct reader *r)
{
	int v = 0, i;

	if (r->len - r->pos < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = r->s[r->pos++];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static bool
read_string(struct reader *r)
{
	struct buf out;
	bool ok = false;
	uint32_t cp;
	size_t n;
	char enc[4];

	buf_init(&out, 0);
	if (!eat(r, '"'))
		goto out;
	while (r->pos < r->len) {
		unsigned char c = (unsigned char)r->s[r->pos];

		if (c == '"') {
			r->pos++;
			list_add(r->strings, out.data, out.len);
			ok = true;
			goto out;
		}
		if (c < 0x20)
			goto out;
		if (c != '\\') {
			n = utf8_decode(r->s + r->pos, r->len - r->pos, &cp);
			if (!n)
				goto out;
			buf_add(&out, r->s + r->pos, n);
			r->pos += n;
			continue;
		}
		if (++r->pos >= r->len)
			goto out;
		c = (unsigned char)r->s[r->pos++];
		switch (c) {
		case '"':
		case '\\':
		case '/':
			buf_addch(&out, (char)c);
			break;
		case 'b':
			buf_addch(&out, '\b');
			break;
		case 'f':
			buf_addch(&out, '\f');
			break;
		case 'n':
			buf_addch(&out, '\n');
			break;
		case 'r':
			buf_addch(&out, '\r');
			break;
		case 't':
			buf_addch(&out, '\t');
			break;
		case 'u': {
			int hi = hex4(r), lo;

			if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF))
				goto out;
			cp = (uint32_t)hi;
			if (hi >= 0xD800 && hi <= 0xDBFF) {
				if (!eat(r, '\\') || !eat(r, 'u'))
					goto out;
				lo = hex4(r);
				if (lo < 0xDC00 || lo > 0xDFFF)
					goto out;
				cp = 0x10000 + (((uint32_t)hi - 0xD800) << 10) +
				     ((uint32_t)lo - 0xDC00);
			}
			buf_add(&out, enc, utf8_encode(cp, enc));
			break;
		}
		default:
			goto out;
		}
	}
out:
	buf_release(&out);
	return ok;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
digits(struct reader *r)
{
	size_t start = r->pos;

	while (r->pos < r->len && is_digit(r->s[r->pos]))
		r->pos++;
	return r->pos > start;
}

static bool
read_number(struct reader *r)
{
	eat(r, '-');
	if (eat(r, '0')) {
		if (r->pos < r->len && is_digit(r->s[r->pos]))
			return false;
	} else if (!digits(r)) {
		return false;
	}
	if (eat(r, '.') && !digits(r))
		return false;
	if (eat(r, 'e') || eat(r, 'E')) {
		if (!eat(r, '+'))
			eat(r, '-');
		if (!digits(r))
			return false;
	}
	return true;
}

static bool
read_word(struct reader *r, const char *w)
{
	size_t n = strlen(w);

	if (r->len - r->pos < n || memcmp(r->s + r->pos, w, n) != 0)
		return false;
	r->pos += n;
	return true;
}

static bool
read_value(struct reader *r, int depth)
{
	if (depth > STACK_MAX + 1)
		return false;
	skip_ws(r);
	if (r->pos >= r->len)
		return false;
	switch (r->s[r->pos]) {
	case '{':
		r->pos++;
		skip_ws(r);
		if (eat(r, '}'))
			return true;
		do {
			skip_ws(r);
			if (!read_string(r))
				return false;
			skip_ws(r);
			if (!eat(r, ':') || !read_value(r, depth + 1))
				return false;
			skip_ws(r);
		} while (eat(r, ','));
		return eat(r, '}');
	case '[':
		r->pos++;
		skip_ws(r);
		if (eat(r, ']'))
			return true;
		do {
			if (!read_value(r, depth + 1))
				return false;
			skip_ws(r);
		} while (eat(r, ','));
		return eat(r, ']');
	case '"':
		return read_string(r);
	case 't':
		return read_word(r, "true");
	case 'f':
		return read_word(r, "false");
	case 'n':
		return read_word(r, "null");
	default:
		return read_number(r);
	}
}

/* Whether s is one JSON value; its strings are appended to strings. */
static bool
json_valid(const char *s, size_t len, struct buf *strings)
{
	struct reader r = { s, len, 0, strings };

	if (!read_value(&r, 0))
		return false;
	skip_ws(&r);
	return r.pos == r.len;
}

/* --- the driver --- */

struct input {
	const uint8_t *p;
	size_t left;
};

static uint8_t
take_byte(struct input *in)
{
	if (!in->left)
		return 0;
	in->left--;
	return *in->p++;
}

/* Takes a string of up to 255 bytes: its length byte, then the bytes. */
static size_t
take_string(struct input *in, const char **s)
{
	size_t n = take_byte(in);

	if (n > in->left)
		n = in->left;
	*s = (const char *)in->p;
	in->p += n;
	in->left -= n;
	return n;
}

struct writer {
	struct json j;
	struct buf expect;	/* the strings written, repaired */
	char stack[STACK_MAX];	/* '{' or '[' per open container */
	int depth;
	bool overflow;		/* we nested deeper than the writer allows */
};

static void
expect_string(struct writer *w, const char *s, size_t len)
{
	struct buf rep;

	buf_init(&rep, 0);
	utf8_repair(&rep, s, len);
	list_add(&w->expect, rep.data, rep.len);
	buf_release(&rep);
}

/* A key, when the value about to be written is inside an object. */
static void
maybe_key(struct writer *w, struct input *in)
{
	const char *s;
	size_t n;
	char *key;

	if (!w->depth || w->stack[w->depth - 1] != '{')
		return;
	n = take_string(in, &s);
	/* json_key takes a C string: the key ends at a NUL */
	key = xmemdupz(s, n);
	json_key(&w->j, key);
	expect_string(w, key, strlen(key));
	free(key);
}

static void
write_scalar(struct writer *w, struct input *in, uint8_t op)
{
	const char *s;
	size_t n;
	int64_t iv = 0;
	double dv = 0;

	maybe_key(w, in);
	switch (op % 6) {
	case 0:
		n = take_string(in, &s);
		json_stringn(&w->j, s, n);
		expect_string(w, s, n);
		break;
	case 1:
		n = in->left < sizeof(iv) ? in->left : sizeof(iv);
		memcpy(&iv, in->p, n);
		in->p += n;
		in->left -= n;
		json_int(&w->j, iv);
		break;
	case 2:
		n = in->left < sizeof(dv) ? in->left : sizeof(dv);
		memcpy(&dv, in->p, n);
		in->p += n;
		in->left -= n;
		json_double(&w->j, dv);
		break;
	case 3:
		json_bool(&w->j, op & 0x80);
		break;
	case 4:
		json_null(&w->j);
		break;
	case 5:
		json_string(&w->j, NULL);
		break;
	}
}

static void
open_container(struct writer *w, struct input *in, bool object)
{
	maybe_key(w, in);
	if (object)
		json_object_begin(&w->j);
	else
		json_array_begin(&w->j);
	if (w->depth >= RF_JSON_MAX_DEPTH)
		w->overflow = true;
	w->stack[w->depth++] = object ? '{' : '[';
}

static void
close_container(struct writer *w)
{
	if (w->stack[--w->depth] == '{')
		json_object_end(&w->j);
	else
		json_array_end(&w->j);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct writer w;
	struct buf out, got;
	uint8_t op;

	memset(&w, 0, sizeof(w));
	/* a small cap now and then, to exercise the writer's failure */
	op = take_byte(&in);
	buf_init(&out, op < 16 ? (size_t)op * 8 + 1 : 0);
	buf_init(&w.expect, 0);
	buf_init(&got, 0);
	json_init(&w.j, &out);
	/* one top-level value: a scalar, or a container and what it holds */
	op = take_byte(&in);
	if (op % 4) {
		open_container(&w, &in, op % 4 == 1);
		while (in.left && w.depth) {
			op = take_byte(&in);
			switch (op % 4) {
			case 0:
				write_scalar(&w, &in, op >> 2);
				break;
			case 1:
			case 2:
				if (w.depth < STACK_MAX)
					open_container(&w, &in, op % 4 == 1);
				break;
			case 3:
				close_container(&w);
				break;
			}
		}
		while (w.depth)
			close_container(&w);
	} else {
		write_scalar(&w, &in, op >> 2);
	}
	if (!w.overflow && !buf_failed(&out))
		FUZZ_ASSERT(json_ok(&w.j));
	if (json_ok(&w.j)) {
		FUZZ_ASSERT(!w.overflow);
		FUZZ_ASSERT(!memchr(out.data, '\0', out.len));
		FUZZ_ASSERT(json_valid(out.data, out.len, &got));
		FUZZ_ASSERT(got.len == w.expect.len &&
			    memcmp(got.data, w.expect.data, got.len) == 0);
	}
	buf_release(&out);
	buf_release(&got);
	buf_release(&w.expect);
	return 0;
}
