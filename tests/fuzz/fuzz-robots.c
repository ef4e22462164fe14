/*
 * fuzz-robots.c: crawler/robots.h. Two checks on every input:
 *   - the input is a robots.txt: parse it and ask about paths taken from
 *     its own lines and a few fixed ones; /robots.txt is always allowed, a
 *     fragment changes nothing, and neither does normalising the path's
 *     percent-encoding first; a crawl delay is within its cap;
 *   - the input's first three lines are a Disallow pattern, an Allow
 *     pattern and a path: the verdict of a file holding just those two
 *     rules must agree with a slow, obviously right matcher written here
 *     (RFC 9309 2.2.2: '*' any run, a final '$' the end, the longest
 *     pattern wins, Allow on a tie).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/xmalloc.h"
#include "crawler/robots.h"
#include "crawler/url.h"
#include "tests/fuzz/fuzz.h"
#include "common/banned.h"

static const char *const agents[] = { "redflag", "Googlebot", "x" };

/* Checks what must hold for any path. */
static void
check_path(const struct robots *r, const char *path, size_t len)
{
	char *p = xmemdupz(path, len);
	size_t i, cut = strcspn(p, "#");
	struct buf frag, norm;
	bool norm_ok;

	buf_init(&frag, 0);
	buf_init(&norm, 0);
	buf_add(&frag, p, cut);
	buf_addstr(&frag, "#frag");
	norm_ok = url_pct_normalize(&norm, p, cut) == RF_OK;
	for (i = 0; i < RF_ARRAY_SIZE(agents); i++) {
		bool allowed = robots_allowed(r, agents[i], p);

		FUZZ_ASSERT(allowed == robots_allowed(r, agents[i], frag.data));
		/* normalising twice changes nothing ('/' is put in front
		 * the same way either way) */
		if (norm_ok && cut <= RF_URL_INPUT_MAX_BYTES &&
		    norm.len <= RF_URL_INPUT_MAX_BYTES)
			FUZZ_ASSERT(allowed ==
				    robots_allowed(r, agents[i], norm.data));
	}
	buf_release(&frag);
	buf_release(&norm);
	free(p);
}

static void
check_file(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = {
		"", "/", "/robots.txt", "/a/b?c=d#e", "/%7Ea/%2f", "*", "/$",
	};
	struct robots *r = robots_parse((const char *)data, size);
	const char *p = (const char *)data, *end = p + size;
	size_t i, n;
	double delay;

	for (i = 0; i < RF_ARRAY_SIZE(agents); i++) {
		FUZZ_ASSERT(robots_allowed(r, agents[i], "/robots.txt"));
		if (robots_crawl_delay(r, agents[i], &delay))
			FUZZ_ASSERT(delay >= 0 &&
				    delay <= RF_ROBOTS_CRAWL_DELAY_MAX);
	}
	for (i = 0; i < RF_ARRAY_SIZE(fixed); i++)
		check_path(r, fixed[i], strlen(fixed[i]));
	/* the value of each line (after its colon) as a path; the first
	 * lines are enough, and keep the target fast on long files */
	for (n = 0; p < end && n < 32; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;
		const char *colon = memchr(p, ':', (size_t)(eol - p));

		if (colon) {
			const char *v = colon + 1;

			while (v < eol && *v == ' ')
				v++;
			check_path(r, v, (size_t)(eol - v) < 1024
						 ? (size_t)(eol - v) : 1024);
		}
		p = nl ? nl + 1 : end;
	}
	FUZZ_ASSERT(robots_sitemap_count(r) <= RF_ROBOTS_MAX_SITEMAPS);
	for (i = 0; i < robots_sitemap_count(r); i++)
		FUZZ_ASSERT(robots_sitemap(r, i) != NULL);
	FUZZ_ASSERT(!robots_sitemap(r, robots_sitemap_count(r)));
	FUZZ_ASSERT(robots_truncated(r) == (size > RF_ROBOTS_MAX_BYTES));
	robots_free(r);
}

/*
 * Whether the normalised pattern pat matches the normalised path: by
 * dynamic programming over (pattern position, path position), no
 * cleverness. Unanchored, the pattern needs to match a prefix only.
 */
