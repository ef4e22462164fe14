/*
 * health.c: per-site health of a run against the runs before it. A site
 * that stops yielding listings (blocked, or its template changed) would
 * otherwise look exactly like a site with nothing suspicious on it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "common/banned.h"

void
report_sites_init(struct report_sites *l)
{
	memset(l, 0, sizeof(*l));
}

void
report_sites_release(struct report_sites *l)
{
	if (l->pool_) {
		rpool_release(l->pool_);
		free(l->pool_);
	}
	free(l->items);
	report_sites_init(l);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of n values (n > 0); the lower middle for even n, so one
 * good run among bad ones does not count as usual. */
static int64_t
median(int64_t *v, size_t n)
{
	if (n)
		qsort(v, n, sizeof(*v), cmp_i64);
	return v[(n - 1) / 2];
}

/* The stats of one site in the runs looked at. */
struct site_rows {
	const struct store_site_stats *now;
	const struct store_site_stats *earlier[REPORT_HEALTH_RUNS];
	size_t nearlier;
};

static void
judge(struct report_site *st, const struct site_rows *rows,
      const int64_t *earlier_runs, size_t nruns, struct rpool *pool)
{
	const struct store_site_counts *c = &st->now, *u = &st->usual;
	int64_t v[REPORT_HEALTH_RUNS];
	size_t i, k;
	struct buf why;

	st->in_run = rows->now != NULL;
	if (rows->now)
		st->now = rows->now->counts;
	st->nearlier = rows->nearlier;
	if (rows->nearlier) {
#define MEDIAN_OF(field)                                                  \
	do {                                                              \
		for (i = 0; i < rows->nearlier; i++)                      \
			v[i] = rows->earlier[i]->counts.field;            \
		st->usual.field = median(v, rows->nearlier);              \
	} while (0)
		MEDIAN_OF(pages_fetched);
		MEDIAN_OF(pages_blocked);
		MEDIAN_OF(errors);
		MEDIAN_OF(listings_extracted);
#undef MEDIAN_OF
	}
	/* the yield per run, oldest first, the run last */
	for (i = 0; i < nruns; i++) {
		int64_t y = -1;

		for (k = 0; k < rows->nearlier; k++)
			if (rows->earlier[k]->run_id == earlier_runs[i])
				y = rows->earlier[k]->counts.listings_extracted;
		st->yield[st->nyield++] = y;
	}
	st->yield[st->nyield++] = rows->now ? c->listings_extracted : -1;

	st->judged = rows->nearlier >= REPORT_HEALTH_MIN_RUNS &&
		     u->listings_extracted >= REPORT_HEALTH_MIN_YIELD;
	if (st->judged &&
	    c->listings_extracted * REPORT_HEALTH_DROP <= u->listings_extracted)
		st->collapsed = true;
	/* every page blocked: flagged even without history */
	if (c->pages_fetched > 0 && c->pages_blocked >= c->pages_fetched &&
	    c->listings_extracted == 0)
		st->collapsed = true;
	if (!st->collapsed) {
		st->why = "";
		return;
	}

	buf_init(&why, 0);
	if (c->pages_fetched == 0 && c->errors == 0) {
		st->reason = REPORT_COLLAPSE_MISSING;
		buf_addf(&why, "no pages fetched in this run; usually %lld "
			       "pages and %lld listings",
			 (long long)u->pages_fetched,
			 (long long)u->listings_extracted);
	} else if (c->pages_blocked * 2 >= c->pages_fetched &&
		   c->pages_blocked > 0) {
		st->reason = REPORT_COLLAPSE_BLOCKED;
		buf_addf(&why, "%lld of %lld pages blocked (anti-bot or "
			       "script-only)",
			 (long long)c->pages_blocked,
			 (long long)c->pages_fetched);
	} else if (c->errors * 2 >= c->pages_fetched + c->errors &&
		   c->errors > 0) {
		st->reason = REPORT_COLLAPSE_ERRORS;
		buf_addf(&why, "%lld fetches failed, %lld pages fetched",
			 (long long)c->errors, (long long)c->pages_fetched);
	} else if (c->pages_fetched * REPORT_HEALTH_DROP <= u->pages_fetched) {
		st->reason = REPORT_COLLAPSE_FEWER_PAGES;
		buf_addf(&why, "%lld pages fetched, usually %lld",
			 (long long)c->pages_fetched,
			 (long long)u->pages_fetched);
	} else {
		st->reason = REPORT_COLLAPSE_NO_LISTINGS;
		buf_addf(&why, "%lld pages fetched as usual but the listings "
			       "fell: the site's template may have changed",
			 (long long)c->pages_fetched);
	}
	if (st->reason != REPORT_COLLAPSE_MISSING && st->judged)
		buf_addf(&why, "; listings %lld, usually %lld",
			 (long long)c->listings_extracted,
			 (long long)u->listings_extracted);
	else if (st->reason != REPORT_COLLAPSE_MISSING)
		buf_addf(&why, "; listings %lld",
			 (long long)c->listings_extracted);
	st->why = rpool_take(pool, buf_detach(&why, NULL));
}

