/* url.c: resolving, normalising and classifying URLs with curl's URL API. */
#include "config.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <libpsl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/url.h"
#include "common/banned.h"

/* Percent-encoding may triple a string on its way to normal form. */
#define URL_WORK_MAX (3 * RF_URL_INPUT_MAX_BYTES)

/* Session ids, dropped as query parameters and as ";name=" path parameters. */
static const char *const session_params[] = {
	"jsessionid", "phpsessid", "sid", "sessionid", NULL
};

const char *const url_tracking_params_default[] = {
	"utm_*",	/* Google Analytics campaigns */
	"fbclid",	/* Facebook */
	"gclid", "gclsrc", "dclid", "gbraid", "wbraid", /* Google Ads */
	"msclkid",	/* Microsoft Ads */
	"yclid", "ysclid", /* Yandex */
	"_openstat",	/* Openstat, common on Russian-language sites */
	"mc_cid", "mc_eid", /* Mailchimp */
	"igshid",	/* Instagram */
	"twclid",	/* X/Twitter */
	"ttclid",	/* TikTok */
	"_ga", "_gl",	/* Google cross-domain linking */
	"_hsenc", "_hsmi", /* HubSpot */
	"mkt_tok",	/* Marketo */
	"srsltid",	/* Google Merchant */
	NULL
};

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
is_unreserved(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' ||
	       c == '_' || c == '~';
}

static bool
is_scheme_char(unsigned char c)
{
	return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
}

/* Bytes RFC 3986 never allows raw in a URL. */
static bool
must_encode(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || c == '"' || c == '<' || c == '>' ||
	       c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' ||
	       c == '}';
}

static enum rf_err
add_pct(struct buf *out, unsigned char c)
{
	static const char hex[] = "0123456789ABCDEF";
	char t[3] = { '%', hex[c >> 4], hex[c & 15] };

	return buf_add(out, t, sizeof(t));
}

/* The byte "%hh" at s[i] stands for, or -1 if it is not such a triplet. */
static int
pct_byte(const char *s, size_t i, size_t len)
{
	int hi, lo;

	if (s[i] != '%' || i + 2 >= len)
		return -1;
	hi = hex_value((unsigned char)s[i + 1]);
	lo = hex_value((unsigned char)s[i + 2]);
	return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
}

/*
 * Whether appending the hex digit c to out would complete a "%hh" with a
 * lone '%' already there ("%E" and a decoded "%62"): the next pass would
 * read a triplet that was not one, so the normal form would not be fixed.
 */
static bool
makes_triplet(const struct buf *out, unsigned char c)
{
	const char *e = out->data + out->len;

	if (hex_value(c) < 0)
		return false;
	return (out->len >= 1 && e[-1] == '%') ||
	       (out->len >= 2 && e[-2] == '%' &&
		hex_value((unsigned char)e[-1]) >= 0);
}

enum rf_err
url_pct_normalize(struct buf *out, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && !buf_failed(out); i++) {
		int b = pct_byte(s, i, len);
		unsigned char c = (unsigned char)s[i];

		if (b >= 0) {
			i += 2;
			if (is_unreserved((unsigned char)b) &&
			    !makes_triplet(out, (unsigned char)b))
				(void)buf_addch(out, (char)b);
			else
				(void)add_pct(out, (unsigned char)b);
		} else if (must_encode(c)) {
			(void)add_pct(out, c);
		} else {
			(void)buf_addch(out, (char)c);
		}
	}
	return buf_failed(out) ? RF_ETOOBIG : RF_OK;
}

/*
 * Length of the scheme and authority at the start of s ("http://h:80").
 * After a scheme other than file:, one to three slashes start the
 * authority, as curl reads them ("http:/h" is http://h/).
 */
static size_t
head_len(const char *s, size_t len)
{
	size_t i = 0, slashes = 0;
	bool file = false;

	if (len && is_alpha((unsigned char)s[0])) {
		while (i < len && is_scheme_char((unsigned char)s[i]))
			i++;
		if (i < len && s[i] == ':') {
			file = i == 4 && strncasecmp(s, "file", 4) == 0;
			i++;
		} else {
			i = 0;
		}
	}
	while (i + slashes < len && s[i + slashes] == '/' && slashes < 4)
		slashes++;
	if (i > 0 && !file && slashes >= 1 && slashes <= 3) {
		i += slashes;
		while (i < len && s[i] != '/' && s[i] != '?' && s[i] != '#')
			i++;
	} else if (slashes >= 2) {
		i += 2;
		while (i < len && s[i] != '/' && s[i] != '?' && s[i] != '#')
			i++;
	}
	return i;
}

