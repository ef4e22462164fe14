/*
 * report-html.c: the report as one self-contained HTML file: no
 * JavaScript, no external assets (HTML, CSS and inline SVG), readable
 * offline. Every string that came from a page or the store is escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "config.h"
#include "common/banned.h"

/* Clusters and members of one cluster listed in the HTML. */
#define HTML_CLUSTERS_MAX	200
#define HTML_MEMBERS_MAX	20
/* Bars in the charts of indicators and sites. */
#define HTML_TOP_BARS		10

/* ---- escaping ---- */

static bool
bidi_control(uint32_t c)
{
	return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/*
 * Appends len bytes of s escaped for HTML text (attr false) or a quoted
 * attribute value. Invalid UTF-8 and control characters become U+FFFD;
 * bidirectional overrides, which can make text read backwards, are shown
 * by name in text and replaced in attributes.
 */
static void
esc_n(struct buf *out, const char *s, size_t len, bool attr)
{
	static const char repl[] = "\xEF\xBF\xBD";
	size_t i = 0, n;
	uint32_t cp;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			switch (c) {
			case '&':
				buf_addstr(out, "&amp;");
				break;
			case '<':
				buf_addstr(out, "&lt;");
				break;
			case '>':
				buf_addstr(out, "&gt;");
				break;
			case '"':
				buf_addstr(out, "&quot;");
				break;
			case '\'':
				buf_addstr(out, "&#39;");
				break;
			case '\t':
			case '\n':
				buf_addch(out, attr ? ' ' : (char)c);
				break;
			case '\r':
				buf_addch(out, attr ? ' ' : '\n');
				break;
			default:
				if (c < 0x20 || c == 0x7f)
					buf_addstr(out, repl);
				else
					buf_addch(out, (char)c);
			}
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (n == 0) {
			buf_addstr(out, repl);
			i++;
			continue;
		}
		if (cp < 0xA0) {
			buf_addstr(out, repl);
		} else if (bidi_control(cp)) {
			if (attr)
				buf_addstr(out, repl);
			else
				buf_addf(out, "<span class=\"ctl\">U+%04X"
					      "</span>",
					 (unsigned)cp);
		} else {
			buf_add(out, s + i, n);
		}
		i += n;
	}
}

static void
esc(struct buf *out, const char *s)
{
	if (s)
		esc_n(out, s, strlen(s), false);
}

static void
esc_attr(struct buf *out, const char *s)
{
	if (s)
		esc_n(out, s, strlen(s), true);
}

/* Only http and https URLs become links. */
static bool
linkable(const char *url)
{
	return url && (strncasecmp(url, "http://", 7) == 0 ||
		       strncasecmp(url, "https://", 8) == 0);
}

/* ---- pieces ---- */

static const char style[] =
	"*{box-sizing:border-box}"
	"body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',"
	"Roboto,'Noto Sans','DejaVu Sans',sans-serif;color:#1a1a1a;"
	"background:#f3f4f6}"
	"main{max-width:1180px;margin:0 auto;padding:16px 20px 40px}"
	"h1{font-size:24px;margin:0 0 2px}h2{font-size:19px;margin:28px 0 8px;"
	"border-bottom:2px solid #d6d9de;padding-bottom:4px}"
	"h3{font-size:17px;margin:0;display:inline}"
	".meta,.note{color:#555;margin:2px 0 10px}"
	".alert{background:#fff0f0;border:2px solid #b00020;border-radius:6px;"
	"padding:10px 14px;margin:14px 0}"
	".alert h2{color:#b00020;border:0;margin:0 0 4px}"
	".alert li{margin:3px 0}"
	".pseudo{background:#eef4ff;border:1px solid #9bb7e6;border-radius:6px;"
	"padding:6px 12px}"
	".cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}"
	".card{background:#fff;border-radius:6px;padding:8px 14px;"
	"min-width:104px;"
	"border-top:4px solid #9aa1ab;box-shadow:0 1px 2px rgba(0,0,0,.08)}"
	".card b{display:block;font-size:26px;line-height:1.1}"
	".card span{color:#555;font-size:13px}"
	".card.lv3{border-color:#b00020}.card.lv2{border-color:#e07000}"
	".card.lv1{border-color:#c9a400}.card.gone{border-color:#6b7280}"
	".card.new{border-color:#1f6feb}.card.lv0{opacity:.7}"
	".cards .sep{width:18px}"
	".charts{display:flex;flex-wrap:wrap;gap:12px}"
	".chart{background:#fff;border-radius:6px;padding:8px 10px}"
	".chart h4{margin:0 0 4px;font-size:13px;color:#444}"
	".tables{display:flex;flex-wrap:wrap;gap:12px;margin-top:12px;"
	"align-items:flex-start}"
	"table{border-collapse:collapse;background:#fff;font-size:13.5px}"
	"th,td{padding:4px 8px;border-bottom:1px solid #e5e7eb;text-align:left;"
	"vertical-align:top}"
	"th{background:#eceef1;font-weight:600}"
	"td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
	".listing{background:#fff;border-radius:6px;margin:14px 0;"
	"padding:12px 16px;border-left:8px solid #9aa1ab;"
	"box-shadow:0 1px 3px rgba(0,0,0,.1)}"
	".listing.lv3{border-left-color:#b00020}"
	".listing.lv2{border-left-color:#e07000}"
	".listing.lv1{border-left-color:#c9a400}"
	".badge{display:inline-block;color:#fff;background:#6b7280;"
	"border-radius:4px;padding:1px 8px;font-weight:700;margin-right:6px;"
	"font-size:14px;vertical-align:2px}"
	".badge.lv3{background:#b00020}.badge.lv2{background:#c25e00}"
	".badge.lv1{background:#8a7000}"
	".chg{display:inline-block;border:1px solid #888;border-radius:4px;"
	"padding:0 6px;font-size:12px;margin-right:8px;vertical-align:3px;"
	"text-transform:uppercase;letter-spacing:.03em}"
	".chg.new{border-color:#1f6feb;color:#1f6feb}"
	".facts{color:#444;margin:4px 0}"
	".chip{display:inline-block;background:#f1f2f4;"
	"border:1px solid #d0d4da;"
	"border-radius:10px;padding:0 8px;margin:2px 4px 2px 0;font-size:13px}"
	".chip b{margin-right:4px}"
	".clus{margin:4px 0;color:#6a1b9a}"
	".body{display:grid;grid-template-columns:minmax(0,1fr) 370px;gap:14px;"
	"margin-top:8px;align-items:start}"
	"@media (max-width:900px){.body{grid-template-columns:1fr}}"
	".text{white-space:pre-wrap;overflow-wrap:anywhere;background:#fafafa;"
	"border:1px solid #e5e7eb;border-radius:4px;padding:8px 10px;"
	"max-height:420px;overflow:auto;font-size:14.5px}"
	"mark{background:#ffe08a;color:#000;border-radius:2px;padding:0 1px;"
	"border-bottom:2px solid #c99700}"
	"mark.w2{background:#ffc27a;border-color:#d06b00}"
	"mark.w3{background:#ff9e9e;border-color:#b00020}"
	"sup.tag{font-size:10.5px;font-weight:700;color:#7a0016;"
	"background:#fff;border:1px solid #d9a3ad;border-radius:3px;"
	"padding:0 2px;margin:0 2px;white-space:nowrap}"
	".hits table{width:100%;table-layout:fixed}.hits td{font-size:12.5px}"
	".hits col.c1{width:26px}.hits col.c2{width:48%}"
	".hits col.c3{width:30px}"
	".hits code{font-size:12px;overflow-wrap:anywhere}"
	".ev{display:grid;grid-template-columns:max-content 1fr;gap:1px 12px;"
	"margin:10px 0 0;font-size:13px;color:#333}"
	".ev dt{color:#666}.ev dd{margin:0;overflow-wrap:anywhere}"
	".sha{font-family:ui-monospace,'DejaVu Sans Mono',monospace;"
	"font-size:12px}"
	".ctl{background:#000;color:#fff;font-size:11px;padding:0 2px}"
	"tr.bad td{background:#fff0f0}"
	".bad b{color:#b00020}"
	"footer{color:#666;font-size:13px;margin-top:30px}"
	"nav a{margin-right:16px;font-size:14px}"
	".dot{display:inline-block;width:9px;height:9px;border-radius:50%;"
	"background:#9aa1ab;margin-right:5px}"
	".dot.lv3{background:#c8102e}.dot.lv2{background:#f08a00}"
	".dot.lv1{background:#e3c300}"
	"a{color:#0b57d0}";

