/* util.c: the string pool, the id map and the time formats of reports/. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/xmalloc.h"
#include "reports/reports-int.h"
#include "common/banned.h"

void
rpool_init(struct rpool *p)
{
	p->v = NULL;
	p->n = p->alloc = 0;
}

void
rpool_release(struct rpool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	rpool_init(p);
}

const char *
rpool_take(struct rpool *p, char *s)
{
	ALLOC_GROW(p->v, p->n + 1, p->alloc);
	p->v[p->n++] = s;
	return s;
}

const char *
rpool_dup(struct rpool *p, const char *s)
{
	return s ? rpool_take(p, xstrdup(s)) : NULL;
}

const char *
rpool_dupn(struct rpool *p, const char *s, size_t n)
{
	return rpool_take(p, xmemdupz(s, n));
}

void *
rpool_alloc(struct rpool *p, size_t n)
{
	char *m = xcalloc(n ? n : 1, 1);

	rpool_take(p, m);
	return m;
}

/* ---- id map ---- */

void
imap_init(struct imap *m)
{
	m->keys = NULL;
	m->vals = NULL;
	m->n = m->cap = 0;
}

void
imap_release(struct imap *m)
{
	free(m->keys);
	free(m->vals);
	imap_init(m);
}

static size_t
slot_of(int64_t key, size_t cap)
{
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;

	return (size_t)(h >> 17) & (cap - 1);
}

bool
imap_get(const struct imap *m, int64_t key, size_t *val)
{
	size_t i;

	if (m->cap == 0 || key <= 0)
		return false;
	for (i = slot_of(key, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == 0)
			return false;
		if (m->keys[i] == key) {
			*val = m->vals[i];
			return true;
		}
	}
}

static void
imap_set(int64_t *keys, size_t *vals, size_t cap, int64_t key, size_t val,
	 bool *added)
{
	size_t i;

	for (i = slot_of(key, cap);; i = (i + 1) & (cap - 1)) {
		if (keys[i] == 0 || keys[i] == key) {
			*added = keys[i] == 0;
			keys[i] = key;
			vals[i] = val;
			return;
		}
	}
}

void
imap_put(struct imap *m, int64_t key, size_t val)
{
	bool added;

	if (key <= 0)
		return;
	if ((m->n + 1) * 2 > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64, i;
		int64_t *keys = xcalloc(cap, sizeof(*keys));
		size_t *vals = xcalloc(cap, sizeof(*vals));

		for (i = 0; i < m->cap; i++)
			if (m->keys[i])
				imap_set(keys, vals, cap, m->keys[i],
					 m->vals[i], &added);
		free(m->keys);
		free(m->vals);
		m->keys = keys;
		m->vals = vals;
		m->cap = cap;
	}
	imap_set(m->keys, m->vals, m->cap, key, val, &added);
	if (added)
		m->n++;
}

/* ---- times ---- */

void
rep_time(struct buf *out, int64_t t, bool date_only)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[64];

	if (t <= 0 || !gmtime_r(&tt, &tm)) {
		buf_addstr(out, "-");
		return;
	}
	if (date_only)
		strftime(s, sizeof(s), "%Y-%m-%d", &tm);
	else
		strftime(s, sizeof(s), "%Y-%m-%d %H:%M UTC", &tm);
	buf_addstr(out, s);
}

void
rep_time_iso(struct buf *out, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	char s[64];

	if (t <= 0 || !gmtime_r(&tt, &tm)) {
		buf_addstr(out, "-");
		return;
	}
	strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_addstr(out, s);
}
