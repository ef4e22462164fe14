/* money.c: amounts of money with their currency, as ISO 4217 codes. */
#include <ctype.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "text/text-int.h"
#include "common/banned.h"

/* Currency signs, before or after the number. */
static const struct {
	uint32_t cp;
	const char *code;
} money_signs[] = {
	{ '$', "USD" }, { 0x20AC, "EUR" }, { 0x20B8, "KZT" },
	{ 0x20BD, "RUB" }, { 0x20A9, "KRW" }, { 0x20BA, "TRY" },
};

/*
 * Currency words after the number, lower case (ё as е, Uzbek apostrophes
 * as '). stem: any word that starts so ("рублей", "долларов").
 */
static const struct {
	const char *word;
	bool stem;
	const char *code;
} money_words[] = {
	{ "тенге", false, "KZT" }, { "теңге", false, "KZT" },
	{ "тг", false, "KZT" }, { "tenge", false, "KZT" },
	{ "kzt", false, "KZT" },
	{ "сом", false, "KGS" }, { "сомов", false, "KGS" },
	{ "сома", false, "KGS" }, { "kgs", false, "KGS" },
	{ "сум", false, "UZS" }, { "сумов", false, "UZS" },
	{ "сўм", false, "UZS" }, { "so'm", false, "UZS" },
	/* so'm typed without its apostrophe: Uzbek is the Latin-script
	 * language of the som (Kyrgyz writes сом) */
	{ "som", false, "UZS" }, { "uzs", false, "UZS" },
	{ "сомони", false, "TJS" }, { "сомонӣ", false, "TJS" },
	{ "somoni", false, "TJS" }, { "tjs", false, "TJS" },
	{ "манат", true, "TMT" }, { "manat", false, "TMT" },
	{ "tmt", false, "TMT" },
	{ "руб", true, "RUB" }, { "р", false, "RUB" }, { "rub", false, "RUB" },
	{ "доллар", true, "USD" }, { "долл", false, "USD" },
	{ "бакс", true, "USD" }, { "dollar", true, "USD" },
	{ "usd", false, "USD" },
	{ "евро", false, "EUR" }, { "euro", true, "EUR" },
	{ "eur", false, "EUR" },
	{ "дирхам", true, "AED" }, { "dirham", true, "AED" },
	{ "aed", false, "AED" },
	{ "вон", false, "KRW" }, { "won", false, "KRW" },
	{ "krw", false, "KRW" },
	{ "лир", true, "TRY" }, { "lira", false, "TRY" },
	{ "tl", false, "TRY" }, { "try", false, "TRY" },
};

/* ISO codes also written before the number ("USD 3000"). */
static const char *const money_codes[] = {
	"KZT", "KGS", "UZS", "TJS", "TMT", "RUB", "USD", "EUR", "AED",
	"KRW", "TRY",
};

/* Multipliers after the number. */
static const struct {
	const char *word;
	bool stem;
	int64_t factor;
} money_mults[] = {
	{ "тыс", true, 1000 }, { "млн", false, 1000000 },
	{ "миллион", true, 1000000 }, { "mln", false, 1000000 },
	{ "million", true, 1000000 }, { "thousand", false, 1000 },
};

/* A number as written: whole part, fraction, where it ends. */
struct money_num {
	int64_t whole;
	int64_t frac;		/* the digits after the decimal mark */
	int64_t frac_div;	/* 10 or 100; 1 without fraction */
	size_t end;
};

#define MONEY_DIGITS_MAX 15	/* whole digits: no int64_t overflow */

/* The bytes of a group separator at text[j]: space, no-break spaces,
 * dot, comma, apostrophe. 0 when there is none. */
