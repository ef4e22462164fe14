# tests/: shell tests of the real binary; unit tests sit in each module's
# local.mk, fixtures in tests/data.
CLI_TESTS = \
	tests/cli/help.sh \
	tests/cli/scan.sh \
	tests/cli/badinput.sh \
	tests/cli/rules.sh \
	tests/cli/rulecache.sh \
	tests/cli/explain.sh \
	tests/cli/inputs.sh \
	tests/cli/lemma.sh \
	tests/cli/eval.sh \
	tests/cli/packs.sh \
	tests/cli/run.sh \
	tests/cli/retention.sh \
	tests/cli/rule-errors.sh \
	tests/cli/report.sh \
	tests/cli/report-chromium.sh \
	tests/cli/profiles.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) \
	tests/data/pages/accountant.html \
	tests/data/pages/dubai-waitress.html \
	tests/data/pages/short.txt \
	tests/data/pages/board-ad.html \
	tests/data/profiles/board.profile \
	tests/data/profiles/nothing.profile \
	tests/data/profiles/bad/broken.profile \
	tests/data/profiles/board-ad.expect.jsonl \
	tests/data/feeds/jobs-utf8.rss \
	tests/data/feeds/jobs-cp1251.rss \
	tests/data/feeds/jobs.atom \
	tests/data/rules/lemma/xx.rules \
	tests/data/rules/lemma/lemmas.lock \
	tests/data/eval/labels.csv \
	tests/data/eval/lookalikes.csv \
	tests/data/eval/probe-lookalikes.csv \
	tests/data/eval/probe-recruitment.csv \
	tests/data/eval/probe2-lookalikes.csv \
	tests/data/eval/probe2-recruitment.csv \
	tests/data/eval/recruitment.csv

# The crawler's integration tests: a classifieds site on 127.0.0.1
# (tests/server/testsrv.c) crawled by the real binary.
check_PROGRAMS += tests/server/testsrv
tests_server_testsrv_SOURCES = tests/server/testsrv.c
tests_server_testsrv_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(ZLIB_CFLAGS) \
	$(BROTLIENC_CFLAGS) $(ZSTD_CFLAGS)
tests_server_testsrv_LDADD = $(MHD_LIBS) $(ZLIB_LIBS) $(BROTLIENC_LIBS) \
	$(ZSTD_LIBS) -lpthread
CRAWL_TESTS = \
	tests/cli/crawl.sh \
	tests/cli/crawl-resume.sh \
	tests/cli/crawl-demo.sh \
	tests/cli/crawl-h2.sh \
	tests/cli/run-http.sh \
	tests/cli/crawl-socks.sh
TESTS += $(CRAWL_TESTS)
EXTRA_DIST += $(CRAWL_TESTS) tests/cli/crawl-lib.sh \
	tests/cli/crawl-warc-check.cjs tests/server/h2srv.cjs

# The hostile-input suite: each input generated at test time, run by the
# real binary under tests/limits-run (120 s, 1 GiB per input).
check_PROGRAMS += tests/limits-run
tests_limits_run_SOURCES = tests/limits-run.c
HOSTILE_TESTS = \
	tests/cli/hostile-files.sh \
	tests/cli/hostile-net.sh \
	tests/cli/privacy.sh
TESTS += $(HOSTILE_TESTS)
EXTRA_DIST += $(HOSTILE_TESTS) tests/cli/hostile-lib.sh

RULE_ERROR_FILES = \
	tests/data/rules/errors/E100-invalid-utf8.expect \
	tests/data/rules/errors/E100-invalid-utf8.rules \
	tests/data/rules/errors/E101-unexpected-character.expect \
	tests/data/rules/errors/E101-unexpected-character.rules \
	tests/data/rules/errors/E102-unterminated-string.expect \
	tests/data/rules/errors/E102-unterminated-string.rules \
	tests/data/rules/errors/E103-unterminated-regex.expect \
	tests/data/rules/errors/E103-unterminated-regex.rules \
	tests/data/rules/errors/E104-unknown-escape.expect \
	tests/data/rules/errors/E104-unknown-escape.rules \
	tests/data/rules/errors/E110-syntax.expect \
	tests/data/rules/errors/E110-syntax.rules \
	tests/data/rules/errors/E120-unknown-meta.expect \
	tests/data/rules/errors/E120-unknown-meta.rules \
	tests/data/rules/errors/E121-bad-indicator.expect \
	tests/data/rules/errors/E121-bad-indicator.rules \
	tests/data/rules/errors/E122-no-patterns.expect \
	tests/data/rules/errors/E122-no-patterns.rules \
	tests/data/rules/errors/E123-duplicate-id.expect \
	tests/data/rules/errors/E123-duplicate-id.rules \
	tests/data/rules/errors/E130-pattern-twice.expect \
	tests/data/rules/errors/E130-pattern-twice.rules \
	tests/data/rules/errors/E131-undefined-pattern.expect \
	tests/data/rules/errors/E131-undefined-pattern.rules \
	tests/data/rules/errors/E132-pcre2.expect \
	tests/data/rules/errors/E132-pcre2.rules \
	tests/data/rules/errors/E133-unknown-modifier.expect \
	tests/data/rules/errors/E133-unknown-modifier.rules \
	tests/data/rules/errors/E134-unknown-class.expect \
	tests/data/rules/errors/E134-unknown-class.rules \
	tests/data/rules/errors/E135-lemma-without-language.expect \
	tests/data/rules/errors/E135-lemma-without-language.rules \
	tests/data/rules/errors/E137-unknown-identifier.expect \
	tests/data/rules/errors/E137-unknown-identifier.rules
EXTRA_DIST += $(RULE_ERROR_FILES)
