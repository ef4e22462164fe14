/* langid-measure.c: accuracy and speed of lang_detect() on labelled lines. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/utf8.h"
#include "common/xmalloc.h"
#include "text/text.h"
#include "common/banned.h"

/*
 * Usage: langid-measure [-w WORDS] [-s] [-f] [-v] [-c] < LINES
 * Each line is "LANG<TAB>TEXT", LANG a name of lang_name(). Prints a
 * confusion matrix (rows: true language, columns: found), the accuracy per
 * language and how often another language was found present with a share
 * of at least MIX_SHARE ("mixed"). -w: only the first WORDS words of each text (words are
 * separated by blanks). -f: give lang_detect() the folded view. -s: speed:
 * per language, a text of 2 KiB made of consecutive lines, and the CPU
 * time of one lang_detect() on it (the fastest of SPEED_BATCHES batches).
 * -v: also a line per text (found language, confidence, shares, text).
 * -c: also how often the answer is right by its confidence.
 * A label "A+B" marks a text mostly in A with some B: the matrix counts it
 * under A, and a second table says how often A won and B was found
 * present with a share of at least MIX_SHARE.
 */

#define SPEED_BYTES 2048
#define SPEED_ROUNDS 100
#define SPEED_BATCHES 20

struct item {
	enum lang_id lang;
	enum lang_id second;	/* LANG_UND unless the label is "A+B" */
	char *text;
	size_t len;
};

/* Mixed texts: how often the first language wins and the second shows. */
#define MIX_SHARE 0.1

static void
usage(void)
{
	fputs("usage: langid-measure [-w WORDS] [-s] [-f] [-v] [-c] < LINES\n",
	      stderr);
	exit(2);
}

/* The first n blank-separated words of s, in place; returns the length. */
static size_t
first_words(char *s, size_t len, long n)
{
	size_t i = 0;
	long w = 0;

	while (i < len && s[i] == ' ')
		i++;
	while (i < len) {
		while (i < len && s[i] != ' ')
			i++;
		if (++w == n)
			break;
		while (i < len && s[i] == ' ')
			i++;
	}
	s[i] = '\0';
	return i;
}

