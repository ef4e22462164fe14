/*
 * atoms.c: a conservative extractor of literal atoms from a regex: a set
 * of lower-case strings such that every match contains at least one of
 * them. The literal prefilter looks for atoms first and runs PCRE2 only
 * for rules whose atoms occur; the linter warns about patterns without
 * useful atoms, which would run on every document.
 *
 * It understands concatenation, alternation, groups, small character
 * classes and quantifiers, and gives up (no atoms) on anything else;
 * giving up is always safe, inventing an atom never is.
 */
#include "config.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "common/banned.h"

#define SET_MAX 64	/* strings in one set before we stop expanding */
#define PRE_MAX 256	/* strings in a prefix set */

/* What is known about the strings a regex node matches. */
struct info {
	bool exact_ok;		/* exact holds every string it matches */
	struct atom_set exact;
	bool req_ok;		/* every match contains one of req */
	struct atom_set req;
	bool req2_ok;		/* ... and one of req2, another part's */
	struct atom_set req2;
	bool pre_ok;		/* every match starts with one of pre */
	struct atom_set pre;
	/* every match starts with a character \s matches: a prefix set of
	 * its own would be of no use, but after a lone letter it tells
	 * the letter as a word ("с опытом") from the letter in one */
	bool space;
};

struct rx {
	const char *p, *end;
	bool fail;		/* syntax we do not follow: no atoms at all */
	bool nopre;		/* \K moves a match's start: no prefix set */
};

static void
set_add(struct atom_set *s, const char *str, size_t len)
{
	size_t i;

	/* strncmp stops at the end of a shorter atom; none holds a NUL */
	for (i = 0; i < s->n; i++)
		if (strncmp(s->atoms[i], str, len) == 0 &&
		    s->atoms[i][len] == '\0')
			return;
	s->atoms = xreallocarray(s->atoms, s->n + 1, sizeof(*s->atoms));
	s->atoms[s->n++] = xmemdupz(str, len);
}

void
atom_set_release(struct atom_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->atoms[i]);
	free(s->atoms);
	s->atoms = NULL;
	s->n = 0;
}

static void
set_copy(struct atom_set *dst, const struct atom_set *src)
{
	size_t i;

	for (i = 0; i < src->n; i++)
		set_add(dst, src->atoms[i], strlen(src->atoms[i]));
}

static size_t
set_min_len(const struct atom_set *s)
{
	size_t i, min = (size_t)-1;

	for (i = 0; i < s->n; i++)
		if (strlen(s->atoms[i]) < min)
			min = strlen(s->atoms[i]);
	return s->n ? min : 0;
}

/* Characters in a set's shortest atom: what makes an atom selective. */
static size_t
set_min_chars(const struct atom_set *s)
{
	size_t i, min = (size_t)-1;

	for (i = 0; i < s->n; i++) {
		size_t c = 0;
		const char *q;

		for (q = s->atoms[i]; *q; q++)
			c += ((unsigned char)*q & 0xC0) != 0x80;
		if (c < min)
			min = c;
	}
	return s->n ? min : 0;
}

static void
info_init(struct info *in)
{
	memset(in, 0, sizeof(*in));
}

static void
info_release(struct info *in)
{
	atom_set_release(&in->exact);
	atom_set_release(&in->req);
	atom_set_release(&in->req2);
	atom_set_release(&in->pre);
	in->exact_ok = in->req_ok = in->req2_ok = in->pre_ok = false;
}

/* The node matches only the empty string (anchors, lookarounds). */
static void
info_empty(struct info *in)
{
	info_init(in);
	in->exact_ok = true;
	set_add(&in->exact, "", 0);
	in->pre_ok = true;
	set_add(&in->pre, "", 0);
}

/* The node matches something we cannot describe. */
static void
info_unknown(struct info *in)
{
	info_init(in);
}

/* The lower case of a code point, for the scripts of the region. */
uint32_t
atom_fold(uint32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	/* lower-case Cyrillic, most of what the matcher asks about */
	if (c >= 0x430 && c <= 0x45F)
		return c;
	if ((c >= 0xC0 && c <= 0xDE && c != 0xD7) ||
	    (c >= 0x391 && c <= 0x3AB && c != 0x3A2) ||
	    (c >= 0x410 && c <= 0x42F))
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		return c + 80;
	if ((c >= 0x100 && c <= 0x17F && c != 0x130 && c != 0x131 &&
	     !(c >= 0x138 && c <= 0x148) && c != 0x178 &&
	     !(c >= 0x179 && c <= 0x17E)) ||
	    (c >= 0x460 && c <= 0x4BF) || (c >= 0x4D0 && c <= 0x4FF))
		return c | 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) ||
	    (c >= 0x4C1 && c <= 0x4CE))
		return (c & 1) ? c + 1 : c;
	if (c == 0x130)
		return 'i';
	return c;
}

