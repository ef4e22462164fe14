/* test-rules.c: unit tests of rules/: parser, errors, conditions, scoring. */
#include "config.h"
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "rules/rules.h"
#include "rules/rules-int.h"

struct diags {
	struct buf text;
	int errors, warnings;
};

static void
collect(const struct rule_diag *d, void *arg)
{
	struct diags *ds = arg;

	buf_addf(&ds->text, "%s:%d:%d: %s: %s [%s]\n", d->file, d->line,
		 d->col, d->severity == DIAG_ERROR ? "error" : "warning",
		 d->message, d->code);
	if (d->severity == DIAG_ERROR)
		ds->errors++;
	else
		ds->warnings++;
}

/* Compiles text; returns the ruleset or NULL, with diagnostics in ds. */
static struct ruleset *
compile(const char *text, struct diags *ds)
{
	struct rules_options opts = {
		.diag = collect, .diag_arg = ds, .lint = true,
	};
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;

	buf_init(&ds->text, 0);
	ds->errors = ds->warnings = 0;
	rules_compiler_add_string(c, "t.rules", text, strlen(text));
	if (rules_compiler_finish(c, &rs) != RF_OK)
		rs = NULL;
	rules_compiler_free(c);
	return rs;
}

/* Scans body text with rs and returns the score; fills res. */
static int
scan_body(struct ruleset *rs, const char *body, struct scan_result *res)
{
	struct matcher *m = matcher_new(rs);
	struct scan_input in = { 0 };

	in.text[FIELD_BODY] = body;
	in.len[FIELD_BODY] = strlen(body);
	assert_int_equal(matcher_scan(m, &in, res), RF_OK);
	matcher_free(m);
	return res->score;
}

#define RULE(id, ind, strength, pats, cond)                               \
	"rule " id " {\n meta:\n  indicator = " ind "\n  strength = "    \
	strength "\n patterns:\n" pats " condition:\n  " cond "\n}\n"

static void
test_parse_minimal(void **state)
{
	struct diags ds;
	struct ruleset *rs = compile(
		"# comment\nlang ru\n"
		"rule a.b {\n"
		"  meta:\n"
		"    title = \"Visa\"\n"
		"    indicator = J03\n"
		"    strength = strong\n"
		"    status = stable\n"
		"    scope = title, body\n"
		"  patterns:\n"
		"    $v = /виз\\w*/\n"
		"    $t = \"билет\" prefix\n"
		"  condition:\n"
		"    $v and $t\n"
		"  examples:\n"
		"    match \"визу и билеты оплатим\"\n"
		"    nomatch \"виза\"\n"
		"}\n", &ds);

	assert_non_null(rs);
	assert_int_equal(ds.errors, 0);
	assert_int_equal(ds.warnings, 0);
	assert_int_equal(ruleset_count(rs), 1);
	assert_string_equal(rule_id(ruleset_rule(rs, 0)), "a.b");
	assert_string_equal(rule_lang(ruleset_rule(rs, 0)), "ru");
	assert_int_equal(rule_weight(ruleset_rule(rs, 0)), 4);
	assert_int_equal(rule_status(ruleset_rule(rs, 0)), STATUS_STABLE);
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* Each broken input and the exact first diagnostic it must give. */
static const struct {
	const char *text;
	const char *diag;
} error_cases[] = {
	{ RULE("r", "J99", "weak", "  $a = /x/\n", "$a"),
	  "t.rules:3:15: error: unknown indicator 'J99' (J01 to J18, see "
	  "redflag-rules(5)) [E121]" },
	{ RULE("r", "J01", "huge", "  $a = /x/\n", "$a"),
	  "t.rules:4:14: error: strength must be weak, medium or strong, not "
	  "'huge' [E121]" },
	{ RULE("r", "J01", "weak", "  $a = /x(/\n", "$a"),
	  "t.rules:6:11: error: in pattern '$a': missing closing parenthesis "
	  "[E132]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "$b"),
	  "t.rules:8:3: error: undefined pattern '$b' [E131]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n  $a = /y/\n", "$a"),
	  "t.rules:7:3: error: pattern '$a' is defined twice [E130]" },
	{ RULE("r", "J01", "weak", "  $a = \"x\n", "$a"),
	  "t.rules:6:8: error: unterminated string [E102]" },
	{ RULE("r", "J01", "weak", "  $a = /x\n", "$a"),
	  "t.rules:6:8: error: unterminated regular expression [E103]" },
	{ RULE("r", "J01", "weak", "  $a = /x/ loud\n", "$a"),
	  "t.rules:6:12: error: unknown pattern modifier 'loud' (word, "
	  "prefix and case are known) [E133]" },
	{ RULE("r", "J01", "weak", "  $a = \"ВИЗА\" case\n", "$a"),
	  "t.rules:6:9: error: the 'case' modifier of '$a' needs 'view = raw' "
	  "in the rule's meta: the folded view is lower case [E133]" },
	{ RULE("r", "J01", "weak", "  $a = \"<zz>\"\n", "$a"),
	  "t.rules:6:9: error: unknown class '<zz>' (define it with 'class zz "
	  "= /.../', or write \\< for a plain '<') [E134]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "$a and"),
	  "t.rules:9:1: error: expected a pattern, 'not', '(', 'any of', "
	  "'all of', 'N of', 'near', 'unnegated' or a comparison such as "
	  "'phones >= 2', found '}' [E110]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "$a and phone >= 2"),
	  "t.rules:8:10: error: unknown identifier 'phone' in a condition "
	  "(phones, handles, emails, links, money, age_min, age_max and "
	  "mixed_script are known) [E137]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "$a and phones = 2"),
	  "t.rules:8:17: error: expected a comparison: <, <=, ==, >= or >, "
	  "found '=' [E110]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "$a and age_max <= x"),
	  "t.rules:8:21: error: a comparison needs a number from 0 to "
	  "1000000000 [E121]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "near($a, $a, 5000)"),
	  "t.rules:8:16: error: the window is a number of words from 0 to "
	  "1000 [E121]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "unnegated($a, $b, 2)"),
	  "t.rules:8:17: error: undefined pattern '$b' [E131]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "3 of them"),
	  "t.rules:8:3: error: 3 of a set of 1 patterns can never be true "
	  "[E121]" },
	{ "rule r {\n meta:\n  colour = red\n}\n",
	  "t.rules:3:3: error: unknown meta key 'colour' [E120]" },
	{ "rule r {\n meta:\n  indicator = J01\n}\n",
	  "t.rules:1:0: error: rule 'r' has no patterns [E122]" },
	{ "bogus\n", "t.rules:1:1: error: expected 'rule', 'lang' or 'class', "
	  "found 'bogus' [E110]" },
	{ "rule r {\n meta:\n  weight = 9\n}\n",
	  "t.rules:3:12: error: weight must be a whole number from 1 to 4 "
	  "[E121]" },
	{ "rule r { \xff }\n",
	  "t.rules:1:10: error: invalid UTF-8 in rule file [E100]" },
	{ "rule r {\n patterns:\n  $a = ~виза\n meta:\n  indicator = J03\n"
	  " condition:\n  $a\n}\n",
	  "t.rules:3:9: error: ~виза needs a language to choose a "
	  "dictionary: set 'lang' in the pack or the rule's meta [E135]" },
	{ RULE("r", "J01", "weak", "  $a = /x/\n", "$a")
	  RULE("r", "J01", "weak", "  $a = /x/\n", "$a"),
	  "t.rules:10:6: error: duplicate rule id 'r' (first defined at "
	  "t.rules:1) [E123]" },
};

static void
test_errors(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(error_cases) / sizeof(error_cases[0]); i++) {
		struct diags ds;
		struct ruleset *rs = compile(error_cases[i].text, &ds);
		char *first = strstr(ds.text.data, ": error: "), *nl;

		/* the first error's line */
		while (first && first > ds.text.data && first[-1] != '\n')
			first--;
		if (!first)
			first = ds.text.data;
		if ((nl = strchr(first, '\n')))
			*nl = '\0';
		if (rs || strcmp(first, error_cases[i].diag) != 0)
			print_error("case %zu:\n got: %s\nwant: %s\n", i,
				    first, error_cases[i].diag);
		assert_null(rs);
		assert_string_equal(first, error_cases[i].diag);
		buf_release(&ds.text);
	}
}

static void
test_error_recovery(void **state)
{
	struct diags ds;
	struct ruleset *rs = compile(
		RULE("bad1", "J77", "weak", "  $a = /x/\n", "$a")
		RULE("good", "J01", "weak", "  $a = /x/\n", "$a")
		RULE("bad2", "J01", "weak", "  $a = /(/\n", "$a"), &ds);

	/* both broken rules are reported, not just the first */
	assert_null(rs);
	assert_int_equal(ds.errors, 2);
	buf_release(&ds.text);
}

