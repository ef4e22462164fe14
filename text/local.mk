# text/: pure text in, facts out (folded view and offset map, entities);
# needs common/ only.
noinst_LIBRARIES += libtext.a
libtext_a_SOURCES = \
	text/entities.c \
	text/fold-tables.c \
	text/normalize.c \
	text/text-int.h \
	text/text.h \
	text/translit.c

EXTRA_DIST += scripts/gen-fold-tables.py

check_PROGRAMS += tests/unit/test-text tests/unit/test-entities
TESTS += tests/unit/test-text tests/unit/test-entities
tests_unit_test_text_SOURCES = tests/unit/test-text.c
tests_unit_test_text_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_text_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS) -lm
tests_unit_test_entities_SOURCES = tests/unit/test-entities.c
tests_unit_test_entities_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_entities_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS)
