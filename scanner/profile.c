/*
 * profile.c: extraction profiles: [profile NAME] sections read from
 * files (redflag-profile(5)), chosen by URL, applied to a parsed page with
 * libxml2's XPath.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/ini.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "scanner/profile.h"
#include "common/banned.h"

struct profile {
	char *name;
	pcre2_code **urls;	/* matched against the page's URL */
	size_t nurls;
	char *xpath[DOC_FIELD_COUNT];	/* NULL: the heuristic's field */
	char **drop;		/* blocks removed before reading */
	size_t ndrop;
};

struct profile_set {
	struct profile **items;
	size_t n, alloc;
	pcre2_match_context *mctx;	/* the match limit; read only */
};

static void
profile_free(struct profile *p)
{
	size_t i;

	if (!p)
		return;
	free(p->name);
	for (i = 0; i < p->nurls; i++)
		pcre2_code_free(p->urls[i]);
	free(p->urls);
	for (i = 0; i < DOC_FIELD_COUNT; i++)
		free(p->xpath[i]);
	for (i = 0; i < p->ndrop; i++)
		free(p->drop[i]);
	free(p->drop);
	free(p);
}

struct profile_set *
profile_set_new(void)
{
	struct profile_set *ps = xcalloc(1, sizeof(*ps));

	ps->mctx = pcre2_match_context_create(NULL);
	if (!ps->mctx)
		abort();	/* allocated by libxml2 or PCRE2: as xmalloc */
	pcre2_set_match_limit(ps->mctx, RF_PCRE2_MATCH_LIMIT);
	return ps;
}

void
profile_set_free(struct profile_set *ps)
{
	size_t i;

	if (!ps)
		return;
	for (i = 0; i < ps->n; i++)
		profile_free(ps->items[i]);
	free(ps->items);
	pcre2_match_context_free(ps->mctx);
	free(ps);
}

size_t
profile_set_count(const struct profile_set *ps)
{
	return ps ? ps->n : 0;
}

const char *
profile_name(const struct profile *p)
{
	return p->name;
}

/* ---- XPath errors: caught per context, never printed ---- */

struct xerr {
	int code;		/* xmlXPathError, XPATH_EXPRESSION_OK: none */
	int offset;		/* in the expression */
};

static void
xerr_catch(void *arg, xmlErrorPtr e)
{
	struct xerr *x = arg;

	if (x->code != XPATH_EXPRESSION_OK || !e)
		return;
	x->code = e->code - XML_XPATH_EXPRESSION_OK;
	if (x->code == XPATH_EXPRESSION_OK)
		x->code = XPATH_EXPR_ERROR;
	x->offset = e->int1;
}

static const char *
xerr_message(int code)
{
	switch (code) {
	case XPATH_NUMBER_ERROR: return "bad number";
	case XPATH_UNFINISHED_LITERAL_ERROR: return "unfinished literal";
	case XPATH_START_LITERAL_ERROR: return "expected a literal";
	case XPATH_VARIABLE_REF_ERROR: return "bad variable reference";
	case XPATH_UNDEF_VARIABLE_ERROR: return "undefined variable";
	case XPATH_INVALID_PREDICATE_ERROR: return "bad predicate";
	case XPATH_UNCLOSED_ERROR: return "missing closing bracket";
	case XPATH_UNKNOWN_FUNC_ERROR: return "unknown function";
	case XPATH_INVALID_OPERAND: return "bad operand";
	case XPATH_INVALID_TYPE: return "wrong type";
	case XPATH_INVALID_ARITY: return "wrong number of arguments";
	case XPATH_UNDEF_PREFIX_ERROR: return "undefined namespace prefix";
	case XPATH_INVALID_CHAR_ERROR: return "bad character";
	case XPATH_OP_LIMIT_EXCEEDED: return "took too many steps";
	case XPATH_RECURSION_LIMIT_EXCEEDED: return "nested too deep";
	case XPATH_MEMORY_ERROR: return "out of memory";
	default: return "bad expression";
	}
}

/* A context on doc whose errors go to x, with the CPU cap. */
static xmlXPathContextPtr
xpath_context(xmlDoc *doc, struct xerr *x)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);

	if (!ctx)
		abort();	/* allocated by libxml2 or PCRE2: as xmalloc */
	ctx->error = xerr_catch;
	ctx->userData = x;
	ctx->opLimit = RF_PROFILE_XPATH_OPS;
	return ctx;
}

