/*
 * report.c: reads a report from the store: the runs it covers, their
 * listings merged into one verdict each, the findings, texts and contacts
 * of the listings shown, the summaries, the chart, the clusters and the
 * site health; then, with a key, replaces contacts by pseudonyms.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/utf8.h"
#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "common/banned.h"

void
report_opts_init(struct report_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->min_level = STORE_LEVEL_LOW;
	o->lang = REPORT_LANG_EN;
}

static bool
run_exists(struct store *s, int64_t id, enum rf_err *err)
{
	struct store_run r;

	store_run_init(&r);
	*err = store_run_get(s, id, &r);
	store_run_release(&r);
	if (*err == RF_ENOENT) {
		*err = RF_OK;
		return false;
	}
	return *err == RF_OK;
}

enum rf_err
rep_last_run_id(struct store *s, int64_t *out)
{
	int64_t lo = 1, hi = 2;
	enum rf_err err = RF_OK;

	*out = 0;
	if (!run_exists(s, 1, &err))
		return err;
	/* ids have no gaps: find a missing one, then the edge */
	while (run_exists(s, hi, &err)) {
		lo = hi;
		hi *= 2;
	}
	if (err)
		return err;
	while (hi - lo > 1) {
		int64_t mid = lo + (hi - lo) / 2;

		if (run_exists(s, mid, &err))
			lo = mid;
		else if (err)
			return err;
		else
			hi = mid;
	}
	*out = lo;
	return RF_OK;
}

/* ---- choosing the runs ---- */

static void
add_run(struct report *r, const struct store_run *run)
{
	struct store_run *d;

	r->runs = xreallocarray(r->runs, r->nruns + 1, sizeof(*r->runs));
	d = &r->runs[r->nruns++];
	*d = *run;
	memset(&d->strings_, 0, sizeof(d->strings_));
	d->job = rpool_dup(&r->pool, run->job);
	d->rules_version = rpool_dup(&r->pool, run->rules_version);
	d->rules_hash = rpool_dup(&r->pool, run->rules_hash);
	d->stop_reason = rpool_dup(&r->pool, run->stop_reason);
}

static enum rf_err
choose_runs(struct report *r, struct store *s, const struct report_opts *o,
	    struct buf *msg)
{
	struct store_run run;
	int64_t last = 0, id;
	enum rf_err err;

	store_run_init(&run);
	if (o->run_id) {
		err = store_run_get(s, o->run_id, &run);
		if (err == RF_OK)
			add_run(r, &run);
		else if (err == RF_ENOENT && msg)
			buf_addf(msg, "no run %lld in the database",
				 (long long)o->run_id);
		goto out;
	}
	if ((err = rep_last_run_id(s, &last)))
		goto out;
	/* newest first, kept oldest first */
	for (id = last; id >= 1; id--) {
		store_run_release(&run);
		store_run_init(&run);
		if ((err = store_run_get(s, id, &run)))
			goto out;
		if (run.status != STORE_RUN_FINISHED)
			continue;
		if (o->since > 0 && run.finished_at < o->since)
			continue;
		add_run(r, &run);
		if (o->since <= 0)
			break;
	}
	for (size_t i = 0; i < r->nruns / 2; i++) {
		struct store_run t = r->runs[i];

		r->runs[i] = r->runs[r->nruns - 1 - i];
		r->runs[r->nruns - 1 - i] = t;
	}
	if (r->nruns == 0) {
		err = RF_ENOENT;
		if (msg && o->since > 0)
			buf_addstr(msg, "no run finished since that date");
		else if (msg)
			buf_addstr(msg, "no finished run in the database");
	}
out:
	if (err && err != RF_ENOENT && msg && !msg->len)
		buf_addf(msg, "runs: %s", store_errmsg(s));
	store_run_release(&run);
	return err;
}

/* ---- listings ---- */

/* A listing while the runs are merged. */
struct entry {
	struct rep_listing l;
	bool was_new, was_changed, removed;
};

struct merge {
	struct entry *v;
	size_t n, alloc;
	struct imap of;		/* listing id -> index */
};

