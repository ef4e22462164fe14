/* match.c: the per-thread matcher: PCRE2 over each scoped field. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "text/text.h"
#include "common/banned.h"

struct span {
	size_t pat;
	enum rule_field field;
	enum rule_view view;
	size_t start, end;	/* in the view's text */
};

struct matcher {
	const struct ruleset *rs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	/* per pattern of the rule at hand: whether it has run, matched,
	 * and its spans (spans[first[i]] .. count[i] of them) */
	bool *ran, *matched;
	size_t *first, *count;
	struct span *spans, *spans2;	/* spans2: for reordering */
	size_t nspans, aspans, aspans2;
	/* the document at hand: its views (the folded view and the
	 * transliterated one are made for title and body when a rule first
	 * needs them), and per view and field the byte offsets of word
	 * starts, made when a condition first needs word positions */
	const struct scan_input *in;
	struct fold fold[FIELD_MAX], translit[FIELD_MAX];
	const char *vtext[VIEW_MAX][FIELD_MAX];
	size_t vlen[VIEW_MAX][FIELD_MAX];
	bool view_ready[VIEW_MAX][FIELD_MAX];
	bool folded[VIEW_MAX][FIELD_MAX];	/* the view differs from raw */
	size_t *words[VIEW_MAX][FIELD_MAX];
	size_t nwords[VIEW_MAX][FIELD_MAX], awords[VIEW_MAX][FIELD_MAX];
	bool words_ready[VIEW_MAX][FIELD_MAX];
	bool explain, profile, no_prefilter;
	bool prefiltered;	/* seen[] holds this document's atoms */
	uint64_t *prof;		/* runs, fired, ns, skipped, calls per rule */
	uint64_t calls;		/* pcre2_match calls so far */
	unsigned char *seen;	/* per pattern: an atom occurs */
	/* per field, the contacts, money and ages of its text, found when
	 * a comparison (phones >= 2) first needs them */
	struct entity_list ents[FIELD_MAX];
	bool ents_ready[FIELD_MAX];
	struct prefilter_seen sn;	/* seen, and the list of those seen */
	uint32_t *starts, *starts2;	/* where a pattern may start in a
					 * field; starts2 for merging */
	size_t astarts, astarts2;
	uint32_t *cand;		/* the rules to evaluate, by index */
	uint32_t *stamp;	/* per rule: epoch when last listed */
	uint32_t epoch;
};

struct cond_ctx {
	struct matcher *m;
	const struct rule *r;	/* whose scope comparisons count over */
	size_t errors;		/* patterns that hit a limit */
};

static void need(struct cond_ctx *ctx, size_t i);

#define PROF_N 5	/* counters per rule in matcher.prof */

struct matcher *
matcher_new(const struct ruleset *rs)
{
	struct matcher *m = xcalloc(1, sizeof(*m));

	m->rs = rs;
	m->md = pcre2_match_data_create(32, NULL);
	m->mctx = pcre2_match_context_create(NULL);
	m->jit = pcre2_jit_stack_create(32 * 1024, RF_PCRE2_JIT_STACK_MAX,
					NULL);
	if (!m->md || !m->mctx || !m->jit) {
		/* PCRE2 allocates with malloc: treat failure like xmalloc */
		abort();
	}
	pcre2_set_match_limit(m->mctx, RF_PCRE2_MATCH_LIMIT);
	pcre2_set_depth_limit(m->mctx, RF_PCRE2_MATCH_LIMIT);
	pcre2_jit_stack_assign(m->mctx, NULL, m->jit);
	m->ran = xcalloc(rs->max_patterns + 1, sizeof(*m->ran));
	m->matched = xcalloc(rs->max_patterns + 1, sizeof(*m->matched));
	m->first = xcalloc(rs->max_patterns + 1, sizeof(*m->first));
	prefilter_seen_init(&m->sn, rs->npatterns);
	m->seen = m->sn.seen;
	m->cand = xcalloc(rs->n + 1, sizeof(*m->cand));
	m->stamp = xcalloc(rs->n + 1, sizeof(*m->stamp));
	for (int f = 0; f < FIELD_MAX; f++) {
		fold_init(&m->fold[f]);
		fold_init(&m->translit[f]);
		entity_list_init(&m->ents[f]);
	}
	m->count = xcalloc(rs->max_patterns + 1, sizeof(*m->count));
	return m;
}

void
matcher_set_explain(struct matcher *m, bool on)
{
	m->explain = on;
}

void
matcher_set_profile(struct matcher *m, bool on)
{
	m->profile = on;
	if (on && !m->prof)
		m->prof = xcalloc(m->rs->n * PROF_N + 1, sizeof(*m->prof));
}

void
matcher_set_prefilter(struct matcher *m, bool on)
{
	m->no_prefilter = !on;
}

