/* parse.c: lexer and recursive-descent parser of rule files. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/encode.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "common/util.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "common/banned.h"

enum tok {
	T_EOF = 0,
	T_IDENT,	/* letters, digits, _ . - */
	T_VAR,		/* $name (text without '$') */
	T_STRING,	/* "..." (value decoded) */
	T_REGEX,	/* /.../flags: value is the body, flags separate */
	T_NUMBER,
	T_PUNCT,	/* one of { } ( ) , = : ~ */
	T_ERROR,
};

struct lexer {
	struct rules_compiler *c;
	struct rule_source *src;
	const char *p, *end, *line_start;
	int line;
	/* the current token */
	enum tok kind;
	const char *start;	/* in the source */
	size_t len;
	int tline, tcol;
	const char *tline_start;
	struct buf val;		/* decoded string, regex body, ident */
	char flags[8];		/* regex flags */
	bool err;		/* an error was reported in this rule */
	bool skipping;		/* recovering: do not report more errors */
};

static int
col_of(const char *line_start, const char *at)
{
	int col = 1;
	const char *p;

	for (p = line_start; p < at; p++)
		if (((unsigned char)*p & 0xC0) != 0x80)
			col++;
	return col;
}

static char *
line_text(const char *line_start, const char *end)
{
	const char *nl = memchr(line_start, '\n', (size_t)(end - line_start));
	size_t n = nl ? (size_t)(nl - line_start) : (size_t)(end - line_start);

	if (n && line_start[n - 1] == '\r')
		n--;
	return xmemdupz(line_start, n);
}

/* Reports an error at byte at of the line that starts at at_line_start. */
static void RF_PRINTF(6, 7)
lex_error_at(struct lexer *lx, int line, const char *at_line_start,
	     const char *at, const char *code, const char *fmt, ...)
{
	va_list ap;
	struct buf msg;
	char *src_line;

	if (lx->skipping)
		return;
	buf_init(&msg, 4096);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	src_line = line_text(at_line_start, lx->end);
	rules_diag(lx->c, DIAG_ERROR, lx->src->name, line,
		   col_of(at_line_start, at), src_line, code, "%s", msg.data);
	free(src_line);
	buf_release(&msg);
	lx->err = true;
}

#define tok_error(lx, code, ...)                                        \
	lex_error_at((lx), (lx)->tline, (lx)->tline_start, (lx)->start, code, \
		     __VA_ARGS__)

static bool
is_ident_start(unsigned char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       ch == '_' || ch >= 0x80;
}

static bool
is_ident_char(unsigned char ch)
{
	return is_ident_start(ch) || (ch >= '0' && ch <= '9') || ch == '.' ||
	       ch == '-';
}