static size_t
group_sep(const char *text, size_t len, size_t j)
{
	unsigned char c = (unsigned char)text[j];

	if (c == ' ' || c == '.' || c == ',' || c == '\'')
		return 1;
	if (len - j >= 2 && c == 0xC2 && (unsigned char)text[j + 1] == 0xA0)
		return 2;
	if (len - j >= 3 && c == 0xE2 && (unsigned char)text[j + 1] == 0x80 &&
	    ((unsigned char)text[j + 2] == 0xAF ||
	     (unsigned char)text[j + 2] == 0x89))
		return 3;
	return 0;
}

static size_t
digits_at(const char *text, size_t len, size_t j)
{
	size_t k = j;

	while (k < len && isdigit((unsigned char)text[k]))
		k++;
	return k - j;
}

/* Reads the number at text[i] (a digit). false when it has too many
 * digits to be an amount. */
static bool
parse_number(const char *text, size_t len, size_t i, struct money_num *n)
{
	size_t j = i, d = digits_at(text, len, i), ndig = d, s, g;
	char sep = 0;

	n->whole = 0;
	n->frac = 0;
	n->frac_div = 1;
	if (d > MONEY_DIGITS_MAX)
		return false;
	for (; j < i + d; j++)
		n->whole = n->whole * 10 + (text[j] - '0');
	/* groups of three after a first group of one to three digits */
	while (d <= 3 && j < len && (s = group_sep(text, len, j)) &&
	       digits_at(text, len, j + s) == 3 &&
	       (!sep || sep == text[j]) && ndig + 3 <= MONEY_DIGITS_MAX) {
		sep = text[j];
		for (g = j + s; g < j + s + 3; g++)
			n->whole = n->whole * 10 + (text[g] - '0');
		ndig += 3;
		j += s + 3;
	}
	/* a decimal mark with one or two digits: "1,5 млн", "$9.99" */
	if (j + 1 < len && (text[j] == '.' || text[j] == ',') &&
	    text[j] != sep && (g = digits_at(text, len, j + 1)) >= 1 &&
	    g <= 2) {
		n->frac = text[j + 1] - '0';
		n->frac_div = 10;
		if (g == 2) {
			n->frac = n->frac * 10 + (text[j + 2] - '0');
			n->frac_div = 100;
		}
		j += 1 + g;
	}
	n->end = j;
	return true;
}

/* The sign at text[j] (its bytes in *n), or NULL. */
static const char *
sign_at(const char *text, size_t len, size_t j, size_t *n)
{
	uint32_t cp;
	size_t k;

	if (j >= len || !(*n = utf8_decode(text + j, len - j, &cp)))
		return NULL;
	for (k = 0; k < RF_ARRAY_SIZE(money_signs); k++)
		if (money_signs[k].cp == cp)
			return money_signs[k].code;
	return NULL;
}

static bool
word_is(const char *w, const char *entry, bool stem)
{
	return stem ? strncmp(w, entry, strlen(entry)) == 0
		    : strcmp(w, entry) == 0;
}

/* The currency word at text[j] (ending at *end), or NULL. */
static const char *
currency_word(const char *text, size_t len, size_t j, size_t *end)
{
	char w[48];
	size_t e = entity_word(text, len, j, w, sizeof(w)), k;

	if (e == j || !w[0])
		return NULL;
	if (e < len && isdigit((unsigned char)text[e]))
		return NULL;
	for (k = 0; k < RF_ARRAY_SIZE(money_words); k++) {
		if (!word_is(w, money_words[k].word, money_words[k].stem))
			continue;
		/* "р-н" is a district */
		if (strcmp(w, "р") == 0 && e < len && text[e] == '-')
			return NULL;
		/* "р" alone, or "р." */
		*end = e;
		if (e < len && text[e] == '.' &&
		    (strcmp(w, "р") == 0 || strcmp(w, "руб") == 0 ||
		     strcmp(w, "долл") == 0))
			(*end)++;
		return money_words[k].code;
	}
	return NULL;
}