/*
 * Cleans a URL as written in a page the way browsers do before curl sees
 * it: spaces and controls around it trimmed, tabs and newlines inside
 * dropped, and after the authority, spaces, controls and non-ASCII bytes
 * percent-encoded (curl refuses them raw). The host keeps its bytes.
 */
static enum rf_err
url_clean(struct buf *out, const char *s)
{
	size_t len = strlen(s), i, head;
	struct buf tmp;
	enum rf_err err = RF_OK;

	if (len > RF_URL_INPUT_MAX_BYTES)
		return RF_ETOOBIG;
	while (len && (unsigned char)s[len - 1] <= 0x20)
		len--;
	while (len && (unsigned char)*s <= 0x20) {
		s++;
		len--;
	}
	buf_init(&tmp, RF_URL_INPUT_MAX_BYTES);
	for (i = 0; i < len; i++)
		if (s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			(void)buf_addch(&tmp, s[i]);
	head = head_len(tmp.data, tmp.len);
	/*
	 * "%hh" of a letter, digit or - . _ ~ in the authority decoded, as
	 * browsers decode a host before they read it (and RFC 3986 says it
	 * is the same URL): curl decodes the host only after it has read
	 * numeric IPv4 forms, so "http://%34" was the host "4", and the
	 * normal form "http://4/" then parsed as 0.0.0.4.
	 */
	for (i = 0; i < head; i++) {
		int b = pct_byte(tmp.data, i, head);

		if (b >= 0 && is_unreserved((unsigned char)b) &&
		    !makes_triplet(out, (unsigned char)b)) {
			(void)buf_addch(out, (char)b);
			i += 2;
		} else {
			(void)buf_addch(out, tmp.data[i]);
		}
	}
	for (i = head; i < tmp.len; i++) {
		unsigned char c = (unsigned char)tmp.data[i];

		if (c <= 0x20 || c >= 0x7f)
			(void)add_pct(out, c);
		else
			(void)buf_addch(out, (char)c);
	}
	if (buf_failed(out))
		err = RF_ETOOBIG;
	buf_release(&tmp);
	return err;
}

static CURLU *
url_handle_new(void)
{
	CURLU *h = curl_url();

	/* curl_url() fails only without memory, which is fatal (STYLE 8) */
	if (!h)
		abort();
	return h;
}

/*
 * Whether host, as curl decoded it from "%hh", can stand in a URL that
 * parses back to itself: ASCII letters, digits and - . _ ~, bytes of a
 * non-ASCII name, or an IPv6 literal (which curl checked). "%7F" and
 * "%25" decode to a DEL or a '%' that the next parse rejects or decodes
 * again; no real host holds them.
 */
static bool
host_valid(const char *host)
{
	const unsigned char *p = (const unsigned char *)host;

	if (*p == '[')
		return true;
	for (; *p; p++)
		if (*p < 0x80 && !is_unreserved(*p))
			return false;
	return true;
}

/* Returns a part of h as a new string the caller frees, NULL if absent. */
static char *
url_part(CURLU *h, CURLUPart what, unsigned int flags)
{
	char *s = NULL, *copy;

	if (curl_url_get(h, what, &s, flags) != CURLUE_OK || !s)
		return NULL;
	copy = xstrdup(s);
	curl_free(s);
	return copy;
}

/*
 * Parses the absolute URL s into a new handle the caller cleans up. A
 * host that host_valid() refuses fails here, so that every function
 * agrees with url_normalize() on which URLs there are: otherwise
 * url_split_credentials("http:/@%7F") gave "http://<DEL>/", which does
 * not parse, and url_host() a host no normal form can have.
 */
static enum rf_err
url_parse(const char *s, CURLU **out)
{
	struct buf clean;
	char *host = NULL;
	enum rf_err err;

	*out = NULL;
	buf_init(&clean, URL_WORK_MAX);
	err = url_clean(&clean, s);
	if (err)
		goto out;
	*out = url_handle_new();
	if (curl_url_set(*out, CURLUPART_URL, clean.data, 0) != CURLUE_OK) {
		err = RF_EINVAL;
		goto out;
	}
	host = url_part(*out, CURLUPART_HOST, 0);
	if (host && !host_valid(host))
		err = RF_EINVAL;
out:
	if (err) {
		curl_url_cleanup(*out);
		*out = NULL;
	}
	free(host);
	buf_release(&clean);
	return err;
}

/* Sets *out to h's whole URL, a new string, if no longer than max. */
static enum rf_err
url_get(CURLU *h, size_t max, char **out)
{
	char *s = url_part(h, CURLUPART_URL, 0);

	if (!s)
		return RF_EINVAL;
	if (strlen(s) > max) {
		free(s);
		return RF_ETOOBIG;
	}
	*out = s;
	return RF_OK;
}

enum rf_err
url_resolve(const char *base, const char *href, char **out)
{
	CURLU *h = NULL;
	struct buf rel;
	enum rf_err err;
	CURLUcode rc;

	*out = NULL;
	buf_init(&rel, URL_WORK_MAX);
	err = url_parse(base, &h);
	if (!err)
		err = url_clean(&rel, href);
	if (err)
		goto out;
	/*
	 * "" and "#frag" name the base document itself (RFC 3986 5.2.2);
	 * curl 7.88 resolves them against the base's directory instead.
	 */
	if (rel.len == 0 || rel.data[0] == '#')
		rc = curl_url_set(h, CURLUPART_FRAGMENT,
				  rel.len > 1 ? rel.data + 1 : NULL, 0);
	else
		rc = curl_url_set(h, CURLUPART_URL, rel.data, 0);
	if (rc != CURLUE_OK) {
		err = RF_EINVAL;
		goto out;
	}
	err = url_get(h, RF_URL_INPUT_MAX_BYTES, out);
out:
	buf_release(&rel);
	curl_url_cleanup(h);
	return err;
}

/*
 * Whether href is a path that resolves and normalises to itself: plain
 * characters only (no '%', ';', '?', '#', ':', no whitespace), no "//"
 * at its start (an authority), no dot segment.
 */
static bool
href_plain(const char *href, size_t *len)
{
	static const char plain[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				    "opqrstuvwxyz0123456789-._~/";
	size_t n = strspn(href, plain), i;

	if (n == 0 || href[n] != '\0' || (href[0] == '/' && href[1] == '/'))
		return false;
	/* a segment "." or ".." (the only dots the path may not keep) */
	for (i = 0; i < n; i++)
		if (href[i] == '.' && (i == 0 || href[i - 1] == '/'))
			return false;
	*len = n;
	return true;
}

enum rf_err
url_resolve_normal(const char *base, const char *href,
		   const struct url_norm_opts *opts, char **out)
{
	const char *auth, *end, *q;
	size_t hlen, keep;
	char *abs = NULL;
	enum rf_err err;

	if (href_plain(href, &hlen) &&
	    (str_has_prefix(base, "http://") ||
	     str_has_prefix(base, "https://"))) {
		auth = strstr(base, "://") + 3;
		end = auth + strcspn(auth, "/?#");
		if (href[0] == '/') {
			keep = (size_t)(end - base);
		} else {
			/* the base's directory: up to its path's last '/' */
			q = end + strcspn(end, "?#");
			while (q > end && q[-1] != '/')
				q--;
			keep = (size_t)(q - base);
			if (q == end)
				keep = 0;	/* no path: the long way */
		}
		if (keep && keep + hlen <= RF_URL_MAX_BYTES) {
			*out = xmalloc(keep + hlen + 1);
			memcpy(*out, base, keep);
			memcpy(*out + keep, href, hlen + 1);
			return RF_OK;
		}
	}
	*out = NULL;
	err = url_resolve(base, href, &abs);
	if (!err)
		err = url_normalize(abs, opts, out);
	free(abs);
	return err;
}

/* Whether the name of the parameter p (nlen bytes) is in list. */
static bool
param_listed(const char *p, size_t nlen, const char *const *list)
{
	for (; *list; list++) {
		size_t len = strlen(*list);

		bool prefix = len && (*list)[len - 1] == '*';

		if (prefix && nlen >= len - 1 &&
		    strncasecmp(p, *list, len - 1) == 0)
			return true;
		if (!prefix && nlen == len && strncasecmp(p, *list, len) == 0)
			return true;
	}
	return false;
}

/*
 * Length of the ";name=value" path parameter at p (len bytes, p[0] is
 * ';') if it carries a session id, else 0.
 */
static size_t
session_param_len(const char *p, size_t len)
{
	size_t name = 1, end;

	while (name < len && p[name] != '=' && p[name] != ';' &&
	       p[name] != '/')
		name++;
	if (name == len || p[name] != '=' ||
	    !param_listed(p + 1, name - 1, session_params))
		return 0;
	for (end = name; end < len && p[end] != ';' && p[end] != '/'; end++)
		;
	return end;
}

/* Drops ";name=value" path parameters that carry a session id. */
static enum rf_err
path_drop_sessions(struct buf *out, const char *p, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t skip = p[i] == ';' ? session_param_len(p + i, len - i)
					  : 0;

		if (skip)
			i += skip;
		else
			(void)buf_addch(out, p[i++]);
	}
	return buf_failed(out) ? RF_ETOOBIG : RF_OK;
}

/* Drops the last segment of the path in out ("/a/b" -> "/a"). */
static void
path_pop(struct buf *out)
{
	size_t n = out->len;

	while (n && out->data[n - 1] != '/')
		n--;
	buf_truncate(out, n ? n - 1 : 0);
}

/*
 * Removes "." and ".." segments from the absolute path p (RFC 3986
 * 5.2.4); curl did so already, but decoding "%2E" can make new ones.
 */
static enum rf_err
path_remove_dots(struct buf *out, const char *p, size_t len)
{
	size_t i = (len && p[0] == '/') ? 1 : 0;
	size_t base = out->len;

	for (;;) {
		const char *slash = memchr(p + i, '/', len - i);
		size_t n = slash ? (size_t)(slash - (p + i)) : len - i;
		bool dot = n == 1 && p[i] == '.';
		bool dotdot = n == 2 && p[i] == '.' && p[i + 1] == '.';

		if (dotdot && out->len > base)
			path_pop(out);
		if (dot || dotdot) {
			if (!slash)
				(void)buf_addch(out, '/');
		} else {
			(void)buf_addch(out, '/');
			(void)buf_add(out, p + i, n);
		}
		if (!slash)
			break;
		i += n + 1;
	}
	return buf_failed(out) ? RF_ETOOBIG : RF_OK;
}

static enum rf_err
path_normalize(struct buf *out, const char *path)
{
	struct buf pct, nosess;
	enum rf_err err;

	buf_init(&pct, URL_WORK_MAX);
	buf_init(&nosess, URL_WORK_MAX);
	err = url_pct_normalize(&pct, path, strlen(path));
	if (!err)
		err = path_drop_sessions(&nosess, pct.data, pct.len);
	if (!err)
		err = path_remove_dots(out, nosess.data, nosess.len);
	buf_release(&pct);
	buf_release(&nosess);
	return err;
}

/* Appends "?query" without session and tracking parameters, if any remain. */
static enum rf_err
query_normalize(struct buf *out, const char *query,
		const char *const *tracking)
{
	struct buf pct;
	const char *p, *end;
	bool first = true;
	enum rf_err err;

	buf_init(&pct, URL_WORK_MAX);
	err = url_pct_normalize(&pct, query, strlen(query));
	if (err)
		goto out;
	for (p = pct.data, end = p + pct.len; p < end; p++) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t n = amp ? (size_t)(amp - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', n);
		size_t nlen = eq ? (size_t)(eq - p) : n;

		if (n && !param_listed(p, nlen, session_params) &&
		    !param_listed(p, nlen, tracking)) {
			(void)buf_addch(out, first ? '?' : '&');
			(void)buf_add(out, p, n);
			first = false;
		}
		p += n;
	}
	err = buf_failed(out) ? RF_ETOOBIG : RF_OK;
out:
	buf_release(&pct);
	return err;
}

static bool
scheme_allowed(const char *scheme, const struct url_norm_opts *opts)
{
	return strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0 ||
	       (opts->allow_file && strcmp(scheme, "file") == 0);
}

static void
ascii_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Appends "scheme://user:password@host:port" of h to out. */
static enum rf_err
add_scheme_authority(struct buf *out, CURLU *h,
		     const struct url_norm_opts *opts)
{
	char *scheme = url_part(h, CURLUPART_SCHEME, 0);
	char *user = url_part(h, CURLUPART_USER, 0);
	char *password = url_part(h, CURLUPART_PASSWORD, 0);
	char *host = url_part(h, CURLUPART_HOST, 0);
	char *port = url_part(h, CURLUPART_PORT, CURLU_NO_DEFAULT_PORT);
	enum rf_err err = RF_EINVAL;

	if (!scheme || !scheme_allowed(scheme, opts) ||
	    (!host && strcmp(scheme, "file") != 0) ||
	    (host && !host_valid(host)))
		goto out;
	ascii_lower(scheme);
	(void)buf_addf(out, "%s://", scheme);
	if (user)
		(void)buf_addf(out, "%s%s%s@", user, password ? ":" : "",
			       password ? password : "");
	if (host) {
		ascii_lower(host);
		(void)buf_addstr(out, host);
	}
	if (port)
		(void)buf_addf(out, ":%s", port);
	err = buf_failed(out) ? RF_ETOOBIG : RF_OK;
out:
	free(scheme);
	free(user);
	free(password);
	free(host);
	free(port);
	return err;
}

enum rf_err
url_normalize(const char *url, const struct url_norm_opts *opts, char **out)
{
	static const struct url_norm_opts defaults;
	CURLU *h = NULL;
	char *path = NULL, *query = NULL;
	struct buf b;
	enum rf_err err;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	buf_init(&b, RF_URL_MAX_BYTES);
	err = url_parse(url, &h);
	if (!err)
		err = add_scheme_authority(&b, h, opts);
	if (err)
		goto out;
	path = url_part(h, CURLUPART_PATH, 0);
	err = path_normalize(&b, path ? path : "");
	query = url_part(h, CURLUPART_QUERY, 0);
	if (!err && query)
		err = query_normalize(&b, query,
				      opts->tracking_params
					      ? opts->tracking_params
					      : url_tracking_params_default);
	if (!err) {
		CURLU *again = NULL;

		/*
		 * curl checks some things before it removes dot segments
		 * ("file:/../C:/x" passes, "file:///C:/x" does not): refuse
		 * a normal form that would not parse again.
		 */
		err = url_parse(b.data, &again);
		curl_url_cleanup(again);
	}
	if (!err)
		*out = buf_detach(&b, NULL);
out:
	free(path);
	free(query);
	buf_release(&b);
	curl_url_cleanup(h);
	return err;
}

enum rf_err
url_host(const char *url, char **out)
{
	CURLU *h = NULL;
	char *host = NULL;
	size_t len;
	enum rf_err err;

	*out = NULL;
	err = url_parse(url, &h);
	if (err)
		goto out;
	host = url_part(h, CURLUPART_HOST, 0);
	if (!host || !*host) {
		err = RF_EINVAL;
		goto out;
	}
	ascii_lower(host);
	len = strlen(host);
	if (host[0] == '[' && len >= 2 && host[len - 1] == ']')
		*out = xmemdupz(host + 1, len - 2);
	else
		*out = xstrdup(host);
out:
	free(host);
	curl_url_cleanup(h);
	return err;
}

static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static const psl_ctx_t *psl_ctx;

static void
psl_load(void)
{
	/* the newer of libpsl's built-in list and the system's file */
	psl_ctx = psl_latest(NULL);
	if (!psl_ctx)
		psl_ctx = psl_builtin();
}

/* Whether host is an IP address rather than a name. */
static bool
host_is_ip(const char *host)
{
	unsigned char addr[16];
	const char *dot = strrchr(host, '.');

	/* no top-level domain is numeric: "127.1" is an address too */
	if (dot && is_digit((unsigned char)dot[1]))
		return true;
	return inet_pton(AF_INET6, host, addr) == 1 || host[0] == '[';
}

/* Sets *out to host in lower case without a trailing dot, a new string. */
static enum rf_err
host_lower(const char *host, char **out)
{
	size_t len = strlen(host);
	char *copy, *lower = NULL;
	const unsigned char *p;

	if (len && host[len - 1] == '.')
		len--;
	copy = xmemdupz(host, len);
	for (p = (const unsigned char *)copy; *p && *p < 0x80; p++)
		;
	if (!*p) {
		ascii_lower(copy);
		*out = copy;
		return RF_OK;
	}
	if (psl_str_to_utf8lower(copy, "utf-8", NULL, &lower) != PSL_SUCCESS) {
		free(copy);
		return RF_EINVAL;
	}
	free(copy);
	*out = xstrdup(lower);
	psl_free_string(lower);
	return RF_OK;
}

enum rf_err
url_registrable_domain(const char *host, char **out)
{
	char *lower = NULL;
	const char *dom;
	enum rf_err err;

	*out = NULL;
	if (strlen(host) > RF_URL_MAX_BYTES)
		return RF_ETOOBIG;
	err = host_lower(host, &lower);
	if (err)
		goto out;
	if (!*lower || host_is_ip(lower)) {
		err = RF_EINVAL;
		goto out;
	}
	pthread_once(&psl_once, psl_load);
	dom = psl_ctx ? psl_registrable_domain(psl_ctx, lower) : NULL;
	if (!dom) {
		err = RF_EINVAL;
		goto out;
	}
	*out = xstrdup(dom);
out:
	free(lower);
	return err;
}

struct seg {
	const char *p;
	size_t len;
};

static bool
seg_equal(const struct seg *a, const struct seg *b)
{
	return a->len == b->len && memcmp(a->p, b->p, a->len) == 0;
}

/* Splits the path of url into segs, which has room for strlen(url) + 1. */
static size_t
path_segments(const char *url, struct seg *segs)
{
	const char *p = strstr(url, "://"), *end;
	size_t n = 0;

	p = p ? p + 3 + strcspn(p + 3, "/?#") : url;
	end = p + strcspn(p, "?#");
	while (p < end) {
		const char *q;

		if (*p == '/')
			p++;
		q = memchr(p, '/', (size_t)(end - p));
		q = q ? q : end;
		segs[n].p = p;
		segs[n++].len = (size_t)(q - p);
		p = q;
	}
	return n;
}

/* Whether segs[i..j) is repeated right after itself. */
static bool
run_repeats(const struct seg *segs, size_t n, size_t i, size_t j)
{
	size_t k;

	if (j - i < 2 || j + (j - i) > n)
		return false;
	for (k = 0; k < j - i; k++)
		if (!seg_equal(&segs[i + k], &segs[j + k]))
			return false;
	return true;
}

static bool
segments_trap(const struct seg *segs, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		size_t seen = 1;

		if (!segs[i].len)
			continue;
		for (j = i + 1; j < n; j++) {
			if (!seg_equal(&segs[i], &segs[j]))
				continue;
			if (++seen >= RF_URL_TRAP_REPEATS ||
			    run_repeats(segs, n, i, j))
				return true;
		}
	}
	return false;
}

