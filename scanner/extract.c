/*
 * extract.c: from the bytes of one input to a document's fields. HTML goes
 * through libxml2's HTML parser (no network, no entities loaded) and an
 * iterative walk of the tree, so hostile nesting cannot exhaust the stack.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "scanner/document.h"
#include "text/entities.h"
#include "common/banned.h"

/* Elements whose content is never visible text. */
static const char *const skip_tags[] = {
	"script", "style", "noscript", "template", "head", "svg", "math",
	"iframe", "object", "embed", "canvas", "select", "option",
};

/* Elements that break the flow of text. */
static const char *const block_tags[] = {
	"address", "article", "aside", "blockquote", "br", "dd", "details",
	"div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
	"form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
	"main", "nav", "ol", "p", "pre", "section", "summary", "table",
	"td", "th", "tr", "ul", "body", "html", "title", "caption",
};

static bool
tag_in(const xmlNode *n, const char *const *tags, size_t ntags)
{
	size_t i;

	for (i = 0; i < ntags; i++)
		if (strcasecmp((const char *)n->name, tags[i]) == 0)
			return true;
	return false;
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

static bool
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

static void
sink_text(struct textsink *s, const char *text, size_t len)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t i = 0, n, run;

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
		/* copy the run up to the next space */
		run = i;
		while (run < len && !is_space_at(p + run, len - run, &n))
			run++;
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

struct walk {
	struct document *d;
	struct textsink body, title;
	size_t nodes;
	bool deep;
	bool saw_script, saw_refresh;
	xmlNode *first_h1;
};

static void
walk_text(struct walk *w, const xmlNode *n, bool in_title)
{
	const char *t = (const char *)n->content;

	if (!t)
		return;
	if (in_title)
		sink_text(&w->title, t, strlen(t));
	else
		sink_text(&w->body, t, strlen(t));
}

/* Whether a <meta http-equiv=refresh> tells the browser to go elsewhere. */
static bool
is_meta_refresh(const xmlNode *n)
{
	xmlChar *v;
	bool yes;

	if (strcasecmp((const char *)n->name, "meta") != 0)
		return false;
	v = xmlGetProp(n, (const xmlChar *)"http-equiv");
	yes = v && strcasecmp((const char *)v, "refresh") == 0;
	xmlFree(v);
	return yes;
}

/*
 * Walks the tree below root without recursion: down through children, on
 * through siblings, up through parents. Title text goes to w->title.
 */
static void
walk_tree(struct walk *w, xmlNode *root)
{
	xmlNode *n = root;
	int depth = 0;
	bool title_mode = false;
	const xmlNode *title_node = NULL;

	while (n) {
		bool descend = false;

		if (++w->nodes > RF_HTML_MAX_NODES) {
			w->deep = true;
			return;
		}
		if (n->type == XML_ELEMENT_NODE) {
			bool is_title = strcasecmp((const char *)n->name,
						   "title") == 0;

			if (is_title && !title_node && !w->d->has_title) {
				title_node = n;
				title_mode = descend = n->children != NULL;
			} else if (tag_in(n, skip_tags,
					  RF_ARRAY_SIZE(skip_tags))) {
				if (strcasecmp((const char *)n->name,
					       "script") == 0)
					w->saw_script = true;
				if (strcasecmp((const char *)n->name, "head") ==
				    0) {
					/* the title and meta live in head */
					descend = n->children != NULL;
				}
			} else if (is_meta_refresh(n)) {
				w->saw_refresh = true;
			} else {
				if (!w->first_h1 &&
				    strcasecmp((const char *)n->name, "h1") ==
					    0)
					w->first_h1 = n;
				if (tag_in(n, block_tags,
					   RF_ARRAY_SIZE(block_tags)))
					sink_break(&w->body);
				descend = n->children != NULL;
			}
			if (descend && depth >= RF_HTML_MAX_DEPTH) {
				w->deep = true;
				descend = false;
			}
		} else if ((n->type == XML_TEXT_NODE ||
			    n->type == XML_CDATA_SECTION_NODE) &&
			   (title_mode || !n->parent ||
			    strcasecmp((const char *)n->parent->name, "head") !=
				    0)) {
			walk_text(w, n, title_mode);
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
			if (n == title_node)
				title_mode = false;
			else if (n && n->type == XML_ELEMENT_NODE &&
				 tag_in(n, block_tags,
					RF_ARRAY_SIZE(block_tags)))
				sink_break(&w->body);
		}
		if (!n || n == root)
			break;
		n = n->next;
	}
}

/* The charset a page declares in its first bytes, if any: <meta charset>
 * or the http-equiv content type. Returns a new string or NULL. */
static char *
declared_charset(const char *data, size_t len)
{
	size_t n = len < RF_SNIFF_BYTES ? len : RF_SNIFF_BYTES, i, j;
	static const char key[] = "charset=";

	for (i = 0; i + sizeof(key) - 1 < n; i++) {
		if (strncasecmp(data + i, key, sizeof(key) - 1) != 0)
			continue;
		i += sizeof(key) - 1;
		while (i < n && (data[i] == '"' || data[i] == '\'' ||
				 data[i] == ' '))
			i++;
		j = i;
		while (j < n && j - i < 40 &&
		       ((data[j] >= 'a' && data[j] <= 'z') ||
			(data[j] >= 'A' && data[j] <= 'Z') ||
			(data[j] >= '0' && data[j] <= '9') || data[j] == '-' ||
			data[j] == '_'))
			j++;
		return j > i ? xmemdupz(data + i, j - i) : NULL;
	}
	return NULL;
}

static void
extract_html(struct document *d, const char *data, size_t len)
{
	htmlDocPtr doc;
	xmlNode *root;
	struct walk w;
	char *charset = NULL;
	const char *encoding = "UTF-8";
	size_t bad;
	int opts = HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
		   HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT | XML_PARSE_HUGE;

	if (!utf8_valid(data, len, &bad)) {
		charset = declared_charset(data, len);
		if (!charset || strcasecmp(charset, "utf-8") == 0 ||
		    strcasecmp(charset, "utf8") == 0) {
			document_fail(d, RF_EUTF8, "invalid UTF-8 at byte %zu "
				      "and no other charset declared", bad);
			free(charset);
			return;
		}
		encoding = charset;
	}
	doc = htmlReadMemory(data, (int)len, NULL, encoding, opts);
	if (!doc || !(root = xmlDocGetRootElement(doc))) {
		if (doc)
			xmlFreeDoc(doc);
		if (charset)
			document_fail(d, RF_EPARSE, "cannot parse HTML in "
				      "declared charset '%s'", charset);
		else
			d->status = DOC_EMPTY;
		free(charset);
		return;
	}
	memset(&w, 0, sizeof(w));
	w.d = d;
	w.body.out = &d->body;
	w.title.out = &d->title;
	walk_tree(&w, root);
	if (!d->title.len && w.first_h1) {
		/* no <title>: the first heading names the listing */
		struct walk hw;

		memset(&hw, 0, sizeof(hw));
		hw.d = d;
		hw.title.out = &d->title;
		hw.body.out = &d->title;
		walk_tree(&hw, w.first_h1);
	}
	d->has_title = d->title.len > 0;
	if (w.deep || w.body.truncated || w.title.truncated) {
		d->status = DOC_TRUNCATED;
		d->note = xstrdup(w.deep ? "element tree too large or too deep"
				  : "text longer than the field cap");
	} else if (!d->body.len) {
		d->status = (w.saw_script || w.saw_refresh) ? DOC_BLOCKED
							    : DOC_EMPTY;
		if (d->status == DOC_BLOCKED)
			d->note = xstrdup(w.saw_refresh
				? "no visible text, only a meta refresh"
				: "no visible text, only scripts");
	}
	xmlFreeDoc(doc);
	free(charset);
}

static void
extract_text(struct document *d, const char *data, size_t len)
{
	size_t bad;

	if (!utf8_valid(data, len, &bad)) {
		document_fail(d, RF_EUTF8, "invalid UTF-8 at byte %zu", bad);
		return;
	}
	if (len > RF_FIELD_MAX_BYTES) {
		len = utf8_prefix(data, len, RF_FIELD_MAX_BYTES);
		d->status = DOC_TRUNCATED;
		d->note = xstrdup("text longer than the field cap");
	}
	buf_add(&d->body, data, len);
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

	if (memchr(data, '\0', n))
		return KIND_BINARY;
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < n && strchr(" \t\r\n\f", data[i]))
		i++;
	if (i < n && data[i] == '<')
		return KIND_HTML;
	return KIND_TEXT;
}

void
extract_document(struct document *d, const char *data, size_t len)
{
	size_t i;

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
		break;
	case KIND_TEXT:
		extract_text(d, data, len);
		break;
	}
	if (d->status == DOC_ERROR)
		return;
	entities_find(&d->contacts, d->body.data, d->body.len);
	for (i = 0; i < d->contacts.n; i++) {
		buf_addstr(&d->contacts_text, d->contacts.items[i].value);
		buf_addch(&d->contacts_text, '\n');
	}
}
