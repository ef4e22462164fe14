/* log.c: one-line diagnostics on stderr. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "common/log.h"
#include "common/banned.h"

static const char *log_prefix = "redflag";
static enum log_level log_level_max = LOG_WARN;
static bool log_timestamps;

void
log_set_prefix(const char *name)
{
	log_prefix = name;
}

void
log_set_level(enum log_level level)
{
	log_level_max = level;
}

enum log_level
log_get_level(void)
{
	return log_level_max;
}

void
log_set_timestamps(bool on)
{
	log_timestamps = on;
}

/* The attribute lets the compiler check fmt at our callers instead. */
static void log_vmsg(enum log_level level, const char *fmt, va_list ap)
	RF_PRINTF(2, 0);

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const tags[] = {
		[LOG_ERROR] = "error: ",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "debug: ",
	};

	if (level > log_level_max)
		return;
	if (log_timestamps) {
		char stamp[32];
		time_t now = time(NULL);
		struct tm tm;

		if (gmtime_r(&now, &tm) &&
		    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm))
			fprintf(stderr, "%s ", stamp);
	}
	fprintf(stderr, "%s: %s", log_prefix, tags[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

void
die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_ERROR, fmt, ap);
	va_end(ap);
	exit(code);
}
