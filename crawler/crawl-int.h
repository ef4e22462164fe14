/* crawl-int.h: what crawl.c, job.c and links.c share. */
#ifndef RF_CRAWLER_CRAWL_INT_H
#define RF_CRAWLER_CRAWL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "crawler/crawl.h"

/* A link found in a page. */
enum link_flags {
	LINK_PAGINATION = 1,	/* rel="next" or rel="prev" */
	LINK_SITEMAP = 2,	/* a sitemap (robots.txt, sitemap index) */
};

/*
 * Calls fn(href, flags, arg) for every link of the HTML page (len bytes)
 * that may lead to another page: a, area, frame and iframe, and link
 * elements with rel next or prev; *base gets the document's <base href>
 * as written (a new string the caller frees) or NULL. Parsed with libxml2,
 * no network, no entities; the walk is iterative. Stops after max links
 * and returns how many more it saw in *dropped.
 */
void links_extract(const char *html, size_t len, size_t max,
		   void (*fn)(const char *href, unsigned flags, void *arg),
		   void *arg, char **base, size_t *dropped);

/*
 * Calls fn(url, flags, arg) for every <loc> of a sitemap or sitemap index
 * (len bytes of XML), at most max; *is_index says which it was, and the
 * entries of an index come with LINK_SITEMAP.
 */
void sitemap_extract(const char *xml, size_t len, size_t max,
		     void (*fn)(const char *href, unsigned flags, void *arg),
		     void *arg, bool *is_index, size_t *dropped);

/*
 * The value of the first header field called name in the HTTP head (len
 * bytes, start line first), trimmed: a new string the caller frees, or
 * NULL.
 */
char *http_head_field(const char *head, size_t len, const char *name);

/*
 * Whether a body is HTML: by its Content-Type ct, or, without one, by a
 * doctype or <html> at its start.
 */
bool http_content_is_html(const char *ct, const char *body, size_t len);

#endif
