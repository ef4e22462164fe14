/*
 * report-csv.c: the report as CSV for spreadsheets, one row per listing
 * (shown ones, then removed ones). A cell that a spreadsheet would run
 * as a formula gets a leading apostrophe.
 */
#include <string.h>

#include "reports/reports-int.h"
#include "common/banned.h"

/* Adds one RFC 4180 cell; cells starting with = + - @ tab or CR are
 * neutralized (OWASP's advice against CSV injection). */
static void
cell(struct buf *out, const char *s, bool last)
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
	buf_addstr(out, last ? "\n" : ",");
}

static void
cell_int(struct buf *out, long long v)
{
	buf_addf(out, "%lld,", v);
}

static void
cell_time(struct buf *out, struct buf *tmp, int64_t t)
{
	buf_reset(tmp);
	if (t > 0)
		rep_time_iso(tmp, t);
	cell(out, tmp->data, false);
}

static void
row(const struct report *r, struct buf *out, const struct rep_listing *l)
{
	struct buf t;
	const size_t *idx;
	size_t i, k, n;
	unsigned dims = 0;

	buf_init(&t, 0);
	cell_int(out, (long long)l->run_id);
	cell(out, store_change_name(l->change), false);
	cell(out, rep_level_key(l->level), false);
	cell_int(out, l->score);
	cell(out, l->site, false);
	cell(out, l->url, false);
	cell(out, l->title, false);
	cell(out, l->lang, false);
	cell(out, l->location, false);
	cell(out, l->salary, false);
	cell(out, l->employer, false);
	cell(out, l->posted, false);
	cell_time(out, &t, l->captured_at);
	cell_time(out, &t, l->first_seen_at);
	cell_time(out, &t, l->last_seen_at);
	cell(out, l->payload_sha256, false);

	buf_reset(&t);
	for (i = 0; i < l->nindicators; i++) {
		char d = rep_indicator_dimension(l->indicators[i]);

		buf_addf(&t, "%s%s", i ? " " : "", l->indicators[i]);
		if (d)
			dims |= 1u << (d - 'A');
	}
	cell(out, t.data, false);
	buf_reset(&t);
	for (k = 0; k < 6; k++)
		if (dims & (1u << k))
			buf_addf(&t, "%s%c", t.len ? " " : "", (char)('A' + k));
	cell(out, t.data, false);

	/* each rule once, then every match */
	buf_reset(&t);
	for (i = 0; i < l->nhits; i++) {
		for (k = 0; k < i; k++)
			if (strcmp(l->hits[k].rule_id, l->hits[i].rule_id) == 0)
				break;
		if (k == i)
			buf_addf(&t, "%s%s", t.len ? " " : "",
				 l->hits[i].rule_id);
	}
	cell(out, t.data, false);
	buf_reset(&t);
	for (i = 0; i < l->nhits; i++)
		buf_addf(&t, "%s%s: %s", i ? " | " : "", l->hits[i].rule_id,
			 l->hits[i].text);
	cell(out, t.data, false);
	buf_reset(&t);
	for (i = 0; i < l->ncontacts; i++)
		buf_addf(&t, "%s%s:%s", i ? " " : "",
			 store_contact_type_name(l->contacts[i].type),
			 l->contacts[i].value);
	cell(out, t.data, false);
	buf_reset(&t);
	n = report_clusters_of(&r->clusters, l->id, &idx);
	for (i = 0; i < n; i++) {
		const struct report_cluster *c = rep_cluster(r, idx[i]);

		buf_addf(&t, "%s%s %s (%zu)", i ? "; " : "",
			 report_cluster_kind_name(c->kind), c->key,
			 c->nlistings);
	}
	cell(out, t.data, true);
	buf_release(&t);
}

void
rep_render_csv(const struct report *r, struct buf *out)
{
	size_t i;

	buf_addstr(out, "run,change,level,score,site,url,title,lang,location,"
			"salary,employer,posted,captured,first_seen,last_seen,"
			"payload_sha256,indicators,dimensions,rules,matched,"
			"contacts,clusters\n");
	for (i = 0; i < r->nlistings; i++)
		row(r, out, &r->listings[i]);
	for (i = 0; i < r->nremoved; i++)
		row(r, out, &r->removed[i]);
}
