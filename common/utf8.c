/* utf8.c: strict UTF-8 per RFC 3629. */
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/utf8.h"
#include "common/banned.h"

size_t
utf8_decode(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	uint32_t c;
	size_t n, i;

	*cp = UTF8_REPLACEMENT;
	if (len == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] < 0xC2)
		return 0;	/* continuation byte or overlong 2-byte lead */
	if (s[0] < 0xE0) {
		/* two bytes (Cyrillic) on their own: none can be out of
		 * range, and the loop below had cost three times as much */
		if (len < 2 || (s[1] & 0xC0) != 0x80)
			return 0;
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	if (s[0] < 0xF0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if (s[0] < 0xF5) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

size_t
utf8_encode(uint32_t cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = UTF8_REPLACEMENT;
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/*
 * Whether s[i] starts a valid two-byte sequence (U+0080 to U+07FF, most
 * of Cyrillic): what utf8_decode() would take, without the call.
 */
static bool
two_byte_at(const char *s, size_t len, size_t i)
{
	return (unsigned char)s[i] >= 0xC2 && (unsigned char)s[i] < 0xE0 &&
	       i + 1 < len && ((unsigned char)s[i + 1] & 0xC0) == 0x80;
}

#ifdef __SSE2__
/*
 * From i, a character boundary, over 16 bytes at a time of ASCII and
 * two-byte sequences (C2 to DF, then a continuation byte): most of a
 * listing in Russian. Such a block is valid when every continuation byte
 * follows a lead byte and every lead byte is followed by one: the mask
 * of continuation bytes is the mask of lead bytes shifted by one, with
 * the last lead of the block before carried in. Returns the boundary
 * where a block holds anything else (or is invalid) or fewer than 16
 * bytes are left: everything before it is valid.
 */
static size_t
skip_two_byte_text(const char *s, size_t len, size_t i)
{
	unsigned carry = 0;

	for (; len - i >= 16; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
					    (s + i));
		/* as signed bytes: 80..BF are -128..-65, C2..DF -62..-33 */
		unsigned high = (unsigned)_mm_movemask_epi8(x);
		unsigned cont = (unsigned)_mm_movemask_epi8(
			_mm_cmplt_epi8(x, _mm_set1_epi8(-64)));
		unsigned lead = (unsigned)_mm_movemask_epi8(_mm_and_si128(
			_mm_cmpgt_epi8(x, _mm_set1_epi8(-63)),
			_mm_cmplt_epi8(x, _mm_set1_epi8(-32))));

		if ((high & ~(cont | lead)) ||
		    cont != (((lead << 1) | carry) & 0xFFFFu))
			break;
		carry = lead >> 15;
	}
	/* a lead byte left waiting: its character starts one byte back */
	return i - carry;
}
#endif

/*
 * The scalar check, from i (a character boundary) to at least stop or
 * the end: whether the bytes are valid, with the first bad offset in
 * *bad; *next is where it stopped (a character boundary).
 */
static bool
valid_scalar(const char *s, size_t len, size_t i, size_t stop, size_t *next,
	     size_t *bad)
{
	size_t n;
	uint32_t cp;

	while (i < len && i < stop) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if (two_byte_at(s, len, i)) {
			i += 2;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	*next = i;
	return true;
}

bool
utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
#ifdef __SSE2__
		i = skip_two_byte_text(s, len, i);
#endif
		/* a stretch with other characters, or the last bytes */
		if (!valid_scalar(s, len, i, i + 16, &i, bad))
			return false;
	}
	return true;
}

/* Each invalid byte is replaced, and reading goes on after it; the
 * valid stretches between are found by utf8_valid(). */
enum rf_err
utf8_repair(struct buf *b, const char *s, size_t len)
{
	size_t start = 0, bad;
	enum rf_err err;

	while (!utf8_valid(s + start, len - start, &bad)) {
		if ((err = buf_add(b, s + start, bad)) != RF_OK)
			return err;
		if ((err = buf_add(b, "\xEF\xBF\xBD", 3)) != RF_OK)
			return err;
		start += bad + 1;
	}
	return buf_add(b, s + start, len - start);
}

size_t
utf8_prefix(const char *s, size_t len, size_t max)
{
	size_t n;

	if (len <= max)
		return len;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return n;
}
