/*
 * report-jsonl.c: the report as JSON Lines for tools: one "report" object
 * with the summary, then one object per listing, cluster and site, each
 * with "schema" and "type" keys. docs/reports.md lists the keys.
 */
#include <string.h>

#include "common/json.h"
#include "reports/reports-int.h"
#include "common/banned.h"

#define REPORT_JSONL_SCHEMA 1

static void
kv_time(struct json *j, const char *key, int64_t t)
{
	struct buf b;

	json_key(j, key);
	if (t <= 0) {
		json_null(j);
		return;
	}
	buf_init(&b, 0);
	rep_time_iso(&b, t);
	json_string(j, b.data);
	buf_release(&b);
}

static void
line_begin(struct json *j, struct buf *out, const char *type)
{
	json_init(j, out);
	json_object_begin(j);
	json_kv_int(j, "schema", REPORT_JSONL_SCHEMA);
	json_kv_string(j, "type", type);
}

static void
line_end(struct json *j, struct buf *out)
{
	json_object_end(j);
	buf_addch(out, '\n');
}

static void
counts_object(struct json *j, const char *key, const struct rep_counts *c)
{
	size_t i;

	json_key(j, key);
	json_object_begin(j);
	for (i = 0; i < c->n; i++)
		json_kv_int(j, c->items[i].name, c->items[i].n);
	json_object_end(j);
}

static void
summary(const struct report *r, struct buf *out)
{
	const struct store_run *run = &r->runs[r->nruns - 1];
	struct json j;
	size_t i;
	int lv;
	char d[2] = { 0, 0 };

	line_begin(&j, out, "report");
	json_kv_string(&j, "job", r->job);
	json_kv_int(&j, "run", run->id);
	json_key(&j, "runs");
	json_array_begin(&j);
	for (i = 0; i < r->nruns; i++)
		json_int(&j, r->runs[i].id);
	json_array_end(&j);
	kv_time(&j, "since", r->since);
	kv_time(&j, "started", run->started_at);
	kv_time(&j, "finished", run->finished_at);
	json_kv_string(&j, "status", store_run_status_name(run->status));
	json_kv_string(&j, "rules_version", run->rules_version);
	kv_time(&j, "generated", r->generated_at);
	json_kv_string(&j, "min_level", rep_level_key(r->min_level));
	json_kv_bool(&j, "pseudonymized", r->pseudonymized);
	json_kv_int(&j, "new", r->nnew);
	json_kv_int(&j, "changed", r->nchanged);
	json_kv_int(&j, "unchanged", r->nunchanged);
	json_kv_int(&j, "removed", r->nremoved_all);
	json_kv_int(&j, "shown", (int64_t)r->nlistings);
	json_key(&j, "levels");
	json_object_begin(&j);
	for (lv = 3; lv >= 0; lv--)
		json_kv_int(&j, rep_level_key((enum store_level)lv),
			    r->by_level[lv]);
	json_object_end(&j);
	counts_object(&j, "indicators", &r->by_indicator);
	json_key(&j, "dimensions");
	json_object_begin(&j);
	for (d[0] = 'A'; d[0] <= 'F'; d[0]++)
		json_kv_int(&j, d, r->by_dimension[d[0] - 'A']);
	json_object_end(&j);
	counts_object(&j, "sites", &r->by_site);
	counts_object(&j, "langs", &r->by_lang);
	json_kv_int(&j, "clusters", (int64_t)r->clusters.n);
	json_key(&j, "collapsed_sites");
	json_array_begin(&j);
	for (i = 0; i < r->sites.n; i++)
		if (r->sites.items[i].collapsed)
			json_string(&j, r->sites.items[i].site);
	json_array_end(&j);
	line_end(&j, out);
}