static void
silent(void *arg, const char *fmt, ...)
{
	(void)arg;
	(void)fmt;
}

/* Evaluates expr in ctx; NULL with x->code set on failure. */
static xmlXPathObjectPtr
xpath_eval(xmlXPathContextPtr ctx, struct xerr *x, const char *expr)
{
	xmlXPathObjectPtr obj;
	xmlGenericErrorFunc saved = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;

	x->code = XPATH_EXPRESSION_OK;
	x->offset = 0;
	ctx->opCount = 0;
	/* a few XPath errors also go to the generic handler (per thread):
	 * library code does not print */
	xmlSetGenericErrorFunc(NULL, silent);
	obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	xmlSetGenericErrorFunc(saved_ctx, saved);
	if (!obj && x->code == XPATH_EXPRESSION_OK)
		x->code = XPATH_EXPR_ERROR;
	if (obj && x->code != XPATH_EXPRESSION_OK) {
		xmlXPathFreeObject(obj);
		obj = NULL;
	}
	return obj;
}

/* ---- the profile file ---- */

struct parser {
	struct profile_set *ps;
	const char *path;
	int line;
	struct profile **found;	/* this file's, added when all is well */
	size_t nfound, afound;
	struct profile *cur;
	int cur_line;
	size_t nerrors, cur_errors;	/* in the file; when cur began */
	struct buf *err;
	bool failed;
	/* a one-element page to try expressions on */
	xmlDoc *probe;
	xmlXPathContextPtr xctx;
	struct xerr x;
};

static void RF_PRINTF(2, 3)
parse_error(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	buf_addf(p->err, "%s:%d: ", p->path, p->line);
	va_start(ap, fmt);
	buf_vaddf(p->err, fmt, ap);
	va_end(ap);
	buf_addch(p->err, '\n');
	p->failed = true;
	p->nerrors++;
}

/* Whether expr compiles and runs on a one-element page: a syntax error,
 * an unknown function or an undefined variable is found at load time. */
static bool
check_xpath(struct parser *p, const char *key, const char *expr)
{
	xmlXPathObjectPtr obj;

	if (strlen(expr) > RF_PROFILE_XPATH_MAX_BYTES) {
		parse_error(p, "%s: XPath longer than %zu bytes", key,
			    RF_PROFILE_XPATH_MAX_BYTES);
		return false;
	}
	obj = xpath_eval(p->xctx, &p->x, expr);
	if (!obj) {
		parse_error(p, "%s: bad XPath '%s' at offset %d: %s", key,
			    expr, p->x.offset, xerr_message(p->x.code));
		return false;
	}
	xmlXPathFreeObject(obj);
	return true;
}

static void
add_url(struct parser *p, const char *v)
{
	pcre2_code *re;
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR msg[256];
	struct profile *pr = p->cur;

	if (pr->nurls >= RF_PROFILE_MAX_LIST) {
		parse_error(p, "more than %d url patterns",
			    RF_PROFILE_MAX_LIST);
		return;
	}
	re = pcre2_compile((PCRE2_SPTR)v, PCRE2_ZERO_TERMINATED, PCRE2_UTF,
			   &code, &off, NULL);
	if (!re) {
		pcre2_get_error_message(code, msg, sizeof(msg));
		parse_error(p, "bad url pattern '%s' at offset %zu: %s", v,
			    (size_t)off, (const char *)msg);
		return;
	}
	pr->urls = xreallocarray(pr->urls, pr->nurls + 1, sizeof(*pr->urls));
	pr->urls[pr->nurls++] = re;
}

static void
add_key(struct parser *p, const char *key, const char *v)
{
	struct profile *pr = p->cur;
	int f;

	if (!strcmp(key, "url")) {
		add_url(p, v);
		return;
	}
	if (!strcmp(key, "drop")) {
		if (pr->ndrop >= RF_PROFILE_MAX_LIST) {
			parse_error(p, "more than %d drop XPaths",
				    RF_PROFILE_MAX_LIST);
			return;
		}
		if (!check_xpath(p, key, v))
			return;
		pr->drop = xreallocarray(pr->drop, pr->ndrop + 1,
					 sizeof(*pr->drop));
		pr->drop[pr->ndrop++] = xstrdup(v);
		return;
	}
	for (f = 0; f < DOC_FIELD_COUNT; f++)
		if (!strcmp(key, doc_field_name((enum doc_field)f)))
			break;
	if (f == DOC_FIELD_COUNT) {
		parse_error(p, "unknown key '%s'", key);
		return;
	}
	if (pr->xpath[f]) {
		parse_error(p, "'%s' given twice: select several nodes with "
			    "'|' instead", key);
		return;
	}
	if (check_xpath(p, key, v))
		pr->xpath[f] = xstrdup(v);
}

