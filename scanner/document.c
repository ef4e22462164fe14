/* document.c: the lifecycle of struct document. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "common/limits.h"
#include "common/xmalloc.h"
#include "scanner/document.h"
#include "common/banned.h"

const char *
doc_status_name(enum doc_status s)
{
	static const char *const names[] = {
		"ok", "blocked", "empty", "truncated", "error",
	};

	return (unsigned)s < RF_ARRAY_SIZE(names) ? names[s] : "error";
}

const char *
doc_field_name(enum doc_field f)
{
	static const char *const names[] = {
		"title", "body", "salary", "location", "employer", "contacts",
		"posted",
	};

	return (unsigned)f < RF_ARRAY_SIZE(names) ? names[f] : "body";
}

void
document_init(struct document *d, const char *source)
{
	d->source = xstrdup(source);
	d->url = NULL;
	d->kind = KIND_TEXT;
	d->status = DOC_OK;
	d->lang = NULL;
	d->charset[0] = '\0';
	d->charset_source = NULL;
	d->charset_replaced = 0;
	d->http_charset = NULL;
	d->sha256[0] = '\0';
	d->has_title = false;
	buf_init(&d->title, RF_FIELD_MAX_BYTES);
	buf_init(&d->body, RF_FIELD_MAX_BYTES);
	d->salary = d->location = d->employer = d->posted = NULL;
	d->structured = NULL;
	entity_list_init(&d->contacts);
	buf_init(&d->contacts_text, RF_FIELD_MAX_BYTES);
	d->err = RF_OK;
	d->error = NULL;
	d->note = NULL;
	d->profiles = NULL;
	memset(&d->profile, 0, sizeof(d->profile));
	memset(d->field_lang, 0, sizeof(d->field_lang));
	d->lang_fields = 0;
}

void
document_release(struct document *d)
{
	free(d->source);
	free(d->url);
	free(d->lang);
	buf_release(&d->title);
	buf_release(&d->body);
	free(d->salary);
	free(d->location);
	free(d->employer);
	free(d->posted);
	entity_list_release(&d->contacts);
	buf_release(&d->contacts_text);
	free(d->error);
	free(d->note);
	free(d->profile.name);
	free(d->profile.error);
	memset(&d->profile, 0, sizeof(d->profile));
	d->source = d->url = d->lang = d->error = d->note = NULL;
}

void
document_fail(struct document *d, enum rf_err err, const char *fmt, ...)
{
	struct buf msg;
	va_list ap;

	buf_init(&msg, 4096);
	va_start(ap, fmt);
	buf_vaddf(&msg, fmt, ap);
	va_end(ap);
	free(d->error);
	d->error = buf_detach(&msg, NULL);
	d->err = err;
	d->status = DOC_ERROR;
}

void
document_entities(const struct document *d, struct entity_list *out)
{
	money_find(out, d->body.data, d->body.len);
	ages_find(out, d->body.data, d->body.len);
	entity_list_sort(out);
}

void
document_scan_input(const struct document *d, struct scan_input *in)
{
	memset(in, 0, sizeof(*in));
	in->text[FIELD_TITLE] = d->has_title ? d->title.data : NULL;
	in->len[FIELD_TITLE] = d->title.len;
	in->text[FIELD_BODY] = d->body.data;
	in->len[FIELD_BODY] = d->body.len;
	in->text[FIELD_URL] = d->url;
	in->len[FIELD_URL] = d->url ? strlen(d->url) : 0;
	in->text[FIELD_CONTACTS] = d->contacts_text.data;
	in->len[FIELD_CONTACTS] = d->contacts_text.len;
}
