/*
 * sha1.h: SHA-1 (FIPS 180-4), streaming and one-shot. SHA-1 is here only
 * because WARC digests use it (WARC-Block-Digest, WARC-Payload-Digest); the
 * store identifies pages by SHA-256 (sha256.h).
 */
#ifndef RF_COMMON_SHA1_H
#define RF_COMMON_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define SHA1_DIGEST_LEN	20
#define SHA1_BLOCK_LEN	64
/* Characters of the hex and base32 (RFC 4648) forms, without the NUL. */
#define SHA1_HEX_LEN	40
#define SHA1_BASE32_LEN	32

/* Caller-owned state; no allocation, so there is no _release. */
struct sha1_ctx {
	uint32_t h[5];
	uint64_t bytes;		/* message length so far */
	size_t used;		/* bytes waiting in block */
	unsigned char block[SHA1_BLOCK_LEN];
};

void sha1_init(struct sha1_ctx *ctx);
void sha1_update(struct sha1_ctx *ctx, const void *data, size_t len);
/* Writes the digest to out; ctx must be initialised again before reuse. */
void sha1_final(struct sha1_ctx *ctx, unsigned char out[SHA1_DIGEST_LEN]);
/* The digest of len bytes at data, in one call. */
void sha1_digest(const void *data, size_t len,
		 unsigned char out[SHA1_DIGEST_LEN]);

#endif
