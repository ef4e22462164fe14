/*
 * prefilter.c: one pass over the case-folded bytes of a document finds the
 * literal atoms of every pattern at once; PCRE2 then runs only for rules
 * whose condition can still hold given which patterns may have matched.
 *
 * The atoms make an Aho-Corasick trie over UTF-8 bytes, which is turned
 * into a dense DFA over characters with the failure transitions resolved
 * at build time, so every character of text costs one table load, two
 * bytes of Cyrillic as one of ASCII. The text is folded as it is read
 * (ASCII and two-byte characters through tables made at build time),
 * never copied. A ruleset whose DFA would pass RF_PREFILTER_DFA_MAX keeps
 * the sparse trie and its failure links instead: slower, same answers.
 *
 * Soundness: a pattern "may match" when one of its atoms occurs, or when
 * it has no atoms. A condition is evaluated as an upper bound (could it
 * be true?) with a lower bound for the operands of "not", so a rule is
 * skipped only when it cannot fire. The upper bound only grows when more
 * patterns are seen, so a rule none of whose patterns was seen is a
 * candidate exactly when it is one with nothing seen: those rules are
 * listed once at build time, and the others are found from the ids the
 * scan saw, each rule under the few ids its condition cannot hold
 * without (its trigger, candidates_build).
 */
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
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
	uint8_t chars;		/* characters of the atom ending here */
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

	/* The DFA, absent when over RF_PREFILTER_DFA_MAX: a row per trie
	 * state at a character boundary, a column per character class (a
	 * folded character some atom has; class 0 is every other one), so a
	 * character of text costs one load whatever its length in bytes.
	 * The table is stored by column: the entry of row r for class c is
	 * at c * stride + r and holds the next state's row, in dfa16 when
	 * there are at most 65,536 rows (half the cache lines of the hot
	 * rows), else in dfa32. So the next row is one load at the current
	 * row from the character's column, whose start does not wait on the
	 * last step; and the first rows of a column, where the scan mostly
	 * is, share cache lines. stride is the rows rounded up to a cache
	 * line, an odd number of lines, so that the columns' first rows fall
	 * in different sets of the cache. Rows from match_start on are
	 * states with outputs (own or on the fail chain); match_orig[]
	 * gives their trie state. */
	uint16_t *dfa16;
	uint32_t *dfa32;
	size_t stride;
	uint32_t match_start;
	uint32_t *match_orig;
	size_t nmatch;
	/* per match state: 1 when an id of it wants its places noted, so
	 * it is marked at every visit, not only at the first of a
	 * document */
	unsigned char *match_pos;
	/* per match state, its outputs and those down its dict chain, in
	 * the order mark_all() reports them: the ids mout_id[mout_start[i]
	 * .. mout_start[i + 1]), so a visit reads one short array, and the
	 * characters of their atoms in mout_chars[] at the same places */
	uint32_t *mout_id;
	uint8_t *mout_chars;
	uint32_t *mout_start;
	/* per match state, a bit (id % 64) for each prefix set's id among
	 * its outputs (mbloom), and for each other noted set's (rbloom):
	 * most visits are told apart from a set's without reading the
	 * outputs */
	uint64_t *mbloom, *rbloom;
	/* the class of a character of text, folded: ASCII and two-byte
	 * characters by table, as the place of its column (class *
	 * stride), longer ones by a search of cps[] (sorted, cps[k] is
	 * class k + 1). A two-byte character, lead l and continuation c,
	 * is at col2[(l << 6 ^ c) - 0x3000], which is its code point with
	 * bit 7 flipped: the overlong forms (C0 and C1 leads) land at
	 * 0x80 to 0xFF, in class 0. */
	uint32_t col_ascii[128];
	uint32_t col2[0x800];
	uint32_t *cps;
	size_t ncps;
	/* a long text is read by two chains of steps (SCAN_DFA) */
	bool two_chains;

	/* ids whose atoms' places are noted: the prefix sets (want_pre
	 * too) and the required sets of the patterns of the folded view */
	unsigned char *want_pos, *want_pre;

	/* which rules to evaluate */
	/* id -> the rules with a pattern using it: rule_of[rule_start[id]
	 * .. rule_start[id + 1]), since rules share sets (<NEWS>) */
	uint32_t *rule_start, *rule_of;
	uint32_t *always;		/* rules that can fire with none seen */
	size_t nalways;
	bool root_out;			/* an empty atom: marked always */
};

/* ---- build: a trie with unsorted edges, then sorted and linked ---- */

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

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

/* Whether a trie state reports patterns, itself or on its fail chain. */
static bool
has_output(const struct prefilter *pf, uint32_t s)
{
	return pf->states[s].out != UINT32_MAX ||
	       pf->states[s].dict != UINT32_MAX;
}

/* A character edge of the trie: from a state at a character boundary,
 * the folded character whose bytes lead to state to. */
struct cedge {
	uint32_t from, cp, to;
};

struct cedges {
	struct cedge *v;
	size_t n, alloc;
};

/* The length of the UTF-8 sequence that byte b starts, 0 if none. */
static size_t
lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xC2 && b <= 0xDF)
		return 2;
	if (b >= 0xE0 && b <= 0xEF)
		return 3;
	if (b >= 0xF0 && b <= 0xF4)
		return 4;
	return 0;
}

/*
 * Follows the continuation bytes of a character begun at boundary state
 * from, at state t with left bytes to go, adding an edge for each whole
 * character. False when the trie is no UTF-8 there or a pattern is
 * reported inside a character: the caller keeps the sparse scan.
 */
static bool
char_tail(const struct prefilter *pf, uint32_t from, uint32_t t, uint32_t cp,
	  size_t left, size_t len, struct cedges *ce)
{
	const struct state *st = &pf->states[t];
	char u[4];
	size_t i;

	if (!left) {
		if (utf8_encode(cp, u) != len)
			return false;	/* overlong or no scalar value */
		ALLOC_GROW(ce->v, ce->n + 1, ce->alloc);
		ce->v[ce->n].from = from;
		ce->v[ce->n].cp = cp;
		ce->v[ce->n++].to = t;
		return true;
	}
	if (st->out != UINT32_MAX)
		return false;
	for (i = 0; i < st->nedges; i++) {
		const struct edge *e = &pf->edges[st->first_edge + i];

		if ((e->byte & 0xC0) != 0x80 ||
		    !char_tail(pf, from, e->to, cp << 6 | (e->byte & 0x3Fu),
			       left - 1, len, ce))
			return false;
	}
	return true;
}

static int
cmp_cedge_cp(const void *a, const void *b)
{
	const struct cedge *x = a, *y = b;

	return (x->cp > y->cp) - (x->cp < y->cp);
}