static void
test_conditions(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		RULE("and", "J01", "weak", "  $a = \"alpha\"\n  $b = \"beta\"\n",
		     "$a and not $b")
		RULE("of", "J02", "weak",
		     "  $x1 = \"one\"\n  $x2 = \"two\"\n  $y = \"three\"\n",
		     "2 of ($x*)")
		RULE("all", "J03", "weak", "  $p = \"pp\"\n  $q = \"qq\"\n",
		     "all of them"), &ds);

	assert_non_null(rs);
	scan_result_init(&res);
	scan_body(rs, "alpha", &res);
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "alpha beta", &res);
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "one two", &res);
	assert_int_equal(res.nfired, 1);
	assert_string_equal(rule_id(res.fired[0]), "of");
	scan_body(rs, "one three", &res);
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "pp qq", &res);
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "pp", &res);
	assert_int_equal(res.nfired, 0);
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_literals_and_classes(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		"class а = /[аa@]/\n"
		"class q = /zz/\n"
		RULE("w", "J01", "weak", "  $a = \"виза\" word\n", "$a")
		RULE("p", "J02", "weak", "  $a = \"р<а>бот\" prefix\n", "$a")
		RULE("m", "J03", "weak", "  $a = \"1+1 (x)\"\n", "$a")
		/* a class right after an optional group; a named group */
		RULE("o", "J04", "weak", "  $a = /без\\s+(\\w+\\s+)?<а>\\b/\n",
		     "$a")
		RULE("n", "J05", "weak", "  $a = /(?<q>x)\\k<q>/\n", "$a"), &ds);

	assert_non_null(rs);
	scan_result_init(&res);
	scan_body(rs, "Визы нет", &res);	/* word: not "визы" */
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "нужна ВИЗА.", &res);	/* caseless */
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "р@бота для всех", &res);
	assert_int_equal(res.nfired, 1);
	assert_string_equal(rule_id(res.fired[0]), "p");
	assert_int_equal(res.hits[0].start, 0);
	assert_int_equal(res.hits[0].end, strlen("р@бот"));
	scan_body(rs, "заработок", &res);	/* prefix: word start */
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "1+1   (x)", &res);		/* metacharacters, spaces */
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "без а", &res);		/* <а> expanded after ')?' */
	assert_int_equal(res.nfired, 1);
	assert_string_equal(rule_id(res.fired[0]), "o");
	scan_body(rs, "xx", &res);		/* (?<q> and \k<q> kept */
	assert_int_equal(res.nfired, 1);
	assert_string_equal(rule_id(res.fired[0]), "n");
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_near_and_negation(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		RULE("near", "J01", "weak",
		     "  $a = \"виз\" prefix\n  $b = \"бесплатн\" prefix\n",
		     "near($a, $b, 2)")
		RULE("fee", "J04", "weak",
		     "  $fee = \"предоплат\" prefix\n"
		     "  $no = /\\b(без|нет|не\\s+нужна)\\b/\n",
		     "unnegated($fee, $no, 2)"), &ds);

	assert_non_null(rs);
	scan_result_init(&res);
	scan_body(rs, "визу оформим бесплатно", &res);	/* 2 words apart */
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "бесплатно, быстро: визы", &res);	/* either order */
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "визу оформим, а жильё потом бесплатно", &res);
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "Виза.\nБесплатно", &res);
	assert_int_equal(res.nfired, 1);
	/* a negator right before, or within two words, cancels */
	scan_body(rs, "Работа без предоплаты", &res);
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "нет никакой предоплаты", &res);
	assert_int_equal(res.nfired, 0);
	scan_body(rs, "нужна предоплата за визу", &res);
	assert_int_equal(res.nfired, 1);
	/* one un-negated occurrence is enough */
	scan_body(rs, "без предоплаты! Но предоплата за жильё", &res);
	assert_int_equal(res.nfired, 1);
	/* a negator after the pattern does not count */
	scan_body(rs, "предоплата, без исключений", &res);
	assert_int_equal(res.nfired, 1);
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_scoring(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		RULE("pay1", "J01", "medium", "  $a = \"pay\"\n", "$a")
		RULE("pay2", "J01", "strong", "  $a = \"cash\"\n", "$a")
		RULE("free", "J02", "weak", "  $a = \"free\"\n", "$a")
		RULE("ticket", "J03", "medium", "  $a = \"ticket\"\n", "$a")
		RULE("dubai", "J08", "medium", "  $a = \"dubai\"\n", "$a")
		RULE("fee", "J04", "strong", "  $a = \"fee\"\n", "$a"), &ds);

	assert_non_null(rs);
	scan_result_init(&res);
	/* one indicator alone stays low, however strong */
	assert_int_equal(scan_body(rs, "pay cash", &res), 4);
	assert_int_equal(res.level, LEVEL_LOW);
	/* J01 (A) 2 + J03 (A) 2 = 4: same dimension, no bonus */
	assert_int_equal(scan_body(rs, "pay ticket", &res), 4);
	assert_int_equal(res.dimensions, 1);
	/* J01 (A) 2 + J02 (C) 1 + bonus 1 = 4 */
	assert_int_equal(scan_body(rs, "pay free", &res), 4);
	assert_int_equal(res.dimensions, 2);
	/* J08 is contextual: points but no dimension */
	assert_int_equal(scan_body(rs, "dubai", &res), 2);
	assert_int_equal(res.dimensions, 0);
	assert_int_equal(res.level, LEVEL_LOW);
	/* J01 4 + J02 1 + J03 2 + J08 2 + J04 4 = 13, + 2 for dimensions
	 * C and B beyond A = 15: high */
	assert_int_equal(scan_body(rs, "cash free ticket dubai fee", &res), 15);
	assert_int_equal(res.dimensions, 3);
	assert_int_equal(res.level, LEVEL_HIGH);
	assert_int_equal(scan_body(rs, "nothing", &res), 0);
	assert_int_equal(res.level, LEVEL_NONE);
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_runaway_bounded(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		RULE("slow", "J01", "weak", "  $a = /(\\w+\\s?)+$/\n", "$a"),
		&ds);
	struct buf text;
	int i;

	assert_non_null(rs);
	buf_init(&text, 0);
	for (i = 0; i < 5000; i++)
		buf_addstr(&text, "word ");
	buf_addch(&text, '!');
	scan_result_init(&res);
	scan_body(rs, text.data, &res);
	/* the limit stops it and it is reported, never "no match" silently */
	assert_int_equal(res.rule_errors, 1);
	assert_string_equal(rule_id(res.error_rule), "slow");
	scan_result_release(&res);
	buf_release(&text);
	ruleset_free(rs);
	buf_release(&ds.text);
}

/*
 * Patterns run as the condition reads them: "$a and $slow" never runs the
 * runaway $slow where $a does not match (no rule error then), and a rule
 * that fires still reports every pattern's hits, in pattern order, however
 * its condition ordered them.
 */
static void
test_lazy_patterns(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		RULE("lazy", "J01", "weak",
		     "  $slow = /(\\w+\\s?)+$/\n  $a = /\\bvisa\\b/\n",
		     "$a and $slow")
		RULE("order", "J02", "weak",
		     "  $one = \"один\"\n  $two = \"два\"\n"
		     "  $three = \"три\"\n",
		     "$three and $two and ($one or $two)"),
		&ds);
	struct matcher *m;
	struct scan_input in = { 0 };
	struct buf text;
	int i;

	assert_non_null(rs);
	buf_init(&text, 0);
	for (i = 0; i < 5000; i++)
		buf_addstr(&text, "word ");
	buf_addch(&text, '!');
	m = matcher_new(rs);
	matcher_set_prefilter(m, false);	/* the condition alone decides */
	in.text[FIELD_BODY] = text.data;
	in.len[FIELD_BODY] = text.len;
	scan_result_init(&res);
	assert_int_equal(matcher_scan(m, &in, &res), RF_OK);
	assert_int_equal(res.rule_errors, 0);
	assert_int_equal(res.nfired, 0);

	/* with $a present, $slow runs and hits its limit */
	buf_reset(&text);
	buf_addstr(&text, "visa ");
	for (i = 0; i < 5000; i++)
		buf_addstr(&text, "word ");
	buf_addch(&text, '!');
	in.text[FIELD_BODY] = text.data;
	in.len[FIELD_BODY] = text.len;
	assert_int_equal(matcher_scan(m, &in, &res), RF_OK);
	assert_int_equal(res.rule_errors, 1);
	assert_string_equal(rule_id(res.error_rule), "lazy");

	/* read three, two first; the hits still come one, two, three */
	in.text[FIELD_BODY] = "три два один два";
	in.len[FIELD_BODY] = strlen(in.text[FIELD_BODY]);
	assert_int_equal(matcher_scan(m, &in, &res), RF_OK);
	assert_int_equal(res.nfired, 1);
	assert_int_equal(res.nhits, 4);
	assert_string_equal(res.hits[0].pattern, "one");
	assert_string_equal(res.hits[1].pattern, "two");
	assert_string_equal(res.hits[2].pattern, "two");
	assert_int_equal(res.hits[1].start, strlen("три "));
	assert_int_equal(res.hits[2].start, strlen("три два один "));
	assert_string_equal(res.hits[3].pattern, "three");

	scan_result_release(&res);
	matcher_free(m);
	buf_release(&text);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
fail_count(const struct example_failure *f, void *arg)
{
	(*(int *)arg)++;
}

