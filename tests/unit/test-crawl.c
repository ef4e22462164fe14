/*
 * test-crawl.c: unit tests of the crawler's pieces that need no network:
 * job files, the SQLite frontier, link and sitemap extraction, gzip
 * inflation under a cap, HTTP/2 heads in HTTP/1.1 form, Retry-After.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <brotli/encode.h>
#include <cmocka.h>
#include <zlib.h>
#include <zstd.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/limits.h"
#include "common/xmalloc.h"
#include "crawler/crawl-int.h"
#include "crawler/crawl.h"
#include "crawler/frontier.h"

static char tmpdir[64];

static int
setup_dir(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test-crawl.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown_dir(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *
path_in_tmp(const char *name)
{
	struct buf b;

	buf_init(&b, 0);
	buf_addf(&b, "%s/%s", tmpdir, name);
	return buf_detach(&b, NULL);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* ---- job files ---- */

static enum rf_err
load_job(const char *text, struct crawl_job **job, struct buf *err)
{
	char *path = path_in_tmp("job.conf");
	enum rf_err e;

	write_file(path, text);
	e = crawl_job_load(path, job, err);
	free(path);
	return e;
}

static void
test_job_load(void **state)
{
	struct crawl_job *job = NULL;
	struct buf err;
	const struct crawl_site *s;

	(void)state;
	buf_init(&err, 0);
	assert_int_equal(load_job(
		"# a job\n"
		"[job]\n"
		"db = state/crawl.db\n"
		"warc_dir = /var/warc\n"
		"warc_max_size = 512M\n"
		"delay = 2\n"
		"allow_private = yes\n"
		"\n"
		"[site board]\n"
		"seed = https://Board.example/jobs\n"
		"seed = https://board.example/other\n"
		"allow = ^https://board\\.example/\n"
		"deny = /print/\n"
		"listing = /ad/\\d+\n"
		"index = [?&]page=\\d+\n"
		"depth = 3\n"
		"max_pages = 500\n"
		"max_time = 2h\n"
		"recrawl = 1d\n"
		"profile = board\n"
		"user_agent = redflag-test/1.0\n"
		"proxy = socks5h://127.0.0.1:9050\n"
		"cookie_file = cookies.txt\n"
		"ignore_robots = no\n"
		"sitemaps = yes\n"
		"timeout = 30s\n"
		"max_body = 2M\n"
		"\n"
		"[site demo]\n"
		"seed = demo/index.html\n"
		"delay = 0.5\n",
		&job, &err), RF_OK);
	assert_string_equal(err.data, "");
	assert_int_equal(job->nsites, 2);
	assert_true(job->allow_private);
	assert_int_equal(job->warc_max_bytes, (uint64_t)512 << 20);
	assert_true(strstr(job->db_path, "/state/crawl.db") != NULL);
	assert_string_equal(job->warc_dir, "/var/warc");
	s = &job->sites[0];
	assert_string_equal(s->name, "board");
	assert_int_equal(s->nseeds, 2);
	assert_string_equal(s->seeds[0], "https://board.example/jobs");
	assert_int_equal(s->nallow, 1);
	assert_int_equal(s->ndeny, 1);
	assert_int_equal(s->nlisting, 1);
	assert_int_equal(s->nindex, 1);
	assert_int_equal(s->depth, 3);
	assert_int_equal(s->max_pages, 500);
	assert_true(s->max_time == 7200);
	assert_true(s->recrawl == 86400);
	assert_true(s->delay == 2);	/* from [job] */
	assert_string_equal(s->proxy, "socks5h://127.0.0.1:9050");
	assert_true(strstr(s->cookie_file, "/cookies.txt") != NULL);
	assert_true(s->sitemaps);
	assert_false(s->ignore_robots);
	assert_true(s->timeout == 30);
	assert_int_equal(s->max_body, (size_t)2 << 20);
	s = &job->sites[1];
	assert_true(s->delay == 0.5);
	assert_int_equal(s->depth, RF_CRAWL_DEPTH_DEFAULT);
	assert_true(strncmp(s->seeds[0], "file:///", 8) == 0);
	assert_true(strstr(s->seeds[0], "/demo/index.html") != NULL);
	assert_int_equal(crawl_job_check(job, &err), RF_OK);
	crawl_job_free(job);
	buf_release(&err);
}

