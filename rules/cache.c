/*
 * cache.c: the on-disk cache of compiled rulesets (rules.h,
 * rules_compile_paths).
 *
 * An entry is one file, DIR/<key>.rfc, where key is the SHA-256 of what
 * the compile was asked for (the paths as given and resolved, the
 * options, the format, PCRE2's version, the caller's build id). It holds
 * what the compile read (each rule file and lemmas.lock by the SHA-256
 * of its content, each folder by its names, each hunspell dictionary by
 * device, inode, size and time), the warnings it reported, and the rules
 * as the compiler left them: metadata, conditions, examples, and per
 * pattern the PCRE2 source it compiled, the literal atoms and the ids of
 * its atom sets; then the prefilter's trie of those atoms. Loading an
 * entry re-hashes the inputs, decodes the rules and the trie and makes
 * the prefilter's DFA from it (milliseconds); the PCRE2 programs are
 * compiled when a matcher first needs them (pattern_code), so no byte
 * code is read from disk.
 *
 * A file of the cache is untrusted input: the header (magic, format,
 * key, length, SHA-256 of the payload) and then every field is checked
 * (lengths against what is left, enums, indexes into the rule's
 * patterns, condition shapes and depth), and anything wrong makes the
 * entry a miss. Entries are written to a temporary file (mode 0600) and
 * renamed; the folder is made 0700 and must belong to the user and not
 * be writable by others; the newest RF_RULECACHE_KEEP entries are kept.
 *
 * Layout (integers little-endian):
 *	"RFRULES\0" u32 format  u32 0  key[32]  u64 payload-length  sha[32]
 *	payload:
 *	u32 n, n x { u8 kind, str path, digest[32], ident[32] }	inputs
 *	u32 n, n x { u8 severity, str file, i32 line, i32 col,	diagnostics
 *		     str code, str message, str source-line }
 *	u32 n, n x rule						rules
 *	u32 ids, u32 states, states x u16 edges,		trie
 *	    edges x u8 byte, edges x u32 to,
 *	    u32 n, n x { u32 state, u32 id }		outputs
 * where str is u32 length then bytes (0xffffffff: absent), and a rule
 * ends each pattern with the u32 ids of its sets (gidx; gidx2, 0 when
 * it has no second set; pidx and sidx, 0xffffffff when none), see
 * struct prefilter_image and prefilter_image_valid() for what is
 * checked of the trie.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "common/utf8.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "rules/rules-int.h"
#include "common/banned.h"

#define CACHE_MAGIC	"RFRULES"	/* and its NUL: 8 bytes */
#define CACHE_HEADER	(8 + 4 + 4 + 32 + 8 + 32)
#define CACHE_SUFFIX	".rfc"
#define NO_STR		0xffffffffu
#define NO_ID		0xffffffffu	/* PIDX_NONE */

/* ---- recording a compile ---- */

static bool stat_digest(const char *path, unsigned char *out);

static struct cache_input *
input_add(struct rules_compiler *c, unsigned char kind, const char *path)
{
	struct cache_input *in;

	ALLOC_GROW(c->inputs, c->ninputs + 1, c->ainputs);
	in = &c->inputs[c->ninputs++];
	memset(in, 0, sizeof(*in));
	in->kind = kind;
	in->path = xstrdup(path);
	return in;
}

void
cache_note_file(struct rules_compiler *c, const char *path,
		const unsigned char *ident, const void *data, size_t len)
{
	struct cache_input *in = input_add(c, INPUT_FILE, path);

	sha256_digest(data, len, in->digest);
	if (ident)
		memcpy(in->ident, ident, sizeof(in->ident));
}

void
cache_note_unreadable(struct rules_compiler *c, const char *path)
{
	input_add(c, INPUT_UNREADABLE, path);
}

static void
names_digest(char *const *names, size_t n, unsigned char *out)
{
	struct sha256_ctx ctx;
	size_t i;

	sha256_init(&ctx);
	for (i = 0; i < n; i++)
		sha256_update(&ctx, names[i], strlen(names[i]) + 1);
	sha256_final(&ctx, out);
}

void
cache_note_dir(struct rules_compiler *c, const char *path,
	       char *const *names, size_t n)
{
	names_digest(names, n, input_add(c, INPUT_DIR, path)->digest);
}

/*
 * The identity of a file by its metadata; false when it cannot stat.
 * The change time is in it: writing a file, or setting its times back,
 * changes that, so a file whose identity is unchanged has not been
 * written since.
 */
