# crawler/: see README.md for what belongs here.
noinst_LIBRARIES += libcrawler.a
libcrawler_a_SOURCES = \
	crawler/warc.c crawler/warc.h crawler/warc-int.h \
	crawler/warc-read.c \
	crawler/warc-write.c
libcrawler_a_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)

check_PROGRAMS += tests/unit/test-warc
TESTS += tests/unit/test-warc
tests_unit_test_warc_SOURCES = tests/unit/test-warc.c
tests_unit_test_warc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_test_warc_LDADD = libcrawler.a libcommon.a $(ZLIB_LIBS) \
	$(CMOCKA_LIBS)

# A sample WARC for other tools to read, and warcio.js reading it (skipped
# without node and warcio; see the script for where it looks).
check_PROGRAMS += tests/unit/warc-sample
tests_unit_warc_sample_SOURCES = tests/unit/warc-sample.c
tests_unit_warc_sample_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
tests_unit_warc_sample_LDADD = libcrawler.a libcommon.a $(ZLIB_LIBS)
TESTS += tests/cli/warcio.sh
EXTRA_DIST += tests/cli/warcio.sh tests/cli/warcio-check.cjs
