/*
 * fuzz-match.c: the matcher (rules/rules.h) over any text. A fixed set of
 * rules using every kind of pattern and condition (regex with flags,
 * literals with classes, word and prefix, N of, not, near, unnegated,
 * every scope), plus the shipped packs when the source tree is at hand,
 * is compiled once; the input, made valid UTF-8 as extraction would,
 * fills the fields. Hits must lie inside their field and on character
 * boundaries, and a matcher reused across documents (as a scanner thread
 * does) must give the same verdict as a fresh one, and one without the
 * prefilter (every pattern searched from the start, not anchored where
 * its prefix atoms begin) the same verdicts and hits.
 */
#include <stdbool.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "rules/rules.h"
#include "text/text.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static const char fixed_rules[] =
	"lang ru\n"
	"class а = /[аa@]/\n"
	"class о = /[оo0]/\n"
	"rule f.near {\n"
	" meta:\n  indicator = J03\n  strength = medium\n"
	" patterns:\n"
	"  $visa = \"виз\" prefix\n"
	"  $free = /бесплатн\\w*|free|за\\s+сч[её]т/\n"
	" condition:\n  near($visa, $free, 3)\n"
	"}\n"
	"rule f.unneg {\n"
	" meta:\n  indicator = J04\n  strength = strong\n"
	" patterns:\n"
	"  $fee = \"предоплат\" prefix\n"
	"  $no = /\\b(без|нет|не|no)\\b/\n"
	" condition:\n  unnegated($fee, $no, 2)\n"
	"}\n"
	"rule f.class {\n"
	" meta:\n  indicator = J01\n  weight = 3\n  scope = any\n"
	" patterns:\n"
	"  $work = \"р<а>б<о>т<а>\" word\n"
	"  $money = /(\\d[\\d\\s]*)\\s*(\\$|usd|долл)/x\n"
	"  $dot = /a.b/s\n"
	" condition:\n  2 of them or ($work and not $dot)\n"
	"}\n"
	"rule f.url {\n"
	" meta:\n  indicator = J07\n  scope = url, contacts\n"
	" patterns:\n"
	"  $h = /hostess|dancer|\\+971/\n"
	"  $t = \"t.me/\"\n"
	" condition:\n  any of them\n"
	"}\n"
	"rule f.title {\n"
	" meta:\n  indicator = J06\n  strength = weak\n  scope = title\n"
	" patterns:\n"
	"  $g1 = /девушк|girls?/\n"
	"  $g2 = /\\b1[89]\\s*-\\s*[23]\\d\\b/\n"
	" condition:\n  all of ($g1, $g2) or near($g1, $g1, 1)\n"
	"}\n"
	"rule f.empty {\n"
	" meta:\n  indicator = J10\n  scope = body\n"
	" patterns:\n"
	"  $e = /x*/\n"
	"  $b = /\\b/\n"
	" condition:\n  near($e, $b, 1000) and unnegated($b, $e, 1)\n"
	"}\n";

static struct ruleset *rules;
static struct matcher *reused;

/* Only errors in the fixed rules are worth printing: they are bugs here. */
static void
on_diag(const struct rule_diag *d, void *arg)
{
	if (d->severity == DIAG_ERROR)
		fprintf(stderr, "%s:%d:%d: %s [%s]\n", d->file, d->line,
			d->col, d->message, d->code);
}

static void
load_rules(void)
{
	struct rules_options opts = { .diag = on_diag };
	struct rules_compiler *c = rules_compiler_new(&opts);
	struct rules_compiler *packs = rules_compiler_new(&opts);

	if (rules_compiler_add_string(c, "fixed.rules", fixed_rules,
				      sizeof(fixed_rules) - 1) != RF_OK)
		fuzz_fail(__FILE__, __LINE__, "the fixed rules compile");
	/* the shipped packs too, if this build can see them */
	if (rules_compiler_add_path(packs, RF_SRCDIR "/rules/packs") ==
	    RF_OK)
		(void)rules_compiler_add_path(c, RF_SRCDIR "/rules/packs");
	rules_compiler_free(packs);
	if (rules_compiler_finish(c, &rules) != RF_OK)
		fuzz_fail(__FILE__, __LINE__, "the rules compile");
	rules_compiler_free(c);
	reused = matcher_new(rules);
	matcher_set_explain(reused, true);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	load_rules();
	return 0;
}

