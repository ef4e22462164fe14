/*
 * extract.c: from the bytes of one input to a document's fields. HTML goes
 * through libxml2's HTML parser (no network, no entities loaded): its SAX
 * events recorded as a flat list of nodes, or its tree where a page needs
 * one; both are walked without recursion, so hostile nesting cannot
 * exhaust the stack.
 */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
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
#define TAG_NAME_BYTES	16
/* An entry; a name of TAG_NAME_BYTES letters or more, which would lose its
 * NUL, does not compile (an array of negative size). */
#define TAG(s, k)	{ s, (k) * (unsigned)sizeof(char[ \
				sizeof(s) <= TAG_NAME_BYTES ? 1 : -1]) }
static const struct tag_entry {
	char name[TAG_NAME_BYTES];	/* NUL-padded: compared as two words */
	unsigned kind;
} tag_table[] = {
	TAG("address", TAG_BLOCK),
	TAG("article", TAG_BLOCK),
	TAG("aside", TAG_BLOCK | TAG_CHROME),
	TAG("blockquote", TAG_BLOCK),
	TAG("body", TAG_BLOCK),
	TAG("br", TAG_BLOCK),
	TAG("canvas", TAG_SKIP),
	TAG("caption", TAG_BLOCK),
	TAG("dd", TAG_BLOCK),
	TAG("details", TAG_BLOCK),
	TAG("div", TAG_BLOCK),
	TAG("dl", TAG_BLOCK),
	TAG("dt", TAG_BLOCK),
	TAG("embed", TAG_SKIP),
	TAG("fieldset", TAG_BLOCK),
	TAG("figcaption", TAG_BLOCK),
	TAG("figure", TAG_BLOCK),
	TAG("footer", TAG_BLOCK | TAG_EDGE),
	TAG("form", TAG_BLOCK | TAG_CHROME),
	TAG("h1", TAG_BLOCK),
	TAG("h2", TAG_BLOCK),
	TAG("h3", TAG_BLOCK),
	TAG("h4", TAG_BLOCK),
	TAG("h5", TAG_BLOCK),
	TAG("h6", TAG_BLOCK),
	TAG("head", TAG_SKIP),
	TAG("header", TAG_BLOCK | TAG_EDGE),
	TAG("hr", TAG_BLOCK),
	TAG("html", TAG_BLOCK),
	TAG("iframe", TAG_SKIP),
	TAG("li", TAG_BLOCK),
	TAG("main", TAG_BLOCK),
	TAG("math", TAG_SKIP),
	TAG("nav", TAG_BLOCK | TAG_CHROME),
	TAG("noscript", TAG_SKIP),
	TAG("object", TAG_SKIP),
	TAG("ol", TAG_BLOCK),
	TAG("option", TAG_SKIP),
	TAG("p", TAG_BLOCK),
	TAG("pre", TAG_BLOCK),
	TAG("script", TAG_SKIP),
	TAG("section", TAG_BLOCK),
	TAG("select", TAG_SKIP),
	TAG("style", TAG_SKIP),
	TAG("summary", TAG_BLOCK),
	TAG("svg", TAG_SKIP),
	TAG("table", TAG_BLOCK),
	TAG("td", TAG_BLOCK),
	TAG("template", TAG_SKIP),
	TAG("th", TAG_BLOCK),
	TAG("title", TAG_BLOCK),
	TAG("tr", TAG_BLOCK),
	TAG("ul", TAG_BLOCK),
};
#undef TAG
_Static_assert(TAG_NAME_BYTES == 16, "a name is compared as two words");

/* 8 bytes of a name as a number that orders them as strcmp() would. */
static inline uint64_t
name_word(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* The TAG_* kind of an element's name. libxml2's HTML parser lower-cases
 * names; other trees (feeds) may not, so upper-case ASCII is folded
 * first. */
static unsigned
tag_name_kind(const char *name)
{
	char low[TAG_NAME_BYTES] = { 0 };
	size_t i, lo = 0, hi = RF_ARRAY_SIZE(tag_table);
	uint64_t w0, w1;

	for (i = 0; name[i]; i++) {
		if (i + 1 >= sizeof(low))
			return 0;	/* longer than any tag we know */
		low[i] = name[i] >= 'A' && name[i] <= 'Z'
			 ? (char)(name[i] + 32) : name[i];
	}
	/* the binary search compares two numbers a step, not strings */
	w0 = name_word(low);
	w1 = name_word(low + 8);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint64_t t0 = name_word(tag_table[mid].name);
		uint64_t t1 = name_word(tag_table[mid].name + 8);

		if (w0 == t0 && w1 == t1)
			return tag_table[mid].kind;
		if (w0 < t0 || (w0 == t0 && w1 < t1))
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* The TAG_* kind of element n. */
static unsigned
tag_kind(const xmlNode *n)
{
	return tag_name_kind((const char *)n->name);
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

#ifdef __SSE2__
/*
 * How many of the 16 bytes at p (at most avail of them text) copy to the
 * output as they are: words separated by single spaces, up to the first
 * other white space, a second space in a row, a byte below ' ' or C2 (the
 * lead of U+00A0), or the end of the text; a space there is left out (what
 * comes after it is not known yet). p[0] is no white space, or a single
 * space after a word.
 */
static inline unsigned
sink_plain_bytes(__m128i x, size_t avail)
{
	unsigned sp = (unsigned)_mm_movemask_epi8(
		_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
	unsigned cand = (unsigned)_mm_movemask_epi8(_mm_or_si128(
		_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(' ')), x),
		_mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xC2))));
	/* bit 16 stops a block of plain bytes at its end */
	unsigned stop = (cand & ~sp) | (sp & (sp >> 1)) | 0x10000u;
	unsigned n;

	if (avail < 16)
		stop |= 1u << avail;
	n = (unsigned)__builtin_ctz(stop);
	/* a space last: its separator is decided by what follows */
	if (n && (sp >> (n - 1) & 1u))
		n--;
	return n;
}
#endif

/*
 * sink_text() for text known to be valid UTF-8 that fits under the cap
 * whatever it becomes (at most its length and one separator): the same
 * bytes, written in place with no check of each run. pad bytes after the
 * text may be read (they are not used). Words separated by single spaces
 * are copied 16 bytes at a time.
 */
