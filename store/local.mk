# store/: the state kept across runs (SQLite now, other backends later);
# depends on common/ and sqlite3 only. See store/README.md.
noinst_LIBRARIES += libstore.a
libstore_a_SOURCES = \
	store/sqlite.c \
	store/store-int.h \
	store/store.c \
	store/store.h
libstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS)

STORE_LIBS = libstore.a libcommon.a $(SQLITE_LIBS)

check_PROGRAMS += tests/unit/test-store
TESTS += tests/unit/test-store
tests_unit_test_store_SOURCES = tests/unit/test-store.c
tests_unit_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_store_LDADD = $(STORE_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += store/README.md
