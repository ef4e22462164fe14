/*
 * encode.h: binary-to-text encodings for digests: lower-case hex (the
 * store's SHA-256) and RFC 4648 base32 (WARC's "sha1:" digests).
 */
#ifndef RF_COMMON_ENCODE_H
#define RF_COMMON_ENCODE_H

#include <stddef.h>

/* Characters needed for n bytes, without the NUL. */
#define ENCODE_HEX_LEN(n)	((n) * 2)
#define ENCODE_BASE32_LEN(n)	(((n) + 4) / 5 * 8)

/*
 * Writes the lower-case hex form of len bytes at data to out, which holds
 * ENCODE_HEX_LEN(len) + 1 bytes, NUL-terminated. Returns out.
 */
char *encode_hex(const void *data, size_t len, char *out);
/*
 * Writes the RFC 4648 base32 form (upper case, '=' padded) of len bytes
 * at data to out, which holds ENCODE_BASE32_LEN(len) + 1 bytes,
 * NUL-terminated. 20 bytes (a SHA-1) need no padding. Returns out.
 */
char *encode_base32(const void *data, size_t len, char *out);

#endif
