/* warc-write.c: the WARC/1.1 writer: each record built in memory as one
 * gzip member, appended whole, files rotated by size (see warc.h). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ZLIB_CONST
#include <zlib.h>

#include "common/sha1.h"
#include "common/xmalloc.h"
#include "crawler/warc-int.h"
#include "common/banned.h"

#define WARC_VERSION_LINE "WARC/1.1\r\n"
#define WARC_CONFORMS_TO \
	"http://iipc.github.io/warc-specifications/specifications/" \
	"warc-format/warc-1.1/"
/* Longest WARC-Refers-To value taken from a caller. */
#define REFERS_TO_MAX 512

struct warc_writer {
	char *dir;
	char prefix[RF_WARC_PREFIX_MAX + 1];
	uint64_t max_bytes;	/* 0: no rotation */
	enum warc_sync sync;
	bool uncompressed;
	struct buf info;	/* the warcinfo block, the same in every file */
	int fd;			/* -1 between files */
	char file[WARC_FILE_NAME_SIZE];
	uint64_t size;		/* bytes in the current file */
	bool has_records;	/* the file holds more than its warcinfo */
	unsigned serial;	/* NNNNN of the next file name */
	char info_id[WARC_ID_SIZE];	/* the current file's warcinfo */
	bool broken;		/* a failed write could not be undone */
	bool unsynced;		/* written since the last fsync() */
	/* the background sync (warc_writer_sync_start()): fd is not closed
	 * while it runs */
	pthread_t bg;
	bool bg_running;	/* started, not joined yet */
	atomic_bool bg_ended;	/* set by the thread when done */
	int bg_errno;		/* its fdatasync()'s errno, 0 if fine */
	void (*bg_wake)(void *);
	void *bg_arg;
	z_stream z;
	bool z_ready;
	struct buf out;		/* the members of one write */
	struct buf hdr;		/* one record header */
	struct buf head[2];	/* HTTP heads with Transfer-Encoding renamed */
};

/* One record to write; every pointer is borrowed. */
struct rec {
	enum warc_type type;
	char id[WARC_ID_SIZE];
	time_t date;
	const char *target_uri;
	const char *ip;
	const char *concurrent_to;
	const char *refers_to;
	const char *refers_to_uri;
	time_t refers_to_date;
	const char *profile;
	const char *filename;
	const char *truncated;
	const char *payload_digest;
	const char *const *fields;
	const char *content_type;
	const void *part[2];
	size_t part_len[2];
};

/* Fields the writer sets itself; callers may not add them. */
static const char *const reserved_fields[] = {
	"WARC-Type", "WARC-Record-ID", "WARC-Date", "WARC-Target-URI",
	"WARC-IP-Address", "WARC-Refers-To", "WARC-Refers-To-Target-URI",
	"WARC-Refers-To-Date", "WARC-Profile", "WARC-Warcinfo-ID",
	"WARC-Filename", "WARC-Truncated", "WARC-Block-Digest",
	"WARC-Payload-Digest", "WARC-Segment-Number",
	"WARC-Segment-Origin-ID", "WARC-Segment-Total-Length",
	"Content-Type", "Content-Length",
};

/* warcinfo fields the writer writes itself. */
static const char *const reserved_info[] = {
	"software", "format", "conformsTo",
};

/* ---- validation of what callers pass ---- */

/* A field value: anything but control characters (tabs are fine). */
static bool
valid_value(const char *s)
{
	if (!s)
		return false;
	for (; *s; s++)
		if (((unsigned char)*s < 32 && *s != '\t') || *s == 127)
			return false;
	return true;
}

/* A URI: not empty, no white space, controls or angle brackets. */
static bool
valid_uri(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 32 || *s == 127 || *s == '<' ||
		    *s == '>')
			return false;
	return true;
}

static bool
valid_ip(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 45 &&
	       strspn(s, "0123456789abcdefABCDEF.:") == n;
}

/* A labelled digest: algorithm ":" value, both tokens. */
static bool
valid_digest(const char *s)
{
	const char *colon = strchr(s, ':');

	return colon && warc_is_token(s, (size_t)(colon - s)) &&
	       strspn(colon + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "abcdefghijklmnopqrstuvwxyz0123456789=") ==
		       strlen(colon + 1) &&
	       colon[1];
}

