/*
 * test-warc.c: unit tests of crawler/warc: records written and read back
 * with their digests recomputed here, rotation by size, and the reader
 * on damaged files (cut short, lying Content-Length, garbage, corrupt
 * gzip, over the caps).
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "common/buf.h"
#include "common/encode.h"
#include "common/err.h"
#include "common/sha1.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "crawler/warc.h"

#define DATE 1700000000	/* 2023-11-14T22:13:20Z */
#define DATE_STR "2023-11-14T22:13:20Z"

/* ---- helpers ---- */

static char *
make_tmpdir(void)
{
	const char *t = getenv("TMPDIR");
	char *dir;
	size_t n;

	if (!t || !*t)
		t = "/tmp";
	n = strlen(t) + 32;
	dir = xmalloc(n);
	snprintf(dir, n, "%s/test-warc-XXXXXX", t);
	assert_non_null(mkdtemp(dir));
	return dir;
}

static void
remove_tmpdir(char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[4096];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
	free(dir);
}

static char *
path_in(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = xmalloc(n);

	snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* The files of dir, sorted, NULL-terminated; the caller frees all. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char **
list_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **v = NULL;
	size_t alloc = 0;

	*n = 0;
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		ALLOC_GROW(v, *n + 2, alloc);
		v[(*n)++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (*n)
		qsort(v, *n, sizeof(*v), cmp_str);
	ALLOC_GROW(v, *n + 1, alloc);
	v[*n] = NULL;
	return v;
}

static void
free_list(char **v)
{
	size_t i;

	for (i = 0; v[i]; i++)
		free(v[i]);
	free(v);
}

/* "sha1:" + base32, computed here without the module's code paths. */
static void
sha1_label(const void *data, size_t len, char out[WARC_DIGEST_SIZE])
{
	unsigned char d[SHA1_DIGEST_LEN];

	sha1_digest(data, len, d);
	memcpy(out, "sha1:", 5);
	encode_base32(d, sizeof(d), out + 5);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static void
read_whole(const char *path, struct buf *b)
{
	buf_init(b, 0);
	assert_int_equal(file_read(path, (size_t)1 << 30, b), RF_OK);
}

/* Appends len bytes at data to out as one gzip member. */
static void
gz_member(struct buf *out, const void *data, size_t len)
{
	z_stream z;
	unsigned char tmp[65536];
	int ret;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = tmp;
		z.avail_out = sizeof(tmp);
		ret = deflate(&z, Z_FINISH);
		buf_add(out, tmp, sizeof(tmp) - z.avail_out);
	} while (ret != Z_STREAM_END);
	deflateEnd(&z);
}

/*
 * Appends a record by hand: type, block, and a Content-Length of
 * block_len + cl_delta (the lie under test). No trailer when !trailer.
 */
static void
hand_record(struct buf *out, const char *type, const char *id,
	    const char *block, long cl_delta)
{
	size_t len = strlen(block);
	char digest[WARC_DIGEST_SIZE];

	sha1_label(block, len, digest);
	buf_addf(out,
		 "WARC/1.1\r\n"
		 "WARC-Type: %s\r\n"
		 "WARC-Record-ID: <urn:uuid:%s>\r\n"
		 "WARC-Date: " DATE_STR "\r\n"
		 "WARC-Target-URI: http://example.test/%s\r\n"
		 "WARC-Block-Digest: %s\r\n"
		 "Content-Type: text/plain\r\n"
		 "Content-Length: %ld\r\n"
		 "\r\n"
		 "%s\r\n\r\n",
		 type, id, id, digest, (long)len + cl_delta, block);
}

/* Reads every record of path: the ids of good ones joined by spaces,
 * an "E" for each RF_EPARSE. */
static void
read_summary(const char *path, size_t block_max, struct buf *sum)
{
	struct warc_reader *r;
	const struct warc_record *rec;
	enum rf_err err;
	int guard = 0;

	buf_init(sum, 0);
	assert_int_equal(warc_reader_open(path, block_max, &r), RF_OK);
	for (;;) {
		assert_true(++guard < 10000);
		err = warc_reader_next(r, &rec);
		if (err == RF_EPARSE) {
			assert_true(warc_reader_error(r)[0] != '\0');
			if (getenv("WARC_TEST_VERBOSE"))
				fprintf(stderr, "%s\n", warc_reader_error(r));
			buf_addstr(sum, sum->len ? " E" : "E");
			continue;
		}
		assert_int_equal(err, RF_OK);
		if (!rec)
			break;
		if (sum->len)
			buf_addch(sum, ' ');
		if (warc_record_type(rec) == WARC_TYPE_WARCINFO) {
			buf_addstr(sum, "info");
		} else {
			const char *id = warc_record_header(rec,
							    "WARC-Record-ID");
			assert_non_null(id);
			/* "<urn:uuid:" + short id + ">" */
			buf_add(sum, id + 10, strlen(id) - 11);
		}
		assert_int_equal(warc_record_check_block(rec),
				 WARC_DIGEST_OK);
	}
	warc_reader_free(r);
}

static const char req_head[] =
	"GET /job/42 HTTP/1.1\r\n"
	"Host: example.test\r\n"
	"User-Agent: redflag-test\r\n"
	"\r\n";
static const char resp_head[] =
	"HTTP/1.1 200 OK\r\n"
	"Content-Type: text/html; charset=utf-8\r\n"
	"Content-Length: 34\r\n"
	"X-Folded: one\r\n"
	"  two\r\n"
	"\r\n";
static const char resp_body[] = "<html><p>Работа в Дубае</p></html>";
static const char chunked_head[] =
	"HTTP/1.1 200 OK\r\n"
	"Content-Type: text/plain\r\n"
	"Transfer-Encoding: chunked\r\n"
	"\r\n";
static const char chunked_body[] =
	"5\r\nhello\r\n"
	"6;ext=1\r\n world\r\n"
	"0\r\n"
	"Trailer: x\r\n"
	"\r\n";
static const char not_modified_head[] =
	"HTTP/1.1 304 Not Modified\r\n"
	"ETag: \"abc\"\r\n"
	"\r\n";

static struct warc_http
http_msg(const char *head, const char *body, size_t body_len, bool dechunked)
{
	struct warc_http m;

	m.head = head;
	m.head_len = strlen(head);
	m.body = body;
	m.body_len = body_len;
	m.body_dechunked = dechunked;
	m.payload_digest = NULL;
	return m;
}

/* ---- writing and reading back ---- */

struct written {
	struct warc_loc req, resp, chunk_req, chunk_resp, dech_resp, gz_resp;
	struct warc_loc rev_req, rev, nm_rev, meta, res;
	char file[WARC_FILE_NAME_SIZE];
};

static const unsigned char gz_body[] = {
	/* a gzip Content-Encoding body, recorded as received */
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xcb,
	0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x86, 0xa6, 0x10, 0x36, 0x05,
	0x00, 0x00, 0x00,
};

static void
write_sample(const char *dir, struct written *wr, bool uncompressed)
{
	static const char *const info[] = {
		"http-version-note: HTTP/2 exchanges recorded as HTTP/1.1 "
		"messages",
		"operator: unit test",
		NULL,
	};
	static const char *const extra[] = { "WARC-Protocol: http/1.1",
					     NULL };
	struct warc_writer_opts opts = { 0 };
	struct warc_writer *w;
	struct warc_capture cap = { 0 };
	struct warc_revisit rv = { 0 };
	struct warc_http req, resp;
	struct buf fields;
	static const char gz_head[] = "HTTP/1.1 200 OK\r\n"
				      "Content-Encoding: gzip\r\n"
				      "\r\n";

	opts.info = info;
	opts.uncompressed = uncompressed;
	opts.sync = WARC_SYNC_RECORD;
	assert_int_equal(warc_writer_open(dir, "test", 0, &opts, &w), RF_OK);
	memcpy(wr->file, warc_writer_file(w), WARC_FILE_NAME_SIZE);

	cap.target_uri = "http://example.test/job/42?a=1&b=%20";
	cap.ip = "192.0.2.7";
	cap.date = DATE;
	cap.fields = extra;
	req = http_msg(req_head, NULL, 0, false);
	resp = http_msg(resp_head, resp_body, strlen(resp_body), false);
	assert_int_equal(warc_write_exchange(w, &cap, &req, &resp, &wr->req,
					     &wr->resp),
			 RF_OK);

	/* chunk framing kept: the payload digest is of "hello world" */
	cap.fields = NULL;
	cap.target_uri = "http://example.test/chunked";
	resp = http_msg(chunked_head, chunked_body, strlen(chunked_body),
			false);
	assert_int_equal(warc_write_exchange(w, &cap, &req, &resp,
					     &wr->chunk_req,
					     &wr->chunk_resp),
			 RF_OK);

	/* de-chunked by the caller: Transfer-Encoding gets renamed */
	cap.target_uri = "http://example.test/dechunked";
	resp = http_msg(chunked_head, "hello world", 11, true);
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &wr->dech_resp),
			 RF_OK);

	/* gzip Content-Encoding stays as received */
	cap.target_uri = "http://example.test/gz";
	cap.truncated = "length";
	resp = http_msg(gz_head, (const char *)gz_body, sizeof(gz_body),
			false);
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &wr->gz_resp),
			 RF_OK);
	cap.truncated = NULL;

	/* the same payload again: an identical-payload revisit */
	cap.target_uri = "http://example.test/job/42?a=1&b=%20";
	cap.date = DATE + 60;
	rv.profile = WARC_PROFILE_IDENTICAL_PAYLOAD;
	rv.refers_to = wr->resp.id;
	rv.refers_to_uri = "http://example.test/job/42?a=1&b=%20";
	rv.refers_to_date = DATE;
	resp = http_msg(resp_head, resp_body, strlen(resp_body), false);
	assert_int_equal(warc_write_revisit(w, &cap, &rv, &req, &resp,
					    &wr->rev_req, &wr->rev),
			 RF_OK);

	/* a 304: server-not-modified, id given without brackets */
	char bare[WARC_ID_SIZE];
	memcpy(bare, wr->resp.id + 1, strlen(wr->resp.id) - 2);
	bare[strlen(wr->resp.id) - 2] = '\0';
	rv.profile = WARC_PROFILE_NOT_MODIFIED;
	rv.refers_to = bare;
	rv.payload_digest = "sha1:AIKLJM2V2EOKR4WOIWUWRQTEMUN57P4D";
	resp = http_msg(not_modified_head, NULL, 0, false);
	assert_int_equal(warc_write_revisit(w, &cap, &rv, NULL, &resp, NULL,
					    &wr->nm_rev),
			 RF_OK);

	/* the scan result, referring to the response */
	buf_init(&fields, 0);
	assert_int_equal(warc_fields_add(&fields, "redflag-score", "7.5"),
			 RF_OK);
	assert_int_equal(warc_fields_add(&fields, "redflag-level", "high"),
			 RF_OK);
	cap.date = DATE + 120;
	assert_int_equal(warc_write_metadata(w, &cap, wr->resp.id,
					     "application/warc-fields",
					     fields.data, fields.len,
					     &wr->meta),
			 RF_OK);
	buf_release(&fields);

	cap.target_uri = "urn:redflag:seeds";
	assert_int_equal(warc_write_resource(w, &cap, "text/plain",
					     "http://example.test/\n", 21,
					     &wr->res),
			 RF_OK);
	assert_int_equal(warc_writer_close(w), RF_OK);
}

