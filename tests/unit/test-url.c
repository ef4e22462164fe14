/*
 * test-url.c: unit tests of crawler/url (resolve, normalise, host,
 * registrable domain, trap filter) and crawler/addr (the SSRF address
 * classifier). Resolution cases include RFC 3986 section 5.4.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"
#include "common/xmalloc.h"
#include "crawler/addr.h"
#include "crawler/url.h"

/* An expected result: a string, or an error when out is NULL. */
struct url_case {
	const char *in;
	const char *out;
	enum rf_err err;
};

/* Compares a function's result with c, printing the case when they differ. */
static void
check_result(const struct url_case *c, enum rf_err err, char *got)
{
	bool ok = c->out ? err == RF_OK && got && strcmp(got, c->out) == 0
			 : err == c->err && !got;

	if (!ok) {
		print_error("\"%s\": got %s (%s), expected %s (%s)\n", c->in,
			    got ? got : "NULL", rf_strerror(err),
			    c->out ? c->out : "NULL", rf_strerror(c->err));
		fail();
	}
	free(got);
}

static const struct url_case normalize_cases[] = {
	/* case, default port, dot segments, fragment */
	{ "HTTP://Example.COM:80/a/./b/../c?x=1#frag",
	  "http://example.com/a/c?x=1" },
	{ "http://example.com", "http://example.com/" },
	{ "https://example.com:443/", "https://example.com/" },
	{ "http://example.com:443/", "http://example.com:443/" },
	{ "https://example.com:80/", "https://example.com:80/" },
	{ "http://example.com:8080", "http://example.com:8080/" },
	{ "http://example.com/#", "http://example.com/" },
	{ "http://example.com/?", "http://example.com/" },
	{ "http://example.com/../../a", "http://example.com/a" },
	{ "http://example.com/a/b/..", "http://example.com/a/" },
	{ "http://example.com/a/b/.", "http://example.com/a/b/" },
	{ "http://example.com/a//b", "http://example.com/a//b" },
	{ "HTTPS://EXAMPLE.COM/A/B", "https://example.com/A/B" },
	/* percent-encoding */
	{ "http://example.com/%7euser/%2fx", "http://example.com/~user/%2Fx" },
	{ "http://example.com/%41%42%43", "http://example.com/ABC" },
	{ "http://example.com/a%2db%5fc%2Ed%7e",
	  "http://example.com/a-b_c.d~" },
	{ "http://example.com/%e2%82%ac", "http://example.com/%E2%82%AC" },
	{ "http://example.com/\xe2\x82\xac", "http://example.com/%E2%82%AC" },
	{ "http://example.com/a b", "http://example.com/a%20b" },
	{ "http://example.com/a/%2e%2e/b", "http://example.com/b" },
	{ "http://example.com/a/%2E/b", "http://example.com/a/b" },
	{ "http://example.com/a\"b<c>", "http://example.com/a%22b%3Cc%3E" },
	{ "http://example.com/a|b^c`d{e}",
	  "http://example.com/a%7Cb%5Ec%60d%7Be%7D" },
	{ "http://example.com/%zz%4", "http://example.com/%zz%4" },
	{ "http://example.com/%25", "http://example.com/%25" },
	/* a decoded hex digit must not complete a lone '%' (found by
	 * fuzz-url: "%E%62" became "%Eb", then "%EB") */
	{ "http://example.com/%E%62", "http://example.com/%E%62" },
	{ "http://example.com/%%45%46", "http://example.com/%%45F" },
	{ "http://example.com/%%7E%41", "http://example.com/%~A" },
	{ "http://example.com/?q=%a%61", "http://example.com/?q=%a%61" },
	{ "http://example.com/?q=a b", "http://example.com/?q=a%20b" },
	{ "http://example.com/?q=%d0%b2", "http://example.com/?q=%D0%B2" },
	{ "  http://example.com/a\n\tb  ", "http://example.com/ab" },
	/* query parameters: order kept, tracking and sessions gone */
	{ "http://example.com/?utm_source=x&utm_medium=y",
	  "http://example.com/" },
	{ "http://example.com/list?page=2&utm_campaign=z",
	  "http://example.com/list?page=2" },
	{ "http://example.com/list?b=2&a=1&fbclid=abc",
	  "http://example.com/list?b=2&a=1" },
	{ "http://example.com/?gclid=1&q=%D0%B2&yclid=2&_openstat=3",
	  "http://example.com/?q=%D0%B2" },
	{ "http://example.com/?UTM_Source=x&q=1", "http://example.com/?q=1" },
	{ "http://example.com/?utm%5Fsource=x&q=1",
	  "http://example.com/?q=1" },
	{ "http://example.com/?utm_=x&utm=1", "http://example.com/?utm=1" },
	{ "http://example.com/?jsessionid=1&PHPSESSID=2&sid=3&sessionid=4"
	  "&id=5",
	  "http://example.com/?id=5" },
	{ "http://example.com/?sidebar=1&fbclid",
	  "http://example.com/?sidebar=1" },
	{ "http://example.com/?a=1&&b=2&", "http://example.com/?a=1&b=2" },
	{ "http://example.com/?q=a+b&x", "http://example.com/?q=a+b&x" },
	{ "http://example.com/?page=2&page=3",
	  "http://example.com/?page=2&page=3" },
	/* session ids as path parameters */
	{ "http://example.com/p;jsessionid=ABC123?x=1",
	  "http://example.com/p?x=1" },
	{ "http://example.com/p;JSESSIONID=ABC123/q",
	  "http://example.com/p/q" },
	{ "http://example.com/p;v=1;jsessionid=ABC;w=2",
	  "http://example.com/p;v=1;w=2" },
	{ "http://example.com/p;jsession=1",
	  "http://example.com/p;jsession=1" },
	/* hosts */
	{ "http://EXAMPLE.com./", "http://example.com./" },
	{ "http://user:pw@Example.com/", "http://user:pw@example.com/" },
	{ "http://[::1]:8080/x", "http://[::1]:8080/x" },
	{ "http://0x7f.1/", "http://127.0.0.1/" },
	{ "http://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80"
	  "\xd1\x84/\xd0\xbf\xd1\x83\xd1\x82\xd1\x8c",
	  "http://\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80"
	  "\xd1\x84/%D0%BF%D1%83%D1%82%D1%8C" },
	{ "http://XN--E1AFMKFD.xn--p1ai/", "http://xn--e1afmkfd.xn--p1ai/" },
	/* refused */
	{ "ftp://example.com/", NULL, RF_EINVAL },
	{ "mailto:a@b.c", NULL, RF_EINVAL },
	{ "javascript:alert(1)", NULL, RF_EINVAL },
	{ "data:text/html,hi", NULL, RF_EINVAL },
	{ "file:///etc/passwd", NULL, RF_EINVAL },
	{ "example.com/a", NULL, RF_EINVAL },
	{ "/relative/path", NULL, RF_EINVAL },
	{ "http://", NULL, RF_EINVAL },
	/* as browsers read it */
	{ "http:///a", "http://a/" },
	{ "http://a.com:99999/", NULL, RF_EINVAL },
	{ "http://a b.com/", NULL, RF_EINVAL },
	/* hosts curl decodes to bytes no name holds (found by fuzz-url:
	 * their normal form did not parse back to itself) */
	{ "http://%7Ftp/", NULL, RF_EINVAL },
	{ "http:/%7Ftp:///h/H%2", NULL, RF_EINVAL },
	{ "http://a%25b/", NULL, RF_EINVAL },
	{ "http://a%2525b/", NULL, RF_EINVAL },
	{ "http://a%41b%5F~/", "http://aab_~/" },
	/* decoded before curl reads a numeric host: "4" is 0.0.0.4 */
	{ "http://%34", "http://0.0.0.4/" },
	{ "http:/%34", "http://0.0.0.4/" },
	{ "http://%31%32%37.1/x", "http://127.0.0.1/x" },
	{ "http://u%3Ax@%68.kz/", "http://u%3Ax@h.kz/" },
	{ "", NULL, RF_EINVAL },
};

