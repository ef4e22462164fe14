/*
 * testsrv.c: a small classifieds site on 127.0.0.1 for the crawler's
 * integration tests (libmicrohttpd). It logs every request it receives,
 * with its arrival time, so that tests can check politeness from the
 * server's side.
 *
 * Usage: testsrv PORTFILE LOGFILE [SECONDS [ADDRESSES]]
 * Binds 127.0.0.1 on a free port (with ADDRESSES, 1 to 250, also
 * 127.0.0.2 ... on the same port: distinct hosts for the crawler's
 * benchmark), writes the port to PORTFILE, appends
 * "TIME METHOD PATH[?QUERY] port=PORT ua=PRODUCT [cookie=COOKIE]
 * [auth=AUTHORIZATION]" lines
 * to LOGFILE (TIME in seconds, wall clock, microseconds; PORT the
 * client's, which tells connections apart; PRODUCT the User-Agent's first
 * word), and exits on SIGTERM or SIGINT or after SECONDS
 * (default 300) so that a broken test never leaves it running.
 *
 * The site:
 *   /robots.txt         Disallow /private/ and /search, Allow
 *                       /private/open.html, Crawl-delay 0.1, Sitemap
 *   /sitemap.xml        a sitemap index naming /sitemap-ads.xml.gz, a
 *                       gzip file listing /listing/31 (linked from
 *                       nowhere else) and /listing/1
 *   /                   links to everything below, and out of scope
 *   /jobs?page=N        N = 1..5, 6 listings each, rel=next/prev
 *   /listing/ID         ID = 1..30; ETag and Last-Modified, 304 on a
 *                       matching If-None-Match
 *   /old-listing        301 to /listing/5
 *   /loop-a, /loop-b    302 to each other
 *   /missing            404;  /broken: 500 every time
 *   /busy               429 with Retry-After: 1 the first time, then 200
 *   /slow               200, then one byte every 200 ms (slow drip)
 *   /huge               2 MiB of HTML (the test caps bodies at 1 MiB)
 *   /bomb               gzip Content-Encoding inflating to 64 MiB
 *   /br-bomb, /zstd-bomb  the same in brotli and zstd
 *   /gz                 a gzip-encoded page linking to /gz-target
 *   /br, /zstd          brotli and zstd pages linking to /br-target and
 *                       /zstd-target
 *   /cp1251             a windows-1251 page linking to /cp1251-target
 *   /chain/N            302 to /chain/N+1, for ever
 *   /dup-a, /dup-b      the same bytes under two URLs
 *   /private/...        must never be requested (robots.txt)
 *   /bench/N            for bench/bench-crawl: 2 KB pages, 8 links each
 *   /files/NAME         the file NAME of the folder named by the
 *                       environment variable TESTSRV_FILES (hostile
 *                       pages made by a test), typed by its extension
 * Asked as a forward proxy for http://board.example/... or
 * http://host1.example/ to host4, it serves the same site (and logs the
 * absolute URL); for http://greedy.example/ a robots.txt with a
 * Crawl-delay of a day; for http://bigrobots.example/ the same site with
 * a 10 MB robots.txt (Disallow /private/ first, Disallow /late after
 * 10 MB of rules and lines longer than any cap).
 * On 127.0.0.2 and up (the ADDRESSES argument), /robots.txt only
 * disallows /private/: no Crawl-delay, so the benchmark runs unthrottled
 * while robots.txt is still fetched and obeyed.
 * For http://unavailable.example/ the site, but its robots.txt answers
 * 503 with Retry-After: 2 the first time.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sys/stat.h>

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <brotli/encode.h>
#include <zlib.h>
#include <zstd.h>

#define LISTINGS 30
#define PER_PAGE 6
#define PAGES (LISTINGS / PER_PAGE)

static FILE *reqlog;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile sig_atomic_t done;
static int busy_count;
static int unavailable_count;
static unsigned char *bomb;
static size_t bomb_len;
static unsigned char *gz_page;
static size_t gz_len;
static char *huge;
static size_t huge_len;
static unsigned char *sitemap_gz;
static size_t sitemap_gz_len;
static char *big_robots;
static size_t big_robots_len;
static unsigned char *br_page, *br_bomb, *zstd_page, *zstd_bomb;
static size_t br_len, br_bomb_len, zstd_len, zstd_bomb_len;

static void
on_signal(int sig)
{
	(void)sig;
	done = 1;
}

static enum MHD_Result
add_arg(void *cls, enum MHD_ValueKind kind, const char *key,
	const char *value)
{
	char *q = cls;
	size_t n = strlen(q);

	(void)kind;
	snprintf(q + n, 512 - n, "%s%s=%s", n ? "&" : "", key,
		 value ? value : "");
	return MHD_YES;
}

static void
log_request(struct MHD_Connection *conn, const char *method, const char *url)
{
	struct timespec ts;
	char query[512] = "";

	const char *cookie, *ua, *auth;
	const union MHD_ConnectionInfo *info;
	unsigned port = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_arg, query);
	cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
	ua = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "User-Agent");
	auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					   "Authorization");
	pthread_mutex_lock(&log_lock);
	info = MHD_get_connection_info(conn,
				       MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (info && info->client_addr &&
	    info->client_addr->sa_family == AF_INET)
		port = ntohs(((const struct sockaddr_in *)(const void *)
				      info->client_addr)->sin_port);
	fprintf(reqlog, "%lld.%06ld %s %s%s%s port=%u ua=%.*s%s%s%s%s\n",
		(long long)ts.tv_sec, ts.tv_nsec / 1000, method, url,
		query[0] ? "?" : "", query, port,
		ua ? (int)strcspn(ua, " \t") : 1, ua ? ua : "-",
		cookie ? " cookie=" : "", cookie ? cookie : "",
		auth ? " auth=" : "", auth ? auth : "");
	fflush(reqlog);
	pthread_mutex_unlock(&log_lock);
}

static enum MHD_Result
send_buf(struct MHD_Connection *conn, unsigned int status, const char *type,
	 const void *data, size_t len, enum MHD_ResponseMemoryMode mode,
	 const char *h1, const char *v1, const char *h2, const char *v2)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)data,
					    mode);
	if (!r)
		return MHD_NO;
	if (type)
		MHD_add_response_header(r, "Content-Type", type);
	if (h1)
		MHD_add_response_header(r, h1, v1);
	if (h2)
		MHD_add_response_header(r, h2, v2);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
send_html(struct MHD_Connection *conn, unsigned int status, const char *fmt,
	  ...) __attribute__((format(printf, 3, 4)));

static enum MHD_Result
send_html(struct MHD_Connection *conn, unsigned int status, const char *fmt,
	  ...)
{
	char *page = NULL;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&page, fmt, ap);
	va_end(ap);
	if (n < 0)
		return MHD_NO;
	return send_buf(conn, status, "text/html; charset=utf-8", page,
			(size_t)n, MHD_RESPMEM_MUST_FREE, NULL, NULL, NULL,
			NULL);
}

static enum MHD_Result
send_redirect(struct MHD_Connection *conn, unsigned int status,
	      const char *to)
{
	static const char body[] = "<html><body>moved</body></html>";

	return send_buf(conn, status, "text/html", body, sizeof(body) - 1,
			MHD_RESPMEM_PERSISTENT, "Location", to, NULL, NULL);
}

static ssize_t
drip(void *cls, uint64_t pos, char *buf, size_t max)
{
	static const char text[] = "<html><body><p>slow...</p></body></html>";

	(void)cls;
	/* one byte every 200 ms, at most 20 s in all */
	if (pos >= 100 || done)
		return MHD_CONTENT_READER_END_OF_STREAM;
	usleep(200000);
	if (max < 1)
		return 0;
	buf[0] = text[pos % (sizeof(text) - 1)];
	return 1;
}