/* One line per text: true and found language, confidence, shares, text. */
static void
show(const struct item *it, const struct lang_result *r)
{
	size_t i;

	printf("%s%s\t%s%s\t%.2f\t", it->lang == r->lang ? "" : "!",
	       lang_name(it->lang), lang_name(r->lang),
	       r->latin_ru ? "(latin)" : "", r->confidence);
	for (i = 0; i < r->npresent; i++)
		printf("%s%s:%.2f", i ? "," : "", lang_name(r->present[i].lang),
		       r->present[i].share);
	printf("\t%s\n", it->text);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
speed(const struct item *items, size_t n)
{
	struct buf b;
	struct lang_result r;
	double t0, t, best;
	size_t l, i, k, len, batch;

	buf_init(&b, 0);
	printf("%-8s %8s %10s\n", "lang", "bytes", "us/call");
	for (l = 1; l < LANG_COUNT; l++) {
		buf_reset(&b);
		for (i = 0; i < n; i++) {
			if (items[i].lang != (enum lang_id)l)
				continue;
			for (k = i; k < n && b.len < SPEED_BYTES; k++) {
				if (items[k].lang != (enum lang_id)l)
					continue;
				if (buf_add(&b, items[k].text, items[k].len) ||
				    buf_addch(&b, '\n'))
					break;
			}
			break;
		}
		if (b.len == 0)
			continue;
		len = utf8_prefix(b.data, b.len, SPEED_BYTES);
		/* the fastest of several batches: the machine may be busy */
		best = -1;
		for (batch = 0; batch < SPEED_BATCHES; batch++) {
			t0 = now();
			for (k = 0; k < SPEED_ROUNDS; k++)
				lang_detect(b.data, len, &r);
			t = now() - t0;
			if (best < 0 || t < best)
				best = t;
		}
		printf("%-8s %8zu %10.1f\n", lang_name((enum lang_id)l), len,
		       best / SPEED_ROUNDS * 1e6);
	}
	buf_release(&b);
}

int
main(int argc, char **argv)
{
	struct item *items = NULL;
	size_t nitems = 0, aitems = 0;
	size_t conf[LANG_COUNT][LANG_COUNT] = { { 0 } };
	struct lang_result r;
	struct fold f;
	size_t mixed[LANG_COUNT][LANG_COUNT][3] = { { { 0 } } };
	size_t others[LANG_COUNT] = { 0 };
	int header = 0;
	char *line = NULL, *tab, *plus;
	size_t cap = 0, i, j, total, *mix;
	ssize_t got;
	long words = 0;
	static const double bins[] = { 0.5, 0.7, 0.9, 0.99, 1.01 };
	size_t calib[RF_ARRAY_SIZE(bins)][2] = { { 0 } };
	int c, do_speed = 0, do_fold = 0, verbose = 0, do_calib = 0;
	enum lang_id lang, second;

	while ((c = getopt(argc, argv, "w:sfvc")) != -1) {
		switch (c) {
		case 'c':
			do_calib = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		case 'w':
			words = strtol(optarg, NULL, 10);
			if (words <= 0)
				usage();
			break;
		case 's':
			do_speed = 1;
			break;
		case 'f':
			do_fold = 1;
			break;
		default:
			usage();
		}
	}
	while ((got = getline(&line, &cap, stdin)) > 0) {
		if (line[got - 1] == '\n')
			line[--got] = '\0';
		tab = strchr(line, '\t');
		if (tab == NULL)
			continue;
		*tab = '\0';
		second = LANG_UND;
		plus = strchr(line, '+');
		if (plus != NULL) {
			*plus = '\0';
			if (lang_parse(plus + 1, &second) != RF_OK)
				second = LANG_COUNT;
		}
		if (lang_parse(line, &lang) != RF_OK || second == LANG_COUNT) {
			fprintf(stderr, "langid-measure: unknown language in "
				"'%s'\n", line);
			return 2;
		}
		ALLOC_GROW(items, nitems + 1, aitems);
		items[nitems].lang = lang;
		items[nitems].second = second;
		items[nitems].text = xstrdup(tab + 1);
		items[nitems].len = strlen(tab + 1);
		if (words > 0)
			items[nitems].len = first_words(items[nitems].text,
							items[nitems].len,
							words);
		nitems++;
	}
	free(line);

	if (do_speed) {
		speed(items, nitems);
		goto out;
	}
	fold_init(&f);
	for (i = 0; i < nitems; i++) {
		if (do_fold && text_fold(&f, items[i].text, items[i].len,
					 TEXT_FOLD_DEFAULT) == RF_OK)
			lang_detect(f.view.data, f.view.len, &r);
		else
			lang_detect(items[i].text, items[i].len, &r);
		conf[items[i].lang][r.lang]++;
		for (j = 0; j + 1 < RF_ARRAY_SIZE(bins) &&
		     r.confidence >= bins[j]; j++)
			;
		calib[j][0]++;
		if (r.lang == items[i].lang)
			calib[j][1]++;
		for (j = 0; j < r.npresent; j++)
			if (r.present[j].lang != items[i].lang &&
			    r.present[j].share >= MIX_SHARE) {
				others[items[i].lang]++;
				break;
			}
		if (items[i].second != LANG_UND) {
			mix = mixed[items[i].lang][items[i].second];
			mix[0]++;
			if (r.lang == items[i].lang)
				mix[1]++;
			if (lang_share(&r, items[i].second) >= MIX_SHARE)
				mix[2]++;
		}
		if (verbose)
			show(&items[i], &r);
	}
	fold_release(&f);

	printf("%-8s", "true");
	for (j = 0; j < LANG_COUNT; j++)
		printf(" %7s", lang_name((enum lang_id)j));
	printf(" %8s %8s\n", "accuracy", "mixed");
	for (i = 0; i < LANG_COUNT; i++) {
		total = 0;
		for (j = 0; j < LANG_COUNT; j++)
			total += conf[i][j];
		if (total == 0)
			continue;
		printf("%-8s", lang_name((enum lang_id)i));
		for (j = 0; j < LANG_COUNT; j++)
			printf(" %7zu", conf[i][j]);
		printf(" %8.3f %8.3f\n", (double)conf[i][i] / (double)total,
		       (double)others[i] / (double)total);
	}
	if (do_calib) {
		printf("\n%-16s %6s %8s\n", "confidence", "texts", "right");
		for (i = 0; i < RF_ARRAY_SIZE(bins); i++) {
			if (calib[i][0] == 0)
				continue;
			printf("%4.2f to %-7.2f %6zu %8.3f\n",
			       i ? bins[i - 1] : 0.0, bins[i] > 1 ? 1.0 : bins[i],
			       calib[i][0],
			       (double)calib[i][1] / (double)calib[i][0]);
		}
	}
	for (i = 0; i < LANG_COUNT; i++) {
		for (j = 0; j < LANG_COUNT; j++) {
			mix = mixed[i][j];
			if (mix[0] == 0)
				continue;
			if (!header++)
				printf("\n%-16s %6s %10s %14s\n", "mixed", "texts",
				       "first won", "second >= 0.1");
			printf("%7s+%-8s %6zu %10.3f %14.3f\n",
			       lang_name((enum lang_id)i),
			       lang_name((enum lang_id)j), mix[0],
			       (double)mix[1] / (double)mix[0],
			       (double)mix[2] / (double)mix[0]);
		}
	}
out:
	for (i = 0; i < nitems; i++)
		free(items[i].text);
	free(items);
	return 0;
}
