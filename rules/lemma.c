/* lemma.c: expands ~lemma terms with a hunspell .aff/.dic pair (lemma.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hunspell.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "rules/lemma.h"
#include "common/banned.h"

#ifndef RF_HUNSPELL_DIR
#define RF_HUNSPELL_DIR "/usr/share/hunspell"
#endif

/* A code point no character decodes to: what invalid bytes compare as. */
#define CP_INVALID 0xFFFFFFFFu

/* How the .aff spells flags (its FLAG line). */
enum flag_type { FLAG_CHAR, FLAG_LONG, FLAG_NUM, FLAG_UTF8 };

/* One character position of an affix condition. */
enum cond_kind { COND_ANY, COND_SET, COND_NSET };
struct cond_elem {
	enum cond_kind kind;
	/* SET, NSET: the characters in [...]; a literal is a SET of one */
	uint32_t *cps;
	size_t ncps;
};

/* One PFX or SFX entry. */
struct affix {
	bool prefix;
	bool cross;	/* Y in the header: combines with the other side */
	uint32_t flag;
	char *strip, *app;	/* "" for 0 */
	size_t striplen, applen;
	uint32_t *cont;	/* continuation flags ("/..." after the affix) */
	size_t ncont;
	struct cond_elem *cond;
	size_t ncond;
};

struct flag_ref {
	uint32_t flag;
	uint32_t idx;		/* into lemma_dict.aff */
};

/* One line of the .dic; the strings point into lemma_dict.dic_text. */
struct dic_entry {
	const char *word;
	const char *flags;	/* "" when the line has none */
	uint32_t hash;		/* fold_hash(word) */
};

struct lemma_dict {
	char *aff_path, *dic_path;
	enum flag_type ftype;
	bool fullstrip;
	struct affix *aff;
	size_t naff, aaff;
	struct flag_ref *byflag;	/* sorted by flag, then by idx */
	size_t nbyflag;
	char **alias;		/* AF strings; flag "1" is alias[0] */
	size_t nalias, aalias;
	char *dic_text;		/* the .dic, cut into NUL-ended words */
	struct dic_entry *ent;
	size_t nent, aent;
	uint32_t *slots;	/* hash table: entry index + 1, 0 empty */
	size_t nslots;
	Hunhandle *hs;
};

/* Parsing state for the .aff and .dic: which file and line, for messages. */
struct parse_ctx {
	struct lemma_dict *d;
	const char *path;
	size_t line;
	struct buf *msg;
};

static enum rf_err fail(struct parse_ctx *p, enum rf_err err,
			const char *fmt, ...) RF_PRINTF(3, 4);

/* Appends "FILE:LINE: message" to p->msg and returns err. */
static enum rf_err
fail(struct parse_ctx *p, enum rf_err err, const char *fmt, ...)
{
	va_list ap;

	if (!p->msg)
		return err;
	if (p->line)
		buf_addf(p->msg, "%s:%zu: ", p->path, p->line);
	else
		buf_addf(p->msg, "%s: ", p->path);
	va_start(ap, fmt);
	buf_vaddf(p->msg, fmt, ap);
	va_end(ap);
	return err;
}

void
lemma_forms_init(struct lemma_forms *f)
{
	f->v = NULL;
	f->n = f->alloc = 0;
}

/* Frees the words but keeps the array. */
static void
forms_clear(struct lemma_forms *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i]);
	f->n = 0;
}

void
lemma_forms_release(struct lemma_forms *f)
{
	forms_clear(f);
	free(f->v);
	lemma_forms_init(f);
}

/* Appends a copy of the len bytes at s. */
static void
forms_add(struct lemma_forms *f, const char *s, size_t len)
{
	ALLOC_GROW(f->v, f->n + 1, f->alloc);
	f->v[f->n++] = xmemdupz(s, len);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts f and drops duplicates. */
static void
forms_sort_unique(struct lemma_forms *f)
{
	size_t i, j = 0;

	if (f->n == 0)
		return;
	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), cmp_str);
	for (i = 1; i < f->n; i++) {
		if (strcmp(f->v[i], f->v[j]) == 0)
			free(f->v[i]);
		else
			f->v[++j] = f->v[i];
	}
	f->n = j + 1;
}

/*
 * Simple case folding (to lower case) for the scripts of the dictionaries
 * we ship: Latin, Latin-1, Latin Extended-A and Cyrillic with its Kazakh
 * and Uzbek letters. A table rather than towlower() so that the result
 * does not depend on the process's locale.
 */
static uint32_t
fold_cp(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c == 0x178)
		return 0xFF;
	if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) ||
	    (c >= 0x14A && c <= 0x177))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if ((c >= 0x460 && c <= 0x481) || (c >= 0x48A && c <= 0x4BF) ||
	    (c >= 0x4D0 && c <= 0x52F))
		return c | 1;
	if (c == 0x4C0)
		return 0x4CF;
	if (c >= 0x4C1 && c <= 0x4CE)
		return (c & 1) ? c + 1 : c;
	return c;
}

/* Decodes the character at s (len > 0); an invalid byte is one CP_INVALID. */
static size_t
next_cp(const char *s, size_t len, uint32_t *cp)
{
	size_t n = utf8_decode(s, len, cp);

	if (n == 0) {
		*cp = CP_INVALID;
		n = 1;
	}
	return n;
}

