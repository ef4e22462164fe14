# tests/: shell tests of the real binary; unit tests sit in each module's
# local.mk, fixtures in tests/data.
CLI_TESTS = \
	tests/cli/help.sh \
	tests/cli/scan.sh \
	tests/cli/badinput.sh \
	tests/cli/rules.sh \
	tests/cli/explain.sh \
	tests/cli/inputs.sh \
	tests/cli/lemma.sh \
	tests/cli/eval.sh \
	tests/cli/run.sh \
	tests/cli/report.sh \
	tests/cli/report-chromium.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) \
	tests/data/pages/accountant.html \
	tests/data/pages/dubai-waitress.html \
	tests/data/pages/short.txt \
	tests/data/feeds/jobs-utf8.rss \
	tests/data/feeds/jobs-cp1251.rss \
	tests/data/feeds/jobs.atom \
	tests/data/rules/lemma/xx.rules \
	tests/data/rules/lemma/lemmas.lock \
	tests/data/eval/labels.csv

# The crawler's integration tests: a classifieds site on 127.0.0.1
# (tests/server/testsrv.c) crawled by the real binary.
check_PROGRAMS += tests/server/testsrv
tests_server_testsrv_SOURCES = tests/server/testsrv.c
tests_server_testsrv_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(ZLIB_CFLAGS)
tests_server_testsrv_LDADD = $(MHD_LIBS) $(ZLIB_LIBS) -lpthread
CRAWL_TESTS = \
	tests/cli/crawl.sh \
	tests/cli/crawl-resume.sh \
	tests/cli/crawl-demo.sh \
	tests/cli/crawl-h2.sh
TESTS += $(CRAWL_TESTS)
EXTRA_DIST += $(CRAWL_TESTS) tests/cli/crawl-lib.sh \
	tests/cli/crawl-warc-check.cjs tests/server/h2srv.cjs