static bool
is_date(const char *s)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	if (strlen(s) != sizeof(pat) - 1)
		return false;
	for (i = 0; pat[i]; i++)
		if (pat[i] == 'd' ? !(s[i] >= '0' && s[i] <= '9')
				  : s[i] != pat[i])
			return false;
	return true;
}

/* Checks what every record has, and the block digest by hand. */
static void
check_common(const struct warc_record *rec)
{
	const char *v;
	const void *block;
	size_t len;
	char digest[WARC_DIGEST_SIZE];
	long long cl;

	assert_string_equal(warc_record_version(rec), "WARC/1.1");
	v = warc_record_header(rec, "WARC-Record-ID");
	assert_non_null(v);
	assert_int_equal(strlen(v), WARC_ID_SIZE - 1);
	assert_true(str_has_prefix(v, "<urn:uuid:"));
	/* a version 4 UUID: "4" starts the third group, 8-b the fourth */
	assert_int_equal(v[10 + 14], '4');
	assert_non_null(strchr("89ab", v[10 + 19]));
	assert_true(is_date(warc_record_header(rec, "warc-date")));
	block = warc_record_block(rec, &len);
	assert_non_null(block);
	assert_int_equal(parse_int(warc_record_header(rec, "Content-Length"),
				   0, 1 << 30, &cl),
			 RF_OK);
	assert_int_equal(cl, len);
	assert_int_equal(warc_record_length(rec), len);
	sha1_label(block, len, digest);
	assert_string_equal(warc_record_header(rec, "WARC-Block-Digest"),
			    digest);
	assert_int_equal(warc_record_check_block(rec), WARC_DIGEST_OK);
	if (warc_record_type(rec) != WARC_TYPE_WARCINFO)
		assert_non_null(warc_record_header(rec, "WARC-Warcinfo-ID"));
}

static void
check_payload(const struct warc_record *rec, const void *payload, size_t n)
{
	char digest[WARC_DIGEST_SIZE];
	const struct warc_http_msg *m = warc_record_http(rec);

	sha1_label(payload, n, digest);
	assert_string_equal(warc_record_header(rec, "WARC-Payload-Digest"),
			    digest);
	assert_int_equal(warc_record_check_payload(rec), WARC_DIGEST_OK);
	assert_non_null(m);
	assert_int_equal(m->payload_len, n);
	assert_memory_equal(m->payload, payload, n);
}

static const struct warc_record *
next_ok(struct warc_reader *r, enum warc_type type)
{
	const struct warc_record *rec;

	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_non_null(rec);
	assert_int_equal(warc_record_type(rec), type);
	check_common(rec);
	return rec;
}

