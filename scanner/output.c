/* output.c: JSON Lines, CSV and table output of scan results. */
#include <stdio.h>
#include <string.h>

#include "common/json.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "scanner/explain.h"
#include "scanner/output.h"
#include "common/banned.h"

/* The indicators of res's fired rules, each once, in taxonomy order. */
static size_t
indicators_of(const struct scan_result *res, const char **out, size_t max)
{
	size_t i, j, n = 0;

	for (i = 0; i < res->nfired; i++) {
		const char *ind = rule_indicator(res->fired[i]);

		for (j = 0; j < n && strcmp(out[j], ind) != 0; j++)
			;
		if (j == n && n < max)
			out[n++] = ind;
	}
	/* insertion sort: J01 < J02 ... */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(out[j - 1], out[j]) > 0; j--) {
			const char *t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

static void
json_hit(struct json *j, const struct hit *h, const struct scan_input *in)
{
	const char *text = in->text[h->field] + h->start;
	size_t len = h->end - h->start;

	json_object_begin(j);
	json_kv_string(j, "rule", rule_id(h->rule));
	json_kv_string(j, "indicator", rule_indicator(h->rule));
	json_kv_int(j, "weight", rule_weight(h->rule));
	json_kv_string(j, "pattern", h->pattern);
	json_kv_string(j, "field", rule_field_name(h->field));
	json_kv_int(j, "start", (int64_t)h->start);
	json_kv_int(j, "end", (int64_t)h->end);
	json_key(j, "text");
	json_stringn(j, text, utf8_prefix(text, len, RF_HIT_TEXT_MAX));
	json_object_end(j);
}

/* "langs": the language of each field with text. */
static void
json_doc_langs(struct json *j, const struct document *d)
{
	int f;

	json_key(j, "langs");
	json_object_begin(j);
	for (f = 0; f < DOC_FIELD_COUNT; f++)
		if (d->lang_fields & (1u << f))
			json_kv_string(j, doc_field_name((enum doc_field)f),
				       lang_name(d->field_lang[f]));
	json_object_end(j);
}

static void
json_field_list(struct json *j, const char *key, unsigned bits)
{
	int f;

	json_key(j, key);
	json_array_begin(j);
	for (f = 0; f < DOC_FIELD_COUNT; f++)
		if (bits & (1u << f))
			json_string(j, doc_field_name((enum doc_field)f));
	json_array_end(j);
}

/* "profile": which profile read the page, which of its fields found
 * something and which fell back to the heuristic. */
static void
json_doc_profile(struct json *j, const struct doc_profile *p)
{
	json_key(j, "profile");
	json_object_begin(j);
	json_kv_string(j, "name", p->name);
	json_field_list(j, "fields", p->fields);
	json_field_list(j, "fallback", p->missed);
	if (p->error)
		json_kv_string(j, "error", p->error);
	json_object_end(j);
}

/* "entities": money and ages of the body, with their spans. */
static void
json_entities(struct json *j, const struct document *d)
{
	struct entity_list l;
	size_t i;

	entity_list_init(&l);
	document_entities(d, &l);
	json_key(j, "entities");
	json_array_begin(j);
	for (i = 0; i < l.n; i++) {
		const struct entity *e = &l.items[i];

		json_object_begin(j);
		json_kv_string(j, "type", entity_kind_name(e->kind));
		if (e->kind == ENTITY_MONEY) {
			json_kv_int(j, "value", e->amount);
			json_kv_string(j, "currency", e->currency);
		} else if (e->kind == ENTITY_AGE) {
			json_key(j, "min");
			if (e->age_min == ENTITY_AGE_OPEN)
				json_null(j);
			else
				json_int(j, e->age_min);
			json_key(j, "max");
			if (e->age_max == ENTITY_AGE_OPEN)
				json_null(j);
			else
				json_int(j, e->age_max);
		}
		json_kv_int(j, "start", (int64_t)e->start);
		json_kv_int(j, "end", (int64_t)e->end);
		json_key(j, "text");
		json_stringn(j, d->body.data + e->start, e->end - e->start);
		json_object_end(j);
	}
	json_array_end(j);
	entity_list_release(&l);
}

void
output_json_document(struct buf *out, const struct document *d,
		     const struct scan_result *res,
		     const struct scan_input *in, bool with_text,
		     unsigned flags)
{
	struct json j;
	size_t i, n;
	const char *inds[32];

	json_init(&j, out);
	json_object_begin(&j);
	json_kv_int(&j, "schema", RF_SCHEMA_VERSION);
	json_kv_string(&j, "source", d->source);
	json_kv_string(&j, "url", d->url);
	json_kv_string(&j, "status", doc_status_name(d->status));
	if (d->status == DOC_ERROR)
		json_kv_string(&j, "error", d->error);
	if (d->note)
		json_kv_string(&j, "note", d->note);
	json_kv_string(&j, "lang", d->lang);
	if (d->sha256[0])
		json_kv_string(&j, "sha256", d->sha256);
	if (with_text && d->charset[0]) {
		json_key(&j, "charset");
		json_object_begin(&j);
		json_kv_string(&j, "name", d->charset);
		json_kv_string(&j, "source", d->charset_source);
		json_kv_int(&j, "replaced", (int64_t)d->charset_replaced);
		json_object_end(&j);
	}
	json_kv_string(&j, "title", d->has_title ? d->title.data : NULL);
	if (with_text) {
		json_kv_string(&j, "text", d->body.data);
		json_key(&j, "fields");
		json_object_begin(&j);
		json_kv_string(&j, "salary", d->salary);
		json_kv_string(&j, "location", d->location);
		json_kv_string(&j, "employer", d->employer);
		json_kv_string(&j, "posted", d->posted);
		json_kv_string(&j, "from", d->structured);
		json_object_end(&j);
		json_doc_langs(&j, d);
		if (d->profile.name)
			json_doc_profile(&j, &d->profile);
	}
	if (!with_text) {
		json_kv_int(&j, "score", res ? res->score : 0);
		json_kv_string(&j, "level",
			       risk_level_name(res ? res->level : LEVEL_NONE));
		json_key(&j, "indicators");
		json_array_begin(&j);
		n = res ? indicators_of(res, inds, RF_ARRAY_SIZE(inds)) : 0;
		for (i = 0; i < n; i++)
			json_string(&j, inds[i]);
		json_array_end(&j);
		json_key(&j, "hits");
		json_array_begin(&j);
		for (i = 0; res && i < res->nhits; i++)
			json_hit(&j, &res->hits[i], in);
		json_array_end(&j);
		if (res && res->rule_errors)
			json_kv_int(&j, "rule_errors",
				    (int64_t)res->rule_errors);
		if (res && (flags & OUT_EXPLAIN)) {
			json_key(&j, "explain");
			explain_json(&j, res);
		}
	}
	json_key(&j, "contacts");
	json_array_begin(&j);
	for (i = 0; i < d->contacts.n; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "type",
			       entity_kind_name(d->contacts.items[i].kind));
		json_kv_string(&j, "value", d->contacts.items[i].value);
		json_object_end(&j);
	}
	json_array_end(&j);
	if (with_text)
		json_entities(&j, d);
	json_object_end(&j);
	buf_addch(out, '\n');
}

