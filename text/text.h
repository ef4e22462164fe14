/*
 * text.h: pure text in, facts out. The folded view that rules match
 * against, with an offset map back to the text an analyst reads.
 *
 * text_fold() makes one pass over UTF-8 text (invalid bytes count as
 * U+FFFD) and writes its *folded view*: lower case, compatibility forms
 * folded, invisible characters dropped, look-alike letters of the wrong
 * script replaced, digits used as letters replaced, spaced-out letters
 * joined. Every byte of the view maps back to the character of the
 * original that produced it, so a match [s,e) in the view is reported as
 * the original [start,end) by fold_span().
 *
 * What each flag does (all are on in TEXT_FOLD_DEFAULT):
 *
 * TEXT_FOLD_CASE	simple case folding to lower case (Latin, Greek,
 *			Cyrillic with the Central Asian letters); I, İ and
 *			ı all fold to i, because upper-case text cannot tell
 *			Turkish dotless ı from i.
 * TEXT_FOLD_YO		ё and Ё fold to е.
 * TEXT_FOLD_COMPAT	an NFKC-like subset: fullwidth ASCII, ligatures,
 *			super- and subscript digits, mathematical, circled and
 *			squared letters and digits to ASCII; Unicode spaces to
 *			' ', line and paragraph separators to '\n'; dashes and
 *			minus signs to '-'; curly and angle quotes to ' or ";
 *			the Uzbek oʻ/gʻ apostrophes (ʻ ʼ ‘ ’ ` ´ ′) to '.
 *			A base letter and a combining mark are composed when
 *			the result is a letter of the region's alphabets
 *			(й ё ў ӣ ӯ ä ç ğ ñ ň ö ş ü ý ž š č ū).
 * TEXT_FOLD_INVISIBLE	zero-width characters, soft hyphens, bidi controls,
 *			variation selectors, Hangul fillers and combining
 *			marks (U+0301 over a Cyrillic vowel) are dropped; a
 *			dropped mark becomes part of the preceding letter's
 *			span in the map.
 * TEXT_FOLD_ACCENTS	precomposed letters lose diacritics that are not
 *			part of the region's alphabets (é -> e, ѐ -> е);
 *			the letters listed under TEXT_FOLD_COMPAT stay.
 * TEXT_FOLD_HOMOGLYPH	in a word that is mostly Cyrillic, Latin and Greek
 *			look-alikes become Cyrillic (Haбиpaю -> набираю); in
 *			a mostly Latin word Cyrillic and Greek look-alikes
 *			become Latin. "Mostly" counts first the letters that
 *			are not used as disguises (in lower case: Cyrillic а
 *			с е о р х у і ... are, в м н т are not; Latin letters
 *			with a Cyrillic look-alike are), then all letters,
 *			then follows the previous word. A one-letter Latin
 *			look-alike between Cyrillic words becomes Cyrillic
 *			("работа c нами"; not "C/C++", not "язык C и Go").
 * TEXT_FOLD_LEET	digits and @ $ used as letters inside a word become
 *			letters of the word's script: Cyrillic 0 3 4 6 @ to
 *			о з ч б а, Latin 0 1 3 4 @ $ to o i e a a s. Only in
 *			words of at least four letters and more letters than
 *			digits and symbols (so not in 3000, 5000р, ЭП3Д, mp3),
 *			for runs of at most two with letters on both sides
 *			(р@бота, g00gle) or, in Cyrillic words, one 0 or 3 at
 *			either end (3аработок, нескольк0; not 6НДФЛ); never
 *			for the @ of an e-mail address or a leading @handle.
 * TEXT_FOLD_SPACED	runs of at least four one-letter words separated by
 *			one and the same ' ', '.' or '-' are joined:
 *			"р а б о т а", "р.а.б.о.т.а" -> "работа". A one-letter
 *			word right after the run joins it ("р а б о т а в
 *			Дубае" -> "работав дубае") unless it is a small
 *			letter after capitals ("Р А Б О Т А в Дубае").
 *
 * Mixed-script words (Cyrillic, Latin and Greek letters in one word,
 * counted before folding) are counted whatever the flags, with two
 * allowances. In a Cyrillic word the Latin letters i, I, ı, h and ə, which
 * Kazakh is often typed with for і, һ and ә, neither make the word mixed
 * nor count as homoglyph substitutions (they are still folded). A compound
 * of one Latin and one Cyrillic run (SMMщик, антиDDOS, Stack'ом, Kyrgyz
 * Brexitтин) is neither mixed nor folded when each run has two letters or
 * more and a letter that is not a disguise (the first run may instead have
 * four letters or more); a disguise (Cpeдний, интepec, СберAPI) is both.
 *
 * Words are runs of letters, digits, @ and $, with apostrophes between
 * them (oʻzbek, so'm); words end at everything else. Folding only ever
 * turns word characters into word characters, so text_fold() of a folded
 * view returns it unchanged.
 *
 * The folded view is at most RF_FOLD_EXPANSION times as long as the input
 * (common/limits.h); the input may be at most RF_FOLD_INPUT_MAX bytes.
 */
