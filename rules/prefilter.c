/*
 * prefilter.c: one Aho-Corasick pass over the case-folded bytes of a
 * document finds the literal atoms of every pattern at once; PCRE2 then
 * runs only for rules whose condition can still hold given which patterns
 * may have matched.
 *
 * Soundness: a pattern "may match" when one of its atoms occurs, or when
 * it has no atoms. A condition is evaluated as an upper bound (could it
 * be true?) with a lower bound for the operands of "not", so a rule is
 * skipped only when it cannot fire.
 */
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "common/banned.h"

struct edge {
	unsigned char byte;
	uint32_t to;
};

struct state {
	uint32_t fail;
	uint32_t out;		/* first output of this state, or UINT32_MAX */
	uint32_t dict;		/* nearest state on the fail chain with an
				 * output, or UINT32_MAX */
	uint32_t first_edge;	/* edges of this state are contiguous after
				 * the build: edges[first_edge, +nedges) */
	uint16_t nedges;
};

/* An output: the pattern an atom belongs to, chained per state. */
struct output {
	uint32_t pattern;	/* global pattern index */
	uint32_t next;
};

struct prefilter {
	struct state *states;
	size_t nstates, astates;
	struct edge *edges;
	size_t nedges, aedges;
	uint32_t root_next[256];	/* dense transitions of the root */
	struct output *outs;
	size_t nouts, aouts;
};

/* ---- build: a trie with unsorted edges, then sorted and linked ---- */

struct bedge {
	uint32_t from, to;
	unsigned char byte;
};

static uint32_t
new_state(struct prefilter *pf)
{
	ALLOC_GROW(pf->states, pf->nstates + 1, pf->astates);
	memset(&pf->states[pf->nstates], 0, sizeof(pf->states[0]));
	pf->states[pf->nstates].out = UINT32_MAX;
	pf->states[pf->nstates].dict = UINT32_MAX;
	return (uint32_t)pf->nstates++;
}

static int
cmp_bedge(const void *a, const void *b)
{
	const struct bedge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return (int)x->byte - (int)y->byte;
}