static void
skip_space(struct lexer *lx)
{
	while (lx->p < lx->end) {
		char ch = *lx->p;

		if (ch == '\n') {
			lx->p++;
			lx->line++;
			lx->line_start = lx->p;
		} else if (ch == ' ' || ch == '\t' || ch == '\r') {
			lx->p++;
		} else if (ch == '#' ||
			   (ch == '/' && lx->p + 1 < lx->end &&
			    lx->p[1] == '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			break;
		}
	}
}

/* Decodes a "..." string starting at lx->p (on the quote). */
static void
lex_string(struct lexer *lx)
{
	const char *p = lx->p + 1;

	lx->kind = T_STRING;
	while (p < lx->end && *p != '"') {
		if (*p == '\n')
			break;
		if (*p == '\\' && p + 1 < lx->end) {
			char e = p[1];

			p += 2;
			switch (e) {
			case 'n': buf_addch(&lx->val, '\n'); break;
			case 't': buf_addch(&lx->val, '\t'); break;
			case '"': buf_addch(&lx->val, '"'); break;
			case '\\': buf_addch(&lx->val, '\\'); break;
			/* kept for literals: \< writes a plain '<' */
			case '<': buf_add(&lx->val, "\\<", 2); break;
			default:
				lex_error_at(lx, lx->tline, lx->tline_start,
					     p - 2, "E104",
					     "unknown escape '\\%c' in string",
					     e);
				lx->kind = T_ERROR;
			}
			continue;
		}
		buf_addch(&lx->val, *p++);
	}
	if (p >= lx->end || *p != '"') {
		tok_error(lx, "E102", "unterminated string");
		lx->kind = T_ERROR;
		lx->p = p;
		return;
	}
	lx->p = p + 1;
}

static void
lex_regex(struct lexer *lx)
{
	const char *p = lx->p + 1;
	size_t nflags = 0;

	lx->kind = T_REGEX;
	while (p < lx->end && *p != '/' && *p != '\n') {
		if (*p == '\\' && p + 1 < lx->end && p[1] != '\n') {
			/* \/ is a slash in the regex, other escapes pass */
			if (p[1] != '/')
				buf_addch(&lx->val, '\\');
			buf_addch(&lx->val, p[1]);
			p += 2;
			continue;
		}
		buf_addch(&lx->val, *p++);
	}
	if (p >= lx->end || *p != '/') {
		tok_error(lx, "E103", "unterminated regular expression");
		lx->kind = T_ERROR;
		lx->p = p;
		return;
	}
	p++;
	while (p < lx->end && ((*p >= 'a' && *p <= 'z'))) {
		if (nflags + 1 < sizeof(lx->flags))
			lx->flags[nflags++] = *p;
		p++;
	}
	lx->flags[nflags] = '\0';
	lx->p = p;
}

/* Reads the next token into lx. */
static void
lex_next(struct lexer *lx)
{
	unsigned char ch;

	skip_space(lx);
	buf_reset(&lx->val);
	lx->flags[0] = '\0';
	lx->start = lx->p;
	lx->tline = lx->line;
	lx->tline_start = lx->line_start;
	lx->tcol = col_of(lx->line_start, lx->p);
	if (lx->p >= lx->end) {
		lx->kind = T_EOF;
		lx->len = 0;
		return;
	}
	ch = (unsigned char)*lx->p;
	if (ch == '"') {
		lex_string(lx);
	} else if (ch == '/') {
		lex_regex(lx);
	} else if (ch == '$') {
		const char *p = lx->p + 1;

		while (p < lx->end && is_ident_char((unsigned char)*p) &&
		       *p != '.' && *p != '-')
			p++;
		/* $name* is a set wildcard in "of" */
		if (p < lx->end && *p == '*')
			p++;
		lx->kind = T_VAR;
		buf_add(&lx->val, lx->p + 1, (size_t)(p - lx->p - 1));
		lx->p = p;
	} else if (ch >= '0' && ch <= '9') {
		const char *p = lx->p;

		while (p < lx->end && *p >= '0' && *p <= '9')
			p++;
		lx->kind = T_NUMBER;
		buf_add(&lx->val, lx->p, (size_t)(p - lx->p));
		lx->p = p;
	} else if (is_ident_start(ch)) {
		const char *p = lx->p;

		while (p < lx->end && is_ident_char((unsigned char)*p))
			p++;
		lx->kind = T_IDENT;
		buf_add(&lx->val, lx->p, (size_t)(p - lx->p));
		lx->p = p;
	} else if (strchr("{}(),=:~<>", ch)) {
		lx->kind = T_PUNCT;
		buf_addch(&lx->val, (char)ch);
		lx->p++;
		/* <= >= == of comparisons */
		if (strchr("<>=", ch) && lx->p < lx->end && *lx->p == '=') {
			buf_addch(&lx->val, '=');
			lx->p++;
		}
	} else {
		uint32_t cp;
		size_t n = utf8_decode(lx->p, (size_t)(lx->end - lx->p), &cp);

		tok_error(lx, "E101", "unexpected character '%.*s'",
			  (int)(n ? n : 1), lx->p);
		lx->kind = T_ERROR;
		lx->p += n ? n : 1;
	}
	lx->len = (size_t)(lx->p - lx->start);
}

static bool
tok_is(const struct lexer *lx, enum tok kind, const char *text)
{
	return lx->kind == kind && (!text || strcmp(lx->val.data, text) == 0);
}

static const char *
tok_describe(const struct lexer *lx, char *out, size_t n)
{
	switch (lx->kind) {
	case T_EOF: return "end of file";
	case T_STRING: return "a string";
	case T_REGEX: return "a regular expression";
	case T_NUMBER: return "a number";
	case T_ERROR: return "an invalid token";
	case T_VAR:
		snprintf(out, n, "'$%s'", lx->val.data);
		return out;
	default:
		snprintf(out, n, "'%.*s'", (int)utf8_prefix(lx->val.data,
				 lx->val.len, 40), lx->val.data);
		return out;
	}
}

static void
expected(struct lexer *lx, const char *what)
{
	char tmp[64];

	if (lx->kind == T_ERROR)
		return;	/* already reported */
	tok_error(lx, "E110", "expected %s, found %s", what,
		  tok_describe(lx, tmp, sizeof(tmp)));
}

/* Consumes the punctuation ch or reports an error. */
static bool
expect_punct(struct lexer *lx, const char *ch, const char *what)
{
	if (!tok_is(lx, T_PUNCT, ch)) {
		expected(lx, what);
		return false;
	}
	lex_next(lx);
	return true;
}

/* ---- meta ---- */

static const char *const indicator_ids[] = {
	"J01", "J02", "J03", "J04", "J05", "J06", "J07", "J08", "J09",
	"J10", "J11", "J12", "J13", "J14", "J15", "J16", "J17", "J18",
};

static bool
set_enum(const char *v, const char *const *names, size_t n, int *out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v, names[i]) == 0) {
			*out = (int)i;
			return true;
		}
	}
	return false;
}