void
matcher_profile(const struct matcher *m, size_t i, struct rule_profile *p)
{
	memset(p, 0, sizeof(*p));
	if (!m->prof || i >= m->rs->n)
		return;
	p->candidates = m->prof[i * PROF_N];
	p->fired = m->prof[i * PROF_N + 1];
	p->ns = m->prof[i * PROF_N + 2];
	p->skipped = m->prof[i * PROF_N + 3];
	p->calls = m->prof[i * PROF_N + 4];
}

void
matcher_free(struct matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m->ran);
	free(m->matched);
	free(m->first);
	free(m->count);
	free(m->spans);
	free(m->spans2);
	free(m->prof);
	prefilter_seen_release(&m->sn);
	free(m->starts);
	free(m->starts2);
	free(m->cand);
	free(m->stamp);
	for (int f = 0; f < FIELD_MAX; f++) {
		fold_release(&m->fold[f]);
		fold_release(&m->translit[f]);
		entity_list_release(&m->ents[f]);
		for (int v = 0; v < VIEW_MAX; v++)
			free(m->words[v][f]);
	}
	free(m);
}

void
scan_result_init(struct scan_result *r)
{
	memset(r, 0, sizeof(*r));
}

void
scan_result_release(struct scan_result *r)
{
	free(r->hits);
	free(r->fired);
	free(r->close);
	free(r->close_hits);
	scan_result_init(r);
}

static void
scan_result_reset(struct scan_result *r)
{
	r->nhits = 0;
	r->nfired = 0;
	r->nclose = 0;
	r->nclose_hits = 0;
	r->score = 0;
	r->level = LEVEL_NONE;
	r->rule_errors = 0;
	r->error_rule = NULL;
	r->dimensions = 0;
}

/* Sets the document at hand. */
static void
matcher_set_input(struct matcher *m, const struct scan_input *in)
{
	m->in = in;
	m->prefiltered = false;
	memset(m->view_ready, 0, sizeof(m->view_ready));
	memset(m->words_ready, 0, sizeof(m->words_ready));
	memset(m->ents_ready, 0, sizeof(m->ents_ready));
}

/* Title and body are folded; a URL and the normalized contacts are not,
 * since folding would garble them. */
static bool
field_folds(enum rule_field f)
{
	return f == FIELD_TITLE || f == FIELD_BODY;
}

/* The text of field f in view v, made on first use. NULL if the field
 * is absent. A view that cannot be made (over the fold's input cap)
 * falls back to the raw text. */
static const char *
view_text(struct matcher *m, enum rule_view v, enum rule_field f,
	  size_t *len)
{
	const char *raw = m->in->text[f];

	if (!raw)
		return NULL;
	if (!m->view_ready[v][f]) {
		m->vtext[v][f] = raw;
		m->vlen[v][f] = m->in->len[f];
		m->folded[v][f] = false;
		if (v != VIEW_RAW && field_folds(f)) {
			const char *ft;
			size_t fl;

			ft = view_text(m, VIEW_RAW, f, &fl);
			if (text_fold(&m->fold[f], ft, fl, TEXT_FOLD_DEFAULT) ==
			    RF_OK) {
				m->vtext[v][f] = m->fold[f].view.data;
				m->vlen[v][f] = m->fold[f].view.len;
				m->folded[v][f] = true;
			}
			if (v == VIEW_TRANSLIT && m->folded[v][f] &&
			    text_translit(&m->translit[f], m->fold[f].view.data,
					  m->fold[f].view.len) == RF_OK) {
				m->vtext[v][f] = m->translit[f].view.data;
				m->vlen[v][f] = m->translit[f].view.len;
			}
		}
		m->view_ready[v][f] = true;
		/* the folded view is also the first step of translit */
		if (v == VIEW_TRANSLIT && !m->view_ready[VIEW_FOLDED][f]) {
			m->vtext[VIEW_FOLDED][f] = m->folded[v][f]
				? m->fold[f].view.data : raw;
			m->vlen[VIEW_FOLDED][f] = m->folded[v][f]
				? m->fold[f].view.len : m->in->len[f];
			m->folded[VIEW_FOLDED][f] = m->folded[v][f];
			m->view_ready[VIEW_FOLDED][f] = true;
		}
	}
	*len = m->vlen[v][f];
	return m->vtext[v][f];
}

/* Maps a span of a view back to offsets in the extracted text. */
static void
span_to_original(const struct matcher *m, const struct span *sp,
		 size_t *start, size_t *end)
{
	size_t a = sp->start, b = sp->end;

	if (sp->view != VIEW_RAW && m->folded[sp->view][sp->field]) {
		if (sp->view == VIEW_TRANSLIT)
			fold_span(&m->translit[sp->field], a, b, &a, &b);
		fold_span(&m->fold[sp->field], a, b, &a, &b);
	}
	*start = a;
	*end = b;
}

