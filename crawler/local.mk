# crawler/: the fetch loop and its frontier, job files, links, URLs,
# robots.txt, SSRF address classes, WARC files.
noinst_LIBRARIES += libcrawler.a
libcrawler_a_SOURCES = \
	crawler/addr.c crawler/addr.h \
	crawler/crawl.c crawler/crawl.h crawler/crawl-int.h \
	crawler/frontier.c crawler/frontier.h \
	crawler/http.c \
	crawler/job.c \
	crawler/links.c \
	crawler/robots.c crawler/robots.h \
	crawler/url.c crawler/url.h \
	crawler/warc.c crawler/warc.h crawler/warc-int.h \
	crawler/warc-read.c \
	crawler/warc-write.c
libcrawler_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(PSL_CFLAGS) \
	$(ZLIB_CFLAGS) $(SQLITE_CFLAGS) $(PCRE2_CFLAGS) $(XML_CFLAGS) \
	$(BROTLI_CFLAGS) $(ZSTD_CFLAGS)

CRAWLER_LIBS = libcrawler.a libcommon.a $(CURL_LIBS) $(PSL_LIBS) \
	$(ZLIB_LIBS) $(SQLITE_LIBS) $(PCRE2_LIBS) $(XML_LIBS) \
	$(BROTLI_LIBS) $(ZSTD_LIBS) -lm

check_PROGRAMS += tests/unit/test-robots tests/unit/test-url
TESTS += tests/unit/test-robots tests/unit/test-url
tests_unit_test_robots_SOURCES = tests/unit/test-robots.c
tests_unit_test_robots_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_robots_LDADD = $(CRAWLER_LIBS) $(CMOCKA_LIBS)
tests_unit_test_url_SOURCES = tests/unit/test-url.c
tests_unit_test_url_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_url_LDADD = $(CRAWLER_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-warc
TESTS += tests/unit/test-warc
tests_unit_test_warc_SOURCES = tests/unit/test-warc.c
tests_unit_test_warc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_warc_LDADD = $(CRAWLER_LIBS) $(CMOCKA_LIBS)

# A sample WARC for other tools to read, and warcio.js reading it (skipped
# without node and warcio; see the script for where it looks).
check_PROGRAMS += tests/unit/warc-sample
tests_unit_warc_sample_SOURCES = tests/unit/warc-sample.c
tests_unit_warc_sample_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_warc_sample_LDADD = $(CRAWLER_LIBS)
TESTS += tests/cli/warcio.sh
EXTRA_DIST += tests/cli/warcio.sh tests/cli/warcio-check.cjs

check_PROGRAMS += tests/unit/test-crawl
TESTS += tests/unit/test-crawl
tests_unit_test_crawl_SOURCES = tests/unit/test-crawl.c
tests_unit_test_crawl_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(ZLIB_CFLAGS) \
	$(BROTLIENC_CFLAGS) $(ZSTD_CFLAGS)
tests_unit_test_crawl_LDADD = $(CRAWLER_LIBS) $(BROTLIENC_LIBS) \
	$(CMOCKA_LIBS)