static void
sink_valid(struct textsink *s, const char *text, size_t len, size_t pad)
{
	const unsigned char *p = (const unsigned char *)text;
	struct buf *out = s->out;
	size_t i = 0, n, run, o;
	/* the blocks' stores go up to 16 bytes past what is kept */
	bool blocks = out->max - out->len - len > 32;

	if (buf_grow(out, len + (blocks ? 32 : 1)) != RF_OK) {
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
#ifdef __SSE2__
		/* what is plain, by blocks */
		while (blocks && len + pad - i >= 16) {
			__m128i x = _mm_loadu_si128(
				(const __m128i *)(const void *)(p + i));
			unsigned k = sink_plain_bytes(x, len - i);

			_mm_storeu_si128((__m128i *)(void *)(out->data + o), x);
			o += k;
			i += k;
			if (k < 16)
				break;
		}
#endif
		/* the rest of the word, up to white space */
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
	size_t i = 0, n, run, before;

	/* most text: valid, and far from the cap */
	if (!s->truncated && len < s->out->max - s->out->len &&
	    utf8_valid(text, len, NULL)) {
		sink_valid(s, text, len, 0);
		return;
	}
	while (i < len && !s->truncated) {
		if (is_space_at(p + i, len - i, &n)) {
			s->space = true;
			i += n;
			continue;
		}
		before = s->out->len;
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
			/* at the cap: no separator or part of a word last */
			buf_truncate(s->out, before);
			s->truncated = true;
			break;
		}
		i = run;
	}
}

/* Class, id and role tokens of page chrome: cookie banners, menus,
 * breadcrumbs, blocks of related or recommended listings, sharing. */
#define TOKEN(s) { s, sizeof(s) - 1 }
static const struct chrome_token {
	const char *s;
	size_t n;
} chrome_tokens[] = {
	TOKEN("cookie"), TOKEN("cookies"), TOKEN("consent"), TOKEN("gdpr"),
	TOKEN("breadcrumb"), TOKEN("breadcrumbs"), TOKEN("related"),
	TOKEN("recommend"), TOKEN("recommended"), TOKEN("recommendations"),
	TOKEN("similar"), TOKEN("sidebar"), TOKEN("advert"),
	TOKEN("advertisement"), TOKEN("ads"), TOKEN("share"), TOKEN("social"),
	TOKEN("subscribe"), TOKEN("popup"), TOKEN("modal"), TOKEN("navbar"),
	TOKEN("menu"), TOKEN("navigation"), TOKEN("banner"),
	TOKEN("complementary"), TOKEN("contentinfo"), TOKEN("dialog"),
	TOKEN("footer"),
};
#undef TOKEN

static bool
token_in(const char *s, size_t n)
{
	size_t i;
	/* the first letter rules out most tokens before strncasecmp() */
	char c = (char)(s[0] | 0x20);

	for (i = 0; i < RF_ARRAY_SIZE(chrome_tokens); i++)
		if (chrome_tokens[i].n == n && chrome_tokens[i].s[0] == c &&
		    strncasecmp(s, chrome_tokens[i].s, n) == 0)
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

/* What separates the tokens of an attribute's value: " \t\n-_" (not
 * NUL). */
static bool
is_token_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '-' || c == '_';
}

/* Whether an attribute's value has a chrome token ("cookie-banner"). */
static bool
value_has_chrome(const char *v)
{
	const char *p, *q;

	for (p = v; *p; p = q) {
		while (is_token_sep(*p))
			p++;
		for (q = p; *q && !is_token_sep(*q); q++)
			;
		if (q > p && token_in(p, (size_t)(q - p)))
			return true;
	}
	return false;
}

/* Whether n's attribute attr has a chrome token. */
static bool
attr_has_chrome(const xmlNode *n, const char *attr)
{
	xmlChar *copy;
	const xmlChar *v = prop_value(n, attr, &copy);
	bool yes = v && value_has_chrome((const char *)v);

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
	/* the same size, and NUL-terminated: no formatting needed */
	_Static_assert(sizeof(d->charset) == sizeof(cr.name),
		       "a charset's name fits the document's");
	memcpy(d->charset, cr.name, sizeof(d->charset));
	d->charset_source = charset_source_name(cr.source);
	d->charset_replaced = cr.replaced;
	return true;
}

static void extract_html(struct document *d, const char *data, size_t len);
static void apply_jobposting(struct document *d, struct jobposting *jp);

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
	size_t i;
	bool found = false;

	for (i = 0; i < lm->nldjson && !found; i++) {
		xmlChar *t = xmlNodeGetContent(lm->ldjson[i]);

		if (t)
			found = jsonld_jobposting((const char *)t,
						  strlen((const char *)t), &jp);
		xmlFree(t);
	}
	if (found)
		apply_jobposting(d, &jp);
}

/* Fills d from a JobPosting found in the page's JSON-LD; takes jp's
 * strings. */