static bool
ref_match(const char *pat, size_t plen, const char *path, size_t len)
{
	bool anchored = plen && pat[plen - 1] == '$';
	bool *row, *next, *tmp, hit;
	size_t i, j;

	if (anchored)
		plen--;
	row = xcalloc(len + 1, sizeof(*row));
	next = xcalloc(len + 1, sizeof(*next));
	/* row[j]: pat[0..i) matches path[0..j) */
	row[0] = true;
	for (i = 0; i < plen; i++) {
		memset(next, 0, (len + 1) * sizeof(*next));
		for (j = 0; j <= len; j++) {
			if (pat[i] == '*')
				next[j] = row[j] || (j > 0 && next[j - 1]);
			else
				next[j] = j > 0 && row[j - 1] &&
					  path[j - 1] == pat[i];
		}
		tmp = row;
		row = next;
		next = tmp;
	}
	if (anchored) {
		hit = row[len];
	} else {
		for (hit = false, j = 0; j <= len && !hit; j++)
			hit = row[j];
	}
	free(row);
	free(next);
	return hit;
}

/* The input's n-th line (from 0), or false if it has fewer. */
static bool
nth_line(const uint8_t *data, size_t size, int n, const char **s,
	 size_t *len)
{
	const char *p = (const char *)data, *end = p + size, *nl;

	for (;;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!n--)
			break;
		if (!nl)
			return false;
		p = nl + 1;
	}
	*s = p;
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	return true;
}

/* Whether a pattern survives "Allow: <pat>" unchanged: no blank, no
 * comment, no line break. */
static bool
plain_pattern(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] <= 0x20 || s[i] == '#')
			return false;
	return true;
}

static void
check_against_reference(const uint8_t *data, size_t size)
{
	const char *dis, *allow, *path;
	size_t dlen, alen, plen;
	struct buf body, np, nd, na;
	struct robots *r;
	bool expect, got, dhit, ahit;
	char *cpath;

	if (!nth_line(data, size, 0, &dis, &dlen) ||
	    !nth_line(data, size, 1, &allow, &alen) ||
	    !nth_line(data, size, 2, &path, &plen) ||
	    !plain_pattern(dis, dlen) || !plain_pattern(allow, alen) ||
	    memchr(path, '#', plen) || memchr(path, '\0', plen) ||
	    plen > RF_URL_INPUT_MAX_BYTES || dlen > RF_ROBOTS_LINE_MAX / 2 ||
	    alen > RF_ROBOTS_LINE_MAX / 2)
		return;
	/* the reference is quadratic: keep it fast (patterns and paths
	 * grow at most threefold when normalised) */
	if ((dlen + alen + 2) * (plen + 1) > ((size_t)1 << 17))
		return;
	buf_init(&body, 0);
	buf_init(&np, 0);
	buf_init(&nd, 0);
	buf_init(&na, 0);
	buf_addstr(&body, "User-agent: *\nDisallow: ");
	buf_add(&body, dis, dlen);
	buf_addstr(&body, "\nAllow: ");
	buf_add(&body, allow, alen);
	buf_addch(&body, '\n');
	if (!plen || path[0] != '/')
		buf_addch(&np, '/');
	/* no cap on these bufs: normalising cannot fail */
	FUZZ_ASSERT(url_pct_normalize(&np, path, plen) == RF_OK &&
		    url_pct_normalize(&nd, dis, dlen) == RF_OK &&
		    url_pct_normalize(&na, allow, alen) == RF_OK);
	/* empty patterns are no rules */
	dhit = nd.len && ref_match(nd.data, nd.len, np.data, np.len);
	ahit = na.len && ref_match(na.data, na.len, np.data, np.len);
	if (strcmp(np.data, "/robots.txt") == 0)
		expect = true;
	else if (dhit && ahit)
		expect = na.len >= nd.len;
	else
		expect = !dhit;
	r = robots_parse(body.data, body.len);
	cpath = xmemdupz(path, plen);
	got = robots_allowed(r, "redflag", cpath);
	if (got != expect) {
		fprintf(stderr, "disallow '%s' allow '%s' path '%s': "
			"allowed %d, expected %d\n", nd.data, na.data,
			np.data, got, expect);
		fuzz_fail(__FILE__, __LINE__, "robots_allowed as specified");
	}
	free(cpath);
	robots_free(r);
	buf_release(&body);
	buf_release(&np);
	buf_release(&nd);
	buf_release(&na);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	check_file(data, size);
	check_against_reference(data, size);
	return 0;
}
