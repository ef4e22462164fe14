/* crawl.c: the fetch loop: libcurl multi, politeness, robots, scope, WARC. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "common/encode.h"
#include "common/json.h"
#include "common/limits.h"
#include "common/sha1.h"
#include "common/sha256.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/addr.h"
#include "crawler/crawl-int.h"
#include "crawler/crawl.h"
#include "crawler/frontier.h"
#include "crawler/robots.h"
#include "crawler/url.h"
#include "crawler/warc.h"
#include "common/banned.h"

/* Poll at least this often (ms) to see the stop flag and the clock. */
#define LOOP_TICK_MS 200
/* URLs robots.txt blocks that one scheduling step may skip. */
#define BLOCKED_PER_STEP 256

enum robots_state {
	ROBOTS_NONE = 0,	/* not fetched yet this run */
	ROBOTS_FETCHING,
	ROBOTS_READY,
};

struct patterns {
	pcre2_code **re;
	size_t n;
};

struct site_rt {
	const struct crawl_site *cfg;
	struct patterns allow, deny, listing, index;
	char **domains;		/* registrable domains (or hosts) of seeds */
	size_t ndomains;
	char *file_root;	/* normalised file:// root, or NULL */
	char *root_real;	/* its folder, symbolic links resolved */
	long fetched;		/* responses this run */
	long in_flight;
	/* whether the last origin in_scope() looked up was in the site's
	 * domains: the links of a page mostly share one */
	char *scope_origin;
	bool scope_ok;
	bool budget_hit;
	const char *user_agent;
	/* credentials of seeds written "http://user:password@host/", by
	 * origin: sent to that origin only, and kept out of every URL
	 * (frontier, WARC, store, messages) */
	struct site_login *logins;
	size_t nlogins;
};

struct site_login {
	char *origin;		/* "https://host:port" */
	char *user;
	char *password;		/* or NULL */
};

/* The login of a site for an origin, or NULL. */
static struct site_login *
login_of(struct site_rt *s, const char *origin)
{
	size_t i;

	for (i = 0; i < s->nlogins; i++)
		if (!strcmp(s->logins[i].origin, origin))
			return &s->logins[i];
	return NULL;
}

/*
 * Politeness is per host name: the origins of one host (http and https,
 * other ports) share a slot, so they too get one request at a time.
 */
struct slot {
	char *name;
	struct slot *next;
	bool busy;		/* a request in flight */
	double ready_at;	/* monotonic: next request not before */
};

struct host {
	char *name;		/* origin: "https://host:port", or
				 * "file:///root/" */
	struct site_rt *site;
	struct host *hash_next;
	struct slot *slot;
	bool is_file;
	bool has_work;
	bool parked;
	bool done_for_run;	/* robots unreachable, long Retry-After */
	double due;		/* wall: its earliest queued URL */
	enum robots_state robots_state;
	struct robots *robots;
	int robots_tries;
	char *robots_next;	/* a redirect target to fetch next */
	int robots_hops;
	double delay;
	int backoff;		/* 429/503 in a row */
	int failures;		/* connection failures in a row */
	struct crawl_host_stats st;
};

struct crawl;

struct xfer {
	struct crawl *c;
	struct xfer *prev, *next;	/* the transfers in flight */
	CURL *easy;
	struct host *host;
	struct frontier_url u;	/* the URL (robots: only url set) */
	bool is_robots;
	int robots_hops;
	struct curl_slist *headers;
	struct buf req_head;
	struct buf head;
	struct buf body;
	size_t max_body;
	bool capped;
	bool head_too_big;
	bool refused;
	time_t started;
};

/*
 * The group commit. A finished fetch writes its WARC records at once, but
 * what the state is to say of it (the URL done or to retry, the payload
 * seen) waits in a struct deferred until those records are durable: they
 * are synced in the background (warc_writer_sync_start()) while the loop
 * goes on with the pages of other hosts, and the first turn after the sync
 * has ended applies the ops of every fetch it covered to the frontier and
 * commits them together. The host keeps its slot (no next request) until
 * that commit, so a kill repeats at most one request per host: the one
 * whose result was not committed yet. Fetches that wrote nothing wait the
 * same way, for one rule; with the WARC left to the kernel the "sync"
 * ends at once and the ops are committed in the next turn.
 */
enum deferred_op {
	DEF_DONE,		/* frontier_done() */
	DEF_RETRY,		/* frontier_retry() */
	DEF_PAYLOAD,		/* frontier_payload_add() */
	DEF_RELEASE,		/* the host's slot is free again */
};

struct deferred {
	struct deferred *next;
	enum deferred_op op;
	int64_t id;
	struct frontier_result r;	/* its strings live in str[] */
	const char *uri;		/* DEF_PAYLOAD */
	struct slot *slot;		/* DEF_RELEASE */
	char str[];
};

/* Ops in the order they came; tail points at the last next pointer. */
struct deferred_list {
	struct deferred *head, **tail;
};

struct crawl {
	const struct crawl_job *job;
	const struct crawl_callbacks *cb;
	struct crawl_summary *sum;
	struct frontier *fr;
	struct warc_writer *warc;
	CURLM *multi;
	struct site_rt *sites;
	size_t nsites;
	struct host **hosts;	/* in creation order */
	size_t nhosts, hosts_alloc;
	struct host **hash;
	size_t hash_size;
	struct slot *slots;
	long active;
	long queued;		/* URLs queued, kept as they come and go */
	struct xfer *xfers;
	double mono_start;
	double elapsed_before;
	uint64_t rng;
	bool stop_requested;
	/* the group commit: ops whose records were written since the last
	 * sync began, and those the running sync covers (sync_running) */
	bool defer;		/* a fetch is being finished */
	struct deferred_list waiting, syncing;
	bool sync_running;
	double last_commit;	/* monotonic */
	bool failed;		/* database or disk */
	enum rf_err err;
	pcre2_match_data *md;
};

/* ---- small helpers ---- */

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
now_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* xorshift64*: jitter only, nothing secret */
static double
rand_unit(struct crawl *c)
{
	c->rng ^= c->rng >> 12;
	c->rng ^= c->rng << 25;
	c->rng ^= c->rng >> 27;
	return (double)((c->rng * 2685821657736338717ULL) >> 11) /
	       9007199254740992.0;
}

static void RF_PRINTF(3, 4)
msg(struct crawl *c, enum crawl_msg_level level, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (!c->cb || !c->cb->message)
		return;
	buf_init(&b, 16384);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	c->cb->message(level, b.data, c->cb->arg);
	buf_release(&b);
}

static void
db_failed(struct crawl *c, const char *what)
{
	if (!c->failed)
		msg(c, CRAWL_MSG_ERROR, "database: %s: %s", what,
		    frontier_error(c->fr));
	c->failed = true;
	c->err = RF_EDB;
}

const char *
crawl_stop_name(enum crawl_stop s)
{
	switch (s) {
	case CRAWL_STOP_BUDGET:
		return "budget reached";
	case CRAWL_STOP_INTERRUPTED:
		return "interrupted";
	case CRAWL_STOP_PARKED:
		return "hosts parked";
	case CRAWL_STOP_EXHAUSTED:
		break;
	}
	return "frontier exhausted";
}

/* The origin of a normalised URL ("https://a.b:8080"), a new string. */
static char *
url_origin(const char *url)
{
	const char *p = strstr(url, "://");

	if (!p)
		return xstrdup(url);
	p += 3;
	p += strcspn(p, "/?#");
	return xstrndup(url, (size_t)(p - url));
}

/* The path and query of a normalised http(s) URL, for robots.txt. */
static const char *
url_path(const char *url)
{
	const char *p = strstr(url, "://");

	if (!p)
		return "/";
	p += 3;
	p += strcspn(p, "/?#");
	return *p ? p : "/";
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The local path of a file URL, percent-decoded; NULL if it holds NUL. */
static char *
file_url_path(const char *url)
{
	const char *p = url + strlen("file://");
	struct buf b;
	int h, l;

	buf_init(&b, RF_URL_INPUT_MAX_BYTES);
	for (; *p && *p != '?' && *p != '#'; p++) {
		if (*p == '%' && (h = hex_digit(p[1])) >= 0 &&
		    (l = hex_digit(p[2])) >= 0) {
			if (h == 0 && l == 0) {
				buf_release(&b);
				return NULL;
			}
			buf_addch(&b, (char)(h * 16 + l));
			p += 2;
		} else {
			buf_addch(&b, *p);
		}
	}
	if (buf_failed(&b)) {
		buf_release(&b);
		return NULL;
	}
	return buf_detach(&b, NULL);
}

/* ---- patterns and scope ---- */

static bool
patterns_compile(struct crawl *c, struct patterns *p, char *const *src,
		 size_t n)
{
	int code;
	PCRE2_SIZE off;
	PCRE2_UCHAR m[256];
	size_t i;

	p->re = n ? xcalloc(n, sizeof(*p->re)) : NULL;
	p->n = n;
	for (i = 0; i < n; i++) {
		p->re[i] = pcre2_compile((PCRE2_SPTR)src[i],
					 PCRE2_ZERO_TERMINATED, PCRE2_UTF,
					 &code, &off, NULL);
		if (!p->re[i]) {
			pcre2_get_error_message(code, m, sizeof(m));
			msg(c, CRAWL_MSG_ERROR, "bad pattern '%s': %s", src[i],
			    (const char *)m);
			return false;
		}
	}
	return true;
}

static void
patterns_free(struct patterns *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		pcre2_code_free(p->re[i]);
	free(p->re);
}

static bool
patterns_match(struct crawl *c, const struct patterns *p, const char *s)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		if (pcre2_match(p->re[i], (PCRE2_SPTR)s, strlen(s), 0, 0,
				c->md, NULL) >= 0)
			return true;
	}
	return false;
}

/* The registrable domain of url's host, or the host: a new string. */
static char *
url_scope_domain(const char *url)
{
	char *host = NULL, *dom = NULL;

	if (url_host(url, &host) != RF_OK)
		return NULL;
	if (url_registrable_domain(host, &dom) != RF_OK)
		return host;
	free(host);
	return dom;
}

/* Whether url (of origin) is in the site's domains. */
static bool
in_domains(struct site_rt *s, const char *url, const char *origin)
{
	char *dom;
	size_t i;
	bool ok = false;

	/* the domain depends on the host alone */
	if (s->scope_origin && strcmp(s->scope_origin, origin) == 0)
		return s->scope_ok;
	dom = url_scope_domain(url);
	for (i = 0; dom && i < s->ndomains && !ok; i++)
		ok = strcmp(dom, s->domains[i]) == 0;
	free(dom);
	free(s->scope_origin);
	s->scope_origin = xstrdup(origin);
	s->scope_ok = ok;
	return ok;
}

static bool
in_scope(struct crawl *c, struct site_rt *s, const char *url,
	 const char *origin)
{
	if (str_has_prefix(url, "file://")) {
		if (!s->file_root || !str_has_prefix(url, s->file_root))
			return false;
	} else if (!in_domains(s, url, origin)) {
		return false;
	}
	if (s->allow.n && !patterns_match(c, &s->allow, url))
		return false;
	return !patterns_match(c, &s->deny, url);
}

/* ---- hosts ---- */

