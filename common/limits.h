/*
 * limits.h: every cap on data that comes from the network or a user, in one
 * place (STYLE.md rule 9). Include as "common/limits.h".
 */
#ifndef RF_COMMON_LIMITS_H
#define RF_COMMON_LIMITS_H

/* Strings built in a struct buf with no explicit cap stop here. */
#define RF_BUF_MAX_DEFAULT		((size_t)1 << 30)	/* 1 GiB */

/* Input files given to scan or extract. */
#define RF_INPUT_MAX_BYTES		((size_t)64 << 20)	/* 64 MiB */
/* Bytes looked at to decide whether an input is binary or HTML. */
#define RF_SNIFF_BYTES			((size_t)4096)
/* Directory recursion depth for scan and extract. */
#define RF_DIR_MAX_DEPTH		64

/* Extracted text per field; longer text marks the document truncated. */
#define RF_FIELD_MAX_BYTES		((size_t)8 << 20)	/* 8 MiB */
/* Elements visited in one HTML tree; more marks the document truncated. */
#define RF_HTML_MAX_NODES		((size_t)2000000)
/* Element nesting depth walked; deeper text marks the document truncated. */
#define RF_HTML_MAX_DEPTH		4096

/*
 * text_fold() input; callers cap fields lower (RF_FIELD_MAX_BYTES). The
 * offset map holds 32-bit offsets, and the folded view is at most
 * RF_FOLD_EXPANSION times its input (an invalid byte becomes U+FFFD).
 */
#define RF_FOLD_INPUT_MAX		((size_t)256 << 20)	/* 256 MiB */
#define RF_FOLD_EXPANSION		3

/* Rule files. */
#define RF_RULEFILE_MAX_BYTES		((size_t)16 << 20)	/* 16 MiB */
#define RF_RULE_MAX_PATTERNS		256
/* PCRE2 match limit per call; a pattern that hits it is a rule error. */
#define RF_PCRE2_MATCH_LIMIT		1000000u
/* JIT stack per matcher. */
#define RF_PCRE2_JIT_STACK_MAX		((size_t)1 << 20)	/* 1 MiB */
/* Hits kept per rule per field; more are counted, not stored. */
#define RF_HITS_PER_RULE_MAX		64
/* Bytes of matched text copied into a hit. */
#define RF_HIT_TEXT_MAX			((size_t)512)

/* JSON writer nesting. */
#define RF_JSON_MAX_DEPTH		32

#endif