/* FNV-1a over the folded characters of s. */
static uint32_t
fold_hash(const char *s)
{
	size_t len = strlen(s), i = 0;
	uint32_t h = 2166136261u, cp;

	while (i < len) {
		i += next_cp(s + i, len - i, &cp);
		cp = fold_cp(cp);
		h = (h ^ (cp & 0xFF)) * 16777619u;
		h = (h ^ (cp >> 8)) * 16777619u;
	}
	return h;
}

/* Whether a and b are equal after folding. */
static bool
fold_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0, j = 0;
	uint32_t ca, cb;

	while (i < la && j < lb) {
		i += next_cp(a + i, la - i, &ca);
		j += next_cp(b + j, lb - j, &cb);
		if (fold_cp(ca) != fold_cp(cb))
			return false;
	}
	return i == la && j == lb;
}

/* Parses a token that must be a whole number in [min, max]. */
static bool
parse_count(const char *tok, size_t len, long long min, long long max,
	    long long *out)
{
	char num[24];

	if (len >= sizeof(num))
		return false;
	memcpy(num, tok, len);
	num[len] = '\0';
	return parse_int(num, min, max, out) == RF_OK;
}

/*
 * Flags. parse_flags decodes the len bytes at s in d's flag type into
 * out (room for RF_LEMMA_FLAGS_MAX). With aliases (AF lines) and
 * use_alias, s is an alias number instead.
 */
static enum rf_err
parse_flags(const struct lemma_dict *d, const char *s, size_t len,
	    bool use_alias, uint32_t *out, size_t *nout)
{
	size_t i = 0, n = 0;

	if (use_alias && d->nalias > 0) {
		long long v;

		if (!parse_count(s, len, 1, (long long)d->nalias, &v))
			return RF_EPARSE;
		s = d->alias[v - 1];
		len = strlen(s);
	}
	while (i < len) {
		uint32_t f;

		if (n >= RF_LEMMA_FLAGS_MAX)
			return RF_ETOOBIG;
		switch (d->ftype) {
		case FLAG_CHAR:
			f = (unsigned char)s[i++];
			break;
		case FLAG_LONG:
			if (len - i < 2)
				return RF_EPARSE;
			f = (uint32_t)(unsigned char)s[i] << 8 |
			    (unsigned char)s[i + 1];
			i += 2;
			break;
		case FLAG_UTF8: {
			size_t k = utf8_decode(s + i, len - i, &f);

			if (k == 0)
				return RF_EPARSE;
			i += k;
			break;
		}
		case FLAG_NUM:
		default:
			f = 0;
			if (s[i] < '0' || s[i] > '9')
				return RF_EPARSE;
			while (i < len && s[i] >= '0' && s[i] <= '9') {
				f = f * 10 + (uint32_t)(s[i++] - '0');
				if (f > 65535)
					return RF_EPARSE;
			}
			if (f == 0)
				return RF_EPARSE;
			if (i < len) {
				if (s[i] != ',' || i + 1 == len)
					return RF_EPARSE;
				i++;
			}
			break;
		}
		out[n++] = f;
	}
	*nout = n;
	return RF_OK;
}

/* A copy of the len flags at f, or NULL when there are none. */
static uint32_t *
flags_dup(const uint32_t *f, size_t n)
{
	uint32_t *c;

	if (n == 0)
		return NULL;
	c = xreallocarray(NULL, n, sizeof(*c));
	memcpy(c, f, n * sizeof(*c));
	return c;
}

/* The .aff file. */

/* Splits line into at most max tokens at spaces and tabs; returns count. */
static size_t
tokenize(char *line, char **tok, size_t *toklen, size_t max)
{
	size_t n = 0;
	char *s = line;

	while (*s && n < max) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		tok[n] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
		toklen[n] = (size_t)(s - tok[n]);
		n++;
	}
	return n;
}

static bool
tok_is(const char *tok, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(tok, word, len) == 0;
}

static bool
tok_is_caseless(const char *tok, size_t len, const char *word)
{
	size_t i;

	if (strlen(word) != len)
		return false;
	for (i = 0; i < len; i++) {
		char c = tok[i];

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 32);
		if (c != word[i])
			return false;
	}
	return true;
}

static void
cond_free(struct cond_elem *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(c[i].cps);
	free(c);
}

/* Parses an affix condition: '.', [abc], [^abc] and literal characters. */
static enum rf_err
parse_cond(struct parse_ctx *p, const char *s, size_t len,
	   struct affix *a)
{
	size_t i = 0, alloc = 0;

