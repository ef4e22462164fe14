/* store.c: the store's front: backends by name, argument checks and caps. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "store/store-int.h"
#include "store/store.h"
#include "common/banned.h"

/* Messages are short: what failed and the backend's reason. */
#define STORE_ERRMSG_MAX ((size_t)4096)

static const struct store_ops *const backends[] = {
	&store_sqlite_ops,
};

static const char *const run_status_names[] = {
	[STORE_RUN_RUNNING] = "running",
	[STORE_RUN_FINISHED] = "finished",
	[STORE_RUN_FAILED] = "failed",
	[STORE_RUN_INTERRUPTED] = "interrupted",
};

static const char *const change_names[] = {
	[STORE_NEW] = "new",
	[STORE_CHANGED] = "changed",
	[STORE_UNCHANGED] = "unchanged",
	[STORE_REMOVED] = "removed",
};

static const char *const contact_type_names[] = {
	[STORE_CONTACT_PHONE] = "phone",
	[STORE_CONTACT_HANDLE] = "handle",
	[STORE_CONTACT_EMAIL] = "email",
	[STORE_CONTACT_LINK] = "link",
};

const char *
store_run_status_name(enum store_run_status st)
{
	if ((unsigned)st >= RF_ARRAY_SIZE(run_status_names))
		return "unknown";
	return run_status_names[st];
}

const char *
store_change_name(enum store_change c)
{
	if ((unsigned)c >= RF_ARRAY_SIZE(change_names))
		return "unknown";
	return change_names[c];
}

const char *
store_contact_type_name(enum store_contact_type t)
{
	if ((unsigned)t >= RF_ARRAY_SIZE(contact_type_names))
		return "unknown";
	return contact_type_names[t];
}

/* ---- results ---- */

const char *
store_strings_add(struct store_strings *strs, const char *p, size_t len)
{
	char *copy;

	if (!p)
		return NULL;
	copy = xmemdupz(p, len);
	ALLOC_GROW(strs->v, strs->n + 1, strs->alloc);
	strs->v[strs->n++] = copy;
	return copy;
}

void
store_strings_release(struct store_strings *strs)
{
	size_t i;

	for (i = 0; i < strs->n; i++)
		free(strs->v[i]);
	free(strs->v);
	strs->v = NULL;
	strs->n = strs->alloc = 0;
}

void
store_run_init(struct store_run *r)
{
	memset(r, 0, sizeof(*r));
}

void
store_run_release(struct store_run *r)
{
	store_strings_release(&r->strings_);
	store_run_init(r);
}

/* The list types share their layout of items, n, alloc and strings_. */
#define LIST_FUNCTIONS(type, item)                                        \
	void type##_init(struct type *l)                                  \
	{                                                                 \
		memset(l, 0, sizeof(*l));                                 \
	}                                                                 \
	void type##_release(struct type *l)                               \
	{                                                                 \
		store_strings_release(&l->strings_);                      \
		free(l->items);                                           \
		type##_init(l);                                           \
	}                                                                 \
	struct item *type##_push(struct type *l)                          \
	{                                                                 \
		ALLOC_GROW(l->items, l->n + 1, l->alloc);                 \
		memset(&l->items[l->n], 0, sizeof(l->items[0]));          \
		return &l->items[l->n++];                                 \
	}

LIST_FUNCTIONS(store_listing_list, store_listing)
LIST_FUNCTIONS(store_version_list, store_version)
LIST_FUNCTIONS(store_finding_list, store_finding)
LIST_FUNCTIONS(store_site_stats_list, store_site_stats)

void
store_cluster_list_init(struct store_cluster_list *l)
{
	memset(l, 0, sizeof(*l));
	store_listing_list_init(&l->listings_);
}

void
store_cluster_list_release(struct store_cluster_list *l)
{
	free(l->items);
	store_listing_list_release(&l->listings_);
	store_cluster_list_init(l);
}

/* ---- handles ---- */

void
store_base_init(struct store *s, const struct store_ops *ops)
{
	s->ops = ops;
	buf_init(&s->errmsg, STORE_ERRMSG_MAX);
}

void
store_base_release(struct store *s)
{
	buf_release(&s->errmsg);
}

enum rf_err
store_fail(struct store *s, enum rf_err err, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&s->errmsg);
	va_start(ap, fmt);
	/* a message cut by the cap is still worth keeping */
	(void)buf_vaddf(&s->errmsg, fmt, ap);
	va_end(ap);
	return err;
}