static void
add_cp(struct atom_set *s, uint32_t cp)
{
	char u[4];
	size_t n = utf8_encode(atom_fold(cp), u);

	set_add(s, u, n);
}

static void info_alt(struct rx *x, struct info *out);
static void quantify(struct rx *x, struct info *in);

/* What \s matches with PCRE2_UCP: \h, \v and the Zs spaces. */
static const uint32_t space_cps[] = {
	'\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x180E,
	0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007,
	0x2008, 0x2009, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
};

bool
atom_is_space(uint32_t cp)
{
	size_t i;

	if (cp < 0x80)
		return cp == ' ' || (cp >= '\t' && cp <= '\r');
	/* letters of the region's scripts, asked about most, come first */
	if (cp < 0x1680)
		return cp == 0x85 || cp == 0xA0;
	for (i = 0; i < RF_ARRAY_SIZE(space_cps); i++)
		if (space_cps[i] == cp)
			return true;
	return false;
}

bool
atom_prefix_letter(uint32_t cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 0xC0 && cp < 0x2000);
}

/* \s, with its quantifier: nothing known but whether it is a space. */
static void
info_space(struct rx *x, struct info *out)
{
	info_unknown(out);
	out->space = true;
	quantify(x, out);
}

/* Reads one code point at x->p (valid UTF-8 assumed). */
static uint32_t
next_cp(struct rx *x)
{
	uint32_t cp;
	size_t n = utf8_decode(x->p, (size_t)(x->end - x->p), &cp);

	x->p += n ? n : 1;
	return cp;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

/*
 * An escape after '\'. Sets *cp and returns 1 for a literal character,
 * 0 for an empty-width assertion, -1 for anything else.
 */
static int
escape(struct rx *x, uint32_t *cp)
{
	char c;

	if (x->p >= x->end) {
		x->fail = true;
		return -1;
	}
	c = *x->p;
	if (strchr("bBAzZG", c)) {
		x->p++;
		return 0;
	}
	if (c == 'n' || c == 't' || c == 'r' || c == 'f' || c == 'e') {
		x->p++;
		*cp = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r'
		      : c == 'f' ? '\f' : 0x1B;
		return 1;
	}
	if (c == 'x') {
		uint32_t v = 0;

		x->p++;
		if (x->p < x->end && *x->p == '{') {
			x->p++;
			while (x->p < x->end && is_hex(*x->p))
				v = v * 16 + (uint32_t)(*x->p <= '9'
					? *x->p - '0' : (*x->p | 32) - 'a' + 10),
				x->p++;
			if (x->p >= x->end || *x->p != '}') {
				x->fail = true;
				return -1;
			}
			x->p++;
		} else {
			int i;

			for (i = 0; i < 2 && x->p < x->end && is_hex(*x->p);
			     i++, x->p++)
				v = v * 16 + (uint32_t)(*x->p <= '9'
					? *x->p - '0' : (*x->p | 32) - 'a' + 10);
		}
		*cp = v;
		return 1;
	}
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9')) {
		/* classes (\w \d \p{..}), back references, octal and
		 * control characters, \K: not a literal we know; the whole
		 * escape is consumed, so what follows is read as itself */
		x->p++;
		if ((c == 'p' || c == 'P' || c == 'o' || c == 'N') &&
		    x->p < x->end && *x->p == '{') {
			while (x->p < x->end && *x->p != '}')
				x->p++;
			if (x->p < x->end)
				x->p++;
		} else if (c >= '0' && c <= '9') {
			while (x->p < x->end && *x->p >= '0' && *x->p <= '9')
				x->p++;
		} else if (c == 'c') {
			if (x->p < x->end)
				next_cp(x);
		} else if (c == 'K') {
			x->nopre = true;
		} else if (c == 'k' || c == 'g' || c == 'Q' || c == 'E') {
			x->fail = true;	/* named references, quoting */
		}
		return -1;
	}
	*cp = next_cp(x);	/* an escaped punctuation character */
	return 1;
}

/* [...] : a small class of plain characters is an exact set; a larger
 * one ([0-9]) still tells what a match starts with. */
