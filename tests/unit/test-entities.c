/* test-entities.c: phones, handles, links, e-mails, money and ages found
 * in text. */
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
	/* a Telegram name written bare after a label */
	{ "Telegram: HR_Asia_Support7", "handle:@hr_asia_support7" },
	{ "Пишите в Телеграм \xe2\x80\x94 dubai_jobs",
	  "handle:@dubai_jobs" },
	{ "тг: dubai_jobs, ТГ - work_uae", "handle:@dubai_jobs "
	  "handle:@work_uae" },
	{ "telegram channel dubai_jobs", "" },
	{ "Telegram: abc", "" },
	{ "Telegram: 12345678", "" },
	{ "mytg: dubai_jobs", "" },
	{ "t.me/WorkAbroad и https://wa.me/77011234567",
	  "link:t.me/workabroad phone:+77011234567" },
	{ "@ab is too short", "" },
	{ "+7 701 123 45 67, +7 701 123 45 67", "phone:+77011234567" },
	{ "price 2024-2025", "" },
	/* where the loop looks (entities.c, tried_at): a link right after
	 * a Kazakh letter is one (a word of Russian letters is skipped
	 * whole), after an ASCII letter none; a number word inside a word
	 * starts nothing */
	{ "ұt.me/WorkAbroad", "link:t.me/workabroad" },
	{ "пишитеt.me/WorkAbroad", "" },
	{ "xt.me/WorkAbroad ewa.me/x_y_z xinstagram.com/name", "" },
	{ "подвосемь ноль ноль ноль один два три четыре пять шесть семь",
	  "" },
	{ "восемь ноль ноль ноль один два три четыре пять шесть семь",
	  "phone:+70001234567" },
	{ "at the end of a long line, past sixteen bytes: t.me/WorkAbroad",
	  "link:t.me/workabroad" },
	/* found by fuzz-entities: letters made a "phone number" */
	{ "wa.me/9965551uit_kz wa.me/+77011234567x", "" },
	/* obfuscated: O for 0 (Latin and Cyrillic), dots */
	{ "звони 8 7O1 123 45 67", "phone:+77011234567" },
	{ "тел 8(7ОО)123-45-67", "phone:+77001234567" },
	{ "+7.701.123.45.67", "phone:+77011234567" },
	{ "+996 555 12 34 56 Ольга", "phone:+996555123456" },
	{ "5Ольга 1О", "" },
	/* spelled out in Russian */
	{ "восемь семь ноль один один два три четыре пять шесть семь",
	  "phone:+77011234567" },
	{ "Звоните: Восемь, семьсот один, сто двадцать три, сорок пять, "
	  "шестьдесят семь!", "phone:+77011234567" },
	{ "плюс семь семьсот один 123 45 67", "phone:+77011234567" },
	{ "8 семьсот один 123 45 67", "phone:+77011234567" },
	{ "плюс девятьсот девяносто шесть пятьсот пятьдесят пять "
	  "двенадцать тридцать четыре пятьдесят шесть",
	  "phone:+996555123456" },
	{ "восемь семь ноль один один два три четыре пять шесть семь, "
	  "два дня", "phone:+77011234567" },
	{ "две смены по двенадцать часов, семь дней", "" },
	{ "сто двадцать три", "" },
	/* the first three letters let a word be read: words of three
	 * letters at the end, capitals, ё, words that start like them */
	{ "ВОСЕМЬ СЕМЬ НОЛЬ ОДИН ОДИН ДВА ТРИ ЧЕТЫРЕ ПЯТЬ ШЕСТЬ Два",
	  "phone:+77011234562" },
	{ "восёмь сёмь ноль один один два три четыре пять шесть сто",
	  "" },
	{ "восемь семь ноль один один два три четыре пять шесть три",
	  "phone:+77011234563" },
	{ "восемь семь ноль один один два три четыре пять шесть трое",
	  "" },
	/* Viber and Instagram */
	{ "viber://chat?number=%2B77011234567", "phone:+77011234567" },
	{ "viber://add?number=996555123456", "phone:+996555123456" },
	{ "https://www.instagram.com/Dubai.Jobs_1/ и instagr.am/p/abc",
	  "link:instagram.com/dubai.jobs_1" },
};

/* money_find(): text, then the expected values */
static const struct {
	const char *text;
	const char *want;
} money_cases[] = {
	{ "Зарплата 300 000 тенге", "money:300000 KZT" },
	{ "от 3000$ в месяц", "money:3000 USD" },
	{ "$2,500 per month", "money:2500 USD" },
	{ "USD 1500 + бонусы", "money:1500 USD" },
	{ "оплата 150 тыс. руб.", "money:150000 RUB" },
	{ "50к руб в неделю", "money:50000 RUB" },
	{ "50k$", "money:50000 USD" },
	{ "1,5 млн сум", "money:1500000 UZS" },
	{ "maosh 5 000 000 so'm", "money:5000000 UZS" },
	{ "maosh 5 000 000 soʻm", "money:5000000 UZS" },
	{ "oyiga 4 000 000 som", "money:4000000 UZS" },
	{ "5 000 000 somsa", "" },
	{ "25000 сом", "money:25000 KGS" },
	{ "3000 сомонӣ", "money:3000 TJS" },
	{ "2000 manat", "money:2000 TMT" },
	{ "4000 AED", "money:4000 AED" },
	{ "3000 дирхамов", "money:3000 AED" },
	{ "€1.200", "money:1200 EUR" },
	{ "1 200 евро", "money:1200 EUR" },
	{ "₩3,000,000", "money:3000000 KRW" },
	{ "45 000 лир", "money:45000 TRY" },
	{ "5000₽", "money:5000 RUB" },
	{ "200 000 ₸", "money:200000 KZT" },
	{ "2000-3000 $", "money:2000 USD money:3000 USD" },
	{ "2–3 тыс. долларов", "money:2000 USD money:3000 USD" },
	{ "от 2000 до 3000 $", "money:2000 USD money:3000 USD" },
	{ "От 150 до 300 тыс. тенге", "money:150000 KZT money:300000 KZT" },
	{ "from 100 to 200 USD", "money:100 USD money:200 USD" },
	/* "до" without "от" before the first number is no range */
	{ "смена 5 до 300 $", "money:300 USD" },
	{ "работа от 5 домов 300 $", "money:300 USD" },
	{ "$9.99", "money:9 USD" },
	{ "5000 р-н", "" },
	{ "опыт 3 года, 300 000 человек", "" },
	{ "ИИН123456 тенге", "" },
	{ "к 9 утра, 50 к 100", "" },
};

