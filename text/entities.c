/* entities.c: a single left-to-right pass that finds contacts in text. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "common/buf.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "text/text-int.h"
#include "common/banned.h"

const char *
entity_kind_name(enum entity_kind k)
{
	static const char *const names[] = {
		"phone", "handle", "email", "link", "money", "age",
	};

	return (unsigned)k < RF_ARRAY_SIZE(names) ? names[k] : "?";
}

void
entity_list_init(struct entity_list *l)
{
	l->items = NULL;
	l->n = l->alloc = 0;
}

void
entity_list_release(struct entity_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i].value);
	free(l->items);
	entity_list_init(l);
}

struct entity *
entity_add(struct entity_list *l, enum entity_kind kind, char *value,
	   size_t start, size_t end)
{
	struct entity *e;
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->items[i].kind == kind &&
		    strcmp(l->items[i].value, value) == 0) {
			free(value);
			return NULL;
		}
	}
	if (l->n >= RF_ENTITIES_MAX) {
		free(value);
		return NULL;
	}
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	e = &l->items[l->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->value = value;
	e->start = start;
	e->end = end;
	e->age_min = e->age_max = ENTITY_AGE_OPEN;
	return e;
}

static void
add(struct entity_list *l, enum entity_kind kind, char *value, size_t start,
    size_t end)
{
	(void)entity_add(l, kind, value, start, end);
}

/* A letter, digit or '_' of ASCII: isalnum() in the C locale, and '_',
 * by a table (the skip over words is hot). */
static const unsigned char word_ascii[128] = {
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
	['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1, ['_'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
};

/* isdigit(), isalnum() and tolower() of the C locale, the only one
 * redflag runs in (it never calls setlocale()), without the calls into
 * the C library: the loops below are hot. */
static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_alnum(unsigned char c)
{
	return c < 0x80 && c != '_' && word_ascii[c];
}

static int
lower_ascii(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* ... or any byte of a UTF-8 sequence; without a branch */
static bool
is_word_byte(unsigned char c)
{
	return ((c >> 7) | word_ascii[c & 0x7F]) != 0;
}

static bool
is_handle_char(unsigned char c)
{
	return is_alnum(c) || c == '_';
}

static bool
is_email_local(unsigned char c)
{
	/* strchr() finds the terminating NUL too */
	return is_alnum(c) || (c && strchr("._%+-", c));
}

static bool
is_domain_char(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '-';
}

static char *
lower_dup(const char *s, size_t n)
{
	char *v = xmemdupz(s, n);
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (char)lower_ascii((unsigned char)v[i]);
	return v;
}

/* Whether cp is an apostrophe that may stand inside a word (so'm). */
static bool
is_apostrophe(uint32_t cp)
{
	return cp == '\'' || cp == '`' || cp == 0x2BB || cp == 0x2BC ||
	       cp == 0x2018 || cp == 0x2019;
}

/* The lower case of a Latin or Cyrillic letter, or 0 for anything else;
 * ё is е. */
static inline uint32_t
letter_lower(uint32_t cp)
{
	if (cp < 0x80)
		return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z' ? cp | 0x20 : 0;
	if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7)
		return cp + 0x20;
	if (cp >= 0xDF && cp <= 0xFF && cp != 0xF7)
		return cp;
	if (cp == 0x130 || cp == 0x131)
		return 'i';
	if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E))
		return (cp & 1u) ? cp + 1 : cp;	/* upper case is odd here */
	if (cp >= 0x100 && cp <= 0x17F)
		return cp | 1u;
	if (cp >= 0x180 && cp <= 0x24F)
		return cp;
	if (cp == 0x401 || cp == 0x451)
		return 0x435;
	if (cp >= 0x400 && cp <= 0x40F)
		return cp + 0x50;
	if (cp >= 0x410 && cp <= 0x42F)
		return cp + 0x20;
	if (cp >= 0x430 && cp <= 0x45F)
		return cp;
	if (cp >= 0x460 && cp <= 0x4FF)
		return (cp >= 0x4C1 && cp <= 0x4CE) ? cp : (cp | 1u);
	return 0;
}

/* utf8_decode(), with ASCII and two-byte sequences (most letters of a
 * listing) decoded here. */
