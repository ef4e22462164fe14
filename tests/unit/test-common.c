/* test-common.c: unit tests of common/ (buf, utf8, json, util). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/ini.h"
#include "common/json.h"
#include "common/lockfile.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xmalloc.h"

static void
test_buf_basic(void **state)
{
	struct buf b;
	char *s;
	size_t len;

	buf_init(&b, 0);
	assert_string_equal(b.data, "");
	assert_int_equal(buf_addstr(&b, "abc"), RF_OK);
	assert_int_equal(buf_addch(&b, '-'), RF_OK);
	assert_int_equal(buf_addf(&b, "%d/%s", 42, "x"), RF_OK);
	assert_string_equal(b.data, "abc-42/x");
	assert_int_equal(b.len, 8);
	buf_truncate(&b, 3);
	assert_string_equal(b.data, "abc");
	s = buf_detach(&b, &len);
	assert_string_equal(s, "abc");
	assert_int_equal(len, 3);
	assert_int_equal(b.len, 0);
	free(s);
	buf_release(&b);
}

static void
test_buf_cap(void **state)
{
	struct buf b;

	buf_init(&b, 5);
	assert_int_equal(buf_addstr(&b, "12345"), RF_OK);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_addch(&b, '6'), RF_ETOOBIG);
	assert_true(buf_failed(&b));
	/* nothing of a failed write lands */
	assert_string_equal(b.data, "12345");
	assert_int_equal(buf_addf(&b, "%s", "toolong"), RF_ETOOBIG);
	buf_reset(&b);
	assert_false(buf_failed(&b));
	assert_int_equal(buf_addstr(&b, "ok"), RF_OK);
	buf_release(&b);
	/* release keeps the cap */
	assert_int_equal(b.max, 5);
}

static void
test_buf_large(void **state)
{
	struct buf b;
	int i;

	buf_init(&b, 0);
	for (i = 0; i < 100000; i++)
		assert_int_equal(buf_addstr(&b, "0123456789"), RF_OK);
	assert_int_equal(b.len, 1000000);
	assert_int_equal(b.data[b.len], '\0');
	buf_release(&b);
}

static void
test_utf8_decode(void **state)
{
	uint32_t cp;

	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xD0\xB6", 2, &cp), 2);	/* ж */
	assert_int_equal(cp, 0x436);
	assert_int_equal(utf8_decode("\xE2\x82\xB8", 3, &cp), 3);	/* ₸ */
	assert_int_equal(cp, 0x20B8);
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	/* overlong, surrogate, truncated, out of range, stray continuation */
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), 0);
	assert_int_equal(cp, UTF8_REPLACEMENT);
	assert_int_equal(utf8_decode("\xE0\x80\xAF", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xD0", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xF8\x88\x80\x80\x80", 5, &cp), 0);
	/* every two-byte lead with every second byte, and cut short */
	for (unsigned lead = 0xC2; lead < 0xE0; lead++) {
		for (unsigned b = 0; b < 0x100; b++) {
			char s[2] = { (char)lead, (char)b };
			bool ok = (b & 0xC0) == 0x80;

			assert_int_equal(utf8_decode(s, 2, &cp), ok ? 2 : 0);
			assert_int_equal(cp, ok ? (lead & 0x1F) << 6 |
						       (b & 0x3F)
					       : UTF8_REPLACEMENT);
			assert_int_equal(utf8_decode(s, 1, &cp), 0);
			assert_int_equal(cp, UTF8_REPLACEMENT);
		}
	}
}