static void
test_normalize(void **state)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(normalize_cases); i++) {
		char *got = NULL;
		enum rf_err err = url_normalize(normalize_cases[i].in, NULL,
						&got);

		check_result(&normalize_cases[i], err, got);
	}
}

/* Normalising twice changes nothing. */
static void
test_normalize_idempotent(void **state)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(normalize_cases); i++) {
		const char *once = normalize_cases[i].out;
		char *twice = NULL;

		if (!once)
			continue;
		assert_int_equal(url_normalize(once, NULL, &twice), RF_OK);
		assert_string_equal(twice, once);
		free(twice);
	}
}

static void
test_normalize_opts(void **state)
{
	static const char *const mine[] = { "ref", "from*", NULL };
	static const char *const none[] = { NULL };
	struct url_norm_opts opts = { 0 };
	char *got = NULL;

	/* file: only when asked for */
	opts.allow_file = true;
	assert_int_equal(url_normalize("file:///srv/./jobs/../seeds%2etxt",
				       &opts, &got),
			 RF_OK);
	assert_string_equal(got, "file:///srv/seeds.txt");
	free(got);
	/* curl refuses a drive letter, but only before dot segments go
	 * (found by fuzz-url: the normal form did not parse again) */
	assert_int_equal(url_normalize("file:/../o://bytc/pa", &opts, &got),
			 RF_EINVAL);
	assert_null(got);
	assert_int_equal(url_normalize("file:///a/../C:/x", &opts, &got),
			 RF_EINVAL);
	assert_int_equal(url_normalize("file:///a/../C:x", &opts, &got),
			 RF_OK);
	assert_string_equal(got, "file:///C:x");
	free(got);

	/* a list of our own replaces the default; session ids still go */
	opts.tracking_params = mine;
	assert_int_equal(url_normalize("http://a.kz/?ref=1&utm_source=2"
				       "&fromx=3&q=4&sid=5",
				       &opts, &got),
			 RF_OK);
	assert_string_equal(got, "http://a.kz/?utm_source=2&q=4");
	free(got);

	opts.tracking_params = none;
	assert_int_equal(url_normalize("http://a.kz/?utm_source=2&fbclid=1",
				       &opts, &got),
			 RF_OK);
	assert_string_equal(got, "http://a.kz/?utm_source=2&fbclid=1");
	free(got);
}