static void
info_class(struct rx *x, struct info *out)
{
	bool negate = false, plain = true, first = true;
	uint32_t prev = 0, cp;
	int r;

	info_init(out);
	x->p++;	/* '[' */
	if (x->p < x->end && *x->p == '^') {
		negate = true;
		x->p++;
	}
	while (x->p < x->end && (*x->p != ']' || first)) {
		first = false;
		if (*x->p == '[' && x->p + 1 < x->end && x->p[1] == ':') {
			/* [:alpha:] */
			const char *close = strstr(x->p, ":]");

			if (!close || close >= x->end) {
				x->fail = true;
				return;
			}
			x->p = close + 2;
			plain = false;
			continue;
		}
		if (*x->p == '\\') {
			x->p++;
			r = escape(x, &cp);
			if (r != 1) {
				plain = false;
				continue;
			}
		} else if (*x->p == '-' && prev && x->p + 1 < x->end &&
			   x->p[1] != ']') {
			uint32_t hi;

			x->p++;
			if (*x->p == '\\') {
				x->p++;
				if (escape(x, &hi) != 1) {
					plain = false;
					continue;
				}
			} else {
				hi = next_cp(x);
			}
			if (hi < prev || hi - prev > SET_MAX) {
				plain = false;
				continue;
			}
			for (cp = prev + 1; cp <= hi; cp++)
				add_cp(&out->exact, cp);
			prev = 0;
			continue;
		} else {
			cp = next_cp(x);
		}
		add_cp(&out->exact, cp);
		prev = cp;
	}
	if (x->p >= x->end) {
		x->fail = true;
		return;
	}
	x->p++;	/* ']' */
	if (negate || !plain || out->exact.n > SET_MAX ||
	    out->exact.n == 0) {
		info_release(out);
		info_unknown(out);
		return;
	}
	if (out->exact.n > 8) {
		/* too many to cross with what follows */
		out->pre = out->exact;
		out->pre_ok = true;
		memset(&out->exact, 0, sizeof(out->exact));
		return;
	}
	out->exact_ok = true;
}

/* Skips to the ')' that closes a group with no nested groups. */
static void
skip_to_close(struct rx *x)
{
	while (x->p < x->end && *x->p != ')')
		x->p++;
	if (x->p < x->end)
		x->p++;
	else
		x->fail = true;
}

/* '(' ... ')' */
static void
info_group(struct rx *x, struct info *out)
{
	x->p++;	/* '(' */
	if (x->p < x->end && *x->p == '*') {
		/* a verb such as (*COMMIT) or (*SKIP): it changes where
		 * matches can start */
		x->fail = true;
		info_unknown(out);
		return;
	}
	if (x->p < x->end && *x->p == '?') {
		const char *q = x->p + 1;
		char c = q < x->end ? *q : 0;

		if (c == '#' || c == 'C') {
			/* a comment or a callout: matches nothing */
			x->p = q;
			skip_to_close(x);
			info_empty(out);
			return;
		}
		if (c == '(') {
			x->fail = true;	/* a conditional group */
			info_unknown(out);
			return;
		}
		if (c == 'R' || c == '&' || c == '+' ||
		    (c >= '0' && c <= '9') ||
		    (c == '-' && q + 1 < x->end && q[1] >= '0' &&
		     q[1] <= '9') ||
		    (c == 'P' && q + 1 < x->end &&
		     (q[1] == '=' || q[1] == '>'))) {
			/* a back reference or a call of another group:
			 * matches what we cannot know here */
			x->p = q;
			skip_to_close(x);
			info_unknown(out);
			return;
		}
		if (c == '>' || c == '|') {
			/* atomic and branch-reset groups hold the same
			 * strings as plain ones */
			x->p = q + 1;
			info_alt(x, out);
			goto close;
		}
		if (q < x->end && (*q == '=' || *q == '!' ||
				   (*q == '<' && q + 1 < x->end &&
				    (q[1] == '=' || q[1] == '!')))) {
			/* a lookaround: zero width; skip it whole */
			struct info skip;
			x->p = q + (*q == '<' ? 2 : 1);
			info_alt(x, &skip);
			info_release(&skip);
			info_empty(out);
			goto close;
		}
		if (q < x->end && *q == ':') {
			x->p = q + 1;
		} else if (q < x->end && (*q == '<' || *q == 'P' ||
					  *q == '\'')) {
			/* a named group: skip the name */
			while (x->p < x->end && *x->p != '>' && *x->p != '\'')
				x->p++;
			x->p++;
		} else {
			/* inline options such as (?i) or (?s: ...); x
			 * changes how the rest reads, and anything else is
			 * syntax we do not follow */
			while (q < x->end && *q != ')' && *q != ':') {
				if (*q == 'x' || !strchr("imnsJU-^", *q))
					x->fail = true;
				q++;
			}
			if (q < x->end && *q == ')') {
				x->p = q + 1;
				info_empty(out);
				return;
			}
			x->p = q + 1;
		}
	}
	info_alt(x, out);
close:
	if (x->p >= x->end || *x->p != ')') {
		x->fail = true;
		return;
	}
	x->p++;
}