static inline size_t
decode_char(const char *str, size_t len, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;

	if (len >= 1 && s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (len >= 2 && s[0] >= 0xC2 && s[0] < 0xE0 && (s[1] & 0xC0) == 0x80) {
		*cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
		return 2;
	}
	return utf8_decode(str, len, cp);
}

size_t
entity_word(const char *text, size_t len, size_t i, char *out, size_t cap)
{
	size_t j = i, o = 0, n, k;
	uint32_t cp, lc;
	char u[4];
	bool too_long = false;

	while (j < len) {
		n = decode_char(text + j, len - j, &cp);
		if (!n)
			break;
		if (is_apostrophe(cp) && j > i && j + n < len) {
			uint32_t next;
			size_t m = decode_char(text + j + n, len - j - n,
					       &next);

			if (!m || !letter_lower(next))
				break;
			lc = '\'';
		} else if (!(lc = letter_lower(cp))) {
			break;
		}
		if (lc < 0x80) {
			u[0] = (char)lc;
			k = 1;
		} else if (lc < 0x800) {
			u[0] = (char)(0xC0 | (lc >> 6));
			u[1] = (char)(0x80 | (lc & 0x3F));
			k = 2;
		} else {
			k = utf8_encode(lc, u);
		}
		if (o + k + 1 > cap)
			too_long = true;
		else {
			memcpy(out + o, u, k);
			o += k;
		}
		j += n;
	}
	if (cap)
		out[too_long ? 0 : o] = '\0';
	return j;
}

/* Country codes of the region, longest first (INDICATORS.md). */
static const char *const country_codes[] = {
	"996", "998", "992", "993", "971", "90", "82", "7",
};

char *
phone_e164(const char *digits, size_t n, bool plus)
{
	struct buf b;
	size_t i;

	if (n < 10 || n > 13)
		return NULL;
	buf_init(&b, 32);
	if (plus) {
		for (i = 0; i < RF_ARRAY_SIZE(country_codes); i++)
			if (strncmp(digits, country_codes[i],
				    strlen(country_codes[i])) == 0)
				break;
		if (i == RF_ARRAY_SIZE(country_codes))
			goto fail;
		buf_addch(&b, '+');
		buf_add(&b, digits, n);
	} else if (n == 11 && (digits[0] == '8' || digits[0] == '7')) {
		/* 8 7xx ... and 7 7xx ...: Kazakhstan and Russia */
		buf_add(&b, "+7", 2);
		buf_add(&b, digits + 1, n - 1);
	} else if (n == 10 && (digits[0] == '7' || digits[0] == '9')) {
		/* 7xx xxx xx xx (KZ) and 9xx xxx xx xx (RU) without prefix */
		buf_add(&b, "+7", 2);
		buf_add(&b, digits, n);
	} else {
		for (i = 0; i < RF_ARRAY_SIZE(country_codes); i++) {
			size_t k = strlen(country_codes[i]);

			if (k >= 2 && n >= 11 &&
			    strncmp(digits, country_codes[i], k) == 0)
				break;
		}
		if (i == RF_ARRAY_SIZE(country_codes))
			goto fail;
		buf_addch(&b, '+');
		buf_add(&b, digits, n);
	}
	return buf_detach(&b, NULL);
fail:
	buf_release(&b);
	return NULL;
}

/* The bytes of a Latin or Cyrillic O at text[j] (1 or 2), or 0. */
static size_t
letter_o(const char *text, size_t len, size_t j)
{
	if (text[j] == 'O' || text[j] == 'o')
		return 1;
	if (len - j >= 2 && text[j] == '\xd0' &&
	    (text[j + 1] == '\x9e' || text[j + 1] == '\xbe'))
		return 2;
	return 0;
}

/*
 * Whether an O at text[j], right after a digit, stands for 0: the run of
 * O there ends the text or is followed by a digit or a non-letter ("7O1",
 * "7OO 12"; not "5Ольга").
 */
static bool
o_for_zero(const char *text, size_t len, size_t j)
{
	size_t k;

	if (!letter_o(text, len, j))
		return false;
	while (j < len && (k = letter_o(text, len, j)))
		j += k;
	return j == len || is_digit((unsigned char)text[j]) ||
	       !is_word_byte((unsigned char)text[j]);
}

/* Tries a phone number at text[i]; returns its end or i. */
static size_t
try_phone(struct entity_list *l, const char *text, size_t len, size_t i)
{
	char digits[24];
	size_t nd = 0, j = i, last = i;
	bool plus = text[i] == '+';
	char *v;

	if (i > 0 && (is_word_byte((unsigned char)text[i - 1]) ||
		      text[i - 1] == '+'))
		return i;
	if (plus)
		j++;
	while (j < len) {
		unsigned char c = (unsigned char)text[j];

		if (is_digit(c)) {
			if (nd >= sizeof(digits) - 1)
				return i;
			digits[nd++] = (char)c;
			last = j + 1;
		} else if (nd > 0 && last == j && o_for_zero(text, len, j)) {
			if (nd >= sizeof(digits) - 1)
				return i;
			digits[nd++] = '0';
			last = j + letter_o(text, len, j);
			j = last;
			continue;
		} else if (!(c == ' ' || c == '-' || c == '.' || c == '(' ||
			     c == ')') || (j > i && text[j - 1] == c &&
					   c != ')' && c != '(')) {
			break;
		}
		j++;
	}
	if (last < len && is_word_byte((unsigned char)text[last]))
		return i;
	digits[nd] = '\0';
	if (!(v = phone_e164(digits, nd, plus)))
		return i;
	add(l, ENTITY_PHONE, v, i, last);
	return last;
}

static size_t
try_at(struct entity_list *l, const char *text, size_t len, size_t i)
{
	size_t s = i, e = i + 1;

	/* e-mail: local part before '@' */
	while (s > 0 && is_email_local((unsigned char)text[s - 1]))
		s--;
	while (e < len && is_domain_char((unsigned char)text[e]))
		e++;
	while (e > i + 1 && (text[e - 1] == '.' || text[e - 1] == '-'))
		e--;
	if (s < i && memchr(text + i + 1, '.', e - i - 1)) {
		add(l, ENTITY_EMAIL, lower_dup(text + s, e - s), s, e);
		return e;
	}
	/* a handle: @ after a non-word character, 4 to 32 characters */
	if (i > 0 && is_word_byte((unsigned char)text[i - 1]))
		return i + 1;
	e = i + 1;
	while (e < len && is_handle_char((unsigned char)text[e]))
		e++;
	if (e - i - 1 >= 4 && e - i - 1 <= 32)
		add(l, ENTITY_HANDLE, lower_dup(text + i, e - i), i, e);
	return e;
}

/*
 * A Telegram name written bare after a label: "Telegram: hr_jobs",
 * "Телеграм - hr_jobs", "тг: hr_jobs". Telegram names are 5 to 32
 * letters, digits and underscores, the first a Latin letter; the label
 * must be followed by ':' or a dash, so that prose ("telegram channel")
 * is not taken. Returns where the name ends, or i.
 */
static size_t
try_labeled_handle(struct entity_list *l, const char *text, size_t len,
		   size_t i)
{
	/* with their lengths, not strlen() at every t, T, т and Т */
#define LABEL(s) { s, sizeof(s) - 1 }
	static const struct {
		const char *s;
		size_t n;
	} labels[] = {
		LABEL("telegram"), LABEL("Telegram"), LABEL("TELEGRAM"),
		LABEL("телеграмм"), LABEL("Телеграмм"), LABEL("ТЕЛЕГРАММ"),
		LABEL("телеграм"), LABEL("Телеграм"), LABEL("ТЕЛЕГРАМ"),
		LABEL("tg"), LABEL("TG"), LABEL("Tg"), LABEL("тг"), LABEL("ТГ"),
		LABEL("Тг"),
	};
#undef LABEL
	size_t k, j, s, e, n = 0;

	if (i > 0 && is_word_byte((unsigned char)text[i - 1]))
		return i;
	/* every label starts with t, T, т (D1 82) or Т (D0 A2): most words
	 * are ruled out before the list is compared */
	if (text[i] != 't' && text[i] != 'T' &&
	    (len - i < 2 || !((text[i] == '\xd1' && text[i + 1] == '\x82') ||
			      (text[i] == '\xd0' && text[i + 1] == '\xa2'))))
		return i;
	for (k = 0; k < RF_ARRAY_SIZE(labels); k++) {
		n = labels[k].n;
		/* labels are two bytes or more: those two first */
		if (len - i >= n && labels[k].s[1] == text[i + 1] &&
		    labels[k].s[0] == text[i] &&
		    memcmp(text + i, labels[k].s, n) == 0 &&
		    (i + n == len || !is_word_byte((unsigned char)text[i + n])))
			break;
	}
	if (k == RF_ARRAY_SIZE(labels))
		return i;
	j = i + n;
	while (j < len && text[j] == ' ')
		j++;
	if (j < len && (text[j] == ':' || text[j] == '-'))
		j++;
	else if (len - j >= 3 && (memcmp(text + j, "\xe2\x80\x94", 3) == 0 ||
				  memcmp(text + j, "\xe2\x80\x93", 3) == 0))
		j += 3;	/* an em or en dash */
	else
		return i;
	while (j < len && text[j] == ' ')
		j++;
	s = j;
	if (s >= len || !is_alnum((unsigned char)text[s]) ||
	    is_digit((unsigned char)text[s]))
		return i;
	e = s;
	while (e < len && is_handle_char((unsigned char)text[e]))
		e++;
	if (e - s < 5 || e - s > 32 ||
	    (e < len && is_word_byte((unsigned char)text[e])))
		return i;
	{
		char *v = xmalloc(e - s + 2);
		size_t m;

		v[0] = '@';
		for (m = 0; m < e - s; m++)
			v[m + 1] = (char)lower_ascii(
				(unsigned char)text[s + m]);
		v[e - s + 1] = '\0';
		add(l, ENTITY_HANDLE, v, s, e);
	}
	return e;
}

static size_t
try_link(struct entity_list *l, const char *text, size_t len, size_t i)
{
	static const char *const hosts[] = { "t.me/", "wa.me/" };
	size_t k, e, hl;

	for (k = 0; k < RF_ARRAY_SIZE(hosts); k++) {
		hl = strlen(hosts[k]);
		/* the second byte first: it rules out most words */
		if (len - i < hl ||
		    lower_ascii((unsigned char)text[i + 1]) != hosts[k][1] ||
		    strncasecmp(text + i, hosts[k], hl) != 0)
			continue;
		if (i > 0 && is_alnum((unsigned char)text[i - 1]))
			return i + 1;
		e = i + hl;
		if (e < len && text[e] == '+')
			e++;
		while (e < len && is_handle_char((unsigned char)text[e]))
			e++;
		if (e - i - hl < 4)
			return i + 1;
		if (k == 1) {
			char *v = NULL;
			size_t d = i + hl + (text[i + hl] == '+'), j;

			/* wa.me/ takes a number, digits only */
			for (j = d; j < e; j++)
				if (!is_digit((unsigned char)text[j]))
					break;
			if (j == e)
				v = phone_e164(text + d, e - d, true);
			if (v)
				add(l, ENTITY_PHONE, v, i, e);
		} else {
			add(l, ENTITY_LINK, lower_dup(text + i, e - i), i, e);
		}
		return e;
	}
	return i + 1;
}

/* Instagram user names: letters, digits, '_' and '.', at most 30. */
static bool
is_insta_char(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '.';
}

/* Paths of instagram.com that are not a user's page. */
static bool
insta_reserved(const char *name, size_t n)
{
	static const char *const paths[] = {
		"p", "reel", "reels", "explore", "stories", "accounts", "tv",
		"direct", "about", "developer", "legal",
	};
	size_t k;

	for (k = 0; k < RF_ARRAY_SIZE(paths); k++)
		if (strlen(paths[k]) == n &&
		    strncasecmp(name, paths[k], n) == 0)
			return true;
	return false;
}

/*
 * instagram.com/name and instagr.am/name (a link), viber://chat?number=
 * and viber://add?number= (a phone); returns the end or i + 1.
 */
static size_t
try_app_link(struct entity_list *l, const char *text, size_t len, size_t i)
{
	static const char *const insta[] = { "instagram.com/", "instagr.am/" };
	static const char *const viber[] = {
		"viber://chat?number=", "viber://add?number=",
		"viber://contact?number=",
	};
	size_t k, e, hl, d;

	if (i > 0 && is_alnum((unsigned char)text[i - 1]))
		return i + 1;
	for (k = 0; k < RF_ARRAY_SIZE(insta); k++) {
		struct buf b;

		hl = strlen(insta[k]);
		if (len - i < hl ||
		    lower_ascii((unsigned char)text[i + 1]) != insta[k][1] ||
		    strncasecmp(text + i, insta[k], hl) != 0)
			continue;
		e = i + hl;
		while (e < len && is_insta_char((unsigned char)text[e]))
			e++;
		while (e > i + hl && text[e - 1] == '.')
			e--;
		if (e - i - hl < 1 || e - i - hl > 30 ||
		    insta_reserved(text + i + hl, e - i - hl))
			return i + 1;
		buf_init(&b, 0);
		buf_addstr(&b, "instagram.com/");
		buf_add(&b, text + i + hl, e - i - hl);
		for (d = strlen("instagram.com/"); d < b.len; d++)
			b.data[d] = (char)lower_ascii((unsigned char)b.data[d]);
		add(l, ENTITY_LINK, buf_detach(&b, NULL), i, e);
		return e;
	}
	for (k = 0; k < RF_ARRAY_SIZE(viber); k++) {
		char *v;

		hl = strlen(viber[k]);
		if (len - i < hl ||
		    lower_ascii((unsigned char)text[i + 1]) != viber[k][1] ||
		    strncasecmp(text + i, viber[k], hl) != 0)
			continue;
		d = i + hl;
		if (len - d >= 3 && strncasecmp(text + d, "%2B", 3) == 0)
			d += 3;
		else if (d < len && text[d] == '+')
			d++;
		for (e = d; e < len && is_digit((unsigned char)text[e]); e++)
			;
		if (e < len && is_word_byte((unsigned char)text[e]))
			return i + 1;
		if ((v = phone_e164(text + d, e - d, true)))
			add(l, ENTITY_PHONE, v, i, e);
		return v ? e : i + 1;
	}
	return i + 1;
}

/*
 * Sorts l->items[from..] by start, keeping the order of equal starts. The
 * scan is left to right, but an e-mail is found at its '@' and starts
 * before a phone number in its local part ("87011234567@mail.ru").
 */
static void
sort_by_start(struct entity_list *l, size_t from)
{
	size_t i, j;

	for (i = from + 1; i < l->n; i++) {
		struct entity e = l->items[i];

		for (j = i; j > from && l->items[j - 1].start > e.start; j--)
			l->items[j] = l->items[j - 1];
		l->items[j] = e;
	}
}

void
entity_list_sort(struct entity_list *l)
{
	sort_by_start(l, 0);
}

/* Whether entities_find() may try anything at byte c (the branches of its
 * loop); at any other byte it goes on to the next. */
static bool
starts_entity(unsigned char c)
{
	static const unsigned char set[256] = {
		['@'] = 1, ['+'] = 1,
		['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
		['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
		['t'] = 1, ['w'] = 1, ['T'] = 1, ['W'] = 1,
		['i'] = 1, ['v'] = 1, ['I'] = 1, ['V'] = 1,
		[0xD0] = 1, [0xD1] = 1,
	};

	return set[c] != 0;
}

/*
 * Whether entities_find() tries anything at text[i], by that byte and the
 * one before: one of starts_entity(), but for a letter after an ASCII
 * letter or digit (try_labeled_handle wants no word byte before it,
 * try_link and try_app_link no letter or digit: each gives up at once)
 * and for a Cyrillic lead byte inside a word (only word starts are
 * tried). At any other byte the loop would go on to the next.
 */
static bool
tried_at(const char *text, size_t i)
{
	unsigned char c = (unsigned char)text[i];
	unsigned char b = i ? (unsigned char)text[i - 1] : ' ';

	if (!starts_entity(c))
		return false;
	if (c >= 'A' && is_alnum(b))
		return false;
	return !((c == 0xD0 || c == 0xD1) && is_word_byte(b));
}

#ifdef __SSE2__
/* Bytes of x that are ASCII letters or digits, as 0xFF. */
static __m128i
alnum_mask(__m128i x)
{
	__m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	__m128i a = _mm_sub_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)),
				 _mm_set1_epi8('a'));

	/* unsigned d <= 9, a <= 25: equal to their minimum with it */
	return _mm_or_si128(
		_mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d),
		_mm_cmpeq_epi8(_mm_min_epu8(a, _mm_set1_epi8(25)), a));
}

