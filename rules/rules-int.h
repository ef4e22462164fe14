/* rules-int.h: the layouts shared by the files of rules/ (not public). */
#ifndef RF_RULES_INT_H
#define RF_RULES_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>

#include "common/buf.h"
#include "rules/rules.h"

/* The most bytes in one atom (atoms.c): the depth of the prefilter's trie. */
#define ATOM_MAX 48

/* A set of literal strings, lower case; see atoms.c. */
struct atom_set {
	char **atoms;
	size_t n;
};

enum pat_kind { PAT_REGEX, PAT_LITERAL, PAT_LEMMA };

/* Lone letters and two-character strings beginning with a letter that a
 * prefix set may leave to the matcher (prefix_split). */
#define PRE_LETTERS_MAX 8
#define PRE_FORMS_MAX (PRE_LETTERS_MAX * 4)
/* pre_form_next: the form is followed by a character \s matches */
#define PRE_NEXT_SPACE UINT32_MAX

/* pattern modifiers */
#define PAT_WORD	0x01u	/* whole words only */
#define PAT_PREFIX	0x02u	/* at the start of a word */
#define PAT_DOTALL	0x04u	/* regex flag s */
#define PAT_EXTENDED	0x08u	/* regex flag x */
#define PAT_CASE	0x10u	/* case-sensitive (view = raw only) */

struct pattern {
	char *name;		/* without '$' */
	enum pat_kind kind;
	char *text;		/* regex body, literal value or lemma as written */
	unsigned mods;
	int line, col;		/* where the value starts */
	char *source_line;
	/*
	 * The PCRE2 program. The compiler makes it (to report errors) but
	 * does not JIT-compile it; a ruleset loaded from the cache has only
	 * re. pattern_code() compiles and JIT-compiles it the first time a
	 * matcher needs it, under the ruleset's lock, so a scan pays only
	 * for the patterns the prefilter lets through.
	 */
	pcre2_code *code;
	char *re;		/* the PCRE2 source code was compiled from */
	size_t re_len;
	uint32_t re_opts;	/* its pcre2_compile options */
	int code_state;		/* enum code_state, accessed atomically */
	bool used;		/* named by the condition */
	struct atom_set atoms;	/* literal atoms, lower case (atoms.c) */
	/* a second set every match also contains one of, from another
	 * part of the regex; empty when there is none */
	struct atom_set atoms2;
	/* how rarely text holds an atom of each (atom_set_rank), worked
	 * out by the compiler and kept in the cache */
	uint8_t rank, rank2;
	/* the ids of atoms and atoms2 in prefilter_seen; patterns with the
	 * same set share its id (prefilter_build) */
	size_t gidx;
	size_t gidx2;
	/*
	 * The strings every match starts with (atoms_prefix), empty when
	 * unknown. When anchor is set, PCRE2 is tried, anchored by acode,
	 * only where one begins. The prefilter notes where the strings of
	 * three characters or more (and lone digits and signs, and short
	 * strings past PRE_LETTERS_MAX) begin, under id pidx (PIDX_NONE:
	 * none such). The lone letters and the strings of two characters
	 * that begin with a letter are in every document ("в", "на"): the
	 * prefilter only sees whether one of the latter occurs (id sidx),
	 * and the matcher finds their places itself, for the few patterns
	 * that run, from pre_forms. A letter before \s ("с\s+опытом")
	 * has the letter and each space in pre, and is found as the
	 * letter followed by a space.
	 */
	struct atom_set pre;
	bool anchor;
	size_t pidx;
	size_t sidx;
	/* how many lone letters and two-character strings are left to the
	 * matcher, at most PRE_LETTERS_MAX */
	size_t npre_letters;
	bool pre_lone;		/* a lone letter among them (or one
				 * before a space) */
	/* each letter's forms in text that fold to it, in UTF-8, with the
	 * folded character that must follow (0: any; PRE_NEXT_SPACE: any
	 * that \s matches) */
	char pre_forms[PRE_FORMS_MAX][4];
	unsigned char pre_form_len[PRE_FORMS_MAX];
	uint32_t pre_form_next[PRE_FORMS_MAX];
	size_t npre_forms;
	pcre2_code *acode;
	int acode_state;	/* enum code_state, accessed atomically */
};