static void
check_sample(const char *dir, const struct written *wr)
{
	struct warc_reader *r;
	const struct warc_record *rec;
	const struct warc_http_msg *m;
	const void *block;
	size_t len;
	char *path = path_in(dir, wr->file);
	char resp_id[WARC_ID_SIZE], req_id[WARC_ID_SIZE];
	char digest[WARC_DIGEST_SIZE];

	assert_int_equal(warc_reader_open(path, 0, &r), RF_OK);

	rec = next_ok(r, WARC_TYPE_WARCINFO);
	assert_int_equal(warc_record_offset(rec), 0);
	assert_string_equal(warc_record_header(rec, "WARC-Filename"),
			    wr->file);
	assert_string_equal(warc_record_header(rec, "Content-Type"),
			    "application/warc-fields");
	assert_null(warc_record_header(rec, "WARC-Target-URI"));
	block = warc_record_block(rec, &len);
	assert_non_null(strstr(block, "software: redflag/"));
	assert_non_null(strstr(block, "format: WARC File Format 1.1\r\n"));
	assert_non_null(strstr(block, "\r\nhttp-version-note: HTTP/2 "
				      "exchanges recorded as HTTP/1.1 "
				      "messages\r\n"));

	/* response, then its request */
	rec = next_ok(r, WARC_TYPE_RESPONSE);
	memcpy(resp_id, warc_record_header(rec, "WARC-Record-ID"),
	       WARC_ID_SIZE);
	assert_string_equal(resp_id, wr->resp.id);
	assert_int_equal(warc_record_offset(rec), wr->resp.offset);
	assert_string_equal(warc_record_header(rec, "warc-target-uri"),
			    "http://example.test/job/42?a=1&b=%20");
	assert_string_equal(warc_record_header(rec, "WARC-IP-Address"),
			    "192.0.2.7");
	assert_string_equal(warc_record_header(rec, "WARC-Date"), DATE_STR);
	assert_string_equal(warc_record_header(rec, "Content-Type"),
			    "application/http;msgtype=response");
	assert_string_equal(warc_record_header(rec, "WARC-Protocol"),
			    "http/1.1");
	assert_string_equal(warc_record_header(rec, "WARC-Concurrent-To"),
			    wr->req.id);
	block = warc_record_block(rec, &len);
	assert_int_equal(len, strlen(resp_head) + strlen(resp_body));
	assert_memory_equal(block, resp_head, strlen(resp_head));
	check_payload(rec, resp_body, strlen(resp_body));
	m = warc_record_http(rec);
	assert_int_equal(m->status, 200);
	assert_string_equal(m->start_line, "HTTP/1.1 200 OK");
	assert_string_equal(warc_http_header(m, "content-type"),
			    "text/html; charset=utf-8");
	assert_string_equal(warc_http_header(m, "X-Folded"), "one two");
	assert_int_equal(m->head_len, strlen(resp_head));
	assert_false(m->dechunked);

	rec = next_ok(r, WARC_TYPE_REQUEST);
	memcpy(req_id, warc_record_header(rec, "WARC-Record-ID"),
	       WARC_ID_SIZE);
	assert_string_equal(req_id, wr->req.id);
	assert_string_equal(warc_record_header(rec, "WARC-Concurrent-To"),
			    resp_id);
	assert_string_equal(warc_record_header(rec, "Content-Type"),
			    "application/http;msgtype=request");
	assert_string_equal(warc_record_header(rec, "WARC-Date"), DATE_STR);
	check_payload(rec, "", 0);
	m = warc_record_http(rec);
	assert_int_equal(m->status, 0);
	assert_string_equal(m->start_line, "GET /job/42 HTTP/1.1");

	/* chunk framing in the block, de-chunked payload digest */
	rec = next_ok(r, WARC_TYPE_RESPONSE);
	block = warc_record_block(rec, &len);
	assert_int_equal(len, strlen(chunked_head) + strlen(chunked_body));
	check_payload(rec, "hello world", 11);
	assert_true(warc_record_http(rec)->dechunked);
	assert_false(warc_record_http(rec)->payload_incomplete);
	(void)next_ok(r, WARC_TYPE_REQUEST);

	/* de-chunked body, renamed Transfer-Encoding, no request */
	rec = next_ok(r, WARC_TYPE_RESPONSE);
	assert_null(warc_record_header(rec, "WARC-Concurrent-To"));
	m = warc_record_http(rec);
	assert_null(warc_http_header(m, "Transfer-Encoding"));
	assert_string_equal(warc_http_header(m, "X-Crawler-Transfer-Encoding"),
			    "chunked");
	check_payload(rec, "hello world", 11);
	assert_false(m->dechunked);

	/* gzip body digested as received; truncated as the caller said */
	rec = next_ok(r, WARC_TYPE_RESPONSE);
	check_payload(rec, gz_body, sizeof(gz_body));
	assert_string_equal(warc_record_header(rec, "WARC-Truncated"),
			    "length");

	/* identical-payload revisit: head only, payload digest of the body */
	rec = next_ok(r, WARC_TYPE_REVISIT);
	assert_string_equal(warc_record_header(rec, "WARC-Profile"),
			    WARC_PROFILE_IDENTICAL_URI);
	assert_string_equal(warc_record_header(rec, "WARC-Refers-To"),
			    resp_id);
	assert_string_equal(warc_record_header(rec,
					       "WARC-Refers-To-Target-URI"),
			    "http://example.test/job/42?a=1&b=%20");
	assert_string_equal(warc_record_header(rec, "WARC-Refers-To-Date"),
			    DATE_STR);
	assert_string_equal(warc_record_header(rec, "WARC-Truncated"),
			    "length");
	sha1_label(resp_body, strlen(resp_body), digest);
	assert_string_equal(warc_record_header(rec, "WARC-Payload-Digest"),
			    digest);
	/* the payload is the earlier record's: not checkable here */
	assert_int_equal(warc_record_check_payload(rec),
			 WARC_DIGEST_UNCHECKED);
	block = warc_record_block(rec, &len);
	assert_int_equal(len, strlen(resp_head));
	assert_int_equal(warc_record_http(rec)->status, 200);
	assert_string_equal(warc_record_header(rec, "WARC-Concurrent-To"),
			    wr->rev_req.id);
	rec = next_ok(r, WARC_TYPE_REQUEST);
	assert_string_equal(warc_record_header(rec, "WARC-Concurrent-To"),
			    wr->rev.id);

	/* server-not-modified */
	rec = next_ok(r, WARC_TYPE_REVISIT);
	assert_string_equal(warc_record_header(rec, "WARC-Profile"),
			    WARC_PROFILE_NOT_MODIFIED_URI);
	assert_string_equal(warc_record_header(rec, "WARC-Refers-To"),
			    resp_id);
	assert_string_equal(warc_record_header(rec, "WARC-Payload-Digest"),
			    "sha1:AIKLJM2V2EOKR4WOIWUWRQTEMUN57P4D");
	assert_null(warc_record_header(rec, "WARC-Truncated"));
	assert_int_equal(warc_record_http(rec)->status, 304);

	/* metadata */
	rec = next_ok(r, WARC_TYPE_METADATA);
	assert_string_equal(warc_record_header(rec, "WARC-Refers-To"),
			    resp_id);
	assert_null(warc_record_header(rec, "WARC-Payload-Digest"));
	assert_null(warc_record_http(rec));
	block = warc_record_block(rec, &len);
	assert_string_equal(block,
			    "redflag-score: 7.5\r\nredflag-level: high\r\n");
	assert_int_equal(warc_record_offset(rec), wr->meta.offset);

	/* resource */
	rec = next_ok(r, WARC_TYPE_RESOURCE);
	assert_string_equal(warc_record_header(rec, "WARC-Target-URI"),
			    "urn:redflag:seeds");
	sha1_label("http://example.test/\n", 21, digest);
	assert_string_equal(warc_record_header(rec, "WARC-Payload-Digest"),
			    digest);
	assert_int_equal(warc_record_check_payload(rec), WARC_DIGEST_OK);

	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_null(rec);
	/* and the end stays the end */
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_null(rec);
	warc_reader_free(r);
	free(path);
}

/* Reads each written record again by its location. */
static void
check_read_at(const char *dir, const struct warc_loc *loc,
	      enum warc_type type)
{
	struct warc_record *rec;
	char *path = path_in(dir, loc->file);