static bool
parse_scope(struct lexer *lx, struct rule *r)
{
	r->scope = 0;
	for (;;) {
		int f;
		static const char *const fields[] = {
			"title", "body", "url", "contacts", "any",
		};

		if (lx->kind != T_IDENT ||
		    !set_enum(lx->val.data, fields, 5, &f)) {
			expected(lx, "a field (title, body, url, contacts, any)");
			return false;
		}
		r->scope |= f == 4 ? (1u << FIELD_MAX) - 1 : 1u << f;
		lex_next(lx);
		if (!tok_is(lx, T_PUNCT, ","))
			return true;
		lex_next(lx);
	}
}

static bool
parse_meta_entry(struct lexer *lx, struct rule *r)
{
	char key[32];
	int v;
	static const char *const strengths[] = { "weak", "medium", "strong" };
	static const char *const statuses[] = {
		"experimental", "stable", "deprecated",
	};

	int key_line = lx->tline;
	const char *key_ls = lx->tline_start, *key_at = lx->start;

	snprintf(key, sizeof(key), "%s", lx->val.data);
	lex_next(lx);
	if (!expect_punct(lx, "=", "'=' after the meta key"))
		return false;
	if (strcmp(key, "scope") == 0)
		return parse_scope(lx, r);
	if (lx->kind != T_STRING && lx->kind != T_IDENT &&
	    lx->kind != T_NUMBER) {
		expected(lx, "a value");
		return false;
	}
#define STR_META(name, field)                                            \
	if (strcmp(key, name) == 0) {                                    \
		free(r->field);                                          \
		r->field = xstrdup(lx->val.data);                        \
		goto done;                                               \
	}
	STR_META("title", title)
	STR_META("references", references)
	STR_META("falsepositives", falsepositives)
	STR_META("lang", lang)
#undef STR_META
	if (strcmp(key, "indicator") == 0) {
		if (!set_enum(lx->val.data, indicator_ids,
			      RF_ARRAY_SIZE(indicator_ids), &v)) {
			tok_error(lx, "E121",
				  "unknown indicator '%s' (J01 to J18, see "
				  "redflag-rules(5))", lx->val.data);
			return false;
		}
		free(r->indicator);
		r->indicator = xstrdup(lx->val.data);
	} else if (strcmp(key, "strength") == 0) {
		if (!set_enum(lx->val.data, strengths, 3, &v)) {
			tok_error(lx, "E121", "strength must be weak, medium "
				  "or strong, not '%s'", lx->val.data);
			return false;
		}
		r->strength = (enum rule_strength)v;
	} else if (strcmp(key, "status") == 0) {
		if (!set_enum(lx->val.data, statuses, 3, &v)) {
			tok_error(lx, "E121", "status must be experimental, "
				  "stable or deprecated, not '%s'",
				  lx->val.data);
			return false;
		}
		r->status = (enum rule_status)v;
	} else if (strcmp(key, "weight") == 0) {
		long long w;

		if (lx->kind != T_NUMBER ||
		    parse_int(lx->val.data, 1, 4, &w) != RF_OK) {
			tok_error(lx, "E121", "weight must be a whole number "
				  "from 1 to 4");
			return false;
		}
		r->weight = (int)w;
	} else if (strcmp(key, "view") == 0) {
		static const char *const views[] = {
			"folded", "raw", "translit",
		};

		if (!set_enum(lx->val.data, views, 3, &v)) {
			tok_error(lx, "E121", "view must be folded, raw or "
				  "translit, not '%s'", lx->val.data);
			return false;
		}
		r->view = (enum rule_view)v;
	} else if (strcmp(key, "needs_review") == 0) {
		if (!tok_is(lx, T_IDENT, "true") &&
		    !tok_is(lx, T_IDENT, "false")) {
			tok_error(lx, "E121", "needs_review must be true or "
				  "false");
			return false;
		}
		r->needs_review = strcmp(lx->val.data, "true") == 0;
	} else {
		lex_error_at(lx, key_line, key_ls, key_at, "E120",
			     "unknown meta key '%s'", key);
		return false;
	}
done:
	lex_next(lx);
	return true;
}

