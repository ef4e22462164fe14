# common/: buffers, allocation, errors, logging, UTF-8, JSON, hashes; depends
# on nothing.
noinst_LIBRARIES += libcommon.a
libcommon_a_SOURCES = \
	common/banned.h \
	common/buf.c common/buf.h \
	common/encode.c common/encode.h \
	common/err.c common/err.h \
	common/ini.c common/ini.h \
	common/json.c common/json.h \
	common/limits.h \
	common/lockfile.c common/lockfile.h \
	common/log.c common/log.h \
	common/sha1.c common/sha1.h \
	common/sha256.c common/sha256.h \
	common/utf8.c common/utf8.h \
	common/util.c common/util.h \
	common/xmalloc.c common/xmalloc.h

check_PROGRAMS += tests/unit/test-common
TESTS += tests/unit/test-common
tests_unit_test_common_SOURCES = tests/unit/test-common.c
tests_unit_test_common_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_common_LDADD = libcommon.a $(CMOCKA_LIBS) -lm

check_PROGRAMS += tests/unit/test-hash
TESTS += tests/unit/test-hash
tests_unit_test_hash_SOURCES = tests/unit/test-hash.c
tests_unit_test_hash_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_hash_LDADD = libcommon.a $(CMOCKA_LIBS)