static enum MHD_Result
listings_page(struct MHD_Connection *conn, int page)
{
	char links[4096] = "", nav[512] = "";
	size_t n = 0;
	int i, id;

	for (i = 0; i < PER_PAGE; i++) {
		id = (page - 1) * PER_PAGE + i + 1;
		n += (size_t)snprintf(links + n, sizeof(links) - n,
				      "<li><a href=\"/listing/%d\">Listing "
				      "%d</a></li>\n", id, id);
	}
	if (page > 1)
		snprintf(nav, sizeof(nav), "<a rel=\"prev\" "
			 "href=\"/jobs?page=%d\">prev</a> ", page - 1);
	if (page < PAGES)
		snprintf(nav + strlen(nav), sizeof(nav) - strlen(nav),
			 "<a rel=\"next\" href=\"/jobs?page=%d\">next</a>",
			 page + 1);
	return send_html(conn, 200, "<!DOCTYPE html><html><head><title>Jobs "
			 "page %d</title></head><body><ul>%s</ul>%s"
			 "</body></html>", page, links, nav);
}

static enum MHD_Result
listing(struct MHD_Connection *conn, int id)
{
	char etag[64], *page = NULL;
	const char *inm;
	int n;

	snprintf(etag, sizeof(etag), "\"l%d-v1\"", id);
	inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					  "If-None-Match");
	if (inm && strcmp(inm, etag) == 0)
		return send_buf(conn, 304, NULL, "", 0, MHD_RESPMEM_PERSISTENT,
				"ETag", etag, NULL, NULL);
	n = asprintf(&page, "<!DOCTYPE html><html><head><title>Listing %d"
		     "</title></head><body><h1>Waiter wanted %d</h1>"
		     "<p>Restaurant in Almaty, contract, salary %d000.</p>"
		     "<a href=\"/jobs?page=1\">all jobs</a></body></html>",
		     id, id, 100 + id);
	if (n < 0)
		return MHD_NO;
	return send_buf(conn, 200, "text/html; charset=utf-8", page,
			(size_t)n, MHD_RESPMEM_MUST_FREE, "ETag", etag,
			"Last-Modified", "Mon, 02 Sep 2024 10:00:00 GMT");
}