/* ---- patterns ---- */

static long
pattern_index(const struct rule *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->npats; i++)
		if (strcmp(r->pats[i].name, name) == 0)
			return (long)i;
	return -1;
}

static bool
parse_pattern(struct lexer *lx, struct rule *r)
{
	struct pattern *pat;
	int line = lx->tline;
	const char *tls = lx->tline_start, *at = lx->start;

	if (pattern_index(r, lx->val.data) >= 0) {
		tok_error(lx, "E130", "pattern '$%s' is defined twice",
			  lx->val.data);
		return false;
	}
	if (r->npats >= RF_RULE_MAX_PATTERNS) {
		tok_error(lx, "E130", "more than %d patterns in one rule",
			  RF_RULE_MAX_PATTERNS);
		return false;
	}
	if (!lx->val.len || strchr(lx->val.data, '*')) {
		tok_error(lx, "E110", "a pattern needs a plain name such as "
			  "$visa");
		return false;
	}
	ALLOC_GROW(r->pats, r->npats + 1, r->apats);
	pat = &r->pats[r->npats];
	memset(pat, 0, sizeof(*pat));
	pat->name = xstrdup(lx->val.data);
	pat->line = line;
	r->npats++;
	(void)tls;
	(void)at;
	lex_next(lx);
	if (!expect_punct(lx, "=", "'=' after the pattern name"))
		return false;
	pat->line = lx->tline;
	pat->source_line = line_text(lx->tline_start, lx->end);
	if (lx->kind == T_REGEX) {
		const char *f;

		pat->kind = PAT_REGEX;
		pat->col = lx->tcol + 1;	/* the body, after '/' */
		for (f = lx->flags; *f; f++) {
			if (*f == 's')
				pat->mods |= PAT_DOTALL;
			else if (*f == 'x')
				pat->mods |= PAT_EXTENDED;
			else if (*f != 'i') {
				tok_error(lx, "E133", "unknown regex flag '%c' "
					  "(i, s and x are known)", *f);
				return false;
			}
		}
	} else if (lx->kind == T_STRING) {
		pat->kind = PAT_LITERAL;
		pat->col = lx->tcol + 1;
		if (!lx->val.len) {
			tok_error(lx, "E121", "empty literal");
			return false;
		}
	} else if (tok_is(lx, T_PUNCT, "~")) {
		pat->kind = PAT_LEMMA;
		lex_next(lx);
		if (lx->kind != T_IDENT) {
			expected(lx, "a word after '~'");
			return false;
		}
		pat->col = lx->tcol;
	} else {
		expected(lx, "a regular expression, a \"literal\" or a "
			 "~lemma");
		return false;
	}
	pat->text = xstrdup(lx->val.data);
	lex_next(lx);
	/* modifiers: identifiers not followed by ':' */
	while (lx->kind == T_IDENT) {
		const char *save = lx->p;

		skip_space(lx);
		if (lx->p < lx->end && *lx->p == ':') {
			lx->p = save;
			break;
		}
		lx->p = save;
		if (strcmp(lx->val.data, "word") == 0) {
			pat->mods |= PAT_WORD;
		} else if (strcmp(lx->val.data, "prefix") == 0) {
			pat->mods |= PAT_PREFIX;
		} else if (strcmp(lx->val.data, "case") == 0) {
			pat->mods |= PAT_CASE;
		} else {
			tok_error(lx, "E133", "unknown pattern modifier '%s' "
				  "(word, prefix and case are known)",
				  lx->val.data);
			return false;
		}
		lex_next(lx);
	}
	return true;
}

/* ---- condition ---- */

static struct cond *parse_or(struct lexer *lx, struct rule *r);

static struct cond *
cond_new(enum cond_op op)
{
	struct cond *n = xcalloc(1, sizeof(*n));

	n->op = op;
	return n;
}

/* Adds the patterns named by $name or $prefix* to n's set. */
static bool
add_to_set(struct lexer *lx, struct rule *r, struct cond *n)
{
	size_t i, len = lx->val.len;
	bool wild = len && lx->val.data[len - 1] == '*', any = false;

	for (i = 0; i < r->npats; i++) {
		const char *name = r->pats[i].name;

		if (wild ? strncmp(name, lx->val.data, len - 1) == 0
			 : strcmp(name, lx->val.data) == 0) {
			n->set = xreallocarray(n->set, n->nset + 1,
					       sizeof(*n->set));
			n->set[n->nset++] = i;
			r->pats[i].used = true;
			any = true;
		}
	}
	if (!any) {
		tok_error(lx, "E131", "no pattern matches '$%s'",
			  lx->val.data);
		return false;
	}
	return true;
}