/* The multiplier word at text[j] (ending at *end), or 1. */
static int64_t
multiplier_word(const char *text, size_t len, size_t j, bool attached,
		size_t *end)
{
	char w[48];
	size_t e = entity_word(text, len, j, w, sizeof(w)), k;

	if (e == j || !w[0])
		return 1;
	/* 50к, 50k: only right after the digits, where it cannot be the
	 * preposition к */
	if (attached && (strcmp(w, "k") == 0 || strcmp(w, "к") == 0)) {
		*end = e;
		return 1000;
	}
	for (k = 0; k < RF_ARRAY_SIZE(money_mults); k++) {
		if (word_is(w, money_mults[k].word, money_mults[k].stem)) {
			*end = e < len && text[e] == '.' ? e + 1 : e;
			return money_mults[k].factor;
		}
	}
	return 1;
}

/* Skips one space (or no-break space) at text[j]. */
static size_t
skip_space(const char *text, size_t len, size_t j)
{
	if (j < len && (text[j] == ' ' || text[j] == '\t'))
		return j + 1;
	if (len - j >= 2 && (unsigned char)text[j] == 0xC2 &&
	    (unsigned char)text[j + 1] == 0xA0)
		return j + 2;
	return j;
}

/* The currency written before text[i] ("$3000", "USD 3000"): its code,
 * with *start where it begins; or NULL. */
static const char *
currency_before(const char *text, size_t i, size_t *start)
{
	size_t j = i, n, m;
	const char *code;
	unsigned char p;

	if (j > 0 && (text[j - 1] == ' ' || text[j - 1] == '\t'))
		j--;
	for (n = 1; n <= 3 && n <= j; n++) {
		if ((code = sign_at(text, j, j - n, &m)) && m == n) {
			*start = j - n;
			return code;
		}
	}
	/* an upper-case ISO code as a word of its own */
	if (j < 3)
		return NULL;
	p = j > 3 ? (unsigned char)text[j - 4] : ' ';
	if (isalnum(p) || p >= 0x80 || p == '_')
		return NULL;
	for (n = 0; n < RF_ARRAY_SIZE(money_codes); n++) {
		if (strncmp(text + j - 3, money_codes[n], 3) == 0) {
			*start = j - 3;
			return money_codes[n];
		}
	}
	return NULL;
}

/* The currency and multiplier written after a number ending at j:
 * "тыс. тенге", "k$", "млн сум". Returns the code, *end where it ends. */
static const char *
currency_after(const char *text, size_t len, size_t j, int64_t *mult,
	       size_t *end)
{
	const char *code;
	size_t e = j, n;

	*mult = multiplier_word(text, len, j, true, &e);
	if (*mult == 1)
		*mult = multiplier_word(text, len, skip_space(text, len, j),
					false, &e);
	if ((code = sign_at(text, len, e, &n))) {
		*end = e + n;
		return code;
	}
	if ((code = sign_at(text, len, skip_space(text, len, e), &n))) {
		*end = skip_space(text, len, e) + n;
		return code;
	}
	if ((code = currency_word(text, len, e, end)) ||
	    (code = currency_word(text, len, skip_space(text, len, e), end)))
		return code;
	return NULL;
}

/* Whether the number at text[i] follows "от " or "from ": the start of a
 * range written in words. */
static bool
after_from(const char *text, size_t i)
{
	static const char *const words[] = { "от", "От", "from", "From" };
	size_t k, w;

	if (i == 0 || (text[i - 1] != ' ' && text[i - 1] != '\t'))
		return false;
	i--;
	for (k = 0; k < RF_ARRAY_SIZE(words); k++) {
		w = strlen(words[k]);
		if (i >= w && memcmp(text + i - w, words[k], w) == 0 &&
		    (i == w || !isalnum((unsigned char)text[i - w - 1])) &&
		    (i == w || (unsigned char)text[i - w - 1] < 0x80))
			return true;
	}
	return false;
}

/* The end of a dash between two numbers of a range ("2000-3000", "2000 –
 * 3000"), or with words, of "до" or "to" ("от 2000 до 3000"); or 0. */