/* The best requirement a node gives: its exact set if it has no empty
 * string, else its requirement set. Returns NULL when none. */
static const struct atom_set *
info_best(const struct info *in)
{
	if (in->exact_ok && set_min_len(&in->exact) > 0)
		return &in->exact;
	if (in->req_ok && set_min_len(&in->req) > 0)
		return &in->req;
	return NULL;
}

/*
 * The common words' suffixes, sorted: an atom is inside a common word
 * when it starts one of them. Searching the list is a binary search; a
 * compile asks tens of thousands of times, which memmem over the whole
 * list made a quarter of a cold compile.
 */
static uint32_t *cw_suffix;
static size_t cw_nsuffix;
static pthread_once_t cw_once = PTHREAD_ONCE_INIT;

/* The byte at s, with the newline that ends a word as -1. */
static int
cw_byte(const char *s)
{
	return *s == '\n' ? -1 : (unsigned char)*s;
}

static int
cw_cmp(const void *a, const void *b)
{
	const char *p = common_words + *(const uint32_t *)a;
	const char *q = common_words + *(const uint32_t *)b;

	while (cw_byte(p) == cw_byte(q) && *p != '\n') {
		p++;
		q++;
	}
	return cw_byte(p) - cw_byte(q);
}

static void
cw_build(void)
{
	size_t i;

	cw_suffix = xcalloc(common_words_len + 1, sizeof(*cw_suffix));
	for (i = 0; i < common_words_len; i++)
		if (common_words[i] != '\n' &&
		    ((unsigned char)common_words[i] & 0xC0) != 0x80)
			cw_suffix[cw_nsuffix++] = (uint32_t)i;
	qsort(cw_suffix, cw_nsuffix, sizeof(*cw_suffix), cw_cmp);
}

/* <0, 0 or >0 as the atom a sorts before, as a prefix of, or after the
 * suffix at off. */
static int
cw_cmp_atom(const char *a, uint32_t off)
{
	const char *q = common_words + off;

	for (; *a; a++, q++) {
		int x = (unsigned char)*a, y = cw_byte(q);

		if (x != y)
			return x - y;
	}
	return 0;
}