/* N of them | N of ($a, $b*) with N a number, any or all */
static struct cond *
parse_of(struct lexer *lx, struct rule *r, long n)
{
	struct cond *node = cond_new(COND_OF);
	size_t i;
	int q_line = lx->tline;
	const char *q_ls = lx->tline_start, *q_at = lx->start;

	node->n = n;
	lex_next(lx);	/* the quantifier */
	if (!tok_is(lx, T_IDENT, "of")) {
		expected(lx, "'of'");
		goto fail;
	}
	lex_next(lx);
	if (tok_is(lx, T_IDENT, "them")) {
		for (i = 0; i < r->npats; i++) {
			node->set = xreallocarray(node->set, node->nset + 1,
						  sizeof(*node->set));
			node->set[node->nset++] = i;
			r->pats[i].used = true;
		}
		lex_next(lx);
	} else if (tok_is(lx, T_PUNCT, "(")) {
		lex_next(lx);
		for (;;) {
			if (lx->kind != T_VAR) {
				expected(lx, "a pattern name such as $visa");
				goto fail;
			}
			if (!add_to_set(lx, r, node))
				goto fail;
			lex_next(lx);
			if (tok_is(lx, T_PUNCT, ")"))
				break;
			if (!expect_punct(lx, ",", "',' or ')'"))
				goto fail;
		}
		lex_next(lx);
	} else {
		expected(lx, "'them' or '('");
		goto fail;
	}
	if (n >= 0 && (size_t)n > node->nset) {
		lex_error_at(lx, q_line, q_ls, q_at, "E121",
			     "%ld of a set of %zu patterns can never be true",
			     n, node->nset);
		goto fail;
	}
	return node;
fail:
	cond_free(node);
	return NULL;
}

/* A pattern name inside a function call; returns its index or -1. */
static long
parse_var_arg(struct lexer *lx, struct rule *r)
{
	long i;

	if (lx->kind != T_VAR) {
		expected(lx, "a pattern name such as $visa");
		return -1;
	}
	if ((i = pattern_index(r, lx->val.data)) < 0) {
		tok_error(lx, "E131", "undefined pattern '$%s'", lx->val.data);
		return -1;
	}
	r->pats[i].used = true;
	lex_next(lx);
	return i;
}

/* near($a, $b, N) and unnegated($a, $neg, N) */
static struct cond *
parse_window(struct lexer *lx, struct rule *r, enum cond_op op)
{
	struct cond *n = cond_new(op);
	long a, b;
	long long words;

	lex_next(lx);
	if (!expect_punct(lx, "(", "'('"))
		goto fail;
	if ((a = parse_var_arg(lx, r)) < 0 ||
	    !expect_punct(lx, ",", "','") || (b = parse_var_arg(lx, r)) < 0 ||
	    !expect_punct(lx, ",", "','"))
		goto fail;
	if (lx->kind != T_NUMBER ||
	    parse_int(lx->val.data, op == COND_NEAR ? 0 : 1,
		      RF_WINDOW_MAX_WORDS, &words) != RF_OK) {
		tok_error(lx, "E121", "the window is a number of words from %d "
			  "to %d", op == COND_NEAR ? 0 : 1,
			  RF_WINDOW_MAX_WORDS);
		goto fail;
	}
	lex_next(lx);
	if (!expect_punct(lx, ")", "')'"))
		goto fail;
	n->var = (size_t)a;
	n->var2 = (size_t)b;
	n->n = (long)words;
	return n;
fail:
	cond_free(n);
	return NULL;
}

/* The names of enum cond_count, in its order. */
static const char *const count_names[COUNT_MAX] = {
	"phones", "handles", "emails", "links", "money", "age_min",
	"age_max", "mixed_script",
};

static const char *const cmp_ops[] = { "<", "<=", "==", ">=", ">" };

/* Words of the condition language that are not numbers to compare. */
static bool
is_keyword(const char *w)
{
	static const char *const kw[] = {
		"and", "or", "not", "of", "them", "any", "all", "true", "near",
		"unnegated",
	};
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(kw); i++)
		if (strcmp(w, kw[i]) == 0)
			return true;
	return false;
}