static void
test_job_errors(void **state)
{
	static const struct {
		const char *text;
		const char *message;
	} cases[] = {
		{ "[site a]\nseed = http://a.example/\nbogus = 1\n",
		  "job.conf:3: unknown site key 'bogus'" },
		{ "[site a]\nseed = http://a.example/\nallow = (unclosed\n",
		  "job.conf:3: bad pattern '(unclosed'" },
		{ "[site a]\nseed = ftp://a.example/\n",
		  "job.conf:2: bad seed" },
		{ "[site a]\nseed = http://a.example/\ndelay = -1\n",
		  "job.conf:3: bad delay" },
		{ "[site a]\nseed = http://a.example/\ndelay = 61\n",
		  "job.conf:3: bad delay" },
		{ "[site a]\nseed = http://a.example/\nproxy = ftp://p\n",
		  "job.conf:3: bad proxy" },
		{ "[site a]\n[site a]\n",
		  "job.conf:2: site 'a' declared twice" },
		{ "[site a b]\n", "job.conf:1: bad site name" },
		{ "[sites]\n", "job.conf:1: unknown section" },
		{ "[site]\n", "job.conf:1: unknown section [site]" },
		{ "[job x]\n", "job.conf:1: unknown section [job x]" },
		{ "[site a\n", "job.conf:1: bad section line" },
		{ "[site a] #\n", "job.conf:1: bad section line" },
		{ "[site a]\n[job]\n",
		  "job.conf:2: [job] must come before the sites" },
		{ "[site a]\ndelay =\n", "job.conf:2: 'delay' has no value" },
		{ "seed = http://a.example/\n",
		  "job.conf:1: seeds belong in a [site NAME] section" },
		{ "[job]\ndb = x.db\n", "no [site NAME] section" },
		{ "[site a]\njust words\n",
		  "job.conf:2: expected 'key = value'" },
		{ "[site a]\nmax_body = 1G\n", "job.conf:2: bad max_body" },
	};
	struct crawl_job *job;
	struct buf err;
	size_t i;

	(void)state;
	buf_init(&err, 0);
	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		job = NULL;
		buf_reset(&err);
		if (load_job(cases[i].text, &job, &err) != RF_EPARSE ||
		    !strstr(err.data, cases[i].message)) {
			print_error("case %zu: got '%s', expected '%s'\n", i,
				    err.data, cases[i].message);
			fail();
		}
		assert_null(job);
	}
	buf_release(&err);
}

static void
test_job_check(void **state)
{
	struct crawl_job *job = crawl_job_new();
	struct crawl_site *s;
	struct buf err;

	(void)state;
	buf_init(&err, 0);
	assert_int_equal(crawl_job_check(job, &err), RF_EINVAL);
	s = crawl_job_add_site(job, "x");
	assert_int_equal(crawl_job_check(job, &err), RF_EINVAL);
	s->seeds = xcalloc(1, sizeof(*s->seeds));
	s->seeds[0] = xstrdup("file:///etc/passwd");
	s->nseeds = 1;
	/* file seeds only from a job file */
	buf_reset(&err);
	assert_int_equal(crawl_job_check(job, &err), RF_EINVAL);
	assert_non_null(strstr(err.data, "only accepted from a job file"));
	job->path = xstrdup("x.conf");
	assert_int_equal(crawl_job_check(job, &err), RF_OK);
	crawl_job_free(job);
	buf_release(&err);
}

/* ---- the frontier ---- */

static void
add_url(struct frontier *f, const char *url, int depth, bool expect_added)
{
	struct frontier_new n;
	bool added = !expect_added;

	memset(&n, 0, sizeof(n));
	n.url = url;
	n.host = "http://a.example";
	n.site = "a";
	n.depth = depth;
	assert_int_equal(frontier_add(f, &n, &added), RF_OK);
	assert_int_equal(added, expect_added);
}

static void
next_url(struct frontier *f, double now, const char *want, int64_t *id)
{
	struct frontier_url u;
	bool found;
	double due;

	assert_int_equal(frontier_next(f, "http://a.example", now, &u, &found,
				       &due),
			 RF_OK);
	if (!want) {
		assert_false(found);
		return;
	}
	assert_true(found);
	assert_string_equal(u.url, want);
	if (id)
		*id = u.id;
	frontier_url_release(&u);
}