static bool
is_boundary(const char *s, size_t len, size_t off)
{
	return off == len || ((unsigned char)s[off] & 0xC0) != 0x80;
}

static void
check_hits(const struct hit *hits, size_t n, const struct scan_input *in)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct hit *h = &hits[i];
		const char *t = in->text[h->field];
		size_t len = in->len[h->field];

		FUZZ_ASSERT((unsigned)h->field < FIELD_MAX && t);
		FUZZ_ASSERT(h->start < h->end && h->end <= len);
		FUZZ_ASSERT(is_boundary(t, len, h->start) &&
			    is_boundary(t, len, h->end));
	}
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf text, contacts;
	struct entity_list ents;
	struct scan_input in = { 0 };
	struct scan_result r1, r2, r3;
	struct matcher *fresh, *plain;
	const char *nl, *last;
	size_t i;

	if (!rules)
		load_rules();
	buf_init(&text, 0);
	buf_init(&contacts, 0);
	(void)utf8_repair(&text, (const char *)data, size);
	/* the first line is the title, the last the URL, as in a listing */
	nl = memchr(text.data, '\n', text.len);
	last = text.len ? text.data + text.len - 1 : text.data;
	while (last > text.data && last[-1] != '\n')
		last--;
	in.text[FIELD_TITLE] = text.data;
	in.len[FIELD_TITLE] = nl ? (size_t)(nl - text.data) : text.len;
	in.text[FIELD_BODY] = text.data;
	in.len[FIELD_BODY] = text.len;
	in.text[FIELD_URL] = last;
	in.len[FIELD_URL] = text.len - (size_t)(last - text.data);
	entity_list_init(&ents);
	entities_find(&ents, text.data, text.len);
	for (i = 0; i < ents.n; i++) {
		buf_addstr(&contacts, ents.items[i].value);
		buf_addch(&contacts, '\n');
	}
	in.text[FIELD_CONTACTS] = contacts.data;
	in.len[FIELD_CONTACTS] = contacts.len;

	scan_result_init(&r1);
	scan_result_init(&r2);
	scan_result_init(&r3);
	fresh = matcher_new(rules);
	matcher_set_explain(fresh, true);
	plain = matcher_new(rules);
	matcher_set_explain(plain, true);
	matcher_set_prefilter(plain, false);
	FUZZ_ASSERT(matcher_scan(reused, &in, &r1) == RF_OK);
	FUZZ_ASSERT(matcher_scan(fresh, &in, &r2) == RF_OK);
	FUZZ_ASSERT(matcher_scan(plain, &in, &r3) == RF_OK);
	check_hits(r1.hits, r1.nhits, &in);
	check_hits(r1.close_hits, r1.nclose_hits, &in);
	FUZZ_ASSERT(r1.nfired == r2.nfired && r1.nhits == r2.nhits &&
		    r1.nclose == r2.nclose && r1.score == r2.score &&
		    r1.level == r2.level);
	FUZZ_ASSERT(!r1.nfired || memcmp(r1.fired, r2.fired,
					 r1.nfired * sizeof(*r1.fired)) == 0);
	FUZZ_ASSERT(same_hits(r1.hits, r2.hits, r1.nhits));
	FUZZ_ASSERT(r1.nfired <= ruleset_count(rules));
	/* a rule that hit PCRE2's match limit may differ: anchored tries
	 * each get the limit a whole search shares */
	if (!r1.rule_errors && !r3.rule_errors) {
		FUZZ_ASSERT(r1.nfired == r3.nfired && r1.nhits == r3.nhits &&
			    r1.nclose_hits == r3.nclose_hits);
		FUZZ_ASSERT(!r1.nfired ||
			    memcmp(r1.fired, r3.fired,
				   r1.nfired * sizeof(*r1.fired)) == 0);
		FUZZ_ASSERT(same_hits(r1.hits, r3.hits, r1.nhits));
		FUZZ_ASSERT(same_hits(r1.close_hits, r3.close_hits,
				      r1.nclose_hits));
	}
	matcher_free(fresh);
	matcher_free(plain);
	scan_result_release(&r1);
	scan_result_release(&r2);
	scan_result_release(&r3);
	entity_list_release(&ents);
	buf_release(&text);
	buf_release(&contacts);
	return 0;
}
