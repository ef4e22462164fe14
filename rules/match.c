/* match.c: the per-thread matcher: PCRE2 over each scoped field. */
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "common/banned.h"

struct span {
	size_t pat;
	enum rule_field field;
	size_t start, end;
};

struct matcher {
	const struct ruleset *rs;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	bool *matched;		/* per pattern of the rule at hand */
	struct span *spans;
	size_t nspans, aspans;
};

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
	m->matched = xcalloc(rs->max_patterns + 1, sizeof(*m->matched));
	return m;
}

void
matcher_free(struct matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mctx);
	pcre2_jit_stack_free(m->jit);
	free(m->matched);
	free(m->spans);
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
	scan_result_init(r);
}

static void
scan_result_reset(struct scan_result *r)
{
	r->nhits = 0;
	r->nfired = 0;
	r->score = 0;
	r->level = LEVEL_NONE;
	r->rule_errors = 0;
	r->error_rule = NULL;
	r->dimensions = 0;
}

bool
cond_eval(const struct cond *n, const bool *matched)
{
	size_t i, count = 0;

	switch (n->op) {
	case COND_VAR:
		return matched[n->var];
	case COND_AND:
		return cond_eval(n->a, matched) && cond_eval(n->b, matched);
	case COND_OR:
		return cond_eval(n->a, matched) || cond_eval(n->b, matched);
	case COND_NOT:
		return !cond_eval(n->a, matched);
	case COND_OF:
		for (i = 0; i < n->nset; i++)
			count += matched[n->set[i]];
		return n->n < 0 ? count == n->nset : count >= (size_t)n->n;
	case COND_TRUE:
		return true;
	}
	return false;
}

/*
 * Runs one pattern over one field, adding spans. Returns false when the
 * pattern hit a limit (a rule error, never "no match").
 */
static bool
match_field(struct matcher *m, const struct pattern *pat, size_t pi,
	    enum rule_field f, const char *text, size_t len)
{
	PCRE2_SIZE off = 0, *ov;
	size_t kept = 0;
	int rc;

	while (off <= len) {
		rc = pcre2_match(pat->code, (PCRE2_SPTR)text, len, off,
				 PCRE2_NO_UTF_CHECK, m->md, m->mctx);
		if (rc == PCRE2_ERROR_NOMATCH)
			return true;
		if (rc < 0)
			return false;
		ov = pcre2_get_ovector_pointer(m->md);
		if (ov[1] > ov[0]) {
			m->matched[pi] = true;
			if (kept++ >= RF_HITS_PER_RULE_MAX)
				return true;
			ALLOC_GROW(m->spans, m->nspans + 1, m->aspans);
			m->spans[m->nspans].pat = pi;
			m->spans[m->nspans].field = f;
			m->spans[m->nspans].start = ov[0];
			m->spans[m->nspans].end = ov[1];
			m->nspans++;
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

/* Evaluates rule r on in; returns whether it fired. Adds hits to res. */
static bool
match_rule(struct matcher *m, const struct rule *r,
	   const struct scan_input *in, struct scan_result *res)
{
	size_t i;
	int f;
	bool fired;

	m->nspans = 0;
	for (i = 0; i < r->npats; i++) {
		m->matched[i] = false;
		for (f = 0; f < FIELD_MAX; f++) {
			if (!(r->scope & (1u << f)) || !in->text[f])
				continue;
			if (!match_field(m, &r->pats[i], i, (enum rule_field)f,
					 in->text[f], in->len[f])) {
				if (!res->rule_errors++)
					res->error_rule = r;
			}
		}
	}
	fired = cond_eval(r->cond, m->matched);
	if (!fired)
		return false;
	ALLOC_GROW(res->fired, res->nfired + 1, res->afired);
	res->fired[res->nfired++] = r;
	for (i = 0; i < m->nspans; i++) {
		struct hit *h;

		ALLOC_GROW(res->hits, res->nhits + 1, res->alloc);
		h = &res->hits[res->nhits++];
		h->rule = r;
		h->pattern = r->pats[m->spans[i].pat].name;
		h->field = m->spans[i].field;
		h->start = m->spans[i].start;
		h->end = m->spans[i].end;
	}
	return true;
}

enum rf_err
matcher_scan(struct matcher *m, const struct scan_input *in,
	     struct scan_result *res)
{
	size_t i;

	scan_result_reset(res);
	for (i = 0; i < m->rs->n; i++)
		match_rule(m, m->rs->rules[i], in, res);
	score_result(&score_model_default, res);
	return RF_OK;
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
			fired = match_rule(m, r, &in, &res);
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