#define PIDX_NONE ((size_t)-1)

enum cond_op {
	COND_VAR, COND_AND, COND_OR, COND_NOT, COND_OF, COND_TRUE,
	COND_NEAR,	/* near($a, $b, N): within N words in one field */
	COND_UNNEG,	/* unnegated($a, $neg, N): an $a without $neg
			 * in the N words before it */
	COND_CMP,	/* phones >= 2: a number about the scope's text
			 * compared with N (match.c, eval_cmp) */
};

/* The numbers a condition can compare (COND_CMP), over the rule's scope
 * fields; names in parse.c. */
enum cond_count {
	COUNT_PHONES,		/* distinct phone numbers */
	COUNT_HANDLES,		/* distinct @handles */
	COUNT_EMAILS,		/* distinct e-mail addresses */
	COUNT_LINKS,		/* distinct t.me and instagram.com links */
	COUNT_MONEY,		/* distinct amounts of money */
	COUNT_AGE_MIN,		/* the youngest stated minimum age */
	COUNT_AGE_MAX,		/* the oldest stated maximum age */
	COUNT_MIXED_SCRIPT,	/* words mixing Latin and Cyrillic letters */
	COUNT_MAX
};

enum cond_cmp { CMP_LT, CMP_LE, CMP_EQ, CMP_GE, CMP_GT };

struct cond {
	enum cond_op op;
	struct cond *a, *b;	/* AND, OR: both; NOT: a */
	size_t var;		/* VAR: pattern index; NEAR, UNNEG: the first */
	size_t var2;		/* NEAR, UNNEG: the second pattern */
	long n;			/* OF: how many, -1 for all; NEAR, UNNEG: words;
				 * CMP: the number compared with */
	enum cond_count count;	/* CMP: what is compared */
	enum cond_cmp cmp;	/* CMP: how */
	size_t *set;		/* OF: pattern indexes */
	size_t nset;
};

struct example {
	bool match;
	char *text;
	int line;
};

/* A named regex fragment usable as <name> in patterns. */
struct rclass {
	char *name;
	char *regex;
};

/* The text a rule's patterns see (meta view). */
enum rule_view {
	VIEW_FOLDED = 0,	/* text/text.h's folded view: the default */
	VIEW_RAW,		/* the extracted text as it is */
	VIEW_TRANSLIT,		/* the folded view, Latin transliterated */
	VIEW_MAX
};

struct rule {
	char *id, *title, *indicator, *lang, *references, *falsepositives;
	enum rule_view view;
	char *file;
	int line;
	char version[17];	/* 16 hex digits of the SHA-256 of its text */
	enum rule_strength strength;
	int weight;
	enum rule_status status;
	bool needs_review;
	unsigned scope;		/* bit per enum rule_field */
	struct pattern *pats;
	size_t npats, apats;
	struct cond *cond;
	struct example *ex;
	size_t nex, aex;
};

/* pattern.code_state */
enum code_state {
	CODE_NONE = 0,	/* not ready: pattern_code() makes it */
	CODE_READY,	/* compiled; JIT did not work: the interpreter */
	CODE_READY_JIT,	/* compiled and JIT-compiled */
	CODE_FAILED,	/* pcre2_compile failed (a damaged cache) */
};

struct ruleset {
	struct rule **rules;
	size_t n;
	char hash[65];		/* of every rule's id and version */
	size_t max_patterns;
	size_t npatterns;	/* ids in prefilter_seen: one per distinct
				 * set of atoms, prefix set or none */
	struct prefilter *pf;
	pthread_mutex_t *code_lock;	/* for pattern_code() */
};

/*
 * The ready PCRE2 program of pat, a pattern of rs, compiled and
 * JIT-compiled on first use; NULL when it cannot be compiled. *jit is
 * set when the JIT compile worked, so that pcre2_jit_match() may run it
 * (it skips pcre2_match()'s checks: about 130 instructions a call).
 * Safe to call from several threads at once.
 */