/* Bits of the 16 bytes at p (p[-1] readable) where tried_at() holds. */
static unsigned
tried_bits(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(p - 1));
	__m128i low = _mm_or_si128(x, _mm_set1_epi8(0x20));
	__m128i d = _mm_sub_epi8(x, _mm_set1_epi8('0'));
	__m128i digit = _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8(9)), d);
	__m128i any = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('@')),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8('+'))),
		digit);
	__m128i letter = _mm_or_si128(
		_mm_or_si128(_mm_cmpeq_epi8(low, _mm_set1_epi8('t')),
			     _mm_cmpeq_epi8(low, _mm_set1_epi8('w'))),
		_mm_or_si128(_mm_cmpeq_epi8(low, _mm_set1_epi8('i')),
			     _mm_cmpeq_epi8(low, _mm_set1_epi8('v'))));
	__m128i lead = _mm_cmpeq_epi8(_mm_and_si128(x, _mm_set1_epi8(-2)),
				      _mm_set1_epi8((char)0xD0));
	__m128i b_alnum = alnum_mask(b);
	/* a word byte: a letter, digit or '_' of ASCII, or any byte >= 0x80 */
	__m128i b_word = _mm_or_si128(
		_mm_or_si128(b_alnum,
			     _mm_cmpeq_epi8(b, _mm_set1_epi8('_'))),
		_mm_cmplt_epi8(b, _mm_setzero_si128()));

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(
		any, _mm_or_si128(_mm_andnot_si128(b_alnum, letter),
				  _mm_andnot_si128(b_word, lead))));
}