	if (len == 1 && s[0] == '.')
		return RF_OK;
	while (i < len) {
		struct cond_elem e = { COND_SET, NULL, 0 };
		size_t ae = 0;
		uint32_t cp;

		if (s[i] == '.') {
			e.kind = COND_ANY;
			i++;
		} else if (s[i] == '[') {
			const char *end = memchr(s + i, ']', len - i);

			if (!end)
				return fail(p, RF_EPARSE, "unterminated '[' in "
					    "condition '%.*s'", (int)len, s);
			i++;
			if (s + i < end && s[i] == '^') {
				e.kind = COND_NSET;
				i++;
			}
			if (s + i == end)
				return fail(p, RF_EPARSE, "empty [] in "
					    "condition '%.*s'", (int)len, s);
			while (s + i < end) {
				size_t k = utf8_decode(s + i,
						       (size_t)(end - s) - i,
						       &cp);

				if (k == 0) {
					free(e.cps);
					return fail(p, RF_EPARSE, "invalid "
						    "UTF-8 in condition");
				}
				ALLOC_GROW(e.cps, e.ncps + 1, ae);
				e.cps[e.ncps++] = cp;
				i += k;
			}
			i++;	/* ']' */
		} else if (s[i] == ']') {
			return fail(p, RF_EPARSE, "stray ']' in condition "
				    "'%.*s'", (int)len, s);
		} else {
			size_t k = utf8_decode(s + i, len - i, &cp);

			if (k == 0)
				return fail(p, RF_EPARSE,
					    "invalid UTF-8 in condition");
			e.cps = xmalloc(sizeof(*e.cps));
			e.cps[0] = cp;
			e.ncps = 1;
			i += k;
		}
		ALLOC_GROW(a->cond, a->ncond + 1, alloc);
		a->cond[a->ncond++] = e;
	}
	return RF_OK;
}

/* The state of a PFX or SFX block: its header and what is left of it. */
struct aff_block {
	bool prefix, cross;
	uint32_t flag;
	long long left;	/* entries still expected; 0 outside a block */
	size_t header_line;
};

/* Parses a flag token that must hold exactly one flag. */
static enum rf_err
parse_one_flag(struct parse_ctx *p, const char *tok, size_t len,
	       uint32_t *flag)
{
	uint32_t f[RF_LEMMA_FLAGS_MAX];
	size_t n;

	if (parse_flags(p->d, tok, len, false, f, &n) != RF_OK || n != 1) {
		/* returned here, not through the variadic fail(), which the
		 * static analyzer does not follow: it took the error for 0
		 * and *flag for read unset */
		(void)fail(p, RF_EPARSE, "bad affix flag '%.*s'", (int)len,
			   tok);
		return RF_EPARSE;
	}
	*flag = f[0];
	return RF_OK;
}

static enum rf_err
parse_affix_header(struct parse_ctx *p, char **tok, size_t *toklen,
		   size_t ntok, struct aff_block *b)
{
	enum rf_err err;

	if (ntok < 4)
		return fail(p, RF_EPARSE, "expected '%.*s FLAG Y|N COUNT'",
			    (int)toklen[0], tok[0]);
	b->prefix = tok[0][0] == 'P';
	err = parse_one_flag(p, tok[1], toklen[1], &b->flag);
	if (err)
		return err;
	if (tok_is(tok[2], toklen[2], "Y"))
		b->cross = true;
	else if (tok_is(tok[2], toklen[2], "N"))
		b->cross = false;
	else
		return fail(p, RF_EPARSE, "expected Y or N, not '%.*s'",
			    (int)toklen[2], tok[2]);
	if (!parse_count(tok[3], toklen[3], 0, RF_LEMMA_AFFIXES_MAX, &b->left))
		return fail(p, RF_EPARSE, "bad entry count '%.*s'",
			    (int)toklen[3], tok[3]);
	b->header_line = p->line;
	return RF_OK;
}

static void
affix_release(struct affix *a)
{
	free(a->strip);
	free(a->app);
	free(a->cont);
	cond_free(a->cond, a->ncond);
}

static enum rf_err
parse_affix_entry(struct parse_ctx *p, char **tok, size_t *toklen,
		  size_t ntok, struct aff_block *b)
{
	struct lemma_dict *d = p->d;
	struct affix a = { 0 };
	uint32_t cont[RF_LEMMA_FLAGS_MAX];
	size_t ncont = 0, applen;
	const char *slash;
	enum rf_err err;
	uint32_t flag;

	if (ntok < 4)
		return fail(p, RF_EPARSE, "expected '%.*s FLAG STRIP AFFIX "
			    "[CONDITION]'", (int)toklen[0], tok[0]);
	err = parse_one_flag(p, tok[1], toklen[1], &flag);
	if (err)
		return err;
	if (flag != b->flag || b->prefix != (tok[0][0] == 'P'))
		return fail(p, RF_EPARSE, "expected %zu more entries of the "
			    "block at line %zu, not '%.*s %.*s'",
			    (size_t)b->left, b->header_line, (int)toklen[0],
			    tok[0], (int)toklen[1], tok[1]);
	if (d->naff >= RF_LEMMA_AFFIXES_MAX)
		return fail(p, RF_ETOOBIG, "more than %d affix rules",
			    RF_LEMMA_AFFIXES_MAX);
	a.prefix = b->prefix;
	a.cross = b->cross;
	a.flag = flag;
	if (tok_is(tok[2], toklen[2], "0"))
		toklen[2] = 0;
	if (!utf8_valid(tok[2], toklen[2], NULL))
		return fail(p, RF_EPARSE, "invalid UTF-8 in strip string");
	slash = memchr(tok[3], '/', toklen[3]);
	applen = slash ? (size_t)(slash - tok[3]) : toklen[3];
	if (slash) {
		size_t flen = toklen[3] - applen - 1;

		err = parse_flags(d, slash + 1, flen, true, cont, &ncont);
		if (err)
			return fail(p, err, "bad continuation flags '%.*s'",
				    (int)flen, slash + 1);
	}
	if (tok_is(tok[3], applen, "0"))
		applen = 0;
	if (!utf8_valid(tok[3], applen, NULL))
		return fail(p, RF_EPARSE, "invalid UTF-8 in affix");
	if (ntok >= 5) {
		err = parse_cond(p, tok[4], toklen[4], &a);
		if (err) {
			affix_release(&a);
			return err;
		}
	}
	a.strip = xmemdupz(tok[2], toklen[2]);
	a.striplen = toklen[2];
	a.app = xmemdupz(tok[3], applen);
	a.applen = applen;
	a.cont = flags_dup(cont, ncont);
	a.ncont = ncont;
	ALLOC_GROW(d->aff, d->naff + 1, d->aaff);
	d->aff[d->naff++] = a;
	b->left--;
	return RF_OK;
}

