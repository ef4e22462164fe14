/*
 * sha256.h: SHA-256 (FIPS 180-4), streaming and one-shot. The store and
 * the reports identify a captured page by the SHA-256 of its payload.
 */
#ifndef RF_COMMON_SHA256_H
#define RF_COMMON_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHA256_DIGEST_LEN	32
#define SHA256_BLOCK_LEN	64
/* Characters of the hex form, without the NUL. */
#define SHA256_HEX_LEN		64

/* Caller-owned state; no allocation, so there is no _release. */
struct sha256_ctx {
	uint32_t h[8];
	uint64_t bytes;		/* message length so far */
	size_t used;		/* bytes waiting in block */
	unsigned char block[SHA256_BLOCK_LEN];
};

void sha256_init(struct sha256_ctx *ctx);
void sha256_update(struct sha256_ctx *ctx, const void *data, size_t len);
/* Writes the digest to out; ctx must be initialised again before reuse. */
void sha256_final(struct sha256_ctx *ctx,
		  unsigned char out[SHA256_DIGEST_LEN]);
/* The digest of len bytes at data, in one call. */
void sha256_digest(const void *data, size_t len,
		   unsigned char out[SHA256_DIGEST_LEN]);

/*
 * Hashes with the portable C code from now on (true), or with the CPU's
 * SHA instructions where it has them (false, the default). Both give the
 * same digests; tests compare them, benchmarks time them.
 */
void sha256_set_portable(bool portable);

#endif