/* Whether the code point at s starts or continues a word: letters,
 * digits, marks and '_'; punctuation, symbols and spaces do not. */
static bool
is_word_cp(uint32_t cp)
{
	if (cp < 0x80)
		return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
		       (cp >= 'A' && cp <= 'Z') || cp == '_';
	if (cp <= 0xBF || cp == 0xD7 || cp == 0xF7)
		return false;	/* Latin-1 punctuation and signs */
	if ((cp >= 0x2000 && cp <= 0x2BFF) || (cp >= 0x3000 && cp <= 0x303F) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF0F) ||
	    (cp >= 0x1F000 && cp <= 0x1FAFF))
		return false;	/* punctuation, symbols, emoji */
	return true;
}

static void
compute_words(struct matcher *m, enum rule_view v, enum rule_field f)
{
	size_t len = 0, i = 0, n;
	const char *t = view_text(m, v, f, &len);
	bool in_word = false;
	uint32_t cp;

	m->nwords[v][f] = 0;
	m->words_ready[v][f] = true;
	while (t && i < len) {
		n = utf8_decode(t + i, len - i, &cp);
		if (!n)
			n = 1;
		if (is_word_cp(cp)) {
			if (!in_word) {
				ALLOC_GROW(m->words[v][f], m->nwords[v][f] + 1,
					   m->awords[v][f]);
				m->words[v][f][m->nwords[v][f]++] = i;
			}
			in_word = true;
		} else {
			in_word = false;
		}
		i += n;
	}
}