/* Bits of the 16 bytes at p that are no word byte. */
static unsigned
nonword_bits(const char *p)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i word = _mm_or_si128(
		_mm_or_si128(alnum_mask(x),
			     _mm_cmpeq_epi8(x, _mm_set1_epi8('_'))),
		_mm_cmplt_epi8(x, _mm_setzero_si128()));

	return ~(unsigned)_mm_movemask_epi8(word) & 0xFFFFu;
}
#endif

/* The first i >= from where tried_at() holds, or len. */
static size_t
next_tried(const char *text, size_t len, size_t from)
{
	size_t i = from;

	if (i == 0 && len > 0) {
		if (tried_at(text, 0))
			return 0;
		i = 1;
	}
#ifdef __SSE2__
	for (; i + 16 <= len; i += 16) {
		unsigned m = tried_bits(text + i);

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i < len; i++)
		if (tried_at(text, i))
			return i;
	return len;
}

/* The first i >= from where text[i] is no word byte, or len. */
static size_t
word_end(const char *text, size_t len, size_t from)
{
	size_t i = from;

#ifdef __SSE2__
	for (; i + 16 <= len; i += 16) {
		unsigned m = nonword_bits(text + i);

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i < len; i++)
		if (!is_word_byte((unsigned char)text[i]))
			return i;
	return len;
}

