/*
 * report-fixture.h: a store with known contents for the report tests,
 * written through the store API as `redflag run` writes it.
 *
 * Job "kz-jobs", one run a day from 2026-11-01 03:00 UTC:
 *   runs 1-7   site statistics only (the history site health is
 *              measured against);
 *   run 8 (A)  listings L1-L4 new;
 *   run 9 (B)  L1, L2 unchanged; L3 changed; L4 removed; L5-L9 new; the
 *              sites board.example.kg (blocked), work.example.tj
 *              (template changed), old.example.tm (missing) and
 *              new.example.kz (every page blocked) collapse;
 *   run 10     failed (so "the latest finished run" is run 9).
 * L1 and L5 share a phone (written differently); L5 and L6 have
 * near-identical texts; L7 carries markup and formula injections; L9
 * has a javascript: URL; L2 and L8 score nothing.
 */
#ifndef RF_TESTS_REPORT_FIXTURE_H
#define RF_TESTS_REPORT_FIXTURE_H

#include <stdint.h>

#define FIX_T0		((int64_t)1793502000)	/* 2026-11-01 03:00 UTC */
#define FIX_DAY		((int64_t)86400)

/* The listings, by their number in the comment above (index 1-9). */
struct report_fixture {
	int64_t run_a, run_b, run_failed;
	int64_t listing[10];
};

/* Builds the store at path (which must not exist); aborts on failure. */
void report_fixture_build(const char *path, struct report_fixture *out);

/* The body texts, for tests that look for them. */
extern const char fix_text_l1[];
extern const char fix_text_l5[];
extern const char fix_text_l6[];
extern const char fix_text_l7[];

#endif