pcre2_code *pattern_code(const struct ruleset *rs, struct pattern *pat,
			 bool *jit);
/* The same program compiled PCRE2_ANCHORED: it matches only where a
 * search starts. */
pcre2_code *pattern_anchored_code(const struct ruleset *rs,
				  struct pattern *pat, bool *jit);

/* The literal prefilter (prefilter.c). */
struct prefilter;
/* What a scan saw: seen[gidx] is 1 for each pattern an atom of which
 * occurs, and list[0..n) those patterns in the order first seen. The
 * caller owns both arrays (npatterns + 1 each) and clears seen and n
 * before each document. */
struct prefilter_seen {
	unsigned char *seen;
	uint32_t *list;
	size_t n;
	/*
	 * Where the scan was in a state with an atom of a set whose
	 * places are noted ending there: a prefix set (pattern.pidx), or
	 * a required set (gidx, gidx2) of a pattern of the folded view.
	 * The state (a DFA match state, or a trie state without the DFA),
	 * the byte after the atom and the field, in the order read.
	 * prefilter_starts() and prefilter_start_limit() find one set's
	 * places from them, for the few patterns that run; vis_over when
	 * the document had more than RF_PREFILTER_POS_MAX (then PCRE2
	 * searches the whole text). field is the field the caller scans
	 * next. Allocated by prefilter_seen_init.
	 */
	struct prefilter_visit {
		uint32_t state;
		uint32_t end;
		unsigned char field;
	} *vis;
	size_t nvis, avis;
	bool vis_over;
	unsigned char field;
	/* per match state of the DFA: the mepoch of the document it was
	 * last marked in (prefilter_scan sizes it) */
	uint32_t *mstamp;
	size_t nmstamp;
	uint32_t mepoch;
	const struct prefilter *mpf;	/* whose states they are */
	/* the visits of field f are vis[ffrom[f]] .. vis[fto[f]) when f
	 * was scanned once since the clear (bit f of fonce, not of
	 * fagain): prefilter_starts() and prefilter_start_limit() read
	 * those alone */
	uint32_t ffrom[FIELD_MAX], fto[FIELD_MAX];
	unsigned fonce, fagain;
};
/* Allocates sn's arrays for npatterns ids; _release frees them. */
void prefilter_seen_init(struct prefilter_seen *sn, size_t npatterns);
void prefilter_seen_release(struct prefilter_seen *sn);
/* Forgets the last document: clears the ids in the list. */
void prefilter_seen_clear(struct prefilter_seen *sn);
/*
 * Where the atoms of prefix set id begin in text (len bytes), the field
 * the scan saw as field, before lim (SIZE_MAX: all; some from lim on may
 * be among them): appends them to *out (of *alloc elements, grown as
 * needed) in the order their ends were found, and returns how
 * many; SIZE_MAX when there are more than RF_PREFILTER_POS_PER_SET or
 * the scan stopped noting (then PCRE2 must search the whole text). An id
 * whose places are not noted (neither a prefix set's nor a required set
 * of a pattern of the folded view) has none.
 */
size_t prefilter_starts(const struct prefilter *pf,
			const struct prefilter_seen *sn, size_t id,
			unsigned char field, const char *text, size_t len,
			size_t lim, uint32_t **out, size_t *alloc);
/*
 * How far into the text of field (len bytes) a match containing an atom
 * of set id can begin: one more than the latest place an atom of it
 * begins there, 0 when none occurs in the field. SIZE_MAX when it is not
 * known: the set's places are not noted (only the required sets of the
 * patterns of the folded view and the prefix sets are), or the scan
 * stopped noting.
 */
size_t prefilter_start_limit(const struct prefilter *pf,
			     const struct prefilter_seen *sn, size_t id,
			     unsigned char field, const char *text,
			     size_t len);
/*
 * Whether pattern p may match given what the prefilter saw: it has no
 * atoms, or an atom of each of its sets occurred.
 */
