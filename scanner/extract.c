/*
 * extract.c: from the bytes of one input to a document's fields. HTML goes
 * through libxml2's HTML parser (no network, no entities loaded) and an
 * iterative walk of the tree, so hostile nesting cannot exhaust the stack.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "common/encode.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/charset.h"
#include "scanner/document.h"
#include "scanner/jsonld.h"
#include "scanner/profile.h"
#include "scanner/xmlarena.h"
#include "text/text.h"
#include "common/banned.h"

/* The most room made for a page's text before it is known. */
#define BODY_HINT_BYTES		((size_t)64 << 10)

/* What an element's tag says about its text. */
#define TAG_SKIP	0x1u	/* content never visible */
#define TAG_BLOCK	0x2u	/* breaks the flow of text */
#define TAG_CHROME	0x4u	/* page chrome wherever it is */
#define TAG_EDGE	0x8u	/* chrome outside the listing's container */

/*
 * The tags with a kind, sorted by name for tag_kind()'s binary search:
 * an element is looked up once per visit instead of being compared with
 * every name of three lists.
 */
static const struct tag_entry {
	const char *name;
	unsigned kind;
} tag_table[] = {
	{ "address", TAG_BLOCK },
	{ "article", TAG_BLOCK },
	{ "aside", TAG_BLOCK | TAG_CHROME },
	{ "blockquote", TAG_BLOCK },
	{ "body", TAG_BLOCK },
	{ "br", TAG_BLOCK },
	{ "canvas", TAG_SKIP },
	{ "caption", TAG_BLOCK },
	{ "dd", TAG_BLOCK },
	{ "details", TAG_BLOCK },
	{ "div", TAG_BLOCK },
	{ "dl", TAG_BLOCK },
	{ "dt", TAG_BLOCK },
	{ "embed", TAG_SKIP },
	{ "fieldset", TAG_BLOCK },
	{ "figcaption", TAG_BLOCK },
	{ "figure", TAG_BLOCK },
	{ "footer", TAG_BLOCK | TAG_EDGE },
	{ "form", TAG_BLOCK | TAG_CHROME },
	{ "h1", TAG_BLOCK },
	{ "h2", TAG_BLOCK },
	{ "h3", TAG_BLOCK },
	{ "h4", TAG_BLOCK },
	{ "h5", TAG_BLOCK },
	{ "h6", TAG_BLOCK },
	{ "head", TAG_SKIP },
	{ "header", TAG_BLOCK | TAG_EDGE },
	{ "hr", TAG_BLOCK },
	{ "html", TAG_BLOCK },
	{ "iframe", TAG_SKIP },
	{ "li", TAG_BLOCK },
	{ "main", TAG_BLOCK },
	{ "math", TAG_SKIP },
	{ "nav", TAG_BLOCK | TAG_CHROME },
	{ "noscript", TAG_SKIP },
	{ "object", TAG_SKIP },
	{ "ol", TAG_BLOCK },
	{ "option", TAG_SKIP },
	{ "p", TAG_BLOCK },
	{ "pre", TAG_BLOCK },
	{ "script", TAG_SKIP },
	{ "section", TAG_BLOCK },
	{ "select", TAG_SKIP },
	{ "style", TAG_SKIP },
	{ "summary", TAG_BLOCK },
	{ "svg", TAG_SKIP },
	{ "table", TAG_BLOCK },
	{ "td", TAG_BLOCK },
	{ "template", TAG_SKIP },
	{ "th", TAG_BLOCK },
	{ "title", TAG_BLOCK },
	{ "tr", TAG_BLOCK },
	{ "ul", TAG_BLOCK },
};

/* The TAG_* kind of element n. libxml2's HTML parser lower-cases names;
 * other trees (feeds) may not, so upper-case ASCII is folded first. */
static unsigned
tag_kind(const xmlNode *n)
{
	const char *name = (const char *)n->name;
	char low[16];
	size_t i, lo = 0, hi = RF_ARRAY_SIZE(tag_table);

	for (i = 0; name[i]; i++) {
		if (i + 1 >= sizeof(low))
			return 0;	/* longer than any tag we know */
		low[i] = name[i] >= 'A' && name[i] <= 'Z'
			 ? (char)(name[i] + 32) : name[i];
	}
	low[i] = '\0';
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		/* the first letters decide most steps without a call */
		int c = (unsigned char)low[0] !=
				(unsigned char)tag_table[mid].name[0]
			? (unsigned char)low[0] -
			  (unsigned char)tag_table[mid].name[0]
			: strcmp(low, tag_table[mid].name);

		if (c == 0)
			return tag_table[mid].kind;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* Collapses white space while text is appended: one space between words,
 * one newline between blocks, none at the ends. */
struct textsink {
	struct buf *out;
	bool space, newline;
	bool truncated;
};

static void
sink_break(struct textsink *s)
{
	s->newline = true;
}

static inline bool
is_space_at(const unsigned char *p, size_t left, size_t *n)
{
	*n = 1;
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' ||
	    *p == '\v')
		return true;
	/* U+00A0 no-break space */
	if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0) {
		*n = 2;
		return true;
	}
	return false;
}

