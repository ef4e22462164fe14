/*
 * fuzz-rules.c: the rule language's parser and compiler (rules/rules.h)
 * over any text, with examples run and lint on, as `redflag rules check`
 * does. Diagnostics must be well formed; a failed compile returns nothing;
 * a ruleset that compiles is scanned over a fixed document in every field
 * (explain and profile on) and must report hits inside the text, and its
 * inline examples are run once more. The fixed document and the input
 * itself (which holds the strings its regexes were written for) must get
 * the same verdicts and hits with the literal prefilter and without it:
 * the atoms and prefix sets of any regex are sound.
 */
#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "rules/rules.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static const char title[] = "Работа в Дубае для девушек 18-25";
static const char body[] =
	"Требуются официантки в Дубай, без опыта, зарплата от 2000$.\n"
	"Билеты и визу оформим за счёт работодателя, паспорт сдать по "
	"приезду. Hostess wanted in Dubai, no experience needed, free visa "
	"and flights! Не предоплата: оплата без предоплаты. "
	"Пишите @recruit_kz или +7 701 123 45 67, wa.me/77011234567.";
static const char url[] = "https://example.kz/job/dubai-hostess?id=1";
static const char contacts[] = "@recruit_kz\n+77011234567\n";

struct diag_count {
	size_t errors, warnings;
	struct buf line;
};

static void
on_diag(const struct rule_diag *d, void *arg)
{
	struct diag_count *c = arg;

	FUZZ_ASSERT(d->file && d->message && d->code);
	FUZZ_ASSERT(d->line >= 0 && d->col >= 0);
	FUZZ_ASSERT(d->severity == DIAG_ERROR || d->severity == DIAG_WARNING);
	FUZZ_ASSERT(strlen(d->code) == 4);
	/* what the command line prints, to read every byte of each field */
	buf_reset(&c->line);
	buf_addf(&c->line, "%s:%d:%d: %s: %s [%s]\n%s\n", d->file, d->line,
		 d->col, d->severity == DIAG_ERROR ? "error" : "warning",
		 d->message, d->code, d->source_line ? d->source_line : "");
	if (d->severity == DIAG_ERROR)
		c->errors++;
	else
		c->warnings++;
}

static void
check_hits(const struct hit *hits, size_t n, const struct scan_input *in)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hit *h = &hits[i];

		FUZZ_ASSERT(h->rule && h->pattern);
		FUZZ_ASSERT((unsigned)h->field < FIELD_MAX);
		FUZZ_ASSERT(in->text[h->field]);
		FUZZ_ASSERT(h->start < h->end && h->end <= in->len[h->field]);
	}
}

static void
scan_fixed(const struct ruleset *rs)
{
	struct matcher *m = matcher_new(rs);
	struct scan_input in = {
		.text = { title, body, url, contacts },
		.len = { sizeof(title) - 1, sizeof(body) - 1, sizeof(url) - 1,
			 sizeof(contacts) - 1 },
	};
	struct scan_result res;
	struct score_line lines[RF_INDICATORS_MAX];
	size_t i, passed, failed;
	int bonus;

	matcher_set_explain(m, true);
	matcher_set_profile(m, true);
	scan_result_init(&res);
	FUZZ_ASSERT(matcher_scan(m, &in, &res) == RF_OK);
	check_hits(res.hits, res.nhits, &in);
	check_hits(res.close_hits, res.nclose_hits, &in);
	FUZZ_ASSERT(res.nfired <= ruleset_count(rs));
	FUZZ_ASSERT(res.level >= LEVEL_NONE && res.level <= LEVEL_HIGH);
	FUZZ_ASSERT(score_explain(&score_model_default, &res, lines,
				  RF_ARRAY_SIZE(lines), &bonus) <=
		    RF_ARRAY_SIZE(lines));
	for (i = 0; i < ruleset_count(rs); i++) {
		struct rule_profile p;

		matcher_profile(m, i, &p);
		/* each rule is either verified or skipped, once */
		FUZZ_ASSERT(p.candidates + p.skipped == 1 &&
			    p.fired <= p.candidates);
	}
	scan_result_release(&res);
	matcher_free(m);
	FUZZ_ASSERT(ruleset_test(rs, NULL, NULL, &passed, &failed) == RF_OK);
}

