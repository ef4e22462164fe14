# scanner/: the redflag program: commands, documents, extraction, output.
noinst_LIBRARIES += libscanner.a
libscanner_a_SOURCES = \
	scanner/charset.c scanner/charset.h \
	scanner/cmd-eval.c \
	scanner/cmd-crawl.c \
	scanner/cmd-extract.c \
	scanner/csv.c scanner/csv.h \
	scanner/cmd-report.c \
	scanner/cmd-rules.c \
	scanner/cmd-run.c \
	scanner/cmd-scan.c \
	scanner/document.c scanner/document.h \
	scanner/explain.c scanner/explain.h \
	scanner/extract.c \
	scanner/inputs.c \
	scanner/jsonld.c scanner/jsonld.h \
	scanner/output.c scanner/output.h \
	scanner/pipeline.c scanner/pipeline.h \
	scanner/profile.c scanner/profile.h \
	scanner/structure.c scanner/structure.h \
	scanner/ruleload.c \
	scanner/scanner.h \
	scanner/xmlarena.c scanner/xmlarena.h
libscanner_a_CPPFLAGS = $(AM_CPPFLAGS) -DRF_BUILDDIR='"$(abs_top_builddir)"'
libscanner_a_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(XML_CFLAGS) \
	$(UCHARDET_CFLAGS) $(ZLIB_CFLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS)

SCANNER_LIBS = libscanner.a libreports.a libstore.a librules.a libtext.a \
	libcrawler.a libcommon.a $(SQLITE_LIBS) $(PCRE2_LIBS) $(XML_LIBS) \
	$(UCHARDET_LIBS) $(CURL_LIBS) $(PSL_LIBS) $(ZLIB_LIBS) $(JSONC_LIBS) \
	$(HUNSPELL_LIBS) $(BROTLI_LIBS) $(ZSTD_LIBS) -lm

bin_PROGRAMS += redflag
redflag_SOURCES = scanner/main.c
redflag_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(XML_CFLAGS)
redflag_LDADD = $(SCANNER_LIBS)

check_PROGRAMS += tests/unit/test-extract
TESTS += tests/unit/test-extract
tests_unit_test_extract_SOURCES = tests/unit/test-extract.c
tests_unit_test_extract_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS) \
	$(PCRE2_CFLAGS)
tests_unit_test_extract_LDADD = $(SCANNER_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-structure
TESTS += tests/unit/test-structure
tests_unit_test_structure_SOURCES = tests/unit/test-structure.c
tests_unit_test_structure_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_structure_LDADD = $(SCANNER_LIBS) $(CMOCKA_LIBS)

check_PROGRAMS += tests/unit/test-pipeline
TESTS += tests/unit/test-pipeline
tests_unit_test_pipeline_SOURCES = tests/unit/test-pipeline.c
tests_unit_test_pipeline_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS) \
	$(PCRE2_CFLAGS)
tests_unit_test_pipeline_LDADD = $(SCANNER_LIBS) $(CMOCKA_LIBS)