/* The index of the word at or before byte off of field f in view v. */
static size_t
word_at(struct matcher *m, enum rule_view v, enum rule_field f, size_t off)
{
	size_t lo = 0, hi;

	if (!m->words_ready[v][f])
		compute_words(m, v, f);
	hi = m->nwords[v][f];
	/* the number of word starts <= off, minus one */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (m->words[v][f][mid] <= off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? lo - 1 : 0;
}

/* Words from the end of x to the start of y (x before y): 1 when y's
 * first word follows x's last word. */
static size_t
word_gap(struct matcher *m, const struct span *x, const struct span *y)
{
	size_t last = word_at(m, x->view, x->field, x->end ? x->end - 1 : 0);
	size_t first = word_at(m, y->view, y->field, y->start);

	return first > last ? first - last : 0;
}

static bool
eval_near(struct cond_ctx *ctx, const struct cond *n)
{
	struct matcher *m = ctx->m;
	size_t i, j;

	need(ctx, n->var);
	if (!m->count[n->var])
		return false;
	need(ctx, n->var2);

	for (i = 0; i < m->count[n->var]; i++) {
		const struct span *a = &m->spans[m->first[n->var] + i];

		for (j = 0; j < m->count[n->var2]; j++) {
			const struct span *b = &m->spans[m->first[n->var2] + j];
			size_t gap;

			if (a->field != b->field)
				continue;
			if (a->end <= b->start)
				gap = word_gap(m, a, b);
			else if (b->end <= a->start)
				gap = word_gap(m, b, a);
			else
				gap = 0;	/* overlapping */
			if (gap <= (size_t)n->n)
				return true;
		}
	}
	return false;
}

static bool
eval_unnegated(struct cond_ctx *ctx, const struct cond *n)
{
	struct matcher *m = ctx->m;
	size_t i, j;

	need(ctx, n->var);
	if (!m->count[n->var])
		return false;
	need(ctx, n->var2);

	for (i = 0; i < m->count[n->var]; i++) {
		const struct span *a = &m->spans[m->first[n->var] + i];
		bool negated = false;

		for (j = 0; j < m->count[n->var2] && !negated; j++) {
			const struct span *g = &m->spans[m->first[n->var2] + j];

			negated = g->field == a->field && g->end <= a->start &&
				  word_gap(m, g, a) <= (size_t)n->n;
		}
		if (!negated)
			return true;
	}
	return false;
}

/* The entities of field f's extracted text, found on first use. */
static const struct entity_list *
field_entities(struct matcher *m, enum rule_field f)
{
	struct entity_list *l = &m->ents[f];

	if (!m->ents_ready[f]) {
		entity_list_release(l);
		if (m->in->text[f]) {
			entities_find(l, m->in->text[f], m->in->len[f]);
			money_find(l, m->in->text[f], m->in->len[f]);
			ages_find(l, m->in->text[f], m->in->len[f]);
		}
		m->ents_ready[f] = true;
	}
	return l;
}

/* Whether e's kind and value already occur in the fields before f. */
static bool
seen_before(struct matcher *m, unsigned scope, enum rule_field f,
	    const struct entity *e)
{
	size_t i;

	for (int g = 0; g < (int)f; g++) {
		const struct entity_list *l;

		if (!(scope & (1u << g)))
			continue;
		l = &m->ents[g];	/* ready: counted before f */
		for (i = 0; i < l->n; i++)
			if (l->items[i].kind == e->kind &&
			    strcmp(l->items[i].value, e->value) == 0)
				return true;
	}
	return false;
}

/*
 * The number n compares, over r's scope fields, in *v; false when the
 * text says nothing of it (no age stated), which makes any comparison
 * false. Counts are of distinct values, so a phone in the body and in
 * the contacts counts once.
 */
static bool
count_value(struct matcher *m, const struct rule *r, enum cond_count c,
	    int64_t *v)
{
	static const enum entity_kind kinds[] = {
		[COUNT_PHONES] = ENTITY_PHONE, [COUNT_HANDLES] = ENTITY_HANDLE,
		[COUNT_EMAILS] = ENTITY_EMAIL, [COUNT_LINKS] = ENTITY_LINK,
		[COUNT_MONEY] = ENTITY_MONEY,
	};
	bool known = c != COUNT_AGE_MIN && c != COUNT_AGE_MAX;
	size_t i, len;

	*v = 0;
	for (int f = 0; f < FIELD_MAX; f++) {
		const struct entity_list *l;

		if (!(r->scope & (1u << f)))
			continue;
		if (c == COUNT_MIXED_SCRIPT) {
			/* counted by text_fold() as it makes the view */
			if (field_folds((enum rule_field)f) &&
			    view_text(m, VIEW_FOLDED, (enum rule_field)f,
				      &len) &&
			    m->folded[VIEW_FOLDED][f])
				*v += (int64_t)m->fold[f].nmixed;
			continue;
		}
		l = field_entities(m, (enum rule_field)f);
		for (i = 0; i < l->n; i++) {
			const struct entity *e = &l->items[i];

			if (c == COUNT_AGE_MIN || c == COUNT_AGE_MAX) {
				int a = c == COUNT_AGE_MIN ? e->age_min
							   : e->age_max;

				if (e->kind != ENTITY_AGE ||
				    a == ENTITY_AGE_OPEN)
					continue;
				if (!known || (c == COUNT_AGE_MIN ? a < *v
								  : a > *v))
					*v = a;
				known = true;
			} else if (e->kind == kinds[c] &&
				   !seen_before(m, r->scope,
						(enum rule_field)f, e)) {
				(*v)++;
			}
		}
	}
	return known;
}

/* phones >= 2, age_max <= 25 */
static bool
eval_cmp(struct matcher *m, const struct rule *r, const struct cond *n)
{
	int64_t v;

	if (!count_value(m, r, n->count, &v))
		return false;
	switch (n->cmp) {
	case CMP_LT: return v < n->n;
	case CMP_LE: return v <= n->n;
	case CMP_EQ: return v == n->n;
	case CMP_GE: return v >= n->n;
	case CMP_GT: return v > n->n;
	}
	return false;
}

bool
cond_eval(const struct cond *n, struct cond_ctx *ctx)
{
	const bool *matched = ctx->m->matched;
	size_t i, count = 0;

	switch (n->op) {
	case COND_VAR:
		need(ctx, n->var);
		return matched[n->var];
	case COND_AND:
		return cond_eval(n->a, ctx) && cond_eval(n->b, ctx);
	case COND_OR:
		return cond_eval(n->a, ctx) || cond_eval(n->b, ctx);
	case COND_NOT:
		return !cond_eval(n->a, ctx);
	case COND_OF:
		/* stop as soon as the answer is known */
		for (i = 0; i < n->nset; i++) {
			need(ctx, n->set[i]);
			count += matched[n->set[i]];
			if (n->n < 0 ? count < i + 1
				     : count >= (size_t)n->n)
				break;
		}
		return n->n < 0 ? count == n->nset : count >= (size_t)n->n;
	case COND_TRUE:
		return true;
	case COND_NEAR:
		return eval_near(ctx, n);
	case COND_UNNEG:
		return eval_unnegated(ctx, n);
	case COND_CMP:
		return eval_cmp(ctx->m, ctx->r, n);
	}
	return false;
}

/*
 * One search of code in text from off, into m->md. The subject is valid
 * UTF-8 (the views are) and the options are fixed, so a JIT-compiled
 * program goes straight to pcre2_jit_match(), which skips the checks
 * pcre2_match() makes first.
 */
static int
run_code(struct matcher *m, const pcre2_code *code, bool jit,
	 const char *text, size_t len, size_t off)
{
	if (jit)
		return pcre2_jit_match(code, (PCRE2_SPTR)text, len, off,
				       PCRE2_NO_UTF_CHECK, m->md, m->mctx);
	return pcre2_match(code, (PCRE2_SPTR)text, len, off,
			   PCRE2_NO_UTF_CHECK, m->md, m->mctx);
}

/* Appends the span of the match in m->md. */
static void
add_span(struct matcher *m, size_t pi, enum rule_view v, enum rule_field f)
{
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->md);

	ALLOC_GROW(m->spans, m->nspans + 1, m->aspans);
	m->spans[m->nspans].pat = pi;
	m->spans[m->nspans].field = f;
	m->spans[m->nspans].view = v;
	m->spans[m->nspans].start = ov[0];
	m->spans[m->nspans].end = ov[1];
	m->nspans++;
}