static void
jsonl_document(struct buf *out, const struct document *d,
	       const struct scan_result *res, const struct scan_input *in,
	       unsigned flags)
{
	output_json_document(out, d, res, in, false, flags);
}

/* Adds one CSV cell; a cell that a spreadsheet would run as a formula
 * (= + - @ tab or CR first) gets a leading apostrophe. */
static void
csv_cell(struct buf *out, const char *s, bool last)
{
	const char *p;

	if (!s)
		s = "";
	buf_addch(out, '"');
	if (*s && strchr("=+-@\t\r", *s))
		buf_addch(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			buf_addch(out, '"');
		buf_addch(out, *p);
	}
	buf_addch(out, '"');
	buf_addch(out, last ? '\n' : ',');
}

static void
csv_begin(struct buf *out)
{
	buf_addstr(out, "source,url,status,lang,level,score,title,indicators,"
			"rules,contacts\n");
}

static void
csv_document(struct buf *out, const struct document *d,
	     const struct scan_result *res, const struct scan_input *in,
	     unsigned flags)
{
	struct buf list;
	const char *inds[32];
	size_t i, n;
	char score[16];

	buf_init(&list, 0);
	csv_cell(out, d->source, false);
	csv_cell(out, d->url, false);
	csv_cell(out, doc_status_name(d->status), false);
	csv_cell(out, d->lang, false);
	csv_cell(out, risk_level_name(res ? res->level : LEVEL_NONE), false);
	snprintf(score, sizeof(score), "%d", res ? res->score : 0);
	csv_cell(out, score, false);
	csv_cell(out, d->has_title ? d->title.data : "", false);
	n = res ? indicators_of(res, inds, RF_ARRAY_SIZE(inds)) : 0;
	for (i = 0; i < n; i++)
		buf_addf(&list, "%s%s", i ? " " : "", inds[i]);
	csv_cell(out, list.data, false);
	buf_reset(&list);
	for (i = 0; res && i < res->nfired; i++)
		buf_addf(&list, "%s%s", i ? " " : "", rule_id(res->fired[i]));
	csv_cell(out, list.data, false);
	buf_reset(&list);
	for (i = 0; i < d->contacts.n; i++)
		buf_addf(&list, "%s%s", i ? " " : "",
			 d->contacts.items[i].value);
	csv_cell(out, list.data, true);
	buf_release(&list);
}

/* Appends s with control characters shown as spaces (terminal safety). */
static void
add_printable(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		buf_addch(out, c < 0x20 || c == 0x7F ? ' ' : (char)c);
	}
}

static void
table_document(struct buf *out, const struct document *d,
	       const struct scan_result *res, const struct scan_input *in,
	       unsigned flags)
{
	size_t i;

	buf_addf(out, "%-6s %3d  %s", res ? risk_level_name(res->level)
					  : doc_status_name(d->status),
		 res ? res->score : 0, d->source);
	if (d->has_title) {
		buf_add(out, "  ", 2);
		add_printable(out, d->title.data,
			      utf8_prefix(d->title.data, d->title.len, 80));
	}
	if (d->status == DOC_ERROR)
		buf_addf(out, "  (%s)", d->error);
	buf_addch(out, '\n');
	for (i = 0; res && i < res->nhits; i++) {
		const struct hit *h = &res->hits[i];
		const char *t = in->text[h->field] + h->start;

		buf_addf(out, "    %s %-32s %s %zu-%zu  \"",
			 rule_indicator(h->rule), rule_id(h->rule),
			 rule_field_name(h->field), h->start, h->end);
		add_printable(out, t, utf8_prefix(t, h->end - h->start, 120));
		buf_add(out, "\"\n", 2);
	}
	if (res && (flags & OUT_EXPLAIN)) {
		explain_text(out, res, in);
		buf_addch(out, '\n');
	}
}

static const struct output_format formats[] = {
	{ "jsonl", NULL, jsonl_document },
	{ "csv", csv_begin, csv_document },
	{ "table", NULL, table_document },
};

const struct output_format *
output_format_find(const char *name)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(formats); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}