/* Ends the current profile: it needs a url and something to do. */
static void
end_profile(struct parser *p)
{
	struct profile *pr = p->cur;
	int saved = p->line, f;
	bool any = pr && pr->ndrop > 0;

	if (!pr)
		return;
	p->cur = NULL;
	for (f = 0; f < DOC_FIELD_COUNT; f++)
		any |= pr->xpath[f] != NULL;
	p->line = p->cur_line;
	if (!pr->nurls)
		parse_error(p, "profile '%s' has no url pattern", pr->name);
	else if (!any && p->nerrors == p->cur_errors)
		parse_error(p, "profile '%s' selects no field and drops "
			    "nothing", pr->name);
	p->line = saved;
	ALLOC_GROW(p->found, p->nfound + 1, p->afound);
	p->found[p->nfound++] = pr;
}

static bool
name_taken(const struct parser *p, const char *name)
{
	size_t i;

	for (i = 0; i < p->ps->n; i++)
		if (!strcmp(p->ps->items[i]->name, name))
			return true;
	for (i = 0; i < p->nfound; i++)
		if (!strcmp(p->found[i]->name, name))
			return true;
	return false;
}

/* A section line: [profile NAME]. */
static void
parse_section(struct parser *p, const struct ini_line *l)
{
	end_profile(p);
	if (!ini_section_is(l, "profile") || !*l->name) {
		parse_error(p, "unknown section [%s]: expected [profile NAME]",
			    l->section);
		return;
	}
	if (!ini_name_ok(l->name)) {
		parse_error(p, "bad profile name '%s': letters, digits, '.', "
			    "'_' and '-'", l->name);
		return;
	}
	if (name_taken(p, l->name)) {
		parse_error(p, "profile '%s' declared twice", l->name);
		return;
	}
	if (p->ps->n + p->nfound >= RF_PROFILE_MAX) {
		parse_error(p, "more than %d profiles", RF_PROFILE_MAX);
		return;
	}
	p->cur = xcalloc(1, sizeof(*p->cur));
	p->cur->name = xstrdup(l->name);
	p->cur_line = p->line;
	p->cur_errors = p->nerrors;
}

static void
parse_line(struct parser *p, char *line)
{
	struct ini_line l;

	ini_parse_line(line, &l);
	switch (l.kind) {
	case INI_NONE:
		return;
	case INI_SECTION:
		parse_section(p, &l);
		return;
	case INI_BAD_SECTION:
		end_profile(p);
		parse_error(p, "bad section line: expected [profile NAME]");
		return;
	case INI_NO_EQUALS:
		parse_error(p, "expected 'key = value'");
		return;
	case INI_NO_VALUE:
		parse_error(p, "'%s' has no value", l.key);
		return;
	case INI_PAIR:
		break;
	}
	if (!p->cur) {
		/* a key after a bad section line was reported there */
		if (!p->failed)
			parse_error(p, "'%s' outside a [profile NAME] section",
				    l.key);
		return;
	}
	add_key(p, l.key, l.value);
}

