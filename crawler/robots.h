/*
 * robots.h: robots.txt (RFC 9309, the Robots Exclusion Protocol): parse a
 * site's file once, then ask for each URL whether our crawler may fetch it.
 *
 * What the fetch of /robots.txt decides (RFC 9309 2.3.1):
 *   - 2xx: robots_parse() the body (after following up to five redirects);
 *   - 4xx (the file is "unavailable"): robots_new_allow_all();
 *   - 5xx, network failure or timeout ("unreachable"):
 *     robots_new_disallow_all(), and try again later. 429 Too Many Requests
 *     is better treated as unreachable too (as Google does), since it says
 *     the server is struggling.
 *
 * Parsing follows RFC 9309 with these readings, chosen so that a sloppy
 * file is read the way its author meant and doubt falls on the polite side:
 *   - lines end in LF, CR or CRLF; '#' starts a comment; a UTF-8 byte order
 *     mark (or a part of one) at the start is skipped; bytes past
 *     RF_ROBOTS_MAX_BYTES and the line they cut are ignored, as are bytes
 *     of a line past RF_ROBOTS_LINE_MAX; unknown lines and junk are
 *     ignored and do not end a group;
 *   - "key value" without the colon is read as "key: value" when the value
 *     is one word ("disallow /");
 *   - common misspellings of the keys are accepted where obeying them makes
 *     us more polite: "useragent", "user agent"; "dissallow", "dissalow",
 *     "disalow", "diasllow", "disallaw"; "site-map"; "crawldelay". A
 *     misspelt "allow" is not accepted: ignoring it only makes us stricter;
 *   - a user-agent line's value is matched by its leading run of letters,
 *     '-' and '_' ("Googlebot/2.1" and "Googlebot Images" name
 *     "googlebot"), without case; "*" names every crawler;
 *   - groups naming our product token are all merged; only if none does
 *     are the "*" groups (all of them, merged) obeyed;
 *   - the longest matching pattern (in octets, after the normalisation
 *     below) decides, Allow winning a tie; no matching pattern allows;
 *     an empty Allow or Disallow value is no rule; "*" matches any run of
 *     bytes, "$" at the end of a pattern anchors it;
 *   - patterns and paths are compared after url_pct_normalize() (see
 *     crawler/url.h): "%2f" equals "%2F", "%7E" equals "~", a raw "ツ"
 *     equals "%E3%83%84"; "%2F" is still not "/";
 *   - Crawl-delay belongs to the group it appears in; the largest of the
 *     selected groups' values wins.
 */
#ifndef RF_CRAWLER_ROBOTS_H
#define RF_CRAWLER_ROBOTS_H

#include <stdbool.h>
#include <stddef.h>

struct robots;

/*
 * Parses len bytes of a robots.txt body (any bytes; no NUL needed; NULL
 * is an empty body).
 * Returns a new object the caller frees with robots_free(). Never fails:
 * a file of junk is a file without rules, which allows everything.
 */
struct robots *robots_parse(const char *body, size_t len);
/* A new object that allows every path: for a 4xx robots.txt. */
struct robots *robots_new_allow_all(void);
/* A new object that disallows every path but /robots.txt: for a 5xx. */
struct robots *robots_new_disallow_all(void);
/* Frees r; NULL is fine. */
void robots_free(struct robots *r);

/*
 * Whether the crawler with product token agent ("redflag") may fetch
 * path, the path and query of a URL ("/a/b?c=d"; a fragment is ignored;
 * "" is "/"). /robots.txt itself is always allowed; a path longer than
 * RF_URL_INPUT_MAX_BYTES never is. Borrows everything.
 */
bool robots_allowed(const struct robots *r, const char *agent,
		    const char *path);

/*
 * Sets *seconds to the Crawl-delay of the groups agent obeys and returns
 * true, or returns false when they give none. A value is a non-negative
 * decimal ("10", "0.5"); others are ignored, larger ones than
 * RF_ROBOTS_CRAWL_DELAY_MAX read as that. The caller uses it to raise its
 * own delay, never to lower it.
 */
bool robots_crawl_delay(const struct robots *r, const char *agent,
			double *seconds);

/* How many Sitemap URLs the file lists (at most RF_ROBOTS_MAX_SITEMAPS). */
size_t robots_sitemap_count(const struct robots *r);
/* The i-th Sitemap URL as written, owned by r; NULL if i is out of range. */
const char *robots_sitemap(const struct robots *r, size_t i);

/* Whether the body was cut at RF_ROBOTS_MAX_BYTES. */
bool robots_truncated(const struct robots *r);

/*
 * Whether agent is a product token robots.txt lines can name: one or more
 * letters, '-' or '_' (RFC 9309 2.2.1). Our own token must be one.
 */
bool robots_agent_valid(const char *agent);

#endif
