/* warc-read.c: the streaming WARC reader: .warc and .warc.gz (any number
 * of members), bounded memory, recovery after malformed records. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ZLIB_CONST
#include <zlib.h>

#include "common/sha1.h"
#include "common/sha256.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/warc-int.h"
#include "common/banned.h"

#define IN_SIZE 65536
#define OUT_SIZE 65536
/* Lookahead that recognises a version line: "WARC/" and a digit. */
#define START_LOOKAHEAD 6

/*
 * The bytes of a file, decompressed when it is gzip. Positions: in a plain
 * file, out_base + out_pos is the file offset of the next byte; in a gzip
 * file, it is the offset of the next byte inside the current member's
 * output, and member_off is where that member starts in the file.
 */
struct src {
	int fd;
	bool own_fd;
	bool seekable;
	bool gz;
	z_stream z;
	bool z_ready;
	unsigned char *in;	/* gz: compressed input */
	size_t in_len;
	uint64_t in_base;	/* file offset of in[0] */
	bool in_eof;
	unsigned char *out;	/* the bytes the parser reads */
	size_t out_pos, out_len;
	uint64_t out_base;
	bool eof;		/* plain: the end of the file */
	bool in_member;		/* gz: a member is being inflated */
	bool member_done;	/* gz: its last byte is in out */
	uint64_t member_off;
	const char *zmsg;	/* gz: what went wrong, for messages */
};

struct warc_record {
	enum warc_type type;
	char version[16];
	uint64_t offset;
	uint64_t length;
	struct buf hstore;	/* field names and values, NUL-terminated */
	size_t *offs;		/* 2 per field: name and value in hstore */
	size_t noffs, offs_alloc;
	struct warc_field *fields;
	size_t nfields, fields_alloc;
	struct buf block;
	bool skipped;
	bool have_digests;	/* of a skipped block */
	unsigned char sha1[SHA1_DIGEST_LEN];
	unsigned char sha256[SHA256_DIGEST_LEN];
	bool is_http;
	struct warc_http_msg http;
	struct buf http_store;
	size_t *http_offs;
	size_t http_noffs, http_offs_alloc;
	struct warc_field *http_fields;
	size_t http_fields_alloc;
	struct buf payload;	/* a de-chunked payload */
};

struct warc_reader {
	struct src s;
	char *name;
	size_t block_max;
	struct warc_record *rec;
	enum rf_err fatal;	/* RF_EIO once reading failed */
	struct buf err;
	uint64_t err_off;
	bool fresh_member;	/* gz: no record has started in this member */
	bool scan_magic;	/* gz: look for the next member first */
	bool scan_line;		/* look for the next version line first */
	bool garbage;		/* report garbage at garbage_off next */
	uint64_t garbage_off;
	struct buf line;
};

/* What reading one record came to. */
enum step {
	STEP_OK,
	STEP_EOF,
	STEP_BAD,	/* malformed: message set, ready to go on */
	STEP_IO,	/* reading failed */
};

/* ---- the byte source ---- */

static size_t
src_avail(const struct src *s)
{
	return s->out_len - s->out_pos;
}

static const unsigned char *
src_ptr(const struct src *s)
{
	return s->out + s->out_pos;
}

static void
src_consume(struct src *s, size_t n)
{
	s->out_pos += n;
}

/* The offset of the next byte: in the member's output, or in a plain file. */
static uint64_t
src_uoff(const struct src *s)
{
	return s->out_base + s->out_pos;
}

/* The file offset to name in messages about the current position. */
static uint64_t
src_where(const struct src *s)
{
	return s->gz ? s->member_off : src_uoff(s);
}

/* Reads more compressed input, keeping what is not consumed. 0 at the
 * end of the file, -1 on a read error. */
static int
src_refill(struct src *s)
{
	size_t keep = s->z.avail_in;
	size_t used = (size_t)(s->z.next_in - s->in);
	ssize_t n;

	if (used) {
		memmove(s->in, s->z.next_in, keep);
		s->in_base += used;
	}
	s->in_len = keep;
	s->z.next_in = s->in;
	s->z.avail_in = (uInt)keep;
	if (s->in_eof || keep == IN_SIZE)
		return 0;
	do
		n = read(s->fd, s->in + keep, IN_SIZE - keep);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0) {
		s->in_eof = true;
		return 0;
	}
	s->in_len += (size_t)n;
	s->z.avail_in = (uInt)s->in_len;
	return 1;
}

/* The file offset of the next compressed byte. */
static uint64_t
src_in_off(const struct src *s)
{
	return s->in_base + (uint64_t)(s->z.next_in - s->in);
}

/*
 * Appends more bytes to out. 1 if it did; 0 at the end of the current
 * unit (the member, or a plain file); -1 when the gzip data is corrupt or
 * cut short (zmsg says which) and -2 when reading failed.
 */