static enum rf_err
load_file(struct profile_set *ps, const char *path, struct buf *err)
{
	struct parser p;
	struct buf data;
	enum rf_err e;
	char *line, *nl;
	size_t i;

	memset(&p, 0, sizeof(p));
	buf_init(&data, RF_PROFILE_FILE_MAX_BYTES);
	e = file_read(path, RF_PROFILE_FILE_MAX_BYTES, &data);
	if (e != RF_OK) {
		buf_addf(err, "cannot read profile file '%s': %s\n", path,
			 e == RF_EIO ? strerror(errno) : rf_strerror(e));
		buf_release(&data);
		return e;
	}
	if (memchr(data.data, '\0', data.len) ||
	    !utf8_valid(data.data, data.len, NULL)) {
		buf_addf(err, "%s: not a UTF-8 text file\n", path);
		buf_release(&data);
		return RF_EPARSE;
	}
	p.ps = ps;
	p.path = path;
	p.err = err;
	p.probe = xmlNewDoc((const xmlChar *)"1.0");
	if (!p.probe)
		abort();	/* allocated by libxml2 or PCRE2: as xmalloc */
	xmlDocSetRootElement(p.probe, xmlNewDocNode(p.probe, NULL,
						    (const xmlChar *)"html",
						    NULL));
	p.xctx = xpath_context(p.probe, &p.x);
	line = data.data;
	while (line && *line) {
		p.line++;
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		parse_line(&p, line);
		line = nl ? nl + 1 : NULL;
	}
	end_profile(&p);
	if (!p.failed && !p.nfound) {
		buf_addf(err, "%s: no [profile NAME] section\n", path);
		p.failed = true;
	}
	if (p.failed) {
		for (i = 0; i < p.nfound; i++)
			profile_free(p.found[i]);
		e = RF_EPARSE;
	} else {
		for (i = 0; i < p.nfound; i++) {
			ALLOC_GROW(ps->items, ps->n + 1, ps->alloc);
			ps->items[ps->n++] = p.found[i];
		}
		e = RF_OK;
	}
	profile_free(p.cur);
	free(p.found);
	xmlXPathFreeContext(p.xctx);
	xmlFreeDoc(p.probe);
	buf_release(&data);
	return e;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.profile file of the folder at path, in byte order. */
static enum rf_err
load_dir(struct profile_set *ps, const char *path, struct buf *err)
{
	DIR *dir = opendir(path);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, alloc = 0, i;
	enum rf_err e = RF_OK, fe;
	struct buf child;

	if (!dir) {
		buf_addf(err, "cannot read profile folder '%s': %s\n", path,
			 strerror(errno));
		return RF_EIO;
	}
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.' ||
		    !str_has_suffix(de->d_name, ".profile"))
			continue;
		if (n >= RF_PROFILE_MAX_FILES) {
			buf_addf(err, "%s: more than %d profile files\n", path,
				 RF_PROFILE_MAX_FILES);
			e = RF_ETOOBIG;
			break;
		}
		ALLOC_GROW(names, n + 1, alloc);
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	buf_init(&child, 0);
	for (i = 0; i < n; i++) {
		buf_reset(&child);
		buf_addf(&child, "%s%s%s", path,
			 str_has_suffix(path, "/") ? "" : "/", names[i]);
		if (e == RF_OK) {
			fe = load_file(ps, child.data, err);
			if (fe != RF_OK)
				e = fe;
		}
		free(names[i]);
	}
	if (e == RF_OK && !n) {
		buf_addf(err, "%s: no *.profile file in the folder\n", path);
		e = RF_EEMPTY;
	}
	free(names);
	buf_release(&child);
	return e;
}

enum rf_err
profile_set_load(struct profile_set *ps, const char *path, struct buf *err)
{
	struct stat st;

	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return load_dir(ps, path, err);
	return load_file(ps, path, err);
}

/* ---- choosing ---- */

const struct profile *
profile_set_match(const struct profile_set *ps, const char *url)
{
	pcre2_match_data *md;
	const struct profile *found = NULL;
	size_t i, k, len;

	if (!ps || !url || !ps->n)
		return NULL;
	len = strlen(url);
	if (len > RF_URL_INPUT_MAX_BYTES)
		return NULL;
	md = pcre2_match_data_create(1, NULL);
	if (!md)
		abort();	/* allocated by libxml2 or PCRE2: as xmalloc */
	for (i = 0; i < ps->n && !found; i++)
		for (k = 0; k < ps->items[i]->nurls && !found; k++)
			if (pcre2_match(ps->items[i]->urls[k],
					(PCRE2_SPTR)url, len, 0, 0, md,
					ps->mctx) >= 0)
				found = ps->items[i];
	pcre2_match_data_free(md);
	return found;
}

/* The string value of the first node expr selects, or NULL. */
static char *
first_string(xmlXPathContextPtr ctx, struct xerr *x, const char *expr)
{
	xmlXPathObjectPtr obj = xpath_eval(ctx, x, expr);
	xmlChar *v = NULL;
	char *s = NULL;

	if (obj && obj->type == XPATH_NODESET && obj->nodesetval &&
	    obj->nodesetval->nodeNr > 0)
		v = xmlNodeGetContent(obj->nodesetval->nodeTab[0]);
	if (v) {
		char *t = (char *)v;
		size_t n;

		while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
			t++;
		n = strcspn(t, " \t\r\n");
		if (n && n <= RF_URL_INPUT_MAX_BYTES)
			s = xstrndup(t, n);
		xmlFree(v);
	}
	xmlXPathFreeObject(obj);
	return s;
}

