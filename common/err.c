/* err.c: messages for enum rf_err. */
#include "common/err.h"
#include "common/banned.h"

static const char *const messages[RF_ERR_MAX] = {
	[RF_OK] = "success",
	[RF_ENOMEM] = "out of memory",
	[RF_EIO] = "input/output error",
	[RF_ENOENT] = "no such file or directory",
	[RF_EISDIR] = "is a directory",
	[RF_EINVAL] = "invalid argument",
	[RF_ETOOBIG] = "limit exceeded",
	[RF_EUTF8] = "invalid UTF-8",
	[RF_EBINARY] = "binary file",
	[RF_EEMPTY] = "empty input",
	[RF_EPARSE] = "malformed input",
	[RF_ERULE] = "rule error",
	[RF_EMATCH] = "match limit reached",
	[RF_ENET] = "network error",
	[RF_ETIMEOUT] = "timed out",
	[RF_EDB] = "database error",
	[RF_EUNSUPPORTED] = "not supported",
	[RF_ELOCKED] = "locked by another process",
};

const char *
rf_strerror(enum rf_err err)
{
	if ((unsigned)err >= RF_ERR_MAX || !messages[err])
		return "unknown error";
	return messages[err];
}