static int
src_more(struct src *s)
{
	if (s->out_pos) {
		size_t keep = src_avail(s);

		memmove(s->out, s->out + s->out_pos, keep);
		s->out_base += s->out_pos;
		s->out_pos = 0;
		s->out_len = keep;
	}
	if (s->out_len == OUT_SIZE)
		return 1;
	if (!s->gz) {
		ssize_t n;

		if (s->eof)
			return 0;
		do
			n = read(s->fd, s->out + s->out_len,
				 OUT_SIZE - s->out_len);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -2;
		if (n == 0) {
			s->eof = true;
			return 0;
		}
		s->out_len += (size_t)n;
		return 1;
	}
	if (!s->in_member)
		return 0;
	for (;;) {
		size_t before;
		int ret;

		if (s->z.avail_in == 0 && !s->in_eof && src_refill(s) < 0)
			return -2;
		s->z.next_out = s->out + s->out_len;
		s->z.avail_out = (uInt)(OUT_SIZE - s->out_len);
		before = s->z.avail_out;
		ret = inflate(&s->z, Z_NO_FLUSH);
		s->out_len += before - s->z.avail_out;
		if (ret == Z_STREAM_END) {
			s->in_member = false;
			s->member_done = true;
			return before != s->z.avail_out ? 1 : 0;
		}
		if (before != s->z.avail_out)
			return 1;
		if (ret == Z_OK)
			continue;
		if (ret == Z_BUF_ERROR && !(s->z.avail_in == 0 && s->in_eof))
			continue;
		s->in_member = false;
		s->member_done = true;
		s->zmsg = ret == Z_BUF_ERROR ? "is cut short"
					     : "is corrupt";
		return -1;
	}
}

/* Makes up to n bytes available; returns how many are (fewer only at the
 * end of the unit) or a negative src_more() result. */
static long
src_want(struct src *s, size_t n)
{
	while (src_avail(s) < n) {
		size_t before = src_avail(s);
		int ret = src_more(s);

		if (ret < 0)
			return ret;
		if (ret == 0 || src_avail(s) == before)
			break;
	}
	return (long)src_avail(s);
}

/*
 * Starts inflating the member at the current input position. 1 when one
 * starts there, 0 at the end of the file, -1 when other bytes are there,
 * -2 when reading failed.
 */
static int
src_member_start(struct src *s)
{
	s->out_pos = s->out_len = 0;
	s->out_base = 0;
	while (s->z.avail_in < 3 && !s->in_eof)
		if (src_refill(s) < 0)
			return -2;
	if (s->z.avail_in == 0 && s->in_eof)
		return 0;
	if (s->z.avail_in < 3 || s->z.next_in[0] != 0x1f ||
	    s->z.next_in[1] != 0x8b || s->z.next_in[2] != 8)
		return -1;
	if (inflateReset(&s->z) != Z_OK)
		return -2;
	s->member_off = src_in_off(s);
	s->in_member = true;
	s->member_done = false;
	return 1;
}

/* Skips compressed bytes up to the next gzip magic (1f 8b 08), after the
 * current byte. 1 when found, 0 at the end of the file, -2 on error. */
static int
src_scan_magic(struct src *s)
{
	bool first = true;

	s->in_member = false;
	s->member_done = false;
	s->out_pos = s->out_len = 0;
	for (;;) {
		const unsigned char *p;

		if (s->z.avail_in < 3) {
			if (s->in_eof) {
				s->z.next_in += s->z.avail_in;
				s->z.avail_in = 0;
				return 0;
			}
			if (src_refill(s) < 0)
				return -2;
			continue;
		}
		if (first) {
			s->z.next_in++;
			s->z.avail_in--;
			first = false;
			continue;
		}
		p = memchr(s->z.next_in, 0x1f, s->z.avail_in - 2);
		if (!p) {
			s->z.next_in += s->z.avail_in - 2;
			s->z.avail_in = 2;
			continue;
		}
		s->z.avail_in -= (uInt)(p - s->z.next_in);
		s->z.next_in = p;
		if (p[1] == 0x8b && p[2] == 8)
			return 1;
		s->z.next_in++;
		s->z.avail_in--;
	}
}

/* Moves to file offset off, forgetting all buffered data. */
static bool
src_seek(struct src *s, uint64_t off)
{
	if (!s->seekable || lseek(s->fd, (off_t)off, SEEK_SET) < 0)
		return false;
	s->in_len = 0;
	s->in_base = off;
	s->in_eof = false;
	s->z.next_in = s->in;
	s->z.avail_in = 0;
	s->out_pos = s->out_len = 0;
	s->out_base = s->gz ? 0 : off;
	s->eof = false;
	s->in_member = false;
	s->member_done = false;
	return true;
}

/* ---- records ---- */

static struct warc_record *
record_new(size_t block_max)
{
	struct warc_record *rec = xcalloc(1, sizeof(*rec));

	buf_init(&rec->hstore, RF_WARC_HEADER_MAX + 64);
	buf_init(&rec->block, block_max);
	buf_init(&rec->http_store, RF_HTTP_HEAD_MAX + 64);
	buf_init(&rec->payload, block_max);
	return rec;
}