static void
test_examples(void **state)
{
	struct diags ds;
	size_t passed, failed;
	int calls = 0;
	struct ruleset *rs = compile(
		"rule r {\n meta:\n  indicator = J01\n patterns:\n"
		"  $a = \"visa\"\n condition:\n  $a\n examples:\n"
		"  match \"free visa\"\n  match \"no\"\n  nomatch \"nothing\"\n"
		"  nomatch \"a visa\"\n}\n", &ds);

	assert_non_null(rs);
	assert_int_equal(ruleset_test(rs, fail_count, &calls, &passed, &failed),
			 RF_OK);
	assert_int_equal(passed, 2);
	assert_int_equal(failed, 2);
	assert_int_equal(calls, 2);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_lint(void **state)
{
	struct diags ds;
	struct ruleset *rs = compile(
		RULE("r", "J01", "weak", "  $a = /x/\n  $b = /y*/\n", "$a"),
		&ds);

	assert_non_null(rs);
	/* empty, no atom (y*), unused, no examples; x is too short too */
	assert_int_equal(ds.warnings, 5);
	assert_non_null(strstr(ds.text.data, "[W203]"));
	assert_non_null(strstr(ds.text.data, "[W202]"));
	assert_non_null(strstr(ds.text.data, "[W201]"));
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_views(void **state)
{
	struct diags ds;
	struct scan_result res;
	const char *text = "Зapплaтa oт 3000$, p@бoтa в Дyбae; rabota v dubae";
	struct ruleset *rs = compile(
		RULE("folded", "J01", "weak", "  $a = \"работа в дубае\"\n", "$a")
		"rule raw {\n meta:\n  indicator = J02\n  view = raw\n"
		" patterns:\n  $a = \"работа\"\n condition:\n  $a\n}\n"
		"rule tl {\n meta:\n  indicator = J03\n  view = translit\n"
		" patterns:\n  $a = \"работа в дубае\"\n condition:\n  $a\n}\n"
		RULE("yo", "J04", "weak", "  $a = /зарплат\\w* от/\n  $b = \"ЁЛКА\"\n",
		     "$a and not $b"), &ds);
	size_t i;
	bool saw_folded = false, saw_tl = false;

	assert_non_null(rs);
	scan_result_init(&res);
	scan_body(rs, text, &res);
	/* raw sees only the disguised spelling: no match */
	for (i = 0; i < res.nfired; i++)
		assert_string_not_equal(rule_id(res.fired[i]), "raw");
	for (i = 0; i < res.nhits; i++) {
		const struct hit *h = &res.hits[i];
		size_t n = h->end - h->start;

		if (strcmp(rule_id(h->rule), "folded") == 0) {
			/* the hit is reported in the text as written */
			assert_int_equal(n, strlen("p@бoтa в Дyбae"));
			assert_memory_equal(text + h->start, "p@бoтa в Дyбae", n);
			saw_folded = true;
		}
		if (strcmp(rule_id(h->rule), "tl") == 0 &&
		    memcmp(text + h->start, "rabota", 6) == 0) {
			assert_memory_equal(text + h->start, "rabota v dubae",
					    n);
			saw_tl = true;
		}
	}
	assert_true(saw_folded);
	assert_true(saw_tl);
	scan_body(rs, "Зарплата от 3000$, ёлка", &res);
	assert_int_equal(res.nfired, 0);	/* ЁЛКА folds to елка */
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);

	/* case: only in the raw view, and then exact */
	rs = compile("rule c {\n meta:\n  indicator = J05\n  view = raw\n"
		     " patterns:\n  $a = \"ВИЗА\" case word\n condition:\n"
		     "  $a\n}\n", &ds);
	assert_non_null(rs);
	scan_result_init(&res);
	scan_body(rs, "нужна ВИЗА", &res);
	assert_int_equal(res.nfired, 1);
	scan_body(rs, "нужна виза", &res);
	assert_int_equal(res.nfired, 0);	/* ЁЛКА folds to елка */
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* a literal of 50 letters, and the 48 bytes an atom keeps of it */
#define LONG50 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij"
#define LONG48 "abcdefghijabcdefghijabcdefghijabcdefghijabcdefgh"

/* regex, then its atoms sorted and joined by '|', "" for none */
static const struct {
	const char *re;
	const char *atoms;
} atom_cases[] = {
	{ "виза", "виза" },
	{ "ВИЗА", "виза" },
	{ "Dubai|Дубай", "dubai|дубай" },
	{ "за\\s+сч[её]т", "счет|счёт" },
	{ "(билет|перел[её]т)\\w*\\s+за", "билет|перелет|перелёт" },
	/* a literal run too long to keep whole: a part of it, and never
	 * crossed with what is around it as if it were all of it */
	{ "x(?:" LONG50 ")y", LONG48 },
	{ "\\w+", "" },
	{ "a.b", "a" },
	{ "abc?", "ab" },
	{ "(?:hostess|dancer)s?", "dancer|hostess" },
	{ "x*", "" },
	{ "(?<![\\p{L}\\p{N}_])(?:виз)(?![\\p{L}\\p{N}_])", "виз" },
	{ "(abc)+d", "abc" },
	{ "(abc|\\d+)", "" },
	{ "[a-z]+visa", "visa" },
	{ "\\bwhats\\s?app", "whats" },
	{ "(?i)test", "test" },
	{ "a\\.b\\$", "a.b$" },
	{ "[^abc]def", "def" },
	{ "\\x{41}BC", "abc" },
	{ "(a|b)(c|d)(e|f)", "ace|acf|ade|adf|bce|bcf|bde|bdf" },
	{ "(?x) a b c", "" },
	{ "unbalanced(", "" },
	/* a count that overflowed a long (found by fuzz-rules, UBSan) */
	{ "ab{18446744073709551615x", "" },
	{ "abc{000000000000000000000000000000000000000001}", "ab" },
	{ "abc{99999999999999999999999}", "ab" },
	/* an optional character keeps the run exact; an atom holding
	 * another is no use */
	{ "о?плат\\w*", "плат" },
	{ "(виз|визов)", "виз" },
	/* an atom inside a common word ("работ" in "работа") loses to a
	 * shorter one that is not (rules/common-words.c) */
	{ "(люб|разн)\\w*\\s+(работ|ваканси)\\w*", "люб|разн" },
	{ "любая\\s+работа", "любая" },
	/* ... but not to one of fewer than 3 letters */
	{ "(a|b)\\s+работ", "работ" },
	/* both common: the longer one */
	{ "работа\\s+для", "работа" },
	/* groups whose strings are a plain group's (they once read as
	 * empty, inventing "xy") */
	{ "x(?>abc)y", "xabcy" },
	{ "x(?|abc|d)y", "xabcy|xdy" },
	{ "x(?#a:b)y", "xy" },
	/* verbs and conditionals: no atoms at all */
	{ "(*COMMIT)abc", "" },
	{ "x(*SKIP)yz", "" },
	{ "(a)x(?(1)a|b)y", "" },
	/* a call of another group matches what it matches */
	{ "(abc)x(?1)yz", "abcx" },
	/* escapes read whole: \cA, octal, \o{..} are one character */
	{ "\\cAbcd", "bcd" },
	{ "\\101bcd", "bcd" },
	{ "\\o{101}bcd", "bcd" },
};

static int
cmp_atom(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
test_atoms(void **state)
{
	size_t i, j;

	for (i = 0; i < sizeof(atom_cases) / sizeof(atom_cases[0]); i++) {
		struct atom_set set;
		struct buf got;

		buf_init(&got, 0);
		atoms_extract(atom_cases[i].re, strlen(atom_cases[i].re), &set,
			      NULL);
		if (set.n)
			qsort(set.atoms, set.n, sizeof(*set.atoms), cmp_atom);
		for (j = 0; j < set.n; j++)
			buf_addf(&got, "%s%s", j ? "|" : "", set.atoms[j]);
		if (strcmp(got.data, atom_cases[i].atoms) != 0)
			print_error("atoms of /%s/: got '%s', want '%s'\n",
				    atom_cases[i].re, got.data,
				    atom_cases[i].atoms);
		assert_string_equal(got.data, atom_cases[i].atoms);
		atom_set_release(&set);
		buf_release(&got);
	}
}

/* regex, its best atom set and its second one, sorted, '|'-joined */
static const struct {
	const char *re;
	const char *atoms, *atoms2;
} atom2_cases[] = {
	/* the two parts of a sequence, the rarer first */
	{ "(люб|разн)\\w*\\s+(работ|ваканси)\\w*", "люб|разн",
	  "ваканси|работ" },
	/* two short sets: not the one every text has */
	{ "\\d+\\s*(zzq|\\$)\\s+в\\s+(qqqq|wwww)", "qqqq|wwww",
	  "$|zzq" },
	/* one part only: no second set */
	{ "виза", "виза", "" },
	{ "(abc|\\d+)", "", "" },
	/* alternation: the union of the branches' seconds, if each has one */
	{ "(alpha\\s+beta|gamma\\s+delta)", "alpha|gamma", "beta|delta" },
	{ "(alpha\\s+beta|gamma)", "alpha|gamma", "" },
	/* an optional part is no requirement */
	{ "alpha(\\s+beta)?", "alpha", "" },
	/* a repeated part still is */
	{ "(alpha\\s)+beta", "alpha", "beta" },
	{ "(?:(alpha)\\s+(beta))", "alpha", "beta" },
	/* a second set with a short common word ("в", "за") is in every
	 * text, many times: none */
	{ "(долларов|евро)\\s+(в|за)\\s+", "долларов|евро", "" },
	{ "(qqqq|wwww)\\s+(за|\\$)", "qqqq|wwww", "" },
	{ "(qqqq|wwww)\\s+(zq|\\$)", "qqqq|wwww", "$|zq" },
	/* not even when the set every text has is smaller than another
	 * short one: the other is the second set */
	{ "(qqqq|wwww)\\s*(\\$|долл|usd)\\s*(в|за)", "qqqq|wwww",
	  "$|usd|долл" },
	{ "[1-9]\\d*\\s*(\\$|долл|usd)\\s*(в|за)\\s*неделю", "неделю",
	  "$|usd|долл" },
};

static void
join_atoms(struct atom_set *set, struct buf *got)
{
	size_t j;

	if (set->n)
		qsort(set->atoms, set->n, sizeof(*set->atoms), cmp_atom);
	buf_reset(got);
	for (j = 0; j < set->n; j++)
		buf_addf(got, "%s%s", j ? "|" : "", set->atoms[j]);
}

static void
test_atoms2(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(atom2_cases) / sizeof(atom2_cases[0]); i++) {
		struct atom_set set, set2;
		struct buf got, got2;

		buf_init(&got, 0);
		buf_init(&got2, 0);
		atoms_extract(atom2_cases[i].re, strlen(atom2_cases[i].re),
			      &set, &set2);
		join_atoms(&set, &got);
		join_atoms(&set2, &got2);
		if (strcmp(got.data, atom2_cases[i].atoms) != 0 ||
		    strcmp(got2.data, atom2_cases[i].atoms2) != 0)
			print_error("atoms of /%s/: got '%s' and '%s', want "
				    "'%s' and '%s'\n", atom2_cases[i].re,
				    got.data, got2.data, atom2_cases[i].atoms,
				    atom2_cases[i].atoms2);
		assert_string_equal(got.data, atom2_cases[i].atoms);
		assert_string_equal(got2.data, atom2_cases[i].atoms2);
		atom_set_release(&set);
		atom_set_release(&set2);
		buf_release(&got);
		buf_release(&got2);
	}
}

/* regex, the strings every match starts with, sorted, '|'-joined */
static const struct {
	const char *re;
	const char *pre;
} prefix_cases[] = {
	{ "виза", "виза" },
	{ "\\b(удал[её]нн|дистанционн)\\w*\\s+", "дистанционн|удаленн|удалённ" },
	{ "(?<![\\p{L}\\p{N}_])(?:виз)(?![\\p{L}\\p{N}_])", "виз" },
	{ "^abc", "abc" },
	{ "(?=a)bc", "bc" },
	{ "(?i)test", "test" },
	{ "[a-c]x", "ax|bx|cx" },
	/* a branch that is not exact still starts with its literal */
	{ "(ab|cd\\w*)x", "ab|cd" },
	{ "(ab)+c", "ab" },
	/* a branch that may be empty: the next item's start too */
	{ "(|ab)c", "abc|c" },
	/* an optional item: it or what follows */
	{ "a?bc", "abc|bc" },
	{ "\\b(о?плат|взнос)", "взнос|оплат|плат" },
	{ "(a\\w)?bc", "a|bc" },
	/* one that another starts with is no use */
	{ "(ab|abc)d?", "ab" },
	{ "\\b(от\\s+|до\\s+)?[$€]?[1-9]\\d", "$|1|2|3|4|5|6|7|8|9|до|от|€" },
	/* \\s* may start a match with a space: no prefix */
	{ "\\b(от\\s+|до\\s+)?[$€]?\\s*[1-9]\\d", "" },
	/* nothing known to start with */
	{ "\\w+виза", "" },
	{ "a?b?", "" },
	{ "x|\\d+", "" },
	{ "(?:)", "" },
	/* \K moves the start of a match */
	{ "ab\\Kcd", "" },
	{ "(*COMMIT)abc", "" },
	/* a group of a literal too long to keep: its start, not its end */
	{ "(?:" LONG50 ")", LONG48 },
	{ "x(?:" LONG50 ")y", "x" },
};

static void
test_atoms_prefix(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(prefix_cases) / sizeof(prefix_cases[0]); i++) {
		struct atom_set set;
		struct buf got;
		bool ok;

		buf_init(&got, 0);
		ok = atoms_prefix(prefix_cases[i].re,
				  strlen(prefix_cases[i].re), &set);
		assert_true(ok == (set.n > 0));
		join_atoms(&set, &got);
		if (strcmp(got.data, prefix_cases[i].pre) != 0)
			print_error("prefix of /%s/: got '%s', want '%s'\n",
				    prefix_cases[i].re, got.data,
				    prefix_cases[i].pre);
		assert_string_equal(got.data, prefix_cases[i].pre);
		atom_set_release(&set);
		buf_release(&got);
	}
}

static void fired_both(struct ruleset *rs, const char *text, struct buf *on,
		       struct buf *off);

/*
 * A lone letter before \s is a word: its prefix strings are the letter
 * and each character \s matches, which the matcher checks itself, so
 * PCRE2 is not tried at every "с" inside a word.
 */
static void
test_space_after_letter(void **state)
{
	static const struct {
		const char *re;
		size_t n;	/* strings in the prefix set */
		size_t spaced;	/* of them a letter and a space */
	} cases[] = {
		{ "\\bс\\s+опытом", 26, 26 },
		{ "(в|на)\\s+дубай", 27, 26 },
		{ "\\b[сc]\\s{1,3}опыт", 52, 52 },
		/* the space may be missing: the letter alone */
		{ "с\\s*опыт", 1, 0 },
		{ "с\\w+", 1, 0 },
		/* a two-letter word is found by the matcher as it is */
		{ "на\\s+вахту", 1, 0 },
		/* a digit is noted where it is */
		{ "5\\s+usd", 1, 0 },
	};
	struct diags ds;
	struct ruleset *rs;
	struct buf on, off;
	const char *texts[] = {
		"работа с опытом", "с\tопытом", "с\xc2\xa0опытом",
		"с\xc2\x85опытом", "с\xe3\x80\x80опытом", "С  ОПЫТОМ",
		"сопытом", "рас опытом", "работа в дубае", "в\nдубае",
		"В Дубае", "вдубае", "нов дубае",
	};
	const char *fires[] = {
		"s ", "s ", "s ", "s ", "s ", "s ", "", "", "v ", "v ", "v ", "",
		"",
	};
	size_t i, k;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		struct atom_set set;
		size_t spaced = 0;

		atoms_prefix(cases[i].re, strlen(cases[i].re), &set);
		for (k = 0; k < set.n; k++) {
			const char *a = set.atoms[k];
			uint32_t cp;
			size_t n = utf8_decode(a, strlen(a), &cp);

			if (n && utf8_decode(a + n, strlen(a + n), &cp) &&
			    atom_is_space(cp))
				spaced++;
		}
		if (set.n != cases[i].n || spaced != cases[i].spaced)
			fail_msg("/%s/: %zu prefixes, %zu spaced; want %zu, "
				 "%zu", cases[i].re, set.n, spaced,
				 cases[i].n, cases[i].spaced);
		atom_set_release(&set);
	}
	rs = compile(RULE("s", "J01", "weak", "  $a = /\\bс\\s+опытом/\n", "$a")
		     RULE("v", "J01", "weak", "  $a = /\\b(в|на)\\s+дубае/\n",
			  "$a"), &ds);
	if (!rs)
		fail_msg("%s", ds.text.data);
	/* anchored, on the letter's forms followed by a space */
	for (i = 0; i < rs->n; i++) {
		const struct pattern *p = &rs->rules[i]->pats[0];

		assert_true(p->anchor);
		assert_true(p->pre_lone);
		for (k = 0; k < p->npre_forms; k++)
			if (p->pre_form_len[k] == 2 &&
			    strchr("\xd1\xd0", p->pre_forms[k][0]))
				break;
		assert_true(k < p->npre_forms);
	}
	for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
		buf_init(&on, 0);
		buf_init(&off, 0);
		fired_both(rs, texts[i], &on, &off);
		/* the fired rules come first, then the hits */
		if (strcmp(on.data, off.data) != 0 ||
		    strncmp(on.data, fires[i], strlen(fires[i])) != 0 ||
		    (!fires[i][0] && on.data[0]))
			fail_msg("'%s': fired '%s' with the prefilter, '%s' "
				 "without; want '%s'", texts[i], on.data,
				 off.data, fires[i]);
		buf_release(&on);
		buf_release(&off);
	}
	ruleset_free(rs);
	buf_release(&ds.text);
}

