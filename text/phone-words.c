/* phone-words.c: phone numbers with their digits spelled out in Russian. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "text/text-int.h"
#include "common/banned.h"

/*
 * What a number word is worth: a digit (ноль to девять), a number from
 * 10 to 19, a multiple of ten or of a hundred. "плюс" opens a number
 * written with '+'.
 */
enum nw_kind { NW_UNIT, NW_TEEN, NW_TENS, NW_HUNDREDS, NW_PLUS };

static const struct number_word {
	const char *word;	/* lower case, ё as е */
	enum nw_kind kind;
	int value;
} number_words[] = {
	{ "ноль", NW_UNIT, 0 }, { "нуль", NW_UNIT, 0 },
	{ "один", NW_UNIT, 1 }, { "одна", NW_UNIT, 1 },
	{ "одно", NW_UNIT, 1 }, { "два", NW_UNIT, 2 },
	{ "две", NW_UNIT, 2 }, { "три", NW_UNIT, 3 },
	{ "четыре", NW_UNIT, 4 }, { "пять", NW_UNIT, 5 },
	{ "шесть", NW_UNIT, 6 }, { "семь", NW_UNIT, 7 },
	{ "восемь", NW_UNIT, 8 }, { "девять", NW_UNIT, 9 },
	{ "десять", NW_TEEN, 10 }, { "одиннадцать", NW_TEEN, 11 },
	{ "двенадцать", NW_TEEN, 12 }, { "тринадцать", NW_TEEN, 13 },
	{ "четырнадцать", NW_TEEN, 14 }, { "пятнадцать", NW_TEEN, 15 },
	{ "шестнадцать", NW_TEEN, 16 }, { "семнадцать", NW_TEEN, 17 },
	{ "восемнадцать", NW_TEEN, 18 }, { "девятнадцать", NW_TEEN, 19 },
	{ "двадцать", NW_TENS, 20 }, { "тридцать", NW_TENS, 30 },
	{ "сорок", NW_TENS, 40 }, { "пятьдесят", NW_TENS, 50 },
	{ "шестьдесят", NW_TENS, 60 }, { "семьдесят", NW_TENS, 70 },
	{ "восемьдесят", NW_TENS, 80 }, { "девяносто", NW_TENS, 90 },
	{ "сто", NW_HUNDREDS, 100 }, { "двести", NW_HUNDREDS, 200 },
	{ "триста", NW_HUNDREDS, 300 }, { "четыреста", NW_HUNDREDS, 400 },
	{ "пятьсот", NW_HUNDREDS, 500 }, { "шестьсот", NW_HUNDREDS, 600 },
	{ "семьсот", NW_HUNDREDS, 700 }, { "восемьсот", NW_HUNDREDS, 800 },
	{ "девятьсот", NW_HUNDREDS, 900 }, { "плюс", NW_PLUS, 0 },
};

/*
 * The index (0 for а .. 31 for я) of a Russian letter of either case, ё as
 * е; -1 for anything else.
 */
static int
ru_index(uint32_t cp)
{
	if (cp >= 0x410 && cp <= 0x42F)
		return (int)(cp - 0x410);
	if (cp >= 0x430 && cp <= 0x44F)
		return (int)(cp - 0x430);
	if (cp == 0x401 || cp == 0x451)
		return 5;	/* е */
	return -1;
}

/* Which first three letters number words have: bit c of
 * first_triples[a][b] for a word that starts with letters a, b, c (all
 * of them have three letters or more). The first two alone had let
 * through тре-, сот-, чел-, дея- and the like: common words, each then
 * read whole. */
static uint32_t first_triples[32][32];
/* ru_index() of U+0400 + i: the letters of two bytes led by D0 or D1,
 * indexed by the lead's low bit and the continuation's six */
static int8_t ru_of[128];
static pthread_once_t first_pairs_once = PTHREAD_ONCE_INIT;
/* set once first_triples is ready: pthread_once() is a call per word */
static bool first_pairs_ready;

