/* entities.c: a single left-to-right pass that finds contacts in text. */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/xmalloc.h"
#include "text/text.h"
#include "common/banned.h"

const char *
entity_kind_name(enum entity_kind k)
{
	static const char *const names[] = {
		"phone", "handle", "email", "link", "money",
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

/* Takes value. */
static void
add(struct entity_list *l, enum entity_kind kind, char *value, size_t start,
    size_t end)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (l->items[i].kind == kind &&
		    strcmp(l->items[i].value, value) == 0) {
			free(value);
			return;
		}
	}
	if (l->n >= RF_ENTITIES_MAX) {
		free(value);
		return;
	}
	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	l->items[l->n].kind = kind;
	l->items[l->n].value = value;
	l->items[l->n].start = start;
	l->items[l->n].end = end;
	l->n++;
}

static bool
is_word_byte(unsigned char c)
{
	return isalnum(c) || c == '_' || c >= 0x80;
}

static bool
is_handle_char(unsigned char c)
{
	return isalnum(c) || c == '_';
}

static bool
is_email_local(unsigned char c)
{
	/* strchr() finds the terminating NUL too */
	return isalnum(c) || (c && strchr("._%+-", c));
}

static bool
is_domain_char(unsigned char c)
{
	return isalnum(c) || c == '.' || c == '-';
}

static char *
lower_dup(const char *s, size_t n)
{
	char *v = xmemdupz(s, n);
	size_t i;

	for (i = 0; i < n; i++)
		v[i] = (char)tolower((unsigned char)v[i]);
	return v;
}

/* Country codes of the region, longest first (INDICATORS.md). */
static const char *const country_codes[] = {
	"996", "998", "992", "993", "971", "90", "82", "7",
};

/*
 * Normalizes the digits of a phone-like run to E.164, or returns NULL
 * when it does not look like a phone number of the region.
 */
static char *
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

		if (isdigit(c)) {
			if (nd >= sizeof(digits) - 1)
				return i;
			digits[nd++] = (char)c;
			last = j + 1;
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

static size_t
try_link(struct entity_list *l, const char *text, size_t len, size_t i)
{
	static const char *const hosts[] = { "t.me/", "wa.me/" };
	size_t k, e, hl;

	for (k = 0; k < RF_ARRAY_SIZE(hosts); k++) {
		hl = strlen(hosts[k]);
		if (len - i < hl || strncasecmp(text + i, hosts[k], hl) != 0)
			continue;
		if (i > 0 && isalnum((unsigned char)text[i - 1]))
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
				if (!isdigit((unsigned char)text[j]))
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
entities_find(struct entity_list *l, const char *text, size_t len)
{
	size_t i = 0, next, from = l->n;

	while (i < len) {
		unsigned char c = (unsigned char)text[i];

		next = i + 1;
		if (c == '@')
			next = try_at(l, text, len, i);
		else if (c == '+' || isdigit(c))
			next = try_phone(l, text, len, i);
		else if (c == 't' || c == 'w' || c == 'T' || c == 'W')
			next = try_link(l, text, len, i);
		if (next <= i) {
			/* skip the rest of a number or word */
			next = i + 1;
			while (next < len &&
			       is_word_byte((unsigned char)text[next]))
				next++;
		}
		i = next;
	}
	sort_by_start(l, from);
}