/* The class of folded character cp: 1 + its place in cps[], or 0. */
static uint16_t
class_of(const struct prefilter *pf, uint32_t cp)
{
	size_t lo = 0, hi = pf->ncps;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (pf->cps[mid] == cp)
			return (uint16_t)(mid + 1);
		if (pf->cps[mid] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* Adds the outputs of trie state t to the flat list of a match state. */
static void
mout_add(struct prefilter *pf, uint32_t t, size_t *n, size_t *alloc)
{
	uint32_t o;

	for (o = pf->states[t].out; o != UINT32_MAX; o = pf->outs[o].next) {
		uint32_t id = pf->outs[o].pattern;

		if (*n + 1 > *alloc) {
			*alloc = (*alloc + 16) * 3 / 2;
			pf->mout_id = xreallocarray(pf->mout_id, *alloc,
						    sizeof(*pf->mout_id));
			pf->mout_chars = xreallocarray(pf->mout_chars, *alloc,
						       1);
		}
		pf->mout_id[*n] = id;
		pf->mout_chars[(*n)++] = pf->states[t].chars;
	}
}

/* Lists each match state's outputs, its own then down its dict chain. */
static void
mouts_build(struct prefilter *pf)
{
	size_t i, n = 0, alloc = 0;

	pf->mout_start = xcalloc(pf->nmatch + 1, sizeof(*pf->mout_start));
	pf->mbloom = xcalloc(pf->nmatch + 1, sizeof(*pf->mbloom));
	for (i = 0; i < pf->nmatch; i++) {
		uint32_t t = pf->match_orig[i], d;
		size_t k;

		pf->mout_start[i] = (uint32_t)n;
		mout_add(pf, t, &n, &alloc);
		for (d = pf->states[t].dict; d != UINT32_MAX;
		     d = pf->states[d].dict)
			mout_add(pf, d, &n, &alloc);
		for (k = pf->mout_start[i]; k < n; k++)
			if (pf->want_pre[pf->mout_id[k]])
				pf->mbloom[i] |= (uint64_t)1
						 << (pf->mout_id[k] & 63);
	}
	pf->mout_start[pf->nmatch] = (uint32_t)n;
}

/* Sets each match state's bits in rbloom. */
static void
rbloom_build(struct prefilter *pf)
{
	size_t i, k;

	pf->rbloom = xcalloc(pf->nmatch + 1, sizeof(*pf->rbloom));
	for (i = 0; i < pf->nmatch; i++)
		for (k = pf->mout_start[i]; k < pf->mout_start[i + 1]; k++)
			if (pf->want_pos[pf->mout_id[k]] &&
			    !pf->want_pre[pf->mout_id[k]])
				pf->rbloom[i] |= (uint64_t)1
						 << (pf->mout_id[k] & 63);
}

/*
 * The smallest table read by two chains. A smaller one (the 1,000-rule
 * pack of `make bench`: 0.5 MB, 33 classes) is read mostly from L1,
 * where a step waits less than the second chain costs: 1.3 times as
 * long with two chains (docs/performance.md, session 8); the shipped
 * packs' (1.8 MB, 112 classes) mostly from L2.
 */
#define DFA_SPLIT_TABLE ((size_t)1 << 20)

/*
 * Makes the DFA of the trie over characters: the states at character
 * boundaries (an atom is whole characters, so a failure link never ends
 * inside one), each folded character of an atom a class, every other
 * character class 0, which leads back to the root. The rows go in the
 * trie's breadth-first order with the states that have outputs moved to
 * the end; they are made one after another, then stored by column.
 * Makes no table when it would pass max bytes or the trie is not whole
 * characters.
 */
static void
dfa_build(struct prefilter *pf, size_t max, size_t rows16_max)
{
	struct cedges ce = { 0 };
	uint32_t *row = NULL, *order = NULL, nmatch = 0;
	uint32_t nplain = 0;
	size_t i, j, k, nb = 0, ncls, ei, width, stride;
	struct cedge *bycp = NULL;
	unsigned char *tab = NULL, *rows = NULL;

	/* the boundary states, breadth first, and their character edges */
	row = xcalloc(pf->nstates, sizeof(*row));
	order = xcalloc(pf->nstates, sizeof(*order));
	for (i = 0; i < pf->nstates; i++)
		row[i] = UINT32_MAX;
	order[nb++] = 0;
	for (i = 0; i < nb; i++) {
		const struct state *st = &pf->states[order[i]];
		size_t first = ce.n;

		for (j = 0; j < st->nedges; j++) {
			const struct edge *e = &pf->edges[st->first_edge + j];
			size_t len = lead_len(e->byte);
			uint32_t cp = len == 1 ? e->byte
				    : e->byte & (0x7Fu >> len);

			if (!len || !char_tail(pf, order[i], e->to, cp,
					       len - 1, len, &ce))
				goto fail;
		}
		for (k = first; k < ce.n; k++)
			order[nb++] = ce.v[k].to;
	}
	/* the classes: the distinct characters of the edges */
	bycp = xcalloc(ce.n + 1, sizeof(*bycp));
	if (ce.n)
		memcpy(bycp, ce.v, ce.n * sizeof(*bycp));
	qsort(bycp, ce.n, sizeof(*bycp), cmp_cedge_cp);
	pf->cps = xcalloc(ce.n + 1, sizeof(*pf->cps));
	for (i = 0; i < ce.n; i++)
		if (!pf->ncps || pf->cps[pf->ncps - 1] != bycp[i].cp)
			pf->cps[pf->ncps++] = bycp[i].cp;
	ncls = pf->ncps + 1;
	if (ncls > UINT16_MAX)
		goto fail;
	width = nb <= rows16_max ? sizeof(uint16_t) : sizeof(uint32_t);
	/* a column: the rows rounded up to an odd number of cache lines */
	stride = (nb + 64 / width - 1) / (64 / width);
	stride = (stride | 1) * (64 / width);
	if (stride > UINT32_MAX / ncls || stride * ncls > max / width)
		goto fail;
	/* rows: the root first, plain states, then those with outputs */
	for (i = 0; i < nb; i++)
		if (i == 0 || !has_output(pf, order[i]))
			nplain++;
	for (i = 0; i < nb; i++) {
		if (i == 0 || !has_output(pf, order[i]))
			row[order[i]] = (uint32_t)(i - nmatch);
		else
			row[order[i]] = nplain + nmatch++;
	}
	pf->stride = stride;
	pf->match_start = nplain;
	pf->match_orig = xcalloc(nmatch + 1, sizeof(*pf->match_orig));
	pf->match_pos = xcalloc(nmatch + 1, 1);
	pf->nmatch = nmatch;
	for (i = 0; i < nb; i++)
		if (row[order[i]] >= nplain)
			pf->match_orig[row[order[i]] - nplain] = order[i];
	for (i = 0; i < nmatch; i++) {
		uint32_t t = pf->match_orig[i], o;

		/* the state's own outputs, then those down its dict chain */
		for (; t != UINT32_MAX && !pf->match_pos[i];
		     t = pf->states[t].dict)
			for (o = pf->states[t].out; o != UINT32_MAX;
			     o = pf->outs[o].next)
				if (pf->want_pos[pf->outs[o].pattern])
					pf->match_pos[i] = 1;
	}
	mouts_build(pf);
	/* the rows one after another first, breadth first, so that a
	 * state's fail row is done before it: the failure link points to a
	 * shallower state. The edges are in the order of their states. */
	rows = xcalloc(nb * ncls, width);
	for (i = 0, ei = 0; i < nb; i++) {
		uint32_t s = order[i], f = pf->states[s].fail;
		size_t d = (size_t)row[s] * ncls;

		if (s != 0 && row[f] == UINT32_MAX)
			goto fail;	/* cannot be: whole characters */
		if (s != 0)
			memcpy(rows + d * width,
			       rows + (size_t)row[f] * ncls * width,
			       ncls * width);
		for (; ei < ce.n && ce.v[ei].from == s; ei++) {
			size_t at = d + class_of(pf, ce.v[ei].cp);
			uint32_t to = row[ce.v[ei].to];

			if (width == sizeof(uint16_t))
				((uint16_t *)rows)[at] = (uint16_t)to;
			else
				((uint32_t *)rows)[at] = to;
		}
	}
	/* then by column: row by row, each entry to its column (an entry
	 * by its type: a memcpy call each was most of a load from the
	 * cache) */
	tab = xcalloc(stride * ncls, width);
	if (width == sizeof(uint16_t)) {
		const uint16_t *r = (const uint16_t *)(void *)rows;
		uint16_t *t = (uint16_t *)(void *)tab;

		for (j = 0; j < nb; j++)
			for (k = 0; k < ncls; k++)
				t[k * stride + j] = r[j * ncls + k];
	} else {
		const uint32_t *r = (const uint32_t *)(void *)rows;
		uint32_t *t = (uint32_t *)(void *)tab;

		for (j = 0; j < nb; j++)
			for (k = 0; k < ncls; k++)
				t[k * stride + j] = r[j * ncls + k];
	}
	if (width == sizeof(uint16_t))
		pf->dfa16 = (uint16_t *)tab;
	else
		pf->dfa32 = (uint32_t *)tab;
	tab = NULL;
	pf->two_chains = stride * ncls * width >= DFA_SPLIT_TABLE;
	/* folding tables: ASCII, then two-byte characters */
	for (i = 0; i < 128; i++)
		pf->col_ascii[i] = (uint32_t)(stride *
			class_of(pf, atom_fold((uint32_t)i)));
	for (i = 0x80; i < 0x800; i++)
		pf->col2[i ^ 0x80] = (uint32_t)(stride *
			class_of(pf, atom_fold((uint32_t)i)));
	goto out;
fail:
	free(pf->match_orig);
	pf->match_orig = NULL;
	free(pf->match_pos);
	pf->match_pos = NULL;
	free(pf->mout_id);
	pf->mout_id = NULL;
	free(pf->mout_chars);
	pf->mout_chars = NULL;
	free(pf->mout_start);
	pf->mout_start = NULL;
	free(pf->mbloom);
	pf->mbloom = NULL;
	pf->nmatch = 0;
out:
	free(tab);
	free(rows);
	free(row);
	free(order);
	free(bycp);
	free(ce.v);
}

/* An id and a rule that uses it. */
struct id_rule {
	uint32_t id, rule;
};

static int
cmp_id_rule(const void *a, const void *b)
{
	const struct id_rule *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return (x->rule > y->rule) - (x->rule < y->rule);
}

/*
 * Marks in pos the patterns that n reads where a match makes the
 * condition more likely to hold (under an even number of nots, as
 * cond_may reads them). Seeing the atoms of any other pattern can only
 * make cond_may false, never true.
 */
static void
positive_patterns(const struct cond *n, bool positive, bool *pos)
{
	size_t i;

	switch (n->op) {
	case COND_VAR:
		if (positive)
			pos[n->var] = true;
		break;
	case COND_AND:
	case COND_OR:
		positive_patterns(n->a, positive, pos);
		positive_patterns(n->b, positive, pos);
		break;
	case COND_NOT:
		positive_patterns(n->a, !positive, pos);
		break;
	case COND_OF:
		for (i = 0; i < n->nset && positive; i++)
			pos[n->set[i]] = true;
		break;
	case COND_NEAR:
		if (positive)
			pos[n->var] = pos[n->var2] = true;
		break;
	case COND_UNNEG:
		if (positive)
			pos[n->var] = true;
		break;
	case COND_TRUE:
	case COND_CMP:
		break;
	}
}

/*
 * A few ids such that a condition cannot hold (cond_may is false) unless
 * one of them was seen: its trigger. rank tells how rarely the ids are
 * seen (the lowest of its sets', atom_set_rank). Where an AND has a
 * trigger on either side, the rarer one will do, so a rule such as
 * "$job and $abroad" is looked at when a destination is seen, not at
 * every "работа".
 */
#define TRIGGER_MAX 16

struct trigger {
	bool ok;
	int rank;
	size_t n;
	uint32_t ids[TRIGGER_MAX];
};

static void
trigger_union(struct trigger *t, const struct trigger *a,
	      const struct trigger *b)
{
	size_t i;

	t->ok = a->ok && b->ok && a->n + b->n <= TRIGGER_MAX;
	if (!t->ok)
		return;
	t->rank = a->rank < b->rank ? a->rank : b->rank;
	t->n = a->n;
	memcpy(t->ids, a->ids, a->n * sizeof(*a->ids));
	for (i = 0; i < b->n; i++)
		t->ids[t->n++] = b->ids[i];
}

static void
trigger_rarer(struct trigger *t, const struct trigger *a,
	      const struct trigger *b)
{
	if (!a->ok)
		*t = *b;
	else if (!b->ok)
		*t = *a;
	else if (a->rank != b->rank)
		*t = a->rank > b->rank ? *a : *b;
	else
		*t = a->n <= b->n ? *a : *b;
}

/* A pattern may match only if its atoms, and its second set's, were
 * seen: the rarer of the two. */
static void
trigger_pattern(const struct pattern *p, struct trigger *t)
{
	struct trigger a = { 0 }, b = { 0 };

	if (!p->atoms.n) {
		t->ok = false;
		return;
	}
	a.ok = true;
	a.n = 1;
	a.ids[0] = (uint32_t)p->gidx;
	a.rank = p->rank;
	if (p->atoms2.n) {
		b.ok = true;
		b.n = 1;
		b.ids[0] = (uint32_t)p->gidx2;
		b.rank = p->rank2;
	}
	trigger_rarer(t, &a, &b);
}

static void
trigger_of(const struct rule *r, const struct cond *n, struct trigger *t)
{
	struct trigger a, b, c;
	size_t i;

	memset(t, 0, sizeof(*t));
	switch (n->op) {
	case COND_VAR:
	case COND_UNNEG:
		trigger_pattern(&r->pats[n->var], t);
		break;
	case COND_NEAR:
		trigger_pattern(&r->pats[n->var], &a);
		trigger_pattern(&r->pats[n->var2], &b);
		trigger_rarer(t, &a, &b);
		break;
	case COND_AND:
		trigger_of(r, n->a, &a);
		trigger_of(r, n->b, &b);
		trigger_rarer(t, &a, &b);
		break;
	case COND_OR:
		trigger_of(r, n->a, &a);
		trigger_of(r, n->b, &b);
		trigger_union(t, &a, &b);
		break;
	case COND_OF:
		if (n->nset == 0 || n->n == 0)
			break;		/* true whatever is seen */
		/* all of them: any one will do; at least one: each */
		trigger_pattern(&r->pats[n->set[0]], t);
		for (i = 1; i < n->nset && t->ok; i++) {
			trigger_pattern(&r->pats[n->set[i]], &a);
			c = *t;
			if (n->n < 0)
				trigger_rarer(t, &c, &a);
			else
				trigger_union(t, &c, &a);
		}
		break;
	case COND_NOT:
	case COND_TRUE:
	case COND_CMP:
		/* may hold with nothing seen */
		break;
	}
}

/*
 * The rules that can fire with no pattern seen, and each id's rules: the
 * ids of the rule's trigger when it has one, else every id of the
 * patterns it reads positively. A rule none of whose
 * positive patterns was seen is a candidate only if it is one with
 * nothing seen (cond_may grows with what the positive ones see and
 * shrinks with the rest), so it is listed in always or not at all.
 */
static void
candidates_build(struct prefilter *pf, const struct ruleset *rs)
{
	unsigned char *none = xcalloc(rs->npatterns + 1, 1);
	struct id_rule *v = NULL;
	size_t i, j, n = 0, alloc = 0, k;
	bool *pos = xcalloc(rs->max_patterns + 1, sizeof(*pos));
	struct trigger t;

	pf->always = xcalloc(rs->n + 1, sizeof(*pf->always));
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];

		if (prefilter_candidate(r, none)) {
			pf->always[pf->nalways++] = (uint32_t)i;
			continue;
		}
		trigger_of(r, r->cond, &t);
		if (t.ok) {
			for (k = 0; k < t.n; k++) {
				ALLOC_GROW(v, n + 1, alloc);
				v[n].id = t.ids[k];
				v[n++].rule = (uint32_t)i;
			}
			continue;
		}
		memset(pos, 0, (r->npats + 1) * sizeof(*pos));
		positive_patterns(r->cond, true, pos);
		for (j = 0; j < r->npats; j++) {
			const struct pattern *p = &r->pats[j];
			size_t ids[4], nid = 0;

			if (!pos[j])
				continue;
			if (p->atoms.n)
				ids[nid++] = p->gidx;
			if (p->atoms.n && p->atoms2.n)
				ids[nid++] = p->gidx2;
			if (p->pidx != PIDX_NONE)
				ids[nid++] = p->pidx;
			if (p->sidx != PIDX_NONE)
				ids[nid++] = p->sidx;
			for (k = 0; k < nid; k++) {
				ALLOC_GROW(v, n + 1, alloc);
				v[n].id = (uint32_t)ids[k];
				v[n++].rule = (uint32_t)i;
			}
		}
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_id_rule);
	pf->rule_start = xcalloc(rs->npatterns + 2, sizeof(*pf->rule_start));
	pf->rule_of = xcalloc(n + 1, sizeof(*pf->rule_of));
	for (i = k = 0; i < n; i++) {
		if (i && v[i].id == v[i - 1].id && v[i].rule == v[i - 1].rule)
			continue;
		pf->rule_start[v[i].id + 1]++;
		pf->rule_of[k++] = v[i].rule;
	}
	for (i = 0; i < rs->npatterns + 1; i++)
		pf->rule_start[i + 1] += pf->rule_start[i];
	free(v);
	free(none);
	free(pos);
}

