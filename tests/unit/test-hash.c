/*
 * test-hash.c: unit tests of common/sha1, common/sha256 and common/encode.
 * Digest vectors are the FIPS 180-2 / NIST CSRC examples ("abc", the
 * 448-bit and 896-bit messages, one million 'a'), the empty message, and
 * boundary lengths checked against coreutils' sha1sum and sha256sum.
 * Base32 vectors are from RFC 4648, section 10.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/encode.h"
#include "common/err.h"
#include "common/sha1.h"
#include "common/sha256.h"

static const char msg448[] =
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char msg896[] =
	"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
	"hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void
check_sha1(const void *data, size_t len, const char *want)
{
	unsigned char d[SHA1_DIGEST_LEN];
	char hex[SHA1_HEX_LEN + 1];

	sha1_digest(data, len, d);
	assert_string_equal(encode_hex(d, sizeof(d), hex), want);
}

static void
check_sha256(const void *data, size_t len, const char *want)
{
	unsigned char d[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN + 1];

	sha256_digest(data, len, d);
	assert_string_equal(encode_hex(d, sizeof(d), hex), want);
}

static void
test_sha1_vectors(void **state)
{
	check_sha1("abc", 3, "a9993e364706816aba3e25717850c26c9cd0d89d");
	check_sha1("", 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	check_sha1(msg448, strlen(msg448),
		   "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
	check_sha1(msg896, strlen(msg896),
		   "a49b2446a02c645bf419f995b67091253a04a259");
}

static void
test_sha256_vectors(void **state)
{
	check_sha256("abc", 3,
		     "ba7816bf8f01cfea414140de5dae2223"
		     "b00361a396177a9cb410ff61f20015ad");
	check_sha256("", 0,
		     "e3b0c44298fc1c149afbf4c8996fb924"
		     "27ae41e4649b934ca495991b7852b855");
	check_sha256(msg448, strlen(msg448),
		     "248d6a61d20638b8e5c026930c3e6039"
		     "a33ce45964ff2167f6ecedd419db06c1");
	check_sha256(msg896, strlen(msg896),
		     "cf5b16a778af8380036ce59e7b049237"
		     "0b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in uneven pieces so that every path of update runs. */
static void
test_million_a(void **state)
{
	static const size_t pieces[] = { 1, 63, 64, 65, 1000, 7, 4096 };
	struct sha1_ctx c1;
	struct sha256_ctx c256;
	unsigned char d1[SHA1_DIGEST_LEN], d256[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN + 1];
	char *a = malloc(4096);
	size_t done = 0, i = 0;

	assert_non_null(a);
	memset(a, 'a', 4096);
	sha1_init(&c1);
	sha256_init(&c256);
	while (done < 1000000) {
		size_t n = pieces[i++ % RF_ARRAY_SIZE(pieces)];

		if (n > 1000000 - done)
			n = 1000000 - done;
		sha1_update(&c1, a, n);
		sha256_update(&c256, a, n);
		done += n;
	}
	sha1_final(&c1, d1);
	sha256_final(&c256, d256);
	assert_string_equal(encode_hex(d1, sizeof(d1), hex),
			    "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	assert_string_equal(encode_hex(d256, sizeof(d256), hex),
			    "cdc76e5c9914fb9281a1c7e284d73e67"
			    "f1809a48a497200e046d39ccc7112cd0");
	free(a);
}