/* "Name: value" with a token name not in reserved (n names). */
static bool
valid_named(const char *s, const char *const *reserved, size_t n)
{
	const char *colon = strchr(s, ':');
	size_t name_len, i;

	if (!colon)
		return false;
	name_len = (size_t)(colon - s);
	if (!warc_is_token(s, name_len) || !valid_value(colon + 1))
		return false;
	for (i = 0; i < n; i++)
		if (strlen(reserved[i]) == name_len &&
		    strncasecmp(s, reserved[i], name_len) == 0)
			return false;
	return true;
}

static bool
valid_fields(const char *const *fields)
{
	for (; fields && *fields; fields++)
		if (!valid_named(*fields, reserved_fields,
				 RF_ARRAY_SIZE(reserved_fields)))
			return false;
	return true;
}

/* A head that ends with its empty line, a body that is there. */
static bool
valid_http(const struct warc_http *m)
{
	const char *h = m->head;

	if (!h || m->head_len < 2 || (!m->body && m->body_len))
		return false;
	return h[m->head_len - 1] == '\n' &&
	       (h[m->head_len - 2] == '\n' ||
		(m->head_len >= 3 && h[m->head_len - 2] == '\r' &&
		 h[m->head_len - 3] == '\n'));
}

static bool
valid_capture(const struct warc_capture *cap, bool need_uri)
{
	if (!cap)
		return false;
	if (need_uri ? !valid_uri(cap->target_uri)
		     : cap->target_uri && !valid_uri(cap->target_uri))
		return false;
	if (cap->ip && !valid_ip(cap->ip))
		return false;
	if (cap->truncated &&
	    !warc_is_token(cap->truncated, strlen(cap->truncated)))
		return false;
	return valid_fields(cap->fields);
}

/*
 * Writes a record id in its angle brackets to out (REFERS_TO_MAX bytes),
 * adding the brackets if id lacks them. false for anything not a URI.
 */
static bool
bracket_id(const char *id, char *out)
{
	size_t n = strlen(id);

	if (n >= 2 && id[0] == '<' && id[n - 1] == '>') {
		id++;
		n -= 2;
	}
	if (n == 0 || n + 3 > REFERS_TO_MAX)
		return false;
	out[0] = '<';
	memcpy(out + 1, id, n);
	out[n + 1] = '\0';
	if (!valid_uri(out + 1))
		return false;
	out[n + 1] = '>';
	out[n + 2] = '\0';
	return true;
}

/* ---- small helpers ---- */

static enum rf_err
random_bytes(unsigned char *p, size_t n)
{
	size_t got = 0;
	int fd;

	while (got < n) {
		ssize_t r = getrandom(p + got, n - got, 0);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		got += (size_t)r;
	}
	if (got == n)
		return RF_OK;
	/* a kernel without getrandom(2) */
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return RF_EIO;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return got == n ? RF_OK : RF_EIO;
}

/* A random (version 4) UUID as a WARC record id. */
static enum rf_err
new_id(char out[WARC_ID_SIZE])
{
	unsigned char u[16];
	enum rf_err err;

	if ((err = random_bytes(u, sizeof(u))) != RF_OK)
		return err;
	u[6] = (unsigned char)((u[6] & 0x0f) | 0x40);
	u[8] = (unsigned char)((u[8] & 0x3f) | 0x80);
	snprintf(out, WARC_ID_SIZE,
		 "<urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x>",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
	return RF_OK;
}

/* t as YYYY-MM-DDThh:mm:ssZ (UTC) into out. */
static void
format_date(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "1970-01-01T00:00:00Z");
}