/*
 * Adds to p the forms of letter cp in text, every character atom_fold
 * takes to it (с and С; i, I and İ), each to be followed by a character
 * that folds to next (0: by anything). False, p unchanged, when there
 * is no room for them all.
 */
static bool
letter_forms(struct pattern *p, uint32_t cp, uint32_t next)
{
	/* what atom_fold maps to cp: cp, its capital 32 or 80 below, the
	 * odd or even neighbour, İ for i */
	const uint32_t cand[] = { cp, cp - 32, cp - 80, cp - 1, cp + 1,
				  0x130 };
	uint32_t forms[RF_ARRAY_SIZE(cand)] = { 0 };
	size_t k, j, n = 0;

	for (k = 0; k < RF_ARRAY_SIZE(cand); k++) {
		uint32_t c = cand[k];

		if (c == 0 || c > 0x10FFFF || atom_fold(c) != cp)
			continue;
		for (j = 0; j < n && forms[j] != c; j++)
			;
		if (j == n)
			forms[n++] = c;
	}
	if (p->npre_letters == PRE_LETTERS_MAX ||
	    p->npre_forms + n > PRE_FORMS_MAX)
		return false;
	p->npre_letters++;
	for (k = 0; k < n; k++) {
		p->pre_form_len[p->npre_forms] =
			(unsigned char)utf8_encode(forms[k],
						   p->pre_forms[p->npre_forms]);
		p->pre_form_next[p->npre_forms++] = next;
	}
	return true;
}

/* The forms of letter cp followed by any space, once per letter. */
static bool
space_forms(struct pattern *p, uint32_t cp)
{
	size_t k;
	uint32_t f;

	for (k = 0; k < p->npre_forms; k++)
		if (p->pre_form_next[k] == PRE_NEXT_SPACE &&
		    utf8_decode(p->pre_forms[k], p->pre_form_len[k], &f) &&
		    atom_fold(f) == cp)
			return true;
	return letter_forms(p, cp, PRE_NEXT_SPACE);
}

