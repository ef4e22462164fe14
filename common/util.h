/* util.h: small string, number and file helpers used by every module. */
#ifndef RF_COMMON_UTIL_H
#define RF_COMMON_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

/* Whether s starts with prefix. */
bool str_has_prefix(const char *s, const char *prefix);
/* Whether s ends with suffix. */
bool str_has_suffix(const char *s, const char *suffix);

/*
 * Parses all of s as a decimal integer in [min, max]. Returns RF_EINVAL
 * for anything else (empty, signs where min >= 0, trailing junk, range).
 */
enum rf_err parse_int(const char *s, long long min, long long max,
		      long long *out) RF_WARN_UNUSED;
/* Parses a non-negative decimal number, fractions allowed, up to max. */
enum rf_err parse_double(const char *s, double max, double *out)
	RF_WARN_UNUSED;

/*
 * Reads the whole of path ("-" is standard input) into out, which must be
 * initialised. More than max bytes is RF_ETOOBIG; a directory RF_EISDIR; a
 * missing file RF_ENOENT; other failures RF_EIO with errno kept.
 */
enum rf_err file_read(const char *path, size_t max, struct buf *out)
	RF_WARN_UNUSED;

#endif
