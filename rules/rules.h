/*
 * rules.h: redflag's rule language: compile rule files once into an
 * immutable ruleset, scan documents with a per-thread matcher, score them.
 *
 * The language is described in rules/README.md and redflag-rules(5).
 *
 *	struct rules_compiler *c = rules_compiler_new(&opts);
 *	rules_compiler_add_path(c, "rules/packs");
 *	if (rules_compiler_finish(c, &rs) == RF_OK) {
 *		struct matcher *m = matcher_new(rs);
 *		matcher_scan(m, &input, &result);
 *		...
 *	}
 */
#ifndef RF_RULES_H
#define RF_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* The fields of a document that rules can be scoped to. */
enum rule_field {
	FIELD_TITLE = 0,
	FIELD_BODY,
	FIELD_URL,
	FIELD_CONTACTS,
	FIELD_MAX
};

/* "title", "body", "url", "contacts". */
const char *rule_field_name(enum rule_field f);

enum rule_strength { STRENGTH_WEAK = 0, STRENGTH_MEDIUM, STRENGTH_STRONG };
enum rule_status { STATUS_EXPERIMENTAL = 0, STATUS_STABLE, STATUS_DEPRECATED };

enum risk_level { LEVEL_NONE = 0, LEVEL_LOW, LEVEL_MEDIUM, LEVEL_HIGH };
/* "none", "low", "medium", "high". */
const char *risk_level_name(enum risk_level l);
/* Parses a level name; RF_EINVAL for anything else. */
enum rf_err risk_level_parse(const char *s, enum risk_level *out)
	RF_WARN_UNUSED;

/* A diagnostic from the compiler, handed to the caller's callback. */
enum diag_severity { DIAG_ERROR = 0, DIAG_WARNING };
struct rule_diag {
	enum diag_severity severity;
	const char *file;	/* as given; "<string>" for in-memory text */
	int line;		/* 1-based; 0 when not about a place */
	int col;		/* 1-based, in characters; 0 when unknown */
	const char *code;	/* stable id such as "E101" or "W201" */
	const char *message;
	const char *source_line;/* the line's text without newline, or NULL */
};
typedef void (*rule_diag_fn)(const struct rule_diag *d, void *arg);

struct rules_options {
	rule_diag_fn diag;	/* may be NULL: diagnostics are dropped */
	void *diag_arg;
	bool run_examples;	/* check inline examples while compiling */
	bool lint;		/* emit lint warnings */
	bool lock_lemmas;	/* expand every ~lemma from the dictionary,
				 * for rules_compiler_write_locks() */
};

struct rules_compiler;
struct ruleset;
struct rule;

/* Returns a new compiler; borrows opts' callback for its lifetime. */
struct rules_compiler *rules_compiler_new(const struct rules_options *opts);
void rules_compiler_free(struct rules_compiler *c);
/*
 * Adds a rule file, or every *.rules file below a directory (sorted, so
 * the order is stable). Errors go to the callback; the return value is
 * RF_ERULE when any rule failed, RF_ENOENT/RF_EIO when a path could not be
 * read (also reported through the callback).
 */
enum rf_err rules_compiler_add_path(struct rules_compiler *c,
				    const char *path);
/* Adds rules from memory; name is used in diagnostics. Copies text. */
enum rf_err rules_compiler_add_string(struct rules_compiler *c,
				      const char *name, const char *text,
				      size_t len);
/*
 * Builds the ruleset from everything added. Fails with RF_ERULE if any
 * error was reported (nothing partial is returned). On success *out is a
 * new ruleset the caller frees with ruleset_free.
 */
enum rf_err rules_compiler_finish(struct rules_compiler *c,
				  struct ruleset **out) RF_WARN_UNUSED;
/*
 * The on-disk cache of compiled rulesets (rules/cache.c). An entry holds
 * the parsed rules, their lemma forms, PCRE2 sources and literal atoms,
 * and the warnings of the compile; loading one skips reading
 * dictionaries, parsing, folding and pcre2_compile. An entry is keyed by
 * the paths given, the options, the cache format, PCRE2's version and
 * the caller's build id, and is used only when every file and folder the
 * compile read (rule files, lemmas.lock files, pack folders, hunspell
 * dictionaries by size and time) is as it was.
 */
