/* test-extract.c: from input bytes to document fields (scanner/extract). */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <iconv.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "scanner/charset.h"
#include "scanner/document.h"
#include "scanner/profile.h"
#include "scanner/xmlarena.h"

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
	/* <nav> is page chrome: not the listing's text */
	assert_string_equal(d.body.data,
			    "Официантки\nЗарплата от 3000$, без опыта.\n"
			    "виза\nбилеты\n& всё");
	document_release(&d);
}

/*
 * Pages the flat path (events without a tree) hands to the tree: a
 * prefixed name, which the tree keeps without its prefix, and content
 * after the root's end. Read as the tree reads them.
 */
static void
test_html_read_as_the_tree(void **state)
{
	struct document d;

	/* <x:nav> is the tree's <nav>: page chrome */
	EXTRACT(&d, "<html><body><p>один</p><x:nav>меню</x:nav>"
		    "<x:p>два</x:p></body></html>");
	assert_int_equal(d.status, DOC_OK);
	assert_string_equal(d.body.data, "один\nдва");
	document_release(&d);
	/* after </html>: outside the page's <body> */
	EXTRACT(&d, "<!doctype html><html><body><p>один</p></body></html>"
		    "<p>после</p>");
	assert_int_equal(d.status, DOC_OK);
	assert_string_equal(d.body.data, "один");
	document_release(&d);
	/* a comment and a processing instruction are nodes of the tree:
	 * <main> with only a comment still has children */
	EXTRACT(&d, "<html><body><main>x<!--c--></main><p>a<?pi x?>b</p>"
		    "</body></html>");
	assert_string_equal(d.body.data, "x");
	document_release(&d);
	(void)state;
}

/* The text of pieces as the sink collapses it: white space (' ', tab,
 * newline, U+00A0) between words as one space, none at the ends. */
static void
collapse(const char *s, struct buf *out)
{
	bool space = false;
	size_t i = 0, n = strlen(s);

	while (i < n) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r') {
			space = true;
			i++;
		} else if (s[i] == '\xC2' && s[i + 1] == '\xA0') {
			space = true;
			i += 2;
		} else if (s[i] == '<') {
			/* a tag of the pieces: no text, no break */
			while (s[i] != '>')
				i++;
			i++;
		} else {
			if (space && out->len)
				buf_addch(out, ' ');
			space = false;
			buf_addch(out, s[i++]);
		}
	}
}

/* The next number of a small linear congruential sequence (15 bits). */
static uint32_t
next_random(uint32_t *r)
{
	*r = *r * 1103515245u + 12345u;
	return *r >> 16;
}

/* text made anew of n pieces drawn at random */
static void
random_text(struct buf *text, const char *const *pieces, size_t npieces,
	    int n, uint32_t *r)
{
	int k;

	buf_reset(text);
	for (k = 0; k < n; k++)
		buf_addstr(text, pieces[next_random(r) % npieces]);
}

static void
test_html_white_space_collapsed(void **state)
{
	/* words, white space of each kind and runs of it, a C2 that is not
	 * white space (libxml2 drops bytes below ' ' but tab, newline and
	 * CR), and text split by an inline element; long enough that the
	 * sink's blocks of 16 bytes end at every kind of byte */
	static const char *const pieces[] = {
		"слово", "ab", "abcdefghijklmno", " ", " ", " ", "  ", "\t",
		"\n", "\xC2\xA0", "\xC2\xA9", "x", "<i>y</i>",
		"\xE2\x80\x94", "\xF0\x9F\x98\x80", "\r\n",
	};
	struct buf page, text, want;
	struct document d;
	uint32_t r = 12345;
	int round;

	buf_init(&page, 0);
	buf_init(&text, 0);
	buf_init(&want, 0);
	for (round = 0; round < 400; round++) {
		buf_reset(&want);
		random_text(&text, pieces, RF_ARRAY_SIZE(pieces),
			    round % 40 + 1, &r);
		collapse(text.data, &want);
		buf_reset(&page);
		buf_addf(&page, "<html><body><p>%s</p></body></html>",
			 text.data);
		extract(&d, page.data, page.len);
		if (!want.len) {
			assert_int_equal(d.status, DOC_EMPTY);
		} else {
			assert_int_equal(d.status, DOC_OK);
			assert_string_equal(d.body.data, want.data);
		}
		document_release(&d);
	}
	buf_release(&page);
	buf_release(&text);
	buf_release(&want);
	(void)state;
}

/*
 * collapse() with what the pieces of test_html_nodes_collapsed() add:
 * "&nbsp;" is white space, "&amp;" a '&', a comment splits a text node
 * and adds nothing, and "</p><p>" is a break between blocks (a newline
 * between words, none at the ends).
 */
static void
collapse_blocks(const char *s, struct buf *out)
{
	bool space = false, newline = false;
	size_t i = 0;

	while (s[i]) {
		if (strncmp(s + i, "</p><p>", 7) == 0) {
			newline = true;
			i += 7;
		} else if (s[i] == '<') {
			while (s[i] != '>')
				i++;
			i++;
		} else if (strncmp(s + i, "&nbsp;", 6) == 0) {
			space = true;
			i += 6;
		} else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
			   s[i] == '\r') {
			space = true;
			i++;
		} else if (s[i] == '\xC2' && s[i + 1] == '\xA0') {
			space = true;
			i += 2;
		} else {
			if (out->len && (newline || space))
				buf_addch(out, newline ? '\n' : ' ');
			space = newline = false;
			if (strncmp(s + i, "&amp;", 5) == 0) {
				buf_addch(out, '&');
				i += 5;
			} else {
				buf_addch(out, s[i++]);
			}
		}
	}
}

