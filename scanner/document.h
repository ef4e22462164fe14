/* document.h: one listing as the scanner sees it, and how it is read. */
#ifndef RF_SCANNER_DOCUMENT_H
#define RF_SCANNER_DOCUMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"
#include "common/err.h"
#include "rules/rules.h"
#include "text/text.h"

enum doc_status {
	DOC_OK = 0,
	DOC_BLOCKED,	/* an anti-bot or script-only page: not scored */
	DOC_EMPTY,	/* no text: not scored */
	DOC_TRUNCATED,	/* a cap cut the text: scored on what was kept */
	DOC_ERROR,	/* could not be read or parsed */
};

/* "ok", "blocked", "empty", "truncated", "error" */
const char *doc_status_name(enum doc_status s);

enum doc_kind { KIND_HTML, KIND_TEXT, KIND_BINARY, KIND_FEED };

/* The fields of a listing, as profiles name them (redflag-profile(5)). */
enum doc_field {
	DOC_FIELD_TITLE,
	DOC_FIELD_BODY,
	DOC_FIELD_SALARY,
	DOC_FIELD_LOCATION,
	DOC_FIELD_EMPLOYER,
	DOC_FIELD_CONTACTS,
	DOC_FIELD_POSTED,
	DOC_FIELD_COUNT
};

/* "title", "body", "salary", "location", "employer", "contacts",
 * "posted" */
const char *doc_field_name(enum doc_field f);

struct profile_set;

/* What an extraction profile did to a document. */
struct doc_profile {
	char *name;		/* the profile applied, or NULL */
	unsigned fields;	/* bits 1u << doc_field taken from it */
	unsigned missed;	/* its XPath selected nothing: heuristic's */
	char *error;		/* the first XPath that failed here, or NULL */
};

struct document {
	char *source;		/* file path, "-" for stdin */
	char *url;		/* NULL for files */
	enum doc_kind kind;
	enum doc_status status;
	char *lang;		/* NULL until language identification */
	char charset[48];	/* what the bytes were read as */
	const char *charset_source;	/* static: "meta", "detected", ... */
	size_t charset_replaced;	/* bytes that did not convert */
	const char *http_charset;	/* borrowed, from a WARC's HTTP head */
	char sha256[65];	/* of the payload as read, hex; "" if unknown */
	bool has_title;
	struct buf title;	/* visible title, UTF-8 */
	struct buf body;	/* visible text, UTF-8, blocks on own lines */
	/* fields of the listing; NULL when the page does not say */
	char *salary, *location, *employer, *posted;
	const char *structured;	/* static: "json-ld" when it came from there */
	/* phones, handles, e-mails, links; their offsets are into the body
	 * (0, 0 for those a profile's contacts XPath found elsewhere) */
	struct entity_list contacts;
	struct buf contacts_text;	/* the same, one per line, for rules */
	enum rf_err err;	/* with DOC_ERROR */
	char *error;		/* with DOC_ERROR: what went wrong */
	char *note;		/* why a document is truncated, blocked */
	/* extraction profiles to choose from (borrowed), or NULL */
	const struct profile_set *profiles;
	struct doc_profile profile;
	/* the language of each field that has text (1u << doc_field in
	 * lang_fields); lang above is the title's and body's together */
	enum lang_id field_lang[DOC_FIELD_COUNT];
	unsigned lang_fields;
};

/* Prepares d (caller-owned); borrows nothing. */
void document_init(struct document *d, const char *source);
void document_release(struct document *d);
/* Marks d as failed with a message (printf-like). */
void document_fail(struct document *d, enum rf_err err, const char *fmt, ...)
	RF_PRINTF(3, 4);

/* Fills d from text known to be plain text (not sniffed for markup). */
void extract_plain(struct document *d, const char *text, size_t len);

/*
 * Fills out (caller-owned, empty, from entity_list_init) with the money
 * and ages of d's body, sorted by where they start, offsets into the body.
 * Only `redflag extract` prints them (the matcher finds its own), so
 * extraction does not look for them: this does, when asked.
 */
void document_entities(const struct document *d, struct entity_list *out);

/* Points in's fields at d's title, body, url and contacts (borrowed). */
void document_scan_input(const struct document *d, struct scan_input *in);

typedef void (*document_fn)(struct document *d, void *arg);

/*
 * Extracts the documents in the bytes of one input and calls fn with each
 * (fn borrows it): one for a page or a text, one per item of an RSS or
 * Atom feed (its link is the document's url). url and http_charset (from
 * a WARC record) may be NULL; so may profiles (borrowed: a page whose URL
 * one of them matches is read with it, see scanner/profile.h).
 */
void extract_documents(const char *source, const char *url,
		       const char *http_charset,
		       const struct profile_set *profiles, const char *data,
		       size_t len, document_fn fn, void *arg);

/*
 * Fills d from the raw bytes of one input: recognises HTML, plain text and
 * binary by content, extracts visible text and title, finds contacts,
 * applies the profile of d->profiles that matches the page, if any.
 * Problems are recorded in d->status, never returned.
 */
void extract_document(struct document *d, const char *data, size_t len);

/*
 * Whether HTML is parsed with its runs of text set aside, libxml2 reading
 * a skeleton of the page (on by default; off parses each page as it is,
 * for tests and benchmarks: the documents are the same). Not to be
 * changed while another thread extracts.
 */
void extract_set_hold(bool on);
/* Whether the libxml2 this process runs has the parser the skeleton was
 * shown to be safe with (2.9); with another, no page is held. */
bool extract_hold_supported(void);
/* Of this thread's pages since it began: how many were parsed from a
 * skeleton, and how many of those were then read again as they are. */
void extract_hold_counts(size_t *held, size_t *given_up);

#endif
