/*
 * bench-text.c: text_fold() and lang_detect() against their frozen
 * references (bench/ref-fold.c, bench/ref-langid.c): the same output, and
 * how much faster.
 *
 *   bench-text check FILE...
 *	Folds every file whole, line by line, and in pieces of 2,048 and
 *	509 bytes cut anywhere (also inside a character), with the default
 *	flags and with other sets of flags, by both implementations, and
 *	compares the views, the offset maps atom by atom and the counters;
 *	runs both lang_detect()s over the same pieces and their folded
 *	views and compares every field of the result. Exit 1 at the first
 *	difference, which it prints.
 *
 *   bench-text replay FILE...
 *	The same over inputs of fuzz-fold and bench/fuzz-fold-diff
 *	(tests/fuzz/regressions/fold), whose first byte is a set of
 *	TEXT_FOLD_* flags: the rest is folded whole with those flags too.
 *
 *   bench-text speed [-r ROUNDS] FILE
 *	Times both implementations over the records of FILE (separated by
 *	form feeds, as in corpus.txt of bench/gen-corpus), interleaved: each
 *	round runs old and new fold, then old and new langid, each over all
 *	records, starting with a different side each round. Prints CPU
 *	time per record, MB/s, and the median of the per-round ratios.
 *
 *   bench-text langid [-r ROUNDS] FILE
 *	Times lang_detect() alone over the records of FILE: a first round
 *	with this thread's cache of word scores empty ("cold", what a scan
 *	starts with), then ROUNDS more ("warm"). Prints CPU time per record
 *	of each, to compare two builds run alternately (see
 *	docs/performance.md).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common/limits.h"
#include "common/buf.h"
#include "common/util.h"
#include "common/xmalloc.h"
#include "text/text-int.h"
#include "text/text.h"
#include "common/banned.h"

/* bench/ref-fold.c and bench/ref-langid.c */
void ref_fold_init(struct fold *f);
void ref_fold_release(struct fold *f);
enum rf_err ref_text_fold(struct fold *out, const char *text, size_t len,
			  unsigned flags);
void ref_lang_detect(const char *text, size_t len, struct lang_result *out);

#define MAX_ROUNDS 99

static const unsigned flag_sets[] = {
	TEXT_FOLD_DEFAULT,
	TEXT_FOLD_CASE,
	TEXT_FOLD_CASE | TEXT_FOLD_YO,
	TEXT_FOLD_DEFAULT & ~TEXT_FOLD_SPACED,
	TEXT_FOLD_DEFAULT & ~TEXT_FOLD_HOMOGLYPH,
	TEXT_FOLD_DEFAULT & ~TEXT_FOLD_INVISIBLE,
	TEXT_FOLD_DEFAULT & ~TEXT_FOLD_COMPAT,
	TEXT_FOLD_DEFAULT & ~TEXT_FOLD_CASE,
	0,
};

static struct fold fa, fb;
static unsigned long ntexts, nbytes;

static void
show(const char *what, const char *text, size_t len, unsigned flags)
{
	fprintf(stderr, "bench-text: %s differ (flags 0x%02x) on %zu bytes:\n",
		what, flags, len);
	fwrite(text, 1, len, stderr);
	fputc('\n', stderr);
}

static bool
same_fold(const struct fold *a, const struct fold *b)
{
	return a->view.len == b->view.len &&
	       memcmp(a->view.data, b->view.data, a->view.len + 1) == 0 &&
	       a->orig_len == b->orig_len && a->nmixed == b->nmixed &&
	       a->nhomoglyph == b->nhomoglyph && a->nleet == b->nleet &&
	       a->njoined == b->njoined && a->ninvisible == b->ninvisible &&
	       a->ninvalid == b->ninvalid && a->natoms == b->natoms &&
	       (a->natoms == 0 ||
		memcmp(a->atoms, b->atoms, a->natoms * sizeof(*a->atoms)) ==
			0);
}

static bool
same_lang(const struct lang_result *a, const struct lang_result *b)
{
	size_t i;

	if (a->lang != b->lang || a->confidence != b->confidence ||
	    a->latin_ru != b->latin_ru || a->nletters != b->nletters ||
	    a->npresent != b->npresent)
		return false;
	for (i = 0; i < a->npresent; i++)
		if (a->present[i].lang != b->present[i].lang ||
		    a->present[i].share != b->present[i].share)
			return false;
	return true;
}