static void
test_lint_more(void **state)
{
	struct diags ds;
	struct ruleset *rs = compile(
		RULE("r1", "J01", "weak", "  $a = /(\\w+\\s?)+$/\n", "$a")
		RULE("r2", "J01", "weak", "  $a = \"pаbota\"\n", "$a")
		RULE("r3", "J01", "weak", "  $a = \"visa\"\n", "not $a")
		RULE("r4", "J01", "weak", "  $blank = /\\s*\\d+\\s+usd/\n"
		     "  $ascii = /[0-9]+\\s+usd/\n", "$blank and $ascii"),
		&ds);

	assert_non_null(rs);
	/* $blank may start on a blank or any script's digit, $ascii on
	 * an ASCII digit */
	assert_non_null(strstr(ds.text.data,
			       "pattern '$blank' has no set of strings"));
	assert_null(strstr(ds.text.data, "pattern '$ascii' has no set"));
	assert_non_null(strstr(ds.text.data, "[W210]"));
	assert_non_null(strstr(ds.text.data, "repeats a repetition"));
	assert_non_null(strstr(ds.text.data, "no literal of 3 or more"));
	assert_non_null(strstr(ds.text.data, "mixes Latin and Cyrillic"));
	assert_non_null(strstr(ds.text.data, "[W207]"));
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* Fired rules of text with the prefilter on and off, as a string. */
static void
fired_both(struct ruleset *rs, const char *text, struct buf *on,
	   struct buf *off)
{
	struct matcher *m = matcher_new(rs);
	struct scan_input in = { 0 };
	struct scan_result res;
	size_t i;

	in.text[FIELD_BODY] = text;
	in.len[FIELD_BODY] = strlen(text);
	in.text[FIELD_TITLE] = text;
	in.len[FIELD_TITLE] = strlen(text);
	scan_result_init(&res);
	matcher_scan(m, &in, &res);
	for (i = 0; i < res.nfired; i++)
		buf_addf(on, "%s ", rule_id(res.fired[i]));
	/* and the same hits: PCRE2 anchored where prefixes start finds
	 * what the search from each match's end finds */
	for (i = 0; i < res.nhits; i++)
		buf_addf(on, "%s:%s:%d:%zu-%zu ", rule_id(res.hits[i].rule),
			 res.hits[i].pattern, (int)res.hits[i].field,
			 res.hits[i].start, res.hits[i].end);
	matcher_set_prefilter(m, false);
	matcher_scan(m, &in, &res);
	for (i = 0; i < res.nfired; i++)
		buf_addf(off, "%s ", rule_id(res.fired[i]));
	for (i = 0; i < res.nhits; i++)
		buf_addf(off, "%s:%s:%d:%zu-%zu ", rule_id(res.hits[i].rule),
			 res.hits[i].pattern, (int)res.hits[i].field,
			 res.hits[i].start, res.hits[i].end);
	scan_result_release(&res);
	matcher_free(m);
}

/* The prefilter never changes a verdict: every example of the shipped
 * packs, scanned as a document against all rules, fires the same rules
 * with and without it. */
static void
test_prefilter_sound(void **state)
{
	struct diags ds = { 0 };
	struct rules_options opts = { .diag = collect, .diag_arg = &ds };
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;
	size_t i, j, docs = 0;

	buf_init(&ds.text, 0);
	assert_int_equal(rules_compiler_add_path(c, RF_SRCDIR "/rules/packs"),
			 RF_OK);
	assert_int_equal(rules_compiler_finish(c, &rs), RF_OK);
	rules_compiler_free(c);
	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->rules[i]->nex; j++) {
			struct buf on, off;

			buf_init(&on, 0);
			buf_init(&off, 0);
			fired_both(rs, rs->rules[i]->ex[j].text, &on, &off);
			if (strcmp(on.data, off.data) != 0)
				print_error("'%s': with prefilter '%s', "
					    "without '%s'\n",
					    rs->rules[i]->ex[j].text, on.data,
					    off.data);
			assert_string_equal(on.data, off.data);
			buf_release(&on);
			buf_release(&off);
			docs++;
		}
	}
	assert_true(docs > 0);
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* Hand-made cases for the prefilter's logic: not, case, Cyrillic. */
static void
test_prefilter_logic(void **state)
{
	struct diags ds;
	struct ruleset *rs = compile(
		RULE("notb", "J01", "weak", "  $a = \"alpha\"\n  $b = \"beta\"\n",
		     "$a and not $b")
		RULE("any", "J02", "weak", "  $a = /\\d+/\n  $b = \"визa\"\n",
		     "$a and $b")
		RULE("case", "J03", "weak", "  $a = \"ДУБАЙ\"\n", "$a"), &ds);
	const char *texts[] = {
		"alpha", "alpha beta", "ALPHA", "виза 3", "ВИЗА 3", "визa 3",
		"дубай", "ДуБаЙ", "Dubai", "",
	};
	size_t i;

	assert_non_null(rs);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct buf on, off;

		buf_init(&on, 0);
		buf_init(&off, 0);
		fired_both(rs, texts[i], &on, &off);
		assert_string_equal(on.data, off.data);
		buf_release(&on);
		buf_release(&off);
	}
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* Literal runs longer than an atom holds (48 bytes, 24 Cyrillic
 * letters) fire with the prefilter as without: the atoms were once the
 * run's end crossed with what follows, and the prefix set its end too. */