bool
atom_common(const char *a)
{
	size_t n = strlen(a), lo = 0, hi;

	/* a newline in an atom would match across two words */
	if (n == 0 || memchr(a, '\n', n))
		return false;
	pthread_once(&cw_once, cw_build);
	hi = cw_nsuffix;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cw_cmp_atom(a, cw_suffix[mid]);

		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

/* Whether some atom of s is part of a common word (see weak()). */
static bool
set_common(const struct atom_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (atom_common(s->atoms[i]))
			return true;
	return false;
}

/*
 * Whether a set is a poor requirement: an atom of fewer than 3 characters,
 * or one inside a word that most documents have ("работ" in "работа"). Such a
 * set lets its rule through to PCRE2 on most documents.
 */
static bool
weak(size_t chars, bool common)
{
	return chars < 3 || common;
}

static bool set_everywhere(const struct atom_set *s);

/*
 * Whether candidate a is a better requirement than b: one that not every
 * text has beats one that every text has (set_everywhere); a set that is
 * not weak beats one that is ("люб" beats "работ" in "любая работа"); then
 * one without a common atom; then the longer shortest atom, then the
 * smaller set.
 */
static bool
better(const struct atom_set *a, const struct atom_set *b)
{
	size_t la, lb;
	bool wa, wb, ca, cb, ea, eb;

	if (!b)
		return true;
	/* a set every text has filters nothing, and atoms_extract drops
	 * it as a second set: any other beats it */
	ea = set_everywhere(a);
	eb = set_everywhere(b);
	if (ea != eb)
		return eb;
	la = set_min_chars(a);
	lb = set_min_chars(b);
	ca = set_common(a);
	cb = set_common(b);
	wa = weak(la, ca);
	wb = weak(lb, cb);
	if (wa != wb)
		return wb;
	/* two short sets: "$" beats "в", which every text has */
	if (ca != cb)
		return cb;
	if (la != lb)
		return la > lb;
	return a->n < b->n;
}

/* Applies a quantifier at x->p, if any, to in. */
static void
quantify(struct rx *x, struct info *in)
{
	long lo = -1;
	bool once = false;	/* at most once: ? */
	const char *save;

	if (x->p >= x->end)
		return;
	switch (*x->p) {
	case '*':
	case '?':
		once = *x->p == '?';
		lo = 0;
		x->p++;
		break;
	case '+':
		lo = 1;
		x->p++;
		break;
	case '{':
		save = x->p;
		x->p++;
		lo = 0;
		if (x->p >= x->end || *x->p < '0' || *x->p > '9') {
			/* a literal '{' */
			x->p = save;
			return;
		}
		/* only whether the count is 0 matters: stop before it
		 * could overflow */
		for (; x->p < x->end && *x->p >= '0' && *x->p <= '9'; x->p++)
			if (lo < 1000000)
				lo = lo * 10 + (*x->p - '0');
		while (x->p < x->end && *x->p != '}')
			x->p++;
		if (x->p >= x->end) {
			x->fail = true;
			return;
		}
		x->p++;
		break;
	default:
		return;
	}
	if (x->p < x->end && (*x->p == '?' || *x->p == '+'))
		x->p++;	/* lazy or possessive */
	if (once && in->exact_ok && in->exact.n < SET_MAX) {
		/* its strings or the empty one: still exact, so "о?плат"
		 * is оплат or плат, no longer a requirement */
		atom_set_release(&in->req);
		atom_set_release(&in->req2);
		in->req_ok = in->req2_ok = false;
		set_add(&in->exact, "", 0);
		if (in->pre_ok)
			set_add(&in->pre, "", 0);
		return;
	}
	if (lo == 0) {
		/* may match nothing: no longer a requirement, and what it
		 * starts with, or nothing */
		struct atom_set pre = in->pre;
		bool pre_ok = in->pre_ok;

		memset(&in->pre, 0, sizeof(in->pre));
		info_release(in);
		info_unknown(in);
		if (pre_ok) {
			in->pre = pre;
			set_add(&in->pre, "", 0);
			in->pre_ok = true;
		} else {
			atom_set_release(&pre);
		}
		return;
	}
	/* one or more: still required, no longer exact */
	if (in->exact_ok && !in->req_ok && set_min_len(&in->exact) > 0) {
		set_copy(&in->req, &in->exact);
		in->req_ok = true;
	}
	atom_set_release(&in->exact);
	in->exact_ok = false;
}

/* One item of a concatenation, with its quantifier. */
static void
info_item(struct rx *x, struct info *out)
{
	uint32_t cp;
	int r;

	switch (*x->p) {
	case '(':
		info_group(x, out);
		break;
	case '[':
		info_class(x, out);
		break;
	case '.':
		x->p++;
		info_unknown(out);
		break;
	case '^':
	case '$':
		x->p++;
		info_empty(out);
		return;
	case '\\':
		x->p++;
		if (x->p < x->end && *x->p == 's') {
			x->p++;
			info_space(x, out);
			return;
		}
		r = escape(x, &cp);
		if (r == 1) {
			info_init(out);
			out->exact_ok = true;
			add_cp(&out->exact, cp);
		} else if (r == 0) {
			info_empty(out);
		} else {
			info_unknown(out);
		}
		break;
	default:
		cp = next_cp(x);
		info_init(out);
		out->exact_ok = true;
		add_cp(&out->exact, cp);
	}
	/* an exact node starts with one of its strings */
	if (out->exact_ok && !out->pre_ok) {
		set_copy(&out->pre, &out->exact);
		out->pre_ok = true;
	}
	quantify(x, out);
}

/* Cross product of run and item into run, if it stays small. */
static bool
cross(struct atom_set *run, const struct atom_set *item)
{
	struct atom_set next = { 0 };
	struct buf b;
	size_t i, j;

	if (run->n * item->n > SET_MAX)
		return false;
	buf_init(&b, ATOM_MAX);
	for (i = 0; i < run->n; i++) {
		for (j = 0; j < item->n; j++) {
			buf_reset(&b);
			buf_addstr(&b, run->atoms[i]);
			buf_addstr(&b, item->atoms[j]);
			if (buf_failed(&b)) {
				buf_release(&b);
				atom_set_release(&next);
				return false;
			}
			set_add(&next, b.data, b.len);
		}
	}
	buf_release(&b);
	atom_set_release(run);
	*run = next;
	return true;
}

/* The two best requirements of a sequence so far. */
struct best2 {
	bool have, have2;
	struct atom_set best, second;
};

/* Offers cand as a requirement; keeps the two best. */
static void
keep_best(struct best2 *b, const struct atom_set *cand)
{
	if (!cand || set_min_len(cand) == 0)
		return;
	if (!b->have || better(cand, &b->best)) {
		if (b->have) {
			atom_set_release(&b->second);
			b->second = b->best;
			b->have2 = true;
		}
		memset(&b->best, 0, sizeof(b->best));
		set_copy(&b->best, cand);
		b->have = true;
	} else if (!b->have2 || better(cand, &b->second)) {
		atom_set_release(&b->second);
		set_copy(&b->second, cand);
		b->have2 = true;
	}
}

/* Cuts each string of s to its first chars characters. */
static void
set_truncate(struct atom_set *s, size_t chars)
{
	struct atom_set t = { 0 };
	size_t i;

	for (i = 0; i < s->n; i++) {
		const char *a = s->atoms[i];
		size_t b = 0, c = 0;

		while (a[b] && c < chars) {
			b++;
			while (((unsigned char)a[b] & 0xC0) == 0x80)
				b++;
			c++;
		}
		set_add(&t, a, b);
	}
	atom_set_release(s);
	*s = t;
}

/*
 * Adds the strings of src to the prefix set dst. A prefix of a prefix is
 * one too, so when the union would pass PRE_MAX both are cut shorter
 * (to 4 characters, then 3, then 2) until it fits. False when it does
 * not.
 */
static bool
pre_union(struct atom_set *dst, const struct atom_set *src)
{
	struct atom_set t = { 0 };
	size_t chars;

	if (dst->n + src->n <= PRE_MAX) {
		set_copy(dst, src);
		return true;
	}
	set_copy(&t, src);
	for (chars = 4; chars >= 2; chars--) {
		set_truncate(dst, chars);
		set_truncate(&t, chars);
		if (dst->n + t.n <= PRE_MAX) {
			set_copy(dst, &t);
			atom_set_release(&t);
			return true;
		}
	}
	atom_set_release(&t);
	return false;
}

/* Adds the strings of src but the empty one to the prefix set dst. */
static bool
pre_add_nonempty(struct atom_set *dst, const struct atom_set *src,
		 bool *had_empty)
{
	struct atom_set t = { 0 };
	size_t i;
	bool ok;

	for (i = 0; i < src->n; i++) {
		if (src->atoms[i][0])
			set_add(&t, src->atoms[i], strlen(src->atoms[i]));
		else
			*had_empty = true;
	}
	ok = pre_union(dst, &t);
	atom_set_release(&t);
	return ok;
}

/*
 * What a sequence starts with, item by item: the exact strings its
 * leading items cross to (prun); where those may be empty, the prefixes
 * of the next item; where that item may match nothing too (x?, \b), of
 * the items after it.
 */
struct prefix_walk {
	bool open;		/* the sequence so far may match nothing */
	bool ok;
	struct atom_set pre;	/* prefixes found, none empty */
	struct atom_set prun;	/* exact strings since the last open item */
};

/*
 * Where the exact run holds a lone letter ("с", "в") and the item after
 * it starts with a space (\s+), the run's lone letters are followed by
 * each space: "с " is a word, "с" is in nearly every one. The run and
 * the item are then the whole prefix. False, nothing changed, when that
 * does not apply.
 */
static bool
lone_cross(struct prefix_walk *w, const struct info *item)
{
	struct atom_set t = { 0 };
	bool lone = false, ok;
	size_t i, j, n;
	uint32_t cp;
	char u[8];

	if (!item->space || set_min_len(&w->prun) == 0 ||
	    w->prun.n * RF_ARRAY_SIZE(space_cps) > PRE_MAX)
		return false;
	for (i = 0; i < w->prun.n; i++) {
		const char *a = w->prun.atoms[i];

		n = utf8_decode(a, strlen(a), &cp);
		if (n && !a[n] && atom_prefix_letter(cp))
			lone = true;
	}
	if (!lone)
		return false;
	for (i = 0; i < w->prun.n; i++) {
		const char *a = w->prun.atoms[i];

		n = utf8_decode(a, strlen(a), &cp);
		if (!n || a[n] || !atom_prefix_letter(cp)) {
			set_add(&t, a, strlen(a));
			continue;
		}
		/* a letter and a space: at most 3 + 3 bytes */
		memcpy(u, a, n);
		for (j = 0; j < RF_ARRAY_SIZE(space_cps); j++)
			set_add(&t, u, n + utf8_encode(space_cps[j], u + n));
	}
	ok = pre_union(&w->pre, &t);
	atom_set_release(&t);
	if (!ok)
		w->ok = false;
	atom_set_release(&w->prun);
	set_add(&w->prun, "", 0);
	w->open = false;
	return true;
}

static void
prefix_walk_item(struct prefix_walk *w, const struct info *item)
{
	bool empty = false;

	if (!w->open || !w->ok)
		return;
	if (item->exact_ok && cross(&w->prun, &item->exact))
		return;
	/* the exact run ends here */
	if (lone_cross(w, item))
		return;
	if (!pre_add_nonempty(&w->pre, &w->prun, &empty)) {
		w->ok = false;
		return;
	}
	atom_set_release(&w->prun);
	set_add(&w->prun, "", 0);
	if (!empty) {
		w->open = false;
		return;
	}
	/* it may have been empty: the item decides */
	empty = false;
	if (!item->pre_ok || !pre_add_nonempty(&w->pre, &item->pre, &empty)) {
		w->ok = false;
		return;
	}
	w->open = empty;
}

/* The walk's answer into out; the sequence is over. */
static void
prefix_walk_end(struct prefix_walk *w, struct info *out)
{
	bool empty = false;

	if (w->ok && w->open && !pre_add_nonempty(&w->pre, &w->prun, &empty))
		w->ok = false;
	if (w->ok && empty)
		set_add(&w->pre, "", 0);	/* the sequence may be empty */
	out->pre_ok = w->ok;
	if (w->ok) {
		out->pre = w->pre;
		memset(&w->pre, 0, sizeof(w->pre));
	}
	atom_set_release(&w->pre);
	atom_set_release(&w->prun);
}

static void
info_concat(struct rx *x, struct info *out)
{
	struct atom_set run = { 0 };
	struct best2 b = { 0 };
	struct prefix_walk w = { true, true, { 0 }, { 0 } };
	bool all_exact = true;

	set_add(&run, "", 0);
	set_add(&w.prun, "", 0);
	info_init(out);
	while (x->p < x->end && *x->p != '|' && *x->p != ')' && !x->fail) {
		struct info item;

		info_item(x, &item);
		prefix_walk_item(&w, &item);
		if (item.exact_ok && cross(&run, &item.exact)) {
			info_release(&item);
			continue;
		}
		/* the run of exact strings ends here: it is a candidate. The
		 * sequence is no longer one set of exact strings, even when
		 * this item is exact (its strings would be too many or too
		 * long to cross): what run keeps from here on is only a part
		 * of each match, not a whole one nor its start */
		keep_best(&b, &run);
		all_exact = false;
		keep_best(&b, info_best(&item));
		if (item.req2_ok)
			keep_best(&b, &item.req2);
		atom_set_release(&run);
		if (item.exact_ok) {
			/* too many strings to cross: restart from this item */
			set_copy(&run, &item.exact);
		} else {
			set_add(&run, "", 0);
		}
		info_release(&item);
	}
	if (all_exact) {
		out->exact_ok = true;
		set_copy(&out->exact, &run);
	}
	prefix_walk_end(&w, out);
	keep_best(&b, &run);
	if (b.have) {
		out->req_ok = true;
		out->req = b.best;
	}
	if (b.have2) {
		out->req2_ok = true;
		out->req2 = b.second;
	}
	atom_set_release(&run);
}

static void
info_alt(struct rx *x, struct info *out)
{
	bool first = true;

	info_init(out);
	for (;;) {
		struct info br;
		const struct atom_set *b;

		info_concat(x, &br);
		if (first) {
			*out = br;
			first = false;
		} else {
			/* exact: union; requirement: union of each best */
			if (out->exact_ok && br.exact_ok &&
			    out->exact.n + br.exact.n <= SET_MAX)
				set_copy(&out->exact, &br.exact);
			else {
				atom_set_release(&out->exact);
				out->exact_ok = false;
			}
			b = info_best(&br);
			if (out->req_ok && b) {
				set_copy(&out->req, b);
			} else {
				atom_set_release(&out->req);
				out->req_ok = false;
			}
			/* a match starts with a prefix of its branch */
			if (!out->pre_ok || !br.pre_ok ||
			    !pre_union(&out->pre, &br.pre)) {
				atom_set_release(&out->pre);
				out->pre_ok = false;
			}
			/* a second requirement only if every branch has one:
			 * the union of the branches' seconds */
			if (out->req_ok && out->req2_ok && br.req2_ok &&
			    out->req2.n + br.req2.n <= SET_MAX) {
				set_copy(&out->req2, &br.req2);
			} else {
				atom_set_release(&out->req2);
				out->req2_ok = false;
			}
			info_release(&br);
		}
		if (x->p < x->end && *x->p == '|') {
			x->p++;
			continue;
		}
		break;
	}
	/* a lone branch's exact set is its requirement too */
	if (!out->req_ok && out->exact_ok && set_min_len(&out->exact) > 0) {
		set_copy(&out->req, &out->exact);
		out->req_ok = true;
	}
}

/* Whether a and b hold the same strings. */
static bool
set_equal(const struct atom_set *a, const struct atom_set *b)
{
	size_t i, j;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++) {
		for (j = 0; j < b->n; j++)
			if (strcmp(a->atoms[i], b->atoms[j]) == 0)
				break;
		if (j == b->n)
			return false;
	}
	return true;
}