static void
apply_jobposting(struct document *d, struct jobposting *jp)
{
	struct document desc;

	d->structured = "json-ld";
	d->employer = jp->employer;
	d->salary = jp->salary;
	d->location = jp->location;
	d->posted = jp->posted;
	jp->employer = jp->salary = jp->location = jp->posted = NULL;
	if (jp->description) {
		document_init(&desc, d->source);
		desc.http_charset = "UTF-8";
		extract_html(&desc, jp->description,
			     strlen(jp->description));
		if (desc.status == DOC_OK && desc.body.len) {
			entities_find(&d->contacts, d->body.data, d->body.len);
			buf_reset(&d->body);
			buf_add(&d->body, desc.body.data, desc.body.len);
		}
		document_release(&desc);
	}
	if (jp->title) {
		buf_reset(&d->title);
		buf_addstr(&d->title, jp->title);
		d->has_title = d->title.len > 0;
	}
	jobposting_release(jp);
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

/* The fields of d from libxml2's tree of the page utf8 (released once
 * parsed), with d's extraction profile if it has one. */
static void
extract_tree(struct document *d, struct buf *utf8, int opts)
{
	const struct profile *prof;
	htmlDocPtr doc;
	xmlNode *root, *container, *h1;
	struct landmarks lm;
	bool partial = false;

	doc = htmlReadMemory(utf8->data, (int)utf8->len, NULL, "UTF-8", opts);
	buf_release(utf8);
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
}

/*
 * ---- The page without a tree ----
 *
 * Most pages are read without building libxml2's tree: the parser's SAX
 * events are recorded as a flat list of the nodes the tree would have,
 * in document order (an element's start and end, text, comments), and
 * the walks above are done again over that list. It is the same parse
 * (libxml2's HTML parser, the same options) without the cost of the
 * tree's nodes and attributes.
 *
 * The list holds what the tree would only where both are plain: a page
 * is parsed again with a tree (extract_tree) when it has an element
 * that the tree would not put where the events say (an element after
 * the root's end, which libxml2 hangs elsewhere; a prefixed name, which
 * the tree keeps without its prefix), a NUL in its text, nesting or
 * nodes near the caps of the walks (RF_HTML_MAX_DEPTH and
 * RF_HTML_MAX_NODES, whose effect stays the tree walk's), or text that
 * could reach a field's cap. Pages with an extraction profile, whose
 * XPath needs the tree, take the tree path from the start.
 */

/* Nesting and nodes past which a page takes the tree path: far below
 * the walks' own caps, so that these never act on the list. */
#define FLAT_MAX_DEPTH		256
#define FLAT_MAX_NODES		(RF_HTML_MAX_NODES / 4)
/* Text past which a page takes the tree path: a field fed from it cannot
 * reach RF_FIELD_MAX_BYTES (at most its bytes and one separator a
 * node). */
#define FLAT_MAX_TEXT_BYTES	(RF_FIELD_MAX_BYTES / 4)
/* Bytes after the text that sink_valid() may read. */
#define FLAT_TEXT_PAD		16

_Static_assert(FLAT_MAX_NODES < UINT32_MAX && FLAT_MAX_TEXT_BYTES <
	       UINT32_MAX, "node indexes and text offsets fit 32 bits");
_Static_assert(FLAT_MAX_DEPTH < RF_HTML_MAX_DEPTH &&
	       2 * FLAT_MAX_NODES + FLAT_MAX_TEXT_BYTES < RF_FIELD_MAX_BYTES,
	       "the walks' caps are never reached on the flat path");

/*
 * ---- Text set aside while libxml2 parses ----
 *
 * libxml2 reads a page's text a character at a time (a hundred
 * instructions each in 2.9, most of the parse of a listing). A run of
 * plain text between markup is no work for it but to be handed on: each
 * such run is set aside and libxml2 parses a skeleton of the page with a
 * mark in its place, one private-use character (U+E000 and up, the run's
 * number modulo 4096), which flat_characters() turns back into the run.
 *
 * The runs are found by a simple reading of the markup (hold_page()).
 * Where it and libxml2 disagree, a mark ends up where libxml2 does not
 * hand it on as text (in a tag, a comment, a doctype): the marks seen as
 * text are then not 0, 1, 2 ... up to the last, and the page is parsed
 * with a tree as any page flat_parse() gives up on. When they are, each
 * run stood where libxml2 reads text, and the events are those of the
 * page: up to a run, the skeleton is the page but for earlier runs, each
 * read as text in its place, which leaves libxml2 as its run would; and
 * a run reads as its mark does: it is less than one chunk of libxml2's
 * text (HOLD_MAX_BYTES), it starts with no white space (which libxml2
 * skips in places) and has some that is not (as a mark is not), and it
 * has no byte libxml2 reads apart: no '<', '&' or NUL, no control
 * character but tab and newline, no 0xEF (U+FFFE, U+FFFF, a BOM). A run
 * right after '&' stays in the skeleton (libxml2 reads an entity's name
 * from it). Pages with a byte 0xEE (U+E000 to U+EFFF) or a character
 * reference that could make one are parsed as they are.
 */
#define HOLD_MARK_LEAD		0xEE
#define HOLD_MARKS		4096u
/* The runs set aside: under libxml2's chunks of text (1000 bytes), and
 * long enough to be worth a mark. */
#define HOLD_MIN_BYTES		8
#define HOLD_MAX_BYTES		960

struct hold_run {
	uint32_t off, len;	/* bytes of the page */
};

static bool hold_on = true;
static _Thread_local size_t hold_pages, hold_given_up;

/*
 * The reasoning above, and the tests and fuzzing behind it, are about
 * libxml2 2.9's HTML parser; 2.10 to 2.14 changed it (2.14 replaced its
 * tokenizer) under the same soname. With any other libxml2 at run time,
 * pages are parsed as they are.
 */
static bool hold_works;
static pthread_once_t hold_once = PTHREAD_ONCE_INIT;

static void
hold_check_version(void)
{
	long v = strtol(xmlParserVersion, NULL, 10);

	hold_works = v >= 20900 && v < 21000;
}

bool
extract_hold_supported(void)
{
	pthread_once(&hold_once, hold_check_version);
	return hold_works;
}

void
extract_set_hold(bool on)
{
	hold_on = on;
}

void
extract_hold_counts(size_t *held, size_t *given_up)
{
	*held = hold_pages;
	*given_up = hold_given_up;
}

struct hold {
	const char *page;
	struct hold_run *runs;
	size_t n, alloc;
	size_t next;		/* the run whose mark comes next */
	struct buf skel;	/* the page with marks for its runs */
	bool padded;		/* the skeleton has the guard */
	bool guard_seen;
};

static bool
is_ascii_alpha(unsigned char c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* The first '<' or '&' of p[i..len), or len. */
static size_t
markup_next(const unsigned char *p, size_t len, size_t i)
{
#ifdef __SSE2__
	for (; len - i >= 16; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
					    (p + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, _mm_set1_epi8('<')),
			_mm_cmpeq_epi8(x, _mm_set1_epi8('&'))));

		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	for (; i < len; i++)
		if (p[i] == '<' || p[i] == '&')
			return i;
	return len;
}

/* Whether byte c keeps a run of text from being set aside: a control
 * character but tab and newline, or 0xEF (see above). */
static bool
hold_bad(unsigned char c)
{
	return (c < ' ' && c != '\t' && c != '\n') || c == 0xEF;
}

/* The first '<' or '&' of p[i..len), or len; *plain is cleared when a
 * byte before it keeps the run from being set aside (hold_bad()). */
static size_t
run_end(const unsigned char *p, size_t len, size_t i, bool *plain)
{
#ifdef __SSE2__
	for (; len - i >= 16; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)
					    (p + i));
		unsigned stop = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			_mm_cmpeq_epi8(x, _mm_set1_epi8('<')),
			_mm_cmpeq_epi8(x, _mm_set1_epi8('&'))));
		__m128i ctrl = _mm_andnot_si128(
			_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\t')),
				     _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
			_mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1F)),
				       x));
		unsigned bad = (unsigned)_mm_movemask_epi8(_mm_or_si128(
			ctrl, _mm_cmpeq_epi8(x, _mm_set1_epi8((char)0xEF))));

		if (stop) {
			unsigned at = (unsigned)__builtin_ctz(stop);

			if (bad & ((1u << at) - 1))
				*plain = false;
			return i + at;
		}
		if (bad)
			*plain = false;
	}
#endif
	for (; i < len; i++) {
		if (p[i] == '<' || p[i] == '&')
			return i;
		if (hold_bad(p[i]))
			*plain = false;
	}
	return len;
}

/*
 * libxml2 reads a name with letters past ASCII (an entity's, a doctype's,
 * a processing instruction's target) by a slower way that, past 100
 * characters, asks its input for more and may start the name again,
 * somewhere in it, when its buffer has moved: what it makes of the name
 * then hangs on where the buffer ends, which differs between a page and
 * its skeleton. Pages where such a name could be that long (HOLD_NAME_MAX
 * bytes, fewer than 100 characters) are parsed as they are.
 */
#define HOLD_NAME_MAX		64

/* Whether byte c could be part of a name. */
static bool
is_name_byte(unsigned char c)
{
	return c >= 0x80 || is_ascii_alpha(c) || (c >= '0' && c <= '9') ||
	       c == '.' || c == '-' || c == '_' || c == ':';
}