/* A handle that only carries a message, for failures before a backend. */
static struct store *
store_new_failed(void)
{
	struct store *s = xcalloc(1, sizeof(*s));

	store_base_init(s, NULL);
	return s;
}

enum rf_err
store_open_backend(const char *backend, const char *path, unsigned flags,
		   struct store **out)
{
	const struct store_ops *ops = NULL;
	enum rf_err err;
	size_t i;

	*out = NULL;
	for (i = 0; backend && i < RF_ARRAY_SIZE(backends); i++)
		if (strcmp(backends[i]->name, backend) == 0)
			ops = backends[i];
	if (!ops) {
		*out = store_new_failed();
		return store_fail(*out, RF_EUNSUPPORTED,
				  "unknown store backend '%s'",
				  backend ? backend : "(null)");
	}
	if (!path || !*path) {
		*out = store_new_failed();
		return store_fail(*out, RF_EINVAL, "no database given");
	}
	if ((flags & ~(STORE_CREATE | STORE_READONLY)) ||
	    (flags & STORE_CREATE && flags & STORE_READONLY)) {
		*out = store_new_failed();
		return store_fail(*out, RF_EINVAL, "bad flags opening '%s'",
				  path);
	}
	err = ops->open(path, flags, out);
	(*out)->open = err == RF_OK;
	return err;
}

enum rf_err
store_open(const char *path, unsigned flags, struct store **out)
{
	return store_open_backend("sqlite", path, flags, out);
}

void
store_close(struct store *s)
{
	if (!s)
		return;
	if (s->ops) {
		s->ops->close(s);
		return;
	}
	store_base_release(s);
	free(s);
}

const char *
store_errmsg(const struct store *s)
{
	if (!s)
		return "no store";
	return s->errmsg.data;
}

const char *
store_backend_name(const struct store *s)
{
	return s && s->ops ? s->ops->name : "none";
}

/* ---- argument checks ---- */

/* Starts every call on s: clears the message, refuses a failed handle. */
static enum rf_err
enter(struct store *s)
{
	if (!s)
		return RF_EINVAL;
	buf_reset(&s->errmsg);
	if (!s->open)
		return store_fail(s, RF_EINVAL, "store is not open");
	return RF_OK;
}

/*
 * The checks of one call's arguments. The first failure sticks (as in a
 * struct buf) and later checks do nothing, so a call checks everything
 * and looks at err once; copies of cut strings live in strs.
 */
struct check {
	struct store *s;
	enum rf_err err;
	struct store_strings strs;
};

static void
check_init(struct check *ck, struct store *s)
{
	memset(ck, 0, sizeof(*ck));
	ck->s = s;
}

static void
check_release(struct check *ck)
{
	store_strings_release(&ck->strs);
}

static void
check_id(struct check *ck, const char *what, int64_t id, bool required)
{
	if (ck->err || (id == 0 && !required))
		return;
	if (id <= 0)
		ck->err = store_fail(ck->s, RF_EINVAL, "bad %s id %lld", what,
				     (long long)id);
}

/* Fills in "now" for a time of 0; refuses times before 1970. */
static void
check_time(struct check *ck, const char *what, int64_t *t)
{
	if (ck->err)
		return;
	if (*t == 0)
		*t = (int64_t)time(NULL);
	if (*t < 0)
		ck->err = store_fail(ck->s, RF_EINVAL, "bad %s time %lld",
				     what, (long long)*t);
}

/* An identifier: refused when missing (if required), too long or bad. */
static void
check_name(struct check *ck, const char *what, const char *v, size_t max,
	   bool required)
{
	size_t len;

	if (ck->err)
		return;
	if (!v || !*v) {
		if (required)
			ck->err = store_fail(ck->s, RF_EINVAL, "%s is missing",
					     what);
		return;
	}
	len = strlen(v);
	if (len > max)
		ck->err = store_fail(ck->s, RF_ETOOBIG,
				     "%s is longer than %zu bytes", what, max);
	else if (!utf8_valid(v, len, NULL))
		ck->err = store_fail(ck->s, RF_EUTF8,
				     "%s is not valid UTF-8", what);
}

