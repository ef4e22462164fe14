# tests/: shell tests of the real binary; unit tests sit in each module's
# local.mk, fixtures in tests/data.
CLI_TESTS = \
	tests/cli/help.sh \
	tests/cli/scan.sh \
	tests/cli/badinput.sh \
	tests/cli/rules.sh \
	tests/cli/explain.sh \
	tests/cli/inputs.sh \
	tests/cli/report.sh \
	tests/cli/report-chromium.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) \
	tests/data/pages/accountant.html \
	tests/data/pages/dubai-waitress.html \
	tests/data/pages/short.txt \
	tests/data/feeds/jobs-utf8.rss \
	tests/data/feeds/jobs-cp1251.rss \
	tests/data/feeds/jobs.atom
