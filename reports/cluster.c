/*
 * cluster.c: listings behind one contact or one text: shared contacts
 * from the store, near-identical texts by simhash (Charikar 2002; Manku,
 * Jain and Das Sarma 2007 for 64-bit fingerprints and the block search).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "common/banned.h"

/* ---- simhash ---- */

static uint64_t
mix64(uint64_t x)
{
	/* splitmix64's finalizer: every input bit moves every output bit */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebull;
	x ^= x >> 31;
	return x;
}

static uint64_t
fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ull;
	}
	return mix64(h);
}

/* Lower case for Latin, Latin-1 and Cyrillic; ё is е. */
static uint32_t
fold_cp(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if (c >= 0x410 && c <= 0x42F)
		return c + 32;
	if (c >= 0x400 && c <= 0x40F)
		c += 80;
	if (c == 0x451)
		return 0x435;
	/* the extended Cyrillic of Kazakh, Kyrgyz, Tajik, Uzbek: pairs,
	 * capital first */
	if (c >= 0x460 && c <= 0x4FF && c != 0x4C0 && !(c & 1))
		return c + 1;
	return c;
}

/* Whether c belongs to a word: letters, digits, combining marks. */
static bool
word_cp(uint32_t c)
{
	if (c < 0x80)
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		       (c >= 'A' && c <= 'Z');
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return false;
	if ((c >= 0x2000 && c <= 0x2BFF) || (c >= 0x3000 && c <= 0x303F) ||
	    (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF ||
	    c == UTF8_REPLACEMENT || c >= 0x1F000)
		return false;
	return true;
}

struct shash {
	int32_t v[64];
	uint64_t prev;		/* the last word's hash */
	bool have_prev;
	size_t words;
};

static void
shash_feature(struct shash *h, uint64_t f)
{
	int i;

	for (i = 0; i < 64; i++)
		h->v[i] += (f >> i) & 1 ? 1 : -1;
}

static void
shash_word(struct shash *h, const char *w, size_t n, bool digits_only)
{
	uint64_t f;

	/* numbers (phones, prices, dates) differ between copies of one
	 * text; they are left out */
	if (n == 0 || digits_only)
		return;
	f = fnv1a(w, n);
	/* pairs of words, not single words: on short ads, pairs keep
	 * unrelated texts apart (docs/reports.md has the measurement) */
	if (h->have_prev)
		shash_feature(h, mix64(h->prev * 31 + f));
	h->prev = f;
	h->have_prev = true;
	h->words++;
}

bool
report_simhash(const char *text, size_t len, uint64_t *out)
{
	struct shash h;
	char word[64];
	size_t wn = 0, i = 0, k;
	bool digits = true;
	uint64_t r = 0;

	memset(&h, 0, sizeof(h));
	if (len > RF_REPORT_SIMHASH_BYTES)
		len = utf8_prefix(text, len, RF_REPORT_SIMHASH_BYTES);
	while (i <= len) {
		uint32_t c = ' ';
		size_t n = 1;

		if (i < len) {
			n = utf8_decode(text + i, len - i, &c);
			if (n == 0)
				n = 1;
		}
		c = fold_cp(c);
		if (i < len && word_cp(c)) {
			char enc[4];
			size_t el = utf8_encode(c, enc);

			/* a longer word keeps its first 64 bytes */
			if (wn + el <= sizeof(word)) {
				memcpy(word + wn, enc, el);
				wn += el;
			}
			if (c < '0' || c > '9')
				digits = false;
		} else {
			shash_word(&h, word, wn, digits);
			wn = 0;
			digits = true;
		}
		i += n;
	}
	for (k = 0; k < 64; k++)
		if (h.v[k] > 0)
			r |= (uint64_t)1 << k;
	*out = r;
	return h.words >= REPORT_SIMHASH_MIN_WORDS;
}

int
report_simhash_distance(uint64_t a, uint64_t b)
{
	return __builtin_popcountll(a ^ b);
}

/* ---- the clusters ---- */

void
report_clusters_init(struct report_clusters *c)
{
	memset(c, 0, sizeof(*c));
}

void
report_clusters_release(struct report_clusters *c)
{
	if (c->pool_) {
		rpool_release(c->pool_);
		free(c->pool_);
	}
	free(c->items);
	free(c->member_listing_);
	free(c->member_cluster_);
	report_clusters_init(c);
}

/* What is known of one listing while clusters are built. */
struct member {
	int64_t id;
	const char *url, *title, *site, *location, *lang;
	int score;
	enum store_level level;
	int64_t version_id;
};

struct builder {
	struct store *s;
	int64_t run_id;
	struct report_clusters *c;
	struct rpool *pool;
	/* indicators per version, cached: version -> index into ind */
	struct imap ind_of;
	struct {
		const char **v;
		size_t n;
	} *ind;
	size_t nind, ind_alloc;
	struct buf *msg;
};

static void
store_msg(struct builder *b, enum rf_err err, const char *what)
{
	if (b->msg)
		buf_addf(b->msg, "%s: %s: %s", what, rf_strerror(err),
			 store_errmsg(b->s));
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The distinct indicators of version_id's findings at the run. */
static enum rf_err
version_indicators(struct builder *b, int64_t version_id, size_t *idx)
{
	struct store_finding_list fl;
	enum rf_err err;
	size_t i, n = 0;
	const char **v;

	if (imap_get(&b->ind_of, version_id, idx))
		return RF_OK;
	store_finding_list_init(&fl);
	err = store_findings(b->s, version_id, b->run_id, &fl);
	if (err) {
		store_msg(b, err, "findings");
		store_finding_list_release(&fl);
		return err;
	}
	v = rpool_alloc(b->pool, (fl.n + 1) * sizeof(*v));
	for (i = 0; i < fl.n; i++) {
		const char *ind = fl.items[i].indicator;
		size_t k;

		if (!ind)
			continue;
		for (k = 0; k < n && strcmp(v[k], ind) != 0; k++)
			;
		if (k == n)
			v[n++] = rpool_dup(b->pool, ind);
	}
	store_finding_list_release(&fl);
	ALLOC_GROW(b->ind, b->nind + 1, b->ind_alloc);
	b->ind[b->nind].v = v;
	b->ind[b->nind].n = n;
	imap_put(&b->ind_of, version_id, b->nind);
	*idx = b->nind++;
	return RF_OK;
}

static int
cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static size_t
count_distinct(const char **v, size_t n)
{
	size_t i, d = 0;

	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
			d++;
	return d;
}

/* Adds a cluster of the n members (sorted here, duplicates dropped). */
static enum rf_err
add_cluster(struct builder *b, enum report_cluster_kind kind,
	    const char *key, struct member *m, size_t n)
{
	struct report_cluster *cl;
	const char **names, **inds = NULL;
	struct report_member *mem;
	size_t i, k, u = 0, nsites = 0, nlocs = 0, nlangs = 0, ninds = 0;
	size_t indalloc = 0;
	int64_t *ids;
	enum rf_err err;

	if (n)
		qsort(m, n, sizeof(*m), cmp_member);
	for (i = 0; i < n; i++)
		if (i == 0 || m[i].id != m[u - 1].id)
			m[u++] = m[i];
	n = u;
	if (n < 2)
		return RF_OK;

	ALLOC_GROW(b->c->items, b->c->n + 1, b->c->alloc);
	cl = &b->c->items[b->c->n];
	memset(cl, 0, sizeof(*cl));
	cl->kind = kind;
	cl->key = rpool_dup(b->pool, key);
	ids = rpool_alloc(b->pool, n * sizeof(*ids));
	mem = rpool_alloc(b->pool, n * sizeof(*mem));
	names = xcalloc(n, sizeof(*names));
	for (i = 0; i < n; i++) {
		ids[i] = m[i].id;
		mem[i].id = m[i].id;
		mem[i].url = rpool_dup(b->pool, m[i].url);
		mem[i].site = rpool_dup(b->pool, m[i].site);
		mem[i].title = rpool_dup(b->pool, m[i].title);
		mem[i].location = rpool_dup(b->pool, m[i].location);
		mem[i].lang = rpool_dup(b->pool, m[i].lang);
		mem[i].score = m[i].score;
		mem[i].level = m[i].level;
		if (m[i].score > cl->max_score)
			cl->max_score = m[i].score;
		if (m[i].level > cl->max_level)
			cl->max_level = m[i].level;
		if (m[i].site)
			names[nsites++] = m[i].site;
	}
	cl->nsites = count_distinct(names, nsites);
	for (i = 0; i < n; i++)
		if (m[i].location && *m[i].location)
			names[nlocs++] = m[i].location;
	cl->nlocations = count_distinct(names, nlocs);
	for (i = 0; i < n; i++)
		if (m[i].lang && *m[i].lang && strcmp(m[i].lang, "und") != 0)
			names[nlangs++] = m[i].lang;
	cl->nlangs = count_distinct(names, nlangs);
	free(names);
	cl->listings = ids;
	cl->members = mem;
	cl->nlistings = n;

	for (i = 0; i < n; i++) {
		size_t idx;

		if (!m[i].version_id)
			continue;
		if ((err = version_indicators(b, m[i].version_id, &idx)))
			goto fail;
		for (k = 0; k < b->ind[idx].n; k++) {
			ALLOC_GROW(inds, ninds + 1, indalloc);
			inds[ninds++] = b->ind[idx].v[k];
		}
	}
	if (ninds)
		qsort(inds, ninds, sizeof(*inds), cmp_str);
	u = 0;
	for (i = 0; i < ninds; i++)
		if (u == 0 || strcmp(inds[i], inds[u - 1]) != 0)
			inds[u++] = inds[i];
	{
		const char **v = rpool_alloc(b->pool, (u + 1) * sizeof(*v));

		if (u)
			memcpy(v, inds, u * sizeof(*v));
		cl->indicators = v;
		cl->nindicators = u;
	}
	free(inds);
	b->c->n++;
	return RF_OK;
fail:
	free(inds);
	return err;
}

static enum report_cluster_kind
kind_of(enum store_contact_type t)
{
	switch (t) {
	case STORE_CONTACT_PHONE:
		return REPORT_CLUSTER_PHONE;
	case STORE_CONTACT_HANDLE:
		return REPORT_CLUSTER_HANDLE;
	case STORE_CONTACT_EMAIL:
		return REPORT_CLUSTER_EMAIL;
	default:
		return REPORT_CLUSTER_LINK;
	}
}

static enum rf_err
contact_clusters(struct builder *b)
{
	struct store_cluster_list cl;
	enum rf_err err;
	size_t i, k;

	store_cluster_list_init(&cl);
	err = store_clusters(b->s, b->run_id, 2, &cl);
	if (err) {
		store_msg(b, err, "clusters");
		goto out;
	}
	for (i = 0; i < cl.n; i++) {
		const struct store_cluster *sc = &cl.items[i];
		struct member *m = xcalloc(sc->nlistings, sizeof(*m));

		for (k = 0; k < sc->nlistings; k++) {
			const struct store_listing *l = &sc->listings[k];

			m[k].id = l->id;
			m[k].url = l->url;
			m[k].title = l->title;
			m[k].site = l->site;
			m[k].location = l->location;
			m[k].lang = l->lang;
			m[k].score = l->score;
			m[k].level = l->level;
			m[k].version_id = l->version_id;
		}
		err = add_cluster(b, kind_of(sc->type), sc->value, m,
				  sc->nlistings);
		free(m);
		if (err)
			goto out;
	}
out:
	store_cluster_list_release(&cl);
	return err;
}

/* ---- near-identical texts ---- */

static size_t
uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void
uf_union(size_t *parent, size_t a, size_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b)
		parent[a > b ? a : b] = a < b ? a : b;
}

struct hashed {
	uint64_t key;		/* the simhash, or one 16-bit block first */
	size_t i;		/* index of the listing */
};

static int
cmp_hashed(const void *a, const void *b)
{
	const struct hashed *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Unions every pair of the n hashes within REPORT_SIMHASH_DISTANCE bits.
 * Identical hashes are joined first. Then, by the pigeonhole principle,
 * two hashes that differ in at most D bits agree on at least one of D + 1
 * disjoint blocks of bits: only hashes that share a block are compared.
 */
static void
near_pairs(const uint64_t *h, size_t n, size_t *parent)
{
	enum { NBLOCKS = REPORT_SIMHASH_DISTANCE + 1 };
	struct hashed *v = xcalloc(n ? n : 1, sizeof(*v));
	struct hashed *u = xcalloc(n ? n : 1, sizeof(*u));
	size_t i, j, a, nu = 0, block;

	for (i = 0; i < n; i++) {
		v[i].key = h[i];
		v[i].i = i;
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_hashed);
	for (i = 0; i < n; i++) {
		if (i > 0 && v[i].key == v[i - 1].key)
			uf_union(parent, v[i - 1].i, v[i].i);
		else
			u[nu++] = v[i];
	}
	for (block = 0; block < NBLOCKS; block++) {
		unsigned lo = (unsigned)(64 * block / NBLOCKS);
		unsigned hi = (unsigned)(64 * (block + 1) / NBLOCKS);
		uint64_t mask = hi - lo >= 64 ? ~(uint64_t)0
					      : ((uint64_t)1 << (hi - lo)) - 1;

		for (i = 0; i < nu; i++) {
			v[i].key = h[u[i].i] >> lo & mask;
			v[i].i = u[i].i;
		}
		if (nu)
			qsort(v, nu, sizeof(*v), cmp_hashed);
		for (a = 0; a < nu; a = j) {
			for (j = a + 1; j < nu && v[j].key == v[a].key; j++)
				;
			for (size_t x = a; x < j; x++)
				for (size_t y = x + 1; y < j; y++)
					if (report_simhash_distance(
						    h[v[x].i], h[v[y].i]) <=
					    REPORT_SIMHASH_DISTANCE)
						uf_union(parent, v[x].i,
							 v[y].i);
		}
	}
	free(u);
	free(v);
}

/* The title and text of version_id of listing_id, into out. */
static enum rf_err
listing_text(struct builder *b, int64_t listing_id, int64_t version_id,
	     struct buf *out)
{
	struct store_version_list vl;
	enum rf_err err;
	size_t i;

	store_version_list_init(&vl);
	err = store_history(b->s, listing_id, &vl);
	if (err) {
		store_msg(b, err, "history");
		goto out;
	}
	for (i = 0; i < vl.n; i++) {
		if (vl.items[i].id != version_id)
			continue;
		if (vl.items[i].title) {
			buf_addstr(out, vl.items[i].title);
			buf_addch(out, '\n');
		}
		if (vl.items[i].text)
			buf_addstr(out, vl.items[i].text);
		break;
	}
out:
	store_version_list_release(&vl);
	return err;
}

static enum rf_err
text_clusters(struct builder *b)
{
	struct store_listing_list ll;
	struct buf text;
	uint64_t *h = NULL;
	size_t *parent = NULL, *of = NULL, i, j, n = 0, nl;
	struct member *m = NULL;
	struct hashed *byroot = NULL;
	enum rf_err err;

	store_listing_list_init(&ll);
	buf_init(&text, RF_REPORT_SIMHASH_BYTES + RF_STORE_TITLE_MAX + 2);
	err = store_listings(b->s, b->run_id, STORE_SEL_SEEN, STORE_LEVEL_NONE,
			     &ll);
	if (err) {
		store_msg(b, err, "listings");
		goto out;
	}
	/* highest score first: over the cap, the likeliest are kept */
	nl = ll.n;
	if (nl > RF_REPORT_SIMHASH_LISTINGS_MAX) {
		nl = RF_REPORT_SIMHASH_LISTINGS_MAX;
		b->c->text_capped = true;
	}
	h = xcalloc(nl + 1, sizeof(*h));
	of = xcalloc(nl + 1, sizeof(*of));
	for (i = 0; i < nl; i++) {
		const struct store_listing *l = &ll.items[i];

		buf_reset(&text);
		if ((err = listing_text(b, l->id, l->version_id, &text)))
			goto out;
		if (report_simhash(text.data, text.len, &h[n]))
			of[n++] = i;
	}
	parent = xcalloc(n + 1, sizeof(*parent));
	for (i = 0; i < n; i++)
		parent[i] = i;
	near_pairs(h, n, parent);

	/* each root with others under it is a cluster: group the hashed
	 * listings by root, each group in listing order */
	byroot = xcalloc(n + 1, sizeof(*byroot));
	for (i = 0; i < n; i++) {
		byroot[i].key = uf_find(parent, i);
		byroot[i].i = i;
	}
	if (n)
		qsort(byroot, n, sizeof(*byroot), cmp_hashed);
	m = xcalloc(n + 1, sizeof(*m));
	for (i = 0; i < n; i = j) {
		size_t nm = 0, first = n, k;
		char key[32];

		for (j = i; j < n && byroot[j].key == byroot[i].key; j++) {
			const struct store_listing *l;

			k = byroot[j].i;
			l = &ll.items[of[k]];
			if (first == n || l->id < ll.items[of[first]].id)
				first = k;
			m[nm].id = l->id;
			m[nm].url = l->url;
			m[nm].title = l->title;
			m[nm].site = l->site;
			m[nm].location = l->location;
			m[nm].lang = l->lang;
			m[nm].score = l->score;
			m[nm].level = l->level;
			m[nm].version_id = l->version_id;
			nm++;
		}
		if (nm < 2)
			continue;
		snprintf(key, sizeof(key), "simhash:%016llx",
			 (unsigned long long)h[first]);
		if ((err = add_cluster(b, REPORT_CLUSTER_TEXT, key, m, nm)))
			goto out;
	}
out:
	free(byroot);
	free(m);
	free(parent);
	free(of);
	free(h);
	buf_release(&text);
	store_listing_list_release(&ll);
	return err;
}

/* ---- order and membership ---- */

static int
cmp_cluster(const void *a, const void *b)
{
	const struct report_cluster *x = a, *y = b;
	int c;

	if (x->nlistings != y->nlistings)
		return x->nlistings > y->nlistings ? -1 : 1;
	if (x->max_score != y->max_score)
		return x->max_score > y->max_score ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	c = strcmp(x->key, y->key);
	return c;
}

struct pair {
	int64_t listing;
	size_t cluster;
};

static int
cmp_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->listing != y->listing)
		return x->listing < y->listing ? -1 : 1;
	return x->cluster < y->cluster ? -1 : x->cluster > y->cluster;
}