static void
test_frontier(void **state)
{
	char *path = path_in_tmp("frontier.db");
	struct frontier *f = NULL, *g = NULL;
	struct buf err;
	int64_t run, id, id2;
	bool resumed, found;
	struct frontier_result r;
	struct frontier_url u;
	double due;
	long n;
	char *wid, *uri;

	(void)state;
	buf_init(&err, 0);
	assert_int_equal(frontier_open(path, &f, &err), RF_OK);
	/* one crawl at a time */
	assert_int_equal(frontier_open(path, &g, &err), RF_ELOCKED);
	assert_null(g);
	assert_int_equal(frontier_run_start(f, 1000, &run, &resumed), RF_OK);
	assert_false(resumed);
	assert_int_equal(frontier_begin(f), RF_OK);
	add_url(f, "http://a.example/", 0, true);
	add_url(f, "http://a.example/deep", 2, true);
	add_url(f, "http://a.example/b", 1, true);
	add_url(f, "http://a.example/", 0, false);	/* dedup */
	assert_int_equal(frontier_commit(f), RF_OK);
	/* lowest depth first, then discovery order */
	next_url(f, 1000, "http://a.example/", &id);
	memset(&r, 0, sizeof(r));
	r.state = FRONTIER_DONE;
	r.status = 200;
	r.etag = "\"v1\"";
	r.payload_sha1 = "sha1:AAAA";
	r.warc_id = "<urn:uuid:1>";
	r.fetched_at = 1000;
	assert_int_equal(frontier_done(f, id, &r), RF_OK);
	next_url(f, 1000, "http://a.example/b", &id2);
	/* a retry waits until its time */
	assert_int_equal(frontier_retry(f, id2, 1010, 503, "busy"), RF_OK);
	next_url(f, 1000, "http://a.example/deep", NULL);
	assert_int_equal(frontier_queued(f, &n), RF_OK);
	assert_int_equal(n, 2);
	assert_int_equal(frontier_run_count(f, run, "a", &n), RF_OK);
	assert_int_equal(n, 1);
	/* payloads */
	assert_int_equal(frontier_payload_add(f, "sha1:X", "<urn:uuid:9>",
					      "http://a.example/", 1000),
			 RF_OK);
	assert_int_equal(frontier_payload_find(f, "sha1:X", &found, &wid, &uri,
					       &due),
			 RF_OK);
	assert_true(found);
	assert_string_equal(wid, "<urn:uuid:9>");
	free(wid);
	free(uri);
	frontier_close(f);
	f = NULL;

	/* reopened: the unfinished run resumes, the retry still waits */
	assert_int_equal(frontier_open(path, &f, &err), RF_OK);
	assert_int_equal(frontier_run_start(f, 1001, &run, &resumed), RF_OK);
	assert_true(resumed);
	next_url(f, 1001, "http://a.example/deep", NULL);
	next_url(f, 1011, "http://a.example/b", NULL);
	assert_int_equal(frontier_run_finish(f, 1012, "frontier exhausted",
					     "{}", true),
			 RF_OK);
	frontier_close(f);
	f = NULL;

	/* a new run; recrawl queues the done page again with its ETag */
	assert_int_equal(frontier_open(path, &f, &err), RF_OK);
	assert_int_equal(frontier_run_start(f, 2000, &run, &resumed), RF_OK);
	assert_false(resumed);
	assert_int_equal(frontier_requeue_due(f, "a", 500, 2000), RF_OK);
	assert_int_equal(frontier_lookup(f, "http://a.example/", &u, &found),
			 RF_OK);
	assert_true(found);
	assert_int_equal(u.state, FRONTIER_QUEUED);
	assert_string_equal(u.etag, "\"v1\"");
	assert_string_equal(u.warc_id, "<urn:uuid:1>");
	assert_int_equal(u.attempts, 0);
	frontier_url_release(&u);
	frontier_close(f);
	free(path);
	buf_release(&err);
}

/* ---- links ---- */

struct got_links {
	char urls[16][128];
	unsigned flags[16];
	size_t n;
};

static void
collect(const char *href, unsigned flags, void *arg)
{
	struct got_links *g = arg;

	if (g->n < 16) {
		snprintf(g->urls[g->n], sizeof(g->urls[0]), "%s", href);
		g->flags[g->n++] = flags;
	}
}

