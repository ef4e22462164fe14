/* translit.c: a Cyrillic view of transliterated Russian (text.h). */
#include <stdbool.h>
#include <string.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "text/text-int.h"
#include "common/banned.h"

/*
 * Informal Latin spellings of Russian as typed in ads and chats ("rabota v
 * dubae", "zhile besplatno", "vizu oformim"), tried longest first at each
 * Latin letter. Each output letter maps back to the whole sequence.
 */
struct translit {
	const char *lat;
	uint32_t cyr;
};

static const struct translit translit_seq[] = {
	{ "shch", 0x0449 },	/* щ */
	{ "sch", 0x0449 },
	{ "zh", 0x0436 },	/* ж */
	{ "kh", 0x0445 },	/* х */
	{ "ch", 0x0447 },	/* ч */
	{ "sh", 0x0448 },	/* ш */
	{ "ts", 0x0446 },	/* ц */
	{ "yu", 0x044E },	/* ю */
	{ "ju", 0x044E },
	{ "ya", 0x044F },	/* я */
	{ "ja", 0x044F },
	{ "yo", 0x0435 },	/* ё, folded to е like the view */
	{ "jo", 0x0435 },
	{ "ye", 0x0435 },	/* е */
	{ "je", 0x0435 },
};

/*
 * One letter each; y is ы after a consonant and й after a vowel (dubay,
 * novyy), so it is handled in text_translit(). x is х, as informal
 * writers use it (xorosho), and c is ц.
 */
static const uint16_t translit_letter[26] = {
	0x0430, 0x0431, 0x0446, 0x0434, 0x0435,	/* a b c d e -> а б ц д е */
	0x0444, 0x0433, 0x0445, 0x0438, 0x0439,	/* f g h i j -> ф г х и й */
	0x043A, 0x043B, 0x043C, 0x043D, 0x043E,	/* k l m n o -> к л м н о */
	0x043F, 0x043A, 0x0440, 0x0441, 0x0442,	/* p q r s t -> п к р с т */
	0x0443, 0x0432, 0x0432, 0x0445, 0,	/* u v w x y -> у в в х */
	0x0437,					/* z -> з */
};

static inline int
ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static inline bool
ascii_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool
latin_vowel(int c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
	       c == 'y';
}

/* Length of seq when text at s (len bytes) starts with it, any case. */
static size_t
seq_match(const char *s, size_t len, const char *seq)
{
	size_t i;

	for (i = 0; seq[i]; i++)
		if (i >= len || ascii_lower((unsigned char)s[i]) != seq[i])
			return 0;
	return i;
}

enum rf_err
text_translit(struct fold *out, const char *text, size_t len)
{
	size_t i, n, k, m;
	uint32_t cp;
	bool after_vowel = false;
	int c;

	fold_reset(out, 0);
	if (len > RF_FOLD_INPUT_MAX)
		return RF_ETOOBIG;
	if (!text && len)
		return RF_EINVAL;
	fold_reset(out, len);

	for (i = 0; i < len; i += n) {
		c = ascii_lower((unsigned char)text[i]);
		if (!ascii_alpha((unsigned char)text[i])) {
			if ((unsigned char)text[i] < 0x80) {
				cp = (unsigned char)text[i];
				n = 1;
			} else if ((n = utf8_decode(text + i, len - i,
						    &cp)) == 0) {
				n = 1;
				cp = UTF8_REPLACEMENT;
				out->ninvalid++;
			}
			fold_put(out, cp, (uint32_t)i, (uint32_t)n, 0, 0);
			after_vowel = false;
			continue;
		}
		for (k = 0, m = 0; k < RF_ARRAY_SIZE(translit_seq); k++)
			if ((m = seq_match(text + i, len - i,
					   translit_seq[k].lat)) != 0)
				break;
		if (m) {
			n = m;
			cp = translit_seq[k].cyr;
			after_vowel = c == 'y' || c == 'j';
		} else if (c == 'y') {
			n = 1;
			cp = after_vowel ? 0x0439 : 0x044B;	/* й, ы */
			after_vowel = true;
		} else {
			n = 1;
			cp = translit_letter[c - 'a'];
			after_vowel = latin_vowel(c);
		}
		fold_put(out, cp, (uint32_t)i, (uint32_t)n, 0, 0);
	}
	if (buf_failed(&out->view)) {
		fold_reset(out, 0);
		return RF_ETOOBIG;
	}
	return RF_OK;
}