/* /bench/N: a page of about 2 KB linking to /bench/8N+1 .. 8N+8. */
static enum MHD_Result
bench_page(struct MHD_Connection *conn, long n)
{
	char links[1024] = "", pad[1200];
	size_t len = 0;
	long i;

	for (i = 1; i <= 8; i++)
		len += (size_t)snprintf(links + len, sizeof(links) - len,
					"<a href=\"/bench/%ld\">ad %ld</a>\n",
					n * 8 + i, n * 8 + i);
	memset(pad, 'x', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	return send_html(conn, 200, "<!DOCTYPE html><html><head><title>Ad "
			 "%ld</title></head><body><p>%s</p>%s</body></html>",
			 n, pad, links);
}

/* /files/NAME: a file of $TESTSRV_FILES, no folders. */
static enum MHD_Result
send_file(struct MHD_Connection *conn, const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{ ".html", "text/html" }, { ".rss", "application/rss+xml" },
		{ ".xml", "application/xml" }, { ".txt", "text/plain" },
	};
	const char *dir = getenv("TESTSRV_FILES"), *type;
	char path[4096];
	struct MHD_Response *r;
	enum MHD_Result ret;
	struct stat st;
	size_t i, n = strlen(name);
	int fd;

	if (!dir || !*name || strchr(name, '/') || name[0] == '.')
		return send_html(conn, 404, "<p>no such file</p>");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		return send_html(conn, 404, "<p>no such file</p>");
	}
	type = "application/octet-stream";
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t e = strlen(types[i].ext);

		if (n > e && strcmp(name + n - e, types[i].ext) == 0)
			type = types[i].type;
	}
	r = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
	if (!r) {
		close(fd);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", type);
	ret = MHD_queue_response(conn, 200, r);
	MHD_destroy_response(r);
	return ret;
}

/* Whether the request came for 127.0.0.2 and up: a benchmark host. */
static bool
bench_host(struct MHD_Connection *conn)
{
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       "Host");

	return host && strncmp(host, "127.0.0.", 8) == 0 &&
	       strncmp(host, "127.0.0.1:", 10) != 0;
}