static void
test_links(void **state)
{
	static const char html[] =
		"<html><head><base href=\"/base/\">"
		"<link rel=\"stylesheet\" href=\"s.css\">"
		"<link rel=\"next\" href=\"?page=2\"></head><body>"
		"<a href=\"a.html\">a</a><a>no href</a>"
		"<a rel=\"nofollow prev\" href=\"p1\">prev</a>"
		"<area href=\"map\"><iframe src=\"frame\"></iframe>"
		"<img src=\"img.png\"><script src=\"x.js\"></script>"
		"<a href=\"\">empty</a><a href=\"last\">l</a>"
		"</body></html>";
	struct got_links g;
	char *base = NULL;
	size_t dropped;

	(void)state;
	memset(&g, 0, sizeof(g));
	links_extract(html, sizeof(html) - 1, 100, collect, &g, &base,
		      &dropped);
	assert_string_equal(base, "/base/");
	free(base);
	assert_int_equal(g.n, 6);
	assert_string_equal(g.urls[0], "?page=2");
	assert_int_equal(g.flags[0], LINK_PAGINATION);
	assert_string_equal(g.urls[1], "a.html");
	assert_int_equal(g.flags[1], 0);
	assert_string_equal(g.urls[2], "p1");
	assert_int_equal(g.flags[2], LINK_PAGINATION);
	assert_string_equal(g.urls[3], "map");
	assert_string_equal(g.urls[4], "frame");
	assert_string_equal(g.urls[5], "last");
	assert_int_equal(dropped, 0);

	/* the outlink cap */
	memset(&g, 0, sizeof(g));
	links_extract(html, sizeof(html) - 1, 2, collect, &g, &base,
		      &dropped);
	free(base);
	assert_int_equal(g.n, 2);
	assert_int_equal(dropped, 4);
}

static void
test_sitemap(void **state)
{
	static const char urlset[] =
		"<?xml version=\"1.0\"?>"
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
		"<url><loc> http://a.example/ad/1 </loc></url>"
		"<url><loc>http://a.example/ad/2</loc><lastmod>2024</lastmod>"
		"</url></urlset>";
	static const char index[] =
		"<sitemapindex><sitemap><loc>http://a.example/s1.xml</loc>"
		"</sitemap></sitemapindex>";
	static const char evil[] =
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM "
		"\"file:///etc/passwd\">]><urlset><url><loc>&e;</loc></url>"
		"</urlset>";
	static const char laughs[] =
		"<?xml version=\"1.0\"?><!DOCTYPE x ["
		"<!ENTITY a \"lollollollollollollollollollol\">"
		"<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
		"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
		"<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
		"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
		"<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">"
		"<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">"
		"<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">"
		"<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">"
		"]><urlset><url><loc>http://a.example/x&i;</loc></url>"
		"<url><loc>&i;&i;&i;</loc></url></urlset>";
	struct got_links g;
	size_t dropped;
	bool is_index;

	(void)state;
	memset(&g, 0, sizeof(g));
	sitemap_extract(urlset, sizeof(urlset) - 1, 100, collect, &g,
			&is_index, &dropped);
	assert_false(is_index);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.urls[1], "http://a.example/ad/2");
	memset(&g, 0, sizeof(g));
	sitemap_extract(index, sizeof(index) - 1, 100, collect, &g, &is_index,
			&dropped);
	assert_true(is_index);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.flags[0], LINK_SITEMAP);
	/* no external entities */
	memset(&g, 0, sizeof(g));
	sitemap_extract(evil, sizeof(evil) - 1, 100, collect, &g, &is_index,
			&dropped);
	assert_true(g.n == 0 || strstr(g.urls[0], "root:") == NULL);
	/* nested entities are never expanded (10^9 bytes if they were) */
	memset(&g, 0, sizeof(g));
	sitemap_extract(laughs, sizeof(laughs) - 1, 100, collect, &g,
			&is_index, &dropped);
	assert_true(g.n <= 1);
	assert_true(g.n == 0 || !strcmp(g.urls[0], "http://a.example/x"));
}

/* ---- bodies and heads ---- */

static size_t
compress_with(int wbits, const void *data, size_t len, unsigned char *out,
	      size_t room)
{
	z_stream z;

	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, wbits, 9,
				      Z_DEFAULT_STRATEGY),
			 Z_OK);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)room;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	deflateEnd(&z);
	return room - z.avail_out;
}