/* Compares both implementations on one text; false after a difference. */
static bool
check_one(const char *text, size_t len)
{
	struct lang_result la, lb;
	size_t i;
	enum rf_err ea, eb;

	ntexts++;
	nbytes += len;
	for (i = 0; i < RF_ARRAY_SIZE(flag_sets); i++) {
		ea = ref_text_fold(&fa, text, len, flag_sets[i]);
		eb = text_fold(&fb, text, len, flag_sets[i]);
		if (ea != eb || !same_fold(&fa, &fb)) {
			show("folded views or maps", text, len, flag_sets[i]);
			fprintf(stderr, "old: %s\nnew: %s\n", fa.view.data,
				fb.view.data);
			return false;
		}
		if (flag_sets[i] != TEXT_FOLD_DEFAULT)
			continue;
		/* the folded view of the folded view, too */
		ea = ref_text_fold(&fa, fb.view.data, fb.view.len,
				   flag_sets[i]);
		if (ea != RF_OK) {
			show("folding the view", text, len, flag_sets[i]);
			return false;
		}
		ref_lang_detect(fb.view.data, fb.view.len, &la);
		lang_detect(fb.view.data, fb.view.len, &lb);
		if (!same_lang(&la, &lb)) {
			show("languages of the view", text, len, flag_sets[i]);
			return false;
		}
	}
	ref_lang_detect(text, len, &la);
	lang_detect(text, len, &lb);
	if (!same_lang(&la, &lb)) {
		show("languages", text, len, 0);
		return false;
	}
	return true;
}

/* Checks a fuzz input: flags in the first byte, then the text. */
static bool
replay_file(const char *name)
{
	struct buf b;
	const char *text;
	size_t len;
	unsigned flags;
	enum rf_err ea, eb;
	bool ok = false;

	buf_init(&b, RF_FOLD_INPUT_MAX);
	if (file_read(name, RF_FOLD_INPUT_MAX, &b) != RF_OK || b.len == 0) {
		fprintf(stderr, "bench-text: cannot read '%s'\n", name);
		goto out;
	}
	flags = (unsigned char)b.data[0];
	text = b.data + 1;
	len = b.len - 1;
	ea = ref_text_fold(&fa, text, len, flags);
	eb = text_fold(&fb, text, len, flags);
	if (ea != eb || !same_fold(&fa, &fb)) {
		show("folded views or maps", text, len, flags);
		fprintf(stderr, "old: %s\nnew: %s\n", fa.view.data,
			fb.view.data);
		goto out;
	}
	ok = check_one(text, len);
out:
	buf_release(&b);
	return ok;
}

/* Checks the file whole, by line and in pieces. */
static bool
check_file(const char *name)
{
	struct buf b;
	const char *data;
	size_t len, i, j, piece;
	static const size_t pieces[] = { 2048, 509 };
	size_t p;
	bool ok = false;

	buf_init(&b, RF_FOLD_INPUT_MAX);
	if (file_read(name, RF_FOLD_INPUT_MAX, &b) != RF_OK) {
		fprintf(stderr, "bench-text: cannot read '%s'\n", name);
		goto out;
	}
	data = b.data;
	len = b.len;
	if (!check_one(data, len))
		goto out;
	for (i = 0; i < len; i = j + 1) {
		for (j = i; j < len && data[j] != '\n'; j++)
			;
		if (!check_one(data + i, j - i))
			goto out;
	}
	for (p = 0; p < RF_ARRAY_SIZE(pieces); p++) {
		piece = pieces[p];
		for (i = 0; i < len; i += piece)
			if (!check_one(data + i,
				       len - i < piece ? len - i : piece))
				goto out;
	}
	ok = true;
out:
	buf_release(&b);
	return ok;
}

static double
cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct rec {
	const char *p;
	size_t len;
};

static volatile size_t sink;

static double
time_fold(bool old, const struct rec *r, size_t n)
{
	double t0 = cpu_s();
	size_t i;

	for (i = 0; i < n; i++) {
		if (old)
			sink += ref_text_fold(&fa, r[i].p, r[i].len,
					      TEXT_FOLD_DEFAULT);
		else
			sink += text_fold(&fb, r[i].p, r[i].len,
					  TEXT_FOLD_DEFAULT);
		sink += old ? fa.view.len : fb.view.len;
	}
	return cpu_s() - t0;
}

static double
time_lang(bool old, const struct rec *r, size_t n)
{
	struct lang_result lr;
	double t0 = cpu_s();
	size_t i;

	for (i = 0; i < n; i++) {
		if (old)
			ref_lang_detect(r[i].p, r[i].len, &lr);
		else
			lang_detect(r[i].p, r[i].len, &lr);
		sink += lr.lang;
	}
	return cpu_s() - t0;
}

/* Times lang_detect() over r[0, n): the first round, then rounds more. */
static int
langid_speed(const struct rec *r, size_t n, size_t rounds)
{
	double t[MAX_ROUNDS], cold;
	size_t k;

	cold = time_lang(false, r, n);
	for (k = 0; k < rounds; k++)
		t[k] = time_lang(false, r, n);
	printf("langid cold %.2f us/record\n", cold * 1e6 / (double)n);
	for (k = 0; k < rounds; k++)
		printf("langid warm %.2f us/record\n", t[k] * 1e6 / (double)n);
	printf("langid warm median %.2f us/record\n",
	       median(t, rounds) * 1e6 / (double)n);
	return 0;
}