/* ages_find() */
static const struct {
	const char *text;
	const char *want;
} age_cases[] = {
	{ "Девушки 18-25 лет", "age:18-25" },
	{ "девушки 18–25", "age:18-25" },
	{ "Требуются девушки от 18 до 35", "age:18-35" },
	{ "в возрасте от 20 до 40 лет", "age:20-40" },
	{ "до 30 лет", "age:-30" },
	{ "не старше 28", "age:-28" },
	{ "от 18 лет", "age:18-" },
	{ "18 лет и старше", "age:18-" },
	{ "age 18-25", "age:18-25" },
	{ "girls aged 18 to 25", "age:18-25" },
	{ "18-25 years old", "age:18-25" },
	{ "Age: 18+", "age:18-" },
	{ "қыздар 18-25 жас", "age:18-25" },
	{ "18 жастан 25 жасқа дейін", "age:18-25" },
	{ "25 жасқа дейін", "age:-25" },
	{ "кыздар 18-25 жаш", "age:18-25" },
	{ "qizlar 18-25 yosh", "age:18-25" },
	{ "18 yoshdan 25 yoshgacha", "age:18-25" },
	{ "30 yoshgacha", "age:-30" },
	{ "18 yoshdan oshgan", "age:18-" },
	{ "18-25 yaş arası", "age:18-25" },
	{ "Приглашаем девушек (возраст: до 25)", "age:-25" },
	{ "Возраст от 20, опыт не нужен", "age:20-" },
	{ "опыт работы от 3 до 20 лет", "" },
	{ "стаж от 15 лет", "" },
	{ "кредит до 20 лет", "" },
	{ "с 9 до 18 часов", "" },
	{ "от 18 до 35 тысяч", "" },
	{ "вес от 45 до 60 кг", "" },
	{ "2024-2025", "" },
};

typedef void (*find_fn)(struct entity_list *, const char *, size_t);

static void
check_case(find_fn fn, size_t i, const char *text, const char *want)
{
	struct entity_list l;
	struct buf got;
	size_t j;

	entity_list_init(&l);
	buf_init(&got, 0);
	fn(&l, text, strlen(text));
	for (j = 0; j < l.n; j++) {
		buf_addf(&got, "%s%s:%s", j ? " " : "",
			 entity_kind_name(l.items[j].kind), l.items[j].value);
		assert_true(l.items[j].start < l.items[j].end);
		assert_true(l.items[j].end <= strlen(text));
	}
	if (strcmp(got.data, want) != 0)
		print_error("case %zu: '%s'\n got: %s\nwant: %s\n", i, text,
			    got.data, want);
	assert_string_equal(got.data, want);
	buf_release(&got);
	entity_list_release(&l);
}

static void
test_money(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(money_cases) / sizeof(money_cases[0]); i++)
		check_case(money_find, i, money_cases[i].text,
			   money_cases[i].want);
}

static void
test_ages(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(age_cases) / sizeof(age_cases[0]); i++)
		check_case(ages_find, i, age_cases[i].text, age_cases[i].want);
}

/* The numbers behind the values, and the spans of the text. */
static void
test_money_fields(void **state)
{
	struct entity_list l;
	const char *t = "оплата: 1,5 млн сум и $300";

	(void)state;
	entity_list_init(&l);
	money_find(&l, t, strlen(t));
	assert_int_equal(l.n, 2);
	assert_int_equal(l.items[0].amount, 1500000);
	assert_string_equal(l.items[0].currency, "UZS");
	assert_int_equal(l.items[0].start, strlen("оплата: "));
	assert_int_equal(l.items[0].end, strlen("оплата: 1,5 млн сум"));
	assert_int_equal(l.items[1].amount, 300);
	assert_string_equal(l.items[1].currency, "USD");
	assert_int_equal(l.items[1].start, strlen("оплата: 1,5 млн сум и "));
	entity_list_release(&l);

	entity_list_init(&l);
	t = "Девушки до 25 лет";
	ages_find(&l, t, strlen(t));
	assert_int_equal(l.n, 1);
	assert_int_equal(l.items[0].age_min, ENTITY_AGE_OPEN);
	assert_int_equal(l.items[0].age_max, 25);
	assert_int_equal(l.items[0].start, strlen("Девушки "));
	assert_int_equal(l.items[0].end, strlen(t));
	entity_list_release(&l);
}

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
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_ages),
		cmocka_unit_test(test_money_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