static enum rf_err
parse_flag_type(struct parse_ctx *p, const char *tok, size_t len)
{
	if (p->d->naff > 0 || p->d->nalias > 0)
		return fail(p, RF_EPARSE, "FLAG must come before the affix "
			    "rules and AF lines");
	if (tok_is_caseless(tok, len, "LONG"))
		p->d->ftype = FLAG_LONG;
	else if (tok_is_caseless(tok, len, "NUM"))
		p->d->ftype = FLAG_NUM;
	else if (tok_is_caseless(tok, len, "UTF-8"))
		p->d->ftype = FLAG_UTF8;
	else if (tok_is_caseless(tok, len, "CHAR"))
		p->d->ftype = FLAG_CHAR;
	else
		return fail(p, RF_EPARSE, "unknown flag type '%.*s'",
			    (int)len, tok);
	return RF_OK;
}

/*
 * Calls fn on each line of text (len bytes, NUL-terminated, writable),
 * with the line's end (a CR before the LF included) cut off with a NUL and
 * trailing blanks removed; p->line counts lines from 1. A leading UTF-8
 * byte order mark is skipped. Stops at the first error.
 */
static enum rf_err
for_each_line(struct parse_ctx *p, char *text, size_t len,
	      enum rf_err (*fn)(struct parse_ctx *, char *, size_t, void *),
	      void *arg)
{
	char *s = text, *end = text + len;
	enum rf_err err;

	if (memchr(text, '\0', len))
		return fail(p, RF_EPARSE, "contains a NUL byte");
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	p->line = 0;
	while (s < end) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *e = nl ? nl : end;

		p->line++;
		if ((size_t)(e - s) > RF_LEMMA_LINE_MAX)
			return fail(p, RF_ETOOBIG, "line longer than %d bytes",
				    RF_LEMMA_LINE_MAX);
		while (e > s && (e[-1] == '\r' || e[-1] == ' ' ||
				 e[-1] == '\t'))
			e--;
		*e = '\0';
		err = fn(p, s, (size_t)(e - s), arg);
		if (err)
			return err;
		if (!nl)
			break;
		s = nl + 1;
	}
	p->line = 0;
	return RF_OK;
}

/* What parsing the .aff remembers between lines. */
struct aff_state {
	struct aff_block block;
	long long alias_left;	/* AF lines still expected */
	bool have_set;
};

static enum rf_err
aff_line(struct parse_ctx *p, char *line, size_t len, void *arg)
{
	struct aff_state *st = arg;
	struct lemma_dict *d = p->d;
	char *tok[6];
	size_t toklen[6], ntok;
	bool is_affix;
	enum rf_err err;

	ntok = tokenize(line, tok, toklen, RF_ARRAY_SIZE(tok));
	if (ntok == 0 || tok[0][0] == '#')
		return RF_OK;
	is_affix = tok_is(tok[0], toklen[0], "PFX") ||
		   tok_is(tok[0], toklen[0], "SFX");
	if (st->block.left > 0) {
		if (!is_affix)
			return fail(p, RF_EPARSE, "expected %lld more entries "
				    "of the block at line %zu",
				    st->block.left, st->block.header_line);
		return parse_affix_entry(p, tok, toklen, ntok, &st->block);
	}
	if (st->alias_left > 0) {
		uint32_t f[RF_LEMMA_FLAGS_MAX];
		size_t n;

		if (!tok_is(tok[0], toklen[0], "AF") || ntok < 2)
			return fail(p, RF_EPARSE, "expected %lld more AF lines",
				    st->alias_left);
		if (parse_flags(d, tok[1], toklen[1], false, f, &n) != RF_OK)
			return fail(p, RF_EPARSE, "bad flags '%.*s'",
				    (int)toklen[1], tok[1]);
		ALLOC_GROW(d->alias, d->nalias + 1, d->aalias);
		d->alias[d->nalias++] = xmemdupz(tok[1], toklen[1]);
		st->alias_left--;
		return RF_OK;
	}
	if (is_affix)
		return parse_affix_header(p, tok, toklen, ntok, &st->block);
	if (tok_is(tok[0], toklen[0], "SET")) {
		if (ntok < 2 || !tok_is_caseless(tok[1], toklen[1], "UTF-8"))
			return fail(p, RF_EUNSUPPORTED, "encoding '%.*s' is "
				    "not supported (only UTF-8 is)",
				    ntok < 2 ? 0 : (int)toklen[1],
				    ntok < 2 ? "" : tok[1]);
		st->have_set = true;
	} else if (tok_is(tok[0], toklen[0], "FLAG")) {
		if (ntok < 2)
			return fail(p, RF_EPARSE, "FLAG without a type");
		err = parse_flag_type(p, tok[1], toklen[1]);
		if (err)
			return err;
	} else if (tok_is(tok[0], toklen[0], "FULLSTRIP")) {
		d->fullstrip = true;
	} else if (tok_is(tok[0], toklen[0], "AF") && d->nalias == 0) {
		if (ntok < 2 || !parse_count(tok[1], toklen[1], 1,
					     RF_LEMMA_ALIASES_MAX,
					     &st->alias_left))
			return fail(p, RF_EPARSE, "expected 'AF COUNT' with a "
				    "count from 1 to %d", RF_LEMMA_ALIASES_MAX);
		if (d->naff > 0)
			return fail(p, RF_EPARSE, "AF must come before the "
				    "affix rules");
	} else if (tok_is(tok[0], toklen[0], "AF")) {
		return fail(p, RF_EPARSE, "a second AF table");
	}
	/* Everything else (TRY, REP, COMPOUND*, ...) does not make forms. */
	return RF_OK;
}