/*
 * Whether the character at byte at of text (len bytes) may follow a form
 * whose next character is next (not 0): one that folds to next, or one
 * \s matches when next is PRE_NEXT_SPACE. ASCII and two-byte characters,
 * nearly all there are, are decoded here.
 */
static inline bool
next_matches(const char *text, size_t at, size_t len, uint32_t next)
{
	const unsigned char *t = (const unsigned char *)text + at;
	uint32_t cp;

	if (at < len && t[0] < 0x80)
		cp = t[0];
	else if (at + 1 < len && t[0] >= 0xC2 && t[0] < 0xE0 &&
		 (t[1] & 0xC0) == 0x80)
		cp = (uint32_t)(t[0] & 0x1F) << 6 | (t[1] & 0x3F);
	else if (!utf8_decode(text + at, len - at, &cp))
		return false;
	return next == PRE_NEXT_SPACE ? atom_is_space(cp)
				      : atom_fold(cp) == next;
}

/*
 * Merges the places before lim of the form at form (flen bytes) in text,
 * followed by a character that folds to next unless next is 0 (by a
 * space when it is PRE_NEXT_SPACE), into m->starts[0..n), sorted;
 * returns the new count, or SIZE_MAX past RF_PREFILTER_POS_MAX.
 */
static size_t
merge_form(struct matcher *m, size_t n, const char *text, size_t len,
	   size_t lim, const char *form, size_t flen, uint32_t next)
{
	const char last = form[flen - 1];
	const char *p = text + flen - 1, *end = text + len;
	size_t i = 0, k = 0;

	/* the forms that begin before lim: their last byte before
	 * lim + flen - 1 */
	if (len >= flen - 1 && lim < len - (flen - 1))
		end = text + lim + (flen - 1);

	ALLOC_GROW(m->starts2, n + 1, m->astarts2);
	/* find the form's last byte, then check the ones before it */
	while (p < end && (p = memchr(p, last, (size_t)(end - p)))) {
		uint32_t s = (uint32_t)(p - text - (flen - 1));

		p++;
		/* nearly all forms are of one or two bytes */
		if (flen == 2 ? text[s] != form[0]
			      : flen > 2 && memcmp(text + s, form, flen - 1))
			continue;
		if (next && !next_matches(text, s + flen, len, next))
			continue;
		if (k + (n - i) >= RF_PREFILTER_POS_MAX)
			return SIZE_MAX;
		ALLOC_GROW(m->starts2, k + (n - i) + 2, m->astarts2);
		while (i < n && m->starts[i] < s)
			m->starts2[k++] = m->starts[i++];
		m->starts2[k++] = s;
	}
	while (i < n)
		m->starts2[k++] = m->starts[i++];
	{
		uint32_t *t = m->starts;
		size_t a = m->astarts;

		m->starts = m->starts2;
		m->astarts = m->astarts2;
		m->starts2 = t;
		m->astarts2 = a;
	}
	return k;
}

/*
 * The places before lim (some from lim on may be left in) in field f of
 * text where a match of pat may start, sorted, into m->starts: where the
 * prefilter saw an atom of its prefix set begin, and where one of its
 * lone letters or two-character strings is. Returns how many, or
 * SIZE_MAX when there are too many to be worth it.
 */
static size_t
prefix_starts(struct matcher *m, const struct pattern *pat,
	      enum rule_field f, const char *text, size_t len, size_t lim)
{
	const struct prefilter_seen *sn = &m->sn;
	size_t n = 0, i, j;

