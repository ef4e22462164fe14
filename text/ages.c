/* ages.c: ages and age ranges ("18-25 лет", "до 30 лет", "18 yoshdan"). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/xmalloc.h"
#include "text/text-int.h"
#include "common/banned.h"

#define AGE_MIN 14
#define AGE_MAX 80

enum tok_kind { TK_NUM, TK_WORD, TK_DASH, TK_BREAK };

struct age_tok {
	enum tok_kind kind;
	size_t start, end;
	int num;		/* TK_NUM: its value, -1 when too long */
	char ch;		/* TK_BREAK: its first byte */
	char word[32];		/* TK_WORD: lower case; "" when too long */
};

/*
 * Word lists, lower case, ё as е. An entry ending in '*' is a stem: any
 * word that starts so.
 */

/* "years old" after the number */
static const char *const unit_words[] = {
	"лет", "года", "год", "years", "year", "yo", "жас", "жаш", "yosh",
	"yaş", "ýaş", "сола",
};
/* words about age before the number: "возраст 18-25", "age 18-25" */
static const char *const age_words[] = {
	"возраст*", "age", "aged", "ages", "yoshi", "yosh", "жасы", "жас",
	"жашы", "жаш", "yaş*", "ýaş*", "синну",
};
/* people an ad may want of some age: "девушки 18-25" */
static const char *const people_words[] = {
	"девуш*", "девоч*", "женщин*", "мужчин*", "парн*", "парен*",
	"юнош*", "кандидат*", "girl*", "lad*", "women", "woman", "men",
	"қыз*", "кыз*", "qiz*", "ayol*", "erkak*", "жигит*", "жігіт*",
	"yigit*",
};
/* words before a number of years that is not an age */
static const char *const not_age_words[] = {
	"опыт*", "стаж*", "срок*", "experience", "контракт*", "договор*",
	"кредит*", "гарант*", "рассроч*", "ипотек*", "через", "тажриба*",
	"tajriba*", "тәжірибе*", "тажрыйба*", "иш", "jail", "prison",
	"тюрьм*", "лишени*", "warranty", "стаж",
};

static bool
word_in(const char *w, const char *const *list, size_t n)
{
	size_t k, l;

	for (k = 0; k < n; k++) {
		l = strlen(list[k]);
		if (list[k][l - 1] == '*' ? strncmp(w, list[k], l - 1) == 0
					  : strcmp(w, list[k]) == 0)
			return true;
	}
	return false;
}

#define IN(w, list) word_in((w), (list), RF_ARRAY_SIZE(list))

struct age_toks {
	struct age_tok *t;
	size_t n, alloc;
};

static struct age_tok *
tok_new(struct age_toks *ts, enum tok_kind kind, size_t start, size_t end)
{
	struct age_tok *t;

	ALLOC_GROW(ts->t, ts->n + 1, ts->alloc);
	t = &ts->t[ts->n++];
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->start = start;
	t->end = end;
	return t;
}

/* Splits text into numbers, words, dashes and breaks (sentence ends,
 * line ends, other symbols); spaces, commas, colons, brackets go. */
static void
tokenize(struct age_toks *ts, const char *text, size_t len)
{
	size_t i = 0, e;
	struct age_tok *t;
	char w[sizeof(t->word)];

	while (i < len) {
		unsigned char c = (unsigned char)text[i];

		if (isdigit(c)) {
			int v = 0;

			for (e = i; e < len && isdigit((unsigned char)text[e]);
			     e++)
				v = v > 9999 ? 10000 : v * 10 + (text[e] - '0');
			t = tok_new(ts, TK_NUM, i, e);
			t->num = v > 9999 ? -1 : v;
			i = e;
		} else if ((e = entity_word(text, len, i, w, sizeof(w))) > i) {
			/* y.o. */
			if (strcmp(w, "y") == 0 && len - e >= 2 &&
			    text[e] == '.' && (text[e + 1] | 0x20) == 'o') {
				e += 2;
				if (e < len && text[e] == '.')
					e++;
				memcpy(w, "yo", 3);
			}
			t = tok_new(ts, TK_WORD, i, e);
			memcpy(t->word, w, sizeof(w));
			i = e;
		} else if (c == '-' ||
			   (len - i >= 3 && c == 0xE2 &&
			    (unsigned char)text[i + 1] == 0x80 &&
			    ((unsigned char)text[i + 2] == 0x93 ||
			     (unsigned char)text[i + 2] == 0x94))) {
			e = c == '-' ? i + 1 : i + 3;
			(void)tok_new(ts, TK_DASH, i, e);
			i = e;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == ',' ||
			   c == ':' || c == '(' || c == ')') {
			i++;
		} else {
			/* a whole UTF-8 character as one break */
			e = i + 1;
			while (e < len &&
			       ((unsigned char)text[e] & 0xC0) == 0x80)
				e++;
			t = tok_new(ts, TK_BREAK, i, e);
			t->ch = (char)c;
			i = e;
		}
	}
}

static const struct age_tok *
tok_at(const struct age_toks *ts, size_t k)
{
	return k < ts->n ? &ts->t[k] : NULL;
}

