/*
 * ref-fold.c: text/normalize.c as of commit c966859, frozen, renamed
 * ref_*: the reference bench/bench-text compares text_fold() with, byte
 * for byte (folded view and offset map). Not part of any library; do not
 * change it except to follow a deliberate change of text_fold()'s output.
 * Followed so far: the three fixes that keep a view the same when folded
 * again, 5d7d764 (a look-alike that composes with the mark after it; a
 * capital with no look-alike of its own) and 596ec61 (word_decide()).
 */
#define fold_init ref_fold_init
#define fold_release ref_fold_release
#define fold_reset ref_fold_reset
#define fold_put ref_fold_put
#define text_fold ref_text_fold
#define fold_span ref_fold_span
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "text/text-int.h"
#include "common/banned.h"

#define NONE ((size_t)-1)

/* Scripts a word is folded into; indexes of the per-word counters. */
enum { SC_LAT = 0, SC_CYR, SC_GRK, SC_NONE };

/* Spaced-out runs shorter than this are left alone ("я и ты"). */
#define RUN_MIN 4
/*
 * Words with fewer letters keep their digits: ЭП3Д, P4P, 3д, mp3. The
 * test cannot be on capitals, as the view has none and folding it again
 * must not change it.
 */
#define LEET_MIN_LETTERS 4
/* A first run of this many letters of one script is a stem, not a
 * disguise (Brexitтин). */
#define COMPOUND_STEM 4

/* The state of one text_fold() call. */
struct folder {
	struct fold *f;
	const char *s;
	size_t len;
	unsigned flags;
	size_t wstart;		/* first cell of the word being read, or NONE */
	bool attach;		/* the last cell may take a combining mark */
	bool in_run;		/* cells [0, rlen) hold a spaced-out run */
	bool rexpect;		/* ... whose last cell is a separator */
	size_t rlen;
	size_t rcount;		/* one-letter words in the run */
	uint32_t rsep;		/* the run's separator, 0 before the first */
	int ctx;		/* script of the last word decided, SC_* */
};

/* Compatibility mappings of one code point to up to three. */
struct compat {
	uint32_t from;
	uint8_t n;
	uint16_t to[3];
};