bool
url_is_trap(const char *url)
{
	struct seg *segs;
	size_t n;
	bool trap;

	if (strlen(url) > RF_URL_MAX_BYTES)
		return true;
	segs = xcalloc(strlen(url) + 1, sizeof(*segs));
	n = path_segments(url, segs);
	trap = segments_trap(segs, n);
	free(segs);
	return trap;
}

enum rf_err
url_split_credentials(const char *url, char **rest, char **user,
		      char **password)
{
	CURLU *h = NULL;
	enum rf_err err;

	*rest = *user = *password = NULL;
	err = url_parse(url, &h);
	if (err)
		goto out;
	*user = url_part(h, CURLUPART_USER, CURLU_URLDECODE);
	*password = url_part(h, CURLUPART_PASSWORD, CURLU_URLDECODE);
	if (!*user && !*password) {
		*rest = xstrdup(url);
		goto out;
	}
	if (!*user)
		*user = xstrdup("");
	if (curl_url_set(h, CURLUPART_USER, NULL, 0) != CURLUE_OK ||
	    curl_url_set(h, CURLUPART_PASSWORD, NULL, 0) != CURLUE_OK ||
	    (err = url_get(h, URL_WORK_MAX, rest)) != RF_OK) {
		err = RF_EINVAL;
		free(*user);
		free(*password);
		*user = *password = NULL;
	}
out:
	curl_url_cleanup(h);
	return err;
}

char *
url_redact(const char *s)
{
	struct buf out;
	const char *p = s, *auth, *end, *at, *colon;

	/* "***" for an empty password grows by three bytes per "://",
	 * which takes five: the cap is never reached */
	buf_init(&out, 3 * strlen(s) + 16);
	while ((auth = strstr(p, "://"))) {
		auth += 3;
		/* the authority ends at the path, query, fragment or text */
		end = auth + strcspn(auth, "/?# \t\r\n'\"<>");
		at = NULL;
		for (colon = auth; colon < end; colon++)
			if (*colon == '@')
				at = colon;
		colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
		if (colon) {
			buf_add(&out, p, (size_t)(colon + 1 - p));
			buf_addstr(&out, "***");
			p = at;
		}
		buf_add(&out, p, (size_t)(end - p));
		p = end;
	}
	buf_addstr(&out, p);
	return buf_detach(&out, NULL);
}