static void
index_members(struct report_clusters *c)
{
	struct pair *p = NULL;
	size_t np = 0, alloc = 0, i, k;

	for (i = 0; i < c->n; i++) {
		for (k = 0; k < c->items[i].nlistings; k++) {
			ALLOC_GROW(p, np + 1, alloc);
			p[np].listing = c->items[i].listings[k];
			p[np].cluster = i;
			np++;
		}
	}
	if (np)
		qsort(p, np, sizeof(*p), cmp_pair);
	c->member_listing_ = xcalloc(np + 1, sizeof(int64_t));
	c->member_cluster_ = xcalloc(np + 1, sizeof(size_t));
	for (i = 0; i < np; i++) {
		c->member_listing_[i] = p[i].listing;
		c->member_cluster_[i] = p[i].cluster;
	}
	c->nmembers_ = c->members_alloc_ = np;
	free(p);
}

enum rf_err
report_clusters_compute(struct store *s, int64_t run_id,
			struct report_clusters *c, struct buf *msg)
{
	struct builder b;
	enum rf_err err;

	memset(&b, 0, sizeof(b));
	b.s = s;
	b.run_id = run_id;
	b.c = c;
	b.msg = msg;
	if (!c->pool_) {
		c->pool_ = xcalloc(1, sizeof(struct rpool));
		rpool_init(c->pool_);
	}
	b.pool = c->pool_;
	imap_init(&b.ind_of);
	if ((err = contact_clusters(&b)) == RF_OK &&
	    (err = text_clusters(&b)) == RF_OK) {
		if (c->n)
			qsort(c->items, c->n, sizeof(*c->items), cmp_cluster);
		free(c->member_listing_);
		free(c->member_cluster_);
		index_members(c);
	}
	imap_release(&b.ind_of);
	free(b.ind);
	return err;
}

size_t
report_clusters_of(const struct report_clusters *c, int64_t listing_id,
		   const size_t **idx)
{
	size_t lo = 0, hi = c->nmembers_, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->member_listing_[mid] < listing_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < c->nmembers_ && c->member_listing_[lo] == listing_id)
		lo++;
	if (idx)
		*idx = lo > first ? c->member_cluster_ + first : NULL;
	return lo - first;
}