static size_t
hash_str(const char *s)
{
	size_t h = 14695981039346656037ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct host *
host_find(struct crawl *c, const char *name)
{
	struct host *h;

	for (h = c->hash[hash_str(name) % c->hash_size]; h; h = h->hash_next)
		if (strcmp(h->name, name) == 0)
			return h;
	return NULL;
}

static void
hash_grow(struct crawl *c)
{
	size_t i, size = c->hash_size * 4;
	struct host **hash = xcalloc(size, sizeof(*hash));
	struct host *h;

	for (i = 0; i < c->nhosts; i++) {
		h = c->hosts[i];
		h->hash_next = hash[hash_str(h->name) % size];
		hash[hash_str(h->name) % size] = h;
	}
	free(c->hash);
	c->hash = hash;
	c->hash_size = size;
}

static struct site_rt *
site_by_name(struct crawl *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->nsites; i++)
		if (strcmp(c->sites[i].cfg->name, name) == 0)
			return &c->sites[i];
	return NULL;
}

/* The slot of an origin's host name, made when new. */
static struct slot *
slot_get(struct crawl *c, const char *origin)
{
	const char *p = strstr(origin, "://");
	size_t n;
	char *name;
	struct slot *s;

	if (p && !str_has_prefix(origin, "file://")) {
		p += 3;
		n = p[0] == '[' ? strcspn(p, "]") + 1 : strcspn(p, ":/");
		name = xstrndup(p, n);
	} else {
		name = xstrdup(origin);
	}
	for (s = c->slots; s; s = s->next) {
		if (strcmp(s->name, name) == 0) {
			free(name);
			return s;
		}
	}
	s = xcalloc(1, sizeof(*s));
	s->name = name;
	s->next = c->slots;
	c->slots = s;
	return s;
}

static struct host *
host_get(struct crawl *c, const char *name, struct site_rt *site)
{
	struct host *h = host_find(c, name);
	size_t b;

	if (h)
		return h;
	h = xcalloc(1, sizeof(*h));
	h->name = xstrdup(name);
	h->slot = slot_get(c, name);
	h->site = site;
	h->is_file = str_has_prefix(name, "file://");
	h->delay = h->is_file ? 0 : site->cfg->delay;
	h->st.host = xstrdup(name);
	h->st.site = xstrdup(site->cfg->name);
	h->st.delay = h->delay;
	h->st.crawl_delay = -1;
	h->st.tls_verify = !site->cfg->tls_noverify;
	if (site->cfg->ignore_robots) {
		h->robots_state = ROBOTS_READY;
		h->st.robots = xstrdup("ignored");
	}
	ALLOC_GROW(c->hosts, c->nhosts + 1, c->hosts_alloc);
	c->hosts[c->nhosts++] = h;
	if (c->nhosts > c->hash_size)
		hash_grow(c);
	b = hash_str(name) % c->hash_size;
	h->hash_next = c->hash[b];
	c->hash[b] = h;
	return h;
}

static void
host_free(struct host *h)
{
	if (!h)
		return;
	free(h->name);
	free(h->robots_next);
	robots_free(h->robots);
	free(h->st.host);
	free(h->st.site);
	free(h->st.robots);
	free(h);
}

static void RF_PRINTF(2, 3)
host_set_robots_note(struct host *h, const char *fmt, ...)
{
	va_list ap;
	struct buf b;

	buf_init(&b, 128);
	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	free(h->st.robots);
	h->st.robots = buf_detach(&b, NULL);
}

static double
backoff_wait(struct crawl *c, double base, int n)
{
	double w = base * pow(2, n < 30 ? n : 30);

	if (w > RF_CRAWL_BACKOFF_MAX)
		w = RF_CRAWL_BACKOFF_MAX;
	/* equal jitter: half fixed, half random */
	return w / 2 + rand_unit(c) * w / 2;
}

/* ---- the group commit ---- */

static void
deferred_list_init(struct deferred_list *l)
{
	l->head = NULL;
	l->tail = &l->head;
}

static void
deferred_list_free(struct deferred_list *l)
{
	struct deferred *d, *next;

	for (d = l->head; d; d = next) {
		next = d->next;
		free(d);
	}
	deferred_list_init(l);
}

static size_t
str_size(const char *s)
{
	return s ? strlen(s) + 1 : 0;
}

/* Copies s to *p and moves *p past it; NULL stays NULL. */
static const char *
str_put(char **p, const char *s)
{
	size_t n;
	char *at = *p;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	memcpy(at, s, n);
	*p += n;
	return at;
}

/* Queues an op for when the records written so far are durable. */
static void
defer_op(struct crawl *c, enum deferred_op op, int64_t id,
	 const struct frontier_result *r, const char *uri, struct slot *slot)
{
	struct deferred *d;
	size_t n = 0;
	char *p;

	if (r)
		n = str_size(r->error) + str_size(r->etag) +
		    str_size(r->last_modified) + str_size(r->payload_sha1) +
		    str_size(r->sha256) + str_size(r->warc_file) +
		    str_size(r->warc_id) + str_size(r->redirect);
	n += str_size(uri);
	d = xmalloc(sizeof(*d) + n);
	memset(d, 0, sizeof(*d));
	d->op = op;
	d->id = id;
	d->slot = slot;
	p = d->str;
	if (r) {
		d->r = *r;
		d->r.error = str_put(&p, r->error);
		d->r.etag = str_put(&p, r->etag);
		d->r.last_modified = str_put(&p, r->last_modified);
		d->r.payload_sha1 = str_put(&p, r->payload_sha1);
		d->r.sha256 = str_put(&p, r->sha256);
		d->r.warc_file = str_put(&p, r->warc_file);
		d->r.warc_id = str_put(&p, r->warc_id);
		d->r.redirect = str_put(&p, r->redirect);
	}
	d->uri = str_put(&p, uri);
	*c->waiting.tail = d;
	c->waiting.tail = &d->next;
}

static void
deferred_apply(struct crawl *c, struct deferred_list *l)
{
	struct deferred *d;
	enum rf_err e = RF_OK;

	for (d = l->head; d && !c->failed; d = d->next) {
		switch (d->op) {
		case DEF_DONE:
			e = frontier_done(c->fr, d->id, &d->r);
			break;
		case DEF_RETRY:
			e = frontier_retry(c->fr, d->id, d->r.next_fetch,
					   d->r.status, d->r.error);
			break;
		case DEF_PAYLOAD:
			e = frontier_payload_add(c->fr, d->r.payload_sha1,
						 d->r.warc_id, d->uri,
						 d->r.fetched_at);
			break;
		case DEF_RELEASE:
			break;
		}
		if (e != RF_OK)
			db_failed(c, "cannot record a page");
	}
	/* the hosts go on once their pages are state */
	if (!c->failed && frontier_commit(c->fr) != RF_OK)
		db_failed(c, "cannot commit");
	if (!c->failed && frontier_begin(c->fr) != RF_OK)
		db_failed(c, "cannot begin a transaction");
	c->last_commit = now_mono();
	for (d = l->head; d && !c->failed; d = d->next)
		if (d->op == DEF_RELEASE)
			d->slot->busy = false;
	deferred_list_free(l);
}

/* Called from the WARC writer's helper thread: the poll may end. */
static void
sync_wake(void *arg)
{
	struct crawl *c = arg;

	curl_multi_wakeup(c->multi);
}

/*
 * One step of the group commit: when the running sync has ended (or
 * after waiting for it, with wait), applies the ops it covered, commits
 * and lets their hosts go on; then, when none runs, starts one for the
 * ops waiting. Runs inside a transaction, and leaves one open.
 */
static void
group_commit_step(struct crawl *c, bool wait)
{
	enum rf_err e;

	if (c->sync_running &&
	    (wait || warc_writer_sync_ended(c->warc))) {
		c->sync_running = false;
		e = warc_writer_sync_end(c->warc);
		if (e != RF_OK) {
			if (!c->failed)
				msg(c, CRAWL_MSG_ERROR, "cannot sync the WARC "
				    "file in '%s': %s", c->job->warc_dir,
				    rf_strerror(e));
			c->failed = true;
			c->err = RF_EIO;
			return;
		}
		deferred_apply(c, &c->syncing);
	}
	if (c->sync_running || !c->waiting.head || c->failed)
		return;
	c->syncing = c->waiting;
	deferred_list_init(&c->waiting);
	c->sync_running = true;
	e = warc_writer_sync_start(c->warc, sync_wake, c);
	if (e != RF_OK) {
		if (!c->failed)
			msg(c, CRAWL_MSG_ERROR, "cannot sync the WARC file in "
			    "'%s': %s", c->job->warc_dir, rf_strerror(e));
		c->failed = true;
		c->err = RF_EIO;
	}
}

/* Applies every op waiting, once their records are durable. */
static void
group_commit_drain(struct crawl *c)
{
	/* the running sync, then one for what came after it */
	group_commit_step(c, true);
	group_commit_step(c, true);
}

/*
 * Records the end of a URL's fetches in this run, now or (when the fetch
 * wrote records) once they are durable; keeps the queue count.
 */
static enum rf_err
url_done(struct crawl *c, int64_t id, const struct frontier_result *r)
{
	c->queued--;
	if (c->defer) {
		defer_op(c, DEF_DONE, id, r, NULL, NULL);
		return RF_OK;
	}
	return frontier_done(c->fr, id, r);
}

/* Puts URL id back in the queue, now or as url_done() does. */
static enum rf_err
url_retry(struct crawl *c, int64_t id, double next_fetch, long status,
	  const char *error)
{
	struct frontier_result r;

	if (!c->defer)
		return frontier_retry(c->fr, id, next_fetch, status, error);
	memset(&r, 0, sizeof(r));
	r.next_fetch = next_fetch;
	r.status = status;
	r.error = error;
	defer_op(c, DEF_RETRY, id, &r, NULL, NULL);
	return RF_OK;
}

/* ---- enqueueing ---- */

static enum crawl_kind
url_kind(struct crawl *c, struct site_rt *s, const char *url, unsigned flags)
{
	if (patterns_match(c, &s->listing, url))
		return CRAWL_LISTING;
	if (patterns_match(c, &s->index, url))
		return CRAWL_INDEX;
	if (!s->index.n && (flags & LINK_PAGINATION))
		return CRAWL_INDEX;
	return CRAWL_PAGE;
}

struct link_from {
	struct crawl *c;
	struct site_rt *site;
	const struct frontier_url *parent;	/* NULL for seeds */
	const char *base;
	bool allow_file;
	bool sitemap;		/* links come from a sitemap */
	long added;
	char **doc_base;	/* the page's <base href> once read */
	char *own_base;		/* it, resolved */
};

/* Queues url (normalised) for site; drops it when out of scope. */
static void
enqueue(struct crawl *c, struct site_rt *s, const char *url, int depth,
	int hops, int64_t parent, enum crawl_kind kind)
{
	struct frontier_new n;
	struct host *h;
	char *origin;
	bool added = false;

	if (!str_has_prefix(url, "file://"))
		origin = url_origin(url);
	else
		origin = s->file_root ? xstrdup(s->file_root) : NULL;
	if (!origin || url_is_trap(url) ||
	    !(parent == 0 && depth == 0 && kind != CRAWL_SITEMAP ?
		      !patterns_match(c, &s->deny, url) :
		      in_scope(c, s, url, origin))) {
		c->sum->links_dropped++;
		free(origin);
		return;
	}
	n.url = url;
	n.host = origin;
	n.site = s->cfg->name;
	n.kind = (int)kind;
	n.depth = depth;
	n.hops = hops;
	n.parent = parent;
	if (frontier_add(c->fr, &n, &added) != RF_OK) {
		db_failed(c, "cannot add a URL");
	} else if (added) {
		c->queued++;
		h = host_get(c, origin, s);
		h->has_work = true;
		h->due = 0;
	}
	free(origin);
}