/* Whether p[i..) starts with more than HOLD_NAME_MAX bytes that could be
 * part of one name. */
static bool
hold_long_name(const unsigned char *p, size_t len, size_t i)
{
	size_t k;

	for (k = i; k < len && k - i <= HOLD_NAME_MAX && is_name_byte(p[k]);
	     k++)
		;
	return k - i > HOLD_NAME_MAX;
}

/* Where the markup at p[i] ('<') ends, or 0 where the page is not to be
 * held (a '<' libxml2 reads as text, markup never closed). *raw is set
 * when a script or style runs to the end of the page. */
static size_t
hold_markup(const unsigned char *p, size_t len, size_t i, bool *raw)
{
	const unsigned char *e;
	size_t k, name;
	char quote;

	if (len - i < 2)
		return 0;
	if (len - i >= 4 && memcmp(p + i, "<!--", 4) == 0) {
		e = memmem(p + i + 4, len - i - 4, "-->", 3);
		return e ? (size_t)(e - p) + 3 : 0;
	}
	if (p[i + 1] == '!' || p[i + 1] == '?' || p[i + 1] == '/') {
		e = memchr(p + i + 1, '>', len - i - 1);
		return e ? (size_t)(e - p) + 1 : 0;
	}
	if (!is_ascii_alpha(p[i + 1]))
		return 0;
	name = i + 1;
	for (k = name; k < len && p[k] != '>' && p[k] != '/' &&
	     p[k] != ' ' && p[k] != '\t' && p[k] != '\n' && p[k] != '\r';
	     k++)
		;
	/* the attributes: a quoted value may hold '>' */
	for (quote = 0; k < len && (quote || p[k] != '>'); k++)
		if (quote && p[k] == quote)
			quote = 0;
		else if (!quote && (p[k] == '"' || p[k] == '\''))
			quote = (char)p[k];
	if (k == len)
		return 0;
	k++;
	/* a script's or style's text runs to its end tag, as it is */
	if (k - name > 5) {
		const char *end = NULL;

		if (strncasecmp((const char *)p + name, "script", 6) == 0 &&
		    !is_ascii_alpha(p[name + 6]))
			end = "</script";
		else if (strncasecmp((const char *)p + name, "style", 5) == 0 &&
			 !is_ascii_alpha(p[name + 5]))
			end = "</style";
		if (end) {
			const char *q = (const char *)p;
			size_t m = strlen(end);

			for (; k + m <= len; k++)
				if (q[k] == '<' && strncasecmp(q + k, end, m) == 0)
					return k;
			*raw = true;
			return len;
		}
	}
	return k;
}

/* Whether the reference at p[i] ('&') is a character reference that
 * may make a mark, or one too long to tell. */
static bool
hold_ref_marks(const unsigned char *p, size_t len, size_t i)
{
	unsigned long v = 0;
	size_t k = i + 2, digits = 0;
	bool hex;

	if (len - i < 2 || p[i + 1] != '#')
		return false;
	hex = k < len && (p[k] | 0x20) == 'x';
	k += hex;
	for (; k < len && digits < 8; k++, digits++) {
		unsigned c = p[k], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			d = (c | 0x20) - 'a' + 10;
		else
			break;
		v = v * (hex ? 16 : 10) + d;
	}
	return digits == 8 || (v >= 0xE000 && v < 0xE000 + HOLD_MARKS);
}

/* Whether the page has a reference or a name that keeps it from being
 * held, wherever it is (the reading of the markup may not see where
 * libxml2 reads one). *decl is set when a declaration ("<!" but a
 * comment's) may start anywhere but at lead, the page's first byte
 * past white space. */
static bool
hold_names(const unsigned char *p, size_t len, size_t lead, bool *decl)
{
	size_t i, k, run, seen = 0;

	for (i = markup_next(p, len, 0); i < len;
	     i = markup_next(p, len, i + 1)) {
		if (p[i] == '&') {
			if (hold_ref_marks(p, len, i) ||
			    hold_long_name(p, len, i + 1))
				return true;
		} else if (i + 1 < len && (p[i + 1] == '!' || p[i + 1] == '?') &&
			   !(len - i >= 4 && memcmp(p + i, "<!--", 4) == 0)) {
			if (p[i + 1] == '!' && i != lead)
				*decl = true;
			if (i < seen)
				continue;
			/* a doctype's name, a processing instruction's
			 * target: no long name up to its '>'. One that
			 * starts before that '>' ends there too and holds
			 * no name the first did not ("<!<!<!...>" read
			 * once, not once for each "<!") */
			for (k = i + 2, run = 0; k < len && p[k] != '>'; k++) {
				run = is_name_byte(p[k]) ? run + 1 : 0;
				if (run > HOLD_NAME_MAX)
					return true;
			}
			seen = k;
		}
	}
	return false;
}

static void
hold_release(struct hold *h)
{
	free(h->runs);
	buf_release(&h->skel);
	memset(h, 0, sizeof(*h));
}

/* Whether markup from s to e (past its '>') is a plain end tag such as
 * "</html>". */
static bool
hold_end_tag(const unsigned char *p, size_t s, size_t e)
{
	size_t k;

	if (e - s < 4 || p[s + 1] != '/' || !is_ascii_alpha(p[s + 2]) ||
	    p[e - 1] != '>')
		return false;
	for (k = s + 3; k < e - 1; k++)
		if (!is_ascii_alpha(p[k]) && !(p[k] >= '0' && p[k] <= '9'))
			return false;
	return true;
}

/* Whether a comment's text is the guard, in its turn. */
static bool
hold_guard(const struct hold *h, const xmlChar *value)
{
	unsigned k = (unsigned)(h->n % HOLD_MARKS);

	return h->padded && !h->guard_seen && h->next == h->n && value &&
	       value[0] == HOLD_MARK_LEAD &&
	       value[1] == (xmlChar)(0x80 | (k >> 6)) &&
	       value[2] == (xmlChar)(0x80 | (k & 0x3F)) && value[3] == '\0';
}

/*
 * libxml2 (2.9) asks its input for more each time it looks at the last
 * INPUT_CHUNK (250) bytes of a page held in memory, a few hundred
 * instructions each time: a skeleton, shorter than its page, would have
 * most of its tags there. When the page ends with an end tag and white
 * space ("</html>\n"), white space goes before the tag's '>', which
 * libxml2 skips at little cost and reads as nothing ("</html   >" is
 * "</html>"), and a comment after it holds one more mark, the guard. Its
 * coming as a comment, after every run's mark, says that libxml2 read
 * the tag as a tag or skipped it whole (in a doctype, a processing
 * instruction or another tag to its '>'), not as text, a script's or
 * the value of an attribute. The guard is not recorded. One case it
 * cannot tell: libxml2 reads an end tag right after a doctype in the
 * middle of a page as text; pages with "<!" (not a comment's) anywhere
 * but at their start get no guard, found by their bytes, as the doctype
 * may be inside what hold_markup() reads as a tag ('<a "x><!DOCTYPE
 * "z>', its quotes paired otherwise than libxml2 pairs them).
 */