/* The first i >= from where p[i] may start white space (a byte at or
 * below ' ', or C2, the lead of U+00A0), or len. */
static size_t
may_be_space(const unsigned char *p, size_t len, size_t from)
{
	size_t i = from;

#ifdef __SSE2__
	for (; len - i >= 16; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
					    (p + i));
		__m128i low = _mm_cmpeq_epi8(
			_mm_min_epu8(x, _mm_set1_epi8(' ')), x);
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			low, _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2))));

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i < len; i++)
		if (p[i] <= ' ' || p[i] == 0xC2)
			return i;
	return len;
}

/*
 * sink_text() for text known to be valid UTF-8 that fits under the cap
 * whatever it becomes (at most its length and one separator): the same
 * bytes, written in place with no check of each run.
 */
static void
sink_valid(struct textsink *s, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	struct buf *out = s->out;
	size_t i = 0, n, run, o;

	if (buf_grow(out, len + 1) != RF_OK) {
		s->truncated = true;	/* cannot be: the caller checked */
		return;
	}
	o = out->len;
	while (i < len) {
		if (is_space_at(p + i, len - i, &n)) {
			s->space = true;
			i += n;
			continue;
		}
		if (o) {
			if (s->newline)
				out->data[o++] = '\n';
			else if (s->space)
				out->data[o++] = ' ';
		}
		s->space = s->newline = false;
		run = i;
		while ((run = may_be_space(p, len, run)) < len &&
		       !is_space_at(p + run, len - run, &n))
			run++;
		memcpy(out->data + o, text + i, run - i);
		o += run - i;
		i = run;
	}
	out->len = o;
	out->data[o] = '\0';
}

static void
sink_text(struct textsink *s, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n, run;

	/* most text: valid, and far from the cap */
	if (!s->truncated && len < s->out->max - s->out->len &&
	    utf8_valid(text, len, NULL)) {
		sink_valid(s, text, len);
		return;
	}
	while (i < len && !s->truncated) {
		if (is_space_at(p + i, len - i, &n)) {
			s->space = true;
			i += n;
			continue;
		}
		if (s->out->len) {
			if (s->newline)
				buf_addch(s->out, '\n');
			else if (s->space)
				buf_addch(s->out, ' ');
		}
		s->space = s->newline = false;
		/* copy the run up to the next space; a byte above ' ' but
		 * the lead of U+00A0 is none */
		run = i;
		while (run < len) {
			if (p[run] > ' ' && p[run] != 0xC2) {
				run++;
				continue;
			}
			if (is_space_at(p + run, len - run, &n))
				break;
			run++;
		}
		/*
		 * libxml2 hands on bytes it could not decode when the
		 * declared charset is unknown ("<&\xbf" with charset=p),
		 * and the matcher trusts its input to be valid UTF-8.
		 */
		if (utf8_repair(s->out, text + i, run - i) != RF_OK) {
			s->truncated = true;
			break;
		}
		i = run;
	}
}

/* Class, id and role tokens of page chrome: cookie banners, menus,
 * breadcrumbs, blocks of related or recommended listings, sharing. */
static const char *const chrome_tokens[] = {
	"cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs",
	"related", "recommend", "recommended", "recommendations", "similar",
	"sidebar", "advert", "advertisement", "ads", "share", "social",
	"subscribe", "popup", "modal", "navbar", "menu", "navigation",
	"banner", "complementary", "contentinfo", "dialog", "footer",
};

static bool
token_in(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(chrome_tokens); i++)
		if (strlen(chrome_tokens[i]) == n &&
		    strncasecmp(s, chrome_tokens[i], n) == 0)
			return true;
	return false;
}

/*
 * The value of n's attribute name, as xmlGetProp() gives it, without the
 * copy where it can: an attribute of one text node (what the HTML parser
 * makes) is that node's text. *copy is set to what the caller frees with
 * xmlFree() (NULL when nothing need be). NULL when n has no such
 * attribute.
 */
static const xmlChar *
prop_value(const xmlNode *n, const char *name, xmlChar **copy)
{
	const xmlAttr *a;
	const xmlDoc *doc = n->doc;

	*copy = NULL;
	/* the first attribute of that name, whatever its namespace, as
	 * xmlHasProp() finds it */
	for (a = n->properties; a; a = a->next)
		if (a->name && strcmp((const char *)a->name, name) == 0)
			break;
	if (a && a->children && !a->children->next &&
	    (a->children->type == XML_TEXT_NODE ||
	     a->children->type == XML_CDATA_SECTION_NODE) &&
	    a->children->content)
		return a->children->content;
	/* none, and no DTD to give it a default value: NULL, as from
	 * xmlGetProp() */
	if (!a && (!doc || ((!doc->intSubset || !doc->intSubset->attributes) &&
			    (!doc->extSubset || !doc->extSubset->attributes))))
		return NULL;
	*copy = xmlGetProp(n, (const xmlChar *)name);
	return *copy;
}