static void
level_class(struct buf *out, enum store_level l)
{
	buf_addf(out, "lv%d", (int)l);
}

static void
card(struct buf *out, const char *cls, int64_t n, const char *label)
{
	buf_addf(out, "<div class=\"card %s\"><b>%lld</b><span>", cls,
		 (long long)n);
	esc(out, label);
	buf_addstr(out, "</span></div>\n");
}

static void
head(const struct report *r, struct buf *out)
{
	const struct store_run *run = &r->runs[r->nruns - 1];

	buf_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		      "<meta charset=\"utf-8\">\n",
		 r->lang == REPORT_LANG_RU ? "ru" : "en");
	/* nothing may load or run, even if escaping were ever wrong */
	buf_addstr(out, "<meta http-equiv=\"Content-Security-Policy\" "
			"content=\"default-src 'none'; style-src "
			"'unsafe-inline'; img-src data:; form-action 'none'; "
			"base-uri 'none'\">\n"
			"<meta name=\"referrer\" content=\"no-referrer\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, "
			"initial-scale=1\">\n<title>");
	esc(out, rep_label(L_TITLE, r->lang));
	buf_addstr(out, " — ");
	esc(out, r->job);
	buf_addf(out, " — %s %lld</title>\n<style>", rep_label(L_RUN, r->lang),
		 (long long)run->id);
	buf_addstr(out, style);
	buf_addstr(out, "</style>\n</head>\n<body>\n<main>\n");
}

/* "Listings 2 (usual 25) · Pages 30 · Blocked 28 · Errors 0" */
static void
site_numbers(struct buf *out, const struct report_site *s,
	     enum report_lang lg)
{
	const enum rep_label names[] = { L_YIELD, L_PAGES, L_BLOCKED,
					 L_ERRORS };
	const int64_t now[] = { s->now.listings_extracted,
				s->now.pages_fetched, s->now.pages_blocked,
				s->now.errors };
	const int64_t usual[] = { s->usual.listings_extracted,
				  s->usual.pages_fetched,
				  s->usual.pages_blocked, s->usual.errors };
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(names); i++) {
		/* blocked pages and errors only when there are some */
		if (i >= 2 && now[i] == 0 && usual[i] == 0)
			continue;
		buf_addf(out, "%s%s %lld", i ? " · " : "",
			 rep_label(names[i], lg), (long long)now[i]);
		if (s->nearlier)
			buf_addf(out, " (%s %lld)", rep_label(L_USUAL, lg),
				 (long long)usual[i]);
	}
}

/* A link to a section, with a count unless n < 0. */
static void
nav(struct buf *out, const char *id, const char *label, int64_t n)
{
	buf_addf(out, "<a href=\"#%s\">", id);
	esc(out, label);
	if (n >= 0)
		buf_addf(out, " (%lld)", (long long)n);
	buf_addstr(out, "</a>");
}

