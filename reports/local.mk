# reports/: the reports people read (HTML, CSV, JSON Lines, Markdown),
# clusters and site health; reads the store, depends on common/ and store/
# only. See reports/README.md and docs/reports.md.
noinst_LIBRARIES += libreports.a
libreports_a_SOURCES = \
	reports/cluster.c \
	reports/health.c \
	reports/labels.c \
	reports/pseudo.c \
	reports/report.c \
	reports/report-csv.c \
	reports/report-html.c \
	reports/report-jsonl.c \
	reports/report-md.c \
	reports/reports-int.h \
	reports/reports.h \
	reports/util.c \
	reports/write.c

REPORTS_LIBS = libreports.a $(STORE_LIBS)

# the store a report test reads: two runs with known changes, written
# through the store API (tests/unit/report-fixture.c)
check_PROGRAMS += tests/unit/test-reports tests/unit/mkreportdb
TESTS += tests/unit/test-reports
tests_unit_test_reports_SOURCES = tests/unit/test-reports.c \
	tests/unit/report-fixture.c tests/unit/report-fixture.h
tests_unit_test_reports_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
# rules/ and text/ only to check that the reports agree with them
tests_unit_test_reports_LDADD = $(REPORTS_LIBS) librules.a libtext.a \
	libcommon.a $(PCRE2_LIBS) $(CMOCKA_LIBS) -lm
tests_unit_mkreportdb_SOURCES = tests/unit/mkreportdb.c \
	tests/unit/report-fixture.c tests/unit/report-fixture.h
tests_unit_mkreportdb_LDADD = $(REPORTS_LIBS)

EXTRA_DIST += reports/README.md docs/reports.md