#define HOLD_PAD_BYTES		256

/* Sets aside the runs of text of page (len bytes): false when none are
 * or the page is to be parsed as it is. */
static bool
hold_page(struct hold *h, const char *page, size_t len)
{
	const unsigned char *p = (const unsigned char *)page;
	size_t i = 0, from = 0, end, t, last_tag = 0, gt = 0, start, lead;
	bool after_ref = false, raw = false, decl = false, plain;

	memset(h, 0, sizeof(*h));
	h->page = page;
	for (lead = 0; lead < len && (p[lead] == ' ' || p[lead] == '\t' ||
				      p[lead] == '\n' || p[lead] == '\r');
	     lead++)
		;
	/* page is valid UTF-8, as decode() leaves every page (the contract
	 * of charset_to_utf8(), which fuzz-charset checks): libxml2 reads
	 * none of it as another charset. A declaration but the page's
	 * first, wherever it is (libxml2 may read one inside what
	 * hold_markup() takes for a tag), means no guard (see above) */
	if (len > UINT32_MAX || memchr(page, HOLD_MARK_LEAD, len) ||
	    hold_names(p, len, lead, &decl))
		return false;
	buf_init(&h->skel, len + HOLD_PAD_BYTES + 16);
	(void)buf_grow(&h->skel, len + HOLD_PAD_BYTES);
	while (i < len) {
		if (p[i] == '<') {
			start = i;
			if (!(i = hold_markup(p, len, i, &raw)))
				break;
			last_tag = i;
			gt = hold_end_tag(p, start, i) ? i - 1 : 0;
			after_ref = false;
			continue;
		}
		if (p[i] == '&') {
			i++;
			after_ref = true;
			continue;
		}
		/* white space first stays; "\r" is bad only after it */
		for (t = i; t < len && (p[t] == ' ' || p[t] == '\t' ||
					p[t] == '\n' || p[t] == '\r'); t++)
			;
		plain = true;
		end = run_end(p, len, t, &plain);
		if (plain && !after_ref && end - t >= HOLD_MIN_BYTES &&
		    end - t <= HOLD_MAX_BYTES) {
			unsigned k = (unsigned)(h->n % HOLD_MARKS);
			char mark[3] = {
				(char)HOLD_MARK_LEAD,
				(char)(0x80 | (k >> 6)),
				(char)(0x80 | (k & 0x3F)),
			};
			struct hold_run *r;

			ALLOC_GROW(h->runs, h->n + 1, h->alloc);
			r = &h->runs[h->n++];
			r->off = (uint32_t)t;
			r->len = (uint32_t)(end - t);
			buf_add(&h->skel, page + from, t - from);
			buf_add(&h->skel, mark, sizeof(mark));
			from = end;
		}
		after_ref = false;
		i = end;
	}
	if (!i || !h->n) {
		hold_release(h);
		return false;
	}
	/* after the last tag, only white space */
	for (t = last_tag; t < len && (p[t] == ' ' || p[t] == '\t' ||
				       p[t] == '\n' || p[t] == '\r'); t++)
		;
	if (gt && t == len && !raw && !decl && gt >= from) {
		unsigned k = (unsigned)(h->n % HOLD_MARKS);
		char guard[] = { '<', '!', '-', '-', (char)HOLD_MARK_LEAD,
				 (char)(0x80 | (k >> 6)),
				 (char)(0x80 | (k & 0x3F)), '-', '-', '>' };

		buf_add(&h->skel, page + from, gt - from);
		(void)buf_grow(&h->skel, HOLD_PAD_BYTES);
		memset(h->skel.data + h->skel.len, ' ', HOLD_PAD_BYTES);
		h->skel.len += HOLD_PAD_BYTES;
		buf_addch(&h->skel, '>');
		buf_add(&h->skel, guard, sizeof(guard));
		from = gt + 1;
		h->padded = true;
	}
	buf_add(&h->skel, page + from, len - from);
	return true;
}

enum flat_type {
	FLAT_OPEN,		/* an element's start */
	FLAT_CLOSE,		/* its end */
	FLAT_TEXT,		/* text or CDATA: consecutive pieces joined */
	FLAT_OTHER,		/* a comment or processing instruction */
};

/* What an element's name and attributes say, found at its start. */
#define MARK_CHROME	0x001u	/* class, id or role has a chrome token */
#define MARK_TITLE	0x002u
#define MARK_BODY	0x004u
#define MARK_SCRIPT	0x008u
#define MARK_LDJSON	0x010u	/* type has "ld+json" */
#define MARK_META	0x020u
#define MARK_REFRESH	0x040u	/* http-equiv has "refresh" */
#define MARK_MAIN	0x080u	/* <main> */
#define MARK_ROLE_MAIN	0x100u	/* role has "main" */
#define MARK_ARTICLE	0x200u
#define MARK_JOBPOSTING	0x400u	/* itemtype has "JobPosting" */
#define MARK_H1		0x800u

struct flat_node {
	uint8_t type;		/* enum flat_type */
	uint8_t kind;		/* TAG_* of an element (start and end) */
	uint16_t marks;		/* MARK_* of an element's start */
	uint32_t end;		/* an element's start: index of its end */
	uint32_t off, len;	/* a text: its bytes in flat_page.text */
};

struct flat_page {
	xmlParserCtxtPtr ctxt;
	struct flat_node *nodes;	/* the root element's, nodes[0] */
	size_t n, alloc;
	struct buf text;		/* all the text, one piece after another */
	uint32_t open[FLAT_MAX_DEPTH];	/* the elements open, outermost first */
	size_t depth;
	bool rooted;			/* the root element has begun */
	bool tree;			/* give up: the page needs the tree */
	bool valid;			/* text is valid UTF-8 */
	size_t pad;			/* NUL bytes readable after text */
	struct hold *hold;		/* the runs of text set aside, or NULL */
};

/* Gives up on the list: the page is parsed again with a tree. */
static void
flat_give_up(struct flat_page *f)
{
	f->tree = true;
	xmlStopParser(f->ctxt);
}

static struct flat_node *
flat_add(struct flat_page *f, enum flat_type type)
{
	struct flat_node *e;

	ALLOC_GROW(f->nodes, f->n + 1, f->alloc);
	e = &f->nodes[f->n++];
	memset(e, 0, sizeof(*e));
	e->type = (uint8_t)type;
	return e;
}

/* The parser's context, whose _private is the page being recorded. */
static struct flat_page *
flat_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

/* The MARK_* of an element from its name and attributes: the first
 * attribute of a name counts, as prop_value() finds it. */