/* The state reached from s by byte b, or UINT32_MAX (after the build). */
static uint32_t
edge_to(const struct prefilter *pf, uint32_t s, unsigned char b)
{
	const struct state *st = &pf->states[s];
	const struct edge *e = pf->edges + st->first_edge;
	size_t lo = 0, hi = st->nedges;

	if (hi <= 4) {
		for (lo = 0; lo < hi; lo++)
			if (e[lo].byte == b)
				return e[lo].to;
		return UINT32_MAX;
	}
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (e[mid].byte == b)
			return e[mid].to;
		if (e[mid].byte < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return UINT32_MAX;
}

/* The trie's edges while building: open addressing on (state, byte). */
struct trie_hash {
	struct hslot {
		uint64_t key;	/* (from << 8 | byte) + 1; 0 is empty */
		uint32_t to;
	} *slots;
	size_t cap, n;
};

static size_t
hslot_of(const struct trie_hash *h, uint64_t key)
{
	uint64_t x = key * 0x9E3779B97F4A7C15ull;
	size_t i = (size_t)(x >> 17) & (h->cap - 1);

	while (h->slots[i].key && h->slots[i].key != key)
		i = (i + 1) & (h->cap - 1);
	return i;
}

static uint32_t
trie_child(const struct trie_hash *h, uint32_t s, unsigned char b)
{
	uint64_t key = (((uint64_t)s << 8) | b) + 1;
	size_t i;

	if (!h->cap)
		return UINT32_MAX;
	i = hslot_of(h, key);
	return h->slots[i].key ? h->slots[i].to : UINT32_MAX;
}

static void
trie_add(struct trie_hash *h, uint32_t s, unsigned char b, uint32_t to)
{
	size_t i;

	if ((h->n + 1) * 2 > h->cap) {
		struct trie_hash big = { 0 };

		big.cap = h->cap ? h->cap * 2 : 1024;
		big.slots = xcalloc(big.cap, sizeof(*big.slots));
		for (i = 0; i < h->cap; i++)
			if (h->slots[i].key)
				big.slots[hslot_of(&big, h->slots[i].key)] =
					h->slots[i];
		big.n = h->n;
		free(h->slots);
		*h = big;
	}
	i = hslot_of(h, (((uint64_t)s << 8) | b) + 1);
	h->slots[i].key = (((uint64_t)s << 8) | b) + 1;
	h->slots[i].to = to;
	h->n++;
}

struct prefilter *
prefilter_build(struct ruleset *rs)
{
	struct prefilter *pf = xcalloc(1, sizeof(*pf));
	struct bedge *be = NULL;
	size_t nbe = 0, abe = 0, i, j, k, gidx = 0, head, tail;
	uint32_t *queue;
	struct trie_hash h = { 0 };

	new_state(pf);	/* the root */
	for (i = 0; i < rs->n; i++) {
		struct rule *r = rs->rules[i];

		for (j = 0; j < r->npats; j++, gidx++) {
			struct pattern *p = &r->pats[j];

			p->gidx = gidx;
			for (k = 0; k < p->atoms.n; k++) {
				const unsigned char *a =
					(const unsigned char *)p->atoms.atoms[k];
				uint32_t s = 0, t;
				struct output *o;

				for (; *a; a++) {
					t = trie_child(&h, s, *a);
					if (t == UINT32_MAX) {
						t = new_state(pf);
						trie_add(&h, s, *a, t);
						ALLOC_GROW(be, nbe + 1, abe);
						be[nbe].from = s;
						be[nbe].to = t;
						be[nbe].byte = *a;
						nbe++;
					}
					s = t;
				}
				ALLOC_GROW(pf->outs, pf->nouts + 1, pf->aouts);
				o = &pf->outs[pf->nouts];
				o->pattern = (uint32_t)gidx;
				o->next = pf->states[s].out;
				pf->states[s].out = (uint32_t)pf->nouts++;
			}
		}
	}
	rs->npatterns = gidx;
	free(h.slots);
	/* edges grouped by state, sorted by byte */
	if (nbe)
		qsort(be, nbe, sizeof(*be), cmp_bedge);
	pf->edges = xcalloc(nbe + 1, sizeof(*pf->edges));
	pf->nedges = nbe;
	for (i = 0; i < nbe; i++) {
		struct state *st = &pf->states[be[i].from];

		if (!st->nedges)
			st->first_edge = (uint32_t)i;
		st->nedges++;
		pf->edges[i].byte = be[i].byte;
		pf->edges[i].to = be[i].to;
	}
	free(be);
	/* failure links, breadth first */
	queue = xcalloc(pf->nstates + 1, sizeof(*queue));
	head = tail = 0;
	for (i = 0; i < 256; i++) {
		uint32_t t = edge_to(pf, 0, (unsigned char)i);

		pf->root_next[i] = t == UINT32_MAX ? 0 : t;
		if (t != UINT32_MAX) {
			pf->states[t].fail = 0;
			queue[tail++] = t;
		}
	}
	while (head < tail) {
		uint32_t s = queue[head++];
		const struct state *st = &pf->states[s];

		for (i = 0; i < st->nedges; i++) {
			const struct edge *e = &pf->edges[st->first_edge + i];
			uint32_t f = pf->states[s].fail, t;

			for (;;) {
				t = f == 0 ? pf->root_next[e->byte]
					   : edge_to(pf, f, e->byte);
				if (t != UINT32_MAX || f == 0)
					break;
				f = pf->states[f].fail;
			}
			if (t == UINT32_MAX || t == e->to)
				t = 0;
			pf->states[e->to].fail = t;
			pf->states[e->to].dict = pf->states[t].out != UINT32_MAX
						 ? t : pf->states[t].dict;
			queue[tail++] = e->to;
		}
	}
	free(queue);
	return pf;
}

void
prefilter_free(struct prefilter *pf)
{
	if (!pf)
		return;
	free(pf->states);
	free(pf->edges);
	free(pf->outs);
	free(pf);
}

static void
mark(const struct prefilter *pf, uint32_t s, unsigned char *seen)
{
	uint32_t o;

	for (o = pf->states[s].out; o != UINT32_MAX; o = pf->outs[o].next)
		seen[pf->outs[o].pattern] = 1;
}

/* Feeds one byte to the automaton from state s; returns the new state and
 * marks the patterns whose atoms end here. */
static inline uint32_t
step(const struct prefilter *pf, uint32_t s, unsigned char b,
     unsigned char *seen)
{
	uint32_t t, d;

	for (;;) {
		if (s == 0) {
			t = pf->root_next[b];
			break;
		}
		t = edge_to(pf, s, b);
		if (t != UINT32_MAX)
			break;
		s = pf->states[s].fail;
	}
	if (pf->states[t].out != UINT32_MAX)
		mark(pf, t, seen);
	for (d = pf->states[t].dict; d != UINT32_MAX; d = pf->states[d].dict)
		mark(pf, d, seen);
	return t;
}

void
prefilter_scan(const struct prefilter *pf, const char *text, size_t len,
	       unsigned char *seen)
{
	size_t i = 0, n, k;
	uint32_t s = 0, cp;
	char u[4];

	while (i < len) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				c += 32;
			s = step(pf, s, c, seen);
			i++;
			continue;
		}
		n = utf8_decode(text + i, len - i, &cp);
		if (!n) {
			s = 0;
			i++;
			continue;
		}
		n = n ? n : 1;
		k = utf8_encode(atom_fold(cp), u);
		for (size_t b = 0; b < k; b++)
			s = step(pf, s, (unsigned char)u[b], seen);
		i += n;
	}
}

