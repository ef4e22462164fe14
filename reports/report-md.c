/*
 * report-md.c: the report as a Markdown summary for e-mail: silent sites,
 * the counts, the most dangerous listings, the largest clusters, site
 * health. Page text is escaped so it cannot become links or markup.
 */
#include <string.h>
#include <strings.h>

#include "common/utf8.h"
#include "reports/reports-int.h"
#include "common/banned.h"

/* Listings and clusters listed in the summary. */
#define MD_LISTINGS_MAX		25
#define MD_CLUSTERS_MAX		10
/* Bytes of a matched text quoted. */
#define MD_QUOTE_MAX		120

/* Appends s (at most max bytes, cut at a character) with Markdown's
 * punctuation backslash-escaped and line breaks made spaces. */
static void
md_n(struct buf *out, const char *s, size_t max)
{
	size_t len, i;

	if (!s)
		return;
	len = strlen(s);
	if (len > max)
		len = utf8_prefix(s, len, max);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n' || c == '\r' || c == '\t') {
			buf_addch(out, ' ');
		} else if (c < 0x20 || c == 0x7f) {
			buf_addstr(out, "\xEF\xBF\xBD");
		} else {
			/* what makes inline markup, links, HTML or
			 * autolinks (GFM links bare "http://" and
			 * e-mail addresses); page text never starts a
			 * line, so block markers need nothing */
			if (strchr("\\`*_[]<>|~&@", c) ||
			    (c == ':' && s[i + 1] == '/' && s[i + 2] == '/') ||
			    (c == '.' && i >= 3 &&
			     strncasecmp(s + i - 3, "www", 3) == 0))
				buf_addch(out, '\\');
			buf_addch(out, (char)c);
		}
	}
	if (len < strlen(s))
		buf_addstr(out, "…");
}

static void
md(struct buf *out, const char *s)
{
	md_n(out, s, (size_t)-1);
}

/* Appends s for a `code span`, where backslashes escape nothing: a
 * backtick, which would end it, becomes an apostrophe. */
static void
md_code(struct buf *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '`')
			buf_addch(out, '\'');
		else if (c < 0x20 || c == 0x7f)
			buf_addch(out, ' ');
		else
			buf_addch(out, (char)c);
	}
}

/* Whether url is a plain http(s) URL of printable ASCII that can stand
 * in an autolink. */
static bool
plain_url(const char *url)
{
	const char *p;

	if (!url || !(strncasecmp(url, "http://", 7) == 0 ||
		      strncasecmp(url, "https://", 8) == 0))
		return false;
	for (p = url; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f ||
		    strchr("<>\"'`\\", *p))
			return false;
	return true;
}

/* A URL as an autolink when it is plain, else as escaped text. */
static void
md_url(struct buf *out, const char *url)
{
	if (plain_url(url)) {
		buf_addf(out, "<%s>", url);
		return;
	}
	md(out, url);
}