static void
record_clear(struct warc_record *rec)
{
	rec->type = WARC_TYPE_UNKNOWN;
	rec->version[0] = '\0';
	rec->offset = rec->length = 0;
	buf_reset(&rec->hstore);
	rec->noffs = rec->nfields = 0;
	buf_reset(&rec->block);
	rec->skipped = rec->have_digests = false;
	rec->is_http = false;
	memset(&rec->http, 0, sizeof(rec->http));
	buf_reset(&rec->http_store);
	rec->http_noffs = 0;
	buf_reset(&rec->payload);
}

void
warc_record_free(struct warc_record *rec)
{
	if (!rec)
		return;
	buf_release(&rec->hstore);
	buf_release(&rec->block);
	buf_release(&rec->http_store);
	buf_release(&rec->payload);
	free(rec->offs);
	free(rec->fields);
	free(rec->http_offs);
	free(rec->http_fields);
	free(rec);
}

/* Appends a field (name, value) to store, as two NUL-terminated strings
 * whose offsets go to *offs. */
static void
store_field(struct buf *store, size_t **offs, size_t *n, size_t *alloc,
	    const char *name, size_t name_len, const char *value,
	    size_t value_len)
{
	ALLOC_GROW(*offs, *n + 2, *alloc);
	(*offs)[(*n)++] = store->len;
	buf_add(store, name, name_len);
	buf_addch(store, '\0');
	(*offs)[(*n)++] = store->len;
	buf_add(store, value, value_len);
	buf_addch(store, '\0');
}

/* Turns stored offsets into fields, now that store no longer moves. */
static void
fields_resolve(const struct buf *store, const size_t *offs, size_t noffs,
	       struct warc_field **fields, size_t *alloc)
{
	size_t i;

	ALLOC_GROW(*fields, noffs / 2 + 1, *alloc);
	for (i = 0; i < noffs / 2; i++) {
		(*fields)[i].name = store->data + offs[2 * i];
		(*fields)[i].value = store->data + offs[2 * i + 1];
	}
}

static const char *
fields_find(const struct warc_field *f, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(f[i].name, name) == 0)
			return f[i].value;
	return NULL;
}