/* Display text: *v stays, or becomes a copy cut to max bytes. */
static void
check_text(struct check *ck, const char *what, const char **v, size_t max)
{
	size_t len, keep;

	if (ck->err || !*v)
		return;
	len = strlen(*v);
	keep = len > max ? utf8_prefix(*v, len, max) : len;
	if (!utf8_valid(*v, keep, NULL))
		ck->err = store_fail(ck->s, RF_EUTF8,
				     "%s is not valid UTF-8", what);
	else if (keep < len)
		*v = store_strings_add(&ck->strs, *v, keep);
}

/* A SHA-256 in hex: *v stays, or becomes a lower-case copy; "" is NULL. */
static void
check_sha256(struct check *ck, const char *what, const char **v,
	     bool required)
{
	const char *p = *v;
	bool upper = false;
	char lower[64];
	size_t i;

	if (ck->err)
		return;
	if (!p || !*p) {
		*v = NULL;
		if (required)
			ck->err = store_fail(ck->s, RF_EINVAL, "%s is missing",
					     what);
		return;
	}
	for (i = 0; i < 64 && p[i]; i++) {
		if (p[i] >= 'A' && p[i] <= 'F')
			upper = true;
		else if (!((p[i] >= '0' && p[i] <= '9') ||
			   (p[i] >= 'a' && p[i] <= 'f')))
			break;
	}
	if (i != 64 || p[i]) {
		ck->err = store_fail(ck->s, RF_EINVAL,
				     "%s is not 64 hexadecimal digits", what);
		return;
	}
	if (!upper)
		return;
	for (i = 0; i < 64; i++) {
		lower[i] = p[i];
		if (p[i] >= 'A' && p[i] <= 'F')
			lower[i] = (char)(p[i] - 'A' + 'a');
	}
	*v = store_strings_add(&ck->strs, lower, 64);
}

static void
check_level(struct check *ck, enum store_level level)
{
	if (!ck->err && (unsigned)level > STORE_LEVEL_HIGH)
		ck->err = store_fail(ck->s, RF_EINVAL, "bad level %d",
				     (int)level);
}

/* Fails the check with a message when bad holds. ck->err is set apart
 * from store_fail(): clang's analyzer does not follow a variadic call's
 * result, and then believes the callers' NULL checks can pass. */
static void
check_that(struct check *ck, bool good, const char *msg)
{
	if (!ck->err && !good) {
		(void)store_fail(ck->s, RF_EINVAL, "%s", msg);
		ck->err = RF_EINVAL;
	}
}

/* ---- batches ---- */

enum rf_err
store_begin(struct store *s)
{
	enum rf_err err = enter(s);

	return err ? err : s->ops->begin(s);
}

enum rf_err
store_commit(struct store *s)
{
	enum rf_err err = enter(s);

	return err ? err : s->ops->commit(s);
}

enum rf_err
store_rollback(struct store *s)
{
	enum rf_err err = enter(s);

	return err ? err : s->ops->rollback(s);
}


/* ---- runs ---- */

enum rf_err
store_run_begin(struct store *s, const struct store_run_start *start,
		int64_t *run_id)
{
	struct store_run_start st;
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (!start || !run_id)
		return store_fail(s, RF_EINVAL, "no run given");
	st = *start;
	check_init(&ck, s);
	check_name(&ck, "job", st.job, RF_STORE_NAME_MAX, true);
	check_name(&ck, "rules version", st.rules_version, RF_STORE_NAME_MAX,
		   false);
	check_name(&ck, "rules hash", st.rules_hash, RF_STORE_NAME_MAX, false);
	check_time(&ck, "start", &st.started_at);
	err = ck.err ? ck.err : s->ops->run_begin(s, &st, run_id);
	check_release(&ck);
	return err;
}

enum rf_err
store_run_finish(struct store *s, int64_t run_id,
		 const struct store_run_end *end)
{
	struct store_run_end e;
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (!end)
		return store_fail(s, RF_EINVAL, "no run end given");
	e = *end;
	check_init(&ck, s);
	check_id(&ck, "run", run_id, true);
	check_level(&ck, e.alert_level);
	check_time(&ck, "finish", &e.finished_at);
	check_that(&ck,
		   e.status == STORE_RUN_FINISHED ||
			   e.status == STORE_RUN_FAILED ||
			   e.status == STORE_RUN_INTERRUPTED,
		   "bad final run status");
	check_text(&ck, "stop reason", &e.stop_reason, RF_STORE_FIELD_MAX);
	err = ck.err ? ck.err : s->ops->run_finish(s, run_id, &e);
	check_release(&ck);
	return err;
}