	assert_int_equal(warc_read_at(path, loc->offset, 0, &rec), RF_OK);
	assert_int_equal(warc_record_type(rec), type);
	assert_string_equal(warc_record_header(rec, "WARC-Record-ID"),
			    loc->id);
	assert_int_equal(warc_record_check_block(rec), WARC_DIGEST_OK);
	warc_record_free(rec);
	/* not a record start */
	assert_int_equal(warc_read_at(path, loc->offset + 1, 0, &rec),
			 RF_EPARSE);
	assert_null(rec);
	free(path);
}

static void
test_roundtrip(void **state)
{
	char *dir = make_tmpdir();
	struct written wr;
	struct stat st;
	char *path;
	size_t n;
	char **files;
	mode_t old = umask(022);

	write_sample(dir, &wr, false);
	umask(old);
	files = list_dir(dir, &n);
	assert_int_equal(n, 1);
	assert_string_equal(files[0], wr.file);
	/* test-YYYYMMDDhhmmss-00000.warc.gz */
	assert_int_equal(strlen(wr.file), strlen("test-") + 14 + 6 + 8);
	assert_true(str_has_prefix(wr.file, "test-"));
	assert_true(str_has_suffix(wr.file, "-00000.warc.gz"));
	path = path_in(dir, wr.file);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	assert_int_equal(wr.resp.length + wr.resp.offset, wr.req.offset);
	assert_string_equal(wr.meta.file, wr.file);

	check_sample(dir, &wr);
	check_read_at(dir, &wr.resp, WARC_TYPE_RESPONSE);
	check_read_at(dir, &wr.req, WARC_TYPE_REQUEST);
	check_read_at(dir, &wr.rev, WARC_TYPE_REVISIT);
	check_read_at(dir, &wr.meta, WARC_TYPE_METADATA);
	check_read_at(dir, &wr.res, WARC_TYPE_RESOURCE);
	free(path);
	free_list(files);
	remove_tmpdir(dir);
}

static void
test_uncompressed(void **state)
{
	char *dir = make_tmpdir();
	struct written wr;
	struct buf b;
	char *path;

	write_sample(dir, &wr, true);
	assert_true(str_has_suffix(wr.file, "-00000.warc"));
	path = path_in(dir, wr.file);
	read_whole(path, &b);
	assert_true(str_has_prefix(b.data, "WARC/1.1\r\nWARC-Type: warcinfo"));
	assert_memory_equal(b.data + wr.resp.offset, "WARC/1.1\r\n", 10);
	buf_release(&b);
	check_sample(dir, &wr);
	check_read_at(dir, &wr.resp, WARC_TYPE_RESPONSE);
	check_read_at(dir, &wr.meta, WARC_TYPE_METADATA);
	free(path);
	remove_tmpdir(dir);
}

/* A file that is one gzip member of the whole WARC reads the same. */
static void
test_whole_file_gzip(void **state)
{
	char *dir = make_tmpdir();
	struct written wr;
	struct buf plain, gz;
	char *path, *gzpath;

	write_sample(dir, &wr, true);
	path = path_in(dir, wr.file);
	read_whole(path, &plain);
	buf_init(&gz, 0);
	gz_member(&gz, plain.data, plain.len);
	/* and twice over, as cat a.warc.gz b.warc.gz makes */
	gz_member(&gz, plain.data, plain.len);
	gzpath = path_in(dir, "whole.warc.gz");
	write_file(gzpath, gz.data, gz.len);
	{
		struct buf sum, once;

		read_summary(path, 0, &once);
		read_summary(gzpath, 0, &sum);
		assert_int_equal(sum.len, 2 * once.len + 1);
		assert_memory_equal(sum.data, once.data, once.len);
		assert_memory_equal(sum.data + once.len + 1, once.data,
				    once.len);
		buf_release(&sum);
		buf_release(&once);
	}
	buf_release(&plain);
	buf_release(&gz);
	free(path);
	free(gzpath);
	remove_tmpdir(dir);
}

static atomic_int wakes;

static void
count_wake(void *arg)
{
	(void)arg;
	atomic_fetch_add(&wakes, 1);
}

/*
 * The background sync: started after writes, ended later, left running
 * across a rotation and at the close; wake called once per start; every
 * record readable where the writer said.
 */
static void
test_sync_background(void **state)
{
	char *dir = make_tmpdir();
	struct warc_writer_opts opts = { .sync = WARC_SYNC_FILE };
	struct warc_writer *w;
	struct warc_capture cap = { .target_uri = "http://example.test/" };
	struct warc_http resp;
	struct warc_loc locs[12];
	char body[600];
	size_t i;
	int started = 0;

	for (i = 0; i < sizeof(body); i++)
		body[i] = (char)('!' + (i * 7919) % 90);
	resp = http_msg(resp_head, body, sizeof(body), false);
	assert_int_equal(warc_writer_open(dir, "bg", 2500, &opts, &w),
			 RF_OK);
	atomic_store(&wakes, 0);
	for (i = 0; i < RF_ARRAY_SIZE(locs); i++) {
		assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp,
						     NULL, &locs[i]),
				 RF_OK);
		assert_int_equal(warc_writer_sync_start(w, count_wake, NULL),
				 RF_OK);
		started++;
		/* every third left running into the next writes (and so
		 * into rotations) */
		if (i % 3 != 2) {
			assert_int_equal(warc_writer_sync_end(w), RF_OK);
			assert_true(warc_writer_sync_ended(w));
			assert_int_equal(atomic_load(&wakes), started);
		}
	}
	/* nothing new since: wake at once, nothing to wait for */
	assert_int_equal(warc_writer_sync_end(w), RF_OK);
	assert_int_equal(warc_writer_sync_start(w, count_wake, NULL), RF_OK);
	started++;
	assert_true(warc_writer_sync_ended(w));
	assert_int_equal(atomic_load(&wakes), started);
	/* one running at the close */
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     NULL),
			 RF_OK);
	assert_int_equal(warc_writer_sync_start(w, NULL, NULL), RF_OK);
	assert_int_equal(warc_writer_close(w), RF_OK);
	for (i = 0; i < RF_ARRAY_SIZE(locs); i++)
		check_read_at(dir, &locs[i], WARC_TYPE_RESPONSE);

	/* left to the kernel, or no writer: ended at once */
	opts.sync = WARC_SYNC_NONE;
	assert_int_equal(warc_writer_open(dir, "none", 0, &opts, &w), RF_OK);
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     NULL),
			 RF_OK);
	assert_int_equal(warc_writer_sync_start(w, count_wake, NULL), RF_OK);
	assert_true(warc_writer_sync_ended(w));
	assert_int_equal(warc_writer_sync_end(w), RF_OK);
	assert_int_equal(warc_writer_close(w), RF_OK);
	assert_int_equal(warc_writer_sync_start(NULL, count_wake, NULL),
			 RF_OK);
	assert_true(warc_writer_sync_ended(NULL));
	assert_int_equal(warc_writer_sync_end(NULL), RF_OK);
	assert_int_equal(atomic_load(&wakes), started + 2);
	remove_tmpdir(dir);
}

