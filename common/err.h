/* err.h: the one error enum every module returns, and its messages. */
#ifndef RF_COMMON_ERR_H
#define RF_COMMON_ERR_H

enum rf_err {
	RF_OK = 0,
	RF_ENOMEM,	/* only where a caller asked not to die */
	RF_EIO,		/* read or write failed; errno has more */
	RF_ENOENT,	/* no such file */
	RF_EISDIR,	/* a directory where a file was expected */
	RF_EINVAL,	/* bad argument or value */
	RF_ETOOBIG,	/* a size, count or depth cap was reached */
	RF_EUTF8,	/* invalid UTF-8 */
	RF_EBINARY,	/* input looks binary */
	RF_EEMPTY,	/* input is empty */
	RF_EPARSE,	/* malformed input */
	RF_ERULE,	/* a rule failed to compile */
	RF_EMATCH,	/* a match hit its limit or failed */
	RF_ENET,	/* network failure */
	RF_ETIMEOUT,	/* a time limit was reached */
	RF_EDB,		/* the database failed */
	RF_EUNSUPPORTED,/* not built yet, or not supported */
	RF_ELOCKED,	/* someone else holds the lock */
	RF_ERR_MAX
};

/* Returns a static lower-case message for err, never NULL. */
const char *rf_strerror(enum rf_err err);

#if defined(__GNUC__)
#define RF_WARN_UNUSED __attribute__((warn_unused_result))
#define RF_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define RF_NORETURN __attribute__((noreturn))
#else
#define RF_WARN_UNUSED
#define RF_PRINTF(f, a)
#define RF_NORETURN
#endif

#define RF_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