static void
trim(const char **s, size_t *n)
{
	while (*n && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/*
 * Adds one header line (no line end) to store. Folded lines join the
 * previous value. false for a line that is not a field.
 */
static bool
header_line(struct buf *store, size_t **offs, size_t *n, size_t *alloc,
	    const char *line, size_t len, bool lenient)
{
	const char *colon, *name, *value;
	size_t name_len, value_len;

	if (len && (line[0] == ' ' || line[0] == '\t')) {
		if (*n == 0)
			return lenient;
		trim(&line, &len);
		/* the last value ends the store: extend it */
		buf_truncate(store, store->len - 1);
		if (len) {
			buf_addch(store, ' ');
			buf_add(store, line, len);
		}
		buf_addch(store, '\0');
		return true;
	}
	colon = memchr(line, ':', len);
	if (!colon)
		return lenient;
	name = line;
	name_len = (size_t)(colon - line);
	trim(&name, &name_len);
	if (!warc_is_token(name, name_len))
		return lenient;
	value = colon + 1;
	value_len = (size_t)(line + len - value);
	trim(&value, &value_len);
	store_field(store, offs, n, alloc, name, name_len, value, value_len);
	return true;
}

static enum warc_type
type_from_name(const char *s)
{
	enum warc_type t;

	if (!s)
		return WARC_TYPE_UNKNOWN;
	for (t = WARC_TYPE_WARCINFO; t <= WARC_TYPE_CONTINUATION; t++)
		if (strcasecmp(s, warc_type_name(t)) == 0)
			return t;
	return WARC_TYPE_UNKNOWN;
}

static void
emit_payload(void *ctx, const unsigned char *piece, size_t n)
{
	buf_add(ctx, piece, n);
}

/* Whether a Transfer-Encoding value names chunked. */
static bool
te_chunked(const char *v)
{
	for (; v && *v; v++)
		if (strncasecmp(v, "chunked", 7) == 0)
			return true;
	return false;
}

/* Parses the HTTP message in rec's block, if it holds one. */
static void
parse_http(struct warc_record *rec)
{
	struct warc_http_msg *m = &rec->http;
	const char *ct = warc_record_header(rec, "Content-Type");
	const char *p = rec->block.data, *line, *nl, *body, *te;
	size_t len = rec->block.len, hl, pos, n;
	bool skipping = false;
	enum dechunk_result res;

	if (rec->skipped || (rec->type != WARC_TYPE_RESPONSE &&
			     rec->type != WARC_TYPE_REQUEST &&
			     rec->type != WARC_TYPE_REVISIT))
		return;
	if (ct ? strncasecmp(ct, "application/http", 16) != 0
	       : rec->type == WARC_TYPE_REQUEST ||
			 strncmp(p, "HTTP/", 5) != 0)
		return;
	hl = http_head_end(p, len, RF_HTTP_HEAD_MAX);
	if (!hl) {
		/* a head-only block (a revisit) may lack the empty line */
		if (len > RF_HTTP_HEAD_MAX || len == 0)
			return;
		hl = len;
	}
	/* the start line */
	nl = memchr(p, '\n', hl);
	n = nl ? (size_t)(nl - p) : hl;
	pos = nl ? n + 1 : hl;
	if (n && p[n - 1] == '\r')
		n--;
	buf_add(&rec->http_store, p, n);
	buf_addch(&rec->http_store, '\0');
	if (n > 9 && strncmp(p, "HTTP/", 5) == 0) {
		const char *sp = memchr(p, ' ', n);

		if (sp && sp + 4 <= p + n && sp[1] >= '1' && sp[1] <= '9' &&
		    sp[2] >= '0' && sp[2] <= '9' && sp[3] >= '0' &&
		    sp[3] <= '9' && (sp + 4 == p + n || sp[4] == ' '))
			m->status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 +
				    (sp[3] - '0');
	}
	/* the header fields; lines that are not fields are left out, and
	 * fields past RF_HTTP_FIELDS_MAX with their folded lines */
	while (pos < hl) {
		bool folded;

		line = p + pos;
		nl = memchr(line, '\n', hl - pos);
		n = nl ? (size_t)(nl - line) : hl - pos;
		pos += nl ? n + 1 : n;
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0)
			break;
		folded = line[0] == ' ' || line[0] == '\t';
		if (!folded)
			skipping = rec->http_noffs / 2 >= RF_HTTP_FIELDS_MAX;
		if (skipping)
			continue;
		header_line(&rec->http_store, &rec->http_offs,
			    &rec->http_noffs, &rec->http_offs_alloc, line, n,
			    true);
	}
	m->start_line = rec->http_store.data;
	fields_resolve(&rec->http_store, rec->http_offs, rec->http_noffs,
		       &rec->http_fields, &rec->http_fields_alloc);
	/* offsets of the fields start after the start line's NUL */
	m->fields = rec->http_fields;
	m->nfields = rec->http_noffs / 2;
	m->head_len = hl;

	body = p + hl;
	m->payload = body;
	m->payload_len = len - hl;
	te = warc_http_header(m, "Transfer-Encoding");
	if (te && te_chunked(te)) {
		res = http_dechunk((const unsigned char *)body, len - hl,
				   emit_payload, &rec->payload);
		if (res != DECHUNK_NOT_CHUNKED) {
			m->payload = rec->payload.data;
			m->payload_len = rec->payload.len;
			m->dechunked = true;
			m->payload_incomplete = res != DECHUNK_DONE;
		}
	}
	rec->is_http = true;
}

/* ---- the reader ---- */

static void RF_PRINTF(3, 4)
set_error(struct warc_reader *r, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	buf_reset(&r->err);
	buf_addf(&r->err, "%s: ", r->name);
	va_start(ap, fmt);
	buf_vaddf(&r->err, fmt, ap);
	va_end(ap);
	r->err_off = off;
}

/* The reading failed: every later call fails too. */
static enum step
io_error(struct warc_reader *r)
{
	set_error(r, src_where(&r->s), "read error at offset %llu: %s",
		  (unsigned long long)src_where(&r->s), strerror(errno));
	r->fatal = RF_EIO;
	return STEP_IO;
}

/* A bad gzip member: report it and look for the next one. */
static enum step
gz_error(struct warc_reader *r)
{
	uint64_t off = r->s.member_off;

	set_error(r, off, "gzip member at offset %llu %s",
		  (unsigned long long)off, r->s.zmsg);
	/* what was inflated of it is worth nothing now */
	r->s.out_pos = r->s.out_len;
	/* look again from just after its start, if the file can seek */
	src_seek(&r->s, off);
	r->scan_magic = true;
	r->scan_line = false;
	return STEP_BAD;
}

/* Whether p (n bytes) starts a version line: "WARC/" and a digit. */
static bool
is_version_line(const unsigned char *p, size_t n)
{
	return n >= START_LOOKAHEAD && memcmp(p, "WARC/", 5) == 0 &&
	       p[5] >= '0' && p[5] <= '9';
}

/* Skips to the end of the current gzip member. */
static enum step
skip_member(struct warc_reader *r)
{
	for (;;) {
		int ret;

		src_consume(&r->s, src_avail(&r->s));
		ret = src_more(&r->s);
		if (ret == 0)
			return STEP_OK;
		if (ret == -1) {
			/* the member was bad anyway: find the next */
			r->scan_magic = true;
			return STEP_OK;
		}
		if (ret < -1)
			return io_error(r);
	}
}

/*
 * Skips to the next line that starts with a version line, in this unit.
 * at_line_start: whether the current byte starts a line. STEP_OK found
 * (or the unit ended: the caller looks at the next member).
 */
static enum step
scan_version_line(struct warc_reader *r, bool at_line_start)
{
	struct src *s = &r->s;

	for (;;) {
		long avail = src_want(s, START_LOOKAHEAD);
		const unsigned char *p, *nl;

		if (avail == -1)
			return gz_error(r);
		if (avail < 0)
			return io_error(r);
		if (avail == 0)
			return STEP_OK;
		p = src_ptr(s);
		if (at_line_start && is_version_line(p, (size_t)avail))
			return STEP_OK;
		nl = memchr(p, '\n', (size_t)avail);
		if (!nl) {
			src_consume(s, (size_t)avail);
			at_line_start = false;
			continue;
		}
		src_consume(s, (size_t)(nl - p) + 1);
		at_line_start = true;
	}
}

/*
 * After a bad record: go back to where its block started when the file
 * allows (a lying Content-Length may have swallowed the records after it)
 * and look for the next version line from there.
 */
static void
resync_from(struct warc_reader *r, uint64_t member_off, uint64_t uoff)
{
	struct src *s = &r->s;

	r->scan_line = true;
	if (!s->seekable)
		return;
	if (!s->gz) {
		src_seek(s, uoff);
		return;
	}
	if (!src_seek(s, member_off) || src_member_start(s) != 1) {
		r->scan_magic = true;
		r->scan_line = false;
		return;
	}
	while (uoff) {
		long avail = src_want(s, 1);
		size_t n;

		if (avail <= 0) {
			r->scan_magic = avail == -1;
			r->scan_line = false;
			return;
		}
		n = (uint64_t)avail < uoff ? (size_t)avail : (size_t)uoff;
		src_consume(s, n);
		uoff -= n;
	}
	r->fresh_member = false;
}

/* The end of the file, after garbage or not. */
static enum step
end_step(struct warc_reader *r, bool garbage, uint64_t off)
{
	if (!garbage)
		return STEP_EOF;
	set_error(r, off, "garbage at offset %llu", (unsigned long long)off);
	return STEP_BAD;
}

/*
 * Gets to where a record starts: STEP_OK there, STEP_EOF at the end, or
 * STEP_BAD when garbage was skipped to get there.
 */
static enum step
find_start(struct warc_reader *r)
{
	struct src *s = &r->s;
	bool garbage = r->garbage;
	uint64_t garbage_off = r->garbage_off;
	enum step st;

	r->garbage = false;
	for (;;) {
		long avail;

		if (s->gz && !s->in_member && src_avail(s) == 0) {
			int ret;

			if (r->scan_magic) {
				r->scan_magic = false;
				ret = src_scan_magic(s);
				if (ret == 0)
					return end_step(r, garbage,
							garbage_off);
				if (ret < 0)
					return io_error(r);
			}
			ret = src_member_start(s);
			if (ret == 0)
				return end_step(r, garbage, garbage_off);
			if (ret == -2)
				return io_error(r);
			if (ret == -1) {
				if (!garbage)
					garbage_off = src_in_off(s);
				garbage = true;
				r->scan_magic = true;
				continue;
			}
			r->fresh_member = true;
			r->scan_line = false;
		}
		if (r->scan_line) {
			r->scan_line = false;
			if ((st = scan_version_line(r, false)) != STEP_OK)
				return st;
			continue;
		}
		/* blank lines between records are fine */
		for (;;) {
			avail = src_want(s, 1);
			if (avail <= 0 || (src_ptr(s)[0] != '\r' &&
					   src_ptr(s)[0] != '\n'))
				break;
			src_consume(s, 1);
		}
		if (avail == -1)
			return gz_error(r);
		if (avail < 0)
			return io_error(r);
		if (avail == 0) {
			if (s->gz)
				continue;
			return end_step(r, garbage, garbage_off);
		}
		avail = src_want(s, START_LOOKAHEAD);
		if (avail == -1)
			return gz_error(r);
		if (avail < 0)
			return io_error(r);
		if (is_version_line(src_ptr(s), (size_t)avail)) {
			/* report the garbage; the record comes next */
			if (garbage)
				return end_step(r, garbage, garbage_off);
			return STEP_OK;
		}
		if (!garbage)
			garbage_off = src_where(s);
		garbage = true;
		if ((st = scan_version_line(r, false)) != STEP_OK)
			return st;
	}
}

/*
 * Reads one line of a header into r->line, without its line end. 1 read,
 * 0 the unit ended first, -1 longer than *budget, or a src_more() error.
 */
static int
read_line(struct warc_reader *r, size_t *budget)
{
	struct src *s = &r->s;

	buf_reset(&r->line);
	for (;;) {
		long avail = src_want(s, 1);
		const unsigned char *p, *nl;
		size_t take;

		if (avail == 0)
			return 0;
		if (avail < 0)
			return (int)avail - 1;
		p = src_ptr(s);
		nl = memchr(p, '\n', (size_t)avail);
		take = nl ? (size_t)(nl - p) + 1 : (size_t)avail;
		if (take > *budget)
			return -1;
		*budget -= take;
		buf_add(&r->line, p, nl ? take - 1 : take);
		src_consume(s, take);
		if (nl) {
			size_t n = r->line.len;

			if (n && r->line.data[n - 1] == '\r')
				buf_truncate(&r->line, n - 1);
			return 1;
		}
	}
}

/* Reads the block of rec (len bytes), keeping or skipping it. */
static enum step
read_block(struct warc_reader *r, struct warc_record *rec, bool bounded)
{
	struct src *s = &r->s;
	uint64_t left = rec->length;
	struct sha1_ctx c1;
	struct sha256_ctx c256;

	rec->skipped = rec->length > r->block_max;
	rec->have_digests = rec->skipped &&
			    warc_record_header(rec, "WARC-Block-Digest");
	if (rec->have_digests) {
		sha1_init(&c1);
		sha256_init(&c256);
	}
	while (left) {
		long avail = src_want(s, 1);
		size_t n;

		if (avail == -1)
			return gz_error(r);
		if (avail < -1)
			return io_error(r);
		if (avail == 0) {
			int ret;

			if (s->gz && !bounded) {
				/* a file compressed as a whole, in parts */
				ret = src_member_start(s);
				if (ret == 1)
					continue;
				if (ret == -2)
					return io_error(r);
			}
			set_error(r, rec->offset,
				  "record at offset %llu runs past the end "
				  "of its %s: Content-Length %llu, %llu "
				  "bytes there",
				  (unsigned long long)rec->offset,
				  s->gz && bounded ? "gzip member" : "file",
				  (unsigned long long)rec->length,
				  (unsigned long long)(rec->length - left));
			return STEP_BAD;
		}
		n = (uint64_t)avail < left ? (size_t)avail : (size_t)left;
		if (rec->skipped) {
			if (rec->have_digests) {
				sha1_update(&c1, src_ptr(s), n);
				sha256_update(&c256, src_ptr(s), n);
			}
		} else {
			buf_add(&rec->block, src_ptr(s), n);
		}
		src_consume(s, n);
		left -= n;
	}
	if (rec->have_digests) {
		sha1_final(&c1, rec->sha1);
		sha256_final(&c256, rec->sha256);
	}
	return STEP_OK;
}

/*
 * After the block: CR LF CR LF, then the end of the unit or a record. Other
 * bytes there mean a wrong Content-Length, unless the block digest proves
 * the block right: then they are garbage after a good record, reported by
 * the next call.
 */
static enum step
read_trailer(struct warc_reader *r, struct warc_record *rec, bool bounded)
{
	struct src *s = &r->s;
	long avail;

	for (;;) {
		avail = src_want(s, 1);
		if (avail <= 0 || (src_ptr(s)[0] != '\r' &&
				   src_ptr(s)[0] != '\n'))
			break;
		src_consume(s, 1);
	}
	if (avail == -1)
		return gz_error(r);
	if (avail < -1)
		return io_error(r);
	if (avail == 0)
		return STEP_OK;
	avail = src_want(s, START_LOOKAHEAD);
	if (avail == -1)
		return gz_error(r);
	if (avail < -1)
		return io_error(r);
	if (is_version_line(src_ptr(s), (size_t)avail))
		return STEP_OK;
	if (warc_record_check_block(rec) == WARC_DIGEST_OK) {
		r->garbage = true;
		r->garbage_off = s->gz ? s->member_off : src_uoff(s);
		if (bounded)
			return skip_member(r) == STEP_IO ? STEP_IO : STEP_OK;
		r->scan_line = true;
		return STEP_OK;
	}
	set_error(r, rec->offset,
		  "record at offset %llu is followed by other data than a "
		  "record: is its Content-Length (%llu) wrong?",
		  (unsigned long long)rec->offset,
		  (unsigned long long)rec->length);
	return STEP_BAD;
}

static enum step
read_record(struct warc_reader *r)
{
	struct src *s = &r->s;
	struct warc_record *rec = r->rec;
	size_t budget = RF_WARC_HEADER_MAX;
	uint64_t block_member, block_uoff;
	const char *cl;
	long long len;
	bool bounded;
	enum step st;
	int ret;

	if ((st = find_start(r)) != STEP_OK)
		return st;
	rec->offset = src_where(s);
	/* a record that opens a member must end in it (WARC 1.1 annex D) */
	bounded = s->gz && r->fresh_member;
	r->fresh_member = false;

	ret = read_line(r, &budget);
	if (ret > 0) {
		size_t n = r->line.len < sizeof(rec->version) - 1
				   ? r->line.len
				   : sizeof(rec->version) - 1;

		memcpy(rec->version, r->line.data, n);
		rec->version[n] = '\0';
	}
	while (ret > 0) {
		ret = read_line(r, &budget);
		if (ret <= 0)
			break;
		if (r->line.len == 0)
			break;
		if (rec->noffs / 2 >= RF_WARC_FIELDS_MAX) {
			set_error(r, rec->offset,
				  "record at offset %llu has more than %d "
				  "header fields",
				  (unsigned long long)rec->offset,
				  RF_WARC_FIELDS_MAX);
			goto bad_header;
		}
		if (!header_line(&rec->hstore, &rec->offs, &rec->noffs,
				 &rec->offs_alloc, r->line.data, r->line.len,
				 false)) {
			set_error(r, rec->offset,
				  "record at offset %llu has a malformed "
				  "header line",
				  (unsigned long long)rec->offset);
			goto bad_header;
		}
	}
	if (ret == -2)
		return gz_error(r);
	if (ret < -2)
		return io_error(r);
	if (ret == -1) {
		set_error(r, rec->offset,
			  "record at offset %llu has a header longer than "
			  "%zu bytes",
			  (unsigned long long)rec->offset,
			  (size_t)RF_WARC_HEADER_MAX);
		goto bad_header;
	}
	if (ret == 0) {
		set_error(r, rec->offset,
			  "record at offset %llu: the %s ends inside its "
			  "header",
			  (unsigned long long)rec->offset,
			  s->gz ? "gzip member" : "file");
		goto bad_header;
	}
	fields_resolve(&rec->hstore, rec->offs, rec->noffs, &rec->fields,
		       &rec->fields_alloc);
	rec->nfields = rec->noffs / 2;
	rec->type = type_from_name(warc_record_header(rec, "WARC-Type"));
	cl = warc_record_header(rec, "Content-Length");
	if (!cl || parse_int(cl, 0, (long long)1 << 62, &len) != RF_OK) {
		set_error(r, rec->offset,
			  "record at offset %llu has no valid "
			  "Content-Length",
			  (unsigned long long)rec->offset);
		goto bad_header;
	}
	rec->length = (uint64_t)len;

	block_member = s->member_off;
	block_uoff = src_uoff(s);
	if ((st = read_block(r, rec, bounded)) == STEP_OK)
		st = read_trailer(r, rec, bounded);
	if (st == STEP_BAD && !r->scan_magic) {
		if (bounded)
			return skip_member(r) == STEP_IO ? STEP_IO : STEP_BAD;
		resync_from(r, block_member, block_uoff);
	}
	if (st != STEP_OK)
		return st;
	parse_http(rec);
	return STEP_OK;

bad_header:
	/* in a member of its own, the record ends with the member */
	if (bounded)
		return skip_member(r) == STEP_IO ? STEP_IO : STEP_BAD;
	r->scan_line = true;
	return STEP_BAD;
}

/* ---- public API ---- */

static enum rf_err
reader_new(int fd, bool own_fd, const char *name, size_t block_max,
	   struct warc_reader **out)
{
	struct warc_reader *r = xcalloc(1, sizeof(*r));
	struct src *s = &r->s;
	struct stat st;

	*out = NULL;
	s->fd = fd;
	s->own_fd = own_fd;
	r->name = xstrdup(name ? name : "-");
	r->block_max = block_max ? block_max : RF_WARC_BLOCK_MAX_DEFAULT;
	r->rec = record_new(r->block_max);
	buf_init(&r->err, 0);
	buf_init(&r->line, RF_WARC_HEADER_MAX + 1);
	s->in = xmalloc(IN_SIZE);
	s->out = xmalloc(OUT_SIZE);
	s->z.next_in = s->in;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		warc_reader_free(r);
		return RF_EISDIR;
	}
	s->seekable = lseek(fd, 0, SEEK_CUR) >= 0;
	s->in_base = s->seekable ? (uint64_t)lseek(fd, 0, SEEK_CUR) : 0;
	if (inflateInit2(&s->z, 15 + 16) != Z_OK) {
		warc_reader_free(r);
		return RF_EIO;
	}
	s->z_ready = true;
	/* gzip or not, by the first bytes */
	while (s->z.avail_in < 2 && !s->in_eof)
		if (src_refill(s) < 0) {
			warc_reader_free(r);
			return RF_EIO;
		}
	s->gz = s->z.avail_in >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
	if (!s->gz) {
		/* hand what was read to the plain path */
		memcpy(s->out, s->in, s->in_len);
		s->out_len = s->in_len;
		s->out_base = s->in_base;
		s->eof = s->in_eof;
	}
	*out = r;
	return RF_OK;
}