static void
test_rotation(void **state)
{
	char *dir = make_tmpdir();
	struct warc_writer_opts opts = { 0 };
	struct warc_writer *w;
	struct warc_capture cap = { 0 };
	struct warc_http resp;
	struct warc_loc locs[12];
	char body[600], **files;
	size_t n, i, total = 0;
	unsigned seed = 1;

	/* incompressible bodies, so sizes are predictable */
	for (i = 0; i < sizeof(body); i++) {
		seed = seed * 1103515245u + 12345u;
		body[i] = (char)('!' + (seed >> 16) % 90);
	}
	opts.sync = WARC_SYNC_FILE;
	assert_int_equal(warc_writer_open(dir, "rot", 2500, &opts, &w),
			 RF_OK);
	cap.target_uri = "http://example.test/";
	resp = http_msg(resp_head, body, sizeof(body), false);
	for (i = 0; i < RF_ARRAY_SIZE(locs); i++) {
		assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp,
						     NULL, &locs[i]),
				 RF_OK);
		/* the caller's sync, as redflag run does per page;
		 * again at once: nothing new to sync */
		if (i % 3 == 0) {
			assert_int_equal(warc_writer_sync(w), RF_OK);
			assert_int_equal(warc_writer_sync(w), RF_OK);
		}
	}
	assert_int_equal(warc_writer_close(w), RF_OK);
	assert_int_equal(warc_writer_sync(NULL), RF_OK);

	files = list_dir(dir, &n);
	assert_true(n >= 3);
	for (i = 0; i < n; i++) {
		char *path = path_in(dir, files[i]);
		char want[32];
		struct stat st;
		struct warc_reader *r;
		const struct warc_record *rec;
		size_t records = 0;

		snprintf(want, sizeof(want), "-%05zu.warc.gz", i);
		assert_true(str_has_suffix(files[i], want));
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(warc_reader_open(path, 0, &r), RF_OK);
		rec = next_ok(r, WARC_TYPE_WARCINFO);
		assert_string_equal(warc_record_header(rec, "WARC-Filename"),
				    files[i]);
		while (warc_reader_next(r, &rec) == RF_OK && rec) {
			assert_int_equal(warc_record_type(rec),
					 WARC_TYPE_RESPONSE);
			/* each record names its own file's warcinfo */
			records++;
		}
		assert_true(records >= 1);
		/* a file is only over the limit with a single record */
		assert_true((uint64_t)st.st_size <= 2500 || records == 1);
		total += records;
		warc_reader_free(r);
		free(path);
	}
	assert_int_equal(total, RF_ARRAY_SIZE(locs));
	/* locations follow the files */
	assert_string_equal(locs[0].file, files[0]);
	assert_string_equal(locs[RF_ARRAY_SIZE(locs) - 1].file, files[n - 1]);
	for (i = 0; i < RF_ARRAY_SIZE(locs); i++)
		check_read_at(dir, &locs[i], WARC_TYPE_RESPONSE);
	free_list(files);

	/* a record bigger than the limit gets a file of its own */
	assert_int_equal(warc_writer_open(dir, "big", 100, &opts, &w), RF_OK);
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &locs[0]),
			 RF_OK);
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &locs[1]),
			 RF_OK);
	assert_int_equal(warc_writer_close(w), RF_OK);
	assert_string_not_equal(locs[0].file, locs[1].file);
	assert_true(str_has_suffix(locs[0].file, "-00000.warc.gz"));
	assert_true(str_has_suffix(locs[1].file, "-00001.warc.gz"));
	remove_tmpdir(dir);
}

/* Two writers with the same prefix in the same second get two files. */
static void
test_name_collision(void **state)
{
	char *dir = make_tmpdir();
	struct warc_writer_opts opts = { .sync = WARC_SYNC_NONE };
	struct warc_writer *a, *b;

	assert_int_equal(warc_writer_open(dir, "same", 0, &opts, &a), RF_OK);
	assert_int_equal(warc_writer_open(dir, "same", 0, &opts, &b), RF_OK);
	assert_string_not_equal(warc_writer_file(a), warc_writer_file(b));
	assert_int_equal(warc_writer_close(a), RF_OK);
	assert_int_equal(warc_writer_close(b), RF_OK);
	assert_int_equal(warc_writer_close(NULL), RF_OK);
	remove_tmpdir(dir);
}

static void
test_bad_arguments(void **state)
{
	char *dir = make_tmpdir();
	struct warc_writer *w;
	struct warc_writer_opts opts = { .sync = WARC_SYNC_NONE };
	struct warc_capture cap = { .target_uri = "http://example.test/" };
	struct warc_http req = http_msg(req_head, NULL, 0, false);
	struct warc_http resp = http_msg(resp_head, resp_body, 3, false);
	struct warc_http nohead = http_msg("HTTP/1.1 200 OK\r\n", "x", 1,
					   false);
	struct warc_loc loc;
	struct warc_revisit rv = { .profile = WARC_PROFILE_IDENTICAL_PAYLOAD };
	static const char *const bad_info[] = { "operator: a\r\nX: y", NULL };
	static const char *const dup_info[] = { "software: other", NULL };
	static const char *const reserved[] = { "Content-Length: 5", NULL };
	static const char *const crlf[] = { "WARC-Protocol: h2\r\nX: y",
					    NULL };
	static const char *const ok[] = { "WARC-Protocol: h2", NULL };
	const char *const bad_uris[] = { "http://a b/", "http://a/\r\nX: y",
					 "<http://a/>", "", NULL };
	size_t i, n;
	char **files;

	assert_int_equal(warc_writer_open(dir, "", 0, NULL, &w), RF_EINVAL);
	assert_int_equal(warc_writer_open(dir, ".hidden", 0, NULL, &w),
			 RF_EINVAL);
	assert_int_equal(warc_writer_open(dir, "a/b", 0, NULL, &w), RF_EINVAL);
	opts.info = bad_info;
	assert_int_equal(warc_writer_open(dir, "x", 0, &opts, &w), RF_EINVAL);
	opts.info = dup_info;
	assert_int_equal(warc_writer_open(dir, "x", 0, &opts, &w), RF_EINVAL);
	assert_null(w);
	files = list_dir(dir, &n);
	assert_int_equal(n, 0);
	free_list(files);
	assert_int_equal(warc_writer_open("/nonexistent/redflag", "x", 0, NULL,
					  &w),
			 RF_ENOENT);

	opts.info = NULL;
	assert_int_equal(warc_writer_open(dir, "x", 0, &opts, &w), RF_OK);
	for (i = 0; bad_uris[i]; i++) {
		cap.target_uri = bad_uris[i];
		assert_int_equal(warc_write_exchange(w, &cap, &req, &resp,
						     NULL, &loc),
				 RF_EINVAL);
	}
	cap.target_uri = NULL;
	assert_int_equal(warc_write_exchange(w, &cap, &req, &resp, NULL,
					     &loc),
			 RF_EINVAL);
	cap.target_uri = "http://example.test/";
	cap.ip = "192.0.2.1\r\n";
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &loc),
			 RF_EINVAL);
	cap.ip = NULL;
	cap.truncated = "too long";
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &loc),
			 RF_EINVAL);
	cap.truncated = NULL;
	cap.fields = reserved;
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &loc),
			 RF_EINVAL);
	cap.fields = crlf;
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &resp, NULL,
					     &loc),
			 RF_EINVAL);
	cap.fields = NULL;
	/* a head must end with its empty line */
	assert_int_equal(warc_write_exchange(w, &cap, NULL, &nohead, NULL,
					     &loc),
			 RF_EINVAL);
	rv.refers_to = "<urn:uuid:a b>";
	assert_int_equal(warc_write_revisit(w, &cap, &rv, NULL, &resp, NULL,
					    &loc),
			 RF_EINVAL);
	rv.refers_to = NULL;
	rv.profile = WARC_PROFILE_NOT_MODIFIED;
	rv.payload_digest = "sha1 ABC";
	assert_int_equal(warc_write_revisit(w, &cap, &rv, NULL, &resp, NULL,
					    &loc),
			 RF_EINVAL);
	assert_int_equal(warc_write_metadata(w, NULL, NULL, "text/plain\r\n",
					     "x", 1, &loc),
			 RF_EINVAL);
	assert_int_equal(warc_write_resource(w, &cap, NULL, "x", 1, &loc),
			 RF_EINVAL);
	/* nothing of the refused records reached the file */
	cap.fields = ok;
	assert_int_equal(warc_write_exchange(w, &cap, &req, &resp, NULL,
					     &loc),
			 RF_OK);
	assert_int_equal(warc_writer_close(w), RF_OK);
	{
		struct buf sum;
		char *path = path_in(dir, loc.file);

		read_summary(path, 0, &sum);
		/* info, response, request */
		assert_int_equal(strlen(sum.data) -
					 strlen(strchr(sum.data, ' ')),
				 4);
		assert_non_null(strchr(strchr(sum.data, ' ') + 1, ' '));
		assert_null(strchr(strchr(strchr(sum.data, ' ') + 1, ' ') + 1,
				   ' '));
		buf_release(&sum);
		free(path);
	}

	{
		struct buf b;

		buf_init(&b, 0);
		assert_int_equal(warc_fields_add(&b, "bad name", "v"),
				 RF_EINVAL);
		assert_int_equal(warc_fields_add(&b, "n", "a\nb"), RF_EINVAL);
		assert_int_equal(warc_fields_add(&b, "n", "a\tb"), RF_OK);
		buf_release(&b);
		buf_init(&b, 8);
		assert_int_equal(warc_fields_add(&b, "name", "value"),
				 RF_ETOOBIG);
		assert_int_equal(b.len, 0);
		buf_release(&b);
	}
	remove_tmpdir(dir);
}

