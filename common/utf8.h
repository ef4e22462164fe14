/* utf8.h: strict UTF-8 decoding, validation and repair. */
#ifndef RF_COMMON_UTF8_H
#define RF_COMMON_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"

#define UTF8_REPLACEMENT 0xFFFDu

/*
 * Decodes one code point from s (len > 0 bytes) into *cp and returns its
 * length in bytes, 1 to 4. Overlong forms, surrogates, values above
 * U+10FFFF and truncated sequences are invalid: then it returns 0 and
 * *cp is U+FFFD.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Writes cp (<= U+10FFFF, not a surrogate) to out and returns 1 to 4. */
size_t utf8_encode(uint32_t cp, char out[4]);
/* Whether s is valid UTF-8; *bad (if not NULL) gets the first bad offset. */
bool utf8_valid(const char *s, size_t len, size_t *bad);
/* Appends s to b with each invalid byte replaced by U+FFFD. */
enum rf_err utf8_repair(struct buf *b, const char *s, size_t len);
/* Length of the longest prefix of s, at most max bytes, that ends on a
 * character boundary. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

#endif