static void
on_link(const char *href, unsigned flags, void *arg)
{
	struct link_from *lf = arg;
	struct crawl *c = lf->c;
	const struct url_norm_opts opts = { .allow_file = lf->allow_file };
	char *abs = NULL, *norm = NULL;
	enum crawl_kind kind;
	int depth;

	if (lf->doc_base && *lf->doc_base && !lf->own_base) {
		if (url_resolve(lf->base, *lf->doc_base, &abs) == RF_OK &&
		    url_normalize(abs, &opts, &norm) == RF_OK) {
			lf->own_base = norm;
			lf->base = norm;
			norm = NULL;
		} else {
			lf->own_base = xstrdup(lf->base);
		}
		free(abs);
		abs = NULL;
	}
	if (url_resolve_normal(lf->base, href, &opts, &norm) != RF_OK) {
		c->sum->links_dropped++;
		goto out;
	}
	kind = url_kind(c, lf->site, norm, flags);
	if (flags & LINK_SITEMAP) {
		/* robots.txt and sitemap indexes name sitemaps */
		kind = CRAWL_SITEMAP;
		depth = 0;
	} else if (lf->sitemap) {
		depth = 1;
	} else if (kind == CRAWL_INDEX) {
		depth = lf->parent->depth;
	} else {
		depth = lf->parent->depth + 1;
	}
	if (depth > lf->site->cfg->depth) {
		c->sum->links_dropped++;
		goto out;
	}
	enqueue(c, lf->site, norm, depth, 0, lf->parent->id, kind);
	lf->added++;
out:
	free(abs);
	free(norm);
}

/* ---- WARC ---- */

static enum rf_err
warc_ensure(struct crawl *c)
{
	static const char *const fixed[] = {
		"http-version-note: HTTP/2 exchanges are recorded as "
		"HTTP/1.1 messages, marked WARC-Protocol: h2",
		"robots: obeyed (RFC 9309) unless a site sets ignore_robots",
		"content-decoding: bodies recorded as received (gzip, br, "
		"zstd kept); "
		"chunked transfer coding removed",
		"request-redaction: the values of Cookie, Authorization and "
		"Proxy-Authorization in request records are replaced by "
		"'redacted'",
	};
	const char **info;
	struct buf *notes;
	struct warc_writer_opts o;
	enum rf_err e;
	size_t i, n = 0, nnotes = 0;

	if (c->warc)
		return RF_OK;
	/* the fixed notes, then one line per site that ignores robots.txt:
	 * the evidence says so itself */
	info = xcalloc(RF_ARRAY_SIZE(fixed) + 2 * c->nsites + 1,
		       sizeof(*info));
	notes = xcalloc(2 * c->nsites + 1, sizeof(*notes));
	for (i = 0; i < RF_ARRAY_SIZE(fixed); i++)
		info[n++] = fixed[i];
	for (i = 0; i < c->nsites; i++) {
		if (!c->sites[i].cfg->ignore_robots)
			continue;
		buf_init(&notes[nnotes], 512);
		buf_addf(&notes[nnotes], "robots-ignored: site %s, by "
			 "ignore_robots in the job", c->sites[i].cfg->name);
		info[n++] = notes[nnotes++].data;
	}
	for (i = 0; i < c->nsites; i++) {
		if (!c->sites[i].cfg->tls_noverify)
			continue;
		buf_init(&notes[nnotes], 512);
		buf_addf(&notes[nnotes], "tls-not-verified: site %s, by "
			 "tls_verify = no or --no-tls-verify",
			 c->sites[i].cfg->name);
		info[n++] = notes[nnotes++].data;
	}
	memset(&o, 0, sizeof(o));
	o.info = info;
	/* synced in the background before the state that names the
	 * records is committed (the group commit) */
	o.sync = c->job->warc_nosync ? WARC_SYNC_NONE : WARC_SYNC_FILE;
	if (mkdir(c->job->warc_dir, 0750) != 0 && errno != EEXIST) {
		msg(c, CRAWL_MSG_ERROR, "cannot create WARC folder '%s': %s",
		    c->job->warc_dir, strerror(errno));
		e = RF_EIO;
		goto out;
	}
	e = warc_writer_open(c->job->warc_dir, c->job->warc_prefix,
			     c->job->warc_max_bytes, &o, &c->warc);
	if (e != RF_OK)
		msg(c, CRAWL_MSG_ERROR, "cannot open a WARC file in '%s': %s",
		    c->job->warc_dir, rf_strerror(e));
out:
	for (i = 0; i < nnotes; i++)
		buf_release(&notes[i]);
	free(notes);
	free(info);
	return e;
}

static void
warc_failed(struct crawl *c, enum rf_err e)
{
	if (!c->failed)
		msg(c, CRAWL_MSG_ERROR, "cannot write WARC record in '%s': %s",
		    c->job->warc_dir, rf_strerror(e));
	c->failed = true;
	c->err = RF_EIO;
}

/* Makes the WARC records written so far durable; false when that failed. */
static bool
warc_sync(struct crawl *c)
{
	enum rf_err e;

	if (!c->warc || (e = warc_writer_sync(c->warc)) == RF_OK)
		return true;
	if (!c->failed)
		msg(c, CRAWL_MSG_ERROR, "cannot sync the WARC file in '%s': %s",
		    c->job->warc_dir, rf_strerror(e));
	c->failed = true;
	c->err = RF_EIO;
	return false;
}

/*
 * Commits the frontier's transaction once the WARC records it names are
 * on disk: a state that says "fetched" always has its evidence. False
 * (and c->failed) when either failed; the transaction is then rolled back
 * when the frontier closes.
 */
static bool
state_commit(struct crawl *c)
{
	if (!warc_sync(c))
		return false;
	if (frontier_commit(c->fr) != RF_OK) {
		db_failed(c, "cannot commit");
		return false;
	}
	return true;
}

/* ---- a page's results ---- */

struct page_result {
	long status;
	time_t date;		/* when the fetch began */
	bool h2;
	bool truncated;
	bool unchanged;
	const char *head;
	size_t head_len;
	const char *content_type;
	struct buf decoded;	/* the payload after Content-Encoding */
	const char *body;	/* decoded.data or the raw body */
	size_t body_len;
	char sha256[SHA256_HEX_LEN + 1];
	char sha1[WARC_DIGEST_SIZE];
	struct warc_loc loc;
	bool have_loc;
	char *refers_to;
	char *redirect;
};

static void
page_result_release(struct page_result *r)
{
	buf_release(&r->decoded);
	free(r->refers_to);
	free(r->redirect);
}

static void
extract_links(struct crawl *c, struct host *h, const struct frontier_url *u,
	      struct page_result *r)
{
	struct link_from lf;
	char *base = NULL;
	size_t dropped = 0;
	bool is_index = false;

	memset(&lf, 0, sizeof(lf));
	lf.c = c;
	lf.site = h->site;
	lf.parent = u;
	lf.base = u->url;
	/* file links only from file pages of a job's file site */
	lf.allow_file = h->is_file;
	if (u->kind == CRAWL_SITEMAP) {
		lf.sitemap = true;
		sitemap_extract(r->body, r->body_len, RF_CRAWL_OUTLINKS_MAX,
				on_link, &lf, &is_index, &dropped);
	} else if (http_content_is_html(r->content_type, r->body,
					r->body_len)) {
		/* <base href> comes in <head>, before the links: on_link
		 * sees it through lf.doc_base as soon as it is read */
		lf.doc_base = &base;
		links_extract(r->body, r->body_len, RF_CRAWL_OUTLINKS_MAX,
			      on_link, &lf, &base, &dropped);
	}
	free(lf.own_base);
	free(base);
	if (dropped) {
		c->sum->links_dropped += (long)dropped;
		msg(c, CRAWL_MSG_INFO, "'%s': %zu links over the cap of %d "
		    "dropped", u->url, dropped, RF_CRAWL_OUTLINKS_MAX);
	}
}

static void
call_page(struct crawl *c, struct host *h, const struct frontier_url *u,
	  const struct page_result *r)
{
	struct crawl_page p;

	if (!c->cb || !c->cb->page)
		return;
	if (c->cb->page_synced && r->have_loc && !warc_sync(c))
		return;
	memset(&p, 0, sizeof(p));
	p.url = u->url;
	p.site = h->site->cfg->name;
	p.profile = h->site->cfg->profile;
	p.date = r->date ? r->date : time(NULL);
	p.kind = (enum crawl_kind)u->kind;
	p.depth = u->depth;
	p.status = r->status;
	p.unchanged = r->unchanged;
	p.truncated = r->truncated;
	p.h2 = r->h2;
	p.head = r->head;
	p.head_len = r->head_len;
	p.content_type = r->content_type;
	p.body = r->status == 304 ? NULL : r->body;
	p.body_len = r->status == 304 ? 0 : r->body_len;
	p.sha256 = r->sha256[0] ? r->sha256 : NULL;
	p.redirect = r->redirect;
	if (r->have_loc) {
		p.warc_file = r->loc.file;
		p.warc_offset = r->loc.offset;
		p.warc_id = r->loc.id;
	}
	p.refers_to = r->refers_to;
	if (c->cb->page(&p, c->cb->arg) != 0)
		c->stop_requested = true;
}

static double
recrawl_at(const struct host *h, double wall)
{
	return h->site->cfg->recrawl > 0 ? wall + h->site->cfg->recrawl : 0;
}

/* Decodes the body, finds links, calls back, records the page as done. */
static void
page_fetched(struct crawl *c, struct host *h, struct frontier_url *u,
	     struct page_result *r, const char *etag, const char *lm)
{
	struct frontier_result fr;
	char *ce = NULL;
	enum rf_err e;
	double wall = now_wall();
	const char *error = NULL;

