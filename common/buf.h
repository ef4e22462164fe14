/*
 * buf.h: growable byte strings with a hard cap, always NUL-terminated (in
 * the spirit of git's strbuf and curl's dynbuf).
 *
 * A write that would pass the cap writes nothing, returns RF_ETOOBIG and
 * leaves b->failed set, so a caller may build a string with many writes and
 * check buf_failed() once at the end.
 */
#ifndef RF_COMMON_BUF_H
#define RF_COMMON_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "common/err.h"

struct buf {
	char *data;	/* never NULL after buf_init: "" when empty */
	size_t len;	/* bytes used, not counting the NUL */
	size_t alloc;	/* bytes allocated; 0 while data points at "" */
	size_t max;	/* cap on len */
	bool failed;	/* a write hit the cap */
};

/* Prepares b, caller-owned, with cap max (0 means RF_BUF_MAX_DEFAULT). */
void buf_init(struct buf *b, size_t max);
/* Frees b's storage and leaves it as after buf_init with the same cap. */
void buf_release(struct buf *b);
/* Empties b, keeping its storage and clearing failed. */
void buf_reset(struct buf *b);
/* Returns b's string, which the caller frees; b is left empty. */
char *buf_detach(struct buf *b, size_t *len);

enum rf_err buf_add(struct buf *b, const void *data, size_t len);
enum rf_err buf_addstr(struct buf *b, const char *s);
enum rf_err buf_addch(struct buf *b, char c);
enum rf_err buf_addf(struct buf *b, const char *fmt, ...) RF_PRINTF(2, 3);
enum rf_err buf_vaddf(struct buf *b, const char *fmt, va_list ap)
	RF_PRINTF(2, 0);
/* Ensures room for extra more bytes without reallocation. */
enum rf_err buf_grow(struct buf *b, size_t extra);
/* Shortens b to len bytes (no-op when len >= b->len). */
void buf_truncate(struct buf *b, size_t len);

static inline bool
buf_failed(const struct buf *b)
{
	return b->failed;
}

#endif