/* Sorted by from. Ranges are handled in compat_map(). */
static const struct compat compat_table[] = {
	{ 0x00A0, 1, { ' ' } },		/* no-break space */
	{ 0x00AA, 1, { 'a' } },		/* ª */
	{ 0x00AB, 1, { '"' } },		/* « */
	{ 0x00B2, 1, { '2' } },
	{ 0x00B3, 1, { '3' } },
	{ 0x00B4, 1, { '\'' } },	/* ´ typed for the Uzbek ʻ */
	{ 0x00B5, 1, { 0x03BC } },	/* micro sign -> μ */
	{ 0x00B9, 1, { '1' } },
	{ 0x00BA, 1, { 'o' } },		/* º */
	{ 0x00BB, 1, { '"' } },		/* » */
	{ 0x0132, 2, { 'I', 'J' } },
	{ 0x0133, 2, { 'i', 'j' } },
	{ 0x01C4, 2, { 'D', 0x017D } },
	{ 0x01C5, 2, { 'D', 0x017E } },
	{ 0x01C6, 2, { 'd', 0x017E } },
	{ 0x01C7, 2, { 'L', 'J' } },
	{ 0x01C8, 2, { 'L', 'j' } },
	{ 0x01C9, 2, { 'l', 'j' } },
	{ 0x01CA, 2, { 'N', 'J' } },
	{ 0x01CB, 2, { 'N', 'j' } },
	{ 0x01CC, 2, { 'n', 'j' } },
	{ 0x01F1, 2, { 'D', 'Z' } },
	{ 0x01F2, 2, { 'D', 'z' } },
	{ 0x01F3, 2, { 'd', 'z' } },
	{ 0x02B9, 1, { '\'' } },	/* ʹ */
	{ 0x02BB, 1, { '\'' } },	/* ʻ the Uzbek oʻ and gʻ */
	{ 0x02BC, 1, { '\'' } },	/* ʼ */
	{ 0x02BD, 1, { '\'' } },	/* ʽ */
	{ 0x02C8, 1, { '\'' } },	/* ˈ */
	{ 0x02CA, 1, { '\'' } },	/* ˊ */
	{ 0x037E, 1, { ';' } },		/* Greek question mark */
	{ 0x058A, 1, { '-' } },		/* Armenian hyphen */
	{ 0x1680, 1, { ' ' } },		/* Ogham space */
	{ 0x2018, 1, { '\'' } },	/* ‘ */
	{ 0x2019, 1, { '\'' } },	/* ’ */
	{ 0x201A, 1, { '\'' } },	/* ‚ */
	{ 0x201B, 1, { '\'' } },	/* ‛ */
	{ 0x201C, 1, { '"' } },		/* “ */
	{ 0x201D, 1, { '"' } },		/* ” */
	{ 0x201E, 1, { '"' } },		/* „ */
	{ 0x201F, 1, { '"' } },		/* ‟ */
	{ 0x2024, 1, { '.' } },
	{ 0x2025, 2, { '.', '.' } },
	{ 0x2026, 3, { '.', '.', '.' } },
	{ 0x2028, 1, { '\n' } },	/* line separator */
	{ 0x2029, 1, { '\n' } },	/* paragraph separator */
	{ 0x202F, 1, { ' ' } },		/* narrow no-break space */
	{ 0x2032, 1, { '\'' } },	/* ′ */
	{ 0x2033, 1, { '"' } },		/* ″ */
	{ 0x2035, 1, { '\'' } },	/* ‵ */
	{ 0x2036, 1, { '"' } },		/* ‶ */
	{ 0x2039, 1, { '\'' } },	/* ‹ */
	{ 0x203A, 1, { '\'' } },	/* › */
	{ 0x2043, 1, { '-' } },		/* hyphen bullet */
	{ 0x2044, 1, { '/' } },		/* fraction slash */
	{ 0x205F, 1, { ' ' } },		/* medium mathematical space */
	{ 0x2070, 1, { '0' } },
	{ 0x2071, 1, { 'i' } },
	{ 0x207A, 1, { '+' } },
	{ 0x207B, 1, { '-' } },
	{ 0x207C, 1, { '=' } },
	{ 0x207D, 1, { '(' } },
	{ 0x207E, 1, { ')' } },
	{ 0x207F, 1, { 'n' } },
	{ 0x208A, 1, { '+' } },
	{ 0x208B, 1, { '-' } },
	{ 0x208C, 1, { '=' } },
	{ 0x208D, 1, { '(' } },
	{ 0x208E, 1, { ')' } },
	{ 0x2090, 1, { 'a' } },
	{ 0x2091, 1, { 'e' } },
	{ 0x2092, 1, { 'o' } },
	{ 0x2093, 1, { 'x' } },
	{ 0x2094, 1, { 0x0259 } },
	{ 0x2095, 1, { 'h' } },
	{ 0x2096, 1, { 'k' } },
	{ 0x2097, 1, { 'l' } },
	{ 0x2098, 1, { 'm' } },
	{ 0x2099, 1, { 'n' } },
	{ 0x209A, 1, { 'p' } },
	{ 0x209B, 1, { 's' } },
	{ 0x209C, 1, { 't' } },
	{ 0x2102, 1, { 'C' } },
	{ 0x210A, 1, { 'g' } },
	{ 0x210B, 1, { 'H' } },
	{ 0x210C, 1, { 'H' } },
	{ 0x210D, 1, { 'H' } },
	{ 0x210E, 1, { 'h' } },
	{ 0x2110, 1, { 'I' } },
	{ 0x2111, 1, { 'I' } },
	{ 0x2112, 1, { 'L' } },
	{ 0x2113, 1, { 'l' } },
	{ 0x2115, 1, { 'N' } },
	{ 0x2119, 1, { 'P' } },
	{ 0x211A, 1, { 'Q' } },
	{ 0x211B, 1, { 'R' } },
	{ 0x211C, 1, { 'R' } },
	{ 0x211D, 1, { 'R' } },
	{ 0x2124, 1, { 'Z' } },
	{ 0x2126, 1, { 0x03A9 } },	/* ohm sign -> Ω */
	{ 0x2128, 1, { 'Z' } },
	{ 0x212A, 1, { 'K' } },		/* kelvin sign */
	{ 0x212B, 1, { 0x00C5 } },	/* angstrom sign -> Å */
	{ 0x212C, 1, { 'B' } },
	{ 0x212D, 1, { 'C' } },
	{ 0x212F, 1, { 'e' } },
	{ 0x2130, 1, { 'E' } },
	{ 0x2131, 1, { 'F' } },
	{ 0x2133, 1, { 'M' } },
	{ 0x2134, 1, { 'o' } },
	{ 0x2139, 1, { 'i' } },
	{ 0x2145, 1, { 'D' } },
	{ 0x2146, 1, { 'd' } },
	{ 0x2147, 1, { 'e' } },
	{ 0x2148, 1, { 'i' } },
	{ 0x2149, 1, { 'j' } },
	{ 0x2212, 1, { '-' } },		/* minus sign */
	{ 0x2215, 1, { '/' } },		/* division slash */
	{ 0x24EA, 1, { '0' } },		/* ⓪ */
	{ 0x2800, 1, { ' ' } },		/* braille blank, used as a space */
	{ 0x2E3A, 1, { '-' } },
	{ 0x2E3B, 1, { '-' } },
	{ 0x3000, 1, { ' ' } },		/* ideographic space */
	{ 0x301D, 1, { '"' } },
	{ 0x301E, 1, { '"' } },
	{ 0x301F, 1, { '"' } },
	{ 0xFB00, 2, { 'f', 'f' } },
	{ 0xFB01, 2, { 'f', 'i' } },
	{ 0xFB02, 2, { 'f', 'l' } },
	{ 0xFB03, 3, { 'f', 'f', 'i' } },
	{ 0xFB04, 3, { 'f', 'f', 'l' } },
	{ 0xFB05, 2, { 's', 't' } },
	{ 0xFB06, 2, { 's', 't' } },
	{ 0xFE50, 1, { ',' } },
	{ 0xFE52, 1, { '.' } },
	{ 0xFE54, 1, { ';' } },
	{ 0xFE55, 1, { ':' } },
	{ 0xFE56, 1, { '?' } },
	{ 0xFE57, 1, { '!' } },
	{ 0xFE58, 1, { '-' } },
	{ 0xFE59, 1, { '(' } },
	{ 0xFE5A, 1, { ')' } },
	{ 0xFE5B, 1, { '{' } },
	{ 0xFE5C, 1, { '}' } },
	{ 0xFE5F, 1, { '#' } },
	{ 0xFE60, 1, { '&' } },
	{ 0xFE61, 1, { '*' } },
	{ 0xFE62, 1, { '+' } },
	{ 0xFE63, 1, { '-' } },
	{ 0xFE64, 1, { '<' } },
	{ 0xFE65, 1, { '>' } },
	{ 0xFE66, 1, { '=' } },
	{ 0xFE68, 1, { '\\' } },
	{ 0xFE69, 1, { '$' } },
	{ 0xFE6A, 1, { '%' } },
	{ 0xFE6B, 1, { '@' } },
	{ 0x1D6A4, 1, { 0x0131 } },	/* mathematical italic dotless i */
	{ 0x1D6A5, 1, { 'j' } },	/* mathematical italic dotless j */
};

/*
 * Writes the compatibility folding of cp to out and returns how many code
 * points it has (at most 3), or 0 when cp stays as it is.
 */
