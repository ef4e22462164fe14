# crawler/: see README.md for what belongs here.
noinst_LIBRARIES += libcrawler.a
libcrawler_a_SOURCES = \
	crawler/addr.c crawler/addr.h \
	crawler/robots.c crawler/robots.h \
	crawler/url.c crawler/url.h
libcrawler_a_CFLAGS = $(AM_CFLAGS) $(CURL_CFLAGS) $(PSL_CFLAGS)

check_PROGRAMS += tests/unit/test-robots tests/unit/test-url
TESTS += tests/unit/test-robots tests/unit/test-url
tests_unit_test_robots_SOURCES = tests/unit/test-robots.c
tests_unit_test_robots_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_robots_LDADD = libcrawler.a libcommon.a $(CURL_LIBS) \
	$(PSL_LIBS) $(CMOCKA_LIBS)
tests_unit_test_url_SOURCES = tests/unit/test-url.c
tests_unit_test_url_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_url_LDADD = libcrawler.a libcommon.a $(CURL_LIBS) \
	$(PSL_LIBS) $(CMOCKA_LIBS)
