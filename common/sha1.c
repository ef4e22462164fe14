/* sha1.c: SHA-1 as FIPS 180-4 section 6.1 describes it. */
#include <string.h>

#include "common/sha1.h"
#include "common/banned.h"

static uint32_t
rotl(uint32_t x, unsigned n)
{
	return (x << n) | (x >> (32 - n));
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

/* One 512-bit block through the 80 rounds (FIPS 180-4, 6.1.2). */
static void
sha1_block(uint32_t h[5], const unsigned char *p)
{
	uint32_t w[80], a, b, c, d, e, f, k, t;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(p + 4 * i);
	for (i = 16; i < 80; i++)
		w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) ^ (~b & d);		/* Ch */
			k = 0x5a827999u;
		} else if (i < 40) {
			f = b ^ c ^ d;			/* Parity */
			k = 0x6ed9eba1u;
		} else if (i < 60) {
			f = (b & c) ^ (b & d) ^ (c & d);	/* Maj */
			k = 0x8f1bbcdcu;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6u;
		}
		t = rotl(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = rotl(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

void
sha1_init(struct sha1_ctx *ctx)
{
	ctx->h[0] = 0x67452301u;
	ctx->h[1] = 0xefcdab89u;
	ctx->h[2] = 0x98badcfeu;
	ctx->h[3] = 0x10325476u;
	ctx->h[4] = 0xc3d2e1f0u;
	ctx->bytes = 0;
	ctx->used = 0;
}

void
sha1_update(struct sha1_ctx *ctx, const void *data, size_t len)
{
	const unsigned char *p = data;

	ctx->bytes += len;
	if (ctx->used) {
		size_t n = SHA1_BLOCK_LEN - ctx->used;

		if (n > len)
			n = len;
		memcpy(ctx->block + ctx->used, p, n);
		ctx->used += n;
		p += n;
		len -= n;
		if (ctx->used < SHA1_BLOCK_LEN)
			return;
		sha1_block(ctx->h, ctx->block);
		ctx->used = 0;
	}
	while (len >= SHA1_BLOCK_LEN) {
		sha1_block(ctx->h, p);
		p += SHA1_BLOCK_LEN;
		len -= SHA1_BLOCK_LEN;
	}
	if (len) {
		memcpy(ctx->block, p, len);
		ctx->used = len;
	}
}

void
sha1_final(struct sha1_ctx *ctx, unsigned char out[SHA1_DIGEST_LEN])
{
	uint64_t bits = ctx->bytes * 8;
	int i;

	/* 0x80, zeros up to 56 mod 64, then the bit length big-endian */
	ctx->block[ctx->used++] = 0x80;
	if (ctx->used > SHA1_BLOCK_LEN - 8) {
		memset(ctx->block + ctx->used, 0, SHA1_BLOCK_LEN - ctx->used);
		sha1_block(ctx->h, ctx->block);
		ctx->used = 0;
	}
	memset(ctx->block + ctx->used, 0, SHA1_BLOCK_LEN - 8 - ctx->used);
	store_be32(ctx->block + 56, (uint32_t)(bits >> 32));
	store_be32(ctx->block + 60, (uint32_t)bits);
	sha1_block(ctx->h, ctx->block);
	for (i = 0; i < 5; i++)
		store_be32(out + 4 * i, ctx->h[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void
sha1_digest(const void *data, size_t len, unsigned char out[SHA1_DIGEST_LEN])
{
	struct sha1_ctx ctx;

	sha1_init(&ctx);
	sha1_update(&ctx, data, len);
	sha1_final(&ctx, out);
}