#ifndef RF_TEXT_TEXT_H
#define RF_TEXT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

#define TEXT_FOLD_CASE		(1u << 0)
#define TEXT_FOLD_YO		(1u << 1)
#define TEXT_FOLD_COMPAT	(1u << 2)
#define TEXT_FOLD_INVISIBLE	(1u << 3)
#define TEXT_FOLD_ACCENTS	(1u << 4)
#define TEXT_FOLD_HOMOGLYPH	(1u << 5)
#define TEXT_FOLD_LEET		(1u << 6)
#define TEXT_FOLD_SPACED	(1u << 7)
#define TEXT_FOLD_ALL		0xffu
#define TEXT_FOLD_DEFAULT	TEXT_FOLD_ALL

struct fold_atom;
struct fold_cell;

/*
 * A folded view and its map, caller-owned: fold_init() once, then any
 * number of text_fold() or text_translit() calls, which reuse the storage,
 * then fold_release().
 */
struct fold {
	struct buf view;	/* the folded text, NUL-terminated */
	size_t orig_len;	/* bytes of the text it was made from */

	/* what the last text_fold() found; text_translit() zeroes them */
	size_t nmixed;		/* words mixing Latin, Cyrillic, Greek */
	size_t nhomoglyph;	/* letters replaced by another script's */
	size_t nleet;		/* digits and symbols replaced by letters */
	size_t njoined;		/* spaced-out runs joined */
	size_t ninvisible;	/* invisible characters and marks dropped */
	size_t ninvalid;	/* invalid bytes read as U+FFFD */

	/* private: the offset map and scratch space */
	struct fold_atom *atoms;
	size_t natoms, aatoms;
	struct fold_cell *cells;
	size_t ncells, acells;
};

/* Prepares f, caller-owned, empty. */
void fold_init(struct fold *f);
/* Frees f's storage; f may be initialised again or released again. */
void fold_release(struct fold *f);

/*
 * Folds len bytes of text into out (initialised; its previous contents are
 * replaced). Borrows text for the call only. flags is a set of
 * TEXT_FOLD_* bits. Returns RF_ETOOBIG when len > RF_FOLD_INPUT_MAX and
 * RF_EINVAL when text is NULL with len > 0; out is then empty.
 */
enum rf_err text_fold(struct fold *out, const char *text, size_t len,
		      unsigned flags) RF_WARN_UNUSED;

/*
 * Maps the byte range [fstart,fend) of f's view to the range [*ostart,
 * *oend) of the text it was made from: the start of the original
 * character that produced the first folded character, and the end of the
 * one that produced the last. Offsets inside a character are widened to
 * the whole character; offsets past the end are clamped. An empty range
 * maps to an empty range at the original position of fstart.
 */
void fold_span(const struct fold *f, size_t fstart, size_t fend,
	       size_t *ostart, size_t *oend);

/*
 * Transliterates the Latin letters of text (normally a folded view, so
 * lower case) into Cyrillic as transliterated Russian is usually typed:
 * "rabota v dubae" -> "работа в дубае". Everything else is copied. The map
 * of out leads back into text: to reach the original of a folded view,
 * map a span through out, then through the view's fold. The rules are the
 * table in translit.c; English words come out as nonsense, so callers use
 * this view only for rules that ask for it. Errors as for text_fold().
 */
enum rf_err text_translit(struct fold *out, const char *text, size_t len)
	RF_WARN_UNUSED;

/* ---- entities: contacts, money and ages found in text ---- */

