# text/: pure text in, facts out (folded view and offset map, language
# identification, entities); needs common/ only.
noinst_LIBRARIES += libtext.a
libtext_a_SOURCES = \
	text/ages.c \
	text/entities.c \
	text/fold-tables.c \
	text/langid.c \
	text/langid-model.c \
	text/money.c \
	text/normalize.c \
	text/phone-words.c \
	text/text-int.h \
	text/text.h \
	text/translit.c

EXTRA_DIST += scripts/gen-fold-tables.py scripts/gen-langid-model.py \
	text/langid-words.txt scripts/measure-langid

check_PROGRAMS += tests/unit/test-text tests/unit/test-entities \
	tests/unit/test-langid
TESTS += tests/unit/test-text tests/unit/test-entities tests/unit/test-langid
tests_unit_test_text_SOURCES = tests/unit/test-text.c
tests_unit_test_text_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_text_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS) -lm
tests_unit_test_entities_SOURCES = tests/unit/test-entities.c
tests_unit_test_entities_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_entities_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS)
tests_unit_test_langid_SOURCES = tests/unit/test-langid.c
tests_unit_test_langid_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_langid_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS) -lm

# langid-measure: reads lines "LANG<TAB>TEXT" and prints a confusion
# matrix; scripts/measure-langid runs it over the NTREX sentences.
noinst_PROGRAMS += text/langid-measure
text_langid_measure_SOURCES = text/langid-measure.c
text_langid_measure_LDADD = libtext.a libcommon.a -lm
