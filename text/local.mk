# text/: pure text in, facts out (folded view and offset map); needs common/.
noinst_LIBRARIES += libtext.a
libtext_a_SOURCES = \
	text/fold-tables.c \
	text/normalize.c \
	text/text-int.h \
	text/text.h \
	text/translit.c

EXTRA_DIST += scripts/gen-fold-tables.py

check_PROGRAMS += tests/unit/test-text
TESTS += tests/unit/test-text
tests_unit_test_text_SOURCES = tests/unit/test-text.c
tests_unit_test_text_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_text_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS) -lm
