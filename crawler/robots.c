/* robots.c: robots.txt parsing and matching (RFC 9309). */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/robots.h"
#include "crawler/url.h"
#include "common/banned.h"

/* Normalising may triple a pattern or a path. */
#define ROBOTS_PATTERN_MAX (3 * RF_ROBOTS_LINE_MAX)
#define ROBOTS_PATH_MAX (3 * RF_URL_INPUT_MAX_BYTES)

enum robots_kind {
	ROBOTS_RULES,
	ROBOTS_ALLOW_ALL,
	ROBOTS_DISALLOW_ALL,
};

struct robots_rule {
	/* normalised, runs of '*' collapsed, no final '*' or '$' */
	char *pat;
	size_t len;
	size_t prio;	/* octets of the normalised pattern as written */
	bool allow;
	bool anchored;	/* it ended in '$': the match must reach the end */
};

struct robots_group {
	char **agents;	/* product tokens, lower case */
	size_t nr_agents, alloc_agents;
	bool global;	/* a "User-agent: *" line */
	struct robots_rule *rules;
	size_t nr_rules, alloc_rules;
	double delay;
	bool has_delay;
};

struct robots {
	enum robots_kind kind;
	/* the group being read is always the last one */
	struct robots_group *groups;
	size_t nr_groups, alloc_groups;
	char **sitemaps;
	size_t nr_sitemaps, alloc_sitemaps;
	bool truncated;
};

enum robots_key {
	KEY_UNKNOWN,
	KEY_AGENT,
	KEY_ALLOW,
	KEY_DISALLOW,
	KEY_DELAY,
	KEY_SITEMAP,
};

/* Keys and the misspellings accepted on purpose (see robots.h). */
static const struct {
	const char *name;
	enum robots_key key;
} robots_keys[] = {
	{ "user-agent", KEY_AGENT },
	{ "useragent", KEY_AGENT },
	{ "user agent", KEY_AGENT },
	{ "allow", KEY_ALLOW },
	{ "disallow", KEY_DISALLOW },
	{ "dissallow", KEY_DISALLOW },
	{ "dissalow", KEY_DISALLOW },
	{ "disalow", KEY_DISALLOW },
	{ "diasllow", KEY_DISALLOW },
	{ "disallaw", KEY_DISALLOW },
	{ "crawl-delay", KEY_DELAY },
	{ "crawldelay", KEY_DELAY },
	{ "sitemap", KEY_SITEMAP },
	{ "site-map", KEY_SITEMAP },
};

/* One "key: value" line, both trimmed, pointing into the body. */
struct robots_line {
	enum robots_key key;
	const char *val;
	size_t vlen;
};

static bool
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

static bool
is_token_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
	       c == '_';
}

static void
trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static enum robots_key
key_lookup(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(robots_keys); i++)
		if (strlen(robots_keys[i].name) == len &&
		    strncasecmp(robots_keys[i].name, s, len) == 0)
			return robots_keys[i].key;
	return KEY_UNKNOWN;
}

/*
 * Splits s (trimmed, not empty) into key and value at the colon or,
 * failing one, at the first blank when the value is a single word.
 */
static bool
line_split(const char *s, size_t len, struct robots_line *line)
{
	const char *colon = memchr(s, ':', len);
	const char *key = s;
	size_t klen, i;

	if (colon) {
		klen = (size_t)(colon - s);
		line->val = colon + 1;
		line->vlen = len - klen - 1;
	} else {
		for (klen = 0; klen < len && !is_space(s[klen]); klen++)
			;
		line->val = s + klen;
		line->vlen = len - klen;
	}
	trim(&key, &klen);
	trim(&line->val, &line->vlen);
	if (!colon) {
		if (!line->vlen)
			return false;
		for (i = 0; i < line->vlen; i++)
			if (is_space(line->val[i]))
				return false;
	}
	line->key = key_lookup(key, klen);
	return true;
}

static struct robots_group *
group_current(struct robots *r)
{
	return r->nr_groups ? &r->groups[r->nr_groups - 1] : NULL;
}

static void
group_start(struct robots *r)
{
	ALLOC_GROW(r->groups, r->nr_groups + 1, r->alloc_groups);
	r->groups[r->nr_groups++] = (struct robots_group){ 0 };
}

