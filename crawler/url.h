/*
 * url.h: URLs for the crawler: resolving links, one normal form for the
 * frontier and dedup, hosts and registrable domains for politeness and
 * scope, and the crawler-trap filter. Parsing is libcurl's URL API (curl_url);
 * what curl leaves alone (case, percent-encoding, session and tracking
 * parameters) is done here. Nothing here touches the network.
 */
#ifndef RF_CRAWLER_URL_H
#define RF_CRAWLER_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"

/*
 * How url_normalize() treats a URL. A NULL options pointer means all
 * defaults (a zeroed struct is the same).
 */
struct url_norm_opts {
	/* Accept file:// URLs too: only for seeds read from a job file. */
	bool allow_file;
	/*
	 * Query parameters to drop besides the session ids, as a
	 * NULL-terminated list of names compared without case; a name
	 * ending in '*' drops every name with that prefix ("utm_*"). NULL
	 * means url_tracking_params_default; a list holding only NULL drops
	 * no tracking parameter.
	 */
	const char *const *tracking_params;
};

/*
 * The tracking parameters dropped by default, NULL-terminated: utm_*,
 * fbclid, gclid, yclid, _openstat and other click and campaign ids.
 */
extern const char *const url_tracking_params_default[];

/*
 * Resolves href (a link as written in a page: whitespace around it and
 * tabs or newlines inside are ignored, spaces and non-ASCII bytes are
 * percent-encoded) against the absolute URL base, per RFC 3986 section 5.
 * On success *out is a new absolute URL the caller frees; it is not yet
 * normalised. Unparsable input or a scheme curl does not know (mailto:,
 * javascript:) is RF_EINVAL; input or result over RF_URL_INPUT_MAX_BYTES
 * is RF_ETOOBIG.
 */
enum rf_err url_resolve(const char *base, const char *href, char **out)
	RF_WARN_UNUSED;

/*
 * Puts the absolute URL url in the crawler's normal form, so that two
 * spellings of one page compare equal:
 *   - only http and https (and file with opts->allow_file), else RF_EINVAL;
 *   - scheme and host in lower case (a non-ASCII host keeps its bytes;
 *     punycode stays punycode), the scheme's default port dropped; a
 *     host with other ASCII than letters, digits and - . _ ~ (curl
 *     decodes "%hh" in hosts) is RF_EINVAL;
 *   - percent-encoding with upper-case hex, unreserved characters
 *     decoded, spaces, controls and non-ASCII bytes encoded;
 *   - dot segments removed, an empty path made "/";
 *   - the fragment dropped;
 *   - session ids dropped: query parameters jsessionid, phpsessid, sid,
 *     sessionid and path parameters such as ";jsessionid=...";
 *   - tracking parameters dropped (see struct url_norm_opts); the other
 *     parameters keep their order, and a query left empty goes.
 * On success *out is a new string the caller frees. Input over
 * RF_URL_INPUT_MAX_BYTES or a result over RF_URL_MAX_BYTES is RF_ETOOBIG;
 * a result curl would not parse again is RF_EINVAL.
 */
enum rf_err url_normalize(const char *url, const struct url_norm_opts *opts,
			  char **out) RF_WARN_UNUSED;

/*
 * url_resolve() of href against base, then url_normalize() with opts: the
 * same result and errors, when base is in normal form already (a URL the
 * frontier gave, or one url_normalize() made). The common link, a path of
 * letters, digits and - . _ ~ / (absolute, or relative without a scheme)
 * with no dot segment, against an http or https base, is joined to the
 * base without parsing either; any other goes the long way.
 */
enum rf_err url_resolve_normal(const char *base, const char *href,
			       const struct url_norm_opts *opts, char **out)
	RF_WARN_UNUSED;

/*
 * Sets *out to the host of the absolute URL url, in lower case, an IPv6
 * address without its brackets: a new string the caller frees. A URL
 * without a host is RF_EINVAL.
 */
enum rf_err url_host(const char *url, char **out) RF_WARN_UNUSED;

/*
 * Sets *out to the registrable domain of host ("www.olx.kz" -> "olx.kz",
 * "a.b.example.co.uk" -> "example.co.uk") by the Public Suffix List
 * (libpsl, newest of its built-in and the system's data), in lower case,
 * without a trailing dot: a new string the caller frees. An IP address, a
 * public suffix itself ("co.uk") or a single label ("localhost") has no
 * registrable domain: RF_EINVAL, and callers use the host instead.
 */
enum rf_err url_registrable_domain(const char *host, char **out)
	RF_WARN_UNUSED;

/*
 * Whether url looks like a crawler trap not worth fetching: longer than
 * RF_URL_MAX_BYTES, or a path in which one segment occurs
 * RF_URL_TRAP_REPEATS times or more (/a/x/a/y/a/, /x/x/x/), or a run of
 * two or more segments is immediately repeated (/shop/shoes/shop/shoes/),
 * which is what relative links resolved against the wrong base produce.
 * Empty segments do not count. Expects a normalised URL.
 */
bool url_is_trap(const char *url);

/*
 * Appends s (len bytes) to out with percent-encoding normalised: "%hh"
 * of an unreserved character (ALPHA DIGIT - . _ ~) decoded, other "%hh"
 * with upper-case hex, and bytes that may not appear raw in a URL
 * (controls, space, DEL, non-ASCII, " < > \ ^ ` { | }) encoded. Reserved
 * characters and '%' not followed by two hex digits are kept as they
 * are, and so is an encoded hex digit that would make a new "%hh" with
 * such a '%' ("%E%62" stays), so that normalising twice changes nothing.
 * Used for URLs and robots.txt patterns alike, so both compare in one
 * form. Returns RF_ETOOBIG when out's cap is reached.
 */
enum rf_err url_pct_normalize(struct buf *out, const char *s, size_t len)
	RF_WARN_UNUSED;


/*
 * Splits the credentials off the absolute URL url ("http://user:pw@host/"):
 * *rest is url without them, *user and *password their percent-decoded
 * values (NULL when absent; a password without a user name gives the
 * user ""); all three are new strings the caller frees. A URL without
 * credentials comes back as a copy with both NULL. On error
 * (RF_EINVAL: url does not parse) all three are NULL.
 */
enum rf_err url_split_credentials(const char *url, char **rest, char **user,
				  char **password) RF_WARN_UNUSED;

/*
 * Returns a copy of s, a URL or any text that may hold one, with the
 * password of every "scheme://user:password@" replaced by "***", for
 * messages and records: a new string the caller frees. Works on the text
 * alone, so that a URL too broken to parse is redacted too.
 */
char *url_redact(const char *s);

#endif
