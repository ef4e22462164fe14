/*
 * structure.c: J18, the structural sign: one contact behind many
 * listings, or one text in many places, added to a run's verdicts after
 * its listings are stored (structure.h has the policy).
 */
#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/xmalloc.h"
#include "rules/rules.h"
#include "scanner/structure.h"
#include "common/banned.h"

int
structure_j18_points(const struct report_cluster *c, const char **rule)
{
	static const char *const rules[REPORT_CLUSTER_MAX] = {
		[REPORT_CLUSTER_PHONE] = STRUCTURE_RULE_PREFIX "shared_phone",
		[REPORT_CLUSTER_HANDLE] = STRUCTURE_RULE_PREFIX "shared_handle",
		[REPORT_CLUSTER_EMAIL] = STRUCTURE_RULE_PREFIX "shared_email",
		[REPORT_CLUSTER_LINK] = STRUCTURE_RULE_PREFIX "shared_link",
		[REPORT_CLUSTER_TEXT] = STRUCTURE_RULE_PREFIX "same_text",
	};
	bool lexical = false, spread;
	int points = 0;
	size_t i;

	for (i = 0; i < c->nindicators; i++)
		if (strcmp(c->indicators[i], "J18") != 0)
			lexical = true;
	if (!lexical || c->nlistings < 2 ||
	    (unsigned)c->kind >= REPORT_CLUSTER_MAX)
		return 0;
	if (c->kind == REPORT_CLUSTER_TEXT) {
		/* the same text in one language is no spread */
		spread = c->nsites > 1 || c->nlocations > 1;
		if (spread)
			points = c->nlistings >= 3 ? 2 : 1;
	} else {
		spread = c->nsites > 1 || c->nlocations > 1 || c->nlangs > 1;
		if (c->nlistings >= 3)
			points = spread ? 2 : 1;
		else if (spread)
			points = 1;
	}
	if (points && rule)
		*rule = rules[c->kind];
	return points;
}

bool
structure_is_chrome(const struct report_cluster *c, size_t site_listings)
{
	return c->kind != REPORT_CLUSTER_TEXT && c->nsites == 1 &&
	       c->nlistings >= STRUCTURE_CHROME_MIN_LISTINGS &&
	       2 * c->nlistings >= site_listings;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* How many of the n sorted site names are site. */
static size_t
site_listings(const char **sites, size_t n, const char *site)
{
	size_t lo = 0, hi = n, mid, first;

	if (!site)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(sites[mid], site) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && strcmp(sites[lo], site) == 0)
		lo++;
	return lo - first;
}

static bool
is_structural(const struct store_finding *f)
{
	return strncmp(f->rule_id, STRUCTURE_RULE_PREFIX,
		       strlen(STRUCTURE_RULE_PREFIX)) == 0;
}

static bool
same_finding(const struct store_finding *a, const struct store_finding *b)
{
	return strcmp(a->rule_id, b->rule_id) == 0 && a->weight == b->weight &&
	       strcmp(a->text ? a->text : "", b->text ? b->text : "") == 0;
}

/* What one listing gets: the findings in effect without the structural
 * ones, then the structural ones the clusters make now. */
struct verdict {
	struct store_finding *f;
	size_t n, alloc;
	size_t nkept;		/* f[0..nkept) are the rules' findings */
	char **texts;		/* owned texts of the structural ones */
	size_t ntexts, texts_alloc;
};

static void
verdict_reset(struct verdict *v)
{
	size_t i;

	for (i = 0; i < v->ntexts; i++)
		free(v->texts[i]);
	v->n = v->nkept = v->ntexts = 0;
}

static void
verdict_release(struct verdict *v)
{
	verdict_reset(v);
	free(v->f);
	free(v->texts);
}

static struct store_finding *
verdict_push(struct verdict *v)
{
	ALLOC_GROW(v->f, v->n + 1, v->alloc);
	memset(&v->f[v->n], 0, sizeof(v->f[v->n]));
	return &v->f[v->n++];
}

/* Adds the J18 findings of the clusters idx[0..n) of c; returns the
 * highest points among them. */
static int
add_structural(struct verdict *v, const struct report_clusters *c,
	       const bool *chrome, const size_t *idx, size_t n)
{
	struct buf text;
	int best = 0;
	size_t k;

	buf_init(&text, 0);
	for (k = 0; k < n; k++) {
		const struct report_cluster *cl = &c->items[idx[k]];
		const char *rule = NULL;
		int points = structure_j18_points(cl, &rule);
		struct store_finding *f;

		if (!points || chrome[idx[k]])
			continue;
		buf_reset(&text);
		buf_addf(&text, "%s: listings %zu, sites %zu, locations %zu, "
			 "languages %zu", cl->key, cl->nlistings, cl->nsites,
			 cl->nlocations, cl->nlangs);
		ALLOC_GROW(v->texts, v->ntexts + 1, v->texts_alloc);
		v->texts[v->ntexts] = xstrdup(text.data);
		f = verdict_push(v);
		f->rule_id = rule;
		f->indicator = "J18";
		f->weight = points;
		f->field = cl->kind == REPORT_CLUSTER_TEXT ? "structure" :
							     "contacts";
		f->text = v->texts[v->ntexts++];
		if (points > best)
			best = points;
	}
	buf_release(&text);
	return best;
}