static void
set_add(struct atom_set *set, const char *a)
{
	set->atoms = xreallocarray(set->atoms, set->n + 1,
				   sizeof(*set->atoms));
	set->atoms[set->n++] = xstrdup(a);
}

/*
 * Splits pattern p's prefix set. The strings whose places are worth
 * noting go to *noted: three characters or more, a lone digit or sign
 * ("5" in "500 $ в день", "$"). The lone letters and the strings of two
 * characters that begin with one are in nearly every document: their
 * places would be noted in every one for the few patterns that run, so
 * the matcher finds them itself (p->pre_forms), and the two-character
 * strings go to *shrt, for the prefilter to see whether one occurs. A
 * letter followed by a space (from "с\s+") is left to the matcher as a
 * lone letter is. A two-character string that does not fit there is
 * noted. False when the lone letters do not fit: the pattern is not
 * anchored. counts gets how many strings go to *noted and to *shrt; with
 * noted and shrt NULL, only p's letters and the counts are worked out
 * (for a prefilter made from the cache, whose ids the patterns carry).
 */
static bool
prefix_split(struct pattern *p, struct atom_set *noted, struct atom_set *shrt,
	     size_t counts[2])
{
	size_t i;

	counts[0] = counts[1] = 0;
	if (noted) {
		memset(noted, 0, sizeof(*noted));
		memset(shrt, 0, sizeof(*shrt));
	}
	p->npre_letters = 0;
	p->npre_forms = 0;
	p->pre_lone = false;
	for (i = 0; i < p->pre.n; i++) {
		const char *a = p->pre.atoms[i];
		size_t len = strlen(a), n, m;
		uint32_t cp, cp2;

		n = utf8_decode(a, len, &cp);
		if (!n)
			goto no;
		if (!atom_prefix_letter(cp)) {
			counts[0]++;
			if (noted)
				set_add(noted, a);
			continue;
		}
		if (!a[n]) {
			if (!letter_forms(p, cp, 0))
				goto no;
			p->pre_lone = true;
			continue;
		}
		m = utf8_decode(a + n, len - n, &cp2);
		if (m && !a[n + m] && atom_is_space(cp2)) {
			/* a lone letter before \s ("с опытом"): the
			 * matcher checks the space, the prefilter never
			 * sees the letter */
			if (!space_forms(p, cp))
				goto no;
			p->pre_lone = true;
			continue;
		}
		if (m && !a[n + m] && cp2 && letter_forms(p, cp, cp2)) {
			counts[1]++;
			if (shrt)
				set_add(shrt, a);
		} else {
			counts[0]++;
			if (noted)
				set_add(noted, a);
		}
	}
	return p->pre.n > 0;
no:
	if (noted) {
		atom_set_release(noted);
		atom_set_release(shrt);
	}
	counts[0] = counts[1] = 0;
	p->npre_letters = 0;
	p->npre_forms = 0;
	p->pre_lone = false;
	return false;
}

/* Adds the atoms of set to the trie, each with output id. */
static void
add_atoms(struct prefilter *pf, struct trie_hash *h, struct bedge **be,
	  size_t *nbe, size_t *abe, const struct atom_set *set, size_t id)
{
	size_t k;

	for (k = 0; k < set->n; k++) {
		const unsigned char *a = (const unsigned char *)set->atoms[k];
		uint32_t s = 0, t;
		unsigned chars = 0;
		struct output *o;

		for (; *a; a++) {
			chars += (*a & 0xC0) != 0x80;
			t = trie_child(h, s, *a);
			if (t == UINT32_MAX) {
				t = new_state(pf);
				trie_add(h, s, *a, t);
				ALLOC_GROW(*be, *nbe + 1, *abe);
				(*be)[*nbe].from = s;
				(*be)[*nbe].to = t;
				(*be)[*nbe].byte = *a;
				(*nbe)++;
			}
			s = t;
		}
		/* atoms are at most ATOM_MAX (48) bytes */
		pf->states[s].chars = (uint8_t)(chars < 255 ? chars : 255);
		ALLOC_GROW(pf->outs, pf->nouts + 1, pf->aouts);
		o = &pf->outs[pf->nouts];
		o->pattern = (uint32_t)id;
		o->next = pf->states[s].out;
		pf->states[s].out = (uint32_t)pf->nouts++;
	}
}

/* Sets given an id so far, found by a hash that ignores their order. */
struct shared_sets {
	struct {
		uint64_t hash;
		struct atom_set set;	/* a copy */
		size_t id;
	} *v;
	size_t n, alloc;
};

static uint64_t
set_hash(const struct atom_set *s)
{
	uint64_t sum = s->n;
	size_t i;

	for (i = 0; i < s->n; i++) {
		const unsigned char *a = (const unsigned char *)s->atoms[i];
		uint64_t h = 14695981039346656037ULL;	/* FNV-1a */

		for (; *a; a++)
			h = (h ^ *a) * 1099511628211ULL;
		sum += h;
	}
	return sum;
}

static size_t
shared_find(const struct shared_sets *sh, const struct atom_set *s)
{
	uint64_t h = set_hash(s);
	size_t i;

	for (i = 0; i < sh->n; i++)
		if (sh->v[i].hash == h && atom_set_equal(&sh->v[i].set, s))
			return sh->v[i].id;
	return PIDX_NONE;
}

static void
shared_add(struct shared_sets *sh, const struct atom_set *s, size_t id)
{
	ALLOC_GROW(sh->v, sh->n + 1, sh->alloc);
	sh->v[sh->n].hash = set_hash(s);
	atom_set_copy(&sh->v[sh->n].set, s);
	sh->v[sh->n++].id = id;
}

static void
shared_release(struct shared_sets *sh)
{
	size_t i;

	for (i = 0; i < sh->n; i++)
		atom_set_release(&sh->v[i].set);
	free(sh->v);
}

/* What number_sets() carries while it numbers the sets. */
struct set_ids {
	struct prefilter *pf;
	struct trie_hash h;
	struct bedge *be;
	size_t nbe, abe;
	struct shared_sets shared;
	size_t next;		/* the next id */
};

/* The id of set s: that of an equal set met before (the <NEWS> of many
 * rules), or a new one whose atoms go into the trie. */
static size_t
set_id(struct set_ids *b, const struct atom_set *s)
{
	size_t id = shared_find(&b->shared, s);

	if (id != PIDX_NONE)
		return id;
	id = b->next++;
	add_atoms(b->pf, &b->h, &b->be, &b->nbe, &b->abe, s, id);
	shared_add(&b->shared, s, id);
	return id;
}

/* Puts the sorted edges be into pf: each state's contiguous, by byte. */
static void
edges_place(struct prefilter *pf, const struct bedge *be, size_t nbe)
{
	size_t i;

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
}

/*
 * Gives each set of atoms an id: its patterns' (gidx), their second
 * sets' (gidx2), their prefix sets' (pidx, sidx). A set many patterns
 * have gets one id and one output per atom. Makes the trie of the atoms
 * in pf and sets rs->npatterns.
 */
static void
number_sets(struct ruleset *rs, struct prefilter *pf)
{
	struct set_ids b = { .pf = pf };
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		struct rule *r = rs->rules[i];

		for (j = 0; j < r->npats; j++) {
			struct pattern *p = &r->pats[j];

			/* no atoms: an id never seen */
			p->gidx = p->atoms.n ? set_id(&b, &p->atoms) : b.next++;
		}
	}
	for (i = 0; i < rs->n; i++) {
		struct rule *r = rs->rules[i];

		for (j = 0; j < r->npats; j++) {
			struct pattern *p = &r->pats[j];

			if (p->atoms.n && p->atoms2.n)
				p->gidx2 = set_id(&b, &p->atoms2);
		}
	}
	/* then the prefix sets that are neither, of the rules that read
	 * the folded view the prefilter scans */
	for (i = 0; i < rs->n; i++) {
		struct rule *r = rs->rules[i];

		for (j = 0; j < r->npats; j++) {
			struct pattern *p = &r->pats[j];
			struct atom_set noted, shrt;
			size_t counts[2];

			p->pidx = PIDX_NONE;
			p->sidx = PIDX_NONE;
			p->anchor = false;
			p->npre_letters = 0;
			p->npre_forms = 0;
			p->pre_lone = false;
			if (r->view != VIEW_FOLDED ||
			    !prefix_split(p, &noted, &shrt, counts))
				continue;
			p->anchor = true;
			if (noted.n)
				p->pidx = set_id(&b, &noted);
			if (shrt.n)
				p->sidx = set_id(&b, &shrt);
			atom_set_release(&noted);
			atom_set_release(&shrt);
		}
	}
	shared_release(&b.shared);
	rs->npatterns = b.next;
	free(b.h.slots);
	/* edges grouped by state, sorted by byte */
	if (b.nbe)
		qsort(b.be, b.nbe, sizeof(*b.be), cmp_bedge);
	edges_place(pf, b.be, b.nbe);
	free(b.be);
}