static void
entry_take(struct report *r, struct entry *e, const struct store_listing *sl,
	   int64_t run_id)
{
	struct rep_listing *l = &e->l;

	l->id = sl->id;
	l->run_id = run_id;
	l->url = rpool_dup(&r->pool, sl->url);
	l->site = rpool_dup(&r->pool, sl->site);
	l->first_seen_at = sl->first_seen_at;
	l->last_seen_at = sl->last_seen_at;
	l->removed_at = sl->removed_at;
	l->purged = sl->purged_at != 0;
	if (sl->change == STORE_REMOVED && l->version_id)
		return;		/* the version seen last stays */
	l->version_id = sl->version_id;
	l->payload_sha256 = rpool_dup(&r->pool, sl->payload_sha256);
	l->lang = rpool_dup(&r->pool, sl->lang);
	l->title = rpool_dup(&r->pool, sl->title);
	l->salary = rpool_dup(&r->pool, sl->salary);
	l->location = rpool_dup(&r->pool, sl->location);
	l->employer = rpool_dup(&r->pool, sl->employer);
	l->posted = rpool_dup(&r->pool, sl->posted);
	l->score = sl->score;
	l->level = sl->level;
}

static void
merge_row(struct report *r, struct merge *m, const struct store_listing *sl,
	  int64_t run_id)
{
	struct entry *e;
	size_t i;

	if (!imap_get(&m->of, sl->id, &i)) {
		ALLOC_GROW(m->v, m->n + 1, m->alloc);
		i = m->n++;
		memset(&m->v[i], 0, sizeof(m->v[i]));
		imap_put(&m->of, sl->id, i);
	}
	e = &m->v[i];
	entry_take(r, e, sl, run_id);
	switch (sl->change) {
	case STORE_NEW:
		e->was_new = true;
		e->removed = false;
		break;
	case STORE_CHANGED:
		e->was_changed = true;
		e->removed = false;
		break;
	case STORE_UNCHANGED:
		e->removed = false;
		break;
	case STORE_REMOVED:
		e->removed = true;
		break;
	}
	/* the verdict over all the runs: gone if gone at the end, else new
	 * if new in any, else changed if changed in any */
	e->l.change = e->removed ? STORE_REMOVED
		      : e->was_new ? STORE_NEW
		      : e->was_changed ? STORE_CHANGED
				       : STORE_UNCHANGED;
}

static enum rf_err
read_listings(struct report *r, struct store *s, struct merge *m,
	      struct buf *msg)
{
	struct store_listing_list ll;
	enum rf_err err = RF_OK;
	size_t i, k;

	for (i = 0; i < r->nruns && !err; i++) {
		store_listing_list_init(&ll);
		err = store_listings(s, r->runs[i].id, STORE_SEL_ALL,
				     STORE_LEVEL_NONE, &ll);
		for (k = 0; k < ll.n && !err; k++)
			merge_row(r, m, &ll.items[k], r->runs[i].id);
		store_listing_list_release(&ll);
	}
	if (err && msg)
		buf_addf(msg, "listings: %s", store_errmsg(s));
	return err;
}

/* Whether off is a character boundary within len bytes of s. */
static bool
boundary(const char *s, size_t len, size_t off)
{
	return off <= len &&
	       (off == len || ((unsigned char)s[off] & 0xC0) != 0x80);
}

static const char *
field_text(const struct rep_listing *l, const char *field)
{
	if (!field)
		return NULL;
	if (strcmp(field, "body") == 0)
		return l->text;
	if (strcmp(field, "title") == 0)
		return l->title;
	if (strcmp(field, "url") == 0)
		return l->url;
	return NULL;
}