static enum rf_err
write_all(int fd, const void *data, size_t len, uint64_t off)
{
	const char *p = data;

	while (len) {
		ssize_t n = pwrite(fd, p, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return RF_EIO;
		p += n;
		len -= (size_t)n;
		off += (uint64_t)n;
	}
	return RF_OK;
}

static char *
join_path(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p = xmalloc(a + b + 2);

	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

/* Makes a new file's directory entry durable. */
static enum rf_err
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	enum rf_err err = RF_OK;

	if (fd < 0)
		return RF_EIO;
	/* some file systems cannot sync a directory: nothing to do */
	if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
		err = RF_EIO;
	close(fd);
	return err;
}

/* ---- building records ---- */

static void
hdr_field(struct buf *b, const char *name, const char *value)
{
	buf_addf(b, "%s: %s\r\n", name, value);
}

/* Feeds len bytes at p to the deflate stream, output into out. */
static enum rf_err
deflate_feed(struct warc_writer *w, const void *p, size_t len, int flush)
{
	z_stream *z = &w->z;
	struct buf *out = &w->out;
	int ret;

	z->next_in = p;
	do {
		size_t slice = len > (1u << 30) ? (1u << 30) : len;

		z->avail_in = (uInt)slice;
		len -= slice;
		do {
			size_t room;

			if (buf_grow(out, 65536) != RF_OK)
				return RF_ETOOBIG;
			room = out->alloc - out->len - 1;
			if (room > (1u << 30))
				room = 1u << 30;
			z->next_out = (Bytef *)out->data + out->len;
			z->avail_out = (uInt)room;
			ret = deflate(z, len ? Z_NO_FLUSH : flush);
			out->len += room - z->avail_out;
			out->data[out->len] = '\0';
			if (ret == Z_STREAM_ERROR)
				return RF_EIO;
		} while (z->avail_out == 0 ||
			 (flush == Z_FINISH && !len && ret != Z_STREAM_END));
	} while (len);
	return RF_OK;
}

/*
 * Appends record r to w->out: one gzip member, or the plain record when
 * the writer is uncompressed.
 */
static enum rf_err
build_record(struct warc_writer *w, const struct rec *r)
{
	struct buf *h = &w->hdr;
	struct sha1_ctx sc;
	unsigned char d[SHA1_DIGEST_LEN];
	char digest[WARC_DIGEST_SIZE], date[32];
	const char *const *f;
	enum rf_err err;
	uint64_t clen = (uint64_t)r->part_len[0] + r->part_len[1];
	int i;

	sha1_init(&sc);
	for (i = 0; i < 2; i++)
		if (r->part_len[i])
			sha1_update(&sc, r->part[i], r->part_len[i]);
	sha1_final(&sc, d);
	warc_sha1_label(d, digest);

	buf_reset(h);
	buf_addstr(h, WARC_VERSION_LINE);
	hdr_field(h, "WARC-Type", warc_type_name(r->type));
	hdr_field(h, "WARC-Record-ID", r->id);
	format_date(r->date, date);
	hdr_field(h, "WARC-Date", date);
	if (r->target_uri)
		hdr_field(h, "WARC-Target-URI", r->target_uri);
	if (r->ip)
		hdr_field(h, "WARC-IP-Address", r->ip);
	if (r->concurrent_to)
		hdr_field(h, "WARC-Concurrent-To", r->concurrent_to);
	if (r->refers_to)
		hdr_field(h, "WARC-Refers-To", r->refers_to);
	if (r->refers_to_uri)
		hdr_field(h, "WARC-Refers-To-Target-URI", r->refers_to_uri);
	if (r->refers_to_date) {
		format_date(r->refers_to_date, date);
		hdr_field(h, "WARC-Refers-To-Date", date);
	}
	if (r->profile)
		hdr_field(h, "WARC-Profile", r->profile);
	if (r->filename)
		hdr_field(h, "WARC-Filename", r->filename);
	if (r->type != WARC_TYPE_WARCINFO)
		hdr_field(h, "WARC-Warcinfo-ID", w->info_id);
	if (r->truncated)
		hdr_field(h, "WARC-Truncated", r->truncated);
	hdr_field(h, "WARC-Block-Digest", digest);
	if (r->payload_digest)
		hdr_field(h, "WARC-Payload-Digest", r->payload_digest);
	for (f = r->fields; f && *f; f++)
		buf_addf(h, "%s\r\n", *f);
	if (r->content_type)
		hdr_field(h, "Content-Type", r->content_type);
	buf_addf(h, "Content-Length: %llu\r\n\r\n", (unsigned long long)clen);
	if (buf_failed(h))
		return RF_ETOOBIG;

	if (w->uncompressed) {
		buf_add(&w->out, h->data, h->len);
		for (i = 0; i < 2; i++)
			buf_add(&w->out, r->part[i], r->part_len[i]);
		buf_add(&w->out, "\r\n\r\n", 4);
		return buf_failed(&w->out) ? RF_ETOOBIG : RF_OK;
	}
	if (deflateReset(&w->z) != Z_OK)
		return RF_EIO;
	if ((err = deflate_feed(w, h->data, h->len, Z_NO_FLUSH)) != RF_OK)
		return err;
	for (i = 0; i < 2; i++)
		if (r->part_len[i] &&
		    (err = deflate_feed(w, r->part[i], r->part_len[i],
					Z_NO_FLUSH)) != RF_OK)
			return err;
	return deflate_feed(w, "\r\n\r\n", 4, Z_FINISH);
}

/* Builds n records into w->out, recording where each member starts. */
static enum rf_err
build_records(struct warc_writer *w, const struct rec *recs, size_t n,
	      size_t *starts)
{
	enum rf_err err;
	size_t i;

	buf_reset(&w->out);
	for (i = 0; i < n; i++) {
		starts[i] = w->out.len;
		if ((err = build_record(w, &recs[i])) != RF_OK)
			return err;
	}
	starts[n] = w->out.len;
	return RF_OK;
}

/* Appends w->out to the file; on failure cuts the file back. */
static enum rf_err
append_out(struct warc_writer *w)
{
	if (write_all(w->fd, w->out.data, w->out.len, w->size) != RF_OK) {
		int saved = errno;

		/* leave no part of a member behind */
		if (ftruncate(w->fd, (off_t)w->size) != 0)
			w->broken = true;
		errno = saved;
		return RF_EIO;
	}
	w->unsynced = true;
	if (w->sync == WARC_SYNC_RECORD && fsync(w->fd) != 0) {
		/* after a failed fsync the kernel may have dropped the
		 * pages: nothing written since can be trusted */
		w->broken = true;
		return RF_EIO;
	}
	if (w->sync == WARC_SYNC_RECORD)
		w->unsynced = false;
	return RF_OK;
}

static enum rf_err open_file(struct warc_writer *w);

/* Waits for the background sync, if one runs; RF_EIO if it failed. */
static enum rf_err
bg_join(struct warc_writer *w)
{
	if (!w->bg_running)
		return RF_OK;
	pthread_join(w->bg, NULL);
	w->bg_running = false;
	if (w->bg_errno == 0)
		return RF_OK;
	/* as in append_out(): after a failed sync nothing can be trusted */
	w->broken = true;
	return RF_EIO;
}

static enum rf_err
finish_file(struct warc_writer *w)
{
	enum rf_err err = RF_OK;

	if (w->fd < 0)
		return RF_OK;
	/* the background sync uses fd: wait for it */
	if (bg_join(w) != RF_OK)
		err = RF_EIO;
	if (w->sync != WARC_SYNC_NONE && fsync(w->fd) != 0)
		err = RF_EIO;
	if (close(w->fd) != 0)
		err = RF_EIO;
	w->fd = -1;
	w->unsynced = false;
	return err;
}

/*
 * Writes records recs[0..n) together, into a new file when they would take
 * the current one past max_bytes, and fills locs[i] (each may be NULL).
 */
static enum rf_err
commit(struct warc_writer *w, struct rec *recs, size_t n,
       struct warc_loc **locs)
{
	size_t starts[3], i;
	enum rf_err err;

	if (w->broken || w->fd < 0)
		return RF_EIO;
	if ((err = build_records(w, recs, n, starts)) != RF_OK)
		return err;
	if (w->max_bytes && w->has_records &&
	    w->size + w->out.len > w->max_bytes) {
		if ((err = finish_file(w)) != RF_OK)
			return err;
		if ((err = open_file(w)) != RF_OK)
			return err;
		/* again, to name the new file's warcinfo */
		if ((err = build_records(w, recs, n, starts)) != RF_OK)
			return err;
	}
	if ((err = append_out(w)) != RF_OK)
		return err;
	for (i = 0; i < n; i++) {
		if (!locs[i])
			continue;
		memcpy(locs[i]->id, recs[i].id, WARC_ID_SIZE);
		memcpy(locs[i]->file, w->file, WARC_FILE_NAME_SIZE);
		locs[i]->offset = w->size + starts[i];
		locs[i]->length = starts[i + 1] - starts[i];
	}
	w->size += w->out.len;
	w->has_records = true;
	return RF_OK;
}

/* Creates the next file and writes its warcinfo record. */
static enum rf_err
open_file(struct warc_writer *w)
{
	char stamp[16];
	time_t now = time(NULL);
	struct tm tm;
	struct rec info;
	size_t starts[2];
	enum rf_err err;
	char *path = NULL;

	if (!gmtime_r(&now, &tm) ||
	    strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm) == 0)
		return RF_EIO;
	for (;;) {
		if (w->serial > 99999)
			return RF_EIO;
		snprintf(w->file, sizeof(w->file), "%s-%s-%05u.warc%s",
			 w->prefix, stamp, w->serial++,
			 w->uncompressed ? "" : ".gz");
		free(path);
		path = join_path(w->dir, w->file);
		w->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
					   O_NOCTTY,
			     0640);
		if (w->fd >= 0)
			break;
		if (errno != EEXIST) {
			err = errno == ENOENT || errno == ENOTDIR ? RF_ENOENT
							       : RF_EIO;
			goto out;
		}
	}
	w->size = 0;
	w->has_records = false;
	if (w->sync != WARC_SYNC_NONE && (err = sync_dir(w->dir)) != RF_OK)
		goto fail;

	memset(&info, 0, sizeof(info));
	info.type = WARC_TYPE_WARCINFO;
	if ((err = new_id(info.id)) != RF_OK)
		goto fail;
	memcpy(w->info_id, info.id, WARC_ID_SIZE);
	info.date = now;
	info.filename = w->file;
	info.content_type = "application/warc-fields";
	info.part[0] = w->info.data;
	info.part_len[0] = w->info.len;
	if ((err = build_records(w, &info, 1, starts)) != RF_OK ||
	    (err = append_out(w)) != RF_OK)
		goto fail;
	w->size = w->out.len;
	err = RF_OK;
	goto out;