static void
test_normalize_caps(void **state)
{
	struct buf b;
	char dummy = 0, *got = &dummy;

	/* a normalised URL over RF_URL_MAX_BYTES */
	buf_init(&b, 0);
	assert_int_equal(buf_addstr(&b, "http://example.com/"), RF_OK);
	while (b.len <= RF_URL_MAX_BYTES)
		assert_int_equal(buf_addch(&b, 'a'), RF_OK);
	assert_int_equal(url_normalize(b.data, NULL, &got), RF_ETOOBIG);
	assert_null(got);

	/* a long input that shrinks below it is fine */
	buf_reset(&b);
	assert_int_equal(buf_addstr(&b, "http://example.com/?fbclid="), RF_OK);
	while (b.len < 3 * RF_URL_MAX_BYTES)
		assert_int_equal(buf_addch(&b, 'x'), RF_OK);
	assert_int_equal(url_normalize(b.data, NULL, &got), RF_OK);
	assert_string_equal(got, "http://example.com/");
	free(got);

	/* input over RF_URL_INPUT_MAX_BYTES */
	while (b.len <= RF_URL_INPUT_MAX_BYTES)
		assert_int_equal(buf_addch(&b, 'x'), RF_OK);
	assert_int_equal(url_normalize(b.data, NULL, &got), RF_ETOOBIG);
	buf_release(&b);
}