static void
banner(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	const struct store_run *run = &r->runs[r->nruns - 1];
	size_t i;

	buf_addstr(out, "<header>\n<h1>");
	esc(out, rep_label(L_TITLE, lg));
	buf_addstr(out, ": ");
	esc(out, r->job);
	buf_addstr(out, "</h1>\n<p class=\"meta\">");
	if (r->nruns > 1) {
		esc(out, rep_label(L_RUNS, lg));
		buf_addstr(out, " ");
		for (i = 0; i < r->nruns; i++)
			buf_addf(out, "%s%lld", i ? ", " : "",
				 (long long)r->runs[i].id);
		if (r->since > 0) {
			buf_addf(out, " (%s ", rep_label(L_SINCE, lg));
			rep_time(out, r->since, true);
			buf_addstr(out, ")");
		}
		buf_addstr(out, " · ");
	}
	buf_addf(out, "%s %lld · %s ", rep_label(L_RUN, lg),
		 (long long)run->id, rep_label(L_STARTED, lg));
	rep_time(out, run->started_at, false);
	buf_addf(out, " · %s ", rep_label(L_FINISHED, lg));
	rep_time(out, run->finished_at, false);
	buf_addf(out, " · %s: ", rep_label(L_STATUS, lg));
	esc(out, rep_status_name(run->status, lg));
	if (run->rules_version) {
		buf_addstr(out, " · rules ");
		esc(out, run->rules_version);
	}
	buf_addf(out, "<br>%s ", rep_label(L_GENERATED, lg));
	rep_time(out, r->generated_at, false);
	buf_addstr(out, " · redflag " PACKAGE_VERSION "</p>\n<nav>");
	nav(out, "summary", rep_label(L_SUMMARY, lg), -1);
	nav(out, "listings", rep_label(L_LISTINGS, lg), (int64_t)r->nlistings);
	nav(out, "clusters", rep_label(L_CLUSTERS, lg),
	    (int64_t)r->clusters.n);
	nav(out, "health", rep_label(L_SITE_HEALTH, lg), -1);
	if (r->nremoved)
		nav(out, "removed", rep_label(L_REMOVED, lg),
		    (int64_t)r->nremoved);
	buf_addstr(out, "</nav>\n</header>\n");

	/* a silent site first: it looks exactly like a safe one */
	if (r->sites.ncollapsed) {
		buf_addstr(out, "<section class=\"alert\">\n<h2>⚠ ");
		esc(out, rep_label(L_SILENT_SITES, lg));
		buf_addf(out, " (%zu)</h2>\n<ul>\n", r->sites.ncollapsed);
		for (i = 0; i < r->sites.n; i++) {
			const struct report_site *s = &r->sites.items[i];

			if (!s->collapsed)
				continue;
			buf_addstr(out, "<li><b>");
			esc(out, s->site);
			buf_addstr(out, "</b>: ");
			esc(out, rep_collapse_label(s->reason, lg));
			buf_addstr(out, " <span class=\"note\">— ");
			site_numbers(out, s, lg);
			buf_addstr(out, "</span></li>\n");
		}
		buf_addstr(out, "</ul>\n</section>\n");
	}
	if (r->pseudonymized) {
		buf_addstr(out, "<p class=\"pseudo\">");
		esc(out, rep_label(L_PSEUDONYMIZED, lg));
		buf_addstr(out, "</p>\n");
	}
}

/* ---- charts (inline SVG; hover details through <title>) ---- */

static const char *const level_fill[] = {
	"#9aa1ab", "#e3c300", "#f08a00", "#c8102e",
};

static void
chart_levels(const struct report *r, struct buf *out)
{
	const int W = 460, H = 170, L = 34, B = 22, T = 8;
	int64_t max = 1;
	double bw, x, y, h;
	size_t i;
	int lv;

	for (i = 0; i < r->nchart; i++) {
		int64_t t = r->chart[i].level[1] + r->chart[i].level[2] +
			    r->chart[i].level[3];

		if (t > max)
			max = t;
	}
	bw = (double)(W - L - 6) / (r->nchart ? (double)r->nchart : 1.0);
	buf_addstr(out, "<div class=\"chart\"><h4>");
	esc(out, rep_label(L_CHART_LEVELS, r->lang));
	buf_addf(out, "</h4>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" font-size=\"10\" "
		      "font-family=\"sans-serif\">\n",
		 W, H, W, H);
	/* axis and the maximum */
	buf_addf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		      "stroke=\"#888\"/>\n",
		 L, H - B, W - 4, H - B);
	buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		      "fill=\"#555\">%lld</text>\n",
		 L - 4, T + 8, (long long)max);
	buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
		      "fill=\"#555\">0</text>\n",
		 L - 4, H - B);
	for (i = 0; i < r->nchart; i++) {
		const struct rep_chart_run *c = &r->chart[i];

		x = L + 3 + bw * (double)i;
		y = H - B;
		buf_addstr(out, "<g><title>");
		esc(out, rep_label(L_RUN, r->lang));
		buf_addf(out, " %lld, ", (long long)c->run_id);
		rep_time(out, c->started_at, true);
		for (lv = 3; lv >= 1; lv--)
			buf_addf(out, " · %s %lld",
				 rep_level_name((enum store_level)lv, r->lang),
				 (long long)c->level[lv]);
		buf_addstr(out, "</title>");
		/* an invisible full-height rectangle makes the whole column
		 * hoverable */
		buf_addf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			      "height=\"%d\" fill=\"#000\" "
			      "fill-opacity=\"0\"/>",
			 x, T, bw * 0.8, H - B - T);
		for (lv = 1; lv <= 3; lv++) {
			h = (double)(H - B - T) * (double)c->level[lv] /
			    (double)max;
			if (h <= 0)
				continue;
			y -= h;
			buf_addf(out, "<rect x=\"%.1f\" y=\"%.1f\" "
				      "width=\"%.1f\" height=\"%.1f\" "
				      "fill=\"%s\"/>",
				 x, y, bw * 0.8, h, level_fill[lv]);
		}
		buf_addstr(out, "</g>\n");
		if (i + 1 == r->nchart || i % 5 == 0) {
			buf_addf(out, "<text x=\"%.1f\" y=\"%d\" "
				      "text-anchor=\"middle\" fill=\"#555\">",
				 x + bw * 0.4, H - 8);
			{
				struct buf d;

				buf_init(&d, 0);
				rep_time(&d, c->started_at, true);
				/* MM-DD */
				esc(out, d.len >= 10 ? d.data + 5 : d.data);
				buf_release(&d);
			}
			buf_addstr(out, "</text>\n");
		}
	}
	/* legend */
	for (lv = 3; lv >= 1; lv--) {
		int lx = W - 70 * (4 - lv) - 10;

		buf_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"9\" "
			      "height=\"9\" fill=\"%s\"/><text x=\"%d\" "
			      "y=\"%d\" fill=\"#333\">",
			 lx - 70 + 12, T, level_fill[lv], lx - 70 + 24, T + 8);
		esc(out, rep_level_name((enum store_level)lv, r->lang));
		buf_addstr(out, "</text>\n");
	}
	buf_addstr(out, "</svg></div>\n");
}