static void
test_long_literals(void **state)
{
	struct diags ds;
	struct ruleset *rs = compile(
		RULE("long", "J01", "weak",
		     "  $a = /работа за границей для девушек/\n", "$a")
		RULE("group", "J01", "weak",
		     "  $a = /1(?:работа за границей для девушек)2/\n", "$a")
		RULE("lit", "J01", "weak",
		     "  $a = \"работа за границей для девушек\" word\n", "$a"),
		&ds);
	const char *texts[] = {
		"Работа за границей для девушек!",
		"1работа за границей для девушек2",
		"работа за границей для юношей",
	};
	const char *want[] = {
		"long lit ", "long group ", "",
	};
	size_t i;

	(void)state;
	assert_non_null(rs);
	for (i = 0; i < RF_ARRAY_SIZE(texts); i++) {
		struct buf on, off;

		buf_init(&on, 0);
		buf_init(&off, 0);
		fired_both(rs, texts[i], &on, &off);
		assert_string_equal(on.data, off.data);
		if (!str_has_prefix(on.data, want[i]))
			print_error("'%s': fired '%s', want '%s'\n", texts[i],
				    on.data, want[i]);
		assert_true(str_has_prefix(on.data, want[i]));
		assert_true(*want[i] || !*on.data);
		buf_release(&on);
		buf_release(&off);
	}
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* Comparisons of counts of the text: contacts, money, ages, mixed words;
 * the prefilter cannot decide them and must let them through. */
static void
test_comparisons(void **state)
{
	struct diags ds;
	struct scan_result res;
	struct ruleset *rs = compile(
		RULE("youth", "J06", "weak", "  $g = \"девуш\" prefix\n",
		     "$g and age_max <= 25")
		RULE("adult", "J06", "weak", "  $g = \"девуш\" prefix\n",
		     "$g and age_min >= 30")
		RULE("phones", "J09", "weak", "  $c = \"звон\" prefix\n",
		     "$c and phones >= 2")
		RULE("unpaid", "J12", "weak", "  $p = \"оплата\"\n",
		     "$p and not (money > 0)")
		RULE("mixed", "J02", "weak", "  $w = \"работ\" prefix\n",
		     "$w and mixed_script >= 2")
		RULE("exact", "J10", "weak", "  $a = \"пишите\"\n",
		     "$a and (handles == 1 or emails > 0 or links >= 1)")
		"rule scoped {\n meta:\n  indicator = J18\n  strength = weak\n"
		"  scope = body, contacts\n patterns:\n  $c = \"тел\"\n"
		" condition:\n  $c and phones < 2 and phones > 0\n}\n", &ds);
	static const struct {
		const char *text;
		const char *fired;
	} cases[] = {
		{ "Девушки 18-25 лет", "youth " },
		{ "Девушки от 18 до 35 лет", "" },
		{ "Девушки до 45 лет", "" },
		{ "Девушки от 30 лет", "adult " },
		{ "Девушки", "" },
		{ "звоните +7 701 123 45 67 или 8 777 123 45 67", "phones " },
		{ "звоните +7 701 123 45 67 или 8 701 123 45 67", "" },
		{ "оплата сдельная", "unpaid " },
		{ "оплата 300 000 тенге", "" },
		{ "Paбота в Дубae", "mixed " },
		{ "Pабота в Дубае", "" },
		{ "пишите @dubai_jobs", "exact " },
		{ "пишите @dubai_jobs @dubai_work", "" },
		{ "пишите в t.me/dubaijobs", "exact " },
		{ "тел. 8 701 123 45 67", "scoped " },
	};
	size_t i, j;

	(void)state;
	if (!rs)
		fail_msg("%s", ds.text.data);
	scan_result_init(&res);
	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		struct buf got, on, off;
		struct matcher *m = matcher_new(rs);
		struct scan_input in = { 0 };
		const char *contacts = "+77011234567\n";

		in.text[FIELD_BODY] = cases[i].text;
		in.len[FIELD_BODY] = strlen(cases[i].text);
		/* the body's phone again as a contact counts once */
		in.text[FIELD_CONTACTS] = contacts;
		in.len[FIELD_CONTACTS] = strlen(contacts);
		buf_init(&got, 0);
		assert_int_equal(matcher_scan(m, &in, &res), RF_OK);
		for (j = 0; j < res.nfired; j++)
			buf_addf(&got, "%s ", rule_id(res.fired[j]));
		if (strcmp(got.data, cases[i].fired) != 0)
			fail_msg("'%s': fired '%s', want '%s'", cases[i].text,
				 got.data, cases[i].fired);
		matcher_free(m);
		buf_release(&got);
		buf_init(&on, 0);
		buf_init(&off, 0);
		fired_both(rs, cases[i].text, &on, &off);
		assert_string_equal(on.data, off.data);
		buf_release(&on);
		buf_release(&off);
	}
	scan_result_release(&res);
	ruleset_free(rs);
	buf_release(&ds.text);
}

/* The patterns seen in text by pf, as a string of gidx. */
static void
seen_str(const struct prefilter *pf, size_t npatterns, const char *text,
	 struct buf *out)
{
	struct prefilter_seen sn;
	uint32_t *starts = NULL;
	size_t i, astarts = 0;

	prefilter_seen_init(&sn, npatterns);
	prefilter_scan(pf, text, strlen(text), &sn);
	for (i = 0; i < npatterns; i++) {
		size_t k, n;

		if (!sn.seen[i])
			continue;
		buf_addf(out, "%zu", i);
		/* and where the prefix atoms start, when it is a prefix
		 * set's id (others have none) */
		n = prefilter_starts(pf, &sn, i, 0, text, strlen(text),
				     SIZE_MAX, &starts, &astarts);
		if (n == SIZE_MAX)
			buf_addf(out, "+");
		for (k = 0; n != SIZE_MAX && k < n; k++)
			buf_addf(out, "@%u", starts[k]);
		buf_addf(out, " ");
	}
	assert_true(sn.n <= npatterns);
	/* the order first seen, and where the places were noted: the
	 * dense scan reads a long text in parts, the sparse one does not */
	buf_addf(out, "| order");
	for (i = 0; i < sn.n; i++)
		buf_addf(out, " %u", sn.list[i]);
	buf_addf(out, " | noted%s", sn.vis_over ? " over" : "");
	for (i = 0; i < sn.nvis; i++)
		buf_addf(out, " %u", sn.vis[i].end);
	prefilter_seen_release(&sn);
	free(starts);
}

/* The dense DFA and the sparse fallback see the same patterns. */
static void
check_dense_sparse(struct ruleset *rs, const struct prefilter *sparse,
		   const char *text)
{
	struct buf a, b;

	buf_init(&a, 0);
	buf_init(&b, 0);
	seen_str(rs->pf, rs->npatterns, text, &a);
	seen_str(sparse, rs->npatterns, text, &b);
	if (strcmp(a.data, b.data) != 0)
		print_error("'%s': dense '%s', sparse '%s'\n", text, a.data,
			    b.data);
	assert_string_equal(a.data, b.data);
	buf_release(&a);
	buf_release(&b);
}

/* Upper-cases ASCII and Russian Cyrillic letters (ё too) of s. */
static void
upcase(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++) {
		if (*p >= 'a' && *p <= 'z') {
			buf_addch(out, (char)(*p - 32));
		} else if (p[0] == 0xD0 && p[1] >= 0xB0 && p[1] <= 0xBF) {
			buf_addch(out, (char)0xD0);
			buf_addch(out, (char)(p[1] - 0x20));
			p++;
		} else if (p[0] == 0xD1 && p[1] >= 0x80 && p[1] <= 0x8F) {
			buf_addch(out, (char)0xD0);
			buf_addch(out, (char)(p[1] + 0x20));
			p++;
		} else if (p[0] == 0xD1 && p[1] == 0x91) {
			buf_add(out, "Ё", strlen("Ё"));
			p++;
		} else {
			buf_addch(out, (char)*p);
		}
	}
}

/* Asserts the same verdicts with the prefilter on and off. */
static void
check_verdicts(struct ruleset *rs, const char *text)
{
	struct buf on, off;

	buf_init(&on, 0);
	buf_init(&off, 0);
	fired_both(rs, text, &on, &off);
	if (strcmp(on.data, off.data) != 0)
		print_error("'%s': with prefilter '%s', without '%s'\n", text,
			    on.data, off.data);
	assert_string_equal(on.data, off.data);
	buf_release(&on);
	buf_release(&off);
}

/* The shipped packs get the dense DFA, which sees what the sparse
 * automaton does on every example, as written and upper-cased; the
 * upper-cased examples get the same verdicts with the prefilter. */