static void
handle_agent(struct robots *r, const struct robots_line *line,
	     bool *in_agents)
{
	struct robots_group *g;
	size_t n = 0, i;
	char *token;

	if (!*in_agents)
		group_start(r);
	*in_agents = true;
	g = group_current(r);
	if (line->vlen && line->val[0] == '*' &&
	    (line->vlen == 1 || !is_token_char(line->val[1]))) {
		g->global = true;
		return;
	}
	while (n < line->vlen && is_token_char(line->val[n]))
		n++;
	if (!n)
		return;
	token = xmemdupz(line->val, n);
	for (i = 0; i < n; i++)
		if (token[i] >= 'A' && token[i] <= 'Z')
			token[i] = (char)(token[i] - 'A' + 'a');
	ALLOC_GROW(g->agents, g->nr_agents + 1, g->alloc_agents);
	g->agents[g->nr_agents++] = token;
}

/* Collapses runs of '*' in b to one star. */
static void
collapse_stars(struct buf *b)
{
	size_t i, j = 0;

	for (i = 0; i < b->len; i++)
		if (b->data[i] != '*' || j == 0 || b->data[j - 1] != '*')
			b->data[j++] = b->data[i];
	buf_truncate(b, j);
}

/* Fills rule from line; false (never, given the caps) if it is too long. */
static bool
rule_init(struct robots_rule *rule, const struct robots_line *line)
{
	struct buf b;

	buf_init(&b, ROBOTS_PATTERN_MAX);
	if (url_pct_normalize(&b, line->val, line->vlen) != RF_OK) {
		buf_release(&b);
		return false;
	}
	rule->allow = line->key == KEY_ALLOW;
	rule->prio = b.len;
	rule->anchored = b.len && b.data[b.len - 1] == '$';
	if (rule->anchored)
		buf_truncate(&b, b.len - 1);
	collapse_stars(&b);
	/* "/a*" is "/a", and so is "/a*$" */
	if (b.len && b.data[b.len - 1] == '*') {
		buf_truncate(&b, b.len - 1);
		rule->anchored = false;
	}
	rule->pat = buf_detach(&b, &rule->len);
	return true;
}

static void
handle_rule(struct robots *r, const struct robots_line *line,
	    bool *in_agents)
{
	struct robots_group *g = group_current(r);

	*in_agents = false;
	/* rules before any user-agent line belong to nobody */
	if (!g || !line->vlen)
		return;
	ALLOC_GROW(g->rules, g->nr_rules + 1, g->alloc_rules);
	if (rule_init(&g->rules[g->nr_rules], line))
		g->nr_rules++;
}

/* Parses a Crawl-delay value: a non-negative decimal, nothing else. */
static bool
delay_parse(const char *s, size_t len, double *out)
{
	size_t i, digits = 0, dots = 0;
	char *copy;
	enum rf_err err;

	for (i = 0; i < len; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digits++;
		else if (s[i] == '.' && !dots)
			dots++;
		else
			return false;
	}
	if (!digits)
		return false;
	copy = xmemdupz(s, len);
	err = parse_double(copy, RF_ROBOTS_CRAWL_DELAY_MAX, out);
	free(copy);
	/* the syntax is right, so only the range can be wrong */
	if (err)
		*out = RF_ROBOTS_CRAWL_DELAY_MAX;
	return true;
}

static void
handle_delay(struct robots *r, const struct robots_line *line,
	     bool *in_agents)
{
	struct robots_group *g = group_current(r);
	double v;

	*in_agents = false;
	if (!g || !delay_parse(line->val, line->vlen, &v))
		return;
	if (!g->has_delay || v > g->delay)
		g->delay = v;
	g->has_delay = true;
}

static void
handle_sitemap(struct robots *r, const struct robots_line *line)
{
	if (!line->vlen || r->nr_sitemaps >= RF_ROBOTS_MAX_SITEMAPS)
		return;
	ALLOC_GROW(r->sitemaps, r->nr_sitemaps + 1, r->alloc_sitemaps);
	r->sitemaps[r->nr_sitemaps++] = xmemdupz(line->val, line->vlen);
}