/* Horizontal bars of the first HTML_TOP_BARS counts. */
static void
chart_bars(const struct report *r, struct buf *out, enum rep_label title,
	   const struct rep_counts *c, bool indicators, const char *fill)
{
	const int W = 280, row = 18, LBL = 120;
	size_t n = c->n < HTML_TOP_BARS ? c->n : HTML_TOP_BARS, i;
	int64_t max = 1;
	int H = (int)n * row + 6;

	for (i = 0; i < n; i++)
		if (c->items[i].n > max)
			max = c->items[i].n;
	buf_addstr(out, "<div class=\"chart\"><h4>");
	esc(out, rep_label(title, r->lang));
	buf_addf(out, "</h4>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
		      "role=\"img\" font-size=\"11\" "
		      "font-family=\"sans-serif\">\n",
		 W, H < 24 ? 24 : H, W, H < 24 ? 24 : H);
	if (n == 0) {
		buf_addstr(out, "<text x=\"4\" y=\"14\" fill=\"#777\">—"
				"</text>\n");
	}
	for (i = 0; i < n; i++) {
		const char *name = c->items[i].name;
		const char *full = indicators
					   ? rep_indicator_name(name, r->lang)
					   : NULL;
		double w = (double)(W - LBL - 40) * (double)c->items[i].n /
			   (double)max;
		int y = (int)i * row + 3;
		size_t cut = utf8_prefix(name, strlen(name), 22);

		buf_addstr(out, "<g><title>");
		esc(out, name);
		if (full) {
			buf_addstr(out, ": ");
			esc(out, full);
		}
		buf_addf(out, " — %lld</title>", (long long)c->items[i].n);
		buf_addf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
			      "fill=\"#222\">",
			 LBL - 4, y + 12);
		esc_n(out, name, cut, false);
		if (cut < strlen(name))
			buf_addstr(out, "…");
		buf_addf(out, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
			      "height=\"%d\" fill=\"%s\"/>"
			      "<text x=\"%.1f\" y=\"%d\" fill=\"#333\">%lld"
			      "</text></g>\n",
			 LBL, y + 2, w < 1 ? 1 : w, row - 5, fill,
			 LBL + (w < 1 ? 1 : w) + 4, y + 12,
			 (long long)c->items[i].n);
	}
	buf_addstr(out, "</svg></div>\n");
}

/* ---- summary ---- */

static void
count_table(const struct report *r, struct buf *out, enum rep_label title,
	    const struct rep_counts *c, bool indicators)
{
	size_t i;

	buf_addstr(out, "<table><tr><th>");
	esc(out, rep_label(title, r->lang));
	buf_addstr(out, "</th><th class=\"n\">#</th></tr>\n");
	for (i = 0; i < c->n; i++) {
		const char *full = indicators ? rep_indicator_name(
							c->items[i].name,
							r->lang)
					      : NULL;
		char d = indicators ? rep_indicator_dimension(c->items[i].name)
				    : 0;

		buf_addstr(out, "<tr><td>");
		if (indicators)
			buf_addstr(out, "<b>");
		esc(out, c->items[i].name);
		if (indicators)
			buf_addstr(out, "</b>");
		if (full) {
			buf_addstr(out, " ");
			esc(out, full);
		}
		if (d)
			buf_addf(out, " (%c)", d);
		buf_addf(out, "</td><td class=\"n\">%lld</td></tr>\n",
			 (long long)c->items[i].n);
	}
	if (c->n == 0)
		buf_addstr(out, "<tr><td>—</td><td></td></tr>\n");
	buf_addstr(out, "</table>\n");
}