static size_t
compat_map(uint32_t cp, uint32_t out[3])
{
	size_t lo, hi, mid, i;
	uint32_t d;

	if (cp < 0x80) {
		if (cp != '`')
			return 0;
		out[0] = '\'';
		return 1;
	}
	if (cp >= 0x0300 && cp < 0x0530 && cp != 0x037E)
		return 0;	/* Greek and Cyrillic: the common case */
	if (cp >= 0x2000 && cp <= 0x200A) {
		out[0] = ' ';
		return 1;
	}
	if (cp >= 0x2010 && cp <= 0x2015) {
		out[0] = '-';
		return 1;
	}
	if ((cp >= 0x2074 && cp <= 0x2079) || (cp >= 0x2080 && cp <= 0x2089)) {
		out[0] = '0' + (cp & 0xF);
		return 1;
	}
	if ((cp >= 0x2460 && cp <= 0x2473) || (cp >= 0x2776 && cp <= 0x2793)) {
		/* circled numbers ① to ⑳, dingbat ❶ to ➓ */
		d = cp <= 0x2473 ? cp - 0x2460 + 1 : (cp - 0x2776) % 10 + 1;
		if (d < 10) {
			out[0] = '0' + d;
			return 1;
		}
		out[0] = '0' + d / 10;
		out[1] = '0' + d % 10;
		return 2;
	}
	if (cp >= 0x24B6 && cp <= 0x24E9) {	/* Ⓐ to ⓩ */
		out[0] = cp <= 0x24CF ? 'A' + (cp - 0x24B6)
				      : 'a' + (cp - 0x24D0);
		return 1;
	}
	if (cp >= 0xFF01 && cp <= 0xFF5E) {	/* fullwidth ASCII */
		out[0] = cp - 0xFEE0;
		if (out[0] == '`')
			out[0] = '\'';
		return 1;
	}
	if (cp >= 0x1D400 && cp <= 0x1D6A3) {	/* mathematical letters */
		d = (cp - 0x1D400) % 52;
		out[0] = d < 26 ? 'A' + d : 'a' + (d - 26);
		return 1;
	}
	if (cp >= 0x1D7CE && cp <= 0x1D7FF) {	/* mathematical digits */
		out[0] = '0' + (cp - 0x1D7CE) % 10;
		return 1;
	}
	if (cp >= 0x1F130 && cp <= 0x1F189) {	/* squared, circled letters */
		d = (cp - 0x1F130) % 32;
		if (d >= 26)
			return 0;
		out[0] = 'A' + d;
		return 1;
	}
	lo = 0;
	hi = RF_ARRAY_SIZE(compat_table);
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (compat_table[mid].from < cp) {
			lo = mid + 1;
		} else if (compat_table[mid].from > cp) {
			hi = mid;
		} else {
			for (i = 0; i < compat_table[mid].n; i++)
				out[i] = compat_table[mid].to[i];
			return compat_table[mid].n;
		}
	}
	return 0;
}

/* Format and zero-width characters that carry nothing a rule can use. */
static bool
is_invisible(uint32_t cp)
{
	if (cp < 0xAD)
		return false;
	if (cp < 0x180B)
		return cp == 0xAD || cp == 0x61C || cp == 0x115F ||
		       cp == 0x1160 || cp == 0x17B4 || cp == 0x17B5;
	return cp <= 0x180F || (cp >= 0x200B && cp <= 0x200F) ||
	       (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2060 && cp <= 0x2064) ||
	       (cp >= 0x2066 && cp <= 0x206F) || cp == 0x3164 ||
	       (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF ||
	       cp == 0xFFA0 || (cp >= 0x1BCA0 && cp <= 0x1BCA3) ||
	       (cp >= 0x1D173 && cp <= 0x1D17A) ||
	       (cp >= 0xE0000 && cp <= 0xE007F) ||
	       (cp >= 0xE0100 && cp <= 0xE01EF);
}

/* Combining marks past the direct table that are dropped like U+0301. */
static bool
is_ext_mark(uint32_t cp)
{
	return (cp >= 0x0591 && cp <= 0x05C7) ||
	       (cp >= 0x0610 && cp <= 0x061A) ||
	       (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
	       (cp >= 0x06D6 && cp <= 0x06ED) ||
	       (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	       (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0x2DE0 && cp <= 0x2DFF) ||
	       (cp >= 0xA66F && cp <= 0xA67D) ||
	       (cp >= 0xA69E && cp <= 0xA69F) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

static const struct fold_xchar *
extra_lookup(uint32_t cp)
{
	size_t lo = 0, hi = fold_extra_len, mid;

	if (cp > 0xFFFF)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (fold_extra[mid].cp < cp)
			lo = mid + 1;
		else if (fold_extra[mid].cp > cp)
			hi = mid;
		else
			return &fold_extra[mid];
	}
	return NULL;
}

/* The class of a code point past the direct table. */
static int
ext_class(uint32_t cp)
{
	const struct fold_xchar *x;

	if (is_ext_mark(cp))
		return FOLD_CL_MARK;
	if ((x = extra_lookup(cp)) != NULL)
		return x->cls;
	if (cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) ||
	    cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
	    cp == 0x3000)
		return FOLD_CL_SPACE;
	if (cp == 0x060C || cp == 0x061B || cp == 0x061F ||
	    (cp >= 0x066A && cp <= 0x066D) || cp == 0x06D4 ||
	    cp == 0x0964 || cp == 0x0965 ||
	    (cp >= 0x2000 && cp <= 0x2BFF) ||
	    (cp >= 0x2E00 && cp <= 0x2E7F) ||
	    (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xE000 && cp <= 0xF8FF) ||
	    (cp >= 0xFE10 && cp <= 0xFE1F) ||
	    (cp >= 0xFE30 && cp <= 0xFE6F) ||
	    (cp >= 0xFF01 && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) ||
	    (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0xFFE0 && cp <= 0xFFFF) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF) || cp >= 0xF0000)
		return FOLD_CL_PUNCT;
	return FOLD_CL_OLET;
}

static inline int
char_class(uint32_t cp)
{
	if (cp < FOLD_DIRECT_END)
		return fold_direct[cp].cls;
	return ext_class(cp);
}

static inline uint32_t
char_lower(uint32_t cp)
{
	const struct fold_xchar *x;

	if (cp < FOLD_DIRECT_END)
		return fold_direct[cp].lower;
	x = extra_lookup(cp);
	return x ? x->lower : cp;
}

static inline uint32_t
char_base(uint32_t cp)
{
	const struct fold_xchar *x;

	if (cp < FOLD_DIRECT_END)
		return fold_direct[cp].base;
	x = extra_lookup(cp);
	return x ? x->base : cp;
}

/*
 * The look-alike of cp in script sc (SC_LAT or SC_CYR), or 0. A capital
 * without one takes its small letter's (Г has none, г looks like r), so
 * that folding the view again finds nothing more to replace.
 */
static uint32_t
char_lookalike(uint32_t cp, int sc)
{
	const struct fold_xchar *x;
	uint32_t m, lo;

	if (cp >= FOLD_DIRECT_END) {
		x = extra_lookup(cp);
		if (!x)
			return 0;
		m = sc == SC_LAT ? x->lat : x->cyr;
		if (m || x->lower == cp)
			return m;
		/* a capital without one takes its small letter's (Ա, ա) */
		return char_lookalike(x->lower, sc);
	}
	m = sc == SC_LAT ? fold_direct[cp].lat : fold_direct[cp].cyr;
	if (m)
		return m;
	lo = fold_direct[cp].lower;
	if (lo == cp)
		return 0;
	/* its small letter's, which may be in the extra table (Ⱥ, ⱥ) */
	return char_lookalike(lo, sc);
}

/*
 * Whether a letter past the direct table says much about the script of
 * its word: as much as the letter it folds to (Greek ι for U+1FBE, a
 * disguise like Greek ι itself), else only when it has no look-alike
 * (small capital ᴛ stands in for т). Folding a view again must decide
 * its words the same way.
 */
static bool
ext_strong(uint32_t cp)
{
	const struct fold_xchar *x = extra_lookup(cp);

	if (!x)
		return true;
	if (x->lower != cp && x->lower < FOLD_DIRECT_END)
		return !(fold_direct[x->lower].flags & FOLD_CHAR_DISGUISE);
	return !x->lat && !x->cyr;
}

/* ё and Ё as е and Е. */
static inline uint32_t
fold_yo(uint32_t cp)
{
	return cp == 0x0451 ? 0x0435 : cp == 0x0401 ? 0x0415 : cp;
}

static bool
compose(uint32_t base, uint32_t mark, uint32_t *out)
{
	size_t lo = 0, hi = fold_compose_len, mid;
	const struct fold_compose *c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = &fold_compose[mid];
		if (c->base < base || (c->base == base && c->mark < mark)) {
			lo = mid + 1;
		} else if (c->base > base || c->mark > mark) {
			hi = mid;
		} else {
			*out = c->composed;
			return true;
		}
	}
	return false;
}