static const struct url_case resolve_cases[] = {
	/* RFC 3986 5.4.1, normal examples, base "http://a/b/c/d;p?q" */
	{ "g", "http://a/b/c/g" },
	{ "./g", "http://a/b/c/g" },
	{ "g/", "http://a/b/c/g/" },
	{ "/g", "http://a/g" },
	{ "//g", "http://g/" },
	{ "?y", "http://a/b/c/d;p?y" },
	{ "g?y", "http://a/b/c/g?y" },
	{ "#s", "http://a/b/c/d;p?q#s" },
	{ "g#s", "http://a/b/c/g#s" },
	{ "g?y#s", "http://a/b/c/g?y#s" },
	{ ";x", "http://a/b/c/;x" },
	{ "g;x", "http://a/b/c/g;x" },
	{ "g;x?y#s", "http://a/b/c/g;x?y#s" },
	{ "", "http://a/b/c/d;p?q" },
	{ ".", "http://a/b/c/" },
	{ "./", "http://a/b/c/" },
	{ "..", "http://a/b/" },
	{ "../", "http://a/b/" },
	{ "../g", "http://a/b/g" },
	{ "../..", "http://a/" },
	{ "../../", "http://a/" },
	{ "../../g", "http://a/g" },
	/* 5.4.2, abnormal examples */
	{ "../../../g", "http://a/g" },
	{ "../../../../g", "http://a/g" },
	{ "/./g", "http://a/g" },
	{ "/../g", "http://a/g" },
	{ "g.", "http://a/b/c/g." },
	{ ".g", "http://a/b/c/.g" },
	{ "g..", "http://a/b/c/g.." },
	{ "..g", "http://a/b/c/..g" },
	{ "./../g", "http://a/b/g" },
	{ "./g/.", "http://a/b/c/g/" },
	{ "g/./h", "http://a/b/c/g/h" },
	{ "g/../h", "http://a/b/c/h" },
	{ "g;x=1/./y", "http://a/b/c/g;x=1/y" },
	{ "g;x=1/../y", "http://a/b/c/y" },
	{ "g?y/./x", "http://a/b/c/g?y/./x" },
	{ "g?y/../x", "http://a/b/c/g?y/../x" },
	{ "g#s/./x", "http://a/b/c/g#s/./x" },
	{ "g#s/../x", "http://a/b/c/g#s/../x" },
	/* "g:h" and "http:g" name schemes curl does not resolve that way */
	{ "g:h", NULL, RF_EINVAL },
	{ "http:g", NULL, RF_EINVAL },
	/* links as written in pages */
	{ "  g  ", "http://a/b/c/g" },
	{ "\n/g\t/h\r\n", "http://a/g/h" },
	{ "x y", "http://a/b/c/x%20y" },
	{ "\xd0\xb2", "http://a/b/c/%D0%B2" },
	{ "https://Z.kz", "https://Z.kz/" },
	{ "mailto:a@b.c", NULL, RF_EINVAL },
	{ "javascript:void(0)", NULL, RF_EINVAL },
	{ "tel:+77001234567", NULL, RF_EINVAL },
};

static void
test_resolve(void **state)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(resolve_cases); i++) {
		char *got = NULL;
		enum rf_err err = url_resolve("http://a/b/c/d;p?q",
					      resolve_cases[i].in, &got);

		check_result(&resolve_cases[i], err, got);
	}
}

/*
 * url_resolve_normal() gives what url_resolve() then url_normalize() give,
 * for links it joins itself and for those it leaves to them.
 */