enum rf_err
warc_reader_open_fd(int fd, const char *name, size_t block_max,
		    struct warc_reader **out)
{
	return reader_new(fd, false, name, block_max, out);
}

enum rf_err
warc_reader_open(const char *path, size_t block_max,
		 struct warc_reader **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	enum rf_err err;

	*out = NULL;
	if (fd < 0)
		return errno == ENOENT || errno == ENOTDIR ? RF_ENOENT
		     : errno == EISDIR ? RF_EISDIR : RF_EIO;
	err = reader_new(fd, true, path, block_max, out);
	if (err != RF_OK)
		close(fd);
	return err;
}

void
warc_reader_free(struct warc_reader *r)
{
	if (!r)
		return;
	if (r->s.z_ready)
		inflateEnd(&r->s.z);
	if (r->s.own_fd && r->s.fd >= 0)
		close(r->s.fd);
	free(r->s.in);
	free(r->s.out);
	warc_record_free(r->rec);
	buf_release(&r->err);
	buf_release(&r->line);
	free(r->name);
	free(r);
}

enum rf_err
warc_reader_next(struct warc_reader *r, const struct warc_record **rec)
{
	enum step st;

	*rec = NULL;
	if (r->fatal)
		return r->fatal;
	record_clear(r->rec);
	buf_reset(&r->err);
	st = read_record(r);
	switch (st) {
	case STEP_OK:
		*rec = r->rec;
		return RF_OK;
	case STEP_EOF:
		return RF_OK;
	case STEP_BAD:
		record_clear(r->rec);
		return RF_EPARSE;
	case STEP_IO:
	default:
		return RF_EIO;
	}
}