static inline bool
is_letter(int cls)
{
	return cls >= FOLD_CL_LAT;
}

static inline int
script_of(int cls)
{
	switch (cls) {
	case FOLD_CL_LAT:
		return SC_LAT;
	case FOLD_CL_CYR:
		return SC_CYR;
	case FOLD_CL_GRK:
		return SC_GRK;
	default:
		return SC_NONE;
	}
}

static inline bool
is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == 0x2019 || cp == 0x02BB || cp == 0x02BC;
}

/*
 * Latin letters Kazakh is typed with for і, һ and ә: in a Cyrillic word
 * they are folded but neither make it mixed nor count as substitutions.
 */
static inline bool
kazakh_latin(uint32_t cp)
{
	return cp == 'i' || cp == 'I' || cp == 'h' || cp == 0x0131 ||
	       cp == 0x0259 || cp == 0x018F;
}

/* The letter a digit or symbol stands for in script sc, or 0. */
static uint32_t
leet_letter(uint32_t cp, int sc, bool email)
{
	if (sc == SC_CYR) {
		switch (cp) {
		case '0': return 0x043E;	/* о */
		case '3': return 0x0437;	/* з */
		case '4': return 0x0447;	/* ч */
		case '6': return 0x0431;	/* б */
		case '@': return email ? 0 : 0x0430;	/* а */
		default: return 0;
		}
	}
	switch (cp) {
	case '0': return 'o';
	case '1': return 'i';
	case '3': return 'e';
	case '4': return 'a';
	case '@': return email ? 0 : 'a';
	case '$': return 's';
	default: return 0;
	}
}

static inline bool
leet_candidate(const struct fold_cell *c)
{
	return c->cls == FOLD_CL_DIGIT || c->cp == '@' || c->cp == '$';
}

/*
 * Whether a character belongs to a word. Folding turns word characters
 * into word characters only (3 into з, a into а), so words end at the same
 * places when the view is folded again.
 */
static inline bool
word_char(uint32_t cp, int cls)
{
	return is_letter(cls) || cls == FOLD_CL_DIGIT || cls == FOLD_CL_MARK ||
	       cp == '@' || cp == '$';
}

/*
 * Whether the next character of the text from byte pos on, as the folder
 * will see it, belongs to a word: invisible characters (and the marks that
 * are dropped with them, as they follow no letter) are skipped,
 * compatibility forms folded.
 */
static bool
peek_word(const struct folder *st, size_t pos)
{
	uint32_t cp, out[3];
	size_t n;

	while (pos < st->len) {
		n = utf8_decode(st->s + pos, st->len - pos, &cp);
		if (n == 0)
			return false;	/* U+FFFD */
		if ((st->flags & TEXT_FOLD_INVISIBLE) &&
		    (is_invisible(cp) || char_class(cp) == FOLD_CL_MARK)) {
			pos += n;
			continue;
		}
		if ((st->flags & TEXT_FOLD_COMPAT) && compat_map(cp, out))
			cp = out[0];
		return word_char(cp, char_class(cp));
	}
	return false;
}

/* Appends cell c, case-folded as the flags say, to the view. */
static void
emit(struct folder *st, const struct fold_cell *c)
{
	uint32_t cp = c->cp;

	if (st->flags & TEXT_FOLD_CASE)
		cp = char_lower(cp);
	fold_put(st->f, cp, c->o, c->olen, c->flags & FOLD_CELL_SPLIT,
		 c->flags & FOLD_CELL_CONT);
}