/*
 * From the trie and the patterns' ids on: which ids want their places
 * noted, the failure links, the DFA, the rules of each id.
 */
static void
prefilter_finish(struct prefilter *pf, struct ruleset *rs, size_t dfa_max,
		 size_t rows16_max)
{
	size_t i, j, head, tail;
	uint32_t *queue;

	pf->want_pos = xcalloc(rs->npatterns + 1, 1);
	pf->want_pre = xcalloc(rs->npatterns + 1, 1);
	for (i = 0; i < rs->n; i++) {
		const struct rule *r = rs->rules[i];

		for (j = 0; j < r->npats; j++) {
			const struct pattern *p = &r->pats[j];

			if (p->pidx != PIDX_NONE) {
				pf->want_pos[p->pidx] = 1;
				pf->want_pre[p->pidx] = 1;
			}
			/* the required sets too: where they last occur
			 * bounds where a match can start */
			if (r->view == VIEW_FOLDED && p->atoms.n &&
			    atom_set_min_chars(&p->atoms) > 0) {
				pf->want_pos[p->gidx] = 1;
				if (p->atoms2.n &&
				    atom_set_min_chars(&p->atoms2) > 0)
					pf->want_pos[p->gidx2] = 1;
			}
		}
	}
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
	pf->root_out = pf->states[0].out != UINT32_MAX;
	dfa_build(pf, dfa_max, rows16_max < (size_t)UINT16_MAX + 1 ?
			       rows16_max : (size_t)UINT16_MAX + 1);
	if (prefilter_is_dense(pf))
		rbloom_build(pf);
	candidates_build(pf, rs);
}

struct prefilter *
prefilter_build_capped(struct ruleset *rs, size_t dfa_max, size_t rows16_max)
{
	struct prefilter *pf = xcalloc(1, sizeof(*pf));

	new_state(pf);	/* the root */
	number_sets(rs, pf);
	prefilter_finish(pf, rs, dfa_max, rows16_max);
	return pf;
}

struct prefilter *
prefilter_build(struct ruleset *rs)
{
	return prefilter_build_capped(rs, RF_PREFILTER_DFA_MAX,
				      (size_t)UINT16_MAX + 1);
}

/* ---- the trie and the ids as the cache keeps them ---- */

void
prefilter_image_get(const struct ruleset *rs, struct prefilter_image *im)
{
	const struct prefilter *pf = rs->pf;
	size_t s, i;
	uint32_t o;

	memset(im, 0, sizeof(*im));
	im->npatterns = rs->npatterns;
	im->nstates = pf->nstates;
	im->nedges = xcalloc(pf->nstates + 1, sizeof(*im->nedges));
	im->nedge = pf->nedges;
	im->byte = xcalloc(pf->nedges + 1, 1);
	im->to = xcalloc(pf->nedges + 1, sizeof(*im->to));
	for (s = 0; s < pf->nstates; s++)
		im->nedges[s] = pf->states[s].nedges;
	for (i = 0; i < pf->nedges; i++) {
		im->byte[i] = pf->edges[i].byte;
		im->to[i] = pf->edges[i].to;
	}
	im->nouts = pf->nouts;
	im->out_state = xcalloc(pf->nouts + 1, sizeof(*im->out_state));
	im->out_id = xcalloc(pf->nouts + 1, sizeof(*im->out_id));
	for (s = 0; s < pf->nstates; s++)
		for (o = pf->states[s].out; o != UINT32_MAX;
		     o = pf->outs[o].next) {
			im->out_state[o] = (uint32_t)s;
			im->out_id[o] = pf->outs[o].pattern;
		}
}

void
prefilter_image_release(struct prefilter_image *im)
{
	free(im->nedges);
	free(im->byte);
	free(im->to);
	free(im->out_state);
	free(im->out_id);
	memset(im, 0, sizeof(*im));
}

/* Whether id names one of im's sets, or is PIDX_NONE when none may. */
static bool
id_ok(const struct prefilter_image *im, size_t id, bool none_ok)
{
	return id < im->npatterns || (none_ok && id == PIDX_NONE);
}

/*
 * Whether the prefix ids of pattern p of rule r are those a compile would
 * give: none outside the folded view or when the prefix set does not
 * anchor, else an id exactly when strings go to the noted or the short
 * set (prefix_split, run on a copy).
 */
static bool
prefix_ids_ok(const struct rule *r, const struct pattern *p)
{
	struct pattern tmp = *p;
	size_t counts[2];

	if (r->view != VIEW_FOLDED || !prefix_split(&tmp, NULL, NULL, counts))
		return p->pidx == PIDX_NONE && p->sidx == PIDX_NONE;
	return (counts[0] > 0) == (p->pidx != PIDX_NONE) &&
	       (counts[1] > 0) == (p->sidx != PIDX_NONE);
}

bool
prefilter_image_valid(const struct prefilter_image *im,
		      struct rule *const *rules, size_t n)
{
	unsigned char *depth = NULL;
	size_t s, i, e = 0, npats = 0, natoms = 0;
	bool ok = false;

	for (i = 0; i < n; i++) {
		const struct rule *r = rules[i];

		npats += r->npats;
		for (s = 0; s < r->npats; s++)
			natoms += r->pats[s].atoms.n + r->pats[s].atoms2.n +
				  r->pats[s].pre.n;
	}
	/* every pattern has at most four ids, every output is an atom */
	if (im->npatterns > 4 * npats || im->nouts > natoms ||
	    im->nstates < 1 || im->nstates > UINT32_MAX / 2 ||
	    im->nedge != im->nstates - 1)
		return false;
	for (i = 0; i < n; i++) {
		const struct rule *r = rules[i];

		for (s = 0; s < r->npats; s++) {
			const struct pattern *p = &r->pats[s];
			bool two = p->atoms.n && p->atoms2.n;

			if (!id_ok(im, p->gidx, false) ||
			    (two ? !id_ok(im, p->gidx2, false)
				 : p->gidx2 != 0) ||
			    !id_ok(im, p->pidx, true) ||
			    !id_ok(im, p->sidx, true) ||
			    !prefix_ids_ok(r, p))
				return false;
		}
	}
	/*
	 * A tree: every state but the root the child of one state made
	 * before it, under bytes ascending, at most ATOM_MAX bytes from the
	 * root (deeper, the failure chains would cost a square of it). The
	 * parent comes first, so one pass knows each depth; depth 0 is
	 * "no parent yet" for all but the root.
	 */
	depth = xcalloc(im->nstates, 1);
	for (s = 0; s < im->nstates; s++) {
		if (s && !depth[s])
			goto out;
		for (i = 0; i < im->nedges[s]; i++, e++) {
			if (e >= im->nedge || im->to[e] <= s ||
			    im->to[e] >= im->nstates || depth[im->to[e]] ||
			    depth[s] >= ATOM_MAX ||
			    (i && im->byte[e] <= im->byte[e - 1]))
				goto out;
			depth[im->to[e]] = (unsigned char)(depth[s] + 1);
		}
	}
	if (e != im->nedge)
		goto out;
	for (i = 0; i < im->nouts; i++)
		if (im->out_state[i] >= im->nstates ||
		    im->out_id[i] >= im->npatterns)
			goto out;
	ok = true;
out:
	free(depth);
	return ok;
}