static void
test_inflate(void **state)
{
	static const char text[] = "<html>hello, compressed world</html>";
	static const int wbits[] = { 15 + 16, 15, -15 };
	unsigned char z[256];
	unsigned char *zeros, *bomb;
	size_t n, i, bomb_len;
	struct buf out;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(wbits); i++) {
		n = compress_with(wbits[i], text, sizeof(text) - 1, z,
				  sizeof(z));
		buf_init(&out, 0);
		assert_int_equal(crawl_inflate(z, n, 1000, &out), RF_OK);
		assert_string_equal(out.data, text);
		buf_release(&out);
		/* cut short: what came before, and an error */
		buf_init(&out, 0);
		assert_int_equal(crawl_inflate(z, n / 2, 1000, &out),
				 RF_EPARSE);
		buf_release(&out);
	}
	/* a bomb: 16 MiB of zeros stop at the cap */
	zeros = xcalloc(1, (size_t)16 << 20);
	bomb = xmalloc((size_t)1 << 20);
	bomb_len = compress_with(15 + 16, zeros, (size_t)16 << 20, bomb,
				 (size_t)1 << 20);
	assert_true(bomb_len < 100000);
	buf_init(&out, 0);
	assert_int_equal(crawl_inflate(bomb, bomb_len, (size_t)1 << 20, &out),
			 RF_ETOOBIG);
	assert_int_equal(out.len, (size_t)1 << 20);
	buf_release(&out);
	free(zeros);
	free(bomb);
	/* garbage */
	buf_init(&out, 0);
	assert_int_equal(crawl_inflate("\x1f\x8bgarbage", 9, 1000, &out),
			 RF_EPARSE);
	buf_release(&out);
}

/* data compressed as coding ("br" or "zstd") into a new buffer. */
static unsigned char *
encode_as(const char *coding, const void *data, size_t len, size_t *out_len)
{
	unsigned char *out;
	size_t cap;

	if (strcmp(coding, "br") == 0) {
		cap = BrotliEncoderMaxCompressedSize(len);
		out = xmalloc(cap);
		*out_len = cap;
		assert_true(BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW,
						  BROTLI_MODE_GENERIC, len,
						  data, out_len, out));
		return out;
	}
	cap = ZSTD_compressBound(len);
	out = xmalloc(cap);
	*out_len = ZSTD_compress(out, cap, data, len, 3);
	assert_false(ZSTD_isError(*out_len));
	return out;
}

static void
test_decode(void **state)
{
	static const char text[] = "<html>hello, compressed world</html>";
	static const char *const codings[] = { "br", "zstd", "BR", "Zstd" };
	unsigned char *z, *zeros;
	size_t n, i, cap = (size_t)1 << 20;
	struct buf out;
	ZSTD_CCtx *cc;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(codings); i++) {
		z = encode_as(i % 2 ? "zstd" : "br", text, sizeof(text) - 1,
			      &n);
		buf_init(&out, 0);
		assert_int_equal(crawl_decode(codings[i], z, n, 1000, &out),
				 RF_OK);
		assert_string_equal(out.data, text);
		buf_release(&out);
		/* cut short: an error */
		buf_init(&out, 0);
		assert_int_equal(crawl_decode(codings[i], z, n / 2, 1000,
					      &out),
				 RF_EPARSE);
		buf_release(&out);
		free(z);
	}
	/* bombs: 64 MiB of zeros stop at the cap, in every coding */
	zeros = xcalloc(1, (size_t)64 << 20);
	for (i = 0; i < 2; i++) {
		z = encode_as(codings[i], zeros, (size_t)64 << 20, &n);
		assert_true(n < 100000);
		buf_init(&out, 0);
		assert_int_equal(crawl_decode(codings[i], z, n, cap, &out),
				 RF_ETOOBIG);
		assert_int_equal(out.len, cap);
		buf_release(&out);
		free(z);
	}
	/* gzip through the same door */
	z = xmalloc((size_t)1 << 20);
	n = compress_with(15 + 16, zeros, (size_t)64 << 20, z,
			  (size_t)1 << 20);
	buf_init(&out, 0);
	assert_int_equal(crawl_decode("gzip", z, n, cap, &out), RF_ETOOBIG);
	assert_int_equal(out.len, cap);
	buf_release(&out);
	free(z);
	/* a zstd frame that asks for a 128 MiB window is refused */
	cc = ZSTD_createCCtx();
	assert_non_null(cc);
	assert_false(ZSTD_isError(ZSTD_CCtx_setParameter(
		cc, ZSTD_c_windowLog, RF_CRAWL_ZSTD_WINDOW_LOG + 4)));
	n = ZSTD_compressBound((size_t)64 << 20);
	z = xmalloc(n);
	n = ZSTD_compress2(cc, z, n, zeros, (size_t)64 << 20);
	assert_false(ZSTD_isError(n));
	ZSTD_freeCCtx(cc);
	buf_init(&out, 0);
	assert_int_equal(crawl_decode("zstd", z, n, cap, &out), RF_EPARSE);
	buf_release(&out);
	free(z);
	free(zeros);
	/* garbage, and codings we do not know */
	buf_init(&out, 0);
	assert_int_equal(crawl_decode("br", "\xffgarbage", 8, 1000, &out),
			 RF_EPARSE);
	buf_reset(&out);
	assert_int_equal(crawl_decode("zstd", "garbage!", 8, 1000, &out),
			 RF_EPARSE);
	buf_reset(&out);
	assert_int_equal(crawl_decode("compress", "x", 1, 1000, &out),
			 RF_EUNSUPPORTED);
	assert_int_equal(out.len, 0);
	buf_release(&out);
}