/*
 * The script a word is folded into: the one with the most letters that
 * have no look-alike, then the one with the most letters, then the
 * previous word's when it ties for first; SC_NONE when still undecided.
 */
static int
decide(const size_t all[3], const size_t strong[3], int ctx)
{
	size_t max = 0, max2 = 0;
	int i, best = SC_NONE;
	bool tie = false;

	for (i = 0; i < 3; i++)
		if (strong[i] > max)
			max = strong[i];
	for (i = 0; i < 3; i++) {
		if (strong[i] != max)
			continue;
		if (all[i] > max2) {
			max2 = all[i];
			best = i;
			tie = false;
		} else if (all[i] == max2) {
			tie = true;
		}
	}
	if (max2 == 0)
		return SC_NONE;
	if (!tie)
		return best;
	if (ctx != SC_NONE && strong[ctx] == max && all[ctx] == max2)
		return ctx;
	return SC_NONE;
}

/* Replaces digits and symbols used as letters of script sc in w. */
static void
fold_leet(struct folder *st, struct fold_cell *w, size_t n, int sc,
	  bool email)
{
	size_t i, j, t;
	bool left, right, ok;

	for (i = 0; i < n; i = j) {
		if (!leet_candidate(&w[i])) {
			j = i + 1;
			continue;
		}
		for (j = i; j < n && leet_candidate(&w[j]); j++)
			;
		left = i > 0 && is_letter(w[i - 1].cls);
		right = j < n && is_letter(w[j].cls);
		ok = left && right && j - i <= 2;
		/* 3аработок, нескольк0: one 3 or 0 at an end of a word (not
		 * 6НДФЛ) */
		if (!ok && j - i == 1 && sc == SC_CYR &&
		    (w[i].cp == '0' || w[i].cp == '3'))
			ok = (i == 0 && right) || (j == n && left);
		for (t = i; ok && t < j; t++)
			if (!leet_letter(w[t].cp, sc, email))
				ok = false;
		if (!ok)
			continue;
		for (t = i; t < j; t++) {
			w[t].cp = leet_letter(w[t].cp, sc, email);
			w[t].cls = sc == SC_LAT ? FOLD_CL_LAT : FOLD_CL_CYR;
			st->f->nleet++;
		}
	}
}

/* Whether the one letter of w is a Latin look-alike to take alone. */
static bool
lone_lookalike(const struct fold_cell *w, size_t n)
{
	size_t i;
	uint32_t cp;

	for (i = 0; i < n; i++) {
		if (w[i].cls != FOLD_CL_LAT)
			continue;
		cp = w[i].cp;
		if (cp >= FOLD_DIRECT_END)
			return false;
		/* a capital with no look-alike of its own is taken as its
		 * small letter, which the view will hold, would be (Ɣ as
		 * ɣ): else the view folded again would differ (5d7d764) */
		if (!fold_direct[cp].cyr && fold_direct[cp].lower != cp &&
		    fold_direct[cp].lower < FOLD_DIRECT_END)
			cp = fold_direct[cp].lower;
		return fold_direct[cp].flags & FOLD_CHAR_LONE;
	}
	return false;
}

/* What a word is made of. */
struct word_stats {
	size_t all[3];		/* letters per script, SC_* */
	size_t strong[3];	/* ... that are not disguises */
	size_t letters;		/* letters of any script */
	size_t others;		/* digits, @ and $ */
	size_t plain;		/* cells that are not marks */
	size_t kazakh;		/* Latin letters Kazakh is typed with */
	size_t nruns;		/* runs of letters of one script */
	size_t runlen[2];	/* ... the first two */
	bool runstrong[2];
	int runsc[2];
};

static void
word_count(const struct fold_cell *w, size_t n, struct word_stats *ws)
{
	size_t i, r;
	uint32_t cp;
	int s, last = SC_NONE;
	bool is_strong;

	memset(ws, 0, sizeof(*ws));
	for (i = 0; i < n; i++) {
		cp = w[i].cp;
		if (w[i].cls != FOLD_CL_MARK)
			ws->plain++;
		if (!is_letter(w[i].cls)) {
			if (leet_candidate(&w[i]))
				ws->others++;
			continue;
		}
		ws->letters++;
		s = script_of(w[i].cls);
		if (s == SC_NONE)
			continue;
		ws->all[s]++;
		is_strong = cp >= FOLD_DIRECT_END ?
				    ext_strong(cp) :
				    !(fold_direct[cp].flags &
				      FOLD_CHAR_DISGUISE);
		if (is_strong)
			ws->strong[s]++;
		if (s == SC_LAT && kazakh_latin(cp))
			ws->kazakh++;
		if (s != last) {
			ws->nruns++;
			last = s;
		}
		if (ws->nruns <= 2) {
			r = ws->nruns - 1;
			ws->runsc[r] = s;
			ws->runlen[r]++;
			ws->runstrong[r] |= is_strong;
		}
	}
}

/* Whether every letter of w is of another script (not Latin, Cyrillic
 * or Greek) and has a look-alike in script sc. */
static bool
all_lookalikes(const struct fold_cell *w, size_t n, int sc)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_letter(w[i].cls))
			continue;
		if (w[i].cls != FOLD_CL_OLET || !char_lookalike(w[i].cp, sc))
			return false;
	}
	return true;
}

/*
 * The script the word w of n cells, counted in ws, is folded into: see
 * decide(). Also a word of two or more letters of other scripts only,
 * all of them look-alikes of the text's script, is in that script ("ⲃⲟ"
 * in a Russian text). Not one letter alone: spaced-out letters are
 * joined before this, and a letter that turned Cyrillic here would be
 * joined when the view is folded again.
 */
