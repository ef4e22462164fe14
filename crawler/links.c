/* links.c: the links of an HTML page and the URLs of a sitemap (libxml2). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "crawler/crawl-int.h"
#include "common/banned.h"

struct link_walk {
	void (*fn)(const char *href, unsigned flags, void *arg);
	void *arg;
	size_t max;
	size_t seen;
	size_t dropped;
};

static bool
name_is(const xmlNode *n, const char *name)
{
	return n->name && strcasecmp((const char *)n->name, name) == 0;
}

/* Whether the space-separated rel value names next or prev. */
static bool
rel_is_pagination(const char *rel)
{
	const char *p = rel;
	size_t n;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		n = strcspn(p, " \t\r\n");
		if ((n == 4 && strncasecmp(p, "next", 4) == 0) ||
		    (n == 4 && strncasecmp(p, "prev", 4) == 0) ||
		    (n == 8 && strncasecmp(p, "previous", 8) == 0))
			return true;
		p += n;
	}
	return false;
}

static void
emit(struct link_walk *w, const char *href, unsigned flags)
{
	if (!href || !*href)
		return;
	if (w->seen >= w->max) {
		w->dropped++;
		return;
	}
	w->seen++;
	w->fn(href, flags, w->arg);
}

static void
visit(struct link_walk *w, xmlNode *n, char **base)
{
	xmlChar *href = NULL, *rel = NULL;
	unsigned flags = 0;

	if (name_is(n, "a") || name_is(n, "area")) {
		href = xmlGetProp(n, (const xmlChar *)"href");
		rel = xmlGetProp(n, (const xmlChar *)"rel");
		if (rel && rel_is_pagination((const char *)rel))
			flags |= LINK_PAGINATION;
	} else if (name_is(n, "link")) {
		rel = xmlGetProp(n, (const xmlChar *)"rel");
		if (rel && rel_is_pagination((const char *)rel)) {
			href = xmlGetProp(n, (const xmlChar *)"href");
			flags |= LINK_PAGINATION;
		}
	} else if (name_is(n, "frame") || name_is(n, "iframe")) {
		href = xmlGetProp(n, (const xmlChar *)"src");
	} else if (name_is(n, "base") && base && !*base) {
		href = xmlGetProp(n, (const xmlChar *)"href");
		if (href)
			*base = xstrdup((const char *)href);
		xmlFree(href);
		return;
	}
	if (href)
		emit(w, (const char *)href, flags);
	xmlFree(href);
	xmlFree(rel);
}

/* Visits every element below root, in document order, without recursion. */
static void
walk(struct link_walk *w, xmlNode *root, char **base)
{
	xmlNode *n = root;

	while (n) {
		if (n->type == XML_ELEMENT_NODE)
			visit(w, n, base);
		if (n->children && n->type == XML_ELEMENT_NODE) {
			n = n->children;
			continue;
		}
		while (n && n != root && !n->next)
			n = n->parent;
		if (!n || n == root)
			break;
		n = n->next;
	}
}

void
links_extract(const char *html, size_t len, size_t max,
	      void (*fn)(const char *href, unsigned flags, void *arg),
	      void *arg, char **base, size_t *dropped)
{
	htmlDocPtr doc;
	xmlNode *root;
	struct link_walk w = { fn, arg, max, 0, 0 };
	const char *encoding;
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		   HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT;

	*base = NULL;
	*dropped = 0;
	if (len == 0 || len > INT_MAX)
		return;
	/* hrefs are ASCII in practice; a page that is not UTF-8 is left to
	 * libxml2's <meta charset> detection */
	encoding = utf8_valid(html, len, NULL) ? "UTF-8" : NULL;
	doc = htmlReadMemory(html, (int)len, NULL, encoding, opts);
	if (!doc)
		return;
	root = xmlDocGetRootElement(doc);
	if (root)
		walk(&w, root, base);
	xmlFreeDoc(doc);
	*dropped = w.dropped;
}

/*
 * The text of a <loc>: its text and CDATA children only. Entity
 * references are skipped, never expanded (xmlNodeGetContent would expand
 * nested entities into gigabytes); a URL has no use for them.
 */
static char *
loc_text(const xmlNode *loc)
{
	const xmlNode *c;
	struct buf b;

	buf_init(&b, RF_URL_INPUT_MAX_BYTES);
	for (c = loc->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE ||
		     c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_addstr(&b, (const char *)c->content);
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

void
sitemap_extract(const char *xml, size_t len, size_t max,
		void (*fn)(const char *href, unsigned flags, void *arg),
		void *arg, bool *is_index, size_t *dropped)
{
	xmlDocPtr doc;
	xmlNode *root, *n, *c;
	struct link_walk w = { fn, arg, max, 0, 0 };
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		   XML_PARSE_NOCDATA | XML_PARSE_COMPACT;
	char *text;

	*is_index = false;
	*dropped = 0;
	if (len == 0 || len > INT_MAX)
		return;
	/* no DTD loading, no entity substitution: XML_PARSE_NOENT is off */
	doc = xmlReadMemory(xml, (int)len, NULL, NULL, opts);
	if (!doc)
		return;
	root = xmlDocGetRootElement(doc);
	if (root && name_is(root, "sitemapindex"))
		*is_index = true;
	for (n = root ? root->children : NULL; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    !(name_is(n, "url") || name_is(n, "sitemap")))
			continue;
		for (c = n->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE || !name_is(c, "loc"))
				continue;
			text = loc_text(c);
			if (text)
				emit(&w, text, *is_index ? LINK_SITEMAP : 0);
			free(text);
		}
	}
	xmlFreeDoc(doc);
	*dropped = w.dropped;
}