/*
 * Drops the strings of s that another one makes redundant: for a
 * requirement, one that contains another ("abc" beside "ab"); for a
 * prefix set, one that starts with another.
 */
static void
set_minimize(struct atom_set *s, bool prefix)
{
	bool *drop = xcalloc(s->n + 1, sizeof(*drop));
	size_t i, j, k = 0;

	for (i = 0; i < s->n; i++) {
		const char *a = s->atoms[i];
		size_t la = strlen(a);

		for (j = 0; j < s->n && !drop[i]; j++) {
			const char *b = s->atoms[j];
			size_t lb = strlen(b);

			/* of equal strings, the first stays */
			if (i == j || lb > la || (lb == la && j > i))
				continue;
			drop[i] = prefix ? memcmp(a, b, lb) == 0
					 : memmem(a, la, b, lb) != NULL;
		}
	}
	for (i = 0; i < s->n; i++) {
		if (drop[i])
			free(s->atoms[i]);
		else
			s->atoms[k++] = s->atoms[i];
	}
	s->n = k;
	free(drop);
}

/*
 * Whether some atom of s is a short common word or part of one ("в",
 * "за", "е"): nearly every text has it many times, so the set filters
 * nothing and the prefilter visits it at each place.
 */
static bool
set_everywhere(const struct atom_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		const char *q;
		size_t c = 0;

		for (q = s->atoms[i]; *q && c <= 2; q++)
			c += ((unsigned char)*q & 0xC0) != 0x80;
		if (c <= 2 && atom_common(s->atoms[i]))
			return true;
	}
	return false;
}