	ALLOC_GROW(m->starts, 1, m->astarts);
	if (pat->pidx != PIDX_NONE && sn->seen[pat->pidx]) {
		n = prefilter_starts(m->rs->pf, sn, pat->pidx,
				     (unsigned char)f, text, len, lim,
				     &m->starts, &m->astarts);
		if (n == SIZE_MAX)
			return SIZE_MAX;
		/* found in order of their ends: nearly sorted */
		for (j = 1; j < n; j++) {
			uint32_t s = m->starts[j];

			for (i = j; i > 0 && m->starts[i - 1] > s; i--)
				m->starts[i] = m->starts[i - 1];
			m->starts[i] = s;
		}
	}
	for (i = 0; i < pat->npre_forms; i++) {
		n = merge_form(m, n, text, len, lim, pat->pre_forms[i],
			       pat->pre_form_len[i], pat->pre_form_next[i]);
		if (n == SIZE_MAX)
			return SIZE_MAX;
	}
	/* two atoms of a set may start at one place */
	for (i = j = 0; i < n; i++)
		if (!j || m->starts[j - 1] != m->starts[i])
			m->starts[j++] = m->starts[i];
	return j;
}

/*
 * Runs a pattern anchored at each place before lim its prefix set
 * starts, as the search of match_field would find its matches: the
 * leftmost start at or after the end of the last match. Returns false on
 * a limit, or when the anchored program cannot be made (then *fallback).
 */
static bool
match_field_at(struct matcher *m, struct pattern *pat, size_t pi,
	       enum rule_view v, enum rule_field f, const char *text,
	       size_t len, size_t lim, bool *fallback)
{
	PCRE2_SIZE off = 0, *ov;
	size_t kept = 0, i, n;
	int rc;
	bool jit;
	pcre2_code *code = pattern_anchored_code(m->rs, pat, &jit);

	if (!code) {
		*fallback = true;
		return true;
	}
	n = prefix_starts(m, pat, f, text, len, lim);
	if (n == SIZE_MAX) {
		*fallback = true;
		return true;
	}
	for (i = 0; i < n && m->starts[i] < lim; i++) {
		if (m->starts[i] < off || m->starts[i] > len)
			continue;
		m->calls++;
		rc = run_code(m, code, jit, text, len, m->starts[i]);
		if (rc == PCRE2_ERROR_NOMATCH)
			continue;
		if (rc < 0)
			return false;
		ov = pcre2_get_ovector_pointer(m->md);
		if (ov[1] > ov[0]) {
			m->matched[pi] = true;
			if (kept++ >= RF_HITS_PER_RULE_MAX)
				return true;
			add_span(m, pi, v, f);
			off = ov[1];
		} else {
			/* cannot happen (a prefix has a character, and \K
			 * leaves a pattern without prefix set); step on as
			 * match_field does */
			off = ov[1] + 1;
		}
	}
	return true;
}

/*
 * How far into field f (text, len bytes) a match of pat can begin: every
 * match holds an atom of its set (and of its second set), so it begins
 * at or before the last place one begins (prefilter_start_limit).
 * SIZE_MAX when not known; 0 when the field holds none.
 */
static size_t
start_limit(struct matcher *m, const struct pattern *pat,
	    enum rule_field f, const char *text, size_t len)
{
	size_t lim = SIZE_MAX, lim2;

	if (!pat->atoms.n)
		return SIZE_MAX;
	/* the places of a set that is the prefix set are the starts
	 * themselves: it bounds none of them */
	if (pat->gidx != pat->pidx || pat->npre_forms)
		lim = prefilter_start_limit(m->rs->pf, &m->sn, pat->gidx,
					    (unsigned char)f, text, len);
	if (lim && pat->atoms2.n &&
	    (pat->gidx2 != pat->pidx || pat->npre_forms)) {
		lim2 = prefilter_start_limit(m->rs->pf, &m->sn, pat->gidx2,
					     (unsigned char)f, text, len);
		if (lim2 < lim)
			lim = lim2;
	}
	return lim;
}

/*
 * Runs one pattern over one field, adding spans. Returns false when the
 * pattern hit a limit (a rule error, never "no match").
 */
static bool
match_field(struct matcher *m, struct pattern *pat, size_t pi,
	    enum rule_view v, enum rule_field f, const char *text, size_t len)
{
	PCRE2_SIZE off = 0, *ov;
	size_t kept = 0, lim = SIZE_MAX;
	int rc;
	bool jit;
	pcre2_code *code;

	if (m->prefiltered && v == VIEW_FOLDED) {
		lim = start_limit(m, pat, f, text, len);
		if (!lim)
			return true;
	}
	/* where the prefilter saw where matches can start, only there */
	if (m->prefiltered && v == VIEW_FOLDED && pat->anchor) {
		bool fallback = false;
		bool ok = match_field_at(m, pat, pi, v, f, text, len, lim,
					 &fallback);

		if (!fallback)
			return ok;
	}
	code = pattern_code(m->rs, pat, &jit);
	if (!code)
		return false;	/* counted as a rule error */
	/* no match begins at or after lim */
	while (off <= len && off < lim) {
		m->calls++;
		rc = run_code(m, code, jit, text, len, off);
		if (rc == PCRE2_ERROR_NOMATCH)
			return true;
		if (rc < 0)
			return false;
		ov = pcre2_get_ovector_pointer(m->md);
		if (ov[1] > ov[0]) {
			m->matched[pi] = true;
			if (kept++ >= RF_HITS_PER_RULE_MAX)
				return true;
			add_span(m, pi, v, f);
			off = ov[1];
		} else {
			/* empty match: step one character */
			off = ov[1] + 1;
			while (off < len &&
			       ((unsigned char)text[off] & 0xC0) == 0x80)
				off++;
		}
	}
	return true;
}