/* Whether an attribute value has a chrome token ("cookie-banner"). */
static bool
attr_has_chrome(const xmlNode *n, const char *attr)
{
	xmlChar *copy;
	const xmlChar *v = prop_value(n, attr, &copy);
	const char *p, *q;
	bool yes = false;

	if (!v)
		return false;
	for (p = (const char *)v; *p && !yes; p = q) {
		while (*p && strchr(" \t\n-_", *p))
			p++;
		for (q = p; *q && !strchr(" \t\n-_", *q); q++)
			;
		if (q > p)
			yes = token_in(p, (size_t)(q - p));
	}
	xmlFree(copy);
	return yes;
}

/* Whether element n (of the given TAG_* kind) is page chrome: nav, aside
 * and form by their tag; header and footer only outside the listing's
 * own container; any element by its class, id or role. */
static bool
is_chrome(const xmlNode *n, unsigned kind, bool in_listing)
{
	if (kind & TAG_CHROME)
		return true;
	if (!in_listing && (kind & TAG_EDGE))
		return true;
	return attr_has_chrome(n, "class") || attr_has_chrome(n, "id") ||
	       attr_has_chrome(n, "role");
}

struct walk {
	struct textsink *sink;
	size_t nodes;
	bool deep;
	bool in_listing;	/* root is the listing's own container */
	bool keep_chrome;	/* walking a title: everything counts */
};

/*
 * Appends the visible text below root to w->sink without recursion: down
 * through children, on through siblings, up through parents. Scripts,
 * styles and page chrome are skipped.
 */