enum rf_err
store_runs_interrupt(struct store *s, const char *job,
		     enum store_level alert_level, size_t *n)
{
	struct check ck;
	size_t dummy;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_name(&ck, "job", job, RF_STORE_NAME_MAX, true);
	check_level(&ck, alert_level);
	err = ck.err ? ck.err :
		       s->ops->runs_interrupt(s, job, alert_level,
					      n ? n : &dummy);
	check_release(&ck);
	return err;
}

enum rf_err
store_run_get(struct store *s, int64_t run_id, struct store_run *out)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_id(&ck, "run", run_id, true);
	err = ck.err ? ck.err : s->ops->run_get(s, run_id, out);
	check_release(&ck);
	return err;
}

enum rf_err
store_run_previous(struct store *s, const char *job, int64_t before_run,
		   struct store_run *out)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_name(&ck, "job", job, RF_STORE_NAME_MAX, true);
	check_id(&ck, "run", before_run, false);
	err = ck.err ? ck.err : s->ops->run_previous(s, job, before_run, out);
	check_release(&ck);
	return err;
}

/* ---- pages ---- */

enum rf_err
store_page_add(struct store *s, int64_t run_id, const struct store_page *p,
	       int64_t *page_id)
{
	struct store_page pg;
	struct check ck;
	int64_t dummy;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (!p)
		return store_fail(s, RF_EINVAL, "no page given");
	pg = *p;
	check_init(&ck, s);
	check_id(&ck, "run", run_id, true);
	check_name(&ck, "page URL", pg.url, RF_URL_INPUT_MAX_BYTES, true);
	check_name(&ck, "site", pg.site, RF_STORE_NAME_MAX, true);
	check_time(&ck, "fetch", &pg.fetched_at);
	check_that(&ck, pg.http_status >= 0 && pg.http_status <= 999,
		   "bad HTTP status");
	check_sha256(&ck, "payload SHA-256", &pg.payload_sha256, false);
	check_name(&ck, "WARC file", pg.warc_file, RF_STORE_PATH_MAX, false);
	check_that(&ck, pg.warc_offset >= 0, "bad WARC offset");
	check_name(&ck, "WARC record id", pg.warc_record_id,
		   RF_STORE_NAME_MAX, false);
	check_text(&ck, "content type", &pg.content_type, RF_STORE_FIELD_MAX);
	err = ck.err ? ck.err :
		       s->ops->page_add(s, run_id, &pg,
					page_id ? page_id : &dummy);
	check_release(&ck);
	return err;
}

enum rf_err
store_pages_foreach(struct store *s, int64_t run_id, store_page_fn fn,
		    void *arg)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, fn != NULL, "no callback given");
	check_id(&ck, "run", run_id, true);
	err = ck.err ? ck.err : s->ops->pages_foreach(s, run_id, fn, arg);
	check_release(&ck);
	return err;
}

enum rf_err
store_page_last(struct store *s, const char *url, store_page_fn fn, void *arg)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, fn != NULL, "no callback given");
	check_name(&ck, "page URL", url, RF_URL_INPUT_MAX_BYTES, true);
	err = ck.err ? ck.err : s->ops->page_last(s, url, fn, arg);
	check_release(&ck);
	return err;
}

/* ---- listings ---- */

/* Checks and caps the n findings at in into *out, a new array or NULL. */
static void
check_findings(struct check *ck, const struct store_finding *in, size_t n,
	       struct store_finding **out, size_t *nout)
{
	struct store_finding *f;
	size_t i;

	*out = NULL;
	*nout = 0;
	if (ck->err || n == 0)
		return;
	check_that(ck, in != NULL, "findings are missing");
	if (ck->err)
		return;
	if (n > RF_STORE_FINDINGS_MAX)
		n = RF_STORE_FINDINGS_MAX;
	*out = f = xreallocarray(NULL, n, sizeof(*f));
	for (i = 0; i < n && !ck->err; i++) {
		f[i] = in[i];
		f[i].run_id = 0;
		check_name(ck, "rule id", f[i].rule_id, RF_STORE_NAME_MAX,
			   true);
		check_name(ck, "rule version", f[i].rule_version,
			   RF_STORE_NAME_MAX, false);
		check_name(ck, "indicator", f[i].indicator, RF_STORE_NAME_MAX,
			   false);
		check_name(ck, "finding field", f[i].field, RF_STORE_NAME_MAX,
			   false);
		check_text(ck, "matched text", &f[i].text, RF_HIT_TEXT_MAX);
		check_that(ck,
			   f[i].start <= f[i].end &&
				   f[i].end <= (size_t)INT64_MAX,
			   "bad offsets of a finding");
	}
	*nout = n;
}

