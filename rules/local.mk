# rules/: the rule language: parser, compiler, matcher, scoring; packs/.
noinst_LIBRARIES += librules.a
librules_a_SOURCES = \
	rules/atoms.c \
	rules/cache.c \
	rules/common-words.c \
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
check_PROGRAMS += tests/unit/test-rulecache
TESTS += tests/unit/test-rulecache
tests_unit_test_rulecache_SOURCES = tests/unit/test-rulecache.c
tests_unit_test_rulecache_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	$(PCRE2_CFLAGS)
tests_unit_test_rulecache_LDADD = $(RULES_LIBS) $(CMOCKA_LIBS)
tests_unit_test_rules_SOURCES = tests/unit/test-rules.c
tests_unit_test_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PCRE2_CFLAGS)
tests_unit_test_rules_LDADD = $(RULES_LIBS) $(CMOCKA_LIBS)

EXTRA_DIST += rules/README.md $(RULE_PACKS) $(RULE_TEST_FILES) \
	$(RULE_PACK_DOCS) scripts/check-literals \
	scripts/gen-common-words.py
nobase_dist_pkgdata_DATA += $(RULE_PACKS)
RULE_PACKS = \
	rules/packs/ru/pack.rules \
	rules/packs/ru/conditions.rules \
	rules/packs/ru/contact.rules \
	rules/packs/ru/crimework.rules \
	rules/packs/ru/documents.rules \
	rules/packs/ru/fees.rules \
	rules/packs/ru/jobs.rules \
	rules/packs/ru/latin.rules \
	rules/packs/ru/lures.rules \
	rules/packs/ru/pay.rules \
	rules/packs/ru/schemes.rules \
	rules/packs/ru/sexads.rules \
	rules/packs/ru/skills.rules \
	rules/packs/ru/targeting.rules \
	rules/packs/ru/travel.rules \
	rules/packs/ru/lemmas.lock \
	rules/packs/en/pack.rules \
	rules/packs/en/core.rules \
	rules/packs/en/lures.rules \
	rules/packs/en/schemes.rules \
	rules/packs/en/sexads.rules \
	rules/packs/en/targeting.rules \
	rules/packs/kk/pack.rules \
	rules/packs/kk/recruitment.rules \
	rules/packs/ky/pack.rules \
	rules/packs/ky/recruitment.rules \
	rules/packs/uz-latn/pack.rules \
	rules/packs/uz-latn/recruitment.rules \
	rules/packs/uz-cyrl/pack.rules \
	rules/packs/uz-cyrl/recruitment.rules \
	rules/packs/tg/pack.rules \
	rules/packs/tg/recruitment.rules \
	rules/packs/tk/pack.rules \
	rules/packs/tk/recruitment.rules

# One README per pack: coverage, gaps, sources, review status.
RULE_PACK_DOCS = \
	rules/packs/ru/README.md \
	rules/packs/en/README.md \
	rules/packs/kk/README.md \
	rules/packs/ky/README.md \
	rules/packs/uz-latn/README.md \
	rules/packs/uz-cyrl/README.md \
	rules/packs/tg/README.md \
	rules/packs/tk/README.md

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

# the cache of compiled rulesets that make check's commands write
clean-local: clean-rules-cache
clean-rules-cache:
	rm -rf tests/cache
.PHONY: clean-rules-cache
