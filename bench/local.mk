# bench/: the benchmark program, its corpus and rule generators, and the
# `make bench` target (docs/performance.md). Not part of `make check`,
# except a smoke test of bench-scan --quick on built-in documents.

# check_PROGRAMS so that plain `make` does not build it; `make bench`
# asks for it by name.
check_PROGRAMS += bench/bench-scan
bench_bench_scan_SOURCES = bench/bench-scan.c
bench_bench_scan_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(XML_CFLAGS) \
	$(HS_CFLAGS)
bench_bench_scan_LDADD = $(SCANNER_LIBS) $(HS_LIBS) -lm

# bench-pages: the HTML path a page at a time for callgrind; bench/cg-pages
# runs it (docs/performance.md)
check_PROGRAMS += bench/bench-pages
bench_bench_pages_SOURCES = bench/bench-pages.c
bench_bench_pages_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS) $(XML_CFLAGS)
bench_bench_pages_LDADD = $(SCANNER_LIBS)

TESTS += bench/smoke.sh
EXTRA_DIST += bench/smoke.sh bench/run-bench bench/gen-corpus bench/gen-warc \
	bench/cg-pages \
	bench/ab-scan \
	bench/gen-rules docs/performance.md

# Where the generated corpus and rules are kept between runs.
BENCH_STORE = $(abs_top_builddir)/bench/data

bench: redflag$(EXEEXT) bench/bench-scan$(EXEEXT)
	@srcdir='$(abs_top_srcdir)' builddir='$(abs_top_builddir)' \
	BENCH_DATA='$(BENCH_STORE)' CFLAGS='$(CFLAGS) $(RF_CFLAGS)' \
	$(SHELL) '$(abs_top_srcdir)/bench/run-bench'
.PHONY: bench

clean-local: clean-bench-data
clean-bench-data:
	-rm -rf '$(BENCH_STORE)' bench/results.json
.PHONY: clean-bench-data

# bench-crawl: the crawler with politeness off against the loopback test
# server on 64 loopback addresses, and a 1,000,000-URL frontier (see the
# file and docs/performance.md). Run it with
#     make run-bench-crawl
noinst_PROGRAMS += bench/bench-crawl
bench_bench_crawl_SOURCES = bench/bench-crawl.c
bench_bench_crawl_LDADD = $(CRAWLER_LIBS)

.PHONY: run-bench-crawl
run-bench-crawl: bench/bench-crawl tests/server/testsrv
	bench/bench-crawl tests/server/testsrv

# bench-text: text_fold() and lang_detect() against frozen copies of
# their previous versions (bench/ref-*.c): the same output on real text
# (`make text-check`, over ../shared/data when it is there) and the
# speed-up (`make text-speed`, over the corpus of `make bench`).
check_PROGRAMS += bench/bench-text
bench_bench_text_SOURCES = bench/bench-text.c bench/ref-fold.c \
	bench/ref-langid.c
bench_bench_text_LDADD = libtext.a libcommon.a -lm
EXTRA_DIST += bench/text-check bench/fuzz-fold-diff.c

text-check: bench/bench-text$(EXEEXT)
	@$(SHELL) '$(abs_top_srcdir)/bench/text-check' bench/bench-text$(EXEEXT)
text-speed: bench/bench-text$(EXEEXT)
	bench/bench-text speed -r 5 '$(BENCH_STORE)/corpus-vacancies-25000-1/corpus.txt'
.PHONY: text-check text-speed
