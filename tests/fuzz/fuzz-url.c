/*
 * fuzz-url.c: crawler/url.h. The input's first line is a base URL, the
 * rest a link as written in a page. The normal form must be a fixed point
 * (normalising a normalised URL gives it back, or the frontier would hold
 * one page twice), no longer than RF_URL_MAX_BYTES and with a host; a
 * resolved link must normalise the same way; nothing may crash on the
 * way, including the host, registrable domain and trap checks. Seed
 * credentials: redacting the base twice changes nothing more, and it
 * grows by at most three bytes per "://" ("u:@h" becomes "u:***@h"); a
 * URL split from its credentials has none left, and keeps its host.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/xmalloc.h"
#include "crawler/url.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

/* Normalises url; if that works, checks the result and that it is fixed. */
static void
check_normal_form(const char *url, const struct url_norm_opts *opts)
{
	char *n1 = NULL, *n2 = NULL, *host = NULL, *dom = NULL;

	if (url_normalize(url, opts, &n1) != RF_OK) {
		FUZZ_ASSERT(!n1);
		return;
	}
	FUZZ_ASSERT(strlen(n1) <= RF_URL_MAX_BYTES);
	if (url_normalize(n1, opts, &n2) != RF_OK || strcmp(n1, n2) != 0) {
		fprintf(stderr, "input:  '%s'\nnormal: '%s'\nagain:  '%s'\n",
			url, n1, n2 ? n2 : "(error)");
		fuzz_fail(__FILE__, __LINE__, "url_normalize is idempotent");
	}
	(void)url_is_trap(n1);
	if (url_host(n1, &host) == RF_OK) {
		if (url_registrable_domain(host, &dom) == RF_OK)
			FUZZ_ASSERT(dom && *dom);
	} else {
		/* only file: URLs may lack a host */
		FUZZ_ASSERT(strncmp(n1, "file:", 5) == 0);
	}
	free(n1);
	free(n2);
	free(host);
	free(dom);
}

/* url_redact() and url_split_credentials() on url. */
static void
check_credentials(const char *url)
{
	char *r1 = url_redact(url), *r2 = url_redact(r1);
	char *rest = NULL, *user = NULL, *password = NULL, *again = NULL;
	char *u2 = NULL, *p2 = NULL, *h1 = NULL, *h2 = NULL;
	size_t n = 0;
	const char *p;

	for (p = url; (p = strstr(p, "://")); p += 3)
		n++;
	FUZZ_ASSERT(strcmp(r1, r2) == 0);
	FUZZ_ASSERT(strlen(r1) <= strlen(url) + 3 * n);
	if (url_split_credentials(url, &rest, &user, &password) != RF_OK) {
		FUZZ_ASSERT(!rest && !user && !password);
		goto out;
	}
	FUZZ_ASSERT(rest && (user || !password));
	if (url_split_credentials(rest, &again, &u2, &p2) == RF_OK)
		FUZZ_ASSERT(!u2 && !p2);
	if (url_host(url, &h1) == RF_OK) {
		FUZZ_ASSERT(url_host(rest, &h2) == RF_OK);
		FUZZ_ASSERT(strcmp(h1, h2) == 0);
	}
out:
	free(r1);
	free(r2);
	free(rest);
	free(user);
	free(password);
	free(again);
	free(u2);
	free(p2);
	free(h1);
	free(h2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const no_tracking[] = { NULL };
	static const struct url_norm_opts file_opts = {
		.allow_file = true, .tracking_params = no_tracking,
	};
	const char *nl = memchr(data, '\n', size);
	size_t blen = nl ? (size_t)(nl - (const char *)data) : size;
	/* C strings, as callers pass them: a NUL ends them */
	char *base = xmemdupz(data, blen);
	char *href = xmemdupz(nl ? nl + 1 : "", nl ? size - blen - 1 : 0);
	char *abs = NULL;

	check_normal_form(base, NULL);
	check_normal_form(base, &file_opts);
	check_credentials(base);
	if (url_resolve(base, href, &abs) == RF_OK) {
		FUZZ_ASSERT(strlen(abs) <= RF_URL_INPUT_MAX_BYTES);
		check_normal_form(abs, NULL);
	} else {
		FUZZ_ASSERT(!abs);
	}
	free(abs);
	free(base);
	free(href);
	return 0;
}
