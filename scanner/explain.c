/* explain.c: why a document scored what it did, for people and for JSON. */
#include <stdio.h>
#include <string.h>

#include "common/json.h"
#include "common/utf8.h"
#include "scanner/explain.h"
#include "common/banned.h"

/* Start of the context shown before a hit: up to n characters back. */
static size_t
context_start(const char *text, size_t at, size_t n)
{
	while (at > 0 && n > 0) {
		at--;
		if (((unsigned char)text[at] & 0xC0) != 0x80)
			n--;
	}
	return at;
}

static size_t
context_end(const char *text, size_t len, size_t at, size_t n)
{
	while (at < len && n > 0) {
		at++;
		while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80)
			at++;
		n--;
	}
	return at;
}

/* Appends text with line breaks and tabs shown as spaces. */
static void
add_flat(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf_addch(out, (unsigned char)s[i] < 0x20 ? ' ' : s[i]);
}

static void
add_hit_line(struct buf *out, const struct hit *h, const struct scan_input *in)
{
	const char *t = in->text[h->field];
	size_t len = in->len[h->field];
	size_t a = context_start(t, h->start, 30);
	size_t b = context_end(t, len, h->end, 30);

	buf_addf(out, "      $%-10s %s %zu-%zu  %s", h->pattern,
		 rule_field_name(h->field), h->start, h->end, a ? "…" : "");
	add_flat(out, t + a, h->start - a);
	buf_add(out, "[", 1);
	add_flat(out, t + h->start, h->end - h->start);
	buf_add(out, "]", 1);
	add_flat(out, t + h->end, b - h->end);
	buf_addf(out, "%s\n", b < len ? "…" : "");
}

static void
add_rule_hits(struct buf *out, const struct rule *r, const struct hit *hits,
	      size_t n, const struct scan_input *in)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hits[i].rule == r)
			add_hit_line(out, &hits[i], in);
}

static bool
pattern_matched(const struct rule *r, size_t p, const struct hit *hits,
		size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (hits[i].rule == r &&
		    strcmp(hits[i].pattern, rule_pattern_name(r, p)) == 0)
			return true;
	return false;
}

void
explain_text(struct buf *out, const struct scan_result *res,
	     const struct scan_input *in)
{
	const struct score_model *m = &score_model_default;
	struct score_line lines[RF_INDICATORS_MAX];
	size_t i, n, p;
	int bonus;

	buf_addf(out, "Rules that fired (%zu):\n", res->nfired);
	for (i = 0; i < res->nfired; i++) {
		const struct rule *r = res->fired[i];

		buf_addf(out, "  %s  %s %s, %d point%s  (%s:%d)\n", rule_id(r),
			 rule_indicator(r),
			 rule_strength_name(rule_strength(r)), rule_weight(r),
			 rule_weight(r) == 1 ? "" : "s", rule_file(r),
			 rule_line(r));
		add_rule_hits(out, r, res->hits, res->nhits, in);
	}
	n = score_explain(m, res, lines, RF_INDICATORS_MAX, &bonus);
	buf_addstr(out, "\nIndicators (each counts once, at its strongest "
			"rule):\n");
	for (i = 0; i < n; i++) {
		const char *name = indicator_name(lines[i].indicator);

		buf_addf(out, "  %s %-40s %c  %d  %s", lines[i].indicator,
			 name ? name : "", lines[i].dimension
			 ? lines[i].dimension : '-', lines[i].points,
			 rule_id(lines[i].rule));
		if (lines[i].rules > 1)
			buf_addf(out, " (%d rules fired)", lines[i].rules);
		if (lines[i].capped)
			buf_addf(out, " (capped at %d)", m->indicator_cap);
		buf_addch(out, '\n');
	}
	buf_addf(out, "  ILO dimensions present: %d; bonus %+d (%d per "
		      "dimension beyond the first)\n", res->dimensions, bonus,
		 m->dimension_bonus);
	buf_addf(out, "\nScore %d: %s  (low >= %d, medium >= %d, high >= %d)\n",
		 res->score, risk_level_name(res->level), m->threshold[1],
		 m->threshold[2], m->threshold[3]);
	if (res->rule_errors)
		buf_addf(out, "Warning: %zu pattern runs hit their match limit "
			      "(first in rule %s)\n", res->rule_errors,
			 rule_id(res->error_rule));
	if (!res->nclose)
		return;
	buf_addf(out, "\nClose calls (patterns matched, condition false):\n");
	for (i = 0; i < res->nclose; i++) {
		const struct rule *r = res->close[i];

		buf_addf(out, "  %s  %s  missing:", rule_id(r),
			 rule_indicator(r));
		for (p = 0; p < rule_pattern_count(r); p++)
			if (!pattern_matched(r, p, res->close_hits,
					     res->nclose_hits))
				buf_addf(out, " $%s", rule_pattern_name(r, p));
		buf_addch(out, '\n');
		add_rule_hits(out, r, res->close_hits, res->nclose_hits, in);
	}
}

void
explain_json(struct json *j, const struct scan_result *res)
{
	const struct score_model *m = &score_model_default;
	struct score_line lines[RF_INDICATORS_MAX];
	size_t i, n, p;
	int bonus;
	char dim[2] = { 0, 0 };

	n = score_explain(m, res, lines, RF_INDICATORS_MAX, &bonus);
	json_object_begin(j);
	json_key(j, "indicators");
	json_array_begin(j);
	for (i = 0; i < n; i++) {
		json_object_begin(j);
		json_kv_string(j, "indicator", lines[i].indicator);
		dim[0] = lines[i].dimension;
		json_kv_string(j, "dimension", dim[0] ? dim : NULL);
		json_kv_int(j, "points", lines[i].points);
		json_kv_string(j, "rule", rule_id(lines[i].rule));
		json_kv_int(j, "rules_fired", lines[i].rules);
		json_kv_bool(j, "capped", lines[i].capped);
		json_object_end(j);
	}
	json_array_end(j);
	json_kv_int(j, "dimensions", res->dimensions);
	json_kv_int(j, "bonus", bonus);
	json_key(j, "thresholds");
	json_object_begin(j);
	json_kv_int(j, "low", m->threshold[1]);
	json_kv_int(j, "medium", m->threshold[2]);
	json_kv_int(j, "high", m->threshold[3]);
	json_object_end(j);
	json_key(j, "close");
	json_array_begin(j);
	for (i = 0; i < res->nclose; i++) {
		const struct rule *r = res->close[i];

		json_object_begin(j);
		json_kv_string(j, "rule", rule_id(r));
		json_kv_string(j, "indicator", rule_indicator(r));
		json_key(j, "matched");
		json_array_begin(j);
		for (p = 0; p < rule_pattern_count(r); p++)
			if (pattern_matched(r, p, res->close_hits,
					    res->nclose_hits))
				json_string(j, rule_pattern_name(r, p));
		json_array_end(j);
		json_key(j, "missing");
		json_array_begin(j);
		for (p = 0; p < rule_pattern_count(r); p++)
			if (!pattern_matched(r, p, res->close_hits,
					     res->nclose_hits))
				json_string(j, rule_pattern_name(r, p));
		json_array_end(j);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}