static void
test_prefilter_dense(void **state)
{
	struct diags ds = { 0 };
	struct rules_options opts = { .diag = collect, .diag_arg = &ds };
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct ruleset *rs = NULL;
	struct prefilter *sparse;
	size_t i, j;

	buf_init(&ds.text, 0);
	assert_int_equal(rules_compiler_add_path(c, RF_SRCDIR "/rules/packs"),
			 RF_OK);
	assert_int_equal(rules_compiler_finish(c, &rs), RF_OK);
	rules_compiler_free(c);
	sparse = prefilter_build_capped(rs, 0, 0);
	assert_true(prefilter_is_dense(rs->pf));
	assert_false(prefilter_is_dense(sparse));
	for (i = 0; i < rs->n; i++) {
		for (j = 0; j < rs->rules[i]->nex; j++) {
			const char *t = rs->rules[i]->ex[j].text;
			struct buf up;

			buf_init(&up, 0);
			upcase(t, &up);
			check_dense_sparse(rs, sparse, t);
			check_dense_sparse(rs, sparse, up.data);
			check_verdicts(rs, t);
			check_verdicts(rs, up.data);
			buf_release(&up);
		}
	}
	prefilter_free(sparse);
	ruleset_free(rs);
	buf_release(&ds.text);
}

static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

/*
 * Random rules in the shapes of bench/gen-rules (literals, word and
 * prefix literals, small regexes) over a small alphabet so that they
 * overlap, and random texts of their words, upper-cased, glued and mixed
 * with characters the fold changes (İ, Ё, Σ, À), three-byte characters
 * and invalid bytes: the prefilter changes no verdict, and the dense and
 * sparse automata see the same patterns. Also with the DFA cap at 0,
 * where the matcher runs on the sparse automaton.
 */
/* atom_common's search of the sorted suffixes finds what memmem over the
 * list of common words finds */
static void
test_atom_common(void **state)
{
	static const char *const alpha[] = {
		"а", "б", "о", "т", "р", "е", "н", "a", "t", "e", "n", "\n",
	};
	uint32_t x = 7;
	size_t i, j, k;

	/* every piece of every word */
	for (i = 0; i < common_words_len; i = j + 1) {
		j = i;
		while (j < common_words_len && common_words[j] != '\n')
			j++;
		for (k = i; k < j; k++) {
			char piece[256];
			size_t len = j - k < sizeof(piece) ? j - k
							     : sizeof(piece) - 1;

			if (((unsigned char)common_words[k] & 0xC0) == 0x80)
				continue;
			memcpy(piece, common_words + k, len);
			piece[len] = '\0';
			assert_true(atom_common(piece));
		}
	}
	/* and random strings */
	for (i = 0; i < 20000; i++) {
		struct buf a;
		size_t n = 1 + lcg(&x) % 4;
		bool want;

		buf_init(&a, 0);
		for (k = 0; k < n; k++)
			buf_addstr(&a, alpha[lcg(&x) % RF_ARRAY_SIZE(alpha)]);
		want = !strchr(a.data, '\n') &&
		       memmem(common_words, common_words_len, a.data,
			      a.len) != NULL;
		if (atom_common(a.data) != want)
			print_error("atom_common('%s') != %d\n", a.data, want);
		assert_true(atom_common(a.data) == want);
		buf_release(&a);
	}
}

/* The places where the prefix atoms of rule i's first pattern begin. */
static size_t
starts_of(const struct ruleset *rs, const struct prefilter_seen *sn,
	  size_t i, const char *text, size_t len)
{
	uint32_t *v = NULL;
	size_t alloc = 0, n;

	n = prefilter_starts(rs->pf, sn, rs->rules[i]->pats[0].pidx, 0, text,
			     len, SIZE_MAX, &v, &alloc);
	free(v);
	return n;
}

/*
 * Past RF_PREFILTER_POS_PER_SET places of one prefix set, and past
 * RF_PREFILTER_POS_MAX in a document, PCRE2 searches the whole text: the
 * same hits, found the slow way.
 */
static void
test_prefilter_pos_limits(void **state)
{
	struct buf rules, doc, on, off;
	struct diags ds;
	struct ruleset *rs;
	struct prefilter_seen sn;
	struct prefilter *sparse;
	size_t i, j, end, nsets = RF_PREFILTER_POS_MAX /
				  RF_PREFILTER_POS_PER_SET + 2;

	buf_init(&rules, 0);
	buf_init(&doc, 0);
	buf_init(&on, 0);
	buf_init(&off, 0);
	/* set i: "q" and two letters naming i; each pattern matches only
	 * its prefix followed by "!" */
	for (i = 0; i < nsets; i++)
		buf_addf(&rules, "rule r%zu {\n meta:\n  indicator = J01\n"
			 " patterns:\n  $a = /q%c%c\\s*!/\n condition:\n  $a\n}\n",
			 i, (int)('a' + i / 26), (int)('a' + i % 26));
	rs = compile(rules.data, &ds);
	assert_non_null(rs);
	/* set 0 once too often, then the rest as often as allowed, so the
	 * document passes the cap of the whole; every set ends with a
	 * match */
	for (i = 0; i < nsets; i++) {
		size_t n = i == 0 ? RF_PREFILTER_POS_PER_SET + 1
				  : RF_PREFILTER_POS_PER_SET - 1;

		for (j = 0; j < n; j++)
			buf_addf(&doc, "q%c%c ", (int)('a' + i / 26),
				 (int)('a' + i % 26));
		buf_addf(&doc, "q%c%c! ", (int)('a' + i / 26),
			 (int)('a' + i % 26));
	}
	prefilter_seen_init(&sn, rs->npatterns);
	/* set 0 alone: over its cap; set 1 alone: every place */
	for (i = 0; i < 2; i++) {
		struct buf one;
		size_t n = i == 0 ? RF_PREFILTER_POS_PER_SET + 1
				  : RF_PREFILTER_POS_PER_SET - 1;

		buf_init(&one, 0);
		for (j = 0; j <= n; j++)
			buf_addf(&one, "qa%c%s ", (int)('a' + i),
				 j == n ? "!" : "");
		prefilter_seen_clear(&sn);
		prefilter_scan(rs->pf, one.data, one.len, &sn);
		assert_false(sn.vis_over);
		assert_int_equal(starts_of(rs, &sn, i, one.data, one.len),
				 i == 0 ? SIZE_MAX : RF_PREFILTER_POS_PER_SET);
		buf_release(&one);
	}
	/* all of them: past the cap of a document, no set has places */
	prefilter_seen_clear(&sn);
	prefilter_scan(rs->pf, doc.data, doc.len, &sn);
	assert_true(sn.vis_over);
	assert_true(sn.nvis <= RF_PREFILTER_POS_MAX);
	assert_int_equal(starts_of(rs, &sn, 1, doc.data, doc.len), SIZE_MAX);
	assert_int_equal(starts_of(rs, &sn, nsets - 1, doc.data, doc.len),
			 SIZE_MAX);
	/* the dense scan notes the same places as the sparse one up to the
	 * cap, in texts that end about where it is reached */
	sparse = prefilter_build_capped(rs, 0, 0);
	end = sn.vis[RF_PREFILTER_POS_MAX - 1].end;
	for (i = 0; i < 10; i++) {
		size_t j2 = i / 2;
		char *cut = xmemdupz(doc.data, end - 2 + j2 * (j2 + 1) / 2);

		prefilter_set_two_chains(rs->pf, i % 2);
		check_dense_sparse(rs, sparse, cut);
		free(cut);
	}
	check_dense_sparse(rs, sparse, doc.data);
	prefilter_free(sparse);
	prefilter_seen_release(&sn);
	fired_both(rs, doc.data, &on, &off);
	assert_string_equal(on.data, off.data);
	for (i = 0; i < nsets; i++) {
		char id[32];

		snprintf(id, sizeof(id), "r%zu ", i);
		assert_non_null(strstr(on.data, id));
	}
	ruleset_free(rs);
	buf_release(&rules);
	buf_release(&doc);
	buf_release(&on);
	buf_release(&off);
	buf_release(&ds.text);
}