static unsigned
flat_marks(const char *name, const xmlChar **atts)
{
	const char *cls = NULL, *id = NULL, *role = NULL, *type = NULL;
	const char *equiv = NULL, *itemtype = NULL;
	unsigned m = 0;
	size_t i;

	for (i = 0; atts && atts[i]; i += 2) {
		const char *a = (const char *)atts[i];
		/* an attribute without a value reads as "" */
		const char *v = atts[i + 1] ? (const char *)atts[i + 1] : "";

		if (!cls && strcmp(a, "class") == 0)
			cls = v;
		else if (!id && strcmp(a, "id") == 0)
			id = v;
		else if (!role && strcmp(a, "role") == 0)
			role = v;
		else if (!type && strcmp(a, "type") == 0)
			type = v;
		else if (!equiv && strcmp(a, "http-equiv") == 0)
			equiv = v;
		else if (!itemtype && strcmp(a, "itemtype") == 0)
			itemtype = v;
	}
	if ((cls && value_has_chrome(cls)) || (id && value_has_chrome(id)) ||
	    (role && value_has_chrome(role)))
		m |= MARK_CHROME;
	switch (name[0] | 0x20) {
	case 'a':
		if (strcasecmp(name, "article") == 0)
			m |= MARK_ARTICLE;
		break;
	case 'b':
		if (strcasecmp(name, "body") == 0)
			m |= MARK_BODY;
		break;
	case 'h':
		if (strcasecmp(name, "h1") == 0)
			m |= MARK_H1;
		break;
	case 'm':
		if (strcasecmp(name, "main") == 0)
			m |= MARK_MAIN;
		else if (strcasecmp(name, "meta") == 0)
			m |= MARK_META;
		break;
	case 's':
		if (strcasecmp(name, "script") == 0)
			m |= MARK_SCRIPT;
		break;
	case 't':
		if (strcasecmp(name, "title") == 0)
			m |= MARK_TITLE;
		break;
	}
	if (type && strcasestr(type, "ld+json"))
		m |= MARK_LDJSON;
	if (equiv && strcasestr(equiv, "refresh"))
		m |= MARK_REFRESH;
	if (role && strcasestr(role, "main"))
		m |= MARK_ROLE_MAIN;
	if (itemtype && strcasestr(itemtype, "JobPosting"))
		m |= MARK_JOBPOSTING;
	return m;
}

static void
flat_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	struct flat_page *f = flat_of(ctx);
	const char *name = (const char *)xname;
	struct flat_node *e;

	if (f->tree)
		return;
	/* a second root goes where the events do not say; a prefix is
	 * dropped from the tree's name */
	if ((f->depth == 0 && f->rooted) || strchr(name, ':') ||
	    f->depth >= FLAT_MAX_DEPTH || f->n + 2 > FLAT_MAX_NODES) {
		flat_give_up(f);
		return;
	}
	f->open[f->depth++] = (uint32_t)f->n;
	f->rooted = true;
	e = flat_add(f, FLAT_OPEN);
	e->kind = (uint8_t)tag_name_kind(name);
	e->marks = (uint16_t)flat_marks(name, atts);
}

static void
flat_end(void *ctx, const xmlChar *name)
{
	struct flat_page *f = flat_of(ctx);
	struct flat_node *e;
	uint32_t open;

	(void)name;
	if (f->tree)
		return;
	if (f->depth == 0) {
		flat_give_up(f);
		return;
	}
	open = f->open[--f->depth];
	f->nodes[open].end = (uint32_t)f->n;
	e = flat_add(f, FLAT_CLOSE);
	e->kind = f->nodes[open].kind;
}

/* Appends text to f->text; false when the page needs the tree. */
static bool
flat_text_add(struct flat_page *f, const char *text, size_t len)
{
	/* the tree's text is read up to its first NUL */
	return !memchr(text, '\0', len) && buf_add(&f->text, text, len) == RF_OK;
}

/* flat_text_add() of text from the skeleton, its marks turned back into
 * their runs, or only the marks counted when the text is not kept.
 * False when the page needs the tree: a mark out of turn. */
static bool
flat_unhold(struct flat_page *f, const char *text, size_t len, bool keep)
{
	struct hold *h = f->hold;
	const char *p = text, *end = text + len, *m;

	while ((m = memchr(p, HOLD_MARK_LEAD, (size_t)(end - p)))) {
		const struct hold_run *r;
		unsigned k;

		if ((keep && !flat_text_add(f, p, (size_t)(m - p))) ||
		    end - m < 3 || h->next >= h->n)
			return false;
		k = ((unsigned)(m[1] & 0x3F) << 6) | (unsigned)(m[2] & 0x3F);
		if (k != h->next % HOLD_MARKS)
			return false;
		r = &h->runs[h->next++];
		if (keep && buf_add(&f->text, h->page + r->off, r->len) !=
		    RF_OK)
			return false;
		p = m + 3;
	}
	return !keep || flat_text_add(f, p, (size_t)(end - p));
}

static void
flat_characters(void *ctx, const xmlChar *xtext, int len)
{
	struct flat_page *f = flat_of(ctx);
	const char *text = (const char *)xtext;
	struct flat_node *e;
	size_t before;
	/* text outside the root has no place in the tree */
	bool keep = f->depth > 0;
	bool ok;

	if (f->tree || len <= 0)
		return;
	before = f->text.len;
	if (f->hold)
		ok = flat_unhold(f, text, (size_t)len, keep);
	else if (!keep)
		return;
	else
		ok = flat_text_add(f, text, (size_t)len);
	if (!ok) {
		flat_give_up(f);
		return;
	}
	if (!keep || f->text.len == before)
		return;
	e = &f->nodes[f->n - 1];
	if (e->type != FLAT_TEXT) {
		e = flat_add(f, FLAT_TEXT);
		e->off = (uint32_t)before;
	}
	e->len += (uint32_t)(f->text.len - before);
}

static void
flat_other(struct flat_page *f)
{
	/* outside the root, it belongs to the document */
	if (!f->tree && f->depth > 0)
		flat_add(f, FLAT_OTHER);
}

static void
flat_comment(void *ctx, const xmlChar *value)
{
	struct flat_page *f = flat_of(ctx);

	if (f->hold && hold_guard(f->hold, value))
		f->hold->guard_seen = true;	/* not the page's own */
	else
		flat_other(f);
}

static void
flat_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)target;
	(void)data;
	flat_other(flat_of(ctx));
}

static void
flat_release(struct flat_page *f)
{
	free(f->nodes);
	buf_release(&f->text);
}

/*
 * Parses utf8 into f as libxml2 parses it into a tree. False when the
 * page needs the tree (f is then to be released all the same).
 */