static int
word_decide(const struct folder *st, const struct fold_cell *w, size_t n,
	    const struct word_stats *ws)
{
	int sc = decide(ws->all, ws->strong, st->ctx);

	if (sc == SC_NONE && ws->letters >= 2 && st->ctx != SC_NONE &&
	    all_lookalikes(w, n, st->ctx))
		sc = st->ctx;
	return sc;
}

/*
 * The script the word w of n cells is folded into, SC_*, as word_fold()
 * decides it: a lone look-alike before "ⲢⲢ" must see the Cyrillic "рр"
 * the view will hold, or folding the view again would change it
 * (596ec61).
 */
static int
word_script(const struct folder *st, const struct fold_cell *w, size_t n)
{
	struct word_stats ws;

	word_count(w, n, &ws);
	return word_decide(st, w, n, &ws);
}

/*
 * Analyses the word w of n cells (letters, digits, marks, @ $ and inner
 * apostrophes), folds digits and look-alikes into its script, counts it
 * and appends it to the view. email: the word is followed by ".x", so an
 * @ in it belongs to an address. next_sc: the script of the word after a
 * one-letter word, SC_NONE when unknown.
 */
static void
word_fold(struct folder *st, struct fold_cell *w, size_t n, bool email,
	  int next_sc)
{
	struct word_stats ws;
	size_t lat, i;
	uint32_t m, c;
	int sc, s;
	bool compound;

	word_count(w, n, &ws);
	sc = word_decide(st, w, n, &ws);
	/*
	 * A lone Latin look-alike between Cyrillic words is Cyrillic: "работа
	 * c нами". Not the other way round ("Django с Postgres" is Russian),
	 * and not before punctuation ("C/C++", "C#").
	 */
	if (ws.plain == 1 && sc == SC_LAT && st->ctx == SC_CYR &&
	    next_sc == SC_CYR && lone_lookalike(w, n))
		sc = SC_CYR;
	/*
	 * Cpeдний, интepec and СберAPI are disguises (C p e, e p e c,
	 * A P I all look Cyrillic); SMMщик, антиDDOS, Stack'ом and Kyrgyz
	 * Brexitтин are compounds: two runs of two letters or more, each
	 * with a letter that nobody types as a look-alike, except that a
	 * first run of four letters or more is a stem anyway (disguises are
	 * scattered). Compounds are neither mixed nor folded (not even their
	 * digits, which would split them into more runs).
	 */
	compound = ws.nruns == 2 && ws.runsc[0] != SC_GRK &&
		   ws.runsc[1] != SC_GRK && ws.runlen[0] >= 2 &&
		   ws.runlen[1] >= 2 &&
		   (ws.runstrong[0] || ws.runlen[0] >= COMPOUND_STEM) &&
		   ws.runstrong[1];

	lat = ws.all[SC_LAT];
	if (sc == SC_CYR)
		lat -= ws.kazakh;
	if (!compound && (lat > 0) + (ws.all[SC_CYR] > 0) +
				 (ws.all[SC_GRK] > 0) >= 2)
		st->f->nmixed++;

	if ((st->flags & TEXT_FOLD_LEET) && !compound &&
	    (sc == SC_LAT || sc == SC_CYR) && ws.others > 0 &&
	    ws.letters > ws.others && ws.letters >= LEET_MIN_LETTERS)
		fold_leet(st, w, n, sc, email);

	if ((st->flags & TEXT_FOLD_HOMOGLYPH) && !compound &&
	    (sc == SC_LAT || sc == SC_CYR) && ws.all[sc] < ws.letters) {
		for (i = 0; i < n; i++) {
			/* letters of other scripts too: Cherokee Ꭹ, Coptic
			 * Ⲣ, Armenian Փ in a Cyrillic word */
			s = script_of(w[i].cls);
			if (s == sc || (s == SC_NONE &&
					w[i].cls != FOLD_CL_OLET))
				continue;
			m = char_lookalike(w[i].cp, sc);
			if (!m)
				continue;
			/* a look-alike that would compose with the mark kept
			 * after it (Armenian ց and a breve as ğ) stays as it
			 * is: folding the view again would compose them
			 * (5d7d764) */
			if ((st->flags & TEXT_FOLD_COMPAT) && i + 1 < n &&
			    w[i + 1].cls == FOLD_CL_MARK &&
			    compose(m, w[i + 1].cp, &c))
				continue;
			if (!(sc == SC_CYR && kazakh_latin(w[i].cp)))
				st->f->nhomoglyph++;
			w[i].cp = m;
			w[i].cls = sc == SC_LAT ? FOLD_CL_LAT : FOLD_CL_CYR;
		}
	}
	if (ws.letters >= 2 && (sc == SC_LAT || sc == SC_CYR))
		st->ctx = sc;
	for (i = 0; i < n; i++)
		emit(st, &w[i]);
}

/* Whether w is one letter of Latin, Cyrillic or Greek, marks aside. */
static bool
single_letter(const struct fold_cell *w, size_t n)
{
	size_t i, letters = 0;

	for (i = 0; i < n; i++) {
		if (w[i].flags & (FOLD_CELL_SPLIT | FOLD_CELL_CONT))
			return false;
		if (w[i].cls == FOLD_CL_MARK)
			continue;
		if (script_of(w[i].cls) == SC_NONE)
			return false;
		letters++;
	}
	return letters == 1;
}

/* Drops the first n cells, which have been emitted. */
static void
cells_consume(struct fold *f, size_t n)
{
	if (n < f->ncells)
		memmove(f->cells, f->cells + n,
			(f->ncells - n) * sizeof(*f->cells));
	f->ncells -= n;
}

/* Whether every letter in cells [0, n) is a capital. */
static bool
run_capitals(const struct fold_cell *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (is_letter(c[i].cls) && char_lower(c[i].cp) == c[i].cp)
			return false;
	return true;
}

/*
 * Ends the spaced-out run in cells [0, rlen): joins it into one word when
 * it is long enough and TEXT_FOLD_SPACED is on, else emits its words and
 * separators as they are. before_word: a word of several letters, of
 * script next_sc, follows the run. Returns the number of cells it
 * consumed.
 */