static void
first_pairs_init(void)
{
	size_t k;

	for (k = 0; k < RF_ARRAY_SIZE(ru_of); k++)
		ru_of[k] = (int8_t)ru_index((uint32_t)(0x400 + k));
	for (k = 0; k < RF_ARRAY_SIZE(number_words); k++) {
		const char *w = number_words[k].word;
		size_t n = strlen(w), m, m2;
		uint32_t a, b, c;
		int x, y, z;

		m = utf8_decode(w, n, &a);
		m2 = m ? utf8_decode(w + m, n - m, &b) : 0;
		if (!m || !m2 || !utf8_decode(w + m + m2, n - m - m2, &c) ||
		    (x = ru_index(a)) < 0 || (y = ru_index(b)) < 0 ||
		    (z = ru_index(c)) < 0)
			abort();	/* the table holds Russian words */
		first_triples[x][y] |= 1u << z;
	}
	__atomic_store_n(&first_pairs_ready, true, __ATOMIC_RELEASE);
}

/* Whether c may start a Russian letter in UTF-8 (U+0400 to U+047F). */
static bool
is_ru_lead(char c)
{
	return c == '\xd0' || c == '\xd1';
}

/*
 * Whether the word at text[j] may be a number word, by its first three
 * letters: most words are ruled out without being read whole.
 */
static inline bool
may_be_number_word(const char *text, size_t len, size_t j)
{
	int x, y, z;

	if (!__atomic_load_n(&first_pairs_ready, __ATOMIC_ACQUIRE))
		pthread_once(&first_pairs_once, first_pairs_init);
	/* Russian letters are two bytes, D0 or D1 and a continuation byte:
	 * anything else is no letter of the table's words (ru_index() of
	 * its code point is -1) */
	if (len - j < 6 || !is_ru_lead(text[j]) || !is_ru_lead(text[j + 2]) ||
	    !is_ru_lead(text[j + 4]) ||
	    ((unsigned char)text[j + 1] & 0xC0) != 0x80 ||
	    ((unsigned char)text[j + 3] & 0xC0) != 0x80 ||
	    ((unsigned char)text[j + 5] & 0xC0) != 0x80)
		return false;
	/* three two-byte sequences, U+0400 to U+047F: ru_index() of each
	 * from ru_of */
	x = ru_of[((unsigned char)text[j] & 1) << 6 |
		  ((unsigned char)text[j + 1] & 0x3F)];
	y = ru_of[((unsigned char)text[j + 2] & 1) << 6 |
		  ((unsigned char)text[j + 3] & 0x3F)];
	z = ru_of[((unsigned char)text[j + 4] & 1) << 6 |
		  ((unsigned char)text[j + 5] & 0x3F)];
	return (x | y | z) >= 0 && (first_triples[x][y] >> z & 1);
}

static const struct number_word *
number_word(const char *w)
{
	size_t k;

	/* the first letter (two bytes) before the whole word */
	for (k = 0; k < RF_ARRAY_SIZE(number_words); k++)
		if (number_words[k].word[0] == w[0] &&
		    number_words[k].word[1] == w[1] &&
		    strcmp(number_words[k].word, w) == 0)
			return &number_words[k];
	return NULL;
}

/* isdigit() and isalnum() of the C locale (redflag never calls
 * setlocale()), without a call into the C library per byte. */
