/* test-extract.c: from input bytes to document fields (scanner/extract). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>

#include "common/buf.h"
#include "scanner/document.h"

static void
extract(struct document *d, const char *data, size_t len)
{
	document_init(d, "t");
	extract_document(d, data, len);
}

#define EXTRACT(d, s) extract((d), (s), strlen(s))

static void
test_html_visible_text(void **state)
{
	struct document d;

	EXTRACT(&d, "<!doctype html><html><head><title> Работа \n в Дубае "
		    "</title><style>p{color:red}</style><script>var x='hidden'"
		    ";</script></head><body><nav>Меню</nav><h1>Официантки</h1>"
		    "<p>Зарплата   от <b>3000$</b>,\nбез опыта.</p>"
		    "<noscript>включите JS</noscript><ul><li>виза</li>"
		    "<li>билеты</li></ul>&nbsp;&amp; всё</body></html>");
	assert_int_equal(d.status, DOC_OK);
	assert_int_equal(d.kind, KIND_HTML);
	assert_string_equal(d.title.data, "Работа в Дубае");
	assert_string_equal(d.body.data,
			    "Меню\nОфициантки\nЗарплата от 3000$, без опыта.\n"
			    "виза\nбилеты\n& всё");
	document_release(&d);
}

static void
test_html_title_from_h1(void **state)
{
	struct document d;

	EXTRACT(&d, "<html><body><h1>Повар <i>в кафе</i></h1><p>текст</p>"
		    "</body></html>");
	assert_true(d.has_title);
	assert_string_equal(d.title.data, "Повар в кафе");
	document_release(&d);
}

static void
test_text_and_kinds(void **state)
{
	struct document d;

	EXTRACT(&d, "Работа в Дубае\n\nзвоните +7 701 123 45 67\n\n");
	assert_int_equal(d.kind, KIND_TEXT);
	assert_false(d.has_title);
	assert_string_equal(d.body.data,
			    "Работа в Дубае\n\nзвоните +7 701 123 45 67");
	assert_int_equal(d.contacts.n, 1);
	assert_string_equal(d.contacts.items[0].value, "+77011234567");
	assert_string_equal(d.contacts_text.data, "+77011234567\n");
	document_release(&d);

	extract(&d, "MZ\0\0\x90" "binary", 11);
	assert_int_equal(d.status, DOC_ERROR);
	assert_string_equal(d.error, "binary file");
	document_release(&d);

	extract(&d, "", 0);
	assert_int_equal(d.status, DOC_EMPTY);
	document_release(&d);

	EXTRACT(&d, "  \n\t ");
	assert_int_equal(d.status, DOC_EMPTY);
	document_release(&d);

	EXTRACT(&d, "ok \xC3\x28 bad");
	assert_int_equal(d.status, DOC_ERROR);
	assert_string_equal(d.error, "invalid UTF-8 at byte 3");
	document_release(&d);
}

static void
test_html_declared_charset(void **state)
{
	struct document d;
	/* "Работа" in windows-1251 */
	const char page[] = "<html><head><meta charset=\"windows-1251\">"
			    "</head><body><p>\xD0\xE0\xE1\xEE\xF2\xE0</p>"
			    "</body></html>";

	EXTRACT(&d, page);
	assert_int_equal(d.status, DOC_OK);
	assert_string_equal(d.body.data, "Работа");
	document_release(&d);

	/* invalid UTF-8 with nothing declared is an error, not Latin-1 */
	EXTRACT(&d, "<html><body><p>\xD0\xE0\xE1</p></body></html>");
	assert_int_equal(d.status, DOC_ERROR);
	document_release(&d);
}

/* An unknown declared charset makes libxml2 pass undecodable bytes on;
 * the fields must still be valid UTF-8 (found by fuzz-extract). */
static void
test_html_unknown_charset_stays_utf8(void **state)
{
	struct document d;

	EXTRACT(&d, "<&\xbf" "charset=p");
	assert_int_not_equal(d.status, DOC_ERROR);
	assert_string_equal(d.body.data, "&\xEF\xBF\xBD" "charset=p");
	document_release(&d);
}

static void
test_html_blocked_and_empty(void **state)
{
	struct document d;

	EXTRACT(&d, "<html><head><script>document.location='/x'</script>"
		    "</head><body><script>challenge()</script></body></html>");
	assert_int_equal(d.status, DOC_BLOCKED);
	document_release(&d);

	EXTRACT(&d, "<html><head><meta http-equiv=\"refresh\" "
		    "content=\"0;url=/x\"></head><body></body></html>");
	assert_int_equal(d.status, DOC_BLOCKED);
	document_release(&d);

	EXTRACT(&d, "<html><body><div></div></body></html>");
	assert_int_equal(d.status, DOC_EMPTY);
	document_release(&d);
}

static void
test_html_deep_nesting(void **state)
{
	struct document d;
	struct buf page;
	int i;

	/* 300 levels: libxml2 without HUGE would drop the text below 256 */
	buf_init(&page, 0);
	buf_addstr(&page, "<html><body>");
	for (i = 0; i < 300; i++)
		buf_addstr(&page, "<div>");
	buf_addstr(&page, "виза оплачена");
	for (i = 0; i < 300; i++)
		buf_addstr(&page, "</div>");
	buf_addstr(&page, "</body></html>");
	extract(&d, page.data, page.len);
	assert_int_equal(d.status, DOC_OK);
	assert_string_equal(d.body.data, "виза оплачена");
	document_release(&d);
	buf_release(&page);
}

static void
test_html_very_deep_is_truncated(void **state)
{
	struct document d;
	struct buf page;
	int i;

	buf_init(&page, 0);
	buf_addstr(&page, "<html><body><p>top</p>");
	for (i = 0; i < 10000; i++)
		buf_addstr(&page, "<span>");
	buf_addstr(&page, "deep text");
	buf_addstr(&page, "</body></html>");
	extract(&d, page.data, page.len);
	/* either all the text, or a document that says it is partial */
	if (strstr(d.body.data, "deep text") == NULL)
		assert_int_equal(d.status, DOC_TRUNCATED);
	document_release(&d);
	buf_release(&page);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_visible_text),
		cmocka_unit_test(test_html_title_from_h1),
		cmocka_unit_test(test_text_and_kinds),
		cmocka_unit_test(test_html_declared_charset),
		cmocka_unit_test(test_html_unknown_charset_stays_utf8),
		cmocka_unit_test(test_html_blocked_and_empty),
		cmocka_unit_test(test_html_deep_nesting),
		cmocka_unit_test(test_html_very_deep_is_truncated),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
