/*
 * warc-sample.c: writes a sample WARC with every kind of record the crawler
 * writes into DIR, and prints one manifest line per record (file, offset,
 * length, type, record id, target URI; tab-separated), for checking the
 * file with other WARC tools (tests/cli/warcio.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "common/buf.h"
#include "crawler/warc.h"

static int failed;

static void
check(enum rf_err err, const char *what)
{
	if (err != RF_OK) {
		fprintf(stderr, "warc-sample: %s: %s\n", what,
			rf_strerror(err));
		failed = 1;
	}
}

static void
manifest(const struct warc_loc *loc, const char *type, const char *uri)
{
	printf("%s\t%llu\t%llu\t%s\t%s\t%s\n", loc->file,
	       (unsigned long long)loc->offset,
	       (unsigned long long)loc->length, type, loc->id,
	       uri ? uri : "");
}

static struct warc_http
msg(const char *head, const void *body, size_t len, bool dechunked)
{
	struct warc_http m;

	m.head = head;
	m.head_len = strlen(head);
	m.body = body;
	m.body_len = len;
	m.body_dechunked = dechunked;
	m.payload_digest = NULL;
	return m;
}

/* A gzip Content-Encoding body, as a server would send it. */
static size_t
gzip_body(const char *text, unsigned char *out, size_t room)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		return 0;
	z.next_in = (Bytef *)(uintptr_t)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = (uInt)room;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		z.total_out = 0;
	deflateEnd(&z);
	return z.total_out;
}

int
main(int argc, char **argv)
{
	static const char *const info[] = {
		"http-version-note: HTTP/2 exchanges recorded as HTTP/1.1 "
		"messages",
		NULL,
	};
	static const char *const h2[] = { "WARC-Protocol: h2", NULL };
	static const char get[] = "GET /vacancy/1 HTTP/1.1\r\n"
				  "Host: jobs.example\r\n"
				  "User-Agent: redflag/0.1 (+test)\r\n"
				  "\r\n";
	static const char ok[] = "HTTP/1.1 200 OK\r\n"
				 "Content-Type: text/html; charset=utf-8\r\n"
				 "Content-Length: 77\r\n"
				 "\r\n";
	static const char page[] = "<html><body><h1>Официант в Дубай</h1>"
				   "<p>18-25</p></body></html>";
	static const char chunked[] = "HTTP/1.1 200 OK\r\n"
				      "Content-Type: text/plain\r\n"
				      "Transfer-Encoding: chunked\r\n"
				      "\r\n";
	static const char framed[] = "7\r\nvisa & \r\n"
				     "d;x=y\r\ntickets paid\n\r\n"
				     "0\r\n\r\n";
	static const char gz_head[] = "HTTP/1.1 200 \r\n"
				      "Content-Type: text/html\r\n"
				      "Content-Encoding: gzip\r\n"
				      "\r\n";
	static const char post[] = "POST /search HTTP/1.1\r\n"
				   "Host: jobs.example\r\n"
				   "Content-Type: application/x-www-form-"
				   "urlencoded\r\n"
				   "Content-Length: 12\r\n"
				   "\r\n";
	static const char not_modified[] = "HTTP/1.1 304 Not Modified\r\n"
					   "ETag: \"v1\"\r\n"
					   "\r\n";
	struct warc_writer_opts opts = { .info = info };
	struct warc_writer *w = NULL;
	struct warc_capture cap = { .ip = "192.0.2.10" };
	struct warc_revisit rv = { 0 };
	struct warc_http req, resp;
	struct warc_loc lreq, lresp, first;
	unsigned char gz[512];
	size_t gz_len;
	char digest[WARC_DIGEST_SIZE];
	struct buf fields;

	if (argc != 2) {
		fprintf(stderr, "usage: warc-sample DIR\n");
		return 2;
	}
	check(warc_writer_open(argv[1], "sample", 0, &opts, &w), "open");
	if (!w)
		return 1;
	printf("%s\t0\t0\twarcinfo\t-\t\n", warc_writer_file(w));

	cap.target_uri = "https://jobs.example/vacancy/1";
	req = msg(get, NULL, 0, false);
	resp = msg(ok, page, strlen(page), false);
	check(warc_write_exchange(w, &cap, &req, &resp, &lreq, &lresp),
	      "exchange");
	manifest(&lresp, "response", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);
	first = lresp;

	cap.target_uri = "https://jobs.example/chunked";
	resp = msg(chunked, framed, strlen(framed), false);
	check(warc_write_exchange(w, &cap, &req, &resp, &lreq, &lresp),
	      "chunked");
	manifest(&lresp, "response", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);

	cap.target_uri = "https://jobs.example/dechunked";
	cap.fields = h2;
	resp = msg(chunked, "visa & tickets paid\n", 20, true);
	check(warc_write_exchange(w, &cap, &req, &resp, &lreq, &lresp),
	      "dechunked");
	manifest(&lresp, "response", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);
	cap.fields = NULL;

	cap.target_uri = "https://jobs.example/gz?q=%D1%80%D0%B0%D0%B1";
	gz_len = gzip_body(page, gz, sizeof(gz));
	resp = msg(gz_head, gz, gz_len, false);
	check(warc_write_exchange(w, &cap, &req, &resp, &lreq, &lresp),
	      "gzip body");
	manifest(&lresp, "response", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);

	cap.target_uri = "https://jobs.example/search";
	req = msg(post, "q=waitresses", 12, false);
	resp = msg(ok, page, strlen(page), false);
	check(warc_write_exchange(w, &cap, &req, &resp, &lreq, &lresp),
	      "post");
	manifest(&lresp, "response", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);

	cap.target_uri = "https://jobs.example/vacancy/1";
	req = msg(get, NULL, 0, false);
	rv.profile = WARC_PROFILE_IDENTICAL_PAYLOAD;
	rv.refers_to = first.id;
	rv.refers_to_uri = cap.target_uri;
	rv.refers_to_date = 0;
	check(warc_write_revisit(w, &cap, &rv, &req, &resp, &lreq, &lresp),
	      "revisit");
	manifest(&lresp, "revisit", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);

	rv.profile = WARC_PROFILE_NOT_MODIFIED;
	warc_payload_digest(&resp, digest);
	rv.payload_digest = digest;
	resp = msg(not_modified, NULL, 0, false);
	check(warc_write_revisit(w, &cap, &rv, &req, &resp, &lreq, &lresp),
	      "not modified");
	manifest(&lresp, "revisit", cap.target_uri);
	manifest(&lreq, "request", cap.target_uri);

	buf_init(&fields, 0);
	check(warc_fields_add(&fields, "redflag-score", "12"), "fields");
	check(warc_fields_add(&fields, "redflag-level", "high"), "fields");
	check(warc_write_metadata(w, &cap, first.id,
				  "application/warc-fields", fields.data,
				  fields.len, &lresp),
	      "metadata");
	manifest(&lresp, "metadata", cap.target_uri);
	buf_release(&fields);

	cap.target_uri = "urn:redflag:seeds";
	check(warc_write_resource(w, &cap, "text/plain",
				  "https://jobs.example/\n", 22, &lresp),
	      "resource");
	manifest(&lresp, "resource", cap.target_uri);

	check(warc_writer_close(w), "close");
	return failed;
}