/* Lengths around the padding boundary (55, 56 and 64 bytes). */
static void
test_padding_boundaries(void **state)
{
	static const struct {
		size_t n;
		const char *sha1, *sha256;
	} v[] = {
		{ 55, "c1c8bbdc22796e28c0e15163d20899b65621d65a",
		  "9f4390f8d30c2dd92ec9f095b65e2b9a"
		  "e9b0a925a5258e241c9f1e910f734318" },
		{ 56, "c2db330f6083854c99d4b5bfb6e8f29f201be699",
		  "b35439a4ac6f0948b6d6f9e3c6af0f5f"
		  "590ce20f1bde7090ef7970686ec6738a" },
		{ 63, "03f09f5b158a7a8cdad920bddc29b81c18a551f5",
		  "7d3e74a05d7db15bce4ad9ec0658ea98"
		  "e3f06eeecf16b4c6fff2da457ddc2f34" },
		{ 64, "0098ba824b5c16427bd7a1122a5a442a25ec644d",
		  "ffe054fe7ae0cb6dc65c3af9b61d5209"
		  "f439851db43d0ba5997337df154668eb" },
		{ 119, "ee971065aaa017e0632a8ca6c77bb3bf8b1dfc56",
		  "31eba51c313a5c08226adf18d4a359cf"
		  "dfd8d2e816b13f4af952f7ea6584dcfb" },
	};
	char a[128];
	size_t i;

	memset(a, 'a', sizeof(a));
	for (i = 0; i < RF_ARRAY_SIZE(v); i++) {
		check_sha1(a, v[i].n, v[i].sha1);
		check_sha256(a, v[i].n, v[i].sha256);
	}
}

/* Byte-at-a-time updates give the one-shot digest. */
static void
test_streaming_equals_oneshot(void **state)
{
	struct sha1_ctx c1;
	struct sha256_ctx c256;
	unsigned char s1[SHA1_DIGEST_LEN], o1[SHA1_DIGEST_LEN];
	unsigned char s256[SHA256_DIGEST_LEN], o256[SHA256_DIGEST_LEN];
	size_t i;

	sha1_init(&c1);
	sha256_init(&c256);
	for (i = 0; i < strlen(msg896); i++) {
		sha1_update(&c1, msg896 + i, 1);
		sha256_update(&c256, msg896 + i, 1);
	}
	sha1_update(&c1, "", 0);
	sha1_final(&c1, s1);
	sha256_final(&c256, s256);
	sha1_digest(msg896, strlen(msg896), o1);
	sha256_digest(msg896, strlen(msg896), o256);
	assert_memory_equal(s1, o1, sizeof(s1));
	assert_memory_equal(s256, o256, sizeof(s256));
}

/*
 * The CPU's SHA instructions (where it has them: then the vectors above
 * ran on them) and the portable code give the same digests, for every
 * length up to ten blocks and from unaligned addresses.
 */
static void
test_sha256_portable_equals_cpu(void **state)
{
	unsigned char data[700], p[SHA256_DIGEST_LEN], c[SHA256_DIGEST_LEN];
	uint32_t x = 2463534242u;
	size_t i, n;

	for (i = 0; i < sizeof(data); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		data[i] = (unsigned char)x;
	}
	for (n = 0; n + 7 <= sizeof(data); n++) {
		sha256_set_portable(true);
		sha256_digest(data + n % 7, n, p);
		sha256_set_portable(false);
		sha256_digest(data + n % 7, n, c);
		assert_memory_equal(p, c, sizeof(p));
	}
}

static void
test_base32(void **state)
{
	static const char *const v[][2] = {
		{ "", "" },
		{ "f", "MY======" },
		{ "fo", "MZXQ====" },
		{ "foo", "MZXW6===" },
		{ "foob", "MZXW6YQ=" },
		{ "fooba", "MZXW6YTB" },
		{ "foobar", "MZXW6YTBOI======" },
	};
	char out[64];
	unsigned char d[SHA1_DIGEST_LEN];
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(v); i++)
		assert_string_equal(encode_base32(v[i][0], strlen(v[i][0]),
						  out), v[i][1]);
	/* the WARC digest of an empty payload, as every WARC tool writes it */
	sha1_digest("", 0, d);
	assert_string_equal(encode_base32(d, sizeof(d), out),
			    "3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
	assert_int_equal(strlen(out), SHA1_BASE32_LEN);
	assert_int_equal(ENCODE_BASE32_LEN(SHA1_DIGEST_LEN), SHA1_BASE32_LEN);
}

static void
test_hex(void **state)
{
	char out[16];

	assert_string_equal(encode_hex("\x00\x0f\xa0\xff", 4, out),
			    "000fa0ff");
	assert_string_equal(encode_hex("", 0, out), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha1_vectors),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_padding_boundaries),
		cmocka_unit_test(test_streaming_equals_oneshot),
		cmocka_unit_test(test_sha256_portable_equals_cpu),
		cmocka_unit_test(test_base32),
		cmocka_unit_test(test_hex),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