static bool
flat_parse(struct flat_page *f, const char *utf8, size_t len, int opts)
{
	htmlDocPtr doc;
	struct hold h;
	bool held;

	memset(f, 0, sizeof(*f));
	buf_init(&f->text, FLAT_MAX_TEXT_BYTES);
	/* about one node for each 24 bytes of a listing's page */
	f->alloc = (len / 24 < FLAT_MAX_NODES ? len / 24 : FLAT_MAX_NODES) + 16;
	f->nodes = xreallocarray(NULL, f->alloc, sizeof(*f->nodes));
	/* a listing's text is most of its page: room for all of it (and
	 * the zeros after it) rather than a copy when it outgrows half */
	(void)buf_grow(&f->text, len + FLAT_TEXT_PAD < FLAT_MAX_TEXT_BYTES
				 ? len + FLAT_TEXT_PAD : FLAT_MAX_TEXT_BYTES);
	f->ctxt = htmlNewParserCtxt();
	if (!f->ctxt)
		return false;
	/* no handler but these: no tree, no document */
	memset(f->ctxt->sax, 0, sizeof(*f->ctxt->sax));
	f->ctxt->sax->startElement = flat_start;
	f->ctxt->sax->endElement = flat_end;
	f->ctxt->sax->characters = flat_characters;
	f->ctxt->sax->cdataBlock = flat_characters;
	f->ctxt->sax->comment = flat_comment;
	f->ctxt->sax->processingInstruction = flat_pi;
	f->ctxt->_private = f;
	held = hold_on && extract_hold_supported() &&
	       hold_page(&h, utf8, len);
	if (held) {
		f->hold = &h;
		utf8 = h.skel.data;
		len = h.skel.len;
	}
	doc = htmlCtxtReadMemory(f->ctxt, utf8, (int)len, NULL, "UTF-8", opts);
	if (doc)
		xmlFreeDoc(doc);	/* cannot be: nothing makes one */
	htmlFreeParserCtxt(f->ctxt);
	f->ctxt = NULL;
	if (held) {
		/* every mark seen, in turn, as text; the guard last */
		f->tree |= h.next != h.n || h.padded != h.guard_seen;
		hold_pages++;
		hold_given_up += f->tree;
		f->hold = NULL;
		hold_release(&h);
	}
	/* an element left open: the tree would have it all the same */
	if (f->tree || doc || f->depth != 0)
		return false;
	/* all the text checked at once rather than each node as it is
	 * walked; zeros after it for reads by blocks */
	f->valid = utf8_valid(f->text.data, f->text.len, NULL);
	if (f->text.max - f->text.len > FLAT_TEXT_PAD &&
	    buf_grow(&f->text, FLAT_TEXT_PAD) == RF_OK) {
		memset(f->text.data + f->text.len, 0, FLAT_TEXT_PAD + 1);
		f->pad = FLAT_TEXT_PAD;
	}
	return true;
}

static bool
is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

/* sink_text() of a text node: with no check of its own where the page's
 * text is valid UTF-8 and the node's ends are the bounds of characters
 * (then it is valid too). */
static void
flat_sink(const struct flat_page *f, const struct flat_node *e,
	  struct textsink *s)
{
	const char *t = f->text.data + e->off;

	if (f->valid && !s->truncated && e->len < s->out->max - s->out->len &&
	    !is_continuation(t[0]) && !is_continuation(t[e->len]))
		sink_valid(s, t, e->len, f->pad);
	else
		sink_text(s, t, e->len);
}

/* walk_tree() over the element that starts at nodes[root]; the caps of
 * the walk are not reached on a flat page. */
static void
flat_walk(const struct flat_page *f, size_t root, struct textsink *s,
	  bool in_listing, bool keep_chrome)
{
	const struct flat_node *e = &f->nodes[root];
	size_t i, end = e->end;

	if (e->kind & TAG_SKIP)
		return;
	if (e->kind & TAG_BLOCK)
		sink_break(s);
	for (i = root + 1; i < end;) {
		e = &f->nodes[i];
		switch (e->type) {
		case FLAT_OPEN:
			if ((e->kind & TAG_SKIP) ||
			    (!keep_chrome &&
			     ((e->kind & TAG_CHROME) ||
			      (!in_listing && (e->kind & TAG_EDGE)) ||
			      (e->marks & MARK_CHROME)))) {
				i = e->end + 1;	/* skipped whole */
				continue;
			}
			if (e->kind & TAG_BLOCK)
				sink_break(s);
			/* into its children; without any, past its end */
			i = e->end == i + 1 ? i + 2 : i + 1;
			continue;
		case FLAT_CLOSE:
			/* up from its last child */
			if (e->kind & TAG_BLOCK)
				sink_break(s);
			break;
		case FLAT_TEXT:
			flat_sink(f, e, s);
			break;
		default:
			break;
		}
		i++;
	}
	/* up into the root from its last child */
	if (end > root + 1 && (f->nodes[root].kind & TAG_BLOCK))
		sink_break(s);
}

#define FLAT_NONE	SIZE_MAX

/* find_landmarks() over the list: indexes of elements' starts. */
struct flat_landmarks {
	size_t title, body, jobposting, main, article;
	size_t articles;
	size_t ldjson[RF_JSONLD_MAX_BLOCKS];
	size_t nldjson;
	bool script, refresh;
};

static void
flat_landmarks(const struct flat_page *f, struct flat_landmarks *lm)
{
	size_t i;

	lm->title = lm->body = lm->jobposting = lm->main = lm->article =
		FLAT_NONE;
	lm->articles = lm->nldjson = 0;
	lm->script = lm->refresh = false;
	for (i = 0; i < f->n; i++) {
		unsigned m = f->nodes[i].marks;

		if (f->nodes[i].type != FLAT_OPEN)
			continue;
		if (lm->title == FLAT_NONE && (m & MARK_TITLE))
			lm->title = i;
		else if (lm->body == FLAT_NONE && (m & MARK_BODY))
			lm->body = i;
		else if (m & MARK_SCRIPT) {
			if (m & MARK_LDJSON) {
				if (lm->nldjson < RF_JSONLD_MAX_BLOCKS)
					lm->ldjson[lm->nldjson++] = i;
			} else {
				lm->script = true;
			}
		}
		else if ((m & MARK_META) && (m & MARK_REFRESH))
			lm->refresh = true;
		else if (lm->main == FLAT_NONE &&
			 (m & (MARK_MAIN | MARK_ROLE_MAIN)))
			lm->main = i;
		else if ((m & MARK_ARTICLE) && lm->articles++ == 0)
			lm->article = i;
		if (lm->jobposting == FLAT_NONE && (m & MARK_JOBPOSTING))
			lm->jobposting = i;
	}
	if (lm->articles != 1)
		lm->article = FLAT_NONE;
}

/* The first <h1> of the element starting at nodes[root], or FLAT_NONE. */
static size_t
flat_first_h1(const struct flat_page *f, size_t root)
{
	size_t i;

	for (i = root; i < f->nodes[root].end; i++)
		if (f->nodes[i].type == FLAT_OPEN &&
		    (f->nodes[i].marks & MARK_H1))
			return i;
	return FLAT_NONE;
}