static void
test_resolve_normal(void **state)
{
	static const char *const bases[] = {
		"http://a/b/c/d?q", "https://a.kz:8443/", "http://a/b/c/",
		"http://u@a/x/y", "http://[::1]:8080/p/q",
		"http://127.0.0.2:9/bench/17", "file:///srv/site/a.html",
	};
	static const char *const hrefs[] = {
		"/bench/18", "bench/19", "g", "/", "g/", "./g", "../g", ".",
		"..", "/a/./b", "/a/../b", "a/..", "/.well-known/x", "a..b",
		"~u/x", "/a//b", "//h/x", "/A-Z_0~9.html", "g;x=1", "g?y",
		"g#s", "/g%41", " /g ", "/g\th", "", "#", "?", "g:h",
		"/x/jsessionid=1", "\xd0\xb2", "-", "_",
	};
	const struct url_norm_opts file = { .allow_file = true };
	struct buf long_href;
	size_t i, j;

	buf_init(&long_href, 0);
	(void)buf_addch(&long_href, '/');
	while (long_href.len < RF_URL_MAX_BYTES - 10)
		(void)buf_addstr(&long_href, "abcdefgh/");
	for (i = 0; i < RF_ARRAY_SIZE(bases); i++) {
		for (j = 0; j <= RF_ARRAY_SIZE(hrefs); j++) {
			const char *href = j < RF_ARRAY_SIZE(hrefs) ?
						   hrefs[j] : long_href.data;
			char *abs = NULL, *want = NULL, *got = NULL;
			enum rf_err e1, e2;

			e1 = url_resolve(bases[i], href, &abs);
			if (e1 == RF_OK)
				e1 = url_normalize(abs, &file, &want);
			e2 = url_resolve_normal(bases[i], href, &file, &got);
			if (e1 != e2 || (want && (!got ||
						  strcmp(want, got) != 0))) {
				print_error("'%s' + '%s': '%s' (%d), expected "
					    "'%s' (%d)\n", bases[i], href,
					    got ? got : "(null)", e2,
					    want ? want : "(null)", e1);
				fail();
			}
			free(abs);
			free(want);
			free(got);
		}
	}
	buf_release(&long_href);
}

static void
test_resolve_errors(void **state)
{
	struct buf b;
	char dummy = 0, *got = &dummy;

	assert_int_equal(url_resolve("not a url", "g", &got), RF_EINVAL);
	assert_null(got);
	assert_int_equal(url_resolve("/relative", "g", &got), RF_EINVAL);
	buf_init(&b, 0);
	while (b.len <= RF_URL_INPUT_MAX_BYTES)
		assert_int_equal(buf_addch(&b, 'a'), RF_OK);
	assert_int_equal(url_resolve("http://a/", b.data, &got), RF_ETOOBIG);
	buf_release(&b);
}

static void
test_host(void **state)
{
	static const struct url_case cases[] = {
		{ "http://Example.COM:8080/x", "example.com" },
		{ "https://user:pw@h.kz/", "h.kz" },
		{ "http://[::1]/", "::1" },
		{ "http://[2001:DB8::1]:81/", "2001:db8::1" },
		{ "http://10.0.0.1/", "10.0.0.1" },
		{ "mailto:x@y.z", NULL, RF_EINVAL },
		{ "file:///x", NULL, RF_EINVAL },
		{ "nonsense", NULL, RF_EINVAL },
		/* hosts curl decodes to bytes no normal form may hold */
		{ "http://%7Ftp/", NULL, RF_EINVAL },
		{ "http://a%25b/", NULL, RF_EINVAL },
		{ "http:/@\x7f", NULL, RF_EINVAL },
	};
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		char *got = NULL;
		enum rf_err err = url_host(cases[i].in, &got);

		check_result(&cases[i], err, got);
	}
}