static size_t
range_dash(const char *text, size_t len, size_t j, bool words_ok)
{
	static const char *const words[] = { "до", "До", "to" };
	size_t k, w;

	j = skip_space(text, len, j);
	if (j < len && text[j] == '-')
		j++;
	else if (len - j >= 3 && (unsigned char)text[j] == 0xE2 &&
		 (unsigned char)text[j + 1] == 0x80 &&
		 ((unsigned char)text[j + 2] == 0x93 ||
		  (unsigned char)text[j + 2] == 0x94))
		j += 3;
	else if (words_ok) {
		for (k = 0; k < RF_ARRAY_SIZE(words); k++) {
			w = strlen(words[k]);
			/* the word, then a space: "до 3000", not "дом" */
			if (len - j > w && memcmp(text + j, words[k], w) == 0 &&
			    skip_space(text, len, j + w) > j + w)
				break;
		}
		if (k == RF_ARRAY_SIZE(words))
			return 0;
		j += w;
	} else {
		return 0;
	}
	j = skip_space(text, len, j);
	return j < len && isdigit((unsigned char)text[j]) ? j : 0;
}

static int64_t
amount_of(const struct money_num *n, int64_t mult)
{
	if (n->whole > INT64_MAX / mult)
		return INT64_MAX;
	return n->whole * mult + n->frac * mult / n->frac_div;
}

static void
add_money(struct entity_list *l, int64_t amount, const char *code,
	  size_t start, size_t end)
{
	struct buf b;
	struct entity *e;

	buf_init(&b, 0);
	buf_addf(&b, "%" PRId64 " %s", amount, code);
	e = entity_add(l, ENTITY_MONEY, buf_detach(&b, NULL), start, end);
	if (e) {
		e->amount = amount;
		memcpy(e->currency, code, 4);
	}
}

/* Whether a number may start at text[i]: not inside a word or number. */
static bool
number_start(const char *text, size_t i)
{
	unsigned char p;

	if (i == 0)
		return true;
	p = (unsigned char)text[i - 1];
	if (isalnum(p) || p == '.' || p == ',' || p == '_')
		return false;
	/* a letter of another alphabet; signs such as ₸ are allowed */
	if (p >= 0x80) {
		size_t k = i - 1, n;
		uint32_t cp;

		while (k > 0 && i - k < 4 &&
		       ((unsigned char)text[k] & 0xC0) == 0x80)
			k--;
		n = utf8_decode(text + k, i - k, &cp);
		if (n && n == i - k)
			return !(cp >= 0xC0 && cp < 0x2000);
	}
	return true;
}

void
money_find(struct entity_list *l, const char *text, size_t len)
{
	size_t i = 0, end, start;
	struct money_num n, first = { 0, 0, 1, 0 };
	size_t first_start = 0;
	bool have_first = false;
	const char *code;
	int64_t mult;

	while (i < len) {
		if (!isdigit((unsigned char)text[i]) ||
		    !number_start(text, i)) {
			i++;
			continue;
		}
		if (!parse_number(text, len, i, &n)) {
			i += digits_at(text, len, i);
			have_first = false;
			continue;
		}
		start = i;
		mult = 1;
		end = n.end;
		code = currency_after(text, len, n.end, &mult, &end);
		if (!code && (code = currency_before(text, i, &start)))
			end = n.end;
		if (code) {
			if (have_first)
				add_money(l, amount_of(&first, mult), code,
					  first_start, first.end);
			add_money(l, amount_of(&n, mult), code, start, end);
			have_first = false;
			i = end;
			continue;
		}
		/* "2000-3000 $": the first number waits for the second's
		 * currency */
		if ((end = range_dash(text, len, n.end,
				      after_from(text, start)))) {
			first = n;
			first_start = start;
			have_first = true;
			i = end;
			continue;
		}
		have_first = false;
		i = n.end;
	}
}
