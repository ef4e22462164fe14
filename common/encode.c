/* encode.c: hex and RFC 4648 base32 encoders for digests. */
#include <stdint.h>

#include "common/encode.h"
#include "common/banned.h"

char *
encode_hex(const void *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	const unsigned char *p = data;
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * len] = '\0';
	return out;
}

char *
encode_base32(const void *data, size_t len, char *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	const unsigned char *p = data;
	size_t i, o = 0;

	/* each group of 5 bytes is 40 bits, 8 characters of 5 bits */
	for (i = 0; i < len; i += 5) {
		size_t n = len - i < 5 ? len - i : 5;
		/* characters carrying data for n bytes: ceil(8n/5) */
		size_t chars = (n * 8 + 4) / 5;
		uint64_t group = 0;
		size_t j;

		for (j = 0; j < 5; j++)
			group = group << 8 | (j < n ? p[i + j] : 0);
		for (j = 0; j < 8; j++) {
			if (j < chars)
				out[o++] = alphabet[(group >> (35 - 5 * j)) &
						    31];
			else
				out[o++] = '=';
		}
	}
	out[o] = '\0';
	return out;
}
