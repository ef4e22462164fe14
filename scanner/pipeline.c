/* pipeline.c: a page through extract, scan and store. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/encode.h"
#include "common/limits.h"
#include "common/sha256.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "scanner/charset.h"
#include "scanner/output.h"
#include "scanner/pipeline.h"
#include "common/banned.h"

struct pipeline {
	struct pipeline_opts opts;
	struct matcher *m;
	struct scan_result res;
};

void
page_out_init(struct page_out *o)
{
	memset(o, 0, sizeof(*o));
	buf_init(&o->result, 0);
}

void
page_out_release(struct page_out *o)
{
	buf_release(&o->result);
	memset(o, 0, sizeof(*o));
}

struct pipeline *
pipeline_new(const struct pipeline_opts *opts)
{
	struct pipeline *p = xcalloc(1, sizeof(*p));

	p->opts = *opts;
	p->m = matcher_new(opts->rs);
	scan_result_init(&p->res);
	return p;
}

void
pipeline_free(struct pipeline *p)
{
	if (!p)
		return;
	matcher_free(p->m);
	scan_result_release(&p->res);
	free(p);
}

static enum store_contact_type
contact_type(enum entity_kind k)
{
	switch (k) {
	case ENTITY_PHONE: return STORE_CONTACT_PHONE;
	case ENTITY_HANDLE: return STORE_CONTACT_HANDLE;
	case ENTITY_EMAIL: return STORE_CONTACT_EMAIL;
	case ENTITY_LINK: return STORE_CONTACT_LINK;
	default: return STORE_CONTACT_MAX;
	}
}

struct first_doc {
	struct pipeline *p;
	const struct page_in *pg;
	struct page_out *out;
	enum rf_err err;
	bool done;
};

/* Scans and stores the page's document (the first, for a feed). */
static bool
has_contact(const struct store_contact *c, size_t n,
	    enum store_contact_type t, const char *v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].type == t && strcmp(c[i].value, v) == 0)
			return true;
	return false;
}