/*
 * The sink's blocks of 16 bytes read past the end of a text node into the
 * next one's bytes (or the zeros after the page's text), so the pieces
 * here split the text into nodes at every kind of byte: comments,
 * entities, inline elements, breaks between blocks, and words of 15, 16
 * and 17 bytes and two-byte letters to move where blocks end. The same
 * text is the title's (a node followed by the body's) and the body's,
 * after a run of a random length to move the body's start in the page's
 * text.
 */
static void
test_html_nodes_collapsed(void **state)
{
	static const char *const pieces[] = {
		"<!---->", "&nbsp;", "&amp;", "<b>", "</b>", "</p><p>", "é",
		"abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnopq",
		"ж", "x", " ", " ", "  ", "\t", "\n", "\xC2\xA0",
		"\xC2\xA0\xC2\xA0", " \xC2\xA0", "\xC2\xA9", "\xE2\x80\x94",
		"\xF0\x9F\x98\x80", "\r\n", "a b c d e f g h i j ",
	};
	struct buf page, text, title, want, want_title;
	struct document d;
	uint32_t r = 54321;
	int round, k, lead;

	buf_init(&page, 0);
	buf_init(&text, 0);
	buf_init(&title, 0);
	buf_init(&want, 0);
	buf_init(&want_title, 0);
	for (round = 0; round < 600; round++) {
		buf_reset(&want);
		buf_reset(&want_title);
		random_text(&text, pieces, RF_ARRAY_SIZE(pieces),
			    round % 60 + 1, &r);
		lead = (int)(next_random(&r) % 33);
		collapse_blocks(text.data, &want);
		/* no blocks in a title: its breaks are white space */
		buf_reset(&title);
		for (k = 0; text.data[k]; k++) {
			if (strncmp(text.data + k, "</p><p>", 7) == 0) {
				buf_addch(&title, ' ');
				k += 6;
			} else {
				buf_addch(&title, text.data[k]);
			}
		}
		collapse_blocks(title.data, &want_title);
		buf_reset(&page);
		buf_addf(&page, "<html><head><title>%s</title></head><body>"
			 "<p>%.*s</p><p>%s</p></body></html>", title.data, lead,
			 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy", text.data);
		extract(&d, page.data, page.len);
		if (!lead && !want.len) {
			assert_int_equal(d.status, DOC_EMPTY);
			document_release(&d);
			continue;
		}
		assert_int_equal(d.status, DOC_OK);
		assert_string_equal(d.title.data, want_title.data);
		buf_reset(&title);
		if (lead)
			buf_addf(&title, "%.*s", lead,
				 "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy");
		if (lead && want.len)
			buf_addch(&title, '\n');
		buf_add(&title, want.data, want.len);
		assert_string_equal(d.body.data, title.data);
		document_release(&d);
	}
	buf_release(&page);
	buf_release(&text);
	buf_release(&title);
	buf_release(&want);
	buf_release(&want_title);
	(void)state;
}

/* Whether two documents of one input are the same in what is printed. */
static void
assert_same_document(const struct document *a, const struct document *b,
		     const char *page)
{
	if (a->status != b->status || strcmp(a->body.data, b->body.data) ||
	    strcmp(a->title.data, b->title.data) ||
	    a->has_title != b->has_title ||
	    strcmp(a->contacts_text.data, b->contacts_text.data) ||
	    strcmp(a->lang ? a->lang : "", b->lang ? b->lang : "") ||
	    strcmp(a->note ? a->note : "", b->note ? b->note : "") ||
	    (a->structured != b->structured) ||
	    strcmp(a->employer ? a->employer : "",
		   b->employer ? b->employer : "")) {
		print_error("differ on page: %s\nheld: [%s] [%s] %d\n"
			    "as is: [%s] [%s] %d\n", page, a->title.data,
			    a->body.data, (int)a->status, b->title.data,
			    b->body.data, (int)b->status);
		fail();
	}
}

/*
 * Pages read from a skeleton, their runs of text set aside, against the
 * same pages read as they are: random pages of markup and text meant to
 * trip the reading of the markup (quotes, comments, doctypes, scripts,
 * references, marks' own bytes, a '<' as text, runs at the size limit).
 */
static void
test_html_held_as_is(void **state)
{
	static const char *const markup[] = {
		"<p>", "</p>", "<div class=\"vacancy\">", "</div>", "<b>",
		"</b>", "<br>", "<h1>", "</h1>", "<main>", "</main>",
		"<article>", "</article>", "<nav>", "</nav>", "<title>",
		"</title>", "<head>", "</head>", "<body>", "</body>",
		"<html>", "</html>", "<!-- c -->", "<!-- a > b -->",
		"<!DOCTYPE html>", "<?pi x?>",
		"<script>var a = '<p>x</p>';</script>",
		"<SCRIPT type=\"application/ld+json\">", "</script>",
		"<style>p>b{}</style>", "<script/>", "<div title=\"a > b\">",
		"<a href=x>", "<p class=cookie-banner>", "<x:p>", "</x:p>",
		"<span id=\"a'b\" role=main>", "<td>", "<table>", "</table>",
		"<textarea>", "</textarea>", "&amp;", "&nbsp;", "&#1078;",
		"&рубль;", "&amp", "</html>\n", "</body></html>  \n\n",
		"</p >", "<br/>", "<img alt='a>b'>",
	};
	/* markup that the reading of the markup may get wrong, or that
	 * keeps a page from being held */
	static const char *const odd_markup[] = {
		"<!--", "-->", "<!DOCTYPE html PUBLIC \"a>b\" \"c\">",
		"<script>", "<style>", "<div title='x\">", "<div a\"b>",
		"<", "</", "< p>", "<1>", ">", "&", "&#xE000;", "&#57345;",
		"&#x0000E005;", "&#xE00", "\"", "'", "=", "<!DOCTYPE x [ <",
		"<p =\"\" '>", "<?", "<!", "<a b='", "<script", "</script",
	};
	static const char *const text[] = {
		"Требуется официант", " в Дубай, ", "виза и билеты ",
		"зарплата от 3000$ ", "+7 (701) 123-45-67", " a@b.kz ",
		" ", "  ", "\n", "\t", "\r\n", "\xC2\xA0", "x", "ab",
		"abcdefg", "abcdefgh", "abcdefghi", "\xE2\x80\x94",
		"\xF0\x9F\x98\x80", "{\"@type\":\"JobPosting\","
		"\"title\":\"Повар\"}",
	};
	/* text of bytes that libxml2 reads apart, or that keep a page from
	 * being held ("\0" stands for a NUL byte) */
	static const char *const odd_text[] = {
		"\x01", "\x7F", "\r", "\xEE\x80\x81", "\xEF\xBB\xBF",
		"\xEF\xBF\xBD", "\xFF", "\xD0", "\0", "\x0C",
	};
	struct buf page, long_run;
	struct document held, as_is;
	uint32_t r = 2026;
	size_t nheld, nup, held0, up0;
	int round, k, n;

	buf_init(&page, 0);
	buf_init(&long_run, 0);
	extract_hold_counts(&held0, &up0);
	for (round = 0; round < 4000; round++) {
		buf_reset(&page);
		if (round % 3 == 0)
			buf_addstr(&page, "<!doctype html><html><head><title>"
				   "Повар</title></head><body>");
		n = (int)(next_random(&r) % 40) + 1;
		for (k = 0; k < n; k++) {
			uint32_t c = next_random(&r);

			if (c % 97 == 0) {
				buf_addstr(&page, odd_markup[next_random(&r) %
					   RF_ARRAY_SIZE(odd_markup)]);
			} else if (c % 89 == 1) {
				const char *t = odd_text[next_random(&r) %
					RF_ARRAY_SIZE(odd_text)];

				buf_add(&page, t, *t ? strlen(t) : 1);
			} else if (c % 3 == 0) {
				buf_addstr(&page, markup[next_random(&r) %
						   RF_ARRAY_SIZE(markup)]);
			} else if (c % 29 == 2) {
				/* a run about libxml2's chunk of text */
				size_t want = 900 + next_random(&r) % 200;

				buf_reset(&long_run);
				while (long_run.len < want)
					buf_addstr(&long_run, "ж");
				buf_add(&page, long_run.data,
					want & 1 ? want - 1 : want);
			} else {
				buf_addstr(&page, text[next_random(&r) %
						       RF_ARRAY_SIZE(text)]);
			}
		}
		if (round % 3 == 0)
			buf_addstr(&page, "</body></html>\n");
		extract_set_hold(true);
		extract(&held, page.data, page.len);
		extract_set_hold(false);
		extract(&as_is, page.data, page.len);
		extract_set_hold(true);
		assert_same_document(&held, &as_is, page.data);
		document_release(&held);
		document_release(&as_is);
	}
	extract_hold_counts(&nheld, &nup);
	nheld -= held0;
	nup -= up0;
	/* most pages were held, and most of those read from the skeleton
	 * (none, with a libxml2 the skeleton is not made for) */
	if (extract_hold_supported()) {
		assert_true(nheld > 1500);
		assert_true(nup < nheld / 2);
	} else {
		assert_int_equal(nheld, 0);
	}
	buf_release(&page);
	buf_release(&long_run);
	(void)state;
}

/* CPU seconds extract_document() takes over page, held or not. */
static double
time_extract(const struct buf *page, bool hold)
{
	struct document d;
	clock_t t0;
	double t;

	extract_set_hold(hold);
	t0 = clock();
	extract(&d, page->data, page->len);
	t = (double)(clock() - t0) / CLOCKS_PER_SEC;
	extract_set_hold(true);
	assert_int_equal(d.status, DOC_OK);
	document_release(&d);
	return t;
}

/*
 * Setting the runs aside costs no more than a pass or two over the page:
 * declarations and processing instructions that never end, one after
 * another ("<!<!<!..."), are read once, not once each (they took
 * minutes for half a megabyte, where libxml2 takes milliseconds).
 */
static void
test_html_held_linear(void **state)
{
	static const char *const units[] = {
		"<!", "<?x ", "<!x<?", "<!DOCTYPE a\u0436 ",
	};
	struct buf page;
	double held, as_is;
	size_t i;

	buf_init(&page, 0);
	for (i = 0; i < RF_ARRAY_SIZE(units); i++) {
		buf_reset(&page);
		buf_addstr(&page, "<html><body><p>Требуется официант</p>");
		while (page.len < ((size_t)512 << 10))
			buf_addstr(&page, units[i]);
		buf_addstr(&page, "></body></html>\n");
		as_is = time_extract(&page, false);
		held = time_extract(&page, true);
		assert_true(held < 10 * as_is + 1.0);
	}
	buf_release(&page);
	(void)state;
}

static void
test_main_content(void **state)
{
	struct document d;

	/* the listing's container wins; chrome and related blocks go */
	EXTRACT(&d, "<html><head><title>Повар — Доска</title></head><body>"
		    "<div class=\"cookie-banner\">Мы используем cookie</div>"
		    "<header class=\"site-header\"><nav>Главная</nav></header>"
		    "<main><article><header><h1>Повар</h1></header>"
		    "<p>Кафе ищет повара.</p>"
		    "<div class=\"similar-ads\">Работа в Дубае от 3000$</div>"
		    "<footer>Опубликовано вчера</footer></article></main>"
		    "<aside class=\"related\">Девушки 18-25 в ОАЭ</aside>"
		    "<footer class=\"site-footer\">Не платите предоплату"
		    "</footer></body></html>");
	assert_string_equal(d.title.data, "Повар");
	assert_string_equal(d.body.data,
			    "Повар\nКафе ищет повара.\nОпубликовано вчера");
	document_release(&d);

	/* no container: the body without chrome */
	EXTRACT(&d, "<html><body><div id=\"menu\">Вход</div>"
		    "<div class=\"content\"><h2>Водитель</h2><p>Нужен водитель."
		    "</p></div><div class=\"recommended-jobs\">Хостес в Турцию"
		    "</div><footer>© Доска</footer></body></html>");
	assert_string_equal(d.body.data, "Водитель\nНужен водитель.");
	document_release(&d);

	/* several articles (an index page): none is the listing */
	EXTRACT(&d, "<html><body><article><p>Первое</p></article>"
		    "<article><p>Второе</p></article></body></html>");
	assert_string_equal(d.body.data, "Первое\nВторое");
	document_release(&d);

	/* schema.org microdata marks the listing */
	EXTRACT(&d, "<html><body><div>Шапка сайта</div><div itemscope "
		    "itemtype=\"https://schema.org/JobPosting\"><h1>Сварщик"
		    "</h1><p>Вахта 15/15.</p></div></body></html>");
	assert_string_equal(d.title.data, "Сварщик");
	assert_string_equal(d.body.data, "Сварщик\nВахта 15/15.");
	document_release(&d);
}

static void
test_view_source(void **state)
{
	struct document d;

	/* a view-source tab saved as a page: the escaped markup is read */
	EXTRACT(&d, "<html><body><pre>&lt;!DOCTYPE html&gt;&lt;html&gt;"
		    "&lt;head&gt;&lt;title&gt;Вакансия&lt;/title&gt;&lt;/head&gt;"
		    "&lt;body&gt;&lt;p&gt;Работа&lt;/p&gt;&lt;/body&gt;&lt;/html&gt;"
		    "</pre></body></html>");
	assert_string_equal(d.title.data, "Вакансия");
	assert_string_equal(d.body.data, "Работа");
	assert_non_null(d.note);
	document_release(&d);
}

static void
test_jsonld(void **state)
{
	struct document d;
	struct buf page;
	int i;

	/* the JobPosting is preferred; related vacancies do not leak; the
	 * visible page's phone is kept */
	EXTRACT(&d, "<html><head><title>Сайт</title><script type=\"application"
		    "/ld+json\">{\"@context\":\"https://schema.org\",\"@graph\":"
		    "[{\"@type\":\"WebPage\"},{\"@type\":\"JobPosting\","
		    "\"title\":\"Сварщик\",\"description\":\"<p>Вахта 15/15,"
		    " <b>официально</b>.</p>\",\"datePosted\":\"2024-09-01\","
		    "\"hiringOrganization\":{\"@type\":\"Organization\","
		    "\"name\":\"ТОО Сварка\"},\"jobLocation\":{\"address\":"
		    "{\"addressLocality\":\"Атырау\",\"addressCountry\":\"KZ\"}"
		    "},\"baseSalary\":{\"currency\":\"KZT\",\"value\":{"
		    "\"minValue\":400000,\"maxValue\":500000,\"unitText\":"
		    "\"MONTH\"}}}]}</script></head><body><p>Сварщик, тел. "
		    "+7 701 000 11 22</p><div class=\"related-vacancies\">"
		    "Хостес в Дубай, билеты за счёт</div></body></html>");
	assert_string_equal(d.title.data, "Сварщик");
	assert_string_equal(d.body.data, "Вахта 15/15, официально.");
	assert_string_equal(d.employer, "ТОО Сварка");
	assert_string_equal(d.location, "Атырау, KZ");
	assert_string_equal(d.salary, "400000-500000 KZT per MONTH");
	assert_string_equal(d.posted, "2024-09-01");
	assert_string_equal(d.structured, "json-ld");
	assert_int_equal(d.contacts.n, 1);
	assert_string_equal(d.contacts.items[0].value, "+77010001122");
	document_release(&d);

	/* malformed or other JSON-LD: the visible text stands */
	EXTRACT(&d, "<html><body><script type=\"application/ld+json\">"
		    "{\"@type\":\"JobPosting\",</script><p>Текст</p>"
		    "</body></html>");
	assert_string_equal(d.body.data, "Текст");
	assert_null(d.structured);
	document_release(&d);

	/* nesting past the cap is not followed */
	buf_init(&page, 0);
	buf_addstr(&page, "<html><body><script type=\"application/ld+json\">");
	for (i = 0; i < 5000; i++)
		buf_addch(&page, '[');
	buf_addstr(&page, "</script><p>Видимый текст</p></body></html>");
	extract(&d, page.data, page.len);
	assert_string_equal(d.body.data, "Видимый текст");
	document_release(&d);
	buf_release(&page);
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
	struct entity_list ents;

	EXTRACT(&d, "Работа в Дубае\n\nзвоните +7 701 123 45 67\n\n");
	assert_int_equal(d.kind, KIND_TEXT);
	assert_false(d.has_title);
	assert_string_equal(d.body.data,
			    "Работа в Дубае\n\nзвоните +7 701 123 45 67");
	assert_int_equal(d.contacts.n, 1);
	assert_string_equal(d.contacts.items[0].value, "+77011234567");
	assert_string_equal(d.contacts_text.data, "+77011234567\n");
	document_release(&d);

	/* money and ages, with offsets into the body, when asked */
	EXTRACT(&d, "Девушки 18-25 лет\nзарплата от 3000$");
	entity_list_init(&ents);
	document_entities(&d, &ents);
	assert_int_equal(ents.n, 2);
	assert_int_equal(ents.items[0].kind, ENTITY_AGE);
	assert_int_equal(ents.items[0].age_min, 18);
	assert_int_equal(ents.items[0].age_max, 25);
	assert_int_equal(ents.items[0].start, strlen("Девушки "));
	assert_int_equal(ents.items[1].kind, ENTITY_MONEY);
	assert_int_equal(ents.items[1].amount, 3000);
	assert_string_equal(ents.items[1].currency, "USD");
	assert_memory_equal(d.body.data + ents.items[1].start, "3000$", 5);
	entity_list_release(&ents);
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

	/* undeclared legacy bytes are detected and converted, never an
	 * error; an undecodable byte becomes U+FFFD and is counted */
	EXTRACT(&d, "ok \xC3\x28 bad");
	assert_int_equal(d.status, DOC_OK);
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

	/* a page that declares windows-1251 but is UTF-8 is read as UTF-8 */
	EXTRACT(&d, "<html><head><meta http-equiv=\"Content-Type\" "
		    "content=\"text/html; charset=windows-1251\"></head>"
		    "<body><p>Работа</p></body></html>");
	assert_string_equal(d.body.data, "Работа");
	assert_string_equal(d.charset_source, "utf-8");
	document_release(&d);
}

/* A paragraph written for this test, long enough for detection. */
static const char russian[] =
	"Требуются официантки и администраторы в новое кафе. Работа посменно, "
	"график два через два, зарплата выплачивается два раза в месяц. "
	"Обучение за счёт компании, дружный коллектив, удобное расположение "
	"рядом с метро. Опыт работы в общепите приветствуется, но не "
	"обязателен. Звоните с девяти до шести, спросить управляющую.";

/* iconv from UTF-8 to cs, by the same library the code under test uses */
static size_t
to_charset(const char *cs, const char *in, char *out, size_t size)
{
	iconv_t cd = iconv_open(cs, "UTF-8");
	char *ip = (char *)(uintptr_t)in, *op = out;
	size_t il = strlen(in), ol = size;

	assert_true(cd != (iconv_t)-1);
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	iconv_close(cd);
	return size - ol;
}

static void
test_legacy_charsets(void **state)
{
	static const char *const charsets[] = {
		"WINDOWS-1251", "KOI8-R", "IBM866", "MACCYRILLIC", "ISO-8859-5",
	};
	char raw[4096], page[8192];
	size_t i, n;
	struct document d;

	for (i = 0; i < sizeof(charsets) / sizeof(charsets[0]); i++) {
		/* declared in <meta>: taken as declared */
		n = (size_t)snprintf(page, sizeof(page),
				     "<html><head><meta charset=\"%s\">"
				     "</head><body><p>", charsets[i]);
		n += to_charset(charsets[i], russian, page + n,
				sizeof(page) - n - 32);
		memcpy(page + n, "</p></body></html>", 19);
		extract(&d, page, n + 18);
		assert_string_equal(d.body.data, russian);
		assert_string_equal(d.charset_source, "meta");
		document_release(&d);

		/* undeclared text: detected */
		n = to_charset(charsets[i], russian, raw, sizeof(raw));
		extract(&d, raw, n);
		if (strcmp(d.body.data, russian) != 0)
			print_error("%s detected as %s\n", charsets[i],
				    d.charset);
		assert_string_equal(d.body.data, russian);
		assert_string_equal(d.charset_source, "detected");
		document_release(&d);
	}
}

static void
test_bom_and_xml_declaration(void **state)
{
	struct document d;
	char page[256];
	size_t n;

	/* UTF-16LE with a BOM: not binary despite its NUL bytes */
	n = to_charset("UTF-16LE", "<p>Виза</p>", page + 2, sizeof(page) - 2);
	page[0] = '\xFF';
	page[1] = '\xFE';
	extract(&d, page, n + 2);
	assert_int_equal(d.status, DOC_OK);
	assert_string_equal(d.body.data, "Виза");
	assert_string_equal(d.charset_source, "bom");
	document_release(&d);

	n = (size_t)snprintf(page, sizeof(page),
			     "<?xml version=\"1.0\" encoding=\"koi8-r\"?>"
			     "<html><body><p>");
	n += to_charset("KOI8-R", "Виза", page + n, sizeof(page) - n - 20);
	memcpy(page + n, "</p></body></html>", 19);
	extract(&d, page, n + 18);
	assert_string_equal(d.body.data, "Виза");
	assert_string_equal(d.charset_source, "xml");
	document_release(&d);

	/* an HTTP charset (from a WARC) wins over <meta> */
	n = (size_t)snprintf(page, sizeof(page), "<html><head><meta "
			     "charset=\"iso-8859-5\"></head><body><p>");
	n += to_charset("KOI8-R", "Виза", page + n, sizeof(page) - n - 20);
	memcpy(page + n, "</p></body></html>", 19);
	document_init(&d, "t");
	d.http_charset = "KOI8-R";
	extract_document(&d, page, n + 18);
	assert_string_equal(d.body.data, "Виза");
	assert_string_equal(d.charset_source, "http");
	document_release(&d);
}

/* A conversion stops at the output's cap: buf storage grows in powers of
 * two, past the cap, and iconv used to fill all of it. */
static void
test_charset_cap(void **state)
{
	char page[400];
	struct charset_result res;
	struct buf out;
	size_t n, cap;
	enum rf_err err;

	(void)state;
	n = to_charset("windows-1251", "Требуются работники в Дубай, "
		       "зарплата 3000 USD. Жильё бесплатно. Требуются "
		       "работники в Дубай.", page, sizeof(page));
	for (cap = 1; cap < 2 * n + 8; cap++) {
		buf_init(&out, cap);
		err = charset_to_utf8(page, n, "windows-1251", false, &out,
				      &res);
		assert_true(out.len <= cap);
		assert_true(err == RF_OK || err == RF_ETOOBIG);
		assert_true(utf8_valid(out.data, out.len, NULL));
		buf_release(&out);
	}
}

/* An unknown declared charset makes libxml2 pass undecodable bytes on;
 * the fields must still be valid UTF-8 (found by fuzz-extract). */
static void
test_html_unknown_charset_stays_utf8(void **state)
{
	struct document d;

	/* a charset label no converter knows is ignored, never an error,
	 * and the text that comes out is valid UTF-8 */
	EXTRACT(&d, "<&\xbf" "charset=p");
	assert_int_not_equal(d.status, DOC_ERROR);
	assert_true(utf8_valid(d.body.data, d.body.len, NULL));
	assert_non_null(strstr(d.body.data, "charset="));
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

/*
 * Text past the field's cap is cut after a word, with no separator at the
 * end: words of 7 letters, whose separator after the last that fits is
 * the cap's last byte.
 */
static void
test_html_cut_at_cap_after_word(void **state)
{
	struct document d;
	struct buf page;
	size_t i;

	buf_init(&page, RF_FIELD_MAX_BYTES + 4096);
	buf_addstr(&page, "<html><body><p>");
	for (i = 0; i < RF_FIELD_MAX_BYTES / 8 + 64; i++)
		buf_addstr(&page, "abcdefg ");
	buf_addstr(&page, "</p></body></html>");
	assert_false(buf_failed(&page));
	extract(&d, page.data, page.len);
	assert_int_equal(d.status, DOC_TRUNCATED);
	assert_true(d.body.len <= RF_FIELD_MAX_BYTES);
	assert_true(d.body.len > RF_FIELD_MAX_BYTES - 16);
	assert_int_equal(d.body.data[d.body.len - 1], 'g');
	assert_int_equal(d.body.len % 8, 7);
	document_release(&d);
	buf_release(&page);
	(void)state;
}

/* A profile set from text, through a temporary file; NULL with err
 * filled when it does not load. */
static struct profile_set *
profiles_from(const char *text, struct buf *err)
{
	char path[] = "/tmp/test-extract-XXXXXX";
	int fd = mkstemp(path);
	struct profile_set *ps = profile_set_new();
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	if (profile_set_load(ps, path, err) != RF_OK) {
		profile_set_free(ps);
		ps = NULL;
	}
	unlink(path);
	return ps;
}

struct first {
	struct document d;
	bool seen;
};

/* Keeps a copy of what the first document says. */
static void
keep_first(struct document *d, void *arg)
{
	struct first *f = arg;

	if (f->seen)
		return;
	f->seen = true;
	f->d = *d;
	/* take d's heap parts: the caller's release then frees nothing */
	document_init(d, "");
}

static void
extract_with(struct first *f, const struct profile_set *ps, const char *url,
	     const char *page)
{
	memset(f, 0, sizeof(*f));
	extract_documents("t", url, NULL, ps, page, strlen(page), keep_first,
			  f);
	assert_true(f->seen);
}

static const char profile_page[] =
	"<html><head><title>Доска</title></head><body>"
	"<div class=\"t\">  Водитель   категории C </div>"
	"<div class=\"txt\"><p>Нужен водитель.</p><p>Вахта 15/15.</p>"
	"<div class=\"ad\">Реклама</div></div>"
	"<ul class=\"c\"><li>Алматы</li><li>Медеу</li></ul>"
	"<span class=\"p\" data-v=\" 300 000 \">договорная</span>"
	"</body></html>";

static void
test_profile_fields(void **state)
{
	struct buf err;
	struct profile_set *ps;
	struct first f;

	buf_init(&err, 0);
	ps = profiles_from(
		"# a comment\n"
		"[profile one]\n"
		"url = ^https://one\\.example/\n"
		"title = //div[@class='t']\n"
		"body = //div[@class='txt']/p | //ul[@class='c']\n"
		"location = //ul[@class='c']/li\n"
		"salary = string(//span[@class='p']/@data-v)\n"
		"employer = //div[@class='none']\n"
		"drop = //div[@class='ad']\n", &err);
	assert_non_null(ps);
	assert_int_equal(profile_set_count(ps), 1);
	assert_null(profile_set_match(ps, "https://two.example/"));
	assert_string_equal(profile_name(profile_set_match(ps,
				"https://one.example/ad/1")), "one");

	extract_with(&f, ps, "https://one.example/ad/1", profile_page);
	assert_string_equal(f.d.profile.name, "one");
	assert_string_equal(f.d.title.data, "Водитель категории C");
	/* each selected node on its own line; blocks inside as usual */
	assert_string_equal(f.d.body.data,
			    "Нужен водитель.\nВахта 15/15.\nАлматы\nМедеу");
	/* one line for a short field */
	assert_string_equal(f.d.location, "Алматы Медеу");
	assert_string_equal(f.d.salary, "300 000");
	assert_null(f.d.employer);
	assert_int_equal(f.d.profile.missed, 1u << DOC_FIELD_EMPLOYER);
	assert_int_equal(f.d.profile.fields,
			 (1u << DOC_FIELD_TITLE) | (1u << DOC_FIELD_BODY) |
			 (1u << DOC_FIELD_LOCATION) | (1u << DOC_FIELD_SALARY));
	assert_true(f.d.lang_fields & (1u << DOC_FIELD_TITLE));
	assert_int_equal(f.d.field_lang[DOC_FIELD_BODY], LANG_RU);
	document_release(&f.d);

	/* another URL: the heuristic, which keeps the advertising */
	extract_with(&f, ps, "https://two.example/ad/1", profile_page);
	assert_null(f.d.profile.name);
	assert_non_null(strstr(f.d.body.data, "Реклама"));
	document_release(&f.d);

	/* no URL and no canonical link: no profile */
	extract_with(&f, ps, NULL, profile_page);
	assert_null(f.d.profile.name);
	document_release(&f.d);
	profile_set_free(ps);
	buf_release(&err);
}

static void
test_profile_errors(void **state)
{
	struct buf err;
	struct profile_set *ps;
	struct first f;

	buf_init(&err, 0);
	/* load time: file:line for each problem, nothing added */
	assert_null(profiles_from("[profile a]\nurl = x\ntitle = //h1[\n"
				  "salary = count(\nwhat = //p\n"
				  "[profile a]\nurl = y\nbody = //p\n", &err));
	assert_non_null(strstr(err.data, ":3: title: bad XPath '//h1['"));
	assert_non_null(strstr(err.data, ":4: salary: bad XPath"));
	assert_non_null(strstr(err.data, ":5: unknown key 'what'"));
	assert_non_null(strstr(err.data, ":6: profile 'a' declared twice"));
	buf_reset(&err);
	assert_null(profiles_from("url = x\n", &err));
	assert_non_null(strstr(err.data, ":1: 'url' outside a [profile"));
	buf_reset(&err);
	assert_null(profiles_from("[profile b]\ntitle = //h1\n", &err));
	assert_non_null(strstr(err.data, ":1: profile 'b' has no url"));
	buf_reset(&err);
	assert_null(profiles_from("# nothing\n", &err));
	assert_non_null(strstr(err.data, "no [profile NAME] section"));
	/* the line syntax (common/ini.c), each message with its line */
	buf_reset(&err);
	assert_null(profiles_from("[profile d\n[profile]\n[profiles e]\n"
				  "[profile f g]\n[profile h]\nurl\n"
				  "title =\n", &err));
	assert_non_null(strstr(err.data, ":1: bad section line: expected "
					 "[profile NAME]"));
	assert_non_null(strstr(err.data, ":2: unknown section [profile]: "));
	assert_non_null(strstr(err.data, ":3: unknown section [profiles e]"));
	assert_non_null(strstr(err.data, ":4: bad profile name 'f g'"));
	assert_non_null(strstr(err.data, ":6: expected 'key = value'"));
	assert_non_null(strstr(err.data, ":7: 'title' has no value"));

	/* run time: a function the load-time probe did not reach is an
	 * error on the page, and the field falls back */
	buf_reset(&err);
	ps = profiles_from("[profile c]\nurl = .\n"
			   "title = //div[nosuch()]\n", &err);
	assert_non_null(ps);
	extract_with(&f, ps, "https://c.example/", profile_page);
	assert_string_equal(f.d.title.data, "Доска");
	assert_int_equal(f.d.profile.missed, 1u << DOC_FIELD_TITLE);
	assert_non_null(f.d.profile.error);
	assert_non_null(strstr(f.d.profile.error, "unknown function"));
	document_release(&f.d);
	profile_set_free(ps);

	/* the canonical link chooses when there is no URL */
	ps = profiles_from("[profile d]\nurl = ^https://d\\.example/\n"
			   "title = //h1\n", &err);
	assert_non_null(ps);
	extract_with(&f, ps, NULL, "<html><head><link rel=\"Canonical "
		     "alternate\" href=\" https://d.example/x \"></head>"
		     "<body><h1>Заголовок</h1><p>Текст</p></body></html>");
	assert_string_equal(f.d.profile.name, "d");
	assert_string_equal(f.d.title.data, "Заголовок");
	document_release(&f.d);
	profile_set_free(ps);
	buf_release(&err);
}

/* ---- scanner/xmlarena ---- */

static htmlDocPtr
parse_html(const char *s)
{
	return htmlReadMemory(s, (int)strlen(s), NULL, "UTF-8",
			      HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
			      HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

/* The text of the first <p> of doc, which the caller frees. */
static char *
first_p(htmlDocPtr doc)
{
	xmlNode *n = xmlDocGetRootElement(doc);
	xmlChar *t;
	char *s;

	while (n && !(n->type == XML_ELEMENT_NODE &&
		      strcmp((const char *)n->name, "p") == 0))
		n = n->children ? n->children : n->next;
	assert_non_null(n);
	t = xmlNodeGetContent(n);
	s = strdup((const char *)t);
	xmlFree(t);
	return s;
}

static void
fill(unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed);
}

static bool
filled(const unsigned char *p, size_t n, unsigned seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (unsigned char)(i * 7 + seed))
			return false;
	return true;
}

static void
test_xml_arena_blocks(void **state)
{
	struct xml_arena a;
	unsigned char *before, *p, *q, *big;
	char *dup;
	int i;

	(void)state;
	before = xmlMalloc(100);	/* from malloc(), freed in the arena */
	fill(before, 100, 1);
	xml_arena_init(&a);
	p = xmlMalloc(40);
	fill(p, 40, 2);
	/* the newest block grows where it is */
	q = xmlRealloc(p, 1000);
	assert_ptr_equal(q, p);
	assert_true(filled(q, 40, 2));
	fill(q, 1000, 3);
	/* another block after it: it moves, and keeps its bytes */
	dup = xmlMemStrdup("arena");
	p = xmlRealloc(q, 3000);
	assert_ptr_not_equal(p, q);
	assert_true(filled(p, 1000, 3));
	assert_string_equal(dup, "arena");
	/* past the size taken from an arena: from malloc(), bytes kept */
	big = xmlRealloc(p, (size_t)1 << 20);
	assert_true(filled(big, 1000, 3));
	assert_true(filled(before, 100, 1));
	before = xmlRealloc(before, 5000);
	assert_true(filled(before, 100, 1));
	xmlFree(big);
	xmlFree(before);
	xmlFree(dup);
	/* more than one chunk */
	for (i = 0; i < 2000; i++) {
		p = xmlMalloc(100 + (size_t)i);
		fill(p, 100 + (size_t)i, (unsigned)i);
		assert_true(filled(p, 100 + (size_t)i, (unsigned)i));
	}
	assert_true(a.bytes > ((size_t)64 << 10));
	xml_arena_release(&a);
	assert_null(a.chunks);
	/* and malloc() again after it */
	p = xmlMalloc(10);
	xmlFree(p);
}

static void
test_xml_arena_nested_trees(void **state)
{
	struct xml_arena outer, inner;
	htmlDocPtr a, b;
	char *s;

	(void)state;
	xml_arena_init(&outer);
	a = parse_html("<html><body><p>outer &amp; text</p></body></html>");
	xml_arena_init(&inner);
	b = parse_html("<p>inner</p><p>two");
	s = first_p(b);
	assert_string_equal(s, "inner");
	free(s);
	/* a node of the outer tree freed while the inner arena is
	 * current */
	xmlFreeDoc(b);
	xml_arena_release(&inner);
	s = first_p(a);
	assert_string_equal(s, "outer & text");
	free(s);
	xmlFreeDoc(a);
	xml_arena_release(&outer);
}

static void
test_xml_arena_last_error(void **state)
{
	struct xml_arena a;
	xmlDocPtr doc;
	const xmlError *e;

	(void)state;
	xml_arena_init(&a);
	/* an error libxml2 keeps for the thread, with strings from the
	 * arena */
	doc = xmlReadMemory("<a><b></a>", 10, "arena.xml", NULL,
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeDoc(doc);
	xml_arena_release(&a);
	e = xmlGetLastError();
	assert_true(e == NULL || e->message == NULL);
	/* the next error frees the one before, which must not be the
	 * arena's */
	doc = xmlReadMemory("<a><b></a>", 10, "malloc.xml", NULL,
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeDoc(doc);
	e = xmlGetLastError();
	assert_non_null(e);
	assert_string_equal(e->file, "malloc.xml");
	xmlResetLastError();
}

static void *
arena_thread(void *arg)
{
	bool with_arena = arg != NULL;
	int i, bad = 0;

	for (i = 0; i < 300; i++) {
		struct xml_arena a;
		htmlDocPtr doc;
		char *s;

		if (with_arena)
			xml_arena_init(&a);
		doc = parse_html("<div class=x><p>работа за рубежом</p>"
				 "<img src=a alt=b><p>два</div>");
		s = first_p(doc);
		bad += strcmp(s, "работа за рубежом") != 0;
		free(s);
		xmlFreeDoc(doc);
		if (with_arena)
			xml_arena_release(&a);
	}
	return (void *)(intptr_t)bad;
}

static void
test_xml_arena_threads(void **state)
{
	pthread_t t[3];
	void *bad;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&t[i], NULL, arena_thread,
						i < 2 ? &t[i] : NULL), 0);
	for (i = 0; i < 3; i++) {
		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_null(bad);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_html_visible_text),
		cmocka_unit_test(test_html_title_from_h1),
		cmocka_unit_test(test_main_content),
		cmocka_unit_test(test_html_read_as_the_tree),
		cmocka_unit_test(test_html_white_space_collapsed),
		cmocka_unit_test(test_html_nodes_collapsed),
		cmocka_unit_test(test_html_held_as_is),
		cmocka_unit_test(test_html_held_linear),
		cmocka_unit_test(test_jsonld),
		cmocka_unit_test(test_view_source),
		cmocka_unit_test(test_text_and_kinds),
		cmocka_unit_test(test_html_declared_charset),
		cmocka_unit_test(test_legacy_charsets),
		cmocka_unit_test(test_bom_and_xml_declaration),
		cmocka_unit_test(test_charset_cap),
		cmocka_unit_test(test_html_unknown_charset_stays_utf8),
		cmocka_unit_test(test_html_blocked_and_empty),
		cmocka_unit_test(test_html_deep_nesting),
		cmocka_unit_test(test_html_very_deep_is_truncated),
		cmocka_unit_test(test_html_cut_at_cap_after_word),
		cmocka_unit_test(test_profile_fields),
		cmocka_unit_test(test_profile_errors),
		cmocka_unit_test(test_xml_arena_blocks),
		cmocka_unit_test(test_xml_arena_nested_trees),
		cmocka_unit_test(test_xml_arena_last_error),
		cmocka_unit_test(test_xml_arena_threads),
	};
	int rc;

	xmlInitParser();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