static bool
stat_digest(const char *path, unsigned char *out)
{
	struct stat st;
	char id[200];
	int n;

	if (stat(path, &st) != 0)
		return false;
	n = snprintf(id, sizeof(id), "%llu:%llu:%lld:%lld.%09ld:%lld.%09ld",
		     (unsigned long long)st.st_dev,
		     (unsigned long long)st.st_ino, (long long)st.st_size,
		     (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
		     (long long)st.st_ctim.tv_sec, (long)st.st_ctim.tv_nsec);
	sha256_digest(id, (size_t)n, out);
	return true;
}

bool
cache_file_ident(const char *path, unsigned char *out)
{
	return stat_digest(path, out);
}

void
cache_note_stat(struct rules_compiler *c, const char *path)
{
	struct cache_input *in = input_add(c, INPUT_STAT, path);

	if (!stat_digest(path, in->digest))
		in->kind = INPUT_UNREADABLE;
}

void
cache_note_diag(struct rules_compiler *c, const struct rule_diag *d)
{
	struct cache_diag *k;

	ALLOC_GROW(c->diags, c->ndiags + 1, c->adiags);
	k = &c->diags[c->ndiags++];
	k->severity = d->severity;
	k->file = xstrdup(d->file ? d->file : "");
	k->code = xstrdup(d->code ? d->code : "");
	k->message = xstrdup(d->message ? d->message : "");
	k->source_line = d->source_line ? xstrdup(d->source_line) : NULL;
	k->line = d->line;
	k->col = d->col;
}

static void
inputs_free(struct cache_input *in, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(in[i].path);
	free(in);
}

static void
diags_free(struct cache_diag *d, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(d[i].file);
		free(d[i].code);
		free(d[i].message);
		free(d[i].source_line);
	}
	free(d);
}

void
cache_record_release(struct rules_compiler *c)
{
	inputs_free(c->inputs, c->ninputs);
	diags_free(c->diags, c->ndiags);
	c->inputs = NULL;
	c->diags = NULL;
	c->ninputs = c->ainputs = c->ndiags = c->adiags = 0;
}

/* ---- encoding ---- */

static void
put_u8(struct buf *b, unsigned v)
{
	unsigned char c = (unsigned char)v;

	buf_add(b, &c, 1);
}