/* element_text_into() over the list. */
static bool
flat_text_into(const struct flat_page *f, size_t el, struct buf *out)
{
	struct textsink sink = { out, false, false, false };

	flat_walk(f, el, &sink, false, true);
	return !sink.truncated;
}

/* page_text() over the list: returns the container's index, or
 * FLAT_NONE for the whole body. */
static size_t
flat_page_text(struct document *d, const struct flat_page *f,
	       const struct flat_landmarks *lm, bool *partial)
{
	const size_t cands[] = { lm->jobposting, lm->main, lm->article };
	struct textsink sink = { &d->body, false, false, false };
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(cands); i++) {
		if (cands[i] == FLAT_NONE)
			continue;
		flat_walk(f, cands[i], &sink, true, false);
		if (d->body.len) {
			*partial = sink.truncated;
			return cands[i];
		}
	}
	flat_walk(f, lm->body != FLAT_NONE ? lm->body : 0, &sink, false,
		  false);
	*partial = sink.truncated;
	return FLAT_NONE;
}

/* apply_jsonld() over the list: a script's text is that of its
 * descendants, as xmlNodeGetContent() gives it. */
static void
flat_jsonld(struct document *d, const struct flat_page *f,
	    const struct flat_landmarks *lm)
{
	struct jobposting jp;
	struct buf t;
	size_t i, k;
	bool found = false;

	buf_init(&t, 0);
	for (i = 0; i < lm->nldjson && !found; i++) {
		const struct flat_node *e = &f->nodes[lm->ldjson[i]];

		buf_reset(&t);
		for (k = lm->ldjson[i] + 1; k < e->end; k++)
			if (f->nodes[k].type == FLAT_TEXT)
				buf_add(&t, f->text.data + f->nodes[k].off,
					f->nodes[k].len);
		found = jsonld_jobposting(t.data, t.len, &jp);
	}
	buf_release(&t);
	if (found)
		apply_jobposting(d, &jp);
}

/* The fields of d from a page read into f, as extract_tree() gives them
 * from its tree. */
static void
extract_flat(struct document *d, const struct flat_page *f)
{
	struct flat_landmarks lm;
	size_t container, h1;
	bool partial = false;

	if (!f->n) {
		d->status = DOC_EMPTY;
		return;
	}
	flat_landmarks(f, &lm);
	container = flat_page_text(d, f, &lm, &partial);
	/* the title: the listing's own heading, else <title>, else an h1 */
	h1 = container != FLAT_NONE ? flat_first_h1(f, container) : FLAT_NONE;
	if (h1 != FLAT_NONE)
		partial |= !flat_text_into(f, h1, &d->title);
	if (!d->title.len && lm.title != FLAT_NONE)
		partial |= !flat_text_into(f, lm.title, &d->title);
	if (!d->title.len && (h1 = flat_first_h1(f, 0)) != FLAT_NONE)
		partial |= !flat_text_into(f, h1, &d->title);
	d->has_title = d->title.len > 0;
	if (lm.nldjson && !partial)
		flat_jsonld(d, f, &lm);
	if (partial) {
		d->status = DOC_TRUNCATED;
		d->note = xstrdup("text longer than the field cap");
	} else if (!d->body.len) {
		d->status = (lm.script || lm.refresh) ? DOC_BLOCKED : DOC_EMPTY;
		if (d->status == DOC_BLOCKED)
			d->note = xstrdup(lm.refresh
				? "no visible text, only a meta refresh"
				: "no visible text, only scripts");
	}
}

static void
extract_html(struct document *d, const char *data, size_t len)
{
	struct buf utf8;
	struct xml_arena arena;
	struct flat_page f;
	/* the bytes are UTF-8 now: meta declarations must not switch */
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		   HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | XML_PARSE_HUGE |
		   HTML_PARSE_IGNORE_ENC;

	buf_init(&utf8, RF_INPUT_MAX_BYTES * 3);
	if (!decode(d, data, len, true, &utf8)) {
		buf_release(&utf8);
		return;
	}
	/* the body's text is most of a listing's page: room for it at once
	 * rather than a reallocation each time it doubles */
	(void)buf_grow(&d->body, utf8.len < BODY_HINT_BYTES
				 ? utf8.len : BODY_HINT_BYTES);
	/* what libxml2 allocates (the tree, what profiles' XPath allocate
	 * on it) until the page is done */
	xml_arena_init(&arena);
	if (profile_set_count(d->profiles)) {
		extract_tree(d, &utf8, opts);
	} else if (flat_parse(&f, utf8.data, utf8.len, opts)) {
		buf_release(&utf8);
		extract_flat(d, &f);
		flat_release(&f);
	} else {
		flat_release(&f);
		extract_tree(d, &utf8, opts);
	}
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

/* The language of one field's text on its own, found already. */
static void
field_language_is(struct document *d, enum doc_field f, size_t len,
		  enum lang_id lang)
{
	if (!len)
		return;
	d->field_lang[f] = lang;
	d->lang_fields |= 1u << f;
}

/* The language of the title and body together (text/langid), and of
 * each field on its own. */
static void
identify_language(struct document *d)
{
	struct lang_result r, title, body;
	/* nothing cut: the title and body, each alone and together, in one
	 * pass over their words */
	bool pair = d->has_title &&
		    d->title.len + 1 + d->body.len < RF_LANGID_MAX_BYTES;

	if (pair) {
		lang_detect_pair(d->title.data, d->title.len, d->body.data,
				 d->body.len, &r, &title, &body);
	} else {
		/* the title (when it fits) and as much of the body as fits
		 * after it; or, with no title, the same prefix of the body,
		 * not copied */
		struct buf both;
		size_t room;

		buf_init(&both, RF_LANGID_MAX_BYTES);
		if (d->has_title) {
			buf_add(&both, d->title.data, d->title.len);
			buf_addch(&both, '\n');
		}
		if (both.len) {
			/* wraps when the title filled the buffer: then the
			 * body's add fails, as the title's newline did */
			room = RF_LANGID_MAX_BYTES - both.len - 1;
			buf_add(&both, d->body.data,
				utf8_prefix(d->body.data, d->body.len,
					    room < d->body.len ? room
							       : d->body.len));
			lang_detect(both.data, both.len, &r);
		} else {
			room = RF_LANGID_MAX_BYTES - 1;
			lang_detect(d->body.data,
				    utf8_prefix(d->body.data, d->body.len,
						room < d->body.len
							? room
							: d->body.len),
				    &r);
		}
		buf_release(&both);
	}
	free(d->lang);
	d->lang = xstrdup(lang_name(r.lang));
	d->lang_fields = 0;
	if (pair)
		field_language_is(d, DOC_FIELD_TITLE, d->title.len,
				  title.lang);
	else if (d->has_title)
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
	} else if (pair) {
		field_language_is(d, DOC_FIELD_BODY, d->body.len, body.lang);
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
