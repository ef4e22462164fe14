/* jsonld.h: schema.org JobPosting in a page's JSON-LD. */
#ifndef RF_SCANNER_JSONLD_H
#define RF_SCANNER_JSONLD_H

#include <stdbool.h>
#include <stddef.h>

#include "common/buf.h"

/* The fields of one JobPosting; strings owned, NULL when absent. */
struct jobposting {
	char *title;
	char *description;	/* as given: usually HTML */
	char *employer;		/* hiringOrganization.name */
	char *salary;		/* "3000-5000 USD per MONTH" */
	char *location;		/* "Almaty, KZ" */
	char *posted;		/* datePosted */
};

void jobposting_release(struct jobposting *jp);

/*
 * Looks for a JobPosting (also inside @graph and arrays) in the text of
 * one <script type="application/ld+json"> element. Fills jp and returns
 * true for the first one found; malformed or deeply nested JSON is simply
 * not a JobPosting (the caps are in common/limits.h).
 */
bool jsonld_jobposting(const char *json, size_t len, struct jobposting *jp);

#endif