static void
test_utf8_encode_roundtrip(void **state)
{
	uint32_t cps[] = { 0x24, 0xA2, 0x436, 0x20AC, 0xFFFD, 0x10348,
			   0x10FFFF };
	char out[4];
	uint32_t back;
	size_t i, n;

	for (i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		n = utf8_encode(cps[i], out);
		assert_int_equal(utf8_decode(out, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
	/* a surrogate is encoded as U+FFFD */
	n = utf8_encode(0xD800, out);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "\xEF\xBF\xBD", 3);
}

static void
test_utf8_valid_repair(void **state)
{
	struct buf b;
	size_t bad = 0;

	assert_true(utf8_valid("работа в Дубае", strlen("работа в Дубае"),
			       &bad));
	assert_false(utf8_valid("ok\xFFok", 5, &bad));
	assert_int_equal(bad, 2);
	buf_init(&b, 0);
	assert_int_equal(utf8_repair(&b, "a\xFF\xD0z", 4), RF_OK);
	assert_string_equal(b.data, "a\xEF\xBF\xBD\xEF\xBF\xBDz");
	buf_release(&b);
	/* prefix never cuts a character */
	assert_int_equal(utf8_prefix("жж", 4, 3), 2);
	assert_int_equal(utf8_prefix("жж", 4, 4), 4);
	assert_int_equal(utf8_prefix("жж", 4, 1), 0);
}

/*
 * utf8_valid() reads 16 bytes at a time where the text is ASCII and
 * two-byte sequences: a bad byte, a lead byte without its continuation
 * and a longer character are found at every offset of such a text, on
 * both sides of a block's edge, as a byte at a time would find them.
 */
static void
test_utf8_valid_blocks(void **state)
{
	static const char *const bads[] = {
		"\xFF", "\x80", "\xD0", "\xC0\x80", "\xC1\xBF", "\xE2\x80",
		"\xED\xA0\x80", "\xF4\x90\x80\x80", "\xD0\xD0",
	};
	static const char *const goods[] = {
		"\xE2\x80\x94", "\xF0\x9F\x98\x80", "\xC2\xA0", "\xDF\xBF",
	};
	/* 40 bytes: two-byte letters, some ASCII between */
	const char *base = "работа в Дубае, 24/7 жж";
	char t[128];
	size_t n = strlen(base), p, k, m, bad;
	struct buf b;

	(void)state;
	assert_true(utf8_valid(base, n, NULL));
	for (p = 0; p <= n; p++) {
		if (p < n && ((unsigned char)base[p] & 0xC0) == 0x80)
			continue;	/* inside a character */
		for (k = 0; k < RF_ARRAY_SIZE(bads); k++) {
			m = strlen(bads[k]);
			memcpy(t, base, p);
			memcpy(t + p, bads[k], m);
			memcpy(t + p + m, base + p, n - p);
			bad = SIZE_MAX;
			assert_false(utf8_valid(t, n + m, &bad));
			assert_int_equal(bad, p);
			/* repaired: U+FFFD for each byte that is not read */
			buf_init(&b, 0);
			assert_int_equal(utf8_repair(&b, t, n + m), RF_OK);
			assert_true(utf8_valid(b.data, b.len, NULL));
			assert_memory_equal(b.data, base, p);
			assert_memory_equal(b.data + p, "\xEF\xBF\xBD", 3);
			buf_release(&b);
		}
		for (k = 0; k < RF_ARRAY_SIZE(goods); k++) {
			m = strlen(goods[k]);
			memcpy(t, base, p);
			memcpy(t + p, goods[k], m);
			memcpy(t + p + m, base + p, n - p);
			assert_true(utf8_valid(t, n + m, NULL));
		}
	}
}

static void
test_json_writer(void **state)
{
	struct buf b;
	struct json j;

	buf_init(&b, 0);
	json_init(&j, &b);
	json_object_begin(&j);
	json_kv_int(&j, "schema", 1);
	json_kv_string(&j, "url", NULL);
	json_kv_string(&j, "t", "a\"b\\c\n\x01</\xE2\x80\xA8");
	json_key(&j, "hits");
	json_array_begin(&j);
	json_int(&j, 1);
	json_double(&j, 2.5);
	json_bool(&j, true);
	json_object_begin(&j);
	json_object_end(&j);
	json_array_end(&j);
	json_kv_string(&j, "bad", "x\xFFy");
	json_object_end(&j);
	assert_true(json_ok(&j));
	assert_string_equal(b.data,
		"{\"schema\":1,\"url\":null,"
		"\"t\":\"a\\\"b\\\\c\\n\\u0001</\\u2028\","
		"\"hits\":[1,2.5,true,{}],\"bad\":\"x\\ufffdy\"}");
	buf_release(&b);

	/* integers as printf writes them; text kept as it is but for what
	 * must be escaped (DEL, a lone lead, U+2029 after two-byte text) */
	buf_init(&b, 0);
	json_init(&j, &b);
	json_array_begin(&j);
	json_int(&j, 0);
	json_int(&j, -7);
	json_int(&j, INT64_MAX);
	json_int(&j, INT64_MIN);
	json_double(&j, -120.0);
	json_string(&j, "жж \x7F\xD0 ж\xE2\x80\xA9\xC2\xA0~");
	json_array_end(&j);
	assert_string_equal(b.data,
		"[0,-7,9223372036854775807,-9223372036854775808,-120,"
		"\"жж \\u007f\\ufffd ж\\u2029\xC2\xA0~\"]");
	buf_release(&b);
}

static void
test_json_depth(void **state)
{
	struct buf b;
	struct json j;
	int i;

	buf_init(&b, 0);
	json_init(&j, &b);
	for (i = 0; i < RF_JSON_MAX_DEPTH + 2; i++)
		json_array_begin(&j);
	assert_false(json_ok(&j));
	buf_release(&b);
}

/* Numbers beyond int64_t print as doubles (and convert nothing out of
 * range on the way: found by fuzz-json under UBSan). */
static void
test_json_double(void **state)
{
	struct buf b;
	struct json j;

	buf_init(&b, 0);
	json_init(&j, &b);
	json_array_begin(&j);
	json_double(&j, 1e300);
	json_double(&j, -9.42058e+32);
	json_double(&j, 1e15);
	json_double(&j, 123456.0);
	json_double(&j, -0.5);
	json_double(&j, NAN);
	json_double(&j, -INFINITY);
	json_array_end(&j);
	assert_true(json_ok(&j));
	assert_string_equal(b.data,
		"[1e+300,-9.42058e+32,1e+15,123456,-0.5,null,null]");
	buf_release(&b);
}

static void
test_parse_int(void **state)
{
	long long v = 0;

	assert_int_equal(parse_int("42", 0, 100, &v), RF_OK);
	assert_int_equal(v, 42);
	assert_int_equal(parse_int("-3", -10, 10, &v), RF_OK);
	assert_int_equal(v, -3);
	assert_int_equal(parse_int("", 0, 100, &v), RF_EINVAL);
	assert_int_equal(parse_int("4x", 0, 100, &v), RF_EINVAL);
	assert_int_equal(parse_int("101", 0, 100, &v), RF_EINVAL);
	assert_int_equal(parse_int("-1", 0, 100, &v), RF_EINVAL);
	assert_int_equal(parse_int("99999999999999999999", 0, 100, &v),
			 RF_EINVAL);
}

static void
test_parse_double(void **state)
{
	double d = 0;

	assert_int_equal(parse_double("1.5", 10, &d), RF_OK);
	assert_true(d == 1.5);
	assert_int_equal(parse_double("nan", 10, &d), RF_EINVAL);
	assert_int_equal(parse_double("11", 10, &d), RF_EINVAL);
	assert_int_equal(parse_double("-1", 10, &d), RF_EINVAL);
}

static void
test_file_read(void **state)
{
	char path[] = "/tmp/rf-test-XXXXXX";
	int fd = mkstemp(path);
	struct buf b;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello world", 11), 11);
	close(fd);
	buf_init(&b, 0);
	assert_int_equal(file_read(path, 100, &b), RF_OK);
	assert_string_equal(b.data, "hello world");
	buf_reset(&b);
	assert_int_equal(file_read(path, 5, &b), RF_ETOOBIG);
	buf_reset(&b);
	assert_int_equal(file_read(path, 11, &b), RF_OK);
	buf_reset(&b);
	assert_int_equal(file_read("/tmp", 100, &b), RF_EISDIR);
	assert_int_equal(file_read("/nonexistent/x", 100, &b), RF_ENOENT);
	buf_release(&b);
	unlink(path);
}

static void
test_strings(void **state)
{
	char *s;

	assert_true(str_has_prefix("redflag", "red"));
	assert_false(str_has_prefix("re", "red"));
	assert_true(str_has_suffix("a.warc.gz", ".gz"));
	assert_false(str_has_suffix("gz", ".gz"));
	assert_string_equal(rf_strerror(RF_EUTF8), "invalid UTF-8");
	assert_string_equal(rf_strerror((enum rf_err)999), "unknown error");
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xmemdupz("a\0b", 3);
	assert_memory_equal(s, "a\0b\0", 4);
	free(s);
}

/* The line syntax of jobs and profiles: kinds, trimming, words. */
static void
test_ini(void **state)
{
	/* a line; its kind; then, by kind, the section and its name, or
	 * the key and the value (NULL: not checked) */
	static const struct {
		const char *line;
		enum ini_kind kind;
		const char *a, *b;
	} cases[] = {
		{ "   ", INI_NONE, NULL, NULL },
		{ "  ; a = b", INI_NONE, NULL, NULL },
		{ "# [x]", INI_NONE, NULL, NULL },
		{ " [ site \t hh.ru ] \r", INI_SECTION, "site \t hh.ru",
		  "hh.ru" },
		{ "[job]", INI_SECTION, "job", "" },
		{ "[site] x", INI_BAD_SECTION, NULL, NULL },
		{ "[site x", INI_BAD_SECTION, NULL, NULL },
		{ "  delay = 2 s = x \r", INI_PAIR, "delay", "2 s = x" },
		{ "seed =  ", INI_NO_VALUE, "seed", NULL },
		{ "seed", INI_NO_EQUALS, NULL, NULL },
	};
	struct ini_line l;
	char line[128];
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		snprintf(line, sizeof(line), "%s", cases[i].line);
		ini_parse_line(line, &l);
		assert_int_equal(l.kind, cases[i].kind);
		if (cases[i].kind == INI_SECTION) {
			assert_string_equal(l.section, cases[i].a);
			assert_string_equal(l.name, cases[i].b);
		} else if (cases[i].a) {
			assert_string_equal(l.key, cases[i].a);
			if (cases[i].b)
				assert_string_equal(l.value, cases[i].b);
		}
	}
	/* the first word decides, whole */
	snprintf(line, sizeof(line), "[site hh.ru]");
	ini_parse_line(line, &l);
	assert_true(ini_section_is(&l, "site"));
	assert_false(ini_section_is(&l, "sit"));
	assert_false(ini_section_is(&l, "sites"));
	snprintf(line, sizeof(line), "[job]");
	ini_parse_line(line, &l);
	assert_true(ini_section_is(&l, "job"));
	snprintf(line, sizeof(line), "seed");
	ini_parse_line(line, &l);
	assert_false(ini_section_is(&l, "seed"));
	assert_true(ini_name_ok("hh.ru_2-a"));
	assert_false(ini_name_ok(""));
	assert_false(ini_name_ok("a b"));
	assert_false(ini_name_ok("сайт"));
}

static void
test_lockfile(void **state)
{
	char dir[] = "/tmp/rf-lock-XXXXXX";
	struct lockfile a = { -1, NULL }, b = { -1, NULL };
	struct buf holder, path;
	pid_t pid;
	int status;

	assert_non_null(mkdtemp(dir));
	buf_init(&path, 0);
	buf_init(&holder, 0);
	buf_addf(&path, "%s/run.lock", dir);
	assert_int_equal(lockfile_acquire(&a, path.data, NULL), RF_OK);
	/* flock is per open file: another process is refused at once */
	pid = fork();
	if (pid == 0) {
		enum rf_err e = lockfile_acquire(&b, path.data, &holder);

		_exit(e == RF_ELOCKED && strstr(holder.data, "pid ") ? 0 : 1);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	lockfile_release(&a);
	/* released: free again */
	assert_int_equal(lockfile_acquire(&b, path.data, NULL), RF_OK);
	lockfile_release(&b);
	lockfile_release(&b);	/* twice is harmless */
	buf_release(&holder);
	buf_release(&path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_basic),
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_buf_large),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_encode_roundtrip),
		cmocka_unit_test(test_utf8_valid_repair),
		cmocka_unit_test(test_utf8_valid_blocks),
		cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_depth),
		cmocka_unit_test(test_json_double),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_double),
		cmocka_unit_test(test_file_read),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_lockfile),
		cmocka_unit_test(test_ini),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