int
atom_set_rank(const struct atom_set *s)
{
	size_t chars = set_min_chars(s);

	if (chars > 40)
		chars = 40;
	if (set_everywhere(s))
		return 0;
	if (set_common(s))
		return 10 + (int)chars;
	if (chars < 3)
		return 60 + (int)chars;
	return 100 + (int)chars;
}

bool
atoms_extract(const char *re, size_t len, struct atom_set *out,
	      struct atom_set *out2)
{
	struct rx x = { re, re + len, false, false };
	struct info in;
	const struct atom_set *best;

	memset(out, 0, sizeof(*out));
	if (out2)
		memset(out2, 0, sizeof(*out2));
	info_alt(&x, &in);
	if (x.fail || x.p != x.end) {
		info_release(&in);
		return false;
	}
	best = info_best(&in);
	if (best)
		set_copy(out, best);
	if (out2 && best && in.req2_ok && set_min_len(&in.req2) > 0 &&
	    !set_equal(best, &in.req2) && !set_everywhere(&in.req2))
		set_copy(out2, &in.req2);
	info_release(&in);
	set_minimize(out, false);
	if (out2) {
		set_minimize(out2, false);
		if (set_equal(out, out2))
			atom_set_release(out2);
	}
	return out->n > 0;
}

bool
atoms_prefix(const char *re, size_t len, struct atom_set *out)
{
	struct rx x = { re, re + len, false, false };
	struct info in;

	memset(out, 0, sizeof(*out));
	info_alt(&x, &in);
	if (!x.fail && !x.nopre && x.p == x.end && in.pre_ok &&
	    set_min_len(&in.pre) > 0)
		set_copy(out, &in.pre);
	info_release(&in);
	set_minimize(out, true);
	return out->n > 0;
}

size_t
atom_set_min_chars(const struct atom_set *s)
{
	return set_min_chars(s);
}

void
atom_set_copy(struct atom_set *dst, const struct atom_set *src)
{
	size_t i;

	dst->atoms = xcalloc(src->n + 1, sizeof(*dst->atoms));
	for (i = 0; i < src->n; i++)
		dst->atoms[i] = xstrdup(src->atoms[i]);
	dst->n = src->n;
}

bool
atom_set_equal(const struct atom_set *a, const struct atom_set *b)
{
	return set_equal(a, b);
}