static bool
same_hits(const struct hit *a, const struct hit *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i].rule != b[i].rule || a[i].field != b[i].field ||
		    a[i].start != b[i].start || a[i].end != b[i].end ||
		    strcmp(a[i].pattern, b[i].pattern) != 0)
			return false;
	return true;
}

/* The same verdict and hits with the prefilter and without it. */
static void
check_prefilter(const struct ruleset *rs, const struct scan_input *in)
{
	struct matcher *on = matcher_new(rs), *off = matcher_new(rs);
	struct scan_result a, b;

	matcher_set_explain(on, true);
	matcher_set_explain(off, true);
	matcher_set_prefilter(off, false);
	scan_result_init(&a);
	scan_result_init(&b);
	FUZZ_ASSERT(matcher_scan(on, in, &a) == RF_OK);
	FUZZ_ASSERT(matcher_scan(off, in, &b) == RF_OK);
	/* a rule that hit PCRE2's match limit may differ: anchored tries
	 * each get the limit a whole search shares */
	if (!a.rule_errors && !b.rule_errors) {
		FUZZ_ASSERT(a.nfired == b.nfired && a.nhits == b.nhits &&
			    a.nclose_hits == b.nclose_hits);
		FUZZ_ASSERT(!a.nfired || memcmp(a.fired, b.fired,
						a.nfired * sizeof(*a.fired)) == 0);
		FUZZ_ASSERT(same_hits(a.hits, b.hits, a.nhits));
		FUZZ_ASSERT(same_hits(a.close_hits, b.close_hits,
				      a.nclose_hits));
	}
	scan_result_release(&a);
	scan_result_release(&b);
	matcher_free(on);
	matcher_free(off);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag_count dc = { 0 };
	struct rules_options opts = {
		.diag = on_diag, .diag_arg = &dc, .run_examples = true,
		.lint = true,
	};
	struct rules_compiler *c;
	struct ruleset *rs = NULL;
	enum rf_err err;
	size_t i, j;

	buf_init(&dc.line, 0);
	c = rules_compiler_new(&opts);
	(void)rules_compiler_add_string(c, "fuzz.rules", (const char *)data,
					size);
	err = rules_compiler_finish(c, &rs);
	FUZZ_ASSERT(rules_compiler_errors(c) == dc.errors);
	FUZZ_ASSERT(rules_compiler_warnings(c) == dc.warnings);
	if (err != RF_OK) {
		FUZZ_ASSERT(!rs && dc.errors > 0);
	} else {
		FUZZ_ASSERT(rs && dc.errors == 0);
		for (i = 0; i < ruleset_count(rs); i++) {
			const struct rule *r = ruleset_rule(rs, i);

			FUZZ_ASSERT(rule_id(r) && rule_title(r) &&
				    rule_indicator(r) && rule_file(r));
			FUZZ_ASSERT(rule_pattern_count(r) > 0);
			for (j = 0; j < rule_pattern_count(r); j++)
				FUZZ_ASSERT(rule_pattern_name(r, j));
			FUZZ_ASSERT(utf8_valid(rule_id(r), strlen(rule_id(r)),
					       NULL));
		}
		scan_fixed(rs);
		{
			struct scan_input fixed = {
				.text = { title, body, url, contacts },
				.len = { sizeof(title) - 1, sizeof(body) - 1,
					 sizeof(url) - 1,
					 sizeof(contacts) - 1 },
			};
			struct scan_input self = { 0 };
			struct buf text;

			check_prefilter(rs, &fixed);
			/* the input as a document, made valid UTF-8 */
			buf_init(&text, 0);
			(void)utf8_repair(&text, (const char *)data, size);
			self.text[FIELD_BODY] = text.data;
			self.len[FIELD_BODY] = text.len;
			check_prefilter(rs, &self);
			buf_release(&text);
		}
	}
	ruleset_free(rs);
	rules_compiler_free(c);
	buf_release(&dc.line);
	return 0;
}
