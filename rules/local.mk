# rules/: the rule language: parser, compiler, matcher, scoring; packs/.
noinst_LIBRARIES += librules.a
librules_a_SOURCES = \
	rules/atoms.c \
	rules/compile.c \
	rules/lemmas.c \
	rules/lint.c \
	rules/match.c \
	rules/parse.c \
	rules/prefilter.c \
	rules/rules-int.h \
	rules/rules.h \
	rules/score.c
librules_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)

RULES_LIBS = librules.a libtext.a libcommon.a $(PCRE2_LIBS) -lm

check_PROGRAMS += tests/unit/test-rules
TESTS += tests/unit/test-rules
tests_unit_test_rules_SOURCES = tests/unit/test-rules.c
tests_unit_test_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PCRE2_CFLAGS)
tests_unit_test_rules_LDADD = $(RULES_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += rules/README.md $(RULE_PACKS) $(RULE_TEST_FILES)
nobase_dist_pkgdata_DATA += $(RULE_PACKS)
RULE_PACKS = \
	rules/packs/ru/pack.rules \
	rules/packs/ru/recruitment.rules \
	rules/packs/en/pack.rules \
	rules/packs/en/recruitment.rules

# lemma: ~lemma terms expanded into word forms with a hunspell dictionary.
librules_a_SOURCES += rules/lemma.c rules/lemma.h
librules_a_CFLAGS += $(HUNSPELL_CFLAGS)
RULES_LIBS += $(HUNSPELL_LIBS)

check_PROGRAMS += tests/unit/test-lemma
TESTS += tests/unit/test-lemma
tests_unit_test_lemma_SOURCES = tests/unit/test-lemma.c
tests_unit_test_lemma_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(HUNSPELL_CFLAGS)
tests_unit_test_lemma_LDADD = librules.a libcommon.a $(HUNSPELL_LIBS) \
	$(CMOCKA_LIBS)
EXTRA_DIST += $(LEMMA_TEST_FILES)
LEMMA_TEST_FILES = \
	tests/data/lemma/toy.aff tests/data/lemma/toy.dic \
	tests/data/lemma/long.aff tests/data/lemma/long.dic \
	tests/data/lemma/num.aff tests/data/lemma/num.dic \
	tests/data/lemma/uflag.aff tests/data/lemma/uflag.dic