	if (r->head)
		ce = http_head_field(r->head, r->head_len, "Content-Encoding");
	if (ce && r->body_len && strcasecmp(ce, "identity") != 0) {
		/* every coding we ask for, under one cap: a bomb in any of
		 * them stops there */
		buf_init(&r->decoded, RF_CRAWL_INFLATE_MAX + 1);
		e = crawl_decode(ce, r->body, r->body_len,
				 RF_CRAWL_INFLATE_MAX, &r->decoded);
		if (e == RF_ETOOBIG) {
			r->truncated = true;
			h->st.truncated++;
			error = "decoded body over the cap (a compression "
				"bomb?)";
			msg(c, CRAWL_MSG_INFO, "'%s': %s", u->url, error);
		} else if (e == RF_EUNSUPPORTED) {
			error = "unsupported Content-Encoding";
		} else if (e != RF_OK) {
			error = "corrupt compressed body";
		}
		r->body = e == RF_EUNSUPPORTED ? NULL : r->decoded.data;
		r->body_len = e == RF_EUNSUPPORTED ? 0 : r->decoded.len;
	} else if (u->kind == CRAWL_SITEMAP && r->body_len >= 2 &&
		   (unsigned char)r->body[0] == 0x1f &&
		   (unsigned char)r->body[1] == 0x8b) {
		/* a sitemap.xml.gz file, compressed as a file */
		buf_init(&r->decoded, RF_CRAWL_SITEMAP_MAX + 1);
		e = crawl_inflate(r->body, r->body_len, RF_CRAWL_SITEMAP_MAX,
				  &r->decoded);
		if (e != RF_OK)
			error = e == RF_ETOOBIG ? "sitemap over the cap" :
						  "corrupt gzip sitemap";
		r->body = r->decoded.data;
		r->body_len = r->decoded.len;
	}
	if (r->status >= 200 && r->status < 300 && r->body_len &&
	    !(r->truncated && error))
		extract_links(c, h, u, r);
	call_page(c, h, u, r);
	memset(&fr, 0, sizeof(fr));
	fr.state = FRONTIER_DONE;
	fr.status = r->status;
	fr.next_fetch = recrawl_at(h, wall);
	fr.error = error ? error : r->truncated ? "truncated at the body cap" :
						  NULL;
	if (r->status >= 200 && r->status < 300) {
		fr.etag = etag;
		fr.last_modified = lm;
		fr.payload_sha1 = r->sha1[0] ? r->sha1 : NULL;
		fr.sha256 = r->sha256[0] ? r->sha256 : NULL;
		/* a revisit keeps the date and record of the first capture */
		if (!r->unchanged)
			fr.fetched_at = wall;
	}
	if (r->have_loc && !r->unchanged) {
		fr.warc_file = r->loc.file;
		fr.warc_offset = r->loc.offset;
		fr.warc_id = r->loc.id;
	}
	fr.redirect = r->redirect;
	if (url_done(c, u->id, &fr) != RF_OK)
		db_failed(c, "cannot record a page");
	free(ce);
}

/* ---- file:// sites ---- */

static const char *
file_content_type(const char *path)
{
	static const struct {
		const char *ext, *type;
	} t[] = {
		{ ".html", "text/html" }, { ".htm", "text/html" },
		{ ".xhtml", "application/xhtml+xml" },
		{ ".xml", "application/xml" }, { ".txt", "text/plain" },
		{ ".css", "text/css" }, { ".svg", "image/svg+xml" },
		{ ".json", "application/json" },
	};
	size_t i;

	for (i = 0; i < RF_ARRAY_SIZE(t); i++)
		if (str_has_suffix(path, t[i].ext))
			return t[i].type;
	return "application/octet-stream";
}

/*
 * Reads a file URL of the site whose root folder is root_real (resolved);
 * *status 200, or 404 when the file is missing or, once symbolic links and
 * encoded slashes are resolved, outside the root.
 */
static enum rf_err
file_fetch(struct crawl *c, const char *root_real, const char *url,
	   size_t max, struct buf *data, long *status, struct warc_loc *loc,
	   bool *have_loc)
{
	struct warc_capture cap;
	char *path = file_url_path(url), *real = NULL;
	size_t n = root_real ? strlen(root_real) : 0;
	enum rf_err e;

	*status = 404;
	*have_loc = false;
	if (path)
		real = realpath(path, NULL);
	free(path);
	if (!real || !root_real || strncmp(real, root_real, n) != 0 ||
	    (real[n] != '/' && !(n == 1 && root_real[0] == '/'))) {
		free(real);
		return RF_OK;
	}
	e = file_read(real, max, data);
	free(real);
	if (e != RF_OK)
		return e == RF_ETOOBIG ? RF_ETOOBIG : RF_OK;
	*status = 200;
	if (warc_ensure(c) != RF_OK) {
		c->failed = true;
		c->err = RF_EIO;
		return RF_EIO;
	}
	memset(&cap, 0, sizeof(cap));
	cap.target_uri = url;
	e = warc_write_resource(c->warc, &cap, file_content_type(url),
				data->data, data->len, loc);
	if (e != RF_OK) {
		warc_failed(c, e);
		return RF_EIO;
	}
	*have_loc = true;
	return RF_OK;
}

static void
robots_loaded(struct crawl *c, struct host *h, struct robots *r,
	      const char *base_url);

static void
file_robots(struct crawl *c, struct host *h)
{
	struct buf data, url;
	long status;
	struct warc_loc loc;
	bool have_loc;

	buf_init(&data, RF_ROBOTS_MAX_BYTES);
	buf_init(&url, RF_URL_INPUT_MAX_BYTES);
	buf_addstr(&url, h->name);
	buf_addstr(&url, "robots.txt");
	if (file_fetch(c, h->site->root_real, url.data, RF_ROBOTS_MAX_BYTES,
		       &data, &status, &loc, &have_loc) ==
		    RF_OK &&
	    status == 200) {
		robots_loaded(c, h, robots_parse(data.data, data.len),
			      url.data);
		host_set_robots_note(h, "ok (%ld)", status);
	} else {
		robots_loaded(c, h, robots_new_allow_all(), url.data);
		host_set_robots_note(h, "allow-all (none: %d)", 404);
	}
	buf_release(&data);
	buf_release(&url);
}

static void
file_page(struct crawl *c, struct host *h, struct frontier_url *u)
{
	struct page_result r;
	struct buf data;
	enum rf_err e;
	struct frontier_result fr;
	unsigned char d[SHA256_DIGEST_LEN];

	memset(&r, 0, sizeof(r));
	buf_init(&r.decoded, 0);
	buf_init(&data, h->site->cfg->max_body);
	e = file_fetch(c, h->site->root_real, u->url, h->site->cfg->max_body,
		       &data, &r.status, &r.loc, &r.have_loc);
	/* as for a transfer (xfer_done()): the host waits for the state */
	c->defer = true;
	h->slot->busy = true;
	defer_op(c, DEF_RELEASE, 0, NULL, NULL, h->slot);
	if (e == RF_OK && r.status == 200) {
		h->st.fetched++;
		h->site->fetched++;
		c->sum->pages++;
		r.content_type = file_content_type(u->url);
		r.body = data.data;
		r.body_len = data.len;
		sha256_digest(data.data, data.len, d);
		encode_hex(d, sizeof(d), r.sha256);
		page_fetched(c, h, u, &r, NULL, NULL);
	} else if (!c->failed) {
		memset(&fr, 0, sizeof(fr));
		fr.state = FRONTIER_FAILED;
		fr.status = r.status;
		fr.error = e == RF_ETOOBIG ? "file over max_body" :
					     "no such file";
		h->st.errors++;
		c->sum->errors++;
		if (url_done(c, u->id, &fr) != RF_OK)
			db_failed(c, "cannot record a page");
	}
	c->defer = false;
	buf_release(&data);
	page_result_release(&r);
}

/* ---- transfers ---- */

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n, room = x->max_body - x->body.len;

	if (len > room) {
		/* the cap, enforced as the bytes come: chunked bodies too */
		buf_add(&x->body, p, room);
		x->capped = true;
		return 0;
	}
	if (buf_add(&x->body, p, len) != RF_OK) {
		x->capped = true;
		return 0;
	}
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct xfer *x = arg;
	size_t len = size * n;

	/* a new status line: an interim 1xx response came before */
	if (len >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		buf_reset(&x->head);
		buf_reset(&x->body);
	}
	if (buf_add(&x->head, p, len) != RF_OK) {
		x->head_too_big = true;
		return 0;
	}
	return len;
}

/*
 * Copies a request head to out with the values of the fields that carry
 * credentials replaced: Proxy-Authorization (the proxy's user and
 * password), Authorization, Cookie (a job's cookie file is its session
 * with a site). The WARC files are evidence handed to others; these are
 * the unit's secrets, not the site's words.
 */
static void
redact_head(const char *head, size_t len, struct buf *out)
{
	static const char *const secret[] = {
		"Proxy-Authorization:", "Authorization:", "Cookie:",
	};
	const char *p = head, *end = head + len, *nl;
	size_t i, n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
		for (i = 0; i < RF_ARRAY_SIZE(secret); i++)
			if (n > strlen(secret[i]) &&
			    strncasecmp(p, secret[i], strlen(secret[i])) == 0)
				break;
		if (i < RF_ARRAY_SIZE(secret)) {
			buf_add(out, p, strlen(secret[i]));
			buf_addstr(out, " redacted\r\n");
		} else {
			buf_add(out, p, n);
		}
		p += n;
	}
}

static int
on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *arg)
{
	struct xfer *x = arg;

	(void)easy;
	if (type == CURLINFO_HEADER_OUT) {
		buf_reset(&x->req_head);
		redact_head(data, size, &x->req_head);
	}
	return 0;
}

/* The SSRF guard: the address DNS gave, before connect. */
static curl_socket_t
on_open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer *x = arg;

	(void)purpose;
	if (!x->c->job->allow_private && !x->host->site->cfg->proxy &&
	    addr_is_private(&a->addr)) {
		x->refused = true;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

static void
xfer_free(struct xfer *x)
{
	if (!x)
		return;
	if (x->easy)
		curl_easy_cleanup(x->easy);
	curl_slist_free_all(x->headers);
	buf_release(&x->req_head);
	buf_release(&x->head);
	buf_release(&x->body);
	frontier_url_release(&x->u);
	free(x);
}

static void
add_header(struct xfer *x, const char *name, const char *value)
{
	struct buf b;

	buf_init(&b, RF_CRAWL_HEAD_MAX);
	buf_addf(&b, "%s: %s", name, value);
	if (!buf_failed(&b) && !strpbrk(value, "\r\n"))
		x->headers = curl_slist_append(x->headers, b.data);
	buf_release(&b);
}

static bool
xfer_start(struct crawl *c, struct host *h, struct xfer *x)
{
	const struct crawl_site *s = h->site->cfg;
	const struct site_login *login;
	CURL *e;

	x->c = c;
	x->host = h;
	x->started = time(NULL);
	buf_init(&x->req_head, RF_CRAWL_HEAD_MAX);
	buf_init(&x->head, RF_CRAWL_HEAD_MAX);
	if (!x->max_body)
		x->max_body = s->max_body;
	buf_init(&x->body, x->max_body);
	x->easy = e = curl_easy_init();
	if (!e) {
		msg(c, CRAWL_MSG_ERROR, "cannot create a transfer");
		return false;
	}
	/* bodies as received, for the WARC; we inflate them ourselves */
	add_header(x, "Accept-Encoding", CRAWL_ACCEPT_ENCODING);
	add_header(x, "Accept", "text/html,application/xhtml+xml,"
				"application/xml;q=0.9,*/*;q=0.8");
	if (!x->is_robots && x->u.etag)
		add_header(x, "If-None-Match", x->u.etag);
	if (!x->is_robots && x->u.last_modified)
		add_header(x, "If-Modified-Since", x->u.last_modified);
	curl_easy_setopt(e, CURLOPT_URL, x->u.url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->headers);
	curl_easy_setopt(e, CURLOPT_HTTP_CONTENT_DECODING, 0L);
	curl_easy_setopt(e, CURLOPT_HTTP_TRANSFER_DECODING, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(e, CURLOPT_DEBUGDATA, x);
	curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, x);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, h->site->user_agent);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS,
			 (long)(s->connect_timeout * 1000));
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)(s->timeout * 1000));
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, s->low_speed_limit);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, s->low_speed_time);
	/* no CURLOPT_MAXFILESIZE: it fails before the head is complete, and
	 * the cap in on_body() records what came, as WARC-Truncated */
	if (s->proxy)
		curl_easy_setopt(e, CURLOPT_PROXY, s->proxy);
	if (s->cookie_file)
		curl_easy_setopt(e, CURLOPT_COOKIEFILE, s->cookie_file);
	/* a seed's credentials, to its origin only (as Basic or whatever the
	 * server asks for); the request record shows them redacted */
	if ((login = login_of(h->site, h->name))) {
		curl_easy_setopt(e, CURLOPT_USERNAME, login->user);
		if (login->password)
			curl_easy_setopt(e, CURLOPT_PASSWORD, login->password);
	}
	/* verification stays on; a job may name the CA to trust, or turn
	 * it off for a site explicitly (logged, and said in the WARC) */
	if (s->ca_file)
		curl_easy_setopt(e, CURLOPT_CAINFO, s->ca_file);
	if (s->tls_noverify) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (curl_multi_add_handle(c->multi, e) != CURLM_OK) {
		msg(c, CRAWL_MSG_ERROR, "cannot start a transfer");
		return false;
	}
	x->next = c->xfers;
	if (c->xfers)
		c->xfers->prev = x;
	c->xfers = x;
	h->slot->busy = true;
	c->active++;
	if (!x->is_robots)
		h->site->in_flight++;
	return true;
}