struct prefilter *
prefilter_build_image(struct ruleset *rs, const struct prefilter_image *im)
{
	struct prefilter *pf = xcalloc(1, sizeof(*pf));
	unsigned char *depth;
	size_t s, i, j, e = 0;

	pf->states = xcalloc(im->nstates, sizeof(*pf->states));
	pf->nstates = pf->astates = im->nstates;
	pf->edges = xcalloc(im->nedge + 1, sizeof(*pf->edges));
	pf->nedges = im->nedge;
	/* the characters from the root to each state, for the outputs */
	depth = xcalloc(im->nstates, 1);
	for (s = 0; s < im->nstates; s++) {
		struct state *st = &pf->states[s];

		st->out = UINT32_MAX;
		st->dict = UINT32_MAX;
		st->first_edge = (uint32_t)e;
		st->nedges = im->nedges[s];
		for (i = 0; i < im->nedges[s]; i++, e++) {
			unsigned d = depth[s] + ((im->byte[e] & 0xC0) != 0x80);

			pf->edges[e].byte = im->byte[e];
			pf->edges[e].to = im->to[e];
			depth[im->to[e]] = (unsigned char)(d < 255 ? d : 255);
		}
	}
	/* the outputs in the order they were made, each first in its
	 * state's chain as add_atoms() puts it */
	pf->outs = xcalloc(im->nouts + 1, sizeof(*pf->outs));
	pf->nouts = pf->aouts = im->nouts;
	for (i = 0; i < im->nouts; i++) {
		struct state *st = &pf->states[im->out_state[i]];

		pf->outs[i].pattern = im->out_id[i];
		pf->outs[i].next = st->out;
		st->out = (uint32_t)i;
		st->chars = depth[im->out_state[i]];
	}
	free(depth);
	rs->npatterns = im->npatterns;
	/* the letters of the prefix sets, which no id holds */
	for (i = 0; i < rs->n; i++) {
		struct rule *r = rs->rules[i];

		for (j = 0; j < r->npats; j++) {
			struct pattern *p = &r->pats[j];
			size_t counts[2];

			p->npre_letters = 0;
			p->npre_forms = 0;
			p->pre_lone = false;
			/* the ids are as the split says (valid) */
			p->anchor = r->view == VIEW_FOLDED &&
				    prefix_split(p, NULL, NULL, counts);
		}
	}
	prefilter_finish(pf, rs, RF_PREFILTER_DFA_MAX, (size_t)UINT16_MAX + 1);
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
	free(pf->dfa16);
	free(pf->dfa32);
	free(pf->match_orig);
	free(pf->match_pos);
	free(pf->mout_id);
	free(pf->mout_chars);
	free(pf->mout_start);
	free(pf->mbloom);
	free(pf->rbloom);
	free(pf->cps);
	free(pf->rule_start);
	free(pf->rule_of);
	free(pf->always);
	free(pf->want_pos);
	free(pf->want_pre);
	free(pf);
}

bool
prefilter_is_dense(const struct prefilter *pf)
{
	return pf->dfa16 || pf->dfa32;
}

void
prefilter_seen_init(struct prefilter_seen *sn, size_t npatterns)
{
	memset(sn, 0, sizeof(*sn));
	sn->seen = xcalloc(npatterns + 1, 1);
	sn->list = xcalloc(npatterns + 1, sizeof(*sn->list));
}

void
prefilter_seen_release(struct prefilter_seen *sn)
{
	free(sn->seen);
	free(sn->list);
	free(sn->vis);
	free(sn->mstamp);
	memset(sn, 0, sizeof(*sn));
}

void
prefilter_seen_clear(struct prefilter_seen *sn)
{
	size_t i;

	/* only the ids seen last time need clearing */
	for (i = 0; i < sn->n; i++)
		sn->seen[sn->list[i]] = 0;
	sn->n = 0;
	sn->nvis = 0;
	sn->vis_over = false;
	sn->fonce = sn->fagain = 0;
	if (++sn->mepoch == 0) {
		memset(sn->mstamp, 0, sn->nmstamp * sizeof(*sn->mstamp));
		sn->mepoch = 1;
	}
}

/* Notes that the scan was in state s, which ends an atom of a prefix
 * set, at byte end of the text of sn->field. */
static void
note_visit(struct prefilter_seen *sn, uint32_t s, size_t end)
{
	if (sn->vis_over)
		return;
	if (sn->nvis >= RF_PREFILTER_POS_MAX || end > UINT32_MAX) {
		sn->vis_over = true;
		return;
	}
	if (sn->nvis == sn->avis) {
		sn->avis = sn->avis ? 2 * sn->avis : 64;
		if (sn->avis > RF_PREFILTER_POS_MAX)
			sn->avis = RF_PREFILTER_POS_MAX;
		sn->vis = xreallocarray(sn->vis, sn->avis, sizeof(*sn->vis));
	}
	sn->vis[sn->nvis].state = s;
	sn->vis[sn->nvis].end = (uint32_t)end;
	sn->vis[sn->nvis++].field = sn->field;
}

/* The most bytes of text an atom spans: ATOM_MAX characters at most
 * (each at least a byte folded), each of at most four bytes. */
#define ATOM_SPAN (4 * ATOM_MAX)

/*
 * Where an atom of chars characters ending at byte end of text begins:
 * folding maps a character to one character, so chars characters back
 * in the text as it is.
 */
static uint32_t
atom_start(const char *text, size_t end, unsigned chars)
{
	size_t start = end;

	while (chars-- > 0 && start > 0) {
		start--;
		while (start > 0 && ((unsigned char)text[start] & 0xC0) == 0x80)
			start--;
	}
	return (uint32_t)start;
}

/* Appends start to out[n], growing it; false past the cap of a set. */
static bool
add_start(uint32_t **out, size_t *alloc, size_t *n, uint32_t start)
{
	if (*n >= RF_PREFILTER_POS_PER_SET)
		return false;
	ALLOC_GROW(*out, *n + 1, *alloc);
	(*out)[(*n)++] = start;
	return true;
}

/*
 * Into *from and *to, a range of the visits that holds all those in
 * field that end within len bytes. Returns whether it holds those alone,
 * of one scan, so in the order of their ends; else it may hold others.
 */
static bool
field_visits(const struct prefilter_seen *sn, unsigned char field,
	     size_t len, const struct prefilter_visit **from,
	     const struct prefilter_visit **to)
{
	*from = sn->vis;
	*to = sn->vis + sn->nvis;
	if (field >= FIELD_MAX || (sn->fagain >> field & 1))
		return false;
	if (!(sn->fonce >> field & 1)) {
		*to = *from;	/* not scanned: none */
		return true;
	}
	*from = sn->vis + sn->ffrom[field];
	*to = sn->vis + sn->fto[field];
	while (*to > *from && (*to)[-1].end > len)
		(*to)--;
	return true;
}

size_t
prefilter_starts(const struct prefilter *pf, const struct prefilter_seen *sn,
		 size_t id, unsigned char field, const char *text, size_t len,
		 size_t lim, uint32_t **out, size_t *alloc)
{
	const struct prefilter_visit *vi, *end;
	const uint64_t bit = (uint64_t)1 << (id & 63);
	const uint64_t *bloom = pf->want_pre[id] ? pf->mbloom : pf->rbloom;
	size_t n = 0, stop;
	uint32_t k, d, o;
	bool mixed;

	if (!pf->want_pos[id])
		return 0;	/* not a prefix set's: no places noted */
	if (sn->vis_over)
		return SIZE_MAX;
	/* in the order read, an atom ending at stop or later begins at lim
	 * or later */
	stop = lim < SIZE_MAX - ATOM_SPAN ? lim + ATOM_SPAN : SIZE_MAX;
	mixed = !field_visits(sn, field, len, &vi, &end);
	if (mixed)
		stop = SIZE_MAX;
	if (prefilter_is_dense(pf)) {
		for (; vi < end && vi->end < stop; vi++) {
			if (!(bloom[vi->state] & bit) ||
			    (mixed && (vi->field != field || vi->end > len)))
				continue;
			for (k = pf->mout_start[vi->state];
			     k < pf->mout_start[vi->state + 1]; k++)
				if (pf->mout_id[k] == id &&
				    !add_start(out, alloc, &n,
					       atom_start(text, vi->end,
							  pf->mout_chars[k])))
					return SIZE_MAX;
		}
		return n;
	}
	/* the trie state, then its dict chain, as mark_all goes */
	for (; vi < end && vi->end < stop; vi++) {
		if (mixed && (vi->field != field || vi->end > len))
			continue;
		for (d = vi->state; d != UINT32_MAX; d = pf->states[d].dict)
			for (o = pf->states[d].out; o != UINT32_MAX;
			     o = pf->outs[o].next)
				if (pf->outs[o].pattern == id &&
				    !add_start(out, alloc, &n,
					       atom_start(text, vi->end,
							  pf->states[d].chars)))
					return SIZE_MAX;
	}
	return n;
}

/* For the dense table: lim raised past the latest start of an atom of
 * pattern id that ends at visit vi (bit and bloom as in
 * prefilter_start_limit()). */
static inline size_t
dense_visit_limit(const struct prefilter *pf,
		  const struct prefilter_visit *vi, const uint64_t *bloom,
		  uint64_t bit, size_t id, const char *text, size_t lim)
{
	uint32_t k, s;

	if (!(bloom[vi->state] & bit))
		return lim;
	for (k = pf->mout_start[vi->state]; k < pf->mout_start[vi->state + 1];
	     k++) {
		if (pf->mout_id[k] != id)
			continue;
		s = atom_start(text, vi->end, pf->mout_chars[k]);
		if (s + 1 > lim)
			lim = s + 1;
	}
	return lim;
}