fail:
	/* a file without its warcinfo is no use to anybody */
	close(w->fd);
	w->fd = -1;
	unlink(path);
out:
	free(path);
	return err;
}

/* ---- public API ---- */

enum rf_err
warc_writer_open(const char *dir, const char *prefix, uint64_t max_bytes,
		 const struct warc_writer_opts *opts,
		 struct warc_writer **out)
{
	static const struct warc_writer_opts defaults;
	struct warc_writer *w = NULL;
	const char *const *f;
	size_t plen = prefix ? strlen(prefix) : 0;
	enum rf_err err;

	*out = NULL;
	if (!opts)
		opts = &defaults;
	if (!dir || !*dir || plen == 0 || plen > RF_WARC_PREFIX_MAX ||
	    prefix[0] == '.' ||
	    strspn(prefix, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwx"
			   "yz0123456789._-") != plen)
		return RF_EINVAL;
	if (opts->software && !valid_value(opts->software))
		return RF_EINVAL;
	for (f = opts->info; f && *f; f++)
		if (!valid_named(*f, reserved_info,
				 RF_ARRAY_SIZE(reserved_info)))
			return RF_EINVAL;

	w = xcalloc(1, sizeof(*w));
	w->fd = -1;
	w->dir = xstrdup(dir);
	memcpy(w->prefix, prefix, plen + 1);
	w->max_bytes = max_bytes;
	w->sync = opts->sync;
	w->uncompressed = opts->uncompressed;
	buf_init(&w->info, 0);
	buf_init(&w->out, 0);
	buf_init(&w->hdr, RF_WARC_HEADER_MAX);
	buf_init(&w->head[0], 0);
	buf_init(&w->head[1], 0);
	if (!w->uncompressed) {
		if (deflateInit2(&w->z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
				 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			err = RF_EIO;
			goto fail;
		}
		w->z_ready = true;
	}

	buf_addf(&w->info, "software: %s\r\n",
		 opts->software ? opts->software
				: PACKAGE_NAME "/" PACKAGE_VERSION);
	buf_addstr(&w->info, "format: WARC File Format 1.1\r\n");
	buf_addstr(&w->info, "conformsTo: " WARC_CONFORMS_TO "\r\n");
	for (f = opts->info; f && *f; f++)
		buf_addf(&w->info, "%s\r\n", *f);

	if ((err = open_file(w)) != RF_OK)
		goto fail;
	*out = w;
	return RF_OK;
fail:
	warc_writer_close(w);
	return err;
}

enum rf_err
warc_writer_sync(struct warc_writer *w)
{
	if (!w || w->sync == WARC_SYNC_NONE)
		return RF_OK;
	if (w->broken)
		return RF_EIO;
	if (bg_join(w) != RF_OK)
		return RF_EIO;
	if (w->fd < 0 || !w->unsynced)
		return RF_OK;
	/* an append-only file: fdatasync() flushes the data and the size
	 * that makes it readable, which is all a record needs */
	if (fdatasync(w->fd) != 0) {
		/* as in append_out(): the pages may be gone */
		w->broken = true;
		return RF_EIO;
	}
	w->unsynced = false;
	return RF_OK;
}

static void *
bg_main(void *arg)
{
	struct warc_writer *w = arg;

	w->bg_errno = fdatasync(w->fd) == 0 ? 0 : errno;
	atomic_store(&w->bg_ended, true);
	if (w->bg_wake)
		w->bg_wake(w->bg_arg);
	return NULL;
}

enum rf_err
warc_writer_sync_start(struct warc_writer *w, void (*wake)(void *),
		       void *arg)
{
	enum rf_err err;

	if (!w || w->sync == WARC_SYNC_NONE)
		goto ended;
	if ((err = bg_join(w)) != RF_OK)
		return err;
	if (w->broken)
		return RF_EIO;
	if (w->fd < 0 || !w->unsynced)
		goto ended;
	w->bg_errno = 0;
	w->bg_wake = wake;
	w->bg_arg = arg;
	atomic_store(&w->bg_ended, false);
	/* from here the records written so far are the thread's: a later
	 * write marks the file unsynced again */
	w->unsynced = false;
	if (pthread_create(&w->bg, NULL, bg_main, w) != 0) {
		/* no thread: sync here */
		w->unsynced = true;
		if ((err = warc_writer_sync(w)) != RF_OK)
			return err;
		goto ended;
	}
	w->bg_running = true;
	return RF_OK;
ended:
	/* nothing to wait for, but the caller still hears of it */
	if (wake)
		wake(arg);
	return RF_OK;
}

bool
warc_writer_sync_ended(struct warc_writer *w)
{
	return !w || !w->bg_running || atomic_load(&w->bg_ended);
}

enum rf_err
warc_writer_sync_end(struct warc_writer *w)
{
	if (!w)
		return RF_OK;
	if (bg_join(w) != RF_OK || w->broken)
		return RF_EIO;
	return RF_OK;
}

enum rf_err
warc_writer_close(struct warc_writer *w)
{
	enum rf_err err;

	if (!w)
		return RF_OK;
	err = finish_file(w);
	if (w->z_ready)
		deflateEnd(&w->z);
	buf_release(&w->info);
	buf_release(&w->out);
	buf_release(&w->hdr);
	buf_release(&w->head[0]);
	buf_release(&w->head[1]);
	free(w->dir);
	free(w);
	return err;
}

const char *
warc_writer_file(const struct warc_writer *w)
{
	return w->file;
}

static void
emit_sha1(void *ctx, const unsigned char *piece, size_t n)
{
	sha1_update(ctx, piece, n);
}

/* The SHA-1 of msg's payload; chunked: whether its head says so. */
static void
payload_sha1(const struct warc_http *msg, bool chunked,
	     unsigned char d[SHA1_DIGEST_LEN])
{
	struct sha1_ctx c;
	const unsigned char *body = msg->body ? msg->body
					      : (const unsigned char *)"";

	sha1_init(&c);
	if (chunked && !msg->body_dechunked &&
	    http_dechunk(body, msg->body_len, emit_sha1, &c) ==
		    DECHUNK_NOT_CHUNKED) {
		/* framed as nothing: the payload is the body as it is */
		sha1_init(&c);
		sha1_update(&c, body, msg->body_len);
	} else if (!chunked || msg->body_dechunked) {
		sha1_update(&c, body, msg->body_len);
	}
	sha1_final(&c, d);
}

void
warc_payload_digest(const struct warc_http *msg, char out[WARC_DIGEST_SIZE])
{
	unsigned char d[SHA1_DIGEST_LEN];

	payload_sha1(msg,
		     msg->head && http_head_chunked(msg->head, msg->head_len,
						    NULL),
		     d);
	warc_sha1_label(d, out);
}

/*
 * Fills r's block from msg: the head (renamed into scratch when the body
 * comes de-chunked) and, with_body, the body; and its payload digest into
 * digest.
 */
static void
http_parts(struct rec *r, const struct warc_http *msg, struct buf *scratch,
	   bool with_body, char digest[WARC_DIGEST_SIZE])
{
	unsigned char d[SHA1_DIGEST_LEN];
	bool chunked = http_head_chunked(msg->head, msg->head_len, NULL);

	r->part[0] = msg->head;
	r->part_len[0] = msg->head_len;
	if (chunked && msg->body_dechunked) {
		buf_reset(scratch);
		http_head_chunked(msg->head, msg->head_len, scratch);
		r->part[0] = scratch->data;
		r->part_len[0] = scratch->len;
	}
	if (with_body) {
		r->part[1] = msg->body;
		r->part_len[1] = msg->body_len;
	}
	/* what warc_payload_digest() writes, else hashed here */
	if (msg->payload_digest &&
	    strlen(msg->payload_digest) == WARC_DIGEST_SIZE - 1 &&
	    strncmp(msg->payload_digest, "sha1:", 5) == 0 &&
	    valid_digest(msg->payload_digest)) {
		memcpy(digest, msg->payload_digest, WARC_DIGEST_SIZE);
	} else {
		payload_sha1(msg, chunked, d);
		warc_sha1_label(d, digest);
	}
	r->payload_digest = digest;
}

/* The request record of a capture, if req is given. */
static enum rf_err
request_rec(struct warc_writer *w, const struct warc_capture *cap,
	    const struct warc_http *req, struct rec *r,
	    char digest[WARC_DIGEST_SIZE])
{
	memset(r, 0, sizeof(*r));
	r->type = WARC_TYPE_REQUEST;
	r->target_uri = cap->target_uri;
	r->ip = cap->ip;
	r->fields = cap->fields;
	r->content_type = "application/http;msgtype=request";
	http_parts(r, req, &w->head[1], true, digest);
	return buf_failed(&w->head[1]) ? RF_ETOOBIG : RF_OK;
}

/* Writes main and, if req is given, its request record, paired. */
static enum rf_err
write_pair(struct warc_writer *w, const struct warc_capture *cap,
	   const struct warc_http *req, struct rec *main_rec,
	   struct warc_loc *req_loc, struct warc_loc *main_loc)
{
	struct rec recs[2];
	struct warc_loc *locs[2] = { main_loc, req_loc };
	char digest[WARC_DIGEST_SIZE];
	time_t date = cap->date ? cap->date : time(NULL);
	enum rf_err err;