static void
test_prefilter_random(void **state)
{
	static const char *const letters[] = {
		"а", "б", "в", "е", "ё", "и", "к", "л", "м", "о", "р", "с",
		"т", "у", "я", "ы", "a", "e", "k", "o", "x",
	};
	static const char *const noise[] = {
		" ", " ", ", ", "\n", "İ", "Ё", "Σ", "À", "€", "\xff", "\xd0",
		"1", "-", "ß", "\t", "\xe2\x80\x83" /* em space */,
		/* overlong two-byte forms, which the DFA steps as one
		 * character of class 0; a lone continuation byte; a
		 * character cut short (at the end of a text, too) */
		"\xc0\x80", "\xc1\xbf", "\xc0", "\x80", "\xd1", "\xe2\x80",
	};
	struct buf text, words[200];
	struct diags ds;
	struct ruleset *rs;
	struct prefilter *sparse, *wide;
	uint32_t x = 12345;
	size_t i, j, k, nl = RF_ARRAY_SIZE(letters);

	buf_init(&text, 0);
	for (i = 0; i < RF_ARRAY_SIZE(words); i++) {
		size_t len = 2 + lcg(&x) % 4;

		buf_init(&words[i], 0);
		for (j = 0; j < len; j++)
			buf_addstr(&words[i], letters[lcg(&x) % (nl - 5)]);
		if (lcg(&x) % 8 == 0)
			buf_addstr(&words[i], letters[nl - 5 + lcg(&x) % 5]);
		/* a character of three bytes, found by search, not table */
		if (lcg(&x) % 16 == 0)
			buf_addstr(&words[i], "€");
	}
	for (i = 0; i < RF_ARRAY_SIZE(words); i++) {
		const char *w = words[i].data;

		buf_addf(&text, "rule r%zu {\n meta:\n  indicator = J01\n"
			 "  strength = weak\n patterns:\n", i);
		switch (lcg(&x) % 10) {
		case 0:
			buf_addf(&text, "  $a = \"%s\"\n", w);
			break;
		case 1:
			buf_addf(&text, "  $a = \"%s\" word\n", w);
			break;
		case 2:
			buf_addf(&text, "  $a = \"%s\" prefix\n", w);
			break;
		case 3:
			buf_addf(&text, "  $a = /%s\\w{0,3}/\n", w);
			break;
		case 4:
			buf_addf(&text, "  $a = /%s(?:а|ы|ом)/\n", w);
			break;
		case 5:
			/* prefixes of several shapes: an alternation, an
			 * optional lead, a digit, a lone letter */
			buf_addf(&text, "  $a = /\\b(?:%s|%s)\\w*\\s+\\w/\n", w,
				 words[(i * 3 + 1) % RF_ARRAY_SIZE(words)].data);
			break;
		case 6:
			buf_addf(&text, "  $a = /(?:%s\\s+)?%s\\w*/\n",
				 words[(i * 5 + 2) % RF_ARRAY_SIZE(words)].data,
				 w);
			break;
		case 7:
			buf_addf(&text, "  $a = /[1-9]\\d*\\W*%s/\n", w);
			break;
		case 8:
			buf_addf(&text, "  $a = /(?:[сa]\\s+)?%s/\n", w);
			break;
		default:
			buf_addf(&text, "  $a = /\\d+/\n");
			break;
		}
		buf_addf(&text, "  $b = \"%s\"\n condition:\n  %s\n}\n",
			 words[(i * 7 + 3) % RF_ARRAY_SIZE(words)].data,
			 i % 3 == 0 ? "$a and not $b" :
			 i % 3 == 1 ? "$a or $b" : "$a");
	}
	rs = compile(text.data, &ds);
	if (!rs)
		print_error("%s", ds.text.data);
	assert_non_null(rs);
	assert_true(prefilter_is_dense(rs->pf));
	sparse = prefilter_build_capped(rs, 0, 0);
	/* the same DFA with 32-bit entries, as rulesets of more than
	 * 65,536 states get it */
	wide = prefilter_build_capped(rs, RF_PREFILTER_DFA_MAX, 0);
	assert_true(prefilter_is_dense(wide));
	/* a table this small is read by one chain of steps; the packs'
	 * by two, which must see the same */
	prefilter_set_two_chains(rs->pf, true);
	prefilter_set_two_chains(wide, true);
	for (i = 0; i < 300; i++) {
		struct buf doc, up;
		size_t n = 1 + lcg(&x) % 12;

		buf_init(&doc, 0);
		buf_init(&up, 0);
		for (k = 0; k < n; k++) {
			buf_addstr(&doc, words[lcg(&x) % RF_ARRAY_SIZE(words)]
					 .data);
			if (lcg(&x) % 4)
				buf_addstr(&doc,
					   noise[lcg(&x) % RF_ARRAY_SIZE(noise)]);
		}
		upcase(doc.data, &up);
		check_dense_sparse(rs, sparse, doc.data);
		check_dense_sparse(rs, sparse, up.data);
		check_dense_sparse(rs, wide, doc.data);
		if (i % 3 == 0) {
			check_verdicts(rs, doc.data);
			check_verdicts(rs, up.data);
		}
		buf_release(&doc);
		buf_release(&up);
	}
	/* long texts, with invalid bytes now and then */
	for (i = 0; i < 60; i++) {
		struct buf doc;
		size_t n = 60 + lcg(&x) % 200;

		buf_init(&doc, 0);
		for (k = 0; k < n; k++) {
			buf_addstr(&doc, words[lcg(&x) % RF_ARRAY_SIZE(words)]
					 .data);
			buf_addstr(&doc, noise[lcg(&x) % 4]);
			if (lcg(&x) % 50 == 0)
				buf_addstr(&doc,
					   noise[lcg(&x) % RF_ARRAY_SIZE(noise)]);
		}
		check_dense_sparse(rs, sparse, doc.data);
		check_dense_sparse(rs, wide, doc.data);
		if (i % 4 == 0)
			check_verdicts(rs, doc.data);
		buf_release(&doc);
	}
	/* texts of words and random bytes, some long: the DFA marks its
	 * visits after every few hundred bytes, and a character may
	 * straddle that place */
	for (i = 0; i < 80; i++) {
		struct buf doc;
		size_t n = 1 + lcg(&x) % (i % 2 ? 600 : 40);

		buf_init(&doc, 0);
		for (k = 0; k < n; k++) {
			uint32_t r = lcg(&x) % 8;
			char b = (char)(0x80 + lcg(&x) % 0x80);

			if (r < 5)
				buf_addstr(&doc,
					   words[lcg(&x) % RF_ARRAY_SIZE(words)]
						   .data);
			else if (r == 5)
				buf_add(&doc, &b, 1);
			else
				buf_addstr(&doc,
					   noise[lcg(&x) % RF_ARRAY_SIZE(noise)]);
		}
		check_dense_sparse(rs, sparse, doc.data);
		check_dense_sparse(rs, wide, doc.data);
		buf_release(&doc);
	}
	/* words slid over the place where the dense scan cuts a long text
	 * between its two chains of steps (about half way), and over the
	 * ATOM_MAX characters before it where the second chain starts:
	 * in ASCII, in Cyrillic, in bytes that start no character */
	for (i = 0; i < 3; i++) {
		static const char *const fill[] = { "x", "ж", "\x80" };

		for (j = 150; j < 560; j += 1 + i) {
			struct buf doc;

			buf_init(&doc, 0);
			for (k = 0; k < j; k++)
				buf_addstr(&doc, fill[i]);
			buf_addstr(&doc, words[j % RF_ARRAY_SIZE(words)].data);
			buf_addstr(&doc, words[j / 7 % RF_ARRAY_SIZE(words)]
						 .data);
			for (k = 0; k < 700 - j; k++)
				buf_addstr(&doc, fill[i]);
			check_dense_sparse(rs, sparse, doc.data);
			check_dense_sparse(rs, wide, doc.data);
			buf_release(&doc);
		}
	}
	prefilter_free(sparse);
	prefilter_free(wide);
	/* the matcher on the sparse fallback */
	prefilter_free(rs->pf);
	rs->pf = prefilter_build_capped(rs, 0, 0);
	assert_false(prefilter_is_dense(rs->pf));
	for (i = 0; i < 60; i++) {
		struct buf doc;

		buf_init(&doc, 0);
		for (k = 0; k < 6; k++) {
			buf_addstr(&doc, words[lcg(&x) % RF_ARRAY_SIZE(words)]
					 .data);
			buf_addstr(&doc, noise[lcg(&x) % RF_ARRAY_SIZE(noise)]);
		}
		check_verdicts(rs, doc.data);
		buf_release(&doc);
	}
	ruleset_free(rs);
	for (i = 0; i < RF_ARRAY_SIZE(words); i++)
		buf_release(&words[i]);
	buf_release(&text);
	buf_release(&ds.text);
}

/* Fired rules and hits of a document of title and body, with the
 * prefilter on and off, as strings. */
static void
hits_both(struct ruleset *rs, const char *title, const char *body,
	  struct buf *on, struct buf *off)
{
	struct matcher *m = matcher_new(rs);
	struct scan_input in = { 0 };
	struct scan_result res;
	size_t i, pass;

	in.text[FIELD_TITLE] = title;
	in.len[FIELD_TITLE] = strlen(title);
	in.text[FIELD_BODY] = body;
	in.len[FIELD_BODY] = strlen(body);
	scan_result_init(&res);
	for (pass = 0; pass < 2; pass++) {
		struct buf *out = pass ? off : on;

		matcher_set_prefilter(m, pass == 0);
		matcher_scan(m, &in, &res);
		for (i = 0; i < res.nfired; i++)
			buf_addf(out, "%s ", rule_id(res.fired[i]));
		for (i = 0; i < res.nhits; i++)
			buf_addf(out, "%s:%s:%d:%zu-%zu ",
				 rule_id(res.hits[i].rule),
				 res.hits[i].pattern, (int)res.hits[i].field,
				 res.hits[i].start, res.hits[i].end);
	}
	scan_result_release(&res);
	matcher_free(m);
}

/* One more than the latest place an atom of set begins in text (all
 * lower case), 0 when none does: what prefilter_start_limit finds. */
static size_t
limit_brute(const struct atom_set *set, const char *text)
{
	size_t k, lim = 0;

	for (k = 0; k < set->n; k++) {
		const char *p = text;

		while ((p = strstr(p, set->atoms[k]))) {
			if ((size_t)(p - text) + 1 > lim)
				lim = (size_t)(p - text) + 1;
			p++;
		}
	}
	return lim;
}

/*
 * A match can only begin at or before the last place an atom of its
 * pattern's required sets begins, so the matcher tries no start after
 * it. Random patterns whose prefixes differ from their required atoms
 * (alternatives, lookbehinds and lookaheads, which hold no required
 * atom, \b, lone letters before a space, a case-sensitive part, lazy
 * gaps) over random texts of their words, upper-cased now and then, a
 * different text in title and body: the same rules fire with the same
 * hits, at the same offsets, as with no prefilter (every place tried);
 * and the limit is the one a search of the text for each atom finds,
 * on the dense DFA and the sparse automaton.
 */