static size_t
run_end(struct folder *st, bool before_word, int next_sc)
{
	struct fold *f = st->f;
	struct fold_cell *c = f->cells;
	size_t rlen = st->rlen, end, join, last, i, j, w;

	end = st->rexpect ? rlen - 1 : rlen;
	join = 0;
	if ((st->flags & TEXT_FOLD_SPACED) && st->rcount >= RUN_MIN) {
		join = end;
		/* "Р А Б О Т А в Дубае": a small letter after capitals,
		 * followed by a word, is a word of its own */
		if (before_word && st->rexpect && st->rsep == ' ' &&
		    st->rcount > RUN_MIN) {
			for (last = end; !(c[last - 1].flags &
					   FOLD_CELL_RUNSEP); last--)
				;
			if (char_lower(c[last].cp) == c[last].cp &&
			    run_capitals(c, last - 1))
				join = last - 1;
		}
		for (i = w = 0; i < join; i++)
			if (!(c[i].flags & FOLD_CELL_RUNSEP))
				c[w++] = c[i];
		word_fold(st, c, w, false, SC_NONE);
		f->njoined++;
	}
	for (i = join; i < end; i = j) {
		if (c[i].flags & FOLD_CELL_RUNSEP) {
			emit(st, &c[i]);
			j = i + 1;
			continue;
		}
		for (j = i; j < end && !(c[j].flags & FOLD_CELL_RUNSEP); j++)
			;
		word_fold(st, c + i, j - i, false,
			  before_word ? next_sc : SC_NONE);
	}
	if (st->rexpect)
		emit(st, &c[rlen - 1]);
	cells_consume(f, rlen);
	st->in_run = st->rexpect = false;
	st->rlen = st->rcount = 0;
	st->rsep = 0;
	return rlen;
}

/*
 * Ends the word in cells [wstart, k), k being the cell after it (or the
 * end of the cells). Returns where cell k is afterwards.
 */
static size_t
word_end(struct folder *st, size_t k)
{
	struct fold *f = st->f;
	size_t ws = st->wstart, shift;
	bool email = false;

	st->wstart = NONE;
	/* one-letter words wait for what follows them */
	if (single_letter(f->cells + ws, k - ws)) {
		if (st->in_run && !st->rexpect) {
			/* not reached: a separator always comes between */
			shift = run_end(st, false, SC_NONE);
			ws -= shift;
			k -= shift;
		}
		if (!st->in_run) {
			st->in_run = true;
			st->rcount = 0;
			st->rsep = 0;
		}
		st->rcount++;
		st->rexpect = false;
		st->rlen = k;
		return k;
	}
	if (st->in_run) {
		shift = run_end(st, true,
				word_script(st, f->cells + ws, k - ws));
		ws -= shift;
		k -= shift;
	}
	/* user@mail.ru: a dot and then a word (not the first dot of "…") */
	if (k < f->ncells && f->cells[k].cp == '.' &&
	    !(f->cells[k].flags & FOLD_CELL_SPLIT))
		email = peek_word(st, f->cells[k].o + f->cells[k].olen);
	word_fold(st, f->cells + ws, k - ws, email, SC_NONE);
	return k;
}

/* Whether cell c, just appended, belongs to a word. */
static bool
cell_in_word(const struct folder *st, const struct fold_cell *c)
{
	const struct fold *f = st->f;
	const struct fold_cell *prev;

	if (word_char(c->cp, c->cls))
		return true;
	/* oʻzbek, so'm: an apostrophe inside a word */
	if (!is_apostrophe(c->cp) || st->wstart == NONE || f->ncells < 2)
		return false;
	prev = &f->cells[f->ncells - 2];
	return word_char(prev->cp, prev->cls) &&
	       peek_word(st, c->o + c->olen);
}

/* Takes the cell just appended through words and runs to the view. */
static void
feed(struct folder *st)
{
	struct fold *f = st->f;
	size_t k = f->ncells - 1;
	struct fold_cell *c = &f->cells[k];

	if (cell_in_word(st, c)) {
		if (st->wstart == NONE)
			st->wstart = k;
		return;
	}
	if (st->wstart != NONE)
		k = word_end(st, k);
	c = &f->cells[k];
	if (st->in_run) {
		if (!st->rexpect && (c->cp == ' ' || c->cp == '.' ||
				     c->cp == '-') &&
		    (st->rsep == 0 || st->rsep == c->cp)) {
			c->flags |= FOLD_CELL_RUNSEP;
			st->rsep = c->cp;
			st->rexpect = true;
			st->rlen = k + 1;
			return;
		}
		k -= run_end(st, false, SC_NONE);
		c = &f->cells[k];
	}
	emit(st, c);
	f->ncells = 0;
}

static void
push_cell(struct folder *st, uint32_t cp, size_t o, size_t olen,
	  uint8_t flags)
{
	struct fold *f = st->f;
	struct fold_cell *c;

	ALLOC_GROW(f->cells, f->ncells + 1, f->acells);
	c = &f->cells[f->ncells++];
	c->cp = cp;
	c->o = (uint32_t)o;
	c->olen = (uint32_t)olen;
	c->cls = (uint8_t)char_class(cp);
	c->flags = flags;
	st->attach = !flags && (is_letter(c->cls) || c->cls == FOLD_CL_DIGIT);
	feed(st);
}

/* A combining mark at [o, o + n): composed, dropped or kept. */
static void
take_mark(struct folder *st, uint32_t cp, size_t o, size_t n)
{
	struct fold *f = st->f;
	struct fold_cell *last = st->attach ? &f->cells[f->ncells - 1] : NULL;
	uint32_t c;

	if (last && (st->flags & TEXT_FOLD_COMPAT) &&
	    compose(last->cp, cp, &c)) {
		last->cp = (st->flags & TEXT_FOLD_YO) ? fold_yo(c) : c;
		last->olen = (uint32_t)(o + n - last->o);
		return;
	}
	if (st->flags & TEXT_FOLD_INVISIBLE) {
		if (last)
			last->olen = (uint32_t)(o + n - last->o);
		f->ninvisible++;
		return;
	}
	push_cell(st, cp, o, n, 0);
}