void
entities_find(struct entity_list *l, const char *text, size_t len)
{
	size_t i, next, from = l->n;

	/* from one byte that may start something to the next (tried_at) */
	for (i = next_tried(text, len, 0); i < len;
	     i = next_tried(text, len, next)) {
		unsigned char c = (unsigned char)text[i];

		if (c == '@') {
			next = try_at(l, text, len, i);
		} else if (c == '+' || is_digit(c)) {
			next = try_phone(l, text, len, i);
			/* "8 семьсот один ...": digits and words */
			if (next <= i)
				next = phone_words_try(l, text, len, i);
		} else if (c == 't' || c == 'w' || c == 'T' || c == 'W') {
			next = try_labeled_handle(l, text, len, i);
			if (next <= i)
				next = try_link(l, text, len, i);
		} else if (c == 'i' || c == 'v' || c == 'I' || c == 'V') {
			next = try_app_link(l, text, len, i);
		} else {
			/* a Cyrillic word (tried_at: at its start):
			 * "Телеграм: name", "восемь семь ноль ..."; only т
			 * and Т (D1 82, D0 A2) start a label */
			next = i;
			if (i + 1 < len && (text[i + 1] == '\x82' ||
					    text[i + 1] == '\xa2'))
				next = try_labeled_handle(l, text, len, i);
			if (next <= i)
				next = phone_words_try(l, text, len, i);
		}
		/* nothing there: skip the rest of a number or word */
		if (next <= i)
			next = word_end(text, len, i + 1);
	}
	sort_by_start(l, from);
}
