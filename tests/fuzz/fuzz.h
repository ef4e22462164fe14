/*
 * fuzz.h: what every fuzz target shares. A target is one file
 * tests/fuzz/fuzz-NAME.c defining LLVMFuzzerTestOneInput (and, if it must
 * set something up once, LLVMFuzzerInitialize); it is linked either with
 * libFuzzer (--enable-fuzzing, `make fuzz`) or with replay.c, which feeds
 * it the files of tests/fuzz/corpus/NAME and tests/fuzz/regressions/NAME
 * in `make check`.
 */
#ifndef RF_TESTS_FUZZ_H
#define RF_TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"

/* The libFuzzer interface; the return value must be 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property of the code under test failed: report it and crash, so that
 * libFuzzer keeps the input and make check fails. */
static inline RF_NORETURN void
fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}

#define FUZZ_ASSERT(cond)                                                 \
	do {                                                              \
		if (!(cond))                                              \
			fuzz_fail(__FILE__, __LINE__, #cond);             \
	} while (0)

#endif