enum entity_kind {
	ENTITY_PHONE,	/* "+77011234567" */
	ENTITY_HANDLE,	/* "@name", lower case */
	ENTITY_EMAIL,	/* "name@example.org", lower case */
	ENTITY_LINK,	/* "t.me/name", "instagram.com/name" */
	ENTITY_MONEY,	/* "3000 USD": amount and currency (money.c) */
	ENTITY_AGE,	/* "18-25", "18-", "-30": years (ages.c) */
};

/* An age bound that the text leaves open. */
#define ENTITY_AGE_OPEN (-1)

struct entity {
	enum entity_kind kind;
	char *value;		/* normalized, owned by the list */
	size_t start, end;	/* byte offsets in the text */
	/* ENTITY_MONEY: the amount in whole units (a fraction is dropped
	 * unless a multiplier such as "1,5 млн" makes it whole) and the
	 * ISO 4217 code of its currency, upper case */
	int64_t amount;
	char currency[4];
	/* ENTITY_AGE: the youngest and oldest age in years, or
	 * ENTITY_AGE_OPEN ("до 30 лет" has no minimum) */
	int age_min, age_max;
};

struct entity_list {
	struct entity *items;
	size_t n, alloc;
};

/* "phone", "handle", "email", "link", "money", "age" */
const char *entity_kind_name(enum entity_kind k);

void entity_list_init(struct entity_list *l);
void entity_list_release(struct entity_list *l);
/* Orders l by start offset, keeping the order of equal starts (after
 * money_find() and ages_find() into one list). */
void entity_list_sort(struct entity_list *l);

/*
 * Appends the contacts of text (UTF-8) to l in order of appearance, each
 * value once (a repeated value is kept at its first place), at most
 * RF_ENTITIES_MAX in l. Borrows text for the call.
 *
 * Phones: numbers of the region (+7, +996, +998, +992, +993, +90, +971,
 * +82; 8 7xx and 7xx, 9xx without a prefix for +7) normalized to E.164,
 * with spaces, dots, dashes and parentheses between the digits, a Latin
 * or Cyrillic O typed for 0 between digits ("8 7O1 123 45 67"), digits
 * spelled out in Russian ("восемь семь ноль один ...", "плюс семь",
 * "семьсот один", "сорок пять", mixed with digit groups), and in wa.me/
 * and viber:// links. Handles: "@name" of 4 to 32 characters. E-mail
 * addresses. Links: t.me/name and instagram.com/name (instagr.am too),
 * lower case, without "https://" or "www.".
 */
void entities_find(struct entity_list *l, const char *text, size_t len);

/*
 * Appends the amounts of money of text to l as ENTITY_MONEY, in order of
 * appearance, each value once. A number (groups of three digits after a
 * space, no-break space, dot, comma or apostrophe; a decimal comma or
 * dot; "тыс", "тысяч", "млн", "k", "к" as multipliers) with a currency
 * before or after it: ₸ тенге тг KZT, сом KGS, сум сўм so'm UZS, сомонӣ
 * сомони somoni TJS, манат manat TMT, ₽ руб рублей р. RUB, $ доллар
 * dollar USD, € евро euro EUR, дирхам dirham AED, ₩ вон won KRW, ₺ лира
 * lira TL TRY, and the ISO codes themselves. In "2000-3000 $" both
 * numbers take the currency. Borrows text for the call.
 */
void money_find(struct entity_list *l, const char *text, size_t len);

/*
 * Appends the ages of text to l as ENTITY_AGE, in order of appearance,
 * each value once: "18-25 лет", "от 18 до 35 лет", "до 30 лет", "от 18
 * лет", "не старше 30", "возраст 18-25", "age 18-25", "aged 18 to 25",
 * "18-25 years old", Kazakh "18-25 жас", "25 жасқа дейін", Kyrgyz "18-25
 * жаш", Uzbek "18-25 yosh", "18 yoshdan 25 yoshgacha", Turkmen and
 * Turkish "18-25 yaş". "от 18 до 35" without a unit counts only after a
 * word about age or people (возраст, девушки, женщины, age, girls ...).
 * Ages are 14 to 80; "опыт от 3 лет" is not an age. Borrows text.
 */
void ages_find(struct entity_list *l, const char *text, size_t len);

/* ---- langid: which language a text is in (langid.c) ---- */

/*
 * The languages redflag tells apart. LANG_UND is zero, so a zeroed
 * struct lang_result says "undetermined".
 */