/* Copies the spans of the rule at hand into a hit array. */
static void
add_hits(struct matcher *m, const struct rule *r, struct hit **hits,
	 size_t *n, size_t *alloc)
{
	size_t i;

	for (i = 0; i < m->nspans; i++) {
		struct hit *h;

		ALLOC_GROW(*hits, *n + 1, *alloc);
		h = &(*hits)[(*n)++];
		h->rule = r;
		h->pattern = r->pats[m->spans[i].pat].name;
		h->field = m->spans[i].field;
		span_to_original(m, &m->spans[i], &h->start, &h->end);
	}
}

/*
 * Runs pattern i of the rule at hand over the fields of its scope, once
 * per rule and document, appending its spans. A pattern none of whose
 * atoms occurred cannot match: the prefilter's scan already tells.
 */
static void
run_pattern(struct cond_ctx *ctx, size_t i)
{
	struct matcher *m = ctx->m;
	const struct rule *r = ctx->r;
	int f;

	m->ran[i] = true;
	m->matched[i] = false;
	m->first[i] = m->nspans;
	m->count[i] = 0;
	if (m->prefiltered && r->view == VIEW_FOLDED &&
	    !pattern_may(&r->pats[i], m->seen))
		return;
	for (f = 0; f < FIELD_MAX; f++) {
		const char *t;
		size_t len;

		if (!(r->scope & (1u << f)) ||
		    !(t = view_text(m, r->view, (enum rule_field)f, &len)))
			continue;
		if (!match_field(m, &r->pats[i], i, r->view,
				 (enum rule_field)f, t, len))
			ctx->errors++;
	}
	m->count[i] = m->nspans - m->first[i];
}

/* The condition reads pattern i: run it if it has not run yet. */
static void
need(struct cond_ctx *ctx, size_t i)
{
	if (!ctx->m->ran[i])
		run_pattern(ctx, i);
}

/*
 * Puts the spans in pattern order, as if the patterns had run one after
 * the other, so that hits come out the same whatever order the condition
 * asked for them in (a stable counting sort by pattern).
 */
static void
order_spans(struct matcher *m, size_t npats)
{
	struct span *tmp;
	size_t i, a, k = 0;

	ALLOC_GROW(m->spans2, m->nspans + 1, m->aspans2);
	for (i = 0; i < npats; i++) {
		if (m->count[i])
			memcpy(&m->spans2[k], &m->spans[m->first[i]],
			       m->count[i] * sizeof(*m->spans));
		m->first[i] = k;
		k += m->count[i];
	}
	tmp = m->spans;
	m->spans = m->spans2;
	m->spans2 = tmp;
	a = m->aspans;
	m->aspans = m->aspans2;
	m->aspans2 = a;
}

/*
 * Evaluates rule r on in; returns whether it fired. Adds hits to res.
 * Patterns run as the condition reads them, so "$a and not $b" never runs
 * $b where $a did not match; a rule that fires then runs the rest, since
 * its hits name every pattern that matched. With explain on, all run.
 */
static bool
match_rule(struct matcher *m, const struct rule *r, struct scan_result *res)
{
	size_t i;
	bool fired;
	struct cond_ctx ctx = { m, r, 0 };

	m->nspans = 0;
	for (i = 0; i < r->npats; i++)
		m->ran[i] = false;
	if (m->explain)
		for (i = 0; i < r->npats; i++)
			run_pattern(&ctx, i);
	fired = cond_eval(r->cond, &ctx);
	if (fired) {
		for (i = 0; i < r->npats; i++)
			need(&ctx, i);
		order_spans(m, r->npats);
	}
	if (ctx.errors) {
		if (!res->rule_errors)
			res->error_rule = r;
		res->rule_errors += ctx.errors;
	}
	if (fired) {
		ALLOC_GROW(res->fired, res->nfired + 1, res->afired);
		res->fired[res->nfired++] = r;
		add_hits(m, r, &res->hits, &res->nhits, &res->alloc);
	} else if (m->explain && m->nspans) {
		ALLOC_GROW(res->close, res->nclose + 1, res->aclose);
		res->close[res->nclose++] = r;
		add_hits(m, r, &res->close_hits, &res->nclose_hits,
			 &res->aclose_hits);
	}
	return fired;
}