static enum MHD_Result
handler(void *cls, struct MHD_Connection *conn, const char *url,
	const char *method, const char *version, const char *upload_data,
	size_t *upload_data_size, void **con_cls)
{
	static const char robots[] =
		"# test site\n"
		"User-agent: *\n"
		"Disallow: /private/\n"
		"Allow: /private/open.html\n"
		"Disallow: /search\n"
		"Crawl-delay: 0.1\n"
		"Sitemap: /sitemap.xml\n";
	static const char dup[] =
		"<!DOCTYPE html><html><head><title>Same</title></head>"
		"<body><p>The same page under two URLs.</p></body></html>";
	static const char cp1251[] =
		"<html><head><meta charset=\"windows-1251\"><title>"
		"\xd0\xe0\xe1\xee\xf2\xe0</title></head><body><p>"
		"\xd0\xe0\xe1\xee\xf2\xe0 \xe2 \xc0\xeb\xec\xe0\xf2\xfb</p>"
		"<a href=\"/cp1251-target\">\xe4\xe0\xeb\xe5\xe5</a>"
		"</body></html>";
	static const char sitemap_index[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/"
		"sitemap/0.9\"><sitemap><loc>/sitemap-ads.xml.gz</loc>"
		"</sitemap></sitemapindex>\n";
	static const char bench_robots[] =
		"User-agent: *\nDisallow: /private/\n";
	static const char greedy[] =
		"User-agent: *\nCrawl-delay: 86400\nDisallow: /\n";
	char where[64];
	const char *page;
	struct MHD_Response *r;
	enum MHD_Result ret;
	int n;

	(void)cls;
	(void)version;
	(void)upload_data;
	(void)upload_data_size;
	if (!*con_cls) {
		/* the first call only sees the head: answering now would
		 * make libmicrohttpd close the connection after it */
		*con_cls = (void *)1;
		log_request(conn, method, url);
		return MHD_YES;
	}
	/* as a forward proxy for http://board.example/: the same site; for
	 * http://greedy.example/ a robots.txt asking for a day between
	 * requests and disallowing everything */
	if (strncmp(url, "http://board.example/", 21) == 0)
		url += 20;
	/* and for http://hostN.example/, N = 1..4 */
	if (strncmp(url, "http://host", 11) == 0 && url[11] >= '1' &&
	    url[11] <= '4' && strncmp(url + 12, ".example/", 9) == 0)
		url += 20;
	if (strcmp(url, "http://bigrobots.example/robots.txt") == 0)
		return send_buf(conn, 200, "text/plain", big_robots,
				big_robots_len, MHD_RESPMEM_PERSISTENT, NULL,
				NULL, NULL, NULL);
	if (strncmp(url, "http://bigrobots.example/", 25) == 0)
		url += 24;
	/* http://unavailable.example/: robots.txt answers 503 with
	 * Retry-After: 2 the first time, then allows everything */
	if (strcmp(url, "http://unavailable.example/robots.txt") == 0) {
		pthread_mutex_lock(&log_lock);
		n = unavailable_count++;
		pthread_mutex_unlock(&log_lock);
		if (n == 0)
			return send_buf(conn, 503, "text/plain", "later", 5,
					MHD_RESPMEM_PERSISTENT, "Retry-After",
					"2", NULL, NULL);
		return send_buf(conn, 200, "text/plain", "User-agent: *\n"
				"Allow: /\n", 23, MHD_RESPMEM_PERSISTENT,
				NULL, NULL, NULL, NULL);
	}
	if (strncmp(url, "http://unavailable.example/", 27) == 0)
		url += 26;
	if (strcmp(url, "http://greedy.example/robots.txt") == 0)
		return send_buf(conn, 200, "text/plain", greedy,
				sizeof(greedy) - 1, MHD_RESPMEM_PERSISTENT,
				NULL, NULL, NULL, NULL);
	if (strncmp(url, "/chain/", 7) == 0) {
		/* a redirect chain longer than the crawler follows */
		snprintf(where, sizeof(where), "/chain/%ld",
			 strtol(url + 7, NULL, 10) + 1);
		return send_redirect(conn, 302, where);
	}
	if (strcmp(url, "/robots.txt") == 0 && bench_host(conn))
		return send_buf(conn, 200, "text/plain", bench_robots,
				sizeof(bench_robots) - 1,
				MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL,
				NULL);
	if (strcmp(url, "/robots.txt") == 0)
		return send_buf(conn, 200, "text/plain", robots,
				sizeof(robots) - 1, MHD_RESPMEM_PERSISTENT,
				NULL, NULL, NULL, NULL);
	if (strcmp(url, "/") == 0)
		return send_html(conn, 200,
			"<!DOCTYPE html><html><head><title>Board</title>"
			"</head><body>"
			"<a href=\"/jobs?page=1\">jobs</a>"
			"<a href=\"/private/secret.html\">secret</a>"
			"<a href=\"/private/open.html\">open</a>"
			"<a href=\"/search?q=waiter\">search</a>"
			"<a href=\"/old-listing\">old</a>"
			"<a href=\"/loop-a\">loop</a>"
			"<a href=\"/missing\">missing</a>"
			"<a href=\"/broken\">broken</a>"
			"<a href=\"/busy\">busy</a>"
			"<a href=\"/slow\">slow</a>"
			"<a href=\"/huge\">huge</a>"
			"<a href=\"/bomb\">bomb</a>"
			"<a href=\"/gz\">gz</a>"
			"<a href=\"/br\">br</a><a href=\"/zstd\">zstd</a>"
			"<a href=\"/br-bomb\">br bomb</a>"
			"<a href=\"/zstd-bomb\">zstd bomb</a>"
			"<a href=\"/cp1251\">cp1251</a>"
			"<a href=\"/dup-a\">a</a><a href=\"/dup-b\">b</a>"
			"<a href=\"/chain/0\">chain</a>"
			"<a href=\"http://out-of-scope.example/\">out</a>"
			"<a href=\"file:///etc/passwd\">file</a>"
			"<a href=\"mailto:hr@board.example\">mail</a>"
			"<a href=\"/a/b/a/b/a/b/\">trap</a>"
			"</body></html>");
	if (strcmp(url, "/jobs") == 0) {
		page = MHD_lookup_connection_value(conn,
						   MHD_GET_ARGUMENT_KIND,
						   "page");
		n = page ? (int)strtol(page, NULL, 10) : 1;
		if (n < 1 || n > PAGES)
			return send_html(conn, 404, "<p>no such page</p>");
		return listings_page(conn, n);
	}
	if (strncmp(url, "/listing/", 9) == 0) {
		n = (int)strtol(url + 9, NULL, 10);
		/* 31 is only in the sitemap */
		if (n < 1 || n > LISTINGS + 1)
			return send_html(conn, 404, "<p>no such listing</p>");
		return listing(conn, n);
	}
	if (strncmp(url, "/files/", 7) == 0)
		return send_file(conn, url + 7);
	if (strncmp(url, "/bench/", 7) == 0)
		return bench_page(conn, strtol(url + 7, NULL, 10));
	if (strcmp(url, "/sitemap.xml") == 0)
		return send_buf(conn, 200, "application/xml", sitemap_index,
				sizeof(sitemap_index) - 1,
				MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL,
				NULL);
	if (strcmp(url, "/sitemap-ads.xml.gz") == 0)
		return send_buf(conn, 200, "application/gzip", sitemap_gz,
				sitemap_gz_len, MHD_RESPMEM_PERSISTENT, NULL,
				NULL, NULL, NULL);
	if (strcmp(url, "/old-listing") == 0)
		return send_redirect(conn, 301, "/listing/5");
	if (strcmp(url, "/loop-a") == 0)
		return send_redirect(conn, 302, "/loop-b");
	if (strcmp(url, "/loop-b") == 0)
		return send_redirect(conn, 302, "/loop-a");
	if (strcmp(url, "/broken") == 0)
		return send_html(conn, 500, "<p>server error</p>");
	if (strcmp(url, "/busy") == 0) {
		pthread_mutex_lock(&log_lock);
		n = busy_count++;
		pthread_mutex_unlock(&log_lock);
		if (n == 0)
			return send_buf(conn, 429, "text/html", "slow down", 9,
					MHD_RESPMEM_PERSISTENT, "Retry-After",
					"1", NULL, NULL);
		return send_html(conn, 200, "<p>not busy now</p>");
	}
	if (strcmp(url, "/slow") == 0) {
		r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1,
						      drip, NULL, NULL);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, "Content-Type", "text/html");
		ret = MHD_queue_response(conn, 200, r);
		MHD_destroy_response(r);
		return ret;
	}
	if (strcmp(url, "/huge") == 0)
		return send_buf(conn, 200, "text/html", huge, huge_len,
				MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL,
				NULL);
	if (strcmp(url, "/bomb") == 0)
		return send_buf(conn, 200, "text/html", bomb, bomb_len,
				MHD_RESPMEM_PERSISTENT, "Content-Encoding",
				"gzip", NULL, NULL);
	if (strcmp(url, "/gz") == 0)
		return send_buf(conn, 200, "text/html", gz_page, gz_len,
				MHD_RESPMEM_PERSISTENT, "Content-Encoding",
				"gzip", NULL, NULL);
	if (strcmp(url, "/br") == 0)
		return send_buf(conn, 200, "text/html", br_page, br_len,
				MHD_RESPMEM_PERSISTENT, "Content-Encoding",
				"br", NULL, NULL);
	if (strcmp(url, "/br-bomb") == 0)
		return send_buf(conn, 200, "text/html", br_bomb, br_bomb_len,
				MHD_RESPMEM_PERSISTENT, "Content-Encoding",
				"br", NULL, NULL);
	if (strcmp(url, "/zstd") == 0)
		return send_buf(conn, 200, "text/html", zstd_page, zstd_len,
				MHD_RESPMEM_PERSISTENT, "Content-Encoding",
				"zstd", NULL, NULL);
	if (strcmp(url, "/zstd-bomb") == 0)
		return send_buf(conn, 200, "text/html", zstd_bomb,
				zstd_bomb_len, MHD_RESPMEM_PERSISTENT,
				"Content-Encoding", "zstd", NULL, NULL);
	if (strcmp(url, "/cp1251") == 0)
		return send_buf(conn, 200, "text/html; charset=windows-1251",
				cp1251, sizeof(cp1251) - 1,
				MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL,
				NULL);
	if (strcmp(url, "/dup-a") == 0 || strcmp(url, "/dup-b") == 0)
		return send_buf(conn, 200, "text/html", dup, sizeof(dup) - 1,
				MHD_RESPMEM_PERSISTENT, NULL, NULL, NULL,
				NULL);
	if (strcmp(url, "/private/open.html") == 0)
		return send_html(conn, 200, "<p>open, though under /private/"
				 "</p>");
	return send_html(conn, 404, "<p>not found</p>");
}