static void
test_start_limit_random(void **state)
{
	static const char *const letters[] = {
		"а", "б", "в", "о", "р", "с", "т",
	};
	static const char *const gaps[] = {
		" ", " ", "  ", "\n", ", ", ". ", "-", "ё ",
	};
	struct buf text, words[24];
	struct diags ds;
	struct ruleset *rs;
	struct prefilter *sparse;
	uint32_t x = 4242;
	size_t i, j, k, nw = RF_ARRAY_SIZE(words), tried = 0, hits = 0;

	(void)state;
	buf_init(&text, 0);
	for (i = 0; i < nw; i++) {
		size_t len = 2 + lcg(&x) % 3;

		buf_init(&words[i], 0);
		for (j = 0; j < len; j++)
			buf_addstr(&words[i],
				   letters[lcg(&x) % RF_ARRAY_SIZE(letters)]);
	}
	for (i = 0; i < 150; i++) {
		const char *a = words[lcg(&x) % nw].data;
		const char *b = words[lcg(&x) % nw].data;
		const char *c = words[lcg(&x) % nw].data;
		const char *d = words[lcg(&x) % nw].data;

		buf_addf(&text, "rule r%zu {\n meta:\n  indicator = J01\n"
			 "  strength = weak\n patterns:\n  $a = ", i);
		switch (i % 11) {
		case 0:
			buf_addf(&text, "/%s\\w*\\s+(?:\\w+\\s+)?%s/", a, b);
			break;
		case 1:
			buf_addf(&text, "/(?<=%s\\s)%s\\w*/", a, b);
			break;
		case 2:
			buf_addf(&text, "/%s\\w*(?=\\s+%s)/", a, b);
			break;
		case 3:
			buf_addf(&text, "/\\b(?:%s|%s)\\s+(?:%s|%s)\\b/", a, b,
				 c, d);
			break;
		case 4:
			buf_addf(&text, "/[св]\\s+%s/", a);
			break;
		case 5:
			buf_addf(&text, "/с\\s+%s\\w*\\s+%s/", a, b);
			break;
		case 6:
			buf_addf(&text, "/%s.{0,12}?%s.{0,12}?%s/", a, b, c);
			break;
		case 7:
			buf_addf(&text, "/(?-i:%s)\\s+%s/", a, b);
			break;
		case 8:
			buf_addf(&text, "/%s(?:\\s+\\w+){0,2}\\s+%s\\b/", a, b);
			break;
		case 9:
			buf_addf(&text, "/\\b%s\\W+%s/", a, b);
			break;
		default:
			/* atoms of which one lies inside another: the
			 * later begins in the one that ends later */
			buf_addf(&text, "/(?:%s|%s%s%s)\\s+%s/", c, a, c, b, d);
			break;
		}
		buf_addf(&text, "\n condition:\n  $a\n}\n");
	}
	rs = compile(text.data, &ds);
	if (!rs)
		print_error("%s", ds.text.data);
	assert_non_null(rs);
	sparse = prefilter_build_capped(rs, 0, 0);
	for (i = 0; i < 400; i++) {
		struct buf doc[2], up, on, off;
		struct prefilter_seen sn;
		size_t f, r;

		for (f = 0; f < 2; f++) {
			size_t n = 1 + lcg(&x) % (i % 8 ? 12 : 80);

			buf_init(&doc[f], 0);
			for (k = 0; k < n; k++) {
				buf_addstr(&doc[f], words[lcg(&x) % nw].data);
				buf_addstr(&doc[f],
					   gaps[lcg(&x) % RF_ARRAY_SIZE(gaps)]);
			}
		}
		/* the limits, against a search for each atom */
		for (f = 0; f < 2; f++) {
			const struct prefilter *pf = f ? sparse : rs->pf;

			prefilter_seen_init(&sn, rs->npatterns);
			prefilter_scan(pf, doc[0].data, doc[0].len, &sn);
			for (r = 0; r < rs->n; r++) {
				const struct pattern *p =
					&rs->rules[r]->pats[0];
				size_t got, want;

				if (!p->atoms.n)
					continue;
				got = prefilter_start_limit(pf, &sn, p->gidx, 0,
							    doc[0].data,
							    doc[0].len);
				want = limit_brute(&p->atoms, doc[0].data);
				if (got != want)
					print_error("'%s': r%zu limit %zu, "
						    "want %zu\n", doc[0].data,
						    r, got, want);
				assert_int_equal(got, want);
				/* none in a field not scanned */
				assert_int_equal(
					prefilter_start_limit(pf, &sn, p->gidx,
							      1, doc[0].data,
							      doc[0].len), 0);
				tried++;
			}
			prefilter_seen_release(&sn);
		}
		/* the verdicts and hits, as written and upper-cased */
		for (f = 0; f < 2; f++) {
			buf_init(&on, 0);
			buf_init(&off, 0);
			buf_init(&up, 0);
			if (f)
				upcase(doc[1].data, &up);
			hits_both(rs, doc[0].data, f ? up.data : doc[1].data,
				  &on, &off);
			if (strcmp(on.data, off.data) != 0)
				print_error("'%s' / '%s': with prefilter '%s', "
					    "without '%s'\n", doc[0].data,
					    doc[1].data, on.data, off.data);
			assert_string_equal(on.data, off.data);
			hits += on.len > 0;
			buf_release(&on);
			buf_release(&off);
			buf_release(&up);
		}
		buf_release(&doc[0]);
		buf_release(&doc[1]);
	}
	assert_true(tried > 1000);
	assert_true(hits > 400);
	prefilter_free(sparse);
	ruleset_free(rs);
	for (i = 0; i < nw; i++)
		buf_release(&words[i]);
	buf_release(&text);
	buf_release(&ds.text);
}

/*
 * The tests of tests[] whose names match one of the comma-separated
 * fnmatch(3) patterns of filter, moved to its front; returns how many.
 * RF_TEST_FILTER selects the slow tests alone, as under valgrind
 * (docs/reliability.md): RF_TEST_FILTER=test_prefilter_dense,*_random.
 */
static size_t
filter_tests(struct CMUnitTest *tests, size_t n, const char *filter)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		const char *p = filter;

		while (*p) {
			size_t len = strcspn(p, ",");
			char pat[128];

			if (len > 0 && len < sizeof(pat)) {
				memcpy(pat, p, len);
				pat[len] = '\0';
				if (fnmatch(pat, tests[i].name, 0) == 0) {
					tests[kept++] = tests[i];
					break;
				}
			}
			p += len;
			if (*p == ',')
				p++;
		}
	}
	return kept;
}

/* atom_is_space() is what \s matches under PCRE2_UCP, every code point. */
/*
 * atom_fold over the basic Cyrillic block (U+0400 to U+045F) against
 * PCRE2's classes and caseless matching: a lower-case letter is its own
 * fold (the fast path for а to џ), a capital is not, and a letter and
 * its fold match each other caselessly.
 */
static void
test_atom_fold_cyrillic(void **state)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *lu = pcre2_compile((PCRE2_SPTR)"^\\p{Lu}$",
				       PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
	pcre2_match_data *md;
	uint32_t cp;
	size_t capitals = 0;

	(void)state;
	assert_non_null(lu);
	md = pcre2_match_data_create(4, NULL);
	for (cp = 0x400; cp <= 0x45F; cp++) {
		char u[4], f[4], re[16];
		size_t n = utf8_encode(cp, u), fn;
		uint32_t fold = atom_fold(cp);
		bool upper = pcre2_match(lu, (PCRE2_SPTR)u, n, 0, 0, md,
					 NULL) > 0;
		pcre2_code *same;

		if (atom_fold(fold) != fold)
			fail_msg("U+%04X: fold U+%04X folds again",
				 (unsigned)cp, (unsigned)fold);
		if (!upper && fold != cp)
			fail_msg("U+%04X: not a capital, folds to U+%04X",
				 (unsigned)cp, (unsigned)fold);
		if (upper && fold == cp)
			fail_msg("U+%04X: a capital, not folded", (unsigned)cp);
		capitals += upper && fold != cp;
		fn = utf8_encode(fold, f);
		memcpy(re, "(?i)^", 5);
		memcpy(re + 5, f, fn);
		re[5 + fn] = '$';
		same = pcre2_compile((PCRE2_SPTR)re, 6 + fn, PCRE2_UTF, &err,
				     &off, NULL);
		assert_non_null(same);
		if (pcre2_match(same, (PCRE2_SPTR)u, n, 0, 0, md, NULL) <= 0)
			fail_msg("U+%04X and its fold U+%04X differ in more "
				 "than case", (unsigned)cp, (unsigned)fold);
		pcre2_code_free(same);
	}
	assert_true(capitals == 48);
	pcre2_match_data_free(md);
	pcre2_code_free(lu);
}

static void
test_atom_is_space(void **state)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)"^\\s$", PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &err, &off,
				       NULL);
	pcre2_match_data *md;
	uint32_t cp;
	size_t spaces = 0;

	(void)state;
	assert_non_null(re);
	md = pcre2_match_data_create_from_pattern(re, NULL);
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		char u[4];
		size_t n;
		bool want;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		n = utf8_encode(cp, u);
		want = pcre2_match(re, (PCRE2_SPTR)u, n, 0, 0, md, NULL) > 0;
		if (atom_is_space(cp) != want)
			fail_msg("U+%04X: atom_is_space %d, \\s %d",
				 (unsigned)cp, !want, want);
		spaces += want;
	}
	assert_true(spaces >= 20);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
}

int
main(void)
{
	const char *filter = getenv("RF_TEST_FILTER");
	struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_minimal),
		cmocka_unit_test(test_atom_is_space),
		cmocka_unit_test(test_atom_fold_cyrillic),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_recovery),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_literals_and_classes),
		cmocka_unit_test(test_near_and_negation),
		cmocka_unit_test(test_scoring),
		cmocka_unit_test(test_runaway_bounded),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_lint),
		cmocka_unit_test(test_atoms),
		cmocka_unit_test(test_lazy_patterns),
		cmocka_unit_test(test_atoms2),
		cmocka_unit_test(test_atoms_prefix),
		cmocka_unit_test(test_space_after_letter),
		cmocka_unit_test(test_atom_common),
		cmocka_unit_test(test_prefilter_pos_limits),
		cmocka_unit_test(test_lint_more),
		cmocka_unit_test(test_long_literals),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_prefilter_sound),
		cmocka_unit_test(test_prefilter_logic),
		cmocka_unit_test(test_comparisons),
		cmocka_unit_test(test_prefilter_dense),
		cmocka_unit_test(test_prefilter_random),
		cmocka_unit_test(test_start_limit_random),
	};

	size_t n = RF_ARRAY_SIZE(tests);

	if (filter && *filter)
		n = filter_tests(tests, n, filter);
	if (n == 0) {
		fprintf(stderr, "test-rules: no test matches '%s'\n", filter);
		return 1;
	}
	return _cmocka_run_group_tests("tests", tests, n, NULL, NULL);
}
