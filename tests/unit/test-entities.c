/* test-entities.c: phones, handles, links and e-mails found in text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "text/text.h"

/* text, then the expected "kind:value" list joined by spaces */
static const struct {
	const char *text;
	const char *want;
} cases[] = {
	{ "Звоните +7 701 123 45 67", "phone:+77011234567" },
	{ "тел. 8 (701) 123-45-67", "phone:+77011234567" },
	{ "8-701-123-45-67 или 87011234567", "phone:+77011234567" },
	{ "+996 555 12 34 56", "phone:+996555123456" },
	{ "+998 90 123 45 67", "phone:+998901234567" },
	{ "+992 93 123 4567", "phone:+992931234567" },
	{ "+993 65 12 34 56", "phone:+99365123456" },
	{ "+90 532 123 45 67", "phone:+905321234567" },
	{ "+971 50 123 4567", "phone:+971501234567" },
	{ "+82 10 1234 5678", "phone:+821012345678" },
	{ "701 123 45 67", "phone:+77011234567" },
	{ "Зарплата 300000 тенге, опыт 3 года", "" },
	{ "ИИН 123456789012 не телефон", "" },
	{ "+1 555 123 4567", "" },
	{ "пишите @Dubai_Jobs2024 в Telegram", "handle:@dubai_jobs2024" },
	{ "e-mail: HR@Example.kz.", "email:hr@example.kz" },
	{ "t.me/WorkAbroad и https://wa.me/77011234567",
	  "link:t.me/workabroad phone:+77011234567" },
	{ "@ab is too short", "" },
	{ "+7 701 123 45 67, +7 701 123 45 67", "phone:+77011234567" },
	{ "price 2024-2025", "" },
	/* found by fuzz-entities: letters made a "phone number" */
	{ "wa.me/9965551uit_kz wa.me/+77011234567x", "" },
};

static void
test_table(void **state)
{
	size_t i, j;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct entity_list l;
		struct buf got;

		entity_list_init(&l);
		buf_init(&got, 0);
		entities_find(&l, cases[i].text, strlen(cases[i].text));
		for (j = 0; j < l.n; j++)
			buf_addf(&got, "%s%s:%s", j ? " " : "",
				 entity_kind_name(l.items[j].kind),
				 l.items[j].value);
		if (strcmp(got.data, cases[i].want) != 0)
			print_error("case %zu: '%s'\n got: %s\nwant: %s\n", i,
				    cases[i].text, got.data, cases[i].want);
		assert_string_equal(got.data, cases[i].want);
		buf_release(&got);
		entity_list_release(&l);
	}
}

static void
test_offsets(void **state)
{
	struct entity_list l;
	const char *t = "тел: +7 701 123 45 67!";

	entity_list_init(&l);
	entities_find(&l, t, strlen(t));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].start, strlen("тел: "));
	assert_int_equal(l.items[0].end, strlen("тел: +7 701 123 45 67"));
	entity_list_release(&l);
}

/* A NUL byte is not part of an e-mail address (found by fuzz-entities:
 * it was, and ended the value early, even making it empty). */
static void
test_nul_byte(void **state)
{
	static const char t[] = "\0b@c.kz a\0d@example.kz";
	struct entity_list l;

	entity_list_init(&l);
	entities_find(&l, t, sizeof(t) - 1);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.items[0].value, "b@c.kz");
	assert_int_equal(l.items[0].start, 1);
	assert_string_equal(l.items[1].value, "d@example.kz");
	assert_int_equal(l.items[1].start, 10);
	entity_list_release(&l);
}

/* Entities come in order of appearance, even when an e-mail holds a
 * phone number (found by fuzz-entities: the e-mail came second). */
static void
test_order(void **state)
{
	static const char t[] = "пишите 7--87011234567@mail.ru";
	struct entity_list l;

	entity_list_init(&l);
	entities_find(&l, t, strlen(t));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].kind, ENTITY_EMAIL);
	assert_string_equal(l.items[0].value, "7--87011234567@mail.ru");
	assert_int_equal(l.items[1].kind, ENTITY_PHONE);
	assert_string_equal(l.items[1].value, "+77011234567");
	assert_true(l.items[0].start < l.items[1].start);
	entity_list_release(&l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