/* One character of the text, cp at bytes [o, o + n). */
static void
take_char(struct folder *st, uint32_t cp, size_t o, size_t n)
{
	uint32_t out[3];
	size_t k, j;
	uint8_t flags;

	if ((st->flags & TEXT_FOLD_INVISIBLE) && is_invisible(cp)) {
		st->f->ninvisible++;
		return;
	}
	if (char_class(cp) == FOLD_CL_MARK) {
		take_mark(st, cp, o, n);
		return;
	}
	k = (st->flags & TEXT_FOLD_COMPAT) ? compat_map(cp, out) : 0;
	if (k == 0) {
		out[0] = cp;
		k = 1;
	}
	for (j = 0; j < k; j++) {
		cp = out[j];
		if (st->flags & TEXT_FOLD_ACCENTS)
			cp = char_base(cp);
		if (st->flags & TEXT_FOLD_YO)
			cp = fold_yo(cp);
		flags = k == 1 ? 0 : j == 0 ? FOLD_CELL_SPLIT : FOLD_CELL_CONT;
		push_cell(st, cp, o, n, flags);
	}
}

void
fold_init(struct fold *f)
{
	memset(f, 0, sizeof(*f));
	buf_init(&f->view, RF_FOLD_INPUT_MAX * RF_FOLD_EXPANSION + 4);
}

void
fold_release(struct fold *f)
{
	buf_release(&f->view);
	free(f->atoms);
	free(f->cells);
	fold_init(f);
}

void
fold_reset(struct fold *f, size_t len)
{
	buf_reset(&f->view);
	f->orig_len = len;
	f->nmixed = f->nhomoglyph = f->nleet = f->njoined = 0;
	f->ninvisible = f->ninvalid = 0;
	f->natoms = 0;
	f->ncells = 0;
	if (len)
		(void)buf_grow(&f->view, len);
}

void
fold_put(struct fold *f, uint32_t cp, uint32_t o, uint32_t olen, int split,
	 int cont)
{
	struct buf *v = &f->view;
	struct fold_atom *a;
	char enc[4];
	size_t n;
	uint32_t at;
	int linear;

	if (cp < 0x80) {
		enc[0] = (char)cp;
		n = 1;
	} else {
		n = utf8_encode(cp, enc);
	}
	if (v->len + n >= v->alloc && buf_grow(v, n) != RF_OK)
		return;		/* past the cap: text_fold() reports it */
	at = (uint32_t)v->len;
	memcpy(v->data + v->len, enc, n);
	v->len += n;
	v->data[v->len] = '\0';

	a = f->natoms ? &f->atoms[f->natoms - 1] : NULL;
	if (cont && a && !a->linear && a->o == o)
		return;
	linear = !split && !cont && n == olen;
	if (linear && a && a->linear && a->o + (at - a->f) == o)
		return;
	ALLOC_GROW(f->atoms, f->natoms + 1, f->aatoms);
	a = &f->atoms[f->natoms++];
	a->f = at;
	a->o = o;
	a->olen = olen;
	a->linear = (uint32_t)linear;
}

enum rf_err
text_fold(struct fold *out, const char *text, size_t len, unsigned flags)
{
	struct folder st;
	size_t i, n;
	uint32_t cp;

	fold_reset(out, 0);
	if (len > RF_FOLD_INPUT_MAX)
		return RF_ETOOBIG;
	if (!text && len)
		return RF_EINVAL;
	fold_reset(out, len);

	memset(&st, 0, sizeof(st));
	st.f = out;
	st.s = text;
	st.len = len;
	st.flags = flags;
	st.wstart = NONE;
	st.ctx = SC_NONE;

	for (i = 0; i < len; i += n) {
		if ((unsigned char)text[i] < 0x80) {
			cp = (unsigned char)text[i];
			n = 1;
		} else if ((n = utf8_decode(text + i, len - i, &cp)) == 0) {
			n = 1;
			cp = UTF8_REPLACEMENT;
			out->ninvalid++;
		}
		take_char(&st, cp, i, n);
	}
	if (st.wstart != NONE)
		word_end(&st, out->ncells);
	if (st.in_run)
		run_end(&st, false, SC_NONE);
	out->ncells = 0;
	if (buf_failed(&out->view)) {
		fold_reset(out, 0);
		return RF_ETOOBIG;
	}
	return RF_OK;
}

/* The atom holding view byte pos (< view.len). */
static const struct fold_atom *
atom_at(const struct fold *f, size_t pos)
{
	size_t lo = 0, hi = f->natoms, mid;

	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (f->atoms[mid].f <= pos)
			lo = mid;
		else
			hi = mid;
	}
	return &f->atoms[lo];
}

/* Original offset of the end of the atom holding view byte pos - 1. */
static size_t
orig_end(const struct fold *f, size_t pos)
{
	const struct fold_atom *a = atom_at(f, pos - 1);

	return a->linear ? a->o + (pos - a->f) : (size_t)a->o + a->olen;
}

void
fold_span(const struct fold *f, size_t fstart, size_t fend, size_t *ostart,
	  size_t *oend)
{
	const unsigned char *v = (const unsigned char *)f->view.data;
	size_t vlen = f->view.len;
	const struct fold_atom *a;

	if (f->natoms == 0 || vlen == 0) {
		*ostart = *oend = 0;
		return;
	}
	if (fend > vlen)
		fend = vlen;
	if (fstart > fend)
		fstart = fend;
	while (fstart > 0 && (v[fstart] & 0xC0) == 0x80)
		fstart--;
	while (fend < vlen && (v[fend] & 0xC0) == 0x80)
		fend++;
	if (fstart == vlen) {
		*ostart = *oend = orig_end(f, vlen);
		return;
	}
	a = atom_at(f, fstart);
	*ostart = a->linear ? a->o + (fstart - a->f) : a->o;
	*oend = fend == fstart ? *ostart : orig_end(f, fend);
}