size_t
prefilter_start_limit(const struct prefilter *pf,
		      const struct prefilter_seen *sn, size_t id,
		      unsigned char field, const char *text, size_t len)
{
	const struct prefilter_visit *vi, *first;
	const uint64_t bit = (uint64_t)1 << (id & 63);
	const uint64_t *bloom;
	size_t lim = 0;
	uint32_t d, o, s;
	bool mixed;

	if (!pf->want_pos[id] || sn->vis_over)
		return SIZE_MAX;
	bloom = pf->want_pre[id] ? pf->mbloom : pf->rbloom;
	mixed = !field_visits(sn, field, len, &first, &vi);
	/*
	 * Backwards from the last visit: an atom begins before it ends,
	 * so once a visit ends at or before the latest start found, none
	 * before it (in the order read) begins later.
	 */
	if (!mixed && prefilter_is_dense(pf)) {
		/* the common case, in a loop of its own */
		while (vi-- > first && vi->end > lim)
			lim = dense_visit_limit(pf, vi, bloom, bit, id, text,
						lim);
		return lim;
	}
	while (vi-- > first) {
		if (mixed) {
			if (vi->field != field || vi->end > len)
				continue;
		} else if (vi->end <= lim) {
			break;
		}
		if (prefilter_is_dense(pf)) {
			lim = dense_visit_limit(pf, vi, bloom, bit, id, text,
						lim);
			continue;
		}
		for (d = vi->state; d != UINT32_MAX; d = pf->states[d].dict)
			for (o = pf->states[d].out; o != UINT32_MAX;
			     o = pf->outs[o].next) {
				if (pf->outs[o].pattern != id)
					continue;
				s = atom_start(text, vi->end,
					       pf->states[d].chars);
				if (s + 1 > lim)
					lim = s + 1;
			}
	}
	return lim;
}

/* Marks the patterns whose atoms end at trie state s, adding those seen
 * for the first time to the list; sets *want when one is a prefix set. */
static void
mark(const struct prefilter *pf, uint32_t s, struct prefilter_seen *sn,
     bool *want)
{
	uint32_t o, p;

	for (o = pf->states[s].out; o != UINT32_MAX; o = pf->outs[o].next) {
		p = pf->outs[o].pattern;
		if (!sn->seen[p]) {
			sn->seen[p] = 1;
			sn->list[sn->n++] = p;
		}
		if (pf->want_pos[p])
			*want = true;
	}
}

/* Marks the patterns of trie state s and of its fail chain, at byte end
 * of the text. */
static void
mark_all(const struct prefilter *pf, uint32_t s, struct prefilter_seen *sn,
	 size_t end)
{
	bool want = false;
	uint32_t d;

	if (pf->states[s].out != UINT32_MAX)
		mark(pf, s, sn, &want);
	for (d = pf->states[s].dict; d != UINT32_MAX; d = pf->states[d].dict)
		mark(pf, d, sn, &want);
	if (want)
		note_visit(sn, s, end);
}

/* Feeds one byte to the sparse automaton from state s; returns the new
 * state and marks the patterns whose atoms end here. */
static inline uint32_t
step(const struct prefilter *pf, uint32_t s, unsigned char b,
     struct prefilter_seen *sn, size_t end)
{
	uint32_t t;

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
	mark_all(pf, t, sn, end);
	return t;
}

/* The sparse automaton, character by character: decode, fold, encode. */
static void
scan_sparse(const struct prefilter *pf, const char *text, size_t len,
	    struct prefilter_seen *sn)
{
	size_t i = 0, n, k;
	uint32_t s = 0, cp;
	char u[4];

	while (i < len) {
		unsigned char c = (unsigned char)text[i];

		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				c += 32;
			s = step(pf, s, c, sn, i + 1);
			i++;
			continue;
		}
		n = utf8_decode(text + i, len - i, &cp);
		if (!n) {
			s = 0;
			i++;
			continue;
		}
		k = utf8_encode(atom_fold(cp), u);
		for (size_t b = 0; b < k; b++)
			s = step(pf, s, (unsigned char)u[b], sn, i + n);
		i += n;
	}
}

/* Marks the ids of match state i (a row less match_start) at its first
 * visit in the document. */
static inline void
dfa_mark_ids(const struct prefilter *pf, uint32_t i, struct prefilter_seen *sn)
{
	uint32_t k;

	if (sn->mstamp[i] == sn->mepoch)
		return;
	sn->mstamp[i] = sn->mepoch;
	/* without a branch: whether an id was seen is no guess either */
	for (k = pf->mout_start[i]; k < pf->mout_start[i + 1]; k++) {
		uint32_t id = pf->mout_id[k];

		sn->list[sn->n] = id;
		sn->n += !sn->seen[id];
		sn->seen[id] = 1;
	}
}

/*
 * Marks the patterns of the DFA state of row s (a match state) at byte
 * end of the text: the first visit in a document marks its ids, and
 * every visit of a state that ends a prefix set's atom is noted.
 */
static void
dfa_mark(const struct prefilter *pf, uint32_t s, struct prefilter_seen *sn,
	 size_t end)
{
	uint32_t i = s - pf->match_start;

	if (pf->match_pos[i])
		note_visit(sn, i, end);
	dfa_mark_ids(pf, i, sn);
}

/* A visit of a match state by the DFA: its row, and where it ended, in
 * bytes from the start of the stretch of text the visits were read in. */
struct dfa_visit {
	uint32_t s;
	uint32_t end;
};

/* How many bytes of text the DFA's scan with one chain reads before it
 * marks the visits, so at most how many it keeps. */
#define DFA_VISITS 256

/*
 * Marks the visits v[0, n), read from byte base of the text on, in
 * order. When the notes of all of them fit under RF_PREFILTER_POS_MAX,
 * room is made first and every visit writes its note, kept when its
 * state wants its places, without a branch; else visit by visit, as
 * note_visit() caps them. Where the visits were cut into batches does
 * not change what is marked.
 */
static void
dfa_mark_visits(const struct prefilter *pf, const struct dfa_visit *v,
		size_t n, size_t base, struct prefilter_seen *sn)
{
	size_t k;

	if (!n)
		return;
	if (sn->vis_over || n > RF_PREFILTER_POS_MAX - sn->nvis ||
	    base + v[n - 1].end > UINT32_MAX) {
		for (k = 0; k < n; k++)
			dfa_mark(pf, v[k].s, sn, base + v[k].end);
		return;
	}
	if (sn->nvis + n > sn->avis) {
		size_t a = sn->avis ? 2 * sn->avis : 64;

		if (a < sn->nvis + n)
			a = sn->nvis + n;
		if (a > RF_PREFILTER_POS_MAX)
			a = RF_PREFILTER_POS_MAX;
		sn->vis = xreallocarray(sn->vis, a, sizeof(*sn->vis));
		sn->avis = a;
	}
	/* as dfa_mark_ids() does, from locals: the stores to seen[] could
	 * be to any byte, so sn's and pf's fields would be read again */
	{
		const uint32_t ms = pf->match_start;
		const uint32_t *mstart = pf->mout_start, *mid = pf->mout_id;
		const unsigned char *mpos = pf->match_pos;
		unsigned char *seen = sn->seen, field = sn->field;
		uint32_t *list = sn->list, *stamp = sn->mstamp;
		uint32_t epoch = sn->mepoch;
		struct prefilter_visit *vis = sn->vis;
		size_t nvis = sn->nvis, nl = sn->n;

		for (k = 0; k < n; k++) {
			uint32_t i = v[k].s - ms, j;

			vis[nvis].state = i;
			vis[nvis].end = (uint32_t)(base + v[k].end);
			vis[nvis].field = field;
			nvis += mpos[i];
			if (stamp[i] == epoch)
				continue;
			stamp[i] = epoch;
			for (j = mstart[i]; j < mstart[i + 1]; j++) {
				uint32_t id = mid[j];

				list[nl] = id;
				nl += !seen[id];
				seen[id] = 1;
			}
		}
		sn->nvis = nvis;
		sn->n = nl;
	}
}

/*
 * The place of the column of the character at text, one of three or
 * four bytes, and its length in *n; *n is 0 when no character starts
 * there. Not inlined: the scan's loop keeps its registers.
 */
static __attribute__((noinline)) uint32_t
dfa_column(const struct prefilter *pf, const char *text, size_t len,
	   size_t *n)
{
	uint32_t cp;

	*n = utf8_decode(text, len, &cp);
	if (!*n)
		return 0;
	return (uint32_t)(pf->stride * class_of(pf, atom_fold(cp)));
}

/*
 * One step of the DFA in state s over the character at t[i] (rest bytes
 * left from t on, two at least), i moved past it, the visit written at
 * v[nv] and kept when s is now a match state. An ASCII byte or a
 * two-byte character costs a table load for its column and one for the
 * step; anything else (three- and four-byte characters) is decoded,
 * folded and looked up. An invalid byte restarts from the root, as no
 * atom holds one. The overlong two-byte forms (C0 and C1 leads) are
 * taken as characters of class 0: they too lead to the root, whose row
 * is no match state, as the two invalid bytes would. A step never takes
 * a byte that is no continuation byte but its first.
 */