/* gzip of len bytes at data, into a new buffer. */
static unsigned char *
gzip(const void *data, size_t len, size_t *out_len)
{
	z_stream z;
	size_t cap = compressBound(len) + 64;
	unsigned char *out = malloc(cap);

	memset(&z, 0, sizeof(z));
	if (!out || deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9,
				 Z_DEFAULT_STRATEGY) != Z_OK)
		exit(99);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		exit(99);
	*out_len = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

/* brotli of len bytes at data, into a new buffer. */
static unsigned char *
brotli(const void *data, size_t len, size_t *out_len)
{
	size_t cap = BrotliEncoderMaxCompressedSize(len);
	unsigned char *out = malloc(cap);

	*out_len = cap;
	if (!out || !BrotliEncoderCompress(5, BROTLI_DEFAULT_WINDOW,
					   BROTLI_MODE_GENERIC, len, data,
					   out_len, out))
		exit(99);
	return out;
}

/* zstd of len bytes at data, into a new buffer. */
static unsigned char *
zstd(const void *data, size_t len, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(len);
	unsigned char *out = malloc(cap);

	if (!out)
		exit(99);
	*out_len = ZSTD_compress(out, cap, data, len, 3);
	if (ZSTD_isError(*out_len))
		exit(99);
	return out;
}