static bool
is_word(const struct age_toks *ts, size_t k, const char *w)
{
	const struct age_tok *t = tok_at(ts, k);

	return t && t->kind == TK_WORD && strcmp(t->word, w) == 0;
}

static bool
word_of(const struct age_toks *ts, size_t k, const char *const *list,
	size_t n)
{
	const struct age_tok *t = tok_at(ts, k);

	return t && t->kind == TK_WORD && word_in(t->word, list, n);
}

#define WORD_OF(ts, k, list) word_of((ts), (k), (list), RF_ARRAY_SIZE(list))

static bool
is_age(const struct age_toks *ts, size_t k)
{
	const struct age_tok *t = tok_at(ts, k);

	return t && t->kind == TK_NUM && t->num >= AGE_MIN &&
	       t->num <= AGE_MAX;
}

/* Whether one of the words of list is among the n words before token k,
 * within one sentence. */
static bool
words_before(const struct age_toks *ts, size_t k, size_t n,
	     const char *const *list, size_t nlist)
{
	while (k > 0 && n > 0) {
		const struct age_tok *t = &ts->t[--k];

		if (t->kind == TK_BREAK)
			return false;
		if (t->kind == TK_WORD) {
			if (word_in(t->word, list, nlist))
				return true;
			n--;
		}
	}
	return false;
}

#define BEFORE(ts, k, n, list) \
	words_before((ts), (k), (n), (list), RF_ARRAY_SIZE(list))

static void
add_age(struct entity_list *l, int min, int max, size_t start, size_t end)
{
	struct buf b;
	struct entity *e;

	buf_init(&b, 0);
	if (min != ENTITY_AGE_OPEN)
		buf_addf(&b, "%d", min);
	buf_addch(&b, '-');
	if (max != ENTITY_AGE_OPEN)
		buf_addf(&b, "%d", max);
	e = entity_add(l, ENTITY_AGE, buf_detach(&b, NULL), start, end);
	if (e) {
		e->age_min = min;
		e->age_max = max;
	}
}

/*
 * Tries an age at the number token k. Sets *min, *max, the tokens it
 * spans [*first, *last] and returns true when it is one.
 */
