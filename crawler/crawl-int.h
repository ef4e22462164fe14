/* crawl-int.h: what crawl.c, job.c and links.c share. */
#ifndef RF_CRAWLER_CRAWL_INT_H
#define RF_CRAWLER_CRAWL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"
#include "crawler/crawl.h"

/*
 * The job file parser of crawl_job_load(), on len bytes at data that are
 * followed by a NUL and are changed (lines are cut in place). path names
 * the file in messages, gives the job its name, and its folder anchors
 * relative paths; it need not exist. Errors and *out as for
 * crawl_job_load(), less the reading ones. For the fuzz target.
 */
enum rf_err crawl_job_parse(const char *path, char *data, size_t len,
			    struct crawl_job **out, struct buf *err)
	RF_WARN_UNUSED;

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