/* Sets the J18 verdict of one listing the run saw. */
static enum rf_err
apply_one(struct store *s, int64_t run_id, const struct store_listing *l,
	  const struct report_clusters *c, const bool *chrome,
	  struct verdict *v, struct structure_counts *out, struct buf *msg)
{
	const int cap = score_model_default.indicator_cap;
	struct store_finding_list fl;
	const size_t *idx = NULL;
	size_t i, nold = 0, n = report_clusters_of(c, l->id, &idx);
	int lex18 = 0, best, score;
	bool same;
	enum rf_err err;

	store_finding_list_init(&fl);
	verdict_reset(v);
	err = store_findings(s, l->version_id, run_id, &fl);
	if (err) {
		buf_addf(msg, "cannot read findings: %s", store_errmsg(s));
		goto out;
	}
	for (i = 0; i < fl.n; i++) {
		const struct store_finding *f = &fl.items[i];

		if (is_structural(f)) {
			nold++;
			continue;
		}
		/* a rule's own J18 finding counts with the cluster's, at
		 * the stronger of the two */
		if (f->indicator && strcmp(f->indicator, "J18") == 0 &&
		    f->weight > lex18)
			lex18 = f->weight;
		*verdict_push(v) = *f;
	}
	v->nkept = v->n;
	best = add_structural(v, c, chrome, idx, n);
	if (best == 0 && nold == 0)
		goto out;
	same = v->n - v->nkept == nold;
	for (i = 0, n = v->nkept; same && i < fl.n; i++)
		if (is_structural(&fl.items[i]))
			same = same_finding(&fl.items[i], &v->f[n++]);
	/* the pipeline's score is the rules' alone; J18 has no ILO
	 * dimension, so it adds its points without a bonus */
	if (lex18 > cap)
		lex18 = cap;
	if (best > cap)
		best = cap;
	score = l->score + (best > lex18 ? best - lex18 : 0);
	if (same && score == l->score)
		goto out;
	err = store_verdict_set(s, run_id, l->version_id,
				same ? NULL : v->f, same ? 0 : v->n, score,
				(enum store_level)score_level(
					&score_model_default, score));
	if (err) {
		buf_addf(msg, "cannot record the J18 verdict of %s: %s",
			 l->url, store_errmsg(s));
		goto out;
	}
	if (score != l->score)
		out->changed++;
out:
	if (!err && best)
		out->listings++;
	store_finding_list_release(&fl);
	return err;
}

enum rf_err
structure_apply(struct store *s, int64_t run_id,
		struct structure_counts *out, struct buf *msg)
{
	struct store_listing_list ll;
	struct report_clusters c;
	struct verdict v;
	const char **sites = NULL;
	bool *chrome = NULL;
	enum rf_err err;
	size_t i, nsites = 0;

	memset(out, 0, sizeof(*out));
	memset(&v, 0, sizeof(v));
	report_clusters_init(&c);
	store_listing_list_init(&ll);
	if ((err = report_clusters_compute(s, run_id, &c, msg)) != RF_OK)
		goto out;
	err = store_listings(s, run_id, STORE_SEL_SEEN, STORE_LEVEL_NONE, &ll);
	if (err) {
		buf_addf(msg, "cannot read the run's listings: %s",
			 store_errmsg(s));
		goto out;
	}
	/* the run's listings per site, for clusters of a site's own */
	sites = xcalloc(ll.n + 1, sizeof(*sites));
	for (i = 0; i < ll.n; i++)
		if (ll.items[i].site)
			sites[nsites++] = ll.items[i].site;
	if (nsites)
		qsort(sites, nsites, sizeof(*sites), cmp_str);
	chrome = xcalloc(c.n + 1, sizeof(*chrome));
	for (i = 0; i < c.n; i++) {
		const struct report_cluster *cl = &c.items[i];

		if (!structure_j18_points(cl, NULL))
			continue;
		chrome[i] = structure_is_chrome(
			cl, site_listings(sites, nsites, cl->members[0].site));
		if (chrome[i])
			out->chrome++;
		else
			out->clusters++;
	}
	if ((err = store_begin(s)) != RF_OK) {
		buf_addf(msg, "%s", store_errmsg(s));
		goto out;
	}
	for (i = 0; i < ll.n && !err; i++)
		err = apply_one(s, run_id, &ll.items[i], &c, chrome, &v, out,
				msg);
	if (err) {
		if (store_rollback(s) != RF_OK)
			buf_addf(msg, "; %s", store_errmsg(s));
	} else if ((err = store_commit(s)) != RF_OK) {
		buf_addf(msg, "%s", store_errmsg(s));
	}
out:
	free(sites);
	free(chrome);
	verdict_release(&v);
	store_listing_list_release(&ll);
	report_clusters_release(&c);
	return err;
}
