/* jsonld.c: schema.org JobPosting from JSON-LD, with json-c. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "common/limits.h"
#include "common/xmalloc.h"
#include "scanner/jsonld.h"
#include "common/banned.h"

void
jobposting_release(struct jobposting *jp)
{
	free(jp->title);
	free(jp->description);
	free(jp->employer);
	free(jp->salary);
	free(jp->location);
	free(jp->posted);
	memset(jp, 0, sizeof(*jp));
}

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!o || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

/* A scalar's text, or the "name" of an object; a new string or NULL. */
static char *
text_of(struct json_object *v)
{
	const char *s;

	if (!v)
		return NULL;
	if (json_object_is_type(v, json_type_object))
		v = get(v, "name");
	if (json_object_is_type(v, json_type_array) &&
	    json_object_array_length(v) > 0)
		v = json_object_array_get_idx(v, 0);
	if (!v || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array) ||
	    json_object_is_type(v, json_type_null))
		return NULL;
	s = json_object_get_string(v);
	return s && *s ? xstrdup(s) : NULL;
}

static bool
is_type(struct json_object *o, const char *type)
{
	struct json_object *t = get(o, "@type");
	size_t i;

	if (!t)
		return false;
	if (json_object_is_type(t, json_type_string))
		return strcasecmp(json_object_get_string(t), type) == 0;
	if (json_object_is_type(t, json_type_array))
		for (i = 0; i < json_object_array_length(t); i++) {
			struct json_object *e = json_object_array_get_idx(t, i);

			if (json_object_is_type(e, json_type_string) &&
			    strcasecmp(json_object_get_string(e), type) == 0)
				return true;
		}
	return false;
}

static void
add_part(struct buf *b, const char *sep, const char *s)
{
	if (!s || !*s)
		return;
	if (b->len)
		buf_addstr(b, sep);
	buf_addstr(b, s);
}

static char *
detach_or_null(struct buf *b)
{
	if (!b->len) {
		buf_release(b);
		return NULL;
	}
	return buf_detach(b, NULL);
}

/* baseSalary: a MonetaryAmount with a QuantitativeValue, or a number. */
static char *
salary_of(struct json_object *v)
{
	struct json_object *q;
	struct buf b;
	char *lo, *hi, *val, *cur, *unit;

	if (!v)
		return NULL;
	if (!json_object_is_type(v, json_type_object))
		return text_of(v);
	buf_init(&b, 256);
	q = get(v, "value");
	if (q && json_object_is_type(q, json_type_object)) {
		lo = text_of(get(q, "minValue"));
		hi = text_of(get(q, "maxValue"));
		val = text_of(get(q, "value"));
		unit = text_of(get(q, "unitText"));
	} else {
		lo = hi = NULL;
		val = text_of(q);
		unit = text_of(get(v, "unitText"));
	}
	cur = text_of(get(v, "currency"));
	if (lo || hi) {
		add_part(&b, "", lo);
		if (hi) {
			buf_addch(&b, '-');
			buf_addstr(&b, hi);
		}
	} else {
		add_part(&b, "", val);
	}
	if (b.len) {
		add_part(&b, " ", cur);
		if (unit) {
			buf_addstr(&b, " per ");
			buf_addstr(&b, unit);
		}
	}
	free(lo);
	free(hi);
	free(val);
	free(cur);
	free(unit);
	return detach_or_null(&b);
}

static char *
location_of(struct json_object *v)
{
	struct json_object *a;
	struct buf b;
	char *s;
	static const char *const parts[] = {
		"addressLocality", "addressRegion", "addressCountry",
	};
	size_t i;

	if (v && json_object_is_type(v, json_type_array))
		v = json_object_array_length(v)
			? json_object_array_get_idx(v, 0) : NULL;
	if (!v)
		return NULL;
	a = get(v, "address");
	if (!a)
		return text_of(v);
	if (!json_object_is_type(a, json_type_object))
		return text_of(a);
	buf_init(&b, 256);
	for (i = 0; i < RF_ARRAY_SIZE(parts); i++) {
		s = text_of(get(a, parts[i]));
		add_part(&b, ", ", s);
		free(s);
	}
	return detach_or_null(&b);
}

static void
fill(struct json_object *o, struct jobposting *jp)
{
	jp->title = text_of(get(o, "title"));
	jp->description = text_of(get(o, "description"));
	jp->employer = text_of(get(o, "hiringOrganization"));
	jp->salary = salary_of(get(o, "baseSalary"));
	jp->location = location_of(get(o, "jobLocation"));
	jp->posted = text_of(get(o, "datePosted"));
}

/* Searches o, its @graph and arrays, breadth-limited by the tokener's
 * depth cap; returns true when jp was filled. */
static bool
search(struct json_object *o, struct jobposting *jp, int depth)
{
	size_t i;

	if (!o || depth > 4)
		return false;
	if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o) &&
			    i < RF_JSONLD_MAX_ITEMS; i++)
			if (search(json_object_array_get_idx(o, i), jp,
				   depth + 1))
				return true;
		return false;
	}
	if (!json_object_is_type(o, json_type_object))
		return false;
	if (is_type(o, "JobPosting")) {
		fill(o, jp);
		return true;
	}
	return search(get(o, "@graph"), jp, depth + 1);
}

bool
jsonld_jobposting(const char *json, size_t len, struct jobposting *jp)
{
	struct json_tokener *tok;
	struct json_object *root;
	bool found;

	memset(jp, 0, sizeof(*jp));
	if (len > RF_JSONLD_MAX_BYTES || len > (size_t)INT32_MAX)
		return false;
	tok = json_tokener_new_ex(RF_JSONLD_MAX_DEPTH);
	if (!tok)
		return false;
	root = json_tokener_parse_ex(tok, json, (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(root);
		json_tokener_free(tok);
		return false;
	}
	found = search(root, jp, 0);
	json_object_put(root);
	json_tokener_free(tok);
	return found;
}
