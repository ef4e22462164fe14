/*
 * json.h: a small streaming JSON writer into a struct buf. It places commas
 * and colons itself; strings are escaped and invalid UTF-8 becomes U+FFFD,
 * so hostile page text always yields valid JSON.
 */
#ifndef RF_COMMON_JSON_H
#define RF_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/limits.h"

struct json {
	struct buf *out;	/* borrowed */
	int depth;
	bool need_comma[RF_JSON_MAX_DEPTH + 1];
	bool after_key;
	bool overflow;		/* nesting passed RF_JSON_MAX_DEPTH */
};

/* Prepares j to append to out, which j borrows. */
void json_init(struct json *j, struct buf *out);
/* Whether everything written so far fit: no cap hit, nesting balanced. */
bool json_ok(const struct json *j);

void json_object_begin(struct json *j);
void json_object_end(struct json *j);
void json_array_begin(struct json *j);
void json_array_end(struct json *j);
void json_key(struct json *j, const char *key);

/* A NULL s writes null. */
void json_string(struct json *j, const char *s);
void json_stringn(struct json *j, const char *s, size_t len);
void json_int(struct json *j, int64_t v);
void json_double(struct json *j, double v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* key and value in one call */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_int(struct json *j, const char *key, int64_t v);
void json_kv_double(struct json *j, const char *key, double v);
void json_kv_bool(struct json *j, const char *key, bool v);

/* Appends s escaped as a JSON string body (no quotes) to b. */
enum rf_err json_escape(struct buf *b, const char *s, size_t len);

#endif