static void
start_robots(struct crawl *c, struct host *h, const char *url, int hops)
{
	struct xfer *x = xcalloc(1, sizeof(*x));

	x->is_robots = true;
	x->robots_hops = hops;
	x->u.url = xstrdup(url);
	x->max_body = RF_ROBOTS_MAX_BYTES;
	h->robots_state = ROBOTS_FETCHING;
	if (!xfer_start(c, h, x)) {
		xfer_free(x);
		h->robots_state = ROBOTS_NONE;
		h->done_for_run = true;
	}
}

static void
robots_loaded(struct crawl *c, struct host *h, struct robots *r,
	      const char *base_url)
{
	double cd;
	size_t i, n;
	struct link_from lf;
	struct frontier_url root;

	robots_free(h->robots);
	h->robots = r;
	h->robots_state = ROBOTS_READY;
	free(h->robots_next);
	h->robots_next = NULL;
	if (robots_crawl_delay(r, CRAWL_ROBOTS_AGENT, &cd)) {
		h->st.crawl_delay = cd;
		if (cd > RF_CRAWL_DELAY_MAX) {
			h->st.crawl_delay_capped = true;
			msg(c, CRAWL_MSG_WARN, "'%s' asks for a Crawl-delay of "
			    "%g s; using the cap of %g s", h->name, cd,
			    RF_CRAWL_DELAY_MAX);
			cd = RF_CRAWL_DELAY_MAX;
		}
		/* raise, never lower */
		if (cd > h->delay)
			h->delay = cd;
	}
	h->st.delay = h->delay;
	if (!h->site->cfg->sitemaps || !(n = robots_sitemap_count(r)))
		return;
	memset(&lf, 0, sizeof(lf));
	memset(&root, 0, sizeof(root));
	root.url = (char *)(uintptr_t)base_url;
	lf.c = c;
	lf.site = h->site;
	lf.parent = &root;
	lf.base = base_url;
	lf.allow_file = h->is_file;
	lf.sitemap = true;
	for (i = 0; i < n && i < RF_CRAWL_SITEMAPS_MAX; i++)
		on_link(robots_sitemap(r, i), LINK_SITEMAP, &lf);
}

/* ---- finishing transfers ---- */

static bool
head_complete(const struct buf *head)
{
	return head->len >= 4 &&
	       (str_has_suffix(head->data, "\r\n\r\n") ||
		str_has_suffix(head->data, "\n\n"));
}

/* Remembers a payload's first record, now or as url_done() does. */
static void
payload_add(struct crawl *c, const char *sha1, const char *warc_id,
	    const char *uri, double date)
{
	struct frontier_result r;

	if (c->defer) {
		memset(&r, 0, sizeof(r));
		r.payload_sha1 = sha1;
		r.warc_id = warc_id;
		r.fetched_at = date;
		defer_op(c, DEF_PAYLOAD, 0, &r, uri, NULL);
	} else if (frontier_payload_add(c->fr, sha1, warc_id, uri, date) !=
		   RF_OK) {
		db_failed(c, "cannot record a payload");
	}
}

/* Writes the capture of x to the WARC, as exchange or revisit. */
static void
record_capture(struct crawl *c, struct xfer *x, struct page_result *r,
	       const char *ip, const char *truncated, bool allow_revisit)
{
	struct buf head, req;
	struct warc_capture cap;
	struct warc_http rq, rs;
	struct warc_revisit rv;
	static const char *const h2_fields[] = { "WARC-Protocol: h2", NULL };
	char *warc_id = NULL, *uri = NULL;
	double date = 0;
	bool found = false;
	enum rf_err e;
	unsigned char d[SHA256_DIGEST_LEN];
	const unsigned char *body;

	buf_init(&head, RF_CRAWL_HEAD_MAX + 64);
	buf_init(&req, RF_CRAWL_HEAD_MAX + 64);
	if (crawl_head_to_http11(x->head.data, x->head.len, &head) != RF_OK ||
	    crawl_head_to_http11(x->req_head.data, x->req_head.len, &req) !=
		    RF_OK)
		goto out;
	if (warc_ensure(c) != RF_OK) {
		c->failed = true;
		c->err = RF_EIO;
		goto out;
	}
	memset(&cap, 0, sizeof(cap));
	cap.target_uri = x->u.url;
	cap.ip = ip && *ip ? ip : NULL;
	cap.date = x->started;
	cap.truncated = truncated;
	cap.fields = r->h2 ? h2_fields : NULL;
	rq.head = req.data;
	rq.head_len = req.len;
	rq.body = NULL;
	rq.body_len = 0;
	rq.body_dechunked = true;
	rs.head = head.data;
	rs.head_len = head.len;
	rs.body = x->body.data;
	rs.body_len = x->body.len;
	rs.body_dechunked = true;
	rs.payload_digest = NULL;
	rq.payload_digest = NULL;
	warc_payload_digest(&rs, r->sha1);
	rs.payload_digest = r->sha1;
	body = (const unsigned char *)x->body.data;
	sha256_digest(body, x->body.len, d);
	encode_hex(d, sizeof(d), r->sha256);
	memset(&rv, 0, sizeof(rv));
	if (r->status == 304 && x->u.warc_id) {
		rv.profile = WARC_PROFILE_NOT_MODIFIED;
		rv.refers_to = x->u.warc_id;
		rv.refers_to_uri = x->u.url;
		rv.refers_to_date = (time_t)x->u.fetched_at;
		rv.payload_digest = x->u.payload_sha1;
		found = true;
		r->refers_to = xstrdup(x->u.warc_id);
	} else if (allow_revisit && r->status >= 200 && r->status < 300 &&
		   x->body.len > 0) {
		if (frontier_payload_find(c->fr, r->sha1, &found, &warc_id,
					  &uri, &date) != RF_OK) {
			db_failed(c, "cannot look up a payload");
			goto out;
		}
		if (found) {
			rv.profile = WARC_PROFILE_IDENTICAL_PAYLOAD;
			rv.refers_to = warc_id;
			rv.refers_to_uri = uri;
			rv.refers_to_date = (time_t)date;
			r->refers_to = xstrdup(warc_id);
		}
	}
	if (found) {
		e = warc_write_revisit(c->warc, &cap, &rv, &rq, &rs, NULL,
				       &r->loc);
		r->unchanged = true;
		c->sum->revisits++;
	} else {
		e = warc_write_exchange(c->warc, &cap, &rq, &rs, NULL,
					&r->loc);
	}
	if (e != RF_OK) {
		warc_failed(c, e);
		goto out;
	}
	r->have_loc = true;
	if (!found && allow_revisit && r->status >= 200 && r->status < 300 &&
	    x->body.len > 0)
		payload_add(c, r->sha1, r->loc.id, x->u.url,
			    (double)x->started);
out:
	free(warc_id);
	free(uri);
	buf_release(&head);
	buf_release(&req);
}

/* A failed fetch without a usable response: retry, give up or park. */
static void
fetch_failed(struct crawl *c, struct host *h, struct xfer *x,
	     const char *error, bool count_failure, long status)
{
	double wall = now_wall(), wait;
	struct frontier_result fr;

	h->st.errors++;
	c->sum->errors++;
	if (count_failure && ++h->failures >= RF_CRAWL_PARK_FAILURES &&
	    !h->parked) {
		h->parked = true;
		h->st.parked = true;
		msg(c, CRAWL_MSG_WARN, "'%s': parked after %d failures in a "
		    "row (last: %s)", h->name, h->failures, error);
	}
	if (x->refused || x->u.attempts + 1 >= RF_CRAWL_ATTEMPTS_MAX) {
		memset(&fr, 0, sizeof(fr));
		fr.state = FRONTIER_FAILED;
		fr.status = status;
		fr.error = error;
		if (url_done(c, x->u.id, &fr) != RF_OK)
			db_failed(c, "cannot record a failure");
		msg(c, CRAWL_MSG_INFO, "'%s': %s; given up", x->u.url, error);
		return;
	}
	wait = backoff_wait(c, h->site->cfg->retry_base, x->u.attempts);
	if (url_retry(c, x->u.id, wall + wait, status, error) != RF_OK)
		db_failed(c, "cannot record a retry");
	msg(c, CRAWL_MSG_DEBUG, "'%s': %s; retry in %.1f s", x->u.url, error,
	    wait);
}