static void
summary(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	int lv;
	char d;

	buf_addstr(out, "<section id=\"summary\">\n<h2>");
	esc(out, rep_label(L_SUMMARY, lg));
	buf_addstr(out, "</h2>\n<div class=\"cards\">\n");
	card(out, "new", r->nnew, rep_label(L_NEW, lg));
	card(out, "", r->nchanged, rep_label(L_CHANGED, lg));
	card(out, "gone", r->nremoved_all, rep_label(L_REMOVED, lg));
	card(out, "", r->nunchanged, rep_label(L_UNCHANGED, lg));
	buf_addstr(out, "<div class=\"sep\"></div>\n");
	/* new and changed listings by level */
	for (lv = 3; lv >= 0; lv--) {
		char cls[8];

		snprintf(cls, sizeof(cls), "lv%d", lv);
		card(out, cls, r->by_level[lv],
		     rep_level_name((enum store_level)lv, lg));
	}
	buf_addstr(out, "</div>\n<div class=\"charts\">\n");
	chart_levels(r, out);
	chart_bars(r, out, L_CHART_INDICATORS, &r->by_indicator, true,
		   "#7a4fb5");
	chart_bars(r, out, L_CHART_SITES, &r->by_site, false, "#3a7bd5");
	buf_addstr(out, "</div>\n<div class=\"tables\">\n");
	count_table(r, out, L_BY_INDICATOR, &r->by_indicator, true);

	buf_addstr(out, "<table><tr><th>");
	esc(out, rep_label(L_BY_DIMENSION, lg));
	buf_addstr(out, "</th><th class=\"n\">#</th></tr>\n");
	for (d = 'A'; d <= 'F'; d++) {
		buf_addf(out, "<tr><td><b>%c</b> ", d);
		esc(out, rep_dimension_name(d, lg));
		buf_addf(out, "</td><td class=\"n\">%lld</td></tr>\n",
			 (long long)r->by_dimension[d - 'A']);
	}
	buf_addstr(out, "<tr><td>");
	esc(out, rep_label(L_NO_DIMENSION, lg));
	buf_addf(out, "</td><td class=\"n\">%lld</td></tr>\n</table>\n",
		 (long long)r->no_dimension);

	count_table(r, out, L_BY_SITE, &r->by_site, false);
	count_table(r, out, L_BY_LANG, &r->by_lang, false);
	buf_addstr(out, "</div>\n</section>\n");
}

/* ---- listings ---- */

static int
weight_class(int w)
{
	return w >= 4 ? 3 : w >= 2 ? 2 : 1;
}

/*
 * Appends the text of field with its placed hits highlighted: each
 * stretch covered by hits is one <mark> whose title names the rules;
 * where hits end, a tag gives their numbers in the hits table and their
 * indicators.
 */
static void
highlighted(struct buf *out, const struct rep_listing *l, const char *field,
	    const char *text)
{
	size_t len = strlen(text), nb = 0, i, k, a, b;
	size_t *cuts;

	cuts = xcalloc(2 * l->nhits + 2, sizeof(*cuts));
	cuts[nb++] = 0;
	cuts[nb++] = len;
	for (i = 0; i < l->nhits; i++) {
		const struct rep_hit *h = &l->hits[i];

		if (!h->placed || strcmp(h->field, field) != 0)
			continue;
		cuts[nb++] = h->start;
		cuts[nb++] = h->end;
	}
	/* sort and dedupe the cut points (few: insertion sort) */
	for (i = 1; i < nb; i++)
		for (k = i; k > 0 && cuts[k - 1] > cuts[k]; k--) {
			size_t t = cuts[k];

			cuts[k] = cuts[k - 1];
			cuts[k - 1] = t;
		}
	for (i = 0, k = 0; i < nb; i++)
		if (k == 0 || cuts[i] != cuts[k - 1])
			cuts[k++] = cuts[i];
	nb = k;

	for (i = 0; i + 1 < nb; i++) {
		int wmax = 0;
		bool any = false, ends = false;

		a = cuts[i];
		b = cuts[i + 1];
		for (k = 0; k < l->nhits; k++) {
			const struct rep_hit *h = &l->hits[k];

			if (!h->placed || strcmp(h->field, field) != 0 ||
			    h->start > a || h->end < b)
				continue;
			any = true;
			if (h->weight > wmax)
				wmax = h->weight;
			if (h->end == b)
				ends = true;
		}
		if (!any) {
			esc_n(out, text + a, b - a, false);
			continue;
		}
		buf_addf(out, "<mark class=\"w%d\" title=\"",
			 weight_class(wmax));
		for (k = 0, any = false; k < l->nhits; k++) {
			const struct rep_hit *h = &l->hits[k];

			if (!h->placed || strcmp(h->field, field) != 0 ||
			    h->start > a || h->end < b)
				continue;
			if (any)
				buf_addstr(out, "; ");
			any = true;
			buf_addf(out, "%zu: ", k + 1);
			esc_attr(out, h->rule_id);
			if (h->indicator) {
				buf_addstr(out, " (");
				esc_attr(out, h->indicator);
				buf_addf(out, ", +%d)", h->weight);
			}
		}
		buf_addstr(out, "\">");
		esc_n(out, text + a, b - a, false);
		buf_addstr(out, "</mark>");
		if (!ends)
			continue;
		buf_addstr(out, "<sup class=\"tag\">");
		for (k = 0, any = false; k < l->nhits; k++) {
			const struct rep_hit *h = &l->hits[k];

			if (!h->placed || strcmp(h->field, field) != 0 ||
			    h->end != b || h->start >= b)
				continue;
			buf_addf(out, "%s%zu", any ? " " : "", k + 1);
			if (h->indicator) {
				buf_addch(out, ' ');
				esc(out, h->indicator);
			}
			any = true;
		}
		buf_addstr(out, "</sup>");
	}
	free(cuts);
}

static void
fact(struct buf *out, bool *first, const char *label, const char *v)
{
	if (!v || !*v)
		return;
	if (!*first)
		buf_addstr(out, " · ");
	*first = false;
	if (label) {
		esc(out, label);
		buf_addstr(out, ": ");
	}
	esc(out, v);
}

static void
ev_row(struct buf *out, const char *label)
{
	buf_addstr(out, "<dt>");
	esc(out, label);
	buf_addstr(out, "</dt><dd>");
}

