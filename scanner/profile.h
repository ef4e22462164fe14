/*
 * profile.h: per-site extraction profiles (redflag-profile(5)): an XPath
 * per field of a listing, chosen by the page's URL, so that an analyst
 * teaches redflag a new site without code.
 *
 * A profile set is loaded once from files, then only read: any number of
 * threads may choose and apply profiles from it at once (every page gets
 * its own XPath context). A field whose XPath selects nothing on a page
 * keeps what the main-content heuristic (extract.c) found.
 */
#ifndef RF_SCANNER_PROFILE_H
#define RF_SCANNER_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "common/buf.h"
#include "common/err.h"
#include "scanner/document.h"

struct profile_set;
struct profile;

/* A new, empty set; the caller frees it with profile_set_free(). */
struct profile_set *profile_set_new(void);
/* Frees ps and its profiles; NULL is fine. */
void profile_set_free(struct profile_set *ps);

/*
 * Adds the profiles of the file at path, or of every "*.profile" file in
 * the folder at path (not recursive, in byte order of their names), to ps.
 * On failure err (initialised) gets one "file:line: message" line per
 * problem (a bad key, regex or XPath, a missing url) and nothing is added
 * from a bad file: RF_EPARSE for a malformed file, RF_ENOENT, RF_EIO,
 * RF_ETOOBIG as reading fails or a cap is passed.
 */
enum rf_err profile_set_load(struct profile_set *ps, const char *path,
			     struct buf *err) RF_WARN_UNUSED;

/* The number of profiles in ps (NULL: 0). */
size_t profile_set_count(const struct profile_set *ps);

/*
 * The first profile of ps, in load order, with a url pattern that url
 * matches, or NULL (also for a NULL ps or url). Borrowed from ps.
 */
const struct profile *profile_set_match(const struct profile_set *ps,
					const char *url);

/* The profile's name, its [profile NAME]. */
const char *profile_name(const struct profile *p);

/*
 * The URL a parsed page gives itself: the href of its <link
 * rel="canonical">, else the content of <meta property="og:url">. A new
 * string the caller frees, or NULL.
 */
char *profile_page_url(xmlDoc *doc);

/*
 * Removes from doc the nodes p's drop XPaths select (never the root
 * element), before the page is read. A failing XPath is recorded in
 * dp->error.
 */
void profile_drop(const struct profile *p, xmlDoc *doc,
		  struct doc_profile *dp);

/*
 * Appends the visible text of node n (an element or a text node) to out;
 * returns false when a cap cut it. Supplied by the extractor, so that
 * profile text is read as the heuristic reads it.
 */
typedef bool (*profile_text_fn)(xmlNode *n, struct buf *out);

/*
 * Evaluates p's field XPaths on doc and replaces d's fields with the text
 * of what they select: title, body (the selected nodes one per line),
 * salary, location, employer, posted date; the contacts found in the text
 * of the contacts XPath are added to d's (with offsets 0, 0: they are not
 * in the body). Records in d->profile which
 * fields came from p and which fell back; sets *cut when a cap cut the
 * title or the body.
 */
void profile_apply(const struct profile *p, xmlDoc *doc,
		   struct document *d, profile_text_fn text, bool *cut);

#endif