const char *
warc_reader_error(const struct warc_reader *r)
{
	return r->err.data;
}

uint64_t
warc_reader_error_offset(const struct warc_reader *r)
{
	return r->err_off;
}

enum rf_err
warc_read_at(const char *path, uint64_t offset, size_t block_max,
	     struct warc_record **out)
{
	struct warc_reader *r;
	const struct warc_record *rec;
	enum rf_err err;

	*out = NULL;
	if ((err = warc_reader_open(path, block_max, &r)) != RF_OK)
		return err;
	if (!src_seek(&r->s, offset)) {
		err = RF_EIO;
		goto out;
	}
	err = warc_reader_next(r, &rec);
	if (err == RF_OK && !rec)
		err = RF_EPARSE;
	if (err != RF_OK)
		goto out;
	/* the record must be the one at offset, not one found after it */
	if (warc_record_offset(rec) != offset) {
		err = RF_EPARSE;
		goto out;
	}
	*out = r->rec;
	r->rec = NULL;
out:
	warc_reader_free(r);
	return err;
}

/* ---- record accessors ---- */

enum warc_type
warc_record_type(const struct warc_record *rec)
{
	return rec->type;
}

const char *
warc_record_version(const struct warc_record *rec)
{
	return rec->version;
}

uint64_t
warc_record_offset(const struct warc_record *rec)
{
	return rec->offset;
}

