/* buf.c: capped growable strings. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/limits.h"
#include "common/xmalloc.h"
#include "common/banned.h"

static char buf_empty[1];

void
buf_init(struct buf *b, size_t max)
{
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->max = max ? max : RF_BUF_MAX_DEFAULT;
	b->failed = false;
}

void
buf_release(struct buf *b)
{
	size_t max = b->max;

	if (b->alloc)
		free(b->data);
	buf_init(b, max);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->alloc)
		b->data[0] = '\0';
	b->failed = false;
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *s;

	if (len)
		*len = b->len;
	s = b->alloc ? b->data : xstrdup("");
	b->data = buf_empty;
	b->len = 0;
	b->alloc = 0;
	b->failed = false;
	return s;
}

enum rf_err
buf_grow(struct buf *b, size_t extra)
{
	size_t want, alloc;

	if (extra > b->max || b->len > b->max - extra) {
		b->failed = true;
		return RF_ETOOBIG;
	}
	want = b->len + extra + 1;
	if (want <= b->alloc)
		return RF_OK;
	alloc = b->alloc ? b->alloc : 64;
	while (alloc < want)
		alloc = alloc > SIZE_MAX / 2 ? want : alloc * 2;
	if (b->alloc) {
		b->data = xrealloc(b->data, alloc);
	} else {
		b->data = xmalloc(alloc);
		b->data[0] = '\0';
	}
	b->alloc = alloc;
	return RF_OK;
}

enum rf_err
buf_add(struct buf *b, const void *data, size_t len)
{
	enum rf_err err;

	if (len == 0)
		return b->failed ? RF_ETOOBIG : RF_OK;
	if ((err = buf_grow(b, len)) != RF_OK)
		return err;
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return RF_OK;
}

enum rf_err
buf_addstr(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

enum rf_err
buf_addch(struct buf *b, char c)
{
	return buf_add(b, &c, 1);
}

enum rf_err
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	enum rf_err err;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return RF_EINVAL;
	if ((err = buf_grow(b, (size_t)n)) != RF_OK)
		return err;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return RF_OK;
}

enum rf_err
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	enum rf_err err;

	va_start(ap, fmt);
	err = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return err;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len >= b->len)
		return;
	b->len = len;
	b->data[len] = '\0';
}