/*
 * A write that fails half-way (here: the file size limit) leaves nothing
 * of the record in the file, and the writer goes on. In a child process,
 * since the limit is the whole process's.
 */
static void
test_failed_write(void **state)
{
	char *dir = make_tmpdir();
	pid_t pid;
	int status;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct warc_writer_opts opts = { .sync = WARC_SYNC_RECORD };
		struct warc_writer *w;
		struct warc_capture cap = { .target_uri = "http://e.test/" };
		struct warc_http small = http_msg(resp_head, "x", 1, false);
		struct warc_http big;
		struct warc_loc a, b, c;
		struct rlimit rl;
		struct stat st;
		char *body = xmalloc(1 << 20), *path;
		unsigned seed = 7;
		size_t i;
		struct buf sum;

		for (i = 0; i < (1 << 20); i++) {
			seed = seed * 1103515245u + 12345u;
			body[i] = (char)(seed >> 16);
		}
		big = http_msg(resp_head, body, 1 << 20, false);
		signal(SIGXFSZ, SIG_IGN);
		if (warc_writer_open(dir, "fail", 0, &opts, &w) != RF_OK ||
		    warc_write_exchange(w, &cap, NULL, &small, NULL, &a) !=
			    RF_OK)
			_exit(10);
		path = path_in(dir, a.file);
		rl.rlim_cur = rl.rlim_max = a.offset + a.length + 65536;
		if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
			_exit(11);
		if (warc_write_exchange(w, &cap, NULL, &big, NULL, &b) !=
		    RF_EIO)
			_exit(12);
		if (stat(path, &st) != 0 ||
		    (uint64_t)st.st_size != a.offset + a.length)
			_exit(13);
		if (warc_write_exchange(w, &cap, NULL, &small, NULL, &c) !=
			    RF_OK ||
		    c.offset != a.offset + a.length)
			_exit(14);
		if (warc_writer_close(w) != RF_OK)
			_exit(15);
		read_summary(path, 0, &sum);
		if (strchr(sum.data, 'E'))
			_exit(16);
		buf_release(&sum);
		free(path);
		free(body);
		free(dir);	/* the parent's copy: valgrind follows the fork */
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	remove_tmpdir(dir);
}

/* ---- damaged files ---- */

/* Cuts a written file at every few bytes: the records before the cut
 * come back, the cut one is an error, and the reader always ends. */
static void
check_cuts(const struct buf *whole, const uint64_t *ends, size_t nends,
	   size_t slack, const char *cutpath)
{
	size_t cut;

	for (cut = 0; cut <= whole->len; cut += 13) {
		struct warc_reader *r;
		const struct warc_record *rec;
		size_t good = 0, bad = 0, complete = 0, i;
		enum rf_err err;

		write_file(cutpath, whole->data, cut);
		/* uncompressed, a record without its final CRLF CRLF is
		 * still whole (its digest says so) */
		for (i = 0; i < nends; i++)
			if (ends[i] <= cut + slack)
				complete++;
		assert_int_equal(warc_reader_open(cutpath, 0, &r), RF_OK);
		for (i = 0; i < 100; i++) {
			err = warc_reader_next(r, &rec);
			if (err == RF_EPARSE) {
				bad++;
				continue;
			}
			assert_int_equal(err, RF_OK);
			if (!rec)
				break;
			assert_int_equal(warc_record_check_block(rec),
					 WARC_DIGEST_OK);
			good++;
		}
		assert_true(i < 100);
		assert_int_equal(good, complete);
		/* a cut inside a record is reported */
		if (complete < nends &&
		    (complete == 0 ? cut > 0 : cut > ends[complete - 1]))
			assert_true(bad >= 1);
		warc_reader_free(r);
	}
}

static void
test_truncated(void **state)
{
	char *dir = make_tmpdir();
	int pass;

	for (pass = 0; pass < 2; pass++) {
		struct warc_writer_opts opts = { .sync = WARC_SYNC_NONE };
		struct warc_writer *w;
		struct warc_capture cap = { .target_uri = "http://e.test/" };
		struct warc_http resp = http_msg(resp_head, resp_body,
						 strlen(resp_body), false);
		struct warc_loc loc;
		uint64_t ends[4];
		struct buf whole;
		char *path, *cutpath;
		int i;

		opts.uncompressed = pass == 1;
		assert_int_equal(warc_writer_open(dir, pass ? "plain" : "gz", 0,
						  &opts, &w),
				 RF_OK);
		for (i = 0; i < 3; i++) {
			assert_int_equal(warc_write_exchange(w, &cap, NULL,
							     &resp, NULL,
							     &loc),
					 RF_OK);
			if (i == 0)
				ends[0] = loc.offset;
			ends[i + 1] = loc.offset + loc.length;
		}
		path = path_in(dir, loc.file);
		assert_int_equal(warc_writer_close(w), RF_OK);
		read_whole(path, &whole);
		assert_int_equal(whole.len, ends[3]);
		cutpath = path_in(dir, "cut.warc");
		check_cuts(&whole, ends, 4, pass ? 4 : 0, cutpath);
		unlink(cutpath);
		buf_release(&whole);
		free(path);
		free(cutpath);
	}
	remove_tmpdir(dir);
}

static void
check_summary(const char *path, const char *want)
{
	struct buf sum;

	read_summary(path, 0, &sum);
	assert_string_equal(sum.data, want);
	buf_release(&sum);
}