static void
test_registrable_domain(void **state)
{
	static const struct url_case cases[] = {
		{ "www.example.com", "example.com" },
		{ "WWW.Example.COM", "example.com" },
		{ "example.com.", "example.com" },
		{ "a.b.example.co.uk", "example.co.uk" },
		{ "olx.kz", "olx.kz" },
		{ "m.olx.kz", "olx.kz" },
		{ "jobs.example.com.kz", "example.com.kz" },
		{ "www.lalafo.kg", "lalafo.kg" },
		{ "a.example.co.uz", "example.co.uz" },
		{ "someone.github.io", "someone.github.io" },
		{ "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80"
		  "\xd1\x84",
		  "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80"
		  "\xd1\x84" },
		{ "www.\xd0\x9f\xd0\xa0\xd0\x98\xd0\x9c\xd0\x95\xd0\xa0."
		  "\xd0\xa0\xd0\xa4",
		  "\xd0\xbf\xd1\x80\xd0\xb8\xd0\xbc\xd0\xb5\xd1\x80.\xd1\x80"
		  "\xd1\x84" },
		{ "www.xn--e1afmkfd.xn--p1ai", "xn--e1afmkfd.xn--p1ai" },
		{ "co.uk", NULL, RF_EINVAL },
		{ "com.kz", NULL, RF_EINVAL },
		{ "com", NULL, RF_EINVAL },
		{ "localhost", NULL, RF_EINVAL },
		{ "127.0.0.1", NULL, RF_EINVAL },
		{ "127.1", NULL, RF_EINVAL },
		{ "::1", NULL, RF_EINVAL },
		{ "[::1]", NULL, RF_EINVAL },
		{ "", NULL, RF_EINVAL },
		{ ".", NULL, RF_EINVAL },
	};
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		char *got = NULL;
		enum rf_err err = url_registrable_domain(cases[i].in, &got);

		check_result(&cases[i], err, got);
	}
}

static void
test_is_trap(void **state)
{
	static const struct {
		const char *url;
		bool trap;
	} cases[] = {
		{ "http://a.kz/", false },
		{ "http://a.kz", false },
		{ "http://a.kz/a/b/c", false },
		{ "http://a.kz/news/news/", false },
		{ "http://a.kz/a/x/a/y", false },
		{ "http://a.kz/a/b/a/c", false },
		{ "http://a.kz/a/b/x/a/b", false },
		{ "http://a.kz/x/y/z/x/y", false },
		{ "http://a.kz///", false },
		{ "http://a.kz/a//b//c//d", false },
		{ "http://a.kz/a/b?x=/a/a/a/a", false },
		{ "http://a.kz/a/b#/a/a/a/a", false },
		{ "http://a.kz/2024/05/17/item", false },
		{ "http://a.kz/a/a/a", true },
		{ "http://a.kz/a/a/a/", true },
		{ "http://a.kz/x/a/y/a/z/a", true },
		{ "http://a.kz/a/b/a/b", true },
		{ "http://a.kz/shop/shoes/shop/shoes/", true },
		{ "http://a.kz/a/b/c/a/b/c", true },
		{ "http://a.kz/x/a/b/c/a/b/c/y", true },
		{ "http://a.kz/cal/2024/01/2024/01/", true },
	};
	struct buf b;
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		if (url_is_trap(cases[i].url) != cases[i].trap) {
			print_error("%s: expected %s\n", cases[i].url,
				    cases[i].trap ? "a trap" : "no trap");
			fail();
		}
	}
	/* length: at the cap is fine, past it a trap */
	buf_init(&b, 0);
	assert_int_equal(buf_addstr(&b, "http://a.kz/"), RF_OK);
	while (b.len < RF_URL_MAX_BYTES)
		assert_int_equal(buf_addch(&b, 'a'), RF_OK);
	assert_false(url_is_trap(b.data));
	assert_int_equal(buf_addch(&b, 'a'), RF_OK);
	assert_true(url_is_trap(b.data));
	/* the most segments a URL at the cap can have */
	buf_reset(&b);
	assert_int_equal(buf_addstr(&b, "http://a.kz"), RF_OK);
	while (b.len + 2 <= RF_URL_MAX_BYTES)
		assert_int_equal(buf_addstr(&b, "/"), RF_OK);
	assert_false(url_is_trap(b.data));
	buf_release(&b);
}