static void
parse_line(struct robots *r, const char *s, size_t len, bool *in_agents)
{
	const char *hash;
	struct robots_line line;

	if (len > RF_ROBOTS_LINE_MAX)
		len = RF_ROBOTS_LINE_MAX;
	hash = memchr(s, '#', len);
	if (hash)
		len = (size_t)(hash - s);
	trim(&s, &len);
	/* blank lines do not end a group (RFC 9309 2.2) */
	if (!len || !line_split(s, len, &line))
		return;
	switch (line.key) {
	case KEY_AGENT:
		handle_agent(r, &line, in_agents);
		break;
	case KEY_ALLOW:
	case KEY_DISALLOW:
		handle_rule(r, &line, in_agents);
		break;
	case KEY_DELAY:
		handle_delay(r, &line, in_agents);
		break;
	case KEY_SITEMAP:
		handle_sitemap(r, &line);
		break;
	case KEY_UNKNOWN:
		break;
	}
}

/* Length of the body parsed: the cap, less the line the cap cuts. */
static size_t
body_usable(struct robots *r, const char *body, size_t len)
{
	if (len <= RF_ROBOTS_MAX_BYTES)
		return len;
	r->truncated = true;
	len = RF_ROBOTS_MAX_BYTES;
	if (body[len] == '\n' || body[len] == '\r')
		return len;
	while (len && body[len - 1] != '\n' && body[len - 1] != '\r')
		len--;
	return len;
}

struct robots *
robots_parse(const char *body, size_t len)
{
	static const unsigned char bom[] = { 0xef, 0xbb, 0xbf };
	struct robots *r = xcalloc(1, sizeof(*r));
	const char *p = body, *end;
	bool in_agents = false;
	size_t i = 0;

	r->kind = ROBOTS_RULES;
	if (!body) {
		body = p = "";
		len = 0;
	}
	len = body_usable(r, body, len);
	/* a byte order mark, or the start of one */
	while (i < sizeof(bom) && i < len && (unsigned char)p[i] == bom[i])
		i++;
	for (p += i, end = body + len; p < end;) {
		size_t n = 0;

		while (p + n < end && p[n] != '\n' && p[n] != '\r')
			n++;
		parse_line(r, p, n, &in_agents);
		p += n;
		/* one line break: LF, CR or CR LF */
		if (p < end && *p == '\r' && p + 1 < end && p[1] == '\n')
			p++;
		if (p < end)
			p++;
	}
	return r;
}

struct robots *
robots_new_allow_all(void)
{
	struct robots *r = xcalloc(1, sizeof(*r));

	r->kind = ROBOTS_ALLOW_ALL;
	return r;
}

struct robots *
robots_new_disallow_all(void)
{
	struct robots *r = xcalloc(1, sizeof(*r));

	r->kind = ROBOTS_DISALLOW_ALL;
	return r;
}

static void
group_release(struct robots_group *g)
{
	size_t i;

	for (i = 0; i < g->nr_agents; i++)
		free(g->agents[i]);
	free(g->agents);
	for (i = 0; i < g->nr_rules; i++)
		free(g->rules[i].pat);
	free(g->rules);
}

void
robots_free(struct robots *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nr_groups; i++)
		group_release(&r->groups[i]);
	free(r->groups);
	for (i = 0; i < r->nr_sitemaps; i++)
		free(r->sitemaps[i]);
	free(r->sitemaps);
	free(r);
}

static bool
group_names(const struct robots_group *g, const char *agent)
{
	size_t i;

	for (i = 0; i < g->nr_agents; i++)
		if (strcasecmp(g->agents[i], agent) == 0)
			return true;
	return false;
}

/* Whether some group names agent, so that the "*" groups do not apply. */
static bool
robots_names(const struct robots *r, const char *agent)
{
	size_t i;

	for (i = 0; i < r->nr_groups; i++)
		if (group_names(&r->groups[i], agent))
			return true;
	return false;
}

static bool
group_selected(const struct robots_group *g, const char *agent, bool named)
{
	return named ? group_names(g, agent) : g->global;
}