static void
robots_finished(struct crawl *c, struct xfer *x, CURLcode rc, long status)
{
	struct host *h = x->host;
	struct page_result r;
	char *loc = NULL, *abs = NULL, *norm = NULL, *ra = NULL;
	const char *ip = NULL;
	struct buf body;
	double wait;

	memset(&r, 0, sizeof(r));
	buf_init(&r.decoded, 0);
	buf_init(&body, 0);
	curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
	if (head_complete(&x->head) && status > 0) {
		long v = 0;

		curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &v);
		r.status = status;
		r.h2 = v == CURL_HTTP_VERSION_2_0;
		record_capture(c, x, &r, ip,
			       x->capped ? "length" :
			       rc != CURLE_OK ? "disconnect" : NULL,
			       false);
	}
	if (status >= 200 && status < 300 &&
	    (rc == CURLE_OK || x->capped)) {
		char *ce = http_head_field(x->head.data, x->head.len,
				      "Content-Encoding");
		const char *data = x->body.data;
		size_t len = x->body.len;

		if (ce && strcasecmp(ce, "identity") != 0) {
			buf_init(&body, RF_ROBOTS_MAX_BYTES + 1);
			/* a cut file is parsed as far as it goes (RFC 9309
			 * 2.5), so an inflate error or the cap is fine */
			if (crawl_decode(ce, x->body.data, x->body.len,
					 RF_ROBOTS_MAX_BYTES, &body) != RF_OK)
				msg(c, CRAWL_MSG_DEBUG, "'%s': cut or corrupt "
				    "compressed robots.txt", x->u.url);
			data = body.data;
			len = body.len;
		}
		robots_loaded(c, h, robots_parse(data, len), x->u.url);
		host_set_robots_note(h, "ok (%ld)", status);
		free(ce);
	} else if (status >= 300 && status < 400 &&
		   (loc = http_head_field(x->head.data, x->head.len,
					  "Location")) &&
		   x->robots_hops < 5 &&
		   url_resolve(x->u.url, loc, &abs) == RF_OK &&
		   url_normalize(abs, NULL, &norm) == RF_OK) {
		/* RFC 9309 2.3.1.2: follow at least five redirects, each
		 * request after the delay */
		h->robots_state = ROBOTS_NONE;
		free(h->robots_next);
		h->robots_next = norm;
		norm = NULL;
		h->robots_hops = x->robots_hops + 1;
	} else if (status >= 400 && status < 500 && status != 429) {
		robots_loaded(c, h, robots_new_allow_all(), x->u.url);
		host_set_robots_note(h, "allow-all (%ld)", status);
	} else {
		/* 5xx, 429, unreachable: disallow everything, try later */
		free(h->robots_next);
		h->robots_next = NULL;
		h->robots_hops = 0;
		robots_free(h->robots);
		h->robots = NULL;
		h->robots_state = ROBOTS_NONE;
		h->robots_tries++;
		host_set_robots_note(h, "unreachable (%ld): disallow-all",
				     status);
		/* RFC 9309 2.3.1.3: "retry later"; a Retry-After of a 503
		 * or 429 says when, within the bound of a page's */
		ra = status ? http_head_field(x->head.data, x->head.len,
					      "Retry-After") : NULL;
		if (ra && crawl_retry_after(ra, now_wall(), &wait)) {
			msg(c, CRAWL_MSG_INFO, "'%s': %ld, waiting %.2f s "
			    "(Retry-After)", x->u.url, status, wait);
		} else {
			wait = backoff_wait(c, h->site->cfg->retry_base,
					    h->robots_tries);
		}
		if (h->robots_tries >= RF_CRAWL_ATTEMPTS_MAX) {
			h->done_for_run = true;
			msg(c, CRAWL_MSG_WARN, "'%s': robots.txt unreachable "
			    "(%s); its URLs wait for the next run", h->name,
			    status ? "5xx" : curl_easy_strerror(rc));
		} else if (wait > RF_CRAWL_RETRY_AFTER_MAX) {
			h->done_for_run = true;
			msg(c, CRAWL_MSG_WARN, "'%s': robots.txt asks to come "
			    "back in %.0f s; its URLs wait for a later run",
			    h->name, wait);
		} else {
			h->slot->ready_at = now_mono() + wait;
		}
		if (!status && !x->refused && ++h->failures >=
						      RF_CRAWL_PARK_FAILURES) {
			h->parked = true;
			h->st.parked = true;
		}
		if (x->refused)
			h->st.private_refused++;
	}
	free(loc);
	free(abs);
	free(norm);
	free(ra);
	buf_release(&body);
	page_result_release(&r);
}

static void
page_finished(struct crawl *c, struct xfer *x, CURLcode rc, long status)
{
	struct host *h = x->host;
	struct page_result r;
	const char *ip = NULL, *trunc = NULL, *ct = NULL;
	char *etag = NULL, *lm = NULL, *loc = NULL, *ra = NULL;
	char *abs = NULL, *norm = NULL;
	long v = 0;
	double wait, wall = now_wall();
	bool retry_after;

	memset(&r, 0, sizeof(r));
	buf_init(&r.decoded, 0);
	if (!head_complete(&x->head) || status <= 0) {
		if (x->refused)
			h->st.private_refused++;
		fetch_failed(c, h, x,
			     x->refused ? "refused: a private address "
					  "(--allow-private allows it)" :
			     x->head_too_big ? "response head over the cap" :
					       curl_easy_strerror(rc),
			     !x->refused, 0);
		goto out;
	}
	curl_easy_getinfo(x->easy, CURLINFO_PRIMARY_IP, &ip);
	curl_easy_getinfo(x->easy, CURLINFO_HTTP_VERSION, &v);
	curl_easy_getinfo(x->easy, CURLINFO_CONTENT_TYPE, &ct);
	r.status = status;
	r.date = x->started;
	r.h2 = v == CURL_HTTP_VERSION_2_0;
	r.content_type = ct;
	if (x->capped || rc == CURLE_FILESIZE_EXCEEDED)
		trunc = "length";
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		trunc = "time";
	else if (rc != CURLE_OK)
		trunc = "disconnect";
	r.truncated = trunc != NULL;
	record_capture(c, x, &r, ip, trunc, trunc == NULL);
	if (c->failed)
		goto out;
	h->st.fetched++;
	h->site->fetched++;
	c->sum->pages++;
	if (status >= 400 && status < 500)
		h->st.status_4xx++;
	if (status >= 500)
		h->st.status_5xx++;
	r.head = x->head.data;
	r.head_len = x->head.len;
	r.body = x->body.data;
	r.body_len = x->body.len;
	if (trunc && strcmp(trunc, "length") != 0) {
		/* a timeout or a broken connection mid-body */
		fetch_failed(c, h, x,
			     rc == CURLE_OPERATION_TIMEDOUT ?
				     "timed out during the body" :
				     curl_easy_strerror(rc),
			     true, status);
		goto out;
	}
	h->failures = 0;
	if (trunc) {
		h->st.truncated++;
		msg(c, CRAWL_MSG_INFO, "'%s': body over the cap of %zu bytes, "
		    "cut", x->u.url, x->max_body);
	}
	if (status == 429 || status == 503) {
		if (status == 429)
			h->st.status_429++;
		ra = http_head_field(x->head.data, x->head.len, "Retry-After");
		retry_after = ra && crawl_retry_after(ra, wall, &wait);
		if (!retry_after)
			wait = backoff_wait(c, h->site->cfg->retry_base,
					    h->backoff);
		h->backoff++;
		if (wait > RF_CRAWL_RETRY_AFTER_MAX) {
			h->done_for_run = true;
			msg(c, CRAWL_MSG_WARN, "'%s': asked to come back in "
			    "%.0f s; left for a later run", h->name, wait);
		}
		if (h->slot->ready_at < now_mono() + wait)
			h->slot->ready_at = now_mono() + wait;
		msg(c, CRAWL_MSG_INFO, "'%s': %ld, waiting %.2f s%s", x->u.url,
		    status, wait, retry_after ? " (Retry-After)" : "");
		if (x->u.attempts + 1 >= RF_CRAWL_ATTEMPTS_MAX) {
			struct frontier_result fr;

			memset(&fr, 0, sizeof(fr));
			fr.state = FRONTIER_FAILED;
			fr.status = status;
			fr.error = "still refused after retries";
			if (url_done(c, x->u.id, &fr) != RF_OK)
				db_failed(c, "cannot record a page");
		} else if (url_retry(c, x->u.id, wall + wait, status,
				     "asked to slow down") != RF_OK) {
			db_failed(c, "cannot record a retry");
		}
		goto out;
	}
	h->backoff = 0;
	if (status >= 500) {
		wait = backoff_wait(c, h->site->cfg->retry_base,
				    x->u.attempts);
		if (x->u.attempts + 1 < RF_CRAWL_ATTEMPTS_MAX) {
			if (url_retry(c, x->u.id, wall + wait, status,
				      "server error") != RF_OK)
				db_failed(c, "cannot record a retry");
			goto out;
		}
	}
	if (status >= 300 && status < 400 && status != 304 &&
	    (loc = http_head_field(x->head.data, x->head.len,
				   "Location"))) {
		if (url_resolve(x->u.url, loc, &abs) == RF_OK &&
		    url_normalize(abs, NULL, &norm) == RF_OK) {
			r.redirect = norm;
			norm = NULL;
			if (x->u.hops + 1 > RF_CRAWL_REDIRECTS_MAX) {
				msg(c, CRAWL_MSG_INFO, "'%s': redirect chain "
				    "over %d, '%s' dropped", x->u.url,
				    RF_CRAWL_REDIRECTS_MAX, r.redirect);
				c->sum->links_dropped++;
			} else {
				/* not followed inline: queued like a link,
				 * through scope, robots and dedup */
				enqueue(c, h->site, r.redirect, x->u.depth,
					x->u.hops + 1, x->u.id,
					url_kind(c, h->site, r.redirect, 0));
			}
		} else {
			msg(c, CRAWL_MSG_INFO, "'%s': redirect to '%s' not "
			    "followed (not http or https, or malformed)",
			    x->u.url, loc);
			c->sum->links_dropped++;
		}
	}
	if (status == 304) {
		h->st.not_modified++;
		r.sha256[0] = '\0';
		r.unchanged = true;
	}
	etag = http_head_field(x->head.data, x->head.len, "ETag");
	lm = http_head_field(x->head.data, x->head.len, "Last-Modified");
	page_fetched(c, h, &x->u, &r, etag, lm);
out:
	free(etag);
	free(lm);
	free(loc);
	free(ra);
	free(abs);
	free(norm);
	page_result_release(&r);
}

static void
xfer_unlink(struct crawl *c, struct xfer *x)
{
	if (x->prev)
		x->prev->next = x->next;
	else
		c->xfers = x->next;
	if (x->next)
		x->next->prev = x->prev;
	x->prev = x->next = NULL;
}

static void
xfer_done(struct crawl *c, struct xfer *x, CURLcode rc)
{
	struct host *h = x->host;
	long status = 0;
	double ready;

	curl_multi_remove_handle(c->multi, x->easy);
	xfer_unlink(c, x);
	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &status);
	c->active--;
	if (!x->is_robots)
		h->site->in_flight--;
	/* the delay counts from the end of this request, and robots.txt
	 * may just have raised it */
	ready = now_mono();
	/* what a page leaves to the state waits for its records (the group
	 * commit), and the host's next request for that state; robots.txt
	 * leaves no state */
	c->defer = !x->is_robots;
	if (x->is_robots)
		robots_finished(c, x, rc, status);
	else
		page_finished(c, x, rc, status);
	if (c->defer)
		defer_op(c, DEF_RELEASE, 0, NULL, NULL, h->slot);
	else
		h->slot->busy = false;
	c->defer = false;
	ready += h->delay;
	if (h->slot->ready_at < ready)
		h->slot->ready_at = ready;
	h->st.delay = h->delay;
	xfer_free(x);
}

/* ---- scheduling ---- */

static bool
site_budget_left(struct crawl *c, struct site_rt *s)
{
	const struct crawl_site *cfg = s->cfg;
	double elapsed;

	if (s->budget_hit)
		return false;
	elapsed = c->elapsed_before + (now_mono() - c->mono_start);
	if ((cfg->max_pages > 0 && s->fetched + s->in_flight >=
					   cfg->max_pages) ||
	    (cfg->max_time > 0 && elapsed >= cfg->max_time)) {
		if (s->in_flight == 0) {
			s->budget_hit = true;
			msg(c, CRAWL_MSG_INFO, "site '%s': budget reached "
			    "(%ld pages)", cfg->name, s->fetched);
		}
		return false;
	}
	return true;
}

/*
 * Starts the host's next request if it may: robots.txt first, then its
 * next due URL that robots allows. Returns true when a request started or
 * a file was read.
 */