char *
profile_page_url(xmlDoc *doc)
{
	struct xerr x;
	xmlXPathContextPtr ctx = xpath_context(doc, &x);
	char *url;

	/* rel is a list of tokens, in any case */
	url = first_string(ctx, &x, "//link[contains(concat(' ', "
			   "translate(normalize-space(@rel), 'CANONIL', "
			   "'canonil'), ' '), ' canonical ')]/@href");
	if (!url)
		url = first_string(ctx, &x, "//meta[@property='og:url']"
				   "/@content");
	xmlXPathFreeContext(ctx);
	return url;
}

/* ---- applying ---- */

static void
note_error(struct doc_profile *dp, const char *what, const char *expr,
	   const struct xerr *x)
{
	struct buf b;

	if (dp->error)
		return;
	buf_init(&b, 1024);
	buf_addf(&b, "%s: XPath '%.200s' %s", what, expr,
		 xerr_message(x->code));
	dp->error = buf_detach(&b, NULL);
}

void
profile_drop(const struct profile *p, xmlDoc *doc, struct doc_profile *dp)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	xmlNode **gone = NULL;
	struct xerr x;
	xmlXPathContextPtr ctx;
	size_t i, k, n;

	if (!p->ndrop)
		return;
	ctx = xpath_context(doc, &x);
	gone = xcalloc(RF_PROFILE_MAX_NODES, sizeof(*gone));
	for (i = 0; i < p->ndrop; i++) {
		xmlXPathObjectPtr obj = xpath_eval(ctx, &x, p->drop[i]);
		xmlNodeSetPtr set;

		if (!obj) {
			note_error(dp, "drop", p->drop[i], &x);
			continue;
		}
		set = obj->type == XPATH_NODESET ? obj->nodesetval : NULL;
		n = 0;
		for (k = 0; set && k < (size_t)set->nodeNr &&
			    n < RF_PROFILE_MAX_NODES; k++) {
			xmlNode *node = set->nodeTab[k];

			if (node == root ||
			    (node->type != XML_ELEMENT_NODE &&
			     node->type != XML_TEXT_NODE &&
			     node->type != XML_CDATA_SECTION_NODE &&
			     node->type != XML_COMMENT_NODE))
				continue;
			gone[n++] = node;
		}
		xmlXPathFreeObject(obj);
		/* all out first: a node and its descendant may both be here */
		for (k = 0; k < n; k++)
			xmlUnlinkNode(gone[k]);
		for (k = 0; k < n; k++)
			xmlFreeNode(gone[k]);
	}
	free(gone);
	xmlXPathFreeContext(ctx);
}

/* Appends s with runs of white space as one space, trimmed, as valid
 * UTF-8, up to out's cap (cut at a character boundary). */
static void
add_collapsed(struct buf *out, const char *s, bool *cut)
{
	const char *w;
	size_t n, room;

	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		       *s == '\f' || *s == '\v')
			s++;
		if (!*s)
			return;
		n = strcspn(s, " \t\n\r\f\v");
		w = s;
		s += n;
		if (out->len && out->data[out->len - 1] != '\n')
			buf_addch(out, ' ');
		room = out->max > out->len ? out->max - out->len : 0;
		if (n > room) {
			n = utf8_prefix(w, n, room);
			*cut = true;
		}
		if (utf8_repair(out, w, n) != RF_OK || *cut) {
			*cut = true;
			return;
		}
	}
}

/* Appends len bytes of s to out up to its cap, cut at a character
 * boundary (*cut set then). */
static void
add_capped(struct buf *out, const char *s, size_t len, bool *cut)
{
	size_t room = out->max > out->len ? out->max - out->len : 0;

	if (len > room) {
		len = utf8_prefix(s, len, room);
		*cut = true;
	}
	buf_add(out, s, len);
}

/* The text of what expr selects, into out: each node on its own line
 * (one line: separated by spaces). False when it selects nothing. */