static inline bool
pattern_may(const struct pattern *p, const unsigned char *seen)
{
	/* a match starts with an atom of the prefix set (or with one of
	 * its lone letters, which the prefilter does not look for) */
	if ((p->pidx != PIDX_NONE || p->sidx != PIDX_NONE) && !p->pre_lone &&
	    !(p->pidx != PIDX_NONE && seen[p->pidx]) &&
	    !(p->sidx != PIDX_NONE && seen[p->sidx]))
		return false;
	return p->atoms.n == 0 ||
	       (seen[p->gidx] && (p->atoms2.n == 0 || seen[p->gidx2]));
}

/* Builds the automaton of every pattern's atoms; numbers the patterns. */
struct prefilter *prefilter_build(struct ruleset *rs);
/* The same with another cap on the DFA's bytes (0: always sparse) and
 * on the rows of its 16-bit table (0: always 32 bits). */
struct prefilter *prefilter_build_capped(struct ruleset *rs, size_t dfa_max,
					 size_t rows16_max);
/* Whether the DFA reads a long text with two chains of steps at once,
 * chosen by the size of its table; tests choose. */
void prefilter_set_two_chains(struct prefilter *pf, bool two);
void prefilter_free(struct prefilter *pf);

/*
 * A prefilter's trie as the cache keeps it (cache.c), so that a ruleset
 * loaded from the cache skips numbering the sets and making the trie,
 * most of a load. The ids the patterns carry (gidx, gidx2, pidx, sidx)
 * number npatterns sets; the trie has nstates states, state s the
 * nedges[s] edges that follow those of the states before it, in byte
 * order, to a state made after s; each output (an atom of set out_id[i]
 * ends at state out_state[i]) is listed in the order add_atoms() made
 * it. The arrays belong to the image.
 */
struct prefilter_image {
	size_t npatterns;
	size_t nstates;
	uint16_t *nedges;
	size_t nedge;
	unsigned char *byte;
	uint32_t *to;
	size_t nouts;
	uint32_t *out_state, *out_id;
};
/* Copies the trie and ids of rs's prefilter into im (caller-owned). */
void prefilter_image_get(const struct ruleset *rs, struct prefilter_image *im);
void prefilter_image_release(struct prefilter_image *im);
/*
 * Whether im is a trie the compiler could have made for the patterns of
 * rules (n of them): a tree of states made after their parents, edges in
 * byte order, no deeper than ATOM_MAX bytes, no more outputs than the
 * patterns have atoms, every id of a pattern one of its sets, and the
 * prefix ids as the pattern's prefix set calls for. What
 * prefilter_build_image() needs to be safe and to cost no more than a
 * compile; an image damaged within these bounds can turn patterns off
 * (wrong answers), never make a wrong access.
 */
bool prefilter_image_valid(const struct prefilter_image *im,
			   struct rule *const *rules, size_t n);
/* Builds rs's prefilter from a valid image whose ids its patterns carry;
 * the result equals prefilter_build()'s on the rules the image was made
 * from. */
struct prefilter *prefilter_build_image(struct ruleset *rs,
					const struct prefilter_image *im);
/* Whether pf got its dense DFA (false: the sparse fallback). */
bool prefilter_is_dense(const struct prefilter *pf);
/* Adds to sn the patterns an atom of which occurs in text. */
void prefilter_scan(const struct prefilter *pf, const char *text,
		    size_t len, struct prefilter_seen *sn);
/* Whether r can fire given seen (patterns without atoms may match). */
bool prefilter_candidate(const struct rule *r, const unsigned char *seen);
/*
 * Writes to out (rs->n entries) the indexes of the rules that can fire
 * given sn, in rule order, and returns how many. stamp (rs->n entries,
 * caller-owned) must hold no value equal to epoch on entry.
 */
size_t prefilter_candidates(const struct prefilter *pf,
			    const struct ruleset *rs,
			    const struct prefilter_seen *sn, uint32_t *stamp,
			    uint32_t epoch, uint32_t *out);

/* Parser's hand-off to the compiler: one file's text. */
struct rule_source {
	const char *name;
	const char *text;
	size_t len;
	/* inherited from the pack; the parser may change them for its file */
	char *lang;
	struct rclass *classes;
	size_t nclasses, aclasses;
};