/*
 * Whether the pattern matches a prefix of path (all of it when
 * anchored). Taking each star's next literal run at its leftmost
 * occurrence is optimal for patterns whose only wildcard is '*', so
 * matching is linear, whatever a hostile file holds.
 */
static bool
rule_match(const struct robots_rule *rule, const char *path, size_t plen)
{
	const char *p = rule->pat, *end = p + rule->len;
	const char *star = memchr(p, '*', rule->len);
	size_t seg = star ? (size_t)(star - p) : rule->len, pos;

	if (seg > plen || memcmp(path, p, seg) != 0)
		return false;
	if (!star)
		return !rule->anchored || seg == plen;
	for (pos = seg, p = star + 1; p < end; p += seg + 1) {
		const char *hit;

		star = memchr(p, '*', (size_t)(end - p));
		seg = star ? (size_t)(star - p) : (size_t)(end - p);
		if (!star && rule->anchored)
			return plen - pos >= seg &&
			       memcmp(path + plen - seg, p, seg) == 0;
		hit = memmem(path + pos, plen - pos, p, seg);
		if (!hit)
			return false;
		pos = (size_t)(hit - path) + seg;
	}
	return true;
}

/* The best rule so far: the longest pattern, Allow winning ties. */
struct verdict {
	bool found;
	bool allow;
	size_t prio;
};

static void
group_judge(const struct robots_group *g, const char *path, size_t plen,
	    struct verdict *v)
{
	size_t i;

	for (i = 0; i < g->nr_rules; i++) {
		const struct robots_rule *rule = &g->rules[i];

		if (!rule_match(rule, path, plen))
			continue;
		if (!v->found || rule->prio > v->prio ||
		    (rule->prio == v->prio && rule->allow)) {
			v->found = true;
			v->prio = rule->prio;
			v->allow = rule->allow;
		}
	}
}

static bool
rules_allow(const struct robots *r, const char *agent, const char *path,
	    size_t plen)
{
	struct verdict v = { false, true, 0 };
	bool named = robots_names(r, agent);
	size_t i;

	for (i = 0; i < r->nr_groups; i++)
		if (group_selected(&r->groups[i], agent, named))
			group_judge(&r->groups[i], path, plen, &v);
	return v.allow;
}

/* Puts path in the form patterns are in: absolute, normalised, no fragment. */
static enum rf_err
path_prepare(struct buf *out, const char *path)
{
	size_t len = strcspn(path, "#");

	if (len > RF_URL_INPUT_MAX_BYTES)
		return RF_ETOOBIG;
	if (path[0] != '/')
		(void)buf_addch(out, '/');
	return url_pct_normalize(out, path, len);
}

bool
robots_allowed(const struct robots *r, const char *agent, const char *path)
{
	struct buf p;
	bool allow;

	buf_init(&p, ROBOTS_PATH_MAX);
	if (path_prepare(&p, path) != RF_OK)
		allow = false;
	else if (r->kind == ROBOTS_ALLOW_ALL ||
		 strcmp(p.data, "/robots.txt") == 0)
		allow = true;
	else if (r->kind == ROBOTS_DISALLOW_ALL)
		allow = false;
	else
		allow = rules_allow(r, agent, p.data, p.len);
	buf_release(&p);
	return allow;
}

bool
robots_crawl_delay(const struct robots *r, const char *agent,
		   double *seconds)
{
	bool named = robots_names(r, agent), found = false;
	size_t i;

	for (i = 0; i < r->nr_groups; i++) {
		const struct robots_group *g = &r->groups[i];

		if (!g->has_delay || !group_selected(g, agent, named))
			continue;
		if (!found || g->delay > *seconds)
			*seconds = g->delay;
		found = true;
	}
	return found;
}

size_t
robots_sitemap_count(const struct robots *r)
{
	return r->nr_sitemaps;
}

const char *
robots_sitemap(const struct robots *r, size_t i)
{
	return i < r->nr_sitemaps ? r->sitemaps[i] : NULL;
}

bool
robots_truncated(const struct robots *r)
{
	return r->truncated;
}

bool
robots_agent_valid(const char *agent)
{
	if (!agent || !*agent)
		return false;
	for (; *agent; agent++)
		if (!is_token_char(*agent))
			return false;
	return true;
}