static void
test_pct_normalize_cap(void **state)
{
	struct buf b;

	buf_init(&b, 5);
	assert_int_equal(url_pct_normalize(&b, "abcde", 5), RF_OK);
	assert_string_equal(b.data, "abcde");
	buf_reset(&b);
	assert_int_equal(url_pct_normalize(&b, "abc\xff", 4), RF_ETOOBIG);
	buf_release(&b);
	buf_init(&b, 0);
	/* a NUL inside is a byte to encode */
	assert_int_equal(url_pct_normalize(&b, "a\0b", 3), RF_OK);
	assert_string_equal(b.data, "a%00b");
	buf_release(&b);
}

struct addr_case {
	const char *addr;
	bool private;
	bool loopback;
};

static const struct addr_case addr_cases[] = {
	{ "0.0.0.0", true, false },
	{ "0.1.2.3", true, false },
	{ "10.0.0.1", true, false },
	{ "10.255.255.255", true, false },
	{ "11.0.0.1", false, false },
	{ "100.63.255.255", false, false },
	{ "100.64.0.1", true, false },
	{ "100.127.255.255", true, false },
	{ "100.128.0.0", false, false },
	{ "127.0.0.1", true, true },
	{ "127.255.255.254", true, true },
	{ "128.0.0.1", false, false },
	{ "169.254.169.254", true, false },
	{ "172.15.255.255", false, false },
	{ "172.16.0.1", true, false },
	{ "172.31.255.255", true, false },
	{ "172.32.0.0", false, false },
	{ "192.0.0.8", true, false },
	{ "192.0.2.1", true, false },
	{ "192.88.99.1", true, false },
	{ "192.168.1.1", true, false },
	{ "192.169.0.1", false, false },
	{ "198.18.0.1", true, false },
	{ "198.19.255.255", true, false },
	{ "198.20.0.1", false, false },
	{ "198.51.100.7", true, false },
	{ "203.0.113.9", true, false },
	{ "224.0.0.1", true, false },
	{ "239.255.255.250", true, false },
	{ "240.0.0.1", true, false },
	{ "255.255.255.255", true, false },
	{ "8.8.8.8", false, false },
	{ "1.1.1.1", false, false },
	{ "93.184.216.34", false, false },
	{ "::", true, false },
	{ "::1", true, true },
	{ "::2", true, false },
	{ "::10.0.0.1", true, false },
	{ "::ffff:127.0.0.1", true, true },
	{ "::ffff:10.1.2.3", true, false },
	{ "::ffff:169.254.169.254", true, false },
	{ "::ffff:8.8.8.8", false, false },
	{ "64:ff9b::7f00:1", true, false },
	{ "64:ff9b::808:808", false, false },
	{ "64:ff9b:1::1", true, false },
	{ "2002:7f00:1::", true, false },
	{ "2002:c0a8:101::1", true, false },
	{ "2002:808:808::1", false, false },
	{ "100::1", true, false },
	{ "2001:db8::1", true, false },
	{ "2001:2::1", true, false },
	{ "3fff::1", true, false },
	{ "fc00::1", true, false },
	{ "fd12:3456::1", true, false },
	{ "fe80::1", true, false },
	{ "febf::1", true, false },
	{ "fec0::1", true, false },
	{ "ff02::1", true, false },
	{ "2001:4860:4860::8888", false, false },
	{ "2a00:1450:4001::1", false, false },
	{ "2001::1", false, false },
	{ "fbff::1", false, false },
};

static void
check_addr(const struct addr_case *c, const struct sockaddr *sa)
{
	if (addr_is_private(sa) != c->private ||
	    addr_is_loopback(sa) != c->loopback) {
		print_error("%s: expected private %d, loopback %d\n", c->addr,
			    c->private, c->loopback);
		fail();
	}
}

