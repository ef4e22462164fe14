# bench/: see README.md for what belongs here.

# bench-crawl: the crawler with politeness off against the loopback test
# server, and a 1,000,000-URL frontier (see the file). Run it with
#     make run-bench-crawl
noinst_PROGRAMS += bench/bench-crawl
bench_bench_crawl_SOURCES = bench/bench-crawl.c
bench_bench_crawl_LDADD = $(CRAWLER_LIBS)

.PHONY: run-bench-crawl
run-bench-crawl: bench/bench-crawl tests/server/testsrv
	bench/bench-crawl tests/server/testsrv