uint64_t
warc_record_length(const struct warc_record *rec)
{
	return rec->length;
}

const char *
warc_record_header(const struct warc_record *rec, const char *name)
{
	return fields_find(rec->fields, rec->nfields, name);
}

const struct warc_field *
warc_record_fields(const struct warc_record *rec, size_t *n)
{
	*n = rec->nfields;
	return rec->fields;
}

const void *
warc_record_block(const struct warc_record *rec, size_t *len)
{
	*len = rec->skipped ? 0 : rec->block.len;
	return rec->skipped ? NULL : rec->block.data;
}

bool
warc_record_block_skipped(const struct warc_record *rec)
{
	return rec->skipped;
}

const struct warc_http_msg *
warc_record_http(const struct warc_record *rec)
{
	return rec->is_http ? &rec->http : NULL;
}

const char *
warc_http_header(const struct warc_http_msg *msg, const char *name)
{
	return fields_find(msg->fields, msg->nfields, name);
}

enum warc_digest_check
warc_record_check_block(const struct warc_record *rec)
{
	const char *want = warc_record_header(rec, "WARC-Block-Digest");

	if (!want)
		return WARC_DIGEST_ABSENT;
	if (rec->skipped)
		return rec->have_digests
			       ? warc_digest_compare(want, NULL, 0, rec->sha1,
						     rec->sha256)
			       : WARC_DIGEST_UNCHECKED;
	return warc_digest_compare(want, rec->block.data, rec->block.len,
				   NULL, NULL);
}

enum warc_digest_check
warc_record_check_payload(const struct warc_record *rec)
{
	const char *want = warc_record_header(rec, "WARC-Payload-Digest");

	if (!want)
		return WARC_DIGEST_ABSENT;
	if (rec->skipped)
		return WARC_DIGEST_UNCHECKED;
	switch (rec->type) {
	case WARC_TYPE_RESPONSE:
	case WARC_TYPE_REQUEST:
		if (!rec->is_http)
			return WARC_DIGEST_UNCHECKED;
		return warc_digest_compare(want, rec->http.payload,
					   rec->http.payload_len, NULL, NULL);
	case WARC_TYPE_RESOURCE:
	case WARC_TYPE_CONVERSION:
	case WARC_TYPE_CONTINUATION:
		return warc_digest_compare(want, rec->block.data,
					   rec->block.len, NULL, NULL);
	default:
		/* a revisit's payload is the earlier record's */
		return WARC_DIGEST_UNCHECKED;
	}
}