/* phones >= 2, age_max <= 25: a number of the text compared with N */
static struct cond *
parse_cmp(struct lexer *lx)
{
	struct cond *n;
	long long v;
	size_t i, k;

	for (k = 0; k < COUNT_MAX; k++)
		if (strcmp(lx->val.data, count_names[k]) == 0)
			break;
	if (k == COUNT_MAX) {
		tok_error(lx, "E137", "unknown identifier '%s' in a condition "
			  "(phones, handles, emails, links, money, age_min, "
			  "age_max and mixed_script are known)", lx->val.data);
		return NULL;
	}
	lex_next(lx);
	for (i = 0; i < RF_ARRAY_SIZE(cmp_ops); i++)
		if (tok_is(lx, T_PUNCT, cmp_ops[i]))
			break;
	if (i == RF_ARRAY_SIZE(cmp_ops)) {
		expected(lx, "a comparison: <, <=, ==, >= or >");
		return NULL;
	}
	lex_next(lx);
	if (lx->kind != T_NUMBER ||
	    parse_int(lx->val.data, 0, RF_COND_NUMBER_MAX, &v) != RF_OK) {
		tok_error(lx, "E121", "a comparison needs a number from 0 to "
			  "%d", RF_COND_NUMBER_MAX);
		return NULL;
	}
	lex_next(lx);
	n = cond_new(COND_CMP);
	n->count = (enum cond_count)k;
	n->cmp = (enum cond_cmp)i;
	n->n = (long)v;
	return n;
}

static struct cond *
parse_primary(struct lexer *lx, struct rule *r)
{
	struct cond *n;

	if (tok_is(lx, T_IDENT, "not")) {
		lex_next(lx);
		if (!(n = parse_primary(lx, r)))
			return NULL;
		struct cond *neg = cond_new(COND_NOT);
		neg->a = n;
		return neg;
	}
	if (tok_is(lx, T_PUNCT, "(")) {
		lex_next(lx);
		if (!(n = parse_or(lx, r)))
			return NULL;
		if (!expect_punct(lx, ")", "')'")) {
			cond_free(n);
			return NULL;
		}
		return n;
	}
	if (lx->kind == T_VAR) {
		long i = pattern_index(r, lx->val.data);

		if (i < 0) {
			tok_error(lx, "E131", "undefined pattern '$%s'",
				  lx->val.data);
			return NULL;
		}
		r->pats[i].used = true;
		n = cond_new(COND_VAR);
		n->var = (size_t)i;
		lex_next(lx);
		return n;
	}
	if (tok_is(lx, T_IDENT, "any"))
		return parse_of(lx, r, 1);
	if (tok_is(lx, T_IDENT, "all"))
		return parse_of(lx, r, -1);
	if (lx->kind == T_NUMBER) {
		long long v;

		if (parse_int(lx->val.data, 1, RF_RULE_MAX_PATTERNS, &v)) {
			tok_error(lx, "E121", "a count from 1 to %d",
				  RF_RULE_MAX_PATTERNS);
			return NULL;
		}
		return parse_of(lx, r, (long)v);
	}
	if (tok_is(lx, T_IDENT, "true")) {
		lex_next(lx);
		return cond_new(COND_TRUE);
	}
	if (tok_is(lx, T_IDENT, "near"))
		return parse_window(lx, r, COND_NEAR);
	if (tok_is(lx, T_IDENT, "unnegated"))
		return parse_window(lx, r, COND_UNNEG);
	if (lx->kind == T_IDENT && !is_keyword(lx->val.data))
		return parse_cmp(lx);
	expected(lx, "a pattern, 'not', '(', 'any of', 'all of', 'N of', "
		 "'near', 'unnegated' or a comparison such as 'phones >= 2'");
	return NULL;
}