static void
put_u32(struct buf *b, uint32_t v)
{
	unsigned char c[4];
	int i;

	for (i = 0; i < 4; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_add(b, c, 4);
}

static void
put_u64(struct buf *b, uint64_t v)
{
	unsigned char c[8];
	int i;

	for (i = 0; i < 8; i++)
		c[i] = (unsigned char)(v >> (8 * i));
	buf_add(b, c, 8);
}

/* A set's id in the prefilter, or PIDX_NONE. */
static void
put_id(struct buf *b, size_t id)
{
	put_u32(b, id == PIDX_NONE ? NO_ID : (uint32_t)id);
}

/* The prefilter's trie (struct prefilter_image). */
static void
put_image(struct buf *b, const struct ruleset *rs)
{
	struct prefilter_image im;
	size_t i;

	prefilter_image_get(rs, &im);
	put_u32(b, (uint32_t)im.npatterns);
	put_u32(b, (uint32_t)im.nstates);
	for (i = 0; i < im.nstates; i++) {
		put_u8(b, im.nedges[i] & 0xFFu);
		put_u8(b, im.nedges[i] >> 8);
	}
	buf_add(b, im.byte, im.nedge);
	for (i = 0; i < im.nedge; i++)
		put_u32(b, im.to[i]);
	put_u32(b, (uint32_t)im.nouts);
	for (i = 0; i < im.nouts; i++) {
		put_u32(b, im.out_state[i]);
		put_u32(b, im.out_id[i]);
	}
	prefilter_image_release(&im);
}

static void
put_mem(struct buf *b, const char *s, size_t len)
{
	if (!s || len >= NO_STR) {
		put_u32(b, NO_STR);
		return;
	}
	put_u32(b, (uint32_t)len);
	buf_add(b, s, len);
}

static void
put_str(struct buf *b, const char *s)
{
	put_mem(b, s, s ? strlen(s) : 0);
}

/* Returns false when the condition is deeper than the format allows. */
static bool
put_cond(struct buf *b, const struct cond *n, int depth)
{
	size_t i;

	if (!n) {
		put_u8(b, 0);
		return true;
	}
	if (depth > RF_RULECACHE_COND_DEPTH)
		return false;
	put_u8(b, 1);
	put_u8(b, (unsigned)n->op);
	put_u8(b, (unsigned)n->count);
	put_u8(b, (unsigned)n->cmp);
	put_u64(b, n->var);
	put_u64(b, n->var2);
	put_u64(b, (uint64_t)(int64_t)n->n);
	put_u32(b, (uint32_t)n->nset);
	for (i = 0; i < n->nset; i++)
		put_u64(b, n->set[i]);
	return put_cond(b, n->a, depth + 1) && put_cond(b, n->b, depth + 1);
}

static bool
put_rule(struct buf *b, const struct rule *r)
{
	size_t i, j;

	put_str(b, r->id);
	put_str(b, r->title);
	put_str(b, r->indicator);
	put_str(b, r->lang);
	put_str(b, r->references);
	put_str(b, r->falsepositives);
	put_str(b, r->file);
	put_u32(b, (uint32_t)r->line);
	put_mem(b, r->version, 16);
	put_u8(b, (unsigned)r->view);
	put_u8(b, (unsigned)r->strength);
	put_u32(b, (uint32_t)r->weight);
	put_u8(b, (unsigned)r->status);
	put_u8(b, r->needs_review);
	put_u32(b, r->scope);
	put_u32(b, (uint32_t)r->npats);
	for (i = 0; i < r->npats; i++) {
		const struct pattern *p = &r->pats[i];

		put_str(b, p->name);
		put_u8(b, (unsigned)p->kind);
		put_str(b, p->text);
		put_u32(b, p->mods);
		put_u32(b, (uint32_t)p->line);
		put_u32(b, (uint32_t)p->col);
		put_str(b, p->source_line);
		put_u8(b, p->used);
		put_mem(b, p->re, p->re_len);
		put_u32(b, p->re_opts);
		put_u32(b, (uint32_t)p->atoms.n);
		for (j = 0; j < p->atoms.n; j++)
			put_str(b, p->atoms.atoms[j]);
		put_u32(b, (uint32_t)p->atoms2.n);
		for (j = 0; j < p->atoms2.n; j++)
			put_str(b, p->atoms2.atoms[j]);
		put_u32(b, (uint32_t)p->pre.n);
		for (j = 0; j < p->pre.n; j++)
			put_str(b, p->pre.atoms[j]);
		put_u8(b, p->rank);
		put_u8(b, p->rank2);
		put_id(b, p->gidx);
		put_id(b, p->atoms.n && p->atoms2.n ? p->gidx2 : 0);
		put_id(b, p->pidx);
		put_id(b, p->sidx);
	}
	if (!put_cond(b, r->cond, 0))
		return false;
	put_u32(b, (uint32_t)r->nex);
	for (i = 0; i < r->nex; i++) {
		put_u8(b, r->ex[i].match);
		put_str(b, r->ex[i].text);
		put_u32(b, (uint32_t)r->ex[i].line);
	}
	return true;
}

enum rf_err
cache_entry_encode(const unsigned char *key, const struct rules_compiler *c,
		   const struct ruleset *rs, struct buf *out)
{
	struct buf pl;
	unsigned char sum[SHA256_DIGEST_LEN];
	enum rf_err err = RF_ETOOBIG;
	size_t i;

	buf_reset(out);
	buf_init(&pl, RF_RULECACHE_MAX_BYTES - CACHE_HEADER);
	put_u32(&pl, (uint32_t)c->ninputs);
	for (i = 0; i < c->ninputs; i++) {
		put_u8(&pl, c->inputs[i].kind);
		put_str(&pl, c->inputs[i].path);
		buf_add(&pl, c->inputs[i].digest, 32);
		buf_add(&pl, c->inputs[i].ident, 32);
	}
	put_u32(&pl, (uint32_t)c->ndiags);
	for (i = 0; i < c->ndiags; i++) {
		const struct cache_diag *d = &c->diags[i];

		put_u8(&pl, (unsigned)d->severity);
		put_str(&pl, d->file);
		put_u32(&pl, (uint32_t)d->line);
		put_u32(&pl, (uint32_t)d->col);
		put_str(&pl, d->code);
		put_str(&pl, d->message);
		put_str(&pl, d->source_line);
	}
	put_u32(&pl, (uint32_t)rs->n);
	for (i = 0; i < rs->n; i++)
		if (!put_rule(&pl, rs->rules[i]))
			goto out;
	put_image(&pl, rs);
	if (buf_failed(&pl))
		goto out;
	sha256_digest(pl.data, pl.len, sum);
	buf_add(out, CACHE_MAGIC, 8);
	put_u32(out, CACHE_FORMAT);
	put_u32(out, 0);
	buf_add(out, key, 32);
	put_u64(out, pl.len);
	buf_add(out, sum, sizeof(sum));
	buf_add(out, pl.data, pl.len);
	err = buf_failed(out) ? RF_ETOOBIG : RF_OK;
out:
	buf_release(&pl);
	return err;
}

/* ---- decoding ---- */

struct rd {
	const unsigned char *p;
	size_t len, off;
	bool bad;
};

static const unsigned char *
get_mem(struct rd *r, size_t n)
{
	const unsigned char *p;

	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static uint64_t
get_uint(struct rd *r, int bytes)
{
	const unsigned char *p = get_mem(r, (size_t)bytes);
	uint64_t v = 0;
	int i;

	if (!p)
		return 0;
	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#define get_u8(r)	((unsigned)get_uint((r), 1))
#define get_u32(r)	((uint32_t)get_uint((r), 4))
#define get_i32(r)	((int)(int32_t)get_u32(r))
#define get_u64(r)	get_uint((r), 8)

/* A string (NULL when absent or bad); *len gets its length. */
static char *
get_mem_str(struct rd *r, size_t *len)
{
	uint32_t n = get_u32(r);
	const unsigned char *p;

	if (len)
		*len = 0;
	if (r->bad || n == NO_STR)
		return NULL;
	if (!(p = get_mem(r, n)))
		return NULL;
	/* the matcher and the reports take rule text as valid UTF-8 */
	if (!utf8_valid((const char *)p, n, NULL)) {
		r->bad = true;
		return NULL;
	}
	if (len)
		*len = n;
	return xmemdupz(p, n);
}

static char *
get_str(struct rd *r)
{
	return get_mem_str(r, NULL);
}

/* A string that must be present. */
static char *
need_str(struct rd *r)
{
	char *s = get_str(r);

	if (!s)
		r->bad = true;
	return s;
}

/* Whether a count read from the file can be real: every item takes at
 * least one byte of what is left. */
static bool
count_ok(struct rd *r, uint64_t n)
{
	if (r->bad || n > r->len - r->off) {
		r->bad = true;
		return false;
	}
	return true;
}

static size_t
get_id(struct rd *r)
{
	uint32_t v = get_u32(r);

	return v == NO_ID ? PIDX_NONE : v;
}

/* The prefilter's trie; false when damaged (the shape is checked by
 * prefilter_image_valid()). */
static bool
get_image(struct rd *r, struct prefilter_image *im)
{
	const unsigned char *p;
	uint64_t n;
	size_t i;

	im->npatterns = get_u32(r);
	n = get_u32(r);
	/* two bytes a state */
	if (!count_ok(r, n) || n > (r->len - r->off) / 2)
		return false;
	im->nstates = (size_t)n;
	im->nedges = xcalloc(im->nstates + 1, sizeof(*im->nedges));
	for (i = 0; i < im->nstates; i++) {
		im->nedges[i] = (uint16_t)get_u8(r);
		im->nedges[i] |= (uint16_t)(get_u8(r) << 8);
		im->nedge += im->nedges[i];
	}
	/* five bytes an edge */
	if (r->bad || im->nedge > (r->len - r->off) / 5)
		return false;
	p = get_mem(r, im->nedge);
	im->byte = xcalloc(im->nedge + 1, 1);
	if (p && im->nedge)
		memcpy(im->byte, p, im->nedge);
	im->to = xcalloc(im->nedge + 1, sizeof(*im->to));
	for (i = 0; i < im->nedge; i++)
		im->to[i] = get_u32(r);
	n = get_u32(r);
	/* eight bytes an output */
	if (!count_ok(r, n) || n > (r->len - r->off) / 8)
		return false;
	im->nouts = (size_t)n;
	im->out_state = xcalloc(im->nouts + 1, sizeof(*im->out_state));
	im->out_id = xcalloc(im->nouts + 1, sizeof(*im->out_id));
	for (i = 0; i < im->nouts; i++) {
		im->out_state[i] = get_u32(r);
		im->out_id[i] = get_u32(r);
	}
	return !r->bad;
}

/* A set of atoms: a count, then the strings. A prefix set never holds
 * an empty one (atoms_prefix does not make it). False when damaged. */
static bool
get_atoms(struct rd *r, struct atom_set *set, bool prefix)
{
	uint32_t n = r->bad ? 0 : get_u32(r), j;
	size_t alloc = 0;

	if (!count_ok(r, n))
		return false;
	for (j = 0; j < n && !r->bad; j++) {
		char *a = need_str(r);

		if (!a)
			break;
		if (prefix && !*a) {
			free(a);
			r->bad = true;
			break;
		}
		ALLOC_GROW(set->atoms, set->n + 1, alloc);
		set->atoms[set->n++] = a;
	}
	return !r->bad;
}

static struct cond *
get_cond(struct rd *r, size_t npats, int depth)
{
	struct cond *n;
	uint64_t v, nset, i;

	if (r->bad || get_u8(r) == 0 || r->bad)
		return NULL;
	if (depth > RF_RULECACHE_COND_DEPTH) {
		r->bad = true;
		return NULL;
	}
	n = xcalloc(1, sizeof(*n));
	v = get_u8(r);
	n->op = (enum cond_op)v;
	if (v > COND_CMP)
		r->bad = true;
	v = get_u8(r);
	n->count = (enum cond_count)v;
	if (v >= COUNT_MAX)
		r->bad = true;
	v = get_u8(r);
	n->cmp = (enum cond_cmp)v;
	if (v > CMP_GT)
		r->bad = true;
	n->var = (size_t)get_u64(r);
	n->var2 = (size_t)get_u64(r);
	n->n = (long)(int64_t)get_u64(r);
	nset = get_u32(r);
	if (count_ok(r, nset) && nset > (r->len - r->off) / 8)
		r->bad = true;
	if (!r->bad && nset) {
		n->set = xcalloc((size_t)nset, sizeof(*n->set));
		n->nset = (size_t)nset;
		for (i = 0; i < nset; i++) {
			n->set[i] = (size_t)get_u64(r);
			if (n->set[i] >= npats)
				r->bad = true;
		}
	}
	n->a = get_cond(r, npats, depth + 1);
	n->b = get_cond(r, npats, depth + 1);
	if (r->bad)
		return n;
	/* the shape each operator's evaluation relies on */
	switch (n->op) {
	case COND_AND:
	case COND_OR:
		r->bad = !n->a || !n->b || n->nset;
		break;
	case COND_NOT:
		r->bad = !n->a || n->b || n->nset;
		break;
	case COND_VAR:
		r->bad = n->a || n->b || n->var >= npats || n->nset;
		break;
	case COND_OF:
		r->bad = n->a || n->b || !n->nset || n->n < -1 ||
			 n->n > (long)n->nset;
		break;
	case COND_TRUE:
		r->bad = n->a || n->b || n->nset;
		break;
	case COND_NEAR:
	case COND_UNNEG:
		r->bad = n->a || n->b || n->nset || n->var >= npats ||
			 n->var2 >= npats || n->n < 0 ||
			 n->n > RF_WINDOW_MAX_WORDS;
		break;
	case COND_CMP:
		r->bad = n->a || n->b || n->nset ||
			 n->n < -(long)RF_COND_NUMBER_MAX ||
			 n->n > (long)RF_COND_NUMBER_MAX;
		break;
	}
	return n;
}

static bool
hex16(const char *s)
{
	size_t i;

	for (i = 0; i < 16; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[16] == '\0';
}

/* Reads one rule; NULL (and r->bad) when anything is wrong. */
static struct rule *
get_rule(struct rd *r)
{
	struct rule *ru = xcalloc(1, sizeof(*ru));
	char *version;
	uint64_t v, n, i;

	ru->id = need_str(r);
	ru->title = get_str(r);
	ru->indicator = get_str(r);
	ru->lang = get_str(r);
	ru->references = get_str(r);
	ru->falsepositives = get_str(r);
	ru->file = need_str(r);
	ru->line = get_i32(r);
	version = need_str(r);
	if (version && strlen(version) == 16 && hex16(version))
		memcpy(ru->version, version, 17);
	else
		r->bad = true;
	free(version);
	v = get_u8(r);
	ru->view = (enum rule_view)v;
	if (v >= VIEW_MAX)
		r->bad = true;
	v = get_u8(r);
	ru->strength = (enum rule_strength)v;
	if (v > STRENGTH_STRONG)
		r->bad = true;
	ru->weight = get_i32(r);
	if (ru->weight < 0 || ru->weight > 1000)
		r->bad = true;
	v = get_u8(r);
	ru->status = (enum rule_status)v;
	if (v > STATUS_DEPRECATED)
		r->bad = true;
	v = get_u8(r);
	ru->needs_review = v != 0;
	if (v > 1)
		r->bad = true;
	ru->scope = get_u32(r);
	if (ru->scope >= 1u << FIELD_MAX)
		r->bad = true;
	n = get_u32(r);
	if (n > RF_RULE_MAX_PATTERNS || !count_ok(r, n))
		goto bad;
	ru->pats = xcalloc((size_t)n + 1, sizeof(*ru->pats));
	ru->apats = (size_t)n + 1;
	for (i = 0; i < n && !r->bad; i++) {
		struct pattern *p = &ru->pats[ru->npats++];

		p->name = need_str(r);
		v = get_u8(r);
		p->kind = (enum pat_kind)v;
		if (v > PAT_LEMMA)
			r->bad = true;
		p->text = need_str(r);
		p->mods = get_u32(r);
		if (p->mods > (PAT_WORD | PAT_PREFIX | PAT_DOTALL |
			       PAT_EXTENDED | PAT_CASE))
			r->bad = true;
		p->line = get_i32(r);
		p->col = get_i32(r);
		p->source_line = get_str(r);
		v = get_u8(r);
		p->used = v != 0;
		if (v > 1)
			r->bad = true;
		p->re = get_mem_str(r, &p->re_len);
		if (!p->re)
			r->bad = true;
		p->re_opts = get_u32(r);
		/* the options compile_pattern uses, and only those: PCRE2
		 * trusts a pattern given PCRE2_NO_UTF_CHECK, and the source
		 * was checked as UTF-8 above */
		if ((p->re_opts & ~(uint32_t)(PCRE2_UTF | PCRE2_UCP |
					     PCRE2_CASELESS |
					     PCRE2_NO_UTF_CHECK |
					     PCRE2_DOTALL |
					     PCRE2_EXTENDED)) ||
		    !(p->re_opts & PCRE2_UTF))
			r->bad = true;
		if (!get_atoms(r, &p->atoms, false) ||
		    !get_atoms(r, &p->atoms2, false) ||
		    !get_atoms(r, &p->pre, true))
			break;
		/* a heuristic only: any value is safe */
		p->rank = (uint8_t)get_u8(r);
		p->rank2 = (uint8_t)get_u8(r);
		/* checked against the trie by prefilter_image_valid() */
		p->gidx = get_id(r);
		p->gidx2 = get_id(r);
		p->pidx = get_id(r);
		p->sidx = get_id(r);
	}
	ru->cond = get_cond(r, ru->npats, 0);
	if (!ru->cond)
		r->bad = true;
	n = get_u32(r);
	if (!count_ok(r, n))
		goto bad;
	for (i = 0; i < n && !r->bad; i++) {
		struct example *e;

		ALLOC_GROW(ru->ex, ru->nex + 1, ru->aex);
		e = &ru->ex[ru->nex++];
		memset(e, 0, sizeof(*e));
		v = get_u8(r);
		e->match = v != 0;
		if (v > 1)
			r->bad = true;
		e->text = need_str(r);
		e->line = get_i32(r);
	}
	if (!r->bad)
		return ru;
bad:
	r->bad = true;
	rule_free(ru);
	return NULL;
}

void
cache_entry_release(struct cache_entry *e)
{
	size_t i;

	inputs_free(e->inputs, e->ninputs);
	diags_free(e->diags, e->ndiags);
	for (i = 0; i < e->nrules; i++)
		rule_free(e->rules[i]);
	free(e->rules);
	prefilter_image_release(&e->image);
	memset(e, 0, sizeof(*e));
}

struct ruleset *
cache_entry_ruleset(struct cache_entry *e)
{
	struct ruleset *rs = ruleset_build_image(e->rules, e->nrules,
						 &e->image);

	e->rules = NULL;
	e->nrules = e->arules = 0;
	return rs;
}

enum rf_err
cache_entry_decode(const unsigned char *data, size_t len,
		   const unsigned char *key, bool check_sum,
		   struct cache_entry *e)
{
	struct rd r = { data, len, 0, false };
	const unsigned char *p, *sum;
	unsigned char got[SHA256_DIGEST_LEN];
	uint64_t n, i, plen;

	memset(e, 0, sizeof(*e));
	if (!(p = get_mem(&r, 8)) || memcmp(p, CACHE_MAGIC, 8) != 0)
		return RF_EINVAL;
	if (get_u32(&r) != CACHE_FORMAT || get_u32(&r) != 0)
		return RF_EINVAL;
	p = get_mem(&r, 32);
	if (!p || (key && memcmp(p, key, 32) != 0))
		return RF_EINVAL;
	plen = get_u64(&r);
	sum = get_mem(&r, 32);
	if (r.bad || plen != len - r.off)
		return RF_EINVAL;
	if (check_sum) {
		sha256_digest(data + r.off, len - r.off, got);
		if (memcmp(got, sum, sizeof(got)) != 0)
			return RF_EINVAL;
	}
	n = get_u32(&r);
	if (!count_ok(&r, n))
		n = 0;
	for (i = 0; i < n && !r.bad; i++) {
		struct cache_input *in;
		unsigned kind;

		ALLOC_GROW(e->inputs, e->ninputs + 1, e->ainputs);
		in = &e->inputs[e->ninputs++];
		memset(in, 0, sizeof(*in));
		kind = get_u8(&r);
		in->kind = (unsigned char)kind;
		if (kind != INPUT_FILE && kind != INPUT_UNREADABLE &&
		    kind != INPUT_DIR && kind != INPUT_STAT)
			r.bad = true;
		in->path = need_str(&r);
		if ((p = get_mem(&r, 32)))
			memcpy(in->digest, p, 32);
		if ((p = get_mem(&r, 32)))
			memcpy(in->ident, p, 32);
	}
	n = get_u32(&r);
	if (!count_ok(&r, n))
		n = 0;
	for (i = 0; i < n && !r.bad; i++) {
		struct cache_diag *d;
		unsigned sev;

		ALLOC_GROW(e->diags, e->ndiags + 1, e->adiags);
		d = &e->diags[e->ndiags++];
		memset(d, 0, sizeof(*d));
		sev = get_u8(&r);
		d->severity = (enum diag_severity)sev;
		/* only warnings: a compile with errors is never stored */
		if (sev != DIAG_WARNING)
			r.bad = true;
		d->file = need_str(&r);
		d->line = get_i32(&r);
		d->col = get_i32(&r);
		d->code = need_str(&r);
		d->message = need_str(&r);
		d->source_line = get_str(&r);
	}
	n = get_u32(&r);
	if (!count_ok(&r, n))
		n = 0;
	for (i = 0; i < n && !r.bad; i++) {
		struct rule *ru = get_rule(&r);

		if (!ru)
			break;
		ALLOC_GROW(e->rules, e->nrules + 1, e->arules);
		e->rules[e->nrules++] = ru;
	}
	if (!r.bad && (!get_image(&r, &e->image) ||
		       !prefilter_image_valid(&e->image, e->rules,
					      e->nrules)))
		r.bad = true;
	if (!r.bad && r.off != r.len)
		r.bad = true;	/* trailing bytes */
	if (r.bad) {
		cache_entry_release(e);
		return RF_EINVAL;
	}
	return RF_OK;
}

/* ---- the folder and its files ---- */

void
rules_cache_info_init(struct rules_cache_info *info)
{
	memset(info, 0, sizeof(*info));
}

void
rules_cache_info_release(struct rules_cache_info *info)
{
	free(info->path);
	free(info->note);
	rules_cache_info_init(info);
}

static void
note(struct rules_cache_info *info, const char *fmt, ...) RF_PRINTF(2, 3);

static void
note(struct rules_cache_info *info, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b, 4096);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(info->note);
	info->note = buf_detach(&b, NULL);
}

/* Makes dir (and missing parents) with mode 0700 and checks that it is
 * a folder of ours that nobody else can write to. */
static bool
dir_ready(const char *dir, struct rules_cache_info *info)
{
	struct stat st;
	char *p = xstrdup(dir), *s;
	bool ok = false;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			note(info, "cannot make '%s': %s", p, strerror(errno));
			goto out;
		}
		*s = '/';
	}
	if (mkdir(p, 0700) != 0 && errno != EEXIST) {
		note(info, "cannot make '%s': %s", p, strerror(errno));
		goto out;
	}
	if (lstat(p, &st) != 0) {
		note(info, "cannot use '%s': %s", p, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022)) {
		note(info, "not using '%s': not a folder of this user that "
		     "only the user can write to", p);
		goto out;
	}
	ok = true;
out:
	free(p);
	return ok;
}

/* The entry's key: everything that chose what was compiled. */
static void
entry_key(const struct rules_compiler *c, const char *const *paths, size_t n,
	  const struct rules_cache_options *copts, unsigned char *key)
{
	struct sha256_ctx ctx;
	char ver[64] = "";
	char opts[64];
	size_t i;

	sha256_init(&ctx);
	snprintf(opts, sizeof(opts), "redflag rules cache %u lint %d ex %d",
		 CACHE_FORMAT, c->opts.lint, c->opts.run_examples);
	sha256_update(&ctx, opts, strlen(opts) + 1);
	pcre2_config(PCRE2_CONFIG_VERSION, ver);
	sha256_update(&ctx, ver, strlen(ver) + 1);
	if (copts->build_id)
		sha256_update(&ctx, copts->build_id,
			      strlen(copts->build_id) + 1);
	sha256_update(&ctx, "", 1);
	for (i = 0; i < n; i++) {
		char *real = realpath(paths[i], NULL);

		/* as given (rules and messages name files so), and where */
		sha256_update(&ctx, paths[i], strlen(paths[i]) + 1);
		if (real)
			sha256_update(&ctx, real, strlen(real));
		sha256_update(&ctx, "", 1);
		free(real);
	}
	sha256_final(&ctx, key);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether one recorded input is as it was; names what changed if not. */
static bool
input_same(const struct cache_input *in, struct rules_cache_info *info)
{
	unsigned char d[SHA256_DIGEST_LEN];
	struct buf text;
	bool same = false;

	switch (in->kind) {
	case INPUT_FILE:
		/* not written since it was read: no need to read it */
		if (stat_digest(in->path, d) &&
		    memcmp(d, in->ident, sizeof(d)) == 0) {
			same = true;
			break;
		}
		/* fall through */
	case INPUT_UNREADABLE:
		buf_init(&text, RF_RULEFILE_MAX_BYTES);
		if (file_read(in->path, RF_RULEFILE_MAX_BYTES, &text) ==
		    RF_OK) {
			sha256_digest(text.data, text.len, d);
			same = in->kind == INPUT_FILE &&
			       memcmp(d, in->digest, sizeof(d)) == 0;
		} else {
			same = in->kind == INPUT_UNREADABLE;
		}
		buf_release(&text);
		break;
	case INPUT_DIR: {
		DIR *dir = opendir(in->path);
		struct dirent *de;
		char **names = NULL;
		size_t n = 0, a = 0, i;

		if (!dir)
			break;
		while ((de = readdir(dir))) {
			if (de->d_name[0] == '.')
				continue;
			ALLOC_GROW(names, n + 1, a);
			names[n++] = xstrdup(de->d_name);
		}
		closedir(dir);
		if (n)
			qsort(names, n, sizeof(*names), cmp_name);
		names_digest(names, n, d);
		same = memcmp(d, in->digest, sizeof(d)) == 0;
		for (i = 0; i < n; i++)
			free(names[i]);
		free(names);
		break;
	}
	case INPUT_STAT:
		same = stat_digest(in->path, d) &&
		       memcmp(d, in->digest, sizeof(d)) == 0;
		break;
	}
	if (!same)
		note(info, "'%s' changed since the entry was written",
		     in->path);
	return same;
}

/* Reads the entry at path into e; false with a note when it cannot be
 * used. */
static bool
entry_load(const char *path, const unsigned char *key,
	   struct cache_entry *e, struct rules_cache_info *info)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	unsigned char *data = NULL;
	size_t got = 0, i;
	bool ok = false;

	memset(e, 0, sizeof(*e));
	if (fd < 0) {
		if (errno == ENOENT)
			note(info, "no entry yet");
		else
			note(info, "cannot open '%s': %s", path,
			     strerror(errno));
		return false;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid() || st.st_size < CACHE_HEADER ||
	    (uint64_t)st.st_size > RF_RULECACHE_MAX_BYTES) {
		note(info, "ignoring '%s': not a regular file of this user "
		     "of a plausible size", path);
		goto out;
	}
	data = xmalloc((size_t)st.st_size);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, data + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got != (size_t)st.st_size) {
		note(info, "cannot read '%s'", path);
		goto out;
	}
	if (cache_entry_decode(data, got, key, true, e) != RF_OK) {
		note(info, "ignoring '%s': damaged or of another format",
		     path);
		goto out;
	}
	for (i = 0; i < e->ninputs; i++)
		if (!input_same(&e->inputs[i], info))
			goto out;
	/* the newest used entries are the ones pruning keeps */
	(void)futimens(fd, NULL);
	ok = true;
out:
	if (!ok)
		cache_entry_release(e);
	free(data);
	close(fd);
	return ok;
}