static void
test_addr(void **state)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(addr_cases); i++) {
		const struct addr_case *c = &addr_cases[i];
		struct sockaddr_in in4 = { .sin_family = AF_INET };
		struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };

		if (inet_pton(AF_INET, c->addr, &in4.sin_addr) == 1)
			check_addr(c, (const struct sockaddr *)&in4);
		else if (inet_pton(AF_INET6, c->addr, &in6.sin6_addr) == 1)
			check_addr(c, (const struct sockaddr *)&in6);
		else
			fail_msg("bad test address %s", c->addr);
	}
	assert_true(addr_is_private(NULL));
	assert_false(addr_is_loopback(NULL));
	assert_true(addr_is_private((const struct sockaddr *)&un));
	assert_false(addr_is_loopback((const struct sockaddr *)&un));
}

static void
test_redact(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "http://scott:tiger@example.com/a",
		  "http://scott:***@example.com/a" },
		{ "https://u:p@h:8080", "https://u:***@h:8080" },
		{ "http://scott@example.com/", "http://scott@example.com/" },
		{ "http://example.com/a@b:c", "http://example.com/a@b:c" },
		/* an '@' in the password as written, and two URLs */
		{ "seed 'http://u:p@ss@h/x' and ftp://v:w@h2?q",
		  "seed 'http://u:***@h/x' and ftp://v:***@h2?q" },
		{ "http://:secret@h/", "http://:***@h/" },
		{ "no URL: a:b@c", "no URL: a:b@c" },
		{ "http://", "http://" },
		{ "", "" },
	};
	size_t i;
	char *got;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = url_redact(cases[i].in);
		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void
test_split_credentials(void **state)
{
	char *rest, *user, *password;

	(void)state;
	assert_int_equal(url_split_credentials(
		"http://sc%40tt:ti%3Ager@Example.com:81/a?b", &rest, &user,
		&password), RF_OK);
	assert_string_equal(rest, "http://Example.com:81/a?b");
	assert_string_equal(user, "sc@tt");
	assert_string_equal(password, "ti:ger");
	free(rest);
	free(user);
	free(password);
	assert_int_equal(url_split_credentials("http://scott@h/", &rest,
					       &user, &password), RF_OK);
	assert_string_equal(rest, "http://h/");
	assert_string_equal(user, "scott");
	assert_null(password);
	free(rest);
	free(user);
	assert_int_equal(url_split_credentials("http://:pw@h/", &rest, &user,
					       &password), RF_OK);
	assert_string_equal(rest, "http://h/");
	assert_string_equal(user, "");
	assert_string_equal(password, "pw");
	free(rest);
	free(user);
	free(password);
	assert_int_equal(url_split_credentials("https://h/x", &rest, &user,
					       &password), RF_OK);
	assert_string_equal(rest, "https://h/x");
	assert_null(user);
	assert_null(password);
	free(rest);
	assert_int_equal(url_split_credentials("not a url", &rest, &user,
					       &password), RF_EINVAL);
	assert_null(rest);
	assert_null(user);
	assert_null(password);
	/* the rest would be "http://<DEL>/", which does not parse */
	assert_int_equal(url_split_credentials("http:/@\x7f", &rest, &user,
					       &password), RF_EINVAL);
	assert_null(rest);
	assert_null(user);
	assert_null(password);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_normalize_idempotent),
		cmocka_unit_test(test_normalize_opts),
		cmocka_unit_test(test_normalize_caps),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_resolve_errors),
		cmocka_unit_test(test_resolve_normal),
		cmocka_unit_test(test_host),
		cmocka_unit_test(test_registrable_domain),
		cmocka_unit_test(test_is_trap),
		cmocka_unit_test(test_pct_normalize_cap),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_split_credentials),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