	main_rec->date = date;
	if ((err = new_id(main_rec->id)) != RF_OK)
		return err;
	recs[0] = *main_rec;
	if (!req)
		return commit(w, recs, 1, locs);
	if ((err = request_rec(w, cap, req, &recs[1], digest)) != RF_OK)
		return err;
	recs[1].date = date;
	if ((err = new_id(recs[1].id)) != RF_OK)
		return err;
	/* WARC-Concurrent-To both ways, so either record finds the other */
	recs[0].concurrent_to = recs[1].id;
	recs[1].concurrent_to = recs[0].id;
	return commit(w, recs, 2, locs);
}

enum rf_err
warc_write_exchange(struct warc_writer *w, const struct warc_capture *cap,
		    const struct warc_http *req, const struct warc_http *resp,
		    struct warc_loc *req_loc, struct warc_loc *resp_loc)
{
	struct rec r;
	char digest[WARC_DIGEST_SIZE];

	if (!w || !valid_capture(cap, true) || !resp || !valid_http(resp) ||
	    (req && !valid_http(req)))
		return RF_EINVAL;
	memset(&r, 0, sizeof(r));
	r.type = WARC_TYPE_RESPONSE;
	r.target_uri = cap->target_uri;
	r.ip = cap->ip;
	r.truncated = cap->truncated;
	r.fields = cap->fields;
	r.content_type = "application/http;msgtype=response";
	http_parts(&r, resp, &w->head[0], true, digest);
	if (buf_failed(&w->head[0]))
		return RF_ETOOBIG;
	return write_pair(w, cap, req, &r, req_loc, resp_loc);
}

enum rf_err
warc_write_revisit(struct warc_writer *w, const struct warc_capture *cap,
		   const struct warc_revisit *rv, const struct warc_http *req,
		   const struct warc_http *resp, struct warc_loc *req_loc,
		   struct warc_loc *rev_loc)
{
	struct rec r;
	char digest[WARC_DIGEST_SIZE], refers[REFERS_TO_MAX];
	bool identical;