enum lang_id {
	LANG_UND = 0,	/* "und": fewer than LANG_MIN_LETTERS letters */
	LANG_RU,	/* "ru" Russian, also typed in Latin (latin_ru) */
	LANG_KK,	/* "kk" Kazakh, Cyrillic */
	LANG_KY,	/* "ky" Kyrgyz */
	LANG_UZ_LATN,	/* "uz-Latn" Uzbek, Latin */
	LANG_UZ_CYRL,	/* "uz-Cyrl" Uzbek, Cyrillic */
	LANG_TG,	/* "tg" Tajik */
	LANG_TK,	/* "tk" Turkmen, Latin */
	LANG_EN,	/* "en" English */
	LANG_OTHER,	/* "other": another language or script */
	LANG_COUNT
};

/* Texts with fewer letters than this are LANG_UND. */
#define LANG_MIN_LETTERS 3

struct lang_share {
	enum lang_id lang;
	double share;	/* of the letters looked at, 0 to 1 */
};

/*
 * What lang_detect() found. present[] lists every language some stretch
 * of the text is in, largest share first; the shares add up to 1 (none
 * when lang is LANG_UND).
 */
struct lang_result {
	enum lang_id lang;	/* the language of most of the text */
	double confidence;	/* 0 to 1; below 0.5 is a guess */
	bool latin_ru;		/* lang is Russian typed in Latin letters */
	size_t nletters;	/* letters looked at */
	struct lang_share present[LANG_COUNT];
	size_t npresent;
};

/* "ru", "kk", "ky", "uz-Latn", "uz-Cyrl", "tg", "tk", "en", "other", "und". */
const char *lang_name(enum lang_id lang);

/*
 * The language called name (as lang_name() writes it, any case) in *out.
 * Returns RF_EINVAL, *out untouched, for an unknown name.
 */
enum rf_err lang_parse(const char *name, enum lang_id *out) RF_WARN_UNUSED;

/*
 * Identifies the language of len bytes of UTF-8 text (invalid bytes are
 * separators; only the first RF_LANGID_MAX_BYTES are looked at) into *out.
 * Borrows text for the call. Thread-safe: the model is constant data (a
 * dense copy of it is made once, under pthread_once) and every call has
 * its own state, but for a per-thread cache of word scores (656 KiB,
 * made at a thread's first call, freed when the thread exits), which
 * changes nothing but the time. Works on the text as extracted or on its
 * folded view (text_fold()); the folded view is better for disguised words
 * ("Tpeбуютcя", "бiлiм" typed with a Latin i), the extracted text for
 * Turkish (the view folds ı to i).
 *
 * How: words are runs of Latin or Cyrillic letters, with apostrophes
 * inside (oʻzbek). Each word is scored in each language model as the sum
 * of the scores of its character n-grams of one to five letters (word
 * boundaries included), a naive Bayes model built from libexttextcat's
 * ranked n-gram lists. A word with a letter that a language's alphabet
 * lacks (қ for Russian, ä for Uzbek) costs that language a fixed penalty;
 * frequent words listed in langid-words.txt add a bonus. The language of
 * the best sum over all words is the answer, unless the text is mixed:
 * a pass over the words (Viterbi, with a penalty for switching language)
 * splits it into stretches of one language each, which give the shares
 * of present[], and when the best sum's language holds under half of the
 * letters and another holds more, that one is the answer. Letters of
 * other scripts (Arabic, Chinese, Greek...) count as LANG_OTHER; when
 * they are the majority the text is LANG_OTHER.
 */
void lang_detect(const char *text, size_t len, struct lang_result *out);

/*
 * lang_detect() of a + "\n" + b into *joined, of a alone into *first and
 * of b alone into *second, the same results as the three calls, in about
 * the time of the first: the words are read and scored once. Borrows a
 * and b for the call; a or b may be NULL when its length is 0.
 * Thread-safe, as lang_detect().
 */
void lang_detect_pair(const char *a, size_t alen, const char *b, size_t blen,
		      struct lang_result *joined, struct lang_result *first,
		      struct lang_result *second);

/*
 * The language of text, as lang_detect() finds it; *confidence (if not
 * NULL) gets its confidence. Thread-safe.
 */
enum lang_id lang_identify(const char *text, size_t len, double *confidence);

/* The share of the text r found in lang, 0 when none. */
double lang_share(const struct lang_result *r, enum lang_id lang);

#endif