static void
make_bodies(void)
{
	static const char br_html[] =
		"<!DOCTYPE html><html><head><title>Brotli</title></head>"
		"<body><a href=\"/br-target\">next</a></body></html>";
	static const char zstd_html[] =
		"<!DOCTYPE html><html><head><title>Zstandard</title></head>"
		"<body><a href=\"/zstd-target\">next</a></body></html>";
	static const char gz_html[] =
		"<!DOCTYPE html><html><head><title>Compressed</title></head>"
		"<body><a href=\"/gz-target\">next</a></body></html>";
	static const char sitemap[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/"
		"0.9\"><url><loc>/listing/31</loc></url>"
		"<url><loc>/listing/1</loc></url></urlset>\n";
	size_t zeros = (size_t)64 << 20, i, n;
	unsigned char *z = calloc(1, zeros);

	if (!z)
		exit(99);
	bomb = gzip(z, zeros, &bomb_len);
	br_bomb = brotli(z, zeros, &br_bomb_len);
	zstd_bomb = zstd(z, zeros, &zstd_bomb_len);
	free(z);
	br_page = brotli(br_html, sizeof(br_html) - 1, &br_len);
	zstd_page = zstd(zstd_html, sizeof(zstd_html) - 1, &zstd_len);
	gz_page = gzip(gz_html, sizeof(gz_html) - 1, &gz_len);
	sitemap_gz = gzip(sitemap, sizeof(sitemap) - 1, &sitemap_gz_len);
	huge_len = (size_t)2 << 20;
	huge = malloc(huge_len);
	if (!huge)
		exit(99);
	n = (size_t)snprintf(huge, huge_len, "<html><body><p>");
	for (i = n; i < huge_len; i++)
		huge[i] = "abcdefgh "[i % 9];
	/* 10 MB of robots.txt: the rule that matters first, a line of
	 * 64 KiB, then rules to the end, the last one past every cap */
	big_robots_len = (size_t)10 << 20;
	big_robots = malloc(big_robots_len + 64);
	if (!big_robots)
		exit(99);
	n = (size_t)snprintf(big_robots, 64, "User-agent: *\n"
			     "Disallow: /private/\n");
	big_robots[n++] = '#';
	for (i = 0; i < 65536; i++)
		big_robots[n++] = 'x';
	big_robots[n++] = '\n';
	while (n < big_robots_len - 32)
		n += (size_t)snprintf(big_robots + n, 32, "Disallow: /d%zu\n",
				      n);
	n += (size_t)snprintf(big_robots + n, 32, "Disallow: /late\n");
	big_robots_len = n;
}

/* A daemon on 127.0.0.n:port (port 0: a free one), or NULL. */
static struct MHD_Daemon *
start_daemon(int n, unsigned port)
{
	struct sockaddr_in sin;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK + (uint32_t)n - 1);
	return MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
					MHD_USE_INTERNAL_POLLING_THREAD |
					MHD_USE_ERROR_LOG,
				0, NULL, NULL, handler, NULL,
				MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
				MHD_OPTION_CONNECTION_TIMEOUT,
				(unsigned int)30, MHD_OPTION_END);
}