static int
cmp_flag_ref(const void *a, const void *b)
{
	const struct flag_ref *x = a, *y = b;

	if (x->flag != y->flag)
		return x->flag < y->flag ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static enum rf_err
load_aff(struct lemma_dict *d, struct buf *msg)
{
	struct parse_ctx p = { d, d->aff_path, 0, msg };
	struct aff_state st = { 0 };
	struct buf text;
	enum rf_err err;
	size_t i;

	buf_init(&text, RF_LEMMA_AFF_MAX_BYTES);
	err = file_read(d->aff_path, RF_LEMMA_AFF_MAX_BYTES, &text);
	if (err == RF_ETOOBIG)
		err = fail(&p, err, "larger than %zu bytes",
			   RF_LEMMA_AFF_MAX_BYTES);
	else if (err)
		err = fail(&p, err, "cannot read: %s", rf_strerror(err));
	if (err)
		goto out;
	if (text.len > 0) {
		err = for_each_line(&p, text.data, text.len, aff_line, &st);
		if (err)
			goto out;
	}
	if (st.block.left > 0) {
		err = fail(&p, RF_EPARSE, "the file ends %lld entries short "
			   "of the block at line %zu", st.block.left,
			   st.block.header_line);
		goto out;
	}
	if (st.alias_left > 0) {
		err = fail(&p, RF_EPARSE, "the file ends %lld AF lines short",
			   st.alias_left);
		goto out;
	}
	if (!st.have_set) {
		err = fail(&p, RF_EUNSUPPORTED, "no 'SET UTF-8' line: only "
			   "UTF-8 dictionaries are supported");
		goto out;
	}
	d->byflag = xreallocarray(NULL, d->naff ? d->naff : 1,
				  sizeof(*d->byflag));
	for (i = 0; i < d->naff; i++) {
		d->byflag[i].flag = d->aff[i].flag;
		d->byflag[i].idx = (uint32_t)i;
	}
	d->nbyflag = d->naff;
	if (d->nbyflag)
		qsort(d->byflag, d->nbyflag, sizeof(*d->byflag),
		      cmp_flag_ref);
out:
	buf_release(&text);
	return err;
}

/* The .dic file. */

/* Cuts line into word and flags (NUL-terminated in place); see below. */
static void
dic_split(char *line, size_t len, char **word, char **flags)
{
	size_t i, end = len, slash = len;

	/*
	 * Morphological fields start at a tab or at a space followed by a
	 * two-letter field name and ':' ("po:noun"): they are not the word.
	 */
	for (i = 0; i < len; i++) {
		if (line[i] == '\t' ||
		    (line[i] == ' ' && i + 3 < len && line[i + 1] != ' ' &&
		     line[i + 2] != ' ' && line[i + 3] == ':')) {
			end = i;
			break;
		}
	}
	while (end > 0 && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	/* The first '/' that is neither escaped ("\/") nor first. */
	for (i = 1; i < end; i++) {
		if (line[i] == '/' && line[i - 1] != '\\') {
			slash = i;
			break;
		}
	}
	line[end] = '\0';
	if (slash < end) {
		line[slash] = '\0';
		*flags = line + slash + 1;
	} else {
		*flags = line + end;
	}
	/* "\/" is a slash in the word */
	if (memchr(line, '\\', slash < end ? slash : end)) {
		char *r = line, *w = line;

		while (*r) {
			if (r[0] == '\\' && r[1] == '/')
				r++;
			*w++ = *r++;
		}
		*w = '\0';
	}
	*word = line;
}

static enum rf_err
dic_line(struct parse_ctx *p, char *line, size_t len, void *arg)
{
	struct lemma_dict *d = p->d;
	struct dic_entry *e;
	char *word, *flags;

	(void)arg;
	if (p->line == 1) {
		long long n;

		if (parse_int(line, 0, INT32_MAX, &n) != RF_OK)
			return fail(p, RF_EPARSE, "expected the number of "
				    "words on the first line");
		return RF_OK;
	}
	if (len == 0)
		return RF_OK;
	dic_split(line, len, &word, &flags);
	if (!*word)
		return RF_OK;
	ALLOC_GROW(d->ent, d->nent + 1, d->aent);
	e = &d->ent[d->nent++];
	e->word = word;
	e->flags = flags;
	e->hash = fold_hash(word);
	return RF_OK;
}

static void
dic_index(struct lemma_dict *d)
{
	size_t i, mask;

	d->nslots = 16;
	while (d->nslots < 2 * d->nent)
		d->nslots *= 2;
	d->slots = xcalloc(d->nslots, sizeof(*d->slots));
	mask = d->nslots - 1;
	for (i = 0; i < d->nent; i++) {
		size_t s = d->ent[i].hash & mask;

		while (d->slots[s])
			s = (s + 1) & mask;
		d->slots[s] = (uint32_t)(i + 1);
	}
}

static enum rf_err
load_dic(struct lemma_dict *d, struct buf *msg)
{
	struct parse_ctx p = { d, d->dic_path, 0, msg };
	struct buf text;
	enum rf_err err;
	size_t len;

	buf_init(&text, RF_LEMMA_DIC_MAX_BYTES);
	err = file_read(d->dic_path, RF_LEMMA_DIC_MAX_BYTES, &text);
	if (err == RF_ETOOBIG)
		err = fail(&p, err, "larger than %zu bytes",
			   RF_LEMMA_DIC_MAX_BYTES);
	else if (err)
		err = fail(&p, err, "cannot read: %s", rf_strerror(err));
	if (err) {
		buf_release(&text);
		return err;
	}
	d->dic_text = buf_detach(&text, &len);
	if (len == 0)
		return fail(&p, RF_EPARSE, "empty file");
	err = for_each_line(&p, d->dic_text, len, dic_line, NULL);
	if (err)
		return err;
	dic_index(d);
	return RF_OK;
}

/* Opening and freeing. */

static const struct {
	const char *code, *stem;
} lang_stems[] = {
	{ "ru", "ru_RU" },
	{ "kk", "kk_KZ" },
	{ "en", "en_US" },
	{ "uz", "uz_UZ" },
};

static bool
lang_ok(const char *lang)
{
	size_t i, len = strlen(lang);

	if (len == 0 || len > 32 || lang[0] == '-')
		return false;
	for (i = 0; i < len; i++) {
		char c = lang[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

enum rf_err
lemma_dict_open(const char *dir, const char *lang, struct lemma_dict **out,
		struct buf *msg)
{
	struct lemma_dict *d = NULL;
	const char *stem = lang;
	struct buf path;
	enum rf_err err;
	size_t i;

	*out = NULL;
	if (!dir)
		dir = RF_HUNSPELL_DIR;
	if (!lang_ok(lang)) {
		if (msg)
			buf_addf(msg, "bad dictionary name '%s'", lang);
		return RF_EINVAL;
	}
	for (i = 0; i < RF_ARRAY_SIZE(lang_stems); i++)
		if (strcmp(lang, lang_stems[i].code) == 0)
			stem = lang_stems[i].stem;
	d = xcalloc(1, sizeof(*d));
	buf_init(&path, 0);
	buf_addf(&path, "%s/%s.aff", dir, stem);
	d->aff_path = buf_detach(&path, NULL);
	buf_addf(&path, "%s/%s.dic", dir, stem);
	d->dic_path = buf_detach(&path, NULL);
	err = load_aff(d, msg);
	if (err)
		goto out;
	err = load_dic(d, msg);
	if (err)
		goto out;
	d->hs = Hunspell_create(d->aff_path, d->dic_path);
	if (!d->hs) {
		err = RF_EIO;
		if (msg)
			buf_addf(msg, "%s: hunspell could not load it",
				 d->aff_path);
		goto out;
	}
	*out = d;
	d = NULL;
out:
	lemma_dict_free(d);
	return err;
}

void
lemma_dict_free(struct lemma_dict *d)
{
	size_t i;

	if (!d)
		return;
	if (d->hs)
		Hunspell_destroy(d->hs);
	for (i = 0; i < d->naff; i++)
		affix_release(&d->aff[i]);
	free(d->aff);
	free(d->byflag);
	for (i = 0; i < d->nalias; i++)
		free(d->alias[i]);
	free(d->alias);
	free(d->ent);
	free(d->slots);
	free(d->dic_text);
	free(d->aff_path);
	free(d->dic_path);
	free(d);
}

const char *
lemma_dict_aff_path(const struct lemma_dict *d)
{
	return d->aff_path;
}

const char *
lemma_dict_dic_path(const struct lemma_dict *d)
{
	return d->dic_path;
}

/* Expansion. */

static bool
cond_elem_match(const struct cond_elem *e, uint32_t cp)
{
	size_t i;

	if (e->kind == COND_ANY)
		return true;
	for (i = 0; i < e->ncps; i++)
		if (e->cps[i] == cp)
			return e->kind == COND_SET;
	return e->kind == COND_NSET;
}

/* Whether a's condition holds at the start (prefix) or end (suffix) of w. */
static bool
cond_match(const struct affix *a, const char *w, size_t len)
{
	size_t k, pos;
	uint32_t cp;

	if (a->prefix) {
		pos = 0;
		for (k = 0; k < a->ncond; k++) {
			if (pos >= len)
				return false;
			pos += next_cp(w + pos, len - pos, &cp);
			if (!cond_elem_match(&a->cond[k], cp))
				return false;
		}
		return true;
	}
	pos = len;
	for (k = a->ncond; k-- > 0;) {
		size_t start;

		if (pos == 0)
			return false;
		/* back to the lead byte of the character before pos */
		start = pos - 1;
		while (start > 0 && pos - start < 4 &&
		       ((unsigned char)w[start] & 0xC0) == 0x80)
			start--;
		if (utf8_decode(w + start, pos - start, &cp) != pos - start) {
			cp = CP_INVALID;
			start = pos - 1;
		}
		if (!cond_elem_match(&a->cond[k], cp))
			return false;
		pos = start;
	}
	return true;
}

/* A suffixed form, which prefixes may still combine with. */
struct sfx_form {
	size_t form;		/* index into gen.cand */
	size_t aff;		/* the (last) suffix that made it */
	bool cross;		/* every suffix in it is cross-product Y */
};

/* The forms made so far for one entry, and which suffix made which. */
struct gen {
	struct lemma_forms cand;
	struct sfx_form *sfx;
	size_t nsfx, asfx;
};

/*
 * Applies affix a to word w when it may (w keeps a's strip string at the
 * right end, something of w is left after stripping, the condition holds)
 * and adds the form to g. Sets *made when it did.
 */
static enum rf_err
apply(const struct lemma_dict *d, const struct affix *a, const char *w,
      struct gen *g, bool *made)
{
	size_t len = strlen(w), keep;
	char form[2 * RF_LEMMA_WORD_MAX + 1];

	*made = false;
	if (len < a->striplen || (len == a->striplen && !d->fullstrip))
		return RF_OK;
	if (a->prefix ? memcmp(w, a->strip, a->striplen) != 0
		      : memcmp(w + len - a->striplen, a->strip,
			       a->striplen) != 0)
		return RF_OK;
	if (!cond_match(a, w, len))
		return RF_OK;
	keep = len - a->striplen;
	if (keep + a->applen > RF_LEMMA_WORD_MAX)
		return RF_OK;	/* longer than any word hunspell accepts */
	if (g->cand.n >= RF_LEMMA_FORMS_MAX)
		return RF_ETOOBIG;
	if (a->prefix) {
		memcpy(form, a->app, a->applen);
		memcpy(form + a->applen, w + a->striplen, keep);
	} else {
		memcpy(form, w, keep);
		memcpy(form + keep, a->app, a->applen);
	}
	forms_add(&g->cand, form, keep + a->applen);
	*made = true;
	return RF_OK;
}

/* The range of d->byflag for flag f: [*lo, *hi). */
static void
affixes_of(const struct lemma_dict *d, uint32_t f, size_t *lo, size_t *hi)
{
	size_t a = 0, b = d->nbyflag;

	while (a < b) {
		size_t m = a + (b - a) / 2;

		if (d->byflag[m].flag < f)
			a = m + 1;
		else
			b = m;
	}
	*lo = a;
	while (a < d->nbyflag && d->byflag[a].flag == f)
		a++;
	*hi = a;
}

/* Records that the last form in g was made by suffix ai. */
static void
add_sfx(struct gen *g, size_t ai, bool cross)
{
	ALLOC_GROW(g->sfx, g->nsfx + 1, g->asfx);
	g->sfx[g->nsfx].form = g->cand.n - 1;
	g->sfx[g->nsfx].aff = ai;
	g->sfx[g->nsfx++].cross = cross;
}

/* Every suffix of flags fl applied to the root, with their second level. */
static enum rf_err
gen_suffixes(const struct lemma_dict *d, const char *root,
	     const uint32_t *fl, size_t nfl, struct gen *g)
{
	size_t i, j, k, lo, hi, level1;
	enum rf_err err;
	bool made;

	for (i = 0; i < nfl; i++) {
		affixes_of(d, fl[i], &lo, &hi);
		for (j = lo; j < hi; j++) {
			size_t ai = d->byflag[j].idx;

			if (d->aff[ai].prefix)
				continue;
			err = apply(d, &d->aff[ai], root, g, &made);
			if (err)
				return err;
			if (made)
				add_sfx(g, ai, d->aff[ai].cross);
		}
	}
	/* two-level suffixes: those named by a suffix's continuation flags */
	level1 = g->nsfx;
	for (i = 0; i < level1; i++) {
		const struct affix *a1 = &d->aff[g->sfx[i].aff];

		for (k = 0; k < a1->ncont; k++) {
			affixes_of(d, a1->cont[k], &lo, &hi);
			for (j = lo; j < hi; j++) {
				const struct affix *a2 =
					&d->aff[d->byflag[j].idx];

				if (a2->prefix)
					continue;
				/* the string stays put when cand.v grows */
				err = apply(d, a2, g->cand.v[g->sfx[i].form],
					    g, &made);
				if (err)
					return err;
				if (made)
					add_sfx(g, d->byflag[j].idx,
						a1->cross && a2->cross);
			}
		}
	}
	return RF_OK;
}

/* Every prefix of flags fl, alone and across the cross-product suffixes. */
static enum rf_err
gen_prefixes(const struct lemma_dict *d, const char *root,
	     const uint32_t *fl, size_t nfl, struct gen *g)
{
	size_t i, j, k, lo, hi;
	enum rf_err err;
	bool made;

	for (i = 0; i < nfl; i++) {
		affixes_of(d, fl[i], &lo, &hi);
		for (j = lo; j < hi; j++) {
			const struct affix *p = &d->aff[d->byflag[j].idx];

			if (!p->prefix)
				continue;
			err = apply(d, p, root, g, &made);
			if (err)
				return err;
			if (!p->cross)
				continue;
			for (k = 0; k < g->nsfx; k++) {
				if (!g->sfx[k].cross)
					continue;
				/* the prefix's condition is tested on the
				 * suffixed word, as hunspell does */
				err = apply(d, p, g->cand.v[g->sfx[k].form],
					    g, &made);
				if (err)
					return err;
			}
		}
	}
	return RF_OK;
}

/* Whether hunspell accepts form and names stem among its stems. */
static bool
form_ok(Hunhandle *hs, const char *form, const char *stem)
{
	char **list = NULL;
	bool ok = false;
	int n, i;

	if (!Hunspell_spell(hs, form))
		return false;
	n = Hunspell_stem(hs, &list, form);
	for (i = 0; i < n && !ok; i++)
		ok = strcmp(list[i], stem) == 0;
	if (list)
		Hunspell_free_list(hs, &list, n);
	return ok;
}

/* Adds the forms of one .dic entry to out. */
static enum rf_err
expand_entry(struct lemma_dict *d, const struct dic_entry *e,
	     struct lemma_forms *out)
{
	uint32_t fl[RF_LEMMA_FLAGS_MAX];
	size_t nfl = 0, i;
	struct gen g = { 0 };
	enum rf_err err;

	forms_add(out, e->word, strlen(e->word));
	if (!*e->flags)
		return RF_OK;
	err = parse_flags(d, e->flags, strlen(e->flags), true, fl, &nfl);
	if (err)
		return err == RF_ETOOBIG ? err : RF_EPARSE;
	lemma_forms_init(&g.cand);
	err = gen_suffixes(d, e->word, fl, nfl, &g);
	if (!err)
		err = gen_prefixes(d, e->word, fl, nfl, &g);
	if (err)
		goto out;
	forms_sort_unique(&g.cand);
	for (i = 0; i < g.cand.n; i++) {
		if (strcmp(g.cand.v[i], e->word) != 0 &&
		    form_ok(d->hs, g.cand.v[i], e->word)) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			out->v[out->n++] = g.cand.v[i];
			g.cand.v[i] = NULL;
		}
	}
out:
	lemma_forms_release(&g.cand);
	free(g.sfx);
	return err;
}

/* Checks a word given by the caller. */
static bool
word_ok(const char *w)
{
	size_t len = strlen(w);

	return len > 0 && len <= RF_LEMMA_WORD_MAX &&
	       utf8_valid(w, len, NULL) && !strpbrk(w, " \t\r\n/");
}

enum rf_err
lemma_expand(struct lemma_dict *d, const char *lemma,
	     struct lemma_forms *out)
{
	size_t *found = NULL, nfound = 0, afound = 0, nexact = 0, i, s, mask;
	uint32_t h;
	enum rf_err err = RF_OK;

	forms_clear(out);
	if (!word_ok(lemma))
		return RF_EINVAL;
	h = fold_hash(lemma);
	mask = d->nslots - 1;
	for (s = h & mask; d->slots[s]; s = (s + 1) & mask) {
		size_t ei = d->slots[s] - 1;
		const struct dic_entry *e = &d->ent[ei];

		if (e->hash != h || !fold_equal(e->word, lemma))
			continue;
		ALLOC_GROW(found, nfound + 1, afound);
		found[nfound++] = ei;
		if (strcmp(e->word, lemma) == 0)
			nexact++;
	}
	if (nfound == 0) {
		err = RF_ENOENT;
		goto out;
	}
	/* Probing order is not file order: sort, for a stable result. */
	for (i = 1; i < nfound; i++) {
		size_t v = found[i], j = i;

		while (j > 0 && found[j - 1] > v) {
			found[j] = found[j - 1];
			j--;
		}
		found[j] = v;
	}
	for (i = 0; i < nfound; i++) {
		const struct dic_entry *e = &d->ent[found[i]];

		if (nexact > 0 && strcmp(e->word, lemma) != 0)
			continue;
		err = expand_entry(d, e, out);
		if (err)
			goto out;
	}
	forms_sort_unique(out);
out:
	free(found);
	if (err)
		forms_clear(out);
	return err;
}

enum rf_err
lemma_stems(struct lemma_dict *d, const char *word, struct lemma_forms *out)
{
	char **list = NULL;
	int n, i;

	forms_clear(out);
	if (!word_ok(word))
		return RF_EINVAL;
	n = Hunspell_stem(d->hs, &list, word);
	for (i = 0; i < n; i++)
		forms_add(out, list[i], strlen(list[i]));
	if (list)
		Hunspell_free_list(d->hs, &list, n);
	forms_sort_unique(out);
	return RF_OK;
}
