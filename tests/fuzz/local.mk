# tests/fuzz/: fuzz targets for the code that reads hostile input. Each
# target tests/fuzz/fuzz-NAME.c calls a module's real API; it is linked
# with libFuzzer when configured with CC=clang --enable-fuzzing (`make
# fuzz` runs them), and otherwise with replay.c, which `make check` runs
# over tests/fuzz/corpus/NAME (the seeds) and tests/fuzz/regressions/NAME
# (every input that ever crashed). docs/reliability.md has the details.
#
# A new target is two lines here, plus its seeds in tests/fuzz/corpus/NAME
# (and, if useful, a libFuzzer dictionary in tests/fuzz/dict/NAME.dict):
#	FUZZ_TARGETS += tests/fuzz/fuzz-NAME
#	tests_fuzz_fuzz_NAME_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS =

FUZZ_TARGETS += tests/fuzz/fuzz-rules
tests_fuzz_fuzz_rules_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-extract
tests_fuzz_fuzz_extract_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_extract_CFLAGS = $(AM_CFLAGS) $(XML_CFLAGS)
FUZZ_TARGETS += tests/fuzz/fuzz-entities
tests_fuzz_fuzz_entities_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-robots
tests_fuzz_fuzz_robots_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-url
tests_fuzz_fuzz_url_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-json
tests_fuzz_fuzz_json_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-match
tests_fuzz_fuzz_match_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-charset
tests_fuzz_fuzz_charset_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-fold
tests_fuzz_fuzz_fold_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-jsonld
tests_fuzz_fuzz_jsonld_LDADD = $(FUZZ_LDADD)
FUZZ_TARGETS += tests/fuzz/fuzz-job
tests_fuzz_fuzz_job_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_job_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
FUZZ_TARGETS += tests/fuzz/fuzz-rulecache
tests_fuzz_fuzz_rulecache_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_rulecache_CFLAGS = $(AM_CFLAGS) $(PCRE2_CFLAGS)
FUZZ_TARGETS += tests/fuzz/fuzz-warc
tests_fuzz_fuzz_warc_LDADD = $(FUZZ_LDADD)
tests_fuzz_fuzz_warc_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)

# Every module, so that any target may call any of them; the linker takes
# only what a target uses.
FUZZ_MODULES = $(SCANNER_LIBS)

# LIB_FUZZING_ENGINE (configure.ac) is -fsanitize=fuzzer unless given.
if ENABLE_FUZZING
FUZZ_LDADD = $(LIB_FUZZING_ENGINE) $(FUZZ_MODULES)
noinst_PROGRAMS += $(FUZZ_TARGETS)
else
FUZZ_LDADD = tests/fuzz/libfuzzreplay.a $(FUZZ_MODULES)
check_LIBRARIES = tests/fuzz/libfuzzreplay.a
tests_fuzz_libfuzzreplay_a_SOURCES = tests/fuzz/replay.c tests/fuzz/fuzz.h
check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += $(FUZZ_TARGETS)
endif

EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/corpus tests/fuzz/regressions \
	tests/fuzz/dict docs/reliability.md

# make fuzz [FUZZ_SECONDS=60] [FUZZ_RUN="url json"]: runs each target (or
# those named) for FUZZ_SECONDS, growing tests/fuzz/work/NAME from the
# seeds; crashes land in tests/fuzz/artifacts/. Fails if any target did.
FUZZ_SECONDS = 60
FUZZ_RUN =
FUZZ_FLAGS = -rss_limit_mb=1024 -timeout=10
if ENABLE_FUZZING
fuzz: $(FUZZ_TARGETS)
	@failed=; \
	for t in $(FUZZ_TARGETS); do \
		n=$${t##*/fuzz-}; \
		case " $(FUZZ_RUN) " in \
		"  "|*" $$n "*) ;; \
		*) continue ;; \
		esac; \
		mkdir -p tests/fuzz/work/$$n tests/fuzz/artifacts; \
		dict=; \
		if test -f $(srcdir)/tests/fuzz/dict/$$n.dict; then \
			dict=-dict=$(srcdir)/tests/fuzz/dict/$$n.dict; \
		fi; \
		echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
		./$$t $(FUZZ_FLAGS) -max_total_time=$(FUZZ_SECONDS) \
			-artifact_prefix=tests/fuzz/artifacts/$$n- $$dict \
			tests/fuzz/work/$$n $(srcdir)/tests/fuzz/corpus/$$n \
			>tests/fuzz/$$n.fuzz.log 2>&1 && \
		tail -n 1 tests/fuzz/$$n.fuzz.log || { \
			failed="$$failed $$n"; \
			tail -n 40 tests/fuzz/$$n.fuzz.log; \
		}; \
	done; \
	if test -n "$$failed"; then \
		echo "fuzz: crashed:$$failed (see tests/fuzz/*.fuzz.log)"; \
		exit 1; \
	fi
else
fuzz:
	@echo "make fuzz: configure with CC=clang --enable-fuzzing" >&2; exit 1
endif
.PHONY: fuzz

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/work tests/fuzz/artifacts tests/fuzz/*.fuzz.log
.PHONY: clean-fuzz

# make memcheck (or check-valgrind): the cmocka unit tests and the fuzz
# replays of a plain (debug, not sanitizer) build under valgrind memcheck,
# --leak-check=full --error-exitcode=1 (scripts/valgrind-check).
# MEMCHECK_RUN="test-rules fuzz-url" runs only those programs, and
# RF_TEST_FILTER=NAME,... only those tests of test-rules.
MEMCHECK_RUN =
memcheck: $(check_PROGRAMS)
	$(SHELL) $(srcdir)/scripts/valgrind-check $(abs_top_builddir) \
		$(MEMCHECK_RUN)
check-valgrind: memcheck
.PHONY: memcheck check-valgrind
EXTRA_DIST += scripts/valgrind-check scripts/valgrind.supp

# make analyze: clang's static analyzer over a full build in analyze/
# under the build directory, then cppcheck (scripts/analyze).
analyze:
	$(SHELL) $(srcdir)/scripts/analyze $(abs_top_builddir)/analyze
.PHONY: analyze
EXTRA_DIST += scripts/analyze scripts/cppcheck.supp
CLEANFILES += tests/unit/*.valgrind.log tests/fuzz/*.valgrind.log