static void
cluster_line(const struct report *r, struct buf *out,
	     const struct rep_listing *l)
{
	const size_t *idx;
	size_t n = report_clusters_of(&r->clusters, l->id, &idx), i;

	if (n == 0)
		return;
	buf_addstr(out, "<p class=\"clus\">");
	esc(out, rep_label(L_IN_CLUSTERS, r->lang));
	buf_addstr(out, ": ");
	for (i = 0; i < n; i++) {
		const struct report_cluster *c = rep_cluster(r, idx[i]);

		buf_addf(out, "%s<a href=\"#c%zu\">", i ? " · " : "",
			 idx[i] + 1);
		esc(out, rep_cluster_kind_label(c->kind, r->lang));
		if (c->kind != REPORT_CLUSTER_TEXT) {
			buf_addstr(out, " ");
			esc(out, c->key);
		}
		buf_addf(out, "</a> (%zu %s, %zu %s)", c->nlistings,
			 rep_label(L_N_LISTINGS, r->lang), c->nsites,
			 rep_label(L_N_SITES, r->lang));
	}
	buf_addstr(out, "</p>\n");
}

static void
listing(const struct report *r, struct buf *out, const struct rep_listing *l)
{
	enum report_lang lg = r->lang;
	bool first = true;
	size_t i;

	buf_addf(out, "<article class=\"listing ");
	level_class(out, l->level);
	buf_addf(out, "\" id=\"l%lld\">\n<div><span class=\"badge ",
		 (long long)l->id);
	level_class(out, l->level);
	buf_addstr(out, "\">");
	esc(out, rep_level_name(l->level, lg));
	buf_addf(out, " · %d</span><span class=\"chg %s\">",
		 l->score, store_change_name(l->change));
	esc(out, rep_change_name(l->change, lg));
	buf_addstr(out, "</span><h3>");
	if (l->title)
		highlighted(out, l, "title", l->title);
	else
		buf_addstr(out, "—");
	buf_addstr(out, "</h3></div>\n<p class=\"facts\">");
	fact(out, &first, NULL, l->site);
	fact(out, &first, NULL, l->lang);
	fact(out, &first, rep_label(L_LOCATION, lg), l->location);
	fact(out, &first, rep_label(L_SALARY, lg), l->salary);
	fact(out, &first, rep_label(L_EMPLOYER, lg), l->employer);
	fact(out, &first, rep_label(L_POSTED, lg), l->posted);
	buf_addstr(out, "</p>\n");

	if (l->nindicators) {
		buf_addstr(out, "<p>");
		for (i = 0; i < l->nindicators; i++) {
			const char *id = l->indicators[i];
			const char *name = rep_indicator_name(id, lg);
			char d = rep_indicator_dimension(id);

			buf_addstr(out, "<span class=\"chip\" title=\"");
			if (d) {
				buf_addf(out, "%c: ", d);
				esc_attr(out, rep_dimension_name(d, lg));
			}
			buf_addstr(out, "\"><b>");
			esc(out, id);
			buf_addstr(out, "</b>");
			if (name)
				esc(out, name);
			buf_addstr(out, "</span>");
		}
		buf_addstr(out, "</p>\n");
	}
	cluster_line(r, out, l);

	buf_addstr(out, "<div class=\"body\">\n<div class=\"text\">");
	if (l->text)
		highlighted(out, l, "body", l->text);
	else if (l->purged)
		esc(out, rep_label(L_TEXT_PURGED, lg));
	else
		buf_addstr(out, "—");
	buf_addstr(out, "</div>\n<div class=\"hits\"><table><colgroup>"
			"<col class=\"c1\"><col class=\"c2\">"
			"<col class=\"c3\"><col></colgroup><tr><th>#</th>"
			"<th>");
	esc(out, rep_label(L_RULE, lg));
	buf_addstr(out, "</th><th class=\"n\">+</th><th>");
	esc(out, rep_label(L_MATCHED, lg));
	buf_addstr(out, "</th></tr>\n");
	for (i = 0; i < l->nhits; i++) {
		const struct rep_hit *h = &l->hits[i];

		buf_addf(out, "<tr><td>%zu</td><td><code>", i + 1);
		esc(out, h->rule_id);
		buf_addstr(out, "</code><br>");
		if (h->indicator) {
			buf_addstr(out, "<b>");
			esc(out, h->indicator);
			buf_addstr(out, "</b> ");
		}
		esc(out, h->field);
		/* contacts and structural findings (J18) have no place in
		 * the text */
		if (!h->placed && strcmp(h->field, "contacts") != 0 &&
		    strcmp(h->field, "structure") != 0) {
			buf_addstr(out, " (");
			esc(out, rep_label(L_NOT_PLACED, lg));
			buf_addstr(out, ")");
		}
		buf_addf(out, "</td><td class=\"n\">%d</td><td>", h->weight);
		esc(out, h->text);
		buf_addstr(out, "</td></tr>\n");
	}
	buf_addstr(out, "</table>\n");
	if (l->ncontacts) {
		buf_addstr(out, "<p><b>");
		esc(out, rep_label(L_CONTACTS, lg));
		buf_addstr(out, ":</b> ");
		for (i = 0; i < l->ncontacts; i++) {
			if (i)
				buf_addstr(out, ", ");
			esc(out, l->contacts[i].value);
		}
		buf_addstr(out, "</p>\n");
	}
	buf_addstr(out, "</div>\n</div>\n<dl class=\"ev\">");
	ev_row(out, rep_label(L_URL, lg));
	if (linkable(l->url)) {
		buf_addstr(out, "<a href=\"");
		esc_attr(out, l->url);
		buf_addstr(out, "\" rel=\"noreferrer noopener\">");
		esc(out, l->url);
		buf_addstr(out, "</a>");
	} else {
		esc(out, l->url);
	}
	buf_addstr(out, "</dd>");
	ev_row(out, rep_label(L_CAPTURED, lg));
	rep_time(out, l->captured_at, false);
	buf_addstr(out, "</dd>");
	ev_row(out, rep_label(L_FIRST_SEEN, lg));
	rep_time(out, l->first_seen_at, false);
	buf_addstr(out, " · ");
	esc(out, rep_label(L_LAST_SEEN, lg));
	buf_addstr(out, " ");
	rep_time(out, l->last_seen_at, false);
	buf_addstr(out, "</dd>");
	ev_row(out, rep_label(L_PAYLOAD, lg));
	buf_addstr(out, "<span class=\"sha\">");
	esc(out, l->payload_sha256);
	buf_addstr(out, "</span></dd></dl>\n</article>\n");
}