#define DFA_STEP(t, i, st, v, nv, rest)					\
	do {								\
		unsigned c_ = (t)[i], d_ = (t)[(i) + 1];		\
		size_t n_;						\
		uint32_t cp_;						\
									\
		if (c_ < 0x80) {					\
			st = tab[col1[c_] + st];			\
			(i)++;						\
		} else if (((c_ << 8 | d_) & 0xE0C0) == 0xC080) {	\
			st = tab[col2[(size_t)(c_ << 6 ^ d_) - 0x3000]	\
				+ st];					\
			(i) += 2;					\
		} else {						\
			cp_ = dfa_column(pf, (const char *)(t) + (i),	\
					 (rest) - (i), &n_);		\
			st = n_ ? tab[cp_ + st] : 0;			\
			(i) += n_ ? n_ : 1;				\
		}							\
		(v)[nv].s = st;						\
		(v)[nv].end = (uint32_t)(i);				\
		(nv) += st >= ms;					\
	} while (0)

/*
 * The two-chain scan: how many bytes a round reads at most, and how
 * many must be left for another round (less goes through one chain).
 * Chain 1 starts ATOM_MAX characters before its part; chain 0's part
 * is made that much longer than half the round, about. The visits of a
 * round are kept on the stack: 16 KB a chain.
 */
#define DFA_ROUND 2048
#define DFA_SPLIT_MIN 256
#define DFA_WARM_BIAS 40

/*
 * The DFA over the text folded on the fly, as DFA_STEP reads it. Each
 * step is a load that waits on the last one, mostly on the L2 cache: so
 * a round of up to DFA_ROUND bytes is read by two chains of steps at
 * once, which the processor overlaps. Chain 0 goes from where the last
 * round ended, in its state, to a character m about half way; chain 1
 * from the root ATOM_MAX characters before m (or the round's start, in
 * its state) to the end of the round. A state of the automaton is the
 * longest end of the text read that is a path of the trie, no longer
 * than ATOM_MAX bytes, so chain 1 is in the true state at m, and its
 * visits that end at or before m are dropped: chain 0 made them. Every
 * byte that is no continuation byte starts a step, so m and chain 1's
 * start are places the true scan steps from. The visits of match
 * states are written down without a branch (every step writes, only a
 * match state's is kept) and marked, chain 0's then chain 1's, after
 * the round: the loop then neither guesses wrong at a match state nor
 * calls out, and the marks come in the order of the text. The text of a
 * table under DFA_SPLIT_TABLE, and what is left at the end of a long
 * one, goes through one chain, marked every DFA_VISITS bytes;
 * the last byte is stepped after the loop, so that the loop need not
 * ask whether a second byte follows. Made twice, for either width of
 * the table.
 */
#define SCAN_DFA(name, type, table)					\
static void								\
name(const struct prefilter *pf, const char *text, size_t len,		\
     struct prefilter_seen *sn)						\
{									\
	const bool two = pf->two_chains;				\
	const unsigned char *t = (const unsigned char *)text;		\
	const type *tab = pf->table;					\
	const uint32_t *col1 = pf->col_ascii, *col2 = pf->col2;	\
	const uint32_t ms = pf->match_start;				\
	struct dfa_visit v0[DFA_ROUND + 2], v1[DFA_ROUND + 2];		\
	size_t a = 0, i, nv, span, m, w, k;				\
	uint32_t s = 0;							\
									\
	if (!len)							\
		return;							\
	while (two && a < len - 1 && len - 1 - a >= DFA_SPLIT_MIN) {	\
		const unsigned char *tb = t + a;			\
		size_t rest = len - a, i0 = 0, i1, nv0 = 0, nv1 = 0;	\
		uint32_t s0 = s, s1;					\
									\
		span = len - 1 - a < DFA_ROUND ? len - 1 - a : DFA_ROUND; \
		m = span / 2 + DFA_WARM_BIAS;				\
		while (m < span && (tb[m] & 0xC0) == 0x80)		\
			m++;						\
		if (m >= span)						\
			break;	/* no character to cut at: one chain */ \
		for (w = m, k = 0; w > 0 && k < ATOM_MAX;) {		\
			w--;						\
			k += (tb[w] & 0xC0) != 0x80;			\
		}							\
		s1 = w ? 0 : s0;					\
		i1 = w;							\
		while (i0 < m && i1 < span) {				\
			DFA_STEP(tb, i0, s0, v0, nv0, rest);		\
			DFA_STEP(tb, i1, s1, v1, nv1, rest);		\
		}							\
		while (i0 < m)						\
			DFA_STEP(tb, i0, s0, v0, nv0, rest);		\
		while (i1 < span)					\
			DFA_STEP(tb, i1, s1, v1, nv1, rest);		\
		dfa_mark_visits(pf, v0, nv0, a, sn);			\
		for (k = 0; k < nv1 && v1[k].end <= m; k++)		\
			;						\
		dfa_mark_visits(pf, v1 + k, nv1 - k, a, sn);		\
		a += i1;						\
		s = s1;							\
	}								\
	while (a < len - 1) {						\
		const unsigned char *tb = t + a;			\
		size_t rest = len - a;					\
									\
		span = len - 1 - a < DFA_VISITS ? len - 1 - a		\
						: DFA_VISITS;		\
		for (i = 0, nv = 0; i < span;)				\
			DFA_STEP(tb, i, s, v0, nv, rest);		\
		dfa_mark_visits(pf, v0, nv, a, sn);			\
		a += i;							\
	}								\
	/* the last byte: ASCII, or no character */			\
	if (a < len && t[a] < 0x80) {					\
		s = tab[col1[t[a]] + s];				\
		if (s >= ms)						\
			dfa_mark(pf, s, sn, len);			\
	}								\
}

SCAN_DFA(scan_dfa16, uint16_t, dfa16)
SCAN_DFA(scan_dfa32, uint32_t, dfa32)

void
prefilter_set_two_chains(struct prefilter *pf, bool two)
{
	pf->two_chains = two;
}

void
prefilter_scan(const struct prefilter *pf, const char *text, size_t len,
	       struct prefilter_seen *sn)
{
	size_t from;

	if (pf->root_out) {
		bool want = false;	/* an empty atom is no prefix */

		mark(pf, 0, sn, &want);
	}
	if (prefilter_is_dense(pf) && sn->mpf != pf) {
		/* the first scan, or another prefilter's stamps */
		free(sn->mstamp);
		sn->mstamp = xcalloc(pf->nmatch + 1, sizeof(*sn->mstamp));
		sn->nmstamp = pf->nmatch;
		sn->mepoch = 1;
		sn->mpf = pf;
	}
	from = sn->nvis;
	if (pf->dfa16)
		scan_dfa16(pf, text, len, sn);
	else if (pf->dfa32)
		scan_dfa32(pf, text, len, sn);
	else
		scan_sparse(pf, text, len, sn);
	/* where this field's visits are */
	if (sn->field < FIELD_MAX) {
		if (sn->fonce >> sn->field & 1)
			sn->fagain |= 1u << sn->field;
		sn->fonce |= 1u << sn->field;
		sn->ffrom[sn->field] = (uint32_t)from;
		sn->fto[sn->field] = (uint32_t)sn->nvis;
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
	return pattern_may(&r->pats[i], seen);
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

size_t
prefilter_candidates(const struct prefilter *pf, const struct ruleset *rs,
		     const struct prefilter_seen *sn, uint32_t *stamp,
		     uint32_t epoch, uint32_t *out)
{
	size_t i, n = 0;

	for (i = 0; i < pf->nalways; i++) {
		stamp[pf->always[i]] = epoch;
		out[n++] = pf->always[i];
	}
	for (i = 0; i < sn->n; i++) {
		uint32_t id = sn->list[i], k;

		for (k = pf->rule_start[id]; k < pf->rule_start[id + 1]; k++) {
			uint32_t r = pf->rule_of[k];

			if (stamp[r] == epoch)
				continue;
			stamp[r] = epoch;
			if (prefilter_candidate(rs->rules[r], sn->seen))
				out[n++] = r;
		}
	}
	/* a few a document (six with the packs): qsort's calls cost more
	 * than placing each */
	if (n > 32) {
		qsort(out, n, sizeof(*out), cmp_u32);
	} else {
		for (i = 1; i < n; i++) {
			uint32_t r = out[i];
			size_t j;

			for (j = i; j > 0 && out[j - 1] > r; j--)
				out[j] = out[j - 1];
			out[j] = r;
		}
	}
	return n;
}