static void
header(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	const struct store_run *run = &r->runs[r->nruns - 1];
	size_t i;
	int lv;

	buf_addf(out, "# %s: ", rep_label(L_TITLE, lg));
	md(out, r->job);
	buf_addf(out, ", %s %lld\n\n", rep_label(L_RUN, lg),
		 (long long)run->id);
	if (r->nruns > 1) {
		buf_addf(out, "%s:", rep_label(L_RUNS, lg));
		for (i = 0; i < r->nruns; i++)
			buf_addf(out, " %lld", (long long)r->runs[i].id);
		buf_addstr(out, "  \n");
	}
	buf_addf(out, "%s ", rep_label(L_STARTED, lg));
	rep_time(out, run->started_at, false);
	buf_addf(out, ", %s ", rep_label(L_FINISHED, lg));
	rep_time(out, run->finished_at, false);
	buf_addf(out, ", %s: %s  \n%s ", rep_label(L_STATUS, lg),
		 rep_status_name(run->status, lg),
		 rep_label(L_GENERATED, lg));
	rep_time(out, r->generated_at, false);
	buf_addstr(out, "\n\n");

	if (r->sites.ncollapsed) {
		buf_addf(out, "## ⚠ %s (%zu)\n\n",
			 rep_label(L_SILENT_SITES, lg), r->sites.ncollapsed);
		for (i = 0; i < r->sites.n; i++) {
			const struct report_site *s = &r->sites.items[i];

			if (!s->collapsed)
				continue;
			buf_addstr(out, "- **");
			md(out, s->site);
			buf_addf(out, "**: %s — %s %lld",
				 rep_collapse_label(s->reason, lg),
				 rep_label(L_N_LISTINGS, lg),
				 (long long)s->now.listings_extracted);
			if (s->nearlier)
				buf_addf(out, " (%s %lld)",
					 rep_label(L_USUAL, lg),
					 (long long)
						 s->usual.listings_extracted);
			buf_addf(out, "; %s %lld, %s %lld\n",
				 rep_label(L_N_PAGES, lg),
				 (long long)s->now.pages_fetched,
				 rep_label(L_N_BLOCKED, lg),
				 (long long)s->now.pages_blocked);
		}
		buf_addstr(out, "\n");
	}
	if (r->pseudonymized)
		buf_addf(out, "_%s_\n\n", rep_label(L_PSEUDONYMIZED, lg));

	buf_addf(out, "## %s\n\n| %s | %s | %s | %s |",
		 rep_label(L_SUMMARY, lg), rep_label(L_NEW, lg),
		 rep_label(L_CHANGED, lg), rep_label(L_REMOVED, lg),
		 rep_label(L_UNCHANGED, lg));
	for (lv = 3; lv >= 1; lv--)
		buf_addf(out, " %s |",
			 rep_level_name((enum store_level)lv, lg));
	buf_addstr(out, "\n|---:|---:|---:|---:|---:|---:|---:|\n");
	buf_addf(out, "| %lld | %lld | %lld | %lld |", (long long)r->nnew,
		 (long long)r->nchanged, (long long)r->nremoved_all,
		 (long long)r->nunchanged);
	for (lv = 3; lv >= 1; lv--)
		buf_addf(out, " %lld |", (long long)r->by_level[lv]);
	buf_addstr(out, "\n\n");
	if (r->by_indicator.n) {
		buf_addf(out, "%s:", rep_label(L_INDICATORS, lg));
		for (i = 0; i < r->by_indicator.n; i++) {
			buf_addstr(out, i ? ", " : " ");
			md(out, r->by_indicator.items[i].name);
			buf_addf(out, " %lld",
				 (long long)r->by_indicator.items[i].n);
		}
		buf_addstr(out, "\n\n");
	}
}

static void
listing(const struct report *r, struct buf *out, size_t no,
	const struct rep_listing *l)
{
	enum report_lang lg = r->lang;
	size_t i;

	buf_addf(out, "%zu. **%s %d** · %s · ", no,
		 rep_level_name(l->level, lg), l->score,
		 rep_change_name(l->change, lg));
	md(out, l->title ? l->title : "—");
	buf_addstr(out, " — ");
	md(out, l->site);
	if (l->location) {
		buf_addstr(out, ", ");
		md(out, l->location);
	}
	buf_addstr(out, "  \n   ");
	if (l->nindicators) {
		buf_addf(out, "%s: ", rep_label(L_INDICATORS, lg));
		for (i = 0; i < l->nindicators; i++) {
			const char *name = rep_indicator_name(l->indicators[i],
							      lg);

			buf_addstr(out, i ? ", " : "");
			md(out, l->indicators[i]);
			if (name) {
				buf_addstr(out, " ");
				md(out, name);
			}
		}
		buf_addstr(out, "  \n   ");
	}
	if (l->nhits) {
		buf_addf(out, "%s: ", rep_label(L_MATCHED, lg));
		for (i = 0; i < l->nhits && i < 6; i++) {
			buf_addstr(out, i ? "; " : "");
			buf_addstr(out, "“");
			md_n(out, l->hits[i].text, MD_QUOTE_MAX);
			buf_addstr(out, "” (");
			md(out, l->hits[i].rule_id);
			buf_addstr(out, ")");
		}
		if (l->nhits > 6)
			buf_addf(out, "; +%zu", l->nhits - 6);
		buf_addstr(out, "  \n   ");
	}
	md_url(out, l->url);
	buf_addstr(out, " · SHA-256 `");
	md_code(out, l->payload_sha256);
	buf_addstr(out, "`\n");
}