struct rules_cache_options {
	const char *dir;	/* where entries live; NULL: no cache */
	const char *build_id;	/* identifies the program that compiles:
				 * an entry of another build is not used */
};

enum rules_cache_state {
	RULES_CACHE_OFF = 0,	/* not used: disabled, or no usable folder */
	RULES_CACHE_HIT,	/* the ruleset came from the cache */
	RULES_CACHE_STORED,	/* compiled, and written to the cache */
	RULES_CACHE_MISSED,	/* compiled; nothing written (note says why) */
};

/* What rules_compile_paths did with the cache; caller-owned:
 * rules_cache_info_init/_release. */
struct rules_cache_info {
	enum rules_cache_state state;
	char *path;	/* the entry's file, or NULL */
	char *note;	/* why an entry was not used or not written, or NULL */
};
void rules_cache_info_init(struct rules_cache_info *info);
void rules_cache_info_release(struct rules_cache_info *info);

/*
 * Compiles the rules at paths (n of them) as rules_compiler_add_path on
 * each and then rules_compiler_finish would, or loads the same ruleset
 * from the cache (copts, which may be NULL or have a NULL dir: no
 * cache). On a hit, the warnings of the compile are replayed through c's
 * callback; compiles with errors and opts.lock_lemmas are never cached.
 * A damaged or stale entry is ignored (info->note says why) and
 * rewritten; a cache that cannot be read or written is only a note.
 * Returns the first error of a path (RF_ENOENT, RF_EIO), else RF_ERULE
 * when a rule failed, else RF_OK with *out a new ruleset the caller
 * frees with ruleset_free. info may be NULL.
 */
enum rf_err rules_compile_paths(struct rules_compiler *c,
				const char *const *paths, size_t n,
				const struct rules_cache_options *copts,
				struct rules_cache_info *info,
				struct ruleset **out) RF_WARN_UNUSED;
/*
 * Writes the lemmas.lock of each pack whose rules use ~lemma terms (after
 * a compile with opts.lock_lemmas), atomically; *written gets how many
 * files. RF_EIO, reported through the callback, when one could not be
 * written.
 */
enum rf_err rules_compiler_write_locks(struct rules_compiler *c,
				       size_t *written) RF_WARN_UNUSED;
/* Counts of diagnostics reported so far. */
size_t rules_compiler_errors(const struct rules_compiler *c);
size_t rules_compiler_warnings(const struct rules_compiler *c);

void ruleset_free(struct ruleset *rs);
size_t ruleset_count(const struct ruleset *rs);
/* 64 hex digits identifying the rules' content (ids and texts). */
const char *ruleset_hash(const struct ruleset *rs);
/* Borrowed; valid while rs lives. */
const struct rule *ruleset_rule(const struct ruleset *rs, size_t i);

const char *rule_id(const struct rule *r);
const char *rule_title(const struct rule *r);
const char *rule_indicator(const struct rule *r);
const char *rule_lang(const struct rule *r);
int rule_weight(const struct rule *r);
enum rule_strength rule_strength(const struct rule *r);
enum rule_status rule_status(const struct rule *r);
const char *rule_file(const struct rule *r);
/* 16 hex digits that change whenever the rule's text does. */
const char *rule_version(const struct rule *r);
int rule_line(const struct rule *r);
size_t rule_pattern_count(const struct rule *r);
/* The name of pattern i, without '$'. */
const char *rule_pattern_name(const struct rule *r, size_t i);
const char *rule_strength_name(enum rule_strength s);
const char *rule_status_name(enum rule_status s);

/* Inline examples. */
struct example_failure {
	const struct rule *rule;
	bool expected_match;	/* a "match" example that did not, or not */
	const char *text;
	int line;
};
typedef void (*example_fail_fn)(const struct example_failure *f, void *arg);
/*
 * Runs every inline example of rs; calls fail for each that does not
 * behave as declared. Sets *passed and *failed.
 */
enum rf_err ruleset_test(const struct ruleset *rs, example_fail_fn fail,
			 void *arg, size_t *passed, size_t *failed);

/* What a matcher scans: the text of each field, UTF-8, may be NULL. */
struct scan_input {
	const char *text[FIELD_MAX];
	size_t len[FIELD_MAX];
};

/* One match of one pattern of a rule that fired. */
struct hit {
	const struct rule *rule;	/* borrowed from the ruleset */
	const char *pattern;		/* pattern name without '$' */
	enum rule_field field;
	size_t start, end;		/* byte offsets into that field's text */
};

