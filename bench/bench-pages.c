/*
 * bench-pages: the HTML path a page at a time, to be counted by
 * callgrind (docs/performance.md, "Where the goals stand").
 *
 *   bench/bench-pages MODE DIR [N] [PACKS]
 *
 * MODE is e2e (extract_document, then matcher_scan with the rules of
 * PACKS), extract (extract_document alone) or bare (libxml2's
 * htmlReadMemory and xmlFreeDoc with bench-scan's options: its
 * yardstick). The first N pages (300) of DIR, named as bench/gen-corpus
 * names them (00000.html, 00001.html ...), are read into memory and
 * run twice; the second pass alone is counted: under callgrind the
 * counters are zeroed before it and dumped after it, so the last file
 * callgrind writes holds that pass and nothing else (no start-up, no
 * rule compilation, no first-touch of caches). bench/cg-pages runs the
 * three modes that way and prints instructions a page. Without
 * valgrind it prints the second pass's wall time a page.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/HTMLparser.h>
#include <libxml/xmlmemory.h>

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#endif
#endif
#ifndef CALLGRIND_ZERO_STATS
#define CALLGRIND_ZERO_STATS
#define CALLGRIND_DUMP_STATS_AT(name)
#endif

#include "common/util.h"
#include "rules/rules.h"
#include "scanner/document.h"

#define HTML_OPTS (HTML_PARSE_RECOVER | HTML_PARSE_NONET | \
		   HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | \
		   HTML_PARSE_COMPACT | XML_PARSE_HUGE)

enum mode { MODE_E2E, MODE_EXTRACT, MODE_BARE };

struct page {
	char *data;
	size_t len;
};

/* One pass over the pages; returns a sum that depends on the work, so
 * that nothing is optimised away and the two passes can be compared. */
static unsigned long
run_pass(enum mode mode, const struct page *pg, size_t n, struct matcher *m,
	 struct scan_result *res)
{
	unsigned long sum = 0;
	size_t i;

	if (mode == MODE_BARE) {
		xmlFreeFunc fr;
		xmlMallocFunc ma;
		xmlReallocFunc re;
		xmlStrdupFunc du;

		/* plain malloc, as bench-scan's yardstick */
		xmlMemGet(&fr, &ma, &re, &du);
		xmlMemSetup(free, malloc, realloc, strdup);
		for (i = 0; i < n; i++) {
			htmlDocPtr d = htmlReadMemory(pg[i].data,
						      (int)pg[i].len, NULL,
						      "UTF-8", HTML_OPTS);

			sum += d != NULL;
			xmlFreeDoc(d);
		}
		xmlMemSetup(fr, ma, re, du);
		return sum;
	}
	for (i = 0; i < n; i++) {
		struct document d;
		struct scan_input in;

		document_init(&d, "bench-pages");
		extract_document(&d, pg[i].data, pg[i].len);
		if (m && (d.status == DOC_OK || d.status == DOC_TRUNCATED)) {
			document_scan_input(&d, &in);
			matcher_scan(m, &in, res);
			sum += res->nfired;
		} else {
			sum += d.body.len;
		}
		document_release(&d);
	}
	return sum;
}

/* Reads DIR/NNNNN.html into *pg; false (and a message) on failure. */
static bool
read_page(const char *dir, size_t i, struct page *pg)
{
	char path[4096];
	FILE *fp;
	long size;
	bool ok = false;

	snprintf(path, sizeof(path), "%s/%05zu.html", dir, i);
	fp = fopen(path, "rb");
	if (!fp) {
		perror(path);
		return false;
	}
	if (fseek(fp, 0, SEEK_END) == 0 && (size = ftell(fp)) >= 0 &&
	    fseek(fp, 0, SEEK_SET) == 0) {
		pg->data = malloc((size_t)size + 1);
		if (pg->data) {
			pg->len = fread(pg->data, 1, (size_t)size, fp);
			pg->data[pg->len] = '\0';
			ok = pg->len == (size_t)size;
		}
	}
	if (!ok)
		fprintf(stderr, "bench-pages: cannot read '%s'\n", path);
	fclose(fp);
	return ok;
}

static struct matcher *
load_rules(const char *packs, struct ruleset **rs)
{
	struct rules_options opts;
	struct rules_compiler *c;
	enum rf_err e;

	memset(&opts, 0, sizeof(opts));
	c = rules_compiler_new(&opts);
	e = rules_compiler_add_path(c, packs);
	if (e == RF_OK)
		e = rules_compiler_finish(c, rs);
	rules_compiler_free(c);
	if (e != RF_OK) {
		fprintf(stderr, "bench-pages: cannot compile the rules of "
			"'%s'\n", packs);
		return NULL;
	}
	return matcher_new(*rs);
}

int
main(int argc, char **argv)
{
	enum mode mode;
	const char *dir, *packs;
	struct page *pg;
	struct ruleset *rs = NULL;
	struct matcher *m = NULL;
	struct scan_result res;
	struct timespec t0, t1;
	unsigned long s1, s2;
	size_t n = 300, i;
	int status = 1;

	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: bench-pages e2e|extract|bare DIR [N] "
			"[PACKS]\n");
		return 2;
	}
	if (strcmp(argv[1], "e2e") == 0) {
		mode = MODE_E2E;
	} else if (strcmp(argv[1], "extract") == 0) {
		mode = MODE_EXTRACT;
	} else if (strcmp(argv[1], "bare") == 0) {
		mode = MODE_BARE;
	} else {
		fprintf(stderr, "bench-pages: unknown mode '%s'\n", argv[1]);
		return 2;
	}
	dir = argv[2];
	if (argc > 3)
		n = strtoul(argv[3], NULL, 10);
	packs = argc > 4 ? argv[4] : "rules/packs";
	if (!n) {
		fprintf(stderr, "bench-pages: no pages to run\n");
		return 2;
	}
	pg = calloc(n, sizeof(*pg));
	if (!pg)
		return 1;
	for (i = 0; i < n; i++)
		if (!read_page(dir, i, &pg[i]))
			goto out;
	scan_result_init(&res);
	if (mode == MODE_E2E && !(m = load_rules(packs, &rs)))
		goto out_res;
	s1 = run_pass(mode, pg, n, m, &res);
	CALLGRIND_ZERO_STATS;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s2 = run_pass(mode, pg, n, m, &res);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	CALLGRIND_DUMP_STATS_AT("pass2");
	if (s1 != s2) {
		fprintf(stderr, "bench-pages: the two passes differ (%lu, "
			"%lu)\n", s1, s2);
		goto out_res;
	}
	printf("%s: %zu pages, %.1f us a page (second pass)\n", argv[1], n,
	       ((double)(t1.tv_sec - t0.tv_sec) * 1e9 +
		(double)(t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double)n);
	status = 0;
out_res:
	scan_result_release(&res);
	if (m)
		matcher_free(m);
	if (rs)
		ruleset_free(rs);
out:
	for (i = 0; i < n; i++)
		free(pg[i].data);
	free(pg);
	return status;
}
