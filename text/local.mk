# text/: pure text in, facts out (normalization, language, entities).
noinst_LIBRARIES += libtext.a
libtext_a_SOURCES = \
	text/entities.c text/entities.h

check_PROGRAMS += tests/unit/test-entities
TESTS += tests/unit/test-entities
tests_unit_test_entities_SOURCES = tests/unit/test-entities.c
tests_unit_test_entities_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_entities_LDADD = libtext.a libcommon.a $(CMOCKA_LIBS)