/* The verdict on a document. Caller-owned: scan_result_init/_release. */
struct scan_result {
	struct hit *hits;
	size_t nhits, alloc;
	const struct rule **fired;	/* rules whose condition held */
	size_t nfired, afired;
	int score;
	enum risk_level level;
	size_t rule_errors;		/* patterns that hit their match limit */
	const struct rule *error_rule;	/* the first of those, for messages */
	int dimensions;			/* distinct ILO dimensions present */
	/* with matcher_set_explain: rules that matched some patterns but
	 * whose condition failed ("close calls"), and those matches */
	const struct rule **close;
	size_t nclose, aclose;
	struct hit *close_hits;
	size_t nclose_hits, aclose_hits;
};

void scan_result_init(struct scan_result *r);
void scan_result_release(struct scan_result *r);

struct matcher;

/* A new matcher for one thread; borrows rs, which must outlive it. */
struct matcher *matcher_new(const struct ruleset *rs);
void matcher_free(struct matcher *m);
/* Whether matcher_scan also records close calls (off by default). */
void matcher_set_explain(struct matcher *m, bool on);
/* Whether matcher_scan times each rule (off by default). */
void matcher_set_profile(struct matcher *m, bool on);
/* Whether the literal prefilter skips rules that cannot fire (on by
 * default; off gives the naive loop, for tests and benchmarks). */
void matcher_set_prefilter(struct matcher *m, bool on);

struct rule_profile {
	uint64_t candidates;	/* documents the prefilter let through */
	uint64_t skipped;	/* documents the prefilter skipped */
	uint64_t fired;
	uint64_t ns;		/* time verifying the candidates */
	uint64_t calls;		/* pcre2_match calls verifying them */
};
/* Profile of rule i of the ruleset (zeros unless profiling). */
void matcher_profile(const struct matcher *m, size_t i,
		     struct rule_profile *p);
/* Whether rule i has a pattern without literal atoms, so the prefilter
 * lets every document through for it. */
bool ruleset_rule_unfiltered(const struct ruleset *rs, size_t i);

/*
 * Folds in and runs the literal prefilter only, as matcher_scan() does
 * first: returns how many rules it would verify with PCRE2 (every rule
 * when the prefilter is off). For benchmarks, which tell the two parts'
 * costs apart.
 */
size_t matcher_candidates(struct matcher *m, const struct scan_input *in);
/*
 * Scans in and fills res (reset first). Text must be valid UTF-8 (the
 * matcher does not check again). Returns RF_OK even when some pattern hit
 * its limit: that is counted in res->rule_errors.
 */
enum rf_err matcher_scan(struct matcher *m, const struct scan_input *in,
			 struct scan_result *res);

/* The scoring model (rules/score.c). */
struct score_model {
	int strength_weight[3];	/* weak, medium, strong */
	int indicator_cap;	/* most points one indicator contributes */
	int dimension_bonus;	/* per ILO dimension beyond the first */
	int threshold[4];	/* score at which each level starts */
};
extern const struct score_model score_model_default;
/* Computes res->score, ->level and ->dimensions from res->fired. */
void score_result(const struct score_model *model, struct scan_result *res);
/* The level a score reaches under model. */
enum risk_level score_level(const struct score_model *model, int score);

/* One indicator's part of a score, for explanations. */
struct score_line {
	const char *indicator;
	char dimension;		/* 'A'..'F', or 0 when contextual */
	int points;		/* after the cap */
	const struct rule *rule;/* the strongest fired rule, which counted */
	int rules;		/* how many of its rules fired */
	bool capped;
};
/*
 * Fills out (room for max lines, RF_INDICATORS_MAX is enough) with the
 * indicators of res in taxonomy order; returns how many. *bonus gets the
 * dimension bonus.
 */
size_t score_explain(const struct score_model *model,
		     const struct scan_result *res, struct score_line *out,
		     size_t max, int *bonus);
#define RF_INDICATORS_MAX 18
/* The ILO dimension letter of an indicator id ("J03" -> 'A'), or 0 when
 * the indicator is contextual (no dimension), or -1 when unknown. */
int indicator_dimension(const char *indicator);
/* The taxonomy's short name for an indicator, or NULL when unknown. */
const char *indicator_name(const char *indicator);

#endif