/* Marks the patterns whose atoms occur in any field of in. */
static void
prefilter_document(struct matcher *m, const struct scan_input *in)
{
	int f;

	m->prefiltered = false;
	if (m->no_prefilter)
		return;
	m->prefiltered = true;
	prefilter_seen_clear(&m->sn);
	for (f = 0; f < FIELD_MAX; f++) {
		size_t len;
		const char *t = view_text(m, VIEW_FOLDED, (enum rule_field)f,
					  &len);

		if (t) {
			m->sn.field = (unsigned char)f;
			prefilter_scan(m->rs->pf, t, len, &m->sn);
		}
	}
}

/* Evaluates rule i on the document at hand, timing it when profiling. */
static void
scan_rule(struct matcher *m, size_t i, struct scan_result *res)
{
	const struct rule *r = m->rs->rules[i];
	struct timespec t0, t1;
	uint64_t calls = m->calls;
	bool fired;

	if (!m->profile) {
		match_rule(m, r, res);
		return;
	}
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	fired = match_rule(m, r, res);
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
	m->prof[i * PROF_N]++;
	m->prof[i * PROF_N + 1] += fired;
	m->prof[i * PROF_N + 2] +=
		(uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000000LL +
			   (t1.tv_nsec - t0.tv_nsec));
	m->prof[i * PROF_N + 4] += m->calls - calls;
}

/* The rules the prefilter lets through for this document, into m->cand,
 * in order; returns how many. */
static size_t
list_candidates(struct matcher *m)
{
	if (++m->epoch == 0) {
		memset(m->stamp, 0, m->rs->n * sizeof(*m->stamp));
		m->epoch = 1;
	}
	return prefilter_candidates(m->rs->pf, m->rs, &m->sn, m->stamp,
				    m->epoch, m->cand);
}

enum rf_err
matcher_scan(struct matcher *m, const struct scan_input *in,
	     struct scan_result *res)
{
	size_t i, n;

	scan_result_reset(res);
	matcher_set_input(m, in);
	prefilter_document(m, in);
	/* explain wants close calls too: it runs every rule */
	if (m->no_prefilter || m->explain) {
		for (i = 0; i < m->rs->n; i++)
			scan_rule(m, i, res);
		goto out;
	}
	/* only the rules that can fire given the atoms seen, in order */
	n = list_candidates(m);
	if (m->profile) {
		/* the others were skipped */
		for (i = 0; i < m->rs->n; i++)
			m->prof[i * PROF_N + 3]++;
		for (i = 0; i < n; i++)
			m->prof[m->cand[i] * PROF_N + 3]--;
	}
	for (i = 0; i < n; i++)
		scan_rule(m, m->cand[i], res);
out:
	score_result(&score_model_default, res);
	return RF_OK;
}

size_t
matcher_candidates(struct matcher *m, const struct scan_input *in)
{
	matcher_set_input(m, in);
	prefilter_document(m, in);
	if (m->no_prefilter)
		return m->rs->n;
	return list_candidates(m);
}

/* Puts text into the fields an example of r is meant for. */
static void
example_input(const struct rule *r, const char *text, struct scan_input *in)
{
	memset(in, 0, sizeof(*in));
	if (r->scope & (1u << FIELD_BODY)) {
		in->text[FIELD_BODY] = text;
		in->len[FIELD_BODY] = strlen(text);
		return;
	}
	for (int f = 0; f < FIELD_MAX; f++) {
		if (r->scope & (1u << f)) {
			in->text[f] = text;
			in->len[f] = strlen(text);
			return;
		}
	}
}

enum rf_err
ruleset_test(const struct ruleset *rs, example_fail_fn fail, void *arg,
	     size_t *passed, size_t *failed)
{
	struct matcher *m = matcher_new(rs);
	struct scan_result res;
	struct scan_input in;
	size_t i, j;

	*passed = *failed = 0;
	scan_result_init(&res);
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];

		for (j = 0; j < r->nex; j++) {
			bool fired;

			scan_result_reset(&res);
			example_input(r, r->ex[j].text, &in);
			matcher_set_input(m, &in);
			/* through the prefilter, as a scan would */
			prefilter_document(m, &in);
			fired = prefilter_candidate(r, m->seen) &&
				match_rule(m, r, &res);
			if (fired == r->ex[j].match) {
				(*passed)++;
				continue;
			}
			(*failed)++;
			if (fail) {
				struct example_failure ef = {
					.rule = r,
					.expected_match = r->ex[j].match,
					.text = r->ex[j].text,
					.line = r->ex[j].line,
				};
				fail(&ef, arg);
			}
		}
	}
	scan_result_release(&res);
	matcher_free(m);
	return RF_OK;
}