static int
cmp_site(const void *a, const void *b)
{
	const struct report_site *x = a, *y = b;

	if (x->collapsed != y->collapsed)
		return x->collapsed ? -1 : 1;
	return strcmp(x->site, y->site);
}

static void
add_site(struct report_sites *l, struct rpool *pool, const char *site,
	 const struct site_rows *rows, const int64_t *earlier,
	 size_t nearlier)
{
	struct report_site *st;

	ALLOC_GROW(l->items, l->n + 1, l->alloc);
	st = &l->items[l->n++];
	memset(st, 0, sizeof(*st));
	st->site = rpool_dup(pool, site);
	judge(st, rows, earlier, nearlier, pool);
	if (st->collapsed)
		l->ncollapsed++;
}

enum rf_err
report_site_health(struct store *s, int64_t run_id, struct report_sites *l,
		   struct buf *msg)
{
	struct store_run run, prev;
	struct store_site_stats_list sl;
	int64_t earlier[REPORT_HEALTH_RUNS], last = 0, before = run_id;
	size_t nearlier = 0, i, k;
	struct rpool *pool;
	enum rf_err err;

	store_run_init(&run);
	store_run_init(&prev);
	store_site_stats_list_init(&sl);
	if (!l->pool_) {
		l->pool_ = xcalloc(1, sizeof(struct rpool));
		rpool_init(l->pool_);
	}
	pool = l->pool_;
	if ((err = store_run_get(s, run_id, &run))) {
		if (msg)
			buf_addf(msg, "run %lld: %s", (long long)run_id,
				 err == RF_ENOENT ? "no such run"
						  : store_errmsg(s));
		goto out;
	}
	/* the finished runs of the job before this one, newest first */
	while (nearlier < REPORT_HEALTH_RUNS) {
		store_run_release(&prev);
		store_run_init(&prev);
		err = store_run_previous(s, run.job, before, &prev);
		if (err == RF_ENOENT)
			break;
		if (err)
			goto store_fail;
		earlier[nearlier++] = prev.id;
		before = prev.id;
	}
	/* oldest first from here on */
	for (i = 0; i < nearlier / 2; i++) {
		int64_t t = earlier[i];

		earlier[i] = earlier[nearlier - 1 - i];
		earlier[nearlier - 1 - i] = t;
	}
	/* store_site_stats() counts back from the newest run of the job:
	 * ask for enough runs to reach the oldest one wanted */
	if ((err = rep_last_run_id(s, &last)))
		goto store_fail;
	err = store_site_stats(s, run.job,
			       (size_t)(last - (nearlier ? earlier[0]
							 : run_id) + 1),
			       &sl);
	if (err)
		goto store_fail;

	/* sl is by site, then run */
	for (i = 0; i < sl.n; i = k) {
		struct site_rows rows;
		size_t e;

		memset(&rows, 0, sizeof(rows));
		for (k = i; k < sl.n && strcmp(sl.items[k].site,
					      sl.items[i].site) == 0;
		     k++) {
			if (sl.items[k].run_id == run_id) {
				rows.now = &sl.items[k];
				continue;
			}
			for (e = 0; e < nearlier; e++)
				if (sl.items[k].run_id == earlier[e])
					rows.earlier[rows.nearlier++] =
						&sl.items[k];
		}
		if (rows.now || rows.nearlier)
			add_site(l, pool, sl.items[i].site, &rows, earlier,
				 nearlier);
	}
	if (l->n)
		qsort(l->items, l->n, sizeof(*l->items), cmp_site);
	goto out;
store_fail:
	if (msg)
		buf_addf(msg, "site statistics: %s", store_errmsg(s));
out:
	store_site_stats_list_release(&sl);
	store_run_release(&prev);
	store_run_release(&run);
	return err;
}