/* Could n be true, given which patterns may match? (upper bound) */
static bool cond_may(const struct cond *n, const struct rule *r,
		     const unsigned char *seen);

/* Must n be true, whatever matches? (lower bound) */
static bool
cond_must(const struct cond *n, const struct rule *r,
	  const unsigned char *seen)
{
	switch (n->op) {
	case COND_AND:
		return cond_must(n->a, r, seen) && cond_must(n->b, r, seen);
	case COND_OR:
		return cond_must(n->a, r, seen) || cond_must(n->b, r, seen);
	case COND_NOT:
		return !cond_may(n->a, r, seen);
	case COND_OF:
		return n->n == 0;
	case COND_TRUE:
		return true;
	default:
		return false;
	}
}

static bool
pat_may(const struct rule *r, size_t i, const unsigned char *seen)
{
	return r->pats[i].atoms.n == 0 || seen[r->pats[i].gidx];
}

static bool
cond_may(const struct cond *n, const struct rule *r, const unsigned char *seen)
{
	size_t i, count = 0;

	switch (n->op) {
	case COND_VAR:
		return pat_may(r, n->var, seen);
	case COND_AND:
		return cond_may(n->a, r, seen) && cond_may(n->b, r, seen);
	case COND_OR:
		return cond_may(n->a, r, seen) || cond_may(n->b, r, seen);
	case COND_NOT:
		return !cond_must(n->a, r, seen);
	case COND_OF:
		for (i = 0; i < n->nset; i++)
			count += pat_may(r, n->set[i], seen);
		return n->n < 0 ? count == n->nset : count >= (size_t)n->n;
	case COND_TRUE:
		return true;
	case COND_NEAR:
		return pat_may(r, n->var, seen) && pat_may(r, n->var2, seen);
	case COND_UNNEG:
		return pat_may(r, n->var, seen);
	case COND_CMP:
		/* counts of the text, not atoms: cannot be ruled out */
		return true;
	}
	return true;
}

bool
prefilter_candidate(const struct rule *r, const unsigned char *seen)
{
	/* the prefilter reads the folded view; other views always run */
	if (r->view != VIEW_FOLDED)
		return true;
	return cond_may(r->cond, r, seen);
}