static void
store_doc(struct document *d, void *arg)
{
	struct first_doc *fd = arg;
	struct pipeline *p = fd->p;
	struct page_out *out = fd->out;
	struct scan_input in;
	struct store_sighting s;
	struct store_finding *f = NULL;
	struct store_contact *c = NULL;
	struct store_upsert up;
	unsigned char digest[SHA256_DIGEST_LEN];
	char sha[2 * SHA256_DIGEST_LEN + 1];
	size_t i, nc = 0, nh = 0;
	char **handles = NULL;
	bool scored = d->status == DOC_OK || d->status == DOC_TRUNCATED;

	if (fd->done)
		return;
	fd->done = true;
	out->status = d->status;
	if (!scored)
		return;
	document_scan_input(d, &in);
	matcher_scan(p->m, &in, &p->res);
	out->score = p->res.score;
	out->level = p->res.level;
	output_json_document(&out->result, d, &p->res, &in, false, 0);

	sha256_digest(fd->pg->body, fd->pg->len, digest);
	encode_hex(digest, sizeof(digest), sha);
	f = xcalloc(p->res.nhits + 1, sizeof(*f));
	for (i = 0; i < p->res.nhits; i++) {
		const struct hit *h = &p->res.hits[i];

		f[i].rule_id = rule_id(h->rule);
		f[i].rule_version = rule_version(h->rule);
		f[i].indicator = rule_indicator(h->rule);
		f[i].weight = rule_weight(h->rule);
		f[i].field = rule_field_name(h->field);
		f[i].start = h->start;
		f[i].end = h->end;
		/* the text as written: the store caps it */
		f[i].text = xmemdupz(in.text[h->field] + h->start,
				     h->end - h->start);
	}
	c = xcalloc(2 * d->contacts.n + 1, sizeof(*c));
	handles = xcalloc(d->contacts.n + 1, sizeof(*handles));
	for (i = 0; i < d->contacts.n; i++) {
		const char *v = d->contacts.items[i].value;
		enum store_contact_type t =
			contact_type(d->contacts.items[i].kind);

		if (t == STORE_CONTACT_MAX || has_contact(c, nc, t, v))
			continue;
		c[nc].type = t;
		c[nc].value = v;
		nc++;
		/* t.me/name is the Telegram handle @name: one contact for
		 * the clusters whichever way an ad writes it (not invite
		 * links, t.me/+code and t.me/joinchat/code) */
		if (t == STORE_CONTACT_LINK && str_has_prefix(v, "t.me/") &&
		    v[5] != '+' && !str_has_prefix(v + 5, "joinchat")) {
			handles[nh] = xmalloc(strlen(v + 5) + 2);
			handles[nh][0] = '@';
			memcpy(handles[nh] + 1, v + 5, strlen(v + 5) + 1);
			if (!has_contact(c, nc, STORE_CONTACT_HANDLE,
					 handles[nh])) {
				c[nc].type = STORE_CONTACT_HANDLE;
				c[nc].value = handles[nh];
				nc++;
			}
			nh++;
		}
	}
	memset(&s, 0, sizeof(s));
	s.url = fd->pg->url;
	s.site = fd->pg->site;
	s.seen_at = fd->pg->fetched_at;
	s.page_id = out->page_id;
	s.payload_sha256 = sha;
	s.lang = d->lang;
	s.title = d->has_title ? d->title.data : NULL;
	s.salary = d->salary;
	s.location = d->location;
	s.employer = d->employer;
	s.posted = d->posted;
	s.text = d->body.data;
	s.score = p->res.score;
	s.level = (enum store_level)p->res.level;
	s.findings = f;
	s.nfindings = p->res.nhits;
	s.contacts = c;
	s.ncontacts = nc;
	fd->err = store_listing_upsert(p->opts.store, p->opts.run_id, &s, &up);
	if (fd->err == RF_OK) {
		out->listing = true;
		out->change = up.change;
	}
	for (i = 0; i < p->res.nhits; i++)
		free((char *)(uintptr_t)f[i].text);
	free(f);
	free(c);
	for (i = 0; i < nh; i++)
		free(handles[i]);
	free(handles);
}

enum rf_err
pipeline_page(struct pipeline *p, const struct page_in *pg,
	      struct page_out *out)
{
	struct store_page sp;
	struct first_doc fd = { p, pg, out, RF_OK, false };
	unsigned char digest[SHA256_DIGEST_LEN];
	char sha[2 * SHA256_DIGEST_LEN + 1], charset[64];
	enum rf_err err;

	buf_reset(&out->result);
	out->listing = false;
	out->status = DOC_EMPTY;
	out->score = 0;
	out->level = LEVEL_NONE;
	memset(&sp, 0, sizeof(sp));
	sp.url = pg->url;
	sp.site = pg->site;
	sp.fetched_at = pg->fetched_at;
	sp.http_status = pg->http_status;
	if (pg->body) {
		sha256_digest(pg->body, pg->len, digest);
		encode_hex(digest, sizeof(digest), sha);
		sp.payload_sha256 = sha;
	}
	sp.warc_file = pg->warc_file;
	sp.warc_offset = pg->warc_offset;
	sp.warc_record_id = pg->warc_record_id;
	sp.content_type = pg->content_type;
	err = store_page_add(p->opts.store, p->opts.run_id, &sp,
			     &out->page_id);
	if (err != RF_OK)
		return err;
	if (!pg->is_listing || !pg->body ||
	    ((pg->http_status < 200 || pg->http_status > 299) &&
	     pg->http_status != 304))
		return RF_OK;
	charset_of_content_type(pg->content_type, charset, sizeof(charset));
	extract_documents(pg->url, pg->url, charset[0] ? charset : NULL,
			  pg->profiles, pg->body, pg->len, store_doc, &fd);
	return fd.err;
}
