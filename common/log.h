/*
 * log.h: diagnostics of the command-line program. Library modules never
 * print (STYLE.md rule 7); they hand messages to their caller, and only
 * scanner/ and the commands use this.
 */
#ifndef RF_COMMON_LOG_H
#define RF_COMMON_LOG_H

#include <stdbool.h>

#include "common/err.h"

enum log_level {
	LOG_ERROR = 0,
	LOG_WARN,
	LOG_INFO,	/* shown with -v */
	LOG_DEBUG,	/* shown with -vv */
};

/* Sets the name messages start with ("redflag: scan"); borrows name. */
void log_set_prefix(const char *name);
/* Messages above level are dropped. The default is LOG_WARN. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Prefix each message with an ISO 8601 time (for cron logs). */
void log_set_timestamps(bool on);

void log_msg(enum log_level level, const char *fmt, ...) RF_PRINTF(2, 3);
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

struct buf;
/* Appends the message as log_msg would print it (with its newline) to
 * out, or nothing when level is filtered out: for threads that must keep
 * their messages in the order of their results. */
void log_to_buf(struct buf *out, enum log_level level, const char *fmt, ...)
	RF_PRINTF(3, 4);

/* Prints like log_error and exits with status code. */
void die(int code, const char *fmt, ...) RF_PRINTF(2, 3) RF_NORETURN;

#endif
