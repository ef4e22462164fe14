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