/* Checks the contacts of in into *out, a new array or NULL, dropping
 * over-long ones and those past the cap. */
static void
check_contacts(struct check *ck, const struct store_sighting *in,
	       struct store_contact **out, size_t *nout)
{
	struct store_contact *c;
	size_t i, n = 0;

	*out = NULL;
	*nout = 0;
	if (ck->err || in->ncontacts == 0)
		return;
	check_that(ck, in->contacts != NULL, "contacts are missing");
	if (ck->err)
		return;
	n = in->ncontacts < RF_STORE_CONTACTS_MAX ? in->ncontacts :
						    RF_STORE_CONTACTS_MAX;
	*out = c = xreallocarray(NULL, n, sizeof(*c));
	n = 0;
	for (i = 0; i < in->ncontacts && n < RF_STORE_CONTACTS_MAX; i++) {
		const struct store_contact *ci = &in->contacts[i];

		check_that(ck, (unsigned)ci->type < STORE_CONTACT_MAX,
			   "bad contact type");
		check_name(ck, "contact", ci->value, SIZE_MAX, true);
		if (ck->err)
			return;
		if (strlen(ci->value) > RF_STORE_CONTACT_MAX)
			continue;
		c[n++] = *ci;
	}
	*nout = n;
}

enum rf_err
store_listing_upsert(struct store *s, int64_t run_id,
		     const struct store_sighting *in, struct store_upsert *res)
{
	struct store_finding *findings = NULL;
	struct store_contact *contacts = NULL;
	struct store_sighting c;
	struct store_upsert dummy;
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (!in)
		return store_fail(s, RF_EINVAL, "no listing given");
	c = *in;
	check_init(&ck, s);
	check_id(&ck, "run", run_id, true);
	check_name(&ck, "listing URL", c.url, RF_URL_INPUT_MAX_BYTES, true);
	check_name(&ck, "site", c.site, RF_STORE_NAME_MAX, true);
	check_time(&ck, "seen", &c.seen_at);
	check_id(&ck, "page", c.page_id, false);
	check_sha256(&ck, "payload SHA-256", &c.payload_sha256, true);
	check_name(&ck, "language", c.lang, RF_STORE_NAME_MAX, false);
	check_level(&ck, c.level);
	check_text(&ck, "title", &c.title, RF_STORE_TITLE_MAX);
	check_text(&ck, "salary", &c.salary, RF_STORE_FIELD_MAX);
	check_text(&ck, "location", &c.location, RF_STORE_FIELD_MAX);
	check_text(&ck, "employer", &c.employer, RF_STORE_FIELD_MAX);
	check_text(&ck, "posted date", &c.posted, RF_STORE_FIELD_MAX);
	check_text(&ck, "text", &c.text, RF_STORE_TEXT_MAX);
	check_findings(&ck, in->findings, in->nfindings, &findings,
		       &c.nfindings);
	check_contacts(&ck, in, &contacts, &c.ncontacts);
	c.findings = findings;
	c.contacts = contacts;
	err = ck.err ? ck.err :
		       s->ops->listing_upsert(s, run_id, &c,
					      res ? res : &dummy);
	free(findings);
	free(contacts);
	check_release(&ck);
	return err;
}

enum rf_err
store_verdict_set(struct store *s, int64_t run_id, int64_t version_id,
		  const struct store_finding *f, size_t n, int score,
		  enum store_level level)
{
	struct store_finding *findings = NULL;
	struct check ck;
	enum rf_err err;
	size_t nf = 0;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_id(&ck, "run", run_id, true);
	check_id(&ck, "version", version_id, true);
	check_level(&ck, level);
	check_that(&ck, score >= 0, "bad score");
	check_that(&ck, f || n == 0, "findings are missing");
	check_findings(&ck, f, n, &findings, &nf);
	err = ck.err ? ck.err :
		       s->ops->verdict_set(s, run_id, version_id, f != NULL,
					   findings, nf, score, level);
	free(findings);
	check_release(&ck);
	return err;
}

