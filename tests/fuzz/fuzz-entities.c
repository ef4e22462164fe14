/*
 * fuzz-entities.c: text/entities.h over any bytes. Every entity's
 * [start, end) must lie inside the text, entities come in order of
 * appearance, each value once and never empty, at most RF_ENTITIES_MAX of
 * them, in valid UTF-8 an entity starts and ends on character
 * boundaries (reports cut the text there), and each value has its kind's
 * shape: "+" and digits, "@" and a name, a lower-case address, a link,
 * an amount and a currency code, an age range. money_find() and
 * ages_find() run over the same bytes into the same list.
 */
#include <stdbool.h>
#include <string.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "text/text.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static bool
all_of(const char *s, const char *set)
{
	return *s && strspn(s, set) == strlen(s);
}

#define DIGITS "0123456789"
#define LOWER "abcdefghijklmnopqrstuvwxyz"

/* Whether v looks like a value of kind k. */
static bool
well_formed(enum entity_kind k, const char *v)
{
	const char *at;

	switch (k) {
	case ENTITY_PHONE:
		return v[0] == '+' && all_of(v + 1, DIGITS) &&
		       strlen(v + 1) >= 10 && strlen(v + 1) <= 13;
	case ENTITY_HANDLE:
		return v[0] == '@' && all_of(v + 1, LOWER DIGITS "_") &&
		       strlen(v + 1) >= 4 && strlen(v + 1) <= 32;
	case ENTITY_EMAIL:
		at = strchr(v, '@');
		return at && at > v && strchr(at + 1, '.') &&
		       all_of(at + 1, LOWER DIGITS ".-");
	case ENTITY_LINK:
		if (strncmp(v, "instagram.com/", 14) == 0)
			return all_of(v + 14, LOWER DIGITS "_.") &&
			       strlen(v + 14) <= 30;
		return strncmp(v, "t.me/", 5) == 0 &&
		       all_of(v + 5, LOWER DIGITS "_+");
	case ENTITY_MONEY:
		at = strchr(v, ' ');
		return at && at > v && strspn(v, DIGITS) == (size_t)(at - v) &&
		       strlen(at + 1) == 3 &&
		       strspn(at + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == 3;
	case ENTITY_AGE:
		at = strchr(v, '-');
		return at && strspn(v, DIGITS) == (size_t)(at - v) &&
		       strspn(at + 1, DIGITS) == strlen(at + 1) &&
		       strlen(v) > 1;
	}
	return false;
}

static bool
is_boundary(const uint8_t *data, size_t size, size_t off)
{
	return off == size || (data[off] & 0xC0) != 0x80;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct entity_list l;
	bool valid = utf8_valid(text, size, NULL);
	size_t i, j;

	entity_list_init(&l);
	entities_find(&l, text, size);
	money_find(&l, text, size);
	ages_find(&l, text, size);
	FUZZ_ASSERT(l.n <= RF_ENTITIES_MAX);
	for (i = 0; i < l.n; i++) {
		const struct entity *e = &l.items[i];

		FUZZ_ASSERT(e->start < e->end && e->end <= size);
		FUZZ_ASSERT(e->value && *e->value);
		if (!well_formed(e->kind, e->value)) {
			fprintf(stderr, "%s '%s'\n", entity_kind_name(e->kind),
				e->value);
			fuzz_fail(__FILE__, __LINE__, "well-formed value");
		}
		if (valid)
			FUZZ_ASSERT(is_boundary(data, size, e->start) &&
				    is_boundary(data, size, e->end));
		/* in order within what each finder appended */
		if (i > 0 && l.items[i - 1].kind == e->kind)
			FUZZ_ASSERT(l.items[i - 1].start <= e->start);
		for (j = 0; j < i; j++)
			FUZZ_ASSERT(l.items[j].kind != e->kind ||
				    strcmp(l.items[j].value, e->value) != 0);
	}
	entity_list_release(&l);
	return 0;
}
