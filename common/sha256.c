/* sha256.c: SHA-256 as FIPS 180-4 section 6.2 describes it. */
#include <stdbool.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_SHA_NI 1
#include <cpuid.h>
#include <immintrin.h>
#endif

#include "common/sha256.h"
#include "common/banned.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64
 * primes (FIPS 180-4, 4.2.2). */
static const uint32_t k256[64] = {
	0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u,
	0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
	0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u,
	0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
	0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu,
	0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
	0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u,
	0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
	0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u,
	0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
	0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u,
	0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
	0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u,
	0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
	0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u,
	0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
};

static uint32_t
rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static uint32_t
load_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void
store_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* One 512-bit block through the 64 rounds (FIPS 180-4, 6.2.2). */
static void
sha256_block_portable(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	for (i = 16; i < 64; i++) {
		uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	f = h[5];
	g = h[6];
	hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) +
		     ((e & f) ^ (~e & g)) + k256[i] + w[i];
		t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) +
		     ((a & b) ^ (a & c) ^ (b & c));
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

#ifdef HAVE_SHA_NI

/*
 * The same block with the SHA extensions of x86 (Intel since Goldmont and
 * Ice Lake, AMD since Zen): 4 to 10 times faster, and the scanner hashes
 * every input. SHA256RNDS2 runs two rounds on the state held as ABEF and
 * CDGH (A in the high lane) with W + K of the two rounds in the low lanes
 * of its third operand; SHA256MSG1 and SHA256MSG2 extend the schedule
 * four words at a time, W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) +
 * W[i-16].
 */
__attribute__((target("sha,ssse3,sse4.1"))) static void
sha256_block_ni(uint32_t h[8], const unsigned char *p)
{
	/* bytes 3..0 of each word first: the words are big-endian */
	const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4,
					   5, 6, 7, 0, 1, 2, 3);
	__m128i abef, cdgh, abef0, cdgh0, wk, w[4];
	uint32_t out[4];
	int i;

	abef = _mm_set_epi32((int)h[0], (int)h[1], (int)h[4], (int)h[5]);
	cdgh = _mm_set_epi32((int)h[2], (int)h[3], (int)h[6], (int)h[7]);
	abef0 = abef;
	cdgh0 = cdgh;
	for (i = 0; i < 4; i++)
		w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)
							(const void *)(p + 16 * i)),
					bswap);
	/* rounds 4i to 4i + 3; w[i % 4] holds W[4i .. 4i + 3] */
	for (i = 0; i < 16; i++) {
		__m128i *cur = &w[i % 4];

		if (i >= 4) {
			/* W[4i..] from W[4i-16..], W[4i-12..], W[4i-7..]
			 * and W[4i-4..] */
			__m128i t = _mm_sha256msg1_epu32(w[i % 4],
							 w[(i + 1) % 4]);

			t = _mm_add_epi32(t, _mm_alignr_epi8(w[(i + 3) % 4],
							     w[(i + 2) % 4],
							     4));
			*cur = _mm_sha256msg2_epu32(t, w[(i + 3) % 4]);
		}
		wk = _mm_add_epi32(*cur, _mm_loadu_si128((const __m128i *)
							 (const void *)
							 (k256 + 4 * i)));
		/* two rounds: the new ABEF in cdgh, and the old ABEF is
		 * the new CDGH; two more put each back in its name */
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
		abef = _mm_sha256rnds2_epu32(abef, cdgh,
					     _mm_shuffle_epi32(wk, 0x0E));
	}
	abef = _mm_add_epi32(abef, abef0);
	cdgh = _mm_add_epi32(cdgh, cdgh0);
	_mm_storeu_si128((__m128i *)(void *)out, abef);
	h[0] = out[3];
	h[1] = out[2];
	h[4] = out[1];
	h[5] = out[0];
	_mm_storeu_si128((__m128i *)(void *)out, cdgh);
	h[2] = out[3];
	h[3] = out[2];
	h[6] = out[1];
	h[7] = out[0];
}

/* Whether the CPU has the SHA extensions and SSSE3 and SSE4.1. */
static bool
cpu_has_sha(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
	    !(c & bit_SSE4_1))
		return false;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

/* 0: not decided yet; 1: portable; 2: SHA extensions. Set once, the same
 * by every thread, read and written atomically. */
static int block_impl;

void
sha256_set_portable(bool portable)
{
	int v = 1;

#ifdef HAVE_SHA_NI
	if (!portable && cpu_has_sha())
		v = 2;
#else
	(void)portable;
#endif
	__atomic_store_n(&block_impl, v, __ATOMIC_RELAXED);
}

static void
sha256_block(uint32_t h[8], const unsigned char *p)
{
	int v = __atomic_load_n(&block_impl, __ATOMIC_RELAXED);

	if (v == 0) {
		sha256_set_portable(false);
		v = __atomic_load_n(&block_impl, __ATOMIC_RELAXED);
	}
#ifdef HAVE_SHA_NI
	if (v == 2) {
		sha256_block_ni(h, p);
		return;
	}
#endif
	sha256_block_portable(h, p);
}

void
sha256_init(struct sha256_ctx *ctx)
{
	/* fractional parts of the square roots of the first 8 primes */
	ctx->h[0] = 0x6a09e667u;
	ctx->h[1] = 0xbb67ae85u;
	ctx->h[2] = 0x3c6ef372u;
	ctx->h[3] = 0xa54ff53au;
	ctx->h[4] = 0x510e527fu;
	ctx->h[5] = 0x9b05688cu;
	ctx->h[6] = 0x1f83d9abu;
	ctx->h[7] = 0x5be0cd19u;
	ctx->bytes = 0;
	ctx->used = 0;
}

void
sha256_update(struct sha256_ctx *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;

	ctx->bytes += len;
	if (ctx->used) {
		size_t n = SHA256_BLOCK_LEN - ctx->used;

		if (n > len)
			n = len;
		memcpy(ctx->block + ctx->used, p, n);
		ctx->used += n;
		p += n;
		len -= n;
		if (ctx->used < SHA256_BLOCK_LEN)
			return;
		sha256_block(ctx->h, ctx->block);
		ctx->used = 0;
	}
	while (len >= SHA256_BLOCK_LEN) {
		sha256_block(ctx->h, p);
		p += SHA256_BLOCK_LEN;
		len -= SHA256_BLOCK_LEN;
	}
	if (len) {
		memcpy(ctx->block, p, len);
		ctx->used = len;
	}
}

void
sha256_final(struct sha256_ctx *ctx, unsigned char out[SHA256_DIGEST_LEN])
{
	uint64_t bits = ctx->bytes * 8;
	int i;

	/* 0x80, zeros up to 56 mod 64, then the bit length big-endian */
	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > SHA256_BLOCK_LEN - 8) {
		memset(ctx->block + ctx->used, 0,
		       SHA256_BLOCK_LEN - ctx->used);
		sha256_block(ctx->h, ctx->block);
		ctx->used = 0;
	}
	memset(ctx->block + ctx->used, 0, SHA256_BLOCK_LEN - 8 - ctx->used);
	store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)bits);
	sha256_block(ctx->h, ctx->block);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->h[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void
sha256_digest(const void *data, size_t len,
	      unsigned char out[SHA256_DIGEST_LEN])
{
	struct sha256_ctx ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, data, len);
	sha256_final(&ctx, out);
}