static void
listings(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	size_t i, n = r->nlistings;

	buf_addstr(out, "<section id=\"listings\">\n<h2>");
	esc(out, rep_label(L_LISTINGS, lg));
	buf_addf(out, " (%zu)</h2>\n<p class=\"note\">", r->nlistings);
	esc(out, rep_label(L_LISTINGS_NOTE, lg));
	buf_addstr(out, " ");
	esc(out, rep_level_name(r->min_level, lg));
	buf_addstr(out, "</p>\n");
	if (n == 0) {
		buf_addstr(out, "<p>");
		esc(out, rep_label(L_NO_LISTINGS, lg));
		buf_addstr(out, "</p>\n");
	}
	if (n > RF_REPORT_HTML_LISTINGS_MAX)
		n = RF_REPORT_HTML_LISTINGS_MAX;
	for (i = 0; i < n; i++)
		listing(r, out, &r->listings[i]);
	if (n < r->nlistings) {
		buf_addf(out, "<p class=\"note\"><b>%zu</b> ",
			 r->nlistings - n);
		esc(out, rep_label(L_MORE_LISTINGS, lg));
		buf_addstr(out, "</p>\n");
	}
	buf_addstr(out, "</section>\n");
}

/* ---- clusters, site health, removed ---- */

/* The shown listing with id, or NULL. */
static const struct rep_listing *
shown(const struct report *r, int64_t id)
{
	size_t i, n = r->nlistings < RF_REPORT_HTML_LISTINGS_MAX
			      ? r->nlistings
			      : RF_REPORT_HTML_LISTINGS_MAX;

	for (i = 0; i < n; i++)
		if (r->listings[i].id == id)
			return &r->listings[i];
	return NULL;
}

static void
clusters(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	size_t i, k, n = r->clusters.n;

	buf_addstr(out, "<section id=\"clusters\">\n<h2>");
	esc(out, rep_label(L_CLUSTERS, lg));
	buf_addf(out, " (%zu)</h2>\n<p class=\"note\">", r->clusters.n);
	esc(out, rep_label(L_CLUSTERS_NOTE, lg));
	if (r->clusters.text_capped) {
		buf_addstr(out, " ");
		esc(out, rep_label(L_TEXT_CAPPED, lg));
	}
	buf_addstr(out, "</p>\n");
	if (n == 0) {
		buf_addstr(out, "<p>");
		esc(out, rep_label(L_NO_CLUSTERS, lg));
		buf_addstr(out, "</p>\n</section>\n");
		return;
	}
	if (n > HTML_CLUSTERS_MAX)
		n = HTML_CLUSTERS_MAX;
	buf_addstr(out, "<table><tr><th>#</th><th>");
	esc(out, rep_label(L_CLUSTER_KIND, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_CLUSTER_KEY, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_CLUSTER_SIZE, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_SITES_N, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_LOCATIONS_N, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_LEVEL, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_INDICATORS, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_MEMBERS, lg));
	buf_addstr(out, "</th></tr>\n");
	for (i = 0; i < n; i++) {
		const struct report_cluster *c = &r->clusters.items[i];

		buf_addf(out, "<tr id=\"c%zu\"><td>%zu</td><td>", i + 1,
			 i + 1);
		esc(out, rep_cluster_kind_label(c->kind, lg));
		buf_addstr(out, "</td><td><code>");
		esc(out, c->key);
		buf_addf(out, "</code></td><td class=\"n\">%zu</td>"
			      "<td class=\"n\">%zu</td><td class=\"n\">%zu"
			      "</td><td>",
			 c->nlistings, c->nsites, c->nlocations);
		esc(out, rep_level_name(c->max_level, lg));
		buf_addf(out, " (%d)</td><td>", c->max_score);
		for (k = 0; k < c->nindicators; k++) {
			if (k)
				buf_addstr(out, " ");
			esc(out, c->indicators[k]);
		}
		buf_addstr(out, "</td><td>");
		for (k = 0; k < c->nlistings && k < HTML_MEMBERS_MAX; k++) {
			const struct report_member *m = &c->members[k];
			const char *title = m->title ? m->title : m->url;

			if (k)
				buf_addstr(out, "<br>");
			buf_addstr(out, "<span class=\"dot ");
			level_class(out, m->level);
			buf_addstr(out, "\" title=\"");
			esc_attr(out, rep_level_name(m->level, lg));
			buf_addf(out, " %d\"></span>", m->score);
			if (shown(r, m->id)) {
				/* shown above: jump to it */
				buf_addf(out, "<a href=\"#l%lld\">",
					 (long long)m->id);
				esc(out, title);
				buf_addstr(out, "</a>");
			} else if (linkable(m->url)) {
				buf_addstr(out, "<a href=\"");
				esc_attr(out, m->url);
				buf_addstr(out, "\" rel=\"noreferrer "
						"noopener\">");
				esc(out, title);
				buf_addstr(out, "</a>");
			} else {
				esc(out, title);
			}
			buf_addstr(out, " <span class=\"note\">");
			esc(out, m->site);
			if (m->location && *m->location) {
				buf_addstr(out, ", ");
				esc(out, m->location);
			}
			buf_addstr(out, "</span>");
		}
		if (c->nlistings > HTML_MEMBERS_MAX)
			buf_addf(out, "<br>+%zu",
				 c->nlistings - HTML_MEMBERS_MAX);
		buf_addstr(out, "</td></tr>\n");
	}
	buf_addstr(out, "</table>\n</section>\n");
}