/* The word forms of one ~lemma (lemmas.c). */
struct lemma_entry {
	char *lang, *lemma;
	char **forms;
	size_t nforms;
	char *lock;		/* the lemmas.lock it belongs in */
	bool used;		/* by a rule compiled this time */
};

/* A file, folder or dictionary a compile read, as the cache records it
 * (cache.c): the entry is valid while every input is as recorded. */
enum cache_input_kind {
	INPUT_FILE = 'F',	/* digest of the content */
	INPUT_UNREADABLE = 'U',	/* could not be read (no lemmas.lock) */
	INPUT_DIR = 'D',	/* digest of the sorted names in it */
	INPUT_STAT = 'S',	/* digest of device, inode, size, mtime */
};
struct cache_input {
	unsigned char kind;
	char *path;
	unsigned char digest[32];
	/* INPUT_FILE: the metadata digest before it was read; when it is
	 * the same, the file is not read again */
	unsigned char ident[32];
};
/* A diagnostic of the compile, replayed on a cache hit. */
struct cache_diag {
	enum diag_severity severity;
	char *file, *code, *message, *source_line;
	int line, col;
};

struct rules_compiler {
	struct rules_options opts;
	/* recording what a cache entry needs (cache.c) */
	bool record;
	struct cache_input *inputs;
	size_t ninputs, ainputs;
	struct cache_diag *diags;
	size_t ndiags, adiags;
	struct rule **rules;
	size_t nrules, arules;
	size_t errors, warnings;
	/* lemma forms from lemmas.lock files and dictionaries */
	struct lemma_entry *lemmas;
	size_t nlemmas, alemmas;
	struct {
		char *lang;
		struct lemma_dict *dict;	/* NULL: could not open */
	} *dicts;
	size_t ndicts, adicts;
};

/* cache.c: recording a compile's inputs and diagnostics (when c->record) */
/* ident: cache_file_ident() of path before it was read, or NULL */
void cache_note_file(struct rules_compiler *c, const char *path,
		     const unsigned char *ident, const void *data,
		     size_t len);
bool cache_file_ident(const char *path, unsigned char *out);
void cache_note_unreadable(struct rules_compiler *c, const char *path);
/* names: the sorted entries of the folder, without those starting '.' */
void cache_note_dir(struct rules_compiler *c, const char *path,
		    char *const *names, size_t n);
void cache_note_stat(struct rules_compiler *c, const char *path);
void cache_note_diag(struct rules_compiler *c, const struct rule_diag *d);
void cache_record_release(struct rules_compiler *c);

/* The format of a cache entry (cache.c): 2 added a pattern's second atom
 * set, 3 its prefix set, 4 the ranks of its atom sets, 5 the prefilter's
 * trie and each pattern's ids. */
#define CACHE_FORMAT 5u

/* A decoded cache entry: owns everything in it. */
struct cache_entry {
	struct cache_input *inputs;
	size_t ninputs, ainputs;
	struct cache_diag *diags;
	size_t ndiags, adiags;
	struct rule **rules;
	size_t nrules, arules;
	struct prefilter_image image;	/* valid for rules */
};
/*
 * Encodes an entry for key (32 bytes) with c's recorded inputs and
 * diagnostics and rs's rules into out (reset first). RF_ETOOBIG when it
 * would pass RF_RULECACHE_MAX_BYTES or hold a condition deeper than
 * RF_RULECACHE_COND_DEPTH.
 */
enum rf_err cache_entry_encode(const unsigned char *key,
			       const struct rules_compiler *c,
			       const struct ruleset *rs, struct buf *out);
/*
 * Decodes and validates an entry: header, key (when key is not NULL),
 * checksum (when check_sum), then every field. RF_EINVAL on any
 * mismatch or damage, *e left empty. e is caller-owned; release it with
 * cache_entry_release.
 */
enum rf_err cache_entry_decode(const unsigned char *data, size_t len,
			       const unsigned char *key, bool check_sum,
			       struct cache_entry *e);