static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(unsigned char c)
{
	return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Separators allowed between the words and digit groups of a number. */
static bool
is_sep(unsigned char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == '-' || c == '.' ||
	       c == '(' || c == ')';
}

#define PW_DIGITS 24	/* more digits than any phone number has */

/*
 * The digits read so far, and a compound number being built: "семьсот"
 * waits for "один" to make 701, "сорок" for "пять" to make 45. Each
 * compound is written with all its digits when it ends (семьсот 700,
 * сорок 40, сто двадцать 120).
 */
struct pw_state {
	char digits[PW_DIGITS + 1];
	size_t nd;
	int group;		/* the compound's value so far */
	int open;		/* 0 none; NW_HUNDREDS or NW_TENS: what it can
				 * still take */
	bool overflow;
};

static void
put_digits(struct pw_state *st, const char *d, size_t n)
{
	if (st->nd + n > PW_DIGITS) {
		st->overflow = true;
		return;
	}
	memcpy(st->digits + st->nd, d, n);
	st->nd += n;
	st->digits[st->nd] = '\0';
}

static void
close_group(struct pw_state *st)
{
	char d[4];
	int v = st->group;

	if (!st->open)
		return;
	/* 100 to 999 in three digits, 10 to 99 in two */
	if (v >= 100) {
		d[0] = (char)('0' + v / 100);
		d[1] = (char)('0' + v / 10 % 10);
		d[2] = (char)('0' + v % 10);
		put_digits(st, d, 3);
	} else {
		d[0] = (char)('0' + v / 10);
		d[1] = (char)('0' + v % 10);
		put_digits(st, d, 2);
	}
	st->open = 0;
	st->group = 0;
}

/* Adds a number word to st. */
static void
put_word(struct pw_state *st, const struct number_word *w)
{
	char d;

	switch (w->kind) {
	case NW_HUNDREDS:
		close_group(st);
		st->group = w->value;
		st->open = NW_HUNDREDS;
		break;
	case NW_TENS:
		if (st->open != NW_HUNDREDS)
			close_group(st);
		st->group += w->value;
		st->open = NW_TENS;
		break;
	case NW_TEEN:
		if (st->open != NW_HUNDREDS)
			close_group(st);
		st->group += w->value;
		st->open = NW_TENS;
		close_group(st);
		break;
	case NW_UNIT:
		/* "семьсот один" is 701, "сорок пять" 45; ноль stands alone */
		if (st->open && w->value) {
			st->group += w->value;
			close_group(st);
			break;
		}
		close_group(st);
		d = (char)('0' + w->value);
		put_digits(st, &d, 1);
		break;
	case NW_PLUS:
		break;
	}
}

/* phone_words_try() past its first test; apart, so that the calls
 * that end there do not set up this one's frame */
static __attribute__((noinline)) size_t
phone_words_read(struct entity_list *l, const char *text, size_t len,
		 size_t i)
{
	struct pw_state st;
	char w[64];
	size_t j = i, e, best_end = i, words = 0, k;
	bool plus = false;
	char *best = NULL, *v;

	memset(&st, 0, sizeof(st));
	if (j < len && text[j] == '+') {
		plus = true;
		j++;
	}
	for (;;) {
		if (j < len && is_digit((unsigned char)text[j])) {
			for (e = j; e < len && is_digit((unsigned char)text[e]);
			     e++)
				;
			close_group(&st);
			put_digits(&st, text + j, e - j);
		} else {
			const struct number_word *nw;

			if (!may_be_number_word(text, len, j))
				break;
			e = entity_word(text, len, j, w, sizeof(w));
			if (e == j || !(nw = number_word(w)))
				break;
			if (nw->kind == NW_PLUS) {
				/* only first: "плюс семь ..." */
				if (j != i || plus)
					break;
				plus = true;
			} else {
				put_word(&st, nw);
				words++;
			}
		}
		/* a word or digit group must end there */
		if (e < len && (is_alnum((unsigned char)text[e]) ||
				(unsigned char)text[e] >= 0x80))
			break;
		if (st.overflow)
			break;
		/* the number so far, with the compound closed */
		if (words) {
			struct pw_state t = st;

			close_group(&t);
			if (!t.overflow && t.nd >= 10 &&
			    (v = phone_e164(t.digits, t.nd, plus))) {
				free(best);
				best = v;
				best_end = e;
			}
		}
		/* up to three separators to the next token */
		for (k = 0; e + k < len && k < 3 &&
			    is_sep((unsigned char)text[e + k]);
		     k++)
			;
		if (e + k >= len || !k)
			break;
		j = e + k;
	}
	if (!best)
		return i;
	(void)entity_add(l, ENTITY_PHONE, best, i, best_end);
	return best_end;
}

size_t
phone_words_try(struct entity_list *l, const char *text, size_t len,
		size_t i)
{
	/* what most calls see: a word that is no number word (the loop of
	 * phone_words_read() would stop there at once) */
	if (i < len && text[i] != '+' && !is_digit((unsigned char)text[i]) &&
	    !may_be_number_word(text, len, i))
		return i;
	return phone_words_read(l, text, len, i);
}