static void
walk_tree(struct walk *w, xmlNode *root)
{
	xmlNode *n = root;
	int depth = 0;

	while (n) {
		bool descend = false;

		if (++w->nodes > RF_HTML_MAX_NODES) {
			w->deep = true;
			return;
		}
		if (n->type == XML_ELEMENT_NODE) {
			unsigned kind = tag_kind(n);

			if ((kind & TAG_SKIP) ||
			    (!w->keep_chrome && n != root &&
			     is_chrome(n, kind, w->in_listing))) {
				/* skipped whole */
			} else {
				if (kind & TAG_BLOCK)
					sink_break(w->sink);
				descend = n->children != NULL;
			}
			if (descend && depth >= RF_HTML_MAX_DEPTH) {
				w->deep = true;
				descend = false;
			}
		} else if ((n->type == XML_TEXT_NODE ||
			    n->type == XML_CDATA_SECTION_NODE) && n->content) {
			sink_text(w->sink, (const char *)n->content,
				  strlen((const char *)n->content));
		}
		if (descend) {
			n = n->children;
			depth++;
			continue;
		}
		/* on to the next sibling, climbing as needed */
		while (n && n != root && !n->next) {
			n = n->parent;
			depth--;
			if (n && n->type == XML_ELEMENT_NODE &&
			    (tag_kind(n) & TAG_BLOCK))
				sink_break(w->sink);
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
}

/* What a page holds besides its text: found in one pass over the tree. */
struct landmarks {
	xmlNode *title;		/* <title> */
	xmlNode *body;
	xmlNode *jobposting;	/* an element with itemtype ...JobPosting */
	xmlNode *main;		/* <main> or role=main */
	xmlNode *article;	/* the only <article>, if just one */
	size_t articles;
	xmlNode *ldjson[RF_JSONLD_MAX_BLOCKS];	/* ld+json scripts */
	size_t nldjson;
	bool script, refresh;
	bool deep;
};

static bool
attr_contains(const xmlNode *n, const char *attr, const char *needle)
{
	xmlChar *copy;
	const xmlChar *v = prop_value(n, attr, &copy);
	bool yes = v && strcasestr((const char *)v, needle) != NULL;

	xmlFree(copy);
	return yes;
}

static void
find_landmarks(xmlNode *root, struct landmarks *lm)
{
	xmlNode *n = root;
	size_t nodes = 0;
	int depth = 0;

	memset(lm, 0, sizeof(*lm));
	while (n) {
		if (++nodes > RF_HTML_MAX_NODES) {
			lm->deep = true;
			return;
		}
		if (n->type == XML_ELEMENT_NODE) {
			const char *name = (const char *)n->name;
			/* the first letter in lower case rules out most of the
			 * names below before strcasecmp() */
			char c = (char)(name[0] | 0x20);

			if (!lm->title && c == 't' &&
			    strcasecmp(name, "title") == 0)
				lm->title = n;
			else if (!lm->body && c == 'b' &&
				 strcasecmp(name, "body") == 0)
				lm->body = n;
			else if (c == 's' && strcasecmp(name, "script") == 0) {
				if (attr_contains(n, "type", "ld+json")) {
					if (lm->nldjson < RF_JSONLD_MAX_BLOCKS)
						lm->ldjson[lm->nldjson++] = n;
				} else {
					lm->script = true;
				}
			}
			else if (c == 'm' && strcasecmp(name, "meta") == 0 &&
				 attr_contains(n, "http-equiv", "refresh"))
				lm->refresh = true;
			else if (!lm->main &&
				 ((c == 'm' && strcasecmp(name, "main") == 0) ||
				  attr_contains(n, "role", "main")))
				lm->main = n;
			else if (c == 'a' && strcasecmp(name, "article") == 0 &&
				 lm->articles++ == 0)
				lm->article = n;
			if (!lm->jobposting &&
			    attr_contains(n, "itemtype", "JobPosting"))
				lm->jobposting = n;
		}
		if (n->type == XML_ELEMENT_NODE && n->children &&
		    depth < RF_HTML_MAX_DEPTH) {
			n = n->children;
			depth++;
			continue;
		}
		if (n->type == XML_ELEMENT_NODE && n->children)
			lm->deep = true;
		while (n && n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
	if (lm->articles != 1)
		lm->article = NULL;
}

/* The first <h1> below root, or NULL. */
static xmlNode *
first_h1(xmlNode *root)
{
	xmlNode *n = root;
	int depth = 0;

	while (n) {
		if (n->type == XML_ELEMENT_NODE &&
		    (n->name[0] | 0x20) == 'h' &&
		    strcasecmp((const char *)n->name, "h1") == 0)
			return n;
		if (n->type == XML_ELEMENT_NODE && n->children &&
		    depth < RF_HTML_MAX_DEPTH) {
			n = n->children;
			depth++;
			continue;
		}
		while (n && n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
	return NULL;
}

/* Text of one element, all of it, into out. */
static bool
element_text_into(xmlNode *n, struct buf *out)
{
	struct textsink sink = { out, false, false, false };
	struct walk w;

	memset(&w, 0, sizeof(w));
	w.sink = &sink;
	w.keep_chrome = true;
	walk_tree(&w, n);
	return !w.deep && !sink.truncated;
}

/*
 * The body text of a page: the listing's own container when the page has
 * one (schema.org JobPosting microdata, <main>, role=main, or its only
 * <article>), without page chrome; otherwise all of <body> without chrome.
 * Returns the container used, or NULL for the whole body.
 */
static xmlNode *
page_text(struct document *d, xmlNode *root, const struct landmarks *lm,
	  bool *partial)
{
	xmlNode *const cands[] = { lm->jobposting, lm->main, lm->article };
	struct textsink sink = { &d->body, false, false, false };
	struct walk w;
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(cands); i++) {
		if (!cands[i])
			continue;
		memset(&w, 0, sizeof(w));
		w.sink = &sink;
		w.in_listing = true;
		walk_tree(&w, cands[i]);
		if (d->body.len) {
			*partial = w.deep || sink.truncated;
			return cands[i];
		}
	}
	memset(&w, 0, sizeof(w));
	w.sink = &sink;
	walk_tree(&w, lm->body ? lm->body : root);
	*partial = w.deep || sink.truncated;
	return NULL;
}

/* Reads data as UTF-8 into utf8, recording the charset in d. */
static bool
decode(struct document *d, const char *data, size_t len, bool markup,
       struct buf *utf8)
{
	struct charset_result cr;

	if (charset_to_utf8(data, len, d->http_charset, markup, utf8, &cr) !=
	    RF_OK) {
		document_fail(d, RF_ETOOBIG, "larger than %zu bytes once "
			      "converted to UTF-8", utf8->max);
		return false;
	}
	snprintf(d->charset, sizeof(d->charset), "%s", cr.name);
	d->charset_source = charset_source_name(cr.source);
	d->charset_replaced = cr.replaced;
	return true;
}

static void extract_html(struct document *d, const char *data, size_t len);

/*
 * A schema.org JobPosting in the page's JSON-LD is the listing as its
 * site publishes it: its title and description are preferred to the
 * visible text, and its fields fill the document's. The visible text's
 * contacts are kept (a description often leaves them out).
 */
static void
apply_jsonld(struct document *d, const struct landmarks *lm)
{
	struct jobposting jp;
	struct document desc;
	size_t i;
	bool found = false;

	for (i = 0; i < lm->nldjson && !found; i++) {
		xmlChar *t = xmlNodeGetContent(lm->ldjson[i]);

		if (t)
			found = jsonld_jobposting((const char *)t,
						  strlen((const char *)t), &jp);
		xmlFree(t);
	}
	if (!found)
		return;
	d->structured = "json-ld";
	d->employer = jp.employer;
	d->salary = jp.salary;
	d->location = jp.location;
	d->posted = jp.posted;
	jp.employer = jp.salary = jp.location = jp.posted = NULL;
	if (jp.description) {
		document_init(&desc, d->source);
		desc.http_charset = "UTF-8";
		extract_html(&desc, jp.description, strlen(jp.description));
		if (desc.status == DOC_OK && desc.body.len) {
			entities_find(&d->contacts, d->body.data, d->body.len);
			buf_reset(&d->body);
			buf_add(&d->body, desc.body.data, desc.body.len);
		}
		document_release(&desc);
	}
	if (jp.title) {
		buf_reset(&d->title);
		buf_addstr(&d->title, jp.title);
		d->has_title = d->title.len > 0;
	}
	jobposting_release(&jp);
}

/* The profile of d->profiles for the page: by the page's URL, else by
 * the URL the page gives itself (a saved page's canonical link). */
static const struct profile *
choose_profile(const struct document *d, xmlDoc *doc)
{
	const struct profile *p = NULL;
	char *url;

	if (!profile_set_count(d->profiles))
		return NULL;
	if (d->url)
		p = profile_set_match(d->profiles, d->url);
	if (!p) {
		url = profile_page_url(doc);
		p = profile_set_match(d->profiles, url);
		free(url);
	}
	return p;
}

static void
extract_html(struct document *d, const char *data, size_t len)
{
	const struct profile *prof;
	htmlDocPtr doc;
	xmlNode *root, *container, *h1;
	struct landmarks lm;
	struct buf utf8;
	struct xml_arena arena;
	bool partial = false;
	/* the bytes are UTF-8 now: meta declarations must not switch */
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		   HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | XML_PARSE_HUGE |
		   HTML_PARSE_IGNORE_ENC;

	buf_init(&utf8, RF_INPUT_MAX_BYTES * 3);
	if (!decode(d, data, len, true, &utf8)) {
		buf_release(&utf8);
		return;
	}
	/* the tree, and what profiles' XPath allocate on it, until it is
	 * freed below */
	xml_arena_init(&arena);
	doc = htmlReadMemory(utf8.data, (int)utf8.len, NULL, "UTF-8", opts);
	/* the body's text is most of a listing's page: room for it at once
	 * rather than a reallocation each time it doubles */
	(void)buf_grow(&d->body, utf8.len < BODY_HINT_BYTES
				 ? utf8.len : BODY_HINT_BYTES);
	buf_release(&utf8);
	if (!doc || !(root = xmlDocGetRootElement(doc))) {
		d->status = DOC_EMPTY;
		goto out;
	}
	prof = choose_profile(d, doc);
	if (prof)
		profile_drop(prof, doc, &d->profile);
	find_landmarks(root, &lm);
	container = page_text(d, root, &lm, &partial);
	/* the title: the listing's own heading, else <title>, else an h1 */
	h1 = container ? first_h1(container) : NULL;
	if (h1)
		partial |= !element_text_into(h1, &d->title);
	if (!d->title.len && lm.title)
		partial |= !element_text_into(lm.title, &d->title);
	if (!d->title.len && (h1 = first_h1(root)))
		partial |= !element_text_into(h1, &d->title);
	d->has_title = d->title.len > 0;
	if (lm.nldjson && !partial && !lm.deep)
		apply_jsonld(d, &lm);
	/* the analyst's profile wins over the heuristic and JSON-LD */
	if (prof)
		profile_apply(prof, doc, d, element_text_into, &partial);
	if (partial || lm.deep) {
		d->status = DOC_TRUNCATED;
		d->note = xstrdup(lm.deep ? "element tree too large or too deep"
				  : "text longer than the field cap");
	} else if (!d->body.len) {
		d->status = (lm.script || lm.refresh) ? DOC_BLOCKED : DOC_EMPTY;
		if (d->status == DOC_BLOCKED)
			d->note = xstrdup(lm.refresh
				? "no visible text, only a meta refresh"
				: "no visible text, only scripts");
	}
out:
	if (doc)
		xmlFreeDoc(doc);
	xml_arena_release(&arena);
}

/* Inputs this small are decoded straight into the body: whatever their
 * charset, their text (a few bytes for each byte read, 32 would still
 * do) stays far under the field's cap, so neither buffer's cap is met
 * and the bytes are those the copy into the body would get. */
#define TEXT_DIRECT_MAX_BYTES	((size_t)256 << 10)

static void
extract_text(struct document *d, const char *data, size_t len)
{
	struct buf utf8;

	if (len <= TEXT_DIRECT_MAX_BYTES && d->body.len == 0) {
		if (!decode(d, data, len, false, &d->body))
			return;
		/* trailing white space is noise in every output */
		while (d->body.len &&
		       strchr(" \t\r\n", d->body.data[d->body.len - 1]))
			buf_truncate(&d->body, d->body.len - 1);
		if (!d->body.len)
			d->status = DOC_EMPTY;
		return;
	}
	buf_init(&utf8, RF_INPUT_MAX_BYTES * 3);
	if (!decode(d, data, len, false, &utf8)) {
		buf_release(&utf8);
		return;
	}
	len = utf8.len;
	if (len > RF_FIELD_MAX_BYTES) {
		len = utf8_prefix(utf8.data, len, RF_FIELD_MAX_BYTES);
		d->status = DOC_TRUNCATED;
		d->note = xstrdup("text longer than the field cap");
	}
	buf_add(&d->body, utf8.data, len);
	buf_release(&utf8);
	/* trailing white space is noise in every output */
	while (d->body.len && strchr(" \t\r\n", d->body.data[d->body.len - 1]))
		buf_truncate(&d->body, d->body.len - 1);
	if (!d->body.len)
		d->status = DOC_EMPTY;
}

/* Recognises the kind of input by its first bytes, whatever its name. */
static enum doc_kind
sniff(const char *data, size_t len)
{
	size_t n = len < RF_SNIFF_BYTES ? len : RF_SNIFF_BYTES, i = 0;

	if (n >= 2 && (memcmp(data, "\xFF\xFE", 2) == 0 ||
		       memcmp(data, "\xFE\xFF", 2) == 0)) {
		/* UTF-16 with a BOM: NUL bytes are expected; look at the
		 * first character */
		unsigned char c = (unsigned char)(data[0] == '\xFF'
						  ? data[2] : data[3]);
		return n >= 4 && c == '<' ? KIND_HTML : KIND_TEXT;
	}
	if (memchr(data, '\0', n))
		return KIND_BINARY;
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && strchr(" \t\r\n\f", data[i]))
		i++;
	if (i < n && data[i] == '<') {
		/* a feed names its root early: <rss>, <feed>, <rdf:RDF> */
		static const char *const roots[] = { "<rss", "<feed", "<rdf:RDF" };
		size_t k;

		for (k = 0; k < RF_ARRAY_SIZE(roots); k++) {
			size_t m = strlen(roots[k]);
			const char *p = data + i;

			while (p + m < data + n) {
				p = memchr(p, '<', (size_t)(data + n - p));
				if (!p || p + m >= data + n)
					break;
				if (strncmp(p, roots[k], m) == 0 &&
				    strchr(" \t\r\n>", p[m]))
					return KIND_FEED;
				/* only the prolog may come before the root */
				if (p[1] != '?' && p[1] != '!')
					break;
				p++;
			}
		}
		return KIND_HTML;
	}
	return KIND_TEXT;
}

static void
find_contacts(struct document *d)
{
	size_t i;

	entities_find(&d->contacts, d->body.data, d->body.len);
	for (i = 0; i < d->contacts.n; i++) {
		buf_addstr(&d->contacts_text, d->contacts.items[i].value);
		buf_addch(&d->contacts_text, '\n');
	}
}

/* The language of one field's text on its own. */
static void
field_language(struct document *d, enum doc_field f, const char *text,
	       size_t len)
{
	if (!text || !len)
		return;
	d->field_lang[f] = lang_identify(text, len, NULL);
	d->lang_fields |= 1u << f;
}

/* The language of the title and body together (text/langid), and of
 * each field on its own. */
static void
identify_language(struct document *d)
{
	struct buf both;
	struct lang_result r;

	buf_init(&both, RF_LANGID_MAX_BYTES);
	if (d->has_title) {
		buf_add(&both, d->title.data, d->title.len);
		buf_addch(&both, '\n');
	}
	if (both.len) {
		buf_add(&both, d->body.data,
			utf8_prefix(d->body.data, d->body.len,
				    RF_LANGID_MAX_BYTES - both.len - 1 <
						    d->body.len
					    ? RF_LANGID_MAX_BYTES - both.len - 1
					    : d->body.len));
		lang_detect(both.data, both.len, &r);
	} else {
		/* no title: the same prefix of the body, not copied */
		lang_detect(d->body.data,
			    utf8_prefix(d->body.data, d->body.len,
					RF_LANGID_MAX_BYTES - 1 < d->body.len
						? RF_LANGID_MAX_BYTES - 1
						: d->body.len),
			    &r);
	}
	free(d->lang);
	d->lang = xstrdup(lang_name(r.lang));
	buf_release(&both);
	d->lang_fields = 0;
	if (d->has_title)
		field_language(d, DOC_FIELD_TITLE, d->title.data, d->title.len);
	/*
	 * The body is the document's text but for the title: when the title
	 * is under a tenth of it and nine tenths of the letters are in one
	 * language, the body alone is in that language too, and a second
	 * pass over it (a third of extraction's time) is saved.
	 */
	if (d->body.len && (!d->has_title ||
			    (d->title.len * 10 <= d->body.len &&
			     (r.lang == LANG_UND || (r.npresent &&
			      r.present[0].share >= 0.9))))) {
		d->field_lang[DOC_FIELD_BODY] = r.lang;
		d->lang_fields |= 1u << DOC_FIELD_BODY;
	} else {
		field_language(d, DOC_FIELD_BODY, d->body.data, d->body.len);
	}
	field_language(d, DOC_FIELD_SALARY, d->salary,
		       d->salary ? strlen(d->salary) : 0);
	field_language(d, DOC_FIELD_LOCATION, d->location,
		       d->location ? strlen(d->location) : 0);
	field_language(d, DOC_FIELD_EMPLOYER, d->employer,
		       d->employer ? strlen(d->employer) : 0);
}

/* What every document gets once its text is known. */
static void
finish_document(struct document *d)
{
	find_contacts(d);
	identify_language(d);
}

static void
payload_sha256(const char *data, size_t len, char out[65])
{
	unsigned char d[SHA256_DIGEST_LEN];

	sha256_digest(data, len, d);
	encode_hex(d, sizeof(d), out);
}

/* ---- RSS and Atom feeds: one document per item ---- */

static bool
named(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *
child_named(const xmlNode *n, const char *name)
{
	const xmlNode *c;

	for (c = n->children; c; c = c->next)
		if (named(c, name))
			return c;
	return NULL;
}

/* The text of an element (CDATA included); a new string or NULL. */
static char *
element_text(const xmlNode *n)
{
	xmlChar *t;
	char *s;

	if (!n)
		return NULL;
	t = xmlNodeGetContent(n);
	if (!t)
		return NULL;
	s = xstrdup((const char *)t);
	xmlFree(t);
	return s;
}

/* Fills d from a feed item or entry; its description is HTML. */
static void
extract_item(struct document *d, const xmlNode *item)
{
	static const char *const bodies[] = {
		"encoded", "description", "content", "summary",
	};
	const xmlNode *link = child_named(item, "link");
	char *title = element_text(child_named(item, "title"));
	char *body = NULL;
	size_t k;

	for (k = 0; k < RF_ARRAY_SIZE(bodies) && !body; k++)
		body = element_text(child_named(item, bodies[k]));
	if (link) {
		xmlChar *href = xmlGetProp(link, (const xmlChar *)"href");

		if (href) {
			d->url = xstrdup((const char *)href);
			xmlFree(href);
		} else {
			d->url = element_text(link);
		}
	}
	if (body && *body) {
		/* already UTF-8: the HTML of the description */
		d->http_charset = "UTF-8";
		extract_html(d, body, strlen(body));
		d->http_charset = NULL;
	} else {
		d->status = DOC_EMPTY;
	}
	buf_reset(&d->title);
	if (title)
		buf_addstr(&d->title, title);
	d->has_title = d->title.len > 0;
	free(title);
	free(body);
}

/* Calls fn with a document for every item or entry below root. */
static size_t
feed_items(const struct document *feed, const xmlNode *root, document_fn fn,
	   void *arg)
{
	const char *source = feed->source;
	const xmlNode *n = root;
	size_t count = 0;
	int depth = 0;

	while (n && count < RF_FEED_MAX_ITEMS) {
		bool down = false;

		if (named(n, "item") || named(n, "entry")) {
			struct document d;

			document_init(&d, source);
			d.kind = KIND_FEED;
			memcpy(d.sha256, feed->sha256, sizeof(d.sha256));
			extract_item(&d, n);
			/* the item was read in the feed's charset */
			memcpy(d.charset, feed->charset, sizeof(d.charset));
			d.charset_source = feed->charset_source;
			d.charset_replaced = feed->charset_replaced;
			if (d.status != DOC_ERROR)
				finish_document(&d);
			fn(&d, arg);
			document_release(&d);
			count++;
		} else if (n->type == XML_ELEMENT_NODE && n->children &&
			   depth < RF_HTML_MAX_DEPTH) {
			down = true;
		}
		if (down) {
			n = n->children;
			depth++;
			continue;
		}
		while (n && n != root && !n->next) {
			n = n->parent;
			depth--;
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
	return count;
}

/* The SAX handler of entity declarations: declares nothing. */
static void
ignore_entity_decl(void *ctx, const xmlChar *name, int type,
		   const xmlChar *public_id, const xmlChar *system_id,
		   xmlChar *content)
{
	(void)ctx;
	(void)name;
	(void)type;
	(void)public_id;
	(void)system_id;
	(void)content;
}

/*
 * Parses a feed as XML with no network, no DTD loading and no entity but
 * the predefined ones and character references: the entities a feed
 * declares are ignored, so that references to them are dropped as
 * undefined. libxml2 would otherwise expand them, without its limits
 * under XML_PARSE_HUGE, in attribute values while parsing and in any
 * text read with xmlNodeGetContent: ten nested entities of ten
 * references each ("billion laughs") make gigabytes out of a few hundred
 * bytes. Returns a new document the caller frees, or NULL.
 */
static xmlDocPtr
read_feed(const char *utf8, size_t len, int opts)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	xmlDocPtr doc;

	if (!ctxt)
		return NULL;
	ctxt->sax->entityDecl = ignore_entity_decl;
	doc = xmlCtxtReadMemory(ctxt, utf8, (int)len, NULL, "UTF-8", opts);
	xmlFreeParserCtxt(ctxt);
	return doc;
}

/* A feed: parsed as XML with no network and no entity substitution. */
static void
extract_feed(const char *source, const char *http_charset, const char *data,
	     size_t len, document_fn fn, void *arg)
{
	struct document d;
	struct buf utf8;
	xmlDocPtr doc = NULL;
	xmlNode *root;
	int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
		   XML_PARSE_RECOVER | XML_PARSE_IGNORE_ENC | XML_PARSE_HUGE;

	document_init(&d, source);
	d.http_charset = http_charset;
	d.kind = KIND_FEED;
	payload_sha256(data, len, d.sha256);
	buf_init(&utf8, RF_INPUT_MAX_BYTES * 3);
	if (!decode(&d, data, len, true, &utf8))
		goto fail;
	doc = read_feed(utf8.data, utf8.len, opts);
	if (!doc || !(root = xmlDocGetRootElement(doc))) {
		document_fail(&d, RF_EPARSE, "not a well-formed feed");
		goto fail;
	}
	if (feed_items(&d, root, fn, arg) == 0) {
		d.status = DOC_EMPTY;
		d.note = xstrdup("a feed without items");
		goto fail;
	}
	xmlFreeDoc(doc);
	buf_release(&utf8);
	document_release(&d);
	return;
fail:
	fn(&d, arg);
	if (doc)
		xmlFreeDoc(doc);
	buf_release(&utf8);
	document_release(&d);
}

void
extract_documents(const char *source, const char *url,
		  const char *http_charset, const struct profile_set *profiles,
		  const char *data, size_t len, document_fn fn, void *arg)
{
	struct document d;

	if (len && sniff(data, len) == KIND_FEED) {
		extract_feed(source, http_charset, data, len, fn, arg);
		return;
	}
	document_init(&d, source);
	if (url)
		d.url = xstrdup(url);
	d.http_charset = http_charset;
	d.profiles = profiles;
	payload_sha256(data, len, d.sha256);
	extract_document(&d, data, len);
	d.http_charset = NULL;
	fn(&d, arg);
	document_release(&d);
}

/*
 * A page saved from a browser's view-source tab holds the real page as
 * escaped text: its visible text is markup. Read that markup as the page
 * (once: a view-source of a view-source stays as it is).
 */
static void
unwrap_view_source(struct document *d)
{
	struct buf inner;
	const char *t = d->body.data;

	if (d->status != DOC_OK ||
	    (strncasecmp(t, "<!doctype html", 14) != 0 &&
	     strncasecmp(t, "<html", 5) != 0))
		return;
	buf_init(&inner, 0);
	buf_add(&inner, d->body.data, d->body.len);
	buf_reset(&d->body);
	buf_reset(&d->title);
	d->has_title = false;
	d->http_charset = "UTF-8";
	extract_html(d, inner.data, inner.len);
	d->http_charset = NULL;
	if (!d->note)
		d->note = xstrdup("a view-source page: its markup was read as "
				  "the page");
	buf_release(&inner);
}

void
extract_plain(struct document *d, const char *text, size_t len)
{
	if (len == 0) {
		d->status = DOC_EMPTY;
		return;
	}
	d->kind = KIND_TEXT;
	extract_text(d, text, len);
	if (d->status != DOC_ERROR)
		finish_document(d);
}

void
extract_document(struct document *d, const char *data, size_t len)
{
	if (len == 0) {
		d->status = DOC_EMPTY;
		return;
	}
	d->kind = sniff(data, len);
	switch (d->kind) {
	case KIND_BINARY:
		document_fail(d, RF_EBINARY, "binary file");
		return;
	case KIND_HTML:
		extract_html(d, data, len);
		unwrap_view_source(d);
		break;
	case KIND_FEED:
		/* one document asked for: the feed's first item */
		d->kind = KIND_HTML;
		extract_html(d, data, len);
		break;
	case KIND_TEXT:
		extract_text(d, data, len);
		break;
	}
	if (d->status == DOC_ERROR)
		return;
	finish_document(d);
}