static bool
host_step(struct crawl *c, struct host *h, double wall)
{
	struct frontier_url u;
	struct xfer *x;
	bool found;
	double next_due;
	int skipped = 0;

	if (h->robots_state == ROBOTS_NONE) {
		struct buf url;

		if (h->is_file) {
			file_robots(c, h);
			return true;
		}
		buf_init(&url, RF_URL_INPUT_MAX_BYTES);
		if (h->robots_next) {
			buf_addstr(&url, h->robots_next);
		} else {
			buf_addstr(&url, h->name);
			buf_addstr(&url, "/robots.txt");
			h->robots_hops = 0;
		}
		start_robots(c, h, url.data, h->robots_hops);
		buf_release(&url);
		return true;
	}
	if (h->robots_state != ROBOTS_READY)
		return false;
	for (;;) {
		if (frontier_next(c->fr, h->name, wall, &u, &found,
				  &next_due) != RF_OK) {
			db_failed(c, "cannot read the frontier");
			return false;
		}
		if (!found) {
			h->has_work = next_due > 0;
			h->due = next_due;
			return false;
		}
		if (h->robots &&
		    !robots_allowed(h->robots, CRAWL_ROBOTS_AGENT,
				    h->is_file ? u.url + strlen(h->name) - 1 :
						 url_path(u.url))) {
			struct frontier_result fr;

			memset(&fr, 0, sizeof(fr));
			fr.state = FRONTIER_BLOCKED;
			fr.error = "disallowed by robots.txt";
			fr.next_fetch = recrawl_at(h, wall);
			h->st.robots_blocked++;
			msg(c, CRAWL_MSG_DEBUG, "'%s': disallowed by "
			    "robots.txt", u.url);
			if (url_done(c, u.id, &fr) != RF_OK)
				db_failed(c, "cannot record a page");
			frontier_url_release(&u);
			if (c->failed || ++skipped >= BLOCKED_PER_STEP)
				return false;
			continue;
		}
		break;
	}
	if (h->is_file) {
		file_page(c, h, &u);
		frontier_url_release(&u);
		return true;
	}
	x = xcalloc(1, sizeof(*x));
	x->u = u;
	if (!xfer_start(c, h, x)) {
		xfer_free(x);
		h->done_for_run = true;
		return false;
	}
	return true;
}

/*
 * Starts what may start. Returns whether anything is left to wait for
 * (a transfer in flight or a host with work later); *wait_ms says how long
 * until the next host is ready.
 */
static bool
schedule(struct crawl *c, long *wait_ms)
{
	double mono = now_mono(), wall = now_wall(), soonest = INFINITY, t;
	bool pending = c->active > 0;
	size_t i;
	struct host *h;

	for (i = 0; i < c->nhosts && !c->failed; i++) {
		h = c->hosts[i];
		if (h->slot->busy || h->parked || h->done_for_run ||
		    !h->has_work)
			continue;
		if (!site_budget_left(c, h->site)) {
			if (!h->site->budget_hit)
				pending = true;	/* in flight elsewhere */
			continue;
		}
		if (h->due > wall + RF_CRAWL_RETRY_AFTER_MAX)
			continue;
		t = h->slot->ready_at - mono;
		if (h->due > wall && h->due - wall > t)
			t = h->due - wall;
		if (c->active >= RF_CRAWL_ACTIVE_MAX) {
			/* a transfer that ends wakes the poll */
			pending = true;
			continue;
		}
		if (t > 0) {
			pending = true;
			if (t < soonest)
				soonest = t;
			continue;
		}
		if (host_step(c, h, wall)) {
			pending = true;
			if (h->is_file)
				soonest = 0;
		} else if (h->has_work && !h->done_for_run) {
			/* its next URL is due later */
			pending = true;
			t = h->due - wall;
			if (t < soonest)
				soonest = t;
		}
	}
	if (soonest == INFINITY || soonest > LOOP_TICK_MS / 1000.0)
		*wait_ms = LOOP_TICK_MS;
	else
		*wait_ms = soonest > 0 ? (long)(soonest * 1000) + 1 : 0;
	return pending;
}

static void
abort_transfers(struct crawl *c)
{
	struct xfer *x;

	/* their URLs stay queued: the next run fetches them */
	while ((x = c->xfers)) {
		curl_multi_remove_handle(c->multi, x->easy);
		xfer_unlink(c, x);
		x->host->slot->busy = false;
		xfer_free(x);
	}
	c->active = 0;
}

/* ---- summary ---- */

static void
summary_fill(struct crawl *c, bool hosts)
{
	struct crawl_summary *s = c->sum;
	struct crawl_host_stats *d;
	struct host *h;
	size_t i;
	long active = 0;

	s->elapsed = c->elapsed_before + (now_mono() - c->mono_start);
	for (i = 0; i < c->nhosts; i++)
		if (c->hosts[i]->slot->busy)
			active++;
	if (active > c->active)
		active = c->active;
	s->active_hosts = active;
	s->queued = c->queued;
	if (!hosts)
		return;
	for (i = 0; i < s->nhosts; i++) {
		free(s->hosts[i].host);
		free(s->hosts[i].site);
		free(s->hosts[i].robots);
	}
	free(s->hosts);
	s->hosts = c->nhosts ? xcalloc(c->nhosts, sizeof(*s->hosts)) : NULL;
	s->nhosts = c->nhosts;
	s->parked_hosts = s->parked_urls = 0;
	for (i = 0; i < c->nhosts; i++) {
		h = c->hosts[i];
		d = &s->hosts[i];
		*d = h->st;
		d->host = xstrdup(h->st.host);
		d->site = xstrdup(h->st.site);
		d->robots = h->st.robots ? xstrdup(h->st.robots) : NULL;
		d->delay = h->delay;
		d->parked = h->parked || h->done_for_run;
		d->left = 0;
		/* what the run left behind on hosts it gave up */
		if (d->parked && !c->failed &&
		    frontier_host_queued(c->fr, h->name, &d->left) == RF_OK &&
		    d->left > 0) {
			s->parked_hosts++;
			s->parked_urls += d->left;
		}
	}
}

void
crawl_summary_stop(const struct crawl_summary *s, struct buf *out)
{
	buf_addstr(out, crawl_stop_name(s->stop));
	if (s->stop == CRAWL_STOP_PARKED)
		buf_addf(out, ": frontier exhausted but for %ld host%s with "
			 "%ld URL%s", s->parked_hosts,
			 s->parked_hosts == 1 ? "" : "s", s->parked_urls,
			 s->parked_urls == 1 ? "" : "s");
}

void
crawl_summary_release(struct crawl_summary *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nhosts; i++) {
		free(s->hosts[i].host);
		free(s->hosts[i].site);
		free(s->hosts[i].robots);
	}
	free(s->hosts);
	memset(s, 0, sizeof(*s));
}