int
main(int argc, char **argv)
{
	struct MHD_Daemon *d[250];
	const union MHD_DaemonInfo *info;
	FILE *pf;
	long seconds = 300, i, naddr = 1;
	unsigned port;

	if (argc < 3) {
		fprintf(stderr, "usage: testsrv PORTFILE LOGFILE [SECONDS "
			"[ADDRESSES]]\n");
		return 2;
	}
	if (argc > 3)
		seconds = strtol(argv[3], NULL, 10);
	if (argc > 4)
		naddr = strtol(argv[4], NULL, 10);
	if (naddr < 1 || naddr > 250) {
		fprintf(stderr, "testsrv: ADDRESSES must be 1 to 250\n");
		return 2;
	}
	reqlog = fopen(argv[2], "a");
	if (!reqlog) {
		perror(argv[2]);
		return 1;
	}
	make_bodies();
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	d[0] = start_daemon(1, 0);
	if (!d[0]) {
		fprintf(stderr, "testsrv: cannot start the server\n");
		return 1;
	}
	info = MHD_get_daemon_info(d[0], MHD_DAEMON_INFO_BIND_PORT);
	if (!info) {
		fprintf(stderr, "testsrv: cannot read the port\n");
		return 1;
	}
	port = info->port;
	for (i = 1; i < naddr; i++) {
		d[i] = start_daemon((int)i + 1, port);
		if (!d[i]) {
			fprintf(stderr, "testsrv: cannot listen on 127.0.0.%ld:"
				"%u\n", i + 1, port);
			return 1;
		}
	}
	pf = fopen(argv[1], "w");
	if (!pf) {
		fprintf(stderr, "testsrv: cannot write the port\n");
		return 1;
	}
	fprintf(pf, "%u\n", port);
	fclose(pf);
	for (i = 0; i < seconds * 10 && !done; i++)
		usleep(100000);
	for (i = 0; i < naddr; i++)
		MHD_stop_daemon(d[i]);
	fclose(reqlog);
	free(bomb);
	free(gz_page);
	free(huge);
	free(sitemap_gz);
	free(big_robots);
	free(br_page);
	free(br_bomb);
	free(zstd_page);
	free(zstd_bomb);
	return 0;
}