static struct cond *
parse_and(struct lexer *lx, struct rule *r)
{
	struct cond *left = parse_primary(lx, r), *right, *n;

	while (left && tok_is(lx, T_IDENT, "and")) {
		lex_next(lx);
		if (!(right = parse_primary(lx, r))) {
			cond_free(left);
			return NULL;
		}
		n = cond_new(COND_AND);
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

static struct cond *
parse_or(struct lexer *lx, struct rule *r)
{
	struct cond *left = parse_and(lx, r), *right, *n;

	while (left && tok_is(lx, T_IDENT, "or")) {
		lex_next(lx);
		if (!(right = parse_and(lx, r))) {
			cond_free(left);
			return NULL;
		}
		n = cond_new(COND_OR);
		n->a = left;
		n->b = right;
		left = n;
	}
	return left;
}

/* ---- examples ---- */

static bool
parse_example(struct lexer *lx, struct rule *r)
{
	struct example *ex;
	bool match = strcmp(lx->val.data, "match") == 0;
	int line;

	lex_next(lx);
	if (lx->kind != T_STRING) {
		expected(lx, "the example's text in quotes");
		return false;
	}
	line = lx->tline;
	ALLOC_GROW(r->ex, r->nex + 1, r->aex);
	ex = &r->ex[r->nex++];
	ex->match = match;
	ex->text = xstrdup(lx->val.data);
	ex->line = line;
	lex_next(lx);
	return true;
}

/* ---- rules ---- */

static bool
at_section(struct lexer *lx, const char *name)
{
	const char *save = lx->p;
	bool yes;

	if (!tok_is(lx, T_IDENT, name))
		return false;
	skip_space(lx);
	yes = lx->p < lx->end && *lx->p == ':';
	lx->p = save;
	return yes;
}

static bool
at_any_section(struct lexer *lx)
{
	return at_section(lx, "meta") || at_section(lx, "patterns") ||
	       at_section(lx, "condition") || at_section(lx, "examples") ||
	       tok_is(lx, T_PUNCT, "}");
}

static void
skip_to_next_rule(struct lexer *lx)
{
	lx->skipping = true;
	while (lx->kind != T_EOF) {
		/* a "rule" keyword that starts a line */
		if (tok_is(lx, T_IDENT, "rule")) {
			const char *q = lx->tline_start;

			while (q < lx->start && (*q == ' ' || *q == '\t'))
				q++;
			if (q == lx->start)
				break;
		}
		lex_next(lx);
	}
	lx->skipping = false;
}

static bool
parse_section(struct lexer *lx, struct rule *r, const char *name)
{
	lex_next(lx);	/* name */
	lex_next(lx);	/* ':' */
	if (strcmp(name, "meta") == 0) {
		while (lx->kind == T_IDENT && !at_any_section(lx))
			if (!parse_meta_entry(lx, r))
				return false;
	} else if (strcmp(name, "patterns") == 0) {
		while (lx->kind == T_VAR)
			if (!parse_pattern(lx, r))
				return false;
	} else if (strcmp(name, "condition") == 0) {
		if (r->cond) {
			tok_error(lx, "E110", "a rule has one condition");
			return false;
		}
		if (!(r->cond = parse_or(lx, r)))
			return false;
	} else {
		while (tok_is(lx, T_IDENT, "match") ||
		       tok_is(lx, T_IDENT, "nomatch"))
			if (!parse_example(lx, r))
				return false;
	}
	if (!at_any_section(lx)) {
		expected(lx, strcmp(name, "condition") == 0
			 ? "'and', 'or' or the next section"
			 : "the next section or '}'");
		return false;
	}
	return true;
}

static bool
check_rule(struct lexer *lx, struct rule *r, struct rules_compiler *c)
{
	bool ok = true;

	if (!r->indicator) {
		rules_diag(c, DIAG_ERROR, r->file, r->line, 0, NULL, "E122",
			   "rule '%s' has no indicator", r->id);
		ok = false;
	}
	if (!r->npats) {
		rules_diag(c, DIAG_ERROR, r->file, r->line, 0, NULL, "E122",
			   "rule '%s' has no patterns", r->id);
		ok = false;
	}
	if (!r->cond && r->npats) {
		rules_diag(c, DIAG_ERROR, r->file, r->line, 0, NULL, "E122",
			   "rule '%s' has no condition", r->id);
		ok = false;
	}
	if (!ok)
		return false;
	if (!r->title)
		r->title = xstrdup(r->id);
	if (!r->lang)
		r->lang = xstrdup(lx->src->lang ? lx->src->lang : "any");
	if (!r->weight)
		r->weight = score_model_default.strength_weight[r->strength];
	if (!r->scope)
		r->scope = (1u << FIELD_TITLE) | (1u << FIELD_BODY);
	return true;
}

static void
rule_set_version(struct rule *r, const char *text, size_t len)
{
	unsigned char d[SHA256_DIGEST_LEN];
	char hex[2 * SHA256_DIGEST_LEN + 1];

	sha256_digest(text, len, d);
	encode_hex(d, sizeof(d), hex);
	memcpy(r->version, hex, sizeof(r->version) - 1);
	r->version[sizeof(r->version) - 1] = '\0';
}

static void
parse_rule(struct lexer *lx)
{
	struct rules_compiler *c = lx->c;
	struct rule *r = xcalloc(1, sizeof(*r));
	const char *text_start = lx->start;
	size_t i;

	r->file = xstrdup(lx->src->name);
	r->line = lx->tline;
	r->strength = STRENGTH_MEDIUM;
	lx->err = false;
	lex_next(lx);	/* "rule" */
	if (lx->kind != T_IDENT) {
		expected(lx, "a rule id");
		goto fail;
	}
	r->id = xstrdup(lx->val.data);
	for (i = 0; i < c->nrules; i++) {
		if (strcmp(c->rules[i]->id, r->id) == 0) {
			tok_error(lx, "E123", "duplicate rule id '%s' (first "
				  "defined at %s:%d)", r->id, c->rules[i]->file,
				  c->rules[i]->line);
			goto fail;
		}
	}
	lex_next(lx);
	if (!expect_punct(lx, "{", "'{' after the rule id"))
		goto fail;
	while (!tok_is(lx, T_PUNCT, "}")) {
		if (at_section(lx, "meta") || at_section(lx, "patterns") ||
		    at_section(lx, "condition") || at_section(lx, "examples")) {
			char name[16];

			snprintf(name, sizeof(name), "%s", lx->val.data);
			if (!parse_section(lx, r, name))
				goto fail;
			continue;
		}
		expected(lx, "'meta:', 'patterns:', 'condition:', "
			 "'examples:' or '}'");
		goto fail;
	}
	/* the rule's version: a hash of its text, '{' to '}' included */
	rule_set_version(r, text_start, (size_t)(lx->p - text_start));
	lex_next(lx);
	if (!check_rule(lx, r, c))
		goto fail;
	if (rule_compile(c, r, lx->src) != RF_OK)
		goto fail;
	if (c->opts.lint)
		rule_lint(c, r);
	ALLOC_GROW(c->rules, c->nrules + 1, c->arules);
	c->rules[c->nrules++] = r;
	return;
fail:
	rule_free(r);
	lx->err = true;
	skip_to_next_rule(lx);
}

/* class NAME = /regex/ */
static void
parse_class(struct lexer *lx)
{
	struct rule_source *src = lx->src;
	struct rclass *k;
	char *name;
	size_t i;

	lex_next(lx);
	if (lx->kind != T_IDENT) {
		expected(lx, "a class name");
		goto fail;
	}
	name = xstrdup(lx->val.data);
	lex_next(lx);
	if (!tok_is(lx, T_PUNCT, "=")) {
		free(name);
		expected(lx, "'='");
		goto fail;
	}
	lex_next(lx);
	if (lx->kind != T_REGEX) {
		free(name);
		expected(lx, "the class as a regular expression /.../");
		goto fail;
	}
	for (i = 0; i < src->nclasses; i++) {
		if (strcmp(src->classes[i].name, name) == 0) {
			/* a file may redefine a pack's class */
			free(src->classes[i].regex);
			src->classes[i].regex = xstrdup(lx->val.data);
			free(name);
			lex_next(lx);
			return;
		}
	}
	ALLOC_GROW(src->classes, src->nclasses + 1, src->aclasses);
	k = &src->classes[src->nclasses++];
	k->name = name;
	k->regex = xstrdup(lx->val.data);
	lex_next(lx);
	return;
fail:
	skip_to_next_rule(lx);
}

enum rf_err
rules_parse(struct rules_compiler *c, struct rule_source *src)
{
	struct lexer lx;
	size_t errors = c->errors;
	size_t bad;

	memset(&lx, 0, sizeof(lx));
	lx.c = c;
	lx.src = src;
	lx.p = src->text;
	lx.end = src->text + src->len;
	lx.line_start = lx.p;
	lx.line = 1;
	buf_init(&lx.val, RF_RULEFILE_MAX_BYTES);
	if (!utf8_valid(src->text, src->len, &bad)) {
		const char *at = src->text + bad, *ls = at;

		while (ls > src->text && ls[-1] != '\n')
			ls--;
		for (const char *q = src->text; q < ls; q++)
			if (*q == '\n')
				lx.line++;
		lex_error_at(&lx, lx.line, ls, at, "E100",
			     "invalid UTF-8 in rule file");
		goto out;
	}
	if (memchr(src->text, '\0', src->len)) {
		rules_diag(c, DIAG_ERROR, src->name, 0, 0, NULL, "E100",
			   "NUL byte in rule file");
		goto out;
	}
	lex_next(&lx);
	while (lx.kind != T_EOF) {
		if (tok_is(&lx, T_IDENT, "rule")) {
			parse_rule(&lx);
		} else if (tok_is(&lx, T_IDENT, "lang")) {
			lex_next(&lx);
			if (lx.kind != T_IDENT) {
				expected(&lx, "a language code such as ru");
				skip_to_next_rule(&lx);
				continue;
			}
			free(src->lang);
			src->lang = xstrdup(lx.val.data);
			lex_next(&lx);
		} else if (tok_is(&lx, T_IDENT, "class")) {
			parse_class(&lx);
		} else {
			expected(&lx, "'rule', 'lang' or 'class'");
			lex_next(&lx);
			skip_to_next_rule(&lx);
		}
	}
out:
	buf_release(&lx.val);
	return c->errors > errors ? RF_ERULE : RF_OK;
}