enum rf_err
store_mark_removed(struct store *s, int64_t run_id, const char *const *sites,
		   size_t nsites, size_t *n)
{
	struct check ck;
	size_t dummy, i;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (!n)
		n = &dummy;
	*n = 0;
	check_init(&ck, s);
	check_id(&ck, "run", run_id, true);
	check_that(&ck, sites != NULL || nsites == 0, "sites are missing");
	for (i = 0; i < nsites && !ck.err; i++)
		check_name(&ck, "site", sites[i], RF_STORE_NAME_MAX, true);
	err = ck.err;
	if (!err && nsites > 0)
		err = s->ops->mark_removed(s, run_id, sites, nsites, n);
	check_release(&ck);
	return err;
}

enum rf_err
store_site_stats_add(struct store *s, int64_t run_id, const char *site,
		     const struct store_site_counts *c)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (!c)
		return store_fail(s, RF_EINVAL, "no counts given");
	check_init(&ck, s);
	check_id(&ck, "run", run_id, true);
	check_name(&ck, "site", site, RF_STORE_NAME_MAX, true);
	check_that(&ck,
		   c->pages_fetched >= 0 && c->pages_blocked >= 0 &&
			   c->errors >= 0 && c->listings_extracted >= 0,
		   "negative site count");
	err = ck.err ? ck.err : s->ops->site_stats_add(s, run_id, site, c);
	check_release(&ck);
	return err;
}

/* ---- queries ---- */

enum rf_err
store_listings(struct store *s, int64_t run_id, unsigned which,
	       enum store_level min_level, struct store_listing_list *out)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_id(&ck, "run", run_id, true);
	check_level(&ck, min_level);
	check_that(&ck, (which & ~STORE_SEL_ALL) == 0, "bad selection");
	err = ck.err;
	if (!err && which != 0)
		err = s->ops->listings(s, run_id, which, min_level, out);
	check_release(&ck);
	return err;
}

enum rf_err
store_history(struct store *s, int64_t listing_id,
	      struct store_version_list *out)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_id(&ck, "listing", listing_id, true);
	err = ck.err ? ck.err : s->ops->history(s, listing_id, out);
	check_release(&ck);
	return err;
}

enum rf_err
store_findings(struct store *s, int64_t version_id, int64_t run_id,
	       struct store_finding_list *out)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_id(&ck, "version", version_id, true);
	check_id(&ck, "run", run_id, false);
	err = ck.err ? ck.err : s->ops->findings(s, version_id, run_id, out);
	check_release(&ck);
	return err;
}

enum rf_err
store_clusters(struct store *s, int64_t run_id, size_t min_listings,
	       struct store_cluster_list *out)
{
	struct check ck;
	enum rf_err err;
	size_t i;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_id(&ck, "run", run_id, false);
	err = ck.err;
	check_release(&ck);
	if (err)
		return err;
	if (min_listings == 0)
		min_listings = 1;
	err = s->ops->clusters(s, run_id, min_listings, out);
	/* the listings array stops moving only now */
	for (i = 0; i < out->n; i++)
		out->items[i].listings =
			out->items[i].nlistings ?
				&out->listings_.items[out->items[i].first_] :
				NULL;
	return err;
}

enum rf_err
store_site_stats(struct store *s, const char *job, size_t last_runs,
		 struct store_site_stats_list *out)
{
	struct check ck;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	check_init(&ck, s);
	check_that(&ck, out != NULL, "no result given");
	check_name(&ck, "job", job, RF_STORE_NAME_MAX, true);
	err = ck.err;
	if (!err && last_runs > 0)
		err = s->ops->site_stats(s, job, last_runs, out);
	check_release(&ck);
	return err;
}

/* ---- retention ---- */

enum rf_err
store_purge(struct store *s, int older_than_days, size_t *n)
{
	int64_t now = (int64_t)time(NULL);
	size_t dummy;
	enum rf_err err;

	if ((err = enter(s)) != RF_OK)
		return err;
	if (older_than_days < 0)
		return store_fail(s, RF_EINVAL, "bad retention of %d days",
				  older_than_days);
	return s->ops->purge(s, now - (int64_t)older_than_days * 86400, now,
			     n ? n : &dummy);
}