/* A small line of a site's yield over the runs. */
static void
sparkline(struct buf *out, const struct report_site *s)
{
	const int W = 96, H = 22;
	int64_t max = 1;
	size_t i;
	bool pen = false;

	for (i = 0; i < s->nyield; i++)
		if (s->yield[i] > max)
			max = s->yield[i];
	buf_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		      "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">"
		      "<title>",
		 W, H, W, H);
	for (i = 0; i < s->nyield; i++) {
		if (s->yield[i] < 0)
			buf_addf(out, "%s-", i ? " " : "");
		else
			buf_addf(out, "%s%lld", i ? " " : "",
				 (long long)s->yield[i]);
	}
	buf_addf(out, "</title><path fill=\"none\" stroke=\"%s\" "
		      "stroke-width=\"1.5\" d=\"",
		 s->collapsed ? "#b00020" : "#3a7bd5");
	for (i = 0; i < s->nyield; i++) {
		double x, y;

		if (s->yield[i] < 0) {
			pen = false;
			continue;
		}
		x = 3 + (double)(W - 6) * (double)i /
				(double)(s->nyield > 1 ? s->nyield - 1 : 1);
		y = H - 3 - (double)(H - 6) * (double)s->yield[i] /
				    (double)max;
		buf_addf(out, "%c%.1f %.1f ", pen ? 'L' : 'M', x, y);
		/* a point alone gets a dot of its own */
		if (!pen && (i + 1 == s->nyield || s->yield[i + 1] < 0))
			buf_addf(out, "m-1 0 h2 ");
		pen = true;
	}
	buf_addstr(out, "\"/></svg>");
}

static void
health(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	size_t i;

	buf_addstr(out, "<section id=\"health\">\n<h2>");
	esc(out, rep_label(L_SITE_HEALTH, lg));
	buf_addstr(out, "</h2>\n<p class=\"note\">");
	esc(out, rep_label(L_SITE_HEALTH_NOTE, lg));
	buf_addstr(out, "</p>\n<table><tr><th>");
	esc(out, rep_label(L_SITE, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_VERDICT, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_PAGES, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_BLOCKED, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_ERRORS, lg));
	buf_addstr(out, "</th><th class=\"n\">");
	esc(out, rep_label(L_YIELD, lg));
	buf_addstr(out, "</th><th></th></tr>\n");
	for (i = 0; i < r->sites.n; i++) {
		const struct report_site *s = &r->sites.items[i];

		buf_addf(out, "<tr%s><td>", s->collapsed ? " class=\"bad\""
							  : "");
		esc(out, s->site);
		buf_addstr(out, "</td><td>");
		if (s->collapsed) {
			buf_addstr(out, "<b>");
			esc(out, rep_collapse_label(s->reason, lg));
			buf_addstr(out, "</b>");
		} else if (s->judged) {
			esc(out, rep_label(L_OK, lg));
		} else {
			esc(out, rep_label(L_NOT_JUDGED, lg));
		}
#define CELL(f)                                                           \
	buf_addf(out, "</td><td class=\"n\">%lld", (long long)s->now.f);   \
	if (s->nearlier && (s->now.f || s->usual.f)) {                    \
		buf_addf(out, " <span class=\"note\">(%s %lld)</span>",    \
			 rep_label(L_USUAL, lg), (long long)s->usual.f);   \
	}
		CELL(pages_fetched);
		CELL(pages_blocked);
		CELL(errors);
		CELL(listings_extracted);
#undef CELL
		buf_addstr(out, "</td><td>");
		sparkline(out, s);
		buf_addstr(out, "</td></tr>\n");
	}
	if (r->sites.n == 0)
		buf_addstr(out, "<tr><td colspan=\"7\">—</td></tr>\n");
	buf_addstr(out, "</table>\n</section>\n");
}

static void
removed(const struct report *r, struct buf *out)
{
	enum report_lang lg = r->lang;
	size_t i;

	if (r->nremoved == 0)
		return;
	buf_addstr(out, "<section id=\"removed\">\n<h2>");
	esc(out, rep_label(L_REMOVED, lg));
	buf_addf(out, " (%zu)</h2>\n<table><tr><th>", r->nremoved);
	esc(out, rep_label(L_LEVEL, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_SITE, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_URL, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_LAST_SEEN, lg));
	buf_addstr(out, "</th><th>");
	esc(out, rep_label(L_INDICATORS, lg));
	buf_addstr(out, "</th></tr>\n");
	for (i = 0; i < r->nremoved; i++) {
		const struct rep_listing *l = &r->removed[i];
		size_t k;

		buf_addstr(out, "<tr><td>");
		esc(out, rep_level_name(l->level, lg));
		buf_addf(out, " (%d)</td><td>", l->score);
		esc(out, l->site);
		buf_addstr(out, "</td><td>");
		esc(out, l->title);
		buf_addstr(out, "<br><span class=\"sha\">");
		esc(out, l->url);
		buf_addstr(out, "</span></td><td>");
		rep_time(out, l->last_seen_at, false);
		buf_addstr(out, "</td><td>");
		for (k = 0; k < l->nindicators; k++) {
			if (k)
				buf_addstr(out, " ");
			esc(out, l->indicators[k]);
		}
		buf_addstr(out, "</td></tr>\n");
	}
	buf_addstr(out, "</table>\n</section>\n");
}

void
rep_render_html(const struct report *r, struct buf *out)
{
	head(r, out);
	banner(r, out);
	summary(r, out);
	listings(r, out);
	clusters(r, out);
	health(r, out);
	removed(r, out);
	buf_addstr(out, "<footer>");
	esc(out, rep_label(L_FOOTER, r->lang));
	buf_addstr(out, "</footer>\n</main>\n</body>\n</html>\n");
}