static void
test_h2_heads(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "HTTP/2 200\r\ncontent-type: text/html\r\n\r\n",
		  "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n" },
		{ "HTTP/2 404\r\n\r\n", "HTTP/1.1 404 Not Found\r\n\r\n" },
		{ "HTTP/2 299\r\n\r\n", "HTTP/1.1 299 \r\n\r\n" },
		{ "GET /a?b HTTP/2\r\nHost: x\r\n\r\n",
		  "GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n" },
		{ "HTTP/1.1 301 Moved\r\nLocation: /\r\n\r\n",
		  "HTTP/1.1 301 Moved\r\nLocation: /\r\n\r\n" },
		{ "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\n\r\n" },
	};
	struct buf out;
	size_t i;

	(void)state;
	for (i = 0; i < RF_ARRAY_SIZE(cases); i++) {
		buf_init(&out, 0);
		assert_int_equal(crawl_head_to_http11(cases[i].in,
						      strlen(cases[i].in),
						      &out),
				 RF_OK);
		assert_string_equal(out.data, cases[i].out);
		buf_release(&out);
	}
}

static void
test_retry_after(void **state)
{
	double s;
	/* 1994-11-06 08:49:37 UTC */
	double t = 784111777;

	(void)state;
	assert_true(crawl_retry_after("120", t, &s));
	assert_true(s == 120);
	assert_true(crawl_retry_after(" 0", t, &s));
	assert_true(s == 0);
	assert_true(crawl_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", t, &s));
	assert_true(s == 60);
	/* a date in the past: no wait */
	assert_true(crawl_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", t, &s));
	assert_true(s == 0);
	assert_false(crawl_retry_after("-5", t, &s));
	assert_false(crawl_retry_after("soon", t, &s));
	assert_false(crawl_retry_after("Sun, 06 Foo 1994 08:50:37 GMT", t,
				       &s));
}

static void
test_summary_json(void **state)
{
	struct crawl_summary s;
	struct crawl_host_stats h;
	struct buf out;

	(void)state;
	memset(&s, 0, sizeof(s));
	memset(&h, 0, sizeof(h));
	h.host = (char *)(uintptr_t)"https://a.example";
	h.site = (char *)(uintptr_t)"a";
	h.fetched = 3;
	h.crawl_delay = -1;
	h.parked = true;
	s.stop = CRAWL_STOP_BUDGET;
	s.pages = 3;
	s.hosts = &h;
	s.nhosts = 1;
	buf_init(&out, 0);
	crawl_summary_json(&s, &out);
	assert_non_null(strstr(out.data, "\"stop\":\"budget reached\""));
	assert_non_null(strstr(out.data, "\"parked\":true"));
	assert_non_null(strstr(out.data, "\"crawl_delay\":null"));
	buf_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_job_load),
		cmocka_unit_test(test_job_errors),
		cmocka_unit_test(test_job_check),
		cmocka_unit_test(test_frontier),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_sitemap),
		cmocka_unit_test(test_inflate),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_h2_heads),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_summary_json),
	};

	return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