void
rep_render_md(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	size_t i, n;

	header(r, out);

	buf_addf(out, "## %s (%zu)\n\n%s %s\n\n", rep_label(L_LISTINGS, lg),
		 r->nlistings, rep_label(L_LISTINGS_NOTE, lg),
		 rep_level_name(r->min_level, lg));
	if (r->nlistings == 0)
		buf_addf(out, "%s\n\n", rep_label(L_NO_LISTINGS, lg));
	n = r->nlistings < MD_LISTINGS_MAX ? r->nlistings : MD_LISTINGS_MAX;
	for (i = 0; i < n; i++)
		listing(r, out, i + 1, &r->listings[i]);
	if (n < r->nlistings)
		buf_addf(out, "\n**%zu** %s\n", r->nlistings - n,
			 rep_label(L_MORE_LISTINGS, lg));
	buf_addstr(out, "\n");

	if (r->clusters.n) {
		buf_addf(out, "## %s (%zu)\n\n", rep_label(L_CLUSTERS, lg),
			 r->clusters.n);
		for (i = 0; i < r->clusters.n && i < MD_CLUSTERS_MAX; i++) {
			const struct report_cluster *c = &r->clusters.items[i];
			size_t k;

			buf_addf(out, "- %s `",
				 rep_cluster_kind_label(c->kind, lg));
			md_code(out, c->key);
			buf_addf(out, "`: %zu %s, %zu %s, %s",
				 c->nlistings, rep_label(L_N_LISTINGS, lg),
				 c->nsites, rep_label(L_N_SITES, lg),
				 rep_level_name(c->max_level, lg));
			for (k = 0; k < c->nindicators; k++) {
				buf_addstr(out, k ? " " : "; ");
				md(out, c->indicators[k]);
			}
			buf_addstr(out, "\n");
		}
		buf_addstr(out, "\n");
	}

	buf_addf(out, "## %s\n\n| %s | %s | %s | %s | %s | %s |\n"
		      "|---|---|---:|---:|---:|---:|\n",
		 rep_label(L_SITE_HEALTH, lg), rep_label(L_SITE, lg),
		 rep_label(L_VERDICT, lg), rep_label(L_PAGES, lg),
		 rep_label(L_BLOCKED, lg), rep_label(L_ERRORS, lg),
		 rep_label(L_YIELD, lg));
	for (i = 0; i < r->sites.n; i++) {
		const struct report_site *s = &r->sites.items[i];

		buf_addstr(out, "| ");
		md(out, s->site);
		buf_addf(out, " | %s%s%s | %lld | %lld | %lld | %lld",
			 s->collapsed ? "**" : "",
			 s->collapsed ? rep_collapse_label(s->reason, lg)
			 : s->judged  ? rep_label(L_OK, lg)
				      : rep_label(L_NOT_JUDGED, lg),
			 s->collapsed ? "**" : "",
			 (long long)s->now.pages_fetched,
			 (long long)s->now.pages_blocked,
			 (long long)s->now.errors,
			 (long long)s->now.listings_extracted);
		if (s->nearlier)
			buf_addf(out, " (%s %lld)", rep_label(L_USUAL, lg),
				 (long long)s->usual.listings_extracted);
		buf_addstr(out, " |\n");
	}
	buf_addf(out, "\n%s\n", rep_label(L_FOOTER, lg));
}