static int
speed(const char *name, size_t rounds, bool langid_only)
{
	double t[4][MAX_ROUNDS], ratio[2][MAX_ROUNDS], tot, m;
	struct rec *r = NULL;
	size_t n = 0, alloc = 0, i, j, k, bytes = 0;
	struct buf b;
	const char *data;
	size_t len;
	bool old_first;
	static const char *const what[4] = { "fold old", "fold new",
					     "langid old", "langid new" };

	buf_init(&b, (size_t)1 << 30);
	if (file_read(name, (size_t)1 << 30, &b) != RF_OK) {
		fprintf(stderr, "bench-text: cannot read '%s'\n", name);
		buf_release(&b);
		return 1;
	}
	data = b.data;
	len = b.len;
	for (i = 0; i < len; i = j + 1) {
		for (j = i; j < len && data[j] != '\f'; j++)
			;
		if (j == i)
			continue;
		ALLOC_GROW(r, n + 1, alloc);
		r[n].p = data + i;
		r[n].len = j - i;
		bytes += j - i;
		n++;
	}
	if (n == 0) {
		fprintf(stderr, "bench-text: no records in '%s'\n", name);
		buf_release(&b);
		return 1;
	}
	if (langid_only) {
		langid_speed(r, n, rounds);
		free(r);
		buf_release(&b);
		return 0;
	}
	/* a warm-up round, not kept */
	time_fold(true, r, n);
	time_fold(false, r, n);
	time_lang(true, r, n);
	time_lang(false, r, n);
	for (k = 0; k < rounds; k++) {
		old_first = k % 2 == 0;
		t[old_first ? 0 : 1][k] = time_fold(old_first, r, n);
		t[old_first ? 1 : 0][k] = time_fold(!old_first, r, n);
		t[old_first ? 2 : 3][k] = time_lang(old_first, r, n);
		t[old_first ? 3 : 2][k] = time_lang(!old_first, r, n);
		ratio[0][k] = t[0][k] / t[1][k];
		ratio[1][k] = t[2][k] / t[3][k];
	}
	printf("%zu records, %zu bytes (mean %.0f), %zu rounds, CPU time\n",
	       n, bytes, (double)bytes / (double)n, rounds);
	for (i = 0; i < 4; i++) {
		tot = median(t[i], rounds);
		printf("%-11s %9.2f us/record %8.1f MB/s\n", what[i],
		       tot * 1e6 / (double)n, (double)bytes / tot / 1e6);
	}
	m = median(ratio[0], rounds);
	printf("fold   new/old speed, median of round ratios: %.2fx\n", m);
	m = median(ratio[1], rounds);
	printf("langid new/old speed, median of round ratios: %.2fx\n", m);
	free(r);
	buf_release(&b);
	return 0;
}

static void
usage(FILE *fp)
{
	fputs("usage: bench-text check FILE...\n"
	      "       bench-text replay FILE...\n"
	      "       bench-text speed [-r ROUNDS] FILE\n"
	      "       bench-text langid [-r ROUNDS] FILE\n", fp);
}

int
main(int argc, char **argv)
{
	size_t rounds = 5;
	int i, rc = 0;
	long long v;

	if (argc >= 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	fold_init(&fb);
	ref_fold_init(&fa);
	if (argc >= 3 && (strcmp(argv[1], "check") == 0 ||
			  strcmp(argv[1], "replay") == 0)) {
		for (i = 2; i < argc && rc == 0; i++)
			if (!(argv[1][0] == 'c' ? check_file(argv[i]) :
						  replay_file(argv[i])))
				rc = 1;
		if (rc == 0)
			printf("bench-text: %lu texts, %lu bytes: the same\n",
			       ntexts, nbytes);
	} else if (argc >= 3 && (strcmp(argv[1], "speed") == 0 ||
				 strcmp(argv[1], "langid") == 0)) {
		i = 2;
		if (argc >= 5 && strcmp(argv[2], "-r") == 0) {
			if (parse_int(argv[3], 1, MAX_ROUNDS, &v) != RF_OK) {
				usage(stderr);
				return 2;
			}
			rounds = (size_t)v;
			i = 4;
		}
		if (i != argc - 1) {
			usage(stderr);
			return 2;
		}
		rc = speed(argv[i], rounds, strcmp(argv[1], "langid") == 0);
	} else {
		usage(stderr);
		rc = 2;
	}
	fold_release(&fb);
	ref_fold_release(&fa);
	return rc;
}