static bool
select_text(xmlXPathContextPtr ctx, struct xerr *x, const char *expr,
	    bool lines, profile_text_fn text, struct buf *out, bool *cut)
{
	xmlXPathObjectPtr obj = xpath_eval(ctx, x, expr);
	xmlNodeSetPtr set;
	struct buf one;
	size_t k;
	char num[64];

	if (!obj)
		return false;
	buf_init(&one, out->max);
	switch (obj->type) {
	case XPATH_STRING:
		add_collapsed(out, (const char *)obj->stringval, cut);
		break;
	case XPATH_NUMBER:
		if (obj->floatval == obj->floatval) {	/* not NaN */
			snprintf(num, sizeof(num), "%.15g", obj->floatval);
			add_collapsed(out, num, cut);
		}
		break;
	case XPATH_NODESET:
		set = obj->nodesetval;
		for (k = 0; set && k < (size_t)set->nodeNr &&
			    k < RF_PROFILE_MAX_NODES && !*cut; k++) {
			xmlNode *n = set->nodeTab[k];

			buf_reset(&one);
			if (n->type == XML_ELEMENT_NODE ||
			    n->type == XML_TEXT_NODE ||
			    n->type == XML_CDATA_SECTION_NODE) {
				if (!text(n, &one))
					*cut = true;
			} else if (n->type == XML_ATTRIBUTE_NODE) {
				xmlChar *v = xmlNodeGetContent(n);

				if (v)
					add_collapsed(&one, (const char *)v,
						      cut);
				xmlFree(v);
			}
			if (!one.len)
				continue;
			if (out->len)
				add_capped(out, lines ? "\n" : " ", 1, cut);
			add_capped(out, one.data, one.len, cut);
		}
		break;
	default:
		break;
	}
	buf_release(&one);
	xmlXPathFreeObject(obj);
	if (!lines) {
		/* one line: the blocks of an element are words apart */
		for (k = 0; k < out->len; k++)
			if (out->data[k] == '\n')
				out->data[k] = ' ';
	}
	return out->len > 0;
}

void
profile_apply(const struct profile *p, xmlDoc *doc, struct document *d,
	      profile_text_fn text, bool *cut)
{
	struct doc_profile *dp = &d->profile;
	struct xerr x;
	xmlXPathContextPtr ctx = xpath_context(doc, &x);
	struct buf t;
	char **slot;
	size_t n0, k;
	int f;

	free(dp->name);
	dp->name = xstrdup(p->name);
	dp->fields = dp->missed = 0;
	for (f = 0; f < DOC_FIELD_COUNT; f++) {
		bool long_text = f == DOC_FIELD_TITLE || f == DOC_FIELD_BODY ||
				 f == DOC_FIELD_CONTACTS;
		bool fcut = false;

		if (!p->xpath[f])
			continue;
		buf_init(&t, long_text ? RF_FIELD_MAX_BYTES
				       : RF_PROFILE_FIELD_MAX_BYTES);
		if (!select_text(ctx, &x, p->xpath[f], f == DOC_FIELD_BODY ||
				 f == DOC_FIELD_CONTACTS, text, &t, &fcut)) {
			if (x.code != XPATH_EXPRESSION_OK)
				note_error(dp,
					   doc_field_name((enum doc_field)f),
					   p->xpath[f], &x);
			dp->missed |= 1u << f;
			buf_release(&t);
			continue;
		}
		dp->fields |= 1u << f;
		slot = NULL;
		switch ((enum doc_field)f) {
		case DOC_FIELD_TITLE:
			buf_reset(&d->title);
			buf_add(&d->title, t.data, t.len);
			d->has_title = true;
			*cut |= fcut;
			break;
		case DOC_FIELD_BODY:
			buf_reset(&d->body);
			buf_add(&d->body, t.data, t.len);
			*cut |= fcut;
			break;
		case DOC_FIELD_CONTACTS:
			n0 = d->contacts.n;
			entities_find(&d->contacts, t.data, t.len);
			/* offsets are the body's: these are not in it */
			for (k = n0; k < d->contacts.n; k++)
				d->contacts.items[k].start =
					d->contacts.items[k].end = 0;
			break;
		case DOC_FIELD_SALARY:
			slot = &d->salary;
			break;
		case DOC_FIELD_LOCATION:
			slot = &d->location;
			break;
		case DOC_FIELD_EMPLOYER:
			slot = &d->employer;
			break;
		case DOC_FIELD_POSTED:
			slot = &d->posted;
			break;
		case DOC_FIELD_COUNT:
			break;
		}
		if (slot) {
			free(*slot);
			*slot = buf_detach(&t, NULL);
		}
		buf_release(&t);
	}
	xmlXPathFreeContext(ctx);
}