void
crawl_summary_json(const struct crawl_summary *s, struct buf *out)
{
	struct json j;
	const struct crawl_host_stats *h;
	size_t i;

	json_init(&j, out);
	json_object_begin(&j);
	json_kv_int(&j, "schema", 1);
	json_kv_int(&j, "run", s->run);
	json_kv_bool(&j, "resumed", s->resumed);
	json_kv_string(&j, "stop", crawl_stop_name(s->stop));
	json_kv_double(&j, "elapsed", s->elapsed);
	json_kv_int(&j, "pages", s->pages);
	json_kv_int(&j, "errors", s->errors);
	json_kv_int(&j, "revisits", s->revisits);
	json_kv_int(&j, "queued", s->queued);
	json_kv_int(&j, "links_dropped", s->links_dropped);
	json_kv_int(&j, "parked_hosts", s->parked_hosts);
	json_kv_int(&j, "parked_urls", s->parked_urls);
	json_key(&j, "hosts");
	json_array_begin(&j);
	for (i = 0; i < s->nhosts; i++) {
		h = &s->hosts[i];
		json_object_begin(&j);
		json_kv_string(&j, "host", h->host);
		json_kv_string(&j, "site", h->site);
		json_kv_int(&j, "fetched", h->fetched);
		json_kv_int(&j, "not_modified", h->not_modified);
		json_kv_int(&j, "status_4xx", h->status_4xx);
		json_kv_int(&j, "status_429", h->status_429);
		json_kv_int(&j, "status_5xx", h->status_5xx);
		json_kv_int(&j, "robots_blocked", h->robots_blocked);
		json_kv_int(&j, "errors", h->errors);
		json_kv_int(&j, "truncated", h->truncated);
		json_kv_int(&j, "private_refused", h->private_refused);
		json_kv_double(&j, "delay", h->delay);
		json_key(&j, "crawl_delay");
		if (h->crawl_delay >= 0)
			json_double(&j, h->crawl_delay);
		else
			json_null(&j);
		json_kv_bool(&j, "crawl_delay_capped", h->crawl_delay_capped);
		json_kv_bool(&j, "parked", h->parked);
		json_kv_bool(&j, "tls_verify", h->tls_verify);
		json_kv_int(&j, "left", h->left);
		json_kv_string(&j, "robots", h->robots);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
}

/* ---- the run ---- */

static bool
sites_init(struct crawl *c)
{
	const struct crawl_job *job = c->job;
	struct site_rt *s;
	const struct crawl_site *cfg;
	size_t i, k;
	char *dom, *slash;
	static char default_ua[128];

	snprintf(default_ua, sizeof(default_ua),
		 "redflag/%s (job-ads safety research crawler; robots.txt "
		 "token: %s)", PACKAGE_VERSION, CRAWL_ROBOTS_AGENT);
	c->sites = xcalloc(job->nsites, sizeof(*c->sites));
	c->nsites = job->nsites;
	for (i = 0; i < job->nsites; i++) {
		s = &c->sites[i];
		cfg = &job->sites[i];
		s->cfg = cfg;
		s->user_agent = cfg->user_agent ? cfg->user_agent :
						  default_ua;
		if (!patterns_compile(c, &s->allow, cfg->allow, cfg->nallow) ||
		    !patterns_compile(c, &s->deny, cfg->deny, cfg->ndeny) ||
		    !patterns_compile(c, &s->listing, cfg->listing,
				      cfg->nlisting) ||
		    !patterns_compile(c, &s->index, cfg->index, cfg->nindex))
			return false;
		if (cfg->root)
			s->file_root = xstrdup(cfg->root);
		for (k = 0; k < cfg->nseeds; k++) {
			if (str_has_prefix(cfg->seeds[k], "file://")) {
				if (!s->file_root) {
					slash = strrchr(cfg->seeds[k], '/');
					s->file_root = xstrndup(
						cfg->seeds[k],
						(size_t)(slash - cfg->seeds[k] +
							 1));
				}
				continue;
			}
			dom = url_scope_domain(cfg->seeds[k]);
			if (!dom) {
				char *shown = url_redact(cfg->seeds[k]);

				msg(c, CRAWL_MSG_ERROR, "bad seed '%s'", shown);
				free(shown);
				return false;
			}
			s->domains = xreallocarray(s->domains,
						   s->ndomains + 1,
						   sizeof(*s->domains));
			s->domains[s->ndomains++] = dom;
		}
		if (s->file_root) {
			char *p = file_url_path(s->file_root);

			s->root_real = p ? realpath(p, NULL) : NULL;
			free(p);
			if (!s->root_real)
				msg(c, CRAWL_MSG_WARN, "site '%s': cannot read "
				    "the folder '%s'", cfg->name,
				    s->file_root);
		}
		if (cfg->ignore_robots)
			msg(c, CRAWL_MSG_WARN, "site '%s': robots.txt is "
			    "IGNORED (ignore_robots = yes in the job)",
			    cfg->name);
		if (cfg->tls_noverify)
			msg(c, CRAWL_MSG_WARN, "site '%s': TLS certificates "
			    "are NOT VERIFIED (tls_verify = no)",
			    cfg->name);
	}
	return true;
}

static void
sites_free(struct crawl *c)
{
	size_t i, k;
	struct site_rt *s;

	for (i = 0; i < c->nsites; i++) {
		s = &c->sites[i];
		patterns_free(&s->allow);
		patterns_free(&s->deny);
		patterns_free(&s->listing);
		patterns_free(&s->index);
		for (k = 0; k < s->ndomains; k++)
			free(s->domains[k]);
		free(s->domains);
		free(s->file_root);
		free(s->root_real);
		free(s->scope_origin);
		for (k = 0; k < s->nlogins; k++) {
			free(s->logins[k].origin);
			free(s->logins[k].user);
			free(s->logins[k].password);
		}
		free(s->logins);
	}
	free(c->sites);
}

static void
host_loaded(const char *host, const char *site, double due, void *arg)
{
	struct crawl *c = arg;
	struct site_rt *s = site_by_name(c, site);
	struct host *h;

	if (!s)
		return;		/* a site no longer in the job */
	h = host_get(c, host, s);
	h->has_work = true;
	h->due = due;
}

/*
 * Puts seed in normal form in *out, without its credentials, which it
 * records as the site's login for the seed's origin (a later seed of the
 * same origin replaces them).
 */
static enum rf_err
seed_normalize(struct site_rt *s, const char *seed, char **out)
{
	static const struct url_norm_opts fopts = { .allow_file = true };
	char *rest = NULL, *user = NULL, *password = NULL, *origin;
	struct site_login *l;
	enum rf_err err;

	*out = NULL;
	err = url_split_credentials(seed, &rest, &user, &password);
	if (!err)
		err = url_normalize(rest, &fopts, out);
	if (err || !user || str_has_prefix(*out, "file://"))
		goto out;
	origin = url_origin(*out);
	l = login_of(s, origin);
	if (!l) {
		s->logins = xreallocarray(s->logins, s->nlogins + 1,
					  sizeof(*s->logins));
		l = &s->logins[s->nlogins++];
		l->origin = origin;
	} else {
		free(origin);
		free(l->user);
		free(l->password);
	}
	l->user = user;
	l->password = password;
	user = password = NULL;
out:
	free(rest);
	free(user);
	free(password);
	return err;
}

static bool
seeds_add(struct crawl *c)
{
	size_t i, k;
	struct site_rt *s;
	char *norm, *shown;

	for (i = 0; i < c->nsites; i++) {
		s = &c->sites[i];
		for (k = 0; k < s->cfg->nseeds; k++) {
			if (seed_normalize(s, s->cfg->seeds[k], &norm) !=
			    RF_OK) {
				shown = url_redact(s->cfg->seeds[k]);
				msg(c, CRAWL_MSG_ERROR, "bad seed '%s'", shown);
				free(shown);
				return false;
			}
			/* seeds are in scope by definition: only deny
			 * patterns and traps can drop one */
			enqueue(c, s, norm, 0, 0, 0,
				url_kind(c, s, norm, 0));
			free(norm);
		}
	}
	return !c->failed;
}

static enum rf_err
crawl_open(struct crawl *c, struct buf *err)
{
	enum rf_err e;
	int64_t run;
	long n;
	size_t i;

	e = frontier_open(c->job->db_path, &c->fr, err);
	if (e != RF_OK)
		return e;
	if (frontier_run_start(c->fr, now_wall(), &run, &c->sum->resumed) !=
	    RF_OK) {
		buf_addf(err, "database: %s", frontier_error(c->fr));
		return RF_EDB;
	}
	c->sum->run = run;
	c->elapsed_before = frontier_run_elapsed(c->fr);
	for (i = 0; i < c->nsites; i++) {
		if (frontier_run_count(c->fr, run, c->sites[i].cfg->name, &n) !=
		    RF_OK) {
			buf_addf(err, "database: %s", frontier_error(c->fr));
			return RF_EDB;
		}
		c->sites[i].fetched = n;
		if (frontier_requeue_due(c->fr, c->sites[i].cfg->name,
					 c->sites[i].cfg->recrawl,
					 now_wall()) != RF_OK) {
			buf_addf(err, "database: %s", frontier_error(c->fr));
			return RF_EDB;
		}
	}
	if (frontier_begin(c->fr) != RF_OK || !seeds_add(c) ||
	    frontier_commit(c->fr) != RF_OK) {
		buf_addf(err, "database: %s", frontier_error(c->fr));
		return RF_EDB;
	}
	if (frontier_queued(c->fr, &c->queued) != RF_OK ||
	    frontier_hosts(c->fr, host_loaded, c) != RF_OK) {
		buf_addf(err, "database: %s", frontier_error(c->fr));
		return RF_EDB;
	}
	return RF_OK;
}

static void
progress(struct crawl *c, double *last)
{
	double t = now_mono();

	if (!c->cb || !c->cb->progress || t - *last < 0.5)
		return;
	*last = t;
	summary_fill(c, false);
	c->cb->progress(c->sum, c->cb->arg);
}

enum rf_err
crawl_run(const struct crawl_job *job, const struct crawl_callbacks *cb,
	  struct crawl_summary *summary)
{
	struct crawl c;
	struct buf err, json;
	enum rf_err e = RF_OK;
	CURLMsg *m;
	int running, left;
	long wait_ms;
	double last_progress = 0, last_save = 0;
	size_t i;
	bool budget = false, pending;
	struct xfer *x;

	memset(summary, 0, sizeof(*summary));
	memset(&c, 0, sizeof(c));
	c.job = job;
	c.cb = cb;
	c.sum = summary;
	c.mono_start = now_mono();
	c.rng = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^
		0x9e3779b97f4a7c15ULL;
	c.hash_size = 64;
	c.hash = xcalloc(c.hash_size, sizeof(*c.hash));
	deferred_list_init(&c.waiting);
	deferred_list_init(&c.syncing);
	buf_init(&err, 4096);
	buf_init(&json, 0);
	if (crawl_job_check(job, &err) != RF_OK) {
		msg(&c, CRAWL_MSG_ERROR, "%s", err.data);
		e = RF_EINVAL;
		goto out;
	}
	c.md = pcre2_match_data_create(1, NULL);
	if (!sites_init(&c)) {
		e = RF_EINVAL;
		goto out;
	}
	e = crawl_open(&c, &err);
	if (e != RF_OK) {
		msg(&c, CRAWL_MSG_ERROR, "%s", err.data);
		goto out;
	}
	if (summary->resumed)
		msg(&c, CRAWL_MSG_INFO, "resuming run %lld",
		    (long long)summary->run);
	c.multi = curl_multi_init();
	if (!c.multi) {
		e = RF_ENOMEM;
		goto out;
	}
	/* no CURLMOPT_MAX_HOST_CONNECTIONS: the slots keep one request per
	 * host, and behind one proxy (Tor) every site would share one */
	for (;;) {
		if ((cb && cb->stop && *cb->stop) || c.stop_requested) {
			summary->stop = CRAWL_STOP_INTERRUPTED;
			break;
		}
		/* the transfers that ended (what they leave to the state
		 * waits for their WARC records: the group commit), the ops
		 * whose records are durable now, committed, then the
		 * transfers that may start; the transaction stays open
		 * from one turn to the next */
		if (frontier_begin(c.fr) != RF_OK) {
			db_failed(&c, "cannot begin a transaction");
			break;
		}
		while (!c.failed &&
		       (m = curl_multi_info_read(c.multi, &left))) {
			if (m->msg != CURLMSG_DONE)
				continue;
			x = NULL;
			curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE,
					  (char **)&x);
			xfer_done(&c, x, m->data.result);
		}
		if (!c.failed)
			group_commit_step(&c, false);
		if (!c.failed && now_mono() - last_save >= 1.0) {
			last_save = now_mono();
			if (frontier_run_progress(c.fr, c.elapsed_before +
							      (last_save -
							       c.mono_start)) !=
			    RF_OK)
				db_failed(&c, "cannot save progress");
		}
		if (c.failed)
			break;
		pending = schedule(&c, &wait_ms);
		if (c.failed)
			break;
		/* the rest (links found, URLs robots.txt blocks, progress)
		 * goes with the next group of pages, or after a second; it
		 * names no record */
		if (now_mono() - c.last_commit >= 1.0) {
			if (frontier_commit(c.fr) != RF_OK) {
				db_failed(&c, "cannot commit");
				break;
			}
			c.last_commit = now_mono();
		}
		if (c.sync_running || c.waiting.head)
			pending = true;
		if (!pending && c.active == 0)
			break;
		progress(&c, &last_progress);
		if (c.active > 0 || wait_ms > 0)
			curl_multi_poll(c.multi, NULL, 0, (int)wait_ms, NULL);
		curl_multi_perform(c.multi, &running);
	}
	if (c.multi)
		abort_transfers(&c);
	for (i = 0; i < c.nsites; i++) {
		site_budget_left(&c, &c.sites[i]);
		if (c.sites[i].budget_hit)
			budget = true;
	}
	if (summary->stop != CRAWL_STOP_INTERRUPTED && budget)
		summary->stop = CRAWL_STOP_BUDGET;
	summary_fill(&c, true);
	if (summary->stop == CRAWL_STOP_EXHAUSTED && summary->parked_hosts)
		summary->stop = CRAWL_STOP_PARKED;
	if (c.failed) {
		e = c.err;
		goto out;
	}
	crawl_summary_json(summary, &json);
	buf_reset(&err);
	crawl_summary_stop(summary, &err);
	if (frontier_begin(c.fr) != RF_OK) {
		db_failed(&c, "cannot finish the run");
		e = RF_EDB;
		goto out;
	}
	/* the pages whose records were written: a stop repeats none */
	group_commit_drain(&c);
	if (c.failed) {
		e = c.err;
		goto out;
	}
	if (frontier_run_progress(c.fr, summary->elapsed) != RF_OK ||
	    frontier_run_finish(c.fr, now_wall(), err.data, json.data,
				summary->stop != CRAWL_STOP_INTERRUPTED) !=
		    RF_OK) {
		db_failed(&c, "cannot finish the run");
		e = RF_EDB;
	} else if (!state_commit(&c)) {
		e = c.err;
	}
out:
	if (c.warc && warc_writer_close(c.warc) != RF_OK && e == RF_OK) {
		msg(&c, CRAWL_MSG_ERROR, "cannot close the WARC file in '%s'",
		    job->warc_dir);
		e = RF_EIO;
	}
	if (c.multi)
		curl_multi_cleanup(c.multi);
	/* ops not applied: their pages are fetched again next time */
	deferred_list_free(&c.waiting);
	deferred_list_free(&c.syncing);
	frontier_close(c.fr);
	for (i = 0; i < c.nhosts; i++)
		host_free(c.hosts[i]);
	free(c.hosts);
	while (c.slots) {
		struct slot *next = c.slots->next;

		free(c.slots->name);
		free(c.slots);
		c.slots = next;
	}
	free(c.hash);
	if (c.sites)
		sites_free(&c);
	pcre2_match_data_free(c.md);
	buf_release(&err);
	buf_release(&json);
	return e;
}