static void
place_hits(struct rep_listing *l)
{
	size_t i;

	for (i = 0; i < l->nhits; i++) {
		struct rep_hit *h = &l->hits[i];
		const char *t = field_text(l, h->field);
		size_t len = t ? strlen(t) : 0;

		h->placed = t && h->start < h->end &&
			    boundary(t, len, h->start) &&
			    boundary(t, len, h->end);
	}
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct rep_hit *x = a, *y = b;
	int c = strcmp(x->field, y->field);

	if (c)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/* The text, fields and findings of a listing shown in detail. */
static enum rf_err
read_detail(struct report *r, struct store *s, struct rep_listing *l,
	    struct buf *msg)
{
	struct store_version_list vl;
	struct store_finding_list fl;
	enum rf_err err;
	size_t i, n = 0;

	store_version_list_init(&vl);
	store_finding_list_init(&fl);
	if ((err = store_history(s, l->id, &vl)))
		goto fail;
	for (i = 0; i < vl.n; i++) {
		const struct store_version *v = &vl.items[i];

		if (v->id != l->version_id)
			continue;
		l->text = rpool_dup(&r->pool, v->text);
		l->captured_at = v->first_seen_at;
		if (!l->title)
			l->title = rpool_dup(&r->pool, v->title);
	}
	if (l->version_id &&
	    (err = store_findings(s, l->version_id, l->run_id, &fl)))
		goto fail;
	l->hits = rpool_alloc(&r->pool, (fl.n + 1) * sizeof(*l->hits));
	l->indicators = rpool_alloc(&r->pool, (fl.n + 1) *
						      sizeof(*l->indicators));
	for (i = 0; i < fl.n; i++) {
		const struct store_finding *f = &fl.items[i];
		struct rep_hit *h = &l->hits[i];
		size_t k;

		h->rule_id = rpool_dup(&r->pool, f->rule_id);
		h->indicator = rpool_dup(&r->pool, f->indicator);
		h->field = rpool_dup(&r->pool, f->field ? f->field : "body");
		h->text = rpool_dup(&r->pool, f->text ? f->text : "");
		h->weight = f->weight;
		h->start = f->start;
		h->end = f->end;
		if (!h->indicator)
			continue;
		for (k = 0; k < n && strcmp(l->indicators[k], h->indicator);
		     k++)
			;
		if (k == n)
			l->indicators[n++] = h->indicator;
	}
	l->nhits = fl.n;
	l->nindicators = n;
	if (n)
		qsort(l->indicators, n, sizeof(*l->indicators), cmp_cstr);
	if (l->nhits)
		qsort(l->hits, l->nhits, sizeof(*l->hits), cmp_hit);
	place_hits(l);
	goto out;
fail:
	if (msg)
		buf_addf(msg, "listing %lld: %s", (long long)l->id,
			 store_errmsg(s));
out:
	store_finding_list_release(&fl);
	store_version_list_release(&vl);
	return err;
}

/* Most dangerous first: level, score, new before changed, then id. */
static int
cmp_listing(const void *a, const void *b)
{
	const struct rep_listing *x = a, *y = b;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	if (x->change != y->change)
		return x->change < y->change ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* ---- counts ---- */

static void
count_add(struct rpool *pool, struct rep_counts *c, const char *name)
{
	size_t i;

	if (!name || !*name)
		name = "-";
	for (i = 0; i < c->n; i++) {
		if (strcmp(c->items[i].name, name) == 0) {
			c->items[i].n++;
			return;
		}
	}
	ALLOC_GROW(c->items, c->n + 1, c->alloc);
	c->items[c->n].name = rpool_dup(pool, name);
	c->items[c->n].n = 1;
	c->n++;
}

static int
cmp_count(const void *a, const void *b)
{
	const struct rep_count *x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
count_sort(struct rep_counts *c)
{
	if (c->n)
		qsort(c->items, c->n, sizeof(*c->items), cmp_count);
}

static void
summarize(struct report *r, const struct merge *m)
{
	size_t i, k;

	for (i = 0; i < m->n; i++) {
		const struct rep_listing *l = &m->v[i].l;

		switch (l->change) {
		case STORE_NEW:
			r->nnew++;
			break;
		case STORE_CHANGED:
			r->nchanged++;
			break;
		case STORE_UNCHANGED:
			r->nunchanged++;
			break;
		case STORE_REMOVED:
			r->nremoved_all++;
			break;
		}
		if (l->change != STORE_NEW && l->change != STORE_CHANGED)
			continue;
		if ((unsigned)l->level < 4)
			r->by_level[l->level]++;
		if (l->level >= STORE_LEVEL_LOW) {
			count_add(&r->pool, &r->by_site, l->site);
			count_add(&r->pool, &r->by_lang, l->lang);
		}
	}
	for (i = 0; i < r->nlistings; i++) {
		const struct rep_listing *l = &r->listings[i];
		unsigned dims = 0;

		for (k = 0; k < l->nindicators; k++) {
			char d = rep_indicator_dimension(l->indicators[k]);

			count_add(&r->pool, &r->by_indicator, l->indicators[k]);
			if (d >= 'A' && d <= 'F')
				dims |= 1u << (d - 'A');
		}
		for (k = 0; k < 6; k++)
			if (dims & (1u << k))
				r->by_dimension[k]++;
		if (!dims && l->nindicators)
			r->no_dimension++;
	}
	count_sort(&r->by_site);
	count_sort(&r->by_lang);
	count_sort(&r->by_indicator);
}

/* ---- contacts ---- */

static void
add_contact(struct report *r, struct rep_listing *l,
	    enum store_contact_type type, const char *value)
{
	size_t i;
	struct rep_contact *v;

	for (i = 0; i < l->ncontacts; i++)
		if (l->contacts[i].type == type &&
		    strcmp(l->contacts[i].value, value) == 0)
			return;
	/* few per listing: grown one at a time from the pool */
	v = rpool_alloc(&r->pool, (l->ncontacts + 1) * sizeof(*v));
	if (l->ncontacts)
		memcpy(v, l->contacts, l->ncontacts * sizeof(*v));
	v[l->ncontacts].type = type;
	v[l->ncontacts].value = rpool_dup(&r->pool, value);
	l->contacts = v;
	l->ncontacts++;
}

static enum rf_err
read_contacts(struct report *r, struct store *s, struct buf *msg)
{
	struct imap shown;
	struct store_cluster_list cl;
	enum rf_err err = RF_OK;
	size_t i, k, j, idx;

	imap_init(&shown);
	for (i = 0; i < r->nlistings; i++)
		imap_put(&shown, r->listings[i].id, i);
	for (i = 0; i < r->nremoved; i++)
		imap_put(&shown, r->removed[i].id, r->nlistings + i);
	/* a contact linked to one listing or more: the store's clusters of
	 * size 1, run by run */
	for (j = 0; j < r->nruns && !err; j++) {
		store_cluster_list_init(&cl);
		err = store_clusters(s, r->runs[j].id, 1, &cl);
		for (i = 0; i < cl.n && !err; i++) {
			const struct store_cluster *c = &cl.items[i];

			for (k = 0; k < c->nlistings; k++) {
				struct rep_listing *l;

				if (!imap_get(&shown, c->listings[k].id, &idx))
					continue;
				l = idx < r->nlistings
					    ? &r->listings[idx]
					    : &r->removed[idx - r->nlistings];
				add_contact(r, l, c->type, c->value);
			}
		}
		store_cluster_list_release(&cl);
	}
	if (err && msg)
		buf_addf(msg, "contacts: %s", store_errmsg(s));
	imap_release(&shown);
	return err;
}

/* ---- the chart: levels per run ---- */

static enum rf_err
read_chart(struct report *r, struct store *s, struct buf *msg)
{
	const struct store_run *last = &r->runs[r->nruns - 1];
	struct store_run prev;
	struct store_listing_list ll;
	int64_t ids[REPORT_CHART_RUNS], starts[REPORT_CHART_RUNS];
	int64_t before = last->id;
	size_t n = 0, i, k;
	enum rf_err err = RF_OK;

	ids[n] = last->id;
	starts[n++] = last->started_at;
	while (n < REPORT_CHART_RUNS) {
		store_run_init(&prev);
		err = store_run_previous(s, last->job, before, &prev);
		if (err == RF_OK) {
			ids[n] = prev.id;
			starts[n++] = prev.started_at;
			before = prev.id;
		}
		store_run_release(&prev);
		if (err)
			break;
	}
	if (err == RF_ENOENT)
		err = RF_OK;
	if (err)
		goto fail;
	r->chart = rpool_alloc(&r->pool, n * sizeof(*r->chart));
	r->nchart = n;
	for (i = 0; i < n; i++) {
		struct rep_chart_run *c = &r->chart[n - 1 - i];

		c->run_id = ids[i];
		c->started_at = starts[i];
		store_listing_list_init(&ll);
		err = store_listings(s, ids[i],
				     STORE_SEL_NEW | STORE_SEL_CHANGED,
				     STORE_LEVEL_LOW, &ll);
		for (k = 0; k < ll.n; k++)
			if ((unsigned)ll.items[k].level < 4)
				c->level[ll.items[k].level]++;
		store_listing_list_release(&ll);
		if (err)
			goto fail;
	}
	return RF_OK;
fail:
	if (msg)
		buf_addf(msg, "chart: %s", store_errmsg(s));
	return err;
}

/* ---- pseudonyms ---- */

/* Where a hit's end goes: past the whole pseudonym if it ends in one. */
static size_t
map_end(const size_t *map, size_t len, size_t e)
{
	size_t j = e;

	if (e == 0 || e >= len || map[e] != map[e - 1])
		return map[e];
	while (j < len && map[j] == map[e])
		j++;
	return map[j];
}

static const char *
pseudo_str(struct report *r, const struct report_key *key, const char *s)
{
	struct buf b;

	if (!s)
		return NULL;
	buf_init(&b, 0);
	report_pseudonymize(key, s, strlen(s), &b, NULL);
	return rpool_take(&r->pool, buf_detach(&b, NULL));
}

/* Replaces field (a listing's title or text) and moves its hits. */
static const char *
pseudo_field(struct report *r, const struct report_key *key,
	     struct rep_listing *l, const char *field, const char *s)
{
	struct buf b;
	size_t *map = NULL, len, i;
	const char *out;

	if (!s)
		return NULL;
	len = strlen(s);
	buf_init(&b, 0);
	report_pseudonymize(key, s, len, &b, &map);
	out = rpool_take(&r->pool, buf_detach(&b, NULL));
	for (i = 0; i < l->nhits; i++) {
		struct rep_hit *h = &l->hits[i];

		if (!h->placed || strcmp(h->field, field) != 0)
			continue;
		h->start = map[h->start];
		h->end = map_end(map, len, h->end);
		h->text = rpool_dupn(&r->pool, out + h->start,
				     h->end - h->start);
	}
	free(map);
	return out;
}

static void
pseudo_listing(struct report *r, const struct report_key *key,
	       struct rep_listing *l)
{
	size_t i;
	struct buf b;
	bool *done = xcalloc(l->nhits + 1, sizeof(*done));

	/* hits placed in the title or text move with them; the others
	 * have their own text replaced */
	for (i = 0; i < l->nhits; i++)
		done[i] = l->hits[i].placed &&
			  (strcmp(l->hits[i].field, "title") == 0 ||
			   strcmp(l->hits[i].field, "body") == 0);
	l->title = pseudo_field(r, key, l, "title", l->title);
	l->text = pseudo_field(r, key, l, "body", l->text);
	for (i = 0; i < l->nhits; i++)
		if (!done[i] && strcmp(l->hits[i].field, "url") != 0)
			l->hits[i].text = pseudo_str(r, key, l->hits[i].text);
	free(done);
	l->salary = pseudo_str(r, key, l->salary);
	l->location = pseudo_str(r, key, l->location);
	l->employer = pseudo_str(r, key, l->employer);
	l->posted = pseudo_str(r, key, l->posted);
	for (i = 0; i < l->ncontacts; i++) {
		buf_init(&b, 0);
		report_pseudonym(key, l->contacts[i].type,
				 l->contacts[i].value, &b);
		l->contacts[i].value = rpool_take(&r->pool,
						  buf_detach(&b, NULL));
	}
}

static void
pseudonymize(struct report *r, const struct report_key *key)
{
	static const enum store_contact_type types[] = {
		[REPORT_CLUSTER_PHONE] = STORE_CONTACT_PHONE,
		[REPORT_CLUSTER_HANDLE] = STORE_CONTACT_HANDLE,
		[REPORT_CLUSTER_EMAIL] = STORE_CONTACT_EMAIL,
		[REPORT_CLUSTER_LINK] = STORE_CONTACT_LINK,
	};
	size_t i;

	for (i = 0; i < r->nlistings; i++)
		pseudo_listing(r, key, &r->listings[i]);
	for (i = 0; i < r->nremoved; i++)
		pseudo_listing(r, key, &r->removed[i]);
	for (i = 0; i < r->clusters.n; i++) {
		struct report_cluster *c = &r->clusters.items[i];
		struct buf b;

		struct report_member *m;

		/* the members' titles and places may hold contacts too */
		m = rpool_alloc(&r->pool, c->nlistings * sizeof(*m));
		for (size_t k = 0; k < c->nlistings; k++) {
			m[k] = c->members[k];
			m[k].title = pseudo_str(r, key, m[k].title);
			m[k].location = pseudo_str(r, key, m[k].location);
		}
		c->members = m;
		if (c->kind == REPORT_CLUSTER_TEXT)
			continue;
		buf_init(&b, 0);
		report_pseudonym(key, types[c->kind], c->key, &b);
		c->key = rpool_take(&r->pool, buf_detach(&b, NULL));
	}
	r->pseudonymized = true;
}

/* ---- the report ---- */

static void
keep(struct rep_listing **v, size_t *n, size_t *alloc,
     const struct rep_listing *l)
{
	ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = *l;
}

enum rf_err
report_new(struct store *s, const struct report_opts *o,
	   struct report **out, struct buf *msg)
{
	struct report *r = xcalloc(1, sizeof(*r));
	struct merge m;
	enum rf_err err;
	size_t i;

	memset(&m, 0, sizeof(m));
	imap_init(&m.of);
	rpool_init(&r->pool);
	report_clusters_init(&r->clusters);
	report_sites_init(&r->sites);
	r->lang = o->lang;
	r->min_level = o->min_level;
	r->unchanged = o->unchanged;
	r->since = o->since;
	r->generated_at = o->now ? o->now : (int64_t)time(NULL);

	if ((err = choose_runs(r, s, o, msg)))
		goto out;
	r->job = r->runs[r->nruns - 1].job;
	if ((err = read_listings(r, s, &m, msg)))
		goto out;
	for (i = 0; i < m.n; i++) {
		const struct rep_listing *l = &m.v[i].l;
		bool shown = l->change == STORE_NEW ||
			     l->change == STORE_CHANGED ||
			     (o->unchanged && l->change == STORE_UNCHANGED);

		if (l->level < o->min_level)
			continue;
		if (shown)
			keep(&r->listings, &r->nlistings, &r->listings_alloc,
			     l);
		else if (l->change == STORE_REMOVED)
			keep(&r->removed, &r->nremoved, &r->removed_alloc, l);
	}
	for (i = 0; i < r->nlistings; i++)
		if ((err = read_detail(r, s, &r->listings[i], msg)))
			goto out;
	for (i = 0; i < r->nremoved; i++)
		if ((err = read_detail(r, s, &r->removed[i], msg)))
			goto out;
	if (r->nlistings)
		qsort(r->listings, r->nlistings, sizeof(*r->listings),
		      cmp_listing);
	if (r->nremoved)
		qsort(r->removed, r->nremoved, sizeof(*r->removed),
		      cmp_listing);
	summarize(r, &m);
	if ((err = read_contacts(r, s, msg)) ||
	    (err = read_chart(r, s, msg)) ||
	    (err = report_clusters_compute(s, report_run_id(r), &r->clusters,
					   msg)) ||
	    (err = report_site_health(s, report_run_id(r), &r->sites, msg)))
		goto out;
	if (o->key)
		pseudonymize(r, o->key);
out:
	free(m.v);
	imap_release(&m.of);
	if (err) {
		report_free(r);
		r = NULL;
	}
	*out = r;
	return err;
}

void
report_free(struct report *r)
{
	if (!r)
		return;
	report_clusters_release(&r->clusters);
	report_sites_release(&r->sites);
	free(r->by_site.items);
	free(r->by_lang.items);
	free(r->by_indicator.items);
	free(r->listings);
	free(r->removed);
	free(r->runs);
	rpool_release(&r->pool);
	free(r);
}

int64_t
report_run_id(const struct report *r)
{
	return r->nruns ? r->runs[r->nruns - 1].id : 0;
}

const struct report_clusters *
report_get_clusters(const struct report *r)
{
	return &r->clusters;
}

const struct report_sites *
report_get_sites(const struct report *r)
{
	return &r->sites;
}

const struct report_cluster *
rep_cluster(const struct report *r, size_t i)
{
	return i < r->clusters.n ? &r->clusters.items[i] : NULL;
}