static void
test_lying_length(void **state)
{
	char *dir = make_tmpdir();
	char *path = path_in(dir, "lie.warc"), *gzpath = path_in(dir, "lie.gz");
	struct buf b, one, gz;

	/* plain: too long, swallowing the next record; then too short */
	buf_init(&b, 0);
	hand_record(&b, "resource", "a", "first block", 0);
	hand_record(&b, "resource", "b", "second block", 40);
	hand_record(&b, "resource", "c", "third block", 0);
	hand_record(&b, "resource", "d", "fourth block", -3);
	hand_record(&b, "resource", "e", "fifth block", 0);
	write_file(path, b.data, b.len);
	check_summary(path, "a E c E e");

	/* the last record claims more than the file has */
	buf_reset(&b);
	hand_record(&b, "resource", "a", "first block", 0);
	hand_record(&b, "resource", "b", "second block", 1000);
	write_file(path, b.data, b.len);
	check_summary(path, "a E");

	/* gzip, a member per record: the member bounds the lie */
	buf_init(&gz, 0);
	buf_init(&one, 0);
	hand_record(&one, "resource", "a", "first block", 0);
	gz_member(&gz, one.data, one.len);
	buf_reset(&one);
	hand_record(&one, "resource", "b", "second block", 40);
	gz_member(&gz, one.data, one.len);
	buf_reset(&one);
	hand_record(&one, "resource", "c", "third block", 0);
	gz_member(&gz, one.data, one.len);
	buf_reset(&one);
	hand_record(&one, "resource", "d", "fourth block", -3);
	gz_member(&gz, one.data, one.len);
	buf_reset(&one);
	hand_record(&one, "resource", "e", "fifth block", 0);
	gz_member(&gz, one.data, one.len);
	write_file(gzpath, gz.data, gz.len);
	check_summary(gzpath, "a E c E e");

	/* a Content-Length that is not a number */
	buf_reset(&b);
	hand_record(&b, "resource", "a", "first block", 0);
	buf_addstr(&b, "WARC/1.1\r\nWARC-Type: resource\r\n"
		       "Content-Length: -5\r\n\r\nxx\r\n\r\n");
	hand_record(&b, "resource", "c", "third block", 0);
	write_file(path, b.data, b.len);
	check_summary(path, "a E c");

	buf_release(&b);
	buf_release(&one);
	buf_release(&gz);
	free(path);
	free(gzpath);
	remove_tmpdir(dir);
}

static void
test_garbage(void **state)
{
	char *dir = make_tmpdir();
	char *path = path_in(dir, "g.warc"), *gzpath = path_in(dir, "g.gz");
	struct buf b, one, gz;

	/* plain: garbage before, between and after records */
	buf_init(&b, 0);
	buf_addstr(&b, "<html>not a warc</html>\n");
	hand_record(&b, "resource", "a", "first block", 0);
	buf_addstr(&b, "garbage line\r\nmore WARC/1.1 garbage\r\n");
	hand_record(&b, "resource", "b", "second block", 0);
	buf_addstr(&b, "trailing junk");
	write_file(path, b.data, b.len);
	check_summary(path, "E a E b E");

	/* gzip: raw bytes between members, and a member of junk */
	buf_init(&gz, 0);
	buf_init(&one, 0);
	hand_record(&one, "resource", "a", "first block", 0);
	gz_member(&gz, one.data, one.len);
	buf_addstr(&gz, "\x1f not gzip at all \x1f\x8b");
	buf_reset(&one);
	hand_record(&one, "resource", "b", "second block", 0);
	gz_member(&gz, one.data, one.len);
	gz_member(&gz, "just some text\n", 15);
	buf_reset(&one);
	hand_record(&one, "resource", "c", "third block", 0);
	gz_member(&gz, one.data, one.len);
	write_file(gzpath, gz.data, gz.len);
	check_summary(gzpath, "a E b E c");

	/* a corrupt member in the middle: the records around it survive */
	{
		size_t mid;

		buf_reset(&gz);
		buf_reset(&one);
		hand_record(&one, "resource", "a", "first block", 0);
		gz_member(&gz, one.data, one.len);
		mid = gz.len;
		buf_reset(&one);
		hand_record(&one, "resource", "b", "second block", 0);
		gz_member(&gz, one.data, one.len);
		buf_reset(&one);
		hand_record(&one, "resource", "c", "third block", 0);
		gz_member(&gz, one.data, one.len);
		/* damage the deflate data of b, past its 10-byte header */
		gz.data[mid + 30] ^= 0x55;
		gz.data[mid + 31] ^= 0x55;
		write_file(gzpath, gz.data, gz.len);
		check_summary(gzpath, "a E c");
	}

	/* an empty file, and one of blank lines, hold no records */
	write_file(path, "", 0);
	check_summary(path, "");
	write_file(path, "\r\n\r\n", 4);
	check_summary(path, "");

	buf_release(&b);
	buf_release(&one);
	buf_release(&gz);
	free(path);
	free(gzpath);
	remove_tmpdir(dir);
}

static void
test_caps(void **state)
{
	char *dir = make_tmpdir();
	char *path = path_in(dir, "caps.warc");
	struct warc_reader *r;
	const struct warc_record *rec;
	struct buf b, big;
	size_t len;
	size_t i;

	/* a block over the reader's cap is skipped, its digest still
	 * checked */
	buf_init(&b, 0);
	buf_init(&big, 0);
	for (i = 0; i < 1000; i++)
		buf_addch(&big, (char)('a' + i % 26));
	hand_record(&b, "resource", "a", "small", 0);
	hand_record(&b, "resource", "b", big.data, 0);
	hand_record(&b, "resource", "c", "small again", 0);
	/* a header over RF_WARC_HEADER_MAX */
	buf_addstr(&b, "WARC/1.1\r\nWARC-Type: resource\r\nX-Big: ");
	for (i = 0; i < RF_WARC_HEADER_MAX; i++)
		buf_addch(&b, 'x');
	buf_addstr(&b, "\r\nContent-Length: 2\r\n\r\nxx\r\n\r\n");
	hand_record(&b, "resource", "e", "after the big header", 0);
	write_file(path, b.data, b.len);

	assert_int_equal(warc_reader_open(path, 100, &r), RF_OK);
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_false(warc_record_block_skipped(rec));
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_true(warc_record_block_skipped(rec));
	assert_null(warc_record_block(rec, &len));
	assert_int_equal(len, 0);
	assert_int_equal(warc_record_length(rec), 1000);
	assert_int_equal(warc_record_check_block(rec), WARC_DIGEST_OK);
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_string_equal(warc_record_block(rec, &len), "small again");
	assert_int_equal(warc_reader_next(r, &rec), RF_EPARSE);
	assert_non_null(strstr(warc_reader_error(r), "header longer"));
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_non_null(rec);
	assert_string_equal(warc_record_block(rec, &len),
			    "after the big header");
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_null(rec);
	warc_reader_free(r);

	/* a bad digest is found out */
	buf_reset(&b);
	hand_record(&b, "resource", "a", "small", 0);
	b.data[b.len - 5] = 'X';
	write_file(path, b.data, b.len);
	assert_int_equal(warc_reader_open(path, 0, &r), RF_OK);
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_int_equal(warc_record_check_block(rec), WARC_DIGEST_MISMATCH);
	assert_int_equal(warc_record_check_payload(rec), WARC_DIGEST_ABSENT);
	warc_reader_free(r);

	assert_int_equal(warc_reader_open(dir, 0, &r), RF_EISDIR);
	assert_int_equal(warc_reader_open("/nonexistent.warc", 0, &r),
			 RF_ENOENT);
	buf_release(&b);
	buf_release(&big);
	free(path);
	remove_tmpdir(dir);
}