static bool
age_at(const struct age_toks *ts, size_t k, int *min, int *max,
       size_t *first, size_t *last)
{
	const struct age_tok *a = &ts->t[k];
	size_t f = k, e;
	bool unit;

	*min = *max = ENTITY_AGE_OPEN;
	if (!is_age(ts, k))
		return false;
	/* N - M, N до M, N to M; от/с/from before N is part of it */
	if ((tok_at(ts, k + 1) && ts->t[k + 1].kind == TK_DASH) ||
	    is_word(ts, k + 1, "до") || is_word(ts, k + 1, "to")) {
		if (is_age(ts, k + 2) && ts->t[k + 2].num >= a->num) {
			if (is_word(ts, k - 1, "от") ||
			    is_word(ts, k - 1, "с") ||
			    is_word(ts, k - 1, "from") ||
			    is_word(ts, k - 1, "between"))
				f = k - 1;
			e = k + 2;
			unit = WORD_OF(ts, e + 1, unit_words);
			if (!unit && !BEFORE(ts, f, 2, age_words) &&
			    !BEFORE(ts, f, 4, people_words))
				return false;
			*min = a->num;
			*max = ts->t[k + 2].num;
			*first = f;
			*last = unit ? e + 1 : e;
			return true;
		}
	}
	/* 18 yoshdan 25 yoshgacha, 18 жастан 25 жасқа дейін */
	if ((is_word(ts, k + 1, "yoshdan") || is_word(ts, k + 1, "жастан") ||
	     is_word(ts, k + 1, "жаштан")) && is_age(ts, k + 2) &&
	    ts->t[k + 2].num >= a->num &&
	    (is_word(ts, k + 3, "yoshgacha") || is_word(ts, k + 3, "жасқа") ||
	     is_word(ts, k + 3, "жашка"))) {
		*min = a->num;
		*max = ts->t[k + 2].num;
		*first = k;
		*last = k + 3;
		if (is_word(ts, k + 4, "дейін") ||
		    is_word(ts, k + 4, "шейін") ||
		    is_word(ts, k + 4, "чейин"))
			*last = k + 4;
		return true;
	}
	/* до 30 лет; не старше 30 (лет) */
	if (is_word(ts, k - 1, "до") && WORD_OF(ts, k + 1, unit_words)) {
		*max = a->num;
		*first = k - 1;
		*last = k + 1;
		return true;
	}
	/* возраст: до 25; age from 20 */
	if ((is_word(ts, k - 1, "до") || is_word(ts, k - 1, "от") ||
	     is_word(ts, k - 1, "to") || is_word(ts, k - 1, "from")) &&
	    BEFORE(ts, k - 1, 2, age_words)) {
		if (is_word(ts, k - 1, "до") || is_word(ts, k - 1, "to"))
			*max = a->num;
		else
			*min = a->num;
		*first = k - 1;
		*last = WORD_OF(ts, k + 1, unit_words) ? k + 1 : k;
		return true;
	}
	if (is_word(ts, k - 1, "старше") && is_word(ts, k - 2, "не")) {
		*max = a->num;
		*first = k - 2;
		*last = WORD_OF(ts, k + 1, unit_words) ? k + 1 : k;
		return true;
	}
	/* 25 жасқа дейін, 25 yoshgacha, 25 yaşına kadar */
	if (is_word(ts, k + 1, "yoshgacha") || is_word(ts, k + 1, "жасқа") ||
	    is_word(ts, k + 1, "жашка") ||
	    (is_word(ts, k + 1, "yaşına") && is_word(ts, k + 2, "kadar"))) {
		*max = a->num;
		*first = k;
		*last = k + 1;
		if (is_word(ts, k + 2, "дейін") ||
		    is_word(ts, k + 2, "шейін") ||
		    is_word(ts, k + 2, "чейин") || is_word(ts, k + 2, "kadar"))
			*last = k + 2;
		if (is_word(ts, k + 1, "жасқа") || is_word(ts, k + 1, "жашка"))
			return *last == k + 2;
		return true;
	}
	/* от 18 лет, с 18 лет; старше 18 (лет); 18 лет и старше */
	if ((is_word(ts, k - 1, "от") || is_word(ts, k - 1, "с") ||
	     is_word(ts, k - 1, "from")) && WORD_OF(ts, k + 1, unit_words)) {
		*min = a->num;
		*first = k - 1;
		*last = k + 1;
		return true;
	}
	if (is_word(ts, k - 1, "старше")) {
		*min = a->num;
		*first = k - 1;
		*last = WORD_OF(ts, k + 1, unit_words) ? k + 1 : k;
		return true;
	}
	if (WORD_OF(ts, k + 1, unit_words) && is_word(ts, k + 2, "и") &&
	    is_word(ts, k + 3, "старше")) {
		*min = a->num;
		*first = k;
		*last = k + 3;
		return true;
	}
	/* 18 yoshdan oshgan, 18 жастан бастап / асқан */
	if ((is_word(ts, k + 1, "yoshdan") &&
	     (is_word(ts, k + 2, "oshgan") || is_word(ts, k + 2, "katta"))) ||
	    (is_word(ts, k + 1, "жастан") &&
	     (is_word(ts, k + 2, "бастап") || is_word(ts, k + 2, "асқан"))) ||
	    (is_word(ts, k + 1, "жаштан") &&
	     (is_word(ts, k + 2, "баштап") || is_word(ts, k + 2, "ашкан")))) {
		*min = a->num;
		*first = k;
		*last = k + 2;
		return true;
	}
	/* age 18-25 is above; "age: 25", "возраст 25" alone is one age,
	 * "age 18+" a minimum */
	if (BEFORE(ts, k, 1, age_words) && !WORD_OF(ts, k + 1, unit_words) &&
	    !(tok_at(ts, k + 1) && ts->t[k + 1].kind == TK_NUM)) {
		*min = *max = a->num;
		if (tok_at(ts, k + 1) && ts->t[k + 1].kind == TK_BREAK &&
		    ts->t[k + 1].ch == '+')
			*max = ENTITY_AGE_OPEN;
		*first = k;
		*last = k;
		return true;
	}
	/* N лет after a word about age or people: "девушки 20 лет" */
	if (WORD_OF(ts, k + 1, unit_words) &&
	    (BEFORE(ts, k, 2, age_words) || BEFORE(ts, k, 3, people_words))) {
		*min = *max = a->num;
		*first = k;
		*last = k + 1;
		return true;
	}
	return false;
}

/*
 * Whether text has a number that is_age() takes. Every age found is at
 * such a number token, and tokenize() makes one of each maximal run of
 * ASCII digits (no other token takes a digit), valued as here; most
 * listings have none, and their words need not be read.
 */
static bool
has_age_number(const char *text, size_t len)
{
	size_t i = 0;
	int v;

	while (i < len) {
		if (!isdigit((unsigned char)text[i])) {
			i++;
			continue;
		}
		for (v = 0; i < len && isdigit((unsigned char)text[i]); i++)
			v = v > 9999 ? 10000 : v * 10 + (text[i] - '0');
		if (v >= AGE_MIN && v <= AGE_MAX)
			return true;
	}
	return false;
}

void
ages_find(struct entity_list *l, const char *text, size_t len)
{
	struct age_toks ts = { 0 };
	size_t k, first, last;
	int min, max;

	if (!has_age_number(text, len))
		return;
	tokenize(&ts, text, len);
	for (k = 0; k < ts.n; k++) {
		if (ts.t[k].kind != TK_NUM ||
		    !age_at(&ts, k, &min, &max, &first, &last))
			continue;
		/* "опыт от 3 до 20 лет", "кредит до 20 лет" */
		if (BEFORE(&ts, first, 3, not_age_words))
			continue;
		add_age(l, min, max, ts.t[first].start, ts.t[last].end);
		k = last;
	}
	free(ts.t);
}