void cache_entry_release(struct cache_entry *e);
/* Makes a ruleset of rules (n of them), taking them and the array. */
struct ruleset *ruleset_build(struct rule **rules, size_t n);
/* The same with the prefilter made from im, valid for rules. */
struct ruleset *ruleset_build_image(struct rule **rules, size_t n,
				    const struct prefilter_image *im);
/* Makes the ruleset of a decoded entry, taking its rules. */
struct ruleset *cache_entry_ruleset(struct cache_entry *e);

/* lemmas.c */
void lemma_lock_read(struct rules_compiler *c, const char *dir);
/* The forms of pat's lemma for r's language, from a lock or the
 * dictionary; reports an error and returns NULL when there are none. */
const struct lemma_entry *lemma_lookup(struct rules_compiler *c,
				       const struct rule *r,
				       const struct pattern *pat);
void lemma_cache_release(struct rules_compiler *c);

/* Reports a diagnostic through c's callback and counts it. */
void rules_diag(struct rules_compiler *c, enum diag_severity sev,
		const char *file, int line, int col, const char *source_line,
		const char *code, const char *fmt, ...) RF_PRINTF(8, 9);

/*
 * Parses src, adding each rule that parsed to c (compiled later). Rules
 * with errors are reported and dropped. Returns RF_ERULE if any error.
 */
enum rf_err rules_parse(struct rules_compiler *c, struct rule_source *src);

/* Compiles one parsed rule's patterns; reports errors. */
enum rf_err rule_compile(struct rules_compiler *c, struct rule *r,
			 const struct rule_source *src);

void rule_free(struct rule *r);
void cond_free(struct cond *n);
void rule_source_release(struct rule_source *src);

/*
 * Fills out with lower-case strings such that every match of the regex
 * re contains one of them. Returns false, out empty, when it cannot tell.
 * When out2 is not NULL, fills it with a second such set, from another
 * part of the regex, or leaves it empty: a match contains an atom of out
 * and one of out2.
 */
bool atoms_extract(const char *re, size_t len, struct atom_set *out,
		   struct atom_set *out2);
/*
 * Fills out with lower-case strings, none empty, such that every match of
 * re starts with one of them (after zero-width assertions), so a match
 * can only start where the prefilter saw one begin. Returns false, out
 * empty, when it cannot tell.
 */
bool atoms_prefix(const char *re, size_t len, struct atom_set *out);
void atom_set_release(struct atom_set *s);
/* Characters in the shortest atom of s. */
size_t atom_set_min_chars(const struct atom_set *s);
/* Whether a and b hold the same strings. */
bool atom_set_equal(const struct atom_set *a, const struct atom_set *b);
/* Makes dst (empty) a copy of src. */
void atom_set_copy(struct atom_set *dst, const struct atom_set *src);
/* The lower case of a code point, as atoms are folded. */
uint32_t atom_fold(uint32_t cp);
/* Whether \s matches cp (PCRE2 with PCRE2_UCP). */
bool atom_is_space(uint32_t cp);
/* Whether a prefix string beginning with cp is a letter's, which nearly
 * every document has: the matcher finds those (prefix_split). */
bool atom_prefix_letter(uint32_t cp);
/* How rarely text holds an atom of s, as far as its strings tell: higher
 * is rarer (a set with в or за is 0; with a common word's part, low;
 * long uncommon atoms, high), below 256. */
int atom_set_rank(const struct atom_set *s);
/* Whether atom a (folded, NUL-terminated) is part of a word common in
 * ordinary text (common-words.c): such an atom lets its rule through on
 * many documents. */
bool atom_common(const char *a);
/* Words that occur in many ordinary documents, each between two newlines
 * (common-words.c, generated by scripts/gen-common-words.py). */
extern const char common_words[];
extern const size_t common_words_len;

/* Lint checks of one compiled rule (lint.c). */
void rule_lint(struct rules_compiler *c, const struct rule *r);
/* Whether r's condition can hold with no pattern matched. */
bool rule_always_runs(const struct rule *r);

/* What a condition is evaluated against (match.c). */
struct cond_ctx;
bool cond_eval(const struct cond *n, struct cond_ctx *ctx);

#endif