/* A reader on a pipe: no seeking back, still every good record. */
static void
test_pipe(void **state)
{
	struct buf b;
	int fds[2];
	pid_t pid;
	struct warc_reader *r;
	const struct warc_record *rec;
	size_t len;

	buf_init(&b, 0);
	hand_record(&b, "resource", "a", "first block", 0);
	buf_addstr(&b, "junk\r\n");
	hand_record(&b, "resource", "b", "second block", 0);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if (write(fds[1], b.data, b.len) != (ssize_t)b.len)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(warc_reader_open_fd(fds[0], "pipe", 0, &r), RF_OK);
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_string_equal(warc_record_block(rec, &len), "first block");
	assert_int_equal(warc_reader_next(r, &rec), RF_EPARSE);
	assert_true(str_has_prefix(warc_reader_error(r), "pipe: "));
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_string_equal(warc_record_block(rec, &len), "second block");
	assert_int_equal(warc_reader_next(r, &rec), RF_OK);
	assert_null(rec);
	warc_reader_free(r);
	close(fds[0]);
	buf_release(&b);
}

/* ---- chunked bodies ---- */

static void
check_chunked(const char *body, const char *payload, bool incomplete)
{
	struct warc_http m = http_msg(chunked_head, body, strlen(body), false);
	char got[WARC_DIGEST_SIZE], want[WARC_DIGEST_SIZE];
	char *dir = make_tmpdir();
	struct warc_writer_opts opts = { .sync = WARC_SYNC_NONE };
	struct warc_writer *w;
	struct warc_capture cap = { .target_uri = "http://e.test/" };
	struct warc_loc loc[3];
	struct warc_record *rec;
	const struct warc_http_msg *hm;
	char *path;
	int i;

	warc_payload_digest(&m, got);
	sha1_label(payload, strlen(payload), want);
	assert_string_equal(got, want);

	/* the reader takes the same payload out of the block; the digest
	 * is the same when the caller gives it (it is not hashed again),
	 * and one that is not of the writer's form is not taken */
	assert_int_equal(warc_writer_open(dir, "c", 0, &opts, &w), RF_OK);
	for (i = 0; i < 3; i++) {
		m.payload_digest = i == 0 ? NULL : i == 1 ? got : "sha1:AB";
		assert_int_equal(warc_write_exchange(w, &cap, NULL, &m, NULL,
						     &loc[i]),
				 RF_OK);
	}
	assert_int_equal(warc_writer_close(w), RF_OK);
	for (i = 0; i < 3; i++) {
		path = path_in(dir, loc[i].file);
		assert_int_equal(warc_read_at(path, loc[i].offset, 0, &rec),
				 RF_OK);
		assert_string_equal(warc_record_header(rec,
						       "WARC-Payload-Digest"),
				    want);
		hm = warc_record_http(rec);
		assert_non_null(hm);
		assert_int_equal(hm->payload_len, strlen(payload));
		assert_memory_equal(hm->payload, payload, hm->payload_len);
		assert_int_equal(hm->payload_incomplete, incomplete);
		assert_int_equal(warc_record_check_payload(rec),
				 WARC_DIGEST_OK);
		warc_record_free(rec);
		free(path);
	}
	remove_tmpdir(dir);
}

static void
test_chunked(void **state)
{
	check_chunked("5\r\nhello\r\n0\r\n\r\n", "hello", false);
	/* bare LFs, upper-case hex, extensions with spaces */
	check_chunked("A\nabcdefghij\n0\n\n", "abcdefghij", false);
	check_chunked("3 ; name=\"v\"\r\nabc\r\n0\r\n\r\n", "abc", false);
	/* cut short inside data, inside the size line, before the CRLF */
	check_chunked("5\r\nhel", "hel", true);
	check_chunked("5\r\nhello\r\n1", "hello", true);
	check_chunked("5\r\nhello", "hello", true);
	/* no final chunk */
	check_chunked("2\r\nab\r\n", "ab", true);
	/* framing broken after a chunk: what came before */
	check_chunked("2\r\nabXX\r\n", "ab", true);
	/* not chunked at all, whatever the head says: the body */
	check_chunked("hello world", "hello world", false);
	check_chunked("", "", false);
	check_chunked("zz\r\nabc", "zz\r\nabc", false);
	/* a size too big to be true */
	check_chunked("ffffffffffffffffff\r\nabc", "ffffffffffffffffff\r\nabc",
		      false);
}

/* Random damage (flipped bytes, cut and repeated ranges) never makes the
 * reader crash or loop: every call ends and the reader reaches the end. */
static void
damage_and_read(const struct buf *orig, const char *path, unsigned *seed)
{
	struct buf b;
	int round, rounds = 150;
	const char *env = getenv("WARC_TEST_DAMAGE_ROUNDS");
	long long v;

	/* more rounds for a longer hunt: WARC_TEST_DAMAGE_ROUNDS=100000 */
	if (env && parse_int(env, 1, 10000000, &v) == RF_OK)
		rounds = (int)v;
	buf_init(&b, 0);
	for (round = 0; round < rounds; round++) {
		struct warc_reader *r;
		const struct warc_record *rec;
		int k, calls = 0;
		enum rf_err err;

		buf_reset(&b);
		buf_add(&b, orig->data, orig->len);
		for (k = 0; k < 1 + round % 4; k++) {
			size_t at, n;

			*seed = *seed * 1103515245u + 12345u;
			at = (*seed >> 8) % b.len;
			n = 1 + (*seed >> 4) % 64;
			if (n > b.len - at)
				n = b.len - at;
			switch ((*seed >> 2) % 3) {
			case 0:	/* flip */
				b.data[at] ^= (char)(1 + (*seed >> 20) % 255);
				break;
			case 1:	/* cut a range out */
				memmove(b.data + at, b.data + at + n,
					b.len - at - n);
				buf_truncate(&b, b.len - n);
				break;
			default: /* repeat a range */
				buf_grow(&b, n);
				memmove(b.data + at + n, b.data + at,
					b.len - at);
				b.len += n;
				b.data[b.len] = '\0';
				break;
			}
			if (b.len == 0)
				buf_addch(&b, 'x');
		}
		write_file(path, b.data, b.len);
		assert_int_equal(warc_reader_open(path, 4096, &r), RF_OK);
		do {
			assert_true(++calls < 1000);
			err = warc_reader_next(r, &rec);
			assert_true(err == RF_OK || err == RF_EPARSE);
			if (rec) {
				(void)warc_record_check_block(rec);
				(void)warc_record_check_payload(rec);
				(void)warc_record_http(rec);
			}
		} while (err != RF_OK || rec);
		warc_reader_free(r);
	}
	buf_release(&b);
}

static void
test_random_damage(void **state)
{
	char *dir = make_tmpdir();
	struct written wr;
	struct buf orig;
	char *path, *damaged = NULL;
	unsigned seed = 42;
	int pass;

	for (pass = 0; pass < 2; pass++) {
		write_sample(dir, &wr, pass == 1);
		path = path_in(dir, wr.file);
		read_whole(path, &orig);
		free(damaged);
		damaged = path_in(dir, "damaged");
		damage_and_read(&orig, damaged, &seed);
		unlink(path);
		buf_release(&orig);
		free(path);
	}
	free(damaged);
	remove_tmpdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_uncompressed),
		cmocka_unit_test(test_whole_file_gzip),
		cmocka_unit_test(test_rotation),
		cmocka_unit_test(test_sync_background),
		cmocka_unit_test(test_name_collision),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_failed_write),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_lying_length),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_random_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