struct aged {
	char *name;
	struct timespec mtime;
};

static int
cmp_newest(const void *a, const void *b)
{
	const struct aged *x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec > y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec > y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Whether name is an entry's: 64 hex digits and the suffix. */
static bool
entry_name(const char *name)
{
	size_t i;

	for (i = 0; i < 64; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		      (name[i] >= 'a' && name[i] <= 'f')))
			return false;
	return strcmp(name + 64, CACHE_SUFFIX) == 0;
}

/* Removes all but the RF_RULECACHE_KEEP newest entries of dir, and the
 * temporary files of writers that died more than an hour ago. */
static void
prune(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct aged *v = NULL;
	size_t n = 0, a = 0, i;
	struct buf p;

	if (!d)
		return;
	buf_init(&p, 0);
	while ((de = readdir(d))) {
		struct stat st;
		bool tmp = str_has_prefix(de->d_name, ".tmp-");

		if (!tmp && !entry_name(de->d_name))
			continue;
		buf_reset(&p);
		buf_addf(&p, "%s/%s", dir, de->d_name);
		if (lstat(p.data, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (tmp) {
			if (st.st_mtime < time(NULL) - 3600)
				(void)unlink(p.data);
			continue;
		}
		ALLOC_GROW(v, n + 1, a);
		v[n].name = xstrdup(p.data);
		v[n].mtime = st.st_mtim;
		n++;
	}
	closedir(d);
	if (n > RF_RULECACHE_KEEP) {
		qsort(v, n, sizeof(*v), cmp_newest);
		for (i = RF_RULECACHE_KEEP; i < n; i++)
			(void)unlink(v[i].name);
	}
	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	buf_release(&p);
}

/* Writes data to path through a temporary file in dir and a rename. */
static bool
entry_write(const char *dir, const char *path, const struct buf *data,
	    struct rules_cache_info *info)
{
	struct buf tmp;
	size_t off = 0;
	bool ok = false;
	int fd;

	buf_init(&tmp, 0);
	buf_addf(&tmp, "%s/.tmp-XXXXXX", dir);
	fd = mkstemp(tmp.data);	/* mode 0600 */
	if (fd < 0) {
		note(info, "cannot write in '%s': %s", dir, strerror(errno));
		goto out;
	}
	while (off < data->len) {
		ssize_t w = write(fd, data->data + off, data->len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (off != data->len || close(fd) != 0) {
		if (off != data->len)
			close(fd);
		note(info, "cannot write '%s': %s", tmp.data,
		     strerror(errno));
		(void)unlink(tmp.data);
		goto out;
	}
	if (rename(tmp.data, path) != 0) {
		note(info, "cannot rename '%s' to '%s': %s", tmp.data, path,
		     strerror(errno));
		(void)unlink(tmp.data);
		goto out;
	}
	ok = true;
out:
	buf_release(&tmp);
	return ok;
}

/* Compiles without the cache, recording when c->record. */
static enum rf_err
compile_all(struct rules_compiler *c, const char *const *paths, size_t n,
	    struct ruleset **out)
{
	enum rf_err err = RF_OK, e;
	size_t i;

	for (i = 0; i < n; i++) {
		e = rules_compiler_add_path(c, paths[i]);
		if (e != RF_OK && err == RF_OK)
			err = e;
	}
	e = rules_compiler_finish(c, out);
	return err != RF_OK ? err : e;
}

/* Replays the warnings of the compile an entry holds. */
static void
replay(struct rules_compiler *c, const struct cache_entry *e)
{
	size_t i;

	for (i = 0; i < e->ndiags; i++) {
		const struct cache_diag *k = &e->diags[i];
		struct rule_diag d = {
			.severity = k->severity, .file = k->file,
			.line = k->line, .col = k->col, .code = k->code,
			.message = k->message, .source_line = k->source_line,
		};

		c->warnings++;
		if (c->opts.diag)
			c->opts.diag(&d, c->opts.diag_arg);
	}
}

enum rf_err
rules_compile_paths(struct rules_compiler *c, const char *const *paths,
		    size_t n, const struct rules_cache_options *copts,
		    struct rules_cache_info *info, struct ruleset **out)
{
	struct rules_cache_info scratch;
	struct cache_entry e;
	unsigned char key[SHA256_DIGEST_LEN];
	char hex[SHA256_HEX_LEN + 1];
	struct buf path, data;
	enum rf_err err;

	*out = NULL;
	if (!info)
		info = &scratch;
	rules_cache_info_init(info);
	if (!copts || !copts->dir || !*copts->dir || c->opts.lock_lemmas ||
	    c->nrules || c->errors) {
		err = compile_all(c, paths, n, out);
		if (info == &scratch)
			rules_cache_info_release(info);
		return err;
	}
	if (!dir_ready(copts->dir, info)) {
		err = compile_all(c, paths, n, out);
		if (info == &scratch)
			rules_cache_info_release(info);
		return err;
	}
	entry_key(c, paths, n, copts, key);
	encode_hex(key, sizeof(key), hex);
	buf_init(&path, 0);
	buf_addf(&path, "%s/%s%s", copts->dir, hex, CACHE_SUFFIX);
	info->path = xstrdup(path.data);
	if (entry_load(path.data, key, &e, info)) {
		replay(c, &e);
		*out = cache_entry_ruleset(&e);
		cache_entry_release(&e);
		info->state = RULES_CACHE_HIT;
		free(info->note);
		info->note = NULL;
		err = RF_OK;
		goto out;
	}
	info->state = RULES_CACHE_MISSED;
	c->record = true;
	err = compile_all(c, paths, n, out);
	c->record = false;
	if (err != RF_OK || c->errors) {
		note(info, "not stored: the rules have errors");
		goto out;
	}
	buf_init(&data, RF_RULECACHE_MAX_BYTES);
	if (cache_entry_encode(key, c, *out, &data) != RF_OK)
		note(info, "not stored: the compiled rules pass the cache's "
		     "limits");
	else if (entry_write(copts->dir, path.data, &data, info))
		info->state = RULES_CACHE_STORED;
	buf_release(&data);
	if (info->state == RULES_CACHE_STORED)
		prune(copts->dir);
out:
	buf_release(&path);
	if (info == &scratch)
		rules_cache_info_release(info);
	return err;
}