	if (!w || !valid_capture(cap, true) || !rv || !resp ||
	    !valid_http(resp) || (req && !valid_http(req)) ||
	    (rv->refers_to && !bracket_id(rv->refers_to, refers)) ||
	    (rv->refers_to_uri && !valid_uri(rv->refers_to_uri)) ||
	    (rv->profile != WARC_PROFILE_IDENTICAL_PAYLOAD &&
	     rv->profile != WARC_PROFILE_NOT_MODIFIED))
		return RF_EINVAL;
	identical = rv->profile == WARC_PROFILE_IDENTICAL_PAYLOAD;
	if (!identical && rv->payload_digest &&
	    !valid_digest(rv->payload_digest))
		return RF_EINVAL;
	memset(&r, 0, sizeof(r));
	r.type = WARC_TYPE_REVISIT;
	r.target_uri = cap->target_uri;
	r.ip = cap->ip;
	r.fields = cap->fields;
	r.content_type = "application/http;msgtype=response";
	r.refers_to = rv->refers_to ? refers : NULL;
	r.refers_to_uri = rv->refers_to_uri;
	r.refers_to_date = rv->refers_to_date;
	r.truncated = cap->truncated;
	/* identical: keep the head, drop the body the earlier record has */
	http_parts(&r, resp, &w->head[0], !identical, digest);
	if (buf_failed(&w->head[0]))
		return RF_ETOOBIG;
	if (identical) {
		r.profile = WARC_PROFILE_IDENTICAL_URI;
		if (resp->body_len)
			r.truncated = "length";
	} else {
		r.profile = WARC_PROFILE_NOT_MODIFIED_URI;
		/* the payload is the earlier one, not this 304's body */
		r.payload_digest = rv->payload_digest;
	}
	return write_pair(w, cap, req, &r, req_loc, rev_loc);
}

enum rf_err
warc_write_metadata(struct warc_writer *w, const struct warc_capture *cap,
		    const char *refers_to, const char *content_type,
		    const void *block, size_t len, struct warc_loc *loc)
{
	static const struct warc_capture no_capture;
	struct rec r;
	struct warc_loc *locs[1] = { loc };
	char refers[REFERS_TO_MAX];
	enum rf_err err;

	if (!cap)
		cap = &no_capture;
	if (!w || !valid_capture(cap, false) || !content_type ||
	    !*content_type || !valid_value(content_type) ||
	    (refers_to && !bracket_id(refers_to, refers)) ||
	    (!block && len))
		return RF_EINVAL;
	memset(&r, 0, sizeof(r));
	r.type = WARC_TYPE_METADATA;
	r.date = cap->date ? cap->date : time(NULL);
	r.target_uri = cap->target_uri;
	r.refers_to = refers_to ? refers : NULL;
	r.fields = cap->fields;
	r.content_type = content_type;
	r.part[0] = block;
	r.part_len[0] = len;
	if ((err = new_id(r.id)) != RF_OK)
		return err;
	return commit(w, &r, 1, locs);
}

enum rf_err
warc_write_resource(struct warc_writer *w, const struct warc_capture *cap,
		    const char *content_type, const void *block, size_t len,
		    struct warc_loc *loc)
{
	struct rec r;
	struct warc_loc *locs[1] = { loc };
	unsigned char d[SHA1_DIGEST_LEN];
	char digest[WARC_DIGEST_SIZE];
	enum rf_err err;

	if (!w || !valid_capture(cap, true) || !content_type ||
	    !*content_type || !valid_value(content_type) || (!block && len))
		return RF_EINVAL;
	memset(&r, 0, sizeof(r));
	r.type = WARC_TYPE_RESOURCE;
	r.date = cap->date ? cap->date : time(NULL);
	r.target_uri = cap->target_uri;
	r.ip = cap->ip;
	r.truncated = cap->truncated;
	r.fields = cap->fields;
	r.content_type = content_type;
	r.part[0] = block;
	r.part_len[0] = len;
	/* a resource's payload is its block */
	sha1_digest(block ? block : "", len, d);
	warc_sha1_label(d, digest);
	r.payload_digest = digest;
	if ((err = new_id(r.id)) != RF_OK)
		return err;
	return commit(w, &r, 1, locs);
}