static void
listing(const struct report *r, struct buf *out, const struct rep_listing *l)
{
	struct json j;
	const size_t *idx;
	size_t i, n;

	line_begin(&j, out, "listing");
	json_kv_int(&j, "id", l->id);
	json_kv_int(&j, "run", l->run_id);
	json_kv_string(&j, "change", store_change_name(l->change));
	json_kv_string(&j, "level", rep_level_key(l->level));
	json_kv_int(&j, "score", l->score);
	json_kv_string(&j, "url", l->url);
	json_kv_string(&j, "site", l->site);
	json_kv_string(&j, "lang", l->lang);
	json_kv_string(&j, "title", l->title);
	json_kv_string(&j, "salary", l->salary);
	json_kv_string(&j, "location", l->location);
	json_kv_string(&j, "employer", l->employer);
	json_kv_string(&j, "posted", l->posted);
	kv_time(&j, "captured", l->captured_at);
	kv_time(&j, "first_seen", l->first_seen_at);
	kv_time(&j, "last_seen", l->last_seen_at);
	kv_time(&j, "removed", l->change == STORE_REMOVED ? l->removed_at : 0);
	json_kv_string(&j, "payload_sha256", l->payload_sha256);
	json_key(&j, "indicators");
	json_array_begin(&j);
	for (i = 0; i < l->nindicators; i++)
		json_string(&j, l->indicators[i]);
	json_array_end(&j);
	json_key(&j, "hits");
	json_array_begin(&j);
	for (i = 0; i < l->nhits; i++) {
		const struct rep_hit *h = &l->hits[i];

		json_object_begin(&j);
		json_kv_string(&j, "rule", h->rule_id);
		json_kv_string(&j, "indicator", h->indicator);
		json_kv_int(&j, "weight", h->weight);
		json_kv_string(&j, "field", h->field);
		json_kv_int(&j, "start", (int64_t)h->start);
		json_kv_int(&j, "end", (int64_t)h->end);
		json_kv_string(&j, "text", h->text);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "contacts");
	json_array_begin(&j);
	for (i = 0; i < l->ncontacts; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "type",
			       store_contact_type_name(l->contacts[i].type));
		json_kv_string(&j, "value", l->contacts[i].value);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_key(&j, "clusters");
	json_array_begin(&j);
	n = report_clusters_of(&r->clusters, l->id, &idx);
	for (i = 0; i < n; i++) {
		const struct report_cluster *c = rep_cluster(r, idx[i]);

		json_object_begin(&j);
		json_kv_string(&j, "kind", report_cluster_kind_name(c->kind));
		json_kv_string(&j, "key", c->key);
		json_kv_int(&j, "size", (int64_t)c->nlistings);
		json_kv_int(&j, "sites", (int64_t)c->nsites);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_kv_string(&j, "text", l->text);
	line_end(&j, out);
}

static void
cluster(struct buf *out, const struct report_cluster *c)
{
	struct json j;
	size_t i;

	line_begin(&j, out, "cluster");
	json_kv_string(&j, "kind", report_cluster_kind_name(c->kind));
	json_kv_string(&j, "key", c->key);
	json_kv_int(&j, "size", (int64_t)c->nlistings);
	json_kv_int(&j, "sites", (int64_t)c->nsites);
	json_kv_int(&j, "locations", (int64_t)c->nlocations);
	json_kv_int(&j, "langs", (int64_t)c->nlangs);
	json_kv_string(&j, "max_level", rep_level_key(c->max_level));
	json_kv_int(&j, "max_score", c->max_score);
	json_key(&j, "indicators");
	json_array_begin(&j);
	for (i = 0; i < c->nindicators; i++)
		json_string(&j, c->indicators[i]);
	json_array_end(&j);
	json_key(&j, "listings");
	json_array_begin(&j);
	for (i = 0; i < c->nlistings; i++)
		json_int(&j, c->listings[i]);
	json_array_end(&j);
	line_end(&j, out);
}

static void
counts(struct json *j, const char *key, const struct store_site_counts *c)
{
	json_key(j, key);
	json_object_begin(j);
	json_kv_int(j, "pages_fetched", c->pages_fetched);
	json_kv_int(j, "pages_blocked", c->pages_blocked);
	json_kv_int(j, "errors", c->errors);
	json_kv_int(j, "listings_extracted", c->listings_extracted);
	json_object_end(j);
}

static void
site(struct buf *out, const struct report_site *s)
{
	struct json j;
	size_t i;

	line_begin(&j, out, "site");
	json_kv_string(&j, "site", s->site);
	json_kv_bool(&j, "in_run", s->in_run);
	counts(&j, "now", &s->now);
	counts(&j, "usual", &s->usual);
	json_kv_int(&j, "earlier_runs", (int64_t)s->nearlier);
	json_key(&j, "yield");
	json_array_begin(&j);
	for (i = 0; i < s->nyield; i++) {
		if (s->yield[i] < 0)
			json_null(&j);
		else
			json_int(&j, s->yield[i]);
	}
	json_array_end(&j);
	json_kv_bool(&j, "judged", s->judged);
	json_kv_bool(&j, "collapsed", s->collapsed);
	json_kv_string(&j, "reason", report_collapse_name(s->reason));
	json_kv_string(&j, "why", s->why);
	line_end(&j, out);
}

void
rep_render_jsonl(const struct report *r, struct buf *out)
{
	size_t i;

	summary(r, out);
	for (i = 0; i < r->nlistings; i++)
		listing(r, out, &r->listings[i]);
	for (i = 0; i < r->nremoved; i++)
		listing(r, out, &r->removed[i]);
	for (i = 0; i < r->clusters.n; i++)
		cluster(out, &r->clusters.items[i]);
	for (i = 0; i < r->sites.n; i++)
		site(out, &r->sites.items[i]);
}
